"""Issue 16: a window nobody has counted (a past year, at a city's scale: 4 s) is not counted on
the reader's time. The page asks the `dashboards.count` job for its grids and says how far the
count has gone, polling until it is done, then shows the figures — the same as counted on the
spot. A small installation counts on the spot, as before."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from thenchot.core import jobs
from thenchot.dashboards import aggregates
from thenchot.dashboards.testing import YEAR

pytestmark = pytest.mark.django_db
URL = reverse("dashboards:index") + f"?year={YEAR}"


def _queued() -> list[tuple[str, dict]]:  # type: ignore[type-arg]
    out = []
    while not jobs._queue.empty():
        out.append(jobs._queue.get_nowait())
    return out


def _figures(html: str) -> dict[str, str]:
    return dict(re.findall(r'data-metric="([^"]+)" href="[^"]*">([^<]*)<', html))


@pytest.fixture(autouse=True)
def _empty() -> None:
    _queued()
    aggregates.clear(stored=True)
    aggregates._asked.clear()


def test_a_small_installation_counts_on_the_spot(client_for, world, year):  # type: ignore[no-untyped-def]
    html = client_for("hung").get(URL).content.decode()
    assert 'id="headline"' in html and 'id="dashboard-counting"' not in html
    assert not [name for name, _kw in _queued() if name == aggregates.COUNT_JOB]


def test_a_cold_window_is_counted_in_the_background_with_its_progress(
    client_for, world, year, monkeypatch
):  # type: ignore[no-untyped-def]
    client = client_for("hung", lang="en")
    inline = _figures(client.get(URL).content.decode())
    assert inline
    aggregates.clear(stored=True)
    monkeypatch.setattr(
        aggregates, "COUNT_INLINE_MAX", -1
    )  # PostgreSQL estimates an unanalysed test table at 0 rows

    html = client.get(URL).content.decode()
    assert 'id="dashboard-counting"' in html and 'id="headline"' not in html
    done, of = (int(x) for x in re.search(r'data-done="(\d+)" data-of="(\d+)"', html).groups())
    assert done == 0 and of > 0
    assert "being counted" in html and f"0 of {of} tables counted." in html
    asked = [(name, kw) for name, kw in _queued() if name == aggregates.COUNT_JOB]
    assert len(asked) == 2  # the period and the one it is compared with
    # Asked once: a second view while counting does not queue the work again.
    client.get(URL)
    assert not _queued()

    jobs.run_now(asked[0][0], **asked[0][1])
    poll = client.get(URL, headers={"HX-Request": "true"})
    text = poll.content.decode()
    assert 'id="dashboard-counting"' in text
    assert f'data-done="{of // 2}"' in text

    jobs.run_now(asked[1][0], **asked[1][1])
    poll = client.get(URL, headers={"HX-Request": "true"})
    assert poll.headers.get("HX-Refresh") == "true"
    html = client.get(URL).content.decode()
    assert 'id="dashboard-counting"' not in html and _figures(html) == inline
