"""Reële tarieven (Besluit Jeugdwet art. 2.3): a cost-based tariff per product and its four elements.

Per child-dagdeel, for a product with group maximum G, occupancy o (bezettingsgraad) and
dagdeel hours h (all amounts EUR):

    staff S   = the staff a full group needs: ceil(G / children_per_staff) per dagdeel
                (fractional when the ratio is a weekly average), at least min_staff and the
                education counts; a group is staffed for its size, so empty seats cost money
    present   = o x G children on average
    (a) professional time = S x h x paid hour / present                    (client-related)
                          + the same x (1 / productivity - 1)            (non-client-related, 003 166-195)
                          + treatment hours per group per week x the role's client hour
                            / (present x dagdelen the group runs a week)      (behandelaars)
                          + other specialist / back-up hours per group per week
                            x the level's client hour, same divisor (overige uren): the
                            extra_hours_per_week the roster costs, less the treatment roles' hours
                            at their levels
    (b) other client-related costs: materials, meals, aids, coordination (model, per child-dagdeel)
    (c) overhead and risk  = ((a) + (b)) x ((1 + overhead) x (1 + risk) - 1)
    (d) indexation         = ((a) + (b) + (c)) x (index path from the cost price level to the tariff date - 1)

A paid hour is the employer's cost of one hour on the payroll (salary, holiday allowance,
year-end bonus, charges); a client hour is a paid hour divided by productivity: the share of paid
hours that is client-related (direct + indirect client time, 003 §2.3). The roster prices a
rostered staff hour at the client hour (`[cost] hourly = "cost_model"`), so both use one table.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass, field

from planner.inputs.catalogue import LEVELS, Product, RegionModel, level_rank
from planner.inputs.cost_model import (
    client_hourly_of,
    index_factor,
    paid_hourly_of,
    role_client_hourly,
)


def tariff_date(model: RegionModel) -> dt.date:
    cm = model.cost_model
    assert cm is not None
    return cm.tariff_date or cm.reference_date


def price_level(model: RegionModel) -> float:
    """Index from the cost price level (reference date) to the tariff date, element (d)."""
    cm = model.cost_model
    assert cm is not None
    return index_factor(model.index_path, cm.reference_date, tariff_date(model))


# backwards-compatible names (costs.py, the forecast workbook)
def employer_hourly(model: RegionModel, level: str) -> float:
    assert model.cost_model is not None
    return paid_hourly_of(model.cost_model, level)


def client_hourly(model: RegionModel, level: str) -> float:
    assert model.cost_model is not None
    return client_hourly_of(model.cost_model, level)


@dataclass(frozen=True)
class Published:
    code: str
    amount: float  # as published
    year: int
    kind: str
    source: str
    date: dt.date
    indexed: float  # at the model's tariff date, by the index path


@dataclass(frozen=True)
class TariffRow:
    """One product's cost-based tariff per child-dagdeel (EUR) and its elements."""

    product: str
    name: str
    ijw_code: str
    occupancy: float
    group_size: float  # children present on average
    staff_per_group: float
    staff_mix: dict[str, float]  # level -> staff per group-dagdeel
    client_time: float  # (a) client-related professional time
    non_client_time: float  # (a) non-client-related professional time
    treatment: float  # (a) treatment staff (behandelaars) at their own rates
    other_costs: float  # (b)
    overhead: float  # (c)
    indexation: float  # (d)
    contracted: float
    sources: dict[str, str] = field(default_factory=dict)  # element -> source or "aanname: ..."
    published: tuple[Published, ...] = ()
    support: float = 0.0  # (a) other specialist / back-up hours (extra_hours_per_week), not treatment

    @property
    def professional(self) -> float:
        return self.client_time + self.non_client_time + self.treatment + self.support

    @property
    def cost_based(self) -> float:
        return self.professional + self.other_costs + self.overhead + self.indexation

    # the names of the first calculator (compare's Tarieven, tests)
    @property
    def staff_cost(self) -> float:
        return self.client_time + self.non_client_time

    @property
    def specialist_cost(self) -> float:
        return self.treatment + self.support

    @property
    def difference(self) -> float:
        return self.contracted - self.cost_based

    def published_difference(self) -> float | None:
        """Cost-based against the first published tariff at the tariff date, as a fraction."""
        if not self.published:
            return None
        return self.cost_based / self.published[0].indexed - 1


def staff_mix(p: Product, staff: float) -> dict[str, float]:
    """Staff per level on a group-dagdeel: education counts and shares first, the rest at the minimum."""
    edu = p.education
    base = edu.min_level or "MBO3"
    mix: dict[str, float] = {}
    for lv, count in edu.min_count.items():
        mix[lv] = mix.get(lv, 0.0) + float(count)
    for lv, share in edu.min_share.items():
        have = sum(v for k, v in mix.items() if level_rank(k) >= level_rank(lv))
        need = share * staff - have
        if need > 0:
            mix[lv] = mix.get(lv, 0.0) + need
    rest = staff - sum(mix.values())
    if rest > 0:
        mix[base] = mix.get(base, 0.0) + rest
    return {lv: mix[lv] for lv in LEVELS if lv in mix}


def group_staff(p: Product) -> float:
    """Staff on a full group-dagdeel: whole people per dagdeel, a fraction for a weekly average."""
    need = float(p.group_max * p.staff_per_child)
    if p.ratio_scope == "dagdeel":
        need = math.ceil(need - 1e-9)
    return max(need, float(p.min_staff), float(sum(p.education.min_count.values())))


def _published(model: RegionModel, code: str) -> tuple[Published, ...]:
    until = tariff_date(model)
    out = []
    for pub in model.published_tariffs:
        if code in pub.products and pub.unit == "dagdeel":
            factor = index_factor(model.index_path, dt.date(pub.year, 12, 31), until)
            out.append(Published(pub.code, pub.amount, pub.year, pub.kind, pub.source, pub.date,
                                 pub.amount * factor))
    return tuple(out)


def product_tariff(model: RegionModel, code: str, occupancy: float | None = None) -> TariffRow:
    """The cost-based tariff of one product at an occupancy (default: product, else cost model).

    Raises ValueError for an occupancy outside (0, 1], an unknown role or CAO table.
    """
    cm = model.cost_model
    if cm is None:
        raise ValueError("het model heeft geen [cost_model]")
    p = model.products[code]
    occ = occupancy if occupancy is not None else (p.occupancy or cm.occupancy)
    if not 0 < occ <= 1:
        raise ValueError(f"bezettingsgraad {occ} ligt niet in (0, 1]")
    present = occ * p.group_max
    staff = group_staff(p)
    mix = staff_mix(p, staff)
    h = model.dagdeel_hours
    paid = sum(n * paid_hourly_of(cm, lv, p.cao) for lv, n in mix.items()) * h / present
    client_time = paid
    non_client = paid * (1 / cm.productivity - 1)
    dagdelen = len(model.days) * len(model.product_parts(code))
    weekly_treatment = sum(t.hours_per_week * role_client_hourly(cm, t.role) for t in p.treatment)
    treatment_source = ("; ".join(f"{t.role} {t.hours_per_week:g} u/wk: {t.source}" for t in p.treatment)
                        or "geen behandelaars")
    # extra_hours_per_week is every hour the roster costs beyond the group; the treatment roles are the
    # part of it that is treatment (per level of the role); what is left is back-up and other specialists
    covered: dict[str, float] = {}
    for t in p.treatment:
        level = cm.roles[t.role].level
        covered[level] = covered.get(level, 0.0) + t.hours_per_week
    extra = {lv: hrs - covered.get(lv, 0.0) for lv, hrs in p.extra_hours_per_week.items()
             if hrs - covered.get(lv, 0.0) > 1e-9}
    weekly_support = sum(hrs * client_hourly_of(cm, lv, p.cao) for lv, hrs in extra.items())
    if extra:
        support_source = p.sources.get("extra_hours_per_week") or (
            "aanname: " + ", ".join(f"{lv} {hrs:g} u/wk" for lv, hrs in extra.items())
            + " uit extra_hours_per_week, zonder bron in het model")
    else:
        support_source = "geen overige uren"
    treatment = weekly_treatment / (present * dagdelen)
    support = weekly_support / (present * dagdelen)
    other = p.other_costs if p.other_costs is not None else cm.other_costs.get(p.kind, 0.0)
    overhead = (client_time + non_client + treatment + support + other) * ((1 + cm.overhead) * (1 + cm.risk_margin) - 1)
    subtotal = client_time + non_client + treatment + support + other + overhead
    indexation = subtotal * (price_level(model) - 1)
    sources = {
        "a": f"{cm.source}; bezetting {p.sources.get('group_max', p.source)}; productiviteit "
             f"{model.sources.get('productivity', 'aanname')}",
        "behandeling": treatment_source,
        "overig": support_source,
        "b": p.sources.get("other_costs") or cm.other_costs_source or "aanname",
        "c": "aanname: overhead en risico uit [cost_model]",
        "d": "; ".join(f"{s.kind} {s.percent:g} % per {s.date:%d-%m-%Y} ({s.source})" for s in model.index_path
                       if cm.reference_date < s.date <= tariff_date(model)) or "geen index tot de tariefdatum",
    }
    return TariffRow(code, p.name, p.ijw_code, occ, present, staff, mix, client_time, non_client, treatment,
                     other, overhead, indexation, p.tariff, sources, _published(model, code), support)


def cost_based_tariffs(model: RegionModel, occupancy: float | None = None) -> list[TariffRow]:
    """Per product of the model, in the model's order: the cost-based tariff (see module docstring)."""
    if model.cost_model is None:
        raise ValueError("het model heeft geen [cost_model]")
    return [product_tariff(model, code, occupancy) for code in model.products]
