"""dcplan.tariff edge cases: holiday calendars, block demand windows at DST, real-time prices
in non-UTC zones, input checks, URDB field checks, the engine's memo.

Each expected value is derived by hand in the comment above its assertion.
Tolerance: 1e-6 USD (float summation of at most ~3e3 products) unless stated.
"""
from __future__ import annotations

import dataclasses
import datetime as dt

import numpy as np
import pandas as pd
import pytest

from dcplan import tariff as tmod
from dcplan import tariff_engine as eng
from dcplan.errors import InputError
from dcplan.tariff import Tariff

TOL = 1e-6
NY = "America/New_York"
IST = "Asia/Kolkata"  # UTC+05:30, no DST


def _july_2023(kw=100.0):
    # interval-ending hourly labels: 744 hours of July 2023, local New York time
    return pd.Series(kw, index=pd.date_range("2023-07-01 01:00", "2023-08-01 00:00", freq="h", tz=NY))


# ---------------------------------------------------------------- 1. holiday calendar cache
def _weekday_tou():
    # weekday 0.20 $/kWh all day; weekend and holidays 0.10 $/kWh
    return Tariff.tou(0.10, [{"name": "wd", "usd_per_kwh": 0.20, "hours": list(range(24)), "days": "weekday"}])


def test_holiday_list_cache_uses_the_dates_not_the_list_identity():
    t, load = _weekday_tou(), _july_2023()
    # July 2023: 31 days, weekends 1,2,8,9,15,16,22,23,29,30 -> 21 weekdays, 10 weekend days;
    # 100 kW x 24 h = 2400 kWh a day.
    # Tue 4 Jul a holiday: 20 x 2400 x 0.20 + 11 x 2400 x 0.10 = 9600 + 2640 = 12,240
    assert t.bill(load, holidays=[dt.date(2023, 7, 4)]).energy_usd == pytest.approx(12_240.0, abs=TOL)
    # a new list (may reuse the freed list's id) with Sat 8 Jul, already a weekend day:
    # 21 x 2400 x 0.20 + 10 x 2400 x 0.10 = 10,080 + 2400 = 12,480
    assert t.bill(load, holidays=[dt.date(2023, 7, 8)]).energy_usd == pytest.approx(12_480.0, abs=TOL)


def test_holiday_list_edited_between_bills_is_not_served_stale():
    t, load = _weekday_tou(), _july_2023()
    hol = [dt.date(2023, 7, 4)]
    assert t.bill(load, holidays=hol).energy_usd == pytest.approx(12_240.0, abs=TOL)  # as above
    hol[0] = dt.date(2023, 7, 8)  # same list object, now a Saturday: 12,480 as above
    assert t.bill(load, holidays=hol).energy_usd == pytest.approx(12_480.0, abs=TOL)


# ---------------------------------------------------------------- 2. block demand across fall-back
def test_block_demand_window_keeps_the_repeated_fallback_hour_apart():
    idx = pd.date_range("2023-11-01 00:15", "2023-12-01 00:00", freq="15min", tz=NY)
    load = pd.Series(1000.0, index=idx)
    start = idx - pd.Timedelta("15min")
    est = pd.Timestamp("2023-11-05 01:00", tz="Etc/GMT+5")  # the second (EST) 01:00 on 5 Nov
    sel = (start >= est) & (start < est + pd.Timedelta("1h"))
    assert sel.sum() == 4
    load[sel] = 3000.0
    u = {"flatdemandstructure": [[{"rate": 1.0}]], "flatdemandmonths": [0] * 12, "demandwindow": 60}
    # the EST 01:00-02:00 block holds four 3000-kW intervals: block average 3000 kW;
    # x 1 $/kW = 3000 USD (merged with the EDT pass it was (4 x 1000 + 4 x 3000) / 8 = 2000)
    assert Tariff.from_urdb(u).bill(load).demand_usd == pytest.approx(3000.0, abs=TOL)
    # the EDT 01:00 hour alone at 3000 kW gives the same 3000 USD
    edt = pd.Timestamp("2023-11-05 01:00", tz="Etc/GMT+4")
    load2 = pd.Series(1000.0, index=idx)
    load2[(start >= edt) & (start < edt + pd.Timedelta("1h"))] = 3000.0
    assert Tariff.from_urdb(u).bill(load2).demand_usd == pytest.approx(3000.0, abs=TOL)


# ---------------------------------------------------------------- 3. real-time price, local clock
def _ist_day(freq):
    # 1 Jan 2023 in Kolkata, interval-ending labels
    first = "2023-01-01 00:15" if freq == "15min" else "2023-01-01 01:00"
    return pd.date_range(first, "2023-01-02 00:00", freq=freq, tz=IST)


def test_rtp_hourly_local_price_in_half_hour_offset_zone():
    price_idx = pd.date_range("2023-01-01 01:00", "2023-01-02 00:00", freq="h", tz=IST)
    # 0.10 $/kWh for the hours starting 18..21 local (labels 19:00..22:00), else 0.05
    price = pd.Series(np.where(np.isin(price_idx.hour, [19, 20, 21, 22]), 0.10, 0.05), index=price_idx)
    t = Tariff.rtp(price)
    for freq in ("15min", "h"):
        idx = _ist_day(freq)
        load = pd.Series(100.0, index=idx)
        load[((idx - idx.freq).hour == 18)] = 200.0  # 18:00-19:00 local at 200 kW
        # 18:00: 200 kWh x 0.10 = 20; 19:00-22:00: 3 x 100 x 0.10 = 30; the other 20 hours:
        # 20 x 100 x 0.05 = 100 -> 150 USD
        assert t.bill(load).energy_usd == pytest.approx(150.0, abs=TOL), freq


def test_rtp_utc_hour_price_in_half_hour_zone_still_fits_15min_load():
    # prices labelled on UTC hours (= hh:30 in Kolkata), 23:30 on 31 Dec .. 00:30 on 2 Jan local
    price_idx = pd.date_range("2022-12-31 18:00", "2023-01-01 19:00", freq="h", tz="UTC").tz_convert(IST)
    price = pd.Series(np.where(price_idx.hour == 19, 0.10, 0.05), index=price_idx)  # 18:30-19:30 dear
    load = pd.Series(100.0, index=_ist_day("15min"))
    # each 15-min interval lies inside one price hour: 23 h x 100 x 0.05 + 1 h x 100 x 0.10 = 125
    assert Tariff.rtp(price).bill(load).energy_usd == pytest.approx(125.0, abs=TOL)
    # an hourly load (00:00-01:00 local) straddles two UTC price hours: refused
    with pytest.raises(InputError, match="no price for the load interval"):
        Tariff.rtp(price).bill(pd.Series(100.0, index=_ist_day("h")))


def test_rtp_daily_price_file_in_half_hour_zone(tmp_path):
    # daily prices ending at local midnight (18:30 UTC), as a URDB price CSV with offsets
    (tmp_path / "p.csv").write_text("timestamp,price_usd_per_kwh\n"
                                    "2023-01-02T00:00:00+05:30,0.10\n"
                                    "2023-01-03T00:00:00+05:30,0.20\n")
    (tmp_path / "t.json").write_text('{"dcplan_rtp_price_file": "p.csv"}')
    t = Tariff.from_urdb(tmp_path / "t.json")
    load = pd.Series(100.0, index=pd.date_range("2023-01-01 01:00", "2023-01-03 00:00", freq="h", tz=IST))
    # 2400 kWh a day: 2400 x 0.10 + 2400 x 0.20 = 720 USD
    assert t.bill(load).energy_usd == pytest.approx(720.0, abs=TOL)


def test_rtp_daily_price_across_spring_forward():
    # daily prices ending at New York midnight; 12 Mar 2023 has 23 hours
    price = pd.Series([0.1, 0.2, 0.3], index=pd.date_range("2023-03-12", periods=3, freq="D", tz=NY))
    t = dataclasses.replace(Tariff.flat(0.0), rtp_usd_per_kwh=price)
    load = pd.Series(100.0, index=pd.date_range("2023-03-11 01:00", "2023-03-14 00:00", freq="h", tz=NY))
    # 11 Mar: 2400 x 0.1 = 240; 12 Mar: 2300 x 0.2 = 460; 13 Mar: 2400 x 0.3 = 720 -> 1420
    assert t.bill(load).energy_usd == pytest.approx(1420.0, abs=TOL)


# ---------------------------------------------------------------- 4. input checks
def _ratchet_tariff():
    u = {"flatdemandstructure": [[{"rate": 1.0}]], "flatdemandmonths": [0] * 12,
         "demandratchetpercentage": [0.8] * 12}
    return Tariff.from_urdb(u)


@pytest.mark.parametrize("prior, match", [
    ([np.nan] * 12, "finite and >= 0 kW, got nan for month 1"),
    ([1.0] * 11 + [np.inf], "got inf for month 12"),
    ([-5000.0] * 12, "got -5000.0 for month 1"),
    ([3000.0] * 11, r"need 12 monthly peaks .* got shape \(11,\)"),
    ("abc", "'abc' is not a prior-peaks option; allowed: 'steady_state' \\(a repeating year\\), 12 monthly peaks"),
])
def test_prior_peaks_kw_checked(prior, match):
    load = _july_2023(1000.0)
    with pytest.raises(InputError, match="prior_peaks_kw: .*" + match):
        _ratchet_tariff().bill(load, prior_peaks_kw=prior)


def test_prior_peaks_kw_per_scenario_rows():
    load = pd.DataFrame({"a": 1000.0, "b": 1000.0}, index=_july_2023().index)
    prior = np.zeros((2, 12))
    prior[1, 11] = 5000.0  # scenario b peaked at 5 MW last December
    # a: 1000 kW x 1 $/kW; b: max(1000, 0.8 x 5000) = 4000 kW -> 4000 USD
    b = _ratchet_tariff().bill(load, prior_peaks_kw=prior)
    assert b.demand_usd.tolist() == pytest.approx([1000.0, 4000.0], abs=TOL)
    with pytest.raises(InputError, match=r"prior_peaks_kw: .* got shape \(3, 12\)"):
        _ratchet_tariff().bill(load, prior_peaks_kw=np.zeros((3, 12)))


def test_empty_months_refused_none_means_all():
    with pytest.raises(InputError, match=r"periods\[0\]\.months: empty list of months"):
        Tariff.tou(0.05, [{"name": "p", "usd_per_kwh": 0.3, "hours": [15], "months": []}])
    with pytest.raises(InputError, match="months: empty list of months"):
        Tariff.flat(0.05).with_demand_charge(10.0, months=[])
    with pytest.raises(InputError, match="months: empty list of months"):
        Tariff.flat(0.05).with_demand_charge(10.0, hours=[15], months=[])
    with pytest.raises(InputError, match="need months 1-12"):
        Tariff.flat(0.05).with_demand_charge(10.0, months=[0])  # index -1 was December
    assert Tariff.flat(0.05).with_demand_charge(10.0, months=None).flat_months.tolist() == [1] * 12
    t = Tariff.tou(0.05, [{"name": "p", "usd_per_kwh": 0.3, "hours": [15], "months": None}])
    assert (t.energy_weekday[:, 15] == 1).all()


# ---------------------------------------------------------------- 5. URDB fields
_TOU_DEMAND = {"demandratestructure": [[{"rate": 10.0}]], "demandweekdayschedule": [[0] * 24] * 12,
               "demandweekendschedule": [[0] * 24] * 12}


def _jan_2023(kw=1000.0):
    return pd.Series(kw, index=pd.date_range("2023-01-01 01:00", "2023-02-01 00:00", freq="h", tz=NY))


def test_demandrateunit_validated_like_demandunits():
    with pytest.raises(InputError, match="demandrateunit: demand unit 'kVA' is not supported"):
        Tariff.from_urdb({**_TOU_DEMAND, "demandrateunit": "kVA"})
    # kW accepted; 1000 kW x 10 $/kW = 10,000 USD, also when kVA is ignored on purpose
    assert Tariff.from_urdb({**_TOU_DEMAND, "demandrateunit": "kW"}).bill(_jan_2023()).demand_usd \
        == pytest.approx(10_000.0, abs=TOL)
    t = Tariff.from_urdb({**_TOU_DEMAND, "demandrateunit": "kVA"}, ignore=["demandrateunit"])
    assert t.bill(_jan_2023()).demand_usd == pytest.approx(10_000.0, abs=TOL)


def test_yearly_mincharge_and_annualmincharge_both_set_refused():
    u = {"fixedchargefirstmeter": 10.0, "annualmincharge": 1200.0, "mincharge": 2400.0,
         "minchargeunits": "$/year"}
    with pytest.raises(InputError, match="mincharge: both annualmincharge .* keep one"):
        Tariff.from_urdb(u)
    # a monthly minimum next to a yearly one is two different charges: still accepted
    t = Tariff.from_urdb({**u, "minchargeunits": "$/month"})
    assert (t.min_usd_per_year, t.min_usd_per_month) == (1200.0, 2400.0)


_FLAT = {"flatdemandstructure": [[{"rate": 1.0}]], "flatdemandmonths": [0] * 12}


@pytest.mark.parametrize("extra, field, match", [
    ({"lookbackPercent": 0.5, "lookbackMonths": ["false"] * 12}, r"lookbackMonths\[0\]", "JSON boolean"),
    ({"lookbackPercent": 0.5, "lookbackMonths": [1] * 12}, r"lookbackMonths\[0\]", "JSON boolean"),
    ({"lookbackPercent": 0.5, "lookbackRange": 2.9}, "lookbackRange", "whole number of months"),
    ({"lookbackRange": 3}, "lookbackRange", "without lookbackPercent"),
    ({"lookbackMonths": [True] * 12}, "lookbackMonths", "without lookbackPercent"),
    # URDB: lookbackRange is 0 when month flags are used; a range and some flags is ambiguous
    ({"lookbackPercent": 0.5, "lookbackRange": 3, "lookbackMonths": [True] * 6 + [False] * 6},
     "lookbackMonths", "both set"),
])
def test_lookback_fields_checked(extra, field, match):
    with pytest.raises(InputError, match=f"{field}: .*{match}"):
        Tariff.from_urdb({**_FLAT, **extra})


def test_lookback_placeholders_without_percent_are_accepted():
    # URDB items may carry lookbackRange 0 / all-false lookbackMonths with no lookbackPercent:
    # they ask for no lookback, so they bill like the item without them (no ratchet)
    for extra in ({"lookbackRange": 0}, {"lookbackMonths": [False] * 12}):
        t = Tariff.from_urdb({**_FLAT, **extra})
        assert t.ratchet_lookback_months == 0


def test_lookback_range_whole_float_accepted():
    idx = pd.date_range("2023-01-01 01:00", "2023-07-01 00:00", freq="h", tz=NY)
    load = pd.Series(1000.0, index=idx)
    load.loc["2023-02-15"] = 10_000.0
    t = Tariff.from_urdb({**_FLAT, "lookbackPercent": 0.5, "lookbackRange": 3.0})
    # Feb peak 10 MW ratchets Mar, Apr, May (3-month lookback) to 5000 kW; Jun back to 1000:
    # Jan 1000, Feb 10,000, Mar-May 5000, Jun 1000
    assert t.bill(load).monthly["billing_demand_kw"].tolist() == pytest.approx(
        [1000.0, 10_000.0, 5000.0, 5000.0, 5000.0, 1000.0], abs=TOL)


# ---------------------------------------------------------------- 6. engine memo stays bounded
def test_runs_memo_does_not_grow_with_bills():
    t = Tariff.tou(0.05, [{"name": "p", "usd_per_kwh": 0.3, "hours": [15, 16]}])
    idx = _july_2023().index
    df = pd.DataFrame({"a": 100.0, "b": 200.0}, index=idx)
    first = t.bill(df).total_usd.tolist()
    for _ in range(30):
        assert t.bill(df).total_usd.tolist() == first
    cal = tmod._cached_calendar(idx, None)
    ep = cal.periods(t.energy_weekday, t.energy_weekend)
    r = eng.runs(cal, ep, ep)  # the memoized runs this tariff was billed on
    # one indicator matrix per (runs, number of energy periods): here one, not one per bill
    assert len(r.memo) == 1


def test_4cp_year_with_peaks_before_the_load_is_refused_not_averaged_over_the_rest():
    # ERCOT 4CP = mean of the customer's kW at all four summer system peaks. The load starts
    # 1 Aug 2023, so the June and July 2023 peaks are outside it: 2024's 4CP cannot be
    # computed (averaging the two August/September peaks would bill 5000 instead of the true
    # mean, unknown here). 2023 months use prior_kw (800 kW x $5 = $4,000 a month).
    tz = "America/Chicago"
    idx = pd.date_range("2023-08-01 00:15", "2024-03-01 00:00", freq="15min", tz=tz)
    load = pd.Series(1000.0, index=idx)
    peaks = [pd.Timestamp(s, tz=tz) for s in ("2023-06-20 17:00", "2023-07-25 17:00",
                                               "2023-08-15 17:00", "2023-09-05 17:00")]
    t = Tariff.flat(0.0).with_4cp(5.0, peaks, prior_kw=800.0)
    with pytest.raises(InputError, match=r"4CP for 2024 needs all 4 2023 system peaks inside the load \(2 are\)"):
        t.bill(load)
    # the 2023 months alone are billed from prior_kw
    b = t.bill(load[load.index <= pd.Timestamp("2024-01-01 00:00", tz=tz)])  # Aug-Dec 2023
    assert b.monthly["demand_usd"].tolist() == pytest.approx([4000.0] * 5, abs=1e-9)


# ---------------------------------------------------------------- review: tiers and by_year
def test_demand_tiers_padded_for_a_period_with_fewer_tiers_do_not_make_the_bill_nan():
    """TOU demand periods with different numbers of tiers (common in URDB items).

    Period 0 (hours 0-11) has one tier at 1 $/kW; period 1 (hours 12-23) has 2 $/kW up
    to 100 kW and 3 $/kW above. A constant 200 kW in January 2023 (UTC) bills, by hand,
    200 x 1 + 100 x 2 + 100 x 3 = 700 USD. The old engine padded period 0 with an
    infinite second bound and split the kW as inf - inf: the demand charge was NaN.
    SAM cannot check this (it refuses different tier bounds in one month).
    Tolerance 1e-6 USD (three products).
    """
    u = {"demandratestructure": [[{"rate": 1.0}], [{"rate": 2.0, "max": 100}, {"rate": 3.0}]],
         "demandweekdayschedule": [[0] * 12 + [1] * 12] * 12,
         "demandweekendschedule": [[0] * 12 + [1] * 12] * 12}
    load = pd.Series(200.0, index=pd.date_range("2023-01-01 01:00", "2023-02-01 00:00", freq="h", tz="UTC"))
    b = Tariff.from_urdb(u).bill(load, tz="UTC")  # hours on the UTC clock, as by hand (else refused: tariff_clock)
    assert b.demand_usd == pytest.approx(700.0, abs=TOL)
    assert b.breakdown["cost_usd"].notna().all()
    # the same for a seasonal flat demand charge whose periods have 1 and 2 tiers
    f = {"flatdemandstructure": [[{"rate": 1.0}], [{"rate": 2.0, "max": 100}, {"rate": 3.0}]],
         "flatdemandmonths": [0] * 12}
    # January uses the one-tier period 0 (padded to two tiers): 200 x 1 = 200 USD (was NaN)
    assert Tariff.from_urdb(f).bill(load).demand_usd == pytest.approx(200.0, abs=TOL)


def test_by_year_tou_ratchet_uses_each_periods_own_history():
    """``Tariff.by_year`` with one tariff for every year bills as that tariff alone.

    TOU demand only: off-peak (hours 0-11, $0) and on-peak (hours 12-23, 10 $/kW), 80 %
    ratchet over 11 months, each TOU period on its own history (module docstring). The
    load is 1000 kW off-peak and 100 kW on-peak for 2023-2024 (UTC), except a 5000 kW
    off-peak spike in December 2023. On-peak never exceeds 100 kW, so every month bills
    100 kW x 10 = 1000 USD: 24,000 USD in 24 months (by hand). The old by_year fed 2023's
    all-period peaks (5000 kW) to 2024's on-peak ratchet: 0.8 x 5000 x 10 = 40,000 USD for
    each month of 2024, 453,000 USD in total. Tolerance 1e-6 USD.
    """
    idx = pd.date_range("2023-01-01 01:00", "2025-01-01 00:00", freq="h", tz="UTC")
    start = idx - pd.Timedelta("1h")
    kw = np.where(start.hour < 12, 1000.0, 100.0)
    kw[(start.year == 2023) & (start.month == 12) & (start.hour < 12)] = 5000.0
    load = pd.Series(kw, index=idx)
    u = {"demandratestructure": [[{"rate": 0.0}], [{"rate": 10.0}]],
         "demandweekdayschedule": [[0] * 12 + [1] * 12] * 12,
         "demandweekendschedule": [[0] * 12 + [1] * 12] * 12,
         "lookbackPercent": 0.8, "lookbackRange": 11}
    t = Tariff.from_urdb(u)
    # hours on the UTC clock, as by hand: tz="UTC" says so (a UTC index is refused without it: tariff_clock)
    yb = Tariff.by_year({2023: t, 2024: t}).bill(load, tz="UTC")
    assert yb.monthly["demand_usd"].tolist() == pytest.approx([1000.0] * 24, abs=TOL)
    assert yb.total_usd == pytest.approx(t.bill(load, tz="UTC").total_usd, abs=TOL)


# ---------------------------------------------------------------- black-box review: partial months
_DAILY = {"energyratestructure": [[{"rate": 0.10, "max": 10_000, "unit": "kWh daily"},
                                   {"rate": 0.05, "unit": "kWh daily"}]],
          "energyweekdayschedule": [[0] * 24] * 12, "energyweekendschedule": [[0] * 24] * 12}


def test_daily_tiers_scale_with_the_days_the_load_covers_in_a_partial_month():
    """``kWh daily`` limits x the days the load covers, not the days of the calendar month.

    1000 kW hourly from 16 Jan 2025 00:00 to 1 Feb 00:00 (New York): 16 days, 384,000 kWh.
    Hand: limit 16 x 10,000 = 160,000 kWh at 0.10 = 16,000 + 224,000 x 0.05 = 11,200 ->
    27,200 USD. The old bound 31 x 10,000 = 310,000 billed 31,000 + 74,000 x 0.05 = 34,700.
    Tolerance 1e-6 USD (a few products).
    """
    load = pd.Series(1000.0, index=pd.date_range("2025-01-16 01:00", "2025-02-01 00:00", freq="h", tz=NY))
    b = Tariff.from_urdb(_DAILY).bill(load)
    assert b.monthly.loc["2025-01", "days_billed"] == pytest.approx(16.0, abs=1e-12)
    assert b.energy_usd == pytest.approx(27_200.0, abs=TOL)
    # a fractional day: 16 Jan 12:00 onwards is 15.5 days -> 155,000 x 0.10 + (372,000 -
    # 155,000) x 0.05 = 15,500 + 10,850 = 26,350 USD
    assert Tariff.from_urdb(_DAILY).bill(load.iloc[12:]).energy_usd == pytest.approx(26_350.0, abs=TOL)
    # monthly (kWh) limits are not prorated: 300,000 kWh a month applies whole to the 16 days
    monthly = {**_DAILY, "energyratestructure": [[{"rate": 0.10, "max": 300_000}, {"rate": 0.05}]]}
    # 300,000 x 0.10 + 84,000 x 0.05 = 30,000 + 4,200 = 34,200 USD
    assert Tariff.from_urdb(monthly).bill(load).energy_usd == pytest.approx(34_200.0, abs=TOL)


def test_daily_tiers_of_a_whole_dst_month_use_its_calendar_days():
    """A whole March in New York has 743 hours (spring forward) but 31 days on the clock.

    Hand: limit 31 x 10,000 = 310,000 kWh at 0.10 = 31,000 + (743,000 - 310,000) x 0.05 =
    21,650 -> 52,650 USD, as SAM (no DST) bills a 31-day month; days_billed is 31 (it was
    743 / 24 = 30.958). Tolerance 1e-6 USD.
    """
    load = pd.Series(1000.0, index=pd.date_range("2025-03-01 01:00", "2025-04-01 00:00", freq="h", tz=NY))
    assert len(load) == 743
    b = Tariff.from_urdb(_DAILY).bill(load)
    assert b.monthly.loc["2025-03", "days_billed"] == pytest.approx(31.0, abs=1e-12)
    assert b.energy_usd == pytest.approx(52_650.0, abs=TOL)


def test_open_last_tier_without_unit_beside_daily_tiers_is_accepted():
    # a tier with no max has no limit to scale: its missing unit does not "mix units"; the bill
    # equals the one with the unit spelt out (27,200 USD by hand, see above)
    u = {**_DAILY, "energyratestructure": [[{"rate": 0.10, "max": 10_000, "unit": "kWh daily"}, {"rate": 0.05}]]}
    t = Tariff.from_urdb(u)
    assert t.energy_tier_unit == "kWh daily"
    load = pd.Series(1000.0, index=pd.date_range("2025-01-16 01:00", "2025-02-01 00:00", freq="h", tz=NY))
    assert t.bill(load).energy_usd == pytest.approx(27_200.0, abs=TOL)
    # an explicit other unit still mixes units
    bad = {**_DAILY, "energyratestructure": [[{"rate": 0.10, "max": 10_000, "unit": "kWh daily"},
                                              {"rate": 0.05, "unit": "kWh"}]]}
    # the message names both tiers and keeps the file's spelling of each unit
    with pytest.raises(InputError, match=r"^energyratestructure\[0\]\[1\]\.unit: tiers mix units: 'kWh daily' "
                                         r"\(energyratestructure\[0\]\[0\]\) and 'kWh' \(energyratestructure\[0\]\[1\]\); "
                                         r"use one unit throughout"):
        Tariff.from_urdb(bad)


# ---------------------------------------------------------------- black-box review: coincident peaks
_CP = {"coincidentratestructure": [[{"rate": 0.0}], [{"rate": 12.0}]],
       "coincidentrateschedule": [[1 if 14 <= h < 19 else 0 for h in range(24)] for _ in range(12)]}


def _july_15min():
    # 15-min July 2023 at 1000 kW; the hour ending 16:00 on 20 July reads 1000, 2000, 3000, 6000
    idx = pd.date_range("2023-07-01 00:15", "2023-08-01 00:00", freq="15min", tz=NY)
    load = pd.Series(1000.0, index=idx)
    peak = pd.Timestamp("2023-07-20 16:00", tz=NY)
    load.loc[[peak - pd.Timedelta(f"{m}min") for m in (45, 30, 15, 0)]] = [1000.0, 2000.0, 3000.0, 6000.0]
    return load, peak


def test_coincident_demand_is_the_mean_over_the_system_peak_hour():
    load, peak = _july_15min()
    t = Tariff.from_urdb(_CP)
    # hand: hour 15:00-16:00 (period 1, 12 $/kW): mean (1000+2000+3000+6000)/4 = 3000 kW -> 36,000 USD
    # (the single 15-min interval ending 16:00 billed 6000 kW -> 72,000 USD before)
    assert t.bill(load, coincident_peaks=[peak]).demand_usd == pytest.approx(36_000.0, abs=TOL)
    # a 15-min system-peak interval: 6000 x 12 = 72,000; 30 min: (3000 + 6000) / 2 x 12 = 54,000
    assert t.bill(load, coincident_peaks=[peak], coincident_interval="15min").demand_usd == pytest.approx(
        72_000.0, abs=TOL)
    assert t.bill(load, coincident_peaks=[peak], coincident_interval="30min").demand_usd == pytest.approx(
        54_000.0, abs=TOL)
    # an hourly load with a 15-min interval takes the hour containing it (as with_4cp): 1000 x 12
    hourly = pd.Series(1000.0, index=pd.date_range("2023-07-01 01:00", "2023-08-01 00:00", freq="h", tz=NY))
    stamp = pd.Timestamp("2023-07-20 15:45", tz=NY)
    assert t.bill(hourly, coincident_peaks=[stamp], coincident_interval="15min").demand_usd == pytest.approx(
        12_000.0, abs=TOL)
    # a window that spans two load intervals has no mean the load can give: an error (a 60-min
    # peak ending 17:30 on hourly ends was billed on the hour ending 18:00, after the peak)
    with pytest.raises(InputError, match=r"coincident_peaks\[0\]: the 60 min interval ending at system peak "
                                         r"2023-07-20 17:30:00-04:00 spans two load intervals \(ending "
                                         r"2023-07-20 17:00:00-04:00 and 2023-07-20 18:00:00-04:00\)"):
        t.bill(hourly, coincident_peaks=[pd.Timestamp("2023-07-20 17:30", tz=NY)])
    with pytest.raises(InputError, match=r"the 15 min interval ending at system peak 2023-07-20 17:10:00-04:00 spans"):
        t.bill(hourly, coincident_peaks=[pd.Timestamp("2023-07-20 17:10", tz=NY)], coincident_interval="15min")


def test_coincident_peak_outside_the_load_is_an_error_not_zero():
    load, peak = _july_15min()
    t = Tariff.from_urdb(_CP)
    aug = pd.Timestamp("2023-08-10 16:00", tz=NY)  # after the load: was skipped, billing 0 USD
    with pytest.raises(InputError, match=r"coincident_peaks\[1\]: system peak 2023-08-10 16:00:00-04:00 is outside "
                                         r"the load's time span \(the load covers 2023-07-01 00:00:00-04:00 to "
                                         r"2023-08-01 00:00:00-04:00\)"):
        t.bill(load, coincident_peaks=[peak, aug])
    first = pd.Timestamp("2023-07-01 00:30", tz=NY)  # its hour starts before the load
    with pytest.raises(InputError, match=r"the 60 min interval ending at system peak 2023-07-01 00:30:00-04:00 "
                                         r"starts before the load"):
        t.bill(load, coincident_peaks=[first])
    with pytest.raises(InputError, match=r"coincident_interval: 20 min is not a multiple of the load step 15 min"):
        t.bill(load, coincident_peaks=[peak], coincident_interval="20min")
    with pytest.raises(InputError, match=r"coincident_interval: not a duration: 'hourly'"):
        t.bill(load, coincident_peaks=[peak], coincident_interval="hourly")


def test_by_year_coincident_peaks_go_to_their_own_year():
    # July 2023 and July 2024 peaks (7000 kW in their hour, hourly load, 2000 kW otherwise): each
    # year's bill gets its own (by hand 7000 x 12 = 84,000 USD a year, 168,000 USD); before,
    # the other year's peak was skipped silently, now a stamp outside a year's load is an error
    idx = pd.date_range("2023-01-01 01:00", "2025-01-01 00:00", freq="h", tz=NY)
    load = pd.Series(2000.0, index=idx)
    peaks = [pd.Timestamp("2023-07-20 16:00", tz=NY), pd.Timestamp("2024-07-18 16:00", tz=NY)]
    load.loc[peaks] = 7000.0
    t = Tariff.from_urdb(_CP)
    b = Tariff.by_year({2023: t, 2024: t}).bill(load, coincident_peaks=peaks)
    assert b.demand_usd == pytest.approx(168_000.0, abs=TOL)
    assert b.demand_usd == pytest.approx(t.bill(load, coincident_peaks=peaks).demand_usd, abs=TOL)


@pytest.mark.parametrize("w", [0, -5, 0.0])
def test_demand_window_zero_or_negative_says_the_same_rule(w):
    # -5 said "must be >= 0.0" and 0 then "must be > 0": one rule, stated once
    with pytest.raises(InputError, match=rf"demandwindow: must be > 0 minutes, got {w!r}$"):
        Tariff.from_urdb({**_FLAT, "demandwindow": w})


def test_an_ignore_entry_must_name_something_of_the_item():
    # a typo in ignore ignored nothing, silently; now it is named, with the item's nearest key
    with pytest.raises(InputError, match=r"ignore: ignore names 'demandrateunits', which is not in this tariff "
                                         r"item \(did you mean 'demandrateunit'\?\)"):
        Tariff.from_urdb({**_TOU_DEMAND, "demandrateunit": "kW"}, ignore=["demandrateunits"])
    # a key of the item, and a structure's tier unit (also per tier), are accepted
    Tariff.from_urdb({**_TOU_DEMAND, "demandrateunit": "kVA"}, ignore=["demandrateunit"])
    kva = {**_TOU_DEMAND, "demandratestructure": [[{"rate": 10.0, "unit": "kVA"}]]}
    for name in ("demandratestructure.unit", "demandratestructure[0][0].unit"):
        assert Tariff.from_urdb(kva, ignore=[name]).bill(_jan_2023()).demand_usd == pytest.approx(10_000.0)


def test_two_items_with_the_label_asked_for_is_an_error_not_the_first():
    one = {"label": "LGS", "energyratestructure": [[{"rate": 0.10}]],
           "energyweekdayschedule": [[0] * 24] * 12, "energyweekendschedule": [[0] * 24] * 12}
    two = {**one, "energyratestructure": [[{"rate": 0.20}]]}
    with pytest.raises(InputError, match=r"label: 2 items have label 'LGS' \(items 0, 1\); give each item its "
                                         r"own label"):
        Tariff.from_urdb({"items": [one, two]}, label="LGS")
    assert Tariff.from_urdb({"items": [one, {**two, "label": "LGS-2"}]}, label="LGS-2").bill(
        _jan_2023()).energy_usd == pytest.approx(0.20 * 1000 * 744)


def test_ignore_of_a_tier_unit_in_any_case_of_the_structure_key():
    # a file spelling its keys in CamelCase: the lower-case form the error suggests, and the file's
    # own spelling, both bill the kVA tier as kW (the check refused the first, the parser the second)
    kva = {"DemandRateStructure": [[{"rate": 10.0, "unit": "kVA"}]],
           "DemandWeekdaySchedule": [[0] * 24] * 12, "DemandWeekendSchedule": [[0] * 24] * 12}
    for name in ("demandratestructure.unit", "DemandRateStructure.unit", "DemandRateStructure[0][0].unit"):
        assert Tariff.from_urdb(kva, ignore=[name]).bill(_jan_2023()).demand_usd == pytest.approx(10_000.0), name
    with pytest.raises(InputError, match=r"ignore names 'demandratestructure\[0\].unit', which is not in this tariff"):
        Tariff.from_urdb(kva, ignore=["demandratestructure[0].unit"])   # a period-level form no parser uses


def test_a_charge_given_as_null_is_billed_as_none_and_the_bill_says_so(tmp_path):
    # a CLI tester's finding: Duke's file with "fixedchargefirstmeter": null billed 4,200 USD a year less (its 350
    # $/month) with no word; a null field is read as not given (as URDB omits one), and the bill's notes say so
    import json

    from conftest import DATA
    d = json.loads((DATA / "tariffs" / "duke-nc-opt-tou.json").read_text())
    item = d["items"][0] if isinstance(d, dict) and "items" in d else (d[0] if isinstance(d, list) else d)
    assert (item["fixedchargefirstmeter"], item["fixedchargeunits"]) == (350.0, "$/month")
    item["fixedchargefirstmeter"] = None
    (f := tmp_path / "duke_null.json").write_text(json.dumps(d))
    idx = pd.date_range("2025-01-01 01:00", periods=24 * 31, freq="h", tz="America/New_York")
    load = pd.Series(1000.0, index=idx)
    full = Tariff.from_urdb(DATA / "tariffs" / "duke-nc-opt-tou.json").bill(load)
    b = Tariff.from_urdb(f).bill(load)
    assert full.total_usd - b.total_usd == pytest.approx(350.0, abs=1e-9)  # January's fixed charge
    note = "fixedchargefirstmeter: null in the file, read as not given: no such charge is billed"
    assert note in b.notes and note not in full.notes
