"""The bases every model table shares: the staff levels and the frozen, strict pydantic base.

Imported by catalogue.py, catalogue_money.py and cost_model.py, so none of them imports another's
internals (no cycle between the model's rule fields and its money fields).
"""

from __future__ import annotations

from collections.abc import Mapping
from fractions import Fraction
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, ValidationInfo, field_validator

LEVELS = ("MBO3", "MBO4", "HBO", "WO")
Level = Literal["MBO3", "MBO4", "HBO", "WO"]


def level_rank(level: str) -> int:
    """The order of an education level, MBO3 0 < MBO4 1 < HBO 2 < WO 3 (contract "Words": staff), for
    "at least this level" rules (`education.min_level`, `min_count`, `min_share`; seed 004 lines 4674-5160).
    Raises ValueError on an unknown level (the readers refuse those first)."""
    return LEVELS.index(level)


def exact(value: float) -> Fraction:
    """A decimal figure from a TOML file as the exact fraction the author wrote (2.5 -> 5/2)."""
    return Fraction(str(value))


def levels_only(table: Mapping[str, object], name: str) -> None:
    """ValueError (Dutch, naming `name`) if a key of `table` is not a level of LEVELS."""
    unknown = [k for k in table if k not in LEVELS]
    if unknown:
        raise ValueError(f"{name}: onbekend niveau {', '.join(unknown)} (kies uit {', '.join(LEVELS)})")


def every_level(table: Mapping[str, Any], name: str) -> None:
    """Only known levels, and every level present (a wage table); ValueError naming `name` otherwise."""
    levels_only(table, name)
    missing = [lv for lv in LEVELS if lv not in table]
    if missing:
        raise ValueError(f"{name} mist {', '.join(missing)}")


class Frozen(BaseModel):
    """A model table: frozen, no unknown keys, no inf/nan, and true/false never read as a number."""

    # TOML allows inf and nan; no figure in a model may be either
    model_config = ConfigDict(frozen=True, extra="forbid", allow_inf_nan=False)

    @field_validator("*", mode="before")
    @classmethod
    def _no_bool_for_numbers(cls, value: Any, info: ValidationInfo) -> Any:
        """true/false is not a number (pydantic would read true as 1)."""
        if isinstance(value, bool) and info.field_name is not None:
            if cls.model_fields[info.field_name].annotation is not bool:
                raise ValueError("verwacht een getal of tekst, geen true/false")
        return value
