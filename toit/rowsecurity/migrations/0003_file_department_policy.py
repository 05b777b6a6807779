"""The prevention file's policy reads the file's own département (toit.rowsecurity.policies):
apply() refreshes every policy, idempotently. PostgreSQL only."""

from django.conf import settings
from django.db import migrations

from toit.rowsecurity import policies


def forwards(apps, schema_editor):
    policies.apply(apps, schema_editor, settings.TOIT_ROW_SECURITY_ROLE)


class Migration(migrations.Migration):
    dependencies = [
        ("rowsecurity", "0002_member_department_policy"),
        ("eviction", "0020_file_department"),
    ]

    # Backwards, the previous migration's apply() is not re-run: the newer policy is as strict.
    operations = [migrations.RunPython(forwards, migrations.RunPython.noop, elidable=False)]
