"""Deployment ramp arithmetic: GPUs planned per month and the GPUs a month's contracted capacity powers.

Split from :mod:`dcplan.grid` (which re-exports :func:`gpu_plan` and :func:`deployment_ramp`, and builds
the monthly contracted capacity they take, :func:`dcplan.grid.capacity_timeline`, and the ramp's
uncertainty band, :func:`dcplan.grid.ramp_band`). Calendar convention: monthly on naive month-start
dates (``freq="MS"``); GPUs, like a capacity phase, count from the first month that starts on or after
their date.

**The month rule** (one rule for every report that turns a date or a grid delay into whole months: the
interconnection notebook's ramp and stranded GPU-months, :mod:`dcplan.grid_waiting`, the TCO's ramp and its
delay in months, :mod:`dcplan.tco_grid_dates`, and the site verdict). Power arrives on a date
(:func:`dcplan.grid.energization_dates`, to the day); a GPU runs from the first month that starts on or after
it (:func:`powered_from`), so a month powered for only part of its days is a month of waiting. Why that way:
the model's months are whole (a month's revenue, energy and bill are all-or-nothing), and counting a part
month as powered would sell hours before the capacity exists; it is also how a GPU installed mid-month is
counted (from the next month start), so GPUs and capacity meet on the same calendar. A grid delay is stated in
whole months as the months it moves that first powered month (:func:`powered_months_late`): northern-virginia's
median delay of 19.08 months puts its first phase (planned 2027-01-01) on 2028-08-04, so power from September
2028: 20 months late, not 19 (19.08 rounded). Power on a month's first day counts from that month
(phoenix-az's 37.51 months land on 2028-03-01: from March).
"""
from __future__ import annotations

import math
import numbers
from typing import Mapping

import numpy as np
import pandas as pd

from .errors import InputError

__all__ = ["gpu_plan", "deployment_ramp", "power_unit_gpus", "check_unit_gpus", "whole_units_gpus", "units_fit_words",
           "powered_from", "powered_months_late", "month_rule_note", "unit_noun"]


def powered_from(d) -> pd.Period:
    """The month a GPU can first run on power (or a GPU installed) arriving on date ``d``: the first month
    that starts on or after it (the month rule, module docstring: a month partly powered is a month of
    waiting). A timezone-aware date is taken at its wall-clock date.

    >>> str(powered_from("2028-08-04")), str(powered_from("2028-03-01")), str(powered_from("2028-03-01 00:00:01"))
    ('2028-09', '2028-03', '2028-04')
    """
    from .tco_input_types import month_on_or_after  # the one implementation (the TCO's fleet_start counts so)
    return month_on_or_after(d, field="date")


def powered_months_late(planned, energized) -> int:
    """Whole months by which power arriving on ``energized`` instead of ``planned`` moves the first month
    GPUs run (:func:`powered_from` of each): the month rule's grid delay in whole months. [months]

    >>> powered_months_late("2027-01-01", "2028-08-04")   # northern-virginia's median: 19.08 months
    20
    >>> powered_months_late("2025-01-15", "2028-03-01")   # phoenix-az's: 37.51 months, from Feb 2025 to Mar 2028
    37
    """
    return int(powered_from(energized).ordinal - powered_from(planned).ordinal)


def month_rule_note(dates: pd.DataFrame, q: str = "p50") -> str:
    """The month rule applied to the first pending phase of :func:`dcplan.grid.energization_dates` ``dates`` at
    quantile ``q`` (its ``energized_<q>`` column), in words; ``""`` when no phase is pending.

    >>> d = pd.DataFrame({"label": ["phase 1"], "in_service": [False], "planned": [pd.Timestamp("2027-01-01")],
    ...                   "energized_p50": [pd.Timestamp("2028-08-04")]})
    >>> month_rule_note(d).split(". ")[1][:100]
    'phase 1 (median) is energized on 2028-08-04, so GPUs run on it from 2028-09, 20 months after 2027-01'
    """
    pend = dates[~dates["in_service"].astype(bool)]
    if pend.empty:
        return ""
    r = pend.iloc[0]
    planned, on = pd.Timestamp(r["planned"]), pd.Timestamp(r[f"energized_{q}"])
    n = powered_months_late(planned, on)
    what = "median" if q == "p50" else q
    return (f"Whole months: power counts from the first month starting on or after its date (a month partly powered "
            f"is a month of waiting; GPUs installed mid-month count from the next month too). {r['label']} ({what}) is "
            f"energized on {on:%Y-%m-%d}, so GPUs run on it from {powered_from(on)}, {n} month{'s' if n != 1 else ''} "
            f"after {powered_from(planned)} (planned {planned:%Y-%m-%d}): the grid delay in whole months, as the tco "
            f"notebook counts it (grid_delay_p50_months).")


def _delay_months(value) -> float:
    """``delay_months`` as a float: one finite real number >= 0 (a Python or numpy int or
    float; text, a bool, None, NaN or inf is refused, not compared or slipped by)."""
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, numbers.Real):
        raise InputError(f"must be a finite number >= 0 [months], got {value!r} "
                         f"({type(value).__name__})", field="delay_months")
    if not math.isfinite(value) or value < 0:
        raise InputError(f"must be a finite number >= 0 [months], got {value!r}", field="delay_months")
    return float(value)


def _month_index(start, end) -> pd.DatetimeIndex:
    s = pd.Timestamp(start).to_period("M").to_timestamp()
    e = pd.Timestamp(end).to_period("M").to_timestamp()
    if e < s:
        raise InputError(f"end {end} is before start {start}", field="end")
    return pd.date_range(s, e, freq="MS", name="month")


def gpu_plan(additions: Mapping | pd.Series, months: pd.DatetimeIndex) -> pd.Series:
    """Cumulative GPUs planned to be installed, per month.

    Parameters
    ----------
    additions : mapping or Series
        ``{date: gpus added}``; GPUs count from the first month starting on or
        after their date (same rule as capacity phases).
    months : DatetimeIndex
        Month starts (e.g. ``capacity_timeline(...).index``).

    Returns
    -------
    pandas.Series
        ``planned_gpus`` (cumulative). [GPUs]
    """
    items = additions.items() if isinstance(additions, (pd.Series, Mapping)) else additions
    out = np.zeros(len(months))
    for d, n in items:
        if not np.isfinite(n) or n < 0:
            raise InputError(f"GPUs added on {d} must be >= 0, got {n}", field="additions")
        out += np.where(months >= pd.Timestamp(d), float(n), 0.0)
    return pd.Series(out, index=months, name="planned_gpus")


def power_unit_gpus(hardware_keys) -> int:
    """GPUs in the smallest unit a fleet of these catalog ``hardware_keys`` is bought and powered by: a rack
    (``kind`` rack, e.g. a GB200 NVL72's 72 GPUs, powered as one) or a server (an HGX H100's 8), its
    ``accelerators_per_unit`` in ``data/hardware.csv``; the greatest common divisor over several types (a
    count that is a whole number of each type's units), 1 with no accelerators. [GPUs]

    >>> power_unit_gpus(["gb200-nvl72"]), power_unit_gpus(["hgx-h100"]), power_unit_gpus(["gb200-nvl72", "hgx-h100"])
    (72, 8, 8)
    """
    from .power import hardware
    out = 0
    for key in hardware_keys:
        out = math.gcd(out, int(hardware(key).accelerators_per_unit))
    return out or 1


def unit_noun(hardware_keys, gpus_per_unit: int) -> str:
    """What a unit of ``gpus_per_unit`` GPUs (:func:`power_unit_gpus`) is called, plural: ``"racks"`` when every
    type is a rack (``kind`` rack in ``data/hardware.csv``) of that many GPUs, ``"servers"`` when every type is
    such a server, else ``"units of N GPUs"`` (``"GPUs"`` for 1).

    >>> unit_noun(["gb200-nvl72"], 72), unit_noun(["hgx-h100"], 8), unit_noun(["gb200-nvl72", "hgx-h100"], 8)
    ('racks', 'servers', 'units of 8 GPUs')
    """
    from .power import hardware
    if gpus_per_unit == 1:
        return "GPUs"
    kinds = {(hardware(k).kind, int(hardware(k).accelerators_per_unit)) for k in hardware_keys}
    if len(kinds) == 1:
        kind, n = next(iter(kinds))
        if n == gpus_per_unit and kind in ("rack", "server"):
            return f"{kind}s"
    return f"units of {gpus_per_unit} GPUs"


def check_unit_gpus(gpus_per_unit, field: str = "gpus_per_unit") -> int:
    """``gpus_per_unit`` as an int: a whole number >= 1 (a bool, text or fraction is refused). [GPUs]"""
    if isinstance(gpus_per_unit, (bool, np.bool_)) or not isinstance(gpus_per_unit, numbers.Real) \
            or not math.isfinite(gpus_per_unit) or gpus_per_unit < 1 or float(gpus_per_unit) != int(gpus_per_unit):
        raise InputError(f"must be a whole number of GPUs >= 1 (the GPUs of one rack or server, bought and powered "
                         f"as one), got {gpus_per_unit!r}", field=field)
    return int(gpus_per_unit)


def whole_units_gpus(kw, kw_per_gpu, gpus_per_unit: int = 1):
    """GPUs that ``kw`` [kW] powers at ``kw_per_gpu`` [kW] each, in whole units of ``gpus_per_unit`` GPUs:
    ``u * floor(kw / (kw_per_gpu * u))`` (a 1e-9 margin keeps a whole number of units whole in float
    arithmetic). The one rule of the ramp, the grid-waiting tranches and the never-powered count. [GPUs]

    >>> float(whole_units_gpus(12_000.0, 2.009, 72)), float(whole_units_gpus(12_000.0, 2.009))
    (5904.0, 5973.0)
    """
    u = gpus_per_unit
    return u * np.floor(kw / (kw_per_gpu * u) + 1e-9)


#: A whole-unit count is on a knife edge (:func:`units_fit_words` says so) only when the power per unit that moves it
#: by one unit is within this share of the estimate: 0.05 %, one unit in the last digit of kW per GPU as the reports
#: state it (four significant digits, "at 2.008 kW/GPU": 0.001 kW/GPU is 0.04-0.06 % of the bundled sites'
#: 1.73-2.37 kW/GPU). A change that small is below what the stated estimate can tell apart. [frac]
FIT_EDGE_FRAC = 0.0005

#: ... and only when the unrounded ratio is within this many units of the whole count it crosses (a tenth of the gap
#: between two counts: the ratio shown as ``n.0x`` or ``n.9x``). From 200 units on, 0.05 % of the power
#: (:data:`FIT_EDGE_FRAC`) is more than a tenth of a unit, and from 1,000 units more than half the gap between two
#: counts, so that share alone would mark every count; this keeps the words to the ratios nearest a whole count, at
#: most a fifth of counts of any size. [units]
FIT_EDGE_UNITS = 0.1


def _singular(unit: str) -> str:
    """``"rack"`` for ``"racks"`` (:func:`unit_noun`'s plural nouns); ``"unit"`` for ``"units of 8 GPUs"``."""
    return "unit" if unit.startswith("units of") else (unit[:-1] if unit.endswith("s") else unit)


def units_fit_words(kw, kw_per_gpu, gpus_per_unit: int = 1, unit: str = "GPUs",
                    edge_frac: float = FIT_EDGE_FRAC, edge_units: float = FIT_EDGE_UNITS) -> str:
    """How fragile a whole-unit count ``n = floor(r)`` is, ``r = kw / (kw_per_gpu * gpus_per_unit)`` the
    unrounded ratio (:func:`whole_units_gpus`'s): ``""`` unless the count hangs on the estimate's last digit.

    One more unit fits when the power per unit falls by ``1 - r / (n + 1)`` (``n + 1 - r`` units away); one
    fewer when it rises by ``r / n - 1`` (``r - n`` units away). The nearer of the two edges is said when it is
    within both ``edge_frac`` of the power per unit (:data:`FIT_EDGE_FRAC`, 0.05 %: one unit in the last digit
    of kW per GPU as the reports state it, so a change the stated estimate cannot tell apart moves the count)
    and ``edge_units`` of the ratio (:data:`FIT_EDGE_UNITS`, a tenth of a unit: without it every count of more
    than 1,000 units, whose gap to the next is under 0.1 %, would carry the words, which then say nothing).
    E.g. for 12 MW at 2.0087 kW/GPU in GB200 NVL72 racks (``r = 12,000 / (72 x 2.0087) = 82.97``, 0.027
    units and 0.033 % from 83): ``"82.97 fit; 1 more rack needs 0.033 % less power per rack"``. A finance
    reader sees that an estimate's last digits, not the plan, decide the count. 82.10 racks, 0.12 % more power
    per rack from 82 (0.10 units), is not on an edge: the stated estimate tells that change apart.

    >>> units_fit_words(12_000.0, 2.0087, 72, "racks")
    '82.97 fit; 1 more rack needs 0.033 % less power per rack'
    >>> units_fit_words(12_000.0, 2.0076, 72, "racks")
    '83.02 fit; 1 rack fewer at 0.022 % more power per rack'
    >>> units_fit_words(12_000.0, 2.0300, 72, "racks")   # 82.10: 0.12 % more loses one, 1.1 % less adds one
    ''
    """
    u = check_unit_gpus(gpus_per_unit)
    r = float(kw) / (float(kw_per_gpu) * u)
    if not (math.isfinite(r) and r > 0):
        return ""
    n = math.floor(r + 1e-9)
    one = _singular(unit)
    whole = r - n < 1e-9                                   # n exactly, as whole_units_gpus rounds
    down = 1.0 - r / (n + 1)                               # power per unit cut that fits one more
    up = 0.0 if whole else r / n - 1.0 if n >= 1 else math.inf   # power per unit rise that loses one
    near, units = (down, n + 1 - r) if down <= up else (up, 0.0 if whole else r - n)
    if near > edge_frac or units > edge_units:
        return ""
    words = (f"1 more {one} needs {_pct(down)} % less power per {one}" if down <= up
             else f"1 {one} fewer at {_pct(up)} % more power per {one}" if up > 0
             else f"1 {one} fewer at any more power per {one}")
    shown, places = f"{r:,.2f}", 2
    # 82.999 shown as 83.00, or 999.9996 GPUs as 1,000, would hide the edge: as many decimals as tell r from n, n + 1
    while not whole and float(shown.replace(",", "")) in (n, n + 1) and places < 12:
        places += 1
        shown = f"{r:,.{places}f}"
    return f"{shown} fit; {words}"


def _pct(frac: float) -> str:
    """``frac`` [frac] in percent, two significant digits, never in exponent form ("0.00004", not "4e-05")."""
    return np.format_float_positional(100.0 * frac, precision=2, unique=False, fractional=False, trim="-")


def deployment_ramp(capacity_mw: pd.Series, kw_per_gpu, planned_gpus: pd.Series,
                    gpus_per_unit: int = 1) -> pd.DataFrame:
    """GPUs that can be powered each month, in whole units of ``gpus_per_unit`` GPUs.

    ``powerable = gpus_per_unit * floor(1000 * capacity_mw / (kw_per_gpu * gpus_per_unit))``,
    ``powered = min(planned, powerable)``, ``stranded = planned - powered``. A rack (a GB200 NVL72,
    72 GPUs) is powered whole or not at all: 12 MW at 2.009 kW/GPU powers 82 racks, 5,904 GPUs, not
    the 5,972 GPUs of whole GPUs.

    Parameters
    ----------
    capacity_mw : pandas.Series
        Contracted capacity per month (:func:`capacity_timeline`). [MW]
    kw_per_gpu : float or Series
        Facility power per GPU at the design hot hour: IT (GPU, host, network
        share) plus cooling; from the power and thermal modules. [kW/GPU]
    planned_gpus : pandas.Series
        Cumulative GPUs installed, same index (:func:`gpu_plan`). [GPUs]
    gpus_per_unit : int, default 1
        GPUs of the unit bought and powered as one (:func:`power_unit_gpus`: 72 for a GB200 NVL72
        rack, 8 for an HGX H100 server); 1 counts whole GPUs. [GPUs]

    Returns
    -------
    pandas.DataFrame
        ``capacity_mw, planned_gpus, powerable_gpus, powered_gpus, stranded_gpus,
        spare_mw`` (capacity left after the powered GPUs).
    """
    if not capacity_mw.index.equals(planned_gpus.index):
        raise InputError("capacity_mw and planned_gpus must share the same monthly index",
                         field="planned_gpus")
    k = pd.Series(kw_per_gpu, index=capacity_mw.index, dtype=float) if np.ndim(kw_per_gpu) == 0 \
        else pd.Series(np.asarray(kw_per_gpu, dtype=float), index=capacity_mw.index)
    if (~np.isfinite(k) | (k <= 0)).any():
        raise InputError(f"kw_per_gpu must be > 0, got {k[~np.isfinite(k) | (k <= 0)].iloc[0]}",
                         field="kw_per_gpu")
    if (capacity_mw < 0).any():
        raise InputError(f"capacity below zero: {capacity_mw.min()} MW", field="capacity_mw")
    for name, x in (("capacity_mw", capacity_mw), ("planned_gpus", planned_gpus)):
        if not np.isfinite(x.to_numpy(dtype=float)).all():  # NaN months vanish from sums (skipna)
            raise InputError(f"NaN or inf at {x.index[~np.isfinite(x.to_numpy(dtype=float))][0]}", field=name)
    u = check_unit_gpus(gpus_per_unit)
    powerable = whole_units_gpus(capacity_mw * 1000.0, k, u)
    powered = np.minimum(planned_gpus, powerable)
    return pd.DataFrame({
        "capacity_mw": capacity_mw, "planned_gpus": planned_gpus, "powerable_gpus": powerable,
        "powered_gpus": powered, "stranded_gpus": planned_gpus - powered,
        "spare_mw": capacity_mw - powered * k / 1000.0,
    })
