"""The warning of hours the hourly cooling plant cannot cool even with every GPU throttled.

Part of the hourly cooling-plant model: :func:`dcplan.thermal_plant.plant_hourly` calls
:func:`_warn_throttled_overload` on its frame once the hour's capacity, derate and
``throttled_overload_kw`` are known (kept importable from :mod:`dcplan.thermal_plant`). Throttling
sheds at most ``(1 - throttle_power_frac)`` of the IT; the heat above the fully throttled hall is what
no throttling can shed, and the warning says how much, in which hours, and what would help: a larger
plant only where the worst hour's outdoor air can still make the liquid loop's water.
"""
from __future__ import annotations

import warnings

import numpy as np
import pandas as pd

from .errors import DcplanWarning
from .thermal_plant_params import W_CLASS_MAX_DEGC, PlantParams

__all__ = ["_warn_throttled_overload"]


def _warn_throttled_overload(out: pd.DataFrame, frac: float, p: PlantParams, t_db=None, t_wb=None) -> None:
    """One :class:`~dcplan.errors.DcplanWarning` when some hours' capacity is below the fully throttled
    hall (``throttled_overload_kw > 0``, the threshold of :func:`dcplan.thermal_plant_summary.derate_hours`):
    their count, the heat throttling cannot shed, the worst hour's figures and what to change (as
    :func:`dcplan.thermal_dynamics.simulate_lag` warns of the same case). A larger plant is advised only
    when the worst hour's outdoor air can make the liquid loop's water at all: a chiller-free loop whose
    rejector's outdoor temperature (dry bulb ``t_db``, or wet bulb ``t_wb`` plus the plate heat
    exchanger's approach) is at or above its class maximum supply (``liquid_max_degc``, to which the
    plant lets the supply drift before it derates) in that hour cannot be helped by a larger tower or dry
    cooler (a rejector of any size leaves its water above the outdoor temperature)."""
    ov = out["throttled_overload_kw"]
    hit = ov > 1e-9
    if not hit.any():
        return
    worst = ov.idxmax()
    x = out.loc[worst]
    i = int(np.flatnonzero(out.index == worst)[0])
    no_rejector = ""
    if p.type == "liquid" and not p.trim_chiller and t_db is not None:
        hx = p.values["hx_approach_k"] if p.heat_rejection == "tower" else 0.0
        t_out = float(t_db[i]) if p.heat_rejection == "dry" else float(t_wb[i]) + hx
        # the loop's water may drift up to the class maximum before the plant derates (free_cap in
        # dcplan.thermal_plant_loop._loop): a larger rejector helps while the outdoor side is below that maximum
        if t_out >= p.liquid_max_degc:
            bulb = "dry bulb" if p.heat_rejection == "dry" else f"wet bulb + {hx:g} K heat-exchanger approach"
            no_rejector = (f" (in that hour the {bulb}, {t_out:.1f} degC, is at or above the {p.liquid_max_degc:g} "
                           f"degC class maximum of the liquid supply: no "
                           f"{'dry cooler' if p.heat_rejection == 'dry' else 'cooling tower'} "
                           "of any size can make that water, so a larger plant does not help)")
    fixes = [] if no_rejector else ["a larger plant (margin_frac, design_it_kw)"]
    dry = [n for n, r in (("heat_rejection", p.heat_rejection if p.type == "liquid" else None),
                          ("air_heat_rejection", p.air_heat_rejection)) if r == "dry"]
    if p.type == "liquid" and not p.trim_chiller:
        fixes.append("a trim chiller on the liquid loop (trim_chiller: true)")
    if dry:
        fixes.append(f"cooling towers ({' / '.join(dry)}: tower)")
    warmer = [c for c, t in W_CLASS_MAX_DEGC.items() if p.type == "liquid" and t > p.liquid_max_degc]
    if warmer:
        fixes.append(f"a warmer liquid loop (liquid_class {' or '.join(warmer[-2:])}, if the servers allow it)")
    warnings.warn(f"hourly plant: in {int(hit.sum())} h (first {ov.index[hit.to_numpy()][0]}) the capacity is below "
                  f"even the fully throttled hall (throttle_power_frac {frac:g} x IT): throttling sheds at most "
                  f"{1.0 - frac:.0%} of the IT, so {float(ov.sum()):,.0f} kWh of the "
                  f"{float(out['derate_kw'].sum()):,.0f} kWh derate cannot be shed by throttling "
                  f"(throttled_overload_kw; throttle_frac is 1 there). Worst hour {worst}: IT {x['it_kw']:,.0f} kW, "
                  f"capacity {x['capacity_it_kw']:,.0f} kW, throttled hall {frac * x['it_kw']:,.0f} kW, "
                  f"{x['throttled_overload_kw']:,.0f} kW the plant cannot remove even throttled (a real hall sheds "
                  f"more load or trips){no_rejector}. Use {', or '.join(fixes)}", DcplanWarning, stacklevel=3)
