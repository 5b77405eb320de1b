"""Which closed periods without a seal had evaluations made here: a period with a single row made
here is one (its seal was deleted), a period whose every row was imported is not (history). The
check asks once for all the periods, stopping at each period's first such row (issue 16: a
DISTINCT over a city's month read its 200,000 rows on every view of the close screen)."""

from __future__ import annotations

from django.db import connection
from django.test.utils import CaptureQueriesContext

from thenchot.appraisal.models import Evaluation
from thenchot.integrity import verifying


def _sql(statement: str, params: list[object]) -> None:
    with connection.cursor() as cursor:
        cursor.execute(statement, params)


def test_a_period_with_one_row_made_here_is_made_here(world, month, earlier):  # type: ignore[no-untyped-def]
    rows = list(Evaluation.objects.filter(period=month).order_by("pk").values_list("pk", flat=True))
    table = Evaluation._meta.db_table
    _sql(
        f"UPDATE {table} SET imported = %s WHERE period_id IN (%s, %s)",
        [True, month.pk, earlier.pk],
    )
    _sql(f"UPDATE {table} SET imported = %s WHERE id = %s", [False, rows[-1]])
    with CaptureQueriesContext(connection) as asked:
        found = verifying._made_here([month.pk, earlier.pk])
    assert found == {month.pk}
    assert len(asked.captured_queries) == 1
    assert "EXISTS" in asked.captured_queries[0]["sql"].upper()
    assert "DISTINCT" not in asked.captured_queries[0]["sql"].upper()
    assert verifying._made_here([]) == set()
