"""A per-GPU cap on a mixed fleet says, type by type, where it binds (dcplan.power_cap_bite.cap_binding,
cap_binding_words; the rack_power notebook's cap headline).

A GPU/rack hardware engineer (2026), on a fleet of 384 hgx-b200 (2 a rack), 128 hgx-h100 and 8 gb200-nvl72
with the default 800 W cap (0.8 x the B200's 1,000 W TDP, the main accelerator): the headline read "...; it
never binds here ... the 0 is this model's limit, not a finding: 1.13 %". The "never binds" held only on the
B200 (it bites above (800 - 140) / (1,000 - 140) = 0.767, the fleet peaks at 0.742); the cap is at or above
the H100's 700 W TDP; and on the GB200 GPU (idle 140 W, TDP 1,200 W, data/hardware.csv) it bites above
(800 - 140) / (1,200 - 140) = 660 / 1,060 = 0.6226, so it binds there: that is the 1.13 %.
"""
from __future__ import annotations

import pytest

from conftest import bundled_site_copy, run_cells_until
from dcplan import power as pw
from dcplan.power_cap_bite import cap_binding, cap_binding_words

PHASES = [{"hardware": "hgx-b200", "count": 384, "start": "2026-10-01", "units_per_rack": 2},
          {"hardware": "hgx-h100", "count": 128, "start": "2026-10-01"},
          {"hardware": "gb200-nvl72", "count": 8, "start": "2026-10-01"}]
MIXED = {"phases": PHASES, "workload": "inference", "utilisation_frac": 0.6}
GB200_BITE = 660.0 / 1060.0   # (800 - 140) / (1,200 - 140), by hand
B200_BITE = 660.0 / 860.0     # (800 - 140) / (1,000 - 140)


def test_each_type_says_whether_the_cap_binds_there():
    """At a fleet peak of 0.742: binds on gb200-nvl72 (0.742 > 0.6226), not on hgx-b200 (0.742 <= 0.767, the
    utilisation), not on hgx-h100 (800 W >= its 700 W TDP, whatever the load)."""
    rows = {r["hw"].key: r for r in cap_binding(MIXED, 800.0, 0.742)}
    assert list(rows) == ["hgx-b200", "hgx-h100", "gb200-nvl72"]
    assert (rows["gb200-nvl72"]["binds"], rows["gb200-nvl72"]["u_star"]) == (True, pytest.approx(GB200_BITE, abs=1e-12))
    assert (rows["hgx-b200"]["binds"], rows["hgx-b200"]["why"]) == (False, "utilisation")
    assert rows["hgx-b200"]["u_star"] == pytest.approx(B200_BITE, abs=1e-12)
    assert (rows["hgx-h100"]["binds"], rows["hgx-h100"]["why"], rows["hgx-h100"]["u_star"]) == (False, "tdp", 1.0)
    # no utilisation (measured it_kw): unknown below the TDP; no cap: nothing
    assert [r["binds"] for r in cap_binding(MIXED, 800.0, None)] == [None, False, None]
    assert cap_binding(MIXED, None, 0.742) == []


def test_the_label_never_says_never_binds_when_a_type_binds():
    words = cap_binding_words(MIXED, 800.0, 0.742)
    assert "never binds" not in words
    assert words == ("; it binds only on gb200-nvl72 (above a utilisation of 0.623), where the fleet's utilisation "
                     "peaks at 0.742, not on hgx-b200 (only above 0.767) or hgx-h100 (at or above its 700 W TDP); "
                     "per-server peaks above the fleet-level utilisation, where a real fleet's cap would bite on "
                     "hgx-b200 too, are not modelled")
    # at a peak of 0.5 it binds on none: then "never binds", with each type's reason and the model's limit
    none = cap_binding_words(MIXED, 800.0, 0.5)
    assert none.startswith("; it never binds here: on hgx-b200 it bites above a utilisation of 0.767 and the fleet "
                           "peaks at 0.500; on hgx-h100 it is at or above the 700 W TDP; on gb200-nvl72 it bites above "
                           "a utilisation of 0.623")
    assert none.endswith("the 0 is this model's limit, not a finding: every server runs at the fleet-level "
                         "utilisation, and per-server peaks above it, where a real fleet's cap bites, are not modelled")
    # at or above every TDP: never binds, and that is no model limit
    assert cap_binding_words(MIXED, 1300.0, 0.9).endswith("on gb200-nvl72 it is at or above the 1,200 W TDP (an "
                                                          "accelerator never draws above its TDP)")
    # binding everywhere (peak 0.95 > 0.767 on the B200; 650 W < 700 W on the H100 bites above (650 - 70) / 630 =
    # 0.921): nothing to add
    assert cap_binding_words(MIXED, 650.0, 0.95) == ""


def test_notes_on_a_mixed_fleet_do_not_say_the_fleets_results_are_unchanged():
    """The B200's note and the H100's (at or above its TDP) said 'so its capped results equal the uncapped
    ones', read as the fleet's; with the GB200 capped they now say those units' power is unchanged and name
    where it binds. A single-type fleet keeps the old words (test_power_cap_bite)."""
    (b200,) = pw.fleet_cap_bite_notes(MIXED, 800.0, 0.742, "in the window")
    assert b200.startswith("cap_w_per_accelerator 800 W is below the 1000 W TDP of 'hgx-b200' but never binds in "
                           "the window: it bites only above a utilisation of 0.767")
    assert b200.endswith("so these units draw the same capped as uncapped (the cap binds on 'gb200-nvl72')")
    assert pw.fleet_cap_notes(MIXED, 800.0) == [
        "cap_w_per_accelerator 800 W is at or above the 700 W TDP of 'hgx-h100' (data/hardware.csv "
        "accelerator_tdp_w): it never binds there, so these units draw the same capped as uncapped (it can bind only "
        "on 'hgx-b200', 'gb200-nvl72', whose TDP is above it)"]


def test_rack_power_mixed_fleet_headline_says_where_the_cap_binds(tmp_path, monkeypatch, capsys, published):
    """The tester's fleet on phoenix-az's file (liquid W32), the 2 h window (from the year's peak hour, where the
    fleet's utilisation peaks at 0.783): an 850 W cap takes off the GB200 GPUs' draw above 850 W at the peak second,
    by hand 576 GPUs x (140 + 1,060 u_peak - 850) W / 0.97 (the rack's PSU efficiency, data/hardware.csv), the
    B200s (bite above (850 - 140) / 860 = 0.826) and H100s (850 W above their 700 W TDP) unchanged; the headline
    says it binds on gb200-nvl72 only and does not say "never binds". (The default 800 W bound the B200s too once
    the window moved to the peak hour: 0.783 above their 0.767.)"""
    f = bundled_site_copy(tmp_path, "phoenix-az", "mixed-liquid", cooling={"type": "liquid", "liquid_class": "W32"},
                          fleet={"phases": PHASES})
    pf = tmp_path / "pf.yaml"
    pf.write_text(f"name: t\nsites: [{f}]\n")
    ns, _ = run_cells_until("rack_power", "cap_peak_reduction_frac", monkeypatch, site="mixed-liquid",
                            portfolio=str(pf), cap_w_per_accelerator=850.0)
    out = capsys.readouterr().out
    u = ns["u_peak"]
    assert 710.0 / 1060.0 < u < 710.0 / 860.0 and u == pytest.approx(0.783, abs=5e-4)
    assert ns["cap_w"] == 850.0
    cut_kw = 8 * 72 * (140 + 1060 * u - 850) / 0.97 / 1000          # ~60 kW
    free, capped = published["peak_1s_kw"]["value"], published["peak_1s_capped_kw"]["value"]
    assert free - capped == pytest.approx(cut_kw, rel=1e-6)
    rec = published["cap_peak_reduction_frac"]
    assert rec["value"] == pytest.approx(cut_kw / free, rel=1e-6) and 0.005 < rec["value"] < 0.02
    assert "never binds" not in rec["label"] and "the 0 is" not in rec["label"]
    assert "; it binds only on gb200-nvl72 (above a utilisation of 0.670), where the fleet's utilisation peaks at " \
           f"{u:.3f}, not on hgx-b200 (only above 0.826) or hgx-h100 (at or above its 700 W TDP)" in rec["label"]
    assert "never binds" not in published["cap_energy_change_frac"]["label"]
    assert published["cap_energy_change_frac"]["value"] < 0
    # the per-type note still says the B200 is never capped, and that the GB200 is
    assert "(the cap binds on 'gb200-nvl72')" in out
