"""Power caps of a fleet: its main accelerator, a default per-accelerator cap as a share of that one's TDP,
and notes where a per-accelerator cap (``cap_w_per_accelerator``) or the fleet's own ``cap_kw_per_unit`` never
binds.

Split from :mod:`dcplan.power_fleet` (which still exports every name here, as :mod:`dcplan.power` does); the
fleet helpers come from there on first use, so either module can be imported first.
"""
from __future__ import annotations

import numpy as np

from .errors import InputError
from .power import _finite_gt0, _number, _unit_kw_array

__all__ = ["main_accelerator", "default_cap_w", "fleet_cap_notes", "fleet_unit_cap_notes"]


def _fleet():
    """:mod:`dcplan.power_fleet`, imported on first use (it re-exports this module's names)."""
    from . import power_fleet
    return power_fleet


def main_accelerator(fleet_or_site):
    """The unit type (:class:`~dcplan.power.Hardware`) holding most of a fleet's accelerators,
    ties to the highest accelerator TDP; None for a fleet without accelerators.

    A per-accelerator cap in W applies to every GPU of the fleet; a default set as a share of
    a TDP (the rack_power notebook's ``cap_tdp_frac``) is a share of this unit's accelerator's.
    """
    from .power import hardware
    t = _fleet().fleet_table(fleet_or_site)
    gpus = t.groupby("hardware")["accelerators"].sum()
    units = [hardware(k) for k in gpus.index if gpus[k] > 0]
    return max(units, key=lambda h: (gpus[h.key], h.accelerator_tdp_w)) if units else None


def default_cap_w(fleet_or_site, tdp_frac: float) -> float | None:
    """``tdp_frac`` x the TDP of the fleet's :func:`main_accelerator` [W], or None without one.

    ``tdp_frac`` is a finite share in (0, 1]; whether the cap is above the accelerators' idle
    power is :func:`fleet_cap_notes`' check.
    """
    f = _number(tdp_frac, "cap_tdp_frac", "a share of the TDP in (0, 1]", lambda x: 0.0 < x <= 1.0)
    main = main_accelerator(fleet_or_site)
    return None if main is None else f * main.accelerator_tdp_w


def fleet_cap_notes(fleet_or_site, cap_w_per_accelerator) -> list[str]:
    """Check a per-accelerator power cap against a fleet's hardware; say where it does nothing.

    Raises :class:`InputError` (field ``cap_w_per_accelerator``) when the cap is not a
    positive number [W] or is below the idle power of an accelerator the fleet holds (data/
    hardware.csv ``accelerator_idle_w``; the highest of the fleet's is its floor): no cap
    holds a switched-on GPU below idle. Returns notes, one per unit type, for a caller to show
    (a notebook prints them): a cap at or above an accelerator's TDP never binds there (its
    results are the uncapped ones), and units without accelerators (``cpu-2s``) are not
    capped by it. Phases of 0 units are left out. The fleet's own ``cap_kw_per_unit`` where it
    never binds is noted too (:func:`fleet_unit_cap_notes`, last). A cap below the TDP that never
    binds because the fleet's utilisation stays below where it bites depends on the span run:
    :func:`dcplan.power_cap_bite.fleet_cap_bite_notes` notes that.
    """
    fleet, _ = _fleet()._as_fleet(fleet_or_site)
    cap = _number(cap_w_per_accelerator, "cap_w_per_accelerator", "a positive number [W]", _finite_gt0)
    hws = list(dict.fromkeys(hw for ph, hw in zip(fleet.phases, _fleet()._phase_hw(fleet)) if ph.count > 0))
    gpus = [hw for hw in hws if hw.accelerators_per_unit]
    if gpus:
        top = max(gpus, key=lambda hw: hw.accelerator_idle_w)
        if cap < top.accelerator_idle_w:
            raise InputError(f"{cap:g} W is below the idle power of this fleet's accelerators: {top.key!r} idles at "
                             f"{top.accelerator_idle_w:g} W per accelerator (data/hardware.csv accelerator_idle_w); "
                             f"allowed: at least {top.accelerator_idle_w:g} W, the fleet's idle floor (TDP "
                             f"{top.accelerator_tdp_w:g} W)", field="cap_w_per_accelerator")
    # on a mixed fleet where the cap is below another type's TDP, the fleet's capped results may differ: the
    # note says these units' power is unchanged and names the types it can bind on
    above = [hw.key for hw in gpus if cap < hw.accelerator_tdp_w]
    same = ("so its capped results equal the uncapped ones" if not above else
            f"so these units draw the same capped as uncapped (it can bind only on {', '.join(map(repr, above))}, "
            "whose TDP is above it)")
    notes = [f"cap_w_per_accelerator {cap:g} W is at or above the {hw.accelerator_tdp_w:g} W TDP of {hw.key!r} "
             f"(data/hardware.csv accelerator_tdp_w): it never binds there, {same}" for hw in gpus
             if cap >= hw.accelerator_tdp_w]
    notes += [f"cap_w_per_accelerator does not apply to {hw.key!r}: it has no accelerators, so its units run "
              "uncapped" for hw in hws if not hw.accelerators_per_unit]
    return notes + fleet_unit_cap_notes(fleet)


def fleet_unit_cap_notes(fleet_or_site) -> list[str]:
    """Notes, one per unit type, where the fleet's own ``cap_kw_per_unit`` [kW] never binds:
    at or above the unit's full-load wall power (data/hardware.csv ``max_kw``; power rises
    with utilisation on every curve, so full load is its highest), the capped power is the
    uncapped one. Empty without a unit cap; phases of 0 units are left out.
    :func:`fleet_cap_notes` adds them to its own (the rack_power notebook prints those), and
    ``dcplan validate`` warns them (:mod:`dcplan.site_plausibility`).
    """
    fleet, _ = _fleet()._as_fleet(fleet_or_site)
    cap = fleet.cap_kw_per_unit
    if cap is None:
        return []
    hws = list(dict.fromkeys(hw for ph, hw in zip(fleet.phases, _fleet()._phase_hw(fleet)) if ph.count > 0))
    out = []
    for hw in hws:
        full_kw = float(_unit_kw_array(np.ones(1), hw, fleet.curve)[0])  # = max_kw (f(1) = 1, catalog PSU)
        if cap >= full_kw:
            out.append(f"fleet.cap_kw_per_unit: {cap:g} kW is at or above the {full_kw:g} kW full-load power of "
                       f"one {hw.key!r} unit (data/hardware.csv max_kw): it never binds there, so its results "
                       "equal those without the cap")
    return out
