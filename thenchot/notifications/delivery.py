"""E-mail delivery of inbox notifications, safe with several workers.

A worker claims rows with a conditional UPDATE (`... WHERE email_claim IS NULL`): when two
workers pick the same candidates, the database lets only one UPDATE change each row, and each
worker sends only the rows carrying its own claim token. A claim left by a crashed worker is
taken over after `CLAIM_TTL`; a message that keeps failing stops after `MAX_ATTEMPTS`.
"""

from __future__ import annotations

import datetime as dt
import logging
import uuid
from collections.abc import Sequence

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.db.models import F, Q
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from thenchot.notifications.models import Notification

log = logging.getLogger(__name__)

CLAIM_TTL = dt.timedelta(minutes=30)
MAX_ATTEMPTS = 5
CLAIM_LIMIT = 500


def _claimable(now: dt.datetime) -> Q:
    return Q(email_wanted=True, emailed_at__isnull=True, email_attempts__lt=MAX_ATTEMPTS) & (
        Q(email_claim__isnull=True) | Q(email_claimed_at__lt=now - CLAIM_TTL)
    )


def email_candidates(*, limit: int = CLAIM_LIMIT) -> list[int]:
    """Ids of notifications waiting for e-mail (what a worker would try to claim)."""
    now = timezone.now()
    return list(
        Notification.objects.filter(_claimable(now))
        .order_by("id")
        .values_list("pk", flat=True)[:limit]
    )


def claim_emails(ids: Sequence[int]) -> list[Notification]:
    """Claim `ids` for this worker; returns only the rows this call won."""
    if not ids:
        return []
    now = timezone.now()
    token = uuid.uuid4()
    Notification.objects.filter(_claimable(now), pk__in=list(ids)).update(
        email_claim=token, email_claimed_at=now, email_attempts=F("email_attempts") + 1
    )
    return list(
        Notification.objects.filter(email_claim=token, emailed_at__isnull=True)
        .select_related("recipient")
        .order_by("id")
    )


def _absolute(path: str) -> str:
    base = str(getattr(settings, "THENCHOT_BASE_URL", "")).rstrip("/")
    if not path or path.startswith(("http://", "https://")):
        return path
    return f"{base}{path}" if base else path


def _message(n: Notification) -> EmailMessage:
    subject = " ".join(n.headline.split())[:200]
    lines = [n.headline, "", n.text]
    if n.url:
        lines += ["", _("Open: %(url)s") % {"url": _absolute(n.url)}]
    lines += [
        "",
        "—",
        _("Then Chốt. This message is also in your inbox: %(url)s") % {"url": _absolute("/inbox/")},
    ]
    return EmailMessage(subject=subject, body="\n".join(lines), to=[n.recipient.email])


def deliver(notifications: Sequence[Notification]) -> int:
    """Send claimed notifications over one connection; returns the number sent."""
    if not notifications:
        return 0
    sent: list[int] = []
    dropped: list[int] = []
    connection = get_connection(fail_silently=False)
    try:
        connection.open()
        for n in notifications:
            if not n.recipient.is_active or not n.recipient.email:
                dropped.append(n.pk)
                continue
            with translation.override(n.recipient.language or settings.LANGUAGE_CODE):
                message = _message(n)
            message.connection = connection
            try:
                if connection.send_messages([message]):
                    sent.append(n.pk)
            except Exception:  # one bad address must not stop the others
                log.exception("e-mail for notification %s failed", n.pk)
    finally:
        connection.close()
    if sent:
        Notification.objects.filter(pk__in=sent).update(emailed_at=timezone.now())
    if dropped:
        Notification.objects.filter(pk__in=dropped).update(email_wanted=False)
    return len(sent)


def send_pending_emails(*, limit: int = CLAIM_LIMIT, max_rounds: int = 1000) -> int:
    """Claim and send until nothing is left to claim; returns the number sent."""
    total = 0
    for _round in range(max_rounds):
        claimed = claim_emails(email_candidates(limit=limit))
        if not claimed:
            break
        total += deliver(claimed)
    return total
