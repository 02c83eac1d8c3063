"""The cooling_lag notebook's worst-hour headline and lag decomposition (dcplan.cooling_lag_headline).

Hand-built summaries stand in for simulate_lag's: every expected value is worked out in the test
from those inputs (a share is throttled seconds / run seconds; a lag part is the run minus the 0 s
plant), and every expected text is written out in full. The bundled sites' published figures
through the notebook are pinned in test_cooling_lag_notebook.py and test_cooling_lag_index_label.py.
"""
import numpy as np
import pandas as pd
import pytest

from dcplan.cooling_lag_headline import (RETURN_RISE_FRAC, lag_decomposition, lag_decomposition_line, load_returns,
                                         worst_hour_headline)

HALL = "generic W32 liquid hall at the site's full design IT, 5,786 kW peak"
RUN_S = 43_200.0   # 12 h of 1 s steps


def _head(control_run, hold_run=None, *, control="reactive", n_returns=24, hours=12.0, generic_plant=True):
    runs = {control: control_run, "reactive_hold": hold_run or {"throttled_s": 0.0, "capacity_bound_s": 0.0}}
    return worst_hour_headline(runs, control, run_s=RUN_S if hours == 12.0 else hours * 3600, n_returns=n_returns,
                               hours=hours, lag_s=90.0, low_s=600.0, period_s=1800.0, hall=HALL, own_plant="air",
                               generic_plant=generic_plant)


# ----------------------------------------------------------------------------------------------- returns

def test_a_return_is_a_one_step_rise_of_more_than_a_quarter_of_the_peak():
    """Peak 100 kW, so a return is a rise of more than 25 kW in one step (restart_throttle_delays'
    min_rise_frac default). 30 -> 100 (+70) twice: 2 returns; the +10 jitter and the falls do not count."""
    assert RETURN_RISE_FRAC == 0.25
    it = pd.Series([100.0, 30.0, 30.0, 100.0, 90.0, 100.0, 30.0, 100.0])
    assert load_returns(it) == 2
    assert load_returns(it.to_numpy()) == 2                      # an array as well as a Series
    # exactly 25 % of the peak is not more than it: 75 -> 100 is no return; 74 -> 100 (+26) is one
    assert load_returns([75.0, 100.0]) == 0
    assert load_returns([74.0, 100.0]) == 1
    # a stricter rule (more than 80 % of the peak) counts none of the +70 rises
    assert load_returns(it, min_rise_frac=0.8) == 0


def test_a_load_that_never_returns_counts_none():
    """A run shorter than its first pause: flat at the peak, or falling into a pause at its end; a
    single step has no rise at all."""
    assert load_returns(np.full(900, 5786.0)) == 0
    assert load_returns([5786.0] * 10 + [0.3 * 5786.0] * 5) == 0
    assert load_returns([5786.0]) == 0


# ----------------------------------------------------------------------------------------------- headline

def test_a_headline_whose_capacity_never_binds_says_so_with_what_it_rests_on():
    """1,194 s throttled of 43,200 s = 2.7639 %; reactive_hold throttles 432 s = 1.00 %. No step with
    the command at the capacity: "never binds", and the label names what the figure rests on."""
    h = _head({"throttled_s": 1194.0, "capacity_bound_s": 0.0}, {"throttled_s": 432.0, "capacity_bound_s": 0.0})
    assert h["key"] == "lag_year_worst_hour_throttled_frac_reactive"
    assert h["value"] == pytest.approx(1194 / 43200, rel=1e-15) and h["unit"] == "frac"
    assert h["hold_frac"] == pytest.approx(0.01, rel=1e-15)
    assert not h["binds"]
    assert h["label"] == (
        f"share of time the {HALL} throttles at that hour's capacity, which never binds (the command stays below it, "
        "so any larger plant throttles the same: the figure is the controller's on the synthetic pauses, not the "
        "plant's), reactive (rests on: reactive PI commissioned for 90 s, 90 s plant lag (the site's control setting); "
        "12 h synthetic bursty "
        "load, 600-s pauses about every 1800 s, and it swings with them); reactive_hold at the same hour: 1.00 %")
    assert h["line"] == ("headline, reactive at the typical year's lowest capacity: 2.76% of the run throttled; the "
                         "capacity never binds (a larger plant throttles the same); reactive_hold at the same hour: "
                         "1.00%; 24 returns of the load from a pause")


def test_a_headline_whose_capacity_binds_gives_the_seconds_at_it():
    """1,234.4 s with the command at the capacity (printed to the second, thousands separated);
    4,320 s throttled of 43,200 s = 10.00 %, predictive control named as the site's."""
    h = _head({"throttled_s": 4320.0, "capacity_bound_s": 1234.4}, control="predictive")
    assert h["binds"]
    assert h["key"] == "lag_year_worst_hour_throttled_frac_predictive" and h["value"] == pytest.approx(0.1)
    assert h["where"] == "that hour's capacity, which binds (1,234 s with the command at it)"
    assert h["label"].startswith(f"share of time the {HALL} throttles at that hour's capacity, which binds "
                                 "(1,234 s with the command at it), predictive (rests on: predictive PI "
                                 "commissioned for 90 s")
    assert "never binds" not in h["label"]
    assert h["line"].startswith("headline, predictive at the typical year's lowest capacity: 10.00% of the run "
                                "throttled; the capacity binds; reactive_hold at the same hour: 0.00%")


def test_a_site_whose_plant_is_not_the_generic_hall_reads_that_first():
    """An air plant (Phoenix): the label opens with "not this site's air plant" and says "a" hall."""
    h = _head({"throttled_s": 1194.0, "capacity_bound_s": 0.0}, generic_plant=False)
    assert h["label"].startswith(f"not this site's air plant: share of time a {HALL} throttles at that hour's "
                                 "capacity, which never binds")


def test_a_run_whose_load_never_returns_publishes_na_not_zero():
    """0.25 h, no return and nothing throttled: nothing tested the controller, so the value is the n/a
    text (no unit), and the label gives no reactive_hold share."""
    h = _head({"throttled_s": 0.0, "capacity_bound_s": 0.0}, n_returns=0, hours=0.25)
    na = ("n/a: the load never returns from a pause in this 0.25 h run (no pause within it), so nothing tests the "
          "controller; 0 % would read as no throttling")
    assert h["value"] == na and h["unit"] is None
    assert h["label"].endswith("(rests on: reactive PI commissioned for 90 s, 90 s plant lag (the site's control "
                               "setting); 0.25 h synthetic "
                               "bursty load, 600-s pauses about every 1800 s, and it swings with them)")
    assert "reactive_hold at the same hour" not in h["label"]
    assert h["line"] == (f"headline, reactive at the typical year's lowest capacity: {na}; the capacity never binds "
                         "(a larger plant throttles the same); reactive_hold at the same hour: 0.00%; 0 returns of the "
                         "load from a pause")


@pytest.mark.parametrize("n_returns, throttled_s, expected", [
    (0, 90.0, 90.0 / 900.0),   # no return, but a plant short of capacity throttles at full load: a share
    (3, 0.0, 0.0),             # returns and no throttle: the controller was tested, 0 % is the answer
])
def test_na_only_when_neither_a_return_nor_a_throttle(n_returns, throttled_s, expected):
    h = _head({"throttled_s": throttled_s, "capacity_bound_s": 0.0}, n_returns=n_returns, hours=0.25)
    assert isinstance(h["value"], float) and h["value"] == pytest.approx(expected, abs=1e-15)
    assert h["unit"] == "frac" and h["label"].endswith("reactive_hold at the same hour: 0.00 %")


# ----------------------------------------------------------------------------------------------- decomposition

def test_the_lag_part_is_the_run_minus_the_zero_lag_plant():
    """Reactive 1,194 s / 737.76 kWh, the same PI on a 0 s plant 900 s / 600.26 kWh: the lag adds
    294 s and 137.50 kWh. reactive_hold (1,234.4 s, 56.78 kWh) is named in each lag-part label."""
    rs = {"throttled_s": 1194.0, "energy_lost_kwh": 737.76}
    no_lag = {"throttled_s": 900.0, "energy_lost_kwh": 600.26}
    hs = {"throttled_s": 1234.4, "energy_lost_kwh": 56.78}
    gh = "generic hall, 5,786 kW peak"
    d = lag_decomposition(rs, no_lag, hs, lag_s=90.0, gh=gh)
    assert list(d) == ["lag_throttled_s_reactive_no_lag", "lag_throttled_s_reactive_lag_part",
                       "lag_energy_lost_kwh_reactive_no_lag", "lag_energy_lost_kwh_reactive_lag_part"]
    assert d["lag_throttled_s_reactive_no_lag"][:2] == (900.0, "s")
    assert d["lag_throttled_s_reactive_lag_part"][:2] == (294.0, "s")
    assert d["lag_energy_lost_kwh_reactive_no_lag"][:2] == (600.26, "kWh")
    assert d["lag_energy_lost_kwh_reactive_lag_part"][0] == pytest.approx(137.50, abs=1e-9)
    assert d["lag_throttled_s_reactive_no_lag"][2] == (
        f"time throttled, reactive, the same PI (commissioned for 90 s) on a 0 s plant: what the controller throttles "
        f"without any lag ({gh})")
    assert d["lag_throttled_s_reactive_lag_part"][2] == (
        "time throttled, reactive: what the 90 s lag adds to this controller's throttling (a held-integral "
        f"controller, reactive_hold, throttles 1,234 s at the same lag; run minus the 0 s plant, same PI; {gh})")
    assert d["lag_energy_lost_kwh_reactive_no_lag"][2] == f"IT energy lost, reactive, the same PI on a 0 s plant ({gh})"
    assert d["lag_energy_lost_kwh_reactive_lag_part"][2] == (
        "IT energy lost, reactive: what the 90 s lag adds to this controller's throttling (a held-integral "
        "controller, reactive_hold, throttles 1,234 s and loses 56.8 kWh at the same lag; run minus the 0 s plant, "
        f"same PI; {gh})")
    assert lag_decomposition_line(rs, no_lag, hs, lag_s=90.0) == (
        "reactive, the same PI on a 0 s plant: throttled 900 s, 600.3 kWh IT energy lost; what the 90 s lag adds to "
        "this controller's throttling: +294 s and +137.5 kWh (a held-integral controller, reactive_hold, throttles "
        "1,234 s and loses 56.8 kWh at the same lag)")


def test_a_lag_that_helps_gives_a_negative_part():
    """A 0 s plant that throttles more than the lagged one (the PI tuned for 90 s on a plant that
    answers at once): the part is negative, printed with its sign."""
    rs, no_lag = {"throttled_s": 100.0, "energy_lost_kwh": 10.0}, {"throttled_s": 250.0, "energy_lost_kwh": 30.0}
    hs = {"throttled_s": 0.0, "energy_lost_kwh": 0.0}
    d = lag_decomposition(rs, no_lag, hs, lag_s=120.0, gh="g")
    assert d["lag_throttled_s_reactive_lag_part"][0] == -150.0
    assert d["lag_energy_lost_kwh_reactive_lag_part"][0] == -20.0
    assert "-150 s and -20.0 kWh" in lag_decomposition_line(rs, no_lag, hs, lag_s=120.0)
