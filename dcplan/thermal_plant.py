"""Hourly cooling-plant model: cooling power, capacity, economizer, water, PUE.

Plant types (``CoolingSpec.type``)
----------------------------------
``air``
    One **air loop**: CRAH fans blow room air over chilled-water coils; a
    water-cooled chiller with a cooling tower makes the chilled water, and a
    water-side economizer (tower water through a plate heat exchanger) precools
    the return water whenever the wet bulb allows (full or partial free cooling).
``liquid``
    A **liquid loop** takes ``liquid_heat_frac`` of the IT heat (direct-to-chip
    cold plates -> CDU -> facility water -> cooling tower or dry cooler, optional
    trim chiller); the remaining heat (and the electrical losses) is on an air
    loop as above.

Equations of one loop (hour by hour, vectorized)
------------------------------------------------
With heat load ``Q`` [kW], design load ``Qd = (1 + margin) * peak`` [kW], part
load ``q = Q / Qd``, outdoor temperature ``To`` (wet bulb for towers, dry bulb
for dry coolers), rejection approach ``A`` at design load, plate-HX approach
``Ahx`` (towers only), supply setpoint ``Ts``, class maximum supply ``Tmax`` and
design rise ``dT``:

* free-cooling water temperature ``Tfree = To + Ahx + A * q`` (the approach of a
  fixed-UA exchanger at fixed flow grows with load);
* economizer fraction ``e = clip((Ts + dT - Tfree) / dT, 0, 1)`` (series
  water-side economizer: the share of the return-to-supply cooling done free);
* chiller load ``(1 - e) Q``; chiller COP is a constant fraction ``eta`` of the
  Carnot COP between the supply water and the condensing temperature,
  ``COP = min(COP_max, eta * (Ts + 273.15) / (Tcond - Ts))``, with ``eta`` fixed by
  the AHRI 550/590 rating point, so COP falls as the condenser gets warmer.
  ``Tcond = Twb + A_tower + 5.6 K`` (water-cooled) or ``Tdb + 15 K`` (air-cooled);
* chiller capacity ``Qch = Qch_rated * min(1, COP / COP_rated)`` (compressor
  power limited: capacity falls with COP);
* free-only capacity (no compressor) at the class maximum supply
  ``Qfree = Qd * min(1, max(0, Tmax - Ahx - To) / A)``;
  loop capacity ``max(Qfree, Qch + e * Q)`` with a chiller and economizer, ``Qch``
  with a chiller and no economizer (``economizer: false``: ``e = 0``, no free path),
  ``Qfree`` without a chiller; never above the nameplate ``Qd`` (pumps, CDU / plate HX
  and CRAH airflow are sized for ``Qd``; colder weather does not make them move more);
* pumps and CRAH fans are linear in the heat moved (kW per kW, ``data/cooling_defaults.csv``);
  tower / dry-cooler fans run at full speed while a compressor runs, otherwise at the
  speed ``s = clip(A q / (Ts - Ahx - To), s_min, 1)`` that just holds the setpoint
  (approach taken inversely proportional to airflow), with power
  ``f * max(Qrej, Qd s) * s**3`` (fan affinity law; ``f`` = kW per kW at full speed);
* tower water ``= latent_frac * Qrej * 3600 / h_fg * cycles / (cycles - 1)`` [L/h].

Heat of the plant's own fans and pumps (energy balance)
-------------------------------------------------------
A loop removes the heat put into it, and its own movers put heat into it: the electrical
input of a fan or pump ends up as heat, in the air or water it moves or around its motor.
Each loop's heat load ``Q`` is therefore its *base* load ``B`` (air loop: the room share
of the IT heat plus the electrical losses in the space; liquid loop: the captured IT heat)
plus the in-loop share of its movers' power, and those movers are sized per kW of ``Q``:

* **CRAH / fan-wall fans** (air loop): power ``c Q``; the share ``h_fan`` heats the air the
  chilled-water coil cools (``crah_fan_heat_to_air_frac`` = 1.0: motors in the airstream,
  EnergyPlus ``Fan:*`` *Motor In Airstream Fraction* default);
* **loop pumps** (air loop: chilled-water pumps ``chw_pump_kw_per_kw``; liquid loop:
  facility-water + CDU/TCS pumps ``liquid_pump_kw_per_kw``): power ``u Q``; the shaft power,
  share ``h_pump`` of the input, heats the pumped water (``pump_heat_to_fluid_frac`` = 0.9:
  EnergyPlus ``Pump:*`` defaults *Motor Efficiency* 0.9, *Fraction of Motor Inefficiencies
  to Fluid Stream* 0). Motor losses heat the pump's surroundings (plant room; for CDUs in
  the white space a little of it reaches the air loop, < 0.2 % of the liquid heat; not
  counted);
* so ``Q = B + (h_fan c + h_pump u) Q``, solved exactly: ``Q = B / (1 - k)`` with
  ``k = h_fan c + h_pump u`` (``k`` < 1 is checked; defaults: air loop 0.060,
  liquid loop 0.018). ``Q`` does not depend on the chiller (its compressor heat goes to the
  condenser side), so no iteration is needed;
* the **chiller** removes ``(1 - e) Q``: ``chiller_kw = (1 - e) Q / COP`` with ``e`` at the
  part load ``Q / Qd``;
* **condenser / tower-water pumps** (tower plants, ``cw_pump_kw_per_kw``, power ``w Qrej``):
  their shaft heat lands in the tower water, i.e. on the condenser side, not in the cooled
  loop: ``Qrej = (Q + chiller_kw) / (1 - h_pump w)`` (water-cooled chiller; ``Q / (1 - h_pump
  w)`` without a chiller), again exact;
* **tower, dry-cooler and air-cooled-condenser fans** blow outdoor air and reject their heat
  with it: they load no loop;
* ``heat_load_kw`` = sum of the loops' ``Q`` (IT + losses in the space + in-loop fan and
  pump heat). A tower rejects ``Qrej``; with ``h_pump = 1`` that is every electrical input
  inside the loops (IT, losses in the space, CRAH fans, loop and tower-water pumps, chiller).

Capacity: a loop is designed for its whole heat load at the design IT, fan and pump
heat included (as a coil load calculation counts supply-fan heat): the nameplate is
``Qd = (1 + margin) x`` design base load ``/ (1 - k)`` (base load: IT + losses in the
space at the design IT). A loop of heat capacity ``cap`` carries the base load
``cap (1 - k)``, so ``capacity_it_kw`` is ``(cap_air (1 - k_air) - losses in the space)
/ (1 - f_liq)`` (and ``cap_liq (1 - k_liq) / f_liq``): ``(1 + margin)`` x the design IT
at nameplate.

IT fans (EnergyPlus ``ElectricEquipment:ITE:AirCooled`` style): above the knee
inlet temperature the server airflow ratio rises by ``server_fan_flow_per_k`` per K
and fan power scales with ``flow_ratio ** n``, adding
``fan_frac * it_kw * (flow_ratio**n - 1)`` to IT power (and heat). The electrical losses are then taken at the uplifted IT power
(the default chain of :func:`dcplan.power.electrical_losses_kw` recomputed; losses given
by the caller scaled by ``it_kw_uplifted / it_kw``), and the plant is solved again with
both.

All defaults come from ``data/cooling_defaults.csv`` (sources and status in
``data/cooling_defaults.md``); many are design estimates and are marked so.
"""
from __future__ import annotations

import csv
import dataclasses
from functools import lru_cache
from typing import Any, Mapping

import numpy as np
import pandas as pd

from ._ts import step_s, unknown_key_message
from .errors import InputError
from .paths import data_path

__all__ = ["PlantParams", "plant_params", "cooling_defaults", "chiller_cop", "plant_hourly",
           "annual_pue", "derate_hours", "plant_summary", "site_cooling_summary",
           "liquid_flow_l_per_min", "it_from_compute_kw", "W_CLASS_MAX_DEGC", "ASHRAE_AIR_CLASSES",
           "LIQUID_CLASS_PLANT"]

#: Maximum facility-water supply per ASHRAE TC9.9 liquid class (2021 naming: the
#: number is the upper supply limit, lower limit 2 degC). Source: reference-data 3b
#: (secondary summaries of Thermal Guidelines 5th ed.).
W_CLASS_MAX_DEGC = {"W17": 17.0, "W27": 27.0, "W32": 32.0, "W40": 40.0, "W45": 45.0}

#: ASHRAE TC9.9 (Thermal Guidelines 5th ed. 2021, reference card Table 2.1) air
#: inlet envelopes, dry bulb [degC]: (recommended low, high, allowable low, high).
#: H1 allowable low bound is not in reference-data (only "up to 25"): 5 degC assumed.
ASHRAE_AIR_CLASSES = {
    "A1": (18.0, 27.0, 15.0, 32.0),
    "A2": (18.0, 27.0, 10.0, 35.0),
    "A3": (18.0, 27.0, 5.0, 40.0),
    "A4": (18.0, 27.0, 5.0, 45.0),
    "H1": (18.0, 22.0, 5.0, 25.0),
}

#: Default liquid-loop heat rejection and trim chiller per liquid class, as the
#: class descriptions in reference-data 3b give them (W17/W27 chiller plants,
#: W32/W40 cooling tower "chiller-free in many climates", W45 dry cooler).
LIQUID_CLASS_PLANT = {
    "W17": ("tower", True), "W27": ("tower", True), "W32": ("tower", False),
    "W40": ("tower", False), "W45": ("dry", False),
}

_RHO_WATER = 1.0     # kg/L, water near 20-40 degC (0.992-0.998; 1.0 used)
_CP_WATER = 4.186    # kJ/(kg K), water at 20-40 degC (steam tables 4.18)


@lru_cache(maxsize=1)
def _defaults_table() -> dict[str, dict[str, str]]:
    path = data_path("cooling_defaults.csv")
    with open(path, newline="") as fh:
        return {row["key"]: row for row in csv.DictReader(fh)}


def cooling_defaults() -> dict[str, float]:
    """Sourced default parameters of the cooling model (``data/cooling_defaults.csv``).

    Returns
    -------
    dict
        ``{key: value}``; units, sources and status are in the CSV and its
        data dictionary ``data/cooling_defaults.md``.
    """
    return {k: float(r["value"]) for k, r in _defaults_table().items()}


@dataclasses.dataclass(frozen=True)
class PlantParams:
    """Resolved plant parameters (spec + sourced defaults + overrides).

    Build with :func:`plant_params`. Field names with units match the rows of
    ``data/cooling_defaults.csv``; the extra fields are the plant layout.
    """

    type: str
    ashrae_class: str
    liquid_class: str | None
    economizer: bool
    heat_rejection: str          # liquid loop: "tower" | "dry"
    trim_chiller: bool           # liquid loop
    liquid_supply_degc: float    # liquid loop setpoint
    liquid_max_degc: float       # liquid class maximum supply
    values: Mapping[str, float]  # every row of cooling_defaults.csv (possibly overridden)

    def __getattr__(self, name: str) -> float:  # numeric defaults by key
        vals = object.__getattribute__(self, "values")
        if name in vals:
            return vals[name]
        raise AttributeError(name)


def plant_params(spec: Any = None, **overrides: float) -> PlantParams:
    """Resolve a cooling spec into :class:`PlantParams`.

    Parameters
    ----------
    spec : CoolingSpec, dict, PlantParams or None
        The site's ``cooling:`` section (``dcplan.specs.CoolingSpec``), a dict of
        its fields, or None for the default liquid W32 plant.
    **overrides : float
        Any key of ``data/cooling_defaults.csv`` (e.g. ``margin_frac=0.2``); each
        must lie in its range in ``_OVERRIDE_BOUNDS`` (the ``CoolingSpec`` bounds
        where the spec has the field), else :class:`~dcplan.errors.InputError`.

    Returns
    -------
    PlantParams
    """
    from .specs.cooling import CoolingSpec
    if isinstance(spec, PlantParams):
        base = spec
        vals = dict(base.values)
        _apply_overrides(vals, overrides)
        return dataclasses.replace(base, values=vals)
    if spec is None:
        spec = CoolingSpec()
    elif isinstance(spec, Mapping):
        try:
            spec = CoolingSpec(**spec)
        except Exception as exc:  # pydantic ValidationError -> InputError
            raise InputError(f"invalid cooling spec: {exc}", field="cooling") from exc
    elif not isinstance(spec, CoolingSpec):
        raise InputError(f"need a CoolingSpec, dict or None, got {type(spec).__name__}",
                         field="cooling")
    vals = cooling_defaults()
    if spec.liquid_heat_frac is not None:
        vals["liquid_heat_frac"] = float(spec.liquid_heat_frac)
    if spec.margin_frac is not None:
        vals["margin_frac"] = float(spec.margin_frac)
    if spec.inlet_setpoint_degc is not None:
        vals["inlet_setpoint_degc"] = float(spec.inlet_setpoint_degc)
    _apply_overrides(vals, overrides)
    lclass = spec.liquid_class
    if spec.type == "liquid" and lclass is None:
        raise InputError("type 'liquid' needs a liquid_class; allowed: "
                         + ", ".join(W_CLASS_MAX_DEGC), field="cooling.liquid_class")
    rej_default, trim_default = LIQUID_CLASS_PLANT.get(lclass or "W32")
    tmax = W_CLASS_MAX_DEGC.get(lclass or "W32")
    rec_lo, rec_hi, allow_lo, allow_hi = ASHRAE_AIR_CLASSES[spec.ashrae_class]
    if not allow_lo <= vals["inlet_setpoint_degc"] <= allow_hi:
        raise InputError(f"inlet_setpoint_degc={vals['inlet_setpoint_degc']} is outside the "
                         f"{spec.ashrae_class} allowable range {allow_lo}-{allow_hi} degC",
                         field="cooling.inlet_setpoint_degc")
    return PlantParams(
        type=spec.type, ashrae_class=spec.ashrae_class, liquid_class=lclass,
        economizer=bool(spec.economizer),
        heat_rejection=spec.heat_rejection or rej_default,
        trim_chiller=trim_default if spec.trim_chiller is None else bool(spec.trim_chiller),
        liquid_supply_degc=tmax - vals["liquid_supply_margin_k"], liquid_max_degc=tmax,
        values=vals)


_INF = float("inf")
#: Allowed range of each override ``(low, high, low_inclusive, high_inclusive)``.
#: ``liquid_heat_frac`` and ``inlet_setpoint_degc`` use the bounds of ``CoolingSpec``
#: (``dcplan/specs/cooling.py``); ``margin_frac`` too, except that an override may
#: also model an undersized plant (-1 < margin < 0: capacity ``1 + margin`` of the
#: design, still > 0), a what-if a site spec does not describe; the others are the
#: bounds the equations need: COPs > 0, approaches and temperature rises > 0
#: (divisors), tower cycles > 1 (blowdown ``1/(cycles - 1)``), efficiencies in
#: (0, 1], fractions in [0, 1], power ratios >= 0. Every override must be finite.
_OVERRIDE_BOUNDS = {
    "liquid_heat_frac": (0.5, 1.0, True, True),
    "margin_frac": (-1.0, 2.0, False, True),
    "inlet_setpoint_degc": (10.0, 40.0, True, True),
    "tower_cycles": (1.0, _INF, False, False),
    "psu_eff_frac": (0.0, 1.0, False, True),
    "chiller_cop_rated_water": (0.0, _INF, False, False),
    "chiller_cop_rated_air": (0.0, _INF, False, False),
    "chiller_cop_max": (0.0, _INF, False, False),
    "tower_approach_k": (0.0, _INF, False, False),
    "drycooler_approach_k": (0.0, _INF, False, False),
    "hx_approach_k": (0.0, _INF, True, False),
    "crah_approach_k": (0.0, _INF, True, False),
    "aircooled_cond_approach_k": (0.0, _INF, True, False),
    "condenser_rise_k": (0.0, _INF, True, False),
    "chw_dt_k": (0.0, _INF, False, False),
    "liquid_dt_k": (0.0, _INF, False, False),
    "liquid_supply_margin_k": (0.0, _INF, True, False),
    "h_fg_kj_per_kg": (0.0, _INF, False, False),
    "trim_chiller_frac": (0.0, 1.0, False, True),
    "rejection_fan_min_speed_frac": (0.0, 1.0, False, True),
    "tower_latent_frac": (0.0, 1.0, True, True),
    "electrical_loss_frac": (0.0, 1.0, True, True),
    "losses_to_space_frac": (0.0, 1.0, True, True),
    "server_fan_frac_air": (0.0, 1.0, True, False),
    "server_fan_frac_liquid": (0.0, 1.0, True, False),
    "server_fan_flow_per_k": (0.0, _INF, True, False),
    "server_fan_power_exp": (0.0, _INF, False, False),
    "crah_fan_kw_per_kw": (0.0, _INF, True, False),
    "crah_fan_heat_to_air_frac": (0.0, 1.0, True, True),
    "pump_heat_to_fluid_frac": (0.0, 1.0, True, True),
    "chw_pump_kw_per_kw": (0.0, _INF, True, False),
    "cw_pump_kw_per_kw": (0.0, _INF, True, False),
    "liquid_pump_kw_per_kw": (0.0, _INF, True, False),
    "tower_fan_kw_per_kw": (0.0, _INF, True, False),
    "drycooler_fan_kw_per_kw": (0.0, _INF, True, False),
}


def _range_text(lo: float, hi: float, lo_in: bool, hi_in: bool) -> str:
    return f"{'[' if lo_in else '('}{lo:g}, {hi:g}{']' if hi_in else ')'}"


def _apply_overrides(vals: dict, overrides: Mapping[str, float]) -> None:
    for k, v in overrides.items():
        if k not in vals:
            raise InputError(unknown_key_message(k, vals), field=k)
        try:
            x = float(v)
        except (TypeError, ValueError):
            raise InputError(f"must be a number, got {v!r}", field=k) from None
        lo, hi, lo_in, hi_in = _OVERRIDE_BOUNDS.get(k, (-_INF, _INF, False, False))
        ok = np.isfinite(x) and (x >= lo if lo_in else x > lo) and (x <= hi if hi_in else x < hi)
        if not ok:
            raise InputError(f"override {k}={v!r} is outside the allowed range "
                             f"{_range_text(lo, hi, lo_in, hi_in)} (finite)", field=k)
        vals[k] = x


def chiller_cop(t_chw_degc, t_out_degc, kind: str = "water", params: PlantParams | None = None):
    """Chiller COP as a fixed fraction of Carnot, rated at AHRI 550/590.

    ``COP = min(COP_max, eta * (Tchw + 273.15) / (Tcond - Tchw))`` where
    ``Tcond = Twb + A_tower + dT_cond`` for ``kind="water"`` (``t_out_degc`` is the
    wet bulb) or ``Tdb + A_cond`` for ``kind="air"`` (``t_out_degc`` is the dry
    bulb), and ``eta`` makes COP equal the rated COP at the AHRI point
    (6.7 degC chilled water; 29.4 degC entering condenser water / 35 degC air).

    Parameters
    ----------
    t_chw_degc : float or array
        Chilled (or facility) water supply temperature. [degC]
    t_out_degc : float or array
        Outdoor wet bulb (water-cooled) or dry bulb (air-cooled). [degC]
    kind : {"water", "air"}
    params : PlantParams, optional

    Returns
    -------
    numpy.ndarray or float
        COP [-] (kW heat per kW electric).
    """
    p = params or plant_params()
    v = p.values
    if kind == "water":
        t_cond = np.asarray(t_out_degc, float) + v["tower_approach_k"] + v["condenser_rise_k"]
        t_cond_r = v["chiller_rating_ecwt_degc"] + v["condenser_rise_k"]
        cop_r = v["chiller_cop_rated_water"]
    elif kind == "air":
        t_cond = np.asarray(t_out_degc, float) + v["aircooled_cond_approach_k"]
        t_cond_r = v["chiller_rating_db_degc"] + v["aircooled_cond_approach_k"]
        cop_r = v["chiller_cop_rated_air"]
    else:
        raise InputError(f"unknown chiller kind {kind!r}; allowed: water, air", field="kind")
    t_r = v["chiller_rating_chw_degc"]
    eta = cop_r * (t_cond_r - t_r) / (t_r + 273.15)
    t_chw = np.asarray(t_chw_degc, float)
    lift = t_cond - t_chw
    with np.errstate(divide="ignore", invalid="ignore"):
        cop = np.where(lift > 0, eta * (t_chw + 273.15) / np.where(lift > 0, lift, 1.0), np.inf)
    cop = np.minimum(cop, v["chiller_cop_max"])
    return cop if cop.ndim else float(cop)


def _in_loop_frac(p: PlantParams, air_side: bool) -> float:
    """Share ``k`` of a loop's heat load that is its own fans' and pumps' heat (see the
    module docstring): ``h_fan * crah_fan_kw_per_kw + h_pump * pump_kw_per_kw``. [frac]"""
    v = p.values
    k = v["pump_heat_to_fluid_frac"] * v["chw_pump_kw_per_kw" if air_side else "liquid_pump_kw_per_kw"]
    if air_side:
        k += v["crah_fan_heat_to_air_frac"] * v["crah_fan_kw_per_kw"]
    return k


def _loop(q_base, t_db, t_wb, *, t_set, t_max, dt, rejection, chiller, q_design, ch_rated, p,
          economizer=True, air_side=False):
    """One loop, vectorized over hours; see the module docstring for the equations.

    ``q_base`` is the heat put in from outside the loop [kW]; the loop's heat load adds
    its own fans' and pumps' heat, solved in closed form (``Q = q_base / (1 - k)``).
    """
    v = p.values
    k_in = _in_loop_frac(p, air_side)
    q = q_base / (1.0 - k_in)
    if rejection == "tower":
        t_out, approach, hx = t_wb, v["tower_approach_k"], v["hx_approach_k"]
    else:
        t_out, approach, hx = t_db, v["drycooler_approach_k"], 0.0
    plr = q / q_design
    t_free = t_out + hx + approach * plr
    # cold weather lowers the approach the free path needs, not the size of the pumps,
    # heat exchangers and fans that move the heat: no loop capacity above its nameplate Qd
    free_cap = q_design * np.minimum(1.0, np.maximum(0.0, t_max - hx - t_out) / approach)
    if chiller:
        econ = np.clip((t_set + dt - t_free) / dt, 0.0, 1.0) if economizer else np.zeros_like(q)
        kind = "water" if rejection == "tower" else "air"
        cop = chiller_cop(t_set, t_wb if kind == "water" else t_db, kind, p)
        cop_design = chiller_cop(t_set, v["chiller_rating_ecwt_degc"] - v["tower_approach_k"]
                                 if kind == "water" else v["chiller_rating_db_degc"], kind, p)
        q_ch = (1.0 - econ) * q
        chiller_kw = q_ch / cop
        ch_cap = ch_rated * np.minimum(1.0, cop / cop_design)
        # without an economizer the plate HX is absent: no free-cooling path, chiller only
        cap = np.minimum(q_design, np.maximum(free_cap, ch_cap + econ * q)) if economizer else ch_cap
        short = np.maximum(0.0, q - cap)
        supply = t_set + np.where(q > 0, short / np.where(q > 0, q, 1.0), 0.0) * dt
        # heat the tower/dry cooler rejects: all of it for water-cooled chillers;
        # an air-cooled chiller rejects its own heat (its fans are inside its COP)
        q_rej = q + chiller_kw if kind == "water" else econ * q
    else:
        econ = np.ones_like(q)
        cop = np.full_like(q, np.nan)
        chiller_kw = np.zeros_like(q)
        cap = free_cap
        supply = np.maximum(t_set, t_free)
        q_rej = q
    if rejection == "tower":
        # tower-water pumps move Qrej and heat the tower water (condenser side), so the tower
        # also rejects their shaft heat: Qrej = (Q + chiller) / (1 - h_pump w), exact
        q_rej = q_rej / (1.0 - v["pump_heat_to_fluid_frac"] * v["cw_pump_kw_per_kw"])
    # rejection fans: full speed whenever a compressor runs; in free cooling they slow to
    # the speed that just holds the setpoint (approach ~ load / airflow), power ~ speed^3.
    # They blow outdoor air: their heat leaves with it and loads no loop.
    f_rej = v["tower_fan_kw_per_kw"] if rejection == "tower" else v["drycooler_fan_kw_per_kw"]
    avail = t_set - hx - t_out
    need = approach * q_rej / q_design
    speed = np.where(avail > need, need / np.where(avail > 0, avail, 1.0), 1.0)
    speed = np.clip(speed, v["rejection_fan_min_speed_frac"], 1.0)
    if chiller:
        speed = np.where(econ < 1.0, 1.0, speed)
    fan_rej = f_rej * np.maximum(q_rej, q_design * speed) * speed ** 3
    pumps = q * (v["chw_pump_kw_per_kw"] if air_side else v["liquid_pump_kw_per_kw"])
    water = np.zeros_like(q)
    if rejection == "tower":
        pumps = pumps + q_rej * v["cw_pump_kw_per_kw"]
        cyc = v["tower_cycles"]
        water = q_rej * v["tower_latent_frac"] * 3600.0 / v["h_fg_kj_per_kg"] / _RHO_WATER * cyc / (cyc - 1.0)
    crah = q * v["crah_fan_kw_per_kw"] if air_side else np.zeros_like(q)
    return {"chiller_kw": chiller_kw, "fans_kw": fan_rej + crah, "pumps_kw": pumps,
            "econ": econ, "cap": cap, "supply": supply, "water_l": water, "cop": cop,
            "q": q, "k_in": k_in}


def _as_hourly(x, idx: pd.DatetimeIndex, name: str) -> np.ndarray:
    """Hourly mean of ``x`` (scalar, array or Series of any step 1 s..1 h) on ``idx``.

    A sub-hourly Series must fill every hour it touches (all ``3600 / step`` values, none
    NaN): a part-hour mean is an input error, not the hour's mean.
    """
    if np.isscalar(x):
        return np.full(len(idx), float(x))
    if isinstance(x, np.ndarray):
        if x.shape != (len(idx),):
            raise InputError(f"array of shape {x.shape} does not match the {len(idx)} weather hours",
                             field=name)
        return x.astype(float)
    if not isinstance(x, pd.Series):
        raise InputError(f"need a number, numpy array or pandas Series, got {type(x).__name__}",
                         field=name)
    st = step_s(x, name)
    if st > 3600 or 3600 % st:
        raise InputError(f"step {st:g} s is not allowed; need a step that divides 1 h (1 s .. 3600 s)",
                         field=name)
    s = x.astype(float)
    if st < 3600:  # interval-ending labels: mean over (h-1, h]
        r = s.resample("1h", label="right", closed="right")
        n, per_h = r.count(), int(3600 // st)
        short = n[(n > 0) & (n < per_h)]
        if len(short):  # a mean of part of an hour would pass for the hour's mean
            raise InputError(f"the hour ending {short.index[0]} has {int(short.iloc[0])} of its {per_h} "
                             f"{st:g}-s values ({len(short)} such hours); {name} must cover whole hours "
                             f"(interval-ending labels, e.g. :15 .. :00 for 15-min data), with no gaps or NaN",
                             field=name)
        s = r.mean()
    s = s.tz_convert(idx.tz)
    out = s.reindex(idx)
    if out.isna().any():
        miss = idx[out.isna().to_numpy()]
        raise InputError(f"no value for {len(miss)} of the {len(idx)} weather hours (first "
                         f"{miss[0]}); {name} covers {s.index[0]} .. {s.index[-1]}", field=name)
    return out.to_numpy()


def liquid_flow_l_per_min(heat_kw, dt_k: float = 10.0):
    """Liquid-loop flow to carry ``heat_kw`` at a temperature rise ``dt_k``.

    ``flow = heat / (rho * cp * dT) * 60`` with water rho = 1.0 kg/L and
    cp = 4.186 kJ/(kg K): 1.43 L/min per kW at 10 K (reference-data 3c).

    Parameters
    ----------
    heat_kw : float, array or Series
        Heat carried by the loop. [kW]
    dt_k : float
        Supply-to-return temperature rise. [K]

    Returns
    -------
    same type as ``heat_kw``
        Volume flow. [L/min]
    """
    if not dt_k > 0:
        raise InputError(f"must be > 0 K, got {dt_k}", field="dt_k")
    return heat_kw / (_RHO_WATER * _CP_WATER * dt_k) * 60.0


def it_from_compute_kw(compute_kw, plant_type: str = "liquid", params: PlantParams | None = None):
    """IT power needed for a given compute (silicon) power, by cooling type.

    ``it = compute / (psu_eff * (1 - fan_frac))`` with the server fan fraction of
    air- or liquid-cooled servers; used to compare air and liquid halls at the
    same useful work (ITUE, TUE). [kW] in, [kW] out.
    """
    p = params or plant_params()
    if plant_type not in ("air", "liquid"):
        raise InputError(f"unknown plant_type {plant_type!r}; allowed: air, liquid", field="plant_type")
    ff = p.values["server_fan_frac_air" if plant_type == "air" else "server_fan_frac_liquid"]
    return compute_kw / (p.values["psu_eff_frac"] * (1.0 - ff))


def plant_hourly(it_kw, weather: pd.DataFrame, cooling: Any = None, *,
                 electrical_losses_kw=None, design_it_kw: float | None = None,
                 throttle_power_frac: float = 0.6, **overrides) -> pd.DataFrame:
    """Hourly cooling plant for one year of weather.

    Parameters
    ----------
    it_kw : float, numpy array or pandas Series
        IT power at the design inlet temperature (any step 1 s .. 1 h; averaged to
        the weather's interval-ending hours). [kW]
    weather : pandas.DataFrame
        Hourly weather from :func:`dcplan.weather.load_weather` (needs ``temp_air``
        and ``temp_wet_bulb_degc``). [degC]
    cooling : CoolingSpec, dict, PlantParams or None
        The site's ``cooling:`` section.
    electrical_losses_kw : float, array or Series, optional
        UPS/distribution losses at ``it_kw``. Default: ``dcplan.power.electrical_losses_kw``
        of the hourly IT with ``rated_kw=design_it_kw`` (about 6.4 % at full load),
        recomputed at the uplifted IT in hours with a server-fan uplift; the
        ``electrical_loss_frac`` fallback (0.05, estimate) only if ``dcplan.power``
        cannot be imported. Given losses are scaled by ``it_kw_uplifted / it_kw`` in
        uplift hours (their loss fraction held). [kW]
    design_it_kw : float, optional
        IT power the plant is sized for (default: the peak hourly IT). [kW]
    throttle_power_frac : float
        Power of a throttled GPU as a fraction of its unthrottled power (estimate). [frac]
    **overrides
        Keys of ``data/cooling_defaults.csv``.

    Returns
    -------
    pandas.DataFrame
        On the weather index: ``it_kw`` (incl. fan uplift), ``it_fan_uplift_kw``,
        ``electrical_losses_kw`` (at the uplifted IT), ``heat_load_kw`` (heat the loops
        remove: IT + losses in the space + the in-loop heat of CRAH fans and loop pumps),
        ``chiller_kw``, ``fans_kw``, ``pumps_kw``, ``cooling_kw``, ``facility_kw``,
        ``capacity_it_kw`` (IT the plant can carry once its own fan and pump heat is
        removed too), ``derate_kw``, ``throttle_frac``, ``economizer_frac``,
        ``free_cooling`` (bool), ``pue``, ``ppue_cooling``, ``temp_inlet_degc``,
        ``temp_liquid_supply_degc`` (NaN for air plants), ``water_l``,
        ``liquid_flow_l_per_min`` (rack-side flow for the captured IT heat at
        ``liquid_dt_k``), ``compute_kw``.

    Raises
    ------
    InputError
        Bad weather, IT or losses (NaN, infinite, negative, wrong step), an unknown or
        out-of-range override, or fan and pump kW/kW so large that a loop's own movers
        would add at least as much heat as they move (``k >= 1``, module docstring).
    """
    p = plant_params(cooling, **overrides)
    v = p.values
    for col in ("temp_air", "temp_wet_bulb_degc"):
        if col not in weather.columns:
            raise InputError(f"missing column {col!r}; have {list(weather.columns)}", field="weather")
        bad = ~np.isfinite(weather[col].to_numpy(float))
        if bad.any():  # a NaN hour would drop out of every annual sum (PUE, water) unseen
            raise InputError(f"{col}: {int(bad.sum())} hours are NaN or infinite (first "
                             f"{weather.index[bad][0]}); fill or interpolate them first",
                             field=f"weather.{col}")
    over = weather["temp_wet_bulb_degc"].to_numpy(float) - weather["temp_air"].to_numpy(float)
    if (over > 0.5).any():  # wet bulb <= dry bulb; 0.5 K allows rounded file values
        raise InputError(f"temp_wet_bulb_degc exceeds temp_air by up to {over.max():.3g} K "
                         f"({int((over > 0.5).sum())} hours); wet bulb cannot exceed dry bulb "
                         "(columns swapped?)", field="weather.temp_wet_bulb_degc")
    st = step_s(weather, "weather")
    if st != 3600:
        raise InputError(f"need hourly weather, got a {st:g} s step", field="weather")
    if not 0.0 <= throttle_power_frac < 1.0:
        raise InputError(f"must be in [0, 1), got {throttle_power_frac}", field="throttle_power_frac")
    idx = weather.index
    it0 = _as_hourly(it_kw, idx, "it_kw")
    if not np.isfinite(it0).all():
        raise InputError(f"{int((~np.isfinite(it0)).sum())} hours of IT power are NaN or infinite",
                         field="it_kw")
    if (it0 < 0).any():
        raise InputError(f"negative IT power ({it0.min():.3g} kW)", field="it_kw")
    t_db = weather["temp_air"].to_numpy(float)
    t_wb = weather["temp_wet_bulb_degc"].to_numpy(float)
    peak = float(design_it_kw) if design_it_kw is not None else float(it0.max())
    if not (peak > 0 and np.isfinite(peak)):
        raise InputError(f"design IT power must be finite and > 0 kW, got {peak}", field="design_it_kw")
    given = None
    if electrical_losses_kw is not None:
        given = _as_hourly(electrical_losses_kw, idx, "electrical_losses_kw")
        bad = ~(np.isfinite(given) & (given >= 0))
        if bad.any():  # NaN facility hours drop out of the PUE sums; negative ones cut it below 1
            raise InputError(f"{int(bad.sum())} hours are NaN, infinite or negative (first value "
                             f"{given[bad][0]:.3g} kW); losses must be finite and >= 0 kW",
                             field="electrical_losses_kw")
        _chain_losses_kw = None
    else:
        try:  # transformer/UPS/PDU chain of dcplan.power, sized for the design IT
            from .power import electrical_losses_kw as _chain_losses_kw
        except ImportError:  # pragma: no cover - power is part of the package
            _chain_losses_kw = None

    def losses_at(it):
        """Distribution losses at IT power ``it`` (>= it0; = it0 except in uplift hours)."""
        if given is not None:  # the caller's losses at it0; the loss fraction held under uplift
            with np.errstate(divide="ignore", invalid="ignore"):
                return given * np.where(it0 > 0, it / np.where(it0 > 0, it0, 1.0), 1.0)
        if _chain_losses_kw is not None:
            return np.asarray(_chain_losses_kw(it, rated_kw=peak), float)
        return v["electrical_loss_frac"] * it  # pragma: no cover - fallback without dcplan.power

    for key, air_side in (("crah_fan_kw_per_kw", True), ("liquid_pump_kw_per_kw", False)):
        if not air_side and p.type != "liquid":
            continue
        k = _in_loop_frac(p, air_side)
        if not k < 1.0:  # Q = B / (1 - k) has no solution: the movers heat more than they move
            raise InputError(f"the {'air' if air_side else 'liquid'} loop's own fan and pump heat is "
                             f"{k:.3g} kW per kW moved (crah_fan_kw_per_kw x crah_fan_heat_to_air_frac + "
                             "pump kW/kW x pump_heat_to_fluid_frac); it must be < 1", field=key)
    if not v["pump_heat_to_fluid_frac"] * v["cw_pump_kw_per_kw"] < 1.0:
        raise InputError(f"cw_pump_kw_per_kw x pump_heat_to_fluid_frac = "
                         f"{v['pump_heat_to_fluid_frac'] * v['cw_pump_kw_per_kw']:.3g}; must be < 1",
                         field="cw_pump_kw_per_kw")
    losses = losses_at(it0)
    m = 1.0 + v["margin_frac"]
    f_liq = v["liquid_heat_frac"] if p.type == "liquid" else 0.0
    # the plant is designed at the design IT and the design inlet: the nameplate stays fixed
    loss_peak = float(losses.max()) * v["losses_to_space_frac"] if losses.size else 0.0
    fan_frac = v["server_fan_frac_air"] if p.type == "air" else v["server_fan_frac_liquid"]
    chw_set = v["inlet_setpoint_degc"] - v["crah_approach_k"]
    chw_max = ASHRAE_AIR_CLASSES[p.ashrae_class][3] - v["crah_approach_k"]
    # each loop's nameplate carries its design base load and its own fan and pump heat
    k_air = _in_loop_frac(p, True)
    k_liq = _in_loop_frac(p, False) if p.type == "liquid" else 0.0
    qd_air = m * ((1.0 - f_liq) * peak + loss_peak) / (1.0 - k_air)
    qd_liq = m * f_liq * peak / (1.0 - k_liq)

    def run(it, loss_space):
        air = _loop((1.0 - f_liq) * it + loss_space, t_db, t_wb, t_set=chw_set, t_max=chw_max,
                    dt=v["chw_dt_k"], rejection="tower", chiller=True, q_design=qd_air,
                    ch_rated=qd_air, p=p, economizer=p.economizer, air_side=True)
        liq = None
        if p.type == "liquid":
            liq = _loop(f_liq * it, t_db, t_wb, t_set=p.liquid_supply_degc, t_max=p.liquid_max_degc,
                        dt=v["liquid_dt_k"], rejection=p.heat_rejection, chiller=p.trim_chiller,
                        q_design=qd_liq, ch_rated=v["trim_chiller_frac"] * qd_liq
                        if p.trim_chiller and p.liquid_class not in ("W17", "W27") else qd_liq,
                        p=p, economizer=p.economizer)
        return air, liq

    loss_space = losses * v["losses_to_space_frac"]
    air, liq = run(it0, loss_space)
    t_inlet = air["supply"] + v["crah_approach_k"]
    flow_ratio = 1.0 + v["server_fan_flow_per_k"] * np.maximum(0.0, t_inlet - v["server_fan_knee_degc"])
    uplift = it0 * fan_frac * (flow_ratio ** v["server_fan_power_exp"] - 1.0)
    it = it0 + uplift
    if uplift.any():  # more IT power: more distribution losses, more heat; solve the plant again
        losses = np.where(uplift > 0, losses_at(it), losses)
        loss_space = losses * v["losses_to_space_frac"]
        air, liq = run(it, loss_space)
        t_inlet = air["supply"] + v["crah_approach_k"]
    loops = [air] if liq is None else [air, liq]
    chiller = sum(lp["chiller_kw"] for lp in loops)
    fans = sum(lp["fans_kw"] for lp in loops)
    pumps = sum(lp["pumps_kw"] for lp in loops)
    cooling = chiller + fans + pumps
    facility = it + losses + cooling
    # a loop of heat capacity cap carries the base load cap (1 - k): its fans and pumps take k
    cap_air_it = (air["cap"] * (1.0 - air["k_in"]) - loss_space) / max(1.0 - f_liq, 1e-12)
    cap_it = (cap_air_it if liq is None
              else np.minimum(cap_air_it, liq["cap"] * (1.0 - liq["k_in"]) / f_liq))
    cap_it = np.maximum(cap_it, 0.0)
    derate = np.maximum(0.0, it - cap_it)
    heat_load = sum(lp["q"] for lp in loops)
    with np.errstate(divide="ignore", invalid="ignore"):
        thr = np.where(it > 0, derate / (np.where(it > 0, it, 1.0) * (1.0 - throttle_power_frac)), 0.0)
        econ = sum(lp["econ"] * lp["q"] for lp in loops)
        econ = np.where(heat_load > 0, econ / np.where(heat_load > 0, heat_load, 1.0), 1.0)
        pue = np.where(it > 0, facility / np.where(it > 0, it, 1.0), np.nan)
        ppue = np.where(it > 0, (it + cooling) / np.where(it > 0, it, 1.0), np.nan)
    # server fans run on the DC side of the power supply; compute = DC power - fans
    fan_kw = (it0 * fan_frac + uplift) * v["psu_eff_frac"]
    out = pd.DataFrame({
        "it_kw": it, "it_fan_uplift_kw": uplift, "electrical_losses_kw": losses,
        "heat_load_kw": heat_load, "chiller_kw": chiller, "fans_kw": fans, "pumps_kw": pumps,
        "cooling_kw": cooling, "facility_kw": facility, "capacity_it_kw": cap_it,
        "derate_kw": derate, "throttle_frac": np.clip(thr, 0.0, 1.0), "economizer_frac": econ,
        "free_cooling": chiller <= 1e-9 * np.maximum(it, 1.0), "pue": pue, "ppue_cooling": ppue,
        "temp_inlet_degc": t_inlet,
        "temp_liquid_supply_degc": liq["supply"] if liq is not None else np.full(len(idx), np.nan),
        "water_l": sum(lp["water_l"] for lp in loops),
        "liquid_flow_l_per_min": liquid_flow_l_per_min(f_liq * it, v["liquid_dt_k"]),
        "compute_kw": it * v["psu_eff_frac"] - fan_kw,
    }, index=idx)
    out.attrs["plant"] = {"type": p.type, "ashrae_class": p.ashrae_class,
                          "liquid_class": p.liquid_class, "heat_rejection": p.heat_rejection,
                          "trim_chiller": p.trim_chiller, "design_it_kw": peak,
                          "step_h": 1.0}
    return out


def annual_pue(hourly: pd.DataFrame) -> float:
    """Energy-weighted PUE: ``sum(facility_kw) / sum(it_kw)`` over equal hourly steps."""
    return float(hourly["facility_kw"].sum() / hourly["it_kw"].sum())


def derate_hours(hourly: pd.DataFrame) -> pd.DataFrame:
    """Hours in which the plant cannot remove the full IT heat.

    Returns the rows of :func:`plant_hourly` with ``derate_kw > 0`` (columns
    ``it_kw``, ``capacity_it_kw``, ``derate_kw``, ``throttle_frac``,
    ``temp_inlet_degc``, ``temp_liquid_supply_degc``); ``len()`` is the count.
    """
    cols = ["it_kw", "capacity_it_kw", "derate_kw", "throttle_frac", "temp_inlet_degc",
            "temp_liquid_supply_degc"]
    return hourly.loc[hourly["derate_kw"] > 1e-9, cols]


def plant_summary(hourly: pd.DataFrame, cooling: Any = None) -> dict[str, float]:
    """Annual figures from :func:`plant_hourly` output.

    The ASHRAE air and liquid classes for the hours-outside-envelope counts come
    from ``cooling`` if given, else from the plant :func:`plant_hourly` recorded in
    ``hourly.attrs["plant"]``, else from the default spec.

    Returns
    -------
    dict
        ``annual_pue``, ``ppue_cooling``, ``itue``, ``tue`` (= PUE x ITUE),
        ``free_cooling_h`` (no compressor), ``partial_economizer_h``,
        ``derate_h``, ``throttled_frac`` (IT-energy-weighted share of GPU time
        throttled), ``hours_outside_recommended_h``, ``hours_outside_allowable_h``,
        ``liquid_over_class_h``, ``water_m3``, ``wue_l_per_kwh`` (site WUE: water per
        IT kWh), ``it_kwh``, ``cooling_kwh``, ``facility_kwh``, ``peak_facility_kw``,
        ``peak_cooling_kw``.
    """
    h = hourly
    rec = h.attrs.get("plant") or {}
    if cooling is None and "ashrae_class" in rec:   # the plant plant_hourly recorded
        ashrae_class, liquid_class = rec["ashrae_class"], rec.get("liquid_class")
    else:
        p = plant_params(cooling)
        ashrae_class, liquid_class = p.ashrae_class, p.liquid_class
    step_h = rec.get("step_h", 1.0)
    it_kwh = float(h["it_kw"].sum() * step_h)   # hourly means x 1 h
    rec_lo, rec_hi, al_lo, al_hi = ASHRAE_AIR_CLASSES[ashrae_class]
    tin = h["temp_inlet_degc"]
    econ = h["economizer_frac"]
    liq = h["temp_liquid_supply_degc"]
    return {
        "annual_pue": annual_pue(h),
        "ppue_cooling": float((h["it_kw"].sum() + h["cooling_kw"].sum()) / h["it_kw"].sum()),
        "itue": float(h["it_kw"].sum() / h["compute_kw"].sum()),
        "tue": float(h["facility_kw"].sum() / h["compute_kw"].sum()),
        "free_cooling_h": int(h["free_cooling"].sum()),
        "partial_economizer_h": int(((econ > 1e-9) & ~h["free_cooling"]).sum()),
        "derate_h": int((h["derate_kw"] > 1e-9).sum()),
        "throttled_frac": float((h["throttle_frac"] * h["it_kw"]).sum() / h["it_kw"].sum()),
        "hours_outside_recommended_h": int(((tin < rec_lo) | (tin > rec_hi)).sum()),
        "hours_outside_allowable_h": int(((tin < al_lo) | (tin > al_hi)).sum()),
        "liquid_over_class_h": int((liq > W_CLASS_MAX_DEGC.get(liquid_class or "", np.inf)).sum()),
        "water_m3": float(h["water_l"].sum() / 1000.0),
        "wue_l_per_kwh": float(h["water_l"].sum() / it_kwh),
        "it_kwh": it_kwh,
        "cooling_kwh": float(h["cooling_kw"].sum() * step_h),
        "facility_kwh": float(h["facility_kw"].sum() * step_h),
        "peak_facility_kw": float(h["facility_kw"].max()),
        "peak_cooling_kw": float(h["cooling_kw"].max()),
    }


def site_cooling_summary(it_kw, weather: pd.DataFrame, cooling: Any = None, *,
                         electrical_losses_kw=None, **kwargs) -> dict[str, float]:
    """One call for the site notebook: :func:`plant_hourly` then :func:`plant_summary`.

    Parameters are those of :func:`plant_hourly`. Returns the
    :func:`plant_summary` dict (annual PUE, free-cooling hours, derate hours,
    throttled fraction, WUE, ...).
    """
    h = plant_hourly(it_kw, weather, cooling, electrical_losses_kw=electrical_losses_kw, **kwargs)
    return plant_summary(h, cooling)
