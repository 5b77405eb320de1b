"""The date of a reopening decision. Rows recorded before the field existed take the day they
were recorded (in Hanoi time), the closest known date of the decision; the column is then
required for every new row."""

import django.utils.timezone
from django.db import migrations, models


def fill_decided_on(apps, schema_editor):  # type: ignore[no-untyped-def]
    ReopenDecision = apps.get_model("appraisal", "ReopenDecision")
    today = django.utils.timezone.localdate()
    rows = list(ReopenDecision.objects.filter(decided_on__isnull=True).only("pk", "created_at"))
    for row in rows:
        created = row.created_at
        row.decided_on = django.utils.timezone.localdate(created) if created else today
    ReopenDecision.objects.bulk_update(rows, ["decided_on"], batch_size=500)


class Migration(migrations.Migration):
    dependencies = [("appraisal", "0002_evaluation_fillfactor")]

    operations = [
        migrations.AddField(
            model_name="reopendecision",
            name="decided_on",
            field=models.DateField(null=True, verbose_name="decided on"),
        ),
        migrations.RunPython(fill_decided_on, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="reopendecision",
            name="decided_on",
            field=models.DateField(verbose_name="decided on"),
        ),
    ]
