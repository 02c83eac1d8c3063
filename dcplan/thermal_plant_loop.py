"""One cooling loop of the hourly plant: chiller COP, economizer, capacity, fans, pumps, water.

Part of the hourly cooling-plant model (:mod:`dcplan.thermal_plant`, which re-exports
the public names here and assembles the loops into a plant: plant types, capacity in
IT terms, server-fan uplift). This module holds the physics of a single loop,
:func:`_loop`, with :func:`chiller_cop` (in :mod:`dcplan.thermal_chiller_cop`, re-exported here), the in-loop heat share ``_in_loop_frac`` and
the rack-side :func:`liquid_flow_l_per_min`, and ``_psu_efficiency``, the PSU efficiency of the
plant's compute / server-fan split (:mod:`dcplan.thermal_plant`, "Compute power").

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
  loop's setpoint and its design wet bulb ``Twb_d`` (the condition it is selected for, below:
  "chiller capacity"; the tower is selected with it). This is the ASHRAE Handbook (HVAC
  Systems and Equipment, "Cooling Towers") condenser heat, and EnergyPlus
  ``CoolingTower:SingleSpeed`` sizes towers the same way:
  its *Nominal Capacity* is the evaporator load, and the *Heat Rejection Capacity and
  Nominal Capacity Sizing Ratio* (default 1.25 = ``1 + 1/COP`` for COP 4) turns it into
  the tower's heat rejection (EnergyPlus Input Output Reference). Without a chiller, or
  with an air-cooled one (dry coolers: the chiller rejects its own heat through its own
  condenser, its fans inside its COP), the rejector carries at most the loop heat:
  ``Qrej_d = Qd / (1 - h_pump w)`` (towers) or ``Qd`` (dry coolers);
* the rejector's approach at full airflow ``A(To, x)``, at the heat it rejects over its design heat
  ``x = Qrej / Qrej_d``: a **dry cooler** (sensible, fixed-UA exchanger at fixed flow) ``A x``; a
  **cooling tower** by Merkel's method (:func:`dcplan.thermal_tower_merkel.tower_approach_k`: fixed NTU
  and L/G, the design water flow, range ``x`` times the design range ``condenser_rise_k``; ASHRAE
  Handbook HVAC Systems and Equipment, "Cooling Towers"; EnergyPlus Engineering Reference, Merkel), the
  tower selected with the chillers: approach ``A`` = ``tower_approach_k`` at ``x = 1`` and the design wet
  bulb ``Twb_d`` (below, "chiller capacity"), range ``condenser_rise_k``, L/G ``tower_lg_ratio``. It
  widens as the wet bulb falls (cold air holds less enthalpy per K: 3.9 K at 25.5 degC, 9.1 K at 10,
  13.3 K at 0 degC wet bulb with the defaults) and is about, not exactly, in proportion to ``x``; wet
  bulbs below about -10 degC take that approach (freezing hours are out of scope). At full fan speed the
  **tower water** (dry-cooler water) leaves at ``Tw = To + A(To, x)``, and the free-cooling water
  temperature is ``Tfree = Tw + Ahx``. Free-only hours: ``Qrej = Q / (1 - h_pump w)``, so
  ``Tfree = To + Ahx + a`` with ``a = A(To, Q / ((1 - h_pump w) Qrej_d))`` (``Q / Qd`` without a
  chiller). With a water-cooled chiller the same tower water feeds the plate HX and the chiller's
  condenser, and it carries the compressor heat of the same hour: while the chiller carries its whole
  load ``Tw = To + A(To, x)`` with ``x = (Q + (1 - e) Q / COP) / ((1 - h_pump w) Qrej_d)``;
* economizer fraction ``e = clip((Ts + dT - Tfree) / dT, 0, 1)`` (series water-side
  economizer: the share of the return-to-supply cooling done free). A dry cooler in series
  with an air-cooled chiller (a liquid loop's trim chiller, or the air loop's full-size chiller
  with ``air_heat_rejection: dry``) keeps ``Tfree = To + a`` (its approach at the whole loop
  heat: conservative in partial hours, when it rejects ``e Q``);
* chiller COP is a constant fraction ``eta`` of the Carnot COP between the supply water
  and the condensing temperature, ``COP = min(COP_max, eta * (Ts + 273.15) / (Tcond - Ts))``,
  with ``eta`` fixed by the AHRI 550/590 rating point, so COP falls as the condenser gets
  warmer. **Water-cooled**: ``Tcond = Tw + dT_cond = Twb + A(Twb, Qrej / Qrej_d) + 5.6 K``, the
  water the tower delivers that hour at full fan speed (its fans run at full speed while a
  compressor runs, below) with that hour's heat: below the full-heat ``Twb + A(Twb, 1) + 5.6 K``
  in part-load hours. The condenser-water rise ``dT_cond`` is held at 5.6 K (variable
  condenser-water flow, as the tower-water pump power, linear in ``Qrej``, implies). At the
  AHRI wet bulb (entering condenser water 29.4 degC less the approach ``A``) and
  ``Qrej = Qrej_d`` (with the tower selected there) this is the AHRI point, which fixes ``eta``;
  ``COP_d`` and ``Qrej_d`` are those of the design approach ``A`` at the design wet bulb ``Twb_d``,
  the tower's design point. **Air-cooled**:
  ``Tcond = Tdb + 15 K`` at any load: the chiller's own condenser coil is not a rejector this
  module models (the dry cooler ahead of it is a separate coil, and air-cooled condenser fans
  are staged for head pressure), so the rating approach is kept;
* **tower water with a water-cooled chiller**: the condenser heat depends on the COP and
  ``e``, both on the tower water, and the tower water on the condenser heat. With
  ``g = 1 - e = clip((Tw + Ahx - Ts) / dT, 0, 1)`` (1 without an economizer) and
  ``u = 1/COP = max(1/COP_max, (Tw + dT_cond - Ts) / (eta (Ts + 273.15)))``, both piecewise
  linear in ``Tw``, an hour in which the chiller carries its whole load solves
  ``Tw = To + a + a g(Tw) u(Tw)`` for an approach in proportion to the heat (a dry cooler's; a
  tower's Merkel approach on its secant ``A(To, x1) / x1`` through the heat ``x1`` of a first pass). The right side rises with ``Tw`` at a slope below 1
  (``a (g' u + g u')``, < 0.2 with the defaults), so the root is unique; the sign of
  ``Tw`` less the right side at the two breakpoints (``e`` reaching 0, the COP leaving its
  cap) tells the piece the root lies on, where the equation is at most quadratic: solved
  exactly (its smaller root). The hours this does not cover (the chiller held to its
  capacity or the loop above its nameplate, below; the remainder of the tower's secant; a slope of 1
  or more, only with extreme overrides) are solved by substitution
  ``Tw <- To + A(To, Qrej(Tw) / Qrej_d)`` from there, until
  the tower water the COP and ``e`` were taken at and the water the tower delivers with the
  heat that results agree to ``_TOWER_TOL_K`` = 1e-9 K (the map contracts by ~0.2 per pass
  with the defaults; at most ``_TOWER_MAX_PASSES`` = 200, then a
  :class:`~dcplan.errors.DcplanWarning`);
* **chiller capacity** ``Qch = Qch_rated * min(1, COP / COP_d)`` at the hour's COP (compressor
  power limited: capacity falls with COP). ``COP_d`` is the COP at the condition the chiller is
  *selected* for, where it delivers ``Qch_rated``: the loop's setpoint and the design dry bulb
  ``Tdb_d`` (air-cooled: ``COP_d = min(COP_max, eta (Ts + 273.15) / (Tdb_d + 15 K - Ts))``) or the
  design wet bulb ``Twb_d`` with the tower at its full approach (water-cooled:
  ``Tcond_d = Twb_d + A + 5.6 K``). A mechanical design selects the chiller (and its tower) for
  the site's design condition, never below the AHRI rating point: by default ``Tdb_d`` is the
  harsher of the AHRI 35 degC and the weather's 0.4 % annual cooling dry bulb, ``Twb_d`` the
  harsher of the AHRI wet bulb (29.4 degC entering condenser water less ``A``) and the 0.4 %
  evaporation wet bulb (ASHRAE Handbook of Fundamentals ch. 14); the 0.4 % value is ASHRAE's own
  where the weather carries it (an EPW header's DESIGN CONDITIONS), else the 99.6th
  percentile of a frame of at least a year of hours (of a typical year: typically below ASHRAE's
  0.4 %, which rests on the long-term record), a shorter frame's hottest hour (a design day peaks
  at it); ``chiller_design_db_degc`` / ``chiller_design_wb_degc`` override it
  (:func:`dcplan.thermal_plant_params.chiller_design_conditions`, reported in the plant's
  ``attrs["plant"]``). So the chiller holds ``Qch_rated`` in every hour no hotter than its design
  condition (at loads up to the design: a tower above its design heat runs warmer) and loses
  capacity only above it, as ``COP / COP_d``; ``eta`` (its COP in every hour) stays fixed by the
  AHRI point, only the capacity reference moves;
* **trim chiller size** ``Qch_rated`` of a liquid loop's trim chiller (in series after its tower or
  dry cooler, :func:`dcplan.thermal_plant_params._trim_chiller_size`): selected, like every chiller,
  for the design condition, to carry what the economizer cannot there. At the loop's nameplate
  heat ``Q = Qd`` and the design condition the rejector runs at its design heat rejection, so the
  water leaves it at ``T_d + A`` (``T_d``: ``Tdb_d`` for a dry cooler, ``Twb_d`` for a tower; with a
  water-cooled trim chiller the tower's design heat includes the compressor work at ``COP_d``,
  which the chiller draws there) and the economizer carries
  ``e_d = clip((Ts + dT - (T_d + A + Ahx)) / dT, 0, 1)``; the chiller is rated
  ``Qch_rated = max(trim_chiller_min_frac, 1 - e_d) Qd``, so the loop holds its nameplate at the
  design condition (capacity ``Qch_rated + e_d Qd = Qd``) and keeps its margin at the design IT.
  ``trim_chiller_min_frac`` (0.5, estimate) keeps a chiller asked for from shrinking to nothing
  where the rejector alone carries the design (``e_d = 1``). This is the ASHRAE design practice of
  selecting equipment for the climatic design condition (Handbook of Fundamentals ch. 14; HVAC
  Systems and Equipment, chillers and cooling towers) applied to the series economizer; the
  closed form is dcplan's own (derived). An explicit ``trim_chiller_frac`` is taken as given
  (``Qch_rated = trim_chiller_frac Qd``: a designer's choice, smaller than the design needs or
  not); blank (the default) or None is the sized one. A trim chiller without an economizer, or a
  W17/W27 loop's chiller plant, carries the whole loop: ``Qch_rated = Qd``. The size used is in
  ``attrs["plant"]["trim_chiller_frac"]`` of :func:`dcplan.thermal.plant_hourly`;
* free-only capacity (no compressor) at the class maximum supply: the loop heat that
  loads the rejector to the approach ``Tmax - Ahx - To`` at full airflow,
  ``Qfree = min(Qd, (1 - h_pump w) Qrej_d X(To, Tmax - Ahx - To))`` with ``X`` the inverse of ``A`` in the
  heat (a dry cooler's ``max(0, a) / A``; a tower's :func:`dcplan.thermal_tower_merkel.tower_heat_frac`);
  loop capacity ``cap = max(Qfree, Qch + e * Q)`` with a chiller and economizer, ``Qch``
  with a chiller and no economizer (``economizer: false``: ``e = 0``, no free path),
  ``Qfree`` without a chiller; never above the nameplate ``Qd`` (pumps, CDU / plate HX
  and CRAH airflow are sized for ``Qd``; colder weather does not make them move more).
  ``Qch`` and ``e`` are those of the hour's own load (its tower water), so ``cap`` is the
  heat the loop can remove at that load;
* heat the chiller removes ``q_ch = max(0, min((1 - e) Q, Qch, cap - e Q))``: its whole
  load ``(1 - e) Q`` unless that exceeds its capacity ``Qch`` (or what the nameplate leaves
  it); chiller power ``q_ch / COP``;
* **hours short of capacity** (``Q > cap``): the loop removes ``cap``. With the chiller
  setting the capacity it runs at its capacity, ``q_ch = Qch``, drawing ``Qch / COP``
  (``= Qch_rated / COP_d`` when ``COP < COP_d``: the compressor at its power limit), and the
  economizer does ``e Q``. The unremoved heat ``Q - cap`` (``derate_kw`` of
  :mod:`dcplan.thermal_plant`) is left to throttling, which sheds at most
  ``1 - throttle_power_frac`` of the IT (``throttle_frac`` 1); what it cannot shed is
  ``throttled_overload_kw`` (warned of). The condenser,
  the tower (``Qrej``, its water and its pumps) and a dry cooler see only the heat removed,
  ``min(Q, cap)``. The supply is reported at ``Ts + dT (Q - cap) / Q`` (the unremoved share
  of the return, as if not throttled), and ``it_kw`` and ``facility_kw`` stay the
  unthrottled demand (the upper bound the grid and bill see); CRAH fans and loop pumps stay
  on ``Q``. A loop without a chiller has no unremoved heat: its rejector takes all of ``Q``
  at a supply above ``Tmax`` (``max(Ts, Tfree)``), and ``cap`` is what it carries at ``Tmax``;
* CRAH fans and loop pumps (variable speed) follow their part-load curves of the flow fraction
  ``Q / Q_ref`` (``Q_ref`` the loop's heat at the design IT; :mod:`dcplan.thermal_part_load`); the
  tower-water pumps stay linear in ``Qrej``; tower / dry-cooler fans run at full speed while a compressor runs (water-cooled: the
  coldest condenser water; air-cooled: the most precooling), otherwise at the speed
  ``s = clip(A(To, Qrej / Qrej_d) / (Ts - Ahx - To), s_min, 1)`` that just holds the setpoint
  (approach taken inversely proportional to airflow, anchored to the full-airflow approach ``A(To, x)``:
  a tower's Merkel approach at that wet bulb and heat), and are off when the rejector has
  no heat to reject (``Qrej = 0``: e.g. a dry cooler bypassed while its air-cooled trim
  chiller carries the whole loop). Power ``f Qrej_d s**3``: ``f`` is kW per kW of design
  heat rejection at full speed, the fan affinity law below it; a fan at full speed draws
  its nameplate power whatever the load (heat above ``Qrej_d`` raises the approach, not
  the fan power);
* tower water (evaporation and blowdown) of the heat ``Qrej`` a tower rejects: an hourly air-side
  energy and mass balance of the tower (EnergyPlus *SaturatedExit*), in :mod:`dcplan.thermal_water`,
  through which the air these fans move passes: the design airflow (``Qrej_d`` over the design air
  enthalpy rise ``L/G c_pw R``) times the hour's speed ``s`` (EnergyPlus: design air flow x air flow
  ratio); :func:`dcplan.thermal.plant_hourly` applies it to the tower loops' ``Qrej`` and ``s``.

Heat of the plant's own fans and pumps (energy balance)
-------------------------------------------------------
A loop removes the heat put into it, and its own movers put heat into it: the electrical
input of a fan or pump ends up as heat, in the air or water it moves or around its motor.
Each loop's heat load ``Q`` is therefore its *base* load ``B`` (air loop: the room share
of the IT heat plus the electrical losses in the space; liquid loop: the captured IT heat)
plus the in-loop share of its movers' power, and those movers are sized per kW of ``Q``:

* **CRAH / fan-wall fans** (air loop): power ``c Q_ref F_f(Q / Q_ref)`` (part-load curve,
  :mod:`dcplan.thermal_part_load`; ``c Q`` at and above the design flow); the share ``h_fan`` heats the air the
  chilled-water coil cools (``crah_fan_heat_to_air_frac`` = 1.0: motors in the airstream,
  EnergyPlus ``Fan:*`` *Motor In Airstream Fraction* default);
* **loop pumps** (air loop: chilled-water pumps ``chw_pump_kw_per_kw``; liquid loop:
  facility-water + CDU/TCS pumps ``liquid_pump_kw_per_kw``): power ``u Q_ref F_p(Q / Q_ref)``; the shaft power,
  share ``h_pump`` of the input, heats the pumped water (``pump_heat_to_fluid_frac`` = 0.9:
  EnergyPlus ``Pump:*`` defaults *Motor Efficiency* 0.9, *Fraction of Motor Inefficiencies
  to Fluid Stream* 0). Motor losses heat the pump's surroundings (plant room; for CDUs in
  the white space a little of it reaches the air loop, < 0.2 % of the liquid heat; not
  counted);
* so ``Q = B + Q_ref (h_fan c F_f + h_pump u F_p)(Q / Q_ref)``: ``Q = B / (1 - k)`` at and above
  the design flow, ``k = h_fan c + h_pump u`` (``k`` < 1 is checked; defaults: air loop 0.060,
  liquid loop 0.018), below it the root :func:`dcplan.thermal_part_load.loop_heat_kw` finds. ``Q``
  does not depend on the chiller (its compressor heat goes to the condenser side);
* the **chiller** removes ``q_ch`` (``(1 - e) Q`` unless held to its capacity, above):
  ``chiller_kw = q_ch / COP``;
* **condenser / tower-water pumps** (tower plants, ``cw_pump_kw_per_kw``, power ``w Qrej``):
  their shaft heat lands in the tower water, i.e. on the condenser side, not in the cooled
  loop: ``Qrej = (min(Q, cap) + chiller_kw) / (1 - h_pump w)`` (water-cooled chiller;
  ``min(Q, cap) = Q`` unless the loop is short; ``Q / (1 - h_pump w)`` without a chiller),
  again exact;
* **tower, dry-cooler and air-cooled-condenser fans** blow outdoor air and reject their heat
  with it: they load no loop;
* ``heat_load_kw`` = sum of the loops' ``Q`` (IT + losses in the space + in-loop fan and
  pump heat). A tower rejects ``Qrej``; with ``h_pump = 1`` that is every electrical input
  inside the loops (IT, losses in the space, CRAH fans, loop and tower-water pumps, chiller),
  less, in hours a chiller loop is short of capacity, the heat it does not remove.

All defaults come from ``data/cooling_defaults.csv`` (sources and status in
``data/cooling_defaults.md``); many are design estimates and are marked so.
"""
from __future__ import annotations

import warnings

import numpy as np
import pandas as pd

from .errors import DcplanWarning, InputError
from .thermal_plant_params import rejection_approach_k, tower_design
from .thermal_part_load import _in_loop_frac, loop_heat_kw, mover_power_frac  # noqa: F401
from .thermal_chiller_cop import _carnot_eta, chiller_cop  # noqa: F401  (moved there; re-exported)
from .thermal_tower_merkel import tower_approach_k, tower_heat_frac

__all__ = ["chiller_cop", "liquid_flow_l_per_min"]


_RHO_WATER = 1.0     # kg/L, water near 20-40 degC (0.992-0.998; 1.0 used)
_CP_WATER = 4.186    # kJ/(kg K), water at 20-40 degC (steam tables 4.18)

#: Tower water of the hours the closed form does not cover (module docstring, "tower water"):
#: substitution stops when, in every such hour, the tower water the COP and economizer were
#: taken at and the water the tower delivers with the heat that results agree to 1e-9 K (the
#: COP moves by ~6e-11 of itself per 1e-9 K at a 16 K lift). In a hot hour short of capacity
#: the map contracts by ~0.2 per pass with the defaults (~12 passes); the cap only stops a
#: non-contracting what-if (then a DcplanWarning).
_TOWER_TOL_K = 1e-9
_TOWER_MAX_PASSES = 200


def _chiller_share(q, econ, cop, *, ch_rated, cop_design, q_design, free_cap, economizer):
    """Loop capacity ``cap`` and the heat ``q_ch`` the chiller removes (module docstring):
    ``q_ch = max(0, min((1 - e) Q, Qch, cap - e Q))``, its whole load unless held to its
    capacity ``Qch`` (or to what the loop's nameplate leaves it). [kW]"""
    ch_cap = ch_rated * np.minimum(1.0, cop / cop_design)
    free = econ * q
    # without an economizer the plate HX is absent: no free-cooling path, chiller only
    cap = np.minimum(q_design, np.maximum(free_cap, ch_cap + free)) if economizer else ch_cap
    q_ch = np.maximum(0.0, np.minimum(np.minimum((1.0 - econ) * q, ch_cap), cap - free))
    return cap, q_ch


def _tower_water_unlimited(base, a, *, t_set, dt, hx, rise, eta_tk, u_min, economizer):
    """Tower water [degC] of a water-cooled chiller loop when the chiller carries its whole load.

    The root of ``Tw = base + a g(Tw) u(Tw)`` (module docstring, "tower water"), with
    ``base = Twb + a``, ``g = 1 - e = clip((Tw + Ahx - Ts) / dT, 0, 1)`` (1 without an
    economizer) and ``u = 1/COP = max(1/COP_max, (Tw + dT_cond - Ts) / (eta (Ts + 273.15)))``,
    both piecewise linear in ``Tw``. The right side rises with ``Tw`` at a slope below 1 (with
    the defaults < 0.2), so the root is unique; which piece it lies on follows from the sign of
    ``Tw - rhs`` at the two breakpoints (``e`` reaching 0, the COP leaving its cap), and on that
    piece the equation is at most quadratic. Exact: no iteration. A root the pieces do not give
    (a slope of 1 or more, reached only with extreme overrides) comes back NaN.
    """
    pb = base - t_set                      # temperatures relative to the setpoint
    p_u = eta_tk * u_min - rise            # above it the COP is below its cap
    if economizer:
        p_g = dt - hx                      # above it the economizer does nothing (e = 0)
        hi_g = p_g <= pb + a * max(u_min, (p_g + rise) / eta_tk)
        hi_u = p_u <= pb + a * u_min * min(1.0, max(0.0, (p_u + hx) / dt))
        g0, g1 = np.where(hi_g, 1.0, hx / dt), np.where(hi_g, 0.0, 1.0 / dt)
    else:
        hi_u = p_u <= pb + a * u_min
        g0, g1 = 1.0, 0.0
    u0, u1 = np.where(hi_u, rise / eta_tk, u_min), np.where(hi_u, 1.0 / eta_tk, 0.0)
    # a g1 u1 p^2 + (a (g0 u1 + g1 u0) - 1) p + pb + a g0 u0 = 0: the smaller root, in a form
    # that also holds when the square term vanishes
    al, be, ga = a * g1 * u1, a * (g0 * u1 + g1 * u0) - 1.0, pb + a * g0 * u0
    with np.errstate(divide="ignore", invalid="ignore"):
        root = 2.0 * ga / (np.sqrt(be * be - 4.0 * al * ga) - be)
    if economizer:                         # water cold enough for the economizer alone: e = 1
        root = np.where(pb + hx <= 0.0, pb, root)
    return t_set + root


def _loop(q_base, t_db, t_wb, *, t_set, t_max, dt, rejection, chiller, q_design, ch_rated, p,
          economizer=True, air_side=False, design=None, q_ref=None):
    """One loop, vectorized over hours; see the module docstring for the equations.

    ``q_base`` is the heat put in from outside the loop [kW]; the loop's heat load adds
    its own fans' and pumps' heat at their part-load power (flow fraction ``Q / q_ref``, ``q_ref`` the
    loop's heat at the design IT, default ``q_design``: :mod:`dcplan.thermal_part_load`).
    ``design`` holds the chiller's design condition, ``chiller_design_db_degc`` (air-cooled)
    and ``chiller_design_wb_degc`` (water-cooled) [degC], of the whole weather frame
    (:func:`dcplan.thermal_plant_params.chiller_design_conditions`; the caller's: ``t_db`` and
    ``t_wb`` may be a subset of the hours); None: the AHRI 550/590 point.
    Returns the hourly arrays (``rej_speed``: the tower / dry-cooler fans' speed, a fraction of the
    design airflow, whose air the tower water of :mod:`dcplan.thermal_water` takes) and the scalars
    ``k_in`` and ``q_rej_design_kw`` (the rejector's design heat rejection ``Qrej_d``).
    """
    v = p.values
    k_in = _in_loop_frac(p, air_side)
    q_ref = q_design if q_ref is None else q_ref
    u_pump, c_fan = v["chw_pump_kw_per_kw" if air_side else "liquid_pump_kw_per_kw"], v["crah_fan_kw_per_kw"] * air_side
    a_f, a_p = v["crah_fan_heat_to_air_frac"] * c_fan, v["pump_heat_to_fluid_frac"] * u_pump
    q = loop_heat_kw(q_base, q_ref, a_f, a_p, v)
    tower = rejection == "tower"
    approach, hx = rejection_approach_k(p, rejection)   # (the climate screen's too: free_cooling_limits)
    if tower:
        # the tower selected with the chillers, at their design wet bulb (module docstring)
        td = tower_design(p, None if design is None else design["chiller_design_wb_degc"])

        def appr(x, sel=slice(None)):
            """Full-airflow approach [K] at heat x = Qrej / Qrej_d in the hours sel: Merkel."""
            return tower_approach_k(t_wb[sel], x, **td)

        def heat_within(a):
            """Heat [x Qrej_d] the rejector carries at full airflow within an approach a [K]."""
            return tower_heat_frac(t_wb, a, **td)
    else:
        def appr(x, sel=slice(None)):
            return approach * x

        def heat_within(a):
            return np.maximum(0.0, a) / approach
    if tower:
        t_out = t_wb
        # tower-water pumps move Qrej and heat the tower water (condenser side): the tower
        # also rejects their shaft heat, Qrej = (heat removed + chiller) / (1 - h_pump w), exact
        h_cw = v["pump_heat_to_fluid_frac"] * v["cw_pump_kw_per_kw"]
    else:
        t_out, h_cw = t_db, 0.0
    kind = "water" if tower else "air"
    if chiller:
        # design COP: at the chiller's design condition (module docstring, "chiller capacity"):
        # the design wet bulb with the tower at its design heat rejection (its full approach), or
        # the design dry bulb; without one the AHRI point (entering condenser water, 35 degC air)
        if design is None:
            t_design = (v["chiller_rating_ecwt_degc"] - v["tower_approach_k"] if kind == "water"
                        else v["chiller_rating_db_degc"])
        else:
            t_design = design["chiller_design_wb_degc" if kind == "water" else "chiller_design_db_degc"]
        # (the tower is selected at t_design: its approach there at its design heat is tower_approach_k)
        cop_design = chiller_cop(t_set, t_design, kind, p, **({"tower_design_wb_degc": t_design} if kind == "water"
                                                                 else {}))
    # design heat rejection: a tower serving a water-cooled chiller rejects the condenser heat
    # at design, evaporator load + compressor work (Qd (1 + 1/COP_d) for a full-size chiller);
    # an air-cooled chiller rejects its own heat, so a dry cooler carries at most the loop heat
    water_cooled = chiller and tower
    q_rej_design = (q_design + (ch_rated / cop_design if water_cooled else 0.0)) / (1.0 - h_cw)
    # approach [K] when the rejector carries the loop heat alone (free path, no compressor heat)
    a_free = appr(q / ((1.0 - h_cw) * q_rej_design))
    # cold weather lowers the approach the free path needs, not the size of the pumps,
    # heat exchangers and fans that move the heat: no loop capacity above its nameplate Qd
    free_cap = np.minimum(q_design, (1.0 - h_cw) * q_rej_design * heat_within(t_max - hx - t_out))
    if chiller:
        share = dict(ch_rated=ch_rated, cop_design=cop_design, q_design=q_design, economizer=economizer)
        if water_cooled:
            econ, cap, chiller_kw, cop, q_rej = _water_cooled_hours(
                q, t_wb, a_free, free_cap, share, t_set=t_set, dt=dt, hx=hx, appr=appr,
                h_cw=h_cw, q_rej_design=q_rej_design, v=v)
        else:  # dry cooler in series with an air-cooled chiller (liquid trim, or the dry air loop's)
            cop = chiller_cop(t_set, t_db, kind, p)
            econ = (np.clip((t_set + dt - (t_out + hx + a_free)) / dt, 0.0, 1.0) if economizer
                    else np.zeros_like(q))
            cap, q_ch = _chiller_share(q, econ, cop, free_cap=free_cap, **share)
            chiller_kw = q_ch / cop
            # the dry cooler carries the heat removed that the chiller does not (e Q unless
            # the plant is short); the chiller rejects its own heat (its fans inside its COP)
            q_rej = np.minimum(q, cap) - q_ch
        short = np.maximum(0.0, q - cap)
        supply = t_set + np.where(q > 0, short / np.where(q > 0, q, 1.0), 0.0) * dt
    else:
        econ = np.ones_like(q)
        cop = np.full_like(q, np.nan)
        chiller_kw = np.zeros_like(q)
        cap = free_cap
        supply = np.maximum(t_set, t_out + hx + a_free)
        q_rej = q / (1.0 - h_cw)
    # rejection fans: full speed whenever a compressor runs; in free cooling they slow to
    # the speed that just holds the setpoint (approach ~ 1 / airflow from the full-airflow approach
    # at the heat rejected: Merkel for a tower, A Qrej / Qrej_d for a dry cooler), power ~ speed^3
    # on the nameplate Qrej_d; off with nothing to reject. They blow outdoor air: their
    # heat leaves with it and loads no loop.
    f_rej = v["tower_fan_kw_per_kw"] if tower else v["drycooler_fan_kw_per_kw"]
    avail = t_set - hx - t_out
    need = appr(q_rej / q_rej_design)
    speed = np.where(avail > need, need / np.where(avail > 0, avail, 1.0), 1.0)
    speed = np.clip(speed, v["rejection_fan_min_speed_frac"], 1.0)
    if chiller:
        speed = np.where(econ < 1.0, 1.0, speed)
    speed = np.where(q_rej > 0.0, speed, 0.0)
    fan_rej = f_rej * q_rej_design * speed ** 3
    # CRAH fans and loop pumps at their part-load power (the same power whose heat is in q)
    pumps = u_pump * q_ref * mover_power_frac(q / q_ref, v, "pump")
    if tower:   # (its water: dcplan.thermal_water, from q_rej and the hour's air, in plant_hourly)
        pumps = pumps + q_rej * v["cw_pump_kw_per_kw"]
    crah = c_fan * q_ref * mover_power_frac(q / q_ref, v, "fan") if air_side else np.zeros_like(q)
    return {"chiller_kw": chiller_kw, "fans_kw": fan_rej + crah, "pumps_kw": pumps,
            "econ": econ, "cap": cap, "supply": supply, "cop": cop,
            "q": q, "q_rej": q_rej, "k_in": k_in, "q_rej_design_kw": q_rej_design, "rej_speed": speed}


def _water_cooled_hours(q, t_wb, a_free, free_cap, share, *, t_set, dt, hx, appr, h_cw,
                        q_rej_design, v):
    """Economizer share, capacity, chiller power, COP and tower heat of a water-cooled chiller
    loop at the tower water it delivers that hour (module docstring, "tower water").

    The closed form :func:`_tower_water_unlimited` gives the tower water of every hour in which
    the chiller carries its whole load for an approach in proportion to the heat; the tower's
    Merkel approach ``appr(x)`` (:func:`dcplan.thermal_tower_merkel.tower_approach_k`) is nearly so, and
    the closed form is taken on its secant through the heat the first pass gives. Every hour whose water
    that leaves (the chiller held to its capacity, the loop short or above its nameplate, the secant's
    remainder) is found by substitution to ``_TOWER_TOL_K``.
    """
    rise = v["condenser_rise_k"]
    eta_tk = _carnot_eta("water", v) * (t_set + 273.15)
    u_min = 1.0 / v["chiller_cop_max"]
    economizer = share["economizer"]

    def at(t_tw, sel):
        """The hours ``sel`` with tower water ``t_tw``: (econ, cap, chiller_kw, cop, q_rej,
        the tower water that q_rej gives)."""
        qs = q[sel]
        u = np.maximum(u_min, (t_tw + rise - t_set) / eta_tk)      # 1 / COP
        econ = (np.clip((t_set + dt - hx - t_tw) / dt, 0.0, 1.0) if economizer
                else np.zeros_like(qs))
        cap, q_ch = _chiller_share(qs, econ, 1.0 / u, free_cap=free_cap[sel], **share)
        chiller_kw = q_ch * u
        # the tower rejects the heat the loop removes and the compressor work, and the
        # shaft heat of its own pumps
        q_rej = (np.minimum(qs, cap) + chiller_kw) / (1.0 - h_cw)
        return econ, cap, chiller_kw, 1.0 / u, q_rej, t_wb[sel] + appr(q_rej / q_rej_design, sel)

    def closed(a):
        return _tower_water_unlimited(t_wb + a, a, t_set=t_set, dt=dt, hx=hx, rise=rise, eta_tk=eta_tk,
                                      u_min=u_min, economizer=economizer)

    base = t_wb + a_free
    t_tw = closed(a_free)
    out = list(at(t_tw, slice(None)))
    # the approach is not quite in proportion to the heat: again on the secant A(x1) / x1 through the
    # first pass's heat x1 (the free-path heat x0 at a_free = A(x0); where x1 is x0 nothing moves)
    x0, x1 = q / ((1.0 - h_cw) * q_rej_design), out[4] / q_rej_design
    ok1 = np.isfinite(t_tw) & (x1 > 0.0)
    a_sec = np.where(ok1, appr(np.where(ok1, x1, 1.0)) * x0 / np.where(ok1, x1, 1.0), a_free)
    t_tw = closed(a_sec)
    out = list(at(t_tw, slice(None)))
    todo = np.flatnonzero(~(np.abs(out[5] - t_tw) <= _TOWER_TOL_K))   # NaN: not given by the closed form
    if todo.size:
        out = [np.array(o, float) for o in out]
        t = np.where(np.isfinite(t_tw[todo]), t_tw[todo], base[todo])
        for _ in range(_TOWER_MAX_PASSES):
            res = at(t, todo)
            ok = np.abs(res[5] - t) <= _TOWER_TOL_K
            for full, part in zip(out, res):
                full[todo[ok]] = part[ok]
            todo, t = todo[~ok], res[5][~ok]
            if not todo.size:
                break
        else:
            warnings.warn(f"the tower water of a water-cooled chiller loop did not settle in "
                          f"{_TOWER_MAX_PASSES} passes in {todo.size} hours (tolerance {_TOWER_TOL_K:g} K): "
                          "the compressor heat moves the tower water more than it moves itself; check "
                          "tower_approach_k, chw_dt_k / liquid_dt_k and chiller_cop_max", DcplanWarning,
                          stacklevel=5)
            for full, part in zip(out, at(t, todo)):
                full[todo] = part
    return tuple(out[:5])


def _psu_efficiency(it_kw, fleet, overrides, v) -> tuple[float, str]:
    """(PSU efficiency, its basis) of the compute / fan split: an override ``psu_eff_frac``; else the
    fleet's (``fleet``, or ``it_kw.attrs`` of :func:`dcplan.power.site_it_kw`); else cooling_defaults'."""
    if "psu_eff_frac" in overrides:
        return float(v["psu_eff_frac"]), "psu_eff_frac override"
    basis = "fleet: data/hardware.csv psu_efficiency_frac, power-weighted over its units and rack gear"
    if fleet is not None:
        from .power_fleet import fleet_psu_efficiency_frac
        eta = fleet_psu_efficiency_frac(fleet)
        if eta is not None:
            return eta, basis
    eta = it_kw.attrs.get("psu_efficiency_frac") if isinstance(it_kw, pd.Series) else None
    if eta is not None:
        if isinstance(eta, bool) or not (isinstance(eta, (int, float)) and 0.0 < eta <= 1.0):
            raise InputError(f"attrs['psu_efficiency_frac'] is {eta!r}; allowed: a fraction in (0, 1]", field="it_kw")
        return float(eta), basis
    return float(v["psu_eff_frac"]), "data/cooling_defaults.csv psu_eff_frac (no fleet given)"


def liquid_flow_l_per_min(heat_kw, dt_k: float = 10.0):
    """Liquid-loop flow to carry ``heat_kw`` at a temperature rise ``dt_k``.

    ``flow = heat / (rho * cp * dT) * 60`` with water rho = 1.0 kg/L and
    cp = 4.186 kJ/(kg K): 1.43 L/min per kW at 10 K (docs/reference-data.md 3c).

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
