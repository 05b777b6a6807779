from django.db import migrations, models

# Each participation takes its file's département, before the column becomes required (one
# statement, the same on PostgreSQL and SQLite: see 0024); row-level security compares it
# (rowsecurity/0005).
FILL = """
UPDATE eviction_fileparticipant SET department_id = (
    SELECT f.department_id FROM eviction_preventionfile f WHERE f.id = eviction_fileparticipant.file_id
)
"""


def fill(apps, schema_editor):
    with schema_editor.connection.cursor() as cursor:
        cursor.execute(FILL)


def department(**nullable):
    """The column, added nullable, filled, then required."""
    return models.ForeignKey(
        db_index=False,
        editable=False,
        on_delete=models.deletion.PROTECT,
        related_name="+",
        to="territory.department",
        verbose_name="département",
        **nullable,
    )


class Migration(migrations.Migration):
    dependencies = [
        ("eviction", "0024_participant_file_opened_on"),
        ("territory", "0001_initial"),
    ]

    operations = [
        # The file's own index goes: participant_unique (file, organisation, reason) answers
        # by file, and with the policy below no longer looking the file up, PostgreSQL chose
        # the file's index to check an organisation's participation, reading every
        # participation of each file (FileParticipant.file).
        migrations.AlterField(
            model_name="fileparticipant",
            name="file",
            field=models.ForeignKey(
                db_index=False,
                on_delete=models.deletion.CASCADE,
                related_name="participants",
                to="eviction.preventionfile",
                verbose_name="dossier",
            ),
        ),
        migrations.AddField(model_name="fileparticipant", name="department", field=department(null=True)),
        migrations.RunPython(fill, migrations.RunPython.noop, elidable=False),
        migrations.AlterField(model_name="fileparticipant", name="department", field=department()),
    ]
