import datetime

import pytest
from django.core.management import call_command
from django.db import DatabaseError, connection, transaction
from django.test import RequestFactory
from django.utils import timezone

from tests.organisations.factories import OrganisationFactory, UserFactory
from toit.audit.enums import AccessAction
from toit.audit.log import log_access
from toit.audit.models import AccessLog, AppendOnlyError


def request_for(user, path="/prevention/dossiers/PX-AAAA-BBBB/", **meta):
    request = RequestFactory().get(path, **meta)
    request.user = user
    return request


def test_log_access_records_who_what_where(settings):
    settings.TOIT_TRUSTED_PROXIES = ["127.0.0.1", "10.0.0.0/8"]
    user = UserFactory()
    organisation = OrganisationFactory()
    request = request_for(user, HTTP_X_FORWARDED_FOR="203.0.113.9, 10.0.0.1")
    assert log_access(request, [organisation], organisation=organisation) == 1
    entry = AccessLog.objects.get()
    assert entry.username == user.username
    assert entry.object_type == "organisations.organisation"
    assert entry.object_id == str(organisation.pk)
    assert entry.ip_address == "203.0.113.9"
    assert entry.action == AccessAction.READ
    assert entry.path == "/prevention/dossiers/PX-AAAA-BBBB/"


def test_a_list_of_mixed_objects_is_one_insert_with_every_column(django_assert_num_queries):
    # The entries of a list are written in one statement whose shared columns are prepared
    # once (toit.audit.log._insert): each must still hold the request's values and its own
    # object, on both databases, a reference or none, a pk as text.
    from tests.eviction.factories import PreventionFileFactory

    user = UserFactory()
    organisation = OrganisationFactory()
    files = PreventionFileFactory.create_batch(3)
    request = request_for(user, "/prevention/a-traiter/?organisation=X", REMOTE_ADDR="192.0.2.7")
    before = timezone.now()
    with django_assert_num_queries(1):
        written = log_access(
            request, [*files, organisation], action=AccessAction.SEARCH, organisation=organisation, reason="motif"
        )
    assert written == 4
    entries = list(AccessLog.objects.order_by("id"))
    assert [(e.object_type, e.object_id, e.object_ref) for e in entries] == [
        *(("eviction.preventionfile", str(f.pk), f.reference) for f in files),
        ("organisations.organisation", str(organisation.pk), ""),
    ]
    for entry in entries:
        assert entry.user_id == user.pk and entry.username == user.username
        assert entry.organisation_id == organisation.pk
        assert entry.action == AccessAction.SEARCH and entry.reason == "motif"
        assert entry.path == "/prevention/a-traiter/?organisation=X"
        assert entry.ip_address == "192.0.2.7"
        assert before <= entry.created_at <= timezone.now()
    assert log_access(request, []) == 0
    assert AccessLog.objects.count() == 4


def test_entries_cannot_be_changed_or_deleted():
    log_access(request_for(UserFactory()), OrganisationFactory())
    entry = AccessLog.objects.get()
    entry.reason = "réécrit"
    with pytest.raises(AppendOnlyError):
        entry.save()
    with pytest.raises(AppendOnlyError):
        entry.delete()
    with pytest.raises(AppendOnlyError):
        AccessLog.objects.all().delete()
    with pytest.raises(AppendOnlyError):
        AccessLog.objects.update(reason="x")


def test_database_refuses_updates_too():
    log_access(request_for(UserFactory()), OrganisationFactory())
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        # Bypass the model's own guard: the trigger must still refuse.
        cursor.execute("UPDATE audit_accesslog SET reason = 'x'")
    assert AccessLog.objects.get().reason == ""


def test_purge_keeps_one_year(settings, capsys):
    settings.TOIT_ACCESS_LOG_DAYS = 365
    log_access(request_for(UserFactory()), [OrganisationFactory(), OrganisationFactory()])
    old = AccessLog.objects.order_by("pk").first()
    # Back-date one entry: drop the guard inside the test transaction (rolled back after).
    suffix = " ON audit_accesslog" if connection.vendor == "postgresql" else ""
    with connection.cursor() as cursor:
        cursor.execute("DROP TRIGGER IF EXISTS audit_accesslog_no_update" + suffix)
        cursor.execute(
            "UPDATE audit_accesslog SET created_at = %s WHERE id = %s",
            [timezone.now() - datetime.timedelta(days=400), old.pk],
        )
    call_command("toit_audit", "purge", "--dry-run")
    assert "1 entrée(s)" in capsys.readouterr().out
    assert AccessLog.objects.count() == 2
    call_command("toit_audit", "purge")
    assert "1 entrée(s)" in capsys.readouterr().out
    assert list(AccessLog.objects.values_list("pk", flat=True)) != [old.pk]
    assert AccessLog.objects.count() == 1


def test_a_value_too_long_is_refused_not_cut():
    # The shared columns are cast as text, not varchar(n): the column's own limit refuses an
    # overlong value, as Django's insert would, rather than a cast silently cutting it.
    if connection.vendor != "postgresql":
        pytest.skip("SQLite n'impose pas la longueur des colonnes texte.")
    user = UserFactory()
    request = request_for(user)
    with pytest.raises(DatabaseError), transaction.atomic():
        log_access(request, [OrganisationFactory()], action="x" * 21)
    assert not AccessLog.objects.exists()
