"""Repayment plans (plans d'apurement) and their payments. A plan's state is computed,
both in SQL (RepaymentPlanQuerySet.with_state) and in Python (RepaymentPlan.state_on),
from the same definition; tests check they agree.

- Instalment k (k = 0 … count - 1) falls due k months after the start, on the start's day
  of the month (at the start of the next month when that day does not exist).
- A plan is « respecté » from the day its payments reach the debt (completed_on).
- It is « rompu » when the arrears reach TOIT_REPAYMENT_MISSED_LIMIT instalments: paid
  ≤ (instalments due - limit) × instalment.
- Otherwise it is « en cours ».
"""

import datetime
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Case, DecimalField, Exists, ExpressionWrapper, F, OuterRef, Q, Subquery, Sum, Value, When
from django.db.models.functions import Coalesce, ExtractMonth, ExtractYear
from django.utils import timezone
from simple_history.models import HistoricalRecords

from toit.eviction import access
from toit.eviction.enums import RepaymentPlanKind, RepaymentState

# Amounts are in cents; SQLite computes decimals as floats, so comparisons allow half a cent.
HALF_CENT = Decimal("0.005")
ZERO = Decimal("0.00")


def missed_limit():
    return settings.TOIT_REPAYMENT_MISSED_LIMIT


def _money(expression):
    return ExpressionWrapper(expression, output_field=DecimalField(max_digits=14, decimal_places=2))


def _completion_date():
    """The first payment date on which the payments so far reach the debt."""
    running = (
        RepaymentPayment.objects.filter(plan=OuterRef("plan"), date__lte=OuterRef("date"))
        .values("plan")
        .annotate(total=Sum("amount"))
        .values("total")
    )
    completed = (
        RepaymentPayment.objects.filter(plan=OuterRef("pk"))
        .annotate(running=Subquery(running, output_field=DecimalField(max_digits=14, decimal_places=2)))
        .filter(running__gte=OuterRef("debt_amount") - Value(HALF_CENT))
        .order_by("date")
        .values("date")[:1]
    )
    return Subquery(completed, output_field=models.DateField())


def _paid_as_of(as_of):
    """What the plan's payments add up to on `as_of` (paid_on's twin)."""
    paid = (
        RepaymentPayment.objects.filter(plan=OuterRef("pk"), date__lte=as_of)
        .values("plan")
        .annotate(total=Sum("amount"))
        .values("total")
    )
    money = DecimalField(max_digits=14, decimal_places=2)
    return Coalesce(Subquery(paid, output_field=money), Value(ZERO), output_field=money)


class RepaymentPlanQuerySet(models.QuerySet):
    def with_completion_date(self):
        """Annotate completion_date: when the plan's payments reached the debt (« respecté »)."""
        return self.annotate(completion_date=_completion_date())

    def visible_to(self, user):
        return access.visible_through_file(self, user)

    def with_paid_as_of(self, as_of):
        """Annotate paid_as_of alone: a sum per row read, where prefetching the payments of
        a work queue's 25 plans built some 500 objects to add them up in Python."""
        return self.annotate(paid_as_of=_paid_as_of(as_of))

    def with_state(self, as_of=None):
        """Annotate paid_as_of, instalments_due_as_of, completion_date, state_as_of (a
        RepaymentState value) and behind_as_of (an instalment missed) as of `as_of`
        (today by default)."""
        as_of = as_of or timezone.localdate()
        limit = missed_limit()
        months = Value(as_of.year * 12 + as_of.month) - (ExtractYear("start_date") * 12 + ExtractMonth("start_date"))
        return (
            self.annotate(
                paid_as_of=_paid_as_of(as_of),
                completion_date=_completion_date(),
                _elapsed=months + Case(When(start_date__day__lte=as_of.day, then=Value(1)), default=Value(0)),
            )
            .annotate(
                instalments_due_as_of=Case(
                    When(_elapsed__lte=0, then=Value(0)),
                    When(_elapsed__gte=F("instalment_count"), then=F("instalment_count")),
                    default=F("_elapsed"),
                    output_field=models.IntegerField(),
                )
            )
            .annotate(
                state_as_of=Case(
                    When(completion_date__lte=as_of, then=Value(RepaymentState.RESPECTED.value)),
                    When(
                        paid_as_of__lte=_money(
                            (F("instalments_due_as_of") - limit) * F("instalment_amount") + HALF_CENT
                        ),
                        then=Value(RepaymentState.BROKEN.value),
                    ),
                    default=Value(RepaymentState.RUNNING.value),
                    output_field=models.CharField(),
                ),
                behind_as_of=Case(
                    When(
                        paid_as_of__lte=_money((F("instalments_due_as_of") - 1) * F("instalment_amount") + HALF_CENT),
                        then=Value(True),
                    ),
                    default=Value(False),
                    output_field=models.BooleanField(),
                ),
            )
        )

    def at_risk(self, user, organisation=None, today=None, organisation_ids=None):
        """Work queue: plans still running with at least one instalment unpaid (one more
        short of « rompu » when the limit is 2). Reads the outcome columns
        (toit.eviction.procedure_state.plan_outcome) through an index; what the rows shown
        have been paid is summed for them only (with_paid_as_of)."""
        today = today or timezone.localdate()
        queryset = access.visible_through_file(self, user, organisation_ids=organisation_ids).filter(
            file__cancelled_at__isnull=True
        )
        if organisation is not None:
            from toit.eviction.models import FileParticipant

            participation = FileParticipant.objects.filter(
                access.active_participation(), file=OuterRef("file"), organisation=organisation
            )
            queryset = queryset.filter(Exists(participation))
        return (
            queryset.filter(respected_on__isnull=True, behind_from__lte=today)
            .filter(Q(broken_from__isnull=True) | Q(broken_from__gt=today))
            .select_related("file__household__commune", "organisation")
            # The plan closest to being « rompu » first (see in_breaking_order).
            .order_by(F("broken_from").asc(nulls_last=True), "start_date", "pk")
        )

    def in_breaking_order(self, today=None):
        """at_risk's rows as two querysets whose rows, one after the other, are in its order,
        each read from an index in that order: the plans that break after today (through
        plan_running_idx), then those that never break, by start (plan_never_broken_idx).
        Read as one ORDER BY broken_from NULLS LAST, PostgreSQL goes through every plan
        broken before today first, ever more of them (bench/eviction.py)."""
        today = today or timezone.localdate()
        return [self.filter(broken_from__gt=today), self.filter(broken_from__isnull=True).order_by("start_date", "pk")]


class RepaymentPlan(models.Model):
    file = models.ForeignKey(
        "eviction.PreventionFile", verbose_name="dossier", on_delete=models.CASCADE, related_name="repayment_plans"
    )
    kind = models.CharField("type de plan", max_length=20, choices=RepaymentPlanKind.choices)
    debt_amount = models.DecimalField("dette à apurer (€)", max_digits=10, decimal_places=2)
    start_date = models.DateField("première échéance le")
    instalment_amount = models.DecimalField("montant d'une échéance (€)", max_digits=10, decimal_places=2)
    instalment_count = models.PositiveSmallIntegerField("nombre d'échéances")
    organisation = models.ForeignKey(
        "organisations.Organisation", verbose_name="mis en place par", on_delete=models.PROTECT, related_name="+"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="saisi par",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    note = models.TextField("observations", blank=True)
    created_at = models.DateTimeField("saisi le", auto_now_add=True)

    # Outcome, derived from the payments (toit.eviction.procedure_state.plan_outcome) and
    # written only by toit.eviction.procedure.refresh_plan_state: the « respecté » indicator
    # is a range count and the work queue an index scan. Not history: payments have theirs.
    respected_on = models.DateField("respecté le", null=True, blank=True, editable=False)
    behind_from = models.DateField("en retard à partir du", null=True, blank=True, editable=False)
    broken_from = models.DateField("rompu à partir du", null=True, blank=True, editable=False)

    objects = RepaymentPlanQuerySet.as_manager()

    history = HistoricalRecords(excluded_fields=["respected_on", "behind_from", "broken_from"])

    class Meta:
        verbose_name = "plan d'apurement"
        verbose_name_plural = "plans d'apurement"
        ordering = ["file", "start_date", "pk"]
        indexes = [
            models.Index(fields=["start_date", "kind"], name="plan_start_kind_idx"),
            models.Index(fields=["respected_on"], name="plan_respected_on_idx"),
            # Plans not respected, by the day they break: the work queue reads those after today.
            models.Index(fields=["broken_from"], condition=Q(respected_on__isnull=True), name="plan_running_idx"),
            # Plans not respected that never break (their arrears stay under the limit), by start.
            models.Index(
                fields=["start_date", "id"],
                condition=Q(respected_on__isnull=True, broken_from__isnull=True),
                name="plan_never_broken_idx",
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(debt_amount__gt=0),
                name="plan_debt_positive",
                violation_error_message="La dette à apurer est positive.",
            ),
            models.CheckConstraint(
                condition=Q(instalment_amount__gt=0),
                name="plan_instalment_positive",
                violation_error_message="Le montant d'une échéance est positif.",
            ),
            models.CheckConstraint(
                condition=Q(instalment_count__gte=1),
                name="plan_instalment_count_positive",
                violation_error_message="Un plan compte au moins une échéance.",
            ),
        ]

    def __str__(self):
        return f"Plan d'apurement de {self.debt_amount} € en {self.instalment_count} échéances"

    def clean(self):
        amount, count, debt = self.instalment_amount, self.instalment_count, self.debt_amount
        if amount and count and debt and amount * count < debt:
            raise ValidationError(
                {
                    "instalment_amount": (
                        f"{count} échéances de {amount} € ne couvrent pas la dette de {debt} € : "
                        "augmentez le montant ou le nombre d'échéances."
                    )
                }
            )

    # Python twin of RepaymentPlanQuerySet.with_state: keep both in step.

    def _payments(self):
        return sorted(self.payments.all(), key=lambda p: (p.date, p.pk or 0))

    def paid_on(self, as_of):
        return sum((p.amount for p in self._payments() if p.date <= as_of), ZERO)

    @property
    def completed_on(self):
        total = ZERO
        payments = self._payments()
        for index, payment in enumerate(payments):
            total += payment.amount
            same_day_follows = index + 1 < len(payments) and payments[index + 1].date == payment.date
            if total >= self.debt_amount and not same_day_follows:
                return payment.date
        return None

    def due_instalments(self, as_of):
        elapsed = (as_of.year * 12 + as_of.month) - (self.start_date.year * 12 + self.start_date.month)
        elapsed += 1 if self.start_date.day <= as_of.day else 0
        return max(0, min(self.instalment_count, elapsed))

    def missed_instalments(self, as_of=None):
        as_of = as_of or timezone.localdate()
        arrears = self.due_instalments(as_of) * self.instalment_amount - self.paid_on(as_of)
        return max(0, int(arrears // self.instalment_amount))

    def state_on(self, as_of):
        completed = self.completed_on
        if completed is not None and completed <= as_of:
            return RepaymentState.RESPECTED
        if self.missed_instalments(as_of) >= missed_limit():
            return RepaymentState.BROKEN
        return RepaymentState.RUNNING

    @property
    def state(self):
        return self.state_on(timezone.localdate())

    def set_state_as_of(self, as_of):
        """Set the attributes with_state annotates, from the payments read with the plan (a
        prefetch): for a page showing a file's few plans, whose payments it lists anyway,
        where compiling with_state's nested subqueries cost more than the page's other
        queries together (20 ms, for a query run in 0.2)."""
        state = self.state_on(as_of)
        self.paid_as_of = self.paid_on(as_of)
        self.instalments_due_as_of = self.due_instalments(as_of)
        self.completion_date = self.completed_on
        self.state_as_of = state.value
        self.behind_as_of = self.missed_instalments(as_of) >= 1
        return self

    def due_date(self, index):
        """Due date of instalment `index` (0-based), as the state computation reads it."""
        from toit.eviction.rules import add_months

        due = add_months(self.start_date, index)
        if due.day < self.start_date.day:
            due += datetime.timedelta(days=1)
        return due


class RepaymentPayment(models.Model):
    plan = models.ForeignKey(RepaymentPlan, verbose_name="plan", on_delete=models.CASCADE, related_name="payments")
    date = models.DateField("date du versement")
    amount = models.DecimalField("montant (€)", max_digits=10, decimal_places=2)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="saisi par",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField("saisi le", auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = "versement"
        ordering = ["plan", "date", "pk"]
        indexes = [models.Index(fields=["plan", "date"], name="payment_plan_date_idx")]
        constraints = [
            models.CheckConstraint(
                condition=Q(amount__gt=0),
                name="payment_amount_positive",
                violation_error_message="Un versement est positif.",
            ),
        ]

    def __str__(self):
        return f"{self.amount} € le {self.date:%d/%m/%Y}"
