"""Who gets in: the owning organisation's agent reads, an unrelated agent gets the same 404
as for a reference that does not exist, anonymous users go to the login page, and the
observatory is refused every nominative page and has no menu entry for them."""

import re

import pytest
from django.urls import reverse

from tests.eviction.factories import ReportFactory
from tests.organisations.factories import member_of
from tests.www.eviction.conftest import D
from toit.eviction.models import ContactAttempt, Event, FileParticipant

FILE_PAGES = [
    ("eviction:file", ()),
    ("eviction:event", ()),
    ("eviction:event_fields", ()),
    *[
        ("eviction:followup", (action,))
        for action in ("contact", "diagnostic-demande", "plan-apurement", "fsl", "surendettement", "partage")
    ],
]
SECTION_PAGES = ["eviction:search", "eviction:queues", "eviction:reports", "eviction:report_new"]


def file_url(name, reference, extra=()):
    return reverse(name, args=[reference, *extra])


def without_nonce(response):
    """The page without what differs in every response by design: the CSP nonce and the
    masked CSRF token of the logout form."""
    content = re.sub(rb'nonce="[^"]*"', b'nonce=""', response.content)
    return re.sub(rb'name="csrfmiddlewaretoken" value="[^"]*"', b"", content)


@pytest.mark.parametrize(("name", "extra"), FILE_PAGES)
def test_owner_reads_and_others_get_the_same_404(client, agent, other_org, dupont, name, extra):
    client.force_login(agent)
    assert client.get(file_url(name, dupont.reference, extra)).status_code == 200
    # The reference as a person may type it from a letter is understood.
    lower = dupont.reference.lower().replace("-", " ")
    assert client.get(file_url(name, lower, extra)).status_code == 200

    client.force_login(member_of(other_org))
    outsider = client.get(file_url(name, dupont.reference, extra))
    missing = client.get(file_url(name, "PX-2222-2222", extra))
    garbage = client.get(file_url(name, "pas-une-reference", extra))
    assert outsider.status_code == missing.status_code == garbage.status_code == 404
    # Byte-identical but for the CSP nonce, random in every response by design.
    assert without_nonce(outsider) == without_nonce(missing) == without_nonce(garbage)
    assert "Dupont" not in outsider.text


@pytest.mark.parametrize("name", SECTION_PAGES)
def test_anonymous_goes_to_login(client, name):
    response = client.get(reverse(name))
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


def test_anonymous_file_page_goes_to_login(client, dupont):
    response = client.get(reverse("eviction:file", args=[dupont.reference]))
    assert response.status_code == 302 and response.url.startswith(reverse("login"))


@pytest.mark.parametrize("name", SECTION_PAGES)
def test_observatory_is_refused_section_pages(observer_client, name):
    response = observer_client.get(reverse(name))
    assert response.status_code == 403
    assert "réservés aux agents, responsables et administrateurs" in response.text


def test_observatory_is_refused_the_file_of_its_own_organisation(observer_client, dupont):
    for name, extra in FILE_PAGES:
        assert observer_client.get(file_url(name, dupont.reference, extra)).status_code == 403
    report = ReportFactory(reporting_organisation=dupont.opened_by)
    assert observer_client.get(reverse("eviction:report", args=[report.pk])).status_code == 403


def test_menu_entry_only_for_nominative_roles(client, agent, observer_client):
    home = reverse("organisations:list")
    assert "Prévention des expulsions" not in observer_client.get(home).text
    client.force_login(agent)
    page = client.get(home).text
    assert f'href="{reverse("eviction:search")}"' in page
    assert "Prévention des expulsions" in page


def test_outsider_posts_write_nothing(outsider_client, dupont):
    before = (Event.objects.count(), ContactAttempt.objects.count(), FileParticipant.objects.count())
    event = outsider_client.post(
        reverse("eviction:event", args=[dupont.reference]), {"kind": "commandement_payer", "date": "2010-03-01"}
    )
    contact = outsider_client.post(
        reverse("eviction:followup", args=[dupont.reference, "contact"]),
        {"date": "2010-06-01", "channel": "telephone", "outcome": "contact_etabli"},
    )
    assert event.status_code == contact.status_code == 404
    assert (Event.objects.count(), ContactAttempt.objects.count(), FileParticipant.objects.count()) == before


def test_reports_of_another_organisation_are_404(outsider_client, org):
    report = ReportFactory(reporting_organisation=org, reported_on=D(2010, 3, 1))
    assert outsider_client.get(reverse("eviction:report", args=[report.pk])).status_code == 404
    assert outsider_client.post(reverse("eviction:report_attach", args=[report.pk])).status_code == 404
    assert outsider_client.get(reverse("eviction:report", args=[report.pk + 1000])).status_code == 404


EXTERNAL = re.compile(r"""(?:src|href)\s*=\s*["'](?:https?:)?//""", re.I)
INLINE_HANDLER = re.compile(r"""\son[a-z]+\s*=""", re.I)
INLINE_STYLE = re.compile(r"""<style\b|\sstyle\s*=""", re.I)


def test_pages_respect_the_strict_csp(agent_client, dupont):
    report = ReportFactory(reporting_organisation=dupont.opened_by)
    urls = [reverse(name) for name in SECTION_PAGES] + [
        reverse("eviction:report", args=[report.pk]),
        *(file_url(name, dupont.reference, extra) for name, extra in FILE_PAGES if name != "eviction:event_fields"),
    ]
    for url in urls:
        response = agent_client.get(url)
        assert response.status_code == 200, url
        assert not EXTERNAL.search(response.text), url
        assert not INLINE_HANDLER.search(response.text), url
        assert not INLINE_STYLE.search(response.text), url
        assert "{#" not in response.text and "{%" not in response.text, url  # no template syntax leaks
        nonce = re.search(r"script-src[^;]*'nonce-([^']+)'", response.headers["Content-Security-Policy"]).group(1)
        for script in re.findall(r"<script\b[^>]*>", response.text):
            assert f'nonce="{nonce}"' in script, url
