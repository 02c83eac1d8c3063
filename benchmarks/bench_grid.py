"""Benchmarks of dcplan.grid: headroom curve, battery dispatch, capacity check.

* Headroom curve, one year hourly at 50 curtailment levels (target < 0.5 s). Baseline:
  per-level bisection on the curtailed share, each step a full numpy pass over the year
  (the straightforward way to solve the Duke criterion).
* Battery peak-shaving dispatch, one year hourly, numba-compiled loop. Baseline: the same
  loop in plain Python (``grid_battery._dispatch_py``).
* Capacity check with battery sizing, one year hourly (no baseline).
* The site chain's battery (monthly demand targets + dispatch) for a repeating year, one
  year hourly, against the same from a full start.
"""
from __future__ import annotations


import numpy as np
import pandas as pd

from dcplan import grid
from dcplan.grid_battery import _dispatch, _dispatch_py
from benchmarks import best_of


def _bisection_baseline(x: np.ndarray, limits: np.ndarray) -> np.ndarray:
    p = x.max()
    m = p - x
    out = []
    for f in limits:
        lo, hi = 0.0, p
        for _ in range(50):
            mid = 0.5 * (lo + hi)
            if np.maximum(mid - m, 0).sum() <= f * len(x) * mid:
                lo = mid
            else:
                hi = mid
        out.append(lo)
    return np.array(out)


def run(quick: bool = False) -> list[dict]:
    repeat = 2 if quick else 5
    load = grid.example_system_load()
    limits = np.linspace(0.0005, 0.05, 50)
    grid.headroom_curve(load, limits)  # warm caches
    t_ours = best_of(lambda: grid.headroom_curve(load, limits), repeat)
    t_base = best_of(lambda: _bisection_baseline(load.to_numpy(), limits), 1 if quick else 2)

    rng = np.random.default_rng(0)
    n = 8760
    fac = 9000 + 1500 * np.sin(np.arange(n) / 24 * 2 * np.pi) + rng.normal(0, 300, n)
    target = np.full(n, 10000.0)
    args = (fac, target, 1500.0, 0.0, 6000.0, 6000.0, 0.92, 0.92, 1.0)
    _dispatch(*args)  # compile / load cache
    t_nb = best_of(lambda: _dispatch(*args), repeat * 4)
    t_py = best_of(lambda: _dispatch_py(*args), 1 if quick else 2)

    idx = pd.date_range("2025-01-01 01:00", periods=n, freq="h", tz="Etc/GMT+5")
    fac_s = pd.Series(fac, index=idx)
    grid.capacity_check(fac_s, 10000.0)
    t_cc = best_of(lambda: grid.capacity_check(fac_s, 10000.0), repeat)
    # the site chain's battery: monthly demand targets and dispatch for a repeating year, vs
    # the same from a full start (the cyclic year adds the year-map pass to every bisection step)
    kw = dict(power_kw=1500.0, energy_kwh=6000.0)

    def site_battery(start):
        tgt = grid.demand_targets_kw(fac_s, soc_initial_frac=start, **kw)
        return grid.peak_shave(fac_s, tgt, soc_initial_frac=start, **kw)
    site_battery("cyclic")
    t_cyc = best_of(lambda: site_battery("cyclic"), repeat)
    t_full = best_of(lambda: site_battery(None), repeat)
    return [
        {"name": "headroom curve, 8760 h x 50 limits", "value": t_ours, "unit": "s", "target": "< 0.5 s",
         "baseline": "per-limit bisection, full numpy pass per step", "ratio": t_base / t_ours},
        {"name": "battery dispatch, 8760 h", "value": t_nb, "unit": "s", "target": "< 0.05 s",
         "baseline": "same loop in plain Python", "ratio": t_py / t_nb},
        {"name": "capacity check incl. battery sizing, 8760 h", "value": t_cc, "unit": "s", "target": "< 0.1 s",
         "baseline": "none", "ratio": None},
        {"name": "site battery, repeating year: demand targets + dispatch, 8760 h", "value": t_cyc, "unit": "s",
         "target": "< 0.1 s", "baseline": "the same from a full start (first year)", "ratio": t_full / t_cyc},
    ]
