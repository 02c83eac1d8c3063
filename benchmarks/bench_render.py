"""`dcplan render` wall time vs the papermill floor.

* Floor: one bare papermill run of an empty notebook (kernel start-up + save): the least
  any notebook run can cost.
* Overhead: ``render`` of N empty notebooks (planning, isolated work dirs, HTML, results.json,
  atomic placement, index) vs N bare papermill runs, at -j 1 and -j 2.
* The example portfolio: every bundled notebook for every site, at -j 1 and -j 2.

Target (issue 2): the example render within 1.5x of (runs x floor) / jobs, i.e. ratio =
ideal / actual >= 0.67. The example notebooks do real model work (a year of hourly
chain per run, several per site analysis), so their wall time is mostly compute, which
the overhead figures separate out.
"""
from __future__ import annotations

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
        for jobs in (1, 2):
            t0 = time.perf_counter()
            render(out=Path(d) / f"o{jobs}", jobs=jobs, notebook_dir=nbdir, progress=False)
            wall = time.perf_counter() - t0
            ideal = n * floor / jobs
            figs.append({"name": f"render_empty_notebooks_j{jobs}_s", "value": round(wall, 2), "unit": "s",
                         "target": f"<= {1.5 * ideal:.1f} s (1.5 x {n} runs x floor / {jobs})",
                         "baseline": "runs x floor / jobs", "ratio": round(ideal / wall, 3)})
    sites = ["phoenix-az"] if quick else None
    n_runs = len(plan_runs(sites=sites, out=tempfile.gettempdir()))
    for jobs in (1, 2):
        with tempfile.TemporaryDirectory() as out:
            t0 = time.perf_counter()
            s = render(sites=sites, out=out, jobs=jobs, progress=False)
            wall = time.perf_counter() - t0
        ideal = n_runs * floor / jobs
        figs.append({"name": f"render_example_j{jobs}_s", "value": round(wall, 2), "unit": "s",
                     "target": f"<= {1.5 * ideal:.1f} s (1.5 x {n_runs} runs x floor / {jobs})",
                     "baseline": "runs x floor / jobs", "ratio": round(ideal / wall, 3),
                     "ok_runs": sum(r.ok for r in s.results), "runs": n_runs})
    return figs
