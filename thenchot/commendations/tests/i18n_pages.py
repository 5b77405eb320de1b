"""The commendation pages in the language test (tests/i18n/plugins.py): a person's commendation
for an innovation and an agency's emulation flag that gave the higher quota."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.utils import timezone

from thenchot.accounts.scoping import compute_scope
from thenchot.commendations import services


def build(pw: Any) -> None:
    w = pw.people
    lan = w.user("lan")
    scope = compute_scope(lan)
    today = timezone.localdate()
    person = services.commendation_create(
        scope=scope,
        staff=w.staff["an"],
        kind="certificate",
        decided_on=today - dt.timedelta(days=20),
        decision_number="31/QĐ-SNV",
        issued_by="Giám đốc Sở Nội vụ",
        reason="Sáng kiến số hóa hồ sơ lưu trữ",
        innovation=True,
    )
    flag = services.commendation_create(
        scope=scope,
        unit=w.snv,
        kind="emulation_flag",
        decided_on=today - dt.timedelta(days=10),
        decision_number="125/QĐ-UBND",
        issued_by="Chủ tịch UBND thành phố",
        reason="Đơn vị dẫn đầu phong trào thi đua",
    )
    services.commendation_grant_quota(
        scope=scope,
        by=lan,
        commendation=flag,
        period=(today + dt.timedelta(days=40)).strftime("%Y-%m"),
        ratio=Decimal("40"),
        base="headcount",
    )
    pw.extra["commendation"] = person
    pw.extra["commendation_flag"] = flag


ARGS = {
    "commendations:detail": lambda pw: {"code": pw.extra["commendation"].code},
    "commendations:edit": lambda pw: {"code": pw.extra["commendation"].code},
    "commendations:delete": lambda pw: {"code": pw.extra["commendation"].code},
    "commendations:grant_quota": lambda pw: {"code": pw.extra["commendation_flag"].code},
}
MORE_ARGS = {
    "commendations:detail": lambda pw: [{"code": pw.extra["commendation_flag"].code}],
    "commendations:edit": lambda pw: [{"code": pw.extra["commendation_flag"].code}],
}
POST_ONLY = {
    "commendations:delete": "commendations:detail",
    "commendations:grant_quota": "commendations:detail",
}
PREFERRED = {
    "commendations:new": "lan",
    "commendations:edit": "lan",
    "commendations:detail": "lan",
}
