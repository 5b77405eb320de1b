"""A full round of 2026 for the demo: the framework (eight contents and the bonus and penalty
content of QĐ 5666/QĐ-UBND, with criteria of every method), the round with its deadlines and
the Department of Home Affairs as the council's secretariat, the self-scores of the demo's
departments and communes (or wards), a balanced cross-appraisal, one disagreement settled by
the council, and the publication. Written through the services (each change audited); a
second run adds nothing.
"""

from __future__ import annotations

import datetime as dt
import random
from decimal import Decimal

from thenchot.accounts.scoping import Scope
from thenchot.org.demo import demo_city
from thenchot.org.models import Unit
from thenchot.org.tree import tree
from thenchot.reform import services
from thenchot.reform.choices import Method
from thenchot.reform.index import scored_criteria
from thenchot.reform.models import AssessmentRound, Framework, Score
from thenchot.reform.services import CriterionSpec

YEAR = 2026
DEPARTMENTS = 8
LOCAL = 10

C1 = "I. Công tác chỉ đạo, điều hành cải cách hành chính"
C2 = "II. Cải cách thể chế"
C3 = "III. Cải cách thủ tục hành chính"
C4 = "IV. Cải cách tổ chức bộ máy"
C5 = "V. Cải cách chế độ công vụ"
C6 = "VI. Cải cách tài chính công"
C7 = "VII. Xây dựng chính quyền điện tử, chính quyền số"
C8 = "VIII. Tác động của cải cách hành chính đến phát triển kinh tế - xã hội"
C9 = "IX. Điểm thưởng, điểm trừ"

SPECS = [
    CriterionSpec("1.1", C1, "Kế hoạch cải cách hành chính năm", "3", Method.SELF),
    CriterionSpec(
        "1.2", C1, "Tỷ lệ nhiệm vụ hoàn thành đúng hạn", "6", Method.COMPUTED, "on_time_task_rate"
    ),
    CriterionSpec("1.3", C1, "Công tác kiểm tra cải cách hành chính", "4", Method.APPRAISED),
    CriterionSpec("2.1", C2, "Xây dựng, ban hành văn bản quy phạm pháp luật", "6", Method.SELF),
    CriterionSpec(
        "2.2",
        C2,
        "Thực hiện kiến nghị sau kiểm tra",
        "6",
        Method.COMPUTED,
        "recommendations_done_rate",
    ),
    CriterionSpec(
        "3.1", C3, "Hồ sơ giải quyết đúng hạn", "10", Method.COMPUTED, "case_on_time_rate"
    ),
    CriterionSpec("3.2", C3, "Công khai thủ tục hành chính", "6", Method.APPRAISED),
    CriterionSpec("4.1", C4, "Sắp xếp tổ chức bộ máy", "8", Method.APPRAISED),
    CriterionSpec(
        "5.1",
        C5,
        "Đánh giá, xếp loại công chức hằng tháng",
        "6",
        Method.COMPUTED,
        "evaluation_coverage",
    ),
    CriterionSpec("5.2", C5, "Kỷ luật, kỷ cương hành chính", "6", Method.APPRAISED),
    CriterionSpec("6.1", C6, "Quản lý, sử dụng tài chính công", "7", Method.SELF),
    CriterionSpec("7.1", C7, "Chuyển đổi số", "8", Method.APPRAISED),
    CriterionSpec(
        "7.1.a", C7, "Dịch vụ công trực tuyến toàn trình", "4", Method.APPRAISED, parent="7.1"
    ),
    CriterionSpec(
        "7.1.b", C7, "Số hóa hồ sơ, kết quả giải quyết", "4", Method.APPRAISED, parent="7.1"
    ),
    CriterionSpec(
        "8.1",
        C8,
        "Mức độ hài lòng của người dân, doanh nghiệp",
        "20",
        Method.SURVEY,
        "satisfaction_index",
    ),
    CriterionSpec("9.1", C9, "Sáng kiến cải cách hành chính được công nhận", "2", Method.SELF),
    CriterionSpec("9.2", C9, "Vi phạm kỷ luật, kỷ cương hành chính", "-3", Method.APPRAISED),
]

SYSTEM = Scope(user_id=0, roles={"admin"}, city_wide=True, can_write_org=True)


def _pick(kinds: tuple[str, ...], on: dt.date, n: int, first: str) -> list[Unit]:
    snap = tree()
    ids = sorted(
        (u.id for u in snap.units.values() if u.kind in kinds and u.valid_on(on)),
        key=lambda i: snap.units[i].code,
    )
    head = snap.by_code.get(first)
    if head in ids:
        ids.remove(head)
        ids.insert(0, head)
    return list(Unit.objects.filter(pk__in=ids[:n]).order_by("code"))


def _points(rng: random.Random, top: Decimal) -> Decimal:
    if top < 0:
        return Decimal(rng.choice([0, 0, 0, -1, -1.5])).quantize(Decimal("0.01"))
    share = Decimal(rng.randint(60, 100)) / 100
    return (top * share).quantize(Decimal("0.25"))


def load_demo_reform(*, seed: int, today: dt.date) -> None:
    if Framework.objects.filter(year=YEAR).exists():
        return
    snap = tree()
    demo_city(snap)
    rng = random.Random(seed)
    on = min(today, dt.date(YEAR, 12, 31))
    services.framework_save(
        scope=SYSTEM,
        by=None,
        year=YEAR,
        specs=SPECS,
        name="Bộ chỉ số CCHC 2026",
        decision_number="5666/QĐ-UBND",
    )
    secretariat = Unit.objects.filter(code="SNV").first()
    # A published round: its deadlines have passed (the demo records nothing after today).
    published = min(dt.date(YEAR, 12, 15), on)
    council = min(dt.date(YEAR, 12, 5), published)
    appraisal = min(dt.date(YEAR, 11, 30), council)
    self_scoring = min(dt.date(YEAR, 11, 15), appraisal)
    rnd = services.round_save(
        scope=SYSTEM,
        by=None,
        year=YEAR,
        tree_date=on,
        self_scoring_deadline=self_scoring,
        appraisal_deadline=appraisal,
        council_deadline=council,
        publication_deadline=published,
        secretariat_unit=secretariat,
    )
    units = _pick(("department",), on, DEPARTMENTS, "STC") + _pick(
        ("commune", "ward"), on, LOCAL, "P-BADINH"
    )
    criteria = [c for c in scored_criteria(YEAR) if c.is_scored]
    rnd = services.round_advance(scope=SYSTEM, by=None, round=rnd, expected_version=rnd.version)
    given: dict[tuple[int, str], Decimal] = {}
    for unit in units:
        for c in criteria:
            points = _points(rng, c.max_points)
            given[(unit.pk, c.code)] = points
            services.score_self(
                scope=SYSTEM,
                by=None,
                unit=unit,
                year=YEAR,
                criterion_code=c.code,
                points=points,
                evidence=f"Báo cáo CCHC {YEAR} của {unit.name}, mục {c.code}",
            )
    services.assignment_propose(scope=SYSTEM, by=None, round=rnd, k=1)
    rnd = AssessmentRound.objects.get(pk=rnd.pk)
    rnd = services.round_advance(scope=SYSTEM, by=None, round=rnd, expected_version=rnd.version)
    for a in rnd.assignments.select_related("appraiser_unit", "assessed_unit"):
        for c in criteria:
            own = given[(a.assessed_unit_id, c.code)]
            low, high = services.points_range(c)
            points = own if rng.random() < 0.8 else max(low, min(high, own - Decimal("0.5")))
            services.score_appraise(
                scope=SYSTEM,
                by=None,
                unit=a.assessed_unit,
                year=YEAR,
                criterion_code=c.code,
                points=points,
                appraiser_unit=a.appraiser_unit,
                comment="" if points == own else "Minh chứng chưa đầy đủ",
            )
    rnd = AssessmentRound.objects.get(pk=rnd.pk)
    rnd = services.round_advance(scope=SYSTEM, by=None, round=rnd, expected_version=rnd.version)
    for score in (
        Score.objects.filter(criterion__framework__year=YEAR)
        .select_related("criterion")
        .order_by("unit__code", "criterion__code")
    ):
        if score.disagreement:
            services.council_decide(
                scope=SYSTEM,
                by=None,
                score=score,
                points=score.self_points,
                reason="Hội đồng thẩm định chấp nhận minh chứng bổ sung của đơn vị",
                expected_version=score.version,
            )
            break
    rnd = AssessmentRound.objects.get(pk=rnd.pk)
    services.publish(scope=SYSTEM, by=None, round=rnd, as_of=on, expected_version=rnd.version)
