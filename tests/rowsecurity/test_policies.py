"""Every table of the nominative apps is either protected by a policy or listed as not
nominative with a reason; on PostgreSQL, each protected table (and its history) has row-level
security on and the policy for the request role."""

import pytest
from django.apps import apps
from django.conf import settings
from django.db import connection

from toit.rowsecurity import policies


def test_every_table_of_the_nominative_apps_is_decided():
    labels = {
        model._meta.label
        for app in policies.APPS
        for model in apps.get_app_config(app).get_models()
        if not model.__name__.startswith("Historical")
    }
    undecided = labels - set(policies.POLICIES) - set(policies.NOT_NOMINATIVE)
    assert not undecided, f"tables sans décision de sécurité au niveau des lignes : {sorted(undecided)}"
    assert not set(policies.POLICIES) & set(policies.NOT_NOMINATIVE)
    assert set(policies.POLICIES) | set(policies.NOT_NOMINATIVE) <= labels


@pytest.mark.skipif(connection.vendor != "postgresql", reason="sécurité au niveau des lignes : PostgreSQL")
def test_every_protected_table_has_its_policy():
    expected = {table for table, _rule, _tables in policies.protected_tables(apps)}
    assert "eviction_historicalhouseholdmember" in expected  # the change history too
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT c.relname FROM pg_class c JOIN pg_policy p ON p.polrelid = c.oid "
            "WHERE c.relrowsecurity AND p.polname = %s AND p.polroles = '{0}' "  # PUBLIC
            "AND pg_get_expr(p.polqual, p.polrelid) LIKE %s",
            [policies.POLICY, f"%{settings.TOIT_ROW_SECURITY_ROLE}%"],
        )
        found = {row[0] for row in cursor.fetchall()}
    assert expected == found


def test_a_role_name_that_is_not_an_identifier_is_refused():
    from django.core.exceptions import ImproperlyConfigured

    with pytest.raises(ImproperlyConfigured, match="TOIT_ROW_SECURITY_ROLE"):
        policies.role_sql("toit; DROP TABLE x")
