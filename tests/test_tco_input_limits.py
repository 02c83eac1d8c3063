"""Inputs the TCO model cannot honour are refused, naming the field, the value and what is allowed
(finance review s18, findings 2, 7 and 8).

* a horizon longer than the 20-year economic life of the electrical and mechanical plant, which the
  model buys once and never replaces (15 years with a battery);
* a price per GPU-hour above 100 USD/GPU-h (rentals are about 1-10 USD/GPU-h: 4916 is a slip);
* a year's IT energy above what the IT capacity delivers running flat out all year (8,784 h);
* a negative annual electricity bill.
"""
from __future__ import annotations

import numpy as np
import pytest

from dcplan import tco
from dcplan.errors import InputError
from dcplan.specs.finance import HORIZON_MAX_YEARS, REVENUE_MAX_USD_PER_GPU_H
from dcplan.tco import ElectricityByPvAge, TcoInputs, run_tco
from dcplan.tco_assumptions import ECONOMIC_LIFE_YEARS

OK = dict(n_accelerators=8, it_capacity_kw=100.0, it_energy_kwh=1e5)


def test_the_longest_horizon_is_the_plants_economic_life():
    # electrical and mechanical plant: 20 yr, the shortest life of the non-IT classes always bought
    # (shell 39, interconnection 40, PV 30; data in dcplan.tco_assumptions)
    assert HORIZON_MAX_YEARS == 20 == min(ECONOMIC_LIFE_YEARS[k] for k in
                                          ("facility_shell", "facility_electrical", "facility_mechanical",
                                           "interconnection", "pv"))
    # nothing bundled asks for more: the named scenarios set no horizon, the sites 10 years
    assert not any("horizon_years" in sc["costs"] for sc in tco.SCENARIOS.values())


@pytest.mark.parametrize("years", [21, 30, 50])
def test_a_horizon_past_the_plants_life_is_refused_saying_why(years):
    with pytest.raises(InputError, match=rf"must be an integer number of years in 1-20, got {years}: the model "
                                         r"buys the facility's electrical and mechanical plant once and does not "
                                         r"replace it at the end of its 20-year economic life") as e:
        TcoInputs(**OK, horizon_years=years)
    assert e.value.field == "horizon_years"
    assert "it_refresh_years" in str(e.value)  # IT, the one class bought again


def test_a_horizon_from_the_site_names_the_site_field():
    with pytest.raises(InputError, match=r"got 25 \(site\.finance\.horizon_years\): the model buys"):
        TcoInputs(**OK, horizon_years=25, sources={"horizon_years": "site.finance.horizon_years"})


def test_twenty_years_is_allowed_and_a_battery_shortens_it_to_its_life():
    assert TcoInputs(**OK, horizon_years=20).horizon_years == 20
    assert TcoInputs(**OK, horizon_years=15, battery_kwh=500.0).horizon_years == 15
    # the battery's 15-yr economic life (dcplan.tco_assumptions.ECONOMIC_LIFE_YEARS), bought once
    with pytest.raises(InputError, match=r"16 years is longer than the 15-year economic life of the battery "
                                         r"\(battery_kwh=500") as e:
        TcoInputs(**OK, horizon_years=16, battery_kwh=500.0)
    assert e.value.field == "horizon_years"


@pytest.mark.parametrize("price", [4916.0, 100.01])
def test_a_price_per_gpu_hour_above_100_usd_is_refused(price):
    with pytest.raises(InputError, match=r"revenue_usd_per_gpu_h: must be a price of one GPU for one hour in "
                                         r"\[0, 100\] USD/GPU-h \(rentals are about 1-10 USD/GPU-h; a larger "
                                         rf"figure is a slip.*got {price}") as e:
        TcoInputs(**OK, costs={"revenue_usd_per_gpu_h": price})
    assert e.value.field == "revenue_usd_per_gpu_h"
    # with_costs (the notebook's scenarios, the tornado's ranges) checks the same
    with pytest.raises(InputError, match="revenue_usd_per_gpu_h"):
        TcoInputs(**OK).with_costs(revenue_usd_per_gpu_h=price)


def test_a_price_of_100_usd_per_gpu_hour_is_the_highest_allowed():
    assert REVENUE_MAX_USD_PER_GPU_H == 100.0
    assert TcoInputs(**OK, costs={"revenue_usd_per_gpu_h": 100.0}).params()["revenue_usd_per_gpu_h"] == 100.0


def test_it_energy_above_capacity_all_year_is_refused_naming_both():
    # 10 kW x 8,784 h (a leap year, the most hours a year has) = 87,840 kWh at most (hand)
    with pytest.raises(InputError, match=r"it_energy_kwh: 1,000,000,000 kWh in a year is more than it_capacity_kw=10 kW "
                                         r"can deliver running flat out all year \(87,840 kWh in 8,784 h\)") as e:
        TcoInputs(n_accelerators=8, it_capacity_kw=10.0, it_energy_kwh=1e9)
    assert e.value.field == "it_energy_kwh"
    # exactly flat out all year is possible (a leap year); 8,760 h of a common year too
    assert TcoInputs(n_accelerators=8, it_capacity_kw=10.0, it_energy_kwh=87_840.0).it_energy_kwh == 87_840.0
    assert TcoInputs(n_accelerators=8, it_capacity_kw=10.0, it_energy_kwh=87_600.0).it_energy_kwh == 87_600.0


@pytest.mark.parametrize("bill", [-12_000.0, [-1000.0] * 12, np.array([500.0] * 11 + [-6000.0])])
def test_a_negative_annual_electricity_bill_is_refused(bill):
    # -12,000; 12 x -1,000 = -12,000; 11 x 500 - 6,000 = -500 USD a year (hand)
    with pytest.raises(InputError, match=r"electricity: the year's electricity bill is -[\d,]+\.00 USD: it must "
                                         r"be >= 0 \(a month may be a credit") as e:
        run_tco(TcoInputs(**OK), bill)
    assert e.value.field == "electricity"


def test_a_month_may_be_a_credit_when_the_year_is_a_cost():
    # 11 x 500 - 1,000 = 4,500 USD a year: a PV export credit in one month (hand)
    r = run_tco(TcoInputs(**OK), [500.0] * 11 + [-1000.0])
    assert r.summary["electricity_typical_year_usd"] == pytest.approx(4_500.0, rel=1e-12)


def test_a_negative_bill_at_any_pv_age_is_refused():
    rows = np.array([[100.0] * 12, [-100.0] * 12])
    with pytest.raises(InputError, match=r"the year's electricity bill is -1,200\.00 USD") as e:
        ElectricityByPvAge(rows, 0.005)
    assert e.value.field == "electricity.monthly_usd"
