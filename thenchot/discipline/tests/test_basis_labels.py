"""Every legal basis the pure rules name is shown in the reader's language (issue 11)."""

from __future__ import annotations

import datetime as dt

from django.utils import translation

from thenchot.discipline import rules
from thenchot.discipline.labels import BASIS_LABELS, basis_label


def _every_basis() -> set[str]:
    bases = {rule.basis for rule in rules.FORM_TABLE} | {rules.REPEAT_BASIS}
    for day in (dt.date(2024, 1, 1), dt.date(2026, 1, 1)):
        bases.add(rules.limitation(violation_on=day, reprimand_level=True).basis)
        for form in (rules.WARNING, rules.DEMOTION):
            bases |= {r.basis for r in rules.restrictions(form=form, effective_on=day)}
    return bases


def test_it_has_a_label_for_every_basis_the_rules_name():
    assert _every_basis() - set(BASIS_LABELS) == set()


def test_it_shows_no_english_basis_on_a_vietnamese_page():
    with translation.override("vi"):
        label = basis_label("2025 regime")
    assert label != "2025 regime"
    assert "regime" not in label
