"""The household member's policy reads the member's own département (toit.rowsecurity.policies):
apply() refreshes every policy, idempotently. PostgreSQL only."""

from django.conf import settings
from django.db import migrations

from toit.rowsecurity import policies


def forwards(apps, schema_editor):
    policies.apply(apps, schema_editor, settings.TOIT_ROW_SECURITY_ROLE)


class Migration(migrations.Migration):
    dependencies = [
        ("rowsecurity", "0001_department_policies"),
        ("eviction", "0017_plan_never_broken_index"),
    ]

    # Backwards, the previous migration's apply() is not re-run: the newer policy is as strict.
    operations = [migrations.RunPython(forwards, migrations.RunPython.noop, elidable=False)]
