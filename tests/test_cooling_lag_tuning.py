"""The cooling_lag notebook's runs hold one commissioned PI whatever the site's lag (dcplan.cooling_lag_site).

Finding (a controls engineer's audit): the headline runs retuned the PI for each site's lag_s, so a longer lag got a
slower, gentler PI that unloads the plant less in a restart: Northern Virginia's own load throttled 2.59 % of the
time at 60 s and 0.004 % at 600 s, and a planner read a plant 10 minutes late as 600 x better than a 90 s one.
Also: an air or W45 site's headlines did not say they are the generic W32 hall's, a negative lag part was labelled
"what the lag adds", a coarse held load file throttled from its hourly steps, and sweep warnings named no case.
"""
from __future__ import annotations

import warnings

import numpy as np
import pandas as pd
import pytest

from dcplan import cooling_lag_headline, cooling_lag_site, thermal
from dcplan.errors import DcplanWarning


def _restarts(low_min: float, hours: int = 12, peak_kw: float = 10_000.0) -> pd.Series:
    """A site-like load at 1 s: full load with a restart (30 % of peak for ``low_min``) every 3 h."""
    t = np.arange(hours * 3600)
    x = np.where((t % 10800) < low_min * 60, 0.3, 1.0)
    x[:1800] = 1.0  # start at full load, the loop at its setpoint
    return pd.Series(x * peak_kw, index=pd.date_range("2025-07-15 00:00:01", periods=len(t), freq="1s", tz="UTC"))


@pytest.mark.parametrize("low_min", [10.0, 30.0])
def test_a_longer_plant_lag_does_not_throttle_less_with_one_controller(low_min):
    # Hand reasoning: with the PI's gains fixed, its integral winds the command down in a restart the same way
    # whatever the plant's lag (the loop sits at its supply floor, the same error); at the return a plant that
    # answers later leaves the loop's headroom to fill sooner, so the time throttled after a 10 or 30 min restart
    # cannot fall as the lag grows. The retuned PI (the old headline) gave 1,152 s at 30 s and 0 s at 180 and
    # 600 s for 10 min restarts. Tolerance: 1 s, one step.
    it = _restarts(low_min)
    thr = [cooling_lag_site.fleet_run(it, "reactive", lag_s=lag, summary_only=True)["throttled_s"]
           for lag in (30.0, 90.0, 180.0, 600.0)]
    assert all(b >= a - 1.0 for a, b in zip(thr, thr[1:])), thr
    assert thr[-1] > 0  # a plant 10 min late throttles after a restart


def test_the_runs_are_tuned_for_the_reference_lag_and_far_lags_warn():
    it = _restarts(10.0, hours=1)
    r = cooling_lag_site.fleet_run(it, "reactive", lag_s=600.0, summary_only=True)
    assert r["tuned_for_lag_s"] == thermal.DYNAMICS_DEFAULTS["lag_s"] == cooling_lag_site.TUNED_FOR_LAG_S == 90.0
    # factor 2 either side of 90 s: 45 and 180 s are in, 30 and 600 s (and 0 s) are warned
    assert cooling_lag_site.tuning_note(45.0) is None and cooling_lag_site.tuning_note(180.0) is None
    for lag in (0.0, 30.0, 600.0):
        assert "commissioned for" in cooling_lag_site.tuning_note(lag)


def _summary(thr_s=100.0, eps=2, kwh=10.0):
    return {"throttled_s": thr_s, "throttle_episodes": eps, "peak_temp_degc": 46.0, "energy_lost_kwh": kwh,
            "coolant_above_max_s": 0.0, "die_above_shutdown_s": 0.0}


def _fleet(**kw):
    runs = {s: _summary() for s in cooling_lag_site.STRATEGIES}
    return cooling_lag_site.fleet_results(runs, "reactive", site_name="X", days=7, run_s=1000.0, capacity_kw=1e3,
                                          n_long=1, n_low=2, lag_s=90.0, **kw)["entries"]


def test_a_site_whose_plant_is_not_w32_liquid_says_so_first_in_every_headline():
    for own in ("air", "W45 liquid"):
        e = _fleet(own_plant=own)
        for k in ("lag_fleet_throttled_frac_reactive", "lag_fleet_episodes_reactive",
                  "lag_fleet_peak_temp_degc_reactive", "lag_fleet_energy_lost_kwh_reactive", "lag_fleet_capacity_kw"):
            assert e[k][2].startswith(f"not this site's {own} plant: "), e[k][2]
    assert not _fleet()["lag_fleet_throttled_frac_reactive"][2].startswith("not this site")
    assert "PI commissioned for 90 s" in _fleet()["lag_fleet_throttled_frac_reactive"][2]


def test_a_held_coarse_file_labels_its_throttling_as_from_its_steps():
    e = _fleet(data_note="each 1 s step holds util.csv's hourly value", interpolated=_summary(0.0, 0, 0.0))
    lab = e["lag_fleet_throttled_frac_reactive"][2]
    assert "comes from its one-step jumps" in lab and "0.000% of the time throttled, 0 episodes" in lab


def test_interpolating_an_hourly_series_keeps_the_hours_values_at_their_midpoints():
    # hourly 1000, 2000 kW held at 1 s: linear between the mid-points (00:30 -> 1000, 01:30 -> 2000), flat outside
    idx = pd.date_range("2025-07-15 00:00:01", periods=7200, freq="1s", tz="UTC")
    held = pd.Series(np.repeat([1000.0, 2000.0], 3600), index=idx)
    out = cooling_lag_site.interpolated_load_kw(held, 3600.0).to_numpy()
    assert out[0] == pytest.approx(1000.0) and out[-1] == pytest.approx(2000.0)
    # step 3600 covers 01:00:00-01:00:01, centre 01:00:00.5: 1000 + 1000 x 1800.5 / 3600 (abs: rounding)
    assert out[3600] == pytest.approx(1000.0 + 1000.0 * 1800.5 / 3600.0, abs=1e-6)
    assert np.all(np.diff(out) >= 0)


def test_a_negative_lag_part_is_not_called_what_the_lag_adds():
    # the audit's 30 s case: reactive 210 s below the same PI on a 0 s plant
    d = cooling_lag_headline.lag_decomposition(_summary(1000.0), _summary(1210.0), _summary(0.0), lag_s=30.0, gh="gh")
    value, _, label = d["lag_throttled_s_reactive_lag_part"]
    assert value == -210.0
    assert "negative" in label and "what the 30 s lag adds" not in label
    line = cooling_lag_headline.lag_decomposition_line(_summary(1000.0), _summary(1210.0), _summary(0.0), lag_s=30.0)
    assert "negative" in line and "what the 30 s lag adds" not in line


def test_each_sweep_warning_names_its_case():
    # a plant at -50 % margin is below the throttled hall (60 % of peak): warned, and the warning names its case
    it = _restarts(30.0, hours=2)
    with warnings.catch_warnings(record=True) as w:
        warnings.simplefilter("always", DcplanWarning)
        thermal.sweep_lag(it, [180.0], [-0.5], strategy="reactive")
    msgs = [str(x.message) for x in w if issubclass(x.category, DcplanWarning)]
    assert msgs and all(m.startswith("sweep_lag, reactive, plant lag 180 s, margin -50% (PI tuned for 90 s): ")
                        for m in msgs), msgs
