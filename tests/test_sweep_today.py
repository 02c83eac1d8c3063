"""A sweep's cases all run as of one day: the submitting process's (dcplan.plan_dates.today_state), fixed when
the sweep starts and passed to every case (dcplan.sweep_worker.run_cases), so a Dask worker's own date or
``DCPLAN_TODAY`` does not change the months a site without ``as_of`` has waited for power (the time to power is
conditioned on them: dcplan.plan_dates.with_wait). Before, each case counted them to its worker's date.

Hand values: calendar months between dates on the same day of the month are whole (dcplan.grid._months_between):
2021-11-01 -> 2025-03-01 is 3 x 12 + 4 = 40 months; -> 2026-01-01 is 4 x 12 + 2 = 50; -> 2025-09-01 is 46."""
from __future__ import annotations

import concurrent.futures as cf
import datetime as dt
import os

import pytest

from conftest import bundled_site_copy
from dcplan.plan_dates import TODAY_ENV, today_state
from dcplan.site import load_site
from dcplan.sweep import SweepSpec, read_results, run_sweep
from dcplan.sweep_files import _file_meta
from dcplan.sweep_worker import run_cases

#: the dates these cases are read as of put the bundled fleet's starts and project start in the past: warned of
pytestmark = pytest.mark.filterwarnings("ignore::dcplan.errors.DcplanWarning")
FILED = "2021-11-01"
CASE = "test_sweep_today:waited"


def waited(site) -> dict:
    """A case function: the months waited and the grid median given them, as the default case's row has them
    (dcplan.sweep_first_power.with_critical_path)."""
    from dcplan.sweep_first_power import WAITED_COLUMN, with_critical_path
    row = with_critical_path({"time_to_power_p90_months": 0.0}, site)
    return {"waited_months": row[WAITED_COLUMN], "grid_median_months": row["grid_median_months"]}


def _site(tmp_path, as_of: bool):
    extra = {} if as_of else {"as_of": None}  # the bundled Phoenix's as_of is 2025-03-01
    site = load_site(bundled_site_copy(tmp_path, "phoenix-az", "phx", interconnection={"filed": FILED}, **extra))
    assert (str(site.as_of) if as_of else site.as_of) == ("2025-03-01" if as_of else None)
    return site


def _one(site, today=None) -> dict:
    (row,) = run_cases(CASE, [(site, {}, None, "c1")], today)
    assert row["status"] == "ok", row["error"]
    return row


@pytest.mark.parametrize("as_of, state, months", [
    (False, ("2025-03-01", False), 40.0),  # no as_of: the submitter's machine date, not the worker's DCPLAN_TODAY
    (False, ("2025-03-01", True), 40.0),   # the submitter's DCPLAN_TODAY
    (True, ("2025-09-01", False), 40.0),   # as_of (2025-03-01) takes the place of the submitter's machine date
    (True, ("2025-09-01", True), 46.0),    # the submitter's DCPLAN_TODAY wins over as_of, as it does there
])
def test_a_worker_with_another_today_gives_the_submitters_result(tmp_path, monkeypatch, as_of, state, months):
    site = _site(tmp_path, as_of)
    monkeypatch.setenv(TODAY_ENV, "2026-01-01")  # the worker's own today
    own = _one(site)
    assert own["waited_months"] == 50.0  # counted to the worker's DCPLAN_TODAY (which wins over as_of there)
    fixed = _one(site, state)
    assert fixed["waited_months"] == pytest.approx(months, abs=1e-12)
    # the figure the wait conditions: the one a worker whose own today is the submitter's gives
    monkeypatch.setenv(TODAY_ENV, state[0]) if state[1] or not as_of else monkeypatch.delenv(TODAY_ENV)
    assert fixed["grid_median_months"] == _one(site)["grid_median_months"] != own["grid_median_months"]


class _ElsewhereExecutor(cf.Executor):
    """Runs each task at once, as a worker whose ``DCPLAN_TODAY`` is ``day`` (a Dask worker on another machine,
    whose environment and date are its own)."""

    def __init__(self, day: str):
        self.day = day

    def submit(self, fn, *args, **kwargs):
        fut = cf.Future()
        before = os.environ.get(TODAY_ENV)
        os.environ[TODAY_ENV] = self.day
        try:
            fut.set_result(fn(*args, **kwargs))
        except Exception as e:  # noqa: BLE001
            fut.set_exception(e)
        finally:
            os.environ[TODAY_ENV] = before
        return fut


def test_run_sweep_passes_its_today_to_every_case_and_records_it(tmp_path, monkeypatch):
    from dcplan.specs import _base
    monkeypatch.setenv(TODAY_ENV, "2025-03-01")  # the submitter's
    monkeypatch.setattr(_base, "_machine_today", lambda: dt.date(2026, 12, 7))  # and its clock's (the as_of bound's)
    assert today_state() == ("2025-03-01", True, "2026-12-07")
    spec = SweepSpec(sites=[_site(tmp_path, as_of=False)], case=CASE, axes={"solar.dc_kw": [0, 1000]})
    out = tmp_path / "s.parquet"
    res = run_sweep(spec, executor=_ElsewhereExecutor("2026-01-01"), out=out, window=1)
    assert res.ok and list(res.frame["waited_months"]) == [40.0, 40.0]  # 50 each, counted to the workers' day
    assert res.today == "2025-03-01"
    meta = _file_meta(out)
    assert (meta["today"], meta["today_from"], meta["machine_date"]) == ("2025-03-01", TODAY_ENV, "2026-12-07")
    assert list(read_results(out)["waited_months"]) == [40.0, 40.0]
    # a later day: the rows of a site without as_of are of that day, run again (not resumed from the other day's)
    monkeypatch.setenv(TODAY_ENV, "2025-09-01")
    again = run_sweep(spec, executor=_ElsewhereExecutor("2026-01-01"), out=out, window=1)
    assert (again.n_reused, list(again.frame["waited_months"])) == (0, [46.0, 46.0])
    assert run_sweep(spec, executor=_ElsewhereExecutor("2026-01-01"), out=out, window=1).n_reused == 2


def _as_of_case(site, as_of: str, state) -> dict:
    (row,) = run_cases(CASE, [(site, {"as_of": as_of}, None, "c1")], state)
    return row


@pytest.mark.parametrize("worker_today", [None, "2000-01-01"])
def test_a_cases_as_of_is_bounded_by_the_sweeps_dcplan_today(tmp_path, monkeypatch, worker_today):
    """A case's ``as_of`` override is at most the sweep's DCPLAN_TODAY (no grace), not the worker's machine date
    (2025-06-01 here: 2026-01-01 was refused on a worker without DCPLAN_TODAY) nor its own DCPLAN_TODAY."""
    from dcplan.specs import _base
    site = _site(tmp_path, as_of=True)
    monkeypatch.setattr(_base, "_machine_today", lambda: dt.date(2025, 6, 1))
    monkeypatch.setenv(TODAY_ENV, worker_today) if worker_today else monkeypatch.delenv(TODAY_ENV)
    state = ("2026-01-01", True)
    assert _as_of_case(site, "2026-01-01", state)["status"] == "ok"
    row = _as_of_case(site, "2026-01-02", state)
    assert row["status"] == "failed" and f"2026-01-02 is after today (2026-01-01, {TODAY_ENV})" in row["error"]


def test_a_cases_as_of_is_bounded_by_the_machine_date_where_the_sweep_started(tmp_path, monkeypatch):
    """Fixed from the submitter's machine date (2026-01-01), a case's ``as_of`` may be a day later (the time zones'
    grace), whatever the worker's machine date (2025-06-01) or DCPLAN_TODAY (2030-06-01): 2026-01-02 was refused,
    the bound taken as the fixed date without grace and named DCPLAN_TODAY."""
    from dcplan.specs import _base
    site = _site(tmp_path, as_of=True)
    monkeypatch.setattr(_base, "_machine_today", lambda: dt.date(2025, 6, 1))
    monkeypatch.setenv(TODAY_ENV, "2030-06-01")
    state = ("2026-01-01", False)
    assert _as_of_case(site, "2026-01-02", state)["status"] == "ok"
    row = _as_of_case(site, "2026-01-03", state)
    assert row["status"] == "failed"
    assert "2026-01-03 is after today (2026-01-01, the machine's date where the sweep started)" in row["error"]


class _DayBehindExecutor(cf.Executor):
    """Runs each task at once, as a worker whose clock is a day behind the submitter's (another machine, another
    time zone): its machine's date is ``day``."""

    def __init__(self, day: dt.date):
        self.day = day

    def submit(self, fn, *args, **kwargs):
        from dcplan.specs import _base
        fut = cf.Future()
        before = _base._machine_today
        _base._machine_today = lambda: self.day
        try:
            fut.set_result(fn(*args, **kwargs))
        except Exception as e:  # noqa: BLE001
            fut.set_exception(e)
        finally:
            _base._machine_today = before
        return fut


@pytest.mark.parametrize("submitter_env", ["2000-01-01", None])
def test_a_worker_a_day_behind_takes_the_as_of_the_submitter_took(tmp_path, monkeypatch, submitter_env):
    """The submitter's clock says 2026-12-07, its DCPLAN_TODAY (the suite's 2000-01-01, earlier) or none: a site file
    dated 2026-12-08 (as_of, the day's grace for the time zones) loads there. Its cases ran on a worker whose clock
    says 2026-12-06 and were refused ("2026-12-08 is after today (2026-12-06, the machine's date ...)"), as the bound
    of a sweep fixed from DCPLAN_TODAY read the worker's clock (any override re-validates the site). Now every case
    checks it against the submitter's date, 2026-12-07 + 1 day, and 2026-12-09 is still refused, saying so."""
    from dcplan.specs import _base
    monkeypatch.setattr(_base, "_machine_today", lambda: dt.date(2026, 12, 7))
    monkeypatch.setenv(TODAY_ENV, submitter_env) if submitter_env else monkeypatch.delenv(TODAY_ENV)
    site = load_site(bundled_site_copy(tmp_path, "phoenix-az", "phx", as_of="2026-12-08"))
    assert site.as_of == dt.date(2026, 12, 8)  # taken where the sweep starts
    state = today_state()
    assert state[1:] == (submitter_env is not None, "2026-12-07")
    spec = SweepSpec(sites=[site], case=CASE, axes={"solar.dc_kw": [0, 1000]})
    res = run_sweep(spec, executor=_DayBehindExecutor(dt.date(2026, 12, 6)), write=False, window=1)
    assert list(res.frame["status"]) == ["ok", "ok"], list(res.frame["error"])
    # the worker's own clock alone (no fixed day) refuses it: what the fixed day changes
    monkeypatch.setattr(_base, "_machine_today", lambda: dt.date(2026, 12, 6))
    row = _as_of_case(site, "2026-12-08", None)
    assert row["status"] == "failed" and "2026-12-08 is after today (2026-12-06, the machine's date" in row["error"]
    # with the fixed day: 2026-12-08 taken, 2026-12-09 (two days after the submitter's date) refused, naming the date
    assert _as_of_case(site, "2026-12-08", state)["status"] == "ok"
    row = _as_of_case(site, "2026-12-09", state)
    env = f"; {TODAY_ENV}, 2000-01-01, is earlier" if submitter_env else ""
    assert row["status"] == "failed"
    assert (f"2026-12-09 is after today (2026-12-07, the machine's date where the sweep started{env}): a plan is made "
            "on a day already come; allowed: a date on or before today") in row["error"]
