"""The Monte Carlo's horizon holding when even the shortest draws start operations after the horizon.

A black-box tester gave a site ``equipment_ordered`` 2070 (filed 2025), or ``time_to_power`` 200 / 200
/ 200 months: the tco notebook failed with "distributions.build_months: ('fixed', -413) is -413,
reaching outside what build_months allows", naming neither the grid delay nor the horizon.
``hold_distributions`` held build_months at ``last_build_month`` given the shortest delay drawn, a
negative month when that delay alone is past the horizon. Now it refuses the run, naming the delay,
the month operations would start and ``finance.horizon_years``.

Hand values use test_tco_grid_slack's bare case (build 12 months, no grid phases: the fleet's first GPUs
are bought in month build + delay).
"""
from __future__ import annotations

import datetime as dt

import pytest

from dcplan.errors import InputError
from dcplan.tco_horizon import hold_distributions
from dcplan.tco_uncertainty import sample

from test_tco_grid_slack import ON, bare


def test_a_delay_past_the_horizon_is_refused_naming_it_and_the_horizon():
    """Horizon 2 years (24 months), build triangular 6-26, delay 30-40: the shortest pair, 6 + 30 = 36,
    is past month 23; a 4-year horizon (48 months) would reach it (3 years, 36, would not: 36 is not < 36)."""
    inp = bare(horizon=2, **ON)
    dists = {"build_months": ("triangular", 6.0, 12.0, 26.0), "delay_months": ("quantiles", (0.0, 1.0), (30.0, 40.0))}
    with pytest.raises(InputError) as ei:
        hold_distributions(inp, dists)
    assert ei.value.field == "delay_months"
    assert str(ei.value) == (
        "delay_months: the shortest grid delay drawn, 30 months (the months energization slips past the plan: at a "
        "site, its time to power from filing, dcplan.grid), with the shortest build drawn, 6 months, would start "
        "operations in month 36 (the fleet's first GPUs bought), after the 2-year horizon (finance.horizon_years: 2, "
        "24 months): no draw of the Monte Carlo has a case to model; lengthen finance.horizon_years to at least 4 to "
        "see a case, or check the site's time to power (interconnection.time_to_power or region; equipment_ordered: "
        "a mistyped year?)")
    # at 4 years (48 months) the shortest pair is in; longer draws are held so that every pair starts by month 47
    held_d, held = hold_distributions(bare(horizon=4, **ON), dists)
    x = sample(held_d, 2_000, seed=0)
    assert (x["build_months"] >= 0).all() and x["build_months"].min() >= 6.0
    assert (x["build_months"] + x["delay_months"]).max() <= 47.0


def test_the_case_build_and_a_delay_beyond_twenty_years_say_no_horizon_reaches_it():
    """No build drawn: the case's 12 months. Delay 300 months: operations in month 312; a horizon of
    27 years (324 months) would be needed, above the 20 allowed."""
    inp = bare(horizon=10, **ON)
    with pytest.raises(InputError) as ei:
        hold_distributions(inp, {"delay_months": ("fixed", 300.0)})
    msg = str(ei.value)
    assert "the shortest grid delay drawn, 300 months" in msg and "with the case's build, 12 months" in msg
    assert ("would start operations in month 312 (the fleet's first GPUs bought), after the 10-year horizon "
            "(finance.horizon_years: 10, 120 months)") in msg
    assert msg.endswith("no horizon allowed reaches it (finance.horizon_years is at most 20; it would need 27): "
                        "check the site's time to power (interconnection.time_to_power or region; "
                        "equipment_ordered: a mistyped year?)")


def test_a_delay_just_within_the_horizon_still_holds_at_a_cap_of_zero_or_more():
    """Horizon 2, delay 17-40, build 6-26: the shortest pair 6 + 17 = 23 is the last month in; build is
    held at 23 - 17 = 6 (every draw), then the delay at 23 - 6 = 17 (every draw)."""
    inp = bare(horizon=2, **ON)
    dists = {"build_months": ("triangular", 6.0, 12.0, 26.0), "delay_months": ("quantiles", (0.0, 1.0), (17.0, 40.0))}
    _, held = hold_distributions(inp, dists)
    assert held == {"build_months": {"share_frac": 1.0, "months": 6.0},
                    "delay_months": {"share_frac": 1.0, "months": 17.0}}


@pytest.fixture(scope="module")
def nc():
    from dcplan.site import load_portfolio
    return load_portfolio()["research-triangle-nc"]


@pytest.mark.parametrize("update", [
    dict(equipment_ordered=dt.date(2070, 3, 1)),
    dict(region=None, time_to_power=dict(p10_months=200, median_months=200, p90_months=200, source="tester")),
])
def test_the_testers_sites_get_the_message_not_a_negative_build(nc, update):
    """The tester's two cases on Research Triangle (filed 2025-03-01, fleet from 2026-01-01, 10-year
    horizon): the site's delay distribution (dcplan.tco_uncertainty.site_delay_distribution) starts
    years past the horizon."""
    from dcplan import power, tco
    from dcplan.specs.interconnection import InterconnectionSpec
    from dcplan.tco_uncertainty import default_distributions, site_delay_distribution
    ic = InterconnectionSpec(**{**nc.interconnection.model_dump(exclude_unset=True), **update})
    site = nc.model_copy(update={"interconnection": ic})
    n = int(power.fleet_table(site)["accelerators"].sum())
    inputs = tco.inputs_from_site(site, n_accelerators=n, it_capacity_kw=10_000.0, it_energy_kwh=5e7,
                                  phases=tco.fleet_phases(site.fleet))
    dists = default_distributions(inputs, exclude=["discount_rate_frac"])
    dists["delay_months"] = site_delay_distribution(ic)
    with pytest.raises(InputError, match=r"^delay_months: the shortest grid delay drawn, \d+ months .* after the "
                                         r"10-year horizon \(finance.horizon_years: 10, 120 months\)"):
        hold_distributions(inputs, dists)
