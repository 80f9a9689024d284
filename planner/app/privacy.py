"""Pseudonyms for children in every output: stable (the same child, the same pseudonym across
runs) and salted (no one can recompute them from a list of ids without the salt)."""

from __future__ import annotations

import hashlib
import hmac
import os
import secrets
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING

from planner.solver.problem import build_problem

if TYPE_CHECKING:
    from planner.app.plan import Plan


def salt(folder: Path) -> bytes:
    """PLANNER_SALT, or a random salt kept in <folder>/.planner-salt (created once, owner-only)."""
    env = os.environ.get("PLANNER_SALT")
    if env:
        return env.encode("utf-8")
    path = folder / ".planner-salt"
    if not path.exists():
        folder.mkdir(parents=True, exist_ok=True)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as fh:
            fh.write(secrets.token_hex(32))
    return path.read_text().strip().encode("utf-8")


def pseudonym(key: bytes, child_id: str) -> str:
    return "J-" + hmac.new(key, child_id.encode("utf-8"), hashlib.sha256).hexdigest()[:10]


def pseudonymise(plan: Plan, key: bytes) -> Plan:
    """The same plan with every child id and name replaced by its pseudonym."""
    alias = {c.id: pseudonym(key, c.id) for c in plan.data.children}
    children = tuple(replace(c, id=alias[c.id], name=alias[c.id], postcode="", birth_date=None,
                             not_with=tuple(alias.get(o, o) for o in c.not_with)) for c in plan.data.children)
    data = replace(plan.data, children=children,
                   distances={(alias.get(c, c), loc): km for (c, loc), km in plan.data.distances.items()})
    roster = plan.result.roster
    roster = replace(roster, children=tuple(sorted((alias[c], g, d) for c, g, d in roster.children)))
    result = replace(plan.result, roster=roster)
    waitlist = [replace(w, child_id=alias[w.child_id], reason=_scrub(w.reason, alias)) for w in plan.waitlist]

    problem = build_problem(plan.model, data, plan.problem.rules)
    extra: dict = {}
    if plan.previous is not None:
        def hide(child_id: str) -> str:
            return alias.get(child_id) or pseudonym(key, child_id)

        prev = plan.previous
        extra["previous"] = replace(prev, children=tuple(sorted((hide(c), g, d) for c, g, d in prev.children)))
        everyone = {**alias, **{c: hide(c) for c, _, _ in prev.children}}
        extra["changes"] = tuple(replace(c, person_id=hide(c.person_id) if c.role == "child" else c.person_id,
                                         reason=_scrub(c.reason, everyone)) for c in plan.changes)
    if plan.period.absent or plan.period.prorated:  # children not (fully) in this week (week.py): hide them too
        extra["period"] = replace(plan.period, absent=tuple((pseudonym(key, c), _scrub(why, alias))
                                                            for c, why in plan.period.absent),
                                  prorated=tuple((alias.get(c) or pseudonym(key, c), _scrub(why, alias))
                                                 for c, why in plan.period.prorated))
    return replace(plan, data=data, result=result, waitlist=waitlist, problem=problem, **extra)


def _scrub(text: str, alias: dict[str, str]) -> str:
    for original, new in alias.items():
        text = text.replace(original, new)
    return text
