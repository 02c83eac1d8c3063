"""The demand-window note's dollars (dcplan.site_bill.excess_demand_usd) count each TOU demand period
priced that month on the excess in its own peak hour, not only the period of the month's peak hour."""
from __future__ import annotations

import json

import pandas as pd
import pytest

from dcplan import site_bill
from dcplan.tariff import Tariff

NY = "America/New_York"
ZERO = [[0] * 24 for _ in range(12)]
ONPEAK = [[1 if 15 <= h < 20 else 0 for h in range(24)] for _ in range(12)]  # period 1: 15:00-20:00


def _case(tmp_path):
    # all-hours 10 $/kW; TOU demand 5 $/kW off-peak (period 0), 20 $/kW on-peak (period 1, 15:00-20:00).
    # July: 500 kW, the month's peak 1,000 kW in the off-peak hour 02:00-03:00 of the 21st, on-peak's own
    # peak 800 kW in the hour 16:00-17:00 of the 21st
    f = tmp_path / "t.json"
    f.write_text(json.dumps({"label": "t", "energyratestructure": [[{"rate": 0.05}]],
                             "energyweekdayschedule": ZERO, "energyweekendschedule": ZERO,
                             "flatdemandstructure": [[{"rate": 10.0}]], "flatdemandmonths": [0] * 12,
                             "demandratestructure": [[{"rate": 5.0}], [{"rate": 20.0}]],
                             "demandweekdayschedule": ONPEAK, "demandweekendschedule": ONPEAK}))
    t = Tariff.from_urdb(str(f))
    idx = pd.date_range("2025-07-01 01:00", "2025-08-01 00:00", freq="h", tz=NY)
    grid = pd.Series(500.0, index=idx)
    night, onpeak = pd.Timestamp("2025-07-21 03:00", tz=NY), pd.Timestamp("2025-07-21 17:00", tz=NY)
    grid[night], grid[onpeak] = 1000.0, 800.0
    excess = {night: 100.0, onpeak: 60.0}  # the 15-min means' excess over each hour's mean [kW]
    ev = {"max_excess_kw": 100.0, "max_excess_frac": 0.1, "month": "2025-07", "hour": night,
          "grid_kw": grid, "excess_at": lambda h: excess.get(h, 0.0)}
    return t, t.bill(grid), ev, night, onpeak


def test_each_priced_tou_period_is_counted_on_its_own_peak_hour(tmp_path):
    t, bill, ev, night, onpeak = _case(tmp_path)
    got = site_bill.excess_demand_usd(bill, t, ev)
    # hand: all hours 100 kW x 10 = 1,000 USD; off-peak (the peak hour's period) 100 kW x 5 = 500 USD;
    # on-peak, its own peak hour 16:00-17:00, 60 kW x 20 = 1,200 USD; 2,700 USD (the peak hour's periods
    # alone, as before: 1,500 USD)
    assert got["excess_usd"] == pytest.approx(2700.0)
    assert got["excess_parts"] == [("all hours", night, 100.0, pytest.approx(1000.0)),
                                   ("TOU period 0", night, 100.0, pytest.approx(500.0)),
                                   ("TOU period 1", onpeak, 60.0, pytest.approx(1200.0))]
    note = site_bill.bill_notes(bill, t, 60.0, ev)[-1]
    assert ("the demand billed that month would be at least that much higher, 2,700 USD more that month over the "
            "demand charges it bills, each on the excess in its own peak hour of grid draw (all hours, hour ending "
            "2025-07-21 03:00: 100 kW, 1,000 USD; TOU period 0, hour ending 2025-07-21 03:00: 100 kW, 500 USD; TOU "
            "period 1, hour ending 2025-07-21 17:00: 60 kW, 1,200 USD); IT only: cooling and losses add to it") in note


def test_an_unpriced_period_is_left_out_and_one_peak_hour_keeps_the_short_wording(tmp_path):
    t, _, ev, night, onpeak = _case(tmp_path)
    grid = ev["grid_kw"].copy()
    grid[onpeak] = 1200.0  # the month's peak now on-peak: every priced charge's peak hour is the same hour
    ev = {**ev, "grid_kw": grid, "hour": onpeak, "max_excess_kw": 60.0}
    bill = t.bill(grid)
    got = site_bill.excess_demand_usd(bill, t, ev)
    # hand: all hours 60 x 10 = 600; on-peak 60 x 20 = 1,200; off-peak's own peak is the 02:00-03:00 hour
    # (1,000 kW), 100 kW x 5 = 500 USD: 2,300 USD
    assert got["excess_usd"] == pytest.approx(2300.0)
    free = json.loads((tmp_path / "t.json").read_text())
    free["demandratestructure"][0] = [{"rate": 0.0}]  # off-peak at 0 $/kW: not counted
    (tmp_path / "t0.json").write_text(json.dumps(free))
    t0 = Tariff.from_urdb(str(tmp_path / "t0.json"))
    got = site_bill.excess_demand_usd(t0.bill(grid), t0, ev)
    assert got["excess_usd"] == pytest.approx(1800.0) and [p[0] for p in got["excess_parts"]] == [
        "all hours", "TOU period 1"]
    note = site_bill.bill_notes(t0.bill(grid), t0, 60.0, ev)[-1]
    assert "1,800 USD more that month at the demand rates billed in its peak hour (30 USD/kW)" in note
