"""The whole step of IT power, not half of it (dcplan.power_steps: step_up_mw / step_down_mw and the net change
within 10 s and 60 s).

A GPU/rack hardware engineer (2026): rack_power's "largest 1-s rise" (5.81 MW) and its x 60 "ramp" (349 MW/min)
at northern-virginia understated the modelled checkpoint step by ~45 %: the model steps instantly from
P(0.1) = 5,105 kW to P(u_c) = 15,735 kW at each checkpoint end, at a fractional second, so the 1-s averages
split the 10.63 MW step into 4.82 + 5.81 MW. The step is now the net change of one monotone run, and the
ramp figure the net change within a window.
"""
from __future__ import annotations

import csv
import math

import numpy as np
import pandas as pd
import pytest

from dcplan import power
from dcplan.paths import data_path
from dcplan.power_steps import STEP_WINDOWS_S, power_steps
from dcplan.site import load_portfolio


def _series(values):
    idx = pd.date_range("2025-06-16 00:00:01", periods=len(values), freq="1s", tz="America/New_York")
    return pd.Series(np.asarray(values, dtype=float), index=idx, name="it_kw")


def test_a_step_split_over_two_seconds_is_one_step_and_the_1s_figure_half_of_it():
    """100 kW, then a 1,000 kW step falling 0.4 s into a second: that second's average is 100 + 0.6 x 1,000 = 700
    kW, the next 1,100 kW. Whole step: +1,000 kW over 2 s; largest 1-s change 600 kW (the x 60 'ramp' would have
    been 36 MW/min)."""
    v = np.r_[np.full(100, 100.0), 700.0, np.full(99, 1100.0)]
    st = power_steps(_series(v), 1000.0)
    assert st["step_up_mw"] == pytest.approx(1.0, abs=1e-12) and st["step_up_s"] == 2
    assert st["rise_1s_mw"] == pytest.approx(0.6, abs=1e-12)
    assert st["rise_10s_mw"] == pytest.approx(1.0, abs=1e-12) and st["rise_60s_mw"] == pytest.approx(1.0, abs=1e-12)
    assert st["step_down_mw"] == 0.0 and st["step_down_end"] is None and st["fall_60s_mw"] == 0.0
    assert STEP_WINDOWS_S == (1, 10, 60)


def test_within_a_window_is_any_two_seconds_at_most_that_far_apart():
    """A load swinging between 1,000 and 3,000 kW every 30 s (a cycle of 60 s, as an iteration cycle that
    divides a minute): no two samples exactly 60 s apart differ (the old 'within 60 s', P[i] - P[i-60], read
    0), yet within 60 s it rises and falls 2,000 kW; within 10 s too. A slow ramp of +50 kW a second for 40 s:
    one step of 2,000 kW over 40 s, 500 kW within 10 s (10 x 50), 2,000 within 60 s."""
    v = 1000.0 + 2000.0 * ((np.arange(300) // 30) % 2)
    st = power_steps(_series(v), 3000.0)
    assert np.max(np.abs(v[60:] - v[:-60])) == 0.0       # what the old definition saw
    for w in (10, 60):
        assert (st[f"rise_{w}s_mw"], st[f"fall_{w}s_mw"]) == pytest.approx((2.0, 2.0), abs=1e-12)
    ramp = np.r_[np.full(100, 1000.0), 1000.0 + 50.0 * np.arange(1, 41), np.full(100, 3000.0)]
    st = power_steps(_series(ramp), 3000.0)
    assert (st["step_up_mw"], st["step_up_s"]) == (pytest.approx(2.0, abs=1e-12), 40)
    assert st["rise_1s_mw"] == pytest.approx(0.05, abs=1e-12)
    assert st["rise_10s_mw"] == pytest.approx(0.5, abs=1e-12) and st["rise_60s_mw"] == pytest.approx(2.0, abs=1e-12)


def _catalog_row(key):
    with open(data_path("hardware.csv"), newline="", encoding="utf-8") as fh:
        return next(r for r in csv.DictReader(fh) if r["key"] == key)


def nv_power_kw(u: float) -> float:
    """northern-virginia's IT power at utilisation u, by hand from data/hardware.csv (read here with csv, not
    dcplan): 128 gb200-nvl72 racks, each idle + u (max - idle) at the wall (26 + 94 u kW) plus its rack gear,
    ib-ndr-switch x 3.4 (1.1 + 0.6 u), eth-mgmt-switch x 1 (0.10 + 0.05 u), storage-node x 0.5 (0.8 + 0.7 u):
    128 x (30.24 + 96.44 u) kW on the linear curve."""
    rack = _catalog_row("gb200-nvl72")
    per = float(rack["idle_kw"]) + u * (float(rack["max_kw"]) - float(rack["idle_kw"]))
    for item in rack["rack_addons"].split(";"):
        key, n = item.split("*")
        g = _catalog_row(key)
        per += float(n) * (float(g["idle_kw"]) + u * (float(g["max_kw"]) - float(g["idle_kw"])))
    return 128 * per


def nv_compute_level() -> float:
    """The training process's compute-phase utilisation u_c at the site's mean 0.85, by hand from the profile's
    defaults (dcplan.specs.fleet.PROFILE_PARAMS "training", written out here): comm share c = 0.2 at ratio
    r = 0.7, checkpoint 60 s every 1,800 s (delta = 1/30) at 0.1, 1 interruption a day restarting over
    1,800 s at 0.05. Interrupted share (dcplan.workload._interrupted_share's closed form, an M/G/inf count):
    lam = 1,800 / 86,400, rho = exp(-1), q = exp(-lam rho / (1 - rho)) (1 - exp(-lam)) / (1 - rho);
    mean = q 0.05 + (1 - q) [delta 0.1 + (1 - delta)(1 - c + c r) u_c] solved for u_c (0.9611)."""
    m, c, r, delta, uk, ur = 0.85, 0.2, 0.7, 60.0 / 1800.0, 0.1, 0.05
    lam, rho = 1800.0 / 86400.0, math.exp(-1.0)
    q = math.exp(-lam * rho / (1 - rho)) * (1 - math.exp(-lam)) / (1 - rho)
    return ((m - q * ur) / (1 - q) - delta * uk) / ((1 - delta) * (1 - c + c * r))


def test_northern_virginia_step_is_the_whole_checkpoint_step_by_hand():
    """The day at 1 s the rack_power notebook reads (24 h from 2025-06-16 17:00:01). By hand: the checkpoint end
    steps from P(0.1) = 128 x 39.884 = 5,105.15 kW to P(u_c) = 15,734.6 kW: 10.629 MW, over 2 s of averages (a
    fractional second); an interruption falls from P(u_c) to P(0.05) = 4,487.9 kW: 11.247 MW. The 1-s figures
    (5.81 / 5.82 MW, the old headline) are about half of it; the x 60 'ramp' 349 MW/min is gone. Tolerance: 1e-6
    relative (float sums over a day)."""
    uc = nv_compute_level()
    assert uc == pytest.approx(0.9611, abs=1e-4)
    assert nv_power_kw(0.1) == pytest.approx(5105.152, abs=1e-6)
    up_mw = (nv_power_kw(uc) - nv_power_kw(0.1)) / 1000      # 10.6295
    down_mw = (nv_power_kw(uc) - nv_power_kw(0.05)) / 1000   # 11.2467
    spec = load_portfolio("default")["northern-virginia"]
    idx = pd.date_range("2025-06-16 17:00:01", periods=86400, freq="1s", tz=spec.timezone)
    st = power_steps(power.site_it_kw(spec, idx, seed=0, deployed="all"), float(power.fleet_design_it_kw(spec)))
    assert st["step_up_mw"] == pytest.approx(up_mw, rel=1e-6) and st["step_up_s"] == 2
    assert st["step_down_mw"] == pytest.approx(down_mw, rel=1e-6)
    # the first checkpoint ends 17:06:20 (the tester's 5,105 -> 9,923 -> 15,735 kW at 17:06:18-20)
    assert st["step_up_end"] == pd.Timestamp("2025-06-16 17:06:20", tz=spec.timezone)
    # the 1-s averages split it: each half below 60 % of the step; within 10 s and 60 s the whole step
    assert st["rise_1s_mw"] < 0.6 * up_mw and st["fall_1s_mw"] < 0.6 * down_mw
    for w in (10, 60):
        assert (st[f"rise_{w}s_mw"], st[f"fall_{w}s_mw"]) == pytest.approx((up_mw, down_mw), rel=1e-6)
    assert "ramp_max_mw_per_min" not in st


def test_a_three_second_run_is_labelled_three_seconds_with_the_swing_it_merges():
    """An 11,000 kW fall after a 1,400 kW swing of the same sign (the northern-virginia shape, rounded):
    15,700 -> 14,300 -> 8,500 -> 4,500 kW is one run of three 1-s falls, 11.2 MW over 3 s. Its label says
    "spans 3 s" and names the merged swing; a 2-s step's label says 2 s and the split second."""
    from dcplan.power_steps import step_span_label
    v = np.r_[np.full(100, 15700.0), 14300.0, 8500.0, np.full(98, 4500.0)]
    st = power_steps(_series(v), 16000.0)
    assert (st["step_down_mw"], st["step_down_s"]) == (pytest.approx(11.2, abs=1e-12), 3)
    down = step_span_label("down", st["step_down_s"])
    assert "spans 3 s (" in down and "iteration's power swing" in down and "1-s falls" in down
    up = step_span_label("up", 2)
    assert "spans 2 s (" in up and "fractional second" in up and "1-s rises" in up
    assert step_span_label("up", 0).endswith("none in the day")
    with pytest.raises(Exception, match="'up' or 'down'"):
        step_span_label("sideways", 2)



def test_a_run_longer_than_a_minute_is_labelled_a_drift_not_a_step():
    """The hardware engineer (2026): a serving fleet's 1-s load is smooth but for its bursts, so its longest run of
    rises is its diurnal climb, hours long, a burst merged in; phoenix-az published "Largest step up of IT power ...
    over 7447 s" and a span label saying the run "includes an iteration's power swing ... next to the step", where
    there is no iteration and the step is a part of it. A ramp of 1 kW a second for 600 s with a 300 kW jump at its
    middle is such a run: 900 kW net over 600 s, 301 kW the most within 10 s; its labels say a drift, not one step,
    and point to the 10-s figure; a run of 60 s or less keeps the step wording."""
    from dcplan.power_steps import drift_words, step_span_label
    ramp = 1000.0 + np.arange(1, 601)
    ramp[300:] += 300.0
    v = np.r_[np.full(100, 1000.0), ramp, np.full(100, 1900.0)]
    st = power_steps(_series(v), 2000.0)
    assert (st["step_up_mw"], st["step_up_s"]) == (pytest.approx(0.9, abs=1e-12), 600)
    assert st["rise_1s_mw"] == pytest.approx(0.301, abs=1e-12)   # the jump and its second of ramp
    assert st["rise_10s_mw"] == pytest.approx(0.310, abs=1e-12)  # the jump and 10 s of ramp
    up = step_span_label("up", st["step_up_s"])
    assert "spans 600 s (" in up and "a slow drift of the load, with any step in it merged" in up
    assert "step_rise_10s_mw" in up and "iteration" not in up and "instant step" not in up
    assert drift_words(600).startswith("; a slow drift of the load, not one step: a run longer than the 60 s")
    # up to the 60 s ramp window a run is a step (with an iteration swing beside it at most): wording unchanged
    assert drift_words(60) == drift_words(2) == ""
    assert "iteration's power swing" in step_span_label("down", 60) and "drift of the load" not in \
        step_span_label("down", 60)
