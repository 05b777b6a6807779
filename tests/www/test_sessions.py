"""The inactivity timeout without a session write on every request (toit.www.sessions)."""

import datetime

import pytest
from django.contrib.sessions.models import Session
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.organisations.factories import OrganisationFactory, member_of
from toit.organisations.enums import Role
from toit.www import sessions

T0 = 1_900_000_000


@pytest.fixture
def clock(monkeypatch):
    now = {"t": T0}
    monkeypatch.setattr(sessions, "clock", lambda: now["t"])
    return now


def expiry(client):
    return Session.objects.get(session_key=client.session.session_key).expire_date


def test_session_written_at_most_once_a_minute(client, clock, settings):
    settings.SESSION_COOKIE_AGE = 3600
    client.force_login(member_of(OrganisationFactory(), role=Role.AGENT))
    page = reverse("organisations:list")
    client.get(page)  # first request: stamps the session
    first = expiry(client)
    Session.objects.filter(session_key=client.session.session_key).update(
        expire_date=first - datetime.timedelta(minutes=5)
    )
    clock["t"] = T0 + sessions.REFRESH_AFTER - 1
    client.get(page)
    assert expiry(client) == first - datetime.timedelta(minutes=5)  # not written within the minute

    clock["t"] = T0 + sessions.REFRESH_AFTER
    client.get(page)
    assert expiry(client) > first - datetime.timedelta(minutes=1)  # pushed forward: the user is active


def test_request_within_the_minute_makes_no_session_write(client, clock):
    client.force_login(member_of(OrganisationFactory(), role=Role.AGENT))
    page = reverse("organisations:list")
    client.get(page)
    with CaptureQueriesContext(connection) as context:
        client.get(page)
    assert not [q for q in context.captured_queries if "django_session" in q["sql"] and "UPDATE" in q["sql"]]
    clock["t"] = T0 + sessions.REFRESH_AFTER + 1
    with CaptureQueriesContext(connection) as context:
        client.get(page)
    assert [q for q in context.captured_queries if "django_session" in q["sql"] and "UPDATE" in q["sql"]]


def test_idle_session_expires(client, clock, settings):
    client.force_login(member_of(OrganisationFactory(), role=Role.AGENT))
    page = reverse("organisations:list")
    assert client.get(page).status_code == 200
    Session.objects.filter(session_key=client.session.session_key).update(
        expire_date=datetime.datetime(2000, 1, 1, tzinfo=datetime.UTC)
    )
    response = client.get(page)
    assert response.status_code == 302 and reverse("login") in response.url


def test_anonymous_visitor_gets_no_session(client):
    client.get(reverse("login"))
    assert not Session.objects.exists()
