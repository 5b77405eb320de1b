"""The working-day calendar of a year (rules.md "Working days"): the public holidays the
`holidays` package computes (lunar Tết and Hùng Kings' day included, with the compensatory days
off), the government's swaps, and the city's own table of days off and worked Saturdays, which
overrides the computed days. Everyone reads it; a city-wide administrator edits the table here,
through `core.calendar_table` (the same service the interchange `holidays` section writes
through): a changed day recomputes the due dates of the open cases it affects, in background
batches."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _

from thenchot.accounts.scoping import scope_for
from thenchot.core import calendar as working_days
from thenchot.core import calendar_table
from thenchot.core.calendar import TABLE
from thenchot.core.calendar_table import holiday_delete, holiday_save
from thenchot.core.concurrency import ConcurrentUpdate
from thenchot.core.errors import DomainError, OutOfScope
from thenchot.core.models import Holiday
from thenchot.core.views import login_required
from thenchot.processes.forms import HolidayForm

REASONS = {
    working_days.WEEKEND_DAY: gettext_lazy("Weekend"),
    working_days.HOLIDAY: gettext_lazy("Public holiday"),
    working_days.SWAPPED_WORKDAY: gettext_lazy("Weekend made a working day"),
    working_days.TABLE: gettext_lazy("City table"),
}
FIRST_YEAR, LAST_YEAR = 2000, 2100


def _holiday_names(year: int) -> dict[dt.date, str]:
    """The public holidays' names in the reader's language (the calendar keeps them in
    Vietnamese; the city's own table rows are shown as typed)."""
    if get_language() == "vi":
        return {}
    import holidays

    found = holidays.country_holidays("VN", years=year, language="en_US", observed=True)
    return {day: str(name) for day, name in found.items()}


def _year(request: HttpRequest) -> int:
    raw = request.POST.get("year") or request.GET.get("year") or ""
    if raw.isdigit() and FIRST_YEAR <= int(raw) <= LAST_YEAR:
        return int(raw)
    return timezone.localdate().year


@login_required
def calendar_page(request: HttpRequest) -> HttpResponse:
    scope = scope_for(request)
    year = _year(request)
    may_edit = scope.city_wide and scope.can_write_org
    form = HolidayForm(request.POST if request.method == "POST" else None)
    status = 200
    if request.method == "POST":
        if not may_edit:
            raise PermissionDenied
        url = reverse("processes:calendar") + f"?year={year}"
        if request.POST.get("action") == "delete":
            row = Holiday.objects.filter(pk=request.POST.get("pk") or 0).first()
            if row is None:
                messages.error(request, _("This day is no longer in the table."))
                return redirect(url)
            try:
                holiday_delete(
                    scope=scope,
                    holiday=row,
                    expected_version=int(request.POST.get("version") or -1),
                )
            except ConcurrentUpdate as exc:
                messages.error(request, str(exc.message))
            except OutOfScope:
                raise PermissionDenied from None
            else:
                messages.success(
                    request,
                    _("%(date)s is back to the computed calendar.")
                    % {"date": row.date.strftime("%d/%m/%Y")},
                )
            return redirect(url)
        if form.is_valid():
            data = form.cleaned_data
            try:
                holiday_save(
                    scope=scope,
                    day=data["date"],
                    name=data["name"],
                    working=data["working"],
                    expected_version=data.get("version"),
                )
            except OutOfScope:
                raise PermissionDenied from None
            except DomainError as exc:
                form.add_error(None, str(exc.message))
                for field, errors in exc.field_errors.items():
                    for error in errors:
                        form.add_error(field if field in form.fields else None, str(error))
                status = 409 if isinstance(exc, ConcurrentUpdate) else 400
            else:
                messages.success(
                    request,
                    _("%(date)s saved: open cases' due dates are being recomputed.")
                    % {"date": data["date"].strftime("%d/%m/%Y")},
                )
                return redirect(reverse("processes:calendar") + f"?year={data['date'].year}")
        else:
            status = 400
    cal = calendar_table.calendar()
    names = _holiday_names(year)
    days = [
        {
            "info": info,
            "name": names.get(info.day, info.name) if info.reason != TABLE else info.name,
            "reason": REASONS.get(info.reason, info.reason),
        }
        for info in cal.days_off(year)
    ]
    rows = list(
        Holiday.objects.filter(date__gte=dt.date(year, 1, 1), date__lte=dt.date(year, 12, 31))
    )
    working = sum(
        cal.is_working_day(dt.date(year, 1, 1) + dt.timedelta(days=i))
        for i in range((dt.date(year, 12, 31) - dt.date(year, 1, 1)).days + 1)
    )
    return render(
        request,
        "processes/calendar.html",
        {
            "year": year,
            "days": days,
            "rows": rows,
            "working": working,
            "form": form,
            "may_edit": may_edit,
        },
        status=status,
    )
