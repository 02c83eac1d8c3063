"""Checks of :class:`~dcplan.tariff.Tariff` fields, shared by its builders and its constructor.

:func:`check_tariff` runs in ``Tariff.__post_init__``, so a tariff made by a builder,
by the constructor or by :func:`dataclasses.replace` is checked the same way: shapes,
dtypes and the period indices of the schedules against their rate tables, rates that
are finite and >= 0, and plausible energy and demand prices. It stores every array field as a
read-only copy: the billing engine memoizes schedule-derived arrays by the arrays'
identity (:meth:`dcplan.tariff_engine.Calendar.cached`), so an array edited in place
would leave a stale bill; with read-only arrays such an edit raises instead (build a
new tariff with :func:`dataclasses.replace`).
"""
from __future__ import annotations

import re

import numpy as np
import pandas as pd

from ._ts import unknown_key_message
from .errors import InputError

#: Highest energy rate (rate + adj of a tier, or a flat/TOU price) accepted. [$/kWh]
#: The dearest retail energy prices are well below it: the highest US state average
#: (Hawaii, residential) is about 0.4 $/kWh (US EIA, Electric Power Monthly, Table
#: 5.6.A, 2022-2024), European household prices peaked near 0.6 EUR/kWh in 2022
#: (Eurostat ``nrg_pc_204``), and California critical-peak event prices are about
#: 1 $/kWh. A rate written in cents per kWh (10.5 for 10.5 cents) is 10-60 here.
MAX_ENERGY_USD_PER_KWH = 2.0


def max_demand_usd_per_kw_month() -> float:
    """Highest demand rate accepted (TOU, flat, coincident-peak or 4CP; rate + adj of a tier):
    :data:`dcplan.specs.tariff.MAX_DEMAND_USD_PER_KW_MONTH`, the site format's cap on
    ``tariff.demand_usd_per_kw`` (its source is there). [$/kW-month]"""
    # imported here, not at the top: dcplan.specs loads pydantic (about 0.1 s), which a
    # tariff without demand charges, and ``import dcplan.tariff``, need not wait for
    from .specs.tariff import MAX_DEMAND_USD_PER_KW_MONTH
    return MAX_DEMAND_USD_PER_KW_MONTH


def demand_slip_message(v: float) -> str:
    """The error for a demand rate above :func:`max_demand_usd_per_kw_month`: a rate written in
    $/MW-month (12,500 for 12.5 $/kW-month), the slip the site format's cap also refuses."""
    cap = max_demand_usd_per_kw_month()
    # the likelier slip by size: $/kW-year (12 x a monthly rate: 150 -> 12.5) up to 12 x the cap,
    # $/MW-month (1,000 x: 12,500 -> 12.5) beyond it
    hint = (f"a $/kW-year rate? divide by 12, {v / 12:.4g} $/kW-month" if v <= 12 * cap
            else f"more is $/MW-month: divide by 1000, {v / 1000:g} $/kW-month")
    return (f"demand rate {v:g} $/kW-month is above {cap:g} $/kW-month, more than any tariff charges; "
            f"allowed: 0 to {cap:g} $/kW-month ({hint})")


def demand_rate(v: float, name: str) -> float:
    """A demand price [$/kW-month]: finite, >= 0 and at most :func:`max_demand_usd_per_kw_month`."""
    v = nonneg(v, name)
    if v > 0 and v > max_demand_usd_per_kw_month():  # (0, the default: no import of the cap)
        raise InputError(demand_slip_message(v), field=name)
    return v


_PERIOD_KEYS = ("name", "usd_per_kwh", "hours", "months", "days")
_DAYS = ("weekday", "weekend", "all")


def finite(v, name: str) -> float:
    """``v`` as a float, or an InputError: a finite real number (not a bool or a string)."""
    if isinstance(v, bool) or not isinstance(v, (int, float, np.floating, np.integer)) or not np.isfinite(v):
        raise InputError(f"must be a finite number, got {v!r}", field=name)
    return float(v)


def nonneg(v, name: str) -> float:
    """``v`` as a float >= 0, or an InputError naming ``name``."""
    finite(v, name)
    if v < 0:
        raise InputError(f"must be >= 0, got {v!r}", field=name)
    return float(v)


def energy_rate(v, name: str) -> float:
    """An energy price [$/kWh]: finite, >= 0 and at most :data:`MAX_ENERGY_USD_PER_KWH`."""
    v = nonneg(v, name)
    if v > MAX_ENERGY_USD_PER_KWH:
        raise InputError(rate_slip_message(v), field=name)
    return v


def rate_slip_message(v: float) -> str:
    """The error for an energy rate above :data:`MAX_ENERGY_USD_PER_KWH`: a unit slip, whose unit
    cannot be told from the number, so both readings are given (cents per kWh, $/MWh)."""
    return (f"energy rate {v:g} $/kWh is above {MAX_ENERGY_USD_PER_KWH:g} $/kWh, more than any retail tariff "
            f"charges; allowed: 0 to {MAX_ENERGY_USD_PER_KWH:g} $/kWh. In cents per kWh divide by 100 "
            f"({v / 100:g} $/kWh); in $/MWh divide by 1000 ({v / 1000:g} $/kWh); or a price in another currency: "
            "convert it to USD")


#: The one currency dcplan bills in: every price of a tariff (file or site YAML) is read as USD.
CURRENCY = "USD"


def currency_error(v, field: str = "currency", file: str | None = None) -> InputError | None:
    """The error for a tariff item's ``currency`` (a dcplan key; URDB v8 has none, its prices are USD)
    other than :data:`CURRENCY` (any case), else None."""
    if isinstance(v, str) and v.strip().upper() == CURRENCY:
        return None
    return InputError(f"{v!r} is not allowed: dcplan bills in USD only and reads every price of the file as USD "
                      "(bills, the TCO and the site comparison are in USD); convert the file's prices to USD "
                      f"first, then write \"currency\": \"USD\" (or leave the key out); allowed: \"USD\"",
                      field=field, file=file)


#: A ``startdate`` written as an ISO date, optionally with a time (and an offset): 2026-01-01,
#: 2026-01-01T00:00, 2026-01-01 00:00:00Z.
_ISO_DATE_RE = re.compile(r"\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?)?")
#: Years a ``startdate`` may fall in: URDB's oldest records are of the 1990s and a schedule is
#: not filed a century ahead; outside, epoch seconds are milliseconds or another number. [yr]
STARTDATE_YEARS = (1900, 2200)
#: The two forms a ``startdate`` may take, as errors say them.
STARTDATE_FORMS = ("allowed: epoch seconds UTC as a number (URDB's own form: 1767225600 for 2026-01-01) or an ISO "
                   "date 'YYYY-MM-DD' (optionally with a time, '2026-01-01T00:00')")


def startdate_day(v, field: str = "startdate", file: str | None = None) -> str:
    """A URDB ``startdate`` (the date a rate's prices are in force from) as ``YYYY-MM-DD``: epoch seconds
    (a number: URDB API v8 gives ``startdate`` as an integer, seconds since 1970-01-01 UTC,
    https://openei.org/services/doc/rest/util_rates/?version=8), whose UTC date it is, or an ISO
    date text, optionally with a time (its date as written). Anything else (``01/06/2026``, day and
    month in an order that cannot be told; ``2026-13-01``; a bool) is an :class:`InputError` naming
    ``file``, ``field``, the value and the two forms (:data:`STARTDATE_FORMS`).

    >>> startdate_day(1767225600), startdate_day("2026-06-01T00:00")
    ('2026-01-01', '2026-06-01')
    """
    import datetime as dt
    if isinstance(v, (int, float, np.integer, np.floating)) and not isinstance(v, bool):
        day = None
        if np.isfinite(v):
            try:
                day = dt.datetime.fromtimestamp(float(v), tz=dt.timezone.utc).date()
            except (OverflowError, OSError, ValueError):
                day = None
        if day is None or not STARTDATE_YEARS[0] <= day.year <= STARTDATE_YEARS[1]:
            when = f" (the year {day.year})" if day is not None else ""
            raise InputError(f"{v!r} epoch seconds is no date from {STARTDATE_YEARS[0]} to {STARTDATE_YEARS[1]}{when}: "
                             f"in milliseconds? divide by 1000; {STARTDATE_FORMS}", field=field, file=file)
        return day.isoformat()
    if isinstance(v, str) and _ISO_DATE_RE.fullmatch(v.strip()):
        try:
            return dt.datetime.fromisoformat(v.strip()).date().isoformat()
        except ValueError as exc:
            raise InputError(f"{v!r} is not a date ({exc}); {STARTDATE_FORMS}", field=field, file=file) from None
    why = " (day/month or month/day: the order cannot be told)" if isinstance(v, str) and re.fullmatch(
        r"\s*\d{1,2}[/.]\d{1,2}[/.]\d{2,4}\s*", v) else ""
    raise InputError(f"{v!r} is not a date dcplan reads{why}; {STARTDATE_FORMS}", field=field, file=file)


def startdate_text(v, field: str = "startdate", file: str | None = None) -> str:
    """A URDB ``startdate`` as a reader is shown it: its ISO date (:func:`startdate_day`), with the raw
    value beside it when the file gives epoch seconds (``1672531200`` -> ``'2023-01-01 (1672531200)'``,
    the date the figure is and the value to find in the file); an ISO text as written, stripped.
    A value that is no date is the :class:`InputError` of :func:`startdate_day`.

    >>> startdate_text(1672531200), startdate_text("2026-06-01")
    ('2023-01-01 (1672531200)', '2026-06-01')
    """
    day = startdate_day(v, field, file)
    if isinstance(v, str):
        return v.strip()
    raw = f"{int(v)}" if float(v).is_integer() else f"{float(v)!r}"
    return f"{day} ({raw})"


def check_item_fields(low: dict, file: str | None = None, ignore=()) -> None:
    """Refuse a URDB item's ``currency`` other than USD (:func:`currency_error`) and a ``startdate`` or
    ``enddate`` that is no date (:func:`startdate_day`: an unreadable ``enddate`` hid that the rate was
    superseded, :func:`dcplan.tariff_applicability.superseded_text`). ``low``: ``{lower-case key: (key as
    written, value)}``; keys in ``ignore`` (as written), null and empty values (no date given) are skipped."""
    for lk, check in (("currency", currency_error), ("startdate", startdate_day), ("enddate", startdate_day)):
        if lk in low and low[lk][0] not in ignore and low[lk][1] not in (None, ""):
            err = check(low[lk][1], low[lk][0], file)
            if isinstance(err, InputError):
                raise err


#: Words of a URDB ``dgrules`` value that pays for exported energy, in any case. URDB API v8
#: (https://openei.org/services/doc/rest/util_rates/?version=8) gives the rule by which a
#: tariff compensates customer generation as one of "Net Metering" (exports offset imports at
#: the retail rate), "Net Billing Instantaneous" and "Net Billing Hourly" (exports credited at
#: the tiers' ``sell`` rate), "Buy All Sell All" (all generation sold at the sell rate, all
#: load bought); NREL SAM's URDB reader maps them to its metering options 0, 2, 3 and 4
#: (``ur_metering_option``). Each one credits exports.
EXPORT_DGRULES_WORDS = ("net metering", "net billing", "sell all")


def _flag_on(v) -> bool:
    """A URDB boolean that is on: JSON ``true`` (or 1, or the string "true")."""
    if isinstance(v, str):
        return v.strip().lower() in ("true", "yes", "1")
    return v is True or (not isinstance(v, bool) and isinstance(v, (int, float)) and v == 1)


def export_credit_message(item: dict, file: str | None = None, name: str | None = None) -> str:
    """The warning for a URDB rate item that credits exported energy, else ``""``.

    The item credits exports when ``usenetmetering`` is on, when ``dgrules`` names net
    metering, net billing or buy-all/sell-all (:data:`EXPORT_DGRULES_WORDS`), or when a tier of
    ``energyratestructure`` has a nonzero ``sell`` rate. dcplan bills the energy drawn from the
    grid only, with no credit for exports (:mod:`dcplan.tariff`), so for a site whose PV
    exports the bill is an upper bound. One message names everything found (the first
    ``sell`` and how many more), after ``file (item 'label')`` (or ``tariff 'name'`` without a
    file). ``item``: the keys as the file spells them (any case)."""
    low = {str(k).lower(): (k, v) for k, v in item.items()}
    found = []
    if "usenetmetering" in low and _flag_on(low["usenetmetering"][1]):
        k, v = low["usenetmetering"]
        found.append((k, "true" if v is True else repr(v)))
    rules = low.get("dgrules", (None, None))[1]
    basa = False
    if isinstance(rules, str) and any(w in rules.lower() for w in EXPORT_DGRULES_WORDS):
        found.append((low["dgrules"][0], repr(rules)))
        basa = "sell all" in rules.lower()
    k_e, structure = low.get("energyratestructure", (None, None))
    sells = []
    for p, tiers in enumerate(structure if isinstance(structure, list) else []):
        for t, tier in enumerate(tiers if isinstance(tiers, list) else []):
            v = tier.get("sell") if isinstance(tier, dict) else None
            if not isinstance(v, bool) and isinstance(v, (int, float)) and np.isfinite(v) and v != 0:
                sells.append((f"{k_e}[{p}][{t}].sell", v))
    if sells:
        n = len(sells) - 1
        more = "" if n == 0 else " and 1 more tier's sell rate" if n == 1 else f" and {n} more tiers' sell rates"
        found.append((sells[0][0], f"{sells[0][1]:g} $/kWh{more}"))
    if not found:
        return ""
    label = low.get("label", (None, None))[1]
    where = (f"{file} (item {label!r})" if file and label is not None else file if file
             else f"tariff {name!r}" if name else "tariff")
    items = ", ".join(f"{k} {v}" for k, v in found)
    text = (f"{where}: {found[0][0]}: this tariff credits energy exported to the grid ({items}), but dcplan bills "
            "only the energy the site draws and credits no export: PV output above the site's load earns nothing "
            "here, so for a site that exports the bill is an upper bound (exact for one that never exports)")
    if basa:
        text += ("; under 'Buy All Sell All' the utility also bills the whole load and buys all PV output, while "
                 "dcplan nets the PV against the load behind the meter")
    return text


def months_list(months, where: str) -> list:
    """Months 1-12 of a period; None means all twelve, an empty list is refused."""
    if months is None:
        return list(range(1, 13))
    try:
        ms = list(months)
    except TypeError:
        raise InputError(f"need a list of months 1-12 (None for all), got {months!r}", field=where) from None
    if not ms:
        raise InputError("empty list of months; give months 1-12, or None for all twelve", field=where)
    if any(isinstance(m, bool) or not isinstance(m, (int, np.integer)) or not 1 <= m <= 12 for m in ms):
        raise InputError(f"need months 1-12, got {months!r}", field=where)
    return ms


def check_prior_peaks(prior, n_scenarios: int):
    """``prior_peaks_kw`` as a float array (12,) or (n_scenarios, 12), or None."""
    if prior is None:
        return None
    try:
        a = np.asarray(prior, dtype=float)
    except (TypeError, ValueError):
        raise InputError(f"need 12 monthly peaks in kW (Jan..Dec), got {prior!r:.80}",
                         field="prior_peaks_kw") from None
    if a.shape not in ((12,), (1, 12), (n_scenarios, 12)):
        raise InputError(f"need 12 monthly peaks (Jan..Dec) or an array (n_scenarios={n_scenarios}, 12), "
                         f"got shape {a.shape}", field="prior_peaks_kw")
    bad = ~np.isfinite(a) | (a < 0)
    if bad.any():
        pos = np.unravel_index(int(np.argmax(bad)), a.shape)
        where = f"month {pos[-1] + 1}" + (f" of scenario row {pos[0]}" if a.ndim == 2 else "")
        raise InputError(f"peaks must be finite and >= 0 kW, got {float(a[pos])!r} for {where}",
                         field="prior_peaks_kw")
    return a


def apply_period(p: dict, where: str, k: int, wd: np.ndarray, we: np.ndarray, *,
                 default_days: str = "weekday") -> None:
    """Write period ``k`` into the writable 12 x 24 schedules ``wd``/``we`` from ``p``
    (keys :data:`_PERIOD_KEYS`); errors name ``where.hours`` etc. (``where`` "" for keyword
    arguments: ``hours``)."""
    pre = f"{where}." if where else ""
    if not isinstance(p, dict):
        raise InputError(f"must be a dict with keys {_PERIOD_KEYS}, got {p!r}", field=where)
    for key in p:
        if key not in _PERIOD_KEYS:
            raise InputError(unknown_key_message(key, _PERIOD_KEYS), field=f"{pre}{key}")
    raw = p.get("hours")
    try:
        hours = list(raw or [])
    except TypeError:
        hours = None
    # (a bool is an int to Python: hours=[True] would silently mean hour 1)
    if not hours or any(isinstance(h, (bool, np.bool_)) or not isinstance(h, (int, np.integer))
                        or not 0 <= h <= 23 for h in hours):
        raise InputError(f"need start hours 0-23 (integers), got {raw!r}", field=f"{pre}hours")
    months = months_list(p.get("months"), f"{pre}months")
    days = p.get("days", default_days)
    if not isinstance(days, str) or days not in _DAYS:
        raise InputError(unknown_key_message(days, _DAYS), field=f"{pre}days")
    mi = np.array(months)[:, None] - 1
    hi = np.array(hours)[None, :]
    if days in ("weekday", "all"):
        wd[mi, hi] = k
    if days in ("weekend", "all"):
        we[mi, hi] = k


def check_interval(interval, name: str) -> pd.Timedelta:
    """A positive length of time such as ``"15min"``, or an InputError naming ``name``."""
    try:
        iv = pd.Timedelta(interval)
    except (TypeError, ValueError):
        iv = None
    if iv is None or pd.isna(iv) or iv <= pd.Timedelta(0):
        raise InputError(f"not a positive length of time: {interval!r}; e.g. 15min, 60min", field=name)
    return iv


# ---------------------------------------------------------------------- the constructor's checks
def _frozen(a, name: str, dtype, ndim: int | None = None, shape: tuple | None = None) -> np.ndarray:
    """A read-only copy of ``a`` as ``dtype`` (the caller's array stays writable)."""
    try:
        raw = np.asarray(a)
    except (TypeError, ValueError):
        raise InputError(f"must be an array, got {a!r:.60}", field=name) from None
    if shape is not None and raw.shape != shape:
        raise InputError(f"must have shape {shape}, got {raw.shape}", field=name)
    if ndim is not None and raw.ndim != ndim:
        raise InputError(f"must be a {ndim}-D array, got shape {raw.shape}", field=name)
    if raw.dtype.kind not in "iuf" and not (dtype is bool and raw.dtype.kind == "b"):
        raise InputError(f"must hold numbers, got dtype {raw.dtype}", field=name)
    out = np.array(raw, dtype=dtype, copy=True)
    out.setflags(write=False)
    return out


def _rates(t, rate_f: str, upper_f: str, *, allow_negative: bool = False, energy: bool = False,
           demand: bool = False):
    """Check a rate table (P, T) and its tier bounds; return both frozen, or (None, None).
    ``energy``/``demand``: refuse rates above :data:`MAX_ENERGY_USD_PER_KWH` /
    :func:`max_demand_usd_per_kw_month` (a unit slip)."""
    rate, upper = getattr(t, rate_f), getattr(t, upper_f)
    if rate is None:
        if upper is not None:
            raise InputError(f"given without {rate_f}; add the rates or leave it None", field=upper_f)
        return None, None
    r = _frozen(rate, rate_f, float, ndim=2)
    if r.shape[0] < 1 or r.shape[1] < 1:
        raise InputError(f"need at least one period and one tier, got shape {r.shape}", field=rate_f)
    bad = ~np.isfinite(r) | ((r < 0) if not allow_negative else False)
    if bad.any():
        p, k = np.unravel_index(int(np.argmax(bad)), r.shape)
        raise InputError(f"rate of period {p}, tier {k} is {float(r[p, k]):.6g}; rates must be finite and >= 0",
                         field=rate_f)
    if energy and (r > MAX_ENERGY_USD_PER_KWH).any():
        raise InputError(rate_slip_message(float(r.max())), field=rate_f)
    if demand and (r > max_demand_usd_per_kw_month()).any():
        p, k = np.unravel_index(int(np.argmax(r)), r.shape)
        raise InputError(f"period {p}, tier {k}: " + demand_slip_message(float(r[p, k])), field=rate_f)
    u = np.full(r.shape, np.inf) if upper is None else _frozen(upper, upper_f, float, shape=r.shape)
    # tier bounds: > 0 and ascending along each period's tiers (padding repeats inf)
    ok = (u > 0) & ~np.isnan(u)
    ok[:, 1:] &= (u[:, 1:] > u[:, :-1]) | np.isposinf(u[:, 1:])
    if not ok.all():
        p, k = np.unravel_index(int(np.argmax(~ok)), u.shape)
        raise InputError(f"tier bound of period {p}, tier {k} is {float(u[p, k])!r}; bounds must be > 0 and "
                         "ascending", field=upper_f)
    if upper is None:
        u.setflags(write=False)
    return r, u


def _periods(t, f: str, n: int, rate_f: str, shape: tuple) -> np.ndarray:
    """A frozen int64 array of period indices 0..n-1 (a schedule or ``flat_months``)."""
    a = getattr(t, f)
    if a is None:
        raise InputError(f"missing; needed with {rate_f}", field=f)
    raw = np.asarray(a)
    if raw.shape != shape:
        raise InputError(f"must have shape {shape} ({'months x hours' if len(shape) == 2 else 'months'}), "
                         f"got {raw.shape}", field=f)
    if raw.dtype.kind not in "iu":
        ok = raw.dtype.kind == "f" and np.isfinite(raw).all() and (raw == np.round(raw)).all()
        if not ok:
            raise InputError(f"period indices must be integers, got dtype {raw.dtype}", field=f)
    out = _frozen(raw, f, np.int64)
    bad = (out < 0) | (out >= n)
    if bad.any():
        pos = np.unravel_index(int(np.argmax(bad)), out.shape)
        where = f"month {pos[0] + 1}" + (f", hour {pos[1]}" if len(pos) == 2 else "")
        from .tariff_urdb import one_based_hint
        raise InputError(f"period {int(out[pos])} at {where} has no rate in {rate_f} (periods 0..{n - 1})"
                         + one_based_hint(out.reshape(-1, out.shape[-1]).tolist(), n), field=f)
    return out


def _names(t, f: str, n: int):
    v = getattr(t, f)
    if v is None:
        return None
    v = tuple(v)
    if len(v) != n:
        raise InputError(f"need {n} names (one per period), got {len(v)}", field=f)
    return v


def check_tariff(t) -> None:
    """Check every field of the frozen dataclass ``t`` and store its arrays read-only."""
    def put(name, value):
        object.__setattr__(t, name, value)

    for f in ("fixed_usd_per_month", "fixed_usd_per_day", "min_usd_per_month", "min_usd_per_day", "min_usd_per_year"):
        put(f, nonneg(getattr(t, f), f))
    put("fourcp_usd_per_kw_month", demand_rate(t.fourcp_usd_per_kw_month, "fourcp_usd_per_kw_month"))
    units = ("kWh", "kWh daily", "kWh/kW", "kWh/kW daily")  # kWh/kW: x the month's peak (dcplan.tariff_tier_units)
    if t.energy_tier_unit not in units:
        raise InputError(unknown_key_message(t.energy_tier_unit, units), field="energy_tier_unit")
    if t.energy_rate is None:
        raise InputError("must be an array (n_periods, n_tiers) of prices in $/kWh", field="energy_rate")
    rate, upper = _rates(t, "energy_rate", "energy_upper", allow_negative=t.allow_negative_energy, energy=True)
    put("energy_rate", rate)
    put("energy_upper", upper)
    n_e = rate.shape[0]
    for f in ("energy_weekday", "energy_weekend"):
        put(f, _periods(t, f, n_e, "energy_rate", (12, 24)))
    put("energy_period_names", _names(t, "energy_period_names", n_e))
    if t.fuel_adj_usd_per_kwh is not None:
        fa = _frozen(t.fuel_adj_usd_per_kwh, "fuel_adj_usd_per_kwh", float, shape=(12,))
        if not np.isfinite(fa).all():
            raise InputError("monthly fuel adjustments must be finite", field="fuel_adj_usd_per_kwh")
        put("fuel_adj_usd_per_kwh", fa)
    # demand: each rate table with its own schedule(s); a schedule without its rates is refused
    for rate_f, upper_f, scheds, shape, names in (
            ("demand_rate", "demand_upper", ("demand_weekday", "demand_weekend"), (12, 24), "demand_period_names"),
            ("flat_rate", "flat_upper", ("flat_months",), (12,), None),
            ("coincident_rate", "coincident_upper", ("coincident_schedule",), (12, 24), None)):
        r, u = _rates(t, rate_f, upper_f, demand=True)
        if r is None:
            for f in scheds + ((names,) if names else ()):
                if getattr(t, f) is not None:
                    raise InputError(f"given without {rate_f}, so it would not be billed; add the rates or "
                                     "leave it None", field=f)
            continue
        put(rate_f, r)
        put(upper_f, u)
        for f in scheds:
            put(f, _periods(t, f, r.shape[0], rate_f, shape))
        if names:
            put(names, _names(t, names, r.shape[0]))
    _check_ratchet(t, put)
    if t.contract_kw is not None:
        put("contract_kw", nonneg(t.contract_kw, "contract_kw"))
    for f in ("contract_min_frac_flat", "contract_min_frac_tou"):
        v = finite(getattr(t, f), f)
        if not 0.0 <= v <= 1.0:
            raise InputError(f"must be in [0, 1], got {v}", field=f)
    check_interval(t.fourcp_interval, "fourcp_interval")
    if t.fourcp_prior_kw is not None:
        put("fourcp_prior_kw", nonneg(t.fourcp_prior_kw, "fourcp_prior_kw"))
    by = t.escalation_base_year
    if by is not None and (isinstance(by, (bool, np.bool_)) or not isinstance(by, (int, np.integer))):
        raise InputError(f"must be a whole year such as 2025, got {by!r}", field="escalation_base_year")
    if t.escalation_frac_per_year and by is None:
        raise InputError("escalation needs a base year", field="escalation_base_year")
    if t.rtp_usd_per_kwh is not None:
        from .tariff_prices import check_price_series
        check_price_series(t.rtp_usd_per_kwh, "rtp_usd_per_kwh")


def _check_ratchet(t, put) -> None:
    if t.ratchet_frac is None:
        if t.ratchet_months_mask is not None:
            raise InputError("given without ratchet_frac, so it would not be billed", field="ratchet_months_mask")
        return
    frac = _frozen(t.ratchet_frac, "ratchet_frac", float, shape=(12,))
    if not ((frac >= 0) & (frac <= 1.0 + 1e-12)).all():
        raise InputError(f"fractions must be in [0, 1], got {frac.tolist()}", field="ratchet_frac")
    if frac.any() and t.flat_rate is None and t.demand_rate is None:
        raise InputError("a demand ratchet needs a demand charge (flat_rate or demand_rate) to set the billing "
                         "demand of; the tariff has none, so it would not be billed", field="ratchet_frac")
    put("ratchet_frac", frac)
    lb = t.ratchet_lookback_months
    if isinstance(lb, (bool, np.bool_)) or not isinstance(lb, (int, np.integer)) or not 0 <= lb <= 12:
        raise InputError(f"must be a whole number of months 0..12, got {lb!r}", field="ratchet_lookback_months")
    if t.ratchet_months_mask is not None:
        mask = np.asarray(t.ratchet_months_mask)
        if mask.shape != (12,) or mask.dtype.kind != "b":
            raise InputError(f"must be 12 booleans (Jan..Dec), got {mask!r:.60}", field="ratchet_months_mask")
        put("ratchet_months_mask", _frozen(mask, "ratchet_months_mask", bool))

