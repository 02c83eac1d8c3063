"""``Tariff.bill`` on a UTC-indexed load (:mod:`dcplan.tariff_clock`).

A tester billed APS E-32 TOU L on a Phoenix load as a library user: the local index gave
1,048,550 USD, the same load ``.tz_convert("UTC")`` 805,958 USD (-23 %), silently, while
``dcplan bill`` refuses UTC timestamps without ``--tz``. URDB schedules are local clock hours.
"""
from __future__ import annotations

import datetime as dt
import json

import numpy as np
import pandas as pd
import pytest

from dcplan.errors import InputError
from dcplan.tariff import Tariff
from dcplan.tariff_clock import is_utc_clock
from tests.conftest import DATA

APS = DATA / "tariffs" / "aps-az-e32-tou-l.json"
PHX = "America/Phoenix"  # MST all year (UTC-7, no daylight saving)


def _aps_load() -> pd.Series:
    """2025, hourly interval ends in Phoenix: 2,000 kW in the hours starting 15-19 h local (labels
    16-20 h, APS's on-peak 3-8 pm), 1,000 kW in every other hour."""
    idx = pd.date_range("2025-01-01 01:00", periods=8760, freq="h", tz=PHX)
    start_h = (idx - pd.Timedelta("1h")).hour
    return pd.Series(np.where((start_h >= 15) & (start_h <= 19), 2000.0, 1000.0), index=idx, name="load_kw")


def _aps_by_hand() -> dict:
    """The APS bill of :func:`_aps_load` from the JSON, by hand.

    Schedules (data/tariffs/aps-az-e32-tou-l.json): weekdays, hours 15-19 are on-peak (periods 1
    in May-Oct, 3 in the other months), every other hour and all weekend off-peak (0 / 2). Rates
    [$/kWh]: summer off 0.06334, on 0.07741; winter off 0.04267, on 0.05215. A weekday: 5 h x
    2,000 kW = 10,000 kWh on-peak, 19 h x 1,000 kW = 19,000 kWh off-peak; a weekend day 29,000 kWh
    off-peak. Demand: on-peak period 18.941 $/kW on the month's on-peak peak, 2,000 kW: 12 x 2,000
    x 18.941 = 454,584 USD. Fixed 3.307 $/day x 365 days (2025) = 1,207.055 USD. Weekdays
    per month counted with numpy's business-day calendar (Mon-Fri), no holidays (the file has none).
    """
    item = json.loads(APS.read_text())
    rate = [r[0]["rate"] for r in item["energyratestructure"]]
    energy = 0.0
    for m in range(1, 13):
        first = np.datetime64(f"2025-{m:02d}-01")
        nxt = np.datetime64(f"2025-{m + 1:02d}-01") if m < 12 else np.datetime64("2026-01-01")
        wd = int(np.busday_count(first, nxt))
        we = int((nxt - first).astype(int)) - wd
        off, on = (rate[0], rate[1]) if 5 <= m <= 10 else (rate[2], rate[3])
        energy += wd * (10_000 * on + 19_000 * off) + we * 29_000 * off
    demand = 12 * 2000 * item["demandratestructure"][1][0]["rate"]
    fixed = item["fixedchargefirstmeter"] * 365
    return {"energy": energy, "demand": demand, "fixed": fixed, "total": energy + demand + fixed}


def test_aps_bill_on_the_local_clock_matches_the_hand_calculation():
    """Tolerance 1e-6 USD: sums of 8,760 products of round numbers."""
    want = _aps_by_hand()
    assert want["demand"] == pytest.approx(454_584.0, abs=1e-9)
    b = Tariff.from_urdb(APS).bill(_aps_load())
    assert b.energy_usd == pytest.approx(want["energy"], abs=1e-6)
    assert b.demand_usd == pytest.approx(want["demand"], abs=1e-6)
    assert b.total_usd == pytest.approx(want["total"], abs=1e-6)
    assert b.total_usd == pytest.approx(1_048_549.725, abs=0.01)  # the tester's local-index figure


def test_a_utc_index_is_refused_naming_the_argument_the_zone_and_both_ways_out():
    t = Tariff.from_urdb(APS)
    utc = _aps_load().tz_convert("UTC")
    with pytest.raises(InputError) as ei:
        t.bill(utc)
    e = ei.value
    assert e.field == "load_kw.index"
    assert "the index is in UTC," in e.detail and "(UTC)" not in e.detail  # the zone seen, said once
    assert "energy charges (by hour and weekday)" in e.detail and "TOU demand charges" in e.detail
    # the two ways out, on the caller's argument and the site's own zone: no zone guessed. Was
    # ".tz_convert('America/Phoenix')" whatever the tariff: followed for a Duke NC load it billed 3,676,616 USD
    # instead of 3,671,166, silently (a verifier's finding)
    assert "load_kw.tz_convert(site.timezone)" in e.detail and "tz='UTC'" in e.detail
    assert "America/" not in e.detail


def test_the_refusal_names_the_argument_the_index_came_in_and_a_named_utc_zone():
    """An array load with index=: the argument is ``index``; a zone named other than "UTC" is given with
    what it is (Etc/GMT (UTC))."""
    t = Tariff.from_urdb(APS)
    load = _aps_load()
    with pytest.raises(InputError) as ei:
        t.bill(load.to_numpy(), index=load.index.tz_convert("UTC"))
    assert ei.value.field == "index" and "index.tz_convert(site.timezone)" in ei.value.detail
    assert "load_kw" not in ei.value.detail
    with pytest.raises(InputError, match=r"the index is in Etc/GMT \(UTC\),"):
        t.bill(pd.Series(load.to_numpy(), index=load.index.tz_convert("Etc/GMT")))


@pytest.mark.parametrize("zone", ["UTC", "Etc/UTC", "Etc/GMT", dt.timezone.utc, dt.timezone(dt.timedelta(0))])
def test_every_spelling_of_utc_is_refused(zone):
    load = _aps_load()
    idx = load.index.tz_convert(zone)
    with pytest.raises(InputError, match="tz='UTC'"):
        Tariff.from_urdb(APS).bill(pd.Series(load.to_numpy(), index=idx))


def test_tz_bills_on_that_clock():
    """``tz=PHX`` converts the UTC index back: the local bill exactly. ``tz="UTC"``: the bill runs on
    UTC, so APS's on-peak hours 15-19 are 08-12 MST, where the load is 1,000 kW: demand by hand
    12 x 1,000 x 18.941 = 227,292 USD (half the local clock's)."""
    t = Tariff.from_urdb(APS)
    local = t.bill(_aps_load())
    utc = _aps_load().tz_convert("UTC")
    assert t.bill(utc, tz=PHX).total_usd == pytest.approx(local.total_usd, abs=1e-6)
    on_utc = t.bill(utc, tz="UTC")
    assert on_utc.demand_usd == pytest.approx(12 * 1000 * 18.941, abs=1e-6)
    assert on_utc.total_usd < local.total_usd  # the tester's 805,958 against 1,048,550 USD
    with pytest.raises(InputError, match="unknown time zone 'Mars/Base'") as ei:
        t.bill(utc, tz="Mars/Base")
    assert ei.value.field == "tz"


def test_a_flat_tariff_keeps_billing_utc_and_a_by_year_tariff_takes_tz():
    """No charge by hour: a UTC index bills as before. Hand: January 2025 on UTC, 744 h x 100 kW x
    0.10 = 7,440 USD energy, 100 kW x 10 = 1,000 USD demand."""
    idx = pd.date_range("2025-01-01 01:00", "2025-02-01 00:00", freq="h", tz="UTC")
    b = Tariff.flat(0.10, demand_usd_per_kw=10.0).bill(pd.Series(100.0, index=idx))
    assert b.energy_usd == pytest.approx(7440.0, abs=1e-9) and b.demand_usd == pytest.approx(1000.0, abs=1e-9)
    # a tariff per year: the same refusal and the same tz=
    t = Tariff.from_urdb(APS)
    yt = Tariff.by_year({2025: t})
    utc = _aps_load().tz_convert("UTC")
    with pytest.raises(InputError, match="tz='UTC'"):
        yt.bill(utc)
    assert yt.bill(utc, tz=PHX).total_usd == pytest.approx(t.bill(_aps_load()).total_usd, abs=1e-6)


def test_periods_with_the_same_rates_are_no_clock_dependence():
    """Two energy periods at one rate (and equal demand periods) bill the same at every hour: UTC
    is accepted. Hand: 744 h x 10 kW x 0.05 = 372 USD."""
    t = Tariff.tou(0.05, [{"name": "same", "usd_per_kwh": 0.05, "hours": [14, 15]}])
    idx = pd.date_range("2025-01-01 01:00", "2025-02-01 00:00", freq="h", tz="UTC")
    assert t.bill(pd.Series(10.0, index=idx)).energy_usd == pytest.approx(372.0, abs=1e-9)


def test_is_utc_clock_tells_utc_from_places_at_zero_offset():
    from zoneinfo import ZoneInfo
    assert is_utc_clock(ZoneInfo("UTC")) and is_utc_clock(ZoneInfo("Etc/UTC"))
    assert is_utc_clock(dt.timezone.utc)
    assert is_utc_clock(pd.to_datetime(["2025-01-01T00:00Z"], utc=True).tz)
    # a place whose clock is UTC+0 is a local clock; so is a fixed non-zero offset
    assert not is_utc_clock(ZoneInfo("Africa/Abidjan")) and not is_utc_clock(ZoneInfo("Europe/London"))
    assert not is_utc_clock(dt.timezone(dt.timedelta(hours=-7))) and not is_utc_clock(None)
