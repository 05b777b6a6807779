from rest_framework import serializers

from toit.accommodation.enums import Public, StructureKind


class StructureQuerySerializer(serializers.Serializer):
    department = serializers.CharField(
        required=False, help_text="Code INSEE du département (ex. « 72 ») ; sans lui, tous les départements."
    )
    on = serializers.DateField(required=False, help_text="Date des places (aaaa-mm-jj) ; par défaut aujourd'hui.")


class StructureSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    kind = serializers.ChoiceField(choices=StructureKind.choices, help_text="Type de structure.")
    public = serializers.ChoiceField(choices=Public.choices, help_text="Public accueilli.")
    commune = serializers.CharField(source="commune.insee_code", help_text="Code INSEE de la commune.")
    manager = serializers.CharField(source="manager.name", help_text="Organisation gestionnaire.")
    opened_on = serializers.DateField()
    closed_on = serializers.DateField(allow_null=True)
    places = serializers.IntegerField(help_text="Places ouvertes à la date demandée (capacité datée).")
