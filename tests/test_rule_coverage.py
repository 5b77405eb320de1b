"""The rule-coverage page (docs/rule-coverage.md) lists every clause of rules.md with the tests
that exercise it, or the issue that will build it; a clause without either fails here.

A clause is a sentence of a prose paragraph, a bullet, a numbered item or a table row of
`../shared/domain/rules.md`. The page names each by a stable id (`settled.2`,
`pack.decree-335-2025.quota`, ...) and the words it opens with, so clauses are matched by their
text and a clause added or reworded in rules.md shows up here as missing from the page. A cited
test must exist (found by parsing the test files, no collection) and name the clause id in its
docstring (`... (rules.md: settled.13, discipline.forms)`), so a citation cannot silently rot."""

from __future__ import annotations

import ast
import re
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
RULES = ROOT.parent / "shared" / "domain" / "rules.md"
PAGE = ROOT / "docs" / "rule-coverage.md"

# Section headings of rules.md → the prefix of their clauses' ids; a heading not listed gets a
# slug of its first words, which the failure message shows.
SECTIONS = {
    "Outcomes": "outcomes",
    "How a level is decided": "level",
    "Who rates whom": "raters",
    "Rule packs": "packs",
    "Unit result": "unit-result",
    "Tasks: status on a date": "task-status",
    "Working days": "working-days",
    "Organisation history": "org-history",
    "Rotation": "rotation",
    "Discipline": "discipline",
    "Settled points": "settled",
}
# Sub-headings under "Rule packs" are pack ids: `### decree-90-2020 (with ...)` → pack.decree-90-2020.
PACK_HEADING = re.compile(r"^###\s+`?([a-z0-9-]+)")
NUMBERED = re.compile(r"^(\d+)\.\s+")
# A sentence ends at . ! or ? followed by a space and a capital, an emphasis mark, a backtick
# or a quote ("art. 112(3)" and "2/9 with" do not end one).
SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[A-Z*`\"(])")
TEST_REF = re.compile(r"`([\w./-]+\.py)::([\w:]+)`")
# What stands for a test: a later issue builds it, this issue has not yet, or no rule is stated.
MARK = re.compile(r"(?:^|\s)(later: issue \d+|open: issue \d+|n/a)\b")
CLAUSE_LINE = re.compile(r"^- \*\*`(?P<id>[a-z0-9.-]+)`\*\* «(?P<opening>[^»]+)»(?P<rest>.*)$")


@dataclass
class Clause:
    section: str
    text: str
    number: int | None = None

    @property
    def key(self) -> str:
        return normalise(self.text)


@dataclass
class Entry:
    id: str
    opening: str
    line: int
    tests: list[tuple[str, str]] = field(default_factory=list)
    marks: list[str] = field(default_factory=list)


def normalise(text: str) -> str:
    """Lower case, markup and punctuation dropped, spaces single: what an opening is compared on."""
    text = re.sub(r"[*`|_]", " ", text.lower())
    text = re.sub(r"[.,;:!?]+(?=\s|$)", " ", text)  # a sentence's stops, not "2.5" or "a.b"
    text = re.sub(r"[^\w%≤≥<>=/+.-]+", " ", text)
    return " ".join(text.split())


def slug(heading: str) -> str:
    for prefix, key in SECTIONS.items():
        if heading.startswith(prefix):
            return key
    return "-".join(re.findall(r"[a-z0-9]+", heading.lower())[:3])


def parse_rules(text: str) -> list[Clause]:
    """rules.md as clauses: sentences of paragraphs, bullets, numbered items and table rows."""
    clauses: list[Clause] = []
    section = "intro"
    top = "intro"
    block: list[str] = []
    kind = ""  # "para", "bullet", "numbered"
    number: int | None = None
    in_table = False

    def flush() -> None:
        nonlocal block, kind, number
        if block:
            joined = " ".join(line.strip() for line in block)
            if kind == "para":
                clauses.extend(Clause(section, s) for s in SENTENCE_END.split(joined) if s)
            else:
                clauses.append(Clause(section, joined, number))
        block, kind, number = [], "", None

    for line in text.splitlines():
        stripped = line.strip()
        if line.startswith("# "):
            flush()
            continue
        if line.startswith("## "):
            flush()
            top = section = slug(line[3:].strip())
            continue
        if line.startswith("### "):
            flush()
            match = PACK_HEADING.match(line)
            name = match.group(1) if match else slug(line[4:])
            section = f"pack.{name}" if top == "packs" else f"{top}.{name}"
            continue
        if not stripped:
            flush()
            continue
        if stripped.startswith("|"):
            flush()
            cells = [cell.strip() for cell in stripped.strip("|").split("|")]
            # The first row of a table names its columns; the second is the rule under them.
            if in_table and not all(re.fullmatch(r":?-+:?", cell) for cell in cells):
                clauses.append(Clause(section, " | ".join(cells)))
            in_table = True
            continue
        in_table = False
        numbered = NUMBERED.match(line)
        if line.startswith("- ") or numbered:
            flush()
            kind = "numbered" if numbered else "bullet"
            number = int(numbered.group(1)) if numbered else None
            block = [line[numbered.end() :] if numbered else line[2:]]
            continue
        if line.startswith(" ") and kind in ("bullet", "numbered"):
            block.append(line)
            continue
        if kind != "para":
            flush()
            kind = "para"
        block.append(line)
    flush()
    return clauses


def parse_page(text: str) -> list[Entry]:
    """The page's clause lines (`- **`id`** «opening» — mark`) with the test lines under them."""
    entries: list[Entry] = []
    for number, line in enumerate(text.splitlines(), start=1):
        match = CLAUSE_LINE.match(line)
        if match:
            entry = Entry(match["id"], match["opening"], number)
            entry.marks = MARK.findall(match["rest"])
            entries.append(entry)
        elif line.startswith("  - ") and entries:
            entries[-1].tests += TEST_REF.findall(line)
    return entries


def docstrings_of_tests(path: Path) -> dict[str, str]:
    """The tests of a file, `name` or `Class::name`, with their docstrings (no collection)."""
    found: dict[str, str] = {}

    def visit(body: list[ast.stmt], prefix: str) -> None:
        for node in body:
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef) and node.name.startswith(
                "test"
            ):
                found[prefix + node.name] = ast.get_docstring(node) or ""
            elif isinstance(node, ast.ClassDef) and node.name.startswith("Test"):
                visit(node.body, f"{prefix}{node.name}::")

    visit(ast.parse(path.read_text(encoding="utf-8")).body, "")
    return found


def names_clause(docstring: str, clause_id: str) -> bool:
    """A docstring names a clause by its id, or a settled point as "Settled point N"."""
    if re.search(rf"(?<![\w.-]){re.escape(clause_id)}(?![\w-]|\.\w)", docstring):
        return True
    settled = re.fullmatch(r"settled\.(\d+)", clause_id)
    return bool(settled) and bool(
        re.search(rf"\bsettled point {settled[1]}\b", docstring, re.IGNORECASE)
    )


@cache
def rules_clauses() -> tuple[Clause, ...]:
    if not RULES.exists():
        pytest.skip(f"{RULES} is absent: shared/ must sit beside the checkout")
    return tuple(parse_rules(RULES.read_text(encoding="utf-8")))


@cache
def page_entries() -> tuple[Entry, ...]:
    return tuple(parse_page(PAGE.read_text(encoding="utf-8")))


def matches(entry: Entry, clause: Clause) -> bool:
    opening = normalise(entry.opening)
    return bool(opening) and (clause.key == opening or clause.key.startswith(opening + " "))


def expected_id(clause: Clause) -> str:
    return f"{clause.section}.{clause.number}" if clause.number is not None else ""


def test_it_lists_every_clause_of_rules_md_once() -> None:
    clauses, entries = rules_clauses(), page_entries()
    problems = []
    for clause in clauses:
        found = [e for e in entries if matches(e, clause)]
        if not found:
            id_hint = expected_id(clause) or f"{clause.section}.<name>"
            problems.append(f"not on the page: {id_hint} «{clause.text[:70]}»")
        elif len(found) > 1:
            problems.append(f"on the page {len(found)} times: «{clause.text[:70]}»")
        else:
            (entry,) = found
            if not entry.id.startswith(clause.section + "."):
                problems.append(f"line {entry.line}: {entry.id} should start {clause.section}.")
            if expected_id(clause) and entry.id != expected_id(clause):
                problems.append(f"line {entry.line}: {entry.id} should be {expected_id(clause)}")
    for entry in entries:
        count = sum(matches(entry, clause) for clause in clauses)
        if count != 1:
            problems.append(
                f"line {entry.line}: «{entry.opening}» opens {count} clauses of rules.md, not 1"
            )
    ids = [e.id for e in entries]
    problems += [f"id given twice: {i}" for i in sorted({i for i in ids if ids.count(i) > 1})]
    assert problems == [], "docs/rule-coverage.md against rules.md:\n" + "\n".join(problems)


def test_it_gives_every_clause_a_test_or_the_issue_that_builds_it() -> None:
    rules_clauses()  # skips with the others when rules.md is absent
    bare = [
        f"line {e.line}: {e.id} has no test and no later/open/n/a mark"
        for e in page_entries()
        if not e.tests and not e.marks
    ]
    assert bare == [], "\n".join(bare)


def test_it_cites_only_tests_that_exist_and_name_their_clause() -> None:
    rules_clauses()
    files: dict[str, dict[str, str] | None] = {}
    problems = []
    for entry in page_entries():
        for path, name in entry.tests:
            if path not in files:
                file = ROOT / path
                files[path] = docstrings_of_tests(file) if file.is_file() else None
            tests = files[path]
            if tests is None:
                problems.append(f"line {entry.line}: {path} does not exist")
            elif name not in tests:
                problems.append(f"line {entry.line}: {path}::{name} does not exist")
            elif not names_clause(tests[name], entry.id):
                problems.append(f"{path}::{name}: its docstring does not name {entry.id}")
    assert problems == [], "\n".join(problems)


SAMPLE = """# Title
Intro sentence one. Intro two (art. 5) ends.

## Rotation
Exempt: less than 18 months. Kinds: `a`, `b`.

## Discipline
| category | until | from |
|---|---|---|
| cán bộ | reprimand | same |
- Procedure: decided
  within 90 days.

## Settled points
1. **Ties.** The head
   names who moves.
2. **Two.** Second.
"""


def test_it_splits_rules_md_into_clauses() -> None:
    clauses = [(c.section, c.number, c.text) for c in parse_rules(SAMPLE)]
    assert clauses == [
        ("intro", None, "Intro sentence one."),
        ("intro", None, "Intro two (art. 5) ends."),
        ("rotation", None, "Exempt: less than 18 months."),
        ("rotation", None, "Kinds: `a`, `b`."),
        ("discipline", None, "cán bộ | reprimand | same"),
        ("discipline", None, "Procedure: decided within 90 days."),
        ("settled", 1, "**Ties.** The head names who moves."),
        ("settled", 2, "**Two.** Second."),
    ]


def test_it_reads_ids_and_settled_points_in_docstrings() -> None:
    assert names_clause("Ties (rules.md: settled.1, discipline.forms).", "settled.1")
    assert names_clause("Settled point 13: the flag.", "settled.13")
    assert not names_clause("Settled point 13: the flag.", "settled.1")
    assert not names_clause("(rules.md: discipline.forms.cadre)", "discipline.forms")
    assert not names_clause("(rules.md: settled.10)", "settled.1")
