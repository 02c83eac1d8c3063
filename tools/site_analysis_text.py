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
