"""One cooling loop of the hourly plant: chiller COP, economizer, capacity, fans, pumps, water.

Part of the hourly cooling-plant model (:mod:`dcplan.thermal_plant`, which re-exports
the public names here and assembles the loops into a plant: plant types, capacity in
IT terms, server-fan uplift). This module holds the physics of a single loop,
:func:`_loop`, with :func:`chiller_cop`, the in-loop heat share ``_in_loop_frac`` and
the rack-side :func:`liquid_flow_l_per_min`.

Equations of one loop (hour by hour, vectorized)
------------------------------------------------
With heat load ``Q`` [kW], design load ``Qd = (1 + margin) * peak`` [kW], outdoor
temperature ``To`` (wet bulb for towers, dry bulb for dry coolers), rejection approach
``A`` at the rejector's design heat rejection ``Qrej_d`` (below), plate-HX approach
``Ahx`` (towers only), supply setpoint ``Ts``, class maximum supply ``Tmax`` and
design rise ``dT``:

* **design heat rejection** (nameplate of the tower / dry cooler: its airflow, fan power
  and the heat at which it holds the approach ``A``). A tower serving a water-cooled
  chiller rejects the condenser heat, the evaporator load plus the compressor work:
  ``Qrej_d = (Qd + Qch_rated / COP_d) / (1 - h_pump w)``, i.e. ``Qd (1 + 1/COP_d)`` for a
  chiller sized for the whole loop (``Qch_rated = Qd``), plus the shaft heat of the
  tower-water pumps (``h_pump w``, next section). ``COP_d`` is the chiller's COP at the
  loop's setpoint and the design wet bulb (AHRI entering condenser water less the tower
  approach). This is the ASHRAE Handbook (HVAC Systems and Equipment, "Cooling Towers")
  condenser heat, and EnergyPlus ``CoolingTower:SingleSpeed`` sizes towers the same way:
  its *Nominal Capacity* is the evaporator load, and the *Heat Rejection Capacity and
  Nominal Capacity Sizing Ratio* (default 1.25 = ``1 + 1/COP`` for COP 4) turns it into
  the tower's heat rejection (EnergyPlus Input Output Reference). Without a chiller, or
  with an air-cooled one (dry coolers: the chiller rejects its own heat through its own
  condenser, its fans inside its COP), the rejector carries at most the loop heat:
  ``Qrej_d = Qd / (1 - h_pump w)`` (towers) or ``Qd`` (dry coolers);
* the rejector's approach at full airflow grows with the heat it rejects ``Qrej``
  (fixed-UA exchanger at fixed flow): ``A Qrej / Qrej_d``; free-cooling water temperature
  ``Tfree = To + Ahx + A Qrej / Qrej_d``. Free-only hours: ``Qrej = Q / (1 - h_pump w)``,
  so ``Tfree = To + Ahx + a`` with ``a = A Q / ((1 - h_pump w) Qrej_d)`` (``= A Q / Qd``
  without a chiller, as before). With a water-cooled chiller the tower water that feeds
  the plate HX also carries the compressor heat of the same hour:
  ``Tfree = To + Ahx + a (1 + (1 - e) / COP)``;
* economizer fraction ``e = clip((Ts + dT - Tfree) / dT, 0, 1)`` (series water-side
  economizer: the share of the return-to-supply cooling done free). With a water-cooled
  chiller ``Tfree`` depends on ``e``; the equation is affine in ``e`` with slope
  ``s = a / (COP dT)``, so ``e = clip(c / (1 - s), 0, 1)`` with
  ``c = (Ts + dT - To - Ahx - a (1 + 1/COP)) / dT`` is its exact fixed point (``s < 1``;
  for ``s >= 1``, reached only with extreme overrides, ``e = 1`` if ``c > 0`` else 0).
  A dry cooler in series with an air-cooled trim chiller keeps ``Tfree = To + a`` (its
  approach at the whole loop heat: conservative in partial hours, when it rejects ``e Q``);
* chiller load ``(1 - e) Q``; chiller COP is a constant fraction ``eta`` of the
  Carnot COP between the supply water and the condensing temperature,
  ``COP = min(COP_max, eta * (Ts + 273.15) / (Tcond - Ts))``, with ``eta`` fixed by
  the AHRI 550/590 rating point, so COP falls as the condenser gets warmer.
  ``Tcond = Twb + A_tower + 5.6 K`` (water-cooled) or ``Tdb + 15 K`` (air-cooled);
* chiller capacity ``Qch = Qch_rated * min(1, COP / COP_d)`` (compressor
  power limited: capacity falls with COP);
* free-only capacity (no compressor) at the class maximum supply: the loop heat that
  loads the rejector to the approach ``Tmax - Ahx - To``,
  ``Qfree = min(Qd, (1 - h_pump w) Qrej_d max(0, Tmax - Ahx - To) / A)``;
  loop capacity ``max(Qfree, Qch + e * Q)`` with a chiller and economizer, ``Qch``
  with a chiller and no economizer (``economizer: false``: ``e = 0``, no free path),
  ``Qfree`` without a chiller; never above the nameplate ``Qd`` (pumps, CDU / plate HX
  and CRAH airflow are sized for ``Qd``; colder weather does not make them move more);
* pumps and CRAH fans are linear in the heat moved (kW per kW, ``data/cooling_defaults.csv``);
  tower / dry-cooler fans run at full speed while a compressor runs (water-cooled: the
  coldest condenser water; air-cooled trim: the most precooling), otherwise at the speed
  ``s = clip(A Qrej / (Qrej_d (Ts - Ahx - To)), s_min, 1)`` that just holds the setpoint
  (approach taken inversely proportional to airflow), and are off when the rejector has
  no heat to reject (``Qrej = 0``: e.g. a dry cooler bypassed while its air-cooled trim
  chiller carries the whole loop). Power ``f Qrej_d s**3``: ``f`` is kW per kW of design
  heat rejection at full speed, the fan affinity law below it; a fan at full speed draws
  its nameplate power whatever the load (heat above ``Qrej_d`` raises the approach, not
  the fan power);
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

All defaults come from ``data/cooling_defaults.csv`` (sources and status in
``data/cooling_defaults.md``); many are design estimates and are marked so.
"""
from __future__ import annotations

import numpy as np

from .errors import InputError
from .thermal_plant_params import PlantParams, plant_params

__all__ = ["chiller_cop", "liquid_flow_l_per_min"]


_RHO_WATER = 1.0     # kg/L, water near 20-40 degC (0.992-0.998; 1.0 used)
_CP_WATER = 4.186    # kJ/(kg K), water at 20-40 degC (steam tables 4.18)


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
    Returns the hourly arrays and the scalars ``k_in`` and ``q_rej_design_kw`` (the
    rejector's design heat rejection ``Qrej_d``).
    """
    v = p.values
    k_in = _in_loop_frac(p, air_side)
    q = q_base / (1.0 - k_in)
    tower = rejection == "tower"
    if tower:
        t_out, approach, hx = t_wb, v["tower_approach_k"], v["hx_approach_k"]
        # tower-water pumps move Qrej and heat the tower water (condenser side): the tower
        # also rejects their shaft heat, Qrej = (Q + chiller) / (1 - h_pump w), exact
        h_cw = v["pump_heat_to_fluid_frac"] * v["cw_pump_kw_per_kw"]
    else:
        t_out, approach, hx = t_db, v["drycooler_approach_k"], 0.0
        h_cw = 0.0
    kind = "water" if tower else "air"
    if chiller:
        cop = chiller_cop(t_set, t_wb if kind == "water" else t_db, kind, p)
        cop_design = chiller_cop(t_set, v["chiller_rating_ecwt_degc"] - v["tower_approach_k"]
                                 if kind == "water" else v["chiller_rating_db_degc"], kind, p)
    # design heat rejection: a tower serving a water-cooled chiller rejects the condenser heat
    # at design, evaporator load + compressor work (Qd (1 + 1/COP_d) for a full-size chiller);
    # an air-cooled chiller rejects its own heat, so a dry cooler carries at most the loop heat
    water_cooled = chiller and tower
    q_rej_design = (q_design + (ch_rated / cop_design if water_cooled else 0.0)) / (1.0 - h_cw)
    # approach [K] when the rejector carries the loop heat alone (free path, no compressor heat)
    a_free = approach * q / ((1.0 - h_cw) * q_rej_design)
    # cold weather lowers the approach the free path needs, not the size of the pumps,
    # heat exchangers and fans that move the heat: no loop capacity above its nameplate Qd
    free_cap = np.minimum(q_design, (1.0 - h_cw) * q_rej_design
                          * np.maximum(0.0, t_max - hx - t_out) / approach)
    if chiller:
        if not economizer:
            econ = np.zeros_like(q)
        elif water_cooled:
            # the tower water feeding the plate HX also carries this hour's compressor heat:
            # Tfree = To + Ahx + a (1 + (1 - e) / COP); e = clip(c + s e) solved exactly
            c = (t_set + dt - t_out - hx - a_free * (1.0 + 1.0 / cop)) / dt
            s = a_free / (cop * dt)
            with np.errstate(divide="ignore", invalid="ignore"):
                e_fix = np.where(s < 1.0, c / np.where(s < 1.0, 1.0 - s, 1.0), np.where(c > 0.0, 1.0, 0.0))
            econ = np.clip(e_fix, 0.0, 1.0)
        else:  # dry cooler in series with an air-cooled trim chiller
            econ = np.clip((t_set + dt - (t_out + hx + a_free)) / dt, 0.0, 1.0)
        q_ch = (1.0 - econ) * q
        chiller_kw = q_ch / cop
        ch_cap = ch_rated * np.minimum(1.0, cop / cop_design)
        # without an economizer the plate HX is absent: no free-cooling path, chiller only
        cap = np.minimum(q_design, np.maximum(free_cap, ch_cap + econ * q)) if economizer else ch_cap
        short = np.maximum(0.0, q - cap)
        supply = t_set + np.where(q > 0, short / np.where(q > 0, q, 1.0), 0.0) * dt
        # heat the tower/dry cooler rejects: all of it for water-cooled chillers;
        # an air-cooled chiller rejects its own heat (its fans are inside its COP)
        q_rej = (q + chiller_kw) / (1.0 - h_cw) if water_cooled else econ * q
    else:
        econ = np.ones_like(q)
        cop = np.full_like(q, np.nan)
        chiller_kw = np.zeros_like(q)
        cap = free_cap
        supply = np.maximum(t_set, t_out + hx + a_free)
        q_rej = q / (1.0 - h_cw)
    # rejection fans: full speed whenever a compressor runs; in free cooling they slow to
    # the speed that just holds the setpoint (approach ~ load / airflow), power ~ speed^3
    # on the nameplate Qrej_d; off with nothing to reject. They blow outdoor air: their
    # heat leaves with it and loads no loop.
    f_rej = v["tower_fan_kw_per_kw"] if tower else v["drycooler_fan_kw_per_kw"]
    avail = t_set - hx - t_out
    need = approach * q_rej / q_rej_design
    speed = np.where(avail > need, need / np.where(avail > 0, avail, 1.0), 1.0)
    speed = np.clip(speed, v["rejection_fan_min_speed_frac"], 1.0)
    if chiller:
        speed = np.where(econ < 1.0, 1.0, speed)
    speed = np.where(q_rej > 0.0, speed, 0.0)
    fan_rej = f_rej * q_rej_design * speed ** 3
    pumps = q * (v["chw_pump_kw_per_kw"] if air_side else v["liquid_pump_kw_per_kw"])
    water = np.zeros_like(q)
    if tower:
        pumps = pumps + q_rej * v["cw_pump_kw_per_kw"]
        cyc = v["tower_cycles"]
        water = q_rej * v["tower_latent_frac"] * 3600.0 / v["h_fg_kj_per_kg"] / _RHO_WATER * cyc / (cyc - 1.0)
    crah = q * v["crah_fan_kw_per_kw"] if air_side else np.zeros_like(q)
    return {"chiller_kw": chiller_kw, "fans_kw": fan_rej + crah, "pumps_kw": pumps,
            "econ": econ, "cap": cap, "supply": supply, "water_l": water, "cop": cop,
            "q": q, "q_rej": q_rej, "k_in": k_in, "q_rej_design_kw": q_rej_design}


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
