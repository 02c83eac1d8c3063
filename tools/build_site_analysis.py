"""Build notebooks/site_analysis.ipynb (python -m tools.build_site_analysis from the repo root)."""
from dcplan.specs.fleet import MAX_UNITS_PER_PHASE
from dcplan.specs.solar import PV_DC_MAX_KW
from tools.nbtools import check_params, code, guard_cells, md, params, write
from tools.site_analysis_text import (BILL_CODE, BILL_TEXT, HOURLY_CODE, HOURLY_TEXT, PV_DETAIL_CODE,
                                      SUSTAINABILITY_TEXT, TTP_CODE, TTP_TEXT, VERDICT_TEXT)

cells = [
    md("""
    # Site analysis

    The analysis a site-selection team reads first: climate, cooling plant and PUE, hot-hour
    derates and throttling, the facility's hourly load, the electricity bill, time to power,
    on-site PV, the year's grid carbon and water, and energy, cost and carbon per GPU-hour and per
    million tokens — ending in a verdict computed from the numbers. Every figure comes from `dcplan.pipeline` (weather →
    power → thermal → solar → grid → tariff) on the site's typical weather year with the fleet
    fully built out.
    """),
    params("""
    site: str = "research-triangle-nc"  # site id in the portfolio
    portfolio: str = "default"  # portfolio YAML, or "default" for the bundled example
    cooling: str = "site"  # "site" keeps the site's plant, or a key of dcplan.pipeline.REFERENCE_PLANTS
    fleet_scale: float = 1.0  # multiplies every fleet phase's unit count (rounded half up; 1 for measured it_kw data)
    pv_dc_kw: float = -1.0  # on-site PV DC size [kW]; -1 keeps the site's
    tariff_file: str = "site"  # URDB tariff JSON; "site" or "" keeps the site's
    tokens_per_s_per_accelerator: float = 0.0  # tokens/s per accelerator; 0: the fleet's example (power.example_throughput)
    export_dir: str = "outputs"  # folder for the sustainability and hourly CSVs, empty for none, kept beside the report by dcplan render
    """),
    check_params("site_analysis"),
    code("""
    import calendar
    import warnings

    import matplotlib.pyplot as plt
    import pandas as pd

    from dcplan import (battery_value, compute_power_labels, design_hours, grid, grid_lead_time, pipeline, plan_dates,
                        plotting, power, power_electrical, site_bill, site_tariff_utility, solar_report, solar_value,
                        thermal, weather as wx)
    from dcplan.carbon_water_labels import (plant_text, short_plant_caveat, tokens_text, water_free_cooling_label,
                                            water_label, wue_label)
    from dcplan.cooling_site_checks import design_pue_warning
    from dcplan.errors import DcplanWarning
    from dcplan.notebook_params import (check_parameters_unchanged, parameter_file, parameter_values,
                                        warn_site_outside_render)
    from dcplan.portfolio_score import fleet_scale_overrides
    from dcplan.pue_inputs import cop_cap_clause, cop_cap_status, pue_inputs_clause
    from dcplan.report_param_values import check_export_outside_reports
    from dcplan.rack_density import rack_count_notes, rack_density_notes, rack_figures
    from dcplan.results import publish
    from dcplan.site import load_portfolio
    from dcplan.site_analysis_case import case_tag, case_text
    from dcplan.site_carbon import carbon_basis_text
    from dcplan.site_climate_checks import freeze_figures, snow_clause, tower_freeze_clause
    from dcplan.sustainability import (pv_avoided_label, sustainability_table, water_split_labels, water_unit_figures,
                                       write_sustainability_csv)
    from dcplan.site_verdict import RANKED, lead_time_status, site_verdict, weather_text
    from dcplan.solar_orientation import pv_orientation_figures
    from dcplan.sweep_overrides import apply_overrides

    plotting.use_style()
    pf = load_portfolio(portfolio, defer_file_problems=False)  # reads every site: one not found is bad input here
    warn_site_outside_render(pf[site])  # the site's warnings, as render adds them to the report (not under render)


    def variant(s):
        # the notebook's overrides applied to any site of the portfolio (for like-for-like ranks)
        # fleet_scale: counts rounded half up; refused (InputError) where a phase would hold 0 or
        # too many units, or where the power is measured it_kw that no count scales
        ov = fleet_scale_overrides(s, fleet_scale)
        if pv_dc_kw >= 0:
            ov["solar.dc_kw"] = float(pv_dc_kw)
        if tariff_file.strip() not in ("site", ""):  # "site" or "": the site's own tariff
            # the working folder first, then data/ (as dcplan render finds it)
            ov["tariff.file"] = str(parameter_file(tariff_file, "tariff_file"))
        s = apply_overrides(s, ov)
        return s if cooling == "site" else pipeline.with_reference_plant(s, cooling)


    spec = variant(pf[site])
    # the parameters this site's year is computed with: variant() reads the parameters when called, so the verdict
    # (the peers through variant) and the export refuse to run after a change in the parameters cell
    site_params = parameter_values(globals(), "site_analysis", exclude=("export_dir",))
    # tokens_per_s_per_accelerator shapes only the per-token figures, read where they are computed: the cells of the
    # year's figures, the per-token cell and the exports check the others (the verdict all of them)
    year_params = {k: v for k, v in site_params.items() if k != "tokens_per_s_per_accelerator"}
    y = pipeline.run_site_year(spec)
    f = pipeline.figures(y)
    hours_h = float(len(y.weather))  # hours in the weather year: 8,760, or 8,784 in a leap year
    gpu_h = f["n_accelerators"] * hours_h  # installed GPU-hours in the year
    """),
    md("## Climate"),
    code("""
    cs = wx.climate_summary(y.weather)
    # which weather every figure rests on: the file, its station and how far the station is from the site
    publish({"weather_data": (weather_text(spec, y.weather.attrs), None, "Weather data (source, file and station)")})
    publish({
        "temp_air_mean_degc": (cs["temp_air_mean_degc"], "°C", "Mean dry bulb"),
        "temp_air_max_degc": (cs["temp_air_max_degc"], "°C", "Max dry bulb"),
        "temp_wet_bulb_p99_degc": (cs["temp_wet_bulb_p99_degc"], "°C", "Wet bulb exceeded 1 % of hours"),
    })
    """),
    md("## Cooling plant, PUE and hot-hour derate"),
    code("""
    c = y.cooling
    # free cooling is free of compressors, not of water: a tower still evaporates in those hours
    water_free_frac = (float(y.plant["water_l"][y.plant["free_cooling"]].sum() / y.plant["water_l"].sum())
                       if c["water_m3"] > 0 else None)
    free_water = ("" if water_free_frac is None else
                  f"; the cooling tower still evaporates water in them: {100 * water_free_frac:.0f} % of the year's water")
    # hours the plant cannot carry the load: cooling counted only for the heat removed, the IT at its demand (the
    # same caveat on every figure made of the plant's cooling energy or water: PUE, grid import, carbon, water)
    short_h = short_plant_caveat(f["derate_h"], "PUE")
    # a tower loop in a climate below 0 °C wet bulb in more than 0.4 % of the hours: freeze protection's energy
    # and water are not modelled (dcplan.site_climate_checks; the same clause on the PUE, WUE and water labels)
    freeze = tower_freeze_clause(freeze_figures(spec, y.weather))
    # the plant model takes a tower's approach by Merkel's method (dcplan.thermal_tower_merkel): 3.9 K at its
    # design wet bulb, wider as the wet bulb falls (7.7 K at 13.6 °C at full design heat)
    towers = spec.cooling.air_heat_rejection == "tower" or (spec.cooling.type == "liquid" and
                                                             y.plant.attrs["plant"]["heat_rejection"] == "tower")
    tower_caveat = ("; the cooling tower's approach is Merkel's, widening as the wet bulb falls (the tower selected "
                    "for its design approach at the chillers' design wet bulb; site_climate's screen counts the same "
                    "tower at full design heat)" if towers else "")
    # the plant's sizing: N + margin_frac, no redundant unit (N+1) modelled
    sizing = (f"sized N + {100 * thermal.plant_params(spec.cooling).values['margin_frac']:g} % margin (margin_frac) over "
              "the design IT: no redundant (N+1) unit is modelled, so every capacity figure is with all units running")
    # the boundary: facility energy = IT + electrical losses + cooling; ISO/IEC 30134-2 (The Green Grid) counts all
    # of the facility's energy, lighting, offices and other ancillary loads too, which dcplan does not model
    # what the PUE rests on: its electrical part (the chain's loss curves and their source) and cooling part (the
    # status of its figures in data/cooling_defaults.csv), and the hours the chillers run at dcplan's COP cap
    pue_inputs = "; " + pue_inputs_clause(y.plant, spec.cooling, chain=tuple(spec.electrical.chain),
                                          source=spec.electrical.source, ups_oversize=spec.electrical.ups_oversize)
    cop_cap = cop_cap_clause(c["chiller_cop_cap_h"], c["chiller_cop_cap_energy_frac"], c["chiller_cop_max"])
    publish({"annual_pue": (f["annual_pue"], None, "Annual PUE (from the weather; facility energy = IT + electrical "
                            "losses + cooling: lighting, offices and other ancillary loads are not modelled, so it "
                            "reads slightly below an ISO/IEC 30134-2 PUE of all the facility's energy" + short_h
                            + pue_inputs + ("; " + cop_cap if cop_cap else "") + freeze + ")")},
            headline=True)
    publish({
        # each loop with where it rejects its heat: a liquid plant's air loop keeps its own (a tower by default)
        "plant": (plant_text(spec.cooling), None, f"Cooling plant (each loop and where it rejects its heat; {sizing})"),
        "ppue_cooling": (c["ppue_cooling"], None, "Cooling pPUE"),
        # ITUE and TUE with their definition and the PSU efficiency compute power rests on (the plant's record)
        **compute_power_labels.itue_tue_figures(y.plant, c, spec.cooling),
        "free_cooling_h": (f["free_cooling_h"], "h", "Hours with no compressor running anywhere in the plant (plant model; "
                           "site_climate screens each loop alone)" + free_water + tower_caveat),
        "chiller_cop_cap_h": (c["chiller_cop_cap_h"], "h", (
            f"Hours some chiller runs at dcplan's COP cap, chiller_cop_max = {c['chiller_cop_max']:g} "
            f"({cop_cap_status(source=True)}): {100 * c['chiller_cop_cap_energy_frac']:.0f} % of the year's chiller "
            "energy; the plant's power in those hours rests on the cap, not on the Carnot-based COP")),
        "derate_h": (f["derate_h"], "h", "Hours the plant cannot hold the hour's IT load (the fleet's hourly IT, "
                                         "not full design IT as in cooling_lag)"),
        "throttled_frac": (f["throttled_frac"], None, "Share of GPU-hours throttled for lack of hourly plant "
                           "capacity (hours the plant cannot hold the hour's IT load; the cooling control lag's "
                           "throttling within the hour is not in it: see the cooling_lag notebook)"),
        "wue_l_per_kwh": (f["wue_l_per_kwh"], "L/kWh", wue_label(
            spec.cooling, derate_h=f["derate_h"], water_m3=c["water_m3"], clause=freeze)),
    })
    # the design hour: full design IT on the site's design days (what a connection is sized for)
    # (the site's electrical chain, electrical:, as the annual figures' losses)
    dh = thermal.design_hour_pue(y.design_it_kw, y.weather, spec.cooling, electrical_chain=spec.electrical.stages())
    # a plant short on its design days removes only the heat it can: its PUE there is not that of a
    # plant carrying the design IT (cooling counted only for the heat removed), so say so
    short = (f"; the plant is short on the design days: it removes the heat of at most {dh['min_capacity_kw']:,.0f} kW of the "
             f"{y.design_it_kw:,.0f} kW design IT ({dh['max_derate_kw']:,.0f} kW short), and this PUE counts "
             "cooling only for the heat it removes" if dh["short"] else "")
    # the typical year's own worst hour at full design IT (interconnection's kw_per_gpu): usually harsher than
    # the design days (a 0.4 % condition is exceeded ~35 h a year), so the labels say which hour each is
    worst = design_hours.typical_year_worst_hour(y.design_it_kw, y.weather, spec.cooling,
                                                 electrical_chain=spec.electrical.stages())
    # a plant short on its design days has no design-hour PUE of the design IT (design_hour_pue's own docstring:
    # quote it only when not short): published as "n/a" with why, the PUE it reaches beside it in the text
    dh_value = (f"n/a: the plant is {dh['max_derate_kw']:,.0f} kW short of the {y.design_it_kw:,.0f} kW design IT on "
                f"its design days (design_hour_short_kw), so it has no PUE at full design IT (the hour's PUE of the heat "
                f"it does remove is {dh['pue']:.4f}, below a plant that carries the load)" if dh["short"] else dh["pue"])
    publish({
        "design_hour_pue": (dh_value, None, design_hours.design_hour_label(dh, worst, y.weather) + short + (
            f"; the chiller COP is at dcplan's cap of {c['chiller_cop_max']:g} ({cop_cap_status()}) in this hour: the PUE "
            "rests on it" if dh["chiller_cop_at_cap"] else "") + ")"),
        "typical_year_worst_hour_pue": (worst["pue"], None, (
            "PUE at full design IT in the typical year's worst hour (highest facility power; interconnection's "
            "kw_per_gpu counts each GPU at it)" + ("; the plant is short in that hour, so this counts cooling only "
                                                   "for the heat it removes" if worst["short"] else ""))),
        "design_hour_short_kw": (dh["max_derate_kw"], "kW", "Design IT the plant cannot carry on its design days "
                                                            f"(0: it carries the full design IT; {sizing})"),
    })
    stated = spec.cooling.design_pue
    if stated is not None:
        # the stated figure against the plant's, published and warned when far below (dcplan.cooling_site_checks)
        publish({
            "design_pue_stated": (stated, None, "Design-hour PUE the site file states (cooling.design_pue: the figure "
                                                "the site was planned with, e.g. its connection request)"),
            "design_pue_gap_kw": ((dh["pue"] - stated) * y.design_it_kw, "kW", (
                "Facility power at full design IT that the stated design PUE leaves out: (plant's design-hour PUE - "
                "cooling.design_pue) x design IT (below 0: the stated figure is above the plant's)"
                + ("; the plant is short on its design days, so the gap is larger still" if dh["short"] else ""))),
        })
        pue_warning = design_pue_warning(stated, dh["pue"], y.design_it_kw, where=spec.source_file or spec.id,
                                         short_kw=dh["max_derate_kw"] if dh["short"] else 0.0)
        if pue_warning:
            warnings.warn(pue_warning, DcplanWarning)
        gap = stated - dh["pue"]
        print(f"Stated cooling.design_pue {stated:.3f} against the plant's design hour {dh['pue']:.3f} "
              f"({gap:+.3f}; {gap * y.design_it_kw:+,.0f} kW of facility power at design IT)"
              + (": the stated figure is below what the plant draws" if gap < 0 else "")
              + (" (the plant is short on its design days: a plant that carries the design IT draws more)"
                 if dh["short"] else ""))
    # hourly labels are interval-ending (00:00 on 2 January ends 1 January's last hour): each hour goes to the
    # day it starts in, labels shifted back one hour as the monthly chart below does, so every day has its 24 h
    def by_day(x):
        return x.set_axis(x.index - pd.Timedelta(hours=1)).resample("D")


    fig, ax = plt.subplots()
    pue_daily = by_day(y.facility_kw).sum() / by_day(y.it_kw).sum()
    ax.plot(pue_daily.index, pue_daily.values, color=plotting.COLORS["cooling"], label="daily PUE")
    ax2 = ax.twinx()
    ax2.plot(by_day(y.weather["temp_air"]).max(), color=plotting.COLORS["temp"], lw=0.8, label="daily max dry bulb")
    ax2.set_ylabel("daily max dry bulb [°C]")
    plotting.label(ax, f"{spec.name}: PUE through the year", "date", "PUE [-]")
    ax.legend(loc="upper left"); ax2.legend(loc="upper right")
    plt.show()
    """),
    code("""
    # the hottest week: IT the plant can remove vs IT demand
    hot = y.weather["temp_air"].rolling(168).mean().idxmax()
    wk = slice(hot - pd.Timedelta(days=7), hot)
    fig, ax = plt.subplots()
    ax.plot(y.it_kw[wk] / 1000, color=plotting.COLORS["it"], label="IT demand")
    ax.plot(y.plant["capacity_it_kw"][wk] / 1000, color=plotting.COLORS["limit"], ls="--", label="IT the plant can remove")
    plotting.label(ax, f"{spec.name}: hottest week", "date", "power [MW]", legend=True)
    plt.show()
    """),
    md("""
    ## Electrical losses

    The transformer, UPS and PDU losses between the utility meter and the IT load, hour by hour at
    the hour's IT load (server-fan uplift included) on the site's electrical chain: the site file's
    `electrical:` section, or dcplan's default when it has none (a transformer PDU, a
    double-conversion UPS sized 2N, an MV/LV transformer). They are part of the facility energy, so
    PUE - 1 splits into an electrical part (losses / IT energy) and a cooling part (cooling / IT
    energy). A hall with transformerless 415 V PDUs and a high-efficiency UPS loses less: give its
    chain, with the vendor's curves, in the site file (docs/site-format.md, `electrical`).
    """),
    code("""
    el = power_electrical.loss_figures(y.plant)
    publish({
        "electrical_losses_mwh": (el["electrical_losses_mwh"], "MWh", (
            "Electrical losses a year: transformer, UPS and PDU between the utility meter and the IT load, at each "
            "hour's IT load (server-fan uplift included)")),
        "electrical_loss_frac": (el["electrical_loss_frac"], None, "Electrical losses as a share of the IT energy"),
        "pue_electrical_part": (el["pue_electrical_part"], None, (
            "Electrical part of PUE - 1: electrical losses / IT energy (with the cooling part, adds up to PUE - 1)")),
        "pue_cooling_part": (el["pue_cooling_part"], None, (
            "Cooling part of PUE - 1: cooling energy / IT energy (cooling pPUE - 1; with the electrical part, adds up "
            "to PUE - 1)")),
        "electrical_chain": (spec.electrical.text(), None, (
            "Electrical chain assumed (" + ("the site file's electrical: section" if "electrical" in spec.model_fields_set
                                            else "dcplan's default: the site file has no electrical: section") + ")")),
    })
    """),
    md("## Facility load"),
    code("""
    publish({
        "design_it_kw": (f["design_it_kw"], "kW", "Design IT load"),
        "it_mwh": (f["it_mwh"], "MWh", "IT energy"),
        "facility_mwh": (f["facility_mwh"], "MWh", "Facility energy"),
        "peak_facility_kw": (f["peak_facility_kw"], "kW", "Peak facility load"),
        "n_accelerators": (f["n_accelerators"], None, "Accelerators"),
    })
    # the cooling energy by what draws it (the plant model's hourly columns; the three add up to the cooling energy)
    split = {k: float(power.energy_from_power(y.plant[c]).sum()) / 1000
             for k, c in (("cooling_chiller_mwh", "chiller_kw"), ("cooling_fans_mwh", "fans_kw"),
                          ("cooling_pumps_mwh", "pumps_kw"))}
    publish({
        "cooling_chiller_mwh": (split["cooling_chiller_mwh"], "MWh", "Cooling energy a year, chillers (compressors; "
                                "with cooling_fans_mwh and cooling_pumps_mwh adds up to the cooling energy)"),
        "cooling_fans_mwh": (split["cooling_fans_mwh"], "MWh", "Cooling energy a year, the plant's fans: CRAH fans and "
                             "cooling-tower or dry-cooler fans (the servers' own fans are IT energy, not here)"),
        "cooling_pumps_mwh": (split["cooling_pumps_mwh"], "MWh", "Cooling energy a year, the plant's pumps: chilled-"
                              "water, condenser (tower) water and liquid-loop (facility water and CDU) pumps"),
    })
    # the plant's IT (server-fan uplift included): the three layers add up to the facility energy
    monthly = pd.DataFrame({"IT": power.energy_from_power(y.plant["it_kw"]),
                            "electrical losses": power.energy_from_power(y.plant["electrical_losses_kw"]),
                            "cooling": power.energy_from_power(y.plant["cooling_kw"])})
    monthly = monthly.groupby((monthly.index - pd.Timedelta(hours=1)).month).sum() / 1000
    monthly.index = [calendar.month_abbr[m] for m in monthly.index]  # named, as the bill chart's months
    ax = monthly.plot.bar(stacked=True, rot=0, legend=False,
                          color=[plotting.COLORS["it"], plotting.COLORS["baseline"], plotting.COLORS["cooling"]])
    plotting.label(ax, f"{spec.name}: monthly energy", "month", "energy [MWh]")
    plotting.legend_outside(ax)  # beside the bars: inside, it sat over the summer months' IT bars
    plt.show()
    """),
    md(BILL_TEXT),
    code(BILL_CODE),
    md(TTP_TEXT),
    code(TTP_CODE),
    md("## On-site PV\nThe bill above is the bill of the grid draw after the PV: it counts what the PV saves, not what it costs. With PV, its cost a year is set beside its saving, on the same basis: its capex and O&M over its 30-year economic life at the site's discount rate, spread over the years as its bill saving is (rising with the electricity escalation, falling as the panels degrade), so the year-1 saving less this cost is positive exactly when the PV pays for itself over its life (`dcplan.solar_value`; before tax, no tax credit or incentive). The `tco` notebook values the PV on another basis (its shorter horizon, after tax, the PV sold at its remaining straight-line value at the horizon), so the change the PV makes to its NPV can have the opposite sign. The saving is split by charge: its demand-charge part is an upper bound (the PV is an hourly mean, while a demand charge is set by the month's highest 15- or 30-minute interval, and a cloud over the array in that interval puts the peak back), so the net value is also given without it (no firm PV capacity counted): the PV's value lies between the two. The break-even installed cost is the price per kWdc at which the net value is 0. Every array is costed at one price (`data/costs.csv` `pv_usd_per_kw_dc`), derived for a ground-mounted single-axis tracked array of about 2 MWdc (`data/SOURCES.md`): a fixed-tilt array costs about 67 USD/kWdc less, one of tens of MWdc about 420 less; give the site's own price in `finance.costs.pv_usd_per_kw_dc`. The electricity cost per GPU-hour and per million tokens below, and the verdict's rank on it, are the bill plus that cost (and the site battery's, next section, when the site has one). The array's size, tilt, azimuth (a bearing clockwise from north: 0 = north, which faces the equator in the southern hemisphere; 180 = south) and tracking are published as the model ran them, a default said as such (`dcplan.solar.default_orientation_deg`: a fixed array 20°, a tracker's axis horizontal, facing the equator). With PV, every `solar:` field the model ran with and its source follow, and the output month by month: `dc_mwh` is the array's DC after its losses, before the inverters; `clipped_dc_mwh` the DC they turn away at their AC rating (`ac_rating_kw`) and `clipped_frac` its share of `dc_mwh` (DC over DC). The clipping is computed from hourly means, as PVWatts computes it: minutes within an hour that pass the rating while the hour's mean does not are not counted, so it is a lower bound, the more so the higher the DC/AC ratio."),
    code("""
    pv_kw = float(spec.solar.dc_kw) if spec.solar is not None else 0.0
    if pv_kw > 0:
        publish({
            "pv_dc_kw": (pv_kw, "kW", "PV array size (DC nameplate)"),
            # tilt, azimuth (which way it faces) and tracking as the model used them, defaults said as such
            **pv_orientation_figures(spec),
            "pv_specific_yield_kwh_per_kwp": (f["pv_mwh"] * 1000 / pv_kw, "kWh/kWp",
                                              "PV specific yield: AC energy per kW of DC nameplate, year 1"
                                              + snow_clause(spec, y.weather)),
            "pv_capacity_factor_frac": (f["pv_mwh"] * 1000 / (pv_kw * hours_h), None,
                                        "PV capacity factor: AC energy over DC nameplate x the year's hours, year 1"),
        })
    # a site with many hours below 0 °C: snow on the array is not modelled (dcplan.site_climate_checks.snow_clause)
    snow = snow_clause(spec, y.weather)
    publish({
        "pv_mwh": (f["pv_mwh"], "MWh", "PV energy (AC, after inverter and losses; year 1, before degradation" + snow
                   + ")"),
        "pv_spilled_mwh": (f["pv_spilled_mwh"], "MWh", "PV energy neither used on site nor stored (spilled: no export credit)"),
        "pv_share_frac": ((f["pv_mwh"] - f["pv_spilled_mwh"]) / f["facility_mwh"], None,
                          "PV share of facility energy (PV used on site)"),
    })
    pvc = solar_value.pv_annual_cost(spec)
    if pvc["dc_kw"] > 0 and y.bill is not None:
        # what the PV takes off the year's bill, by charge, against what it costs a year (dcplan.solar_value)
        pvv = solar_value.pv_value_of_year(y)
        basis = (f"over its {pvc['life_years']:g}-year life at {100 * pvc['discount_rate_frac']:g} %, before tax, "
                 "no tax credit; the tco notebook's horizon, tax and residual sale can give the opposite sign")
        publish({
            "pv_bill_saving_usd": (pvv["saving_usd"], "USD", "PV's bill saving, year 1 (the bill without the PV less "
                                                             "the bill with it): energy + demand + fixed and other charges"),
            "pv_bill_saving_energy_usd": (pvv["energy_usd"], "USD", "PV's bill saving, year 1: energy charges"),
            "pv_bill_saving_demand_usd": (pvv["demand_usd"], "USD", "PV's bill saving, year 1: demand charges, "
                                                                    + solar_value.DEMAND_UPPER_BOUND),
            "pv_bill_saving_other_usd": (pvv["other_usd"], "USD", "PV's bill saving, year 1: fixed charges and any "
                                                                  "minimum-charge top-up"),
            "pv_annual_cost_usd": (pvc["annual_cost_usd"], "USD", (
                f"PV's cost a year, in year-1 terms: (capex {pvc['capex_usd']:,.0f} USD at "
                f"{solar_value.pv_price_text(pvc)} + year-1 O&M "
                f"{pvc['om_usd']:,.0f} USD x {pvc['om_factor']:.3f} yr) / {pvc['saving_factor']:.3f} yr: its "
                f"{pvc['life_years']:g}-year cost at {100 * pvc['discount_rate_frac']:g} % (the O&M's present-value "
                "factor, rising with inflation) over the present-value factor of 1 USD of year-1 saving "
                f"(electricity +{100 * pvc['electricity_escalation_frac']:g} %/yr, degradation "
                f"{100 * pvc['degradation_frac_per_year']:g} %/yr); no tax credit")),
            "pv_net_value_usd": (pvv["net_value_usd"], "USD",
                                 "PV's net value a year: year-1 bill saving less its cost a year (below 0: over its "
                                 f"life the PV costs more than it saves; {basis}); its demand-charge part is an upper "
                                 "bound (pv_bill_saving_demand_usd)"),
            "pv_net_value_without_demand_usd": (pvv["net_value_without_demand_usd"], "USD", (
                "PV's net value a year without its demand-charge saving (no firm PV capacity counted): the low end, "
                f"pv_net_value_usd the high end ({basis})")),
            "pv_breakeven_usd_per_kw_dc": (pvv["breakeven_usd_per_kw_dc"], "USD/kWdc", (
                "Break-even installed PV cost: the price per kWdc at which the PV's net value a year is 0 "
                f"(against {pvc['capex_usd_per_kw_dc']:,.0f} USD/kWdc used; its demand-charge saving included)")),
            "pv_breakeven_without_demand_usd_per_kw_dc": (pvv["breakeven_without_demand_usd_per_kw_dc"], "USD/kWdc",
                                                          "Break-even installed PV cost without its demand-charge "
                                                          "saving (no firm PV capacity counted)"),
            "pv_value_text": (solar_value.pv_value_text(pvv, pvc, spec.finance.horizon_years), None,
                              "What the PV is worth a year, in words"),
        })
""" + PV_DETAIL_CODE + """    hours = (y.pv_kw.index - pd.Timedelta(hours=1)).hour
    prof = pd.DataFrame({"facility": y.facility_kw.groupby(hours).mean(), "PV": y.pv_kw.groupby(hours).mean()}) / 1000
    ax = prof.plot(color=[plotting.COLORS["facility"], plotting.COLORS["solar_line"]])  # a PV line: dark gold
    plotting.label(ax, f"{spec.name}: average day", "hour of day (local civil time, interval start) [h]", "power [MW]", legend=True)
    plt.show()
    """),
    md("## Site battery\nThe bill is also the bill of the grid draw after the site battery (`interconnection.battery`): it counts what the battery takes off the bill (its peak shaving and shifting, less its losses), not what it costs. With a battery, its cost a year is set beside its saving on the same basis as the PV's: its capex (nameplate energy x the installed cost per kWh) and O&M (the TCO's share of capex a year) over its 15-year economic life at the site's discount rate, spread over the years as its bill saving is (rising with the electricity escalation; no fade: the `tco` notebook repeats the typical year's dispatch every year), so the year-1 saving less this cost is positive exactly when the battery pays for itself over its life (`dcplan.battery_value`; before tax, without insurance, property tax or any incentive). Two caveats hold for every battery figure here. The saving is an upper bound for a real controller: the dispatch has perfect foresight (`target: demand` knows each month's load in advance, `target: bill` the whole year's load and prices). And constant capacity is assumed: the battery holds its nameplate energy every year, so the augmentation that keeps it there (cells added as it fades) must be in its O&M; the O&M used is `maintenance_facility_frac` (an estimate), while NREL ATB 2020 (Battery Storage, Operation and Maintenance Costs, atb.nrel.gov/electricity/2020, from Cole & Frazier 2020) puts its fixed O&M, the augmentation that keeps the rated capacity included, at 2.5 % of capital cost a year. The electricity cost per GPU-hour and per million tokens below, and the verdict's rank on it, include that cost."),
    code("""
    bvc = battery_value.battery_annual_cost(spec)
    if bvc["energy_kwh"] > 0 and y.bill is not None:
        # what the battery takes off the year's bill against what it costs a year (dcplan.battery_value)
        b_saving = float(pipeline.bill_without_battery(y).total_usd) - f["bill_usd"]
        publish({
            "battery_bill_saving_usd": (b_saving, "USD", "Site battery's bill saving, year 1 (the bill without the "
                                                         "battery less the bill with it; PV as specified): an upper "
                                                         "bound, the dispatch has perfect foresight of the load and "
                                                         "prices"),
            "battery_annual_cost_usd": (bvc["annual_cost_usd"], "USD", (
                f"Site battery's cost a year, in year-1 terms: (capex {bvc['capex_usd']:,.0f} USD for "
                f"{bvc['energy_kwh']:,.0f} kWh nameplate + year-1 O&M {bvc['om_usd']:,.0f} USD x "
                f"{bvc['om_factor']:.3f} yr) / {bvc['saving_factor']:.3f} yr: its {bvc['life_years']:g}-year cost at "
                f"{100 * bvc['discount_rate_frac']:g} % (the O&M's present-value factor, rising with inflation) over "
                "the present-value factor of 1 USD of year-1 saving (electricity "
                f"+{100 * bvc['electricity_escalation_frac']:g} %/yr, no fade); no tax credit")),
            "battery_net_value_usd": (b_saving - bvc["annual_cost_usd"], "USD",
                                      "Site battery's net value a year: year-1 bill saving less its cost a year (below 0: "
                                      "over its life the battery costs more than it saves); perfect-foresight "
                                      "dispatch, constant capacity assumed: augmentation must be in O&M"),
        })
    else:
        print("no site battery (interconnection.battery)" if bvc["energy_kwh"] == 0
              else "no tariff: the battery's bill saving is not computed")
    """),
    md("""
    ## Grid carbon and water

    The year's grid import (the facility's energy less the on-site PV it uses or stores, plus the
    battery's losses) and its CO2 at the site file's `grid_carbon_kg_per_mwh`: one flat annual
    average for every hour, so scope 2 CO2 (not CO2e) with no hourly or marginal signal, on the basis
    the site file gives (`grid_carbon_basis`: location-based, the default, for the average of the grid
    where the energy is used; market-based for a supplier's, PPA's or certificates' figure) and from the
    source it names (`grid_carbon_source`; each carbon label prints both, or says the source is not
    given). The on-site PV used on site or stored is counted at 0 in the grid carbon already; the PV's
    avoided carbon beside it is not part of the Scope 2 inventory (do not subtract it again) and is at
    the same average rate, not the marginal plant it displaces (EPA eGRID non-baseload or AVERT rates
    would be the usual basis for that); spilled PV avoids nothing. Water is the cooling plant's
    own, hour by hour: tower evaporation and blowdown (WUE x IT energy; drift, humidification and the
    site's other water not counted, a narrower boundary than The Green Grid's WUE of all the site's
    water; 0 for a plant that rejects all its heat dry). That make-up water (`water_m3`, the
    withdrawal) is also published split, as GRI 303 and CDP water disclosures ask: what the towers
    evaporate (`water_evaporated_m3`, consumption) and blow down (`water_blowdown_m3`, discharge), at
    the plant's cycles of concentration (blowdown = evaporation / (cycles - 1)); the two add up to it.
    The year's energy, carbon and water are exported as a CSV at the end of this report. A liquid plant's air loop (the heat the cold
    plates leave to the room) rejects to a cooling tower unless the site file says
    `air_heat_rejection: dry`, so a liquid plant with a dry cooler can still use water: the plant and
    water labels name the loop whose tower it is. In hours the plant cannot carry the IT load
    (`derate_h`) the model counts cooling energy and water only for the heat removed, so the grid
    import, carbon and water read low beside a plant that carries the load, and their labels say so.
    """),
    code("""
    ci = spec.grid_carbon_kg_per_mwh
    basis = carbon_basis_text(spec)  # the site's own scope 2 basis and source (dcplan.site_carbon)
    cw = {"grid_mwh": (f["grid_mwh"], "MWh", "Grid import a year (facility energy less on-site PV used or stored, "
                                             "plus battery losses): the energy the bill and the grid carbon are of"
                       + short_plant_caveat(f["derate_h"], "grid import"))}
    if ci is not None:
        cw.update({
            "grid_carbon_kg_per_mwh": (ci, "kg CO2/MWh", f"Grid carbon intensity used: {basis}"),
            "grid_carbon_t": (f["grid_carbon_t"], "t CO2", "Grid carbon a year: grid import, net of on-site PV used on "
                              f"site or stored (counted at 0), x {basis}"
                              + short_plant_caveat(f["derate_h"], "grid carbon")),
            # the PV energy the facility used or stored, pv_mwh - pv_spilled_mwh, at the same flat intensity
            "pv_avoided_carbon_t": ((f["pv_mwh"] - f["pv_spilled_mwh"]) * ci / 1000, "t CO2", pv_avoided_label(spec)),
        })
    else:
        print("The site file has no grid_carbon_kg_per_mwh: no grid carbon figures.")
    wm3 = y.cooling["water_m3"]
    cw["water_m3"] = (wm3, "m3", water_label(spec.cooling, derate_h=f["derate_h"], water_m3=wm3,
                                             cycles=y.plant.attrs["plant"]["tower_cycles"]) + freeze)
    # its split at the plant's cycles of concentration (dcplan.thermal_plant_summary.water_split_m3)
    cw.update({k: (y.cooling[k], "m3", t) for k, t in water_split_labels(y.plant.attrs["plant"]["tower_cycles"]).items()})
    if water_free_frac is not None:
        cw["water_free_cooling_frac"] = (water_free_frac, None, water_free_cooling_label())
    publish(cw)
    """),
    md("## Per GPU-hour and per million tokens\nPer *installed* GPU-hour (accelerators × the hours of the weather year: 8,760, or 8,784 in a leap year; GPU-hours of different GPU generations are not comparable, tokens are); tokens at the fleet's utilisation and the throughput parameter (by default the fleet's example throughput: the GB200 NVL72 figure for GB200 parts, the H100 SXM MLPerf figure for every other accelerator, an illustration there, not a measurement)."),
    code("""
    tps, tps_src = ((tokens_per_s_per_accelerator, "parameter") if tokens_per_s_per_accelerator > 0
                    else power.example_throughput(spec))
    # what the per-token figures rest on (power.throughput_caveat: the H100 figure standing in for a part without
    # its own, an inference benchmark on a training fleet, or the site file's own figure); none for the parameter
    tps_caveat = "" if tokens_per_s_per_accelerator > 0 else power.throughput_caveat(spec)
    print(f"throughput: {tps:,.0f} tokens/s per accelerator ({tps_src})" + (f"; {tps_caveat}" if tps_caveat else ""))
    # the kW one full compute rack of each hardware type draws (its gear share sits in separate network/storage
    # racks), against the reference ranges for its cooling (dcplan.rack_density): the plant model counts cooling
    # per kW of heat, whatever the density; and the compute racks, with any partial last rack
    for note in rack_density_notes(spec):
        print(f"Rack density: {note}.")
    for note in rack_count_notes(spec):
        print(f"Racks: {note}.")
    if rack_figures(spec):
        publish(rack_figures(spec))
    tok = float(power.fleet_tokens_per_s(spec.fleet.utilisation_frac, f["n_accelerators"], tps)) * 3600 * hours_h
    # the throughput every per-token figure rests on, with its caveat (e.g. the H100 figure standing in for a B200)
    tokens = tokens_text(tps, tps_src, tps_caveat)
    unit = {
        "facility_kwh_per_gpu_h": (f["facility_mwh"] * 1000 / gpu_h, "kWh/GPU-h", "Facility energy per installed GPU-hour"),
        "facility_kwh_per_m_tokens": (f["facility_mwh"] * 1000 / (tok / 1e6), "kWh/M tokens",
                                      "Facility energy per million tokens" + tokens),
    }
    if y.bill is not None:
        # the bill plus the PV's and battery's costs a year (0 without them): the bill alone counts their saving,
        # not their cost
        paid = battery_value.paid_for_text(f["pv_annual_cost_usd"], f["battery_annual_cost_usd"])
        paid = f" (bill + {paid})" if paid else ""
        unit["electricity_usd_per_gpu_h"] = (f["electricity_cost_usd"] / gpu_h, "USD/GPU-h",
                                             "Electricity cost per installed GPU-hour" + paid)
        unit["electricity_usd_per_m_tokens"] = (f["electricity_cost_usd"] / (tok / 1e6), "USD/M tokens",
                                                "Electricity cost per million tokens" + paid + tokens)
    if "grid_carbon_t" in f:
        cb = carbon_basis_text(spec)
        unit["carbon_kg_per_gpu_h"] = (f["grid_carbon_t"] * 1000 / gpu_h, "kg CO2/GPU-h",
                                       f"Grid carbon per installed GPU-hour: grid import x {cb}"
                                       + short_plant_caveat(f["derate_h"], "carbon per GPU-hour"))
        unit["carbon_g_per_m_tokens"] = (f["grid_carbon_t"] * 1e6 / (tok / 1e6), "g CO2/M tokens",
                                         f"Grid carbon per million tokens: grid import x {cb}" + tokens
                                         + short_plant_caveat(f["derate_h"], "carbon per million tokens"))
    # the cooling towers' make-up water (water_m3: evaporation + blowdown) per installed GPU-hour and per token
    wcav = short_plant_caveat(f["derate_h"], "water figure") if y.cooling["water_m3"] > 0 else ""
    unit.update(water_unit_figures(y.cooling["water_m3"], gpu_h, tok / 1e6, tokens, wcav))
    # the electricity cost per million tokens is a headline beside the bill: the bill in USD mostly says how large
    # the fleet is, the cost per token compares sites of any size (and GPU generation)
    head = {k: unit.pop(k) for k in ("electricity_usd_per_m_tokens",) if k in unit}
    publish(unit)
    if head:
        publish(head, headline=True)
    """),
    md(VERDICT_TEXT),
    code("""
    check_parameters_unchanged(globals(), site_year=site_params, outcome="nothing was computed")  # run from the top
    v = site_verdict(spec, y, pf, variant=variant, tokens_per_s_per_accelerator=tokens_per_s_per_accelerator,
                     design_hour=dh, worst_hour=worst)
    for sid, why in v.left_out.items():
        print(f"{pf[sid].name} ({sid}) left out of the ranking: the overrides do not apply to it: {why}")
    shown = [c for c in (*RANKED, "escalation_factor", "first_energized_p50", "in_service_since",
                         "time_to_power_median_months") if c in v.peers]
    # the ranked figures (and the date and months from filing), by site id; numbers rounded, the date as it is.
    # The ranked date is the new capacity's (the first phase not already in service), the in-service one apart;
    # the cost per million tokens is each bill at one price date (escalated by escalation_factor), as ranked
    at = v.peers["cost_price_date"].dropna().unique() if "cost_price_date" in v.peers else []
    display(v.peers[shown].round({c: 4 for c in shown if pd.api.types.is_numeric_dtype(v.peers[c])}).rename(
        columns={"first_energized_p50": "first_energized_p50 (new capacity, ranked)",
                 "in_service_since": "in_service_since (not ranked)",
                 **({"usd_per_m_tokens": f"usd_per_m_tokens (at {at[0]} prices, ranked)"} if len(at) else {})}))
    publish({"verdict": (v.text, None, "Verdict")})
    publish({"verdict_caveat": (v.caveat, None, "What the verdict's per-token figures rest on (throughput "
                                                "figures borrowed from another part, a site file's own figures, "
                                                "the parameter's figure for all, or none of these)")})
    """),
    md(SUSTAINABILITY_TEXT),
    code("""
    # the year's energy, PUE, carbon (basis, source) and water (split) as one CSV row: the values published above
    check_parameters_unchanged(globals(), site_year=year_params, outcome="nothing was written")  # run from the top
    if export_dir:
        # a case that is not the site as specified (cooling, fleet_scale, pv_dc_kw, tariff_file) is named so, in
        # the file name and the row (dcplan.site_analysis_case): a reference plant's row is not the site's own
        table = sustainability_table(spec, f, y.cooling, tower_cycles=y.plant.attrs["plant"]["tower_cycles"],
                                     case=case_text(site_params))
        path = write_sustainability_csv(table, check_export_outside_reports(export_dir), spec.id,
                                        tag=case_tag(site_params))
        print(f"The year's energy, PUE, carbon and water written to {path}.")
    else:
        print("export_dir is empty: no CSV written")
    """),
    md(HOURLY_TEXT),
    code(HOURLY_CODE),
]

if __name__ == "__main__":
    # every cell after the setup's checks the parameters the year was computed with (README: run from the top)
    guard_cells(cells, ("year_params = {", "site_year=year_params"))
    write("notebooks/site_analysis.ipynb", cells, peers=True, precheck="dcplan.site_analysis_params:precheck", parameters={
        "cooling": dict(choices_from="dcplan.pipeline:REFERENCE_PLANTS", also=["site"]),
        # fleet_scale above MAX_UNITS_PER_PHASE puts even a 1-unit phase over the fleet spec's limit:
        # no site can take it; each site's own range (its largest phase) is checked in the setup
        # cell (dcplan.portfolio_score.fleet_scale_overrides), as is the low end (no phase to 0 units)
        "fleet_scale": dict(min=0, min_exclusive=True, max=MAX_UNITS_PER_PHASE), "pv_dc_kw": dict(min=0, max=PV_DC_MAX_KW, also=[-1]),
        "tokens_per_s_per_accelerator": dict(min=0)})
