"""The TCO model's cash-flow lines: capex, IT purchases, opex, output, residual value and tax.

Part of the TCO model: :func:`cash_flow_lines` is the body of :func:`dcplan.tco.evaluate`, and
:data:`LINES` (re-exported by :mod:`dcplan.tco`) the rows it returns. The conventions it
implements (timeline in whole months, escalation by project year, placed-in-service dates,
depreciation, the residual sale at the horizon) are stated in :mod:`dcplan.tco`'s docstring;
the fleet's installed and operating shares come from :mod:`dcplan.tco_ramp`, the tax lines (depreciation by tax
year, taxable income, income tax, the net cash flow) from :mod:`dcplan.tco_tax_lines`. Every line is an
array of shape ``(n_cases, n_periods)``, vectorized over the cases of a tornado or Monte Carlo
batch (one row per case).
"""
from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np

from ._ts import did_you_mean
from .errors import InputError
from .tco_bill_parts import partial_fleet_bill
from .tco_electricity import HOURS_BY_CALENDAR_MONTH, price_years
from .tco_inputs import ECONOMIC_LIFE_YEARS, TcoInputs, _check, whole_months
from .tco_it_life import IT_RESIDUAL_LIFE_MAX_YEARS
from .tco_ramp import monthly_electricity, tranche_ramp
from .tco_tax_lines import disposal_losses, month_tax_rates, tax_depreciation, tax_lines
from .tco_tax_schedule import tax_year_lead_months

__all__ = ["LINES", "HOURS_PER_MONTH", "cash_flow_lines"]

#: Hours in a month of operation on average: a 365-day year / 12 = 730 h. The model gives each month
#: the hours of its calendar month in a 365-day year (:data:`dcplan.tco_electricity.HOURS_BY_CALENDAR_MONTH`:
#: 744 h in January, 672 h in February; leap days are not modelled: Feb 29 has no hours, revenue and
#: bill), as the bill and the IT energy follow calendar months of the typical year. [h]
HOURS_PER_MONTH = 8760.0 / 12.0

#: Rows of the cash-flow frame, in order, with (unit, category for the cost shares).
LINES = {
    "capex_it_usd": ("USD", "it_hardware"),
    "capex_facility_shell_usd": ("USD", "building"),
    "capex_facility_electrical_usd": ("USD", "power_and_cooling"),
    "capex_facility_mechanical_usd": ("USD", "power_and_cooling"),
    "capex_interconnection_usd": ("USD", "power_and_cooling"),
    "capex_pv_usd": ("USD", "power_and_cooling"),
    "capex_battery_usd": ("USD", "power_and_cooling"),
    "opex_electricity_usd": ("USD", "power_and_cooling"),
    "opex_maintenance_it_usd": ("USD", "it_hardware"),
    "opex_maintenance_facility_usd": ("USD", "power_and_cooling"),
    "opex_maintenance_pv_usd": ("USD", "power_and_cooling"),
    "opex_staff_usd": ("USD", "operations"),
    "opex_network_usd": ("USD", "operations"),
    "opex_water_usd": ("USD", "power_and_cooling"),
    "opex_sewer_usd": ("USD", "power_and_cooling"),
    "opex_insurance_usd": ("USD", "operations"),
    "opex_property_tax_usd": ("USD", "operations"),
    "residual_value_usd": ("USD", None),
    "total_capex_usd": ("USD", None),
    "total_opex_usd": ("USD", None),
    "total_cost_usd": ("USD", None),
    "revenue_usd": ("USD", None),
    "depreciation_usd": ("USD", None),
    "loss_on_disposal_usd": ("USD", None),
    "residual_tax_basis_usd": ("USD", None),
    "residual_gain_usd": ("USD", None),
    "taxable_income_usd": ("USD", None),
    "income_tax_usd": ("USD", None),
    "net_cash_flow_usd": ("USD", None),
    "gpu_hours": ("GPU-h", None),
    "it_energy_mwh": ("MWh", None),
    "tokens": ("tokens", None),
}


@dataclass(frozen=True)
class _Timeline:
    """The months of a batch of cases and the fleet's shares in them (arrays broadcast over cases).

    ``M = 12 H`` months, ``P`` months a period (1 or 12), ``T = M / P`` periods starting at month
    ``start`` (and ending before ``end``), in project year ``yidx + 1``; ``build`` the whole months
    of the build ``(n or 1, 1)``; ``ph`` the tranches' purchase months and fleet shares, ``inst_m``
    and ``run_m`` the installed and operating shares per month ``(n or 1, M)``, ``energy_m`` the
    share of the full build-out's IT energy operating and ``tokens_m`` the operating share weighted by
    tokens per GPU-second (``run_m`` both, unless the fleet has several hardware types:
    :func:`dcplan.tco_ramp.tranche_ramp`); ``ops`` the first month a GPU operates (``M``: none);
    ``fm`` the calendar month (0 = January) of the end of the build, None when undated; ``cal_build`` the
    inputs' own build, whole months, which puts the project start on the calendar (a case's other build is an
    overrun from the same start: :func:`dcplan.tco_ramp.tranche_ramp`).
    """

    n: int
    H: int
    P: int
    start: np.ndarray
    end: np.ndarray
    yidx: np.ndarray
    build: np.ndarray
    fm: int | None
    cal_build: float
    ph: list
    inst_m: np.ndarray
    run_m: np.ndarray
    ops: np.ndarray
    energy_m: np.ndarray
    tokens_m: np.ndarray

    @property
    def M(self) -> int:
        return 12 * self.H

    @property
    def T(self) -> int:
        return self.M // self.P

    def per(self, x: np.ndarray) -> np.ndarray:
        """Monthly ``(k, M)`` -> periods ``(k, T)`` (sums)."""
        return x if self.P == 1 else x.reshape(x.shape[0], self.T, self.P).sum(axis=2)

    def annual(self, x: np.ndarray) -> np.ndarray:
        """Periods ``(k, T)`` -> project years ``(k, H)`` (sums)."""
        return x if self.P == 12 else x.reshape(x.shape[0], self.H, 12).sum(axis=2)

    def by_year(self, rate) -> np.ndarray:
        """``(1 + rate) ** (project year - 1)`` of each period, ``(n, T)``."""
        return ((1.0 + rate) ** np.arange(self.H))[:, self.yidx]

    def years_from(self, month) -> np.ndarray:
        """Years (months / 12) of each period from ``month`` on, ``(n, T)``."""
        return np.clip(self.end - np.maximum(self.start, month), 0.0, self.P) / 12.0

    def hours(self, share: np.ndarray | None = None) -> np.ndarray:
        """Fleet-weighted hours operating per period: each month's operating share (``share``, default
        ``run_m``) times the hours of its calendar month (:data:`HOURS_BY_CALENDAR_MONTH`), ``(n, T)``."""
        share = self.run_m if share is None else share
        return self.per(share * monthly_electricity(HOURS_BY_CALENDAR_MONTH, self.M, self.build, self.fm,
                                                     calendar_build=self.cal_build))

    def seasonal(self, frac, share: np.ndarray | None = None) -> np.ndarray:
        """Fleet-weighted months operating per period (``share``, default ``run_m``), each weighted by
        12 x its calendar month's share ``frac`` of the typical year (None: a constant draw, the
        month's hours over 8,760 h), ``(n, T)``."""
        if frac is None:
            return self.hours(share) * (12.0 / 8760.0)
        share = self.run_m if share is None else share
        return self.per(share * monthly_electricity(12.0 * np.asarray(frac), self.M, self.build, self.fm,
                                                     calendar_build=self.cal_build))


def _case_params(inputs: TcoInputs, params: Mapping[str, np.ndarray] | None) -> tuple[dict, dict]:
    """The model inputs ``p`` (``inputs.params()`` with ``params`` replacing entries, checked) and
    the same as columns ``(n or 1, 1)``."""
    p = inputs.params()
    if params:
        for k, v in params.items():
            if k not in p:
                raise InputError(f"unknown input {k!r}{did_you_mean(k, list(p))}", field=k)
            _check(k, v)
            p[k] = v
    col = {k: np.asarray(v, dtype=float).reshape(-1, 1) for k, v in p.items()}
    return p, col


def _timeline(inputs: TcoInputs, col: dict, period_months: int) -> _Timeline:
    """The whole-month timeline and the fleet's installed and operating shares; refuses a horizon
    that ends before the fleet's first GPUs are bought."""
    n = max(c.shape[0] for c in col.values())
    H = inputs.horizon_years
    M, P = 12 * H, period_months
    start = np.arange(M // P) * P
    build = whole_months(col["build_months"])                         # rounded half up
    delay = col["delay_months"]    # as drawn: tranche_ramp rounds it, and dates a dated grid phase from it
    # tranche purchase months (n, 1), moved by the part of the delay the plan's slack does not absorb;
    # installed and operating (what the grid energized by then can power) shares per month (n, M), and
    # the operating IT energy and token shares (each tranche at its hardware's figures): dcplan.tco_ramp
    ramp = tranche_ramp(inputs, build, delay, M)
    ph, inst_m, run_m = ramp.starts, ramp.installed, ramp.operating
    first = ph[0][0]
    for s_k, _ in ph[1:]:
        first = np.minimum(first, s_k)
    if np.any(first >= M):
        raise InputError(f"operations start at month {float(first.max()):g} at the earliest (the fleet's first "
                         f"GPUs bought), after the {H}-year horizon", field="horizon_years")
    on = run_m > 1e-12             # operations (revenue, staff) from the first month a GPU operates (M: never)
    ops = np.where(on.any(axis=1, keepdims=True), on.argmax(axis=1)[:, None], M).astype(float)
    # model month m is the calendar month fleet_start - the inputs' own build + m (undated: month 0 is a January)
    fm = None if inputs.fleet_start is None else inputs.fleet_start.month - 1
    return _Timeline(n=n, H=H, P=P, start=start, end=start + P, yidx=start // 12, build=build, fm=fm,
                     cal_build=whole_months(inputs.params()["build_months"]),
                     ph=ph, inst_m=inst_m, run_m=run_m, ops=ops, energy_m=ramp.energy, tokens_m=ramp.tokens)


def _electricity(inputs: TcoInputs, electricity, col: dict, tl: _Timeline) -> np.ndarray:
    """``opex_electricity_usd``: the bill of each month's calendar month at full build-out at the share of
    the full build-out's IT energy operating (the share of the fleet operating unless it has several hardware
    types): with the bill's parts (``ElectricityByPvAge.parts``) its fixed charges and contract-demand floor in
    full from the first month a GPU operates, the rest scaled by the share
    (:func:`dcplan.tco_bill_parts.partial_fleet_bill`); without them the whole bill scaled (an
    energy-proportional approximation). Escalated from the bill's price month in 12-month steps (by project
    year without one: :func:`dcplan.tco_electricity.price_years`)."""
    bills = monthly_electricity(electricity, tl.M, tl.build, tl.fm, calendar_build=tl.cal_build)  # (1 or n, M)
    parts = getattr(electricity, "parts", None)
    billed = partial_fleet_bill(bills, tl.energy_m, parts,
                                lambda x: monthly_electricity(np.asarray(x, dtype=float), tl.M, tl.build, tl.fm,
                                                              calendar_build=tl.cal_build))
    esc = (1.0 + col["electricity_escalation_frac"]) ** price_years(inputs, tl.cal_build, tl.M)   # (1, M)
    return tl.per(billed * esc) * col["electricity_cost_mult"]


def _non_it_capex(inputs: TcoInputs, col: dict) -> tuple[dict, np.ndarray]:
    """The non-IT capex per asset class of :data:`ASSET_CLASSES` (IT aside), at year-1 prices, and
    the facility cost (shell + electrical + mechanical) ``(n or 1, 1)``. [USD]"""
    mw = inputs.it_capacity_kw / 1000.0
    fac = col["facility_usd_per_mw"] * mw
    shell = fac * col["facility_shell_frac"]
    elec_cap = (fac - shell) * col["facility_electrical_frac_of_critical"]
    mech = fac - shell - elec_cap
    inter = col["interconnection_usd_per_mw"] * mw
    pv = col["pv_usd_per_kw_dc"] * inputs.pv_kw_dc
    batt = col["battery_usd_per_kwh"] * inputs.battery_kwh
    non_it = {"facility_shell": shell, "facility_electrical": elec_cap,
              "facility_mechanical": mech, "interconnection": inter, "pv": pv, "battery": batt}
    return non_it, fac


def _build_spread(tl: _Timeline) -> np.ndarray:
    """Share of the non-IT capex spent in each period: evenly over the build (all in the first
    period without one), ``(n or 1, T)``."""
    return np.where(tl.build > 0, np.clip(np.minimum(tl.end, tl.build) - tl.start, 0.0, None)
                    / np.maximum(tl.build, 1.0), (tl.start == 0) * 1.0)


@dataclass(frozen=True)
class _ItPurchases:
    """The fleet's IT: ``unit_usd`` the whole fleet's IT at year-1 prices, ``capex_usd`` the purchases
    and refreshes per period ``(n, T)``, ``first_usd`` the first purchase of every tranche within the
    horizon ``(n, 1)``, ``residual_usd`` the straight-line value left at the horizon ``(n, 1)``,
    ``installed_m`` the IT installed in each month at the price it was bought for, as a share of
    ``unit_usd`` ``(n, M)`` (the installed share when the price does not change), and ``buys`` each
    purchase as ``(month, cost, disposed)`` ``(n, 1)`` each: its month, its cost (0 past the horizon)
    and the month the tranche's next purchase replaces it (``M``: held to the horizon)."""

    unit_usd: float | np.ndarray
    capex_usd: np.ndarray
    first_usd: np.ndarray
    residual_usd: np.ndarray
    installed_m: np.ndarray
    buys: list


def _it_purchases(inputs: TcoInputs, col: dict, tl: _Timeline) -> _ItPurchases:
    """Each tranche bought at its purchase month and again every ``it_refresh_years`` (whole months)
    at ``(1 + it_price_change_frac) ** (project year - 1)`` times the year-1 price. The residual of
    each tranche's last purchase is straight line over the IT's economic life, the refresh cycle but
    at most :data:`dcplan.tco_it_life.IT_RESIDUAL_LIFE_MAX_YEARS`."""
    n, M, P, T = tl.n, tl.M, tl.P, tl.T
    it_unit = inputs.n_accelerators * (col["server_usd_per_accelerator"]
                                       + col["network_usd_per_accelerator"]
                                       + col["storage_usd_per_accelerator"])
    refresh_m = np.maximum(whole_months(col["it_refresh_years"] * 12.0), 1.0)
    life_m = np.minimum(refresh_m, 12.0 * IT_RESIDUAL_LIFE_MAX_YEARS)        # economic life, for the residual
    mm = np.arange(M)[None, :]
    capex_it = np.zeros((n, T))
    it_first = np.zeros((n, 1))                                      # first buy of each tranche
    res_it = np.zeros((n, 1))
    installed = np.zeros((n, M))
    buys = []
    for s_k, frac in tl.ph:
        last_pm, last_cost = s_k.copy(), np.zeros((n, 1))
        k = 0
        while True:
            pm = s_k + k * refresh_m
            valid = pm < M
            if not valid.any():
                break
            price = (1.0 + col["it_price_change_frac"]) ** (pm // 12)
            cost = frac * it_unit * price * valid
            capex_it += cost * ((pm // P) == np.arange(T))
            # installed from its purchase until the tranche's next one, at what it was bought for
            installed = installed + frac * price * ((mm >= pm) & (mm < pm + refresh_m))
            nxt = pm + refresh_m
            buys.append((np.broadcast_to(pm, (n, 1)), np.broadcast_to(cost, (n, 1)),
                         np.broadcast_to(np.where(nxt < M, nxt, M), (n, 1))))
            if k == 0:
                it_first = it_first + cost
            last_pm = np.where(valid, pm, last_pm)
            last_cost = np.where(valid, cost, last_cost)
            k += 1
        res_it = res_it + last_cost * np.clip(1.0 - (M - last_pm) / life_m, 0.0, None)
    return _ItPurchases(it_unit, capex_it, it_first, res_it, installed, buys)


def _opex(inputs: TcoInputs, col: dict, tl: _Timeline, it: _ItPurchases, non_it: dict,
          fac) -> dict[str, np.ndarray]:
    """The opex lines but electricity, inflated by project year. IT maintenance and insurance and property
    tax on IT per installed tranche, on the price its installed IT was bought for (its first purchase or
    latest refresh, ``(1 + it_price_change_frac) ** (project year bought - 1)`` x the year-1 price: original
    cost, not depreciated); network per installed GPU; the rest at year-1 prices: water (supply on all the
    make-up, sewer on ``sewer_billed_frac`` of it) per operating share of the IT energy; the building and plant's maintenance, insurance and property tax from the end of the
    build (maintenance: ``maintenance_facility_frac`` of the facility, interconnection and battery capex,
    and ``pv_om_usd_per_kw_dc_year`` per kWdc of on-site PV, which includes the PV's insurance:
    ``insurance_frac`` is not charged on the PV capex); operations staff from the first month a GPU
    operates."""
    mw = inputs.it_capacity_kw / 1000.0
    infl = tl.by_year(col["inflation_frac"])
    dfrac = tl.per(tl.inst_m) / 12.0                                 # fleet-weighted years installed
    yfrac = tl.years_from(tl.ops)                                    # years operating
    # the finished building and plant, from the end of the build (insured, taxed and maintained
    # whether powered or not; in a grid delay they stand idle)
    bfrac = tl.years_from(tl.build)
    other_cap = fac + non_it["interconnection"] + non_it["pv"] + non_it["battery"]
    out = {}
    # fleet-weighted years installed, each tranche at the price its IT was bought for (x the year-1 price)
    ifrac = tl.per(it.installed_m) / 12.0
    out["opex_maintenance_it_usd"] = col["maintenance_it_frac"] * it.unit_usd * ifrac * infl
    # O&M of the building and plant: a share of the capex, but the on-site PV's per kWdc (its own
    # sourced figure, data/costs.csv pv_om_usd_per_kw_dc_year), both from the end of the build
    om_cap = fac + non_it["interconnection"] + non_it["battery"]
    out["opex_maintenance_facility_usd"] = col["maintenance_facility_frac"] * om_cap * bfrac * infl
    out["opex_maintenance_pv_usd"] = col["pv_om_usd_per_kw_dc_year"] * inputs.pv_kw_dc * bfrac * infl
    out["opex_staff_usd"] = col["staff_fte_per_mw"] * mw * col["staff_usd_per_fte"] * yfrac * infl
    out["opex_network_usd"] = (col["network_usd_per_accelerator_year"] * inputs.n_accelerators
                               * dfrac * infl)
    # water follows the typical year's calendar months (a constant draw when not given: days / 365): the
    # make-up water (evaporation + blowdown) at the supply price, and sewer on the share of it billed
    # (sewer_billed_frac: 1 on supply, the blowdown share 1 / tower_cycles on discharge, a winter average's
    # 12 x the winter months' mean share x the billed share: dcplan.tco_site_plant.site_sewer_billed), by
    # the months of sewer_month_frac when given (a winter average: the same bill every month), else the water's
    water_m3 = col["wue_l_per_kwh"] * inputs.it_energy_kwh / 1000.0
    water_year_m3 = water_m3 * tl.seasonal(inputs.water_month_frac, tl.energy_m) / 12.0 * infl
    out["opex_water_usd"] = water_year_m3 * col["water_usd_per_m3"]
    sewer_year_m3 = (water_year_m3 if inputs.sewer_month_frac is None
                     else water_m3 * tl.seasonal(inputs.sewer_month_frac, tl.energy_m) / 12.0 * infl)
    out["opex_sewer_usd"] = sewer_year_m3 * float(inputs.sewer_billed_frac) * col["sewer_usd_per_m3"]
    # insured / taxed value: the building and plant from the end of the build (year-1 prices), the IT of
    # each phase once it is installed (as IT maintenance), at the price it was bought for: original cost,
    # not depreciated (conservative: personal-property tax is usually on a depreciated value)
    cap_years = it.unit_usd * ifrac + other_cap * bfrac
    # the on-site PV's insurance is in its O&M figure (pv_om_usd_per_kw_dc_year, NREL ATB: "insurance
    # products"): insurance_frac is charged on the other capex only, not the PV's a second time
    out["opex_insurance_usd"] = col["insurance_frac"] * (cap_years - non_it["pv"] * bfrac) * infl
    out["opex_property_tax_usd"] = col["property_tax_frac"] * cap_years * infl
    return out


def _residual_by_class(tl: _Timeline, non_it: dict, res_it: np.ndarray) -> dict[str, np.ndarray]:
    """Value left at the end of the horizon per asset class (straight line over the economic life
    from the end of the build; IT: over its refresh cycle, at most
    :data:`dcplan.tco_it_life.IT_RESIDUAL_LIFE_MAX_YEARS`, from its last purchase; :func:`_it_purchases`). [USD]"""
    res_by = {"it": res_it}
    for key, amt in non_it.items():
        res_by[key] = amt * np.clip(1.0 - (tl.M - tl.build) / (12.0 * ECONOMIC_LIFE_YEARS[key]), 0.0, None)
    return res_by


def _output(inputs: TcoInputs, col: dict, tl: _Timeline) -> dict[str, np.ndarray]:
    """Revenue, GPU-hours sold, IT energy and tokens per period, per operating share (IT energy and tokens:
    each tranche's GPUs at their hardware's IT energy per GPU-hour and tokens per second, ``TcoInputs.phase_mix``);
    the hours of a month are those of its calendar month in a 365-day year (8,760 h in every 12 months; leap days
    are not modelled: Feb 29 has no hours, revenue and bill)."""
    n, T = tl.n, tl.T
    sold_h = inputs.n_accelerators * col["utilization_frac"] * tl.hours()
    return {
        "revenue_usd": sold_h * col["revenue_usd_per_gpu_h"] * tl.by_year(col["revenue_escalation_frac"]),
        "gpu_hours": np.broadcast_to(sold_h, (n, T)).copy(),
        # IT energy follows the typical year's calendar months (a constant draw when not given: days / 365)
        "it_energy_mwh": np.broadcast_to(inputs.it_energy_kwh / 1000.0 / 12.0
                                         * tl.seasonal(inputs.it_energy_month_frac, tl.energy_m), (n, T)).copy(),
        "tokens": (sold_h if tl.tokens_m is tl.run_m else inputs.n_accelerators * col["utilization_frac"]
                   * tl.hours(tl.tokens_m)) * 3600.0 * col["tokens_per_s_per_accelerator"],
    }


def _add_totals(out: dict, tl: _Timeline) -> None:
    """Broadcast the capex and opex lines to ``(n, T)`` and add their totals and the total cost."""
    cap_keys = [k for k in LINES if k.startswith("capex_")]
    opex_keys = [k for k in LINES if k.startswith("opex_")]
    for k in cap_keys + opex_keys:
        out[k] = np.broadcast_to(out[k], (tl.n, tl.T)).astype(float, copy=True)
    out["total_capex_usd"] = sum(out[k] for k in cap_keys)
    out["total_opex_usd"] = sum(out[k] for k in opex_keys)
    out["total_cost_usd"] = out["total_capex_usd"] + out["total_opex_usd"] - out["residual_value_usd"]


def cash_flow_lines(inputs: TcoInputs, electricity, params: Mapping[str, np.ndarray] | None,
                    period_months: int, tax_rate_range=None) -> dict[str, np.ndarray]:
    """Every line of :data:`LINES` ``(n, T)`` (:func:`dcplan.tco.evaluate`), plus
    ``capex_initial_usd`` ``(n,)``: non-IT capex and the first purchase of every IT tranche within
    the horizon (no refreshes) [USD], ``residual_sale_cash_usd`` ``(n, T)``: the part of
    ``net_cash_flow_usd`` that is the sale at the residual value at the horizon (its price in the last
    period, less the tax on its gain, paid over year ``H`` as the year's tax is) [USD],
    ``operations_start_month`` ``(n,)``: the first month a GPU operates (``12 H``: none) [months],
    ``waiting_for_power_gpu_months`` ``(n,)``: GPU-months installed but not powered [GPU-months], and
    ``depreciation_tranches``: each purchase's tax depreciation (a list of
    :class:`dcplan.tco_depreciation_table.DepreciationTranche`, summing to the tax years of ``depreciation_usd``
    plus ``loss_on_disposal_usd``; the finance export's Depreciation sheet). ``tax_rate_range``: the
    ``(low, high)`` a schedule's shift stops at (:func:`dcplan.tco_tax_lines.month_tax_rates`)."""
    if period_months not in (1, 12):
        raise InputError(f"must be 1 or 12, got {period_months!r}", field="period_months")
    p, col = _case_params(inputs, params)
    tl = _timeline(inputs, col, period_months)
    n, T, P = tl.n, tl.T, tl.P
    out: dict[str, np.ndarray] = {"opex_electricity_usd": _electricity(inputs, electricity, col, tl)}
    non_it, fac = _non_it_capex(inputs, col)
    spread = _build_spread(tl)
    for key, amt in non_it.items():
        out[f"capex_{key}_usd"] = amt * spread
    it = _it_purchases(inputs, col, tl)
    out["capex_it_usd"] = it.capex_usd
    out.update(_opex(inputs, col, tl, it, non_it, fac))
    res = sum(_residual_by_class(tl, non_it, it.residual_usd).values())
    residual = np.zeros((n, T))
    residual[:, -1:] = res
    out["residual_value_usd"] = residual
    out.update(_output(inputs, col, tl))
    _add_totals(out, tl)
    # the owner's tax years: the project years (lead 0), or from tax_year_start_month (dcplan.tco_tax_schedule)
    lead = tax_year_lead_months(inputs)
    dep, left, tranches, mq_share = tax_depreciation(inputs, p, tl, it.buys, non_it, lead)
    rate_m = month_tax_rates(inputs, col, tax_rate_range)
    gain = tax_lines(out, col, tl, dep, left, res, rate_m, lead, disposal_losses(tranches, dep))
    # the cash of the residual sale at the horizon: its price in the last period less the tax on its
    # gain (a loss: a saving), paid as the year's tax is (1/12 a month of year H); paybacks leave it out
    sale = np.zeros((n, T))
    sale[:, -1:] += res
    k = lead or 12                                                   # the months of the sale's tax year
    g = (col["tax_rate_frac"] if rate_m is None else rate_m[:, -k:]) * np.broadcast_to(gain / k, (n, k))
    sale[:, -(k // P or 1):] -= g if P == 1 else g.sum(axis=1, keepdims=True)
    out["residual_sale_cash_usd"] = sale
    out["capex_initial_usd"] = (sum(non_it.values()) + it.first_usd)[:, 0]
    out["depreciation_tranches"] = tranches
    out["mid_quarter_share"] = mq_share    # (n, Y): each tax year's IRC 168(d)(3) test share (NaN: none placed)
    out["operations_start_month"] = np.broadcast_to(tl.ops, (n, 1))[:, 0].copy()   # M: no GPU operates
    # GPU-months installed but not powered (waiting for grid capacity), per case
    out["waiting_for_power_gpu_months"] = np.broadcast_to(
        inputs.n_accelerators * (tl.inst_m - tl.run_m).sum(axis=1), (n,)).copy()
    return out
