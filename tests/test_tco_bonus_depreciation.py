"""Bonus depreciation (IRC 168(k)): ``finance.bonus_depreciation_frac`` / ``TcoInputs.bonus_depreciation_frac``.

26 U.S.C. 168(k) as amended by P.L. 119-21 (2025) s.70301: 100 % for qualified property acquired after
2025-01-19, MACRS property with a recovery period of 20 years or less (168(k)(2)(A)(i)(I)), the basis reduced
by the bonus before the regular MACRS deduction (168(k)(1)); real property (39 yr) takes none. MACRS
percentages typed from IRS Publication 946 (2024) Table A-1 (5-yr: 20, 32, 19.2, 11.52, 11.52, 5.76 %;
15-yr year 1: 5 %) and Table A-7a (39-yr, mid-month convention: 1/39 a year).

The TCO cases are the "bare" case of ``tests/test_tco.py`` (every costs.csv input 0 except those switched on).
"""
from __future__ import annotations

import dataclasses

import numpy as np
import pytest

from dcplan import finance_depreciation as fd
from dcplan.errors import InputError
from dcplan.tco import TcoInputs, run_tco

from test_tco import bare_costs  # every costs.csv input at zero; some switched on

#: IRS Pub 946 Table A-1, 5-year column, as printed [frac]
MACRS5 = [0.20, 0.32, 0.192, 0.1152, 0.1152, 0.0576]


# ---------------------------------------------------------------------------
# the schedule

def test_bonus_fractions_by_hand():
    # 40 % bonus: 0.4 + 0.6 x 20 % = 0.52 in year 1, then 0.6 x the Table A-1 percentages
    got = fd.depreciation_fractions("macrs", 5, bonus_frac=0.4)
    assert got.tolist() == pytest.approx([0.52, 0.6 * 0.32, 0.6 * 0.192, 0.6 * 0.1152, 0.6 * 0.1152, 0.6 * 0.0576],
                                         abs=1e-12)  # abs: float rounding of the DB recursion
    # 100 %: all in the year placed in service
    assert fd.depreciation_fractions("macrs", 15, bonus_frac=1.0).tolist() == [1.0] + [0.0] * 15
    # real property (39 yr) never takes bonus depreciation: the same schedule as without it
    assert fd.depreciation_fractions("real-property", 39, bonus_frac=1.0).tolist() == \
        fd.depreciation_fractions("real-property", 39).tolist()


@pytest.mark.parametrize("bad", [1.5, -0.1, float("nan"), True, "1"])
def test_bonus_out_of_range_refused(bad):
    with pytest.raises(InputError) as e:
        fd.depreciation_fractions("macrs", 5, bonus_frac=bad)
    assert e.value.field == "bonus_depreciation_frac"
    assert "must be a share of the basis in [0, 1] (1 = 100 % bonus depreciation, IRC §168(k)), got" in str(e.value)


# ---------------------------------------------------------------------------
# the TCO: one 5-year asset (IT), and the building shell

def _one_it_asset(bonus: float, horizon: int = 8) -> TcoInputs:
    # 10 accelerators x 100,000 USD = 1,000,000 USD of IT bought at month 0 (build 0), no refresh within the
    # horizon (refresh 10 yr > 8-yr horizon); straight-line residual over min(10, 6) = 6 yr (the IT's economic
    # life is at most dcplan.tco_it_life.IT_RESIDUAL_LIFE_MAX_YEARS): 0 at 8 yr, 1e6 x (1 - 60/72) at 5
    return TcoInputs(n_accelerators=10, it_capacity_kw=1000.0, it_energy_kwh=0.0, horizon_years=horizon,
                     costs=bare_costs(server_usd_per_accelerator=100_000.0, it_refresh_years=10.0, tax_rate_frac=0.21,
                                      discount_rate_frac=0.08),
                     bonus_depreciation_frac=bonus)


def _year_pv(year: int, r: float = 0.08) -> float:
    """PV of 1 USD paid as 1/12 in each month of project year ``year`` (end of month m at (1 + r)^(-m/12))."""
    return sum((1.0 + r) ** (-m / 12.0) for m in range(12 * (year - 1) + 1, 12 * year + 1)) / 12.0


def test_full_bonus_deducts_the_whole_cost_in_year_one():
    cost, t = 1_000_000.0, 0.21
    r = run_tco(_one_it_asset(1.0), 0.0)
    dep = r.annual.loc["depreciation_usd"].to_numpy()
    assert dep.tolist() == pytest.approx([cost] + [0.0] * 7, abs=1e-6)
    # tax saving t x cost = 210,000 USD in year 1 (a loss offset against other income)
    assert r.annual.loc["income_tax_usd"].iloc[0] == pytest.approx(-t * cost, rel=1e-12)
    # NPV by hand, over 5 years: the purchase at the end of month 1, the saving 1/12 a month over year 1, the
    # residual sale in month 60 at 1e6 / 6 USD on a tax basis of 0 (all depreciated): a gain taxed at 21 % over year 5
    r = run_tco(_one_it_asset(1.0, horizon=5), 0.0)
    v = 1.08 ** (-1 / 12)
    res = cost / 6.0
    npv = -cost * v + t * cost * _year_pv(1) + res * 1.08 ** (-60 / 12) - t * res * _year_pv(5)
    assert r.summary["npv_usd"] == pytest.approx(npv, rel=1e-9)  # rel: float sums over 60 months


def test_forty_percent_bonus_by_hand():
    cost, t = 1_000_000.0, 0.21
    r = run_tco(_one_it_asset(0.4), 0.0)
    # 0.4 + 0.6 x 20 % = 52 % in year 1, then 0.6 x Table A-1's 32, 19.2, 11.52, 11.52, 5.76 %
    want = [0.52, 0.192, 0.1152, 0.06912, 0.06912, 0.03456, 0.0, 0.0]
    assert r.annual.loc["depreciation_usd"].tolist() == pytest.approx([cost * w for w in want], abs=1e-6)
    assert r.annual.loc["income_tax_usd"].iloc[0] == pytest.approx(-t * 0.52 * cost, rel=1e-12)
    # the tax saving over no bonus: t x cost x sum_y (bonus dep - MACRS dep)_y x PV of year y
    base = run_tco(_one_it_asset(0.0), 0.0)
    gain = sum(t * cost * (w - m) * _year_pv(y + 1) for y, (w, m) in enumerate(zip(want, MACRS5 + [0.0, 0.0])))
    assert r.summary["npv_usd"] - base.summary["npv_usd"] == pytest.approx(gain, rel=1e-9)
    assert gain > 0   # deducting earlier is worth more


def test_building_shell_never_bonus_depreciated():
    # 1 MW x 2e6 USD/MW: half shell (1e6, 39-yr real property), half electrical plant (1e6, 15-yr MACRS),
    # placed in service at month 0 (build 0: an undated case starts in a January)
    inp = TcoInputs(n_accelerators=10, it_capacity_kw=1000.0, it_energy_kwh=0.0, horizon_years=3,
                    costs=bare_costs(facility_usd_per_mw=2e6, facility_shell_frac=0.5,
                                     facility_electrical_frac_of_critical=1.0),
                    bonus_depreciation_frac=1.0)
    dep = run_tco(inp, 0.0).annual.loc["depreciation_usd"].tolist()
    # year 1: the shell's mid-month first year (January: 11.5 of 12 months of 1/39, Table A-7a's convention)
    # + the whole plant; then the shell's 1/39 a year (2.564 %): no bonus on the shell; year 3 is the year of the
    # horizon's sale (its December): 11.5 of 12 months of it (mid-month convention, Pub 946 ch. 4)
    shell1 = 1e6 * 11.5 / 12 / 39
    assert dep == pytest.approx([shell1 + 1e6, 1e6 / 39, 1e6 / 39 * 11.5 / 12], rel=1e-12)
    # without bonus: the plant on the 15-yr table (5 % in year 1), the shell unchanged
    dep0 = run_tco(dataclasses.replace(inp, bonus_depreciation_frac=0.0), 0.0).annual.loc["depreciation_usd"]
    assert dep0.iloc[0] == pytest.approx(shell1 + 0.05 * 1e6, rel=1e-12)


# ---------------------------------------------------------------------------
# the inputs: TcoInputs, the site's finance section

def test_tco_inputs_checks_bonus():
    with pytest.raises(InputError) as e:
        TcoInputs(8, 100.0, 1e5, bonus_depreciation_frac=1.2)
    assert e.value.field == "bonus_depreciation_frac"
    assert ("must be a share of the MACRS basis in [0, 1] taken as bonus depreciation in the year placed in "
            "service (0 = none, 1 = 100 %, IRC §168(k)), got 1.2") in str(e.value)
    with pytest.raises(InputError) as e:
        TcoInputs(8, 100.0, 1e5, depreciation="straight-line", bonus_depreciation_frac=1.0)
    assert ("1 needs depreciation='macrs' (bonus depreciation is a tax deduction of MACRS property), got "
            "depreciation='straight-line': set it to 0 or use MACRS") in str(e.value)
    # kept by with_costs (the tornado and Monte Carlo copy the inputs so)
    assert TcoInputs(8, 100.0, 1e5, bonus_depreciation_frac=0.6).with_costs(inflation_frac=0.0) \
        .bonus_depreciation_frac == 0.6


def test_site_finance_bonus_reaches_the_tco():
    from dcplan.site import load_portfolio
    from dcplan.specs.finance import FinanceSpec
    from dcplan.tco import inputs_from_site
    spec = load_portfolio("default")["phoenix-az"]
    assert spec.finance.bonus_depreciation_frac == 0.0            # the bundled sites take none
    kw = dict(n_accelerators=8, it_capacity_kw=100.0, it_energy_kwh=1e5)
    base = inputs_from_site(spec, **kw)
    assert base.bonus_depreciation_frac == 0.0
    assert base.sources["bonus_depreciation_frac"].startswith("site spec default")
    fin = FinanceSpec(**{**spec.finance.model_dump(exclude_unset=True), "bonus_depreciation_frac": 1.0})
    with_bonus = inputs_from_site(spec.model_copy(update={"finance": fin}), **kw)
    assert with_bonus.bonus_depreciation_frac == 1.0
    assert with_bonus.sources["bonus_depreciation_frac"] == "site.finance.bonus_depreciation_frac"
    with pytest.raises(ValueError, match="less than or equal to 1"):
        FinanceSpec(bonus_depreciation_frac=100)


# ---------------------------------------------------------------------------
# what the report and the export say

def test_bonus_note_and_about_sheet_say_base_takes_none():
    from dcplan.tco_export import workbook_frames
    from dcplan.tco_export_case import bonus_depreciation_note
    inp = _one_it_asset(0.0)
    note = bonus_depreciation_note(inp, 1_000_000.0, 1_250_000.0)
    assert note == (
        "No bonus depreciation is taken (bonus_depreciation_frac = 0, the site's finance.bonus_depreciation_frac; "
        "the base case, conservative): under 26 U.S.C. 168(k) as amended by P.L. 119-21 (2025), 100 % applies to "
        "qualified property acquired after 2025-01-19 (MACRS classes of 20 years or less: IT, PV, battery, the "
        "15-year plant and interconnection; never the 39-year building shell) unless the owner elects out; a tax "
        "adviser should confirm. With 100 % bonus depreciation the NPV after tax would be 1.25 M USD, +0.25 M USD "
        "against this case's 1.00 M USD (the loss years' tax saving offset against other income, as the model "
        "assumes; a larger gain taxed at the residual sale).")
    assert bonus_depreciation_note(_one_it_asset(0.4)).startswith(
        "Bonus depreciation of 40% is taken (bonus_depreciation_frac = 0.4, the site's finance.bonus_depreciation_frac)")
    about = workbook_frames(run_tco(inp, 0.0))["About"].set_index("item")["text"]
    assert ("The base case takes no bonus depreciation (0: conservative); under 26 U.S.C. 168(k) as amended by "
            "P.L. 119-21 (2025), 100 % applies to qualified property acquired after 2025-01-19 unless the owner "
            "elects out (a tax adviser should confirm).") in about["tax"]
    assert "the input bonus_depreciation_frac (the site's finance.bonus_depreciation_frac" in about["tax"]


def test_npv_at_bonus_is_the_run_with_full_bonus():
    from dcplan.tco_export_case import npv_at_bonus
    assert npv_at_bonus(_one_it_asset(0.0), 0.0, 1.0) == pytest.approx(
        run_tco(_one_it_asset(1.0), 0.0).summary["npv_usd"], rel=1e-12)
    assert np.isfinite(npv_at_bonus(_one_it_asset(0.4), 0.0, 0.0))


def test_mid_quarter_note_counts_bonus_depreciation():
    """Tester: with bonus depreciation the mid-quarter note still said "first-year depreciation 0.25 x the
    model's", as if the whole basis followed MACRS (the convention is applied now; the note gives the year's
    first-year depreciation against the half-year convention's). Hand (a 10-month build: the GPUs and the plant
    placed in service in month 11, the year's last quarter): IT 10 x 1,000 = 10,000 USD (5-year, 20 % in year 1 under
    the half-year convention, Pub 946 Table A-1; 5 % mid-quarter Q4, Table A-2), plant 500,000 USD
    (1 M USD/MW x 1 MW less the 50 % shell; 15-year, 5 % half-year, 1.25 % mid-quarter Q4).
    b = 0: half-year 2,000 + 25,000 = 27,000; mid-quarter 0.25 x that = 6,750.
    b = 0.5: half-year 0.5 x 510,000 + 0.5 x 27,000 = 268,500; mid-quarter 255,000 + 0.5 x 6,750 = 258,375
    (0.962 x). b = 1: the whole basis is deducted in the year placed in service under either convention:
    510,000 both, and the note says the convention changes nothing."""
    import dataclasses

    from dcplan.tco import run_tco
    from dcplan.tco_assumptions import mid_quarter_note
    from test_tco import bare

    def note(b):
        inp = dataclasses.replace(bare(horizon=3, server_usd_per_accelerator=1000.0, facility_usd_per_mw=1e6,
                                       build_months=10.0), bonus_depreciation_frac=b)
        return mid_quarter_note(run_tco(inp, 0.0))

    assert note(0.0).startswith("Tax year 1: 100% of its MACRS basis in its last quarter, first-year depreciation of "
                                "that year's property 6,750 USD against 27,000 USD under the half-year convention "
                                "(0.25 x)")
    assert "Bonus" not in note(0.0)
    half = note(0.5)
    assert half.startswith("Tax year 1: 100% of its MACRS basis in its last quarter, first-year depreciation of "
                           "that year's property 258,375 USD against 268,500 USD under the half-year convention "
                           "(0.96 x)")
    assert half.endswith("Bonus depreciation of 50% (bonus_depreciation_frac) is deducted in full in the year "
                         "placed in service whatever the convention: only the remaining 50% of the basis follows it.")
    full = note(1.0)
    assert "510,000 USD against 510,000 USD under the half-year convention (1.00 x)" in full
    assert full.endswith("(here none: the convention changes nothing).")
