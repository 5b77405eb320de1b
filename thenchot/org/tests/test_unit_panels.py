"""The unit page shows the panels apps register (core.panels.UnitPanel), and leaves out a panel
whose context is None."""

from __future__ import annotations

import pytest

from thenchot.core.panels import UnitPanel
from thenchot.core.registry import unit_panels
from thenchot.people.testing import build_world

pytestmark = pytest.mark.django_db


def test_a_registered_unit_panel_is_shown_and_a_none_context_is_left_out(
    client, tmp_path, settings
):
    w = build_world()
    template_dir = tmp_path / "templates"
    (template_dir / "t").mkdir(parents=True)
    (template_dir / "t" / "panel.html").write_text(
        "<p id='probe'>{{ unit.code }}: {{ figure }}</p>"
    )
    base = settings.TEMPLATES[0]
    settings.TEMPLATES = [{**base, "DIRS": [template_dir, *base["DIRS"]]}]
    shown = UnitPanel(title="Probe", template="t/panel.html", context=lambda s, u: {"figure": 7})
    hidden = UnitPanel(title="Hidden", template="t/panel.html", context=lambda s, u: None)
    unit_panels.register("probe", shown)
    unit_panels.register("hidden", hidden)
    try:
        client.force_login(w.user("quan"))
        page = client.get(f"/org/{w.snv.code}/").content.decode()
    finally:
        unit_panels.unregister("probe")
        unit_panels.unregister("hidden")
    assert f"<p id='probe'>{w.snv.code}: 7</p>" in page
    assert 'id="unit-panel-probe"' in page
    assert 'id="unit-panel-hidden"' not in page
