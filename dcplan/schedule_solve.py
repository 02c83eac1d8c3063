"""Whether a schedule's HiGHS solve is proven within the MIP gap asked: its status, its gap, the
warning when it is not, and the words the off-peak notebook publishes.

HiGHS (``scipy.optimize.milp``) stops at the relative MIP gap asked (``mip_rel_gap``, default
:data:`dcplan.schedule.MIP_REL_GAP_DEFAULT`) or at its time limit (``time_limit_s``). A solve stopped
by the time limit with a schedule in hand returns that schedule (status 1): its bill is real, but it is
not proven within the gap asked of the best one, and the saving can be well short of the optimum's (an
auditor's NC week at ``time_limit_s=5``: gap 0.65 % where 0.1 % was asked, a saving of 44,956 USD
against the optimum's 45,683 USD). Such a solve is *not proven*: :func:`proven` says so, and
:func:`unproven_warning` issues a :class:`~dcplan.errors.DcplanWarning` naming the solve, its status,
its gap and that ``time_limit_s`` can be raised. A solve with no schedule at all is an error, not a
warning (:func:`stopped_message`): :func:`dcplan.schedule.optimize` and
:func:`dcplan.schedule_rolling.rolling_horizon` raise a :class:`~dcplan.errors.DcplanError`.

Used by :mod:`dcplan.schedule` (``ScheduleResult.solve["proven"]``, :func:`~dcplan.schedule.optimize`'s
and :func:`~dcplan.schedule.optimize_each`'s warnings), :mod:`dcplan.schedule_rolling`
(``RollingResult.windows.proven``, its warning) and the off-peak notebook (:func:`week_status_text`,
:func:`cases_status_text`, :func:`rolling_status_text`: the published ``*_solver_status`` figures).
"""
from __future__ import annotations

import warnings

import numpy as np

from .errors import DcplanWarning

__all__ = ["STATUS_TEXT", "proven", "status_text", "stopped_message", "unproven_text", "unproven_warning",
           "result_text", "span_name",
           "week_status_text", "cases_status_text", "rolling_status_text", "worst_gap"]

#: ``scipy.optimize.milp`` status codes in words (scipy's documentation of ``milp``'s ``status``).
STATUS_TEXT = {0: "optimal", 1: "stopped at a limit (time_limit_s, or a node or iteration limit)", 2: "infeasible",
               3: "unbounded", 4: "stopped by a solver error"}


def status_text(status) -> str:
    """``milp``'s status in words: ``0`` -> ``"optimal"`` (:data:`STATUS_TEXT`)."""
    return STATUS_TEXT.get(int(status), f"status {int(status)}")


def proven(status, mip_gap, mip_rel_gap, objective_usd=np.nan, bound_usd=np.nan) -> bool:
    """True when HiGHS proved its schedule within the relative gap asked: status 0 (optimal) and an achieved
    gap at most the one asked (to 1e-9; or, where the objective is near 0, objective and bound within
    HiGHS's absolute gap of 1e-6 USD, its default ``mip_abs_gap``, by which it also stops).

    >>> proven(0, 2e-4, 1e-3), proven(1, 2e-4, 1e-3), proven(0, 6.5e-3, 1e-3)
    (True, False, False)
    """
    if int(status) != 0:
        return False
    gap = float(mip_gap)
    if not np.isfinite(gap) or gap <= float(mip_rel_gap) + 1e-9:
        return True
    return bool(np.isfinite(objective_usd) and np.isfinite(bound_usd) and abs(objective_usd - bound_usd) <= 1e-6)


def _pct(frac) -> str:
    """A gap as a percentage, 3 significant figures: 6.5e-3 -> ``"0.65 %"``."""
    return "n/a" if frac is None or not np.isfinite(frac) else f"{100.0 * float(frac):.3g} %"


def unproven_text(what: str, status, message: str, mip_gap, mip_rel_gap, time_limit_s, *,
                  objective_usd=np.nan, bound_usd=np.nan, source: str = "milp") -> str:
    """The warning's words for one solve not proven within the gap asked (:func:`proven`)."""
    far = abs(float(objective_usd) - float(bound_usd)) if np.isfinite(objective_usd) and np.isfinite(bound_usd) \
        else np.nan
    usd = f", up to {far:,.0f} USD of the objective from the best schedule" if np.isfinite(far) else ""
    kept = {"greedy": "; the greedy baseline's schedule was cheaper and is the one kept",
            "asap": "; run-ASAP's schedule was cheaper and is the one kept"}.get(source, "")
    return (f"{what}: HiGHS did not prove its schedule within the MIP gap asked ({status_text(status)}: {message}; "
            f"gap {_pct(mip_gap)}{usd}, asked {_pct(mip_rel_gap)}){kept}: the bill and savings of this schedule are "
            f"those of a schedule that may not be the best one; raise time_limit_s (now {float(time_limit_s):g} s"
            " per solve) to prove it")


def result_text(solve: dict, what: str) -> str:
    """:func:`unproven_text` of a :class:`~dcplan.schedule.ScheduleResult`'s ``solve``."""
    return unproven_text(what, solve["status"], solve["message"], solve["mip_gap"], solve["mip_rel_gap"],
                         solve["time_limit_s"], objective_usd=solve["objective_usd"], bound_usd=solve["bound_usd"],
                         source=solve["source"])


def span_name(index, what: str = "optimize") -> str:
    """``"optimize over <first> .. <last interval end>"``: a solve named by its index."""
    return f"{what} over {index[0]} .. {index[-1]}" if len(index) else what


def unproven_warning(text: str, stacklevel: int = 3) -> None:
    """Issue ``text`` (:func:`unproven_text`) as a :class:`~dcplan.errors.DcplanWarning`."""
    warnings.warn(text, DcplanWarning, stacklevel=stacklevel)


def stopped_message(what: str, status, message: str, solve_s: float, time_limit_s) -> str:
    """The error's words for a solve that ended with no schedule and no proof of infeasibility (status 1:
    the time limit before any schedule was found; 4: a solver error)."""
    return (f"{what}: HiGHS stopped without a schedule after {solve_s:.1f} s ({status_text(status)}: {message}); "
            f"it did not prove the problem infeasible, so this is no finding about the jobs or the site: raise "
            f"time_limit_s (now {float(time_limit_s):g} s per solve) or mip_rel_gap")


def week_status_text(solve: dict) -> str:
    """A :class:`~dcplan.schedule.ScheduleResult`'s ``solve`` in words, for publishing: ``"optimal (gap 0.05 %,
    asked 0.1 %)"`` or ``"NOT proven: stopped at the time limit ... (gap 0.65 %, asked 0.1 %; time_limit_s 5 s)"``."""
    gaps = f"gap {_pct(solve['mip_gap'])}, asked {_pct(solve['mip_rel_gap'])}"
    if solve.get("proven", True):
        return f"optimal ({gaps})"
    return (f"NOT proven within the gap asked: {status_text(solve['status'])} ({gaps}; time_limit_s "
            f"{float(solve.get('time_limit_s', np.nan)):g} s)")


def cases_status_text(results: dict, case_text=str) -> tuple[str, float]:
    """``(text, worst gap)`` of several :func:`~dcplan.schedule.optimize` results (the sensitivity cases; ``{case:
    ScheduleResult or ScheduleInfeasible}``): how many are proven, the cases that are not (by ``case_text``), and the
    largest achieved gap among those with a schedule (NaN for none)."""
    solved = {k: r for k, r in results.items() if hasattr(r, "solve")}
    if not solved:
        return "no case has a schedule", np.nan
    bad = [k for k, r in solved.items() if not r.solve.get("proven", True)]
    worst = max(float(r.solve["mip_gap"]) for r in solved.values())
    asked = max(float(r.solve["mip_rel_gap"]) for r in solved.values())
    infeasible = len(results) - len(solved)
    head = (f"{len(solved) - len(bad)} of {len(solved)} case(s) with a schedule optimal within the gap asked"
            + (f" ({infeasible} without one: the jobs do not fit)" if infeasible else ""))
    if bad:
        head += "; NOT proven: " + ", ".join(f"{case_text(k)} ({status_text(solved[k].solve['status'])}, gap "
                                            f"{_pct(solved[k].solve['mip_gap'])})" for k in bad)
    return f"{head}; worst gap {_pct(worst)}, asked {_pct(asked)}", worst


def worst_gap(windows) -> float:
    """The largest achieved MIP gap of a rolling horizon's windows (``RollingResult.windows.mip_gap``); NaN for none."""
    g = np.asarray(windows["mip_gap"], float) if len(windows) else np.array([])
    g = g[np.isfinite(g)]
    return float(g.max()) if len(g) else np.nan


def rolling_status_text(windows, mip_rel_gap, time_limit_s) -> str:
    """A rolling horizon's windows (``RollingResult.windows``: ``status``, ``mip_gap``, ``proven``, ``start``) in
    words: ``"52 of 52 windows optimal within the gap asked; worst gap 0.09 %, asked 0.1 %"``, or how many are not,
    the first of them and what stopped it."""
    n = len(windows)
    ok = np.asarray(windows["proven"], bool) if n else np.array([], bool)
    text = (f"{int(ok.sum())} of {n} window(s) optimal within the gap asked; worst gap {_pct(worst_gap(windows))}, "
            f"asked {_pct(mip_rel_gap)}")
    if n and not ok.all():
        first = windows[~ok].iloc[0]
        text = (f"NOT proven: {text}; the first not proven from {first['start']} ({status_text(first['status'])}, "
                f"gap {_pct(first['mip_gap'])}; time_limit_s {float(time_limit_s):g} s per window)")
    return text
