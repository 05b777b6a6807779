import datetime

from django.utils import timezone
from rest_framework import serializers

from toit.api.serializers.common import (
    CommuneField,
    CommuneRefSerializer,
    InputSerializer,
    OrganisationField,
    OrganisationRefSerializer,
    choice_error,
)
from toit.api.serializers.files import absolute
from toit.eviction.enums import HousingSector, LandlordKind, ReportSource
from toit.eviction.lease import LANDLORD_KIND_HELP, LEASE_SIGNED_ON_HELP, MONTHLY_RENT_HELP, lease_errors

SECTORS = [c for c in HousingSector.choices]
LANDLORD_KINDS = [c for c in LandlordKind.choices]


class ReportInputSerializer(InputSerializer):
    source = serializers.ChoiceField(
        choices=ReportSource.choices,
        error_messages=choice_error(ReportSource.choices),
        help_text="Qui signale l'impayé.",
    )
    reported_on = serializers.DateField(help_text="Date du signalement (AAAA-MM-JJ), passée ou du jour.")
    debt_amount = serializers.DecimalField(
        max_digits=10, decimal_places=2, help_text="Montant de la dette en euros (« 1200.50 »), positif ou nul."
    )
    months_unpaid = serializers.IntegerField(
        required=False, allow_null=True, min_value=0, max_value=32767, help_text="Nombre de mois d'impayés."
    )
    last_name = serializers.CharField(max_length=150, help_text="Nom (d'usage) de la personne signalée.")
    first_name = serializers.CharField(max_length=150, help_text="Prénom.")
    birth_name = serializers.CharField(
        max_length=150, required=False, allow_blank=True, help_text="Nom de naissance, s'il diffère."
    )
    birth_date = serializers.DateField(
        required=False, allow_null=True, help_text="Date de naissance : elle permet de retrouver le dossier."
    )
    street = serializers.CharField(
        max_length=255, required=False, allow_blank=True, help_text="Adresse du logement (numéro et voie)."
    )
    commune = CommuneField(required=False, allow_null=True)
    sector = serializers.ChoiceField(
        choices=SECTORS, required=False, allow_blank=True, error_messages=choice_error(SECTORS), help_text="Parc."
    )
    social_landlord = OrganisationField(
        required=False,
        allow_null=True,
        help_text="Code du bailleur social (parc social), par exemple « SARTHE-HABITAT ».",
    )
    private_landlord_name = serializers.CharField(
        max_length=255, required=False, allow_blank=True, help_text="Nom du bailleur privé (parc privé)."
    )
    organisation = OrganisationField(
        required=False,
        help_text="Organisation qui signale. Avec une clé d'API : celle de la clé (à omettre). Dans le navigateur : "
        "obligatoire si vous êtes membre de plusieurs organisations.",
    )
    # The lease, when known: the file opened from the report takes it (toit.eviction.lease).
    lease_signed_on = serializers.DateField(
        required=False, allow_null=True, help_text="Date de signature du bail (AAAA-MM-JJ). " + LEASE_SIGNED_ON_HELP
    )
    landlord_kind = serializers.ChoiceField(
        choices=LANDLORD_KINDS,
        required=False,
        allow_blank=True,
        error_messages=choice_error(LANDLORD_KINDS),
        help_text="Qui est le bailleur (vide : non renseigné). " + LANDLORD_KIND_HELP,
    )
    monthly_rent = serializers.DecimalField(
        max_digits=9,
        decimal_places=2,
        required=False,
        allow_null=True,
        help_text="Loyer mensuel charges comprises, en euros (« 450.00 »), positif ou nul. " + MONTHLY_RENT_HELP,
    )

    def validate(self, attrs):
        attrs = super().validate(attrs)
        # The domain's wording (the same as the pages'), as a 400 naming each field.
        if errors := lease_errors(
            today=timezone.localdate(),
            lease_signed_on=attrs.get("lease_signed_on"),
            landlord_kind=attrs.get("landlord_kind", ""),
            monthly_rent=attrs.get("monthly_rent"),
        ):
            raise serializers.ValidationError(errors)
        return attrs


class MatchSerializer(serializers.Serializer):
    """A file that may be the reported household's. Whatever the caller may see, only the
    reference, the opening organisation and date and the reasons are given (the caller
    learns nothing of the household beyond what it typed)."""

    reference = serializers.CharField(source="file.reference", help_text="Référence du dossier.")
    opened_on = serializers.DateField(source="file.opened_on", help_text="Date d'ouverture.")
    opened_by = OrganisationRefSerializer(source="file.opened_by", help_text="Organisation qui l'a ouvert.")
    reasons = serializers.ListField(child=serializers.CharField(), help_text="Pourquoi ce dossier est proposé.")
    same_person = serializers.BooleanField(help_text="Même nom, prénom et date de naissance.")
    same_address_and_landlord = serializers.BooleanField(help_text="Même adresse et même bailleur.")
    visible = serializers.BooleanField(
        help_text="Le dossier est visible par votre organisation (sinon, demandez au participant de le partager)."
    )
    url = serializers.SerializerMethodField(help_text="Adresse du dossier dans l'API, s'il est visible.")

    def get_url(self, candidate) -> str | None:
        if not candidate.visible:
            return None
        return absolute(self.context.get("request"), "api:file", candidate.file.reference)


class ReportSerializer(serializers.Serializer):
    id = serializers.IntegerField(help_text="Identifiant du signalement.")
    url = serializers.SerializerMethodField(help_text="Adresse du signalement dans l'API.")
    source = serializers.ChoiceField(choices=ReportSource.choices, help_text="Qui signale l'impayé.")
    reporting_organisation = OrganisationRefSerializer(help_text="Organisation qui signale.")
    reported_on = serializers.DateField(help_text="Date du signalement.")
    debt_amount = serializers.DecimalField(max_digits=10, decimal_places=2, help_text="Montant de la dette (€).")
    months_unpaid = serializers.IntegerField(allow_null=True, help_text="Nombre de mois d'impayés.")
    last_name = serializers.CharField(help_text="Nom, tel que signalé.")
    first_name = serializers.CharField(help_text="Prénom.")
    birth_name = serializers.CharField(help_text="Nom de naissance.")
    birth_date = serializers.DateField(allow_null=True, help_text="Date de naissance.")
    street = serializers.CharField(help_text="Adresse.")
    commune = CommuneRefSerializer(allow_null=True, help_text="Commune.")
    sector = serializers.CharField(help_text="Parc (vide s'il n'est pas indiqué).")
    social_landlord = OrganisationRefSerializer(allow_null=True, help_text="Bailleur social.")
    private_landlord_name = serializers.CharField(help_text="Bailleur privé.")
    lease_signed_on = serializers.DateField(allow_null=True, help_text="Date de signature du bail, si indiquée.")
    landlord_kind = serializers.ChoiceField(
        choices=LANDLORD_KINDS, help_text="Qui est le bailleur (vide : non renseigné)."
    )
    monthly_rent = serializers.DecimalField(
        max_digits=9, decimal_places=2, allow_null=True, help_text="Loyer mensuel charges comprises (€), si indiqué."
    )
    file = serializers.SerializerMethodField(
        help_text="Référence du dossier auquel il est rattaché, si votre organisation le suit ; sinon null."
    )
    status = serializers.SerializerMethodField(
        help_text="« a_rattacher », « rattache » (à un dossier que vous suivez) ou « transmis » (aux participants "
        "d'un dossier que vous ne suivez pas : rien de plus n'est dit)."
    )
    opened_file = serializers.BooleanField(help_text="Le signalement a donné lieu à l'ouverture du dossier.")
    matched_at = serializers.SerializerMethodField(help_text="Date du rattachement à un dossier que vous suivez.")
    created_at = serializers.DateTimeField(help_text="Date de la saisie.")

    def get_url(self, report) -> str:
        return absolute(self.context.get("request"), "api:report", report.pk)

    def get_matched_at(self, report) -> datetime.datetime | None:
        return report.matched_at if getattr(report, "file_readable", False) else None

    def get_file(self, report) -> str | None:
        return report.file.reference if report.file_id and getattr(report, "file_readable", False) else None

    def get_status(self, report) -> str:
        if report.file_id and getattr(report, "file_readable", False):
            return "rattache"
        if report.file_id or getattr(report, "has_transmission", False):
            return "transmis"
        return "a_rattacher"


class ReportWithMatchesSerializer(ReportSerializer):
    matches = MatchSerializer(
        many=True,
        source="candidates",
        help_text="Pour un signalement pas encore rattaché, vu par l'organisation qui signale : les dossiers qui "
        "peuvent être ceux du ménage (même personne, ou même adresse et même bailleur). Rattachez-le à l'un "
        "d'eux, ou ouvrez un dossier.",
    )


class AttachInputSerializer(InputSerializer):
    file = serializers.CharField(help_text="Référence du dossier, parmi ceux que propose « matches ».")


class OpenFileInputSerializer(InputSerializer):
    """What the report may lack to open a file: each field completes or replaces it."""

    street = serializers.CharField(max_length=255, required=False, help_text="Adresse (numéro et voie).")
    address_complement = serializers.CharField(
        max_length=255, required=False, allow_blank=True, help_text="Complément d'adresse."
    )
    commune = CommuneField(required=False)
    sector = serializers.ChoiceField(
        choices=SECTORS, required=False, error_messages=choice_error(SECTORS), help_text="Parc."
    )
    phone = serializers.CharField(max_length=30, required=False, allow_blank=True, help_text="Téléphone.")
    email = serializers.EmailField(required=False, allow_blank=True, help_text="Adresse électronique.")


class OpenedFileSerializer(serializers.Serializer):
    reference = serializers.CharField(help_text="Référence du dossier ouvert.")
    url = serializers.SerializerMethodField(help_text="Adresse du dossier dans l'API.")

    def get_url(self, file) -> str:
        return absolute(self.context.get("request"), "api:file", file.reference)


class ReportQuerySerializer(serializers.Serializer):
    matched = serializers.BooleanField(
        required=False, allow_null=True, default=None, help_text="true : rattachés à un dossier ; false : pas encore."
    )
    reported_from = serializers.DateField(required=False, help_text="Signalés ce jour ou après (AAAA-MM-JJ).")
    reported_to = serializers.DateField(required=False, help_text="Signalés ce jour ou avant (AAAA-MM-JJ).")
