"""A request filed long ago whose first pending phase is still planned ahead is warned of: the grid figures count
the whole time to power from ``filed``, its short waits that have not happened too (dcplan.plan_dates.
long_wait_warnings). An interconnection planner's site: filed 2019-03-01, read as of 2025-03-01 (72 months
waited), 12 MW planned for 2026-06-01 (87 months): the figures said 98.6 % on time; their own Monte Carlo of the
nc-duke wait given no power by month 72, (F(87) - F(72)) / (1 - F(72)), gave 0.68."""
from __future__ import annotations

import datetime as dt
import re

import pytest

from dcplan import grid
from dcplan.plan_dates import LONG_WAIT_CDF_FRAC, long_wait_warnings, plan_date_warnings
from dcplan.site import load_portfolio, load_site

from conftest import bundled_site_copy

AS_OF = dt.date(2025, 3, 1)


def _old_filing(tmp_path, **ic):
    return load_site(bundled_site_copy(tmp_path, "research-triangle-nc", "old", interconnection={
        "filed": "2019-03-01", "requested_mw": 12, "phases": [{"energized": "2026-06-01", "mw": 12}], **ic}))


def test_an_old_filing_is_told_its_chance_given_the_months_waited(tmp_path):
    site = _old_filing(tmp_path)
    (text,) = long_wait_warnings(site, today=AS_OF)
    assert "interconnection.filed: 2019-03-01 is 72 months before" in text
    given, on_time = (float(x) / 100 for x in re.search(r"is ([\d.]+)% \(the interconnection notebook's "
                                                          r"p_on_time_frac.*?against ([\d.]+)% over the whole wait",
                                                          text).groups())
    assert on_time == pytest.approx(grid.on_time_frac(site.interconnection), abs=5e-4)   # the figures' own
    assert given == pytest.approx(0.68, abs=0.01)     # the planner's Monte Carlo
    # the interconnection notebook's p_on_time_frac is now that one (given the months waited, dcplan.grid_given_wait)
    from dcplan.plan_dates import with_wait
    assert given == pytest.approx(grid.on_time_frac(with_wait(site, today=AS_OF).interconnection), abs=5e-4)
    assert text in plan_date_warnings(site, today=AS_OF)


def test_a_recent_filing_a_past_planned_date_and_the_bundled_sites_are_not_told(tmp_path):
    # 2023-03 -> 24 months waited: below nc-duke's p10 (32.3 months), under LONG_WAIT_CDF_FRAC of the wait
    assert long_wait_warnings(_old_filing(tmp_path, filed="2023-03-01"), today=AS_OF) == []
    assert LONG_WAIT_CDF_FRAC == 0.10
    # a planned date already passed: grid_phase_warnings says it (not this one)
    late = _old_filing(tmp_path, phases=[{"energized": "2024-06-01", "mw": 12}])
    assert long_wait_warnings(late, today=AS_OF) == []
    for s in load_portfolio().sites:
        assert long_wait_warnings(s, today=AS_OF) == []
