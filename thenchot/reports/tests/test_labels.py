"""Every key of report.md has a readable label; unknown keys read readably; range phrases."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest
from django.utils import translation

from thenchot.reports import labels
from thenchot.reports.ranges import RangeError, ReportRange, official_date, range_phrase

SPEC = Path("/work/shared/spec/report.md")
D = dt.date


def _spec_keys() -> set[str]:
    text = SPEC.read_text(encoding="utf-8") if SPEC.exists() else ""
    block = text.split("```", 2)[1] if "```" in text else ""
    return set(re.findall(r'"([a-z_]+)"\s*:', block)) - {"unit", "from", "to", "as_of"}


def test_it_labels_every_key_of_the_report_spec():
    keys = _spec_keys()
    if not keys:
        pytest.skip("report.md is not beside the checkout")
    known = {k for _owner, k in labels.FIGURES} | set(labels.BLOCK_TITLES) | set(labels.VALUES)
    assert keys <= known, sorted(keys - known)


@pytest.mark.django_db
def test_it_takes_the_apps_choice_labels(world):
    with translation.override("en"):
        found = labels.value_labels(["planned", "surprise"], block="inspections")
        assert str(found["surprise"]) == "Surprise"
        forms = labels.value_labels(["reprimand", "salary_step_down"], block="discipline")
        assert "_" not in str(forms["salary_step_down"])


def test_it_reads_an_unknown_key_readably():
    assert labels.readable("by_region") == "By region"
    assert str(labels.figure_label("zz_new_figure", block="zz")) == "Zz new figure"
    assert str(labels.value_labels(["brand_new"], block="zz")["brand_new"]) == "Brand new"


@pytest.mark.parametrize(
    ("start", "end", "phrase"),
    [
        (D(2023, 9, 1), D(2023, 9, 30), "tháng 9 năm 2023"),
        (D(2023, 7, 1), D(2023, 9, 30), "quý III năm 2023"),
        (D(2023, 1, 1), D(2023, 6, 30), "6 tháng đầu năm 2023"),
        (D(2023, 1, 1), D(2023, 9, 30), "9 tháng đầu năm 2023"),
        (D(2023, 1, 1), D(2023, 12, 31), "năm 2023"),
        (D(2023, 1, 5), D(2023, 3, 15), "từ ngày 05/01/2023 đến ngày 15/03/2023"),
    ],
)
def test_it_names_a_range_as_a_report_does(start, end, phrase):
    with translation.override("vi"):
        assert range_phrase(start, end) == phrase


def test_it_writes_the_official_date():
    with translation.override("vi"):
        assert official_date(D(2023, 9, 30)) == "ngày 30 tháng 9 năm 2023"
        # Decree 30/2020/ND-CP: days below 10 and January, February take a leading zero.
        assert official_date(D(2020, 2, 5)) == "ngày 05 tháng 02 năm 2020"


def test_it_builds_the_ranges_and_refuses_bad_ones():
    assert ReportRange.of("quarter", year=2023, quarter=4) == ReportRange(
        D(2023, 10, 1), D(2023, 12, 31)
    )
    assert ReportRange.of("month", year=2024, month=2).date_to == D(2024, 2, 29)
    with pytest.raises(RangeError, match="13"):
        ReportRange.of("month", year=2023, month=13)
    with pytest.raises(RangeError):
        ReportRange.of("custom", year=2023, date_from=D(2023, 5, 1), date_to=D(2023, 4, 1))
