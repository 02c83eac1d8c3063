"""Rack density is stated, with the published ranges for its cooling (dcplan.rack_density).

The tester's finding: air-cooled hgx-b200 at 4 per rack is 60.3 kW a rack and rendered with the same
air-plant PUE as a 43.9 kW H100 rack, silently. shared/reference-data.md s.2 gives air-cooled AI racks
30-40 kW and a practical air-cooling ceiling of ~30 kW, liquid-cooled high-density racks 60-120 kW (all
unverified). The bundled air sites already sit above the air figures (43.9 kW; Phoenix's B200 60.3 kW),
so the density is a stated note, not a validate warning.
"""
from __future__ import annotations

import pytest

from conftest import bundled_site_copy, run_cells_until

import dcplan.results
from dcplan.rack_density import rack_density_notes, rack_density_table, rack_kw
from dcplan.results import publish as _PUBLISH
from dcplan.site import load_portfolio, load_site

# data/hardware.csv max_kw, read by hand: rack gear per HGX rack = 1.5 ib-ndr-switch (1.7 kW) + 1 eth-mgmt-switch
# (0.15 kW) + 0.25 storage-node (1.5 kW) = 3.075 kW; GB200 NVL72: 3.4 x 1.7 + 0.15 + 0.5 x 1.5 = 6.68 kW
HGX_GEAR = 1.5 * 1.7 + 0.15 + 0.25 * 1.5


@pytest.mark.parametrize("key, want", [
    ("hgx-h100", 4 * 10.2 + HGX_GEAR),    # 43.875 kW
    ("hgx-h200", 4 * 10.2 + HGX_GEAR),    # 43.875 kW
    ("hgx-b200", 4 * 14.3 + HGX_GEAR),    # 60.275 kW
    ("mi300x-8", 4 * 8.5 + HGX_GEAR),     # 37.075 kW
    ("gb200-nvl72", 120 + 3.4 * 1.7 + 0.15 + 0.5 * 1.5),  # 126.68 kW
])
def test_rack_kw_is_a_full_rack_at_full_load(key, want):
    assert rack_kw(key) == pytest.approx(want, rel=1e-12)


def test_a_unit_cap_holds_the_rack_down(tmp_path):
    """cap_kw_per_unit 10 kW on hgx-b200: 4 x 10 + 3.075 = 43.075 kW a rack."""
    site = load_site(bundled_site_copy(tmp_path, "phoenix-az", "capped", fleet={"cap_kw_per_unit": 10.0}))
    assert rack_kw("hgx-b200", site) == pytest.approx(40 + HGX_GEAR, rel=1e-12)
    assert "held to the fleet's power caps" in rack_density_table(site).at["hgx-b200", "label"]


def test_the_bundled_sites_racks_are_stated_against_the_reference_ranges(tmp_path):
    sites = load_portfolio().sites
    notes = {s.id: rack_density_notes(s) for s in sites}
    tail = " (shared/reference-data.md s.2, unverified). The plant model counts cooling per kW of heat whatever " \
           "the density, so its PUE does not reflect it"
    assert notes["phoenix-az"] == [
        "hgx-b200: 60.3 kW per rack (4 units + rack gear at full load), air-cooled in the model: above the 30-40 kW "
        "of air-cooled AI racks, 2.0 x the ~30 kW practical air-cooling ceiling and in the 60-120 kW of "
        "liquid-cooled racks: in practice such a rack needs rear-door heat exchangers or liquid cooling, which the "
        "air plant modelled (CRAH + chiller + tower) does not include" + tail]
    assert notes["research-triangle-nc"] == [
        "hgx-h100: 43.9 kW per rack (4 units + rack gear at full load), air-cooled in the model: above the 30-40 kW "
        "of air-cooled AI racks and 1.5 x the ~30 kW practical air-cooling ceiling" + tail]
    assert notes["northern-virginia"] == [
        "gb200-nvl72: 126.7 kW per rack (the rack + its gear at full load), liquid-cooled in the model: above the "
        "60-120 kW of liquid-cooled high-density AI racks" + tail]
    # an MI300X rack (37.1 kW) is inside the air range
    mi = load_site(bundled_site_copy(tmp_path, "chicago-il", "mi", fleet={
        "phases": [{"hardware": "mi300x-8", "count": 64, "start": "2026-04-01"}]}))
    assert rack_density_notes(mi)[0].startswith(
        "mi300x-8: 37.1 kW per rack (4 units + rack gear at full load), air-cooled in the model: within the 30-40 kW "
        "of air-cooled AI racks, above the ~30 kW practical air-cooling ceiling (")


def test_rack_power_publishes_the_density_with_its_reference(monkeypatch, capsys):
    out = {}

    def publish(*a, **k):
        for rec in _PUBLISH(*a, **{**k, "show": False}):
            out[rec["key"]] = rec
    monkeypatch.setattr(dcplan.results, "publish", publish)
    run_cells_until("rack_power", "hw_rows = ", monkeypatch, site="phoenix-az", detail_hours=0.05)
    r = out["rack_kw.hgx-b200"]
    assert (r["value"], r["unit"]) == (pytest.approx(4 * 14.3 + HGX_GEAR, rel=1e-12), "kW")
    assert r["label"] == ("Rack density, hgx-b200: one full rack (4 x hgx-b200 + rack gear) at full utilisation, kW "
                          "per rack, air-cooled in the model; reference: air-cooled AI racks 30-40 kW, practical "
                          "air-cooling ceiling ~30 kW (shared/reference-data.md s.2, both unverified)")
    assert "Rack density: hgx-b200: 60.3 kW per rack" in capsys.readouterr().out
