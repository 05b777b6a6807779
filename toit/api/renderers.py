from rest_framework import renderers


class BrowsableAPIRenderer(renderers.BrowsableAPIRenderer):
    """DRF's browsable API for people logged in to Toit, without its HTML forms (they post
    form-encoded data, and the API reads JSON only): the raw JSON form remains."""

    def show_form_for_method(self, view, method, request, obj):
        return False
