"""What a bill's timestamps label, and the months a load covers only partly (split from
:mod:`dcplan.tariff_bill`).

dcplan labels interval *ends* (:mod:`dcplan.tariff`, Load). Hour-beginning stamps read as ends
(``pd.date_range("2025-01-01 00:00", "2025-12-31 23:00", freq="h")``) put the first hour in a
billing month of its own (December 2024), billed with that month's whole fixed and demand
charges, and every TOU hour one hour early. :func:`label_ends` refuses a first or last interval
alone in its billing month (:func:`lone_boundary_interval`, the check ``dcplan bill`` makes of a
load file) unless ``stamps`` says what the labels are: ``"start"`` moves them one step later to
the ends, ``"end"`` bills them as given. A first month of several intervals is a real partial
month and bills as it is.

:func:`partial_months_text` names the months a load covers only partly, which still pay whole
monthly ($/month) fixed and demand charges: :meth:`dcplan.tariff.Tariff.bill` puts it in ``Bill.notes`` and
``dcplan bill`` prints it (:func:`dcplan.cli_bill_notes.partial_months_note`).
"""
from __future__ import annotations

import numpy as np
import pandas as pd

from .errors import InputError

#: ``stamps=`` of :meth:`dcplan.tariff.Tariff.bill`: None (interval ends, checked), or these.
STAMPS = ("end", "start")
#: How :func:`partial_months_text` starts (to find it among ``Bill.notes``).
PARTIAL_START = "the load covers "


def usual_step(idx: pd.DatetimeIndex) -> pd.Timedelta | None:
    """The most common positive step of ``idx`` (a gap stays a gap), None without one."""
    d = np.diff(idx.as_unit("ns").asi8)
    d = d[d > 0]  # (a wall clock repeats an hour at a DST change; order is checked elsewhere)
    if not len(d):
        return None
    vals, counts = np.unique(d, return_counts=True)
    return pd.Timedelta(int(vals[np.argmax(counts)]), "ns")


def lone_boundary_interval(idx) -> str | None:
    """Say so when the first or last interval-ending label is alone in its billing month
    (month of its interval start, local time), the mark of interval-start labels read
    as ends; None otherwise (or with fewer than three labels, or labels out of order: more than the one step
    back a wall clock takes at a DST change. The order check then names the problem: a shuffled file read "the
    next, 2025-10-07 10:00, is in 2025-09", its usual step a random gap, a CLI tester's finding)."""
    if len(idx) < 3:
        return None
    if int((np.diff(pd.DatetimeIndex(idx).as_unit("ns").asi8) < 0).sum()) > 1:
        return None
    step = usual_step(idx)
    if step is None:
        return None
    ends = idx[[0, 1, -2, -1]]
    months = (ends - step).tz_localize(None).to_period("M") if ends.tz is not None else (ends - step).to_period("M")
    if months[0] != months[1]:
        return (f"the first timestamp {idx[0]} is the only interval of billing month {months[0]} "
                f"(the next, {idx[1]}, is in {months[1]})")
    if months[3] != months[2]:
        return (f"the last timestamp {idx[-1]} is the only interval of billing month {months[3]} "
                f"(the one before, {idx[-2]}, is in {months[2]})")
    return None


def label_ends(idx: pd.DatetimeIndex, stamps: str | None, field: str = "load_kw.index") -> pd.DatetimeIndex:
    """The interval-ending labels of a bill's load index ``idx`` (module docstring): ``stamps``
    None refuses a first or last interval alone in its billing month, ``"start"`` moves the labels
    one usual step later, ``"end"`` keeps them."""
    if stamps is not None and stamps not in STAMPS:
        raise InputError(f"{stamps!r} is not a label convention; allowed: None (interval ends, a lone "
                         "first or last interval refused), 'end' (interval ends), 'start' (interval starts)",
                         field="stamps")
    if stamps == "start":
        if len(idx) < 2:
            raise InputError("one timestamp: cannot tell the interval length of interval-start labels", field=field)
        step = usual_step(idx)
        if step is None:
            raise InputError(f"timestamps not increasing at {idx[1]} (after {idx[0]}); sort first", field=field)
        return idx + step
    if stamps is None:
        lone = lone_boundary_interval(idx)
        if lone:
            raise InputError(f"{lone}; read as interval ends (dcplan's convention) it is billed as a month of its "
                             "own, with that month's fixed and demand charges, and every time-of-use hour moves "
                             "one interval early if the labels are interval starts. If the timestamps label "
                             "interval starts (as pd.date_range('2025-01-01 00:00', '2025-12-31 23:00', freq='h') "
                             "does), pass stamps='start'; if they are interval ends, pass stamps='end'", field=field)
    return idx


def partial_months_text(months, days_billed, tariffs) -> str | None:
    """Name the months the load covers only partly (``days_billed`` below the month's calendar
    days), which still pay a whole month's $/month fixed and minimum charges and demand charges
    (:mod:`dcplan.tariff`, Calendar; a $/day charge is billed for the days billed); None when every
    month is whole or no tariff of ``tariffs`` (one, or several: a bill by year) has such a charge
    (a partial month is then billed for what it uses)."""
    tariffs = list(tariffs) if isinstance(tariffs, (list, tuple)) else [tariffs]
    parts = []
    for month, days in zip(months, np.asarray(days_billed, float)):
        dim = pd.Period(str(month), "M").days_in_month
        if days < dim - 1e-6:
            parts.append(f"{month} ({round(float(days), 2):g} of {dim} days)")
    if not parts:
        return None
    fixed = any(t.fixed_usd_per_month > 0 for t in tariffs)
    demand = any(t.flat_rate is not None or t.demand_rate is not None or t.fourcp_usd_per_kw_month > 0
                 for t in tariffs)
    charges = [c for c, on in (("fixed", fixed), ("demand", demand),
                               ("minimum", any(t.min_usd_per_month > 0 for t in tariffs))) if on]
    if not charges:
        return None  # (a $/day fixed or minimum charge is billed for the days billed, as energy: no caveat)
    per_day = ("; a $/day fixed or minimum charge is billed for the days billed only"
               if any(t.fixed_usd_per_day > 0 or t.min_usd_per_day > 0 for t in tariffs) else "")
    return (f"{PARTIAL_START}{_and(parts)} only partly (days_billed); their {_and(charges)} charges are "
            f"whole-month charges, billed in full, so those months cost more per kWh than whole ones{per_day}")


def with_partial_note(bill, tariffs):
    """``bill`` with :func:`partial_months_text` in its notes (any earlier one replaced)."""
    text = partial_months_text(bill.months, bill._days, tariffs)
    bill.notes = tuple(n for n in bill.notes if not n.startswith(PARTIAL_START)) + ((text,) if text else ())
    return bill


def _and(words: list) -> str:
    """``a``, ``a and b``, ``a, b and c``."""
    return " and ".join([", ".join(words[:-1]), words[-1]] if len(words) > 1 else words)
