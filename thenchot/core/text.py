"""Text folding for search that ignores Vietnamese diacritics on every database."""

from __future__ import annotations

import unicodedata

_SPECIAL = str.maketrans({"đ": "d", "Đ": "d", "ð": "d"})


def fold(text: str | None) -> str:
    """'Nguyễn Văn Đức' -> 'nguyen van duc': lower case, no marks, single spaces."""
    if not text:
        return ""
    # Lower-casing and stripping marks can expose new letters to map, so the pass repeats until
    # stable (at most a few times): fold(fold(x)) == fold(x) for every string.
    for _ in range(4):
        decomposed = unicodedata.normalize("NFD", text.lower())
        stripped = "".join(ch for ch in decomposed if unicodedata.category(ch) != "Mn")
        folded = " ".join(stripped.translate(_SPECIAL).split())
        if folded == text:
            break
        text = folded
    return text
