"""Monte Carlo distributions checked up front, percentiles in percent, months in one unit
(finance review s21, findings 4 and 6).

A triangular tax rate typed in percent failed with "tax_rate_frac: must be a fraction in [0, 1),
got 18.094..." (a random draw, not the caller's (15, 21, 26)); a normal discount rate with a wide sd
failed with "got -0.975". Now the distribution itself is refused, named with its parameters under
``distributions.<input>``, with a percent hint, and for an unbounded one the share of its draws
outside. ``percentiles(q=[0.1, 0.5, 0.9])`` computed the 0.1th percentile; it is refused.
"""
from __future__ import annotations

import math

import pytest

from dcplan import tco
from dcplan.errors import InputError
from dcplan.tco_uncertainty import monte_carlo, percentiles, tornado

INP = tco.TcoInputs(n_accelerators=1000, it_capacity_kw=1500.0, it_energy_kwh=1.0e7, utilization_frac=0.6)
BILL = 1.0e6


def _phi(z: float) -> float:
    """Standard normal CDF, from math.erfc (not scipy, which the check uses)."""
    return 0.5 * math.erfc(-z / math.sqrt(2.0))


def _refused(dists) -> InputError:
    with pytest.raises(InputError) as e:
        monte_carlo(INP, BILL, dists, n_draws=100)
    return e.value


def test_a_tax_rate_in_percent_names_the_distribution_and_the_fractions():
    e = _refused({"tax_rate_frac": ("triangular", 15, 21, 26)})
    assert e.field == "distributions.tax_rate_frac"
    msg = str(e)
    assert "('triangular', 15, 21, 26) draws from 15 to 26" in msg and "a fraction in [0, 1)" in msg
    assert "give ('triangular', 0.15, 0.21, 0.26)" in msg
    assert "got 18" not in msg   # no random draw quoted


def test_a_wide_normal_discount_rate_gives_the_share_of_draws_outside():
    # normal(0.08, 1): below 0 Phi(-0.08) = 0.4681, above 1 1 - Phi(0.92) = 0.1788 (normal table: Phi(0.08)
    # = 0.5319, Phi(0.92) = 0.8212), 64.7 % in all; printed to 3 significant digits
    below, above = _phi(-0.08), 1.0 - _phi(0.92)
    assert below == pytest.approx(0.4681, abs=1e-4) and above == pytest.approx(0.1788, abs=1e-4)
    e = _refused({"discount_rate_frac": ("normal", 0.08, 1.0)})
    assert e.field == "distributions.discount_rate_frac"
    assert (f"('normal', 0.08, 1) would draw values outside what discount_rate_frac allows, a rate per year in "
            f"[0, 1] as a fraction (0.08 for 8 %): {100 * (below + above):.3g} % of its draws "
            f"({100 * below:.3g} % below 0, {100 * above:.3g} % above 1); use ('truncnormal', 0.08, 1, low, high)") \
        in str(e)
    assert "64.7 %" in str(e)


def test_a_normal_refused_at_four_sd_and_taken_at_eight():
    # 4 sd above 0: Phi(-4) = 3.17e-5 > 1e-9 of the draws below 0 (about a third of 10,000-draw runs hit one)
    e = _refused({"discount_rate_frac": ("normal", 0.08, 0.02)})
    assert f"{100 * _phi(-4.0):.3g} % below 0" in str(e) and "0.00317 %" in str(e)
    # 8 sd: Phi(-8) = 6e-16, below DRAWS_OUTSIDE_MAX_FRAC: drawn
    mc = monte_carlo(INP, BILL, {"discount_rate_frac": ("normal", 0.08, 0.01)}, n_draws=100)
    assert len(mc) == 100


def test_a_lognormal_refresh_cycle_outside_1_to_50_years():
    # lognormal(median 4, sigma 1) yr: below 1 yr Phi(-ln 4) = Phi(-1.3863) = 0.0829; above 50 yr
    # 1 - Phi(ln 12.5) = 1 - Phi(2.5257) = 0.00577 (hand, ln 4 = 1.386294, ln 50 - ln 4 = 2.525729)
    below, above = _phi(-math.log(4.0)), 1.0 - _phi(math.log(12.5))
    assert below == pytest.approx(0.0829, abs=1e-4) and above == pytest.approx(0.00577, abs=1e-5)
    e = _refused({"it_refresh_years": ("lognormal", 4.0, 1.0)})
    assert f"{100 * below:.3g} % below 1, {100 * above:.3g} % above 50" in str(e)
    assert "percent" not in str(e)   # years: no percent hint


@pytest.mark.parametrize("dist, text", [
    (("fixed", 1.0), "('fixed', 1) is 1, reaching outside what tax_rate_frac allows, a fraction in [0, 1)"),
    (("uniform", 0.5, 1.2), "('uniform', 0.5, 1.2) draws from 0.5 to 1.2"),
    (("truncnormal", 8.0, 2.0, 5.0, 12.0), "give ('truncnormal', 0.08, 0.02, 0.05, 0.12)"),  # sd too
    (("normal", 21.0, 2.0), "give ('normal', 0.21, 0.02)"),
])
def test_bounded_and_percent_cases(dist, text):
    e = _refused({"tax_rate_frac": dist})
    assert e.field == "distributions.tax_rate_frac" and text in str(e)
    if dist[0] == "uniform":   # 0.5 to 1.2 is not a percent range: no hint
        assert "percent" not in str(e)


def test_a_distribution_inside_the_range_runs():
    # triangular ends exactly at an exclusive bound draw it with probability 0: taken
    mc = monte_carlo(INP, BILL, {"tax_rate_frac": ("triangular", 0.15, 0.21, 0.26),
                                 "utilization_frac": ("uniform", 0.5, 1.0)}, n_draws=100)
    assert mc["tax_rate_frac"].between(0.15, 0.26).all()


@pytest.mark.parametrize("rng, text", [
    ((5.5, 12), "ranges.discount_rate_frac: (5.5, 12) reaches outside what discount_rate_frac allows, a rate per year "
                "in [0, 1] as a fraction (0.08 for 8 %); discount_rate_frac is a fraction, so these look like "
                "percents: give (0.055, 0.12)"),
    ((0.05, 1.2), "ranges.discount_rate_frac: (0.05, 1.2) reaches outside what discount_rate_frac allows, a rate per "
                  "year in [0, 1] as a fraction (0.08 for 8 %)")])
def test_a_tornado_range_outside_the_input_names_the_range_with_the_percent_hint(rng, text):
    """The tornado refused (5.5, 12) only in the model ("discount_rate_frac: must be a rate per year
    ..., got 5.5"), without the range's field or the fractions it reads as; 1.2 is no percent (0.012
    would be a 1.2 % rate, but 0.05 is not 5 % typed), so no hint."""
    with pytest.raises(InputError) as e:
        tornado(INP, BILL, ranges={"discount_rate_frac": rng})
    assert str(e.value) == text and e.value.field == "ranges.discount_rate_frac"


def test_percentiles_refuse_fractions():
    mc = monte_carlo(INP, BILL, {"tax_rate_frac": ("triangular", 0.15, 0.21, 0.26)}, n_draws=100)
    with pytest.raises(InputError, match=r"q is in percent \(10, 50, 90 .*give \[10\.0, 50\.0, 90\.0\]") as e:
        percentiles(mc, ["npv_usd"], q=[0.1, 0.5, 0.9])
    assert e.value.field == "q"
    # one value above 1: percents (the 0.5th and the 10th)
    assert list(percentiles(mc, ["npv_usd"], q=[0.5, 10]).index[:2]) == ["p0.5", "p10"]


def test_months_are_months_in_the_summary_units():
    # the report read "12 month" for operations_start_month beside "18 months" for the grid delay
    r = tco.run_tco(INP, BILL)
    assert r.units["operations_start_month"] == "months"
    a = r.assumptions.set_index("key")
    assert a.loc["operations_start_month", "unit"] == "months"
