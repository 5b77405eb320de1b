"""The article's nine months of 2023 loaded from an interchange file (article_2023.json): a small
Hanoi with the figures the article gives, scaled down — inspections by kind and conductor
(the city's reform team: 9 planned, 28 surprise, 3 verifications), discipline, rotations and
procedures by level — plus records outside the range that must not count."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.core.management import call_command

ARTICLE = Path(__file__).with_name("article_2023.json")

# What the file's records add up to for HN, 01/01/2023–30/09/2023.
EXPECTED = {
    "inspections": {
        "total": 53,
        "by_kind": {"planned": 18, "surprise": 32, "verification": 3},
        "by_conductor": {"SNV-CCHC": 40, "Q-BD": 6, "H-GL": 5, "STC": 2},
    },
    "discipline": {"people": 4, "decisions": 5},
    "rotations": {"total": 4, "between_divisions_same_specialty": 3},
    "processes": {
        "in_force": 16,
        "by_level": {"department": 3, "district": 5, "commune": 7, "inter_level": 1},
        "approved_in_range": 6,
    },
}


@pytest.fixture
def article(world, tmp_path):  # type: ignore[no-untyped-def]
    call_command("import_data", str(ARTICLE), stdout=(tmp_path / "out.txt").open("w"))
    from thenchot.org.models import Unit

    return Unit.objects.get(code="HN")


@pytest.fixture
def media(settings, tmp_path):  # type: ignore[no-untyped-def]
    settings.MEDIA_ROOT = str(tmp_path / "media")
    return tmp_path / "media"
