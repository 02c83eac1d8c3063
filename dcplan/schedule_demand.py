"""The demand a bill charges, charge by charge, for :mod:`dcplan.schedule` and its rolling horizon.

A tariff may bill several demand charges at once, each on the peak of its own hours: Duke OPT-V
(``data/tariffs/duke-nc-opt-tou.json``) bills 3.63 $/kW-month on the all-hours peak *and* 16.5
$/kW-month on the on-peak peak (Jun-Sep weekdays 13:00-21:00). A schedule that moves work out of
the on-peak hours cuts the second far more than the first, so no single "billed demand" stands
for both: :func:`billed_demand_by_charge` gives each charge's billed demand and what it costs, and
:func:`compare_demand_charges` sets the strategies side by side with what the optimized schedule
saves on each charge. :func:`billed_demand_kw` is the one billed demand only where it is
unambiguous: when a single demand charge on the customer's own peak is priced.

Everything is read from the :class:`~dcplan.tariff_bill.Bill`'s charge lines (``Bill.lines``), so
the kW are the ones billed (after any ratchet and contract floor, summed over tiers) and the USD
add up to ``Bill.demand_usd``.

:func:`saving_above_reference` says how much of a demand saving only undoes a baseline's burst above
a reference load's billed demand (the site's own modelled load): run-ASAP starts each job at full power
from its earliest start (in deadline order, within the site's limits) and can peak above what the fleet
model of the same site draws, so cutting that burst is a saving over the baseline, not over the site
(:func:`saving_above_site` bills the site's load and says it). How much that is varies: the labels call
the demand saving largely burst only where it is (:func:`dcplan.schedule_labels.asap_bound_text`).

:func:`peaks_in`: the system peaks of a coincident-peak tariff (a site's ``tariff.coincident_peaks``)
that a bill of a part of the year can take, those whose interval lies in it.
"""
from __future__ import annotations

import numpy as np
import pandas as pd

__all__ = ["billed_demand_by_charge", "billed_demand_kw", "compare_demand_charges", "saving_above_reference",
           "above_reference_note", "highest_kw_text", "saving_above_site", "peaks_in", "OWN_PEAK_CHARGES",
           "above_reference_by_month", "above_site_by_month", "BILLED_KW_TEXT"]

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


def _months(ms) -> str:
    """0-based months of the year as ranges, across the year's end too: ``Jun-Sep``, ``Oct-May``, ``Jan, Mar``.

    >>> _months([5, 6, 7, 8]), _months([0, 1, 2, 3, 4, 9, 10, 11]), _months([0, 2])
    ('Jun-Sep', 'Oct-May', 'Jan, Mar')
    """
    runs = []
    for m in sorted(ms):
        if runs and m == runs[-1][1] + 1:
            runs[-1][1] = m
        else:
            runs.append([m, m])
    if len(runs) > 1 and runs[0][0] == 0 and runs[-1][1] == 11:  # Dec runs into Jan
        runs = [[runs[-1][0], runs[0][1]]] + runs[1:-1]
    return ", ".join(_MONTHS[a] if a == b else f"{_MONTHS[a]}-{_MONTHS[b]}" for a, b in runs)


def _tou_hours(tariff, period) -> str:
    """The months and local hours of TOU demand period ``period`` over the tariff's year: ``Jun-Sep weekdays
    13:00-21:00`` (the months said where the period does not apply all year, or its hours differ by month);
    under a tariff that lists holidays (billed on the weekend schedule) ``weekdays except holidays`` and
    ``weekends and holidays`` (:func:`dcplan.tariff_holidays.schedule_day_names`)."""
    names = list(tariff.demand_period_names or range(tariff.demand_rate.shape[0]))
    try:
        q = [str(n) for n in names].index(str(period))
    except ValueError:
        return ""
    pats = {}  # (weekday hours, weekend hours) -> months of year
    for m in range(12):
        wd, we = tariff.demand_weekday[m] == q, tariff.demand_weekend[m] == q
        if wd.any() or we.any():
            pats.setdefault((tuple(wd), tuple(we)), []).append(m)
    from .tariff_holidays import schedule_day_names
    days, off = schedule_day_names(tariff.holidays)  # a holiday is billed on the weekend schedule
    all_year = sum(len(ms) for ms in pats.values()) == 12
    out = []
    for (wd, we), ms in pats.items():
        if wd == we:
            s = f"every day {_ranges(wd)}"
        else:
            s = "; ".join(t for t in (f"{days} {_ranges(wd)}" if any(wd) else "",
                                      f"{off} {_ranges(we)}" if any(we) else "") if t)
        out.append(s if all_year and len(pats) == 1 else f"{_months(ms)} {s}")
    return "; ".join(out)


def _text(charge, period, hours, rate) -> str:
    """A charge in words: ``the TOU demand charge of period 1 (Jun-Sep weekdays 13:00-21:00), 16.5 $/kW-month``."""
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
        ``hours`` (the period's months, where it does not apply all year, and local hours over the tariff's
        year: ``Jun-Sep weekdays 13:00-21:00``; ``all hours`` for the flat
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
    rows = {}
    for (charge, period), (kw, priced, usd, rates) in groups.items():
        if not priced.any():
            continue
        rate = rates.pop() if len(rates) == 1 else np.nan
        if charge == "flat_demand":
            hours = "all hours"
        elif charge == "tou_demand" and tariff is not None and tariff.demand_rate is not None:
            hours = _tou_hours(tariff, period)
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


def _monthly_own_peak(bill) -> dict:
    """``{key: (kW (M,), USD (M,))}``: each demand charge on the customer's own peak
    (:data:`OWN_PEAK_CHARGES`) of a one-load bill, month by month, summed over tiers."""
    out = {}
    for ln in bill.lines:
        if ln.component != "demand" or ln.unit != "kW" or ln.charge not in OWN_PEAK_CHARGES:
            continue
        qty, cost = np.asarray(ln.qty, float), np.asarray(ln.cost, float)
        if qty.shape[0] != 1:
            raise ValueError(f"bill: one load's bill needed, got {qty.shape[0]} scenarios")
        k = _key(ln.charge, str(ln.period))
        kw, usd = out.get(k, (np.zeros(qty.shape[1]), np.zeros(qty.shape[1])))
        out[k] = (kw + qty[0], usd + cost[0])
    return out


def saving_above_reference(base_bill, to_bill, ref_bill) -> pd.DataFrame:
    """How much of the demand saving of ``to`` over ``base`` only cuts ``base``'s peak above a reference's.

    For each demand charge on the customer's own peak (:data:`OWN_PEAK_CHARGES`) and each billing
    month ``m``, with ``B``, ``T`` and ``R`` the billed demand of the baseline, of the schedule and
    of the reference (the site's own modelled load over the same period) [kW]: the part of the cut
    ``B - T`` above the reference's demand is ``max(0, B - max(R, T))`` kW, priced at the baseline's
    average rate of that charge in that month (its cost / its billed kW, the rate itself for an
    untiered charge) [USD]. It is a saving over the baseline's burst, not over anything the site's
    own load would bill.

    Parameters
    ----------
    base_bill, to_bill, ref_bill : dcplan.tariff_bill.Bill
        One-load bills of the same tariff and billing months: the baseline (run-ASAP), the schedule
        (optimized) and the reference (the site's load).

    Returns
    -------
    pandas.DataFrame
        One row per charge priced in the baseline's bill (index as :func:`billed_demand_by_charge`):
        ``base_kw``, ``to_kw``, ``ref_kw`` (the billed demand, the highest over the months) [kW],
        ``above_ref_kw`` (the largest monthly cut above the reference) [kW], ``saving_usd`` (the
        baseline's cost of the charge less the schedule's), ``above_ref_usd`` (the part of it
        above the reference) [USD], and ``base_month``, ``to_month``, ``ref_month``: the billing month
        of each highest billed demand (``Jul``; ``Jul 2025`` where the months span two years' same month),
        which may differ: the three highest demands need not be of one month.

    Examples
    --------
    >>> import pandas as pd
    >>> from dcplan.tariff import Tariff
    >>> t = Tariff.flat(0.1).with_demand_charge(10.0)
    >>> i = pd.date_range("2025-07-01 01:00", periods=3, freq="h", tz="UTC")
    >>> kw = lambda *v: t.bill(pd.Series(v, index=i, dtype=float))
    >>> r = saving_above_reference(kw(500, 100, 100), kw(250, 250, 200), kw(300, 300, 300))
    >>> r[["base_kw", "to_kw", "ref_kw", "above_ref_kw", "saving_usd", "above_ref_usd"]].round(6).to_dict("records")
    [{'base_kw': 500.0, 'to_kw': 250.0, 'ref_kw': 300.0, 'above_ref_kw': 200.0, 'saving_usd': 2500.0, \
'above_ref_usd': 2000.0}]
    >>> r[["base_month", "to_month", "ref_month"]].to_dict("records")
    [{'base_month': 'Jul', 'to_month': 'Jul', 'ref_month': 'Jul'}]
    """
    names = _month_names(base_bill.months)
    rows = {k: {"base_kw": float(m["base_kw"].max()), "to_kw": float(m["to_kw"].max()),
                "ref_kw": float(m["ref_kw"].max()), "above_ref_kw": float(m["above_ref_kw"].max()),
                "saving_usd": float(m["base_usd"].sum() - m["to_usd"].sum()),
                "above_ref_usd": float(m["above_ref_usd"].sum()),
                **{f"{c}_month": names[int(np.argmax(m[f"{c}_kw"]))] for c in ("base", "to", "ref")}}
            for k, m in _above_by_charge(base_bill, to_bill, ref_bill).items()}
    return pd.DataFrame.from_dict(rows, orient="index", columns=["base_kw", "to_kw", "ref_kw", "above_ref_kw",
                                                                 "saving_usd", "above_ref_usd", "base_month",
                                                                 "to_month", "ref_month"])


def _month_names(months) -> list[str]:
    """Billing months as a reader names them: ``Jul``, or ``Jul 2025`` where a name would stand for two months.

    >>> _month_names(["2025-07", "2025-08"]), _month_names(["2025-01", "2026-01"])
    (['Jul', 'Aug'], ['Jan 2025', 'Jan 2026'])
    """
    ps = [pd.Period(m, freq="M") for m in months]
    short = [p.strftime("%b") for p in ps]
    return short if len(set(short)) == len(short) else [p.strftime("%b %Y") for p in ps]


def _above_by_charge(base_bill, to_bill, ref_bill) -> dict:
    """``{charge key: {column: array over the billing months}}`` of :func:`saving_above_reference`: each demand
    charge on the customer's own peak priced in the baseline's bill, with ``base_kw``, ``to_kw``, ``ref_kw``,
    ``above_ref_kw`` (``max(0, B - max(R, T))``), ``usd_per_kw`` (the baseline's average rate), ``base_usd``,
    ``to_usd``, ``ref_usd`` and ``above_ref_usd`` month by month."""
    if not (len(base_bill.months) == len(to_bill.months) == len(ref_bill.months)
            and (np.asarray(base_bill.months) == np.asarray(to_bill.months)).all()
            and (np.asarray(base_bill.months) == np.asarray(ref_bill.months)).all()):
        raise ValueError("bills: the same billing months needed, got "
                         f"{list(base_bill.months)}, {list(to_bill.months)}, {list(ref_bill.months)}")
    base, to, ref = (_monthly_own_peak(b) for b in (base_bill, to_bill, ref_bill))
    out = {}
    for k, (b_kw, b_usd) in base.items():
        if not (b_usd > 0).any():
            continue
        zero = (np.zeros_like(b_kw), np.zeros_like(b_kw))
        t_kw, t_usd = to.get(k, zero)
        r_kw, r_usd = ref.get(k, zero)
        above = np.maximum(0.0, b_kw - np.maximum(r_kw, t_kw))
        rate = np.divide(b_usd, b_kw, out=np.zeros_like(b_usd), where=b_kw > 0)
        out[k] = {"base_kw": b_kw, "to_kw": t_kw, "ref_kw": r_kw, "above_ref_kw": above, "usd_per_kw": rate,
                  "base_usd": b_usd, "to_usd": t_usd, "ref_usd": r_usd, "above_ref_usd": above * rate}
    return out


def above_reference_by_month(base_bill, to_bill, ref_bill) -> pd.DataFrame:
    """The billed demands behind :func:`saving_above_reference`, month by month.

    One row per demand charge on the customer's own peak priced in the baseline's bill and billing month:
    ``charge`` (the key of :func:`billed_demand_by_charge`), ``month``; ``base_kw``, ``ref_kw``, ``to_kw`` (the
    billed demand of the baseline, the reference and the schedule), ``above_ref_kw`` (``max(0, B - max(R, T))``)
    [kW]; ``usd_per_kw`` (the baseline's average rate of the charge that month) [$/kW-month]; ``base_usd``,
    ``ref_usd`` (each bill's cost of the charge) and ``above_ref_usd`` (``above_ref_kw x usd_per_kw``; summed, the
    table's ``above_ref_usd``) [USD]. The sum of ``base_usd - ref_usd`` is the baseline's demand charges less the
    reference's: it counts the months the reference bills more (negative) and the part of the cut the schedule
    does not make, which ``above_ref_usd`` leaves out.

    >>> from dcplan.tariff import Tariff
    >>> t = Tariff.flat(0.1).with_demand_charge(10.0)
    >>> i = pd.date_range("2025-07-01 01:00", periods=3, freq="h", tz="UTC")
    >>> kw = lambda *v: t.bill(pd.Series(v, index=i, dtype=float))
    >>> m = above_reference_by_month(kw(500, 100, 100), kw(250, 250, 200), kw(300, 300, 300))
    >>> m[["charge", "month", "base_kw", "ref_kw", "to_kw", "above_ref_kw", "above_ref_usd"]].to_dict("records")
    [{'charge': 'all_hours', 'month': '2025-07', 'base_kw': 500.0, 'ref_kw': 300.0, 'to_kw': 250.0, \
'above_ref_kw': 200.0, 'above_ref_usd': 2000.0}]
    """
    cols = ["charge", "month", "base_kw", "ref_kw", "to_kw", "above_ref_kw", "usd_per_kw", "base_usd", "ref_usd",
            "above_ref_usd"]
    months = [str(pd.Period(m, freq="M")) for m in base_bill.months]
    frames = [pd.DataFrame({"charge": k, "month": months, **{c: np.asarray(m[c], float) for c in cols[2:]}})
              for k, m in _above_by_charge(base_bill, to_bill, ref_bill).items()]
    return pd.concat(frames, ignore_index=True)[cols] if frames else pd.DataFrame(columns=cols)


def _highest_months(r, ref_name: str, base_name: str = "run-ASAP") -> str:
    """A charge's highest billed demands (a row of :func:`saving_above_reference`) in words, each with its month where
    they are not of one month: a reader who takes them as one month's misreads the gap between them (Phoenix: run-ASAP
    5,951 kW in July, the site 5,587 kW in November, optimized 4,652 kW in May, read as one month's, put 6.9 k USD of
    burst against the 71,272 USD published). Without the months (a table of before them): as one "highest month"."""
    kws = ((f"{base_name} {r.base_kw:,.0f} kW", "base"), (f"{ref_name} {r.ref_kw:,.0f} kW", "ref"),
           (f"optimized {r.to_kw:,.0f} kW", "to"))
    months = [r.get(f"{c}_month") for _, c in kws]
    if any(m is None or (isinstance(m, float) and np.isnan(m)) for m in months):
        return "highest month: " + ", ".join(t for t, _ in kws)
    if len(set(months)) == 1:
        return f"highest month ({months[0]}): " + ", ".join(t for t, _ in kws)
    return ", ".join(f"{t} ({m})" for (t, _), m in zip(kws, months)) + ", each its own highest month"


def highest_kw_text(table: pd.DataFrame, texts=None, *, base_name: str = "run-ASAP",
                    ref_name: str = "the site") -> str:
    """Each charge of :func:`saving_above_reference`'s ``table`` with a part above the reference, in words: the charge
    (``texts``, ``{charge key: words}``) and its highest billed demands of the baseline (``base_name``), the
    reference (``ref_name``) and the schedule, with their months where these differ (:func:`_highest_months`).

    >>> t = pd.DataFrame({"base_kw": [7023.0], "to_kw": [5436.0], "ref_kw": [5790.0], "above_ref_usd": [1.0],
    ...                   "base_month": ["Jul"], "to_month": ["Jul"], "ref_month": ["Jul"]}, index=["all_hours"])
    >>> highest_kw_text(t, {"all_hours": "the all-hours demand charge"}, base_name="greedy")
    'the all-hours demand charge, highest month (Jul): greedy 7,023 kW, the site 5,790 kW, optimized 5,436 kW'
    """
    texts = texts or {}
    return "; ".join(f"{texts.get(k, k)}, {_highest_months(r, ref_name, base_name)}" for k, r in table.iterrows()
                     if r.above_ref_usd > 0)


def above_reference_note(table: pd.DataFrame, demand_saving_usd: float, texts=None,
                         ref: str = "the site's modelled billed demand", ref_name: str = "the site") -> tuple[str, str]:
    """Words for a saving's label: how much of its demand-charge part only cuts the baseline's burst.

    ``table`` is :func:`saving_above_reference`'s, ``demand_saving_usd`` the demand-charge part of the
    saving [USD], ``texts`` ``{charge key: the charge in words}`` (``compare_demand_charges``' ``text``),
    ``ref`` the reference's billed demand in words and ``ref_name`` the reference's name beside its kW.
    Returns ``(long, short)``, each starting ``"; "``, or ``("", "")`` where nothing of the saving is above
    the reference (or the saving is not a positive number).

    Each charge's highest billed demands are given with their months where these differ (:func:`_highest_months`).

    >>> t = pd.DataFrame({"base_kw": [7054.0], "to_kw": [5428.0], "ref_kw": [5874.0], "above_ref_kw": [1180.0],
    ...                   "saving_usd": [289384.0], "above_ref_usd": [189861.0], "base_month": ["Jul"],
    ...                   "to_month": ["May"], "ref_month": ["Nov"]}, index=["all_hours"])
    >>> print(above_reference_note(t, 289384.0, {"all_hours": "the all-hours demand charge"})[0][2:])
    of its 289,384 USD demand-charge part, 189,861 USD (66 %) only cuts the baseline's (run-ASAP's) own burst \
above the site's modelled billed demand (the all-hours demand charge, run-ASAP 7,054 kW (Jul), the site 5,874 kW \
(Nov), optimized 5,428 kW (May), each its own highest month)
    """
    usd = float(table["above_ref_usd"].sum()) if len(table) else 0.0
    if not (np.isfinite(demand_saving_usd) and demand_saving_usd > 0.0 and usd > 0.0):
        return "", ""
    share = f"{usd / demand_saving_usd:.0%}".replace("%", " %")
    kws = highest_kw_text(table, texts, ref_name=ref_name)
    long = (f"; of its {demand_saving_usd:,.0f} USD demand-charge part, {usd:,.0f} USD ({share}) only cuts the "
            f"baseline's (run-ASAP's) own burst above {ref} ({kws})")
    short = f"; {share} of its demand-charge part only cuts run-ASAP's own burst above {ref}"
    return long, short


def peaks_in(peaks, index: pd.DatetimeIndex, interval: str | None = None):
    """The system peaks (coincident-peak interval ends, tz-aware) whose interval lies in a load on ``index``.

    :meth:`dcplan.tariff.Tariff.bill` takes a coincident demand at each peak of ``coincident_peaks``: the
    load's mean over the ``interval`` (default :data:`dcplan.tariff_bill.COINCIDENT_INTERVAL`, 60 min; at
    least one load interval) ending there, and refuses a peak outside the load. A bill of a week (or of the
    weeks a rolling horizon scheduled) takes the peaks in it: each billing month's coincident demand is the
    mean at its peaks there, and a month it touches with no peak there bills none (the load at the month's
    other peaks is not the billed load's). ``peaks`` None (a tariff without such charges) stays None.

    Parameters
    ----------
    peaks : iterable of timestamps or None
        Interval ends (:func:`dcplan.tariff_site.site_coincident_peaks`).
    index : pandas.DatetimeIndex
        The billed load's interval ends (regular). [-]
    interval : str, optional
        A system peak's interval (as :meth:`~dcplan.tariff.Tariff.bill`'s ``coincident_interval``).

    Returns
    -------
    list of pandas.Timestamp or None

    Examples
    --------
    >>> i = pd.date_range("2025-07-14 00:15", periods=4 * 24 * 7, freq="15min", tz="UTC")
    >>> [str(p) for p in peaks_in(["2025-07-14 00:30Z", "2025-07-15 17:00Z", "2025-07-22 17:00Z"], i)]
    ['2025-07-15 17:00:00+00:00']
    """
    if peaks is None:
        return None
    from .tariff_bill import COINCIDENT_INTERVAL
    idx = pd.DatetimeIndex(index)
    step = idx[1] - idx[0] if len(idx) > 1 else pd.Timedelta("1h")
    iv = max(pd.Timedelta(interval or COINCIDENT_INTERVAL), step)
    first = idx[0] - step + iv  # the first interval end whose interval starts with the load
    return [ts for ts in (pd.Timestamp(p) for p in peaks) if first <= ts <= idx[-1]]


def _site_bill(site_kw: pd.Series, tariff, first, last, coincident_peaks=None):
    """The bill of the site's load over ``(first, last]`` (with the ``coincident_peaks`` in it)."""
    load = site_kw[(site_kw.index > first) & (site_kw.index <= last)]
    return tariff.bill(load, coincident_peaks=peaks_in(coincident_peaks, load.index), stamps="end")


#: What the kW of :func:`saving_above_site`'s words are: each charge's billed demand, not the all-hours peak.
BILLED_KW_TEXT = "billed demand (the month's peak grid import in the charge's hours, as billed)"


def saving_above_site(bills: dict, site_kw: pd.Series, tariff, first, last, demand_saving_usd: float,
                      comparable: bool, coincident_peaks=None) -> tuple[float, str, str]:
    """The part of the demand saving vs run-ASAP that only cuts run-ASAP's peak above the billed demand of the
    site's own load: ``(USD, long words, short words)``.

    The site's load ``site_kw`` (its modelled grid import, e.g. the site chain's facility load after its PV,
    never below zero) over ``(first, last]`` is billed by ``tariff`` (with the ``coincident_peaks`` in it,
    :func:`peaks_in`) as the reference of :func:`saving_above_reference`, against ``bills["asap"]`` and
    ``bills["optimized"]`` (:attr:`dcplan.schedule.ScheduleResult.bills`, of the same billing months). The long
    words are :func:`above_reference_note`'s, of ``demand_saving_usd``, each charge's kW said to be its billed
    demand (:data:`BILLED_KW_TEXT`: not the all-hours peak); the short words, for the label of another figure
    (a share of the bill), give the part in USD only, so no percentage in them reads as that figure. Where the
    saving is not like for like (``comparable`` False): ``(NaN, "", "")``.
    """
    ref = _site_bill(site_kw, tariff, first, last, coincident_peaks)
    a = saving_above_reference(bills["asap"], bills["optimized"], ref)
    if not comparable:
        return np.nan, "", ""
    texts = {k: f"{v}; {BILLED_KW_TEXT}"  # each charge in words, and what its kW are
             for k, v in billed_demand_by_charge(bills["asap"], tariff)["text"].items()}
    usd = float(a["above_ref_usd"].sum())
    long = above_reference_note(a, demand_saving_usd, texts)[0]
    short = (f"; of its {demand_saving_usd:,.0f} USD demand-charge saving, {usd:,.0f} USD only cuts run-ASAP's own "
             "burst above the site's modelled billed demand") if long else ""
    return usd, long, short


def above_site_by_month(bills: dict, site_kw: pd.Series, tariff, first, last, coincident_peaks=None) -> pd.DataFrame:
    """The monthly billed demands behind :func:`saving_above_site` (same arguments): :func:`above_reference_by_month`
    of ``bills["asap"]`` and ``bills["optimized"]`` against the site's load billed over ``(first, last]``."""
    return above_reference_by_month(bills["asap"], bills["optimized"],
                                    _site_bill(site_kw, tariff, first, last, coincident_peaks))
