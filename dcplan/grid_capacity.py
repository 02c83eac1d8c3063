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
from .specs.interconnection import BATTERY_DURATION_RANGE_H, BATTERY_ROUND_TRIP_EFF_FRAC

__all__ = ["capacity_check", "CapacityCheck"]

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


def capacity_check(facility_kw: pd.Series, contracted_kw, *, flexible_kw=0.0,
                   round_trip_eff_frac: float = BATTERY_ROUND_TRIP_EFF_FRAC) -> CapacityCheck:
    """Facility power against contracted capacity, and the sizing of each remedy.

    ``excess_t = max(0, facility_t - contracted_t)``; hours over, energy over
    (``sum excess * dt``), peak excess and events (contiguous runs of excess).

    Remedies (table ``options``):

    - ``curtail_flexible_load``: shed ``peak_excess_kw`` of flexible load for the
      hours over; feasible if ``flexible_kw`` (scalar or per interval) covers the
      excess in every interval.
    - ``battery``: power ``peak_excess_kw``; usable energy the smallest that
      serves every excess when recharged only below the limit, at the battery
      power, with round-trip efficiency :math:`\\eta` split evenly, the year repeating
      (:func:`dcplan.grid_battery.battery_energy_repeating_year`); feasible only if
      the year's headroom can recharge what the battery draws, and if its duration
      (``energy_kwh / power_kw``) is within the longest a site's battery may have
      (12 h, :data:`dcplan.specs.interconnection.BATTERY_DURATION_RANGE_H`): an excess
      that needs days of storage at a few hundred kW is not a battery's job. The size is
      still given (it holds the limit), with the reason in ``infeasible_reason``.
    - ``onsite_generation``: capacity ``peak_excess_kw`` running the hours over,
      generating ``energy_over_kwh`` in ``events`` starts.

    Columns: ``power_kw``, ``energy_kwh``, ``hours_h``, ``events``, ``feasible``, ``note``
    (what the option does) and ``infeasible_reason`` (why it cannot work: empty when
    ``feasible``).

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
    excess = np.maximum(load - cap, 0.0)
    excess_s = pd.Series(excess, index=facility_kw.index, name="excess_kw")
    over = excess > 0
    starts, lengths = _runs(over)
    hours = float(over.sum() * dt_h)
    energy = float(energy_from_power(excess_s).sum())
    peak = float(excess.max()) if len(excess) else 0.0
    longest = float(lengths.max() * dt_h) if len(lengths) else 0.0
    headroom = np.maximum(cap - load, 0.0)
    e_batt, batt_ok = (battery_energy_repeating_year(excess, headroom, peak, round_trip_eff_frac, dt_h)
                       if peak > 0 else (0.0, True))
    curtail_ok = bool(np.all(flex >= excess - 1e-9))
    worst = "" if curtail_ok else _worst_shortfall(excess, flex, facility_kw.index)
    curtail_why = "" if curtail_ok else "the flexible load does not cover the excess" + worst
    batt_why = "" if batt_ok else ("too little room under the limit to recharge what it draws: "
                                   "the deficit grows every year; curtail, generate on site or contract more")
    max_h = BATTERY_DURATION_RANGE_H[1]
    # e_batt is 0 without an excess, so peak > 0 here; 1e-9: a duration of exactly 12 h in float rounding
    if batt_ok and e_batt > max_h * peak * (1 + 1e-9):
        batt_ok = False
        batt_why = (f"needs {e_batt / peak:,.1f} h of storage: beyond a battery's {max_h:g} h; "
                    "curtail or add generation")
    options = pd.DataFrame(
        {"power_kw": [peak, peak, peak],
         "energy_kwh": [energy, e_batt, energy],
         "hours_h": [hours, hours, hours],
         "events": [len(starts)] * 3,
         "feasible": [curtail_ok, batt_ok, True],
         "note": ["shed this much flexible load in the hours over" + worst,
                  "usable energy; recharged only below the limit, the year repeating"
                  + (f" ({batt_why})" if batt_why else ""),
                  "run in the hours over"],
         "infeasible_reason": [curtail_why, batt_why, ""]},
        index=pd.Index(["curtail_flexible_load", "battery", "onsite_generation"], name="option"))
    return CapacityCheck(excess_kw=excess_s,
                         hours_over_h=hours, energy_over_kwh=energy, peak_excess_kw=peak,
                         events=int(len(starts)), longest_event_h=longest, options=options)
