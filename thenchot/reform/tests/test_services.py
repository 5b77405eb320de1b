"""Writes: ranges, scope, the round's stages, cross-evaluation, publication, evidence files."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from thenchot.accounts.scoping import compute_scope
from thenchot.audit.models import AuditEntry
from thenchot.core.concurrency import ConcurrentUpdate
from thenchot.core.errors import DomainError, OutOfScope
from thenchot.org.testing import UnitFactory
from thenchot.org.tree import tree
from thenchot.reform import services
from thenchot.reform.choices import RoundStatus
from thenchot.reform.models import (
    AppraiserAssignment,
    AssessmentRound,
    CouncilDecision,
    EvidenceFile,
    PublishedResult,
    Score,
)
from thenchot.reform.testing import framework_with, round_for, score

pytestmark = pytest.mark.django_db
Y = 2026


@pytest.fixture
def setup(world):
    framework_with(
        Y,
        ("A", 10, "self"),
        ("B", 5, "appraised"),
        ("P", -3, "appraised"),
        ("T", 6, "computed", "on_time_task_rate"),
    )
    return round_for(Y, RoundStatus.SELF_SCORING, secretariat_unit=world.snv)


def scope(world, name):
    return compute_scope(world.user(name))


def test_lan_self_scores_her_department_with_an_audit_line(world, setup):
    s = services.score_self(
        scope=scope(world, "lan"),
        by=world.user("lan"),
        unit=world.snv,
        year=Y,
        criterion_code="A",
        points="7.5",
        evidence="Báo cáo số 12",
    )
    assert s.self_points == Decimal("7.50")
    entry = AuditEntry.objects.get(model_label="reform.score", object_id=str(s.pk))
    assert entry.actor == world.user("lan") and entry.after["self_points"] == "7.50"


@pytest.mark.parametrize(
    ("code", "points", "named"),
    [
        ("A", "10.5", "10.5"),
        ("A", "-1", "-1"),
        ("P", "-3.5", "-3.5"),
        ("P", "1", "1"),
        ("A", "abc", "abc"),
        ("A", "1.234", "1.234"),
    ],
)
def test_points_outside_the_range_are_refused_naming_the_value(world, setup, code, points, named):
    with pytest.raises(DomainError) as err:
        services.score_self(
            scope=scope(world, "lan"),
            by=world.user("lan"),
            unit=world.snv,
            year=Y,
            criterion_code=code,
            points=points,
        )
    assert named in str(err.value.message)
    assert not Score.objects.exists()


def test_a_penalty_takes_points_between_its_maximum_and_zero(world, setup):
    s = services.score_self(
        scope=scope(world, "lan"),
        by=world.user("lan"),
        unit=world.snv,
        year=Y,
        criterion_code="P",
        points="-2.5",
    )
    assert s.self_points == Decimal("-2.50")


def test_an_unknown_criterion_or_a_computed_one_is_refused(world, setup):
    with pytest.raises(DomainError, match="Z9"):
        services.score_self(
            scope=scope(world, "lan"),
            by=world.user("lan"),
            unit=world.snv,
            year=Y,
            criterion_code="Z9",
            points="1",
        )
    with pytest.raises(DomainError, match="T"):
        services.score_self(
            scope=scope(world, "lan"),
            by=world.user("lan"),
            unit=world.snv,
            year=Y,
            criterion_code="T",
            points="1",
        )
    assert not Score.objects.exists()


@pytest.mark.parametrize("name", ["minh", "an", "binh"])
def test_others_may_not_self_score_snv(world, setup, name):
    with pytest.raises(OutOfScope):
        services.score_self(
            scope=scope(world, name),
            by=world.user(name),
            unit=world.snv,
            year=Y,
            criterion_code="A",
            points="1",
        )
    assert not Score.objects.exists()


def test_a_stale_version_is_refused(world, setup):
    s = services.score_self(
        scope=scope(world, "lan"),
        by=world.user("lan"),
        unit=world.snv,
        year=Y,
        criterion_code="A",
        points="5",
    )
    services.score_self(
        scope=scope(world, "lan"),
        by=world.user("lan"),
        unit=world.snv,
        year=Y,
        criterion_code="A",
        points="6",
        expected_version=s.version,
    )
    with pytest.raises(ConcurrentUpdate):
        services.score_self(
            scope=scope(world, "lan"),
            by=world.user("lan"),
            unit=world.snv,
            year=Y,
            criterion_code="A",
            points="7",
            expected_version=s.version,
        )
    assert Score.objects.get().self_points == Decimal("6")


def test_evidence_of_a_forbidden_type_or_size_is_refused(world, setup, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    s = services.score_self(
        scope=scope(world, "lan"),
        by=world.user("lan"),
        unit=world.snv,
        year=Y,
        criterion_code="A",
        points="5",
    )
    with pytest.raises(DomainError, match="exe"):
        services.evidence_attach(
            scope=scope(world, "lan"),
            by=world.user("lan"),
            score=s,
            file=SimpleUploadedFile("virus.exe", b"MZ\x90\x00"),
        )
    big = SimpleUploadedFile("big.pdf", b"%PDF-1.4\n" + b"0" * (21 * 1024 * 1024))
    with pytest.raises(DomainError, match="MB"):
        services.evidence_attach(scope=scope(world, "lan"), by=world.user("lan"), score=s, file=big)
    assert not EvidenceFile.objects.exists()
    ok = services.evidence_attach(
        scope=scope(world, "lan"),
        by=world.user("lan"),
        score=s,
        file=SimpleUploadedFile("bao-cao.pdf", b"%PDF-1.4\nx"),
    )
    assert ok.name == "bao-cao.pdf"


def test_cross_evaluation_never_itself_its_parent_or_its_child(world, setup):
    council = scope(world, "hung")
    for appraiser, assessed, word in [
        (world.snv, world.snv, "itself"),
        (world.city, world.snv, "parent"),
        (world.snv_tc, world.snv, "child"),
    ]:
        with pytest.raises(DomainError, match=word):
            services.assignment_add(
                scope=council,
                by=world.user("hung"),
                round=setup,
                appraiser=appraiser,
                assessed=assessed,
            )
    assert not AppraiserAssignment.objects.exists()
    services.assignment_add(
        scope=council, by=world.user("hung"), round=setup, appraiser=world.stc, assessed=world.snv
    )
    with pytest.raises(OutOfScope):
        services.assignment_add(
            scope=scope(world, "minh"),
            by=world.user("minh"),
            round=setup,
            appraiser=world.snv,
            assessed=world.stc,
        )


def test_the_proposal_is_balanced_and_respects_the_constraints(world, setup):
    extra = [
        UnitFactory.create(code=f"S{i}", kind="department", parent=world.city) for i in range(5)
    ]
    sub = UnitFactory.create(
        code="S0-SUB", kind="department", parent=extra[0]
    )  # a department's child
    ids = [world.snv.pk, world.stc.pk, *(u.pk for u in extra), sub.pk, world.ward.pk]
    pairs, short = services.propose_pairs(tree(), ids, 2, dt.date(2026, 6, 30))
    snap = tree()
    assert not short or short == [world.ward.pk]  # the ward is alone in its group
    loads: dict[int, int] = {}
    per_unit: dict[int, int] = {}
    for a, b in pairs:
        assert a != b
        assert (
            snap.parent_on(b, dt.date(2026, 6, 30)) != a
            and snap.parent_on(a, dt.date(2026, 6, 30)) != b
        )
        assert snap.units[a].kind == snap.units[b].kind
        loads[a] = loads.get(a, 0) + 1
        per_unit[b] = per_unit.get(b, 0) + 1
    departments = [i for i in ids if i != world.ward.pk]
    assert all(per_unit[d] == 2 for d in departments)
    assert max(loads.values()) - min(loads.values()) <= 1


def test_the_proposal_is_recorded(world, setup):
    for u in (world.snv, world.stc):
        score(u, Y, "A", self_points=1)
    UnitFactory.create(code="SXD", kind="department", parent=world.city)
    score(tree_unit("SXD"), Y, "A", self_points=2)
    made = services.assignment_propose(
        scope=scope(world, "lan"), by=world.user("lan"), round=setup, k=1
    )
    assert len(made) == 3 and all(a.proposed for a in made)
    assert AuditEntry.objects.filter(model_label="reform.appraiserassignment").count() == 3


def tree_unit(code):
    from thenchot.org.models import Unit

    return Unit.objects.get(code=code)


def test_the_full_round_appraisal_council_and_publication_freeze(world, setup):
    lan, minh, hung = (scope(world, n) for n in ("lan", "minh", "hung"))
    services.score_self(
        scope=lan, by=world.user("lan"), unit=world.snv, year=Y, criterion_code="B", points="5"
    )
    services.assignment_add(
        scope=hung, by=world.user("hung"), round=setup, appraiser=world.stc, assessed=world.snv
    )
    rnd = services.round_advance(
        scope=hung, by=world.user("hung"), round=setup, expected_version=setup.version
    )
    assert rnd.status == RoundStatus.APPRAISING
    with pytest.raises(OutOfScope):  # SNV is not STC's appraiser
        services.score_appraise(
            scope=lan, by=world.user("lan"), unit=world.stc, year=Y, criterion_code="B", points="3"
        )
    s = services.score_appraise(
        scope=minh,
        by=world.user("minh"),
        unit=world.snv,
        year=Y,
        criterion_code="B",
        points="3",
        comment="Thiếu minh chứng",
    )
    assert s.appraiser_unit == world.stc and s.disagreement
    rnd = services.round_advance(
        scope=hung, by=world.user("hung"), round=rnd, expected_version=rnd.version
    )
    with pytest.raises(OutOfScope):
        services.council_decide(
            scope=minh,
            by=world.user("minh"),
            score=s,
            points="4",
            reason="x",
            expected_version=s.version,
        )
    with pytest.raises(DomainError, match="6"):
        services.council_decide(
            scope=lan,
            by=world.user("lan"),
            score=s,
            points="6",
            reason="x",
            expected_version=s.version,
        )
    s = services.council_decide(
        scope=lan,
        by=world.user("lan"),
        score=s,
        points="4",
        reason="Minh chứng bổ sung",
        expected_version=s.version,
    )
    assert (
        s.council_points == Decimal("4")
        and CouncilDecision.objects.get().reason == "Minh chứng bổ sung"
    )
    rnd = services.publish(
        scope=lan,
        by=world.user("lan"),
        round=rnd,
        as_of=dt.date(2026, 12, 31),
        expected_version=rnd.version,
    )
    frozen = PublishedResult.objects.get(unit=world.snv, criterion__code="T")
    assert (frozen.numerator, frozen.denominator, frozen.points) == (0, 0, Decimal("6"))
    assert PublishedResult.objects.get(unit=world.snv, criterion__code="B").points == Decimal("4")
    with pytest.raises(DomainError, match="published"):
        services.score_self(
            scope=lan, by=world.user("lan"), unit=world.snv, year=Y, criterion_code="A", points="1"
        )
    with pytest.raises(DomainError, match="published"):
        services.council_decide(
            scope=lan,
            by=world.user("lan"),
            score=s,
            points="5",
            reason="x",
            expected_version=s.version,
        )
    assert Score.objects.get(pk=s.pk).council_points == Decimal("4")
    assert AssessmentRound.objects.get().status == RoundStatus.PUBLISHED


def test_the_framework_is_imported_from_xlsx_and_copied(world):
    from io import BytesIO

    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.append(["code", "content", "name", "max_points", "method", "source", "parent"])
    sheet.append(["1.1", "I. Chỉ đạo", "Kế hoạch", 3, "self", None, None])
    sheet.append(
        ["1.2", "I. Chỉ đạo", "Nhiệm vụ đúng hạn", 6, "computed", "on_time_task_rate", None]
    )
    sheet.append(["1.2.a", "I. Chỉ đạo", "Phần a", 3, "self", None, "1.1"])
    sheet.append(["9.1", "IX. Điểm trừ", "Vi phạm", -2, "appraised", None, None])
    data = BytesIO()
    book.save(data)
    data.seek(0)
    hung = compute_scope(world.user("hung"))
    services.framework_import_xlsx(scope=hung, by=world.user("hung"), year=2025, file=data)
    from thenchot.reform.models import Criterion

    assert Criterion.objects.filter(framework__year=2025).count() == 4
    assert Criterion.objects.get(code="1.2.a").parent.code == "1.1"
    services.framework_copy(scope=hung, by=world.user("hung"), from_year=2025, to_year=2026)
    assert Criterion.objects.filter(framework__year=2026).count() == 4

    bad = Workbook()
    sheet = bad.active
    sheet.append(["code", "content", "name", "max_points", "method", "source"])
    sheet.append(["X1", "I", "Sai", "mười", "self", None])
    sheet.append(["X2", "I", "Sai", 5, "computed", "bogus"])
    data = BytesIO()
    bad.save(data)
    data.seek(0)
    with pytest.raises(DomainError) as err:
        services.framework_import_xlsx(scope=hung, by=world.user("hung"), year=2027, file=data)
    messages = " ".join(str(m) for m in err.value.field_errors["file"])
    assert "row 2, column max_points" in messages and "mười" in messages
    assert "row 3, column source" in messages and "bogus" in messages
    assert not Criterion.objects.filter(framework__year=2027).exists()
    with pytest.raises(OutOfScope):
        services.framework_copy(
            scope=compute_scope(world.user("minh")),
            by=world.user("minh"),
            from_year=2025,
            to_year=2027,
        )
