"""What a fleet's power figures count, said in their labels (the rack_power notebook's).

Re-exported by :mod:`dcplan.power`:

* :func:`design_it_label`: the design IT power of :func:`dcplan.power.fleet_design_it_kw` is the
  nameplate only without power caps and at ``diversity_frac`` 1; the label says which caps and
  which ``diversity_frac`` it applies, with the nameplate beside it.
* :func:`cap_label`: one per-GPU cap in W is a different share of each accelerator's TDP on a
  mixed fleet; the label names the share of every accelerator type whose TDP differs.
"""
from __future__ import annotations

import math

from .power_fleet import _as_fleet, _phase_hw, fleet_design_it_kw, fleet_table, main_accelerator

__all__ = ["design_it_label", "cap_label"]


def design_it_label(fleet_or_site) -> str:
    """Label of :func:`dcplan.power.fleet_design_it_kw` (full build-out) saying what it counts.

    The nameplate is every phase's units and rack gear at full power (data/hardware.csv
    ``max_kw``, :func:`dcplan.power.fleet_table` ``phase_max_kw``); the design IT is the power at
    full utilisation with the fleet's power caps (``cap_w_per_accelerator``, ``cap_kw_per_unit``;
    named when they lower it), times ``diversity_frac`` (named when below 1).

    >>> design_it_label({"phases": [{"hardware": "hgx-h100", "count": 4, "start": "2026-01-01"}],
    ...                  "diversity_frac": 0.7})
    'Design IT power: the 43.88 kW nameplate (every unit and its rack gear at full utilisation) x fleet.diversity_frac 0.7'
    """
    fleet, _ = _as_fleet(fleet_or_site)
    nameplate = float(fleet_table(fleet)["phase_max_kw"].sum())
    d = float(fleet.diversity_frac)
    full = float(fleet_design_it_kw(fleet)) / d
    div = "" if d >= 1.0 else f" x fleet.diversity_frac {d:g}"
    if full < nameplate * (1.0 - 1e-9):
        caps = " and ".join(c for c in (
            None if fleet.cap_w_per_accelerator is None else
            f"cap_w_per_accelerator {fleet.cap_w_per_accelerator:g} W per GPU",
            None if fleet.cap_kw_per_unit is None else f"cap_kw_per_unit {fleet.cap_kw_per_unit:g} kW per unit")
            if c)
        return (f"Design IT power: every unit and its rack gear at full utilisation held to the fleet's {caps}, "
                f"{_kw(full)} kW of the {_kw(nameplate)} kW nameplate{div}")
    if div:
        return f"Design IT power: the {_kw(nameplate)} kW nameplate (every unit and its rack gear at full utilisation){div}"
    return f"Design IT power: the nameplate (every unit and its rack gear at full utilisation, {_kw(nameplate)} kW)"


def _kw(x: float) -> str:
    """A power in kW as labels show it: 4 significant digits below 1,000 kW, whole kW above."""
    return f"{x:,.0f}" if abs(x) >= 1000 else f"{x:.4g}"


def cap_label(fleet_or_site, cap_w_per_accelerator: float | None, cap_tdp_frac: float | None = None) -> str:
    """The text naming a per-GPU cap in a label: ``"560 W per-GPU cap (cap_tdp_frac 80 % of the
    700 W TDP of h100-sxm in hgx-h100)"``.

    The share is of the TDP of the fleet's :func:`dcplan.power.main_accelerator` (data/hardware.csv
    ``accelerator_tdp_w``), as ``cap_tdp_frac`` when the cap was set so (the rack_power notebook's
    default), else as the share ``cap_w_per_accelerator`` is of it. One cap in W holds every GPU of
    the fleet, so each other accelerator type whose TDP differs is named too, with its own share
    (``"; 47 % of the 1,200 W TDP of gb200-gpu in gb200-nvl72"``) or, at or above its TDP, that it
    does not bind there. Phases of 0 units are left out. ``None`` (or a fleet without
    accelerators): ``"per-GPU cap (none: the fleet has no accelerators)"``.
    """
    fleet, _ = _as_fleet(fleet_or_site)
    main = main_accelerator(fleet)
    if main is None or cap_w_per_accelerator is None:
        return "per-GPU cap (none: the fleet has no accelerators)"
    cap = float(cap_w_per_accelerator)
    share = (f"cap_tdp_frac {100 * cap_tdp_frac:g} %" if cap_tdp_frac is not None
             else f"cap_w_per_accelerator, {100 * cap / main.accelerator_tdp_w:.0f} %")
    parts = [f"{share} of the {main.accelerator_tdp_w:,.0f} W TDP of {main.accelerator} in {main.key}"]
    seen = {main.accelerator_tdp_w}
    for ph, hw in zip(fleet.phases, _phase_hw(fleet)):
        tdp = hw.accelerator_tdp_w
        if ph.count <= 0 or not hw.accelerators_per_unit or any(math.isclose(tdp, t, rel_tol=1e-12) for t in seen):
            continue
        seen.add(tdp)
        parts.append(f"{100 * cap / tdp:.0f} % of the {tdp:,.0f} W TDP of {hw.accelerator} in {hw.key}" if cap < tdp
                     else f"at or above the {tdp:,.0f} W TDP of {hw.accelerator} in {hw.key}, where it does not bind")
    return f"{cap:,.0f} W per-GPU cap ({'; '.join(parts)})"
