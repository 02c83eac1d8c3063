"""Build notebooks/site_climate.ipynb (run from the repo root: python -m tools.build_site_climate)."""
from tools.nbtools import check_params, code, md, params, write

cells = [
    md("""
    # Site climate

    What the typical-year weather means for cooling at this site: dry-bulb and wet-bulb
    duration curves, the monthly profile, hours above cooling-relevant thresholds and the
    hours outdoor air alone can cool the plant (free cooling). Weather is the site's TMY
    file re-stamped onto one calendar year (`dcplan.weather.load_site_weather`).
    Free-cooling hours here are a climate screen: outdoor temperature plus one approach
    below the facility supply (the liquid class maximum, or an air plant's chilled water).
    The hourly plant model (`site_analysis`, `cooling_lag`) adds the heat exchanger, part
    load and the air-side share of the heat, so its free-cooling hours differ.
    """),
    params("""
    site: str = "research-triangle-nc"  # site id in the portfolio
    portfolio: str = "default"  # portfolio YAML, or "default" for the bundled example
    dry_cooler_approach_k: float = 8.0  # dry cooler + CDU approach, outdoor dry bulb to facility supply [K]
    tower_approach_k: float = 7.0  # cooling tower + heat-exchanger approach, wet bulb to supply [K]
    air_plant_chw_supply_degc: float = 18.0  # chilled-water supply of an air (CRAH) plant [degC]
    """),
    check_params("site_climate"),
    code("""
    import matplotlib.pyplot as plt
    import pandas as pd

    from dcplan import plotting, weather as wx
    from dcplan.results import publish
    from dcplan.site import load_portfolio

    plotting.use_style()
    spec = load_portfolio(portfolio)[site]
    w = wx.load_site_weather(spec)
    # facility supply temperature: the liquid class's upper limit (ASHRAE TC9.9 W-classes), or the
    # chilled-water supply of an air-cooled plant
    if spec.cooling.type == "liquid" and spec.cooling.liquid_class:
        supply_degc = float(spec.cooling.liquid_class[1:])
    else:
        supply_degc = air_plant_chw_supply_degc
    """),
    md("## Headline figures"),
    code("""
    s = wx.climate_summary(w)
    free_dry_h = wx.free_cooling_hours(w, supply_degc, dry_cooler_approach_k, wet=False)
    free_wet_h = wx.free_cooling_hours(w, supply_degc, tower_approach_k, wet=True)
    publish({
        "temp_air_mean_degc": (s["temp_air_mean_degc"], "°C", "Mean dry bulb"),
        "free_cooling_dry_h": (free_dry_h, "h", f"Dry-cooler free-cooling hours (supply {supply_degc:g} °C, approach {dry_cooler_approach_k:g} K)"),
        "free_cooling_wet_h": (free_wet_h, "h", f"Cooling-tower free-cooling hours (supply {supply_degc:g} °C, approach {tower_approach_k:g} K)"),
    }, headline=True)
    publish({
        "weather_station": (w.attrs["station"], None, "Weather station"),
        "temp_air_max_degc": (s["temp_air_max_degc"], "°C", "Max dry bulb"),
        "temp_air_p99_degc": (s["temp_air_p99_degc"], "°C", "Dry bulb exceeded 1 % of hours"),
        "temp_wet_bulb_max_degc": (s["temp_wet_bulb_max_degc"], "°C", "Max wet bulb"),
        "temp_wet_bulb_p99_degc": (s["temp_wet_bulb_p99_degc"], "°C", "Wet bulb exceeded 1 % of hours"),
        "supply_degc": (supply_degc, "°C", "Facility supply temperature assumed"),
    })
    """),
    md("## Duration curves\nHours per year at or above each temperature: the right-hand tail is what the plant must handle."),
    code("""
    fig, ax = plt.subplots()
    db = wx.duration_curve(w["temp_air"])
    wb = wx.duration_curve(w["temp_wet_bulb_degc"])
    ax.plot(db.index, db.values, color=plotting.COLORS["temp"], label="dry bulb")
    ax.plot(wb.index, wb.values, color=plotting.COLORS["wetbulb"], label="wet bulb")
    ax.axhline(supply_degc - dry_cooler_approach_k, color=plotting.COLORS["limit"], ls="--", lw=1,
               label="dry-cooler free-cooling limit")
    plotting.label(ax, f"{spec.name}: temperature duration curves", "hours exceeded per year [h]",
                   "temperature [°C]", legend=True)
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
    md("## Hours above cooling thresholds\n18 and 27 °C bound the ASHRAE TC9.9 recommended envelope; 24 °C is a common economizer changeover; 32 °C the A1 allowable limit."),
    code("""
    h = wx.hours_above(w)
    publish({f"hours_drybulb_above_{int(t)}_h": (float(r.drybulb_h), "h", f"Hours dry bulb > {t:g} °C")
             for t, r in h.iterrows()})
    publish({f"hours_wetbulb_above_{int(t)}_h": (float(r.wetbulb_h), "h", f"Hours wet bulb > {t:g} °C")
             for t, r in h.iterrows()})
    """),
]

if __name__ == "__main__":
    write("notebooks/site_climate.ipynb", cells, parameters={
        # dcplan.weather.free_cooling_hours' ranges: approach [0, 30] K, supply [0, 60] °C
        "dry_cooler_approach_k": dict(min=0, max=30), "tower_approach_k": dict(min=0, max=30),
        "air_plant_chw_supply_degc": dict(min=0, max=60)})
