"""A site's own electrical chain (``electrical:``) wherever the plant or the losses are computed for the
site, not only in dcplan.pipeline.run_site_year; and site_analysis's PV section stating the array's
orientation as the model used it.

Before: the design-hour PUE, the typical year's worst hour (interconnection's facility_design_kw and
gpus_never_powered, validate's contract warning, the verdict), the off-peak plant, cooling_lag's plant and
rack_power's losses all ran dcplan's default chain (6.4 % at full load), while the annual figures ran the
site's. An international planner found no report saying which way the PV array faces.

The test chain is one stage {a 0.01, b 0, c 0, oversize 1}: its loss is 0.01 x the design IT in every hour
with IT load, whatever the load (R = design IT x 1, loss = R x (0.01 + 0 x + 0 x^2)).
"""
from __future__ import annotations

import numpy as np
import pytest
import yaml

from conftest import bundled_site_copy, run_cells_until
from dcplan import design_hours, pipeline, thermal
from dcplan.errors import InputError
from dcplan.power_fleet import fleet_design_it_kw
from dcplan.site import load_portfolio, load_site
from dcplan.site_plausibility import check_design_covers_peak, contract_warnings, max_it_per_design_frac
from dcplan.site_verdict import site_verdict
from dcplan.solar_orientation import AZIMUTH_CONVENTION, compass_text, pv_orientation_figures

FLAT = {"chain": [{"a": 0.01, "b": 0.0, "c": 0.0, "oversize": 1.0}],
        "source": "test: a flat 1 % no-load loss (not a product)"}
#: Northern Virginia's design IT: 128 GB200 NVL72 racks (tests/test_design_hours.py, 16,215.04 kW).
NV_DESIGN_KW = 16_215.04


def _site(tmp_path, site_id="nv-flat", **sections):
    return load_site(bundled_site_copy(tmp_path, "northern-virginia", site_id, electrical=FLAT, **sections))


def _portfolio(tmp_path, path) -> str:
    pf = tmp_path / f"pf-{path.stem}.yaml"
    pf.write_text(yaml.safe_dump({"name": "one", "sites": [str(path)]}))
    return str(pf)


# ----------------------------------------------------------------------------------- the library
def test_worst_hour_and_design_hour_on_the_sites_chain_by_hand(tmp_path):
    site = _site(tmp_path)
    design = float(fleet_design_it_kw(site))
    assert design == pytest.approx(NV_DESIGN_KW, rel=1e-12)
    w, chain = pipeline.site_weather(site), site.electrical.stages()
    worst = design_hours.typical_year_worst_hour(design, w, site.cooling, electrical_chain=chain)
    h = thermal.plant_hourly(design, w, site.cooling, electrical_chain=chain)
    t = worst["hour"]
    # facility = IT (server-fan uplift included) + cooling + 0.01 x design IT, in that hour
    assert h.loc[t, "electrical_losses_kw"] == pytest.approx(0.01 * design, rel=1e-12)
    assert worst["facility_kw"] == pytest.approx(h.loc[t, "it_kw"] + h.loc[t, "cooling_kw"] + 0.01 * design, rel=1e-12)
    # the default chain's worst hour (the bundled site's: 18,502.0 kW, 18,512.0 with the rated chiller COP 6.1
    # before 2026-12, tests/test_contract_adequacy.py) is
    # another figure: its losses are about 6.4 % of the IT at full load, not 1 %. It was 18,516.5 kW with a
    # constant 3.9 K tower approach: that hour's wet bulb, 26.7 degC, is above the towers' 25.5 degC design wet
    # bulb, where Merkel's approach is narrower (3.6 K at full heat), so the air loop's condenser water is cooler
    # and its chiller draws 4.4 kW less (346.1 -> 341.7 kW)
    default = design_hours.typical_year_worst_hour(design, w, site.cooling)
    assert default["facility_kw"] == pytest.approx(18_502.0, abs=0.1)
    assert default["facility_kw"] - worst["facility_kw"] > 0.04 * design
    # the design hour: its facility power is the design day's hour on the same chain, by the same sum
    dh = thermal.design_hour_pue(design, w, site.cooling, electrical_chain=chain)
    g = thermal.governing_design_day(design, w, site.cooling, electrical_chain=chain)
    row = g["plant"][dh["basis"]].iloc[dh["hour_ending"] - 1]
    assert row["electrical_losses_kw"] == pytest.approx(0.01 * design, rel=1e-12)
    assert dh["facility_kw"] == pytest.approx(row["it_kw"] + row["cooling_kw"] + 0.01 * design, rel=1e-12)
    assert thermal.design_hour_pue(design, w, site.cooling)["pue"] > dh["pue"] + 0.04


def test_validate_contract_warning_counts_the_sites_chain(tmp_path):
    # 18 MW contracted: above the site chain's worst hour (17,455 kW) and below the default's (18,502 kW; 17,462 and
    # 18,512 kW with the rated chiller COP 6.1, 17,465 and 18,516 kW with a constant tower approach:
    # test_worst_hour_and_design_hour_on_the_sites_chain_by_hand)
    ic = {"requested_mw": 18, "phases": [{"energized": "2027-01-01", "mw": 9}, {"energized": "2028-07-01", "mw": 9}]}
    assert contract_warnings(_site(tmp_path, interconnection=ic)) == []
    default = load_site(bundled_site_copy(tmp_path, "northern-virginia", "nv-default", interconnection=ic))
    assert "below the fleet's design facility power, 18,502 kW" in contract_warnings(default)[0]
    # 17 MW: below both; the warning gives the site chain's figure
    ic17 = {"requested_mw": 17, "phases": [{"energized": "2027-01-01", "mw": 17}]}
    site = _site(tmp_path, "nv-flat-17", interconnection=ic17)
    worst = design_hours.typical_year_worst_hour(NV_DESIGN_KW, pipeline.site_weather(site), site.cooling,
                                                 electrical_chain=site.electrical.stages())
    (text,) = contract_warnings(site)
    assert (f"is below the fleet's design facility power, {worst['facility_kw']:,.0f} kW (the interconnection "
            f"notebook's facility_design_kw: design IT 16,215 kW x PUE {worst['pue']:.4f}, its IT") in text
    # was 17,465.4 kW with a constant 3.9 K tower approach: Merkel's is narrower at that hour's 26.7 degC wet bulb
    # (above the 25.5 degC design), so the air loop's chiller draws 3.3 kW less (258.3 -> 255.0 kW)
    # 17,454.5 kW (-7.5 kW) since the rated chiller COP 6.28 (2026-12; was 6.1): the chiller, below its COP cap in that
    # hour, draws 6.1 / 6.28 of its power at the same lift (255.0 x (1 - 6.1 / 6.28) = 7.3 kW) and the tower's
    # condenser water is a hair cooler
    assert worst["facility_kw"] == pytest.approx(17_454.5, abs=0.1)


def test_diversity_check_rates_the_sites_chain():
    # one stage at oversize 1: the IT load is the stage's load, so it carries up to MAX_LOAD_FRAC = 1.5 x design
    assert max_it_per_design_frac(tuple(FLAT["chain"])) == pytest.approx(1.5, rel=1e-12)
    assert max_it_per_design_frac() == pytest.approx(1.4265, abs=1e-4)   # the default chain, unchanged


def test_a_peak_the_sites_chain_carries_is_not_refused(tmp_path):
    # peak IT 1.46 x the design IT: beyond the default chain's 1.4265, within the site chain's 1.5
    flat = _site(tmp_path, fleet={"diversity_frac": 0.9})
    default = load_site(bundled_site_copy(tmp_path, "northern-virginia", "nv-div", fleet={"diversity_frac": 0.9}))
    design = float(fleet_design_it_kw(flat))
    it_kw = np.array([1.46 * design])
    check_design_covers_peak(flat, it_kw, design)
    with pytest.raises(InputError, match=r"^.*fleet\.diversity_frac: 0\.9 sets the design IT power"):
        check_design_covers_peak(default, it_kw, design)


def test_verdict_counts_the_sites_chain(tmp_path):
    ic17 = {"requested_mw": 17, "phases": [{"energized": "2027-01-01", "mw": 17}]}
    path = bundled_site_copy(tmp_path, "northern-virginia", "nv-flat", electrical=FLAT, interconnection=ic17)
    pf = load_portfolio(_portfolio(tmp_path, path))
    spec = pf["nv-flat"]
    y = pipeline.run_site_year(spec)
    chain = spec.electrical.stages()
    worst = design_hours.typical_year_worst_hour(y.design_it_kw, y.weather, spec.cooling, electrical_chain=chain)
    dh = thermal.design_hour_pue(y.design_it_kw, y.weather, spec.cooling, electrical_chain=chain)
    v = site_verdict(spec, y, pf)   # computes both hours itself
    assert f"the design hour needs {dh['facility_kw'] / 1000:,.2f} MW at the facility" in v.text
    assert f"PUE {worst['pue']:.4f}) needs {worst['facility_kw'] / 1000:,.2f} MW" in v.text
    # the site chain's worst hour, 17,454.5 kW (17,462.0 with the rated chiller COP 6.1, 17,465.4 kW, 17.47 MW, with
    # a constant tower approach), not the default chain's 18,502.0 kW (18,512.0, 18,516.5 kW, 18.52 MW):
    # test_validate_contract_warning_counts_the_sites_chain
    assert "needs 17.45 MW" in v.text and "18.50 MW" not in v.text and "18.51 MW" not in v.text


# ----------------------------------------------------------------------------------- the notebooks
def test_notebooks_run_the_sites_chain(tmp_path, monkeypatch):
    path = bundled_site_copy(tmp_path, "northern-virginia", "nv-flat", electrical=FLAT)
    pf = _portfolio(tmp_path, path)
    import dcplan.results
    monkeypatch.setattr(dcplan.results, "publish", lambda *a, **k: None)
    # interconnection: kw_per_gpu at the site chain's worst hour (17,454.54 kW over 9,216 GPUs; 17,462.02 kW with
    # the rated chiller COP 6.1, 17,465.35 kW with a constant tower approach:
    # test_validate_contract_warning_counts_the_sites_chain)
    ns, _ = run_cells_until("interconnection", "kw_per_gpu = worst", monkeypatch, site="nv-flat", portfolio=pf)
    assert ns["kw_per_gpu"] == pytest.approx(17_454.54 / 9_216, abs=1e-5)
    assert ns["design_hour"]["pue"] < 1.07
    # rack_power: the losses of the IT load on the chain, 0.01 x design IT in every hour with load
    ns, _ = run_cells_until("rack_power", "losses_kw = power.electrical_losses_kw", monkeypatch, site="nv-flat",
                            portfolio=pf)
    loaded = ns["it_kw"] > 0
    np.testing.assert_allclose(ns["losses_kw"][loaded], 0.01 * NV_DESIGN_KW, rtol=1e-12)
    # cooling_lag: the hourly plant and the design days on the chain (constant full design IT)
    ns, _ = run_cells_until("cooling_lag", "thermal.governing_design_day", monkeypatch, site="nv-flat", portfolio=pf)
    np.testing.assert_allclose(ns["hourly"]["electrical_losses_kw"], 0.01 * NV_DESIGN_KW, rtol=1e-12)
    np.testing.assert_allclose(ns["dd_plant"]["electrical_losses_kw"], 0.01 * NV_DESIGN_KW, rtol=1e-12)
    # offpeak_scheduling: the plant whose PUE caps the site (dcplan.schedule_setup.site_schedule_inputs)
    ns, _ = run_cells_until("offpeak_scheduling", "si = schedule_setup.site_schedule_inputs", monkeypatch,
                            site="nv-flat", portfolio=pf)
    np.testing.assert_allclose(ns["si"].plant["electrical_losses_kw"], 0.01 * NV_DESIGN_KW, rtol=1e-12)
    np.testing.assert_allclose(ns["pue"], ns["si"].plant["pue"], rtol=0)


# ----------------------------------------------------------------------------------- PV orientation
def test_compass_points():
    assert [compass_text(b) for b in (0, 11.2, 11.25, 90, 180, 200, 270, 348.75, 359.9)] == [
        "north", "north", "north-northeast", "east", "south", "south-southwest", "west", "north", "north"]


def test_site_analysis_publishes_the_pv_orientation(tmp_path, monkeypatch):
    """Chicago (41.98 N): solar: {dc_kw: 500, tilt_deg: 35}, no azimuth or tracking: the default azimuth
    faces the equator, 180 (south)."""
    import dcplan.results
    got: dict = {}
    monkeypatch.setattr(dcplan.results, "publish",
                        lambda values, *a, **k: got.update(values if isinstance(values, dict) else {}))
    run_cells_until("site_analysis", "pv_orientation_figures(spec)", monkeypatch, site="chicago-il")
    assert got["pv_tilt_deg"] == (35.0, "deg", "PV array tilt from horizontal, as modelled (the site file's "
                                               "solar.tilt_deg)")
    assert got["pv_azimuth_deg"] == (180.0, "deg", (
        "PV array azimuth, the bearing the modules face, as modelled (default: the site file gives no "
        "solar.azimuth_deg, so the array faces the equator), degrees clockwise from north: 0 = north (equator-facing "
        "in the southern hemisphere), 90 = east, 180 = south (equator-facing in the northern hemisphere), 270 = west: "
        "this array faces south, toward the equator (latitude 41.98, northern hemisphere)"))
    assert got["pv_tracking"] == (False, None, "PV mounting: fixed tilt, no tracker (default: the site file gives no "
                                               "solar.tracking)")


def test_pv_orientation_of_a_tracker_and_of_southern_arrays(tmp_path):
    # Phoenix: a horizontal single-axis tracker given in the file; the axis azimuth left to the default
    tilt, az, track = pv_orientation_figures(load_site("phoenix-az")).values()
    assert tilt == (0.0, "deg", "PV tracker axis tilt from horizontal, as modelled (the site file's solar.tilt_deg)")
    assert az == (180.0, "deg", (
        "PV tracker axis azimuth, as modelled (default: the site file gives no solar.azimuth_deg; a north-south "
        f"axis), {AZIMUTH_CONVENTION}: the axis runs north-south, the modules turning about it toward the east and "
        "the west (latitude 33.45, northern hemisphere)"))
    assert track == (True, None, "PV mounting: single-axis tracker (the site file; rotation limit 45 deg, "
                                 "backtracking on)")
    # Sydney (33.87 S): no tilt or azimuth given: 20 deg (PVWatts v8) facing north, 0, the equator there
    south = bundled_site_copy(tmp_path, "chicago-il", "syd", solar={"dc_kw": 500, "tilt_deg": None})
    d = yaml.safe_load(south.read_text())
    d["solar"].pop("tilt_deg")
    d.update(latitude=-33.87, longitude=151.21)
    south.write_text(yaml.safe_dump(d, sort_keys=False))
    site = load_site(south)
    got = pv_orientation_figures(site)
    assert got["pv_tilt_deg"] == (20.0, "deg", "PV array tilt from horizontal, as modelled (default: the site file "
                                               "gives no solar.tilt_deg; 20 deg, the PVWatts v8 default (PySAM 7.1))")
    assert got["pv_azimuth_deg"][0] == 0.0
    assert got["pv_azimuth_deg"][2].endswith(": this array faces north, toward the equator (latitude -33.87, "
                                             "southern hemisphere)")
    # the model runs what is said: dcplan.solar's defaults at that latitude
    from dcplan.solar import default_orientation_deg
    assert default_orientation_deg(site.latitude, False) == (got["pv_tilt_deg"][0], got["pv_azimuth_deg"][0])
    # a south-facing array in the south faces away from the equator; one facing west is 90 deg off it
    d["solar"]["azimuth_deg"] = 180
    south.write_text(yaml.safe_dump(d, sort_keys=False))
    lab = pv_orientation_figures(load_site(south))["pv_azimuth_deg"][2]
    assert lab.startswith("PV array azimuth, the bearing the modules face, as modelled (the site file's "
                          "solar.azimuth_deg), ")
    assert lab.endswith("this array faces south, away from the equator (pole-facing) (latitude -33.87, southern "
                        "hemisphere)")
    d["solar"]["azimuth_deg"] = 270
    south.write_text(yaml.safe_dump(d, sort_keys=False))
    assert pv_orientation_figures(load_site(south))["pv_azimuth_deg"][2].endswith(
        "this array faces west, 90 deg off the equator's bearing (0) (latitude -33.87, southern hemisphere)")
