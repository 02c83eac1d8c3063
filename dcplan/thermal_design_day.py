"""ASHRAE-style cooling design day: a 24-hour weather frame for hot-afternoon checks.

Dry bulb follows the ASHRAE Handbook of Fundamentals (2009, ch. 14, Table 6)
fraction-of-daily-range profile, ``T(h) = T_max - f(h) * daily_range``; the
humidity ratio is held at the value implied by the design dry bulb and its mean
coincident wet bulb, and the hourly wet bulb follows from it
(:func:`dcplan.weather.wet_bulb_degc`). Feed the frame to
:func:`dcplan.thermal.plant_hourly` like a weather file.

:func:`design_conditions` gives a site's condition: the ASHRAE values of its EPW header when the
weather frame carries them (the condition its chillers are selected for), else the typical year's
percentiles, and says which (``source``).
"""
from __future__ import annotations

import numpy as np
import pandas as pd

from .errors import InputError

__all__ = ["design_day", "design_conditions", "DESIGN_DAY_FRACTIONS", "PHOENIX_DESIGN_DAY"]

#: Fraction of the daily dry-bulb range below the daily maximum, for hours ending
#: 01:00 .. 24:00 local standard time. ASHRAE Handbook of Fundamentals 2009, ch. 14,
#: Table 6 (same table in 2013-2021 editions). Status: primary (recalled; verify).
DESIGN_DAY_FRACTIONS = np.array([0.88, 0.92, 0.95, 0.98, 1.00, 0.98, 0.91, 0.74, 0.55, 0.38, 0.23, 0.13,
                                 0.05, 0.00, 0.00, 0.06, 0.14, 0.24, 0.39, 0.50, 0.59, 0.68, 0.75, 0.82])

#: Phoenix Sky Harbor 0.4 % cooling design condition from the TMY3 EPW header
#: (ASHRAE 2009 design conditions): 43.4 degC dry bulb, 21.1 degC mean coincident wet
#: bulb, hottest-month daily range 12.0 K, station at 337 m (docs/reference-data.md 9a, derived).
PHOENIX_DESIGN_DAY = {"t_max_degc": 43.4, "wb_coincident_degc": 21.1, "daily_range_k": 12.0,
                      "pressure_pa": 97_400.0, "tz": "Etc/GMT+7"}


def design_day(t_max_degc: float, wb_coincident_degc: float, daily_range_k: float, *,
               date: str = "2025-07-21", tz: str = "UTC", pressure_pa: float = 101_325.0,
               source: str | None = None) -> pd.DataFrame:
    """24 hourly rows of design-day weather (interval-ending labels, 01:00 .. 24:00).

    Parameters
    ----------
    t_max_degc : float
        Design dry bulb (daily maximum). [degC]
    wb_coincident_degc : float
        Mean coincident wet bulb at the design dry bulb. [degC]
    daily_range_k : float
        Daily dry-bulb range. [K]
    date : str
        Calendar day. tz : str, fixed-offset zone (e.g. ``"Etc/GMT+7"``).
    pressure_pa : float
        Station pressure. [Pa] (101,325 at sea level; ~97,400 at 337 m; must be in
        30,000-110,000 Pa, so a value in hPa is rejected.)
    source : str, optional
        Where the condition comes from (:func:`design_conditions`' ``source``), kept as the
        frame's ``attrs["design_condition_source"]`` for labels.

    Returns
    -------
    pandas.DataFrame
        ``temp_air``, ``temp_wet_bulb_degc``, ``relative_humidity`` [%], ``pressure`` [Pa].
    """
    from .weather import _RANGES, saturation_pressure_pa, wet_bulb_degc
    from .weather_psychro import relative_humidity_at_wet_bulb_pct
    if not wb_coincident_degc <= t_max_degc:
        raise InputError(f"wet bulb {wb_coincident_degc} degC above dry bulb {t_max_degc} degC",
                         field="wb_coincident_degc")
    if not 0 <= daily_range_k <= 40:
        raise InputError(f"must be in [0, 40] K, got {daily_range_k}", field="daily_range_k")
    p_lo, p_hi = _RANGES["pressure"]
    if not p_lo <= pressure_pa <= p_hi:
        raise InputError(f"must be station pressure in Pa within [{p_lo:g}, {p_hi:g}] (not hPa/mbar "
                         f"or kPa), got {pressure_pa}", field="pressure_pa")
    wb_dry = float(wet_bulb_degc(t_max_degc, 0.0, pressure_pa))  # the lowest wet bulb air this hot has
    if wb_coincident_degc < wb_dry - 0.005:
        raise InputError(f"wet bulb {wb_coincident_degc} degC cannot occur at dry bulb {t_max_degc} degC and "
                         f"{pressure_pa:,.0f} Pa: even bone-dry air (0 % RH) has a wet bulb of {wb_dry:.2f} degC; "
                         "allowed: a wet bulb from that up to the dry bulb (a dew point given as wet bulb?)",
                         field="wb_coincident_degc")
    # the RH at the design hour that gives the wet bulb (bisection; solved once per condition, kept between processes)
    rh_design = relative_humidity_at_wet_bulb_pct(t_max_degc, wb_coincident_degc, pressure_pa)
    pw = rh_design / 100.0 * saturation_pressure_pa(t_max_degc)   # held all day
    t = t_max_degc - DESIGN_DAY_FRACTIONS * daily_range_k
    rh = np.clip(100.0 * pw / saturation_pressure_pa(t), 0.0, 100.0)
    idx = pd.date_range(pd.Timestamp(date) + pd.Timedelta("1h"), periods=24, freq="h", tz=tz)
    day = pd.DataFrame({"temp_air": t, "temp_wet_bulb_degc": wet_bulb_degc(t, rh, pressure_pa),
                        "relative_humidity": rh, "pressure": pressure_pa}, index=idx)
    if source is not None:
        day.attrs["design_condition_source"] = str(source)
    return day


#: Hours of a frame that covers a year: the ASHRAE values of an EPW header describe a year,
#: so only such a frame takes them (the rule of
#: :func:`dcplan.thermal_plant_params.chiller_design_conditions`, its ``_DESIGN_YEAR_H``).
_YEAR_H = 8760
#: The exceedances [frac] ASHRAE's Climate Design Data tabulates (0.4, 1 and 2 % of the year's
#: hours; ASHRAE Handbook of Fundamentals 2009, ch. 14) and the tag the keys of a weather frame's
#: ``attrs["ashrae_design"]`` carry for each (``cooling_db_0p4_degc``, ...). The EPW header holds all
#: three and :func:`dcplan.weather.load_weather` keeps them all; another exceedance (5 %) takes the
#: typical year's percentile.
_ASHRAE_TAGS = {0.004: "0p4", 0.01: "1p0", 0.02: "2p0"}
#: ``attrs["ashrae_design"]`` keys of (design value, mean coincident value) per basis, ``{tag}``
#: from ``_ASHRAE_TAGS``: the cooling dry bulb with its mean coincident wet bulb, the evaporation
#: wet bulb with its mean coincident dry bulb (:func:`dcplan.weather._ashrae_design`).
_ASHRAE_KEYS = {"dry_bulb": ("cooling_db_{tag}_degc", "cooling_mcwb_{tag}_degc"),
                "wet_bulb": ("evap_wb_{tag}_degc", "evap_mcdb_{tag}_degc")}


def _ordinal(q: float) -> str:
    """``99.6`` -> ``"99.6th"``, ``98`` -> ``"98th"``, ``92`` -> ``"92nd"``."""
    if q != int(q) or 10 <= int(q) % 100 <= 13:
        return f"{q:g}th"
    return f"{q:g}" + {1: "st", 2: "nd", 3: "rd"}.get(int(q) % 10, "th")


def _ashrae_pair(ashrae: dict | None, exceed_frac: float, basis: str) -> tuple[float, float] | None:
    """(design value, mean coincident value) [degC] of ``ashrae`` (a frame's
    ``attrs["ashrae_design"]``) at ``exceed_frac`` on ``basis``, or None when it does not hold them."""
    if not ashrae:
        return None
    tag = next((t for f, t in _ASHRAE_TAGS.items() if abs(exceed_frac - f) < 1e-9), None)
    if tag is None:
        return None
    k_design, k_coinc = (k.format(tag=tag) for k in _ASHRAE_KEYS[basis])
    try:
        return float(ashrae[k_design]), float(ashrae[k_coinc])
    except (KeyError, TypeError, ValueError):
        return None


def design_conditions(weather: pd.DataFrame, exceed_frac: float = 0.004, *, basis: str = "dry_bulb") -> dict:
    """Cooling design condition of a typical-year weather frame, ASHRAE-style.

    ``basis="dry_bulb"`` (the ASHRAE *cooling* condition, which governs dry coolers and
    air-cooled chillers): ``t_max_degc`` is the dry bulb exceeded in ``exceed_frac`` of the
    hours (0.4 % as in the ASHRAE design-condition tables) and ``wb_coincident_degc`` its
    mean coincident wet bulb. ``basis="wet_bulb"`` (the ASHRAE *evaporation* condition, which
    governs cooling towers and other evaporative heat rejection): ``wb_coincident_degc`` is the
    wet bulb exceeded in ``exceed_frac`` of the hours and ``t_max_degc`` its mean coincident dry
    bulb (Phoenix: 0.4 % WB 24.5 / MCDB 35.8 degC, against DB 43.4 / MCWB 21.1). Check both for
    a plant with both paths.

    Where the values come from (``source``):

    * a frame of a year (at least 8,760 hours) read from an EPW whose header has the DESIGN
      CONDITIONS line (``weather.attrs["ashrae_design"]``, :func:`dcplan.weather.load_weather`):
      ASHRAE's own values for that basis and exceedance, from the station's long-term record,
      the condition the plant's chillers are selected for
      (:func:`dcplan.thermal_plant_params.chiller_design_conditions`), so the design day and the
      plant agree (the header's 0.4, 1 and 2 %; another exceedance, the typical year's
      percentile below);
    * otherwise the typical year's own: the value exceeded in ``exceed_frac`` of its hours (its
      99.6th percentile at 0.4 %) and the mean coincident value of the hours within 1 K of it.
      A typical year leaves out extremes, so this reads lower than ASHRAE's (Phoenix 42.8
      against 43.4 degC, Chicago 32.2 against 33.3), by about a kelvin.

    ``daily_range_k``: ASHRAE's mean daily dry-bulb range of the hottest month from the header
    when the frame carries it (whatever the exceedance), else the typical year's mean daily range
    of its warmest month (days and months from interval starts). A frame whose temperatures were
    changed keeps the file's header values, as the plant's selection does: give a frame without
    ``attrs["ashrae_design"]`` for a design day of the changed climate. Also returns
    ``pressure_pa`` (mean station pressure, if present) and ``tz`` (the frame's local standard
    time as a fixed-offset zone, :func:`_standard_time_tz`); the dict feeds
    :func:`design_day` as keywords.

    Returns
    -------
    dict
        ``t_max_degc``, ``wb_coincident_degc`` [degC], ``daily_range_k`` [K], ``pressure_pa``
        [Pa], ``tz`` and ``source``: ``"ASHRAE 0.4 % (<header source>)"`` (as the chillers'
        ``chiller_design_*_basis`` names it) or ``"typical-year 99.6th percentile"`` (with the
        exceedance's percentile; a frame shorter than a year says ``"99.6th percentile of the
        frame's <n> hours"``), with what else came from the header.
    """
    from ._ts import interval_start
    for col in ("temp_air", "temp_wet_bulb_degc"):
        if col not in weather.columns:
            raise InputError(f"missing column {col!r}", field="weather")
    if not 0 < exceed_frac < 0.5:
        raise InputError(f"must be in (0, 0.5), got {exceed_frac}", field="exceed_frac")
    if basis not in ("dry_bulb", "wet_bulb"):
        raise InputError(f"unknown basis {basis!r}; allowed: dry_bulb, wet_bulb", field="basis")
    t = weather["temp_air"]
    year = len(weather) >= _YEAR_H
    ashrae = getattr(weather, "attrs", {}).get("ashrae_design") if year else None
    pct = f"{exceed_frac * 100:g} %"
    header = f"({ashrae.get('source', 'EPW header')})" if ashrae else ""
    pair = _ashrae_pair(ashrae, exceed_frac, basis)
    if pair is not None:
        design, coincident = pair
        t_max, wb = (design, coincident) if basis == "dry_bulb" else (coincident, design)
        source = f"ASHRAE {pct} {header}"
    else:
        q = _ordinal(round(100.0 * (1.0 - exceed_frac), 6))
        source = f"typical-year {q} percentile" if year else f"{q} percentile of the frame's {len(weather)} hours"
        if basis == "dry_bulb":
            t_max = float(np.quantile(t.to_numpy(), 1.0 - exceed_frac))
            wb = float(weather.loc[(t - t_max).abs() <= 1.0, "temp_wet_bulb_degc"].mean())
        else:
            w = weather["temp_wet_bulb_degc"]
            wb = float(np.quantile(w.to_numpy(), 1.0 - exceed_frac))
            t_max = float(t[(w - wb).abs() <= 1.0].mean())
    rng_header = ashrae.get("hottest_month_db_range_k") if ashrae else None
    if rng_header is not None:
        daily_range = float(rng_header)
        if pair is None:
            source += f" (the frame's ASHRAE header values hold no {pct}); hottest-month daily range ASHRAE {header}"
    else:
        start = interval_start(weather.index)
        by_day = t.groupby(start.normalize())
        rng = by_day.max() - by_day.min()
        month = t.groupby(start.month).mean().idxmax()
        daily_range = float(rng[rng.index.month == month].mean())
        if pair is not None:
            source += "; daily range of the typical year's warmest month"
    p = float(weather["pressure"].mean()) if "pressure" in weather.columns else 101_325.0
    return {"t_max_degc": float(t_max), "wb_coincident_degc": float(wb), "daily_range_k": daily_range,
            "pressure_pa": p, "tz": _standard_time_tz(weather.index), "source": source}


def _standard_time_tz(index: pd.DatetimeIndex) -> str:
    """The fixed-offset zone of ``index``'s local *standard* time (its smallest UTC offset over the
    frame: daylight saving only adds), as :func:`design_day` asks: ASHRAE's daily temperature
    profile peaks at 15:00 local standard time (16:00 on a summer clock). ``"Etc/GMT+6"`` for
    America/Chicago (POSIX signs), ``"UTC"`` for UTC or a naive index; a zone whose standard time is
    not a whole hour from UTC keeps its own name (its summer hours then read on its clock)."""
    tz = index.tz
    if tz is None:
        return "UTC"
    off = (index.tz_localize(None) - index.tz_convert("UTC").tz_localize(None)).min()
    hours = off / pd.Timedelta("1h")
    if hours != round(hours):
        return str(tz)
    h = int(round(hours))
    return "UTC" if h == 0 else f"Etc/GMT{'+' if h < 0 else '-'}{abs(h)}"


def _year_selection(weather: pd.DataFrame, cooling) -> dict:
    """The chillers' design condition of the year ``weather`` (as overrides of
    :func:`dcplan.thermal_plant.plant_hourly`), so both design days run the plant selected for
    the year: a day's own hottest hour would size the chiller and tower of the day it does not
    govern (the dry-bulb day's coincident wet bulb) to that day."""
    from .thermal_plant_params import chiller_design_conditions
    sel = chiller_design_conditions(weather, cooling)
    return {k: sel[k] for k in ("chiller_design_db_degc", "chiller_design_wb_degc") if sel.get(k) is not None}


def design_hour_pue(design_it_kw: float, weather: pd.DataFrame, cooling=None, *, electrical_chain=None) -> dict:
    """The plant's PUE in its design hour: full design IT on the site's design days, and
    whether the plant carries that IT there.

    Both design days of ``weather`` (:func:`design_conditions`, dry bulb and evaporation
    wet bulb; each governs a different kind of heat rejection) are run through
    :func:`dcplan.thermal_plant.plant_hourly` at a constant ``design_it_kw``, on the plant
    selected for the year (:func:`dcplan.thermal_plant_params.chiller_design_conditions` of
    ``weather``); the design hour is the hour of highest PUE (of hours tied at it, the hottest on
    the day's basis: the design condition's own hour). This is the figure a site's stated
    ``cooling.design_pue`` (the PUE its planners sized the connection with) is checked
    against.

    A plant short of capacity in an hour (``derate_kw > 0``) removes only the heat it can:
    its chiller, tower and water figures are those of the heat removed, while ``it_kw`` and
    ``facility_kw`` stay the unthrottled demand (:mod:`dcplan.thermal_plant_loop`, "hours short
    of capacity"). Such an hour's PUE is not the PUE of a plant that carries the design IT (it
    is lower than that plant's would be), so the result says whether the plant is short on
    either design day (``short``) and by how much: quote ``pue`` as the design-hour PUE only
    when ``short`` is False.

    ``electrical_chain`` is the transformer/UPS/PDU chain of the losses (a site's
    ``electrical.stages()``, as :func:`dcplan.pipeline.run_site_year` runs it); default
    :data:`dcplan.power.DEFAULT_CHAIN`.

    Returns
    -------
    dict
        ``pue`` (design-hour PUE), ``basis`` (``"dry_bulb"`` or ``"wet_bulb"``, the day it
        falls on), ``hour_ending`` (1-24, on the design day), ``facility_kw`` [kW] (of that
        hour), ``derate_kw`` (IT heat the plant cannot remove in that hour) [kW],
        ``max_derate_kw`` (the largest such shortfall in any hour of the two design days) [kW],
        ``min_capacity_kw`` (the lowest ``capacity_it_kw`` of those hours: the IT the plant can
        carry on its design days) [kW], ``short`` (``max_derate_kw > 0``: the plant cannot
        carry the full design IT on its design days) and ``chiller_cop_at_cap`` (a chiller runs at
        the COP cap ``chiller_cop_max``, an estimate, in the design hour: its PUE rests on it).
    """
    from .thermal_plant import plant_hourly
    if not (isinstance(design_it_kw, (int, float, np.integer, np.floating)) and design_it_kw > 0):
        raise InputError(f"must be a number of kW > 0, got {design_it_kw!r}", field="design_it_kw")
    best = None
    max_derate, min_cap = 0.0, np.inf
    selected = _year_selection(weather, cooling)
    for basis in ("dry_bulb", "wet_bulb"):
        day = design_day(**design_conditions(weather, basis=basis))
        h = plant_hourly(float(design_it_kw), day, cooling, design_it_kw=float(design_it_kw),
                         electrical_chain=electrical_chain, **selected)
        # hours tied at the highest PUE (a plant all-mechanical at its COP cap holds one PUE through the
        # afternoon): the hottest of them on the day's basis, the design condition's own hour, not the
        # first (Phoenix's label named hour 10:00, 38.8 degC, beside the 43.4 degC design dry bulb)
        pue = h["pue"].to_numpy()
        tied = np.flatnonzero(pue >= pue.max() - 1e-9)
        hot = day["temp_air" if basis == "dry_bulb" else "temp_wet_bulb_degc"].to_numpy()[tied]
        i = int(tied[np.argmax(hot)])
        max_derate = max(max_derate, float(h["derate_kw"].max()))
        min_cap = min(min_cap, float(h["capacity_it_kw"].min()))
        if best is None or h["pue"].iloc[i] > best["pue"]:
            best = {"pue": float(h["pue"].iloc[i]), "basis": basis, "hour_ending": i + 1,
                    "facility_kw": float(h["facility_kw"].iloc[i]), "derate_kw": float(h["derate_kw"].iloc[i]),
                    "chiller_cop_at_cap": bool(h["chiller_cop_at_cap"].iloc[i])}
    # (the threshold of dcplan.thermal_plant.derate_hours)
    best.update(max_derate_kw=max_derate, min_capacity_kw=min_cap, short=bool(max_derate > 1e-9))
    return best


def governing_design_day(it_kw: float, weather: pd.DataFrame, cooling=None, *, electrical_chain=None) -> dict:
    """The design day that leaves a plant the least IT capacity, with both days' runs.

    Both design days of ``weather`` (:func:`design_conditions`: the 0.4 % dry bulb with its
    coincident wet bulb, which governs dry coolers and air-cooled chillers; the 0.4 %
    evaporation wet bulb with its coincident dry bulb, which governs cooling towers) are run
    through :func:`dcplan.thermal_plant.plant_hourly` at a constant ``it_kw``. The governing
    day is the one whose lowest hourly ``capacity_it_kw`` is lower (the dry-bulb day on a tie
    within 1e-6 of ``it_kw``). ``electrical_chain``: the losses' chain, as in :func:`design_hour_pue`.

    Returns
    -------
    dict
        ``basis`` (``"dry_bulb"`` or ``"wet_bulb"``, the governing day), ``tie`` (both days
        leave the same lowest capacity), and per basis: ``conditions`` (of
        :func:`design_conditions`), ``day`` (the design-day weather), ``plant`` (the hourly
        plant frame) and ``min_capacity_kw`` [kW].
    """
    from .thermal_plant import plant_hourly
    if not (isinstance(it_kw, (int, float, np.integer, np.floating)) and not isinstance(it_kw, bool) and it_kw > 0):
        raise InputError(f"must be a number of kW > 0, got {it_kw!r}", field="it_kw")
    out = {"conditions": {}, "day": {}, "plant": {}, "min_capacity_kw": {}}
    selected = _year_selection(weather, cooling)
    for basis in ("dry_bulb", "wet_bulb"):
        c = design_conditions(weather, basis=basis)
        d = design_day(**c)
        h = plant_hourly(float(it_kw), d, cooling, electrical_chain=electrical_chain, **selected)
        out["conditions"][basis], out["day"][basis], out["plant"][basis] = c, d, h
        out["min_capacity_kw"][basis] = float(h["capacity_it_kw"].min())
    low = out["min_capacity_kw"]
    out["tie"] = abs(low["dry_bulb"] - low["wet_bulb"]) <= 1e-6 * float(it_kw)
    out["basis"] = "dry_bulb" if out["tie"] or low["dry_bulb"] <= low["wet_bulb"] else "wet_bulb"
    return out
