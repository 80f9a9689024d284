"""The rule registry: the lists, the order they build in, and the refusal of a rule without what it needs."""

import pytest

from planner.solver.formulation import CUTS, EXTEND, FULL, POOLS, build, hold_placement, registry
from tests import builders as b
from tests.solver.rules import kit

A1 = "41A00-1"


def _names(rules):
    return [rule.name for rule in rules]


def test_the_lists():
    """FULL names every family once in build order; POOLS counts staff per level instead and holds no one to a
    minimum contract use; EXTEND places only."""
    assert _names(FULL) == ["placement", "group_size", "staff", "ratios", "education", "contract_use", "transport",
                            "continuity", "stability"]
    assert _names(POOLS) == [("staff_by_level" if n == "staff" else n) for n in _names(FULL) if n != "contract_use"]
    assert _names(EXTEND) == ["placement", "group_size", "transport"]
    assert _names(CUTS) == ["child_totals", "occupied_rows", "day_rows", "pool_rows"]


@pytest.mark.parametrize("rules", [FULL, POOLS, EXTEND, FULL + CUTS, POOLS + CUTS])
def test_every_list_has_what_its_rules_need_in_order(rules):
    """Each rule's needs come before it in every list the solver uses."""
    seen: set[str] = set()
    for rule in rules:
        assert set(rule.needs) <= seen, rule.name
        seen.add(rule.name)


def test_every_rule_documents_its_add():
    """Every registered rule's add() has a docstring that names its units (registry's promise to a reader)."""
    rules = {rule.name: rule for rule in (*FULL, *POOLS, *CUTS)}
    undocumented = [name for name, rule in rules.items()
                    if not rule.add.__doc__ or not any(w in rule.add.__doc__ for w in ("Units", "units", "cents"))]
    assert not undocumented


def test_build_refuses_a_rule_before_its_needs_and_a_rule_twice():
    """ratios before group_size, or placement twice, is a ValueError naming the rule."""
    pr = kit.problem(kit.region(), groups=[b.group("G1", A1)], children=[b.child("C1", A1, 1, "ma-ochtend")])
    with pytest.raises(ValueError, match="'ratios' needs group_size"):
        build(pr, (registry.PLACEMENT, registry.RATIOS))
    with pytest.raises(ValueError, match="'placement' is already"):
        build(pr, (registry.PLACEMENT, registry.PLACEMENT))


def test_full_build_records_its_rules_and_the_cost_phase_its_cuts():
    """build() records the rules in order; hold_placement adds the cuts after them."""
    pr = kit.problem(kit.region(), groups=[b.group("G1", A1)], children=[b.child("C1", A1, 1, "ma-ochtend")])
    f = build(pr)
    assert f.rules == _names(FULL)
    hold_placement(f, 1)
    assert f.rules == _names(FULL) + _names(CUTS)
