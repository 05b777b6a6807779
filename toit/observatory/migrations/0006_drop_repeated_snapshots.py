from django.db import migrations


def drop_repeats(apps, schema_editor):
    """The snapshots written before repeats were dropped as they came (engine.store): one
    pass, so that the history left is the one a new database would have."""
    from toit.observatory.repeats import drop_repeats

    drop_repeats()


class Migration(migrations.Migration):

    dependencies = [
        ("observatory", "0005_snapshot_current"),
    ]

    operations = [
        migrations.RunPython(drop_repeats, migrations.RunPython.noop, elidable=True),
    ]
