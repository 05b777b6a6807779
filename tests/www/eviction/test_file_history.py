"""The change history of a file (django-simple-history), on its own page that the file page
loads when its section is scrolled to: who, when, what changed with the fields' French
names, in a number of queries that does not grow with the history."""

import re

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from rest_framework.test import APIClient

from tests.api.factories import ALL_SCOPES, make_key
from tests.eviction.factories import EventFactory, RepaymentPlanFactory
from tests.www.eviction.conftest import D, fill_file, make_file
from toit.eviction.enums import EventKind
from toit.eviction.history import file_history
from toit.eviction.models import Event


def history_section(client, file):
    response = client.get(reverse("eviction:file_history", args=[file.reference]))
    assert response.status_code == 200
    text = response.text.replace("&#x27;", "'").replace("\xa0", " ").replace("\u202f", " ")
    return text[text.index('id="historique"') :]


def test_a_change_made_on_the_page_names_its_author(agent_client, agent, org):
    file = make_file(org)
    response = agent_client.post(
        reverse("eviction:event", args=[file.reference]),
        {"kind": "commandement_payer", "date": "2010-03-01", "amount": "1500", "organisation": org.pk},
    )
    assert response.status_code == 302
    section = history_section(agent_client, file)
    assert "Création : événement « Commandement de payer du 01/03/2010 »" in section
    assert "Agathe Agent" in section


def test_a_modification_lists_the_fields_in_french(agent_client, agent, org):
    file = make_file(org)
    household = file.household
    household._history_user = agent
    household.phone = "02 43 11 22 33"
    household.save()
    household.phone = "02 43 44 55 66"
    household.monthly_resources = "1234.50"
    household.save()
    section = history_section(agent_client, file)
    assert "Modification : ménage" in section
    assert "Téléphone : 02 43 11 22 33 → 02 43 44 55 66" in section
    assert "Ressources mensuelles (€) : — → 1 234,50" in section
    # Derived keys and timestamps are not « changes » a person made.
    assert "Adresse normalisée" not in section and "Modifié le" not in section


def test_rows_written_in_bulk_say_their_former_values_are_unknown(agent_client, org):
    file = make_file(org)
    event = EventFactory(file=file, kind=EventKind.ORDER_TO_PAY, date=D(2010, 2, 1))
    type(event).history.filter(id=event.pk).delete()  # as after bulk_create: no history
    event.note = "Relance"
    event.save()
    section = history_section(agent_client, file)
    assert "Modification : événement « Commandement de payer du 01/02/2010 »" in section
    assert "Valeurs antérieures inconnues" in section


def test_participants_and_follow_up_appear(agent_client, org, dupont):
    entries, total = file_history(dupont)
    what = {entry.what for entry in entries}
    assert "participant au dossier « ADIL de la Sarthe » (Ouverture du dossier)" in what
    assert any(w.startswith("versement « 100") for w in what)
    assert any(w.startswith("plan d'apurement") for w in what)
    assert any(w.startswith("décision du FSL") for w in what)
    assert total == len(entries)
    # Most recent first.
    assert [e.at for e in entries] == sorted((e.at for e in entries), reverse=True)


def test_only_the_most_recent_are_shown(agent_client, org):
    file = make_file(org)
    for day in range(1, 8):
        EventFactory(file=file, kind=EventKind.CCAPEX, date=D(2011, 1, day))
    entries, total = file_history(file, limit=3)
    assert len(entries) == 3 and total > 3


def test_query_count_does_not_grow_with_the_history(agent_client, org):
    small = make_file(org, last_name="Petit")
    big = fill_file(make_file(org, last_name="Grand"), org)
    household = big.household
    for phone in ("1", "2", "3", "4"):
        household.phone = phone
        household.save()
    for month in range(1, 10):
        EventFactory(file=big, kind=EventKind.CCAPEX, date=D(2011, month, 1))
    # Plans leave columns out of their history: naming them must not read the live row, one
    # query per entry (simple-history's `instance` would).
    for month in (3, 6):
        plan = RepaymentPlanFactory(file=big, organisation=org, start_date=D(2011, month, 5))
        plan.note = "Échéancier revu"
        plan.save()

    def count(file):
        with CaptureQueriesContext(connection) as context:
            history_section(agent_client, file)
        return len(context)

    # Never one query per row.
    assert count(big) == count(small)
    assert len(re.findall(r"<tr>", history_section(agent_client, big))) > 20


def test_a_change_made_through_the_api_names_the_key(org):
    key = make_key(org, scopes=ALL_SCOPES)
    file = make_file(org)
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {key.token}")
    response = client.post(
        f"/api/files/{file.reference}/events/", {"kind": "commandement_payer", "date": "2010-02-01"}, format="json"
    )
    assert response.status_code == 201
    entry = Event.history.get()
    assert entry.history_user == key.key.user  # the key's service account, as in the access log


def test_the_file_page_loads_the_history_when_scrolled_to(agent_client, org):
    """The file page reads no history table: its section asks the history page for itself
    (htmx, when revealed), and links to it for a browser without JavaScript."""
    file = make_file(org)
    history_url = reverse("eviction:file_history", args=[file.reference])
    with CaptureQueriesContext(connection) as context:
        response = agent_client.get(reverse("eviction:file", args=[file.reference]))
    assert response.status_code == 200
    assert not [q for q in context.captured_queries if "eviction_historical" in q["sql"]]
    section = response.text[response.text.index('id="historique"') :]
    assert f'hx-get="{history_url}" hx-trigger="revealed" hx-swap="outerHTML"' in section
    assert f'<a href="{history_url}">' in section


def test_the_history_page_answers_htmx_with_its_section_alone(agent_client, org):
    file = make_file(org)
    EventFactory(file=file, kind=EventKind.CCAPEX, date=D(2011, 1, 3))
    url = reverse("eviction:file_history", args=[file.reference])
    fragment = agent_client.get(url, headers={"HX-Request": "true"})
    assert fragment.status_code == 200 and "HX-Request" in fragment["Vary"]
    assert fragment.text.lstrip().startswith('<section class="fr-mb-6w" id="historique"')
    assert "<html" not in fragment.text and "Création : événement" in fragment.text
    page = agent_client.get(url)
    assert "<html" in page.text and f"Dossier {file.reference} : historique des modifications" in page.text
    assert 'aria-current="page">Historique des modifications' in page.text


def test_the_history_of_a_file_one_cannot_read_is_not_found(outsider_client, org):
    file = make_file(org)
    for headers in ({}, {"HX-Request": "true"}):
        response = outsider_client.get(reverse("eviction:file_history", args=[file.reference]), headers=headers)
        assert response.status_code == 404
        assert file.reference not in response.text
