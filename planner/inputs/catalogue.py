"""A region's product rules for one year, read from `models/<region>-<year>.toml`."""

from __future__ import annotations

import datetime as dt
import math
import tomllib
from collections.abc import Iterable
from fractions import Fraction
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import (
    Field,
    PrivateAttr,
    ValidationError,
    field_validator,
    model_validator,
)

from planner.inputs.calendar_nl import DEFAULT_CLOSED, RULES, ClosedDays, unknown_rules
from planner.inputs.catalogue_base import LEVELS, Frozen, Level, every_level, exact, level_rank, levels_only
from planner.inputs.catalogue_money import CostModelMoney, ProductMoney, RegionMoney
from planner.inputs.cost_model import CostModel, derived_hourly
from planner.inputs.dagdelen import DAYS, PARTS, week
from planner.inputs.errors import InputError, Problem
from planner.inputs.messages import problems_of
from planner.inputs.ratio import MAX_RATIO, MAX_WEIGHT, MIN_RATIO, parse_ratio, ratio_text, repeating_guess

MODES = ("group", "group_wheelchair", "individual")
# Plausibility of rule figures (the ratio's range is in planner.inputs.ratio; seed 002 line 403 and the
# shipped models: groups of 4 to 12): a wide margin, but a group of 500 is a typing error.
RATIO_RANGE = (MIN_RATIO, Fraction(MAX_RATIO))  # children per staff member
GROUP_MAX = 50  # children in one group
MIN_STAFF_MAX = 10  # staff always present on a group
MODELS_DIR = Path(__file__).resolve().parents[2] / "models"
# the levels, their rank and the cost model are read from here by most of the package
__all__ = ["LEVELS", "CostModel", "CostModelMoney", "Level", "exact", "level_rank"]


MONEY_MAX = 10_000  # EUR per dagdeel or trip: anything above is a typo
# numbers inside tables and lists: strict, so true/false is not read as 1/0
Age = Annotated[int, Field(strict=True, ge=0, le=30)]
Category = Annotated[int, Field(strict=True, ge=0, le=100)]


class Education(Frozen):
    min_level: Level | None = None
    min_count: dict[str, Annotated[int, Field(strict=True, ge=0, le=50)]] = Field(default_factory=dict)
    min_share: dict[str, Annotated[float, Field(strict=True, ge=0, le=1)]] = Field(default_factory=dict)
    share_scope: Literal["week", "dagdeel"] = "week"
    source: str = ""

    @model_validator(mode="after")
    def _ranges(self) -> Education:
        levels_only(self.min_count, "min_count")
        levels_only(self.min_share, "min_share")
        for level, share in self.min_share.items():
            if not 0 <= share <= 1:
                raise ValueError(f"min_share {level} = {share} ligt niet tussen 0 en 1")
        for level, count in self.min_count.items():
            if count < 0:
                raise ValueError(f"min_count {level} = {count} is negatief")
        return self




class Product(ProductMoney):
    name: str
    kind: Literal["dagbesteding", "dagbehandeling", "naschools", "zorg-onderwijs"]
    unit: Literal["dagdeel"] = "dagdeel"
    tariff: float = Field(gt=0, le=MONEY_MAX)
    tariff_source: str = ""  # missing provenance is a warning (bron ontbreekt), not an error
    group_max: int = Field(ge=1, le=GROUP_MAX)
    group_min: int = Field(default=1, ge=1, le=GROUP_MAX)
    # children per staff member: 2.5, "10/3", or the seeds' "2 op 9" (2 staff on 9 children);
    # or instead the two integers staff = 2, per = 9. Kept as an exact Fraction (`ratio`).
    children_per_staff: float | str | None = None
    staff: int | None = Field(default=None, ge=1, le=100)
    per: int | None = Field(default=None, ge=1, le=1000)
    ratio_scope: Literal["dagdeel", "week"] = "dagdeel"
    min_staff: int = Field(default=1, ge=1, le=MIN_STAFF_MAX)
    parts: list[str] | None = None
    max_dagdelen_per_day: int = Field(default=2, ge=1, le=3)
    max_dagdelen_per_week: int = Field(ge=1, le=21)
    ages: tuple[Age, Age] = (0, 18)
    mix_with: list[str] = Field(default_factory=list)
    extra_hours_per_week: dict[str, Annotated[float, Field(strict=True, ge=0, le=168)]] = Field(default_factory=dict)
    eigen_bijdrage: float = Field(default=0.0, ge=0, le=MONEY_MAX)
    education: Education = Field(default_factory=Education)
    source: str = ""
    sources: dict[str, str] = Field(default_factory=dict)
    note: str = ""

    _ratio: Fraction = PrivateAttr(default=Fraction(1))

    @field_validator("children_per_staff", mode="before")
    @classmethod
    def _ratio_form(cls, value: Any) -> Any:
        if value is not None:
            parse_ratio(value)  # one Dutch line for a bad ratio, not one per union member
        return value

    @model_validator(mode="after")
    def _consistent(self) -> Product:
        written = self.children_per_staff is not None
        pair = (self.staff is not None, self.per is not None)
        if written and any(pair):
            raise ValueError("geef children_per_staff of staff en per, niet beide")
        if not written and pair != (True, True):
            raise ValueError("ratio ontbreekt: geef children_per_staff (bijv. 4, \"10/3\" of \"2 op 9\") "
                             "of staff en per (bijv. staff = 2, per = 9)")
        self._ratio = parse_ratio(self.children_per_staff if written else f"{self.staff} op {self.per}")
        levels_only(self.extra_hours_per_week, "extra_hours_per_week")
        if self.group_min > self.group_max:
            raise ValueError(f"group_min {self.group_min} > group_max {self.group_max}")
        if self.ages[0] > self.ages[1]:
            raise ValueError(f"ages {list(self.ages)}: ondergrens boven bovengrens")
        return self

    @property
    def ratio(self) -> Fraction:
        """Children per staff member, exact (10/3 for "3 begeleiders op 10 jeugdigen")."""
        return self._ratio

    @property
    def staff_per_child(self) -> Fraction:
        """Staff one child needs, exact (3/10 for "3 op 10")."""
        return 1 / self.ratio

    @property
    def ratio_text(self) -> str:
        return ratio_text(self.ratio)


class Transport(Frozen):
    max_km: float = Field(gt=0, le=1000)
    road_factor: float = Field(default=1.3, ge=1, le=5)
    bands_km: list[Annotated[float, Field(strict=True, gt=0, le=1000)]] = Field(min_length=1, max_length=50)
    billing: Literal["per_day", "per_trip"] = "per_day"
    category: dict[Literal["group", "group_wheelchair", "individual"], list[Category]]
    tariff: dict[str, Annotated[float, Field(strict=True, ge=0, le=MONEY_MAX)]]
    source: str = ""
    sources: dict[str, str] = Field(default_factory=dict)
    note: str = ""

    @model_validator(mode="after")
    def _tables(self) -> Transport:
        if self.bands_km != sorted(self.bands_km):
            raise ValueError("bands_km moet oplopen")
        for mode in MODES:
            cats = self.category.get(mode)  # type: ignore[call-overload]
            if cats is None:
                raise ValueError(f"category.{mode} ontbreekt")
            if len(cats) != len(self.bands_km):
                raise ValueError(
                    f"category.{mode} heeft {len(cats)} waarden, bands_km {len(self.bands_km)}"
                )
            for c in cats:
                if str(c) not in self.tariff:
                    raise ValueError(f"category.{mode}: geen tarief voor categorie {c} in transport.tariff")
        return self

    def band(self, km: float) -> int | None:
        """1-based band of a one-way distance in road km: band 1 is `km < bands_km[0]`, band i is
        `bands_km[i-2] <= km < bands_km[i-1]` (seed 002 line 475, 42A03: "< 5 km, 5-10 km, 10-20 km,
        20-30 km"); None at or beyond the last edge. Raises nothing."""
        for i, edge in enumerate(self.bands_km):
            if km < edge:
                return i + 1
        return None


class Cost(Frozen):
    hourly: dict[str, Annotated[float, Field(strict=True, gt=0, le=1000)]]
    source: str = ""

    @model_validator(mode="after")
    def _all_levels(self) -> Cost:
        every_level(self.hourly, "hourly")
        return self


class RegionModel(RegionMoney):
    region: str
    year: int = Field(ge=2000, le=2100)
    source: str = ""
    weeks_per_year: int = Field(ge=1, le=53)
    dagdeel_hours: float = Field(gt=0, le=12)
    dagdelen_per_fte: int = Field(default=9, ge=1, le=21)
    days: list[str] = Field(min_length=1)
    parts: list[str] = Field(min_length=1)
    # days the provider is closed: names from calendar_nl.RULES and/or dates; None: DEFAULT_CLOSED
    closed_days: list[str | dt.date] | None = None
    _origin: str = PrivateAttr(default="model")  # the file it was read from, for warnings
    products: dict[str, Product]
    cost: Cost
    transport: Transport
    cost_model: CostModel | None = None
    sources: dict[str, str] = Field(default_factory=dict)
    note: str = ""

    @model_validator(mode="after")
    def _references(self) -> RegionModel:
        bad_days = [d for d in self.days if d not in DAYS]
        bad_parts = [p for p in self.parts if p not in PARTS]
        if bad_days or bad_parts:
            raise ValueError(f"onbekende dagen/dagdelen: {bad_days + bad_parts}")
        unknown = unknown_rules(self.closed_days or [])
        if unknown:
            raise ValueError(f"closed_days: onbekende feestdag {', '.join(unknown)} (kies uit "
                             f"{', '.join(RULES)}, of schrijf een datum zoals 2025-12-24)")
        for code, product in self.products.items():
            for other in product.mix_with:
                if other not in self.products:
                    raise ValueError(f"products.{code}.mix_with: onbekend product '{other}'")
            for part in product.parts or []:
                if part not in self.parts:
                    raise ValueError(f"products.{code}.parts: '{part}' niet in parts van het model")
        # CP-SAT needs integers: the ratio rows are scaled by the common denominator of all
        # products' staff per child; beyond MAX_WEIGHT the coefficients stop being workable
        weight = math.lcm(*(p.staff_per_child.denominator for p in self.products.values()))
        if weight > MAX_WEIGHT:
            fine = ", ".join(f"{c} = {p.children_per_staff}" for c, p in self.products.items()
                             if p.staff_per_child.denominator > 10)
            raise ValueError(f"children_per_staff: de ratio's samen zijn te fijn om exact te rekenen "
                             f"(gemene noemer {weight:,} > {MAX_WEIGHT:,}: {fine}); schrijf ze als breuk, "
                             f"bijv. \"10/3\", of als staff en per")
        return self

    @property
    def closed(self) -> ClosedDays:
        """The closing days as the calendar takes them (the model's list, or DEFAULT_CLOSED)."""
        return tuple(self.closed_days) if self.closed_days is not None else DEFAULT_CLOSED

    def warnings(self) -> list[Problem]:
        """What is allowed but should be looked at: missing sources, rounded repeating ratios."""
        return model_warnings(self, self._origin)

    def read_from(self, origin: str) -> RegionModel:
        """This model, marked as read from the file `origin` (named in its warnings); returns self."""
        self._origin = origin
        return self

    def product_parts(self, code: str) -> list[str]:
        return list(self.products[code].parts or self.parts)

    def week(self) -> list[str]:
        return week(tuple(self.days), tuple(self.parts))

    def may_mix(self, a: str, b: str) -> bool:
        """Two products may share a group-dagdeel when either lists the other."""
        return a == b or b in self.products[a].mix_with or a in self.products[b].mix_with


def model_path(name: str, base: Path | None = None) -> Path:
    """A model name (`holland-rijnland-2025`) or a path, relative to `base` when given."""
    candidate = Path(name)
    if base is not None and not candidate.is_absolute():
        relative = base / candidate
        if relative.suffix == ".toml" and relative.exists():
            return relative
    if candidate.suffix == ".toml":
        return candidate
    return MODELS_DIR / f"{name}.toml"


def read_model_dict(path: Path) -> dict[str, Any]:
    """A model file (`models/<region>-<year>.toml`, contract "Region models") as the raw TOML dictionary,
    not yet validated (`build_model` does that; scenarios merge their changes in between).
    Raises InputError with one Problem: file not found (naming the known models) or not valid TOML."""
    if not path.is_file():
        known = ", ".join(sorted(p.stem for p in MODELS_DIR.glob("*.toml")))
        raise InputError([Problem(path.name, f"model niet gevonden (bekend: {known})")])
    try:
        return tomllib.loads(path.read_text(encoding="utf-8-sig"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise InputError([Problem(path.name, f"geen geldige TOML: {exc}")]) from None


def build_model(raw: dict[str, Any], origin: str) -> RegionModel:
    """Validate a model dictionary; every problem becomes one Dutch line naming the key.

    Raises InputError with all problems (types, ranges, non-finite numbers, references)."""
    try:
        model = RegionModel.model_validate(derived_hourly(raw))
    except ValidationError as exc:
        problems = problems_of(exc, origin)
        cost, cm = raw.get("cost"), raw.get("cost_model")
        if isinstance(cost, dict) and cost.get("hourly") == "cost_model" and isinstance(cm, dict):
            # written correctly; it could not be derived because [cost_model] or [[index_path]]
            # failed, and those lines say why: no follow-on error for cost.hourly
            problems = [p for p in problems if not (p.column or "").startswith("cost.hourly")] or problems
        elif isinstance(cost, dict) and cost.get("hourly") == "cost_model":
            problems = [Problem(origin, "hourly = \"cost_model\" vraagt een tabel [cost_model]; die ontbreekt",
                                column="cost.hourly") if p.column == "cost.hourly" else p for p in problems]
        raise InputError(problems) from None
    return model.read_from(origin)


def model_warnings(model: RegionModel, origin: str = "model") -> list[Problem]:
    """Missing provenance ("bron ontbreekt") and decimals that look like a rounded fraction."""
    out = []
    missing = "bron ontbreekt (aanbevolen: seedbestand en paragraaf, of 'aanname')"
    if not model.source:
        out.append(Problem(origin, missing, column="source"))
    for code, p in model.products.items():
        for key, value in (("source", p.source), ("tariff_source", p.tariff_source)):
            if not value:
                out.append(Problem(origin, missing, column=f"products.{code}.{key}"))
        guess = repeating_guess(p.children_per_staff)
        if guess is not None:
            out.append(Problem(origin, f"{p.children_per_staff} lijkt een afgeronde {guess}; nu geldt precies "
                               f"{p.ratio_text} kinderen per medewerker. Bedoelt u {guess}? Schrijf dan "
                               f"children_per_staff = \"{guess}\"", column=f"products.{code}.children_per_staff"))
    for key, part in (("cost", model.cost), ("transport", model.transport), ("cost_model", model.cost_model)):
        if part is not None and not part.source:
            out.append(Problem(origin, missing, column=f"{key}.source"))
    for key, sources in (("published_tariffs", [t.source for t in model.published_tariffs]),
                         ("index_path", [s.source for s in model.index_path])):
        out += [Problem(origin, missing, column=f"{key}[{i}].source") for i, src in enumerate(sources) if not src]
    return out


def load_model(name: str, base: Path | None = None) -> RegionModel:
    """A region model by name (`holland-rijnland-2025`, from `models/`) or path (relative to `base`),
    read and validated: money in EUR, hours per dagdeel, ratios as exact fractions, every rule figure
    with its seed source (contract "Region models"). Raises InputError, one Problem per wrong key."""
    path = model_path(name, base)
    return build_model(read_model_dict(path), path.name)


MODE_OF = {"groep": "group", "individueel": "individual"}


def paid_mode(model: RegionModel, product: str, transport: str, wheelchair: bool) -> str | None:
    """The paid transport mode of a child, or None when it comes by own transport: `eigen`, a product
    without `transport_eligible` (002:419), or a mode the transport product excludes (004 08A03)."""
    if transport not in MODE_OF or not model.products[product].transport_eligible:
        return None
    mode = MODE_OF[transport]
    if mode == "group" and wheelchair:
        mode = "group_wheelchair"
    return None if mode in model.transport_rule.excluded_modes else mode


def beyond_table_allowed(model: RegionModel, mode: str | None) -> bool:
    """May a child attend beyond the band table (`max_km`)? A transport rule, not a placement ban:
    own transport always unless the model says `refuse`; paid transport only with `last_band`."""
    rule = model.transport_rule.beyond_table
    return rule != "refuse" and (mode is None or rule == "last_band")


def transport_warnings(model: RegionModel, children: Iterable[Any]) -> list[Problem]:
    """A warning per child (data.Child: id, product, transport, wheelchair) that asks for transport its
    product does not pay (`transport_eligible = false`, 002:419) or a mode the transport product
    excludes (004 08A03): the child is planned with own transport, the report says so."""
    out = []
    for c in children:
        if c.transport == "eigen" or c.product not in model.products:
            continue
        if paid_mode(model, c.product, c.transport, c.wheelchair) is not None:
            continue
        why = ("geen vergoed vervoer voor dit product" if not model.products[c.product].transport_eligible
               else "deze vorm valt buiten het vervoersproduct")
        out.append(Problem("children", f"jeugdige {c.id} ({c.product}): transport = {c.transport}, maar {why}; "
                           "gepland met eigen vervoer", column="transport"))
    return out
