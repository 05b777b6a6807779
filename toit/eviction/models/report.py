from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from simple_history.models import HistoricalRecords

from toit.eviction import access
from toit.eviction.enums import HousingSector, JoinDecision, LandlordKind, ReportSource, TransmissionStatus
from toit.eviction.lease import LANDLORD_KIND_HELP, LEASE_SIGNED_ON_HELP, MONTHLY_RENT_HELP
from toit.eviction.models.household import NOT_A_SOCIAL_LANDLORD
from toit.eviction.models.transmission import ReportTransmission
from toit.organisations.enums import OrganisationKind


class ReportQuerySet(models.QuerySet):
    def visible_to(self, user):
        return access.visible_reports(self, user)

    def unmatched(self):
        return self.filter(file__isnull=True)

    def transmitted(self):
        """Reports handed to the participants of a file their author does not see."""
        return self.filter(transmissions__isnull=False).distinct()

    def awaiting_match(self, user, organisation=None, organisation_ids=None):
        """Work queue: reports of the user's organisations not yet matched to a file nor
        waiting on another file's participants, oldest first. An unmatched report has no
        file to be read through: of the two ways a report is visible (access.visible_reports),
        only « made by one of the user's organisations » applies, as a plain filter on
        `organisation_ids` when the page resolved them (a subquery OR a participation made
        PostgreSQL hash every participant)."""
        pending = models.Exists(
            ReportTransmission.objects.filter(report=models.OuterRef("pk"), status=TransmissionStatus.PENDING)
        )
        if organisation_ids is None:
            queryset = self.visible_to(user).unmatched()
        else:
            queryset = self.unmatched().filter(reporting_organisation__in=organisation_ids)
        queryset = queryset.filter(~pending)
        if organisation is not None:
            queryset = queryset.filter(reporting_organisation=organisation)
        return queryset.select_related("reporting_organisation", "commune", "social_landlord").order_by(
            "reported_on", "pk"
        )


HISTORY_UNINDEXED = [
    "reporting_organisation",
    "commune",
    "social_landlord",
    "matched_by",
    "recorded_by",
    "join_decided_by",
]


class Report(models.Model):
    """A report (signalement) of unpaid rent, with the identity as the reporter wrote it.
    It joins a file once an agent has confirmed the match (toit.eviction.intake)."""

    source = models.CharField("source", max_length=20, choices=ReportSource.choices)
    # Reports come by the million from imports (toit.imports.sinks.reports_sql): each index
    # is paid on every one of them. No index on the organisation alone (report_org_date_idx
    # starts with it), nor on the users (only a user's deletion looks for their reports).
    # The foreign keys stay checked by the database, whatever writes the row.
    reporting_organisation = models.ForeignKey(
        "organisations.Organisation",
        verbose_name="organisation qui signale",
        on_delete=models.PROTECT,
        related_name="eviction_reports",
        db_index=False,
    )
    reported_on = models.DateField("date du signalement")
    debt_amount = models.DecimalField("montant de la dette (€)", max_digits=10, decimal_places=2)
    months_unpaid = models.PositiveSmallIntegerField("nombre de mois d'impayés", null=True, blank=True)

    # The reported identity, as typed: matching uses normalised keys computed from it.
    last_name = models.CharField("nom", max_length=150)
    first_name = models.CharField("prénom", max_length=150)
    birth_name = models.CharField("nom de naissance", max_length=150, blank=True)
    birth_date = models.DateField("date de naissance", null=True, blank=True)
    street = models.CharField("adresse (numéro et voie)", max_length=255, blank=True)
    commune = models.ForeignKey(
        "territory.Commune",
        verbose_name="commune",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    sector = models.CharField("parc", max_length=20, choices=HousingSector.choices, blank=True)
    social_landlord = models.ForeignKey(
        "organisations.Organisation",
        verbose_name="bailleur social",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        db_index=False,  # report_social_landlord_idx
        limit_choices_to={"kind": OrganisationKind.SOCIAL_LANDLORD},
        error_messages={"invalid": NOT_A_SOCIAL_LANDLORD},
    )
    private_landlord_name = models.CharField("bailleur privé (nom)", max_length=255, blank=True)
    # The lease, when the report says it: carried into the file opened from the report
    # (intake.open_file_from_report), where it chooses the delays and alerts
    # (toit.eviction.lease). A report attached to an existing file changes nothing there.
    lease_signed_on = models.DateField("bail signé le", null=True, blank=True, help_text=LEASE_SIGNED_ON_HELP)
    landlord_kind = models.CharField(
        "le bailleur est",
        max_length=20,
        choices=LandlordKind.choices,
        blank=True,
        default="",
        db_default="",
        help_text=LANDLORD_KIND_HELP,
    )
    monthly_rent = models.DecimalField(
        "loyer mensuel charges comprises (€)",
        max_digits=9,
        decimal_places=2,
        null=True,
        blank=True,
        help_text=MONTHLY_RENT_HELP,
    )

    file = models.ForeignKey(
        "eviction.PreventionFile",
        verbose_name="dossier",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="reports",
        db_index=False,  # report_file_idx
    )
    opened_file = models.BooleanField("a donné lieu à l'ouverture du dossier", default=False)
    matched_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="rattachement confirmé par",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        db_index=False,
    )
    matched_at = models.DateTimeField("rattaché le", null=True, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="saisi par",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        db_index=False,
    )
    # Whether the reporting organisation joined the file it was attached to by another
    # participant: a decision apart from the attachment, with its reason (intake.decide_join).
    join_decision = models.CharField(
        "participation de l'organisation qui signale", max_length=10, choices=JoinDecision.choices, blank=True
    )
    join_reason = models.TextField("motif de la décision de participation", blank=True)
    join_decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="participation décidée par",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        db_index=False,
    )
    join_decided_at = models.DateTimeField("participation décidée le", null=True, blank=True)
    is_synthetic = models.BooleanField("donnée synthétique (démonstration)", default=False)
    anonymised_at = models.DateTimeField("anonymisé le", null=True, blank=True, editable=False)
    created_at = models.DateTimeField("saisi le", auto_now_add=True)

    objects = ReportQuerySet.as_manager()

    # Its history is read by report (id), by file (the file's history, retention) and by
    # date: the other columns are not indexed there. Its user keeps the database's
    # foreign key, as the report's own columns do (docs/imports.md, issue 17).
    history = HistoricalRecords(no_db_index=HISTORY_UNINDEXED)

    class Meta:
        verbose_name = "signalement d'impayé"
        verbose_name_plural = "signalements d'impayés"
        ordering = ["-reported_on", "-pk"]
        indexes = [
            models.Index(fields=["reported_on"], name="report_date_idx"),
            models.Index(fields=["reporting_organisation", "reported_on"], name="report_org_date_idx"),
            # The « signalements à rattacher » queue, oldest first (awaiting_match): through
            # the index above, a CAF whose 275 000 reports are matched read them all to find
            # its 151 waiting ones (590 ms at 1 000 000 households, bench/eviction.py).
            models.Index(
                fields=["reporting_organisation", "reported_on", "id"],
                name="report_unmatched_idx",
                condition=Q(file__isnull=True),
            ),
            # Most imported reports have neither (they wait in the « signalements à
            # rattacher » queue, or come from a CAF): only the rows that do are indexed,
            # which is all that looking them up by file or landlord needs.
            models.Index(fields=["file"], name="report_file_idx", condition=Q(file__isnull=False)),
            models.Index(
                fields=["social_landlord"],
                name="report_social_landlord_idx",
                condition=Q(social_landlord__isnull=False),
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(file__isnull=True, matched_at__isnull=True, opened_file=False)
                | Q(file__isnull=False, matched_at__isnull=False),
                name="report_match_recorded",
                violation_error_message="Un signalement rattaché à un dossier indique quand il l'a été.",
            ),
            models.CheckConstraint(
                condition=Q(debt_amount__gte=0),
                name="report_debt_non_negative",
                violation_error_message="Le montant de la dette ne peut pas être négatif.",
            ),
            models.CheckConstraint(
                condition=Q(monthly_rent__isnull=True) | Q(monthly_rent__gte=0),
                name="report_rent_non_negative",
                violation_error_message="Le loyer ne peut pas être négatif.",
            ),
            models.CheckConstraint(
                condition=Q(social_landlord__isnull=True) | Q(private_landlord_name=""),
                name="report_one_landlord",
                violation_error_message="Indiquez un bailleur social ou un bailleur privé, pas les deux.",
            ),
        ]

    def __str__(self):
        return f"Signalement du {self.reported_on:%d/%m/%Y} ({self.get_source_display()})"

    def clean(self):
        errors = {}
        if self.social_landlord_id and self.private_landlord_name:
            errors["private_landlord_name"] = "Indiquez un bailleur social ou un bailleur privé, pas les deux."
        if errors:
            raise ValidationError(errors)

    @property
    def identity(self):
        from toit.eviction.matching import ReportIdentity

        return ReportIdentity.from_report(self)
