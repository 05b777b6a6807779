"""A short, bounded, deterministic property-based run of schemathesis against the
served schema, through the WSGI application: no request, valid or not, gets a 5xx, and
the responses match their description (status code, content type, body schema)."""

import pytest
from django.core import signals
from django.db import close_old_connections
from hypothesis import HealthCheck, Phase, given, settings
from schemathesis import GenerationMode
from schemathesis import openapi as st_openapi
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from config.wsgi import application
from tests.api.factories import ImportIssueFactory, ImportJobFactory
from tests.eviction.factories import EventFactory
from toit.eviction.enums import EventKind

EXAMPLES = 6
CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance]


@pytest.fixture
def world(org, file, settings):
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "DEFAULT_THROTTLE_RATES": {"api": "100000/min"}}
    EventFactory(file=file, kind=EventKind.ORDER_TO_PAY, date="2010-02-01", amount="900.00")
    ImportIssueFactory(job=ImportJobFactory(organisation=org))
    # Called as WSGI, Django closes the database connection after each request, which would
    # end the test's transaction (PostgreSQL): do what Django's test client does.
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


@pytest.mark.parametrize("mode", [GenerationMode.POSITIVE, GenerationMode.NEGATIVE])
def test_no_server_error_and_responses_match_the_schema(world, key, mode):
    schema = st_openapi.from_wsgi("/api/schema/?format=json", application)
    headers = {"Authorization": f"Bearer {key.token}"}
    failures = []
    checked = 0
    for result in schema.get_all_operations():
        operation = result.ok()

        @settings(
            max_examples=EXAMPLES,
            deadline=None,
            derandomize=True,  # the same cases at every run: a fixed seed
            database=None,
            phases=[Phase.explicit, Phase.generate],
            suppress_health_check=list(HealthCheck),
        )
        @given(case=operation.as_strategy(generation_mode=mode))
        def run(case):
            nonlocal checked
            response = case.call(headers=headers)
            checked += 1
            checks = CHECKS if mode == GenerationMode.POSITIVE else [not_a_server_error]
            try:
                case.validate_response(response, checks=checks, headers=headers)
            except AssertionError as exc:
                failures.append(f"{case.method} {case.formatted_path}: {exc}")

        run()
    assert checked >= 10
    assert not failures, "\n\n".join(failures[:5])
