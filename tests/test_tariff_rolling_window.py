"""``demand_window_method="rolling"``: the series' first window is its first *full* window.

A tariff analyst billed a 30-min demand window (ComEd's) on a 15-min load of 8,000 kW in the first
interval and 5,000 kW after: the rolling bill took the lone first reading as a 30-min demand (8,000
kW) while the block bill averaged the first half hour (6,500 kW). The intervals before the first
full window now take that window's average (they lie in it); the scheduling LP's demand rows
(:func:`dcplan.schedule_lp_rows.demand_rows`) form the same averages.
"""
from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from dcplan.schedule_lp_rows import demand_rows
from dcplan.tariff import Tariff

TOL = 1e-6  # USD


def _tariff(method):
    u = {"flatdemandstructure": [[{"rate": 10.0}]], "flatdemandmonths": [0] * 12, "demandwindow": 30}
    return Tariff.from_urdb(u, demand_window_method=method)


def _load(first_kw=8000.0):
    idx = pd.date_range("2025-01-01 00:15", "2025-02-01 00:00", freq="15min", tz="America/Chicago")
    load = pd.Series(5000.0, index=idx)
    load.iloc[0] = first_kw
    return load


@pytest.mark.parametrize("method", ["rolling", "block"])
def test_a_lone_first_reading_is_not_a_30_min_demand(method):
    """Hand: the first full 30-min window is (8,000 + 5,000) / 2 = 6,500 kW, every later one 5,000 kW:
    demand 6,500 kW x 10 $/kW = 65,000 USD under both methods (rolling was 80,000)."""
    b = _tariff(method).bill(_load())
    assert b.monthly["peak_kw"].iloc[0] == pytest.approx((8000 + 5000) / 2, abs=1e-9)
    assert b.demand_usd == pytest.approx(6500 * 10.0, abs=TOL)


def test_later_windows_are_unchanged_and_the_lp_forms_the_same_averages():
    """A spike later in the series: 9,000 kW in two consecutive intervals straddling a block
    boundary (10:15-10:30 and 10:30-10:45 on 10 Jan). Rolling: the window of both, 9,000 kW; block:
    (5,000 + 9,000) / 2 = 7,000 kW. Hand: 90,000 and 70,000 USD."""
    load = _load(first_kw=5000.0)
    load.loc[[pd.Timestamp("2025-01-10 10:30", tz="America/Chicago"),
              pd.Timestamp("2025-01-10 10:45", tz="America/Chicago")]] = 9000.0
    assert _tariff("rolling").bill(load).demand_usd == pytest.approx(90_000.0, abs=TOL)
    assert _tariff("block").bill(load).demand_usd == pytest.approx(70_000.0, abs=TOL)
    # the LP's rolling rows on the first hours of the analyst's load: 6,500 for the first two
    # intervals (the first full window), then 5,000
    head = _load().iloc[:6]
    a, _ = demand_rows(head.index, 900.0, 30.0, "rolling")
    assert (a @ head.to_numpy()).tolist() == pytest.approx([6500.0, 6500.0, 5000.0, 5000.0, 5000.0, 5000.0])
    # a series shorter than the window: one window, all of it (hand: (8,000 + 5,000) / 2)
    a2, _ = demand_rows(head.index[:2], 900.0, 60.0, "rolling")
    assert (a2 @ head.to_numpy()[:2]).tolist() == pytest.approx([6500.0, 6500.0])
    assert np.allclose(a2.sum(axis=1), 1.0)
