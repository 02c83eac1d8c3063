"""dcplan.sweep: overrides, case expansion, failures, resume, atomic writes, per-worker caches.

The engine is exercised with ``dcplan.sweep:climate_figures`` (a real case function:
loads the site's weather and computes climate figures) and small test case functions
defined here (importable as ``test_sweep:<name>``, also in worker processes).
"""
from __future__ import annotations

import concurrent.futures as cf
import contextlib
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from dcplan.cli import main
from dcplan.errors import DcplanWarning, InputError
from dcplan.site import load_portfolio, load_site
from dcplan.sweep import (SweepSpec, apply_overrides, case_id, clear_caches, load_counts, load_sweep,
                          pareto_front, read_results, run_sweep, site_weather)

from conftest import DATA, ROOT, needs_proc
from conftest import record_fsync_and_replace as _record_fsync_and_replace

# Their cases' sites get dcplan validate's warnings (dcplan.sweep_checks: "... [sweep case <site> with ...]"), which
# the test settings turn into errors that fail a case; these tests are not of them (the HGX servers on a liquid plant,
# the few-kW PV values that number a test's cases): tests/test_sweep_case_warnings.py is
pytestmark = pytest.mark.filterwarnings(r"ignore:.*\[sweep case :dcplan.errors.DcplanWarning")

HERE = Path(__file__).resolve().parent
CLIMATE = "dcplan.sweep:climate_figures"


# ---------------------------------------------------------------------------
# case functions used by the tests (module-level: importable by worker processes)

_CALLS = {"n": 0}


def counting_case(site, weather):
    """Counts calls in this process; returns the mean dry bulb."""
    _CALLS["n"] += 1
    return {"temp_air_mean_degc": float(weather["temp_air"].mean())}


def boom_on_air(site, weather):
    """Raises for air-cooled cases (a case that fails), else a weather figure."""
    if site.cooling.type == "air":
        raise RuntimeError(f"boom: air cooling at {site.id}")
    return {"temp_air_max_degc": float(weather["temp_air"].max()),
            "units_total": float(sum(p.count for p in site.fleet.phases))}


def weather_loads(site, weather):
    """How many times this worker process has parsed this site's weather file."""
    key = f"weather:{site.weather_path.resolve()}"
    return {"weather_loads": float(load_counts().get(key, 0)), "pid": float(os.getpid())}


_READS = {"weather": 0, "tariff": 0}


def pipeline_counting_reads(site):
    """The hourly chain, counting weather-file and tariff-file parses in this process.

    The first call in a process wraps ``dcplan.weather.load_weather`` and
    ``Tariff.from_urdb`` with counters (before the chain has read anything there).
    """
    import dcplan.weather as wx
    from dcplan.pipeline import case_figures
    from dcplan.tariff import Tariff
    if not getattr(wx, "_sweep_test_wrapped", False):
        orig_w, orig_t = wx.load_weather, Tariff.from_urdb.__func__

        def load_weather(*a, **k):
            _READS["weather"] += 1
            return orig_w(*a, **k)

        def from_urdb(cls, *a, **k):
            _READS["tariff"] += 1
            return orig_t(cls, *a, **k)

        wx.load_weather, wx._sweep_test_wrapped = load_weather, True
        Tariff.from_urdb = classmethod(from_urdb)
    out = case_figures(site)
    out.update({f"{k}_reads": float(v) for k, v in _READS.items()})
    return out


def term_on_third(site, weather):
    """With DCPLAN_TEST_TERM=1, sends SIGTERM to its own process on the third call (a batch
    scheduler's stop); otherwise counts calls like :func:`counting_case`."""
    _CALLS["n"] += 1
    if _CALLS["n"] == 3 and os.environ.get("DCPLAN_TEST_TERM") == "1":
        os.kill(os.getpid(), signal.SIGTERM)
    return {"temp_air_mean_degc": float(weather["temp_air"].mean())}


def term_group_at_ten(site, weather):
    """With DCPLAN_TEST_TERM_GROUP=1, the case of solar.dc_kw 10 sends SIGTERM to its whole
    process group (``scancel`` of a batch job: the sweep and its workers at once)."""
    if site.solar is not None and site.solar.dc_kw == 10 and os.environ.get("DCPLAN_TEST_TERM_GROUP") == "1":
        os.killpg(os.getpgid(0), signal.SIGTERM)
        time.sleep(30)  # dies here
    return {"temp_air_mean_degc": float(weather["temp_air"].mean())}


def sleep_long(site, weather):
    """Marks that it started (started-<solar.dc_kw> in $DCPLAN_TEST_MARK_DIR) and then runs for
    $DCPLAN_TEST_SLEEP_S seconds (default a minute)."""
    Path(os.environ["DCPLAN_TEST_MARK_DIR"], f"started-{site.solar.dc_kw:g}").touch()
    time.sleep(float(os.environ.get("DCPLAN_TEST_SLEEP_S", "60")))
    return {"temp_air_mean_degc": float(weather["temp_air"].mean())}


def _sweep_in_own_group(tmp_path, spec_file, out, case="test_sweep:sleep_long", **env_extra):
    """``dcplan sweep -j 2`` of ``case`` in a new process group with Ctrl-C's default action
    (as in a terminal)."""
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(ROOT), str(HERE)]),
           "DCPLAN_TEST_MARK_DIR": str(tmp_path), **env_extra}
    return subprocess.Popen([sys.executable, "-m", "dcplan", "sweep", str(spec_file), "-j", "2", "-q",
                             "--case", case, "--out", str(out)],
                            env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=tmp_path,
                            start_new_session=True, preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL))


def _wait_for_marks(tmp_path, n, timeout_s=60.0):
    deadline = time.monotonic() + timeout_s
    while len(list(tmp_path.glob("started-*"))) < n and time.monotonic() < deadline:
        time.sleep(0.05)
    assert len(list(tmp_path.glob("started-*"))) >= n, "the cases did not start"


def kill_on_third(site, weather):
    """With DCPLAN_TEST_KILL=1, SIGKILLs its own process on the third call (a sweep killed
    mid-way); otherwise counts calls like :func:`counting_case`."""
    _CALLS["n"] += 1
    if _CALLS["n"] == 3 and os.environ.get("DCPLAN_TEST_KILL") == "1":
        os.kill(os.getpid(), signal.SIGKILL)
    return {"temp_air_mean_degc": float(weather["temp_air"].mean())}


_BOOM = {"on": True}


def boom_until_fixed(site, weather):
    """Like :func:`boom_on_air` while ``_BOOM["on"]`` (a bug), then counts calls (fixed)."""
    if _BOOM["on"]:
        return boom_on_air(site, weather)
    return counting_case(site, weather)


@pytest.fixture(scope="module")
def pf():
    return load_portfolio()


@pytest.fixture(scope="module")
def pool2():
    """Two local worker processes shared by the tests that only read (start-up costs seconds)."""
    from dcplan.sweep import make_executor
    with make_executor(jobs=2) as (pool, _):
        yield pool


# ---------------------------------------------------------------------------
# overrides

def test_apply_overrides_sets_paths_and_revalidates(pf):
    base = pf["research-triangle-nc"]
    s = apply_overrides(base, {"fleet.phases[0].count": 64, "cooling.type": "liquid",
                               "solar.dc_kw": 3000.0, "finance.costs.staff_fte_per_mw": 2.0})
    assert s.fleet.phases[0].count == 64 and s.fleet.phases[1].count == base.fleet.phases[1].count
    # the site file leaves liquid_class out: a liquid case gets CoolingSpec's default, W32
    assert s.cooling.type == "liquid" and s.cooling.liquid_class == "W32" and s.solar.dc_kw == 3000.0
    # the override joins the site's own costs (its sewer rate, data/sites/research-triangle-nc.yaml)
    assert base.finance.costs and "staff_fte_per_mw" not in base.finance.costs
    assert s.finance.costs == {**base.finance.costs, "staff_fte_per_mw": 2.0}
    assert base.cooling.type == "air" and base.fleet.phases[0].count == 256  # base untouched
    assert s.source_file == base.source_file  # relative files still resolve against the site YAML
    # an unset optional section (this site has no tariff) is started by the override
    t = apply_overrides(base, {"tariff.file": "tariffs/duke-nc-opt-tou.json"})
    assert t.tariff_path == DATA / "tariffs" / "duke-nc-opt-tou.json"


def test_apply_overrides_bad_values_name_the_path(pf):
    base = pf["research-triangle-nc"]
    with pytest.raises(InputError, match=r"cooling\.type: .*'air' or 'liquid'.*'watr'"):
        apply_overrides(base, {"cooling.type": "watr"})
    with pytest.raises(InputError, match=r"fleet\.phases\.0\.count|fleet\.phases\[0\]\.count"):
        apply_overrides(base, {"fleet.phases[0].count": -5})
    # strict specs: a float where an integer is required is an error, not silently truncated
    with pytest.raises(InputError, match=r"count"):
        apply_overrides(base, {"fleet.phases[0].count": 12.5})
    with pytest.raises(InputError, match=r"unknown key 'coolng'.*did you mean 'cooling'"):
        apply_overrides(base, {"coolng.type": "air"})
    with pytest.raises(InputError, match=r"index \[5\] out of range: fleet\.phases has 2 items"):
        apply_overrides(base, {"fleet.phases[5].count": 1})
    with pytest.raises(InputError, match=r"tariff\.file: tariff file not found"):
        apply_overrides(base, {"tariff.file": "tariffs/nope.json"})
    with pytest.raises(InputError, match="not a site-spec path"):
        apply_overrides(base, {"fleet..count": 1})


def test_case_id_is_stable_and_distinguishes_cases():
    a = case_id("phoenix-az", {"cooling.type": "air", "solar.dc_kw": 1000})
    b = case_id("phoenix-az", {"solar.dc_kw": 1000, "cooling.type": "air"})  # key order
    assert a == b and len(a) == 16
    assert a != case_id("chicago-il", {"cooling.type": "air", "solar.dc_kw": 1000})
    assert a != case_id("phoenix-az", {"cooling.type": "air", "solar.dc_kw": 2000})


# ---------------------------------------------------------------------------
# spec and expansion

def test_grid_expands_full_product_sites_outermost(pf):
    spec = SweepSpec(sites=[pf["phoenix-az"], pf["chicago-il"]], case=CLIMATE,
                     fixed={"cooling.liquid_class": "W32"},  # chicago-il's YAML has none (liquid needs one)
                     axes={"cooling.type": ["air", "liquid"],
                           "solar.dc_kw": {"min": 0, "max": 3000, "steps": 4}})
    cases = spec.cases()
    # 2 sites x 2 cooling x 4 PV sizes; linspace(0, 3000, 4) = 0, 1000, 2000, 3000 (integers)
    assert len(cases) == 16
    assert [c.site_id for c in cases[:8]] == ["phoenix-az"] * 8
    assert [c.axis_values["solar.dc_kw"] for c in cases[:4]] == [0, 1000, 2000, 3000]
    assert len({c.case_id for c in cases}) == 16
    # a site axis picks among the given sites (a Portfolio is accepted as sites)
    one = SweepSpec(sites=pf, case=CLIMATE, axes={"site": ["chicago-il"], "cooling.type": ["air"]})
    assert [c.site_id for c in one.cases()] == ["chicago-il"]
    with pytest.raises(InputError, match=r"axes\.site: value 'chicago'.*did you mean 'chicago-il'"):
        SweepSpec(sites=pf, case=CLIMATE, axes={"site": ["chicago"]})


def test_sample_mode_is_latin_hypercube_and_reproducible(pf):
    n = 10
    kw = dict(sites=[pf["phoenix-az"]], case=CLIMATE, mode="sample", samples=n, seed=7,
              axes={"solar.dc_kw": {"min": 0.0, "max": 5000.0}, "cooling.type": ["air", "liquid"]})
    a, b = SweepSpec(**kw).cases(), SweepSpec(**kw).cases()
    assert [c.case_id for c in a] == [c.case_id for c in b]
    pv = np.array([c.axis_values["solar.dc_kw"] for c in a])
    # Latin hypercube property (McKay et al. 1979): exactly one sample in each of the n
    # equal-probability strata of every axis
    assert sorted((pv / 5000.0 * n).astype(int)) == list(range(n))
    # a 2-value list axis over 10 strata: 5 of each
    assert sum(c.axis_values["cooling.type"] == "air" for c in a) == 5
    # integer bounds give integers, inside the bounds
    ints = SweepSpec(sites=[pf["phoenix-az"]], case=CLIMATE, mode="sample", samples=n, seed=1,
                     axes={"fleet.phases[0].count": {"min": 64, "max": 512}}).cases()
    counts = [c.axis_values["fleet.phases[0].count"] for c in ints]
    assert all(isinstance(v, int) and 64 <= v <= 512 for v in counts) and len(set(counts)) == n


def test_sample_mode_counts_the_draws_that_repeat_a_case(pf):
    # a 2-value list axis over 10 Latin-hypercube strata: 5 draws of each value (above), run as
    # 2 cases; the 10 draws were silently 2 cases with no weights, which biases any statistic
    # over cases whose axes repeat unevenly. Now each case says how many draws fell on it
    from dcplan.sweep import SweepResult
    kw = dict(sites=[pf["phoenix-az"], pf["chicago-il"]], case=CLIMATE, mode="sample", samples=10, seed=7,
              axes={"solar.dc_kw": [0.0, 100.0]})
    cases = SweepSpec(**kw).cases()
    assert sorted((c.site_id, c.axis_values["solar.dc_kw"], c.draws) for c in cases) == [
        ("chicago-il", 0.0, 5), ("chicago-il", 100.0, 5), ("phoenix-az", 0.0, 5), ("phoenix-az", 100.0, 5)]
    # grid mode runs each point once by construction: no draws
    assert {c.draws for c in SweepSpec(sites=[pf["phoenix-az"]], case=CLIMATE,
                                       axes={"solar.dc_kw": [0.0, 100.0]}).cases()} == {None}
    # the summary says so, and where the weights are
    res = SweepResult(frame=pd.DataFrame({"status": ["ok"] * 4}), path=None, csv_path=None, n_cases=4, n_ran=4,
                      n_reused=0, seconds=1.0, n_samples=10, n_sites=2)
    assert "10 draws per site gave 4 distinct cases over 2 site(s)" in res.table()
    assert "column 'draws' counts them" in res.table()
    res.n_cases = 20  # every draw its own case: nothing to say
    assert "draws per site" not in res.table()


def test_resumed_sample_sweep_counts_this_runs_draws(tmp_path):
    # a reused row kept the previous file's draws: 10 samples then 20 over a 2-value axis gave
    # the 20-sample run the 10-sample weights (5 and 5, not 10 and 10)
    spec = "name: w\nsite: phoenix-az\nmode: sample\nseed: 7\nsamples: {n}\naxes:\n  solar.dc_kw: [0, 100]\n"
    out = tmp_path / "w.parquet"
    f = _write(tmp_path, spec.format(n=10))
    first = run_sweep(f, jobs=1, out=out, case="test_sweep:counting_case")
    assert sorted(first.frame["draws"]) == [5, 5]
    _write(tmp_path, spec.format(n=20))
    again = run_sweep(f, jobs=1, out=out, case="test_sweep:counting_case")
    assert again.n_reused == 2 and sorted(again.frame["draws"]) == [10, 10]
    assert sorted(read_results(out)["draws"]) == [10, 10]


def _write(tmp_path, text, name="s.yaml"):
    p = tmp_path / name
    p.write_text(text)
    return p


def test_a_sweep_too_large_to_run_is_refused_before_any_case_is_built(tmp_path):
    """Three 1,000-step axes are 10⁹ cases: the sweep used to fill memory (7 GB in 30 s)
    without a line of output; a 50-million-step axis validated every value in turn."""
    import time

    from dcplan.sweep_spec import MAX_CASES
    t0 = time.perf_counter()
    p = _write(tmp_path, "site: phoenix-az\naxes:\n  solar.dc_kw: {min: 0, max: 1000, steps: 1000}\n"
                         "  solar.tilt_deg: {min: 0, max: 40, steps: 1000}\n"
                         "  fleet.utilisation_frac: {min: 0.5, max: 0.9, steps: 1000}\n")
    with pytest.raises(InputError, match=r"s\.yaml: axes\.solar\.dc_kw: 1 site\(s\) x solar\.dc_kw 1,000 x "
                                         r"solar\.tilt_deg 1,000 x fleet\.utilisation_frac 1,000 = "
                                         r"1,000,000,000 cases; allowed: at most 1,000,000 cases"):
        load_sweep(p)
    p = _write(tmp_path, "portfolio: default\naxes:\n  site: all\n  solar.dc_kw: {min: 0, max: 1, steps: 50000000}\n")
    with pytest.raises(InputError, match=r"axes\.solar\.dc_kw: 4 site\(s\) x solar\.dc_kw 50,000,000 = 200,000,000"):
        load_sweep(p)
    p = _write(tmp_path, "site: phoenix-az\nmode: sample\nsamples: 2000000\naxes:\n  solar.dc_kw: {min: 0, max: 1}\n")
    with pytest.raises(InputError, match=r"samples: 1 site\(s\) x 2,000,000 samples = 2,000,000 cases"):
        load_sweep(p)
    assert time.perf_counter() - t0 < 25.0  # refused up front (it filled 7 GB in 30 s until killed); loose for a loaded machine
    # the limit itself is allowed: 1,000 x 1,000 points on one site
    assert MAX_CASES == 1000 * 1000
    p = _write(tmp_path, "site: phoenix-az\naxes:\n  solar.dc_kw: {min: 0, max: 999, steps: 1000}\n"
                         "  solar.tilt_deg: {min: 0, max: 40, steps: 1000}\n")
    assert len(load_sweep(p).points()) == MAX_CASES


def test_a_sweep_too_large_to_run_still_has_its_other_problems_listed(tmp_path):
    """Too many cases was the only problem shown; a typo'd axis beside it took a second run.
    The values of a 50-million-step range are checked at its bounds and 2,000 spread values,
    without building the 50 million."""
    import time

    from dcplan.site import SiteError
    t0 = time.perf_counter()
    p = _write(tmp_path, "portfolio: default\nseed: -2\naxes:\n  site: [phoenix-az, nowhere]\n"
                         "  solar.dc_kw: {min: -1, max: 1, steps: 50000000}\n  cooling.typ: [air]\n")
    with pytest.raises(SiteError) as ei:
        load_sweep(p)
    assert time.perf_counter() - t0 < 10.0
    assert [f for f, m in ei.value.problems] == ["seed", "axes.site", "axes.solar.dc_kw", "axes.cooling.typ"]
    assert [e.field for e in ei.value.errors] == ["seed", "axes.site", "axes.solar.dc_kw", "axes.cooling.typ"]
    assert ei.value.problems[2][1].startswith("value -1: Input should be greater than or equal to 0 kW, got -1")
    assert str(ei.value).startswith(f"{p}: seed: seed must be an integer >= 0, got -2 (+3 more problems)")
    # (too large is said when nothing else is wrong with the axes: its count needs them all)
    p = _write(tmp_path, "portfolio: default\nseed: -2\naxes:\n  site: all\n"
                         "  solar.dc_kw: {min: 0, max: 1, steps: 50000000}\n")
    with pytest.raises(SiteError) as ei:
        load_sweep(p)
    assert [f for f, m in ei.value.problems] == ["seed", "axes.solar.dc_kw"]
    assert "200,000,000 cases" in ei.value.problems[1][1]


def test_load_sweep_bad_value_names_file_axis_and_value(tmp_path):
    p = _write(tmp_path, "portfolio: default\naxes:\n  site: [phoenix-az]\n  cooling.type: [air, watr]\n")
    with pytest.raises(InputError, match=r"s\.yaml: axes\.cooling\.type: value 'watr'.*'air' or 'liquid'"):
        load_sweep(p)
    p = _write(tmp_path, "portfolio: default\naxes:\n  site: [phoenix-azz]\n")
    with pytest.raises(InputError, match=r"axes\.site: value 'phoenix-azz'.*did you mean 'phoenix-az'"):
        load_sweep(p)
    p = _write(tmp_path, "portfolio: default\naxis:\n  solar.dc_kw: [0]\n")
    with pytest.raises(InputError, match=r"unknown key 'axis'.*did you mean 'axes'"):
        load_sweep(p)
    p = _write(tmp_path, "site: phoenix-az\naxes:\n  solar.dc_kw: {min: 0, max: 10}\n")
    with pytest.raises(InputError, match=r"axes\.solar\.dc_kw: a range axis needs steps in grid mode"):
        load_sweep(p)
    p = _write(tmp_path, "site: phoenix-az\naxes:\n  fleet.phases[3].count: [1]\n")
    with pytest.raises(InputError, match=r"axes\.fleet\.phases\[3\]\.count: value 1: index \[3\] out of range"):
        load_sweep(p)


def test_cli_bad_spec_exits_2_with_one_line(tmp_path, capsys):
    p = _write(tmp_path, "site: phoenix-az\naxes:\n  solar.dc_kw: [0, -1]\n")
    assert main(["sweep", str(p), "-q", "--out", str(tmp_path / "o.parquet")]) == 2
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1 and "s.yaml: axes.solar.dc_kw: value -1" in err
    assert not (tmp_path / "o.parquet").exists()


def test_example_spec_loads():
    spec = load_sweep(DATA / "sweeps" / "example.yaml")
    # 3 sites x 2 fleet sizes x 2 cooling types x 2 PV sizes, as the file's comment says
    assert len(spec.cases()) == 24
    # every site's first phase is 8-GPU servers, the unit the fleet-size axis counts
    from dcplan import power
    assert {power.hardware(c.site.fleet.phases[0].hardware).accelerators_per_unit for c in spec.cases()} == {8}


# ---------------------------------------------------------------------------
# running

def test_in_process_sweep_figures_equal_direct_calls(tmp_path, pf):
    from dcplan.weather import climate_summary, load_site_weather
    spec = SweepSpec(sites=[pf["chicago-il"]], case=CLIMATE, name="t",
                     fixed={"cooling.liquid_class": "W32"},  # chicago-il's YAML has none
                     axes={"cooling.type": ["air", "liquid"], "fleet.phases[0].count": [100, 200]})
    res = run_sweep(spec, jobs=1, out=tmp_path / "t.parquet")
    df = res.frame
    assert res.ok and len(df) == 4 and (df["status"] == "ok").all()
    # reference: the weather module called directly, and the hours counted by hand with numpy
    w = load_site_weather(pf["chicago-il"])
    ref = climate_summary(w)
    for k, v in ref.items():
        assert np.allclose(df[k], v, rtol=0, atol=1e-12), k  # same data, same arithmetic
    air = df[df["cooling.type"] == "air"].iloc[0]
    liq = df[df["cooling.type"] == "liquid"].iloc[0]
    assert air["free_cooling_max_h"] == float((w["temp_air"] <= 27.0).sum())          # ASHRAE 27 degC
    assert liq["free_cooling_max_h"] == float((w["temp_wet_bulb_degc"] <= 32.0).sum())  # W32, tower
    # the fleet override reaches the site: phase 0 replaced, later phases (if any) kept
    rest = sum(p.count for p in pf["chicago-il"].fleet.phases[1:])
    assert sorted(df["units_total"]) == [100 + rest, 100 + rest, 200 + rest, 200 + rest]
    # the file holds exactly the returned frame
    back = read_results(tmp_path / "t.parquet")
    pd.testing.assert_frame_equal(back.drop(columns=["error"]), df.drop(columns=["error"]),
                                  check_dtype=False)
    # no temp files left, nor the results file's lock (removed when the run ends)
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []


def test_failing_case_is_a_row_and_the_sweep_completes(tmp_path, pf, capsys):
    spec_file = _write(tmp_path, """name: f
portfolio: default
fixed:
  cooling.liquid_class: W32  # chicago-il's YAML has none; a liquid plant needs one
axes:
  site: [phoenix-az, chicago-il]
  cooling.type: [air, liquid]
""")
    out = tmp_path / "f.parquet"
    assert main(["sweep", str(spec_file), "-j", "1", "-q", "--out", str(out), "--csv",
                 "--case", "test_sweep:boom_on_air"]) == 1
    df = read_results(out)
    failed = df[df["status"] == "failed"]
    assert sorted(failed["site"]) == ["chicago-il", "phoenix-az"]
    assert failed["error"].str.contains("RuntimeError: boom: air cooling at").all()
    assert failed["temp_air_max_degc"].isna().all()
    ok = df[df["status"] == "ok"]
    assert len(ok) == 2 and ok["error"].isna().all() and ok["temp_air_max_degc"].notna().all()
    assert (tmp_path / "f.csv").is_file() and len(pd.read_csv(tmp_path / "f.csv")) == 4
    printed = capsys.readouterr().out
    assert "2 failed" in printed and "FAILED" in printed


def test_a_csv_beside_the_results_is_never_overwritten_nor_left_out_of_date(tmp_path, pf):
    spec = SweepSpec(sites=[pf["phoenix-az"]], case="test_sweep:counting_case", name="c",
                     axes={"solar.dc_kw": [0.0, 100.0]})
    out = tmp_path / "c.parquet"
    # a CSV of the user's own where --csv would write: left alone by a run without --csv; kept beside the new
    # CSV by a run with it (tests/test_sweep_csv_kept.py; refused before any case ran, until the exports' record)
    (tmp_path / "c.csv").write_text("my,own,notes\n")
    run_sweep(spec, jobs=1, out=out)
    assert (tmp_path / "c.csv").read_text() == "my,own,notes\n"
    with pytest.warns(DcplanWarning, match=r"c\.csv was not written there by dcplan .* your version is kept as "
                                           r".*c\.kept-\d{8}T\d{6}Z\.csv, not overwritten"):
        run_sweep(spec, jobs=1, out=out, csv=True)
    kept = next(tmp_path.glob("c.kept-*.csv"))
    assert kept.read_text() == "my,own,notes\n"
    for f in ((tmp_path / "c.csv"), out, kept, tmp_path / ".dcplan-exports.json"):
        f.unlink()
    # run A writes the CSV; a re-run without --csv that changes nothing leaves it and says nothing;
    # run B (other cases, no --csv) copies A's pair to .previous, leaves A's CSV as it was (it
    # may be the only copy, or carry the user's own columns) and says it no longer matches
    notes = []
    run_sweep(spec, jobs=1, out=out, csv=True)
    a_bytes = (tmp_path / "c.csv").read_bytes()
    a = pd.read_csv(tmp_path / "c.csv")
    run_sweep(spec, jobs=1, out=out, notify=notes.append)
    assert (tmp_path / "c.csv").read_bytes() == a_bytes and not notes
    spec_b = SweepSpec(sites=[pf["phoenix-az"]], case="test_sweep:counting_case", name="c",
                       axes={"solar.dc_kw": [200.0]})
    run_sweep(spec_b, jobs=1, out=out, notify=notes.append)
    assert (tmp_path / "c.csv").read_bytes() == a_bytes
    pd.testing.assert_frame_equal(pd.read_csv(tmp_path / "c.previous.csv"), a)
    assert set(pd.read_parquet(tmp_path / "c.previous.parquet")["case_id"]) == set(a["case_id"])
    assert any("c.csv is an earlier run's CSV and no longer matches" in n for n in notes)


def test_values_a_run_would_trip_on_are_refused_before_any_case_runs(tmp_path, pf):
    # a hardware key not in the catalog, a tariff file that does not parse: the spec validates,
    # every such case would fail in its run; refused up front, naming the axis and value
    with pytest.raises(InputError, match=r"axes.fleet.phases\[0\].hardware: value 'hgx-b2000': unknown "
                                         r"'hgx-b2000' \(did you mean 'hgx-b200'\?\).*\(site phoenix-az\)"):
        SweepSpec(sites=[pf["phoenix-az"]], case=CLIMATE, axes={"fleet.phases[0].hardware": ["hgx-b200", "hgx-b2000"]})
    # a catalog row that is no server or rack (a bare GPU board) is refused as load_site refuses it
    with pytest.raises(InputError, match=r"axes.fleet.phases\[0\].hardware: value 'h100-sxm': 'h100-sxm' is an "
                                         r"accelerator in data/hardware.csv, not a server or rack"):
        SweepSpec(sites=[pf["phoenix-az"]], case=CLIMATE, axes={"fleet.phases[0].hardware": ["hgx-b200", "h100-sxm"]})
    bad = tmp_path / "bad.json"
    bad.write_text('{"energyratestructure": [[{"rate": 0.1}]], "energyweekdayschedule": [[1]]}')
    with pytest.raises(InputError, match=r"fixed.tariff.file: value .*bad.json': energyweekendschedule: missing"):
        SweepSpec(sites=[pf["research-triangle-nc"]], case=CLIMATE, fixed={"tariff.file": str(bad)})
    # an air case of a liquid-only rack fleet fails in its run, with the reason; the values are not
    # refused one by one up front, since another axis may change the fleet (H100 servers on air)
    nova = pf["northern-virginia"]
    spec = SweepSpec(sites=[nova], case=CLIMATE, axes={"fleet.phases[0].hardware": ["hgx-h100", "gb200-nvl72"],
                                                       "fleet.phases[1].hardware": ["hgx-h100"],
                                                       "cooling.type": ["air", "liquid"]})
    assert len(spec.cases()) == 4
    from dcplan.pipeline import case_figures
    with pytest.raises(InputError, match=r"fleet.phases\[0\].hardware: 'gb200-nvl72' is liquid-cooled .* and "
                                         r"cooling.type is 'air'"):
        case_figures(apply_overrides(nova, {"cooling.type": "air"}))


def test_a_folder_where_a_results_file_goes_is_refused_before_any_case_runs(tmp_path, pf):
    spec = SweepSpec(sites=[pf["phoenix-az"]], case="test_sweep:counting_case", name="d",
                     axes={"solar.dc_kw": [0.0, 100.0]})
    for name in ("d.csv", "d.previous.parquet", "d.previous.csv"):   # with --csv: each is written
        (tmp_path / name).mkdir()
        _CALLS["n"] = 0
        with pytest.raises(InputError, match=rf"{name}: --out: is a folder where the sweep writes a results file"):
            run_sweep(spec, jobs=1, out=tmp_path / "d.parquet", csv=True)
        assert _CALLS["n"] == 0
        (tmp_path / name).rmdir()


@pytest.mark.parametrize("rng, text", [({"min": 0, "max": float("inf"), "steps": 3}, "range max must be a finite "
                                                                                 "number, got inf"),
                                        ({"min": float("nan"), "max": 1, "steps": 3}, "range min must be a finite "
                                                                                     "number, got nan")])
def test_a_range_axis_needs_finite_ends(pf, rng, text, recwarn):
    with pytest.raises(InputError, match=rf"axes.solar.dc_kw: {text}"):
        SweepSpec(sites=[pf["phoenix-az"]], case=CLIMATE, axes={"solar.dc_kw": rng})
    assert not [w for w in recwarn if issubclass(w.category, RuntimeWarning)]   # numpy warned first


def test_an_axis_value_given_twice_is_an_error(pf):
    # 0 and 0.0 made two cases of the same site-year (two case ids: the overrides' JSON differs)
    with pytest.raises(InputError, match=r"axes.solar.dc_kw: value 0.0 \(item 2\) repeats 0 \(item 0\); each "
                                         r"value once"):
        SweepSpec(sites=[pf["phoenix-az"]], case=CLIMATE, axes={"solar.dc_kw": [0, 100, 0.0]})


def test_a_sweep_name_is_a_file_name(pf):
    for bad in ("../../x", "/tmp/x", "a\\b", "..", " ", "c:x"):
        with pytest.raises(InputError, match=r"name: name .* is not allowed: it names the default results file"):
            SweepSpec(sites=[pf["phoenix-az"]], case=CLIMATE, name=bad)
    assert SweepSpec(sites=[pf["phoenix-az"]], case=CLIMATE, name="phoenix 2026 v2").name == "phoenix 2026 v2"
    # with out: the name is only a label
    assert SweepSpec(sites=[pf["phoenix-az"]], case=CLIMATE, name="AZ: 2026/27", out="az.parquet").name == "AZ: 2026/27"


def test_rerun_skips_finished_cases_and_retries_failed(tmp_path, pf):
    spec = SweepSpec(sites=[pf["phoenix-az"]], case="test_sweep:boom_until_fixed", name="r",
                     axes={"cooling.type": ["air", "liquid"], "solar.dc_kw": [0.0, 100.0]})
    out = tmp_path / "r.parquet"
    _BOOM["on"] = True
    try:
        r1 = run_sweep(spec, jobs=1, out=out)
        assert (r1.n_ran, r1.n_reused, r1.n_failed) == (4, 0, 2)
    finally:
        _BOOM["on"] = False   # the "bug" is fixed (in a module the fingerprint does not cover)
    _CALLS["n"] = 0
    r2 = run_sweep(spec, jobs=1, out=out)
    # the two ok cases are reused untouched; only the two failed ones run again
    assert (r2.n_ran, r2.n_reused) == (2, 2) and _CALLS["n"] == 2
    assert r2.ok and len(r2.frame) == 4
    _CALLS["n"] = 0
    r3 = run_sweep(spec, jobs=1, out=out)
    assert (r3.n_ran, r3.n_reused) == (0, 4) and _CALLS["n"] == 0
    # a new axis value adds cases; the old ones are still reused
    spec2 = SweepSpec(sites=[pf["phoenix-az"]], case="test_sweep:boom_until_fixed", name="r",
                      axes={"cooling.type": ["air", "liquid"], "solar.dc_kw": [0.0, 100.0, 200.0]})
    r4 = run_sweep(spec2, jobs=1, out=out)
    assert (r4.n_ran, r4.n_reused) == (2, 4)
    # another case function computes other columns: nothing is reused
    r5 = run_sweep(spec2, jobs=1, out=out, case="test_sweep:counting_case")
    assert (r5.n_ran, r5.n_reused) == (6, 0)


def test_rows_are_not_reused_after_a_site_file_changed(tmp_path, pf):
    # the case id hashes the site id and overrides; the site's own files count too
    import shutil
    site_file = tmp_path / "phoenix-az.yaml"
    shutil.copy(pf["phoenix-az"].source_file, site_file)
    text = site_file.read_text()
    wfile = pf["phoenix-az"].weather_path
    text = text.replace(f"file: {pf['phoenix-az'].weather.file}", f"file: {wfile}")
    site_file.write_text(text)
    from dcplan.site import load_site
    spec = SweepSpec(sites=[load_site(site_file)], case="test_sweep:counting_case", name="e",
                     axes={"solar.dc_kw": [0.0, 100.0]})
    out = tmp_path / "e.parquet"
    assert run_sweep(spec, jobs=1, out=out).n_ran == 2
    assert run_sweep(spec, jobs=1, out=out).n_reused == 2
    site_file.write_text(text + "\n# edited\n")
    spec = SweepSpec(sites=[load_site(site_file)], case="test_sweep:counting_case", name="e",
                     axes={"solar.dc_kw": [0.0, 100.0]})
    assert (lambda r: (r.n_ran, r.n_reused))(run_sweep(spec, jobs=1, out=out)) == (2, 0)


def test_sigterm_stops_a_sweep_like_ctrl_c(tmp_path):
    # a batch scheduler's SIGTERM: "interrupted", exit 143 (128 + SIGTERM), every case finished before it saved
    # (the flush every few seconds would have lost them), as Ctrl-C does. The case running when it came (the 3rd,
    # in this process: -j 1) finishes and is kept, as a parallel sweep's running cases are (dcplan._interrupt)
    spec_file = _write(tmp_path, "name: t\nsite: phoenix-az\naxes:\n  solar.dc_kw: [0, 1, 2, 3, 4]\n")
    out = tmp_path / "t.parquet"
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(ROOT), str(HERE)]), "DCPLAN_TEST_TERM": "1"}
    proc = subprocess.run([sys.executable, "-m", "dcplan", "sweep", str(spec_file), "-j", "1", "-q",
                           "--case", "test_sweep:term_on_third", "--out", str(out)],
                          env=env, capture_output=True, text=True, timeout=120, cwd=tmp_path)
    assert proc.returncode == 143 and "dcplan: interrupted (SIGTERM)" in proc.stderr, proc.stderr
    kept = read_results(out)
    assert list(kept["solar.dc_kw"]) == [0, 1, 2] and (kept["status"] == "ok").all()  # the 4th never started


@needs_proc
def test_sigterm_to_the_process_group_stops_a_parallel_sweep_cleanly(tmp_path):
    # scancel sends SIGTERM to the sweep and its workers at once. The pool's manager thread then
    # fails the tasks of the dead workers while the sweep cancels its queued ones: on Python 3.11
    # that race printed an InvalidStateError traceback (CPython gh-107219); cancelling is now
    # left to the pool's own thread. Exit 143, finished cases kept, no process left behind.
    spec_file = _write(tmp_path, "name: g\nsite: phoenix-az\naxes:\n  solar.dc_kw: {min: 0, max: 39, steps: 40}\n")
    out = tmp_path / "g.parquet"
    proc = _sweep_in_own_group(tmp_path, spec_file, out, case="test_sweep:term_group_at_ten",
                               DCPLAN_TEST_TERM_GROUP="1")
    try:
        _, err = proc.communicate(timeout=120)
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, signal.SIGKILL)
    assert proc.returncode == 143 and "dcplan: interrupted (SIGTERM)" in err, err
    assert "Traceback" not in err and "InvalidStateError" not in err, err
    kept = read_results(out)
    assert (kept["status"] == "ok").all() and 10 not in set(kept["solar.dc_kw"])
    def alive_in_group():  # processes of the sweep's group still running (not zombies awaiting init)
        out = []
        for stat in Path("/proc").glob("[0-9]*/stat"):
            with contextlib.suppress(OSError):
                fields = stat.read_text().rpartition(")")[2].split()
                if int(fields[2]) == proc.pid and fields[0] != "Z":
                    out.append(stat.parent.name)
        return out

    deadline = time.monotonic() + 5.0
    while alive_in_group() and time.monotonic() < deadline:
        time.sleep(0.1)
    assert alive_in_group() == []  # no worker outlived the sweep


@needs_proc
def test_ctrl_c_in_a_terminal_keeps_the_running_cases_and_starts_no_other(tmp_path):
    # A terminal's Ctrl-C reaches the sweep and its workers (the process group). The workers
    # raised KeyboardInterrupt and lost their running cases, and a task the pool had already
    # handed to a worker started a case after the interrupt. Now the running cases finish and
    # are kept, and none starts after the Ctrl-C.
    spec_file = _write(tmp_path, "name: c\nsite: phoenix-az\naxes:\n  solar.dc_kw: [0, 1, 2, 3, 4, 5, 6, 7]\n")
    out = tmp_path / "c.parquet"
    proc = _sweep_in_own_group(tmp_path, spec_file, out, DCPLAN_TEST_SLEEP_S="4")
    try:
        _wait_for_marks(tmp_path, 2)
        started = sorted(p.name for p in tmp_path.glob("started-*"))
        os.killpg(proc.pid, signal.SIGINT)
        _, err = proc.communicate(timeout=60)
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, signal.SIGKILL)
    assert proc.returncode == 130 and "dcplan: interrupted" in err and "Traceback" not in err, err
    assert sorted(p.name for p in tmp_path.glob("started-*")) == started  # none started after
    kept = read_results(out)
    assert sorted(f"started-{v:g}" for v in kept["solar.dc_kw"]) == started and (kept["status"] == "ok").all()


@needs_proc
def test_second_ctrl_c_stops_running_cases_of_a_parallel_sweep(tmp_path):
    # the first Ctrl-C lets the running cases finish; a second one while waiting stops the
    # workers at once: exit 130 within seconds, not after the minute-long cases
    spec_file = _write(tmp_path, "name: s\nsite: phoenix-az\naxes:\n  solar.dc_kw: [0, 1, 2, 3]\n")
    proc = _sweep_in_own_group(tmp_path, spec_file, tmp_path / "s.parquet")
    try:
        _wait_for_marks(tmp_path, 1)
        os.killpg(proc.pid, signal.SIGINT)
        time.sleep(1.0)
        assert proc.poll() is None  # waiting for the running cases
        t0 = time.monotonic()
        os.killpg(proc.pid, signal.SIGINT)
        _, err = proc.communicate(timeout=30)
        waited = time.monotonic() - t0
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, signal.SIGKILL)
    assert proc.returncode == 130 and "dcplan: interrupted" in err and "Traceback" not in err, err
    assert waited < 15.0
    assert not (tmp_path / "s.parquet").exists()  # no case finished: nothing to keep


def test_killed_sweep_keeps_finished_cases_and_resumes(tmp_path):
    spec_file = _write(tmp_path, """name: k
site: phoenix-az
axes:
  solar.dc_kw: [0, 1, 2, 3, 4]
""")
    out = tmp_path / "k.parquet"
    script = ("import sys; from dcplan.sweep import run_sweep; "
              f"run_sweep({str(spec_file)!r}, jobs=1, out={str(out)!r}, flush_every=1, "
              "case='test_sweep:kill_on_third')")
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(ROOT), str(HERE)]), "DCPLAN_TEST_KILL": "1"}
    proc = subprocess.run([sys.executable, "-c", script], env=env, capture_output=True, timeout=120)
    assert proc.returncode == -signal.SIGKILL
    kept = read_results(out)
    assert list(kept["solar.dc_kw"]) == [0, 1] and (kept["status"] == "ok").all()
    _CALLS["n"] = 0
    res = run_sweep(spec_file, jobs=1, out=out, case="test_sweep:kill_on_third")  # no kill here
    assert (res.n_reused, res.n_ran) == (2, 3) and res.ok and _CALLS["n"] == 3
    assert list(res.frame["solar.dc_kw"]) == [0, 1, 2, 3, 4]


def test_weather_loaded_once_per_worker(tmp_path, pf, pool2):
    spec = SweepSpec(sites=[pf["chicago-il"]], case="test_sweep:weather_loads", name="w",
                     axes={"solar.dc_kw": [float(i) for i in range(8)]})
    clear_caches()
    r = run_sweep(spec, jobs=1, write=False)
    assert (r.frame["weather_loads"] == 1).all()          # 8 cases, one parse in this process
    r = run_sweep(spec, executor=pool2, write=False)
    df = r.frame
    assert r.ok and df["pid"].nunique() <= 2 and (df["pid"] != os.getpid()).all()
    assert (df["weather_loads"] == 1).all()               # one parse in each worker process
    # the cache is keyed by path + mtime + size: unchanged file -> no re-parse, edited -> re-parse
    src = pf["chicago-il"].weather_path
    copy = tmp_path / src.name
    copy.write_bytes(src.read_bytes())
    s = apply_overrides(pf["chicago-il"], {"weather.file": str(copy)})
    key = f"weather:{copy.resolve()}"
    site_weather(s)
    site_weather(s)
    assert load_counts()[key] == 1
    st = copy.stat()
    os.utime(copy, ns=(st.st_atime_ns, st.st_mtime_ns + 10**9))
    site_weather(s)
    assert load_counts()[key] == 2


def test_pareto_front_hand_example():
    df = pd.DataFrame({"cost": [1.0, 2.0, 3.0, 2.0, np.nan], "risk": [3.0, 2.0, 1.0, 3.0, 0.0]})
    # (2,3) is dominated by (2,2); the NaN row is never on the front
    assert list(pareto_front(df, ["cost", "risk"])) == [True, True, True, False, False]


def test_pipeline_cases_keep_the_energy_balance(pf):
    pytest.importorskip("dcplan.pipeline")
    site = pf["research-triangle-nc"]
    spec = SweepSpec(sites=[site], name="p", axes={"solar.dc_kw": [0.0, 500.0, 4000.0]})
    res = run_sweep(spec, jobs=1, write=False)  # default case function: the hourly chain
    assert res.ok, res.table()
    no_pv, small, pv = (res.frame.iloc[i] for i in range(3))
    # hand energy balance: PV does not change the facility draw; grid import = facility - PV,
    # clipped at 0 (export is not counted). So the import falls by at most the PV energy, and by
    # exactly the PV energy when PV never exceeds the load: 500 kW DC gives <= 0.42 MW AC
    # (DC/AC 1.2), far below the draw of 512 HGX H100 servers even when idle (> 1 MW)
    assert no_pv["pv_mwh"] == 0.0 and 0.0 < small["pv_mwh"] < pv["pv_mwh"]
    assert pv["facility_mwh"] == pytest.approx(no_pv["facility_mwh"], rel=1e-12)
    assert no_pv["grid_mwh"] - small["grid_mwh"] == pytest.approx(small["pv_mwh"], rel=1e-9)
    assert 0.0 < no_pv["grid_mwh"] - pv["grid_mwh"] <= pv["pv_mwh"] * (1 + 1e-12)
    # what PV the load cannot take is spilled: grid = facility - PV + spilled, hour by hour summed
    assert small["pv_spilled_mwh"] == 0.0
    for row in (no_pv, small, pv):
        assert row["grid_mwh"] == pytest.approx(row["facility_mwh"] - row["pv_mwh"] + row["pv_spilled_mwh"],
                                                rel=1e-9)
    # the sweep row equals a direct call of the chain with the same overrides
    from dcplan.pipeline import case_figures
    big = case_figures(apply_overrides(site, {"solar.dc_kw": 40000.0}))   # 33 MW AC on a ~5 MW load
    assert big["pv_spilled_mwh"] > 0.2 * big["pv_mwh"]
    assert big["grid_mwh"] == pytest.approx(big["facility_mwh"] - big["pv_mwh"] + big["pv_spilled_mwh"], rel=1e-9)
    direct = case_figures(apply_overrides(site, {"solar.dc_kw": 4000.0}))
    for k, v in direct.items():
        if isinstance(v, (int, float)) and v is not None:
            assert pv[k] == pytest.approx(v, rel=1e-12), k


def exit_on_air(site, weather):
    """Kills its worker process (no exception, no result) for air-cooled cases."""
    if site.cooling.type == "air":
        os._exit(3)
    return {"temp_air_max_degc": float(weather["temp_air"].max())}


def test_worker_process_that_dies_fails_cases_not_the_sweep(tmp_path, pf):
    spec = SweepSpec(sites=[pf["chicago-il"]], case="test_sweep:exit_on_air", name="x",
                     fixed={"cooling.liquid_class": "W32"},  # a liquid plant needs a class
                     axes={"cooling.type": ["liquid", "air"], "solar.dc_kw": [0.0, 1.0]})
    res = run_sweep(spec, jobs=2, out=tmp_path / "x.parquet")
    df = res.frame
    # every case has a row; the air cases are failed with the pool's error. A dead local worker
    # breaks the whole process pool, losing the cases in flight with it: those are retried one
    # case per task, then alone, so the liquid cases are ok and only the cases that kill their
    # worker fail
    assert len(df) == 4 and not res.ok
    air = df[df["cooling.type"] == "air"]
    assert (air["status"] == "failed").all()
    assert air["error"].str.contains(r"worker failed: BrokenProcessPool.*\(retried alone after: "
                                     r"BrokenProcessPool").all()
    assert (df.loc[df["cooling.type"] == "liquid", "status"] == "ok").all(), df[["status", "error"]]
    assert read_results(tmp_path / "x.parquet")["case_id"].tolist() == df["case_id"].tolist()


def test_pipeline_reads_weather_and_tariff_once_per_worker(pf, pool2):
    pytest.importorskip("dcplan.pipeline")
    site = pf["phoenix-az"]
    assert site.tariff is not None
    spec = SweepSpec(sites=[site], case="test_sweep:pipeline_counting_reads", name="c",
                     axes={"solar.dc_kw": [0.0, 1000.0, 2000.0, 3000.0, 4000.0, 5000.0]})
    res = run_sweep(spec, executor=pool2, write=False)
    df = res.frame
    assert res.ok, res.table()
    # 6 cases on at most 2 workers: each worker parsed the weather file and the tariff once
    assert (df["weather_reads"] == 1).all() and (df["tariff_reads"] == 1).all()
    assert df["worker"].nunique() <= 2


def test_cli_shows_progress_with_eta(tmp_path, capsys, monkeypatch):
    import dcplan.cli
    p = _write(tmp_path, f"site: chicago-il\naxes:\n  solar.dc_kw: [0, 1, 2]\ncase: {CLIMATE}\n")
    monkeypatch.setattr(dcplan.cli, "_isatty", lambda stream: True)  # the bar is drawn on a terminal only
    assert main(["sweep", str(p), "-j", "1", "--out", str(tmp_path / "p.parquet")]) == 0
    err = capsys.readouterr().err
    # tqdm's bar: count, elapsed<remaining (the ETA) and rate
    assert "dcplan sweep s" in err and "3/3" in err and "<" in err and "case/s" in err


def test_existing_file_that_is_not_a_sweep_is_never_overwritten(tmp_path, pf):
    out = tmp_path / "mine.parquet"
    pd.DataFrame({"x": [1.0, 2.0]}).to_parquet(out)
    before = out.read_bytes()
    spec = SweepSpec(sites=[pf["chicago-il"]], case=CLIMATE, axes={"solar.dc_kw": [0.0]})
    with pytest.raises(InputError, match=r"mine\.parquet: exists and is not a dcplan sweep result"):
        run_sweep(spec, jobs=1, out=out)
    with pytest.raises(InputError, match="not a dcplan sweep result"):
        run_sweep(spec, jobs=1, out=out, resume=False)
    assert out.read_bytes() == before


def test_sweep_file_cannot_choose_arbitrary_code(tmp_path, capsys):
    # no code execution from data: a YAML may only name dcplan's own case functions
    spec_file = _write(tmp_path, """name: evil
site: phoenix-az
axes:
  solar.dc_kw: [0, 1]
case: os:getcwd
""")
    with pytest.raises(InputError, match=r"s\.yaml: case: case 'os:getcwd': a sweep file may only name dcplan"):
        load_sweep(spec_file)
    assert main(["sweep", str(spec_file), "-q", "--out", str(tmp_path / "e.parquet")]) == 2
    assert "may only name dcplan" in capsys.readouterr().err
    assert not (tmp_path / "e.parquet").exists()


def test_unwritable_output_is_one_line_before_any_case_runs(tmp_path, capsys):
    blocker = tmp_path / "a-file"
    blocker.write_text("x")
    _CALLS["n"] = 0
    rc = main(["sweep", str(ROOT / "data" / "sweeps" / "example.yaml"), "-q", "-j", "1",
               "--case", "test_sweep:counting_case", "--out", str(blocker / "x.parquet")])
    err = capsys.readouterr().err.strip().splitlines()
    assert rc == 2 and len(err) == 1 and "a-file/x.parquet" in err[0] and "--out" in err[0]
    assert err[0].endswith(f"cannot write results there: {blocker} is a file, not a folder")  # not "File exists"
    assert _CALLS["n"] == 0  # nothing ran


# ---------------------------------------------------------------------------
# short cases are grouped into tasks; every case keeps its own row

def test_batch_size_hand_values():
    from dcplan.sweep import TASK_MAX_CASES, TASK_TARGET_S, _batch_size
    assert TASK_TARGET_S == 0.25
    # 25 ms cases: 10 make a 0.25 s task, 100 left on 2 slots allow 25 per task
    assert _batch_size([0.025] * 5, left=100, slots=2) == 10
    # near the end, two tasks per slot are kept for balance: 10 left on 2 slots -> 2 per task
    assert _batch_size([0.025] * 5, left=10, slots=2) == 2
    assert _batch_size([0.025] * 5, left=3, slots=2) == 1
    # long cases stay one per task; tiny ones are capped
    assert _batch_size([0.4, 0.5, 0.6], left=1000, slots=2) == 1
    assert _batch_size([1e-6], left=10**6, slots=2) == TASK_MAX_CASES
    # the median, not a slow outlier, decides
    assert _batch_size([0.05, 0.05, 3.0], left=100, slots=2) == 5


class _CountingPool(cf.Executor):
    """Two slots (``_max_workers``, as a thread pool says); runs each task at once, in order, in this thread, and
    counts the tasks. A task that holds the case with dc_kw 13 is lost (its future fails, as when a worker dies).
    Each row's measured ``seconds`` is replaced by :data:`_CASE_S`: the grouping is decided by those times, and
    measured ones made it depend on the machine's load (a load average of 14 gave 51 tasks, not fewer than 40)."""

    _max_workers = 2

    def __init__(self):
        self.tasks = []

    def submit(self, fn, /, *args, **kwargs):
        items = args[1]
        kws = [it[1].get("solar.dc_kw") for it in items]
        self.tasks.append(kws)
        f = cf.Future()
        if 13.0 in kws:
            f.set_exception(RuntimeError("lost"))
        else:
            f.set_result([{**row, "seconds": _CASE_S} for row in fn(*args, **kwargs)])
        return f


#: The wall time the pool above reports for every case. [s]
_CASE_S = 0.05


def test_short_cases_are_grouped_into_tasks_with_a_row_each(pf):
    from dcplan.pipeline import site_weather
    from dcplan.sweep import TASK_TARGET_S
    spec = SweepSpec(sites=[pf["chicago-il"]], case="test_sweep:counting_case", name="g",
                     axes={"solar.dc_kw": [float(i) for i in range(48)]})
    pool = _CountingPool()
    df = run_sweep(spec, executor=pool, write=False).frame
    # by hand: 2 slots keep 4 x 2 = 8 tasks in flight, one case each until cases are timed; then 50 ms cases make
    # tasks of TASK_TARGET_S / 50 ms = 5 cases (two tasks per slot would allow 40 // 4 = 10): the 40 left go as
    # 8 tasks of 5. The task of cases 13..17 is lost: after the others its cases are retried one per task, and
    # 13, lost again, once more alone: only it fails, with both reasons; its task-mates run
    assert TASK_TARGET_S / _CASE_S == pytest.approx(5)
    k = [float(i) for i in range(48)]
    assert pool.tasks == ([[x] for x in k[:8]] + [k[i:i + 5] for i in range(8, 48, 5)]
                          + [[x] for x in k[13:18]] + [[13.0]])
    bad = df[df["status"] == "failed"]
    assert list(bad["solar.dc_kw"]) == [13.0]
    assert bad["error"].str.contains(r"worker failed: RuntimeError: lost \(retried alone after: "
                                     r"RuntimeError: lost\)").all()
    assert df["case_id"].tolist() == [c.case_id for c in spec.cases()]  # a row each, in case order
    good = df[df["status"] == "ok"]
    assert len(good) == 47
    # the case's own figure (the solar size does not change the weather): the mean dry bulb, exactly
    assert (good["temp_air_mean_degc"] == float(site_weather(pf["chicago-il"])["temp_air"].mean())).all()


def test_rows_are_not_reused_after_a_file_an_axis_names_changed(tmp_path, pf):
    import shutil
    tariff = tmp_path / "t.json"
    shutil.copy(pf["phoenix-az"].tariff_path, tariff)
    spec = SweepSpec(sites=[pf["phoenix-az"]], case="test_sweep:counting_case", name="f",
                     axes={"tariff.file": [str(tariff)], "solar.dc_kw": [0.0, 100.0]})
    out = tmp_path / "f.parquet"
    assert run_sweep(spec, jobs=1, out=out).n_ran == 2
    assert run_sweep(spec, jobs=1, out=out).n_reused == 2
    tariff.write_text(tariff.read_text().replace("{", "{ ", 1))   # same tariff, edited file
    assert (lambda r: (r.n_ran, r.n_reused))(run_sweep(spec, jobs=1, out=out)) == (2, 0)


# ---------------------------------------------------------------------------
# review fixes: spec errors at load, resume after a case function or a spec changed

def test_grid_range_values_are_all_checked_before_running(tmp_path):
    # integer bounds 10..110 in 4 steps: linspace gives 10, 43.33.., 76.66.., 110 (10 + 100/3 by
    # hand); fleet counts are integers, so two of four cases could only fail at run time
    p = _write(tmp_path, "site: phoenix-az\naxes:\n  fleet.phases[0].count: {min: 10, max: 110, steps: 4}\n")
    with pytest.raises(InputError, match=r"s\.yaml: axes\.fleet\.phases\[0\]\.count: value 43\.33.*"
                                         r"valid integer.*\(max - min\) / \(steps - 1\) is whole"):
        load_sweep(p)
    # 10..100 in 4 steps is 10, 40, 70, 100: whole, so it loads as integers
    p = _write(tmp_path, "site: phoenix-az\naxes:\n  fleet.phases[0].count: {min: 10, max: 100, steps: 4}\n")
    assert [c.axis_values["fleet.phases[0].count"] for c in load_sweep(p).cases()] == [10, 40, 70, 100]
    # a count of 0 leaves phoenix-az (one phase) with no units: refused before running
    p = _write(tmp_path, "site: phoenix-az\naxes:\n  fleet.phases[0].count: [0, 10]\n")
    with pytest.raises(InputError, match=r"axes\.fleet\.phases\[0\]\.count: value 0: .*the fleet has no units"):
        load_sweep(p)


def test_lhs_sampling_works_with_the_oldest_allowed_scipy(pf, monkeypatch):
    # requirements allow scipy 1.12; LatinHypercube takes rng= only from 1.15 (seed= before)
    from scipy.stats import qmc
    real = qmc.LatinHypercube
    spec = SweepSpec(sites=[pf["phoenix-az"]], mode="sample", samples=5, seed=3,
                     axes={"solar.dc_kw": {"min": 0.0, "max": 1000.0}})
    want = spec.points()

    class OldLatinHypercube(real):  # scipy 1.12-1.14 signature
        def __init__(self, d, *, seed=None):
            super().__init__(d, rng=seed)

    monkeypatch.setattr(qmc, "LatinHypercube", OldLatinHypercube)
    assert spec.points() == want  # the same generator passed under its old name: same points


def test_missing_base_site_or_portfolio_is_an_error_of_the_sweep_file(tmp_path):
    p = _write(tmp_path, "site: phoenix-azz\n")
    with pytest.raises(InputError, match=r"^.*s\.yaml: site: value 'phoenix-azz': no site file or bundled"):
        load_sweep(p)
    p = _write(tmp_path, "portfolio: nosuch.yaml\n")
    with pytest.raises(InputError, match=r"^.*s\.yaml: portfolio: value 'nosuch\.yaml': file not found"):
        load_sweep(p)


def test_bad_seed_out_and_case_are_errors_of_the_sweep_file(tmp_path, capsys):
    p = _write(tmp_path, "site: phoenix-az\nmode: sample\nsamples: 2\nseed: -1\n"
                         "axes:\n  solar.dc_kw: {min: 0, max: 10}\n")
    # numpy refuses a negative seed: it was a traceback when the cases were drawn
    assert main(["sweep", str(p), "-q", "--out", str(tmp_path / "o.parquet")]) == 2
    assert "s.yaml: seed: seed must be an integer >= 0, got -1" in capsys.readouterr().err
    p = _write(tmp_path, "site: phoenix-az\nout: results.csv\n")
    with pytest.raises(InputError, match=r"s\.yaml: out: out must be a \.parquet file name, got 'results\.csv'"):
        load_sweep(p)
    p = _write(tmp_path, "site: phoenix-az\ncase: dcplan.pipeline:case_figurs\n")
    with pytest.raises(InputError, match=r"s\.yaml: case: .*no function 'case_figurs'.*'case_figures'"):
        load_sweep(p)
    assert main(["validate", str(p)]) == 2  # dcplan validate sees it too


def test_rows_are_not_reused_after_the_case_function_file_changed(tmp_path, pf, monkeypatch):
    # README: finished cases are reused only if the case function is unchanged; a case
    # function of one's own (--case) lives outside dcplan's fingerprinted code
    import importlib

    from dcplan.sweep_worker import _wants, resolve_case
    mod = tmp_path / "sweep_review_case.py"
    mod.write_text("def pv(site):\n    return {'pv_kw': float(site.solar.dc_kw)}\n")
    monkeypatch.syspath_prepend(str(tmp_path))
    monkeypatch.setattr(sys, "dont_write_bytecode", True)
    spec = SweepSpec(sites=[pf["phoenix-az"]], case="sweep_review_case:pv", name="c",
                     axes={"solar.dc_kw": [0.0, 100.0]})
    out = tmp_path / "c.parquet"
    try:
        assert run_sweep(spec, jobs=1, out=out).n_ran == 2
        assert run_sweep(spec, jobs=1, out=out).n_reused == 2  # unchanged: reused
        mod.write_text("def pv(site):\n    return {'pv_kw': 2 * float(site.solar.dc_kw)}\n")
        importlib.reload(sys.modules["sweep_review_case"])  # as a new `dcplan sweep` process would
        resolve_case.cache_clear()
        _wants.cache_clear()
        r = run_sweep(spec, jobs=1, out=out)
        assert (r.n_ran, r.n_reused) == (2, 0)
        assert list(read_results(out)["pv_kw"]) == [0.0, 200.0]  # 2 x 100 kW, the edited function
    finally:
        sys.modules.pop("sweep_review_case", None)
        resolve_case.cache_clear()
        _wants.cache_clear()


def test_reused_rows_take_the_axis_columns_of_this_spec(tmp_path, pf):
    # cooling.type moved from fixed to a one-value axis: same overrides, same case ids, so
    # the rows are reused; the axis column must still be there and filled
    site = pf["phoenix-az"]
    out = tmp_path / "m.parquet"
    first = SweepSpec(sites=[site], name="m", case=CLIMATE, fixed={"cooling.type": "air"},
                      axes={"solar.dc_kw": [0.0, 100.0]})
    second = SweepSpec(sites=[site], name="m", case=CLIMATE,
                       axes={"cooling.type": ["air"], "solar.dc_kw": [0.0, 100.0]})
    run_sweep(first, jobs=1, out=out)
    r = run_sweep(second, jobs=1, out=out)
    assert r.n_reused == 2
    fresh = run_sweep(second, jobs=1, write=False).frame
    drop = ["seconds", "cpu_s", "worker"]
    for df in (r.frame, read_results(out)):
        assert list(df["cooling.type"]) == ["air", "air"]
        pd.testing.assert_frame_equal(df.drop(columns=drop), fresh.drop(columns=drop))
    # and back: the former axis column is not left behind as a figure
    r = run_sweep(first, jobs=1, out=out)
    assert r.n_reused == 2 and "cooling.type" not in r.frame.columns


def exit_on_zero_pv(site):
    """Kills its worker process for the case with no PV; the others take 0.2 s."""
    import time
    if site.solar.dc_kw == 0:
        os._exit(3)
    time.sleep(0.2)
    return {"solar_dc_kw": float(site.solar.dc_kw)}


def test_a_dead_worker_does_not_fail_the_cases_not_yet_started(pf):
    # -j 2: 4 x 2 = 8 one-case tasks in flight at first (cases 0-7); the worker running
    # case 0 dies at once and the pool fails what is in flight. Cases 8-11 are submitted
    # after that: they ran into the broken pool and failed; they must run and be ok
    spec = SweepSpec(sites=[pf["phoenix-az"]], case="test_sweep:exit_on_zero_pv", name="z",
                     axes={"solar.dc_kw": [float(i) for i in range(12)]})
    df = run_sweep(spec, jobs=2, write=False).frame
    assert df["status"].iloc[0] == "failed" and "BrokenProcessPool" in df["error"].iloc[0]
    # cases 1-7 were lost with the pool and retried alone: ok too
    assert (df["status"].iloc[1:] == "ok").all(), df[["solar.dc_kw", "status", "error"]]
    assert list(df["solar_dc_kw"].iloc[8:]) == [8.0, 9.0, 10.0, 11.0]


# ---------------------------------------------------------------------------
# the previous results, stale temporaries, fsync

_STOP = {"after": None, "n": 0}


def interrupt_after_n(site, weather):
    """Counts calls like :func:`counting_case`; with ``_STOP["after"] = N`` raises
    KeyboardInterrupt (Ctrl-C) at call N + 1 of this process."""
    if _STOP["after"] is not None and _STOP["n"] >= _STOP["after"]:
        raise KeyboardInterrupt
    _STOP["n"] += 1
    return {"temp_air_mean_degc": float(weather["temp_air"].mean()), "call_no": float(_STOP["n"])}


def _interrupted(spec, out, after, **kw):
    _STOP.update(after=after, n=0)
    try:
        with pytest.raises(KeyboardInterrupt):
            run_sweep(spec, jobs=1, out=out, flush_every=1, case="test_sweep:interrupt_after_n", **kw)
    finally:
        _STOP.update(after=None, n=0)


def test_no_resume_interrupted_at_the_start_keeps_the_previous_complete_results(tmp_path, pf):
    # a finance reviewer's complete results, then `--no-resume` and Ctrl-C after 2 cases:
    # the first save used to replace the file, destroying the complete set
    spec = SweepSpec(sites=[pf["phoenix-az"]], case="test_sweep:interrupt_after_n", name="p",
                     axes={"solar.dc_kw": [0.0, 1.0, 2.0, 3.0, 4.0]})
    out, prev = tmp_path / "p.parquet", tmp_path / "p.previous.parquet"
    _STOP.update(after=None, n=0)
    assert run_sweep(spec, jobs=1, out=out, csv=True).ok
    complete = read_results(out)
    assert list(complete["call_no"]) == [1.0, 2.0, 3.0, 4.0, 5.0] and not prev.exists()
    complete_csv = out.with_suffix(".csv").read_bytes()
    notes = []
    _interrupted(spec, out, after=2, resume=False, csv=True, notify=notes.append)
    # the previous complete set is whole, next to the partial new one (which resume uses)
    pd.testing.assert_frame_equal(read_results(prev), complete)
    assert (tmp_path / "p.previous.csv").read_bytes() == complete_csv
    assert list(read_results(out)["solar.dc_kw"]) == [0.0, 1.0]
    assert len(notes) == 1 and "replaces 5 finished case(s)" in notes[0] and str(prev) in notes[0]
    # resumed: the 2 partial rows are reused, the partial file is NOT kept over the complete set
    _STOP.update(after=None, n=0)
    r = run_sweep(spec, jobs=1, out=out, csv=True, case="test_sweep:interrupt_after_n", notify=notes.append)
    assert (r.n_reused, r.n_ran) == (2, 3) and r.ok and r.previous_path is None
    pd.testing.assert_frame_equal(read_results(prev), complete)
    # a partial --no-resume run of that partial file does not replace .previous either
    _interrupted(spec, out, after=0, resume=False)  # Ctrl-C before any case finished
    assert list(read_results(out)["call_no"]) == [1.0, 2.0, 1.0, 2.0, 3.0]  # untouched
    pd.testing.assert_frame_equal(read_results(prev), complete)
    # a complete run is kept when the next run drops its rows: one generation
    second = read_results(out)
    second_csv = out.with_suffix(".csv").read_bytes()
    r = run_sweep(spec, jobs=1, out=out, resume=False, case="test_sweep:interrupt_after_n")
    assert r.previous_path == prev and "previous results kept as" in r.table()
    pd.testing.assert_frame_equal(read_results(prev), second)
    # this run wrote no CSV: the CSV of the set it replaced is copied with it to .previous (no CSV
    # of an older generation is left there); the CSV itself is left as it was
    assert (tmp_path / "p.previous.csv").read_bytes() == second_csv
    assert out.with_suffix(".csv").read_bytes() == second_csv
    # no temporaries left, nor the results file's lock (sweep_files.results_lock removes it at the end); only the
    # record of the CSV written (dcplan.export_record)
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == [".dcplan-exports.json"]


def test_cases_dropped_from_the_spec_keep_the_previous_file_even_if_the_run_crashes(tmp_path, pf):
    wide = SweepSpec(sites=[pf["phoenix-az"]], case="test_sweep:interrupt_after_n", name="d",
                     axes={"solar.dc_kw": [0.0, 1.0, 2.0, 3.0]})
    narrow = SweepSpec(sites=[pf["phoenix-az"]], case="test_sweep:interrupt_after_n", name="d",
                       axes={"solar.dc_kw": [0.0, 1.0, 5.0, 6.0]})
    out, prev = tmp_path / "d.parquet", tmp_path / "d.previous.parquet"
    _STOP.update(after=None, n=0)
    run_sweep(wide, jobs=1, out=out)
    complete = read_results(out)
    _interrupted(narrow, out, after=1)  # resumes 0 and 1, drops 2 and 3, stops after case 5
    pd.testing.assert_frame_equal(read_results(prev), complete)
    assert list(read_results(out)["solar.dc_kw"]) == [0.0, 1.0, 5.0]
    # a run that only resumes or adds cases drops nothing and keeps nothing
    prev.unlink()
    r = run_sweep(narrow, jobs=1, out=out, case="test_sweep:interrupt_after_n")
    assert (r.n_reused, r.n_ran, r.previous_path) == (3, 1, None) and not prev.exists()


def test_an_interrupted_run_that_dropped_nothing_is_still_kept(tmp_path, pf):
    # complete A; B adds cases (drops nothing, keeps nothing) and is interrupted: the
    # partial file holds A's complete rows, so a later run dropping them keeps it
    a = SweepSpec(sites=[pf["phoenix-az"]], case="test_sweep:interrupt_after_n", name="a",
                  axes={"solar.dc_kw": [0.0, 1.0]})
    b = SweepSpec(sites=[pf["phoenix-az"]], case="test_sweep:interrupt_after_n", name="a",
                  axes={"solar.dc_kw": [0.0, 1.0, 2.0, 3.0]})
    out, prev = tmp_path / "a.parquet", tmp_path / "a.previous.parquet"
    _STOP.update(after=None, n=0)
    run_sweep(a, jobs=1, out=out)
    _interrupted(b, out, after=1)
    assert not prev.exists()
    partial = read_results(out)
    assert list(partial["solar.dc_kw"]) == [0.0, 1.0, 2.0]
    _interrupted(b, out, after=1, resume=False)
    pd.testing.assert_frame_equal(read_results(prev), partial)


def test_a_case_error_is_a_row_and_a_crash_keeps_the_previous_results(tmp_path, pf):
    # the sweep itself crashing (SIGKILL) right after the start of a --no-resume run
    spec_file = _write(tmp_path, """name: c
site: phoenix-az
axes:
  solar.dc_kw: [0, 1, 2, 3, 4]
""")
    out, prev = tmp_path / "c.parquet", tmp_path / "c.previous.parquet"
    _CALLS["n"] = 0
    assert run_sweep(spec_file, jobs=1, out=out, case="test_sweep:kill_on_third").ok
    complete = read_results(out)
    script = ("from dcplan.sweep import run_sweep; "
              f"run_sweep({str(spec_file)!r}, jobs=1, out={str(out)!r}, flush_every=1, resume=False, "
              "case='test_sweep:kill_on_third')")
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(ROOT), str(HERE)]), "DCPLAN_TEST_KILL": "1"}
    proc = subprocess.run([sys.executable, "-c", script], env=env, capture_output=True, timeout=120)
    assert proc.returncode == -signal.SIGKILL
    pd.testing.assert_frame_equal(read_results(prev), complete)
    assert len(read_results(out)) == 2  # the new run's finished cases, for resume


def test_cli_says_where_the_previous_results_are(tmp_path, capsys):
    p = _write(tmp_path, f"site: chicago-il\naxes:\n  solar.dc_kw: [0, 1]\ncase: {CLIMATE}\n")
    out = tmp_path / "q.parquet"
    assert main(["sweep", str(p), "-j", "1", "-q", "--out", str(out)]) == 0
    capsys.readouterr()
    assert main(["sweep", str(p), "-j", "1", "-q", "--out", str(out), "--no-resume"]) == 0
    cap = capsys.readouterr()
    prev = tmp_path / "q.previous.parquet"
    assert f"previous results are kept as {prev}" in cap.err
    assert f"previous results kept as {prev}" in cap.out and prev.is_file()


def test_two_sweeps_never_write_the_same_results_file(tmp_path, capsys):
    # while one run holds the results file (its lock beside it), a second run to the same file
    # is an input error naming it, before it keeps, runs or writes anything; after it, runs go on
    from dcplan.sweep_files import results_lock
    p = _write(tmp_path, f"site: chicago-il\naxes:\n  solar.dc_kw: [0, 1]\ncase: {CLIMATE}\n")
    out = tmp_path / "q.parquet"
    with results_lock(out):
        with pytest.raises(InputError, match=r"q\.parquet: --out: another dcplan sweep is writing"):
            run_sweep(p, jobs=1, out=out)
        assert main(["sweep", str(p), "-j", "1", "-q", "--out", str(out)]) == 2
        assert not out.exists()
    capsys.readouterr()
    assert run_sweep(p, jobs=1, out=out).n_ran == 2 and out.is_file()
    with results_lock(out):   # a sweep that does not write takes no lock
        assert run_sweep(p, jobs=1, out=out, write=False).n_ran == 2


def _dead_pid() -> int:
    proc = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"],
                          capture_output=True, text=True, check=True)
    return int(proc.stdout)


def test_stale_temporaries_of_the_output_are_removed_and_nothing_else(tmp_path, pf):
    import time
    dead, alive = _dead_pid(), os.getppid()
    stale = [f".s.parquet.{dead}-abcd_123.tmp", f".s.csv.{dead}-k2j4h5g6.tmp",
             f".s.parquet.{dead}-abcdefgh.probe", f".s.previous.parquet.{dead}-0a1b2c3d.tmp",
             ".s.parquet.old_leg1.tmp"]  # named as before (no pid), and old
    kept = [f".s.parquet.{alive}-abcdefgh.tmp",   # a live process's write
            ".s.parquet.newleg12.tmp",              # named as before, but recent
            f".other.parquet.{dead}-abcdefgh.tmp", f".s.parquet.{dead}-abcdefgh.tmp.bak",
            f"s.parquet.{dead}-abcdefgh.tmp", ".s.parquet.notes.txt", f".s.parquet.{dead}-abc.tmp",
            f".s.parquet.{dead}-ABCDEFGH.tmp", "s.parquet.x"]
    for name in stale + kept:
        (tmp_path / name).write_text("x")
    old = time.time() - 2 * 3600  # beyond LEGACY_TMP_AGE_S (1 h)
    os.utime(tmp_path / ".s.parquet.old_leg1.tmp", (old, old))
    (tmp_path / "d").mkdir()
    os.symlink(tmp_path / "d", tmp_path / f".s.parquet.{dead}-symlink1.tmp")
    kept.append(f".s.parquet.{dead}-symlink1.tmp")
    spec = SweepSpec(sites=[pf["phoenix-az"]], case=CLIMATE, name="s", axes={"solar.dc_kw": [0.0]})
    assert run_sweep(spec, jobs=1, out=tmp_path / "s.parquet").ok
    left = {p.name for p in tmp_path.iterdir()}
    assert not left & set(stale)
    assert set(kept) <= left
    # and the run says so
    (tmp_path / stale[0]).write_text("x")
    notes = []
    run_sweep(spec, jobs=1, out=tmp_path / "s.parquet", notify=notes.append)
    assert notes == [f"removed 1 temporary file(s) left by a killed sweep next to {tmp_path / 's.parquet'}"]


@needs_proc
def test_results_are_flushed_to_disk_before_they_replace_the_old_file(tmp_path, pf, monkeypatch):
    # os.replace of an unflushed file can leave an empty file after a power loss (ext4
    # delayed allocation): the temporary file must be fsynced first, the folder after
    spec = SweepSpec(sites=[pf["phoenix-az"]], case=CLIMATE, name="f", axes={"solar.dc_kw": [0.0, 1.0]})
    out = tmp_path / "f.parquet"
    run_sweep(spec, jobs=1, out=out, csv=True)
    events = _record_fsync_and_replace(monkeypatch)
    run_sweep(spec, jobs=1, out=out, csv=True, resume=False)  # also keeps .previous
    replaces = [i for i, e in enumerate(events) if e[0] == "replace"]
    targets = {events[i][2] for i in replaces}
    assert {str(out), str(out.with_suffix(".csv"))} <= targets
    for i in replaces:
        _, src, dst = events[i]
        if dst in (str(out), str(out.with_suffix(".csv"))):
            assert ("fsync", src) in events[:i], f"{src} not fsynced before it replaced {dst}"
        assert ("fsync", str(tmp_path)) in events[i + 1:], f"folder not fsynced after {dst}"


def test_a_base_site_with_a_corrupt_weather_body_is_refused_before_any_case(tmp_path, capsys):
    """As render's plan: a weather file cut short (its header fine, so the site loads) made
    every case of the site fail with a pandas traceback; the sweep now refuses it first, as
    an input error naming the site file, weather.file and what is wrong (CLI exit 2)."""
    from dcplan.site import SiteError, load_site
    epw = DATA / "weather" / "USA_AZ_Phoenix-Sky.Harbor.Intl.AP.722780_TMY3.epw"
    bad = tmp_path / "phx.epw"
    bad.write_text("".join(epw.read_text().splitlines(keepends=True)[:8 + 4000]))  # 4000 of 8760 hours
    text = (DATA / "sites" / "phoenix-az.yaml").read_text()
    text = text.replace("file: weather/USA_AZ_Phoenix-Sky.Harbor.Intl.AP.722780_TMY3.epw", f"file: {bad}")
    text = text.replace("file: tariffs/", f"file: {DATA / 'tariffs'}/")
    site_file = tmp_path / "phx.yaml"
    site_file.write_text(text)
    spec = SweepSpec(sites=[load_site(site_file)], case="dcplan.sweep:climate_figures", name="w",
                     axes={"solar.dc_kw": [0.0, 1.0]})
    out = tmp_path / "w.parquet"
    with pytest.raises(SiteError, match=r"weather\.file: .*phx\.epw: .*got 4000.*cut short") as e:
        run_sweep(spec, jobs=1, out=out)
    assert e.value.file == str(site_file)
    assert not out.exists()
    # a sweep that sets the weather file itself is not refused for the base site's file
    ok = SweepSpec(sites=[load_site(site_file)], case="dcplan.sweep:climate_figures", name="w2",
                   fixed={"weather.file": str(epw)}, axes={"solar.dc_kw": [0.0]})
    from dcplan.sweep import check_case_weather
    check_case_weather(ok)  # no error
    # a field the sweep sets is not checked against the station on the base site's value:
    # a base site at 1,500 m (1,163 m above Sky Harbor) swept over 300 and 350 m runs
    text = (DATA / "sites" / "phoenix-az.yaml").read_text().replace("file: tariffs/", f"file: {DATA / 'tariffs'}/")
    text = text.replace("\nelevation_m: 337\n", "\nelevation_m: 1500\n")
    (tmp_path / "high.yaml").write_text(text.replace("file: weather/", f"file: {DATA / 'weather'}/"))
    high = SweepSpec(sites=[load_site(tmp_path / "high.yaml")], case="dcplan.sweep:climate_figures", name="w3",
                     axes={"elevation_m": [300.0, 350.0]})
    check_case_weather(high)  # no error
    with pytest.raises(SiteError, match=r"elevation_m: 1500 m.*1,163 m apart"):
        check_case_weather(SweepSpec(sites=high.sites, case="dcplan.sweep:climate_figures", name="w4",
                                      axes={"solar.dc_kw": [0.0]}))


def test_each_cases_weather_is_checked_before_any_case_runs(tmp_path):
    """The weather a sweep sets is checked as the base sites' is: a ``weather.file`` value
    cut short, a swept elevation far from the station, or a file from another station put
    on a site each made every case with that value fail with a traceback; now the sweep is
    refused first, on the sweep file's field, naming the value and the site (CLI exit 2)."""
    from dcplan.site import SiteError, station_problems
    from dcplan.sweep import case_weather_problems
    from dcplan.weather_check import checked_file
    epw = DATA / "weather" / "USA_AZ_Phoenix-Sky.Harbor.Intl.AP.722780_TMY3.epw"
    chi = DATA / "weather" / "USA_IL_Chicago-OHare.Intl.AP.725300_TMY3.epw"
    cut = tmp_path / "cut.epw"
    cut.write_text("".join(epw.read_text().splitlines(keepends=True)[:8 + 4000]))  # 4000 of 8760 hours

    def sweep(body):
        f = tmp_path / "s.yaml"
        f.write_text("name: s\nsite: phoenix-az\ncase: dcplan.sweep:climate_figures\n" + body)
        return load_sweep(f), str(f)

    spec, f = sweep(f"axes:\n  weather.file: [{epw}, {cut}]\n")
    out = tmp_path / "s.parquet"
    with pytest.raises(SiteError, match=r"axes\.weather\.file: value '.*cut\.epw' \(site phoenix-az\): "
                                        r".*cut\.epw: .*got 4000.*cut short") as e:
        run_sweep(spec, jobs=1, out=out)
    assert e.value.file == f and len(e.value.problems) == 1  # the good file is not named
    assert not out.exists()

    # a swept elevation: Sky Harbor's station is at 337 m; the limit is 500 m either way
    station = checked_file(epw, "epw", 2025)[1]
    assert station["altitude_m"] == pytest.approx(337.0)
    spec, f = sweep("axes:\n  elevation_m: [300, 800, 1200]\n")
    (field, msg), = [(fl, m) for fi, fl, m in case_weather_problems(spec)[0]]
    assert field == "axes.elevation_m" and msg.startswith("value 1200 (site phoenix-az): ")
    assert "863 m apart" in msg  # 1200 - 337

    # another station's file on the site: refused on the file's field, the problem the site's position
    spec, f = sweep(f"fixed:\n  weather.file: {chi}\naxes:\n  solar.dc_kw: [0, 10]\n")
    problems, _ = case_weather_problems(spec)
    moved = apply_overrides(spec.sites[0], {"weather.file": str(chi)})
    expect = station_problems(moved, checked_file(chi, "epw", 2025)[1])
    assert [fl for fl, m in expect] == ["weather.file"], "Chicago's station is far from Phoenix: that alone"
    assert problems == [(f, "fixed.weather.file", f"value {str(chi)!r} (site phoenix-az): {expect[0][1]}")]
    # ... and with the position swept to O'Hare's too, it runs
    spec, f = sweep(f"fixed:\n  weather.file: {chi}\n  latitude: 41.98\n  longitude: -87.92\n"
                    "  timezone: America/Chicago\n  elevation_m: 201\naxes:\n  solar.dc_kw: [0, 10]\n")
    assert case_weather_problems(spec) == ([], 0)


def test_a_base_sites_own_weather_fault_is_filed_on_the_site_not_on_the_sweeps_axis(tmp_path):
    """A fault the sweep's values cannot cause (the base site's file cut short while the
    sweep sets elevation_m; the base site 1,163 m from its station while the sweep sets
    weather.year) was filed on the sweep's axis; it is the site file's, once."""
    from dcplan.site import SiteError, load_site
    from dcplan.sweep import case_weather_problems, check_case_weather
    epw = DATA / "weather" / "USA_AZ_Phoenix-Sky.Harbor.Intl.AP.722780_TMY3.epw"
    cut = tmp_path / "cut.epw"
    cut.write_text("".join(epw.read_text().splitlines(keepends=True)[:8 + 4000]))
    text = (DATA / "sites" / "phoenix-az.yaml").read_text().replace("file: tariffs/", f"file: {DATA / 'tariffs'}/")
    (tmp_path / "cut.yaml").write_text(text.replace("file: weather/USA_AZ_Phoenix-Sky.Harbor.Intl.AP.722780_TMY3.epw",
                                                    f"file: {cut}"))
    (tmp_path / "high.yaml").write_text(text.replace("file: weather/", f"file: {DATA / 'weather'}/")
                                        .replace("\nelevation_m: 337\n", "\nelevation_m: 1500\n"))
    for site_file, axes, field in ((tmp_path / "cut.yaml", {"elevation_m": [300.0, 350.0]}, "weather.file"),
                                   (tmp_path / "high.yaml", {"weather.year": [2024, 2025]}, "elevation_m")):
        spec = SweepSpec(sites=[load_site(site_file)], case="dcplan.sweep:climate_figures", name="s", axes=axes)
        problems, total = case_weather_problems(spec)
        assert total == 1 and [(f, fl) for f, fl, m in problems] == [(str(site_file), field)], problems
        with pytest.raises(SiteError) as ei:
            check_case_weather(spec)
        assert ei.value.file == str(site_file) and "more problem" not in str(ei.value)


def test_a_sampled_sweeps_weather_problems_are_listed_up_to_a_cap_and_all_counted(tmp_path):
    """Each sampled elevation far from the station is its own problem: the first 50 are
    listed, the count is of all of them (the one-line error said '+50 more' of 3,000)."""
    from dcplan.site import SiteError
    from dcplan.sweep import check_case_weather
    from dcplan.sweep_weather import MAX_WEATHER_PROBLEMS
    f = _write(tmp_path, "site: phoenix-az\nmode: sample\nsamples: 400\nmethod: random\nseed: 1\n"
                         "axes:\n  elevation_m: {min: 0.0, max: 2000.0}\n")
    spec = load_sweep(f)
    # by hand: Sky Harbor's station is at 337 m; more than 500 m away is a problem
    far = sum(abs(c.overrides["elevation_m"] - 337.0) > 500.0 for c in spec.cases())
    assert far > MAX_WEATHER_PROBLEMS
    with pytest.raises(SiteError) as ei:
        check_case_weather(spec)
    listed = ei.value.problems
    assert len(listed) == MAX_WEATHER_PROBLEMS + 1
    assert listed[-1] == ("", f"... and {far - MAX_WEATHER_PROBLEMS:,} more weather problems of other cases")
    assert str(ei.value).endswith(f"(+{far - 1:,} more problems)")


def test_weather_check_names_a_site_built_in_code(pf):
    """A site made in Python has no file: the error names the site instead of an empty path."""
    from dcplan.site import SiteError
    from dcplan.sweep import check_case_weather
    s = pf["phoenix-az"].model_copy(update={"source_file": "", "elevation_m": 1500.0})
    with pytest.raises(SiteError, match=r"^site 'phoenix-az' \(built in code\): elevation_m: 1500 m"):
        check_case_weather(SweepSpec(sites=[s], case="dcplan.sweep:climate_figures", name="x",
                                      axes={"solar.dc_kw": [0.0]}))


def test_a_long_range_axis_is_checked_at_its_bounds_and_spread_values():
    # a million steps were validated one by one (about 2 minutes of silence before the run)
    from dcplan.sweep_spec import MAX_CHECKED_STEPS, Axis
    a = Axis("solar.dc_kw", low=0.0, high=1e6, steps=1_000_000)
    vals = a.check_values(grid=True)
    assert vals[:2] == [0.0, 1e6] and len(vals) <= MAX_CHECKED_STEPS + 2 == 2002
    assert len(set(vals)) == len(vals) and min(vals) == 0.0 and max(vals) == 1e6
    # spread evenly: the largest gap between checked values is about 1e6 / 2000
    s = sorted(vals)
    assert max(b - x for x, b in zip(s, s[1:])) < 1e6 / (MAX_CHECKED_STEPS - 1) * 1.01
    short = Axis("solar.dc_kw", low=0.0, high=10.0, steps=11)
    assert sorted(short.check_values(grid=True)) == [float(v) for v in range(11)]    # every value


def test_a_fleet_axis_loads_in_a_fresh_process(tmp_path):
    # the up-front hardware check imported power_fleet before power: a circular import when the
    # base sites (all liquid-cooled, as phoenix-az) had not imported dcplan.power yet
    spec_file = _write(tmp_path, "name: f\nsite: phoenix-az\naxes:\n  fleet.phases[0].count: [192, 384]\n")
    code = f"from dcplan.sweep_spec import load_sweep; print(len(load_sweep({str(spec_file)!r}).cases()))"
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    p = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=120)
    assert p.returncode == 0 and p.stdout.strip() == "2", p.stderr


def test_a_reference_plant_that_cannot_cool_the_fleet_is_a_clear_error(pf):
    from dcplan.pipeline import with_reference_plant
    with pytest.raises(InputError, match=r"cooling: site 'northern-virginia': the reference plant 'air' cannot "
                                         r"cool its fleet \('gb200-nvl72' is liquid-cooled only\); allowed for "
                                         r"this site: liquid-w32-tower, liquid-w45-dry"):
        with_reference_plant(pf["northern-virginia"], "air")
    assert with_reference_plant(pf["phoenix-az"], "air").cooling.type == "air"


def test_an_overrides_bad_value_is_named_as_the_overrides(pf):
    # the error named the site file and field with a value that is not in that file
    with pytest.raises(InputError, match=r"solar\.dc_kw: .*got -1\.0 \(the override solar\.dc_kw=-1\.0, "
                                         r"not the file's value\)$") as e:
        apply_overrides(pf["phoenix-az"], {"solar.dc_kw": -1.0})
    assert "phoenix-az.yaml" in str(e.value)


def test_a_case_that_makes_the_fleet_measured_data_must_state_its_utilisation(tmp_path, pf):
    # load_site refuses workload 'data' without utilisation_frac (the default 0.8 would count
    # tokens and revenue at a utilisation the data do not have); an override to data slipped
    # past, because the rebuilt spec marked every field of the dump as set
    import shutil
    src = pf["research-triangle-nc"]
    text = open(src.source_file).read().replace("  utilisation_frac: 0.8\n", "")
    for rel in (src.weather.file, src.tariff.file):
        text = text.replace(f"file: {rel}", f"file: {DATA / rel}")
    (tmp_path / "s.yaml").write_text(text)
    shutil.copy(Path(__file__).parent / "data" / "power" / "it_kw_15min.csv", tmp_path / "it.csv")
    site = load_site(tmp_path / "s.yaml")
    assert "utilisation_frac" not in site.fleet.model_fields_set and site.fleet.utilisation_frac == 0.8
    data = {"fleet.workload": "data", "fleet.data_file": str(tmp_path / "it.csv")}
    with pytest.raises(InputError, match=r"workload 'data' needs utilisation_frac"):
        apply_overrides(site, data)
    assert apply_overrides(site, {**data, "fleet.utilisation_frac": 0.55}).fleet.utilisation_frac == 0.55
    # a site that states its utilisation keeps it (the planner's figure), and other overrides
    # leave an unset one unset
    stated = apply_overrides(pf["research-triangle-nc"], data)
    assert stated.fleet.utilisation_frac == 0.8 and "utilisation_frac" in stated.fleet.model_fields_set
    assert "utilisation_frac" not in apply_overrides(site, {"solar.dc_kw": 0.0}).fleet.model_fields_set


def test_a_cost_set_under_finance_costs_survives_an_override(pf, tmp_path):
    """A site that sets a price under finance.costs (data/costs.md: "finance.costs overrides any
    cost row") could not take any override: the rebuilt spec marked the unset
    finance.revenue_usd_per_gpu_h as set, and the "set twice" check refused it, naming the
    override ("axes.solar.dc_kw: value 0: ... set twice ... (None) and ... (2.5)")."""
    src = pf["research-triangle-nc"]
    text = open(src.source_file).read()
    for rel in (src.weather.file, src.tariff.file):
        text = text.replace(f"file: {rel}", f"file: {DATA / rel}")
    assert "finance:\n" in text and "revenue_usd_per_gpu_h" not in text
    # the site's own costs (its sewer rate) written as one flow mapping: the price joins it
    assert text.count("\n  costs: {") == 1
    text = text.replace("\n  costs: {", "\n  costs: {revenue_usd_per_gpu_h: 2.5, ", 1)
    (tmp_path / "s.yaml").write_text(text)
    site = load_site(tmp_path / "s.yaml")
    assert site.finance.costs == {**src.finance.costs, "revenue_usd_per_gpu_h": 2.5}
    new = apply_overrides(site, {"solar.dc_kw": 0.0})
    assert new.solar.dc_kw == 0.0 and new.finance.costs == site.finance.costs
    assert new.finance.revenue_usd_per_gpu_h is None and new.model_fields_set == site.model_fields_set
    # setting it the other way as well is still refused, naming both
    with pytest.raises(InputError, match=r"revenue_usd_per_gpu_h is set twice"):
        apply_overrides(site, {"finance.revenue_usd_per_gpu_h": 3.0})
