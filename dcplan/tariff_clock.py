"""The clock a bill runs on (``tz=`` of :meth:`dcplan.tariff.Tariff.bill`).

A tariff's time-of-use periods, weekdays and demand hours are local clock times (URDB's
``energyweekdayschedule`` and its kin are 12 x 24 tables of *local* hours), and
:meth:`~dcplan.tariff.Tariff.bill` reads each interval's hour on the clock of the load's index. A
load indexed in UTC (a meter or SCADA export, or ``load.tz_convert("UTC")``) would then be billed
with every TOU hour shifted by the site's UTC offset, silently: an APS E-32 TOU bill of a Phoenix
load peaking 16-20 h local comes out 23 % low on the UTC clock. ``dcplan bill`` refuses UTC
timestamps without ``--tz`` (:mod:`dcplan.cli_bill`); :func:`bill_clock` makes the library do the
same:

* ``tz`` given: the index is converted to it (``tz="UTC"`` when the bill really runs on UTC);
* no ``tz`` and an index on UTC (any zero-offset clock that is not a place's zone:
  :func:`is_utc_clock`) under a tariff whose charges depend on the clock hour or the weekday
  (:func:`clock_parts`): an :class:`~dcplan.errors.InputError` naming the argument, the zone
  seen and the two ways out (:func:`check_clock`; the site's own zone, never a guessed one);
* otherwise the index as it is.

:func:`check_clock` is the same refusal for a caller without ``tz=``: :meth:`~dcplan.tariff.Tariff.energy_price`,
:meth:`~dcplan.tariff.Tariff.demand_period` and the scheduler (:func:`dcplan.schedule.optimize`,
:func:`~dcplan.schedule.optimize_each`, :func:`dcplan.schedule_rolling.rolling_horizon`), before any solve.
A tariff whose charges do not depend on the hour (a flat rate, flat demand) bills UTC as it always did
(only the month boundaries move by the offset).
"""
from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd

from .errors import InputError

__all__ = ["bill_clock", "check_clock", "clock_parts", "is_utc_clock", "UTC_ZONE_NAMES"]

#: IANA names of the zero-offset clock with no place (tzdata's ``etcetera`` and ``backward``
#: aliases of UTC). A place's zone at UTC+0 (Africa/Abidjan, Atlantic/Reykjavik) is a real local
#: clock and is billed as given.
UTC_ZONE_NAMES = frozenset({
    "UTC", "UCT", "Universal", "Zulu", "GMT", "GMT0", "GMT+0", "GMT-0", "Greenwich",
    "Etc/UTC", "Etc/UCT", "Etc/Universal", "Etc/Zulu", "Etc/GMT", "Etc/GMT0", "Etc/GMT+0", "Etc/GMT-0",
    "Etc/Greenwich"})


def is_utc_clock(tz) -> bool:
    """Whether ``tz`` is UTC or a fixed zero offset rather than a place's zone.

    Named zones (zoneinfo ``key``, pytz ``zone``, dateutil's file name) by
    :data:`UTC_ZONE_NAMES`; unnamed ones (``datetime.timezone``, pytz and dateutil fixed
    offsets, what ``pd.to_datetime(..., utc=True)`` gives) by a zero offset in January and July.
    """
    if tz is None:
        return False
    name = getattr(tz, "key", None) or getattr(tz, "zone", None) or getattr(tz, "_filename", None)
    if name:
        name = str(name)
        return name in UTC_ZONE_NAMES or any(name.endswith("/" + n) for n in UTC_ZONE_NAMES)
    try:
        offs = {tz.utcoffset(dt.datetime(2025, m, 1)) for m in (1, 7)}
    except Exception:  # noqa: BLE001 - a tzinfo that cannot say: not UTC as far as we know
        return False
    return offs == {dt.timedelta(0)}


def _varies(rate: np.ndarray, upper: np.ndarray | None, weekday, weekend) -> tuple[bool, bool]:
    """(by hour, by weekday) of the charge a (12, 24) schedule pair picks: whether the rates and
    tier bounds of the periods differ between the hours of a month, or between a month's weekday
    and weekend hours (periods with the same rates are the same charge)."""
    terms = rate if upper is None else np.concatenate([rate, upper], axis=-1)
    wd = terms[np.asarray(weekday)]                   # (12, 24, k)
    we = wd if weekend is None else terms[np.asarray(weekend)]
    same = lambda a, b: np.array_equal(a, b, equal_nan=True)  # noqa: E731 (inf bounds equal)
    by_hour = not (same(wd, np.broadcast_to(wd[:, :1], wd.shape)) and same(we, np.broadcast_to(we[:, :1], we.shape)))
    return by_hour, not same(wd, we)


def clock_parts(tariff) -> list[str]:
    """The charges of ``tariff`` whose price depends on the clock hour or the weekday, in words
    (empty for a tariff billed the same at every hour of a month)."""
    out = []
    checks = [("energy", tariff.energy_rate, tariff.energy_upper, tariff.energy_weekday, tariff.energy_weekend)]
    if tariff.demand_rate is not None:
        checks.append(("TOU demand", tariff.demand_rate, tariff.demand_upper, tariff.demand_weekday,
                       tariff.demand_weekend))
    if tariff.coincident_rate is not None and tariff.coincident_schedule is not None:
        checks.append(("coincident-peak", tariff.coincident_rate, tariff.coincident_upper,
                       tariff.coincident_schedule, None))
    for what, rate, upper, wd, we in checks:
        by_hour, by_day = _varies(np.asarray(rate, dtype=float), None if upper is None else
                                  np.asarray(upper, dtype=float), wd, we)
        if by_hour or by_day:
            out.append(f"{what} charges (by {'hour' if by_hour else ''}{' and ' if by_hour and by_day else ''}"
                       f"{'weekday' if by_day else ''})")
    return out


def check_clock(tariff, idx: pd.DatetimeIndex, arg: str = "index", *, takes_tz: bool = False) -> pd.DatetimeIndex:
    """``idx`` unchanged, or an :class:`~dcplan.errors.InputError` when it is on UTC (:func:`is_utc_clock`)
    and ``tariff`` has charges by the clock hour or weekday (:func:`clock_parts`): its prices, periods and
    bills would be read on UTC hours, every period shifted by the site's UTC offset.

    ``arg`` names the caller's argument the index came in: ``"index"`` (an index itself: field ``index``) or
    a load's name (``"load_kw"``: field ``load_kw.index``); the way out converts that argument. ``takes_tz``:
    the caller takes ``tz=`` (:meth:`dcplan.tariff.Tariff.bill`), the second way out. No zone is suggested
    but the site's own (``site.timezone``): a tariff file names its utility, not its clock.
    """
    if not is_utc_clock(getattr(idx, "tz", None)):
        return idx
    parts = clock_parts(tariff)
    if not parts:
        return idx
    zone = str(idx.tz)
    seen = "UTC" if zone == "UTC" else f"{zone} (UTC)"
    field = arg if arg == "index" else f"{arg}.index"
    out = (f"the index is in {seen}, but tariff {tariff.name!r} prices its {' and '.join(parts)} on the local "
           "clock (a tariff's time-of-use periods, weekdays and billing months are local clock times), so "
           "reading it on UTC hours shifts every period by the site's UTC offset; convert the index to the "
           f"site's own IANA zone first (its YAML's timezone:), e.g. {arg}.tz_convert(site.timezone)")
    if takes_tz:
        out += ", or pass tz='UTC' if the bill really runs on UTC (tz=site.timezone converts it for you)"
    raise InputError(out, field=field)


def bill_clock(tariff, idx: pd.DatetimeIndex, tz=None, arg: str = "load_kw") -> pd.DatetimeIndex:
    """``idx`` on the clock the bill runs on (see the module docstring): converted to ``tz`` when
    given; refused when it is on UTC and ``tariff`` has charges by the clock hour or weekday
    (:func:`check_clock`; ``arg``: the bill's argument the index came in, ``"load_kw"`` or ``"index"``)."""
    if tz is not None:
        try:
            return idx.tz_convert(tz)
        except Exception:  # noqa: BLE001 - zoneinfo, pytz and dateutil raise different kinds
            raise InputError(f"unknown time zone {tz!r}; allowed: an IANA zone, the site's own (site.timezone), "
                             "or 'UTC' if the bill really runs on UTC",
                             field="tz") from None
    return check_clock(tariff, idx, arg, takes_tz=True)
