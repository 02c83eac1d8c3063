"""Demand at system peaks, for the bill (part of :mod:`dcplan.tariff_bill`, which re-exports these).

* :func:`coincident_windows`: the load intervals whose mean is the customer's demand at each system-peak stamp
  (the :data:`COINCIDENT_INTERVAL` ending there), every stamp checked against the load;
* :func:`_coincident`: the coincident-peak charge lines (``coincidentratestructure``): the demand at each stamp,
  averaged per month and priced by the stamp's period, and the note on priced months without a stamp
  (:mod:`dcplan.tariff_coincident`);
* :func:`_fourcp_kw`: the 4CP kW billed each month, the mean customer kW at the previous year's system peaks.

Conventions are documented in :mod:`dcplan.tariff`.
"""
from __future__ import annotations

import numpy as np
import pandas as pd

from . import tariff_engine as eng
from .errors import InputError

#: Default length of a coincident-peak interval: system coincident peaks such as PJM's 5CP
#: capacity tags are hourly (PJM Manual 19, "Load Forecasting and Analysis": a customer's
#: peak load contribution is its load in the five highest hourly summer peaks of the RTO).
COINCIDENT_INTERVAL = "60min"


def coincident_windows(peaks, cal, interval=COINCIDENT_INTERVAL):
    """Load intervals of each system peak: ``[(lo, hi), ...]``, the slice of the load's
    intervals whose mean is the customer's coincident demand at that peak.

    A peak's window is the ``interval`` ending at its stamp: the load intervals whose
    labels lie in ``(stamp - interval, stamp]`` (the stamp must then be a label, and
    ``interval`` a multiple of the load step); an ``interval`` no longer than the load
    step takes the one load interval containing the window (as :meth:`Tariff.with_4cp`
    does: an hourly load cannot show a 15-min peak), and a window that spans two load
    intervals (a 60-min peak ending at 17:30 on hourly ends) is an error. A stamp whose
    window is not inside the load is an error naming the stamp and the load's span.
    """
    field = "coincident_interval"
    try:
        iv = pd.Timedelta(interval)
    except (TypeError, ValueError):
        raise InputError(f"not a duration: {interval!r} (e.g. 60min, 15min)", field=field) from None
    if pd.isna(iv) or iv <= pd.Timedelta(0):
        raise InputError(f"must be a positive duration, got {interval!r}", field=field)
    idx = cal.index
    a = idx.as_unit("ns").asi8
    step = int(round(cal.step_s * 1e9))
    mins = f"{iv.total_seconds() / 60:g} min"
    if iv.value > step and iv.value % step:
        raise InputError(f"{mins} is not a multiple of the load step {cal.step_s / 60:g} min", field=field)
    span = f"the load covers {idx[0] - pd.Timedelta(step, 'ns')} to {idx[-1]}"
    out = []
    for i, p in enumerate(peaks):  # a handful of system peaks per month
        where = f"coincident_peaks[{i}]"
        try:
            ts = pd.Timestamp(p)
        except (TypeError, ValueError):
            raise InputError(f"{p!r} is not a timestamp", field=where) from None
        if ts.tz is None:
            raise InputError(f"timestamp {p!r} has no time zone", field=where)
        v = ts.value
        if v <= a[0] - step or v > a[-1]:
            raise InputError(f"system peak {ts.tz_convert(idx.tz)} is outside the load's time span ({span})",
                             field=where)
        pos = int(np.searchsorted(a, v, "left"))  # the load interval containing the stamp
        if iv.value <= step:
            if v - iv.value < a[pos] - step:  # (stamp - interval, stamp] reaches into the interval before
                raise InputError(
                    f"the {mins} interval ending at system peak {ts.tz_convert(idx.tz)} spans two load "
                    f"intervals (ending {pd.Timestamp(a[pos] - step, tz='UTC').tz_convert(idx.tz)} and "
                    f"{idx[pos]}), so the load cannot give its mean; give the peak's interval end on the "
                    f"load's {cal.step_s / 60:g}-min grid, or the load at a finer step", field=where)
            out.append((pos, pos + 1))
            continue
        if a[pos] != v:
            raise InputError(f"{ts.tz_convert(idx.tz)} is not a label of the load index (interval ends)",
                             field=where)
        if v - iv.value < a[0] - step:
            raise InputError(f"the {mins} interval ending at system peak {ts.tz_convert(idx.tz)} starts before "
                             f"the load ({span})", field=where)
        out.append((int(np.searchsorted(a, v - iv.value, "right")), pos + 1))
    return out


def _coincident(t, kw, cal, peaks, interval, add):
    if peaks is None:
        raise InputError("tariff has coincident-peak charges; give the system-peak interval "
                         "labels (coincident_peaks=[...])", field="coincident_peaks")
    m, n_c = len(cal.month_starts), t.coincident_rate.shape[0]
    tot = np.zeros((kw.shape[0], m, n_c))
    cnt = np.zeros((m, n_c))
    for lo, hi in coincident_windows(peaks, cal, interval):
        pos = hi - 1  # month and period of the interval ending at the stamp
        mo, c = cal.month_id[pos], t.coincident_schedule[cal.month_of_year[pos], cal.hour[pos]]
        tot[:, mo, c] += kw[:, lo:hi].mean(axis=1)
        cnt[mo, c] += 1
    cp = np.divide(tot, cnt[None], out=np.zeros_like(tot), where=cnt[None] > 0)
    split = eng.tier_split(cp, t.coincident_upper[None, None, :, :])
    from .tariff_coincident import bill_months_note, period_months
    on = period_months(t, cal.month_moy)  # (M, n_c): no rate in a month whose schedule has not the period
    for c in range(n_c):
        for k in range(t.coincident_rate.shape[1]):
            if split[:, :, c, k].any():
                add("demand", "coincident_demand", c, k, "kW", split[:, :, c, k],
                    np.where(on[:, c], t.coincident_rate[c, k], np.nan))
    return bill_months_note(t, cal, np.flatnonzero(cnt.sum(axis=1) > 0))


def _fourcp_kw(t, kw, cal) -> np.ndarray:
    """4CP kW billed in each month: mean customer kW at the previous year's system peaks."""
    idx = cal.index
    a = idx.as_unit("ns").asi8
    iv = pd.Timedelta(t.fourcp_interval).value
    by_year: dict[int, list] = {}
    given: dict[int, int] = {}  # peaks per year in the tariff: a year's 4CP needs all of them
    for ts in t.fourcp_peaks:
        y_ts = ts.tz_convert(idx.tz).year
        given[y_ts] = given.get(y_ts, 0) + 1
        if ts.value <= a[0] - int(cal.step_s * 1e9) or ts.value > a[-1]:
            continue  # outside the load
        lo, hi = np.searchsorted(a, ts.value - iv, "right"), np.searchsorted(a, ts.value, "right")
        v = kw[:, lo:hi].mean(axis=1) if hi > lo else kw[:, np.searchsorted(a, ts.value, "left")]
        by_year.setdefault(ts.tz_convert(idx.tz).year, []).append(v)
    out = np.zeros((kw.shape[0], len(cal.month_starts)))
    first = int(cal.month_year[0])
    for j, y in enumerate(cal.month_year):
        if (y - 1) in by_year and len(by_year[y - 1]) == given[y - 1]:
            out[:, j] = np.mean(by_year[y - 1], axis=0)
        elif y == first and t.fourcp_prior_kw is not None:
            out[:, j] = t.fourcp_prior_kw
        else:
            have = len(by_year.get(y - 1, []))
            raise InputError(f"4CP for {y} needs all {given.get(y - 1, 0) or 'the'} {y - 1} system peaks "
                             f"inside the load ({have} are), or prior_kw (the {y - 1} 4CP kW) when the "
                             f"load starts in {y}", field="peaks")
    return out
