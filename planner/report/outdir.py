"""Where a report goes, decided before anything is computed: a folder of ours, never one of the user's.

Rules (README, *Rapportmappen*):

* no `--out`: `reports/<scenario name>/`, the name made a safe file name first (no `/`, `..`,
  absolute paths, control characters, reserved names);
* `--out DIR`, DIR new or a report of ours: the report is (re)written there;
* `--out DIR`, DIR an existing folder of the user's (also `.`): the report goes into the subfolder
  `DIR/<scenario name>/`; DIR itself and everything in it stay as they are;
* whatever is to be written must then be new or a report of ours; a file, a link that is not
  ours, or a folder of the user's is refused with one line (exit 2), before any solve;
* inputs (scenario, model, workbook or CSV folder, allocations) may not lie inside the report
  that is replaced; a roster read with `--previous` / `--roster` may (the new report keeps it).
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING

from pathvalidate import sanitize_filename

from planner.inputs.catalogue import MODELS_DIR, model_path
from planner.inputs.errors import InputError, Problem
from planner.report.safe import report_version

if TYPE_CHECKING:
    from planner.inputs.scenario import Scenario

REPORTS = Path("reports")
# `--out plan.xlsx` means a file; a report is a folder, so such a name is a mistake, not a folder name
FILE_SUFFIXES = (".xlsx", ".xlsm", ".xls", ".csv", ".toml", ".json", ".txt", ".pdf", ".ods", ".html")


def folder_name(name: str, fallback: str = "rapport") -> str:
    """`name` as one safe folder name: separators and characters no file system takes become
    `-`, no leading dots (so never `..` or hidden), at most 100 characters, never empty."""
    text = sanitize_filename(re.sub(r"[\x00-\x1f\x7f-\x9f]", "-", name), replacement_text="-",
                             platform="universal", max_len=100)
    text = re.sub(r"-{2,}", "-", text).strip(" .-")
    return text or fallback


def _problem(option: str, message: str) -> InputError:
    return InputError([Problem("opdrachtregel", message, column=option)])


def _check_place(target: Path, option: str) -> None:
    """The nearest existing folder above `target` must be a folder we may write in."""
    above = target.absolute().parent
    while not os.path.lexists(above):
        above = above.parent
    if not above.is_dir():
        raise _problem(option, f"{above} is een bestand, geen map; geef met {option} een map op")
    if not os.access(above, os.W_OK | os.X_OK):
        raise _problem(option, f"geen schrijfrechten in {above}; kies met {option} een andere map")


def report_dir(out: Path | None, name: str, inputs: Iterable[Path] = (), rosters: Iterable[Path] = (),
               option: str = "--out") -> Path:
    """The folder to write the report of scenario `name` to; raises InputError (one line) when
    there is none that is safe. `inputs` may not lie inside it; `rosters` may, when it is ours."""
    own = folder_name(name)
    if out is not None and out.suffix.lower() in FILE_SUFFIXES and not out.is_dir():
        raise _problem(option, f"{out} is een bestandsnaam ({out.suffix}); het rapport is een map: geef met "
                               f"{option} een mapnaam op (bijv. {option} {out.with_suffix('')})")
    if out is None:
        target = REPORTS / own
    elif out.is_symlink():
        if report_version(out) is None:
            raise _problem(option, f"{out} is een koppeling (symlink) naar {os.readlink(out)}, geen rapport van "
                                   f"planner; koppelingen worden niet gevolgd: geef met {option} een gewone map op")
        target = out
    elif out.is_dir():  # the user's folder: never swapped, the report goes inside it
        target = out / own
    elif os.path.lexists(out):
        raise _problem(option, f"{out} is een bestand, geen map; geef met {option} een map op (bijv. {option} "
                               f"rapporten)")
    else:
        target = out
    if os.path.lexists(target) and report_version(target) is None:
        raise _problem(option, f"{target} bestaat al en is geen rapport van planner; er wordt niets overschreven: "
                               f"kies met {option} een andere (nieuwe) map")
    _check_place(target, option)
    version = report_version(target)
    if version is not None:
        inside = [version.resolve(), target.absolute()]
        allowed = {Path(r).resolve() for r in rosters}
        for path in inputs:
            resolved = Path(path).resolve()
            if resolved in allowed:
                continue
            for top in inside:
                if resolved.is_relative_to(top):  # shown as the user sees it: through the link
                    shown = target / resolved.relative_to(top)
                    raise _problem(option, f"invoer {shown} ligt in de rapportmap {target}, die in één keer wordt "
                                           f"vervangen; zet de invoer ergens anders of kies met {option} een "
                                           f"andere map")
    return target


def scenario_inputs(sc: Scenario) -> list[Path]:
    """The files a scenario reads: itself and the files it extends, its model when that is a file,
    its data, postcode table and allocations."""
    paths = [sc.path, *sc.bases]
    model = model_path(sc.model_ref, sc.path.parent)
    if model.parent.resolve() != MODELS_DIR.resolve():
        paths.append(model)
    if sc.data_path is not None:
        paths.append(sc.data_path)
    if sc.postcodes is not None:
        paths.append(sc.postcodes)
    if sc.forecast.get("allocations"):
        paths.append(Path(sc.forecast["allocations"]))
    return paths
