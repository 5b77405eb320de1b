"""The main menu is drawn from the entries the apps register: links that resolve, drop-downs
for groups, the current section marked, nothing for an app that is not there."""

from __future__ import annotations

from thenchot.core.menu import MenuEntry, menu_entries
from thenchot.core.testing import page_html


def _nav(html: str) -> str:
    start = html.index('id="main-nav"')
    return html[start : html.index("</nav>", start)]


def test_it_links_every_registered_section(client_for, world) -> None:  # type: ignore[no-untyped-def]
    nav = _nav(page_html(client_for("lan").get("/")))
    for href in ('href="/"', 'href="/org/"', 'href="/staff/"', 'href="/directives/"'):
        assert href in nav
    assert 'id="nav-oversight"' in nav and 'href="/inspections/"' in nav
    assert 'href=""' not in nav


def test_it_marks_the_current_section(client_for, world) -> None:  # type: ignore[no-untyped-def]
    nav = _nav(page_html(client_for("lan").get("/staff/")))
    marked = nav.index('aria-current="page"')
    tag = nav[nav.rindex("<a ", 0, marked) : nav.index(">", marked)]
    assert 'href="/staff/"' in tag and "active" in tag
    assert nav.count('aria-current="page"') == 1


def test_it_leaves_out_an_entry_whose_page_does_not_exist(client_for, world) -> None:  # type: ignore[no-untyped-def]
    missing = MenuEntry(key="ghost", label="Ghost", url_name="ghost:index")
    shown = MenuEntry(key="home", label="Only home", url_name="home:index")
    with menu_entries.overridden({"ghost": missing, "home": shown}):
        nav = _nav(page_html(client_for("lan").get("/")))
    assert "Ghost" not in nav and "Only home" in nav
