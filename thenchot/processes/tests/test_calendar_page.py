"""The working-day calendar page and the holiday admin (issue 13): everyone reads a year's days
off with their rule; a city-wide administrator adds, changes and removes the table's days through
`core.calendar_table` — the service the interchange `holidays` section writes through — audited,
with the open cases told; anyone else is refused and bad input changes nothing."""

from __future__ import annotations

import datetime as dt

import pytest

from thenchot.audit.models import AuditEntry
from thenchot.core.calendar_table import calendar
from thenchot.core.models import Holiday
from thenchot.exchange.services import import_file

pytestmark = pytest.mark.django_db
URL = "/processes/calendar/"


@pytest.fixture(autouse=True)
def fixed_calendar():  # type: ignore[no-untyped-def]
    """These tests read Vietnam's real calendar and the table (the package's fixed one off)."""
    return None


def test_everyone_reads_the_years_days_off_with_lunar_tet(client_for, world) -> None:  # type: ignore[no-untyped-def]
    html = client_for("an").get(URL + "?year=2026").content.decode()
    assert 'data-date="2026-02-17"' in html  # Tết Nguyên đán 2026 (the first lunar day)
    assert 'data-date="2026-04-26"' in html  # Giỗ Tổ Hùng Vương (10/3 lunar) in 2026
    assert 'id="calendar-form"' not in html  # only the administrator edits


def test_the_administrator_saves_a_worked_saturday_and_removes_it(client_for, world) -> None:  # type: ignore[no-untyped-def]
    saturday = dt.date(2026, 5, 9)
    assert not calendar().is_working_day(saturday)
    response = client_for("quan").post(
        URL, {"year": "2026", "date": "09/05/2026", "name": "Làm bù", "working": "on"}
    )
    assert response.status_code == 302
    row = Holiday.objects.get(date=saturday)
    assert row.working and calendar().is_working_day(saturday)
    assert AuditEntry.objects.filter(object_id=str(row.pk)).exists()
    page = client_for("quan").get(URL + "?year=2026").content.decode()
    assert 'id="holiday-2026-05-09"' in page
    gone = client_for("quan").post(
        URL, {"year": "2026", "action": "delete", "pk": row.pk, "version": row.version}
    )
    assert gone.status_code == 302 and not Holiday.objects.exists()
    assert not calendar().is_working_day(saturday)


def test_a_stale_removal_changes_nothing(client_for, world) -> None:  # type: ignore[no-untyped-def]
    client_for("quan").post(URL, {"year": "2026", "date": "09/05/2026", "name": "Làm bù",
                                  "working": "on"})  # fmt: skip
    row = Holiday.objects.get()
    client_for("quan").post(URL, {"year": "2026", "date": "09/05/2026", "name": "Làm bù tháng 5",
                                  "working": "on", "version": row.version})  # fmt: skip
    client_for("quan").post(
        URL, {"year": "2026", "action": "delete", "pk": row.pk, "version": row.version}
    )
    assert Holiday.objects.get().name == "Làm bù tháng 5"


def test_bad_input_and_other_people_change_nothing(client_for, world) -> None:  # type: ignore[no-untyped-def]
    bad = client_for("quan").post(URL, {"year": "2026", "date": "31/02/2026", "name": ""})
    assert bad.status_code == 400
    for persona in ("lan", "minh", "an"):
        refused = client_for(persona).post(URL, {"date": "09/05/2026", "name": "Làm bù"})
        assert refused.status_code == 403
    assert not Holiday.objects.exists()


def test_the_page_and_an_import_write_the_same_row(client_for, world) -> None:  # type: ignore[no-untyped-def]
    """Parity: the page and the interchange section go through the same service."""
    client_for("quan").post(URL, {"year": "2026", "date": "09/05/2026", "name": "Làm bù",
                                  "working": "on"})  # fmt: skip
    by_page = Holiday.objects.values("date", "name", "working").get()
    Holiday.objects.all().delete()
    data = (
        b'{"format": "thenchot/1", "holidays": [{"date": "2026-05-09", "name": "L\\u00e0m b\\u00f9",'
        b' "working": true}]}'
    )
    assert import_file(data=data, filename="holidays.json").ok
    assert Holiday.objects.values("date", "name", "working").get() == by_page


def test_the_admin_saves_through_the_service(client, world) -> None:  # type: ignore[no-untyped-def]
    world.user("quan").is_staff = True
    world.user("quan").save()
    client.force_login(world.user("quan"))
    response = client.post(
        "/admin/core/holiday/add/", {"date": "2026-05-09", "name": "Làm bù", "working": "on"}
    )
    assert response.status_code == 302, response.content.decode()[:1500]
    row = Holiday.objects.get()
    assert row.working and AuditEntry.objects.filter(object_id=str(row.pk)).exists()
