"""The monthly report of each head's unit, in the heads' inboxes and by e-mail, safe to rerun.

For the month before the run (or the month given), every unit that has a head with a user
account on the month's last day gets one report: the job inserts a `MonthlyReportClaim` per
(unit, month) — the unique constraint refuses a second — and sends only the claims it takes
with a conditional UPDATE (`sent_at` still empty, nobody else's live claim), so two runs, or
two workers, never send the same report twice. A claim left by a crashed worker is taken over
after `CLAIM_TTL`. The report (PDF, or XLSX where WeasyPrint is not installed) is attached to
the e-mail and linked from the inbox message.
"""

from __future__ import annotations

import datetime as dt
import logging
import uuid
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.files.base import ContentFile
from django.core.mail import EmailMessage
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from thenchot.notifications.services import notify
from thenchot.org.tree import tree
from thenchot.people.selectors import head_user_ids
from thenchot.reports.blocks import ReportRequest, build_report
from thenchot.reports.models import MonthlyReportClaim, ReportRun, RunFormat, RunStatus
from thenchot.reports.ranges import month_end, range_phrase
from thenchot.reports.selectors import run_identity

log = logging.getLogger(__name__)
CLAIM_TTL = dt.timedelta(minutes=30)
BATCH = 50


@dataclass(frozen=True)
class MonthlyRun:
    month: dt.date
    units: int  # units with a head
    sent: int  # reports sent by this run
    remaining: int  # still to send (a later batch)


def previous_month(today: dt.date) -> dt.date:
    first = today.replace(day=1)
    return (first - dt.timedelta(days=1)).replace(day=1)


def heads_by_unit(month: dt.date) -> dict[int, list[int]]:
    """unit id -> user ids of its heads on the month's last day (people's headships)."""
    last = month_end(month.year, month.month)
    ids = {uid for uid, info in tree().units.items() if info.valid_on(last)}
    return head_user_ids(ids, last)


def _take(claim_id: int) -> uuid.UUID | None:
    now = timezone.now()
    token = uuid.uuid4()
    taken = MonthlyReportClaim.objects.filter(
        Q(claim__isnull=True) | Q(claimed_at__lt=now - CLAIM_TTL),
        pk=claim_id,
        sent_at__isnull=True,
    ).update(claim=token, claimed_at=now)
    return token if taken else None


def _claim_rows(month: dt.date, unit_ids: list[int]) -> dict[int, int]:
    """unit id -> claim id, inserting the missing ones (a concurrent insert is not an error)."""
    existing = dict(
        MonthlyReportClaim.objects.filter(month=month, unit_id__in=unit_ids).values_list(
            "unit_id", "pk"
        )
    )
    missing = [u for u in unit_ids if u not in existing]
    if missing:
        MonthlyReportClaim.objects.bulk_create(
            [MonthlyReportClaim(unit_id=u, month=month) for u in missing], ignore_conflicts=True
        )
        existing = dict(
            MonthlyReportClaim.objects.filter(month=month, unit_id__in=unit_ids).values_list(
                "unit_id", "pk"
            )
        )
    return existing


def _format() -> str:
    try:
        import weasyprint  # noqa: F401
    except (ImportError, OSError):
        return RunFormat.XLSX
    return RunFormat.PDF


def _build(unit_id: int, month: dt.date, requested_by: int, fmt: str) -> ReportRun:
    from thenchot.reports.rendering import render

    last = month_end(month.year, month.month)
    unit_code = tree().units[unit_id].code
    identity = run_identity(
        requested_by, unit_id=unit_id, date_from=month, date_to=last, as_of=last, fmt=fmt
    )
    run = ReportRun.objects.create(
        **identity,
        params={"kind": "month", "year": month.year, "month": month.month},
        scheduled=True,
        status=RunStatus.RUNNING,
        started_at=timezone.now(),
    )
    data = build_report(ReportRequest(unit_code, unit_id, month, last, last))
    with translation.override("vi"):
        content, _type, name = render(data, fmt)
    run.result = data
    run.file.save(name, ContentFile(content), save=False)
    run.status = RunStatus.DONE
    run.progress = 100
    run.finished_at = timezone.now()
    run.save()
    return run


def _deliver(run: ReportRun, user_ids: list[int]) -> int:
    unit_name = tree().units[run.unit_id].name
    url = reverse("reports:run", kwargs={"pk": run.pk})
    link = reverse("reports:run_file", kwargs={"pk": run.pk})

    def title() -> str:
        return _("Monthly report of %(unit)s: %(period)s") % {
            "unit": unit_name,
            "period": range_phrase(run.date_from, run.date_to),
        }

    def body() -> str:
        return _("The report is attached to the e-mail and can be downloaded from the link.")

    # The inbox message; the e-mail is sent here with the file attached, not by the inbox's
    # own e-mail job (which sends text only).
    notify(recipients=user_ids, title=title, body=body, url=url, email=False)
    base = str(getattr(settings, "THENCHOT_BASE_URL", "")).rstrip("/")
    users = get_user_model().objects.filter(pk__in=user_ids, is_active=True).exclude(email="")
    run.file.open("rb")
    try:
        content = run.file.read()
    finally:
        run.file.close()
    name = (run.file.name or "").rsplit("/", 1)[-1]
    mime = "application/pdf" if run.format == RunFormat.PDF else None
    sent = 0
    for user in users:
        with translation.override(getattr(user, "language", "") or settings.LANGUAGE_CODE):
            message = EmailMessage(
                subject=title(),
                body="\n".join([title(), "", body(), "", f"{base}{link}"]),
                to=[user.email],
            )
        message.attach(name, content, mime)
        sent += message.send()
    return sent


def send_monthly_reports(
    *, month: dt.date | None = None, today: dt.date | None = None, limit: int = BATCH
) -> MonthlyRun:
    """Send at most `limit` of the month's reports not sent yet (see the module's doc)."""
    month = (month or previous_month(today or timezone.localdate())).replace(day=1)
    heads = heads_by_unit(month)
    unit_ids = sorted(heads)
    claims = _claim_rows(month, unit_ids)
    pending = set(
        MonthlyReportClaim.objects.filter(
            pk__in=list(claims.values()), sent_at__isnull=True
        ).values_list("unit_id", flat=True)
    )
    fmt = _format()
    sent = 0
    for unit_id in unit_ids:
        if unit_id not in pending or sent >= limit:
            continue
        token = _take(claims[unit_id])
        if token is None:
            continue  # another worker has it
        try:
            run = _build(unit_id, month, heads[unit_id][0], fmt)
            recipients = _deliver(run, heads[unit_id])
        except Exception:
            log.exception("monthly report of unit %s for %s failed", unit_id, month)
            # Let a later run try again at once rather than after the claim's time-out.
            MonthlyReportClaim.objects.filter(pk=claims[unit_id], claim=token).update(
                claim=None, claimed_at=None
            )
            continue
        with transaction.atomic():
            MonthlyReportClaim.objects.filter(pk=claims[unit_id], claim=token).update(
                sent_at=timezone.now(), run=run, recipients=len(heads[unit_id])
            )
        sent += 1
        log.info("monthly report of unit %s for %s sent to %s", unit_id, month, recipients)
    remaining = MonthlyReportClaim.objects.filter(
        month=month, unit_id__in=unit_ids, sent_at__isnull=True
    ).count()
    return MonthlyRun(month=month, units=len(unit_ids), sent=sent, remaining=remaining)
