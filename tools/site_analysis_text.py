"""Texts of notebooks/site_analysis.ipynb's cells, moved out of tools/build_site_analysis.py (the builder)
to keep it near STYLE's ~600 lines; the notebook it writes is unchanged by the move."""

#: The "Verdict" section's markdown (md() dedents it, as it did in the builder).
VERDICT_TEXT = """
    ## Verdict

    This site ranked among the portfolio's sites under the same overrides (`dcplan.site_verdict`):
    annual PUE, electricity per million tokens (each site over its own weather year, at its own
    utilisation and example throughput; GPU-hours of different generations are not comparable)
    and when power arrives (the median date the site's new capacity is first energized, as months
    after the earliest such date among the sites: not months from each site's own filing, since
    sites file on different dates; on an existing campus the first phase not already in service,
    which its new halls wait for, with the capacity in service dated apart), lowest first. First on two of the three reads as a strong candidate,
    last on two as a weak one. Each site is ranked with its own fleet and cooling plant: when the
    others run another plant or other accelerators the verdict says so, since its ranks then
    compare the fleets and plants as well as the locations (set `cooling` to one reference plant
    to compare climates alone). Electricity is ranked as the `portfolio_comparison` notebook ranks it: each
    site's bill restated at one price date, the latest of the sites' tariff price dates, escalated as the
    `tco` notebook escalates a bill (`finance.electricity_escalation_frac` in whole 12-month steps;
    `dcplan.portfolio_prices`), since bills at tariffs of different dates are of different years' prices. The
    verdict gives the site's own cost at its tariff's prices (`electricity_usd_per_m_tokens` above) and, when a
    bill was escalated, the date the rank compares the sites at, each site's price date and this site's factor:
    the rank then rests in part on that assumed escalation. A grid draw over the contracted capacity must be
    covered first, whatever the ranks, and a site whose cooling plant is short of its IT in some hour of the
    typical year, or whose contract leaves GPUs never powered, is "not a candidate as specified"
    whatever its ranks: fix the plant or the contract, then compare again.

    This is not the rule of the `portfolio_comparison` notebook's ranking, a weighted score of
    five criteria (electricity cost, when power arrives, PUE, grid carbon and derate hours, each
    min-max scaled across the sites, weighted by its parameters): a site last on that score can
    be middle of the pack here.
    """

#: The "On-site PV" cell's detail (inside its ``if pv_kw > 0:``; code() dedents the cell): every ``solar:``
#: field the model ran with and its source, the month-by-month output with the inverters' clipping
#: (dcplan.solar_report), and three figures of it.
PV_DETAIL_CODE = """
        # every solar: field the model ran with and where it comes from ("site file" or "default"), and the
        # output month by month with the inverters' clipping (dcplan.solar_report; the site's solar warnings
        # are given once, above): dc_mwh is the array's DC before the inverter, clipped_frac = clipped_dc_mwh /
        # dc_mwh (DC over DC); clipping from hourly means undercounts the minutes an hour clips (a lower bound)
        display(solar_report.solar_inputs_table(spec).set_index("field"))
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", DcplanWarning)
            pv_months = solar_report.pv_monthly_table(spec, y.weather)
        display(pv_months.round({"pv_mwh": 1, "peak_pv_kw": 0, "ac_rating_kw": 0, "dc_mwh": 1, "clipped_dc_mwh": 1,
                                 "clipped_h": 0, "clipped_frac": 4}))
        publish({
            "pv_peak_ac_kw": (float(pv_months["peak_pv_kw"].max()), "kW", "PV's highest hourly AC output in the "
                              "typical year (year 1; the inverters' AC rating is pv_ac_rating_kw)"),
            "pv_ac_rating_kw": (float(pv_months["ac_rating_kw"].iloc[0]), "kW",
                                "PV inverters' AC rating: DC nameplate / solar.dc_ac_ratio"),
            "pv_clipped_dc_mwh": (float(pv_months["clipped_dc_mwh"].sum()), "MWh", "PV DC energy the inverters "
                                  "clip at their AC rating in the typical year (year 1), from hourly means: "
                                  "clipping within an hour is not counted, so a lower bound, more so at a high "
                                  "DC/AC ratio (PVWatts is hourly alike)"),
        })
"""

#: The "Sustainability export" section's markdown (md() dedents it).
SUSTAINABILITY_TEXT = """
    ## Sustainability export

    With `export_dir` set (`outputs` by default; empty for none), one CSV row, `<site>_sustainability.csv`:
    the year's energy, PUE, grid carbon with its basis and source, the PV's avoided carbon (not in the
    Scope 2 inventory), water with its split and WUE, each header with its unit, the numbers published
    above unrounded (`dcplan.sustainability`); `dcplan render` keeps it beside the report and lists it. Its
    `case` column says whether the figures are the site as specified; a run with `cooling`, `fleet_scale`,
    `pv_dc_kw` or `tariff_file` changed says which, and its file is named for the case
    (`<site>_cooling-air_sustainability.csv`), so it neither passes for the site's own figures nor replaces
    them (`dcplan.site_analysis_case`). The hourly export below does the same (its about file's `case` row).
    `<site>` is the site id (with the case, `<site>_<case>`) as long as the exports' names fit a file name's
    255 bytes; a longer one is shortened to its start, `-` and a hash of the whole, the same on every run
    (`dcplan.site_analysis_case.export_stem`), and the print below names the file written.
    """

#: The "Hourly export" section: the site-year hour by hour (dcplan.site_hourly), for a reviewer checking the annual
#: figures in a spreadsheet.
HOURLY_TEXT = """
    ## Hourly export

    With `export_dir` set, the year hour by hour, `<site>_hourly.csv` (`<site>` as above, shortened when
    long): one row per hour of the typical weather year (8,760, or 8,784 in a leap year), stamped with the
    hour's end on the site's civil clock and its UTC offset (ISO 8601; a daylight-saving zone has a 23-hour day in spring and a 25-hour
    day in autumn, its repeated clock hour told apart by the offset), with the weather, the IT, the
    electrical losses, the cooling plant and its parts, the facility, the PV (AC, clipped DC, spilled),
    the site battery's dispatch (with one), the grid import, the tariff's energy price and periods (with
    a tariff) and the cooling towers' water, each header with its unit (`dcplan.site_hourly`). Its
    columns add up to the annual figures above (`it_mwh`, `facility_mwh`, `pv_mwh`, `grid_mwh`,
    `water_m3`) to the rounding (kW to 0.1: within 0.44 MWh a year), and facility = IT + fan uplift +
    losses + cooling in every hour. `<site>_hourly_about.csv` beside it says what each column is and
    where it comes from; `dcplan render` keeps both beside the report and lists them.
    """

#: The "Hourly export" cell: writes dcplan.site_hourly's table and its about sidecar.
HOURLY_CODE = """
    # the year hour by hour and what each column is (dcplan.site_hourly), whole or not at all: the chain's series
    check_parameters_unchanged(globals(), site_year=year_params, outcome="nothing was written")  # run from the top
    from dcplan import site_hourly

    if export_dir:
        path = site_hourly.write_hourly_csv(y, check_export_outside_reports(export_dir), tag=case_tag(site_params),
                                            case=case_text(site_params))
        print(f"The year hour by hour ({len(y.weather):,} rows) written to {path}; what each column is: "
              f"{path.with_name(site_hourly.about_name(spec.id, case_tag(site_params)))}.")
    else:
        print("export_dir is empty: no hourly CSV written")
"""

#: The "Electricity bill" section's markdown (md() dedents it): the date the bill's prices are at, and a grid draw
#: over the contract.
BILL_TEXT = """
    ## Electricity bill

    The typical year's grid draw billed at the tariff's own prices: those in force from its URDB
    `startdate`, which the headline's label gives (`bill_price_date`), **not escalated** to the years the
    fleet runs. Sites whose tariffs are of different dates (the bundled APS tariff's prices are of 2024-03,
    the ComEd one's of 2027-06) show bills of different years: the `tco` notebook escalates each bill by
    `finance.electricity_escalation_frac` from its date to each month it pays, and dcplan warns when the
    prices are more than three years older than the project start (`dcplan.tco_electricity`). A site whose
    grid draw is over its contracted capacity (`hours_over_contract_h` below) is billed on the whole
    fleet's load, power the grid cannot deliver: its label says so, and `bill_within_contract_usd` is the
    bill with each hour's draw capped at the contract.
    """

#: The "Electricity bill" cell: the headline bill (with its price date and, over the contract, the capped bill), its
#: lines, notes and the monthly chart.
BILL_CODE = """
    if y.bill is None:
        print("The site has no tariff: no bill.")
    else:
        # the headline names the tariff and where its prices' sources are said: data/SOURCES.md for a
        # bundled tariff (modeled on a schedule, some prices dcplan estimates), else the tariff's own source
        tariff = pipeline.site_tariff(spec)
        # a grid draw over the contract: the bill is of power the grid cannot deliver; the bill of the draw capped
        # at the contract beside it (dcplan.site_bill.bill_within_contract; None when the draw stays within it)
        capped = site_bill.bill_within_contract(spec, y, tariff)
        capped_usd = None if capped is None else float(capped.total_usd)
        # the label also says the date the prices are at (the tariff's startdate) and that the bill is not escalated
        # a tariff of another utility than the site's (the JSON's utility against interconnection.utility) is
        # warned (dcplan.site_tariff_utility) and said beside the bill, naming both
        utility = site_tariff_utility.tariff_utility(spec.tariff_path) if spec.tariff_path is not None else None
        own = spec.interconnection.utility if spec.interconnection is not None else None
        whose = ("" if utility is None or not own or not site_tariff_utility.tariff_utility_warnings(spec) else
                 f"; the tariff of {utility}, NOT the site's utility ({own}): a stand-in")
        publish({"bill_usd": (f["bill_usd"], "USD", site_bill.bill_label(spec, tariff, y.bill, y=y,
                                                                          capped_usd=capped_usd) + whose)},
                headline=True)
        price_head, _, price_date = site_bill.price_date_texts(spec, tariff)
        if price_date is not None:
            publish({"bill_price_date": (price_date, None, "Date the bill's prices are at: the tariff's startdate ("
                                         "bill_usd is not escalated from it; the tco notebook escalates it)")})
        # a rate case the tariff file says is pending (dcplan_pending_rate_change): once, beside the price date
        if (pending := site_bill.pending_rate_change_text(spec, tariff)) is not None:
            publish({"bill_pending_rate_change": (pending, None, "A rate case pending for the tariff: the bill is "
                                                  "at its current prices, not the new rates")})
        if capped_usd is not None:
            publish({"bill_within_contract_usd": (capped_usd, "USD", (
                f"Annual electricity bill {price_head}, of the grid draw capped at the contracted capacity ("
                f"{float(y.contracted_kw.max()):,.0f} kW: each hour's draw clipped at it, the load the contract carries, "
                "as if the GPUs above it and their cooling were off in those hours; an estimate of the bill the site "
                "can run as contracted, no battery or workload re-dispatched)"))})
        # the TCO's warning when the prices are years older than the project start (the same words as the tco's)
        if (stale := site_bill.stale_price_message(spec, y)) is not None:
            warnings.warn(stale, DcplanWarning)
        # the bill's lines, adding up to it: energy + demand + fixed + the minimum-bill top-up (the
        # coincident-peak and 4CP parts of the demand charges beside it; no export credit: exports are not billed)
        lines = site_bill.bill_components(y.bill)
        publish({
            "tariff": (y.bill.tariff_name, None, "Tariff"),
            **{k: (v, "USD", site_bill.COMPONENT_LABELS[k]) for k, v in lines.items()},
            "usd_per_mwh_facility": (f["usd_per_mwh_facility"], "USD/MWh",
                                     "Bill per MWh of facility energy (PV-supplied energy included)"),
            # the import the bill is for: grid_kw clipped at 0 (after PV and any battery; spilled PV not credited)
            "usd_per_mwh_grid": (f["bill_usd"] / f["grid_mwh"] if f["grid_mwh"] else None, "USD/MWh",
                                 "Bill per MWh bought from the grid (grid import after on-site PV and battery)"),
        })
        # what the bill assumed or left out (a ratchet's steady-state year, fields ignored), and a demand window
        # shorter than the load's hours, with the fleet's own 1-s evidence of what the hourly means leave out
        step_min = (y.grid_kw.index[1] - y.grid_kw.index[0]).total_seconds() / 60
        evidence = (site_bill.subhourly_demand_excess(spec, y, tariff.demand_window_min,
                                                      method=tariff.demand_window_method)
                    if site_bill.demand_window_note(tariff, step_min) else None)
        bill_notes = site_bill.bill_notes(y.bill, tariff, step_min, evidence, spec=spec)
        if bill_notes:  # published once, as the numbered list (not printed again under the table)
            publish({"bill_notes": (" ".join(f"({i}) {n}." for i, n in enumerate(bill_notes, 1)), None,
                                    "What the bill assumed or left out")})
        m = y.bill.monthly
        cols = [c for c in ["energy_usd", "demand_usd", "fixed_usd", "minimum_usd"] if c in m and m[c].abs().sum() > 0]
        names = {"energy_usd": "energy charges", "demand_usd": "demand charges", "fixed_usd": "fixed charges",
                 "minimum_usd": "minimum-bill top-up"}  # the legend in words, not column names
        ax = (m[cols] / 1000).rename(columns=names).plot.bar(stacked=True, legend=False)
        plotting.label(ax, f"{spec.name}: monthly bill by charge type", "month", "cost [kUSD]")
        plotting.legend_outside(ax)  # beside the bars, not over them
        # a layer too thin to see at this scale (a fixed charge beside MW-scale energy) is said in figures
        for c in plotting.thin_layers(m[cols] / 1000, ax):
            print(f"Note: the {names[c]} ({m[c].max():,.0f} USD in the highest month, {m[c].sum():,.0f} USD in the "
                  "year) are under 2 pixels high on this chart's scale, too thin to see in every bar; the table "
                  "above gives them.")
        plt.show()
    """

#: The "Time to power" section's markdown (md() dedents it).
TTP_TEXT = """
    ## Time to power
    The later of the grid's wait (a `data/interconnection.csv` row, or the site's own
    `interconnection.time_to_power`) and the site's long-lead equipment deliveries (by default a
    power transformer and MV switchgear, `data/equipment_lead_times.csv`, ordered at filing; the site's
    `interconnection.equipment` and `equipment_ordered` say otherwise). The labels say which of the two
    sets the date, with both medians. The two are drawn independently (`time_to_power_caveats`, printed
    below the cell, says what a positive dependence between them would do), and the time to power ends at
    delivery: installing and commissioning the equipment after it is not modelled. A site whose capacity
    is all in service has no pending phase, so no time to power is published for it. A request filed before
    the plan's date (the site file's `as_of`, else today) whose pending capacity has not come counts only the
    part of the wait not yet elapsed, P(T <= t | T > w), as the `interconnection` and `tco` reports do
    (`dcplan.grid_given_wait`); the labels say "given N months waited without power by <date>", and the whole
    wait from filing is published beside it (`time_to_power_*_unconditioned_months`).
    """

#: The "Time to power" cell (code() dedents it): the first power date, the time to power's headline (its label
#: the part that sets the date) and its caveats published and printed apart (time_to_power_caveats), the grid
#: wait's basis, the contract and the peak grid draw.
TTP_CODE = """
    if spec.interconnection is None:
        print("No interconnection request in the site file.")
    else:
        # given the months already waited without power (filed to the plan's date: the site file's as_of, else
        # today; none with nothing pending), as the interconnection and tco notebooks and f (pipeline.figures)
        ic = plan_dates.with_wait(spec).interconnection
        ttp_given = grid.wait_words(ic)  # "given 9.0 months waited without power by 2025-03-01", or ""
        given = f", {ttp_given}" if ttp_given else ""
        ttp = grid.time_to_power(ic)
        # when the new capacity first arrives, the date the verdict ranks (a 0 MW phase has none; on an existing
        # campus the first pending phase, which the new halls wait for, with the capacity in service dated apart)
        fp = grid.first_power(grid.energization_dates(ic))
        # how firm the grid wait is: the status of the lead-time row behind it (estimate, unverified, ...)
        status, status_line = lead_time_status(spec.interconnection)
        # which part sets the date, the grid wait or the site's long-lead equipment, with both medians
        driver = grid.time_to_power_driver(ic, ttp)
        if fp["in_service_since"] is None:
            first_label = f"First phase energized, median{given} ({driver})"
        elif fp["pending"] is None:
            first_label = f"First power: {fp['in_service_mw']:g} MW already in service since (no queue delay)"
        else:
            first_label = (f"First power for new capacity{given}: the first pending phase ({fp['pending_label']}, "
                           f"{fp['pending_mw']:g} MW) energized, median ({driver}); the capacity in service is dated "
                           "apart (in_service_since)")
        first = {"first_energized_p50": (fp["new_power"].date(), None, first_label)}
        if fp["in_service_since"] is not None and fp["pending"] is not None:
            first["in_service_since"] = (fp["in_service_since"].date(), None, (
                f"Capacity already in service since ({fp['in_service_mw']:g} MW, no queue delay; it powers the "
                "halls running on it, not the new ones: not the date the site is ranked on)"))
        # every phase in service: no wait from filing applies, so no time to power is published (grid.no_pending_note)
        nothing_pending = grid.no_pending_note(spec.interconnection)
        publish({
            **first,
            **({} if nothing_pending else {"time_to_power_median_months": (
                f["time_to_power_median_months"], "months",
                f"Time to power from filing ({spec.interconnection.filed}), median{given} ({driver})")}),
            "lead_time_status": (status_line, None, "Status of the grid wait's figures behind the time to power "
                                                    "(a data/interconnection.csv row, or the site's own)"),
        }, headline=True)
        # with a size caveat (grid_lead_time.lead_time_size_note)
        basis = grid.time_to_power_basis(spec.interconnection)
        publish({"grid_wait_basis": (basis, None, "What the grid wait rests on: its data/interconnection.csv row's "
                                     "basis, source and status (or the site's own figures), and whether the request's "
                                     "size fits")})
        if nothing_pending:
            print(nothing_pending)
            publish({"time_to_power_note": (nothing_pending, None, "Time to power: none published (no pending "
                                                                   "capacity)")})
        else:
            # what the time to power leaves out or assumes (the two parts drawn independently, installation and
            # commissioning after delivery, equipment averages mapped to percentiles): its own figure, printed once,
            # not in the headline's label
            caveats = grid_lead_time.time_to_power_caveats(ttp, grid.equipment_plan(spec.interconnection)[0])
            print("Time to power, caveats: " + caveats)
            publish({
                "time_to_power_p10_months": (f["time_to_power_p10_months"], "months",
                                             f"Time to power from filing, 10th percentile{given}"),
                "time_to_power_p90_months": (f["time_to_power_p90_months"], "months",
                                             f"Time to power from filing, 90th percentile{given}"),
                "time_to_power_caveats": (caveats, None, "What the time to power leaves out or assumes (its "
                                                         "median is a headline)")})
            if ttp_given:  # the whole wait from filing beside it, as the interconnection report publishes it
                ttp_all = grid.time_to_power(spec.interconnection)["time_to_power_months"]
                print(f"The time to power is {ttp_given} (interconnection.filed {ic.filed} to the plan's date): "
                      f"the whole wait from filing: median {ttp_all.loc[0.5]:.1f}, p10 {ttp_all.loc[0.1]:.1f}, p90 "
                      f"{ttp_all.loc[0.9]:.1f} months (time_to_power_*_unconditioned_months).")
                publish({f"time_to_power_{k}_unconditioned_months": (float(ttp_all.loc[q]), "months", (
                    f"Time to power from filing, {grid_lead_time.quantile_words(q)}, over the whole wait from filing "
                    f"(not {ttp_given}): what a new request would face"))
                    for q, k in ((0.1, "p10"), (0.5, "median"), (0.9, "p90"))})
        publish({
            "contracted_kw": (1000.0 * grid.contracted_mw(spec.interconnection), "kW", "Contracted capacity (every phase energized)"),
            "peak_grid_kw": (f["peak_grid_kw"], "kW", "Peak grid draw (facility less on-site PV and battery)"),
            "hours_over_contract_h": (f["hours_over_contract_h"], "h", "Hours the grid draw is over the contracted capacity"),
        })
        if not nothing_pending:
            display(ttp.round(1))
    """
