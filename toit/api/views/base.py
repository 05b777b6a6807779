"""What every API view shares: authentication through DRF only (the site-wide
LoginRequiredMiddleware is told to let API requests through; DRF then requires a key or a
session), declared scopes, validated query parameters, and the access log."""

from django.contrib.auth.decorators import login_not_required
from rest_framework import exceptions
from rest_framework.generics import GenericAPIView

from toit.api.authentication import api_key
from toit.api.parsers import NUL, NUL_MESSAGE, check_announced_length
from toit.api.problems import InvalidParameters
from toit.api.throttling import UnauthenticatedThrottle
from toit.audit.enums import AccessAction
from toit.audit.log import log_access

# Parameters DRF itself reads (the browsable API's format switch).
RESERVED_PARAMETERS = frozenset({"format"})


class ApiView(GenericAPIView):
    """Base of every API view. Subclasses set `scopes` ({method: Scope or None}) and, for
    lists, `query_serializer` (the filters they accept)."""

    scopes = None
    query_serializer = None

    @classmethod
    def as_view(cls, **initkwargs):
        return login_not_required(super().as_view(**initkwargs))

    def initial(self, request, *args, **kwargs):
        """Before DRF's authentication, permissions and per-key limit: NUL characters in the
        address are a 400 (the database cannot compare them), a body announced too large a
        413, and a request with no usable key is counted against its address's limit."""
        bad = {
            name: [NUL_MESSAGE] for name, value in request.GET.lists() if NUL in name or any(NUL in v for v in value)
        }
        bad.update({name: [NUL_MESSAGE] for name, value in kwargs.items() if isinstance(value, str) and NUL in value})
        if bad:
            raise InvalidParameters(bad)
        if request.method not in ("GET", "HEAD", "OPTIONS"):
            check_announced_length(request)
        try:
            authenticated = bool(request.user and request.user.is_authenticated)
        except exceptions.AuthenticationFailed:
            self._throttle_unauthenticated(request)
            raise
        if not authenticated:
            self._throttle_unauthenticated(request)
        super().initial(request, *args, **kwargs)

    def _throttle_unauthenticated(self, request):
        throttle = UnauthenticatedThrottle()
        if not throttle.allow_request(request, self):
            self.throttled(request, throttle.wait())

    def get_queryset(self):
        raise NotImplementedError  # every view says what it reads, through visible_to

    def query(self):
        """The validated query parameters (filters and pagination), or a 400 that names the
        wrong ones. Unknown parameters are refused, so that a typo does not silently
        return everything."""
        if getattr(self, "_query", None) is not None:
            return self._query
        allowed = set(RESERVED_PARAMETERS)
        if self.pagination_class is not None and self.paginator is not None:
            allowed |= {self.paginator.limit_query_param, self.paginator.offset_query_param}
            allowed |= {getattr(self.paginator, "cursor_query_param", self.paginator.offset_query_param)}
        serializer = self.query_serializer(data=self.request.query_params) if self.query_serializer else None
        if serializer is not None:
            allowed |= set(serializer.fields)
        unknown = sorted(set(self.request.query_params) - allowed)
        admitted = ", ".join(sorted(allowed - RESERVED_PARAMETERS)) or "aucun"
        errors = {name: [f"Paramètre inconnu : paramètres admis ici : {admitted}."] for name in unknown}
        if serializer is not None and not serializer.is_valid():
            errors.update(serializer.errors)
        if errors:
            raise InvalidParameters(errors)
        self._query = serializer.validated_data if serializer is not None else {}
        return self._query

    def log_reads(self, objects, reason=""):
        """Record in the access log that the caller read these nominative objects."""
        key = api_key(self.request)
        return log_access(
            self.request,
            objects,
            action=AccessAction.API,
            organisation=key.organisation if key else None,
            reason=reason,
        )
