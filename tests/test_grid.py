"""Tests of dcplan.grid: lead times, time-to-power, ramp, cost of waiting, capacity check, spec errors."""
from __future__ import annotations

import datetime as dt
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import yaml

from dcplan import grid
from dcplan.errors import InputError
from dcplan.paths import data_path
from dcplan.site import load_portfolio, load_site
from dcplan.specs.interconnection import InterconnectionSpec

EXAMPLE_REGIONS = ("nc-duke", "va-dominion", "az-aps", "il-comed")


def _spec(**kw) -> InterconnectionSpec:
    base = dict(region="az-aps", requested_mw=10.0, filed=dt.date(2025, 1, 1),
                phases=[dict(energized=dt.date(2026, 1, 1), mw=5.0),
                        dict(energized=dt.date(2026, 7, 1), mw=5.0)])
    base.update(kw)
    return InterconnectionSpec(**base)


def _hourly(values, start="2025-07-01 01:00") -> pd.Series:
    idx = pd.date_range(start, periods=len(values), freq="h", tz="Etc/GMT+5")
    return pd.Series(np.asarray(values, dtype=float), index=idx, name="facility_kw")


# --------------------------------------------------------------------------- reference tables

def test_interconnection_table_has_example_regions_sources_and_ordered_spread():
    t = grid.lead_times()
    for r in EXAMPLE_REGIONS + ("tx-ercot", "ga-georgia-power", "ie-eirgrid-dublin", "de-frankfurt",
                                "sg-singapore", "pjm-generic"):
        assert r in t.index
    assert (t.p10_months <= t.median_months).all() and (t.median_months <= t.p90_months).all()
    assert t.source.str.len().gt(10).all() and t.status.isin(
        ["primary", "secondary", "unverified", "estimate"]).all()
    e = grid.equipment_lead_times()
    assert {"switchgear", "power_transformer", "generator", "chiller"} <= set(e.index)
    assert ((e.low_weeks <= e.median_weeks) & (e.median_weeks <= e.high_weeks)).all()


def test_every_bundled_site_region_is_known():
    for site in load_portfolio():
        grid.region_lead_time(site.interconnection.region)  # raises if unknown


def test_unknown_region_suggests_known_ones():
    with pytest.raises(InputError, match=r"unknown region 'va-dominon' \(did you mean 'va-dominion'\?\).*allowed:"):
        grid.region_lead_time("va-dominon")
    with pytest.raises(InputError, match="unknown item 'transfomer'"):
        grid.time_to_power("az-aps", equipment=("transfomer",))


# --------------------------------------------------------------------------- time to power

def test_two_piece_lognormal_reproduces_published_quantiles():
    # by construction Q(0.1)=p10, Q(0.5)=median, Q(0.9)=p90; 1e-9 covers float rounding
    q = grid.lead_time_quantiles(48, 36, 84, (0.1, 0.5, 0.9))
    assert q == pytest.approx([36, 48, 84], rel=1e-9)


def test_time_to_power_without_equipment_is_the_grid_wait():
    # no equipment: the CDF-product inversion must return the analytic quantiles; the
    # 0.05-month evaluation grid with linear interpolation bounds the error well below 0.01 month
    t = grid.time_to_power("az-aps", equipment=())
    assert t.time_to_power_months.to_numpy() == pytest.approx([18, 24, 48], abs=0.01)


def test_time_to_power_is_the_later_of_grid_and_equipment_monte_carlo():
    # independent path: sample each lead time by inverse transform of its quantile function,
    # take the max, compare empirical quantiles; 200k samples -> sampling error ~0.1 month
    rng = np.random.default_rng(7)
    n = 200_000
    row = grid.region_lead_time("va-dominion")
    eq = grid.equipment_lead_times()
    samples = [grid.lead_time_quantiles(row.median_months, row.p10_months, row.p90_months,
                                        rng.uniform(1e-9, 1 - 1e-9, n))]
    wpm = 365.25 / 12 / 7
    for item in grid.DEFAULT_EQUIPMENT:
        r = eq.loc[item]
        samples.append(3.0 + grid.lead_time_quantiles(r.median_weeks / wpm, r.low_weeks / wpm,
                                                      r.high_weeks / wpm, rng.uniform(1e-9, 1 - 1e-9, n)))
    mc = np.quantile(np.max(samples, axis=0), [0.1, 0.5, 0.9])
    ours = grid.time_to_power("va-dominion", order_delay_months=3.0).time_to_power_months.to_numpy()
    assert ours == pytest.approx(mc, abs=0.4)
    # the equipment can only make it later
    g = grid.time_to_power("va-dominion", equipment=()).time_to_power_months.to_numpy()
    assert np.all(ours >= g - 1e-9)


def test_energization_delay_hand_case():
    # az-aps grid wait p10/p50/p90 = 18/24/48 months; planned first phase 2026-01-01 = 12 calendar
    # months after filing (2025-01-01) -> delay = T_q - 12 = 6, 12, 36; abs 0.01 = inversion grid error
    d = grid.energization_delay_months(_spec(), equipment=())
    assert d.to_numpy() == pytest.approx([6.0, 12.0, 36.0], abs=0.01)
    dates = grid.energization_dates(_spec(), equipment=())
    # median: 2026-01-01 + 12 calendar months = 2027-01-01 (0.01 month of grid error < half a day)
    assert dates.loc[0, "energized_p50"] == pd.Timestamp("2027-01-01")
    # second phase 2026-07-01 + 12 months; p10 2026-01-01 + 6 months
    assert dates.loc[1, "energized_p50"] == pd.Timestamp("2027-07-01")
    assert dates.loc[0, "energized_p10"] == pd.Timestamp("2026-07-01")
    assert (dates["energized_p90"] > dates["energized_p50"]).all()


@pytest.mark.parametrize("start, months, expected", [
    ("2026-02-01", 1.0, "2026-03-01"),   # one calendar month, not 30 days (3 March)
    ("2026-02-01", 2.0, "2026-04-01"),
    ("2026-01-31", 1.0, "2026-02-28"),   # month end clips to the shorter month
    ("2026-03-01", 1.5, "2026-04-16"),   # + 1 month, then half of April's 30 days
    ("2026-02-01", 0.25, "2026-02-08"),  # a quarter of February's 28 days
    ("2024-02-01", 12.0, "2025-02-01"),
])
def test_months_are_added_by_calendar(start, months, expected):
    assert grid._add_months(start, months) == pd.Timestamp(expected)
    # and _months_between inverts it (whole days: within half a day of the month's length)
    span = 31.0
    assert grid._months_between(start, expected) == pytest.approx(months, abs=0.5 / span)


def test_a_one_month_slip_moves_capacity_one_month():
    # planned 2026-02-01; a 1.0-month slip energizes on 1 March, so capacity counts from March
    # (30.44 days would land on 3 March and push it to April)
    spec = _spec(filed=dt.date(2025, 1, 1), phases=[dict(energized=dt.date(2026, 2, 1), mw=10.0)])
    cap = grid.capacity_timeline(spec, "2026-01-01", "2026-05-01", delay_months=1.0)
    assert cap.to_dict() == {pd.Timestamp("2026-01-01"): 0.0, pd.Timestamp("2026-02-01"): 0.0,
                             pd.Timestamp("2026-03-01"): 10.0, pd.Timestamp("2026-04-01"): 10.0,
                             pd.Timestamp("2026-05-01"): 10.0}


def test_contracted_mw_is_all_phases_or_the_request():
    assert grid.contracted_mw(_spec()) == 10.0                      # 5 + 5 MW
    assert grid.contracted_mw(_spec(phases=[])) == 10.0             # no phases: requested_mw
    firm = _spec(phases=[dict(energized=dt.date(2026, 1, 1), mw=4.0, firm_frac=0.5)])
    assert grid.contracted_mw(firm, firm_only=True) == 2.0


def test_delay_is_zero_when_the_plan_is_later_than_the_p90_wait():
    spec = _spec(phases=[dict(energized=dt.date(2031, 1, 1), mw=10.0)])
    assert (grid.energization_delay_months(spec) == 0).all()


# --------------------------------------------------------------------------- ramp

def test_deployment_ramp_hand_case():
    # 5 MW from Jan 2026, +5 MW from Jul 2026; 2 kW/GPU -> 2500 then 5000 GPUs powerable.
    # Planned: 3000 GPUs Jan 2026, +3000 Apr 2026.
    spec = _spec()
    cap = grid.capacity_timeline(spec, "2025-12-01", "2026-08-01")
    plan = grid.gpu_plan({"2026-01-01": 3000, "2026-04-01": 3000}, cap.index)
    r = grid.deployment_ramp(cap, 2.0, plan)
    exp_powered = [0, 2500, 2500, 2500, 2500, 2500, 2500, 5000, 5000]
    exp_stranded = [0, 500, 500, 500, 3500, 3500, 3500, 1000, 1000]
    assert r.capacity_mw.tolist() == [0, 5, 5, 5, 5, 5, 5, 10, 10]
    assert r.powered_gpus.tolist() == exp_powered
    assert r.stranded_gpus.tolist() == exp_stranded
    # cost of waiting, Jan 2026: 500 GPUs x 30,000 USD idle = 15.0 M; carrying 15 M x 0.12/12 = 150 k;
    # lost revenue 500 GPUs x 730 h x 0.8 sold x 2.5 USD/GPU-h = 500 x 1,460 = 730 k (exact arithmetic)
    money = dict(capex_usd_per_gpu=30_000, revenue_usd_per_gpu_h=2.5, utilisation_frac=0.8, annual_rate_frac=0.12)
    c = grid.cost_of_waiting(r, **money)
    jan = c.loc["2026-01-01"]
    assert (jan.idle_capex_usd, jan.carrying_cost_usd, jan.lost_revenue_usd) == pytest.approx((15e6, 150e3, 730e3))
    # one month of delay for 500 GPUs: 500 x (30,000 x 0.12/12 + 1,460) = 500 x 1,760 = 880 k
    assert grid.delay_cost_usd_per_month(500, **money) == pytest.approx(880e3)


def test_ramp_band_is_ordered_by_quantile():
    rb = grid.ramp_band(_spec(), 2.0, {"2026-01-01": 5000})
    # a later energization can never power more GPUs in any month
    assert (rb.powered_gpus_p10 >= rb.powered_gpus_p50).all()
    assert (rb.powered_gpus_p50 >= rb.powered_gpus_p90).all()
    assert (rb.planned_capacity_mw >= rb.capacity_mw_p10).all()
    assert rb.powered_gpus_p90.iloc[-1] == 5000  # everything powered in the end


def test_ramp_band_powers_whole_units():
    # 2.0 kW a GPU, 72-GPU racks (144 kW a rack): 5 MW powers floor(5,000 / 144) = 34 racks = 2,448 GPUs
    # (GPU by GPU it would be 2,500); 10 MW powers 69 racks = 4,968 of the 5,000 (the 70th rack does not fit)
    rb = grid.ramp_band(_spec(), 2.0, {"2026-01-01": 5000}, gpus_per_unit=72)
    for t in ("p10", "p50", "p90"):
        for cap, powered in ((5.0, 2448), (10.0, 4968)):
            assert set(rb.loc[rb[f"capacity_mw_{t}"] == cap, f"powered_gpus_{t}"]) == {powered}, (t, cap)
    assert set(grid.ramp_band(_spec(), 2.0, {"2026-01-01": 5000}).powered_gpus_p50) >= {2500}


def test_firm_only_timeline():
    spec = _spec(phases=[dict(energized=dt.date(2026, 1, 1), mw=10.0, firm_frac=0.25)])
    assert grid.capacity_timeline(spec, "2026-01-01", "2026-01-01", firm_only=True).iloc[0] == 2.5


def test_ramp_bad_input():
    cap = grid.capacity_timeline(_spec(), "2026-01-01", "2026-03-01")
    plan = grid.gpu_plan({"2026-01-01": 10}, cap.index)
    with pytest.raises(InputError, match="kw_per_gpu.*> 0"):
        grid.deployment_ramp(cap, 0.0, plan)
    with pytest.raises(InputError, match="capacity below zero"):
        grid.deployment_ramp(-cap, 1.0, plan)
    with pytest.raises(InputError, match="delay_months"):
        grid.capacity_timeline(_spec(), delay_months=-1)


# --------------------------------------------------------------------------- capacity check

def test_capacity_check_hand_case():
    # load 8,12,15,9,11,7 MW vs 10 MW contract -> excess 0,2,5,0,1,0 MW
    load = _hourly([8000, 12000, 15000, 9000, 11000, 7000])
    cc = grid.capacity_check(load, 10000.0, flexible_kw=3000.0, round_trip_eff_frac=0.81)
    assert cc.hours_over_h == 3
    assert cc.energy_over_kwh == pytest.approx(8000)
    assert cc.peak_excess_kw == pytest.approx(5000)
    assert cc.events == 2 and cc.longest_event_h == 2
    # battery (eta = sqrt(0.81) = 0.9 each way, power 5000 kW), deficit recursion by hand:
    # h1 2000/0.9 = 2222.2; h2 +5000/0.9 -> 7777.8; h3 -1000*0.9 -> 6877.8; h4 +1000/0.9 -> 7988.9
    assert cc.options.loc["battery", "energy_kwh"] == pytest.approx(7988.889, abs=1e-3)
    assert not cc.options.loc["curtail_flexible_load", "feasible"]  # 3 MW flexible < 5 MW excess
    assert cc.options.loc["onsite_generation", "power_kw"] == pytest.approx(5000)
    # the note names the interval the flexible load misses by most, with its own figures: per
    # interval flexible 0, 2,000, 1,000 kW against excess 2,000, 5,000, 1,000 kW -> the second
    # (3,000 kW short; the old note quoted the smallest flexible kW of any hour over: 0)
    per = grid.capacity_check(load, 10000.0, flexible_kw=_hourly([0, 0, 2000, 0, 1000, 0]).to_numpy())
    assert per.options.loc["curtail_flexible_load", "note"].endswith(
        f"(the worst interval, ending {load.index[2]}: 5,000 kW over with only 2,000 kW flexible)")
    # as a repeating period the battery cannot keep up: it draws 8000 / 0.9 = 8888.9 kWh and
    # the headroom (2000 + 1000 + 3000 kW for 1 h) recharges at most 6000 x 0.9 = 5400 kWh
    # (the old flag was always True)
    assert not cc.options.loc["battery", "feasible"] and "grows every year" in cc.options.loc["battery", "note"]
    ok = grid.capacity_check(_hourly([8000, 12000, 15000, 9000, 11000, 7000, 2000, 2000]), 10000.0,
                             round_trip_eff_frac=0.81)   # + 2 h of 8 MW headroom: 8000 x 2 x 0.9 recharge
    assert ok.options.loc["battery", "feasible"]
    assert ok.options.loc["battery", "energy_kwh"] == pytest.approx(7988.889, abs=1e-3)


def test_capacity_check_accepts_scalar_array_and_series_capacity():
    # the same 10 MW limit given three ways must give identical results
    load = _hourly([8000, 12000, 15000, 9000, 11000, 7000])
    a = grid.capacity_check(load, 10000.0)
    b = grid.capacity_check(load, np.full(6, 10000.0))
    c = grid.capacity_check(load, pd.Series(10000.0, index=load.index))
    for x in (b, c):
        assert x.summary().equals(a.summary())
        pd.testing.assert_frame_equal(x.options, a.options)
    with pytest.raises(InputError, match="contracted_kw: length"):
        grid.capacity_check(load, np.full(5, 10000.0))


def test_capacity_check_battery_size_is_just_enough():
    # the sized battery, dispatched against the same limit, holds it; 1 % smaller does not
    rng = np.random.default_rng(3)
    load = _hourly(9000 + 1500 * np.sin(np.arange(24 * 60) / 24 * 2 * np.pi) + rng.normal(0, 300, 24 * 60))
    cc = grid.capacity_check(load, 10000.0)
    e = cc.options.loc["battery", "energy_kwh"]
    ok = grid.peak_shave(load, 10000.0, power_kw=cc.peak_excess_kw, energy_kwh=e * (1 + 1e-9))
    short = grid.peak_shave(load, 10000.0, power_kw=cc.peak_excess_kw, energy_kwh=e * 0.99)
    assert ok.over_target_kw.max() < 1e-6
    assert short.over_target_kw.max() > 1.0


def test_contracted_kw_follows_phases_by_interval_start():
    spec = _spec()
    idx = pd.date_range("2025-12-31 23:00", periods=3, freq="h", tz="Etc/GMT+5")
    c = grid.contracted_kw(spec, idx)
    # 23:00 and 00:00 label intervals starting on 31 Dec; 01:00 starts at 00:00 on 1 Jan
    assert c.tolist() == [0.0, 0.0, 5000.0]


def test_contracted_kw_where_the_clock_skips_midnight():
    # Chile's DST starts at 24:00 on 6 Sep 2025: local 2025-09-07 00:00 does not exist and the day
    # starts at 01:00. A phase energized that day counts from the first interval starting that day.
    spec = _spec(filed=dt.date(2025, 1, 1), phases=[dict(energized=dt.date(2025, 9, 7), mw=5.0)])
    idx = pd.date_range("2025-09-06 22:00", periods=4, freq="h", tz="America/Santiago")
    c = grid.contracted_kw(spec, idx)
    # labels (interval ends) 22:00, 23:00 (6 Sep), 01:00 (7 Sep, starts 23:00 on 6 Sep), 02:00 (starts 01:00)
    assert c.tolist() == [0.0, 0.0, 0.0, 5000.0]


def test_capacity_check_bad_input():
    load = _hourly([1.0, 2.0, 3.0])
    with pytest.raises(InputError, match="capacity below zero"):
        grid.capacity_check(load, -1.0)
    with pytest.raises(InputError, match="NaN"):
        grid.capacity_check(_hourly([1.0, np.nan, 3.0]), 5.0)
    with pytest.raises(InputError, match="irregular step"):
        gappy = _hourly([1.0, 2.0, 3.0, 4.0])
        gappy = gappy.drop(gappy.index[1])
        gappy.index = pd.DatetimeIndex(list(gappy.index))  # no freq: the gap must be found
        grid.capacity_check(gappy, 5.0)


# --------------------------------------------------------------------------- spec errors via the site YAML

def _write_site(tmp_path: Path, **inter) -> Path:
    raw = yaml.safe_load(data_path("sites", "phoenix-az.yaml").read_text())
    raw["interconnection"].update(inter)
    raw["weather"]["file"] = str(data_path(raw["weather"]["file"]))
    p = tmp_path / "site.yaml"
    p.write_text(yaml.safe_dump(raw))
    return p


@pytest.mark.parametrize("inter, pattern", [
    (dict(phases=[{"energized": dt.date(2027, 1, 1), "mw": 5}, {"energized": dt.date(2026, 10, 1), "mw": 5}]),
     r"phases\[1\]\.energized 2026-10-01 is before phases\[0\]"),
    (dict(phases=[{"energized": dt.date(2027, 1, 1), "mw": 5}, {"energized": dt.date(2027, 1, 1), "mw": 5}]),
     r"overlaps"),
    (dict(phases=[{"energized": dt.date(2027, 1, 1), "mw": -5}]), r"phases\[0\]\.mw.*greater than or equal to 0, got -5"),
    (dict(requested_mw=-3), r"requested_mw.*greater than 0"),
    (dict(region="az-apss"), r"unknown region 'az-apss' \(did you mean 'az-aps'\?\)"),
    (dict(phases=[{"energized": dt.date(2024, 1, 1), "mw": 5}]), r"before the request was filed"),
    (dict(phases=[{"energized": dt.date(2027, 1, 1), "mw": 50}]), r"more than requested_mw"),
    (dict(battery={"power_mw": 1, "energy_mwh": 2, "soc_min_frac": 0.9, "soc_max_frac": 0.5}),
     r"soc_min_frac.*must be below"),
])
def test_bad_interconnection_yaml_is_a_clear_error(tmp_path, inter, pattern):
    with pytest.raises(InputError, match=pattern):
        load_site(_write_site(tmp_path, **inter))


def test_battery_section_is_accepted(tmp_path):
    site = load_site(_write_site(tmp_path, battery={"power_mw": 2, "energy_mwh": 4, "target": "demand"}))
    assert site.interconnection.battery.round_trip_eff_frac == 0.85


def test_battery_dispatch_from_spec_targets():
    load = _hourly([8000, 12000, 9000, 8000] * 6)
    spec = _spec(battery={"power_mw": 1.0, "energy_mwh": 2.0, "round_trip_eff_frac": 1.0})
    # "contract": hold the full contracted 10 MW; 2 MW excess, 1 MW battery -> 11 MW import at the spikes
    r = grid.battery_dispatch(spec, load)
    assert r.target_kw.iloc[0] == 10000.0 and r.grid_kw.max() == pytest.approx(11000.0)
    # "demand": the lowest monthly peak a 1 MW / 2 MWh battery holds is 12 - 1 = 11 MW (power-limited)
    spec_d = _spec(battery={"power_mw": 1.0, "energy_mwh": 2.0, "round_trip_eff_frac": 1.0, "target": "demand"})
    assert grid.battery_dispatch(spec_d, load).grid_kw.max() == pytest.approx(11000.0, abs=0.1)
    with pytest.raises(InputError, match="no battery"):
        grid.battery_dispatch(_spec(), load)


def test_contracted_kw_refuses_a_negative_or_nan_delay():
    """capacity_timeline refuses delay_months < 0 but contracted_kw took it: a phase energized
    2026-01-01 with delay -1 counted from 1 Dec 2025, so intervals on 31 Dec 2025 showed 5,000 kW
    where the contract gives 0 (test_contracted_kw_follows_phases_by_interval_start). NaN raised a
    bare ValueError from int(). Expected: InputError naming delay_months (an error, no tolerance)."""
    idx = pd.date_range("2025-12-31 23:00", periods=3, freq="h", tz="Etc/GMT+5")
    for bad in (-1.0, np.nan):
        with pytest.raises(InputError, match=r"^delay_months: must be a finite number >= 0 \[months\]"):
            grid.contracted_kw(_spec(), idx, delay_months=bad)


def test_cost_of_waiting_refuses_a_rate_given_in_percent():
    """Hand value: 100 unpowered GPUs x (30,000 USD x 0.08 / 12 + 730 h x 0.5 x 2 USD/GPU-h) =
    100 x (200 + 730) = 93,000 USD/month (exact arithmetic, rel 1e-12). A rate given in percent (8)
    was taken as 800 %/yr: 2,073,000 USD/month, 22x too high. finance.discount_rate_frac, which the
    notebook passes, is bounded to <= 1, so a rate above 1 is refused; delay_cost_usd_per_month
    checked nothing."""
    kw = dict(capex_usd_per_gpu=30_000, revenue_usd_per_gpu_h=2.0, utilisation_frac=0.5)
    assert grid.delay_cost_usd_per_month(100, annual_rate_frac=0.08, **kw) == pytest.approx(93_000, rel=1e-12)
    with pytest.raises(InputError, match=r"annual_rate_frac: must be a fraction <= 1 .* got 8"):
        grid.delay_cost_usd_per_month(100, annual_rate_frac=8, **kw)
    with pytest.raises(InputError, match="gpus: must be a finite number >= 0"):
        grid.delay_cost_usd_per_month(np.nan, annual_rate_frac=0.08, **kw)
    cap = grid.capacity_timeline(_spec(), "2025-12-01", "2026-02-01")
    ramp = grid.deployment_ramp(cap, 2.0, grid.gpu_plan({"2026-01-01": 3000}, cap.index))
    with pytest.raises(InputError, match="annual_rate_frac: must be a fraction <= 1"):
        grid.cost_of_waiting(ramp, annual_rate_frac=8.0, **kw)


def test_ramp_refuses_nan_gpus_and_capacity():
    """A NaN in the GPU plan or the capacity passed the `< 0` checks and made powered/stranded NaN
    in those months, which pandas sums then skip: the stranded GPU-months and cost of waiting came
    out too low without a word. Expected: InputError naming the field (an error, no tolerance)."""
    cap = grid.capacity_timeline(_spec(), "2025-12-01", "2026-03-01")
    with pytest.raises(InputError, match="GPUs added on 2026-01-01 must be >= 0, got nan"):
        grid.gpu_plan({"2026-01-01": np.nan}, cap.index)
    plan = grid.gpu_plan({"2026-01-01": 3000}, cap.index)
    bad_cap = cap.copy()
    bad_cap.iloc[1] = np.nan
    with pytest.raises(InputError, match="capacity_mw: NaN or inf at 2026-01-01"):
        grid.deployment_ramp(bad_cap, 2.0, plan)
    bad_plan = plan.copy()
    bad_plan.iloc[2] = np.nan
    with pytest.raises(InputError, match="planned_gpus: NaN or inf at 2026-02-01"):
        grid.deployment_ramp(cap, 2.0, bad_plan)


def test_time_to_power_with_a_late_equipment_order_extends_its_grid():
    """An order 200 months after filing said "quantile 0.9 beyond the 240-month evaluation
    grid" (field quantiles); the grid now reaches past the delay. With equipment ordered that
    late, it sets the time to power: its quantiles are the no-delay ones plus 200 months."""
    base = grid.time_to_power("az-aps")
    late = grid.time_to_power("az-aps", order_delay_months=200)
    assert np.allclose(late["equipment_months"], base["equipment_months"] + 200.0, atol=0.06)
    assert np.allclose(late["time_to_power_months"], late["equipment_months"], atol=0.06)
    with pytest.raises(InputError, match="order_delay_months"):
        grid.time_to_power("az-aps", order_delay_months=float("nan"))


def test_a_phase_in_service_keeps_its_date_and_the_queue_delay_counts_from_the_first_planned_one():
    # An existing campus: 10 MW energized in 2021, a new 20 MW phase planned for June 2027 on a
    # request filed in January 2020. The delay used to count from the phase in service (planned
    # 12 months after filing, so slipping by T_q - 12 months) and moved both: the live phase to
    # 2024-2027 and the new one by 38 months. Now the live phase stays put and the new one slips
    # by max(0, T_q - months from filing to June 2027) = max(0, T_q - 89).
    spec = InterconnectionSpec(region="va-dominion", requested_mw=30, filed=dt.date(2020, 1, 1), phases=[
        {"energized": dt.date(2021, 1, 1), "mw": 10, "in_service": True},
        {"energized": dt.date(2027, 6, 1), "mw": 20}])
    ttp = grid.time_to_power("va-dominion")["time_to_power_months"]
    delay = grid.energization_delay_months(spec)
    np.testing.assert_allclose(delay.to_numpy(), np.maximum(0.0, ttp.to_numpy() - 89.0), atol=1e-12)
    dates = grid.energization_dates(spec)
    for col in [c for c in dates.columns if c.startswith("energized_p")]:
        assert dates.loc[0, col] == pd.Timestamp("2021-01-01")
    # a 12-month slip moves only the planned phase
    cap = grid.capacity_timeline(spec, "2021-01-01", "2029-12-01", delay_months=12.0)
    assert cap["2021-01-01"] == 10.0 and cap["2028-05-01"] == 10.0 and cap["2028-06-01"] == 30.0
    kw = grid.contracted_kw(spec, pd.date_range("2025-01-01 01:00", periods=24, freq="h", tz="America/New_York"),
                            delay_months=12.0)
    assert (kw == 10_000.0).all()
    # every phase in service: nothing to wait for
    live = InterconnectionSpec(region="va-dominion", requested_mw=10, filed=dt.date(2024, 1, 1), phases=[
        {"energized": dt.date(2021, 1, 1), "mw": 10, "in_service": True}])
    assert (grid.energization_delay_months(live) == 0.0).all()


def test_phases_in_service_come_first_and_only_they_may_predate_the_filing():
    with pytest.raises(ValueError, match=r"phases\[1\] is in_service but phases\[0\] is not"):
        InterconnectionSpec(region="va-dominion", requested_mw=30, filed=dt.date(2020, 1, 1), phases=[
            {"energized": dt.date(2021, 1, 1), "mw": 10}, {"energized": dt.date(2022, 1, 1), "mw": 20, "in_service": True}])
    with pytest.raises(ValueError, match=r"phases\[0\]\.energized 2019-01-01 is before the request was filed"):
        InterconnectionSpec(region="va-dominion", requested_mw=30, filed=dt.date(2020, 1, 1), phases=[
            {"energized": dt.date(2019, 1, 1), "mw": 10}])


def test_live_fleet_frac_is_the_capacity_in_service_over_the_fleets_design_power():
    # 10 MW in service, 20 MW planned; a fleet drawing 40,000 kW at design: 10,000 / 40,000
    spec = InterconnectionSpec(region="va-dominion", requested_mw=30, filed=dt.date(2020, 1, 1), phases=[
        {"energized": dt.date(2021, 1, 1), "mw": 10, "in_service": True},
        {"energized": dt.date(2027, 6, 1), "mw": 20}])
    assert grid.in_service_mw(spec) == 10.0
    assert grid.live_fleet_frac(spec, 40_000.0) == 0.25
    assert grid.live_fleet_frac(spec, 5_000.0) == 1.0            # the live MW power it all
    planned = InterconnectionSpec(region="va-dominion", requested_mw=30, filed=dt.date(2020, 1, 1))
    assert grid.live_fleet_frac(planned, 40_000.0) == 0.0
    for bad in (0.0, -1.0, float("nan")):
        with pytest.raises(InputError, match="facility power > 0 kW"):
            grid.live_fleet_frac(spec, bad)
