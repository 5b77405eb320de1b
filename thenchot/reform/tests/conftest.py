from __future__ import annotations

import pytest

from thenchot.org.testing import UnitFactory


@pytest.fixture
def more_departments(world):
    """Two more departments beside SNV and STC, and a commune beside the ward."""
    return {
        "sxd": UnitFactory.create(
            code="SXD", name="Sở Xây dựng", kind="department", parent=world.city
        ),
        "sct": UnitFactory.create(
            code="SCT", name="Sở Công Thương", kind="department", parent=world.city
        ),
        "commune": UnitFactory.create(
            code="X-SOCSON", name="Xã Sóc Sơn", kind="commune", parent=world.city
        ),
    }
