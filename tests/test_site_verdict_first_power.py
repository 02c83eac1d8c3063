"""The verdict's "when power arrives" clause for capacity already in service, and its warning for
a phase planned after the finance horizon.

Findings of a black-box grid-planner test: a site whose phase 1 is in service since 2023-01-01
(filed 2025-01-15) read "first power (median) on 2023-01-01 ... 38 months from its filing on
2025-01-15", a queue date before the filing; a site whose phase 2 is planned for 2045 (a 10-year
horizon from 2025-10) was "a strong candidate" with no word on it.
"""
from __future__ import annotations

import pandas as pd
import pytest

from dcplan import grid, pipeline
from dcplan.site import load_portfolio
from dcplan.site_verdict import after_horizon_text, first_power_text, horizon_last_month, site_verdict
from dcplan.specs.interconnection import InterconnectionSpec

# a wait known to the month: 60 months. Time to power is the later of it and the equipment (transformer
# p90 208 weeks = 47.8 months): the equipment's CDF at 60 months is above 0.5 (60 > its p90), so the
# median lies inside the grid's step: T50 = 60 exactly (tests/test_grid_phase_dates.py, step inversion)
OWN_60 = {"p10_months": 60, "median_months": 60, "p90_months": 60, "source": "test: a utility letter"}


def _in_service(**kw) -> InterconnectionSpec:
    base = dict(time_to_power=OWN_60, requested_mw=10, filed="2025-01-15",
                phases=[{"energized": "2023-01-01", "mw": 4, "in_service": True},
                        {"energized": "2026-09-01", "mw": 6}])
    base.update(kw)
    return InterconnectionSpec(**base)


def test_first_power_tells_capacity_in_service_from_the_pending_phase():
    fp = grid.first_power(grid.energization_dates(_in_service()))
    # in service: its own date; pending: planned 19 + 17/31 months after filing, so delayed to
    # filed + 60 months = 2030-01-15
    assert fp["date"] == fp["in_service_since"] == pd.Timestamp("2023-01-01")
    assert fp["in_service_mw"] == 4.0
    assert (fp["pending"], fp["pending_label"], fp["pending_mw"]) == (pd.Timestamp("2030-01-15"), "phase 2", 6.0)
    # what sites are ranked on: the new capacity the planned halls wait for, the pending phase, not 2023
    assert fp["new_power"] == pd.Timestamp("2030-01-15")
    # every phase in service: the capacity is there, from its date; nothing in service: the first phase
    done = _in_service(phases=[{"energized": "2023-01-01", "mw": 4, "in_service": True}])
    assert grid.first_power(grid.energization_dates(done))["new_power"] == pd.Timestamp("2023-01-01")
    plain = _in_service(phases=[{"energized": "2026-09-01", "mw": 10}])
    fp0 = grid.first_power(grid.energization_dates(plain))
    assert fp0["new_power"] == fp0["date"] == pd.Timestamp("2030-01-15") and fp0["in_service_since"] is None


def test_verdict_says_power_is_already_in_service_and_gives_the_pending_date():
    text = first_power_text(_in_service(), 60.0, "1 of 2")
    # ranked on the new capacity's date (tests/test_portfolio_compare_brownfield.py), the in-service date apart
    assert text == ("new capacity first energized (median) on 2030-01-15, its first pending phase (phase 2, 6 MW; "
                    "rank 1 of 2 on this date, earliest first; time to power 60.0 months from its filing on "
                    "2025-01-15); power already in service since 2023-01-01 (4 MW, powering the halls running on "
                    "it: not ranked)")
    assert "first power (median) on 2023-01-01" not in text
    # every phase in service: nothing pending
    done = _in_service(phases=[{"energized": "2023-01-01", "mw": 4, "in_service": True}])
    assert first_power_text(done, 60.0, "1 of 2") == ("power already in service since 2023-01-01 (4 MW; rank 1 of 2, "
                                                      "earliest first); no phase pending")
    # nothing in service: the clause as before (tests/test_portfolio_first_power.py pins it for the bundled sites)
    plain = _in_service(phases=[{"energized": "2026-09-01", "mw": 10}])
    assert first_power_text(plain, 60.0, "2 of 4") == ("first power (median) on 2030-01-15 (rank 2 of 4, earliest "
                                                       "first; 60.0 months from its filing on 2025-01-15)")
    # one decimal, as the comparison table and the index show time_to_power_median_months (37.5, not "38")
    assert "(rank 2 of 4, earliest first; 37.5 months from its filing on 2025-01-15)" in first_power_text(
        plain, 37.5, "2 of 4")


def test_a_phase_planned_after_the_horizon_is_named():
    ic = _in_service(phases=[{"energized": "2026-09-01", "mw": 4}, {"energized": "2045-01-01", "mw": 6}])
    # 2045-01-01 counts from January 2045, after 2035-09; 2035-09-02 would count from 2035-10, after it too;
    # 2035-09-01 counts in September 2035, within it
    assert grid.phases_after(ic, "2035-09") == [("phase 2", 6.0, pd.Timestamp("2045-01-01"))]
    edge = _in_service(phases=[{"energized": "2026-09-01", "mw": 4}, {"energized": "2035-09-01", "mw": 6}])
    assert grid.phases_after(edge, "2035-09") == []
    late = _in_service(phases=[{"energized": "2026-09-01", "mw": 4}, {"energized": "2035-09-02", "mw": 6}])
    assert [p[0] for p in grid.phases_after(late, "2035-09")] == ["phase 2"]
    # a 0 MW or in-service phase adds no pending capacity: never named
    zero = _in_service(phases=[{"energized": "2026-09-01", "mw": 10}, {"energized": "2045-01-01", "mw": 0}])
    assert grid.phases_after(zero, "2035-09") == [] and after_horizon_text(zero, pd.Period("2035-09")) is None
    assert after_horizon_text(ic, pd.Period("2035-09")).startswith(
        "phase 2 (6 MW, planned 2045-01-01) is planned after the finance horizon, which ends 2035-09")


def test_verdict_of_a_site_with_a_phase_after_its_horizon_says_so():
    """Phoenix with phase 2 (6 MW) moved to 2045-01-01. Horizon: fleet start 2026-10 less the 12-month
    build (data/costs.csv build_months) = 2025-10, 10 years (finance.horizon_years): last month 2035-09."""
    pf = load_portfolio()
    base = pf["phoenix-az"]
    ic = base.interconnection.model_copy(update={"phases": (
        base.interconnection.phases[0].model_copy(update={"mw": 4.0}),
        base.interconnection.phases[0].model_copy(update={"mw": 6.0, "energized": pd.Timestamp("2045-01-01").date()}))})
    spec = base.model_copy(update={"interconnection": ic})
    y = pipeline.run_site_year(spec)
    assert horizon_last_month(spec, y) == pd.Period("2035-09", freq="M")
    v = site_verdict(spec, y, pf)
    assert v.text.endswith("But phase 2 (6 MW, planned 2045-01-01) is planned after the finance horizon, which ends "
                           "2035-09: GPUs that need that capacity, bought on plan, sit idle for the whole horizon (in "
                           "the TCO and in the cost of waiting).")
    # the bundled Phoenix (one phase, 2026-09-01): no such sentence
    y0 = pipeline.run_site_year(base)
    assert "finance horizon" not in site_verdict(base, y0, pf).text


