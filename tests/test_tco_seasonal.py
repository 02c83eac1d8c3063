"""Tests of the TCO's seasonal IT energy and water (TcoInputs.it_energy_month_frac, water_month_frac).

Hand values use the "bare" case of test_tco (every cost zero except those switched on): 1,000 kW
of IT all year, 8,760 MWh; water at 2 L/kWh and 1 USD/m3 is 17,520 USD a year.
"""
from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from dcplan import tco
from dcplan.errors import InputError
from dcplan.tco import TcoInputs, run_tco

from test_tco import bare_costs

DAYS = np.array([31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31], dtype=float)
WATER_USD_YR = 2.0 * 8760.0 * 1000.0 / 1000.0 * 1.0   # L/kWh x kWh / (1,000 L/m3) x USD/m3


def seasonal(horizon=2, fleet_start=None, **kw) -> TcoInputs:
    return TcoInputs(n_accelerators=10, it_capacity_kw=1000.0, it_energy_kwh=8760.0 * 1000.0,
                     utilization_frac=0.5, horizon_years=horizon, fleet_start=fleet_start,
                     costs=bare_costs(wue_l_per_kwh=2.0, water_usd_per_m3=1.0), **kw)


def test_months_take_their_calendar_share_and_years_keep_their_totals():
    # water all in July and August (hand: 60 % / 40 %), IT energy by days per month (a constant draw)
    water = [0.0] * 6 + [0.6, 0.4] + [0.0] * 4
    r = run_tco(seasonal(water_month_frac=water, it_energy_month_frac=DAYS), 0.0)
    m = r.monthly
    # undated: model month 0 is a January, so months 6 and 7 are July and August
    np.testing.assert_allclose(m["opex_water_usd"].iloc[[6, 7, 18, 19]],
                               [0.6 * WATER_USD_YR, 0.4 * WATER_USD_YR] * 2, rtol=1e-12)
    assert m["opex_water_usd"].drop(index=m.index[[6, 7, 18, 19]]).abs().max() == 0.0
    # February: 28 days of 1,000 kW = 672 MWh; January 744 MWh
    assert m["it_energy_mwh"].iloc[1] == pytest.approx(672.0, rel=1e-12)
    assert m["it_energy_mwh"].iloc[0] == pytest.approx(744.0, rel=1e-12)
    # a full year's totals are those of the flat (1/12) case
    flat = run_tco(seasonal(), 0.0).annual
    np.testing.assert_allclose(r.annual.loc[["opex_water_usd", "it_energy_mwh"]],
                               flat.loc[["opex_water_usd", "it_energy_mwh"]], rtol=1e-12)
    np.testing.assert_allclose(flat.loc["it_energy_mwh"], [8760.0] * 2, rtol=1e-12)


def test_a_dated_case_starts_in_its_calendar_month():
    # fleet from 2026-07 after no build: model month 0 is July, which has all the water; a partial
    # last year is not at issue (24 months: Jul 2026 .. Jun 2028, two Julys)
    water = [0.0] * 6 + [1.0] + [0.0] * 5
    r = run_tco(seasonal(fleet_start="2026-07-01", water_month_frac=water), 0.0)
    w = r.monthly["opex_water_usd"]
    assert str(r.calendar_months[0]) == "2026-07"
    np.testing.assert_allclose(w.iloc[[0, 12]], [WATER_USD_YR] * 2, rtol=1e-12)
    assert w.sum() == pytest.approx(2 * WATER_USD_YR, rel=1e-12)


def test_shares_are_normalised_and_reported_with_their_source():
    # 12 x 2 (sum 24) is the flat case
    inp = seasonal(water_month_frac=[2.0] * 12)
    assert inp.water_month_frac == pytest.approx((1 / 12,) * 12, rel=1e-15)
    rows = run_tco(inp, 0.0).assumptions.set_index("key")
    assert rows.loc["water_month07_frac", "value"] == pytest.approx(1 / 12, rel=1e-15)
    assert rows.loc["water_month07_frac", "status"] == "input"
    # IT energy not given: one row saying so
    assert rows.loc["it_energy_month_frac", "status"] == "not given"
    assert "a constant draw (each month its days / 365 of the year)" in rows.loc["it_energy_month_frac", "description"]
    # the bill is of the grid draw after on-site PV (the site chain's grid_kw), not of the facility load
    assert "grid draw" in rows.loc["electricity_typical_year_usd", "description"]


def test_month_shares_of_an_hourly_series():
    idx = pd.date_range("2021-01-01", periods=8760, freq="h", tz="America/Phoenix")
    s = tco.month_shares(pd.Series(1.0, idx))
    np.testing.assert_allclose(np.array(s) * 365, DAYS, rtol=1e-12)
    # one month only: the hours that start in July (labels 01:00 on 1 July .. 00:00 on 1 August)
    start = idx - pd.Timedelta(hours=1)
    one = tco.month_shares(pd.Series(np.where(start.month == 7, 2.0, 0.0), idx))
    assert one[6] == 1.0 and sum(one) == 1.0
    # the hour ending 00:00 on 1 February is January's, as the tariff bill counts it
    edge = pd.Series(np.where(idx == pd.Timestamp("2021-02-01 00:00", tz="America/Phoenix"), 1.0, 0.0), idx)
    assert tco.month_shares(edge)[0] == 1.0


def test_month_shares_of_a_leap_year_are_of_the_tcos_365_day_months():
    # an auditor's finding: a leap weather year (8,784 h, 29 Feb copied from 28 Feb) gave February 29/366 of
    # the year, while the TCO's February has 672 h (dcplan.tco_electricity.HOURS_BY_CALENDAR_MONTH): a
    # constant draw's February energy per hour came out (29/672) / (31/744) - 1 = 3.6 % above January's.
    # Without 29 Feb every month's energy per TCO hour is the same, 1/8,760 of the year (rel 1e-12: float sums)
    from dcplan.tco_electricity import HOURS_BY_CALENDAR_MONTH
    idx = pd.date_range("2028-01-01 01:00", periods=8784, freq="h", tz="America/Phoenix")
    s = np.array(tco.month_shares(pd.Series(1.0, idx)))
    assert s.sum() == pytest.approx(1.0, rel=1e-12)
    np.testing.assert_allclose(s / np.array(HOURS_BY_CALENDAR_MONTH), 1.0 / 8760.0, rtol=1e-12)
    # 29 Feb's own draw counts for nothing: 5 kW on that day only changes no share
    start = idx - pd.Timedelta(hours=1)
    bump = pd.Series(np.where((start.month == 2) & (start.day == 29), 5.0, 1.0), idx)
    np.testing.assert_allclose(tco.month_shares(bump), s, rtol=1e-12)


@pytest.mark.parametrize("bad, says", [
    ([1.0] * 11, "must be 12 numbers"),
    ([[1.0] * 12], "must be 12 numbers"),
    ("monthly", "must be 12 numbers"),
    ([1.0] * 11 + [-1.0], "month 12 is -1.0"),
    ([1.0] * 11 + [float("nan")], "month 12 is nan"),
    ([0.0] * 12, "all 12 months are 0"),
])
def test_bad_shares_are_named(bad, says):
    with pytest.raises(InputError, match="water_month_frac") as e:
        seasonal(water_month_frac=bad)
    assert says in str(e.value)


def test_month_shares_refuses_what_is_not_a_dated_series():
    with pytest.raises(InputError, match="DatetimeIndex"):
        tco.month_shares([1.0] * 12)
    idx = pd.date_range("2021-01-01 01:00", periods=8760, freq="h")
    with pytest.raises(InputError, match="not all 0"):
        tco.month_shares(pd.Series(0.0, idx))
    # half a year: July..December have no data, which is not a share of 0
    with pytest.raises(InputError, match=r"covers 6 calendar months, not months 7, 8, 9, 10, 11, 12; allowed: "
                                         r"a whole year"):
        tco.month_shares(pd.Series(1.0, idx[:4344]))
