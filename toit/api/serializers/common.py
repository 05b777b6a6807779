from rest_framework import serializers

from toit.organisations.models import Organisation, OrganisationLookupError
from toit.territory.models import Commune


class InputSerializer(serializers.Serializer):
    """A request body: a key the API does not know is an error (a typo must not be
    silently dropped)."""

    def validate(self, attrs):
        if isinstance(self.initial_data, dict):
            unknown = sorted(set(self.initial_data) - set(self.fields))
            if unknown:
                admitted = ", ".join(name for name, field in self.fields.items() if not field.read_only)
                raise serializers.ValidationError(
                    {name: f"Champ inconnu : les champs admis sont {admitted}." for name in unknown}
                )
        return attrs


class OrganisationRefSerializer(serializers.Serializer):
    code = serializers.CharField(help_text="Code de l'organisation dans Toit (ex. « CAF72 »).")
    name = serializers.CharField(help_text="Nom de l'organisation.")


class CommuneRefSerializer(serializers.Serializer):
    insee_code = serializers.CharField(help_text="Code INSEE de la commune (5 caractères).")
    name = serializers.CharField(help_text="Nom de la commune.")


class CommuneField(serializers.SlugRelatedField):
    """A commune given by its INSEE code."""

    default_error_messages = {
        "does_not_exist": "Commune inconnue : « {value} ». Indiquez le code INSEE à 5 caractères d'une commune "
        "(par exemple 72181 pour Le Mans), pas son code postal.",
        "invalid": "Code INSEE invalide : indiquez une chaîne de 5 caractères (par exemple « 72181 »).",
    }

    def __init__(self, **kwargs):
        kwargs.setdefault("queryset", Commune.objects.all())
        kwargs.setdefault("help_text", "Code INSEE de la commune (ex. « 72181 » pour Le Mans).")
        super().__init__(slug_field="insee_code", **kwargs)


class OrganisationField(serializers.SlugRelatedField):
    """An organisation given by its code (case-insensitive)."""

    default_error_messages = {
        "does_not_exist": "Organisation inconnue : « {value} ». Indiquez le code d'une organisation de Toit "
        "(par exemple « CAF72 »).",
        "invalid": "Code d'organisation invalide : indiquez une chaîne (par exemple « CAF72 »).",
    }

    def __init__(self, **kwargs):
        kwargs.setdefault("queryset", Organisation.objects.filter(is_active=True))
        super().__init__(slug_field="code", **kwargs)

    def to_internal_value(self, data):
        if not isinstance(data, str):
            self.fail("invalid")
        request = self.context.get("request")
        key_organisation = getattr(getattr(request, "auth", None), "organisation", None)
        department = getattr(getattr(key_organisation, "department", None), "code", None)
        try:
            return self.get_queryset().by_code(data[:60], department)
        except OrganisationLookupError as exc:
            raise serializers.ValidationError(str(exc), code="does_not_exist") from None


class NullableChoiceField(serializers.ChoiceField):
    """A choice stored as "" when it does not apply, given as null."""

    def __init__(self, choices, **kwargs):
        kwargs.setdefault("allow_null", True)
        super().__init__(choices, **kwargs)

    def to_representation(self, value):
        if value in ("", None):
            return None
        return super().to_representation(value)


def choice_error(choices):
    values = ", ".join(f"« {value} »" for value, _label in choices if value)
    return {"invalid_choice": f"Valeur « {{input}} » inconnue : valeurs admises {values}."}


class CommaListField(serializers.ListField):
    """A list given as repeated parameters (?stage=a&stage=b) or comma-separated (?stage=a,b)."""

    def to_internal_value(self, data):
        if isinstance(data, str):
            data = [data]
        values = [part.strip() for item in data for part in str(item).split(",") if part.strip()]
        return super().to_internal_value(values)
