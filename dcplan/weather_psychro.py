"""Psychrometrics of a weather frame (ASHRAE Handbook - Fundamentals 2017, SI, chapter 1).

Saturation vapour pressure (Hyland-Wexler, eqs. 5-6; over supercooled water, Murphy & Koop 2005), the
humidity ratio a wet bulb implies (eqs. 33 and 35), the dew point of a vapour pressure, and the thermodynamic wet
bulb of
:func:`wet_bulb_degc`, solved by bisection. Split from :mod:`dcplan.weather`, which re-exports
every name here (``dcplan.weather.wet_bulb_degc``, ``saturation_pressure_pa``, ``_w_from_wet_bulb``,
``_MW_RATIO``): :func:`dcplan.weather.load_weather` adds the wet bulb to each weather frame, and
:mod:`dcplan.thermal_water`, :mod:`dcplan.thermal_design_day` and :mod:`dcplan.weather_stats` use
these functions. The inputs' plausible ranges are :mod:`dcplan.weather`'s ``_RANGES`` (the file
checks' ranges).
"""
from __future__ import annotations

import numpy as np
import pandas as pd

from .errors import InputError

__all__ = ["relative_humidity_at_wet_bulb_pct", "saturation_pressure_pa", "saturation_pressure_water_pa",
           "wet_bulb_degc"]

_MW_RATIO = 0.621945  # ratio of molecular masses water/dry air, ASHRAE 2017 eq. 20
_TRIPLE_POINT_DEGC = 0.01


def saturation_pressure_pa(t_degc):
    """Saturation vapour pressure over ice (T < 0.01 °C) or liquid water [Pa].

    Hyland-Wexler, ASHRAE Fundamentals 2017 ch. 1 eqs. 5 and 6.
    """
    t = np.asarray(t_degc, dtype=float)
    tk = t + 273.15
    ln_ice = (-5.6745359e3 / tk + 6.3925247 - 9.6778430e-3 * tk + 6.2215701e-7 * tk**2
              + 2.0747825e-9 * tk**3 - 9.4840240e-13 * tk**4 + 4.1635019 * np.log(tk))
    ln_liq = (-5.8002206e3 / tk + 1.3914993 - 4.8640239e-2 * tk + 4.1764768e-5 * tk**2
              - 1.4452093e-8 * tk**3 + 6.5459673 * np.log(tk))
    return np.exp(np.where(t < _TRIPLE_POINT_DEGC, ln_ice, ln_liq))


def saturation_pressure_water_pa(t_degc):
    """Saturation vapour pressure over liquid water at every temperature, supercooled below 0 °C [Pa].

    The meteorological convention for a dew point and a relative humidity (WMO-No. 8, 2018 edition,
    vol. I annex 4.B: both with respect to water, below 0 °C too), which weather files follow: in
    Chicago O'Hare's TMY3 EPW, the 895 hours below -5 °C have an RH column that
    ``p_ws(dew) / p_ws(dry)`` reproduces to 0.45 %RH on average over water and 3.27 %RH over ice
    (Dulles 1.59 / 1.98, 723170TYA.CSV 0.94 / 2.40). So a file's sub-zero dew point is not a frost
    point: its vapour pressure is this function's, not :func:`saturation_pressure_pa`'s (ice there,
    up to 10 % lower at -10 °C, a wet bulb up to 0.7 K low). Hyland-Wexler eq. 6 at and above
    0.01 °C (as :func:`saturation_pressure_pa`), Murphy & Koop (2005, Q. J. R. Meteorol. Soc. 131,
    eq. 10, for supercooled water, 123-332 K) below: they meet at 0.01 °C to 3e-8.
    """
    t = np.asarray(t_degc, dtype=float)
    tk = t + 273.15
    ln_hw = (-5.8002206e3 / tk + 1.3914993 - 4.8640239e-2 * tk + 4.1764768e-5 * tk**2
             - 1.4452093e-8 * tk**3 + 6.5459673 * np.log(tk))
    ln_mk = (54.842763 - 6763.22 / tk - 4.210 * np.log(tk) + 0.000367 * tk
             + np.tanh(0.0415 * (tk - 218.8)) * (53.878 - 1331.22 / tk - 9.44523 * np.log(tk) + 0.014025 * tk))
    return np.exp(np.where(t < _TRIPLE_POINT_DEGC, ln_mk, ln_hw))


#: A trial wet bulb this close to 0 °C counts as 0 °C, an ice-covered bulb (eq. 35; see
#: :func:`wet_bulb_degc`): far above the rounding of a bisection midpoint (1e-14 K), far
#: below any difference that matters. [K]
_AT_ZERO_DEGC = 1e-9


def _w_from_wet_bulb(t, twb, p):
    """Humidity ratio implied by dry bulb ``t`` and wet bulb ``twb`` (eq. 33 above 0 °C,
    eq. 35 at and below 0 °C)."""
    pws = saturation_pressure_pa(twb)
    ws = _MW_RATIO * pws / (p - pws)
    above = (2501.0 - 2.326 * twb) * ws - 1.006 * (t - twb)
    above /= 2501.0 + 1.86 * t - 4.186 * twb
    below = (2830.0 - 0.24 * twb) * ws - 1.006 * (t - twb)
    below /= 2830.0 + 1.86 * t - 2.1 * twb
    return np.where(twb > _AT_ZERO_DEGC, above, below)


def _dew_point_degc(pw, t, iterations: int = 60, over_water: bool = False):
    """Dew point [°C] for vapour pressure ``pw`` [Pa], by bisection in [-100 °C, t]: over ice below
    0 °C (the frost point, ASHRAE's, what :func:`wet_bulb_degc` brackets with), or ``over_water``,
    the meteorological dew point a weather file states (:func:`saturation_pressure_water_pa`)."""
    pws = saturation_pressure_water_pa if over_water else saturation_pressure_pa
    lo = np.full_like(t, -100.0)
    hi = t.copy()
    for _ in range(iterations):
        mid = 0.5 * (lo + hi)
        above = pws(mid) > pw
        hi = np.where(above, mid, hi)
        lo = np.where(above, lo, mid)
    return 0.5 * (lo + hi)


#: How far a relative humidity may lie outside [0, 100] % and be read as the bound: floating-point
#: rounding of a humidity computed from a dew point (``100 * pws(dew) / pws(dry)`` gives
#: 100.00000000000001 % when the two are equal), far below any humidity a file states (whole or
#: tenths of a percent). [%]
_RH_ROUNDING_PCT = 1e-9


def wet_bulb_degc(temp_air, relative_humidity, pressure, iterations: int = 60):
    """Thermodynamic wet-bulb temperature [°C] from dry bulb, RH and pressure.

    Solves ASHRAE Fundamentals 2017 ch. 1 eq. 33 (eq. 35 below 0 °C) for the
    wet bulb whose implied humidity ratio equals the actual one,
    ``W = 0.621945 pw / (p - pw)`` with ``pw = RH/100 * pws(T)``, by bisection
    between the dew point and the dry bulb (60 halvings: far below 1e-6 K).

    **Two roots near 0 °C.** Eq. 35 (an ice-covered bulb) and eq. 33 (a water-covered
    bulb) do not meet at 0 °C: eq. 35 implies the higher humidity ratio there (latent heat
    of sublimation, 2830 kJ/kg, against that of vaporisation, 2501 kJ/kg). For air whose
    humidity ratio lies between the two (dry bulb above 0 °C, wet bulb within 0.8 K of
    0 °C) both hold: an ice-bulb root below 0 °C and a water-bulb root above it, up to
    0.8 K apart, and ASHRAE gives no rule to choose. The bisection here
    is PsychroLib's (2.5, ``GetTWetBulbFromHumRatio``): the same bracket, dew point to
    dry bulb, the same halving, so it converges to the root PsychroLib returns: the one
    on the side of 0 °C where the first midpoint that falls between the roots lies.
    One difference is a choice: a midpoint *on* 0 °C (decimal inputs make that common:
    from -7.8 to 5.0 °C the sixth midpoint is exactly 0) uses eq. 35, the ice bulb
    (:data:`_AT_ZERO_DEGC`). PsychroLib's code would use eq. 33 there, but its dew point
    carries a rounding error of about 1e-13 K whose sign then decides; at 5.0 °C dry
    bulb, -7.8 °C dew point and 97,500 Pa it is low (-7.800000000000057), the midpoint
    falls at -2.2e-14 °C and it returns the ice root, -0.177 °C (as here; the water
    root is +0.165 °C). With this choice dcplan agrees with PsychroLib within
    0.002 K (both bisections stop at 0.001 K) on every hour of the bundled weather files; on a 0.1 K grid of
    dry bulb 0-16 °C, dew point -30-0 °C and four pressures, at 15,838 of the 15,858
    points whose wet bulb lies within 0.6 K of 0 °C (at the other 20 PsychroLib's
    rounding went the other way and it returned the water root).

    Parameters
    ----------
    temp_air : float, array or Series
        Dry bulb [°C], within the plausible range of ``dcplan.weather._RANGES`` (-90 to 60 °C); kelvin
        or °F values and NaN are rejected.
    relative_humidity : float, array or Series
        Relative humidity [%], 0-100 (within :data:`_RH_ROUNDING_PCT` outside a bound, rounding
        noise, is read as the bound); NaN is rejected.
    pressure : float, array or Series
        Station pressure [Pa], within the plausible range of ``dcplan.weather._RANGES``
        (30,000-110,000 Pa); values in hPa/mbar or kPa are rejected with an
        :class:`~dcplan.errors.InputError` rather than silently misread.

    Returns
    -------
    float, ndarray or Series (matching ``temp_air``)
        Wet bulb [°C].
    """
    from .weather import _RANGES  # the file checks' ranges (lazy: dcplan.weather imports this module)
    t = np.asarray(temp_air, dtype=float)
    rh = np.asarray(relative_humidity, dtype=float)
    p = np.asarray(pressure, dtype=float)
    t_lo, t_hi = _RANGES["temp_air"]
    bad_t = ~((t >= t_lo) & (t <= t_hi))   # also catches NaN
    if np.any(bad_t):
        raise InputError(f"must be a dry bulb in °C within [{t_lo:g}, {t_hi:g}] (not K or °F; NaN is not "
                         f"allowed), got {t[bad_t].flat[0]}", field="temp_air")
    tol = _RH_ROUNDING_PCT
    bad_rh = ~((rh >= -tol) & (rh <= 100 + tol))   # also catches NaN
    if np.any(bad_rh):
        raise InputError(f"must be in [0, 100] % (not NaN; within {tol:g} % of a bound is read as the bound), "
                         f"got {rh[bad_rh].flat[0]}", field="relative_humidity")
    rh = np.clip(rh, 0.0, 100.0)   # rounding noise: 100.00000000000001 from a dew point equal to the dry bulb
    p_lo, p_hi = _RANGES["pressure"]
    bad_p = ~((p >= p_lo) & (p <= p_hi))   # also catches NaN
    if np.any(bad_p):
        raise InputError(f"must be station pressure in Pa within [{p_lo:g}, {p_hi:g}] "
                         f"(not hPa/mbar or kPa; 1013.25 hPa = 101325 Pa), got {p[bad_p].flat[0]}",
                         field="pressure")
    t, rh, p = np.broadcast_arrays(t, rh, p)
    pw = rh / 100.0 * saturation_pressure_pa(t)
    w = _MW_RATIO * pw / (p - pw)
    lo = _dew_point_degc(pw, t)
    hi = t.copy()
    for _ in range(iterations):
        mid = 0.5 * (lo + hi)
        too_wet = _w_from_wet_bulb(t, mid, p) > w
        hi = np.where(too_wet, mid, hi)
        lo = np.where(too_wet, lo, mid)
    out = 0.5 * (lo + hi)
    if isinstance(temp_air, pd.Series):
        return pd.Series(out, index=temp_air.index, name="temp_wet_bulb_degc")
    return out if out.ndim else float(out)


def _solve_relative_humidity_pct(t_degc: float, wb_degc: float, pressure_pa: float) -> float:
    """The bisection of :func:`relative_humidity_at_wet_bulb_pct`: 50 halvings of [0, 100] %, one
    :func:`wet_bulb_degc` at each midpoint (a scalar each, so its result is the one a scalar call gives)."""
    lo, hi = 0.0, 100.0
    for _ in range(50):
        mid = 0.5 * (lo + hi)
        if wet_bulb_degc(t_degc, mid, pressure_pa) > wb_degc:
            hi = mid
        else:
            lo = mid
    return 0.5 * (lo + hi)


def relative_humidity_at_wet_bulb_pct(t_degc: float, wb_degc: float, pressure_pa: float) -> float:
    """Relative humidity [%] at which air at dry bulb ``t_degc`` [°C] and ``pressure_pa`` [Pa] has the wet bulb
    ``wb_degc`` [°C]: :func:`wet_bulb_degc` inverted by bisection in [0, 100] % (50 halvings, to about
    1e-13 %), as :func:`dcplan.thermal_design_day.design_day` holds a design hour's humidity.

    Each solve is 50 wet bulbs (about 75 ms), and every notebook that checks a site's design day solves the same
    two; so a solved humidity is kept between processes (:func:`dcplan._solved_cache.kept_arrays`, keyed by the
    three numbers and this module's source) and read back bit for bit. A wet bulb the dry bulb cannot have raises
    :func:`wet_bulb_degc`'s errors, and nothing is kept.
    """
    from ._solved_cache import kept_arrays
    t, wb, p = float(t_degc), float(wb_degc), float(pressure_pa)
    (rh,) = kept_arrays("design-rh", (t, wb, p), lambda: (np.float64(_solve_relative_humidity_pct(t, wb, p)),), 1)
    return float(rh)
