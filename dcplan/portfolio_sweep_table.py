"""The ``portfolio_sweep`` notebook's case table: every case with its objectives and Pareto front, a case in
words, and the sites as specified beside the cases (re-exported by :mod:`dcplan.portfolio_compare`, where it was).

The objectives (:data:`SWEEP_OBJECTIVES`): electricity cost per IT MWh (each case's bill restated at one price date,
``cost_price_date``, the latest tariff price date among the cases, as the TCO escalates a bill:
:mod:`dcplan.portfolio_prices`; the sites' tariffs are priced years apart), first power for new capacity as months
after the earliest case's (:func:`dcplan.portfolio_compare.first_power_months`) and the share of GPU time
throttled. The front is taken on the objectives some case that ran has (:func:`front_objectives`): a portfolio
whose sites have no interconnection request has no first power in any case, and a front on all three would be
empty.
"""
from __future__ import annotations

import pandas as pd

from . import pipeline

__all__ = ["SWEEP_OBJECTIVES", "COMMON_DATE_COLUMNS", "sweep_case_table", "front_objectives", "front_note", "case_text",
           "as_specified"]

#: The sweep's objectives, all lower-is-better (the Pareto front's axes).
SWEEP_OBJECTIVES = ("cost_usd_per_it_mwh", "first_power_months", "throttled_frac")
#: Columns a case has only when its site has an interconnection request (:func:`dcplan.pipeline.figures`) that
#: the case table always has (empty when no case has them), with their empty value: the notebook reads them
_REQUEST_COLUMNS = {"first_energized_median": None, "time_to_power_median_months": float("nan")}
#: The case table's figures at the common price date, right after the objectives (``cost_price_date`` first):
#: the bill, the cost with PV and battery, and the bill per facility MWh restated there, so the CSV's reader sees
#: them apart from the same figures at each tariff's own price date (``bill_price_date``, before ``bill_usd``,
#: ``electricity_cost_usd`` and ``usd_per_mwh_facility``).
COMMON_DATE_COLUMNS = ("cost_price_date", "escalation_factor", "bill_at_common_date_usd",
                       "electricity_cost_at_common_date_usd", "usd_per_mwh_facility_at_common_date")
_RUN_COLUMNS = ("seconds", "cpu_s", "worker")  # how a case ran, not what it is: not in the case table


def sweep_case_table(frame: pd.DataFrame, *, price_date: str | None = None) -> pd.DataFrame:
    """Every case of a sweep (:attr:`dcplan.sweep.SweepResult.frame`, failed ones too) with the
    ``portfolio_sweep`` notebook's objectives and front.

    Adds ``cost_price_date``, ``escalation_factor`` and ``bill_at_common_date_usd`` (each case's bill restated at
    one price date, ``price_date`` or by default the latest ``bill_price_date`` of the cases that ran with a bill,
    as the TCO escalates a bill: :func:`dcplan.portfolio_prices.at_common_date`; the sites' tariffs are of
    different dates, and their bills as billed of different years' prices), ``cost_usd_per_it_mwh``
    (``electricity_cost_at_common_date_usd / it_mwh``, with ``electricity_cost_at_common_date_usd =
    electricity_cost_usd - bill_usd + bill_at_common_date_usd``: the bill at the common date plus the PV's and
    battery's annualised costs, so a larger array or battery is paid for, not only its saving counted) [USD/MWh],
    ``usd_per_mwh_facility_at_common_date`` (``bill_at_common_date_usd / facility_mwh``, the twin of
    ``usd_per_mwh_facility`` at the tariff's own prices) [USD/MWh], ``first_power_months``
    (:func:`first_power_months` of ``first_energized_median``, the median date the case's new capacity is first
    energized, over the cases that ran; on an existing campus its first phase not already in service:
    :func:`dcplan.pipeline.figures`) [months] and ``pareto`` (:func:`dcplan.sweep.pareto_front` among the cases that ran, on the objectives some
    case has: :func:`front_objectives`; a failed case is never on it), and empty ``first_energized_median`` and
    ``time_to_power_median_months`` when no case has them (no site with an interconnection request). Drops the
    run's timing columns (``seconds``, ``cpu_s``, ``worker``), so the table is the same on every run; case, site
    and override columns first.
    """
    from .portfolio_compare import first_power_months
    from .portfolio_prices import at_common_date
    from .sweep import pareto_front
    out = frame.drop(columns=[c for c in _RUN_COLUMNS if c in frame]).copy()
    ok = out["status"] == "ok"
    num = {c: pd.to_numeric(out[c], errors="coerce") if c in out else pd.Series(float("nan"), index=out.index)
           for c in ("electricity_cost_usd", "it_mwh", "throttled_frac", "bill_usd")}
    esc = at_common_date(out.assign(bill_usd=num["bill_usd"].where(ok)), price_date)  # one price date for all
    out[list(esc.columns)] = esc
    restated = (esc["bill_at_common_date_usd"] - num["bill_usd"]).fillna(0.0)  # the bill's escalation, 0 without
    # the case's own-price-date figures (electricity_cost_usd, usd_per_mwh_facility: bill_price_date) get twins at
    # cost_price_date beside the objective, so a reader comparing rows of the CSV compares one price date
    out["electricity_cost_at_common_date_usd"] = (num["electricity_cost_usd"] + restated).where(ok)
    fac = pd.to_numeric(out["facility_mwh"], errors="coerce") if "facility_mwh" in out else pd.Series(
        float("nan"), index=out.index)
    out["usd_per_mwh_facility_at_common_date"] = (esc["bill_at_common_date_usd"] / fac.where(fac > 0)).where(ok)
    out["cost_usd_per_it_mwh"] = (out["electricity_cost_at_common_date_usd"] / num["it_mwh"]).where(ok)
    dates = pd.to_datetime(out["first_energized_median"], errors="coerce") if "first_energized_median" in out \
        else pd.Series(pd.NaT, index=out.index)
    out["first_power_months"] = first_power_months(dates.where(ok))
    for c, empty in _REQUEST_COLUMNS.items():  # no case's site has an interconnection request: the columns, empty
        if c not in out:
            out[c] = pd.Series(empty, index=out.index, dtype=object if empty is None else float)
    out["throttled_frac"] = num["throttled_frac"]
    out["pareto"] = False
    objectives = front_objectives(out)
    if ok.any() and objectives:
        out.loc[ok, "pareto"] = pareto_front(out[ok], objectives).to_numpy()
    out["pareto"] = out["pareto"].astype(bool)
    first = [c for c in ("case_id", "site", "status", "pareto", *SWEEP_OBJECTIVES, *COMMON_DATE_COLUMNS) if c in out]
    axes = [c for c in out.columns if "." in c]  # the override columns (cooling.type, solar.dc_kw, ...)
    rest = [c for c in out.columns if c not in first and c not in axes and c != "bill_price_date"]
    if "bill_price_date" in out and "bill_usd" in rest:  # the own-price-date figures follow their date
        rest.insert(rest.index("bill_usd"), "bill_price_date")
    return out[first[:2] + axes + first[2:] + rest]


def front_objectives(cases: pd.DataFrame) -> list[str]:
    """The :data:`SWEEP_OBJECTIVES` the Pareto front of ``cases`` (:func:`sweep_case_table`) is taken on: those
    that at least one case that ran has. A portfolio whose sites have no interconnection request has no first
    power in any case (no tariff: no cost), and a front on all three would be empty; a case missing an objective
    that other cases have is never on the front (:func:`dcplan.sweep.pareto_front`)."""
    ran = cases[cases["status"] == "ok"]
    return [c for c in SWEEP_OBJECTIVES if c in ran and pd.to_numeric(ran[c], errors="coerce").notna().any()]


def front_note(cases: pd.DataFrame) -> str:
    """What the front of ``cases`` is taken on, for its label: ``""`` on every objective, else e.g.
    ``" (on cost_usd_per_it_mwh, throttled_frac only: no case has first_power_months)"``."""
    on = front_objectives(cases)
    if on == list(SWEEP_OBJECTIVES):
        return ""
    if not on:
        return " (no case has any of the objectives: no front)"
    return f" (on {', '.join(on)} only: no case has {', '.join(c for c in SWEEP_OBJECTIVES if c not in on)})"


def case_text(row, names: dict | None = None) -> str:
    """One sweep case in words: its site and every override it applies (the axes and the sweep's
    fixed values, from ``overrides_json``), e.g. "Phoenix, AZ (phoenix-az) with cooling.type
    liquid, cooling.liquid_class W32, solar.dc_kw 4,000, cooling.margin_frac 0.15"."""
    import json
    site = str(row["site"])
    who = f"{names[site]} ({site})" if names and site in names else site
    try:
        ov = json.loads(row["overrides_json"]) if isinstance(row.get("overrides_json"), str) else {}
    except ValueError:
        ov = {}
    ov = ov or {c: row[c] for c in row.index if "." in c}

    def fmt(v):
        return f"{v:,.0f}" if isinstance(v, (int, float)) and not isinstance(v, bool) and abs(v) >= 1000 \
            else (f"{v:g}" if isinstance(v, float) else str(v))
    return who + (" with " + ", ".join(f"{k} {fmt(v)}" for k, v in sorted(ov.items(), key=lambda kv: (
        not kv[0].startswith("cooling.type"), kv[0]))) if ov else "")


def as_specified(sites, price_date: str | None = None) -> pd.DataFrame:
    """Each site as its file specifies it (its own cooling, PV and plant margin, no sweep
    override): the ``site_analysis`` figures a sweep case is not. Indexed by site id:
    ``cooling``, ``pv_dc_kw`` [kW DC] (0 without a ``solar:`` section), ``pv_tracking``,
    ``margin_frac`` ("default": the plant's default margin) and ``cost_usd_per_it_mwh`` [USD/MWh]: the
    bill restated at ``price_date`` (the sweep's ``cost_price_date``; default the latest of these sites' tariff
    price dates: :func:`dcplan.portfolio_prices.at_common_date`) plus the PV's and battery's annualised costs per
    IT MWh, as the sweep's (NaN without a tariff)."""
    from .portfolio_prices import at_common_date
    rows, figs = {}, {}
    for s in sites:
        f = figs[s.id] = pipeline.case_figures(s)
        c = s.cooling
        rows[s.id] = {"cooling": c.type + (f" {c.liquid_class}" if c.type == "liquid" and c.liquid_class else ""),
                      "pv_dc_kw": float(s.solar.dc_kw) if s.solar is not None else 0.0,
                      "pv_tracking": bool(s.solar.tracking) if s.solar is not None else False,
                      "margin_frac": c.margin_frac if c.margin_frac is not None else "default"}
    f = pd.DataFrame.from_dict(figs, orient="index")
    num = {c: pd.to_numeric(f[c], errors="coerce") if c in f else pd.Series(float("nan"), index=f.index)
           for c in ("electricity_cost_usd", "bill_usd", "it_mwh")}
    esc = at_common_date(f, price_date)
    cost, it = num["electricity_cost_usd"], num["it_mwh"]
    restated = (esc["bill_at_common_date_usd"] - num["bill_usd"]).fillna(0.0)
    out = pd.DataFrame.from_dict(rows, orient="index")
    out["cost_usd_per_it_mwh"] = ((cost + restated) / it.where(it > 0)).reindex(out.index)
    return out
