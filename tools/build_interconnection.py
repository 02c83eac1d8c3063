"""Build notebooks/interconnection.ipynb (run from the repo root: python -m tools.build_interconnection)."""
from dcplan.specs.finance import REVENUE_MAX_USD_PER_GPU_H
from dcplan.specs.interconnection import BATTERY_DURATION_RANGE_H
from tools.interconnection_cells import (CAPACITY_CHECK, FIRM_PLOT, FIRM_PUBLISH, FIRM_RAMP, FIRST_POWER,
                                         HEADROOM_TABLE, ON_TIME, PLAN_GAPS, TTP_TEXT)
from tools.interconnection_text import PV_BATTERY_TEXT
from tools.nbtools import check_params, code, guard_cells, md, params, write

cells = [
    md("""
    # Grid interconnection and time-to-power

    When does this site get its megawatts, how many GPUs can they power month by month, what
    does waiting cost, does a year of hourly facility power fit inside the contract, how much
    flexible load a system could absorb (the "Rethinking Load Growth" method of Duke
    University's Nicholas Institute, not a utility's), and what on-site
    PV and a battery change. Lead times come from `data/interconnection.csv` and
    `data/equipment_lead_times.csv` (sources and status per row; most regional figures are
    estimates), or from the site file's own `interconnection.time_to_power` figures and their
    source, printed below. Those figures (a row's or the site's) are the grid's wait, from filing until
    the utility can energize; the time to power is the later of that wait and the site's own
    long-lead equipment (transformer and switchgear deliveries, ordered at filing, unless the site file's
    `interconnection.equipment` and `equipment_ordered` say otherwise). The facility load is the full build-out on the site's typical weather year,
    from the site chain (`dcplan.pipeline`, on the site's civil clock): the same hourly load as
    `site_analysis`, `tco` and `portfolio_comparison`.
    """),
    params("""
    site: str = "research-triangle-nc"  # site id in the portfolio
    portfolio: str = "default"  # portfolio YAML, or "default" for the bundled example
    order_delay_months: float = -999.0  # months after filing at which the long-lead equipment is ordered (negative: before); -999: the site file's (interconnection.equipment_ordered, else at filing)
    server_usd_per_gpu: float = -1.0  # IT capex per GPU [USD/GPU]; -1: the TCO's server + network + storage per accelerator (data/costs.csv, or the site's finance override)
    facility_usd_per_mw: float = -1.0  # facility build cost per MW of critical IT [USD/MW]; -1: the TCO's (data/costs.csv row facility_usd_per_mw; facility_liquid_usd_per_mw for a liquid-cooled site; or the site's override)
    revenue_usd_per_gpu_h: float = -1.0  # price per GPU-hour sold [USD/GPU-h]; -1: the TCO's (data/costs.csv row revenue_usd_per_gpu_h, or the site's finance override)
    battery_power_frac: float = 0.1  # illustrative default battery's power / peak facility power, only when the site YAML has no battery (not in the TCO)
    battery_duration_h: float = 2.0  # illustrative default battery's energy / power, 0.25-12 as a site's battery, only when the site YAML has no battery (not in the TCO) [h]
    system_load_csv: str = ""  # hourly system-load CSV path, gridstatus-style or interval_end/system_load_mw columns; empty for the bundled SYNTHETIC example
    """),
    check_params("interconnection"),
    code("""
    import calendar

    import matplotlib.pyplot as plt
    import numpy as np
    import pandas as pd

    from dcplan import design_hours, grid, grid_lead_time, pipeline, plan_dates, plotting, power, solar, tco, thermal
    from dcplan._ts import interval_start
    from dcplan.errors import InputError
    from dcplan.grid_battery import battery_idle_reason
    from dcplan.grid_ramp import month_rule_note, power_unit_gpus, unit_noun
    from dcplan.grid_waiting import firm_only_waiting, plan_gap_fit_words, plan_gap_lines, without_shortfall
    from dcplan.notebook_params import (check_parameters_unchanged, parameter_file, parameter_values,
                                        warn_site_outside_render)
    from dcplan.prob_display import ON_TIME_DIFFERENCE_NOTE
    from dcplan.results import publish
    from dcplan.tco_assumptions import split_source_status
    from dcplan.site import load_portfolio
    from dcplan.tco_delay import share_words
    from dcplan.tco_labels import idle_capital_label

    plotting.use_style()
    spec = load_portfolio(portfolio)[site]
    warn_site_outside_render(spec)  # the site's warnings, as render adds them to the report (not under render)
    ic = spec.interconnection
    if ic is None:
        raise InputError(f"site {spec.id!r} has no interconnection: section; this notebook analyses its grid "
                         "request, capacity timeline and time to power", file=spec.source_file or None,
                         field="interconnection")
    # the time to power given the months already waited without power (filed to the plan's date: the site file's
    # as_of, else today; none with nothing pending): only the part not yet elapsed is uncertain
    # (dcplan.grid_given_wait); ic_unconditioned is the whole wait from filing, published beside it
    ic_unconditioned, ic = ic, plan_dates.with_wait(spec).interconnection
    ttp_given = grid.wait_words(ic)  # "given 9.0 months waited without power by 2025-03-01", or ""
    # the site chain's own year (dcplan.pipeline, as site_analysis, tco and portfolio_comparison):
    # weather on the site's civil clock (the fleet's daily shape follows clock hours), the full
    # build-out's hourly IT power, the cooling plant at each hour's IT, and the on-site PV
    y = pipeline.run_site_year(spec)
    w = y.weather
    fleet = power.fleet_table(spec)
    n_gpus = int(fleet["accelerators"].sum())
    gpus_added = fleet.groupby("start")["accelerators"].sum()
    # GPUs are bought and powered in whole racks or servers (a GB200 NVL72 rack's 72, an HGX server's 8): the ramp
    # below powers whole units only, as the tco notebook and the site_analysis verdict count them
    unit_gpus = power_unit_gpus(fleet.loc[fleet["accelerators"] > 0, "hardware"])
    design_it_kw = y.design_it_kw
    # facility power per GPU at design IT in the typical year's worst hour (design IT through the plant in
    # every hour of the year), and the design hour beside it (the design days', dcplan.design_hours)
    # (the site's electrical chain, electrical:, as the pipeline's losses)
    worst = design_hours.typical_year_worst_hour(design_it_kw, w, spec.cooling,
                                                 electrical_chain=spec.electrical.stages())
    kw_per_gpu = worst["facility_kw"] / n_gpus
    design_hour = thermal.design_hour_pue(design_it_kw, w, spec.cooling, electrical_chain=spec.electrical.stages())
    # a fleet of several hardware generations: this ramp counts one average kW per GPU, the tco notebook each
    # tranche at its own (dcplan.tco_inputs.fleet_phase_mix: more than one hardware type), so their powered GPUs differ: said, and published
    mixed_note = ""
    if fleet.loc[fleet["accelerators"] > 0, "hardware"].nunique() > 1:  # fleet_phase_mix's rule, on this table
        by_hw = fleet.groupby("hardware")
        per_hw = by_hw["phase_max_kw"].sum() / by_hw["accelerators"].sum() * worst["facility_kw"] / fleet["phase_max_kw"].sum()
        mixed_note = (f"The fleet mixes hardware ({', '.join(f'{k} {v:.3f}' for k, v in per_hw.items())} kW/GPU at "
                      f"design in the worst hour): this notebook's ramp, stranded GPUs, GPUs never powered and cost "
                      f"of waiting count every GPU at the fleet's average {kw_per_gpu:.3f} kW; the tco notebook powers "
                      "each hall at its own kW, oldest first, so its GPUs powered differ from these in months the grid "
                      "binds.")
        print(mixed_note)
    # hourly facility power, full build-out on the typical year
    it_kw = y.it_kw
    # capex, price per GPU-hour and sold share: the TCO's own inputs, so both notebooks count them
    # alike (data/costs.csv, then the site's finance overrides; sold share = fleet.utilisation_frac)
    tco_in = tco.inputs_from_site(spec, n_accelerators=n_gpus, it_capacity_kw=design_it_kw,
                                  it_energy_kwh=float(power.energy_from_power(it_kw).sum()), site_year=y)
    tp = tco_in.params()
    it_usd_per_gpu = (tp["server_usd_per_accelerator"] + tp["network_usd_per_accelerator"]
                      + tp["storage_usd_per_accelerator"]) if server_usd_per_gpu == -1.0 else server_usd_per_gpu
    fac_usd_per_mw = tp["facility_usd_per_mw"] if facility_usd_per_mw == -1.0 else facility_usd_per_mw
    if it_usd_per_gpu < 0 or fac_usd_per_mw < 0:
        raise InputError(f"-1 (the TCO's) or a cost >= 0, got server_usd_per_gpu={server_usd_per_gpu}, "
                         f"facility_usd_per_mw={facility_usd_per_mw}", field="server_usd_per_gpu / facility_usd_per_mw")
    capex_usd_per_gpu = it_usd_per_gpu + fac_usd_per_mw * design_it_kw / 1000.0 / n_gpus
    if revenue_usd_per_gpu_h == -1.0:  # other negative prices are refused by grid.cost_of_waiting
        price_usd_per_gpu_h = float(tp["revenue_usd_per_gpu_h"])
        # the site's own price, or the data/costs.csv row (with a note when it stands in for other hardware)
        given = split_source_status(tco_in.sources.get("revenue_usd_per_gpu_h", ""))[0]
        if "revenue_usd_per_gpu_h" in tco_in.costs:
            price_source = given
        else:
            price_source = "data/costs.csv row revenue_usd_per_gpu_h" + (f"; {given}" if given else "")
    else:
        price_usd_per_gpu_h = float(revenue_usd_per_gpu_h)
        price_source = "notebook parameter revenue_usd_per_gpu_h"
    sold_frac = float(tco_in.utilization_frac)
    facility_kw = y.facility_kw
    pv_kw = y.pv_kw
    net_kw = solar.net_load_kw(facility_kw, pv_kw)  # before any battery (the chain's grid_kw is after the site's)
    # the parameters the site, its year and its costs are computed with: every later cell refuses to run after a change
    # in the parameters cell (run the notebook from the top)
    run_params = parameter_values(globals(), "interconnection")
    """),
    md("## Time to power"),
    code("""
    # -999: the site file's order date (interconnection.equipment_ordered, else the filing date)
    order_delay = None if order_delay_months == -999.0 else order_delay_months
    items, d_order = grid.equipment_plan(ic, order_delay_months=order_delay)  # the site's equipment, its order delay
    ttp = grid.time_to_power(ic, order_delay_months=order_delay)  # the region's, or the site's own figures
    dates = grid.energization_dates(ic, order_delay_months=order_delay)  # the phases with capacity
    driver = grid.time_to_power_driver(ic, ttp, order_delay_months=order_delay)
    # what the time to power leaves out or assumes, printed once and published as its own figure (not in the
    # headline's label): the two parts drawn independently, installation and commissioning after delivery,
    # equipment figures that are averages mapped to percentiles
    ttp_caveats = grid_lead_time.time_to_power_caveats(ttp, items)
    basis = grid.time_to_power_basis(ic)  # with a size caveat when the request is far below the row's loads
    print("Grid wait: " + basis)
    publish({"grid_wait_basis": (basis, None, "What the grid wait rests on: its data/interconnection.csv row's basis, "
                                 "source and status (or the site's own figures), and whether the request's size fits")})
    """ + TTP_TEXT + FIRST_POWER + """    publish({
        "gpus": (n_gpus, "GPUs", "GPUs at full build-out"),
        "kw_per_gpu": (kw_per_gpu, "kW/GPU", design_hours.worst_hour_label(worst, design_hour, w)),
        **({"time_to_power_note": (nothing_pending, None, "Time to power: none published (no pending capacity)")}
           if nothing_pending else
           {**{f"time_to_power_p{round(q * 100)}_months": (float(ttp.loc[q, "time_to_power_months"]), "months", (
               f"Time to power from filing, {grid_lead_time.quantile_words(q)}"
               + (f", {ttp_given}" if ttp_given else "")))
               for q in (0.1, 0.9)},
            **unconditioned,
            "time_to_power_caveats": (ttp_caveats, None, "What the time to power leaves out or assumes (its median "
                                      "is a headline)")}),
        "first_energized_p90": (fp["p90"]["new_power"].date(), None, first["p90"]),
    })
    """ + ON_TIME + """
    head = {
        **({} if nothing_pending else {"time_to_power_median_months": (
            float(ttp.loc[0.5, "time_to_power_months"]), "months",
            f"Time to power from filing, median" + (f", {ttp_given}" if ttp_given else "") + f" ({driver})")}),
        **extra_head,
        "first_energized_p50": (fp["p50"]["new_power"].date(), None, first["median"]),
        **on_time_head,
    }
    if live and pending:
        head["in_service_since"] = (fp["p50"]["in_service_since"].date(), None, (
            f"Capacity already in service since ({fp['p50']['in_service_mw']:g} MW, no queue delay; it powers the "
            "halls running on it, not the new ones: not the date the site is ranked on)"))
    publish(head, headline=True)
    display(*(() if nothing_pending else (ttp.round(1).rename_axis(columns="months from filing"),)), dates)
    """),
    md("""
    ## Deployment ramp
    Contracted capacity as planned, and as energized after the time to power above (median,
    p10-p90 band; the cell says which grid wait and equipment it rests on); GPUs that capacity
    can power against the GPUs installed. Every phase not yet in
    service slips by the first one's delay (`dcplan.grid.energization_delay_months`), keeping
    the plan's spacing: a utility that energizes a later phase on its own date once the first
    is connected would make that phase's delay `max(0, filed + time to power - its planned
    date)`, shorter, so for a multi-phase site the stranded GPU-months below are the larger case.
    Months are whole: capacity, like a GPU installed, counts from the first month that starts on or
    after its date, so a month powered for part of its days is a month of waiting (`dcplan.grid_ramp`'s
    month rule, the tco notebook's too: its `grid_delay_p50_months` is the months the first powered
    month moves).
    The ramp powers GPUs by their facility power at full design IT in the typical year's worst
    hour (`kw_per_gpu`: design IT through the plant in every hour of the year, its highest hour),
    the most a GPU draws in any hour of the modelled year. That hour is usually harsher than the
    design days the plant's chillers are selected for (`site_climate`: a 0.4 % condition is
    exceeded in about 35 hours a year), so its PUE is above the design-hour PUE of `site_analysis`;
    the label gives both. The model sizes no contract on it: the contracted capacity is the site's
    own (`interconnection.requested_mw` and `phases`), and the capacity check below is the typical
    year's hourly load at the fleet's own IT, which stays lower: so GPUs can wait for capacity here
    although the hourly load would fit under it.
    """),
    code("""
    rb = grid.ramp_band(ic, kw_per_gpu, gpus_added, order_delay_months=order_delay, gpus_per_unit=unit_gpus)
    if unit_gpus > 1:
        print(f"GPUs are powered in whole units of {unit_gpus} GPUs (a rack or server, data/hardware.csv "
              "accelerators_per_unit): a unit the capacity cannot power whole waits, as in the tco notebook.")
    if not nothing_pending:
        print(f"Energized after the time to power: the later of the grid wait ({grid.wait_source(ic)}) and "
              + (f"the site's long-lead equipment ({', '.join(items)}, ordered {grid.order_delay_words(d_order)})."
                 if items else "no long-lead equipment (interconnection.equipment: none)."))
    month_note = month_rule_note(dates)  # the month rule (dcplan.grid_ramp), as the tco notebook counts
    if month_note:
        print(month_note)
    """ + FIRM_RAMP + """
    fig, (ax1, ax2) = plt.subplots(2, 1, figsize=(8, 6), sharex=True)
    ax1.axhline(ic.requested_mw, color=plotting.COLORS["baseline"], ls=":", label="requested")
    ax1.step(rb.index, rb["planned_capacity_mw"], where="post", color=plotting.COLORS["limit"], ls="--",
             label="contracted (planned dates)")
    ax1.fill_between(rb.index, rb["capacity_mw_p90"], rb["capacity_mw_p10"], step="post",
                     color=plotting.COLORS["grid"], alpha=0.3, label="energized, p10-p90")
    ax1.step(rb.index, rb["capacity_mw_p50"], where="post", color=plotting.COLORS["grid"], label="energized, median")
    plotting.label(ax1, f"{spec.name}: requested vs energized capacity", "", "capacity [MW]", legend=True)
    ax2.step(rb.index, rb["planned_gpus"], where="post", color=plotting.COLORS["baseline"], ls="--", label="installed")
    ax2.fill_between(rb.index, rb["powered_gpus_p90"], rb["powered_gpus_p10"], step="post",
                     color=plotting.COLORS["it"], alpha=0.3, label="powered, p10-p90")
    ax2.step(rb.index, rb["powered_gpus_p50"], where="post", color=plotting.COLORS["it"], label="powered, median")
    """ + FIRM_PLOT + """
    plotting.label(ax2, f"GPUs powered at {kw_per_gpu:.2f} kW/GPU (design facility power"
                   + ("; non-firm MW counted as firm" if rb_firm is not None else "") + ")", "date [year]", "GPUs",
                   legend=True)
    plt.show()
    # a contracted capacity that cannot power the whole fleet: the shortfall is permanent, not a wait
    contracted_mw = float(rb["planned_capacity_mw"].iloc[-1])
    never = design_hours.gpus_never_powered(contracted_mw, kw_per_gpu, n_gpus, unit_gpus)
    if never:
        print(f"WARNING: the contracted {contracted_mw:g} MW powers at most {n_gpus - never:,} of the {n_gpus:,} GPUs "
              f"at {kw_per_gpu:.3f} kW/GPU (design IT, the typical year's worst hour): {never:,} GPUs are never "
              f"powered, however long one waits (the ramp counts each GPU at its facility power at design IT in the "
              f"typical year's worst hour, the most it draws in any hour of the year; the capacity check's hourly "
              f"load stays lower). Contracting the fleet's facility power in that hour needs at least "
              f"{n_gpus * kw_per_gpu / 1000.0:,.2f} MW (interconnection.requested_mw and phases).")
    publish({"gpus_never_powered": (never, "GPUs", "GPUs the contracted capacity never powers at design IT in "
                                    "the typical year's worst hour (a shortfall, not a wait: left out of the "
                                    "stranded GPU-months and the cost of waiting"
                                    + ("; counted at the fleet's average kW per GPU: see mixed_fleet_note"
                                       if mixed_note else "") + ")")})
    if mixed_note:
        publish({"mixed_fleet_note": (mixed_note, None, "Fleet of several hardware types: what this notebook's "
                                      "ramp counts")})
    """ + FIRM_PUBLISH),
    md("""
    ## Cost of waiting (median case)

    GPUs installed on plan but not yet powered cost their capital's carrying cost and the
    revenue they would earn. Revenue is counted as the `tco` notebook counts it: the price per
    GPU-hour sold from `data/costs.csv` (row `revenue_usd_per_gpu_h` with its source, or the
    site's `finance` override) times the GPU-hours a powered GPU would sell, 730 h a month
    (8760 / 12) at the fleet's utilisation (`fleet.utilisation_frac`, the TCO's sold share),
    changing each year by the TCO's `revenue_escalation_frac` (whole years from the ramp's
    first month; the TCO counts from project start). The cell prints the price, its source and the sold share used. Set the parameter
    `revenue_usd_per_gpu_h` (default -1: the TCO's price) to try another price; the sold share
    stays the site's. The revenue is gross and counted whole as lost (no operating cost
    subtracted, so an upper bound on the margin lost). It assumes the GPUs are bought on plan and
    sit idle until powered; the `tco` notebook instead defers their purchase (IT capex and
    revenue shift by the delay), so its NPV at the median delay (run it with
    `-p scenario grid-delay-p50`) is the figure to use for the investment case. The capital sitting idle is the TCO's
    too: server + network + storage per accelerator and the facility cost per MW of critical IT
    (`data/costs.csv` or the site's overrides; parameters `server_usd_per_gpu` and
    `facility_usd_per_mw` override them), carried at the site's discount rate.

    The cost is split in two: the part the plan itself causes (GPUs installed before their
    capacity's planned date, unpowered even with the grid on time) and the part the median grid
    delay adds; the total is their sum. A phase planned after the finance horizon (the TCO's
    `finance.horizon_years` from its project start) is warned about: GPUs that need it sit idle
    through the whole horizon.
    """),
    code("""
    ramp50 = grid.deployment_ramp(rb["capacity_mw_p50"], kw_per_gpu, rb["planned_gpus"], unit_gpus)
    # the grid on its planned dates: GPUs installed before their capacity's planned date wait even with no delay
    ramp_plan = grid.deployment_ramp(rb["planned_capacity_mw"], kw_per_gpu, rb["planned_gpus"], unit_gpus)
    revenue = dict(revenue_usd_per_gpu_h=price_usd_per_gpu_h, utilisation_frac=sold_frac)
    cost = dict(capex_usd_per_gpu=capex_usd_per_gpu, **revenue, annual_rate_frac=spec.finance.discount_rate_frac,
                # the TCO's yearly price change, counted from the ramp's first month
                revenue_escalation_frac=float(tp["revenue_escalation_frac"]))
    # the GPUs the full contract never powers (`never`, above) are a shortfall, not a wait: left out of the stranded
    # GPU-months and the cost of waiting (grid_waiting.without_shortfall), published only as gpus_never_powered
    wait = grid.cost_of_waiting(without_shortfall(ramp50, float(ramp_plan["powerable_gpus"].iloc[-1])), **cost)
    split = grid.waiting_cost_split(ramp_plan, ramp50, **cost)
    """ + PLAN_GAPS + """
    # a month of grid delay idles the GPUs the capacity already in service cannot power (an existing campus's
    # running halls do not wait for the new request) and the contract would: those it never powers (`never`,
    # above) are a shortfall, not a delay (a 2 MW contract under 4,096 GPUs counted all 4,096, 3.6 x the cost)
    in_service_kw = 1000.0 * sum(p.mw for p in (ic.phases or ()) if p.in_service)
    delayable = design_hours.gpus_never_powered(in_service_kw / 1000.0, kw_per_gpu, n_gpus, unit_gpus) - never
    per_month = grid.delay_cost_usd_per_month(delayable, capex_usd_per_gpu=capex_usd_per_gpu, **revenue,
                                              annual_rate_frac=spec.finance.discount_rate_frac)
    per_month_label = "Cost per month of delay at full build-out (upper bound, as above)"
    if in_service_kw > 0 or never:
        per_month_label = (f"Cost per month of delay at full build-out, of the {delayable:,} of {n_gpus:,} GPUs "
                           + (f"the {in_service_kw / 1000:g} MW already in service does not power but "
                              if in_service_kw > 0 else "") + f"the contracted {contracted_mw:g} MW powers"
                           + (f" ({never:,} it never powers: a shortfall, not a delay)" if never else "")
                           + f" (at {kw_per_gpu:.3f} kW/GPU; upper bound, as above)")
    costs_row = tco.load_costs().loc["revenue_usd_per_gpu_h"]
    print(f"Price per GPU-hour sold: {price_usd_per_gpu_h:.3f} USD/GPU-h from {price_source}"
          + (f" ({costs_row['source']}, {costs_row['vintage']})" if price_source.startswith("data/") else ""))
    print(f"Idle capital per unpowered GPU: {capex_usd_per_gpu:,.0f} USD (IT {it_usd_per_gpu:,.0f} USD/GPU, facility "
          f"{fac_usd_per_mw / 1e6:.2f} M USD/MW of critical IT; "
          f"{'the TCO inputs' if server_usd_per_gpu == -1.0 and facility_usd_per_mw == -1.0 else 'parameters'}), "
          f"carried at {spec.finance.discount_rate_frac:.1%}/yr")
    print(f"Sold share: {sold_frac:.0%} of a powered GPU's hours (site fleet.utilisation_frac, as the TCO): "
          f"{grid.HOURS_PER_MONTH_H * sold_frac * price_usd_per_gpu_h:,.0f} USD revenue per GPU-month")
    print(f"Of the {split['total_gpu_months']:,.0f} GPU-months installed but unpowered (median case), "
          f"{split['plan_gpu_months']:,.0f} are the plan's own: GPUs installed before their capacity's planned date, "
          f"unpowered even with the grid on time ({split['plan_usd'] / 1e6:,.1f} M USD); the median grid delay adds "
          f"{split['delay_gpu_months']:,.0f} ({split['delay_usd'] / 1e6:,.1f} M USD).")
    if never:
        print(f"The {never:,} GPUs the contracted capacity never powers are left out of the stranded GPU-months and "
              "the cost of waiting: a capacity shortfall (gpus_never_powered), not a wait; counted as waiting they "
              "would cost until wherever the ramp happens to end.")
    never_tag = f"; the {never:,} GPUs the contract never powers left out: gpus_never_powered" if never else ""
    # a phase planned after the TCO's finance horizon: the GPUs that need it sit idle through all of it
    cal = tco.calendar_months(tco_in)  # None: an undated fleet (no start), no horizon in calendar months
    horizon_end = cal[-1] if cal is not None else None
    for lab, mw, d in (grid.phases_after(ic, horizon_end) if horizon_end is not None else []):
        print(f"WARNING: {lab} ({mw:g} MW) is planned for {d:%Y-%m-%d}, after the finance horizon's last month "
              f"{horizon_end:%Y-%m} (finance.horizon_years {spec.finance.horizon_years} from the TCO's project start): "
              f"GPUs that need its capacity, bought on plan, sit idle for the whole horizon, and the cost of waiting "
              f"counts them (in the plan's own part) up to the ramp's last month, {rb.index[-1]:%Y-%m}.")
    # the median case is the time to power's given the months waited (ttp_given), as its figures: the labels say so
    case = "median case" + (f", {ttp_given}" if ttp_given else "")
    publish({
        "stranded_gpu_months": (split["total_gpu_months"], "GPU-months",
                                f"Installed but unpowered, {case}, total (the plan's own gap plus the grid delay; "
                                f"powered in whole units of {unit_gpus} GPUs{never_tag}{firm_tag})"),
        "stranded_gpu_months_plan": (split["plan_gpu_months"], "GPU-months",
                                     "Installed but unpowered with the grid on its planned dates (GPUs installed "
                                     f"before their capacity's planned date; powered in whole units of {unit_gpus} "
                                     f"GPUs{never_tag})"),
        "gpus_per_unit": (unit_gpus, "GPUs", "GPUs of the rack or server bought and powered as one (data/hardware.csv "
                          "accelerators_per_unit; the greatest common divisor for several types): the ramp powers "
                          "whole units"),
        # the H100 IT prices (server, fabric, storage) standing in for other hardware are said, as price_note says them
        "capex_usd_per_gpu": (capex_usd_per_gpu, "USD/GPU",
                              idle_capital_label(spec, tco_in, server_price_given=server_usd_per_gpu != -1.0)),
        "revenue_usd_per_gpu_h": (price_usd_per_gpu_h, "USD/GPU-h", f"Price per GPU-hour sold ({price_source})"),
        "utilisation_frac": (sold_frac, "frac", "Share of powered GPU-hours sold (site fleet.utilisation_frac, as the TCO)"),
    })
    publish({
        # an upper bound, not the TCO's NPV effect of the delay (which defers the GPU purchase to
        # energization and loses the last months of the horizon): the labels say so
        "waiting_cost_usd": (split["total_usd"], "USD",
                             f"Cost of waiting for power, {case}, total: the plan's own gap plus the grid delay "
                             "(upper bound: assumes the GPUs are bought on plan and sit idle until powered: gross "
                             "revenue lost plus the carrying cost of their IT and facility capital, capex_usd_per_gpu; "
                             "nominal: each month's USD summed over the years it spans, not discounted; "
                             "for the investment case use the "
                             "tco notebook's NPV at the median delay, scenario grid-delay-p50, which defers the "
                             f"purchases{never_tag}{firm_tag})"),
        "waiting_cost_plan_usd": (split["plan_usd"], "USD",
                                  "Cost of waiting the plan itself causes: GPUs installed before their capacity's "
                                  f"planned date, with no grid delay (upper bound, as above{never_tag})"),
        "waiting_cost_delay_usd": (split["delay_usd"], "USD",
                                   "Cost of waiting the median grid delay adds (the total less the plan's own part; "
                                   "upper bound, as above" + (f"; {ttp_given}" if ttp_given else "") + ")"),
        "delay_cost_usd_per_month": (per_month, "USD/month", per_month_label),
    }, headline=True)
    # per calendar year (the months' stranded GPUs summed: GPU-months; idle capex is a monthly stock, so not summed)
    by_year = (wait.drop(columns="idle_capex_usd").groupby(wait.index.year.rename("year")).sum()
               .rename(columns={"stranded_gpus": "stranded_gpu_months"}))
    by_year[by_year["stranded_gpu_months"] > 0].round(0).astype("int64")  # whole GPU-months and USD
    """),
    md(f"""
    ## Capacity check
    The hourly facility power of the full build-out against each stage of the contracted
    capacity (and the firm share), with and without on-site PV, and what would cover the excess.
    That load is the typical year's hourly means at the fleet's own utilisation: its peak,
    `facility_peak_kw`, is below the design facility power `facility_design_kw` (design IT x the
    typical year's worst-hour PUE, `kw_per_gpu` x the GPUs) that the ramp above, the `tco`
    notebook's grid capacity and `offpeak_scheduling`'s site cap count; both are published, each
    label saying which is which. In the table the
    peak excess is the flexible load to curtail or the on-site generation to run; the battery
    columns give the power and energy a battery needs (`grid.capacity_check`), when one can work:
    `battery_usable_kwh` is the **usable** energy (what it gives between empty and full), and
    `battery_nameplate_kwh` the energy a site file's `battery.energy_mwh` states for it, with the
    site battery's state-of-charge window (`soc_min_frac`-`soc_max_frac`; without a site battery the
    default, 0-1): usable / (soc_max_frac - soc_min_frac). The power is the peak excess when that
    battery lasts at most {BATTERY_DURATION_RANGE_H[1]:g} h (usable energy / power, the longest a site
    file's battery may have) and the room under the limit recharges it; otherwise the smallest power
    that does both (more power recharges faster, never needing more energy), up to the contracted
    capacity (the largest battery power a site file accepts). `storage_at_peak_excess_h` is the hours
    of storage a battery of the peak excess's power would need (usable energy / power; inf where the
    room under the limit cannot recharge it). Above {BATTERY_DURATION_RANGE_H[1]:g} h a battery is no
    practical fix at the excess's power: the sizes are then the smallest battery within those rules,
    its power set by them, not by the excess, and the note above the table says so and what else
    closes the gap (curtail or cap the peak excess in the hours over, generate it on site, or phase
    the fleet later). A battery recharges only below the limit, so where the year has too little room
    under it to recharge what the battery gives, or where even at the contracted capacity it would need
    more than {BATTERY_DURATION_RANGE_H[1]:g} h of storage (a small excess lasting days), no battery size
    works: the `battery` column says infeasible and why, and the sizes are left empty.
    """),
    code(CAPACITY_CHECK),
    md("""
    ## Flexible-load headroom
    How much constant new load the system could take if that load accepts curtailment in at
    most a share of its annual energy (Norris et al., Duke Nicholas Institute, 2025; their 22-BA
    figures: 76 / 98 / 126 GW at 0.25 / 0.5 / 1 %). Default series: the bundled **synthetic**
    example, not a real utility.
    """),
    code("""
    if system_load_csv:  # found as render finds it: absolute, the working folder, then data/
        sysload = grid.read_system_load_csv(parameter_file(system_load_csv, "system_load_csv"))
        source = system_load_csv
    else:
        sysload = grid.example_system_load()
        source = "data/system_load_example.csv"
    # the bundled SYNTHETIC series, by default or given as a file (a copy of it, too): the title says so, not only
    # the legend (a title with the site's name over the example's curve read as the site's utility)
    synthetic = grid.is_example_system_load(sysload)
    if synthetic:
        source = f"SYNTHETIC example ({source})"
    limits = np.linspace(0.0005, 0.02, 50)
    curve = grid.headroom_curve(sysload, limits)
    duke = grid.headroom_curve(sysload)
    fig, ax = plt.subplots()
    ax.plot(curve.index * 100, curve["headroom_mw"] / 1000, color=plotting.COLORS["grid"], label=source)
    ax.plot(duke.index * 100, duke["headroom_mw"] / 1000, "o", color=plotting.COLORS["limit"],
            label="0.25 / 0.5 / 1 % (Duke study levels)")
    plotting.label(ax, f"{spec.name}: curtailment-enabled headroom"
                   + ("\\nof a synthetic example system load (bundled, not the site's utility)" if synthetic
                      else " of the system load"),
                   "curtailment limit [% of new load's annual energy]", "new load that fits [GW]", legend=True)
    plt.show()
    publish("headroom_0p5pct_frac_of_peak", float(duke.loc[0.005, "headroom_frac_of_peak"]), unit="frac",
            label=f"Headroom at 0.5 % curtailment, share of the system peak ({source})")
    """ + HEADROOM_TABLE),
    md(PV_BATTERY_TEXT),
    code("""
    meter_kw = net_kw  # facility - PV, negative in PV surplus hours: the battery stores that surplus first
    own = ic.battery is not None
    if own:  # the site's own battery and target
        # target bill: the least bill under the site's tariff, as the site chain and the TCO dispatch it
        shaved = grid.battery_dispatch(ic, meter_kw, tariff=(pipeline.site_tariff(spec) if ic.battery.target == "bill"
                                                             else None))
        p_kw, e_kwh = ic.battery.power_mw * 1000, ic.battery.energy_mwh * 1000
    else:  # an illustrative default battery shaving each month's peak (demand-charge target)
        p_kw = battery_power_frac * float(facility_kw.max())
        e_kwh = p_kw * battery_duration_h
        # a repeating year, as grid.battery_dispatch and the chain: it ends at the charge it starts with
        target = grid.demand_targets_kw(meter_kw, power_kw=p_kw, energy_kwh=e_kwh, soc_initial_frac="cyclic")
        shaved = grid.peak_shave(meter_kw, target, power_kw=p_kw, energy_kwh=e_kwh, soc_initial_frac="cyclic")
    size = f"{p_kw / 1000:.2f} MW / {e_kwh / 1000:.2f} MWh"
    bat = (f"the site's battery, {size}" if own else
           f"illustrative default battery, {size}, sized from battery_power_frac and battery_duration_h: "
           "not in the site file, not in the TCO")
    pv = "PV" if spec.solar.dc_kw > 0 else "PV (none: the site has no solar)"
    if not own:
        print(f"The site file has no interconnection.battery: the battery below is an {bat}.")
    month = lambda s: s.groupby(interval_start(s.index).month).max()  # noqa: E731
    peaks = pd.DataFrame({"facility_kw": month(facility_kw), "with_pv_kw": month(net_kw),
                          "with_pv_battery_kw": month(shaved["grid_kw"])})
    fig, ax = plt.subplots()
    for col, c, name in (("facility_kw", "facility", "facility"), ("with_pv_kw", "solar_line", "with PV"),
                         ("with_pv_battery_kw", "battery",
                          "with PV + battery" if own else "with PV + illustrative default battery")):
        ax.plot(peaks.index, peaks[col] / 1000, marker="o", color=plotting.COLORS[c], label=name)
    ax.set_xticks(range(1, 13))
    plotting.label(ax, f"{spec.name}: monthly peak grid import\\n(" + (f"site's battery {size}" if own else
                   f"illustrative default battery {size}: not in the site file, not in the TCO") + ")",
                   "month", "peak import [MW]", legend=True)
    plotting.include_zero(ax)  # from zero: cut to the peaks' range, a 2-10 % shave read as half the chart
    plt.show()
    # monthly targets are fixed in order (grid.demand_targets_kw): the repeating year's last month
    # gets what is left once it must end as charged as January started
    if (not own or ic.battery.target == "demand") and len(peaks) > 1:
        cut = peaks["with_pv_kw"] - peaks["with_pv_battery_kw"]
        last = int(interval_start(meter_kw.index)[-1].month)
        rest = cut.drop(last)
        who = "The site's battery" if own else "The illustrative default battery"
        why = ("the last month of the repeating year gets what is left after it must end as charged as the year "
               "began (the charge January's target was fixed from)")
        print(f"{who} lowers {calendar.month_name[last]}'s peak by {cut[last]:,.0f} kW, against "
              f"{rest.min():,.0f}-{rest.max():,.0f} kW in the other months"
              + (f": {why}." if cut[last] < rest.min() else f" ({why}; here it is not the smallest)."))
    bal = grid.energy_balance(shaved)
    # a site battery that never discharges (target: contract above the load's peak): say why, as the TCO does
    idle_what, idle_fix = battery_idle_reason(ic.battery, shaved) if own else ("", "")
    if idle_what:
        # the TCO's capex for it (data/costs.csv battery_usd_per_kwh, or the site's override) x its energy
        bat_capex_usd = float(tp["battery_usd_per_kwh"]) * tco_in.battery_kwh
        idle_note = (f"{idle_what}. So its losses are 0 kWh and the PV + battery peak reduction equals the PV-only "
                     "one" + (f", while the TCO pays {bat_capex_usd:,.0f} USD of capex for it" if bat_capex_usd > 0
                              else "") + f". {idle_fix}.")
        print(idle_note)
        publish({"battery_idle_note": (idle_note, None, "Why the site's battery never discharges")})
    site_grid_kw = shaved["grid_kw"] if own else net_kw  # the site as specified: no battery, PV only
    # a battery dispatched for the least bill may charge above the facility's peak where the bill gains by it (hours
    # no demand charge measures): the year's peak grid import then rises, and the grid connection must carry it
    raised_note = ""
    grid_peak, fac_peak = float(shaved["grid_kw"].max()), float(facility_kw.max())
    if own and grid_peak > fac_peak + 1e-6:
        step_h = (meter_kw.index[1] - meter_kw.index[0]) / pd.Timedelta("1h")
        over_h = float((shaved["grid_kw"] > fac_peak).sum() * step_h)
        raised = (f"its charging raises the year's peak grid import to {grid_peak:,.0f} kW, above the facility's own "
                  f"peak of {fac_peak:,.0f} kW, in {over_h:,.0f} h of the year")
        raised_note = (f" (target {ic.battery.target}: {raised}; a negative reduction is a higher peak, which the "
                       "grid connection must carry)")
        print(f"The site's battery (target {ic.battery.target}, the least bill): {raised}. The grid connection must "
              "carry that peak (the dispatch keeps within the contracted capacity, the interconnection phases' MW).")
    publish({
        # MWh, as site_analysis publishes them (pv_mwh, pv_spilled_mwh)
        "pv_mwh": (float(power.energy_from_power(pv_kw).sum()) / 1000.0, "MWh", "PV energy in the year"),
        "battery_power_kw": (p_kw, "kW", f"Battery power ({bat})"),
        "battery_energy_kwh": (e_kwh, "kWh", f"Battery energy ({bat})"),
        "battery_losses_kwh": (bal["losses_kwh"], "kWh", f"Battery losses in the year ({bat})"),
        "pv_spilled_mwh": (float(power.energy_from_power((-site_grid_kw).clip(lower=0)).sum()) / 1000.0, "MWh",
                           "PV neither used by the facility nor stored in the site's battery (no export credit)" if own
                           else "PV the facility cannot use (the site has no battery; no export credit)"),
    })
    # the headline describes the site as specified: with its own battery, or PV only when it has none; a reduction
    # of each month's highest hour of all hours, which a TOU demand charge does not bill (its own period's peak)
    all_hours = " (each month's highest hour of all hours, not necessarily the billed demand)"
    reductions = {
        "peak_reduction_pv_kw_mean": (float((peaks["facility_kw"] - peaks["with_pv_kw"]).mean()), "kW",
                                      f"Mean monthly peak reduction{all_hours}, {pv} only"
                                      + ("" if own else " (the site has no battery)")),
        "peak_reduction_kw_mean": (float((peaks["facility_kw"] - peaks["with_pv_battery_kw"]).mean()), "kW",
                                   f"Mean monthly peak reduction{all_hours}, {pv} + {bat}"
                                   + (" (it never discharges: the same as PV only)" if idle_what else "")
                                   + raised_note),
    }
    head = "peak_reduction_kw_mean" if own else "peak_reduction_pv_kw_mean"
    publish({k: v for k, v in reductions.items() if k != head})
    publish({head: reductions[head]}, headline=True)
    peaks.round(0)
    """),
]

if __name__ == "__main__":
    # -p system_load_csv is read before any run (dcplan.interconnection_params): a bad file is bad input, not a failed run
    # every cell after the setup's checks the parameters it was computed with (README: run from the top)
    guard_cells(cells, ("run_params = parameter_values", "set_up=run_params"))
    write("notebooks/interconnection.ipynb", cells, peers=False, scope="site", requires=["interconnection"],
          precheck="dcplan.interconnection_params:precheck", parameters={
        "order_delay_months": dict(min=-120, max=600, also=[-999]),  # dcplan.grid.time_to_power's range; -999: the site's
        "server_usd_per_gpu": dict(min=0, also=[-1]), "facility_usd_per_mw": dict(min=0, also=[-1]),
        # the site spec's largest price per GPU-hour (dcplan.specs.finance.REVENUE_MAX_USD_PER_GPU_H)
        "revenue_usd_per_gpu_h": dict(min=0, max=REVENUE_MAX_USD_PER_GPU_H, also=[-1]),
        # 0 has no battery to size; a battery of more than the site's peak facility power has nothing
        # more to shave (no export): at most 1 (1e6 published a 5.3 GW battery for a 5.3 MW site)
        "battery_power_frac": dict(min=0, min_exclusive=True, max=1),
        # the site spec's battery duration range (dcplan.specs.interconnection.BATTERY_DURATION_RANGE_H)
        "battery_duration_h": dict(min=BATTERY_DURATION_RANGE_H[0], max=BATTERY_DURATION_RANGE_H[1])})
