"""Tests of dcplan.finance: NPV, IRR, payback, levelized cost, depreciation schedules.

numpy-financial (test-only peer, not a dcplan dependency) gives reference values.
"""
from __future__ import annotations

import math

import numpy as np
import pytest

from dcplan import finance
from dcplan.errors import InputError



@pytest.fixture
def npf():
    """numpy-financial: a test-only reference (pip install numpy-financial); skip without it."""
    return pytest.importorskip("numpy_financial")


def test_npv_hand_computed():
    # -100 + 60/1.1 + 60/1.21 = -100 + 54.545454... + 49.586776... = 4.132231... (hand)
    assert finance.npv(0.1, [-100.0, 60.0, 60.0]) == pytest.approx(4.1322314, abs=1e-7)
    # rate 0: plain sum
    assert finance.npv(0.0, [-5.0, 2.0, 4.0]) == 1.0


def test_npv_matches_numpy_financial_and_vectorizes(npf):
    rng = np.random.default_rng(1)
    flows = rng.normal(0, 100, size=(5, 12))
    rates = np.array([-0.5, 0.0, 0.05, 0.12, 1.0])
    got = finance.npv(rates, flows)
    ref = [npf.npv(r, f) for r, f in zip(rates, flows)]
    # same formula, float summation order may differ: relative 1e-12
    np.testing.assert_allclose(got, ref, rtol=1e-12, atol=1e-9)
    # above 100 %/yr only the internal path (the IRR search's) evaluates NPV; same formula
    assert finance._npv(1.5, flows[0]) == pytest.approx(npf.npv(1.5, flows[0]), rel=1e-12, abs=1e-9)


def test_irr_hand_computed():
    # -100 + 60x + 60x^2 = 0, x = 1/(1+r): x = (-60 + sqrt(60^2 + 4*60*100)) / 120
    x = (-60 + math.sqrt(3600 + 24000)) / 120
    assert finance.irr([-100.0, 60.0, 60.0]) == pytest.approx(1 / x - 1, abs=1e-10)
    # one period: -100 then 110 -> exactly 10 %
    assert finance.irr([-100.0, 110.0]) == pytest.approx(0.10, abs=1e-12)


def test_irr_matches_numpy_financial_on_conventional_flows(npf):
    rng = np.random.default_rng(7)
    for _ in range(20):
        flows = np.concatenate([[-rng.uniform(50, 500)], rng.uniform(10, 120, size=rng.integers(2, 15))])
        ref = npf.irr(flows)
        # conventional flows (one sign change) have a unique IRR; brentq xtol 1e-12
        assert finance.irr(flows) == pytest.approx(ref, abs=1e-9)


def test_irr_multiple_roots_returns_the_one_where_npv_falls_with_reason():
    # -100 + 230 y - 132 y^2 ... with z = 1+r: -100 z^2 + 230 z - 132 = 0 -> z = 1.1, 1.2 (hand).
    # NPV(0) = -2 < 0, NPV(15 %) = +0.19 > 0, NPV(30 %) = -1.2 < 0: it rises through 10 % and falls
    # through 20 %, the IRR published (NPV > 0 at a discount rate below it); abs 1e-10: brentq xtol 1e-12
    res = finance.irr_result([-100.0, 230.0, -132.0])
    assert res.rate_frac == pytest.approx(0.20, abs=1e-10)
    assert "2 IRRs" in res.reason and "10.0000%" in res.reason and "returned 20.0000%" in res.reason


@pytest.mark.parametrize("flows, why", [([10.0, 20.0], "all positive"),
                                        ([-10.0, -20.0], "all negative"),
                                        ([0.0, 0.0], "all cash flows are zero")])
def test_no_irr_gives_none_with_reason(flows, why):
    res = finance.irr_result(flows)
    assert res.rate_frac is None and why in res.reason
    assert finance.irr(flows) is None


def test_irr_none_when_root_outside_search_range():
    # -1 then +100 at t=1: IRR = 9900 %, outside the default (-99 %, 1000 %] range
    res = finance.irr_result([-1.0, 100.0])
    assert res.rate_frac is None and "does not cross zero" in res.reason


def test_payback():
    # cumulative -100, -70, -40, -10, +20: crosses zero 1/3 into period 4 (hand)
    assert finance.payback_years([-100.0, 30, 30, 30, 30]) == pytest.approx(3 + 10 / 30)
    assert finance.payback_years([-100.0, 10, 10]) is None
    assert finance.payback_years([5.0, 1.0]) == 0.0
    # discounted at 10 %: -100, 60/1.1 = 54.545, 60/1.21 = 49.587 -> cum -45.455 then +4.132;
    # payback = 1 + 45.4545/49.5868 (hand)
    assert finance.discounted_payback_years(0.1, [-100.0, 60, 60]) == pytest.approx(
        1 + (100 - 60 / 1.1) / (60 / 1.21), rel=1e-12)


def test_levelized_cost_constant_flows():
    # constant cost c and quantity q in every period: levelized = c / q at any rate
    assert finance.levelized_cost(0.07, [50.0] * 6, [10.0] * 6) == pytest.approx(5.0, rel=1e-14)
    with pytest.raises(InputError, match="periods"):
        finance.levelized_cost(0.07, [1.0, 2.0], [1.0])


def test_levelized_cost_refuses_a_negative_output():
    # 100 USD a period over outputs 10 and -5: the -5 would cut the discounted output, and at rate 0
    # give 200 / 5 = 40 USD a unit instead of an error (an output is never negative)
    with pytest.raises(InputError, match=r"period 1 is -5; allowed: an output of 0 or more") as e:
        finance.levelized_cost(0.0, [100.0, 100.0], [10.0, -5.0])
    assert e.value.field == "quantities"
    # a period with no output is allowed: 200 / 10 = 20 at rate 0
    assert finance.levelized_cost(0.0, [100.0, 100.0], [10.0, 0.0]) == pytest.approx(20.0, rel=1e-14)


@pytest.mark.parametrize("rate", [-1.0, -1.5, float("nan")])
def test_discount_rate_at_or_below_minus_100_percent_is_an_error(rate):
    with pytest.raises(InputError, match="rate > -1"):
        finance.npv(rate, [1.0, 2.0])


@pytest.mark.parametrize("years", sorted(finance.MACRS_GDS_HALF_YEAR_PCT))
def test_macrs_matches_irs_pub946_table_a1(years):
    table = np.array(finance.MACRS_GDS_HALF_YEAR_PCT[years]) / 100
    got = finance.macrs_fractions(years)
    # Pub 946 prints 2 decimals of a percent (3 for 20-yr) and rounds year by year, alternating
    # up/down in the straight-line years (7-yr: 8.93, 8.92, 8.93 for an exact 8.9249) so the
    # column sums to 100: the exact schedule is within one printed unit of every entry
    tol = 0.001 / 100 if years == 20 else 0.01 / 100
    assert table.sum() == pytest.approx(1.0, abs=1e-9)
    np.testing.assert_allclose(got, table, atol=tol)
    assert got.sum() == pytest.approx(1.0, abs=1e-14)  # schedules sum to the basis


def test_macrs_5yr_exact_fractions_from_issue():
    # 20, 32, 19.2, 11.52, 11.52, 5.76 % are exact binary-representable-ish decimals; 1e-15
    np.testing.assert_allclose(finance.macrs_fractions(5), [.2, .32, .192, .1152, .1152, .0576], atol=1e-15)


def test_real_property_39yr_mid_month_matches_table_a7a():
    f = finance.real_property_fractions(39, month_placed=1)
    assert f.size == 40
    # Pub 946 Table A-7a, month 1: 2.461 %, 2.564 % (years 2-39), 0.107 %; printed to 3 decimals,
    # and the year-1 figure absorbs the table's rounding (exact 11.5/12/39 = 2.4573 %): 0.005 pp
    assert f[0] == pytest.approx(0.02461, abs=0.00005)
    np.testing.assert_allclose(f[1:39], 0.02564, atol=0.000005)
    assert f[39] == pytest.approx(0.00107, abs=0.000005)
    assert f.sum() == pytest.approx(1.0, abs=1e-14)


@pytest.mark.parametrize("life, conv, n", [(5, "full-year", 5), (7.5, "full-year", 8), (5, "half-year", 6)])
def test_straight_line_sums_to_basis(life, conv, n):
    f = finance.straight_line_fractions(life, conv)
    assert f.size == n and f.sum() == pytest.approx(1.0, abs=1e-14)
    assert f.max() == pytest.approx(1 / life)


@pytest.mark.parametrize("bad", [-5, 0, float("nan")])
def test_negative_or_zero_life_is_an_error(bad):
    with pytest.raises(InputError, match="positive number of years"):
        finance.straight_line_fractions(bad)
    with pytest.raises(InputError, match="positive number of years"):
        finance.real_property_fractions(bad)


def test_unknown_schedule_errors():
    with pytest.raises(InputError, match="one of"):
        finance.macrs_fractions(6)
    with pytest.raises(InputError, match="unknown depreciation method"):
        finance.depreciation_fractions("ddb", 5)
    with pytest.raises(InputError, match="month 1-12"):
        finance.real_property_fractions(39, month_placed=13)


def test_payback_is_the_last_crossing_when_cumulative_turns_negative_again():
    # cumulative -100, +50, -50, +50: back below zero in period 2 (an IT refresh), so the
    # payback that holds to the end is in period 3: 2 + 50/100 = 2.5 (hand). Pins the
    # documented rule; the first crossing (100/150 = 0.667) would overstate the project.
    assert finance.payback_years([-100.0, 150.0, -100.0, 100.0]) == pytest.approx(2.5, abs=1e-12)
    assert finance.payback_years([-100.0, 150.0, -100.0]) is None


@pytest.mark.parametrize("fractions", [
    lambda: finance.straight_line_fractions(0.4, "half-year"),   # was [1.25]
    lambda: finance.straight_line_fractions(0.25, "half-year"),  # was [2.0]
    lambda: finance.real_property_fractions(0.5, month_placed=1),  # was [11.5/12/0.5] = [1.9167]
    lambda: finance.depreciation_fractions("straight-line-half-year", 0.3),
])
def test_short_lives_never_depreciate_more_than_the_basis(fractions):
    # a life shorter than the first-year convention's share deducts the whole basis in
    # year 1 and nothing more (hand: depreciation cannot exceed cost); float sum exact
    f = fractions()
    assert f.tolist() == [1.0]


def test_short_life_above_half_a_year_keeps_the_half_year_split():
    # life 0.8 yr, half-year: 0.5/0.8 = 0.625 in year 1, the rest 0.375 in year 2 (hand)
    np.testing.assert_allclose(finance.straight_line_fractions(0.8, "half-year"), [0.625, 0.375], atol=1e-15)


# roots z = 1 + r of -100 (z - 0.77)(z - 0.95)(z - 1.144) = -100 z^3 + 286.4 z^2 - 269.918 z + 83.6836 (hand:
# a+b+c = 2.864, ab+ac+bc = 0.7315 + 0.88088 + 1.0868 = 2.69918, abc = 0.836836): NPV = that / z^3, so the
# flows [-100, 286.4, -269.918, 83.6836] have IRRs -23 %, -5 % and 14.4 %. The sign of NPV is the
# polynomial's: + below -23 %, - to -5 %, + to 14.4 %, - above. It falls through zero at -23 % and 14.4 %
# and rises at -5 %, the root nearest zero that was published (finance review s18, finding 3).
THREE_ROOTS = [-100.0, 286.4, -269.918, 83.6836]


@pytest.mark.parametrize("rate, expected", [(None, 0.144), (0.08, 0.144), (-0.2, -0.23)])
def test_irr_of_several_roots_is_where_npv_falls_nearest_the_discount_rate(rate, expected):
    res = finance.irr_result(THREE_ROOTS, discount_rate_frac=rate)
    # abs 1e-9: brentq's xtol 1e-12 and the coefficients' float rounding (~1e-16 relative)
    assert res.rate_frac == pytest.approx(expected, abs=1e-9)
    assert finance.irr(THREE_ROOTS, discount_rate_frac=rate) == pytest.approx(expected, abs=1e-9)
    # every root is named, and which was returned
    assert res.reason.startswith("3 IRRs (-23.0000%, -5.0000%, 14.4000%)")
    assert f"returned {expected:.4%}" in res.reason and "falls through zero" in res.reason
    # NPV is positive just below the IRR returned and negative just above (hand sign table above)
    assert finance.npv(expected - 0.01, THREE_ROOTS) > 0 > finance.npv(expected + 0.01, THREE_ROOTS)


@pytest.mark.parametrize("rate, z", [(0.08, 0.77), (1.0, 0.77)])
def test_irr_of_several_roots_with_monthly_periods(rate, z):
    # the same polynomial in z = (1 + R)^(1/12) for monthly flows: annual effective roots R = z^12 - 1,
    # -95.66 %, -45.96 % and 402.47 %; NPV falls through the first and the last (hand, as above). Nearest
    # 8 %/yr: 0.77^12 - 1 (1.04 away, against 3.94); nearest 100 %/yr, the highest discount rate taken:
    # still 0.77^12 - 1 (1.96 away, against 3.02)
    res = finance.irr_result(THREE_ROOTS, periods_per_year=12, discount_rate_frac=rate)
    assert res.rate_frac == pytest.approx(z ** 12 - 1, rel=1e-9)  # brentq xtol 1e-12
    assert "402.4" in res.reason  # the root above 100 %/yr is still found and named


# every public function that takes a rate, called with ``rate`` (the rest of the call is valid)
RATE_CALLS = {
    "npv": lambda r: finance.npv(r, [-100.0, 60.0, 60.0]),
    "npv monthly": lambda r: finance.npv(r, [-100.0, 60.0, 60.0], periods_per_year=12),
    "revalue": lambda r: finance.revalue(100.0, r, 12),
    "discounted_payback_years": lambda r: finance.discounted_payback_years(r, [-100.0, 60.0, 60.0]),
    "levelized_cost": lambda r: finance.levelized_cost(r, [50.0] * 3, [10.0] * 3),
    "irr_result": lambda r: finance.irr_result([-100.0, 60.0, 60.0], discount_rate_frac=r),
    "irr": lambda r: finance.irr([-100.0, 60.0, 60.0], discount_rate_frac=r),
}


@pytest.mark.parametrize("call", sorted(RATE_CALLS))
def test_a_rate_typed_as_a_percent_is_refused_with_the_fraction(call):
    # npv(8, ...) discounted at 800 %/yr without a word; rates are fractions per year, at most 1 (100 %/yr)
    # both readings named: the fraction typed (8 = 800 %/yr, refused) and the percent meant (8 % = 0.08)
    with pytest.raises(InputError, match=r"rate per year as a fraction.*got 8: as a fraction that is 800%/yr, above "
                                         r"the allowed 100%/yr; for 8 % give 0\.08$") as e:
        RATE_CALLS[call](8)
    assert e.value.field == ("discount_rate_frac" if call.startswith("irr") else "rate")
    # 150 % typed as 1.5 was told "give 0.015" (1.5 %) only: now both readings
    with pytest.raises(InputError, match=r"got 1\.5: as a fraction that is 150%/yr, above the allowed 100%/yr; for "
                                         r"1\.5 % give 0\.015$"):
        RATE_CALLS[call](1.5)
    # an array with one rate above 1 is refused too (the first offending value is named)
    if call == "npv":
        with pytest.raises(InputError, match="got 12: as a fraction that is 1200%/yr, above the allowed 100%/yr; "
                                             "for 12 % give 0.12"):
            finance.npv(np.array([0.08, 12.0]), np.ones((2, 3)))


@pytest.mark.parametrize("call", sorted(RATE_CALLS))
@pytest.mark.parametrize("rate", [float("inf"), float("nan"), -1.0, -2.0])
def test_a_rate_not_finite_or_at_most_minus_100_percent_is_refused(call, rate):
    with pytest.raises(InputError, match="must be a finite rate > -1"):
        RATE_CALLS[call](rate)


def test_a_rate_of_100_percent_is_the_highest_taken():
    # 1 = 100 %/yr is allowed: -100 + 60/2 + 60/4 = -55 (hand); 100 x 2^(12/12) = 200 (hand)
    assert finance.npv(1.0, [-100.0, 60.0, 60.0]) == -55.0
    assert finance.revalue(100.0, 1.0, 12) == 200.0
    assert finance.RATE_MAX_FRAC == 1.0


def test_the_irr_search_still_finds_an_irr_above_100_percent():
    # -1 then +9 a year later: NPV = -1 + 9 / (1 + r) = 0 at r = 8 (800 %/yr, hand). The search evaluates NPV
    # above 100 %/yr internally; abs 1e-9: brentq xtol 1e-12
    assert finance.irr([-1.0, 9.0]) == pytest.approx(8.0, abs=1e-9)
    assert finance._npv(8.0, [-1.0, 9.0]) == 0.0


@pytest.mark.parametrize("values", [["a", "b"], [1.0, None, "x"], {"a": 1}])
def test_cash_flows_that_are_not_numbers_are_an_input_error_naming_values(values):
    with pytest.raises(InputError, match=r"values: need a sequence of cash flows as numbers, got") as e:
        finance.npv(0.08, values)
    assert e.value.field == "values"
    with pytest.raises(InputError) as e:
        finance.irr(values)
    assert e.value.field == "values"


def test_an_irr_above_the_search_range_says_it_is_above():
    # -1 then +100: NPV(r) = -1 + 100 / (1 + r) is 0 at r = 99 (9,900 %), above the 1,000 % searched;
    # the report said only "no IRR in that range" (a 1,203 % IRR read like a project that never pays)
    # (NPV tends to the first flow, -1, as the rate rises: a root lies above, so no "or none")
    r = finance.irr_result([-1.0, 100.0])
    assert r.rate_frac is None and r.reason.endswith("no IRR in that range; it is above 1000% (NPV is positive "
                                                     "throughout the range)")
    # NPV < 0 at every rate down to -99 % (-50 there): IRR -99.5 %, below it (NPV -> +inf as r -> -1, last flow > 0)
    r = finance.irr_result([-100.0, 0.5])
    assert r.rate_frac is None and r.reason.endswith("it is below -99% (NPV is negative throughout the range)")
    # last flow negative: NPV -> -inf as r -> -1 and -> -1 as r rises; negative everywhere, no IRR at all
    r = finance.irr_result([-1.0, 2.201, -1.2112])
    assert r.rate_frac is None and r.reason.endswith("it is below -99% or none (NPV is negative throughout the range)")


def test_an_annuity_at_its_own_rate_pays_back_at_the_end_not_never():
    """Finding 11: an 8 % annuity discounted at 8 % ends its discounted cumulative at -1e-12 (rounding),
    and discounted_payback_years said None (never). The annuity payment that repays 1,000 over 10 years
    at 8 %: 1000 x 0.08 / (1 - 1.08^-10) = 149.0294887 (hand, annuity formula); its discounted flows sum
    to exactly 0 at year 10, so the discounted payback is 10 years."""
    pmt = 1000.0 * 0.08 / (1.0 - 1.08 ** -10)
    assert pmt == pytest.approx(149.0294887, abs=1e-7)
    assert finance.discounted_payback_years(0.08, [-1000.0] + [pmt] * 10) == pytest.approx(10.0, abs=1e-9)
    # undiscounted flows that sum to zero within rounding: 0.1 x 10 = 1 - 1e-16 in floats, paid back at the end
    assert finance.payback_years([-1.0] + [0.1] * 10) == pytest.approx(10.0, abs=1e-9)
    # a real shortfall is still never: 1 USD short of 1,000 (1e-3 of the flows, far above rounding)
    assert finance.discounted_payback_years(0.08, [-1001.0] + [pmt] * 10) is None
    assert finance.payback_years([-100.0, 10, 10]) is None


def test_levelized_cost_with_no_output_is_an_error_not_nan():
    """Finding 11: levelized_cost(0.08, [100], [0]) returned NaN though the module promises never a NaN."""
    for q in ([0.0], [0.0, 0.0, 0.0]):
        with pytest.raises(InputError, match=r"^quantities: every period's output is 0 \(\d periods?\): no output to "
                                             r"divide the cost by, so no cost per unit exists; allowed: an output > 0 "
                                             r"in at least one period$") as e:
            finance.levelized_cost(0.08, [100.0] * len(q), q)
        assert e.value.field == "quantities"
    with pytest.raises(InputError, match=r"\(1 period\)"):
        finance.levelized_cost(0.08, [100.0], [0.0])
    # one period with output is enough: 300 / 10 at rate 0 (hand)
    assert finance.levelized_cost(0.0, [100.0] * 3, [0.0, 10.0, 0.0]) == pytest.approx(30.0, rel=1e-14)
