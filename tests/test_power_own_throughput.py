"""A site's own throughput (``finance: costs: tokens_per_s_per_accelerator``) is every report's, not the TCO's alone.

The tester's finding: a B200 site giving 11,264 tokens/s per accelerator had its TCO at that figure
(5.62 tokens/J) while rack_power still reported 1.5285 tokens/J "(3,066 tokens/s ... the H100 figure
stands in for hgx-b200)" and site_analysis 0.214 kWh per million tokens with the caveat "the tokens of
this site (hgx-b200) are the H100 figure": two reports of one site 3.7x apart. One rule now decides a
site's throughput and its source (:func:`dcplan.power.example_throughput`), the TCO's
(:func:`dcplan.tco_inputs.inputs_from_site`).
"""
from __future__ import annotations

import pytest

from conftest import bundled_site_copy, run_cells_until

from dcplan import power, tco
from dcplan.power_tokens import OWN_THROUGHPUT_SOURCE, throughput_provenance
from dcplan.site import load_site

OWN = 11264.0  # the tester's figure [tokens/s per accelerator]
H100 = 24528.3 / 8  # MLPerf v4.1 H100 SXM Llama-2-70B offline, per GPU (docs/reference-data.md s.8)


def _b200(tmp_path, **finance):
    """Phoenix (384 hgx-b200, 3,072 GPUs, inference at 0.6), giving its own throughput."""
    return bundled_site_copy(tmp_path, "phoenix-az", "b200-own",
                             finance={"costs": {"tokens_per_s_per_accelerator": OWN}, **finance})


def test_the_sites_own_figure_is_the_throughput_and_the_tcos(tmp_path):
    site = load_site(_b200(tmp_path))
    assert power.example_throughput(site) == (OWN, "site.finance.costs.tokens_per_s_per_accelerator")
    assert power.own_throughput(site) == OWN
    assert power.borrowed_throughput(site) == []  # no H100 figure stands in
    assert power.throughput_caveat(site) == ("the site file's own figure for every accelerator, as the TCO takes it "
                                             "(not a benchmark dcplan sources)")
    assert throughput_provenance(site) == (OWN_THROUGHPUT_SOURCE, "", "input")
    # the TCO takes the same figure, with the same source text
    inp = tco.inputs_from_site(site, n_accelerators=3072, it_capacity_kw=23146.0, it_energy_kwh=1.0e8)
    assert inp.params()["tokens_per_s_per_accelerator"] == OWN
    assert inp.sources["tokens_per_s_per_accelerator"] == OWN_THROUGHPUT_SOURCE
    # hand count: 0.6 x 3,072 GPUs x 11,264 tokens/s = 20,761,804.8 tokens/s
    assert power.fleet_tokens_per_s(0.6, 3072, power.example_throughput(site)[0]) == pytest.approx(20761804.8,
                                                                                                   rel=1e-12)


def test_without_the_figure_the_fleets_example_and_its_caveat_stay(tmp_path):
    site = load_site(bundled_site_copy(tmp_path, "phoenix-az", "b200"))
    assert power.own_throughput(site) is None
    assert power.example_throughput(site) == (pytest.approx(H100, rel=1e-12), "h100-sxm/llama-2-70b-offline")
    assert power.borrowed_throughput(site) == ["hgx-b200"]


def test_a_mixed_fleets_caveat_names_every_hardware_type_the_figure_covers(tmp_path):
    site = load_site(bundled_site_copy(tmp_path, "research-triangle-nc", "mixed-own", cooling={"type": "liquid"},
                                       finance={"costs": {"tokens_per_s_per_accelerator": 5000.0}}, fleet={
        "phases": [{"hardware": "hgx-h100", "count": 64, "start": "2026-07-01"},
                   {"hardware": "gb200-nvl72", "count": 4, "start": "2026-07-01"}]}))
    assert power.example_throughput(site) == (5000.0, OWN_THROUGHPUT_SOURCE)
    assert power.throughput_caveat(site) == ("the site file's own figure for every accelerator (hgx-h100 and "
                                             "gb200-nvl72 alike), as the TCO takes it (not a benchmark dcplan sources)")


def test_rack_power_counts_the_sites_own_tokens(tmp_path, monkeypatch, published):
    """tokens/J = 0.6 x 3,072 x 11,264 tokens/s / mean IT W; at the H100 figure it was 1.38 (the Phoenix
    test of test_rack_power_notebook.py), so 11,264 / 3,066.04 = 3.67 x that, 5.07."""
    f = _b200(tmp_path)
    pf = tmp_path / "pf.yaml"
    pf.write_text(f"name: t\nsites: [{f}]\n")
    run_cells_until("rack_power", "tokens_per_s = ", monkeypatch, site="b200-own", portfolio=str(pf),
                    detail_hours=0.05)
    tok = published["tokens_per_j_it"]
    assert tok["value"] == pytest.approx(0.6 * 3072 * OWN / (published["mean_it_kw"]["value"] * 1000), rel=1e-9)
    assert tok["value"] == pytest.approx(1.38 * OWN / H100, abs=0.02)
    assert tok["label"] == ("Tokens per joule (tokens/s per W), IT (11,264 tokens/s per accelerator, "
                            "site.finance.costs.tokens_per_s_per_accelerator; the site file's own figure for every "
                            "accelerator, as the TCO takes it (not a benchmark dcplan sources))")
    assert "H100" not in tok["label"]
