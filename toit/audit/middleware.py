"""Refused attempts on nominative URLs go to the access log (issue 10): a 403 or a 404 on
a view of the eviction, imports or API namespaces that names a record (a reference or an
id). Someone trying references or ids one after the other leaves one entry per try."""

from toit.audit.log import log_reference_attempt

NOMINATIVE_NAMESPACES = frozenset({"eviction", "imports", "api"})
NAMING_KWARGS = ("reference", "pk", "transmission_pk")


class RefusedAccessLogMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if response.status_code in (403, 404):
            match = getattr(request, "resolver_match", None)
            if match is not None and match.namespace in NOMINATIVE_NAMESPACES:
                named = {k: v for k, v in match.kwargs.items() if k in NAMING_KWARGS}
                if named:
                    log_reference_attempt(request, match.view_name, named, response.status_code)
        return response
