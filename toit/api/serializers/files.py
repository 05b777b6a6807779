from django.urls import reverse
from rest_framework import serializers

from toit.api.serializers.common import (
    CommaListField,
    CommuneField,
    CommuneRefSerializer,
    InputSerializer,
    NullableChoiceField,
    OrganisationField,
    OrganisationRefSerializer,
    choice_error,
)
from toit.eviction.enums import (
    EventKind,
    HousingBenefit,
    HousingSector,
    JudgmentOutcome,
    LandlordKind,
    MemberRelationship,
    ParticipantReason,
    SettlementMode,
    Stage,
    TruceGround,
)

# Kinds a partner records as events. The diagnosis has its own follow-up (which keeps the
# diagnosis and its events in step), as on the web pages.
EVENT_KINDS = [k for k in EventKind if k not in (EventKind.DIAGNOSIS_REQUESTED, EventKind.DIAGNOSIS_DONE)]


def absolute(request, name, *args):
    url = reverse(name, args=args)
    return request.build_absolute_uri(url) if request is not None else url


class StageSerializer(serializers.Serializer):
    code = serializers.ChoiceField(
        choices=Stage.choices, source="stage", help_text="Étape de la procédure, déduite des événements du dossier."
    )
    label = serializers.CharField(help_text="L'étape en clair (avec la décision du jugement ou l'issue).")
    since = serializers.DateField(allow_null=True, help_text="Date de l'événement qui a fait entrer dans l'étape.")


class PersonSerializer(serializers.Serializer):
    last_name = serializers.CharField(help_text="Nom d'usage.")
    first_name = serializers.CharField(help_text="Prénom.")
    birth_name = serializers.CharField(help_text="Nom de naissance (vide s'il n'est pas connu).")
    birth_date = serializers.DateField(allow_null=True, help_text="Date de naissance.")


class MemberSerializer(PersonSerializer):
    relationship = serializers.ChoiceField(
        choices=MemberRelationship.choices, help_text="Lien avec la personne de référence."
    )


class FileSummarySerializer(serializers.Serializer):
    reference = serializers.CharField(help_text="Référence du dossier (ex. « PX-7K3M-Q9TD »).")
    url = serializers.SerializerMethodField(help_text="Adresse du dossier dans l'API.")
    opened_on = serializers.DateField(help_text="Date d'ouverture.")
    opened_by = OrganisationRefSerializer(help_text="Organisation qui a ouvert le dossier.")
    commune = CommuneRefSerializer(source="household.commune", help_text="Commune du logement.")
    sector = serializers.ChoiceField(choices=HousingSector.choices, source="household.sector", help_text="Parc.")
    stage = StageSerializer(source="state", help_text="Où en est la procédure.")
    reference_person = PersonSerializer(allow_null=True, help_text="Personne de référence du ménage.")

    def get_url(self, file) -> str:
        return absolute(self.context.get("request"), "api:file", file.reference)


class HouseholdSerializer(serializers.Serializer):
    street = serializers.CharField(help_text="Adresse (numéro et voie).")
    address_complement = serializers.CharField(help_text="Complément d'adresse.")
    commune = CommuneRefSerializer(help_text="Commune.")
    sector = serializers.ChoiceField(choices=HousingSector.choices, help_text="Parc.")
    social_landlord = OrganisationRefSerializer(allow_null=True, help_text="Bailleur social (parc social).")
    private_landlord = serializers.CharField(
        source="private_landlord.name", allow_null=True, default=None, help_text="Bailleur privé (parc privé)."
    )
    monthly_resources = serializers.DecimalField(
        max_digits=9, decimal_places=2, allow_null=True, help_text="Ressources mensuelles (€)."
    )
    housing_benefit = NullableChoiceField(
        choices=[c for c in HousingBenefit.choices if c[0]], help_text="Aide au logement ; null : aucune."
    )
    third_party_payment = serializers.BooleanField(help_text="Aide versée au bailleur (tiers payant).")
    third_party_payment_since = serializers.DateField(allow_null=True, help_text="Tiers payant depuis le.")
    phone = serializers.CharField(help_text="Téléphone.")
    email = serializers.CharField(help_text="Adresse électronique.")
    members = MemberSerializer(many=True, help_text="Membres du ménage.")


class ParticipantSerializer(serializers.Serializer):
    organisation = OrganisationRefSerializer(help_text="Organisation qui participe au dossier.")
    reason = serializers.ChoiceField(choices=ParticipantReason.choices, help_text="Pourquoi elle y participe.")
    since = serializers.DateTimeField(help_text="Depuis quand.")


class DeadlineSerializer(serializers.Serializer):
    code = serializers.CharField(help_text="Identifiant stable de l'échéance (ex. « hearing »).")
    label = serializers.CharField(help_text="L'échéance en clair.")
    date = serializers.DateField(help_text="Date de l'échéance.")
    source = serializers.CharField(help_text="Texte dont vient le délai.")


class EventSerializer(serializers.Serializer):
    id = serializers.IntegerField(help_text="Identifiant de l'événement.")
    kind = serializers.ChoiceField(choices=EventKind.choices, help_text="Type d'événement.")
    kind_label = serializers.CharField(source="get_kind_display", help_text="Le type en clair.")
    date = serializers.DateField(help_text="Date de l'acte ou de l'issue.")
    organisation = OrganisationRefSerializer(allow_null=True, help_text="Enregistré au titre de.")
    amount = serializers.DecimalField(max_digits=12, decimal_places=2, allow_null=True, help_text="Montant (€).")
    hearing_date = serializers.DateField(allow_null=True, help_text="Date d'audience (assignation).")
    prefect_notified_on = serializers.DateField(allow_null=True, help_text="Notifiée au préfet le (assignation).")
    judgment_outcome = NullableChoiceField(choices=JudgmentOutcome.choices, help_text="Décision (jugement).")
    complete = serializers.BooleanField(allow_null=True, help_text="Diagnostic complet (diagnostic réalisé).")
    settlement_mode = NullableChoiceField(
        choices=SettlementMode.choices, help_text="Règlement amiable ou contentieux (indemnisation)."
    )
    truce_ground = NullableChoiceField(
        choices=TruceGround.choices, help_text="Motif d'une expulsion exécutée pendant la trêve hivernale."
    )
    note = serializers.CharField(help_text="Observations.")
    recorded_at = serializers.DateTimeField(source="created_at", help_text="Date de la saisie.")


class FileDetailSerializer(FileSummarySerializer):
    lease_signed_on = serializers.DateField(allow_null=True, help_text="Date de signature du bail.")
    landlord_kind = serializers.ChoiceField(
        choices=LandlordKind.choices,
        help_text="Qui est le bailleur (vide : non renseigné) : une personne morale hors SCI familiale saisit la "
        "CCAPEX deux mois avant d'assigner.",
    )
    monthly_rent = serializers.DecimalField(
        max_digits=9, decimal_places=2, allow_null=True, help_text="Loyer mensuel charges comprises (€)."
    )
    household = HouseholdSerializer(help_text="Le ménage et son logement.")
    participants = ParticipantSerializer(many=True, source="participant_rows", help_text="Qui voit le dossier.")
    deadlines = DeadlineSerializer(many=True, help_text="Prochaines échéances, la plus proche d'abord.")
    events = EventSerializer(many=True, source="timeline", help_text="Chronologie, du plus ancien au plus récent.")
    cancelled_at = serializers.DateTimeField(
        allow_null=True,
        help_text="Annulé le : un dossier ouvert par erreur, que son organisation a annulé (il ne compte plus dans "
        "les listes ni les indicateurs et n'accepte plus d'événement tant qu'il n'est pas rétabli) ; null : actif.",
    )
    cancellation_reason = serializers.CharField(help_text="Motif de l'annulation ; vide pour un dossier actif.")


class EventInputSerializer(InputSerializer):
    kind = serializers.ChoiceField(
        choices=[(k.value, k.label) for k in EVENT_KINDS],
        error_messages=choice_error([(k.value, k.label) for k in EVENT_KINDS]),
        help_text="Type d'événement. Les diagnostics sociaux et financiers ne s'enregistrent pas ici.",
    )
    date = serializers.DateField(help_text="Date de l'acte ou de l'issue (AAAA-MM-JJ), passée ou du jour.")
    organisation = OrganisationField(
        required=False,
        help_text="Code de l'organisation au titre de laquelle l'événement est enregistré. Avec une clé d'API : "
        "l'organisation de la clé (à omettre). Dans le navigateur : obligatoire si vous agissez pour plusieurs "
        "organisations participant au dossier.",
    )
    amount = serializers.DecimalField(
        max_digits=12,
        decimal_places=2,
        required=False,
        allow_null=True,
        help_text="Montant en euros (« 1200.50 ») : dette, indemnité… Obligatoire pour une indemnisation ou une "
        "indemnité d'occupation.",
    )
    hearing_date = serializers.DateField(
        required=False, allow_null=True, help_text="Date d'audience : obligatoire pour une assignation, seulement."
    )
    prefect_notified_on = serializers.DateField(
        required=False, allow_null=True, help_text="Date de notification au préfet, pour une assignation."
    )
    judgment_outcome = serializers.ChoiceField(
        choices=JudgmentOutcome.choices,
        required=False,
        error_messages=choice_error(JudgmentOutcome.choices),
        help_text="Décision : obligatoire pour un jugement, seulement.",
    )
    settlement_mode = serializers.ChoiceField(
        choices=SettlementMode.choices,
        required=False,
        error_messages=choice_error(SettlementMode.choices),
        help_text="Amiable ou contentieuse : obligatoire pour une indemnisation, seulement.",
    )
    truce_ground = serializers.ChoiceField(
        choices=TruceGround.choices,
        required=False,
        error_messages=choice_error(TruceGround.choices),
        help_text="Pour une expulsion exécutée pendant la trêve hivernale, seulement : relogement assuré ou "
        "occupants entrés par voie de fait.",
    )
    note = serializers.CharField(required=False, allow_blank=True, max_length=5000, help_text="Observations.")


class FileQuerySerializer(serializers.Serializer):
    """Filters of the file list."""

    stage = CommaListField(
        child=serializers.ChoiceField(choices=Stage.choices, error_messages=choice_error(Stage.choices)),
        required=False,
        help_text="Étape(s) de la procédure, répétée ou séparées par des virgules (ex. « assignation,jugement »).",
    )
    commune = CommuneField(required=False)
    opened_from = serializers.DateField(required=False, help_text="Dossiers ouverts ce jour ou après (AAAA-MM-JJ).")
    opened_to = serializers.DateField(required=False, help_text="Dossiers ouverts ce jour ou avant (AAAA-MM-JJ).")

    def validate(self, attrs):
        start, end = attrs.get("opened_from"), attrs.get("opened_to")
        if start and end and end < start:
            raise serializers.ValidationError(
                {"opened_to": f"La fin ({end:%d/%m/%Y}) précède le début ({start:%d/%m/%Y}) : inversez-les."}
            )
        return attrs
