"""The demand a bill charges, charge by charge, for :mod:`dcplan.schedule` and its rolling horizon.

A tariff may bill several demand charges at once, each on the peak of its own hours: Duke OPT-V
(``data/tariffs/duke-nc-opt-tou.json``) bills 3.63 $/kW-month on the all-hours peak *and* 16.5
$/kW-month on the on-peak peak (summer weekdays 13:00-21:00). A schedule that moves work out of
the on-peak hours cuts the second far more than the first, so no single "billed demand" stands
for both: :func:`billed_demand_by_charge` gives each charge's billed demand and what it costs, and
:func:`compare_demand_charges` sets the strategies side by side with what the optimized schedule
saves on each charge. :func:`billed_demand_kw` is the one billed demand only where it is
unambiguous: when a single demand charge on the customer's own peak is priced.

Everything is read from the :class:`~dcplan.tariff_bill.Bill`'s charge lines (``Bill.lines``), so
the kW are the ones billed (after any ratchet and contract floor, summed over tiers) and the USD
add up to ``Bill.demand_usd``.
"""
from __future__ import annotations

import numpy as np
import pandas as pd

__all__ = ["billed_demand_by_charge", "billed_demand_kw", "compare_demand_charges", "OWN_PEAK_CHARGES"]

#: Charge lines of :class:`~dcplan.tariff_bill.Bill` billed on the customer's own peak (in all hours,
#: or in a TOU demand period's hours); the other demand lines (coincident peak, 4CP) bill the load
#: at the system's peaks.
OWN_PEAK_CHARGES = ("flat_demand", "tou_demand")

_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
_COLUMNS = ["charge", "period", "hours", "usd_per_kw", "text", "billed_kw", "demand_usd"]


def _ranges(on) -> str:
    """Start hours 0-23 switched on, as clock ranges: ``13:00-21:00`` (the hours 13 to 20)."""
    on = np.asarray(on, bool)
    if on.all():
        return "all hours"
    edges = np.flatnonzero(np.diff(np.r_[0, on.astype(int), 0]))
    return ", ".join(f"{a:02d}:00-{b:02d}:00" for a, b in zip(edges[::2], edges[1::2]))


def _tou_hours(tariff, period, moys) -> str:
    """The local hours of TOU demand period ``period`` in the months of year ``moys`` (0-11)."""
    names = list(tariff.demand_period_names or range(tariff.demand_rate.shape[0]))
    try:
        q = [str(n) for n in names].index(str(period))
    except ValueError:
        return ""
    pats = {}  # (weekday hours, weekend hours) -> months of year
    for m in moys:
        wd, we = tariff.demand_weekday[m] == q, tariff.demand_weekend[m] == q
        if wd.any() or we.any():
            pats.setdefault((tuple(wd), tuple(we)), []).append(m)
    off = "weekends and holidays" if tariff.holidays is not None else "weekends"
    out = []
    for (wd, we), ms in pats.items():
        if wd == we:
            s = f"every day {_ranges(wd)}"
        else:
            s = "; ".join(t for t in (f"weekdays {_ranges(wd)}" if any(wd) else "",
                                      f"{off} {_ranges(we)}" if any(we) else "") if t)
        out.append(s + (f" ({', '.join(_MONTHS[m] for m in ms)})" if len(pats) > 1 else ""))
    return "; ".join(out)


def _text(charge, period, hours, rate) -> str:
    """A charge in words: ``the TOU demand charge of period 1 (weekdays 13:00-21:00), 16.5 $/kW-month``."""
    price = f"{rate:g} $/kW-month" if np.isfinite(rate) else "rate varies by month or tier"
    if charge == "flat_demand":
        return f"the all-hours demand charge, {price}"
    if charge == "tou_demand":
        return f"the TOU demand charge of period {period}" + (f" ({hours})" if hours else "") + f", {price}"
    return f"the {charge.replace('_', ' ')} charge ({period}), {price}"


def _key(charge, period) -> str:
    """Row label: ``all_hours``, ``tou_<period>``, else ``<charge>_<period>`` (lower case, ``_``)."""
    raw = "all_hours" if charge == "flat_demand" else f"tou_{period}" if charge == "tou_demand" else \
        f"{charge}_{period}"
    return "".join(c if c.isalnum() else "_" for c in raw.lower()).strip("_")


def billed_demand_by_charge(bill, tariff=None) -> pd.DataFrame:
    """Each priced demand charge of a one-load bill: the demand it bills and what it costs.

    Parameters
    ----------
    bill : dcplan.tariff_bill.Bill
        A bill of one load (:meth:`dcplan.tariff.Tariff.bill`).
    tariff : dcplan.tariff.Tariff, optional
        The bill's tariff, to name each TOU demand period's hours (``hours``); without it
        ``hours`` is empty.

    Returns
    -------
    pandas.DataFrame
        One row per demand charge (``Bill.lines`` of component ``demand`` in kW, grouped by
        charge and period over tiers) priced above 0 $/kW in some month of the bill, indexed by
        a key (``all_hours`` for the flat, all-hours charge; ``tou_<period>`` for a TOU demand
        period; ``<charge>_<period>`` for coincident-peak and 4CP charges). Columns:
        ``charge`` (``Bill.breakdown``'s: ``flat_demand``, ``tou_demand``, ...), ``period``,
        ``hours`` (the period's local hours in the bill's months; ``all hours`` for the flat
        charge), ``usd_per_kw`` (its rate when one rate applies in every priced month and tier,
        else NaN) [$/kW-month], ``text`` (the charge in words), ``billed_kw`` (the demand it
        bills: the line quantities summed over tiers, after any ratchet and contract floor; the
        highest over the months where it is priced) [kW] and ``demand_usd`` (its cost over the
        bill's months; the column sums to ``Bill.demand_usd``, charges priced at 0 $/kW
        costing nothing) [USD].

    Examples
    --------
    >>> import pandas as pd
    >>> from dcplan.tariff import Tariff
    >>> t = Tariff.flat(0.1).with_demand_charge(4.0)
    >>> load = pd.Series(100.0, index=pd.date_range("2025-07-01 01:00", periods=24, freq="h", tz="UTC"))
    >>> billed_demand_by_charge(t.bill(load), t)[["billed_kw", "demand_usd"]].round(6).to_dict("index")
    {'all_hours': {'billed_kw': 100.0, 'demand_usd': 400.0}}
    """
    groups = {}  # (charge, period) -> [kW (M,), priced (M,), USD, rates]
    for ln in bill.lines:
        if ln.component != "demand" or ln.unit != "kW":
            continue
        qty, cost = np.asarray(ln.qty, float), np.asarray(ln.cost, float)
        if qty.shape[0] != 1:
            raise ValueError(f"bill: one load's bill needed, got {qty.shape[0]} scenarios")
        rate = np.nan_to_num(np.asarray(ln.rate, float))
        g = groups.setdefault((ln.charge, str(ln.period)), [np.zeros(qty.shape[1]), np.zeros(qty.shape[1], bool),
                                                            0.0, set()])
        g[0] = g[0] + qty[0]
        g[1] = g[1] | (rate > 0)
        g[2] += float(cost.sum())
        g[3].update(float(r) for r in rate[rate > 0])
    moys = [int(m.month) - 1 for m in pd.PeriodIndex(bill.months, freq="M")]
    rows = {}
    for (charge, period), (kw, priced, usd, rates) in groups.items():
        if not priced.any():
            continue
        rate = rates.pop() if len(rates) == 1 else np.nan
        if charge == "flat_demand":
            hours = "all hours"
        elif charge == "tou_demand" and tariff is not None and tariff.demand_rate is not None:
            hours = _tou_hours(tariff, period, [m for m, p in zip(moys, priced) if p])
        else:
            hours = ""
        rows[_key(charge, period)] = {"charge": charge, "period": period, "hours": hours, "usd_per_kw": rate,
                                      "text": _text(charge, period, hours, rate),
                                      "billed_kw": float(kw[priced].max()), "demand_usd": usd}
    return pd.DataFrame.from_dict(rows, orient="index", columns=_COLUMNS)


def billed_demand_kw(bill) -> float:
    """The demand a bill charges for, where one figure says it: the billed demand of the one
    priced demand charge on the customer's own peak. [kW]

    Of :func:`billed_demand_by_charge`'s rows, those billed on the customer's own peak
    (:data:`OWN_PEAK_CHARGES`: the flat, all-hours charge and each TOU demand period; not
    coincident-peak or 4CP charges): when exactly one is priced, its ``billed_kw`` (the peak in
    its hours after any ratchet and contract floor, the highest over the months it is priced).
    So under a tariff that bills demand only in on-peak hours it is the on-peak peak, not the
    all-hours one. NaN when none is priced, and when several are (an all-hours and an on-peak
    charge bill different peaks at different rates, and no one of them is *the* billed demand:
    :func:`billed_demand_by_charge` gives each).
    """
    rows = billed_demand_by_charge(bill)
    rows = rows[rows["charge"].isin(OWN_PEAK_CHARGES)]
    return float(rows["billed_kw"].iloc[0]) if len(rows) == 1 else np.nan


def compare_demand_charges(bills: dict, tariff=None, *, ref: str = "asap", to: str = "optimized",
                           not_comparable: str | None = None) -> pd.DataFrame:
    """Each priced demand charge under several strategies' bills, and what ``to`` saves on it against ``ref``.

    Parameters
    ----------
    bills : dict
        ``{strategy: Bill}``, one-load bills of the same tariff and index (``ScheduleResult.bills``).
    tariff : dcplan.tariff.Tariff, optional
        Their tariff, to name the TOU periods' hours (:func:`billed_demand_by_charge`).
    ref, to : str
        The strategies compared (default: the optimized schedule against run-ASAP).
    not_comparable : str, optional
        Why ``ref`` and ``to`` do not bill the same work (a strategy left jobs unplaced): the
        comparison columns are then NaN.

    Returns
    -------
    pandas.DataFrame
        The rows of :func:`billed_demand_by_charge` (a charge priced in any strategy's bill),
        with ``charge``, ``period``, ``hours``, ``usd_per_kw``, ``text``; per strategy
        ``<strategy>_kw`` (its billed demand; 0 where its bill has no line of the charge) and
        ``<strategy>_usd`` [kW, USD]; ``reduction_kw`` (``ref``'s billed demand minus ``to``'s)
        and ``saving_usd`` (``ref``'s cost of the charge minus ``to``'s; summed over the
        charges, the demand part of the bill's saving) [kW, USD].
    """
    per = {k: billed_demand_by_charge(b, tariff) for k, b in bills.items()}
    keys = list(dict.fromkeys(k for f in per.values() for k in f.index))
    meta = pd.concat([f for f in per.values() if len(f)])[["charge", "period", "hours", "usd_per_kw", "text"]] \
        if keys else pd.DataFrame(columns=["charge", "period", "hours", "usd_per_kw", "text"])
    out = meta[~meta.index.duplicated()].reindex(keys)
    for k in dict.fromkeys([*per, ref, to]):  # without bills (no tariff): the columns, no rows
        f = per.get(k, pd.DataFrame(columns=_COLUMNS))
        out[f"{k}_kw"] = f["billed_kw"].reindex(keys).fillna(0.0).astype(float)
        out[f"{k}_usd"] = f["demand_usd"].reindex(keys).fillna(0.0).astype(float)
    out["reduction_kw"] = out[f"{ref}_kw"] - out[f"{to}_kw"]
    out["saving_usd"] = out[f"{ref}_usd"] - out[f"{to}_usd"]
    if not_comparable:
        out[["reduction_kw", "saving_usd"]] = np.nan
    return out
