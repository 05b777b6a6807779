from toit.rowsecurity import scope


class RowSecurityMiddleware:
    """Every request runs narrowed to the départements of its user (toit.rowsecurity.scope),
    so that a nominative query that forgets its filter returns nothing from elsewhere.
    After the authentication middleware, which gives request.user."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not scope.enabled():
            return self.get_response(request)
        with scope.restricted(scope.departments_for(request.user)):
            return self.get_response(request)
