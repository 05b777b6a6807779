from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.response import Response

from toit.api.authentication import api_key
from toit.api.enums import Scope
from toit.api.schema import problems
from toit.api.serializers.common import OrganisationRefSerializer
from toit.api.views.base import ApiView
from toit.eviction.access import acting_organisations
from toit.organisations.models import Organisation


class KeyInfoSerializer(serializers.Serializer):
    name = serializers.CharField(help_text="Nom de la clé.")
    prefix = serializers.CharField(help_text="Préfixe (partie publique) de la clé.")
    expires_at = serializers.DateTimeField(allow_null=True, help_text="Date d'expiration, ou null.")


class MeSerializer(serializers.Serializer):
    authentication = serializers.ChoiceField(
        choices=[("cle", "Clé d'API"), ("session", "Session du navigateur")], help_text="Comment vous êtes reconnu."
    )
    organisations = OrganisationRefSerializer(many=True, help_text="Organisations au nom desquelles vous agissez.")
    scopes = serializers.ListField(
        child=serializers.ChoiceField(choices=Scope.choices),
        help_text="Permissions de la clé ; pour une session, celles que donnent vos rôles.",
    )
    key = KeyInfoSerializer(allow_null=True, help_text="La clé utilisée, ou null pour une session.")


class Me(ApiView):
    """Who the API takes the caller for: to check a key before using it."""

    scopes = {"GET": None}
    serializer_class = MeSerializer
    pagination_class = None

    def get_queryset(self):
        return Organisation.objects.none()

    @extend_schema(
        operation_id="me_retrieve",
        summary="Qui suis-je ?",
        description="L'organisation et les permissions de la clé utilisée : de quoi vérifier une clé avant de "
        "s'en servir. Aucune permission particulière n'est exigée.",
        responses={200: MeSerializer, **problems(401, 429)},
        tags=["Clé"],
    )
    def get(self, request):
        self.query()
        key = api_key(request)
        if key is not None:
            data = {
                "authentication": "cle",
                "organisations": [key.organisation],
                "scopes": [s for s in Scope.values if key.has_scope(s)],
                "key": key,
            }
        else:
            from toit.api.permissions import session_scopes

            data = {
                "authentication": "session",
                "organisations": list(acting_organisations(request.user).order_by("code")),
                "scopes": session_scopes(request.user),
                "key": None,
            }
        return Response(self.get_serializer(data).data)
