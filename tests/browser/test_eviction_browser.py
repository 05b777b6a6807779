import datetime
import re

import pytest
from django.utils import timezone

from tests.browser.conftest import log_in
from tests.eviction.factories import prefecture
from tests.organisations.factories import OrganisationFactory, member_of
from tests.territory.factories import CommuneFactory
from toit.eviction.enums import EventKind
from toit.eviction.models import Event, PreventionFile, Report
from toit.organisations.enums import OrganisationKind

pytestmark = pytest.mark.django_db(transaction=True)


def label(text):
    return re.compile(f"^{re.escape(text)}")


def test_report_to_file_to_assignation_in_the_browser(page):
    caf = OrganisationFactory(code="CAF72", name="CAF de la Sarthe", kind=OrganisationKind.CAF_MSA)
    prefecture()
    CommuneFactory(insee_code="72181", name="Le Mans")
    member_of(caf, username="agent.caf", password="mot-de-passe-solide")
    today = timezone.localdate()
    reported, summons, hearing = (
        today - datetime.timedelta(days=10),
        today - datetime.timedelta(days=3),
        today + datetime.timedelta(days=75),
    )

    log_in(page, "agent.caf", "mot-de-passe-solide")
    page.get_by_role("link", name="Prévention des expulsions").first.click()
    page.get_by_role("link", name="Enregistrer un signalement").click()
    page.get_by_label(label("Source")).select_option("caf_msa")
    page.get_by_label(label("Date du signalement")).fill(reported.isoformat())
    page.get_by_label(label("Montant de la dette")).fill("1250,50")
    page.get_by_label(re.compile(r"^Nom(?! de naissance)(?!bre)")).fill("DURAND née Lefèvre")
    page.get_by_label(label("Prénom")).fill("Hélène")
    page.get_by_label(label("Date de naissance")).fill("1980-02-29")
    page.get_by_label(label("Adresse (numéro et voie)")).fill("4 bd de la République")
    page.get_by_label(label("Commune")).select_option(label="Le Mans (72181)")
    page.get_by_label(label("Parc")).select_option("parc_prive")
    page.get_by_label(label("Bailleur privé (nom)")).fill("SCI du Mail")
    page.get_by_role("button", name="Enregistrer et chercher les dossiers existants").click()

    page.get_by_text("Aucun dossier que vous suivez ne correspond").wait_for()
    report = Report.objects.get()
    assert report.reporting_organisation == caf and report.file is None
    page.get_by_role("button", name="Ouvrir un nouveau dossier").click()
    heading = page.get_by_role("heading", level=1)
    assert heading.inner_text().startswith("Dossier PX-")
    file = PreventionFile.objects.get()
    assert "DURAND NÉE LEFÈVRE Hélène" in heading.inner_text()  # the name as reported
    assert Event.objects.get(file=file).kind == EventKind.UNPAID_REPORTED

    page.get_by_role("link", name="Ajouter un événement").first.click()
    page.get_by_label("Type d'événement").select_option("assignation")
    # htmx brings the assignation's own fields without reloading the page.
    try:
        page.get_by_label(label("Date d'audience")).wait_for()
    except Exception as exc:
        fields = page.locator("#champs-evenement").inner_html()[:2000]
        raise AssertionError(f"console: {page.console_problems}\néchanges: {page.exchanges}\nchamps: {fields}") from exc
    page.get_by_label(label("Date de l'événement")).fill(summons.isoformat())
    page.get_by_label(label("Date d'audience")).fill(hearing.isoformat())
    page.get_by_role("button", name="Enregistrer l'événement").click()

    page.get_by_text(f"Événement enregistré : l'assignation du {summons:%d/%m/%Y}.").wait_for()
    deadlines = page.get_by_role("table", name="Prochaines échéances")
    assert f"Audience (l'assignation du {summons:%d/%m/%Y})" in deadlines.inner_text()
    assert f"{hearing:%d/%m/%Y}" in deadlines.inner_text()
    assert "Notification au préfet" in deadlines.inner_text()
    assert Event.objects.filter(file=file, kind=EventKind.SUMMONS, hearing_date=hearing).exists()

    # A second report on the same person: the file is proposed, the agent confirms.
    page.get_by_role("link", name="Prévention des expulsions").first.click()
    page.get_by_role("link", name="Enregistrer un signalement").click()
    page.get_by_label(label("Source")).select_option("bailleur")
    page.get_by_label(label("Date du signalement")).fill(summons.isoformat())
    page.get_by_label(label("Montant de la dette")).fill("1800")
    page.get_by_label(re.compile(r"^Nom(?! de naissance)(?!bre)")).fill("Durand")
    page.get_by_label(label("Prénom")).fill("HELENE")
    page.get_by_label(label("Date de naissance")).fill("1980-02-29")
    page.get_by_role("button", name="Enregistrer et chercher les dossiers existants").click()
    page.get_by_role("button", name=f"Rattacher au dossier {file.reference}").click()
    page.get_by_text(f"Signalement rattaché au dossier {file.reference}.").wait_for()
    assert Report.objects.filter(file=file).count() == 2
    # Nothing broke the strict CSP (a violation is reported on the console).
    assert page.console_problems == []


def test_a_kind_chosen_before_htmx_is_ready_still_brings_its_fields(page):
    """The select of the event's kind is on screen before htmx has loaded (the scripts
    close the page): a kind chosen in that moment must not leave the form with the
    fields of no kind under it. Holding htmx's script until the choice is made
    makes that moment certain."""
    from tests.eviction.factories import HouseholdMemberFactory, PreventionFileFactory

    caf = OrganisationFactory(code="CAF72", name="CAF de la Sarthe", kind=OrganisationKind.CAF_MSA)
    prefecture()
    member_of(caf, username="agent.caf", password="mot-de-passe-solide")
    member = HouseholdMemberFactory(household__commune=CommuneFactory(insee_code="72181", name="Le Mans"))
    file = PreventionFileFactory(opened_by=caf, household=member.household)
    log_in(page, "agent.caf", "mot-de-passe-solide")
    page.get_by_role("link", name="Prévention des expulsions").first.wait_for()

    # Chromium may ask for the script more than once (its preload scanner, then the parser):
    # every request is held until the choice is made, then all go through.
    held, released = [], []

    def hold(route):
        route.continue_() if released else held.append(route)

    page.route("**/htmx.min.js", hold)
    page.goto(f"/prevention/dossiers/{file.reference}/evenement/", wait_until="commit")
    page.get_by_label("Type d'événement").select_option("assignation")
    assert held, "le script d'htmx devait être retenu pendant le choix"
    released.append(True)
    for route in held:
        route.continue_()

    page.get_by_label(label("Date d'audience")).wait_for()
    assert page.console_problems == []


def test_a_kind_chosen_as_htmx_starts_is_asked_for_once(page):
    """htmx listens before it fires its first load event: a kind chosen in between is sent
    by htmx itself, and the page must not send it again (a second answer would wipe the
    fields the user has begun to fill). The load event is fired again by hand after the
    choice to make that moment certain."""
    from tests.eviction.factories import HouseholdMemberFactory, PreventionFileFactory

    caf = OrganisationFactory(code="CAF72", name="CAF de la Sarthe", kind=OrganisationKind.CAF_MSA)
    prefecture()
    member_of(caf, username="agent.caf", password="mot-de-passe-solide")
    member = HouseholdMemberFactory(household__commune=CommuneFactory(insee_code="72181", name="Le Mans"))
    file = PreventionFileFactory(opened_by=caf, household=member.household)
    log_in(page, "agent.caf", "mot-de-passe-solide")
    page.get_by_role("link", name="Prévention des expulsions").first.wait_for()
    page.goto(f"/prevention/dossiers/{file.reference}/evenement/")

    page.evaluate(
        """() => {
            const select = document.querySelector("select[data-rendered-value]");
            select.value = "assignation";
            select.dispatchEvent(new Event("change", {bubbles: true}));
            htmx.trigger(document.body, "htmx:load", {elt: document.body});
        }"""
    )
    page.get_by_label(label("Date d'audience")).wait_for()
    page.wait_for_load_state("networkidle")
    asked = [exchange for exchange in page.exchanges if "/evenement/champs/" in exchange]
    assert len(asked) == 1, asked
    assert page.console_problems == []
