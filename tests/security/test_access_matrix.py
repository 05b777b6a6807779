"""The access matrix: every view of Toit (read from the URL resolver) and every endpoint of
the API (also read from its OpenAPI schema) × five visitors — an agent of the organisation
owning the file, an agent of a partner organisation taking part in it, an agent of an
unrelated organisation, the observatory role of the owning organisation, and an anonymous
visitor — gives the expected status, and the household's marker never appears where the
visitor may not read the file. A view missing from EXPECTED fails the test: a new view is
classified the day it is added."""

import pytest
from django.test import Client
from django.urls import resolve
from drf_spectacular.generators import SchemaGenerator

from tests.security.conftest import MARKER, PARAMETERS, ROLES
from tests.security.routes import all_routes, urls

OWNER_AND_PARTNER = frozenset({"owner", "partner"})
OWNER = frozenset({"owner"})
NOBODY = frozenset()


def statuses(owner, partner, unrelated, observatory, anonymous):
    return dict(zip(ROLES, (owner, partner, unrelated, observatory, anonymous), strict=True))


# Pages. 302 for the anonymous visitor is a redirection to the login page.
FILE = (statuses(200, 200, 404, 403, 302), OWNER_AND_PARTNER)  # a file not theirs: the 404 of a missing one
LIST = (statuses(200, 200, 200, 403, 302), OWNER_AND_PARTNER)  # each sees the rows of their organisations
FORM = (statuses(200, 200, 200, 403, 302), NOBODY)
POST_ONLY = (statuses(405, 405, 405, 403, 302), NOBODY)
MANAGERS_ONLY = (statuses(403, 403, 403, 403, 302), NOBODY)  # agents and the observatory: refused
IMPORT_JOB = (statuses(200, 404, 404, 404, 302), OWNER)  # an import belongs to one organisation
IMPORT_LIST = (statuses(200, 200, 200, 200, 302), OWNER)  # the observatory's list is empty
IMPORT_POST = (statuses(405, 405, 405, 405, 302), NOBODY)
AGGREGATE = (statuses(200, 200, 200, 200, 302), NOBODY)  # non-nominative: every partner of the plan
AGGREGATE_POST = (statuses(405, 405, 405, 405, 302), NOBODY)
OPERATORS = (statuses(404, 404, 404, 200, 302), NOBODY)  # the observatory's publications: who may publish
STEERING_EDIT = (statuses(404, 404, 404, 404, 302), NOBODY)  # responsables of the plan only; agents: 404
TO_PLAN = (statuses(302, 302, 302, 302, 302), NOBODY)  # section homes redirect to the current plan
PUBLIC = (statuses(200, 200, 200, 200, 200), NOBODY)  # open data, API documentation
# API: problem details (RFC 9457) for every refusal; 401 without a key or a session.
API_FILE = (statuses(200, 200, 404, 403, 401), OWNER_AND_PARTNER)
API_LIST = (statuses(200, 200, 200, 403, 401), OWNER_AND_PARTNER)
API_IMPORT = (statuses(200, 404, 404, 403, 401), OWNER)
API_IMPORT_LIST = (statuses(200, 200, 200, 403, 401), OWNER)
API_POST_ONLY = (statuses(405, 405, 405, 405, 401), NOBODY)
API_AGGREGATE = (statuses(200, 200, 200, 200, 401), NOBODY)
API_POLE = (statuses(200, 200, 403, 403, 401), OWNER_AND_PARTNER)  # the pôle's members only
API_PRIORITY_LIST = (statuses(200, 200, 200, 403, 401), OWNER)  # the holder's rows; others an empty list
API_PRIORITY_RECORD = (statuses(200, 404, 404, 403, 401), OWNER)  # another file's record: a missing one
PRIORITY_FILES = (
    "demands",
    "dalo_appeals",
    "contingent_proposals",
    "project_followups",
    "sliding_leases",
    "mous_followups",
)
# The dwelling register: members of the département's pôle only (owner and partner here);
# anybody else is refused before any lookup (403, the same for a record that exists or not).
POLE = (statuses(200, 200, 403, 403, 302), OWNER_AND_PARTNER)
POLE_DECISION = (statuses(403, 403, 403, 403, 302), NOBODY)  # responsables of the pôle only
POLE_POST = (statuses(405, 405, 403, 403, 302), NOBODY)

# Issue 15: the landing page (nominative roles: their work, with recent files; the
# observatory: sent on to its dashboard), corrections, notifications, public pages, help.
LANDING = (statuses(200, 200, 200, 302, 302), OWNER_AND_PARTNER)
MEASUREMENT_CORRECTION = (statuses(200, 404, 404, 200, 302), NOBODY)  # who may record 1A-1: CAF72, observatory
OWN = (statuses(200, 200, 200, 200, 302), NOBODY)  # each visitor's own notifications, help pages

EXPECTED = {
    "home": LANDING,
    "plans:home": TO_PLAN,
    "plans:choose": AGGREGATE_POST,
    "plans:correct": MEASUREMENT_CORRECTION,
    "eviction:correct": FILE,
    "eviction:correct_household": FILE,
    "eviction:correct_lease": FILE,
    "eviction:add_member": FILE,
    "eviction:cancel_file": FILE,
    "notifications:list": OWN,
    "notifications:counter": OWN,
    "notifications:mark_read": (statuses(405, 405, 405, 405, 302), NOBODY),
    "accessibility": PUBLIC,
    "legal": PUBLIC,
    "personal_data": PUBLIC,
    "sitemap": PUBLIC,
    "help": OWN,
    "help_page": OWN,
    "login": (statuses(302, 302, 302, 302, 200), NOBODY),  # logged in: sent on to the home page
    "logout": (statuses(405, 405, 405, 405, 302), NOBODY),  # POST only
    "two_factor_verify": (statuses(200, 200, 200, 200, 302), NOBODY),
    # Without the activation link (issue 10), an account with no authenticator may not enrol one.
    "two_factor_setup": (statuses(403, 403, 403, 403, 302), NOBODY),
    "password_reset": PUBLIC,
    "password_reset_done": PUBLIC,
    "password_reset_confirm": PUBLIC,  # an invalid link: the page says so
    "password_reset_complete": PUBLIC,
    "plans:overview": AGGREGATE,
    "plans:action": AGGREGATE,
    "plans:record": AGGREGATE_POST,
    "organisations:list": AGGREGATE,
    "organisations:detail": AGGREGATE,
    "observatory:home": TO_PLAN,
    "observatory:dashboard": AGGREGATE,
    "observatory:compute": AGGREGATE_POST,
    "observatory:reports": AGGREGATE,
    "observatory:preview": AGGREGATE,
    "observatory:publish": AGGREGATE_POST,
    "observatory:download": AGGREGATE,
    "observatory:publication": OPERATORS,
    "observatory:publication_progress": OPERATORS,
    "observatory:opendata": PUBLIC,
    "observatory:opendata_csv": PUBLIC,
    "observatory:opendata_spreadsheet_csv": PUBLIC,
    "observatory:opendata_package": PUBLIC,
    "steering:home": TO_PLAN,
    "steering:overview": AGGREGATE,
    "steering:meeting_new": STEERING_EDIT,
    "steering:meeting": AGGREGATE,
    "steering:meeting_edit": STEERING_EDIT,
    "steering:agenda_add": AGGREGATE_POST,
    "steering:decision_add": AGGREGATE_POST,
    "steering:minutes_upload": AGGREGATE_POST,
    "steering:decision_follow_up": AGGREGATE_POST,
    "steering:decision_correct": STEERING_EDIT,
    "steering:agenda_correct": STEERING_EDIT,
    "steering:order_new": STEERING_EDIT,
    "steering:order": AGGREGATE,
    "steering:order_edit": STEERING_EDIT,
    "steering:deliverable_upload": AGGREGATE_POST,
    "steering:order_step": AGGREGATE_POST,
    "steering:attachment": AGGREGATE,
    "eviction:search": LIST,
    "eviction:queues": LIST,
    "eviction:reports": LIST,
    "eviction:report_new": FORM,
    "eviction:report": FILE,  # a report attached to the file: its participants read it
    "eviction:report_attach": POST_ONLY,
    "eviction:report_open_file": POST_ONLY,
    "eviction:transmitted": LIST,  # a report of a fourth organisation, transmitted to the file
    "eviction:transmission_decide": POST_ONLY,
    "eviction:report_join": POST_ONLY,
    "eviction:break_glass": MANAGERS_ONLY,
    "eviction:file": FILE,
    "eviction:file_history": FILE,
    "eviction:event": FILE,
    "eviction:event_fields": FILE,
    "eviction:followup": FILE,
    "dwellings:register": POLE,
    "dwellings:dwelling": POLE,
    "dwellings:overdue_works": POLE,
    "dwellings:landlords": POLE,
    "dwellings:indelicacy_new": POLE_DECISION,
    "dwellings:indelicacy_review": POLE_DECISION,
    "dwellings:merges": POLE,
    "dwellings:merge_decide": POLE_POST,
    "dwellings:pst": POLE,
    "dwellings:correct": POLE,
    # Issue 11: entering the register, for the same members (a form on a record they read).
    "dwellings:dwelling_new": (statuses(200, 200, 403, 403, 302), NOBODY),
    "dwellings:case_new": POLE,
    "dwellings:dpe_new": POLE,
    "dwellings:report_new": POLE,
    "dwellings:visit_new": POLE,
    "dwellings:qualification_new": POLE,
    "dwellings:act_new": POLE,
    "dwellings:rehousing_new": POLE,
    "dwellings:case_exit": POLE,
    "dwellings:works_new": POLE,
    "dwellings:works_done": POLE,
    # Accommodation: aggregates for every partner; residents for the structure's staff, the
    # applications for the commission's secretariat (both the owner in the world).
    "accommodation:home": AGGREGATE,
    "accommodation:structures": AGGREGATE,
    "accommodation:structure": (statuses(200, 200, 200, 200, 302), OWNER),
    "accommodation:stay_correct": (statuses(200, 404, 404, 403, 302), OWNER),
    "accommodation:commission": (statuses(200, 200, 200, 403, 302), OWNER),
    "accommodation:application": (statuses(200, 404, 404, 403, 302), OWNER),
    "accommodation:projects": AGGREGATE,
    # Issue 12's forms: the structure's staff record stays, places and conventions (an unknown
    # structure's 404 for everybody else); State services and local authorities of the
    # département record projects (DDE72 and CCAS72 here, not the CAF); every nominative role
    # files an application to a commission of its département.
    "accommodation:stay_entry": (statuses(200, 404, 404, 403, 302), NOBODY),
    "accommodation:stay_exit": (statuses(200, 404, 404, 403, 302), OWNER),
    "accommodation:resident_correct": (statuses(200, 404, 404, 403, 302), OWNER),
    "accommodation:application_correct": (statuses(200, 404, 404, 403, 302), OWNER),
    "accommodation:capacity": (statuses(200, 404, 404, 403, 302), NOBODY),
    "accommodation:partnership_new": (statuses(200, 404, 404, 403, 302), NOBODY),
    "accommodation:partnership": (statuses(200, 404, 404, 403, 302), NOBODY),
    "accommodation:funding_new": (statuses(200, 404, 404, 403, 302), NOBODY),
    "accommodation:funding": (statuses(200, 404, 404, 403, 302), NOBODY),
    "accommodation:application_new": FORM,
    "accommodation:project_new": (statuses(404, 200, 200, 404, 302), NOBODY),
    "accommodation:project_advance": (statuses(404, 200, 200, 404, 302), NOBODY),
    "accommodation:project_correct": (statuses(404, 200, 200, 404, 302), NOBODY),
    "imports:list": IMPORT_LIST,
    "imports:new": (statuses(200, 200, 200, 200, 302), NOBODY),
    "imports:sample": (statuses(200, 200, 200, 200, 302), NOBODY),
    "imports:detail": IMPORT_JOB,
    "imports:progress": IMPORT_JOB,
    "imports:decide": IMPORT_POST,
    "imports:rerun": IMPORT_POST,
    "imports:errors": IMPORT_JOB,
    "priority_access:home": LIST,
    "priority_access:dalo_queue": LIST,
    "priority_access:household": FILE,  # the eviction file seen through its household's channels
    "priority_access:review": LIST,
    # Counts for every partner, the observatory included; names only for who sees every record.
    "priority_access:cross_matching": (statuses(200, 200, 200, 200, 302), OWNER),
    "api:me": API_AGGREGATE,
    "api:files": API_LIST,
    "api:file": API_FILE,
    "api:file_events": API_POST_ONLY,
    "api:reports": API_LIST,
    "api:report": API_FILE,
    "api:report_attach": API_POST_ONLY,
    "api:report_open_file": API_POST_ONLY,
    "api:indicators": API_AGGREGATE,
    "api:publications": API_AGGREGATE,
    "api:publication": API_AGGREGATE,
    "api:publication_pdf": API_AGGREGATE,
    "api:publication_xlsx": API_AGGREGATE,
    "api:imports": API_IMPORT_LIST,
    "api:import": API_IMPORT,
    "api:import_errors": API_IMPORT,
    "api:import_errors_csv": API_IMPORT,
    "api:dwellings": API_POLE,
    "api:dwelling": API_POLE,
    "api:accommodation_structures": API_AGGREGATE,
    # Stays and a structure's monthly occupancy: the structure's staff (the owner) only.
    "api:accommodation_stays": (statuses(200, 200, 200, 403, 401), OWNER),
    "api:accommodation_structure_stays": (statuses(200, 404, 404, 403, 401), OWNER),
    "api:accommodation_structure_occupancy": (statuses(200, 404, 404, 403, 401), NOBODY),
    # Issue 13: priority-access records for the organisation holding the file (the owner in
    # the world); runs of the cross-matching are counts for everybody; the review queue lists
    # a link only to who sees both records (the owner: the partner does not see the appeal).
    **{f"api:priority_access_{name}": API_PRIORITY_LIST for name in PRIORITY_FILES},
    **{f"api:priority_access_{name}": API_PRIORITY_RECORD for name in (name[:-1] for name in PRIORITY_FILES)},
    "api:linkage_runs": API_AGGREGATE,
    "api:linkage_review": API_PRIORITY_LIST,
    "api:linkage_link_decision": API_POST_ONLY,
    "api:schema": PUBLIC,
    "api:docs": PUBLIC,
    "api:not_found": (statuses(404, 404, 404, 404, 404), NOBODY),
}

ROUTES = all_routes()


def body_of(response):
    if getattr(response, "streaming", False):
        return b"".join(response.streaming_content)
    return response.content


def test_every_view_is_in_the_matrix():
    missing = sorted({r.view_name for r in ROUTES} - set(EXPECTED))
    assert not missing, (
        f"Vue(s) absente(s) de la matrice d'accès : {', '.join(missing)}. Ajoutez à EXPECTED "
        "(tests/security/test_access_matrix.py) le statut attendu pour chaque visiteur et qui peut y lire le dossier."
    )
    stale = sorted(set(EXPECTED) - {r.view_name for r in ROUTES})
    assert not stale, f"Vue(s) de la matrice qui n'existent plus : {', '.join(stale)} : retirez-les."


def test_every_endpoint_of_the_api_schema_is_in_the_matrix():
    schema = SchemaGenerator().get_schema(request=None, public=True)
    operations = set()
    for path, methods in schema["paths"].items():
        concrete = path
        for name in ("reference", "pk", "id"):
            concrete = concrete.replace(f"{{{name}}}", "PX-2222-2222" if name == "reference" else "1")
        assert "{" not in concrete, f"Paramètre de chemin inconnu dans {path} : ajoutez-le à ce test."
        view_name = resolve(concrete).view_name
        assert view_name in EXPECTED, f"{path} ({view_name}) manque dans la matrice d'accès."
        operations |= {(view_name, method.upper()) for method in methods}
    # Every listed endpoint is reached (as above, through the URL configuration).
    assert {name for name, _ in operations} >= {"api:files", "api:file", "api:reports", "api:imports", "api:me"}


@pytest.mark.parametrize("route", ROUTES, ids=str)
def test_access_matrix(world, route):
    if route.view_name not in EXPECTED:
        pytest.fail(f"Vue « {route.view_name} » absente de la matrice d'accès : ajoutez-la à EXPECTED.")
    expected, may_read = EXPECTED[route.view_name]
    failures = []
    for url in urls(route, PARAMETERS)(world):
        for role in ROLES:
            client = Client()
            if world.users[role] is not None:
                client.force_login(world.users[role])
            response = client.get(url, HTTP_ACCEPT="*/*")
            body = body_of(response).lower()
            if response.status_code != expected[role]:
                failures.append(f"{url} pour {role} : {response.status_code}, attendu {expected[role]}")
                continue
            if role not in may_read:
                if MARKER.lower().encode() in body:
                    failures.append(f"{url} pour {role} : le nom du ménage apparaît")
                # The reference only counts when the visitor did not type it in the URL.
                if world.file.reference not in url and world.file.reference.lower().encode() in body:
                    failures.append(f"{url} pour {role} : la référence du dossier apparaît")
            to_login = response.status_code == 302 and role == "anonymous"
            if to_login and not response["Location"].startswith("/connexion/"):
                failures.append(f"{url} pour anonymous : redirigé vers {response['Location']}")
            is_api = route.namespace == "api" and route.view_name not in ("api:schema", "api:docs")
            problem = response.get("Content-Type", "").startswith("application/problem+json")
            if is_api and response.status_code >= 400 and not problem:
                failures.append(f"{url} pour {role} : {response['Content-Type']} au lieu d'un problème RFC 9457")
    assert not failures, "\n".join(failures)
