"""Per-day fixed and minimum charges (URDB ``fixedchargeunits`` / ``minchargeunits`` "$/day") are billed x the
days of each billing month, as a utility bills them (dcplan.tariff, Fixed charges), not x 365/12 = 30.42 days
every month (SAM's rule, dcplan's before): hand bills, to 1e-9 USD (sums of a few products of round numbers)."""
import numpy as np
import pandas as pd
import pytest

from dcplan.tariff import Tariff

TOL = 1e-9


def _item(**kw) -> dict:
    zero = [[0] * 24 for _ in range(12)]
    return {"label": "t", "energyratestructure": [[{"rate": 0.1}]], "energyweekdayschedule": zero,
            "energyweekendschedule": [r[:] for r in zero], **kw}


def _load(start: str, end: str, kw: float = 1000.0, tz: str = "America/Chicago") -> pd.Series:
    """Hourly kW, interval-ending labels: the hours from ``start`` to ``end``."""
    return pd.Series(kw, index=pd.date_range(start, end, freq="h", tz=tz, inclusive="right"))


def test_a_per_day_fixed_charge_bills_each_months_own_days_in_a_leap_year():
    # 10 $/day over 2024 (a leap year): January 31 x 10 = 310, February 29 x 10 = 290, ...; the year 366 x 10
    # = 3,660 USD (365/12 every month: 304.17 a month, 3,650 a year)
    b = Tariff.from_urdb(_item(fixedchargefirstmeter=10.0, fixedchargeunits="$/day")).bill(
        _load("2024-01-01", "2025-01-01"))
    days = [31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31]
    np.testing.assert_allclose(b.monthly["fixed_usd"].to_numpy(), [10.0 * d for d in days], rtol=0, atol=TOL)
    assert b.fixed_usd == pytest.approx(3660.0, abs=TOL)
    line = b.breakdown.query("charge == 'customer_charge'")
    assert set(line["unit"]) == {"day"} and line["quantity"].tolist() == days


def test_a_per_day_fixed_charge_bills_only_the_days_a_part_month_covers():
    # a load from 16 January 2025 (local clock): January bills 16 days, 160 USD, as its energy (16 d x 24 h
    # x 1,000 kW x 0.1 $/kWh = 38,400 USD); February 28 d, 280; March 31 d (across the DST change), 310
    b = Tariff.from_urdb(_item(fixedchargefirstmeter=10.0, fixedchargeunits="$/day")).bill(
        _load("2025-01-16", "2025-04-01"))
    np.testing.assert_allclose(b.monthly["fixed_usd"].to_numpy(), [160.0, 280.0, 310.0], rtol=0, atol=TOL)
    assert b.monthly["energy_usd"].iloc[0] == pytest.approx(38_400.0, abs=1e-6)
    # billed as used, as energy: no partial-month caveat (a $/month charge still has one)
    assert not any(n.startswith("the load covers") for n in b.notes)
    monthly = Tariff.from_urdb(_item(fixedchargefirstmeter=300.0, fixedchargeunits="$/month")).bill(
        _load("2025-01-16", "2025-04-01"))
    assert monthly.monthly["fixed_usd"].iloc[0] == pytest.approx(300.0, abs=TOL)
    assert any(n.startswith("the load covers 2025-01 (16 of 31 days)") for n in monthly.notes)


def test_a_per_day_minimum_charge_is_the_rate_times_the_months_days():
    # 1,000 $/day minimum on 1 kW (74.40 USD of energy in January): January's bill is raised to 31,000 USD,
    # February's (67.20 USD of energy) to 28,000 USD
    b = Tariff.from_urdb(_item(mincharge=1000.0, minchargeunits="$/day")).bill(
        _load("2025-01-01", "2025-03-01", kw=1.0))
    np.testing.assert_allclose(b.monthly["total_usd"].to_numpy(), [31_000.0, 28_000.0], rtol=0, atol=1e-6)
    np.testing.assert_allclose(b.monthly["minimum_usd"].to_numpy(), [31_000.0 - 74.4, 28_000.0 - 67.2],
                               rtol=0, atol=1e-6)


def test_a_per_day_fixed_charge_escalates_as_a_fixed_charge():
    # escalated 10 %/yr from 2024: 2025's January is 31 d x 10 $/day x 1.1 = 341 USD
    t = Tariff.from_urdb(_item(fixedchargefirstmeter=10.0, fixedchargeunits="$/day")).with_escalation(
        0.1, base_year=2024)
    b = t.bill(_load("2025-01-01", "2025-02-01"))
    assert b.fixed_usd == pytest.approx(341.0, abs=TOL)
