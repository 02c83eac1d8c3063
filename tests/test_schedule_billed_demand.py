"""ScheduleResult.savings: the saving's energy and demand parts, and the billed demand it reduces.

The off-peak notebook's week (phoenix-az, APS E-32 TOU-L: demand billed on weekday on-peak hours
of the grid import) published a 27,423 USD saving that was 27,045 USD of one whole month's demand
charge, and a -99 kW "peak reduction" of the all-hours site load while the billed demand fell
1,428 kW. Now the saving is split and the billed demand's reduction is a figure of its own.
"""
from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from dcplan import schedule as S
from dcplan.tariff import Tariff

TZ = "America/Phoenix"
PEAK = list(range(14, 20))  # start hours 14-19: 0.20 $/kWh and the 10 $/kW demand charge


def _day():
    idx = pd.date_range("2025-07-15 01:00", periods=24, freq="h", tz=TZ)
    t = Tariff.tou(0.10, [{"name": "peak", "usd_per_kwh": 0.20, "hours": PEAK, "days": "all"}])
    t = t.with_demand_charge(10.0, hours=PEAK, name="on_peak")  # TOU demand only: no all-hours charge
    # one job: 300 kW for 2 h (600 kWh), released 13:00, due at midnight
    job = {"name": "a", "energy_kwh": 600.0, "power_kw": 300.0,
           "earliest_start": pd.Timestamp("2025-07-15 13:00", tz=TZ), "deadline": pd.Timestamp("2025-07-16 00:00", tz=TZ)}
    return S.optimize([job], idx, tariff=t, base_it_kw=100.0, pue=1.0), t


def test_savings_split_energy_and_demand_and_reduce_the_billed_demand():
    r, t = _day()
    sv = r.savings
    # by hand. run-ASAP: the job at 13:00-15:00, site 400 kW; 14:00-15:00 is on-peak, so the on-peak
    # demand billed is 400 kW. Optimized: the job in two off-peak hours (20:00 on), on-peak only the
    # 100 kW base. Site peaks 400 kW both (all hours).
    assert r.costs.at["asap", "billed_demand_kw"] == pytest.approx(400.0, abs=1e-6)
    assert r.costs.at["optimized", "billed_demand_kw"] == pytest.approx(100.0, abs=1e-6)
    assert sv["billed_demand_reduction_kw"] == pytest.approx(300.0, abs=1e-6)
    assert sv["peak_reduction_kw"] == pytest.approx(0.0, abs=1e-6)  # the site peak: not what is billed
    # energy: ASAP's job 300 kWh at 0.10 + 300 kWh at 0.20 = 90 USD, optimized 600 kWh at 0.10 = 60 USD
    # (the base load costs both the same): 30 USD. Demand: the whole month's charge, 10 $/kW x (400 - 100)
    # kW = 3,000 USD. abs 1e-6: float sums of a day
    assert sv["vs_asap_energy_usd"] == pytest.approx(30.0, abs=1e-6)
    assert sv["vs_asap_demand_usd"] == pytest.approx(3000.0, abs=1e-6)
    assert sv["vs_asap_usd"] == pytest.approx(3030.0, abs=1e-6)
    # the bill's own columns agree: the on-peak period's billing demand
    m = r.bills["asap"].monthly.loc["2025-07"]
    assert m["tou_billing_demand_on_peak_kw"] == pytest.approx(400.0, abs=1e-6) and np.isnan(m["billing_demand_kw"])


def test_billed_demand_is_nan_without_a_tariff_and_counts_only_priced_charges():
    idx = pd.date_range("2025-07-15 01:00", periods=4, freq="h", tz=TZ)
    job = {"name": "a", "energy_kwh": 100.0, "power_kw": 100.0, "earliest_start": idx[0] - pd.Timedelta("1h"),
           "deadline": idx[-1]}
    r = S.optimize([job], idx, price_usd_per_kwh=0.1, demand_charges=5.0, base_it_kw=50.0)
    assert np.isnan(r.costs.at["optimized", "billed_demand_kw"]) and np.isnan(r.savings["billed_demand_reduction_kw"])
    # a TOU tariff whose only demand period is priced at 0 $/kW bills no demand: NaN, not its peak
    t = Tariff.flat(0.1).with_demand_charge(0.0, hours=PEAK)
    load = pd.Series(100.0, index=pd.date_range("2025-07-01 01:00", periods=48, freq="h", tz=TZ))
    assert np.isnan(S.billed_demand_kw(t.bill(load)))
    # a flat charge: the month's highest kW, 250 (hand: the one 250 kW hour)
    load.iloc[5] = 250.0
    assert S.billed_demand_kw(Tariff.flat(0.1).with_demand_charge(4.0).bill(load)) == pytest.approx(250.0, abs=1e-9)
