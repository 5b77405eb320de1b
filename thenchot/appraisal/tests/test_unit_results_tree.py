"""rules.md "Unit result" over a tree: each unit's managed-unit rule sees its direct children's
results, computed bottom-up; units with no task due are left out of their parent's rule."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from thenchot.appraisal.rules import (
    Level,
    RuleInputError,
    UnitTaskCounts,
    unit_result,
    unit_results_tree,
)

E, G, C, N = Level.EXCELLENT, Level.GOOD, Level.COMPLETE, Level.NOT_COMPLETE

# Own counts that reach each level on their own (no managed units).
OWN = {
    E: UnitTaskCounts(4, 4, 4, 2),
    G: UnitTaskCounts(5, 5, 4, 0),
    C: UnitTaskCounts(10, 8, 0, 0),
    N: UnitTaskCounts(10, 5, 5, 0),
    None: UnitTaskCounts(0, 0, 0, 0),
}


def _levels(tree: dict[str, list[str]], own: dict[str, Level | None]) -> dict[str, Level | None]:
    counts = {unit: OWN[level] for unit, level in own.items()}
    return {unit: r.level for unit, r in unit_results_tree(counts, tree).items()}


@pytest.mark.parametrize(
    ("children", "own", "expected"),
    [
        # a failing division keeps an otherwise excellent department at complete
        ({"d": ["a"]}, {"d": E, "a": N}, {"d": C, "a": N}),
        # a division with no task due is left out: nothing to fail
        ({"d": ["a"]}, {"d": E, "a": None}, {"d": E, "a": None}),
        # a unit absent from the counts is left out the same way
        ({"d": ["a", "ghost"]}, {"d": E, "a": G}, {"d": E, "a": G}),
        # 2 of 3 good or better (66.7%) is under 70%: the managed-unit rule fails
        ({"d": ["a", "b", "c"]}, {"d": E, "a": E, "b": G, "c": C}, {"d": C}),
        # 3 of 4 (75%) meets it
        ({"d": ["a", "b", "c", "e"]}, {"d": E, "a": E, "b": G, "c": G, "e": C}, {"d": E}),
        # good needs the same rule
        ({"d": ["a"]}, {"d": G, "a": N}, {"d": C}),
        # the rule never lifts a unit: complete and not complete stay as they are
        ({"d": ["a"]}, {"d": N, "a": E}, {"d": N}),
        # a grandchild weighs on the grandparent through its parent: the failing team makes the
        # division complete, and a single complete division is 0% good or better
        ({"d": ["a"], "a": ["t"]}, {"d": E, "a": E, "t": N}, {"d": C, "a": C, "t": N}),
        # a unit with no task due has no result whatever its children do
        ({"d": ["a"]}, {"d": None, "a": N}, {"d": None, "a": N}),
        # a grandchild behind a unit with no task due does not reach the grandparent
        ({"d": ["a"], "a": ["t"]}, {"d": E, "a": None, "t": N}, {"d": E, "a": None}),
    ],
)
def test_it_applies_the_managed_unit_rule_bottom_up(children, own, expected):  # type: ignore[no-untyped-def]
    found = _levels(children, own)
    assert {unit: found[unit] for unit in expected} == expected


def test_it_gives_leaves_the_plain_unit_result():  # type: ignore[no-untyped-def]
    counts = {1: UnitTaskCounts(10, 8, 8, 1), 2: UnitTaskCounts(3, 3, 3, 3)}
    results = unit_results_tree(counts, {})
    assert results == {unit: unit_result(c) for unit, c in counts.items()}


def test_it_explains_a_result_lowered_by_a_managed_unit():  # type: ignore[no-untyped-def]
    results = unit_results_tree({"d": OWN[E], "a": OWN[N]}, {"d": ["a"]})
    assert "1 managed units: 0 good or better, 1 not complete" in results["d"].reason
    assert "managed-unit rule not met" in results["d"].reason
    assert "managed" not in results["a"].reason  # a leaf has no managed units to report


def test_it_computes_a_unit_under_two_parents_once():  # type: ignore[no-untyped-def]
    counts = {"p": OWN[E], "q": OWN[E], "a": OWN[N]}
    found = unit_results_tree(counts, {"p": ["a"], "q": ["a"]})
    assert (found["p"].level, found["q"].level, found["a"].level) == (C, C, N)


def test_it_handles_deep_and_wide_trees_without_recursion():  # type: ignore[no-untyped-def]
    depth = 5000  # far beyond Python's recursion limit
    chain = {i: [i + 1] for i in range(depth - 1)}
    counts = dict.fromkeys(range(depth), OWN[E])
    counts[depth - 1] = OWN[N]
    found = unit_results_tree(counts, chain)
    assert found[depth - 1].level is N and found[depth - 2].level is C
    assert found[0].level is C  # one complete child is 0% good or better, all the way up
    # 1,500 units, 6 levels of 1 + 4 + 16 + ...: every unit gets a result
    wide: dict[int, list[int]] = {}
    nodes, frontier = [0], [0]
    while len(nodes) < 1500:
        nxt = []
        for parent in frontier:
            kids = [len(nodes) + k for k in range(4)]
            wide[parent] = kids
            nodes.extend(kids)
            nxt.extend(kids)
        frontier = nxt
    assert len(unit_results_tree(dict.fromkeys(nodes, OWN[G]), wide)) == len(nodes)


@pytest.mark.parametrize("children", [{"a": ["a"]}, {"a": ["b"], "b": ["c"], "c": ["a"]}])
def test_it_refuses_a_cycle(children):  # type: ignore[no-untyped-def]
    counts = dict.fromkeys("abc", OWN[E])
    with pytest.raises(RuleInputError, match="cycle"):
        unit_results_tree(counts, children)


def test_it_refuses_counts_that_contradict_each_other():  # type: ignore[no-untyped-def]
    with pytest.raises(RuleInputError):
        unit_results_tree({"d": OWN[E], "a": UnitTaskCounts(2, 3, 0, 0)}, {"d": ["a"]})


# -- property: a child's drop never raises its parent (or any ancestor) --------------------------
@st.composite
def counts_st(draw: st.DrawFn, min_due: int = 0) -> UnitTaskCounts:
    due = draw(st.integers(min_due, 6))
    completed = draw(st.integers(0, due))
    on_time = draw(st.integers(0, completed))
    exceeded = draw(st.integers(0, completed))
    return UnitTaskCounts(due, completed, on_time, exceeded)


@st.composite
def worse_st(draw: st.DrawFn, counts: UnitTaskCounts) -> UnitTaskCounts:
    """Counts no better than `counts`: fewer done, on time or exceeded, maybe more undone tasks
    (only when some were due: a unit gaining its first task gains a result, which is not a
    drop)."""
    extra = draw(st.integers(0, 3)) if counts.due else 0
    completed = draw(st.integers(0, counts.completed))
    on_time = draw(st.integers(0, min(completed, counts.on_time)))
    exceeded = draw(st.integers(0, min(completed, counts.exceeded)))
    return UnitTaskCounts(counts.due + extra, completed, on_time, exceeded)


@st.composite
def tree_st(draw: st.DrawFn) -> tuple[dict[int, UnitTaskCounts], dict[int, list[int]], list[int]]:
    size = draw(st.integers(2, 25))
    parent = [-1] + [draw(st.integers(0, i - 1)) for i in range(1, size)]
    children: dict[int, list[int]] = {}
    for unit in range(1, size):
        children.setdefault(parent[unit], []).append(unit)
    counts = {unit: draw(counts_st()) for unit in range(size)}
    return counts, children, parent


def _rank(level: Level | None) -> int:
    return -1 if level is None else level.rank


@given(data=st.data(), tree=tree_st())
def test_a_childs_drop_never_raises_an_ancestor(data, tree):  # type: ignore[no-untyped-def]
    counts, children, parent = tree
    before = unit_results_tree(counts, children)
    unit = data.draw(st.integers(1, len(parent) - 1))
    worse = dict(counts)
    worse[unit] = data.draw(worse_st(counts[unit]))
    after = unit_results_tree(worse, children)
    assert _rank(after[unit].level) <= _rank(before[unit].level)
    ancestor = parent[unit]
    while ancestor != -1:
        assert _rank(after[ancestor].level) <= _rank(before[ancestor].level)
        assert (after[ancestor].level is None) == (before[ancestor].level is None)
        ancestor = parent[ancestor]


@given(tree=tree_st())
def test_each_result_is_the_unit_result_of_its_childrens_levels(tree):  # type: ignore[no-untyped-def]
    counts, children, _parent = tree
    found = unit_results_tree(counts, children)
    for unit, result in found.items():
        kids = [found[c].level for c in children.get(unit, ()) if found[c].level is not None]
        assert result == unit_result(counts[unit], managed_levels=kids)
