"""The file page: household, procedure (stage, deadlines, alerts, timeline), follow-up and
participants, each read in one query whatever the number of rows; and the file's change
history, on a page of its own that the file page loads when its section is scrolled to."""

from django.db.models import Prefetch
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.vary import vary_on_headers

from toit.eviction import access
from toit.eviction.alerts import overview
from toit.eviction.enums import MemberRelationship, ParticipantReason, RepaymentState
from toit.eviction.history import file_history
from toit.eviction.models import PreventionFile, RepaymentPayment, RepaymentPlan
from toit.eviction.summary import file_summary
from toit.www.eviction.common import log_file_read, nominative_required, visible_file
from toit.www.eviction.search import reference_person


def _repayment_plans(file, today):
    plans = list(
        RepaymentPlan.objects.filter(file=file)
        .select_related("organisation")
        .prefetch_related(Prefetch("payments", queryset=RepaymentPayment.objects.order_by("date", "pk")))
        .order_by("start_date", "pk")
    )
    for plan in plans:
        plan.set_state_as_of(today)  # from the payments listed (with_state's Python twin)
        plan.state_label = RepaymentState(plan.state_as_of).label
    return plans


@nominative_required
def file_detail(request, reference):
    file = visible_file(request.user, reference, PreventionFile.objects.with_household())
    today = timezone.localdate()
    household = file.household
    diagnoses = list(file.diagnoses.select_related("requested_by", "done_by").order_by("requested_on", "pk"))
    cases = list(file.overindebtedness_cases.select_related("organisation").order_by("filed_on", "pk"))
    plans = _repayment_plans(file, today)
    participants = list(
        file.participants.filter(access.active_participation())
        .select_related("organisation", "added_by")
        .order_by("since", "pk")
    )
    overview_ = overview(file, today)
    context = {
        "summary": file_summary(file, overview_, participants, today),
        "file": file,
        "household": household,
        "members": sorted(household.members.all(), key=lambda m: m.relationship != MemberRelationship.REFERENCE),
        "reference_person": reference_person(household),
        "today": today,
        "overview": overview_,
        "participants": participants,
        "break_glass": [p for p in participants if p.reason == ParticipantReason.BREAK_GLASS],
        "contacts": file.contact_attempts.select_related("organisation", "recorded_by").order_by("date", "pk"),
        "diagnoses": diagnoses,
        "pending_diagnoses": any(d.done_on is None for d in diagnoses),
        "plans": plans,
        "fsl_decisions": file.fsl_decisions.select_related("fsl_organisation", "organisation").order_by(
            "decided_on", "pk"
        ),
        "cases": cases,
        "homeowner_difficulties": file.homeowner_difficulties.select_related("organisation").order_by(
            "reported_on", "pk"
        ),
        # The opening organisation's members may cancel a file opened by mistake: its
        # participation is in the list read above, the membership costs one query.
        "may_cancel_file": any(p.organisation_id == file.opened_by_id for p in participants)
        and access.nominative_memberships(request.user).filter(organisation=file.opened_by_id).exists(),
    }
    log_file_read(request, file)
    return render(request, "eviction/file.html", context)


@nominative_required
@vary_on_headers("HX-Request")  # the section alone, or the whole page
def file_history_page(request, reference):
    """Who created, changed or deleted what in the file. A page of its own: its thirteen
    history tables were a third of the file page's queries (bench/eviction.py), read on every
    opening for a section at the bottom. The file page asks for the section (htmx) when it is
    scrolled to; without JavaScript, its link leads here."""
    file = visible_file(request.user, reference)  # the history reads the household by its id
    history, history_total = file_history(file)
    context = {
        "file": file,
        "history": history,
        "history_total": history_total,
        "page_title": "Historique des modifications",
    }
    log_file_read(request, file)
    template = "eviction/_history.html" if request.htmx else "eviction/history.html"
    return render(request, template, context)
