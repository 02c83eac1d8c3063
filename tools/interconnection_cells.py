"""Code pieces of notebooks/interconnection.ipynb's cells, kept out of tools/build_interconnection.py (the
builder) so it stays under STYLE's ~600 lines. Each piece is indented as the builder's cell strings (4 spaces)
and concatenated into a cell there; code() dedents the whole cell.

- TTP_TEXT: the time to power in words with its caveats, or, every phase in service, why none is published.
- FIRST_POWER: when power first arrives for the new capacity (dcplan.grid.first_power), and its labels.
- ON_TIME: the chance of meeting the planned energization date (dcplan.grid.on_time_frac), and, when the
  site file lists no long-lead equipment, the grid-only median beside the headline (dcplan's default list).
- FIRM_RAMP / FIRM_PLOT / FIRM_PUBLISH: non-firm capacity (firm_frac < 1) said, and the firm-only ramp.
- PLAN_GAPS: the plan's own gaps (a phase too small for the fleet installed by then), printed and published.
- CAPACITY_CHECK: the full build-out against each stage of the contracted capacity (dcplan.grid.capacity_check),
  what a battery above the peak excess is (dcplan.grid.battery_fix_note) and the first stage's figures, published.
- HEADROOM_TABLE: the headroom table with its shares in percent to two decimals.
"""

#: Time-to-power cell, after ``ttp``, ``items``, ``d_order``, ``order_delay``, ``driver`` and ``ttp_caveats``: the time
#: to power in words, or why none is published (every phase in service); defines ``med`` and ``nothing_pending``.
TTP_TEXT = """
    med = ttp.loc[0.5]
    # equipment ordered early enough is there before filing: its months after filing are clamped at 0
    clamped = bool(items) and d_order < 0 and bool((ttp["equipment_months"] <= 0).any())
    # before / after filing with a positive number of months (grid.order_delay_words)
    when = (f"ordered {ic.equipment_ordered}, {grid.order_delay_words(d_order)} (interconnection.equipment_ordered)"
            if order_delay is None and ic.equipment_ordered is not None
            else f"ordered {grid.order_delay_words(d_order)}")
    kit = (f"({', '.join(items)}: data/equipment_lead_times.csv, {when})" if items else
           "(none: interconnection.equipment: none, so the equipment column is 0)")
    # every phase in service: no wait from filing applies to the site, so no time to power is published
    nothing_pending = grid.no_pending_note(ic)
    if nothing_pending:
        print(nothing_pending)
    else:
        print(f"Time to power is the later of that grid wait and the site's long-lead equipment {kit}, as the "
              f"substation is energized only when both are there. Median: grid {med['grid_months']:.1f}, equipment "
              f"{med['equipment_months']:.1f}"
              + (f" (months after filing; 0.0, here and in the table below, is clamped at the filing date: equipment "
                 f"ordered {grid.order_delay_words(d_order)} that arrives before it waits for the grid)"
                 if clamped else "")
              + f", time to power {med['time_to_power_months']:.1f} months, {driver}. The first pending phase is "
              "energized on the filing date plus the time to power (or on its planned date, if later); each later "
              "phase keeps its planned months after it. " + ttp_caveats)
        for note in grid_lead_time.equipment_tail_notes(items):  # a reported tail the distribution leaves out
            print(note)
    # given months waited: the whole wait from filing (unconditioned) beside it, for a planner who needs it
    unconditioned = {}
    if ttp_given and not nothing_pending:
        ttp_all = grid.time_to_power(ic_unconditioned, order_delay_months=order_delay)["time_to_power_months"]
        unconditioned = {f"time_to_power_{k}_unconditioned_months": (float(ttp_all.loc[q]), "months", (
            f"Time to power from filing, {grid_lead_time.quantile_words(q)}, over the whole wait from filing (not "
            f"{ttp_given}): what a new request would face")) for q, k in ((0.1, "p10"), (0.5, "median"), (0.9, "p90"))}
        print(f"The time to power is {ttp_given} (interconnection.filed {ic.filed} to the plan's date): only the "
              "part of the wait not yet elapsed is uncertain, P(T <= t | T > w) = (F(t) - F(w)) / (1 - F(w)), so every figure "
              "below (quantiles, dates, ramp band, cost of waiting, chance of power by the planned date) is given "
              f"that wait. The whole wait from filing: median {ttp_all.loc[0.5]:.1f}, p10 {ttp_all.loc[0.1]:.1f}, p90 "
              f"{ttp_all.loc[0.9]:.1f} months (published as time_to_power_*_unconditioned_months).")
"""

#: Time-to-power cell, after ``dates``, ``driver`` and the 0 MW phases in ``ic``: when power first arrives for the
#: new capacity, printed; defines ``fp`` (p50 and p90), ``live``, ``pending`` and ``first`` (the first-power labels).
FIRST_POWER = """
    zero = [p.label or f"phase {i + 1}" for i, p in enumerate(ic.phases) if p.mw == 0]
    if zero:
        print(f"{', '.join(zero)}: 0 MW, left out of the dates below: no capacity, so neither the queue delay nor "
              "the first power date counts from it.")
    # when power first arrives for the new capacity (grid.first_power's new_power), the date every notebook
    # publishes as first_energized_*: on an existing campus the first phase not already in service, which its new
    # halls wait for; the capacity in service is no queue date and is published apart (in_service_since)
    fp = {q: grid.first_power(dates, q) for q in ("p50", "p90")}
    live = fp["p50"]["in_service_since"] is not None
    pending = fp["p50"]["pending"] is not None
    if live:
        print(f"Power already in service since {fp['p50']['in_service_since']:%Y-%m-%d} "
              f"({fp['p50']['in_service_mw']:g} MW, no queue delay: it powers the halls running on it); "
              + (f"the new capacity's first phase ({fp['p50']['pending_label']}, {fp['p50']['pending_mw']:g} MW) is "
                 f"energized on {fp['p50']['pending']:%Y-%m-%d} (median), {fp['p90']['pending']:%Y-%m-%d} (p90)."
                 if pending else "no phase is pending."))
    # the dates are the time to power's given the months waited (ttp_given), as its figures: the labels say so too
    given = f", {ttp_given}" if ttp_given else ""
    if not live:
        first = {q: f"First phase energized, {q}{given}" + (f" ({driver})" if q == "median" else "")
                 for q in ("p90", "median")}
    elif pending:
        first = {q: (f"First power for new capacity, {q}{given}: the first pending phase "
                     f"({fp['p50']['pending_label']}, {fp['p50']['pending_mw']:g} MW) energized"
                     + (f" ({driver})" if q == "median" else "")
                     + "; the capacity in service is dated apart (in_service_since)") for q in ("p90", "median")}
    else:
        first = {q: f"First power: {fp['p50']['in_service_mw']:g} MW already in service since (no queue delay)"
                 for q in ("p90", "median")}
"""

#: Time-to-power cell, after ``med``, ``driver``, ``items``, ``dates``, ``fp`` and ``nothing_pending``; defines
#: ``extra_head`` (published with the headline, beside the median time to power) and ``on_time_head``.
ON_TIME = """
    # the chance of meeting the planned date (dcplan.grid.on_time_frac): the time to power's CDF at the first
    # pending phase's planned months from filing; later pending phases slip by the same delay, so it is theirs too
    on_time = grid.on_time_frac(ic, order_delay_months=order_delay)
    on_time_head = {}
    if on_time is not None:
        ph = dates[~dates["in_service"]].iloc[0]
        lead = grid.planned_lead_months(ic)
        parts = "the grid wait and the long-lead equipment" if items else "the grid wait alone"
        on_time_head["p_on_time_frac"] = (on_time, "frac", (
            # the share in words too (less than 0.1 % for a tail's 1e-16), as the TCO's npv_case_grid_on_time_frac
            f"Chance of power by the planned date ({share_words(on_time)} of the modelled outcomes): the first pending "
            f"phase ({ph['label']}, {ph['mw']:g} MW, planned "
            f"{ph['planned']:%Y-%m-%d}, {lead:.1f} months from filing) energized by then, i.e. the time to power "
            f"({parts}) within {lead:.1f} months (dcplan.grid's lead-time model; each later phase slips with it). "
            + ON_TIME_DIFFERENCE_NOTE  # why the TCO's npv_case_grid_on_time_frac can be slightly above it
            # equipment figures mapped to percentiles (the transformer's averages and maximum): a small chance rests
            # on a lower tail no source gives
            + "".join(f" {n}." for n in grid_lead_time.equipment_mapping_notes(items))
            + (f" It is the chance {ttp_given} (the whole wait from filing: p_on_time_unconditioned_frac)."
               if ttp_given else "")))
        if ttp_given:
            on_time_whole = grid.on_time_frac(ic_unconditioned, order_delay_months=order_delay)
            on_time_head["p_on_time_unconditioned_frac"] = (on_time_whole, "frac", (
                f"Chance of power by the planned date over the whole wait from filing ({share_words(on_time_whole)} of "
                f"the modelled outcomes; not {ttp_given}): what the figures said before the months waited were "
                "counted"))
        print(f"Chance of power by the planned date ({ph['label']}, {ph['planned']:%Y-%m-%d}, {lead:.1f} months from "
              f"filing): {share_words(on_time)} of the modelled outcomes; the median time to power is "
              f"{abs(med['time_to_power_months'] - lead):.1f} months "
              + ("after" if med["time_to_power_months"] >= lead else "before") + " the plan.")
    # the equipment list nobody gave: dcplan's default (data/SOURCES.md: "a dcplan default, not a sourced figure"),
    # so the grid wait alone is shown beside the headline median
    extra_head = {}
    if items and grid_lead_time.default_equipment(ic) and not nothing_pending:
        # the time to power with no equipment: the grid wait, given it is longer than the months waited (the table's
        # grid_months is given that the later of the two is, which may be the equipment's)
        grid_only = float(grid.time_to_power(ic, equipment=()).loc[0.5, "grid_months"])
        on_time_grid = grid.on_time_frac(ic, equipment=())
        print(f"The long-lead equipment above is dcplan's default equipment list ({', '.join(items)}; data/SOURCES.md: "
              "a dcplan default, not a sourced figure), not the site's: the site file gives no "
              f"interconnection.equipment. With the grid wait alone (equipment: none) the median time to power is "
              f"{grid_only:.1f} months, against {med['time_to_power_months']:.1f} with the default list"
              + (f", and the chance of power by the planned date {share_words(on_time_grid)}"
                 if on_time_grid is not None else "")
              + ". Give the site's own items (or none), and equipment_ordered, in its interconnection: section."
              # given months waited, no power by then may be the equipment's: the grid wait alone, given it is longer
              # than them, can be the longer median
              + (f" Both are {ttp_given}: the grid wait alone given that it is longer, the time to power given that "
                 "the later of the two is, which may be the equipment's" if ttp_given else ""))
        extra_head["time_to_power_median_grid_only_months"] = (grid_only, "months", (
            "Time to power from filing, median, the grid wait alone (no long-lead equipment): beside the headline "
            "median, which adds dcplan's default equipment list (the site file gives no interconnection.equipment)"
            + (f"; {ttp_given}" if ttp_given else "")))
        if on_time_grid is not None:
            publish({"p_on_time_grid_only_frac": (on_time_grid, "frac", (
                f"Chance of power by the planned date with the grid wait alone ({share_words(on_time_grid)} of the "
                "modelled outcomes; no long-lead equipment), beside "
                "p_on_time_frac, which adds dcplan's default equipment list" + (f"; {ttp_given}" if ttp_given else "")))})
"""

#: Ramp cell, after ``rb``: the non-firm capacity and the firm-only ramp (median); defines ``nonfirm_mw``,
#: ``rb_firm`` (None when every phase is firm) and ``firm_tag`` (appended to the waiting labels).
FIRM_RAMP = """
    # non-firm capacity (a phase's firm_frac < 1: the utility may curtail it) powers GPUs in this ramp, the stranded
    # GPU-months and the cost of waiting as firm capacity does; the ramp on firm capacity alone is shown beside it
    nonfirm_mw = float((dates["mw"] - dates["firm_mw"]).sum())
    rb_firm, firm_tag = None, ""
    if nonfirm_mw > 1e-9:
        rb_firm = grid.ramp_band(ic, kw_per_gpu, gpus_added, order_delay_months=order_delay, gpus_per_unit=unit_gpus,
                                 quantiles=(0.5,), start=rb.index[0], end=rb.index[-1], firm_only=True)
        firm_end = float(rb_firm["powered_gpus_p50"].iloc[-1])
        # the GPUs the firm capacity never powers are a shortfall of firm capacity, not a wait: left out of the
        # firm-only GPU-months, as stranded_gpu_months leaves out those the full contract never powers
        # (grid_waiting.firm_only_waiting)
        firm_wait = firm_only_waiting(rb_firm, kw_per_gpu, unit_gpus)
        firm_tag = (f"; counts the non-firm {nonfirm_mw:g} MW (firm_frac < 1) as powering GPUs at full revenue: on "
                    "firm capacity alone see stranded_gpu_months_firm_only")
        print(f"Non-firm capacity: {nonfirm_mw:g} of {float(dates['mw'].sum()):g} MW contracted is non-firm (firm_frac "
              "< 1: the utility may curtail it). The ramp, the stranded GPU-months and the cost of waiting count it "
              "as powering GPUs at full revenue, as firm capacity; on firm capacity alone the median ramp powers "
              f"{firm_end:,.0f} of {n_gpus:,} GPUs at its end (against {float(rb['powered_gpus_p50'].iloc[-1]):,.0f}), "
              "the dotted line below"
              + (f"; the {firm_wait['never_powered_gpus']:,.0f} GPUs the firm capacity never powers are a shortfall of "
                 "firm capacity, not a wait, and are left out of stranded_gpu_months_firm_only"
                 if firm_wait["never_powered_gpus"] > 0 else "") + ".")
"""

#: Ramp cell, in the GPUs plot (``ax2``): the firm-only median.
FIRM_PLOT = """
    if rb_firm is not None:
        ax2.step(rb_firm.index, rb_firm["powered_gpus_p50"], where="post", color=plotting.COLORS["it"], ls=":",
                 label="powered on firm capacity only, median")
"""

#: Ramp cell, after its publish: the firm-only figures.
FIRM_PUBLISH = """
    if rb_firm is not None:
        publish({
            "powered_gpus_firm_only": (firm_end, "GPUs", "GPUs powered at the ramp's end on the firm capacity alone "
                                       "(median grid delay; the non-firm share, firm_frac < 1, left out)"),
            "stranded_gpu_months_firm_only": (
                firm_wait["gpu_months"], "GPU-months",
                "Installed but unpowered, median case" + (f", {ttp_given}" if ttp_given else "")
                + ", on the firm capacity alone: beside stranded_gpu_months, "
                "which counts the non-firm share as powering GPUs"
                + (f"; the {firm_wait['never_powered_gpus']:,.0f} GPUs the firm capacity never powers left out (a "
                   "shortfall of firm capacity, not a wait: powered_gpus_firm_only)"
                   if firm_wait["never_powered_gpus"] > 0 else "")),
        })
"""

#: Cost-of-waiting cell, after ``ramp_plan``: that the costs are nominal; the plan's own gaps, printed and published.
PLAN_GAPS = """
    print("The costs of waiting below are nominal: each month's USD summed over the years the waiting spans, not "
          "discounted to a present value (the tco notebook's NPV discounts).")
    # the plan's own gaps (dcplan.grid_waiting.plan_gaps, as site_analysis's verdict): GPUs installed before the
    # capacity that powers them is planned, e.g. a first phase too small for the first fleet phase
    unit_name = unit_noun(fleet.loc[fleet["accelerators"] > 0, "hardware"], unit_gpus)
    gap_lines, gap_gpus = plan_gap_lines(ramp_plan, ic, unit_gpus, unit_name, kw_per_gpu)
    # a powered count on a knife edge, within 0.05 % of power and 0.1 units of another whole count
    # (dcplan.grid_waiting.plan_gap_fit_words): said in the label
    gap_edges = [f for f in plan_gap_fit_words(ramp_plan, ic, unit_gpus, unit_name, kw_per_gpu) if f]
    if gap_lines:
        print("WARNING: the plan leaves GPUs unpowered even with the grid on its planned dates (a phase too small "
              "for the fleet installed by then): " + "; ".join(gap_lines) + f"; at {kw_per_gpu:.3f} kW/GPU.")
    publish({
        "plan_gap_gpus_max": (gap_gpus, "GPUs", "Most GPUs installed but unpowered in a month with the grid on its "
                              "planned dates, before a later phase powers them (the plan's own gap; the GPUs the "
                              "full contract never powers left out)"),
        "plan_gap_units_max": (gap_gpus / unit_gpus, unit_name if unit_gpus > 1 else "GPUs",
                               f"The same in whole {unit_name} of {unit_gpus} GPUs, as the ramp powers them"
                               + "".join(f"; the {unit_name} the capacity powers: {e}" for e in gap_edges)),
    })
"""

#: Capacity-check cell, after ``dates``, ``ic``, ``facility_kw``, ``net_kw``, ``it_kw``, ``worst``, ``design_it_kw``,
#: ``n_gpus`` and ``spec``: the full build-out against each stage, printed, published (the first stage) and shown.
CAPACITY_CHECK = """
    stages = {}  # each stage of the contracted capacity, cumulative, and the firm share: its capacity [kW]
    total = 0.0
    for d, r in dates.iterrows():
        total += r["mw"]
        stages[f"full build-out vs {r['label']} ({total:g} MW)"] = total * 1000.0
    # the phase after each cumulative stage (None: the last, and the firm-only stage below), for phasing the fleet later
    labels = list(dates["label"])
    after = {k: (labels[i + 1] if i + 1 < len(labels) else None) for i, k in enumerate(stages)}
    firm_mw = float(dates["firm_mw"].sum())
    if firm_mw < total:
        stages[f"full build-out vs firm only ({firm_mw:g} MW)"] = firm_mw * 1000.0
    # the nameplate of the usable energy: the site battery's state-of-charge window, else the spec's default (0-1);
    # its round-trip efficiency too (a battery feasible at 0.85 may not be at the site's own 0.65)
    soc_lo, soc_hi = (ic.battery.soc_min_frac, ic.battery.soc_max_frac) if ic.battery is not None else (0.0, 1.0)
    from dcplan.specs.interconnection import BATTERY_DURATION_RANGE_H, BATTERY_ROUND_TRIP_EFF_FRAC
    rte = ic.battery.round_trip_eff_frac if ic.battery is not None else BATTERY_ROUND_TRIP_EFF_FRAC
    print(f"Battery energy: battery_usable_kwh is usable energy; battery_nameplate_kwh = usable / ({soc_hi:g} - "
          f"{soc_lo:g}), the nameplate for the state-of-charge window {soc_lo:g}-{soc_hi:g} ("
          + ("the site battery's soc_min_frac-soc_max_frac" if ic.battery is not None
             else "the default: the site file has no battery") + f"); round-trip efficiency {rte:g} ("
          + ("the site battery's" if ic.battery is not None else "the default, NREL ATB") + ").")
    rows, fixes, none_needed = {}, {}, []
    for name, cap in stages.items():
        for load_name, load in (("facility", facility_kw), ("with PV", net_kw)):
            cc = grid.capacity_check(load, cap, soc_min_frac=soc_lo, soc_max_frac=soc_hi, round_trip_eff_frac=rte)
            b = cc.options.loc["battery"]
            ok = bool(b["feasible"])
            # what the battery option is, with its kW and hours, said above the table (grid.battery_note): none
            # needed; one of the excess's power; one raised above it by the 12 h limit (no practical fix at the
            # excess's power) or to recharge between the peaks (grid.battery_fix_note); or no practical battery
            fix = grid.battery_fix_note(cc)
            if cc.peak_excess_kw > 0:
                nxt = after.get(name)
                fixes[f"{name}, {load_name}"] = grid.battery_note(cc) + (
                    f", or phase the fleet later (install what this stage cannot carry once {nxt} is energized: the "
                    "ramp above)" if nxt else ", or contract more capacity")
            else:
                none_needed.append(f"{name}, {load_name}")
            # an infeasible battery's sizes are no battery option: left empty, and the column says why
            # (too little room under the limit to recharge, or more hours of storage than a battery's)
            rows[f"{name}, {load_name}"] = pd.concat([cc.summary(), pd.Series({
                "storage_at_peak_excess_h": float(b["storage_at_peak_excess_h"]),
                "battery_kw": float(b["power_kw"]) if ok else np.nan,
                "battery_usable_kwh": float(b["energy_kwh"]) if ok else np.nan,
                "battery_nameplate_kwh": float(b["nameplate_kwh"]) if ok else np.nan,
                "battery": ("none needed: no hour over" if cc.peak_excess_kw <= 0 else
                            ("feasible only above the peak excess: see the note above" if fix else "feasible") if ok
                            else f"infeasible: {b['infeasible_reason']}")},
                dtype=object)])
    check = pd.DataFrame(rows).T
    if fixes:
        print("The battery for the full build-out's excess (the whole fleet's load against each stage, not the fleet "
              "installed by then):")
    for k, v in fixes.items():
        print(f"Battery in {k}: {v}.")
    if none_needed:
        print("No battery needed in: " + "; ".join(none_needed) + " (the full build-out's load is within the stage's "
              "capacity in every hour).")
    first_stage = next(iter(stages))
    first_words = first_stage.removeprefix("full build-out vs ")
    row1 = check.iloc[0]
    s_h = float(row1["storage_at_peak_excess_h"])
    # the two full-build-out peaks side by side: the hourly load's (what this check counts) and the design
    # figure (design IT x the typical year's worst-hour PUE: kw_per_gpu x the GPUs, what sizing counts)
    publish({**design_hours.facility_peak_figures(facility_kw, it_kw, worst, design_it_kw, n_gpus, spec.fleet),
             "hours_over_first_stage_h": (float(row1["hours_over_h"]), "h",
                                          f"Hours the full build-out's hourly facility power (the load of "
                                          f"facility_peak_kw, at the fleet's own utilisation) exceeds the first "
                                          f"stage's capacity ({first_words}), not the fleet deployed by then"),
             "peak_excess_first_stage_kw": (float(row1["peak_excess_kw"]), "kW",
                                            "Peak excess of the same load over the first stage's capacity "
                                            f"({first_words}): the load to curtail or cap, or to generate on site, "
                                            "in the hours_over_first_stage_h"),
             # inf: at the excess's power the room under the limit cannot recharge a battery (no energy suffices)
             "storage_at_peak_excess_first_stage_h": (
                 (s_h, "h") if np.isfinite(s_h) else
                 ("n/a: at that power the hours under the limit cannot recharge what a battery gives (its deficit "
                  "grows every year): no battery of the excess's power is a fix", None))
             + (f"Hours of storage (usable energy / power) a battery of the peak excess's power "
                f"(peak_excess_first_stage_kw) would need to hold the same load to the first stage's capacity "
                f"({first_words}), recharged only below it, the year repeating (0: no excess); above "
                f"{BATTERY_DURATION_RANGE_H[1]:g} h, the longest battery a site file accepts, a battery is no "
                "practical fix at that power",)})
    num = [c for c in check.columns if c != "battery"]
    check[num] = check[num].astype(float).round(1)
    with pd.option_context("display.max_colwidth", None):  # the battery column's reason in full
        display(check)
"""

#: Headroom cell's last expression: the table, shares in percent to two decimals (``.round(3)`` showed
#: curtailed_frac at the 0.25 % limit as 0.002).
HEADROOM_TABLE = """
    shown = duke.copy()
    pct = [c for c in shown.columns if "_frac" in c]  # curtailed_frac, headroom_frac_of_peak, retained_ge_50pct_frac
    shown[pct] = shown[pct] * 100.0
    shown = shown.rename(columns={c: c.replace("_frac", "") + " [%]" for c in pct})
    shown.index = pd.Index(shown.index * 100.0, name="curtailment limit [% of the new load's energy]")
    shown.round(2)
"""
