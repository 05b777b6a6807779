import django.db.models.deletion
from django.db import migrations, models

# Each member takes its household's département (through the commune), before the column
# becomes required. Plain SQL: same statement on PostgreSQL and SQLite, one pass.
FILL = """
UPDATE eviction_householdmember SET department_id = (
    SELECT c.department_id FROM eviction_household h JOIN territory_commune c ON c.id = h.commune_id
    WHERE h.id = eviction_householdmember.household_id
)
"""


class Migration(migrations.Migration):
    dependencies = [
        ("eviction", "0015_report_lease"),
        ("territory", "0002_french_ordering"),
    ]

    operations = [
        migrations.AddField(
            model_name="householdmember",
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
        # Earlier history rows keep no département: only the live rows are searched.
        migrations.AddField(
            model_name="historicalhouseholdmember",
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
            model_name="householdmember",
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
        migrations.AddIndex(
            model_name="householdmember",
            index=models.Index(
                fields=["department", "name_key"],
                name="member_dept_name_prefix_idx",
                opclasses=["int8_ops", "varchar_pattern_ops"],
            ),
        ),
        migrations.AddIndex(
            model_name="householdmember",
            index=models.Index(
                fields=["department", "birth_name_key"],
                name="member_dept_birth_prefix_idx",
                opclasses=["int8_ops", "varchar_pattern_ops"],
            ),
        ),
    ]
