"""What every app's demo loader needs of the demo organisation that the generator (`demo`)
builds first: its city unit."""

from __future__ import annotations

from thenchot.org.tree import TreeSnapshot

CITY_CODE = "HN"


def demo_city(snap: TreeSnapshot) -> int:
    """The id of the demo city (unit HN); refused before the generator has run."""
    city = snap.by_code.get(CITY_CODE)
    if city is None:
        raise ValueError("The demo organisation (unit HN) is missing; run the generator first.")
    return city
