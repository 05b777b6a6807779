"""The cross-matching through the API (sheet 3A): runs as counts for every key reading
indicators; the review queue and decisions for a key whose organisation sees BOTH records
of a link (toit.linkage.access). A link never reveals a record the organisation cannot
already see: not listed, not decidable (404, as a missing link), nothing logged as read."""

import datetime

import pytest

from tests.api.conftest import client_for, make_file
from tests.api.factories import make_key
from tests.api.test_auth import assert_problem
from tests.organisations.factories import OrganisationFactory
from tests.priority_access.factories import DaloAppealFactory, HousingDemandFactory
from toit.api.enums import Scope
from toit.audit.enums import AccessAction
from toit.audit.models import AccessLog
from toit.linkage.enums import LinkStatus, Verdict
from toit.linkage.models import LinkDecision, LinkRun, RecordLink

MARKER = "Zqxrapproche"


def reads():
    return sorted(AccessLog.objects.filter(action=AccessAction.API).values_list("object_type", "object_id"))


@pytest.fixture
def run(org):
    return LinkRun.objects.create(
        department=org.department,
        sources=["dalo", "demande", "expulsion"],
        started_at=datetime.datetime(2026, 11, 2, 8, tzinfo=datetime.UTC),
        lower_threshold=0.3,
        upper_threshold=0.99,
        record_count=12,
        candidate_pairs=40,
    )


def link(run, left, right, status=LinkStatus.REVIEW, probability=0.8):
    (left_source, left_pk), (right_source, right_pk) = sorted([left, right])
    return RecordLink.objects.create(
        run=run,
        left_source=left_source,
        left_pk=left_pk,
        right_source=right_source,
        right_pk=right_pk,
        probability=probability,
        status=status,
    )


@pytest.fixture
def links(org, other_org, run, le_mans):
    """Three links to review: both records the key's (seen), one side another
    organisation's (never shown), and a DALO appeal of the key's with an eviction file the
    key's organisation does not follow (never shown)."""
    appeal = DaloAppealFactory(holder=org, last_name="Durand", commune=le_mans)
    demand = HousingDemandFactory(holder=org, last_name="Durand", commune=le_mans)
    foreign = HousingDemandFactory(holder=other_org, last_name=MARKER, commune=le_mans)
    foreign_file = make_file(other_org, last_name=MARKER, commune=le_mans)
    return {
        "seen": link(run, ("dalo", appeal.pk), ("demande", demand.pk), probability=0.9),
        "half": link(run, ("dalo", appeal.pk), ("demande", foreign.pk), probability=0.95),
        "file": link(run, ("dalo", appeal.pk), ("expulsion", foreign_file.pk), probability=0.97),
        "appeal": appeal,
        "demand": demand,
    }


def test_the_review_queue_never_lists_a_link_with_an_invisible_side(api, other_api, links):
    response = api.get("/api/linkage/review/")
    assert response.status_code == 200, response.content
    assert [row["id"] for row in response.json()["results"]] == [links["seen"].pk]
    assert MARKER.encode() not in response.content
    row = response.json()["results"][0]
    assert {row["left"]["source"], row["right"]["source"]} == {"dalo", "demande"}
    assert {row["left"]["name"], row["right"]["name"]} == {"DURAND Camille"}
    # Both records shown are logged, nothing of the hidden ones.
    assert reads() == sorted(
        [
            ("priority_access.daloappeal", str(links["appeal"].pk)),
            ("priority_access.housingdemand", str(links["demand"].pk)),
        ]
    )
    # The other organisation sees one side at most of every link: an empty queue.
    before = reads()
    other = other_api.get("/api/linkage/review/")
    assert other.status_code == 200 and other.json()["results"] == []
    assert reads() == before


def test_deciding_a_link_one_cannot_see_is_404_like_a_missing_one(api, links):
    for name in ("half", "file"):
        hidden = api.post(
            f"/api/linkage/links/{links[name].pk}/decision/",
            {"verdict": Verdict.CONFIRMED, "reason": "Même date de naissance et même adresse."},
            format="json",
        )
        assert_problem(hidden, 404, "introuvable")
        missing = api.post(
            "/api/linkage/links/999999/decision/",
            {"verdict": Verdict.CONFIRMED, "reason": "Même date de naissance et même adresse."},
            format="json",
        )
        assert hidden.json()["detail"] == missing.json()["detail"]
        assert MARKER.encode() not in hidden.content
    assert RecordLink.objects.get(pk=links["half"].pk).status == LinkStatus.REVIEW
    assert not LinkDecision.objects.exists()


def test_the_key_decides_for_its_organisation_with_a_reason(api, org, key, links):
    url = f"/api/linkage/links/{links['seen'].pk}/decision/"
    refused = api.post(url, {"verdict": Verdict.CONFIRMED}, format="json")
    assert_problem(refused, 400, "requete-invalide")
    response = api.post(
        url, {"verdict": Verdict.CONFIRMED, "reason": "Même personne, vu avec la CCAPEX."}, format="json"
    )
    assert response.status_code == 200, response.content
    body = response.json()
    assert (body["link"], body["status"], body["verdict"]) == (links["seen"].pk, "confirme", "confirme")
    assert body["acting_for"] == {"code": org.code, "name": org.name}
    decision = LinkDecision.objects.get()
    assert (decision.decided_by, decision.acting_for, decision.reason) == (
        key.key.user,
        org,
        "Même personne, vu avec la CCAPEX.",
    )
    # Decided: out of the queue.
    assert api.get("/api/linkage/review/").json()["results"] == []


def test_a_key_without_the_write_scope_cannot_decide(org, links):
    client = client_for(make_key(org, scopes=[Scope.LINKAGE_READ]).token)
    response = client.post(
        f"/api/linkage/links/{links['seen'].pk}/decision/",
        {"verdict": Verdict.REJECTED, "reason": "Dates de naissance différentes."},
        format="json",
    )
    assert_problem(response, 403, "permission-manquante")
    assert not LinkDecision.objects.exists()


def test_runs_are_counts_only(api, run, links):
    link(run, ("dalo", links["appeal"].pk), ("mous", 1), status=LinkStatus.ACCEPTED)
    response = api.get("/api/linkage/runs/")
    assert response.status_code == 200, response.content
    (row,) = response.json()["results"]
    assert row["id"] == run.pk and row["department"] == "72"
    assert (row["record_count"], row["candidate_pairs"]) == (12, 40)
    assert row["links"] == {"accepte": 1, "a_verifier": 3, "confirme": 0, "rejete": 0}
    assert MARKER.encode() not in response.content and b"Durand" not in response.content
    assert reads() == []


def test_runs_are_aggregates_for_an_observatory_key(org, run):
    client = client_for(make_key(org, scopes=[Scope.INDICATORS_READ]).token)
    assert client.get("/api/linkage/runs/").status_code == 200
    assert_problem(client.get("/api/linkage/review/"), 403, "permission-manquante")


def test_a_key_of_another_departement_sees_no_link(links):
    from tests.territory.factories import DepartmentFactory

    mayenne = OrganisationFactory(code="CAF53", department=DepartmentFactory(code="53", name="Mayenne"))
    client = client_for(make_key(mayenne).token)
    assert client.get("/api/linkage/review/").json()["results"] == []
    response = client.post(
        f"/api/linkage/links/{links['seen'].pk}/decision/",
        {"verdict": Verdict.REJECTED, "reason": "Dates de naissance différentes."},
        format="json",
    )
    assert_problem(response, 404, "introuvable")
    assert reads() == []


def test_the_review_queue_reads_a_page_in_a_fixed_number_of_queries(org, api, run, le_mans):
    from tests.api.test_queries import assert_flat

    def add(count):
        for _ in range(count):
            appeal = DaloAppealFactory(holder=org, commune=le_mans)
            demand = HousingDemandFactory(holder=org, commune=le_mans)
            link(run, ("dalo", appeal.pk), ("demande", demand.pk))

    assert_flat(api, "/api/linkage/review/", add, bound=11)


def test_the_runs_list_reads_a_page_in_a_fixed_number_of_queries(org, api):
    from tests.api.test_queries import assert_flat

    def add(count):
        for day in range(count):
            LinkRun.objects.create(
                department=org.department,
                sources=["dalo"],
                started_at=datetime.datetime(2026, 1, 1 + day, tzinfo=datetime.UTC),
                lower_threshold=0.3,
                upper_threshold=0.99,
            )

    assert_flat(api, "/api/linkage/runs/", add, bound=4)


def test_a_key_cannot_decide_on_behalf_of_another_organisation(api, other_org, links):
    response = api.post(
        f"/api/linkage/links/{links['seen'].pk}/decision/",
        {"verdict": Verdict.CONFIRMED, "reason": "Même personne, vu avec la CCAPEX.", "organisation": other_org.code},
        format="json",
    )
    assert_problem(response, 403, "acces-refuse")
    assert not LinkDecision.objects.exists()
