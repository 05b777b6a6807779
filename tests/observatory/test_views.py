import io
import re

import pytest
from django.urls import reverse
from python_calamine import CalamineWorkbook

from tests.observatory.test_reports import population_by_sql
from tests.pdf import numbers_in, pdf_text
from tests.territory.factories import CommuneFactory
from toit.metrics.periods import Period
from toit.observatory import engine
from toit.observatory.enums import ReportKind, RunStatus
from toit.observatory.models import ComputationRun, IndicatorSnapshot, PublishedReport

Q3 = Period.parse("2010T3")
EXTERNAL = re.compile(r"""(?:src|href)\s*=\s*["'](?:https?:)?//""", re.I)
INLINE_HANDLER = re.compile(r"""\son[a-z]+\s*=""", re.I)


def url(name, plan, *args):
    return reverse(f"observatory:{name}", args=[plan.code, *args])


def dashboard_value(html, code, period_label):
    table = re.search(rf'<table id="tableau-{re.escape(code)}".*?</table>', html, re.S).group(0)
    row = re.search(rf"<th scope=\"row\">{re.escape(period_label)}</th><td[^>]*data-valeur=\"([^\"]*)\"", table)
    return row.group(1)


@pytest.fixture
def published(plan, observatory_user):
    from toit.observatory.reports.publish import publish_report

    engine.compute(plan, periods=[Q3])
    return publish_report(plan, ReportKind.QUARTERLY, Q3, user=observatory_user).report


def test_anonymous_is_sent_to_login(client, plan, published):
    for target in (url("dashboard", plan), url("reports", plan), url("download", plan, published.pk, "pdf")):
        response = client.get(target)
        assert response.status_code == 302 and response.url.startswith(reverse("login"))


def test_outsider_gets_404_everywhere(client, plan, published, outsider):
    client.force_login(outsider)
    for target in (url("dashboard", plan), url("reports", plan), url("download", plan, published.pk, "pdf")):
        assert client.get(target).status_code == 404
    assert client.post(url("compute", plan)).status_code == 404


def test_observatory_sees_dashboard_with_bounded_queries(
    client, plan, observatory_user, territory, django_assert_max_num_queries
):
    engine.compute(plan, everywhere=True)
    client.force_login(observatory_user)
    # About 20: session and user, access (2), territories (2), filter choices (2), indicators
    # with targets and measurements (4), snapshots (1), values (2), last run (1)… — and above
    # all, not one more with more data (below).
    with django_assert_max_num_queries(24) as captured:
        response = client.get(url("dashboard", plan))
    assert response.status_code == 200
    text = response.text
    assert "Fiche 4B" in text and "<bar-chart" in text and 'id="tableau-4B-3"' in text
    assert "Lancer le calcul" in text  # the observatory may start a computation
    # More data and more snapshots: the same number of queries.
    for _ in range(20):
        CommuneFactory(department=territory["department"], epci=territory["other"])
    engine.compute(plan, everywhere=True)
    with django_assert_max_num_queries(len(captured.captured_queries)):
        client.get(url("dashboard", plan), {"territoire": f"epci-{territory['lmm'].siren}"})


def test_plan_member_sees_dashboard_but_cannot_compute(client, plan, agent):
    client.force_login(agent)
    response = client.get(url("dashboard", plan))
    assert response.status_code == 200 and "Lancer le calcul" not in response.text
    assert client.post(url("compute", plan), {"period": "2010T3"}).status_code == 404
    assert not ComputationRun.objects.exists()


def test_dashboard_pdf_xlsx_and_sql_show_the_same_number(client, plan, observatory_user, published, settings):
    expected = population_by_sql()
    client.force_login(observatory_user)
    html = client.get(url("dashboard", plan), {"territoire": "departement-72"}).text
    assert dashboard_value(html, "4B-2", Q3.label) == str(expected)
    pdf = client.get(url("download", plan, published.pk, "pdf"))
    assert pdf["Content-Type"] == "application/pdf" and pdf.content.startswith(b"%PDF")
    assert expected in numbers_in(pdf_text(pdf.content))
    xlsx = client.get(url("download", plan, published.pk, "xlsx"))
    sheet = CalamineWorkbook.from_filelike(io.BytesIO(xlsx.content)).get_sheet_by_name("Suivi trimestriel")
    orders = next(r for r in sheet.to_python() if str(r[0]).startswith("Ordonnances"))
    assert orders[3] == expected


def test_filters_and_htmx_partial(client, plan, observatory_user):
    client.force_login(observatory_user)
    response = client.get(url("dashboard", plan), {"orientation": "1"}, headers={"HX-Request": "true"})
    assert response.status_code == 200
    assert response.text.lstrip().startswith('<div id="resultats"')
    assert "Fiche 1B" in response.text and "Fiche 4B" not in response.text
    response = client.get(url("dashboard", plan), {"organisation": "CG72"})
    assert "Fiche 4B" in response.text and "Fiche 1B" not in response.text


def test_not_yet_computed_is_said(client, plan, agent):
    client.force_login(agent)
    assert "Pas encore calculé" in client.get(url("dashboard", plan)).text


def test_compute_button_enqueues_a_run(client, plan, observatory_user):
    client.force_login(observatory_user)
    response = client.post(url("compute", plan), {"period": "2010T3"})
    assert response.status_code == 302
    run = ComputationRun.objects.get()
    assert (run.requested_by, run.status, run.period_code) == (observatory_user, RunStatus.DONE, "2010T3")
    assert IndicatorSnapshot.objects.filter(run=run).count() == run.snapshot_count == 9


def test_reports_page_preview_and_publish(client, plan, observatory_user, territory, django_assert_max_num_queries):
    engine.compute(plan, periods=[Q3])
    client.force_login(observatory_user)
    # 12: the sheet the plan's reports carry out (its 4B) is read for the page's title; the
    # latest publications asked for are listed to who may publish.
    with django_assert_max_num_queries(12):
        assert client.get(url("reports", plan)).status_code == 200
    params = {"kind": "trimestriel", "period": "2010T3"}
    # Fixed queries, plus one per registered metric a line computes directly (per period
    # and territory shown): bounded by the report's size, not by the data.
    with django_assert_max_num_queries(45) as captured:
        preview = client.get(url("preview", plan), params)
    assert preview.status_code == 200 and "Publier ce rapport" in preview.text
    for _ in range(10):
        CommuneFactory(department=territory["department"], epci=None)
    engine.compute(plan, periods=[Q3])
    with django_assert_max_num_queries(len(captured.captured_queries)):
        client.get(url("preview", plan), params)
    assert "<bar-chart" in preview.text
    wrong = client.get(url("preview", plan), {"kind": "trimestriel", "period": "2010"})
    assert wrong.status_code == 422 and "porte sur un trimestre" in wrong.text
    response = client.post(url("publish", plan), {"kind": "trimestriel", "period": "2010T3"}, follow=True)
    assert "Publié : Suivi trimestriel 3e trimestre 2010 — version 1" in response.text
    response = client.post(url("publish", plan), {"kind": "trimestriel", "period": "2010T3"}, follow=True)
    assert "rien à publier" in response.text
    assert PublishedReport.objects.count() == 1


def test_agent_cannot_publish(client, plan, agent):
    client.force_login(agent)
    assert client.post(url("publish", plan), {"kind": "trimestriel", "period": "2010T3"}).status_code == 404


def test_open_data_is_public(client, plan):
    engine.compute(plan, periods=[Q3])
    assert client.get(url("opendata", plan)).status_code == 200
    response = client.get(url("opendata_csv", plan))
    assert response.status_code == 200 and response.text.startswith("plan,indicateur,")
    assert client.get(url("opendata_package", plan)).json()["resources"][0]["path"] == "indicateurs.csv"


@pytest.mark.parametrize("name", ["dashboard", "reports", "preview"])
def test_pages_respect_the_strict_csp(client, plan, observatory_user, name):
    engine.compute(plan, periods=[Q3])
    client.force_login(observatory_user)
    params = {"kind": "trimestriel", "period": "2010T3"} if name == "preview" else {}
    response = client.get(url(name, plan), params)
    assert not EXTERNAL.search(response.text)
    assert not INLINE_HANDLER.search(response.text)
    assert "style=" not in response.text
    nonce = re.search(r"script-src[^;]*'nonce-([^']+)'", response.headers["Content-Security-Policy"]).group(1)
    for script in re.findall(r"<script\b[^>]*>", response.text):
        assert f'nonce="{nonce}"' in script


def test_menu_has_the_observatory(client, plan, agent):
    client.force_login(agent)
    assert reverse("observatory:home") in client.get(reverse("organisations:list")).text
