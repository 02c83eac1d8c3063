"""Shared pytest fixtures for dcplan."""
from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "data"
WEATHER = DATA / "weather"

PHOENIX_EPW = WEATHER / "USA_AZ_Phoenix-Sky.Harbor.Intl.AP.722780_TMY3.epw"
DULLES_EPW = WEATHER / "USA_VA_Sterling-Washington.Dulles.Intl.AP.724030_TMY3.epw"
CHICAGO_EPW = WEATHER / "USA_IL_Chicago-OHare.Intl.AP.725300_TMY3.epw"
GREENSBORO_TMY3 = WEATHER / "723170TYA.CSV"
MIAMI_TMY2 = WEATHER / "12839.tm2"


def pytest_xdist_auto_num_workers(config):
    """``-n auto`` (pyproject addopts): one worker per core, at most 4. Each worker holds its own
    session fixtures and notebook kernels (~1 GB); past 4 the suite's longest files bound the time."""
    import os
    return max(1, min(4, len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1))


#: The test modules that take longest (about 10 s of test time or more each on two cores; measured 2026-12-06),
#: longest first. They run before the others, so the run does not end with one worker on a long module while the
#: others wait (pyproject: --dist loadfile keeps a module on one worker, --no-loadscope-reorder keeps this order).
#: The order changes no result; a module missing here only runs later.
FIRST_MODULES = ("test_kernel_zygote", "test_notebooks", "test_sweep", "test_notebook_params", "test_site_analysis",
                 "test_render_reuse", "test_offpeak_week_charges", "test_report", "test_tco_notebook",
                 "test_render_not_current", "test_docs_truth", "test_properties", "test_provenance_peers",
                 "test_site", "test_tco_export", "test_weather", "test_robust_signals", "test_bad_inputs",
                 "test_solar_pysam", "test_notebooks_labels", "test_report_interrupt", "test_kernel_zygote_sites",
                 "test_report_stopped", "test_sweep_dask", "test_render_records", "test_tco", "test_report_nested")


def pytest_collection_modifyitems(config, items):
    """:data:`FIRST_MODULES` first, in their order; every other module after them, in its usual order."""
    rank = {name: i for i, name in enumerate(FIRST_MODULES)}
    items.sort(key=lambda item: rank.get(Path(item.nodeid.split("::")[0]).stem, len(rank)))


@pytest.fixture(scope="session", autouse=True)
def _weather_check_cache_in_tmp(tmp_path_factory):
    """The tests' weather-check cache (dcplan.weather_check) lives in a temporary folder, not the
    user's ~/.cache/dcplan; subprocesses (the CLI tests) inherit it through the environment."""
    import os
    from dcplan.weather_check import CACHE_DIR_ENV
    old = os.environ.get(CACHE_DIR_ENV)
    os.environ[CACHE_DIR_ENV] = str(tmp_path_factory.mktemp("dcplan-cache"))
    yield
    if old is None:
        os.environ.pop(CACHE_DIR_ENV, None)
    else:
        os.environ[CACHE_DIR_ENV] = old


#: The tests' today (dcplan.plan_dates.TODAY_ENV): before every date the tests' and the bundled sites give, so
#: only tests/test_plan_dates.py (which sets its own) sees the warnings of plan dates already past, on any date.
TESTS_TODAY = "2000-01-01"


@pytest.fixture(scope="session", autouse=True)
def _today_before_the_plans():
    """``DCPLAN_TODAY`` set to :data:`TESTS_TODAY` for the session (subprocesses inherit it)."""
    import os
    from dcplan.plan_dates import TODAY_ENV
    old = os.environ.get(TODAY_ENV)
    os.environ[TODAY_ENV] = TESTS_TODAY
    yield
    if old is None:
        os.environ.pop(TODAY_ENV, None)
    else:
        os.environ[TODAY_ENV] = old


#: Test modules that check the zygote's own life (start, warm-up, count, shutdown, signals): each of their
#: renders starts and closes its own, as a render outside the test suite does.
OWN_ZYGOTE_MODULES = ("test_kernel_zygote", "test_kernel_zygote_expect", "test_kernel_zygote_sites",
                      "test_report_interrupt", "test_report_nested", "test_robust_signals")


@pytest.fixture(scope="session")
def _session_kernels():
    """One warm-kernel zygote for the worker's session (:func:`dcplan._kernel_zygote.shared`)."""
    from dcplan import _kernel_zygote as kz
    if not kz.SUPPORTED:
        yield
        return
    with kz.shared():
        yield


@pytest.fixture(autouse=True)
def shared_kernels(request):
    """The suite's renders share one warm-kernel zygote per worker (:func:`dcplan._kernel_zygote.shared`):
    the kernels of all but the first render fork from a zygote whose preload and warm-up are done, as the
    later runs of a long render do (about 2 s of CPU less per run than a render of its own). Each kernel is
    still a fresh fork with its render's environment and folder, and the warm-up keeps no cache that reads
    a file. The modules of :data:`OWN_ZYGOTE_MODULES` test the zygote's own life and get none."""
    from dcplan import _kernel_zygote as kz
    if request.module.__name__.rpartition(".")[2] in OWN_ZYGOTE_MODULES:
        saved = kz._shared[:]
        kz._shared.clear()
        try:
            yield
        finally:
            kz._shared[:] = saved
        return
    request.getfixturevalue("_session_kernels")
    yield


def papermill_execute(notebook, output, *, cold: bool = False, **kw):
    """``papermill.execute_notebook`` as a user runs it (Jupyter's python3 kernel, without the dcplan
    extension render loads), its kernel forked from the worker's zygote (:func:`shared_kernels`) unless
    ``cold``: about 2 s of CPU less per run than a kernel that imports pandas, scipy and dcplan itself.
    The notebook, its parameters cell and papermill's injected values are the same either way."""
    import papermill as pm
    from dcplan import _kernel_zygote as kz
    if not cold and kz.SUPPORTED and kz._shared:
        from jupyter_client.manager import AsyncKernelManager
        zygote, _ = kz.for_render()

        class _ForkedKernelManager(AsyncKernelManager):
            def format_kernel_cmd(self, extra_arguments=None):
                return kz.wrap(zygote.path, super().format_kernel_cmd(extra_arguments))

        kw["kernel_manager_class"] = _ForkedKernelManager
    kw.setdefault("progress_bar", False)
    return pm.execute_notebook(str(notebook), str(output), **kw)


@pytest.fixture(scope="session")
def phoenix_weather():
    from dcplan.weather import load_weather
    return load_weather(PHOENIX_EPW)


def record_fsync_and_replace(monkeypatch):
    """Record ("fsync", path of the fd) and ("replace", src, dst) in call order (the tests of
    the project's durable writers: a temporary file is fsynced before it replaces the old one)."""
    import os
    events = []
    real_fsync, real_replace = os.fsync, os.replace

    def fsync(fd):
        events.append(("fsync", os.readlink(f"/proc/self/fd/{fd}")))
        return real_fsync(fd)

    def replace(a, b, **kw):
        events.append(("replace", str(a), str(b)))
        return real_replace(a, b, **kw)

    monkeypatch.setattr(os, "fsync", fsync)
    monkeypatch.setattr(os, "replace", replace)
    return events


#: Skip where /proc cannot name an fd's file (record_fsync_and_replace needs it).
needs_proc = pytest.mark.skipif(not Path("/proc/self/fd").exists(), reason="needs /proc to name an fd's file")


@pytest.fixture
def bare_portfolio(tmp_path):
    """A portfolio YAML: Phoenix without its optional tariff: and interconnection: sections
    (id ``bare``), beside Chicago (complete)."""
    import yaml
    d = yaml.safe_load((DATA / "sites" / "phoenix-az.yaml").read_text())
    d["weather"]["file"] = str(DATA / d["weather"]["file"])
    for k in ("tariff", "interconnection"):
        d.pop(k)
    d["id"] = "bare"
    (tmp_path / "bare.yaml").write_text(yaml.safe_dump(d, sort_keys=False))
    pf = tmp_path / "pf.yaml"
    pf.write_text(f"name: t\nsites: [bare.yaml, {DATA / 'sites' / 'chicago-il.yaml'}]\n")
    return pf


def bundled_site_copy(folder: Path, src: str, site_id: str, **sections) -> Path:
    """data/sites/<src>.yaml written to ``folder`` as ``site_id``, with absolute weather and
    tariff paths (so it loads from any folder) and each ``sections`` dict merged into that
    section (``fleet={"workload": "data"}``, ``interconnection={"battery": {...}}``; ``finance={"costs": {...}}``
    merged into the site's own ``finance.costs``, whose values its ``finance.sources`` name); a value that is not a
    dict replaces a top-level key (``name="Phoenix, AZ (copy)"``: two copies in one portfolio need their own
    names, or dcplan validate and render warn)."""
    import yaml
    d = yaml.safe_load((DATA / "sites" / f"{src}.yaml").read_text())
    d["weather"]["file"] = str(DATA / d["weather"]["file"])
    if d.get("tariff", {}).get("file"):
        d["tariff"]["file"] = str(DATA / d["tariff"]["file"])
    for key, value in sections.items():
        if isinstance(value, dict):
            if key == "finance" and isinstance(value.get("costs"), dict):  # keep the site's own costs (its water
                value = {**value, "costs": {**d.get("finance", {}).get("costs", {}), **value["costs"]}}  # prices)
            d.setdefault(key, {}).update(value)
        else:  # a top-level value (name="Phoenix, AZ (mid)")
            d[key] = value
    d["id"] = site_id
    path = Path(folder) / f"{site_id}.yaml"
    path.write_text(yaml.safe_dump(d, sort_keys=False))
    return path


#: The ``cooling:`` the bundled Research Triangle and Phoenix sites had until their HGX (air-cooled)
#: fleets got air plants: a direct-liquid-cooled version of the servers on W32 water. Tests that
#: check a liquid plant's figures at those sites (hand counts, labels) use it through
#: :func:`liquid_portfolio`.
LIQUID_W32 = {"type": "liquid", "liquid_class": "W32"}


def liquid_portfolio(folder: Path) -> Path:
    """data/portfolio.yaml's four sites written to ``folder`` with their own ids, Research Triangle
    and Phoenix on :data:`LIQUID_W32`, and a portfolio file listing them (returned)."""
    import yaml
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    files = []
    for sid in ("research-triangle-nc", "northern-virginia", "phoenix-az", "chicago-il"):
        extra = {"cooling": dict(LIQUID_W32)} if sid in ("research-triangle-nc", "phoenix-az") else {}
        files.append(bundled_site_copy(folder, sid, sid, **extra).name)
    pf = folder / "portfolio.yaml"
    pf.write_text(yaml.safe_dump({"name": "Example US portfolio, two sites on liquid W32", "sites": files},
                                 sort_keys=False))
    return pf


def run_cells_until(notebook: str, marker: str, monkeypatch, site: str = "phoenix-az", as_render: bool = True,
                    **params) -> tuple[dict, list]:
    """Execute ``notebooks/<notebook>.ipynb``'s code cells in this process (Agg backend), its
    parameters cell with ``site`` injected, up to and including the first cell containing
    ``marker``; return the namespace and the figures ``plt.show`` was called on. ``as_render``: as
    render's kernel runs it (``DCPLAN_NOTEBOOK`` set: the site's plausibility warnings are left to the
    report, dcplan.notebook_params.warn_site_outside_render); False: as JupyterLab runs it."""
    import json

    from dcplan.report_params import NOTEBOOK_ENV
    if as_render:
        monkeypatch.setenv(NOTEBOOK_ENV, str(ROOT / "notebooks" / f"{notebook}.ipynb"))

    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    plt.close("all")  # an earlier call's figures (kept open for its caller): not 20+ open across a test file
    shown = []
    monkeypatch.setattr(plt, "show", lambda *a, **k: shown.append(plt.gcf()))
    nb = json.loads((ROOT / "notebooks" / f"{notebook}.ipynb").read_text())
    cells = ["".join(c["source"]) for c in nb["cells"] if c["cell_type"] == "code"]
    ns: dict = {"display": lambda *a, **k: None}
    exec(cells[0], ns)  # the parameters cell
    ns["site"] = site
    ns.update(params)  # other parameters (e.g. portfolio=liquid_portfolio(tmp_path))
    last = next(i for i, c in enumerate(cells) if marker in c)
    for src in cells[1:last + 1]:
        exec(src, ns)
    return ns, shown



def published_until(notebook: str, marker: str, site: str = "phoenix-az", **params) -> tuple[dict, dict]:
    """:func:`run_cells_until` with its own MonkeyPatch (for module-scoped fixtures), catching what the
    notebook publishes up to ``marker``: ``(namespace, {key: (value, unit, label)})``."""
    import dcplan.results
    mp = pytest.MonkeyPatch()
    got: dict = {}
    mp.setattr(dcplan.results, "publish", lambda values, *a, **k: got.update(values if isinstance(values, dict)
                                                                             else {}))
    try:
        ns, _ = run_cells_until(notebook, marker, mp, site=site, **params)
    finally:
        mp.undo()
    return ns, got


def check_subhourly_evidence(spec, y, ev: dict, block_minutes: int) -> None:
    """:func:`dcplan.site_bill.subhourly_demand_excess`'s evidence ``ev`` recomputed by hand: in the month
    it names, the fleet's IT at 1 s in that month's hour of highest grid draw, its clock-aligned
    ``block_minutes`` blocks against the hour's mean (the hourly load is the mean of the 1-s process)."""
    import pandas as pd
    import pytest

    from dcplan import power
    g = y.grid_kw.clip(lower=0.0)
    in_month = (g.index - pd.Timedelta(hours=1)).strftime("%Y-%m") == ev["month"]
    t = g[in_month].idxmax()
    secs = pd.date_range(t - pd.Timedelta(minutes=60) + pd.Timedelta(seconds=1), periods=3600, freq="s")
    it = power.site_it_kw(spec, secs, deployed="all").to_numpy()
    assert it.mean() == pytest.approx(y.it_kw[t], rel=1e-6)
    n = 60 * block_minutes
    blocks = [it[k * n:(k + 1) * n].mean() for k in range(3600 // n)]
    assert ev["max_excess_kw"] == pytest.approx(max(0.0, max(blocks) - it.mean()), abs=1e-6)
    assert ev["max_excess_frac"] == pytest.approx(ev["max_excess_kw"] / it.mean(), abs=1e-12)


@pytest.fixture
def published(monkeypatch):
    """The records a notebook run publishes (``dcplan.results.publish``), by key, shown nowhere: a test
    running cells (:func:`run_cells_until`) reads them here."""
    import dcplan.results
    from dcplan.results import publish as _publish
    out = {}

    def publish(*a, **k):
        for rec in _publish(*a, **{**k, "show": False}):
            out[rec["key"]] = rec
    monkeypatch.setattr(dcplan.results, "publish", publish)
    return out


def gc_noise(record) -> bool:
    """Whether a recorded warning is the garbage collector's, not the code's under test: an event loop left
    unclosed by an earlier test in the same process (jupyter_client's, in notebook tests) is collected at an
    arbitrary moment and warns ``unclosed event loop`` (ResourceWarning) inside whatever ``pytest.warns`` block
    runs then (seen under pytest-xdist, where a worker's test order differs)."""
    return issubclass(record.category, ResourceWarning)


@pytest.fixture
def heat_probe(monkeypatch):
    """Tower water as a probe of the heat a tower rejects (tests/test_thermal_plant*.py): its air taken at the
    design L/G (``m_a = Qrej / dh``, ``air_ratio`` 1), so ``water_l`` = Qrej x the L/kWh of the SaturatedExit
    evaporation exactly and Qrej reads back from ``water_l``. The plant's own tower air (design airflow x fan
    speed, EnergyPlus's; 2026) is tested in tests/test_thermal_tower_airflow.py; the tests using this one test
    the heat, not the water."""
    import numpy as np

    from dcplan import thermal_plant
    real = thermal_plant._tower_evaporation_l

    def design_ratio_air(q, speed, q_design, *rest):
        return real(q, np.where(np.asarray(speed) > 0, np.asarray(q) / q_design, 0.0), q_design, *rest)
    monkeypatch.setattr(thermal_plant, "_tower_evaporation_l", design_ratio_air)


def run_outputs(folder) -> tuple[dict, str, list[str]]:
    """A rendered run's folder read back: its results.json ``results``, the text its cells printed (stream
    outputs, joined) and the HTML of the tables it displayed."""
    import json
    from pathlib import Path
    folder = Path(folder)
    res = json.loads((folder / "results.json").read_text())["results"]
    nb = json.loads((folder / "notebook.ipynb").read_text())
    outs = [o for c in nb["cells"] for o in c.get("outputs", [])]
    printed = "".join("".join(o.get("text", "")) for o in outs if o.get("output_type") == "stream")
    tables = ["".join(o["data"]["text/html"]) for o in outs if "text/html" in o.get("data", {})]
    return res, printed, tables


def with_edited_data(folder: Path, edits: dict, code: str) -> str:
    """Run ``code`` in a fresh Python whose dcplan reads a copy of ``data/`` with ``edits`` applied, and return
    what it printed. ``edits`` maps a file of ``data/`` to a function of its text returning the new text; every
    other entry is a link to the bundled one. The copy is in place before dcplan imports anything else, so
    module constants read from the data files (not copied into the code) follow the edit: the tests of such a
    constant use it to show it is read, not a literal that agrees with the file today."""
    import os
    import subprocess
    import sys
    data = Path(folder) / "data"
    data.mkdir()
    for entry in DATA.iterdir():
        if entry.name in edits:
            new = edits[entry.name](entry.read_text())
            assert new != entry.read_text(), f"the edit of data/{entry.name} changed nothing"
            (data / entry.name).write_text(new)
        else:
            (data / entry.name).symlink_to(entry)
    missing = set(edits) - {e.name for e in DATA.iterdir()}
    assert not missing, f"no such file in data/: {sorted(missing)}"
    prelude = ("import pathlib, dcplan.paths as _p\n"
               f"_p.data_dir = lambda: pathlib.Path({str(data)!r})\n")
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    out = subprocess.run([sys.executable, "-c", prelude + code], cwd=ROOT, env=env,
                         capture_output=True, text=True)
    assert out.returncode == 0, out.stderr[-3000:]
    return out.stdout



def wet_bulb_from_dew_over_water(temp_air, temp_dew, pressure_pa) -> list[float]:
    """PsychroLib 2.5's wet bulb of air whose (sub-zero too) dew point is over liquid water, the
    meteorological convention weather files follow: the vapour pressure from Sonntag's (1990, Z. Meteorol.
    40, 340) equation over water, valid -100 to 100 °C (independent of dcplan's Hyland-Wexler and Murphy-Koop;
    within 0.07 % of them down to -20 °C), the humidity ratio from it (PsychroLib), capped at saturation over
    the bulb's phase at the dry bulb as dcplan reads supersaturated air, then ``GetTWetBulbFromHumRatio``."""
    import math

    import psychrolib
    psychrolib.SetUnitSystem(psychrolib.SI)
    out = []
    for t, td, p in zip(temp_air, temp_dew, pressure_pa):
        tk = min(td, t) + 273.15
        e_pa = 100.0 * math.exp(-6096.9385 / tk + 16.635794 - 2.711193e-2 * tk + 1.673952e-5 * tk * tk
                                + 2.433502 * math.log(tk))
        w = psychrolib.GetHumRatioFromVapPres(min(e_pa, psychrolib.GetSatVapPres(t)), p)
        out.append(psychrolib.GetTWetBulbFromHumRatio(t, w, p))
    return out


_REFERENCE_WET_BULBS: dict = {}


def reference_wet_bulb(weather):
    """:func:`wet_bulb_from_dew_over_water` of every hour of a weather frame (``temp_air``, ``temp_dew`` [°C],
    ``pressure`` [Pa]) as an array [°C]: the independent wet bulb a test counts hours by, in place of the
    frame's own ``temp_wet_bulb_degc``. Kept per process by the columns' bytes: a year takes PsychroLib 5-7 s."""
    import hashlib

    import numpy as np
    cols = [weather[c].to_numpy(dtype=float) for c in ("temp_air", "temp_dew", "pressure")]
    key = hashlib.sha256(b"".join(c.tobytes() for c in cols)).hexdigest()
    if key not in _REFERENCE_WET_BULBS:
        _REFERENCE_WET_BULBS[key] = np.array(wet_bulb_from_dew_over_water(*cols))
    return _REFERENCE_WET_BULBS[key]
