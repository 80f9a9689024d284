"""A region's product rules for one year, read from `models/<region>-<year>.toml`."""

from __future__ import annotations

import datetime as dt
import math
import tomllib
from collections.abc import Mapping
from fractions import Fraction
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    PrivateAttr,
    ValidationError,
    ValidationInfo,
    field_validator,
    model_validator,
)

from planner.inputs.calendar_nl import DEFAULT_CLOSED, RULES, ClosedDays, unknown_rules
from planner.inputs.dagdelen import DAYS, PARTS, week
from planner.inputs.errors import InputError, Problem
from planner.inputs.messages import problems_of
from planner.inputs.ratio import MAX_RATIO, MAX_WEIGHT, MIN_RATIO, parse_ratio, ratio_text, repeating_guess

LEVELS = ("MBO3", "MBO4", "HBO", "WO")
Level = Literal["MBO3", "MBO4", "HBO", "WO"]
MODES = ("group", "group_wheelchair", "individual")
# Plausibility of rule figures (the ratio's range is in planner.inputs.ratio; seed 002 line 403 and the
# shipped models: groups of 4 to 12): a wide margin, but a group of 500 is a typing error.
RATIO_RANGE = (MIN_RATIO, Fraction(MAX_RATIO))  # children per staff member
GROUP_MAX = 50  # children in one group
MIN_STAFF_MAX = 10  # staff always present on a group
MODELS_DIR = Path(__file__).resolve().parents[2] / "models"


def level_rank(level: str) -> int:
    """The order of an education level, MBO3 0 < MBO4 1 < HBO 2 < WO 3 (contract "Words": staff), for
    "at least this level" rules (`education.min_level`, `min_count`, `min_share`; seed 004 lines 4674-5160).
    Raises ValueError on an unknown level (the readers refuse those first)."""
    return LEVELS.index(level)


def exact(value: float) -> Fraction:
    """A decimal figure from a TOML file as the exact fraction the author wrote (2.5 -> 5/2)."""
    return Fraction(str(value))


def _levels_only(table: Mapping[str, object], name: str) -> None:
    unknown = [k for k in table if k not in LEVELS]
    if unknown:
        raise ValueError(f"{name}: onbekend niveau {', '.join(unknown)} (kies uit {', '.join(LEVELS)})")


class _Frozen(BaseModel):
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


MONEY_MAX = 10_000  # EUR per dagdeel or trip: anything above is a typo
# numbers inside tables and lists: strict, so true/false is not read as 1/0
Age = Annotated[int, Field(strict=True, ge=0, le=30)]
Category = Annotated[int, Field(strict=True, ge=0, le=100)]


class Education(_Frozen):
    min_level: Level | None = None
    min_count: dict[str, Annotated[int, Field(strict=True, ge=0, le=50)]] = Field(default_factory=dict)
    min_share: dict[str, Annotated[float, Field(strict=True, ge=0, le=1)]] = Field(default_factory=dict)
    share_scope: Literal["week", "dagdeel"] = "week"
    source: str = ""

    @model_validator(mode="after")
    def _ranges(self) -> Education:
        _levels_only(self.min_count, "min_count")
        _levels_only(self.min_share, "min_share")
        for level, share in self.min_share.items():
            if not 0 <= share <= 1:
                raise ValueError(f"min_share {level} = {share} ligt niet tussen 0 en 1")
        for level, count in self.min_count.items():
            if count < 0:
                raise ValueError(f"min_count {level} = {count} is negatief")
        return self


# the money fields (issue 19) live in their own module; it imports the bases above, so it comes here
from planner.inputs.catalogue_money import (  # noqa: E402
    MODE_OF,
    CostModelMoney,
    IndexStep,
    ProductMoney,
    RegionMoney,
    beyond_table_allowed,
    derived_hourly,
    paid_mode,
)

__all__ = ["MODE_OF", "IndexStep", "beyond_table_allowed", "derived_hourly", "paid_mode"]


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
        _levels_only(self.extra_hours_per_week, "extra_hours_per_week")
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


class Transport(_Frozen):
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


def _every_level(table: dict[str, Any], name: str) -> None:
    """Only known levels, and every level present (a wage table)."""
    _levels_only(table, name)
    missing = [lv for lv in LEVELS if lv not in table]
    if missing:
        raise ValueError(f"{name} mist {', '.join(missing)}")


class Cost(_Frozen):
    hourly: dict[str, Annotated[float, Field(strict=True, gt=0, le=1000)]]
    source: str = ""

    @model_validator(mode="after")
    def _all_levels(self) -> Cost:
        _every_level(self.hourly, "hourly")
        return self


class Indexation(_Frozen):
    date: dt.date
    percent: float = Field(ge=-50, le=100)


class CostModel(CostModelMoney):
    """The sector's build-up of an hourly cost (reële tarieven, Besluit Jeugdwet art. 2.3)."""

    source: str = ""
    hours_per_week: float = Field(gt=0, le=80)
    reference_date: dt.date
    scales: dict[str, Annotated[int, Field(strict=True, ge=1, le=100)]]
    monthly_salary_2023: dict[str, Annotated[float, Field(strict=True, gt=0, le=100_000)]]
    indexations: list[Indexation] = Field(default_factory=list)
    holiday_allowance: float = Field(ge=0, le=1)
    year_end_bonus: float = Field(ge=0, le=1)
    employer_charges: float = Field(ge=0, le=2)
    productivity: float = Field(gt=0, le=1)
    overhead: float = Field(ge=0, le=2)
    risk_margin: float = Field(ge=0, le=1)
    occupancy: float = Field(gt=0, le=1)

    @model_validator(mode="after")
    def _levels(self) -> CostModel:
        _every_level(self.monthly_salary_2023, "monthly_salary_2023")
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
    model._origin = origin
    return model


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
