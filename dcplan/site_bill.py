"""What the ``site_analysis`` notebook says about a site's electricity bill, beside the figures.

* :func:`bill_label` — the headline bill's label: the tariff's name and where its prices'
  sources are said (``data/SOURCES.md`` for a tariff bundled in ``data/tariffs``, else only the
  tariff's own ``source`` text).
* :func:`bill_components` — the bill's lines so that they add up to the total: energy, demand
  (split into the coincident-peak and 4CP charges where the tariff has them), fixed, and the
  minimum-bill top-up (:attr:`dcplan.tariff_bill.Bill.minimum_usd`). Exports are not credited
  (the grid draw is billed clipped at 0), so there is no credit line.
* :func:`bill_notes` — what the bill assumed or left out (:attr:`dcplan.tariff_bill.Bill.notes`:
  fields left out with ``ignore=``, a ratchet billed as a steady-state year) and, for a tariff
  whose demand window is shorter than the hourly load (ComEd's 30 min), that the hourly means
  understate its demand (:func:`demand_window_note`), with the fleet's own sub-hourly evidence
  (:func:`subhourly_demand_excess`); for a tariff with demand charges that states no demand window
  (no ``demandwindow``: APS E-32, Dominion GS-3, Duke OPT-V as bundled), that its demand is billed on
  the hourly means, a lower bound if the utility bills 15- or 30-min demand, with the evidence at
  :data:`UNSTATED_WINDOW_MIN`; the evidence's kW in dollars at the month's demand rates, each TOU
  demand period on the excess in its own peak hour (:func:`excess_demand_usd`).
* :func:`price_date_texts` — the date the bill's prices are at (the tariff's URDB ``startdate``,
  :func:`dcplan.tco_electricity.tariff_price_date`) against the fleet's first operating month: the
  bill is the typical year at the tariff's own prices, not escalated, so sites whose tariffs are of
  different dates show bills of different years (the tco notebook escalates them);
  :func:`stale_price_message`, the TCO's warning when those prices are years older than the project
  start (:func:`dcplan.tco_electricity.stale_price_date_message`, reused); :func:`pending_rate_change_text`, a
  rate case the tariff file says is pending (``dcplan_pending_rate_change``) against the fleet's start.
* :func:`bill_within_contract` — the bill of the grid draw capped at the contracted capacity, for a
  site whose draw exceeds its contract (the headline bill then bills power the grid cannot deliver),
  and :func:`over_contract_caveat`, what the headline's label says then.
"""
from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

# the demand-window caveat's text has one source, also for Bill.notes (moved there; re-exported here)
from .tariff_window_note import WINDOW_NOTE_START, UNSTATED_WINDOW_MIN, _has_demand, demand_window_note  # noqa: F401
from .tariff_window_note import unstated_window_note  # noqa: F401

__all__ = ["bill_label", "bill_components", "bill_notes", "demand_window_note", "subhourly_demand_excess",
           "excess_demand_usd",
           "COMPONENT_LABELS", "UNSTATED_WINDOW_MIN", "unstated_window_note", "price_date_texts",
           "stale_price_message", "pending_rate_change_text", "bill_within_contract", "over_contract_caveat",
           "fleet_months", "superseded_note"]


#: Result key -> label of each line of the bill (:func:`bill_components`), in the order shown.
COMPONENT_LABELS = {
    "energy_usd": "Energy charges",
    "demand_usd": "Demand charges",
    "demand_coincident_usd": "Demand charges, of which coincident-peak charges (the site's load at the system "
                             "peaks, tariff.coincident_peaks)",
    "demand_4cp_usd": "Demand charges, of which 4CP transmission charges",
    "fixed_usd": "Fixed charges",
    "minimum_usd": "Minimum-bill top-up (what the tariff's minimum charge adds to the charges above)",
}


def _bundled_tariff(path) -> bool:
    """True when ``path`` is a file of the bundled ``data/tariffs`` folder, or a byte-identical copy
    of one under the same name (a copied portfolio, ``cp -r data mine``, reads its own copies: they
    were labelled as a user's own tariff, "its prices as the tariff's own source gives them", beside
    the bundled one's "rates estimated"). An edited copy is the user's own."""
    import hashlib

    from .paths import data_path
    if path is None:
        return False
    try:
        p, bundled = Path(path).resolve(), data_path("tariffs").resolve()
        if p.is_relative_to(bundled):
            return True
        twin = bundled / p.name
        return (twin.is_file() and p.stat().st_size == twin.stat().st_size
                and hashlib.sha256(p.read_bytes()).digest() == hashlib.sha256(twin.read_bytes()).digest())
    except OSError:
        return False


def price_date_texts(spec, tariff) -> tuple[str, str, str | None]:
    """``(headline, detail, date)``: what the headline bill's label says of the date its prices are at.

    The site's bill is the typical year billed at the tariff's prices, which are those in force from
    its URDB ``startdate`` (:func:`dcplan.tco_electricity.tariff_price_date`: APS E-32 2024-03-08,
    Dominion and Duke 2026-01-01, ComEd 2027-06-01), not escalated to the years the fleet runs; the
    tco notebook escalates it by ``finance.electricity_escalation_frac`` from that date. ``headline``
    goes before the label's parenthesis ("at 2024-03-08 prices, not escalated"), ``detail`` inside it:
    the date's source and how far it is from the fleet's first operating month (the first whole month
    on or after the earliest ``fleet.phases`` start, as the TCO's ``fleet_start``), in years
    (days / 365.25, one decimal); a price date after that month says the TCO deflates the bill to the months
    before it (:func:`dcplan.tco_electricity.price_years`). A tariff without a ``startdate`` (a flat
    ``tariff:`` section, a file without one): undated prices, which the tco notebook takes as the project
    start's. ``date``: the ``YYYY-MM-DD`` price date, or None."""
    from .tco_electricity import tariff_price_date
    day, _ = tariff_price_date(tariff)
    if day is None:
        return ("at the tariff's prices, undated",
                "the tariff gives no price date (no startdate), so the bill is of no stated year; the tco notebook "
                "takes these prices as the project start's and escalates them by finance.electricity_escalation_frac",
                None)
    meta = {str(k).lower(): v for k, v in (getattr(tariff, "metadata", None) or {}).items()}
    assumed = f" ({meta['dcplan_startdate_note']})" if meta.get("dcplan_startdate_note") else ""  # "assumed: ..."
    detail = f"{day} is the tariff's startdate, the date its prices are in force from{assumed}"
    starts = [p.start for p in (getattr(spec.fleet, "phases", None) or ())]
    if starts:
        from .tco_input_types import month_on_or_after
        first = month_on_or_after(min(starts))
        years = (first.to_timestamp() - pd.Timestamp(day)).days / 365.25
        rel = (f"{abs(years):.1f} years {'before' if years > 0 else 'after'}" if round(abs(years), 1) > 0
               else "in the month of")
        detail += f", {rel} the fleet's first operating month ({first})"
        # a price date after the fleet starts (ComEd's 2027-06-01, PJM's 2027/28): the months before it are
        # deflated, a step each 12 months (dcplan.tco_electricity.price_years), not billed at these prices
        later = month_on_or_after(day) > first
    detail += ("; sites whose tariffs are of different dates show bills of different years: the tco notebook "
               "escalates this bill by finance.electricity_escalation_frac from that date to each year it pays")
    if starts and later:
        detail += (", and deflates it at the same rate, a step each 12 months, to the months before that date "
                   "(the fleet's first months among them), which these prices do not bill")
    return f"at {day} prices, not escalated", detail, day


def pending_rate_change_text(spec, tariff) -> str | None:
    """The tariff file's pending rate change (``dcplan_pending_rate_change``,
    :func:`dcplan.tariff_pending.pending_change_text`) against the fleet's first operating month (the first
    whole month on or after the earliest ``fleet.phases`` start, as :func:`price_date_texts`); None without one."""
    from .tariff_pending import pending_change_text
    starts = [p.start for p in (getattr(getattr(spec, "fleet", None), "phases", None) or ())]
    first = None
    if starts:
        from .tco_input_types import month_on_or_after
        first = month_on_or_after(min(starts))
    return pending_change_text(getattr(tariff, "metadata", None), first)


def stale_price_message(spec, y) -> str | None:
    """The TCO's warning for this site's tariff when its prices are dated more than
    :data:`dcplan.tco_electricity.STALE_PRICE_MONTHS` before the project start (the fleet's first
    operating month less ``build_months``): :func:`dcplan.tco_electricity.stale_price_date_message` of the
    site's TCO inputs (:func:`dcplan.tco_inputs.inputs_from_site`, its own warnings silenced here: the
    tco notebook gives them), word for word, so a report that also gets it from the verdict lists it
    once. None without a dated tariff or a dated fleet, or when the prices are recent enough."""
    import warnings

    from .errors import DcplanWarning
    from .tco_electricity import stale_price_date_message
    from .tco_inputs import _price_date, inputs_from_site
    if getattr(spec, "tariff", None) is None or not (getattr(spec.fleet, "phases", None) or ()):
        return None
    dated_by = _price_date(spec, None)[2]
    if dated_by is None:
        return None
    from .power import energy_from_power
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DcplanWarning)
        inputs = inputs_from_site(spec, n_accelerators=int(y.n_accelerators), it_capacity_kw=float(y.design_it_kw),
                                  it_energy_kwh=float(energy_from_power(y.it_kw).sum()), site_year=y)
    return stale_price_date_message(inputs, *dated_by)


def bill_within_contract(spec, y, tariff):
    """The bill of the grid draw capped at the contracted capacity, or None when the draw never
    exceeds it (or the site has no tariff or no interconnection).

    A site whose grid draw is above its contract (``hours_over_contract_h`` > 0) has a headline bill of
    the whole fleet's load, power the grid cannot deliver in those hours. This bills each hour's draw
    clipped at ``y.contracted_kw`` (and at 0, as the headline bill: exports are not credited), on the
    same tariff and keyword arguments (:func:`dcplan.tariff_site.site_bill_kwargs`): the load the
    contract carries, as if the GPUs above it and their cooling were off in those hours. An estimate of
    the bill the site can run as contracted: it does not re-dispatch a battery or the fleet's work."""
    if tariff is None or y.bill is None or y.contracted_kw is None or y.capacity is None:
        return None
    if not y.capacity.hours_over_h > 0:  # hours_over_contract_h (dcplan.grid.capacity_check)
        return None
    from .tariff_site import site_bill_kwargs
    capped = y.grid_kw.clip(lower=0.0).clip(upper=y.contracted_kw)
    return tariff.bill(capped, **site_bill_kwargs(spec, tariff))


def over_contract_caveat(y, capped_usd: float) -> str:
    """The headline bill's bracketed caveat when the grid draw exceeds the contract (``y.capacity``,
    :func:`dcplan.grid.capacity_check`): the bill is of the whole fleet's load, ``hours_over_h`` hours
    of it above the contract (``hours_over_contract_h``), which the grid cannot deliver, and the bill
    with the draw capped there (``capped_usd``, :func:`bill_within_contract`)."""
    cap_kw = float(y.contracted_kw.max())
    over_kw = float(y.capacity.peak_excess_kw)
    # "[over its contract]" is what the terminal summary keeps (dcplan.report_summary.short_label: to the first colon)
    return (f" [over its contract: NOT a bill the site can run; it bills the whole fleet's load, "
            f"{y.capacity.hours_over_h:,.0f} h of it "
            f"above the "
            f"{cap_kw:,.0f} kW contract (by up to {over_kw:,.0f} kW), power the grid cannot deliver; with the grid draw "
            f"capped at the contract it is {capped_usd:,.0f} USD (bill_within_contract_usd)]")


def bill_label(spec, tariff, bill, *, y=None, capped_usd: float | None = None) -> str:
    """The headline bill's label (``spec``: the site, ``tariff``: its :class:`~dcplan.tariff.Tariff`,
    ``bill``: its :class:`~dcplan.tariff_bill.Bill`): "Annual electricity bill at <date> prices, not
    escalated (<tariff>; ...; <date>'s source and distance from the fleet's first operating month)"
    (:func:`price_date_texts`).

    A tariff bundled in ``data/tariffs`` is modeled on a schedule, some prices sourced and some
    dcplan's estimates, as ``data/SOURCES.md`` (Tariffs) says; any other (the user's own file, or
    a flat ``tariff:`` section) says only what its own ``source`` says, quoted, or that it gives
    none. With the site-year ``y`` and ``capped_usd`` (:func:`bill_within_contract`'s total) of a
    grid draw over the contract, the label ends with :func:`over_contract_caveat`. A tariff whose
    ``dcplan_price_status`` says its prices are estimated (or partly, or unverified) says so in the first
    clause, the short headline (:func:`dcplan.input_status.bill_status_phrase`); a rate with an ``enddate``
    says it is superseded there too (:func:`dcplan.tariff_applicability.superseded_text`), a load outside the rate's
    demand range that the rate does not apply to it (:func:`dcplan.tariff_applicability.size_clause`), and a tariff
    with a pending rate case by how much it may move the prices (:func:`dcplan.tariff_pending.pending_clause`)."""
    meta = getattr(tariff, "metadata", None) or {}
    title = meta.get("name") or bill.tariff_name
    t = spec.tariff
    if t is not None and not t.is_flat and _bundled_tariff(spec.tariff_path):
        where = ("which of its prices are sourced and which estimated: data/SOURCES.md, Tariffs, or the "
                 "tariff's own source")
    else:
        src = str(meta.get("source") or "").strip()
        where = (f"its prices as the tariff's own source gives them: {src}" if src
                 else "its prices as the tariff file gives them; the file names no source")
    head, detail, _ = price_date_texts(spec, tariff)
    # the status of its prices where the short headline keeps it (the tariff's dcplan_price_status)
    from .input_status import bill_status_phrase
    status = bill_status_phrase(tariff)
    # a superseded rate (its enddate) is said in the headline, before the tariff's name (the title)
    from .tariff_applicability import size_clause, superseded_clause
    gone = superseded_clause(meta)
    # a load outside the rate's demand range, and a pending rate case: in the first clause too, which the index and
    # the terminal summary keep (they were only in bill_notes and bill_pending_rate_change)
    from .tariff_pending import pending_clause
    gone += size_clause(getattr(bill, "notes", ())) + pending_clause(meta)
    out = f"Annual electricity bill {head}{', ' + status if status else ''}{gone} ({title}; {where}; {detail})"
    if y is not None and capped_usd is not None and y.capacity is not None and y.capacity.hours_over_h > 0:
        out += over_contract_caveat(y, capped_usd)
    return out


def bill_components(bill) -> dict[str, float]:
    """The bill's lines [USD/yr], keys of :data:`COMPONENT_LABELS`: ``energy_usd``,
    ``demand_usd``, ``fixed_usd`` and ``minimum_usd`` add up to ``bill.total_usd``;
    ``demand_coincident_usd`` and ``demand_4cp_usd`` (parts of ``demand_usd``) are given only
    where the bill has such charges, ``minimum_usd`` whatever its value (0: the charges are
    above the minimum)."""
    out = {"energy_usd": float(bill.energy_usd), "demand_usd": float(bill.demand_usd)}
    b = bill.breakdown
    for key, charge in (("demand_coincident_usd", "coincident_demand"), ("demand_4cp_usd", "4cp_transmission")):
        part = b.loc[b["charge"] == charge, "cost_usd"]
        if len(part):
            out[key] = float(part.sum())
    out.update(fixed_usd=float(bill.fixed_usd), minimum_usd=float(bill.minimum_usd))
    return out


def subhourly_demand_excess(spec, y, window_min: float, *, seed: int = 0, method: str = "block") -> dict | None:
    """The fleet's IT load at 1 s in each month's hour of highest grid draw: its highest
    ``window_min`` mean (clock-aligned blocks, or a sliding window for ``method="rolling"``)
    against the hour's mean, which the bill uses. ``window_min`` None (the tariff states no demand
    window): :data:`UNSTATED_WINDOW_MIN`, 15 min.

    The pipeline's hourly IT is the hourly mean of the same 1-s workload process
    (:func:`dcplan.power.site_it_kw` at the same ``seed``; checked here: None when it is not,
    e.g. measured ``it_kw`` data with nothing below the hour). The month's ``window_min`` demand
    is at least its peak hour's highest window, so ``max_excess_kw`` is a lower bound on what
    the hourly means leave out, in IT alone (cooling and losses add to it).

    Returns
    -------
    dict or None
        ``max_excess_kw`` [kW] and ``max_excess_frac`` (of that hour's IT) in the month where
        the excess is largest, that ``month`` ("YYYY-MM") and ``hour`` (its label); ``grid_kw``
        (the hourly grid draw, clipped at 0, whose peak hours these are) and ``excess_at`` (hour
        label -> the same excess [kW] in that hour: a TOU period's own peak hour,
        :func:`excess_demand_usd`).
    """
    if window_min is None:
        window_min = UNSTATED_WINDOW_MIN
    if getattr(spec.fleet, "workload", None) == "data" or window_min >= 60:
        return None
    grid = y.grid_kw.clip(lower=0.0)
    month = (grid.index - pd.Timedelta(hours=1)).strftime("%Y-%m")  # the month each hour starts in
    best = None
    for m, g in grid.groupby(month):
        t = g.idxmax()
        got = _hour_excess(spec, y, t, window_min, seed, method)
        if got is None:
            return None  # not the process the hourly load is the mean of: no evidence to give
        excess, hour_kw = got
        if best is None or excess > best["max_excess_kw"]:
            best = {"max_excess_kw": excess, "max_excess_frac": excess / hour_kw if hour_kw else 0.0,
                    "month": str(m), "hour": t}
    if best is not None:  # the same evidence at any hour (a TOU period's own peak hour: excess_demand_usd)
        best["grid_kw"] = grid
        best["excess_at"] = lambda hour: (_hour_excess(spec, y, hour, window_min, seed, method) or (0.0,))[0]
    return best


def _hour_excess(spec, y, t, window_min: float, seed: int, method: str) -> tuple[float, float] | None:
    """``(excess, hour_kw)`` [kW] of the fleet's IT at 1 s in the hour ending ``t``: its highest
    ``window_min`` mean above the hour's mean (0 at least), and that mean; None when the hour's mean is
    not ``y.it_kw`` there (not the process the hourly load is the mean of)."""
    from . import power
    secs = pd.date_range(t - pd.Timedelta(hours=1) + pd.Timedelta(seconds=1), periods=3600, freq="1s")
    it = power.site_it_kw(spec, secs, seed=seed, deployed="all")
    hour_kw = float(it.mean())
    if not np.isclose(hour_kw, float(y.it_kw.loc[t]), rtol=1e-6, atol=1e-6):
        return None
    n = int(round(window_min * 60))
    v = it.to_numpy()
    peak = (float(pd.Series(v).rolling(n).mean().max()) if method == "rolling"
            else float(v[: len(v) // n * n].reshape(-1, n).mean(axis=1).max()))
    return max(0.0, peak - hour_kw), hour_kw  # (a steady hour: its blocks' means are the hour's, up to rounding)


def excess_demand_usd(bill, tariff, evidence: dict) -> dict | None:
    """What the demand excess of ``evidence`` (:func:`subhourly_demand_excess`: ``max_excess_kw``
    in ``month``'s peak hour of grid draw ``hour``) adds to that month's demand charges of ``bill``
    [USD]: the all-hours (flat) demand charge, billed on the month's peak (``peak_kw``, that hour's
    mean), and the TOU demand charges. Each TOU period bills its own peak, so with the evidence's
    ``excess_at`` and ``grid_kw`` (what :func:`subhourly_demand_excess` returns) each period priced
    that month is counted on the excess in its own peak hour of grid draw (the overall peak hour's
    for the period that holds it); without them (a hand-made evidence), only the period of ``hour``,
    on ``max_excess_kw``. A ratchet or contract floor above the peak (the billing demand beyond it)
    takes its part first. Each charge at the rate of its highest tier billed that month.
    Coincident-peak and 4CP charges bill the system's peaks, not the site's, and are left out.

    Returns ``{"excess_usd", "excess_usd_per_kw"}`` (the rates summed) and, with ``excess_at``,
    ``excess_parts``: ``[(charge, hour, excess kW, USD)]`` per charge counted ("all hours" or
    "TOU period <name>"); None when the month is not in the bill or the tariff has no such demand
    charge."""
    month = pd.Period(evidence["month"], "M")
    mon = bill.monthly
    if month not in mon.index or not _has_demand(tariff):
        return None
    row, ex = mon.loc[month], float(evidence["max_excess_kw"])
    br = bill.breakdown
    br = br[(br["month"] == month) & (br["component"] == "demand")]
    t0 = pd.Timestamp(evidence["hour"])
    at, grid = evidence.get("excess_at"), evidence.get("grid_kw")
    charges = []  # (label, lines selector, billing kW, the charge's peak kW, excess kW, its peak hour)
    if getattr(tariff, "flat_rate", None) is not None:
        charges.append(("all hours", br["charge"] == "flat_demand", row["billing_demand_kw"], row["peak_kw"], ex, t0))
    if getattr(tariff, "demand_rate", None) is not None:
        names = getattr(tariff, "demand_period_names", None)

        def tou(p):
            name = names[p] if names else p
            return name, (br["charge"] == "tou_demand") & (br["period"] == str(name)), f"tou_billing_demand_{name}_kw"
        if at is None or grid is None:  # the peak hour's period only
            p = int(tariff.demand_period(pd.DatetimeIndex([t0 - pd.Timedelta(hours=1), t0])).iloc[-1])
            name, sel, col = tou(p)
            if col in row.index:
                charges.append((f"TOU period {name}", sel, row[col], row["peak_kw"], ex, t0))
        else:  # each priced period on its own peak hour that month
            hours = grid[(grid.index - pd.Timedelta(hours=1)).strftime("%Y-%m") == evidence["month"]]
            per = tariff.demand_period(hours.index).to_numpy()
            for p in sorted(set(per.tolist())):
                name, sel, col = tou(int(p))
                if col not in row.index or not (br.loc[sel, "rate_usd_per_unit"] > 0).any():
                    continue
                h = hours[per == p]
                th = h.idxmax()
                charges.append((f"TOU period {name}", sel, row[col], float(h.max()),
                                ex if th == t0 else float(at(th)), th))
    usd = per_kw = 0.0
    parts = []
    for label, sel, billing, peak, e, th in charges:
        lines = br[sel]
        if not len(lines) or not np.isfinite(billing):
            continue
        pos = lines[lines["quantity"] > 0]
        rate = float((pos if len(pos) else lines).sort_values("tier")["rate_usd_per_unit"].iloc[-1])
        u = (max(float(peak) + e, float(billing)) - float(billing)) * rate
        usd += u
        per_kw += rate
        parts.append((label, th, e, u))
    if not charges:
        return None
    out = {"excess_usd": usd, "excess_usd_per_kw": per_kw}
    if at is not None and grid is not None:
        out["excess_parts"] = parts
    return out


def fleet_months(spec):
    """``(first, last)``: the fleet's first operating month (the first whole month on or after the earliest
    ``fleet.phases`` start, as the TCO's ``fleet_start``) and the TCO horizon's last month (the project start,
    ``first`` less ``build_months`` from ``finance.costs`` or data/costs.csv, plus ``finance.horizon_years``
    years, less a month: :func:`dcplan.tco_input_types.calendar_months`); ``(None, None)`` without dated
    phases, ``(first, None)`` without a ``finance:`` section."""
    starts = [p.start for p in (getattr(getattr(spec, "fleet", None), "phases", None) or ())]
    if not starts:
        return None, None
    from .tco_input_types import month_on_or_after, whole_months
    first = month_on_or_after(min(starts))
    if getattr(spec, "finance", None) is None:
        return first, None
    from .solar_value import finance_lookup
    build = int(whole_months(finance_lookup(spec, {})[0]("build_months")))
    return first, first - build + 12 * int(spec.finance.horizon_years) - 1


def superseded_note(spec, tariff) -> str | None:
    """The bill's note on a superseded rate (an ``enddate``) against the years the fleet runs
    (:func:`fleet_months`, :func:`dcplan.tariff_applicability.superseded_years_text`), not only the billed
    weather year (:attr:`Bill.notes <dcplan.tariff_bill.Bill.notes>` compares the ``enddate`` with that alone):
    None without an ``enddate`` or dated fleet phases."""
    from .tariff_applicability import superseded_years_text
    first, last = fleet_months(spec)
    text = superseded_years_text(getattr(tariff, "metadata", None), first, last)
    return None if text is None else "enddate: " + text


def bill_notes(bill, tariff, step_min: float = 60.0, evidence: dict | None = None, *, spec=None) -> list[str]:
    """Every note on the site's bill: :attr:`Bill.notes <dcplan.tariff_bill.Bill.notes>`, then
    :func:`demand_window_note`. With the site ``spec``, a superseded rate's note is said against the years the
    fleet runs (:func:`superseded_note`) in place of the bill's own, which compares the ``enddate`` with the
    billed weather year only."""
    # a site gives its system peaks as tariff.coincident_peaks (the Python argument's name in Bill.notes)
    # Bill.notes' demand-window caveat (no evidence) is replaced by the one with the fleet's evidence below
    gone = None if spec is None else superseded_note(spec, tariff)
    notes = [n.replace("system-peak stamps (coincident_peaks)", "system-peak stamps (tariff.coincident_peaks)")
             for n in bill.notes if not n.startswith(WINDOW_NOTE_START)
             and not (gone and str(n).lower().startswith("enddate"))]
    if gone:
        notes.append(gone)
    if evidence and evidence.get("hour") is not None and getattr(bill, "monthly", None) is not None:
        evidence = {**evidence, **(excess_demand_usd(bill, tariff, evidence) or {})}
    dw = demand_window_note(tariff, step_min, evidence)
    if dw:
        notes.append(dw)
    return notes
