"""Demo commendations on top of the demo organisation (`thenchot.demo`), for `load_demo`.

- Staff members of the departments and of some communes commended over the last three years
  (certificates of commendation, certificates of merit, emulation fighters), a few of them for
  an innovation ("dám nghĩ, dám làm").
- A few units commended as collectives; one agency — the Department of Construction (SXD), when
  the demo has it — is given the City's emulation flag for outstanding results, and with it the
  higher quota of excellent results for the current month (40% of the headcount, Hanoi QĐ 3814)
  through the evaluation app's own service, on the flag's decision.

Written in bulk and audited in bulk (source "command", reason "demo data"); deterministic for a
seed; a second run adds nothing.
"""

from __future__ import annotations

import datetime as dt
import random
from decimal import Decimal

from django.db import transaction

from thenchot.appraisal import services as appraisal_services
from thenchot.appraisal.choices import QuotaGroupChoice, QuotaOverrideBase
from thenchot.commendations.choices import CommendationKind
from thenchot.commendations.models import Commendation
from thenchot.commendations.services import quota_reason
from thenchot.core import auditing
from thenchot.core.context import acting
from thenchot.org.models import Unit
from thenchot.people.models import Staff

REASON = "demo data"
PREFIX = "KTH-DEMO-"
FLAG_AGENCY = "SXD"
PEOPLE = 40
INNOVATION_EVERY = 5

STAFF_REASONS = (
    "Hoàn thành xuất sắc nhiệm vụ năm",
    "Có thành tích xuất sắc trong cải cách hành chính",
    "Hoàn thành xuất sắc nhiệm vụ chuyển đổi số",
    "Có thành tích trong phong trào thi đua yêu nước",
)
INNOVATIONS = (
    "Đề xuất quy trình một cửa liên thông rút ngắn 30% thời gian giải quyết hồ sơ",
    "Sáng kiến số hóa hồ sơ lưu trữ, tiết kiệm chi phí in ấn",
    "Dám nghĩ, dám làm: tự đề xuất xử lý dứt điểm hồ sơ tồn đọng",
)
UNIT_REASONS = (
    "Tập thể lao động xuất sắc",
    "Hoàn thành xuất sắc nhiệm vụ công tác năm",
)


def load_demo_commendations(*, seed: int, today: dt.date) -> None:
    """Write the demo commendations in one transaction (nothing when already there)."""
    if Commendation.objects.filter(code__startswith=PREFIX).exists():
        return
    rng = random.Random(seed * 17 + 95)
    with transaction.atomic(), acting(source="command", reason=REASON):
        items = _people(rng, today) + _units(rng, today)
        Commendation.objects.bulk_create(items, batch_size=2000)
        auditing.record_many(
            [
                auditing.Change(c, auditing.CREATE, None, auditing.snapshot(c))
                for c in Commendation.objects.filter(code__startswith=PREFIX)
            ],
            reason=REASON,
        )
        flag = Commendation.objects.filter(
            code__startswith=PREFIX, kind=CommendationKind.EMULATION_FLAG, unit__code=FLAG_AGENCY
        ).first()
        if flag is not None:
            appraisal_services.quota_override_record(
                agency=flag.unit,
                period=today.strftime("%Y-%m"),
                ratio=Decimal("40"),
                base=QuotaOverrideBase.HEADCOUNT,
                group=QuotaGroupChoice.ALL,
                decision_number=flag.decision_number,
                decided_on=flag.decided_on,
                reason=quota_reason(flag),
                by=None,
            )


def _day(rng: random.Random, start: dt.date, end: dt.date) -> dt.date:
    return start + dt.timedelta(days=rng.randrange(max((end - start).days, 0) + 1))


def _people(rng: random.Random, today: dt.date) -> list[Commendation]:
    start = dt.date(today.year - 2, 1, 1)
    pool = list(
        Staff.objects.filter(left_on__isnull=True)
        .order_by("code")
        .values_list("id", "code", flat=False)[:2000]
    )
    if not pool:
        return []
    chosen = sorted(rng.sample(pool, min(PEOPLE, len(pool))), key=lambda p: p[1])
    kinds = (
        [CommendationKind.CERTIFICATE] * 6
        + [CommendationKind.MERIT_CERTIFICATE] * 3
        + [CommendationKind.EMULATION_FIGHTER] * 2
    )
    out = []
    for n, (staff_id, _code) in enumerate(chosen, start=1):
        innovative = n % INNOVATION_EVERY == 0
        on = _day(rng, start, today - dt.timedelta(days=1))
        kind = rng.choice(kinds)
        out.append(
            Commendation(
                code=f"{PREFIX}{n:04d}",
                staff_id=staff_id,
                kind=kind,
                decision_number=f"{rng.randrange(100, 9999)}/QĐ-{'UBND' if kind != CommendationKind.CERTIFICATE else 'GK'}",
                decided_on=on,
                issued_by=(
                    "Chủ tịch UBND thành phố"
                    if kind != CommendationKind.CERTIFICATE
                    else "Thủ trưởng cơ quan"
                ),
                reason=rng.choice(INNOVATIONS if innovative else STAFF_REASONS),
                innovation=innovative,
            )
        )
    return out


def _units(rng: random.Random, today: dt.date) -> list[Commendation]:
    agencies = list(
        Unit.objects.filter(kind__in=["department", "commune", "ward"], valid_to__isnull=True)
        .order_by("code")
        .values_list("id", "code")
    )
    if not agencies:
        return []
    codes = {code: pk for pk, code in agencies}
    picked = [a for a in agencies if a[1] != FLAG_AGENCY]
    picked = sorted(rng.sample(picked, min(5, len(picked))), key=lambda a: a[1])
    out = []
    last_year_end = dt.date(today.year - 1, 12, 31)
    for n, (unit_id, _code) in enumerate(picked, start=1):
        out.append(
            Commendation(
                code=f"{PREFIX}T{n:03d}",
                unit_id=unit_id,
                kind=CommendationKind.MERIT_CERTIFICATE,
                decision_number=f"{rng.randrange(100, 9999)}/QĐ-UBND",
                decided_on=_day(rng, dt.date(today.year - 1, 1, 1), last_year_end),
                issued_by="Chủ tịch UBND thành phố",
                reason=rng.choice(UNIT_REASONS),
                innovation=n == 1,
            )
        )
    if FLAG_AGENCY in codes:
        out.append(
            Commendation(
                code=f"{PREFIX}CO01",
                unit_id=codes[FLAG_AGENCY],
                kind=CommendationKind.EMULATION_FLAG,
                decision_number=f"{rng.randrange(100, 9999)}/QĐ-UBND",
                decided_on=min(dt.date(today.year, 1, 15), today),
                issued_by="Chủ tịch UBND thành phố",
                reason="Đơn vị dẫn đầu phong trào thi đua, hoàn thành xuất sắc nhiệm vụ năm",
                innovation=False,
            )
        )
    return out
