"""Flexible-load headroom of a power system (part of ``dcplan.grid``).

Method of Norris et al., "Rethinking Load Growth: Assessing the Potential for
Integration of Large Flexible Loads in US Power Systems", Nicholas Institute,
Duke University, Feb 2025 (hdl.handle.net/10161/32077): the largest constant new
load :math:`L` a system can add if, whenever system load plus :math:`L` would
exceed the planning peak :math:`P`, the new load is curtailed by the excess, and
the curtailed energy stays within a share :math:`f` of the new load's energy.
With the margin :math:`m_t = P_t - \\min(s_t, P_t) \\ge 0` (load above the peak
counts as zero margin: the whole new load is curtailed then),

.. math::

    c_t(L) = \\max(0,\\ L - m_t), \\qquad
    C(L) = \\sum_t c_t(L) \\le f\\, n\\, L

with :math:`n` intervals (the interval length cancels). :math:`C(L)/L` is
non-decreasing in :math:`L`, so the constraint binds at one point. Sorting the
margins :math:`m_{(1)} \\le \\dots \\le m_{(n)}` with prefix sums
:math:`M_k`, on the segment where exactly :math:`k` intervals are curtailed
:math:`C(L) = kL - M_k`, hence

.. math::

    L^* = \\frac{M_k}{k - f n}

for the largest :math:`k` whose breakpoint ratio
:math:`r_k = ((k-1)\\,m_{(k)} - M_{k-1}) / (n\\, m_{(k)}) \\le f` (capped at
:math:`m_{(k+1)}`). One sort serves every limit; each limit is a binary search.
The published reference figures for the 22 largest US balancing authorities are
76, 98 and 126 GW at 0.25, 0.5 and 1 % (webinar summary of the report).

System-load input: a ``pandas.Series`` in MW on a tz-aware regular index
(interval-ending), or a gridstatus-style DataFrame (columns ``Interval Start``,
``Interval End`` or ``Time``, and ``Load``); a ``kw`` / ``gw`` unit word in the load
column's (or Series') name is converted to MW (:func:`name_unit`), another unit word
(``kwh``, ``amps``) is an error. Nothing is fetched: the bundled
``data/system_load_example.csv`` is a SYNTHETIC series (:func:`synthetic_system_load`).
"""
from __future__ import annotations

import functools
import re
import warnings

import numpy as np
import pandas as pd

from ._ts import step_s
from .errors import DcplanWarning, InputError
from .paths import data_path

__all__ = ["headroom_curve", "system_load_from_frame", "read_system_load_csv", "example_system_load", "synthetic_system_load",
           "is_example_system_load", "DUKE_LIMITS_FRAC"]

#: Curtailment limits studied by Norris et al. (2025): 0.25, 0.5 and 1 % of annual energy. [-]
DUKE_LIMITS_FRAC: tuple[float, ...] = (0.0025, 0.005, 0.01)

_TIME_COLUMNS_END = ("Interval End", "interval_end", "Interval Ending")
_TIME_COLUMNS_START = ("Interval Start", "interval_start", "Time")
_LOAD_COLUMNS = ("Load", "load_mw", "system_load_mw", "load", "system_load_kw", "load_kw", "system_load_gw",
                 "load_gw")
#: Factor to MW of a unit named in a column or Series name (``load_kw``, ``Load (GW)``).
_UNIT_TO_MW = {"kw": 1e-3, "mw": 1.0, "gw": 1e3}
_UNIT_NAMES = {"kw": "kW", "mw": "MW", "gw": "GW"}
#: Unit words :func:`name_unit` recognises in a column name (lower case): power, energy,
#: apparent and reactive power, current, voltage, horsepower, percent. Words that are often
#: something else in a name (``va`` for Virginia, ``a``/``b`` feeds, ``var`` for variable)
#: are left out.
UNIT_WORDS = frozenset({
    "w", "kw", "mw", "gw", "wh", "kwh", "mwh", "gwh", "kva", "mva", "kvah", "mvah", "kvar", "mvar",
    "kvarh", "amp", "amps", "ampere", "amperes", "kv", "hp", "pct", "percent"})


def name_unit(name) -> str | None:
    """The unit word of a column or Series name, lower case, or None when it names none.

    The name is split into words at every character that is not a letter or digit
    (``site_kW`` -> ``kw``, ``Load (GW)`` -> ``gw``, ``energy_kwh`` -> ``kwh``,
    ``MWh`` -> ``mwh``, ``load`` -> None); a word counts when it is in
    :data:`UNIT_WORDS` (case-insensitive). Shared by the system-load reader here and the
    load CSV of ``dcplan bill`` (:mod:`dcplan.cli_bill`), which map the unit to their own
    factors.

    Raises
    ------
    InputError
        The name holds two different unit words (``load_kw_mwh``).
    """
    if not isinstance(name, str):
        return None
    found = list(dict.fromkeys(w for w in re.split(r"[^a-z0-9]+", name.lower()) if w in UNIT_WORDS))
    if len(found) > 1:
        raise InputError(f"column {name!r} names more than one unit ({', '.join(found)}); name one",
                         field=name)
    return found[0] if found else None


def _to_mw_factor(name) -> float:
    """Factor turning a load column / Series named ``name`` into MW, from its unit
    (:func:`name_unit`: ``kw`` x 0.001, ``gw`` x 1000); a name without a unit (gridstatus
    ``Load``) is MW, a unit other than kW/MW/GW (``load_kwh``, ``amps``) an error."""
    unit = name_unit(name)
    if unit is None:
        return 1.0
    if unit not in _UNIT_TO_MW:
        raise InputError(f"column {name!r}: unit {unit!r} is not a power unit; allowed: kW, MW, GW "
                         "(a name without a unit is read as MW)", field="system_load")
    return _UNIT_TO_MW[unit]


def _as_float(values, name: str) -> np.ndarray:
    """Load values as floats, or an InputError naming the column and the first value that is not a number."""
    try:
        return np.asarray(values, dtype=float)
    except (ValueError, TypeError):
        raw = pd.Series(np.asarray(values, dtype=object))
        bad = raw[pd.to_numeric(raw, errors="coerce").isna() & raw.notna()]
        raise InputError(f"column {name!r}: value {bad.iloc[0]!r} (data row {bad.index[0] + 1}) is not a number; "
                         "need plain numbers (no thousands separators or units)", field="system_load") from None


def _stamps(col: pd.Series, name: str) -> pd.DatetimeIndex:
    """A time column as a DatetimeIndex; text with UTC offsets that change (DST) is read as instants."""
    if pd.api.types.is_datetime64_any_dtype(col):
        idx = pd.DatetimeIndex(col)
    else:
        try:
            idx = pd.DatetimeIndex(pd.to_datetime(col, format="ISO8601"))
        except (ValueError, TypeError):
            idx = _stamps_utc(col, name)
    if idx.hasnans:
        i = int(np.argmax(idx.isna()))
        raise InputError(f"empty timestamp in column {name!r} (data row {i + 1}); every row needs one",
                         field="system_load")
    return idx


def _stamps_utc(col: pd.Series, name: str) -> pd.DatetimeIndex:
    try:  # offsets change within the column (a DST year): instants, in UTC
        idx = pd.DatetimeIndex(pd.to_datetime(col, format="ISO8601", utc=True))
    except (ValueError, TypeError):
        raw = pd.Series(np.asarray(col, dtype=object))
        parsed = pd.Series([pd.to_datetime(v, format="ISO8601", utc=True, errors="coerce") for v in raw])
        bad = raw[parsed.isna() & raw.notna()]
        first = f": {bad.iloc[0]!r} (data row {bad.index[0] + 1})" if len(bad) else ""
        raise InputError(f"unreadable timestamp in column {name!r}{first}; need ISO 8601 with a UTC "
                         "offset, e.g. 2024-07-01T01:00:00-04:00", field="system_load") from None
    if not col.dropna().astype(str).str.contains(r"(?:[+-]\d\d:?\d\d|Z)$", regex=True).all():
        raise InputError(f"column {name!r} mixes stamps with and without a UTC offset", field="system_load")
    return idx


def _need_offsets(idx: pd.DatetimeIndex, where: str) -> None:
    if idx.tz is None:
        raise InputError(f"{where}timestamps have no UTC offset (local wall time is ambiguous at DST); "
                         "write them as ISO 8601 with an offset, e.g. 2024-07-01T01:00:00-04:00",
                         field="system_load")


def read_system_load_csv(path) -> pd.Series:
    """Read a system-load CSV (``#`` comment lines allowed, as in the bundled example):
    ``interval_end`` / ``system_load_mw`` columns or a gridstatus-style export (see
    :func:`system_load_from_frame`). Errors name the file; a series shorter than a year
    gives a :class:`~dcplan.errors.DcplanWarning` (headroom is defined on a year of load)."""
    try:
        df = pd.read_csv(path, comment="#")
    except (OSError, ValueError) as e:  # missing file, not a CSV (ParserError is a ValueError)
        raise InputError(f"cannot read CSV: {e}", file=str(path), field="system_load_csv") from None
    try:
        s = system_load_from_frame(df)
    except InputError as e:
        raise InputError(e.detail, file=str(path), field=e.field) from None
    _warn_implausible_peak(s, df, path)
    days = len(s) * step_s(s, "system_load") / 86400.0
    if days < 364:
        warnings.warn(f"{path}: the system load covers {days:,.1f} days; the headroom method (Norris et al. "
                      "2025) counts curtailment over a year of load: with less, the seasons it misses hold "
                      "peaks it cannot see, so headroom may be overstated", DcplanWarning, stacklevel=2)
    return s


#: Plausible peak of a power system's load, for :func:`read_system_load_csv`'s unit check, an estimate: 50 MW
#: (about the smallest US balancing authorities' peaks) to 1,000 GW (above any one system the headroom method
#: is applied to: Norris et al. 2025 study 22 US balancing authorities, the largest, PJM, peaking near 150 GW;
#: the US lower 48 together peak below 800 GW). Not a limit: a peak outside it is most likely kW read as MW
#: (x 1,000) or MW read as kW, so it warns and does not refuse. [MW]
PLAUSIBLE_SYSTEM_PEAK_MW = (50.0, 1.0e6)


def _warn_implausible_peak(s: pd.Series, df: pd.DataFrame, path) -> None:
    """A :class:`~dcplan.errors.DcplanWarning` naming the file, the column, the peak and the unit it was read in
    when the peak lies outside :data:`PLAUSIBLE_SYSTEM_PEAK_MW`."""
    lo, hi = PLAUSIBLE_SYSTEM_PEAK_MW
    peak = float(s.max())
    if lo <= peak <= hi:
        return
    column = next((c for c in _LOAD_COLUMNS if c in df.columns), "?")
    unit = name_unit(column)
    read = (f"read in {_UNIT_NAMES[unit]} (the unit in its name)" if unit in _UNIT_NAMES
            else "read in MW (its name gives no unit)")
    hint = ("values in a smaller unit than it was read in (e.g. kW values in an MW column: name it load_kw, "
            "or divide by 1,000)" if peak > hi else "values in a larger unit than it was read in (e.g. MW values "
            "in a kW column: name it load_mw), or a single feeder's load rather than a system's")
    warnings.warn(f"{path}: column {column!r}, {read}, peaks at {peak:,.6g} MW, outside the {lo:,.0f} MW to "
                  f"{hi / 1000:,.0f} GW of a power system's peak: probably {hint}; headroom computed from it "
                  "carries the same factor", DcplanWarning, stacklevel=3)


def system_load_from_frame(data: pd.Series | pd.DataFrame, column: str | None = None) -> pd.Series:
    """System load as a checked ``system_load_mw`` Series (interval-ending labels).

    Parameters
    ----------
    data : Series or DataFrame
        A Series on a tz-aware DatetimeIndex (interval-ending), or a
        gridstatus-style frame: time from ``Interval End`` (used as the label), else
        ``Interval Start`` / ``Time`` (interval start; the step is added), else the
        index; load from ``column``, else ``Load`` / ``load_mw`` / ``system_load_mw``
        (or a ``_kw`` / ``_gw`` variant). [MW]
    column : str, optional
        Load column name. A unit word in the column (or Series) name is
        converted to MW: ``kw`` x 0.001, ``gw`` x 1000 (also ``Load (GW)``,
        ``load [kW]``); a name without a unit is MW (gridstatus ``Load``), another
        unit word (``load_kwh``, ``amps``) an error (:func:`name_unit`). With a
        Series, ``column`` names an unnamed Series (and so its unit); naming a
        different column than the Series' own name is an error.

    Raises
    ------
    InputError
        Missing timestamps (gaps), duplicates, naive times, NaN or infinite
        values or negative load, naming the first offending timestamp.
    """
    if isinstance(data, pd.DataFrame):
        if column is None:
            column = next((c for c in _LOAD_COLUMNS if c in data.columns), None)
            if column is None:
                raise InputError(f"no load column: name it one of {', '.join(_LOAD_COLUMNS)} (or pass column=... "
                                 f"in Python); columns found: {', '.join(map(str, data.columns))}",
                                 field="system_load")
        elif column not in data.columns:
            raise InputError(f"column {column!r} not found; columns: {', '.join(map(str, data.columns))}",
                             field="system_load")
        if len(data) == 0:
            raise InputError("no data rows; need at least 2 timestamps", field="system_load")
        end = next((c for c in _TIME_COLUMNS_END if c in data.columns), None)
        start = next((c for c in _TIME_COLUMNS_START if c in data.columns), None)
        where = ""
        if end is not None:
            idx = _stamps(data[end], end)
            where = f"column {end!r} (interval end): "
        elif start is not None:
            idx = _stamps(data[start], start)
            where = f"column {start!r} (interval start): "
            _need_offsets(idx, where)
            idx = idx + pd.Timedelta(seconds=step_s(idx, f"system_load[{start!r}]"))
        else:
            idx = data.index
            if not isinstance(idx, pd.DatetimeIndex):
                raise InputError(f"no time column; need one of {', '.join(_TIME_COLUMNS_END + _TIME_COLUMNS_START)} "
                                 f"(columns: {', '.join(map(str, data.columns))})", field="system_load")
        if where:
            _need_offsets(idx, where)
        s = pd.Series(_as_float(data[column].to_numpy(), column) * _to_mw_factor(column), index=idx)
    elif isinstance(data, pd.Series):
        where = ""
        name = data.name
        if column is not None:
            if name is not None and str(name) != str(column):
                raise InputError(f"column={column!r} given with a Series named {name!r}; a Series has no columns "
                                 "(its name names the load and its unit): drop column= or rename the Series",
                                 field="system_load")
            name = column  # an unnamed Series: column= names it (and its unit)
        s = pd.Series(_as_float(data.to_numpy(), str(name)) * _to_mw_factor(name), index=data.index)
    else:
        raise InputError(f"need a pandas Series or DataFrame, got {type(data).__name__}", field="system_load")
    if not isinstance(s.index, pd.DatetimeIndex):
        raise InputError(f"need a DatetimeIndex or time columns, got {type(s.index).__name__}",
                         field="system_load")
    try:
        step_s(s, "system_load")  # tz-aware, regular: a gap or a duplicate raises here
    except InputError as e:
        raise InputError(where + e.detail, field=e.field) from None
    v = s.to_numpy()
    what = f"column {column!r}: " if isinstance(data, pd.DataFrame) else ""
    if np.isnan(v).any():
        bad = s.index[np.isnan(v)]
        raise InputError(f"{what}{len(bad)} missing value(s) (gaps), first at {bad[0]}; fill or drop the "
                         "period before computing headroom", field="system_load")
    if np.isinf(v).any():
        bad = s.index[np.isinf(v)]
        raise InputError(f"{what}{len(bad)} infinite value(s), first at {bad[0]}; fix or drop them before "
                         "computing headroom", field="system_load")
    if (v < 0).any():
        raise InputError(f"{what}negative load {v.min()} MW at {s.index[np.argmin(v)]}; load must be >= 0",
                         field="system_load")
    s = s.rename("system_load_mw")
    if s.index.freq is None:
        s.index.freq = pd.tseries.frequencies.to_offset(pd.Timedelta(seconds=step_s(s, "system_load")))
    return s


def headroom_curve(system_load: pd.Series | pd.DataFrame, limits_frac=DUKE_LIMITS_FRAC, *,
                   planning_peak_mw: float | pd.Series | None = None,
                   column: str | None = None) -> pd.DataFrame:
    """Curtailment-enabled headroom for each curtailment limit (module docstring).

    Parameters
    ----------
    system_load : Series or DataFrame
        Hourly (or any fixed-step) system load; see :func:`system_load_from_frame`. [MW]
    limits_frac : float or sequence of float, default (0.0025, 0.005, 0.01)
        Allowed curtailed energy as a share of the new load's energy over the
        series (Norris et al. 2025). [-]
    planning_peak_mw : float or Series, optional
        The threshold total load may not exceed; default the series' maximum (the
        historical peak, as in the study). A Series (same index) gives a
        time-varying threshold, e.g. separate summer and winter peaks. [MW]

    Returns
    -------
    pandas.DataFrame
        Indexed by ``curtailment_limit_frac``: ``headroom_mw``,
        ``headroom_frac_of_peak`` (headroom over the planning peak; over its highest
        value when ``planning_peak_mw`` varies in time), ``curtailed_mwh``, ``curtailed_frac`` (achieved
        share, equal to the limit when it binds), ``curtailment_hours_h``,
        ``events`` (contiguous runs of curtailed intervals), ``mean_event_h``,
        ``max_event_h`` and ``retained_ge_50pct_frac`` (share of curtailed
        intervals in which at least half the new load keeps running).
    """
    s = system_load_from_frame(system_load, column)
    dt_h = step_s(s, "system_load") / 3600.0
    x = s.to_numpy()
    n = len(x)
    if planning_peak_mw is None:
        peak = np.full(n, x.max())
    elif isinstance(planning_peak_mw, pd.Series):
        if not planning_peak_mw.index.equals(s.index):
            raise InputError("a planning-peak Series must share the system-load index", field="planning_peak_mw")
        peak = planning_peak_mw.to_numpy(dtype=float)
    else:
        peak = np.full(n, float(planning_peak_mw))
    if np.any(~np.isfinite(peak)) or np.any(peak <= 0):
        i = int(np.argmax(~np.isfinite(peak) | (peak <= 0)))
        raise InputError(f"must be finite and > 0 [MW], got {peak[i]} at {s.index[i]}", field="planning_peak_mw")
    f = np.atleast_1d(np.asarray(limits_frac, dtype=float))
    if f.size == 0 or np.any(~np.isfinite(f)) or np.any((f < 0) | (f >= 1)):
        raise InputError(f"limits must be in [0, 1), got {list(f)}", field="limits_frac")

    margin = peak - np.minimum(x, peak)                      # >= 0
    m = np.sort(margin)
    csum = np.concatenate(([0.0], np.cumsum(m)))              # csum[k] = M_k
    k = np.arange(1, n + 1)
    with np.errstate(divide="ignore", invalid="ignore"):
        r = np.where(m > 0, ((k - 1) * m - csum[:-1]) / (n * m), 0.0)
    r = np.maximum.accumulate(r)
    kk = np.searchsorted(r, f, side="right")                  # largest k with r_k <= f (1-based)
    kk = np.maximum(kk, 1)
    denom = kk - f * n
    with np.errstate(divide="ignore"):
        lstar = np.where(denom > 0, csum[kk] / np.where(denom > 0, denom, 1.0), np.inf)
    nxt = np.where(kk < n, m[np.minimum(kk, n - 1)], np.inf)
    lstar = np.minimum(lstar, nxt)
    lstar = np.where(np.isfinite(lstar), lstar, m[-1])       # only if f*n >= n (excluded above)
    lstar = np.maximum(lstar, 0.0)

    # statistics in time order, all limits at once
    curt = np.maximum(lstar[:, None] - margin[None, :], 0.0)  # levels x n
    mask = curt > 1e-12 * np.maximum(lstar[:, None], 1.0)
    hours = mask.sum(axis=1) * dt_h
    starts = mask[:, :1].sum(axis=1) + (mask[:, 1:] & ~mask[:, :-1]).sum(axis=1)
    curtailed_mwh = curt.sum(axis=1) * dt_h
    energy = lstar * n * dt_h
    retained = (mask & (curt <= 0.5 * lstar[:, None] + 1e-12)).sum(axis=1)
    maxrun = np.array([_longest_run(row) for row in mask]) * dt_h
    with np.errstate(divide="ignore", invalid="ignore"):
        out = pd.DataFrame({
            "headroom_mw": lstar,
            "headroom_frac_of_peak": lstar / peak.max(),
            "curtailed_mwh": curtailed_mwh,
            "curtailed_frac": np.where(energy > 0, curtailed_mwh / energy, 0.0),
            "curtailment_hours_h": hours,
            "events": starts.astype(int),
            "mean_event_h": np.where(starts > 0, hours / np.maximum(starts, 1), 0.0),
            "max_event_h": maxrun,
            "retained_ge_50pct_frac": np.where(mask.sum(axis=1) > 0, retained / np.maximum(mask.sum(axis=1), 1), 1.0),
        }, index=pd.Index(f, name="curtailment_limit_frac"))
    return out


def _longest_run(mask: np.ndarray) -> int:
    if not mask.any():
        return 0
    m = np.concatenate(([False], mask, [False])).astype(np.int8)
    d = np.diff(m)
    return int((np.flatnonzero(d == -1) - np.flatnonzero(d == 1)).max())


# ---------------------------------------------------------------------------
# The bundled SYNTHETIC example series

#: Parameters of :func:`synthetic_system_load` used for ``data/system_load_example.csv``.
EXAMPLE_PARAMS = dict(year=2025, base_mw=14000.0, cooling_mw_per_degc=600.0, heating_mw_per_degc=250.0,
                      daytime_mw=1500.0, seed=20250211, utc_offset_h=-5)


def synthetic_system_load(year: int = 2025, *, base_mw: float = 14000.0, cooling_mw_per_degc: float = 600.0,
                          heating_mw_per_degc: float = 250.0, daytime_mw: float = 1500.0,
                          seed: int = 20250211, utc_offset_h: int = -5) -> pd.Series:
    """A SYNTHETIC hourly system load for a summer-peaking US utility (illustration only).

    Not measured data. Generated as::

        temp_d  = 15 - 12 cos(2 pi (doy - 15) / 365) + a_d      daily mean proxy [degC]
        a_d     = 0.8 a_{d-1} + N(0, 2.5)                        AR(1) anomaly (heat waves)
        temp_h  = temp_d + 5 sin(2 pi (hour - 9) / 24)           hourly proxy [degC]
        load    = base + cool * max(temp_h - 18, 0) + heat * max(12 - temp_h, 0)
                  + daytime * (weekday 08-20 h) * (1 - 0.4 weekend) + N(0, 1 %)

    with ``numpy.random.default_rng(seed)``; interval-ending hourly labels in a
    fixed UTC offset, ``year``-01-01 01:00 to ``year+1``-01-01 00:00. [MW]
    """
    idx = pd.date_range(f"{year}-01-01 01:00", f"{year + 1}-01-01 00:00", freq="h",
                        tz=f"Etc/GMT{-utc_offset_h:+d}", name="interval_end")
    start = idx - pd.Timedelta(hours=1)
    rng = np.random.default_rng(seed)
    doy = start.day_of_year.to_numpy()
    ndays = int(doy.max())
    anom = np.zeros(ndays)
    for d in range(1, ndays):
        anom[d] = 0.8 * anom[d - 1] + rng.normal(0.0, 2.5)
    temp_d = 15.0 - 12.0 * np.cos(2 * np.pi * (np.arange(1, ndays + 1) - 15) / 365.0) + anom
    hour = start.hour.to_numpy()
    temp = temp_d[doy - 1] + 5.0 * np.sin(2 * np.pi * (hour - 9) / 24.0)
    weekday = start.day_of_week.to_numpy() < 5
    day = ((hour >= 8) & (hour < 20)).astype(float) * np.where(weekday, 1.0, 0.6)
    load = (base_mw + cooling_mw_per_degc * np.maximum(temp - 18.0, 0.0)
            + heating_mw_per_degc * np.maximum(12.0 - temp, 0.0) + daytime_mw * day)
    load = load * (1.0 + rng.normal(0.0, 0.01, len(load)))
    return pd.Series(np.round(load, 1), index=idx, name="system_load_mw")


@functools.lru_cache(maxsize=1)
def _read_example() -> pd.Series:
    # read as a system_load_csv of one's own is (and as dcplan validate checks it), so an unreadable edit of the
    # bundled file is an InputError naming the file, column, value and row, not a bare ValueError in the cell
    return read_system_load_csv(data_path("system_load_example.csv"))


def example_system_load() -> pd.Series:
    """The bundled SYNTHETIC example (``data/system_load_example.csv``), hourly MW."""
    return _read_example().copy()


def is_example_system_load(system_load: pd.Series) -> bool:
    """Whether ``system_load`` is the bundled SYNTHETIC example (:func:`example_system_load`), however it was
    given: by default, or as a ``system_load_csv`` that names ``data/system_load_example.csv`` or a copy of it.

    True when its instants (UTC, whatever the offset they are written in) and its MW values are the example's,
    exactly; a series of one's own differs in at least one. A chart or label of the series can then say it is
    synthetic (the interconnection notebook's headroom chart named the site over the example's curve).

    >>> is_example_system_load(example_system_load()), is_example_system_load(example_system_load() * 1.01)
    (True, False)
    """
    ex = _read_example()
    idx = system_load.index
    return (isinstance(idx, pd.DatetimeIndex) and idx.tz is not None and len(system_load) == len(ex)
            and bool((idx == ex.index).all())  # tz-aware: the same instants in any offset
            and np.array_equal(np.asarray(system_load, dtype=float), ex.to_numpy(dtype=float)))
