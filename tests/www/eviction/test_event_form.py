"""Adding an event: the fields follow the kind (htmx or a plain post-back), the domain
decides, and a chronology error shows in French next to the form with nothing written."""

import datetime

from django.urls import reverse
from django.utils import timezone

from tests.eviction.factories import EventFactory, prefecture
from tests.www.eviction.conftest import D, make_file
from toit.eviction.enums import EventKind, ParticipantReason
from toit.eviction.models import Event, FileParticipant


def url(file, name="eviction:event"):
    return reverse(name, args=[file.reference])


def test_form_shows_the_fields_of_the_kind(agent_client, org):
    file = make_file(org)
    plain = agent_client.get(url(file)).text
    assert 'name="kind"' in plain and 'name="hearing_date"' not in plain
    assert "ses champs propres (date d'audience, décision, montant…) s'afficheront ici" in plain.replace("&#x27;", "'")
    summons = agent_client.get(url(file), {"type": "assignation"}).text
    assert '<option value="assignation" selected>' in summons
    assert 'name="hearing_date"' in summons and 'name="prefect_notified_on"' in summons
    assert 'name="judgment_outcome"' not in summons
    judgment = agent_client.get(url(file), {"type": "jugement"}).text
    assert 'name="judgment_outcome"' in judgment and 'name="hearing_date"' not in judgment
    # The diagnosis kinds have their own forms.
    assert 'value="diagnostic_realise"' not in plain


def test_htmx_swaps_only_the_fields(agent_client, org):
    file = make_file(org)
    response = agent_client.get(url(file, "eviction:event_fields"), {"kind": "indemnisation"})
    assert response.status_code == 200
    assert "<html" not in response.text
    assert 'name="settlement_mode"' in response.text and 'name="amount"' in response.text
    # The select asks htmx for them, into a region screen readers follow.
    page = agent_client.get(url(file)).text
    assert f'hx-get="{url(file, "eviction:event_fields")}"' in page
    assert 'id="champs-evenement" aria-live="polite"' in page


def test_without_javascript_the_fields_come_back_and_nothing_is_written(agent_client, org):
    file = make_file(org)
    response = agent_client.post(url(file), {"kind": "assignation", "date": "2010-03-01", "changer_type": "1"})
    assert response.status_code == 200
    assert 'name="hearing_date"' in response.text
    assert 'value="2010-03-01"' in response.text  # what was typed stays
    assert '<option value="assignation" selected>' in response.text
    assert "Ce champ est obligatoire" not in response.text
    assert not Event.objects.exists()


def test_a_valid_assignation_is_recorded_and_the_prefecture_joins(agent_client, agent, org):
    office = prefecture()
    file = make_file(org)
    today = timezone.localdate()
    day, hearing = today - datetime.timedelta(days=3), today + datetime.timedelta(days=70)
    response = agent_client.post(
        url(file),
        {"kind": "assignation", "date": day.isoformat(), "hearing_date": hearing.isoformat(), "organisation": org.pk},
    )
    assert response.status_code == 302
    assert response.url == reverse("eviction:file", args=[file.reference]) + "#chronologie"
    event = Event.objects.get()
    assert (event.kind, event.date, event.hearing_date, event.recorded_by, event.organisation) == (
        EventKind.SUMMONS,
        day,
        hearing,
        agent,
        org,
    )
    assert FileParticipant.objects.filter(file=file, organisation=office, reason=ParticipantReason.PREFECTURE).exists()
    page = agent_client.get(response.url).text
    assert f"Événement enregistré : l&#x27;assignation du {day:%d/%m/%Y}." in page
    assert f"Audience (l&#x27;assignation du {day:%d/%m/%Y})" in page


def test_amounts_are_typed_the_french_way(agent_client, org):
    file = make_file(org)
    response = agent_client.post(
        url(file), {"kind": "commandement_payer", "date": "2010-03-01", "amount": "1234,56", "organisation": org.pk}
    )
    assert response.status_code == 302
    assert str(Event.objects.get().amount) == "1234.56"


def test_chronology_error_in_french_and_nothing_written(agent_client, org):
    file = make_file(org)
    EventFactory(file=file, kind=EventKind.ORDER_TO_PAY, date=D(2010, 2, 1))
    response = agent_client.post(
        url(file),
        {"kind": "requisition", "date": "2010-04-01", "organisation": org.pk, "note": "à vérifier"},
    )
    assert response.status_code == 422
    assert "La réquisition du concours de la force publique du 01/04/2010 ne peut pas être enregistrée" in (
        response.text.replace("&#x27;", "'")
    )
    assert "Enregistrez d'abord le commandement de quitter les lieux." in response.text.replace("&#x27;", "'")
    # Next to the date field, with the typed values kept.
    assert 'id="id_date-erreurs"' in response.text and "à vérifier" in response.text
    assert Event.objects.count() == 1


def test_future_date_and_missing_typed_field(agent_client, org):
    file = make_file(org)
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    response = agent_client.post(
        url(file), {"kind": "commandement_payer", "date": tomorrow.isoformat(), "organisation": org.pk}
    )
    assert response.status_code == 422
    assert "est dans le futur : un événement s&#x27;enregistre une fois survenu" in response.text
    response = agent_client.post(url(file), {"kind": "jugement", "date": "2010-03-01", "organisation": org.pk})
    assert response.status_code == 422 and 'id="id_judgment_outcome-erreurs"' in response.text
    assert not Event.objects.exists()


def test_only_participating_organisations_are_offered(agent_client, agent, org, other_org):
    from toit.organisations.models import Membership

    Membership.objects.create(user=agent, organisation=other_org, role="agent")
    file = make_file(org)
    page = agent_client.get(url(file)).text
    assert org.name in page and other_org.name not in page
    response = agent_client.post(
        url(file), {"kind": "commandement_payer", "date": "2010-03-01", "organisation": other_org.pk}
    )
    assert response.status_code == 422 and not Event.objects.exists()


def test_event_page_query_count(agent_client, org, django_assert_num_queries):
    file = make_file(org)
    # Session and user (2, and 3 to save the session), roles, the user's organisations, file,
    # members, organisations
    # offered (twice: Django's Select asks the first choice to decide on `required`), and the
    # access-log entry (the form's header names the household).
    with django_assert_num_queries(12):
        agent_client.get(url(file), {"type": "assignation"})
