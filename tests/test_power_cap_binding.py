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

import numpy as np
import pytest

from conftest import bundled_site_copy, run_cells_until
from dcplan import power as pw
from dcplan.power_cap_bite import cap_binding, cap_binding_words
from dcplan.power_timegrid import Grid
from dcplan.power_units import unit_mixture, unit_seed
from dcplan.workload import make_process

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


def test_each_type_is_judged_at_its_own_peak_and_only_the_expectations_0_is_the_models_limit():
    """unit_peak_utilisation's per-type peaks: 8 gb200-nvl72 drawn one by one peaking at 0.600, below their
    0.623 (by hand above), and 384 hgx-b200 on the fleet-level expectation at 0.742, below their 0.767: the cap
    never binds, and only the B200's 0 is said to be the model's limit (the GB200s' own peaks are modelled).
    With the GB200s' own peak at 0.650 (above 0.623) it binds there, each type's own peak in its brackets (no
    one "fleet's utilisation" figure speaks for both)."""
    peaks = {"hgx-b200": {"peak_frac": 0.742, "per_unit": False}, "hgx-h100": {"peak_frac": 0.742, "per_unit": False},
             "gb200-nvl72": {"peak_frac": 0.600, "per_unit": True}}
    rows = {r["hw"].key: r for r in cap_binding(MIXED, 800.0, peaks)}
    assert [(r["binds"], r["peak_frac"], r["per_unit"]) for r in rows.values()] == [
        (False, 0.742, False), (False, 0.742, False), (False, 0.600, True)]
    assert cap_binding_words(MIXED, 800.0, peaks) == (
        "; it never binds here: on hgx-b200 it bites above a utilisation of 0.767 and its fleet-level utilisation "
        "peaks at 0.742; on hgx-h100 it is at or above the 700 W TDP; on gb200-nvl72 it bites above a utilisation "
        "of 0.623 and its busiest unit peaks at 0.600; on hgx-b200 the 0 is this model's limit, not a finding: "
        "every server runs at the fleet-level utilisation, and per-server peaks above it, where a real fleet's "
        "cap bites, are not modelled")
    peaks["gb200-nvl72"]["peak_frac"] = 0.650
    assert cap_binding_words(MIXED, 800.0, peaks) == (
        "; it binds only on gb200-nvl72 (above a utilisation of 0.623; its busiest unit peaks at 0.650), not on "
        "hgx-b200 (only above 0.767; its fleet-level utilisation peaks at 0.742) or hgx-h100 (at or above its "
        "700 W TDP); per-server peaks above the fleet-level utilisation, where a real fleet's cap would bite on "
        "hgx-b200 too, are not modelled")


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


def _drawn_gb200_utilisation(spec, secs, seed: int = 0) -> np.ndarray:
    """Each of the 8 gb200-nvl72 units' own utilisation at each second of ``secs`` (7200 x 8), through
    dcplan.power_units' public API as its docstring defines the draws: phase 3 of the fleet (index 2) holds
    (1 - sync_frac) x 8 = 8 independent units (inference, sync_frac 0), at most MAX_SIMULATED_UNITS (64), so
    each is drawn with its own seed unit_seed(seed, 2, j), the fleet's shared diurnal shape and bursts plus the
    unit's own noise (unit_mixture); inference holds one level per second (weight 1)."""
    proc = make_process(spec.fleet.workload, spec.fleet.utilisation_frac, seed=seed, **spec.fleet.profile)
    g = Grid.from_index(secs)
    shared = proc.expected_mixture(g)[0]
    cols = []
    for j in range(8):
        lv, w = unit_mixture(proc, unit_seed(seed, 2, j), g, shared)
        assert lv.shape == (len(secs), 1) and np.all(w == 1.0)
        cols.append(lv[:, 0])
    return np.column_stack(cols)


def test_rack_power_mixed_fleet_headline_says_where_the_cap_binds(tmp_path, monkeypatch, capsys, published):
    """The tester's fleet on phoenix-az's file (liquid W32), the 2 h window from the year's peak hour, an 850 W
    cap. The 384 hgx-b200 and 128 hgx-h100 (more than 64 independent units a phase) run at the fleet-level
    expectation, which peaks at 0.783 there: below the B200's bite point (850 - 140) / 860 = 0.826, and 850 W is
    above the H100's 700 W TDP, so neither is capped. The 8 gb200-nvl72 (64 or fewer) are drawn one by one
    (dcplan.power_units), each at its own utilisation u_j and capped on its own: each second the cap takes off,
    by hand, the sum over units of 72 GPUs x max(0, 140 + 1,060 u_j - 850) W / 0.97 (idle 140 W, TDP 1,200 W,
    PSU efficiency 0.97 of the gb200-nvl72 row of data/hardware.csv; the rack gear is not capped). That is ~78 kW
    at the peak second, not the ~71 kW of all 8 units at the fleet-level 0.783 (the hand calculation before the
    units were drawn): the units' own noise puts more of them above the bite point 0.670. The headline says
    where it binds with each type's own peak and does not say "never binds". (The default 800 W bound the B200s
    too once the window moved to the peak hour: 0.783 above their 0.767.)"""
    f = bundled_site_copy(tmp_path, "phoenix-az", "mixed-liquid", cooling={"type": "liquid", "liquid_class": "W32"},
                          fleet={"phases": PHASES})
    pf = tmp_path / "pf.yaml"
    pf.write_text(f"name: t\nsites: [{f}]\n")
    ns, _ = run_cells_until("rack_power", "cap_peak_reduction_frac", monkeypatch, site="mixed-liquid",
                            portfolio=str(pf), cap_w_per_accelerator=850.0)
    out = capsys.readouterr().out
    assert ns["cap_w"] == 850.0 and ns["spec"].fleet.sync_frac is None  # inference: sync_frac 0, all independent
    u_units = _drawn_gb200_utilisation(ns["spec"], ns["secs"], ns["seed"])
    u_fleet = float(make_process("inference", 0.6, seed=ns["seed"]).expected_mixture(Grid.from_index(ns["secs"]))[0]
                    .max())   # the expectation the B200s and H100s run at
    assert u_fleet == pytest.approx(0.783, abs=5e-4) and u_fleet < 710.0 / 860.0
    assert u_units.max() > u_fleet and u_units.max() > 710.0 / 1060.0
    # each type's peak as the notebook reads it: the drawn GB200s' own, the others' the expectation (abs: float sums)
    peaks = ns["u_peaks"]
    assert peaks["gb200-nvl72"] == {"peak_frac": pytest.approx(u_units.max(), abs=1e-12), "per_unit": True}
    assert peaks["hgx-b200"] == peaks["hgx-h100"] == {"peak_frac": pytest.approx(u_fleet, abs=1e-12), "per_unit": False}
    # the cap's cut, second by second, by hand from the drawn units' levels [kW]; tolerance: float64 sums of ~7 MW
    cut_kw = (72 * np.clip(140 + 1060 * u_units - 850, 0.0, None) / 0.97).sum(axis=1) / 1000
    free, capped = ns["free"].to_numpy(), ns["capped"].to_numpy()
    np.testing.assert_allclose(free - capped, cut_kw, rtol=0, atol=1e-6)
    top = int(np.argmax(free))
    assert cut_kw[top] == pytest.approx(78.36, abs=0.01)          # the peak second's cut: ~78 kW, not ~71
    assert 8 * 72 * (140 + 1060 * u_fleet - 850) / 0.97 / 1000 == pytest.approx(70.98, abs=0.01)
    # the published peaks: uncapped and capped 1 s maxima (the capped one can fall in another second)
    assert published["peak_1s_kw"]["value"] == pytest.approx(free.max(), rel=1e-12)
    assert published["peak_1s_capped_kw"]["value"] == pytest.approx((free - cut_kw).max(), rel=1e-9)
    rec = published["cap_peak_reduction_frac"]
    assert rec["value"] == pytest.approx(1 - (free - cut_kw).max() / free.max(), rel=1e-6)
    assert 0.005 < rec["value"] < 0.02
    assert "never binds" not in rec["label"] and "the 0 is" not in rec["label"]
    assert (f"; it binds only on gb200-nvl72 (above a utilisation of 0.670; its busiest unit peaks at "
            f"{u_units.max():.3f}), not on hgx-b200 (only above 0.826; its fleet-level utilisation peaks at "
            f"{u_fleet:.3f}) or hgx-h100 (at or above its 700 W TDP); per-server peaks above the fleet-level "
            "utilisation, where a real fleet's cap would bite on hgx-b200 too, are not modelled") in rec["label"]
    assert "never binds" not in published["cap_energy_change_frac"]["label"]
    assert published["cap_energy_change_frac"]["value"] < 0
    # the per-type note still says the B200 is never capped, and that the GB200 is
    assert "(the cap binds on 'gb200-nvl72')" in out
    assert f"the fleet-level utilisation its units run at peaks at {u_fleet:.3f} (one figure drives every " \
           "hgx-b200 unit: per-server peaks above it are not modelled)" in out
