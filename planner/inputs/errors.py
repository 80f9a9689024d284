"""Problems found in user input, each naming the place it was found."""

from __future__ import annotations

import re
from dataclasses import dataclass

# C0 and C1 controls (ESC, CR, LF, BEL, ...), DEL, and the invisible bidi/format controls that
# reorder or hide text on a terminal ("Trojan Source"): shown as escapes, never sent raw
_UNPRINTABLE = re.compile("[\x00-\x1f\x7f-\x9f\u061c\u200b-\u200f\u2028-\u202e\u2060-\u2069\ufeff]")


def printable(text: str) -> str:
    """`text` safe for a terminal, on one line: every control or bidi character becomes a visible
    escape (`\\x1b`, `\\n`, `\\u202e`); all other characters, accents too, stay as they are."""
    def show(match: re.Match[str]) -> str:
        char = match.group()
        return {"\n": "\\n", "\r": "\\r", "\t": "\\t"}.get(char) or (
            f"\\x{ord(char):02x}" if ord(char) < 0x100 else f"\\u{ord(char):04x}")

    return _UNPRINTABLE.sub(show, text)


@dataclass(frozen=True)
class Problem:
    """One thing wrong with the input: where, and what would be right."""

    sheet: str
    message: str
    row: int | None = None
    column: str | None = None

    def __str__(self) -> str:
        """`sheet, row N, column X: message` on one line, with anything from a cell escaped (`printable`)."""
        place = [self.sheet]
        if self.row is not None:
            place.append(f"row {self.row}")
        if self.column:
            place.append(f"column {self.column}")
        return printable(f"{', '.join(place)}: {self.message}")


class InputError(Exception):
    """Raised with every problem found in one pass; the CLI prints one line each."""

    def __init__(self, problems: list[Problem]):
        self.problems = list(problems)
        super().__init__("\n".join(str(p) for p in self.problems))
