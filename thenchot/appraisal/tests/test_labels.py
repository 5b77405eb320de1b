"""Codes of the packs as the reader reads them."""

from __future__ import annotations

from django.utils import translation

from thenchot.appraisal import labels


def test_a_quota_ratio_reads_as_a_percentage_in_the_readers_format() -> None:
    with translation.override("vi"):
        assert labels.ratio_percent("0.125") == "12,5%"
        assert labels.ratio_percent("0.3") == "30%"
        assert labels.group_label("non_leaders") == "Không giữ chức vụ lãnh đạo, quản lý"
    with translation.override("en"):
        assert labels.ratio_percent("0.125") == "12.5%"
    assert labels.ratio_percent("not a number") == "not a number"
