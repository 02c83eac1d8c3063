"""A tariff's pending rate change: the dcplan extension key ``dcplan_pending_rate_change`` of a URDB rate item,
said in the reports that bill it (the tco notebook's caveats, site_analysis's bill), never dropped silently.

A tariff's prices are those in force from its ``startdate``; a rate case the utility has filed and the regulator
has not decided is not in them, however close its effective date. The key records it, so that a plan whose
fleet starts after the new rates may take effect says that its bill rests on the old ones::

    "dcplan_pending_rate_change": {
        "summary": "APS rate case (ACC Docket E-01345A-25-0105): +16 % average proposed, ...",
        "effective_earliest": "2026-07-08",
        "change_frac_high": 0.45,
        "source": "aps.com Rate Case 2025; ABC15; docs/reference-data.md s.6d"}

============================  ====================  ==========================================================
field                         type, unit            meaning
============================  ====================  ==========================================================
``summary``                   str, required         what is proposed (docket, average and class changes)
``source``                    str, required         where the proposal and its dates are said
``effective_earliest``        ISO date, optional    the earliest date the new rates may take effect
``change_frac_high``          float, optional       the largest proposed change of a class's bill [frac]
                                                    (0.45 = +45 %); -1 < x <= 10
============================  ====================  ==========================================================

* :func:`check_pending_change`: the key's value, validated when the tariff is read
  (:func:`dcplan.tariff_urdb.parse_item`): an :class:`~dcplan.errors.InputError` naming the file, the field,
  the value and what is allowed.
* :func:`pending_change_text`: the caveat's sentence, against the fleet's first operating month when given.
* :func:`pending_clause`: the words the site_analysis headline bill's label adds (its first clause).
"""
from __future__ import annotations

from typing import Any

import numpy as np

from .errors import InputError

__all__ = ["PENDING_KEY", "PENDING_FIELDS", "check_pending_change", "pending_change", "pending_change_text",
           "pending_clause"]

#: The dcplan extension key of a URDB rate item giving a pending rate change (like ``dcplan_price_status``).
PENDING_KEY = "dcplan_pending_rate_change"
#: Its fields: name -> required.
PENDING_FIELDS = {"summary": True, "source": True, "effective_earliest": False, "change_frac_high": False}
#: The largest ``change_frac_high`` accepted [frac]: +1000 %, far above any rate case (APS's proposed
#: extra-high-load-factor class: +45 %); a larger figure is a slip (a percentage typed as 45 is refused, 0.45 allowed).
CHANGE_FRAC_MAX = 10.0


def check_pending_change(value: Any, file: str | None = None) -> dict:
    """``value`` of :data:`PENDING_KEY` as a dict if allowed, else an :class:`InputError` naming ``file``, the
    field, the value and what is allowed.

    >>> check_pending_change({"summary": "rate case filed", "source": "docket", "change_frac_high": 0.45})["source"]
    'docket'
    """
    allowed = ", ".join(f"{k} ({'required' if r else 'optional'})" for k, r in PENDING_FIELDS.items())
    if not isinstance(value, dict):
        raise InputError(f"got {value!r:.80}; allowed: an object with the fields {allowed}", file=file,
                         field=PENDING_KEY)
    from ._ts import did_you_mean
    for k in value:
        if k not in PENDING_FIELDS:
            raise InputError(f"unknown field {k!r}{did_you_mean(str(k), list(PENDING_FIELDS))}; allowed: {allowed}",
                             file=file, field=f"{PENDING_KEY}.{k}")
    for k, required in PENDING_FIELDS.items():
        if required and not (isinstance(value.get(k), str) and value[k].strip()):
            raise InputError(f"got {value.get(k)!r}; allowed: a non-empty text ({k} is required)", file=file,
                             field=f"{PENDING_KEY}.{k}")
    if value.get("effective_earliest") not in (None, ""):
        from .tariff_checks import startdate_day  # epoch seconds or an ISO date, as startdate
        startdate_day(value["effective_earliest"], f"{PENDING_KEY}.effective_earliest", file)
    x = value.get("change_frac_high")
    if x is not None and (isinstance(x, bool) or not isinstance(x, (int, float)) or not np.isfinite(x)
                          or not -1.0 < x <= CHANGE_FRAC_MAX):
        hint = f" (a percentage? {x!r} % is {x / 100:g})" if isinstance(x, (int, float)) and not isinstance(
            x, bool) and np.isfinite(x) and 1.0 < x <= 100.0 * CHANGE_FRAC_MAX else ""
        raise InputError(f"got {x!r}; allowed: a fraction above -1 and at most {CHANGE_FRAC_MAX:g} (0.45 = +45 %)"
                         f"{hint}", file=file, field=f"{PENDING_KEY}.change_frac_high")
    return value


def pending_change(meta: dict | None) -> dict | None:
    """The :data:`PENDING_KEY` object of a tariff's metadata (``Tariff.metadata``, keys as the file spells them;
    or a URDB item), None without one."""
    return next((v for k, v in (meta or {}).items() if str(k).lower() == PENDING_KEY and v), None)


def pending_clause(meta: dict | None) -> str:
    """What a label naming a bill at the tariff's prices adds, in its first clause, for a tariff with a pending rate
    change (:data:`PENDING_KEY`): ``", at prices a pending rate case may raise by up to 45 %"`` (``cut`` for a
    negative ``change_frac_high``; ``", at prices a pending rate case may change"`` without it); ``""`` without one.
    No parenthesis, so the index's and the terminal summary's short label keeps it
    (:func:`dcplan.report_summary.short_label`): the headline bill said the rate case only in a row of its own.

    >>> pending_clause({"dcplan_pending_rate_change": {"summary": "s", "source": "x", "change_frac_high": 0.45}})
    ', at prices a pending rate case may raise by up to 45 %'
    >>> pending_clause({})
    ''
    """
    pc = pending_change(meta)
    if pc is None:
        return ""
    hi = pc.get("change_frac_high")
    if not hi:
        return ", at prices a pending rate case may change"
    return f", at prices a pending rate case may {'raise' if hi > 0 else 'cut'} by up to {abs(hi) * 100:.3g} %"


def pending_change_text(meta: dict | None, fleet_start=None, mult_range: tuple[float, float] | None = None,
                        range_from: str = "data/costs.csv") -> str | None:
    """The caveat's sentence for a tariff with a pending rate change, None without one.

    ``meta``: ``Tariff.metadata``; ``fleet_start``: the fleet's first operating month (anything
    ``pandas.Period(x, "M")`` reads), which the earliest effective date is placed against; ``mult_range``:
    the TCO's ``electricity_cost_mult`` (low, high), which ``1 + change_frac_high`` is compared with (within
    it only between both ends). The bill at the tariff's prices may be understated when ``change_frac_high``
    is above 0, overstated when below (a cut), "misstated" without it; the effective date is compared with the
    first operating month's first day (a date within that month is said to be in it). ``range_from``: where
    ``mult_range`` comes from (``data/costs.csv``, or the site's ``site.finance.ranges.electricity_cost_mult``).
    Beyond it, the sentence says how to see the changed bill: ``finance.costs`` for the case, ``finance.ranges``
    for the tornado and Monte Carlo (:mod:`dcplan.specs.finance_ranges`).

    >>> meta = {"startdate": "2024-03-08", "dcplan_pending_rate_change": {"summary": "rate case filed",
    ...         "source": "docket", "effective_earliest": "2026-07-08", "change_frac_high": 0.45}}
    >>> pending_change_text(meta, "2026-10")[38:110]
    'New rates may take effect from 2026-07-08, before the fleet starts (2026'
    """
    pc = pending_change(meta)
    if pc is None:
        return None
    import pandas as pd
    low = {str(k).lower(): v for k, v in (meta or {}).items()}
    start = low.get("startdate")
    if start not in (None, ""):
        from .tariff_checks import startdate_day
        start = startdate_day(start)
    prices = f"the tariff's prices (startdate {start})" if start else "the tariff's prices"
    hi = pc.get("change_frac_high")
    # the bill at the old prices errs the way the change goes: a rise understates it, a cut overstates it
    err = "misstated" if not hi else ("understated" if hi > 0 else "overstated")
    text = f"Pending rate change: {str(pc['summary']).rstrip('.')}."
    eff = pc.get("effective_earliest")
    if eff not in (None, ""):
        from .tariff_checks import startdate_day
        eff = startdate_day(eff, f"{PENDING_KEY}.effective_earliest")
        fs = None if fleet_start is None else pd.Period(fleet_start, "M")
        # compared by day: the fleet operates from its first month's first day (a rate effective on the 20th of
        # that month starts within it, not before it)
        day, first = pd.Timestamp(eff), None if fs is None else fs.start_time
        if fs is None:
            text += f" New rates may take effect from {eff}; the bill is at {prices}, not the new rates."
        elif day <= first:
            when = "before the fleet starts" if day < first else "as the fleet starts"
            text += (f" New rates may take effect from {eff}, {when} ({fs}): the bill is at {prices}, "
                     f"so it may be {err} from the first operating month.")
        elif day <= fs.end_time:
            text += (f" New rates may take effect from {eff}, in the fleet's first operating month ({fs}): the bill "
                     f"is at {prices}, so it may be {err} from then.")
        else:
            text += (f" New rates may take effect from {eff}, after the fleet starts ({fs}): the bill is at {prices}, "
                     f"so it may be {err} from then.")
    else:
        text += f" The bill is at {prices}, not the new rates."
    if hi is not None:
        text += f" Largest change proposed: {hi * 100:+.0f} %"
        if mult_range is not None:
            lo_m, hi_m = (float(x) for x in mult_range)
            # the range covers the change only if the changed bill's multiplier lies between its two ends
            covered = lo_m - 1e-9 <= 1.0 + hi <= hi_m + 1e-9
            text += (f", {'within' if covered else 'beyond'} the TCO's electricity_cost_mult range "
                     f"({lo_m:g}-{hi_m:g}, {range_from})"
                     + ("" if covered else f"; set finance.costs.electricity_cost_mult: {1.0 + hi:g} to see that bill, "
                        f"or finance.ranges.electricity_cost_mult: {{low: {min(lo_m, 1.0 + hi):g}, high: "
                        f"{max(hi_m, 1.0 + hi):g}, source: ...}} to swing it in the tornado and Monte Carlo"))
        text += "."
    return text + f" Source: {pc['source']}."
