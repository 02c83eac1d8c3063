"""Checks at the Python entry points a library user calls directly (not through a site file
or ``dcplan render``), so a wrong argument is an :class:`~dcplan.errors.InputError` naming the
argument, what was given and what is wanted, not a raw Python error or a silently wrong figure.

* :func:`need_site`: ``site`` must be a :class:`dcplan.site.Site` (``run_site_year("phoenix-az")``
  said ``'str' object has no attribute 'cooling'``).
* :func:`weather_for_site`: a weather frame passed to :func:`dcplan.pipeline.run_site_year` is put on
  the site's clock (converted to ``site.timezone``, a whole typical year kept on the civil calendar
  year as :func:`dcplan.pipeline.site_weather` gives it) and its station (``attrs``, when the frame
  carries them) is checked against the site as :func:`dcplan.pipeline.site_weather` checks the
  site's own file (:func:`dcplan.site.station_problems`). Chicago's weather passed for Phoenix billed
  3,136,428 USD instead of 2,976,045; Phoenix's own weather converted to UTC moved the bill -4.35 %.
  A frame of another year than the site's ``weather.year`` is refused: it billed that year's calendar. So is a
  frame whose labels mark other instants than dcplan's interval ends: hours labelled at their start (pvlib's
  ``read_epw``; raw NSRDB/PSM3 and PVGIS frames), told by the sun (:func:`_check_timing`), and hours stamped at
  their middle (hh:30, :func:`_check_half_past`); a whole year of either, in UTC or a fixed offset, was wrapped
  onto the site's year an hour early, in silence. Labels on the hour on one clock and at half past on another
  (a site at UTC+5:30 and a frame in UTC) are judged by the sun within a quarter hour
  (:data:`HALF_HOUR_MAX_H`). A frame finer than hourly is averaged to the site's hours (:func:`_hourly`,
  :mod:`dcplan.weather_hourly`), with a DcplanWarning.
* :func:`station_distance_warning_text`: the text of :func:`dcplan.solar.pv_ac_kw`'s warning when its
  ``latitude``/``longitude`` are far from the station the weather frame's ``attrs`` name (a
  longitude of the wrong sign: 158,620 kWh a year instead of 1,731,720 for a Phoenix array).
"""
from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import pandas as pd

from .errors import InputError

__all__ = ["need_site", "weather_for_site", "station_distance_warning_text", "given"]


def given(value) -> str:
    """``value`` as an error names it: its type and a short repr (``str 'phoenix-az'``)."""
    if isinstance(value, pd.DataFrame):  # (its repr is a table)
        return f"DataFrame of {value.shape[0]:,} rows, columns {[str(c) for c in value.columns[:5]]}"
    text = repr(value) if not isinstance(value, (pd.Series, pd.Index)) else f"of {len(value):,} rows"
    return f"{type(value).__name__} {text if len(text) <= 60 else text[:57] + '...'}"


def need_site(site, arg: str = "site"):
    """``site`` when it is a :class:`dcplan.site.Site`; else an InputError saying how to get one."""
    from .site import Site
    if not isinstance(site, Site):
        hint = f" (load_site({site!r}))" if isinstance(site, (str, Path)) else ""
        raise InputError(f"need a dcplan.site.Site (from dcplan.site.load_site(name or path)), got {given(site)}"
                         f"{hint}", field=arg)
    return site


def _frame_name(weather: pd.DataFrame) -> str:
    src = weather.attrs.get("source")
    return f"the weather frame passed (weather=, read from {Path(str(src)).name})" if src else \
        "the weather frame passed (weather=)"


def weather_for_site(site, weather) -> pd.DataFrame:
    """``weather`` (a frame passed for ``site``) checked against the site and on its clock.

    Refused (InputError on ``weather``): not a DataFrame, an index that is not a tz-aware
    DatetimeIndex, or a station (``attrs`` ``latitude``/``longitude``, ``utc_offset_h``,
    ``altitude_m`` as :func:`dcplan.weather.load_weather` sets them) that
    :func:`dcplan.site.station_problems` refuses for the site (farther than
    :data:`dcplan.site.MAX_STATION_DISTANCE_KM`, another standard time, another height). A frame
    without those ``attrs`` is not checked (nothing to compare). Converted: a frame in another zone
    than ``site.timezone`` (UTC, the file's standard time) is converted to it, since a tariff's TOU
    hours and billing months are the site's clock hours; a whole hourly typical year (8,760 or
    8,784 hours one hour apart, with or without the index's ``freq``) keeps the civil calendar year as
    :func:`dcplan.weather.load_weather` does with ``tz`` (the hours of the offset wrap from one end of the year to
    the other), so it is the frame :func:`dcplan.pipeline.site_weather` gives. Refused (InputError on
    ``weather.year``) when then its first interval does not start in the site's ``weather.year``
    (``load_weather(..., year=2024)`` for a site of 2025 billed 2024's calendar, 8,784 hours, in silence); when the
    frame's first label is 00:00 on 1 January of ``weather.year`` (on its own clock, the site's or UTC) the message
    says the frame looks labelled at the start of each interval, as raw NSRDB/PSM3 frames are, or, when it is on a
    clock ahead of the site's, that on the site's clock it begins in the year before however it is labelled
    (:func:`_interval_start_hint`), not that the site's ``weather.year`` is wrong. Refused (InputError on
    ``weather.index``): an hourly frame labelled past the hour on its own clock, the site's and UTC
    (:func:`_check_half_past`), one whose irradiance centres more than half an hour from solar noon at the
    instants its labels give (:func:`_check_timing`), or more than a quarter hour for labels on the hour on one
    of those clocks and at half past on another, each saying the shift that puts it right. A frame finer than
    hourly is first made hourly on the site's clock (:func:`_hourly`: each hour's mean, the wet bulb recomputed;
    its labels as ``attrs['interval_labels']`` says, else dcplan's interval ends), with a DcplanWarning; an hour
    with an interval missing is refused naming it.
    """
    if not isinstance(weather, pd.DataFrame):
        raise InputError("need an hourly weather DataFrame (dcplan.pipeline.site_weather(site) or "
                         f"dcplan.weather.load_site_weather(site, site.timezone)), got {given(weather)}",
                         field="weather")
    idx = weather.index
    if not isinstance(idx, pd.DatetimeIndex) or idx.tz is None:
        raise InputError(f"need a tz-aware DatetimeIndex, got {type(idx).__name__} (tz="
                         f"{getattr(idx, 'tz', None)})", field="weather.index")
    attrs = weather.attrs or {}
    if "latitude" in attrs and "longitude" in attrs:
        from .site import station_problems
        problems = station_problems(site, attrs)
        if problems:
            field, msg = problems[0]
            msg = msg.replace(f"its weather file {site.weather_path.name}", _frame_name(weather))
            said = "" if field == "weather.file" else f" (site field {field!r})"
            raise InputError(f"{msg}{said}; pass the site's own weather, "
                             "dcplan.pipeline.site_weather(site)", file=site.source_file or None, field="weather")
    weather = _hourly(site, weather)
    attrs = weather.attrs or {}
    half_hour = _check_half_past(site, weather)
    out = _on_site_clock(site, weather, attrs)
    _check_timing(site, weather, half_hour)
    return out


def _on_site_clock(site, weather: pd.DataFrame, attrs: dict) -> pd.DataFrame:
    """``weather`` on ``site.timezone``, a whole hourly year wrapped onto the civil year, its year checked
    (:func:`weather_for_site`)."""
    idx = weather.index
    if str(idx.tz) == str(site.timezone):
        return _check_year(site, weather, idx[0] if len(idx) else None)
    out = weather.tz_convert(site.timezone)
    # a whole hourly year, its freq set or not (a frame read back from a CSV or parquet file has none): a UTC year
    # on Phoenix's clock started 2024-12-31 17:00 and was refused as weather of 2024 (_check_year)
    hour = pd.Timedelta("1h")
    hourly = idx.freq == hour if idx.freq is not None else bool((idx[1:] - idx[:-1] == hour).all())
    if len(idx) in (8760, 8784) and hourly:
        from .weather import _civil_year
        year = int(out.index[len(out) // 2].year)
        shifted, shift_h = _civil_year(out, year)
        shifted.attrs = {**attrs, "civil_shift_h": attrs.get("civil_shift_h", 0) + shift_h}
        return _check_year(site, shifted, idx[0])
    return _check_year(site, out, idx[0] if len(idx) else None)


#: What a sub-hourly frame's labels mark, when its ``attrs`` say (:func:`_hourly`): ``"end"`` (dcplan's: each row the
#: mean of the interval ending at its label), ``"start"``, or ``"instant"`` (raw NSRDB/PSM3 frames from pvlib).
LABELS_ATTR = "interval_labels"


def _hourly(site, weather: pd.DataFrame) -> pd.DataFrame:
    """``weather`` itself when hourly or coarser; a frame finer than hourly as each hour's mean
    (:func:`dcplan.weather_hourly.hourly_means`: irradiance, temperatures, humidity, pressure and wind the hour's
    means, the hour's irradiation kept; the wet bulb recomputed from the hour's mean air), the hours made on the
    site's clock (a frame in UTC for a site at UTC+5:30 makes the site's hours), with a
    :class:`~dcplan.errors.DcplanWarning` and ``attrs['resampled_note']`` saying so. It was refused ("average it to
    hourly means"); the plant had refused it with "need hourly weather, got a 1800 s step".

    What a row's label marks is ``attrs['interval_labels']`` (:data:`LABELS_ATTR`) when the frame says, else
    dcplan's (each row the mean of the interval ending at its label). A frame that does not say and whose
    irradiance, so read, centres more than a quarter of its step before solar noon (over :data:`MIN_TIMING_DAYS`)
    looks labelled at each interval's start or instant, as raw NSRDB/PSM3 frames are (their rows at Minute 0 and
    30 are the values at those instants): refused (InputError on ``weather.index``), saying to name its labels,
    since averaged as dcplan's each hour would centre that much late. Missing intervals are refused naming the hour
    (:func:`dcplan.weather_hourly.hourly_means`)."""
    import warnings

    from .errors import DcplanWarning, user_stacklevel
    from .weather_hourly import LABELS, hourly_means, step_minutes
    step_min = step_minutes(weather.index)
    if step_min is None:
        return weather
    attrs = weather.attrs or {}
    labels = attrs.get(LABELS_ATTR)
    if labels is None:
        labels = "end"
        _check_subhourly_labels(site, weather, step_min)
    elif labels not in LABELS:
        raise InputError(f"{_frame_name(weather)}: attrs[{LABELS_ATTR!r}] is {labels!r}; allowed: "
                         f"{', '.join(map(repr, LABELS))}", file=site.source_file or None, field="weather.attrs")
    name = _frame_name(weather)
    hourly = hourly_means(weather, labels, tz=site.timezone, name=name, file=site.source_file or None)
    hourly = hourly.tz_convert(weather.index.tz)  # its own clock again: a whole year is wrapped as an hourly one is
    warnings.warn(f"{name}: {hourly.attrs['resampled_note']}; dcplan's chain runs on hourly weather",
                  DcplanWarning, stacklevel=user_stacklevel())
    return hourly


def _check_subhourly_labels(site, weather: pd.DataFrame, step_min: float) -> None:
    """Refuse a sub-hourly frame that names no labels and whose irradiance, read as dcplan's (each row the interval
    ending at its label), centres more than a quarter step before solar noon, and more than weather alone moves a
    correctly labelled frame (:data:`SUBHOURLY_WEATHER_EARLY_H` x sqrt(365 / days of sun)): it looks labelled at
    each interval's start or instant (:func:`_hourly`).

    A quarter step alone (0.125 h for 30-minute rows, 0.02 h for 5-minute ones) refused correct frames: a year of
    the bundled 12839.tm2 as 15-minute means centres 0.075 h early (afternoon clouds), past 15-minute rows' 0.0625 h.
    The price: a frame labelled at its starts whose clouds pull it late by as much is let through, its hours then
    centred half a step late (at most 0.25 h for 30-minute rows, within the hourly check's 0.5 h); whole years of
    raw 30-minute NSRDB samples (0.25 h early, with weather's +-0.075 h) are still refused."""
    from .weather_timing import frame_irradiance_offset_h
    if "ghi" not in weather.columns or (weather.index[-1] - weather.index[0]) < pd.Timedelta(days=MIN_TIMING_DAYS):
        return
    lon = _longitude(site, weather)
    off, days = frame_irradiance_offset_h(weather.index, pd.to_numeric(weather["ghi"], errors="coerce"), lon)
    step_h = step_min / 60.0
    early_h = max(step_h / 4, SUBHOURLY_WEATHER_EARLY_H * math.sqrt(365.0 / max(days, 1)))
    if not (math.isfinite(off) and -step_h / 2 - 0.25 <= off < -early_h):
        return  # dcplan's labels (within what weather moves them), or farther off: the hourly timing check names it
    raise InputError(f"{_frame_name(weather)} has a row every {step_min:g} minutes and names no labels; read as "
                     f"dcplan's (each row the mean of the interval ending at its label) its irradiance centres "
                     f"{abs(off):.2f} h before solar noon over its {days} days of sun (more than a quarter of its "
                     f"step and than weather alone moves it, {early_h:.2f} h; half its step, {step_h / 2:g} h, for "
                     "rows labelled at their interval's start or instant), so it "
                     "looks labelled at each interval's start or instant, as raw NSRDB/PSM3 frames are (pvlib's "
                     "read_nsrdb_psm4: the values at Minute 0 and 30). Each hour averaged as dcplan's would centre "
                     f"{abs(off):.2f} h late; allowed: a frame that says what its labels mark: "
                     f"weather.attrs[{LABELS_ATTR!r}] = 'instant' (values at their instants: each hour the trapezoid "
                     "mean of its samples), 'start' (each row the mean of the interval from its label) or 'end' "
                     "(dcplan's)", file=site.source_file or None, field="weather.index")


def _longitude(site, weather: pd.DataFrame) -> float:
    """The station's longitude from the frame's ``attrs``, else the site's [deg]."""
    lon = (weather.attrs or {}).get("longitude", float("nan"))
    return float(lon) if isinstance(lon, (int, float)) and math.isfinite(lon) else float(site.longitude)


def _check_half_past(site, weather: pd.DataFrame) -> str | None:
    """Refuse (InputError on ``weather.index``) an hourly frame whose labels are not on the hour on any of its own
    clock, the site's and UTC: labels at hh:30 (pvlib's ``read_nsrdb_psm4`` of an hourly NSRDB file, whose rows
    are stamped at Minute 30, the middle of each hour) were wrapped onto the civil year at half past, every
    tariff hour and PV hour then half an hour off the hours the file means.

    Labels on the hour on some of those clocks and at half past on others (a zone half an hour off UTC or the
    frame's: India, UTC+5:30; Newfoundland; central Australia) cannot be told by their stamps: hh:30 UTC is both
    the end of an hour on the site's clock at UTC+5:30 and the middle of a UTC hour, as the NSRDB stamps its rows.
    Such a frame is judged on the site's clock by the sun (:func:`_check_timing`, within :data:`HALF_HOUR_MAX_H`);
    returned is what to say of its clocks (else None). A frame of a station whose zone is half an hour off the
    site's (:func:`dcplan.weather._civil_year` keeps its hours at half past) is one of these."""
    idx = weather.index
    if len(idx) < 2 or (idx[1] - idx[0]) % pd.Timedelta("1h") != pd.Timedelta(0):
        return None  # finer than hourly (averaged first) or irregular: not this check's
    first = idx[0]
    clocks = {str(z): first.tz_convert(z) for z in (idx.tz, site.timezone, "UTC")}
    on = [z for z, t in clocks.items() if t.minute == 0 and t.second == 0]
    if len(on) == len(clocks):
        return None
    if on:
        off = [z for z in clocks if z not in on]
        return (f"its labels are on the hour on {' and '.join(on)} but at {clocks[off[0]].minute} min past on "
                f"{' and '.join(off)}")
    to_next = pd.Timedelta("1h") - pd.Timedelta(minutes=first.minute, seconds=first.second)
    shift = f"{to_next / pd.Timedelta('1min'):g}min"
    raise InputError(f"{_frame_name(weather)} labels its hours {first.minute} min past the hour (first label "
                     f"{first.isoformat()}), on its own clock and the site's ({site.timezone}), whose tariff and PV "
                     "hours start on the hour: it looks stamped at each hour's middle, as NSRDB rows are (Minute 30; "
                     "pvlib.iotools.read_nsrdb_psm4 gives them so), but dcplan labels each hour at its end; allowed: "
                     "labels on the hour. Shift its index to the hour's end (weather.index + "
                     f"pd.Timedelta('{shift}') for stamps at the middle), or load the file through "
                     "dcplan.weather.load_weather, which labels it so", file=site.source_file or None,
                     field="weather.index")


#: Largest |offset| of the irradiance from solar noon a frame whose labels are on the hour on one clock and at half
#: past on another passes (:func:`_check_half_past`): a quarter hour, halfway between labels at the hours' ends
#: (within 0.1 h, dcplan.weather_timing) and stamps at their middles (half an hour before), which the 0.5 h of
#: :data:`dcplan.weather_timing.MAX_OFFSET_H` let through (a UTC frame of NSRDB's mid-hour stamps at a
#: UTC+5:30 site centred 0.49 h early, on the hour on the site's clock). A dcplan estimate. [h]
HALF_HOUR_MAX_H = 0.25


#: How far before solar noon weather alone may centre a correctly labelled frame's irradiance over a year of sun
#: (afternoon clouds pull it early): the bundled files' whole years centre up to 0.075 h early (12839.tm2, -4.5 min;
#: Chicago -2.0, Dulles -1.4 min) and their 28-day windows up to 0.23 h (12839.tm2's May, -13.7 min; a review,
#: 2026-12). :func:`_check_subhourly_labels` scales it by sqrt(365 / days of sun) (a mean of fewer days' clouds:
#: 0.36 h over 28 days) and refuses only a frame farther early than this and than a quarter of its step. A dcplan
#: estimate. [h]
SUBHOURLY_WEATHER_EARLY_H = 0.1


#: Shortest frame whose irradiance timing is checked: a month. A week of the bundled Chicago year already centres
#: 0.48 h from solar noon (clear mornings, cloudy afternoons), at the 0.5 h limit; its 30-day windows stay within
#: 0.16 h (a review, 2026-12). A dcplan estimate. [days]
MIN_TIMING_DAYS = 28


def _check_timing(site, weather: pd.DataFrame, half_hour: str | None = None) -> None:
    """Refuse (InputError on ``weather.index``) a frame whose irradiance centres more than
    :data:`dcplan.weather_timing.MAX_OFFSET_H` from solar noon at the instants its labels give (each row the
    interval ending at its label: :func:`dcplan.weather_timing.frame_irradiance_offset_h`, at the station's
    longitude in ``attrs``, else the site's), over :data:`MIN_TIMING_DAYS` or more. A whole hourly year in UTC
    labelled at the start of each hour (``read_epw``, raw NSRDB/PSM3 and PVGIS frames from pvlib) was converted
    and wrapped onto the site's year an hour early, in silence: every hour's sun, PV and tariff period then met the weather of the
    next. A frame read by :func:`dcplan.weather.load_weather` whose own file centres there (its ``attrs``
    ``irradiance_offset_h``, within a quarter hour) is the file's, which ``dcplan validate`` warns of and
    :func:`dcplan.pipeline.site_weather` reads as it is: accepted as that does. ``half_hour``: what
    :func:`_check_half_past` says of a frame on the hour on one clock and at half past on another, judged within
    :data:`HALF_HOUR_MAX_H` instead, and told the half hour's shift."""
    from .weather_timing import MAX_OFFSET_H, frame_irradiance_offset_h
    if "ghi" not in weather.columns or len(weather) < 2:
        return
    idx = weather.index
    if (idx[-1] - idx[0]) < pd.Timedelta(days=MIN_TIMING_DAYS):
        return  # too short for the sun to say (clouds)
    attrs = weather.attrs or {}
    lon = _longitude(site, weather)
    ghi = pd.to_numeric(weather["ghi"], errors="coerce").to_numpy(dtype=float)
    off, days = frame_irradiance_offset_h(idx, ghi, lon)
    limit = HALF_HOUR_MAX_H if half_hour else MAX_OFFSET_H
    if not math.isfinite(off) or abs(off) <= limit:
        return
    own = attrs.get("irradiance_offset_h")
    if isinstance(own, (int, float)) and math.isfinite(own) and abs(off - float(own)) <= 0.25:
        return  # the file's own timing, as site_weather reads it (dcplan validate warns of it)
    if half_hour and abs(off) <= MAX_OFFSET_H + 0.25:
        half = -0.5 if off > 0 else 0.5
        raise InputError(f"{_frame_name(weather)}: {half_hour}, so its stamps could be the ends of hours on one "
                         "clock or the middles of hours on another (as the NSRDB stamps its rows, Minute 30); its "
                         f"irradiance centres {abs(off):.2f} h {'after' if off > 0 else 'before'} solar noon at the "
                         f"instants its labels give (the GHI-weighted mean time of day over its {days} days of sun, "
                         f"each row the interval ending at its label, at longitude {lon:g}; allowed: within "
                         f"{HALF_HOUR_MAX_H:g} h for labels on the hour on one clock and half past on another, a "
                         "frame whose hours are right is within 0.1 h, dcplan.weather_timing): its stamps look to be "
                         f"the middles of its hours. Shift its index by {half * 60:+.0f} min (weather.index + "
                         f"pd.Timedelta('{half * 60:.0f}min')), which puts each hour's end at its label: every "
                         "instant kept, the hours then ending at half past on the other clock, as "
                         "dcplan.weather.load_weather keeps a station's hours in a zone half an hour off its own",
                         file=site.source_file or None, field="weather.index")
    whole = round(off)
    when = "after" if off > 0 else "before"
    if (summer := _summer_only_offset_h(site, idx, ghi, lon)) is not None:
        why, whole = (f"its hours of summer time centre {abs(summer):.2f} h {'after' if summer > 0 else 'before'} "
                      "solar noon and its others within half an hour: its values look to be on standard time (a "
                      "weather file's clock) under labels on the site's civil clock, which moves with summer time "
                      f"({site.timezone}); put them on their instants (tz_localize the standard-time offset, then "
                      "tz_convert)"), 0
    elif whole == -1:
        why = ("it looks labelled at the start of each hour (as pvlib.iotools.read_epw and raw NSRDB/PSM3 and "
               "PVGIS frames are), but dcplan labels each interval at its end (01:00 for the first hour of a year)")
    elif whole != 0:
        why = f"its labels look to be on a clock {abs(whole)} h off the zone they carry (e.g. local times marked UTC)"
    else:
        why = "its hours do not match the sun at the station's longitude"
    fix = (f"; shift its index by {-whole:+d} h (weather.index + pd.Timedelta('{-whole}h'))" if whole != 0 else "")
    raise InputError(f"{_frame_name(weather)}: its irradiance centres {abs(off):.2f} h {when} solar noon at the "
                     f"instants its labels give (the GHI-weighted mean time of day over its {days} days of sun, each "
                     f"row the interval ending at its label, at longitude {lon:g}; allowed: within {MAX_OFFSET_H:g} h, "
                     f"a frame whose hours are right is within 0.1 h, dcplan.weather_timing): {why}{fix}, or load the "
                     "file through dcplan.weather.load_weather", file=site.source_file or None, field="weather.index")


def _summer_only_offset_h(site, idx: pd.DatetimeIndex, ghi, lon: float) -> float | None:
    """Where the irradiance of the frame's hours of summer time on the site's clock centres [h] from solar noon,
    when those hours are more than :data:`dcplan.weather_timing.MAX_OFFSET_H` off and the others within it (a
    standard-time year under civil labels: its summer hours an hour early); else None."""
    from .weather_timing import MAX_OFFSET_H, frame_irradiance_offset_h
    local = idx.tz_convert(site.timezone)
    offset_h = np.asarray((local.tz_localize(None) - idx.tz_convert("UTC").tz_localize(None)) / pd.Timedelta("1h"))
    summer = offset_h > offset_h.min()
    if summer.sum() < 7 * 24 or (~summer).sum() < 7 * 24:
        return None
    in_summer, _ = frame_irradiance_offset_h(idx[summer], ghi[summer], lon)
    in_winter, _ = frame_irradiance_offset_h(idx[~summer], ghi[~summer], lon)
    if math.isfinite(in_summer) and math.isfinite(in_winter) and abs(in_winter) <= MAX_OFFSET_H < abs(in_summer):
        return in_summer
    return None


def _check_year(site, weather: pd.DataFrame, given_first: pd.Timestamp | None = None) -> pd.DataFrame:
    """``weather`` (on the site's clock) when its first interval starts in the site's ``weather.year``; else an
    InputError on ``weather.year``. The year is the calendar the whole chain runs on: the bill's months, TOU
    weekdays and holidays, the hours of the year (8,784 in a leap year) and every note that names
    ``weather.year`` (site_tco's leap-year note); a frame of another year ran in silence on that year's
    calendar under the site's. No caller varies the year but through ``weather.year`` (a sweep's
    ``weather.year`` axis loads each case's weather for its own year: :mod:`dcplan.sweep_worker`).
    ``given_first``: the first label of the frame as passed (before any conversion), for
    :func:`_interval_start_hint`."""
    idx = weather.index
    if not len(idx):
        return weather
    step = idx.freq if idx.freq is not None else (idx[1] - idx[0] if len(idx) > 1 else pd.Timedelta(0))
    first = idx[0] - pd.Timedelta(step)  # interval-ending labels: the first interval's start
    want = int(site.weather.year)
    if first.year == want:
        return weather
    head = (f"{_frame_name(weather)} starts in {first.year} (its first interval begins {first:%Y-%m-%d %H:%M} "
            f"{site.timezone}), but the site's weather.year is {want}: the run would bill {first.year}'s calendar (its "
            f"weekdays, holidays and {len(idx):,} hours) as the site's {want}")
    if hint := _interval_start_hint(given_first, want, pd.Timedelta(step), site.timezone):
        raise InputError(f"{head}; {hint}", file=site.source_file or None, field="weather.year")
    update = f"site.model_copy(update={{'weather': site.weather.model_copy(update={{'year': {first.year}}})}})"
    raise InputError(f"{head}; pass weather of {want} (dcplan.pipeline.site_weather(site), or "
                     f"dcplan.weather.load_weather(..., year={want})), or set the site's weather.year to {first.year} "
                     f"({update})", file=site.source_file or None, field="weather.year")


def _interval_start_hint(label: pd.Timestamp | None, year: int, step: pd.Timedelta, site_tz) -> str:
    """What to say when a frame refused as the year before ``year`` (:func:`_check_year`) has its first label at
    00:00 on 1 January of ``year``, on its own clock, the site's (``site_tz``) or UTC, else ``""``.

    dcplan labels each interval at its end (STYLE.md: interval-ending averages; :func:`dcplan.weather.load_weather`
    puts a year's first hour at 01:00 on 1 January, as SAM reads an NSRDB file, "the first row is for the hour
    ending at 1 a.m."), so a frame labelled at the start of each interval, as raw NSRDB/PSM3 frames are (00:00 on
    1 January first, e.g. :func:`pvlib.iotools.read_nsrdb_psm4`'s), reads as beginning ``step`` earlier, in the
    year before: the fix is the labels, not the site's year. ``step``: the frame's interval. Unless the site's
    clock is behind the label's (a UTC frame at a US site): the frame then begins in the year before on the site's
    clock, the tariff's, however it is labelled, a shift by one interval does not move it into ``year``, and the
    hint says to pass weather of ``year`` on the site's clock instead.
    """
    if label is None:
        return ""
    zones = dict.fromkeys(z for z in (label.tz, site_tz, "UTC") if z is not None)
    on = next((z for z in zones if label == pd.Timestamp(year=year, month=1, day=1).tz_localize(z)), None)
    if on is None:
        return ""
    local = label.tz_convert(site_tz) if label.tz is not None else label
    if local.year != year:
        # on a clock behind the label's (a UTC frame at a US site) the frame begins in the year before whatever its
        # labels mark: one interval's shift still starts it there, and the site's weather.year is not what is wrong
        return (f"its first label is {year}-01-01 00:00 {on}, the start of {year} on that clock but "
                f"{local:%Y-%m-%d %H:%M} on the site's ({site_tz}), whose hours the tariff bills: on the site's clock "
                f"the frame begins in {local.year} whether its labels mark the start or the end of each interval, so "
                f"shifting it does not help; pass weather of {year} on the site's clock: "
                f"dcplan.pipeline.site_weather(site), or dcplan.weather.load_weather(..., year={year}, "
                f"tz='{site_tz}'), which puts a whole year on the site's civil year")
    minutes = step / pd.Timedelta("1min")
    interval = "1h" if minutes == 60 else f"{minutes:g}min"
    return (f"its first label is {year}-01-01 00:00 {on}, the start of {year}: the frame looks labelled at the start "
            "of each interval (as raw NSRDB/PSM3 frames are), but dcplan labels each interval at its end (01:00 for "
            f"the first hour of the year); shift its index by one interval (weather.index + "
            f"pd.Timedelta('{interval}')), or load the file through dcplan.weather.load_weather, which labels it so")


def station_distance_warning_text(weather: pd.DataFrame, latitude: float, longitude: float) -> str | None:
    """The warning :func:`dcplan.solar.pv_ac_kw` gives when ``latitude``/``longitude`` [deg] are
    farther than :data:`dcplan.site.MAX_STATION_DISTANCE_KM` from the station in the frame's
    ``attrs`` (the irradiance is the station's: its sun rises and sets at other hours), naming both
    positions and a sign or order slip where one brings them within it; None when near, or when the
    frame names no station."""
    from .site_station import MAX_STATION_DISTANCE_KM
    from .tz_places import distance_km
    attrs = getattr(weather, "attrs", None) or {}
    try:
        slat, slon = float(attrs["latitude"]), float(attrs["longitude"])
    except (KeyError, TypeError, ValueError):
        return None
    if not (math.isfinite(slat) and math.isfinite(slon)):
        return None
    d = distance_km(latitude, longitude, slat, slon)
    if not d > MAX_STATION_DISTANCE_KM:
        return None
    near = lambda a, b: distance_km(a, b, slat, slon) <= MAX_STATION_DISTANCE_KM  # noqa: E731
    hint = ("; is the sign of the longitude wrong? Longitude is degrees east: west is negative"
            if near(latitude, -longitude)
            else "; is the sign of the latitude wrong? South is negative" if near(-latitude, longitude)
            else "; are latitude and longitude swapped?" if abs(longitude) <= 90 and near(longitude, latitude)
            else "; use weather from a station near the array")
    src = attrs.get("source")
    where = f" ({Path(str(src)).name})" if src else ""
    return (f"the array's position ({latitude:g}, {longitude:g}) is {d:,.0f} km from the station of the weather "
            f"frame{where} ({slat:g}, {slon:g}, its attrs latitude/longitude); allowed: at most "
            f"{MAX_STATION_DISTANCE_KM:,.0f} km, the sun's hours at the array then differ from the irradiance's, "
            f"so the PV output is wrong{hint}")
