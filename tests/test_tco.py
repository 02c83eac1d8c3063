"""Tests of dcplan.tco: cost model, cash flows, unit costs, electricity line, bad input.

Hand calculations use a "bare" case: every cost in data/costs.csv set to zero except the
ones a test switches on, so each line can be computed with a pencil.
"""
from __future__ import annotations

import dataclasses

import numpy as np
import pandas as pd
import pytest

from dcplan import finance, tco
from dcplan.errors import InputError
from dcplan.tco import TcoInputs, run_tco



@pytest.fixture
def npf():
    """numpy-financial: a test-only reference (pip install numpy-financial); skip without it."""
    return pytest.importorskip("numpy_financial")


def bare_costs(**on) -> dict:
    """All costs.csv inputs at zero (rates 0), build 0, refresh 3 yr; ``on`` switches some on."""
    c = {k: 0.0 for k in tco.load_costs().index}
    c.update(it_refresh_years=3.0, facility_shell_frac=0.5, facility_electrical_frac_of_critical=0.5,
             electricity_cost_mult=1.0)
    c.update(on)
    return c


def bare(horizon=3, n=10, util=0.5, **on) -> TcoInputs:
    return TcoInputs(n_accelerators=n, it_capacity_kw=1000.0, it_energy_kwh=8760.0 * 1000.0,
                     utilization_frac=util, horizon_years=horizon, costs=bare_costs(**on))


class FakeBill:
    """Duck-typed stand-in for dcplan.tariff's Bill (total_usd and a 12-row monthly table)."""

    def __init__(self, monthly):
        self.monthly = pd.DataFrame({"total_usd": monthly})
        self.total_usd = float(np.sum(monthly))


MONTHLY = np.array([100.0, 90, 95, 110, 130, 160, 180, 175, 140, 115, 100, 105]) * 1000  # USD


#: Hours of each calendar month, January..December, of a 365-day year (days x 24; 8,760 h in all): a month of
#: the TCO has its calendar month's hours (an undated case's month 0 is a January)
MONTH_H = np.array([31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31]) * 24.0


def test_hand_computed_cash_flows_npv_irr():
    # 10 GPUs x 10,000 USD bought in month 1 (build 0); 10 x 0.5 x h_m x 1 USD = 5 h_m USD in month m, h_m its
    # calendar month's hours (3,720 USD in January, 3,360 in February), 5 x 8,760 = 43,800 USD a year
    inp = bare(server_usd_per_accelerator=10_000.0, revenue_usd_per_gpu_h=1.0, discount_rate_frac=0.10)
    r = run_tco(inp, 0.0)
    a = r.annual
    assert a.loc["capex_it_usd"].tolist() == [100_000.0, 0.0, 0.0]
    np.testing.assert_allclose(a.loc["revenue_usd"], [43_800.0] * 3, rtol=1e-14)
    np.testing.assert_allclose(r.monthly["revenue_usd"].to_numpy()[:3], [3_720.0, 3_360.0, 3_720.0], rtol=1e-14)
    # residual 0: the 3-yr-old servers are at the end of their 3-yr refresh life
    assert a.loc["residual_value_usd"].sum() == 0.0
    # NPV (hand), monthly discounting at the end of month m by 1.1^(-m/12): the servers in
    # month 1, 5 h_m USD in each of months 1..36 -> -100,000 v + sum_m 5 h_m v^m, v = 1.1^(-1/12);
    # rel 1e-12: float summation
    v = 1.1 ** (-1 / 12)
    rev = 5.0 * np.tile(MONTH_H, 3)
    m = np.arange(1, 37)
    hand = -100_000 * v + (rev * v ** m).sum()
    assert r.summary["npv_usd"] == pytest.approx(hand, rel=1e-12)
    # IRR (hand): the annual rate R whose monthly factor w = (1 + R)^(-1/12) zeroes the same sum
    irr = r.summary["irr_frac"]
    w = (1 + irr) ** (-1 / 12)
    assert -100_000 * w + (rev * w ** m).sum() == pytest.approx(0, abs=1e-6)
    # payback: 87,600 USD after 2 years, + January 3,720, February 3,360, March 3,720 = 98,400 after 27
    # months; April's 3,600 recovers the last 1,600 in 4/9 of it -> 27 + 4/9 months
    assert r.summary["payback_years"] == pytest.approx((27 + 1_600 / 3_600) / 12, rel=1e-12)
    # $/GPU-h: PV(cost) / PV(GPU-h) = 100,000 v / sum_m 5 h_m v^m
    assert r.summary["usd_per_gpu_hour"] == pytest.approx(100_000 * v / (rev * v ** m).sum(), rel=1e-12)


def test_hand_case_matches_numpy_financial(npf):
    # numpy-financial on the monthly flows at the monthly rate 1.1^(1/12) - 1; its IRR is per
    # month, so the annual effective rate is (1 + it)^12 - 1
    inp = bare(server_usd_per_accelerator=10_000.0, revenue_usd_per_gpu_h=1.0, discount_rate_frac=0.10)
    r = run_tco(inp, 0.0)
    rev = list(5.0 * np.tile(MONTH_H, 3))            # 10 GPUs x 0.5 x the month's hours x 1 USD
    cf = [0.0, rev[0] - 100_000.0] + rev[1:]          # t = 0 (nothing) + the 36 monthly net flows
    np.testing.assert_allclose(r.monthly["net_cash_flow_usd"], cf[1:], rtol=1e-14)
    assert r.summary["npv_usd"] == pytest.approx(npf.npv(1.1 ** (1 / 12) - 1, cf), rel=1e-12)
    assert r.summary["irr_frac"] == pytest.approx((1 + npf.irr(cf)) ** 12 - 1, abs=1e-9)


def test_residual_value_straight_line_over_refresh_life():
    # 6-yr refresh life, 3-yr horizon: half the value remains at the end (hand)
    r = run_tco(bare(server_usd_per_accelerator=10_000.0, it_refresh_years=6.0), 0.0)
    assert r.annual.loc["residual_value_usd"].tolist() == [0.0, 0.0, 50_000.0]


def test_refresh_buys_it_again_with_price_change():
    # 2-yr refresh, horizon 5: buys at years 1, 3, 5; price x (1-0.1)^(year-1)
    r = run_tco(bare(horizon=5, server_usd_per_accelerator=1000.0, it_refresh_years=2.0,
                     it_price_change_frac=-0.1), 0.0)
    np.testing.assert_allclose(r.annual.loc["capex_it_usd"], [10_000, 0, 8_100, 0, 6_561], rtol=1e-12)
    # the first buy too, by its project year (data/costs.csv says so): after a 12-month build the
    # fleet is bought in year 2 at 0.9 x the year-1 price, refreshed in year 4 at 0.9^3
    r = run_tco(bare(horizon=5, server_usd_per_accelerator=1000.0, it_refresh_years=2.0,
                     it_price_change_frac=-0.1, build_months=12.0), 0.0)
    np.testing.assert_allclose(r.annual.loc["capex_it_usd"], [0, 9_000, 0, 7_290, 0], rtol=1e-12)


def test_electricity_line_is_the_bill_escalated_by_project_year():
    inp = bare(horizon=4, electricity_escalation_frac=0.2, inflation_frac=0.5)
    r = run_tco(inp, FakeBill(MONTHLY))
    # operations from month 0: year y pays the bill x 1.2^(y-1); inflation (0.5) must not apply
    np.testing.assert_allclose(r.annual.loc["opex_electricity_usd"],
                               MONTHLY.sum() * 1.2 ** np.arange(4), rtol=1e-13)


def test_electricity_partial_first_year_pays_the_months_operated():
    # undated case (TcoInputs.fleet_start None): month 0 is a January by convention, so after a
    # 3-month build year 1 pays April..December of the bill (hand: sum of MONTHLY[3:]); a dated
    # case's months are its own calendar months (tests/test_tco_calendar.py)
    r = run_tco(bare(horizon=2, build_months=3.0), FakeBill(MONTHLY))
    assert r.annual.loc["opex_electricity_usd", 1] == pytest.approx(MONTHLY[3:].sum(), rel=1e-14)
    assert r.annual.loc["opex_electricity_usd", 2] == pytest.approx(MONTHLY.sum(), rel=1e-14)
    np.testing.assert_allclose(r.monthly["opex_electricity_usd"].to_numpy()[3:15],
                               np.r_[MONTHLY[3:], MONTHLY[:3]], rtol=1e-14)


@pytest.mark.parametrize("bill", [1_200_000.0, np.full(12, 100_000.0), pd.Series(np.full(12, 1e5))])
def test_electricity_accepts_total_or_monthly(bill):
    # scalar (annual total) spread evenly, or 12 monthly values: both give 1.2 M USD/yr
    r = run_tco(bare(horizon=2), bill)
    np.testing.assert_allclose(r.annual.loc["opex_electricity_usd"], [1.2e6, 1.2e6], rtol=1e-14)


def _hourly_load_kw() -> pd.Series:
    # one year, interval-ending hourly labels in local standard time (as dcplan.weather gives);
    # a seasonal + daily shape so monthly bills differ
    idx = pd.date_range("2025-01-01 01:00", periods=8760, freq="h", tz="Etc/GMT+5")
    h = np.arange(8760)
    kw = 10_000 + 1500 * np.sin(2 * np.pi * (h - 2000) / 8760) + 500 * np.sin(2 * np.pi * h / 24)
    return pd.Series(kw, index=idx, name="facility_kw")


@pytest.mark.parametrize("which", ["flat+demand", "tou"])
def test_electricity_line_equals_the_tariff_bill_of_the_same_load(which):
    from dcplan.tariff import Tariff
    if which == "tou":
        tariff = Tariff.tou(0.06, [{"name": "peak", "usd_per_kwh": 0.14, "hours": list(range(14, 20)),
                                    "months": [6, 7, 8, 9]}], fixed_usd_per_month=1000.0)
    else:
        tariff = Tariff.flat(0.07, fixed_usd_per_month=500.0, demand_usd_per_kw=12.0)
    bill = tariff.bill(_hourly_load_kw())
    r = run_tco(bare(horizon=3), bill)
    # no escalation, operations from month 0: every year's electricity line is the bill total,
    # and year 1 month by month is bill.monthly (undated case: month 0 is a January); only float summation order differs (1e-12)
    np.testing.assert_allclose(r.annual.loc["opex_electricity_usd"], [bill.total_usd] * 3, rtol=1e-12)
    np.testing.assert_allclose(r.monthly["opex_electricity_usd"].to_numpy()[:12],
                               bill.monthly["total_usd"].to_numpy(), rtol=1e-12)
    assert r.summary["electricity_typical_year_usd"] == pytest.approx(bill.total_usd, rel=1e-12)
    # with 15 %/yr escalation, year 3 pays the same bill x 1.15^2
    r2 = run_tco(bare(horizon=3, electricity_escalation_frac=0.15), bill)
    assert r2.annual.loc["opex_electricity_usd", 3] == pytest.approx(bill.total_usd * 1.15 ** 2, rel=1e-12)


def test_monthly_sums_to_annual():
    inp = TcoInputs(n_accelerators=4096, it_capacity_kw=6000.0, it_energy_kwh=4.2e7, pv_kw_dc=2000.0,
                    costs={"build_months": 7.0, "delay_months": 5.0})
    r = run_tco(inp, FakeBill(MONTHLY))
    by_year = r.monthly.groupby((r.monthly.index - 1) // 12 + 1).sum().T
    # same numbers summed in a different order: relative 1e-12
    np.testing.assert_allclose(by_year.to_numpy(), r.annual.to_numpy(), rtol=1e-12, atol=1e-6)


def test_grid_delay_shifts_revenue_and_it_capex_not_the_building():
    on = dict(server_usd_per_accelerator=10_000.0, revenue_usd_per_gpu_h=1.0, facility_usd_per_mw=1e6,
              build_months=12.0, it_refresh_years=50.0)
    base = run_tco(bare(horizon=5, **on), 0.0).annual
    late = run_tco(bare(horizon=5, delay_months=12.0, **on), 0.0).annual
    np.testing.assert_allclose(late.loc["revenue_usd"].to_numpy()[1:], base.loc["revenue_usd"].to_numpy()[:-1])
    assert late.loc["revenue_usd", 2] == 0.0
    assert base.loc["capex_it_usd", 2] == late.loc["capex_it_usd", 3] == 100_000.0
    pd.testing.assert_series_equal(base.loc["total_capex_usd"] - base.loc["capex_it_usd"],
                                   late.loc["total_capex_usd"] - late.loc["capex_it_usd"])


def test_delay_lowers_npv_of_a_profitable_project():
    inp = TcoInputs(n_accelerators=4096, it_capacity_kw=6000.0, it_energy_kwh=4.2e7)
    a = run_tco(inp, 4e6).summary["npv_usd"]
    b = run_tco(inp.with_costs(delay_months=12.0), 4e6).summary["npv_usd"]
    assert b < a


def test_facility_capex_split_and_build_spread():
    # 2 MW x 1 M USD/MW, shell 47 %, electrical 60 % of the rest (hand), spread over 24 months
    inp = TcoInputs(n_accelerators=0, it_capacity_kw=2000.0, it_energy_kwh=0.0, horizon_years=4,
                    costs=bare_costs(facility_usd_per_mw=1e6, facility_shell_frac=0.47,
                                     facility_electrical_frac_of_critical=0.6, build_months=24.0))
    a = run_tco(inp, 0.0).annual
    np.testing.assert_allclose(a.loc["capex_facility_shell_usd"], [470_000, 470_000, 0, 0])
    np.testing.assert_allclose(a.loc["capex_facility_electrical_usd"].sum(), 2e6 * 0.53 * 0.6)
    np.testing.assert_allclose(a.loc["capex_facility_mechanical_usd"].sum(), 2e6 * 0.53 * 0.4)


@pytest.mark.parametrize("method", ["macrs", "straight-line"])
def test_depreciation_in_model_sums_to_depreciable_base(method):
    # one purchase of each class (IT bought at month 12, 49-yr life: no refresh), 20-yr horizon (the
    # longest allowed: the plant's economic life), placed in service in tax year 2: 19 tax years
    c = bare_costs(server_usd_per_accelerator=10_000.0, facility_usd_per_mw=1e6,
                   interconnection_usd_per_mw=2e5, pv_usd_per_kw_dc=1000.0, battery_usd_per_kwh=300.0,
                   it_refresh_years=49.0, build_months=12.0)
    inp = TcoInputs(n_accelerators=10, it_capacity_kw=1000.0, it_energy_kwh=0.0, horizon_years=20,
                    pv_kw_dc=100.0, battery_kwh=0.0, depreciation=method, costs=c)
    a = run_tco(inp, 0.0).annual
    # bases (hand): IT 100,000; shell 500,000; electrical 250,000; mechanical 250,000;
    # interconnection 200,000; PV 100,000
    if method == "macrs":
        # MACRS 5 yr (IT, PV: 6 tax years) and 15 yr (16) complete within years 2-20; the 39-yr shell
        # (mid-month, placed in month 1: Pub 946 Table A-7a) deducts 11.5/12/39 + 17/39, and in year 20, the
        # year of the horizon's sale in its December, 11.5/12/39 (to the middle of the month, Pub 946 ch. 4):
        # 227/468
        left = 500_000 * (1 - 227 / 468)
    else:
        # book straight line, full-year, years 2-20 = 19 years of 1/life: IT 49, shell 39, electrical and
        # mechanical 20, interconnection 40, PV 30
        left = (100_000 * 30 / 49 + 500_000 * 20 / 39 + 500_000 * 1 / 20 + 200_000 * 21 / 40
                + 100_000 * 11 / 30)
    # rel 1e-12: float sums of up to 20 terms
    assert a.loc["depreciation_usd"].sum() == pytest.approx(1_400_000 - left, rel=1e-12)
    assert a.loc["total_capex_usd"].sum() == pytest.approx(1_400_000, rel=1e-12)


def test_tax_uses_depreciation():
    # 21 % of (revenue - depreciation): MACRS 5-yr year 1 = 20 % of 100,000 (hand)
    r = run_tco(bare(horizon=3, server_usd_per_accelerator=10_000.0, revenue_usd_per_gpu_h=1.0,
                     tax_rate_frac=0.21), 0.0)
    assert r.annual.loc["income_tax_usd", 1] == pytest.approx(0.21 * (43_800 - 20_000), rel=1e-12)


def test_unit_costs_and_tokens_per_watt():
    inp = bare(horizon=3, server_usd_per_accelerator=10_000.0, tokens_per_s_per_accelerator=3000.0,
               discount_rate_frac=0.0)
    r = run_tco(inp, 0.0)
    s = r.summary
    # at 0 % discount: cost / quantity. GPU-h 43,800/yr; IT 8760 MWh/yr; tokens = GPU-h x 3600 x 3000
    assert s["usd_per_gpu_hour"] == pytest.approx(100_000 / (3 * 43_800), rel=1e-12)
    assert s["usd_per_mwh_it"] == pytest.approx(100_000 / (3 * 8760), rel=1e-12)
    assert s["usd_per_million_tokens"] == pytest.approx(100_000 / (3 * 43_800 * 3600 * 3000) * 1e6, rel=1e-12)
    # tokens/J: 10 GPUs x 0.5 x 3000 tok/s over a 1000 kW mean IT draw
    assert s["tokens_per_j_it"] == pytest.approx(15_000 / 1e6, rel=1e-12)


def test_cost_shares_sum_to_one_and_follow_categories():
    inp = TcoInputs(n_accelerators=4096, it_capacity_kw=6000.0, it_energy_kwh=4.2e7, pv_kw_dc=2000.0)
    r = run_tco(inp, 4e6)
    assert r.shares["share_frac"].sum() == pytest.approx(1.0, abs=1e-12)
    tot = r.annual.sum(axis=1)
    hw = tot["capex_it_usd"] + tot["opex_maintenance_it_usd"]
    assert r.shares.loc["it_hardware", "cost_usd"] == pytest.approx(hw, rel=1e-12)


# ---------------------------------------------------------------------------
# bad input

def test_bad_inputs_are_clear_errors():
    ok = dict(n_accelerators=8, it_capacity_kw=100.0, it_energy_kwh=1e5)
    with pytest.raises(InputError, match=r"it_refresh_years.*life in years >= 1.*got -5.0$"):
        TcoInputs(**ok, costs={"it_refresh_years": -5.0})
    with pytest.raises(InputError, match=r"discount_rate_frac.*in \[0, 1\]"):
        TcoInputs(**ok, costs={"discount_rate_frac": -1.0})
    with pytest.raises(InputError, match=r"inflation_frac.*> -1"):
        TcoInputs(**ok, costs={"inflation_frac": -2.0})
    with pytest.raises(InputError, match=r"server_usd_per_accelerator.*>= 0"):
        TcoInputs(**ok, costs={"server_usd_per_accelerator": -1.0})
    with pytest.raises(InputError, match=r"unknown cost input 'discount_rate'.*did you mean.*discount_rate_frac"):
        TcoInputs(**ok, costs={"discount_rate": 0.1})
    with pytest.raises(InputError, match=r"n_accelerators.*>= 0"):
        TcoInputs(**{**ok, "n_accelerators": -1})
    with pytest.raises(InputError, match=r"utilization_frac.*\[0, 1\]"):
        TcoInputs(**ok, utilization_frac=1.5)
    with pytest.raises(InputError, match="depreciation"):
        TcoInputs(**ok, depreciation="ddb")


@pytest.mark.parametrize("kw, field, text", [
    # a bool is not 1.0: discount rate 100 %, IT refreshed every year
    ({"costs": {"discount_rate_frac": True}}, "discount_rate_frac", "must be a number"),
    ({"costs": {"it_refresh_years": True}}, "it_refresh_years", "must be a number"),
    ({"costs": {"discount_rate_frac": "0.08"}}, "discount_rate_frac", "must be a number"),
    ({"costs": {"server_usd_per_accelerator": "abc"}}, "server_usd_per_accelerator", "must be a number"),
    ({"costs": {"discount_rate_frac": [0.08]}}, "discount_rate_frac", None),
    ({"costs": [("discount_rate_frac", 0.1)]}, "costs", "must be a mapping"),
    ({"utilization_frac": True}, "utilization_frac", "must be a number"),
    ({"n_accelerators": True}, "n_accelerators", "whole number"),
    ({"n_accelerators": 10.7}, "n_accelerators", "whole number"),
    ({"n_accelerators": "1000"}, "n_accelerators", "whole number"),
    ({"horizon_years": True}, "horizon_years", "1-20"),
    ({"horizon_years": 55}, "horizon_years", "1-20"),  # as finance.horizon_years in a site file
    # out of the plausible: a negative cost of capital, IT bought every month
    ({"costs": {"discount_rate_frac": -0.05}}, "discount_rate_frac", "[0, 1]"),
    ({"costs": {"it_refresh_years": 0.01}}, "it_refresh_years", ">= 1"),
])
def test_wrong_types_and_implausible_inputs_are_refused(kw, field, text):
    ok = dict(n_accelerators=8, it_capacity_kw=100.0, it_energy_kwh=1e5)
    with pytest.raises(InputError) as e:
        TcoInputs(**{**ok, **kw})
    assert e.value.field == field
    if text:
        assert text in str(e.value)


def test_run_tco_refuses_electricity_and_energy_that_are_not_numbers():
    with pytest.raises(InputError, match="need a Bill, an annual total") as e:
        run_tco(bare(), {"a": 1})
    assert e.value.field == "electricity"
    with pytest.raises(InputError, match="must be a number") as e:
        run_tco(bare(), 1e6, facility_energy_kwh="x")
    assert e.value.field == "facility_energy_kwh"


def test_horizon_shorter_than_build_is_an_error():
    with pytest.raises(InputError, match=r"horizon_years.*ends before operations start at month 18 "
                                         r"\(build_months 12 \+ delay_months 6, in whole months\)"):
        TcoInputs(n_accelerators=8, it_capacity_kw=100.0, it_energy_kwh=1e5, horizon_years=1,
                  costs={"build_months": 12.0, "delay_months": 6.0})


def test_bad_electricity_shape():
    with pytest.raises(InputError, match="12 monthly"):
        run_tco(bare(), np.ones(5))


def test_costs_table_has_sources_and_units():
    t = tco.load_costs()
    assert t.index.is_unique
    assert t[["value", "low", "high"]].notna().all().all()
    assert (t["low"] <= t["value"]).all() and (t["value"] <= t["high"]).all()
    assert t[["unit", "source", "vintage", "status"]].notna().all().all()
    assert set(t["status"]) <= {"primary", "secondary", "derived", "estimate"}
    # every default passes the model's own validation
    TcoInputs(n_accelerators=8, it_capacity_kw=100.0, it_energy_kwh=1e5)
    assert finance.MACRS_CLASSES[tco.ASSET_CLASSES["it"][1]] == 2.0


def test_inputs_from_site_use_finance_spec_and_scenarios():
    from dcplan.site import load_portfolio
    site = load_portfolio()["research-triangle-nc"]
    inp = tco.inputs_from_site(site, n_accelerators=4096, it_capacity_kw=5616.0, it_energy_kwh=4.2e7,
                               delay_months=7.0, **tco.scenario("high-escalation")["costs"])
    p = inp.params()
    assert p["discount_rate_frac"] == site.finance.discount_rate_frac
    assert p["electricity_escalation_frac"] == 0.06 and p["delay_months"] == 7.0  # data/costs.csv high
    assert inp.horizon_years == site.finance.horizon_years
    assert inp.utilization_frac == site.fleet.utilisation_frac and inp.pv_kw_dc == site.solar.dc_kw
    with pytest.raises(InputError, match="unknown scenario 'base-case'.*did you mean.*base"):
        tco.scenario("base-case")


def test_price_note_names_hardware_priced_at_the_h100_figure():
    from dcplan.site import load_portfolio
    pf = load_portfolio()
    kw = dict(n_accelerators=8, it_capacity_kw=100.0, it_energy_kwh=1e5)
    nova = pf["northern-virginia"]  # GB200 NVL72: 2-3 M USD / 72 GPUs = 27,778-41,667 USD per GPU
    note = tco.price_note(nova, tco.inputs_from_site(nova, **kw))
    # the server, network and storage prices of data/costs.csv, each an H100 figure standing in
    assert "(33,750, 6,000 and 2,000 USD)" in note and "gb200-nvl72" in note and "27,778-41,667 USD per GPU" in note
    # a site-set server price is the site's own: the note names the network and storage prices left (6,000 and
    # 2,000 USD, data/costs.csv), not the server's, nor the NVL72 rack price it compares a server price with
    own = tco.price_note(nova, tco.inputs_from_site(nova, server_usd_per_accelerator=35_000.0, **kw))
    assert own.startswith("The back-end fabric and storage prices per accelerator (6,000 and 2,000 USD) are the H100 "
                          "figures of data/costs.csv; no sourced price is bundled for gb200-nvl72.")
    assert "35,000" not in own and "33,750" not in own and "NVL72 racks" not in own
    # all three IT prices the site's own: no note
    assert tco.price_note(nova, tco.inputs_from_site(nova, server_usd_per_accelerator=35_000.0, **kw,
                                                     network_usd_per_accelerator=1.0,
                                                     storage_usd_per_accelerator=1.0)) == ""
    # an all-H100 fleet is what costs.csv is sourced for (Chicago's H200 halls rewritten as H100)
    assert "hgx-h200" in tco.price_note(pf["chicago-il"], tco.inputs_from_site(pf["chicago-il"], **kw))
    h100 = pf["chicago-il"].model_copy(update={"fleet": pf["chicago-il"].fleet.model_copy(
        update={"phases": tuple(ph.model_copy(update={"hardware": "hgx-h100"})
                                for ph in pf["chicago-il"].fleet.phases)})})
    assert tco.price_note(h100, tco.inputs_from_site(h100, **kw)) == ""


def test_finance_spec_optional_fields_reach_the_model():
    from dcplan.specs.finance import FinanceSpec

    class S:  # minimal stand-in for a Site: the three sections inputs_from_site reads
        finance = FinanceSpec(tax_rate_frac=0.0, build_months=6, it_refresh_years=4.0,
                              revenue_usd_per_gpu_h=2.5, costs={"staff_fte_per_mw": 1.0})
        fleet = type("F", (), {"utilisation_frac": 0.7})()
        solar = type("P", (), {"dc_kw": 0.0})()

    p = tco.inputs_from_site(S(), n_accelerators=8, it_capacity_kw=100.0, it_energy_kwh=1e5).params()
    assert (p["tax_rate_frac"], p["build_months"], p["it_refresh_years"], p["revenue_usd_per_gpu_h"],
            p["staff_fte_per_mw"], p["utilization_frac"]) == (0.0, 6.0, 4.0, 2.5, 1.0, 0.7)
    # an unknown key is refused when the spec is built (as a site file loads) ...
    from pydantic import ValidationError
    with pytest.raises(ValidationError, match="unknown cost input 'staff_fte'"):
        FinanceSpec(costs={"staff_fte": 1.0})
    # ... and by the TCO itself for a spec built without validation
    with pytest.raises(InputError, match="unknown cost input 'staff_fte'"):
        S.finance = FinanceSpec.model_construct(costs={"staff_fte": 1.0})
        tco.inputs_from_site(S(), n_accelerators=8, it_capacity_kw=100.0, it_energy_kwh=1e5)


def test_deployment_phases_hand_computed():
    # two tranches: half the fleet at month 0, half 12 months later; build 0, horizon 2
    inp = TcoInputs(n_accelerators=10, it_capacity_kw=1000.0, it_energy_kwh=8760.0 * 1000.0,
                    utilization_frac=0.5, horizon_years=2, phases=((0, 0.5), (12, 0.5)),
                    costs=bare_costs(server_usd_per_accelerator=10_000.0, revenue_usd_per_gpu_h=1.0,
                                     it_refresh_years=6.0))
    r = run_tco(inp, FakeBill(MONTHLY))
    a = r.annual
    assert a.loc["capex_it_usd"].tolist() == [50_000.0, 50_000.0]
    # year 1: 5 GPUs x 0.5 x 8760 h; year 2: all 10 (hand)
    np.testing.assert_allclose(a.loc["revenue_usd"], [21_900.0, 43_800.0], rtol=1e-14)
    # electricity scales with the deployed share: half the bill, then the whole bill
    np.testing.assert_allclose(a.loc["opex_electricity_usd"], [MONTHLY.sum() / 2, MONTHLY.sum()], rtol=1e-14)
    # residual after 6-yr straight line: 50k x (1 - 24/72) + 50k x (1 - 12/72)
    assert a.loc["residual_value_usd", 2] == pytest.approx(50_000 * (1 - 24 / 72) + 50_000 * (1 - 12 / 72))


def test_insurance_and_property_tax_follow_the_deployed_fleet():
    """Insurance and property tax on IT start when each phase is deployed (as IT maintenance),
    on the building and plant from the start of operations. Two halves, months 0 and 12,
    horizon 2, IT 10 x 10,000 = 100,000 USD, facility 1 MW x 1,000,000 USD/MW, rates 1 %
    each, no inflation. By hand: year 1 = 0.01 x (0.5 x 100,000 + 1,000,000) = 10,500 USD;
    year 2 = 0.01 x (100,000 + 1,000,000) = 11,000 USD. The old code charged the whole fleet
    from month 0: 11,000 in both years."""
    inp = TcoInputs(n_accelerators=10, it_capacity_kw=1000.0, it_energy_kwh=8760.0 * 1000.0,
                    utilization_frac=0.5, horizon_years=2, phases=((0, 0.5), (12, 0.5)),
                    costs=bare_costs(server_usd_per_accelerator=10_000.0, it_refresh_years=6.0,
                                     facility_usd_per_mw=1_000_000.0, insurance_frac=0.01,
                                     property_tax_frac=0.01))
    a = run_tco(inp, FakeBill(MONTHLY)).annual
    for line in ("opex_insurance_usd", "opex_property_tax_usd"):
        np.testing.assert_allclose(a.loc[line], [10_500.0, 11_000.0], rtol=1e-12)


def test_fleet_on_capacity_in_service_does_not_wait_for_the_grid_delay():
    """An existing campus: capacity in service powers 40 % of a one-tranche fleet, and the
    grid is 12 months late for the rest. By hand (build 0, horizon 3, 10 GPUs x 10,000 USD,
    refresh 6 yr, 1 USD/GPU-h, 50 % sold): 4 GPUs are bought in month 0 and 6 in month 12,
    so IT capex is [40,000, 60,000, 0]; revenue is 4 x 0.5 x 8760 = 17,520 USD in year 1,
    then 10 x 0.5 x 8760 = 43,800. Before, the whole fleet waited: [0, 100,000, 0] and no
    revenue in year 1."""
    inp = TcoInputs(n_accelerators=10, it_capacity_kw=1000.0, it_energy_kwh=8760.0 * 1000.0,
                    utilization_frac=0.5, horizon_years=3, live_fleet_frac=0.4,
                    costs=bare_costs(server_usd_per_accelerator=10_000.0, revenue_usd_per_gpu_h=1.0,
                                     it_refresh_years=6.0, delay_months=12.0))
    r = run_tco(inp, FakeBill(MONTHLY))
    a = r.annual
    np.testing.assert_allclose(a.loc["capex_it_usd"], [40_000.0, 60_000.0, 0.0], rtol=1e-14)
    np.testing.assert_allclose(a.loc["revenue_usd"], [17_520.0, 43_800.0, 43_800.0], rtol=1e-14)
    np.testing.assert_allclose(a.loc["opex_electricity_usd"], [0.4 * MONTHLY.sum()] + [MONTHLY.sum()] * 2,
                               rtol=1e-14)
    assert r.summary["operations_start_month"] == 0.0
    # the same as a ramp of two tranches with the 12 months as their offset, and no delay
    ramp = TcoInputs(n_accelerators=10, it_capacity_kw=1000.0, it_energy_kwh=8760.0 * 1000.0,
                     utilization_frac=0.5, horizon_years=3, phases=((0, 0.4), (12, 0.6)),
                     costs=bare_costs(server_usd_per_accelerator=10_000.0, revenue_usd_per_gpu_h=1.0,
                                      it_refresh_years=6.0))
    pd.testing.assert_frame_equal(r.monthly, run_tco(ramp, FakeBill(MONTHLY)).monthly)
    # the whole fleet on live capacity: the delay changes nothing
    full = run_tco(dataclasses.replace(inp, live_fleet_frac=1.0), FakeBill(MONTHLY))
    none = run_tco(dataclasses.replace(inp, live_fleet_frac=1.0).with_costs(delay_months=0.0), FakeBill(MONTHLY))
    pd.testing.assert_frame_equal(full.annual, none.annual)
    rows = r.assumptions.set_index("key")
    assert rows.loc["live_fleet_frac", "value"] == 0.4
    # from a site: the source says whether the caller gave it
    from dcplan.site import load_portfolio
    site = load_portfolio()["chicago-il"]
    kw = dict(n_accelerators=4096, it_capacity_kw=5616.0, it_energy_kwh=4.2e7)
    assert tco.inputs_from_site(site, **kw).sources["live_fleet_frac"].startswith("inputs_from_site default")
    assert tco.inputs_from_site(site, live_fleet_frac=0.2, **kw).sources["live_fleet_frac"].startswith("caller")
    assert "40% of the fleet" in rows.loc["operations_start_month", "source"]


def test_tranches_split_a_phase_where_the_live_share_ends():
    assert tco.tranches(((0, 0.5), (6, 0.5)), 0.75) == [(0.0, 0.5, False), (6.0, 0.25, False), (6.0, 0.25, True)]
    assert tco.tranches(((0, 0.5), (6, 0.5)), 0.0) == [(0.0, 0.5, True), (6.0, 0.5, True)]
    assert tco.tranches(((0, 0.5), (6, 0.5)), 1.0) == [(0.0, 0.5, False), (6.0, 0.5, False)]


@pytest.mark.parametrize("bad", [-0.1, 1.5, float("nan"), True, "0.5"])
def test_bad_live_fleet_frac(bad):
    with pytest.raises(InputError, match=r"live_fleet_frac.*fraction in \[0, 1\]"):
        TcoInputs(n_accelerators=8, it_capacity_kw=100.0, it_energy_kwh=1e5, live_fleet_frac=bad)


def test_fleet_phases_from_site():
    from dcplan.site import load_portfolio
    fleet = load_portfolio()["research-triangle-nc"].fleet  # 256 + 256 HGX H100, 2026-07-01 / 2027-01-01
    assert tco.fleet_phases(fleet, {"hgx-h100": 8}) == ((0.0, 0.5), (6.0, 0.5))  # July 2026 -> January 2027


@pytest.mark.parametrize("first, second, offset", [
    # each start counts from the first whole month on or after it, as fleet_start and grid_phases:
    # 2026-07-16 -> August, 2027-01-01 -> January: 5 months (a 30.4375-day count gave 169 d -> 6)
    ("2026-07-16", "2027-01-01", 5.0),
    ("2026-07-02", "2026-08-30", 1.0),   # August -> September (58 d -> 2 by days)
    ("2026-07-01", "2026-07-31", 1.0),   # July -> August
    ("2026-07-01", "2026-07-01", None),  # one month: the two phases merge
])
def test_fleet_phase_offsets_are_calendar_months(first, second, offset):
    import datetime as dt
    from types import SimpleNamespace
    fleet = SimpleNamespace(phases=[SimpleNamespace(start=dt.date.fromisoformat(first), count=10, hardware="h"),
                                    SimpleNamespace(start=dt.date.fromisoformat(second), count=30, hardware="h")])
    want = ((0.0, 1.0),) if offset is None else ((0.0, 0.25), (offset, 0.75))
    assert tco.fleet_phases(fleet, {"h": 8}) == want


@pytest.mark.parametrize("phases, msg", [(((0, 0.5), (6, 0.4)), "sum to 1"), (((6, 0.5), (0, 0.5)), "non-decreasing"),
                                         (((-1, 1.0),), ">= 0"), ((), "at least one"), ("x", "pairs")])
def test_bad_phases(phases, msg):
    with pytest.raises(InputError, match=msg):
        TcoInputs(n_accelerators=8, it_capacity_kw=100.0, it_energy_kwh=1e5, phases=phases)


def test_bill_months_are_put_in_calendar_order():
    # a bill of July 2025 .. June 2026 (load crossing the new year) is put in January..December order
    # (row 0 = January): the model then bills each month from its calendar month's row
    idx = pd.period_range("2025-07", periods=12, freq="M")
    bill = FakeBill(np.arange(1.0, 13.0))
    bill.monthly.index = idx
    got = tco.electricity_monthly_usd(bill)
    assert got.tolist() == [7.0, 8, 9, 10, 11, 12, 1, 2, 3, 4, 5, 6]
    short = FakeBill(np.ones(12))
    short.monthly = short.monthly.iloc[:5]
    with pytest.raises(InputError, match="covers 5 months"):
        tco.electricity_monthly_usd(short)


@pytest.mark.parametrize("key, typo", [("discount_rate_frac", 8.0), ("inflation_frac", 2.5),
                                       ("electricity_escalation_frac", 3.0), ("it_price_change_frac", 5.0),
                                       ("revenue_escalation_frac", 2.0), ("maintenance_it_frac", 10.0),
                                       ("maintenance_facility_frac", 2.0), ("insurance_frac", 1.5),
                                       ("property_tax_frac", 2.0)])
def test_rates_and_yearly_shares_given_in_percent_are_errors(key, typo):
    """A rate or yearly share typed in percent (8 for 8 %) is an input error, not 800 %/yr.

    Before the fix TcoInputs took rates up to 10 (1000 %/yr) and the yearly cost shares
    without an upper bound, so ``discount_rate_frac: 8`` in a site's ``finance.costs``
    (which bypasses FinanceSpec's own ``<= 1`` bound) gave an NPV of -9.17 M USD instead
    of +264.67 M USD for the 4096-GPU example, and ``maintenance_it_frac: 10`` -8,396 M USD,
    with no warning. Allowed: rates in (-1, 1] (FinanceSpec, Tariff.with_escalation),
    shares in [0, 1] (STYLE.md: ``_frac`` is 0-1). Exact bounds, no tolerance.
    """
    ok = dict(n_accelerators=8, it_capacity_kw=100.0, it_energy_kwh=1e5)
    with pytest.raises(InputError, match=rf"{key}.*as a fraction"):
        TcoInputs(**ok, costs={key: typo})
    # the bounds themselves are allowed: 1.0 (100 %/yr) and, for shares, 0
    TcoInputs(**ok, costs={key: 1.0})
    # per-case values (tornado, Monte Carlo) are checked the same way
    with pytest.raises(InputError, match=key):
        tco.evaluate(TcoInputs(**ok), 0.0, params={key: np.array([0.05, typo])})


def test_percent_typo_in_site_finance_costs_is_an_error():
    """``finance.costs`` overrides reach TcoInputs unchecked by FinanceSpec (its top-level
    ``discount_rate_frac`` is bounded to <= 1, the ``costs`` dict is not): 8 must be refused."""
    from pydantic import ValidationError

    from dcplan.specs.finance import FinanceSpec
    # refused when the spec is built (a site file loading) ...
    with pytest.raises(ValidationError, match=r"discount_rate_frac: .*0\.08 for 8 %\), got 8\.0"):
        FinanceSpec(costs={"discount_rate_frac": 8.0})

    class S:  # ... and by the TCO for a spec built without validation (as test_finance_spec_optional_fields_...)
        finance = FinanceSpec.model_construct(costs={"discount_rate_frac": 8.0})
        fleet = type("F", (), {"utilisation_frac": 0.7})()
        solar = type("P", (), {"dc_kw": 0.0})()

    with pytest.raises(InputError, match=r"discount_rate_frac.*0\.08 for 8 %"):
        tco.inputs_from_site(S(), n_accelerators=8, it_capacity_kw=100.0, it_energy_kwh=1e5)


@pytest.mark.parametrize("kw", [{"facility_energy_kwh": -1.0e7}, {"facility_energy_kwh": float("nan")},
                                {"it_avg_kw": -5.0}])
def test_run_tco_refuses_negative_or_nan_energy(kw):
    """A negative facility energy gave a negative effective electricity price (USD/MWh) and a
    negative tokens per facility joule without an error; NaN gave NaN figures."""
    with pytest.raises(InputError, match="finite number >= 0"):
        run_tco(bare(), FakeBill(MONTHLY), **kw)


# ---------------------------------------------------------------------------
# the Assumptions table (finance export review) and undefined unit costs

def _rows(r) -> pd.DataFrame:
    return r.assumptions.set_index("key")


def test_assumptions_list_every_run_tco_argument_and_field():
    """Every argument of run_tco and every TcoInputs field appears with value, unit and source.

    Before the fix the table left out the depreciation method and its conventions,
    it_avg_kw and facility_energy_kwh, and had no vintage column. Values are the inputs
    themselves (exact); the derived mean IT draw is 8760 MWh / 8760 h = 1000 kW (hand)."""
    import dataclasses
    import inspect

    inp = bare(horizon=3, server_usd_per_accelerator=10_000.0)
    rows = _rows(run_tco(inp, FakeBill(MONTHLY), it_avg_kw=900.0, facility_energy_kwh=1.1e7))
    assert list(run_tco(inp, 0.0).assumptions.columns) == ["key", "value", "unit", "description", "source",
                                                           "vintage", "status"]
    # costs, ranges and source_notes are shown on each input's own row (its value; a site's own range or text in
    # its source)
    fields = [f.name for f in dataclasses.fields(TcoInputs)
              if f.name not in ("costs", "phases", "sources", "ranges", "source_notes")]
    args = [a for a in inspect.signature(run_tco).parameters if a not in ("inputs", "electricity")]
    for k in fields + args + list(tco.load_costs().index) + ["phase1_offset_months", "electricity_typical_year_usd"]:
        assert k in rows.index, k
        assert rows.loc[k, "unit"] and rows.loc[k, "source"], k
    assert rows.loc["it_avg_kw", "value"] == 900.0 and rows.loc["it_avg_kw", "source"].startswith("caller")
    assert rows.loc["facility_energy_kwh", "value"] == 1.1e7
    assert rows.loc["n_accelerators", "value"] == 10.0 and rows.loc["n_accelerators", "source"] == \
        "caller: TcoInputs.n_accelerators"
    assert rows.loc["electricity_typical_year_usd", "value"] == pytest.approx(MONTHLY.sum(), rel=1e-15)
    assert "Bill" in rows.loc["electricity_typical_year_usd", "source"]
    # not given: the derived mean draw, and an empty facility energy that says so
    rows0 = _rows(run_tco(inp, 0.0))
    assert rows0.loc["it_avg_kw", "value"] == pytest.approx(1000.0, rel=1e-15)
    assert rows0.loc["it_avg_kw", "status"] == "derived"
    assert np.isnan(rows0.loc["facility_energy_kwh", "value"]) and rows0.loc["facility_energy_kwh", "status"] == "not given"
    assert rows0["value"].dtype == float  # the export compares the column as numbers


def test_assumptions_state_the_depreciation_method_and_convention():
    # MACRS: tax lives of ASSET_CLASSES (IT 5 yr, shell 39 yr, plant 15 yr: IRS Pub 946), half-year /
    # mid-month conventions named; book straight line: economic lives, full-year convention
    on = dict(server_usd_per_accelerator=10_000.0, it_refresh_years=4.0)
    m = _rows(run_tco(bare(**on), 0.0))
    assert m.loc["depreciation", "value"] == 1.0 and "MACRS" in m.loc["depreciation", "description"]
    assert m.loc["depreciation_life_it_years", "value"] == 5.0
    assert "half-year convention" in m.loc["depreciation_life_it_years", "description"]
    assert m.loc["depreciation_life_facility_shell_years", "value"] == 39.0
    assert "mid-month" in m.loc["depreciation_life_facility_shell_years", "description"]
    assert m.loc["depreciation_life_facility_electrical_years", "value"] == 15.0
    inp = TcoInputs(n_accelerators=10, it_capacity_kw=1000.0, it_energy_kwh=8.76e6, horizon_years=3,
                    depreciation="straight-line", costs=bare_costs(**on))
    sl = _rows(run_tco(inp, 0.0))
    assert sl.loc["depreciation", "value"] == 0.0 and "straight line" in sl.loc["depreciation", "description"]
    assert sl.loc["depreciation_life_it_years", "value"] == 4.0           # = it_refresh_years
    assert sl.loc["depreciation_life_facility_electrical_years", "value"] == 20.0  # ECONOMIC_LIFE_YEARS
    assert "full-year convention" in sl.loc["depreciation_life_pv_years", "description"]
    assert sl.loc["economic_life_interconnection_years", "value"] == 40.0
    assert sl.loc["placed_in_service_month", "value"] == 0.0               # build_months 0 in the bare case


def test_assumptions_vintage_is_the_costs_csv_vintage_and_never_invented():
    t = tco.load_costs()
    inp = TcoInputs(n_accelerators=8, it_capacity_kw=100.0, it_energy_kwh=1e5, costs={"discount_rate_frac": 0.1})
    rows = _rows(run_tco(inp, 1e5))
    for k in t.index:
        if k == "discount_rate_frac":  # the caller's figure: no costs.csv vintage, no costs.csv source
            assert rows.loc[k, "vintage"] == "" and rows.loc[k, "status"] == "input"
            assert rows.loc[k, "source"] == "caller: TcoInputs.costs['discount_rate_frac']"
        else:
            assert rows.loc[k, "vintage"] == t.loc[k, "vintage"], k
            assert rows.loc[k, "source"] == f"data/costs.csv row {k}: {t.loc[k, 'source']}", k
    others = rows.drop(index=t.index)
    assert (others["vintage"] == "").all()


def test_assumptions_name_the_site_spec_field_of_each_input():
    from dcplan.site import load_portfolio
    site = load_portfolio()["research-triangle-nc"]
    inp = tco.inputs_from_site(site, n_accelerators=4096, it_capacity_kw=5616.0, it_energy_kwh=4.2e7,
                               delay_months=7.0, electricity_escalation_frac=0.2)
    rows = _rows(run_tco(inp, 4e6))
    assert rows.loc["discount_rate_frac", "source"] == "site.finance.discount_rate_frac"
    assert rows.loc["discount_rate_frac", "value"] == site.finance.discount_rate_frac
    assert rows.loc["utilization_frac", "source"] == "site.fleet.utilisation_frac"
    assert rows.loc["horizon_years", "source"] == "site.finance.horizon_years"
    assert rows.loc["pv_kw_dc", "source"] == "site.solar.dc_kw"
    # the caller's override wins over the site's figure, and says so
    assert rows.loc["electricity_escalation_frac", "source"] == "caller: inputs_from_site(electricity_escalation_frac=...)"
    assert rows.loc["delay_months", "source"].startswith("caller") and rows.loc["delay_months", "value"] == 7.0
    # inflation is not in the site file: its figure is the data/costs.csv row's, credited to that
    # row (it said "value from site.finance.inflation_frac", status input; found by a cross-check)
    assert "inflation_frac" not in site.finance.model_fields_set
    t = tco.load_costs()
    assert rows.loc["inflation_frac", "source"] == f"data/costs.csv row inflation_frac: {t.loc['inflation_frac', 'source']}"
    assert rows.loc["inflation_frac", "status"] == t.loc["inflation_frac", "status"] == "estimate"
    assert rows.loc["inflation_frac", "value"] == t.loc["inflation_frac", "value"] == site.finance.inflation_frac
    # a later with_costs override is the caller's too
    again = _rows(run_tco(inp.with_costs(discount_rate_frac=0.1), 4e6))
    assert again.loc["discount_rate_frac", "source"] == "caller: TcoInputs.costs['discount_rate_frac']"
    assert again.loc["utilization_frac", "source"] == "site.fleet.utilisation_frac"


def test_sources_are_checked():
    ok = dict(n_accelerators=8, it_capacity_kw=100.0, it_energy_kwh=1e5)
    with pytest.raises(InputError, match=r"sources.discount_rate.*did you mean.*discount_rate_frac"):
        TcoInputs(**ok, sources={"discount_rate": "site"})
    with pytest.raises(InputError, match=r"sources.pv_kw_dc.*non-empty"):
        TcoInputs(**ok, sources={"pv_kw_dc": ""})
    # provenance does not change the model: equal inputs, equal results
    assert TcoInputs(**ok, sources={"pv_kw_dc": "site.solar.dc_kw"}) == TcoInputs(**ok)


def test_unit_costs_without_output_are_none_as_documented():
    """run_tco's docstring: None where a figure does not exist. With no GPU-hours, tokens or IT
    energy over the horizon (utilization 0, IT energy 0) the unit costs were float inf."""
    inp = TcoInputs(n_accelerators=4096, it_capacity_kw=6000.0, it_energy_kwh=0.0, utilization_frac=0.0)
    r = run_tco(inp, 1.2e6)
    for k in ("usd_per_gpu_hour", "usd_per_mwh_it", "usd_per_million_tokens", "tokens_per_j_it",
              "tokens_per_j_facility", "electricity_usd_per_mwh_facility"):
        assert r.summary[k] is None, k
    assert np.isfinite(r.summary["npv_usd"]) and np.isfinite(r.summary["tco_pv_usd"])
    # what the notebook publishes (results.json null) and the export writes (an empty cell)
    from dcplan import tco_export
    from dcplan.results import publish
    recs = {x["key"]: x["value"] for x in publish({k: (v, r.units[k], k) for k, v in r.summary.items()}, show=False)}
    assert recs["usd_per_gpu_hour"] is None
    summ = tco_export.workbook_frames(r)["Summary"].set_index("key")
    assert pd.isna(summ.loc["usd_per_gpu_hour", "value"]) and summ.loc["usd_per_gpu_hour", "note"]
    # with facility energy: 1.2 M USD / 10,000 MWh = 120 USD/MWh (hand)
    r2 = run_tco(inp, 1.2e6, facility_energy_kwh=1e7)
    assert r2.summary["electricity_usd_per_mwh_facility"] == pytest.approx(120.0, rel=1e-14)
    # a leap weather year's bill covers 8,784 h while facility_energy_kwh is scaled to 8,760 h: the bill per
    # MWh divides by the energy of the 8,784 h the bill covers, 1.2 M USD / (10,000 x 8,784 / 8,760 MWh) =
    # 119.672 USD/MWh (hand; it was 120, a 366-day bill over 365 days of energy)
    r3 = run_tco(inp, 1.2e6, facility_energy_kwh=1e7, bill_hours_h=8784.0)
    assert r3.summary["electricity_usd_per_mwh_facility"] == pytest.approx(1.2e6 / 10_027.397260273972, rel=1e-12)
    for bad in (0.0, -8760.0, float("nan")):
        with pytest.raises(InputError, match="bill_hours_h|8784"):
            run_tco(inp, 1.2e6, facility_energy_kwh=1e7, bill_hours_h=bad)
    # the arrays of metrics() (tornado, Monte Carlo) keep inf: documented there
    lines = tco.evaluate(inp, 1.2e6)
    assert np.isinf(tco.metrics(lines, 0.08)["usd_per_gpu_hour"][0])


# ---------------------------------------------------------------------------
# whole months: rounded half up, and the Assumptions table shows the months used

@pytest.mark.parametrize("given, used", [(0.5, 1.0), (2.5, 3.0), (10.5, 11.0), (11.5, 12.0), (7.49, 7.0)])
def test_fractional_months_round_half_up_and_assumptions_show_them(given, used):
    """Python's round() took halves to even (delay 2.5 -> 2, build 10.5 -> 10, 0.5 -> 0) and
    the Assumptions sheet showed the value given, not the one used. The model runs on whole
    months (the docstring promises rounding), so half up: 2.5 -> 3 (exact, no tolerance)."""
    inp = TcoInputs(n_accelerators=1000, it_capacity_kw=1500.0, it_energy_kwh=1.0e7, horizon_years=5)
    for key, other in (("build_months", "delay_months"), ("delay_months", "build_months")):
        frac = run_tco(inp.with_costs(**{key: given, other: 0.0}), 1.5e6)
        whole = run_tco(inp.with_costs(**{key: used, other: 0.0}), 1.5e6)
        assert frac.summary == whole.summary, key
        rows = frac.assumptions.set_index("key")
        assert rows.loc[key, "value"] == used
        assert f"given {given:g}" in rows.loc[key, "description"] and "rounded half up" in rows.loc[key, "description"]
        assert rows.loc["operations_start_month", "value"] == used == frac.summary["operations_start_month"]
        assert "given" not in whole.assumptions.set_index("key").loc[key, "description"]
    assert tco.whole_months(given) == used
    # per-case values of a tornado / Monte Carlo batch round the same way
    batch = tco.evaluate(inp, 1.5e6, params={"build_months": np.array([given, used])})
    np.testing.assert_array_equal(batch["net_cash_flow_usd"][0], batch["net_cash_flow_usd"][1])


def test_refresh_cycle_and_phase_offsets_in_whole_months_are_shown():
    # it_refresh_years 4.0417 -> 48.5 months -> 49 (half up); a phase offset 6.5 -> 7 months
    inp = TcoInputs(n_accelerators=10, it_capacity_kw=1000.0, it_energy_kwh=8.76e6, horizon_years=6,
                    phases=((0.0, 0.5), (6.5, 0.5)), costs=bare_costs(it_refresh_years=48.5 / 12,
                                                                      server_usd_per_accelerator=1000.0))
    r = run_tco(inp, 0.0)
    rows = r.assumptions.set_index("key")
    assert rows.loc["it_refresh_months", "value"] == 49.0
    assert "rounded half up" in rows.loc["it_refresh_months", "description"]
    assert rows.loc["phase2_offset_months", "value"] == 7.0
    assert "given 6.5" in rows.loc["phase2_offset_months", "description"]
    # purchases (1-based months): tranche 1 at months 1 and 50, tranche 2 at 8 and 57
    m = r.monthly["capex_it_usd"]
    assert sorted(m[m > 0].index) == [1, 8, 50, 57]


def test_horizon_check_uses_the_months_the_model_uses():
    # build 11.5 -> 12 months: operations would start at month 12 = the end of a 1-year horizon
    with pytest.raises(InputError, match=r"horizon_years.*operations start at month 12"):
        TcoInputs(n_accelerators=8, it_capacity_kw=100.0, it_energy_kwh=1e5, horizon_years=1,
                  costs={"build_months": 11.5})


@pytest.mark.parametrize("finance, text", [
    ({"discount_rate_frac": 0.08, "costs": {"discount_rate_frac": 0.2}},
     "finance.costs: discount_rate_frac is set twice, as finance.discount_rate_frac (0.08) and "
     "finance.costs.discount_rate_frac (0.2); set it once"),
    ({"tax_rate_frac": 0.21, "costs": {"tax_rate_frac": 0.3}}, "tax_rate_frac is set twice"),
    ({"discount_rate_frac": -0.05}, "finance.discount_rate_frac: Input should be greater than or equal to 0"),
    ({"it_refresh_years": 0.5}, "finance.it_refresh_years: Input should be greater than or equal to 1"),
])
def test_site_finance_inputs_set_once_and_plausible(tmp_path, finance, text):
    """Before, ``finance.costs`` silently won over the same input set as a finance field (the
    0.08 was dropped for 0.2), and a negative discount rate or a monthly IT refresh loaded."""
    import yaml

    from conftest import DATA

    from dcplan.site import load_site
    d = yaml.safe_load((DATA / "sites" / "chicago-il.yaml").read_text())
    for sec in ("weather", "tariff"):
        d[sec]["file"] = str(DATA / d[sec]["file"])
    d["finance"] = {"horizon_years": 10, **finance}
    (tmp_path / "s.yaml").write_text(yaml.safe_dump(d))
    with pytest.raises(InputError) as e:
        load_site(tmp_path / "s.yaml")
    assert text in str(e.value)


def test_the_network_row_leaves_the_nics_to_the_server_price():
    """A sources audit: data/costs.csv network_usd_per_accelerator said "NICs, switches, optics, cabling" and was
    anchored on (317000 - 270000) / 8 = 5,875 USD as "the NIC difference between the two server quotes". The DGX
    H100 behind the server row's 270,000 USD ships with its NICs (8 single-port 400 Gb/s and 2 dual-port ConnectX-7,
    NVIDIA DGX BasePOD reference architecture), so NICs counted here were counted twice, and the two quotes differ
    by vendor and date (Thinkmate HGX 2024-08, DGX 2023-05), not by NICs."""
    from dcplan.tco_assumptions import COST_QUANTITIES
    row = tco.load_costs().loc["network_usd_per_accelerator"]
    assert "switches, optics and cabling" in row["description"]
    assert "NICs are in server_usd_per_accelerator" in row["description"]
    assert "(NICs, switches" not in row["description"] and "NICs" not in COST_QUANTITIES[
        "network_usd_per_accelerator"].split(";")[0]
    # no longer anchored on the quotes' difference: an estimate, which says why the old anchor failed
    assert row["status"] == "estimate" and row["source"].startswith("estimate; no sourced figure adopted")
    assert "vendor and date" in row["source"]
