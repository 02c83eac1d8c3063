"""Climate summaries of a weather frame (:func:`dcplan.weather.load_weather`'s columns):
duration curves, hours above cooling thresholds, monthly profile, free-cooling hours and
the one-line summary, and the unit check they and the plant model make on temperatures
(:func:`check_temperature_columns`). Pure functions; :mod:`dcplan.weather` re-exports them.
"""
from __future__ import annotations

import numpy as np
import pandas as pd

from .errors import InputError

__all__ = ["COOLING_THRESHOLDS_DEGC", "duration_curve", "hours_above", "monthly_profile", "TEMP_DEGC_RANGE",
           "check_temperature_columns", "free_cooling_hours", "climate_summary", "design_table",
           "RECOMMENDED_DRY_BULB_DEGC", "RECOMMENDED_DEW_POINT_DEGC", "RECOMMENDED_RH_MAX_PCT",
           "AIR_ECONOMIZER_CHANGEOVER_DEGC", "AIR_ECONOMIZER_CHANGEOVER_SOURCE", "air_economizer_envelope_hours",
           "freezing_hours", "freeze_note"]

#: The air-side economizer changeover: above this outdoor dry bulb the economizer closes. 75 °F (23.9 °C, rounded
#: to 24) is the fixed dry-bulb high-limit shutoff energy codes require ("outdoor air temperature exceeds 75°F":
#: Washington State Energy Code, WAC 51-11C-40333, Table C403.3.3.3, climate zones 4C and 5B; ASHRAE 90.1 Table
#: 6.5.1.1.3 sets the same control type by climate zone, 75 °F in dry ones and lower in humid ones, recalled, not
#: read). A code's limit for a dry climate, not a site's design: a humid site's code may close the economizer
#: sooner. The 75 °F is the code's text (app.leg.wa.gov); taking it as the changeover of every site is dcplan's
#: assumption. [°C]
AIR_ECONOMIZER_CHANGEOVER_DEGC = 24.0
#: Where :data:`AIR_ECONOMIZER_CHANGEOVER_DEGC` is from, in short, for the labels that use it (site_climate).
AIR_ECONOMIZER_CHANGEOVER_SOURCE = ("the 75 °F (23.9 °C) fixed dry-bulb high limit of energy codes for dry "
                                    "climates, e.g. Washington State Energy Code C403.3.3.3; lower in humid zones")

#: Outdoor dry-bulb thresholds [°C] worth counting for air-side economizers, which supply outdoor
#: air to the IT inlets: 18 and 27 are the ASHRAE TC9.9 recommended inlet envelope's dry-bulb
#: bounds (Thermal Guidelines 5th ed., 2021); 24 the air-side economizer changeover
#: (:data:`AIR_ECONOMIZER_CHANGEOVER_DEGC`); 32 the A1 allowable upper limit. They bound *inlet air*: they mean
#: nothing for the wet bulb (a tower's limits are its own: :func:`free_cooling_hours`, the chillers' design wet
#: bulb), and a dry-bulb count leaves out the envelope's humidity limits.
COOLING_THRESHOLDS_DEGC = (18.0, AIR_ECONOMIZER_CHANGEOVER_DEGC, 27.0, 32.0)


def duration_curve(series: pd.Series) -> pd.Series:
    """Values sorted from highest to lowest against hours exceeded (index: hours, 1-based)."""
    v = np.sort(series.to_numpy(dtype=float))[::-1]
    step_h = pd.Timedelta(series.index.freq or "h").total_seconds() / 3600.0
    return pd.Series(v, index=pd.Index(np.arange(1, len(v) + 1) * step_h, name="hours_exceeded_h"),
                     name=series.name)


def hours_above(weather: pd.DataFrame, thresholds=COOLING_THRESHOLDS_DEGC) -> pd.DataFrame:
    """Hours per year with dry bulb and wet bulb strictly above each threshold.

    Returns a frame indexed by ``threshold_degc`` with ``drybulb_h`` and ``wetbulb_h``.
    """
    step_h = pd.Timedelta(weather.index.freq or "h").total_seconds() / 3600.0
    db = weather["temp_air"].to_numpy()
    wb = weather["temp_wet_bulb_degc"].to_numpy()
    rows = [{"threshold_degc": float(th), "drybulb_h": float((db > th).sum() * step_h),
             "wetbulb_h": float((wb > th).sum() * step_h)} for th in thresholds]
    return pd.DataFrame(rows).set_index("threshold_degc")


def monthly_profile(weather: pd.DataFrame) -> pd.DataFrame:
    """Monthly mean dry bulb, mean daily max/min, mean wet bulb and dew point [°C].

    Months and days are those of each hour's start (interval-ending labels).
    """
    starts = weather.index - pd.Timedelta(weather.index.freq or "h")
    w = weather.set_axis(starts)
    daily = w["temp_air"].groupby(w.index.date).agg(["max", "min"])
    daily.index = pd.to_datetime(daily.index)
    m = w.groupby(w.index.month)
    out = pd.DataFrame({
        "temp_air_mean_degc": m["temp_air"].mean(),
        "temp_air_daily_max_degc": daily["max"].groupby(daily.index.month).mean(),
        "temp_air_daily_min_degc": daily["min"].groupby(daily.index.month).mean(),
        "temp_wet_bulb_mean_degc": m["temp_wet_bulb_degc"].mean(),
        "temp_dew_mean_degc": m["temp_dew"].mean(),
        "relative_humidity_mean_pct": m["relative_humidity"].mean(),
    })
    out.index.name = "month"
    return out


#: Plausible temperatures [°C] of a weather frame's dry- and wet-bulb columns: the WMO world records
#: -89.2 °C (Vostok, 1983) and 56.7 °C (Death Valley, 1913), as ``dcplan.solar``'s weather check.
#: Outside: a unit slip (kelvin >= 183; a year in °F has warm hours > 60) or a missing-value code.
TEMP_DEGC_RANGE = (-90.0, 60.0)


def check_temperature_columns(weather: pd.DataFrame, columns=("temp_air", "temp_wet_bulb_degc")) -> None:
    """InputError (``field="weather.<column>"``) unless every value of ``columns`` is a finite °C
    figure within :data:`TEMP_DEGC_RANGE`: the check :func:`free_cooling_hours` and
    :func:`dcplan.thermal.plant_hourly` share, so kelvin or °F weather is refused as
    :func:`dcplan.solar.pv_ac_kw` refuses it (column, first bad time and value, range, likely cause)."""
    if not isinstance(weather, pd.DataFrame):
        raise InputError(f"need a pandas DataFrame, got {type(weather).__name__}", field="weather")
    lo, hi = TEMP_DEGC_RANGE
    for c in columns:
        if c not in weather.columns:
            raise InputError(f"missing column {c!r}; have {list(weather.columns)}", field="weather")
        v = weather[c].to_numpy(dtype=float)
        nan, out = ~np.isfinite(v), (v < lo) | (v > hi)
        if nan.any():
            i = int(np.argmax(nan))
            raise InputError(f"{c} is missing (NaN/inf) at {weather.index[i]} ({int(nan.sum())} value(s)); "
                             "fill or interpolate first", field=f"weather.{c}")
        if out.any():
            i = int(np.argmax(out))
            raise InputError(f"{c} must be in [{lo:g}, {hi:g}] degC, got {v[i]:g} at {weather.index[i]} "
                             f"({int(out.sum())} value(s) outside; wrong units (kelvin or degF?) or a "
                             "missing-value code?)", field=f"weather.{c}")


def free_cooling_hours(weather: pd.DataFrame, supply_degc: float, approach_k: float,
                       wet: bool) -> float:
    """Hours when outdoor air alone can make ``supply_degc`` with ``approach_k``.

    Climate-only count: dry-cooler / air-side economizer when dry bulb
    ``<= supply - approach``; cooling tower / water-side economizer (``wet=True``)
    when wet bulb ``<= supply - approach``. For a site's plant take supply and approach
    from :func:`dcplan.thermal.free_cooling_limits` (the plant model's own setpoint and
    design approach); the plant model (:func:`dcplan.thermal.plant_hourly`) adds part
    load, partial-economizer hours and the plant's other loops. The column is checked
    (:func:`check_temperature_columns`): kelvin, °F or NaN is refused. Returns [h].
    """
    for name, v, lo, hi, what in (("supply_degc", supply_degc, 0.0, 60.0, "a supply temperature in °C in [0, 60]"),
                                  ("approach_k", approach_k, 0.0, 30.0, "an approach in K in [0, 30]")):
        if isinstance(v, bool) or not isinstance(v, (int, float, np.number)) or not lo <= v <= hi:
            raise InputError(f"must be {what}, got {v!r}", field=name)
    col = "temp_wet_bulb_degc" if wet else "temp_air"
    check_temperature_columns(weather, (col,))
    step_h = pd.Timedelta(weather.index.freq or "h").total_seconds() / 3600.0
    return float((weather[col] <= supply_degc - approach_k).sum() * step_h)


def climate_summary(weather: pd.DataFrame) -> dict:
    """Headline climate figures of a weather frame (°C, hours)."""
    db = weather["temp_air"]
    wb = weather["temp_wet_bulb_degc"]
    return {
        "temp_air_mean_degc": float(db.mean()),
        "temp_air_max_degc": float(db.max()),
        "temp_air_min_degc": float(db.min()),
        "temp_air_p99_degc": float(db.quantile(0.99)),
        "temp_wet_bulb_max_degc": float(wb.max()),
        "temp_wet_bulb_p99_degc": float(wb.quantile(0.99)),
        "temp_wet_bulb_mean_degc": float(wb.mean()),
    }


#: Rows of :func:`design_table`: (row, what it is, the typical year's figure as (column, exceeded
#: fraction or "max"), the ``attrs["ashrae_design"]`` key of the ASHRAE figure[, what the ASHRAE figure
#: is where the two differ]). A coincident value
#: is the mean of the other bulb over the hours within 1 K of the design value, the typical-year rule
#: of :func:`dcplan.thermal.design_conditions`.
_DESIGN_ROWS = (
    ("cooling_db_0p4", "0.4 % dry bulb (exceeded in about 35 h a year)", ("temp_air", 0.004), "cooling_db_0p4_degc"),
    ("cooling_mcwb_0p4", "mean coincident wet bulb of the 0.4 % dry bulb", ("mcwb", 0.004), "cooling_mcwb_0p4_degc"),
    ("cooling_db_1p0", "1 % dry bulb (exceeded in about 88 h a year)", ("temp_air", 0.01), "cooling_db_1p0_degc"),
    ("cooling_mcwb_1p0", "mean coincident wet bulb of the 1 % dry bulb", ("mcwb", 0.01), "cooling_mcwb_1p0_degc"),
    ("evap_wb_0p4", "0.4 % wet bulb (evaporation)", ("temp_wet_bulb_degc", 0.004), "evap_wb_0p4_degc"),
    ("evap_mcdb_0p4", "mean coincident dry bulb of the 0.4 % wet bulb", ("mcdb", 0.004), "evap_mcdb_0p4_degc"),
    ("evap_wb_1p0", "1 % wet bulb (evaporation)", ("temp_wet_bulb_degc", 0.01), "evap_wb_1p0_degc"),
    ("db_max", "hottest hour: the typical year's maximum dry bulb; ASHRAE: the mean of the extreme annual "
     "maximum dry bulbs", ("temp_air", "max"), "extreme_db_mean_max_degc",
     "mean of the extreme annual maximum dry bulbs"),
    ("db_max_50yr", "dry bulb of a 50-year return period (ASHRAE extremes)", None, "extreme_db_max_50yr_degc"),
    ("wb_max", "most humid hour: the typical year's maximum wet bulb; ASHRAE: the extreme maximum wet bulb",
     ("temp_wet_bulb_degc", "max"), "extreme_wb_max_degc", "extreme maximum wet bulb"),
)


def design_table(weather: pd.DataFrame) -> pd.DataFrame:
    """The typical year's cooling design figures beside the ASHRAE design conditions and extremes of
    its EPW header (``weather.attrs["ashrae_design"]``, :func:`dcplan.weather.load_weather`: the ASHRAE
    Handbook's Climate Design Data, from the station's long-term record).

    A typical year leaves out extremes: its 0.4 % dry bulb (99.6th percentile of its hours) reads
    below ASHRAE's (Phoenix 42.8 against 43.4 degC, Chicago 32.2 against 33.3). Returns a frame indexed
    by row key (``cooling_db_0p4``, ..., :data:`_DESIGN_ROWS`) with ``what``, ``typical_year_degc``,
    ``ashrae_degc`` (NaN where the frame has no ASHRAE figure: a TMY2 or TMY3 file has no such header)
    and ``ashrae_what`` (what the ASHRAE figure alone is, for its label).
    """
    check_temperature_columns(weather)
    db, wb = weather["temp_air"], weather["temp_wet_bulb_degc"]
    ashrae = weather.attrs.get("ashrae_design") or {}

    def typical(rule) -> float:
        if rule is None:
            return float("nan")
        col, frac = rule
        if frac == "max":
            return float(weather[col].max())
        if col == "mcwb":
            d = float(db.quantile(1.0 - frac))
            return float(wb[(db - d).abs() <= 1.0].mean())
        if col == "mcdb":
            d = float(wb.quantile(1.0 - frac))
            return float(db[(wb - d).abs() <= 1.0].mean())
        return float(weather[col].quantile(1.0 - frac))

    rows = [{"row": key, "what": what, "typical_year_degc": typical(rule),
             "ashrae_degc": float(ashrae.get(akey, float("nan"))), "ashrae_what": (own or [what])[0]}
            for key, what, rule, akey, *own in _DESIGN_ROWS]
    return pd.DataFrame(rows).set_index("row")


# ---------------------------------------------------------------------------
# Outdoor air against the recommended envelope's moisture limits; freezing hours

#: ASHRAE TC 9.9 recommended envelope for classes A1-A4 (Thermal Guidelines for Data Processing
#: Environments, 5th ed., 2021, reference card Table 2.1; docs/reference-data.md §3a): dry
#: bulb 18-27 °C, dew point -9 to 15 °C and relative humidity at most 70 % (50 % where gaseous
#: contamination is high; the 4th ed., 2015, had 60 %). [°C], [°C], [%]
RECOMMENDED_DRY_BULB_DEGC = (18.0, 27.0)
RECOMMENDED_DEW_POINT_DEGC = (-9.0, 15.0)
RECOMMENDED_RH_MAX_PCT = 70.0
def air_economizer_envelope_hours(weather: pd.DataFrame,
                                  changeover_degc: float = AIR_ECONOMIZER_CHANGEOVER_DEGC) -> dict:
    """Hours outdoor air can supply the IT inlets within the recommended envelope's moisture limits.

    An air-side economizer supplies outdoor air at or below ``changeover_degc``; colder air is
    tempered with return air to the envelope's lower dry bulb (18 °C,
    :data:`RECOMMENDED_DRY_BULB_DEGC`). Return air adds heat but no moisture (the IT adds none), so
    the supply keeps the outdoor dew point while its relative humidity falls: the supply is at the
    outdoor dry bulb, or 18 °C when colder (the coolest the recommended range allows, so the
    highest humidity; a warmer supply setpoint only lowers it). An hour is *within* when the dew
    point lies in :data:`RECOMMENDED_DEW_POINT_DEGC` (-9 to 15 °C) and the relative humidity at
    that supply temperature, ``100 pws(dew point) / pws(supply)`` (ASHRAE Fundamentals 2017 ch. 1,
    Hyland-Wexler), is at most :data:`RECOMMENDED_RH_MAX_PCT` (70 %); *too humid* (dehumidifying
    needed) when the dew point is above 15 °C or that humidity above 70 %; *too dry* (humidifying
    needed) when the dew point is below -9 °C. Climate only: the economizer's fans, filters and
    controls are not modelled.

    Returns
    -------
    dict
        ``within_h``, ``too_humid_h``, ``too_dry_h`` (hours with dry bulb <= ``changeover_degc``)
        and ``above_changeover_h``; they add up to the year's hours. [h]
    """
    from .weather import saturation_pressure_water_pa  # a file's dew point and RH are over water, below 0 °C too
    check_temperature_columns(weather, ("temp_air", "temp_dew"))
    step_h = pd.Timedelta(weather.index.freq or "h").total_seconds() / 3600.0
    t = weather["temp_air"].to_numpy(dtype=float)
    dew = np.minimum(weather["temp_dew"].to_numpy(dtype=float), t)  # at most saturated (files round)
    supply = np.maximum(t, RECOMMENDED_DRY_BULB_DEGC[0])
    rh_supply = 100.0 * saturation_pressure_water_pa(dew) / saturation_pressure_water_pa(supply)
    on = t <= changeover_degc
    lo, hi = RECOMMENDED_DEW_POINT_DEGC
    dry = on & (dew < lo)
    humid = on & ~dry & ((dew > hi) | (rh_supply > RECOMMENDED_RH_MAX_PCT))
    within = on & ~dry & ~humid
    return {"within_h": float(within.sum() * step_h), "too_humid_h": float(humid.sum() * step_h),
            "too_dry_h": float(dry.sum() * step_h), "above_changeover_h": float((~on).sum() * step_h)}


def freezing_hours(weather: pd.DataFrame) -> dict:
    """Hours with the dry bulb and the wet bulb below 0 °C: ``drybulb_below_0_h``,
    ``wetbulb_below_0_h``. [h]"""
    check_temperature_columns(weather)
    step_h = pd.Timedelta(weather.index.freq or "h").total_seconds() / 3600.0
    return {"drybulb_below_0_h": float((weather["temp_air"] < 0.0).sum() * step_h),
            "wetbulb_below_0_h": float((weather["temp_wet_bulb_degc"] < 0.0).sum() * step_h)}


def freeze_note(hours: dict, rejections, wetbulb_below_m10_h: float | None = None) -> str | None:
    """What freezing hours (:func:`freezing_hours`) mean for a plant rejecting heat to
    ``rejections`` (``"tower"``, ``"dry"``: :func:`dcplan.thermal.free_cooling_limits`' ``rejection``
    of each loop), or None when there are none. The plant model runs a tower or a dry cooler in those
    hours as in any other: freeze protection's energy and water are not in its figures.
    ``wetbulb_below_m10_h`` [h]: the hours below -10 °C wet bulb, the coldest of the tower's approach
    table (:data:`dcplan.thermal_tower_merkel._WB_RANGE`), where the model takes the approach at
    -10 °C; said for a tower when given and above 0."""
    db, wb = hours["drybulb_below_0_h"], hours["wetbulb_below_0_h"]
    if not (db > 0 or wb > 0):
        return None
    kinds = set(rejections)
    out = [f"{wb:,.0f} h of the typical year have a wet bulb below 0 °C and {db:,.0f} h a dry bulb below 0 °C."]
    if "tower" in kinds:
        out.append("An open cooling tower needs freeze protection in such hours (basin heaters, a bypass of the "
                   "fill, or an isolated loop with glycol on a dry cooler); its energy and water are not modelled: "
                   "the plant model runs the tower, with its evaporation, as in any other hour"
                   + (f" (in the {wetbulb_below_m10_h:,.0f} h below about -10 °C wet bulb, the coldest of its tower table, "
                      "at the approach of that wet bulb)" if wetbulb_below_m10_h else "") + ".")
    if "dry" in kinds:
        out.append("A dry cooler's loop needs glycol (or draining) below 0 °C dry bulb; the glycol's lower heat "
                   "transfer and added pumping are not modelled.")
    return " ".join(out)
