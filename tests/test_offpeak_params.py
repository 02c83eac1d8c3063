"""The off-peak notebook's checks across its parameters and the site (dcplan.offpeak_params):
render refuses a bad -p value before any run (exit 2), as the notebook itself refuses it."""
from __future__ import annotations

import contextlib
import datetime as dt
import inspect
import json
import re
from types import SimpleNamespace

import pandas as pd
import pytest

from conftest import GREENSBORO_TMY3
from dcplan import offpeak_params, schedule
from dcplan.cli import main
from dcplan.errors import InputError
from dcplan.report_plan import plan_runs
from dcplan.weather import load_weather


def test_training_runs_are_generate_jobs_default():
    assert offpeak_params.N_TRAINING == inspect.signature(schedule.generate_jobs).parameters["n_training"].default


@pytest.mark.parametrize("year", [2025, 2024])  # a leap year too (its 29 Feb is filled by the reader)
def test_week_range_is_that_of_the_weather_index(year):
    # the notebook's week must fit the hourly year on the site's civil clock: from its first interval
    # start to the last start leaving 7 days before the index's last interval end
    with pytest.warns(Warning, match="leap year") if year == 2024 else contextlib.nullcontext():
        w = load_weather(GREENSBORO_TMY3, year=year, tz="America/New_York")
    first = (w.index[0] - pd.Timedelta("1h")).date()
    last = (w.index[-1] - pd.Timedelta(days=7)).date()
    assert offpeak_params.week_range(year) == (first, last) == (dt.date(year, 1, 1), dt.date(year, 12, 25))


def _site(util=0.6, year=2025):
    return SimpleNamespace(id="s", fleet=SimpleNamespace(utilisation_frac=util), weather=SimpleNamespace(year=year))


DEFAULTS = {"flex_share_frac": 0.5, "utilisation_frac": -1.0, "n_jobs": 200, "n_nonpreemptible": 20,
            "week_start": "2025-07-14"}


def test_site_fill_is_worked_out_from_the_site_utilisation():
    # u_site 0.6 = must-run 0.5 + 0.5 x fill -> fill 0.2 (hand)
    s = offpeak_params.check(DEFAULTS, _site(0.6))
    assert s.util_frac == pytest.approx(0.2, abs=1e-12)
    assert s.week_start == dt.date(2025, 7, 14) and s.util_note == ", the site's"


def test_a_site_whose_utilisation_leaves_no_flexible_work_is_not_applicable_at_the_defaults():
    # u_site 0.4 is below the default must-run share 1 - 0.5: nothing to schedule. A papermill run
    # says so naming what to give; render marks the site's run n/a (a fact of the site, not a
    # failure; it failed the default render before), also beside an unrelated -p value
    with pytest.raises(InputError, match=r"^utilisation_frac: the site's fleet.utilisation_frac 0.4 \(which "
                                         r"utilisation_frac -1, the default, takes\) is not above the must-run share "
                                         r"1 - flex_share_frac = 0.5, .*give flex_share_frac above 0.6 to schedule "
                                         r"the site's fleet, or utilisation_frac X in \(0, 1\] to schedule a fleet "
                                         r"that is not the site's"):
        offpeak_params.check(DEFAULTS, _site(0.4))
    why = offpeak_params.precheck({**DEFAULTS, "seed": 3}, _site(0.4), {"seed"})
    assert why == ("site 's': its fleet.utilisation_frac 0.4 leaves no flexible work above the notebook's default "
                   "must-run share (1 - flex_share_frac = 0.5) to schedule; pass -p flex_share_frac above 0.6 to run "
                   "it at the site's fleet.utilisation_frac, or -p utilisation_frac X in (0, 1] to schedule a fleet "
                   "that is not the site's (X is the job mix's fill of the flexible share: the fleet then runs at "
                   "0.5 + 0.5 x X, above the site's fleet.utilisation_frac 0.4, and its figures say so)")
    assert offpeak_params.precheck(DEFAULTS, _site(0.6), set()) is None


def test_a_valid_p_value_that_leaves_a_site_no_flexible_work_makes_it_not_applicable():
    # -p flex_share_frac 0.55 is a fraction in (0, 1]: valid in itself. At u_site 0.4 the must-run share
    # 1 - 0.55 = 0.45 is above the site's utilisation, so this site has nothing to schedule: its run is n/a
    # (it refused the whole render, exit 2, before), saying so, and what works: flex above 1 - 0.4 = 0.6
    why = offpeak_params.precheck({**DEFAULTS, "flex_share_frac": 0.55}, _site(0.4), {"flex_share_frac"})
    assert why == ("site 's': -p flex_share_frac 0.55 leaves it no flexible work to schedule: its "
                   "fleet.utilisation_frac 0.4 (which utilisation_frac -1, the default, takes) is not above the "
                   "must-run share 1 - flex_share_frac = 0.45; pass -p flex_share_frac above 0.6 to run it at the "
                   "site's fleet.utilisation_frac, or -p utilisation_frac X in (0, 1] to schedule a fleet that is not "
                   "the site's (X is the job mix's fill of the flexible share: the fleet then runs at 0.45 + 0.55 x "
                   "X, above the site's fleet.utilisation_frac 0.4, and its figures say so)")
    # the same value at a site whose utilisation is above the must-run share: runs (fill (0.6 - 0.45) / 0.55)
    assert offpeak_params.precheck({**DEFAULTS, "flex_share_frac": 0.55}, _site(0.6), {"flex_share_frac"}) is None
    # -p utilisation_frac -1 (the site's) beside the default share: the same fact of the site, naming both
    why = offpeak_params.precheck({**DEFAULTS, "utilisation_frac": -1.0}, _site(0.4), {"utilisation_frac"})
    assert why.startswith("site 's': -p utilisation_frac -1 leaves it no flexible work to schedule: its "
                          "fleet.utilisation_frac 0.4 is not above the must-run share 1 - flex_share_frac = 0.5 "
                          "(the notebook's default flex_share_frac 0.5); pass -p flex_share_frac above 0.6")
    # a site at utilisation 0: no flex_share_frac in (0, 1] helps, so only utilisation_frac is offered
    why = offpeak_params.precheck({**DEFAULTS, "flex_share_frac": 0.5}, _site(0.0), {"flex_share_frac"})
    assert "flex_share_frac above" not in why and why.endswith(
        "pass -p utilisation_frac X in (0, 1] to schedule a fleet that is not the site's (X is the job mix's fill of "
        "the flexible share: the fleet then runs at 0.5 + 0.5 x X, above the site's fleet.utilisation_frac 0, and "
        "its figures say so)")
    # a -p value bad in itself beside it is still bad input, before any run
    with pytest.raises(InputError, match=r"^-p n_jobs: site 's': 10: each synthetic mix holds 4 training runs"):
        offpeak_params.precheck({**DEFAULTS, "flex_share_frac": 0.55, "n_jobs": 10}, _site(0.4),
                                {"flex_share_frac", "n_jobs"})


def test_render_marks_such_a_site_not_applicable_and_runs_it_with_a_flexible_share(tmp_path):
    from conftest import bundled_site_copy
    site = bundled_site_copy(tmp_path, "phoenix-az", "low-util", fleet={"utilisation_frac": 0.5})
    pf = tmp_path / "pf.yaml"
    pf.write_text(f"name: one site\nsites:\n  - {site}\n")
    runs = plan_runs(pf, notebooks=["offpeak_scheduling"], out=tmp_path / "out")
    assert len(runs) == 1 and runs[0].not_applicable.startswith("site 'low-util': its fleet.utilisation_frac 0.5 "
                                                                 "leaves no flexible work")
    runs = plan_runs(pf, notebooks=["offpeak_scheduling"], out=tmp_path / "out", parameters={"flex_share_frac": 0.8})
    assert runs[0].not_applicable is None


def _two_site_portfolio(tmp_path):
    """Phoenix at its fleet.utilisation_frac 0.6 (id ``mid``) and at 0.7 (``high``)."""
    from conftest import bundled_site_copy
    mid = bundled_site_copy(tmp_path, "phoenix-az", "mid", name="Phoenix, AZ (mid)")
    high = bundled_site_copy(tmp_path, "phoenix-az", "high", fleet={"utilisation_frac": 0.7}, name="Phoenix, AZ (high)")
    pf = tmp_path / "pf.yaml"
    pf.write_text(f"name: two sites\nsites:\n  - {mid}\n  - {high}\n")
    return pf


def test_a_flexible_share_too_small_for_one_site_makes_only_its_run_not_applicable(tmp_path):
    # -p flex_share_frac 0.35: must-run share 1 - 0.35 = 0.65. Site "high" (0.7) keeps flexible work (fill
    # (0.7 - 0.65) / 0.35 = 1/7) and runs; site "mid" (0.6 <= 0.65) has none: n/a with its reason, as at the
    # defaults (the whole render was refused before, exit 2)
    pf = _two_site_portfolio(tmp_path)
    runs = {r.site_id: r for r in plan_runs(pf, notebooks=["offpeak_scheduling"], out=tmp_path / "out",
                                            parameters={"flex_share_frac": "0.35"})}
    assert runs["high"].not_applicable is None and runs["high"].parameters["flex_share_frac"] == 0.35
    assert runs["mid"].not_applicable == (
        "site 'mid': -p flex_share_frac 0.35 leaves it no flexible work to schedule: its fleet.utilisation_frac 0.6 "
        "(which utilisation_frac -1, the default, takes) is not above the must-run share 1 - flex_share_frac = 0.65; "
        "pass -p flex_share_frac above 0.4 to run it at the site's fleet.utilisation_frac, or -p utilisation_frac X "
        "in (0, 1] to schedule a fleet that is not the site's (X is the job mix's fill of the flexible share: the "
        "fleet then runs at 0.65 + 0.35 x X, above the site's fleet.utilisation_frac 0.6, and its figures say so)")


def test_cli_lists_the_site_left_no_flexible_work_as_not_applicable_and_exits_0(tmp_path, capsys):
    pf = _two_site_portfolio(tmp_path)
    out = tmp_path / "r"
    # only "mid": nothing executes (no kernel starts); its run is n/a, no failure
    code = main(["render", "-q", "--portfolio", str(pf), "--sites", "mid", "--notebooks", "offpeak_scheduling",
                 "-p", "flex_share_frac", "0.35", "--out", str(out)])
    text = capsys.readouterr().out
    assert code == 0, text
    assert "mid/offpeak_scheduling  n/a" in text
    assert "not applicable: site 'mid': -p flex_share_frac 0.35 leaves it no flexible work" in text
    assert "no runs executed; 1 not applicable (each run's line says why)" in text
    status = json.loads((out / "runs.json").read_text())
    assert status["mid/offpeak_scheduling"]["ok"] is None
    assert status["mid/offpeak_scheduling"]["not_applicable"].startswith("site 'mid': -p flex_share_frac 0.35 ")
    assert not (out / "mid" / "offpeak_scheduling").exists() and not (out / "_failed").exists()


@pytest.mark.parametrize("name,value,match", [
    ("flex_share_frac", "0", r"-p flex_share_frac: 0\.0: offpeak_scheduling allows flex_share_frac in \(0, 1\]"),
    ("flex_share_frac", "1.5", r"-p flex_share_frac: 1\.5: offpeak_scheduling allows flex_share_frac in \(0, 1\]"),
    ("utilisation_frac", "2", r"-p utilisation_frac: 2\.0: offpeak_scheduling allows utilisation_frac in \(0, 1\], "
                              r"or -1"),
])
def test_cli_still_refuses_a_value_invalid_in_itself(tmp_path, capsys, name, value, match):
    pf = _two_site_portfolio(tmp_path)
    out = tmp_path / "r"
    code = main(["render", "-q", "--portfolio", str(pf), "--notebooks", "offpeak_scheduling", "-p", name, value,
                 "--out", str(out)])
    err = capsys.readouterr().err
    assert code == 2, err
    assert re.search(match, err), err
    assert not out.exists()  # refused before the reports folder is made


@pytest.mark.parametrize("year,monday", [(2025, dt.date(2025, 7, 14)), (2024, dt.date(2024, 7, 15)),
                                         (2023, dt.date(2023, 7, 17)), (2026, dt.date(2026, 7, 20))])
def test_the_default_week_is_mid_july_of_the_sites_weather_year(year, monday):
    # "2025-07-14" was the default: a site on another weather year failed its off-peak run by default.
    # Mondays on or after 14 July by the calendar: 14 Jul 2025 Mon, 14 Jul 2024 Sun, 14 Jul 2023 Fri, 14 Jul 2026 Tue
    assert offpeak_params.default_week_start(year) == monday
    s = offpeak_params.check({**DEFAULTS, "week_start": ""}, _site(0.6, year=year))
    assert s.week_start == monday


def test_a_week_start_that_is_no_calendar_day_names_the_months_last_day():
    # an auditor's finding: 2025-02-29 is a date YYYY-MM-DD in form, yet was refused as not one; the notebook's
    # check now says 2025 has no 29 February and names February's last day (28: 2025 is no leap year)
    with pytest.raises(InputError, match=r"^week_start: '2025-02-29': 2025 has no 29 February \(not a leap year\); "
                                         r"the month's last day is 2025-02-28; allowed: 2025-01-01 to 2025-12-25"):
        offpeak_params.check({**DEFAULTS, "week_start": "2025-02-29"}, _site(0.6))
    # in a leap weather year the day exists (within the year's weeks): accepted
    assert offpeak_params.check({**DEFAULTS, "week_start": "2028-02-29"}, _site(0.6, year=2028)).week_start == \
        dt.date(2028, 2, 29)
    # a text not of the form keeps the form's message
    with pytest.raises(InputError, match=r"^week_start: '29/02/2025' is not a local date YYYY-MM-DD; allowed"):
        offpeak_params.check({**DEFAULTS, "week_start": "29/02/2025"}, _site(0.6))


@pytest.mark.parametrize("given,match", [
    ({"week_start": "2025-12-30"}, r"^-p week_start: site 'phoenix-az': the week from 2025-12-30 must lie within the "
                                   r"weather year: allowed 2025-01-01 to 2025-12-25"),
    ({"n_jobs": 10, "n_nonpreemptible": 20}, r"^-p n_jobs: site 'phoenix-az': 10: each synthetic mix holds 4 "
                                             r"training runs and n_nonpreemptible = 20 jobs that cannot be paused, "
                                             r"so n_jobs must be at least 24"),
    ({"n_jobs": -2}, r"^-p n_jobs: -2: offpeak_scheduling allows n_jobs in \[4, inf\), or -1$"),
    ({"n_nonpreemptible": -2}, r"^-p n_nonpreemptible: -2: offpeak_scheduling allows n_nonpreemptible in \[0, inf\), "
                               r"or -1$"),
])
def test_render_refuses_before_any_run(given, match):
    with pytest.raises(InputError, match=match):
        plan_runs(None, sites=["phoenix-az"], notebooks=["offpeak_scheduling"], parameters=given)


def test_a_problem_stated_of_another_parameter_names_the_one_given():
    # a notebook whose n_jobs is 200 (the bundled one's default is -1, sized to the site): -p n_nonpreemptible 197
    # leaves too few jobs, which the check states of n_jobs; the error is of the -p given, with n_jobs' value
    with pytest.raises(InputError, match=r"^-p n_nonpreemptible: site 's': n_jobs 200: each synthetic mix holds 4 "
                                         r"training runs and n_nonpreemptible = 197 .* n_jobs must be at least 201"):
        offpeak_params.precheck({**DEFAULTS, "n_nonpreemptible": 197}, _site(0.6), {"n_nonpreemptible"})


@pytest.mark.parametrize("n_jobs,n_np,ok", [(-1, -1, True), (-1, 197, True), (10, -1, True), (4, -1, True),
                                            (10, 20, False), (200, 196, True), (200, 197, False)])
def test_counts_minus_one_leave_the_sizing_to_the_notebook(n_jobs, n_np, ok):
    # -1 jobs: dcplan.schedule_mix chooses at least 4 + n_nonpreemptible; -1 not pausable: a tenth of the jobs
    # (10 jobs: 1, 4 jobs: 0), always room beside the 4 training runs
    found = offpeak_params.problems({**DEFAULTS, "n_jobs": n_jobs, "n_nonpreemptible": n_np}, _site(0.6))[0]
    assert (not found) == ok, found


def test_cli_exit_2_and_no_failed_run(tmp_path, capsys):
    out = tmp_path / "r"
    assert main(["render", "--sites", "phoenix-az", "--notebooks", "offpeak_scheduling", "-p", "week_start",
                 "2025-12-30", "--out", str(out), "-q"]) == 2
    assert "the week from 2025-12-30 must lie within the weather year" in capsys.readouterr().err
    assert not (out / "_failed").exists()


@pytest.mark.parametrize("ref", ["os:system", "dcplan.offpeak_params:nothing", "dcplan.offpeak_params:N_TRAINING",
                                 "dcplan.offpeak_params"])
def test_a_precheck_must_be_a_dcplan_function(tmp_path, ref):
    import nbformat
    from dcplan.report_params import notebook_precheck
    nb = nbformat.v4.new_notebook()
    nb.metadata["dcplan"] = {"precheck": ref}
    p = tmp_path / "x.ipynb"
    nbformat.write(nb, str(p))
    with pytest.raises(InputError, match=r"metadata.dcplan.precheck: precheck .*give 'dcplan.MODULE:FUNCTION'"):
        notebook_precheck(p)

