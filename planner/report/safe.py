"""Writing files safely: text cells cannot become formulas, files appear whole or not at all."""

from __future__ import annotations

import os
import re
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")  # not allowed in a worksheet (XML 1.0)


def cell_text(value: Any) -> Any:
    """A value for a spreadsheet cell or CSV field; text that a spreadsheet would run is quoted,
    control characters that a worksheet cannot hold are dropped."""
    if isinstance(value, str):
        value = _CONTROL.sub("", value)
        if value.startswith(_FORMULA_START):
            return "'" + value
    return value


@contextmanager
def atomic_dir(target: Path) -> Iterator[Path]:
    """Yield a new folder; on success `target` points at it in one atomic step.

    `target` is a symbolic link to a versioned folder beside it (`.name-<n>`); swapping the
    link with os.replace is atomic, so a reader (or a run killed at any moment) sees either
    the whole previous report or the whole new one. Files of the previous version that this
    run does not write (a forecast beside a roster, say) are carried over.
    """
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=f".{target.name}.", dir=target.parent))
    try:
        yield tmp
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    previous = target.resolve() if target.exists() else None
    if previous is not None:
        for item in previous.iterdir():
            if item.is_file() and not item.name.startswith(".") and not (tmp / item.name).exists():
                shutil.copy2(item, tmp / item.name)
    tmp.chmod(0o755)
    if target.exists() and not target.is_symlink():
        # a plain folder from an older version: move it aside once, then link
        aside = target.with_name(f".{target.name}.old-{os.getpid()}")
        os.replace(target, aside)
        previous = aside
    link = target.with_name(f".{target.name}.link-{os.getpid()}")
    link.unlink(missing_ok=True)
    os.symlink(tmp.name, link)
    os.replace(link, target)  # atomic: the report is the old one or the new one, never half
    if previous is not None and previous != tmp:
        shutil.rmtree(previous, ignore_errors=True)


def atomic_file(target: Path, write: Any) -> None:
    """Call write(path) on a temporary name, then move it onto `target`."""
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, name = tempfile.mkstemp(prefix=f".{target.name}.", dir=target.parent)
    os.close(fd)
    try:
        write(Path(name))
        os.replace(name, target)
    except BaseException:
        Path(name).unlink(missing_ok=True)
        raise


_BAD_TITLE = re.compile(r"[\[\]:*?/\\]")


def sheet_title(text: str, taken: list[str]) -> str:
    """A worksheet name Excel accepts: no []:*?/\\, at most 31 characters, unique in the workbook."""
    base = _BAD_TITLE.sub(" ", _CONTROL.sub("", text)).strip().strip("'") or "Blad"
    title, n = base[:31], 1
    while title.lower() in {t.lower() for t in taken}:
        n += 1
        suffix = f" ({n})"
        title = base[: 31 - len(suffix)] + suffix
    return title
