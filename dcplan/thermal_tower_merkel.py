"""A counterflow cooling tower's approach by Merkel's method: how it widens as the wet bulb falls.

A tower's approach is rated at one point (``tower_approach_k``, 3.9 K at the CTI rating point,
25.5 degC wet bulb). A real tower at a fixed air and water flow (fixed NTU and L/G) does worse in
cold weather: cold saturated air holds less enthalpy per K, so the approach widens (Merkel): 9.1 K
at 10 degC, 11.2 K at 5, 13.3 K at 0 degC wet bulb at full design heat. This module computes that
approach: :func:`tower_approach_k` (vectorised, at part heat too, with its inverse
:func:`tower_heat_frac`) is the approach of the hourly plant model (:mod:`dcplan.thermal_plant_loop`:
free cooling, free-only capacity, the water-cooled chiller's condenser water, the tower fans' speed),
and :func:`merkel_free_cooling_limit_degc` the climate screen's limit
(:func:`dcplan.thermal.free_cooling_limits`, site_climate).

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

from functools import lru_cache

import numpy as np

from .errors import InputError

__all__ = ["merkel_ntu", "merkel_approach_k", "merkel_free_cooling_limit_degc", "tower_approach_k",
           "tower_heat_frac", "TABLE_ACCURACY_K"]

_CP = 4.186           # water, kJ/(kg K) (dcplan.thermal_plant_loop._CP_WATER)
_P_PA = 101325.0      # standard pressure [Pa]
_STEPS = 200


def merkel_ntu(t_in_degc: float, t_out_degc: float, wet_bulb_degc: float, lg_ratio: float) -> float:
    """Merkel NTU (``KaV/L``) of a counterflow tower cooling water ``t_in -> t_out`` [degC] with air
    entering saturated at ``wet_bulb_degc`` [degC] at liquid-to-gas ratio ``lg_ratio`` [kg/kg]; inf
    when the air would reach the water's saturation enthalpy (no tower can)."""
    from .thermal_water import _h_sat   # (here: dcplan.thermal_water imports the plant loop, which imports this)
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
                      range_k: float = 5.6, lg_ratio: float = 1.6, heat_frac: float = 1.0) -> float:
    """Approach (leaving water - wet bulb) [K] at ``wet_bulb_degc`` of the tower whose design point is
    ``design_approach_k`` at ``design_wet_bulb_degc`` with range ``range_k`` [K] and ``lg_ratio``, at the same
    NTU and L/G, rejecting ``heat_frac`` x its design heat at its design water flow (range ``heat_frac x
    range_k``; default 1, the design heat) (defaults: data/cooling_defaults.csv's tower, 35 -> 29.4 degC at
    25.5 degC wet bulb, L/G 1.6). A point-by-point solution (bisection to 1e-9 K): the reference
    :func:`tower_approach_k`'s table is checked against.

    >>> round(merkel_approach_k(25.5), 2), round(merkel_approach_k(13.6), 1)
    (3.9, 7.7)
    """
    t_out = design_wet_bulb_degc + design_approach_k
    ntu = merkel_ntu(t_out + range_k, t_out, design_wet_bulb_degc, lg_ratio)
    rng = heat_frac * range_k
    if not rng > 0.0:
        return 0.0
    # NTU needed falls as the leaving water warms: bisect on the leaving water temperature
    return _bisect(lambda x: ntu - merkel_ntu(x + rng, x, wet_bulb_degc, lg_ratio),
                   wet_bulb_degc + 1e-9, wet_bulb_degc + 40.0) - wet_bulb_degc


def merkel_free_cooling_limit_degc(supply_degc: float, hx_approach_k: float, **design) -> float:
    """Wet bulb [degC] up to which the tower (approach by :func:`merkel_approach_k`, ``design`` its
    keywords) plus the plate heat exchanger's ``hx_approach_k`` hold ``supply_degc`` at full design heat:
    the root of ``wb + A(wb) + hx = supply`` (``A`` widens as ``wb`` falls, so the limit is below the
    design-approach screen's ``supply - A_d - hx``)."""
    return _bisect(lambda wb: wb + merkel_approach_k(wb, **design) + hx_approach_k - supply_degc,
                   -30.0, supply_degc - hx_approach_k)


# --- the vectorised approach of the plant model -------------------------------------------------

#: Table of :func:`tower_approach_k`: wet bulbs [degC] and heat fractions [-] it is solved at. The wet
#: bulbs run in ``_WB_STEP`` steps through the design wet bulb (so the design point is a grid point) from
#: within a step below ``_WB_RANGE[0]`` to within one above ``_WB_RANGE[1]``; outside, the wet bulb is
#: clamped to the table's (below: freezing hours, with their basin heaters, bypass and de-icing, are out
#: of this model's scope, and a tower there free-cools at any approach the table gives; above: no
#: recorded wet bulb is above 35 degC). Above ``_F_GRID[-1]`` the approach is extrapolated in proportion
#: to the heat (a tower far above its design heat).
_WB_RANGE = (-10.0, 36.0)
_WB_STEP = 1.0
_F_GRID = np.arange(0.0, 2.5 + 1e-9, 0.1)
#: Solver tolerance of the table's approach [K]: the last step of its regula falsi.
_TABLE_TOL_K = 1e-6
#: Bilinear interpolation error of the table against a point-by-point Merkel solution (the most found
#: on wet bulbs -10..35 degC and heat 0.05..2.4x design: 0.024 K, at -9.3 degC and 0.05x; 0.012 K at
#: wet bulbs >= 0 and heat >= 0.3x), the bound tests/test_thermal_tower_merkel.py checks [K].
TABLE_ACCURACY_K = 0.03


def _ntu_vec(t_in, t_out, h_air_in, lg_ratio):
    """:func:`merkel_ntu` of many towers at once (arrays of the same shape; ``h_air_in`` the entering air's
    enthalpy [kJ/kg]); inf where the driving force reaches 0."""
    from .thermal_water import _h_sat
    s = np.linspace(0.0, 1.0, _STEPS + 1)
    t = t_out[:, None] + (t_in - t_out)[:, None] * s[None, :]
    drive = _h_sat(t, np.full_like(t, _P_PA))[0] - (h_air_in[:, None] + lg_ratio * _CP * (t - t_out[:, None]))
    with np.errstate(divide="ignore"):
        f = np.where(drive > 0.0, _CP / np.where(drive > 0.0, drive, 1.0), np.inf)
    ntu = np.sum((f[:, 1:] + f[:, :-1]) * np.diff(t, axis=1), axis=1) / 2.0
    return np.where(drive.min(axis=1) > 0.0, ntu, np.inf)


@lru_cache(maxsize=64)
def _approach_table(design: tuple[float, float, float, float]) -> tuple[np.ndarray, np.ndarray]:
    """(wet bulbs [degC], approach [K]) of the tower ``design`` = (design wet bulb, design approach, design
    range, L/G) on the grid wet bulbs x ``_F_GRID`` (full airflow, design water flow, range ``f x`` design range),
    solved over all the grid points at once until a step is at most ``_TABLE_TOL_K``."""
    from .thermal_water import _h_sat
    wb_d, a_d, r_d, lg = design
    ntu_d = merkel_ntu(wb_d + a_d + r_d, wb_d + a_d, wb_d, lg)
    grid = wb_d + _WB_STEP * np.arange(np.floor((_WB_RANGE[0] - wb_d) / _WB_STEP),
                                       np.ceil((_WB_RANGE[1] - wb_d) / _WB_STEP) + 1.0)
    wb, f = np.meshgrid(grid, _F_GRID[1:], indexing="ij")
    wb, rng = wb.ravel(), (f * r_d).ravel()
    h_in = _h_sat(wb, np.full_like(wb, _P_PA))[0]
    # Illinois (regula falsi) on g = 1/NTU(approach) - 1/NTU_d, which rises with the approach (the NTU a
    # tower needs falls as its leaving water warms) from -1/NTU_d at 0 (inf NTU): bracketed, superlinear
    def g(a):
        return 1.0 / _ntu_vec(wb + a + rng, wb + a, h_in, lg) - 1.0 / ntu_d
    lo, hi = np.zeros_like(wb), np.full_like(wb, 45.0)   # approach bracket [K]
    g_lo, g_hi = np.full_like(wb, -1.0 / ntu_d), g(hi)
    if not (g_hi > 0.0).all():
        raise InputError(f"the tower design {design} leaves no approach within 45 K at some wet bulb in "
                         f"{grid[0]:g}..{grid[-1]:g} degC", field="tower_approach_k")
    x, side = hi.copy(), np.zeros(wb.shape, int)
    for _ in range(100):
        x_new = hi - g_hi * (hi - lo) / (g_hi - g_lo)
        done = np.abs(x_new - x) <= _TABLE_TOL_K
        x = x_new
        if done.all():
            break
        gx = g(x)
        up = gx > 0.0                      # the root is below x: x is the new hi
        # Illinois: the end kept twice in a row has its g halved (no one-sided creep)
        g_lo = np.where(up & (side == 1), 0.5 * g_lo, g_lo)
        g_hi = np.where(~up & (side == -1), 0.5 * g_hi, g_hi)
        lo, g_lo = np.where(up, lo, x), np.where(up, g_lo, gx)
        hi, g_hi = np.where(up, x, hi), np.where(up, gx, g_hi)
        side = np.where(up, 1, -1)
    table = np.zeros((grid.size, _F_GRID.size))
    table[:, 1:] = x.reshape(grid.size, _F_GRID.size - 1)
    grid.flags.writeable = table.flags.writeable = False
    return grid, table


def _design_key(design_wet_bulb_degc, design_approach_k, range_k, lg_ratio) -> tuple[float, float, float, float]:
    key = tuple(round(float(x), 6) for x in (design_wet_bulb_degc, design_approach_k, range_k, lg_ratio))
    if not (np.isfinite(key).all() and key[1] > 0.0 and key[2] > 0.0 and key[3] > 0.0):
        raise InputError(f"a tower design needs a finite wet bulb and an approach, range and L/G above 0, got "
                         f"wet bulb {key[0]:g} degC, approach {key[1]:g} K, range {key[2]:g} K, L/G {key[3]:g}",
                         field="tower_approach_k")
    return key


def _rows(grid_table, wet_bulb):
    """The table's approach-vs-heat row at each (clamped) wet bulb, interpolated: shape (n, len(_F_GRID))."""
    grid, table = grid_table
    x = (np.clip(wet_bulb, grid[0], grid[-1]) - grid[0]) / _WB_STEP
    i = np.minimum(x.astype(int), grid.size - 2)
    w = (x - i)[:, None]
    return (1.0 - w) * table[i] + w * table[i + 1]


def tower_approach_k(wet_bulb_degc, heat_frac, *, design_wet_bulb_degc: float = 25.5, design_approach_k: float = 3.9,
                     range_k: float = 5.6, lg_ratio: float = 1.6):
    """Approach (leaving water - wet bulb) [K] at full airflow of the tower whose design point is
    ``design_approach_k`` at ``design_wet_bulb_degc`` with range ``range_k`` and ``lg_ratio`` (Merkel, fixed
    NTU and L/G: :func:`merkel_approach_k`), rejecting ``heat_frac`` x its design heat at its design water
    flow (range ``heat_frac x range_k``). Vectorised over ``wet_bulb_degc`` and ``heat_frac`` (broadcast).

    Bilinear interpolation in a table solved once per design (cached on the design rounded to 1e-6):
    wet bulbs in 1 K steps through the design wet bulb, from about -10 to 36 degC; heat 0 to 2.5x in 0.1
    steps. Within :data:`TABLE_ACCURACY_K` (0.03 K) of a point-by-point Merkel solution (same integral,
    :func:`merkel_ntu`); at the grid points to the solver's 1e-6 K, so the design point returns its own
    approach. Wet bulbs below the table (about -10 degC) are clamped to it: freezing hours are out of scope
    (basin heaters, bypass and de-icing are not modelled; at that approach the tower free-cools anyway);
    above 36 degC likewise. Heat above 2.5x the design scales the 2.5x approach in proportion. 0 at no heat.
    The table solves about 1,200 towers at once by regula falsi (about 0.5 s a design).

    >>> round(float(tower_approach_k(13.6, 1.0)), 1), float(tower_approach_k(10.0, 0.0))
    (7.7, 0.0)
    """
    grid_table = _approach_table(_design_key(design_wet_bulb_degc, design_approach_k, range_k, lg_ratio))
    wb, f = np.broadcast_arrays(np.asarray(wet_bulb_degc, float), np.asarray(heat_frac, float))
    shape = wb.shape
    wb, f = wb.ravel(), np.maximum(f.ravel(), 0.0)
    rows = _rows(grid_table, wb)
    y = f / (_F_GRID[1] - _F_GRID[0])
    j = np.minimum(y.astype(int), _F_GRID.size - 2)
    k = np.arange(f.size)
    out = rows[k, j] + (y - j) * (rows[k, j + 1] - rows[k, j])
    top = f > _F_GRID[-1]
    out[top] = rows[top, -1] * f[top] / _F_GRID[-1]
    out = out.reshape(shape)
    return out if out.ndim else float(out)


def tower_heat_frac(wet_bulb_degc, approach_k, *, design_wet_bulb_degc: float = 25.5, design_approach_k: float = 3.9,
                    range_k: float = 5.6, lg_ratio: float = 1.6):
    """Inverse of :func:`tower_approach_k` in the heat: the heat [x design heat] the tower rejects at full
    airflow with its water leaving ``approach_k`` [K] above ``wet_bulb_degc`` (0 where ``approach_k <= 0``).
    The exact inverse of the interpolated table (the approach rises with the heat along every row)."""
    grid_table = _approach_table(_design_key(design_wet_bulb_degc, design_approach_k, range_k, lg_ratio))
    wb, a = np.broadcast_arrays(np.asarray(wet_bulb_degc, float), np.asarray(approach_k, float))
    shape = wb.shape
    wb, a = wb.ravel(), np.maximum(a.ravel(), 0.0)
    rows = _rows(grid_table, wb)
    j = np.minimum((rows < a[:, None]).sum(axis=1) - 1, _F_GRID.size - 2)
    j = np.maximum(j, 0)
    k = np.arange(a.size)
    lo, hi = rows[k, j], rows[k, j + 1]
    out = _F_GRID[j] + (a - lo) / (hi - lo) * (_F_GRID[1] - _F_GRID[0])
    top = a > rows[:, -1]
    out[top] = _F_GRID[-1] * a[top] / rows[top, -1]
    out = out.reshape(shape)
    return out if out.ndim else float(out)
