"""dcplan.finance with bad arguments, and the IRR search between grid points.

Bad arguments are an InputError naming the argument (``field``), the value and what is allowed:
before, several surfaced as numpy or math errors ("math domain error", "negative dimensions are
not allowed", a broadcast error) or as a silent result (NaN, a string rate read as a number, a
fractional month truncated).
"""
from __future__ import annotations

import numpy as np
import pytest

from dcplan import finance
from dcplan.errors import InputError

V = [-100.0, 60.0, 60.0]

BAD = [
    # (call, field, pattern of the message: the value and what is allowed)
    (lambda: finance.irr_result(V, lo=-1.0), "lo", r"must be > -1 .*got -1"),
    (lambda: finance.irr_result(V, lo=-1.5), "lo", r"must be > -1 .*got -1\.5"),
    (lambda: finance.irr_result(V, hi=float("nan")), "hi", r"must be a finite number .*got nan"),
    (lambda: finance.irr_result(V, lo=float("-inf")), "lo", r"must be a finite number .*got -inf"),
    (lambda: finance.irr_result(V, lo=0.5, hi=0.1), "hi", r"must be above lo \(0\.5\), got 0\.1"),
    (lambda: finance.irr_result(V, lo=0.1, hi=0.1), "hi", r"must be above lo \(0\.1\), got 0\.1"),
    (lambda: finance.irr_result(V, hi="10"), "hi", r"must be a finite number .*got '10'"),
    (lambda: finance.npv([0.05, 0.1, 0.2], [V, V]), "rate", r"has shape \(3,\) but values \(2, 3\)"),
    (lambda: finance.npv(np.zeros((2, 2)), [V, V]), "rate", r"has shape \(2, 2\) but values \(2, 3\)"),
    (lambda: finance.discounted_payback_years(np.array([0.05, 0.1]), V + [60.0]), "rate",
     r"must be one rate .*shape \(2,\)"),
    (lambda: finance.levelized_cost(np.array([0.05, 0.1]), [1.0, 1.0], [1.0, 1.0]), "rate",
     r"must be one rate .*shape \(2,\)"),
    (lambda: finance.revalue(100.0, np.array([0.05, 0.1]), 12), "rate", r"must be one rate"),
    (lambda: finance.depreciation_matrix("macrs", 5, -3), "n_years", r"whole number >= 0 .*got -3"),
    (lambda: finance.depreciation_matrix("macrs", 5, 2.5), "n_years", r"whole number >= 0 .*got 2\.5"),
    (lambda: finance.depreciation_matrix("macrs", 5, "3"), "n_years", r"whole number >= 0 .*got '3'"),
    (lambda: finance.depreciation_in_service(np.array([[100.0]]), "macrs", 5, np.array([[-5]]), 3), "month",
     r"whole months >= 0 .*got -5"),
    (lambda: finance.depreciation_in_service(np.array([[100.0]]), "macrs", 5, np.array([[1.5]]), 3), "month",
     r"whole months >= 0 .*got 1\.5"),
    (lambda: finance.depreciation_in_service(np.array([[100.0]]), "macrs", 5, np.array([[1, 2]]), 3), "month",
     r"one month per basis row, shape \(1, 1\), got shape \(1, 2\)"),
    (lambda: finance.depreciation_in_service(np.array([[100.0]]), "macrs", 5, np.array([[1]]), -1), "n_years",
     r"whole number >= 0"),
    (lambda: finance.revalue(100.0, 0.08, float("nan")), "months", r"finite number .*got nan"),
    (lambda: finance.revalue(float("nan"), 0.08, 12), "value", r"finite number .*got nan"),
    (lambda: finance.revalue("100", 0.08, 12), "value", r"finite number .*got '100'"),
    (lambda: finance.npv(None, V), "rate", r"must be a number .*got None"),
    (lambda: finance.npv("0.08", V), "rate", r"must be a number .*got '0\.08'"),
    (lambda: finance.npv(True, V), "rate", r"must be a number .*got True"),
    (lambda: finance.irr(V, discount_rate_frac="0.08"), "discount_rate_frac", r"must be a number .*got '0\.08'"),
    (lambda: finance.npv(0.08, ["-100", "60"]), "values", r"cash flows as numbers, got \['-100', '60'\]"),
    (lambda: finance.payback_years([V, V]), "values", r"one cash-flow series \(1-D\), got shape \(2, 3\)"),
]


@pytest.mark.parametrize("call, field, pattern", BAD, ids=[f"{i}-{b[1]}" for i, b in enumerate(BAD)])
def test_bad_arguments_are_input_errors_naming_the_argument(call, field, pattern):
    with pytest.raises(InputError, match=pattern) as e:
        call()
    assert e.value.field == field


def test_valid_shapes_still_work():
    # one rate per series, and one series at several rates: -100 + 60/1.05 + 60/1.05^2 = 11.5646 and
    # -100 + 60/1.1 + 60/1.21 = 4.1322 (hand); abs 1e-4 covers the rounding of the hand figures
    np.testing.assert_allclose(finance.npv([0.05, 0.1], [V, V]), [11.5646, 4.1322], atol=1e-4)
    np.testing.assert_allclose(finance.npv([0.05, 0.1], V), [11.5646, 4.1322], atol=1e-4)
    # integral n_years given as a float is a whole number: 5-yr MACRS, first two years 20 % and 32 %
    np.testing.assert_allclose(finance.depreciation_matrix("macrs", 5, 2.0), [[0.2, 0.32], [0.0, 0.2]], atol=1e-12)


def test_a_purchase_placed_in_service_after_the_horizon_deducts_nothing_within_it():
    # month 40 is in tax year 4, after a 3-year horizon: no depreciation (before: a broadcast error);
    # month 13 is in tax year 2: 5-yr MACRS 20 % then 32 % of 100 (Pub 946 Table A-1)
    dep = finance.depreciation_in_service(np.array([[100.0], [100.0]]), "macrs", 5, np.array([[40], [13]]), 3)
    np.testing.assert_allclose(dep, [[0.0, 0.0, 0.0], [0.0, 20.0, 32.0]], atol=1e-9)


# two IRRs 0.1 % apart: -1 + 2.201 x - 1.2111 x^2 = 0 with x = 1/(1 + r) has the roots
# x = (2.201 +- sqrt(2.201^2 - 4 x 1.2111)) / (2 x 1.2111) = (2.201 +- 0.001) / 2.4222 = 1/1.1 and 1/1.101
# (hand: 2.201^2 = 4.844401, 4 x 1.2111 = 4.8444, discriminant 1e-6), so r = 10.0 % and 10.1 %; NPV > 0
# only between them (+2.06e-7 at 10.05 %), below the grid's resolution (~0.35 % steps in 1 + r)
CLOSE = [-1.0, 2.201, -1.2111]


def test_irr_finds_two_roots_closer_than_the_grid_step():
    res = finance.irr_result(CLOSE)
    # the root where NPV falls through zero as the rate rises (positive below, negative above) is 10.1 %;
    # brentq xtol 1e-12: abs 1e-9
    assert res.rate_frac == pytest.approx(0.101, abs=1e-9)
    assert res.reason.startswith("2 IRRs (10.0000%, 10.1000%); returned 10.1000%")
    assert finance.npv(0.1005, CLOSE) > 0 > finance.npv(0.1015, CLOSE)
    # nearest a discount rate below both: still the falling root (the rule is unchanged)
    assert finance.irr(CLOSE, discount_rate_frac=0.05) == pytest.approx(0.101, abs=1e-9)


def test_irr_finds_close_roots_beside_a_sign_change_and_with_monthly_periods():
    # the same pair a minimum above zero: the flows negated; NPV < 0 only between 10.0 % and 10.1 %,
    # and now 10.0 % is where NPV falls through zero
    res = finance.irr_result([-x for x in CLOSE])
    assert res.rate_frac == pytest.approx(0.100, abs=1e-9)
    # monthly periods: the roots in (1 + R)^(1/12) are 1.1 and 1.101, R = 1.1^12 - 1 and 1.101^12 - 1 (hand)
    res = finance.irr_result(CLOSE, periods_per_year=12)
    assert res.reason.startswith(f"2 IRRs ({1.1 ** 12 - 1:.4%}, {1.101 ** 12 - 1:.4%})")
    assert res.rate_frac == pytest.approx(1.101 ** 12 - 1, rel=1e-9)


def test_negative_throughout_is_said_only_when_true():
    # the close pair's NPV is negative at every grid point; it said "NPV is negative throughout"
    res = finance.irr_result(CLOSE)
    assert "throughout" not in res.reason
    # a hair lower discriminant (2.201^2 - 4 x 1.21105 > 0 would cross; 1.2112 does not): the maximum
    # -1 + 2.201^2 / (4 x 1.2112) = -8.2e-5 (hand) < 0, so negative throughout, checked on a dense grid
    res = finance.irr_result([-1.0, 2.201, -1.2112])
    assert res.rate_frac is None and "negative throughout the range" in res.reason
    r = np.expm1(np.linspace(np.log1p(-0.99), np.log1p(10.0), 200_001))
    assert np.all(finance._npv(r, [-1.0, 2.201, -1.2112]) < 0)
