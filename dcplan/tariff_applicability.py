"""What a URDB rate item says about charges dcplan does not bill and about whom and when it applies,
said in :attr:`dcplan.tariff_bill.Bill.notes` (and by ``dcplan validate`` / ``dcplan bill``), never
dropped silently.

* :func:`attrs_notes`: non-empty ``fixedattrs``, ``energyattrs``, ``demandattrs`` (URDB API v8 [1]_:
  key/value lists of extra charges and terms, e.g. ``{"Transmission demand charge ($/kW)": 4.75}``).
  Their keys and values are free text, so dcplan cannot bill them; the bill is understated by any
  charge among them. Read into ``Tariff.metadata["ignored"]`` (so every bill's notes) and warned of by
  ``dcplan validate`` (:func:`dcplan.tariff_lint.item_warnings`).
* :func:`applicability_notes`: at billing, the billed load's peak against ``peakkwcapacitymin`` /
  ``peakkwcapacitymax`` (the demand range the rate applies to [1]_; 0 or null: no limit), and
  ``enddate`` (the date the rate stops applying, epoch seconds or an ISO date, read as
  :func:`dcplan.tariff_checks.startdate_day` reads ``startdate``) before the billed period's start.
  A file that knows why it is used outside its demand range (a bundled tariff standing in for a
  larger customers' rate whose prices were not found) says so in the dcplan extension key
  ``dcplan_applicability_note`` (text), added to the peakkwcapacitymax/min note when that note is made.
  :func:`size_clause`: the site_analysis headline bill's label says the load is outside the range too.
* :func:`superseded_text`: any ``enddate`` (URDB sets it when a rate is replaced), whatever the billed year:
  ``dcplan validate`` warns of it (:func:`dcplan.tariff_lint.item_warnings`) and the site_analysis headline
  bill's label says it (:func:`dcplan.site_bill.bill_label`), and so do the labels of the other reports' bills
  (:func:`superseded_clause`, :func:`with_superseded`: the tco notebook's electricity figures, the portfolio
  notebooks' bills, offpeak_scheduling's bills and savings); an ``enddate`` that is no date is refused.
  :func:`superseded_years_text` says it against the years the fleet runs (the site_analysis bill notes, the
  tco notebook's tariff caveat), which the billed weather year alone does not.

References
----------
.. [1] OpenEI, "Utility Rate Database API, version 8",
   https://openei.org/services/doc/rest/util_rates/?version=8 (fixedattrs, energyattrs, demandattrs,
   peakkwcapacitymin, peakkwcapacitymax, enddate).
"""
from __future__ import annotations

from typing import Any

import numpy as np

_ATTRS = ("fixedattrs", "energyattrs", "demandattrs")


def _pairs(v: Any) -> list[str]:
    """``key: value`` texts of a URDB attrs list (a list of one-key objects; a dict also read)."""
    items = v if isinstance(v, list) else [v]
    out = []
    for it in items:
        if isinstance(it, dict):
            out += [f"{k!r}: {x!r}" for k, x in it.items()]
        elif it not in (None, ""):
            out.append(repr(it))
    return out


def attrs_notes(item: dict) -> list[str]:
    """One note per non-empty ``*attrs`` field of ``item`` (keys in any case): its entries, and that
    they are not billed."""
    out = []
    for k, v in item.items():
        if str(k).lower() in _ATTRS and _pairs(v):
            shown = "; ".join(_pairs(v))
            shown = shown if len(shown) <= 200 else shown[:197] + "..."
            out.append(f"{k} ({shown}) not billed: URDB's extra charges and terms are free text that dcplan does "
                       "not read, so the bill is understated by any charge among them; add it to the rate "
                       "structures to bill it")
    return out


def _limit(meta: dict, key: str) -> float | None:
    v = next((x for k, x in meta.items() if str(k).lower() == key), None)
    if isinstance(v, bool) or not isinstance(v, (int, float)) or not np.isfinite(v) or v <= 0:
        return None
    return float(v)


def superseded_text(meta: dict) -> str | None:
    """What a rate item's ``enddate`` says, for a label or a warning; None without one (or an unreadable one:
    :func:`dcplan.tariff_checks.check_item_fields` refuses it when the item is read).

    URDB sets ``enddate`` when a newer rate replaces this one, the date it stops applying [1]_, which may still be
    ahead when a utility's new rate is approved before it takes effect: a planner billed on it is billed, from
    that date on, at prices the utility no longer charges, whatever the billed year (the weather year of a
    site, or the years its fleet runs: :func:`superseded_years_text`). The words hold whether the date is past or
    ahead (no clock is read: a render's labels do not depend on the day it runs). An ``enddate`` on or before the
    item's ``startdate`` is said as such: the rate applied for a day at most (a withdrawn rate, a placeholder
    item). ``meta``: ``Tariff.metadata`` or the item (keys in any case).

    >>> superseded_text({"enddate": 1735603200})[:70]
    'superseded: its enddate 2024-12-31 is the date the rate stops applying'
    >>> superseded_text({"startdate": "2024-12-31", "enddate": "2024-12-31"})[:100]
    'superseded: its enddate 2024-12-31 is not after its startdate 2024-12-31: the rate applied for a day'
    """
    end = enddate_day(meta)
    if end is None:
        return None
    start = _date_field(meta, "startdate")  # an unreadable one is refused at reading, as the enddate
    start = None if start is None else (start[0], start[2])
    if start is not None and end[1] <= start[1]:
        return (f"superseded: its {end[0]} {end[1]} is not after its {start[0]} {start[1]}: the rate applied for a "
                "day at most (URDB: a withdrawn rate or a placeholder item), so its prices are not the utility's")
    return (f"superseded: its {end[0]} {end[1]} is the date the rate stops applying (URDB sets it when a newer rate "
            "replaces it), so its prices are not those the utility charges from that date on")


def enddate_day(meta) -> tuple[str, str] | None:
    """``(key as spelled, YYYY-MM-DD)`` of a readable ``enddate`` of ``meta`` (keys in any case), else None."""
    end = _date_field(meta, "enddate")
    return None if end is None else (end[0], end[2])


def _date_field(meta, name: str) -> tuple[str, object, str] | None:
    """``(key as spelled, value as given, YYYY-MM-DD)`` of the date field ``name`` of ``meta`` (keys in any case,
    read as :func:`dcplan.tariff_checks.startdate_day` reads ``startdate``), or None when it is absent, empty or
    unreadable (an item's is refused at reading; metadata built by hand is not)."""
    got = next(((k, x) for k, x in (meta or {}).items() if str(k).lower() == name and x not in (None, "")), None)
    if got is None:
        return None
    from .tariff_checks import startdate_day
    try:
        return str(got[0]), got[1], startdate_day(got[1], got[0])
    except Exception:  # noqa: BLE001  (no date to compare)
        return None


def superseded_clause(meta) -> str:
    """``", on a rate superseded (its enddate ... from that date on)"``, what a label naming the tariff or its bill adds
    for a rate with an ``enddate`` (:func:`superseded_text`); ``""`` without one. The clause's first words ("on a
    rate superseded") are kept where a label is cut at its first parenthesis (the index, the terminal summary:
    :func:`dcplan.report_summary.short_label`).

    >>> superseded_clause({"enddate": "2024-12-31"})[:48]
    ', on a rate superseded (its enddate 2024-12-31 i'
    >>> superseded_clause({})
    ''
    """
    gone = superseded_text(meta)
    return f", on a rate superseded ({gone.split(': ', 1)[1]})" if gone else ""


def with_superseded(label: str, meta) -> str:
    """``label`` with :func:`superseded_clause` at the end of its first clause (before its first ``": "``,
    ``" ("``, ``"; "`` or ``" ["``, else at its end), so a cut label keeps it; ``label`` unchanged for a rate
    without an ``enddate``.

    >>> with_superseded("Week bill, optimized: the week's energy", {"enddate": "2024-12-31"})[:46]
    'Week bill, optimized, on a rate superseded (it'
    """
    gone = superseded_clause(meta)
    if not gone:
        return label
    cut = min((i for i in (label.find(m) for m in (": ", " (", "; ", " [")) if i >= 0), default=len(label))
    return label[:cut] + gone + label[cut:]


def superseded_years_text(meta, fleet_first, project_last) -> str | None:
    """What a rate's ``enddate`` means for the years a fleet runs, plainly; None without one (or without a fleet).

    The TCO bills the typical year at the tariff's prices from the fleet's first operating month ``fleet_first``
    to the horizon's last month ``project_last`` (``pandas.Period`` months, or date-likes), escalated by
    ``electricity_escalation_frac`` from the price date: it does not know the rate that replaced this one. An
    ``enddate`` before ``fleet_first``: no month of operations is on this rate; within them: the months from the
    ``enddate`` on are not; after ``project_last``: every month is. As :func:`dcplan.site_bill.price_date_texts`
    places the price date against the fleet's first month.

    >>> superseded_years_text({"enddate": "2026-01-01"}, "2026-10", "2041-09")[:78]
    "the rate ended 2026-01-01, before the fleet's first operating month (2026-10):"
    >>> superseded_years_text({"enddate": "2030-06-01"}, "2026-10", "2041-09")[:77]
    'the rate ends 2030-06-01, while the fleet operates (2026-10 to 2041-09): from'
    """
    end = enddate_day(meta)
    if end is None or fleet_first is None:
        return None
    import pandas as pd
    key, day = end
    first = pd.Period(fleet_first, freq="M")
    last = None if project_last is None else pd.Period(project_last, freq="M")
    ended, when = pd.Period(day, freq="M"), pd.Timestamp(day)
    tail = ("at this rate's prices, escalated by finance.electricity_escalation_frac from its price date: it does "
            "not know the successor rate, which may price the load differently")
    if when <= first.start_time:
        return (f"the rate ended {day}, before the fleet's first operating month ({first}): the utility bills none "
                f"of the fleet's months on it ({key}, URDB); the TCO still bills every month {tail}; bill the site "
                "on the utility's current rate")
    if last is None or when <= last.end_time:
        span = f"{first} to {last}" if last is not None else f"from {first}"
        return (f"the rate ends {day}, while the fleet operates ({span}): from {ended} on the utility bills the "
                f"load on another rate ({key}, URDB); the TCO still bills those months {tail}")
    return (f"the rate ends {day} ({key}, URDB), after the project's last month ({last}): every month of "
            "operations is billed on it")


def size_clause(notes) -> str:
    """What a label naming a bill adds, in its first clause, when the billed load is outside the rate's demand range
    (a ``peakkwcapacitymax`` / ``peakkwcapacitymin`` note of :func:`applicability_notes` among the bill's ``notes``):
    ``", on a rate this load is too large for"`` (or ``too small``), ``""`` otherwise. No parenthesis, so a label
    cut at its first one (the index, the terminal summary: :func:`dcplan.report_summary.short_label`) keeps it: the
    headline bill of a load the rate does not apply to said so only in its notes (a finance reviewer's finding:
    Phoenix's bundled E-32 TOU L, below 3,000 kW, billing a 5,562 kW load).

    >>> size_clause(["peakkwcapacitymax 3,000 kW: the load's peak, 5,562 kW, is above it, so this rate ..."])
    ', on a rate this load is too large for'
    >>> size_clause(["demand window: ..."])
    ''
    """
    words = {"peakkwcapacitymax": "large", "peakkwcapacitymin": "small"}
    for note in notes or ():
        size = words.get(str(note).split(" ", 1)[0].lower())
        if size is not None:
            return f", on a rate this load is too {size} for"
    return ""


def is_applicability_note(note: str) -> bool:
    """True for a note of :func:`applicability_notes` (``dcplan bill`` prints them with its other notes)."""
    return str(note).split(" ", 1)[0].lower() in ("peakkwcapacitymax", "peakkwcapacitymin", "enddate")


def applicability_notes(meta: dict, peak_kw: np.ndarray, month_label) -> list[str]:
    """Notes when the billed load is outside the rate's demand range or the rate had ended.

    ``meta``: ``Tariff.metadata`` (keys as the file spells them); ``peak_kw`` (S, M) the months' billed
    peaks [kW]; ``month_label`` the billed months (a ``PeriodIndex``)."""
    out = []
    pk = np.asarray(peak_kw, float)
    top = float(np.nanmax(pk)) if pk.size else float("nan")
    hi, lo = _limit(meta, "peakkwcapacitymax"), _limit(meta, "peakkwcapacitymin")
    if hi is not None and top > hi:
        out.append(f"peakkwcapacitymax {hi:,.6g} kW: the load's peak, {top:,.0f} kW, is above it, so this rate "
                   "does not apply to the load (the utility would put it on a larger customers' rate)")
    if lo is not None and np.isfinite(top) and top < lo:
        out.append(f"peakkwcapacitymin {lo:,.6g} kW: the load's peak, {top:,.0f} kW, is below it, so this rate "
                   "does not apply to the load (the utility would put it on a smaller customers' rate)")
    why = next((x for k, x in meta.items() if str(k).lower() == "dcplan_applicability_note" and x), None)
    if why and out:  # the file's own word on why it is used outside its range (a stand-in), once
        out[-1] += f"; the tariff file says: {str(why).rstrip('.')}"
    end = _date_field(meta, "enddate")  # an unreadable enddate is no date to compare (metadata only)
    if end is not None and len(month_label):
        day = end[2]
        first = str(month_label[0].start_time.date())
        if day < first:
            out.append(f"{end[0]} {end[1]!r} ({day}): the rate had ended before the billed period (from {first}); "
                       "its prices may be out of date: check the utility's current rate")
    return out
