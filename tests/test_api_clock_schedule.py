"""The scheduler and a tariff's prices on a UTC index (:func:`dcplan.tariff_clock.check_clock`).

A verifier scheduled on ``idx.tz_convert("UTC")`` under APS E-32 TOU L: ``schedule.optimize`` read
``Tariff.energy_price`` on UTC hours silently (the price of the hour ending 17:00 local read as 0.06334
$/kWh, the off-peak rate, instead of the on-peak 0.07741), solved the MILP on those prices, and only then
failed in the bill with advice (``tz='UTC'``) that optimize does not take. Now the same rule as the bill's
refuses the index before any solve, naming the argument ``index``, with the one way out the caller has.
"""
from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest

from dcplan import schedule, schedule_rolling
from dcplan.errors import InputError
from dcplan.tariff import Tariff
from tests.conftest import DATA

APS = DATA / "tariffs" / "aps-az-e32-tou-l.json"
PHX = "America/Phoenix"  # MST all year (UTC-7)


def _week() -> pd.DatetimeIndex:
    """Monday 7 July 2025, hourly interval ends 01:00 .. Thursday 00:00 in Phoenix (72 h, all weekdays)."""
    return pd.date_range("2025-07-07 01:00", periods=72, freq="h", tz=PHX)


def _jobs(idx):
    return [dict(name="a", energy_kwh=500.0, power_kw=100.0, earliest_start=idx[0] - pd.Timedelta("1h"),
                 deadline=idx[-1])]


def test_energy_price_is_the_local_clocks_and_a_utc_index_is_refused():
    """By hand from the JSON: July is summer (May-Oct); a weekday hour starting 16:00 local (label 17:00) is
    on-peak (hours 15-19), rate index 1 = 0.07741 $/kWh; the hour starting 09:00 is off-peak, index 0 =
    0.06334. On UTC the hour ending 17:00 local is the one ending 00:00 UTC, read as off-peak 0.06334,
    silently; now refused. Tolerance: exact JSON figures, 1e-12."""
    rates = [r[0]["rate"] for r in json.loads(APS.read_text())["energyratestructure"]]
    assert (rates[0], rates[1]) == (0.06334, 0.07741)
    t = Tariff.from_urdb(APS)
    idx = _week()
    p = t.energy_price(idx)
    assert p[pd.Timestamp("2025-07-07 17:00", tz=PHX)] == pytest.approx(rates[1], abs=1e-12)
    assert p[pd.Timestamp("2025-07-07 10:00", tz=PHX)] == pytest.approx(rates[0], abs=1e-12)
    utc = idx.tz_convert("UTC")
    for f in (t.energy_price, t.demand_period):
        with pytest.raises(InputError) as ei:
            f(utc)
        e = ei.value
        assert e.field == "index" and "index.tz_convert(site.timezone)" in e.detail
        assert "tz=" not in e.detail  # energy_price / demand_period take no tz=
    # a flat tariff's price does not depend on the hour: a UTC index is priced as before (0.10 every hour)
    assert (Tariff.flat(0.10).energy_price(utc) == 0.10).all()


@pytest.fixture
def no_solve(monkeypatch):
    """The MILP solver replaced by a failure: a refusal must come before any solve."""
    def boom(*a, **k):
        raise AssertionError("solved before the index was checked")
    monkeypatch.setattr(schedule, "solve", boom)
    monkeypatch.setattr(schedule_rolling, "solve", boom)


def _refused(call):
    with pytest.raises(InputError) as ei:
        call()
    e = ei.value
    assert e.field == "index", e.field
    assert "the index is in UTC," in e.detail and "energy charges (by hour and weekday)" in e.detail
    assert "index.tz_convert(site.timezone)" in e.detail
    assert "tz='UTC'" not in e.detail  # optimize takes no tz=: not offered
    return e


def test_optimize_optimize_each_and_rolling_horizon_refuse_a_utc_index_before_any_solve(no_solve):
    aps = Tariff.from_urdb(APS)
    idx = _week()
    utc = idx.tz_convert("UTC")
    jobs = _jobs(idx)
    _refused(lambda: schedule.optimize(jobs, utc, tariff=aps))
    _refused(lambda: schedule.optimize_each([{"jobs": jobs}, {"jobs": jobs, "tariff": aps}], utc))
    _refused(lambda: schedule.optimize_each([{"jobs": jobs}], utc, tariff=aps))
    _refused(lambda: schedule_rolling.rolling_horizon(jobs, utc, tariff=aps, commit="1D", lookahead="1D"))


def test_a_local_index_schedules_and_explicit_prices_on_utc_stay_allowed():
    """The same instants on the local clock schedule; explicit prices without a tariff are on the caller's own
    clock: accepted. By hand: one 500 kWh job at up to 100 kW over 72 h, the price 0.05 $/kWh in even UTC hours
    and 0.10 in odd ones: the optimized schedule runs in the 0.05 hours, 500 x 0.05 = 25.00 USD (1e-6)."""
    aps = Tariff.from_urdb(APS)
    idx = _week()
    r = schedule.optimize(_jobs(idx), idx.tz_convert("UTC").tz_convert(PHX), tariff=aps)
    assert r.costs.at["optimized", "bill_total_usd"] > 0
    utc = idx.tz_convert("UTC")
    price = pd.Series(np.where(utc.hour % 2 == 0, 0.05, 0.10), index=utc)
    r2 = schedule.optimize(_jobs(idx), utc, price_usd_per_kwh=price)
    assert r2.costs.at["optimized", "energy_usd"] == pytest.approx(500 * 0.05, abs=1e-6)
