"""Request bodies are refused on their announced length, before Django reads them.

Django reads a multipart body whole (to memory or temporary files) as soon as anything
touches request.POST — the CSRF check does, before the view — and only then can a form
say the file is too large: a 1 GiB deposit was read to the end to be refused. Here,
before any view code (place the middleware above CsrfViewMiddleware):

- a body announced (Content-Length) larger than the view accepts is a 413, unread;
- a body with no announced length (Transfer-Encoding: chunked) is a 411, unread: under
  WSGI Django reads only up to Content-Length, so such a body would be taken as empty
  and the form would complain of missing fields instead;
- a client announcing less than it sends is read up to what it announced: Django wraps
  the connection in a LimitedStream of Content-Length bytes.

A view that stores uploads declares its limit (`accepts_upload`); every other view keeps
DATA_UPLOAD_MAX_MEMORY_SIZE, the limit Django applies to form fields. The proxy limits too
(docs/deployment.md), but the application does not rely on it."""

from django.conf import settings
from django.shortcuts import render

API_PREFIX = "/api/"
# Above the file itself: the multipart envelope and the form's other fields.
FORM_MARGIN = 64 * 1024
MB = 1_000_000


def accepts_upload(limit):
    """Decorator: the view receives bodies of up to `limit()` bytes (a callable, so that the
    settings are read at each request)."""

    def decorate(view):
        view.body_limit = limit
        return view

    return decorate


def limit_of(view):
    limit = getattr(view, "body_limit", None)
    return limit() if limit is not None else settings.DATA_UPLOAD_MAX_MEMORY_SIZE


def _megabytes(size):
    return f"{size / MB:.1f}".replace(".", ",")


def _refusal(request, status, title, detail):
    if request.path.startswith(API_PREFIX):
        from toit.api.problems import problem

        return problem(request, status, detail)
    return render(request, "body_refused.html", {"title": title, "detail": detail}, status=status)


class BodyLimitMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view, args, kwargs):
        limit = limit_of(view)
        raw = request.META.get("CONTENT_LENGTH") or ""
        chunked = "chunked" in request.META.get("HTTP_TRANSFER_ENCODING", "").lower()
        if not raw.strip():
            if chunked:
                return _refusal(
                    request,
                    411,
                    "Longueur de l'envoi non annoncée",
                    "Envoi sans longueur annoncée (en-tête Content-Length absent, envoi fragmenté) : Toit ne le lit "
                    "pas. Envoyez-le d'un bloc, avec sa taille, comme le fait un navigateur.",
                )
            return None
        try:
            announced = int(raw)
        except ValueError:
            announced = None
        if announced is None or announced < 0:
            return _refusal(
                request, 400, "Envoi invalide", f"Longueur annoncée invalide (« {raw[:20]} ») : un entier est attendu."
            )
        if limit is not None and announced > limit:
            return _refusal(
                request,
                413,
                "Envoi trop volumineux",
                f"Envoi trop volumineux ({_megabytes(announced)} Mo annoncés) : la limite est de "
                f"{_megabytes(limit)} Mo ici. Découpez le fichier, ou envoyez moins de données à la fois.",
            )
        return None


def import_upload_limit():
    from toit.imports.storage import max_bytes

    return max(max_bytes("csv"), max_bytes("xlsx")) + FORM_MARGIN


def attachment_upload_limit():
    return settings.TOIT_ATTACHMENT_MAX_BYTES + FORM_MARGIN
