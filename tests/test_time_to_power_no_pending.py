"""No time to power from filing for a site with every phase in service (pipeline, sweeps, portfolio comparison).

A reviewer's Phoenix variant with its 10 MW in service since 2024-06-01, before it filed (2025-01-15): the
interconnection and site_analysis notebooks publish a note instead of a time to power (grid.no_pending_note),
but the site chain still gave 30.7 / 37.5 / 54.4 months, which the portfolio comparison showed as its "time to
power from filing" and the portfolio sweep's critical-path table explained as set by the transformer. The wait
from filing dates capacity not yet energized; this site has none, so there is no number, and the comparison
says why in place of one. Its first power (the in-service date) is what it is ranked on, as before.
"""
from __future__ import annotations

import math

import pandas as pd
import pytest

from conftest import bundled_site_copy

from dcplan import pipeline
from dcplan.portfolio_compare import compare, comparison_table, lacks
from dcplan.portfolio_report import key_figures_table
from dcplan.site import load_portfolio, load_site
from dcplan.sweep_first_power import CRITICAL_PATH_COLUMNS

TTP = ("time_to_power_p10_months", "time_to_power_median_months", "time_to_power_p90_months")
#: /tmp/s61/a4/repo/data/sites/phx-all.yaml: the bundled Phoenix with its one 10 MW phase in service
ALL_LIVE = {"name": "Phoenix all live", "interconnection": {"phases": [
    {"energized": "2024-06-01", "mw": 10, "in_service": True}]}}


@pytest.fixture(scope="module")
def all_live(tmp_path_factory):
    return load_site(bundled_site_copy(tmp_path_factory.mktemp("phx-all"), "phoenix-az", "phx-all", **ALL_LIVE))


def test_a_site_with_every_phase_in_service_has_no_time_to_power_in_its_row(all_live):
    row = pipeline.case_figures(all_live)  # a sweep's row: pipeline.figures with the critical-path columns
    # the keys are kept (a sweep's columns), empty: the old row had 30.70 / 37.51 / 54.38 months
    assert all(k in row and math.isnan(row[k]) for k in TTP), {k: row.get(k) for k in TTP}
    # nothing is waited for, so neither the grid nor the equipment sets first power: the in-service date does
    assert math.isnan(row["grid_median_months"]) and math.isnan(row["equipment_median_months"])
    assert row["critical_path"] == "in service"
    keys = list(row)
    assert tuple(keys[keys.index("time_to_power_p90_months") + 1:][:3]) == CRITICAL_PATH_COLUMNS
    # first power is the in-service date, as the site file gives it
    assert row["first_energized_median"] == row["in_service_since"] == "2024-06-01"


def test_a_bundled_sites_figures_are_unchanged():
    """Phoenix as bundled (one 10 MW phase planned 2026-09-01, nothing in service) keeps its time to power:
    median 37.5 months (dcplan.sweep_first_power's docstring; test_sweep_first_power derives it by hand from
    the APS row 18 / 24 / 48 and the transformer's 150-week median), p10 below it and p90 above it."""
    from test_sweep_first_power import _hand
    row = pipeline.case_figures(load_portfolio()["phoenix-az"])
    _, _, median = _hand((24.0, 18.0, 48.0))
    # dcplan inverts the CDF on a 0.05-month grid
    assert row["time_to_power_median_months"] == pytest.approx(median, abs=0.05)
    assert row["time_to_power_median_months"] == pytest.approx(37.5, abs=0.05)
    assert row["time_to_power_p10_months"] < row["time_to_power_median_months"] < row["time_to_power_p90_months"]
    assert row["critical_path"] == "equipment" and row["first_energized_median"] == "2028-03-01"


def test_the_comparison_says_why_there_is_no_time_to_power_and_ranks_as_before(all_live):
    pf = load_portfolio()
    t = comparison_table([pf["phoenix-az"], all_live])
    assert t.loc["phx-all", list(TTP)].isna().all()
    assert t.at["phoenix-az", "time_to_power_median_months"] == pytest.approx(37.5, abs=0.05)
    why = "no pending capacity (all 10 MW in service)"
    assert lacks(t, "phx-all", "time_to_power_median_months") == why  # was "no interconnection request"
    assert pd.isna(t.at["phoenix-az", "time_to_power_reason"])
    # the published cell of the comparison's power table carries the reason, not a number
    rows = dict(key_figures_table(t, {"phoenix-az": "Phoenix, AZ", "phx-all": "Phoenix all live"}, "power_carbon",
                                  lacks).rows)
    assert rows["Phoenix all live"]["from filing, median"]["value"] == why
    assert rows["Phoenix, AZ"]["from filing, median"]["value"] == pytest.approx(37.5, abs=0.05)
    # ranked on first power, the in-service date: 2024-06-01 .. 2028-03-01 is 45 calendar months (3 years + 9
    # months), as the dates are built (1,369 days were 44.977 months of 30.4375 days)
    assert str(t.at["phx-all", "first_energized_p50"].date()) == "2024-06-01"
    assert t.at["phx-all", "first_power_months"] == 0.0
    assert t.at["phoenix-az", "first_power_months"] == pytest.approx(45.0, rel=1e-12)
    c = compare(t, {"first_power_months": 1.0}, "tokens")
    assert c.score.score.to_dict() == {"phx-all": 0.0, "phoenix-az": 1.0} and c.best == "phx-all"
    assert c.not_scored == {}
