"""The package's import graph: no cycles, and the rooms keep the rules the README states.

The graph is read from the source with `ast`, not by importing: every `import` and `from … import`
anywhere in a module counts (module level, inside functions, under `TYPE_CHECKING`), and
`from planner.x import y` counts as importing `planner.x.y` when `y` is a module.
"""

from __future__ import annotations

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[2] / "planner"

# room -> rooms it may import (besides itself); a room not named here may import anything.
ALLOWED = {
    "inputs": set(),
    "core": {"inputs"},
    "verify": {"inputs", "core"},
}
# room -> rooms it may never import
FORBIDDEN = {
    "solver": {"app", "report", "web"},
    "app": {"web"},
}


def module_name(path: Path) -> str:
    """`planner/solver/problem.py` -> `planner.solver.problem`; a package's `__init__.py` -> the package."""
    parts = list(path.relative_to(PACKAGE.parent).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def modules() -> dict[str, Path]:
    """Every module of the package by dotted name."""
    return {module_name(p): p for p in sorted(PACKAGE.rglob("*.py"))}


def imported(name: str, path: Path, known: set[str]) -> set[str]:
    """The package modules that module `name` (source at `path`) imports, anywhere in its body."""
    is_package = path.name == "__init__.py"
    out: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), str(path))):
        if isinstance(node, ast.Import):
            out.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = name.split(".")
                anchor = anchor if is_package else anchor[:-1]
                anchor = anchor[: len(anchor) - (node.level - 1)]
                base = ".".join(anchor + ([base] if base else []))
            for alias in node.names:
                sub = f"{base}.{alias.name}"
                out.add(sub if sub in known else base)
    return {m for m in out if m in known and m != name}


def graph() -> dict[str, set[str]]:
    """module -> the package modules it imports."""
    mods = modules()
    known = set(mods)
    return {name: imported(name, path, known) for name, path in mods.items()}


def cycles(edges: dict[str, set[str]]) -> list[list[str]]:
    """The strongly connected components with more than one module (Tarjan), each sorted."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        on_stack.add(v)
        for w in sorted(edges.get(v, ())):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            component = []
            while True:
                w = stack.pop()
                on_stack.discard(w)
                component.append(w)
                if w == v:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for v in sorted(edges):
        if v not in index:
            visit(v)
    return found


def path_in(edges: dict[str, set[str]], component: list[str]) -> list[str]:
    """One closed walk through a cycle's modules, for the failure message."""
    members = set(component)
    start = component[0]
    walk, seen = [start], {start}
    node = start
    while True:
        nxt = sorted(edges[node] & members)
        back = [m for m in nxt if m == start]
        fresh = [m for m in nxt if m not in seen]
        if back and len(walk) > 1:
            return [*walk, start]
        if not fresh:
            return [*walk, *(nxt[:1])]
        node = fresh[0]
        walk.append(node)
        seen.add(node)


def room(module: str) -> str | None:
    """The room (`inputs`, `core`, `solver`, …) of a module; None for the top-level modules."""
    parts = module.split(".")
    return parts[1] if len(parts) > 2 or (len(parts) == 2 and (PACKAGE / parts[1]).is_dir()) else None


def test_cycle_finder_names_a_cycle():
    """The cycle finder sees a three-module cycle and leaves a chain alone."""
    edges = {"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}
    assert cycles(edges) == [["a", "b", "c"]]
    assert path_in(edges, ["a", "b", "c"]) == ["a", "b", "c", "a"]
    assert cycles({"a": {"b"}, "b": {"c"}, "c": set()}) == []


def test_graph_reads_submodule_and_relative_imports(tmp_path):
    """`from pkg import mod` is an edge to the module, a relative import resolves from the package."""
    src = tmp_path / "m.py"
    src.write_text("from planner.solver import problem\nfrom . import b\nfrom .c import thing\n", encoding="utf-8")
    known = {"planner.solver", "planner.solver.problem", "planner.x.b", "planner.x.c"}
    assert imported("planner.x.m", src, known) == {"planner.solver.problem", "planner.x.b", "planner.x.c"}


def test_no_import_cycles():
    """No module of the package imports itself back through others."""
    edges = graph()
    assert len(edges) > 50, "the package was not found"
    found = [" -> ".join(path_in(edges, c)) for c in cycles(edges)]
    assert not found, "import cycles:\n" + "\n".join(found)


def test_rooms_keep_their_rules():
    """inputs/ imports no other room, core/ only inputs/, verify/ only those two, solver/ no app/report/web,
    app/ no web."""
    bad = []
    for module, targets in sorted(graph().items()):
        here = room(module)
        for target in sorted(targets):
            there = room(target)
            if here is None or there is None or there == here:
                continue
            if (here in ALLOWED and there not in ALLOWED[here]) or there in FORBIDDEN.get(here, set()):
                bad.append(f"{module} imports {target} ({here}/ may not import {there}/)")
    assert not bad, "\n".join(bad)
