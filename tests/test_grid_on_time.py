"""The chance of meeting the planned energization date (dcplan.grid.on_time_frac), and the TCO caveat
that quotes the model's own share of late outcomes instead of "more than 90 %".

A utility interconnection planner drew the time to power themselves (Monte Carlo of the two-piece
lognormals) and found P(power by the first phase's planned date) = 0.0044 at northern-virginia and
0.0 at phoenix-az, research-triangle-nc and chicago-il, while the TCO said power was late "in more
than 90 %" of outcomes.

Independent figures here: the two-piece lognormal's closed form, F(t) = Phi(ln(t/m) / s), s =
ln(m/p10)/z90 below the median and ln(p90/m)/z90 above (scipy.stats.norm), with the published
figures of data/interconnection.csv and data/equipment_lead_times.csv typed in; and a Monte Carlo
draw of the later of the grid wait and each equipment delivery.
"""
from __future__ import annotations

import dataclasses

import numpy as np
import pytest
from scipy.stats import norm

from dcplan import grid, tco
from dcplan.errors import InputError
from dcplan.site import load_portfolio
from dcplan.tco_delay import delay_vs_site_note, later_than_case_frac, share_words

Z90 = norm.ppf(0.9)
WEEKS_PER_MONTH = 365.25 / 12 / 7
# data/interconnection.csv (median, p10, p90) [months]
VA_DOMINION = (48.0, 36.0, 84.0)
AZ_APS = (24.0, 18.0, 48.0)
# data/equipment_lead_times.csv (median, low = p10, high = p90) [weeks]
TRANSFORMER = (150.0, 130.0, 208.0)
SWITCHGEAR = (47.0, 46.0, 48.0)


def _cdf(t, m, p10, p90):
    s = np.log(m / p10) / Z90 if t < m else np.log(p90 / m) / Z90
    return float(norm.cdf(np.log(t / m) / s))


def _ttp_cdf(t, wait):
    eq = 1.0
    for m, lo, hi in (TRANSFORMER, SWITCHGEAR):
        eq *= _cdf(t, m / WEEKS_PER_MONTH, lo / WEEKS_PER_MONTH, hi / WEEKS_PER_MONTH)
    return _cdf(t, *wait) * eq


@pytest.fixture(scope="module")
def pf():
    return load_portfolio()


def test_northern_virginia_meets_its_planned_date_in_under_half_a_percent(pf):
    ic = pf["northern-virginia"].interconnection
    # filed 2024-06-01, phase 1 planned 2027-01-01: 31 whole months
    lead = 31.0
    want = _ttp_cdf(lead, VA_DOMINION)
    assert want == pytest.approx(0.0044, abs=5e-5)  # the planner's own draw: 0.0044
    assert grid.on_time_frac(ic) == pytest.approx(want, rel=1e-9)
    # and a Monte Carlo of the later of the three, 2 million draws: standard error sqrt(p(1-p)/n) = 4.7e-5
    rng = np.random.default_rng(7)
    n = 2_000_000

    def draw(m, p10, p90):
        z = rng.standard_normal(n)
        return m * np.exp(z * np.where(z < 0, np.log(m / p10), np.log(p90 / m)) / Z90)
    t = np.maximum.reduce([draw(*VA_DOMINION)] + [draw(*(x / WEEKS_PER_MONTH for x in e))
                                                  for e in (TRANSFORMER, SWITCHGEAR)])
    assert float((t <= lead).mean()) == pytest.approx(grid.on_time_frac(ic), abs=3e-4)  # > 6 standard errors
    # within 5 months of the plan: F(36)
    assert grid.on_time_frac(ic, 5.0) == pytest.approx(_ttp_cdf(36.0, VA_DOMINION), rel=1e-9)


def test_phoenix_almost_never_meets_its_date_and_the_grid_alone_would_sometimes(pf):
    ic = pf["phoenix-az"].interconnection
    # filed 2025-01-15, planned 2026-09-01: 19 months to 2026-08-15, then 17 of August's 31 days
    lead = 19.0 + 17.0 / 31.0
    assert grid.on_time_frac(ic) == pytest.approx(_ttp_cdf(lead, AZ_APS), rel=1e-6)
    assert grid.on_time_frac(ic) < 1e-6  # the transformer's p10 alone is 29.9 months, 10 months past the plan
    # the grid wait alone (equipment: none): az-aps p10 18 months < 19.55, so about 17 %
    assert grid.on_time_frac(ic, equipment=()) == pytest.approx(_cdf(lead, *AZ_APS), rel=1e-9)
    assert 0.15 < grid.on_time_frac(ic, equipment=()) < 0.2


def test_nothing_pending_has_no_chance_to_give_and_a_negative_delay_is_refused(pf):
    ic = pf["phoenix-az"].interconnection
    live = dataclasses.replace(ic.phases[0], in_service=True) if dataclasses.is_dataclass(ic.phases[0]) \
        else ic.phases[0].model_copy(update={"in_service": True})
    assert grid.on_time_frac(ic.model_copy(update={"phases": (live,)})) is None
    with pytest.raises(InputError, match="delay_months"):
        grid.on_time_frac(ic, -1.0)


def _site_inputs(site):
    """The tco notebook's dated case (tests/test_month_rule.py's helper): grid_dates filled."""
    live, gph = tco.grid_capacity(site.interconnection, site.fleet, 24_000.0)
    return tco.inputs_from_site(site, phases=tco.fleet_phases(site.fleet), live_fleet_frac=live, grid_phases=gph,
                                n_accelerators=9216, it_capacity_kw=16000.0, it_energy_kwh=1.2e8)


def test_the_tco_caveat_quotes_the_models_own_share(pf):
    site = pf["northern-virginia"]
    ic = site.interconnection
    inputs = _site_inputs(site)
    # the base case (0 months): phase 1 planned on a month start (2027-01-01), so a delay that moves its date
    # by a day moves its first powered month (the month rule); dates are rounded to the day, so a delay under
    # half of January's 31 days (0.5 / 31 month) keeps 2027-01-01: 1 - F(31 + 0.5/31) = 99.56 %
    share = later_than_case_frac(ic, 0.0, inputs)
    assert share == pytest.approx(1.0 - _ttp_cdf(31.0 + 0.5 / 31.0, VA_DOMINION), abs=1e-6)
    assert share == pytest.approx(1.0 - grid.on_time_frac(ic), abs=1e-4)  # the chance of missing the plan
    note = delay_vs_site_note(0.0, ic, inputs)
    assert "power arrives later than this case assumes in 99.6 % of the site's modelled outcomes" in note
    assert "more than 90 %" not in note
    # a hand case without dates rounds the delay half up: 0 whole months hold delays up to 0.5 month
    assert later_than_case_frac(ic, 0.0, None) == pytest.approx(1.0 - _ttp_cdf(31.5, VA_DOMINION), abs=1e-5)
    # Phoenix: the plan is 10 months before the transformer's p10: more than 99.9 %, never "100 %"
    assert "in more than 99.9 % of the site's modelled outcomes" in delay_vs_site_note(0.0, pf["phoenix-az"]
                                                                                       .interconnection)


def test_share_words_never_round_to_a_certainty():
    assert share_words(0.99564) == "99.6 %"
    assert share_words(1.0) == share_words(0.99995) == "more than 99.9 %"
    assert share_words(0.0) == share_words(4e-4) == "less than 0.1 %"
    assert share_words(0.25) == "25.0 %"
