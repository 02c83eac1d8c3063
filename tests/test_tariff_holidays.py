"""dcplan.tariff_holidays: holiday date rules, and bills that price those days off-peak.

Expected dates are calendar facts (weekdays of the Gregorian calendar, checkable with
``cal 11 2025``); Easter is checked against dateutil's independent implementation.
Expected bills are hand arithmetic on the bundled Duke-modeled tariff
(data/tariffs/duke-nc-opt-tou.json: Oct-May on-peak Mon-Fri 6 am-1 pm at 0.0680 $/kWh,
every other hour 0.0495 $/kWh; winter on-peak demand 9.80 $/kW, flat demand 3.63 $/kW).
The holiday lists here are test fixtures, not sourced utility lists (data/SOURCES.md).
"""
from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path

import pandas as pd
import pytest

from dcplan.errors import InputError
from dcplan.tariff import Tariff
from dcplan.tariff_holidays import HolidayCalendar, HolidayRule, easter

DUKE = Path(__file__).resolve().parent.parent / "data" / "tariffs" / "duke-nc-opt-tou.json"
TOL = 1e-6  # $: sums of a few hundred exact products, float rounding only
ON, OFF = 0.0680, 0.0495  # $/kWh, duke-nc-opt-tou.json periods 1 and 0

THANKSGIVING = {"name": "Thanksgiving Day", "rule": "4th Thu of Nov", "observed": "none"}
DAY_AFTER = {"name": "Day after Thanksgiving", "rule": "4th Thu of Nov +1"}


def duke(*holidays) -> Tariff:
    item = json.loads(DUKE.read_text())
    if holidays:
        item["dcplan_holidays"] = list(holidays)
    return Tariff.from_urdb(item)


def thanksgiving_week(kw: float = 1000.0) -> pd.Series:
    # Mon 24 Nov 2025 00:00 .. Sun 30 Nov 24:00, hourly, interval-ending labels (one billing month)
    idx = pd.date_range("2025-11-24 01:00", periods=168, freq="h", tz="America/New_York")
    return pd.Series(kw, index=idx, name="load_kw")


# ---------------------------------------------------------------- rules
@pytest.mark.parametrize("rule, year, expected", [
    ("4th Thu of Nov", 2025, dt.date(2025, 11, 27)),      # Thanksgiving 2025
    ("fourth thursday of november", 2026, dt.date(2026, 11, 26)),
    ("4th Thu of Nov +1", 2025, dt.date(2025, 11, 28)),   # day after Thanksgiving
    ("last Mon of May", 2025, dt.date(2025, 5, 26)),      # Memorial Day
    ("last Mon of May", 2026, dt.date(2026, 5, 25)),
    ("1st Mon of Sep", 2025, dt.date(2025, 9, 1)),        # Labor Day: the 1st is a Monday
    ("3rd Mon of Jan", 2025, dt.date(2025, 1, 20)),       # MLK Day
    ("Easter -2", 2025, dt.date(2025, 4, 18)),            # Good Friday 2025
    ("Easter -2", 2024, dt.date(2024, 3, 29)),            # Good Friday 2024
    ("Dec 25", 2025, dt.date(2025, 12, 25)),
    ("July 4", 2026, dt.date(2026, 7, 4)),
])
def test_rule_dates(rule, year, expected):
    assert HolidayRule("h", rule).date(year) == expected


def test_a_fifth_weekday_or_feb_29_the_year_lacks_is_skipped():
    assert HolidayRule("h", "5th Fri of Feb").dates(2025) == []   # Feb 2025 has 4 Fridays
    assert HolidayRule("h", "5th Thu of Feb").dates(2024) == [dt.date(2024, 2, 29)]
    assert HolidayRule("h", "Feb 29").dates(2025) == []


def test_easter_matches_dateutil():
    from dateutil.easter import easter as du_easter  # independent implementation (pandas dependency)
    assert all(easter(y) == du_easter(y) for y in range(1900, 2101))


@pytest.mark.parametrize("rule, observed, year, expected", [
    # 1 Jan 2022 was a Saturday: observed on Friday 31 Dec 2021 under the Sat->Fri rule
    ("Jan 1", "sat_fri_sun_mon", 2022, [dt.date(2022, 1, 1), dt.date(2021, 12, 31)]),
    ("Jan 1", "sun_mon", 2022, [dt.date(2022, 1, 1)]),          # Saturday: nothing moves
    # 4 Jul 2027 is a Sunday: observed on Monday 5 Jul under both rules
    ("Jul 4", "sun_mon", 2027, [dt.date(2027, 7, 4), dt.date(2027, 7, 5)]),
    ("Jul 4", "sat_fri_sun_mon", 2027, [dt.date(2027, 7, 4), dt.date(2027, 7, 5)]),
    ("Jul 4", "none", 2027, [dt.date(2027, 7, 4)]),
    ("Dec 25", "sat_fri_sun_mon", 2025, [dt.date(2025, 12, 25)]),  # a Thursday: not moved
])
def test_observed_weekday(rule, observed, year, expected):
    assert HolidayRule("h", rule, observed).dates(year) == expected


def test_calendar_includes_an_observed_day_in_the_year_before():
    cal = HolidayCalendar((HolidayRule("New Year's Day", "Jan 1", "sat_fri_sun_mon"),))
    assert dt.date(2021, 12, 31) in cal.dates(2021, 2021)   # from 1 Jan 2022 (a Saturday)
    t = cal.table(2022)
    assert list(t["holiday"]) == ["New Year's Day"] and t["observed_date"].iloc[0] == pd.Timestamp("2021-12-31")


@pytest.mark.parametrize("rule, match", [
    ("Foo 1", "cannot read 'Foo 1'"),
    ("4th Thx of Nov", "unknown weekday 'Thx' \\(did you mean 'thu'\\?\\)"),
    ("6th Mon of May", "use 1st..5th or last"),
    ("Feb 30", "Feb has no day 30"),
    ("Easter +", "cannot read"),
])
def test_bad_rule_says_what_is_allowed(rule, match):
    with pytest.raises(InputError, match=match):
        HolidayRule("h", rule)


@pytest.mark.parametrize("entries, field, match", [
    ({"name": "x"}, "dcplan_holidays", "must be a list"),
    ([{"name": "x"}], r"dcplan_holidays\[0\]\.rule", "needs a text 'rule'"),
    ([{"name": "x", "rule": "Jan 1", "observd": "none"}], r"dcplan_holidays\[0\]\.observd",
     "did you mean 'observed'"),
    ([{"name": "x", "rule": "Jan 1", "observed": "monday"}], r"dcplan_holidays\[0\]\.observed",
     "allowed: none, sat_fri_sun_mon, sun_mon"),
    ([{"name": "x", "rule": "Jan 32"}], r"dcplan_holidays\[0\]\.rule", "Jan has no day 32"),
    ([{"name": "x", "rule": "Jan 1"}, {"name": "x", "rule": "Jan 2"}], "dcplan_holidays", "listed twice"),
])
def test_bad_dcplan_holidays_name_the_field(entries, field, match):
    item = json.loads(DUKE.read_text())
    item["dcplan_holidays"] = entries
    with pytest.raises(InputError, match=match) as ei:
        Tariff.from_urdb(item)
    assert re.fullmatch(field, ei.value.field), ei.value.field


# ---------------------------------------------------------------- bills
def test_bundled_tariff_file_has_no_holidays():
    # data/SOURCES.md: no holiday list was found for the schedule this file is modeled on
    assert Tariff.from_urdb(DUKE).holidays is None


def test_thanksgiving_bills_off_peak_all_day():
    load = thanksgiving_week(1000.0)
    with_hol, without = duke(THANKSGIVING).bill(load), duke().bill(load)
    # without: 5 weekdays x 7 on-peak h = 35 h x 1000 kWh at ON, 133 h at OFF
    #   35,000 x 0.0680 + 133,000 x 0.0495 = 2,380.0 + 6,583.5 = 8,963.5
    assert without.energy_usd == pytest.approx(8963.5, abs=TOL)
    # Thanksgiving (Thu 27 Nov) off-peak: 28 h at ON, 140 h at OFF
    #   28,000 x 0.0680 + 140,000 x 0.0495 = 1,904.0 + 6,930.0 = 8,834.0
    assert with_hol.energy_usd == pytest.approx(8834.0, abs=TOL)
    # flat load: demand and fixed charges are the same either way
    assert with_hol.demand_usd == pytest.approx(without.demand_usd, abs=TOL)
    assert with_hol.fixed_usd == pytest.approx(without.fixed_usd, abs=TOL)


def test_day_after_thanksgiving_rule_adds_the_friday():
    # 21 on-peak h at ON, 147 h at OFF: 21,000 x 0.0680 + 147,000 x 0.0495 = 1,428.0 + 7,276.5
    bill = duke(THANKSGIVING, DAY_AFTER).bill(thanksgiving_week(1000.0))
    assert bill.energy_usd == pytest.approx(8704.5, abs=TOL)


def test_other_weekdays_keep_their_prices():
    idx = thanksgiving_week().index
    p_hol, p = duke(THANKSGIVING).energy_price(idx), duke().energy_price(idx)
    start = idx - pd.Timedelta("1h")
    thu = start.date == dt.date(2025, 11, 27)
    # Thanksgiving: every hour at the off-peak price
    assert (p_hol[thu] == OFF).all() and (p[thu & (start.hour >= 6) & (start.hour < 13)] == ON).all()
    # every other day of the week: unchanged, on-peak 6 am-1 pm on Mon-Wed and Fri
    pd.testing.assert_series_equal(p_hol[~thu], p[~thu])
    wed_10 = (start.date == dt.date(2025, 11, 26)) & (start.hour == 10)
    assert p_hol[wed_10].iloc[0] == ON


def test_a_peak_on_the_holiday_sets_no_on_peak_demand():
    load = thanksgiving_week(1000.0)
    load[pd.Timestamp("2025-11-27 11:00", tz="America/New_York")] = 2000.0  # Thu 10-11 am
    # without holidays: on-peak 2,000 kW x 9.80 + flat 2,000 kW x 3.63 = 19,600 + 7,260
    assert duke().bill(load).demand_usd == pytest.approx(26860.0, abs=TOL)
    # Thanksgiving off-peak: on-peak 1,000 kW x 9.80 + flat 2,000 kW x 3.63 = 9,800 + 7,260
    assert duke(THANKSGIVING).bill(load).demand_usd == pytest.approx(17060.0, abs=TOL)


def test_an_argument_overrides_the_file_calendar():
    load = thanksgiving_week(1000.0)
    item = json.loads(DUKE.read_text())
    item["dcplan_holidays"] = [THANKSGIVING]
    assert Tariff.from_urdb(item, holidays=[]).bill(load).energy_usd == pytest.approx(8963.5, abs=TOL)
    assert duke(THANKSGIVING).bill(load, holidays=[]).energy_usd == pytest.approx(8963.5, abs=TOL)


def test_calendar_cache_is_keyed_by_the_rules():
    # two bills on one index with different calendars must not share a cached calendar
    load = thanksgiving_week(1000.0)
    t = duke()
    a = HolidayCalendar.from_urdb([THANKSGIVING])
    b = HolidayCalendar.from_urdb([THANKSGIVING, DAY_AFTER])
    assert t.bill(load, holidays=a).energy_usd == pytest.approx(8834.0, abs=TOL)
    assert t.bill(load, holidays=b).energy_usd == pytest.approx(8704.5, abs=TOL)
    assert t.bill(load, holidays=HolidayCalendar.from_urdb([THANKSGIVING])).energy_usd == \
        pytest.approx(8834.0, abs=TOL)
