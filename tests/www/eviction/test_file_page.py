"""The file page shows the household, the procedure derived from its events, the
follow-up and the participants, in a number of queries that does not grow with them."""

import datetime
from decimal import Decimal

from django.urls import reverse
from django.utils import timezone

from tests.eviction.factories import (
    EventFactory,
    RepaymentPaymentFactory,
    RepaymentPlanFactory,
    plan_with_local_practices,
    social_landlord,
)
from tests.organisations.factories import OrganisationFactory
from tests.www.eviction.conftest import D, fill_file, make_file
from toit.eviction import access
from toit.eviction.enums import EventKind, ParticipantReason


def page(client, file):
    response = client.get(reverse("eviction:file", args=[file.reference]))
    assert response.status_code == 200
    return response.text.replace("\u202f", " ").replace("\xa0", " ").replace("&#x27;", "'")


def test_household_timeline_and_follow_up(agent_client, dupont):
    text = page(agent_client, dupont)
    # Household, members, address, landlord.
    assert "DUPONT Sylvie (née MARTIN)" in text
    assert "Léo" in text and "Enfant" in text
    assert "Le Mans" in text and "SCI Les Tilleuls" in text
    # Derived stage and timeline in French.
    assert "Jugement rendu : délais de paiement (clause résolutoire suspendue)" in text
    for label in ("Impayé signalé", "Commandement de payer", "Assignation", "Jugement"):
        assert f"<td>{label}</td>" in text
    assert "Audience le 14/09/2010" in text and "pas encore notifiée au préfet" in text
    assert "Montant : 1 500,00 €." in text
    # Follow-up with computed state.
    assert "Téléphone" in text and "Contact établi" in text
    assert "en attente" in text  # the diagnosis requested, not yet done
    assert "Rompu" in text  # 2 payments of 6, all due long ago
    assert "Versé à ce jour : 200,00 €" in text
    assert "Subvention de 800,00 €" in text
    assert "01/07/2010" in text  # over-indebtedness filed
    assert "CAF (allocation de logement accession)" in text
    # Participants and why.
    assert "Ouverture du dossier" in text and "ADIL de la Sarthe" in text


def test_repayment_plans_say_where_they_stand_today(agent_client, org):
    today = timezone.localdate()
    file = make_file(org)
    start = (today.replace(day=1) - datetime.timedelta(days=40)).replace(day=1)  # 3 instalments due today
    behind = RepaymentPlanFactory(file=file, start_date=start, debt_amount=Decimal("600"), instalment_count=6)
    RepaymentPaymentFactory(plan=behind, date=start, amount=Decimal("200"))
    RepaymentPaymentFactory(plan=behind, date=today + datetime.timedelta(days=1), amount=Decimal("100"))  # not yet
    done = RepaymentPlanFactory(file=file, start_date=start, debt_amount=Decimal("150"), instalment_count=2)
    RepaymentPaymentFactory(plan=done, date=start, amount=Decimal("150"))
    text = page(agent_client, file)
    assert "En cours, échéance impayée" in text  # one instalment missed, not two
    assert "Versé à ce jour : 200,00 € ; échéances dues : 3 sur 6" in text
    assert "Respecté (dette soldée)" in text
    assert "Versé à ce jour : 150,00 € ; échéances dues : 2 sur 2" in text


def test_deadlines_and_alerts_of_a_current_procedure(agent_client, org):
    today = timezone.localdate()
    file = make_file(org)
    plan_with_local_practices(diagnosis_before_hearing_days=42)  # the département's local practice
    summons = today - datetime.timedelta(days=20)
    hearing = today + datetime.timedelta(days=30)
    EventFactory(file=file, kind=EventKind.SUMMONS, date=summons, hearing_date=hearing)
    text = page(agent_client, file)
    assert f"Audience (l'assignation du {summons:%d/%m/%Y})" in text
    assert f"{hearing:%d/%m/%Y}" in text
    assert "Notification au préfet de l'assignation" in text
    # Hearing within the local delay and no diagnosis: a DSFR warning; notice to the préfet overdue: an error.
    assert "fr-alert fr-alert--warning" in text and "diagnostic social et financier non réalisé" in text
    assert "fr-alert fr-alert--error" in text and "exposée à l'irrecevabilité" in text


def test_participants_say_why(agent_client, dupont):
    landlord = social_landlord()
    access.grant(dupont, landlord, ParticipantReason.SHARING)
    text = page(agent_client, dupont)
    assert "Bailleur SARTHE-HABITAT" in text and "Partage par un participant" in text


def test_query_count_does_not_grow_with_the_file(agent_client, org, django_assert_num_queries):
    small = make_file(org)
    big = fill_file(make_file(org, last_name="Martin"), org)
    for month in range(1, 10):
        EventFactory(file=big, kind=EventKind.CCAPEX, date=D(2011, month, 1))
    access.grant(big, OrganisationFactory(), ParticipantReason.SHARING)
    # Session and user (2, and 3 to save the session), roles, the user's organisations,
    # file, members, events, participants, contacts, diagnoses, cases, plans, payments, FSL decisions, homeowner
    # difficulties; last, the access-log entry. The summary reads the référents (one query),
    # the overview the CCAPEX thresholds in force (one query); whether the user may cancel
    # the file, their membership of the opening organisation (one query). The change history
    # is a page of its own (test_file_history), loaded when its section is scrolled to.
    with django_assert_num_queries(21):
        page(agent_client, big)
    with django_assert_num_queries(20):  # without plan nor commandement
        page(agent_client, small)
