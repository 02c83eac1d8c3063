"""Whether a weather file's hours are where its header says: the day's irradiance against solar noon.

A file whose rows are stamped in another zone than its header's (UTC: a time series exported from a UTC
database; PVGIS's files are in UTC too, and read so: dcplan.weather_pvgis) or labelled at the hour's start
rather than its end puts every hour's weather an hour or more off, silently: the PV model's sun, the tariff's
periods and the demand hours then meet the wrong weather. The sun tells. The year's GHI-weighted mean time of day
(each row at the middle of its hour, on the file's standard time; a mean on the 24-hour circle, so
a file many hours off reads as many hours) less the station's solar noon (its longitude and the
equation of time, Spencer 1971 as in pvlib) is near zero for a file whose hours are right: -0.08 to
+0.04 h for the three bundled EPW files and pvlib's TMY2 and TMY3 examples
(tests/test_weather_timing.py), the clouds of single days averaging out; an hour's shift moves it by
one hour. :data:`MAX_OFFSET_H` separates the two. A site reads such a file right by giving the clock its rows
are on, ``weather.rows_utc_offset_h`` (:func:`suggested_rows_clock_h` names it from the sun).
"""
from __future__ import annotations

import math

import numpy as np

__all__ = ["irradiance_offset_h", "frame_irradiance_offset_h", "timing_facts", "timing_problem",
           "suggested_rows_clock_h", "rows_clock_text",
           "MAX_OFFSET_H", "MIN_DAY_WH_M2", "MIN_CONCENTRATION"]

#: Largest |median offset| of the irradiance from solar noon a file passes without a warning: half an hour,
#: between the files above (within 0.1 h) and one stamped an hour off (about 1 h). A dcplan estimate. [h]
MAX_OFFSET_H = 0.5
#: Days whose GHI sums to less are left out (polar night, a day of fog): their centre is noise. [Wh/m2]
MIN_DAY_WH_M2 = 500.0
#: Least concentration of the irradiance in the day for its centre to say where the hours are: the length of its
#: GHI-weighted mean on the 24-hour circle over the GHI's sum (1: all at one instant; 0: spread evenly round the
#: clock). A sun that rises and sets gives 0.70-0.79 (the bundled four years, any week of them) and 0.18 in a
#: midsummer month at 82.5 deg N (clear sky, the sun up all day); a GHI without a day, constant or each day's mean
#: repeated hourly (a what-if frame, daily data spread over the hours), about 0, whose "centre" is its rounding:
#: 11 h or 2.5 h off for Phoenix's year so made, which no shift puts right. Below it the offset is not known (NaN).
#: A dcplan estimate, between the two. [-]
MIN_CONCENTRATION = 0.1


def irradiance_offset_h(ghi, utc_offset_h: float, longitude_deg: float) -> tuple[float, int]:
    """The year's GHI-weighted mean time of day less solar noon, and the days with sun.

    Parameters
    ----------
    ghi : array-like
        Hourly global horizontal irradiance of a file's rows in order from 1 January hour 1, each the hour
        ending at its label, on the file's standard time (as :func:`dcplan.weather.load_weather` checks). [W/m2]
    utc_offset_h : float
        The file's standard time zone (header TZ). [h]
    longitude_deg : float
        The station's longitude, east positive. [deg]

    Returns
    -------
    (float, int)
        Offset (positive: the irradiance centres after solar noon; the weighted mean on the 24-hour circle,
        in (-12, 12]) [h], NaN with no day of at least :data:`MIN_DAY_WH_M2` or an irradiance less concentrated
        in the day than :data:`MIN_CONCENTRATION` (no sun rising and setting to tell the hours by); and the number
        of such days (0 with a NaN).
    """
    g = np.nan_to_num(np.asarray(ghi, dtype=float), nan=0.0)
    if g.size == 0 or not (math.isfinite(utc_offset_h) and math.isfinite(longitude_deg)):
        return float("nan"), 0
    mid_utc = np.arange(g.size) + 0.5 - float(utc_offset_h)  # hours since 1 Jan 00:00 UTC, each row's middle
    return _offset_of_middles(g, mid_utc, longitude_deg)


def frame_irradiance_offset_h(index, ghi, longitude_deg: float) -> tuple[float, int]:
    """:func:`irradiance_offset_h` of a weather frame's rows at the instants its tz-aware ``index`` gives them.

    Each row is the interval that *ends* at its label (dcplan's convention, STYLE.md), so its middle is the label
    less half the step (the median spacing of the labels). A frame labelled at the start of each hour (pvlib's
    ``read_epw``; raw NSRDB/PSM3 frames) centres an hour before solar noon; one whose labels carry the wrong zone
    (local clock times marked UTC) centres that zone's offset away. Returns (offset [h], days with sun), as
    :func:`irradiance_offset_h`; NaN and 0 for fewer than two rows or an index without a time zone."""
    import pandas as pd
    idx = pd.DatetimeIndex(index)
    g = np.nan_to_num(np.asarray(ghi, dtype=float), nan=0.0)
    if len(idx) < 2 or idx.tz is None or g.size != len(idx) or not math.isfinite(longitude_deg):
        return float("nan"), 0
    step = pd.Series(idx[1:] - idx[:-1]).median()
    mid = idx.tz_convert("UTC") - step / 2
    t0 = pd.Timestamp(year=mid[0].year, month=1, day=1, tz="UTC")
    mid_utc = np.asarray((mid - t0) / pd.Timedelta("1h"), dtype=float)  # hours since 1 Jan 00:00 UTC
    return _offset_of_middles(g, mid_utc, longitude_deg)


def _offset_of_middles(g: np.ndarray, mid_utc: np.ndarray, longitude_deg: float) -> tuple[float, int]:
    """The GHI-weighted mean solar time of rows centred ``mid_utc`` [h since 1 Jan 00:00 UTC] less solar noon,
    and the days with sun (:func:`irradiance_offset_h`)."""
    from pvlib.solarposition import equation_of_time_spencer71
    doy = np.floor(mid_utc / 24.0) % 365 + 1
    # apparent solar time at the station, hours since its 1 Jan 00:00
    solar = mid_utc + float(longitude_deg) / 15.0 + equation_of_time_spencer71(doy) / 60.0
    # the year's irradiance as one weighted mean on the 24-hour circle (solar noon at angle 0): no day boundary
    # to split the sunlit hours of a file many hours off, and every day's clouds averaged over the year
    angle = 2.0 * np.pi * (solar - 12.0) / 24.0
    sun = float(np.sum(g * np.sin(angle))), float(np.sum(g * np.cos(angle)))
    day = np.floor(solar / 24.0).astype(np.int64)
    days = int(np.count_nonzero(np.bincount(day - day.min(), weights=g) >= MIN_DAY_WH_M2))
    if days == 0 or sun == (0.0, 0.0) or math.hypot(*sun) < MIN_CONCENTRATION * float(np.sum(g)):
        return float("nan"), 0  # no sun to tell by, or none that rises and sets (MIN_CONCENTRATION)
    return float(np.arctan2(*sun) * 24.0 / (2.0 * np.pi)), days


def timing_facts(cols: dict, station: dict) -> dict:
    """``irradiance_offset_h`` and ``irradiance_days`` (:func:`irradiance_offset_h`) of a checked file's
    columns (``cols["ghi"]``) and header (``station``: :func:`dcplan.weather._station`; the clock of its rows,
    ``rows_utc_offset_h``: UTC for PVGIS's files), for a frame's
    ``attrs`` and the weather-check cache."""
    rows_h = station.get("rows_utc_offset_h", station.get("utc_offset_h", float("nan")))  # the rows' clock
    off, n = irradiance_offset_h(cols.get("ghi", ()), rows_h,
                                 station.get("longitude", float("nan")))
    return {"irradiance_offset_h": off, "irradiance_days": float(n)}


def timing_problem(facts: dict, name: str) -> str | None:
    """What to say of a file whose irradiance centres more than :data:`MAX_OFFSET_H` from solar noon
    (``facts``: :func:`timing_facts`; ``name``: the file's), else None."""
    off = facts.get("irradiance_offset_h")
    if off is None or not math.isfinite(off) or abs(off) <= MAX_OFFSET_H:
        return None
    when = "after" if off > 0 else "before"
    days = int(facts.get("irradiance_days", 0))
    fix = suggested_rows_clock_h(facts)
    give = ("" if fix is None else f"; to read it as it is, give the site's weather.rows_utc_offset_h: {fix:g} "
            "(the clock the sun puts its rows on)")
    return (f"{name}: its irradiance centres {abs(off):.2f} h {when} solar noon on the file's clock (the "
            f"GHI-weighted mean time of day over the year's {days} days of sun; a file whose hours are right is "
            "within 0.1 h, dcplan.weather_timing): its rows are likely stamped in another zone than its header's "
            f"(e.g. UTC) or labelled at the hour's start, so every hour's weather is about {abs(off):.0f} h off. "
            "Check the file's time zone and hour labels, or use another file (a PVGIS typical year is read on UTC "
            f"as it is: dcplan.weather_pvgis){give}")


def suggested_rows_clock_h(facts: dict) -> float | None:
    """The UTC offset [h] of the clock a file's rows sit right on, by the year's sun: the clock they were read on
    (``rows_utc_offset_h``, else ``utc_offset_h``) plus the whole hours their irradiance centres after solar noon
    (``facts``: :func:`timing_facts` with the station's fields). Rows in UTC under a UTC-6 h header centre 6 h
    after noon: 0. Rows labelled at the hour's start centre an hour before it: read one zone west, each hour is
    its own. None when the offset is not within a quarter hour of whole hours, or not known."""
    off = facts.get("irradiance_offset_h")
    rows_h = facts.get("rows_utc_offset_h", facts.get("utc_offset_h"))
    if off is None or rows_h is None or not (math.isfinite(off) and math.isfinite(rows_h)):
        return None
    whole = round(off)
    if whole == 0 or abs(off - whole) > 0.25:
        return None
    clock = float(rows_h) + whole
    return clock if -12.0 <= clock <= 14.0 else None


def rows_clock_text(attrs: dict, site_rows_h: float | None = None) -> str:
    """How a weather frame's rows were read, for a report: the UTC offset of their clock and whose word it is
    (``attrs``: :func:`dcplan.weather.load_weather`'s; ``site_rows_h``: the site's ``weather.rows_utc_offset_h``,
    None when it gives none). ``UTC-6 h, the header's (the station's standard time)`` for a station's file;
    ``UTC (the file's rows: PVGIS names no zone)`` for PVGIS's CSV or JSON; ``UTC (the file's rows), under a
    header of UTC+1 h (the station's zone)`` for PVGIS's EPW or an NSRDB CSV in UTC; ``UTC (the site's
    weather.rows_utc_offset_h), under a header of UTC-6 h`` where the site says so."""
    rows_h = float(attrs.get("rows_utc_offset_h", attrs.get("utc_offset_h", float("nan"))))
    station_h = float(attrs.get("utc_offset_h", float("nan")))

    def utc(h: float) -> str:
        return "UTC" if h == 0 else f"UTC{h:+g} h"
    under = f", under a header of {utc(station_h)} (the station's zone)" if math.isfinite(station_h) else ""
    if site_rows_h is not None:
        return f"{utc(rows_h)} (the site's weather.rows_utc_offset_h){under}"
    if not math.isfinite(station_h):
        return f"{utc(rows_h)} (the file's rows: PVGIS names no zone)"
    if rows_h == station_h:
        return f"{utc(rows_h)}, the header's (the station's standard time)"
    return f"{utc(rows_h)} (the file's rows){under}"
