"""What a fleet's power figures count, said in their labels (the rack_power notebook's).

Re-exported by :mod:`dcplan.power`:

* :func:`design_it_label`: the design IT power of :func:`dcplan.power.fleet_design_it_kw` is the
  nameplate only without power caps and at ``diversity_frac`` 1; the label says which caps and
  which ``diversity_frac`` it applies, with the nameplate beside it, and that a capped figure is an
  operating limit, the electrical chain being rated on the uncapped one (:mod:`dcplan.power_design`).
* :func:`cap_label`: one per-GPU cap in W is a different share of each accelerator's TDP on a
  mixed fleet; the label names the share of every accelerator type whose TDP differs.
* :func:`fleet_hardware_table`: the data/hardware.csv rows a fleet's power rests on (units and rack
  gear) with their figures, ``vintage``, ``status`` and ``source``, for the report.
"""
from __future__ import annotations

import math

import pandas as pd

from .power_design import electrical_design_it_kw
from .power_fleet import _as_fleet, _phase_hw, fleet_design_it_kw, fleet_table, main_accelerator, phase_layout

__all__ = ["design_it_label", "cap_label", "fleet_hardware_table"]


def design_it_label(fleet_or_site) -> str:
    """Label of :func:`dcplan.power.fleet_design_it_kw` (full build-out) saying what it counts.

    The nameplate is every phase's units and rack gear at full power (data/hardware.csv
    ``max_kw``, :func:`dcplan.power.fleet_table` ``phase_max_kw``); the design IT is the power at
    full utilisation with the fleet's power caps (``cap_w_per_accelerator``, ``cap_kw_per_unit``;
    named when they lower it, with the uncapped figure the electrical chain is rated on:
    :func:`dcplan.power.electrical_design_it_kw`), times ``diversity_frac`` (named when below 1).

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
                f"{_kw(full)} kW of the {_kw(nameplate)} kW nameplate{div}; an operating limit for the cooling and "
                "the grid figures that holds only with an enforced site power limiter (a software cap can be reset "
                f"and is briefly exceeded): the transformer/UPS/PDU chain is rated on the uncapped "
                f"{_kw(electrical_design_it_kw(fleet))} kW")
    if div:
        return f"Design IT power: the {_kw(nameplate)} kW nameplate (every unit and its rack gear at full utilisation){div}"
    return f"Design IT power: the nameplate (every unit and its rack gear at full utilisation, {_kw(nameplate)} kW)"


def _kw(x: float) -> str:
    """A power in kW as labels show it: 4 significant digits below 1,000 kW, whole kW above."""
    return f"{x:,.0f}" if abs(x) >= 1000 else f"{x:.4g}"


def cap_label(fleet_or_site, cap_w_per_accelerator: float | None, cap_tdp_frac: float | None = None,
              source: str = "cap_w_per_accelerator") -> str:
    """The text naming a per-GPU cap in a label: ``"560 W per-GPU cap (cap_tdp_frac 80 % of the
    700 W TDP of h100-sxm in hgx-h100)"``.

    The share is of the TDP of the fleet's :func:`dcplan.power.main_accelerator` (data/hardware.csv
    ``accelerator_tdp_w``), as ``cap_tdp_frac`` when the cap was set so (the rack_power notebook's
    default), else as the share ``cap_w_per_accelerator`` is of it, named by ``source`` (``"the site's
    own fleet.cap_w_per_accelerator"`` for the site file's cap). One cap in W holds every GPU of
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
             else f"{source}, {100 * cap / main.accelerator_tdp_w:.0f} %")
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


def fleet_hardware_table(fleet_or_site) -> pd.DataFrame:
    """The data/hardware.csv rows a fleet's IT power is computed from, with their provenance.

    One row per catalog key, units first (phase order), then the rack gear their racks add
    (``rack_addons``): ``key``, ``role`` (``"unit"`` or ``"rack gear of hgx-h100"``), ``count`` (units
    in the fleet; gear: racks x count per rack), ``max_kw``, ``idle_kw`` (per unit, wall),
    ``psu_efficiency_frac``, ``vintage``, ``status`` and ``source`` as the catalog gives them (the
    same rows :func:`dcplan.power.hardware` reads). Phases of 0 units are left out.

    >>> t = fleet_hardware_table({"phases": [{"hardware": "hgx-h100", "count": 4, "start": "2026-01-01"}]})
    >>> list(zip(t["key"], t["role"], t["count"], t["psu_efficiency_frac"]))[:2]
    [('hgx-h100', 'unit', 4.0, 0.96), ('ib-ndr-switch', 'rack gear of hgx-h100', 1.5, 1.0)]
    """
    from .power import catalog, hardware
    fleet, _ = _as_fleet(fleet_or_site)
    counts: dict[str, list] = {}   # key -> [role, count]
    gear: dict[str, list] = {}
    for ph, hw in zip(fleet.phases, _phase_hw(fleet)):
        if ph.count <= 0:
            continue
        counts.setdefault(hw.key, ["unit", 0.0])[1] += ph.count
        racks = phase_layout(ph, hw)[2]   # catalog racks' worth of gear (a phase's own layout keeps it)
        for k, c in hw.rack_addons:
            row = gear.setdefault(k, [f"rack gear of {hw.key}", 0.0])
            if hw.key not in row[0].removeprefix("rack gear of ").split(", "):
                row[0] += f", {hw.key}"
            row[1] += racks * c
    cat = catalog()
    rows = []
    for k, (role, n) in list(counts.items()) + [(k, v) for k, v in gear.items() if k not in counts]:
        hw, r = hardware(k), cat.loc[k]
        rows.append({"key": k, "role": role, "count": n, "max_kw": hw.max_kw, "idle_kw": hw.idle_kw,
                     "psu_efficiency_frac": hw.psu_efficiency_frac,
                     **{c: "" if pd.isna(r[c]) else str(r[c]) for c in ("vintage", "status", "source")}})
    return pd.DataFrame(rows)
