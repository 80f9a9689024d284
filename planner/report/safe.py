"""Writing files safely: text cells cannot become formulas, files and report folders appear whole
or not at all, and a folder that is not a report of ours is never emptied, renamed or replaced.

A report folder on disk is a symbolic link `NAME -> .NAME.planner-<pid>-<random>`, a versioned
folder beside it that holds the files and the marker `.planner-report`. Only such a link (or one
written by an older planner, see `_legacy`) is ever swapped. Temporary and superseded versions
carry the same recognisable name; unfinished ones of processes that have ended (still holding
`.planner-unfinished`, or empty) are removed on the next run, only inside the report's parent folder.
A finished version that no link points at (its link moved away) is left alone.
"""

from __future__ import annotations

import glob
import os
import re
import secrets
import shutil
import stat
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from pathlib import Path
from typing import Any

from planner.inputs.errors import InputError, Problem

_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")  # not allowed in a worksheet (XML 1.0)

MARKER = ".planner-report"
UNFINISHED = ".planner-unfinished"  # in a version folder until it is swapped in: a killed run's leftover
MARKER_TEXT = ("Rapportmap van planner. Een volgende run vervangt deze map in één keer; bestanden die die "
               "run niet schrijft, worden meegenomen.\n")
_VERSION = re.compile(r"^\.(?P<name>.+)\.planner-(?P<pid>\d+)-[0-9a-z_]+$")
_LINK_TMP = re.compile(r"^\.(?P<name>.+)\.planner-link-(?P<pid>\d+)-[0-9a-f]+$")
_LEGACY = re.compile(r"^\.(?P<name>.+)\.[a-z0-9_]{8}$")  # tempfile.mkdtemp of planner before the marker
_LEGACY_FILES = {"roster.xlsx", "roster.csv", "transport.csv", "waitlist.csv", "summary.json", "changes.xlsx",
                 "changes.csv", "roster.previous.csv", "forecast.xlsx", "forecast.csv", "tarieven.xlsx",
                 "compare.xlsx", "compare.csv"}


def cell_text(value: Any) -> Any:
    """A value for a spreadsheet cell or CSV field; text that a spreadsheet would run is quoted,
    control characters that a worksheet cannot hold are dropped."""
    if isinstance(value, str):
        value = _CONTROL.sub("", value)
        if value.startswith(_FORMULA_START):
            return "'" + value
    return value


def _is_dir(path: Path) -> bool:
    """A real folder, not a link to one."""
    try:
        return stat.S_ISDIR(os.lstat(path).st_mode)
    except OSError:
        return False


def _is_file(path: Path) -> bool:
    try:
        return stat.S_ISREG(os.lstat(path).st_mode)
    except OSError:
        return False


def _legacy(folder: Path) -> bool:
    """A version folder of planner before the marker: only report files, nothing else."""
    try:
        entries = list(folder.iterdir())
    except OSError:
        return False
    def known(name: str) -> bool:
        return name in _LEGACY_FILES or any(name.startswith(f".{n}.") for n in _LEGACY_FILES)  # or its temp file

    return bool(entries) and all(_is_file(e) and known(e.name) for e in entries)


def report_version(path: Path) -> Path | None:
    """The version folder behind `path` when `path` is a report link of ours, else None.

    Ours: a symbolic link (never followed further) whose text is one name in the same folder,
    `.NAME.planner-<pid>-<hex>` with the marker inside, or an older planner's `.NAME.<8 chars>`
    holding only report files. A dangling link of that form counts too (nothing to lose).
    """
    if not path.is_symlink():
        return None
    text = os.readlink(path)
    if "/" in text or text in (".", ".."):
        return None
    folder = path.parent / text
    ours = _VERSION.match(text)
    if ours and ours["name"] == path.name:
        if not os.path.lexists(folder):
            return folder
        return folder if _is_dir(folder) and _is_file(folder / MARKER) else None
    old = _LEGACY.match(text)
    if old and old["name"] == path.name and _is_dir(folder) and _legacy(folder):
        return folder
    return None


def _alive(pid: int) -> bool:
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:  # another user's process: alive
        return True
    return True


def clean_stale(parent: Path) -> list[Path]:
    """Remove what runs of ours that have ended left in `parent`: temporary links, and unfinished
    version folders (holding `.planner-unfinished`, or empty) that no link points at. Returns what
    was removed."""
    try:
        entries = list(parent.iterdir())
    except OSError:
        return []
    linked = set()
    for entry in entries:
        if entry.is_symlink():
            with suppress(OSError):
                linked.add(os.readlink(entry))
    removed = []
    for entry in entries:
        link = _LINK_TMP.match(entry.name)
        version = _VERSION.match(entry.name)
        if link and entry.is_symlink() and not _alive(int(link["pid"])):
            entry.unlink(missing_ok=True)
            removed.append(entry)
        elif (version and entry.name not in linked and _is_dir(entry) and not _alive(int(version["pid"]))
              and (_is_file(entry / UNFINISHED) or not any(entry.iterdir()))):
            shutil.rmtree(entry, ignore_errors=True)
            removed.append(entry)
    return removed


def refuse_foreign(target: Path, option: str = "--out") -> None:
    """InputError (one line) when `target` exists and is not a report link of ours."""
    if os.path.lexists(target) and report_version(target) is None:
        what = "een bestand" if _is_file(target) else "een koppeling (symlink)" if target.is_symlink() else "een map"
        raise InputError([Problem("opdrachtregel", f"{target} bestaat al als {what} die geen rapport van planner "
                                  "is; er wordt niets overschreven: kies een andere (nieuwe) map", column=option)])


def _carry_over(previous: Path, new: Path) -> None:
    """Copy what the previous version holds and this run did not write (links stay links)."""
    for item in previous.iterdir():
        if item.name in (MARKER, UNFINISHED) or os.path.lexists(new / item.name):
            continue
        try:
            if item.is_symlink():
                os.symlink(os.readlink(item), new / item.name)
            elif _is_dir(item):
                shutil.copytree(item, new / item.name, symlinks=True)
            elif _is_file(item):
                shutil.copy2(item, new / item.name)
        except FileNotFoundError:  # removed meanwhile by a concurrent run: nothing to keep
            continue


@contextmanager
def atomic_dir(target: Path) -> Iterator[Path]:
    """Yield a new, empty version folder; on success `target` points at it in one atomic step.

    `target` must be absent or a report link of ours (`report_version`), else InputError before
    anything is written. Swapping the link with os.replace is atomic, so a reader (or a run
    killed at any moment) sees either the whole previous report or the whole new one. Files of
    the previous version that this run does not write (a forecast beside a roster, a note the
    user put there) are carried over; then the previous version folder is removed.
    """
    if target.name in ("", ".", ".."):
        raise ValueError(f"geen mapnaam: {target}")  # outdir.report_dir never gives such a target
    parent = target.parent
    parent.mkdir(parents=True, exist_ok=True)
    clean_stale(parent)
    refuse_foreign(target)
    tmp = parent / f".{target.name}.planner-{os.getpid()}-{secrets.token_hex(4)}"
    tmp.mkdir(mode=0o700)
    try:
        (tmp / UNFINISHED).touch()
        (tmp / MARKER).write_text(MARKER_TEXT, encoding="utf-8")
        yield tmp
        refuse_foreign(target)  # changed while we were writing? then keep our hands off it
        previous = report_version(target) if os.path.lexists(target) else None
        if previous is not None and _is_dir(previous):
            _carry_over(previous, tmp)
        tmp.chmod(0o755)
        (tmp / UNFINISHED).unlink()
        link = parent / f".{target.name}.planner-link-{os.getpid()}-{secrets.token_hex(4)}"
        os.symlink(tmp.name, link)
        os.replace(link, target)  # atomic; replaces a link only (a folder there makes it fail)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    if previous is not None and previous != tmp and _is_dir(previous):
        shutil.rmtree(previous, ignore_errors=True)


def atomic_file(target: Path, write: Any) -> None:
    """Call write(path) on a temporary name (`.NAME.planner-<pid>-<hex>`), then move it onto `target`.
    Such temporary files of `target` left by ended processes are removed first."""
    target.parent.mkdir(parents=True, exist_ok=True)
    for left in target.parent.glob(f".{glob.escape(target.name)}.planner-*"):
        version = _VERSION.match(left.name)
        if version and version["name"] == target.name and _is_file(left) and not _alive(int(version["pid"])):
            left.unlink(missing_ok=True)
    fd, name = tempfile.mkstemp(prefix=f".{target.name}.planner-{os.getpid()}-", dir=target.parent)
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
