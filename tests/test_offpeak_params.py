"""The off-peak notebook's checks across its parameters and the site (dcplan.offpeak_params):
render refuses a bad -p value before any run (exit 2), as the notebook itself refuses it."""
from __future__ import annotations

import contextlib
import datetime as dt
import inspect
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


def test_a_problem_of_the_defaults_alone_is_left_to_the_run():
    # u_site 0.4 is below the must-run share 0.5: the run fails with this message; a render given an
    # unrelated -p value does not refuse the other sites' runs for it
    with pytest.raises(InputError, match=r"utilisation_frac: -1 \(the site's\): the site's fleet.utilisation_frac "
                                         r"0.4 is not above the must-run share"):
        offpeak_params.check(DEFAULTS, _site(0.4))
    offpeak_params.precheck({**DEFAULTS, "seed": 3}, _site(0.4), {"seed"})  # nothing raised
    with pytest.raises(InputError, match=r"^-p flex_share_frac: site 's': utilisation_frac -1 \(the site's\)"):
        offpeak_params.precheck({**DEFAULTS, "flex_share_frac": 0.55}, _site(0.4), {"flex_share_frac"})


@pytest.mark.parametrize("given,match", [
    ({"week_start": "2025-12-30"}, r"^-p week_start: site 'phoenix-az': the week from 2025-12-30 must lie within the "
                                   r"weather year: allowed 2025-01-01 to 2025-12-25"),
    ({"n_jobs": 10}, r"^-p n_jobs: site 'phoenix-az': 10: each synthetic mix holds 4 training runs and "
                     r"n_nonpreemptible = 20 jobs that cannot be paused, so n_jobs must be at least 24"),
    ({"n_nonpreemptible": 197}, r"^-p n_nonpreemptible: site 'phoenix-az': n_jobs 200: each synthetic mix holds 4 "
                                r"training runs and n_nonpreemptible = 197 .* n_jobs must be at least 201"),
])
def test_render_refuses_before_any_run(given, match):
    with pytest.raises(InputError, match=match):
        plan_runs(None, sites=["phoenix-az"], notebooks=["offpeak_scheduling"], parameters=given)


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
