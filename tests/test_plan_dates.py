"""A plan whose dates are already past is warned (dcplan.plan_dates).

Finding: read on 2026-12-05, the bundled phoenix-az.yaml's fleet starts 2026-10-01 and its grid phase is energized
2026-09-01 (filed 2025-01-15), and dcplan rendered them as a plan without a word. Every test here sets its own
today (the ``today=`` argument or ``DCPLAN_TODAY``); the suite's is 2000-01-01 (tests/conftest.py), so these
tests pass on any date.

Hand figures for Phoenix (data/interconnection.csv row az-aps, default equipment ordered at filing): the time to
power from filing is 30.70 / 37.51 / 54.38 months at p10 / median / p90 (dcplan.grid.time_to_power, the model's
figures the dates below rest on, asserted). dcplan.grid adds months as whole calendar months and then the
fraction of the next month's days, rounded to the day:

* p10: 2025-01-15 + 30 months = 2027-07-15; 0.698 x 31 days (to 2027-08-15) = 21.6 -> 22: 2027-08-06
* median: + 37 months = 2028-02-15; 0.508 x 29 days (to 2028-03-15, a leap February) = 14.7 -> 15: 2028-03-01
* p90: + 54 months = 2029-07-15; 0.380 x 31 days = 11.8 -> 12: 2029-07-27

The planned date, 2026-09-01, is 19.5 months after filing, less than every one of them, so each quantile's date is
filed + its time to power (the phase is delayed at every quantile). The TCO's project start is the fleet's first
month less build_months (data/costs.csv default 12): 2026-10 - 12 months = 2025-10.
"""
from __future__ import annotations

import datetime as dt
import re
import warnings

import pandas as pd
import pytest

from conftest import DATA, bundled_site_copy

from dcplan import grid, plan_dates
from dcplan.errors import DcplanWarning, InputError
from dcplan.plan_dates import (TODAY_ENV, fingerprint_texts, grid_phase_warnings, plan_date_warnings,
                               project_start_warnings, request_forecast_warnings)
from dcplan.site import load_site
from dcplan.site_plausibility import site_warnings

SITES = ("phoenix-az", "chicago-il", "northern-virginia", "research-triangle-nc")


def _fields(texts):
    return [t.split(": ")[1] for t in texts]


def _bundled(name):
    return load_site(DATA / "sites" / f"{name}.yaml")


def test_phoenix_read_on_2026_12_05_warns_its_fleet_start_and_its_grid_phase():
    site = _bundled("phoenix-az")
    ttp = grid.time_to_power(site.interconnection)["time_to_power_months"]
    assert [round(float(ttp.loc[q]), 2) for q in (0.1, 0.5, 0.9)] == [30.70, 37.51, 54.38]  # the model's waits
    fleet, ic = plan_date_warnings(site, dt.date(2026, 12, 5))
    f = site.source_file
    assert fleet.startswith(f"{f}: fleet.phases[0].start: 2026-10-01 (Hall 1) is before today (2026-12-05): ")
    # the TCO counts the GPUs from the first month on or after 2026-10-01, October; its project start 2025-10
    assert "the TCO buys its IT and counts its GPUs from 2026-10" in fleet
    assert ("The TCO's project start, where it starts construction spending and values its NPV, is 2025-10 (the "
            "fleet's first month, 2026-10, less build_months 12, data/costs.csv default), also before today: the NPV "
            "is a value at that month, not at today") in fleet
    assert fleet.endswith("if it is still a plan, it is late: give its new start date (allowed: a date on or after "
                          "today)")
    assert ic.startswith(f"{f}: interconnection.phases[0].energized: 2026-09-01 is before today (2026-12-05), and the "
                         "phase is not in_service: the TCO's base scenario (the plan, grid delay 0) takes it as "
                         "energized on that date whether or not it was")
    # the queue-wait dates, as derived by hand in the module docstring; all after today: no forecast date is past
    assert ("move it by the queue wait given the months waited, to no date before today; over the whole wait it "
            "would be 2027-08-06 (p10), 2028-03-01 (median), 2029-07-27 (p90); ") in ic
    assert "counted from interconnection.filed (2025-01-15): it does not use that the capacity has not come" in ic
    assert "forecast date" not in ic
    assert "mark the phase in_service: true" in ic and "give its new planned date" in ic
    # they are dcplan validate's and render's list (dcplan.site_plausibility.site_warnings), at DCPLAN_TODAY
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv(TODAY_ENV, "2026-12-05")
        got = [t for t in site_warnings(site) if "before today" in t]
    assert got == [t.replace("today (2026-12-05)", f"today (2026-12-05, {TODAY_ENV})") for t in (fleet, ic)]


@pytest.mark.parametrize("name, fields, project", [
    # fleet starts 2026-10-01 / 2026-04-01 / 2027-01-01 / 2026-07-01; pending grid phases planned 2026-09-01 /
    # 2026-03-01 / 2027-01-01 / 2026-06-01 (the site files); project starts 12 months before the first fleet month
    ("phoenix-az", ["fleet.phases[0].start", "interconnection.phases[0].energized"], "2025-10"),
    ("chicago-il", ["fleet.phases[0].start", "interconnection.phases[0].energized"], "2025-04"),
    ("northern-virginia", ["fleet.phases[0].start"], "2026-01"),   # only the project start is past
    ("research-triangle-nc", ["fleet.phases[0].start", "interconnection.phases[0].energized"], "2025-07"),
])
def test_each_bundled_site_on_2026_12_05_and_before_its_dates(name, fields, project):
    site = _bundled(name)
    got = plan_date_warnings(site, "2026-12-05")
    assert _fields(got) == fields
    assert f" {project} " in got[0] or f" {project}," in got[0]
    if name == "northern-virginia":  # its phases (2027-01-01, 2028-01-01) and grid phases are ahead
        assert got == project_start_warnings(site, "2026-12-05")
        assert "puts the TCO's project start at 2026-01, before today (2026-12-05)" in got[0]
        assert "a 12-month build cannot end by the fleet's start (2027-01)" in got[0]
    # 2025-01-01 is before every planned date and every project start (the earliest, Chicago's, is 2025-04)
    assert plan_date_warnings(site, "2025-01-01") == []


def test_a_date_equal_to_today_is_not_before_it_and_the_project_start_counts_by_month():
    px, nv = _bundled("phoenix-az"), _bundled("northern-virginia")
    # the grid phase's own day: not yet late; the next day it is
    assert not [t for t in plan_date_warnings(px, "2026-09-01") if "interconnection.phases" in t]
    assert _fields(grid_phase_warnings(px, "2026-09-02")) == ["interconnection.phases[0].energized"]
    # on 2026-09-01 the fleet (2026-10-01) is ahead, the project start (2025-10) is not: said on its own
    assert _fields(plan_date_warnings(px, "2026-09-01")) == ["fleet.phases[0].start"]
    assert "project start at 2025-10" in plan_date_warnings(px, "2026-09-01")[0]
    # Northern Virginia's project start, 2026-01: in its own month it is not past (the TCO's months are whole)
    assert project_start_warnings(nv, "2026-01-31") == []
    assert len(project_start_warnings(nv, "2026-02-01")) == 1


def test_a_phase_in_service_is_a_fact_whatever_its_date(tmp_path):
    ic = {"phases": [{"energized": "2026-09-01", "mw": 10, "in_service": True}]}
    site = load_site(bundled_site_copy(tmp_path, "phoenix-az", "live", interconnection=ic))
    assert grid_phase_warnings(site, "2026-12-05") == []


def test_a_planned_date_the_wait_does_not_move_gives_forecast_dates_before_today(tmp_path):
    # filed 2020-01-15: 2026-09-01 is 79.5 months later, beyond the p90 wait (54.38 months), so the delay is 0 at
    # every quantile and every forecast date is the planned date itself, 2026-09-01, before 2026-12-05
    site = load_site(bundled_site_copy(tmp_path, "phoenix-az", "old", interconnection={"filed": "2020-01-15"}))
    (text,) = grid_phase_warnings(site, "2026-12-05")
    assert "over the whole wait it would be 2026-09-01 (p10), 2026-09-01 (median), 2026-09-01 (p90); " in text
    assert ("so its forecast dates p10 2026-09-01, median 2026-09-01, p90 2026-09-01 are before today too: a date "
            "already passed, which would overstate how soon power comes if it has not") in text
    # the figures' own dates are given the 82.7 months waited (2020-01-15 to 2026-12-05): none before that day, as
    # the warning says (dcplan.plan_dates.with_wait)
    dates = grid.energization_dates(plan_dates.with_wait(site, "2026-12-05").interconnection)
    assert all(dates[c].iloc[0] >= pd.Timestamp("2026-12-05") for c in ("energized_p10", "energized_p50",
                                                                         "energized_p90"))


def test_a_request_without_phases_warns_only_forecast_dates_before_today(tmp_path):
    # filed 2022-01-15, no phases: planned at filing, so the dates are filed + the waits above:
    # p10 2022-01-15 + 30 = 2024-07-15, + round(0.698 x 31) = 22 days: 2024-08-06;
    # median + 37 = 2025-02-15, + round(0.508 x 28) = 14 days: 2025-03-01; p90 + 54 = 2026-07-15 + 12 days: 2026-07-27
    site = load_site(bundled_site_copy(tmp_path, "phoenix-az", "asap",
                                       interconnection={"filed": "2022-01-15", "phases": []}))
    (text,) = request_forecast_warnings(site, "2026-12-05")
    assert text.startswith(f"{site.source_file}: interconnection.filed: 2022-01-15, with no phases, puts the "
                           "capacity's energization on 2024-08-06 (p10), 2025-03-01 (median), 2026-07-27 (p90) ")
    assert "; p10 2024-08-06, median 2025-03-01, p90 2026-07-27 are before today (2026-12-05): " in text
    (one,) = request_forecast_warnings(site, "2025-01-01")
    assert "; p10 2024-08-06 is before today (2025-01-01): " in one
    assert request_forecast_warnings(site, "2024-08-06") == []   # the p10 date itself: not before it
    # the filing date, a fact, is never warned on its own; the bundled request (with phases) is not this check's
    assert request_forecast_warnings(_bundled("phoenix-az"), "2030-01-01") == []


def test_today_and_the_as_of_bound_read_one_clock(tmp_path, monkeypatch):
    """Without DCPLAN_TODAY, the plan-date checks' today and the ``as_of`` bound read the machine's date through one
    function (``specs._base._machine_today``): today() read ``datetime.date.today`` itself, so a clock set for the
    bound (as a test or a sweep's worker sets it) left today() on another day. Set to 2026-12-06: today() is that day
    and a site dated 2026-12-08 (after its day's grace) is refused as after it."""
    from dcplan.site import SiteError
    from dcplan.specs import _base
    monkeypatch.delenv(TODAY_ENV)
    monkeypatch.setattr(_base, "_machine_today", lambda: dt.date(2026, 12, 6))
    assert plan_dates.today() == dt.date(2026, 12, 6) == plan_dates.machine_today()
    with pytest.raises(SiteError, match=r"2026-12-08 is after today \(2026-12-06"):
        load_site(bundled_site_copy(tmp_path, "phoenix-az", "later", as_of="2026-12-08"))


def test_today_is_the_environment_variable_or_the_machines_date_and_a_bad_one_is_refused(monkeypatch):
    monkeypatch.setenv(TODAY_ENV, "2026-12-05")
    assert plan_dates.today() == dt.date(2026, 12, 5)
    monkeypatch.delenv(TODAY_ENV)
    before = dt.date.today()
    assert plan_dates.today() in (before, dt.date.today())   # (midnight between the two calls)
    monkeypatch.setenv(TODAY_ENV, "")
    assert plan_dates.today() in (before, dt.date.today())
    # a date in form that names no calendar day says which day is missing (2026 is not a leap year)
    for bad, why in (("05/12/2026", ""), ("2026-13-01", ": there is no month 13 (01 to 12)"), ("tomorrow", ""),
                     ("2026-02-29", ": 2026 has no 29 February (not a leap year); the month's last day is 2026-02-28")):
        monkeypatch.setenv(TODAY_ENV, bad)
        with pytest.raises(InputError, match=rf"DCPLAN_TODAY \(environment variable\): '{bad}' is not a date"
                                             rf"{re.escape(why)}; allowed: YYYY-MM-DD"):
            plan_dates.today()
    # the module clock may be replaced too (what the functions call when given no today)
    monkeypatch.setattr(plan_dates, "today", lambda: dt.date(2026, 12, 5))
    assert _fields(plan_date_warnings(_bundled("phoenix-az"))) == ["fleet.phases[0].start",
                                                                   "interconnection.phases[0].energized"]


def test_dcplan_validate_warns_them(tmp_path, monkeypatch):
    from dcplan.validate import validate_file
    f = bundled_site_copy(tmp_path, "phoenix-az", "px")
    monkeypatch.setenv(TODAY_ENV, "2026-12-05")
    with warnings.catch_warnings(record=True) as got:
        warnings.simplefilter("always")
        problems = validate_file(f)
    assert problems == []   # warnings: the file is still ok
    texts = [str(w.message) for w in got if issubclass(w.category, DcplanWarning) and "before today" in str(w.message)]
    assert _fields(texts) == ["fleet.phases[0].start", "interconnection.phases[0].energized"]
    assert all(f"today (2026-12-05, {TODAY_ENV})" in t for t in texts)


def test_the_render_fingerprint_changes_when_a_date_passes_not_every_day(tmp_path, monkeypatch):
    from dcplan.report_fingerprint import run_fingerprint
    from dcplan.report_plan import plan_runs
    f = bundled_site_copy(tmp_path, "phoenix-az", "px")
    pf = tmp_path / "pf.yaml"
    pf.write_text(f"name: t\nsites: [{f}]\n")

    def planned(day):
        monkeypatch.setenv(TODAY_ENV, day)
        (run,) = plan_runs(pf, notebooks=["rack_power"], out=tmp_path / "r")
        return run

    early, dec5, dec20, aug = (planned(d) for d in ("2025-01-01", "2026-12-05", "2026-12-20", "2027-08-07"))
    # the run records the site's warnings (results.json warnings, the report's block: dcplan.report_execute)
    assert _fields([t for t in dec5.site_warnings if "before today" in t]) == [
        "fleet.phases[0].start", "interconnection.phases[0].energized"]
    assert fingerprint_texts(early.site_warnings) == []
    assert fingerprint_texts(dec5.site_warnings) == fingerprint_texts(dec20.site_warnings) != []
    fp = {k: run_fingerprint(r, False) for k, r in (("early", early), ("dec5", dec5), ("dec20", dec20), ("aug", aug))}
    assert fp["dec5"] == fp["dec20"]            # the same dates past: the report is kept
    assert fp["early"] != fp["dec5"]            # two dates passed since: rendered again, with the warnings
    # 2027-08-07: the p10 date, 2027-08-06, has passed too (the warning says so): rendered again
    assert "forecast date p10 2027-08-06 is before today too" in aug.site_warnings[-1]
    assert fp["aug"] != fp["dec20"]


def test_a_sites_as_of_is_the_day_its_dates_are_read_as_of(tmp_path, monkeypatch):
    # the bundled sites' plans are dated 2025-03-01 (as_of), before every date they give (the earliest project
    # start is Chicago's 2025-04): read as of then, none is past, whatever the machine's date; with today=
    # 2026-12-05 they are (test above)
    monkeypatch.delenv(TODAY_ENV)
    for name in SITES:
        site = _bundled(name)
        assert site.as_of == dt.date(2025, 3, 1)
        assert plan_date_warnings(site) == [] != plan_date_warnings(site, "2026-12-05")
        assert [t for t in site_warnings(site) if "before" in t and "plan's date" in t] == []
    # a plan made on 2026-12-05: Phoenix's fleet start (2026-10-01) and grid phase (2026-09-01) were past when it
    # was made; the texts are those of today=2026-12-05, with "today" read as the plan's date
    site = load_site(bundled_site_copy(tmp_path, "phoenix-az", "late", as_of="2026-12-05"))
    assert site.as_of == dt.date(2026, 12, 5)
    fleet, ic = plan_date_warnings(site)
    f = site.source_file
    assert fleet.startswith(f"{f}: fleet.phases[0].start: 2026-10-01 (Hall 1) is before the plan's date (2026-12-05, "
                            "the site file's as_of): ")
    assert "the NPV is a value at that month, not at the plan's date" in fleet
    assert fleet.endswith("give its new start date (allowed: a date on or after the plan's date)")
    assert "is before the plan's date (2026-12-05, the site file's as_of), and the phase is not in_service" in ic
    assert "has not come by the plan's date" in ic and "today" not in fleet + ic
    explicit = plan_date_warnings(site, "2026-12-05")
    assert [t.replace("today (2026-12-05)", "the plan's date (2026-12-05, the site file's as_of)")
            .replace("today", "the plan's date") for t in explicit] == [fleet, ic]
    # the file's own words stay as written: a folder and a phase label that say "today"
    (tmp_path / "today").mkdir()
    phases = [{"hardware": "hgx-b200", "count": 384, "start": "2026-10-01", "label": "today hall", "units_per_rack": 2}]
    own = load_site(bundled_site_copy(tmp_path / "today", "phoenix-az", "own", as_of="2026-12-05",
                                      fleet={"phases": phases}))
    (text, _) = plan_date_warnings(own)
    assert text.startswith(f"{tmp_path / 'today' / 'own.yaml'}: fleet.phases[0].start: 2026-10-01 (today hall) is "
                           "before the plan's date (2026-12-05, the site file's as_of): ")
    # DCPLAN_TODAY, a render as of a given date, reads every site as of it, as_of or not
    monkeypatch.setenv(TODAY_ENV, "2025-01-01")
    assert plan_date_warnings(site) == []
    monkeypatch.setenv(TODAY_ENV, "2026-12-05")
    assert [t for t in site_warnings(_bundled("phoenix-az")) if "before today" in t] == [
        t.replace("today (2026-12-05)", f"today (2026-12-05, {TODAY_ENV})")
        for t in plan_date_warnings(_bundled("phoenix-az"), "2026-12-05")]


def test_an_as_of_after_today_is_refused_naming_the_file_and_field(tmp_path, monkeypatch):
    from dcplan.site import SiteError
    from dcplan.specs import _base
    monkeypatch.setattr(_base, "_machine_today", lambda: dt.date(2026, 12, 6))
    # a day's grace for the time zones (a file dated in Tokyo, read in California the day before)
    assert load_site(bundled_site_copy(tmp_path, "phoenix-az", "ok", as_of="2026-12-07")).as_of == dt.date(2026, 12, 7)
    f = bundled_site_copy(tmp_path, "phoenix-az", "typo", as_of="2062-12-01")
    with pytest.raises(SiteError) as e:
        load_site(f)
    msg = str(e.value)
    assert str(f) in msg and "as_of" in msg and "2062-12-01 is after today (2026-12-06" in msg
    assert "allowed: a date on or before today" in msg
    with pytest.raises(SiteError, match="as_of"):
        load_site(bundled_site_copy(tmp_path, "phoenix-az", "bad", as_of="2026-02-30"))


def test_as_of_may_be_up_to_a_later_dcplan_today(tmp_path, monkeypatch):
    """"At most today" takes DCPLAN_TODAY when it is later than the machine's date (2099-01-01 was
    refused as after the machine's date with DCPLAN_TODAY=2100-01-01), without the time-zone grace; an
    earlier one (the suite's 2000-01-01) does not refuse a plan made on a day already come."""
    from dcplan.site import SiteError
    from dcplan.specs import _base
    monkeypatch.setattr(_base, "_machine_today", lambda: dt.date(2026, 12, 6))
    f = bundled_site_copy(tmp_path, "phoenix-az", "later", as_of="2099-01-01")
    monkeypatch.setenv(TODAY_ENV, "2100-01-01")
    assert load_site(f).as_of == dt.date(2099, 1, 1)
    monkeypatch.setenv(TODAY_ENV, "2098-12-31")  # the day before: no grace
    with pytest.raises(SiteError, match=rf"as_of: 2099-01-01 is after today \(2098-12-31, {TODAY_ENV}\)"):
        load_site(f)
    monkeypatch.setenv(TODAY_ENV, "2000-01-01")
    assert load_site(bundled_site_copy(tmp_path, "phoenix-az", "past", as_of="2026-12-05")).as_of.year == 2026
    with pytest.raises(SiteError, match=rf"after today \(2026-12-06, the machine's date; {TODAY_ENV}, "
                                        r"2000-01-01, is earlier\)"):
        load_site(f)
    monkeypatch.setenv(TODAY_ENV, "2099-13-01")
    with pytest.raises(SiteError, match=rf"{TODAY_ENV} \(environment variable\): '2099-13-01' is not a date"):
        load_site(f)


def test_the_tco_exports_caveat_dates_the_plan_only_where_the_file_does(tmp_path):
    # the bundled sites date their plans 2025-03-01; a copy without as_of has no such caveat (and no About row:
    # an empty caveat is left out, dcplan.tco_export_case.caveat_figures)
    from dcplan.tco_export_case import caveat_figures
    text = plan_dates.as_of_note(_bundled("chicago-il"))
    assert text.startswith("The site file dates its plan 2025-03-01 (as_of): the fleet starts, grid phases and "
                           "project start the figures take are those planned on that day")
    f = bundled_site_copy(tmp_path, "chicago-il", "undated")
    import yaml
    d = yaml.safe_load(f.read_text())
    del d["as_of"]
    f.write_text(yaml.safe_dump(d, sort_keys=False))
    undated = load_site(f)
    assert undated.as_of is None and plan_dates.as_of_note(undated) == ""
    assert caveat_figures({"plan_as_of": ""}) == {}
    assert caveat_figures({"plan_as_of": text})["caveat_plan_as_of"][0] == text
