"""Tests of dcplan.grid_battery: threshold peak shaving, limits, energy balance, demand targets."""
from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from dcplan import grid
from dcplan.errors import InputError


def _series(values, freq="h") -> pd.Series:
    idx = pd.date_range("2025-01-01 01:00", periods=len(values), freq=freq, tz="Etc/GMT+5")
    return pd.Series(np.asarray(values, dtype=float), index=idx, name="load_kw")


def test_dispatch_hand_case():
    # load 12,12,8,8 kW, target 10, P = 3 kW, E = 3 kWh, lossless, starts full (3 kWh):
    # h1 discharge 2 -> SoC 1; h2 discharge only 1 (empty) -> SoC 0, grid 11;
    # h3 charge 2 -> SoC 2; h4 charge 1 (full) -> SoC 3, grid 9   (worked by hand)
    r = grid.peak_shave(_series([12, 12, 8, 8]), 10.0, power_kw=3, energy_kwh=3, round_trip_eff_frac=1.0)
    assert r.discharge_kw.tolist() == pytest.approx([2, 1, 0, 0])
    assert r.charge_kw.tolist() == pytest.approx([0, 0, 2, 1])
    assert r.soc_kwh.tolist() == pytest.approx([1, 0, 2, 3])
    assert r.grid_kw.tolist() == pytest.approx([10, 11, 10, 9])
    assert r.over_target_kw.tolist() == pytest.approx([0, 1, 0, 0])


def test_dispatch_losses_hand_case():
    # RTE 0.81 -> 0.9 each way; 15-min steps (dt = 0.25 h). Discharge 2 kW for one step:
    # SoC falls 2*0.25/0.9 = 0.5556 kWh, loss 2*0.25*(1/0.9-1) = 0.05556 kWh
    r = grid.peak_shave(_series([12, 10], freq="15min"), 10.0, power_kw=5, energy_kwh=10,
                        round_trip_eff_frac=0.81)
    assert r.soc_kwh.iloc[0] == pytest.approx(10 - 0.5 / 0.9)
    assert r.loss_kwh.iloc[0] == pytest.approx(0.5 * (1 / 0.9 - 1))


@settings(max_examples=40, deadline=None)
@given(seed=st.integers(0, 10_000), rte=st.floats(0.5, 1.0), p=st.floats(1.0, 500.0), e=st.floats(1.0, 2000.0),
       smin=st.floats(0.0, 0.4), smax=st.floats(0.6, 1.0), init=st.floats(0.0, 1.0))
def test_battery_never_exceeds_its_limits_and_conserves_energy(seed, rte, p, e, smin, smax, init):
    rng = np.random.default_rng(seed)
    load = _series(1000 + 300 * rng.standard_normal(500))
    target = pd.Series(1000 + 100 * rng.standard_normal(500), index=load.index)
    s0 = smin + init * (smax - smin)
    r = grid.peak_shave(load, target, power_kw=p, energy_kwh=e, round_trip_eff_frac=rte,
                        soc_min_frac=smin, soc_max_frac=smax, soc_initial_frac=s0)
    tol = 1e-9 * e
    assert (r.soc_kwh >= smin * e - tol).all() and (r.soc_kwh <= smax * e + tol).all()
    assert (r.charge_kw <= p + 1e-9).all() and (r.discharge_kw <= p + 1e-9).all()
    assert ((r.charge_kw == 0) | (r.discharge_kw == 0)).all()            # never both at once
    assert (r.grid_kw <= np.maximum(r.load_kw, r.target_kw) + 1e-9).all()  # charging never sets a new peak
    assert np.allclose(r.grid_kw, r.load_kw - r.discharge_kw + r.charge_kw)
    bal = grid.energy_balance(r)
    # charged - discharged = dSoC + losses; residual is float rounding of ~1e3..1e5 kWh sums
    scale = max(bal["charged_kwh"], bal["discharged_kwh"], 1.0)
    assert abs(bal["residual_kwh"]) <= 1e-9 * scale
    assert bal["losses_kwh"] >= 0
    if rte == 1.0:
        assert bal["losses_kwh"] == pytest.approx(0.0, abs=1e-9)


def test_demand_target_analytic_single_spike():
    # 100 kW flat with one 150 kW hour; P = 100 kW, E = 20 kWh, lossless, starts full:
    # lowest holdable peak T solves (150 - T) * 1 h = 20 kWh -> T = 130 kW (energy-limited)
    v = np.full(24 * 31, 100.0)
    v[300] = 150.0
    load = _series(v)
    t = grid.demand_targets_kw(load, power_kw=100, energy_kwh=20, round_trip_eff_frac=1.0)
    assert t.iloc[0] == pytest.approx(130.0, abs=1e-3)  # bisection tolerance 1e-6 * max load
    # power-limited: P = 30 kW, E large -> T = 150 - 30 = 120 kW
    t2 = grid.demand_targets_kw(load, power_kw=30, energy_kwh=1000, round_trip_eff_frac=1.0)
    assert t2.iloc[0] == pytest.approx(120.0, abs=1e-3)
    r = grid.peak_shave(load, t, power_kw=100, energy_kwh=20, round_trip_eff_frac=1.0)
    assert r.grid_kw.max() == pytest.approx(130.0, abs=1e-3)


def test_demand_target_is_per_month_by_interval_start():
    # two months; the label 2025-02-01 00:00 belongs to January (interval start 31 Jan 23:00)
    idx = pd.date_range("2025-01-01 01:00", "2025-03-01 00:00", freq="h", tz="Etc/GMT+5")
    v = np.full(len(idx), 100.0)
    v[idx.get_loc(pd.Timestamp("2025-02-01 00:00", tz="Etc/GMT+5"))] = 200.0
    t = grid.demand_targets_kw(pd.Series(v, index=idx), power_kw=10, energy_kwh=100, round_trip_eff_frac=1.0)
    assert t.loc["2025-01-15"].iloc[0] == pytest.approx(190.0, abs=1e-3)   # January holds the spike
    # February is flat at 100 kW and starts with the 90 kWh January left (100 - 10 kWh spent on the
    # spike in its last hour): the battery spreads them over 672 h -> T = 100 - 90/672 kW
    assert t.loc["2025-02-15"].iloc[0] == pytest.approx(100 - 90 / 672, abs=1e-3)


def test_battery_bad_input():
    load = _series([1.0, 2.0, 3.0])
    with pytest.raises(InputError, match="power_kw: must be > 0"):
        grid.peak_shave(load, 2.0, power_kw=0, energy_kwh=1)
    with pytest.raises(InputError, match="soc_min_frac < soc_max_frac"):
        grid.peak_shave(load, 2.0, power_kw=1, energy_kwh=1, soc_min_frac=0.8, soc_max_frac=0.2)
    with pytest.raises(InputError, match="soc_initial_frac"):
        grid.peak_shave(load, 2.0, power_kw=1, energy_kwh=1, soc_max_frac=0.5, soc_initial_frac=0.9)
    with pytest.raises(InputError, match="round_trip_eff_frac"):
        grid.peak_shave(load, 2.0, power_kw=1, energy_kwh=1, round_trip_eff_frac=1.2)
    with pytest.raises(InputError, match="NaN"):
        grid.peak_shave(_series([1.0, math.nan, 3.0]), 2.0, power_kw=1, energy_kwh=1)


def test_battery_arguments_that_are_not_numbers_are_refused_by_name():
    # storage audit: round_trip_eff_frac=True was taken as 1.0 (a lossless battery) and energy_kwh="100" failed
    # inside numpy with a TypeError naming no argument
    load = _series([1.0, 2.0, 3.0])
    with pytest.raises(InputError, match=r"round_trip_eff_frac: must be a number, got True \(bool\)"):
        grid.peak_shave(load, 2.0, power_kw=1, energy_kwh=1, round_trip_eff_frac=True)
    with pytest.raises(InputError, match=r"energy_kwh: must be a number, got '100' \(str\)"):
        grid.peak_shave(load, 2.0, power_kw=1, energy_kwh="100")
    with pytest.raises(InputError, match="power_kw: must be a number"):
        grid.demand_targets_kw(load, power_kw=None, energy_kwh=1)
    # numpy scalars are numbers
    grid.peak_shave(load, 2.0, power_kw=np.float64(1.0), energy_kwh=np.int64(1))

def test_compiled_and_python_dispatch_agree():
    from dcplan.grid_battery import _dispatch, _dispatch_py
    rng = np.random.default_rng(0)
    load = 100 + 30 * rng.standard_normal(1000)
    target = np.full(1000, 110.0)
    a = _dispatch(load, target, 20.0, 5.0, 95.0, 50.0, 0.95, 0.95, 1.0)
    b = _dispatch_py(load, target, 20.0, 5.0, 95.0, 50.0, 0.95, 0.95, 1.0)
    for x, y in zip(a, b):
        assert np.allclose(x, y, rtol=0, atol=1e-9)


def test_energy_needed_refuses_percent_efficiency_and_bad_arrays():
    """battery_energy_needed_kwh is public (re-exported by dcplan.grid) and checked its inputs nowhere.

    Hand case: excess 0, 10, 0 kW; headroom 5, 0, 5 kW; P = 10 kW; RTE 0.81 -> eta 0.9 each way.
    Deficit D = 0; 10/0.9 = 11.111; 11.111 - 5*0.9 = 6.611 -> max 11.111 kWh at dt = 1 h and a quarter
    of it, 2.7778 kWh, at dt = 0.25 h (abs 1e-3: rounding of the stated figures). Before the fix an
    efficiency given in percent (81) gave sqrt(81) = 9 "each way" and 10/9 = 1.111 kWh, a battery
    ten times too small, and a NaN excess froze the running maximum (later excesses ignored).
    """
    ex, hr = np.array([0.0, 10.0, 0.0]), np.array([5.0, 0.0, 5.0])
    assert grid.battery_energy_needed_kwh(ex, hr, 10.0, 0.81) == pytest.approx(11.111, abs=1e-3)
    assert grid.battery_energy_needed_kwh(ex, hr, 10.0, 0.81, dt_h=0.25) == pytest.approx(2.7778, abs=1e-3)
    with pytest.raises(InputError, match=r"round_trip_eff_frac: must be in \(0, 1\], got 81"):
        grid.battery_energy_needed_kwh(ex, hr, 10.0, 81)
    with pytest.raises(InputError, match="excess_kw: must be finite and >= 0, got nan at position 2"):
        grid.battery_energy_needed_kwh(np.array([0.0, 10.0, np.nan, 10.0]), np.zeros(4), 10.0, 0.81)
    with pytest.raises(InputError, match="dt_h: must be > 0"):
        grid.battery_energy_needed_kwh(ex, hr, 10.0, 0.81, dt_h=0.0)
    with pytest.raises(InputError, match="power_kw: must be > 0"):
        grid.battery_energy_needed_kwh(ex, hr, np.nan, 0.81)
    with pytest.raises(InputError, match="one value per interval"):
        grid.battery_energy_needed_kwh(ex, hr[:2], 10.0, 0.81)


def test_demand_target_tolerance_must_be_a_positive_number():
    """A NaN or infinite ``tol_kw`` ended the bisection before its first step, so the target was
    the month's own peak (150 kW: no shaving at all) where the analytic answer is 130 kW (the single
    150 kW hour of test_demand_target_analytic_single_spike, 20 kWh lossless battery); 0 or a negative
    tolerance looped forever (not exercised here: it would hang the old code)."""
    v = np.full(24 * 31, 100.0)
    v[300] = 150.0
    load = _series(v)
    for bad in (math.nan, math.inf, -1.0, 0.0):
        with pytest.raises(InputError, match="tol_kw: must be > 0"):
            grid.demand_targets_kw(load, power_kw=100, energy_kwh=20, round_trip_eff_frac=1.0, tol_kw=bad)
    # a tolerance below the float spacing of the load still ends (bisection stops at adjacent floats);
    # the answer is the analytic 130 kW to within that spacing (abs 1e-9)
    t = grid.demand_targets_kw(load, power_kw=100, energy_kwh=20, round_trip_eff_frac=1.0, tol_kw=1e-300)
    assert t.iloc[0] == pytest.approx(130.0, abs=1e-9)


def test_energy_for_a_repeating_year_and_whether_it_is_sustainable():
    """Lossless (round trip 1), P = 10 kW, 1 h steps; deficits by hand.

    Excess 3, 0, 5 kWh with headroom 0, 10, 0 kW: starting full the deficits are 3, 0, 5 -> 5 kWh,
    but the year ends 5 kWh short and the next year starts there: 8, 0, 5 -> 8 kWh every year
    after (the year-end shortfall is only repaid after the year-start excess). Excess 10, 10 with
    3 h of 1 kW headroom: the year draws 20 kWh and can recharge 3 kWh, so the deficit grows by
    17 kWh a year: not sustainable (energy reported = the first year's 20 kWh)."""
    assert grid.battery_energy_needed_kwh(np.array([3.0, 0, 5]), np.array([0.0, 10, 0]), 10.0, 1.0) == 5.0
    assert grid.battery_energy_repeating_year(np.array([3.0, 0, 5]), np.array([0.0, 10, 0]), 10.0, 1.0) == (8.0, True)
    assert grid.battery_energy_repeating_year(np.array([10.0, 10, 0, 0, 0]), np.array([0.0, 0, 1, 1, 1]),
                                              10.0, 1.0) == (20.0, False)


def test_repeating_year_ends_where_it_starts_and_the_grid_pays_the_losses():
    """A typical year stands for every year: the battery must start it with the SoC it ends with.

    Load 12, 8, 8, 8, 13, 10 kW hourly, target 10 kW, P = 5 kW, E = 10 kWh, RTE 0.81 (0.9 each
    way); by hand. Start full (the old and default start): h1 discharges 2 kW (SoC 10 - 2/0.9 =
    7.778), h2-h3 recharge to full, h5 discharges 3 kW (-3/0.9 -> 6.667): the year ends 3.333 kWh
    below its start, energy the bill never paid for. Repeating year: the year's SoC shifts are
    -2.222, +1.8 x 3, -3.333, net -0.156 kWh < 0, so the year repeats from where an empty start
    ends it: 0 -> 0 (h1 cannot discharge) -> 1.8, 3.6, 5.4 -> 5.4 - 3.333 = 2.0667 kWh. From
    2.0667 the h1 discharge is energy-limited to 2.0667 * 0.9 = 1.86 kW (grid 10.14 kW) and the
    year ends at 2.0667 again. Charged 6 kWh, discharged 1.86 + 3 = 4.86 kWh, losses
    6 * 0.1 + 4.86 * (1/0.9 - 1) = 1.14 kWh: grid energy = load 59 kWh + 1.14 kWh.
    Tolerances 1e-9: float rounding of sums of a few numbers of order 10."""
    load = _series([12, 8, 8, 8, 13, 10])
    kw = dict(power_kw=5, energy_kwh=10, round_trip_eff_frac=0.81)
    full = grid.peak_shave(load, 10.0, **kw)
    assert full.attrs["soc_initial_kwh"] == 10.0
    assert full.attrs["soc_end_kwh"] == pytest.approx(10 - 3 / 0.9, abs=1e-9)   # 3.333 kWh short
    r = grid.peak_shave(load, 10.0, **kw, soc_initial_frac="cyclic")
    s0 = 5.4 - 3 / 0.9
    assert r.attrs["soc_initial_kwh"] == pytest.approx(s0, abs=1e-9)
    assert r.attrs["soc_end_kwh"] == r.soc_kwh.iloc[-1]
    assert abs(r.attrs["soc_end_kwh"] - r.attrs["soc_initial_kwh"]) <= 1e-9
    assert r.attrs["soc_initial_frac"] == "cyclic"
    assert r.discharge_kw.tolist() == pytest.approx([0.9 * s0, 0, 0, 0, 3, 0], abs=1e-9)
    assert r.grid_kw.tolist() == pytest.approx([12 - 0.9 * s0, 10, 10, 10, 10, 10], abs=1e-9)
    assert r.grid_kw.sum() == pytest.approx(59 + 1.14, abs=1e-9)          # 1 h steps: kW = kWh
    bal = grid.energy_balance(r)
    assert bal["losses_kwh"] == pytest.approx(1.14, abs=1e-9)
    assert bal["soc_change_kwh"] == pytest.approx(0.0, abs=1e-9)
    assert bal["residual_kwh"] == pytest.approx(0.0, abs=1e-9)


def test_repeating_year_where_the_battery_never_fills_needs_many_years_from_full():
    """Load 12, 9 kW, target 10 kW, P = 5 kW, E = 10 kWh, RTE 0.81 (0.9 each way); by hand.

    Each year draws 2/0.9 = 2.222 kWh and puts back 1 * 0.9 = 0.9 kWh: from full the year ends at
    8.678, 7.356, 6.033, 4.711, 3.389, 2.067 kWh, and the 7th year empties in hour 1 and ends at
    0.9 kWh, where it stays (a second pass from the first one's end, 7.356, is not the answer).
    Fixed point s: hour 1 can only discharge s, hour 2 recharges 0.9, so s = 0.9 kWh; hour 1 then
    discharges 0.9 * 0.9 = 0.81 kW (grid 11.19 kW). Tolerances 1e-9: float rounding."""
    load = _series([12, 9])
    kw = dict(power_kw=5, energy_kwh=10, round_trip_eff_frac=0.81)
    r = grid.peak_shave(load, 10.0, **kw, soc_initial_frac="cyclic")
    assert r.attrs["soc_initial_kwh"] == pytest.approx(0.9, abs=1e-9)
    assert r.attrs["soc_end_kwh"] == pytest.approx(0.9, abs=1e-9)
    assert r.grid_kw.tolist() == pytest.approx([11.19, 10.0], abs=1e-9)
    # the same limit by repeating the year from full, one year at a time
    s, ends = 10.0, []
    for _ in range(7):
        s = grid.peak_shave(load, 10.0, **kw, soc_initial_frac=s / 10).soc_kwh.iloc[-1]
        ends.append(s)
    assert ends == pytest.approx([10 - 1.3222222 * k for k in range(1, 7)] + [0.9], abs=1e-6)


def test_repeating_year_of_an_unused_battery_stays_at_soc_max():
    """A battery never asked for anything (load at or below the target, starting at its top
    SoC) repeats the year at soc_max_frac: 0.9 * 10 = 9 kWh, not its bottom (1 kWh) or anywhere
    between. With load equal to the target every shift is zero and every SoC repeats; the
    highest, soc_max, is taken. Exact: no arithmetic is done on the SoC."""
    kw = dict(power_kw=5, energy_kwh=10, round_trip_eff_frac=0.85, soc_min_frac=0.1, soc_max_frac=0.9,
              soc_initial_frac="cyclic")
    for values in ([5, 7, 9.5, 10], [10, 10, 10]):
        load = _series(values)
        r = grid.peak_shave(load, 10.0, **kw)
        assert r.attrs["soc_initial_kwh"] == 9.0 and r.attrs["soc_end_kwh"] == 9.0
        assert (r.charge_kw == 0).all() and (r.discharge_kw == 0).all()
        assert r.grid_kw.tolist() == list(map(float, values))


@settings(max_examples=40, deadline=None)
@given(seed=st.integers(0, 10_000), rte=st.floats(0.5, 1.0), p=st.floats(1.0, 300.0), e=st.floats(1.0, 2000.0),
       smin=st.floats(0.0, 0.4), smax=st.floats(0.6, 1.0))
def test_repeating_year_is_the_limit_of_repeating_it_from_full(seed, rte, p, e, smin, smax):
    """The repeating-year start is where years repeated from full end up (the year's SoC map is
    monotone, so those ends fall to its highest fixed point), and that year ends where it
    starts. Tolerance 1e-9 * E: float rounding of ~50 SoC steps per year, over many years."""
    from hypothesis import assume
    rng = np.random.default_rng(seed)
    load = _series(1000 + 300 * rng.standard_normal(48))
    target = pd.Series(1000 + 100 * rng.standard_normal(48), index=load.index)
    kw = dict(power_kw=p, energy_kwh=e, round_trip_eff_frac=rte, soc_min_frac=smin, soc_max_frac=smax)
    r = grid.peak_shave(load, target, **kw, soc_initial_frac="cyclic")
    assert abs(r.attrs["soc_end_kwh"] - r.attrs["soc_initial_kwh"]) <= 1e-9 * e
    s = smax * e
    for _ in range(2000):
        frac = min(max(s / e, smin), smax)   # s / e may round just outside the limits
        end = float(grid.peak_shave(load, target, **kw, soc_initial_frac=frac).soc_kwh.iloc[-1])
        if abs(end - s) <= 1e-12 * e:
            break
        s = min(max(end, smin * e), smax * e)
    else:
        assume(False)   # a year that loses ~nothing takes too many years to settle by repetition
    assert r.attrs["soc_initial_kwh"] == pytest.approx(s, abs=1e-9 * e)


def test_demand_targets_for_a_repeating_year_cover_the_year_end():
    """One January (744 h) at 100 kW with 105 kW in its first hour and 110 kW in its last; P = 10
    kW, E = 10 kWh, lossless. Starting full (default), the lowest target is 100 + 5/744 kW: the
    battery spends 5 kWh in hour 1, refills over 742 h, spends 10 kWh in the last hour and ends the
    year empty. Repeated, the next year's hour 1 finds it empty and the grid reaches 105 kW. In a
    repeating year the last hour and the next year's first are back to back, with no recharge
    between: (110 - T) + (105 - T) <= 10 kWh -> T = 102.5 kW (recharge over the 742 h at 2.5 kW is
    far more than 10 kWh, so the battery is full before the last hour; power 7.5 kW <= 10 kW); the
    year starts with 10 - 7.5 = 2.5 kWh. abs 1e-3: bisection tolerance 1e-6 * 110 kW."""
    v = np.full(744, 100.0)
    v[0], v[-1] = 105.0, 110.0
    load = _series(v)
    kw = dict(power_kw=10, energy_kwh=10, round_trip_eff_frac=1.0)
    t_full = grid.demand_targets_kw(load, **kw)
    assert t_full.iloc[0] == pytest.approx(100 + 5 / 744, abs=1e-3)
    assert grid.peak_shave(load, t_full, **kw, soc_initial_frac="cyclic").over_target_kw.max() > 4.9
    t = grid.demand_targets_kw(load, **kw, soc_initial_frac="cyclic")
    assert t.iloc[0] == pytest.approx(102.5, abs=1e-3) and t.nunique() == 1
    r = grid.peak_shave(load, t, **kw, soc_initial_frac="cyclic")
    assert r.over_target_kw.max() <= 1e-9                  # the repeating year holds its target
    assert r.attrs["soc_initial_kwh"] == pytest.approx(10 - (110 - t.iloc[0]), abs=1e-9)
    assert t.attrs["soc_initial_kwh"] == pytest.approx(r.attrs["soc_initial_kwh"], abs=1e-12)


def test_repeating_year_option_is_checked():
    """soc_initial_frac takes a fraction within the SoC limits or the word 'cyclic'; a typo or a
    boolean (True would silently mean 1.0, full) is an input error naming the field, the value
    and what is allowed, in both functions."""
    load = _series([1.0, 2.0, 3.0])
    allowed = r"soc_initial_frac: must be a number within \[soc_min_frac, soc_max_frac\] = \[0.0, 1.0\] or 'cyclic'"
    for bad in ("cylic", "Cyclic", True, [0.5], math.nan, 1.5):
        with pytest.raises(InputError, match=allowed + r" \(a repeating year\), got "):
            grid.peak_shave(load, 2.0, power_kw=1, energy_kwh=1, soc_initial_frac=bad)
        with pytest.raises(InputError, match=allowed):
            grid.demand_targets_kw(load, power_kw=1, energy_kwh=1, soc_initial_frac=bad)
    # a fraction still works, for demand targets too: load 3, 1, 1 kW, P = 1 kW, E = 1 kWh, lossless;
    # full, hour 1 is power-limited (T = 3 - 1 = 2 kW); half full it is energy-limited,
    # 3 - T = 0.5 kWh -> T = 2.5 kW (abs 1e-5: bisection tolerance 1e-6 * 3 kW)
    first = _series([3.0, 1.0, 1.0])
    t = grid.demand_targets_kw(first, power_kw=1, energy_kwh=1, round_trip_eff_frac=1.0, soc_initial_frac=0.5)
    assert t.attrs["soc_initial_kwh"] == 0.5 and t.iloc[0] == pytest.approx(2.5, abs=1e-5)
    t = grid.demand_targets_kw(first, power_kw=1, energy_kwh=1, round_trip_eff_frac=1.0)
    assert t.attrs["soc_initial_kwh"] == 1.0 and t.iloc[0] == pytest.approx(2.0, abs=1e-5)


# -- a site battery that never discharges: the words the interconnection notebook prints ------------

def test_an_idle_battery_is_explained_and_a_working_one_is_not():
    """A tester's site: battery 2 MW / 4 MWh, target contract, contract 12 MW, load peaking at 6.2 MW.
    Nothing is above 12,000 kW, so the dispatch never discharges (its losses 0) and the words say why,
    as dcplan.tco_notes.battery_idle_note does."""
    import datetime as dt
    from dcplan.grid_battery import battery_idle_reason
    from dcplan.specs.interconnection import InterconnectionSpec
    ic = InterconnectionSpec(region="nc-duke", requested_mw=12, filed=dt.date(2025, 3, 1),
                             battery={"power_mw": 2, "energy_mwh": 4, "target": "contract"})
    load = _series([4000.0, 6200.0, 5000.0, 3000.0])
    shaved = grid.battery_dispatch(ic, load)
    assert float(shaved["discharge_kw"].max()) == 0.0 and grid.energy_balance(shaved)["losses_kwh"] == 0.0
    what, fix = battery_idle_reason(ic.battery, shaved)
    assert what == ("The site's battery (interconnection.battery: 2 MW / 4 MWh, target: contract) never discharges "
                    "over the typical year: it holds the grid draw to the contracted capacity, 12,000 kW, and the load "
                    "behind the meter (facility less on-site PV) peaks at 6,200 kW, below it, so it never has a peak "
                    "to shave")
    assert fix == ("target: demand (shave each month's peak, cutting the demand charges) would use it; or leave the "
                   "battery out")
    # a load above the contract: it discharges, no words; no battery or no dispatch: none either
    assert battery_idle_reason(ic.battery, grid.battery_dispatch(ic, _series([13000.0, 9000.0]))) == ("", "")
    assert battery_idle_reason(None, shaved) == ("", "") and battery_idle_reason(ic.battery, None) == ("", "")
