"""Build notebooks/site_climate.ipynb (run from the repo root: python -m tools.build_site_climate)."""
from tools.nbtools import check_params, code, guard_cells, md, params, write

cells = [
    md("""
    # Site climate

    What the typical-year weather means for cooling at this site: dry-bulb and wet-bulb
    duration curves, the monthly profile, hours above cooling-relevant thresholds and the
    hours outdoor air alone can cool the plant (free cooling). Weather is the site's TMY
    file re-stamped onto one calendar year (`dcplan.weather.load_site_weather`).

    Free-cooling hours here are a **climate screen** in the plant model's own figures
    (`dcplan.thermal.free_cooling_limits`): the hours in which a loop's heat rejector at its full
    design heat holds the loop's supply setpoint with no compressor, the setpoints, rejectors and
    approaches the hourly plant model uses for this site's `cooling:` section: the outdoor wet bulb
    (cooling tower) or dry bulb (dry cooler) at or below a limit. Each loop has its own rejector: the liquid loop's is
    `heat_rejection`, the air (CRAH) loop's `air_heat_rejection` (a cooling tower with a
    water-cooled chiller, or a dry cooler with an air-cooled chiller). They are not the *hours with no compressor running anywhere
    in the plant* that `site_analysis` publishes from the hourly plant model; the last section
    says why the two differ.

    **What "full design heat" holds.** A tower is sized for its chillers' condenser heat at the plant's
    nameplate: the loop's heat at full design IT plus the 10 % plant margin (`margin_frac`) plus the
    chillers' compressor heat at their design COP (`dcplan.thermal_plant_loop`, "design heat rejection"; a
    dry cooler, whose air-cooled chiller rejects its own heat, or a tower with no chiller: the margin only).
    In a free-cooling hour no compressor runs, and at full design IT the margin is unused: the tower
    carries 0.837 of its design heat (an air plant with data/cooling_defaults.csv's figures: margin 0.10,
    design COP 11.6 at 19 °C chilled water and the AHRI wet bulb), so its approach is smaller and
    its limit warmer. The headline screen keeps the full design heat (a conservative screen: the tower's
    nameplate duty); beside it, the same count **at full design IT**, with no compressor heat and
    no margin (`dcplan.thermal_screen_basis`), the hours the plant model finds when it carries full
    design IT all year (`cooling_lag`'s plant). `site_analysis`, at each hour's own load, counts no fewer.

    **A cooling tower's approach widens as the wet bulb falls.** The tower is selected for its design
    approach (3.9 K by default) at the design wet bulb its chillers are selected for (25.5 °C, the AHRI
    point, or the site's 0.4 % evaporation wet bulb where that is harsher); at the same air and water flow
    (the same NTU and L/G) colder air holds less enthalpy per K, so at full design heat its approach is
    5.2 K at 21.1 °C wet bulb, 7.7 K at 13.6 °C, 11.2 K at 5 °C (Merkel's method: ASHRAE Handbook, HVAC
    Systems and Equipment, "Cooling Towers"; EnergyPlus Engineering Reference; `dcplan.thermal_tower_merkel`).
    The screen's tower limit is the wet bulb at which the tower water plus the plate heat exchanger's
    approach reaches the supply, with that approach, as the hourly plant model takes it. A dry cooler is a
    sensible heat exchanger whose approach does not widen so: its limit is its supply less its design approach.
    Freezing is outside the model: below 0 °C wet bulb it runs the tower as in any other hour, its evaporation
    counted and no freeze protection (basin heaters, an indoor sump, a fill bypass: their energy and water are
    not in its figures; "Freezing hours" below counts those hours), and below -10 °C, the coldest wet bulb of
    its tower table, it takes the approach at -10 °C. The what-if `-p tower_approach_k X`
    re-selects the tower at another duty: its design wet bulb is the AHRI point's, 29.4 °C entering
    condenser water less X (or the site's 0.4 % wet bulb where harsher), so a smaller X is a tower selected
    at a warmer wet bulb, not a tighter tower at the same condition.
    """),
    params("""
    site: str = "research-triangle-nc"  # site id in the portfolio
    portfolio: str = "default"  # portfolio YAML, or "default" for the bundled example
    tower_approach_k: float = -1.0  # what-if tower approach at design heat [K], -1: the plant model's; X re-selects the tower at the AHRI wet bulb 29.4 - X degC (the site's 0.4 % wet bulb where harsher): a different duty, not a tighter tower at the same condition
    dry_cooler_approach_k: float = -1.0  # what-if dry-cooler approach at design heat, dry bulb to water [K]; -1: the plant model's
    air_plant_chw_supply_degc: float = -1.0  # what-if chilled water of the air (CRAH) loop [degC]; -1: the plant model's
    """),
    check_params("site_climate"),
    code("""
    import matplotlib.pyplot as plt
    import pandas as pd

    from dcplan import plotting, thermal, weather as wx
    from dcplan.notebook_params import check_parameters_unchanged, parameter_values, warn_site_outside_render
    from dcplan.results import publish
    from dcplan.site import load_portfolio
    from dcplan.weather_timing import rows_clock_text

    plotting.use_style()
    spec = load_portfolio(portfolio)[site]
    warn_site_outside_render(spec)  # the site's warnings, as render adds them to the report (not under render)
    w = wx.load_site_weather(spec)
    # each loop's supply setpoint and design approach as the hourly plant model takes them for this
    # site's cooling (dcplan.thermal.free_cooling_limits), with the what-if parameters that are not -1
    what_if = {k: v for k, v in (("tower_approach_k", tower_approach_k),
                                 ("drycooler_approach_k", dry_cooler_approach_k)) if v != -1}
    chw = None if air_plant_chw_supply_degc == -1 else air_plant_chw_supply_degc
    # the plant's towers are selected with its chillers, at their design wet bulb for this weather
    tower_wb = thermal.chiller_design_conditions(w, spec.cooling, **what_if)["chiller_design_wb_degc"]
    limits = thermal.free_cooling_limits(spec.cooling, chw_supply_degc=chw, chiller_design_wb_degc=tower_wb, **what_if)
    main = next(iter(limits))  # the liquid loop of a liquid plant, the air loop of an air plant
    own = limits[main]
    # what-if: the same loop rejecting to the other kind of rejector (the plant model runs its own)
    alt = thermal.free_cooling_limits(spec.cooling, rejection="dry" if own["wet"] else "tower",
                                      chw_supply_degc=chw, chiller_design_wb_degc=tower_wb, **what_if)[main]
    supply_degc = own["supply_degc"]
    # the parameters the site, its weather and its plant's limits are computed with: every later cell refuses to
    # run after a change in the parameters cell (run the notebook from the top)
    run_params = parameter_values(globals(), "site_climate")
    """),
    md("## Headline figures"),
    code("""
    WATER = {"liquid": "hold the {:g} °C liquid supply", "air": "make the {:g} °C chilled water"}
    RIG = {"tower": "cooling tower", "dry": "dry cooler"}


    def screen_h(lim):
        # hours of the climate screen; none when the loop's chiller carries it every hour (economizer: false)
        if not lim["free_path"]:
            return 0.0
        return wx.free_cooling_hours(w, lim["supply_degc"], lim["approach_k"], wet=lim["wet"])


    def no_path(lim):
        return "" if lim["free_path"] else "; 0: no economizer, the chiller carries this loop every hour"


    def screen(lim):
        # the hours of the screen (as dcplan.weather.free_cooling_hours counts them); none without a free path
        col = "temp_wet_bulb_degc" if lim["wet"] else "temp_air"
        return (w[col] <= lim["supply_degc"] - lim["approach_k"]) & lim["free_path"]


    # The screen is at full design heat (the rejector's full approach): the plant's nameplate, with the 10 %
    # margin and (a tower serving a water-cooled chiller) the chillers' compressor heat, which no free-cooling
    # hour puts on it; at part load the plant model finds a loop free in at least these hours. Beside it the
    # same screen at full design IT, no compressor heat and no margin (dcplan.thermal_screen_basis): the hours
    # the plant model finds at a constant full design IT (cooling_lag's plant), to its tower table's accuracy.
    # The plant runs no compressor when its air loop is free and, in a liquid plant, its liquid loop too: so
    # the air loop's screen is at most the plant model's hours with no compressor anywhere when the liquid
    # loop's screen holds in every one of its hours (the bundled plants: its limit is far warmer). A tower's
    # approach is the plant model's: Merkel's at the limit's wet bulb, for the tower selected at the
    # chillers' design wet bulb
    from dcplan.thermal_screen_basis import design_heat_words, free_cooling_limits_at_design_it
    from dcplan.thermal_tower_merkel import TABLE_ACCURACY_K
    from dcplan.verdict_inputs import station_where

    at_it = free_cooling_limits_at_design_it(w, spec.cooling, chw_supply_degc=chw, **what_if)
    air, air_it = limits["air"], at_it["air"]
    bound = "liquid" not in limits or not bool((screen(air) & ~screen(limits["liquid"])).any())
    bound_it = "liquid" not in at_it or not bool((screen(air_it) & ~screen(at_it["liquid"])).any())
    PLANT = "the plant model, with the same rejector, counts at least these hours at the hour's load (site_analysis)"
    TABLE_K = TABLE_ACCURACY_K   # the plant's tower-approach table against Merkel's point by point [K]


    tower_design_k = thermal.plant_params(spec.cooling, **what_if).values["tower_approach_k"]
    ecwt = thermal.plant_params(spec.cooling, **what_if).values["chiller_rating_ecwt_degc"]


    def caveat(lim):
        # a tower's screen: which tower (the plant model's), and how its approach moves
        if not lim["wet"]:
            return ""
        moved = (f" (what-if tower_approach_k {tower_design_k:g} K: the tower re-selected at the AHRI wet bulb "
                 f"{ecwt:g} - {tower_design_k:g} °C, or the site's 0.4 % where harsher: a different duty, not a "
                 "tighter tower at the same condition)" if "tower_approach_k" in what_if else "")
        return (f"; the tower selected for a {tower_design_k:g} K approach at {round(tower_wb, 2):g} °C wet bulb"
                f"{moved}, its approach wider as the wet bulb falls (Merkel's method)")


    def basis(loop, lim):
        # what the full design heat holds that a free-cooling hour does not, and the companion figure
        return f"at {design_heat_words(at_it[loop], RIG[lim['rejection']])} ({IT_KEY[loop]})"


    def at_it_plant(loop, lim, is_bound):
        # what the plant model counts beside the design-IT screen
        near = (f", to within the hours whose wet bulb is within {TABLE_K:g} K of the limit (its tower-approach "
                "table's accuracy)" if lim["wet"] else "")
        if is_bound:
            return ("; the plant model carrying full design IT every hour (cooling_lag's plant) counts these hours "
                    f"with no compressor anywhere{near}, and no fewer at lower loads (site_analysis, at each hour's load)")
        if loop == "air":
            return ("; the plant runs no compressor anywhere only in hours its liquid loop is free too "
                    "(site_analysis counts them at the hour's load)")
        return (f"; the plant model carrying full design IT every hour finds the {RIG[lim['rejection']]} alone "
                f"holding this loop's supply in these hours{near}")


    OWN_KEY = "free_cooling_wet_h" if own["wet"] else "free_cooling_dry_h"
    # the count at full design IT beside each headline screen (an air plant's one loop: its own key's)
    IT_KEY = {"air": "free_cooling_air_loop_design_it_h", main: OWN_KEY[:-len("_h")] + "_design_it_h"}
    AT_IT = "; the {} carries the loop's heat at full design IT, no compressor heat and no plant margin"
    s = wx.climate_summary(w)
    # the figures are the weather station's: where it is, when not at the site (dcplan.verdict_inputs)
    at = station_where(spec, w.attrs)
    at_ = f" ({at})" if at else ""
    figures = {"temp_air_mean_degc": (s["temp_air_mean_degc"], "°C", f"Mean dry bulb{at_}")}
    figures[OWN_KEY] = (
        screen_h(own), "h", f"Hours the {RIG[own['rejection']]} alone can "
        f"{WATER[main].format(own['supply_degc'])} (climate screen: {own['rule']}; {basis(main, own)})"
        + (f"; {PLANT}" if main == "air" else "") + caveat(own) + no_path(own) + at_)
    figures[IT_KEY[main]] = (
        screen_h(at_it[main]), "h", f"Hours the {RIG[own['rejection']]} alone can "
        f"{WATER[main].format(own['supply_degc'])} at full design IT (climate screen: {at_it[main]['rule']}"
        + AT_IT.format(RIG[own['rejection']]) + ")" + at_it_plant(main, own, main == "air") + caveat(own) + no_path(own)
        + at_)
    if "liquid" in limits:
        figures["free_cooling_air_loop_h"] = (
            screen_h(air), "h", f"Hours the air loop's {RIG[air['rejection']]} alone can make its "
            f"{air['supply_degc']:g} °C chilled water (climate screen: {air['rule']}; {basis('air', air)})"
            + (f"; {PLANT}" if bound else "; the plant runs no compressor anywhere only in hours its liquid loop "
               "is free too (site_analysis counts them at the hour's load)") + caveat(air) + no_path(air))
        figures[IT_KEY["air"]] = (
            screen_h(air_it), "h", f"Hours the air loop's {RIG[air['rejection']]} alone can make its "
            f"{air['supply_degc']:g} °C chilled water at full design IT (climate screen: {air_it['rule']}"
            + AT_IT.format(RIG[air['rejection']]) + ")" + at_it_plant("air", air, bound_it) + caveat(air) + no_path(air))
    publish(figures, headline=True)
    publish({
        "free_cooling_dry_h" if own["wet"] else "free_cooling_wet_h": (
            screen_h(alt), "h", f"What-if: hours a {RIG[alt['rejection']]} alone could "
            f"{WATER[main].format(alt['supply_degc'])} (climate screen: {alt['rule']}); the site's plant rejects "
            f"to a {RIG[own['rejection']]}{no_path(alt)}"),
        "weather_station": (w.attrs["station"], None, "Weather station (the weather file's header)"),
        "weather_station_id": (f"{w.attrs['station_id_kind']} {w.attrs['station_id']}".strip(), None,
                               "Weather station number (the weather file's header)"),
        "weather_format": (w.attrs["format"].upper() + (f", its {w.attrs['resampled_from_min']:g}-minute rows "
                                                        "averaged to hours" if w.attrs.get("resampled_from_min")
                                                        else ""),
                           None, "Weather file format (as read; a file of rows finer than hourly: averaged to hours, "
                           "dcplan.weather_hourly)"),
        "weather_rows_clock": (rows_clock_text(w.attrs, spec.weather.rows_utc_offset_h), None,
                               "Clock the weather file's rows were read on (dcplan.weather_timing): a typical year "
                               "in another zone than the site's is wrapped onto the site's calendar year"),
        "weather_source_text": (spec.weather.source or "(not given)", None,
                                "Weather source as the site file states it (free text, weather.source)"),
        "temp_air_max_degc": (s["temp_air_max_degc"], "°C", "Max dry bulb of the typical year (a typical year "
                              "leaves out extremes: design conditions below)"),
        "temp_air_p99_degc": (s["temp_air_p99_degc"], "°C", "Dry bulb exceeded 1 % of the typical year's hours"),
        "temp_wet_bulb_max_degc": (s["temp_wet_bulb_max_degc"], "°C", "Max wet bulb of the typical year"),
        "temp_wet_bulb_p99_degc": (s["temp_wet_bulb_p99_degc"], "°C",
                                   "Wet bulb exceeded 1 % of the typical year's hours"),
        "supply_degc": (supply_degc, "°C", f"Supply setpoint of the {main} loop in the plant model "
                        + ("(W-class maximum less the control margin)" if main == "liquid"
                           else "(chilled water: inlet setpoint less the CRAH approach)")),
    })
    """),
    md("""
    ## Design conditions

    The plant is not sized on the typical year's hottest hours: its chillers are selected for a
    **design condition** (`dcplan.thermal_plant_params.chiller_design_conditions`), the harsher of the
    AHRI 550/590 rating point and the site's 0.4 % value — from the ASHRAE design conditions of the
    weather file's header (the ASHRAE Handbook's Climate Design Data, from the station's long-term
    record) where it has them, else the typical year's 99.6th percentile. A typical year leaves out
    extremes, so its percentiles read below ASHRAE's. The table sets the typical year's figures beside
    the header's 0.4 % and 1 % design dry and wet bulbs, their mean coincident values and the extremes.
    """),
    code("""
    ashrae = w.attrs.get("ashrae_design")
    dt = wx.design_table(w)
    src = ashrae["source"] if ashrae else None
    shown = dt.set_index("what").rename_axis("figure").drop(columns="ashrae_what").rename(columns={
        "typical_year_degc": "typical year [°C]", "ashrae_degc": f"ASHRAE design conditions [°C] ({src})"})
    if ashrae:
        figs = {"ashrae_design_source": (src, None,
                                         "Source of the ASHRAE design conditions")}
        figs.update({f"ashrae_{k}_degc": (r.ashrae_degc, "°C", f"{r.ashrae_what} (ASHRAE design conditions: {src})")
                     for k, r in dt.iterrows() if pd.notna(r.ashrae_degc)})
    else:
        shown = shown.drop(columns=shown.columns[-1]).dropna()  # (the rows only ASHRAE gives go too)
        figs = {"ashrae_design_source": (
            f"none: this {w.attrs['format'].upper()} file has no ASHRAE design conditions (only an EPW header "
            "carries them); the typical-year percentiles read below the station's design values", None,
            "Source of the ASHRAE design conditions")}
    figs["temp_air_p99p6_degc"] = (dt.at["cooling_db_0p4", "typical_year_degc"], "°C",
                                   "Dry bulb exceeded 0.4 % of the typical year's hours (its 99.6th percentile)")
    figs["temp_wet_bulb_p99p6_degc"] = (dt.at["evap_wb_0p4", "typical_year_degc"], "°C",
                                        "Wet bulb exceeded 0.4 % of the typical year's hours (its 99.6th percentile)")
    # the condition this site's chillers are selected for: wet bulb for water-cooled ones (a tower),
    # dry bulb for air-cooled ones (a dry cooler)
    # (the what-if tower approach moves the AHRI point)
    design = thermal.chiller_design_conditions(w, spec.cooling, **what_if)
    kinds = sorted({"wb" if lim["rejection"] == "tower" else "db" for lim in limits.values() if lim["chiller"]})
    CHILLER = {"wb": ("wet bulb", "water-cooled", "temp_wet_bulb_degc", "0.4 % evaporation wet bulb"),
               "db": ("dry bulb", "air-cooled", "temp_air", "0.4 % cooling dry bulb")}
    design_degc = {}
    for k in kinds:
        bulb, kind, col, pct = CHILLER[k]
        t = design[f"chiller_design_{k}_degc"]
        design_degc[k] = t
        figs[f"chiller_design_{k}_degc"] = (t, "°C", f"Outdoor {bulb} the plant's {kind} chillers are selected for, "
                                            f"the harsher of the AHRI 550/590 rating point and the site's {pct} "
                                            f"(here: {design[f'chiller_design_{k}_basis']})")
        figs[f"hours_{'wetbulb' if k == 'wb' else 'drybulb'}_above_chiller_design_h"] = (
            float((w[col] > t).sum()), "h", f"Hours of the typical year with {bulb} > {round(t, 2):g} °C, the {kind} "
            "chillers' design condition (above it their capacity falls with their COP)")
    publish(figs)
    shown.round(1).astype(object).where(shown.notna(), "–")  # –: no such figure
    """),
    md("""
    ## Extremes the typical year leaves out

    A typical year is stitched from typical months: its hottest hour is about an average year's peak, not a
    design extreme, so every hourly figure drawn from it (`site_analysis`'s derate hours and worst-hour
    shortfall, `interconnection`'s `facility_design_kw` and `gpus_never_powered`) holds **for the typical year
    only**. An EPW header's DESIGN CONDITIONS line states the station's extremes (ASHRAE Handbook, Climate
    Design Data, from its long-term record): the 10- and 20-year return-period dry bulbs and the extreme
    maximum wet bulb. Here the plant runs at full design IT through the typical year with one hour moved to
    each (`dcplan.thermal_extremes.extreme_hour_capacity`): the typical year's hottest hour with its dry bulb
    set to the n-year value and its own wet bulb kept, or its most humid hour with its wet bulb set to the
    extreme and its own dry bulb kept. The chillers keep the selection of the typical year (the design
    conditions above). A TMY2 or TMY3 file or an NSRDB CSV has no such header: no figure is given.
    """),
    code("""
    from dcplan import power
    from dcplan.thermal_extremes import extreme_figures, extreme_hour_capacity, extremes_text

    design_it_kw = float(power.fleet_design_it_kw(spec))   # the full build-out's design IT, as site_analysis
    ext = extreme_hour_capacity(design_it_kw, w, spec.cooling, electrical_chain=spec.electrical.stages(), fleet=spec,
                                **what_if)
    print(extremes_text(ext))
    head, others = extreme_figures(ext)
    publish(head, headline=True)
    if others:
        publish(others)
    cols = ["what", "stated_degc", "temp_air_degc", "temp_wet_bulb_degc", "carried_it_kw", "shortfall_kw"]
    ext_shown = ext[cols].rename(columns={
        "what": "hour", "stated_degc": "stated [°C]", "temp_air_degc": "dry bulb run [°C]",
        "temp_wet_bulb_degc": "wet bulb run [°C]", "carried_it_kw": "IT carried [kW]", "shortfall_kw": "short [kW]"})
    ext_shown.round(1) if len(ext_shown) else None
    """),
    md("## Duration curves\nHours per year at or above each temperature. The chillers are selected for the "
       "design condition above (dotted: the chiller design wet bulb of water-cooled chillers, in the wet bulb's "
       "colour, or dry bulb of air-cooled ones, in the dry bulb's; a plant with both has a dotted line of each), "
       "not for the typical year's tail: the hours beyond a dotted line are hours above the condition the "
       "chillers are selected for. The free-cooling limits are the outdoor temperatures up to which a loop needs "
       "no compressor at its full design heat: the liquid loop's dashed in vermilion, the air loop's dash-dotted "
       "in black."),
    code("""
    fig, ax = plt.subplots(figsize=(10, 4))  # wider: the legend sits beside the plot
    db = wx.duration_curve(w["temp_air"])
    wb = wx.duration_curve(w["temp_wet_bulb_degc"])
    ax.plot(db.index, db.values, color=plotting.COLORS["temp"], label="dry bulb")
    ax.plot(wb.index, wb.values, color=plotting.COLORS["wetbulb"], label="wet bulb")
    # each loop's limit its own colour and dash (Northern Virginia's two were one colour, told apart by dash only),
    # the chillers' design bulbs dotted in their bulb's colour
    LOOP_STYLE = {"liquid": (plotting.COLORS["limit"], "--"), "air": (plotting.COLORS["facility"], "-.")}
    for loop, lim in limits.items():
        color, ls = LOOP_STYLE[loop]
        ax.axhline(lim["limit_degc"], color=color, ls=ls, lw=1.2,
                   label=f"{loop} loop free-cooling limit ({'wet' if lim['wet'] else 'dry'} bulb)")
    for k, t in design_degc.items():
        ax.axhline(t, color=plotting.COLORS["wetbulb" if k == "wb" else "temp"], ls=":", lw=1.2,
                   label=f"chiller design {'wet' if k == 'wb' else 'dry'} bulb")
    plotting.label(ax, f"{spec.name}: temperature duration curves", "hours exceeded per year [h]",
                   "temperature [°C]")
    plotting.legend_outside(ax)  # beside the plot: inside, it sat over a limit line wherever it was put
    plt.show()
    """),
    md("## Monthly profile"),
    code("""
    m = wx.monthly_profile(w)
    fig, ax = plt.subplots()
    ax.fill_between(m.index, m["temp_air_daily_min_degc"], m["temp_air_daily_max_degc"],
                    color=plotting.COLORS["temp"], alpha=0.25, label="mean daily min-max dry bulb")
    ax.plot(m.index, m["temp_air_mean_degc"], color=plotting.COLORS["temp"], label="mean dry bulb")
    ax.plot(m.index, m["temp_wet_bulb_mean_degc"], color=plotting.COLORS["wetbulb"], label="mean wet bulb")
    ax.set_xticks(range(1, 13))
    plotting.label(ax, f"{spec.name}: monthly temperatures", "month", "temperature [°C]", legend=True)
    plt.show()
    m.round(1).rename(columns={
        "temp_air_mean_degc": "mean dry bulb [°C]", "temp_air_daily_max_degc": "daily max [°C]",
        "temp_air_daily_min_degc": "daily min [°C]", "temp_wet_bulb_mean_degc": "mean wet bulb [°C]",
        "temp_dew_mean_degc": "mean dew point [°C]", "relative_humidity_mean_pct": "mean RH [%]"})
    """),
    md("""
    ## Hours above air-side economizer thresholds

    Outdoor **dry-bulb** hours against the IT inlet-air thresholds (ASHRAE TC9.9 Thermal Guidelines,
    5th ed., 2021): what they mean for an air-side economizer, which supplies outdoor air to the
    inlets. The counts are dry bulb only: the envelope's humidity limits (dew point, relative
    humidity) are not applied, so they are not hours the outdoor air is within the envelope. The
    inlet thresholds do not apply to the **wet bulb**, which bounds a cooling tower: its hours are
    the free-cooling screen and the hours above the chillers' design wet bulb (above).

    The 24 °C changeover is the 75 °F (23.9 °C) fixed dry-bulb high limit at which energy codes close an air-side
    economizer in dry climates (Washington State Energy Code C403.3.3.3; codes set lower limits in humid zones):
    dcplan takes it for every site (`dcplan.weather_stats.AIR_ECONOMIZER_CHANGEOVER_DEGC`), an assumption, not the
    site's design.

    Beside them, the hours at or below the 24 °C changeover in which outdoor air is also within the
    **recommended envelope's moisture limits** for A1-A4 (ASHRAE TC 9.9 Thermal Guidelines, 5th ed.,
    2021, reference card Table 2.1: dew point -9 to 15 °C, relative humidity at most 70 %), and those
    too humid or too dry for it (`dcplan.weather.air_economizer_envelope_hours`). The humidity is
    taken at the supply temperature: the outdoor dry bulb, or 18 °C (the range's lower bound) when
    colder, outdoor air tempered with return air, which adds heat but no moisture. In a humid climate
    far fewer hours are within the envelope than are below the changeover.
    """),
    code("""
    from dcplan.weather_stats import AIR_ECONOMIZER_CHANGEOVER_DEGC, AIR_ECONOMIZER_CHANGEOVER_SOURCE
    h = wx.hours_above(w)
    MEANS = {18: "the recommended inlet range's lower bound (18-27 °C): in hours below it outdoor air needs "
                 "return air mixed in to stay in range",
             int(AIR_ECONOMIZER_CHANGEOVER_DEGC): ("the air-side economizer changeover dcplan assumes "
                                                   f"({AIR_ECONOMIZER_CHANGEOVER_SOURCE})"),
             27: "the recommended inlet range's upper bound: outdoor air alone would put the inlets above it",
             32: "the A1 allowable upper limit: outdoor air alone would put A1 inlets outside the allowable range"}
    publish({f"hours_drybulb_above_{int(t)}_h": (float(r.drybulb_h), "h", f"Hours outdoor dry bulb > {t:g} °C: "
             f"{MEANS.get(int(t), 'threshold')} (dry bulb only; humidity limits not applied)")
             for t, r in h.iterrows()})
    env = wx.air_economizer_envelope_hours(w)
    LIMITS = ("the ASHRAE TC 9.9 recommended envelope's moisture limits for A1-A4 (Thermal Guidelines 5th ed., "
              "2021): dew point -9 to 15 °C and RH <= 70 % at the supply temperature (the outdoor dry bulb, or 18 °C "
              "when colder: tempered with return air)")
    publish({
        "hours_air_economizer_envelope_h": (env["within_h"], "h", f"Hours outdoor dry bulb <= "
                                            f"{AIR_ECONOMIZER_CHANGEOVER_DEGC:g} °C (the changeover dcplan assumes: "
                                            f"{AIR_ECONOMIZER_CHANGEOVER_SOURCE}) and within {LIMITS}: outdoor air "
                                            "needs no humidity control"),
        "hours_air_economizer_too_humid_h": (env["too_humid_h"], "h", f"Hours outdoor dry bulb <= "
                                             f"{AIR_ECONOMIZER_CHANGEOVER_DEGC:g} °C (the changeover) but too humid "
                                             "for the recommended envelope (dew point > 15 °C, or RH > 70 % at the "
                                             "supply temperature): outdoor air needs dehumidifying"),
        "hours_air_economizer_too_dry_h": (env["too_dry_h"], "h", f"Hours outdoor dry bulb <= "
                                           f"{AIR_ECONOMIZER_CHANGEOVER_DEGC:g} °C (the changeover) but too dry for "
                                           "the recommended envelope (dew point < -9 °C): outdoor air needs "
                                           "humidifying"),
    })
    """),
    md("""
    ## Freezing hours

    Hours below 0 °C, dry bulb and wet bulb. The hourly plant model runs the cooling tower (with its
    evaporation) or the dry cooler in them as in any other hour: freeze protection is not modelled (the
    same below -10 °C wet bulb, where it takes the tower's approach at -10 °C, its table's coldest). Where a
    tower loop sees more than 0.4 % of the year below 0 °C wet bulb and a dry cooler would hold that loop's
    supply in all but 0.4 % of the hours, `dcplan validate` and the report warn
    (`dcplan.site_climate_checks.tower_freeze_warnings`).
    """),
    code("""
    frz = wx.freezing_hours(w)
    publish({"hours_drybulb_below_0_h": (frz["drybulb_below_0_h"], "h", "Hours outdoor dry bulb < 0 °C"),
             "hours_wetbulb_below_0_h": (frz["wetbulb_below_0_h"], "h", "Hours outdoor wet bulb < 0 °C")})
    note = wx.freeze_note(frz, [lim["rejection"] for lim in limits.values()],
                          wetbulb_below_m10_h=float((w["temp_wet_bulb_degc"] < -10.0).sum()))
    if note:
        publish({"freeze_protection_note": (note, None, "Freeze protection (not modelled)")})
    """),
    md("""
    ## Climate screen and plant model

    `site_analysis` publishes *free-cooling hours* from the hourly plant model
    (`dcplan.thermal.plant_summary`, `free_cooling_h`): the hours with **no compressor running
    anywhere in the plant** at the site's IT load. The screen above counts, for one loop at a
    time, the hours its tower or dry cooler alone can hold its supply at its full design heat.
    The two differ for three reasons:

    * a liquid plant also has an air loop (the IT heat the cold plates do not capture, and the
      electrical losses) whose chilled water comes from a chiller; that chiller runs whenever the
      air loop's own rejector cannot make the chilled water (its cooling tower, by wet bulb, or
      with `air_heat_rejection: dry` its dry cooler, by dry bulb), so the plant's no-compressor
      hours follow the air loop's screen, not the liquid loop's;
    * below its design heat a tower's (or dry cooler's) approach is smaller, so at part load the
      plant model finds more hours for a loop than its screen (never fewer while the IT load is
      within the plant's design). The screens above are at full design heat: the plant model's
      no-compressor hours are at least the air loop's screen (when the liquid loop's screen
      holds in each of its hours, as the label says).
    * the full design heat is the plant's nameplate: the loop's heat at full design IT plus the plant margin
      (`margin_frac`) plus, for a tower serving a water-cooled chiller, the chillers' compressor heat at their
      design COP. No free-cooling hour carries the compressor heat, and at full design IT the margin is unused,
      so even at full design IT the tower carries less (0.837 of its design heat for an air plant with the
      defaults). The `*_design_it_h` figures screen at that heat (`dcplan.thermal_screen_basis`): the plant model
      held at full design IT all year (`cooling_lag`'s plant, `lag_site_free_cooling_h`) counts the same hours
      with no compressor, give or take hours within 0.03 K of a tower limit (its tower table's accuracy).

    The screen and the plant model take a tower's approach the same way: Merkel's method for the tower
    selected at the chillers' design wet bulb (`dcplan.thermal_tower_merkel`, at standard pressure), wider
    as the wet bulb falls, smaller at part heat. Holding the design approach at every wet bulb instead, as
    dcplan did before, over-counted a tower loop's hours; the cell below counts both at this site's air loop.
    """),
    code("""
    # this site's air loop: the screen's hours with Merkel's approach (above) beside the hours the design
    # approach held at every wet bulb counts (the count dcplan made before); a dry cooler's approach is its
    # design one at every dry bulb, so the two are the same there
    if not air["free_path"]:
        print("This site's air loop has no economizer (economizer: false): its chiller carries it every hour, "
              "so neither count applies.")
    elif not air["wet"]:
        print(f"This site's air loop rejects to a {RIG['dry']}: its screen holds the {air['approach_k']:g} K "
              "design approach at every dry bulb, so Merkel's tower approach does not apply to it.")
    else:
        merkel_h = screen_h(air)
        # both counts with the same heat-exchanger approach: only the tower's approach differs
        hx = air["hx_approach_k"]
        held_h = wx.free_cooling_hours(w, air["supply_degc"], tower_design_k + hx, wet=True)
        share = f", {merkel_h / held_h:.2f} of it" if held_h > 0 else ""
        print(f"This site's air loop ({RIG['tower']}, {air['supply_degc']:g} °C chilled water, {hx:g} K "
              f"heat-exchanger approach in both counts): the screen counts {merkel_h:,.0f} h with Merkel's tower "
              f"approach at the limit's wet bulb ({air['rejector_approach_k']:.2f} K); holding the "
              f"{tower_design_k:g} K design approach at every wet bulb counts {held_h:,.0f} h{share}.")
    """),
]

if __name__ == "__main__":
    # every cell after the setup's checks the parameters it was computed with (README: run from the top)
    guard_cells(cells, ("run_params = parameter_values", "set_up=run_params"))
    write("notebooks/site_climate.ipynb", cells, peers=False, parameters={
        # -1: the plant model's figure. Approaches > 0 (the plant divides by them), and within
        # dcplan.weather.free_cooling_hours' [0, 30] K with the plate heat exchanger's added to the
        # tower's; supplies within its [0, 60] °C and above freezing
        # (and inside data/cooling_defaults.csv's plausibility bands, dcplan.catalog_bands: an override
        # outside them is refused as the CSV's own row would be)
        # below 1.71 K the tower re-selected at the AHRI wet bulb (29.4 - X) needs an NTU above 5 with the default
        # range and L/G (dcplan.thermal_tower_merkel.check_tower_design refuses it)
        "tower_approach_k": dict(min=1.71, max=15, also=[-1]),
        "dry_cooler_approach_k": dict(min=2, max=25, also=[-1]),
        "air_plant_chw_supply_degc": dict(min=0, max=60, min_exclusive=True, also=[-1])})
