"""The interconnection notebook's hourly facility load is the site chain's (dcplan.pipeline).

It used to load the weather in local *standard* time (``weather.load_site_weather(spec)``)
while the chain behind site_analysis, tco and portfolio_comparison runs on the site's *civil*
clock (``pipeline.site_weather``): a fleet with a daily load shape was laid one hour off the
weather in summer, and Chicago's "Peak facility power" read 5,960.80 kW in interconnection
against site_analysis's 5,949.33 kW. Chicago (mixed workload, daily shape; America/Chicago
observes DST) shows the difference; the expected values are the chain's own figures, which
site_analysis publishes unchanged (``pipeline.figures``).
"""
from __future__ import annotations

import json

import pytest

from dcplan import pipeline, power, thermal_plant, weather as wx
from dcplan.report import render
from dcplan.site import load_portfolio


@pytest.mark.slow
def test_interconnection_peak_facility_load_is_the_pipelines_on_the_civil_clock(tmp_path):
    spec = load_portfolio("default")["chicago-il"]
    fig = pipeline.figures(pipeline.run_site_year(spec))  # what site_analysis publishes
    # the old basis, local standard time: a different peak, so the check below can tell them apart
    w_std = wx.load_site_weather(spec)
    it_std = power.site_it_kw(spec, w_std.index, deployed="all")
    std_peak = float(thermal_plant.plant_hourly(it_std, w_std, spec.cooling,
                                                design_it_kw=power.fleet_design_it_kw(spec))["facility_kw"].max())
    assert abs(std_peak - fig["peak_facility_kw"]) > 5.0  # 5,960.80 vs 5,949.33 kW when written

    s = render(sites=["chicago-il"], notebooks=["interconnection"], out=tmp_path, jobs=1, progress=False)
    assert s.ok, s.table()
    res = json.loads((tmp_path / "chicago-il" / "interconnection" / "results.json").read_text())["results"]
    # the same series, so equal to float rounding (rel 1e-12)
    assert res["facility_peak_kw"]["value"] == pytest.approx(fig["peak_facility_kw"], rel=1e-12)
    # PV energy in site_analysis's unit and key (MWh), equal to the chain's
    assert res["pv_mwh"]["unit"] == "MWh"
    assert res["pv_mwh"]["value"] == pytest.approx(fig["pv_mwh"], rel=1e-12)
    assert "pv_energy_kwh" not in res and res["pv_spilled_mwh"]["unit"] == "MWh"
    # the report says what the time to power is made of: the grid wait and the equipment, at their own medians
    from dcplan import grid
    nb = json.loads((tmp_path / "chicago-il" / "interconnection" / "notebook.ipynb").read_text())
    text = "".join("".join(o.get("text", "")) for c in nb["cells"] for o in c.get("outputs", []))
    med = grid.time_to_power(spec.interconnection).loc[0.5]
    assert (f"Median: grid {med['grid_months']:.1f}, equipment {med['equipment_months']:.1f}, time to power "
            f"{med['time_to_power_months']:.1f} months") in text
    assert med["time_to_power_months"] >= max(med["grid_months"], med["equipment_months"])  # the later of the two
