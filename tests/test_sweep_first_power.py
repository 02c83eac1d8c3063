"""A sweep row's grid_median_months, equipment_median_months and critical_path (dcplan.sweep_first_power).

A site-selection lead read "first power depends on the filing date and the region only" and halved
Phoenix's grid median: time to power fell by 10.3 months (49.62 -> 39.34), not by 24, because the power
transformer (150 weeks, ~34.5 months) was already later than the grid. Each value below is derived by
hand from the data files' rows (two-piece lognormals, solved with scipy's brentq), not from dcplan.
"""
from __future__ import annotations

import csv
import math

import pytest
from scipy.optimize import brentq
from scipy.special import ndtr, ndtri

from conftest import DATA

from dcplan.site import load_portfolio
from dcplan.sweep_first_power import CRITICAL_PATH_COLUMNS, critical_path_figures, with_critical_path
from dcplan.sweep_overrides import apply_overrides

DAYS_PER_MONTH = 365.25 / 12  # a Julian year's month
Z90 = float(ndtri(0.9))


def _rows(name: str, key: str) -> dict:
    lines = [ln for ln in (DATA / name).read_text().splitlines() if not ln.startswith("#")]
    return {r[key]: r for r in csv.DictReader(lines)}


def _cdf(t: float, median: float, p10: float, p90: float) -> float:
    """Two-piece lognormal through (p10, median, p90): sigma below the median ln(median/p10)/z90, above
    ln(p90/median)/z90 (the form data/interconnection.md describes)."""
    if t <= 0:
        return 0.0
    sigma = math.log(median / p10 if t < median else p90 / median) / Z90
    return float(ndtr(math.log(t / median) / sigma)) if sigma > 0 else float(t >= median)


def _item_months(item: str) -> tuple[float, float, float]:
    r = _rows("equipment_lead_times.csv", "item")[item]
    w = 7.0 / DAYS_PER_MONTH  # weeks -> months
    return float(r["median_weeks"]) * w, float(r["low_weeks"]) * w, float(r["high_weeks"]) * w


def _hand(grid: tuple[float, float, float], items=("power_transformer", "switchgear"), order_delay=0.0):
    """(grid median, equipment median, time-to-power median) [months after filing] by root finding."""
    eq = [_item_months(i) for i in items]

    def f_eq(t):
        return math.prod(_cdf(t - order_delay, *m) for m in eq)
    e = brentq(lambda t: f_eq(t) - 0.5, 0.01, 400.0) if eq else 0.0
    ttp = brentq(lambda t: _cdf(t, *grid) * f_eq(t) - 0.5, 0.01, 400.0)
    return grid[0], e, ttp


@pytest.fixture(scope="module")
def pf():
    return load_portfolio()


def test_phoenix_first_power_is_set_by_the_transformer_not_the_grid(pf):
    aps = _rows("interconnection.csv", "region")["az-aps"]
    grid = (float(aps["median_months"]), float(aps["p10_months"]), float(aps["p90_months"]))
    assert grid == (24.0, 18.0, 48.0)  # the row the lead quoted
    g, e, _ = _hand(grid)
    # switchgear (46-48 weeks, ~11 months) has long arrived by the transformer's median: e ~ 150 weeks
    assert e == pytest.approx(150 * 7 / DAYS_PER_MONTH, abs=1e-3)  # 34.497 months
    f = critical_path_figures(pf["phoenix-az"].interconnection)
    # dcplan inverts the CDF on a 0.05-month grid: within 0.01 month of the root
    assert f["grid_median_months"] == pytest.approx(g, abs=1e-9)
    assert f["equipment_median_months"] == pytest.approx(e, abs=0.01)
    assert f["critical_path"] == "equipment"


def test_a_longer_grid_wait_is_the_critical_path(pf):
    dom = _rows("interconnection.csv", "region")["va-dominion"]
    assert float(dom["median_months"]) == 48.0 > 150 * 7 / DAYS_PER_MONTH
    f = critical_path_figures(pf["northern-virginia"].interconnection)
    assert (f["grid_median_months"], f["critical_path"]) == (48.0, "grid")


@pytest.mark.parametrize("median, path, lead_ttp", [(24.0, "equipment", 39.34), (48.0, "grid", 49.62)])
def test_halving_the_grid_median_gains_little_when_the_equipment_is_later(pf, median, path, lead_ttp):
    """The lead's spec: own figures p10 18, p90 72, median 24 or 48 months. Hand time-to-power medians
    agree with the lead's 39.34 and 49.62 (to their 0.01 rounding plus dcplan's 0.05-month grid)."""
    from dcplan.grid import time_to_power
    site = apply_overrides(pf["phoenix-az"], {
        "interconnection.region": None,
        "interconnection.time_to_power": {"p10_months": 18, "median_months": median, "p90_months": 72,
                                          "source": "planner estimate (test)"}})
    g, e, ttp = _hand((median, 18.0, 72.0))
    assert ttp == pytest.approx(lead_ttp, abs=0.01)
    f = critical_path_figures(site.interconnection)
    assert f["critical_path"] == path and f["grid_median_months"] == pytest.approx(g)
    assert f["equipment_median_months"] == pytest.approx(e, abs=0.01)
    assert float(time_to_power(site.interconnection).loc[0.5, "time_to_power_months"]) == pytest.approx(ttp, abs=0.05)


def test_ordering_the_equipment_earlier_is_the_lever(pf):
    """equipment_ordered 12 months before filing: the transformer's median moves to 34.5 - 12 = 22.5 months
    after filing, before the grid's 24: the grid becomes the critical path."""
    import pandas as pd
    filed = pd.Timestamp(pf["phoenix-az"].interconnection.filed)  # 2025-01-15: ordered 2024-01-15
    ordered = str((filed - pd.DateOffset(months=12)).date())
    early = apply_overrides(pf["phoenix-az"], {"interconnection.equipment_ordered": ordered})
    f = critical_path_figures(early.interconnection)
    _, e, _ = _hand((24.0, 18.0, 48.0), order_delay=-12.0)
    assert e == pytest.approx(150 * 7 / DAYS_PER_MONTH - 12, abs=1e-3)
    assert f["equipment_median_months"] == pytest.approx(e, abs=0.01)
    assert f["critical_path"] == "grid"


def test_no_long_lead_equipment_leaves_the_grid_alone(pf):
    site = apply_overrides(pf["phoenix-az"], {"interconnection.equipment": "none"})
    f = critical_path_figures(site.interconnection)
    assert f == {"grid_median_months": 24.0, "equipment_median_months": 0.0, "critical_path": "grid"}


def test_columns_follow_the_time_to_power_and_need_an_interconnection():
    from types import SimpleNamespace
    assert with_critical_path({"a": 1.0}, SimpleNamespace(interconnection=None)) == {"a": 1.0}
    assert critical_path_figures(None) == {}


def test_case_figures_rows_carry_the_columns_after_the_time_to_power(pf):
    from dcplan.pipeline import case_figures
    row = case_figures(pf["phoenix-az"])
    keys = list(row)
    at = keys.index("time_to_power_p90_months")
    assert tuple(keys[at + 1:at + 4]) == CRITICAL_PATH_COLUMNS
    assert row["critical_path"] == "equipment"
    # the time to power is at or above both medians (the later of two dates drawn independently)
    assert row["time_to_power_median_months"] >= max(row["grid_median_months"], row["equipment_median_months"])


@pytest.mark.parametrize("filed, waited", [
    ("2021-11-01", 40.0),  # 2021-11-01 -> 2025-03-01: 40 whole calendar months
    ("2021-10-15", 40.5),  # 40 whole months to 2025-02-15, then 14 of February 2025's 28 days
])
def test_the_row_says_the_months_waited_its_time_to_power_is_given(tmp_path, monkeypatch, filed, waited):
    """A bundled Phoenix copy filed ~40 months before its as_of (2025-03-01): the row's grid_waited_months, right
    after the critical-path columns, is the months from filing to as_of counted by hand (calendar months, the
    fraction of the next month's days); the grid median beside it is the one given that wait."""
    from types import SimpleNamespace

    from conftest import bundled_site_copy
    from dcplan.grid_given_wait import given_wait
    from dcplan.plan_dates import TODAY_ENV
    from dcplan.site import load_site
    from dcplan.sweep_first_power import WAITED_COLUMN
    monkeypatch.delenv(TODAY_ENV, raising=False)  # the site file's as_of is the plan's date
    site = load_site(bundled_site_copy(tmp_path, "phoenix-az", "phx-old", interconnection={"filed": filed}))
    assert str(site.as_of) == "2025-03-01"
    row = with_critical_path({"time_to_power_p90_months": 1.0, "after": 2.0}, site)
    assert list(row) == ["time_to_power_p90_months", *CRITICAL_PATH_COLUMNS, WAITED_COLUMN, "after"]
    assert WAITED_COLUMN == "grid_waited_months"
    assert row[WAITED_COLUMN] == pytest.approx(waited, abs=1e-12)
    # the medians are the ones given that wait, T > w (dcplan.grid_given_wait): 17 % of APS's grid waits are still
    # running at month 40, 28 % of the transformer's deliveries (p90 47.8 months), so given no power by then the
    # equipment is the likelier holdup: its median past the wait, the grid's below it (brentq on the conditional
    # CDFs, tests/test_grid_given_wait_parts.py's: 42.66 / 32.94 at 40 months, 43.01 / 33.51 at 40.5)
    given = critical_path_figures(given_wait(site.interconnection, waited))
    assert row["grid_median_months"] == given["grid_median_months"] < waited
    assert row["equipment_median_months"] == given["equipment_median_months"] > waited
    assert row["critical_path"] == given["critical_path"] == "equipment"
    hand = {40.0: (32.935, 42.663), 40.5: (33.514, 43.010)}[waited]
    assert (given["grid_median_months"], given["equipment_median_months"]) == pytest.approx(hand, abs=0.005)
    # filed on the plan's date: nothing waited, the whole wait's figures
    now = load_site(bundled_site_copy(tmp_path, "phoenix-az", "phx-new", interconnection={"filed": "2025-03-01"}))
    assert with_critical_path({"time_to_power_p90_months": 1.0}, now)[WAITED_COLUMN] == 0.0
    assert WAITED_COLUMN not in with_critical_path({"a": 1.0}, SimpleNamespace(interconnection=None))
