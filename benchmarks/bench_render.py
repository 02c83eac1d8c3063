"""`dcplan render` wall time vs the papermill floor.

Floor: one bare papermill run of an empty notebook (kernel start-up + save), the least any
notebook run can cost. Target (issue 2): the example render within 1.5x of
(runs x floor) / jobs, i.e. ratio = ideal / actual >= 0.67.
"""
from __future__ import annotations

import tempfile
import time
from pathlib import Path


def _floor_s(repeats: int = 2) -> float:
    import nbformat
    import papermill as pm
    with tempfile.TemporaryDirectory() as d:
        nb = nbformat.v4.new_notebook()
        p = nbformat.v4.new_code_cell("x = 1")
        p.metadata["tags"] = ["parameters"]
        nb.cells = [p]
        nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
        src = Path(d) / "empty.ipynb"
        nbformat.write(nb, str(src))
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
    sites = ["phoenix-az"] if quick else None
    n_runs = len(plan_runs(sites=sites, out=tempfile.gettempdir()))
    figs = [{"name": "papermill_floor_s", "value": round(floor, 3), "unit": "s",
             "target": "n/a (floor)", "baseline": "empty notebook", "ratio": None}]
    for jobs in (1, 2):
        with tempfile.TemporaryDirectory() as out:
            t0 = time.perf_counter()
            s = render(sites=sites, out=out, jobs=jobs, progress=False)
            wall = time.perf_counter() - t0
        ideal = n_runs * floor / jobs
        figs.append({"name": f"render_example_j{jobs}_s", "value": round(wall, 2), "unit": "s",
                     "target": f"<= {1.5 * ideal:.1f} s (1.5 x runs x floor / jobs; {n_runs} runs)",
                     "baseline": "runs x floor / jobs", "ratio": round(ideal / wall, 3),
                     "ok_runs": sum(r.ok for r in s.results)})
    return figs
