"""site_analysis publishes ITUE beside TUE, each with its definition and the PSU efficiency it rests on
(physics cross-check finding 3: rack_power's text points at "ITUE and TUE in site_analysis", which
published only ``tue`` labelled "TUE").

Hand values: the Research Triangle fleet is hgx-h100 racks, PSU efficiency (4 x 10.2 x 0.96 + 3.075) /
(4 x 10.2 + 3.075) = 0.962803 (data/hardware.csv, tests/test_thermal_plant_psu.py); an air plant's server
fans are 8 % of IT (data/cooling_defaults.csv server_fan_frac_air), and its year has no hot-inlet fan uplift,
so ITUE = 1 / (0.962803 x (1 - 0.08)) = 1.128950 (1.1289 in the label) and TUE = annual PUE x ITUE.
"""
from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest

from dcplan import compute_power_labels, pipeline, thermal
from dcplan.site import load_portfolio

PSU = (4 * 10.2 * 0.96 + 3.075) / (4 * 10.2 + 3.075)   # 0.962803
ITUE = 1.0 / (PSU * (1.0 - 0.08))                      # 1.128950
FLEET_BASIS = "the fleet's own, data/hardware.csv psu_efficiency_frac, power-weighted over its units and rack gear"


@pytest.fixture(scope="module")
def rtp():
    spec = load_portfolio()["research-triangle-nc"]
    return spec, pipeline.run_site_year(spec)


def test_itue_is_one_over_psu_times_one_less_fans_and_labelled_so(rtp):
    spec, y = rtp
    got = compute_power_labels.itue_tue_figures(y.plant, y.cooling, spec.cooling)
    assert list(got) == ["itue", "tue"]
    assert ITUE == pytest.approx(1.128950, abs=1e-6)
    assert got["itue"][0] == pytest.approx(ITUE, rel=1e-12)
    assert got["tue"][0] == pytest.approx(y.cooling["annual_pue"] * ITUE, rel=1e-12)
    assert got["itue"][2] == (
        f"ITUE (IT power / compute power over the year: PSU efficiency 0.963, {FLEET_BASIS}; server fans 8% of IT "
        "power at the design inlet, data/cooling_defaults.csv server_fan_frac_air: 1 / (0.963 x (1 - 0.08)) = 1.1289)")
    assert got["tue"][2] == (
        f"TUE (facility power / compute power = annual PUE x ITUE, {y.cooling['annual_pue']:.4f} x 1.1289; compute "
        f"power at PSU efficiency 0.963, {FLEET_BASIS})")


def test_a_bare_plant_names_the_default_psu_and_a_fan_uplift():
    # no fleet: cooling_defaults psu_eff_frac 0.94; liquid plant, server fans 2 %: 1 / (0.94 x 0.98) = 1.085540
    idx = pd.date_range("2025-07-01 01:00", periods=24, freq="h", tz="Etc/GMT+7")
    cool = {"type": "liquid", "liquid_class": "W32"}
    w = pd.DataFrame({"temp_air": np.full(24, 10.0), "temp_wet_bulb_degc": np.full(24, 5.0)}, index=idx)
    plant = thermal.plant_hourly(1000.0, w, cool)
    got = compute_power_labels.itue_tue_figures(plant, thermal.plant_summary(plant), cool)
    assert got["itue"][0] == pytest.approx(1 / (0.94 * 0.98), rel=1e-12)
    assert got["itue"][2].endswith("PSU efficiency 0.940, data/cooling_defaults.csv psu_eff_frac (no fleet given); "
                                   "server fans 2% of IT power at the design inlet, data/cooling_defaults.csv "
                                   "server_fan_frac_liquid: 1 / (0.940 x (1 - 0.02)) = 1.0855)")
    # hours with a hot-inlet server-fan uplift raise ITUE above 1 / (psu x (1 - fan)): the label counts them
    plant["it_fan_uplift_kw"] = np.r_[np.full(3, 5.0), np.zeros(21)]
    assert got["itue"][2] != compute_power_labels.itue_tue_figures(plant, thermal.plant_summary(plant), cool)["itue"][2]
    assert compute_power_labels.itue_tue_figures(plant, thermal.plant_summary(plant), cool)["itue"][2].endswith(
        "= 1.0855, plus the server fans' hot-inlet uplift in 3 h)")


@pytest.mark.slow
def test_site_analysis_publishes_itue_and_tue_with_their_basis(tmp_path):
    from dcplan.report import render
    s = render(sites=["research-triangle-nc"], notebooks=["site_analysis"], out=tmp_path, jobs=1, progress=False)
    assert s.ok, s.table()
    res = json.loads((tmp_path / "research-triangle-nc" / "site_analysis" / "results.json").read_text())["results"]
    assert res["itue"]["value"] == pytest.approx(ITUE, rel=1e-9)
    assert res["tue"]["value"] == pytest.approx(res["annual_pue"]["value"] * ITUE, rel=1e-9)
    assert res["itue"]["label"].startswith("ITUE (IT power / compute power over the year: PSU efficiency 0.963, "
                                           + FLEET_BASIS)
    assert res["tue"]["label"].startswith("TUE (facility power / compute power = annual PUE x ITUE")
