"""dcplan.schedule_energy: energy, grid carbon and water of the scheduled strategies, checked by hand."""
import numpy as np
import pandas as pd
import pytest

from dcplan.errors import InputError
from dcplan.schedule_energy import energy_table, savings, site_pue_gap, site_pue_label


def _load():
    """Three hourly intervals; run-ASAP runs the job in the warm first hour (PUE 1.5), the optimized schedule
    in the cool last one (PUE 1.1); the same 300 kWh of IT each (must-run 100 kW + a 100 kW job)."""
    idx = pd.date_range("2025-07-01 01:00", periods=3, freq="h", tz="Etc/GMT+7")
    pue = np.array([1.5, 1.3, 1.1])
    pv = np.array([50.0, 0.0, 0.0])
    it = {"asap": np.array([200.0, 100.0, 100.0]), "optimized": np.array([100.0, 100.0, 200.0])}
    cols = {}
    for k, v in it.items():
        cols[f"it_kw_{k}"] = v
        cols[f"site_kw_{k}"] = pue * v
        cols[f"grid_import_kw_{k}"] = np.maximum(pue * v - pv, 0.0)
    return pd.DataFrame(cols, index=idx)


def test_energy_table_by_hand():
    load = _load()
    plant = pd.DataFrame({"water_l": [3000.0, 2000.0, 1000.0]}, index=load.index)  # at design IT 1000 kW
    t = energy_table(load, carbon_kg_per_mwh=400.0, plant=plant, design_it_kw=1000.0)
    assert list(t.index) == ["optimized", "asap"]  # greedy absent: not listed
    # by hand: IT 0.4 MWh each; facility asap 300 + 130 + 110 = 540 kWh, optimized 150 + 130 + 220 = 500 kWh
    assert t.at["asap", "it_mwh"] == pytest.approx(0.4, abs=1e-12)
    assert t.at["optimized", "it_mwh"] == pytest.approx(0.4, abs=1e-12)
    assert t.at["asap", "facility_mwh"] == pytest.approx(0.540, abs=1e-12)
    assert t.at["optimized", "facility_mwh"] == pytest.approx(0.500, abs=1e-12)
    assert t.at["asap", "overhead_mwh"] == pytest.approx(0.140, abs=1e-12)
    assert t.at["optimized", "pue"] == pytest.approx(500.0 / 400.0, abs=1e-12)
    # grid: asap 250 + 130 + 110 = 490 kWh (PV 50 used), optimized 100 + 130 + 220 = 450 kWh
    assert t.at["asap", "grid_mwh"] == pytest.approx(0.490, abs=1e-12)
    assert t.at["asap", "pv_used_mwh"] == pytest.approx(0.050, abs=1e-12)
    assert t.at["optimized", "grid_carbon_t"] == pytest.approx(0.450 * 400.0 / 1000.0, abs=1e-12)
    # water: 3, 2, 1 L per IT kWh; asap 200*3 + 100*2 + 100*1 = 900 L, optimized 100*3 + 100*2 + 200*1 = 700 L
    assert t.at["asap", "water_m3"] == pytest.approx(0.9, abs=1e-12)
    assert t.at["optimized", "water_m3"] == pytest.approx(0.7, abs=1e-12)
    s = savings(t, "asap")
    assert s["facility_mwh"] == pytest.approx(0.040, abs=1e-12)
    assert s["grid_mwh"] == pytest.approx(0.040, abs=1e-12)
    assert s["grid_carbon_t"] == pytest.approx(0.040 * 0.4, abs=1e-12)
    assert s["water_m3"] == pytest.approx(0.2, abs=1e-12)


def test_float_noise_is_no_saving():
    """The same work in the same hours summed in another order differs by ~1e-8 MWh: published as 0."""
    t = pd.DataFrame({"facility_mwh": [40000.0, 40000.0 + 1e-8], "grid_mwh": [30000.0, 29999.0],
                      "grid_carbon_t": [np.nan, np.nan], "water_m3": [5000.0, 5000.0 - 3e-9]},
                     index=["optimized", "greedy"])
    s = savings(t, "greedy")
    assert s["facility_mwh"] == 0.0 and s["water_m3"] == 0.0
    assert s["grid_mwh"] == pytest.approx(-1.0, abs=1e-9)  # a real difference stays
    assert np.isnan(s["grid_carbon_t"])


def test_without_factor_or_plant_nan():
    t = energy_table(_load())
    assert t["grid_carbon_t"].isna().all() and t["water_m3"].isna().all()
    assert np.isnan(savings(t, "asap")["water_m3"])


def test_plant_not_covering_load_refused():
    load = _load()
    plant = pd.DataFrame({"water_l": [1.0, 1.0]}, index=load.index[:2])
    with pytest.raises(InputError, match="does not cover the load's index: 1 interval"):
        energy_table(load, plant=plant, design_it_kw=1000.0)
    with pytest.raises(InputError, match="design_it_kw must be a positive number"):
        energy_table(load, plant=plant.reindex(load.index, fill_value=1.0), design_it_kw=0.0)


def test_site_pue_gap_and_label_by_hand():
    """The table of test_energy_table_by_hand: PUE asap 540/400 = 1.35, optimized 500/400 = 1.25; against a site
    annual PUE of 1.25: asap 1.35/1.25 - 1 = 8.0 %, optimized 0.0 %; against 1.30: asap +3.85 %, optimized -3.85 %."""
    load = _load()
    t = energy_table(load)
    g = site_pue_gap(t, 1.25)
    assert g["asap"] == pytest.approx(0.08, abs=1e-12) and g["optimized"] == pytest.approx(0.0, abs=1e-12)
    label = site_pue_label(t, 1.25, "1 week")
    assert "read above the site's own year by 0.0% to 8.0%" in label
    assert "over 1 week: optimized 1.2500; run-ASAP 1.3500" in label
    assert "read above or below the site's own year by 3.8%" in site_pue_label(t, 1.30, "1 week")
    # against 1.50: asap 1.35/1.50 - 1 = -10.0 %, optimized 1.25/1.50 - 1 = -16.7 %
    assert "read below the site's own year by 10.0% to 16.7%" in site_pue_label(t, 1.5, "1 week")
    with pytest.raises(InputError, match="must be a PUE of at least 1, got 0.9"):
        site_pue_gap(t, 0.9)


@pytest.mark.slow
def test_offpeak_notebook_publishes_the_schedules_energy_carbon_and_water(monkeypatch):
    """The notebook's figures against the same sums taken another way: PUE x IT from the plant (not the result's
    site_kw column), the grid import recomputed from it and the PV, the site file's carbon factor, the plant's
    water per IT kWh."""
    import yaml

    from tests.conftest import DATA, run_cells_until
    ns, _ = run_cells_until("offpeak_scheduling", "rolling_water_saving_vs_", monkeypatch, site="phoenix-az",
                            rolling_weeks=2)
    roll, si, figs = ns["roll"], ns["si"], ns["figs"]
    ld = roll.load
    pue = si.pue.reindex(ld.index).to_numpy(float) if hasattr(si.pue, "reindex") else si.pue
    pv = si.pv_kw.reindex(ld.index).to_numpy(float)
    water_per_kwh = si.plant["water_l"].reindex(ld.index).to_numpy(float) / si.design_it_kw  # hourly plant
    ci = yaml.safe_load((DATA / "sites" / "phoenix-az.yaml").read_text())["grid_carbon_kg_per_mwh"]  # 352.0
    by = {}
    for k in ("optimized", "greedy", "asap"):
        it = ld[f"it_kw_{k}"].to_numpy(float)
        fac = pue * it
        by[k] = {"it": it.sum() / 1000, "fac": fac.sum() / 1000, "grid": np.maximum(fac - pv, 0).sum() / 1000,
                 "water": (water_per_kwh * it).sum() / 1000}
    assert by["asap"]["it"] == pytest.approx(by["optimized"]["it"], rel=1e-9)  # the same work, 2 weeks
    for k in ("asap", "greedy"):
        assert figs[f"rolling_facility_saving_vs_{k}_mwh"][0] == pytest.approx(
            by[k]["fac"] - by["optimized"]["fac"], abs=1e-6)
        assert figs[f"rolling_grid_saving_vs_{k}_mwh"][0] == pytest.approx(
            by[k]["grid"] - by["optimized"]["grid"], abs=1e-6)
        assert figs[f"rolling_grid_carbon_saving_vs_{k}_t"][0] == pytest.approx(
            (by[k]["grid"] - by["optimized"]["grid"]) * ci / 1000, abs=1e-6)
        assert figs[f"rolling_water_saving_vs_{k}_m3"][0] == pytest.approx(
            by[k]["water"] - by["optimized"]["water"], abs=1e-6)
        assert figs[f"rolling_pue_{k}"][0] == pytest.approx(by[k]["fac"] / by[k]["it"], rel=1e-12)
    assert "352.0 kg CO2/MWh" in figs["rolling_grid_carbon_saving_vs_asap_t"][2]
    # each saving says what its sign means (an auditor found the negative carbon and water savings vs greedy unsaid)
    for k in ("asap", "greedy"):
        for f, sign in (("facility_saving_vs_{}_mwh", "uses more"), ("grid_saving_vs_{}_mwh", "uses more"),
                        ("grid_carbon_saving_vs_{}_t", "emits more"), ("water_saving_vs_{}_m3", "uses more")):
            assert f"(negative: {sign})" in figs["rolling_" + f.format(k)][2], f.format(k)
    assert "over 2 weeks" in figs["rolling_facility_saving_vs_asap_mwh"][2]
    # Phoenix's tower plant uses water: no "dry" note
    assert by["asap"]["water"] > 0 and "no water" not in figs["rolling_water_saving_vs_asap_m3"][2]
    # the site's own annual PUE beside the schedules': the site chain's year run again here (site_analysis's figure),
    # and the gap from the PUEs recomputed above; the plant at full design IT (fans and pumps at design flow) reads
    # above the site's year at each hour's IT, Phoenix by about 2 % (1.2086 vs 1.1842 over the year); over these 2
    # January weeks the cool weather wins: the schedules' PUE (~1.162) reads below the annual 1.184
    from dcplan.pipeline import figures, run_site_year
    from dcplan.site import load_site
    site_pue = figures(run_site_year(load_site(DATA / "sites" / "phoenix-az.yaml")))["annual_pue"]
    assert figs["site_annual_pue"][0] == pytest.approx(site_pue, rel=1e-12)
    # a PUE has no unit, as site_analysis publishes it (was "-" here, nothing there: docs/glossary.md)
    assert [figs[f"rolling_pue_{k}"][1] for k in ("optimized", "greedy", "asap")] + [figs["site_annual_pue"][1]] \
        == [None] * 4
    gaps = {k: by[k]["fac"] / by[k]["it"] / site_pue - 1.0 for k in ("optimized", "greedy", "asap")}
    assert all(-0.05 < g < 0.0 for g in gaps.values()), gaps  # below the annual figure in January
    label = figs["site_annual_pue"][2]
    a, b = min(abs(g) for g in gaps.values()), max(abs(g) for g in gaps.values())
    size = f"{a:.1%}" if f"{a:.1%}" == f"{b:.1%}" else f"{a:.1%} to {b:.1%}"
    assert f"read below the site's own year by {size} (energy-weighted PUE over 2 weeks" in label, label
    assert "full design IT" in label
