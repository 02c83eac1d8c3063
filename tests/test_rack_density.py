"""Rack density is stated, with the published ranges for its cooling (dcplan.rack_density).

The tester's finding: air-cooled hgx-b200 at 4 per rack was rendered with the same air-plant PUE as an
H100 rack, silently. docs/reference-data.md s.2 gives air-cooled AI racks 30-40 kW and a practical
air-cooling ceiling of ~30 kW, liquid-cooled high-density racks 60-120 kW (all unverified). A rack's kW is
the compute rack alone (its servers; the rack gear sits in separate network/storage racks and is stated
beside it): 4 x hgx-h100 40.8 kW, Phoenix's hgx-b200 at its own 2 a rack 28.6 kW. An air-cooled compute
rack above 40.8 kW is a validate warning (tests/test_rack_layout.py).
"""
from __future__ import annotations

import pytest

from conftest import bundled_site_copy, run_cells_until

import dcplan.results
from dcplan.rack_density import rack_density_notes, rack_density_table, rack_gear_kw, rack_kw
from dcplan.results import publish as _PUBLISH
from dcplan.site import load_portfolio, load_site

# data/hardware.csv max_kw, read by hand: rack gear per HGX rack = 1.5 ib-ndr-switch (1.7 kW) + 1 eth-mgmt-switch
# (0.15 kW) + 0.25 storage-node (1.5 kW) = 3.075 kW; GB200 NVL72: 3.4 x 1.7 + 0.15 + 0.5 x 1.5 = 6.68 kW
HGX_GEAR = 1.5 * 1.7 + 0.15 + 0.25 * 1.5


@pytest.mark.parametrize("key, want, gear", [
    ("hgx-h100", 4 * 10.2, HGX_GEAR),    # 40.8 kW, + 3.075 kW of gear in other racks
    ("hgx-h200", 4 * 10.2, HGX_GEAR),    # 40.8 kW
    ("hgx-b200", 4 * 14.3, HGX_GEAR),    # 57.2 kW
    ("mi300x-8", 4 * 8.5, HGX_GEAR),     # 34 kW
    ("gb200-nvl72", 120, 3.4 * 1.7 + 0.15 + 0.5 * 1.5),  # 120 kW, + 6.68 kW
])
def test_rack_kw_is_a_full_compute_rack_at_full_load(key, want, gear):
    assert rack_kw(key) == pytest.approx(want, rel=1e-12)
    assert rack_gear_kw(key) == pytest.approx(gear, rel=1e-12)


def test_a_unit_cap_holds_the_rack_down(tmp_path):
    """cap_kw_per_unit 10 kW on hgx-b200 (Phoenix: 2 a rack): 2 x 10 = 20 kW a compute rack."""
    site = load_site(bundled_site_copy(tmp_path, "phoenix-az", "capped", fleet={"cap_kw_per_unit": 10.0}))
    assert rack_kw("hgx-b200", site, 2) == pytest.approx(20.0, rel=1e-12)
    assert rack_density_table(site).at["hgx-b200", "kw_per_rack"] == pytest.approx(20.0, rel=1e-12)
    assert "held to the fleet's power caps" in rack_density_table(site).at["hgx-b200", "label"]


def test_the_bundled_sites_racks_are_stated_against_the_reference_ranges(tmp_path):
    sites = load_portfolio().sites
    notes = {s.id: rack_density_notes(s) for s in sites}
    tail = " (docs/reference-data.md s.2 (dcplan docs shows where), unverified). The plant model counts cooling " \
           "per kW of heat whatever " \
           "the density, so its PUE does not reflect it"
    gear = "sits in separate network/storage racks, not counted in racks)"
    # Phoenix: 2 x 14.3 = 28.6 kW (its units_per_rack: 2), gear 3.075 x 2 / 4 = 1.54 kW
    assert notes["phoenix-az"] == [
        f"hgx-b200: 28.6 kW per compute rack (2 units at full load; its share of the network/storage gear, 1.5 kW, "
        f"{gear}, air-cooled in the model: within the ~30 kW practical air-cooling ceiling" + tail]
    assert notes["research-triangle-nc"] == [
        f"hgx-h100: 40.8 kW per compute rack (4 units at full load; its share of the network/storage gear, 3.1 kW, "
        f"{gear}, air-cooled in the model: above the 30-40 kW of air-cooled AI racks and 1.4 x the ~30 kW practical "
        "air-cooling ceiling" + tail]
    # the NVL72 rack itself is ~120 kW (docs/reference-data.md s.1): inside the liquid range; its gear 6.68 kW is
    # elsewhere
    assert notes["northern-virginia"] == [
        f"gb200-nvl72: 120.0 kW per compute rack (the rack at full load; its share of the network/storage gear, "
        f"6.7 kW, {gear}, liquid-cooled in the model: within the 60-120 kW of liquid-cooled high-density AI racks"
        + tail]
    # an MI300X rack (4 x 8.5 = 34 kW) is inside the air range
    mi = load_site(bundled_site_copy(tmp_path, "chicago-il", "mi", fleet={
        "phases": [{"hardware": "mi300x-8", "count": 64, "start": "2026-04-01"}]}))
    assert rack_density_notes(mi)[0].startswith(
        "mi300x-8: 34.0 kW per compute rack (4 units at full load; its share of the network/storage gear, 3.1 kW, "
        f"{gear}, air-cooled in the model: within the 30-40 kW of air-cooled AI racks, above the ~30 kW practical "
        "air-cooling ceiling (")


def test_rack_power_publishes_the_density_with_its_reference(monkeypatch, capsys):
    out = {}

    def publish(*a, **k):
        for rec in _PUBLISH(*a, **{**k, "show": False}):
            out[rec["key"]] = rec
    monkeypatch.setattr(dcplan.results, "publish", publish)
    run_cells_until("rack_power", "hw_rows = ", monkeypatch, site="phoenix-az", detail_hours=0.05)
    r = out["rack_kw.hgx-b200"]
    assert (r["value"], r["unit"]) == (pytest.approx(2 * 14.3, rel=1e-12), "kW")   # Phoenix: 2 a rack
    # the kW is the units' rated maximum input, not a measured draw (the hardware engineer, 2026: the label did not
    # say which; a DGX H100 measured in training peaks near 8.4 of its 10.2 kW, data/SOURCES.md)
    assert r["label"] == ("Rack density, hgx-b200: one full compute rack (2 x hgx-b200) at full utilisation, kW per "
                          "rack, at the units' rated maximum input (data/hardware.csv max_kw, not a measured draw); "
                          "air-cooled in the model; its share of the network/storage gear, 1.54 kW, sits in "
                          "separate network/storage racks, not counted in racks; reference: air-cooled AI racks 30-40 "
                          "kW, practical air-cooling ceiling ~30 kW (docs/reference-data.md s.2"
                          " (dcplan docs shows where), both unverified)")
    assert out["rack_gear_kw.hgx-b200"]["value"] == pytest.approx(HGX_GEAR / 2, rel=1e-12)
    assert (out["racks.hgx-b200"]["value"], out["racks_total"]["value"]) == (192, 192)   # 384 / 2
    text = capsys.readouterr().out
    assert "Rack density: hgx-b200: 28.6 kW per compute rack" in text
    assert "Racks: hgx-b200: 192 compute racks of 2 (network/storage racks not counted).\n" in text
