"""The plant's compute / server-fan split uses the fleet's own PSU efficiency.

The tester's finding (P5/D10): TUE and ITUE took cooling_defaults.csv's psu_eff_frac 0.94 for
every fleet, switches and storage (rated at psu 1.0 in data/hardware.csv) included, while the
power model used 0.96 for HGX servers and 0.97 for GB200 racks: ITUE was 1 / (0.94 x 0.92) =
1.1563 at every air site whatever the hardware. Hand values below from data/hardware.csv rows:
hgx-h100 10.2 kW at 0.96, 4 per rack, rack gear ib-ndr-switch 1.5 x 1.7 kW + eth-mgmt-switch
0.15 kW + storage-node 0.25 x 1.5 kW = 3.075 kW at 1.0; gb200-nvl72 120 kW at 0.97, gear
3.4 x 1.7 + 0.15 + 0.5 x 1.5 = 6.68 kW at 1.0. Server fans 8 % (air) / 2 % (liquid) of IT.
"""
from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from dcplan import power, thermal
from dcplan.errors import InputError
from dcplan.power_fleet import fleet_psu_efficiency_frac

H100_RACK = (4 * 10.2 * 0.96 + 3.075) / (4 * 10.2 + 3.075)        # 0.962803
GB200_RACK = (120 * 0.97 + 6.68) / (120 + 6.68)                      # 0.971582
AIR = {"type": "air", "liquid_class": None}


def _fleet(*phases):
    return {"phases": [{"hardware": k, "count": n, "start": "2026-01-01"} for k, n in phases]}


def _weather(hours=24):
    """Cool constant weather (10 degC, wb 5 degC): no server-fan uplift, so compute = eta x 0.92 x IT."""
    idx = pd.date_range("2025-07-01 01:00", periods=hours, freq="h", tz="Etc/GMT+7")
    return pd.DataFrame({"temp_air": np.full(hours, 10.0), "temp_wet_bulb_degc": np.full(hours, 5.0)}, index=idx)


def test_fleet_psu_efficiency_is_power_weighted_over_units_and_rack_gear():
    assert H100_RACK == pytest.approx(0.962803, abs=1e-6)
    assert fleet_psu_efficiency_frac(_fleet(("hgx-h100", 4))) == pytest.approx(H100_RACK, rel=1e-12)
    assert fleet_psu_efficiency_frac(_fleet(("gb200-nvl72", 1))) == pytest.approx(GB200_RACK, rel=1e-12)
    # 5 hgx-h100 fill 2 racks (2 x 3.075 kW of gear); 1 NVL72 rack
    wall = 5 * 10.2 + 2 * 3.075 + 120 + 6.68
    dc = 5 * 10.2 * 0.96 + 2 * 3.075 + 120 * 0.97 + 6.68
    assert fleet_psu_efficiency_frac(_fleet(("hgx-h100", 5), ("gb200-nvl72", 1))) == pytest.approx(dc / wall, rel=1e-12)
    # units alone: the servers' own 0.96
    assert fleet_psu_efficiency_frac(_fleet(("hgx-h100", 4)), include_addons=False) == pytest.approx(0.96, rel=1e-12)
    # a PSU override re-rates the units' wall power as the power model does (DC held: 10.2 x 0.96)
    unit_wall = 10.2 * 0.96 / 0.90
    want = (4 * unit_wall * 0.90 + 3.075) / (4 * unit_wall + 3.075)
    assert fleet_psu_efficiency_frac(_fleet(("hgx-h100", 4)), psu_efficiency_frac=0.90) == pytest.approx(want, rel=1e-12)


def test_itue_follows_the_fleets_psu_not_the_cooling_default():
    w = _weather()
    fl = _fleet(("hgx-h100", 4))
    h = thermal.plant_hourly(40.0, w, AIR, fleet=fl)
    assert h.attrs["plant"]["psu_eff_frac"] == pytest.approx(H100_RACK, rel=1e-12)
    assert h.attrs["plant"]["psu_eff_basis"].startswith("fleet: data/hardware.csv psu_efficiency_frac")
    s = thermal.plant_summary(h)
    assert s["itue"] == pytest.approx(1 / (H100_RACK * 0.92), rel=1e-12)          # 1.128950
    assert s["itue"] == pytest.approx(1.128950, abs=1e-6)
    assert s["tue"] == pytest.approx(s["annual_pue"] / (H100_RACK * 0.92), rel=1e-12)
    # no fleet known: the cooling_defaults.csv fallback, 1 / (0.94 x 0.92) = 1.156337
    bare = thermal.plant_hourly(40.0, w, AIR)
    assert bare.attrs["plant"]["psu_eff_basis"] == "data/cooling_defaults.csv psu_eff_frac (no fleet given)"
    assert thermal.plant_summary(bare)["itue"] == pytest.approx(1.156337, abs=1e-6)
    # the PSU efficiency changes compute power only: IT, cooling and PUE are the same
    assert s["annual_pue"] == pytest.approx(thermal.plant_summary(bare)["annual_pue"], rel=1e-12)
    # an explicit override wins over the fleet
    ov = thermal.plant_hourly(40.0, w, AIR, fleet=fl, psu_eff_frac=0.9)
    assert ov.attrs["plant"]["psu_eff_basis"] == "psu_eff_frac override"
    assert thermal.plant_summary(ov)["itue"] == pytest.approx(1 / (0.9 * 0.92), rel=1e-12)
    # a liquid GB200 rack: 1 / (0.971582 x 0.98) = 1.050254
    liq = thermal.plant_hourly(126.68, w, {"type": "liquid", "liquid_class": "W32"}, fleet=_fleet(("gb200-nvl72", 1)))
    assert thermal.plant_summary(liq)["itue"] == pytest.approx(1.050254, abs=1e-6)
    assert thermal.it_from_compute_kw(1000.0, "air", fleet=fl) == pytest.approx(1000 / (H100_RACK * 0.92), rel=1e-12)
    assert thermal.it_from_compute_kw(1000.0, "air") == pytest.approx(1000 / (0.94 * 0.92), rel=1e-12)


def test_site_it_kw_carries_the_fleets_psu_to_the_plant():
    """The pipeline passes power.site_it_kw's Series to plant_hourly: the fleet rides in its attrs."""
    w = _weather()
    it = power.site_it_kw(_fleet(("hgx-h100", 4)), w.index, deployed="all")
    assert it.attrs["psu_efficiency_frac"] == pytest.approx(H100_RACK, rel=1e-12)
    h = thermal.plant_hourly(it, w, AIR)
    assert h.attrs["plant"]["psu_eff_frac"] == pytest.approx(H100_RACK, rel=1e-12)
    assert thermal.plant_summary(h)["itue"] == pytest.approx(1 / (H100_RACK * 0.92), rel=1e-12)
    bad = it.copy()
    bad.attrs["psu_efficiency_frac"] = 96.0
    with pytest.raises(InputError, match=r"it_kw: attrs\['psu_efficiency_frac'\] is 96\.0; allowed: a fraction in "
                                         r"\(0, 1\]"):
        thermal.plant_hourly(bad, w, AIR)


def test_bundled_sites_itue_is_their_hardwares():
    """Research Triangle (512 hgx-h100, air; no uplift hour in its weather) and Northern Virginia
    (128 gb200-nvl72, liquid W32): ITUE from their rows, no longer 1.1563 / 1.0855 for both kinds."""
    from dcplan import pipeline
    from dcplan.site import load_site
    rtp = pipeline.run_site_year(load_site("research-triangle-nc"))
    assert rtp.plant["it_fan_uplift_kw"].eq(0).all()
    assert rtp.cooling["itue"] == pytest.approx(1 / (H100_RACK * 0.92), rel=1e-9)      # 1.128950
    assert rtp.cooling["tue"] == pytest.approx(rtp.cooling["annual_pue"] / (H100_RACK * 0.92), rel=1e-9)
    nova = pipeline.run_site_year(load_site("northern-virginia"))
    if nova.plant["it_fan_uplift_kw"].eq(0).all():
        assert nova.cooling["itue"] == pytest.approx(1 / (GB200_RACK * 0.98), rel=1e-9)  # 1.050254
    assert nova.plant.attrs["plant"]["psu_eff_frac"] == pytest.approx(GB200_RACK, rel=1e-12)
