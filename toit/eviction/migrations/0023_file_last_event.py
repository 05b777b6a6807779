from django.conf import settings
from django.db import migrations, models


def fill(apps, schema_editor):
    """Each file's last recorded event, as refresh_procedure_state will keep it: one
    statement, where recompute() would read every event in Python."""
    File = apps.get_model("eviction", "PreventionFile")
    Event = apps.get_model("eviction", "Event")
    last = Event.objects.filter(file=models.OuterRef("pk")).order_by().values("file").annotate(
        last=models.Max("created_at")
    ).values("last")
    File.objects.update(last_event_at=models.Subquery(last))


class Migration(migrations.Migration):
    dependencies = [
        ("eviction", "0022_report_unmatched_index"),
        ("organisations", "0005_french_ordering"),
        ("territory", "0002_french_ordering"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name="preventionfile",
            name="last_event_at",
            field=models.DateTimeField(
                blank=True, editable=False, null=True, verbose_name="dernier événement saisi le"
            ),
        ),
        migrations.RunPython(fill, migrations.RunPython.noop),
        migrations.AddIndex(
            model_name="preventionfile",
            index=models.Index(
                condition=models.Q(("last_event_at__isnull", False)),
                fields=["last_event_at", "id"],
                name="file_last_event_idx",
            ),
        ),
    ]
