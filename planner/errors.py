"""Problems found in user input, each naming the place it was found."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Problem:
    """One thing wrong with the input: where, and what would be right."""

    sheet: str
    message: str
    row: int | None = None
    column: str | None = None

    def __str__(self) -> str:
        place = [self.sheet]
        if self.row is not None:
            place.append(f"row {self.row}")
        if self.column:
            place.append(f"column {self.column}")
        return f"{', '.join(place)}: {self.message}"


class InputError(Exception):
    """Raised with every problem found in one pass; the CLI prints one line each."""

    def __init__(self, problems: list[Problem]):
        self.problems = list(problems)
        super().__init__("\n".join(str(p) for p in self.problems))
