"""The interconnection notebook's two full-build-out facility peaks, each labelled with what it counts
(physics cross-check finding 1). Research Triangle NC rendered ``facility_peak_kw`` 6,243 kW labelled only
"Peak facility power (full build-out)" (the hourly load at the fleet's utilisation 0.8: IT up to 4,909.7 kW)
beside ``kw_per_gpu`` 1.74367 x 4,096 GPUs = 7,142 kW (design IT x the typical year's worst-hour PUE 1.2717),
900 kW (14 %) apart, with no label saying which figure uses which.

Hand values: design IT = 512 hgx-h100 servers x 10.2 kW + 128 racks x 3.075 kW of rack gear (data/hardware.csv,
as tests/test_thermal_plant_psu.py) = 5,616.0 kW; x PUE 1.26659 in the typical year's worst hour = 7,113.15 kW
(kw_per_gpu 1.73661 x 4,096); the hourly peak is 6,178.05 kW. The gap is 935.1 kW: 13 % of the design figure,
15 % of the hourly peak (6,237.24 kW and 893.5 kW before the plant's fans and pumps followed part-load curves: the
design hour, at full flow, did not move; 7,130.73 and 6,193.05 kW, 937.7 kW apart, before 2026-12, when the
water-cooled chillers' rated COP rose from 6.1 to 6.28, ASHRAE 90.1-2016's >= 600 tons row: data/SOURCES.md).

The tester's figures (kw_per_gpu 1.7436661 x 4,096 = 7,142.06 kW at PUE 1.27173, hourly peak 6,243.11 kW, 899 kW
apart) held the cooling tower's approach at 3.9 K x the heat at any wet bulb. The plant now takes it by Merkel's
method, the tower selected for 3.9 K at the 25.5 °C design wet bulb: narrower in the warmer air of the worst hour,
2025-07-20 14:00, 27.1 °C wet bulb (3.48 K at full heat, 3.22 K at 0.9 of it): colder condenser water, less
chiller power. That hour is also the hour of the hourly peak (IT 4,909.7 kW then), so both fall: the design figure
by 11.3 kW, the hourly peak by 5.9 kW (less heat at the fleet's utilisation). Regression values of the model.
"""
from __future__ import annotations

import json

import pytest

from dcplan import design_hours, pipeline
from dcplan.site import load_portfolio

DESIGN_IT_KW = 512 * 10.2 + 128 * 3.075          # 5,616.0
DESIGN_FACILITY_KW = 7113.1548802196885         # kw_per_gpu x GPUs; the tester's 1.7436661228252803 x 4,096 = 7,142.06
WORST_HOUR_PUE = 1.2665874074465255              # DESIGN_FACILITY_KW / DESIGN_IT_KW; the tester's 1.2717337
# facility_peak_kw; the tester's 6,243.110338163306; 6,237.239792190165 before the CRAH fans and loop pumps followed
# part-load curves: the peak hour runs IT 4,909.7 of the 5,616 kW design (flow fraction ~0.87), where the fan curve
# gives 0.790 of design power against 0.874 linear and the pump curve 0.756: about 0.046 x 6,350 x 0.084 + 0.0155 x
# 6,350 x 0.118 = 36 kW less fan and pump power, and their heat the chiller no longer removes: 44.2 kW lower
HOURLY_PEAK_KW = 6178.052458852952   # 6,193.045524744695 with the rated COP 6.1 (before 2026-12)


@pytest.fixture(scope="module")
def rtp():
    spec = load_portfolio()["research-triangle-nc"]
    y = pipeline.run_site_year(spec)
    return spec, y, design_hours.typical_year_worst_hour(y.design_it_kw, y.weather, spec.cooling)


def test_both_peaks_are_published_with_what_they_count(rtp):
    spec, y, worst = rtp
    assert y.design_it_kw == pytest.approx(DESIGN_IT_KW, rel=1e-12)
    got = design_hours.facility_peak_figures(y.facility_kw, y.it_kw, worst, y.design_it_kw, 4096, spec.fleet)
    assert list(got) == ["facility_peak_kw", "facility_design_kw"]
    peak, design = got["facility_peak_kw"], got["facility_design_kw"]
    assert peak[0] == pytest.approx(HOURLY_PEAK_KW, rel=1e-9) and peak[1] == "kW"
    assert design[0] == pytest.approx(DESIGN_FACILITY_KW, rel=1e-9) and design[1] == "kW"
    assert worst["pue"] == pytest.approx(WORST_HOUR_PUE, rel=1e-9)
    assert design[0] == pytest.approx(DESIGN_IT_KW * worst["pue"], rel=1e-9)
    assert peak[2] == (
        "Peak facility power of the modelled hourly load (full build-out, typical year): the highest hourly mean at "
        "the fleet's own utilisation (training workload, mean utilisation 80%; IT up to 4,910 kW of the 5,616 kW "
        "design IT), 935 kW (13%) below facility_design_kw; what the capacity check and hours_over_first_stage_h "
        "count (within an hour the 1-s load swings above its hourly mean: rack_power shows it at 1 s in the IT "
        "load's peak hour)")
    assert design[2] == (
        "Design facility power (full build-out): design IT 5,616 kW x the typical year's worst-hour PUE 1.2666 "
        "(2025-07-20 14:00 (local clock, UTC-4 h; interval end), 33.9 °C dry bulb, 27.1 °C wet bulb), = kw_per_gpu x 4,096 GPUs; what "
        "sizing counts: the ramp's GPUs powered, gpus_never_powered, the tco notebook's grid capacity and "
        "offpeak_scheduling's site cap; the typical year's worst hour is about an average year's peak, not a "
        "design extreme (site_climate's extreme_year_shortfall_kw); 935 kW (15%) above facility_peak_kw")  # 893 kW (14%) before the part-load curves


def test_a_plant_short_in_the_worst_hour_is_said(rtp):
    spec, y, worst = rtp
    got = design_hours.facility_peak_figures(y.facility_kw, y.it_kw, {**worst, "short": True}, y.design_it_kw,
                                             4096, spec.fleet)
    assert ("27.1 °C wet bulb); the plant is short in that hour, so this counts cooling only for the heat it "
            "removes, = kw_per_gpu x 4,096 GPUs") in got["facility_design_kw"][2]


@pytest.mark.slow
def test_the_notebook_publishes_both_peaks_beside_kw_per_gpu(tmp_path):
    from dcplan.report import render
    s = render(sites=["research-triangle-nc"], notebooks=["interconnection"], out=tmp_path, jobs=1, progress=False)
    assert s.ok, s.table()
    res = json.loads((tmp_path / "research-triangle-nc" / "interconnection" / "results.json").read_text())["results"]
    assert res["facility_peak_kw"]["value"] == pytest.approx(HOURLY_PEAK_KW, rel=1e-9)
    assert res["facility_design_kw"]["value"] == pytest.approx(
        res["kw_per_gpu"]["value"] * res["gpus"]["value"], rel=1e-12)
    assert res["facility_design_kw"]["value"] == pytest.approx(DESIGN_FACILITY_KW, rel=1e-9)
    assert res["facility_peak_kw"]["label"].startswith("Peak facility power of the modelled hourly load")
    assert "the load of facility_peak_kw, at the fleet's own utilisation" in res["hours_over_first_stage_h"]["label"]
