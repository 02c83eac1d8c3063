"""Part-load power of the cooling plant's variable-speed movers: CRAH fans and loop pumps.

Part of the hourly cooling-plant model (:mod:`dcplan.thermal_plant_loop`, "Heat of the plant's own
fans and pumps"). CRAH / fan-wall fans and the variable-speed loop pumps (chilled water on the air
loop; facility water + CDU on the liquid loop) move a flow in proportion to the loop's heat load
``Q`` (the design temperature rise is held: ``chw_dt_k``, ``liquid_dt_k``, the air's design rise),
so their **flow fraction** is ``x = Q / Q_ref``, with ``Q_ref`` the loop's heat load at the design
IT (its nameplate ``Qd`` over ``1 + margin_frac``: the flow the movers are selected for; the margin
is headroom above it; a plant below the design IT, ``margin_frac`` < 0: its nameplate). The plant's
``capacity_it_kw`` still counts them at their full-load kW per kW (``cap (1 - k)``, a rating figure:
:func:`base_carried_kw` gives what they take at part flow, more IT in hours short of capacity). Their power is ``P = c Q_ref F(x)``, ``c`` the design kW per kW of
``data/cooling_defaults.csv`` (``crah_fan_kw_per_kw``, ``chw_pump_kw_per_kw``,
``liquid_pump_kw_per_kw``), and ``F`` the fraction of design power:

* ``0 < x <= 1``: ``F(x) = C(max(x, x_min)) / C(1)`` with ``C(x) = c0 + c1 x + c2 x^2 + c3 x^3``.
  Fans: ASHRAE 90.1 Appendix G Table G3.1.3.15, "Method 2" (VAV fan, VSD with a fixed static
  pressure setpoint): 0.0013 + 0.1470 x + 0.9506 x^2 - 0.0998 x^3 (as implemented by NREL
  openstudio-standards for the 90.1-2016 Appendix G baseline, "Multi Zone VAV with Fixed Static
  Pressure Setpoint"), minimum flow fraction ``x_min`` 0.2 (the same implementation's minimum).
  Pumps: NREL openstudio-standards ``Pump:VariableSpeed`` curve "VSD No Reset" (fixed differential
  pressure setpoint): 0.5726 x - 0.301 x^2 + 0.7347 x^3; ``x_min`` 0.25, ASHRAE 90.1-2019 Appendix
  G G3.1.3.10 (variable-speed secondary chilled-water pumps modelled with a minimum flow of 25 % of
  design), which gives no curve of its own. ``C(1)`` is 0.9991 (fans) and 1.0063 (pumps): dividing
  by it makes the design flow draw exactly the design power, so an hour at the design IT is as before;
* ``x > 1`` (hours above the design IT, and the margin's headroom up to the nameplate): ``F(x) = x``,
  the design kW per kW held (so the nameplate ``Qd`` carries ``Qd (1 - k)`` of base load, as the
  plant's capacity logic counts it). An estimate: a fan pushed above its design flow on the same
  system follows the affinity law (``x^3``), more than this;
* ``x = 0`` (no heat): off.

Both curves are fixed-setpoint (no static / differential pressure reset) versions, the higher of
their families at part load: with pressure reset (openstudio-standards "VSD DP Reset", 90.1's SP
reset fan curve) part-load power is lower still. Coefficients and floors are rows of
``data/cooling_defaults.csv`` (``crah_fan_plr_c0..c3``, ``crah_fan_min_flow_frac``,
``pump_plr_c0..c3``, ``pump_min_flow_frac``).

Energy balance: the movers' in-loop heat (``h_fan P_fan + h_pump P_pump``) is the same part-load
power, so a loop's heat load solves ``Q = B + Q_ref (a_f F_f(Q / Q_ref) + a_p F_p(Q / Q_ref))``
(``a_f = h_fan c_fan``, ``a_p = h_pump c_pump``: the loop's in-loop share ``k = a_f + a_p`` at design
flow). The right side rises with ``Q`` at a slope ``a_f F_f' + a_p F_p'`` < 1 (checked; 0.11 with the
defaults), so the root is unique and substitution from the linear solution ``B / (1 - k)`` (exact
at and above the design flow) converges, by ~0.11 per pass (``_TOL`` 1e-12 of ``Q_ref``).
"""
from __future__ import annotations

from typing import Mapping

import numpy as np

from .errors import InputError

__all__ = ["CURVE_KEYS", "mover_power_frac", "loop_heat_kw", "base_carried_kw", "check_curves"]

#: the rows of data/cooling_defaults.csv each curve reads: (c0, c1, c2, c3), minimum flow fraction
CURVE_KEYS = {"fan": (("crah_fan_plr_c0", "crah_fan_plr_c1", "crah_fan_plr_c2", "crah_fan_plr_c3"),
                      "crah_fan_min_flow_frac"),
              "pump": (("pump_plr_c0", "pump_plr_c1", "pump_plr_c2", "pump_plr_c3"), "pump_min_flow_frac")}

_TOL = 1e-12
_MAX_PASSES = 200
_GRID = np.linspace(0.0, 1.0, 1001)


def _coeffs(v: Mapping[str, float], kind: str) -> tuple[np.ndarray, float]:
    keys, floor = CURVE_KEYS[kind]
    return np.array([float(v[k]) for k in keys]), float(v[floor])


def _poly(c: np.ndarray, x):
    return c[0] + x * (c[1] + x * (c[2] + x * c[3]))


def _in_loop_frac(p, air_side: bool) -> float:
    """Share ``k`` of a loop's heat load at design flow that is its own fans' and pumps' heat
    (:mod:`dcplan.thermal_plant_loop`): ``h_fan * crah_fan_kw_per_kw + h_pump * pump_kw_per_kw``. [frac]"""
    v = p.values
    k = v["pump_heat_to_fluid_frac"] * v["chw_pump_kw_per_kw" if air_side else "liquid_pump_kw_per_kw"]
    if air_side:
        k += v["crah_fan_heat_to_air_frac"] * v["crah_fan_kw_per_kw"]
    return k


def mover_power_frac(x, v: Mapping[str, float], kind: str):
    """Fraction of design power ``F(x)`` of a variable-speed ``kind`` (``"fan"``: CRAH fans; ``"pump"``:
    loop pumps) at flow fraction ``x = Q / Q_ref`` (module docstring). [frac] in, [frac] out."""
    c, x_min = _coeffs(v, kind)
    x = np.asarray(x, float)
    below = _poly(c, np.clip(np.maximum(x, x_min), 0.0, 1.0)) / _poly(c, 1.0)
    out = np.where(x > 1.0, x, np.where(x > 0.0, below, 0.0))
    return out if out.ndim else float(out)


def _max_slope(v: Mapping[str, float], kind: str) -> float:
    """Steepest slope of ``F`` over ``[x_min, 1]`` (and 1 above): the contraction the solve relies on."""
    c, x_min = _coeffs(v, kind)
    g = _GRID[_GRID >= x_min]
    d = (c[1] + g * (2.0 * c[2] + 3.0 * g * c[3])) / _poly(c, 1.0)
    return max(1.0, float(d.max()))


def check_curves(v: Mapping[str, float], a_fan: float, a_pump: float, field: str) -> None:
    """Refuse curves the model cannot use, naming the key: ``C(1) > 0``; ``C`` non-negative and
    non-decreasing over ``[x_min, 1]`` (more flow never takes less power); the loop's heat balance
    contracting (``a_f max F_f' + a_p max F_p'`` < 1, ``a`` the in-loop kW per kW of design flow)."""
    for kind in ("fan", "pump"):
        keys, floor = CURVE_KEYS[kind]
        c, x_min = _coeffs(v, kind)
        at1 = _poly(c, 1.0)
        g = _GRID[_GRID >= x_min]
        name = "CRAH fans'" if kind == "fan" else "loop pumps'"
        if not at1 > 0.0:
            raise InputError(f"the {name} part-load curve {' + '.join(f'{x:g}' for x in c)} (x^0..x^3) is "
                             f"{at1:.4g} at full flow; it must be > 0 (a fraction of design power, 1 at design)",
                             field=keys[0])
        vals = _poly(c, g)
        if (vals < -1e-12).any() or (np.diff(vals) < -1e-12).any():
            bad = float(g[int(np.argmax((vals < -1e-12) | np.r_[np.diff(vals) < -1e-12, False]))])
            raise InputError(f"the {name} part-load curve must be >= 0 and non-decreasing in the flow fraction over "
                             f"[{floor} = {x_min:g}, 1]; it is not at x = {bad:.3f} ({', '.join(keys)})",
                             field=keys[2])
    slope = a_fan * _max_slope(v, "fan") + a_pump * _max_slope(v, "pump")
    if not slope < 1.0:
        raise InputError(f"the loop's own fan and pump heat rises by {slope:.3g} kW per kW of heat moved at part "
                         "load (in-loop kW/kW x the steepest slope of the part-load curves); it must be < 1",
                         field=field)


def loop_heat_kw(q_base, q_ref: float, a_fan: float, a_pump: float, v: Mapping[str, float]):
    """Heat load ``Q`` of a loop with base load ``q_base`` [kW]: the root of
    ``Q = B + Q_ref (a_f F_f(Q / Q_ref) + a_p F_p(Q / Q_ref))`` (module docstring). [kW]"""
    b = np.asarray(q_base, float)
    k = a_fan + a_pump
    if not q_ref > 0.0 or k == 0.0:
        return b / (1.0 - k)
    x = b / (q_ref * (1.0 - k))   # the linear solution: exact at and above the design flow
    bx = b / q_ref
    for _ in range(_MAX_PASSES):
        nxt = bx + a_fan * mover_power_frac(x, v, "fan") + a_pump * mover_power_frac(x, v, "pump")
        nxt = np.where(bx > 0.0, nxt, 0.0)   # no heat: the movers are off
        done = np.abs(nxt - x) <= _TOL * np.maximum(1.0, np.abs(x))
        x = nxt
        if np.all(done):
            break
    return x * q_ref


def base_carried_kw(q, q_ref: float, a_fan: float, a_pump: float, v: Mapping[str, float]):
    """Base load [kW] a loop removing heat ``q`` [kW] carries: ``q`` less its movers' in-loop heat at that
    flow (the inverse of :func:`loop_heat_kw`; ``q (1 - k)`` at and above the design flow)."""
    q = np.asarray(q, float)
    if not q_ref > 0.0:
        return q * (1.0 - a_fan - a_pump)
    x = q / q_ref
    return q - q_ref * (a_fan * mover_power_frac(x, v, "fan") + a_pump * mover_power_frac(x, v, "pump"))
