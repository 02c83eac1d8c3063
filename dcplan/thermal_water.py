"""Cooling-tower water: evaporation from an hourly air-side balance, and blowdown.

Part of the hourly cooling-plant model (:mod:`dcplan.thermal_plant`). A cooling tower rejects
its heat ``Qrej`` [kW] to the air blown through it; the air leaves warmer and wetter, and the
water it carries away is the tower's evaporation. How much of the heat leaves as evaporation
depends on the state of the outdoor air: dry air takes up more water per kJ than humid air
(it is also cooled by evaporation), cold air less (it warms mostly sensibly). So the water
follows the weather, hour by hour.

Equations (per hour, vectorized; EnergyPlus *SaturatedExit* evaporation loss [1]_)
-----------------------------------------------------------------------------------
* **entering air**: the hour's outdoor state, dry bulb ``Tdb``, thermodynamic wet bulb ``Twb``
  and station pressure ``p``. Humidity ratio ``W_in`` from ASHRAE Fundamentals ch. 1 eq. 33
  (eq. 35 for an ice bulb) [2]_ (:func:`dcplan.weather._w_from_wet_bulb`), enthalpy
  ``h_in = 1.006 Tdb + W_in (2501 + 1.86 Tdb)`` [kJ/kg dry air] (eq. 30);
* **air flow**: the air the tower's fans move that hour, as EnergyPlus takes it (design air
  flow x the hour's air flow ratio [1]_): the design airflow ``G_d = Qrej_d / dh`` [kg/s], with
  ``Qrej_d`` the tower's design heat rejection and ``dh = L/G * c_pw * R`` the enthalpy the air
  takes up at the design liquid-to-gas ratio ``L/G`` (``tower_lg_ratio``, kg water per kg dry
  air) and range ``R`` (``condenser_rise_k``; ``c_pw`` = 4.186 kJ/(kg K)), times the fan speed
  ``s`` of :mod:`dcplan.thermal_plant_loop` (full speed while a compressor runs, slower in
  free cooling, 0 with no heat): ``m_a = s G_d``, the same air the fan power is of. The air
  rises ``dh' = Qrej / m_a = dh x / s`` in enthalpy (``x = Qrej / Qrej_d``): at full speed and
  part heat it takes up less per kg, and more air passes the same water. (Until 2026 the air
  was taken to follow the heat at the design ratio, ``m_a = Qrej / dh``: with the fans at full
  speed in 5,129 h at Phoenix (at 52-74 % of their design heat) that was 26-48 % less air than
  they move, and the year's evaporation 11 % low.) :func:`tower_evaporation_l_per_kwh` takes ``air_ratio = s / x``
  (``dh' = dh / air_ratio``; 1, the default, is the design ratio);
* **leaving air**: saturated (*SaturatedExit*), at the enthalpy ``h_out = h_in + dh'``: its
  temperature ``T_out`` solves ``h_s(T) = 1.006 T + W_s(T) (2501 + 1.86 T) = h_out`` with
  ``W_s = 0.621945 p_ws / (p - p_ws)`` (eq. 22) and ``p_ws`` from Hyland-Wexler (eqs. 5-6,
  :func:`dcplan.weather.saturation_pressure_pa`); ``W_out = W_s(T_out)``. Solved by Newton's
  method on a bracket (bisection where a step leaves it) until a step is at most ``_TSAT_STEP_K``;
* **bounds**: the leaving air is taken no colder than the entering wet bulb, ``W_out >=
  W_s(Twb)``. With the actual entering state (not EnergyPlus's saturated enthalpy at the wet bulb,
  below) and a very small ``dh'`` (much air, little heat: under ~1 kJ/kg, about ``x / s < 0.03``
  with the defaults) the saturated state at ``h_in + dh'`` lies up to ~0.3 K below the wet bulb
  (the enthalpy of the evaporated water is not counted); no default site's hour reaches it (the
  smallest ``dh'`` at Phoenix, northern-virginia and chicago-il is 11 kJ/kg). Above, the leaving
  air stays below the water entering the tower in every hour of those sites (the air of a slowed
  fan rises at most ~2 ``dh``, to within 0.3 K of the tower's hot water at northern-virginia):
  the model does not bound it there, and a what-if with a very low ``rejection_fan_min_speed_frac``
  is not checked for it;
* **evaporation** ``E = m_a (W_out - W_in) = Qrej (W_out - W_in) / dh'`` [kg/s], not below 0
  (EnergyPlus clips it the same way), i.e. ``3600 (W_out - W_in) / dh'`` kg per kWh rejected;
* **make-up** = evaporation + blowdown, ``blowdown = E / (cycles - 1)`` (``tower_cycles``;
  EnergyPlus *ConcentrationRatio* blowdown [1]_): ``water_l = E * 3600 * cycles / (cycles - 1)``
  per hour (1 kg = 1 L; drift is not counted).

The evaporated share of the heat, ``E h_fg / Qrej`` (``h_fg`` ~ 2,430 kJ/kg at 30 degC), is
about 0.8-0.9 for warm humid air at the design ratio, lower for cold air (the air warms sensibly)
and can exceed 1 for hot dry air, which evaporative cooling gives up sensible heat to the water;
more air per kWh (part heat at full fan speed) raises it in dry air (Phoenix's year: 1.07).

Deviation from EnergyPlus: EnergyPlus takes the entering air enthalpy as the saturated enthalpy at the wet bulb and the
evaporation from specific humidities; this module uses the actual state and humidity ratios
(differences under 1 %).

References
----------
.. [1] U.S. DOE, "EnergyPlus Engineering Reference", v23.2 (2023), "Cooling Towers and Fluid
   Coolers": evaporation loss, saturated exit mode; and blowdown by concentration ratio
   (``CondenserLoopTowers.cc``, ``CalculateWaterUsage``).
.. [2] ASHRAE, "Handbook - Fundamentals", 2017, ch. 1 "Psychrometrics", eqs. 5-6, 22, 30,
   33, 35.
"""
from __future__ import annotations

import numpy as np
import pandas as pd

from .errors import InputError
from .thermal_plant_loop import _CP_WATER  # 4.186 kJ/(kg K), water at 20-40 degC
from .thermal_plant_params import _OVERRIDE_BOUNDS, _range_text
from .weather import _MW_RATIO, _w_from_wet_bulb, saturation_pressure_pa  # _MW_RATIO: ASHRAE 2017 eq. 20

__all__ = ["tower_evaporation_l_per_kwh", "tower_water_l", "weather_pressure_pa", "STANDARD_PRESSURE_PA"]

#: Standard atmosphere at sea level, ASHRAE Fundamentals 2017 ch. 1 eq. 3 at Z = 0: the station
#: pressure used for a weather frame without a ``pressure`` column. [Pa]
STANDARD_PRESSURE_PA = 101325.0
#: Station pressure a weather frame may carry (as :func:`dcplan.weather.wet_bulb_degc`): 30-110 kPa
#: (Pa, not hPa or kPa). [Pa]
_PRESSURE_RANGE_PA = (30000.0, 110000.0)
#: Newton's method for the leaving air stops after a step of at most this: the error left is ~1 %
#: of it (the slope estimate of :func:`_h_sat`), 1e-5 K, and W_s moves ~6 % of itself per K near
#: 30 degC: the evaporation is within ~1e-6 of itself (tested against a bisection). [K]
_TSAT_STEP_K = 1e-3
_TSAT_MAX_ITER = 60
#: Leaving air above this is refused: W_s stays finite up to the boiling point, 69 degC at the
#: lowest pressure allowed (30 kPa). [degC]
_TSAT_MAX_DEGC = 65.0


def _h_sat(t, p):
    """Enthalpy [kJ/kg dry air] of saturated air at ``t`` [degC] and ``p`` [Pa], its humidity ratio
    ``W_s`` [kg/kg] and an estimate of ``dh_s/dT`` [kJ/(kg K)] (for Newton's method only: ``dp_ws/dT``
    from Clausius-Clapeyron, ``p_ws L / (R_v T^2)`` with ``L = 2501 - 2.37 t`` kJ/kg and
    ``R_v = 0.4615`` kJ/(kg K), 2834 kJ/kg over ice: within ~1 % of the Hyland-Wexler slope), and
    that estimate's ``dW_s/dT`` [1/K]."""
    pws = saturation_pressure_pa(t)
    dry = p - pws
    ws = _MW_RATIO * pws / dry
    tk = t + 273.15
    lv = np.where(t < 0.01, 2834.0, 2501.0 - 2.37 * t)     # sublimation over ice, else vaporisation
    dws_dt = _MW_RATIO * p / (dry * dry) * pws * lv / (0.4615 * tk * tk)
    lat = 2501.0 + 1.86 * t
    return 1.006 * t + ws * lat, ws, 1.006 + 1.86 * ws + lat * dws_dt, dws_dt


def _saturated_exit(t_db, t_wb, p, dh):
    """``(W_in, W_out)`` [kg/kg dry air] of air entering at ``(t_db, t_wb, p)`` and leaving
    saturated ``dh`` [kJ/kg dry air] richer in enthalpy (module docstring).

    ``h_s(T) = h_out`` by Newton's method from the wet bulb plus ``dh / 3`` K (a few K off),
    kept inside a bracket that each step narrows (bisection where a step would leave it):
    ``h_s`` is increasing, so the root is unique; with the slope estimate of :func:`_h_sat`
    each step cuts the error ~100-fold near the root: four or five steps an hour.
    """
    w_in = _w_from_wet_bulb(t_db, t_wb, p)
    h_out = 1.006 * t_db + w_in * (2501.0 + 1.86 * t_db) + dh
    dh_max = float(np.max(dh)) if np.size(dh) else 0.0
    lo = np.full_like(h_out, -100.0)          # h_s(-100 degC) < -100 kJ/kg: below any h_out here
    hi = np.full_like(h_out, _TSAT_MAX_DEGC)
    t = np.clip(t_wb + dh / 3.0, lo, hi)
    w_out = np.full_like(h_out, np.nan)
    todo = np.ones(h_out.shape, bool)   # an hour stops at its own last step: its result is its own
    for _ in range(_TSAT_MAX_ITER):
        h, ws, slope, dws_dt = _h_sat(t, p)
        f = h - h_out
        lo = np.where(f <= 0.0, t, lo)
        hi = np.where(f >= 0.0, t, hi)
        t_new = t - f / slope
        t_new = np.where((t_new > lo) & (t_new < hi), t_new, 0.5 * (lo + hi))   # safeguard: bisect
        step = t_new - t
        # W_s at the step's end, to first order from where it was taken (error ~ dW_s/dT x 1 % x step)
        done = todo & (np.abs(step) <= _TSAT_STEP_K)
        w_out = np.where(done, ws + dws_dt * step, w_out)
        todo &= ~done
        t = t_new
        if not todo.any():
            break
    else:   # (the bracket halves at worst: 165 K to 1e-3 K in 18 steps; not reached)
        w_out = np.where(todo, _h_sat(t, p)[1], w_out)
    if (t >= _TSAT_MAX_DEGC - 1e-3).any():
        raise InputError(f"the tower's leaving air would be above {_TSAT_MAX_DEGC:g} degC (enthalpy up to "
                         f"{float(h_out.max()):.4g} kJ/kg): the air enthalpy rise, up to {dh_max:.4g} kJ/kg (L/G x "
                         "4.186 x range at the design airflow), is too large; lower tower_lg_ratio or "
                         "condenser_rise_k", field="tower_lg_ratio")
    # the leaving air no colder than the entering wet bulb (module docstring, "bounds")
    w_out = np.maximum(w_out, _h_sat(t_wb, p)[1])
    return w_in, w_out


def _evaporation_l_per_kwh(t_db, t_wb, p, dh):
    """``3600 max(0, W_out - W_in) / dh`` [L/kWh] of 1-d arrays already checked (module docstring);
    ``dh`` [kJ/kg dry air], the air's enthalpy rise: a number or one per hour (> 0)."""
    w_in, w_out = _saturated_exit(np.asarray(t_db, float), np.asarray(t_wb, float), np.asarray(p, float),
                                  np.asarray(dh, float))
    return np.maximum(0.0, w_out - w_in) * (3600.0 / dh)


def _tower_evaporation_l(q_rej, speed, q_rej_design, t_db, t_wb, p, dh_design):
    """Evaporation [L per hour] of a tower rejecting ``q_rej`` [kW] with its fans at ``speed``
    (fraction of the design airflow) in the hours of the checked 1-d arrays ``t_db``, ``t_wb``,
    ``p``; ``q_rej_design`` [kW] is the heat it is designed to reject with the design air enthalpy
    rise ``dh_design`` = L/G c_pw R [kJ/kg]: design airflow ``q_rej_design / dh_design`` [kg/s].
    The air ``m_a = speed x design airflow`` rises ``q_rej / m_a`` in enthalpy (module docstring,
    "air flow"); no air or no heat: no evaporation."""
    q = np.asarray(q_rej, float)
    m_a = np.broadcast_to(np.asarray(speed, float) * (q_rej_design / dh_design), q.shape)   # kg dry air / s
    run = (m_a > 0.0) & (q > 0.0)
    out = np.zeros(q.shape)
    if run.any():
        out[run] = q[run] * _evaporation_l_per_kwh(t_db[run], t_wb[run], p[run], q[run] / m_a[run])
    return out


def _as_array(x, name: str) -> np.ndarray:
    arr = np.asarray(x, float)
    if not np.isfinite(arr).all():
        raise InputError(f"must be finite, got {int((~np.isfinite(arr)).sum())} NaN or infinite value(s)",
                         field=name)
    return arr


def _checked_design(lg_ratio: float, range_k: float, cycles: float | None = None) -> float:
    """The air enthalpy rise ``dh = L/G c_pw R`` [kJ/kg], after checking the arguments."""
    import numbers
    for name, v in (("lg_ratio", lg_ratio), ("range_k", range_k), ("cycles", cycles)):
        if v is not None and (not isinstance(v, numbers.Real) or isinstance(v, bool)):
            raise InputError(f"must be a number, got {v!r}", field=name)
    lo, hi, lo_in, hi_in = _OVERRIDE_BOUNDS["tower_lg_ratio"]
    if not (np.isfinite(lg_ratio) and (lg_ratio >= lo if lo_in else lg_ratio > lo)
            and (lg_ratio <= hi if hi_in else lg_ratio < hi)):
        raise InputError(f"must be in {_range_text(lo, hi, lo_in, hi_in)} kg water per kg dry air, got "
                         f"{lg_ratio!r}", field="lg_ratio")
    if not (np.isfinite(range_k) and range_k > 0.0):
        raise InputError(f"must be a tower range > 0 K, got {range_k!r}", field="range_k")
    if cycles is not None and not (np.isfinite(cycles) and cycles >= 2.0):
        raise InputError(f"must be >= 2 cycles of concentration, got {cycles!r}", field="cycles")
    return lg_ratio * _CP_WATER * range_k


def tower_evaporation_l_per_kwh(temp_air, temp_wet_bulb_degc, pressure_pa=STANDARD_PRESSURE_PA, *,
                                lg_ratio: float, range_k: float, air_ratio=1.0):
    """Water a cooling tower evaporates per kWh of heat it rejects, from the entering air's state.

    EnergyPlus *SaturatedExit* evaporation (module docstring): air enters at the outdoor state,
    takes up ``dh = lg_ratio * 4.186 * range_k`` kJ per kg of dry air and leaves saturated;
    ``3600 (W_out - W_in) / dh`` kg (= L) per kWh, not below 0. Blowdown is not included
    (:func:`tower_water_l`).

    Parameters
    ----------
    temp_air : float, array or Series
        Outdoor dry bulb. [degC]
    temp_wet_bulb_degc : float, array or Series
        Outdoor thermodynamic wet bulb (:func:`dcplan.weather.wet_bulb_degc`). [degC]
    pressure_pa : float, array or Series, default 101325
        Station pressure, in [30,000, 110,000] Pa (standard atmosphere at sea level by default,
        ASHRAE Fundamentals ch. 1 eq. 3). [Pa]
    lg_ratio : float
        Design liquid-to-gas ratio of the tower (``tower_lg_ratio``). [kg/kg dry air]
    range_k : float
        Tower range, entering less leaving water (``condenser_rise_k``). [K]
    air_ratio : float or array, default 1
        Air flow over the flow that takes the heat up at the design L/G and range (``dh`` per kg):
        the air rises ``dh / air_ratio`` in enthalpy. A tower at fan speed ``s`` rejecting ``x`` of
        its design heat has ``air_ratio = s / x`` (module docstring, "air flow"). > 0. [-]

    Returns
    -------
    float, ndarray or Series (as ``temp_air``)
        Evaporation per kWh rejected. [L/kWh]

    Raises
    ------
    InputError
        A value NaN or infinite, the wet bulb above the dry bulb by more than 0.5 K, a pressure
        outside [30,000, 110,000] Pa, ``lg_ratio`` outside its range or ``range_k`` <= 0.

    Examples
    --------
    Saturated air at 30 degC leaving saturated at 36.2 degC (L/G 1.6, 5.6 K): 0.78 of the heat
    evaporates, 1.16 L per kWh (3600 / 2430 = 1.48 L/kWh would be all of it):

    >>> round(tower_evaporation_l_per_kwh(30.0, 30.0, lg_ratio=1.6, range_k=5.6), 2)
    1.16
    """
    dh = _checked_design(lg_ratio, range_k)
    ratio = _as_array(air_ratio, "air_ratio")
    if not (ratio > 0.0).all():
        raise InputError(f"must be > 0 (air flow over the design L/G's), got {float(ratio.min())!r}", field="air_ratio")
    t_db = _as_array(temp_air, "temp_air")
    t_wb = _as_array(temp_wet_bulb_degc, "temp_wet_bulb_degc")
    p = _checked_pressure(_as_array(pressure_pa, "pressure_pa"), "pressure_pa")
    if (t_wb - t_db > 0.5).any():
        raise InputError(f"wet bulb above the dry bulb by up to {float(np.max(t_wb - t_db)):.3g} K; the wet bulb "
                         "cannot exceed the dry bulb (columns swapped?)", field="temp_wet_bulb_degc")
    t_db, t_wb, p, ratio = np.broadcast_arrays(t_db, t_wb, p, ratio)
    out = _evaporation_l_per_kwh(t_db.ravel(), t_wb.ravel(), p.ravel(), dh / ratio.ravel()).reshape(t_db.shape)
    if isinstance(temp_air, pd.Series):
        return pd.Series(out, index=temp_air.index, name="tower_evaporation_l_per_kwh")
    return out if out.ndim else float(out)


def tower_water_l(q_rej_kw, temp_air, temp_wet_bulb_degc, pressure_pa=STANDARD_PRESSURE_PA, *,
                  lg_ratio: float, range_k: float, cycles: float, air_ratio=1.0):
    """Hourly make-up water of cooling towers rejecting ``q_rej_kw``: evaporation and blowdown.

    ``q_rej_kw * tower_evaporation_l_per_kwh(...) * cycles / (cycles - 1)`` (blowdown
    ``= evaporation / (cycles - 1)``, EnergyPlus *ConcentrationRatio*), per hour of
    ``q_rej_kw`` [kW] rejected. Parameters as :func:`tower_evaporation_l_per_kwh` (``air_ratio``:
    the air flow over the design L/G's), plus ``cycles`` (``tower_cycles``, >= 2) [-].

    Returns
    -------
    same type as ``q_rej_kw``
        Make-up water per hour. [L]
    """
    _checked_design(lg_ratio, range_k, cycles)
    q = _as_array(q_rej_kw, "q_rej_kw")
    if (q < 0).any():
        raise InputError(f"must be >= 0 kW, got {float(q.min()):.4g}", field="q_rej_kw")
    per_kwh = np.asarray(tower_evaporation_l_per_kwh(temp_air, temp_wet_bulb_degc, pressure_pa,
                                                     lg_ratio=lg_ratio, range_k=range_k, air_ratio=air_ratio))
    out = q * per_kwh * cycles / (cycles - 1.0)
    if isinstance(q_rej_kw, pd.Series):
        return pd.Series(out, index=q_rej_kw.index, name="water_l")
    return out if np.ndim(out) else float(out)


def _checked_pressure(p: np.ndarray, name: str) -> np.ndarray:
    lo, hi = _PRESSURE_RANGE_PA
    bad = ~((p >= lo) & (p <= hi))
    if bad.any():
        raise InputError(f"must be station pressure in Pa within [{lo:g}, {hi:g}] (not hPa/mbar or kPa; "
                         f"1013.25 hPa = 101325 Pa), got {float(p[bad].flat[0])!r}", field=name)
    return p


def weather_pressure_pa(weather: pd.DataFrame) -> np.ndarray:
    """Station pressure of each hour of ``weather`` [Pa]: its ``pressure`` column (checked: finite,
    in [30,000, 110,000] Pa), or the standard atmosphere at sea level, 101,325 Pa, where it has none
    (ASHRAE Fundamentals 2017 ch. 1 eq. 3 at Z = 0; at 1,000 m the true pressure is 11 % lower and
    a tower evaporates ~2 % more per kWh at 30 / 22 degC)."""
    if "pressure" not in weather.columns:
        return np.full(len(weather), STANDARD_PRESSURE_PA)
    p = weather["pressure"].to_numpy(float)
    bad = ~np.isfinite(p)
    if bad.any():
        raise InputError(f"{int(bad.sum())} hours are NaN or infinite (first {weather.index[bad][0]}); fill or "
                         "interpolate them, or drop the column (then 101,325 Pa)", field="weather.pressure")
    return _checked_pressure(p, "weather.pressure")
