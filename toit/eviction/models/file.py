import datetime

from django.conf import settings
from django.db import models
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone
from simple_history.models import HistoricalRecords

from toit.eviction import access, rules
from toit.eviction.enums import BreakGlassMotive, ContactOutcome, LandlordKind, ParticipantReason, Stage
from toit.eviction.lease import LANDLORD_KIND_HELP, LEASE_SIGNED_ON_HELP, MONTHLY_RENT_HELP
from toit.eviction.models.household import household_department_id
from toit.eviction.references import new_reference

# The files that count: not cancelled (PreventionFile.cancelled_at). Queues, search, lists
# and indicators read only these; the file page and its history show a cancelled file too.
LIVE = Q(cancelled_at__isnull=True)


class PreventionFileQuerySet(models.QuerySet):
    def live(self):
        """Files not cancelled."""
        return self.filter(LIVE)

    def visible_to(self, user):
        """Files the user may read (see toit.eviction.access). Apply it BEFORE fetching."""
        return access.visible_files(self, user)

    def with_household(self):
        """What a list of files shows, in one query plus one for the members."""
        return self.select_related(
            "household__commune", "household__social_landlord", "household__private_landlord", "opened_by"
        ).prefetch_related("household__members")

    # Work queues. Each takes the user (and optionally one of their organisations, to see
    # only that organisation's files), applies visibility itself and fetches what a list
    # shows (household, commune, landlord, members) without one query per row.

    def _queue(self, user, organisation, organisation_ids=None):
        """Visible files; `organisation_ids` (the user's, resolved once by the page) spares
        PostgreSQL a subquery it misjudges (toit.eviction.access.visible_files)."""
        queryset = access.visible_files(self, user, organisation_ids).filter(LIVE)
        if organisation is not None:
            from toit.eviction.models import FileParticipant

            participation = FileParticipant.objects.filter(
                access.active_participation(), file=OuterRef("pk"), organisation=organisation
            )
            queryset = queryset.filter(Exists(participation))
        return queryset

    # The queues read the procedure state columns (toit.eviction.procedure_state), through
    # partial indexes: their cost follows the files listed, not the files visible.

    @staticmethod
    def _practices(code, today):
        from toit.plans.practices import practices_by_department

        return practices_by_department(code, today)

    def awaiting_contact(self, user, organisation=None, today=None, practices=None, organisation_ids=None):
        """Assignations with no contact established with the household since, no judgment
        and no outcome yet, older than the delay the département's plan declares as a local
        practice (contact_after_summons_days; none declared, no row). Oldest first."""
        from toit.eviction.models import ContactAttempt
        from toit.plans.practices import department_condition

        today = today or timezone.localdate()
        if practices is None:
            practices = self._practices("contact_after_summons_days", today)
        old_enough = department_condition(
            practices,
            lambda code, practice: Q(
                household__commune__department__code=code,
                last_summons_on__lte=today - datetime.timedelta(days=practice.days),
            ),
        )
        contact = ContactAttempt.objects.filter(
            file=OuterRef("pk"), outcome=ContactOutcome.ESTABLISHED, date__gte=OuterRef("last_summons_on")
        )
        return (
            self._queue(user, organisation, organisation_ids)
            .with_household()
            .filter(old_enough, summons_answered=False)
            .exclude(Exists(contact))
            .order_by("last_summons_on", "pk")
        )

    def hearings_without_diagnosis(self, user, organisation=None, today=None, practices=None, organisation_ids=None):
        """Hearings within the delay the département's plan declares as a local practice
        (diagnosis_before_hearing_days) with no diagnostic social et financier done since
        the assignation. Nearest hearing first."""
        from toit.plans.practices import department_condition

        today = today or timezone.localdate()
        if practices is None:
            practices = self._practices("diagnosis_before_hearing_days", today)
        soon = department_condition(
            practices,
            lambda code, practice: Q(
                household__commune__department__code=code,
                hearing_on__lte=today + datetime.timedelta(days=practice.days),
            ),
        )
        return (
            self._queue(user, organisation, organisation_ids)
            .with_household()
            .filter(soon, diagnosed_since_summons=False, hearing_on__gte=today)
            .order_by("hearing_on", "pk")
        )

    def requisitions_awaiting_decision(
        self, user, organisation=None, today=None, overdue_only=False, organisation_ids=None
    ):
        """Réquisitions of the force publique with no decision, eviction or outcome since.
        With overdue_only, those past the préfet's two months (implicit refusal)."""
        today = today or timezone.localdate()
        queryset = (
            self._queue(user, organisation, organisation_ids)
            .with_household()
            .filter(requisition_decided=False, last_requisition_on__isnull=False)
        )
        if overdue_only:
            queryset = queryset.filter(
                last_requisition_on__lte=rules.latest_start_expired_before(rules.prefect_decision_expiry, today)
            )
        return queryset.order_by("last_requisition_on", "pk")


class PreventionFile(models.Model):
    """A prevention file (dossier): one household, one lease. Its stage and deadlines are
    derived from its events (toit.eviction.timeline), never typed."""

    reference = models.CharField("référence", max_length=20, unique=True, editable=False)
    household = models.ForeignKey(
        "eviction.Household", verbose_name="ménage", on_delete=models.PROTECT, related_name="files"
    )
    lease_signed_on = models.DateField(
        "bail signé le",
        null=True,
        blank=True,
        help_text=LEASE_SIGNED_ON_HELP,
    )
    landlord_kind = models.CharField(
        "le bailleur est",
        max_length=20,
        choices=LandlordKind.choices,
        blank=True,
        default="",
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
    # The household's département, copied here so that the row-level security of the file
    # and of every table that goes through it (events, participants, plans…) compares a
    # column instead of going through the household and its commune
    # (toit.rowsecurity.policies). Set by save() when the file is created or moves to
    # another household, and by Household.save when the household's commune changes;
    # `toit_procedure_state check` checks it against the household.
    department = models.ForeignKey(
        "territory.Department",
        verbose_name="département du ménage",
        on_delete=models.PROTECT,
        related_name="+",
        editable=False,
        db_index=False,
    )
    opened_on = models.DateField("ouvert le", default=timezone.localdate)
    opened_by = models.ForeignKey(
        "organisations.Organisation", verbose_name="ouvert par", on_delete=models.PROTECT, related_name="+"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="créé par",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    anonymised_at = models.DateTimeField("anonymisé le", null=True, blank=True, editable=False)
    # A file opened by mistake (duplicate, wrong household) is cancelled, never deleted
    # (toit.eviction.corrections.cancel_file): it leaves the queues, the search and the
    # indicators, keeps its history and can be restored.
    cancelled_at = models.DateTimeField("annulé le", null=True, blank=True, editable=False)
    cancelled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="annulé par",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        editable=False,
    )
    cancellation_reason = models.TextField("motif de l'annulation", blank=True, editable=False)
    created_at = models.DateTimeField("créé le", auto_now_add=True)
    updated_at = models.DateTimeField("modifié le", auto_now=True)

    # Procedure state, derived from the events (toit.eviction.procedure_state) and written
    # only by toit.eviction.procedure.refresh_procedure_state, so that the work queues read
    # indexed columns. Not history: the events they come from have theirs.
    last_summons_on = models.DateField("dernière assignation le", null=True, blank=True, editable=False)
    hearing_on = models.DateField("audience le", null=True, blank=True, editable=False)
    summons_answered = models.BooleanField("jugement ou fin depuis l'assignation", default=False, editable=False)
    diagnosed_since_summons = models.BooleanField(
        "diagnostic, jugement ou fin depuis l'assignation", default=False, editable=False
    )
    last_requisition_on = models.DateField("dernière réquisition le", null=True, blank=True, editable=False)
    requisition_decided = models.BooleanField("décision ou fin depuis la réquisition", default=False, editable=False)
    closed_on = models.DateField("procédure terminée le", null=True, blank=True, editable=False)
    stage = models.CharField("étape", max_length=30, choices=Stage.choices, default=Stage.OPENED, editable=False)
    last_event_at = models.DateTimeField("dernier événement saisi le", null=True, blank=True, editable=False)

    objects = PreventionFileQuerySet.as_manager()

    history = HistoricalRecords(
        excluded_fields=[
            "last_summons_on",
            "hearing_on",
            "summons_answered",
            "diagnosed_since_summons",
            "last_requisition_on",
            "requisition_decided",
            "closed_on",
            "stage",
            "last_event_at",
        ]
    )

    class Meta:
        verbose_name = "dossier de prévention"
        verbose_name_plural = "dossiers de prévention"
        ordering = ["-opened_on", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(monthly_rent__isnull=True) | Q(monthly_rent__gte=0),
                name="file_rent_non_negative",
                violation_error_message="Le loyer ne peut pas être négatif.",
            ),
        ]
        # Partial: each holds only the files a work queue may list (toit.eviction.procedure_state).
        indexes = [
            models.Index(fields=["last_summons_on"], condition=Q(summons_answered=False), name="file_open_summons_idx"),
            models.Index(fields=["hearing_on"], condition=Q(diagnosed_since_summons=False), name="file_hearing_idx"),
            models.Index(
                fields=["last_requisition_on"], condition=Q(requisition_decided=False), name="file_requisition_idx"
            ),
            models.Index(fields=["closed_on"], name="file_closed_on_idx"),
            # The search's default order, walked (backward for the most recent) when a broad
            # name would otherwise read and sort thousands of files, and for the user's files
            # without a name (toit.www.eviction.search). Its condition, always true, keeps it
            # to the queries that state it (search.WALKABLE).
            models.Index(fields=["opened_on", "id"], name="file_opened_idx", condition=Q(id__gt=0)),
            # The landing page's recently active files, walked backward (toit.www.landing):
            # the most recent events of the instance may all be of files others see (105 000
            # read to find 200 of the CAF's at 1 000 000 households).
            models.Index(
                fields=["last_event_at", "id"], name="file_last_event_idx", condition=Q(last_event_at__isnull=False)
            ),
        ]

    def __str__(self):
        return self.reference or "Dossier (nouveau)"

    def save(self, *args, **kwargs):
        department_before = self.department_id
        if self.department_id is None or self.household_id != getattr(self, "_saved_household_id", None):
            self.department_id = household_department_id(self)
        if not self.reference:
            # A collision is about one in 10^11; the unique constraint is the backstop.
            self.reference = new_reference()
            while PreventionFile.objects.filter(reference=self.reference).exists():
                self.reference = new_reference()
        fields = kwargs.get("update_fields")
        opened_on_changed = (
            self.pk is not None
            and (fields is None or "opened_on" in fields)
            and self.opened_on != getattr(self, "_saved_opened_on", self.opened_on)
        )
        department_changed = self.pk is not None and self.department_id != department_before
        super().save(*args, **kwargs)
        self._saved_household_id = self.household_id
        self._saved_opened_on = self.opened_on
        if opened_on_changed:
            # The participations carry the date for the search's walk (FileParticipant.file_opened_on).
            self.participants.update(file_opened_on=self.opened_on)
        if department_changed:
            # And the département their row-level security compares (FileParticipant.department).
            self.participants.update(department_id=self.department_id)

    @classmethod
    def from_db(cls, db, field_names, values, *, fetch_mode=None):
        file = super().from_db(db, field_names, values, fetch_mode=fetch_mode)
        if "household_id" in file.__dict__:  # not deferred
            file._saved_household_id = file.household_id
        if "opened_on" in file.__dict__:
            file._saved_opened_on = file.opened_on
        return file


class FileParticipant(models.Model):
    """An organisation taking part in a file, and why. Visibility rests on this table only
    (toit.eviction.access)."""

    # No index of its own: participant_unique (file, organisation, reason) answers by file.
    # With one, PostgreSQL checked « does this organisation take part » by reading every
    # participation of the file (twice the work queue's read at 1 000 000 households).
    file = models.ForeignKey(
        PreventionFile, verbose_name="dossier", on_delete=models.CASCADE, related_name="participants", db_index=False
    )
    organisation = models.ForeignKey(
        "organisations.Organisation",
        verbose_name="organisation",
        on_delete=models.PROTECT,
        related_name="eviction_participations",
    )
    reason = models.CharField("motif", max_length=20, choices=ParticipantReason.choices)
    since = models.DateTimeField("depuis le", default=timezone.now)
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="ajouté par",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    # A participation that ends by itself (break-glass access): past this moment the
    # organisation no longer sees the file (toit.eviction.access).
    expires_at = models.DateTimeField("jusqu'au", null=True, blank=True)
    # Break glass only: the motive chosen from the list and the sentence stated, shown to
    # the file's participants (issue 10).
    motive = models.CharField("motif", max_length=30, choices=BreakGlassMotive.choices, blank=True)
    statement = models.TextField("motif déclaré", blank=True)
    # The file's opening date, copied so that a search walks one organisation's
    # participations in the files' order (participant_walk_idx, toit.www.eviction.search)
    # rather than every file of the instance, most of them others'. Set by save() from the
    # file, and by PreventionFile.save when the date changes; `toit_procedure_state check`
    # checks it against the file.
    file_opened_on = models.DateField("dossier ouvert le", editable=False)
    # The file's département, copied so that row-level security compares a column of the
    # participation (toit.rowsecurity.policies) rather than looking its file up, once per
    # participation read: the search's walk reads thousands (bench/eviction.py). Set by
    # save() from the file, by PreventionFile.save and Household.save when it changes;
    # `toit_procedure_state check` checks it against the file. No index: the policy only
    # filters rows read through the others.
    department = models.ForeignKey(
        "territory.Department",
        verbose_name="département",
        on_delete=models.PROTECT,
        related_name="+",
        editable=False,
        db_index=False,
    )

    # The copied columns are not history: the file's own history has their changes.
    history = HistoricalRecords(excluded_fields=["file_opened_on", "department"])

    class Meta:
        verbose_name = "participant au dossier"
        verbose_name_plural = "participants au dossier"
        ordering = ["file", "since"]
        constraints = [
            models.UniqueConstraint(fields=["file", "organisation", "reason"], name="participant_unique"),
            models.CheckConstraint(condition=Q(reason__in=ParticipantReason.values), name="participant_reason_valid"),
            models.CheckConstraint(
                condition=~Q(reason=ParticipantReason.BREAK_GLASS) | Q(expires_at__isnull=False),
                name="participant_break_glass_expires",
                violation_error_message="Un accès exceptionnel a toujours une date de fin.",
            ),
        ]
        indexes = [
            models.Index(fields=["organisation", "file"], name="participant_org_file_idx"),
            # One organisation's files by date, walked backward for the most recent. Not
            # partial on expires_at IS NULL: an active break-glass access shows its file in
            # the search too, and a walk must read it in the same pass.
            models.Index(fields=["organisation", "file_opened_on", "file"], name="participant_walk_idx"),
        ]

    def __str__(self):
        return f"{self.organisation} — {self.file} ({self.get_reason_display()})"

    def save(self, *args, **kwargs):
        if self.file_opened_on is None or self.department_id is None:
            self.file_opened_on, self.department_id = self.file.opened_on, self.file.department_id
            if (fields := kwargs.get("update_fields")) is not None:
                kwargs["update_fields"] = {*fields, "file_opened_on", "department"}
        super().save(*args, **kwargs)


class FileReferent(models.Model):
    """The named person who follows a file for one participating organisation: whom the file
    summary names and whom notifications go to (toit.notifications). An organisation
    without a référent is told through its responsables."""

    file = models.ForeignKey(PreventionFile, verbose_name="dossier", on_delete=models.CASCADE, related_name="referents")
    organisation = models.ForeignKey(
        "organisations.Organisation", verbose_name="organisation", on_delete=models.PROTECT, related_name="+"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="référent", on_delete=models.CASCADE, related_name="referent_of"
    )
    since = models.DateTimeField("depuis le", default=timezone.now)
    named_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="désigné par",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = "référent du dossier"
        verbose_name_plural = "référents du dossier"
        constraints = [models.UniqueConstraint(fields=["file", "organisation"], name="referent_one_per_organisation")]

    def __str__(self):
        return f"{self.user} ({self.organisation}) — {self.file}"
