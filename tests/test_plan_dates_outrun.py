"""A wait longer than the site's own grid figures allow (dcplan.plan_dates.outrun_wait_warnings, with_wait).

A planner's site gives the utility's letter as its own figures, p10 = median = p90 = 12 months (a wait known to
the month, which the spec allows), filed 2023-01-01, read as of 2025-03-01 with its phase not in service: 26
calendar months waited (2023-01-01 to 2025-03-01, by hand). The figures give the grid wait given the months waited,
P(G <= t | G > 26), only if P(G > 26) > 0, and their point mass at 12 months gives 0: every report that reads the
time to power (grid.time_to_power's grid_months column) stopped mid-run with "interconnection.filed: the model gives
no chance ... give ... as the site's own interconnection.time_to_power", though the site gives its own, naming no
file, while ``dcplan validate`` said "ok". Now validate warns, and with_wait refuses it naming the file, the field
and what is allowed (p90_months above the months waited).
"""
from __future__ import annotations

import datetime as dt

import numpy as np
import pytest
from scipy import stats

from dcplan import grid
from dcplan.errors import InputError
from dcplan.plan_dates import months_waited, plan_date_warnings, with_wait
from dcplan.site import load_portfolio, load_site

from conftest import bundled_site_copy

AS_OF = dt.date(2025, 3, 1)   # the bundled sites' as_of (the tests' DCPLAN_TODAY, 2000-01-01, wins over it)


def _site(tmp_path, p10, median, p90):
    path = bundled_site_copy(tmp_path, "chicago-il", "letter", interconnection={
        "region": None, "filed": "2023-01-01",
        "time_to_power": {"p10_months": p10, "median_months": median, "p90_months": p90,
                          "source": "utility letter (test)"}})
    return path, load_site(path)


def test_a_wait_past_the_sites_own_figures_is_warned_and_refused_naming_file_and_field(tmp_path):
    path, site = _site(tmp_path, 12, 12, 12)
    assert months_waited(site, AS_OF) == (26.0, AS_OF)   # 2023-01-01 to 2025-03-01: 26 calendar months
    texts = [t for t in plan_date_warnings(site, today=AS_OF) if "gives no chance of a wait" in t]
    assert len(texts) == 1
    assert texts[0].startswith(f"{path}: interconnection.time_to_power: ")
    assert "p10 12 / median 12 / p90 12 months" in texts[0] and "the 26.0 months" in texts[0]
    assert "p90_months above the 26.0 months waited" in texts[0]
    with pytest.raises(InputError) as e:
        with_wait(site, today=AS_OF)
    assert e.value.file == str(path) and e.value.field == "interconnection.time_to_power"
    assert e.value.detail == texts[0].split("interconnection.time_to_power: ", 1)[1]   # the same text as validate's

    # figures the wait has not outrun, p90 30 > 26 months waited: P(G > 26) > 0, so no warning, and the grid wait
    # alone's median given the wait is the two-piece lognormal's upper piece (sigma+ = ln(30 / 20) / z_0.9) at
    # F(26) + 0.5 (1 - F(26)), by scipy
    (tmp_path / "inside").mkdir()
    _path, site = _site(tmp_path / "inside", 12, 20, 30)
    assert not [t for t in plan_date_warnings(site, today=AS_OF) if "gives no chance of a wait" in t]
    s_hi = np.log(30 / 20) / stats.norm.ppf(0.9)
    upper = stats.lognorm(s=s_hi, scale=20.0)
    f_w = upper.cdf(26.0)
    median_given = upper.ppf(f_w + 0.5 * (1.0 - f_w))
    alone = grid.time_to_power(with_wait(site, today=AS_OF).interconnection, equipment=())   # the grid wait alone
    assert float(alone.loc[0.5, "grid_months"]) == pytest.approx(median_given, abs=1e-9)
    for s in load_portfolio().sites:   # the bundled sites waited 0-9 months: far inside their rows' waits
        assert not [t for t in plan_date_warnings(s, today=AS_OF) if "gives no chance of a wait" in t]
    # a request not yet filed (no queue position: interconnection.filed the date it will be, after the plan's date):
    # no months waited, the whole wait from that date, even with figures a long wait would have outrun
    (tmp_path / "later").mkdir()
    _path, later = _site(tmp_path / "later", 12, 12, 12)
    later = later.model_copy(update={"interconnection": later.interconnection.model_copy(
        update={"filed": dt.date(2025, 6, 1), "phases": ()})})
    assert months_waited(later, AS_OF) == (0.0, AS_OF)
    assert with_wait(later, today=AS_OF) is later
    assert not [t for t in plan_date_warnings(later, today=AS_OF) if "gives no chance of a wait" in t]
