"""Published labels say what a figure is of: the load cooling_lag runs at, the battery
interconnection assumes, the power cap rack_power compares.

A planner's report (Miami, FL: air plant, 1,024 H100; Sand Point, AK: GB200 NVL72, W45 dry
cooler) found: cooling_lag ran its hourly plant at a fixed 1,000 kW and published the figures
under the site's name ("Sand Point: lowest IT capacity in the typical year: 1,100 kW" for a
2,027 kW design IT), and printed "air cooling, class W32" for an air plant; interconnection's
headline was a peak reduction by a default battery the site does not have (and the TCO does not
count); rack_power capped every GPU at 550 W whatever the hardware (36.8 % "peak reduction" on
1,200 W GB200 GPUs)."""
from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml

from dcplan.errors import InputError
from dcplan.notebook_params import check_parameters
from dcplan.report import render


def _results(folder: Path) -> dict:
    return json.loads((folder / "results.json").read_text())["results"]


def _printed(folder: Path) -> str:
    nb = json.loads((folder / "notebook.ipynb").read_text())
    return "".join("".join(o.get("text", "")) for c in nb["cells"] for o in c.get("outputs", [])
                   if o.get("output_type") == "stream")


def _site_file(folder: Path, src: str, site_id: str, **interconnection) -> Path:
    """data/sites/<src>.yaml as ``site_id`` with absolute file paths and ``interconnection``
    keys added (e.g. a battery)."""
    from conftest import bundled_site_copy
    return bundled_site_copy(folder, src, site_id, interconnection=interconnection)


# -- cooling_lag: the load every run is at ----------------------------------------------------

def test_cooling_lag_peak_kw_takes_minus_one_for_the_design_it():
    check_parameters({"peak_kw": -1.0}, "cooling_lag")  # the default: the site's design IT
    check_parameters({"peak_kw": 1000.0}, "cooling_lag")  # an explicit load still works
    for bad in (0.0, -2.0):
        with pytest.raises(InputError, match=r"cooling_lag allows peak_kw in \(0, inf\), or -1$"):
            check_parameters({"peak_kw": bad}, "cooling_lag")


@pytest.mark.slow
def test_cooling_lag_runs_the_sites_design_it_and_labels_the_load(tmp_path):
    """Chicago, IL (bundled): an air plant (ASHRAE A2) with 5,616 kW design IT. The hourly plant
    ran at the notebook's 1,000 kW under the site's name; now at the site's design IT, published
    (lag_peak_kw) and named in every label, apart from site_analysis's (the site's IT profile)."""
    from dcplan import power, thermal
    from dcplan.site import load_site
    from dcplan.weather import load_site_weather
    s = render(sites=["chicago-il"], notebooks=["cooling_lag"], out=tmp_path, jobs=1, progress=False,
               parameters={"hours": 1.0})
    assert s.ok, s.table()
    folder = tmp_path / "chicago-il" / "cooling_lag"
    res = _results(folder)
    site = load_site("chicago-il")
    design_kw = power.fleet_design_it_kw(site)
    assert res["lag_peak_kw"]["value"] == pytest.approx(design_kw, rel=1e-12)
    assert "the site's design IT" in res["lag_peak_kw"]["label"]
    # recomputed: the site's plant at its design IT, held all year
    cap = thermal.plant_hourly(design_kw, load_site_weather(site), site.cooling)["capacity_it_kw"]
    assert res["lag_year_min_capacity_kw"]["value"] == pytest.approx(cap.min(), rel=1e-12)
    assert res["lag_year_worst_hour_margin_frac"]["value"] == pytest.approx(cap.min() / design_kw - 1, rel=1e-9)
    at = f"constant full design IT ({design_kw:,.0f} kW)"  # 5,616 kW
    hourly = [k for k in res if k.startswith(("lag_site_", "lag_design_day_", "lag_year_min", "lag_year_worst_hour_margin",
                                              "lag_hot_hour_margin"))]
    assert len(hourly) == 10
    assert not [k for k in hourly if at not in res[k]["label"]]
    # the seconds-resolution runs: the generic hall, at the site's design IT as its peak
    hall = f"generic W32 liquid hall at the site's full design IT, {design_kw:,.0f} kW peak"
    assert hall in res["lag_episodes_reactive"]["label"]
    assert not [k for k in res if k not in hourly and k != "lag_peak_kw"
                and "generic" not in res[k]["label"] and "same hall" not in res[k]["label"]]
    # that hall is the site's fleet: throttled GPU-hours = throttled time x the site's GPUs (every GPU
    # throttles together; summarize_throttling counts the hall's GPUs at its load's own maximum, which the
    # synthetic load reaches only to within its noise, so scaled by max / peak)
    n_gpus = float(power.fleet_table(site)["accelerators"].sum())
    it = thermal.training_load_kw("2025-07-15", 3600, peak_kw=design_kw, seed=0, period_s=1800.0, low_s=600.0)
    assert res["lag_throttled_s_reactive"]["value"] > 0
    assert res["lag_throttled_gpu_h_reactive"]["value"] == pytest.approx(
        res["lag_throttled_s_reactive"]["value"] * n_gpus * float(it.max()) / design_kw / 3600, rel=1e-9)
    # an air plant prints its ASHRAE air class, not the liquid class it does not use (default W32)
    (line,) = [x for x in _printed(folder).splitlines() if x.startswith("Chicago, IL:")]
    assert line.startswith("Chicago, IL: air cooling, ASHRAE class A2, lag") and "W32" not in line


@pytest.mark.slow
def test_cooling_lag_keeps_an_explicit_peak_kw_and_names_it(tmp_path):
    """Research Triangle (bundled): air plant, 5,616 kW design IT, run at -p peak_kw 1000 (the
    seconds-resolution runs are the generic W32 liquid hall at that peak)."""
    from dcplan import thermal
    from dcplan.site import load_site
    from dcplan.weather import load_site_weather
    s = render(sites=["research-triangle-nc"], notebooks=["cooling_lag"], out=tmp_path, jobs=1, progress=False,
               parameters={"hours": 0.25, "peak_kw": 1000.0, "period_s": 300.0, "low_s": 60.0})
    assert s.ok, s.table()
    folder = tmp_path / "research-triangle-nc" / "cooling_lag"
    res = _results(folder)
    site = load_site("research-triangle-nc")
    assert res["lag_peak_kw"]["value"] == 1000.0
    cap = thermal.plant_hourly(1000.0, load_site_weather(site), site.cooling)["capacity_it_kw"]
    assert res["lag_year_min_capacity_kw"]["value"] == pytest.approx(cap.min(), rel=1e-12)
    at = "constant 1,000 kW IT (peak_kw; the site's design IT is 5,616 kW)"
    assert at in res["lag_site_throttled_frac"]["label"] and at in res["lag_year_min_capacity_kw"]["label"]
    assert ("generic W32 liquid hall at 1,000 kW peak IT (peak_kw; the site's design IT is 5,616 kW)"
            in res["lag_episodes_reactive"]["label"])
    assert "Research Triangle, NC: air cooling, ASHRAE class A2, lag" in _printed(folder)


# -- interconnection: a battery the site does not have -----------------------------------------

@pytest.mark.slow
def test_interconnection_heads_with_the_site_as_specified(tmp_path):
    """phoenix-az has no interconnection.battery (and the TCO counts none): its headline is the
    PV-only peak reduction, and every battery figure is labelled the notebook's illustrative
    default. The same site with a battery in its file heads with PV + that battery."""
    bare = _site_file(tmp_path, "phoenix-az", "nobat")
    bat = _site_file(tmp_path, "phoenix-az", "bat", battery={"power_mw": 0.5, "energy_mwh": 1.0, "target": "demand"})
    pf = tmp_path / "pf.yaml"
    pf.write_text(f"name: t\nsites: [{bare}, {bat}]\n")
    s = render(portfolio=pf, notebooks=["interconnection"], out=tmp_path / "r", jobs=1, progress=False)
    assert s.ok, s.table()
    no, yes = (_results(tmp_path / "r" / i / "interconnection") for i in ("nobat", "bat"))

    head = [k for k, r in no.items() if r.get("headline") and "peak_reduction" in k]
    assert head == ["peak_reduction_pv_kw_mean"]
    # of each month's highest hour of all hours: a TOU demand charge bills its own period's peak, not that one
    all_hours = ("Mean monthly peak reduction (each month's highest hour of all hours, "
                 "not necessarily the billed demand)")
    assert no["peak_reduction_pv_kw_mean"]["label"] == f"{all_hours}, PV only (the site has no battery)"
    for k in ("battery_power_kw", "battery_energy_kwh", "battery_losses_kwh", "peak_reduction_kw_mean"):
        assert "illustrative default battery" in no[k]["label"], k
        assert "not in the site file, not in the TCO" in no[k]["label"], k
    assert "has no battery" in no["pv_spilled_mwh"]["label"]

    head = [k for k, r in yes.items() if r.get("headline") and "peak_reduction" in k]
    assert head == ["peak_reduction_kw_mean"]
    assert yes["peak_reduction_kw_mean"]["label"] == f"{all_hours}, PV + the site's battery, 0.50 MW / 1.00 MWh"
    assert yes["battery_power_kw"]["value"] == 500.0
    assert not [k for k, r in yes.items() if "illustrative" in str(r["label"])]
    # PV alone is the same site either way (the battery sits behind the meter, after PV)
    assert yes["peak_reduction_pv_kw_mean"]["value"] == pytest.approx(no["peak_reduction_pv_kw_mean"]["value"],
                                                                      rel=1e-12)


# -- rack_power: the cap is relative to the fleet's own accelerator -----------------------------

@pytest.mark.slow
def test_rack_power_default_cap_is_a_share_of_the_fleets_own_tdp(tmp_path):
    """phoenix-az runs hgx-b200 (1,000 W B200), northern-virginia gb200-nvl72 (1,200 W GB200
    GPU; data/hardware.csv accelerator_tdp_w): the default cap is 0.8 x that TDP (800 W and
    960 W), not 550 W for every GPU, and the labels name the cap and the accelerator."""
    s = render(sites=["phoenix-az", "northern-virginia"], notebooks=["rack_power"], out=tmp_path, jobs=1,
               progress=False, parameters={"detail_hours": 0.05})
    assert s.ok, s.table()
    for site, cap, acc, unit in (("phoenix-az", 800.0, "b200", "hgx-b200"),
                                 ("northern-virginia", 960.0, "gb200-gpu", "gb200-nvl72")):
        res = _results(tmp_path / site / "rack_power")
        assert res["cap_w_per_accelerator"]["value"] == pytest.approx(cap, rel=1e-12)
        text = f"{cap:,.0f} W per-GPU cap (cap_tdp_frac 80 % of the {cap / 0.8:,.0f} W TDP of {acc} in {unit})"
        for k in ("cap_w_per_accelerator", "peak_1s_capped_kw", "cap_energy_change_frac", "cap_peak_reduction_frac"):
            assert text in res[k]["label"], (site, k)
        assert res["cap_peak_reduction_frac"]["headline"]


@pytest.mark.slow
def test_rack_power_a_cap_tdp_frac_below_idle_names_that_parameter(tmp_path):
    # 0.05 x 1,000 W = 50 W, below the B200's 140 W idle (data/hardware.csv accelerator_idle_w): refused by
    # render before any run (dcplan.power_params, the notebook's precheck), naming the parameter and the site
    from dcplan.errors import InputError
    with pytest.raises(InputError, match="-p cap_tdp_frac: site 'phoenix-az': 0.05 gives 50 W per GPU: 50 W is "
                                         "below the idle power"):
        render(sites=["phoenix-az"], notebooks=["rack_power"], out=tmp_path, jobs=1, progress=False,
               parameters={"cap_tdp_frac": 0.05, "detail_hours": 0.05})
    assert not (tmp_path / "phoenix-az").exists()


@pytest.mark.slow
def test_rack_power_no_cap_run_has_no_cap_even_when_the_site_sets_one(tmp_path):
    """The "no cap" run took the site file's own fleet.cap_w_per_accelerator: with a 700 W cap
    in the file it was already capped, so a cap compared with it at or above 700 W showed no "peak
    reduction", and one below it less than it does. Without a per-GPU cap the run is the same as the site's without
    one in its file.
    Since the electrical audit (2026) that run is published as peak_1s_uncapped_kw on a site with its own cap, and
    peak_1s_kw is the fleet as the site runs it, at its own 700 W."""
    capped_site = _site_file(tmp_path, "phoenix-az", "capped")
    d = yaml.safe_load(capped_site.read_text())
    d["fleet"]["cap_w_per_accelerator"] = 700.0
    capped_site.write_text(yaml.safe_dump(d, sort_keys=False))
    plain = _site_file(tmp_path, "phoenix-az", "plain")
    pf = tmp_path / "pf.yaml"
    pf.write_text(f"name: t\nsites: [{capped_site}, {plain}]\n")
    s = render(portfolio=pf, notebooks=["rack_power"], out=tmp_path / "r", jobs=1, progress=False,
               parameters={"cap_w_per_accelerator": 600.0, "detail_hours": 0.5})
    assert s.ok, s.table()
    c, p = (_results(tmp_path / "r" / i / "rack_power") for i in ("capped", "plain"))
    assert c["peak_1s_uncapped_kw"]["value"] == p["peak_1s_kw"]["value"]   # same fleet, same seed, no cap
    assert "peak_1s_uncapped_kw" not in p                                  # (a site without a cap: peak_1s_kw is it)
    assert c["peak_1s_uncapped_kw"]["value"] > c["peak_1s_capped_kw"]["value"]   # the 600 W cap compared binds
    assert c["peak_1s_uncapped_kw"]["value"] >= c["peak_1s_kw"]["value"] >= c["peak_1s_capped_kw"]["value"]  # 700 W
    assert c["cap_peak_reduction_frac"]["value"] > 0
