"""Why a schedule cannot be made (part of :mod:`dcplan.schedule`, from :mod:`dcplan.schedule_baselines`).

:func:`explain_infeasible`: an elastic re-solve of an infeasible problem, then for each job left
short what binds: its window, the site limits with the site to itself, or the jobs competing for
the same hours, with the numbers (kWh, kW) a planner needs to act on it.
"""
from __future__ import annotations

import dataclasses

import numpy as np
import pandas as pd

from .schedule_baselines import _room
from .schedule_lp import Problem, solve

__all__ = ["explain_infeasible", "EXPLAIN_JOBS_MAX"]


# ---------------------------------------------------------------------------- infeasibility
#: Jobs left short whose fit alone under a ramp limit is solved for (one small elastic solve
#: each, :func:`_alone_kwh`); the report says so for any further ones.
RAMP_ALONE_CHECKS_MAX = 10
#: Jobs left short the message explains one by one (those that cannot fit even alone first); any further ones
#: are counted with their energy, and the error's shortfall table lists every one. A mix of 200 jobs on a
#: flexible capacity of a few accelerators left ~190 short: a 60,000-character error in the run's summary and index.
EXPLAIN_JOBS_MAX = 5


def explain_infeasible(p: Problem, jf: pd.DataFrame, time_limit_s: float,
                       unserved_usd_per_kwh: float) -> tuple[str, pd.DataFrame]:
    """Which jobs of an infeasible problem cannot fit, by how much, and why.

    Elastic re-solve: every job may leave energy unserved (a non-preemptible one: its run)
    at ``unserved_usd_per_kwh``. For each job left short it then says what binds: its window
    on the time grid; the site limits, hard thermal headroom or ramp limit even with the site
    to itself (``fits_alone_kwh``: the room in its window, and, with a ramp limit, the same
    elastic solve with only that job); or, when it fits alone, the jobs competing for the same
    hours (the other jobs whose windows overlap its own, largest first, with what they need
    together against what the limits leave in their windows). Which job of such a group the
    elastic solve leaves short is its arbitrary choice, and the message says so.

    Parameters
    ----------
    p : Problem
        The problem without a schedule.
    jf : pandas.DataFrame
        Its job table (:func:`dcplan.schedule_jobs.jobs_frame`).
    time_limit_s : float
        Time limit of each solve. [s]
    unserved_usd_per_kwh : float
        Price of the work left unserved in the elastic solve. [$/kWh]

    Returns
    -------
    tuple of (str, pandas.DataFrame)
        The message and the shortfall table of :class:`dcplan.schedule.ScheduleInfeasible`.
    """
    q = dataclasses.replace(p, energy_lo_kwh=np.zeros(len(p.names)), np_optional=np.ones(len(p.names), bool),
                            terminal_usd_per_kwh=np.full(len(p.names), unserved_usd_per_kwh))
    # non-preemptible jobs: optional, with a reward for starting equal to the penalty
    sol = solve(q, mip_rel_gap=1e-2, time_limit_s=time_limit_s, np_reward_usd_per_kwh=unserved_usd_per_kwh)
    if not np.isfinite(sol.objective_usd):
        return ("no schedule meets the limits even with every job left out: the must-run load itself breaks a "
                f"limit (e.g. a ramp limit smaller than its changes); solver said: {sol.message}", pd.DataFrame())
    done = sol.job_kw.sum(axis=1) * p.step_h
    short = np.maximum(p.energy_hi_kwh - done, 0.0)
    rows = []
    room = _room(p)
    n_ramp = 0  # elastic solves of one job alone under the ramp limit
    # short by more than the solver's tolerance (HiGHS: 1e-7 primal feasibility): a job the limits
    # leave 0.08 % short is named with its shortfall, not hidden as rounding
    for j in np.flatnonzero(short > 1e-6 * np.maximum(p.energy_hi_kwh, 1.0)):
        t0, t1 = int(p.t0[j]), int(p.t1[j])
        if p.preemptible[j]:
            alone = np.minimum(room[t0:t1 + 1], p.power_kw[j]).sum() * p.step_h
        else:  # one uninterrupted run: all of it if some n_run intervals in a row have room for run_kw
            nr = int(p.n_run[j])
            ok = room[t0:t1 + 1] >= p.run_kw[j] * (1 - 1e-9) - 1e-9
            runs = np.convolve(ok.astype(np.int64), np.ones(nr, np.int64), "valid") if len(ok) >= nr else []
            alone = p.energy_hi_kwh[j] if np.any(np.asarray(runs) == nr) else 0.0
        n_in = max(t1 - t0 + 1, 0)  # whole intervals of the grid inside [earliest_start, deadline]
        grid_kwh = p.power_kw[j] * n_in * p.step_h  # the window's energy at the job's power
        on_grid = (grid_kwh if p.preemptible[j]
                   else (p.energy_hi_kwh[j] if n_in >= int(p.n_run[j]) else 0.0))
        # with a ramp limit: what the job places alone under it too (NaN: not checked)
        ramp_alone = np.nan
        if p.ramp_kw is not None and on_grid >= p.energy_hi_kwh[j] - 1e-6 and n_ramp < RAMP_ALONE_CHECKS_MAX:
            ramp_alone = _alone_kwh(q, j, time_limit_s, unserved_usd_per_kwh)
            n_ramp += 1
        rows.append({"job": p.names[j], "energy_kwh": p.energy_hi_kwh[j], "unplaced_kwh": short[j],
                     "earliest_start": jf["earliest_start"].iloc[j],
                     "deadline": jf["deadline"].iloc[j], "preemptible": bool(p.preemptible[j]),
                     "fits_alone_kwh": float(np.fmin(alone, ramp_alone)), "fits_grid_kwh": on_grid,
                     "grid_intervals": n_in, "grid_kwh": grid_kwh, "run_intervals": int(p.n_run[j]),
                     "fits_alone_room_kwh": alone, "ramp_checked": not np.isnan(ramp_alone), "pos": j})
    df = pd.DataFrame(rows)
    if df.empty:
        return f"the solver found no schedule but the elastic check places every job; solver said: {sol.message}", df
    idle = jf.attrs.get("idle_frac")  # dcplan.schedule_idle.above_idle: the jobs' figures above the idle draw
    # the jobs that cannot fit even alone first (with_slack(jobs, 0): the one to act on), then those competing
    alone_first = sorted(df.itertuples(), key=lambda r: min(r.fits_grid_kwh, r.fits_alone_kwh) >= r.energy_kwh - 1e-6)
    lines = [_why(p, r, room, sol.message, idle) for r in alone_first[:EXPLAIN_JOBS_MAX]]
    rest = alone_first[EXPLAIN_JOBS_MAX:]
    if rest:
        lines.append(f"and {len(rest):,} more job(s) are left short by {sum(r.unplaced_kwh for r in rest):,.1f} kWh "
                     f"({len(alone_first):,} jobs short in all, {float(df['unplaced_kwh'].sum()):,.1f} kWh of the "
                     f"{float(p.energy_hi_kwh.sum()):,.1f} kWh asked; the error's shortfall table lists every one)")
    return "; ".join(lines), df.drop(columns=["fits_alone_room_kwh", "ramp_checked", "pos"])


def _alone_kwh(q: Problem, j: int, time_limit_s: float, unserved_usd_per_kwh: float) -> float:
    """What job ``j`` of the elastic problem ``q`` places with the site to itself, under every
    limit (the ramp limit too). [kWh]"""
    one = [j]
    per_job = ("preemptible", "power_kw", "energy_lo_kwh", "energy_hi_kwh", "t0", "t1", "block", "n_run", "run_kw",
               "np_optional", "priority", "terminal_usd_per_kwh", "block_first")
    kw = {k: getattr(q, k)[one] for k in per_job if getattr(q, k) is not None}
    sol = solve(dataclasses.replace(q, names=[q.names[j]], **kw), mip_rel_gap=1e-2, time_limit_s=time_limit_s,
                np_reward_usd_per_kwh=unserved_usd_per_kwh)
    return float(sol.job_kw.sum() * q.step_h) if np.isfinite(sol.objective_usd) else 0.0


def _binding(p: Problem, ts) -> list | None:
    """The limits that leave the least flexible room in intervals ``ts`` (those equal to it in any of
    them), named as given; None when the problem does not say (``limit_room_kw`` empty)."""
    if not p.limit_room_kw:
        return None
    ts = np.atleast_1d(np.asarray(ts, np.int64))
    if not len(ts):
        return None
    parts = {k: np.maximum(v[ts] - p.fixed_it_kw[ts], 0.0) for k, v in p.limit_room_kw.items()}
    if p.headroom_it_kw is not None and p.headroom_mode == "hard":
        parts["the thermal headroom"] = np.maximum(p.headroom_it_kw[ts] - p.base_it_kw[ts] - p.fixed_it_kw[ts], 0.0)
    least = np.min(np.vstack(list(parts.values())), axis=0)
    out = [k for k, v in parts.items() if (v <= least + 1e-6 * np.maximum(1.0, least)).any()]
    return out or None


def _and(parts) -> str:
    return parts[0] if len(parts) == 1 else ", ".join(parts[:-1]) + " and " + parts[-1]


def _limits_text(p: Problem, t0: int, t1: int, ramp: bool, ts=None) -> str:
    """The limits that hold the flexible load in intervals ``t0 .. t1``, named as given (no cap
    is named where none is set); with ``ts`` (intervals), only those that bind there (:func:`_binding`)."""
    bind = None if ts is None else _binding(p, ts)
    if bind is not None:
        return _and(bind + ([f"the ramp limit of {p.ramp_kw:,g} kW"] if ramp and p.ramp_kw is not None else []))
    parts = list(p.site_limits or ["the site limit"]) if np.isfinite(p.flex_ub_kw[t0:t1 + 1]).any() else []
    if p.headroom_it_kw is not None and p.headroom_mode == "hard":
        parts.append("the thermal headroom")
    if ramp and p.ramp_kw is not None:
        parts.append(f"the ramp limit of {p.ramp_kw:,g} kW")
    if not parts:
        return "the site's limits"
    return parts[0] if len(parts) == 1 else ", ".join(parts[:-1]) + " and " + parts[-1]


def _leave(limits: str) -> str:
    """``limits`` (:func:`_limits_text`) with its verb: "the site cap leaves", "curtailments leave"."""
    plural = " and " in limits or limits in ("curtailments", "4CP windows", "the site's limits")
    if limits == "the installed IT power":
        return "the installed IT power (must-run, the flexible capacity's idle draw and the jobs together) leaves"
    return f"{limits} {'leave' if plural else 'leaves'}"


def _why(p: Problem, r, room: np.ndarray, solver_message: str, idle=None) -> str:
    """One line of the infeasibility report: job ``r`` (a shortfall row), its shortfall and what binds."""
    # decimals enough to tell the shortfall, the job's energy and the room apart (0.05 kWh
    # short of 96.05 kWh: "0.05 kWh of 96.05 kWh", not "0.0 kWh of 96.0 kWh")
    nd = int(min(6, max(1, -np.floor(np.log10(max(r.unplaced_kwh, 1e-6))))))
    j, t0, t1 = r.pos, int(p.t0[r.pos]), int(p.t1[r.pos])
    if r.fits_grid_kwh < r.energy_kwh - 1e-6:  # the window itself, rounded to the grid, is too short
        step = _step_text(p.step_h)
        need = "" if r.preemptible else f"; its uninterrupted run needs {r.run_intervals}"
        why = (f"even alone and without any limit: its window {r.earliest_start} to {r.deadline} holds only "
               f"{r.grid_intervals} whole {step} interval(s) of the time grid ({r.grid_kwh:,.1f} kWh "
               f"at its power{need}); intervals cut by the window's ends are not used: widen the window to "
               "the grid or use a finer grid")
    elif r.fits_alone_room_kwh < r.energy_kwh - 1e-6:
        if r.preemptible:  # the intervals where the room is below the job's power
            lim = _limits_text(p, t0, t1, ramp=False, ts=t0 + np.flatnonzero(room[t0:t1 + 1] < p.power_kw[j] - 1e-9))
            why = f"even alone: {_leave(lim)} only {r.fits_alone_room_kwh:,.{nd}f} kWh in its window"
        else:
            why = f"even alone: {_run_room_text(p, j, room)}"
    elif r.fits_alone_kwh < r.energy_kwh - 1e-6:  # room enough, but not under the ramp limit
        why = (f"even alone: under the ramp limit of {p.ramp_kw:,g} kW (the most the site load may change from one "
               f"interval to the next, ramping up to the job and back down) it places only "
               f"{r.fits_alone_kwh:,.{nd}f} kWh in its window, where without the ramp limit it would fit: raise "
               "ramp_kw or widen its window")
    else:
        why = _competing(p, j, room, nd, r.ramp_checked, solver_message)
    kind = [] if r.preemptible else ["non-preemptible: one uninterrupted run"]
    if idle:  # the schedule's figures are the part above idle: say so, with the job's own
        f = 1.0 / (1.0 - float(idle))
        kw = p.power_kw[j] if r.preemptible else p.run_kw[j]
        kind.append(f"as given {r.energy_kwh * f:,.{nd}f} kWh at {p.power_kw[j] * f:,.1f} kW; scheduled above the "
                    f"flexible capacity's idle draw, x (1 - idle_frac {float(idle):.4g}): {r.energy_kwh:,.{nd}f} kWh "
                    f"at {kw:,.1f} kW, the figures that follow")
    kind = f" ({'; '.join(kind)})" if kind else ""
    return (f"job {r.job!r}{kind}: {r.unplaced_kwh:,.{nd}f} kWh of {r.energy_kwh:,.{nd}f} kWh cannot fit before "
            f"its deadline {r.deadline} {why}")


def _run_room_text(p: Problem, j: int, room: np.ndarray) -> str:
    """Why non-preemptible job ``j`` has no run even alone, in numbers: the power and length of
    its run against the most flexible room ``limits`` leave for that long in its window (and,
    when it is more, in any one interval of it)."""
    t0, t1, nr = int(p.t0[j]), int(p.t1[j]), int(p.n_run[j])
    w = room[t0:t1 + 1]
    run_h, kw = nr * p.step_h, float(p.run_kw[j])
    # the most power an uninterrupted run of nr intervals finds: max over its starts of the least room
    if len(w) >= nr:
        mins = np.lib.stride_tricks.sliding_window_view(w, nr).min(axis=1)
        s = int(mins.argmax())
        best = float(mins[s])
        at = t0 + s + int(np.argmin(w[s:s + nr]))  # the interval of that run with the least room: what binds there
    else:
        best, at = 0.0, None
    limits = _limits_text(p, t0, t1, ramp=False, ts=None if at is None else [at])
    peak = float(w.max()) if len(w) else 0.0
    spread = (f" ({p.energy_hi_kwh[j]:,.1f} kWh spread over {nr} whole {_step_text(p.step_h)} interval(s); "
              f"its power_kw is {p.power_kw[j]:,.1f} kW)" if kw < p.power_kw[j] * (1 - 1e-9) else "")
    if nr <= 1 or peak <= best + 1e-6:
        room_text = f"at most {best:,.1f} kW of flexible IT room in its window"
    else:
        room_text = (f"at most {best:,.1f} kW of flexible IT room for {run_h:g} h in a row in its window "
                     f"({f'{peak:,.1f} kW' if np.isfinite(peak) else 'no limit'} in its roomiest interval)")
    return f"the job needs {kw:,.1f} kW for {run_h:g} h uninterrupted{spread}; {_leave(limits)} {room_text}"


def _step_text(step_h: float) -> str:
    """A grid step as written in messages: ``1 h``, ``15 min``."""
    return f"{step_h:g} h" if step_h >= 1 else f"{step_h * 60:g} min"


def _competing(p: Problem, j: int, room: np.ndarray, nd: int, ramp_checked: bool, solver_message: str) -> str:
    """Why job ``j``, which fits alone, is short: the other jobs whose windows overlap its own."""
    t0, t1 = p.t0, p.t1
    ov = np.flatnonzero((t0 <= t1[j]) & (t1 >= t0[j]) & (t1 >= t0) & (np.arange(len(t0)) != j))
    ov = ov[np.argsort(-p.energy_hi_kwh[ov], kind="stable")]
    lim = _limits_text(p, int(t0[j]), int(t1[j]), ramp=True)
    unchecked = ("" if p.ramp_kw is None or ramp_checked else
                 f" (whether it fits alone under the ramp limit was not checked: only the first "
                 f"{RAMP_ALONE_CHECKS_MAX} jobs short are)")
    if not len(ov):
        near = (", but the ramp limit ties it to the load of the hours around its window" if p.ramp_kw is not None
                else f"; the elastic check may have stopped short (solver said: {solver_message})")
        return f"under {lim}: alone it fits{unchecked}, and no other job's window overlaps its own{near}"
    g = np.r_[j, ov]
    lo, hi = int(t0[g].min()), int(t1[g].max())
    kw = np.zeros(hi - lo + 1)  # the group's power in each interval of its windows
    for k in g:
        kw[t0[k] - lo:t1[k] - lo + 1] += p.power_kw[k] if p.preemptible[k] else p.run_kw[k]
    bound = float(np.minimum(room[lo:hi + 1], kw).sum() * p.step_h)
    need = float(p.energy_hi_kwh[g].sum())
    listed = ", ".join(f"{p.names[k]!r} {p.energy_hi_kwh[k]:,.{nd}f} kWh" for k in ov[:5])
    if len(ov) > 5:
        listed += f" and {len(ov) - 5:,} more"
    total = (f"; together they need {need:,.{nd}f} kWh where {_leave(_limits_text(p, lo, hi, ramp=False))} at most "
             f"{bound:,.{nd}f} kWh in their windows" if need > bound + 1e-6 else "")
    return (f"under {lim} together with the other jobs competing for the same hours: alone it fits{unchecked}, but "
            f"its window overlaps those of {len(ov):,} other job(s): {listed}{total}. The shortfall is the group's: "
            "which of its jobs is left short is the solver's arbitrary choice, so shorten, move or widen any of them")
