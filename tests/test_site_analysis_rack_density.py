"""site_analysis states each rack's density beside its reference range and what its per-token figures rest on.

dcplan.rack_density (rack_power's rack kW and reference ranges) and power.throughput_caveat were written but
site_analysis printed neither: its per-token figures had no word that the B200's tokens are the H100 figure,
and a 60 kW air-cooled rack no word that the air plant modelled does not cool such a rack in practice.
"""
from __future__ import annotations

import pytest

from dcplan.errors import DcplanWarning

from conftest import bundled_site_copy, run_cells_until


# data/hardware.csv max_kw, by hand (tests/test_rack_density.py): rack gear per HGX rack = 1.5 ib-ndr-switch
# (1.7 kW) + 1 eth-mgmt-switch (0.15 kW) + 0.25 storage-node (1.5 kW) = 3.075 kW
HGX_GEAR = 1.5 * 1.7 + 0.15 + 0.25 * 1.5
MARKER = "for note in rack_density_notes(spec):"


def test_phoenix_racks_and_borrowed_tokens_are_said(monkeypatch, published, capsys):
    run_cells_until("site_analysis", MARKER, monkeypatch, site="phoenix-az")
    r = published["rack_kw.hgx-b200"]
    # Phoenix's phase sets units_per_rack: 2: 2 x 14.3 = 28.6 kW a compute rack, 384 / 2 = 192 racks
    assert (r["value"], r["unit"]) == (pytest.approx(2 * 14.3, rel=1e-12), "kW")
    assert r["label"].startswith("Rack density, hgx-b200: one full compute rack (2 x hgx-b200) at full utilisation, kW "
                                 "per rack, at the units' rated maximum input (data/hardware.csv max_kw, not a "
                                 "measured draw); air-cooled in the model; its share of the network/storage gear, 1.54 kW, "
                                 "sits in separate network/storage racks, not counted in racks; reference: air-cooled")
    assert published["rack_gear_kw.hgx-b200"]["value"] == pytest.approx(HGX_GEAR * 2 / 4, rel=1e-12)
    assert (published["racks.hgx-b200"]["value"], published["racks_total"]["value"]) == (192, 192)
    text = capsys.readouterr().out
    assert "Rack density: hgx-b200: 28.6 kW per compute rack (2 units at full load; its share of the network/storage " \
           "gear, 1.5 kW, sits in separate network/storage racks, not counted in racks), air-cooled in the model: " \
           "within the ~30 kW practical air-cooling ceiling" in text
    # MLPerf v4.1 H100 SXM Llama-2-70B offline, per GPU: 24,528.3 / 8 = 3,066 tokens/s (docs/reference-data.md s.8)
    assert ("throughput: 3,066 tokens/s per accelerator (h100-sxm/llama-2-70b-offline); the H100 figure stands in "
            "for hgx-b200 (no sourced figure of its own), so this is an illustration\n") in text


def test_a_mixed_fleet_gets_a_rack_per_hardware_and_its_own_throughput_is_said(tmp_path, monkeypatch, published,
                                                                               capsys):
    """Compute racks: hgx-h100 4 x 10.2 = 40.8 kW (gear 3.075 kW elsewhere); gb200-nvl72 120 kW (gear 3.4 x 1.7 +
    0.15 + 0.5 x 1.5 = 6.68 kW elsewhere); 64 / 4 + 4 = 20 compute racks."""
    f = bundled_site_copy(tmp_path, "research-triangle-nc", "mixed-own", cooling={"type": "liquid"},
                          finance={"costs": {"tokens_per_s_per_accelerator": 5000.0}}, fleet={
        "phases": [{"hardware": "hgx-h100", "count": 64, "start": "2026-07-01"},
                   {"hardware": "gb200-nvl72", "count": 4, "start": "2026-07-01"}]})
    pf = tmp_path / "pf.yaml"
    pf.write_text(f"name: t\nsites: [{f}]\n")
    # a small liquid plant (64 HGX H100 + 4 GB200 NVL72): its air loop's water-cooled chiller is sized for 303 kW
    # of heat (the plant's own design load incl. margin_frac), 303 / 3.517 = 86 tons, below the 150 tons from
    # which ASHRAE 90.1-2016's 0.560 kW/ton (the default rated COP 6.28) applies; under 150 tons the code asks
    # only 0.610 (COP 3.517 / 0.610 = 5.77): the site chain (pipeline.run_site_year) says so, rightly for this plant
    with pytest.warns(DcplanWarning, match=r"mixed-own\.yaml: chiller_cop_rated_water: the air loop's water-cooled "
                      r"chiller is sized for 86 tons \(303 kW of heat incl\. margin_frac\), below 150 tons, but "
                      r"runs on the default rated COP 6\.28 \(0\.560 kW/ton.* need only meet 0\.610 kW/ton \(COP "
                      r"5\.77\).*chiller_cop_rated_water=5\.77"):
        run_cells_until("site_analysis", MARKER, monkeypatch, site="mixed-own", portfolio=str(pf))
    assert published["rack_kw.hgx-h100"]["value"] == pytest.approx(4 * 10.2, rel=1e-12)
    assert published["rack_kw.gb200-nvl72"]["value"] == pytest.approx(120.0, rel=1e-12)
    assert published["rack_gear_kw.gb200-nvl72"]["value"] == pytest.approx(3.4 * 1.7 + 0.15 + 0.5 * 1.5, rel=1e-12)
    assert (published["racks.hgx-h100"]["value"], published["racks.gb200-nvl72"]["value"],
            published["racks_total"]["value"]) == (16, 4, 20)
    text = capsys.readouterr().out
    assert ("throughput: 5,000 tokens/s per accelerator (site.finance.costs.tokens_per_s_per_accelerator); the site "
            "file's own figure for every accelerator (hgx-h100 and gb200-nvl72 alike), as the TCO takes it (not a "
            "benchmark dcplan sources)\n") in text


def test_with_the_throughput_parameter_no_caveat_is_printed(monkeypatch, published, capsys):
    run_cells_until("site_analysis", MARKER, monkeypatch, site="phoenix-az", tokens_per_s_per_accelerator=5000.0)
    assert "throughput: 5,000 tokens/s per accelerator (parameter)\n" in capsys.readouterr().out
