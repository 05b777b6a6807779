"""Plans start and end on any date (issue 14): starts_on and ends_on, filled for the plans
already loaded from their whole years; first_year and last_year stay, derived from them."""

import datetime

from django.db import migrations, models


def dates_from_years(apps, schema_editor):
    Plan = apps.get_model("plans", "Plan")
    for plan in Plan.objects.all():
        plan.starts_on = datetime.date(plan.first_year, 1, 1)
        plan.ends_on = datetime.date(plan.last_year, 12, 31)
        plan.save(update_fields=["starts_on", "ends_on"])


class Migration(migrations.Migration):
    dependencies = [
        ("plans", "0005_french_names"),
    ]

    operations = [
        migrations.AddField(
            model_name="plan",
            name="starts_on",
            field=models.DateField(null=True, verbose_name="premier jour"),
        ),
        migrations.AddField(
            model_name="plan",
            name="ends_on",
            field=models.DateField(null=True, verbose_name="dernier jour"),
        ),
        migrations.RunPython(dates_from_years, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="plan",
            name="starts_on",
            field=models.DateField(verbose_name="premier jour"),
        ),
        migrations.AlterField(
            model_name="plan",
            name="ends_on",
            field=models.DateField(verbose_name="dernier jour"),
        ),
        migrations.AlterField(
            model_name="plan",
            name="first_year",
            field=models.PositiveSmallIntegerField(editable=False, verbose_name="première année"),
        ),
        migrations.AlterField(
            model_name="plan",
            name="last_year",
            field=models.PositiveSmallIntegerField(editable=False, verbose_name="dernière année"),
        ),
        migrations.AlterModelOptions(
            name="plan",
            options={"ordering": ["-starts_on", "code"], "verbose_name": "plan"},
        ),
        migrations.AddConstraint(
            model_name="plan",
            constraint=models.CheckConstraint(
                condition=models.Q(("ends_on__gte", models.F("starts_on"))), name="plan_dates_ordered"
            ),
        ),
    ]
