"""Inputs of the TCO model: cost defaults, validation, scenarios and the site glue.

Split out of :mod:`dcplan.tco` (which re-exports everything here). ``data/costs.csv``
holds every cost default with its tornado range, unit, source, vintage and status. Also
here: the tax and book lives of the asset classes and :func:`assumptions_table`, the
Assumptions table of a run (every input with its value, unit, source and vintage).
"""
from __future__ import annotations

import dataclasses
import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import lru_cache

import numpy as np
import pandas as pd

from . import finance
from ._ts import did_you_mean
from .errors import InputError
from .paths import data_path
from .specs.solar import PV_DEGRADATION_MAX_FRAC_PER_YEAR

__all__ = ["TcoInputs", "load_costs", "electricity_monthly_usd", "ElectricityByPvAge",
           "electricity_by_pv_age_usd", "pv_ages_billed", "SCENARIOS", "scenario",
           "fleet_phases", "inputs_from_site", "price_note", "PRICED_ACCELERATORS", "ASSET_CLASSES",
           "ECONOMIC_LIFE_YEARS", "assumptions_table", "ASSUMPTION_COLUMNS", "whole_months",
           "operations_start_month", "tranches"]

#: Named scenarios for the notebook: cost overrides and which grid-delay quantile to use.
#:
#: ===================  ===================================================================
#: name                 meaning (source)
#: ===================  ===================================================================
#: ``base``             costs.csv defaults, planned energization (no grid delay)
#: ``high-escalation``  electricity +20 %/yr, mid of the 15-25 %/yr rises in trade press
#:                      (unverified, reference-data.md §7)
#: ``grid-delay-p50``   median energization delay from ``dcplan.grid``
#: ``grid-delay-p90``   P90 energization delay from ``dcplan.grid``
#: ``low-price``        1.99 USD/GPU-h (RunPod H100, Mar 2026, unverified) and -10 %/yr
#: ===================  ===================================================================
SCENARIOS = {
    "base": {"costs": {}, "delay_quantile": None},
    "high-escalation": {"costs": {"electricity_escalation_frac": 0.20}, "delay_quantile": None},
    "grid-delay-p50": {"costs": {}, "delay_quantile": 0.5},
    "grid-delay-p90": {"costs": {}, "delay_quantile": 0.9},
    "low-price": {"costs": {"revenue_usd_per_gpu_h": 1.99, "revenue_escalation_frac": -0.10},
                  "delay_quantile": None},
}


def scenario(name: str) -> dict:
    """The :data:`SCENARIOS` entry ``name`` (``costs`` overrides, ``delay_quantile``)."""
    if name not in SCENARIOS:
        raise InputError(f"unknown scenario {name!r}{did_you_mean(name, list(SCENARIOS))}; "
                         f"allowed: {', '.join(SCENARIOS)}", field="scenario")
    return {"costs": dict(SCENARIOS[name]["costs"]), "delay_quantile": SCENARIOS[name]["delay_quantile"]}


# Allowed range per input: (low, low inclusive, high, high inclusive, what it means).
# Rates per year are fractions in (-1, 1], as FinanceSpec and Tariff.with_escalation take
# them, so a rate typed in percent (8 for 8 %) is an error, not an 800 %/yr rate; the
# same for the yearly cost shares (maintenance, insurance, property tax).
_RATE = (-1.0, False, 1.0, True, "a rate per year > -1 (-100 %) and <= 1, as a fraction (0.08 for 8 %)")
_SHARE = (0.0, True, 1.0, True, "a share per year in [0, 1] as a fraction (0.10 for 10 %)")
_BOUNDS = {
    # a cost of capital is not negative (a negative rate makes later cash worth more)
    "discount_rate_frac": (0.0, True, 1.0, True, "a rate per year in [0, 1] as a fraction (0.08 for 8 %)"),
    "inflation_frac": _RATE,
    "electricity_escalation_frac": _RATE,
    "it_price_change_frac": _RATE,
    "revenue_escalation_frac": _RATE,
    "maintenance_it_frac": _SHARE,
    "maintenance_facility_frac": _SHARE,
    "insurance_frac": _SHARE,
    "property_tax_frac": _SHARE,
    "facility_shell_frac": (0.0, True, 1.0, True, "a fraction in [0, 1]"),
    "facility_electrical_frac_of_critical": (0.0, True, 1.0, True, "a fraction in [0, 1]"),
    "tax_rate_frac": (0.0, True, 1.0, False, "a fraction in [0, 1)"),
    "utilization_frac": (0.0, True, 1.0, True, "a fraction in [0, 1]"),
    "it_refresh_years": (1.0, True, 50.0, True, "a life in years >= 1 (and <= 50)"),
}
_NONNEG = "a number >= 0"


def whole_months(months):
    """Months rounded half up to whole months, as the model uses them (10.5 -> 11, 2.5 -> 3).

    The model runs on whole calendar months: ``build_months``, ``delay_months``, phase
    offsets and the IT refresh cycle (``12 * it_refresh_years``) are rounded so, never half to
    even (Python's ``round``, which made 2.5 -> 2 and 10.5 -> 10). The Assumptions table shows
    the months used next to the value given.

    >>> whole_months(10.5), whole_months(2.5), whole_months(0.5), whole_months(7.49)
    (11.0, 3.0, 1.0, 7.0)
    """
    out = np.floor(np.asarray(months, dtype=float) + 0.5)
    return float(out) if out.ndim == 0 else out


def operations_start_month(p: Mapping[str, float], live_fleet_frac: float = 0.0):
    """Month operations start: ``build_months + delay_months`` (whole months each), or
    ``build_months`` when capacity already in service powers part of the fleet
    (``live_fleet_frac`` > 0: that part does not wait for the delay)."""
    build = whole_months(p["build_months"])
    return build if live_fleet_frac > 0 else build + whole_months(p["delay_months"])


def tranches(phases, live_fleet_frac: float = 0.0) -> list[tuple[float, float, bool]]:
    """``(offset_months, fleet_frac, delayed)`` per tranche: the phases in deployment order,
    the first ``live_fleet_frac`` of the fleet not delayed (a phase split where it ends).

    Offsets are whole months (:func:`whole_months`), from the end of the build.

    >>> tranches(((0, 0.5), (6, 0.5)), 0.75)
    [(0.0, 0.5, False), (6.0, 0.25, False), (6.0, 0.25, True)]
    """
    out, done = [], 0.0
    for off, frac in phases:
        off, frac = whole_months(off), float(frac)
        live = min(max(live_fleet_frac - done, 0.0), frac)
        if live > 0:
            out.append((off, live, False))
        if frac - live > 1e-12:
            out.append((off, frac - live, True))
        done += frac
    return out


@lru_cache(maxsize=4)
def _costs_table(path: str) -> pd.DataFrame:
    df = pd.read_csv(path, comment="#")
    return df.set_index("key")


def cost_keys() -> list[str]:
    """The input keys of the bundled ``data/costs.csv`` (read once per process)."""
    return list(_costs_table(str(data_path("costs.csv"))).index)


def default_cost(key: str) -> float:
    """The bundled ``data/costs.csv`` value of ``key`` (read once per process)."""
    return float(_costs_table(str(data_path("costs.csv"))).at[key, "value"])


def load_costs(path=None) -> pd.DataFrame:
    """The cost defaults table (``data/costs.csv``), indexed by input key.

    Columns: ``value, low, high, unit, description, source, vintage, status``.
    """
    return _costs_table(str(path or data_path("costs.csv"))).copy()


def _numbers(name: str, v, what: str) -> np.ndarray:
    """``v`` as a float array; a bool, text or anything not a real number is an error (``True``
    is not silently 1.0, nor ``"0.08"`` 0.08)."""
    if isinstance(v, (bool, np.bool_, str, bytes)) or np.asarray(v).dtype.kind not in "iuf":
        raise InputError(f"must be a number ({what}), got {_short(v)}", field=name)
    return np.asarray(v, dtype=float)


def _check(name: str, v) -> None:
    lo, lo_inc, hi, hi_inc, what = _BOUNDS.get(name, (0.0, True, math.inf, True, _NONNEG))
    a = _numbers(name, v, what)
    bad = ~np.isfinite(a) | (a < lo if lo_inc else a <= lo) | (a > hi if hi_inc else a >= hi)
    if np.any(bad):
        raise InputError(f"must be {what}, got {float(a[bad].ravel()[0])!r}", field=name)


def _check_phases(phases) -> None:
    try:
        arr = np.array([(float(o), float(f)) for o, f in phases], dtype=float).reshape(-1, 2)
    except (TypeError, ValueError):
        raise InputError(f"must be a sequence of (offset_months, fleet_frac) pairs, got {phases!r}",
                         field="phases") from None
    if arr.shape[0] == 0 or not np.all(np.isfinite(arr)):
        raise InputError(f"need at least one finite (offset_months, fleet_frac) pair, got {phases!r}",
                         field="phases")
    if np.any(arr[:, 0] < 0) or np.any(np.diff(arr[:, 0]) < 0):
        raise InputError(f"offsets must be >= 0 months and non-decreasing, got {arr[:, 0].tolist()}",
                         field="phases")
    if np.any(arr[:, 1] <= 0) or abs(arr[:, 1].sum() - 1.0) > 1e-9:
        raise InputError(f"fleet fractions must be > 0 and sum to 1, got {arr[:, 1].tolist()}",
                         field="phases")


#: TcoInputs fields a ``sources`` entry may name (besides the ``data/costs.csv`` keys).
_SOURCE_FIELDS = ("n_accelerators", "it_capacity_kw", "it_energy_kwh", "utilization_frac", "horizon_years",
                  "pv_kw_dc", "battery_kwh", "depreciation", "phases", "live_fleet_frac")


def _check_sources(sources) -> None:
    if not isinstance(sources, Mapping):
        raise InputError(f"must be a mapping of input name to source text, got {sources!r}", field="sources")
    known = set(_SOURCE_FIELDS) | set(load_costs().index)
    for k, v in sources.items():
        if k not in known:
            raise InputError(f"unknown input {k!r}{did_you_mean(str(k), sorted(known))}; allowed: "
                             "TcoInputs fields and data/costs.csv keys", field=f"sources.{k}")
        if not isinstance(v, str) or not v.strip():
            raise InputError(f"must be a non-empty text saying where the input came from, got {v!r}",
                             field=f"sources.{k}")


@dataclass(frozen=True)
class TcoInputs:
    """Everything :func:`run_tco` needs besides the electricity bill.

    Parameters
    ----------
    n_accelerators : int
        Accelerators (GPUs) installed. [-]
    it_capacity_kw : float
        Critical IT capacity the facility is built for (sizes facility and
        interconnection capex). [kW]
    it_energy_kwh : float
        IT energy of one full year of operation (from ``dcplan.power``). [kWh]
    utilization_frac : float, default 0.8
        Share of accelerator-hours sold / used; the stated utilization of $/GPU-hour. The
        default is an ESTIMATE (a busy fleet), not a measurement;
        :func:`inputs_from_site` takes the site's ``fleet.utilisation_frac``. [frac]
    horizon_years : int, default 10
        Analysis horizon from project start (build included). [yr]
    pv_kw_dc, battery_kwh : float, default 0
        On-site PV [kWdc] and battery [kWh].
    depreciation : {"macrs", "straight-line"}
        Tax MACRS per :data:`ASSET_CLASSES` or book straight line over economic lives.
    costs : mapping, optional
        Overrides of ``data/costs.csv`` values by key (e.g. ``{"discount_rate_frac": 0.1}``).
    phases : tuple of (offset_months, fleet_frac), default ((0, 1),)
        Deployment ramp: each tranche of the fleet starts ``offset_months`` after
        operations start (a grid delay shifts all of them) and holds ``fleet_frac`` of
        the accelerators (fractions sum to 1). IT capex, refreshes, revenue, IT
        maintenance, network, water and output follow the deployed share; so does the
        electricity bill, scaled by the deployed share before full build-out (an
        energy-proportional approximation: the bill is of the full build-out load).
    live_fleet_frac : float, default 0
        Share of the fleet that grid capacity already in service powers (an existing
        campus: interconnection phases marked ``in_service``, see
        :func:`dcplan.grid.live_fleet_frac`). The first ``live_fleet_frac`` of the
        accelerators in deployment order (a tranche is split where the share ends) starts at
        its planned month, ``build_months`` + its offset, whatever ``delay_months`` is; only
        the rest waits for the delayed capacity. A delayed tranche that would start after the
        horizon is never bought. [frac, 0-1]
    sources : mapping of str to str, optional
        Where an input came from, by field name (``utilization_frac``, ``phases``...) or
        ``data/costs.csv`` key, e.g. ``{"discount_rate_frac": "site.finance.discount_rate_frac"}``;
        :func:`inputs_from_site` fills it. Inputs not listed are shown as given by the caller
        (a field) or as the ``data/costs.csv`` row (a cost not overridden) in
        ``TcoResult.assumptions``. Provenance only: it does not change the result and is not
        compared by ``==``.
    """

    n_accelerators: int
    it_capacity_kw: float
    it_energy_kwh: float
    utilization_frac: float = 0.8
    horizon_years: int = 10
    pv_kw_dc: float = 0.0
    battery_kwh: float = 0.0
    depreciation: str = "macrs"
    costs: Mapping[str, float] = field(default_factory=dict)
    phases: tuple = ((0.0, 1.0),)
    sources: Mapping[str, str] = field(default_factory=dict, compare=False)
    live_fleet_frac: float = 0.0

    def __post_init__(self):
        _check_phases(self.phases)
        if (isinstance(self.n_accelerators, (bool, np.bool_))
                or not isinstance(self.n_accelerators, (int, np.integer, float, np.floating))
                or not float(self.n_accelerators).is_integer()):
            raise InputError(f"must be a whole number of accelerators, got {_short(self.n_accelerators)}",
                             field="n_accelerators")
        if not isinstance(self.costs, Mapping):
            raise InputError(f"must be a mapping of data/costs.csv key to value, got {_short(self.costs)}",
                             field="costs")
        if (isinstance(self.live_fleet_frac, (bool, np.bool_))
                or not isinstance(self.live_fleet_frac, (int, float, np.integer, np.floating))
                or not 0.0 <= float(self.live_fleet_frac) <= 1.0):
            raise InputError(f"must be a fraction in [0, 1] (the share of the fleet capacity already in "
                             f"service powers), got {self.live_fleet_frac!r}", field="live_fleet_frac")
        for name in ("n_accelerators", "it_capacity_kw", "it_energy_kwh", "pv_kw_dc", "battery_kwh"):
            _check(name, getattr(self, name))
        _check("utilization_frac", self.utilization_frac)
        if (isinstance(self.horizon_years, (bool, np.bool_)) or not isinstance(self.horizon_years, (int, np.integer))
                or not 1 <= self.horizon_years <= 50):  # as the site's finance.horizon_years
            raise InputError(f"must be an integer number of years in 1-50, got {self.horizon_years!r}",
                             field="horizon_years")
        if self.depreciation not in ("macrs", "straight-line"):
            raise InputError(f"must be 'macrs' or 'straight-line', got {self.depreciation!r}",
                             field="depreciation")
        table = load_costs()
        for k, v in self.costs.items():
            if k not in table.index:
                raise InputError(f"unknown cost input {k!r}{did_you_mean(k, list(table.index))}; "
                                 f"keys are those of data/costs.csv", field=f"costs.{k}")
            if np.ndim(v) != 0:
                raise InputError(f"must be a single number, got {_short(v)}", field=k)
            _check(k, v)
        p = self.params()
        ops = operations_start_month(p, self.live_fleet_frac)
        if ops >= 12 * self.horizon_years:
            src = self.sources.get("delay_months")
            parts = (f"build_months {whole_months(p['build_months']):g}, in whole months; capacity in service "
                     "powers part of the fleet from the end of the build" if self.live_fleet_frac > 0 else
                     f"build_months {whole_months(p['build_months']):g} + delay_months "
                     f"{whole_months(p['delay_months']):g}{f' from {src}' if src else ''}, in whole months")
            raise InputError(f"horizon_years={self.horizon_years} ends before operations start at month "
                             f"{ops:g} ({parts}); lengthen the horizon", field="horizon_years")
        _check_sources(self.sources)  # after the inputs: a typo'd cost key is reported as such

    def params(self) -> dict[str, float]:
        """All numeric inputs of the model: costs.csv defaults, overrides, utilization."""
        p = load_costs()["value"].astype(float).to_dict()
        p.update({k: float(v) for k, v in self.costs.items()})
        p["utilization_frac"] = float(self.utilization_frac)
        return p

    def with_costs(self, **overrides) -> "TcoInputs":
        """Copy with more cost overrides (``utilization_frac`` allowed too)."""
        # an input set here is the caller's, whatever the site said before
        src = {k: v for k, v in self.sources.items() if k not in overrides}
        c = dict(self.costs)
        util = overrides.pop("utilization_frac", self.utilization_frac)
        c.update(overrides)
        return TcoInputs(self.n_accelerators, self.it_capacity_kw, self.it_energy_kwh, util,
                         self.horizon_years, self.pv_kw_dc, self.battery_kwh, self.depreciation, c,
                         self.phases, src, self.live_fleet_frac)


@dataclass(frozen=True)
class ElectricityByPvAge:
    """Electricity bills of the same typical year with the on-site PV aged year by year.

    PV output falls with age; a site with PV therefore buys more from the grid each year.
    Row ``a`` of ``monthly_usd`` is the bill (January..December, at year-1 prices) with the
    PV in its ``a + 1``-th year of service, its output times ``1 - degradation_frac_per_year
    * a`` (:func:`dcplan.pipeline.electricity_by_pv_age` builds it). :func:`dcplan.tco.run_tco`
    bills month ``m`` with the row of the PV's age in that month, counted in whole years
    from the month it is placed in service (``build_months``); row 0 is the year-1 bill.

    Attributes
    ----------
    monthly_usd : ndarray, shape (n_ages, 12)
        Bill per calendar month at each PV age. [USD]
    degradation_frac_per_year : float
        Loss of PV output per year of age, a fraction of the year-1 output (linear). [1/yr]
    """

    monthly_usd: np.ndarray
    degradation_frac_per_year: float
    source: str = "caller: ElectricityByPvAge(degradation_frac_per_year=...)"
    vintage: str = ""
    status: str = "input"

    def __post_init__(self):
        try:
            m = np.array(self.monthly_usd, dtype=float)
        except (TypeError, ValueError):
            raise InputError(f"need numbers (USD), got {_short(self.monthly_usd)}",
                             field="electricity.monthly_usd") from None
        if m.ndim != 2 or m.shape[0] < 1 or m.shape[1] != 12:
            raise InputError(f"need one row of 12 monthly bills per PV age, got shape {m.shape}",
                             field="electricity.monthly_usd")
        if not np.all(np.isfinite(m)):
            raise InputError("electricity cost must be finite", field="electricity.monthly_usd")
        d = self.degradation_frac_per_year
        if (isinstance(d, bool) or not isinstance(d, (int, float, np.integer, np.floating))
                or not 0.0 <= d <= PV_DEGRADATION_MAX_FRAC_PER_YEAR):
            raise InputError(f"must be a fraction per year in [0, {PV_DEGRADATION_MAX_FRAC_PER_YEAR:g}] (0.005 for "
                             f"0.5 %/yr), got {d!r}", field="electricity.degradation_frac_per_year")
        m.setflags(write=False)
        object.__setattr__(self, "monthly_usd", m)
        object.__setattr__(self, "degradation_frac_per_year", float(d))


def pv_ages_billed(inputs: "TcoInputs") -> int:
    """How many years of PV age a run bills: from the PV placed in service (``build_months``,
    whole months) to the horizon's last month, ``(12 H - 1 - build) // 12 + 1``."""
    return (12 * inputs.horizon_years - 1 - int(whole_months(inputs.params()["build_months"]))) // 12 + 1


def _short(v) -> str:
    r = repr(v)
    return r if len(r) <= 60 else r[:57] + "..."


def electricity_by_pv_age_usd(electricity) -> np.ndarray:
    """Electricity cost per calendar month at each PV age, shape ``(n_ages, 12)``. [USD]

    An :class:`ElectricityByPvAge` gives its table; any other bill (see
    :func:`electricity_monthly_usd`) is the same at every age (one row).
    """
    if isinstance(electricity, ElectricityByPvAge):
        return electricity.monthly_usd
    return electricity_monthly_usd(electricity)[None, :]


def electricity_monthly_usd(bill) -> np.ndarray:
    """Year-1 electricity cost per calendar month (Jan..Dec) from a bill. [USD]

    Accepts a ``dcplan.tariff`` Bill of one load over one year (``bill.monthly["total_usd"]``,
    12 calendar months, put in January..December order when indexed by months), a number
    (annual total, spread evenly), 12 monthly totals (January first) or an
    :class:`ElectricityByPvAge` (its year-1 row).
    """
    if isinstance(bill, ElectricityByPvAge):
        return bill.monthly_usd[0].copy()
    if bill is None or isinstance(bill, (str, bytes, bool)):
        raise InputError(f"need a Bill, an annual total (USD), 12 monthly totals or an ElectricityByPvAge, "
                         f"got {_short(bill)}", field="electricity")
    monthly = getattr(bill, "monthly", None)
    if monthly is not None:
        if not np.isscalar(getattr(bill, "total_usd", 0.0)):
            raise InputError("the bill holds several load scenarios; pass the bill of one load",
                             field="electricity")
        m = monthly["total_usd"] if isinstance(monthly, pd.DataFrame) else monthly
        if len(m) != 12:
            raise InputError(f"the bill covers {len(m)} months; need the bill of one year (12 months)",
                             field="electricity")
        idx = m.index if isinstance(m, pd.Series) else None
        if isinstance(idx, (pd.PeriodIndex, pd.DatetimeIndex)):
            if sorted(idx.month) != list(range(1, 13)):
                raise InputError(f"the bill's months are not the 12 calendar months: {list(idx)}",
                                 field="electricity")
            m = m.iloc[np.argsort(idx.month)]
        out = np.asarray(m, dtype=float)
    elif hasattr(bill, "total_usd"):
        out = np.full(12, float(bill.total_usd) / 12.0)
    elif np.ndim(bill) == 0:
        try:
            out = np.full(12, float(bill) / 12.0)
        except (TypeError, ValueError):
            raise InputError(f"need a Bill, an annual total (USD), 12 monthly totals or an "
                             f"ElectricityByPvAge, got {_short(bill)}", field="electricity") from None
    else:
        try:
            out = np.asarray(bill, dtype=float)
        except (TypeError, ValueError):
            raise InputError(f"need a Bill, an annual total (USD), 12 monthly totals or an "
                             f"ElectricityByPvAge, got {_short(bill)}", field="electricity") from None
        if out.shape != (12,):
            raise InputError(f"need a Bill, an annual total or 12 monthly totals, got shape "
                             f"{out.shape}", field="electricity")
    if not np.all(np.isfinite(out)):
        raise InputError("electricity cost must be finite", field="electricity")
    return out


def fleet_phases(fleet, accelerators_per_unit=None) -> tuple:
    """Deployment ramp ``((offset_months, fleet_frac), ...)`` from a ``fleet:`` section.

    Offsets are whole months (30.4375-day months, rounded half up) from the earliest phase
    start; fractions are each phase's share of the accelerators. ``accelerators_per_unit``
    maps hardware key to accelerators per catalog unit (default: ``dcplan.power.hardware``).
    """
    if accelerators_per_unit is None:
        from .power import hardware
        accelerators_per_unit = {p.hardware: hardware(p.hardware).accelerators_per_unit
                                 for p in fleet.phases}
    first = min(p.start for p in fleet.phases)
    rows = sorted(((p.start - first).days / 30.4375, p.count * accelerators_per_unit[p.hardware])
                  for p in fleet.phases)
    total = sum(c for _, c in rows)
    if total <= 0:
        raise InputError("the fleet has no accelerators", field="fleet.phases")
    merged: dict[float, float] = {}
    for off, c in rows:
        if c > 0:
            merged[whole_months(off)] = merged.get(whole_months(off), 0.0) + c / total
    return tuple(merged.items())


def inputs_from_site(site, *, n_accelerators: int, it_capacity_kw: float, it_energy_kwh: float,
                     delay_months: float | None = None, battery_kwh: float | None = None, phases=None,
                     live_fleet_frac: float | None = None, **costs) -> TcoInputs:
    """Build :class:`TcoInputs` from a :class:`dcplan.site.Site` and the power results.

    Uses ``site.finance`` (discount rate, horizon, inflation, electricity escalation and
    its optional fields), ``site.fleet.utilisation_frac``, ``site.solar.dc_kw`` and, when
    present, ``site.interconnection.battery.energy_mwh``; ``costs`` are further overrides
    of ``data/costs.csv``. ``phases`` default: a single tranche (whole fleet at operations
    start); pass ``fleet_phases(site.fleet)`` for the fleet's dated ramp. Throughput
    (``tokens_per_s_per_accelerator``), unless the site's costs or ``costs`` set it, is
    the fleet's :func:`dcplan.power.example_throughput` (GB200 parts their own figure).

    Electricity escalation comes from ``finance.electricity_escalation_frac`` only: the
    bill passed to :func:`dcplan.tco.run_tco` must be the year-1 bill (do not also escalate
    the tariff itself with ``Tariff.with_escalation``, or the rise is counted twice).

    ``delay_months`` default: 0 (planned energization); ``live_fleet_frac``: the share of
    the fleet capacity already in service powers, which the delay does not move
    (:func:`dcplan.grid.live_fleet_frac`). The result's ``sources`` name the
    site spec field (``site.finance.discount_rate_frac``...) or the argument each input came
    from, for the Assumptions table of :func:`dcplan.tco.run_tco`.
    """
    src = {k: f"caller: inputs_from_site({k}=...)" for k in ("n_accelerators", "it_capacity_kw", "it_energy_kwh")}
    if battery_kwh is None:
        bat = getattr(getattr(site, "interconnection", None), "battery", None)
        battery_kwh = 1000.0 * bat.energy_mwh if bat is not None else 0.0
        src["battery_kwh"] = ("site.interconnection.battery.energy_mwh x 1000" if bat is not None
                              else "site: no interconnection.battery section (0)")
    else:
        src["battery_kwh"] = "caller: inputs_from_site(battery_kwh=...)"
    f = site.finance
    c = {"discount_rate_frac": f.discount_rate_frac, "inflation_frac": f.inflation_frac,
         "electricity_escalation_frac": f.electricity_escalation_frac}
    src.update({k: f"site.finance.{k}" for k in c})
    c["delay_months"] = 0.0 if delay_months is None else float(delay_months)
    src["delay_months"] = ("inputs_from_site default: 0 (planned energization)" if delay_months is None
                           else "caller: inputs_from_site(delay_months=...)")
    for k in ("tax_rate_frac", "build_months", "it_refresh_years", "revenue_usd_per_gpu_h"):
        v = getattr(f, k, None)
        if v is not None:
            c[k] = float(v)
            src[k] = f"site.finance.{k}"
    site_costs = dict(getattr(f, "costs", {}) or {})
    c.update(site_costs)
    src.update({k: f"site.finance.costs.{k}" for k in site_costs})
    c.update(costs)
    src.update({k: f"caller: inputs_from_site({k}=...)" for k in costs})
    if "tokens_per_s_per_accelerator" not in c and getattr(site.fleet, "phases", None):
        # the fleet's hardware, as the other notebooks (no phases: the costs.csv figure)
        from .power import example_throughput
        c["tokens_per_s_per_accelerator"] = example_throughput(site)[0]
        src["tokens_per_s_per_accelerator"] = "dcplan.power.example_throughput(site): the site fleet's hardware"
    src.update(utilization_frac="site.fleet.utilisation_frac", horizon_years="site.finance.horizon_years",
               pv_kw_dc="site.solar.dc_kw",
               phases=("inputs_from_site default: whole fleet at operations start" if phases is None
                       else "caller: inputs_from_site(phases=...)"),
               live_fleet_frac=("inputs_from_site default: no grid capacity in service (0)" if live_fleet_frac is None
                                else "caller: inputs_from_site(live_fleet_frac=...)"))
    return TcoInputs(n_accelerators=int(n_accelerators), it_capacity_kw=float(it_capacity_kw),
                     it_energy_kwh=float(it_energy_kwh), utilization_frac=site.fleet.utilisation_frac,
                     horizon_years=f.horizon_years, pv_kw_dc=site.solar.dc_kw,
                     battery_kwh=float(battery_kwh), costs=c,
                     phases=((0.0, 1.0),) if phases is None else tuple(phases), sources=src,
                     live_fleet_frac=0.0 if live_fleet_frac is None else live_fleet_frac)


#: Accelerators whose server, network and storage prices ``data/costs.csv`` is sourced for
#: (DGX H100 sale price and quotes, reference-data.md s.7). Other hardware gets the same
#: per-accelerator figures, flagged by :func:`price_note`.
PRICED_ACCELERATORS = frozenset({"h100-sxm"})

#: GB200 NVL72 rack price, unverified (continuumlabs; kshirol-dev, 2024 via reference-data.md s.7).
GB200_NVL72_RACK_USD = (2.0e6, 3.0e6)


def price_note(site, inputs: TcoInputs) -> str:
    """A sentence for the report when the IT prices are not the fleet's own, else ``""``.

    The server price per accelerator is the H100 figure of ``data/costs.csv`` for every
    fleet (no sourced H200, B200 or MI300X price is bundled). A fleet with other
    accelerators gets a note naming them, unless the site or user set
    ``server_usd_per_accelerator``. For GB200 it quotes the unverified NVL72 rack price per
    GPU (2-3 M USD / 72) for comparison.
    """
    if "server_usd_per_accelerator" in inputs.costs or not getattr(site.fleet, "phases", None):
        return ""
    from .power import fleet_table, hardware
    t = fleet_table(site)
    acc = {}
    for key, n in zip(t["hardware"], t["accelerators"]):
        a = hardware(key).accelerator
        if n > 0 and a and a not in PRICED_ACCELERATORS:
            acc.setdefault(a, key)
    if not acc:
        return ""
    price = inputs.params()["server_usd_per_accelerator"]
    note = (f"The server price per accelerator ({price:,.0f} USD) is the H100 figure of data/costs.csv; "
            f"no sourced price is bundled for {', '.join(sorted(acc.values()))}.")
    if "gb200-gpu" in acc:
        lo, hi = (x / 72.0 for x in GB200_NVL72_RACK_USD)
        note += (f" GB200 NVL72 racks are quoted at {GB200_NVL72_RACK_USD[0] / 1e6:.0f}-"
                 f"{GB200_NVL72_RACK_USD[1] / 1e6:.0f} M USD, {lo:,.0f}-{hi:,.0f} USD per GPU (unverified).")
    return note + " Set finance.costs.server_usd_per_accelerator to a quote."


# ---------------------------------------------------------------------------
# Tax and book lives, and the Assumptions table of a run

#: item -> (tax depreciation method, tax life [yr]); sources: the table in
#: :mod:`dcplan.tco`'s docstring (and ``_TAX_SOURCES`` below).
ASSET_CLASSES = {
    "it": ("macrs", 5),
    "facility_shell": ("real-property", 39),
    "facility_electrical": ("macrs", 15),
    "facility_mechanical": ("macrs", 15),
    "interconnection": ("macrs", 15),
    "pv": ("macrs", 5),
    "battery": ("macrs", 5),
}
#: Economic (book) lives [yr] for residual value and book straight-line depreciation.
#: Estimates: shell = tax life; electrical/mechanical plant 20 yr; utility interconnection
#: 40 yr; PV 30 yr; battery 15 yr. IT uses ``it_refresh_years``.
ECONOMIC_LIFE_YEARS = {"facility_shell": 39.0, "facility_electrical": 20.0,
                       "facility_mechanical": 20.0, "interconnection": 40.0, "pv": 30.0,
                       "battery": 15.0}

#: Source and status of each tax depreciation schedule of :data:`ASSET_CLASSES` (as the
#: table in :mod:`dcplan.tco`'s docstring).
_TAX_SOURCES = {
    "it": ("IRS Pub 946 Table B-1 asset class 00.12 (computers)", "primary"),
    "facility_shell": ("IRC §168(c) nonresidential real property; IRS Pub 946 Table A-7a", "primary"),
    "facility_electrical": ("estimate (cost-segregation practice; 39 yr if not segregated)", "estimate"),
    "facility_mechanical": ("estimate (cost-segregation practice; 39 yr if not segregated)", "estimate"),
    "interconnection": ("IRS Pub 946 asset class 00.3 land improvements (estimate)", "estimate"),
    "pv": ("IRC §168(e)(3)(B)(vi) energy property", "primary"),
    "battery": ("IRC §168(e)(3)(B)(vi) energy property", "primary"),
}
#: Units and descriptions of the :class:`TcoInputs` fields in the Assumptions table.
_FIELD_ROWS = {
    "n_accelerators": ("accelerators", "accelerators installed"),
    "it_capacity_kw": ("kW", "critical IT capacity the facility is built for"),
    "it_energy_kwh": ("kWh/yr", "IT energy of a full operating year"),
    "utilization_frac": ("frac", "accelerator utilization (share of GPU-hours sold)"),
    "horizon_years": ("yr", "analysis horizon from project start"),
    "pv_kw_dc": ("kWdc", "on-site PV"),
    "battery_kwh": ("kWh", "battery energy capacity"),
    "live_fleet_frac": ("frac", "share of the fleet powered by grid capacity already in service "
                                "(starts at its planned month, not moved by delay_months)"),
}
ASSUMPTION_COLUMNS = ("key", "value", "unit", "description", "source", "vintage", "status")
#: costs.csv inputs in months: the model runs on whole months (:func:`whole_months`).
_MONTH_KEYS = ("build_months", "delay_months")


def _electricity_source(electricity) -> str:
    if isinstance(electricity, ElectricityByPvAge):
        return ("caller: run_tco(electricity=ElectricityByPvAge), the tariff bills of the hourly load "
                f"at {electricity.monthly_usd.shape[0]} PV ages (dcplan.pipeline.electricity_by_pv_age); "
                "this row: PV in its first year")
    if getattr(electricity, "monthly", None) is not None:
        return "caller: run_tco(electricity=Bill), the year-1 tariff bill (dcplan.tariff), month by month"
    if hasattr(electricity, "total_usd"):
        return "caller: run_tco(electricity=...).total_usd, spread evenly over the 12 months"
    if np.ndim(electricity) == 0:
        return "caller: run_tco(electricity=annual total), spread evenly over the 12 months"
    return "caller: run_tco(electricity=12 monthly totals)"


def assumptions_table(inputs: TcoInputs, electricity, *, it_avg_kw: float | None = None,
                      facility_energy_kwh: float | None = None) -> pd.DataFrame:
    """Every input of one :func:`dcplan.tco.run_tco` call (``TcoResult.assumptions``).

    Columns :data:`ASSUMPTION_COLUMNS`: key, value (numeric; NaN where not given), unit,
    description, source, vintage, status (see :class:`dcplan.tco.TcoResult`).

    ``source`` is the ``data/costs.csv`` row, the site spec field (``inputs.sources``) or
    the caller's argument; ``vintage`` is costs.csv's for a default, empty otherwise.
    Month inputs show the whole months the model uses (:func:`whole_months`, half up:
    ``build_months``, ``delay_months``, phase offsets; derived ``it_refresh_months``,
    ``placed_in_service_month``, ``operations_start_month``); the description gives the
    value passed when it was not a whole month.
    """
    elec12 = electricity_monthly_usd(electricity)
    t = load_costs()
    p = inputs.params()
    src = inputs.sources
    defaults = {f.name: f.default for f in dataclasses.fields(TcoInputs)}
    rows = []
    for k in t.index:
        r = t.loc[k]
        value, what = p[k], r["description"]
        if k in _MONTH_KEYS:  # the whole months the model runs on, and the value given if it differs
            value = whole_months(p[k])
            if value != p[k]:
                what += f" [given {p[k]:g}; the model uses whole months, rounded half up]"
        if k in inputs.costs:
            rows.append((k, value, r["unit"], what, src.get(k, f"caller: TcoInputs.costs[{k!r}]"),
                         "", "input"))
        else:
            rows.append((k, value, r["unit"], what, f"data/costs.csv row {k}: {r['source']}",
                         str(r["vintage"]), r["status"]))

    def field_source(name):
        if name in src:
            return src[name]
        same = getattr(inputs, name) == defaults[name]
        return f"caller: TcoInputs.{name}" + (f" (equals its default {defaults[name]!r})" if same else "")

    for name, (unit, what) in _FIELD_ROWS.items():
        rows.append((name, float(getattr(inputs, name)), unit, what, field_source(name), "", "input"))

    # depreciation: the method, and per asset class the life and convention it uses
    macrs = inputs.depreciation == "macrs"
    rows.append(("depreciation", 1.0 if macrs else 0.0, "1 = MACRS (tax), 0 = book straight line",
                 "depreciation method: " + ("MACRS tax depreciation per asset class (IRS Pub 946)" if macrs else
                                            "book straight line over the economic lives"),
                 field_source("depreciation"), "", "input"))
    for key, (method, life) in ASSET_CLASSES.items():
        if macrs:
            how = (f"{life}-yr straight line, mid-month convention in the month placed in service "
                   "(IRS Pub 946 Table A-7a)" if method == "real-property" else
                   f"MACRS GDS {life}-yr, {finance.MACRS_CLASSES[life] * 100:.0f} % declining balance "
                   "switching to straight line, half-year convention for every purchase (Pub 946 "
                   "Table A-1; the mid-quarter convention of IRC §168(d)(3) is not applied)")
            source, status = _TAX_SOURCES[key]
            value = float(life)
        elif key == "it":
            how, source, status = ("book straight line over the IT refresh cycle, full-year convention "
                                   "from the year placed in service", "= it_refresh_years", "derived")
            value = p["it_refresh_years"]
        else:
            how = "book straight line over the economic life, full-year convention from the year placed in service"
            source, status = "dcplan.tco.ECONOMIC_LIFE_YEARS (estimate)", "estimate"
            value = ECONOMIC_LIFE_YEARS[key]
        rows.append((f"depreciation_life_{key}_years", value, "yr", f"{key}: {how}", source, "", status))
    for key, life in ECONOMIC_LIFE_YEARS.items():
        rows.append((f"economic_life_{key}_years", life, "yr",
                     f"{key}: economic life for the residual value at the end of the horizon (straight line)",
                     "dcplan.tco.ECONOMIC_LIFE_YEARS (estimate)", "", "estimate"))
    refresh_m = max(whole_months(12.0 * p["it_refresh_years"]), 1.0)
    rows += [
        ("placed_in_service_month", whole_months(p["build_months"]), "months",
         "facility, interconnection, PV and battery placed in service (depreciation starts in its tax "
         "year), months after project start; each IT purchase in its own month",
         "derived: build_months in whole months (rounded half up)", "", "derived"),
        ("operations_start_month", operations_start_month(p, inputs.live_fleet_frac), "months",
         "operations start (revenue, opex, first IT purchase), months after project start",
         ("derived: build_months in whole months (rounded half up); capacity in service powers "
          f"{inputs.live_fleet_frac:.0%} of the fleet, the rest starts delay_months later"
          if inputs.live_fleet_frac > 0 else
          "derived: build_months + delay_months, each in whole months (rounded half up)"), "", "derived"),
        ("it_refresh_months", refresh_m, "months",
         "IT refresh cycle the model uses (purchases, residual value)" +
         ("" if refresh_m == 12.0 * p["it_refresh_years"] else
          f" [it_refresh_years {p['it_refresh_years']:g} x 12 = {12.0 * p['it_refresh_years']:g} months, "
          "rounded half up to whole months]"),
         "derived: 12 x it_refresh_years in whole months (rounded half up, at least 1)", "", "derived"),
        ("hours_per_year", 8760.0, "h/yr", "hours of a year for GPU-hours and the mean IT draw (365 days)",
         "dcplan.tco convention", "", "convention"),
        *[(f"phase{i + 1}_offset_months", whole_months(o), "months", "tranche start after operations start" +
           ("" if whole_months(o) == float(o) else
            f" [given {float(o):g}; the model uses whole months, rounded half up]"),
           field_source("phases"), "", "input") for i, (o, _) in enumerate(inputs.phases)],
        *[(f"phase{i + 1}_fleet_frac", float(f), "frac", "tranche share of the accelerators",
           field_source("phases"), "", "input") for i, (_, f) in enumerate(inputs.phases)],
        ("electricity_year1_usd", float(elec12.sum()), "USD/yr", "year-1 tariff bill of the hourly facility load",
         _electricity_source(electricity), "", "input"),
    ]
    rows += [(f"electricity_year1_month{m + 1:02d}_usd", float(x), "USD", "year-1 bill of the month",
              _electricity_source(electricity), "", "input") for m, x in enumerate(elec12)]
    if isinstance(electricity, ElectricityByPvAge):
        tab = electricity.monthly_usd
        rows.append(("pv_degradation_frac_per_year", electricity.degradation_frac_per_year, "frac/yr",
                     "loss of PV output per year of age, a share of its first-year output (linear); each "
                     "month is billed at the PV's age in whole years since it was placed in service",
                     electricity.source, electricity.vintage, electricity.status))
        n_ages = min(tab.shape[0], pv_ages_billed(inputs))
        src_age = _electricity_source(electricity).replace("; this row: PV in its first year", "")
        rows += [(f"electricity_pv_age{a + 1:02d}_usd", float(tab[a].sum()), "USD/yr",
                  f"bill of the typical year at year-1 prices with the PV in its year {a + 1} of service"
                  + (" (= electricity_year1_usd)" if a == 0 else ""), src_age, "", "input")
                 for a in range(n_ages)]
        rows += [(f"electricity_pv_age{a + 1:02d}_month{m + 1:02d}_usd", float(tab[a, m]), "USD",
                  f"bill of the month at year-1 prices with the PV in its year {a + 1} of service",
                  src_age, "", "input") for a in range(1, n_ages) for m in range(12)]
    if it_avg_kw is not None:
        rows.append(("it_avg_kw", float(it_avg_kw), "kW", "mean IT draw (for tokens per joule of IT)",
                     "caller: run_tco(it_avg_kw=...)", "", "input"))
    else:
        rows.append(("it_avg_kw", inputs.it_energy_kwh / 8760.0, "kW", "mean IT draw (for tokens per joule of IT)",
                     "derived: it_energy_kwh / 8760 (run_tco default)", "", "derived"))
    if facility_energy_kwh is not None:
        rows.append(("facility_energy_kwh", float(facility_energy_kwh), "kWh/yr",
                     "facility energy of a full year (effective electricity price, tokens per facility joule)",
                     "caller: run_tco(facility_energy_kwh=...)", "", "input"))
    else:
        rows.append(("facility_energy_kwh", float("nan"), "kWh/yr",
                     "facility energy of a full year: not given, so tokens_per_j_facility and "
                     "electricity_usd_per_mwh_facility are undefined",
                     "caller: run_tco(facility_energy_kwh) not given", "", "not given"))
    df = pd.DataFrame(rows, columns=list(ASSUMPTION_COLUMNS))
    df["value"] = df["value"].astype(float)
    seen = ~df["key"].duplicated(keep="last")
    return df[seen].reset_index(drop=True)
