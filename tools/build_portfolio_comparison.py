"""Build notebooks/portfolio_comparison.ipynb (python -m tools.build_portfolio_comparison)."""
from tools.nbtools import code, md, params, write

cells = [
    md("""
    # Portfolio comparison

    All sites of the portfolio side by side: the key figures of each site's typical year from
    `dcplan.pipeline`, a weighted score (weights are parameters; each criterion is scaled 0-1
    across the portfolio, best = 0), and the trade-off between electricity cost and time to
    power. Rendered once per portfolio.
    """),
    params("""
    portfolio: str = "default"  # portfolio YAML, or "default" for the bundled example
    cooling: str = "site"  # "site" keeps each site's plant, or a key of dcplan.pipeline.REFERENCE_PLANTS
    weight_cost: float = 0.4  # weight of electricity cost per GPU-hour in the score
    weight_time_to_power: float = 0.3  # weight of median time to power
    weight_pue: float = 0.1  # weight of annual PUE
    weight_carbon: float = 0.1  # weight of grid carbon per GPU-hour
    weight_derate: float = 0.1  # weight of hours the cooling plant derates
    """),
    code("""
    import matplotlib.pyplot as plt
    import pandas as pd

    from dcplan import pipeline, plotting
    from dcplan.results import publish
    from dcplan.site import load_portfolio

    plotting.use_style()
    pf = load_portfolio(portfolio)
    sites = [s if cooling == "site" else pipeline.with_reference_plant(s, cooling) for s in pf]
    t = pd.DataFrame([pipeline.case_figures(s) for s in sites]).set_index("site")
    names = {s.id: s.name for s in pf}
    gpu_h = t["n_accelerators"] * 8760.0
    t["usd_per_gpu_h"] = t["bill_usd"] / gpu_h
    t["carbon_kg_per_gpu_h"] = t["grid_carbon_t"] * 1000 / gpu_h
    """),
    md("## Key figures"),
    code("""
    cols = {"annual_pue": ("PUE", None), "free_cooling_h": ("free cooling", "h"), "derate_h": ("derate", "h"),
            "facility_mwh": ("facility energy", "MWh"), "bill_usd": ("electricity bill", "USD"),
            "usd_per_gpu_h": ("electricity per installed GPU-hour", "USD/GPU-h"),
            "time_to_power_median_months": ("time to power, median", "months"),
            "carbon_kg_per_gpu_h": ("grid carbon per installed GPU-hour", "kg CO2/GPU-h")}
    for sid, row in t.iterrows():
        publish({f"{sid}.{k}": (float(row[k]), u, f"{names[sid]}: {v}") for k, (v, u) in cols.items()})
    """),
    md("## Weighted score\nEach criterion is min-max scaled across the sites (best 0, worst 1) and weighted; lower is better. The score ranks the sites on these operating criteria only (electricity, time to power, PUE, carbon, derate hours): capital cost, NPV and levelized cost are the `tco` notebook's, per site. Scaling is relative: adding or removing a site changes the others' scaled values and can change which site is best. A site without a weighted figure (no `tariff:` section: no electricity cost) is not scored and does not move the others' ranges."),
    code("""
    from dcplan.portfolio_score import weighted_score

    weights = {"usd_per_gpu_h": weight_cost, "time_to_power_median_months": weight_time_to_power,
               "annual_pue": weight_pue, "carbon_kg_per_gpu_h": weight_carbon, "derate_h": weight_derate}
    s = weighted_score(t, weights)
    order = s.score
    for sid, why in s.unscored.items():
        print(f"{names[sid]}: not scored ({why})")
    publish({f"{sid}.score": (float(order[sid]) if sid in order.index else float("nan"), None,
                              f"{names[sid]}: score (0 best, 1 worst)" + (f"; not scored: {s.unscored[sid]}"
                                                                          if sid in s.unscored else ""))
             for sid in t.index})
    best = names[order.index[0]] if len(order) else "none: no site has every weighted figure"
    publish({"best_site": (best, None, "Best site on the weighted operating score (TCO not included)")},
            headline=True)
    publish({"best_site_score": (float(order.iloc[0]) if len(order) else float("nan"), None,
                                 "Its score (0 = best on every criterion)")}, headline=True)
    fig, ax = plt.subplots()
    ax.barh([names[x] for x in order.index], order.values, color=plotting.COLORS["it"])
    ax.invert_yaxis()
    plotting.label(ax, "Weighted score by site (lower is better)", "score [0-1]", "")
    plt.show()
    """),
    md("## Cost vs time to power"),
    code("""
    fig, ax = plt.subplots()
    for i, (sid, row) in enumerate(t.iterrows()):
        ax.scatter(row["time_to_power_median_months"], row["usd_per_gpu_h"], s=80,
                   color=plotting.SITE_CYCLE[i % len(plotting.SITE_CYCLE)], label=names[sid])
        ax.errorbar(row["time_to_power_median_months"], row["usd_per_gpu_h"],
                    xerr=[[row["time_to_power_median_months"] - row["time_to_power_p10_months"]],
                          [row["time_to_power_p90_months"] - row["time_to_power_median_months"]]],
                    color=plotting.SITE_CYCLE[i % len(plotting.SITE_CYCLE)], alpha=0.5)
    plotting.label(ax, "Electricity cost vs time to power (bars: 10th-90th percentile)",
                   "time to power, median [months]", "electricity [USD per GPU-hour]", legend=True)
    plt.show()
    """),
]

if __name__ == "__main__":
    write("notebooks/portfolio_comparison.ipynb", cells, scope="portfolio", parameters={
        "cooling": dict(choices_from="dcplan.pipeline:REFERENCE_PLANTS", also=["site"]),
        **{f"weight_{k}": dict(min=0) for k in ("cost", "time_to_power", "pue", "carbon", "derate")}})
