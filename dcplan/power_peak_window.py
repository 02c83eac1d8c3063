"""The 1 s window at a fleet's peak hour, and the peaks read from it.

The rack_power notebook runs its fleet at 1 s over ``detail_hours`` from the year's peak hour of
the hourly model (:func:`peak_window`); ``dcplan validate`` takes the same window's 1 s peak to say
which ``fleet.diversity_frac`` the UPS, the transformer and the breakers need
(:func:`site_peak_1s_kw`, :mod:`dcplan.site_design_peak`). The hourly model's load is the hourly
mean of the same 1 s process (:func:`dcplan.power.site_it_kw` at the same seed), so the window's 1 s
peak and its highest 15 min mean (:func:`block_peak_kw`, what a demand meter reads) are at least the
hourly peak when the window holds the peak hour.
"""
from __future__ import annotations

import pandas as pd

__all__ = ["DETAIL_HOURS", "peak_window", "block_peak_kw", "site_peak_1s_kw"]

#: Length of the 1 s window [h]: the rack_power notebook's ``detail_hours`` default, which dcplan validate uses.
DETAIL_HOURS = 2.0


def peak_window(hourly_kw: pd.Series, detail_hours: float = DETAIL_HOURS) -> pd.DatetimeIndex:
    """The 1 s interval-ending index of ``detail_hours`` [h] from the start of the hour in which
    ``hourly_kw`` [kW, interval-ending hourly values] peaks, as late as fits before its last
    value's end (a window that would run past the year ends with it).

    >>> h = pd.Series([1.0, 5.0, 2.0], index=pd.date_range("2025-01-01 01:00", periods=3, freq="1h", tz="UTC"))
    >>> w = peak_window(h, 0.5)
    >>> str(w[0]), str(w[-1]), len(w)
    ('2025-01-01 01:00:01+00:00', '2025-01-01 01:30:00+00:00', 1800)
    """
    n = int(detail_hours * 3600)
    peak_hour = hourly_kw.idxmax() - pd.Timedelta(hours=1)  # the peak interval's start
    first = min(peak_hour, hourly_kw.index[-1] - pd.Timedelta(seconds=n))
    return pd.date_range(first + pd.Timedelta(seconds=1), periods=n, freq="1s")


def block_peak_kw(kw: pd.Series, minutes: float = 15.0) -> float | None:
    """Highest mean of ``kw`` [kW, interval-ending, fixed step] over a clock-aligned block of
    ``minutes`` (00:00-00:15, 00:15-00:30, ... as a demand meter's intervals), complete blocks only;
    None when the series holds no complete block.

    >>> s = pd.Series([1.0, 3.0, 5.0, 7.0], index=pd.date_range("2025-01-01 00:00:01", periods=4, freq="1s"))
    >>> block_peak_kw(s, 2 / 60), block_peak_kw(s[1:], 2 / 60), block_peak_kw(s[1:3], 2 / 60)
    (6.0, 6.0, None)
    """
    step = pd.Timedelta(kw.index.freq)
    block = pd.Timedelta(minutes=minutes)
    per = block / step
    if per != int(per):
        raise ValueError(f"block_peak_kw: minutes {minutes:g} is not a whole number of the series' "
                         f"{step.total_seconds():g} s steps")
    # the block each interval falls in (by its start; in UTC, where no clock change makes a time ambiguous)
    starts = (kw.index.tz_convert("UTC") if kw.index.tz is not None else kw.index) - step
    starts = starts.floor(block)
    g = pd.Series(kw.to_numpy(float), index=starts).groupby(level=0)
    means = g.mean()[g.count() == int(per)]
    return float(means.max()) if len(means) else None


def site_peak_1s_kw(site, hourly_kw: pd.Series, *, seed: int = 0,
                    detail_hours: float = DETAIL_HOURS) -> tuple[float, pd.DatetimeIndex]:
    """``(peak, window)``: the fleet's highest 1 s IT power [kW] as the site runs (its own power caps,
    every phase deployed, ``seed``) in :func:`peak_window` of its hourly IT ``hourly_kw`` [kW]: the
    rack_power notebook's ``peak_1s_kw`` at the same ``detail_hours`` and seed."""
    from .power_fleet import site_it_kw
    secs = peak_window(hourly_kw, detail_hours)
    return float(site_it_kw(site, secs, seed=seed, deployed="all").max()), secs
