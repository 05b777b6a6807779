"""Priority-access records through the API (sheets 3A-3D): the holder's key reads them,
as the pages do (toit.priority_access.access); any other organisation, of the same
département or another, gets an empty list or the 404 of a missing record, and nothing
is logged as read. DALO appeals carry their legal deadlines."""

import datetime

import pytest
from django.utils import timezone

from tests.api.conftest import client_for
from tests.api.factories import make_key
from tests.api.test_auth import assert_problem
from tests.organisations.factories import OrganisationFactory
from tests.priority_access.factories import (
    ContingentProposalFactory,
    DaloAgglomerationFactory,
    DaloAppealFactory,
    HousingDemandFactory,
    MousFollowupFactory,
    ProjectFollowupFactory,
    SlidingLeaseFactory,
)
from tests.territory.factories import DepartmentFactory
from toit.api.enums import Scope
from toit.audit.enums import AccessAction
from toit.audit.models import AccessLog
from toit.priority_access.enums import DaloEndReason, MousEndReason

D = datetime.date
MARKER = "Zqxprioritaire"

ENDPOINTS = {
    "demands": HousingDemandFactory,
    "dalo-appeals": DaloAppealFactory,
    "contingent-proposals": ContingentProposalFactory,
    "project-followups": ProjectFollowupFactory,
    "sliding-leases": SlidingLeaseFactory,
    "mous-followups": MousFollowupFactory,
}


def reads():
    return list(AccessLog.objects.filter(action=AccessAction.API).values_list("object_type", "object_id", "view"))


@pytest.fixture
def mayenne_api():
    """A key of an organisation of another département."""
    mayenne = DepartmentFactory(code="53", name="Mayenne")
    return client_for(make_key(OrganisationFactory(code="CAF53", department=mayenne)).token)


@pytest.mark.parametrize("endpoint", ENDPOINTS)
def test_another_organisation_gets_404_and_nothing_is_logged_as_read(
    endpoint, org, api, other_api, mayenne_api, le_mans
):
    record = ENDPOINTS[endpoint](holder=org, last_name=MARKER, commune=le_mans)
    for client in (other_api, mayenne_api):
        hidden = client.get(f"/api/priority-access/{endpoint}/{record.pk}/")
        missing = client.get(f"/api/priority-access/{endpoint}/999999/")
        assert_problem(hidden, 404, "introuvable")
        assert hidden.json()["detail"] == missing.json()["detail"]
        listed = client.get(f"/api/priority-access/{endpoint}/")
        assert listed.status_code == 200 and listed.json()["results"] == []
        assert MARKER.encode() not in hidden.content + listed.content
    assert reads() == []
    # The holder's key reads it, and the read is logged.
    response = api.get(f"/api/priority-access/{endpoint}/{record.pk}/")
    assert response.status_code == 200, response.content
    assert response.json()["last_name"] == MARKER
    assert reads() == [
        (record._meta.label_lower, str(record.pk), "api:priority_access_" + endpoint.replace("-", "_")[:-1])
    ]


def test_the_list_is_the_holders_and_logs_each_row(org, other_org, api):
    mine = [HousingDemandFactory(holder=org, filed_on=D(2009, 1, day)) for day in (5, 6)]
    HousingDemandFactory(holder=other_org, last_name=MARKER)
    response = api.get("/api/priority-access/demands/")
    assert response.status_code == 200, response.content
    assert [row["id"] for row in response.json()["results"]] == [mine[1].pk, mine[0].pk]
    assert MARKER.encode() not in response.content
    assert sorted(object_id for _type, object_id, _view in reads()) == sorted(str(d.pk) for d in mine)


def test_a_key_without_the_scope_is_refused(org, le_mans):
    record = DaloAppealFactory(holder=org)
    client = client_for(make_key(org, scopes=[Scope.FILES_READ]).token)
    assert_problem(client.get(f"/api/priority-access/dalo-appeals/{record.pk}/"), 403, "permission-manquante")
    assert reads() == []


def test_an_observatory_key_is_refused(org):
    record = DaloAppealFactory(holder=org)
    client = client_for(make_key(org, scopes=[Scope.INDICATORS_READ, Scope.PRIORITY_ACCESS_READ]).token)
    assert client.get(f"/api/priority-access/dalo-appeals/{record.pk}/").status_code == 200
    observatory = client_for(make_key(org, scopes=[Scope.INDICATORS_READ]).token)
    assert_problem(observatory.get("/api/priority-access/dalo-appeals/"), 403, "permission-manquante")


def test_dalo_appeals_carry_their_dated_deadlines(org, api):
    DaloAgglomerationFactory(department=org.department, since=D(2000, 1, 1), large_agglomeration=False)
    waiting = DaloAppealFactory(holder=org, filed_on=D(2026, 10, 1))
    priority = DaloAppealFactory(holder=org, priority=True, filed_on=D(2009, 2, 1))
    rehoused = DaloAppealFactory(holder=org, priority=True, filed_on=D(2009, 2, 1), rehoused_on=D(2009, 9, 1))
    body = {row["id"]: row for row in api.get("/api/priority-access/dalo-appeals/").json()["results"]}
    assert (body[waiting.pk]["commission_deadline"], body[waiting.pk]["rehousing_deadline"]) == ("2027-01-01", None)
    assert body[waiting.pk]["overdue"] is False
    # Decided 15/04/2009, three months outside a large agglomeration: overdue on the pinned day.
    assert body[priority.pk]["rehousing_deadline"] == "2009-07-15"
    assert body[priority.pk]["overdue"] is True
    assert body[rehoused.pk]["overdue"] is False
    assert api.get("/api/priority-access/dalo-appeals/", {"overdue": "true"}).json()["results"][0]["id"] == priority.pk


def test_an_appeal_ended_without_rehousing_is_overdue_until_its_end_only(org, api):
    today = timezone.localdate()
    ended = DaloAppealFactory(holder=org, priority=True, ended_on=today, end_reason=DaloEndReason.REFUSED_OFFER)
    ending = DaloAppealFactory(
        holder=org, priority=True, ended_on=today + datetime.timedelta(days=1), end_reason=DaloEndReason.LEFT
    )
    body = {row["id"]: row for row in api.get("/api/priority-access/dalo-appeals/").json()["results"]}
    assert (body[ended.pk]["ended_on"], body[ended.pk]["end_reason"]) == (today.isoformat(), "offre_refusee")
    assert body[ended.pk]["overdue"] is False
    assert body[ending.pk]["overdue"] is True  # decided in 2009: the prefect's deadline is long past
    overdue = api.get("/api/priority-access/dalo-appeals/", {"overdue": "true"}).json()["results"]
    assert [row["id"] for row in overdue] == [ending.pk]
    running = DaloAppealFactory(holder=org, priority=True)
    assert api.get(f"/api/priority-access/dalo-appeals/{running.pk}/").json()["end_reason"] is None
    followup = MousFollowupFactory(holder=org, ended_on=D(2010, 1, 4), end_reason=MousEndReason.OTHER_SOLUTION)
    row = api.get(f"/api/priority-access/mous-followups/{followup.pk}/").json()
    assert (row["ended_on"], row["end_reason"], row["rehoused_on"]) == ("2010-01-04", "autre_solution", None)


def test_unknown_filter_and_department_are_refused(api):
    assert_problem(api.get("/api/priority-access/demands/", {"nom": "x"}), 400, "parametre-invalide")
    assert_problem(api.get("/api/priority-access/demands/", {"department": "99"}), 400, "parametre-invalide")


def test_lists_read_a_page_in_a_fixed_number_of_queries(org, api):
    from tests.api.test_queries import assert_flat

    def add(count):
        for _ in range(count):
            DaloAppealFactory(holder=org, priority=True)

    assert_flat(api, "/api/priority-access/dalo-appeals/", add, bound=7)

    def add_demands(count):
        for _ in range(count):
            HousingDemandFactory(holder=org)

    assert_flat(api, "/api/priority-access/demands/", add_demands, bound=7)
