"""In development (DEBUG), Django answers an unknown address with its English technical
page. This middleware, installed by config/settings/dev.py only, shows Toit's French 404
instead, so that the demo looks like production. Pages that answer 404 themselves (a
form saying a reference is unknown) are left as they are."""

from django.shortcuts import render

TECHNICAL_MARK = b"seeing this error because you have <code>DEBUG = True</code>"


class French404Middleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if response.status_code == 404 and not response.streaming and TECHNICAL_MARK in response.content:
            return render(request, "404.html", status=404)
        return response
