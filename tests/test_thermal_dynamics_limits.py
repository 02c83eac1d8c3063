"""Review of the cooling-lag model by a controls engineer (2025): time above the limit counted by the
crossing within a step, temperatures past the GPU shutdown warned, the held-integral controller
(``reactive_hold``), when the plant's capacity binds, and an episode cut off by the run's end."""
from __future__ import annotations

import warnings

import numpy as np
import pandas as pd
import pytest

from dcplan import thermal
from dcplan.errors import DcplanWarning
from dcplan.thermal_dynamics_limits import DIE_SHUTDOWN_DEGC, time_above_s


def _idx(n):
    return pd.date_range("2025-07-15", periods=n, freq="1s", tz="UTC")


def test_time_above_on_a_linear_ramp_is_the_analytic_crossing():
    """T(t) = 40 + 0.3 t (K, s) sampled at 1 s crosses 45 degC at t = 5 / 0.3 = 16.667 s; over 30 s it is
    above for 30 - 16.667 = 13.333 s (the whole-step count gave 14 s: steps ending at 17..30)."""
    t = 40.0 + 0.3 * np.arange(1, 31)
    assert time_above_s(t, 40.0, 45.0, 1.0) == pytest.approx(30.0 - 5.0 / 0.3, abs=1e-9)
    assert int((t > 45.0).sum()) == 14
    # down again: a triangle 40 -> 46 -> 40 at 1 K/s is above 45 for 2 s (45..46..45)
    tri = np.r_[41.0, 42, 43, 44, 45, 46, 45, 44, 43, 42, 41, 40]
    assert time_above_s(tri, 40.0, 45.0, 1.0) == pytest.approx(2.0, abs=1e-12)


def test_the_kernel_counts_the_crossing_within_the_step():
    """1,000 kW on a 650 kW plant from the first step (command saturated at once, plant output 650 kW
    throughout; the loop flow 100 kW/K x (T - 30) >= 1,000 kW never binds), C = 0.5 x 4.186 x 1,000 =
    2,093 kJ/K: the coolant rises linearly at 350 / 2,093 K/s and crosses 45 degC at t = 5 x 2,093 / 350
    = 29.9 s. At t = 30 s it is 45 + 35 / 2,093 K, the hall throttles (600 kW < 650 kW) and the
    coolant falls at 50 / 2,093 K/s, back at 45 degC 0.7 s later. Above: 0.1 + 0.7 = 0.8 s (exact, as
    the temperature is linear within each step); the whole-step count gave 1 s."""
    n = 40
    it = pd.Series(1000.0, index=_idx(n))
    s = thermal.simulate_lag(it, lag_s=90.0, capacity_kw=650.0, summary_only=True)
    assert s["time_above_limit_s"] == pytest.approx(0.8, abs=1e-9)
    assert s["peak_temp_degc"] == pytest.approx(40.0 + 30 * 350.0 / 2093.0, abs=1e-9)
    assert s["capacity_bound_s"] == n  # the command sits at the capacity throughout


def test_a_cold_start_step_warns_that_the_die_passes_its_shutdown():
    """The reviewer's case: 0 -> 1,000 kW at t = 600 s, 90 s lag, 10 % margin. The die is the coolant plus
    40 K x the step's power share (0.6 while throttled); recomputed from the per-step output, it is above
    the A100's 92 degC shutdown (docs/reference-data.md 3c) for as long as the summary says, 543 s (the reviewer's
    figure), with the coolant peaking near 90 degC (89.97 in the reviewer's run; 0.05 K)."""
    n = 7200
    it = pd.Series(np.where(np.arange(n) < 600, 0.0, 1000.0), index=_idx(n))
    with pytest.warns(DcplanWarning) as w:
        r = thermal.simulate_lag(it, lag_s=90.0, dtype=np.float64)
    s = r.attrs["summary"]
    die = r["temp_coolant_degc"] + 40.0 * r["it_after_throttle_kw"] / 1000.0
    assert s["die_above_shutdown_s"] == float((die > DIE_SHUTDOWN_DEGC).sum()) == 543.0
    assert s["peak_die_temp_degc"] == pytest.approx(die.max(), abs=1e-9)
    assert s["peak_temp_degc"] == pytest.approx(89.97, abs=0.05)
    msg = " ".join(str(m.message) for m in w)
    assert f"peaks at {die.max():.1f} degC, above the 92 degC GPU shutdown temperature (A100 80GB PCIe" in msg
    assert "docs/reference-data.md 3c" in msg and "lower bounds" in msg and "for 543 s" in msg


def test_the_default_bursty_load_stays_physical():
    """The notebook's default case (10 % margin, 90 s lag) peaks near 45 degC: no warning."""
    it = thermal.training_load_kw("2025-07-15", 12 * 3600, peak_kw=1000.0, seed=0, period_s=1800, low_s=600)
    with warnings.catch_warnings():
        warnings.simplefilter("error", DcplanWarning)
        s = thermal.simulate_lag(it, lag_s=90.0, summary_only=True)
    assert s["die_above_shutdown_s"] == 0.0 and s["coolant_above_max_s"] == 0.0


def test_reactive_hold_does_not_throttle_where_the_reviewers_independent_model_does_not():
    """The reviewer's own lumped ODE (aw.py) with the integral frozen while the supply floor binds and
    the error is negative: 0 s throttled at 0, 30, 90 and 180 s plant lag (PI tuned for 90 s) on the 12 h
    default load, where the plain PI throttles (545 s at 0 s lag in their model and dcplan's)."""
    it = thermal.training_load_kw("2025-07-15", 12 * 3600, peak_kw=1000.0, seed=0, period_s=1800, low_s=600)
    for lag in (0.0, 30.0, 90.0, 180.0):
        h = thermal.simulate_lag(it, lag_s=lag, tuned_for_lag_s=90.0, strategy="reactive_hold", summary_only=True)
        r = thermal.simulate_lag(it, lag_s=lag, tuned_for_lag_s=90.0, strategy="reactive", summary_only=True)
        assert h["throttled_s"] == 0.0 and h["integral_held_s"] > 0
        assert r["throttled_s"] > 0 and r["integral_held_s"] == 0.0
    r0 = thermal.simulate_lag(it, lag_s=0.0, tuned_for_lag_s=90.0, summary_only=True)
    assert r0["throttled_s"] == pytest.approx(545.0, abs=6.0)     # the reviewer's figure, within 1 %


def test_reactive_hold_is_the_plain_pi_when_the_floor_never_binds():
    """A load without pauses (noise only) on a plant 10 % short: the loop never falls to its supply
    floor (30 degC + the load / the loop flow, >= 39.8 degC here), so nothing is held: the same run."""
    it = thermal.training_load_kw("2025-07-15", 3 * 3600, peak_kw=1000.0, seed=3, period_s=1800, low_s=0)
    a = thermal.simulate_lag(it, strategy="reactive", margin_frac=-0.1, summary_only=True)
    b = thermal.simulate_lag(it, strategy="reactive_hold", margin_frac=-0.1, summary_only=True)
    assert b["integral_held_s"] == 0.0 and a["throttled_s"] > 0
    for k in ("throttled_s", "energy_lost_kwh", "peak_temp_degc", "time_above_limit_s"):
        assert a[k] == b[k]


def test_capacity_binds_only_when_the_command_reaches_it():
    """The reviewer: the +6.55 % run throttles as the +10 % run, the command staying below ~101 % of peak.
    capacity_bound_s is the time the command sits at the capacity (recomputed from the output); 0 at
    both margins, which then throttle alike; > 0 at -10 %."""
    it = thermal.training_load_kw("2025-07-15", 12 * 3600, peak_kw=1000.0, seed=0, period_s=1800, low_s=600)
    runs = {m: thermal.simulate_lag(it, lag_s=90.0, margin_frac=m, dtype=np.float64) for m in (0.0655, 0.10, -0.10)}
    for m, r in runs.items():
        s = r.attrs["summary"]
        assert s["capacity_bound_s"] == float((r["cooling_command_kw"] >= s["capacity_kw"]).sum())
    assert runs[0.0655].attrs["summary"]["capacity_bound_s"] == 0.0 == runs[0.10].attrs["summary"]["capacity_bound_s"]
    assert runs[0.0655].attrs["summary"]["throttled_s"] == runs[0.10].attrs["summary"]["throttled_s"] > 0
    assert runs[-0.10].attrs["summary"]["capacity_bound_s"] > 0


def test_an_episode_cut_off_by_the_run_end_is_flagged():
    """A sustained 30 -> 100 % step 225 s before a 900 s run ends: its episode (about 7,000 s long when run
    on, test_thermal_dynamics) is still open at the end; a short run that recovers is not."""
    n = 900
    it = pd.Series(np.where(np.arange(n) >= 225, 1000.0, 300.0), index=_idx(n))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DcplanWarning)   # its 65 degC overshoot
        s = thermal.simulate_lag(it, lag_s=90.0, summary_only=True)
    assert s["throttle_episodes"] == 1 and s["last_episode_open"]
    flat = thermal.simulate_lag(pd.Series(1000.0, index=_idx(n)), summary_only=True)
    assert flat["throttle_episodes"] == 0 and not flat["last_episode_open"]
