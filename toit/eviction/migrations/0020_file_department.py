import django.db.models.deletion
from django.db import migrations, models

# Each file takes its household's département (through the commune), before the column
# becomes required. Plain SQL: same statement on PostgreSQL and SQLite, one pass.
FILL = """
UPDATE eviction_preventionfile SET department_id = (
    SELECT c.department_id FROM eviction_household h JOIN territory_commune c ON c.id = h.commune_id
    WHERE h.id = eviction_preventionfile.household_id
)
"""


class Migration(migrations.Migration):
    dependencies = [
        ("eviction", "0019_event_created_index"),
        ("territory", "0002_french_ordering"),
    ]

    operations = [
        migrations.AddField(
            model_name="preventionfile",
            name="department",
            field=models.ForeignKey(
                db_index=False,
                editable=False,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="territory.department",
                verbose_name="département du ménage",
            ),
        ),
        # Earlier history rows keep no département: their row-level security still goes
        # through the household (toit.rowsecurity.policies).
        migrations.AddField(
            model_name="historicalpreventionfile",
            name="department",
            field=models.ForeignKey(
                blank=True,
                db_constraint=False,
                editable=False,
                null=True,
                on_delete=django.db.models.deletion.DO_NOTHING,
                related_name="+",
                to="territory.department",
                verbose_name="département du ménage",
            ),
        ),
        migrations.RunSQL(FILL, migrations.RunSQL.noop, elidable=False),
        migrations.AlterField(
            model_name="preventionfile",
            name="department",
            field=models.ForeignKey(
                db_index=False,
                editable=False,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="territory.department",
                verbose_name="département du ménage",
            ),
        ),
    ]
