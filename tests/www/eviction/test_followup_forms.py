"""Follow-up records and sharing, each through its form and domain function: a valid form
writes and comes back to the file, an invalid one says why in French and writes nothing."""

from decimal import Decimal

import pytest
from django.urls import reverse

from tests.eviction.factories import OverIndebtednessCaseFactory, RepaymentPlanFactory
from tests.organisations.factories import OrganisationFactory, member_of
from tests.www.eviction.conftest import D, make_file
from toit.eviction.enums import EventKind, ParticipantReason
from toit.eviction.models import (
    ContactAttempt,
    Event,
    FileParticipant,
    FslDecision,
    HomeownerDifficulty,
    OverIndebtednessCase,
    RepaymentPayment,
    RepaymentPlan,
    SocialDiagnosis,
)
from toit.organisations.enums import OrganisationKind


@pytest.fixture
def file(org):
    return make_file(org)


def post(client, file, action, **data):
    return client.post(reverse("eviction:followup", args=[file.reference, action]), data)


def text_of(response):
    return response.text.replace("&#x27;", "'").replace("\u202f", " ").replace("\xa0", " ")


def assert_recorded(client, response, file, anchor, message):
    assert response.status_code == 302, text_of(response)[-3000:]
    assert response.url == reverse("eviction:file", args=[file.reference]) + f"#{anchor}"
    assert message in text_of(client.get(response.url))


def test_contact(agent_client, agent, org, file):
    response = post(
        agent_client,
        file,
        "contact",
        date="2010-06-01",
        channel="telephone",
        outcome="sans_reponse",
        organisation=org.pk,
    )
    assert_recorded(agent_client, response, file, "contacts", "Tentative de contact du 01/06/2010 enregistrée.")
    contact = ContactAttempt.objects.get()
    assert (contact.file, contact.recorded_by, contact.organisation, contact.outcome) == (
        file,
        agent,
        org,
        "sans_reponse",
    )


def test_contact_in_the_future_is_refused(agent_client, org, file):
    response = post(
        agent_client, file, "contact", date="2999-01-01", channel="telephone", outcome="refus", organisation=org.pk
    )
    assert response.status_code == 422
    assert "« date » (01/01/2999) est dans le futur : enregistrez-le une fois survenu." in text_of(response)
    assert not ContactAttempt.objects.exists()


def test_missing_fields_are_named(agent_client, org, file):
    response = post(agent_client, file, "contact", organisation=org.pk)
    assert response.status_code == 422
    assert text_of(response).count("Ce champ est obligatoire.") == 3
    assert not ContactAttempt.objects.exists()


def test_diagnosis_requested_then_done(agent_client, org, file):
    response = post(agent_client, file, "diagnostic-demande", requested_on="2010-06-01", organisation=org.pk)
    assert_recorded(agent_client, response, file, "diagnostics", "Diagnostic demandé le 01/06/2010 enregistré.")
    diagnosis = SocialDiagnosis.objects.get()
    assert Event.objects.get().kind == EventKind.DIAGNOSIS_REQUESTED
    # Done before it was requested: refused, nothing written.
    response = post(
        agent_client,
        file,
        "diagnostic-realise",
        diagnosis=diagnosis.pk,
        done_on="2010-05-01",
        complete="oui",
        organisation=org.pk,
    )
    assert response.status_code == 422
    assert "Un diagnostic ne peut pas être réalisé avant d'avoir été demandé." in text_of(response)
    assert Event.objects.count() == 1
    response = post(
        agent_client,
        file,
        "diagnostic-realise",
        diagnosis=diagnosis.pk,
        done_on="2010-06-20",
        complete="non",
        orientation="FSL maintien",
        organisation=org.pk,
    )
    assert_recorded(agent_client, response, file, "diagnostics", "Diagnostic réalisé le 20/06/2010 enregistré.")
    diagnosis.refresh_from_db()
    assert (diagnosis.done_on, diagnosis.complete, diagnosis.orientation) == (D(2010, 6, 20), False, "FSL maintien")
    assert Event.objects.filter(kind=EventKind.DIAGNOSIS_DONE, complete=False).exists()


def test_diagnosis_of_another_file_cannot_be_chosen(agent_client, org, file):
    other = make_file(org)
    foreign = SocialDiagnosis.objects.create(file=other, requested_on=D(2010, 1, 1), requested_by=org)
    response = post(
        agent_client,
        file,
        "diagnostic-realise",
        diagnosis=foreign.pk,
        done_on="2010-06-20",
        complete="oui",
        organisation=org.pk,
    )
    assert response.status_code == 422
    foreign.refresh_from_db()
    assert foreign.done_on is None


def test_repayment_plan_and_payment(agent_client, org, file):
    plan = {"kind": "amiable", "start_date": "2010-07-05", "instalment_amount": "100", "instalment_count": "6"}
    short = post(agent_client, file, "plan-apurement", debt_amount="1000", organisation=org.pk, **plan)
    assert short.status_code == 422
    assert "6 échéances de 100" in text_of(short) and "ne couvrent pas la dette de 1000" in text_of(short)
    assert not RepaymentPlan.objects.exists()
    response = post(agent_client, file, "plan-apurement", debt_amount="600", organisation=org.pk, **plan)
    assert_recorded(agent_client, response, file, "plans", "Plan d'apurement à partir du 05/07/2010 enregistré.")
    plan = RepaymentPlan.objects.get()
    response = post(
        agent_client, file, "versement", plan=plan.pk, date="2010-07-05", amount="100,00", organisation=org.pk
    )
    assert_recorded(agent_client, response, file, "plans", "Versement du 05/07/2010 enregistré.")
    assert RepaymentPayment.objects.get().amount == Decimal("100.00")


def test_fsl_decision_joins_the_fsl(agent_client, org, file):
    fsl = OrganisationFactory(code="FSL72", name="FSL de la Sarthe", kind=OrganisationKind.FSL)
    incomplete = post(
        agent_client,
        file,
        "fsl",
        fsl_organisation=fsl.pk,
        purpose="maintien",
        result="accorde",
        decided_on="2010-06-01",
        organisation=org.pk,
    )
    assert incomplete.status_code == 422
    assert "Indiquez le montant de l'aide accordée." in text_of(incomplete)
    response = post(
        agent_client, file, "fsl",
        fsl_organisation=fsl.pk, purpose="maintien", result="accorde", decided_on="2010-06-01",
        aid_form="pret", amount="750", organisation=org.pk,
    )  # fmt: skip
    assert_recorded(agent_client, response, file, "fsl", "Décision du FSL du 01/06/2010 enregistrée.")
    assert FslDecision.objects.get().amount == Decimal("750")
    assert FileParticipant.objects.filter(file=file, organisation=fsl, reason=ParticipantReason.FSL).exists()


def test_overindebtedness_case_and_its_next_steps(agent_client, org, file):
    response = post(agent_client, file, "surendettement", filed_on="2010-03-01", organisation=org.pk)
    assert_recorded(agent_client, response, file, "surendettement", "Dossier de surendettement déposé le 01/03/2010")
    case = OverIndebtednessCase.objects.get()
    nothing = post(agent_client, file, "surendettement-suite", case=case.pk, organisation=org.pk)
    assert nothing.status_code == 422 and "Indiquez au moins une étape à enregistrer" in text_of(nothing)
    early = post(
        agent_client, file, "surendettement-suite", case=case.pk, measures_on="2010-05-01", organisation=org.pk
    )
    assert early.status_code == 422
    assert "Des mesures ou un effacement supposent un dossier déclaré recevable." in text_of(early)
    case.refresh_from_db()
    assert case.measures_on is None
    response = post(
        agent_client,
        file,
        "surendettement-suite",
        case=case.pk,
        admissibility_on="2010-04-01",
        admissible="true",
        organisation=org.pk,
    )
    assert_recorded(agent_client, response, file, "surendettement", "Étapes du dossier de surendettement enregistrées.")
    case.refresh_from_db()
    assert (case.admissibility_on, case.admissible, case.filed_on) == (D(2010, 4, 1), True, D(2010, 3, 1))


def test_update_offers_only_this_files_cases(agent_client, org, file):
    foreign = OverIndebtednessCaseFactory(file=make_file(org), organisation=org)
    response = post(
        agent_client,
        file,
        "surendettement-suite",
        case=foreign.pk,
        admissibility_on="2010-04-01",
        admissible="true",
        organisation=org.pk,
    )
    assert response.status_code == 422
    foreign.refresh_from_db()
    assert foreign.admissibility_on is None


def test_homeowner_difficulty(agent_client, org, file):
    response = post(
        agent_client,
        file,
        "accession",
        source="preteur",
        reported_on="2010-09-01",
        lender_name="Crédit Agricole",
        arrears_amount="2300",
        organisation=org.pk,
    )
    assert_recorded(
        agent_client, response, file, "accession", "Difficulté d'accédant connue le 01/09/2010 enregistrée."
    )
    assert HomeownerDifficulty.objects.get().lender_name == "Crédit Agricole"


def test_sharing_lets_the_partner_read_the_file(client, agent, org, other_org, file):
    partner_agent = member_of(other_org)
    client.force_login(partner_agent)
    assert client.get(reverse("eviction:file", args=[file.reference])).status_code == 404
    client.force_login(agent)
    page = text_of(client.get(reverse("eviction:followup", args=[file.reference, "partage"])))
    assert other_org.name in page
    unconfirmed = post(client, file, "partage", partner=other_org.pk, organisation=org.pk, reason="Suivi social")
    assert unconfirmed.status_code == 422 and "Cochez la case pour confirmer le partage." in text_of(unconfirmed)
    response = post(
        client, file, "partage", partner=other_org.pk, organisation=org.pk, reason="Suivi social", confirm="on"
    )
    assert_recorded(client, response, file, "participants", f"Dossier partagé avec « {other_org.name} ».")
    participant = FileParticipant.objects.get(file=file, organisation=other_org)
    assert (participant.reason, participant.added_by) == (ParticipantReason.SHARING, agent)
    assert participant.history.get().history_change_reason == "Suivi social"
    client.force_login(partner_agent)
    assert client.get(reverse("eviction:file", args=[file.reference])).status_code == 200
    # A participant is not offered again.
    assert (
        other_org.name
        not in text_of(client.get(reverse("eviction:followup", args=[file.reference, "partage"])))
        .split("Partager avec")[1]
        .split("</select>")[0]
    )


def test_unknown_action_is_404(agent_client, file):
    assert agent_client.get(reverse("eviction:followup", args=[file.reference, "inconnue"])).status_code == 404


def test_plan_payment_choices_are_this_files(agent_client, org, file):
    RepaymentPlanFactory(file=file, organisation=org)
    foreign = RepaymentPlanFactory(file=make_file(org), organisation=org)
    response = post(
        agent_client, file, "versement", plan=foreign.pk, date="2010-02-01", amount="50", organisation=org.pk
    )
    assert response.status_code == 422 and not RepaymentPayment.objects.exists()


def test_form_page_query_count_does_not_grow(agent_client, org, file, django_assert_num_queries):
    for _ in range(5):
        RepaymentPlanFactory(file=file, organisation=org)
    # Session and user (2, and 3 to save the session), roles, the user's organisations, file,
    # members, then plans and
    # organisations offered, each twice (Django's Select asks the first choice for `required`),
    # and the access-log entry (the form's header names the household).
    with django_assert_num_queries(14):
        response = agent_client.get(reverse("eviction:followup", args=[file.reference, "versement"]))
    assert response.text.count("en 6 échéances") == 5


def test_sharing_offers_only_organisations_that_follow_households(agent_client, org, file):
    from tests.organisations.factories import OrganisationFactory
    from toit.organisations.enums import OrganisationKind

    funder = OrganisationFactory(code="ANAH", name="Agence nationale de l'habitat", kind=OrganisationKind.FUNDER)
    committee = OrganisationFactory(code="COPIL", name="Comité de pilotage du plan", kind=OrganisationKind.OTHER)
    caf = OrganisationFactory(code="CAF72", name="CAF de la Sarthe", kind=OrganisationKind.CAF_MSA)
    page = text_of(agent_client.get(reverse("eviction:followup", args=[file.reference, "partage"])))
    offered = page.split("Partager avec")[1].split("</select>")[0]
    assert caf.name in offered and funder.name not in offered and committee.name not in offered
    # Posting the id of a refused kind anyway writes nothing.
    response = post(
        agent_client, file, "partage", partner=committee.pk, organisation=org.pk, reason="Pour info", confirm="on"
    )
    assert response.status_code == 422
    assert not FileParticipant.objects.filter(file=file, organisation=committee).exists()
