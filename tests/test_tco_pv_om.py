"""The on-site PV's O&M is its own sourced line, per kWdc, out of the facility's share of capex.

The PV's O&M hid inside ``maintenance_facility_frac`` (2 % a year of the facility, interconnection,
PV and battery capex: an unsourced estimate, 30 USD/kWdc-yr at the default 1,500 USD/kWdc). Now
``opex_maintenance_pv_usd = pv_om_usd_per_kw_dc_year x pv_kw_dc`` per year (data/costs.csv: 18
USD/kWdc-yr, NREL ATB 2020 commercial PV, range 0-40), from the end of the build and inflated as the
facility's maintenance; ``opex_maintenance_facility_usd`` is of the facility, interconnection and
battery capex only.

Hand calculations use a "bare" case: every cost zero except the ones a test switches on.
"""
from __future__ import annotations

import numpy as np
import pytest

from dcplan import tco, tco_export
from dcplan.tco import TcoInputs, run_tco
from dcplan.tco_uncertainty import default_ranges

KEY = "pv_om_usd_per_kw_dc_year"


def bare(pv_kw_dc=1000.0, battery_kwh=100.0, horizon=3, **on) -> TcoInputs:
    c = {k: 0.0 for k in tco.load_costs().index}
    c.update(it_refresh_years=3.0, facility_shell_frac=0.5, facility_electrical_frac_of_critical=0.5,
             electricity_cost_mult=1.0, build_months=12.0)
    c.update(on)
    return TcoInputs(n_accelerators=10, it_capacity_kw=1000.0, it_energy_kwh=1000.0 * 8760.0, utilization_frac=1.0,
                     horizon_years=horizon, pv_kw_dc=pv_kw_dc, battery_kwh=battery_kwh, costs=c)


# facility 1 M USD (1 MW x 1e6 USD/MW), interconnection 0.2 M, battery 100 kWh x 300 = 30,000, PV 1000 kWdc x 1000
PLANT = dict(facility_usd_per_mw=1e6, interconnection_usd_per_mw=2e5, battery_usd_per_kwh=300.0,
             pv_usd_per_kw_dc=1000.0, maintenance_facility_frac=0.02, inflation_frac=0.025)


def test_the_pv_om_row_is_the_sourced_figure():
    row = tco.load_costs().loc[KEY]
    assert (row["value"], row["low"], row["high"], row["unit"]) == (18.0, 0.0, 40.0, "USD/kWdc-yr")
    assert row["status"] == "secondary" and row["vintage"] == "2018 (ATB 2020)"
    assert "NREL Annual Technology Baseline 2020, Commercial PV" in row["source"]
    assert "PV" not in tco.load_costs().at["maintenance_facility_frac", "description"].split("(")[0]
    # with every default (build 12 months, inflation 2.5 %/yr, 10 years): 18 x 1000 kWdc x 1.025^(y - 1) in
    # years 2..10, none in year 1 (hand). rel 1e-12: float powers
    inp = TcoInputs(n_accelerators=10, it_capacity_kw=1000.0, it_energy_kwh=1000.0 * 8760.0, pv_kw_dc=1000.0)
    got = run_tco(inp, 1.0e6).annual.loc["opex_maintenance_pv_usd"].to_numpy()
    np.testing.assert_allclose(got, [0.0] + [18_000.0 * 1.025 ** (y - 1) for y in range(2, 11)], rtol=1e-12)


def test_pv_om_is_per_kwdc_and_year_from_the_end_of_the_build_hand():
    a = run_tco(bare(**PLANT, **{KEY: 18.0}), 0.0).annual
    # build 12 months: nothing in year 1; 18 x 1000 = 18,000 USD a year at year-1 prices, x 1.025 in year 2 and
    # 1.025^2 = 1.050625 in year 3 (hand): 18,450 and 18,911.25. rel 1e-12: float products
    np.testing.assert_allclose(a.loc["opex_maintenance_pv_usd"], [0.0, 18_450.0, 18_911.25], rtol=1e-12)
    # the facility's O&M no longer includes the PV's capex: 2 % of 1,000,000 + 200,000 + 30,000 = 24,600 USD a
    # year (with the PV's 1,000,000 it was 44,600), x 1.025 and 1.050625 (hand)
    np.testing.assert_allclose(a.loc["opex_maintenance_facility_usd"], [0.0, 25_215.0, 25_845.375], rtol=1e-12)
    # the PV is still insured and taxed on its capex: neither changes, and both lines are in total opex
    assert a.loc["total_opex_usd"].sum() == pytest.approx(18_450.0 + 18_911.25 + 25_215.0 + 25_845.375, rel=1e-12)
    # monthly: 18,000 / 12 = 1,500 USD a month x 1.025 in months 13-24 (hand)
    m = run_tco(bare(**PLANT, **{KEY: 18.0}), 0.0).monthly["opex_maintenance_pv_usd"]
    assert (m.loc[1:12] == 0.0).all()
    np.testing.assert_allclose(m.loc[13:24], 1_537.5, rtol=1e-12)


def test_pv_om_follows_the_building_not_the_grid_delay_or_a_part_year_hand():
    # build 9 months: placed in service at month 9, 3 months of year 1 (18,000 x 3 / 12 = 4,500); a 6-month grid
    # delay moves the fleet, not the PV's O&M (the finished plant is maintained whether powered or not)
    a = run_tco(bare(**PLANT, **{KEY: 18.0, "build_months": 9.0, "delay_months": 6.0}), 0.0).annual
    np.testing.assert_allclose(a.loc["opex_maintenance_pv_usd"], [4_500.0, 18_450.0, 18_911.25], rtol=1e-12)
    # without PV there is none, whatever the rate; nor with PV at a rate of 0 (bare() zeroes every cost)
    assert run_tco(bare(pv_kw_dc=0.0, **PLANT, **{KEY: 18.0}), 0.0).annual.loc["opex_maintenance_pv_usd"].sum() == 0
    assert run_tco(bare(**PLANT), 0.0).annual.loc["opex_maintenance_pv_usd"].sum() == 0.0


def test_pv_om_is_a_power_and_cooling_line_varied_by_the_tornado_and_exported():
    assert tco.LINES["opex_maintenance_pv_usd"] == ("USD", "power_and_cooling")
    inp = bare(**PLANT, **{KEY: 18.0})
    r = run_tco(inp, 0.0)
    # power and cooling: electrical + mechanical 1,000,000 x 0.5 + interconnection 200,000 + PV 1,000,000 +
    # battery 30,000 + facility O&M 25,215 + 25,845.375 = 51,060.375 + PV O&M 18,450 + 18,911.25 = 37,361.25 (hand)
    want = 500_000 + 200_000 + 1_000_000 + 30_000 + 51_060.375 + 37_361.25
    assert r.shares.at["power_and_cooling", "cost_usd"] == pytest.approx(want, rel=1e-12)
    assert default_ranges(inp)[KEY] == (0.0, 40.0)
    row = r.assumptions.set_index("key").loc[KEY]
    assert row["value"] == 18.0 and row["unit"] == "USD/kWdc-yr"
    frames = tco_export.workbook_frames(r)
    cash = frames["CashFlow"]
    assert cash.at["opex_maintenance_pv_usd", "unit"] == "USD"
    assert cash.at["opex_maintenance_pv_usd", "year_2"] == pytest.approx(18_450.0, rel=1e-12)
    about = frames["About"].set_index("item")["text"]
    assert "opex_maintenance_pv_usd" in about["fixed_costs"] and KEY in about["fixed_costs"]
