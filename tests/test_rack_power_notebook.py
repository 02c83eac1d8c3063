"""The rack_power notebook says what its figures count (notebooks/rack_power.ipynb, run in-process).

The tester's findings: a design IT labelled 'nameplate' that was 0.7 x it and 25 % below the
model's own hourly peak, said nowhere; tokens per kWh of a B200 fleet at the H100 figure, and of a
training fleet from an inference benchmark, without a word; a CPU-only fleet publishing 0 tokens
per kWh; a per-GPU cap headline naming only the main accelerator's share of its TDP.
"""
from __future__ import annotations

import pytest

from conftest import bundled_site_copy, run_cells_until
from dcplan.errors import DcplanWarning



def _portfolio(tmp_path, f):
    pf = tmp_path / "pf.yaml"
    pf.write_text(f"name: t\nsites: [{f}]\n")
    return str(pf)


def test_a_design_below_the_peak_is_labelled_and_noted(tmp_path, monkeypatch, capsys, published):
    """RTP at diversity_frac 0.7: design 0.7 x 5,616 = 3,931.2 kW; the hourly peak 4,909.7 kW and the
    2 h window's 1 s peak 5,229.5 kW (the tester's figures, the model's) are both above it."""
    f = bundled_site_copy(tmp_path, "research-triangle-nc", "rtp-07", fleet={"diversity_frac": 0.7})
    run_cells_until("rack_power", "cap_peak_reduction_frac", monkeypatch, site="rtp-07",
                    portfolio=_portfolio(tmp_path, f))
    out = capsys.readouterr().out
    d = published["design_it_kw"]
    assert d["value"] == pytest.approx(0.7 * 5616.0, rel=1e-12)
    assert d["label"] == ("Design IT power: the 5,616 kW nameplate (every unit and its rack gear at full utilisation) "
                          "x fleet.diversity_frac 0.7")
    assert published["peak_it_kw"]["value"] == pytest.approx(4909.7, abs=0.05)
    assert published["peak_1s_kw"]["value"] == pytest.approx(5229.5, abs=0.05)
    assert ("Note: fleet.diversity_frac: 0.7 sets the design IT power to 3,931 kW (5,616 kW with every unit and its rack "
            "gear at full utilisation x 0.7), below the fleet's own peak: its IT power peaks at 4,910 kW in the full "
            "build-out weather year at 1 h, 1.25 x the design IT.") in out
    # 5,229.5 / 3,931.2 = 1.33; 5,229.5 / 5,616 = 0.9312 -> 0.932
    # the 1 s window starts at the year's peak hour of the hourly model (the first hour of the year here)
    assert published["peak_it_kw"]["value"] == pytest.approx(4909.7, abs=0.05)
    assert ("its IT power peaks at 5,230 kW at 1 s in the 2 h window from 2025-01-01 00:00, the year's peak hour of "
            "the hourly model, 1.33 x the design IT" in out) and "allowed: a diversity_frac of at least 0.932 " in out


def test_tokens_say_what_they_rest_on(monkeypatch, capsys, published):
    """Phoenix is a B200 inference fleet: its tokens are the H100 figure's (24,528.3 / 8 = 3,066.04 tokens/s
    per GPU), at utilisation 0.6 on 384 x 8 = 3,072 GPUs; tokens/J = tokens/s / mean IT W."""
    ns, _ = run_cells_until("rack_power", "tokens_per_s = ", monkeypatch, site="phoenix-az", detail_hours=0.05)
    tok = published["tokens_per_j_it"]
    want = 0.6 * 3072 * 24528.3 / 8 / (published["mean_it_kw"]["value"] * 1000)
    assert tok["value"] == pytest.approx(want, rel=1e-9) and tok["value"] == pytest.approx(1.38, abs=0.005)
    assert tok["label"] == ("Tokens per joule (tokens/s per W), IT (3,066 tokens/s per accelerator, "
                            "h100-sxm/llama-2-70b-offline; the H100 figure stands in for hgx-b200 (no sourced figure "
                            "of its own), so this is an illustration)")
    assert published["tokens_per_kwh_it"]["label"] == tok["label"].replace("Tokens per joule (tokens/s per W)",
                                                                           "Tokens per kWh")
    assert published["kwh_per_million_tokens_it_electrical"]["label"] == (
        "Energy per million tokens (3,066 tokens/s per accelerator, h100-sxm/llama-2-70b-offline; the H100 figure "
        "stands in for hgx-b200 (no sourced figure of its own), so this is an illustration), IT + electrical losses; "
        "cooling not included (with cooling: site_analysis facility_kwh_per_m_tokens)")
    # the old key, which site_analysis and the TCO use for figures with cooling, is not published here
    assert "kwh_per_million_tokens_facility" not in published


def test_a_training_fleets_tokens_are_an_inference_benchmarks(monkeypatch, published):
    run_cells_until("rack_power", "tokens_per_s = ", monkeypatch, site="northern-virginia", detail_hours=0.05)
    assert published["tokens_per_kwh_it"]["label"] == (
        "Tokens per kWh, IT (12,014 tokens/s per accelerator, gb200-gpu/llama-2-70b; an inference benchmark "
        "(Llama-2-70B serving) applied to a training fleet: tokens it would serve at this power, not its training "
        "throughput)")


def test_a_fleet_without_accelerators_has_no_tokens(tmp_path, monkeypatch, published):
    f = bundled_site_copy(tmp_path, "research-triangle-nc", "cpus", fleet={
        "phases": [{"hardware": "cpu-2s", "count": 200, "start": "2026-07-01"}], "workload": "batch",
        "utilisation_frac": 0.5})
    # 200 independent batch servers: their expectation (more than power_units.MAX_SIMULATED_UNITS), warned
    with pytest.warns(DcplanWarning, match="200 independent units"):
        run_cells_until("rack_power", "tokens_per_s = ", monkeypatch, site="cpus",
                        portfolio=_portfolio(tmp_path, f), detail_hours=0.05)
    na = "n/a: the fleet has no accelerators, so no tokens (the throughput examples are per accelerator)"
    for k in ("tokens_per_kwh_it", "tokens_per_j_it", "kwh_per_million_tokens_it_electrical"):
        assert (published[k]["value"], published[k]["unit"]) == (na, None), k
    assert published["kwh_per_million_tokens_it_electrical"]["label"] == (
        "Energy per million tokens, IT + electrical losses; cooling not included (with cooling: site_analysis "
        "facility_kwh_per_m_tokens)")


def test_a_mixed_fleets_cap_headline_names_each_share(tmp_path, monkeypatch, published):
    """256 hgx-h100 (2,048 GPUs) + 16 gb200-nvl72 (1,152): the default cap is 0.8 x the H100's 700 W =
    560 W, which is 560 / 1,200 = 47 % of a GB200 GPU's TDP: the headline says both."""
    f = bundled_site_copy(tmp_path, "research-triangle-nc", "mixed", cooling={"type": "liquid"}, fleet={
        "phases": [{"hardware": "hgx-h100", "count": 256, "start": "2026-07-01"},
                   {"hardware": "gb200-nvl72", "count": 16, "start": "2026-07-01"}]})
    run_cells_until("rack_power", "cap_peak_reduction_frac", monkeypatch, site="mixed",
                    portfolio=_portfolio(tmp_path, f), detail_hours=0.05)
    assert published["cap_peak_reduction_frac"]["label"].startswith(
        "Peak reduction from the 560 W per-GPU cap (cap_tdp_frac 80 % of the 700 W TDP of h100-sxm in hgx-h100; 47 % "
        "of the 1,200 W TDP of gb200-gpu in gb200-nvl72) (1 s, 0.05 h window")


def test_the_hardware_rows_and_their_status_are_in_the_report(monkeypatch, published):
    """D8: the per-unit kW that drives energy, bill and PUE was traceable only through the file hash.
    Northern Virginia is 128 gb200-nvl72 racks (2 phases of 64), 1 unit per rack: rack gear
    3.4 x 128 = 435.2 InfiniBand switches, 128 management switches, 0.5 x 128 = 64 storage nodes
    (data/hardware.csv rows, read here independently of dcplan)."""
    import csv
    from dcplan.paths import data_path
    with open(data_path("hardware.csv"), newline="") as f:
        rows = {r["key"]: r for r in csv.DictReader(f)}
    ns, _ = run_cells_until("rack_power", "hw_rows = ", monkeypatch, site="northern-virginia", detail_hours=0.05)
    t = ns["hw_rows"]
    assert list(t["key"]) == ["gb200-nvl72", "ib-ndr-switch", "eth-mgmt-switch", "storage-node"]
    assert list(t["count"]) == pytest.approx([128, 435.2, 128, 64])
    assert list(t["role"]) == ["unit"] + ["rack gear of gb200-nvl72"] * 3
    for r in t.itertuples():
        want = rows[r.key]
        assert (r.max_kw, r.idle_kw, r.psu_efficiency_frac) == (float(want["max_kw"]), float(want["idle_kw"]),
                                                                float(want["psu_efficiency_frac"]))
        assert (r.vintage, r.status, r.source) == (want["vintage"], want["status"], want["source"])
        rec = published[f"hardware_status.{r.key}"]
        assert rec["value"] == want["status"]
        assert rec["label"] == f"data/hardware.csv status of {r.key} ({r.role}; vintage {want['vintage']})"
    assert published["hardware_status.gb200-nvl72"]["value"] == "max secondary; idle estimate"
    # (120 x 0.97 + 6.68) / 126.68, the rows' PSU efficiencies weighted by their full-load wall power
    psu = published["fleet_psu_efficiency_frac"]
    assert psu["value"] == pytest.approx((120 * 0.97 + 6.68) / 126.68, rel=1e-12) and psu["unit"] == "frac"
