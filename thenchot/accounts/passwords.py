"""Password policy: no word people guess first, dressed up with a number or a date.

Django's validators refuse short, all-digit and common English passwords and ones close to the
account's own names. What they let through, and what is guessed first in a Vietnamese office,
is a name, a place or a work word with a year or a date around it: `hanoi2026`, `Nguyen@1990`,
`matkhau123`, `canbo.01/2026`. `GuessableWordValidator` refuses a password whose letters, once
folded (no diacritics, lower case) and taken apart from its digits and punctuation, are one of
those words, a part of the person's own names, or too few beside a date (fewer than 4 letters around a year or a day and month).
"""

from __future__ import annotations

import re
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from thenchot.core.text import fold

# Places, the office's own words and what people type when asked for a password. Folded, no
# spaces. A word here refuses it with any number or date and any punctuation around it.
GUESSABLE = frozenset(
    [
        "hanoi",
        "hanoii",
        "thudo",
        "vietnam",
        "vn",
        "saigon",
        "hcm",
        "hochiminh",
        "tphcm",
        "danang",
        "haiphong",
        "hue",
        "cantho",
        "thanhpho",
        "quan",
        "huyen",
        "xa",
        "phuong",
        "tinh",
        "bacninh",
        "namdinh",
        "thanhhoa",
        "nghean",
        "matkhau",
        "password",
        "passw0rd",
        "pass",
        "admin",
        "administrator",
        "quantri",
        "root",
        "user",
        "login",
        "dangnhap",
        "thenchot",
        "canbo",
        "congchuc",
        "vienchuc",
        "nhanvien",
        "lanhdao",
        "truongphong",
        "giamdoc",
        "noivu",
        "thanhtra",
        "sonoivu",
        "ubnd",
        "hdnd",
        "ubndtp",
        "uyban",
        "coquan",
        "donvi",
        "phongban",
        "vanphong",
        "abc",
        "abcd",
        "abcdef",
        "qwerty",
        "qwertyuiop",
        "asdf",
        "asdfgh",
        "zxcvbn",
        "iloveyou",
        "anhyeuem",
        "emyeuanh",
        "hello",
        "welcome",
        "chao",
        "xinchao",
        "test",
        "demo",
    ]
)
MIN_LETTERS = 4
# A year (1900-2099) or a day and month written with digits (01/02, 1-2, 0102...).
_DATE = re.compile(r"(19|20)\d\d|\d{1,2}[/.\-]\d{1,2}|[0-3]\d[01]\d")


def _letters(password: str) -> str:
    return re.sub(r"[^a-z]", "", fold(password).replace(" ", ""))


class GuessableWordValidator:
    """Refuses a name, a place or a common word padded with digits, a date or punctuation."""

    def validate(self, password: str, user: Any = None) -> None:
        letters = _letters(password)
        if len(letters) < MIN_LETTERS and _DATE.search(password):
            raise ValidationError(
                _(
                    "This password is mostly a date or a year: use at least %(n)d letters "
                    "beside it, or better a phrase of several words."
                )
                % {"n": MIN_LETTERS},
                code="password_too_few_letters",
            )
        if letters in GUESSABLE or _own_name(letters, user):
            raise ValidationError(
                _(
                    "This password is a name, a place or a common word with a number or a date "
                    "(like “hanoi2026”): it is among the first guessed. Use a phrase of several "
                    "words of your own."
                ),
                code="password_guessable_word",
            )

    def get_help_text(self) -> str:
        return _(
            "Not a name, a place or a common word with a number or a date added (like “hanoi2026”)."
        )


def _own_name(letters: str, user: Any) -> bool:
    """The letters are the person's username, one of their names, or a whole name run together
    (in either order: "nguyenthilan", "lanthinguyen")."""
    if user is None:
        return False
    names = [str(getattr(user, attr, "") or "") for attr in ("username", "first_name", "last_name")]
    staff = getattr(user, "staff", None) if _has_staff(user) else None
    if staff is not None:
        names.append(str(getattr(staff, "full_name", "") or ""))
    candidates: set[str] = set()
    for name in names:
        words = [w for w in (re.sub(r"[^a-z]", "", w) for w in fold(name).split()) if w]
        if words:
            candidates |= set(words) | {"".join(words), "".join(reversed(words))}
    return letters in candidates


def _has_staff(user: Any) -> bool:
    try:
        return getattr(user, "staff", None) is not None
    except Exception:  # RelatedObjectDoesNotExist
        return False
