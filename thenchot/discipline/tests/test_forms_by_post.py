"""Recording a decision (pages and API go through `services.decision_record`): the form must fit
the person's category and their post on the decision date — a dated headship or deputy
headship, else the `is_leader` flag — and nothing is kept for a contract worker. A refusal
names the person, the form, the date and the forms allowed; nothing is written.

Personas: Lan (personnel officer of SNV) records; An (P005) is a civil servant of SNV-TC, not
a leader; Hoa (P004) heads SNV-TC; Mai (VC01) is a public employee, not a manager; Phó (PP01)
is a civil servant of SNV-CC, flag off, deputy head of SNV-CC in 2024 only; Tú (LD01) is a
contract worker of SNV-CC."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from thenchot.core.errors import DomainError
from thenchot.discipline import services
from thenchot.discipline.models import DisciplineCase, DisciplineDecision
from thenchot.discipline.tests.conftest import decision

pytestmark = pytest.mark.django_db

D2024, D2025 = dt.date(2024, 8, 1), dt.date(2025, 8, 1)


def record(scope_of, staff: Any, form: str, on: dt.date, **kw: Any) -> DisciplineDecision:  # type: ignore[no-untyped-def]
    return services.decision_record(
        scope=scope_of("lan"), staff=staff, form=form, decided_on=on, effective_on=on, **kw
    )


# (person, form, date): the cases, each refused with its person, form, date and allowed.
REFUSED = [
    ("an", "demotion", D2024, "Reprimand (khiển trách), Warning (cảnh cáo), Salary step-down"),
    ("an", "removal_from_post", D2024, "Salary step-down (hạ bậc lương), Forced dismissal"),
    ("mai", "removal_from_post", D2024, "Reprimand (khiển trách), Warning (cảnh cáo), Forced"),
    ("hoa", "salary_step_down", D2024, "Warning (cảnh cáo), Demotion (giáng chức), Removal"),
    ("hoa", "demotion", D2025, "Warning (cảnh cáo), Removal from post (cách chức), Forced"),
    ("pho", "salary_step_down", D2024, "Warning (cảnh cáo), Demotion (giáng chức), Removal"),
    ("pho", "demotion", D2025, "Reprimand (khiển trách), Warning (cảnh cáo), Forced dismissal"),
]


@pytest.mark.parametrize(("who", "form", "on", "allowed"), REFUSED)
def test_it_refuses_a_form_of_the_other_post_naming_person_form_date_and_forms_allowed(  # type: ignore[no-untyped-def]
    people, scope_of, who, form, on, allowed
) -> None:
    """rules.md "Discipline" table (leader and non-leader rows), Settled point 13.
    (rules.md: discipline.forms)"""
    staff = people[who]
    with pytest.raises(DomainError) as exc:
        record(scope_of, staff, form, on)
    message = str(exc.value.message)
    assert f"{staff.full_name} ({staff.code})" in message
    assert on.strftime("%d/%m/%Y") in message
    assert allowed in message
    assert "form" in exc.value.field_errors
    assert not DisciplineDecision.objects.exists()


def test_it_takes_a_leader_from_a_deputy_headship_covering_the_decision_date(
    people, scope_of
) -> None:  # type: ignore[no-untyped-def]
    """Settled point 13: a deputy headship covering the date makes a leader (flag off)."""
    record(scope_of, people["pho"], "demotion", D2024)
    with pytest.raises(DomainError) as exc:
        record(scope_of, people["pho"], "salary_step_down", D2024)
    assert "leader (deputy head of a unit on that date)" in str(exc.value.message)


def test_it_falls_back_to_the_flag_when_no_headship_covers_the_date(people, scope_of) -> None:  # type: ignore[no-untyped-def]
    """Settled point 13: outside the deputy headship the flag (off) decides: non-leader row."""
    record(scope_of, people["pho"], "salary_step_down", dt.date(2023, 6, 1))
    with pytest.raises(DomainError) as exc:
        record(scope_of, people["pho"], "demotion", dt.date(2023, 6, 1))
    assert "not a leader or manager" in str(exc.value.message)


def test_it_takes_a_leader_from_the_flag_without_any_headship(people, scope_of) -> None:  # type: ignore[no-untyped-def]
    """Settled point 13: the `is_leader` flag when there is no dated headship at all."""
    mai = people["mai"]
    mai.is_leader = True
    mai.save(update_fields=["is_leader"])
    record(scope_of, mai, "removal_from_post", D2024)
    assert DisciplineDecision.objects.get().form == "removal_from_post"
    with pytest.raises(DomainError) as exc:
        record(scope_of, mai, "demotion", D2024)
    assert "leader or manager (staff record)" in str(exc.value.message)


def test_it_refuses_any_decision_or_case_for_a_contract_worker(people, scope_of) -> None:  # type: ignore[no-untyped-def]
    """Settled point 12: no discipline record for a contract worker, named in the refusal."""
    with pytest.raises(DomainError) as exc:
        record(scope_of, people["tu"], "reprimand", D2025)
    message = str(exc.value.message)
    assert "Hoàng Văn Tú (LD01) is a contract worker" in message
    assert "Reprimand (khiển trách)" in message and "01/08/2025" in message
    with pytest.raises(DomainError) as exc:
        services.case_open(
            scope=scope_of("lan"), staff=people["tu"], detected_on=D2025, summary="Đi muộn"
        )
    assert "Hoàng Văn Tú (LD01) is a contract worker" in str(exc.value.message)
    assert not DisciplineDecision.objects.exists() and not DisciplineCase.objects.exists()


def test_it_refuses_the_same_way_through_the_api(people, api_for) -> None:  # type: ignore[no-untyped-def]
    """rules.md "Discipline" table through the API (the same service), Settled point 13."""
    body = {"staff": "P005", "form": "demotion", "decided_on": "2024-08-01"}
    refused = api_for("lan").post(
        "/api/v1/discipline/decisions/", {**body, "effective_on": "2024-08-01"}, format="json"
    )
    assert refused.status_code == 400
    assert "Nguyễn Văn An (P005)" in refused.json()["error"]["message"]
    assert not DisciplineDecision.objects.exists()


def test_it_raises_the_minimum_to_one_level_heavier_in_the_deputys_row(people, scope_of) -> None:  # type: ignore[no-untyped-def]
    """rules.md "Discipline", Procedure: one level heavier than the running warning, among the
    forms of the post on the new decision's date (a deputy then: demotion, not step-down)."""
    pho = people["pho"]
    decision(pho, "W1", "warning", violation="V1", decided_on=dt.date(2024, 2, 1))
    with pytest.raises(DomainError) as exc:
        record(scope_of, pho, "reprimand", D2024, violation="V2")
    message = str(exc.value.message)
    assert "W1" in message and "Demotion (giáng chức) or heavier" in message
    record(scope_of, pho, "demotion", D2024, violation="V2")
