"""The household member's policy compares its département column alone; its history keeps the
fallback through the household (toit.rowsecurity.policies.HISTORY). apply() refreshes every
policy, idempotently. PostgreSQL only."""

from django.conf import settings
from django.db import migrations

from toit.rowsecurity import policies


def forwards(apps, schema_editor):
    policies.apply(apps, schema_editor, settings.TOIT_ROW_SECURITY_ROLE)


class Migration(migrations.Migration):
    dependencies = [
        ("rowsecurity", "0003_file_department_policy"),
        ("eviction", "0022_report_unmatched_index"),
    ]

    # Backwards, the previous migration's apply() is not re-run: the newer policy is as strict.
    operations = [migrations.RunPython(forwards, migrations.RunPython.noop, elidable=False)]
