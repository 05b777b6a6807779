"""Every refusal the API sends is in French: DRF's own messages (translated, LANGUAGES is
French only) and the JSON parser's, which Python writes in English (« Expecting value:
line 1 column 1 »)."""

import re

import pytest

from tests.api.test_reports import caf, caf_api, payload  # noqa: F401 - fixtures

pytestmark = pytest.mark.django_db

ENGLISH = re.compile(
    r"\b(the|this|is|are|must|should|may|not|field|required|valid|value|expecting|expected|delimiter|"
    r"property|enclosed|unterminated|extra|data|invalid|ensure|characters|number|string|char|line|column)\b",
    re.IGNORECASE,
)


def french(response):
    """The response is a refusal whose texts (title, detail, each error) are French."""
    assert response.status_code in (400, 413, 415, 422), response.content
    body = response.json()
    texts = [body["title"], body["detail"], *(e["detail"] for e in body.get("errors", []))]
    found = [word for text in texts for word in ENGLISH.findall(text)]
    assert not found, (found, texts)


@pytest.mark.parametrize(
    "body",
    [
        "",
        "{",
        "{'a': 1}",
        '{"a" 1}',
        '{"a": 1,}',
        '{"a": 1} x',
        '{"a": "x',
        '{"a": "\\q"}',
        '{"a": "\\u12"}',
        '{"a": "\t"}',
        '{"a": NaN}',
        '{"a": Infinity}',
        "[1, 2",
        "nul",
        "\ufeff{}",
    ],
)
def test_broken_json_is_explained_in_french(caf_api, body):  # noqa: F811
    french(caf_api.post("/api/reports/", body, content_type="application/json"))


@pytest.mark.parametrize(
    "body",
    [
        {},
        {"source": None, "reported_on": None, "debt_amount": None, "last_name": None, "first_name": None},
        {"source": 1, "reported_on": 2010, "debt_amount": [], "last_name": {}, "first_name": True},
        {**payload(), "months_unpaid": -1, "debt_amount": "1e400"},
        {**payload(), "months_unpaid": "trois", "birth_date": "12/04/1975"},
        {**payload(), "last_name": "x" * 151, "commune": 72181},
        [payload()],
        "texte",
    ],
)
def test_malformed_reports_are_refused_in_french(caf_api, body):  # noqa: F811
    french(caf_api.post("/api/reports/", body, format="json"))


def test_malformed_events_are_refused_in_french(api, file):
    url = f"/api/files/{file.reference}/events/"
    for body in ({}, {"kind": "commandement_payer", "date": "hier", "amount": "x" * 40}, {"kind": ["a"]}):
        french(api.post(url, body, format="json"))


def test_a_form_body_is_refused_in_french(caf_api):  # noqa: F811
    french(caf_api.post("/api/reports/", "a=1", content_type="application/x-www-form-urlencoded"))
