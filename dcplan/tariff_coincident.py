"""Coincident-peak stamps (``coincident_peaks``): what a stamp must be to bill, and what a set of
stamps leaves unbilled (split from :mod:`dcplan.tariff_site` and :mod:`dcplan.tariff_bill`).

* :func:`stamp_text_problem`: a stamp without a time of day (``'2025-07-21'``) would be read as
  00:00, the night-time hour before the day: refused; the stamp is the system-peak interval's end.
* :func:`local_time_problem`, :func:`offset_problem`, :func:`fixed_offset_problem`: a stamp is a local
  time of the site's zone (or of ``dcplan bill``'s ``--tz`` zone, or of its load file's one offset). One the
  clock skips or repeats at a daylight-saving change is refused, and one written with a UTC offset must
  carry the zone's own offset at that instant ('2025-10-26 02:00-05:00' for a Europe/Rome site is
  07:00 UTC, 08:00 in Rome: another hour than the one written); the messages give examples in the
  site's zone, with the offsets the zone keeps that day (for a stamp with an offset, the same instant
  in the site's zone: '2025-07-21T21:00Z' at a New York site is '2025-07-21 17:00-04:00').
* :func:`grid_problem`: a site's load is hourly, on its weather file's hours (interval ends on
  the hour of the station's standard time, :func:`dcplan.weather.load_weather`: on the hour in
  every zone a whole number of hours from it, at half past in one half an hour off). A system
  peak's coincident demand is the site's mean kW over the :data:`~dcplan.tariff_bill.COINCIDENT_INTERVAL`
  (60 min) ending at the stamp, which is one load interval only when the stamp is on that grid:
  a stamp off it (17:30 on hourly ends) is refused with the two interval ends beside it.
* :func:`duplicate_problems`: a stamp given twice weighs twice in its month's coincident demand
  (the mean over the month's peaks): refused, naming both indexes.
* :func:`unstamped_months_note`: a coincident charge is billed only in months with a stamp, so a
  month the tariff prices and no stamp falls in bills no coincident charge; the bill
  (``Bill.notes``) and ``dcplan validate`` (a warning) say which months.
"""
from __future__ import annotations

import re

import numpy as np

#: A date with no time of day: 2025-07-21, 20250721.
_DATE_ONLY_RE = re.compile(r"\s*\d{4}-?\d{2}-?\d{2}\s*")

_HOUR_NS = 3_600_000_000_000

#: How :func:`unstamped_months_note` starts (``dcplan bill`` finds it in ``Bill.notes`` by it).
NOTE_START = "coincident charges priced in months"


def stamp_text_problem(s) -> str | None:
    """The problem of a stamp written as a date alone (no time of day), else None."""
    if isinstance(s, str) and _DATE_ONLY_RE.fullmatch(s):
        return (f"{s!r} has no time of day, so it would be read as 00:00, the end of the hour before midnight "
                "(a night-time load); give the end of the system-peak interval, e.g. "
                f"'{s.strip()} 17:00' for the hour 16:00-17:00")
    return None


def offset_text(seconds: float) -> str:
    """A UTC offset [s] as ISO 8601 writes it: 7200 -> ``+02:00``, -18000 -> ``-05:00``."""
    sign = "-" if seconds < 0 else "+"
    m = int(round(abs(seconds) / 60.0))
    return f"{sign}{m // 60:02d}:{m % 60:02d}"


def _day_offsets(zone: str, day) -> list:
    """The UTC offsets (timedeltas) ``zone`` keeps on the local date ``day``, in the order they occur."""
    import datetime as dt
    import zoneinfo
    z = zoneinfo.ZoneInfo(zone)
    out = []
    for h in range(24):
        for fold in (0, 1):
            o = dt.datetime(day.year, day.month, day.day, h, tzinfo=z, fold=fold).utcoffset()
            if o not in out:
                out.append(o)
    return out


def _valid_with(wall, zone: str, off) -> bool:
    """Whether the local time ``wall`` (naive datetime) with UTC offset ``off`` is a time of ``zone``."""
    import datetime as dt
    import zoneinfo
    t = wall.replace(tzinfo=dt.timezone(off)).astimezone(zoneinfo.ZoneInfo(zone))
    return t.replace(tzinfo=None) == wall and t.utcoffset() == off


def _offset_examples(wall, zone: str) -> str:
    """``'2025-10-26 02:00+02:00' or '2025-10-26 02:00+01:00'``: the local time ``wall`` (naive) with
    each offset ``zone`` keeps on its date at which it exists."""
    ex = [f"'{wall:%Y-%m-%d %H:%M}{offset_text(o.total_seconds())}'"
          for o in _day_offsets(zone, wall.date()) if _valid_with(wall, zone, o)]
    return " or ".join(ex)


def local_time_problem(s, ts, zone: str) -> str | None:
    """The problem of a stamp ``s`` written without a UTC offset (parsed: naive ``ts``) whose local
    time ``zone``'s clock skips or shows twice on a daylight-saving change, else None. The examples
    are in ``zone`` on the stamp's date."""
    import datetime as dt
    import zoneinfo
    z = zoneinfo.ZoneInfo(zone)
    wall = ts.to_pydatetime().replace(tzinfo=None)
    a, b = wall.replace(tzinfo=z, fold=0), wall.replace(tzinfo=z, fold=1)
    if a.utcoffset() == b.utcoffset():
        return None
    offs = " to ".join(offset_text(o.total_seconds()) for o in _day_offsets(zone, wall.date()))
    back = a.astimezone(dt.timezone.utc).astimezone(z).replace(tzinfo=None)
    if back == wall:  # it exists: twice (the clocks go back)
        return (f"{s!r} occurs twice in {zone}: the clocks go back on {wall:%Y-%m-%d} (UTC offset {offs}); give its "
                f"UTC offset, {_offset_examples(wall, zone)} (the first and the second time)")
    after = ts.tz_localize(zone, nonexistent="shift_forward")
    return (f"{s!r} does not exist in {zone}: the clocks skip it on {wall:%Y-%m-%d} (UTC offset {offs}); give a "
            f"time that exists, e.g. '{after:%Y-%m-%d %H:%M}' (the first time after the skipped ones)")


def offset_problem(s, ts, zone: str, *, whose: str = "the site's zone", where: str = "the site's local time",
                   naive_ok: bool = True) -> str | None:
    """The problem of a stamp ``s`` written with a UTC offset (parsed: tz-aware ``ts``) that is not
    ``zone``'s offset at that instant, else None. A stamp with an offset names an exact instant
    (``'2025-07-21T21:00Z'``), so the advice is that same instant in ``zone`` (17:00-04:00 in New
    York), with its own offset, and without one when that local time occurs once there.
    ``whose``, ``where``: how the message names the zone and its clock (``dcplan bill``: "the bill's
    zone ... (--tz)"); ``naive_ok`` False leaves out the advice without an offset (a stamp without one
    is not read there)."""
    local = ts.tz_convert(zone)
    if local.utcoffset() == ts.utcoffset():
        return None
    wall = ts.tz_localize(None).to_pydatetime()
    lwall = local.tz_localize(None)
    given, there = offset_text(ts.utcoffset().total_seconds()), offset_text(local.utcoffset().total_seconds())
    offs = _day_offsets(zone, lwall.date())
    keeps = (f"UTC offset {offset_text(offs[0].total_seconds())}" if len(offs) == 1 else
             "UTC offsets " + " and ".join(offset_text(o.total_seconds()) for o in offs)
             + " (a daylight-saving change)")
    hours = (lwall.to_pydatetime() - wall).total_seconds() / 3600.0
    same = f"'{lwall:%Y-%m-%d %H:%M}{there}'"
    if local_time_problem(s, lwall, zone) is None:  # that local time is one instant there
        same += f", or without an offset ('{lwall:%Y-%m-%d %H:%M}')" if naive_ok else ""
    else:  # the clocks go back: the local time occurs twice, and only the offset tells which
        same += (f" (the offset is needed: {lwall:%Y-%m-%d %H:%M} occurs twice in {zone}, the clocks go back "
                 "that night)")
    return (f"{s!r} has UTC offset {given}, but {whose} {zone} is at {there} at that instant (it is "
            f"{lwall:%Y-%m-%d %H:%M}{there} there, {abs(hours):g} h from the time written); on "
            f"{lwall:%Y-%m-%d} {zone} keeps {keeps}. A stamp with an offset is an exact instant: write that "
            f"instant in {where}, {same}: the same system peak")


def fixed_offset_problem(s, ts, offset_s: float, clock: str) -> str | None:
    """The problem of a stamp ``s`` (parsed: tz-aware ``ts``) whose UTC offset is not ``offset_s`` [s],
    the one offset of a clock without a zone (``dcplan bill`` without ``--tz``: the load file's
    timestamps all carry it; ``clock`` says so), else None: as :func:`offset_problem`, the stamp names
    another hour of that clock than the one written."""
    import datetime as dt
    if ts.utcoffset().total_seconds() == offset_s:
        return None
    there = offset_text(offset_s)
    local = ts.tz_convert(dt.timezone(dt.timedelta(seconds=offset_s)))
    hours = (local.tz_localize(None) - ts.tz_localize(None)).total_seconds() / 3600.0
    return (f"{s!r} has UTC offset {offset_text(ts.utcoffset().total_seconds())}, but {clock} is at {there} (it "
            f"is {local:%Y-%m-%d %H:%M}{there} there, {abs(hours):g} h from the time written); allowed: stamps at "
            f"{there}. A stamp with an offset is an exact instant: write that instant at {there}, "
            f"'{local:%Y-%m-%d %H:%M}{there}': the same system peak")


def grid_problem(s, ts, station_offset_h: float, interval_min: float = 60.0) -> str | None:
    """The problem of stamp ``s`` (parsed: tz-aware ``ts``) off a site's hourly load grid, whose
    interval ends are whole hours of the station's standard time (UTC offset ``station_offset_h``,
    from the weather file's header); None when it is on it."""
    import pandas as pd
    off_ns = int(round(-station_offset_h * _HOUR_NS)) % _HOUR_NS
    rem = (ts.value - off_ns) % _HOUR_NS
    if rem == 0:
        return None
    before = pd.Timestamp(ts.value - rem, tz="UTC").tz_convert(ts.tz)
    after = before + pd.Timedelta(1, "h")
    end = f":{before.minute:02d}"
    return (f"{s!r} is not on the site's load grid: the load is hourly, its intervals ending at {end} "
            f"local time ({ts.tz}; the weather file's hours), and a system peak's coincident demand is the "
            f"site's mean kW over the {interval_min:g} min ending at the stamp, which must then be one load "
            f"interval; give its interval end, e.g. '{before:%Y-%m-%d %H:%M}' or '{after:%Y-%m-%d %H:%M}'")


def duplicate_problems(stamps: list[tuple[int, str, object]], field: str) -> list[tuple[str, str]]:
    """``[(field[j], message)]`` for each stamp ``(index, text, ts)`` that is the same instant as an
    earlier one (``field``: the list's name, e.g. ``tariff.coincident_peaks``)."""
    seen, out = {}, []
    for i, s, ts in stamps:
        if ts.value in seen:
            k, s0 = seen[ts.value]
            out.append((f"{field}[{i}]", f"{s!r} is the same system peak as {field}[{k}] ({s0!r}): given twice it "
                                         "would weigh twice in its month's coincident demand (the mean over the "
                                         f"month's peaks); remove {field}[{i}] or {field}[{k}]"))
        else:
            seen[ts.value] = (i, s)
    return out


def priced_moy(t) -> list[int]:
    """Months of the year (0..11) in which ``t``'s coincident-peak schedule names a priced period
    (a rate above 0 in some tier at some hour); [] without coincident charges."""
    rate = getattr(t, "coincident_rate", None)
    sched = getattr(t, "coincident_schedule", None)
    if rate is None or sched is None:
        return []
    priced = (np.asarray(rate) > 0).any(axis=1)
    sched = np.asarray(sched)
    return [mo for mo in range(12) if priced[sched[mo]].any()]


def period_months(t, month_moy) -> np.ndarray:
    """(M, n_periods) bool: billing month ``m`` (of month of year ``month_moy[m]``, 0..11) has coincident
    period ``c`` in ``t``'s ``coincident_rate`` schedule at some hour. ``Bill.breakdown`` gives a coincident
    line no rate (NaN) in the other months: the charge does not price that period then."""
    sched = np.asarray(t.coincident_schedule)[np.asarray(month_moy, int)]  # (M, 24)
    return (sched[:, :, None] == np.arange(np.asarray(t.coincident_rate).shape[0])[None, None, :]).any(axis=1)


def _months_text(nums: list[int]) -> str:
    """1-based month numbers as runs: ``1-6, 9-12``; ``7, 8``."""
    runs, out = [], []
    for n in sorted(set(nums)):
        if runs and n == runs[-1][1] + 1:
            runs[-1][1] = n
        else:
            runs.append([n, n])
    for a, b in runs:
        out.append(str(a) if a == b else (f"{a}, {b}" if b == a + 1 else f"{a}-{b}"))
    return ", ".join(out)


def unstamped_months_note(priced: list, stamped: list) -> str | None:
    """The note for coincident-priced months without a stamp, None when every priced month has
    one. ``priced``, ``stamped``: the months, as 1-based month numbers (one year) or labels
    (``'2025-07'``: a load over several years)."""
    missing = [m for m in priced if m not in set(stamped)]
    if not missing:
        return None

    def text(ms):
        return _months_text(ms) if all(isinstance(m, (int, np.integer)) for m in ms) else ", ".join(map(str, ms))
    where = f"in months {text(stamped)}" if stamped else "in no month"
    return (f"{NOTE_START} {text(priced)}, system-peak stamps (coincident_peaks) "
            f"{where}: months without a stamp ({text(missing)}) bill no coincident charge; give each priced "
            "month's system peaks to bill it")


def bill_months_note(t, cal, stamped_month_ids) -> str | None:
    """:func:`unstamped_months_note` for a bill on calendar ``cal`` whose stamps fall in billing
    months ``stamped_month_ids`` (indices into ``cal.month_starts``)."""
    moy = np.asarray(cal.month_moy)
    pm = set(priced_moy(t))
    priced = [m for m in range(len(moy)) if int(moy[m]) in pm]
    labels = list(cal.month_label)
    one_year = len({p.year for p in labels}) == 1
    name = (lambda m: int(moy[m]) + 1) if one_year else (lambda m: str(labels[m]))
    stamped = sorted(set(int(m) for m in stamped_month_ids))
    return unstamped_months_note([name(m) for m in priced], [name(m) for m in stamped])
