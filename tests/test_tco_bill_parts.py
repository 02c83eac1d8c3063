"""A partly built fleet pays its tariff's fixed charges and contract-demand floor in full
(dcplan.tco_bill_parts).

Tester finding: before full build-out the TCO billed the full build-out bill times the year's energy
share, so a ``contract_demand_kw`` charge (billed on the contracted kW whatever the load) and the fixed
customer charges shrank with the fleet: ramp years ~0.2 M USD/yr low. Every expected figure below is a
hand calculation on a flat tariff (one energy price, one demand rate, one customer charge).
"""
from __future__ import annotations

import dataclasses

import numpy as np
import pandas as pd
import pytest

from dcplan.tariff import Tariff
from dcplan.tco import ElectricityByPvAge, run_tco
from dcplan.tco_bill_parts import BillParts, bill_parts, partial_fleet_bill

from test_tco import MONTH_H, bare

#: The typical year's hours (2023: not a leap year), a constant 10,000 kW draw.
IDX = pd.date_range("2023-01-01 01:00", periods=8760, freq="h", tz="UTC")  # UTC: no DST hour
LOAD_KW = 10_000.0
#: 0.05 USD/kWh, 10 USD/kW-month on the month's peak, 500 USD/month customer charge, contract 8,000 kW.
TARIFF = Tariff.flat(0.05, fixed_usd_per_month=500.0, demand_usd_per_kw=10.0).with_contract_demand(8_000.0)


def _electricity():
    bill = TARIFF.bill(pd.Series(LOAD_KW, index=IDX, name="grid_kw"))
    e = ElectricityByPvAge(np.repeat(np.asarray(bill.monthly["total_usd"], dtype=float)[None, :], 3, axis=0), 0.0)
    return bill, dataclasses.replace(e, parts=bill_parts(bill, TARIFF, IDX))


def test_bill_parts_of_a_contract_demand_tariff_by_hand():
    bill, e = _electricity()
    p = e.parts
    # hand: fixed 500 a month; demand 10 x max(10,000, 8,000) = 100,000; no load: 10 x 8,000 = 80,000 + 500
    np.testing.assert_allclose(p.fixed_usd, 500.0)
    np.testing.assert_allclose(p.demand_usd, 100_000.0)
    np.testing.assert_allclose(p.floor_demand_usd, 80_000.0)
    np.testing.assert_allclose(p.standing_usd, 80_500.0)
    # the full bill: January 744 h x 10,000 kW x 0.05 = 372,000 + 100,000 + 500
    assert e.monthly_usd[0, 0] == pytest.approx(472_500.0, rel=1e-12)


def test_ramp_year_pays_the_contract_floor_and_fixed_charges_in_full():
    """Half the fleet from month 1, the rest from month 13 (undated: month 1 is a January). Year 1 at 50 %:
    each month 500 + 0.5 x energy + max(0.5 x 100,000, 80,000) = 0.5 x energy + 80,500; year 2 the full bill.
    The energy-share scaling billed 0.5 x (energy + 100,500) instead: 30,250 USD a month less (363,000 a
    year)."""
    _, e = _electricity()
    inp = dataclasses.replace(bare(horizon=2, n=10), phases=((0, 0.5), (12, 0.5)))
    a = run_tco(inp, e).annual
    energy = MONTH_H * LOAD_KW * 0.05                              # 365-day months, as the TCO bills them
    y1 = float((0.5 * energy + 80_500.0).sum())                    # 0.5 x 4,380,000 + 12 x 80,500 = 3,156,000
    y2 = float((energy + 100_500.0).sum())                         # 4,380,000 + 1,206,000 = 5,586,000
    assert y1 == pytest.approx(3_156_000.0)
    assert a.loc["opex_electricity_usd", 1] == pytest.approx(y1, rel=1e-9)
    assert a.loc["opex_electricity_usd", 2] == pytest.approx(y2, rel=1e-9)
    # without the parts: the whole bill scaled by the operating share (the old rule, 2,793,000 in year 1)
    old = run_tco(inp, dataclasses.replace(e, parts=None)).annual
    assert old.loc["opex_electricity_usd", 1] == pytest.approx(0.5 * y2, rel=1e-9)
    assert a.loc["opex_electricity_usd", 1] - old.loc["opex_electricity_usd", 1] == pytest.approx(363_000.0, rel=1e-9)


def test_billed_from_the_first_month_a_gpu_operates():
    """A 6-month build: no bill in months 1-6 (nothing operates), the full bill from month 7."""
    _, e = _electricity()
    inp = bare(horizon=1, n=10, build_months=6.0)
    m = run_tco(inp, e).monthly["opex_electricity_usd"].to_numpy()
    np.testing.assert_allclose(m[:6], 0.0)
    np.testing.assert_allclose(m[6:], MONTH_H[6:] * LOAD_KW * 0.05 + 100_500.0, rtol=1e-12)


def test_a_load_below_the_floor_and_a_monthly_minimum():
    """At 20 % of a 10,000 kW peak (2,000 kW) the floor bills 8,000 kW; a month whose no-load bill
    (standing 90,000: a minimum bill) exceeds the scaled bill pays the standing bill."""
    p = BillParts([500.0] * 12, [100_000.0] * 12, [80_000.0] * 12, [90_000.0] * 12)
    cal = lambda x: np.asarray(x, dtype=float)[None, :2]  # noqa: E731  (January, February)
    bills = np.array([[472_500.0, 472_500.0]])
    # 20 %: 500 + 0.2 x 372,000 + max(20,000, 80,000) = 154,900; 1 %: 500 + 3,720 + 80,000 = 84,220 < 90,000
    out = partial_fleet_bill(bills, np.array([[0.2, 0.01]]), p, cal)
    np.testing.assert_allclose(out, [[154_900.0, 90_000.0]])


def test_bill_parts_refuses_what_is_not_a_bill():
    from dcplan.errors import InputError
    with pytest.raises(InputError, match="need the Bill of one load"):
        bill_parts(123.0, TARIFF, IDX)
    with pytest.raises(InputError, match="electricity.parts.fixed_usd"):
        BillParts([1.0] * 11, [0.0] * 12, [0.0] * 12, [0.0] * 12)
    with pytest.raises(InputError, match="need a dcplan.tco_bill_parts.BillParts or None, got dict"):
        ElectricityByPvAge(np.zeros((1, 12)), 0.0, parts={})


def test_site_copy_with_a_contract_demand_pays_the_floor_in_its_ramp_year(tmp_path):
    """data/sites/chicago-il.yaml (no PV) on a flat tariff, 13 USD/kW-month and 25 USD/month, with
    contract_demand_kw 20 % above the year's peak, so the floor bills every month. As the tco notebook
    builds it: the bills by PV age with the parts (the bill of no load). Half the fleet in year 1: hand,
    each month 0.5 x its energy charge + 13 x contract + 25, not half of the whole bill."""
    from dcplan import pipeline
    from dcplan.site import load_site
    from dcplan.tariff_site import site_bill_kwargs

    from test_site_flat_tariff import FLAT, _chicago
    site0 = load_site(_chicago(tmp_path, dict(FLAT), "peak.yaml"))
    peak_kw = float(pipeline.run_site_year(site0).facility_kw.max())
    contract_kw = round(1.2 * peak_kw)
    site = load_site(_chicago(tmp_path, {**FLAT, "contract_demand_kw": contract_kw}))
    y = pipeline.run_site_year(site)
    t = pipeline.site_tariff(site)
    e = pipeline.electricity_by_pv_age(y, 2)
    e = dataclasses.replace(e, parts=bill_parts(y.bill, t, y.grid_kw.index, **site_bill_kwargs(site, t)))
    floor = 13.0 * contract_kw
    np.testing.assert_allclose(e.parts.floor_demand_usd, floor, rtol=1e-12)
    np.testing.assert_allclose(e.parts.standing_usd, floor + 25.0, rtol=1e-12)
    energy = np.asarray(y.bill.monthly["energy_usd"], dtype=float)      # the weather year's months, January first
    assert y.bill.monthly.index[0].month == 1
    inp = dataclasses.replace(bare(horizon=2, n=10), phases=((0, 0.5), (12, 0.5)))
    a = run_tco(inp, e).annual
    hand = float((0.5 * energy + floor + 25.0).sum())
    assert a.loc["opex_electricity_usd", 1] == pytest.approx(hand, rel=1e-9)
    assert a.loc["opex_electricity_usd", 2] == pytest.approx(y.bill.total_usd, rel=1e-9)
    # the old rule billed half of it all: short by half the year's floor and fixed charges (~0.5 M USD here)
    short = hand - 0.5 * y.bill.total_usd
    assert short == pytest.approx(0.5 * 12 * (floor + 25.0), rel=1e-9)
    assert short > 2e5
