"""Row-level security on the nominative tables (toit.rowsecurity.policies). PostgreSQL
only: a no-op on SQLite. The role name is read from the settings when the migration runs."""

from django.conf import settings
from django.db import migrations

from toit.rowsecurity import policies


def forwards(apps, schema_editor):
    policies.apply(apps, schema_editor, settings.TOIT_ROW_SECURITY_ROLE)


def backwards(apps, schema_editor):
    policies.remove(apps, schema_editor, settings.TOIT_ROW_SECURITY_ROLE)


class Migration(migrations.Migration):
    dependencies = [
        ("territory", "0001_initial"),
        ("organisations", "0004_department_and_prefecture"),
        ("eviction", "0010_file_referents"),
        ("priority_access", "0001_initial"),
        ("dwellings", "0001_initial"),
        ("accommodation", "0001_initial"),
    ]

    operations = [migrations.RunPython(forwards, backwards, elidable=False)]
