"""Hourly cooling-plant model: cooling power, capacity, economizer, water, PUE.

Plant types (``CoolingSpec.type``)
----------------------------------
``air``
    One **air loop**: CRAH fans blow room air over chilled-water coils. With
    ``air_heat_rejection: tower`` (the default) a water-cooled chiller with a cooling
    tower makes the chilled water, and a water-side economizer (tower water through a
    plate heat exchanger) precools the return water whenever the wet bulb allows (full
    or partial free cooling). With ``air_heat_rejection: dry`` an **air-cooled** chiller
    makes it (COP and capacity follow the dry bulb; COP rated at the AHRI 550/590 air-cooled
    point, capacity selected for the site's design dry bulb) and a dry cooler in series
    precools the return whenever the dry bulb allows;
    no water is evaporated. The loop equations are the liquid loop's dry cooler with
    trim chiller (:mod:`dcplan.thermal_plant_loop`), here with a full-size chiller.
``liquid``
    A **liquid loop** takes ``liquid_heat_frac`` of the IT heat (direct-to-chip
    cold plates -> CDU -> facility water -> cooling tower or dry cooler,
    ``heat_rejection``, optional trim chiller); the remaining heat (and the electrical
    losses) is on an air loop as above, with its own ``air_heat_rejection``. A plant
    with both set to ``dry`` uses no water.

The equations of one loop (economizer, chiller COP and capacity, fans, pumps, tower
water) and the energy balance of the plant's own fans and pumps (each loop's heat
load ``Q = B / (1 - k)``, in-loop share ``k``) are documented with the code that
implements them, in :mod:`dcplan.thermal_plant_loop`; the parameters, their sourced
defaults and the override checks in :mod:`dcplan.thermal_plant_params`. Every name
of both is re-exported here, as is the warning of hours the plant cannot cool even with
every GPU throttled (:mod:`dcplan.thermal_plant_overload`).

Capacity: a loop is designed for its whole heat load at the design IT, fan and pump
heat included (as a coil load calculation counts supply-fan heat): the nameplate is
``Qd = (1 + margin) x`` design base load ``/ (1 - k)`` (base load: IT + losses in the
space at the design IT, the losses of the chain at the design IT, as the design-day plant's). A loop of
heat capacity ``cap`` carries the base load ``cap (1 - k)``, its fans and pumps counted at their full-load
kW per kW (at part flow they draw less, :mod:`dcplan.thermal_part_load`: a rating figure that errs low in
hours short of capacity), so ``capacity_it_kw`` is the smaller of ``cap_liq (1 - k_liq) / f_liq`` and the
IT ``x`` with ``(1 - f_liq) x + losses in the space at x = cap_air (1 - k_air)``: the losses those the site
would have AT that capacity, not the hour's own (:mod:`dcplan.thermal_plant_capacity`; until 2026-12 the
hour's, which read the capacity of a part-loaded hour high, 0.63 % at Chicago's and Phoenix's design days).
At nameplate (an air plant) it is the IT that with its own losses fills ``(1 + margin)`` x (design IT + its
losses). A loop's tower or dry cooler is sized for its design heat *rejection*, which for a tower serving a
water-cooled chiller is the condenser heat ``Qd (1 + 1/COP_d)`` (:mod:`dcplan.thermal_plant_loop`, "design heat
rejection"). A chiller delivers its rated
capacity up to the condition it is selected for, the harsher of the AHRI 550/590 rating point
and the weather's 0.4 % design dry bulb (air-cooled) or wet bulb (water-cooled) (ASHRAE's, from
an EPW header that has them, else the weather's 99.6th percentile: of a typical year, typically
below ASHRAE's 0.4 %), and less above
it (:mod:`dcplan.thermal_plant_loop`, "chiller capacity"; :func:`chiller_design_conditions`);
the condition used is in ``attrs["plant"]`` of :func:`plant_hourly`'s frame. A liquid loop's trim
chiller is sized for the same condition: what its tower or dry cooler cannot carry of the loop's
nameplate there, at least ``trim_chiller_min_frac`` of it, unless ``trim_chiller_frac`` is given
(:mod:`dcplan.thermal_plant_loop`, "trim chiller size").

IT fans (EnergyPlus ``ElectricEquipment:ITE:AirCooled`` style): above the knee
inlet temperature the server airflow ratio rises by ``server_fan_flow_per_k`` per K
and fan power scales with ``flow_ratio ** n``, adding
``U(T_in) = fan_frac * it_kw * (flow_ratio**n - 1)`` to IT power (and heat). The electrical
losses are then taken at the uplifted IT power (the chain of
:func:`dcplan.power.electrical_losses_kw`, ``electrical_chain``, recomputed; losses given by the caller scaled by
``it_kw_uplifted / it_kw``). The uplift and the inlet are solved together, as the fixed point
``T_in = T_plant(it_kw + U(T_in))``: the fans respond to the inlet they see, and that inlet is
the one the plant delivers while removing the fans' own heat (and their extra losses), so only
the fixed point is a steady state. (Reporting the first-pass inlet the uplift came from would
show an inlet the plant does not deliver at that IT power; reporting the second-pass inlet
beside the first-pass uplift, as before, paired an inlet with an uplift it does not cause.)
It is solved for the uplift ``u = U(T_plant(it_kw + u))``, only in the hours above the knee, by
substitution from ``u = 0`` with one Aitken delta-squared step after the first pass (the map is
smooth and contracts by ~0.05 per pass with the defaults, so that step usually lands within the
tolerance: two passes beyond the first), then plain substitution until, in every hour, the inlet
the plant delivers and the inlet the uplift was computed from agree to ``_UPLIFT_TOL_K`` =
1e-4 K. So ``temp_inlet_degc`` and ``it_fan_uplift_kw`` agree to that tolerance (cap
``_UPLIFT_MAX_PASSES`` = 50, then a :class:`~dcplan.errors.DcplanWarning`). Only hours in which
the plant is short of capacity (or an inlet setpoint above the knee) have an uplift at all; with
an inlet setpoint above the knee and no shortfall the inlet does not move and one pass suffices.

Compute power (ITUE, TUE): ``compute_kw = it_kw x eta - server fans (DC side)``, with ``eta`` the
fleet's own PSU efficiency, power-weighted over its catalog rows
(:func:`dcplan.power_fleet.fleet_psu_efficiency_frac`: 0.963 for HGX racks, 0.972 for GB200 NVL72)
when :func:`plant_hourly` is given the fleet (``fleet=``, or an ``it_kw`` Series of
:func:`dcplan.power.site_it_kw`, which carries it in ``attrs``); ``psu_eff_frac`` of
``data/cooling_defaults.csv`` (0.94) only where no fleet is known (a bare kW figure).

All defaults come from ``data/cooling_defaults.csv`` (sources and status in
``data/cooling_defaults.md``); many are design estimates and are marked so.
"""
from __future__ import annotations

import warnings
from typing import Any

import numpy as np
import pandas as pd

from ._ts import step_s
from .errors import DcplanWarning, InputError
# the loop physics and the parameters live in their own modules; every name is re-exported here
from .thermal_chiller_cop import cop_cap_columns
from .thermal_plant_loop import (_CP_WATER, _RHO_WATER, _in_loop_frac, _loop, _psu_efficiency, chiller_cop,
                                 liquid_flow_l_per_min)
from .thermal_plant_params import (_INF, _OVERRIDE_BOUNDS, ASHRAE_AIR_CLASSES, LIQUID_CLASS_PLANT,
                                   W_CLASS_MAX_DEGC, PlantParams, _apply_overrides, _chiller_design,
                                   _checked_weather, _defaults_table, _range_text, _trim_chiller_size,
                                   chilled_water_degc, chiller_design_conditions,
                                   cooling_defaults, free_cooling_limits, plant_params, tower_design)
from .thermal_plant_capacity import air_capacity_it
from .thermal_plant_checks import dew_point_warnings
from .thermal_plant_overload import _warn_throttled_overload
from .thermal_part_load import check_curves
from .thermal_water import _checked_design, _tower_evaporation_l, weather_pressure_pa

__all__ = ["PlantParams", "plant_params", "cooling_defaults", "free_cooling_limits", "chiller_design_conditions",
           "chiller_cop", "plant_hourly",
           "annual_pue", "derate_hours", "plant_summary", "site_cooling_summary",
           "liquid_flow_l_per_min", "it_from_compute_kw", "W_CLASS_MAX_DEGC", "ASHRAE_AIR_CLASSES",
           "LIQUID_CLASS_PLANT"]


#: Server-fan uplift fixed point (module docstring, "IT fans"): passes stop when, in every
#: hour above the knee, the inlet the plant delivers (the reported inlet) and the inlet the
#: reported uplift was computed from agree to 1e-4 K
#: (1e-5 of the fan flow ratio at 0.1 per K: an uplift within 8e-7 of the IT power for air
#: servers, far below any figure dcplan reports). The map contracts by ~0.05 per pass with the
#: defaults, by < 0.5 even with affinity-law fans (exponent 3); with the Aitken step two passes
#: suffice, and the cap only stops a non-contracting what-if.
_UPLIFT_TOL_K = 1e-4
_UPLIFT_MAX_PASSES = 50


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


def it_from_compute_kw(compute_kw, plant_type: str = "liquid", params: PlantParams | None = None, *,
                       fleet: Any = None):
    """IT power needed for a given compute (silicon) power, by cooling type.

    ``it = compute / (psu_eff * (1 - fan_frac))`` with the server fan fraction of
    air- or liquid-cooled servers and the PSU efficiency :func:`plant_hourly` uses (``fleet``'s,
    else ``psu_eff_frac``); used to compare air and liquid halls at the same useful work (ITUE,
    TUE). [kW] in, [kW] out.
    """
    p = params or plant_params()
    if plant_type not in ("air", "liquid"):
        raise InputError(f"unknown plant_type {plant_type!r}; allowed: air, liquid", field="plant_type")
    ff = p.values["server_fan_frac_air" if plant_type == "air" else "server_fan_frac_liquid"]
    return compute_kw / (_psu_efficiency(None, fleet, {}, p.values)[0] * (1.0 - ff))


def plant_hourly(it_kw, weather: pd.DataFrame, cooling: Any = None, *,
                 electrical_losses_kw=None, design_it_kw: float | None = None,
                 throttle_power_frac: float = 0.6, fleet: Any = None, electrical_chain=None,
                 electrical_rated_kw: float | None = None, **overrides) -> pd.DataFrame:
    """Hourly cooling plant for one year of weather.

    Parameters
    ----------
    it_kw : float, numpy array or pandas Series
        IT power at the design inlet temperature (any step 1 s .. 1 h; averaged to
        the weather's interval-ending hours). [kW]
    weather : pandas.DataFrame
        Hourly weather from :func:`dcplan.weather.load_weather` (needs ``temp_air``
        and ``temp_wet_bulb_degc``, finite, in [-90, 60] degC: kelvin or degF is refused,
        :func:`dcplan.weather.check_temperature_columns`). [degC]
    cooling : CoolingSpec, dict, PlantParams or None
        The site's ``cooling:`` section.
    electrical_losses_kw : float, array or Series, optional
        UPS/distribution losses at ``it_kw``. Default: ``dcplan.power.electrical_losses_kw``
        of the hourly IT with ``rated_kw=design_it_kw`` (about 6.4 % at full load),
        recomputed at the uplifted IT in hours with a server-fan uplift; the
        ``electrical_loss_frac`` fallback (0.05, estimate) only if ``dcplan.power``
        cannot be imported. Given losses are scaled by ``it_kw_uplifted / it_kw`` in
        uplift hours (their loss fraction held). [kW]
    electrical_chain : sequence of str or dict, optional
        The chain of the default losses (``chain`` of :func:`dcplan.power.electrical_losses_kw`,
        a site's ``electrical.stages()``); default :data:`dcplan.power.DEFAULT_CHAIN`. Not with
        ``electrical_losses_kw``.
    design_it_kw : float, optional
        IT power the plant is sized for (default: the peak hourly IT). [kW]
    electrical_rated_kw : float, optional
        IT power the default losses' chain is rated on (default ``design_it_kw``); a capped fleet's
        uncapped design IT (:func:`dcplan.power.electrical_design_it_kw`). [kW]
    throttle_power_frac : float
        Power of a throttled GPU as a fraction of its unthrottled power (estimate). [frac]
    fleet : Site, FleetSpec or dict, optional
        The fleet whose PSU efficiency splits ``compute_kw`` (module docstring, "Compute power");
        default: ``it_kw.attrs["psu_efficiency_frac"]`` (a :func:`dcplan.power.site_it_kw` Series),
        else ``psu_eff_frac``. An override ``psu_eff_frac=`` wins over both.
    **overrides
        Keys of ``data/cooling_defaults.csv`` (``chiller_design_db_degc`` /
        ``chiller_design_wb_degc``: the condition the chillers are selected for, default from
        ``weather``).

    Returns
    -------
    pandas.DataFrame
        On the weather index: ``it_kw`` (incl. fan uplift), ``it_fan_uplift_kw``,
        ``electrical_losses_kw`` (at the uplifted IT), ``heat_load_kw`` (heat the loops
        remove: IT + losses in the space + the in-loop heat of CRAH fans and loop pumps),
        ``chiller_kw``, ``fans_kw``, ``pumps_kw``, ``cooling_kw``, ``facility_kw``,
        ``capacity_it_kw`` (IT the plant can carry once its own fan and pump heat is
        removed too), ``derate_kw``, ``throttle_frac``, ``throttled_overload_kw``, ``economizer_frac``,
        ``free_cooling`` (bool), ``pue``, ``ppue_cooling``, ``temp_inlet_degc``,
        ``temp_liquid_supply_degc`` (NaN for air plants), ``water_l``,
        ``liquid_flow_l_per_min`` (rack-side flow for the captured IT heat at
        ``liquid_dt_k``), ``compute_kw``, ``chiller_cop_air`` / ``chiller_cop_liquid`` (each loop's chiller
        COP where it runs, else NaN), ``chiller_cop_at_cap`` (bool) and ``chiller_at_cop_cap_kw``: the hours and
        power of chillers at the COP cap ``chiller_cop_max``, an estimate
        (:func:`dcplan.thermal_chiller_cop.cop_cap_columns`). ``capacity_it_kw`` is the most IT the plant could
        cool that hour: its loops' heat capacity at the hour's own load (its tower water and economizer share),
        the distribution losses at that IT (:mod:`dcplan.thermal_plant_capacity`). In hours short of capacity
        the chiller, tower-water pump and water figures are those of the heat the plant removes, while ``it_kw`` and
        ``facility_kw`` stay the unthrottled demand (:mod:`dcplan.thermal_plant_loop`, "hours short
        of capacity"). ``derate_kw`` = ``max(0, it_kw - capacity_it_kw)`` is the IT heat the plant
        cannot remove; throttling sheds at most ``(1 - throttle_power_frac) x it_kw`` of it (every GPU
        throttled), so ``throttle_frac`` = ``derate_kw / ((1 - throttle_power_frac) it_kw)``, capped
        at 1, and ``throttled_overload_kw`` = ``max(0, throttle_power_frac x it_kw - capacity_it_kw)``
        is the rest: heat the plant cannot remove even with every GPU throttled (a real hall sheds
        more load or trips; 0 wherever capacity is at least the throttled hall's power). Throttling
        sheds ``derate_kw - throttled_overload_kw``. [kW]
        ``attrs["plant"]`` records the plant: ``type``, ``ashrae_class``, ``liquid_class``,
        ``heat_rejection``, ``air_heat_rejection``, ``trim_chiller``, ``trim_chiller_frac`` (the
        liquid loop's chiller's rated capacity over the loop's nameplate, None without one) and
        ``trim_chiller_basis`` (``"design condition"``, ``"floor"``, ``"override"``, ``"whole loop"``;
        :mod:`dcplan.thermal_plant_loop`, "trim chiller size"), ``psu_eff_frac`` and ``psu_eff_basis``
        (the PSU efficiency of ``compute_kw`` and where it comes from), ``design_it_kw`` [kW],
        ``step_h`` [h], ``chiller_cop_max``, ``chiller_cop_rated_water``, ``water_chiller_design_kw`` (loop ->
        its water-cooled chiller's design heat incl. the margin [kW]: :func:`dcplan.thermal_plant_checks.
        small_chiller_warnings`), and the condition its chillers are selected for (where they deliver their
        rated capacity; :func:`chiller_design_conditions`): ``chiller_design_db_degc`` [degC] and
        ``chiller_design_db_basis`` of its air-cooled chillers, ``chiller_design_wb_degc`` [degC]
        and ``chiller_design_wb_basis`` of its water-cooled ones (None where it has none). These
        come from the whole of ``weather``: for a year or more of hours its ASHRAE 0.4 % values
        (``attrs["ashrae_design"]``, from an EPW header) or else its 99.6th percentile, for a
        shorter frame its hottest hour, not below the AHRI point, unless overridden.

    Raises
    ------
    InputError
        Bad weather, IT or losses (NaN, infinite, negative, temperatures outside [-90, 60] degC,
        wrong step), an unknown or
        out-of-range override, or fan and pump kW/kW so large that a loop's own movers
        would add at least as much heat as they move (``k >= 1``, :mod:`dcplan.thermal_plant_loop`).

    Warns
    -----
    DcplanWarning
        The server-fan uplift and the inlet temperature did not agree to ``_UPLIFT_TOL_K``
        within ``_UPLIFT_MAX_PASSES`` passes (module docstring, "IT fans").
        Or the tower water of a water-cooled chiller loop did not settle to
        ``_TOWER_TOL_K`` within ``_TOWER_MAX_PASSES`` passes (:mod:`dcplan.thermal_plant_loop`,
        "tower water"; only with extreme overrides).
        Or in some hours the capacity is below even the fully throttled hall
        (``throttled_overload_kw > 0``): once, naming the hours, the heat throttling cannot shed,
        the worst hour's figures and the remedies (:func:`_warn_throttled_overload`).
    """
    p = plant_params(cooling, **overrides)
    for text in dew_point_warnings(p):   # water below the room's dew point limit (dcplan.thermal_plant_checks)
        warnings.warn(f"hourly plant: {text}", DcplanWarning, stacklevel=2)
    v = p.values
    psu, psu_basis = _psu_efficiency(it_kw, fleet, overrides, v)
    t_db, t_wb = _checked_weather(weather)
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
    # the condition the chillers are selected for: of the whole frame, whatever hours a run covers
    design = _chiller_design(v, t_db, t_wb, weather.attrs.get("ashrae_design"))
    if "tower" in (p.air_heat_rejection, p.heat_rejection if p.type == "liquid" else None):
        # a tower no tower can be: refused here, its design wet bulb with its basis (the loops form it again)
        tower_design(p, design["chiller_design_wb_degc"], design["chiller_design_wb_basis"])
    trim_frac, trim_basis = _trim_chiller_size(p, design)   # the liquid loop's chiller, over its Qd
    peak = float(design_it_kw) if design_it_kw is not None else float(it0.max())
    if not (peak > 0 and np.isfinite(peak)):
        raise InputError(f"design IT power must be finite and > 0 kW, got {peak}", field="design_it_kw")
    rated = peak if electrical_rated_kw is None else float(electrical_rated_kw)
    if not (rated > 0 and np.isfinite(rated)):
        raise InputError(f"must be finite and > 0 kW, got {electrical_rated_kw!r}", field="electrical_rated_kw")
    given = None
    if electrical_losses_kw is not None and electrical_chain is not None:
        raise InputError("give electrical_losses_kw or electrical_chain (the chain they are computed with), not both",
                         field="electrical_chain")
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
    chain_kw = {} if electrical_chain is None else {"chain": electrical_chain}
    if chain_kw and _chain_losses_kw is not None:  # a bad stage said as such, not as an overload below
        try:
            _chain_losses_kw(0.0, rated_kw=1.0, **chain_kw)
        except InputError as e:
            raise InputError(e.detail, field=f"electrical_{e.field}") from None

    def losses_at(it, sel=slice(None), extrapolate=False):
        """Distribution losses at IT power ``it`` (>= it0[sel]; = it0 except in uplift hours); ``extrapolate``:
        the chain's curves beyond its overload limit too (the most IT the plant could carry, not a load it runs)."""
        if given is not None:  # the caller's losses at it0; the loss fraction held under uplift
            g, i0 = given[sel], it0[sel]
            with np.errstate(divide="ignore", invalid="ignore"):
                return g * np.where(i0 > 0, it / np.where(i0 > 0, i0, 1.0), 1.0)
        if _chain_losses_kw is not None:
            try:
                return np.asarray(_chain_losses_kw(it, rated_kw=rated, extrapolate=extrapolate, **chain_kw), float)
            except InputError as e:  # the chain's overload limit (power.MAX_LOAD_FRAC at any stage)
                raise InputError(f"{rated:,.0f} kW sizes the transformer/UPS/PDU chain, which would carry up to "
                                 f"{float(np.max(it)):,.0f} kW of IT, beyond its overload limit ({e.detail}); "
                                 "allowed: a design IT near the peak IT (for a site: fleet.diversity_frac closer "
                                 "to 1, as for a synchronous training fleet)", field="design_it_kw") from None
        return v["electrical_loss_frac"] * it  # pragma: no cover - fallback without dcplan.power

    for key, air_side in (("crah_fan_kw_per_kw", True), ("liquid_pump_kw_per_kw", False)):
        if not air_side and p.type != "liquid":
            continue
        k = _in_loop_frac(p, air_side)
        if not k < 1.0:  # Q = B / (1 - k) has no solution: the movers heat more than they move
            raise InputError(f"the {'air' if air_side else 'liquid'} loop's own fan and pump heat is "
                             f"{k:.3g} kW per kW moved (crah_fan_kw_per_kw x crah_fan_heat_to_air_frac + "
                             "pump kW/kW x pump_heat_to_fluid_frac); it must be < 1", field=key)
        a_f = v["crah_fan_heat_to_air_frac"] * v["crah_fan_kw_per_kw"] if air_side else 0.0
        check_curves(v, a_f, k - a_f, key)   # part-load curves usable (dcplan.thermal_part_load)
    if not v["pump_heat_to_fluid_frac"] * v["cw_pump_kw_per_kw"] < 1.0:
        raise InputError(f"cw_pump_kw_per_kw x pump_heat_to_fluid_frac = "
                         f"{v['pump_heat_to_fluid_frac'] * v['cw_pump_kw_per_kw']:.3g}; must be < 1",
                         field="cw_pump_kw_per_kw")
    losses = np.array(losses_at(it0), float)   # own copy: uplift hours are written into it
    m = 1.0 + v["margin_frac"]
    f_liq = v["liquid_heat_frac"] if p.type == "liquid" else 0.0
    # the plant is designed at the design IT and the design inlet: the nameplate stays fixed. Its losses
    # are the chain's at the design IT (the design-day plant's, dcplan.thermal.design_hour_pue), not the
    # largest of the hourly IT's (until 2026-12: Phoenix's year plant 9.4 % above its design IT, not 10 %);
    # losses given by the caller: their largest (their law at the design IT is the caller's, not dcplan's)
    if given is not None:
        loss_d = float(given.max()) if given.size else 0.0
    else:
        loss_d = float(np.asarray(losses_at(np.array([peak]), slice(0, 1)), float)[0]) if _chain_losses_kw else \
            v["electrical_loss_frac"] * peak
    loss_peak = loss_d * v["losses_to_space_frac"]
    fan_frac = v["server_fan_frac_air"] if p.type == "air" else v["server_fan_frac_liquid"]
    chw_set = chilled_water_degc(p)   # (the climate screen's too: free_cooling_limits)
    chw_max = ASHRAE_AIR_CLASSES[p.ashrae_class][3] - v["crah_approach_k"]
    # each loop's nameplate carries its design base load and its own fan and pump heat
    k_air = _in_loop_frac(p, True)
    k_liq = _in_loop_frac(p, False) if p.type == "liquid" else 0.0
    qd_air = m * ((1.0 - f_liq) * peak + loss_peak) / (1.0 - k_air)
    qd_liq = m * f_liq * peak / (1.0 - k_liq)
    # the flow the CRAH fans and loop pumps are selected for: the loops' heat at the design IT (their
    # part-load curves run on Q over it: dcplan.thermal_part_load), the nameplate's for a plant below it
    qr_air, qr_liq = qd_air / max(m, 1.0), qd_liq / max(m, 1.0)
    # the water-cooled chillers' design loads: their ASHRAE 90.1 size class (the site chain warns below 150 tons)
    water_chillers = {"air": qd_air} if p.air_heat_rejection == "tower" else {}
    if p.type == "liquid" and p.trim_chiller and p.heat_rejection == "tower":
        water_chillers["liquid"] = (trim_frac or 1.0) * qd_liq

    def run(it, loss_space, sel=slice(None)):
        """Both loops for the hours ``sel`` (all by default) at IT ``it`` and losses in the space."""
        air = _loop((1.0 - f_liq) * it + loss_space, t_db[sel], t_wb[sel], t_set=chw_set, t_max=chw_max,
                    dt=v["chw_dt_k"], rejection=p.air_heat_rejection, chiller=True, q_design=qd_air,
                    ch_rated=qd_air, p=p, economizer=p.economizer, air_side=True, design=design, q_ref=qr_air)
        liq = None
        if p.type == "liquid":
            liq = _loop(f_liq * it, t_db[sel], t_wb[sel], t_set=p.liquid_supply_degc, t_max=p.liquid_max_degc,
                        dt=v["liquid_dt_k"], rejection=p.heat_rejection, chiller=p.trim_chiller,
                        # a trim chiller tops up the tower or dry cooler, sized for the design
                        # condition; without an economizer it carries the whole loop
                        q_design=qd_liq, ch_rated=(trim_frac or 1.0) * qd_liq,
                        p=p, economizer=p.economizer, design=design, q_ref=qr_liq)
        return air, liq

    knee, per_k, n_exp = v["server_fan_knee_degc"], v["server_fan_flow_per_k"], v["server_fan_power_exp"]

    def uplift_at(t_in, it_base):
        """Server-fan power added at inlet ``t_in`` to IT ``it_base`` (module docstring). [kW]"""
        flow_ratio = 1.0 + per_k * np.maximum(0.0, t_in - knee)
        return it_base * fan_frac * (flow_ratio ** n_exp - 1.0)

    loss_space = losses * v["losses_to_space_frac"]
    air, liq = run(it0, loss_space)
    t_inlet = air["supply"] + v["crah_approach_k"]
    uplift = uplift_at(t_inlet, it0)
    it = it0.copy()
    hot = np.flatnonzero(uplift > 0)
    if hot.size:
        if hot.size == len(it0):   # every hour above the knee: work on whole arrays, no gather/scatter
            hot = slice(None)
        # more IT power: more distribution losses and heat, a warmer inlet, faster fans. Solve
        # u = U(T(it0 + u)) in the hours above the knee only (the others keep it0): substitution
        # from u = 0 (the it0 pass above), one Aitken delta-squared step after the first pass
        # (the map is smooth and contracting there, so this usually lands within tolerance), then plain
        # substitution until the inlet the plant delivers, T(it0 + u), and the inlet u was
        # computed from, t_used, agree to _UPLIFT_TOL_K
        i0_h, t_used, u_h = it0[hot], t_inlet[hot], uplift[hot]
        for n_pass in range(1, _UPLIFT_MAX_PASSES + 1):
            it_h = i0_h + u_h
            loss_h = losses_at(it_h, hot)
            air_h, liq_h = run(it_h, loss_h * v["losses_to_space_frac"], hot)
            t_h = air_h["supply"] + v["crah_approach_k"]
            resid = float(np.abs(t_h - t_used).max())
            if resid <= _UPLIFT_TOL_K:
                break
            u_next = uplift_at(t_h, i0_h)
            if n_pass == 1:   # iterates 0, u_h, u_next: Aitken where they contract
                d1, d2 = u_h, u_next - u_h
                ok = (np.abs(d2) < 0.9 * np.abs(d1)) & (d2 * d1 >= 0.0)
                u_next = np.where(ok, u_next + d2 * d2 / np.where(ok, d1 - d2, 1.0), u_next)
                # the inlet that uplift stands for: U inverted (u > 0, so above the knee)
                t_used = knee + ((1.0 + u_next / (i0_h * fan_frac)) ** (1.0 / n_exp) - 1.0) / per_k
            else:
                t_used = t_h
            if n_pass < _UPLIFT_MAX_PASSES:
                u_h = u_next
        else:  # (the last pass's u_h stays: it is the one it_h, the losses and the loops were run at)
            warnings.warn(f"server-fan uplift did not converge in {_UPLIFT_MAX_PASSES} passes: the inlet "
                          f"the plant delivers and the inlet the fan uplift was computed from still differ "
                          f"by {resid:.3g} K (tolerance {_UPLIFT_TOL_K:g} K) in some of the hours above the "
                          "fan knee; the plant is far too small for its server fans (server_fan_frac_*, "
                          "server_fan_flow_per_k, server_fan_power_exp, margin_frac)",
                          DcplanWarning, stacklevel=2)
        it[hot], uplift[hot], losses[hot], t_inlet[hot] = it_h, u_h, loss_h, t_h
        loss_space = losses * v["losses_to_space_frac"]
        if isinstance(hot, slice):
            air, liq = air_h, liq_h
        else:
            for full, part in ((air, air_h), (liq, liq_h)):
                if full is None:
                    continue
                for key, val in part.items():
                    if np.ndim(val) == 1:
                        full[key] = np.array(full[key], float)   # own, writable copy
                        full[key][hot] = val
    loops = [air] if liq is None else [air, liq]
    rejections = [p.air_heat_rejection] if liq is None else [p.air_heat_rejection, p.heat_rejection]
    chiller = sum(lp["chiller_kw"] for lp in loops)
    fans = sum(lp["fans_kw"] for lp in loops)
    pumps = sum(lp["pumps_kw"] for lp in loops)
    cooling = chiller + fans + pumps
    facility = it + losses + cooling
    # a loop of heat capacity cap carries the base load cap (1 - k): its fans and pumps take k, counted at
    # their full-load kW per kW (a rating figure, as the nameplate's; at part flow they take less, so this
    # errs low in hours short of capacity: dcplan.thermal_part_load)
    # the most IT it could carry, at that IT's losses (dcplan.thermal_plant_capacity): the chain's curves extrapolated
    # beyond its overload limit where a liquid plant's air loop could carry that much
    cap_air_it = air_capacity_it(air["cap"] * (1.0 - air["k_in"]), it, losses, v["losses_to_space_frac"], f_liq,
                                 lambda x, sel: losses_at(x, sel, extrapolate=True))
    cap_it = (cap_air_it if liq is None
              else np.minimum(cap_air_it, liq["cap"] * (1.0 - liq["k_in"]) / f_liq))
    cap_it = np.maximum(cap_it, 0.0)
    derate = np.maximum(0.0, it - cap_it)
    # throttling sheds at most (1 - f) of the IT (every GPU throttled): the rest of the derate stays
    overload = np.maximum(0.0, throttle_power_frac * it - cap_it)
    heat_load = sum(lp["q"] for lp in loops)
    with np.errstate(divide="ignore", invalid="ignore"):
        thr = np.where(it > 0, derate / (np.where(it > 0, it, 1.0) * (1.0 - throttle_power_frac)), 0.0)
        econ = sum(lp["econ"] * lp["q"] for lp in loops)
        econ = np.where(heat_load > 0, econ / np.where(heat_load > 0, heat_load, 1.0), 1.0)
        pue = np.where(it > 0, facility / np.where(it > 0, it, 1.0), np.nan)
        ppue = np.where(it > 0, (it + cooling) / np.where(it > 0, it, 1.0), np.nan)
    # tower water: evaporation from the hour's air-side balance (dcplan.thermal_water) of the heat each
    # tower loop rejects, in the air its fans move that hour (design airflow x fan speed, as the fan
    # power), and blowdown; plants without a tower use none
    water = np.zeros(len(idx))
    towers = [lp for lp, rej in zip(loops, rejections) if rej == "tower"]
    if towers:   # (weather checked above: the module's own array path)
        cyc = v["tower_cycles"]
        dh = _checked_design(v["tower_lg_ratio"], v["condenser_rise_k"], cyc)
        pa = weather_pressure_pa(weather)
        evap = sum(_tower_evaporation_l(lp["q_rej"], lp["rej_speed"], lp["q_rej_design_kw"], t_db, t_wb, pa, dh)
                   for lp in towers)
        water = evap * cyc / (cyc - 1.0)
    # server fans run on the DC side of the power supply; compute = DC power - fans
    fan_kw = (it0 * fan_frac + uplift) * psu
    out = pd.DataFrame({
        "it_kw": it, "it_fan_uplift_kw": uplift, "electrical_losses_kw": losses,
        "heat_load_kw": heat_load, "chiller_kw": chiller, "fans_kw": fans, "pumps_kw": pumps,
        "cooling_kw": cooling, "facility_kw": facility, "capacity_it_kw": cap_it,
        "derate_kw": derate, "throttle_frac": np.clip(thr, 0.0, 1.0), "throttled_overload_kw": overload,
        "economizer_frac": econ,
        "free_cooling": (chiller <= 1e-9 * np.maximum(it, 1.0)) & (it > 0), "pue": pue, "ppue_cooling": ppue,
        "temp_inlet_degc": t_inlet,
        "temp_liquid_supply_degc": liq["supply"] if liq is not None else np.full(len(idx), np.nan),
        "water_l": water,
        "liquid_flow_l_per_min": liquid_flow_l_per_min(f_liq * it, v["liquid_dt_k"]),
        "compute_kw": it * psu - fan_kw,
        # the chillers' COP and the hours they run at its cap, chiller_cop_max (an estimate): dcplan.thermal_chiller_cop
        **cop_cap_columns({"air": air, "liquid": liq}, v["chiller_cop_max"]),
    }, index=idx)
    out.attrs["plant"] = {"type": p.type, "ashrae_class": p.ashrae_class,
                          "liquid_class": p.liquid_class,
                          "heat_rejection": p.heat_rejection if p.type == "liquid" else None,
                          "air_heat_rejection": p.air_heat_rejection,
                          "trim_chiller": p.trim_chiller, "trim_chiller_frac": trim_frac,
                          "trim_chiller_basis": trim_basis, "psu_eff_frac": psu, "psu_eff_basis": psu_basis,
                          "design_it_kw": peak, "step_h": 1.0,
                          "tower_cycles": v["tower_cycles"],  # (plant_summary splits water_l by it)
                          "chiller_cop_max": v["chiller_cop_max"],
                          # each water-cooled chiller's design heat [kW] (thermal_plant_checks.small_chiller_warnings)
                          "water_chiller_design_kw": water_chillers,
                          "chiller_cop_rated_water": v["chiller_cop_rated_water"]}
    # the condition each kind of chiller the plant has is selected for (None: it has none)
    kinds = {p.air_heat_rejection} | ({p.heat_rejection} if p.type == "liquid" and p.trim_chiller else set())
    for key, rej in (("db", "dry"), ("wb", "tower")):
        has = rej in kinds
        out.attrs["plant"][f"chiller_design_{key}_degc"] = design[f"chiller_design_{key}_degc"] if has else None
        out.attrs["plant"][f"chiller_design_{key}_basis"] = design[f"chiller_design_{key}_basis"] if has else None
    _warn_throttled_overload(out, throttle_power_frac, p, t_db, t_wb)
    return out


# the annual figures of plant_hourly's frame (dcplan.thermal_plant_summary), kept importable from here
from .thermal_plant_summary import annual_pue, derate_hours, plant_summary, site_cooling_summary  # noqa: E402,F401
