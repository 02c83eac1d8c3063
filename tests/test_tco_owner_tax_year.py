"""Tax depreciation on the owner's tax years (``finance.tax_year_start_month`` / ``TcoInputs.tax_year_start_month``).

A calendar-year owner (tax_year_start_month 1) of a project that starts in July: MACRS year 1 is the calendar year
the property is placed in service, with half a year's deduction whatever the month (half-year convention, IRS
Publication 946 (2024) Table A-1, 5-year column: 20, 32, 19.2, 11.52, 11.52, 5.76 %), bonus depreciation (IRC
§168(k)) in that tax year, and the 39-year shell's mid-month convention counted in the month of that tax year
(Table A-7a: (12 - month + 0.5) / 12 / 39 the first year). Expected amounts are typed from those tables and worked
by hand here, not taken from dcplan's code. The cases are the "bare" case of tests/test_tco.py (every costs.csv
input 0 except those switched on).
"""
from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from dcplan import tco_export
from dcplan.tco import TcoInputs, run_tco
from dcplan.tco_assumptions import mid_quarter_note

from test_tco import bare_costs

#: IRS Pub 946 Table A-1, 5-year column, as printed [frac]
A1_5YR = [0.20, 0.32, 0.192, 0.1152, 0.1152, 0.0576]
BASIS = 1_000_000.0          # 1,000 kWdc of PV at 1,000 USD/kWdc: 5-year MACRS energy property [USD]


def _pv(owner=None, bonus=0.0, start="2027-07-01", horizon=10, **on) -> TcoInputs:
    # 1,000,000 USD of PV (5-year property) bought and placed in service in the project's first month (build 0),
    # no revenue and no other cost: taxable income = - depreciation (+ the residual's gain in the last year); 25 % tax
    c = bare_costs(pv_usd_per_kw_dc=1000.0, tax_rate_frac=0.25, discount_rate_frac=0.08, **on)
    return TcoInputs(n_accelerators=10, it_capacity_kw=1000.0, it_energy_kwh=0.0, horizon_years=horizon,
                     pv_kw_dc=1000.0, fleet_start=start, costs=c, tax_year_start_month=owner,
                     bonus_depreciation_frac=bonus)


def _by_hand_months(by_tax_year, first_months: int, n_months: int) -> np.ndarray:
    """Each tax year's deduction spread evenly over its months in the horizon, the first tax year having
    ``first_months`` of them (its others before the project start): written out, not dcplan's helper."""
    out, m = [], 0
    for t, d in enumerate(by_tax_year):
        k = first_months if t == 0 else 12
        k = min(k, n_months - m)
        if k <= 0:
            break
        out += [d / k] * k
        m += k
    return np.array(out + [0.0] * (n_months - len(out)))


def test_a_calendar_year_owner_deducts_table_a1_in_calendar_years_by_hand():
    # placed in service July 2027: MACRS year 1 is calendar 2027 (half a year's 20 %, though only 6 months are left
    # of it), then 2028 .. 2032: 200,000, 320,000, 192,000, 115,200, 115,200, 57,600 USD. abs 1e-6 USD: float sums
    r = run_tco(_pv(owner=1), 0.0)
    d = r.depreciation
    cols = [f"tax_year_{y}" for y in range(2027, 2038)]      # 11 tax years: Jul-Dec 2027 .. Jan-Jun 2037
    assert [c for c in d.columns if c.startswith("tax_year_2")] == cols
    want = np.array(A1_5YR + [0.0] * 5) * BASIS
    np.testing.assert_allclose(d.loc["pv_1", cols].to_numpy(float), want, rtol=0, atol=1e-6)
    assert d.loc["pv_1", "placed_in_service"] == "2027-07" and d.loc["pv_1", "tax_year_placed"] == 1
    # totals tie to the basis: all of it deducted within the horizon, nothing left
    assert d.loc["pv_1", "total_usd"] == pytest.approx(BASIS, abs=1e-6)
    assert d.loc["pv_1", "basis_left_usd"] == pytest.approx(0.0, abs=1e-6)
    # booked evenly over each tax year's months: 200,000 / 6 in July-December 2027, 320,000 / 12 in 2028 ...
    np.testing.assert_allclose(r.monthly["depreciation_usd"].to_numpy(), _by_hand_months(want, 6, 120),
                               rtol=0, atol=1e-6)
    # project year 1 (July 2027 - June 2028): 200,000 + 6 x 26,666.67 = 360,000; year 2: 160,000 + 96,000
    assert r.annual.loc["depreciation_usd"].iloc[:2].tolist() == pytest.approx([360_000.0, 256_000.0], abs=1e-6)
    assert r.annual.loc["depreciation_usd"].sum() == pytest.approx(BASIS, abs=1e-6)
    # the tax of each month is 25 % of its taxable income, the deduction of its own tax year's month
    np.testing.assert_allclose(r.monthly["income_tax_usd"].to_numpy()[:12],
                               -0.25 * _by_hand_months(want, 6, 120)[:12], rtol=0, atol=1e-6)
    # the project-year owner (the default) takes Table A-1 by project year: 200,000 in July 2027 - June 2028
    own = run_tco(_pv(), 0.0)
    np.testing.assert_allclose(own.annual.loc["depreciation_usd"].to_numpy(), want[:10], rtol=0, atol=1e-6)


def test_bonus_depreciation_is_taken_in_the_owners_tax_year_placed_in_service_by_hand():
    # 60 % bonus: 2027 takes 600,000 + 0.4 x 200,000 = 680,000, then 0.4 x Table A-1: 128,000, 76,800, 46,080,
    # 46,080, 23,040 (sum 1,000,000). abs 1e-6 USD
    r = run_tco(_pv(owner=1, bonus=0.6), 0.0)
    d = r.depreciation
    cols = [f"tax_year_{y}" for y in range(2027, 2033)]
    want = [680_000.0, 128_000.0, 76_800.0, 46_080.0, 46_080.0, 23_040.0]
    np.testing.assert_allclose(d.loc["pv_1", cols].to_numpy(float), want, rtol=0, atol=1e-6)
    assert d.loc["pv_1", "total_usd"] == pytest.approx(BASIS, abs=1e-6)
    # the bonus is in Jul-Dec 2027's six months: 680,000 / 6 a month; project year 1 adds Jan-Jun 2028's 64,000
    assert r.monthly["depreciation_usd"].iloc[0] == pytest.approx(680_000.0 / 6, abs=1e-6)
    assert r.annual.loc["depreciation_usd"].iloc[0] == pytest.approx(680_000.0 + 64_000.0, abs=1e-6)


@pytest.mark.parametrize("bonus", [0.0, 0.6])
def test_the_npv_rises_by_the_present_value_of_the_earlier_deductions(bonus):
    # the two owners differ in when the same 1,000,000 USD is deducted: NPV(calendar) - NPV(project year) = 25 % x
    # sum_m (dep_cal_m - dep_own_m) / 1.08 ** (m / 12), each month's deduction by hand (Table A-1 with the bonus,
    # spread over its tax year's months), and in when the residual sale's gain is taxed: in the tax year of the
    # sale (the last month), the calendar owner's January-June 2037 (months 115-120), the project-year owner's
    # project year 10 (months 109-120). The gain: the PV's residual, 1,000,000 x (1 - 10 / 30) (30-yr economic
    # life), over a basis of 0 (fully deducted by year 6). rel 1e-9: float
    f = [bonus + (1 - bonus) * a for a in A1_5YR[:1]] + [(1 - bonus) * a for a in A1_5YR[1:]]
    by_year = np.array(f + [0.0] * 5) * BASIS
    cal = _by_hand_months(by_year, 6, 120)
    own = np.repeat(by_year[:10] / 12.0, 12)
    disc = 1.08 ** (-np.arange(1, 121) / 12.0)
    gain = 0.25 * float(np.sum((cal - own) * disc))
    assert gain > 0                                           # earlier deductions: the calendar owner's NPV is higher
    g = BASIS * (1 - 10 / 30)
    gain -= 0.25 * g * (disc[114:].sum() / 6 - disc[108:].sum() / 12)   # the gain's tax: later for the calendar owner
    a, b = run_tco(_pv(owner=1, bonus=bonus), 0.0), run_tco(_pv(bonus=bonus), 0.0)
    assert a.summary["npv_usd"] - b.summary["npv_usd"] == pytest.approx(gain, rel=1e-9)


def test_the_shell_counts_its_month_in_the_owners_tax_year_table_a7a():
    # the 39-yr shell placed in service July 2027 (build 0; facility 2 MW x 1,000,000 USD/MW x shell 0.5 =
    # 1,000,000 USD): month 7 of a calendar-year owner's 2027, (12 - 7 + 0.5) / 12 / 39 of its basis; month 1 of a
    # project-year owner's: (12 - 1 + 0.5) / 12 / 39 (Table A-7a). rel 1e-12
    on = dict(facility_usd_per_mw=1_000_000.0)
    c = bare_costs(tax_rate_frac=0.25, **on)
    cases = {o: TcoInputs(n_accelerators=10, it_capacity_kw=2000.0, it_energy_kwh=0.0, horizon_years=3,
                          fleet_start="2027-07-01", costs=c, tax_year_start_month=o) for o in (1, None)}
    cal, own = (run_tco(cases[o], 0.0).depreciation.loc["facility_shell_1"] for o in (1, None))
    assert cal["basis_usd"] == pytest.approx(1_000_000.0, rel=1e-12)
    assert cal["tax_year_2027"] == pytest.approx(1_000_000.0 * 5.5 / 12 / 39, rel=1e-12)
    assert cal["tax_year_2028"] == pytest.approx(1_000_000.0 / 39, rel=1e-12)
    assert "month 7 of the tax year" in cal["convention"]
    assert own["year_1"] == pytest.approx(1_000_000.0 * 11.5 / 12 / 39, rel=1e-12)
    assert "month 1 of the tax year" in own["convention"]


def test_the_project_years_own_start_month_is_the_default_bit_for_bit():
    # tax_year_start_month 7 for a July project: its tax years are the project years, the old code path
    a, b = run_tco(_pv(owner=7, bonus=0.3), 0.0), run_tco(_pv(bonus=0.3), 0.0)
    assert a.monthly.equals(b.monthly) and a.annual.equals(b.annual)
    assert a.depreciation.equals(b.depreciation) and a.summary["npv_usd"] == b.summary["npv_usd"]


def test_an_it_refresh_writes_off_in_the_owners_tax_year():
    # IT bought July 2027 (build 0), refreshed every 3 years: the refresh of July 2030 is in calendar 2030, the
    # 4th MACRS year: the first purchase deducts 20, 32, 19.2 % (2027-2029) and writes off the 28.8 % left in
    # 2030. 10 accelerators x 100,000 USD. abs 1e-6 USD. Every purchase is in a third quarter (July): half-year
    c = bare_costs(server_usd_per_accelerator=100_000.0, it_refresh_years=3.0, tax_rate_frac=0.25)
    r = run_tco(TcoInputs(n_accelerators=10, it_capacity_kw=1000.0, it_energy_kwh=0.0, horizon_years=5,
                          fleet_start="2027-07-01", costs=c, tax_year_start_month=1), 0.0)
    d = r.depreciation
    cols = [f"tax_year_{y}" for y in range(2027, 2033)]
    np.testing.assert_allclose(d.loc["it_1", cols].to_numpy(float), [200_000, 320_000, 192_000, 0, 0, 0],
                               rtol=0, atol=1e-6)
    # the 288,000 in two rows: 2030 is its 4th recovery year, half-year convention in the year of disposition
    # (Pub 946 ch. 4): 50 % x 11.52 % = 57,600 depreciation, and the other 230,400 a loss on disposal
    np.testing.assert_allclose(d.loc["it_1_disposal_year_depreciation", cols].to_numpy(float),
                               [0, 0, 0, 57_600, 0, 0], rtol=0, atol=1e-6)
    np.testing.assert_allclose(d.loc["it_1_loss_on_disposal", cols].to_numpy(float), [0, 0, 0, 230_400, 0, 0],
                               rtol=0, atol=1e-6)
    # the CashFlow's loss_on_disposal_usd books that tax year's loss as depreciation is, 1/12 in each of its months
    # (19,200 a month in 2030): project year 3 (July 2029 - June 2030) and 4 take its January-June and July-December
    # halves, 115,200 each; depreciation_usd leaves it out
    np.testing.assert_allclose(r.annual.loc["loss_on_disposal_usd"].to_numpy(float),
                               [0, 0, 115_200, 115_200, 0], rtol=0, atol=1e-6)
    np.testing.assert_allclose(r.monthly["loss_on_disposal_usd"].to_numpy(float)[30:42], [19_200.0] * 12,
                               rtol=0, atol=1e-6)
    # the refresh: 2030 onwards; the horizon (to June 2032) reaches 2032, the year of its sale (June): half the
    # year's 192,000 (half-year convention in the year of disposition, Pub 946 ch. 4), 96,000
    np.testing.assert_allclose(d.loc["it_2", cols].to_numpy(float), [0, 0, 0, 200_000, 320_000, 96_000],
                               rtol=0, atol=1e-6)
    assert d.loc["it_2", "basis_left_usd"] == pytest.approx(384_000.0, abs=1e-6)


def test_the_mid_quarter_note_uses_the_owners_quarters():
    # a November start: all the PV is placed in service in November. For a calendar-year owner that is the last
    # quarter of 2027 (100 % > 40 %: IRC §168(d)(3)); its first-year depreciation is 5 % (Table A-5, Q4)
    # instead of 20 %: 0.25 x. For a project-year owner (tax year from November) it is the first quarter
    # of its tax year: no note. A July start is the third quarter of the calendar year: no note either.
    note = mid_quarter_note(run_tco(_pv(owner=1, start="2027-11-01"), 0.0))
    assert note.startswith("Tax year 2027: 100% of its MACRS basis in its last quarter, first-year depreciation of "
                           "that year's property 50,000 USD against 200,000 USD under the half-year convention "
                           "(0.25 x)"), note
    assert mid_quarter_note(run_tco(_pv(start="2027-11-01"), 0.0)) == ""
    assert mid_quarter_note(run_tco(_pv(owner=1), 0.0)) == ""


def test_an_undated_case_numbers_the_owners_tax_years():
    # undated: the project starts in a January, so a tax year from July has 6 months before it; 2-yr horizon,
    # 3 tax years. The PV placed in service in month 0 (January) is in the first one (its 7th month)
    c = bare_costs(pv_usd_per_kw_dc=1000.0, tax_rate_frac=0.25)
    r = run_tco(TcoInputs(n_accelerators=10, it_capacity_kw=1000.0, it_energy_kwh=0.0, horizon_years=2,
                          pv_kw_dc=1000.0, costs=c, tax_year_start_month=7), 0.0)
    cols = ["tax_year_1", "tax_year_2", "tax_year_3"]
    # the third tax year (July-December, cut by the horizon) is the year of the horizon's sale (its 6th month):
    # half the year's 192,000 (half-year convention in the year of disposition, Pub 946 ch. 4)
    np.testing.assert_allclose(r.depreciation.loc["pv_1", cols].to_numpy(float), [200_000, 320_000, 96_000],
                               rtol=0, atol=1e-6)
    # project year 1: January-June the first tax year's 200,000, July-December half the second's 320,000; year 2:
    # the other half, and the third tax year's 96,000
    assert r.annual.loc["depreciation_usd"].tolist() == pytest.approx([360_000.0, 256_000.0], abs=1e-6)


def test_the_export_shows_the_owners_tax_years(tmp_path):
    # the Depreciation CSV: columns tax_year_YYYY, the note says whose years they are, the total row is the rows'
    # sum and each tax year's months of the Monthly CSV sum to it (abs 1e-6 USD: CSV round trip of floats)
    r = run_tco(_pv(owner=1, bonus=0.6), 0.0)
    tco_export.write_export(r, tmp_path, stem="t")
    d = pd.read_csv(tmp_path / "t_depreciation.csv", index_col="tranche", encoding="utf-8-sig")
    cols = [f"tax_year_{y}" for y in range(2027, 2038)]
    assert "OWNER's tax years" in d.loc["note", "asset_class"]
    np.testing.assert_allclose(d.loc["total", cols].to_numpy(float), d.loc["pv_1", cols].to_numpy(float), atol=1e-6)
    m = pd.read_csv(tmp_path / "t_monthly.csv", encoding="utf-8-sig")
    year = m["calendar_month"].str[:4]
    by_year = m.groupby(year)["depreciation_usd_tax_year_even_spread"].sum()
    np.testing.assert_allclose(by_year.to_numpy(), d.loc["total", cols].to_numpy(float), rtol=0, atol=1e-6)
