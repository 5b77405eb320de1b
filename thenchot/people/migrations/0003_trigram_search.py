"""Trigram indexes for the diacritic-free search on PostgreSQL (no-op on SQLite).

`search_text LIKE '%term%'` is how both databases search; on PostgreSQL a pg_trgm GIN index
turns it into an index scan for selective terms. Creating the extension needs a privileged
role: when it is refused the search still works, only without the index (docs/operations.md).
"""

import logging

from django.db import migrations, transaction

log = logging.getLogger(__name__)

INDEXES = [
    ("people_staff_search_trgm", "people_staff"),
    ("org_unit_search_trgm", "org_unit"),
]


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    try:
        with transaction.atomic():
            schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    except Exception as exc:  # permission denied: keep going without the index
        log.warning("pg_trgm not available, search runs without a trigram index: %s", exc)
        return
    for name, table in INDEXES:
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {name} ON {table} USING gin (search_text gin_trgm_ops)"
        )


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name, _table in INDEXES:
        schema_editor.execute(f"DROP INDEX IF EXISTS {name}")


class Migration(migrations.Migration):
    dependencies = [
        ("people", "0002_leaves_children"),
        ("org", "0001_initial"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
