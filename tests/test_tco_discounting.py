"""dcplan.tco discounting: every month's cash flow at its own time (end of month).

Before, cash was summed per calendar year and discounted at the year end, so a payment
moved by up to 11 months when ``build_months`` pushed it across a year boundary: for the
bundled phoenix-az case NPV was 49.9 M USD with an 11-month build and 59.2 M USD with a
12-month one (the 128 M USD IT purchase of month 13 was discounted as if paid at the end
of year 2). Now month ``m`` is discounted by ``(1 + r) ** (-m / 12)``.
"""
from __future__ import annotations

import numpy as np
import pytest

from dcplan import finance, tco
from dcplan.errors import InputError
from dcplan.tco import TcoInputs, run_tco

from test_tco import bare_costs  # every costs.csv input at zero; some switched on


def test_two_cash_flows_by_hand():
    # one 12,000 USD server bought in month 1 (build 0), 2-yr refresh life, 1-yr horizon, no
    # revenue, opex or tax: the only flows are -12,000 USD at the end of month 1 and the
    # residual 12,000 x (1 - 12/24) = 6,000 USD at the end of month 12. At 10 %/yr:
    # NPV = -12,000 x 1.1^(-1/12) + 6,000 / 1.1 = -11,905.0673 + 5,454.5455 = -6,450.5219 USD
    inp = TcoInputs(n_accelerators=1, it_capacity_kw=1000.0, it_energy_kwh=0.0, horizon_years=1,
                    costs=bare_costs(server_usd_per_accelerator=12_000.0, it_refresh_years=2.0,
                                     discount_rate_frac=0.10))
    r = run_tco(inp, 0.0)
    net = r.monthly["net_cash_flow_usd"].to_numpy()
    assert net[0] == -12_000.0 and net[11] == 6_000.0 and not net[1:11].any()
    # rel 1e-12: float rounding of two powers
    assert r.summary["npv_usd"] == pytest.approx(-12_000 * 1.1 ** (-1 / 12) + 6_000 / 1.1, rel=1e-12)
    assert r.summary["npv_usd"] == pytest.approx(-6_450.5219, abs=1e-4)
    # IRR: -12,000 w + 6,000 w^12 = 0, w = (1 + R)^(-1/12) -> w^11 = 2 -> R = 2^(-12/11) - 1 = -53.04 %
    # (the old year-end convention saw one year of -6,000 USD and no IRR at all)
    assert r.summary["irr_frac"] == pytest.approx(2 ** (-12 / 11) - 1, abs=1e-10)
    # PV TCO: the same two flows, pre-tax cost = capex - residual
    assert r.summary["tco_pv_usd"] == pytest.approx(-r.summary["npv_usd"], rel=1e-12)


def test_finance_monthly_periods_equal_the_monthly_rate():
    # periods_per_year=12 with the annual rate = per-period rate 1.08^(1/12) - 1 (identity);
    # the IRR is annual effective: (1 + monthly IRR)^12 - 1 (hand: -100 then 101 after one
    # month is 1 % a month, 1.01^12 - 1 = 12.6825 % a year)
    flows = np.r_[-1000.0, np.full(24, 50.0)]
    assert finance.npv(0.08, flows, periods_per_year=12) == pytest.approx(
        finance.npv(1.08 ** (1 / 12) - 1, flows), rel=1e-13)
    assert finance.irr([-100.0, 101.0], periods_per_year=12) == pytest.approx(1.01 ** 12 - 1, abs=1e-12)
    assert finance.payback_years([-100.0, 30, 30, 30, 30], periods_per_year=12) == pytest.approx(
        (3 + 10 / 30) / 12, rel=1e-14)
    assert finance.levelized_cost(0.08, [50.0] * 6, [10.0] * 6, periods_per_year=12) == pytest.approx(5.0)
    with pytest.raises(InputError, match="periods_per_year"):
        finance.npv(0.08, flows, periods_per_year=0)


def test_metrics_refuse_annual_lines():
    # calendar-year sums discounted at year end are the convention that jumped: refused
    inp = TcoInputs(n_accelerators=8, it_capacity_kw=100.0, it_energy_kwh=1e5)
    with pytest.raises(InputError, match="monthly lines"):
        tco.metrics(tco.evaluate(inp, 1e5, period_months=12), 0.08)
    # the default lines are monthly, and equal run_tco's figures
    m = tco.metrics(tco.evaluate(inp, 1e5), 0.08)
    assert m["npv_usd"][0] == pytest.approx(run_tco(inp, 1e5).summary["npv_usd"], rel=1e-12)
    # a dict copy loses the period: annual columns would be read as months (a wrong NPV,
    # silently): refused unless the period is stated
    with pytest.raises(InputError, match="unknown period"):
        tco.metrics(dict(tco.evaluate(inp, 1e5, period_months=12)), 0.08)
    assert tco.metrics(dict(tco.evaluate(inp, 1e5)), 0.08, period_months=1)["npv_usd"][0] == m["npv_usd"][0]


@pytest.fixture(scope="module")
def phoenix():
    """The bundled phoenix-az site as the tco notebook builds it (base scenario)."""
    from dcplan import power
    from dcplan.pipeline import run_site_year
    from dcplan.site import load_portfolio
    spec = load_portfolio("default")["phoenix-az"]
    y = run_site_year(spec)
    it = float(power.energy_from_power(y.it_kw).sum())
    inputs = tco.inputs_from_site(spec, n_accelerators=y.n_accelerators, it_capacity_kw=y.design_it_kw,
                                  it_energy_kwh=it, delay_months=0.0, phases=tco.fleet_phases(spec.fleet),
                                  wue_l_per_kwh=float(y.plant["water_l"].sum()) / it)
    return inputs, tco.electricity_monthly_usd(y.bill)


def test_longer_build_or_delay_always_lowers_npv_phoenix(phoenix):
    # each extra month of build or grid delay moves all revenue a month later: NPV must fall
    # at every step. Before the fix: build 11 -> 49.9 M, 12 -> 59.2 M USD (a longer build
    # looked better because the IT purchase crossed into year 2)
    inputs, bill = phoenix
    npv_b = [run_tco(inputs.with_costs(build_months=float(b)), bill).summary["npv_usd"] for b in range(9, 15)]
    assert all(np.diff(npv_b) < 0), np.round(np.array(npv_b) / 1e6, 3)
    npv_d = [run_tco(inputs.with_costs(delay_months=float(d)), bill).summary["npv_usd"] for d in range(0, 7)]
    assert all(np.diff(npv_d) < 0), np.round(np.array(npv_d) / 1e6, 3)


def test_tornado_build_months_shorter_is_better_phoenix(phoenix):
    # the Sensitivity sheet showed both a shorter (9) and a longer (26) build lowering NPV
    from dcplan.tco_uncertainty import tornado
    inputs, bill = phoenix
    row = tornado(inputs, bill, ranges={"build_months": (9.0, 26.0)}).iloc[0]
    assert row["metric_at_low"] > row["base_metric"] > row["metric_at_high"]
    # and the batch path (tornado, Monte Carlo) equals single runs of the same case: a 9-month build from the
    # base case's project start, the fleet 3 months earlier (dcplan.tco_revalue.overrun_inputs); the same sums
    # in another order: rel 1e-9
    from dcplan.tco_revalue import overrun_inputs
    one = run_tco(overrun_inputs(inputs, 9.0), bill).summary["npv_usd"]
    assert inputs.params()["build_months"] == 12.0
    assert row["metric_at_low"] == pytest.approx(one, rel=1e-9)
