"""The order of people's names on Vietnamese official lists, as a key that sorts byte by byte.

Lists of people (danh sách cán bộ, bảng xếp loại, ...) are ordered by given name, then the
middle names, then the family name, each in Vietnamese alphabetical order: the letters
a ă â b c d đ e ê g h i k l m n o ô ơ p q r s t u ư v x y (f j w z of foreign names take their
Latin places), letter by letter with no digraphs (as the Unicode CLDR tailoring for Vietnamese
does), tones only where the letters tie, in the dictionaries' order: ngang, huyền, hỏi, ngã,
sắc, nặng. Case is ignored.

Neither database can be trusted with that: SQLite only has BINARY/NOCASE, and a PostgreSQL
"vi_VN" collation depends on the server's libc or ICU build. So `name_sort_key` writes a plain
ASCII key that any binary comparison (SQLite BINARY, PostgreSQL COLLATE "C", Python `<`) puts
in that order, and the key is stored beside the name and indexed.

Key layout, every primary unit two ASCII digits wide so that units never straddle:
    given 01 middle 02 middle ... 01 family 00 | tone per word | the name itself
`00` ends the primary level and `01` closes a group; both sort before any letter, so a shorter
name sorts first ("An" < "Anh", no middle name < any middle name). The tone level has one digit
per word: the syllable's tone wherever the mark sits, so "Hoà" and "Hòa" tie until the last
level, which is the name itself (NFC) to make the order total and stable.
"""

from __future__ import annotations

import unicodedata

_END = "00"
_GROUP = "01"
_WORD = "02"
_LEVEL = "|"
# Letters of no Latin alphabet sort together after z; the name itself then orders them.
_OTHER_LETTER = "99"

_ALPHABET = "aăâbcdđeêfghijklmnoôơpqrstuưvwxyz"
_WEIGHTS: dict[str, str] = {
    **{str(d): f"{10 + d:02d}" for d in range(10)},
    **{letter: f"{20 + i:02d}" for i, letter in enumerate(_ALPHABET)},
    # "Ð" (eth) stands in for "Đ" in text converted from the old 8-bit encodings; `fold` agrees.
    "ð": f"{20 + _ALPHABET.index('đ'):02d}",
}

# Combining marks that make a letter of its own (ă â ê ô ơ ư) and the five tone marks.
_BREVE, _CIRCUMFLEX, _HORN = "\u0306", "\u0302", "\u031b"
_LETTER_MARKS = frozenset({_BREVE, _CIRCUMFLEX, _HORN})
_TONES: dict[str, str] = {
    "\u0300": "1",  # huyền
    "\u0309": "2",  # hỏi
    "\u0303": "3",  # ngã
    "\u0301": "4",  # sắc
    "\u0323": "5",  # nặng
}
_NO_TONE = "0"  # ngang

# Long enough for any name of Staff.full_name's 200 characters (2 per letter or space, 1 per
# word, then the name); the cut is a guard, never reached by a name that fits the field.
MAX_KEY_LENGTH = 800


def _clusters(word: str) -> list[tuple[str, str]]:
    """(base character, its combining marks) for each character of the decomposed word."""
    out: list[tuple[str, str]] = []
    for ch in unicodedata.normalize("NFD", word.lower()):
        if unicodedata.combining(ch) and out:
            base, marks = out[-1]
            out[-1] = (base, marks + ch)
        else:
            out.append((ch, ""))
    return out


def _word_weights(word: str) -> tuple[str, str]:
    """The primary units of a word and its tone digit; punctuation ("-", "'", ".") weighs
    nothing, so "H'Hen" sorts as "hhen"."""
    units: list[str] = []
    tone = ""
    for base, marks in _clusters(word):
        letter = unicodedata.normalize(
            "NFC", base + "".join(m for m in marks if m in _LETTER_MARKS)
        )
        weight = _WEIGHTS.get(letter) or _WEIGHTS.get(base)
        if weight is None:
            if not unicodedata.category(base).startswith("L"):
                continue
            weight = _OTHER_LETTER
        units.append(weight)
        if not tone:
            tone = next((_TONES[m] for m in marks if m in _TONES), "")
    return "".join(units), tone or _NO_TONE


def name_sort_key(full_name: str | None) -> str:
    """'Nguyễn Văn An' -> a key ordering it by An, then Văn, then Nguyễn, Vietnamese-wise."""
    name = " ".join(unicodedata.normalize("NFC", full_name or "").split())
    words = [w for w in (_word_weights(word) for word in name.split()) if w[0]]
    if not words:
        return f"{_END}{_LEVEL}{_LEVEL}{name}"[:MAX_KEY_LENGTH]
    # Given name = the last word, family name = the first; whatever lies between is the middle.
    given, middle, family = words[-1], words[1:-1], words[:-1][:1]
    ordered = [given, *middle, *family]
    primary = (
        given[0]
        + _GROUP
        + _WORD.join(units for units, _tone in middle)
        + _GROUP
        + "".join(units for units, _tone in family)
        + _END
    )
    tones = "".join(tone for _units, tone in ordered)
    return f"{primary}{_LEVEL}{tones}{_LEVEL}{name}"[:MAX_KEY_LENGTH]
