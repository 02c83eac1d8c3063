"""Build notebooks/portfolio_comparison.ipynb (python -m tools.build_portfolio_comparison)."""
from tools.nbtools import check_params, code, guard_cells, md, params, write

cells = [
    md("""
    # Portfolio comparison

    All sites of the portfolio side by side: the key figures of each site's typical year from
    `dcplan.pipeline`, a weighted score (the weights are parameters, printed with the score
    beside what each criterion measures; each criterion is scaled 0-1 across the portfolio,
    best = 0), and the trade-off between electricity cost and when power arrives. Rendered once
    per portfolio. The first line printed is the portfolio file's own description: which of its
    inputs are measured and which are synthetic examples.

    Time to power is compared by *when* power arrives: the median date each site's new capacity
    is first energized (its first phase, as the `interconnection` notebook publishes it; on an
    existing campus the first phase not already in service, which its new halls wait for: the
    capacity in service powers the halls running on it and is dated apart, not scored), scored
    as calendar months after the earliest such date among the sites. The months from each site's own filing are shown
    beside it, labelled "from filing", but not scored: the sites file on different dates, so a
    site that filed earlier would look slower although its power may come first.

    Electricity cost and grid carbon are scored per million tokens by default (`basis`): an
    installed GPU-hour is no common unit across GPU generations (a GB200 GPU draws about 1.2 kW
    against an H100's 0.7 kW and, in the example figures, serves about 4 times the tokens per
    second). Tokens are each site's example throughput (`dcplan.power.example_throughput`: the
    GB200 NVL72 figure for GB200 parts, the H100 SXM MLPerf figure for every other accelerator, an
    illustration there, not a measurement) at the fleet's utilisation, as in `site_analysis`. The
    per-GPU-hour figures are shown beside them; `basis = "gpu_h"` scores on those instead, which
    compares only fleets of one generation. Electricity cost is the year's tariff bill plus the
    on-site PV's cost a year (its capex and O&M over its 30-year life at the site's discount
    rate, spread over the years as its bill saving is, with the electricity escalation and the
    PV's degradation: `dcplan.solar_value`): the bill alone counts what the PV saves and not
    what it costs. A site battery's cost a year is added likewise (`dcplan.battery_value`: its
    capex and O&M over its 15-year life).

    Each site's bill is at its own tariff's prices, those of the tariff's `startdate`, and the
    tariffs can be priced years apart (the bundled ones from 2024-03-08 to 2027-06-01): ranked as
    billed, the sites would be compared on prices of different years. The electricity cost scored
    (per million tokens and per GPU-hour) is therefore each bill restated at one **common price
    date**, the latest tariff price date among the sites (`cost_price_date`: no bill is deflated
    below the prices its tariff states), escalated as the `tco` notebook escalates a bill: times
    (1 + `electricity_escalation_frac`) per whole 12-month step from the tariff's price month
    (`dcplan.tco_electricity.price_escalation`; the site's own rate, data/costs.csv's 3 %/yr by
    default). The bill at its tariff's own prices (`bill_usd`), the factor and the bill at the
    common date are shown beside it. The PV's and battery's costs are not tariff prices and are
    not escalated.

    Grid carbon is the year's grid import (after the on-site PV and battery) times the site
    file's one `grid_carbon_kg_per_mwh` for every hour: scope 2 CO2 (not CO2e) at a flat annual
    average, with no hourly or marginal signal. The bundled sites' figures are EPA eGRID2022
    subregion averages (`data/SOURCES.md`), a location-based basis; a supplier's or a PPA's figure
    (0 for a 100 % renewable contract) is market-based (a site file says so with `grid_carbon_basis:
    market`), and is ranked beside the others as given: a comparison of sites on mixed bases is warned of
    (and `dcplan validate` warns of a 0 not declared market-based). Compare sites on one basis.
    """),
    params("""
    portfolio: str = "default"  # portfolio YAML, or "default" for the bundled example
    cooling: str = "site"  # "site" keeps each site's plant, or a key of dcplan.pipeline.REFERENCE_PLANTS
    basis: str = "tokens"  # cost and carbon per million tokens ("tokens") or per installed GPU-hour ("gpu_h")
    weight_cost: float = 0.4  # weight of electricity cost (per million tokens, or per GPU-hour: basis)
    weight_time_to_power: float = 0.3  # weight of when power arrives (median first-energization date)
    weight_pue: float = 0.1  # weight of annual PUE
    weight_carbon: float = 0.1  # weight of grid carbon (per million tokens, or per GPU-hour: basis)
    weight_derate: float = 0.1  # weight of hours the cooling plant derates
    weight_water: float = 0.0  # weight of cooling-tower water per IT kWh (WUE); 0: shown, not scored
    """),
    check_params("portfolio_comparison"),
    code("""
    import warnings

    import matplotlib.pyplot as plt
    import pandas as pd

    from dcplan import pipeline, plotting, portfolio_params, portfolio_plots, power
    from dcplan import portfolio_robustness as robust
    from dcplan.errors import DcplanWarning, InputError
    from dcplan.portfolio_compare import (FIGURES, SCALING, basis_columns, compare, comparison_table,
                                          description_text, lacks, score_criteria, tie_note, weights_table,
                                          weights_text, worst_possible_score)
    from dcplan.portfolio_report import (NO_COMMON_DATE, best_score, best_text, columns_text, display_names,
                                         key_figures_table, score_ranks, score_scale_text, score_table,
                                         single_scored_warning, ties_text, weight_label)
    from dcplan.notebook_params import check_parameters_unchanged, parameter_values
    from dcplan.portfolio_pending import pending_changes, pending_rank_text
    from dcplan.portfolio_tariff_fit import fit_text
    from dcplan.portfolio_prices import common_price_date
    from dcplan.tco_electricity import rate_title
    from dcplan.results import publish
    from dcplan.site import load_portfolio

    cost_col, carbon_col, cost_unit = basis_columns(basis)  # refuses a basis other than "tokens" or "gpu_h"
    plotting.use_style()
    pf = load_portfolio(portfolio, defer_file_problems=False)  # reads every site: one not found is bad input here
    about = description_text(pf)  # the portfolio file's description: what is measured, what synthetic
    print(about)
    publish({"portfolio_description": (about, None, "Portfolio and its inputs (the portfolio file's description)")},
            headline=True)
    # how every table, chart and sentence names a site: its name, or "name [id]" when two sites share it
    names = display_names({s.id: s.name for s in pf})
    sites, left_out = [], {}  # left_out: site -> why the cooling override does not apply to it
    for s in pf:
        try:
            sites.append(s if cooling == "site" else pipeline.with_reference_plant(s, cooling))
        except InputError as e:  # e.g. an air plant for a liquid-only fleet: that site is left out, not the notebook
            left_out[s.id] = e.detail
            print(f"{names[s.id]} ({s.id}) left out of the comparison: {e.detail}")
    if not sites:
        raise InputError(f"the reference plant {cooling!r} applies to no site of the portfolio: "
                         + "; ".join(left_out.values()), field="cooling")
    # each site's typical year, with cost and carbon per GPU-hour and per million tokens; a warning names its site
    t = robust.add_water(comparison_table(sites))  # + water_m3, the cooling towers' water a year
    t["tariff_price_date"] = robust.price_dates(sites)  # the date each tariff's prices are at
    # the one date every bill is restated at (the latest tariff price date), and the rate(s) it is escalated by
    price_at = common_price_date(t["cost_price_date"])
    given = {"weight_cost": weight_cost, "weight_time_to_power": weight_time_to_power, "weight_pue": weight_pue,
             "weight_carbon": weight_carbon, "weight_derate": weight_derate,
             "weight_water": weight_water}  # the parameters, as given
    portfolio_params.check_weights(given)  # at least one above 0 (render checks it before any run too)
    crit = score_criteria(basis)  # parameter -> criterion column on this basis
    weights = {crit[p]: w for p, w in given.items()}
    # the best site on this basis and on the other, and the fleets whose tokens are the H100 figure
    c = compare(t, weights, basis, borrowed={s_.id: power.borrowed_throughput(s_) for s_ in sites})
    # when power arrives is scored from the earliest median first-energization date among the scored sites
    ref = robust.rebase_first_power(t, c.score.score.index)
    price_warning = robust.price_date_warning(t["tariff_price_date"], names, c.score.score.index,
                                              escalated=t[["cost_price_date", "electricity_escalation_frac",
                                                           "escalation_factor"]])
    # a site's tariff that is a superseded rate (its enddate): said with the price dates, in the warning and caveat
    if "bill_enddate" in t:
        price_warning = "; ".join(w for w in (price_warning, robust.superseded_warning(
            t["bill_enddate"], names, c.score.score.index)) if w)
    # a scored site's tariff with a pending rate case (dcplan_pending_rate_change): its cost is at the old prices;
    # the best site on each basis with the largest proposed change applied (dcplan.portfolio_pending)
    pending_note = pending_rank_text(t, weights, basis, names, pending_changes(sites), price_at)
    # a scored site billed on a rate that does not apply to its peak (peakkwcapacitymax/min: a stand-in rate)
    fit_note = fit_text(sites, t["peak_grid_kw"].to_dict(), names, c.score.score.index) if "peak_grid_kw" in t else ""
    # the parameters the sites' years and the scores are computed with: every later cell refuses to run after a
    # change in the parameters cell (run the notebook from the top)
    run_params = parameter_values(globals(), "portfolio_comparison")
    """),
    md("## Key figures\nOne row per site, in three tables (plant; electricity; power and carbon). Each "
       "table's columns are defined above it."),
    code("""
    # the cooling plant: a plant short of the hour's IT load in some hours has a PUE that reads low
    print("Columns: " + columns_text("plant") + ".")
    display(key_figures_table(t, names, "plant", lacks, ref))
    """),
    code("""
    print("Columns: " + columns_text("electricity", price_at or NO_COMMON_DATE) + ".")
    if price_warning:
        print(f"Warning: {price_warning[0].upper() + price_warning[1:]}.")
    if pending_note:
        print(f"Warning: {pending_note}.")
    if fit_note:
        print(f"Warning: {fit_note}.")
    display(key_figures_table(t, names, "electricity", lacks, ref))
    rates = t.loc[t["bill_usd"].notna(), "electricity_escalation_frac"].astype(float)
    publish({"cost_price_date": (price_at or "none: no site's tariff gives a price date (startdate)", None,
                                 "Common price date of the electricity costs scored: each site's bill escalated to "
                                 "it from its tariff's price date (the latest of those dates among the sites), as the "
                                 "tco notebook escalates a bill; the bills at their own prices are bill_usd"),
             "cost_escalation_frac": (
                 float(rates.iloc[0]) if rates.nunique() == 1 else
                 "; ".join(f"{names[s_]} {r:g}" for s_, r in rates.items()) if len(rates)
                 else "none: no site has a bill",
                 None, "Electricity escalation each bill is restated at the common price date by, a year "
                       "(electricity_escalation_frac: the site's finance.costs or finance figure, data/costs.csv's "
                       "0.03 by default; whole 12-month steps, as the tco notebook)")})
    """),
    code("""
    # the definition of what "when power arrives" is scored against comes first, before the table
    if pd.notna(ref):
        print(f"When power arrives is scored as months after {ref:%Y-%m-%d}, the earliest median first-energization "
              "date among the scored sites (calendar months, as the dates are built: dcplan.grid._months_between; "
              "a site not scored that is earlier reads negative); "
              "months from each site's own filing are shown, not scored.")
    print("Columns: " + columns_text("power_carbon") + ".")
    for sid, since in t["in_service_since"].dropna().items():  # an existing campus: its date is not the one scored
        print(f"{names[sid]}: capacity already in service since {since:%Y-%m-%d} (not scored: it powers the halls "
              "running on it; the date scored is its new capacity's).")
    display(key_figures_table(t, names, "power_carbon", lacks, ref))
    """),
    md("## Weighted score\nEach criterion is min-max scaled across the sites (best 0, worst 1) and weighted; lower is better. The score ranks the sites on these operating criteria only (electricity, when power arrives, PUE, carbon, derate hours, and water per IT kWh when `weight_water` > 0: 0 by default, so water is shown but not scored): capital cost, NPV and levelized cost are the `tco` notebook's, per site. Electricity and carbon enter per million tokens (`basis = \"tokens\"`, the default) or per installed GPU-hour (`basis = \"gpu_h\"`, comparable only between fleets of one GPU generation). Scaling is relative: adding or removing a site changes the others' scaled values and can change which site is best. A site without a weighted figure (no `tariff:` section: no electricity cost) is not scored and does not move the others' ranges; a criterion no site has is left out of the score, with a note; a criterion equal at every site adds nothing to any score (the worst possible score is then below 1), with a note. The table below gives each criterion's weight, its share of the score, what it measures and its range across the scored sites. Sites with equal scores share a rank, shown as \"=k\".\n\nA site whose cooling plant cannot carry the hour's IT load in some hours of the typical year (derate hours above 0) is scored but **not eligible for best**: in those hours its cooling is counted only for the heat the plant removes while its IT energy stays the demand, so its PUE (and with it its electricity and carbon) reads low beside a plant that carries the load. The best site is the lowest score among the other sites, and the headline names every short site that scores lower, with its hours and its worst hour's shortfall: fix its plant (a larger plant, a trim chiller, cooling towers) and compare again.\n\nThis is not the rule of the `site_analysis` notebook's verdict, which ranks a site without weights on three figures only (annual PUE, electricity per million tokens, when power arrives) and calls it strong when first on two of them, weak when last on two, middle of the pack otherwise: a site last on this score can be middle of the pack there."),
    code("""
    # given, weights and the comparison c are computed in the first cell (the reference date needs the scored sites)
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
    if price_at:
        print(f"Electricity is scored at {price_at} prices: each site's bill escalated to that date (the latest "
              "tariff price date among the sites) from its tariff's own, as the tco notebook escalates a bill "
              "(the bills at their own prices are beside them in the table above).")
    for col, why in c.left_out.items():
        print(f"Left out of the score: {FIGURES[col][0] if col in FIGURES else col} ({col}), as {why}.")
    order = c.score.score
    # the weights as a reader needs them: criterion, weight, share, what it measures, direction, range
    wt = weights_table(t, {p: (crit[p], w) for p, w in given.items()}, c.score)
    worst = worst_possible_score(wt)
    print(f"Scaling: {SCALING}.")
    with pd.option_context("display.max_colwidth", None):
        display(wt[["criterion", "column", "weight", "share_frac", "measures", "direction", "min", "max", "note"]]
                .round({"share_frac": 4, "min": 4, "max": 4}))
    ties = tie_note(wt)
    if ties:
        print(f"Note: {ties}.")
    # a criterion equal at every scored site adds nothing: its label says so, not "10 % of the score"
    publish({p: (float(w), None, weight_label(wt, p)) for p, w in given.items()})
    publish({"score_basis": ("per million tokens" if basis == "tokens" else "per installed GPU-hour", None,
                             "Basis of the electricity and carbon criteria")})
    """),
    code("""
    # every site's score, ranked (ties share a rank, "=k"); not scored and left-out sites say why
    tied = ties_text(order, names)
    if tied:
        print(tied + ".")
    display(score_table(c, names, worst, left_out))
    """),
    code("""
    best = best_text(c, names)  # a short plant's lower score is named with why, not taken as best
    # one site scored (the others lack a weighted figure) is no comparison: said in the headline and warned
    if (only := single_scored_warning(c, names)) is not None:
        warnings.warn(only, DcplanWarning)
    publish({"best_site": (best, None, f"Best site on the weighted operating score (weights: "
                                       f"{weights_text(weights, price_at)}; "
                                       "each criterion min-max scaled 0-1 across the sites; a site whose plant is short "
                                       "of its IT load in some hours is not eligible; TCO not included)")},
            headline=True)
    # each scored site's plant and hardware: when they differ the ranks compare fleets, not only locations
    caveat = c.caveat(names, basis, fleets={s_.id: (s_.cooling.type if s_.cooling is not None else "default",
                                                   [ph.hardware for ph in s_.fleet.phases]) for s_ in sites})
    if price_warning:  # electricity costs at price dates more than a year apart
        caveat = f"{caveat}; {price_warning}"
    if pending_note:  # a site's cost at prices a pending rate case may replace, and the best site with it applied
        caveat = f"{caveat}; {pending_note}"
    if fit_note:  # a site's cost on a rate that does not apply to its load (a stand-in)
        caveat = f"{caveat}; {fit_note}"
    # the best site's rank resting on a superseded rate (its tariff's URDB enddate): the site, the rate and the date,
    # against the common price date the costs are ranked at (none when the score does not weigh the cost)
    if "bill_enddate" in t:
        rates = {s_.id: rate_title(pipeline.site_tariff(s_)) for s_ in sites if s_.tariff is not None}
        gone = robust.best_superseded_text(c.best if c.best is not None else c.best_tie, t["bill_enddate"], names,
                                           rates, price_at, weights.get(crit["weight_cost"], 0.0))
        caveat = f"{caveat}; {gone}" if gone else caveat
    # how far the ranking survives other weights (dcplan.portfolio_robustness)
    rob = robust.robustness(t, c, {p: (crit[p], w) for p, w in given.items()})
    publish({"best_site_robustness": (robust.robustness_text(rob, names), None, "Whether the best site survives other "
                                      "weights: the smallest change of one weight at which another site eligible "
                                      "for best ties it, the share of random weight draws each site is best in, the "
                                      "first-power uncertainty")},
            headline=True)
    publish({"best_site_caveat": (caveat, None, "What the best site depends on (different fleets or plants, the "
                                                "other basis, borrowed throughput figures, throughput figures "
                                                "of unstated or different MLPerf scenarios, tariff price dates "
                                                "far apart, a superseded rate, a pending rate change, "
                                                "a rate that does not apply to the load)")}, headline=True)
    # a tie has no best site: the score is the tied sites' (said), none without a scored site
    value, what = best_score(c)
    scale = score_scale_text(worst, len(order)).replace("0 best, ", "0 = best on every criterion, ").replace(
        " worst possible", " = worst possible")
    publish({"best_site_score": (value, None, what + f" ({scale}"
                                 + (f"; {', '.join(wt.loc[wt['note'].str.startswith('equal at every'), 'criterion'])}"
                                    " equal at every site: adds nothing" if ties else "") + ")")}, headline=True)
    """),
    code("""
    if len(order):
        fig = portfolio_plots.score_bars(
            order, names, worst,
            f"Weighted score by site (lower is better)\\nweights: {weights_text(weights, price_at)}",
            f"score [{score_scale_text(worst, len(order))}]", short=c.short, ranks=score_ranks(order))
        plt.show()
    """),
    md("## Robustness of the ranking\nThe weights are a choice. Below: the share of 20,000 random weight draws "
       "(seed 0) in which each site is best, drawn uniform on the simplex of the weighted criteria (any weights) and "
       "from a Dirichlet around the stated weights (concentration 20: a share of 0.4 varies by about 0.1); and for "
       "each pair of sites adjacent in the ranking, the smallest change of one weight parameter (the others as given) "
       "at which they tie, beyond which they swap. The headline takes the best site against every other site eligible "
       "for best (a short plant ranked above it is not; a site further down can need a smaller change than the "
       "second) and says NOT ROBUST when one of them ties it under a change of one weight of at most 10 % of the "
       "weights' sum (dcplan's choice of 'small'); with no best site (a tie) there is nothing to test, and it says "
       "so. Min-max scaling makes a criterion's whole "
       "weight hinge on its range: when the sites' median first-power dates lie closer together than each date's "
       "10th-90th percentile band, 'when power arrives' ranks differences inside its own uncertainty, and that is "
       "flagged."),
    code("""
    if len(order) > 1:
        swaps = pd.DataFrame([{"rank": f"{k} / {k + 1}", "sites": f"{names[w['a']]} / {names[w['b']]}",
                               "weight": w["param"] or "none swaps them", "from": w["from"], "tie at": w["to"],
                               "change": w["change"]} for k, w in enumerate(rob.swaps, start=1)])
        display(swaps.round(4))
        publish(robust.robustness_records(rob, names))
    else:
        print("Fewer than two sites scored: no ranking to test.")
    """),
    md("## Cost vs when power arrives"),
    code("""
    both = t.dropna(subset=[cost_col, "first_energized_p50"])
    if both.empty:
        print("No site has both an electricity cost (tariff:) and a time to power (interconnection:): nothing to plot.")
    else:
        fig = portfolio_plots.cost_vs_power(both, cost_col, f"{cost_unit} at {price_at} prices" if price_at
                                            else cost_unit, names,
                                            "Electricity cost vs when power arrives (bars: 10th-90th percentile)",
                                            order=[s_.id for s_ in pf])  # a site's colour as in portfolio_sweep
        plt.show()
    """),
]

if __name__ == "__main__":
    # every cell after the setup's checks the parameters it was computed with (README: run from the top)
    guard_cells(cells, ("run_params = parameter_values", "set_up=run_params"))
    write("notebooks/portfolio_comparison.ipynb", cells, scope="portfolio",
          precheck="dcplan.portfolio_params:precheck", parameters={
        "cooling": dict(choices_from="dcplan.pipeline:REFERENCE_PLANTS", also=["site"]),
        "basis": dict(choices=["tokens", "gpu_h"]),
        # a finite maximum keeps the weights' sum finite (dcplan.portfolio_score normalises them too)
        **{f"weight_{k}": dict(min=0, max=1e6) for k in ("cost", "time_to_power", "pue", "carbon", "derate",
                                                          "water")}})
