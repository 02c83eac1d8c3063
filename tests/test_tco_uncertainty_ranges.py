"""The tornado and Monte Carlo ranges of the income tax rate and the electricity escalation (data/costs.csv).

A lender's engineer found the tax range 0-0.26 (a statutory 21 % swung down to 0, "no taxable income",
which the model's in-year loss offset contradicts; the 0.26 high unsourced) and an escalation range up to
25 %/yr built from one-off 15-25 % rises applied every year (1.2^10 = 6.2x the bill by year 10). Expected
values are derived here from the published figures the rows cite, not read back from the CSV.
"""
from __future__ import annotations

import math

import pytest

from dcplan.tco import TcoInputs, run_tco
from dcplan.tco_notes import state_tax_note
from dcplan.tco_uncertainty import default_distributions, default_ranges, tornado

INP = TcoInputs(n_accelerators=4096, it_capacity_kw=6000.0, it_energy_kwh=4.2e7, pv_kw_dc=2000.0)
BILL = 4.0e6  # USD, year-1 bill

FEDERAL = 0.21        # 26 U.S.C. 11(b) as amended by P.L. 115-97 (2017)
TOP_STATE = 0.115     # New Jersey 9 % + 2.5 % surtax, the top state rate of 2025 (Tax Foundation)


def test_tax_range_runs_from_the_federal_rate_to_federal_plus_the_top_state_rate():
    # state tax is deductible federally: combined = 0.21 + s (1 - 0.21); New Jersey: 0.21 + 0.09085
    combined = FEDERAL + TOP_STATE * (1.0 - FEDERAL)
    assert combined == pytest.approx(0.30085, abs=1e-12)
    lo, hi = default_ranges(INP)["tax_rate_frac"]
    assert lo == FEDERAL and hi == pytest.approx(combined, abs=1e-12)
    # the Monte Carlo's triangular has its mode at the base, the low end: mean (0.21 + 0.21 + 0.30085) / 3
    kind, a, m, b = default_distributions(INP)["tax_rate_frac"]
    assert (kind, a, m) == ("triangular", 0.21, 0.21)
    assert (a + m + b) / 3 == pytest.approx(0.24028333, abs=1e-8)
    # the tornado's low end is the base case (the federal rate), the high end lowers the NPV
    row = tornado(INP, BILL, ranges=default_ranges(INP, keys=["tax_rate_frac"])).set_index("input").loc["tax_rate_frac"]
    assert row["metric_at_low"] == row["base_metric"] > row["metric_at_high"]


def test_escalation_range_is_the_eia_industrial_price_record():
    # EIA Electric Power Monthly Table 5.3, US average industrial price [c/kWh]: 2002 4.88, 2008 6.82, 2011 6.88
    fastest = (6.82 / 4.88) ** (1 / 6) - 1           # 2002-2008, the fastest multi-year rise: +5.74 %/yr
    flat = (6.88 / 6.82) ** (1 / 3) - 1              # 2008-2011: +0.29 %/yr
    assert fastest == pytest.approx(0.0574, abs=5e-5) and flat == pytest.approx(0.0029, abs=5e-5)
    lo, hi = default_ranges(INP)["electricity_escalation_frac"]
    assert hi == math.ceil(100 * fastest) / 100 == 0.06        # rounded up to a whole percent
    assert lo == 0.0 == math.floor(100 * flat) / 100            # flat nominal prices
    # a sustained rate: the high end's bill in project year 10 is 1.06^9 = 1.69x year 1's, not 1.2^9 = 5.2x
    assert (1 + hi) ** 9 == pytest.approx(1.6895, abs=1e-4)
    kind, a, m, b = default_distributions(INP)["electricity_escalation_frac"]
    assert (kind, a, m, b) == ("triangular", 0.0, 0.03, 0.06)   # mean 3 %/yr, not (0 + 0.03 + 0.25) / 3 = 9.3 %


def test_the_report_says_the_tax_is_federal_only_and_how_to_set_a_combined_rate():
    note = state_tax_note(run_tco(INP, BILL))
    assert note == (
        "Income tax: the US federal rate only, 21 % (data/costs.csv tax_rate_frac): the base case charges no state "
        "income tax. In a state with a corporate income tax, set the site's combined rate in finance.tax_rate_frac: "
        "0.21 + s x (1 - 0.21) for a state rate s, state tax being deductible federally (for example Illinois, 9.5 %: 0.21 + "
        "0.095 x 0.79 = 0.28505). The tornado and the Monte Carlo take it from 21.0 % to 30.1 % (federal plus the "
        "top state rate, New Jersey's 11.5 %), so its range lies at or above the base case's rate.")
    # Illinois by hand, as the note says: 7 % + 2.5 % replacement tax
    assert FEDERAL + 0.095 * (1 - FEDERAL) == pytest.approx(0.28505, abs=1e-12)
    # a rate the site (or a caller) gives is its own: nothing to say
    given = INP.with_costs(tax_rate_frac=0.28505)
    assert state_tax_note(run_tco(given, BILL)) == ""
