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

A design point no tower can meet (the air would leave hotter, in enthalpy, than saturated air at the water
entering: too high an L/G, too small an approach or range for the design wet bulb) or one needing an NTU above
:data:`NTU_MAX` is refused, naming its figures and the value of each that would pass
(:func:`check_tower_design`; the plant calls it where it forms its tower design,
:func:`dcplan.thermal_plant_params.tower_design`). Such a design's NTU was infinite, and its table solved
to a zero approach at every wet bulb.
"""
from __future__ import annotations

from functools import lru_cache

import numpy as np

from .errors import InputError

__all__ = ["merkel_ntu", "merkel_approach_k", "merkel_free_cooling_limit_degc", "tower_approach_k",
           "tower_heat_frac", "check_tower_design", "TABLE_ACCURACY_K", "TABLE_ACCURACY_WIDE_K", "NTU_MAX",
           "T_WATER_MAX_DEGC", "PLANT_NAMES"]

_CP = 4.186           # water, kJ/(kg K) (dcplan.thermal_plant_loop._CP_WATER)
_P_PA = 101325.0      # standard pressure [Pa]
_STEPS = 200
#: Hottest water [degC] the Merkel solutions here take: below boiling at the standard pressure they are
#: solved at (100 degC, where the saturated air's enthalpy ends), with a margin. A physical bound, not a
#: claim that Merkel's method holds there: HVAC tower fill is not selected for water this hot. The
#: default tower's table reaches 53 degC (36.5 degC wet bulb, 2.5x its design heat).
T_WATER_MAX_DEGC = 95.0
#: Largest Merkel NTU (``KaV/L``) of a design tower accepted (:func:`check_tower_design`). An estimate,
#: not a published limit: about 3 times the default tower's 1.58 (35 -> 29.4 degC at 25.5 degC wet bulb,
#: L/G 1.6) and above the 4.48 of the widest range allowed (20 K at that design). The NTU a design needs
#: grows without bound as it nears the point where the air would leave as hot (in enthalpy) as the water
#: entering, and there a table of its approach is ill-conditioned (L/G 2.15: NTU 6.5; 2.16: 16.5).
NTU_MAX = 5.0
#: Keyword names of a tower design in this module's functions, and the plant's names of the same
#: (``data/cooling_defaults.csv``; :func:`dcplan.thermal_plant_params.tower_design`).
_KW_NAMES = ("design_wet_bulb_degc", "design_approach_k", "range_k", "lg_ratio")
PLANT_NAMES = ("chiller_design_wb_degc", "tower_approach_k", "condenser_rise_k", "tower_lg_ratio")


def _finite(x, name: str, what: str = "a temperature in degC") -> np.ndarray:
    arr = np.asarray(x, float)
    bad = ~np.isfinite(arr)
    if bad.any():
        raise InputError(f"must be {what}, finite, got {float(arr[bad].flat[0])!r} ({int(bad.sum())} value(s) "
                         "NaN or infinite)", field=name)
    return arr


def merkel_ntu(t_in_degc: float, t_out_degc: float, wet_bulb_degc: float, lg_ratio: float) -> float:
    """Merkel NTU (``KaV/L``) of a counterflow tower cooling water ``t_in -> t_out`` [degC] with air
    entering saturated at ``wet_bulb_degc`` [degC] at liquid-to-gas ratio ``lg_ratio`` [kg/kg]; inf
    when the air would reach the water's saturation enthalpy (no tower can). InputError unless the
    values are finite, ``t_out < t_in <= T_WATER_MAX_DEGC`` and ``lg_ratio > 0``."""
    for name, x in (("t_in_degc", t_in_degc), ("t_out_degc", t_out_degc), ("wet_bulb_degc", wet_bulb_degc)):
        _finite(x, name)
    _finite(lg_ratio, "lg_ratio", "an L/G ratio in kg water per kg dry air")
    if not float(lg_ratio) > 0.0:
        raise InputError(f"must be above 0 kg water per kg dry air, got {lg_ratio!r}", field="lg_ratio")
    if not float(t_out_degc) < float(t_in_degc) <= T_WATER_MAX_DEGC:
        raise InputError(f"water in at {t_in_degc!r} degC and out at {t_out_degc!r} degC: allowed: the water "
                         f"entering warmer than leaving, at most {T_WATER_MAX_DEGC:g} degC", field="t_in_degc")
    return _ntu(float(t_in_degc), float(t_out_degc), float(wet_bulb_degc), float(lg_ratio))


def _h_s(t: float) -> float:
    from .thermal_water import _h_sat
    return float(_h_sat(np.array([t]), np.array([_P_PA]))[0][0])


def _ntu(t_in_degc: float, t_out_degc: float, wet_bulb_degc: float, lg_ratio: float) -> float:
    """:func:`merkel_ntu` of checked values."""
    from .thermal_water import _h_sat   # (here: dcplan.thermal_water imports the plant loop, which imports this)
    h_in = _h_s(wet_bulb_degc)
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


@lru_cache(maxsize=256)
def _design_ntu(key: tuple[float, float, float, float]) -> float:
    wb, a, r, lg = key
    return _ntu(wb + a + r, wb + a, wb, lg)


def _pinch_lg(wb: float, a: float, r: float) -> float:
    """The L/G [kg/kg] at which the air, entering saturated at ``wb``, reaches the saturation enthalpy of
    the water somewhere between ``wb + a`` and ``wb + a + r`` (the NTU is infinite from there up):
    ``min over T of (h_s(T) - h_s(wb)) / (cp (T - T_out))``; at the water entering when that is the pinch,
    ``(h_s(T_in) - h_s(wb)) / (cp r)``, the air leaving saturated at the entering water's temperature."""
    from .thermal_water import _h_sat
    t = np.linspace(wb + a, wb + a + r, _STEPS + 1)[1:]
    return float(np.min((_h_sat(t, np.full_like(t, _P_PA))[0] - _h_s(wb)) / (_CP * (t - (wb + a)))))


def _limits_text(wb: float, a: float, r: float, lg: float, names, approach_moves_wb: bool = False) -> str:
    """What would pass :func:`check_tower_design`, one value at a time with the others as given: the largest
    L/G and range, the smallest approach and design wet bulb at which the design needs ``NTU_MAX``
    (``approach_moves_wb``: the design wet bulb is the leaving water less the approach, the AHRI point's)."""
    def ntu(wb_, a_, r_, lg_):
        if approach_moves_wb and a_ != a:
            wb_ = wb_ + a - a_
        return _ntu(wb_ + a_ + r_, wb_ + a_, wb_, lg_)
    out = []
    if ntu(wb, a, r, 1e-6) <= NTU_MAX:
        x = _bisect(lambda v: ntu(wb, a, r, v) - NTU_MAX, 1e-6, lg)
        out.append(f"{names[3]} <= {np.floor(x * 100.0) / 100.0:.2f}")
    hi = wb + a - (-40.0) if approach_moves_wb else T_WATER_MAX_DEGC - wb - r   # (a design wet bulb >= -40 degC)
    if hi > a and ntu(wb, hi, r, lg) <= NTU_MAX:
        x = _bisect(lambda v: NTU_MAX - ntu(wb, v, r, lg), a, hi)
        out.append(f"{names[1]} >= {np.ceil(x * 100.0) / 100.0:.2f} K")
    x = _bisect(lambda v: ntu(wb, a, v, lg) - NTU_MAX, 1e-9, r)
    out.append(f"{names[2]} <= {np.floor(x * 100.0) / 100.0:.2f} K")
    hi = T_WATER_MAX_DEGC - a - r
    if hi > wb and ntu(hi, a, r, lg) <= NTU_MAX:
        x = _bisect(lambda v: NTU_MAX - ntu(v, a, r, lg), wb, hi)
        out.append(f"a design wet bulb >= {np.ceil(x * 100.0) / 100.0:.2f} degC")
    return ", or ".join(out)


_WHY_POSITIVE = (None, "a tower's design approach (leaving water - wet bulb) of 0 K or less needs an infinite tower",
                 "the tower's range (entering - leaving water) is the heat it carries per kg of water",
                 "the liquid-to-gas ratio is the water's flow over the air's")


def check_tower_design(design_wet_bulb_degc: float, design_approach_k: float, range_k: float, lg_ratio: float, *,
                       names: tuple[str, str, str, str] = _KW_NAMES, wet_bulb_text: str | None = None,
                       field: str | None = None, approach_moves_wb: bool = False) -> float:
    """The Merkel NTU (``KaV/L``) of the tower whose design point is ``design_approach_k`` [K] at
    ``design_wet_bulb_degc`` [degC] with range ``range_k`` [K] and L/G ``lg_ratio`` [kg/kg], or an
    InputError if no such tower can work or it needs an NTU above :data:`NTU_MAX`.

    A tower cools its water towards the wet bulb only while the air, whose enthalpy rises by
    ``L/G x 4.186 x range`` on its way up, stays below the saturation enthalpy at the water's temperature;
    at the default duty (35 -> 29.4 degC at 25.5 degC wet bulb, range 5.6 K) that holds up to L/G
    ``(h_s(35) - h_s(25.5)) / (4.186 x 5.6) = 2.16`` (101,325 Pa): above, the air would leave hotter than
    the water entering (an infinite NTU; it was modelled as a zero approach). Near that point the NTU grows
    without bound: :data:`NTU_MAX` refuses the designs no real tower is built for. The error names
    every field (``names``: these keywords, or :data:`PLANT_NAMES` for the plant's overrides), their values
    and, one at a time, the value of each that would pass. ``wet_bulb_text`` says where the design wet
    bulb came from (default ``"<names[0]> <value> degC"``); ``field`` is the error's field (default the
    L/G's name); ``approach_moves_wb``: the design wet bulb is the AHRI point's, the rated condenser water
    less the approach, so the smallest approach quoted moves it too.
    """
    vals = []
    for n, x, unit in zip(names, (design_wet_bulb_degc, design_approach_k, range_k, lg_ratio),
                          ("degC", "K", "K", "kg water per kg dry air")):
        try:
            if isinstance(x, (bool, np.bool_, str)):
                raise TypeError
            v = float(x)
        except (TypeError, ValueError):
            raise InputError(f"must be a number in {unit}, got {x!r}", field=n) from None
        if not np.isfinite(v):
            raise InputError(f"must be finite ({unit}), got {x!r}", field=n)
        if n != names[0] and not v > 0.0:
            raise InputError(f"must be above 0 {unit}, got {x!r}: {_WHY_POSITIVE[names.index(n)]}", field=n)
        vals.append(v)
    wb, a, r, lg = vals
    wb_text = wet_bulb_text or f"{names[0]} {wb:g} degC"
    water = f"water {wb + a + r:.4g} -> {wb + a:.4g} degC"
    if not wb + a + r <= T_WATER_MAX_DEGC:
        raise InputError(f"the cooling-tower design at {wb_text}, {names[1]} {a:g} K and {names[2]} {r:g} K takes "
                         f"{water}; allowed: water at most {T_WATER_MAX_DEGC:g} degC (below boiling)",
                         field=field or names[2])
    ntu = _design_ntu(tuple(round(x, 6) for x in vals))
    if ntu <= NTU_MAX:
        return ntu
    head = f"at {wb_text}, {names[1]} {a:g} K, {names[2]} {r:g} K ({water}) and {names[3]} {lg:g}"
    pinch = _pinch_lg(wb, a, r)
    if np.isinf(ntu):
        why = (f"the cooling-tower design cannot work: {head} the air would leave the tower hotter (in enthalpy) "
               f"than saturated air at the water entering it, so no tower of any size can (it was modelled with a "
               f"zero approach); the largest L/G at which it would not is {pinch:.3f} here")
    else:
        why = (f"the cooling-tower design needs a Merkel NTU (KaV/L) of {ntu:.3g} {head}: above the {NTU_MAX:g} "
               f"allowed (the default tower needs 1.58; the NTU grows without bound towards L/G {pinch:.3f}, where "
               "the air would leave as hot as the water entering)")
    raise InputError(f"{why}; allowed: a design needing an NTU of at most {NTU_MAX:g}, here "
                     f"{_limits_text(wb, a, r, lg, names, approach_moves_wb)} (each with the others as given)",
                     field=field or names[3])


def merkel_approach_k(wet_bulb_degc: float, *, design_wet_bulb_degc: float = 25.5, design_approach_k: float = 3.9,
                      range_k: float = 5.6, lg_ratio: float = 1.6, heat_frac: float = 1.0) -> float:
    """Approach (leaving water - wet bulb) [K] at ``wet_bulb_degc`` of the tower whose design point is
    ``design_approach_k`` at ``design_wet_bulb_degc`` with range ``range_k`` [K] and ``lg_ratio``, at the same
    NTU and L/G, rejecting ``heat_frac`` x its design heat at its design water flow (range ``heat_frac x
    range_k``; default 1, the design heat) (defaults: data/cooling_defaults.csv's tower, 35 -> 29.4 degC at
    25.5 degC wet bulb, L/G 1.6). A point-by-point solution (bisection to 1e-9 K): the reference
    :func:`tower_approach_k`'s table is checked against. The design must pass :func:`check_tower_design`;
    InputError where the wet bulb or ``heat_frac`` is not finite, ``heat_frac`` is negative, or the tower
    would need its water above :data:`T_WATER_MAX_DEGC` (or an approach above 40 K) for the heat.

    >>> round(merkel_approach_k(25.5), 2), round(merkel_approach_k(13.6), 1)
    (3.9, 7.7)
    """
    wb = float(_finite(wet_bulb_degc, "wet_bulb_degc"))
    f = float(_finite(heat_frac, "heat_frac", "a heat in x the design heat"))
    if f < 0.0:
        raise InputError(f"must be >= 0 (x the tower's design heat), got {heat_frac!r}", field="heat_frac")
    ntu = check_tower_design(design_wet_bulb_degc, design_approach_k, range_k, lg_ratio)
    rng = f * float(range_k)
    if not rng > 0.0:
        return 0.0
    lg = float(lg_ratio)

    def g(x):   # NTU needed falls as the leaving water warms: bisect on the leaving water temperature
        return ntu - _ntu(x + rng, x, wb, lg)
    hi = min(wb + 40.0, T_WATER_MAX_DEGC - rng)
    if not (hi > wb and g(hi) > 0.0):
        raise InputError(f"the tower (NTU {ntu:.3g}) cannot reject {f:g}x its design heat (range {rng:g} K) at "
                         f"wet bulb {wb:g} degC with its water at most {T_WATER_MAX_DEGC:g} degC and an approach of "
                         "at most 40 K; allowed: a heat and wet bulb the tower can carry below those",
                         field="heat_frac")
    return _bisect(g, wb + 1e-9, hi) - wb


def merkel_free_cooling_limit_degc(supply_degc: float, hx_approach_k: float, **design) -> float:
    """Wet bulb [degC] up to which the tower (approach by :func:`merkel_approach_k`, ``design`` its
    keywords) plus the plate heat exchanger's ``hx_approach_k`` hold ``supply_degc`` at full design heat:
    the root of ``wb + A(wb) + hx = supply`` (``A`` widens as ``wb`` falls, so the limit is below the
    design-approach screen's ``supply - A_d - hx``)."""
    supply = float(_finite(supply_degc, "supply_degc"))
    hx = float(_finite(hx_approach_k, "hx_approach_k", "an approach in K"))
    return _bisect(lambda wb: wb + merkel_approach_k(wb, **design) + hx - supply, -30.0, supply - hx)


# --- the vectorised approach of the plant model -------------------------------------------------

#: Table of :func:`tower_approach_k`: wet bulbs [degC] and heat fractions [-] it is solved at. The wet
#: bulbs run in ``_WB_STEP`` steps through the design wet bulb (so the design point is a grid point) from
#: within a step below ``_WB_RANGE[0]`` to within one above ``_WB_RANGE[1]``; outside, the wet bulb is
#: clamped to the table's (below: freezing hours, with their basin heaters, bypass and de-icing, are out
#: of this model's scope, and a tower there free-cools at any approach the table gives; above: no
#: recorded wet bulb is above 35 degC). Above ``_F_GRID[-1]`` the approach is extrapolated in proportion
#: to the heat (a tower far above its design heat); so is it at the points of the table the tower could only
#: reach with its water above :data:`T_WATER_MAX_DEGC` (none for ranges up to 20 K at the allowed designs:
#: the widest, 20 K, takes 87 degC water at 36.5 degC wet bulb and 2.5x its design heat).
_WB_RANGE = (-10.0, 36.0)
_WB_STEP = 1.0
#: Heat fractions: 0.025 steps to 0.1 (the approach bends most at light heat), then 0.1 steps to 2.5.
_F_GRID = np.concatenate([np.arange(0.0, 0.1, 0.025), np.arange(0.1, 0.6, 0.05), np.arange(0.6, 2.5 + 1e-9, 0.1)])
#: Solver tolerance of the table's approach [K]: the last step of its regula falsi.
_TABLE_TOL_K = 1e-6
#: Bilinear interpolation error of the table against a point-by-point Merkel solution for design ranges up
#: to 10 K (the most found on wet bulbs -10.5..36 degC and heat 0.01..2.5x design: 0.011 K at the default
#: 5.6 K range, 0.025 K at 8.3 K, at -10.5 degC and 0.65x), the bound tests/test_thermal_tower_merkel.py
#: checks [K]. Wider ranges interpolate a wider water span per heat step: :data:`TABLE_ACCURACY_WIDE_K`.
TABLE_ACCURACY_K = 0.03
#: The same for design ranges above 10 K, up to the 20 K allowed (0.035 K found at 12 K, 0.048 K at 20 K,
#: at the table's coldest wet bulbs) [K]. Above 20 K not measured.
TABLE_ACCURACY_WIDE_K = 0.05


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
    solved over all the grid points at once until a step is at most ``_TABLE_TOL_K``. A point whose water would
    enter above :data:`T_WATER_MAX_DEGC` (or leave more than 45 K above the wet bulb) is not solved: its approach
    is the row's last solved one scaled in proportion to the heat, as above ``_F_GRID[-1]``. Solved once per
    design and code version, then read back (:mod:`dcplan._solved_cache`: 0.3 s a design in each process)."""
    from ._solved_cache import kept_arrays
    grid, table = kept_arrays("merkel-approach", tuple(design), lambda: _solve_approach_table(design), 2)
    return grid, table


def _solve_approach_table(design: tuple[float, float, float, float]) -> tuple[np.ndarray, np.ndarray]:
    """:func:`_approach_table`, solved."""
    from .thermal_water import _h_sat
    wb_d, a_d, r_d, lg = design
    ntu_d = _design_ntu(design)
    grid = wb_d + _WB_STEP * np.arange(np.floor((_WB_RANGE[0] - wb_d) / _WB_STEP),
                                       np.ceil((_WB_RANGE[1] - wb_d) / _WB_STEP) + 1.0)
    wb_all, f = np.meshgrid(grid, _F_GRID[1:], indexing="ij")
    wb_all, rng_all = wb_all.ravel(), (f * r_d).ravel()
    # approach bracket [K]: up to 45 K, with the water entering at most T_WATER_MAX_DEGC (past 100 degC the
    # saturated air's enthalpy is undefined: a 2.5x heat row of an 8 K range went there and failed)
    hi_all = np.minimum(45.0, T_WATER_MAX_DEGC - wb_all - rng_all)
    ok = hi_all > 0.0
    h_all = _h_sat(wb_all, np.full_like(wb_all, _P_PA))[0]
    g_hi = np.full_like(wb_all, -1.0)
    t_out = wb_all[ok] + hi_all[ok]
    g_hi[ok] = 1.0 / _ntu_vec(t_out + rng_all[ok], t_out, h_all[ok], lg) - 1.0 / ntu_d
    ok &= g_hi > 0.0                       # a root within the bracket
    wb, rng, h_in, hi, g_hi = wb_all[ok], rng_all[ok], h_all[ok], hi_all[ok], g_hi[ok]

    # Illinois (regula falsi) on g = 1/NTU(approach) - 1/NTU_d, which rises with the approach (the NTU a
    # tower needs falls as its leaving water warms) from -1/NTU_d at 0 (inf NTU): bracketed, superlinear
    def g(a):
        return 1.0 / _ntu_vec(wb + a + rng, wb + a, h_in, lg) - 1.0 / ntu_d
    lo, g_lo = np.zeros_like(wb), np.full_like(wb, -1.0 / ntu_d)
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
    sol = np.full(wb_all.shape, np.nan)
    sol[ok] = x
    table = np.zeros((grid.size, _F_GRID.size))
    table[:, 1:] = sol.reshape(grid.size, _F_GRID.size - 1)
    # the unsolved points of a row are its hottest heats (the entering water rises with the heat): each takes
    # the row's last solved approach in proportion to the heat
    solved = np.isfinite(table[:, 1:])
    n_ok = solved.sum(axis=1)
    if not ((n_ok >= 1) & (solved.cumprod(axis=1).sum(axis=1) == n_ok)).all():   # pragma: no cover
        raise InputError(f"the tower design (design wet bulb {wb_d:g} degC, approach {a_d:g} K, range {r_d:g} K, "
                         f"L/G {lg:g}) leaves no approach below {T_WATER_MAX_DEGC:g} degC water at "
                         f"{_F_GRID[1]:g}x its design heat at some wet bulb in {grid[0]:g}..{grid[-1]:g} degC; "
                         "allowed: a smaller condenser_rise_k", field="condenser_rise_k")
    for i in np.flatnonzero(n_ok < _F_GRID.size - 1):
        j = n_ok[i]
        table[i, j + 1:] = table[i, j] * _F_GRID[j + 1:] / _F_GRID[j]
    grid.flags.writeable = table.flags.writeable = False
    return grid, table


def _design_key(design_wet_bulb_degc, design_approach_k, range_k, lg_ratio) -> tuple[float, float, float, float]:
    check_tower_design(design_wet_bulb_degc, design_approach_k, range_k, lg_ratio)
    return tuple(round(float(x), 6) for x in (design_wet_bulb_degc, design_approach_k, range_k, lg_ratio))


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
    wet bulbs in 1 K steps through the design wet bulb, from about -10 to 36 degC; heat 0 to 2.5x (steps
    0.025 to 0.1, 0.05 to 0.6, then 0.1). Within :data:`TABLE_ACCURACY_K` (0.03 K; design ranges up to 10 K;
    :data:`TABLE_ACCURACY_WIDE_K`, 0.05 K, up to 20 K) of a point-by-point Merkel solution (same integral,
    :func:`merkel_ntu`); at the grid points to the solver's 1e-6 K, so the design point returns its own
    approach. The design must pass :func:`check_tower_design`; wet bulbs and heats must be finite, heats >= 0.
    Wet bulbs below the table (about -10 degC) are clamped to it: freezing hours are out of scope
    (basin heaters, bypass and de-icing are not modelled; at that approach the tower free-cools anyway);
    above 36 degC likewise. Heat above 2.5x the design scales the 2.5x approach in proportion. 0 at no heat.
    The table solves about 1,600 towers at once by regula falsi (about 1 s a design).

    >>> round(float(tower_approach_k(13.6, 1.0)), 1), float(tower_approach_k(10.0, 0.0))
    (7.7, 0.0)
    """
    grid_table = _approach_table(_design_key(design_wet_bulb_degc, design_approach_k, range_k, lg_ratio))
    f = _finite(heat_frac, "heat_frac", "a heat in x the design heat")
    if (f < 0.0).any():
        raise InputError(f"must be >= 0 (x the tower's design heat), got {float(f[f < 0.0].flat[0])!r} "
                         f"({int((f < 0.0).sum())} value(s) negative)", field="heat_frac")
    wb, f = np.broadcast_arrays(_finite(wet_bulb_degc, "wet_bulb_degc"), f)
    shape = wb.shape
    wb, f = wb.ravel(), f.ravel()
    rows = _rows(grid_table, wb)
    j = np.clip(np.searchsorted(_F_GRID, f, side="right") - 1, 0, _F_GRID.size - 2)
    k = np.arange(f.size)
    out = rows[k, j] + (f - _F_GRID[j]) / (_F_GRID[j + 1] - _F_GRID[j]) * (rows[k, j + 1] - rows[k, j])
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
    wb, a = np.broadcast_arrays(_finite(wet_bulb_degc, "wet_bulb_degc"),
                                _finite(approach_k, "approach_k", "an approach in K"))
    shape = wb.shape
    wb, a = wb.ravel(), np.maximum(a.ravel(), 0.0)
    rows = _rows(grid_table, wb)
    j = np.minimum((rows < a[:, None]).sum(axis=1) - 1, _F_GRID.size - 2)
    j = np.maximum(j, 0)
    k = np.arange(a.size)
    lo, hi = rows[k, j], rows[k, j + 1]
    out = _F_GRID[j] + (a - lo) / (hi - lo) * (_F_GRID[j + 1] - _F_GRID[j])
    top = a > rows[:, -1]
    out[top] = _F_GRID[-1] * a[top] / rows[top, -1]
    out = out.reshape(shape)
    return out if out.ndim else float(out)
