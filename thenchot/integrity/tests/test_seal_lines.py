"""A seal's lines made by the database (PostgreSQL, `sealing.period_texts`) are the lines
`canonical_lines` makes of the rows read one by one: a close seals a city's 200,000 rows
without making Python values of them first. On SQLite both are the Python path."""

from __future__ import annotations

import hashlib

from django.db import connection

from thenchot.appraisal import closing
from thenchot.appraisal.models import Evaluation
from thenchot.integrity import sealing
from thenchot.integrity.models import SealEntry

EVAL = Evaluation._meta.db_table


def _python_texts(period_ids: list[int]) -> dict[int, str]:
    return {
        period_id: "".join(sealing.canonical_lines(rows))
        for period_id, rows in sealing.rows_of(period_ids)
    }


def test_the_database_makes_the_same_lines_as_python(world, month, earlier):  # type: ignore[no-untyped-def]
    ids = sorted([month.pk, earlier.pk])
    rows = list(Evaluation.objects.filter(period_id__in=ids).order_by("pk"))
    assert len(rows) >= 4
    first, second, third = rows[0], rows[1], rows[2]
    # Text that must be escaped, nulls, both booleans, decimals with and without cents.
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {EVAL} SET pack_version = %s, is_leader = %s, quota_demoted = %s,"
            " general_points = %s, task_points = NULL, score = %s WHERE id = %s",
            ["a\tb\\c\nd\\N", True, True, "7.5", "88.1", first.pk],
        )
        cursor.execute(
            f"UPDATE {EVAL} SET final_level = %s, score = NULL, reviewed_task_points = %s"
            " WHERE id = %s",
            ["", "0", second.pk],
        )
        cursor.execute(
            f"UPDATE {EVAL} SET category = %s, bonus_points = %s WHERE id = %s",
            ["viên chức \\t", "100", third.pk],
        )
    expected = _python_texts(ids)
    found = dict(sealing.period_texts(ids))
    assert found == expected
    line = next(x for x in found[first.period_id].splitlines() if x.startswith(f"{first.pk}\t"))
    assert "\ta\\tb\\\\c\\nd\\\\N\t" in line  # escaped as `_text` escapes it
    assert "\t7.50\t\\N\t" in line  # general points with two places, no task points
    assert set(found) == set(ids)


def test_a_close_seals_what_the_rows_read_back_give(world, month):  # type: ignore[no-untyped-def]
    closing.close_period(unit=world.snv, period=month.code, by=world.user("son"))
    seal = SealEntry.objects.get(period_id=month.pk)
    text = "".join(_python_texts([month.pk]).values()).encode()
    assert sealing.decode(seal.rows) == text
    assert seal.rows_digest == hashlib.sha256(text).hexdigest()
    assert seal.row_count == text.count(b"\n") == month.evaluations.count()


def test_a_period_without_rows_is_not_given(world, month):  # type: ignore[no-untyped-def]
    Evaluation.objects.filter(period=month).delete()
    assert list(sealing.period_texts([month.pk])) == []
