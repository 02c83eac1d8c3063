"""`dcplan render` wall time vs the papermill floor.

* Floor: one bare papermill run of an empty notebook (kernel start-up + save): what any
  notebook run costs with a cold kernel.
* Overhead: ``render`` of N empty notebooks (planning, isolated work dirs, HTML, results.json,
  atomic placement, index) vs N bare papermill runs, at -j 1 and -j 2, with warm kernels
  (forked from the preloaded zygote, the default) and with ``--cold-kernels``.
* ``site_climate`` for the four example sites: the example render as issue 2 defined it
  (its one notebook), i.e. real notebooks that import pandas/matplotlib/pvlib, read a
  year of weather and plot.
* The whole example portfolio: every bundled notebook for every site, at -j 1 and -j 2.
  These two cases time the ``dcplan render`` command in a new process, as a user runs it.
  Later issues added notebooks with seconds of model work each (a 52-week rolling-horizon
  MILP, Monte Carlo, 1 s simulations); the figure ``..._cells_s`` is the time spent inside
  their cells, which no render can remove, and ``..._overhead_per_run_s`` what is left.

* Re-renders into the same folder (``..._rerender_...``): unchanged inputs keep every run;
  a changed ``site_climate`` parameter executes its runs and keeps the rest. Their target
  counts the runs that executed.

Target (issue 2): the example render within 1.5x of (runs x floor) / jobs, i.e. ratio =
ideal / actual >= 0.67.
"""
from __future__ import annotations

import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path


def _empty_nb(path: Path, params: str) -> Path:
    import nbformat
    nb = nbformat.v4.new_notebook()
    p = nbformat.v4.new_code_cell(params)
    p.metadata["tags"] = ["parameters"]
    nb.cells = [p]
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    nbformat.write(nb, str(path))
    return path


def _floor_s(repeats: int = 2) -> float:
    import papermill as pm
    with tempfile.TemporaryDirectory() as d:
        src = _empty_nb(Path(d) / "empty.ipynb", "x = 1")
        times = []
        for _ in range(repeats):
            t0 = time.perf_counter()
            pm.execute_notebook(str(src), str(Path(d) / "out.ipynb"), kernel_name="python3",
                                progress_bar=False, log_output=False)
            times.append(time.perf_counter() - t0)
    return min(times)


def _cell_seconds(out: Path) -> tuple[float, dict]:
    """Seconds spent inside notebook cells (papermill's per-cell timings): total, by notebook."""
    by_nb: dict[str, float] = {}
    for nb in Path(out).glob("*/*/notebook.ipynb"):
        for c in json.loads(nb.read_text())["cells"]:
            d = c.get("metadata", {}).get("papermill", {}).get("duration") or 0.0
            by_nb[nb.parent.name] = by_nb.get(nb.parent.name, 0.0) + d
    by_nb = {k: round(v, 2) for k, v in sorted(by_nb.items(), key=lambda kv: -kv[1])}
    return sum(by_nb.values()), by_nb


def _fig(name, wall, n, floor, jobs, **extra):
    ideal = n * floor / jobs
    return {"name": name, "value": round(wall, 2), "unit": "s",
            "target": f"<= {1.5 * ideal:.1f} s (1.5 x {n} runs x floor / {jobs})",
            "baseline": "runs x floor / jobs", "ratio": round(ideal / wall, 3), **extra}


def run(quick: bool = False) -> list[dict]:
    from dcplan.report import plan_runs, render
    floor = _floor_s(1 if quick else 2)
    figs = [{"name": "papermill_floor_s", "value": round(floor, 3), "unit": "s",
             "target": "n/a (floor)", "baseline": "empty notebook", "ratio": None}]
    # render overhead: 4 sites x 2 empty notebooks
    with tempfile.TemporaryDirectory() as d:
        nbdir = Path(d) / "nbs"
        nbdir.mkdir()
        for name in ("a", "b"):
            _empty_nb(nbdir / f"{name}.ipynb", 'site: str = "x"\nportfolio: str = "default"')
        n = len(plan_runs(notebook_dir=nbdir, out=Path(d) / "o"))
        for warm in (True, False):
            for jobs in (1, 2):
                t0 = time.perf_counter()
                render(out=Path(d) / f"o{jobs}{warm}", jobs=jobs, notebook_dir=nbdir, progress=False,
                       warm_kernels=warm)
                wall = time.perf_counter() - t0
                figs.append(_fig(f"render_empty_notebooks_j{jobs}_{'warm' if warm else 'cold'}_s",
                                 wall, n, floor, jobs))
    cases = [("site_climate", ["site_climate"])] + ([] if quick else [("example", None)])
    rerender: list[dict] = []
    for label, notebooks in cases:
        n_runs = len(plan_runs(notebooks=notebooks, out=tempfile.gettempdir()))
        for jobs in (1, 2):
            with tempfile.TemporaryDirectory() as out:
                # the command itself, as a user runs it (process start and imports included)
                cmd = [sys.executable, "-m", "dcplan", "render", "--out", out, "-j", str(jobs), "-q"]
                if notebooks:
                    cmd += ["--notebooks", *notebooks]
                t0 = time.perf_counter()
                proc = subprocess.run(cmd, capture_output=True, text=True)
                wall = time.perf_counter() - t0
                cells, by_nb = _cell_seconds(Path(out))
                status = json.loads((Path(out) / "runs.json").read_text()) if proc.returncode in (0, 1) else {}
                if jobs == 1:
                    rerender += _rerenders(label, cmd, n_runs, floor)
            figs.append(_fig(f"render_{label}_j{jobs}_s", wall, n_runs, floor, jobs,
                             ok_runs=sum(bool(v.get("ok")) for v in status.values()), runs=n_runs))
            figs.append({"name": f"render_{label}_j{jobs}_cells_s", "value": round(cells, 2), "unit": "s",
                         "target": "n/a (the notebooks' own work)", "baseline": "none", "ratio": None,
                         "by_notebook": by_nb})
            over = (wall * jobs - cells) / n_runs
            figs.append({"name": f"render_{label}_j{jobs}_overhead_per_run_s", "value": round(over, 3),
                         "unit": "s", "target": f"<= {1.5 * floor:.2f} s (1.5 x floor)",
                         "baseline": "papermill floor", "ratio": round(floor / over, 3) if over > 0 else None})
    return figs + rerender


def _kept(summary: str) -> int:
    """Runs the summary table lists as kept (second column)."""
    return sum(1 for line in summary.splitlines() if line.split()[1:2] == ["kept"])


def _rerenders(label: str, cmd: list[str], n_runs: int, floor: float) -> list[dict]:
    """The same command again into the same folder: every run is kept (nothing it depends
    on changed); then with one parameter of site_climate changed, so that its runs execute
    and the rest are kept: a planner's usual edit-and-render loop."""
    out = []
    t0 = time.perf_counter()
    proc = subprocess.run(cmd, capture_output=True, text=True)
    wall = time.perf_counter() - t0
    kept = _kept(proc.stdout)
    out.append(_fig(f"render_{label}_j1_rerender_unchanged_s", wall, n_runs, floor, 1, kept_runs=kept))
    if label == "example":
        t0 = time.perf_counter()
        proc = subprocess.run(cmd + ["-p", "dry_cooler_approach_k", "7"], capture_output=True, text=True)
        wall = time.perf_counter() - t0
        kept = _kept(proc.stdout)
        out.append(_fig(f"render_{label}_j1_rerender_site_climate_param_s", wall, n_runs - kept, floor, 1,
                        kept_runs=kept, executed_runs=n_runs - kept))
    return out
