"""A counterflow cooling tower's approach by Merkel's method: how it widens as the wet bulb falls.

The hourly plant model (:mod:`dcplan.thermal_plant_loop`) holds a tower's approach at its design
value (``tower_approach_k``, 3.9 K at the CTI rating point) at any wet bulb, scaled only by the
heat. A real tower at a fixed air and water flow (fixed NTU and L/G) does worse in cold weather:
cold saturated air holds less enthalpy per K, so the approach widens (Merkel). This module
computes that approach, for a sensitivity of the free-cooling screen (site_climate), not for the
plant model (whose approach is unchanged).

Merkel's equation (ASHRAE Handbook - HVAC Systems and Equipment, ch. "Cooling Towers"; EnergyPlus
Engineering Reference, "Cooling Towers"): for water entering at ``Tin`` and leaving at ``Tout``,
``NTU = KaV/L = integral from Tout to Tin of cp dT / (h_s(T) - h_a(T))``, with ``h_s`` the
enthalpy of saturated air at the water temperature and ``h_a`` the air's, rising from the
entering air's (saturated at the wet bulb) by ``L/G cp (T - Tout)`` (counterflow). The design
point fixes NTU; at another wet bulb, with the same NTU, L/G and range (the same heat at the same
water flow), ``Tout`` solves the same integral. Enthalpies from :func:`dcplan.thermal_water._h_sat`
(ASHRAE Fundamentals ch. 1) at standard pressure; trapezoid rule on 200 steps.
"""
from __future__ import annotations

import numpy as np

from .thermal_water import _h_sat

__all__ = ["merkel_ntu", "merkel_approach_k", "merkel_free_cooling_limit_degc"]

_CP = 4.186           # water, kJ/(kg K) (dcplan.thermal_plant_loop._CP_WATER)
_P_PA = 101325.0      # standard pressure [Pa]
_STEPS = 200


def merkel_ntu(t_in_degc: float, t_out_degc: float, wet_bulb_degc: float, lg_ratio: float) -> float:
    """Merkel NTU (``KaV/L``) of a counterflow tower cooling water ``t_in -> t_out`` [degC] with air
    entering saturated at ``wet_bulb_degc`` [degC] at liquid-to-gas ratio ``lg_ratio`` [kg/kg]; inf
    when the air would reach the water's saturation enthalpy (no tower can)."""
    h_in = float(_h_sat(np.array([wet_bulb_degc]), np.array([_P_PA]))[0][0])
    t = np.linspace(t_out_degc, t_in_degc, _STEPS + 1)
    drive = _h_sat(t, np.full_like(t, _P_PA))[0] - (h_in + lg_ratio * _CP * (t - t_out_degc))
    if drive.min() <= 0.0:
        return float("inf")
    f = _CP / drive
    return float(np.sum((f[1:] + f[:-1]) * np.diff(t)) / 2.0)


def _bisect(g, lo: float, hi: float, tol: float = 1e-9) -> float:
    # to tol K (a temperature: 36 halvings of a 70 K bracket), not to the last bit: the free-cooling limit
    # nests this in itself, so 80 halvings cost 6,400 NTU integrations (0.5 s a limit)
    for _ in range(80):
        if hi - lo <= tol:
            break
        mid = 0.5 * (lo + hi)
        lo, hi = (mid, hi) if g(mid) < 0.0 else (lo, mid)
    return 0.5 * (lo + hi)


def merkel_approach_k(wet_bulb_degc: float, *, design_wet_bulb_degc: float = 25.5, design_approach_k: float = 3.9,
                      range_k: float = 5.6, lg_ratio: float = 1.6) -> float:
    """Approach (leaving water - wet bulb) [K] at ``wet_bulb_degc`` of the tower whose design point is
    ``design_approach_k`` at ``design_wet_bulb_degc`` with range ``range_k`` [K] and ``lg_ratio``, at the same
    NTU, L/G and range (defaults: data/cooling_defaults.csv's tower, 35 -> 29.4 degC at 25.5 degC wet bulb,
    L/G 1.6).

    >>> round(merkel_approach_k(25.5), 2), round(merkel_approach_k(13.6), 1)
    (3.9, 7.7)
    """
    t_out = design_wet_bulb_degc + design_approach_k
    ntu = merkel_ntu(t_out + range_k, t_out, design_wet_bulb_degc, lg_ratio)
    # NTU needed falls as the leaving water warms: bisect on the leaving water temperature
    return _bisect(lambda x: ntu - merkel_ntu(x + range_k, x, wet_bulb_degc, lg_ratio),
                   wet_bulb_degc + 1e-3, wet_bulb_degc + 40.0) - wet_bulb_degc


def merkel_free_cooling_limit_degc(supply_degc: float, hx_approach_k: float, **design) -> float:
    """Wet bulb [degC] up to which the tower (approach by :func:`merkel_approach_k`, ``design`` its
    keywords) plus the plate heat exchanger's ``hx_approach_k`` hold ``supply_degc`` at full design heat:
    the root of ``wb + A(wb) + hx = supply`` (``A`` widens as ``wb`` falls, so the limit is below the
    design-approach screen's ``supply - A_d - hx``)."""
    return _bisect(lambda wb: wb + merkel_approach_k(wb, **design) + hx_approach_k - supply_degc,
                   -30.0, supply_degc - hx_approach_k)
