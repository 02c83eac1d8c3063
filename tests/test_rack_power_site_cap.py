"""rack_power on a site with its own per-GPU cap: every 1 s figure of the fleet as the site runs it.

The electrical audit (2026): northern-virginia with ``fleet.cap_w_per_accelerator: 800`` published its design
IT (12,415 kW) and hourly peak at the site's cap, but ``peak_1s_kw`` 15,735 kW with the cap removed (its label
did not say so), a headline cap reduction of 12.0 % "from a 960 W per-GPU cap" (0.8 x the 1,200 W TDP,
looser than the cap the site runs with) against no cap at all, and no note of a 1 s peak above the design
IT for any capped site. Now the default cap compared is the site's own against no cap, ``peak_1s_kw`` is the
fleet as it runs, the uncapped peak is ``peak_1s_uncapped_kw`` (its label says so) and the note works.

Hand figures (data/hardware.csv): a gb200-nvl72 rack at full load draws 120 kW at the wall through a 0.97
PSU, 72 GPUs of 1,200 W TDP; an 800 W cap takes 72 x 0.4 = 28.8 kW DC off it: (120 x 0.97 - 28.8) / 0.97 =
90.309 kW. Its rack gear 3.4 x 1.7 + 0.15 + 0.5 x 1.5 = 6.68 kW (uncapped). Capped full load: 128 x
(90.309 + 6.68) = 12,414.63 kW; uncapped 128 x 126.68 = 16,215.04 kW.
"""
from __future__ import annotations

import math

import pytest

from conftest import bundled_site_copy, run_cells_until

CAPPED_FULL_KW = 128 * ((120 * 0.97 - 72 * 0.4) / 0.97 + 3.4 * 1.7 + 0.15 + 0.5 * 1.5)   # 12,414.63 kW
NOVA_PEAK_1S_UNCAPPED_KW = 15734.64   # the model's 1 s peak of the uncapped fleet (the bundled site's peak_1s_kw)


def _site(tmp_path, **fleet):
    f = bundled_site_copy(tmp_path, "northern-virginia", "nova-cap", fleet={"cap_w_per_accelerator": 800, **fleet})
    pf = tmp_path / "pf.yaml"
    pf.write_text(f"name: t\nsites: [{f}]\n")
    return str(pf)


def test_the_1s_figures_are_of_the_fleet_as_it_runs_and_the_cap_compared_is_its_own(tmp_path, monkeypatch, capsys,
                                                                                      published):
    assert CAPPED_FULL_KW == pytest.approx(12414.63, abs=0.01)
    run_cells_until("rack_power", "step_up_mw", monkeypatch, site="nova-cap",
                    portfolio=_site(tmp_path, diversity_frac=0.8))
    out = capsys.readouterr().out
    assert published["design_it_kw"]["value"] == pytest.approx(0.8 * CAPPED_FULL_KW, rel=1e-9)
    # the cap compared: the site's own 800 W (was 0.8 x 1,200 = 960 W), named as the site's
    cap = published["cap_w_per_accelerator"]
    assert cap["value"] == 800.0
    assert "800 W per-GPU cap (the site's own fleet.cap_w_per_accelerator, 67 % of the 1,200 W TDP" in cap["label"]
    # every 1 s figure of the fleet as it runs: the capped full load bounds it (the uncapped one peaked at 15,735)
    p1 = published["peak_1s_kw"]
    assert p1["value"] <= CAPPED_FULL_KW * (1 + 1e-9)
    assert "as the site runs it, with its own fleet.cap_w_per_accelerator 800 W per GPU" in p1["label"]
    assert published["peak_1s_capped_kw"]["value"] == p1["value"]
    free = published["peak_1s_uncapped_kw"]
    assert free["value"] == pytest.approx(NOVA_PEAK_1S_UNCAPPED_KW, abs=0.01)
    assert free["label"].startswith("Peak 1 s IT power with no per-GPU cap: the site's own 800 W removed, "
                                    "not as it runs")
    assert published["cap_peak_reduction_frac"]["value"] == pytest.approx(1 - p1["value"] / free["value"], rel=1e-12)
    # the steps are of the same fleet, and say so
    assert "as the site runs it, with its own fleet.cap_w_per_accelerator 800 W" in published["step_up_mw"]["label"]
    # the 1 s peak above the 0.8 x 12,414.63 = 9,931.7 kW design IT is noted (it was skipped for any capped site),
    # with the least diversity_frac that covers it: peak / 12,414.63 rounded up to 3 digits
    need = math.ceil(p1["value"] / CAPPED_FULL_KW * 1000 - 1e-9) / 1000
    assert (f"Note: fleet.diversity_frac: 0.8 sets the design IT power to 9,932 kW (12,415 kW with every unit and its "
            "rack gear at full utilisation, the fleet's power caps applied, x 0.8), below the fleet's own peak: its IT "
            f"power peaks at {p1['value']:,.0f} kW at 1 s in the 2 h window") in out
    assert f"allowed: a diversity_frac of at least {need:g} (peak {p1['value']:,.0f} kW / 12,415 kW" in out
    # the 15 min peak of the same 1 s load: between its hourly and its 1 s peaks (a mean of it, over a part of the
    # window that holds the peak hour)
    p15 = published["peak_15min_kw"]["value"]
    assert published["peak_it_kw"]["value"] * (1 - 1e-9) <= p15 <= p1["value"]


def test_another_cap_is_compared_with_none_and_the_1s_peak_stays_the_sites(tmp_path, monkeypatch, capsys, published):
    """-p cap_w_per_accelerator 960 on the 800 W site: the 960 W cap against no cap, labelled so;
    peak_1s_kw is still the fleet at its own 800 W (the capped full load bounds it, not the 960 W one's
    128 x ((116.4 - 17.28) / 0.97 + 6.68) = 13,934.0 kW)."""
    run_cells_until("rack_power", "cap_peak_reduction_frac", monkeypatch, site="nova-cap", portfolio=_site(tmp_path),
                    cap_w_per_accelerator=960.0, detail_hours=0.25)
    out = capsys.readouterr().out
    assert published["cap_w_per_accelerator"]["value"] == 960.0
    assert published["peak_1s_kw"]["value"] <= CAPPED_FULL_KW * (1 + 1e-9)
    assert published["peak_1s_capped_kw"]["value"] > CAPPED_FULL_KW
    assert "the site runs with its own fleet.cap_w_per_accelerator 800 W" in out
