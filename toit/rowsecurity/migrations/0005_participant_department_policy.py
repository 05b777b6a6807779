"""A participation's policy compares its département column (FileParticipant.department)
rather than looking its file up; its history, which has no such column, keeps going through
the file (toit.rowsecurity.policies.HISTORY). apply() refreshes every policy, idempotently.
PostgreSQL only."""

from django.conf import settings
from django.db import migrations

from toit.rowsecurity import policies


def forwards(apps, schema_editor):
    policies.apply(apps, schema_editor, settings.TOIT_ROW_SECURITY_ROLE)


class Migration(migrations.Migration):
    dependencies = [
        ("rowsecurity", "0004_member_policy_without_household"),
        ("eviction", "0025_participant_department"),
    ]

    # Backwards, the previous migration's apply() is not re-run: the newer policy is as strict.
    operations = [migrations.RunPython(forwards, migrations.RunPython.noop, elidable=False)]
