"""Numbers as Vietnamese readers write them (issue 11, point 3): "62,5" is read as 62.5 and
never as 625, "1.234,5" groups thousands; English reads "62.5" and "1,234.5"; every page shows a
decimal one way ("27", "62,5", "1.234,5")."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django import forms
from django.template import Context, Template
from django.utils import translation

from thenchot.core.numbers import (
    LocalDecimalField,
    NumberSyntaxError,
    format_decimal,
    parse_decimal,
)


@pytest.mark.parametrize(
    ("lang", "text", "expected"),
    [
        ("vi", "62,5", "62.5"),
        ("vi", "62.5", "62.5"),
        ("vi", "1.234,5", "1234.5"),
        ("vi", "1.234", "1234"),  # what the page itself writes for 1234
        ("vi", "1.234.567", "1234567"),
        ("vi", "50.00", "50.00"),  # what the board posted since issue 10
        ("vi", " 0,125 ", "0.125"),
        ("vi", "-3,5", "-3.5"),
        ("vi", "27", "27"),
        ("en", "62.5", "62.5"),
        ("en", "1,234.5", "1234.5"),
        ("en", "1,234", "1234"),
        ("en", "62,5", "62.5"),  # not a thousands group: a decimal comma, never 625
        ("en", "0.125", "0.125"),
    ],
)
def test_it_reads_the_writings_of_each_language(lang: str, text: str, expected: str) -> None:
    assert parse_decimal(text, lang=lang) == Decimal(expected)


@pytest.mark.parametrize(
    "text", ["abc", "", "62,5,", "1,23,4", "1.23.4", "6 2", "1.234,5.6", "--1"]
)
@pytest.mark.parametrize("lang", ["vi", "en"])
def test_it_refuses_what_is_not_a_number(lang: str, text: str) -> None:
    with pytest.raises(NumberSyntaxError):
        parse_decimal(text, lang=lang)


class PointsForm(forms.Form):
    points = LocalDecimalField(min_value=0, max_value=100, max_digits=5, decimal_places=2)


@pytest.mark.parametrize(
    ("lang", "typed", "expected"),
    [
        ("vi", "62,5", Decimal("62.5")),
        ("vi", "62.5", Decimal("62.5")),
        ("vi", "1.234,5", None),  # read as 1234.5, refused by the maximum, not turned into 1.2345
        ("en", "62.5", Decimal("62.5")),
    ],
)
def test_it_reads_points_in_a_form(lang: str, typed: str, expected: Decimal | None) -> None:
    with translation.override(lang):
        form = PointsForm({"points": typed})
        assert form.is_valid() is (expected is not None)
        if expected is not None:
            assert form.cleaned_data["points"] == expected
        else:
            assert "points" in form.errors


def test_it_never_turns_a_decimal_comma_into_hundreds() -> None:
    for lang in ("vi", "en"):
        with translation.override(lang):
            form = PointsForm({"points": "62,5"})
            assert form.is_valid() and form.cleaned_data["points"] != Decimal(625)


def test_it_says_clearly_what_to_type() -> None:
    with translation.override("en"):
        form = PointsForm({"points": "abc"})
        assert not form.is_valid()
        assert form.errors["points"] == ["Enter a number, for example 62.5."]
    with translation.override("vi"):
        form = PointsForm({"points": "abc"})
        assert not form.is_valid()
        assert "62,5" in form.errors["points"][0]


def test_it_renders_a_text_input_with_the_value_in_the_readers_writing() -> None:
    with translation.override("vi"):
        html = str(PointsForm(initial={"points": Decimal("62.50")})["points"])
        assert 'type="text"' in html and 'inputmode="decimal"' in html
        assert 'value="62,5"' in html and "step=" not in html
        # What the person typed comes back as typed, to be corrected.
        assert 'value="6x"' in str(PointsForm({"points": "6x"})["points"])
    with translation.override("en"):
        assert 'value="62.5"' in str(PointsForm(initial={"points": Decimal("62.50")})["points"])


@pytest.mark.parametrize(
    ("lang", "value", "shown"),
    [
        ("vi", Decimal("27.00"), "27"),
        ("vi", Decimal("62.50"), "62,5"),
        ("vi", Decimal("1234.5"), "1.234,5"),
        ("vi", "86.5", "86,5"),  # a share stored as text in a calculation
        ("vi", 83.3333, "83,33"),
        ("en", Decimal("27.00"), "27"),
        ("en", Decimal("62.50"), "62.5"),
        ("en", Decimal("1234.5"), "1,234.5"),
        ("en", None, ""),
    ],
)
def test_it_shows_a_decimal_one_way(lang: str, value: object, shown: str) -> None:
    with translation.override(lang):
        assert format_decimal(value) == shown


def test_it_gives_templates_the_number_filter_in_both_languages() -> None:
    template = Template(
        "{% load thenchot_numbers %}{{ a|number }} {{ b|number }} {{ c|number:1 }} "
        '{{ d|number|default:"—" }} <b {% number_separators %}></b>'
    )
    context = {"a": Decimal("27.00"), "b": Decimal("1234.50"), "c": 66.666, "d": None}
    with translation.override("vi"):
        assert template.render(Context(context)) == (
            '27 1.234,5 66,7 — <b data-decimal-separator="," data-thousand-separator="."></b>'
        )
    with translation.override("en"):
        assert template.render(Context(context)) == (
            '27 1,234.5 66.7 — <b data-decimal-separator="." data-thousand-separator=","></b>'
        )
