"""ESG audit (2027-01): the carbon factor's basis and source, the PV's avoided-carbon label, the water split and
per-GPU-hour water, and the sustainability CSV.

An ESG analyst reproduced every number (PUE, grid energy balance, Scope 2 tonnes, per-GPU-hour carbon, water
by an independent psychrolib model); the findings were labels and missing disclosure pieces:

1. ``grid_carbon_t``'s label did not say it is already net of the on-site PV; ``pv_avoided_carbon_t`` (Phoenix
   3,606 t beside 11,607 t) carried the Scope 2 basis text, inviting a reader to subtract it again.
2. One ``grid_carbon_kg_per_mwh`` whose every label claimed "as the bundled EPA eGRID2022 figures are", even
   for a user's own figure; the subregion and lb/MWh only in a YAML comment; not in the run's provenance.
3. Water only as the make-up total: Phoenix 79,458 m3 = 59,593 evaporated + 19,864 blowdown at 4 cycles.
4. No export of the sustainability figures.
"""
from __future__ import annotations


import numpy as np
import pandas as pd
import pytest

from conftest import ROOT, bundled_site_copy, run_cells_until
from dcplan import thermal
from dcplan.site import SiteError, load_site
from dcplan.site_carbon import NO_SOURCE, carbon_basis_text, carbon_vintage
from dcplan.sustainability import csv_name, sustainability_table
from dcplan.thermal_plant_summary import water_split_m3
from dcplan.thermal_water import tower_evaporation_l_per_kwh, tower_water_l

LB_TO_KG = 0.45359237  # kg per lb, exact (NIST SP 811)


def _site(tmp_path, **carbon):
    """A copy of the bundled Chicago site with its three carbon keys replaced by ``carbon`` (a key left out
    of ``carbon`` is left out of the file)."""
    import yaml
    f = bundled_site_copy(tmp_path, "chicago-il", "carbon")
    d = yaml.safe_load(f.read_text())
    for k in ("grid_carbon_kg_per_mwh", "grid_carbon_basis", "grid_carbon_source"):
        d.pop(k, None)
    d.update(carbon)
    f.write_text(yaml.safe_dump(d, sort_keys=False, width=10_000))
    return f


# ----------------------------------------------------------------------------- 2. basis and source

def test_the_bundled_sites_give_the_egrid_subregion_and_rate_they_use():
    """Each bundled file's grid_carbon_source names the eGRID2022 subregion and lb/MWh figure of
    data/SOURCES.md, and that figure x 0.45359237 is the kg/MWh figure the file uses (to its 0.1)."""
    want = {"research-triangle-nc": ("SRVC", 622.987), "northern-virginia": ("SRVC", 622.987),
            "phoenix-az": ("AZNM", 776.036), "chicago-il": ("RFCW", 1000.053)}
    sources = (ROOT / "data" / "SOURCES.md").read_text()
    for sid, (region, lb) in want.items():
        s = load_site(sid)
        assert s.grid_carbon_basis == "location", sid
        assert s.grid_carbon_source.startswith(f"EPA eGRID2022 (released Jan 2024), {region} "), sid
        assert f"{lb} lb/MWh" in s.grid_carbon_source and f"| {lb} |" in sources, sid
        assert s.grid_carbon_kg_per_mwh == pytest.approx(lb * LB_TO_KG, abs=0.05), sid
        assert carbon_vintage(s) == (f"{s.grid_carbon_kg_per_mwh:,.1f} kg CO2/MWh, location-based; "
                                     f"{s.grid_carbon_source}")


def test_a_users_own_figure_is_labelled_with_its_own_basis_and_no_egrid_claim(tmp_path):
    s = load_site(_site(tmp_path, grid_carbon_kg_per_mwh=120.0, grid_carbon_basis="market",
                        grid_carbon_source="Acme Power 2025 PPA, residual mix 120 kg/MWh"))
    text = carbon_basis_text(s)
    assert text == ("the site file's flat annual-average grid_carbon_kg_per_mwh, 120.0 kg CO2/MWh for every hour "
                    "(scope 2 market-based: a supplier's, PPA's or certificates' figure; source: Acme Power 2025 PPA, "
                    "residual mix 120 kg/MWh); CO2 only, not CO2e; no hourly or marginal signal")
    assert "eGRID" not in text and "location-based" not in text


def test_a_zero_declared_market_based_is_not_warned_as_undeclared(tmp_path):
    """0 kg/MWh (a 100 % renewable PPA) is warned as a market-based figure given where a location-based one is
    expected (dcplan.site_slips.grid_carbon_warnings); a site that declares grid_carbon_basis: market is not."""
    from dcplan.site_slips import grid_carbon_warnings
    undeclared = load_site(_site(tmp_path, grid_carbon_kg_per_mwh=0.0))
    assert len(grid_carbon_warnings(undeclared)) == 1
    assert "0 kg/MWh is a market-based or contractual figure" in grid_carbon_warnings(undeclared)[0]
    (tmp_path / "m").mkdir()
    declared = load_site(_site(tmp_path / "m", grid_carbon_kg_per_mwh=0.0, grid_carbon_basis="market",
                               grid_carbon_source="Acme 100 % wind PPA, 2025"))
    assert grid_carbon_warnings(declared) == []


def test_a_figure_without_source_or_basis_says_so(tmp_path):
    s = load_site(_site(tmp_path, grid_carbon_kg_per_mwh=400.0))
    assert s.grid_carbon_basis is None and s.grid_carbon_source is None
    text = carbon_basis_text(s)
    assert "location-based: the average intensity of the grid where the energy is used (the default: the site " \
           "file gives no grid_carbon_basis); source not given in the site file)" in text
    assert "eGRID" not in text
    assert carbon_vintage(s) == f"400.0 kg CO2/MWh, location-based; {NO_SOURCE}"


def test_bad_basis_and_a_source_without_a_figure_are_refused(tmp_path):
    with pytest.raises(SiteError) as e:
        load_site(_site(tmp_path, grid_carbon_kg_per_mwh=453.6, grid_carbon_basis="residual"))
    line = "\n".join(e.value.all_lines())
    assert "grid_carbon_basis" in line and "'residual'" in line and "'location'" in line and "'market'" in line
    f = _site(tmp_path, grid_carbon_source="EPA eGRID2022 RFCW")
    with pytest.raises(SiteError) as e:
        load_site(f)
    assert e.value.all_lines() == [
        f"{f}: grid_carbon_source: 'EPA eGRID2022 RFCW' is given, but grid_carbon_kg_per_mwh is not: no carbon "
        "figure is computed for the site. Allowed: give grid_carbon_kg_per_mwh [kg CO2/MWh] with it, or remove it"]


def test_the_runs_provenance_lists_the_carbon_factors_source(tmp_path):
    from dcplan.report_plan import plan_runs
    runs = plan_runs(None, sites=["phoenix-az"], notebooks=["site_analysis", "portfolio_comparison"],
                     out=tmp_path / "r")
    site_run = next(r for r in runs if r.site_id == "phoenix-az")
    phx, chi = load_site("phoenix-az"), load_site("chicago-il")
    assert site_run.vintages["grid_carbon"] == carbon_vintage(phx)
    assert "AZNM (WECC Southwest) subregion total output CO2 emission rate 776.036 lb/MWh" in \
        site_run.vintages["grid_carbon"]
    # site_analysis ranks the other sites: their factors are inputs too, as their weather is
    assert site_run.vintages["peer:chicago-il:grid_carbon"] == carbon_vintage(chi)
    pf_run = next(r for r in runs if r.site_id is None)
    assert pf_run.vintages["grid_carbon:chicago-il"] == carbon_vintage(chi)
    from dcplan.report_fingerprint import provenance
    assert provenance({}, site_run.vintages)["data_vintages"]["grid_carbon"] == carbon_vintage(phx)


def test_site_format_documents_the_new_fields():
    fmt = (ROOT / "docs" / "site-format.md").read_text()
    row = next(line for line in fmt.splitlines() if line.startswith("| `grid_carbon_basis` |"))
    assert "`location` \\| `market`" in row and "left out: location" in row
    row = next(line for line in fmt.splitlines() if line.startswith("| `grid_carbon_source` |"))
    assert "source not given in the site file" in row and "provenance" in row


# ----------------------------------------------------------------------------- 3. the water split

def test_water_split_against_evaporation_and_cycles_by_hand():
    """One hour, 1,000 kW rejected by a tower at 35/25.5 degC: evaporation E = 1000 x the tower's L/kWh
    (thermal_water's air-side balance), blowdown E / (cycles - 1), make-up E + blowdown = tower_water_l."""
    e_l = 1000.0 * tower_evaporation_l_per_kwh(35.0, 25.5, lg_ratio=1.6, range_k=5.6)
    for cycles in (2.0, 4.0, 6.5):
        m_l = tower_water_l(1000.0, 35.0, 25.5, lg_ratio=1.6, range_k=5.6, cycles=cycles)
        split = water_split_m3(m_l / 1000, cycles)
        assert split["water_evaporated_m3"] == pytest.approx(e_l / 1000, rel=1e-12)
        assert split["water_blowdown_m3"] == pytest.approx(e_l / (cycles - 1) / 1000, rel=1e-12)
        assert split["water_evaporated_m3"] + split["water_blowdown_m3"] == pytest.approx(m_l / 1000, rel=1e-15)
    with pytest.raises(ValueError, match=r"tower_cycles must be >= 2 .* got 1.5"):
        water_split_m3(1.0, 1.5)


def test_plant_summary_splits_at_the_cycles_the_plant_ran_with():
    """A 3-hour air plant with tower_cycles overridden to 5: the summary's evaporation is 4/5 of the hours'
    water_l and the blowdown 1/5, summed by hand, even without the cooling section at hand (recorded in attrs)."""
    idx = pd.date_range("2025-07-01 01:00", periods=3, freq="h", tz="Etc/GMT+7")
    w = pd.DataFrame({"temp_air": [35.0, 30.0, 43.0], "temp_wet_bulb_degc": [25.5, 24.0, 21.0]}, index=idx)
    h = thermal.plant_hourly(1000.0, w, {"type": "air", "liquid_class": None}, tower_cycles=5.0)
    assert h.attrs["plant"]["tower_cycles"] == 5.0
    s = thermal.plant_summary(h)
    total_l = float(np.sum(h["water_l"].to_numpy()))
    assert total_l > 0
    assert s["water_m3"] == pytest.approx(total_l / 1000, rel=1e-12)
    assert s["water_evaporated_m3"] == pytest.approx(total_l * 4 / 5 / 1000, rel=1e-12)
    assert s["water_blowdown_m3"] == pytest.approx(total_l / 5 / 1000, rel=1e-12)
    assert s["water_evaporated_m3"] + s["water_blowdown_m3"] == pytest.approx(s["water_m3"], rel=1e-15)


# ----------------------------------------------------------------------------- site_analysis at Phoenix

@pytest.fixture(scope="module")
def phoenix(tmp_path_factory):
    """site_analysis at Phoenix run in this process to its last cell (the CSV export into a temporary folder)."""
    mp = pytest.MonkeyPatch()
    import dcplan.results
    got: dict = {}
    mp.setattr(dcplan.results, "publish",
               lambda values, *a, **k: got.update(values if isinstance(values, dict) else {}))
    out = tmp_path_factory.mktemp("sa") / "outputs"
    try:
        ns, _ = run_cells_until("site_analysis", "sustainability_table(spec", mp, site="phoenix-az",
                                export_dir=str(out))
    finally:
        mp.undo()
    return ns, got, out


def test_phoenix_pv_labels_do_not_invite_double_counting(phoenix):
    ns, got, _ = phoenix
    gc = got["grid_carbon_t"][2]
    assert gc.startswith("Grid carbon a year: grid import, net of on-site PV used on site or stored (counted at 0), x ")
    assert carbon_basis_text(ns["spec"]) in gc
    pv = got["pv_avoided_carbon_t"][2]
    assert ("Not part of the Scope 2 inventory: already left out of grid_carbon_t, do not subtract it again. At the "
            "average rate, not a non-baseload/marginal rate (EPA eGRID non-baseload or AVERT would be the usual "
            "basis)") in pv
    assert "scope 2 location-based" not in pv
    # the energy balance behind "already left out": grid import + PV used = facility energy (no battery at Phoenix)
    f = ns["f"]
    assert f["grid_mwh"] + f["pv_mwh"] - f["pv_spilled_mwh"] == pytest.approx(f["facility_mwh"], rel=1e-9)
    # 3,606 t avoided beside 11,607 t: (PV used) x 352 kg/MWh / 1000
    assert got["pv_avoided_carbon_t"][0] == pytest.approx((f["pv_mwh"] - f["pv_spilled_mwh"]) * 352.0 / 1000, rel=1e-12)
    assert got["grid_carbon_t"][0] == pytest.approx(f["grid_mwh"] * 352.0 / 1000, rel=1e-12)


def test_phoenix_water_split_and_per_gpu_hour_water(phoenix):
    ns, got, _ = phoenix
    w = got["water_m3"][0]
    # 4 cycles (the plant's tower_cycles): 3/4 evaporated, 1/4 blowdown; the analyst's 59,593 + 19,864 = 79,458 m3
    assert ns["y"].plant.attrs["plant"]["tower_cycles"] == 4.0
    assert got["water_evaporated_m3"][:2] == (pytest.approx(w * 3 / 4, rel=1e-12), "m3")
    assert got["water_blowdown_m3"][:2] == (pytest.approx(w / 4, rel=1e-12), "m3")
    assert got["water_evaporated_m3"][0] + got["water_blowdown_m3"][0] == pytest.approx(w, rel=1e-15)
    # 2026: the tower's air is its fans' (design airflow x fan speed; full speed in Phoenix's 5,129 chiller hours at
    # 52-74 % of the design heat), not the heat's at the design L/G (26-48 % less air there): more dry air through the
    # same water, 67,141 + 22,380 = 89,521 m3 (+12.7 %; the tester's estimate with the fans' air in chiller hours only
    # was 66,217 m3 evaporated), re-derived to 1e-8 by an independent SaturatedExit solve (ASHRAE eqs., brentq) on
    # the plant's hourly tower heat and fan speed
    # 2026-12: 67,141 + 22,380 with linear CRAH fans and loop pumps; on their part-load curves the tower rejects
    # less heat in part-load hours: 66,618 + 22,206 = 88,824 m3 (-0.8 %; blowdown = evaporation / 3 at 4 cycles).
    # 66,605 + 22,202 = 88,807 m3 (-0.02 %) since a sub-zero dew point is read over water, the file's convention
    # (ca51aaf; it read a frost point): the moister inlet air of those hours takes up less water for the same heat,
    # while 10 more chiller hours (wet bulbs up to 0.63 K higher) add their compressor heat (tests/test_carbon_water).
    # 66,560 + 22,187 = 88,747 m3 (-0.07 %) since the water-cooled chillers' rated COP 6.28 (2026-12; was 6.1): less
    # compressor heat (1 / COP) on the towers in the hours the chillers run
    assert round(got["water_evaporated_m3"][0]) == 66560 and round(got["water_blowdown_m3"][0]) == 22187
    assert "water consumption (GRI 303-5)" in got["water_evaporated_m3"][2]
    assert "water discharge (GRI 303-4)" in got["water_blowdown_m3"][2]
    # per installed GPU-hour: water_m3 x 1000 / (3,072 GPUs x 8,760 h) = 89,521.3 x 1000 / 26,910,720 = 3.327 L
    # (2.953 L from 79,457.7 m3 before the tower's air was its fans', 2026)
    n = ns["f"]["n_accelerators"]
    assert n == 3072 and len(ns["y"].weather) == 8760
    assert got["water_l_per_gpu_h"][:2] == (pytest.approx(w * 1000 / (3072 * 8760), rel=1e-12), "L/GPU-h")
    # 2026-12: 3.33 before the part-load movers; 88,823.8 x 1000 / 26,910,720 = 3.301 L (88,807.0: 3.300 L since
    # a sub-zero dew point is read over water; 88,746.6: 3.298 L since the rated chiller COP 6.28)
    assert got["water_l_per_gpu_h"][0] == pytest.approx(3.30, abs=0.005)
    # per million tokens: tokens = utilisation x GPUs x the H100 stand-in's MLPerf v4.1 Llama-2-70B offline
    # 24,528.3 tokens/s / 8 GPUs (data/SOURCES.md) x 3,600 x 8,760
    u = ns["spec"].fleet.utilisation_frac
    tok_m = u * 3072 * (24528.3 / 8) * 3600 * 8760 / 1e6
    assert got["water_l_per_m_tokens"][:2] == (pytest.approx(w * 1000 / tok_m, rel=1e-9), "L/M tokens")
    # 0.6 x 3,072 x 3,066.04 x 3,600 x 8,760 / 1e6 = 178.22e6 M tokens a year: 89,521,300 L / 178.22e6 = 0.502 L
    # (0.446 from 79,457.7 m3 before the tower's air was its fans', 2026)
    assert got["water_l_per_m_tokens"][0] == pytest.approx(0.50, abs=0.01)
    assert "tokens at 3,066 tokens/s per accelerator" in got["water_l_per_m_tokens"][2]
    # same ratio as carbon: water per token / water per GPU-hour = carbon per token / carbon per GPU-hour
    assert got["water_l_per_m_tokens"][0] / got["water_l_per_gpu_h"][0] == pytest.approx(
        got["carbon_g_per_m_tokens"][0] / 1000 / got["carbon_kg_per_gpu_h"][0], rel=1e-12)


def test_phoenix_sustainability_csv_equals_the_published_figures(phoenix):
    ns, got, out = phoenix
    t = pd.read_csv(out / csv_name("phoenix-az"))
    # no .tmp left; beside the CSV, dcplan's record of what it wrote (dcplan.export_record)
    assert sorted(out.iterdir()) == [out / ".dcplan-exports.json", out / "phoenix-az_sustainability.csv"]
    assert len(t) == 1 and t.loc[0, "site"] == "phoenix-az" and t.loc[0, "name"] == "Phoenix, AZ"
    row = t.iloc[0]
    for key, unit in (("it_mwh", "MWh"), ("facility_mwh", "MWh"), ("pv_mwh", "MWh"), ("pv_spilled_mwh", "MWh"),
                      ("grid_mwh", "MWh"), ("annual_pue", None), ("grid_carbon_kg_per_mwh", "kg CO2/MWh"),
                      ("grid_carbon_t", "t CO2"), ("pv_avoided_carbon_t", "t CO2"), ("water_m3", "m3"),
                      ("water_evaporated_m3", "m3"), ("water_blowdown_m3", "m3"), ("wue_l_per_kwh", "L/kWh"),
                      ("derate_h", "h")):
        # the CSV holds the value itself (repr), so it reads back equal to what site_analysis published, in the
        # published unit (a ratio without unit, PUE, headed by its name alone)
        assert row[key if unit is None else f"{key} [{unit}]"] == pytest.approx(got[key][0], rel=1e-15), key
        assert got[key][1] == unit, key
    assert row["grid_carbon_basis"] == "location"
    assert row["grid_carbon_source"] == load_site("phoenix-az").grid_carbon_source
    # WUE x IT energy = water; the split adds up
    assert row["wue_l_per_kwh [L/kWh]"] * row["it_mwh [MWh]"] == pytest.approx(row["water_m3 [m3]"], rel=1e-12)
    assert row["water_evaporated_m3 [m3]"] + row["water_blowdown_m3 [m3]"] == pytest.approx(row["water_m3 [m3]"],
                                                                                             rel=1e-15)


def test_a_site_without_a_carbon_figure_leaves_the_carbon_columns_empty():
    from types import SimpleNamespace as S
    site = S(id="x", name="X", grid_carbon_kg_per_mwh=None, grid_carbon_basis=None, grid_carbon_source=None)
    f = {"it_mwh": 1.0, "facility_mwh": 1.2, "pv_mwh": 0.0, "pv_spilled_mwh": 0.0, "grid_mwh": 1.2,
         "annual_pue": 1.2, "wue_l_per_kwh": 0.0, "derate_h": 0.0}
    t = sustainability_table(site, f, {"water_m3": 0.0, "water_evaporated_m3": 0.0, "water_blowdown_m3": 0.0},
                             tower_cycles=4.0)
    assert t[["grid_carbon_t [t CO2]", "grid_carbon_basis", "grid_carbon_source"]].isna().all(axis=None)


def test_a_ratio_without_unit_is_headed_by_its_name_alone():
    """Finance reviewer's finding: PUE's unit was empty in site_analysis's results, "-" in offpeak's and "[-]" in
    the sustainability CSV's header. One convention (docs/glossary.md): a ratio has no unit, so the CSV heads PUE
    and the tower's cycles by their names alone, as the hourly CSV heads its COPs (dcplan.site_hourly.header)."""
    from types import SimpleNamespace as S

    from dcplan.site_hourly import COLUMNS, header
    site = S(id="x", name="X", grid_carbon_kg_per_mwh=None, grid_carbon_basis=None, grid_carbon_source=None)
    f = {"it_mwh": 1.0, "facility_mwh": 1.2, "pv_mwh": 0.0, "pv_spilled_mwh": 0.0, "grid_mwh": 1.2,
         "annual_pue": 1.2, "wue_l_per_kwh": 0.0, "derate_h": 0.0}
    t = sustainability_table(site, f, {"water_m3": 0.0, "water_evaporated_m3": 0.0, "water_blowdown_m3": 0.0},
                             tower_cycles=4.0)
    assert (t.loc[0, "annual_pue"], t.loc[0, "tower_cycles"]) == (1.2, 4.0)
    assert not [c for c in t.columns if "[-]" in c or "[]" in c], list(t.columns)
    assert header("chiller_cop_air") == "chiller_cop_air" and not COLUMNS["chiller_cop_air"][0]


def test_a_comparison_of_sites_on_mixed_bases_is_warned(tmp_path, monkeypatch):
    """A portfolio where one site declares a market-based 0 (a PPA) beside a location-based site: the comparison
    ranks the 0 as if it were a grid average, so portfolio_compare.comparison_table warns, naming the sites on
    each basis (before b23c6b4 the undeclared 0 was warned by validate; declared, nothing warned)."""
    from dcplan import portfolio_compare
    from dcplan.errors import DcplanWarning
    from dcplan.site_carbon import mixed_basis_warning
    loc = load_site(_site(tmp_path, grid_carbon_kg_per_mwh=400.0))
    (tmp_path / "m").mkdir()
    mkt = load_site(_site(tmp_path / "m", grid_carbon_kg_per_mwh=0.0, grid_carbon_basis="market"))
    assert mixed_basis_warning([loc, loc]) is None and mixed_basis_warning([mkt]) is None
    text = mixed_basis_warning([loc, mkt])
    assert text.startswith(f"grid carbon is compared on mixed scope 2 bases: location-based: {loc.id}; "
                           f"market-based: {mkt.id} (grid_carbon_basis)")

    class Stop(Exception):
        pass

    def stop(_site):  # the sites' years are not needed: the warning comes first
        raise Stop

    monkeypatch.setattr(portfolio_compare, "site_row", stop)
    with pytest.warns(DcplanWarning, match="mixed scope 2 bases"), pytest.raises(Stop):
        portfolio_compare.comparison_table([loc, mkt])
