"""Numbers as Vietnamese readers write them (issue 11, point 3): "62,5" and "1.234,5" in
Vietnamese, "62.5" and "1,234.5" in English, read and shown the same way on every page.

Django's own localized parsing drops the thousands separator before it looks for decimals, so
"62.5" typed in Vietnamese (or "62,5" in English) became 625. `parse_decimal` never guesses a
grouping that is not one: a single separator is the decimal one unless it is the language's
thousands separator in a well-formed group ("1.234" in Vietnamese, "1,234" in English), which is
what `format_decimal` itself writes, so a shown value always reads back as itself.

Interchange files and the API keep plain JSON numbers; this module is for what people type and
read.
"""

from __future__ import annotations

import re
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Any

from django import forms
from django.utils import formats
from django.utils.translation import gettext_lazy as _

_BODY = re.compile(r"[0-9.,]+")
_MINUS = {"-", "\u2212"}  # hyphen-minus, and the minus sign a phone keyboard may offer


class NumberSyntaxError(ValueError):
    """The text is not a number in any of the accepted writings."""


def separators(lang: str | None = None) -> tuple[str, str]:
    """(decimal, thousands) separators of `lang` (the active language by default)."""
    decimal_sep = str(formats.get_format("DECIMAL_SEPARATOR", lang, use_l10n=True))
    thousand_sep = str(formats.get_format("THOUSAND_SEPARATOR", lang, use_l10n=True))
    return decimal_sep, thousand_sep


def _grouped(text: str, sep: str) -> bool:
    """Whether `text` is digits in well-formed groups of three separated by `sep` ("1.234.567");
    a leading zero group ("0.125") is a decimal, not a grouping."""
    first, *rest = text.split(sep)
    return (
        bool(rest)
        and 1 <= len(first) <= 3
        and first.isdigit()
        and first[0] != "0"
        and all(len(part) == 3 and part.isdigit() for part in rest)
    )


def parse_decimal(text: str, *, lang: str | None = None) -> Decimal:
    """The number written in `text` in the reader's language, or NumberSyntaxError.

    Both separators present: the last one is the decimal separator and the other must group
    thousands. One separator, once: decimal, unless it is the language's thousands separator
    grouping correctly. One separator several times: thousands, correctly grouped."""
    raw = text.strip()
    sign = ""
    if raw[:1] in _MINUS or raw[:1] == "+":
        sign = "-" if raw[:1] in _MINUS else ""
        raw = raw[1:]
    if not _BODY.fullmatch(raw) or not any(ch.isdigit() for ch in raw):
        raise NumberSyntaxError(text)
    _decimal_sep, thousand_sep = separators(lang)
    dots, commas = raw.count("."), raw.count(",")
    if dots and commas:
        point = "." if raw.rfind(".") > raw.rfind(",") else ","
        group = "," if point == "." else "."
        whole, _, fraction = raw.partition(point)
        if point in fraction or not _grouped(whole, group):
            raise NumberSyntaxError(text)
        whole = whole.replace(group, "")
    elif dots + commas > 1:
        group = "." if dots else ","
        if not _grouped(raw, group):
            raise NumberSyntaxError(text)
        whole, fraction = raw.replace(group, ""), ""
    elif dots + commas == 1:
        mark = "." if dots else ","
        if mark == thousand_sep and _grouped(raw, mark):
            whole, fraction = raw.replace(mark, ""), ""
        else:
            whole, _, fraction = raw.partition(mark)
    else:
        whole, fraction = raw, ""
    try:
        return Decimal(f"{sign}{whole or '0'}" + (f".{fraction}" if fraction else ""))
    except InvalidOperation:  # pragma: no cover - the pattern above admits digits only
        raise NumberSyntaxError(text) from None


def to_decimal(value: Any) -> Decimal | None:
    """A Decimal from what templates and stored calculations hold (Decimal, int, float or a
    plain "86.5" string), None for nothing or what is not a number."""
    if value is None or value == "" or isinstance(value, bool):
        return None
    if isinstance(value, Decimal):
        return value
    try:
        number = Decimal(str(value).strip())
    except InvalidOperation:
        return None
    return number if number.is_finite() else None


def format_decimal(
    value: Any, places: int | None = 2, *, grouping: bool = True, lang: str | None = None
) -> str:
    """`value` in the reader's writing, rounded to `places` and without the trailing zeros that
    say nothing: 27 -> "27", 62.50 -> "62,5", 1234.5 -> "1.234,5" (Vietnamese) or "1,234.5"
    (English). '' for nothing; text that is not a number is returned unchanged."""
    number = to_decimal(value)
    if number is None:
        return "" if value is None else str(value)
    if places is not None:
        number = number.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)
    if number == 0:
        number = abs(number)  # "-0" says nothing either
    text = format(number.normalize(), "f")
    negative = text.startswith("-")
    whole, _, fraction = text.lstrip("-").partition(".")
    decimal_sep, thousand_sep = separators(lang)
    if grouping:
        size = int(formats.get_format("NUMBER_GROUPING", lang, use_l10n=True) or 3)
        groups: list[str] = []
        while len(whole) > size:
            groups.insert(0, whole[-size:])
            whole = whole[:-size]
        whole = thousand_sep.join([whole, *groups])
    return ("-" if negative else "") + whole + (decimal_sep + fraction if fraction else "")


class DecimalInput(forms.TextInput):
    """A text input: a number input refuses "62,5" (the browser posts it empty) and would show
    the value with a point whatever the language."""

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs={"inputmode": "decimal", "autocomplete": "off", **(attrs or {})})


class LocalDecimalField(forms.DecimalField):
    """The decimal field of every form where a person types a number with decimals (points,
    weights, ratios): reads `parse_decimal`, shows the current value in the reader's writing."""

    widget: type[forms.Widget] | forms.Widget = DecimalInput
    default_error_messages = {
        "invalid": _("Enter a number, for example %(example)s."),
    }

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("localize", True)
        super().__init__(**kwargs)
        # DecimalField turns a text widget into a number input when localize is off; ours stays
        # a text input either way.
        if not isinstance(self.widget, DecimalInput):
            self.widget = DecimalInput(attrs=self.widget.attrs)

    def to_python(self, value: Any) -> Decimal | None:  # type: ignore[override]
        if value in self.empty_values:
            return None
        if isinstance(value, (Decimal, int, float)) and not isinstance(value, bool):
            number = to_decimal(value)
        else:
            try:
                number = parse_decimal(str(value))
            except NumberSyntaxError:
                number = None
        if number is None:
            raise forms.ValidationError(
                self.error_messages["invalid"],
                code="invalid",
                params={"example": format_decimal(Decimal("62.5"))},
            )
        return number

    def prepare_value(self, value: Any) -> Any:
        # A stored Decimal("62.50") is shown "62,5" (Vietnamese); what was typed is shown as
        # typed, so a refused entry can be corrected.
        if isinstance(value, (Decimal, int, float)) and not isinstance(value, bool):
            return format_decimal(value, self.decimal_places, grouping=False)
        return value

    def widget_attrs(self, widget: forms.Widget) -> dict[str, Any]:
        # Not DecimalField's: its `step` (and IntegerField's min/max) belong to number inputs.
        return forms.Field.widget_attrs(self, widget)
