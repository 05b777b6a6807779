"""A DALO appeal or a MOUS follow-up closed without a rehousing: its dated end and reason,
checked by the database with French messages, kept in the history, and no longer pending
from its end date on."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from tests.priority_access.factories import DaloAppealFactory, MousFollowupFactory
from toit.priority_access.enums import DaloDecision, DaloEndReason, MousEndReason
from toit.priority_access.models import DaloAppeal, MousFollowup

D = datetime.date
DECIDED = D(2009, 4, 15)  # DaloAppealFactory(priority=True)
MEDIATED = D(2009, 5, 1)  # MousFollowupFactory

DALO_MESSAGES = {
    "dalo_end_complete": "Une fin de l'obligation sans relogement a une date et un motif : indiquez les deux, "
    "ou aucun.",
    "dalo_end_after_priority_decision": "La fin de l'obligation de relogement suit une décision « prioritaire et "
    "urgent » : elle ne peut exister sans cette décision ni la précéder.",
    "dalo_rehoused_or_ended": "Un ménage relogé n'a pas de fin d'obligation sans relogement : effacez la date de "
    "relogement ou celle de la fin.",
}
MOUS_MESSAGES = {
    "mous_end_complete": "Une fin de la médiation sans relogement a une date et un motif : indiquez les deux, "
    "ou aucun.",
    "mous_ended_after_mediation": "La fin de la médiation précède son début : corrigez l'une des deux dates.",
    "mous_rehoused_or_ended": "Un ménage relogé n'a pas de fin de médiation sans relogement : effacez la date de "
    "relogement ou celle de la fin.",
}

BAD_DALO = {
    "date without reason": ("dalo_end_complete", {"ended_on": D(2010, 1, 1)}),
    "reason without date": ("dalo_end_complete", {"end_reason": DaloEndReason.WITHDRAWN}),
    "before the decision": (
        "dalo_end_after_priority_decision",
        {"ended_on": D(2009, 4, 14), "end_reason": DaloEndReason.REFUSED_OFFER},
    ),
    "rejected appeal": (
        "dalo_end_after_priority_decision",
        {
            "decision": DaloDecision.REJECTED,
            "ended_on": D(2010, 1, 1),
            "end_reason": DaloEndReason.REFUSED_OFFER,
        },
    ),
    "rehoused and ended": (
        "dalo_rehoused_or_ended",
        {"rehoused_on": D(2009, 9, 1), "ended_on": D(2010, 1, 1), "end_reason": DaloEndReason.LEFT},
    ),
}
BAD_MOUS = {
    "date without reason": ("mous_end_complete", {"ended_on": D(2010, 1, 1)}),
    "reason without date": ("mous_end_complete", {"end_reason": MousEndReason.GAVE_UP}),
    "before the mediation": (
        "mous_ended_after_mediation",
        {"ended_on": D(2009, 4, 30), "end_reason": MousEndReason.LOST_CONTACT},
    ),
    "rehoused and ended": (
        "mous_rehoused_or_ended",
        {"rehoused_on": D(2009, 9, 1), "ended_on": D(2010, 1, 1), "end_reason": MousEndReason.GAVE_UP},
    ),
}


def _errors(record):
    with pytest.raises(ValidationError) as caught:
        record.full_clean()
    return caught.value.messages


@pytest.mark.django_db
@pytest.mark.parametrize("case", BAD_DALO)
def test_a_dalo_end_is_checked_with_a_french_message(case):
    name, fields = BAD_DALO[case]
    appeal = DaloAppealFactory(priority=True)
    for key, value in fields.items():
        setattr(appeal, key, value)
    assert DALO_MESSAGES[name] in _errors(appeal)
    # The database refuses it too, whatever writes the row.
    with pytest.raises(IntegrityError, match=name), transaction.atomic():
        DaloAppeal.objects.filter(pk=appeal.pk).update(**fields)


@pytest.mark.django_db
@pytest.mark.parametrize("case", BAD_MOUS)
def test_a_mous_end_is_checked_with_a_french_message(case):
    name, fields = BAD_MOUS[case]
    followup = MousFollowupFactory()
    for key, value in fields.items():
        setattr(followup, key, value)
    assert MOUS_MESSAGES[name] in _errors(followup)
    with pytest.raises(IntegrityError, match=name), transaction.atomic():
        MousFollowup.objects.filter(pk=followup.pk).update(**fields)


@pytest.mark.django_db
def test_an_unknown_reason_is_refused_by_the_form_check_and_the_database():
    appeal = DaloAppealFactory(priority=True)
    appeal.ended_on, appeal.end_reason = D(2010, 1, 1), "demenage"
    with pytest.raises(ValidationError) as caught:
        appeal.full_clean()
    assert "n’est pas un choix valide" in str(caught.value.message_dict["end_reason"])
    with pytest.raises(IntegrityError, match="dalo_end_complete"), transaction.atomic():
        DaloAppeal.objects.filter(pk=appeal.pk).update(ended_on=D(2010, 1, 1), end_reason="demenage")
    with pytest.raises(IntegrityError, match="mous_end_complete"), transaction.atomic():
        MousFollowup.objects.filter(pk=MousFollowupFactory().pk).update(ended_on=D(2010, 1, 1), end_reason="x")


@pytest.mark.django_db
def test_an_end_on_the_day_of_the_decision_or_the_mediation_is_accepted():
    appeal = DaloAppealFactory(priority=True, ended_on=DECIDED, end_reason=DaloEndReason.REFUSED_OFFER)
    appeal.full_clean()
    followup = MousFollowupFactory(ended_on=MEDIATED, end_reason=MousEndReason.OTHER_SOLUTION)
    followup.full_clean()


@pytest.mark.django_db
def test_the_end_and_its_correction_are_in_the_history():
    appeal = DaloAppealFactory(priority=True)
    appeal.ended_on, appeal.end_reason = D(2010, 3, 1), DaloEndReason.UNREACHABLE
    appeal.save()
    appeal.ended_on, appeal.end_reason = D(2010, 2, 1), DaloEndReason.LEFT
    appeal._change_reason = "Date du départ confirmée par la CAF"
    appeal.save()
    rows = list(appeal.history.order_by("history_id").values_list("ended_on", "end_reason", "history_change_reason"))
    assert rows == [
        (None, "", None),
        (D(2010, 3, 1), DaloEndReason.UNREACHABLE, None),
        (D(2010, 2, 1), DaloEndReason.LEFT, "Date du départ confirmée par la CAF"),
    ]
    followup = MousFollowupFactory()
    followup.ended_on, followup.end_reason = D(2010, 1, 1), MousEndReason.GAVE_UP
    followup.save()
    assert followup.history.latest().end_reason == MousEndReason.GAVE_UP


@pytest.mark.django_db
def test_an_ended_appeal_is_pending_until_the_day_before_its_end():
    ended = DaloAppealFactory(priority=True, ended_on=D(2010, 2, 1), end_reason=DaloEndReason.WITHDRAWN)
    rehoused = DaloAppealFactory(priority=True, rehoused_on=D(2010, 2, 1))
    running = DaloAppealFactory(priority=True)
    pending = DaloAppeal.objects.priority().not_rehoused_on
    assert set(pending(D(2010, 1, 31))) == {ended, rehoused, running}
    assert set(pending(D(2010, 2, 1))) == {running}
    assert set(pending(D(2012, 1, 1))) == {running}
