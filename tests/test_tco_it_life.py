"""The IT's life in the TCO (dcplan.tco_cashflows, dcplan.tco_it_life): what its support, insured and taxed
value follow, how long it is valued for at the horizon, and its tax basis when a refresh replaces it.

* IT maintenance (``maintenance_it_frac``: "share of IT capex per year", data/costs.csv) and insurance and
  property tax on IT are on the price each installed tranche was bought for, ``(1 + it_price_change_frac) **
  (project year bought - 1)`` x the year-1 price (the purchases' own price), inflated by project year as before.
* The residual values the IT straight line over its refresh cycle, at most
  ``IT_RESIDUAL_LIFE_MAX_YEARS`` (6 yr, the longest server life in the 10-K filings, costs.csv);
  a refresh cycle above the catalog band (20 yr) is warned.
* When a refresh replaces a fleet, the tax basis it has left is written off in the tax year of the refresh
  (disposed of at zero proceeds: its residual is zero by then), not left to the sale at the horizon.

Cases are the "bare" case of ``tests/test_tco.py`` (every costs.csv input 0 except those switched on): 10 GPUs
x 1,000 USD = 10,000 USD of IT at year-1 prices; every expected figure is a hand calculation in the comments,
compared at rel 1e-12 (float sums of a few terms).
"""
from __future__ import annotations

import warnings

import numpy as np
import pytest

from dcplan import tco
from dcplan.errors import DcplanWarning
from dcplan.tco import TcoInputs, run_tco
from dcplan.tco_it_life import IT_RESIDUAL_LIFE_MAX_YEARS, it_refresh_warnings

from test_tco import bare_costs  # every costs.csv input at zero; some switched on


def _case(horizon=5, **on) -> TcoInputs:
    return TcoInputs(n_accelerators=10, it_capacity_kw=1000.0, it_energy_kwh=0.0, horizon_years=horizon,
                     costs=bare_costs(server_usd_per_accelerator=1000.0, **on))


def test_it_maintenance_insurance_and_tax_follow_the_purchase_price():
    # bought at month 0 and every 24 months at 0.9^(year - 1): 10,000 (year 1), 8,100 (year 3), 6,561 (year 5);
    # maintenance 10 %, insurance 1 %, property tax 2 % of the installed fleet's price, x 1.05^(year - 1):
    # maintenance 1,000, 1,050, 810 x 1.05^2, 810 x 1.05^3, 656.1 x 1.05^4 (before: 1,000 x 1.05^(y-1) every year)
    r = run_tco(_case(it_refresh_years=2.0, it_price_change_frac=-0.1, maintenance_it_frac=0.1,
                      insurance_frac=0.01, property_tax_frac=0.02, inflation_frac=0.05), 0.0)
    price = np.array([10_000.0, 10_000.0, 8_100.0, 8_100.0, 6_561.0]) * 1.05 ** np.arange(5)
    a = r.annual
    np.testing.assert_allclose(a.loc["opex_maintenance_it_usd"], 0.1 * price, rtol=1e-12)
    np.testing.assert_allclose(a.loc["opex_insurance_usd"], 0.01 * price, rtol=1e-12)
    np.testing.assert_allclose(a.loc["opex_property_tax_usd"], 0.02 * price, rtol=1e-12)


def test_each_month_carries_the_price_of_the_fleet_then_installed():
    # a 6-month build: bought at month 6 (year 1, 10,000), 30 (year 3, 8,100) and 54 (year 5, 6,561); maintenance
    # 12 %/yr = 1 % a month of the installed price: year 1: 6 x 100 = 600; year 2: 1,200; year 3: 6 x 100 +
    # 6 x 81 = 1,086; year 4: 972; year 5: 6 x 81 + 6 x 65.61 = 879.66 (no inflation)
    r = run_tco(_case(it_refresh_years=2.0, it_price_change_frac=-0.1, maintenance_it_frac=0.12,
                      build_months=6.0), 0.0)
    np.testing.assert_allclose(r.annual.loc["opex_maintenance_it_usd"], [600.0, 1_200.0, 1_086.0, 972.0, 879.66],
                               rtol=1e-12)
    # without a price change the line is the year-1 price x the years installed, as before: 600, then 1,200
    r0 = run_tco(_case(it_refresh_years=2.0, maintenance_it_frac=0.12, build_months=6.0), 0.0)
    np.testing.assert_allclose(r0.annual.loc["opex_maintenance_it_usd"], [600.0] + [1_200.0] * 4, rtol=1e-12)


def test_residual_life_of_it_is_capped_at_six_years():
    # the cap is the costs.csv row's high (Microsoft and Alphabet depreciate servers over 6 years)
    assert IT_RESIDUAL_LIFE_MAX_YEARS == tco.load_costs().loc["it_refresh_years", "high"] == 6.0
    # 10-yr cycle, 5-yr horizon, bought at month 0: 60 months old at the horizon, straight line over
    # min(10, 6) = 6 yr: 10,000 x (1 - 60/72) = 1,666.67 (before: over 10 yr, 5,000)
    r = run_tco(_case(it_refresh_years=10.0), 0.0)
    assert r.annual.loc["residual_value_usd", 5] == pytest.approx(10_000.0 / 6.0, rel=1e-12)
    # a 30-yr cycle and a 10-yr horizon after a 12-month build: 108 months old, past 6 yr: 0 (before 7,000)
    r = run_tco(_case(horizon=10, it_refresh_years=30.0, build_months=12.0), 0.0)
    assert r.annual.loc["residual_value_usd"].sum() == 0.0
    # within the cap nothing changes: 6-yr cycle, 5-yr horizon: 10,000 x (1 - 60/72)
    r = run_tco(_case(it_refresh_years=6.0), 0.0)
    assert r.annual.loc["residual_value_usd", 5] == pytest.approx(10_000.0 / 6.0, rel=1e-12)


def test_refresh_above_the_band_is_warned():
    assert it_refresh_warnings(20.0) == []                           # the band's high (catalog_bands: 1-20 yr)
    msg = it_refresh_warnings(30.0, "finance.it_refresh_years", "sites/x.yaml")
    assert len(msg) == 1
    assert msg[0].startswith("sites/x.yaml: finance.it_refresh_years: 30 years is above the catalog band's high of "
                             "20 years")
    assert "straight line over 6 years" in msg[0] and "allowed without this warning: 1-20 years" in msg[0]
    # from a site: a DcplanWarning naming the field and value
    from dcplan.specs.finance import FinanceSpec

    class S:  # minimal stand-in for a Site: the sections inputs_from_site reads
        finance = FinanceSpec(it_refresh_years=30.0)
        fleet = type("F", (), {"utilisation_frac": 0.7})()
        solar = type("P", (), {"dc_kw": 0.0})()

    kw = dict(n_accelerators=8, it_capacity_kw=100.0, it_energy_kwh=1e5)
    with pytest.warns(DcplanWarning, match=r"finance\.it_refresh_years: 30 years is above the catalog band's high"):
        tco.inputs_from_site(S(), **kw)
    S.finance = FinanceSpec(it_refresh_years=6.0)
    with warnings.catch_warnings():
        warnings.simplefilter("error", DcplanWarning)
        tco.inputs_from_site(S(), **kw)


def test_refresh_writes_off_the_replaced_fleets_tax_basis():
    # MACRS 5-yr (half-year): 20, 32, 19.2, 11.52, 11.52, 5.76 %. A 1-yr cycle over 3 years: 10,000 bought at
    # months 0, 12, 24. Each fleet deducts 2,000 in its year, and the 8,000 left when the next replaces it in the
    # next year: depreciation 2,000, 10,000 and, in year 3, the second fleet's 8,000 only: the last fleet is
    # placed in service and sold (the horizon's sale) in the same tax year, which deducts nothing for it (Pub 946
    # ch. 1, "What Property Cannot Be Depreciated"; no bonus either), so its 10,000 is the basis at the horizon,
    # sold at its residual, 0 (12 months old on a 12-month life): a loss of 10,000. Year 3's taxable income is
    # the same -18,000 as when it deducted 2,000 and lost 8,000. (Before the write-off: 2,000, 5,200, 7,120, and
    # a basis of 15,680 left to the horizon.)
    r = run_tco(_case(horizon=3, it_refresh_years=1.0, tax_rate_frac=0.25), 0.0)
    a = r.annual
    # the deduction, 2,000, 10,000, 8,000, in two lines: each 8,000 written off is 50 % x 32 % = 1,600 of the
    # year of disposition's depreciation (half-year, Pub 946 ch. 4) and a 6,400 loss on disposal (Form 4797)
    np.testing.assert_allclose(a.loc["depreciation_usd"] + a.loc["loss_on_disposal_usd"],
                               [2_000.0, 10_000.0, 8_000.0], rtol=1e-12)
    np.testing.assert_allclose(a.loc["depreciation_usd"], [2_000.0, 3_600.0, 1_600.0], rtol=1e-12)
    np.testing.assert_allclose(a.loc["loss_on_disposal_usd"], [0.0, 6_400.0, 6_400.0], rtol=1e-12)
    assert a.loc["residual_tax_basis_usd", 3] == pytest.approx(10_000.0, rel=1e-12)
    assert a.loc["residual_gain_usd", 3] == pytest.approx(-10_000.0, rel=1e-12)
    # the tax reconciles: 25 % x -(depreciation + the loss in year 3)
    np.testing.assert_allclose(a.loc["income_tax_usd"], [-500.0, -2_500.0, -4_500.0], rtol=1e-12)
    # a 4-yr cycle over 6 years: bought at months 0 and 48 (years 1 and 5); the first fleet's basis left after
    # years 1-4, 1 - 0.8272 = 17.28 %, is deducted in year 5 with the second's 20 %: 3,728; year 6, the year of
    # the horizon's sale: half the second's 32 % (half-year convention), 1,600
    # (before the write-off: 1,152 + 2,000 in year 5 and 576 + 3,200 in year 6); of year 5's 1,728 written off,
    # 50 % x 11.52 % = 576 is depreciation, 1,152 a loss on disposal
    r = run_tco(_case(horizon=6, it_refresh_years=4.0), 0.0)
    np.testing.assert_allclose(r.annual.loc["depreciation_usd"],
                               [2_000.0, 3_200.0, 1_920.0, 1_152.0, 2_576.0, 1_600.0], rtol=1e-12)
    np.testing.assert_allclose(r.annual.loc["loss_on_disposal_usd"], [0.0] * 4 + [1_152.0, 0.0],
                               rtol=0, atol=1e-9)
    # the default 5-yr cycle: the first fleet's last MACRS year is its refresh year, nothing moves; the second,
    # bought in year 6, is sold at the horizon in the same tax year: no deduction for it
    r = run_tco(_case(horizon=6, it_refresh_years=5.0), 0.0)
    np.testing.assert_allclose(r.annual.loc["depreciation_usd"],
                               [2_000.0, 3_200.0, 1_920.0, 1_152.0, 1_152.0, 576.0], rtol=1e-12)
    assert (r.annual.loc["loss_on_disposal_usd"] == 0.0).all()

    # book straight line over the cycle, per case in a batch (1.5- and 2-yr cycles, 3-yr horizon, bought at month
    # 0): a full-year straight line over the cycle ends in the refresh's tax year, so nothing is left to write off.
    # 1.5 yr: 2/3 and 1/3 of 10,000 in years 1-2 (dcplan.finance_depreciation), the fleet of month 18 (year 2) the
    # same in years 2-3: 6,667, 10,000, 3,333; 2 yr: 5,000 a year, the fleet of month 24 from year 3: 5,000
    inp = TcoInputs(n_accelerators=10, it_capacity_kw=1000.0, it_energy_kwh=0.0, horizon_years=3,
                    depreciation="straight-line", costs=bare_costs(server_usd_per_accelerator=1000.0))
    dep = tco.evaluate(inp, 0.0, {"it_refresh_years": np.array([1.5, 2.0])}, period_months=12)["depreciation_usd"]
    np.testing.assert_allclose(dep, [[10_000 / 1.5, 10_000.0, 10_000 / 3], [5_000.0] * 3], rtol=1e-12)


def test_a_refresh_write_off_is_the_disposal_years_depreciation_and_a_loss_apart():
    # A finance reviewer: the write-off a refresh leaves is two lines of a tax return, the year of disposition's
    # depreciation (IRS Pub 946 ch. 4: under the half-year convention half the year's Table A-1 amount, all of it
    # in the schedule's last year) and the loss on disposal at zero proceeds (IRC §165; Form 4797). The
    # Depreciation sheet gives them two rows that sum to the old combined row; depreciation_usd does not move
    # (test_refresh_writes_off_the_replaced_fleets_tax_basis pins it). MACRS 5-yr: 20, 32, 19.2, 11.52, 11.52,
    # 5.76 % of 10,000. abs 1e-6 USD (sums of a few floats).
    d = run_tco(_case(horizon=3, it_refresh_years=1.0, tax_rate_frac=0.25), 0.0).depreciation
    years = ["year_1", "year_2", "year_3"]
    # 1-yr cycle: the fleet of year 1 is replaced in year 2, its 2nd recovery year: 50 % x 32 % = 1,600 deducted
    # as depreciation, the other 8,000 - 1,600 = 6,400 lost; the fleet of year 2 likewise in year 3
    for k, y in ((1, 1), (2, 2)):
        disp, loss = d.loc[f"it_{k}_disposal_year_depreciation", years], d.loc[f"it_{k}_loss_on_disposal", years]
        want_disp, want_loss = np.zeros(3), np.zeros(3)
        want_disp[y], want_loss[y] = 1_600.0, 6_400.0
        np.testing.assert_allclose(disp.to_numpy(float), want_disp, rtol=0, atol=1e-6)
        np.testing.assert_allclose(loss.to_numpy(float), want_loss, rtol=0, atol=1e-6)
        # the two parts: the old combined row, the 8,000 the fleet had left
        assert d.loc[f"it_{k}_disposal_year_depreciation", "total_usd"] \
            + d.loc[f"it_{k}_loss_on_disposal", "total_usd"] == pytest.approx(8_000.0, abs=1e-6)
    assert "Form 4797" in d.loc["it_1_loss_on_disposal", "method"]
    assert "year of disposition" in d.loc["it_1_disposal_year_depreciation", "method"]
    assert not any(i.endswith("_written_off") for i in d.index)
    # 4-yr cycle over 6 years: replaced in year 5, its 5th recovery year: 50 % x 11.52 % = 576 depreciation and
    # 1,728 - 576 = 1,152 lost (the 17.28 % left: 11.52 + 5.76)
    d = run_tco(_case(horizon=6, it_refresh_years=4.0), 0.0).depreciation
    assert d.loc["it_1_disposal_year_depreciation", "year_5"] == pytest.approx(576.0, abs=1e-6)
    assert d.loc["it_1_loss_on_disposal", "year_5"] == pytest.approx(1_152.0, abs=1e-6)
    # the default 5-yr cycle: replaced in its 6th, last recovery year, whose 5.76 % is already the half year
    # (disposal_year_factor: min(1, 0.5 / 0.5)): all 576 is depreciation, no loss
    d = run_tco(_case(horizon=6, it_refresh_years=5.0), 0.0).depreciation
    assert d.loc["it_1_disposal_year_depreciation", "year_6"] == pytest.approx(576.0, abs=1e-6)
    assert (d.loc["it_1_loss_on_disposal", [f"year_{y}" for y in range(1, 7)]] == 0.0).all()
    # book straight line (a full-year method), 1.5-yr cycle: 2/3 and 1/3 of 10,000; the fleet of month 0 is
    # replaced in year 2, whose 3,333 is its schedule's own last year: depreciation, nothing lost
    inp = TcoInputs(n_accelerators=10, it_capacity_kw=1000.0, it_energy_kwh=0.0, horizon_years=3,
                    depreciation="straight-line",
                    costs=bare_costs(server_usd_per_accelerator=1000.0, it_refresh_years=1.5))
    d = run_tco(inp, 0.0).depreciation
    assert d.loc["it_1_disposal_year_depreciation", "year_2"] == pytest.approx(10_000 / 3, abs=1e-6)
    assert d.loc["it_1_loss_on_disposal", "total_usd"] == pytest.approx(0.0, abs=1e-6)



def test_a_mid_quarter_refresh_deducts_its_quarters_share_of_the_disposal_year():
    # IT placed in service November 2027 with calendar tax years: all of 2027's MACRS basis in its last quarter
    # (IRC §168(d)(3): 100 % > 40 %), mid-quarter, IRS Pub 946 Table A-5 (5-yr, placed in Q4): 5.00, 38.00, 22.80 %
    # of 10,000. A 2-yr cycle replaces it in November 2029, the 4th quarter of its 3rd recovery year: Pub 946 ch. 4
    # allows 87.5 % of that year's 22.80 %, 1,995, as depreciation; the rest of the basis, 10,000 - 500 - 3,800 -
    # 1,995 = 3,705, is the loss; the two the old combined row, 5,700. abs 1e-6 USD.
    c = bare_costs(server_usd_per_accelerator=1000.0, it_refresh_years=2.0)
    d = run_tco(TcoInputs(n_accelerators=10, it_capacity_kw=1000.0, it_energy_kwh=0.0, horizon_years=3,
                          fleet_start="2027-11-01", costs=c, tax_year_start_month=1), 0.0).depreciation
    assert "mid-quarter: placed in service in quarter 4" in d.loc["it_1", "convention"]
    assert d.loc["it_1", ["tax_year_2027", "tax_year_2028"]].tolist() == pytest.approx([500.0, 3_800.0], abs=1e-6)
    assert d.loc["it_1_disposal_year_depreciation", "tax_year_2029"] == pytest.approx(1_995.0, abs=1e-6)
    assert d.loc["it_1_loss_on_disposal", "tax_year_2029"] == pytest.approx(3_705.0, abs=1e-6)
    assert d.loc["it_1_disposal_year_depreciation", "total_usd"] + d.loc["it_1_loss_on_disposal", "total_usd"] \
        == pytest.approx(5_700.0, abs=1e-6)
