"""Capacity check: facility power against contracted capacity (part of ``dcplan.grid``).

Hours and energy over the limit, the peak excess, the events, and the sizing of each
remedy: curtail flexible load, an on-site battery, on-site generation.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from ._ts import step_s
from .errors import InputError
from .grid_battery import battery_energy_repeating_year
from .power import energy_from_power
from .specs.interconnection import (BATTERY_DURATION_RANGE_H, BATTERY_POWER_MAX_FRAC_OF_CONTRACT,
                                   BATTERY_ROUND_TRIP_EFF_FRAC)

__all__ = ["capacity_check", "CapacityCheck", "battery_fix_note", "battery_note"]

def _runs(mask: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Start positions and lengths of contiguous True runs."""
    m = np.concatenate(([False], mask.astype(bool), [False]))
    d = np.diff(m.astype(np.int8))
    starts = np.flatnonzero(d == 1)
    ends = np.flatnonzero(d == -1)
    return starts, ends - starts


@dataclass(frozen=True)
class CapacityCheck:
    """Result of :func:`capacity_check` (energies in kWh, powers in kW, durations in h)."""

    excess_kw: pd.Series
    hours_over_h: float
    energy_over_kwh: float
    peak_excess_kw: float
    events: int
    longest_event_h: float
    options: pd.DataFrame

    def summary(self) -> pd.Series:
        """One-column table of the headline figures."""
        return pd.Series({"hours_over_h": self.hours_over_h, "energy_over_mwh": self.energy_over_kwh / 1000,
                          "peak_excess_kw": self.peak_excess_kw, "events": self.events,
                          "longest_event_h": self.longest_event_h})


def _as_aligned(x, index: pd.DatetimeIndex, name: str) -> np.ndarray:
    if isinstance(x, pd.Series):
        if not x.index.equals(index):
            raise InputError("must share the facility_kw index", field=name)
        arr = x.to_numpy(dtype=float)
    else:
        arr = np.broadcast_to(np.asarray(x, dtype=float), (len(index),)) if np.ndim(x) == 0 \
            else np.asarray(x, dtype=float)
        if arr.shape != (len(index),):
            raise InputError(f"length {arr.shape} does not match facility_kw ({len(index)})", field=name)
    if np.any(~np.isfinite(arr)):
        raise InputError("contains NaN or inf", field=name)
    return arr


def _worst_shortfall(excess: np.ndarray, flex: np.ndarray, index: pd.DatetimeIndex) -> str:
    """Note on the interval whose excess the flexible load misses by most."""
    i = int(np.argmax(excess - flex))
    return (f" (the worst interval, ending {index[i]}: {excess[i]:,.6g} kW over with only {flex[i]:,.6g} kW "
            "flexible)")


def _battery_size(excess: np.ndarray, headroom: np.ndarray, peak: float, top_kw: float, rte: float, dt_h: float,
                  limit_kw: float | None = None) -> tuple[float, float, bool, str, str, float]:
    """The battery of :func:`capacity_check`: ``(power_kw, energy_kwh, feasible, basis, why_not, at_peak_h)``.

    The smallest power from ``peak`` up to ``top_kw`` whose repeating-year usable energy
    (:func:`dcplan.grid_battery.battery_energy_repeating_year`) is sustainable and lasts at most the
    longest battery (:data:`BATTERY_DURATION_RANGE_H`, 12 h). More power never needs more energy (the
    discharge is the excess, at most ``peak``; only the recharge, ``min(P, headroom)``, grows), so both
    tests are monotone in the power and a bisection finds it. ``basis`` says what set a power above
    the peak excess; ``why_not`` why no power up to ``top_kw`` works (the sizes are then the peak
    excess's, as before). ``limit_kw``: the largest battery power a site file accepts (the contracted
    capacity x :data:`BATTERY_POWER_MAX_FRAC_OF_CONTRACT`); ``top_kw`` is it, or the peak excess when
    that is larger, and ``why_not`` says which. ``at_peak_h``: the hours of storage a battery of the
    peak excess's power would need (its usable energy / ``peak``; ``inf`` when at that power the deficit
    grows every year, no energy sufficing).
    """
    max_h = BATTERY_DURATION_RANGE_H[1]

    def size(p: float) -> tuple[float, bool]:
        return battery_energy_repeating_year(excess, headroom, p, rte, dt_h)

    def fits(p: float) -> bool:
        e, ok = size(p)
        # 1e-9: a duration of exactly 12 h in float rounding
        return ok and e <= max_h * p * (1 + 1e-9)

    e0, ok0 = size(peak)
    at_peak_h = e0 / peak if ok0 else np.inf
    if ok0 and e0 <= max_h * peak * (1 + 1e-9):
        return peak, e0, True, "", "", at_peak_h
    e_top, ok_top = size(top_kw)
    # the ceiling: BATTERY_POWER_MAX_FRAC_OF_CONTRACT x the contract (the site spec's own limit), or the peak
    # excess when that is larger (a load far above the contract: a 13,741 kW excess over 5,000 kW)
    ceiling = (f"{top_kw:,.0f} kW (the peak excess; a site file accepts at most the contracted {limit_kw:,.0f} kW)"
               if limit_kw is not None and top_kw > limit_kw else f"{top_kw:,.0f} kW (the contracted capacity)")
    if not ok_top:
        return peak, e0, False, "", ("too little room under the limit to recharge what it draws: the deficit grows "
                                     f"every year at any battery power up to {ceiling}; curtail, generate on site or "
                                     "contract more"), at_peak_h
    if e_top > max_h * top_kw * (1 + 1e-9):
        return peak, e0, False, "", (f"needs {e_top / top_kw:,.1f} h of storage, beyond a battery's {max_h:g} h, "
                                     f"even at {ceiling}; curtail or add generation"), at_peak_h
    lo, hi = peak, top_kw               # fits(lo) is False, fits(hi) True
    while hi - lo > 1e-9 * hi:
        mid = 0.5 * (lo + hi)
        if not lo < mid < hi:
            break
        if fits(mid):
            hi = mid
        else:
            lo = mid
    e, _ = size(hi)
    if not ok0:
        basis = (f"power above the peak excess ({peak:,.0f} kW) so that the hours under the limit recharge what "
                 "it draws, the year repeating")
    else:
        basis = (f"power set by the {max_h:g} h duration limit (usable energy / {max_h:g} h), not by the peak "
                 f"excess ({peak:,.0f} kW, which would need {e0:,.0f} kWh: {e0 / peak:,.1f} h of storage)")
    return hi, e, True, basis, "", at_peak_h


def capacity_check(facility_kw: pd.Series, contracted_kw, *, flexible_kw=0.0,
                   round_trip_eff_frac: float = BATTERY_ROUND_TRIP_EFF_FRAC, soc_min_frac: float = 0.0,
                   soc_max_frac: float = 1.0) -> CapacityCheck:
    """Facility power against contracted capacity, and the sizing of each remedy.

    ``excess_t = max(0, facility_t - contracted_t)``; hours over, energy over
    (``sum excess * dt``), peak excess and events (contiguous runs of excess).

    Remedies (table ``options``):

    - ``curtail_flexible_load``: shed ``peak_excess_kw`` of flexible load for the
      hours over; feasible if ``flexible_kw`` (scalar or per interval) covers the
      excess in every interval.
    - ``battery``: usable energy (what it can give between empty and full: 0-100 % of its
      state-of-charge window) the smallest that serves every excess when recharged only
      below the limit, at the battery power, with round-trip efficiency :math:`\\eta` split
      evenly, the year repeating (:func:`dcplan.grid_battery.battery_energy_repeating_year`).
      The power is the peak excess when that battery lasts at most the longest a site's battery
      may have (12 h, :data:`dcplan.specs.interconnection.BATTERY_DURATION_RANGE_H`, usable
      energy / power) and the year's headroom recharges it; otherwise the smallest power that
      does both (a higher power recharges faster and never needs more energy), up to the
      contracted capacity (``max(contracted_kw)`` x
      :data:`~dcplan.specs.interconnection.BATTERY_POWER_MAX_FRAC_OF_CONTRACT`, the largest a site
      file accepts), and the note says what set it. Feasible only if some power up to that
      ceiling works: an excess that needs days of storage, or more energy than the year's room
      under the limit gives back, is not a battery's job; the size at the peak excess is then
      still given, with the reason in ``infeasible_reason``. ``nameplate_kwh`` is the energy a
      site file's ``battery.energy_mwh`` states for that usable energy with its state-of-charge
      window: ``energy_kwh / (soc_max_frac - soc_min_frac)``.
    - ``onsite_generation``: capacity ``peak_excess_kw`` running the hours over,
      generating ``energy_over_kwh`` in ``events`` starts.

    Columns: ``power_kw``, ``energy_kwh`` (the battery's: usable), ``nameplate_kwh`` (the battery's
    only; NaN for the others), ``power_basis`` (what set the power: ``"peak excess"``, or for a
    battery above it the reason, as in its note), ``storage_at_peak_excess_h`` (the battery's only: the
    hours of storage, usable energy / power, a battery of the peak excess's power would need; ``inf`` when
    at that power the hours under the limit cannot recharge it; 0 with no excess; NaN for the others),
    ``hours_h``, ``events``, ``feasible``, ``note`` (what the option does) and ``infeasible_reason`` (why
    it cannot work: empty when ``feasible``). :func:`battery_fix_note` says, for a battery whose power is
    above the peak excess, why a battery of the excess's power does not do and what the larger one is;
    :func:`battery_note` says what the battery option is in every case, with its kW and hours.

    Parameters
    ----------
    facility_kw : pandas.Series
        Facility power (IT + cooling − on-site PV if netted); tz-aware, fixed step. [kW]
    contracted_kw : float, ndarray or Series
        Contracted capacity (:func:`contracted_kw`). [kW]
    flexible_kw : float, ndarray or Series, default 0
        Load that can be curtailed on request (e.g. batch training). [kW]
    round_trip_eff_frac : float, default 0.85
        Battery AC round-trip efficiency (NREL ATB). [-]
    soc_min_frac, soc_max_frac : float, default 0 and 1
        The battery's state-of-charge window (a site file's ``battery.soc_min_frac`` and
        ``soc_max_frac``; defaults as theirs), for ``nameplate_kwh`` only. [-]
    """
    dt_s = step_s(facility_kw, "facility_kw")
    dt_h = dt_s / 3600.0
    load = facility_kw.to_numpy(dtype=float)
    if np.any(~np.isfinite(load)):
        bad = facility_kw.index[~np.isfinite(load)][0]
        raise InputError(f"NaN or inf at {bad}; fill or drop gaps first", field="facility_kw")
    cap = _as_aligned(contracted_kw, facility_kw.index, "contracted_kw")
    if np.any(cap < 0):
        raise InputError(f"capacity below zero: {cap.min()} kW", field="contracted_kw")
    flex = _as_aligned(flexible_kw, facility_kw.index, "flexible_kw")
    if not 0 < round_trip_eff_frac <= 1:
        raise InputError(f"must be in (0, 1], got {round_trip_eff_frac}", field="round_trip_eff_frac")
    if not 0 <= soc_min_frac < soc_max_frac <= 1:
        raise InputError(f"need 0 <= soc_min_frac < soc_max_frac <= 1, got {soc_min_frac}, {soc_max_frac}",
                         field="soc_min_frac")
    excess = np.maximum(load - cap, 0.0)
    excess_s = pd.Series(excess, index=facility_kw.index, name="excess_kw")
    over = excess > 0
    starts, lengths = _runs(over)
    hours = float(over.sum() * dt_h)
    energy = float(energy_from_power(excess_s).sum())
    peak = float(excess.max()) if len(excess) else 0.0
    longest = float(lengths.max() * dt_h) if len(lengths) else 0.0
    headroom = np.maximum(cap - load, 0.0)
    top_kw = max(peak, BATTERY_POWER_MAX_FRAC_OF_CONTRACT * float(cap.max())) if len(cap) else peak
    p_batt, e_batt, batt_ok, basis, batt_why, at_peak_h = (
        _battery_size(excess, headroom, peak, top_kw, round_trip_eff_frac, dt_h,
                      BATTERY_POWER_MAX_FRAC_OF_CONTRACT * float(cap.max()) if len(cap) else None) if peak > 0
        else (0.0, 0.0, True, "", "", 0.0))
    window = soc_max_frac - soc_min_frac
    nameplate = e_batt / window
    curtail_ok = bool(np.all(flex >= excess - 1e-9))
    worst = "" if curtail_ok else _worst_shortfall(excess, flex, facility_kw.index)
    curtail_why = "" if curtail_ok else "the flexible load does not cover the excess" + worst
    batt_note = (f"usable energy (0-100 % of its state-of-charge window; nameplate {nameplate:,.0f} kWh for the "
                 f"window {soc_min_frac:g}-{soc_max_frac:g}: usable / {window:g}); recharged only below the limit, "
                 "the year repeating" + (f"; {basis}" if basis else "") + (f" ({batt_why})" if batt_why else ""))
    options = pd.DataFrame(
        {"power_kw": [peak, p_batt, peak],
         "energy_kwh": [energy, e_batt, energy],
         "nameplate_kwh": [np.nan, nameplate, np.nan],
         "power_basis": ["peak excess", basis or "peak excess", "peak excess"],
         "storage_at_peak_excess_h": [np.nan, at_peak_h, np.nan],
         "hours_h": [hours, hours, hours],
         "events": [len(starts)] * 3,
         "feasible": [curtail_ok, batt_ok, True],
         "note": ["shed this much flexible load in the hours over" + worst, batt_note,
                  "run in the hours over"],
         "infeasible_reason": [curtail_why, batt_why, ""]},
        index=pd.Index(["curtail_flexible_load", "battery", "onsite_generation"], name="option"))
    return CapacityCheck(excess_kw=excess_s,
                         hours_over_h=hours, energy_over_kwh=energy, peak_excess_kw=peak,
                         events=int(len(starts)), longest_event_h=longest, options=options)


def battery_fix_note(cc: CapacityCheck) -> str:
    """What a planner should read from a capacity-check battery whose power is above the peak excess.

    The battery of :func:`capacity_check` is the smallest within a battery's rules: at most
    :data:`BATTERY_DURATION_RANGE_H` (12 h) of storage, recharged only below the limit. Its power is raised
    above the peak excess ``X`` for one of two reasons, and the note says which:

    * **the duration limit**: a battery of power ``X`` would need ``S = E(X) / X`` h of storage, more than 12 h.
      ``P`` is then set by that rule, not by the excess, and a ``P``-kW battery read as the fix for an ``X``-kW
      excess overstates it (Research Triangle's first stage: a 5.2 MW / 62.7 MWh battery for a 178 kW excess
      that a 178 kW battery would need 1,835 h of storage to cover): a battery of the excess's power is no
      practical fix, and the note names the battery as what it is (``P / X`` times the excess);
    * **the recharge**: at ``X`` the hours under the limit cannot put back what it gives (``S`` infinite: its
      deficit grows every year), but a battery that charges faster can. It still gives at most ``X``; its
      power is raised only to recharge between the peaks, and it is a working fix within a battery's rules,
      named so (not "no fix").

    Both give what else closes the gap: curtail or cap ``X`` kW of load in the hours over, or generate it on
    site.

    Parameters
    ----------
    cc : CapacityCheck
        A :func:`capacity_check` result.

    Returns
    -------
    str
        The note (sentences, without a closing full stop, so a caller can add its own remedies); ``""``
        when there is no excess, the battery's power is the peak excess, or no battery works (its
        ``infeasible_reason`` says why; :func:`battery_note` covers those cases).
    """
    b = cc.options.loc["battery"]
    x_kw, p_kw = cc.peak_excess_kw, float(b["power_kw"])
    if x_kw <= 0 or not bool(b["feasible"]) or b["power_basis"] == "peak excess":
        return ""
    max_h = BATTERY_DURATION_RANGE_H[1]
    s_h = float(b["storage_at_peak_excess_h"])
    e_kwh = float(b["energy_kwh"])
    other = (f"What else closes the gap: curtail or cap {x_kw:,.0f} kW of load in the {cc.hours_over_h:,.0f} h over "
             f"({cc.energy_over_kwh / 1000:,.1f} MWh in the year), or generate it on site")
    if np.isfinite(s_h):
        return (f"a battery of the peak excess's power, {x_kw:,.0f} kW, is no practical fix: it would need "
                f"{s_h * x_kw:,.0f} kWh, {s_h:,.1f} h of storage, beyond a battery's {max_h:g} h. The "
                f"{p_kw:,.0f} kW / {e_kwh:,.0f} kWh (usable) battery is the smallest within a battery's rules, its "
                f"power set by the {max_h:g} h duration limit (usable energy / {max_h:g} h), not by the excess "
                f"({p_kw / x_kw:,.1f} x it). " + other)
    return (f"a battery of the peak excess's power, {x_kw:,.0f} kW, cannot recharge in the hours under the limit "
            f"what it gives (its deficit grows every year). The {p_kw:,.0f} kW / {e_kwh:,.0f} kWh (usable) battery, "
            f"{e_kwh / p_kw:,.1f} h of storage, covers the excess: it gives at most the {x_kw:,.0f} kW, its power "
            f"raised to {p_kw / x_kw:,.1f} x the excess only to recharge between the peaks (the smallest power "
            "that does, within a battery's rules). " + other)


def battery_note(cc: CapacityCheck) -> str:
    """What the battery option of a :func:`capacity_check` is, in every case, with its kW and hours.

    * no excess: no battery needed;
    * a battery of the peak excess's power ``X`` within a battery's rules: its ``X`` kW / ``E`` kWh (usable),
      ``E / X`` h of storage, against the hours over and the energy over in the year;
    * a battery whose power is raised above ``X``: :func:`battery_fix_note`;
    * none works up to the largest power a site file accepts: no practical battery, with ``X`` kW over in the
      hours over (the load to curtail or cap, or generate on site), the hours of storage a battery of ``X``
      would need (when finite) and the ``infeasible_reason`` (which says what else to do).

    Returns
    -------
    str
        Sentences without a closing full stop (a caller adds its own remedies, as to :func:`battery_fix_note`).
    """
    b = cc.options.loc["battery"]
    x_kw, h, mwh = cc.peak_excess_kw, cc.hours_over_h, cc.energy_over_kwh / 1000
    if x_kw <= 0:
        return "no battery needed: the load is within the capacity in every hour"
    over = f"{x_kw:,.0f} kW over at peak in the {h:,.0f} h over ({mwh:,.1f} MWh in the year)"
    if not bool(b["feasible"]):
        s_h = float(b["storage_at_peak_excess_h"])
        need = f" (at {x_kw:,.0f} kW a battery would need {s_h:,.1f} h of storage)" if np.isfinite(s_h) else ""
        return f"no practical battery for {over}{need}: {b['infeasible_reason']}"
    fix = battery_fix_note(cc)
    if fix:
        return fix
    e_kwh = float(b["energy_kwh"])
    return (f"a {x_kw:,.0f} kW / {e_kwh:,.0f} kWh (usable) battery, {e_kwh / x_kw:,.1f} h of storage, covers the "
            f"excess, {over}, recharged only below the limit. Or curtail or cap {x_kw:,.0f} kW of load in those hours, "
            "or generate it on site")
