"""Build notebooks/portfolio_sweep.ipynb (run from the repo root: python -m tools.build_portfolio_sweep)."""
from dcplan.specs.solar import PV_DC_MAX_KW
from tools.nbtools import check_params, code, guard_cells, md, params, write

cells = [
    md("""
    # Portfolio sweep: cost vs time-to-power vs throttling risk

    Every site of the portfolio, crossed with cooling type (air vs direct-to-chip liquid,
    W32 facility water), on-site PV (none vs `pv_dc_kw`) and cooling-plant margin (none vs
    `margin_frac`). A site whose fleet is liquid-cooled only (racks such as the GB200 NVL72,
    `cooling` liquid in `data/hardware.csv`) gets liquid cases only: air cannot cool it. A liquid case of a site
    with air-cooled servers (HGX, `cooling` air) models a direct-liquid-cooled version of them at the air-cooled
    server's power, fans included; its price and availability are not in the figures (`dcplan validate` warns on a
    site file that sets it), and the headline says so when such a case is the cheapest. Each case is one site-year of the hourly chain
    (`dcplan.pipeline.case_figures`: power → thermal → solar → grid → tariff), run by
    `dcplan.sweep.run_sweep` in this kernel, on local processes (`jobs`) or on a Dask
    cluster (`scheduler`). The same sweep runs from the command line with
    `dcplan sweep SPEC.yaml`.

    Trade-offs shown: **electricity cost** per MWh of IT energy (the annual bill under the
    site's tariff, so it carries PUE, PV and tariff, plus the on-site PV's cost a year, so a
    larger array is paid for and not only its saving counted; the bill restated at one price date, the latest
    tariff price date among the cases, `cost_price_date`, as the `tco` notebook escalates a bill: the sites'
    tariffs are priced years apart, and their bills as billed are of different years' prices), **first power
    for new capacity** (the median
    date the site's new capacity is first energized, from its filing date and its time to power (the later of its
    region's grid wait, or its own figures, and its long-lead equipment's delivery), as months after the
    earliest such date among the cases: months from filing would favour a
    site that filed later; on an existing campus the first phase not already in service, which its new halls
    wait for, as the `portfolio_comparison` notebook ranks it: the capacity in service powers the halls running
    on it and is dated apart, `in_service_since`, not scored) and **throttling risk**
    (`throttled_frac`: the expected share of GPU time throttled because the hourly cooling plant
    cannot hold the hour's IT load, weighted by IT energy; the control lag's throttling within
    the hour, the `cooling_lag` notebook's, is not in it). A case is on the
    **Pareto front** when no other case is at least as good on all three and better on one (where no case has
    one of them, e.g. no site of the portfolio has an interconnection request or a tariff, the front is taken on
    the others, and its count's label says which).

    Every case sets the site's cooling type (and W32 water), its PV size (`solar.dc_kw`) and its
    plant margin (`cooling.margin_frac`) to the grid's values, in place of the site file's own:
    no case is a site as specified. The sites as specified (`site_analysis`'s figures) are
    listed beside the cases, and one of them can cost less than every case. Every case, its
    overrides and figures are written to `outputs/portfolio_sweep_cases.csv` (`export_dir`; in a `dcplan render`
    run its last column, `provenance`, names the run's dcplan commit and inputs) and
    listed below. In that CSV the figures at the common price date (`cost_price_date`: `cost_usd_per_it_mwh`,
    `electricity_cost_at_common_date_usd`, `usd_per_mwh_facility_at_common_date`) follow the objectives; the bill,
    `electricity_cost_usd` and `usd_per_mwh_facility` further right are at each case's own tariff price date
    (`bill_price_date`, the column before them): compare rows on the former; the first table gives the portfolio file's own description (which inputs
    are measured, which synthetic).
    """),
    params("""
    portfolio: str = "default"  # portfolio YAML, or "default" for the bundled example
    pv_dc_kw: float = 4000.0  # PV size of the cases with PV [kW DC]
    margin_frac: float = 0.15  # cooling plant capacity margin of the sized-up cases [frac]
    jobs: int = 1  # worker processes for the sweep; 1 runs the cases in this kernel
    scheduler: str = ""  # Dask scheduler address (tcp://HOST:PORT), empty to run locally
    export_dir: str = "outputs"  # folder for the CSV of every case, empty for none, kept beside the report by dcplan render
    """),
    check_params("portfolio_sweep"),
    code("""
    import matplotlib.pyplot as plt
    import pandas as pd

    from dcplan import plotting
    from dcplan.power import liquid_only_phases
    from dcplan.rack_density import air_rack_errors
    from dcplan.notebook_params import check_parameters_unchanged, parameter_values
    from dcplan.pipeline import site_tariff
    from dcplan.portfolio_pending import pending_changes, sweep_pending_text
    from dcplan.portfolio_tariff_fit import fit_text
    from dcplan.portfolio_robustness import best_superseded_text
    from dcplan.results import publish
    from dcplan.tco_electricity import rate_title
    from dcplan.site import load_portfolio
    from dcplan.portfolio_compare import (SWEEP_OBJECTIVES, as_specified, case_text, description_text, front_note,
                                          sweep_case_table)
    from dcplan.portfolio_sweep_notes import (air_server_liquid_note, earliest_first_power, missing_reasons,
                                             no_air_cases, no_cost_text, price_date_note)
    from dcplan.sweep import SweepSpec, run_sweep

    plotting.use_style()
    pf = load_portfolio(portfolio, defer_file_problems=False)  # reads every site: one not found is bad input here
    about = description_text(pf)  # the portfolio file's description: what is measured, what synthetic
    publish({"portfolio_description": (about, None, "Portfolio and its inputs (the portfolio file's description)")},
            headline=True)
    names = {s.id: s.name for s in pf.sites}
    # none vs the parameter's value; a value of 0 is the "none" case itself: that axis has one value
    axes = {k: [0.0] + ([float(v)] if v != 0 else [])
            for k, v in (("solar.dc_kw", pv_dc_kw), ("cooling.margin_frac", margin_frac))}
    # no air case for these fleets: liquid-cooled-only units, or compute racks of 60 kW or more as air-cooled
    liquid_only = [s for s in pf.sites if liquid_only_phases(s) or air_rack_errors(s, as_air=True)]
    groups = [([s for s in pf.sites if s not in liquid_only], ["air", "liquid"]), (liquid_only, ["liquid"])]
    # their air cases are not run: said by site, so a count of cases short of sites x cases reads as it is
    no_air = no_air_cases(liquid_only)
    for sid, why in no_air.items():
        print(f"{names[sid]} ({sid}): liquid cases only, its air cases not run ({why}).")
    runs = [run_sweep(SweepSpec(sites=sites, name="portfolio_sweep", fixed={"cooling.liquid_class": "W32"},
                                axes={"cooling.type": types, **axes}),
                      jobs=jobs, scheduler=scheduler or None, write=False)
            for sites, types in groups if sites]
    for r in runs:
        print(r.table(price_dates=False))  # (the tariffs' price dates: said of the sites below, price_date_note)
    frame = pd.concat([r.frame for r in runs], ignore_index=True)
    n_failed = sum(r.n_failed for r in runs)
    # the parameters the sweep's cases are computed with (jobs and scheduler only say where it runs, export_dir where
    # its CSV goes): every later cell refuses to run after a change in the parameters cell (run from the top)
    run_params = parameter_values(globals(), "portfolio_sweep", exclude=("jobs", "scheduler", "export_dir"))
    """),
    md("## Cases and the Pareto front"),
    code("""
    cases = sweep_case_table(frame)  # every case (failed ones too): overrides, figures, objectives, front
    if export_dir:
        from pathlib import Path

        from dcplan.export_record import write_file
        from dcplan.export_text import write_csv  # text a spreadsheet would read as a formula: a leading '
        from dcplan.report_param_values import check_export_outside_reports
        out = Path(check_export_outside_reports(export_dir))  # not into a render's folder, unless render runs this
        out.mkdir(parents=True, exist_ok=True)
        from dcplan.report_provenance import with_provenance  # in a render run, a last column: which run wrote it
        # whole or not at all; a file of yours (or one you edited) of that name is kept beside it, and said
        write_file(out / "portfolio_sweep_cases.csv", lambda tmp: write_csv(with_provenance(cases), tmp, index=False),
                   "export_dir")
        print(f"Every case ({len(cases)}: overrides, figures, objectives and the front) written to "
              f"{out / 'portfolio_sweep_cases.csv'}: the columns after cost_price_date are at that date, "
              "bill_usd .. electricity_cost_usd_per_mwh_facility at each case's bill_price_date.")
    df = cases[cases["status"] == "ok"].copy()
    # every case's bill restated at one price date (the latest tariff price date): the cost axis compares like with like
    price_at = next(iter(cases["cost_price_date"].dropna()), None)
    at_prices = f" at {price_at} prices" if price_at else ""
    objectives = list(SWEEP_OBJECTIVES)
    front = df[df["pareto"]].sort_values("cost_usd_per_it_mwh")
    best = df.loc[df["cost_usd_per_it_mwh"].idxmin()] if df["cost_usd_per_it_mwh"].notna().any() else None
    best_case = case_text(best, names) if best is not None else "no case has a bill"
    sites_by_id = {s.id: s for s in pf.sites}
    best_note = air_server_liquid_note(best, sites_by_id) if best is not None else ""
    if best_note:
        best_case += f"; {best_note}"
    # the sites' tariffs priced more than a year apart: the costs compared are of different years' prices
    price_warning = price_date_note(cases, names)
    if price_warning:
        print(f"Warning: {price_warning[0].upper() + price_warning[1:]}.")
        best_case += f"; {price_warning}"
    # the lowest cost's site on a superseded rate (its tariff's URDB enddate): the site, the rate and the date, against
    # the common price date (dcplan.portfolio_robustness.best_superseded_text, as portfolio_comparison's best site)
    if best is not None and "bill_enddate" in df:
        gone = best_superseded_text(best["site"], df.groupby("site")["bill_enddate"].first(), names,
                                    {best["site"]: rate_title(site_tariff(sites_by_id[best["site"]]))}, price_at)
        best_case += f"; {gone}" if gone else ""
    # a site's tariff with a pending rate case (dcplan_pending_rate_change): its cases' costs are at the old prices;
    # the lowest cost with the largest proposed change applied (dcplan.portfolio_pending)
    pending_note = sweep_pending_text(cases, names, pending_changes(pf.sites))
    if pending_note:
        print(f"Warning: {pending_note[0].upper() + pending_note[1:]}.")
        best_case += f"; {pending_note}"
    # a site billed on a rate that does not apply to its cases' peak (peakkwcapacitymax/min: a stand-in rate)
    peaks = df.groupby("site")["peak_grid_kw"].max().to_dict() if "peak_grid_kw" in df else {}
    fit_note = fit_text(pf.sites, peaks, names, what="its cases' electricity cost")
    if fit_note:
        print(f"Warning: {fit_note}.")
        best_case += f"; {fit_note}"
    publish({
        "cases": (len(frame), None, "Cases in the sweep" + (" (air cases not run for " + ", ".join(
            f"{names[i]}: {w}" for i, w in no_air.items()) + ")" if no_air else "")),
        "cases_failed": (n_failed, None, "Cases failed"),
        "cost_price_date": (price_at or "none: no case's tariff gives a price date (startdate)", None,
                            "Common price date of the cases' electricity costs: each bill escalated to it from its "
                            "tariff's price date (the latest of those dates among the cases) at the site's "
                            "electricity_escalation_frac, as the tco notebook escalates a bill"),
        "pareto_cases": (int(df["pareto"].sum()), None, f"Cases on the Pareto front{front_note(cases)}"),
        "best_cost_usd_per_it_mwh": (*((float(best["cost_usd_per_it_mwh"]), "USD/MWh") if best is not None else
                                       (no_cost_text(pf.sites), None)),
                                     f"Lowest electricity cost per IT MWh{at_prices} among the sweep's cases "
                                     f"({best_case}; "
                                     "every case replaces the site's own cooling, PV and plant margin, so no case "
                                     "is a site as specified)"),
        "earliest_first_power": (earliest_first_power(cases, sites_by_id), None,
                                 "Earliest first power for new capacity (median date a site's new capacity is "
                                 "first energized: on an existing campus its first phase not already in service; "
                                 "each site's given the months it has waited without power by its plan's date, "
                                 "dcplan.plan_dates.with_wait, as the interconnection report counts it)"),
    }, headline=True)
    # every case, compactly (the CSV has every column)
    compact = cases[["site", "cooling.type", "solar.dc_kw", "cooling.margin_frac", "status", *objectives,
                     "annual_pue", "pareto"]].copy()
    compact["throttled_frac"] = compact["throttled_frac"].round(6)
    why = missing_reasons(cases, sites_by_id)  # a case with no cost or no first power says why, not a bare NaN
    if (why != "").any():
        compact["not_scored"] = why
    with pd.option_context("display.max_rows", None):
        display(compact.sort_values(["site", "cooling.type", "solar.dc_kw", "cooling.margin_frac"])
                .round({"cost_usd_per_it_mwh": 2, "first_power_months": 2, "annual_pue": 4})
                .reset_index(drop=True))
    """),
    md("The Pareto front, cheapest first:"),
    code("""
    # an existing campus's capacity in service is dated apart (in_service_since): not the date scored
    since = ["in_service_since"] if "in_service_since" in front and front["in_service_since"].notna().any() else []
    shown = front[["site", "cooling.type", "solar.dc_kw", "cooling.margin_frac", "first_energized_median", *since,
                   *objectives, "time_to_power_median_months", "annual_pue"]].round(4)
    shown = shown.rename(columns={"time_to_power_median_months": "time_to_power_median_months (from filing)",
                                  "first_energized_median": "first_energized_median (new capacity)",
                                  "in_service_since": "in_service_since (not scored)"})
    shown
    """),
    md("""
    ## The sites as specified
    Each site with its own cooling, PV and plant margin, as its file gives them (the figures of
    `site_analysis`): not a case of the sweep, whose cases set those to the grid's values.
    """),
    code("""
    spec = as_specified(pf.sites, price_at)  # each bill at the cases' common price date, as theirs
    display(spec.round({"cost_usd_per_it_mwh": 2}))
    cheaper = spec[spec["cost_usd_per_it_mwh"] < (best["cost_usd_per_it_mwh"] if best is not None else float("inf"))]
    lowest = "no case has a cost" if best is None else f"{best['cost_usd_per_it_mwh']:.1f}"
    for sid, r in cheaper.sort_values("cost_usd_per_it_mwh").iterrows():
        print(f"As specified, {names[sid]} costs {r['cost_usd_per_it_mwh']:.1f} USD per IT MWh, less than the sweep's "
              f"lowest case ({lowest}): its own PV ({r['pv_dc_kw']:,.0f} kW DC"
              f"{', tracking' if r['pv_tracking'] else ''}), cooling ({r['cooling']}) and plant margin "
              f"({r['margin_frac']}) are not one of the cases.")
    if cheaper.empty:
        print("No site as specified costs less per IT MWh than the sweep's lowest case.")
    has_cost = spec["cost_usd_per_it_mwh"].notna().any()
    publish({"best_cost_as_specified_usd_per_it_mwh": (
        *((float(spec["cost_usd_per_it_mwh"].min()), "USD/MWh") if has_cost else (no_cost_text(pf.sites, "site"), None)),
        f"Lowest electricity cost per IT MWh{at_prices} of a site as specified (own cooling, PV and margin: "
        + (names[spec["cost_usd_per_it_mwh"].idxmin()] if has_cost else "none")
        + "; not a sweep case)")})
    """),
    md("""
    ## Cost vs first power
    Each point is a case; colour is the site, marker the cooling type; a ring marks the
    Pareto front. First power is the later of two dates, drawn independently: the **grid wait** from the site's
    filing date (its interconnection region's figures, or its own `time_to_power`) and the delivery of the
    **long-lead equipment** on the critical path (`interconnection.equipment`; by default the substation power
    transformer, a median of 150 weeks, about 34.5 months, and the MV switchgear), ordered at
    `interconnection.equipment_ordered` (by default at filing). Often the transformer, not the queue, decides it:
    a site whose grid wait is shorter than its equipment's delivery gets power when the equipment arrives, whatever
    its queue. No axis of this sweep moves either date, so the cases of a site line up vertically: cooling and PV
    move cost, not first power. The table after
    the chart gives each site's two medians and the later one (`critical_path`); where it is the equipment, a
    shorter grid wait gains little, and ordering the equipment earlier (`interconnection.equipment_ordered`,
    before filing if need be) is the lever. A site with every phase in service is `in service`: its first power is
    that date, no wait from filing applies, and it has no medians and no time to power.
    """),
    code("""
    fig, ax = plt.subplots()
    markers = {"air": "s", "liquid": "o"}
    colors = plotting.site_colors([s.id for s in pf.sites])  # by portfolio order, as portfolio_comparison's
    for site_id, g in df.groupby("site", sort=False):
        color = colors[site_id]
        for ctype, gg in g.groupby("cooling.type"):
            ax.scatter(pd.to_datetime(gg["first_energized_median"]), gg["cost_usd_per_it_mwh"], color=color,
                       marker=markers.get(ctype, "x"), s=40, label=f"{site_id}, {ctype}")
    ax.scatter(pd.to_datetime(front["first_energized_median"]), front["cost_usd_per_it_mwh"], s=160,
               facecolors="none", edgecolors="black", linewidths=1.2, label="Pareto front")
    plotting.label(ax, "Electricity cost vs first power, every case",
                   "first power for new capacity, median [date]", f"electricity cost{at_prices} [USD per IT MWh]")
    plotting.fit_axis_label(ax)  # on two lines: on one it ran past the figure's top and was cut
    fig.autofmt_xdate()
    ax.legend(fontsize=7, ncol=2)
    plt.show()
    # what sets each site's first power: the grid wait or the equipment (dcplan.sweep_first_power); one row
    # per site and critical path (no axis here moves them, so a site's cases agree)
    path_cols = ["grid_median_months", "equipment_median_months", "critical_path", "time_to_power_median_months"]
    if set(path_cols) <= set(df.columns) and df["critical_path"].notna().any():
        paths = (df.dropna(subset=["critical_path"]).groupby(["site", "critical_path"], sort=False)[path_cols[:2] + path_cols[3:]]
                 .first().reset_index()[["site", *path_cols]])
        display(paths.round(2).rename(columns={"time_to_power_median_months": "time_to_power_median_months (from filing)"}))
        for _, r in paths[paths["critical_path"] == "equipment"].iterrows():
            print(f"{names.get(r['site'], r['site'])}: the equipment sets first power (median {r['equipment_median_months']:.1f} "
                  f"months after filing, the grid wait's {r['grid_median_months']:.1f}): a shorter grid wait gains little; "
                  "ordering the equipment earlier (interconnection.equipment_ordered) moves first power.")
    else:
        print("No case has an interconnection request: no first power to explain.")
    """),
    md("""
    ## Cost vs throttling risk
    Share of GPU time throttled because the hourly cooling plant cannot carry the full IT
    load (not the control lag's throttling: the `cooling_lag` notebook's), against cost. A plant without margin can throttle in the hottest hours; the cell
    prints how many cases throttle at all and the largest share.
    """),
    code("""
    fig, ax = plt.subplots()
    for site_id, g in df.groupby("site", sort=False):
        color = colors[site_id]
        for ctype, gg in g.groupby("cooling.type"):
            ax.scatter(100 * gg["throttled_frac"], gg["cost_usd_per_it_mwh"], color=color,
                       marker=markers.get(ctype, "x"), s=40, label=f"{site_id}, {ctype}")
    ax.scatter(100 * front["throttled_frac"], front["cost_usd_per_it_mwh"], s=160,
               facecolors="none", edgecolors="black", linewidths=1.2, label="Pareto front")
    plotting.label(ax, "Electricity cost vs throttling risk, every case",
                   "GPU time throttled [%]", f"electricity cost{at_prices} [USD per IT MWh]")
    plotting.fit_axis_label(ax)
    # a share of time is never negative: the axis starts at 0 (with every case at 0 it ran from -0.05 to 0.05)
    top = 100 * float(df["throttled_frac"].max()) if df["throttled_frac"].max() > 0 else 1.0
    ax.set_xlim(-0.03 * top, 1.05 * top)
    ax.legend(fontsize=7, ncol=2)
    plt.show()
    throttling = df[df["throttled_frac"] > 0]
    if len(throttling):
        w = df.loc[df["throttled_frac"].idxmax()]
        print(f"{len(throttling)} of {len(df)} cases throttle at all; the most: {w['site']}, {w['cooling.type']}, "
              f"margin {w['cooling.margin_frac']:g}: {100 * w['throttled_frac']:.2g} % of GPU time "
              f"({w['derate_h']:.0f} h of the typical year the plant cannot hold the hour's IT load)")
    else:
        print(f"None of the {len(df)} cases throttles: this axis does not separate them.")
    """),
    md("""
    The electricity cost here is the annual bill, restated at the common price date
    (`cost_price_date`), plus the on-site PV's cost a year (its capex
    and O&M over its 30-year life at the site's discount rate, spread over the years as its
    bill saving is, with the electricity escalation and the PV's degradation:
    `dcplan.solar_value`), and a site battery's likewise (`dcplan.battery_value`). It is per MWh of
    IT energy, which compares configurations of one
    fleet; across sites with different GPU generations the `portfolio_comparison` notebook's
    per-million-token basis is the comparable one. The capital cost of a larger cooling plant margin and of liquid
    cooling is not in this sweep's figures, so larger margins can only look better on this
    axis. Failed cases (if any) are listed in the summary above
    with their error.
    """),
]

if __name__ == "__main__":
    # every cell after the setup's checks the parameters it was computed with (README: run from the top)
    guard_cells(cells, ("run_params = parameter_values", "set_up=run_params"))
    write("notebooks/portfolio_sweep.ipynb", cells, scope="portfolio", parameters={
        "pv_dc_kw": dict(min=0, max=PV_DC_MAX_KW), "margin_frac": dict(min=0, max=2),  # the site spec's cooling.margin_frac range
        "jobs": dict(min=1)})
