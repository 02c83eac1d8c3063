"""dcplan.tariff against hand-computed bills (features SAM lacks or handles differently).

Each expected value is derived in the comment above its assertion. Tolerances:
1e-6 USD (float summation of at most ~1e5 products) unless stated.
"""
from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from dcplan.errors import InputError
from dcplan.paths import data_path
from dcplan.tariff import Tariff

TOL = 1e-6
NY = "America/New_York"


def hourly(start, end, tz=NY, kw=1.0):
    idx = pd.date_range(start, end, freq="h", tz=tz)
    return pd.Series(kw, index=idx, name="grid_kw")


def year_2023(kw=1.0, tz=NY):
    # interval-ending labels: first interval 2023-01-01 00:00-01:00, last ends 2024-01-01 00:00
    return hourly("2023-01-01 01:00", "2024-01-01 00:00", tz, kw)


def const(v):
    return [[v] * 24 for _ in range(12)]


def test_real_calendar_weekends_and_us_holidays():
    t = Tariff.tou(0.10, [{"name": "weekday", "usd_per_kwh": 0.20, "hours": list(range(24))}])
    jan = hourly("2023-01-01 01:00", "2023-02-01 00:00")
    # Jan 2023 starts on a Sunday: 22 weekdays, 9 weekend days (1, 7, 8, 14, 15, 21, 22, 28, 29)
    # 1 kW: 22*24*0.20 + 9*24*0.10 = 105.6 + 21.6
    assert t.bill(jan).energy_usd == pytest.approx(127.2, abs=TOL)
    # US holidays: 2 Jan (New Year's Day observed) and 16 Jan (MLK Day) billed as weekend
    # 20*24*0.20 + 11*24*0.10 = 96.0 + 26.4
    assert t.bill(jan, holidays="US").energy_usd == pytest.approx(122.4, abs=TOL)
    # the same two days given as a list, or as a holidays.HolidayBase, bill the same
    assert t.bill(jan, holidays=["2023-01-02", "2023-01-16"]).energy_usd == pytest.approx(122.4, abs=TOL)
    import holidays
    assert t.bill(jan, holidays=holidays.US()).energy_usd == pytest.approx(122.4, abs=TOL)
    with pytest.raises(InputError, match="unknown holiday calendar 'XX'"):
        t.bill(jan, holidays="XX")


def test_interval_ending_label_at_midnight_belongs_to_previous_month():
    idx = pd.date_range("2023-01-01 00:15", "2023-02-28 00:00", freq="15min", tz=NY)
    load = pd.Series(0.0, index=idx)
    load.loc[pd.Timestamp("2023-02-01 00:00", tz=NY)] = 1000.0  # interval 23:45-24:00 on 31 Jan
    b = Tariff.flat(0.1, demand_usd_per_kw=10.0).bill(load)
    # January: 1000 kW x 0.25 h = 250 kWh -> 25 USD; demand 1000 kW x 10 = 10,000 USD; February: 0
    assert b.monthly.loc["2023-01", "energy_usd"] == pytest.approx(25.0, abs=TOL)
    assert b.monthly.loc["2023-01", "demand_usd"] == pytest.approx(10_000.0, abs=TOL)
    assert b.monthly.loc["2023-02", "demand_usd"] == pytest.approx(0.0, abs=TOL)


def test_dst_months_have_local_hours():
    b = Tariff.flat(1.0).bill(year_2023())
    # local months: March loses the 02:00 hour (743 h), November repeats 01:00 (721 h)
    assert b.monthly.loc["2023-03", "energy_kwh"] == pytest.approx(743.0, abs=TOL)
    assert b.monthly.loc["2023-11", "energy_kwh"] == pytest.approx(721.0, abs=TOL)
    assert b.energy_usd == pytest.approx(8760.0, abs=TOL)


@pytest.mark.parametrize("method,window,expected", [
    (None, None, 4000.0),        # no window: max 5-min interval, 400 kW x 10 $/kW
    ("block", 15, 2000.0),       # blocks :00-:15 -> (100+100+400)/3, :15-:30 -> (400+100+100)/3 = 200 kW
    ("rolling", 15, 3000.0),     # window ending 10:20 -> (100+400+400)/3 = 300 kW
])
def test_demand_window(method, window, expected):
    idx = pd.date_range("2023-06-01 00:05", "2023-07-01 00:00", freq="5min", tz=NY)
    load = pd.Series(100.0, index=idx)
    load.loc[[pd.Timestamp("2023-06-10 10:15", tz=NY), pd.Timestamp("2023-06-10 10:20", tz=NY)]] = 400.0
    u = {"flatdemandstructure": [[{"rate": 10.0}]], "flatdemandmonths": [0] * 12}
    if window:
        u["demandwindow"] = window
    t = Tariff.from_urdb(u, demand_window_method=method or "block")
    assert t.bill(load).demand_usd == pytest.approx(expected, abs=TOL)


def test_contract_demand_floors_flat_and_tou_separately():
    jan_feb = hourly("2023-01-01 01:00", "2023-03-01 00:00", kw=1000.0)
    jan_feb.loc["2023-02-01 01:00":] = 6000.0  # February intervals (label 1 Feb 00:00 is January)
    t = (Tariff.flat(0.0, demand_usd_per_kw=5.0).with_demand_charge(9.0, hours=range(24), days="all")
         .with_contract_demand(5000.0, min_frac=0.85, tou_min_frac=0.60))
    m = t.bill(jan_feb).monthly
    # Jan: flat 5 x max(1000, 0.85 x 5000) = 21,250; TOU 9 x max(1000, 0.60 x 5000) = 27,000
    assert m.loc["2023-01", "demand_usd"] == pytest.approx(21_250 + 27_000, abs=TOL)
    # Feb: actual 6000 kW exceeds both floors: (5 + 9) x 6000 = 84,000
    assert m.loc["2023-02", "demand_usd"] == pytest.approx(84_000, abs=TOL)


def test_4cp_sets_next_years_transmission_charge():
    tz = "America/Chicago"
    load = hourly("2023-01-01 01:00", "2025-01-01 00:00", tz, kw=5000.0)
    peaks = [pd.Timestamp(s, tz=tz) for s in ("2023-06-20 17:00", "2023-07-19 17:00",
                                               "2023-08-10 18:00", "2023-09-05 17:00")]
    for p, kw in zip(peaks, (10_000.0, 12_000.0, 11_000.0, 9_000.0)):
        load.loc[p] = kw  # the hour ending at the 15-min peak contains it
    t = Tariff.flat(0.0).with_4cp(5.0, peaks, prior_kw=8000.0)
    m = t.bill(load).monthly
    # 2023 months: prior_kw 8000 x 5 = 40,000; 2024: mean(10,12,11,9 MW) = 10,500 kW x 5 = 52,500
    assert m.loc["2023-05", "demand_usd"] == pytest.approx(40_000, abs=TOL)
    assert m.loc["2024-05", "demand_usd"] == pytest.approx(52_500, abs=TOL)
    assert m["demand_usd"].sum() == pytest.approx(12 * 40_000 + 12 * 52_500, abs=TOL)
    with pytest.raises(InputError, match="4CP for 2023.*prior_kw"):
        Tariff.flat(0.0).with_4cp(5.0, peaks).bill(load)


def test_4cp_15min_load_averages_the_peak_interval():
    tz = "America/Chicago"
    idx = pd.date_range("2023-06-01 00:05", "2024-02-01 00:00", freq="5min", tz=tz)
    load = pd.Series(1000.0, index=idx)
    p = pd.Timestamp("2023-07-19 17:00", tz=tz)
    load.loc[[p - pd.Timedelta("10min"), p - pd.Timedelta("5min"), p]] = [1000.0, 2000.0, 6000.0]
    t = Tariff.flat(0.0).with_4cp(2.0, [p], prior_kw=0.0)
    # 5-min readings ending 16:50, 16:55, 17:00 make the 15-min interval: (1000+2000+6000)/3 = 3000 kW
    # January 2024: 3000 kW x 2 $/kW-month = 6,000
    assert t.bill(load).monthly.loc["2024-01", "demand_usd"] == pytest.approx(6000.0, abs=TOL)


def test_coincident_peak_charge():
    u = {"coincidentratestructure": [[{"rate": 0.0}], [{"rate": 12.0}]],
         "coincidentrateschedule": [[1 if 14 <= h < 19 else 0 for h in range(24)] for _ in range(12)]}
    load = year_2023(kw=2000.0)
    jul = pd.Timestamp("2023-07-20 16:00", tz=NY)  # interval 15:00-16:00 -> hour 15, period 1
    load.loc[jul] = 7000.0
    aug = pd.Timestamp("2023-08-02 04:00", tz=NY)  # hour 3, period 0 ($0)
    b = Tariff.from_urdb(u).bill(load, coincident_peaks=[jul, aug])
    # July: 7000 kW x 12 = 84,000; August: 2000 kW x 0 = 0; no other months have peaks
    assert b.monthly.loc["2023-07", "demand_usd"] == pytest.approx(84_000, abs=TOL)
    assert b.demand_usd == pytest.approx(84_000, abs=TOL)
    with pytest.raises(InputError, match="coincident_peaks"):
        Tariff.from_urdb(u).bill(load)


def test_rtp_hourly_price_on_15min_load_with_demand_charge():
    pidx = pd.date_range("2023-04-01 01:00", "2023-05-01 00:00", freq="h", tz=NY)
    price = pd.Series(0.05, index=pidx)
    price.iloc[1] = -0.01  # negative prices are allowed
    t = Tariff.rtp(price, adder_usd_per_kwh=0.01).with_demand_charge(8.0)
    idx = pd.date_range("2023-04-01 00:15", "2023-05-01 00:00", freq="15min", tz=NY)
    load = pd.Series(1000.0, index=idx)
    b = t.bill(load)
    # 720 h x 1000 kWh: (719 h x 0.05 + 1 h x -0.01) x 1000 + 720,000 x 0.01 adder
    assert b.energy_usd == pytest.approx((719 * 0.05 - 0.01) * 1000 + 7200.0, abs=TOL)
    assert b.demand_usd == pytest.approx(8000.0, abs=TOL)
    ep = t.energy_price(idx)
    # the four 15-min intervals of hour 2 (ending 01:15 .. 02:00) get -0.01 + 0.01 = 0
    assert ep.iloc[4:8].tolist() == pytest.approx([0.0] * 4, abs=1e-12)
    assert ep.iloc[0] == pytest.approx(0.06, abs=1e-12)
    with pytest.raises(InputError, match="no price for the load interval ending"):
        t.bill(pd.Series(1.0, index=pd.date_range("2023-05-01 01:00", periods=48, freq="h", tz=NY)))


def test_escalation_and_tariff_per_year():
    load = hourly("2023-01-01 01:00", "2025-01-01 00:00")  # 8760 + 8784 h at 1 kW
    t = Tariff.flat(0.10, fixed_usd_per_month=100.0).with_escalation({"energy": 0.03}, base_year=2023)
    b = t.bill(load)
    # 2023: 8760 x 0.10 = 876; 2024: 8784 x 0.103 = 904.752; fixed not escalated: 24 x 100
    assert b.energy_usd == pytest.approx(876.0 + 904.752, abs=TOL)
    assert b.fixed_usd == pytest.approx(2400.0, abs=TOL)
    yb = Tariff.by_year({2023: Tariff.flat(0.10), 2024: Tariff.flat(0.12)}).bill(load)
    # 876 + 8784 x 0.12 = 876 + 1054.08
    assert yb.total_usd == pytest.approx(876.0 + 1054.08, abs=TOL)
    assert len(yb.monthly) == 24
    with pytest.raises(InputError, match="no tariff for 2024"):
        Tariff.by_year({2023: Tariff.flat(0.1)}).bill(load)


def test_tiers_reset_every_month_over_two_years():
    u = {"energyratestructure": [[{"max": 500, "rate": 0.2}, {"rate": 0.1}]],
         "energyweekdayschedule": const(0), "energyweekendschedule": const(0)}
    load = hourly("2023-01-01 01:00", "2025-01-01 00:00")
    b = Tariff.from_urdb(u).bill(load)
    hours = b.monthly["energy_kwh"].to_numpy()
    # each month: 500 x 0.2 + (kWh - 500) x 0.1 = 50 + 0.1 kWh (every month has > 500 h)
    assert b.energy_usd == pytest.approx(24 * 50 + 0.1 * hours.sum(), abs=TOL)


def test_fuel_adjustment_and_annual_minimum():
    u = {"energyratestructure": [[{"rate": 0.1}]], "energyweekdayschedule": const(0),
         "energyweekendschedule": const(0), "fueladjustmentsmonthly": [0.01] * 12,
         "mincharge": 1500.0, "minchargeunits": "$/year"}
    b = Tariff.from_urdb(u).bill(year_2023())
    # energy 8760 x (0.10 + 0.01) = 963.6; annual minimum 1500 -> shortfall 536.4 billed in December
    assert b.energy_usd == pytest.approx(963.6, abs=TOL)
    assert b.minimum_usd == pytest.approx(536.4, abs=TOL)
    assert b.monthly.loc["2023-12", "minimum_usd"] == pytest.approx(536.4, abs=TOL)
    assert b.total_usd == pytest.approx(1500.0, abs=TOL)


def test_ratchet_on_flagged_lookback_months_and_prior_peaks():
    u = {"flatdemandstructure": [[{"rate": 1.0}]], "flatdemandmonths": [0] * 12,
         "lookbackPercent": 0.5, "lookbackRange": 0,
         "lookbackMonths": [False] * 5 + [True] * 4 + [False] * 3}  # Jun-Sep peaks count
    load = year_2023(kw=2000.0)
    load.loc["2023-07-15"] = 10_000.0
    load.loc["2023-03-15"] = 9_000.0  # March is not flagged: never ratchets
    b = Tariff.from_urdb(u).bill(load)
    # Jan, Feb, Apr-Jun: 2000; Mar 9000; Jul 10,000; Aug-Dec: max(2000, 0.5 x 10,000) = 5000
    assert b.demand_usd == pytest.approx(5 * 2000 + 9000 + 10_000 + 5 * 5000, abs=TOL)
    # prior-year peaks (Jan..Dec): last August's 16 MW ratchets Jan-Jul to 8 MW (Jul: actual 10 MW)
    prior = [0.0] * 7 + [16_000.0] + [0.0] * 4
    b2 = Tariff.from_urdb(u).bill(load, prior_peaks_kw=prior)
    # 11-month lookback: Aug 2022 is in the window of Jan..Jul 2023 -> 8000, except March's
    # own 9000 and July's own 10,000
    assert b2.monthly["billing_demand_kw"].iloc[:6].tolist() == pytest.approx(
        [8000.0, 8000.0, 9000.0, 8000.0, 8000.0, 8000.0])
    assert b2.monthly.loc["2023-07", "billing_demand_kw"] == pytest.approx(10_000.0)


def test_demandratchetpercentage_field():
    u = {"flatdemandstructure": [[{"rate": 1.0}]], "flatdemandmonths": [0] * 12,
         "demandratchetpercentage": [0.9] * 12}
    load = year_2023(kw=1000.0)
    load.loc["2023-02-10"] = 5000.0
    # Jan 1000; Feb 5000; Mar-Dec: 0.9 x 5000 = 4500 (Feb within the 11 preceding months)
    assert Tariff.from_urdb(u).bill(load).demand_usd == pytest.approx(1000 + 5000 + 10 * 4500, abs=TOL)


def test_partial_month_still_pays_the_monthly_fixed_charge():
    load = hourly("2023-01-15 01:00", "2023-03-01 00:00")
    m = Tariff.flat(0.1, fixed_usd_per_month=30.0).bill(load).monthly
    # 15 Jan - 31 Jan: 17 days billed, full fixed charge (documented convention)
    assert m.loc["2023-01", "days_billed"] == pytest.approx(17.0)
    assert m["fixed_usd"].tolist() == [30.0, 30.0]


def test_scenarios_dataframe_and_array_equal_single_bills():
    t = Tariff.from_urdb(data_path("tariffs", "duke-nc-opt-tou.json"))
    idx = pd.date_range("2025-01-01 00:15", periods=4 * 24 * 90, freq="15min", tz=NY)
    rng = np.random.default_rng(0)
    arr = 1000 + 200 * rng.random((4, len(idx)))
    b2 = t.bill(arr, index=idx)
    df = pd.DataFrame(arr.T, index=idx, columns=list("abcd"))
    b3 = t.bill(df)
    for i, c in enumerate("abcd"):
        single = t.bill(pd.Series(arr[i], index=idx))
        # independent path: bincount/reduceat on one row vs sparse matmul on four
        assert b2.total_usd[i] == pytest.approx(single.total_usd, rel=1e-12)
        assert b3.total_usd[c] == pytest.approx(single.total_usd, rel=1e-12)
        assert b3.monthly.loc[c, "demand_usd"].tolist() == pytest.approx(single.monthly["demand_usd"].tolist())
    assert b3.breakdown.groupby("scenario")["cost_usd"].sum().to_numpy() == pytest.approx(
        b3.total_usd.to_numpy(), abs=1e-6)


def test_energy_price_and_demand_structure_for_the_scheduler():
    t = Tariff.from_urdb(data_path("tariffs", "duke-nc-opt-tou.json"))
    ep = t.energy_price(pd.date_range("2025-07-16 14:15", periods=4, freq="15min", tz=NY))
    # Wed 16 Jul 2025, 14:00-15:00: summer on-peak (1-9 pm weekdays) -> 0.068 $/kWh
    assert ep.tolist() == pytest.approx([0.068] * 4)
    sun = t.energy_price(pd.date_range("2025-07-20 14:15", periods=4, freq="15min", tz=NY))
    assert sun.tolist() == pytest.approx([0.0495] * 4)  # Sunday: off-peak
    dc = t.demand_charges()
    summer_on = dc.query("kind == 'tou' and period == 1")
    assert sorted(summer_on.month) == [6, 7, 8, 9] and summer_on.usd_per_kw.unique().tolist() == [16.5]
    assert set(dc.query("kind == 'flat'").usd_per_kw) == {3.63}
    dp = t.demand_period(pd.date_range("2025-01-15 07:15", periods=4, freq="15min", tz=NY))
    assert dp.tolist() == [2, 2, 2, 2]  # winter weekday 6 am-1 pm -> winter on-peak demand period


@pytest.mark.parametrize("name", ["duke-nc-opt-tou", "dominion-va-gs3", "aps-az-e32-tou-l",
                                  "comed-il-large-load", "rtp-example"])
def test_bundled_tariffs_bill_a_flat_load_by_hand(name):
    """A constant load makes every bundled tariff hand-checkable from its own JSON."""
    import json
    t = Tariff.from_urdb(data_path("tariffs", f"{name}.json"))
    item = json.loads(data_path("tariffs", f"{name}.json").read_text())
    tz = "America/Chicago"
    load = hourly("2025-01-01 01:00", "2026-01-01 00:00", tz, kw=10_000.0)
    b = t.bill(load)
    # demand: 10 MW every month, x (flat rate of the month + TOU rates of periods present that month)
    demand = 0.0
    for m in range(12):
        if "flatdemandstructure" in item:
            demand += 10_000 * item["flatdemandstructure"][item["flatdemandmonths"][m]][0]["rate"]
        if "demandratestructure" in item:
            for p in set(item["demandweekdayschedule"][m]) | set(item["demandweekendschedule"][m]):
                demand += 10_000 * item["demandratestructure"][p][0]["rate"]
    assert b.demand_usd == pytest.approx(demand, abs=TOL)
    fixed = item["fixedchargefirstmeter"] * (365 if item["fixedchargeunits"] == "$/day" else 12)  # 2025: 365 d
    assert b.fixed_usd == pytest.approx(fixed, abs=TOL)
    assert b.energy_usd == pytest.approx(float((t.energy_price(load.index) * 10_000).sum()), abs=1e-4)
    # all-in average price within a factor 2 of EIA 2023 industrial averages (6.6-8.9 c/kWh)
    assert 0.04 < b.total_usd / (10_000 * 8760) < 0.15


def _reference_bill(kw, idx, rates, uppers, wd, we, flat_usd_per_kw):
    """Plain per-interval loop (the textbook definition), used only to check the engine."""
    start = idx - (idx[1] - idx[0])
    dt_h = (idx[1] - idx[0]).total_seconds() / 3600
    energy, cum, month, peaks = 0.0, 0.0, None, {}
    cal = zip(start.year, start.month, start.day_of_week, start.hour)
    for k, (year, mon, dow, hour) in enumerate(cal):
        mo = (year, mon)
        if mo != month:
            month, cum = mo, 0.0
        p = (we if dow >= 5 else wd)[mon - 1][hour]
        e, lo = kw[k] * dt_h, 0.0
        for t, hi in enumerate(uppers[p]):
            hi = np.inf if t == len(uppers[p]) - 1 else hi
            part = max(0.0, min(cum + e, hi) - max(cum, lo))
            energy += part * rates[p][t]
            lo = hi
        cum += e
        peaks[mo] = max(peaks.get(mo, 0.0), kw[k])
    return energy + flat_usd_per_kw * sum(peaks.values())


@settings(max_examples=20, deadline=None)
@given(seed=st.integers(0, 10_000), b1=st.floats(10.0, 3000.0), b2=st.floats(1.0, 3000.0),
       step=st.sampled_from(["15min", "30min", "h"]))
def test_engine_equals_per_interval_reference(seed, b1, b2, step):
    """Runs-based tiers (telescoped per run) equal the per-interval textbook loop."""
    rng = np.random.default_rng(seed)
    idx = pd.date_range("2023-02-20 00:00", "2023-04-03 00:00", freq=step, tz=NY)[1:]
    kw = rng.uniform(0, 10, len(idx))
    uppers = [[b1, b1 + b2, np.inf], [b1, b1 + b2, np.inf]]
    rates = [[0.10, 0.07, 0.05], [0.20, 0.15, 0.11]]
    wd = [[1 if 9 <= h < 17 else 0 for h in range(24)] for _ in range(12)]
    we = [[0] * 24 for _ in range(12)]
    u = {"energyratestructure": [[{"max": uppers[p][0], "rate": rates[p][0]},
                                  {"max": uppers[p][1], "rate": rates[p][1]}, {"rate": rates[p][2]}]
                                 for p in range(2)],
         "energyweekdayschedule": wd, "energyweekendschedule": we,
         "flatdemandstructure": [[{"rate": 3.0}]], "flatdemandmonths": [0] * 12}
    got = Tariff.from_urdb(u).bill(pd.Series(kw, index=idx)).total_usd
    assert got == pytest.approx(_reference_bill(kw, idx, rates, uppers, wd, we, 3.0), rel=1e-12, abs=1e-9)


def test_many_scenarios_chunked_path_equals_single_bills():
    t = Tariff.from_urdb(data_path("tariffs", "aps-az-e32-tou-l.json"))
    idx = pd.date_range("2025-06-01 00:15", periods=4 * 24 * 61, freq="15min", tz="America/Phoenix")
    rng = np.random.default_rng(3)
    arr = rng.uniform(500, 1500, (150, len(idx)))  # > 64 scenarios: billed in chunks and stacked
    b = t.bill(arr, index=idx)
    for i in (0, 63, 64, 149):
        single = t.bill(pd.Series(arr[i], index=idx))
        assert b.total_usd[i] == pytest.approx(single.total_usd, rel=1e-12)
    assert len(b.monthly) == 150 * 2


@pytest.mark.parametrize("tz", ["America/New_York", "Europe/London", "Australia/Lord_Howe", "Etc/GMT+5", "UTC"])
def test_fast_local_clock_equals_pandas(tz):
    """The sampled-offset local clock equals pandas' tz_localize(None) across DST changes
    (Lord Howe shifts by 30 min)."""
    from dcplan.tariff_engine import _local_ns
    for freq, start in (("15min", "2018-01-01 00:15"), ("5min", "2023-03-01"), ("h", "2020-10-01")):
        idx = pd.date_range(start, periods=40_000, freq=freq, tz=tz)
        assert (_local_ns(idx) == idx.tz_localize(None).as_unit("ns").asi8).all()
