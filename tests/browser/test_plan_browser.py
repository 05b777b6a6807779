import re

import pytest

from tests.browser.conftest import log_in
from tests.organisations.factories import member_of
from tests.plans.factories import load_sample_plan
from toit.organisations.models import Organisation
from toit.plans.models import Measurement

pytestmark = pytest.mark.django_db(transaction=True)


def test_record_a_measurement_in_the_browser(page):
    plan = load_sample_plan()
    member_of(Organisation.objects.get(code="CAF72"), username="agent.test", password="mot-de-passe-solide")
    log_in(page, "agent.test", "mot-de-passe-solide")
    page.goto(f"/plans/{plan.code}/")
    page.get_by_role("link", name="1A", exact=True).click()
    assert page.get_by_role("heading", level=1).inner_text().startswith("Fiche 1A")

    section = page.locator("#indicateur-1A-1")
    section.get_by_label("Période").select_option("2011")
    section.get_by_role("textbox", name=re.compile("^Valeur")).fill("douze")
    section.get_by_label("Source").fill("Bilan CAF")
    section.get_by_role("button", name="Enregistrer la mesure").click()
    # htmx swaps the indicator block in place with the error tied to the field.
    page.locator("#indicateur-1A-1 .fr-message--error").wait_for()
    assert "n'est pas un nombre" in page.locator("#indicateur-1A-1").inner_text()
    assert not Measurement.objects.exists()

    section = page.locator("#indicateur-1A-1")
    section.get_by_role("textbox", name=re.compile("^Valeur")).fill("12")
    section.get_by_role("button", name="Enregistrer la mesure").click()
    page.get_by_text("Mesure enregistrée : 1A-1, Année 2011, 12.").wait_for()
    assert Measurement.objects.get().value == 12
    # Nothing broke the strict CSP (a violation is reported on the console).
    assert page.console_problems == []
