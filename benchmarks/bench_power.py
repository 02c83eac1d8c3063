"""Benchmarks of dcplan.power (issue: rack power draw model).

1. One year of site IT power at 1 s (31,536,000 intervals) for a 10,000-accelerator
   fleet (1,250 ``hgx-h100`` servers, lock-step training), float32 output. Target < 3 s.
2. One year at 1 h for 1,000 sites (the four example fleets at seven utilisations).
   Target < 1 s. Run twice: all sites with the pipeline's default seed (sites that share
   a workload reuse the memoised process) and with a distinct seed per site.

Baseline: a straightforward per-step Python implementation of the same model (a
``for`` loop over intervals computing the time fractions at the compute, communication
and checkpoint levels with ``math.floor`` and the unit power with scalar arithmetic,
appending to a list). It is timed on a subset (1 day at 1 s; 5 sites at 1 h) and
extrapolated linearly to the full size; ``ratio`` = baseline time / our time.
Timings exclude numba's one-off compile/cache load (a warm-up call runs first) and
building the 31.5 M-point DatetimeIndex (reported separately).
"""
from __future__ import annotations

import math
import time

import numpy as np
import pandas as pd

from dcplan import power as pw
from dcplan.site import load_portfolio
from dcplan.workload import make_process


def _python_training_kw(start_s, step, n, proc, level_kw):
    """Per-step Python baseline of the training model: same closed-form fractions
    (compute, communication, checkpoint, restart) in a scalar loop, appended to a list."""
    p = proc._p
    it, cdur = p["iteration_s"], p["comm_frac"] * p["iteration_s"]
    T, d = proc._T, p["checkpoint_s"]
    psi, phi = proc._phases
    ia, ib = proc._interruptions(start_s, start_s + n * step)

    def sq(t, ph, per, dur):
        x = t - ph
        k = math.floor(x / per)
        return k * dur + min(x - k * per, dur)

    i_dip = sq(phi + d, psi, it, cdur) - sq(phi, psi, it, cdur)

    def cums(t):
        k = math.floor((t - phi) / T)
        a = phi + k * T
        g = k * i_dip + sq(min(t, a + d), psi, it, cdur) - sq(a, psi, it, cdur)
        return sq(t, psi, it, cdur), sq(t, phi, T, d), g, t

    done = [0.0, 0.0, 0.0, 0.0]     # integrals of (S, D, SD, 1) over finished interruptions
    state = {"j": 0}

    def inside(t):       # integrals of (S, D, SD, 1) over interruptions up to t (t increasing)
        j = state["j"]
        while j < len(ia) and ib[j] <= t:
            x0, x1 = cums(ia[j]), cums(ib[j])
            for q in range(4):
                done[q] += x1[q] - x0[q]
            j += 1
        state["j"] = j
        tot = list(done)
        if j < len(ia) and ia[j] < t:
            x0, x1 = cums(ia[j]), cums(t)
            for q in range(4):
                tot[q] += x1[q] - x0[q]
        return tot

    out = []
    pc, pm, pk, pr = level_kw
    prev, prev_i = cums(start_s), inside(start_s)
    for i in range(n):
        t1 = start_s + (i + 1) * step
        cur, cur_i = cums(t1), inside(t1)
        fs, fd, fsd, _ = ((cur[q] - prev[q] - (cur_i[q] - prev_i[q])) / step for q in range(4))
        fi = (cur_i[3] - prev_i[3]) / step
        out.append(fi * pr + fd * pk + (fs - fsd) * pm + (1 - fi - fd - fs + fsd) * pc)
        prev, prev_i = cur, cur_i
    return out


def run(quick: bool = False) -> list[dict]:
    figs = []
    # ---------------------------------------------------------------- 1 s, one year
    fleet = {"phases": [{"hardware": "hgx-h100", "count": 1250, "start": "2025-01-01"}],
             "workload": "training", "utilisation_frac": 0.8}
    days = 7 if quick else 365
    pw.site_it_kw(fleet, pd.date_range("2025-01-01 00:00:01", periods=60, freq="1s", tz="UTC"),
                  dtype="float32")     # warm-up (numba cache load)
    t = time.perf_counter()
    idx = pd.date_range("2025-01-01 00:00:01", periods=days * 86400, freq="1s", tz="UTC")
    t_index = time.perf_counter() - t
    t = time.perf_counter()
    it = pw.site_it_kw(fleet, idx, dtype="float32")
    ours = time.perf_counter() - t
    # baseline on one day, extrapolated
    proc = make_process("training", 0.8)
    # 1,250 servers in 313 racks, each rack with its network/storage gear
    levels = 1250 * pw.unit_power_kw(proc._levels, "hgx-h100") + 313 * pw.rack_gear_power_kw(proc._levels, "hgx-h100")
    n_base = 86400 if not quick else 20000
    t = time.perf_counter()
    base = _python_training_kw(idx[0].value / 1e9 - 1, 1.0, n_base, proc, levels)
    base_s = (time.perf_counter() - t) * len(idx) / n_base
    np.testing.assert_allclose(np.asarray(base[:1000]), it.to_numpy()[:1000], rtol=1e-5)   # same model
    figs.append({"name": f"site IT power, {len(idx):,} x 1 s, 10,000 GPUs (training)", "value": ours,
                 "unit": "s", "target": "< 3 s", "baseline": "per-step Python loop (extrapolated from "
                 f"{n_base:,} steps)", "ratio": base_s / ours})
    figs.append({"name": "  of which not timed: building the 1 s DatetimeIndex", "value": t_index, "unit": "s",
                 "target": "n/a", "baseline": "none", "ratio": None})
    figs.append({"name": "  output memory (float32)", "value": it.nbytes / 1e6, "unit": "MB",
                 "target": "n/a", "baseline": "none", "ratio": None})
    del it, idx

    # ---------------------------------------------------------------- 1 h, 1,000 sites
    sites = list(load_portfolio())
    n_sites = 100 if quick else 1000
    fleets = [sites[i % 4].fleet.model_copy(update={"utilisation_frac": 0.5 + 0.2 * (i % 7) / 7})
              for i in range(n_sites)]
    hidx = pd.date_range("2027-01-01 01:00", periods=8760, freq="1h", tz="America/New_York")
    pw.site_it_kw(fleets[0], hidx, deployed="all")
    for label, seeds in (("default seed", [0] * n_sites), ("distinct seeds", list(range(n_sites)))):
        t = time.perf_counter()
        for f, s in zip(fleets, seeds):
            pw.site_it_kw(f, hidx, seed=s, deployed="all")
        ours = time.perf_counter() - t
        # baseline: per-step Python over 5 sites, extrapolated (training fleets, the
        # cheapest per-step model, so the ratio is conservative)
        tr = [f for f in fleets if f.workload == "training"][:5]
        t = time.perf_counter()
        for f in tr:
            proc = make_process("training", f.utilisation_frac)
            hw = f.phases[0].hardware
            lv = sum(p.count for p in f.phases) * pw.unit_power_kw(proc._levels, hw)
            _python_training_kw(hidx[0].value / 1e9 - 3600, 3600.0, len(hidx), proc, lv)
        base_s = (time.perf_counter() - t) / len(tr) * n_sites
        figs.append({"name": f"site IT power, {n_sites:,} sites x 8,760 h ({label})", "value": ours,
                     "unit": "s", "target": "< 1 s", "baseline": "per-step Python loop (extrapolated "
                     "from 5 sites)", "ratio": base_s / ours})
    return figs


if __name__ == "__main__":  # pragma: no cover
    for f in run():
        print(f)
