"""URDB rate structures and schedules: the tiered rates, 12 x 24 period schedules and monthly
vectors of a rate item (split from :mod:`dcplan.tariff_urdb`, which re-exports every name here).

:func:`parse_tiers` reads an ``*ratestructure`` (periods of tiers) into rate and upper-bound
arrays, :func:`parse_schedule` a weekday/weekend schedule of period indices, and
``_months_vector`` the 12-month lists (``flatdemandmonths``, ``fueladjustmentsmonthly``,
``demandratchetpercentage``, ``lookbackmonths``); :func:`one_based_hint` says when a schedule counts its
periods from 1. Used by :func:`dcplan.tariff_urdb.parse_item`, by ``dcplan validate``
(:mod:`dcplan.validate`: a schedule's shape on its own) and by :mod:`dcplan.tariff_checks`. Field meanings
follow the URDB API v8 documentation (https://openei.org/services/doc/rest/util_rates/?version=8).
"""
from __future__ import annotations

import math
from typing import Any

import numpy as np

from ._ts import unknown_key_message
from .errors import InputError
from .tariff_checks import MAX_ENERGY_USD_PER_KWH, demand_slip_message, max_demand_usd_per_kw_month, rate_slip_message

_TIER_KEYS = {"max", "unit", "rate", "adj", "sell"}


def _err(msg: str, field: str, file: str | None) -> InputError:
    return InputError(msg, field=field, file=file)


#: What a refused negative energy rate says: the switch exists only in Python.
NEGATIVE_ENERGY_HINT = (" (credits: dcplan.tariff.Tariff.from_urdb(..., allow_negative_energy=True) in Python; "
                        "dcplan bill does not bill them)")


def _num(v: Any, field: str, file: str | None, *, min_value: float | None = None) -> float:
    if isinstance(v, bool) or not isinstance(v, (int, float)) or not math.isfinite(v):
        raise _err(f"must be a finite number, got {v!r}", field, file)
    if min_value is not None and v < min_value:
        raise _err(f"must be >= {min_value}, got {v!r}", field, file)
    return float(v)


def parse_tiers(structure: Any, field: str, file: str | None, *, kind: str,
                allow_negative: bool = False, ignore: set = frozenset(), notes: list | None = None):
    """Parse a URDB rate structure (list of periods, each a list of tiers).

    Returns ``(rate, upper, unit)``: arrays (n_periods, n_tiers) of price (``rate``
    plus ``adj``) and tier upper bound (``inf`` where open), padded by repeating the
    last tier with an infinite bound, and the tier unit (``"kWh"``, ``"kWh daily"``
    or ``"kW"``). Tiers must share one unit; an open tier (no ``max``) without a
    ``unit`` takes the others' (it has no bound to scale). A tier unit left out with ``ignore``
    (``STRUCTURE.unit``) is billed in the structure's own unit, and said in ``notes``.
    """
    if not isinstance(structure, list) or not structure:
        raise _err("must be a non-empty list of periods (each a list of tiers)", field, file)
    from .tariff_tier_units import (ENERGY_LABELS, ENERGY_UNITS, did_you_mean_daily, kva_message, norm, per_demand,
                                    scaled, scaled_note)
    allowed_units = {"energy": tuple(ENERGY_UNITS), "demand": ("kw",)}[kind]
    ign = {str(x).lower() for x in ignore}  # a structure's tier unit, in any case of its key
    periods, units = [], {}  # unit (lower case) -> (its first tier's field, the unit as written)
    for p, tiers in enumerate(structure):
        fp = f"{field}[{p}]"
        if not isinstance(tiers, list) or not tiers:
            raise _err(f"period {p} must be a non-empty list of tiers", fp, file)
        rows, prev = [], -math.inf
        for t, tier in enumerate(tiers):
            ft = f"{fp}[{t}]"
            if not isinstance(tier, dict):
                raise _err(f"tier must be an object, got {tier!r}", ft, file)
            for k in tier:
                if k not in _TIER_KEYS:
                    raise _err(unknown_key_message(k, _TIER_KEYS), ft, file)
            if "rate" not in tier:
                raise _err("missing 'rate'", ft, file)
            rate = _num(tier["rate"], ft + ".rate", file) + _num(tier.get("adj", 0.0), ft + ".adj", file)
            if kind == "energy" and rate > MAX_ENERGY_USD_PER_KWH:
                raise _err(rate_slip_message(rate), ft + ".rate", file)
            if kind == "demand" and rate > 0 and rate > max_demand_usd_per_kw_month():  # $/MW-month
                has_adj = float(tier.get("adj", 0.0) or 0.0) != 0.0
                raise _err(("rate + adj: " if has_adj else "") + demand_slip_message(rate), ft + ".rate", file)
            if rate < 0 and not allow_negative:
                parts = (f" (rate {_num(tier['rate'], ft + '.rate', file):.6g} + adj "
                         f"{_num(tier.get('adj', 0.0), ft + '.adj', file):.6g})" if tier.get("adj") else "")
                raise _err(f"rate + adj = {rate:.6g}{parts} is negative; negative {kind} rates are "
                           "not allowed" + (NEGATIVE_ENERGY_HINT if kind == "energy" else ""),
                           ft + ".rate", file)
            unit = norm(tier.get("unit", "kWh" if kind == "energy" else "kW"))
            open_end = tier.get("max") is None
            factor = 1.0  # kWh/hp: its max in kWh/kW (dcplan.tariff_tier_units)
            if unit not in allowed_units:
                from .tariff_overrides import kva_tier_note, unsupported_unit_message
                from .tariff_tier_units import daily_demand
                if (ft + ".unit").lower() in ign or f"{field}.unit".lower() in ign:
                    if notes is not None:  # said in the bill (Bill.notes) and by dcplan bill, never silent
                        per_peak = kind == "energy" and (per_demand(unit)  # kWh/kVA, kWh/MW: a bound x the peak
                                                         or "/kW" in (scaled(unit, kind) or ("",))[0])
                        notes.append(f"{ft}.unit {tier.get('unit')!r} ignored (ignore=): tier billed as "
                                     f"{_unit_label(allowed_units[0])}"
                                     + ("" if open_end else f", its max {tier['max']!r} as {_unit_label(allowed_units[0])}"
                                        + (" a month, not x the month's peak demand: this tier's bill is wrong"
                                           if per_peak else ", a day's bound billed as a month's: this tier's bill "
                                           "is wrong" if did_you_mean_daily(unit) else ""))
                                     + ("" if per_peak else kva_tier_note(unit))
                                     + ("" if open_end and kind == "energy" else scaled_note(tier.get("unit"), kind))
                                     + (": a daily demand charge billed once a month on the month's peak: understated "
                                        "about 30 x (the utility charges each day's peak)"
                                        if kind == "demand" and daily_demand(unit) else ""))
                    unit = allowed_units[0]
                elif kind == "energy" and per_demand(unit):  # kWh/kVA: needs a power factor
                    raise _err(kva_message(tiers, t), ft + ".unit", file)
                else:
                    labels = list(ENERGY_LABELS) if kind == "energy" else [_unit_label(u) for u in allowed_units]
                    raise _err(unsupported_unit_message(tiers, t, field, labels), ft + ".unit", file)
            elif kind == "energy":
                unit, factor = ENERGY_UNITS[unit]
            if "unit" in tier or not open_end:  # an open tier without a unit has no limit to scale
                units.setdefault(unit, (ft, str(tier.get("unit", _unit_label(unit)))))
            if not open_end:
                upper = _num(tier["max"], ft + ".max", file) * factor
                if upper <= 0:
                    raise _err(f"tier maxima must be positive and ascending; got {upper / factor:g} for tier {t} "
                               "(a tier's max is its upper bound, > 0)", ft + ".max", file)
                if upper <= prev:  # (both as written, in the structure's one unit: kWh/hp, not its kWh/kW)
                    raise _err(f"tier maxima must be positive and ascending; got {upper / factor:g} for tier {t} "
                               f"after {prev / factor:g} for tier {t - 1}", ft + ".max", file)
            else:
                if t != len(tiers) - 1:
                    raise _err("only the last tier may omit 'max'", ft + ".max", file)
                upper = math.inf
            prev = upper
            rows.append((rate, upper))
        periods.append(rows)
    if len(units) > 1:
        (f0, u0), (f1, u1) = list(units.values())[:2]
        raise _err(f"tiers mix units: {u0!r} ({f0}) and {u1!r} ({f1}); use one unit throughout (an open last "
                   "tier may leave its unit out)", f1 + ".unit", file)
    n_t = max(len(r) for r in periods)
    rate = np.empty((len(periods), n_t))
    upper = np.empty((len(periods), n_t))
    for p, rows in enumerate(periods):
        for t in range(n_t):
            if t < len(rows):
                rate[p, t], upper[p, t] = rows[t]
            else:  # padding: never reached because the previous bound is the real last one
                rate[p, t], upper[p, t] = rows[-1][0], math.inf
    unit = next(iter(units)) if units else allowed_units[0]
    return rate, upper, _unit_label(unit)


def _unit_label(unit: str) -> str:
    """A lower-case tier unit as written in results and messages (``kWh``, ``kWh daily``, ``kWh/kW``, ``kW``)."""
    return unit.replace("kwh", "kWh").replace("kw", "kW")


def parse_schedule(sched: Any, field: str, file: str | None, n_periods: int | None, rate_field: str):
    """Validate a 12 x 24 schedule of period indices (0-based) and return an int array.

    ``n_periods`` None checks only the shape and the integers (the period range needs
    the rates: ``dcplan validate`` checks the shape on its own)."""
    if not isinstance(sched, list) or len(sched) != 12:
        got = len(sched) if isinstance(sched, list) else type(sched).__name__
        flipped = (isinstance(sched, list) and len(sched) == 24
                   and all(isinstance(r, list) and len(r) == 12 for r in sched))
        raise _err(f"must be 12 rows (months) of 24 period indices, got {got} rows"
                   + (" (24 rows of 12: transposed? URDB schedules are 12 months x 24 hours)" if flipped else ""),
                   field, file)
    out = np.empty((12, 24), dtype=np.int64)
    for m, row in enumerate(sched):
        if not isinstance(row, list) or len(row) != 24:
            got = len(row) if isinstance(row, list) else type(row).__name__
            raise _err(f"month row must have 24 hourly period indices, got {got}", f"{field}[{m}]", file)
        for h, v in enumerate(row):
            if isinstance(v, bool) or not isinstance(v, (int, float)) or not math.isfinite(v) or v != int(v):
                raise _err(f"period index must be an integer, got {v!r}", f"{field}[{m}][{h}]", file)
            if n_periods is not None and not 0 <= int(v) < n_periods:
                raise _err(f"period {int(v)} has no rate in {rate_field} (periods 0..{n_periods - 1})"
                           + one_based_hint(sched, n_periods), f"{field}[{m}][{h}]", file)
            out[m, h] = int(v)
    return out


def one_based_hint(rows, n_periods: int) -> str:
    """``; URDB schedules count periods from 0: ...`` when the period indices of ``rows`` (lists
    of numbers) run 1..``n_periods``, as a 1-based (SAM-style, or hand-numbered) schedule does;
    else ''."""
    vals = {v for r in rows if isinstance(r, (list, tuple)) for v in r
            if isinstance(v, (int, float)) and not isinstance(v, bool) and math.isfinite(v)}
    if not vals or min(vals) < 1 or max(vals) != n_periods:
        return ""
    return (f"; URDB schedules count periods from 0, and this one uses 1..{n_periods}, so it is 1-based: "
            "subtract 1 from every entry")


def _months_vector(v: Any, field: str, file: str | None, *, kind: str, n_periods: int = 0):
    if not isinstance(v, list) or len(v) != 12:
        raise _err(f"must be a list of 12 monthly values, got {v!r:.80}", field, file)
    if kind == "period":
        out = np.empty(12, dtype=np.int64)
        for m, x in enumerate(v):
            if isinstance(x, bool) or not isinstance(x, (int, float)) or not math.isfinite(x) \
                    or x != int(x) or not 0 <= x < n_periods:
                raise _err(f"period {x!r} has no rate in flatdemandstructure (periods 0..{n_periods - 1})"
                           + one_based_hint([v], n_periods), f"{field}[{m}]", file)
            out[m] = int(x)
        return out
    if kind == "bool":  # JSON true/false only: bool("false") would be True
        for m, x in enumerate(v):
            if not isinstance(x, (bool, np.bool_)):
                raise _err(f"must be true or false (a JSON boolean), got {x!r}", f"{field}[{m}]", file)
        return np.array([bool(x) for x in v])
    return np.array([_num(x, f"{field}[{m}]", file) for m, x in enumerate(v)])
