"""The procedures app's pages for the language test (tests/i18n/plugins.py): the working-day
calendar shows the public holidays' names as the `holidays` package gives them — data in the
reader's language that no record stores."""

from __future__ import annotations

from django.utils import timezone


def KNOWN_TEXTS() -> list[str]:  # noqa: N802 - the plugin's table name
    import holidays

    year = timezone.localdate().year
    names: list[str] = []
    for language in ("vi", "en_US"):
        found = holidays.country_holidays("VN", years=year, language=language, observed=True)
        names += [str(name) for name in found.values()]
    return names
