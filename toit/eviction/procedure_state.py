"""A file's procedure state, derived from its events, as stored in PreventionFile's state
columns (last assignation, hearing, last réquisition, closed, last event recorded) and a repayment plan's
outcome columns (respected on, behind from, broken from).

Work queues and indicators read those indexed columns instead of computing « the last
event of this kind » per file at every request. They are written by
toit.eviction.procedure.refresh_procedure_state and refresh_plan_state only, which every
function that records or corrects an event or a payment calls; `manage.py
toit_procedure_state check` recomputes them from the events and reports any difference.

The functions here are pure (no database), so that the migration that fills the columns,
the command that checks them and the write path share one definition.
"""

import datetime
from dataclasses import asdict, dataclass
from decimal import Decimal

from toit.eviction.chronology import Act
from toit.eviction.enums import ASSISTANCE_DECISION_KINDS, CLOSING_KINDS, EventKind, Stage
from toit.eviction.timeline import state_of

HALF_CENT = Decimal("0.005")


@dataclass(frozen=True)
class ProcedureState:
    last_summons_on: datetime.date | None = None
    hearing_on: datetime.date | None = None  # of the last assignation
    # Since the last assignation: a judgment or the end of the procedure (no contact needed
    # any more), and a diagnostic réalisé, a judgment or the end (no diagnosis to chase).
    summons_answered: bool = False
    diagnosed_since_summons: bool = False
    last_requisition_on: datetime.date | None = None
    requisition_decided: bool = False  # the préfet decided, or the procedure ended, since
    closed_on: datetime.date | None = None  # the procedure is over (toit.eviction.timeline)
    stage: str = Stage.OPENED  # where the file stands (toit.eviction.timeline.state_of): search filter
    # When an event was last recorded (its created_at, not its date): the landing page's
    # recently active files, read from an index rather than from every recent event.
    last_event_at: datetime.datetime | None = None

    def as_columns(self):
        return asdict(self)


STATE_FIELDS = tuple(ProcedureState.__dataclass_fields__)


def procedure_state(events):
    """`events`: iterable of (pk, kind, date, hearing_date, judgment_outcome, created_at)."""
    events = sorted(events, key=lambda e: (e[2], e[0]))
    summons = next((e for e in reversed(events) if e[1] == EventKind.SUMMONS), None)
    requisition = next((e for e in reversed(events) if e[1] == EventKind.REQUISITION), None)

    def since(kinds, day):
        return any(e[1] in kinds and e[2] >= day for e in events)

    state = state_of([Act(kind=e[1], date=e[2], key=e[0], judgment_outcome=e[4] or "") for e in events])
    return ProcedureState(
        last_summons_on=summons[2] if summons else None,
        hearing_on=summons[3] if summons else None,
        summons_answered=bool(summons) and since({EventKind.JUDGMENT, *CLOSING_KINDS}, summons[2]),
        diagnosed_since_summons=bool(summons)
        and since({EventKind.DIAGNOSIS_DONE, EventKind.JUDGMENT, *CLOSING_KINDS}, summons[2]),
        last_requisition_on=requisition[2] if requisition else None,
        requisition_decided=bool(requisition) and since({*ASSISTANCE_DECISION_KINDS, *CLOSING_KINDS}, requisition[2]),
        closed_on=state.since if state.is_closed else None,
        stage=str(state.stage),
        last_event_at=max((e[5] for e in events), default=None),
    )


EVENT_COLUMNS = ("pk", "kind", "date", "hearing_date", "judgment_outcome", "created_at")


@dataclass(frozen=True)
class PlanOutcome:
    """When a plan was respected, and from when it is behind (one instalment unpaid) or
    broken (TOIT_REPAYMENT_MISSED_LIMIT unpaid) if nothing more is paid. Same rules as
    RepaymentPlanQuerySet.with_state, for the payments recorded so far (never in the
    future: toit.eviction.followup refuses them)."""

    respected_on: datetime.date | None = None
    behind_from: datetime.date | None = None
    broken_from: datetime.date | None = None

    def as_columns(self):
        return asdict(self)


PLAN_FIELDS = tuple(PlanOutcome.__dataclass_fields__)


def due_date(start, index):
    """Due date of instalment `index` (0-based): RepaymentPlan.due_date."""
    from toit.eviction.rules import add_months

    due = add_months(start, index)
    if due.day < start.day:
        due += datetime.timedelta(days=1)
    return due


def plan_outcome(debt, instalment, count, start, payments, limit):
    """`payments`: iterable of (date, amount)."""
    threshold = debt - HALF_CENT
    total, completed = Decimal(0), None
    for day in sorted({d for d, _ in payments}):
        total += sum((a for d, a in payments if d == day), Decimal(0))
        if total >= threshold:
            completed = day
            break
    paid = sum((a for _, a in payments), Decimal(0))

    def first_due_with(arrears):
        # The smallest n of instalments due with paid <= (n - arrears) × instalment (+ ½ cent):
        # from the due date of instalment n - 1 on, if the plan has that many.
        n = arrears
        while n * instalment < paid - HALF_CENT + arrears * instalment:
            n += 1
        n = max(n, 1)
        return due_date(start, n - 1) if n <= count else None

    return PlanOutcome(respected_on=completed, behind_from=first_due_with(1), broken_from=first_due_with(limit))


def _batches(model, size):
    last = 0
    while True:
        ids = list(model.objects.filter(pk__gt=last).order_by("pk").values_list("pk", flat=True)[:size])
        if not ids:
            return
        yield ids
        last = ids[-1]


def _grouped(rows):
    grouped = {}
    for owner, *rest in rows:
        grouped.setdefault(owner, []).append(tuple(rest))
    return grouped


def recompute(models, limit, fix=False, batch=2000):
    """Recompute every file's state and every plan's outcome from the events and payments,
    compare with the stored columns and, with `fix`, store what differs. `models` maps
    "file", "event", "plan", "payment" to model classes (the migration passes its
    historical ones). Returns the differences: [(model name, pk, field, stored, computed)]."""
    File, Event, Plan, Payment = models["file"], models["event"], models["plan"], models["payment"]
    differences = []

    def compare(model, ids, computed_by_pk, fields):
        # A migration's historical model may predate later columns: compare those it has.
        fields = [f for f in fields if any(field.name == f for field in model._meta.fields)]
        stored = {row[0]: row[1:] for row in model.objects.filter(pk__in=ids).values_list("pk", *fields)}
        changed = []
        for pk in ids:
            computed = computed_by_pk[pk].as_columns()
            for field, value in zip(fields, stored[pk], strict=True):
                if computed[field] != value:
                    differences.append((model._meta.model_name, pk, field, value, computed[field]))
            if any(computed[f] != v for f, v in zip(fields, stored[pk], strict=True)):
                changed.append(model(pk=pk, **{f: computed[f] for f in fields}))
        if fix and changed:
            model.objects.bulk_update(changed, fields, batch_size=500)

    for ids in _batches(File, batch):
        events = _grouped(Event.objects.filter(file__in=ids).values_list("file", *EVENT_COLUMNS))
        compare(File, ids, {pk: procedure_state(events.get(pk, [])) for pk in ids}, STATE_FIELDS)
    for ids in _batches(Plan, batch):
        payments = _grouped(Payment.objects.filter(plan__in=ids).values_list("plan", "date", "amount"))
        plans = Plan.objects.filter(pk__in=ids).values_list(
            "pk", "debt_amount", "instalment_amount", "instalment_count", "start_date"
        )
        computed = {
            pk: plan_outcome(debt, amount, count, start, payments.get(pk, []), limit)
            for pk, debt, amount, count, start in plans
        }
        compare(Plan, ids, computed, PLAN_FIELDS)
    return differences
