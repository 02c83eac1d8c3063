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
    to compare climates alone). A grid draw over the contracted capacity must be covered first,
    whatever the ranks, and a site whose cooling plant is short of its IT in some hour of the
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
        # are given once, above)
        display(solar_report.solar_inputs_table(spec).set_index("field"))
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", DcplanWarning)
            pv_months = solar_report.pv_monthly_table(spec, y.weather)
        display(pv_months.round({"pv_mwh": 1, "peak_pv_kw": 0, "ac_rating_kw": 0, "clipped_dc_mwh": 1,
                                 "clipped_h": 0, "clipped_frac": 4}))
        publish({
            "pv_peak_ac_kw": (float(pv_months["peak_pv_kw"].max()), "kW", "PV's highest hourly AC output in the "
                              "typical year (year 1; the inverters' AC rating is pv_ac_rating_kw)"),
            "pv_ac_rating_kw": (float(pv_months["ac_rating_kw"].iloc[0]), "kW",
                                "PV inverters' AC rating: DC nameplate / solar.dc_ac_ratio"),
            "pv_clipped_dc_mwh": (float(pv_months["clipped_dc_mwh"].sum()), "MWh", "PV DC energy the inverters "
                                  "clip at their AC rating in the typical year (year 1)"),
        })
"""

#: The "Sustainability export" section's markdown (md() dedents it).
SUSTAINABILITY_TEXT = """
    ## Sustainability export

    With `export_dir` set (`outputs` by default; empty for none), one CSV row, `<site>_sustainability.csv`:
    the year's energy, PUE, grid carbon with its basis and source, the PV's avoided carbon (not in the
    Scope 2 inventory), water with its split and WUE, each header with its unit, the numbers published
    above unrounded (`dcplan.sustainability`); `dcplan render` keeps it beside the report and lists it.
    """

#: The "Hourly export" section: the site-year hour by hour (dcplan.site_hourly), for a reviewer checking the annual
#: figures in a spreadsheet.
HOURLY_TEXT = """
    ## Hourly export

    With `export_dir` set, the year hour by hour, `<site>_hourly.csv`: one row per hour of the typical
    weather year (8,760, or 8,784 in a leap year), stamped with the hour's end on the site's civil
    clock and its UTC offset (ISO 8601; a daylight-saving zone has a 23-hour day in spring and a 25-hour
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
    from dcplan import site_hourly

    unused = ("tokens_per_s_per_accelerator",)  # the per-token figures only, not in this table: run from the top
    check_parameters_unchanged(globals(), site_year={k: v for k, v in site_params.items() if k not in unused},
                               outcome="nothing was written")
    if export_dir:
        path = site_hourly.write_hourly_csv(y, check_export_outside_reports(export_dir))
        print(f"The year hour by hour ({len(y.weather):,} rows) written to {path}; what each column is: "
              f"{path.with_name(site_hourly.about_name(spec.id))}.")
    else:
        print("export_dir is empty: no hourly CSV written")
"""
