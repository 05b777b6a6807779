from rest_framework import serializers

from toit.api.serializers.common import CommuneField, CommuneRefSerializer
from toit.dwellings.enums import ActKind, Interdiction, Qualification, Stage, Tenure


class DwellingQuerySerializer(serializers.Serializer):
    commune = CommuneField(required=False, help_text="Code INSEE de la commune du logement.")
    qualification = serializers.ChoiceField(
        choices=Qualification.choices, required=False, help_text="Logements ayant un dossier ainsi qualifié."
    )
    stage = serializers.ChoiceField(
        choices=Stage.choices, required=False, help_text="Logements ayant un dossier à cette étape."
    )


class DwellingSummarySerializer(serializers.Serializer):
    id = serializers.IntegerField(help_text="Numéro du logement dans le registre.")
    address = serializers.CharField(source="address_line", help_text="Numéro, indice, voie et complément.")
    commune = CommuneRefSerializer()
    tenure = serializers.ChoiceField(choices=Tenure.choices, help_text="PO, PB ou vacant.")
    owner = serializers.CharField(source="owner.name", allow_null=True, default=None, help_text="Propriétaire.")


class WorkSerializer(serializers.Serializer):
    description = serializers.CharField()
    deadline = serializers.DateField(help_text="À réaliser avant le.")
    done_on = serializers.DateField(allow_null=True)
    done_by = serializers.CharField(help_text="« proprietaire », « office » ou vide.")


class ActSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=ActKind.choices)
    signed_on = serializers.DateField()
    regime = serializers.CharField(help_text="Code en vigueur à la date de l'acte (avant ou depuis 2021).")
    legal_basis = serializers.CharField()
    interdiction = serializers.ChoiceField(choices=Interdiction.choices, allow_blank=True)
    works = WorkSerializer(many=True, source="works.all")


class CaseSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    opened_on = serializers.DateField()
    stage = serializers.ChoiceField(choices=Stage.choices)
    tenure = serializers.ChoiceField(choices=Tenure.choices)
    qualifications = serializers.SerializerMethodField()
    acts = ActSerializer(many=True, source="acts.all")
    exit_on = serializers.DateField(allow_null=True)
    occupants_kept = serializers.BooleanField(allow_null=True)

    def get_qualifications(self, case) -> list[str]:
        return [q.kind for q in case.qualifications.all()]


class DwellingDetailSerializer(DwellingSummarySerializer):
    ban_id = serializers.CharField()
    cadastral_ref = serializers.CharField()
    cases = CaseSerializer(many=True, source="case_rows")
