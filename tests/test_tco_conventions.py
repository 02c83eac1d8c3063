"""MACRS conventions in the TCO: the mid-quarter convention (IRC §168(d)(3)), the year of the horizon's sale (the
year of disposition) and the tax year in which the sale's gain is taxed.

Expected values are typed from IRS Publication 946 (2024), Appendix A (Table A-1, half-year; Tables A-2 to A-5,
mid-quarter, placed in service in the first to fourth quarter; Table A-7a, 39-year real property) and its ch. 4,
"Property disposed of before end of recovery period" (half-year: 50 % of the year's amount; mid-quarter: 12.5,
37.5, 62.5, 87.5 % by quarter disposed of; mid-month: the months to the middle of the month disposed of), and
worked by hand here. The printed rows: :data:`dcplan.finance_depreciation.MACRS_GDS_MID_QUARTER_PCT` (3- and 5-year
from Pub 946 Tables A-2 to A-5; 7-year first five years; 7- and 15-year fourth quarter complete).
"""
from __future__ import annotations

import dataclasses

import numpy as np
import pytest

from dcplan import finance_depreciation as fd
from dcplan.tco import TcoInputs, run_tco
from dcplan.tco_assumptions import mid_quarter_note

from test_tco import bare, bare_costs

#: Pub 946 Table A-5 (fourth quarter), 5-year column, as printed [%]
A5_5YR = [5.00, 38.00, 22.80, 13.68, 10.94, 9.58]


@pytest.mark.parametrize("quarter", [1, 2, 3, 4])
def test_mid_quarter_fractions_match_pub_946_tables_a2_to_a5(quarter):
    # computed from 200 / 150 % declining balance switching to straight line from the quarter's middle, compared
    # with the printed hundredths: abs 0.0075 percentage points (half the last printed digit, 0.005, plus Pub 946's
    # own rounding of a few entries, e.g. Table A-3's 7-year first year prints 17.85 for 2/7 x 0.625 = 17.857)
    for life, row in fd.MACRS_GDS_MID_QUARTER_PCT[quarter].items():
        got = fd.macrs_mid_quarter_fractions(life, quarter) * 100.0
        assert got.size == life + 1 and got.sum() == pytest.approx(100.0, abs=1e-9)
        np.testing.assert_allclose(got[:len(row)], row, rtol=0, atol=0.0075, err_msg=f"{life}-yr Q{quarter}")


def test_the_printed_q4_5_year_row_is_the_briefs():
    # the review's hand case: Table A-5 Q4 5-year 5.00, 38.00, 22.80, 13.68, 10.94, 9.58 %
    assert fd.MACRS_GDS_MID_QUARTER_PCT[4][5] == A5_5YR
    # first years of every class: the half-year's (Table A-1) x 1.75, 1.25, 0.75, 0.25 (the quarter's months in
    # service, 10.5, 7.5, 4.5, 1.5, over the half-year's 6): 5-year 35, 25, 15, 5 %; 15-year 8.75 .. 1.25 %
    for q, ratio in zip(range(1, 5), (1.75, 1.25, 0.75, 0.25)):
        for life in fd.MACRS_CLASSES:
            assert fd.macrs_mid_quarter_fractions(life, q)[0] == pytest.approx(fd.macrs_fractions(life)[0] * ratio,
                                                                              rel=1e-12)


def test_disposal_year_factors_are_pub_946s():
    # half-year: 50 %; mid-quarter by quarter disposed: 12.5, 37.5, 62.5, 87.5 % (Pub 946 ch. 4); mid-month: the
    # months to the middle of the month, December 11.5 / 12; in the year placed in service: 0; in the schedule's
    # last year the half-year table amount is already the half year: 1 (all of it)
    assert fd.disposal_year_factor(6, 3, "half-year", 1, 5) == 0.5
    assert [fd.disposal_year_factor(6, 2, "mid-quarter", 11, m) * 100 for m in (2, 5, 8, 11)] == \
        list(fd.MID_QUARTER_DISPOSAL_PCT)
    assert fd.disposal_year_factor(40, 5, "mid-month", 1, 12) == pytest.approx(11.5 / 12, rel=1e-15)
    assert fd.disposal_year_factor(6, 1, "half-year", 1, 12) == 0.0
    assert fd.disposal_year_factor(6, 6, "half-year", 1, 12) == 1.0
    # mid-quarter Q4 property in its last year (recovery ends 10.5 months in): disposed of in Q2, 4.5 of 10.5
    assert fd.disposal_year_factor(6, 6, "mid-quarter", 11, 5) == pytest.approx(0.375 / 0.875, rel=1e-15)
    assert fd.disposal_year_factor(6, 7, "half-year", 1, 12) == 0.0
    with pytest.raises(fd.InputError, match="quarter of the tax year, 1-4, got 5"):
        fd.macrs_mid_quarter_fractions(5, 5)


def _pv(owner=None, start="2027-11-01", horizon=10, **on) -> TcoInputs:
    # 1,000,000 USD of PV (5-year MACRS energy property) placed in service in the project's first month (build 0),
    # no revenue, no other cost; 25 % tax
    c = bare_costs(pv_usd_per_kw_dc=1000.0, tax_rate_frac=0.25, discount_rate_frac=0.08, **on)
    return TcoInputs(n_accelerators=10, it_capacity_kw=1000.0, it_energy_kwh=0.0, horizon_years=horizon,
                     pv_kw_dc=1000.0, fleet_start=start, costs=c, tax_year_start_month=owner)


def test_a_calendar_year_owners_november_purchase_takes_table_a5():
    # 1 M USD placed in service in November 2027: the last quarter of a calendar-year owner's 2027, 100 % of the
    # year's MACRS basis (> 40 %): mid-quarter, Table A-5 Q4: 50,000, 380,000, 228,000, 136,800, 109,400,
    # 95,800 USD in 2027-2032; abs 50 USD = the printed table's 0.005 % of 1 M USD. The deductions tie to the basis.
    r = run_tco(_pv(owner=1), 0.0)
    d = r.depreciation
    cols = [f"tax_year_{y}" for y in range(2027, 2033)]
    np.testing.assert_allclose(d.loc["pv_1", cols].to_numpy(float), np.array(A5_5YR) / 100 * 1e6, rtol=0, atol=50)
    assert d.loc["pv_1", "total_usd"] == pytest.approx(1e6, rel=1e-12)
    assert d.loc["pv_1", "basis_left_usd"] == pytest.approx(0.0, abs=1e-6)
    assert d.loc["pv_1", "convention"].startswith("mid-quarter: placed in service in quarter 4 of the tax year "
                                                  "(IRS Pub 946 Table A-5")
    assert d.loc["pv_1", "mid_quarter_test_frac"] == 1.0
    note = mid_quarter_note(r)
    # 50,000 USD against Table A-1's 200,000: 0.25 x
    assert note.startswith("Tax year 2027: 100% of its MACRS basis in its last quarter, first-year depreciation of "
                           "that year's property 50,000 USD against 200,000 USD under the half-year convention "
                           "(0.25 x)"), note
    assert "the model applies it" in note
    # a project-year owner (tax year from November): the first quarter of its tax year: half-year, Table A-1
    own = run_tco(_pv(), 0.0)
    np.testing.assert_allclose(own.depreciation.loc["pv_1", [f"year_{y}" for y in range(1, 7)]].to_numpy(float),
                               np.array(fd.MACRS_GDS_HALF_YEAR_PCT[5]) / 100 * 1e6, rtol=0, atol=1e-6)
    assert own.depreciation.loc["pv_1", "convention"].startswith("half-year (IRS Pub 946 Table A-1; 0% of its tax")
    assert mid_quarter_note(own) == ""


def test_a_fourth_quarter_purchase_and_its_sale_in_a_fourth_quarter():
    # build 9 months (undated: January start): 10 x 10,000 USD of IT placed in service in October, Q4 of tax year 1,
    # all of its MACRS basis: mid-quarter. Year 1: 5 % = 5,000 (Table A-5); year 2 is the year of the horizon's
    # sale, in December (Q4): 87.5 % of the year's 38 % = 33,250 (Pub 946 ch. 4). Before: Table A-1's 20,000 and
    # 32,000 (the half-year convention, also where IRC 168(d)(3) required the mid-quarter one)
    a = run_tco(bare(2, build_months=9.0, server_usd_per_accelerator=10_000.0, it_refresh_years=50.0), 0.0).annual
    np.testing.assert_allclose(a.loc["depreciation_usd"], [5_000.0, 33_250.0], rtol=1e-12)
    # the basis left, 100,000 - 38,250 = 61,750, is the sale's basis
    assert a.loc["residual_tax_basis_usd", 2] == pytest.approx(61_750.0, rel=1e-12)


@pytest.mark.parametrize("q4, mid", [(0.41, True), (0.40, False), (0.39, False)])
def test_a_mixed_year_just_above_and_below_40_percent(q4, mid):
    # 100 x 1,000 USD of IT, 1 - q4 bought in month 0 (Q1) and q4 in month 10 (November, Q4): IRC 168(d)(3)'s
    # "more than 40 percent" in the last quarter: 41 % takes the mid-quarter convention for both purchases, 40 %
    # and 39 % the half-year. Mid-quarter (Tables, 5-year: 35, 26, 15.6 % and 5, 38, 22.8 %):
    # year 1 59,000 x 35 % + 41,000 x 5 % = 22,700; year 2 59,000 x 26 % + 41,000 x 38 % = 30,920; year 3, the
    # year of the sale in December (Q4), 87.5 % of 59,000 x 15.6 % + 41,000 x 22.8 % = 16,233. Half-year (Table
    # 20,000, 32,000, and half of 19,200 = 9,600. rel 1e-12: float
    r = run_tco(dataclasses.replace(bare(horizon=3, n=100, server_usd_per_accelerator=1000.0),
                                    phases=((0, 1.0 - q4), (10, q4))), 0.0)
    want = ([0.59e5 * 0.35 + 0.41e5 * 0.05, 0.59e5 * 0.26 + 0.41e5 * 0.38, 0.875 * (0.59e5 * 0.156 + 0.41e5 * 0.228)]
            if mid else [20_000.0, 32_000.0, 9_600.0])
    np.testing.assert_allclose(r.annual.loc["depreciation_usd"], want, rtol=1e-12)
    assert r.depreciation["mid_quarter_test_frac"].dropna().tolist() == pytest.approx([q4, q4], rel=1e-12)
    note = mid_quarter_note(r)
    if mid:   # 22,700 against 20,000: 1.14 x
        assert note.startswith("Tax year 1: 41% of its MACRS basis in its last quarter, first-year depreciation "
                               "of that year's property 22,700 USD against 20,000 USD under the half-year "
                               "convention (1.14 x)"), note
        assert r.depreciation.loc["it_1", "convention"].startswith("mid-quarter: placed in service in quarter 1")
    else:
        assert note == ""


def test_the_building_shell_is_left_out_of_the_40_percent_test():
    # build 0 (January): the 1,000,000 USD shell (39-yr real property) and 30 % of 100,000 USD of IT in January,
    # 70 % of the IT in November. Counting the shell the last quarter would hold 70,000 / 1,100,000 = 6 %; the
    # test leaves real property out (IRC 168(d)(3)(B)(i)): 70 % > 40 %, mid-quarter. IT year 1: 30,000 x 35 % +
    # 70,000 x 5 % = 14,000
    r = run_tco(dataclasses.replace(bare(horizon=3, n=100, server_usd_per_accelerator=1000.0,
                                         facility_usd_per_mw=1e6, facility_shell_frac=1.0),
                                    phases=((0, 0.3), (10, 0.7))), 0.0)
    d = r.depreciation
    assert d.loc[["it_1", "it_2"], "year_1"].sum() == pytest.approx(14_000.0, rel=1e-12)
    assert d.loc["it_1", "mid_quarter_test_frac"] == pytest.approx(0.7, rel=1e-12)
    assert np.isnan(d.loc["facility_shell_1", "mid_quarter_test_frac"])
    assert d.loc["facility_shell_1", "convention"].startswith("mid-month")


def test_the_sales_gain_is_taxed_in_the_owners_tax_year_of_the_sale():
    # a calendar-year owner's July 2027 project, 10 years: the sale in June 2037 is in its tax year 2037, whose
    # months in the horizon are January-June 2037 (model months 115-120). The PV's residual, 1,000,000 x (1 - 10 /
    # 30) (30-yr economic life) = 666,667 USD, over a basis of 0 (deducted by 2032): its gain is taxable income of
    # those 6 months, 111,111 USD a month, and of no earlier month (it was spread over project year 10, July
    # 2036-June 2037). abs 1e-6 USD: float
    r = run_tco(_pv(owner=1, start="2027-07-01"), 0.0)
    m = r.monthly
    g = 1e6 * (1 - 10 / 30)
    np.testing.assert_allclose(m["taxable_income_usd"].to_numpy()[114:], g / 6, rtol=0, atol=1e-6)
    np.testing.assert_allclose(m["taxable_income_usd"].to_numpy()[108:114], 0.0, rtol=0, atol=1e-6)
    np.testing.assert_allclose(m["income_tax_usd"].to_numpy()[114:], 0.25 * g / 6, rtol=0, atol=1e-6)
    # the sale's cash: its price in the last month less the tax on its gain, over the same months
    sale = r.summary["residual_sale_pv_usd"]
    disc = 1.08 ** (-np.arange(115, 121) / 12.0)
    assert sale == pytest.approx(g * 1.08 ** (-10.0) - 0.25 * g / 6 * disc.sum(), rel=1e-9)


def test_a_rate_schedule_taxes_the_gain_at_the_sale_years_rate():
    # as above with {2027: 0.25, 2037: 0.10}: the gain is taxed at 2037's 10 % only (tax year 2037), 66,667 USD,
    # not half at 2036's 25 % as when it was spread over project year 10 (rel 1e-9: float)
    c = bare_costs(pv_usd_per_kw_dc=1000.0, discount_rate_frac=0.08)
    del c["tax_rate_frac"]
    inp = TcoInputs(n_accelerators=10, it_capacity_kw=1000.0, it_energy_kwh=0.0, horizon_years=10, pv_kw_dc=1000.0,
                    fleet_start="2027-07-01", costs=c, tax_year_start_month=1,
                    tax_rate_schedule={2027: 0.25, 2037: 0.10})
    m = run_tco(inp, 0.0).monthly
    g = 1e6 * (1 - 10 / 30)
    assert m["income_tax_usd"].iloc[108:].sum() == pytest.approx(0.10 * g, rel=1e-9)


def test_the_workbook_shows_the_test_share_as_a_percentage(tmp_path):
    # the Depreciation sheet formats amounts "#,##0": the share (1.0 here, a November purchase of a calendar-year
    # owner) would print "1"; it is a percentage, "0%"
    import openpyxl

    from dcplan import tco_export
    r = run_tco(_pv(owner=1), 0.0)
    ws = openpyxl.load_workbook(tco_export.write_workbook(r, tmp_path / "t.xlsx"))["Depreciation"]
    header = [c.value for c in ws[1]]
    col = header.index("mid_quarter_test_frac") + 1
    cells = [ws.cell(row=i, column=col) for i in range(2, ws.max_row + 1)
             if ws.cell(row=i, column=col).value is not None]
    assert cells and all(c.number_format == "0%" for c in cells), [(c.value, c.number_format) for c in cells]
