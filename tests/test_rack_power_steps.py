"""The rack_power notebook publishes the grid-facing steps of IT power and labels what a cap's figures are
(notebooks/rack_power.ipynb, run in-process; the electrical audit, 2026)."""
from __future__ import annotations

import pandas as pd
import pytest

from conftest import bundled_site_copy, run_cells_until


def test_northern_virginia_steps_are_published_with_their_basis(monkeypatch, published):
    """The day at 1 s from 2025-06-16 17:00:01 (the window's start): the figures recomputed here from the
    notebook's own series with pandas' diff; the labels say IT power before UPS/battery smoothing, 1-s
    resolution, and that the 10 % threshold is dcplan's."""
    ns, _ = run_cells_until("rack_power", "power_steps(day_kw", monkeypatch, site="northern-virginia")
    it = ns["day_kw"]
    assert len(it) == 86400 and it.index[0] == pd.Timestamp("2025-06-16 17:00:01", tz="America/New_York")
    # within 60 s: any lag of 1..60 s (was diff(60) alone; the same figures here, the steps being monotone)
    d1, d60 = it.diff().dropna(), pd.concat([it.diff(k).dropna() for k in range(1, 61)])
    for key, want in (("step_rise_1s_mw", d1.max()), ("step_fall_1s_mw", -d1.min()),
                      ("step_rise_60s_mw", d60.max()), ("step_fall_60s_mw", -d60.min())):
        rec = published[key]
        assert rec["value"] == pytest.approx(want / 1000, rel=1e-12) and rec["unit"] == "MW"
        assert "IT power before any UPS or battery smoothing, 1-s model" in rec["label"]
        assert "faster transients not modelled" in rec["label"]
    # the audit's figures (MW, 2 decimals)
    assert round(published["step_fall_1s_mw"]["value"], 2) == 5.82
    assert round(published["step_fall_60s_mw"]["value"], 2) == 11.25
    # the x 60 "ramp" of the largest 1-s change (349 MW/min here) is no longer published: half a step said as a
    # rate (the hardware engineer, 2026); the whole step and the net change within 60 s are (test_rack_power_step_net)
    assert "ramp_max_mw_per_min" not in published
    # 10 % of the 16,215.04 kW design IT = 1,622 kW
    assert "larger than 10 % of the design IT (1,622 kW; a dcplan threshold, not a published limit" in \
        published["steps_per_day_over_10pct"]["label"]
    assert published["steps_per_day_over_50pct"]["value"] > 0
    # no cap in the file: the chain's rating is the design IT; the cap compared is labelled at fixed utilisation
    assert published["electrical_design_it_kw"]["value"] == published["design_it_kw"]["value"]
    assert published["cap_energy_change_frac"]["label"].endswith(
        "; at fixed utilisation; the longer run time of the throttled work is not modelled)")
    assert published["cap_energy_change_frac"]["value"] < 0


def test_a_capped_site_rates_its_losses_on_the_uncapped_design(tmp_path, monkeypatch, capsys, published):
    """RTP with cap_w_per_accelerator 500 on its 512 hgx-h100: the losses are the chain's rated on the uncapped
    5,616 kW (512 x 10.2 + 128 racks x 3.075), the design IT (capped) is labelled an operating limit."""
    from dcplan import power
    f = bundled_site_copy(tmp_path, "research-triangle-nc", "rtp-cap", fleet={"cap_w_per_accelerator": 500})
    pf = tmp_path / "pf.yaml"
    pf.write_text(f"name: t\nsites: [{f}]\n")
    ns, _ = run_cells_until("rack_power", "annual_it_energy_mwh", monkeypatch, site="rtp-cap", portfolio=str(pf))
    out = capsys.readouterr().out
    assert published["electrical_design_it_kw"]["value"] == pytest.approx(512 * 10.2 + 128 * 3.075, rel=1e-12)
    assert published["design_it_kw"]["value"] < published["electrical_design_it_kw"]["value"]
    assert "operating limit" in published["design_it_kw"]["label"]
    want = power.energy_from_power(power.electrical_losses_kw(ns["it_kw"], 5616.0,
                                                              chain=ns["spec"].electrical.stages())).sum() / 1000
    assert published["electrical_losses_mwh"]["value"] == pytest.approx(want, rel=1e-12)
    assert "Note: fleet.cap_w_per_accelerator 500 W holds the design IT to" in out
