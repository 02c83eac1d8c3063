"""Each bundled site's income tax rate is its state's combined federal + state rate.

A finance reviewer found every bundled after-tax NPV and IRR on data/costs.csv's federal 21 % alone (the report's
``state_tax`` caveat said so), though all four bundled sites are in states with a corporate income tax. Each site
file now sets ``finance.tax_rate_frac``. Expected values are derived here from the 2025 state rates (Tax Foundation,
"State Corporate Income Tax Rates and Brackets, 2025", each checked against its statute: data/SOURCES.md, "Bundled
sites' income tax rates"), not read back from the site files.
"""
from __future__ import annotations

import pytest
from conftest import DATA

from dcplan.site import load_site
from dcplan.tco import run_tco
from dcplan.tco_inputs import inputs_from_site
from dcplan.tco_notes import state_tax_note
from dcplan.tco_uncertainty import default_distributions, default_ranges

FEDERAL = 0.21  # 26 U.S.C. 11(b) as amended by P.L. 115-97 (2017)
#: State corporate income tax rates of 2025 [frac]: North Carolina's flat 2.25 % (G.S. 105-130.3), Virginia's 6 %
#: (Code of Virginia 58.1-400), Arizona's 4.9 % (A.R.S. 43-1111), Illinois' 7 % income tax plus its 2.5 % personal
#: property replacement income tax on corporations (Illinois Department of Revenue)
STATE_2025 = {"research-triangle-nc": 0.0225, "northern-virginia": 0.06, "phoenix-az": 0.049,
              "chicago-il": 0.07 + 0.025}
#: The combined rates by hand, state tax being deductible federally: 0.21 + s x (1 - 0.21)
COMBINED = {"research-triangle-nc": 0.21 + 0.017775,  # 0.0225 x 0.79
            "northern-virginia": 0.21 + 0.0474,       # 0.06 x 0.79
            "phoenix-az": 0.21 + 0.03871,             # 0.049 x 0.79
            "chicago-il": 0.21 + 0.07505}             # 0.095 x 0.79
#: North Carolina phases its rate down (G.S. 105-130.3: 2 % in 2026-27, 1 % in 2028-29, 0 % from 2030), and the
#: site gives that schedule by calendar year (dcplan.tco_tax_schedule), its 2025 rate the combined one above
NC_SCHEDULE = {2025: COMBINED["research-triangle-nc"], 2026: 0.21 + 0.02 * 0.79, 2028: 0.21 + 0.01 * 0.79, 2030: 0.21}
#: data/costs.csv's tax range: the federal rate to federal plus New Jersey's 11.5 % (0.21 + 0.115 x 0.79)
RANGE = (0.21, 0.30085)


def test_every_bundled_site_is_covered():
    assert sorted(STATE_2025) == sorted(p.stem for p in (DATA / "sites").glob("*.yaml"))


@pytest.mark.parametrize("key", sorted(STATE_2025))
def test_the_site_sets_federal_plus_its_states_rate_unrounded(key):
    s = STATE_2025[key]
    assert FEDERAL + s * (1.0 - FEDERAL) == pytest.approx(COMBINED[key], abs=1e-12)
    # abs 1e-12: float representation only; a rate rounded to 4 decimals (0.2278 for 0.227775) is 2.5e-5 off
    given = load_site(DATA / "sites" / f"{key}.yaml").finance.tax_rate_frac
    if key == "research-triangle-nc":
        assert dict(given) == pytest.approx(NC_SCHEDULE, abs=1e-12)
        return
    assert given == pytest.approx(COMBINED[key], abs=1e-12)


@pytest.mark.parametrize("key", sorted(STATE_2025))
def test_the_tco_taxes_at_the_sites_rate_inside_the_costs_csv_range(key):
    rate = COMBINED[key]
    site = load_site(DATA / "sites" / f"{key}.yaml")
    # a small stand-in fleet: the rate, its source and its range come from the site file, not from the fleet;
    # the plant's water given, so no site-year is simulated
    inp = inputs_from_site(site, n_accelerators=8, it_capacity_kw=10.0, it_energy_kwh=8e4, wue_l_per_kwh=0.3)
    r = run_tco(inp, 1e4)
    a = r.assumptions.set_index("key")
    if key == "research-triangle-nc":  # the 2025 rate is the schedule's first (tests/test_tco_tax_schedule.py)
        assert a.loc["tax_rate_frac_from_2025", "value"] == pytest.approx(rate, abs=1e-12)
        src = a.loc["tax_rate_frac", "source"]
        assert src.startswith("site.finance.tax_rate_frac: income tax by calendar year: federal 21 % (26 U.S.C. "
                              "11(b)) + North Carolina's rate"), src
        assert "2025 s = 2.25 %, 0.21 + 0.017775 = 0.227775" in src, src
        return
    assert a.loc["tax_rate_frac", "value"] == pytest.approx(rate, abs=1e-12)
    # the source names the field, then the site's own text (finance.sources): the state's rate and the arithmetic,
    # written here from STATE_2025 and COMBINED (the YAML comment a finance reviewer never saw, until 2026)
    src = a.loc["tax_rate_frac", "source"]
    assert src.startswith("site.finance.tax_rate_frac: income tax: federal 21 % (26 U.S.C. 11(b)) + "), src
    s = STATE_2025[key]
    assert f"0.21 + {s:g} x (1 - 0.21) = 0.21 + {s * 0.79:.6g} = {rate:.6g}" in src, src
    assert (a.loc["tax_rate_frac", "status"], a.loc["tax_rate_frac", "vintage"]) == ("input", "")
    assert state_tax_note(r) == ""  # the federal-only caveat is for a site on the costs.csv default
    tax, taxable = r.annual.loc["income_tax_usd"], r.annual.loc["taxable_income_usd"]
    assert taxable.abs().sum() > 0 and tax.to_numpy() == pytest.approx(rate * taxable.to_numpy(), rel=1e-12)
    # the tornado and the Monte Carlo swing it over the costs.csv range, which holds every bundled site's rate:
    # not widened, the site's rate the triangle's mode
    lo, hi = default_ranges(inp)["tax_rate_frac"]
    assert (lo, hi) == (pytest.approx(RANGE[0], abs=1e-12), pytest.approx(RANGE[1], abs=1e-12))
    assert lo < rate < hi
    kind, dlo, mode, dhi = default_distributions(inp)["tax_rate_frac"]
    assert kind == "triangular" and (dlo, mode, dhi) == pytest.approx((RANGE[0], rate, RANGE[1]), abs=1e-12)
