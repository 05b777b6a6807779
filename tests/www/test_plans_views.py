import re

import pytest
from django.urls import reverse

from tests.organisations.factories import OrganisationFactory, member_of
from tests.plans.factories import load_sample_plan
from toit.organisations.models import Organisation
from toit.plans.measurements import record_measurement
from toit.plans.models import Indicator, Measurement


@pytest.fixture
def plan():
    return load_sample_plan()


@pytest.fixture
def caf_agent(plan, client):
    user = member_of(Organisation.objects.get(code="CAF72"))
    client.force_login(user)
    return user


def test_login_required(client, plan):
    response = client.get(reverse("plans:overview", args=[plan.code]))
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


def test_login_page_in_french(client):
    response = client.post(reverse("login"), {"username": "x", "password": "y"})
    assert response.status_code == 200
    assert "Identifiant ou mot de passe incorrect" in response.text
    assert '<html lang="fr"' in response.text


def test_plan_home_redirects_to_latest_plan(client, caf_agent, plan):
    response = client.get(reverse("plans:home"))
    assert response.url == reverse("plans:overview", args=[plan.code])


def test_plan_home_without_plan(client):
    client.force_login(member_of(OrganisationFactory()))
    assert "Aucun plan n'est chargé" in client.get(reverse("plans:home")).text


def test_overview_lists_orientations_and_actions(client, caf_agent, plan, django_assert_max_num_queries):
    for year in ("2008", "2009", "2010"):
        record_measurement(user=None, indicator=Indicator.objects.get(code="1A-1"), period=year, value="3", source="s")
    # One more than before issue 14: the user's départements, read to scope the plan.
    with django_assert_max_num_queries(16):
        response = client.get(reverse("plans:overview", args=[plan.code]))
    assert response.status_code == 200
    assert "Orientation 1 : Prévenir" in response.text
    assert "Orientation 2 : Loger" in response.text
    assert reverse("plans:action", args=[plan.code, "2A"]) in response.text
    assert "En retard" in response.text  # 1A-1: 3 per year against at least 10


def test_action_page_shows_sheet_and_form(client, caf_agent, plan, django_assert_max_num_queries):
    with django_assert_max_num_queries(19):
        response = client.get(reverse("plans:action", args=[plan.code, "1A"]))
    assert response.status_code == 200
    text = response.text.replace("\u202f", " ").replace("\xa0", " ")
    assert "Promouvoir la résolution amiable." in text
    assert "42 000 € par an" in text
    assert "au moins 10 chaque année" in text
    assert "Non renseigné" in text
    assert 'name="mesure-1A-1-value"' in text


def test_action_page_query_count_does_not_grow(client, caf_agent, plan, django_assert_max_num_queries):
    for year in ("2008", "2009", "2010", "2011", "2012"):
        for code in ("1A-1", "1A-2"):
            record_measurement(
                user=None, indicator=Indicator.objects.get(code=code), period=year, value="5", source="s"
            )
    with django_assert_max_num_queries(19):
        client.get(reverse("plans:action", args=[plan.code, "1A"]))


def test_unknown_action_is_404(client, caf_agent, plan):
    assert client.get(reverse("plans:action", args=[plan.code, "9Z"])).status_code == 404


def post_measurement(client, plan, code, **data):
    payload = {f"mesure-{code}-{key}": value for key, value in data.items()}
    return client.post(reverse("plans:record", args=[plan.code, code]), payload)


def test_record_measurement_from_the_page(client, caf_agent, plan):
    response = post_measurement(client, plan, "1A-1", period="2010", territory="", value="11", source="Bilan CAF")
    assert response.status_code == 302
    measurement = Measurement.objects.get()
    assert (measurement.value, measurement.recorded_by, measurement.recorded_for.code) == (11, caf_agent, "CAF72")
    page = client.get(response.url)
    assert "Mesure enregistrée : 1A-1, Année 2010, 11." in page.text


def test_record_errors_are_shown_and_nothing_written(client, caf_agent, plan):
    response = post_measurement(client, plan, "1A-2", period="2010", territory="", value="140", source="")
    assert response.status_code == 422
    assert "« 140 » dépasse 100 %" in response.text
    assert "Ce champ est obligatoire." in response.text
    assert not Measurement.objects.exists()


def test_record_with_htmx_returns_the_indicator_block(client, caf_agent, plan):
    url = reverse("plans:record", args=[plan.code, "1A-1"])
    data = {"mesure-1A-1-period": "2011", "mesure-1A-1-value": "abc", "mesure-1A-1-source": "CAF"}
    response = client.post(url, data, headers={"HX-Request": "true"})
    assert response.status_code == 200
    assert response.text.lstrip().startswith("<section")
    assert "« abc » n&#x27;est pas un nombre" in response.text
    data["mesure-1A-1-value"] = "12"
    response = client.post(url, data, headers={"HX-Request": "true"})
    assert "Mesure enregistrée : 1A-1, Année 2011, 12." in response.text
    assert Measurement.objects.count() == 1


def test_record_refused_for_organisation_not_responsible(client, plan):
    client.force_login(member_of(OrganisationFactory()))
    response = post_measurement(client, plan, "1A-1", period="2010", value="11", source="x")
    assert response.status_code == 404
    assert not Measurement.objects.exists()


def test_organisation_directory(client, caf_agent, plan):
    response = client.get(reverse("organisations:list"), {"type": "caf_msa"})
    assert "CAF de la Sarthe" in response.text
    assert "DDE de la Sarthe" not in response.text
    detail = client.get(reverse("organisations:detail", args=["DDE72"]))
    assert "2A — Produire des logements très sociaux" in detail.text


EXTERNAL = re.compile(r"""(?:src|href)\s*=\s*["'](?:https?:)?//""", re.I)
INLINE_HANDLER = re.compile(r"""\son[a-z]+\s*=""", re.I)


@pytest.mark.parametrize("name", ["overview", "action", "organisations"])
def test_pages_load_nothing_from_outside_and_have_no_inline_handlers(client, caf_agent, plan, name):
    url = {
        "overview": reverse("plans:overview", args=[plan.code]),
        "action": reverse("plans:action", args=[plan.code, "1A"]),
        "organisations": reverse("organisations:list"),
    }[name]
    response = client.get(url)
    assert not EXTERNAL.search(response.text)
    assert not INLINE_HANDLER.search(response.text)
    nonce = re.search(r"script-src[^;]*'nonce-([^']+)'", response.headers["Content-Security-Policy"]).group(1)
    for script in re.findall(r"<script\b[^>]*>", response.text):
        assert f'nonce="{nonce}"' in script


def test_computed_indicator_without_snapshot_says_so(client, caf_agent, plan):
    Indicator.objects.filter(code="1A-2").update(kind="computed", metric_key="eviction.order_to_leave_rate")
    response = client.get(reverse("plans:action", args=[plan.code, "1A"]))
    assert "Pas encore calculé" in response.text


def test_a_measurement_is_corrected_from_its_page_with_a_reason(client):
    from decimal import Decimal

    from django.urls import reverse

    from tests.organisations.factories import member_of
    from tests.plans.factories import load_sample_plan
    from toit.organisations.models import Organisation
    from toit.plans.measurements import record_measurement
    from toit.plans.models import Indicator

    plan = load_sample_plan()
    caf = Organisation.objects.get(code="CAF72")
    agent = member_of(caf)
    measurement = record_measurement(
        user=agent,
        indicator=Indicator.objects.get(code="1A-1"),
        period="2010",
        value="1400",
        source="CAF",
        organisation=caf,
    )
    client.force_login(agent)
    action_page = client.get(reverse("plans:action", args=[plan.code, "1A"])).text
    url = reverse("plans:correct", args=[plan.code, measurement.pk])
    assert url in action_page
    form = client.get(url).text
    assert 'value="1400"' in form
    refused = client.post(url, {"value": "1 500", "source": "CAF", "reason": ""})
    assert refused.status_code == 422 and "data-error-summary" in refused.text
    done = client.post(url, {"value": "1 500", "source": "CAF", "reason": "Chiffre du bilan définitif"})
    assert done.status_code == 302
    measurement.refresh_from_db()
    assert measurement.value == Decimal(1500)
    # Someone who may not record the indicator does not even see the page.
    client.force_login(member_of(Organisation.objects.get(code="DDE72")))
    assert client.get(url).status_code == 404


def test_a_plan_on_dates_shows_them_and_records_over_its_own_period(client):
    """The Orne newcomer plan runs from 1 July 2024 to 30 June 2029 (issue 14)."""
    from tests.plans.test_newcomer_plan import corrected_text
    from toit.plans.loader import load, parse

    text, _ = corrected_text()
    orne = load(parse(text)).plan
    client.force_login(member_of(Organisation.objects.get(code="CAF61")))
    overview = client.get(reverse("plans:overview", args=[orne.code]))
    assert "Département 61 — plan du 01/07/2024 au 30/06/2029." in overview.text
    page = client.get(reverse("plans:action", args=[orne.code, "1A"])).text
    assert '<option value="2024-07-01/2029-06-30">du 01/07/2024 au 30/06/2029</option>' in page
    assert '<option value="2024">Année 2024</option>' in page
    response = post_measurement(client, orne, "1A-2", period="2024-07-01/2029-06-30", value="160", source="CAF")
    assert response.status_code == 302
    measurement = Measurement.objects.get()
    assert (measurement.period_start.isoformat(), measurement.period_end.isoformat()) == ("2024-07-01", "2029-06-30")


# --- Base of a non-count value (issue 10)


def test_the_form_asks_the_base_of_a_rate_and_not_of_a_count(client, caf_agent, plan):
    page = client.get(reverse("plans:action", args=[plan.code, "1A"])).text
    assert 'name="mesure-1A-2-base"' in page
    assert 'name="mesure-1A-1-base"' not in page
    assert "Sans effectif de base, cette valeur ne sera pas publiée" in page


@pytest.mark.parametrize(
    ("base", "message"),
    [
        ("-3", "L&#x27;effectif de base ne peut pas être négatif"),
        ("2,5", "« 2,5 » n&#x27;est pas un nombre entier ; l&#x27;effectif de base compte des ménages"),
    ],
)
def test_a_wrong_base_is_refused_in_french_and_nothing_written(client, caf_agent, plan, base, message):
    response = post_measurement(client, plan, "1A-2", period="2010", territory="", value="40", base=base, source="CAF")
    assert response.status_code == 422
    assert message in response.text
    assert not Measurement.objects.exists()


def test_a_rate_without_base_is_saved_with_the_warning_that_it_stays_unpublished(client, caf_agent, plan):
    response = post_measurement(client, plan, "1A-2", period="2010", territory="", value="40", source="CAF")
    assert response.status_code == 302
    assert Measurement.objects.get().base is None
    page = client.get(response.url).text
    assert "fr-alert--warning" in page and "Sans effectif de base, cette valeur ne sera pas publiée" in page
    assert "effectif de base à indiquer" in page  # in the history of measurements
    # Given with the value: stored, no warning.
    response = post_measurement(client, plan, "1A-2", period="2011", value="45", base="1 200", source="CAF")
    assert response.status_code == 302
    assert Measurement.objects.get(period_start__year=2011).base == 1200
    page = client.get(response.url).text
    assert "fr-alert--warning" not in page


def test_a_rate_without_base_recorded_with_htmx_says_it_stays_unpublished(client, caf_agent, plan):
    url = reverse("plans:record", args=[plan.code, "1A-2"])
    data = {"mesure-1A-2-period": "2011", "mesure-1A-2-value": "40", "mesure-1A-2-source": "CAF"}
    response = client.post(url, data, headers={"HX-Request": "true"})
    assert "Mesure enregistrée" in response.text
    assert "fr-alert--warning" in response.text and "ne sera pas publiée" in response.text


def test_the_base_is_corrected_from_the_correction_page_with_a_reason(client, caf_agent, plan):
    caf = Organisation.objects.get(code="CAF72")
    measurement = record_measurement(
        user=caf_agent,
        indicator=Indicator.objects.get(code="1A-2"),
        period="2010",
        value="40",
        source="CAF",
        organisation=caf,
    )
    url = reverse("plans:correct", args=[plan.code, measurement.pk])
    form = client.get(url).text
    assert 'name="base"' in form and "Effectif de base non indiqué" in form
    refused = client.post(url, {"value": "40", "base": "-2", "source": "CAF", "reason": "Effectif reçu"})
    assert refused.status_code == 422 and "ne peut pas être négatif" in refused.text
    done = client.post(url, {"value": "40", "base": "30", "source": "CAF", "reason": "Effectif reçu"})
    assert done.status_code == 302
    measurement.refresh_from_db()
    assert measurement.base == 30
    assert [(v.base, v.history_change_reason) for v in measurement.history.order_by("history_id")] == [
        (None, None),
        (30, "Effectif reçu"),
    ]
    assert 'value="30"' in client.get(url).text
    # The count's correction page asks no base.
    count = record_measurement(
        user=caf_agent, indicator=Indicator.objects.get(code="1A-1"), period="2010", value="4", source="CAF"
    )
    assert 'name="base"' not in client.get(reverse("plans:correct", args=[plan.code, count.pk])).text
