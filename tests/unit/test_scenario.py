"""Scenario files: extends, changes, validation."""

import pytest

from benchmarks.generate import generate
from planner.inputs.errors import InputError
from planner.inputs.scenario import load_inputs, load_scenario
from tests.conftest import EXAMPLE


def test_example_loads():
    """The example scenario resolves its model and data relative to the file."""
    sc = load_scenario(EXAMPLE)
    model, data = load_inputs(sc)
    assert model.region == "Holland Rijnland" and len(data.children) == 60
    assert sc.solve.time_limit_s == 20 and sc.solve.seed == 0 and sc.peildatum.year == 2025


def test_extends_and_changes(tmp_path):
    """A variant extends the example and changes a ratio, tariffs, demand and staff."""
    variant = tmp_path / "variant.toml"
    variant.write_text(
        f'name = "strenger"\nextends = "{EXAMPLE}"\n'
        "[changes]\ntariff_index = 1.05\nstaff_scale = 0.5\n"
        '[changes.products.41A03-1]\nchildren_per_staff = 3\n'
        '[changes.demand_scale]\n"DB-LICHT" = 1.5\n', encoding="utf-8")
    base_model, base_data = load_inputs(load_scenario(EXAMPLE))
    model, data = load_inputs(load_scenario(variant))
    assert model.products["41A03-1"].children_per_staff == 3
    assert model.products["41A03-2"].tariff == pytest.approx(base_model.products["41A03-2"].tariff * 1.05)
    count = sum(1 for c in data.children if c.product == "DB-LICHT")
    assert count == 12 and len({c.id for c in data.children}) == len(data.children)
    assert data.staff[0].dagdelen_per_week == base_data.staff[0].dagdelen_per_week // 2


def test_changed_scenario_is_validated(tmp_path):
    """A change that breaks a rule is rejected like written input."""
    variant = tmp_path / "v.toml"
    variant.write_text(f'extends = "{EXAMPLE}"\n[changes.products.41A03-1]\ngroup_max = 0\n')
    with pytest.raises(InputError, match="group_max"):
        load_inputs(load_scenario(variant))


def test_cycle_and_unknown_keys(tmp_path):
    """A cycle in extends and an unknown key are errors naming the file and key."""
    (tmp_path / "a.toml").write_text('extends = "b.toml"\n')
    (tmp_path / "b.toml").write_text('extends = "a.toml"\n')
    with pytest.raises(InputError, match="kringverwijzing"):
        load_scenario(tmp_path / "a.toml")
    (tmp_path / "c.toml").write_text('model = "x"\ndata = "y"\nbogus = 1\n')
    with pytest.raises(InputError, match="bogus"):
        load_scenario(tmp_path / "c.toml")


def test_every_problem_of_the_changes_in_one_pass(tmp_path):
    """User test of issue 16: an unknown product in demand_scale hid two bad values of a known product
    (they showed only on the next run). Now all three in one InputError."""
    variant = tmp_path / "v.toml"
    variant.write_text(f'extends = "{EXAMPLE}"\n[changes]\ndemand_scale = {{ "NOPE" = 2 }}\n'
                       '[changes.products.41A00-1]\nchildren_per_staff = 0\ngroup_max = "veel"\n')
    with pytest.raises(InputError) as exc:
        load_inputs(load_scenario(variant))
    columns = sorted(p.column for p in exc.value.problems)
    assert columns == ["changes.demand_scale.NOPE", "products.41A00-1.children_per_staff",
                       "products.41A00-1.group_max"]


def test_solve_changes_and_data_problems_in_one_pass(tmp_path):
    """Second user test of issue 16: a bad [solve] value hid the [changes] problems, a staff_scale out of
    range hid the rest, and the model's problems hid the data's. Now every one in one InputError."""
    variant = tmp_path / "v.toml"
    variant.write_text(f'extends = "{EXAMPLE}"\n[solve]\nseed = -1\n'
                       '[changes]\nstaff_scale = 30\ndemand_scale = { "NOPE" = 2 }\n'
                       '[changes.products.41A00-1]\nchildren_per_staff = 0\n')
    with pytest.raises(InputError) as exc:
        load_inputs(load_scenario(variant))
    columns = {p.column for p in exc.value.problems}
    assert {"solve.seed", "changes.staff_scale", "changes.demand_scale.NOPE",
            "products.41A00-1.children_per_staff"} <= columns

    folder = tmp_path / "inst"
    scenario = generate("S", 1, folder)
    children = folder / "data" / "children.csv"
    lines = children.read_text(encoding="utf-8").splitlines()
    head = lines[0].split(",")
    cells = lines[1].split(",")
    cells[head.index("dagdelen_per_week")] = "drie"
    children.write_text("\n".join([lines[0], ",".join(cells), *lines[2:]]) + "\n", encoding="utf-8")
    broken = folder / "broken.toml"
    broken.write_text(scenario.read_text(encoding="utf-8") + "\n[changes.products.41A00-1]\nchildren_per_staff = 0\n",
                      encoding="utf-8")
    with pytest.raises(InputError) as exc:
        load_inputs(load_scenario(broken))
    assert {(p.sheet, p.column) for p in exc.value.problems} >= {("children", "dagdelen_per_week")}
    assert any(p.column == "products.41A00-1.children_per_staff" for p in exc.value.problems)
