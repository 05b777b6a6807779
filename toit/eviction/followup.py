"""Recording the follow-up of a household (fiches 1B, 1D, 1E). Each function checks that
the user may act for `organisation` on the file, validates, writes in one transaction and
returns the saved row; a form shows the ValidationError it may raise."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from toit.eviction import access
from toit.eviction.enums import EventKind
from toit.eviction.models import (
    ContactAttempt,
    FslDecision,
    HomeownerDifficulty,
    OverIndebtednessCase,
    RepaymentPayment,
    RepaymentPlan,
    SocialDiagnosis,
)
from toit.eviction.procedure import add_event, refresh_plan_state


def _not_future(instance, today, *fields):
    errors = {}
    for field in fields:
        value = getattr(instance, field)
        if value and value > today:
            label = instance._meta.get_field(field).verbose_name
            errors[field] = f"« {label} » ({value:%d/%m/%Y}) est dans le futur : enregistrez-le une fois survenu."
    if errors:
        raise ValidationError(errors)


def _save(instance, user, organisation, file, today, *date_fields):
    access.require_may_act(user, organisation, file)
    instance.full_clean()
    _not_future(instance, today or timezone.localdate(), *date_fields)
    instance.save()
    return instance


def record_contact_attempt(file, user, organisation, *, date, channel, outcome, note="", today=None):
    attempt = ContactAttempt(
        file=file, date=date, channel=channel, outcome=outcome, note=note, organisation=organisation, recorded_by=user
    )
    with transaction.atomic():
        return _save(attempt, user, organisation, file, today, "date")


def request_diagnosis(file, user, organisation, *, requested_on, today=None):
    """Ask for a diagnostic social et financier; adds the « diagnostic demandé » event."""
    diagnosis = SocialDiagnosis(file=file, requested_on=requested_on, requested_by=organisation, recorded_by=user)
    with transaction.atomic():
        _save(diagnosis, user, organisation, file, today, "requested_on")
        add_event(
            file, EventKind.DIAGNOSIS_REQUESTED, requested_on, user, organisation, diagnosis=diagnosis, today=today
        )
    return diagnosis


def record_diagnosis(diagnosis, user, organisation, *, done_on, complete, orientation="", today=None):
    """Record that the diagnosis was done (complete or not) and the orientation proposed;
    adds the « diagnostic réalisé » event that metrics and alerts read."""
    with transaction.atomic():
        diagnosis = SocialDiagnosis.objects.select_for_update().get(pk=diagnosis.pk)
        if diagnosis.done_on is not None:
            raise ValidationError(
                f"Ce diagnostic a déjà été réalisé le {diagnosis.done_on:%d/%m/%Y} : "
                "demandez-en un nouveau s'il faut le "
                "refaire."
            )
        diagnosis.done_on = done_on
        diagnosis.complete = complete
        diagnosis.orientation = orientation
        diagnosis.done_by = organisation
        _save(diagnosis, user, organisation, diagnosis.file, today, "done_on")
        add_event(
            diagnosis.file,
            EventKind.DIAGNOSIS_DONE,
            done_on,
            user,
            organisation,
            complete=complete,
            diagnosis=diagnosis,
            today=today,
        )
    return diagnosis


def set_up_repayment_plan(
    file, user, organisation, *, kind, debt_amount, start_date, instalment_amount, instalment_count, note=""
):
    plan = RepaymentPlan(
        file=file,
        kind=kind,
        debt_amount=debt_amount,
        start_date=start_date,
        instalment_amount=instalment_amount,
        instalment_count=instalment_count,
        note=note,
        organisation=organisation,
        created_by=user,
    )
    with transaction.atomic():
        access.require_may_act(user, organisation, file)
        plan.full_clean()
        plan.save()
        refresh_plan_state(plan)
    return plan


def record_payment(plan, user, organisation, *, date, amount, today=None):
    payment = RepaymentPayment(plan=plan, date=date, amount=amount, recorded_by=user)
    with transaction.atomic():
        _save(payment, user, organisation, plan.file, today, "date")
        refresh_plan_state(plan)
    return payment


def record_fsl_decision(
    file,
    user,
    organisation,
    *,
    fsl_organisation,
    purpose,
    result,
    decided_on,
    under_guarantee=False,
    aid_form="",
    amount=None,
    today=None,
):
    """Record a decision of the FSL, which joins the file."""
    decision = FslDecision(
        file=file,
        fsl_organisation=fsl_organisation,
        purpose=purpose,
        result=result,
        decided_on=decided_on,
        under_guarantee=under_guarantee,
        aid_form=aid_form,
        amount=amount,
        organisation=organisation,
        recorded_by=user,
    )
    with transaction.atomic():
        _save(decision, user, organisation, file, today, "decided_on")
        access.grant_for_fsl_decision(decision, user)
    return decision


_CASE_DATES = ("filed_on", "admissibility_on", "measures_on", "debt_cleared_on")


def record_overindebtedness_case(file, user, organisation, *, filed_on, today=None, **fields):
    """Record a dossier de surendettement (fields: admissibility_on, admissible,
    measures_on, measures, debt_cleared_on). When recorded by the Banque de France, it
    joins the file."""
    case = OverIndebtednessCase(file=file, filed_on=filed_on, organisation=organisation, recorded_by=user, **fields)
    with transaction.atomic():
        _save(case, user, organisation, file, today, *_CASE_DATES)
        access.grant_for_overindebtedness(case, user)
    return case


def update_overindebtedness_case(case, user, organisation, *, today=None, **fields):
    """Record the next steps of a case (recevabilité, mesures, effacement)."""
    allowed = {"admissibility_on", "admissible", "measures_on", "measures", "debt_cleared_on"}
    if unknown := set(fields) - allowed:
        raise TypeError(f"update_overindebtedness_case() : champ(s) inconnu(s) {', '.join(sorted(unknown))}")
    with transaction.atomic():
        case = OverIndebtednessCase.objects.select_for_update().get(pk=case.pk)
        for name, value in fields.items():
            setattr(case, name, value)
        return _save(case, user, organisation, case.file, today, *_CASE_DATES)


def record_homeowner_difficulty(
    file, user, organisation, *, source, reported_on, lender_name="", arrears_amount=None, note="", today=None
):
    difficulty = HomeownerDifficulty(
        file=file,
        source=source,
        reported_on=reported_on,
        lender_name=lender_name,
        arrears_amount=arrears_amount,
        note=note,
        organisation=organisation,
        recorded_by=user,
    )
    with transaction.atomic():
        return _save(difficulty, user, organisation, file, today, "reported_on")
