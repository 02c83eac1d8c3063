"""The index's "TCO NPVs at one date" table (part of :mod:`dcplan.report_html`).

Each TCO report values its NPVs at its own site's project start (the start of the build), so the sites' NPVs
compare only once moved to one date: :func:`npv_comparison` moves them to the latest of those months at each
site's own discount rate (:func:`dcplan.finance.revalue`), :func:`npv_html` writes the table.

Which NPVs: the tco report leads with the NPV at the site's median grid delay (``npv_grid_delay_p50_usd``), the
deterministic case run on its scenario's grid dates (``npv_usd``: for ``base`` the planned dates, a grid delay
of 0, which the grid model gives well under 1 % at every bundled site: ``npv_case_grid_on_time_frac``) second.
A finance reviewer read the on-plan NPVs alone on the index (Chicago 257.8 M, northern-virginia 474.4 M USD)
while those sit at the 97th-99.5th percentile of their own Monte Carlo, whose medians are negative. So the table
shows, in this order, the median-delay NPV, the Monte Carlo's median NPV (``mc_npv_p50_usd``), its probability
of NPV < 0 (``mc_prob_npv_negative_frac``) and the on-plan NPV with the chance of its grid dates.

The dates: the median-delay case is the case with only its grid delay changed
(:func:`dcplan.tco_delay.median_delay_case`), and the project start (``fleet_start`` less ``build_months``,
:func:`dcplan.tco_input_types.calendar_months`) does not depend on the delay, so it is valued at the same month as
``npv_usd`` (``npv_valued_month``); every Monte Carlo draw starts at the base case's project start (its label;
a draw of another build is an overrun from it, :mod:`dcplan.tco_revalue`), so its median is at that month too,
and moving every draw by one positive factor moves the median by it. All three are revalued alike. A probability
of NPV < 0 is the same at any date (a positive factor keeps a sign), so it is shown as published.

Per GPU and per MW: the sites' fleets differ in size (the bundled ones 3,072 to 9,216 GPUs, 5.6 to 16.2 MW of design
IT), and an NPV grows with the fleet, so the largest fleet led the table although per GPU and per MW it came third
of four (Northern Virginia: 306 M USD at its median grid delay, 33,221 USD per GPU, against Research Triangle's
160 M USD, 39,011 USD per GPU). Each NPV is also shown divided by the run's ``n_accelerators`` (USD per GPU) and
``design_it_kw`` / 1000 (USD per MW of design IT, the IT capacity the facility is built for; the grid delivers
that plus the losses and cooling), as its tco report publishes them, and :func:`npv_orders` says, below the table,
the order of the sites on each basis and when they differ.
"""
from __future__ import annotations

import html

from .index_sort import num_attr, sort_th, text_attr

__all__ = ["npv_comparison", "npv_html", "npv_orders", "NPV_COLUMNS", "ORDER_BASES"]

#: The NPVs of a TCO run the table revalues, in its column order: ``(results key, row field)``.
NPV_COLUMNS = (("npv_grid_delay_p50_usd", "p50_delay"), ("mc_npv_p50_usd", "mc_p50"), ("npv_usd", "case"))


def _number(res: dict, key: str):
    v = res.get(key, {}).get("value")
    return float(v) if isinstance(v, (int, float)) and not isinstance(v, bool) else None


def npv_comparison(docs: dict, keys, status: dict | None = None) -> list[dict]:
    """The TCO runs among ``keys`` (their results.json ``docs``) that publish an NPV, the month
    it is valued at and the discount rate, each NPV also moved to one common month (the latest
    of those months, :func:`dcplan.finance.revalue`): each site's NPV is valued at its own
    project start, so two sites' NPVs compare only at one date. A run whose latest attempt
    failed or is not applicable (``status``, runs.json) is left out: its results.json is an
    earlier render's. Empty with fewer than two.

    Each row: ``key``, ``site_name``, ``scenario``, ``month`` (its NPVs' valuation month), ``rate``,
    ``common_month``, ``stand_in`` (the H100 stand-in caveat of its ``npv_usd`` label), and for each of
    :data:`NPV_COLUMNS` ``<field>_usd`` (as published, None when not published) and ``<field>_common_usd``
    (at ``common_month``); ``npv_usd`` / ``npv_common_usd`` are the ``case`` ones (as before). Also
    ``p50_delay_note`` (why there is no median-delay NPV, or that the case is it),
    ``p50_delay_mc_percentile_frac`` (the share of the Monte Carlo's draws at or below the median-delay NPV,
    ``mc_npv_grid_delay_p50_percentile_frac``; None when not published), ``case_delay_months``,
    ``case_on_time_frac`` and ``mc_prob_negative_frac`` (None when not published). The fleet's size as the run
    publishes it, ``n_accelerators`` and ``design_it_kw`` [kW] (None when not published: a tco report rendered before
    they were), and each NPV at ``common_month`` per GPU, ``<field>_per_gpu_usd`` = ``<field>_common_usd`` /
    ``n_accelerators`` [USD/GPU], and per MW of design IT, ``<field>_per_mw_usd`` = ``<field>_common_usd`` /
    (``design_it_kw`` / 1000) [USD/MW] (None without the NPV or the size, or with a size of 0).
    """
    import pandas as pd

    from .finance import revalue
    from .tco_delay import MEDIAN_SCENARIO
    from .tco_revenue import stand_in_from_label
    rows = []
    for k in sorted(keys):
        st = (status or {}).get(k, {})
        if st.get("ok") is False or st.get("not_applicable"):
            continue
        res = (docs.get(k) or {}).get("results", {})
        npv, rate = _number(res, "npv_usd"), _number(res, "discount_rate_frac")
        month = res.get("npv_valued_month", {}).get("value")
        if npv is None or rate is None or not isinstance(month, str):
            continue
        scenario = res.get("scenario", {}).get("value")
        row = {"key": k, "site_name": docs[k].get("site_name") or k.split("/")[0], "scenario": scenario,
               "month": pd.Period(month, "M"), "rate": rate,
               # an NPV resting on H100 figures for other hardware: marked as its headline label is
               "stand_in": stand_in_from_label(res.get("npv_usd", {}).get("label")),
               "case_delay_months": _number(res, "delay_months"),
               "case_on_time_frac": _number(res, "npv_case_grid_on_time_frac"),
               "mc_prob_negative_frac": _number(res, "mc_prob_npv_negative_frac"), "p50_delay_note": "",
               # where the median-delay NPV lies among the Monte Carlo's draws (median in its delay only)
               "p50_delay_mc_percentile_frac": _number(res, "mc_npv_grid_delay_p50_percentile_frac"),
               # the fleet's size: an NPV grows with it, so sites of different fleets compare per GPU and per MW
               "n_accelerators": _number(res, "n_accelerators"), "design_it_kw": _number(res, "design_it_kw")}
        for key, field in NPV_COLUMNS:
            row[f"{field}_usd"] = _number(res, key)
        if row["p50_delay_usd"] is None:
            note = res.get("npv_grid_delay_p50_note", {}).get("value")
            if scenario == MEDIAN_SCENARIO:  # the run's own case is at the median delay (no second case)
                row["p50_delay_usd"] = npv
                row["p50_delay_note"] = f"the run's own case (scenario {MEDIAN_SCENARIO})"
            elif isinstance(note, str) and note:
                row["p50_delay_note"] = note
            else:
                row["p50_delay_note"] = "not published (no interconnection: section, or the case runs the median delay)"
        rows.append(row)
    if len(rows) < 2:
        return []
    common = max(r["month"] for r in rows)
    for r in rows:
        r["common_month"] = common
        n = (common - r["month"]).n
        for _key, field in NPV_COLUMNS:
            v = r[f"{field}_usd"]
            at = r[f"{field}_common_usd"] = None if v is None else revalue(v, r["rate"], n)
            gpus, kw = r["n_accelerators"], r["design_it_kw"]
            r[f"{field}_per_gpu_usd"] = at / gpus if at is not None and gpus else None
            r[f"{field}_per_mw_usd"] = at / (kw / 1000.0) if at is not None and kw else None
        r["npv_usd"], r["npv_common_usd"] = r["case_usd"], r["case_common_usd"]
    return rows


#: The bases :func:`npv_orders` orders the sites on: (what it is, row field).
ORDER_BASES = (("NPV at the median grid delay", "p50_delay_common_usd"),
               ("the same per GPU", "p50_delay_per_gpu_usd"),
               ("per MW of design IT", "p50_delay_per_mw_usd"),
               ("Monte Carlo median NPV", "mc_p50_common_usd"),
               ("Monte Carlo median per GPU", "mc_p50_per_gpu_usd"))


def npv_orders(rows: list[dict]) -> str:
    """The sites of :func:`npv_comparison`'s ``rows`` in order, highest first, on each of :data:`ORDER_BASES`
    that every row has, and whether the site first differs between them; "" with fewer than two such bases.

    Equal values (within 1e-9 relative) are joined by "=", others by ">".

    >>> rows = [{"site_name": "Big", "p50_delay_common_usd": 300.0, "p50_delay_per_gpu_usd": 30.0},
    ...         {"site_name": "Small", "p50_delay_common_usd": 160.0, "p50_delay_per_gpu_usd": 40.0}]
    >>> npv_orders(rows)
    'Sites by NPV, highest first: NPV at the median grid delay: Big > Small; the same per GPU: Small > Big. \
The first site differs between these bases (Big, Small): an NPV grows with the fleet, so compare sites of different \
fleet sizes per GPU or per MW, and read the Monte Carlo median beside the single case.'
    """
    parts, firsts = [], []
    for what, field in ORDER_BASES:
        vals = [(r.get(field), r["site_name"]) for r in rows]
        if len(vals) < 2 or any(v is None for v, _ in vals):
            continue
        vals.sort(key=lambda vn: -vn[0])
        text = vals[0][1]
        for (a, _), (b, name) in zip(vals, vals[1:]):
            same = abs(a - b) <= 1e-9 * max(abs(a), abs(b))
            text += f" {'=' if same else '>'} {name}"
        parts.append(f"{what}: {text}")
        firsts.append(vals[0][1])
    if len(parts) < 2:
        return ""
    out = "Sites by NPV, highest first: " + "; ".join(parts) + "."
    if len(set(firsts)) > 1:
        out += (f" The first site differs between these bases ({', '.join(dict.fromkeys(firsts))}): an NPV grows "
                "with the fleet, so compare sites of different fleet sizes per GPU or per MW, and read the Monte Carlo "
                "median beside the single case.")
    return out


def _usd_cell(r: dict, field: str, extra: str = "") -> str:
    """An NPV at the common month, the figure as its report publishes it (and its date) under it."""
    v, at = r[f"{field}_usd"], r[f"{field}_common_usd"]
    if v is None:
        why = r.get("p50_delay_note") if field == "p50_delay" else "not published by this run"
        return f"<td{num_attr(None)}>n/a<div class='na'>{html.escape(why or '')}</div>{extra}</td>"
    note = (f"<div class='na'>{html.escape(r['p50_delay_note'])}</div>"
            if field == "p50_delay" and r.get("p50_delay_note") else "")
    per_gpu, per_mw = r.get(f"{field}_per_gpu_usd"), r.get(f"{field}_per_mw_usd")
    # (a run that does not publish its fleet's size has none: said once, below the table)
    unit = (f"<div class='na'>{per_gpu:,.0f} USD per GPU ({r['n_accelerators']:,.0f} GPUs); "
            f"{per_mw / 1e6:,.2f} M USD per MW of design IT ({r['design_it_kw'] / 1000:,.2f} MW)</div>"
            if per_gpu is not None and per_mw is not None else "")
    # sorted by the NPV at the common month, the figure in bold (dcplan.index_sort)
    return (f"<td{num_attr(at)}><b>{at:,.0f} USD</b><div class='na'>as reported: {v:,.0f} USD at {r['month']}</div>"
            f"{unit}{note}{extra}</td>")


def _p50_extra(r: dict) -> str:
    """Under the median-delay NPV: its percentile among the report's Monte Carlo draws, when published. The case is
    median in its grid delay only, its other inputs at base: at the bundled sites it lay near the draws' 90th
    percentile, the Monte Carlo median negative, which the column's heading did not say."""
    from .prob_display import probability_text
    pct = r.get("p50_delay_mc_percentile_frac")
    if pct is None:
        return ""
    return (f"<div class='na'>{html.escape(f'percentile {100 * pct:.1f} of its Monte Carlo: ')}"
            f"{html.escape(probability_text(1.0 - pct))} of the draws above it (median in its grid delay only, "
            f"its other inputs at base)</div>")


def _case_extra(r: dict) -> str:
    """Under the case's NPV: its grid delay and the chance the grid model gives its dates."""
    from .prob_display import probability_text
    parts = []
    if r.get("case_delay_months") is not None:
        parts.append(f"grid delay {r['case_delay_months']:.0f} months")
    if r.get("case_on_time_frac") is not None:
        parts.append(f"chance the grid gives these dates: {probability_text(r['case_on_time_frac'])}")
    return f"<div class='na'>{html.escape('; '.join(parts))}</div>" if parts else ""


def npv_html(rows: list[dict]) -> str:
    """The "TCO NPVs at one date" section of the index; ``""`` for no rows."""
    if not rows:
        return ""
    from .prob_display import probability_text
    common = rows[0]["common_month"]
    unsized = [r["site_name"] for r in rows if not (r.get("n_accelerators") and r.get("design_it_kw"))]
    body = []
    for r in rows:
        stand = f"<div class='na'>{html.escape(r['stand_in'])}</div>" if r.get("stand_in") else ""
        p = r.get("mc_prob_negative_frac")
        prob = f"<td{num_attr(p)}>{html.escape(probability_text(p) if p is not None else 'n/a')}</td>"
        scenario = str(r['scenario'] or '')
        body.append(f"<tr><td{text_attr(r['site_name'])}>{html.escape(r['site_name'])}{stand}</td>"
                    f"<td{text_attr(scenario)}>{html.escape(scenario)}</td>"
                    f"<td{num_attr(r['rate'])}>{r['rate']:.1%}</td>{_usd_cell(r, 'p50_delay', _p50_extra(r))}"
                    f"{_usd_cell(r, 'mc_p50')}{prob}"
                    f"{_usd_cell(r, 'case', _case_extra(r))}</tr>")
    # every column sorts (dcplan.index_sort): the NPVs and the probability by the number, not the text shown
    heads = "".join(sort_th(label, kind) for label, kind in (
        ("Site", "text"), ("Scenario", "text"), ("Discount rate", "num"),
        (f"NPV at the site's median grid delay, at {common}", "num"), (f"Monte Carlo median NPV, at {common}", "num"),
        ("Probability NPV &lt; 0 (Monte Carlo)", "num"),
        (f"NPV of the scenario's case on its grid dates (base: as planned, grid delay 0), at {common}", "num")))
    return (f"<h2>TCO NPVs at one date</h2>\n<p>Each TCO report values its NPVs at its own site's project start "
            f"(the start of the build), so the sites' NPVs in their reports are at different dates and do not compare "
            f"as they stand. Below, each is moved to {common}, the latest of those months, at its own discount rate "
            f"(NPV x (1 + rate)^(months / 12), dcplan.finance.revalue); the figure as reported, and its date, is under "
            f"it. The columns, in the order the TCO report leads with them: the NPV at the site's median grid delay "
            f"(npv_grid_delay_p50_usd, dcplan.grid's time to power: median in its grid delay only, its other inputs "
            f"at base, so not the median NPV; under it, its percentile among the report's Monte Carlo draws, "
            f"mc_npv_grid_delay_p50_percentile_frac), the median NPV of the report's Monte Carlo "
            f"(mc_npv_p50_usd, every draw valued at the project start) and its probability of NPV &lt; 0 "
            f"(mc_prob_npv_negative_frac, the same at any date), then the NPV of the scenario's deterministic case on "
            f"its grid dates (npv_usd; scenario base: the planned dates, a grid delay of 0 months, with the chance the "
            f"grid model gives them: an optimistic case, not a central estimate). They still differ in fleet size, "
            f"hardware and horizon (each report's own horizon from its own start): an NPV grows with the fleet, so "
            f"under each NPV it is also given per GPU (n_accelerators, the whole fleet) and per MW of design IT "
            f"(design_it_kw, the capacity the facility is built for), and the sites' order on each basis is below "
            f"the table. An NPV resting on H100 figures that stand in for its fleet's hardware says so under its "
            f"site, as its report's headline does: such NPVs of different hardware do not compare. A run that failed "
            f"or does not apply this time is left out.</p>\n"
            f"<table class='sortable'><thead><tr>{heads}</tr></thead><tbody>\n{chr(10).join(body)}\n</tbody></table>"
            + (f"\n<p>{html.escape(orders)}</p>" if (orders := npv_orders(rows)) else "")
            + (f"\n<p>Not shown per GPU and per MW: {html.escape(', '.join(unsized))}: the run does not publish its "
               f"fleet's size (n_accelerators, design_it_kw); render its tco notebook again.</p>" if unsized else ""))
