from __future__ import annotations

import pytest


@pytest.fixture(autouse=True)
def _fresh_dashboard_cache() -> None:
    # Each test's transaction is rolled back, so a counter can repeat a value with other data
    # behind it: never trust a grid from another test.
    from thenchot.dashboards import aggregates

    aggregates.clear()


@pytest.fixture
def year(world):  # type: ignore[no-untyped-def]
    from thenchot.dashboards.testing import build_year

    return build_year(world)
