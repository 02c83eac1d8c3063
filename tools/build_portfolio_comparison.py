"""Build notebooks/portfolio_comparison.ipynb (python -m tools.build_portfolio_comparison)."""
from tools.nbtools import check_params, code, md, params, write

cells = [
    md("""
    # Portfolio comparison

    All sites of the portfolio side by side: the key figures of each site's typical year from
    `dcplan.pipeline`, a weighted score (weights are parameters; each criterion is scaled 0-1
    across the portfolio, best = 0), and the trade-off between electricity cost and time to
    power. Rendered once per portfolio.

    Electricity cost and grid carbon are scored per million tokens by default (`basis`): an
    installed GPU-hour is no common unit across GPU generations (a GB200 GPU draws about 1.2 kW
    against an H100's 0.7 kW and, in the example figures, serves about 4 times the tokens per
    second). Tokens are each site's example throughput (`dcplan.power.example_throughput`: the
    GB200 NVL72 figure for GB200 parts, the H100 SXM MLPerf figure for every other accelerator, an
    illustration there, not a measurement) at the fleet's utilisation, as in `site_analysis`. The
    per-GPU-hour figures are shown beside them; `basis = "gpu_h"` scores on those instead, which
    compares only fleets of one generation.
    """),
    params("""
    portfolio: str = "default"  # portfolio YAML, or "default" for the bundled example
    cooling: str = "site"  # "site" keeps each site's plant, or a key of dcplan.pipeline.REFERENCE_PLANTS
    basis: str = "tokens"  # cost and carbon per million tokens ("tokens") or per installed GPU-hour ("gpu_h")
    weight_cost: float = 0.4  # weight of electricity cost (per million tokens, or per GPU-hour: basis)
    weight_time_to_power: float = 0.3  # weight of median time to power
    weight_pue: float = 0.1  # weight of annual PUE
    weight_carbon: float = 0.1  # weight of grid carbon (per million tokens, or per GPU-hour: basis)
    weight_derate: float = 0.1  # weight of hours the cooling plant derates
    """),
    check_params("portfolio_comparison"),
    code("""
    import matplotlib.pyplot as plt
    import pandas as pd

    from dcplan import pipeline, plotting, power
    from dcplan.errors import InputError
    from dcplan.portfolio_score import unit_figures, weighted_score
    from dcplan.results import publish
    from dcplan.site import load_portfolio

    if basis not in ("tokens", "gpu_h"):
        raise InputError(f"must be 'tokens' or 'gpu_h', got {basis!r}", field="basis")
    plotting.use_style()
    pf = load_portfolio(portfolio)
    sites, left_out = [], {}  # left_out: site -> why the cooling override does not apply to it
    for s in pf:
        try:
            sites.append(s if cooling == "site" else pipeline.with_reference_plant(s, cooling))
        except InputError as e:  # e.g. an air plant for a liquid-only fleet: that site is left out, not the notebook
            left_out[s.id] = e.detail
            print(f"{s.name} ({s.id}) left out of the comparison: {e.detail}")
    if not sites:
        raise InputError(f"the reference plant {cooling!r} applies to no site of the portfolio: "
                         + "; ".join(left_out.values()), field="cooling")
    rows = []
    for s in sites:
        y = pipeline.run_site_year(s)
        rate, rate_key = power.example_throughput(s)
        # hours_h: the weather year's own hours (8,784 in a leap year)
        rows.append({**pipeline.figures(y), "hours_h": float(len(y.weather)),
                     "utilisation_frac": s.fleet.utilisation_frac,
                     "tokens_per_s_per_accelerator": rate, "throughput_key": rate_key})
    t = pd.DataFrame(rows).set_index("site")
    t = t.join(unit_figures(t))
    names = {s.id: s.name for s in pf}
    cost_col, carbon_col = (("usd_per_m_tokens", "carbon_g_per_m_tokens") if basis == "tokens"
                            else ("usd_per_gpu_h", "carbon_kg_per_gpu_h"))
    cost_unit = "USD per million tokens" if basis == "tokens" else "USD per installed GPU-hour"

    # why a site has no figure: the site-file section (or figure) it lacks
    SOURCE = {"usd_per_gpu_h": "bill_usd", "usd_per_m_tokens": "bill_usd",
              "carbon_kg_per_gpu_h": "grid_carbon_t", "carbon_g_per_m_tokens": "grid_carbon_t"}
    LACKS = {"bill_usd": "no tariff", "grid_carbon_t": "no grid carbon figure",
             "time_to_power_median_months": "no interconnection request"}
    NONE_HAS = {"bill_usd": "no site of the portfolio has a tariff: section",
                "grid_carbon_t": "no site of the portfolio has a grid_carbon_kg_per_mwh figure",
                "time_to_power_median_months": "no site of the portfolio has an interconnection: section"}


    def lacks(sid, col):
        src = SOURCE.get(col, col)
        if src in t and pd.notna(t.at[sid, src]):
            return "no accelerators"  # the bill or carbon is there, but no GPU-hours or tokens
        return LACKS.get(src, "no figure")
    """),
    md("## Key figures"),
    code("""
    cols = {"annual_pue": ("PUE", None), "free_cooling_h": ("free cooling", "h"), "derate_h": ("derate", "h"),
            "facility_mwh": ("facility energy", "MWh"), "bill_usd": ("electricity bill", "USD"),
            "usd_per_m_tokens": ("electricity per million tokens", "USD/M tokens"),
            "usd_per_gpu_h": ("electricity per installed GPU-hour", "USD/GPU-h"),
            "time_to_power_median_months": ("time to power, median", "months"),
            "carbon_g_per_m_tokens": ("grid carbon per million tokens", "g CO2/M tokens"),
            "carbon_kg_per_gpu_h": ("grid carbon per installed GPU-hour", "kg CO2/GPU-h"),
            "tokens_per_s_per_accelerator": ("example throughput", "tokens/s per GPU")}
    for sid, row in t.iterrows():
        out = {}
        for k, (v, u) in cols.items():
            lab = f"{names[sid]}: {v}" + (f" ({row['throughput_key']})" if k == "tokens_per_s_per_accelerator" else "")
            # a figure the site has no section for: say which ("no tariff"), not "None"
            out[f"{sid}.{k}"] = (float(row[k]), u, lab) if pd.notna(row.get(k)) else (lacks(sid, k), None, lab)
        publish(out)
    """),
    md("## Weighted score\nEach criterion is min-max scaled across the sites (best 0, worst 1) and weighted; lower is better. The score ranks the sites on these operating criteria only (electricity, time to power, PUE, carbon, derate hours): capital cost, NPV and levelized cost are the `tco` notebook's, per site. Electricity and carbon enter per million tokens (`basis = \"tokens\"`, the default) or per installed GPU-hour (`basis = \"gpu_h\"`, comparable only between fleets of one GPU generation). Scaling is relative: adding or removing a site changes the others' scaled values and can change which site is best. A site without a weighted figure (no `tariff:` section: no electricity cost) is not scored and does not move the others' ranges; a criterion no site has is left out of the score, with a note."),
    code("""
    weights = {cost_col: weight_cost, "time_to_power_median_months": weight_time_to_power,
               "annual_pue": weight_pue, carbon_col: weight_carbon, "derate_h": weight_derate}
    for c in weights:
        if c not in t:
            t[c] = float("nan")
    if basis == "tokens":
        print("Electricity and carbon are scored per million tokens (each site's example throughput above); "
              "the per-GPU-hour figures are beside them, but GPU-hours of different generations are not comparable.")
    elif t["tokens_per_s_per_accelerator"].nunique() > 1:
        print("Electricity and carbon are scored per installed GPU-hour, but these fleets' GPU-hours are not "
              "comparable: their GPU generations differ (a GB200 GPU serves about 4 times an H100's tokens). "
              "See the per-million-token figures above, or use basis 'tokens'.")
    else:
        print("Electricity and carbon are scored per installed GPU-hour (every site has the same example "
              "throughput per GPU, so per million tokens would rank them alike).")
    s = weighted_score(t, weights)
    for c in s.left_out:
        print(f"Left out of the score: {cols[c][0] if c in cols else c} ({c}), as "
              f"{NONE_HAS.get(SOURCE.get(c, c), 'no site has the figure')}.")
    order = s.score
    why = {sid: "; ".join(dict.fromkeys(lacks(sid, c) for c in weights
                                        if weights[c] > 0 and c not in s.left_out and pd.isna(t.at[sid, c])))
           or s.unscored[sid] for sid in s.unscored}
    for sid in s.unscored:
        print(f"{names[sid]}: not scored ({why[sid]})")
    publish({f"{sid}.score": (float(order[sid]) if sid in order.index else f"not scored: {why[sid]}", None,
                              f"{names[sid]}: score (0 best, 1 worst)") for sid in t.index})
    if left_out:  # sites the cooling override does not apply to: named, not scored
        publish({f"{sid}.score": (f"left out: {reason}", None, f"{names[sid]}: score (0 best, 1 worst)")
                 for sid, reason in left_out.items()})
    publish({"score_basis": ("per million tokens" if basis == "tokens" else "per installed GPU-hour", None,
                             "Basis of the electricity and carbon criteria")})
    best = names[order.index[0]] if len(order) else "none: no site has every weighted figure"
    publish({"best_site": (best, None, "Best site on the weighted operating score (TCO not included)")},
            headline=True)
    # how far the headline rests on the basis and on throughput figures borrowed from another part:
    # the best site on the other basis, and the fleets whose tokens are the H100 figure
    other = {"usd_per_m_tokens": "usd_per_gpu_h", "carbon_g_per_m_tokens": "carbon_kg_per_gpu_h"}
    other.update({v: k for k, v in other.items()})
    alt = weighted_score(t, {other.get(c, c): w for c, w in weights.items()}).score
    alt_best = names[alt.index[0]] if len(alt) else None
    borrowed = {s_.id: power.borrowed_throughput(s_) for s_ in sites if s_.id in t.index}
    notes = []
    if len(order) and alt_best is not None and alt_best != best:
        notes.append(f"per {'installed GPU-hour' if basis == 'tokens' else 'million tokens'} the best site is {alt_best}")
    if basis == "tokens" and any(borrowed.values()):
        notes.append("the tokens of " + ", ".join(f"{names[sid]} ({', '.join(hw)})" for sid, hw in borrowed.items()
                                                   if hw)
                     + " are the H100 figure (no sourced figure of their own), so their per-token figures are "
                       "illustrations")
    other_basis = "installed GPU-hour" if basis == "tokens" else "million tokens"
    caveat = "; ".join(notes) or (f"the same best site per {other_basis}" if len(order) else "no best site")
    print(f"Best site: {best}. Depends on: {caveat}.")
    publish({"best_site_caveat": (caveat, None, "What the best site depends on (the other basis, borrowed "
                                                "throughput figures)")}, headline=True)
    publish({"best_site_score": (float(order.iloc[0]) if len(order) else "none", None,
                                 "Its score (0 = best on every criterion)")}, headline=True)
    fig, ax = plt.subplots()
    ax.barh([names[x] for x in order.index], order.values, color=plotting.COLORS["it"])
    ax.invert_yaxis()
    plotting.label(ax, "Weighted score by site (lower is better)", "score [0-1]", "")
    plt.show()
    """),
    md("## Cost vs time to power"),
    code("""
    both = t.dropna(subset=[cost_col, "time_to_power_median_months"])
    if both.empty:
        print("No site has both an electricity cost (tariff:) and a time to power (interconnection:): nothing to plot.")
    else:
        fig, ax = plt.subplots()
        for i, sid in enumerate(t.index):
            if sid not in both.index:
                continue
            row = both.loc[sid]
            color = plotting.SITE_CYCLE[i % len(plotting.SITE_CYCLE)]
            ax.scatter(row["time_to_power_median_months"], row[cost_col], s=80, color=color, label=names[sid])
            ax.errorbar(row["time_to_power_median_months"], row[cost_col],
                        xerr=[[row["time_to_power_median_months"] - row["time_to_power_p10_months"]],
                              [row["time_to_power_p90_months"] - row["time_to_power_median_months"]]],
                        color=color, alpha=0.5)
        plotting.label(ax, "Electricity cost vs time to power (bars: 10th-90th percentile)",
                       "time to power, median [months]", f"electricity [{cost_unit}]", legend=True)
        plt.show()
    """),
]

if __name__ == "__main__":
    write("notebooks/portfolio_comparison.ipynb", cells, scope="portfolio", parameters={
        "cooling": dict(choices_from="dcplan.pipeline:REFERENCE_PLANTS", also=["site"]),
        "basis": dict(choices=["tokens", "gpu_h"]),
        # a finite maximum keeps the weights' sum finite (dcplan.portfolio_score normalises them too)
        **{f"weight_{k}": dict(min=0, max=1e6) for k in ("cost", "time_to_power", "pue", "carbon", "derate")}})
