"""An htmx call without a live session sends the page to login (toit.www.htmx_login)."""

import datetime
from urllib.parse import parse_qs, urlsplit

import pytest
from django.contrib.sessions.models import Session
from django.urls import reverse

from tests.organisations.factories import OrganisationFactory, member_of
from toit.organisations.enums import Role

HTMX = {"HX-Request": "true"}
PAGE = "http://testserver/prevention/dossiers/DOS-1/?onglet=suivi"


def _next(url):
    return parse_qs(urlsplit(url).query).get("next")


@pytest.mark.django_db
def test_expired_session_htmx_call_redirects_the_page_to_login(client):
    client.force_login(member_of(OrganisationFactory(), role=Role.AGENT))
    counter = reverse("notifications:counter")
    assert client.get(counter, headers=HTMX).status_code == 200
    Session.objects.filter(session_key=client.session.session_key).update(
        expire_date=datetime.datetime(2000, 1, 1, tzinfo=datetime.UTC)
    )
    response = client.get(counter, headers={**HTMX, "HX-Current-URL": PAGE})
    # Not a 302 the browser would follow inside the call, nor the login page as a fragment.
    assert response.status_code == 200
    assert not response.content
    assert "Location" not in response
    target = response["HX-Redirect"]
    assert urlsplit(target).path == reverse("login")
    assert _next(target) == ["/prevention/dossiers/DOS-1/?onglet=suivi"]  # back to the page, not the fragment


@pytest.mark.django_db
def test_anonymous_htmx_post_gets_the_same(client):
    response = client.post(reverse("notifications:counter"), headers={**HTMX, "HX-Current-URL": PAGE})
    assert urlsplit(response["HX-Redirect"]).path == reverse("login")


@pytest.mark.django_db
@pytest.mark.parametrize(
    "current",
    ["https://evil.example/piege/", "//evil.example/piege/", "javascript:alert(1)", ""],
)
def test_foreign_current_url_keeps_the_fragment_as_next(client, current):
    # HX-Current-URL is the browser's word: another site's address must not become where
    # the login sends the user.
    counter = reverse("notifications:counter")
    response = client.get(counter, headers={**HTMX, "HX-Current-URL": current})
    assert _next(response["HX-Redirect"]) == [counter]


@pytest.mark.django_db
def test_plain_request_keeps_its_redirect(client):
    response = client.get(reverse("notifications:counter"))
    assert response.status_code == 302 and "HX-Redirect" not in response


@pytest.mark.django_db
def test_htmx_redirect_elsewhere_is_left_alone(rf):
    # Only the login pages are rewritten: a view's own redirect keeps its meaning.
    from django.http import HttpResponseRedirect

    from toit.www.htmx_login import HtmxLoginRedirectMiddleware

    middleware = HtmxLoginRedirectMiddleware(lambda request: HttpResponseRedirect("/prevention/"))
    response = middleware(rf.get("/x/", headers=HTMX))
    assert response.status_code == 302 and response["Location"] == "/prevention/"


@pytest.mark.django_db
def test_second_factor_redirect_is_rewritten_too(client, settings):
    settings.TOIT_REQUIRE_2FA = True
    client.force_login(member_of(OrganisationFactory(), role=Role.AGENT))
    response = client.get(reverse("notifications:counter"), headers={**HTMX, "HX-Current-URL": PAGE})
    target = response["HX-Redirect"]
    assert urlsplit(target).path in {reverse("two_factor_verify"), reverse("two_factor_setup")}
    assert _next(target) == ["/prevention/dossiers/DOS-1/?onglet=suivi"]
