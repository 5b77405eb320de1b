"""Tools to find words on a page that did not come from the translation catalogue.

Pseudo-localisation: a throwaway "vi" catalogue in which every translated message is wrapped in
markers (MARK_OPEN + Vietnamese text + MARK_CLOSE) replaces the project's catalogue for a render;
a word of the page outside every marker, and not the data of a record, was written in a
template or in Python without going through gettext, or has no Vietnamese translation yet.
Django's own messages (month names, form errors, humanize) are marked as well, from the
catalogues Django and the installed apps ship.

The project catalogue is read from its .po files, not from the compiled .mo, so that the test
judges the catalogue as it will be once `make messages` has compiled it.
"""

from __future__ import annotations

import gettext
import html
import re
import struct
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path

from django.apps import apps
from django.conf import settings

MARK_OPEN = "⟦"
MARK_CLOSE = "⟧"
# An entry of the catalogue without a Vietnamese translation yet (empty or fuzzy): the page
# would show its English msgid. Marked apart, so that a report names the whole message.
TODO_OPEN = "⟪"
TODO_CLOSE = "⟫"
TODO = re.compile(f"{TODO_OPEN}([^{TODO_OPEN}{TODO_CLOSE}]*){TODO_CLOSE}")

# A word: letters only (Unicode-aware), so numbers, dates and codes' digits never count.
WORD = re.compile(r"[^\W\d_]+")
# Vietnamese letters a plain English text never holds.
VIETNAMESE_LETTER = re.compile(
    r"[àáảãạăằắẳẵặâầấẩẫậèéẻẽẹêềếểễệìíỉĩịòóỏõọôồốổỗộơờớởỡợùúủũụưừứửữựỳýỷỹỵđ]", re.IGNORECASE
)
# Placeholders of a message ("%(period)s", "{name}"): names in code, not words of the text.
PLACEHOLDER = re.compile(r"%\([^)]*\)[-#0 +]*\d*(?:\.\d+)?[a-zA-Z]|\{[^{}]*\}")
# A raw identifier on a page ("civil_servant", "not_met"): a stored value shown without its label.
SNAKE_CASE = re.compile(r"\b[a-z]+(?:_[a-z]+)+\b")


# --- reading the catalogues ------------------------------------------------------------------


@dataclass
class Entry:
    msgid: str
    msgstr: list[str]
    msgctxt: str | None = None
    msgid_plural: str | None = None
    flags: set[str] = field(default_factory=set)

    @property
    def translated(self) -> bool:
        # compilemessages leaves fuzzy entries out: the page would show the msgid.
        return "fuzzy" not in self.flags and all(self.msgstr) and bool(self.msgstr)

    @property
    def key(self) -> str:
        base = self.msgid if self.msgid_plural is None else f"{self.msgid}\x00{self.msgid_plural}"
        return base if self.msgctxt is None else f"{self.msgctxt}\x04{base}"


_ESCAPES = {"n": "\n", "t": "\t", "r": "\r", '"': '"', "\\": "\\", "a": "\a", "b": "\b"}


def _unquote(text: str) -> str:
    text = text.strip()
    assert text.startswith('"') and text.endswith('"'), text
    return re.sub(r"\\(.)", lambda m: _ESCAPES.get(m.group(1), m.group(1)), text[1:-1])


def read_po(path: Path) -> list[Entry]:
    """The entries of a .po file (obsolete "#~" entries left out); the header is the entry
    whose msgid is empty."""
    entries: list[Entry] = []
    current: dict[str, object] = {}
    flags: set[str] = set()
    target: str | None = None

    def flush() -> None:
        nonlocal current, flags, target
        if "msgid" in current:
            strings = current.get("msgstr", {})
            assert isinstance(strings, dict)
            entries.append(
                Entry(
                    msgid=str(current["msgid"]),
                    msgstr=[strings[i] for i in sorted(strings)],
                    msgctxt=current.get("msgctxt"),  # type: ignore[arg-type]
                    msgid_plural=current.get("msgid_plural"),  # type: ignore[arg-type]
                    flags=flags,
                )
            )
        current, flags, target = {}, set(), None

    for raw in path.read_text(encoding="utf-8").splitlines():
        line = raw.strip()
        if not line:
            flush()
            continue
        if line.startswith("#,"):
            if "msgstr" in current:
                flush()
            flags |= {flag.strip() for flag in line[2:].split(",")}
            continue
        if line.startswith("#"):
            continue
        if line.startswith('"'):
            value = _unquote(line)
            if target is None:
                continue
            if target.startswith("msgstr["):
                index = int(target[7:-1])
                current["msgstr"][index] += value  # type: ignore[index]
            else:
                current[target] += value  # type: ignore[operator]
            continue
        keyword, _space, rest = line.partition(" ")
        if keyword in ("msgctxt", "msgid") and "msgstr" in current:
            flush()  # a new entry without a blank line before it
        if keyword.startswith("msgstr"):
            strings = current.setdefault("msgstr", {})
            index = int(keyword[7:-1]) if keyword.startswith("msgstr[") else 0
            strings[index] = _unquote(rest)  # type: ignore[index]
            target = f"msgstr[{index}]"
        else:
            current[keyword] = _unquote(rest)
            target = keyword
    flush()
    return entries


def project_po(language: str) -> Path:
    return Path(settings.LOCALE_PATHS[0]) / language / "LC_MESSAGES" / "django.po"


def shipped_catalogues(language: str) -> list[dict[object, str]]:
    """The compiled catalogues Django and the installed apps ship for `language`, in the order
    Django merges them (a later one wins): Django's own, then the apps, last first."""
    import django

    dirs = [Path(django.__file__).parent / "conf" / "locale"]
    dirs += [Path(config.path) / "locale" for config in reversed(list(apps.get_app_configs()))]
    catalogues: list[dict[object, str]] = []
    for directory in dirs:
        mo = directory / language / "LC_MESSAGES" / "django.mo"
        if mo.exists() and not str(mo).startswith(str(settings.LOCALE_PATHS[0])):
            with mo.open("rb") as handle:
                catalogues.append(dict(gettext.GNUTranslations(handle)._catalog))  # type: ignore[attr-defined]
    return catalogues


# --- writing the pseudo catalogue ------------------------------------------------------------


def marked(text: str) -> str:
    return f"{MARK_OPEN}{text}{MARK_CLOSE}" if text else text


def write_mo(path: Path, messages: dict[str, str]) -> None:
    """A GNU .mo file (the format `msgfmt` writes: header, two sorted string tables)."""
    keys = sorted(messages)
    ids = [key.encode("utf-8") for key in keys]
    strs = [messages[key].encode("utf-8") for key in keys]
    header_size = 7 * 4
    ids_table = header_size
    strs_table = ids_table + 8 * len(keys)
    data_start = strs_table + 8 * len(keys)
    offsets: list[tuple[int, int]] = []
    blob = b""
    for item in ids + strs:
        offsets.append((len(item), data_start + len(blob)))
        blob += item + b"\x00"
    out = struct.pack("<7I", 0x950412DE, 0, len(keys), ids_table, strs_table, 0, 0)
    for length, offset in offsets:
        out += struct.pack("<2I", length, offset)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(out + blob)


def pseudo_messages(language: str) -> dict[str, str]:
    """Every message a page in `language` may show, its translation marked; the project's
    entries from its .po (translated ones only: an untranslated entry would show the English
    msgid, which must stand out), the shipped catalogues' from their .mo."""
    messages: dict[str, str] = {}
    for catalogue in shipped_catalogues(language):
        plurals: dict[str, dict[int, str]] = {}
        for key, value in catalogue.items():
            if isinstance(key, tuple):  # (singular msgid, form index) of a plural message
                plurals.setdefault(key[0], {})[key[1]] = marked(value)
            elif key != "":
                messages[str(key)] = marked(value)
        for msgid, forms in plurals.items():
            # A plural is looked up by its singular alone: the plural msgid a compiled
            # catalogue no longer keeps only has to be there, so the singular stands in.
            messages[f"{msgid}\x00{msgid}"] = "\x00".join(forms[i] for i in sorted(forms))
    header = ""
    for entry in read_po(project_po(language)):
        if entry.msgid == "":
            header = entry.msgstr[0]
            continue
        if entry.translated:
            messages[entry.key] = "\x00".join(marked(text) for text in entry.msgstr)
        elif entry.key not in messages:
            # msgfmt leaves an untranslated entry out and the page shows the English msgid,
            # unless a shipped catalogue translates it (then the shipped message stands).
            english = entry.msgid_plural or entry.msgid
            messages[entry.key] = f"{TODO_OPEN}{english}{TODO_CLOSE}"
    messages[""] = header
    return messages


def write_pseudo_locale(root: Path, language: str) -> Path:
    write_mo(root / language / "LC_MESSAGES" / "django.mo", pseudo_messages(language))
    return root


COMMAND_LIKE = re.compile(r"\S*_\S*|--\S+")


def catalogue_words(language: str, *, source: bool) -> set[str]:
    """Lower-cased words of the project catalogue: of its msgids (`source`, the English a
    page in English shows) or of its translations."""
    words: set[str] = set()
    for entry in read_po(project_po(language)):
        texts = [entry.msgid, entry.msgid_plural or ""] if source else entry.msgstr
        for text in texts:
            # Command names and options ("close_period --move") are code, the same in every
            # language: their parts are no words a translation may lend to a page.
            prose = COMMAND_LIKE.sub(" ", PLACEHOLDER.sub(" ", text))
            words.update(word.lower() for word in WORD.findall(prose))
    return words


# --- what a person reads on a page -----------------------------------------------------------

# Attributes a person reads: tooltips, placeholders, what a screen reader says, confirmations.
READ_ATTRIBUTES = {"title", "placeholder", "aria-label", "alt", "hx-confirm", "data-confirm"}
# Scripts and styles are not read; code (a key of the file format, a command) is the same in
# every language.
HIDDEN_ELEMENTS = {"script", "style", "code", "kbd", "samp"}
VOID_ELEMENTS = {
    "area",
    "br",
    "col",
    "embed",
    "hr",
    "img",
    "input",
    "link",
    "meta",
    "source",
    "wbr",
}


class _VisibleText(HTMLParser):
    """The text and read attributes of a page, but scripts, styles and what an element
    declares to be in another language than the page's (`lang`: the language switch names
    each language in itself)."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self._hidden = 0
        self._page_language: str | None = None
        self._foreign: list[str] = []  # tags opened in another language, innermost last

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        language = values.get("lang")
        if tag == "html" and self._page_language is None:
            self._page_language = language
        elif language and language != self._page_language or self._foreign:
            if tag not in VOID_ELEMENTS:
                self._foreign.append(tag)
            return
        if tag in HIDDEN_ELEMENTS:
            self._hidden += 1
        for name, value in attrs:
            if value and name in READ_ATTRIBUTES:
                self.parts.append(value)
        if tag == "input" and values.get("type") in {"submit", "button", "reset"}:
            self.parts.append(values.get("value") or "")
        # Block boundaries: two cells must not read as one word.
        self.parts.append("\n")

    def handle_endtag(self, tag: str) -> None:
        if self._foreign:
            if self._foreign[-1] == tag:
                self._foreign.pop()
            return
        if tag in HIDDEN_ELEMENTS and self._hidden:
            self._hidden -= 1
        self.parts.append("\n")

    def handle_data(self, data: str) -> None:
        if not self._hidden and not self._foreign:
            self.parts.append(data)


def visible_text(page: str) -> str:
    parser = _VisibleText()
    parser.feed(page)
    parser.close()
    return html.unescape("".join(parser.parts))


def outside_markers(text: str) -> str:
    """The text outside every MARK_OPEN…MARK_CLOSE (markers nest: a translated message may
    hold another, or a placeholder filled with one)."""
    depth = 0
    out: list[str] = []
    for char in text:
        if char in (MARK_OPEN, TODO_OPEN):
            depth += 1
            out.append(" ")
        elif char in (MARK_CLOSE, TODO_CLOSE):
            depth = max(0, depth - 1)
            out.append(" ")
        elif depth == 0:
            out.append(char)
    return "".join(out)


def without_markers(text: str) -> str:
    for mark in (MARK_OPEN, MARK_CLOSE, TODO_OPEN, TODO_CLOSE):
        text = text.replace(mark, " ")
    return text


def untranslated_messages(text: str) -> list[str]:
    """Messages of the catalogue a pseudo-localised page shows without a translation."""
    return [" ".join(message.split()) for message in TODO.findall(text)]


class KnownData:
    """The data of the records a page shows (names, codes, titles, e-mail addresses): words a
    page may hold in any language. A value is removed as a whole phrase, longest first, so
    that a short code ("HN") never eats part of a word."""

    def __init__(self, values: Iterable[str]) -> None:
        phrases = {value.strip() for value in values if value and value.strip()}
        ordered = sorted(phrases, key=len, reverse=True)
        self._patterns = [
            re.compile(r"(?<![^\W_])" + re.escape(phrase) + r"(?![^\W_])") for phrase in ordered
        ]

    def remove(self, text: str) -> str:
        for pattern in self._patterns:
            text = pattern.sub(" ", text)
        return text


def words(text: str) -> Iterator[str]:
    yield from WORD.findall(text)


def unmarked_words(text: str, data: KnownData, allowed: set[str]) -> list[str]:
    """Words of a pseudo-localised page that came from no catalogue and are no record's data."""
    rest = data.remove(outside_markers(text))
    return [word for word in words(rest) if word.lower() not in allowed]


def raw_identifiers(text: str, data: KnownData) -> list[str]:
    return SNAKE_CASE.findall(data.remove(without_markers(text)))


def vietnamese_words(text: str, data: KnownData, allowed: set[str]) -> list[str]:
    rest = data.remove(text)
    return [
        word
        for word in words(rest)
        if VIETNAMESE_LETTER.search(word) and word.lower() not in allowed
    ]


# English words that give an untranslated string away on a Vietnamese page and are never
# Vietnamese words themselves ("to", "an", "no" are, so they are not listed).
TELL_TALE_ENGLISH = {
    "the", "and", "of", "for", "with", "from", "this", "that", "is", "are", "not", "none",
    "save", "cancel", "edit", "delete", "add", "search", "filter", "back", "next", "previous",
    "submit", "review", "approve", "period", "decree", "status", "unit", "staff", "task",
    "tasks", "open", "closed", "draft", "pending", "approved", "returned", "yes", "true",
    "false", "total", "page", "export", "import", "download", "deadline", "name", "code",
    "date", "level", "points", "month", "year", "report", "plan", "case", "decision",
}  # fmt: skip


def english_words(text: str, data: KnownData, allowed: set[str]) -> list[str]:
    rest = data.remove(text)
    return [
        word
        for word in words(rest)
        if word.lower() in TELL_TALE_ENGLISH and word.lower() not in allowed
    ]
