"""Forms allowed by category, post and decision date: the rules.md table, cell by cell, on both
sides of 2025-07-01 (Decree 172/2025)."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from thenchot.discipline import rules

BEFORE, AFTER = dt.date(2025, 6, 30), dt.date(2025, 7, 1)
ALL = rules.FORM_ORDER

# (category, leader, date) -> allowed forms, copied from shared/domain/rules.md.
TABLE = {
    ("cadre", False, BEFORE): {
        "reprimand",
        "warning",
        "removal_from_post",
        "dismissal_from_office",
    },
    ("cadre", True, BEFORE): {"reprimand", "warning", "removal_from_post", "dismissal_from_office"},
    ("cadre", False, AFTER): {"reprimand", "warning", "removal_from_post", "dismissal_from_office"},
    ("cadre", True, AFTER): {"reprimand", "warning", "removal_from_post", "dismissal_from_office"},
    ("civil_servant", False, BEFORE): {
        "reprimand",
        "warning",
        "salary_step_down",
        "forced_dismissal",
    },
    ("civil_servant", False, AFTER): {"reprimand", "warning", "forced_dismissal"},
    ("civil_servant", True, BEFORE): {
        "reprimand",
        "warning",
        "demotion",
        "removal_from_post",
        "forced_dismissal",
    },
    ("civil_servant", True, AFTER): {
        "reprimand",
        "warning",
        "removal_from_post",
        "forced_dismissal",
    },
    ("public_employee", False, BEFORE): {"reprimand", "warning", "forced_dismissal"},
    ("public_employee", False, AFTER): {"reprimand", "warning", "forced_dismissal"},
    ("public_employee", True, BEFORE): {
        "reprimand",
        "warning",
        "removal_from_post",
        "forced_dismissal",
    },
    ("public_employee", True, AFTER): {
        "reprimand",
        "warning",
        "removal_from_post",
        "forced_dismissal",
    },
    ("contract_worker", False, BEFORE): set(),
    ("contract_worker", True, AFTER): set(),
}

CASES = [(cat, leader, on, form) for (cat, leader, on) in TABLE for form in ALL]


@pytest.mark.parametrize(("category", "leader", "on", "form"), CASES)
def test_it_allows_exactly_the_forms_of_the_table(category, leader, on, form) -> None:  # type: ignore[no-untyped-def]
    """rules.md: discipline.forms.cadre, discipline.forms.civil-servant,
    discipline.forms.civil-servant-leader, discipline.forms.public-employee,
    discipline.forms.public-employee-manager."""
    allowed = rules.allowed_forms(category=category, is_leader=leader, on=on)
    assert allowed.allows(form) == (form in TABLE[(category, leader, on)])


def test_it_refuses_salary_step_down_and_demotion_for_civil_servants_from_2025_07_01() -> None:
    for leader, form in ((False, "salary_step_down"), (True, "demotion")):
        assert rules.allowed_forms(category="civil_servant", is_leader=leader, on=BEFORE).allows(
            form
        )
        assert not rules.allowed_forms(category="civil_servant", is_leader=leader, on=AFTER).allows(
            form
        )


def test_it_names_the_legal_basis_and_marks_defaults() -> None:
    """rules.md: discipline.forms.public-employee."""
    new = rules.allowed_forms(category="civil_servant", is_leader=False, on=AFTER)
    assert "172/2025" in new.basis and not new.default
    viên = rules.allowed_forms(category="public_employee", is_leader=False, on=AFTER)
    assert viên.default


def test_it_allows_either_posts_forms_for_history_without_a_post() -> None:
    forms = rules.allowed_forms_any_post(category="civil_servant", on=BEFORE)
    assert "salary_step_down" in forms and "demotion" in forms
    assert "dismissal_from_office" not in forms


@given(st.dates(min_value=dt.date(2015, 1, 1), max_value=dt.date(2035, 12, 31)), st.booleans())
def test_it_never_allows_the_abolished_forms_after_the_reform(on, leader) -> None:  # type: ignore[no-untyped-def]
    for category in ("cadre", "civil_servant"):
        forms = rules.allowed_forms(category=category, is_leader=leader, on=on).forms
        if on >= AFTER:
            assert "salary_step_down" not in forms and "demotion" not in forms
        assert list(forms) == sorted(forms, key=rules.severity)


def test_it_opens_restriction_windows_from_the_effective_date() -> None:
    """rules.md: discipline.restrictions."""
    eff = dt.date(2024, 3, 15)
    (window,) = rules.restrictions(form="reprimand", effective_on=eff)
    assert (window.kind, window.until) == (rules.NO_HIGHER_POST, dt.date(2025, 3, 14))
    kinds = {r.kind: r.until for r in rules.restrictions(form="warning", effective_on=eff)}
    assert kinds == {
        rules.NO_HIGHER_POST: dt.date(2025, 3, 14),
        rules.SALARY_STEP_DELAY: dt.date(2024, 9, 14),
    }
    (removal,) = rules.restrictions(form="removal_from_post", effective_on=eff)
    assert (removal.kind, removal.until) == (rules.NO_APPOINTMENT, dt.date(2026, 3, 14))
    assert rules.restrictions(form="forced_dismissal", effective_on=eff) == ()
    assert rules.restrictions(form="warning", effective_on=AFTER)[0].default


def test_it_sets_limitation_periods_by_regime() -> None:
    """rules.md: discipline.limitation."""
    old = rules.limitation(violation_on=dt.date(2024, 5, 1), reprimand_level=True)
    assert (old.years, old.ends_on) == (2, dt.date(2026, 5, 1))
    assert rules.limitation(violation_on=dt.date(2024, 5, 1), reprimand_level=False).years == 5
    new = rules.limitation(violation_on=AFTER, reprimand_level=False)
    assert (new.years, new.default) == (10, True)
