"""On-site battery: threshold peak-shaving dispatch and sizing (part of ``dcplan.grid``).

Dispatch rule (a simple, documented threshold controller, not an optimiser). For
each interval of length :math:`\\Delta t` [h], with load :math:`L`, target
:math:`T` (the contracted capacity, or a monthly demand target), power limit
:math:`P` and state of charge :math:`S` (usable kWh stored):

.. math::

    d &= \\min(\\max(L - T, 0),\\ P,\\ (S - S_{min})\\,\\eta_d / \\Delta t)\\\\
    c &= \\min(\\max(T - L, 0),\\ P,\\ (S_{max} - S) / (\\eta_c\\,\\Delta t))\\\\
    S' &= S + c\\,\\eta_c\\,\\Delta t - d\\,\\Delta t / \\eta_d\\\\
    grid &= L - d + c

i.e. discharge whatever the load exceeds the target, recharge with whatever room is
left under the target, never charging and discharging in the same interval. The
round-trip efficiency is split evenly, :math:`\\eta_c = \\eta_d = \\sqrt{\\eta_{rt}}`.
Losses are :math:`c\\,\\Delta t\\,(1-\\eta_c) + d\\,\\Delta t\\,(1/\\eta_d - 1)`, so the
energy balance :math:`\\sum c\\Delta t - \\sum d\\Delta t = S_{end} - S_0 + losses`
holds by construction (:func:`energy_balance` checks it).

Because charging stops at the target, the battery never raises the grid import
above the target; it only fails to hold it when power or energy runs out.

PV surplus. :math:`L` is the net load behind the meter (facility − PV) and may be
negative (PV above the facility load). Then :math:`T - L` is the PV surplus plus the
room under the target, so the battery charges from the surplus first and from the grid
only for the rest: :math:`grid = L + c` stays negative (PV spilled) while
:math:`c < -L`. A battery never exports: discharge needs :math:`L > T \\ge 0` and is at
most :math:`L - T`. Do not clip :math:`L` at 0 before dispatch: the battery would then
be charged from the grid in hours that in fact spill PV.

Repeating year (``soc_initial_frac="cyclic"``). A typical year that stands for every
year of operation must start with the SoC it ends with, or the battery gets (or
gives) energy for free. Each interval maps the SoC through a clamped shift,
:math:`S' = \\min(\\max(S + k_i, S_{min}), S_{max})` with :math:`k_i = -\\min(L-T, P)\\,
\\Delta t/\\eta_d` when discharging, :math:`+\\min(T-L, P)\\,\\eta_c\\Delta t` when
charging, independent of :math:`S`. Clamped shifts compose into a clamped shift, so the
year maps the starting SoC :math:`S_0` to

.. math::

    f(S_0) = \\min(\\max(S_0 + K, S_{lo}), S_{hi}),\\qquad K = \\textstyle\\sum_i k_i,

(monotone, non-expansive), found in one pass over the year (:func:`_year_map`). Its
fixed point is :math:`S_{hi} = f(S_{max})`, where a full start ends the year, when
:math:`K \\ge 0`, and :math:`S_{lo} = f(S_{min})`, where an empty start ends it, when
:math:`K < 0`; with :math:`K = 0` every SoC in :math:`[S_{lo}, S_{hi}]` repeats and the
highest is taken. This is always the highest fixed point, the limit of repeating the
year from full, found exactly (no iteration, up to float rounding) at the cost of one
extra pass. :func:`demand_targets_kw` picks targets such a repeating year holds.

The state loop is compiled with numba; :func:`_dispatch_py` is the plain-Python
baseline used by the benchmark.
"""
from __future__ import annotations

import math

import numpy as np
import pandas as pd
from numba import njit

from ._ts import interval_start, step_s
from .errors import InputError
from .power import energy_from_power
from .specs.interconnection import BATTERY_ROUND_TRIP_EFF_FRAC

__all__ = ["peak_shave", "energy_balance", "demand_targets_kw", "battery_energy_needed_kwh",
           "battery_energy_repeating_year", "battery_idle_reason"]


def _dispatch_impl(load, target, p_max, soc_min, soc_max, soc0, eta_c, eta_d, dt_h):
    n = load.shape[0]
    charge = np.zeros(n)
    discharge = np.zeros(n)
    soc = np.zeros(n)
    s = soc0
    for i in range(n):
        gap = load[i] - target[i]
        if gap > 0.0:
            d = min(gap, p_max, max(s - soc_min, 0.0) * eta_d / dt_h)
            discharge[i] = d
            s = s - d * dt_h / eta_d
        elif gap < 0.0:
            c = min(-gap, p_max, max(soc_max - s, 0.0) / (eta_c * dt_h))
            charge[i] = c
            s = s + c * eta_c * dt_h
        if s < soc_min:  # rounding only
            s = soc_min
        elif s > soc_max:
            s = soc_max
        soc[i] = s
    return charge, discharge, soc


_dispatch = njit(cache=True)(_dispatch_impl)
#: Plain-Python baseline of the compiled dispatch loop (benchmark).
_dispatch_py = _dispatch_impl

#: ``soc_initial_frac`` value asking for a repeating year.
CYCLIC = "cyclic"


@njit(cache=True)
def _year_map(load, target, p_max, soc_min, soc_max, eta_c, eta_d, dt_h):
    # the year's SoC map f(s) = min(max(s + shift, lo), hi), composed interval by interval
    # (each interval is s -> min(max(s + k, soc_min), soc_max), k independent of s; see
    # the module docstring); also returns sum |k| to scale the rounding of shift
    shift = 0.0
    moved = 0.0
    lo = soc_min
    hi = soc_max
    for i in range(load.shape[0]):
        gap = load[i] - target[i]
        if gap > 0.0:
            k = -min(gap, p_max) * dt_h / eta_d
        elif gap < 0.0:
            k = min(-gap, p_max) * eta_c * dt_h
        else:
            continue
        shift += k
        moved += abs(k)
        lo = min(max(lo + k, soc_min), soc_max)
        hi = min(max(hi + k, soc_min), soc_max)
    return shift, lo, hi, moved


def _cyclic_soc(load, target, p_max, soc_min, soc_max, eta_c, eta_d, dt_h) -> float:
    """Highest starting SoC that the year returns to (module docstring). [kWh]

    A net shift within ``1e-12`` of the energy moved (``sum |k|``) counts as zero, so a
    year that balances exactly is not sent to its bottom fixed point by the rounding of
    the sum (typically ~1e-16 * sqrt(n) of it); the year then ends at most that far from
    where it started.
    """
    shift, lo, hi, moved = _year_map(load, target, p_max, soc_min, soc_max, eta_c, eta_d, dt_h)
    return float(hi if shift >= -1e-12 * moved else lo)


@njit(cache=True)
def _energy_needed(excess, headroom, p, eta_c, eta_d, dt_h, d0=0.0):
    # Lindley recursion: energy drawn below full, recharged as fast as the limit allows,
    # from an initial deficit d0; returns (largest deficit, deficit at the end)
    deficit = d0
    worst = d0
    for i in range(excess.shape[0]):
        deficit = deficit + excess[i] * dt_h / eta_d - min(p, headroom[i]) * dt_h * eta_c
        if deficit < 0.0:
            deficit = 0.0
        if deficit > worst:
            worst = deficit
    return worst, deficit


def battery_energy_needed_kwh(excess_kw, headroom_kw, power_kw: float,
                              round_trip_eff_frac: float = BATTERY_ROUND_TRIP_EFF_FRAC,
                              dt_h: float = 1.0) -> float:
    """Smallest usable energy that serves every excess, starting full.

    ``D_t = max(0, D_{t-1} + excess_t dt / eta_d - min(P, headroom_t) dt eta_c)``;
    the answer is ``max_t D_t`` (a battery this size, charged whenever there is
    headroom under the limit, never runs empty). [kWh]

    ``excess_kw`` and ``headroom_kw`` are per-interval arrays of one length, finite and
    >= 0; ``dt_h`` is their step in hours (0.25 for 15-minute data). [kW, h]
    """
    return float(_energy_needed(*_needed_args(excess_kw, headroom_kw, power_kw, round_trip_eff_frac, dt_h))[0])


def _needed_args(excess_kw, headroom_kw, power_kw, round_trip_eff_frac, dt_h) -> tuple:
    """Checked positional arguments of :func:`_energy_needed` (without ``d0``)."""
    if not 0 < round_trip_eff_frac <= 1:
        raise InputError(f"must be in (0, 1], got {round_trip_eff_frac}", field="round_trip_eff_frac")
    for name, v in (("power_kw", power_kw), ("dt_h", dt_h)):
        if not np.isfinite(v) or v <= 0:
            raise InputError(f"must be > 0, got {v}", field=name)
    excess = np.ascontiguousarray(excess_kw, dtype=float)
    headroom = np.ascontiguousarray(headroom_kw, dtype=float)
    if excess.ndim != 1 or headroom.shape != excess.shape:
        raise InputError(f"excess_kw {excess.shape} and headroom_kw {headroom.shape} must be 1-D, "
                         "one value per interval", field="headroom_kw")
    for name, a in (("excess_kw", excess), ("headroom_kw", headroom)):
        bad = ~np.isfinite(a) | (a < 0)
        if bad.any():
            raise InputError(f"must be finite and >= 0, got {a[bad][0]} at position {int(np.argmax(bad))}",
                             field=name)
    eta = math.sqrt(round_trip_eff_frac)
    return excess, headroom, float(power_kw), eta, eta, float(dt_h)


def battery_energy_repeating_year(excess_kw, headroom_kw, power_kw: float,
                                  round_trip_eff_frac: float = BATTERY_ROUND_TRIP_EFF_FRAC,
                                  dt_h: float = 1.0) -> tuple[float, bool]:
    """:func:`battery_energy_needed_kwh` for a year that repeats: ``(energy_kwh, sustainable)``.

    The deficit at the end of one year, ``d1``, is where the next year starts, so the
    energy needed is the largest deficit of a second pass from ``d1`` (more than the first
    pass's when the year ends in a shortfall that only next year's headroom repays). The
    recursion's year map is ``f(d) = max(d + S, f(0))``, ``S`` = the year's energy drawn
    (``sum excess dt / eta_d``) less the most it can recharge (``sum min(P, headroom) dt
    eta_c``): with ``S > 0`` the deficit grows every year and no battery suffices
    (``sustainable`` False; the energy returned is then the first year's, starting full).
    """
    args = _needed_args(excess_kw, headroom_kw, power_kw, round_trip_eff_frac, dt_h)
    e1, d1 = _energy_needed(*args)
    w2, d2 = _energy_needed(*args, d1)
    tol = 1e-9 * max(1.0, float(args[0].sum() * dt_h))
    if d2 > d1 + tol:
        return float(e1), False
    return float(max(e1, w2)), True


def _check_battery(power_kw, energy_kwh, round_trip_eff_frac, soc_min_frac, soc_max_frac,
                   soc_initial_frac=None) -> float | str:
    """Check the battery arguments; return the start: a fraction, or :data:`CYCLIC`.

    ``soc_initial_frac`` None means full (``soc_max_frac``).
    """
    for name, v in (("power_kw", power_kw), ("energy_kwh", energy_kwh), ("round_trip_eff_frac", round_trip_eff_frac),
                    ("soc_min_frac", soc_min_frac), ("soc_max_frac", soc_max_frac)):
        # a string ("100") failed inside numpy with a TypeError, and True read as 1.0 (a lossless battery)
        if isinstance(v, (bool, np.bool_)) or not isinstance(v, (int, float, np.number)):
            raise InputError(f"must be a number, got {v!r} ({type(v).__name__})", field=name)
    for name, v in (("power_kw", power_kw), ("energy_kwh", energy_kwh)):
        if not np.isfinite(v) or v <= 0:
            raise InputError(f"must be > 0, got {v}", field=name)
    if not 0 < round_trip_eff_frac <= 1:
        raise InputError(f"must be in (0, 1], got {round_trip_eff_frac}", field="round_trip_eff_frac")
    if not 0 <= soc_min_frac < soc_max_frac <= 1:
        raise InputError(f"need 0 <= soc_min_frac < soc_max_frac <= 1, got {soc_min_frac}, {soc_max_frac}",
                         field="soc_min_frac")
    if soc_initial_frac is None:
        return soc_max_frac
    allowed = (f"a number within [soc_min_frac, soc_max_frac] = [{soc_min_frac}, {soc_max_frac}] "
               f"or {CYCLIC!r} (a repeating year)")
    if isinstance(soc_initial_frac, str):
        if soc_initial_frac != CYCLIC:
            raise InputError(f"must be {allowed}, got {soc_initial_frac!r}", field="soc_initial_frac")
        return CYCLIC
    # True would read as 1.0 (full): refuse it rather than guess "cyclic" was meant
    if isinstance(soc_initial_frac, (bool, np.bool_)) or not isinstance(soc_initial_frac, (int, float, np.number)) \
            or not soc_min_frac <= soc_initial_frac <= soc_max_frac:
        raise InputError(f"must be {allowed}, got {soc_initial_frac!r}", field="soc_initial_frac")
    return float(soc_initial_frac)


def _load_array(load_kw: pd.Series) -> tuple[np.ndarray, float]:
    dt_h = step_s(load_kw, "load_kw") / 3600.0
    arr = load_kw.to_numpy(dtype=float)
    if np.any(~np.isfinite(arr)):
        raise InputError(f"NaN or inf at {load_kw.index[~np.isfinite(arr)][0]}", field="load_kw")
    return np.ascontiguousarray(arr), dt_h


def peak_shave(load_kw: pd.Series, target_kw, *, power_kw: float, energy_kwh: float,
               round_trip_eff_frac: float = BATTERY_ROUND_TRIP_EFF_FRAC, soc_min_frac: float = 0.0,
               soc_max_frac: float = 1.0, soc_initial_frac: float | str | None = None) -> pd.DataFrame:
    """Threshold peak-shaving dispatch of a battery (module docstring for the rule).

    Parameters
    ----------
    load_kw : pandas.Series
        Net load behind the meter (facility − PV), negative in hours of PV surplus (the
        battery charges from it; do not clip at 0); tz-aware, fixed step. [kW]
    target_kw : float, ndarray or Series
        Import limit to hold: the contracted capacity, or a demand target
        (:func:`demand_targets_kw`). [kW]
    power_kw : float
        Charge and discharge limit (AC). [kW]
    energy_kwh : float
        Energy capacity; SoC is kept within ``[soc_min_frac, soc_max_frac] * energy_kwh``. [kWh]
    round_trip_eff_frac : float, default 0.85
        AC round-trip efficiency, NREL Annual Technology Baseline. [-]
    soc_min_frac, soc_max_frac : float, default 0 and 1
        State-of-charge limits. [-]
    soc_initial_frac : float or "cyclic", optional
        Starting SoC; default ``soc_max_frac`` (full), the start of a first year.
        ``"cyclic"``: a repeating (steady-state) year, which starts with the SoC it ends
        with, the highest such SoC (module docstring), so a typical year that stands for
        every year of operation gets no free energy from the battery. [-]

    Returns
    -------
    pandas.DataFrame
        ``load_kw, target_kw, charge_kw, discharge_kw, grid_kw`` (= load − discharge
        + charge), ``soc_kwh`` (end of interval), ``loss_kwh`` (per interval) and
        ``over_target_kw`` (grid above target the battery could not remove).
        ``attrs``: ``soc_initial_kwh`` (start of the first interval), ``soc_end_kwh``
        (end of the last; equals ``soc_initial_kwh`` up to float rounding when cyclic)
        and ``soc_initial_frac`` (as asked: a fraction or ``"cyclic"``). [kWh]
    """
    start = _check_battery(power_kw, energy_kwh, round_trip_eff_frac, soc_min_frac, soc_max_frac,
                           soc_initial_frac)
    load, dt_h = _load_array(load_kw)
    if isinstance(target_kw, pd.Series):
        if not target_kw.index.equals(load_kw.index):
            raise InputError("must share the load_kw index", field="target_kw")
        target = target_kw.to_numpy(dtype=float)
    else:
        target = np.broadcast_to(np.asarray(target_kw, dtype=float), load.shape).astype(float)
    if target.shape != load.shape or np.any(~np.isfinite(target)) or np.any(target < 0):
        raise InputError("must be finite, >= 0 and one value per interval", field="target_kw")
    target = np.ascontiguousarray(target)
    eta = math.sqrt(round_trip_eff_frac)
    args = (load, target, float(power_kw), soc_min_frac * energy_kwh, soc_max_frac * energy_kwh)
    soc0 = _cyclic_soc(*args, eta, eta, dt_h) if start == CYCLIC else start * energy_kwh
    c, d, soc = _dispatch(*args, soc0, eta, eta, dt_h)
    grid = load - d + c
    loss = c * dt_h * (1.0 - eta) + d * dt_h * (1.0 / eta - 1.0)
    out = pd.DataFrame({"load_kw": load, "target_kw": target, "charge_kw": c, "discharge_kw": d,
                        "grid_kw": grid, "soc_kwh": soc, "loss_kwh": loss,
                        "over_target_kw": np.maximum(grid - target, 0.0)}, index=load_kw.index)
    out.attrs.update(soc_initial_kwh=soc0, soc_end_kwh=float(soc[-1]),
                     soc_initial_frac=CYCLIC if start == CYCLIC else start)
    return out


def energy_balance(result: pd.DataFrame, soc_initial_kwh: float | None = None) -> dict:
    """Energy balance of a :func:`peak_shave` result.

    ``charged - discharged = (soc_end - soc_initial) + losses``; returns each term
    and ``residual_kwh`` (zero up to float rounding). For a repeating year
    (``soc_initial_frac="cyclic"``) ``soc_change_kwh`` is zero up to float rounding, so
    the grid pays for exactly the losses. [kWh]
    """
    s0 = result.attrs.get("soc_initial_kwh") if soc_initial_kwh is None else soc_initial_kwh
    charged = float(energy_from_power(result["charge_kw"]).sum())
    discharged = float(energy_from_power(result["discharge_kw"]).sum())
    d_soc = float(result["soc_kwh"].iloc[-1] - s0)
    losses = float(result["loss_kwh"].sum())
    return {"charged_kwh": charged, "discharged_kwh": discharged, "soc_change_kwh": d_soc,
            "losses_kwh": losses, "residual_kwh": charged - discharged - d_soc - losses}


def battery_idle_reason(battery, dispatch: pd.DataFrame | None) -> tuple[str, str]:
    """Why a site's battery never discharges over the dispatched year, and what would use it:
    ``(what, fix)``, two sentences without their full stop; ``("", "")`` when there is no battery or
    dispatch, or it discharges.

    ``battery``: a site's ``interconnection.battery`` (:class:`dcplan.specs.interconnection.BatterySpec`);
    ``dispatch``: its :func:`peak_shave` frame (``load_kw``, ``target_kw``, ``discharge_kw`` [kW]), as
    :func:`dcplan.grid.battery_dispatch` and the site chain (``SiteYear.battery``) give it. With
    ``target: contract`` the battery only shaves the grid draw above the contracted capacity, so a load
    behind the meter that never reaches it leaves the battery idle: its losses are 0 and the peaks as
    without it. The interconnection notebook prints these words; :func:`dcplan.tco_notes.battery_idle_note`
    says the same with the cost the TCO pays for it.
    """
    if battery is None or dispatch is None or float(dispatch["discharge_kw"].max()) > 0.0:
        return "", ""
    load, target = float(dispatch["load_kw"].max()), float(dispatch["target_kw"].min())
    name = (f"The site's battery (interconnection.battery: {battery.power_mw:g} MW / {battery.energy_mwh:g} MWh, "
            f"target: {battery.target})")
    if battery.target == "contract":
        why = (f"it holds the grid draw to the contracted capacity, {target:,.0f} kW, and the load behind the meter "
               f"(facility less on-site PV) peaks at {load:,.0f} kW, below it, so it never has a peak to shave")
        fix = ("target: demand (shave each month's peak, cutting the demand charges) would use it; or leave the "
               "battery out")
    else:
        why = "no monthly peak of the load behind the meter is one it can lower"
        fix = "a battery of another size, or none, would suit this load"
    return f"{name} never discharges over the typical year: {why}", fix


def demand_targets_kw(load_kw: pd.Series, *, power_kw: float, energy_kwh: float,
                      round_trip_eff_frac: float = BATTERY_ROUND_TRIP_EFF_FRAC, soc_min_frac: float = 0.0,
                      soc_max_frac: float = 1.0, tol_kw: float | None = None,
                      soc_initial_frac: float | str | None = None) -> pd.Series:
    """Lowest monthly peak the threshold dispatch can hold (demand-charge target).

    Months (by interval start) are processed in order; within each, the target is
    found by bisection between ``max(load) - power_kw`` and ``max(load)``: the
    lowest target for which :func:`peak_shave` keeps the grid at or below it,
    starting from the SoC the previous month left. Perfect foresight within the
    month, no demand-charge price optimisation.

    Parameters
    ----------
    load_kw : pandas.Series
        Net load behind the meter (facility − PV, may be negative); tz-aware, fixed step. [kW]
    power_kw, energy_kwh, round_trip_eff_frac, soc_min_frac, soc_max_frac
        As :func:`peak_shave`. [kW, kWh, -, -, -]
    tol_kw : float, optional
        Bisection tolerance; default ``1e-6 * max |load|``. [kW]
    soc_initial_frac : float or "cyclic", optional
        SoC the first month starts from; default ``soc_max_frac`` (full). ``"cyclic"``:
        targets for a repeating year, to pass to :func:`peak_shave` with
        ``soc_initial_frac="cyclic"``; the SoC carried into January is what December
        ends with. Each month's target is then the lowest for which the repeating-year
        dispatch of the whole series, with the months before it at their chosen targets
        and the months after it not yet shaved (target = their own peak), holds every
        target. A month's target changes the SoC every other month starts with (through
        the year's wrap-around), so the test covers the whole series; it is monotone in
        the target (a higher target never lowers the SoC anywhere), so bisection applies,
        and the last month's test is the final dispatch: the repeating year holds all
        the targets returned. Because the months are fixed in order, the last month
        (December, for a calendar year) gets only what is left: January's target was
        fixed from the charge the year starts with, so December must end the year as
        charged as it began, and its peak reduction can be far below the others', or not,
        depending on the load and the battery (the interconnection notebook prints a site's
        December reduction against its other months'; no figures here, as they move with
        the load model). [-]

    Returns
    -------
    pandas.Series
        ``target_kw`` per interval (constant within each month), to pass to :func:`peak_shave`.
        ``attrs["soc_initial_kwh"]``: the SoC the first month starts from (cyclic: the
        repeating year's, as :func:`peak_shave` finds it). [kW, kWh]
    """
    start = _check_battery(power_kw, energy_kwh, round_trip_eff_frac, soc_min_frac, soc_max_frac,
                           soc_initial_frac)
    load, dt_h = _load_array(load_kw)
    month = interval_start(load_kw.index).tz_localize(None).to_period("M")
    codes, _ = pd.factorize(month)
    eta = math.sqrt(round_trip_eff_frac)
    lo_s, hi_s = soc_min_frac * energy_kwh, soc_max_frac * energy_kwh
    if tol_kw is not None and not (np.isfinite(tol_kw) and tol_kw > 0):
        # NaN or inf ended the bisection at once (no shaving); 0 or below never ended it
        raise InputError(f"must be > 0, got {tol_kw}", field="tol_kw")
    tol = max(1e-6 * float(np.max(np.abs(load))), 1e-9) if tol_kw is None else tol_kw
    months = [np.flatnonzero(codes == m) for m in range(codes.max() + 1)]
    bat = (float(power_kw), lo_s, hi_s)
    out = np.empty_like(load)
    if start == CYCLIC:
        for sel in months:
            out[sel] = load[sel].max()        # months not yet shaved
        for sel in months:
            def holds(t, sel=sel):
                out[sel] = t
                s0 = _cyclic_soc(load, out, *bat, eta, eta, dt_h)
                c, d, _ = _dispatch(load, out, *bat, s0, eta, eta, dt_h)
                return np.max(load - d + c - out) <= 1e-9
            out[sel] = _lowest_target(load[sel], float(power_kw), tol, holds)
        soc0 = _cyclic_soc(load, out, *bat, eta, eta, dt_h)
    else:
        soc0 = soc = start * energy_kwh
        for sel in months:
            x = np.ascontiguousarray(load[sel])

            def holds(t, x=x, soc=soc):
                c, d, _ = _dispatch(x, np.full(len(x), t), *bat, soc, eta, eta, dt_h)
                return np.max(x - d + c) <= t + 1e-9
            out[sel] = best = _lowest_target(x, float(power_kw), tol, holds)
            soc = float(_dispatch(x, np.full(len(x), best), *bat, soc, eta, eta, dt_h)[2][-1])
    t = pd.Series(out, index=load_kw.index, name="target_kw")
    t.attrs["soc_initial_kwh"] = float(soc0)
    return t


def _lowest_target(x: np.ndarray, power_kw: float, tol: float, holds) -> float:
    """Bisection of :func:`demand_targets_kw` for one month: lowest ``t`` with ``holds(t)``."""
    hi = max(float(x.max()), 0.0)   # a month of net export (PV surplus throughout): target 0
    lo = max(hi - power_kw, 0.0)
    best = hi
    while hi - lo > tol:
        mid = 0.5 * (lo + hi)
        if not lo < mid < hi:  # a tol_kw below the float spacing of the load
            break
        if holds(mid):
            best, hi = mid, mid
        else:
            lo = mid
    return best
