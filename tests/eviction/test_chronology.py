import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from tests.eviction.factories import PreventionFileFactory, prefecture
from tests.organisations.factories import OrganisationFactory, member_of
from toit.eviction.chronology import Act, check_new_act, violations
from toit.eviction.enums import EventKind, JudgmentOutcome, ParticipantReason, SettlementMode
from toit.eviction.models import Event
from toit.eviction.procedure import add_event
from toit.organisations.enums import Role

D = datetime.date
TODAY = D(2012, 12, 31)


def act(kind, day, key=None, **fields):
    return Act(kind=kind, date=day, key=key or f"{kind}-{day}", **fields)


def summons(day, hearing=None, **fields):
    return act(EventKind.SUMMONS, day, hearing_date=hearing or day + datetime.timedelta(days=90), **fields)


def judgment(day, outcome=JudgmentOutcome.TERMINATION):
    return act(EventKind.JUDGMENT, day, judgment_outcome=outcome)


def messages(excinfo):
    return [m for ms in excinfo.value.message_dict.values() for m in ms]


class TestPureRules:
    def test_a_full_procedure_has_no_violation(self):
        acts = [
            act(EventKind.UNPAID_REPORTED, D(2009, 1, 5)),
            act(EventKind.ORDER_TO_PAY, D(2009, 2, 2)),
            summons(D(2009, 5, 4)),
            judgment(D(2009, 9, 7)),
            act(EventKind.ORDER_TO_LEAVE, D(2009, 10, 5)),
            act(EventKind.REQUISITION, D(2010, 1, 11)),
            act(EventKind.ASSISTANCE_REFUSED, D(2010, 2, 15)),
            act(EventKind.COMPENSATION, D(2010, 6, 1)),
            act(EventKind.RECOURSE, D(2010, 9, 1)),
        ]
        assert violations(acts) == []

    def test_assignation_without_commandement_de_payer_is_allowed(self):
        check_new_act([], summons(D(2010, 1, 4)), TODAY)

    def test_judgment_before_any_assignation_is_refused(self):
        with pytest.raises(ValidationError) as excinfo:
            check_new_act([], judgment(D(2010, 1, 4)), TODAY)
        (message,) = messages(excinfo)
        assert message.startswith("Le jugement du 04/01/2010 ne peut pas être enregistré")
        assert "assignation" in message

    def test_judgment_before_the_assignation_names_it(self):
        with pytest.raises(ValidationError) as excinfo:
            check_new_act([summons(D(2010, 3, 1))], judgment(D(2010, 1, 4)), TODAY)
        (message,) = messages(excinfo)
        assert "Le jugement du 04/01/2010 ne peut pas précéder l'assignation du 01/03/2010" in message

    def test_concours_before_any_commandement_de_quitter_is_refused(self):
        with pytest.raises(ValidationError) as excinfo:
            check_new_act(
                [summons(D(2010, 1, 4)), judgment(D(2010, 4, 1))],
                act(EventKind.ASSISTANCE_GRANTED, D(2010, 6, 1)),
                TODAY,
            )
        (message,) = messages(excinfo)
        assert "Le concours de la force publique accordé du 01/06/2010" in message
        assert "commandement de quitter les lieux" in message

    def test_concours_needs_a_requisition(self):
        acts = [summons(D(2010, 1, 4)), judgment(D(2010, 4, 1)), act(EventKind.ORDER_TO_LEAVE, D(2010, 5, 3))]
        with pytest.raises(ValidationError, match="réquisition"):
            check_new_act(acts, act(EventKind.ASSISTANCE_REFUSED, D(2010, 6, 1)), TODAY)

    def test_commandement_de_quitter_after_a_dismissal_is_refused(self):
        acts = [summons(D(2010, 1, 4)), judgment(D(2010, 4, 1), JudgmentOutcome.DISMISSED)]
        with pytest.raises(ValidationError) as excinfo:
            check_new_act(acts, act(EventKind.ORDER_TO_LEAVE, D(2010, 5, 3)), TODAY)
        assert "le jugement du 01/04/2010, qui a rejeté la demande du bailleur" in messages(excinfo)[0]

    @pytest.mark.parametrize(
        ("day", "refused"),
        [
            (D(2010, 10, 31), False),
            (D(2010, 11, 1), True),
            (D(2011, 3, 15), True),
            (D(2011, 3, 16), False),
        ],
    )
    def test_eviction_during_the_truce_is_refused(self, day, refused):
        acts = [summons(D(2009, 11, 2)), judgment(D(2010, 2, 1)), act(EventKind.ORDER_TO_LEAVE, D(2010, 3, 1))]
        new = act(EventKind.EVICTION, day)
        if refused:
            with pytest.raises(ValidationError, match="trêve hivernale"):
                check_new_act(acts, new, TODAY)
        else:
            check_new_act(acts, new, TODAY)

    @pytest.mark.parametrize("ground", ["relogement_assure", "voie_de_fait"])
    def test_eviction_during_the_truce_with_its_ground_is_accepted(self, ground):
        acts = [summons(D(2009, 11, 2)), judgment(D(2010, 2, 1)), act(EventKind.ORDER_TO_LEAVE, D(2010, 3, 1))]
        check_new_act(acts, act(EventKind.EVICTION, D(2010, 11, 1), truce_ground=ground), TODAY)
        with pytest.raises(ValidationError, match="relogement des intéressés est assuré") as excinfo:
            check_new_act(acts, act(EventKind.EVICTION, D(2010, 11, 1)), TODAY)
        assert "truce_ground" in excinfo.value.message_dict

    def test_a_truce_ground_outside_the_truce_is_refused(self):
        acts = [summons(D(2009, 11, 2)), judgment(D(2010, 2, 1)), act(EventKind.ORDER_TO_LEAVE, D(2010, 3, 1))]
        with pytest.raises(ValidationError, match="pas lieu pendant la trêve"):
            check_new_act(acts, act(EventKind.EVICTION, D(2010, 10, 31), truce_ground="voie_de_fait"), TODAY)

    @pytest.mark.parametrize(
        ("day", "refused"), [(D(2020, 6, 30), True), (D(2020, 7, 10), True), (D(2020, 7, 11), False)]
    )
    def test_eviction_in_the_2020_extended_truce_is_refused(self, day, refused):
        acts = [summons(D(2019, 6, 3)), judgment(D(2019, 9, 2)), act(EventKind.ORDER_TO_LEAVE, D(2019, 10, 1))]
        if refused:
            with pytest.raises(ValidationError, match="2020-546"):
                check_new_act(acts, act(EventKind.EVICTION, day), D(2021, 1, 1))
        else:
            check_new_act(acts, act(EventKind.EVICTION, day), D(2021, 1, 1))

    def test_eviction_within_two_months_of_the_commandement_de_quitter_is_refused(self):
        acts = [summons(D(2009, 11, 2)), judgment(D(2010, 2, 1)), act(EventKind.ORDER_TO_LEAVE, D(2010, 4, 15))]
        with pytest.raises(ValidationError) as excinfo:
            check_new_act(acts, act(EventKind.EVICTION, D(2010, 6, 15)), TODAY)
        (message,) = messages(excinfo)
        assert "le commandement de quitter les lieux du 15/04/2010" in message
        assert "à partir du 16/06/2010" in message
        check_new_act(acts, act(EventKind.EVICTION, D(2010, 6, 16)), TODAY)

    def test_compensation_needs_a_refusal_or_the_end_of_the_prefect_delay(self):
        acts = [
            summons(D(2009, 6, 1)),
            judgment(D(2009, 9, 1)),
            act(EventKind.ORDER_TO_LEAVE, D(2009, 10, 1)),
            act(EventKind.REQUISITION, D(2010, 4, 30)),
        ]
        with pytest.raises(ValidationError) as excinfo:
            check_new_act(acts, act(EventKind.COMPENSATION, D(2010, 6, 30)), TODAY)
        (message,) = messages(excinfo)
        assert "L'indemnisation du bailleur du 30/06/2010" in message
        assert "la réquisition du concours de la force publique du 30/04/2010" in message
        assert "court jusqu'au 30/06/2010" in message
        # The day after the préfet's two months, his silence is a refusal.
        check_new_act(acts, act(EventKind.COMPENSATION, D(2010, 7, 1)), TODAY)
        # An express refusal opens it at once.
        refused = [*acts, act(EventKind.ASSISTANCE_REFUSED, D(2010, 5, 20))]
        check_new_act(refused, act(EventKind.OCCUPATION_INDEMNITY, D(2010, 5, 21)), TODAY)

    def test_compensation_after_a_grant_is_refused(self):
        acts = [
            summons(D(2009, 6, 1)),
            judgment(D(2009, 9, 1)),
            act(EventKind.ORDER_TO_LEAVE, D(2009, 10, 1)),
            act(EventKind.REQUISITION, D(2010, 4, 30)),
            act(EventKind.ASSISTANCE_GRANTED, D(2010, 5, 10)),
        ]
        with pytest.raises(ValidationError, match="a répondu à la réquisition"):
            check_new_act(acts, act(EventKind.COMPENSATION, D(2010, 9, 1)), TODAY)

    def test_compensation_without_requisition_is_refused(self):
        with pytest.raises(ValidationError, match="aucun refus ni aucune réquisition"):
            check_new_act([], act(EventKind.COMPENSATION, D(2010, 9, 1)), TODAY)

    def test_a_date_in_the_future_is_refused(self):
        with pytest.raises(ValidationError) as excinfo:
            check_new_act([], act(EventKind.ORDER_TO_PAY, D(2013, 1, 1)), TODAY)
        assert "dans le futur" in excinfo.value.message_dict["date"][0]

    def test_an_earlier_event_that_breaks_a_later_one_is_refused(self):
        # A concours accordé inside the préfet's delay contradicts the recorded compensation.
        acts = [
            summons(D(2009, 6, 1)),
            judgment(D(2009, 9, 1)),
            act(EventKind.ORDER_TO_LEAVE, D(2009, 10, 1)),
            act(EventKind.REQUISITION, D(2010, 1, 4)),
            act(EventKind.COMPENSATION, D(2010, 6, 1)),
        ]
        assert violations(acts) == []
        with pytest.raises(ValidationError) as excinfo:
            check_new_act(acts, act(EventKind.ASSISTANCE_GRANTED, D(2010, 2, 1)), TODAY)
        (message,) = messages(excinfo)
        assert message.startswith("Enregistrer le concours de la force publique accordé du 01/02/2010 contredirait")
        assert "L'indemnisation du bailleur du 01/06/2010" in message

    def test_violations_already_in_the_file_do_not_block_unrelated_events(self):
        # Imported history may be inconsistent; it must not prevent recording the rest.
        acts = [judgment(D(2010, 1, 4))]
        assert len(violations(acts)) == 1
        check_new_act(acts, act(EventKind.DEBT_CLEARED, D(2010, 5, 1)), TODAY)


@pytest.fixture
def agent_and_file():
    organisation = OrganisationFactory(code="CG72")
    user = member_of(organisation)
    return user, organisation, PreventionFileFactory(opened_by=organisation)


class TestAddEvent:
    def test_records_the_event_with_its_author(self, agent_and_file):
        user, organisation, file = agent_and_file
        event = add_event(file, EventKind.ORDER_TO_PAY, D(2010, 2, 1), user, organisation, amount="950.00", today=TODAY)
        event.refresh_from_db()
        assert (event.kind, event.date, event.organisation, event.recorded_by) == (
            EventKind.ORDER_TO_PAY,
            D(2010, 2, 1),
            organisation,
            user,
        )
        assert str(event.amount) == "950.00"

    def test_refused_event_changes_nothing(self, agent_and_file):
        user, organisation, file = agent_and_file
        prefecture()
        with pytest.raises(ValidationError):
            add_event(
                file, EventKind.JUDGMENT, D(2010, 2, 1), user, organisation, judgment_outcome="resiliation", today=TODAY
            )
        assert not Event.objects.exists()
        assert not file.participants.filter(reason=ParticipantReason.PREFECTURE).exists()

    def test_an_eviction_in_the_truce_is_recorded_with_its_ground(self, agent_and_file):
        user, organisation, file = agent_and_file
        prefecture()
        add_event(file, EventKind.SUMMONS, D(2009, 6, 1), user, organisation, hearing_date=D(2009, 9, 1), today=TODAY)
        add_event(
            file, EventKind.JUDGMENT, D(2009, 9, 1), user, organisation, judgment_outcome="resiliation", today=TODAY
        )
        add_event(file, EventKind.ORDER_TO_LEAVE, D(2009, 9, 15), user, organisation, today=TODAY)
        with pytest.raises(ValidationError) as excinfo:
            add_event(file, EventKind.EVICTION, D(2010, 1, 12), user, organisation, today=TODAY)
        assert "truce_ground" in excinfo.value.message_dict
        event = add_event(
            file, EventKind.EVICTION, D(2010, 1, 12), user, organisation, truce_ground="relogement_assure", today=TODAY
        )
        event.refresh_from_db()
        assert event.truce_ground == "relogement_assure"
        # Only an eviction carries a ground.
        with pytest.raises(ValidationError) as excinfo:
            add_event(
                file,
                EventKind.REQUISITION,
                D(2010, 1, 13),
                user,
                organisation,
                truce_ground="voie_de_fait",
                today=TODAY,
            )
        assert "truce_ground" in excinfo.value.message_dict

    def test_missing_required_field_is_a_field_error(self, agent_and_file):
        user, organisation, file = agent_and_file
        with pytest.raises(ValidationError) as excinfo:
            add_event(file, EventKind.SUMMONS, D(2010, 2, 1), user, organisation, today=TODAY)
        assert "date d'audience" in excinfo.value.message_dict["hearing_date"][0]

    def test_field_of_another_kind_is_refused(self, agent_and_file):
        user, organisation, file = agent_and_file
        with pytest.raises(ValidationError) as excinfo:
            add_event(
                file, EventKind.ORDER_TO_PAY, D(2010, 2, 1), user, organisation, settlement_mode=SettlementMode.AMICABLE
            )
        assert "ne s'applique pas" in excinfo.value.message_dict["settlement_mode"][0]

    def test_unknown_keyword_is_a_programming_error(self, agent_and_file):
        user, organisation, file = agent_and_file
        with pytest.raises(TypeError):
            add_event(file, EventKind.ORDER_TO_PAY, D(2010, 2, 1), user, organisation, colour="red")

    def test_assignation_brings_in_the_prefecture(self, agent_and_file):
        user, organisation, file = agent_and_file
        office = prefecture()
        add_event(file, EventKind.ORDER_TO_PAY, D(2010, 2, 1), user, organisation, today=TODAY)
        assert not file.participants.filter(organisation=office).exists()
        add_event(file, EventKind.SUMMONS, D(2010, 5, 3), user, organisation, hearing_date=D(2010, 9, 6), today=TODAY)
        participant = file.participants.get(organisation=office)
        assert participant.reason == ParticipantReason.PREFECTURE

    def test_without_a_prefecture_organisation_the_event_is_still_recorded(self, agent_and_file):
        user, organisation, file = agent_and_file
        add_event(file, EventKind.SUMMONS, D(2010, 5, 3), user, organisation, hearing_date=D(2010, 9, 6), today=TODAY)
        assert list(file.participants.values_list("organisation", flat=True)) == [organisation.pk]

    def test_organisation_not_in_the_file_may_not_act(self, agent_and_file):
        _, _, file = agent_and_file
        outsider = OrganisationFactory()
        user = member_of(outsider)
        with pytest.raises(PermissionDenied, match="ne participe pas au dossier"):
            add_event(file, EventKind.ORDER_TO_PAY, D(2010, 2, 1), user, outsider)

    def test_user_must_act_for_one_of_their_organisations(self, agent_and_file):
        _, organisation, file = agent_and_file
        other = member_of(OrganisationFactory())
        with pytest.raises(PermissionDenied, match="Vous n'agissez pas au titre de"):
            add_event(file, EventKind.ORDER_TO_PAY, D(2010, 2, 1), other, organisation)

    def test_observatory_may_not_act(self, agent_and_file):
        _, organisation, file = agent_and_file
        observer = member_of(organisation, role=Role.OBSERVATORY)
        with pytest.raises(PermissionDenied):
            add_event(file, EventKind.ORDER_TO_PAY, D(2010, 2, 1), observer, organisation)
