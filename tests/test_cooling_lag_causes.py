"""What caused each throttle episode of the site's own load (dcplan.cooling_lag_site.episode_causes).

Finding (the cooling-lag audit): the report counted the site's-own-load episodes but did not say what caused each:
a restart after a long low stretch (the PI wound the plant down, the load returns in a second) or a 1-s load rise
of more than about 6 % of the hall's IT with no low stretch before it (the PI's peak error dP / Kp, Kp = C / (2 x
90 s), passing the 5 K from setpoint to limit). Northern Virginia's (training) episodes all follow a low stretch,
Phoenix's (inference, no stretch below half its peak) none.
"""
from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from dcplan import cooling_lag_site


def _restart_and_rise(hall_kw: float = 1_000.0) -> pd.Series:
    """10 h at 1 s: full load; a restart (30 % of peak for 30 min from 1 h); back at full load; at 4 h the load
    falls to 70 % (above half its peak: no low stretch) for 1 h, then rises back to full in one step at 5 h, 3.5 h
    after the restart's return; full to the end."""
    t = np.arange(10 * 3600)
    x = np.ones(len(t))
    x[(t >= 3600) & (t < 5400)] = 0.3
    x[(t >= 4 * 3600) & (t < 5 * 3600)] = 0.7
    return pd.Series(x * hall_kw, index=pd.date_range("2025-07-15 00:00:01", periods=len(t), freq="1s", tz="UTC"))


def test_one_restart_and_one_step_rise_give_one_plus_one():
    it = _restart_and_rise()
    run = cooling_lag_site.fleet_run(it, "reactive", lag_s=90.0, capacity_kw=1_100.0)
    c = cooling_lag_site.episode_causes(it, run)
    # by construction: one episode after the restart's return (at 1.5 h), one after the 70 -> 100 % rise (at 5 h,
    # no low stretch in the 10 min before); the kernel's count agrees (the same rule, read from the same run)
    assert run.attrs["summary"]["throttle_episodes"] == 2 and len(c) == 2
    assert c["after_low"].tolist() == [True, False] and c["after_long"].tolist() == [True, False]
    # the restart's episode starts after its return step (5,400 s), within the window; its stretch is 1,800 s long
    assert 0 <= c["since_return_s"].iloc[0] <= cooling_lag_site.RESTART_WINDOW_S
    assert c["low_length_s"].iloc[0] == 1800.0
    # the rise's: 3.5 h = 12,600 s after that return (the start is at or after the 5 h step, within minutes of it)
    assert 12_600 <= c["since_return_s"].iloc[1] <= 12_600 + 600
    # the largest 1-step rise within the window before each start: 70 % (30 -> 100) and 30 % (70 -> 100) of the peak
    assert c["rise_before_frac"].tolist() == pytest.approx([0.7, 0.3], abs=1e-12)


def test_a_step_rise_with_no_low_stretch_at_all_is_other():
    # the rise alone (the load never below half its peak, as an inference fleet's week): one episode, "other"
    it = _restart_and_rise()
    it.iloc[3600:5400] = 1_000.0
    run = cooling_lag_site.fleet_run(it, "reactive", lag_s=90.0, capacity_kw=1_100.0)
    c = cooling_lag_site.episode_causes(it, run)
    assert len(c) == run.attrs["summary"]["throttle_episodes"] == 1
    assert not c["after_low"].iloc[0] and np.isnan(c["since_return_s"].iloc[0]) and np.isnan(c["low_length_s"].iloc[0])


def test_max_rise_is_a_share_of_the_hall_not_the_load():
    it = _restart_and_rise()
    # the restart's return, 300 -> 1,000 kW: 70 % of a 1,000 kW hall, 35 % of a 2,000 kW one (hand)
    assert cooling_lag_site.max_rise_frac(it, 1_000.0) == pytest.approx(0.7, abs=1e-12)
    assert cooling_lag_site.max_rise_frac(it, 2_000.0) == pytest.approx(0.35, abs=1e-12)
    assert cooling_lag_site.max_rise_frac(it.iloc[:100], 1_000.0) == 0.0  # flat: no rise


def test_the_rise_guide_and_the_window_by_hand():
    # (45 - 40) K x 0.5 L/kW x 4.186 kJ/(L K) / (2 x 90 s) = 0.058139 (hand)
    assert cooling_lag_site.rise_throttle_frac() == pytest.approx(0.0581389, abs=1e-6)
    # d + 3 tau = lag (1/3 + 3 x 2/3) = 2.333 lag: 600 s (the floor) up to 257 s, 1,400 s at 600 s (hand)
    assert cooling_lag_site.restart_window_s(90.0) == 600.0
    assert cooling_lag_site.restart_window_s(600.0) == pytest.approx(1400.0, abs=1e-9)


def test_a_rise_within_the_window_of_a_return_counts_as_the_returns():
    # a window shorter than the restart episode's delay after its return moves it to "other": the split rests on
    # the window alone (both episodes still counted once)
    it = _restart_and_rise()
    run = cooling_lag_site.fleet_run(it, "reactive", lag_s=90.0, capacity_kw=1_100.0)
    c0 = cooling_lag_site.episode_causes(it, run)
    tight = float(c0["since_return_s"].iloc[0]) - 1.0
    c = cooling_lag_site.episode_causes(it, run, window_s=tight)
    assert c["after_low"].tolist() == [False, False]


def test_fleet_results_publish_the_split_beside_the_largest_rise():
    runs = {s: {"throttled_s": 100.0, "throttle_episodes": 5, "peak_temp_degc": 50.0, "energy_lost_kwh": 1.0,
                "coolant_above_max_s": 0.0, "die_above_shutdown_s": 0.0} for s in cooling_lag_site.STRATEGIES}
    fr = cooling_lag_site.fleet_results(runs, "reactive", site_name="X", days=7.0, run_s=604800.0,
                                        capacity_kw=1000.0, n_long=2, n_low=9, lag_s=90.0, hall_kw=1000.0,
                                        causes={"after_low": 3, "after_long": 1, "other": 2, "window_s": 600.0,
                                                "max_rise_frac": 0.358})
    e = fr["entries"]
    assert e["lag_fleet_episodes_after_low_stretch_reactive"][0] == 3
    assert e["lag_fleet_episodes_after_long_low_stretch_reactive"][0] == 1
    assert e["lag_fleet_episodes_other_reactive"][0] == 2
    assert e["lag_fleet_max_rise_frac"][:2] == (0.358, "frac")
    assert "within 600 s of the end of a low stretch" in e["lag_fleet_episodes_after_low_stretch_reactive"][2]
    assert "of 5 in all" in e["lag_fleet_episodes_after_low_stretch_reactive"][2]
    assert "design IT (1,000 kW)" in e["lag_fleet_max_rise_frac"][2]
    assert not any(k.startswith("lag_fleet_episodes_after") for k in fr["headlines"])
    # without causes, no such key (the notebook always passes them)
    fr0 = cooling_lag_site.fleet_results(runs, "reactive", site_name="X", days=7.0, run_s=604800.0,
                                         capacity_kw=1000.0, n_long=2, n_low=9, lag_s=90.0)
    assert "lag_fleet_max_rise_frac" not in fr0["entries"]
