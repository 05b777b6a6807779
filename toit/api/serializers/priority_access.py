from rest_framework import serializers

from toit.api.serializers.common import (
    CommuneField,
    CommuneRefSerializer,
    NullableChoiceField,
    OrganisationRefSerializer,
)
from toit.priority_access.enums import (
    AllocationChannel,
    DaloDecision,
    DaloEndReason,
    LeaseOutcome,
    MousEndReason,
    PriorityGround,
    ProjectOutcome,
    ProjectPriority,
    ProposalOutcome,
)


class RecordQuerySerializer(serializers.Serializer):
    department = serializers.CharField(
        required=False, max_length=3, help_text="Code INSEE du département (ex. « 72 ») ; sans lui, tous."
    )
    commune = CommuneField(required=False, help_text="Code INSEE de la commune du ménage.")


class DaloQuerySerializer(RecordQuerySerializer):
    overdue = serializers.BooleanField(
        required=False,
        default=None,
        allow_null=True,
        help_text="true : les seuls recours dont le délai légal en cours (décision de la commission, ou relogement "
        "d'un ménage prioritaire) est dépassé aujourd'hui ; false : les autres.",
    )


class RecordSerializer(serializers.Serializer):
    """What every nominative record shares (toit.priority_access.models.base.PersonRecord)."""

    id = serializers.IntegerField(help_text="Numéro de la fiche dans Toit.")
    department = serializers.CharField(source="department.code", help_text="Code du département.")
    holder = OrganisationRefSerializer(help_text="Organisation qui détient le fichier d'où vient la fiche.")
    last_name = serializers.CharField(help_text="Nom d'usage (vide une fois la fiche anonymisée).")
    first_name = serializers.CharField(help_text="Prénom (vide une fois la fiche anonymisée).")
    birth_name = serializers.CharField(help_text="Nom de naissance.")
    birth_date = serializers.DateField(allow_null=True, help_text="Date de naissance.")
    commune = CommuneRefSerializer(allow_null=True, help_text="Commune du ménage.")
    household_size = serializers.IntegerField(allow_null=True, help_text="Taille du ménage.")
    anonymised_at = serializers.DateTimeField(
        allow_null=True, help_text="Date de l'anonymisation (durée de conservation écoulée), sinon null."
    )


class DemandSerializer(RecordSerializer):
    number = serializers.CharField(help_text="Numéro unique de la demande (remplacé à l'anonymisation).")
    filed_on = serializers.DateField()
    renewed_on = serializers.DateField(allow_null=True)
    monthly_resources = serializers.DecimalField(max_digits=9, decimal_places=2, allow_null=True)
    priority_grounds = serializers.ListField(
        child=serializers.ChoiceField(choices=PriorityGround.choices), help_text="Motifs de priorité."
    )
    allocated_on = serializers.DateField(allow_null=True)
    allocated_landlord = OrganisationRefSerializer(allow_null=True, help_text="Bailleur attributaire.")
    allocation_channel = NullableChoiceField(choices=AllocationChannel.choices, help_text="Filière d'attribution.")
    plai_dwelling = serializers.BooleanField()
    cancelled_on = serializers.DateField(allow_null=True, help_text="Radiée le.")


class DaloAppealSerializer(RecordSerializer):
    number = serializers.CharField(help_text="Numéro du recours (remplacé à l'anonymisation).")
    filed_on = serializers.DateField()
    decided_on = serializers.DateField(allow_null=True)
    decision = NullableChoiceField(choices=DaloDecision.choices, help_text="null : en attente de décision.")
    housing_offered_on = serializers.DateField(allow_null=True)
    rehoused_on = serializers.DateField(allow_null=True)
    ended_on = serializers.DateField(
        allow_null=True,
        help_text="Fin de l'obligation de relogement sans relogement par le recours (le recours est clos) ; null "
        "sinon.",
    )
    end_reason = NullableChoiceField(
        choices=DaloEndReason.choices, help_text="Motif de la fin sans relogement ; null sans fin."
    )
    commission_deadline = serializers.DateField(
        help_text="Dernier jour pour la décision de la commission de médiation (art. R. 441-15 du CCH), selon le "
        "délai en vigueur au dépôt et la taille de l'agglomération."
    )
    rehousing_deadline = serializers.DateField(
        allow_null=True,
        help_text="Pour un ménage reconnu prioritaire : dernier jour pour qu'un logement lui soit proposé (art. "
        "R. 441-16-1 du CCH) ; null sinon.",
    )
    overdue = serializers.BooleanField(
        help_text="Le délai en cours (décision attendue, ou relogement d'un prioritaire ni relogé ni sorti sans "
        "relogement) est dépassé aujourd'hui."
    )


class ContingentProposalSerializer(RecordSerializer):
    demand_number = serializers.CharField(help_text="Numéro unique de la demande (vide à l'anonymisation).")
    landlord = OrganisationRefSerializer(help_text="Bailleur.")
    proposed_on = serializers.DateField()
    outcome = serializers.ChoiceField(choices=ProposalOutcome.choices)
    allocated_on = serializers.DateField(allow_null=True)
    plai_dwelling = serializers.BooleanField()


class ProjectFollowupSerializer(RecordSerializer):
    taken_in_on = serializers.DateField()
    diagnosis_on = serializers.DateField(allow_null=True, help_text="Diagnostic « habitant habitat » le.")
    priority = serializers.ChoiceField(choices=ProjectPriority.choices)
    outcome = serializers.ChoiceField(choices=ProjectOutcome.choices)
    ended_on = serializers.DateField(allow_null=True)


class SlidingLeaseSerializer(RecordSerializer):
    landlord = OrganisationRefSerializer(help_text="Bailleur.")
    started_on = serializers.DateField(help_text="Début de la sous-location.")
    planned_glide_on = serializers.DateField()
    glided_on = serializers.DateField(allow_null=True)
    outcome = serializers.ChoiceField(choices=LeaseOutcome.choices)
    ended_on = serializers.DateField(allow_null=True)
    standard_contract = serializers.BooleanField(help_text="Contrat type commun utilisé.")


class MousFollowupSerializer(RecordSerializer):
    children = serializers.IntegerField(help_text="Enfants à charge.")
    mediated_on = serializers.DateField(help_text="Médiation engagée le.")
    rehoused_on = serializers.DateField(allow_null=True, help_text="Relogé dans le parc privé le.")
    ended_on = serializers.DateField(
        allow_null=True, help_text="Fin de la médiation sans relogement (le suivi est clos) ; null sinon."
    )
    end_reason = NullableChoiceField(
        choices=MousEndReason.choices, help_text="Motif de la fin sans relogement ; null sans fin."
    )
