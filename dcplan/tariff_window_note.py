"""The caveat a bill's demand charges carry when the load is coarser than the demand the
utility bills: one source of the text, for :attr:`dcplan.tariff_bill.Bill.notes` (every
:meth:`dcplan.tariff.Tariff.bill`, :func:`with_window_note`) and the site report
(:func:`dcplan.site_bill.bill_notes`, which adds the fleet's own sub-hourly evidence to it).

* :func:`demand_window_note`: a tariff whose ``demandwindow`` is shorter than the load's step (ComEd's
  30 min under an hourly load): the step's means understate the window's peaks, so the demand
  charges are a lower bound;
* :func:`unstated_window_note`: a tariff with demand charges that states no window, on a load
  coarser than :data:`UNSTATED_WINDOW_MIN`: a lower bound unless the utility bills demand on the
  load's step.

(Moved here from :mod:`dcplan.site_bill`, which re-exports them, so a library bill says it too.)
"""
from __future__ import annotations

import pandas as pd

__all__ = ["demand_window_note", "unstated_window_note", "with_window_note", "UNSTATED_WINDOW_MIN",
           "WINDOW_NOTE_START"]

#: The demand window [min] the fleet's sub-hourly evidence is taken at when the tariff states none
#: (no ``demandwindow``): 15 min, the shorter of the two windows US demand charges are commonly
#: billed on, 15 or 30 min (the bundled ComEd tariff's is 30 min, data/SOURCES.md, Tariffs). A
#: dcplan choice, not a tariff's: the highest 15-min clock-aligned mean is at least the highest
#: 30-min one (each 30-min block is the mean of two 15-min blocks), so the excess it gives is what a
#: 15-min utility adds at least, and at least what a 30-min one does. [min]
UNSTATED_WINDOW_MIN = 15.0


def _has_demand(tariff) -> bool:
    """An all-hours or a TOU demand charge (billed on the load's peaks; coincident-peak and 4CP
    charges bill the load at stated system peaks, not its own)."""
    return getattr(tariff, "flat_rate", None) is not None or getattr(tariff, "demand_rate", None) is not None


def _step_text(step_min: float) -> str:
    return f"{step_min / 60:g}-h" if step_min >= 60 else f"{step_min:g}-min"


def _shorter_windows(step_min: float) -> list[float]:
    """The common demand windows (15 and 30 min) shorter than the load's step."""
    return [w for w in (UNSTATED_WINDOW_MIN, 30.0) if w < step_min * (1 - 1e-9)]


def unstated_window_note(tariff, step_min: float, evidence: dict | None = None) -> str | None:
    """The note for a tariff with demand charges and no demand window (no ``demandwindow``) on a
    load coarser than :data:`UNSTATED_WINDOW_MIN` (15 min): its demand is billed on the load's step
    means, and a utility that bills 15- or 30-min demand bills at least that (a window's highest mean
    is at least its step's mean), so the demand charges are a lower bound unless it bills demand on
    the step; with ``evidence`` (:func:`subhourly_demand_excess` at 15 min) by how much at least,
    in IT alone; and where to state the window. None otherwise."""
    if (not _has_demand(tariff) or getattr(tariff, "demand_window_min", None) is not None
            or not _shorter_windows(step_min)):
        return None
    step, shorter = _step_text(step_min), _shorter_windows(step_min)
    wins = "- or ".join(f"{w:g}" for w in shorter) + "-min"
    on_step = "hourly" if abs(step_min - 60) < 1e-9 else step
    has_file = bool((getattr(tariff, "metadata", None) or {}).get("file"))
    out = (f"demand window: the {'tariff file' if has_file else 'flat tariff'} states none (no demandwindow), so "
           f"the demand charges here are billed on the site's {step} means; a utility that bills {wins} demand "
           f"bills at least as much, more where the load varies within the {step} intervals (the highest {wins} mean "
           f"within an interval is at least the interval's mean): the demand charges are a lower bound unless the "
           f"utility bills {on_step} demand")
    w = UNSTATED_WINDOW_MIN
    if evidence and evidence["max_excess_kw"] < 0.5:
        out += (f" (the fleet's IT at 1 s is steady within each month's peak hour of grid draw: no {w:g}-min mean "
                "above the hour's by 0.5 kW or more, so the IT load understates little here)")
    elif evidence:
        out += (" (" + _evidence_text(w, evidence)
                + ("; a 30-min window's excess is at most that)" if 30.0 in shorter else ")"))
    if has_file:
        return out + "; if the utility's schedule states its demand interval, add demandwindow (minutes) to the tariff file"
    return out + ("; a flat tariff has no demand window: if the utility's schedule states its demand interval, give "
                  "the rate as a URDB tariff file (tariff.file) with demandwindow (minutes)")


def demand_window_note(tariff, step_min: float, evidence: dict | None = None) -> str | None:
    """The note for a tariff whose demand window (``demandwindow`` [min]) is shorter than the load's
    step ``step_min`` [min] while it has demand charges: the bill's demand is the step's mean, below
    the window's peak, so demand charges are understated; with ``evidence``
    (:func:`subhourly_demand_excess`) by how much at least, in IT alone. For a tariff with demand
    charges and no window, :func:`unstated_window_note`. None otherwise."""
    w = getattr(tariff, "demand_window_min", None)
    if w is None:
        return unstated_window_note(tariff, step_min, evidence)
    if not _has_demand(tariff) or step_min <= w * (1 + 1e-9):
        return None
    step = _step_text(step_min)
    out = (f"demand window: the tariff bills demand on {w:g}-min means (demandwindow), the site's load is "
           f"{step} means, so the demand charges here are billed on the {step} peaks, which understate the "
           f"{w:g}-min peaks the utility bills: the demand charges are a lower bound")
    if evidence and evidence["max_excess_kw"] < 0.5:
        out += (f" (the fleet's IT at 1 s is steady within each month's peak hour of grid draw: no {w:g}-min mean "
                "above the hour's by 0.5 kW or more, so the IT load understates little here)")
    elif evidence:
        out += " (" + _evidence_text(w, evidence) + ")"
    return out


def _evidence_text(w: float, evidence: dict) -> str:
    """What the fleet's 1-s ``evidence`` (:func:`subhourly_demand_excess`, with ``excess_usd`` and
    ``excess_usd_per_kw`` from :func:`excess_demand_usd` when the bill is known) shows at a
    ``w``-min window: the largest excess over the months (an "up to" over months), which the
    month's billed demand would be at least (one month's figure), and what that is in dollars."""
    out = (f"the fleet's IT alone at 1 s shows {w:g}-min means up to {evidence['max_excess_kw']:,.0f} kW "
           f"({100 * evidence['max_excess_frac']:.2g} %) above the hour's mean in each month's peak hour of grid draw, "
           f"the most in {evidence['month']}: the demand billed that month would be at least that much higher")
    usd = evidence.get("excess_usd")
    parts = evidence.get("excess_parts") or ()
    if usd is not None and any(th != pd.Timestamp(evidence["hour"]) for _, th, _, _ in parts):
        # a TOU period whose own peak hour is another: each charge on its own hour's excess, summed
        each = "; ".join(f"{label}, hour ending {th:%Y-%m-%d %H:%M}: {e:,.0f} kW, {u:,.0f} USD"
                         for label, th, e, u in parts)
        out += (f", {usd:,.0f} USD more that month over the demand charges it bills, each on the excess in its own "
                f"peak hour of grid draw ({each})")
    elif usd is not None:
        out += (f", {usd:,.0f} USD more that month at the demand rates billed in its peak hour "
                f"({evidence['excess_usd_per_kw']:,.4g} USD/kW)")
    return out + "; IT only: cooling and losses add to it"


#: How the notes of :func:`demand_window_note` start (to find them among ``Bill.notes``).
WINDOW_NOTE_START = "demand window: "


def with_window_note(bill, tariffs, idx: pd.DatetimeIndex):
    """``bill`` with :func:`demand_window_note` for the load's step (the most common step of
    ``idx``) in its notes, any earlier one replaced; ``tariffs``: one tariff or several (a tariff
    per year: each one's note once)."""
    from .tariff_bill_stamps import usual_step
    step = usual_step(idx)
    notes = tuple(n for n in bill.notes if not n.startswith(WINDOW_NOTE_START))
    if step is not None:
        ts = tariffs if isinstance(tariffs, (list, tuple)) else [tariffs]
        texts = (demand_window_note(t, step.total_seconds() / 60.0) for t in ts)
        notes += tuple(dict.fromkeys(t for t in texts if t))
    bill.notes = notes
    return bill
