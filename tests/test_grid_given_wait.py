"""The time to power given the months already waited without power (dcplan.grid_given_wait): a request filed ``w``
months before the plan's date with no phase in service publishes P(T <= t | T > w) = (F(t) - F(w)) / (1 - F(w)),
not the whole wait from filing (which only dcplan.plan_dates.long_wait_warnings said, in a warning).

Independent figures: scipy.stats.lognorm for a single-piece lognormal (p10 and p90 symmetric about the median in
logs), and the two-piece lognormal's closed form with the published rows of data/interconnection.csv (nc-duke: 24 /
36 / 60 months) and data/equipment_lead_times.csv (power transformer 130 / 150 / 208 weeks, switchgear 46 / 47 / 48)
typed in, the later of the three drawn independently, the conditional CDF inverted by brentq.
"""
from __future__ import annotations

import datetime as dt

import numpy as np
import pytest
from scipy.optimize import brentq
from scipy.stats import lognorm, norm

from dcplan import grid, tco_delay, tco_uncertainty
from dcplan.errors import InputError
from dcplan.plan_dates import months_waited, with_wait
from dcplan.site import load_site
from dcplan.specs.interconnection import InterconnectionSpec

from conftest import bundled_site_copy

Z90 = norm.ppf(0.9)
WEEKS_PER_MONTH = 365.25 / 12 / 7
NC_DUKE = (36.0, 24.0, 60.0)                      # median, p10, p90 [months]
TRANSFORMER = (150.0, 130.0, 208.0)               # median, low, high [weeks]
SWITCHGEAR = (47.0, 46.0, 48.0)
AS_OF = dt.date(2025, 3, 1)
FILED_40 = "2021-11-01"                           # 40 calendar months before AS_OF


def _two_piece(t, m, p10, p90):
    t = np.asarray(t, dtype=float)
    s = np.where(t < m, np.log(m / p10), np.log(p90 / m)) / Z90
    return norm.cdf(np.log(t / m) / s)


def _f_nc(t):
    """F_T of nc-duke with the default equipment ordered at filing: grid x transformer x switchgear."""
    eq = [tuple(x / WEEKS_PER_MONTH for x in e) for e in (TRANSFORMER, SWITCHGEAR)]
    return float(_two_piece(t, *NC_DUKE) * np.prod([_two_piece(t, *e) for e in eq]))


def _cond_quantile(f, w, q):
    fw = f(w)
    return brentq(lambda t: (f(t) - fw) / (1 - fw) - q, w, 400.0, xtol=1e-10)


def test_single_piece_conditional_quantiles_are_scipy_lognorms():
    # p10 / median / p90 of 20 / 30 / 45: ln(30/20) = ln(45/30), one lognormal, sigma = ln(1.5) / z90
    ic = InterconnectionSpec(time_to_power={"p10_months": 20.0, "median_months": 30.0, "p90_months": 45.0,
                                            "source": "test"}, requested_mw=10, filed="2021-11-01", equipment="none")
    dist = lognorm(s=np.log(1.5) / Z90, scale=30.0)
    q = np.array([0.1, 0.5, 0.9])
    for w in (25.0, 40.0):
        want = dist.ppf(dist.cdf(w) + q * dist.sf(w))
        got = grid.time_to_power(ic, waited_months=w)
        # grid wait alone: the exact quantile function; time to power: the conditioned CDF inverted on the
        # 0.05-month grid, linear between points (a smooth CDF: within 0.005 month)
        np.testing.assert_allclose(got["grid_months"], want, rtol=1e-9)
        np.testing.assert_allclose(got["time_to_power_months"], want, atol=0.005)
        # and the CDF itself: (F(t) - F(w)) / (1 - F(w)) above w, 0 below
        t = np.array([w - 1.0, w, w + 7.5, w + 30.0])
        cdf = grid.time_to_power_cdf(ic, months=t, waited_months=w)["time_to_power_cdf_frac"].to_numpy()
        np.testing.assert_allclose(cdf, np.where(t >= w, (dist.cdf(t) - dist.cdf(w)) / dist.sf(w), 0.0), atol=1e-12)
    # w = 40 puts the median at 45.8 months, not 30 (the whole wait's)
    assert float(grid.time_to_power(ic, waited_months=40.0).loc[0.5, "grid_months"]) == pytest.approx(
        dist.ppf(dist.cdf(40.0) + 0.5 * dist.sf(40.0)), rel=1e-9)
    assert dist.ppf(dist.cdf(40.0) + 0.5 * dist.sf(40.0)) == pytest.approx(45.8, abs=0.1)


def _site_40(tmp_path, **ic):
    return load_site(bundled_site_copy(tmp_path, "research-triangle-nc", "old", interconnection={
        "region": "nc-duke", "filed": FILED_40, "requested_mw": 12,
        "phases": [{"energized": "2026-06-01", "mw": 12}], **ic}))


def test_a_site_filed_40_months_before_its_date_publishes_the_conditional_figures(tmp_path):
    site = _site_40(tmp_path)
    w, on = months_waited(site, today=AS_OF)
    assert (w, on) == (40.0, AS_OF)
    ic = with_wait(site, today=AS_OF).interconnection
    assert grid.waited_of(ic) == 40.0 and grid.waited_of(site.interconnection) == 0.0
    assert grid.wait_words(ic) == "given 40.0 months waited without power by 2025-03-01"
    # quantiles of the later of grid wait and equipment, given T > 40, by hand (brentq on the closed form)
    want = np.array([_cond_quantile(_f_nc, 40.0, q) for q in (0.1, 0.5, 0.9)])
    got = grid.time_to_power(ic)["time_to_power_months"].to_numpy()
    np.testing.assert_allclose(got, want, atol=0.005)
    # the whole wait's median (41.8 months) is barely past the months waited; given them it is 49.1
    assert float(grid.time_to_power(site.interconnection).loc[0.5, "time_to_power_months"]) == pytest.approx(
        41.79, abs=0.01)
    assert want[1] == pytest.approx(49.1, abs=0.1)
    # the delay past the planned 55 months (2021-11-01 to 2026-06-01) and the chance of power by then
    lead = grid.planned_lead_months(ic)
    assert lead == 55.0
    np.testing.assert_allclose(grid.energization_delay_months(ic).to_numpy(), np.maximum(want - lead, 0.0),
                               atol=0.005)
    f40, f55 = _f_nc(40.0), _f_nc(55.0)
    assert grid.on_time_frac(ic) == pytest.approx((f55 - f40) / (1 - f40), abs=1e-9)
    assert grid.on_time_frac(site.interconnection) == pytest.approx(f55, abs=1e-9)   # unconditioned, as before
    assert (f55 - f40) / (1 - f40) == pytest.approx(0.695, abs=0.001)   # 82.7 % over the whole wait
    # power by a date already waited through has no chance: 0 below w
    assert grid.time_to_power_cdf(ic, months=np.array([39.9]))["time_to_power_cdf_frac"].iloc[0] == 0.0
    # the TCO's median-delay case and Monte Carlo draws take the conditioned delays (the spec they are given)
    # (the median given 40 months, 49.1, is before the planned 55: no delay; the 90th percentile's is)
    assert tco_delay.scenario_delay_months("grid-delay-p50", ic) == 0.0
    assert tco_delay.scenario_delay_months("grid-delay-p90", ic) == pytest.approx(want[2] - lead, abs=0.005)
    assert tco_delay.scenario_delay_months("grid-delay-p90", site.interconnection) == pytest.approx(
        grid.time_to_power(site.interconnection, quantiles=[0.9])["time_to_power_months"].iloc[0] - lead, abs=1e-9)
    assert want[2] - lead > tco_delay.scenario_delay_months("grid-delay-p90", site.interconnection) + 1.0
    _, probs, d = tco_uncertainty.site_delay_distribution(ic)
    hand = [max(_cond_quantile(_f_nc, 40.0, p) - lead, 0.0) for p in probs]
    np.testing.assert_allclose(d, np.maximum.accumulate(hand), atol=0.01)
    assert "over the whole wait from filing the median delay is" in tco_delay.given_wait_text(ic)
    assert tco_delay.given_wait_text(site.interconnection) == ""


def test_no_conditioning_before_filing_with_every_phase_in_service_or_for_the_bundled_sites(tmp_path):
    site = _site_40(tmp_path)
    assert months_waited(site, today=dt.date(2021, 10, 1))[0] == 0.0     # filed after that day
    assert with_wait(site, today=dt.date(2021, 10, 1)) is site
    # a campus with 4 MW in service and 8 MW pending: the wait is the pending capacity's, not come by AS_OF, so it
    # is conditioned too (tests/test_time_to_power_given_wait_reports.py); with every phase in service, nothing is
    live = _site_40(tmp_path, phases=[{"energized": "2021-06-01", "mw": 4, "in_service": True},
                                      {"energized": "2026-06-01", "mw": 8}])
    assert months_waited(live, today=AS_OF)[0] == 40.0
    done = _site_40(tmp_path, phases=[{"energized": "2021-06-01", "mw": 12, "in_service": True}])
    assert months_waited(done, today=AS_OF)[0] == 0.0


def test_a_wait_the_model_gives_no_chance_of_is_an_error():
    ic = InterconnectionSpec(region="nc-duke", requested_mw=10, filed="2021-11-01", equipment="none")
    with pytest.raises(InputError, match="no chance of a wait longer than the 5000.0 months"):
        grid.time_to_power(ic, waited_months=5000.0)
    with pytest.raises(InputError, match="months >= 0"):
        grid.given_wait(ic, -1.0)


@pytest.mark.slow
def test_the_interconnection_notebook_publishes_the_conditional_figures_and_the_whole_wait_beside(tmp_path,
                                                                                                  monkeypatch):
    from conftest import published_until
    from dcplan.plan_dates import TODAY_ENV
    path = bundled_site_copy(tmp_path, "research-triangle-nc", "old", interconnection={
        "region": "nc-duke", "filed": FILED_40, "requested_mw": 12, "phases": [{"energized": "2026-06-01", "mw": 12}]})
    pf = tmp_path / "pf.yaml"
    pf.write_text(f"name: t\nsites: [{path}]\n")
    monkeypatch.delenv(TODAY_ENV)   # the site file's as_of, 2025-03-01: 40 months after filed
    _, got = published_until("interconnection", "time_to_power_median_months", site="old", portfolio=str(pf))
    want = [_cond_quantile(_f_nc, 40.0, q) for q in (0.1, 0.5, 0.9)]
    for key, v in zip(("time_to_power_p10_months", "time_to_power_median_months", "time_to_power_p90_months"), want):
        assert got[key][0] == pytest.approx(v, abs=0.005)
        assert "given 40.0 months waited without power by 2025-03-01" in got[key][2]
    site = load_site(path)
    whole = grid.time_to_power(site.interconnection)["time_to_power_months"].to_numpy()
    for key, v in zip(("p10", "median", "p90"), whole):
        assert got[f"time_to_power_{key}_unconditioned_months"][0] == v
    f40, f55 = _f_nc(40.0), _f_nc(55.0)
    assert got["p_on_time_frac"][0] == pytest.approx((f55 - f40) / (1 - f40), abs=1e-9)
    assert got["p_on_time_unconditioned_frac"][0] == pytest.approx(f55, abs=1e-9)
