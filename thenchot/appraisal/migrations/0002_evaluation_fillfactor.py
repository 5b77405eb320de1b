"""PostgreSQL only: leave room on each page of evaluations so that the close's UPDATE (level,
score, reasons, status — no indexed column) is a HOT update, written without touching the
indexes. Other databases: nothing to do."""

from django.db import migrations


def forwards(apps, schema_editor):  # type: ignore[no-untyped-def]
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("ALTER TABLE appraisal_evaluation SET (fillfactor = 50)")


def backwards(apps, schema_editor):  # type: ignore[no-untyped-def]
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("ALTER TABLE appraisal_evaluation RESET (fillfactor)")


class Migration(migrations.Migration):
    dependencies = [("appraisal", "0001_initial")]
    operations = [migrations.RunPython(forwards, backwards)]
