"""A per-GPU cap below the TDP that never binds says why (dcplan.power_cap_bite, rack_power notebook).

The tester: rack_power's headline "Peak reduction from a 800 W per-GPU cap: 0 %" at phoenix-az gave
no reason. A B200 draws idle + (TDP - idle) u (140 W and 1,000 W, data/hardware.csv, linear curve),
so an 800 W cap bites only above u = (800 - 140) / 860 = 0.767; the model runs every unit at the
fleet's utilisation, and that inference fleet (mean 0.6) peaks near 0.74 in the notebook's window.
"""
from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from dcplan import power as pw
from dcplan.errors import InputError
from dcplan.power_cap_bite import cap_binding_words, unit_peak_utilisation
from dcplan.power_timegrid import Grid
from dcplan.power_units import unit_mixture, unit_seed
from dcplan.workload import make_process
from dcplan.results import publish as _PUBLISH

HOUR_2H = pd.date_range("2026-07-01 01:00", periods=2, freq="1h", tz="America/Phoenix")
B200 = {"phases": [{"hardware": "hgx-b200", "count": 4, "start": "2026-01-01"}],
        "workload": "data", "data_file": "unused.csv", "utilisation_frac": 0.6}


def _util(*vals):
    return pd.Series(vals, index=HOUR_2H, name="utilisation_frac")


def test_utilisation_at_which_a_cap_bites_hand_calc():
    """(C - I) / (T - I) on the linear curve: (800 - 140) / (1000 - 140) = 0.767442; on the convex
    curve u^1.4 its 1.4th root, exp(-0.264692 / 1.4) = 0.827732 (by hand); on the concave curve
    2u - u^1.4 the root u* solves it (checked by substitution). At or above the TDP it never
    binds (1.0); at idle it binds from u = 0. Tolerance: the bisection's 1e-12 (1e-6 for the 6-digit
    hand value)."""
    b200 = pw.hardware("hgx-b200")
    assert pw.cap_bite_utilisation_frac(b200, 800.0) == pytest.approx(660.0 / 860.0, abs=1e-12)
    assert pw.cap_bite_utilisation_frac(b200, 800.0, "convex") == pytest.approx(0.827732, abs=1e-6)
    u = pw.cap_bite_utilisation_frac(b200, 800.0, "concave")
    assert 2 * u - u ** 1.4 == pytest.approx(660.0 / 860.0, abs=1e-12) and u < 660.0 / 860.0
    assert pw.cap_bite_utilisation_frac(b200, 1000.0) == 1.0 and pw.cap_bite_utilisation_frac(b200, 140.0) == 0.0


def test_fleet_peak_utilisation_is_the_highest_level_the_units_run_at():
    """Measured utilisation 0.5 then 0.7: the units run at 0.7 at most (the data's own values, hourly
    steps on hourly data). None for measured it_kw (no utilisation)."""
    assert pw.fleet_peak_utilisation_frac(B200, HOUR_2H, data=_util(0.5, 0.7)) == pytest.approx(0.7, abs=1e-12)
    it = pd.Series([10.0, 20.0], index=HOUR_2H, name="it_kw")
    assert pw.fleet_peak_utilisation_frac(B200, HOUR_2H, data=it) is None


SECS_2H = pd.date_range("2026-07-01 12:00:01", periods=7200, freq="1s", tz="America/Phoenix")
FOUR = {"phases": [{"hardware": "hgx-b200", "count": 4, "start": "2026-01-01"}], "workload": "inference",
        "utilisation_frac": 0.6}


def test_a_small_fleets_units_are_capped_at_their_own_drawn_peaks():
    """4 inference hgx-b200 (sync_frac 0: 4 independent units, at most 64) are drawn one by one
    (dcplan.power_units): unit 0 is the fleet's own seeded realisation, units 1-3 seeded unit_seed(0, 0, j), the
    shared diurnal shape and bursts plus each unit's own noise. Their peak over a 2 h window at 1 s is the highest
    of those draws (0.814), above the expectation's (0.781) that fleet_peak_utilisation_frac read before. A
    828 W cap bites above (828 - 140) / 860 = 0.800, between the two: it binds (no "never binds" note), and each
    second takes off, by hand, sum_j 8 x max(0, 140 + 860 u_j - 828) W / 0.96 (data/hardware.csv b200 idle,
    TDP; PSU efficiency). An 850 W cap (bite 0.826, above every unit's peak) never binds: capped = uncapped, and
    the note and label give the busiest unit's peak with no "model's limit" (no unit is on the expectation).
    Tolerances: float sums (1e-12 on levels, 1e-9 kW on ~45 kW)."""
    proc = make_process("inference", 0.6, seed=0)
    g = Grid.from_index(SECS_2H)
    shared = proc.expected_mixture(g)[0]
    u = np.column_stack([proc.mixture(g)[0][:, 0]]
                        + [unit_mixture(proc, unit_seed(0, 0, j), g, shared)[0][:, 0] for j in (1, 2, 3)])
    assert shared.max() < 0.8 < u.max() < 710.0 / 860.0
    assert unit_peak_utilisation(FOUR, SECS_2H) == {"hgx-b200": {"peak_frac": pytest.approx(u.max(), abs=1e-12),
                                                                 "per_unit": True}}
    assert pw.fleet_peak_utilisation_frac(FOUR, SECS_2H) == pytest.approx(u.max(), abs=1e-12)
    peaks = unit_peak_utilisation(FOUR, SECS_2H)
    free = pw.fleet_it_kw(FOUR, SECS_2H, cap_w_per_accelerator=None).to_numpy()
    cut = (8 * np.clip(140 + 860 * u - 828, 0.0, None) / 0.96).sum(axis=1) / 1000
    np.testing.assert_allclose(free - pw.fleet_it_kw(FOUR, SECS_2H, cap_w_per_accelerator=828.0).to_numpy(), cut,
                               rtol=0, atol=1e-9)
    assert cut.max() > 0 and pw.fleet_cap_bite_notes(FOUR, 828.0, peaks) == [] and cap_binding_words(
        FOUR, 828.0, peaks) == ""
    np.testing.assert_array_equal(pw.fleet_it_kw(FOUR, SECS_2H, cap_w_per_accelerator=850.0).to_numpy(), free)
    assert pw.fleet_cap_bite_notes(FOUR, 850.0, peaks, "in the test window") == [
        "cap_w_per_accelerator 850 W is below the 1000 W TDP of 'hgx-b200' but never binds in the test window: it "
        "bites only above a utilisation of 0.826 ((850 - 140) / (1000 - 140) W, idle to TDP in data/hardware.csv), "
        f"and the busiest of its units peaks at {u.max():.3f} (each unit at its own modelled utilisation, none runs "
        "hotter), so its capped results equal the uncapped ones"]
    assert cap_binding_words(FOUR, 850.0, peaks) == ("; it never binds here: it bites above a utilisation of 0.826 "
                                                     f"and its busiest unit peaks at {u.max():.3f}")
    # 100 servers (more than 64): their expectation drives them, and the label keeps the model's limit
    hundred = {**FOUR, "phases": [{"hardware": "hgx-b200", "count": 100, "start": "2026-01-01"}]}
    big = unit_peak_utilisation(hundred, SECS_2H)
    assert big == {"hgx-b200": {"peak_frac": pytest.approx(shared.max(), abs=1e-12), "per_unit": False}}
    assert cap_binding_words(hundred, 850.0, big).endswith("the 0 is this model's limit, not a finding: every "
                                                           "server runs at the fleet-level utilisation, and "
                                                           "per-server peaks above it, where a real fleet's cap "
                                                           "bites, are not modelled")


def test_a_cap_below_the_tdp_that_the_fleet_never_reaches_is_noted_with_both_figures():
    """Peak 0.7 < 0.767: the 800 W cap never binds (capped power = uncapped, exactly) and the note
    gives both figures. Peak 0.8 > 0.767: no note, and the cap binds in the second hour: per unit
    the GPUs draw 8 x (0.14 + 0.86 x 0.8) = 6.624 kW, capped to 6.4 kW, at PSU efficiency 0.96:
    0.224 / 0.96 = 0.23333 kW less per unit, 0.93333 kW for the 4 units (by hand; the rack gear is not
    capped). Tolerance: float rounding."""
    for data in (_util(0.5, 0.7), _util(0.5, 0.8)):
        free = pw.fleet_it_kw(B200, HOUR_2H, data=data, cap_w_per_accelerator=None)
        capped = pw.fleet_it_kw(B200, HOUR_2H, data=data, cap_w_per_accelerator=800.0)
        peak = pw.fleet_peak_utilisation_frac(B200, HOUR_2H, data=data)
        notes = pw.fleet_cap_bite_notes(B200, 800.0, peak, "in the test window")
        if peak < 0.75:
            np.testing.assert_array_equal(capped.to_numpy(), free.to_numpy())
            assert notes == [
                "cap_w_per_accelerator 800 W is below the 1000 W TDP of 'hgx-b200' but never binds in the test "
                "window: it bites only above a utilisation of 0.767 ((800 - 140) / (1000 - 140) W, idle to TDP in "
                "data/hardware.csv), and the fleet's utilisation peaks at 0.700 (one fleet-level utilisation drives "
                "every unit, none runs hotter), so its capped results equal the uncapped ones"]
        else:
            assert notes == []
            np.testing.assert_allclose((free - capped).to_numpy(), [0.0, 4 * 0.224 / 0.96], rtol=0, atol=1e-9)
    # caps at or above the TDP are fleet_cap_notes' (not repeated here); no utilisation, no note
    assert pw.fleet_cap_bite_notes(B200, 1000.0, 0.7) == [] and pw.fleet_cap_bite_notes(B200, 800.0, None) == []
    with pytest.raises(InputError, match="cap_w_per_accelerator"):
        pw.fleet_cap_bite_notes(B200, -5.0, 0.7)


def test_rack_power_says_why_its_default_cap_does_nothing_at_phoenix(monkeypatch, capsys):
    """phoenix-az's cap at cap_tdp_frac 0.9 (900 W of the B200's 1,000 W TDP) in the 2 h window: 0 % peak
    reduction, with the reason printed and in the headline's label: it bites above (900 - 140) / 860 = 0.884 and
    the fleet's utilisation peaks below it (0.783 in this window, from the year's peak hour, the model's). (The
    default 800 W binds there since the window starts at the peak hour: 0.783 above its 0.767.)"""
    from conftest import run_cells_until
    import dcplan.results
    published = {}

    def publish(*a, **k):
        for rec in _PUBLISH(*a, **{**k, "show": False}):
            published[rec["key"]] = rec
    monkeypatch.setattr(dcplan.results, "publish", publish)
    ns, _ = run_cells_until("rack_power", "cap_peak_reduction_frac", monkeypatch, site="phoenix-az", cap_tdp_frac=0.9)
    out = capsys.readouterr().out
    rec = published["cap_peak_reduction_frac"]
    assert rec["value"] == 0.0 and published["cap_energy_change_frac"]["value"] == 0.0
    # 384 independent servers (more than 64): the fleet-level expectation drives them all
    assert ns["u_peaks"]["hgx-b200"]["per_unit"] is False
    u_peak = ns["u_peaks"]["hgx-b200"]["peak_frac"]
    assert u_peak < 760.0 / 860.0 and u_peak == pytest.approx(0.783, abs=5e-4)
    # the label ended at "... peaks at 0.742)"; the electrical audit (2026): a 0 that reads as a finding is this
    # model's limit (every server at the fleet's utilisation), so the label now says that too
    why = (f"; it never binds here: it bites above a utilisation of 0.884 and the fleet peaks at {u_peak:.3f}; the 0 "
           "is this model's limit, not a finding: every server runs at the fleet-level utilisation, and per-server "
           "peaks above it, where a real fleet's cap bites, are not modelled")
    assert rec["label"].endswith(why + ")")
    # the energy change says it is at fixed utilisation (no saving: the throttled work's longer run is not counted)
    assert published["cap_energy_change_frac"]["label"].endswith(
        "; at fixed utilisation; the longer run time of the throttled work is not modelled" + why + ")")
    assert ("Note: cap_w_per_accelerator 900 W is below the 1000 W TDP of 'hgx-b200' but never binds in the 2 h "
            "window from ") in out
    assert "it bites only above a utilisation of 0.884 " in out and f"peaks at {u_peak:.3f}" in out
