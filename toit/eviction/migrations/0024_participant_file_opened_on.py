from django.db import migrations, models

# Each participation takes its file's opening date, before the column becomes required.
# One statement, the same on PostgreSQL and SQLite: a correlated subquery, not UPDATE …
# FROM (SQLite before 3.33 has none), answered by the files' primary key.
FILL = """
UPDATE eviction_fileparticipant SET file_opened_on = (
    SELECT f.opened_on FROM eviction_preventionfile f WHERE f.id = eviction_fileparticipant.file_id
)
"""


def fill(apps, schema_editor):
    with schema_editor.connection.cursor() as cursor:
        cursor.execute(FILL)


class Migration(migrations.Migration):
    dependencies = [
        ("eviction", "0023_file_last_event"),
        ("organisations", "0005_french_ordering"),
    ]

    operations = [
        migrations.AddField(
            model_name="fileparticipant",
            name="file_opened_on",
            field=models.DateField(editable=False, null=True, verbose_name="dossier ouvert le"),
        ),
        migrations.RunPython(fill, migrations.RunPython.noop, elidable=False),
        migrations.AlterField(
            model_name="fileparticipant",
            name="file_opened_on",
            field=models.DateField(editable=False, verbose_name="dossier ouvert le"),
        ),
        migrations.AddIndex(
            model_name="fileparticipant",
            index=models.Index(fields=["organisation", "file_opened_on", "file"], name="participant_walk_idx"),
        ),
    ]
