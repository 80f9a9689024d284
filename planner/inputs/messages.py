"""Pydantic's validation errors as Dutch one-line problems naming file, key and the fix."""

from __future__ import annotations

from typing import Any

from pydantic import ValidationError

from planner.inputs.errors import Problem

_PLAIN = {
    "finite_number": "geen eindig getal (inf of nan); schrijf een gewoon getal",
    "int_type": "verwacht een geheel getal",
    "int_parsing": "verwacht een geheel getal",
    "int_from_float": "verwacht een geheel getal, geen decimaal getal",
    "float_type": "verwacht een getal",
    "float_parsing": "verwacht een getal",
    "bool_type": "verwacht true of false (zonder aanhalingstekens)",
    "bool_parsing": "verwacht true of false (zonder aanhalingstekens)",
    "string_type": "verwacht tekst tussen aanhalingstekens",
    "list_type": "verwacht een lijst, bijv. [\"a\", \"b\"]",
    "tuple_type": "verwacht een lijst, bijv. [0, 18]",
    "dict_type": "verwacht een tabel, bijv. { HBO = 1 }",
    "model_type": "verwacht een tabel",
    "date_type": "verwacht een datum zonder aanhalingstekens, bijv. 2025-09-01",
    "date_parsing": "verwacht een datum zonder aanhalingstekens, bijv. 2025-09-01",
    "date_from_datetime_inexact": "verwacht een datum zonder tijd, bijv. 2025-09-01",
    "missing": "verplichte sleutel ontbreekt",
    "extra_forbidden": "onbekende sleutel; verwijder hem of controleer de spelling",
    "too_short": "te weinig waarden",
    "too_long": "te veel waarden",
}


def _bound(kind: str, ctx: dict[str, Any]) -> str | None:
    words = {"greater_than": ("gt", "moet groter zijn dan"), "greater_than_equal": ("ge", "moet minstens"),
             "less_than": ("lt", "moet kleiner zijn dan"), "less_than_equal": ("le", "mag hoogstens")}
    if kind not in words:
        return None
    key, text = words[kind]
    value = ctx.get(key)
    suffix = " zijn" if kind in ("greater_than_equal", "less_than_equal") else ""
    return f"{text} {value}{suffix}"


def _shown(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 40 else text[:37] + "..."


def dutch(err: Any) -> str:
    """One pydantic error dict as a Dutch sentence with the value that was given."""
    kind = err["type"]
    ctx = err.get("ctx") or {}
    if kind == "value_error":
        return str(ctx.get("error", err["msg"])).removeprefix("Value error, ")
    if kind == "literal_error":
        text = f"kies uit {ctx.get('expected', '')}".replace("'", "\"").replace(" or ", " of ")
    else:
        text = _bound(kind, ctx) or _PLAIN.get(kind) or err["msg"]
    if kind not in ("missing", "extra_forbidden") and "input" in err:
        text += f" (gegeven: {_shown(err['input'])})"
    return text


def problems_of(exc: ValidationError, origin: str, prefix: str = "") -> list[Problem]:
    """Every error of a validation as a Problem(origin, message, column=dotted key)."""
    out = []
    for err in exc.errors():
        # union members add their type name to the location; the user wrote only the key
        loc = [str(p) for p in err["loc"] if not str(p).startswith(("function-", "literal[", "constrained-"))
               and str(p) not in ("int", "float", "str", "bool", "date", "datetime")]
        key = ".".join([prefix, *loc] if prefix else loc)
        out.append(Problem(origin, dutch(err), column=key or None))
    return out
