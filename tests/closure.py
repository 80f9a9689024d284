"""A module's transitive import closure inside this checkout, read with `ast` (nothing is imported)."""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def module_file(name: str) -> Path | None:
    """The source file of a dotted module name in this checkout, or None (stdlib, third party)."""
    base = ROOT.joinpath(*name.split("."))
    for candidate in (base / "__init__.py", base.with_suffix(".py")):
        if candidate.is_file():
            return candidate
    return None


def _is_type_checking(node: ast.If) -> bool:
    test = node.test
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING")


def _imports(tree: ast.AST, package: str, into_functions: bool) -> set[str]:
    """Dotted names a module imports: top-level statements (also inside if/try/class bodies), not the
    `if TYPE_CHECKING:` blocks; function bodies only when `into_functions`."""
    found: set[str] = set()

    def visit(node: ast.AST) -> None:
        for child in ast.iter_child_nodes(node):
            if isinstance(child, ast.If) and _is_type_checking(child):
                for other in child.orelse:
                    visit_stmt(other)
                continue
            if isinstance(child, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda)) and not into_functions:
                continue
            visit_stmt(child)

    def visit_stmt(child: ast.AST) -> None:
        if isinstance(child, ast.Import):
            found.update(a.name for a in child.names)
        elif isinstance(child, ast.ImportFrom):
            base = child.module or ""
            if child.level:
                parts = package.split(".")[: len(package.split(".")) - child.level + 1]
                base = ".".join(parts + ([child.module] if child.module else []))
            found.add(base)
            found.update(f"{base}.{a.name}" for a in child.names if module_file(f"{base}.{a.name}"))
        visit(child)

    visit(tree)
    return found


def import_closure(start: str, into_functions: str = "") -> set[str]:
    """Every module `start` imports, directly or through others, with its parent packages.

    Imports inside functions count for modules under `into_functions` (a dotted prefix, e.g. the
    package under test, so it cannot hide an import in a function); elsewhere only what runs at import
    time counts. Third-party and stdlib names are listed but not followed.
    """
    seen: set[str] = set()
    todo = [start]
    while todo:
        name = todo.pop()
        if name in seen:
            continue
        seen.add(name)
        parts = name.split(".")
        todo.extend(".".join(parts[:k]) for k in range(1, len(parts)))
        path = module_file(name)
        if path is None:
            continue
        package = name if path.name == "__init__.py" else name.rpartition(".")[0]
        deep = bool(into_functions) and (name == into_functions or name.startswith(into_functions + "."))
        todo.extend(_imports(ast.parse(path.read_text(encoding="utf-8")), package, deep) - seen)
    return seen
