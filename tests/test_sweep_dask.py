"""Sweeps and batch rendering on a Dask ``distributed.LocalCluster`` (2 worker processes).

One cluster for the module (start-up costs seconds); always closed. The reference for
every comparison is the same work done in-process.
"""
from __future__ import annotations

import json
import os

import pytest

distributed = pytest.importorskip("distributed")

from dcplan.cli import main  # noqa: E402
from dcplan.report import render  # noqa: E402
from dcplan.sweep import read_results, run_sweep  # noqa: E402

from conftest import DATA  # noqa: E402
from test_report import _nb  # noqa: E402  (the notebook builder the render tests use)

# Their cases' sites get dcplan validate's warnings (dcplan.sweep_checks: "... [sweep case <site> with ...]"), which
# the test settings turn into errors that fail a case; these tests are not of them (the HGX servers on a liquid plant,
# the few-kW PV values that number a test's cases): tests/test_sweep_case_warnings.py is
pytestmark = pytest.mark.filterwarnings(r"ignore:.*\[sweep case :dcplan.errors.DcplanWarning")

DROP = ["seconds", "cpu_s", "worker", "pid"]  # where and how fast a case ran: differs by backend


@pytest.fixture(scope="module")
def cluster():
    with distributed.LocalCluster(n_workers=2, processes=True, threads_per_worker=1,
                                  dashboard_address=None) as c:
        yield c


def _spec(tmp_path):
    p = tmp_path / "d.yaml"
    p.write_text("""name: d
portfolio: default
fixed:
  cooling.liquid_class: W32
axes:
  site: [phoenix-az, chicago-il]
  cooling.type: [air, liquid]
  fleet.phases[0].count: [64, 128]
""")
    return p


def test_dask_sweep_equals_in_process_case_by_case(tmp_path, cluster):
    spec = _spec(tmp_path)
    local = run_sweep(spec, jobs=1, write=False, case="test_sweep:boom_on_air").frame
    out = tmp_path / "dask.parquet"
    # through the command line, as a planner runs it; a case that raises does not stop it
    rc = main(["sweep", str(spec), "--scheduler", cluster.scheduler_address, "-q", "--out", str(out),
               "--case", "test_sweep:boom_on_air"])
    assert rc == 1  # 4 of 8 cases (air cooling) raise by design
    remote = read_results(out)
    a = local.drop(columns=DROP, errors="ignore").set_index("case_id").sort_index()
    b = remote.drop(columns=DROP, errors="ignore").set_index("case_id").sort_index()
    assert list(a.index) == list(b.index) and len(a) == 8
    assert (a["status"] == b["status"]).all() and (b["status"] == "failed").sum() == 4
    assert (a["error"].fillna("") == b["error"].fillna("")).all()
    for col in ("temp_air_max_degc", "units_total"):
        ok = a["status"] == "ok"
        assert (a.loc[ok, col] == b.loc[ok, col]).all(), col  # same inputs, same arithmetic
    # the cases ran on the cluster's worker processes, not here
    assert not remote["worker"].str.endswith(f":{os.getpid()}").any()


def test_dask_weather_loaded_once_per_worker(cluster, monkeypatch):
    from dcplan.site import load_portfolio
    from dcplan.sweep import SweepSpec
    spec = SweepSpec(sites=[load_portfolio()["chicago-il"]], case="test_sweep:weather_loads",
                     name="w", axes={"solar.dc_kw": [float(i) for i in range(6)]})
    monkeypatch.setenv("DCPLAN_SCHEDULER", cluster.scheduler_address)  # the environment route
    df = run_sweep(spec, write=False).frame
    assert (df["pid"] != os.getpid()).all()
    assert (df["status"] == "ok").all() and df["pid"].nunique() <= 2
    assert (df["weather_loads"] == 1).all()


@pytest.mark.slow  # executes notebooks (two papermill runs)
def test_render_on_dask_equals_local_render(tmp_path, cluster):
    nbdir = tmp_path / "nbs"
    nbdir.mkdir()
    _nb(nbdir / "tiny.ipynb", 'site: str = "x"\nportfolio: str = "default"',
        "from dcplan.site import load_portfolio\nfrom dcplan.results import publish\n"
        "s = load_portfolio(portfolio)[site]\n"
        "publish('latitude_deg', s.latitude, unit='deg', headline=True)\n"
        "publish('units', sum(p.count for p in s.fleet.phases))\n"
        "import os\npublish('runner_pid', int(os.environ['JPY_PARENT_PID']))\n")  # the process that ran papermill
    pf = tmp_path / "pf.yaml"
    pf.write_text(f"name: two\nsites:\n  - {DATA / 'sites' / 'phoenix-az.yaml'}\n"
                  f"  - {DATA / 'sites' / 'chicago-il.yaml'}\n")
    s_local = render(portfolio=pf, sites=["chicago-il"], notebook_dir=nbdir, progress=False,
                     out=tmp_path / "local", jobs=1)
    assert s_local.ok, s_local.table()
    # `dcplan render --scheduler ADDRESS`: the papermill job runs on a cluster worker
    rc = main(["render", "--portfolio", str(pf), "--sites", "chicago-il", "--notebook-dir", str(nbdir),
               "--out", str(tmp_path / "dask"), "--scheduler", cluster.scheduler_address, "-q"])
    assert rc == 0
    for site in ("chicago-il",):
        a = json.loads((tmp_path / "local" / site / "tiny" / "results.json").read_text())
        b = json.loads((tmp_path / "dask" / site / "tiny" / "results.json").read_text())
        pa, pb = a["results"].pop("runner_pid")["value"], b["results"].pop("runner_pid")["value"]
        assert pa == os.getpid() and pb != os.getpid()  # local here; on a cluster worker there
        assert a["results"] == b["results"] and a["results"]["latitude_deg"]["value"] != 0
        assert (tmp_path / "dask" / site / "tiny" / "report.html").is_file()
    assert (tmp_path / "dask" / "index.html").is_file()


def test_dask_pipeline_sweep_equals_in_process(cluster):
    pytest.importorskip("dcplan.pipeline")
    import numpy as np

    from dcplan.site import load_portfolio
    from dcplan.sweep import SweepSpec
    pf = load_portfolio()
    spec = SweepSpec(sites=[pf["phoenix-az"], pf["chicago-il"]], name="pd",
                     fixed={"cooling.liquid_class": "W32"},
                     axes={"cooling.type": ["air", "liquid"]})  # default case: the hourly chain
    local = run_sweep(spec, jobs=1, write=False).frame.set_index("case_id").sort_index()
    with distributed.Client(cluster) as client:
        remote = run_sweep(spec, executor=client.get_executor(), write=False).frame
    remote = remote.set_index("case_id").sort_index()
    assert (local["status"] == "ok").all() and (remote["status"] == "ok").all()
    assert list(local.index) == list(remote.index)
    nums = [c for c in local.columns if c not in DROP and local[c].dtype.kind == "f"]
    assert {"facility_mwh", "annual_pue", "throttled_frac"} <= set(nums)
    for c in nums:  # same code, same seeded inputs: equal to float rounding
        assert np.allclose(local[c], remote[c], rtol=1e-12, atol=0, equal_nan=True), c


@pytest.mark.parametrize("address, ok", [
    ("tcp://127.0.0.1:8786", True), ("10.0.0.5:8786", True), ("tls://[fe80::1]:8786", True),
    ("sched-1.cluster.local:8786", True), ("inproc://10.0.0.5/1234/1", True),
    ("foo", False), ("tcp://host", False), ("not a url", False), ("http://h:8786/x", False), ("", False),
])
def test_a_scheduler_address_is_checked_before_a_client_is_made(address, ok):
    from dcplan.errors import InputError
    from dcplan.sweep_pool import check_scheduler_address
    if ok:
        check_scheduler_address(address)
    else:
        with pytest.raises(InputError, match=r"is not a Dask scheduler address; give \[scheme://\]host:port"):
            check_scheduler_address(address)
