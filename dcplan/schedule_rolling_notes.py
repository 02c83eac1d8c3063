"""The rolling horizon's notes on what gave way: the warnings and the shortfall table of
:func:`dcplan.schedule_rolling.rolling_horizon` (jobs left short, non-preemptible runs a curtailment
stopped, a ramp limit exceeded), the stopping of such runs at a curtailment notice, and the errors of a
window whose solve stopped with no schedule or whose re-solve leaving work unserved was not proven.

Split from :mod:`dcplan.schedule_rolling` (which re-exports these names) to keep it under the size limit.
"""
from __future__ import annotations

import warnings

import numpy as np
import pandas as pd

from .errors import DcplanError, DcplanWarning
from .schedule_inputs import _curtail_ub
from .schedule_solve import proven, status_text, stopped_message


def window_stopped(start, end, sol, time_limit_s, what: str = "") -> DcplanError:
    """The error of a window whose solve ``sol`` stopped with no schedule and no proof of infeasibility (HiGHS
    status other than 2: the time limit before any schedule, a solver error), naming the window; ``what``: which
    of its solves (the elastic re-solve, ...). Not an input error: the jobs and the site may be fine."""
    return DcplanError(stopped_message(f"rolling horizon, window {start} .. {end}{what}", sol.status, sol.message,
                                       sol.solve_s, time_limit_s))


def _check_elastic(sol, start, end, mip_rel_gap, time_limit_s, what: str) -> None:
    """A window's elastic re-solve (work left unserved at a penalty, after HiGHS proved the window infeasible):
    a DcplanError when it stopped with no schedule and no proof of infeasibility, or with a schedule not proven
    within the gap asked (the work it leaves unserved may then be what the time limit left undone, not what
    cannot be done: it is not reported as unserved work). A proven infeasibility (status 2) goes on to the
    next step (the ramp limit relaxed, or the must-run error)."""
    if np.isfinite(sol.objective_usd) and not proven(sol.status, sol.mip_gap, mip_rel_gap, sol.objective_usd,
                                                     sol.bound_usd):
        raise DcplanError(
            f"rolling horizon, window {start} .. {end}: the window cannot do all its work, and the re-solve that "
            f"leaves the least of it unserved{what} was not proven within the gap asked ({status_text(sol.status)}: "
            f"{sol.message}; gap {100.0 * sol.mip_gap:.3g} %, asked {100.0 * mip_rel_gap:.3g} %), so how much work "
            f"cannot be done there is not known; raise time_limit_s (now {float(time_limit_s):g} s per solve)")
    if not np.isfinite(sol.objective_usd) and sol.status != 2:
        raise window_stopped(start, end, sol, time_limit_s, f", its re-solve leaving work unserved{what}")


def _few(items, k: int = 5) -> str:
    """The first ``k`` items joined by commas, and how many more there are."""
    return ", ".join(items[:k]) + (f" and {len(items) - k} more" if len(items) > k else "")


def _warn_limits_given_way(stopped, ramp_over) -> None:
    """Warn of the non-preemptible runs a curtailment stopped and of a ramp limit exceeded."""
    if ramp_over:
        warnings.warn(f"rolling horizon: the ramp limit is exceeded by up to {max(v for _, v in ramp_over):,.1f} kW "
                      f"in {len(ramp_over)} window(s) (first from {ramp_over[0][0]}; windows.ramp_excess_kw): the "
                      "load already committed could not ramp down in time to a curtailment announced later",
                      DcplanWarning, stacklevel=3)
    if stopped:
        warnings.warn(f"rolling horizon: {len(stopped)} non-preemptible run(s) stopped by a curtailment announced "
                      f"after they started ({_few([f'{k!r} at {t}' for k, t in stopped])}): their energy so far is "
                      "billed and lost (jobs.lost_kwh); each runs again from the start if its deadline still allows",
                      DcplanWarning, stacklevel=3)


def _shortfall(jf, done, e_tot, short_windows, stopped) -> pd.DataFrame:
    """The jobs left short, with a warning naming them and the first window that left them short."""
    short = np.flatnonzero(done < e_tot - 1e-3)
    cols = ["energy_kwh", "unplaced_kwh", "deadline", "reason"]
    if not len(short):
        return pd.DataFrame(columns=cols, index=pd.Index([], name=jf.index.name))
    why = {k: f"its run was stopped by a curtailment announced at {t}" for k, t in reversed(stopped)}
    for start, end, jobs in short_windows:
        for name in jobs:
            why.setdefault(name, f"window {start} .. {end} could not do all of it")
    names = jf.index[short]
    out = pd.DataFrame({"energy_kwh": e_tot[short], "unplaced_kwh": e_tot[short] - done[short],
                        "deadline": jf["deadline"].iloc[short].to_numpy(),
                        "reason": [why.get(k, "") for k in names]}, index=names)
    listed = _few([f"{k!r} {v:,.1f} kWh" for k, v in out["unplaced_kwh"].items()])
    where = f"; first short window {short_windows[0][0]} .. {short_windows[0][1]}" if short_windows else ""
    warnings.warn(f"rolling horizon: {len(out)} job(s) left short, {out['unplaced_kwh'].sum():,.1f} kWh in all "
                  f"({listed}){where}: either they do not fit at all (dcplan.schedule.optimize on those days "
                  "explains why) or what earlier windows committed left too little room (e.g. a curtailment "
                  "announced after they committed). The bill is of the work done; a saving is given only against a "
                  "strategy that left the same jobs unplaced and did the same IT work (RollingResult.shortfall, "
                  ".not_comparable, .same_unplaced)", DcplanWarning, stacklevel=3)
    return out


def _known_at(index, a) -> pd.Timestamp:
    """What a window from interval ``a`` knows: the events announced before that interval ends."""
    return index[a] - pd.Timedelta(1, "ns")


def _stop_runs(a, index, step, curtailments, pf, fixed, started, n_run, ja, pre, lost, stopped) -> None:
    """At a curtailment notice: stop each non-preemptible run started earlier that would break a
    limit announced now (it cannot pause: its energy so far is billed and lost, and it is open
    again, to run anew from the start if its deadline still allows)."""
    running = np.flatnonzero(~pre & (started >= 0) & (started + n_run > a))
    if not len(running):
        return
    lim = _curtail_ub(curtailments, index[a:], step, _known_at(index, a))
    for j in running:
        end = int(started[j] + n_run[j])
        seg = slice(a, end)
        site = pf.pue[seg] * (pf.base_it_kw[seg] + fixed[seg])
        if (site > lim[:end - a] + 1e-6).any():
            fixed[seg] -= ja["run_kw"][j]
            lost[j] += ja["run_kw"][j] * (a - started[j]) * (step / 3600.0)
            stopped.append((ja["names"][j], index[a] - pd.Timedelta(seconds=step)))
            started[j] = -1
