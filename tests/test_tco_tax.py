"""dcplan.tco tax and capex timing: initial capex of a ramp, placed-in-service timing of tax
depreciation, tax on the end-of-horizon residual value, the documented half-year
and mid-quarter conventions and the year of the sale, and the lines that reconcile every year's tax.

Every expected number is computed by hand in the comments, on the "bare" case of
``tests/test_tco.py`` (every cost in data/costs.csv zero except the ones switched on).
MACRS percentages: IRS Publication 946 (2024), Table A-1 (half-year convention), Tables A-2 to A-5
(mid-quarter), ch. 4 (the year of disposition); real property: Table A-7a (39-yr, mid-month convention).
"""
from __future__ import annotations

import dataclasses

import numpy as np
import pytest

from dcplan import tco
from dcplan.tco import TcoInputs, run_tco

from test_tco import bare_costs  # every costs.csv input at zero; some switched on
from test_tco_discounting import phoenix  # noqa: F401  (fixture: the bundled phoenix-az inputs and bill)


def inputs(horizon, n=10, phases=((0.0, 1.0),), **on) -> TcoInputs:
    # 1 MW critical IT (facility capex = facility_usd_per_mw), no energy: no opex, no revenue
    return TcoInputs(n_accelerators=n, it_capacity_kw=1000.0, it_energy_kwh=0.0, horizon_years=horizon,
                     phases=phases, costs=bare_costs(**on))


# ---------------------------------------------------------------------------
# 1. capex_initial_usd counts the first purchase of every tranche

def test_capex_initial_counts_every_tranche_first_purchase():
    # two tranches of 5 accelerators x 10,000 USD at months 0 and 12; 5-yr refresh > 4-yr
    # horizon, so no refresh: 5 x 10,000 + 5 x 10,000 = 100,000 USD
    r = run_tco(inputs(4, phases=((0.0, 0.5), (12.0, 0.5)), server_usd_per_accelerator=10_000.0,
                       it_refresh_years=5.0), 0.0)
    assert r.annual.loc["capex_it_usd"].tolist() == [50_000.0, 50_000.0, 0.0, 0.0]
    assert r.summary["capex_initial_usd"] == 100_000.0


def test_capex_initial_excludes_refreshes_and_adds_non_it_capex():
    # same ramp, 2-yr refresh: tranche 1 bought at months 0 and 24, tranche 2 at 12 and 36
    # (IT capex 4 x 50,000 = 200,000); initial = 50,000 + 50,000 first buys + 1 MW x 1e6
    # USD/MW facility = 1,100,000 USD (refreshes at months 24 and 36 left out)
    r = run_tco(inputs(4, phases=((0.0, 0.5), (12.0, 0.5)), server_usd_per_accelerator=10_000.0,
                       it_refresh_years=2.0, facility_usd_per_mw=1e6), 0.0)
    assert r.annual.loc["capex_it_usd"].sum() == 200_000.0
    assert r.summary["capex_initial_usd"] == pytest.approx(1_100_000.0, rel=1e-15)


# ---------------------------------------------------------------------------
# 2. depreciation starts when an asset is placed in service

def test_non_it_depreciation_starts_at_end_of_build():
    # 1 MW x 1e6 USD/MW, all electrical plant (15-yr MACRS), spent over months 0-23, placed
    # in service at month 24 = the first month of (tax = project) year 3. 150 % DB, half-year (Pub 946 Table A-1,
    # 15-yr column prints 5.00, 9.50, 8.55, 7.70 %): exact 0.05; 0.95 x 0.1 = 0.095;
    # 0.855 x 0.1 = 0.0855; 0.7695 x 0.1 = 0.07695 (> SL 0.7695 / 12.5). Times 1e6 USD:
    # 0, 0, 50,000, 95,000, 85,500, 76,950, but year 6 is the year of the horizon's sale (its last month): the
    # year of disposition deducts half the year's amount under the half-year convention (Pub 946 ch. 4,
    # "Property disposed of before end of recovery period"), 38,475. rel: float rounding of the DB recursion
    r = run_tco(inputs(6, build_months=24.0, facility_usd_per_mw=1e6, facility_shell_frac=0.0,
                       facility_electrical_frac_of_critical=1.0), 0.0)
    a = r.annual
    np.testing.assert_allclose(a.loc["capex_facility_electrical_usd"], [5e5, 5e5, 0, 0, 0, 0])
    np.testing.assert_allclose(a.loc["depreciation_usd"], [0, 0, 50_000, 95_000, 85_500, 38_475],
                               rtol=1e-12, atol=1e-9)
    # monthly periods carry a twelfth of the year's depreciation
    np.testing.assert_allclose(r.monthly["depreciation_usd"].to_numpy().reshape(6, 12).sum(axis=1),
                               a.loc["depreciation_usd"], rtol=1e-12, atol=1e-9)


def test_shell_mid_month_uses_month_placed_in_service():
    # 1e6 USD shell (shell_frac 1), build 18 months: placed in service at month 18 = July
    # of year 2. Mid-month: year 2 gets (12 - 7 + 0.5) / 12 / 39 = 5.5 / 468 = 1.1752 %
    # (Table A-7a, July, prints 1.177 %), then 1/39 = 2.5641 % (prints 2.564 %).
    # 1e6 x: 0, 11,752.14, 25,641.03, and in year 4, the year of the horizon's sale in its 12th month, the
    # mid-month convention's months to the middle of the month of disposal, 11.5 / 12 of it (Pub 946 ch. 4):
    # 24,572.65
    a = run_tco(inputs(4, build_months=18.0, facility_usd_per_mw=1e6, facility_shell_frac=1.0), 0.0).annual
    np.testing.assert_allclose(a.loc["depreciation_usd"], [0.0, 1e6 * 5.5 / 468, 1e6 / 39, 1e6 / 39 * 11.5 / 12],
                               rtol=1e-12, atol=1e-9)
    # against the printed table: year 1 absorbs the table's rounding (0.002 pp), as in
    # tests/test_finance.py's month-1 check
    assert a.loc["depreciation_usd", 2] / 1e6 == pytest.approx(0.01177, abs=0.00005)


def test_it_placed_in_service_in_tax_year_of_deployment():
    # build 6 months; tranche 1 (5 x 10,000) at month 6 (year 1), tranche 2 at month 6 + 6
    # = 12 (first month of tax = project year 2); 50-yr refresh: no refresh. MACRS 5-yr 20 %, 32 %, 19.2 %:
    # y1 0.2 x 50k = 10,000; y2 0.32 x 50k + 0.2 x 50k = 26,000; y3, the year of the horizon's sale, half
    # of 0.192 x 50k + 0.32 x 50k (half-year convention in the year of disposition, Pub 946 ch. 4) = 12,800.
    # Neither tax year has over 40 % of its MACRS basis in its last quarter (months 6 and 12: Q3 of year 1,
    # Q1 of year 2): half-year convention.
    r = run_tco(inputs(3, phases=((0.0, 0.5), (6.0, 0.5)), build_months=6.0,
                       server_usd_per_accelerator=10_000.0, it_refresh_years=50.0), 0.0)
    m = r.monthly["capex_it_usd"]
    assert m[m > 0].to_dict() == {7: 50_000.0, 13: 50_000.0}  # 1-based months 7 and 13
    np.testing.assert_allclose(r.annual.loc["depreciation_usd"], [10_000, 26_000, 12_800], rtol=1e-12)


def test_per_case_build_months_match_single_runs():
    # a batch (tornado / Monte Carlo) with per-case build months places each case in
    # service in its own month: equal to the single runs
    inp = inputs(5, build_months=12.0, facility_usd_per_mw=1e6, server_usd_per_accelerator=10_000.0,
                 interconnection_usd_per_mw=2e5, tax_rate_frac=0.21)
    batch = tco.evaluate(inp, 0.0, params={"build_months": np.array([0.0, 12.0, 18.0])})
    for i, b in enumerate([0.0, 12.0, 18.0]):
        one = tco.evaluate(inp.with_costs(build_months=b), 0.0)
        for k in ("depreciation_usd", "income_tax_usd", "net_cash_flow_usd"):
            np.testing.assert_allclose(batch[k][i], one[k][0], rtol=1e-12, atol=1e-9)


# ---------------------------------------------------------------------------
# 3. the residual value is a taxable sale at the end of the horizon

def test_residual_gain_is_taxed_in_last_year():
    # one 10,000 USD server, 6-yr refresh life, 3-yr horizon, 21 % tax, no revenue.
    # depreciation 20 %, 32 %, and half of 19.2 % in year 3, the year of the sale (half-year convention,
    # Pub 946 ch. 4) = 2,000, 3,200, 960 -> basis left 10,000 - 6,160 = 3,840; residual 10,000 x (1 - 36/72)
    # = 5,000; gain 1,160 (the 960 less deducted is gained on the sale: year 3's tax is what it was).
    # tax: 0.21 x -2,000 = -420; 0.21 x -3,200 = -672; 0.21 x (-960 + 1,160) = 42
    a = run_tco(inputs(3, n=1, server_usd_per_accelerator=10_000.0, it_refresh_years=6.0,
                       tax_rate_frac=0.21), 0.0).annual
    assert a.loc["residual_value_usd", 3] == pytest.approx(5_000.0, rel=1e-15)
    np.testing.assert_allclose(a.loc["depreciation_usd"], [2_000, 3_200, 960], rtol=1e-12)
    assert a.loc["residual_gain_usd", 3] == pytest.approx(1_160.0, rel=1e-12)
    np.testing.assert_allclose(a.loc["income_tax_usd"], [-420.0, -672.0, 42.0], rtol=1e-10)
    # cash: -10,000 + 420; 672; 5,000 - 42
    np.testing.assert_allclose(a.loc["net_cash_flow_usd"], [-9_580.0, 672.0, 4_958.0], rtol=1e-12)


def test_residual_loss_including_retired_basis_is_deducted():
    # 10,000 USD server, 2-yr refresh: bought at months 0 and 24, 3-yr horizon, 21 % tax.
    # buy 1 is retired by the refresh in year 3: its basis left, 10,000 x (1 - 0.2 - 0.32) = 4,800, is
    # written off in year 3's depreciation; buy 2, placed in service and sold at the horizon in year 3, deducts
    # nothing (same tax year: Pub 946 ch. 1): its basis, 10,000, against its residual 10,000 x (1 - 12/24) =
    # 5,000 -> loss 5,000. Year 3 tax: 0.21 x (-4,800 - 5,000) = -2,058 (the same total when buy 2 deducted
    # 2,000 and lost 3,000, and before the write-off: 0.21 x (-(1,920 + 2,000) - 5,880))
    a = run_tco(inputs(3, n=1, server_usd_per_accelerator=10_000.0, it_refresh_years=2.0,
                       tax_rate_frac=0.21), 0.0).annual
    assert a.loc["residual_value_usd", 3] == pytest.approx(5_000.0, rel=1e-15)
    assert a.loc["income_tax_usd", 3] == pytest.approx(-2_058.0, rel=1e-10)


def test_residual_of_facility_taxed_with_monthly_and_annual_equal():
    # b1 case (electrical plant placed in service at month 24, 6-yr horizon, 21 % tax):
    # residual 1e6 x (1 - (72 - 24) / 240) = 800,000; basis left 1e6 - (50,000 + 95,000
    # + 85,500 + 76,950) = 692,550; gain 107,450; year-6 tax 0.21 x (-76,950 + 107,450)
    # = 6,405
    r = run_tco(inputs(6, build_months=24.0, facility_usd_per_mw=1e6, facility_shell_frac=0.0,
                       facility_electrical_frac_of_critical=1.0, tax_rate_frac=0.21), 0.0)
    a = r.annual
    assert a.loc["residual_value_usd", 6] == pytest.approx(800_000.0, rel=1e-12)
    assert a.loc["income_tax_usd", 6] == pytest.approx(6_405.0, rel=1e-9)
    np.testing.assert_allclose(r.monthly["income_tax_usd"].to_numpy().reshape(6, 12).sum(axis=1),
                               a.loc["income_tax_usd"], rtol=1e-12, atol=1e-9)


def test_straight_line_mode_no_gain_when_book_equals_tax():
    # straight-line mode: the tax schedule is the book one, so the residual equals the
    # basis left and the sale adds nothing. 1e6 electrical, 20-yr life, build 12, 5-yr
    # horizon: in service year 2, 4 x 50,000 deducted; residual 1e6 x (1 - 48/240) = 800,000
    # = basis left; year-5 tax 0.21 x -50,000 = -10,500
    inp = TcoInputs(n_accelerators=10, it_capacity_kw=1000.0, it_energy_kwh=0.0, horizon_years=5,
                    depreciation="straight-line",
                    costs=bare_costs(build_months=12.0, facility_usd_per_mw=1e6, facility_shell_frac=0.0,
                                     facility_electrical_frac_of_critical=1.0, tax_rate_frac=0.21))
    a = run_tco(inp, 0.0).annual
    np.testing.assert_allclose(a.loc["depreciation_usd"], [0, 50_000, 50_000, 50_000, 50_000], rtol=1e-12)
    assert a.loc["income_tax_usd", 5] == pytest.approx(-10_500.0, rel=1e-9)


# ---------------------------------------------------------------------------
# 4. the mid-quarter convention where IRC 168(d)(3) requires it (more: tests/test_tco_conventions.py)

def test_mid_quarter_convention_used_for_fourth_quarter_purchase():
    # build 9 months: all IT (10 x 10,000) placed in service in October of year 1, so IRC 168(d)(3) requires the
    # mid-quarter convention (Pub 946 Table A-5: 5 %, 38 %, ...), which the model now applies; year 2 is the year
    # of the horizon's sale (December, Q4): 87.5 % of 38 %. Before: the half-year Table A-1, 20,000 and 32,000
    a = run_tco(inputs(2, build_months=9.0, server_usd_per_accelerator=10_000.0,
                       it_refresh_years=50.0), 0.0).annual
    np.testing.assert_allclose(a.loc["depreciation_usd"], [5_000, 38_000 * 0.875], rtol=1e-12)
    assert "mid-quarter" in tco.__doc__ and "168(d)(3)" in tco.__doc__


def test_depreciation_fractions_pass_month_placed_to_real_property():
    from dcplan import finance
    # July: first year (12 - 7 + 0.5) / 12 / 39 = 5.5 / 468 (Table A-7a prints 1.177 %)
    f = finance.depreciation_fractions("real-property", 39, month_placed=7)
    assert f[0] == pytest.approx(5.5 / 468, rel=1e-12)
    np.testing.assert_array_equal(f, finance.real_property_fractions(39, month_placed=7))
    # the half-year MACRS schedule does not depend on the month; the mid-quarter one takes its quarter (Table A-5)
    np.testing.assert_array_equal(finance.depreciation_fractions("macrs", 5, month_placed=10),
                                  finance.macrs_fractions(5))
    np.testing.assert_array_equal(finance.depreciation_fractions("macrs", 5, month_placed=10, mid_quarter=True),
                                  finance.macrs_mid_quarter_fractions(5, 4))


def test_every_summary_figure_has_a_reader_label():
    # reports publish the summary with these labels: a new figure without one would show its key
    r = run_tco(inputs(3, server_usd_per_accelerator=10_000.0), 0.0, facility_energy_kwh=1.0)
    assert set(r.summary) <= set(tco.SUMMARY_LABELS), set(r.summary) - set(tco.SUMMARY_LABELS)


# ---------------------------------------------------------------------------
# 5. every year's income tax reconciles from the exported lines

def test_income_tax_reconciles_every_year_from_the_exported_csv(phoenix, tmp_path):
    """The review case, bundled phoenix-az (base scenario). Before the fix income_tax - 0.21 x
    (revenue - opex - depreciation) was 0 in years 1-9 and 3.50 M USD in year 10: the gain on
    the residual sale (79.10 M - (336.86 M capex - 274.44 M depreciation) = 16.68 M USD) was
    taxed but not shown. Now taxable_income_usd, residual_tax_basis_usd and residual_gain_usd
    are lines of the CashFlow sheet and CSV."""
    from dcplan import tco_export
    import pandas as pd
    inp, bill = phoenix
    r = run_tco(inp, bill)
    tco_export.write_csvs(r, tmp_path)
    cf = pd.read_csv(tmp_path / "tco_cashflow.csv", index_col="line_item").drop(columns="unit")
    rate = inp.params()["tax_rate_frac"]
    # the site's combined rate since 2026, federal 21 % + Arizona's 4.9 % (data/SOURCES.md); the review was at 21 %
    assert rate == pytest.approx(0.21 + 0.049 * (1 - 0.21), abs=1e-12)
    # float: sums of ~15 lines of 1e7-1e8 USD, so 1e-6 USD absolute
    taxable = (cf.loc["revenue_usd"] - cf.loc["total_opex_usd"] - cf.loc["depreciation_usd"]
               - cf.loc["loss_on_disposal_usd"] + cf.loc["residual_gain_usd"])
    # the bundled 5-yr refresh falls in its purchase's last recovery year: all of its write-off is depreciation
    assert (cf.loc["loss_on_disposal_usd"] == 0.0).all()
    np.testing.assert_allclose(cf.loc["taxable_income_usd"], taxable, rtol=1e-12, atol=1e-6)
    np.testing.assert_allclose(cf.loc["income_tax_usd"], rate * taxable, rtol=1e-12, atol=1e-6)
    # the sale: gain = residual - basis left = residual - (capex - depreciation over the horizon)
    last = cf.columns[-1]
    basis = cf.loc["total_capex_usd"].sum() - cf.loc["depreciation_usd"].sum()
    assert cf.loc["residual_tax_basis_usd", last] == pytest.approx(basis, rel=1e-12)
    assert cf.loc["residual_gain_usd", last] == pytest.approx(cf.loc["residual_value_usd", last] - basis, rel=1e-12)
    # the reviewer's figures (M USD, rounded to 0.01 as quoted): 79.10, 336.86, 274.44, 16.68, 3.50. Since the
    # year of the horizon's sale (year 10) deducts the half-year convention's half of its amount (Pub 946 ch. 4),
    # depreciation over the horizon is 265.81 (half of year 10's 17.26 less) and the gain 79.10 - (336.86 -
    # 265.81) = 8.05 M USD; their difference, year 10's taxable income from them, is the review's: 16.68 - 274.44
    # = -257.76 (abs 0.01: two quoted roundings)
    assert cf.loc["residual_value_usd", last] / 1e6 == pytest.approx(79.10, abs=0.005)
    assert cf.loc["total_capex_usd"].sum() / 1e6 == pytest.approx(336.86, abs=0.005)
    assert cf.loc["depreciation_usd"].sum() / 1e6 == pytest.approx(265.81, abs=0.005)
    assert cf.loc["residual_gain_usd", last] / 1e6 == pytest.approx(79.10 - (336.86 - 265.81), abs=0.015)
    assert (cf.loc["residual_gain_usd", last] - cf.loc["depreciation_usd"].sum()) / 1e6 == pytest.approx(
        16.68 - 274.44, abs=0.01)
    # at the site's rate, by hand: 0.24871 x 8.05 = 2.0021 M USD; abs 0.004: the 8.05's rounding x 0.24871
    assert rate * cf.loc["residual_gain_usd", last] / 1e6 == pytest.approx(0.24871 * 8.05, abs=0.004)
    # other years carry no sale
    assert (cf.loc[["residual_tax_basis_usd", "residual_gain_usd"], cf.columns[:-1]] == 0).all().all()
    # the workbook has the same rows, and the About sheet says how tax reconciles
    back = tco_export.read_workbook(tco_export.write_workbook(r, tmp_path / "tco.xlsx"))
    assert {"taxable_income_usd", "residual_tax_basis_usd", "residual_gain_usd"} <= set(back["CashFlow"].index)
    tax_note = back["About"].set_index("item")["text"]["tax"]
    assert "taxable_income_usd = revenue - total_opex - depreciation - loss_on_disposal + residual_gain_usd" \
        in tax_note
    # monthly: the sale lines in the last month, taxable income as 1/12 of the year's
    mo = r.monthly
    assert mo["residual_gain_usd"].iloc[:-1].eq(0).all()
    np.testing.assert_allclose(mo["income_tax_usd"], rate * mo["taxable_income_usd"], rtol=1e-12, atol=1e-6)


def test_loss_on_the_sale_is_a_negative_gain():
    # the residual-loss case above (2-yr refresh, 3-yr horizon, 10,000 USD bought at months 0 and 24): the
    # first fleet deducts 2,000 and 3,200 (MACRS 5-yr) and its 4,800 left in year 3, when the refresh replaces
    # it; the second is placed in service in year 3 and sold at the horizon in the same tax year, so it deducts
    # nothing (Pub 946 ch. 1: property placed in service and disposed of in the same year cannot be depreciated):
    # basis left 10,000, residual 5,000 (12 of 24 months) -> residual_gain_usd = -5,000 in year 3 (hand),
    # taxable income -4,800 - 5,000. The year-3 total, -9,800, is what it was when the second deducted 2,000
    # (gain -3,000) and before the write-off (basis 10,880, gain -5,880, depreciation 3,920): only labels move.
    # The 4,800 written off in year 3, its 3rd recovery year: 50 % x 19.2 % = 960 depreciation (half-year in the
    # year of disposition, Pub 946 ch. 4) and 3,840 a loss on disposal (its own line)
    a = run_tco(inputs(3, n=1, server_usd_per_accelerator=10_000.0, it_refresh_years=2.0,
                       tax_rate_frac=0.21), 0.0).annual
    assert a.loc["depreciation_usd", 3] == pytest.approx(960.0, rel=1e-12)
    assert a.loc["loss_on_disposal_usd", 3] == pytest.approx(3_840.0, rel=1e-12)
    assert a.loc["residual_tax_basis_usd", 3] == pytest.approx(10_000.0, rel=1e-12)
    assert a.loc["residual_gain_usd", 3] == pytest.approx(-5_000.0, rel=1e-12)
    assert a.loc["taxable_income_usd", 3] == pytest.approx(-4_800.0 - 5_000.0, rel=1e-12)


def test_the_mid_quarter_convention_is_noted_where_it_applies():
    """A finance reviewer: NC's grid-delay-p90 case places all of tax years 5 and 10's IT in their last
    quarter, where IRC 168(d)(3) requires the mid-quarter convention, and the export only said "not
    applied". Hand: a 10-month build puts the GPUs and the plant (shell excluded) in service in month
    10 (0-based 10, the year's 11th month), so 100 % of year 1's MACRS basis is in its last quarter;
    a 6-month build puts it in month 7: 0 %. IT 10 x 1,000 = 10,000 (5-year: 5 % Q4, Table A-5, against 20 %
    half-year), plant 500,000 (15-year: 1.25 % Q4 against 5 %): 6,750 against 27,000 USD."""
    from dcplan.tco_assumptions import mid_quarter_note
    from test_tco import bare
    late = run_tco(bare(horizon=3, server_usd_per_accelerator=1000.0, facility_usd_per_mw=1e6,
                        build_months=10.0), 0.0)
    note = mid_quarter_note(late)
    assert note.startswith("Tax year 1: 100% of its MACRS basis in its last quarter, first-year depreciation of "
                           "that year's property 6,750 USD against 27,000 USD under the half-year convention "
                           "(0.25 x)"), note
    assert "the model applies it" in note and "would" not in note
    # the depreciation itself: the shell's mid-month (November: 1.5 / 12 / 39 of 500,000) + 6,750
    assert late.annual.loc["depreciation_usd", 1] == pytest.approx(6_750.0 + 5e5 * 1.5 / 12 / 39, rel=1e-12)
    early = run_tco(bare(horizon=3, server_usd_per_accelerator=1000.0, facility_usd_per_mw=1e6,
                         build_months=6.0), 0.0)
    assert mid_quarter_note(early) == ""
    # book straight line: no MACRS, no note
    book = run_tco(dataclasses.replace(bare(horizon=3, server_usd_per_accelerator=1000.0, build_months=10.0),
                                       depreciation="straight-line"), 0.0)
    assert mid_quarter_note(book) == ""
