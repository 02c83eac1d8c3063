"""The data-hall layout: a fleet phase's own units_per_rack, compute-rack kW, rack counts, air-rack checks.

The tester's findings: "kW per rack" added network/storage gear that lives in other racks (gb200-nvl72 126.68 kW
= 120 + 6.68 of switches and storage); a 57-60 kW air-cooled rack got no warning; the layout could not be changed
(units_per_rack refused on a phase); an edited catalog with impossible air racks passed validate; results.json
had no rack count; a partial last rack was not said.

Figures by hand from data/hardware.csv: hgx-b200 max_kw 14.3, units_per_rack 4, rack gear per catalog rack
1.5 ib-ndr-switch x 1.7 + 1 eth-mgmt-switch x 0.15 + 0.25 storage-node x 1.5 = 3.075 kW; hgx-h100 10.2 kW.
Thresholds: docs/reference-data.md s.2, 4 x DGX H100 = 4 x 10.2 = 40.8 kW (the densest air layout) and
liquid-cooled racks from 60 kW.
"""
from __future__ import annotations

import warnings

import pandas as pd
import pytest

from conftest import bundled_site_copy

from dcplan import catalog_checks as cc
from dcplan import power
from dcplan.errors import DcplanWarning, InputError
from dcplan.paths import data_path
from dcplan.power_fleet import fleet_psu_efficiency_frac
from dcplan.rack_density import _compare, rack_count_notes, rack_figures, rack_layout_warnings
from dcplan.site import SiteError, load_portfolio, load_site
from dcplan.site_plausibility import site_warnings
from dcplan.validate import validate_file

GEAR = 1.5 * 1.7 + 0.15 + 0.25 * 1.5   # 3.075 kW per catalog HGX rack


def _phoenix(tmp_path, site_id="ph", **phase):
    ph = {"hardware": "hgx-b200", "count": 384, "start": "2026-10-01", "label": "Hall 1", **phase}
    return bundled_site_copy(tmp_path, "phoenix-az", site_id, fleet={"phases": [ph]})


# ------------------------------------------------------------------------- layout override
def test_design_it_does_not_change_with_the_layout(tmp_path):
    # 384 x 14.3 + 96 catalog racks' worth of gear x 3.075 = 5,491.2 + 295.2 = 5,786.4 kW, at 4 a rack (96 racks
    # of gear) and at 2 a rack (192 racks x 3.075 x 2 / 4)
    want = 384 * 14.3 + 96 * GEAR
    four = load_site(_phoenix(tmp_path, "four"))
    two = load_site(_phoenix(tmp_path, "two", units_per_rack=2))
    assert power.fleet_design_it_kw(four) == pytest.approx(want, rel=1e-12)
    assert power.fleet_design_it_kw(two) == pytest.approx(want, rel=1e-12)
    assert power.fleet_design_it_kw(load_site(data_path("sites", "phoenix-az.yaml"))) == pytest.approx(want, rel=1e-12)
    t4, t2 = power.fleet_table(four).iloc[0], power.fleet_table(two).iloc[0]
    assert (t4["units_per_rack"], t4["racks"], t2["units_per_rack"], t2["racks"]) == (4, 96, 2, 192)
    assert (t2["compute_rack_max_kw"], t2["rack_gear_max_kw"]) == (pytest.approx(28.6), pytest.approx(GEAR / 2))
    # the hourly IT power is the same too (same workload, same seed)
    idx = pd.date_range("2025-07-01 01:00", periods=48, freq="1h", tz="America/Phoenix")
    a = power.site_it_kw(four, idx, deployed="all")
    b = power.site_it_kw(two, idx, deployed="all")
    assert (a - b).abs().max() < 1e-9 * a.max()
    assert fleet_psu_efficiency_frac(four) == pytest.approx(fleet_psu_efficiency_frac(two), rel=1e-12)


def test_a_rack_scale_unit_takes_no_other_layout(tmp_path):
    f = bundled_site_copy(tmp_path, "northern-virginia", "nv", fleet={
        "phases": [{"hardware": "gb200-nvl72", "count": 64, "start": "2027-01-01", "units_per_rack": 2}]})
    with pytest.raises(SiteError) as e:
        load_site(f)
    assert e.value.problems == [("fleet.phases[0].units_per_rack", (
        "2 for 'gb200-nvl72', a rack-scale unit in data/hardware.csv (kind rack, units_per_rack 1: the whole rack is "
        "the unit, so count is the number of racks); allowed: 1, or leave units_per_rack out"))]
    ok = bundled_site_copy(tmp_path, "northern-virginia", "nv1", fleet={
        "phases": [{"hardware": "gb200-nvl72", "count": 64, "start": "2027-01-01", "units_per_rack": 1}]})
    assert power.fleet_table(load_site(ok))["racks"].tolist() == [64]


@pytest.mark.parametrize("n, text", [
    (0, "Input should be greater than or equal to 1"),
    (97, "97 per rack is above the plausible band for units_per_rack, 1 to 96 per rack (a 42-48U rack holds 4 "
         "DGX-class servers, 20-48 1U servers or 96 half-width nodes): a typo?; allowed: 1 to 96 per rack "
         "(dcplan.catalog_bands)"),   # a whole number: no "decimal point off (/ 10 = 9.7)"
])
def test_a_layout_outside_the_catalog_band_is_refused(tmp_path, n, text):
    probs = validate_file(_phoenix(tmp_path, units_per_rack=n))
    assert [p.field for p in probs] == ["fleet.phases[0].units_per_rack"] and text in probs[0].message


# --------------------------------------------------------------------- rack counts, partial
def test_a_partial_last_rack_is_said_and_counted(tmp_path):
    site = load_site(_phoenix(tmp_path, count=385, units_per_rack=4))
    # 385 / 4 = 96.25: 97 racks, the last with 1 server; that rack carries a full catalog rack's gear
    assert power.fleet_table(site)[["racks", "last_rack_units"]].values.tolist() == [[97, 1]]
    assert power.fleet_design_it_kw(site) == pytest.approx(385 * 14.3 + 97 * GEAR, rel=1e-12)
    assert rack_count_notes(site) == [
        "hgx-b200: 97 compute racks of 4 (network/storage racks not counted)",
        "fleet.phases[0] (Hall 1): 385 hgx-b200 at 4 per rack fill 97 compute racks, the last holding 1 of 4 (a "
        "partial rack, which carries a full rack's share of the gear)"]
    figs = rack_figures(site)
    assert figs["racks.hgx-b200"][:2] == (97, "racks") and figs["racks_total"][:2] == (97, "racks")
    assert figs["racks.hgx-b200"][2].endswith("; partial last rack: " + rack_count_notes(site)[1])


def test_two_layouts_of_one_hardware_get_a_row_each(tmp_path):
    f = bundled_site_copy(tmp_path, "phoenix-az", "mix", fleet={"phases": [
        {"hardware": "hgx-b200", "count": 100, "start": "2026-10-01", "units_per_rack": 2},
        {"hardware": "hgx-b200", "count": 30, "start": "2027-01-01", "units_per_rack": 1}]})
    figs = rack_figures(load_site(f))
    # 100 / 2 = 50 racks of 28.6 kW; 30 racks of 14.3 kW; 80 in all
    assert {k: v[0] for k, v in figs.items() if k.startswith(("racks", "rack_kw"))} == {
        "rack_kw.hgx-b200-2-per-rack": pytest.approx(28.6), "rack_kw.hgx-b200-1-per-rack": pytest.approx(14.3),
        "racks.hgx-b200-2-per-rack": 50, "racks.hgx-b200-1-per-rack": 30, "racks_total": 80}


# ------------------------------------------------------------------------ air-rack warning
def test_bundled_sites_do_not_warn_the_rack_layout():
    # Phoenix 2 x 14.3 = 28.6 kW; Chicago (hgx-h200) and Research Triangle (hgx-h100) 4 x 10.2 = 40.8 kW: at the
    # threshold, not above; Northern Virginia is liquid-cooled
    for s in load_portfolio().sites:
        assert rack_layout_warnings(s) == [], s.id


def test_an_air_rack_above_40_8_kw_is_warned_in_validate(tmp_path):
    f = _phoenix(tmp_path, "ph3", units_per_rack=3)
    want = (f"{f}: fleet.phases[0]: 3 x hgx-b200 per rack (fleet.phases[0].units_per_rack) is 42.9 kW "
            "per compute rack at full load (3 x 14.3 kW), above the 40.8 kW of the densest air-cooled layout the "
            "reference data give (4 x DGX H100 at 10.2 kW, docs/reference-data.md s.2"
            " (dcplan docs shows where), beside air-cooled AI racks "
            "of 30-40 kW and a ~30 kW practical air-cooling ceiling, unverified): in practice such a rack needs "
            "rear-door heat exchangers or liquid cooling, which the air plant modelled (CRAH + chiller + tower) does "
            "not include, and its PUE does not reflect it; allowed: at most 40.8 kW per air-cooled compute rack: set "
            "fleet.phases[0].units_per_rack: 2 (2 x 14.3 = 28.6 kW) for an air-cooled layout, or cooling.type: "
            "liquid (a direct-liquid-cooled version of the servers; rear-door heat exchangers are not modelled)")
    assert rack_layout_warnings(load_site(f)) == [want]
    with pytest.warns(DcplanWarning) as rec:
        assert validate_file(f) == []
    assert want in [str(w.message) for w in rec]
    # the catalog's 4 a rack (57.2 kW) is warned as the catalog's
    four = load_site(_phoenix(tmp_path, "ph4"))
    assert [t.split(": ")[1] for t in site_warnings(four)] == ["fleet.phases[0]"]
    assert "4 x hgx-b200 per rack (data/hardware.csv units_per_rack) is 57.2 kW" in site_warnings(four)[0]


def test_a_liquid_plant_or_a_power_cap_is_not_warned(tmp_path):
    capped = load_site(bundled_site_copy(tmp_path, "phoenix-az", "cap", fleet={
        "phases": [{"hardware": "hgx-b200", "count": 384, "start": "2026-10-01"}], "cap_kw_per_unit": 10.0}))
    assert rack_layout_warnings(capped) == []   # 4 x 10 kW = 40 kW at the cap


def test_density_above_the_liquid_range_on_air_says_above():
    # 126.68 / 30 = 4.2 x the ceiling; above (not in) the 60-120 kW liquid range
    assert _compare(126.68, "air") == (
        "above the 30-40 kW of air-cooled AI racks, 4.2 x the ~30 kW practical air-cooling ceiling and above the "
        "60-120 kW of liquid-cooled racks: in practice such a rack needs rear-door heat exchangers or liquid cooling, "
        "which the air plant modelled (CRAH + chiller + tower) does not include")
    assert "and in the 60-120 kW of liquid-cooled racks" in _compare(80.0, "air")


# ----------------------------------------------------------------------------- catalog
def _hw_copy(tmp_path, old, new):
    text = data_path("hardware.csv").read_text(encoding="utf-8")
    assert text.count(old) == 1, old
    p = tmp_path / "hardware.csv"
    p.write_text(text.replace(old, new), encoding="utf-8")
    return p


def _line(start):
    lines = data_path("hardware.csv").read_text(encoding="utf-8").splitlines()
    return next(i + 1 for i, ln in enumerate(lines) if ln.startswith(start))


def test_an_nvl72_on_air_in_the_catalog_is_refused(tmp_path):
    p = _hw_copy(tmp_path, "0.97,1,liquid,ib-ndr-switch*3.4", "0.97,1,air,ib-ndr-switch*3.4")
    assert cc.check_file(p) == [
        f"{p}: line {_line('gb200-nvl72,')}, key 'gb200-nvl72', cooling: air-cooled, 1 x 120 kW (units_per_rack x "
        "max_kw) = 120 kW per rack, at or above the 60 kW where liquid-cooled high-density racks start (60-120 kW, "
        "docs/reference-data.md s.2 (dcplan docs shows where), unverified; dcplan.catalog_bands.LIQUID_RACK_MIN_KW): "
        "no air plant cools such "
        "a rack; allowed: cooling liquid"]


def test_eight_h100_on_air_in_the_catalog_is_refused(tmp_path):
    # 8 x 10.2 = 81.6 kW (84.7 with the gear): at or above 60 kW; 5 a rack is 51 kW, 4 a rack 40.8 kW
    old = "hgx-h100,8-GPU HGX/DGX H100 server,server,NVIDIA,h100-sxm,8,700,70,10.2,2.6,0.96,4,air"
    p = _hw_copy(tmp_path, old, old.replace(",0.96,4,air", ",0.96,8,air"))
    got = cc.check_file(p)
    assert len(got) == 1 and got[0].startswith(f"{p}: line {_line('hgx-h100,')}, key 'hgx-h100', units_per_rack: "
                                               "air-cooled, 8 x 10.2 kW (units_per_rack x max_kw) = 81.6 kW per rack")
    assert got[0].endswith("allowed: cooling liquid, or an air-cooled rack below 60 kW: units_per_rack 5 or fewer (at "
                           "most 4 for 40.8 kW, the densest air-cooled layout)")


def test_an_air_row_above_40_8_kw_warns_in_validate_only(tmp_path):
    old = "hgx-h100,8-GPU HGX/DGX H100 server,server,NVIDIA,h100-sxm,8,700,70,10.2,2.6,0.96,4,air"
    p = _hw_copy(tmp_path, old, old.replace(",0.96,4,air", ",0.96,5,air"))   # 5 x 10.2 = 51 kW
    with warnings.catch_warnings():
        warnings.simplefilter("error", DcplanWarning)
        assert cc.check_file(p) == []   # (the catalogs a site's runs read: no warning)
    with pytest.warns(DcplanWarning) as rec:
        assert validate_file(p) == []
    msgs = [str(w.message) for w in rec]
    assert f"{p}: line {_line('hgx-h100,')}, key 'hgx-h100', units_per_rack: air-cooled, 5 x 10.2 kW (units_per_rack " \
           "x max_kw) = 51 kW per rack, above the 40.8 kW of the densest air-cooled layout the reference data give (4 " \
           "x DGX H100 at 10.2 kW, docs/reference-data.md s.2 (dcplan docs shows where); " \
           "dcplan.catalog_bands.AIR_RACK_MAX_KW): in practice " \
           "such a rack needs rear-door heat exchangers or liquid cooling, which the air plant modelled does not " \
           "include; allowed: at most 4 a rack here, or a site's fleet.phases[i].units_per_rack for its own layout" \
           in msgs
    # the bundled hgx-b200 row (4 x 14.3 = 57.2 kW) is warned too; hgx-h100/h200 at 40.8 kW are not
    assert sorted(m.split("key '")[1].split("'")[0] for m in msgs) == ["hgx-b200", "hgx-h100"]


# ---------------------------------------------------------------------------- finding 7
def test_a_switch_as_a_phase_is_refused_without_a_cdu_share():
    with pytest.raises(InputError) as e:
        power.fleet_table({"phases": [{"hardware": "ib-ndr-switch", "count": 1, "start": "2026-01-01"}]})
    assert e.value.field == "fleet.phases[0].hardware"
    assert e.value.detail == (
        "'ib-ndr-switch' is a network in data/hardware.csv, not a server or rack: a phase counts whole servers or "
        "racks (each rack's network and storage gear, its catalog rack_addons, is added per rack); allowed: cpu-2s, "
        "gb200-nvl72, hgx-b200, hgx-h100, hgx-h200, mi300x-8")
