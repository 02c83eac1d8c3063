"""A fleet starting long after its power is warned (dcplan.site_fleet_late).

Finding of an owner's project scheduler: a Phoenix copy with its fleet ``start: 2040-01-01`` against grid
capacity planned for 2026-09-01 was accepted silently.

Hand figures for the Phoenix copy (data/interconnection.csv row az-aps, default equipment): filed 2025-01-15,
median time to power 37.51 months (dcplan.grid.time_to_power: the later of the grid wait, median 24.0, and
the equipment, median 34.5; the model's figure, asserted below), so the capacity is first energized on
2025-01-15 + 37.51 months = 2028-03-01 (median); 2028-03-01 to 2040-01-01 is 11 years 10 months = 142 months.
"""
from __future__ import annotations

import pandas as pd

from conftest import bundled_site_copy

from dcplan import grid
from dcplan.site import load_portfolio, load_site
from dcplan.site_fleet_late import FLEET_LATE_MONTHS, fleet_late_warnings
from dcplan.site_plausibility import site_warnings


def _phoenix(tmp_path, start: str, **ic):
    fleet = {"phases": [{"hardware": "hgx-b200", "count": 384, "start": start, "label": "Hall 1"}]}
    return bundled_site_copy(tmp_path, "phoenix-az", "px", fleet=fleet, **({"interconnection": ic} if ic else {}))


def test_a_fleet_in_2040_on_power_of_2026_warns_naming_file_field_dates_and_gap(tmp_path):
    f = _phoenix(tmp_path, "2040-01-01")
    site = load_site(f)
    ttp = float(grid.time_to_power(site.interconnection).loc[0.5, "time_to_power_months"])
    assert round(ttp, 2) == 37.51  # the median the hand figures rest on
    assert grid.first_power(grid.energization_dates(site.interconnection))["new_power"] == pd.Timestamp("2028-03-01")
    got = fleet_late_warnings(site)
    assert got == [
        f"{f}: fleet.phases[0].start: 2040-01-01 (Hall 1), the fleet's first phase, is 142 months (11.8 years) after "
        "its grid capacity is first energized on 2028-03-01 (median; interconnection.phases[0].energized: 2026-09-01, "
        "planned, later by the median grid wait), more than 24 months: the contracted capacity stands energized with "
        "nothing on it for that long (billed, with a contract demand), and the interconnection notebook's deployment "
        "ramp ends 2031-07 (24 months after the last grid phase at the p90 wait), before the phase is installed, so "
        "it shows none of its GPUs. A mistyped year? allowed: a first start within 24 months of the energization, by "
        "2030-03-01; or keep it if the capacity truly waits that long (dcplan.site_fleet_late.FLEET_LATE_MONTHS)"]
    assert got[0] in site_warnings(site)  # dcplan validate's and render's list


def test_the_threshold_and_its_edges(tmp_path):
    assert FLEET_LATE_MONTHS == 24
    # 2028-03-01 + 24 months = 2030-03-01: not more than 24 months, no warning; a month later warns (25 months)
    assert fleet_late_warnings(load_site(_phoenix(tmp_path, "2030-03-01"))) == []
    got = fleet_late_warnings(load_site(_phoenix(tmp_path, "2030-04-01")))
    assert len(got) == 1 and " is 25 months (2.1 years) after " in got[0]
    # ... and a ramp that still shows the phase (it ends 2031-07)
    assert "deployment ramp shows the capacity idle until then" in got[0]


def test_a_request_without_phases_counts_from_filing_plus_the_median(tmp_path):
    f = _phoenix(tmp_path, "2040-01-01", phases=[])
    got = fleet_late_warnings(load_site(f))
    # filed 2025-01-15 + 37.51 months = 2028-03-01, as above
    assert len(got) == 1 and ("after its grid capacity is first energized on 2028-03-01 (median: interconnection.filed "
                              "2025-01-15 plus the median time to power)") in got[0]


def test_an_existing_campus_with_nothing_pending_is_not_checked(tmp_path):
    f = _phoenix(tmp_path, "2040-01-01", phases=[{"energized": "2020-01-01", "mw": 10, "in_service": True}])
    assert fleet_late_warnings(load_site(f)) == []


def test_the_bundled_sites_do_not_warn():
    for s in load_portfolio("default").sites:
        assert fleet_late_warnings(s) == [], s.id
