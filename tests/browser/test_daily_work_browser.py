"""Daily work per role, end to end in Chromium: an agent lands on their work, corrects a
mistaken event typed the French way in a browser set to English, the référent reads the
notification it caused; a responsable lands on the team's queues; the conseil général's
agent finds a file shared with its FSL; the observatory lands on its dashboard. axe-core
finds no serious or critical violation on any page visited."""

import datetime
import re

import pytest

from tests.browser.axe import AxeAudit
from tests.browser.conftest import log_in
from tests.eviction.factories import EventFactory, HouseholdMemberFactory, PreventionFileFactory, prefecture
from tests.organisations.factories import OrganisationFactory, member_of
from tests.plans.factories import load_sample_plan
from tests.territory.factories import CommuneFactory
from toit.eviction.enums import EventKind
from toit.eviction.models import Event, FileReferent
from toit.eviction.procedure import add_event
from toit.organisations.enums import OrganisationKind, Role

pytestmark = pytest.mark.django_db(transaction=True)
PASSWORD = "mot-de-passe-solide"


@pytest.fixture
def english_page(browser, live_server):
    """A browser whose language is English: a date input would read 15072010 as 07/12/2010."""
    context = browser.new_context(base_url=live_server.url, locale="en-US")
    page = context.new_page()
    page.console_problems = []
    page.on(
        "console",
        lambda message: page.console_problems.append(message.text) if message.type in ("error", "warning") else None,
    )
    yield page
    context.close()


def world():
    prefecture()
    caf = OrganisationFactory(code="CAF72", name="CAF de la Sarthe", kind=OrganisationKind.CAF_MSA)
    agent = member_of(caf, username="agent.caf", password=PASSWORD, first_name="Agathe", last_name="Agent")
    referent = member_of(caf, username="referent.caf", password=PASSWORD, first_name="Rémi", last_name="Référent")
    household_member = HouseholdMemberFactory(
        household__commune=CommuneFactory(insee_code="72181", name="Le Mans"), last_name="Durand"
    )
    file = PreventionFileFactory(opened_by=caf, household=household_member.household)
    FileReferent.objects.create(file=file, organisation=caf, user=referent)
    # The agent typed 15072010 in a date field of a browser set to English: stored 07/12/2010.
    mistaken = add_event(file, EventKind.ORDER_TO_PAY, datetime.date(2010, 12, 7), agent, caf)
    return caf, agent, referent, file, mistaken


def test_an_agent_corrects_a_mistaken_event_and_the_referent_reads_why(english_page, browser, live_server):
    _caf, _agent, _referent, file, mistaken = world()
    page = english_page
    audit = AxeAudit(page)
    log_in(page, "agent.caf", PASSWORD)
    page.get_by_role("heading", name="Mon travail").wait_for()
    audit.check("accueil de l'agent")
    page.get_by_role("link", name=file.reference).click()
    page.get_by_role("heading", name="Synthèse").wait_for()
    audit.check("dossier")
    page.get_by_role("link", name="Corriger : Commandement de payer du 07/12/2010").click()
    page.get_by_role("heading", level=1).wait_for()
    audit.check("formulaire de correction")

    # A two-digit year is refused; the error summary at the top takes the focus.
    date = page.get_by_label(re.compile("^Date"))
    date.fill("15/07/10")
    page.get_by_role("button", name="Enregistrer la correction").click()
    page.locator("[data-error-summary]").first.wait_for()
    page.wait_for_function("() => document.activeElement && document.activeElement.hasAttribute('data-error-summary')")
    assert "Date : voir le message sous le champ" in page.locator("[data-error-summary]").first.inner_text()
    assert "quatre chiffres" in page.locator("#correction").inner_text()
    audit.check("formulaire de correction en erreur")
    mistaken.refresh_from_db()
    assert mistaken.date == datetime.date(2010, 12, 7)

    page.get_by_label(re.compile("^Date")).fill("15072010")
    page.get_by_label("Motif de la correction").fill("Date tapée 15072010, lue 07/12/2010 par le navigateur")
    page.get_by_role("button", name="Enregistrer la correction").click()
    page.get_by_text(re.compile("^Corrigé : événement")).wait_for()
    mistaken.refresh_from_db()
    assert mistaken.date == datetime.date(2010, 7, 15)
    # The history section is read when scrolled to (htmx swaps in the history page's section).
    page.locator("#historique").scroll_into_view_if_needed()
    page.locator("#historique table").wait_for()
    assert "Date tapée 15072010" in page.locator("#historique").inner_text()
    page.get_by_role("button", name="Se déconnecter").click()

    # The référent sees the counter in the header and reads the notification.
    log_in(page, "referent.caf", PASSWORD)
    counter = page.locator("#notifications [data-unread]")
    counter.wait_for()
    assert counter.get_attribute("data-unread") == "2"  # the event itself, then its correction
    page.locator("#notifications").click()
    page.get_by_role("heading", name="Notifications").wait_for()
    audit.check("notifications")
    notice = page.get_by_role("link", name=re.compile("corrigé par Agathe Agent"))
    assert "Date tapée 15072010" in notice.inner_text() and file.reference in notice.inner_text()
    assert "Durand" not in notice.inner_text()
    notice.click()
    page.get_by_role("heading", name="Synthèse").wait_for()
    assert Event.objects.get(pk=mistaken.pk).date == datetime.date(2010, 7, 15)
    assert audit.found == {}, audit.found
    assert page.console_problems == []


def test_a_responsable_and_the_conseil_general_land_on_their_work(page):
    cg = OrganisationFactory(code="CG72", name="Conseil général de la Sarthe", kind=OrganisationKind.LOCAL_AUTHORITY)
    fsl = OrganisationFactory(code="FSL72", name="FSL de la Sarthe", kind=OrganisationKind.FSL, parent=cg)
    member = HouseholdMemberFactory(last_name="Lemaire", first_name="Julie")
    file = PreventionFileFactory(opened_by=fsl, household=member.household)
    EventFactory(file=file, kind=EventKind.UNPAID_REPORTED, date=datetime.date(2010, 3, 1), organisation=fsl)
    member_of(cg, username="agent.cg", password=PASSWORD)
    member_of(fsl, role=Role.MANAGER, username="responsable.fsl", password=PASSWORD)
    audit = AxeAudit(page)

    log_in(page, "responsable.fsl", PASSWORD)
    page.get_by_role("heading", name="Files de l'équipe, par organisation").wait_for()
    audit.check("accueil du responsable")
    page.get_by_role("button", name="Se déconnecter").click()

    # The conseil général's agent reads what is shared with its FSL.
    log_in(page, "agent.cg", PASSWORD)
    page.get_by_role("link", name=file.reference).click()
    page.get_by_role("heading", name="Synthèse").wait_for()
    assert "Lemaire" in page.get_by_role("heading", level=1).inner_text().title()
    audit.check("dossier lu par le conseil général")
    assert audit.found == {}, audit.found
    assert page.console_problems == []


def test_the_observatory_lands_on_its_dashboard(page):
    plan = load_sample_plan()
    member_of(OrganisationFactory(code="OBS72"), role=Role.OBSERVATORY, username="observatoire", password=PASSWORD)
    audit = AxeAudit(page)
    log_in(page, "observatoire", PASSWORD)
    page.wait_for_url(re.compile(f"/observatoire/{plan.code}/|/observatoire/"))
    assert "/observatoire/" in page.url
    audit.check("tableau de bord de l'observatoire")
    assert audit.found == {}, audit.found


def test_the_audit_finds_a_serious_violation_when_there_is_one(page):
    """The audit is not blind: an image without text alternative is critical for axe."""
    from tests.browser.axe import serious_violations

    page.set_content('<html lang="fr"><head><title>t</title></head><body><main><img src="x.png"></main></body></html>')
    assert "image-alt" in {rule for rule, *_ in serious_violations(page)}


def test_an_expired_session_sends_the_page_to_login_not_into_a_section(page):
    # Before: htmx swapped the login page into the history section, and after login the
    # user landed on the bare section.
    from django.contrib.sessions.models import Session

    _caf, _agent, _referent, file, _mistaken = world()
    page.set_viewport_size({"width": 1280, "height": 300})  # the history section below the fold
    log_in(page, "agent.caf", PASSWORD)
    page.get_by_role("heading", name="Mon travail").wait_for()
    page.goto(f"/prevention/dossiers/{file.reference}/")
    page.get_by_role("heading", name="Synthèse").wait_for()
    assert not page.locator("#historique table").count()
    Session.objects.all().delete()  # the session expired while the page stayed open
    page.locator("#historique").scroll_into_view_if_needed()
    page.wait_for_url(re.compile(r"/connexion/\?next="), timeout=10_000)
    page.get_by_label("Nom d’utilisateur").fill("agent.caf")
    page.get_by_label("Mot de passe").fill(PASSWORD)
    page.get_by_role("button", name="Se connecter").click()
    page.get_by_role("heading", name="Synthèse").wait_for()  # back on the file, the whole page
    assert page.url.endswith(f"/prevention/dossiers/{file.reference}/")
    assert not page.console_problems, page.console_problems
