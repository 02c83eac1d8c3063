"""The cooling-lag notebook's parameters: the checks that involve each other.

The notebook's metadata rules (:func:`dcplan.report_params.notebook_rules`) check each parameter
alone (``low_s`` in [1, 86400] s, ``period_s`` in [10, 86400] s, ...). What depends on another
parameter is here, used from one source: by :func:`dcplan.thermal_dynamics.training_load_kw`
(:func:`pause_problem`), by the notebook (``notebooks/cooling_lag.ipynb``, :func:`check`), and by
``dcplan render`` before any run (:func:`precheck`, named in the notebook's metadata
``dcplan.precheck``), so ``-p low_s 2000`` at the default ``period_s`` 1800 s is bad input
(exit 2) before anything runs, not a failed run.

* ``low_s`` < ``period_s``: a pause of the synthetic load ends before the next is due
  (:func:`dcplan.thermal_dynamics.training_load_kw`).
* ``hours`` x 3600 > (1 + :data:`PAUSE_JITTER_FRAC`) x ``period_s`` + ``low_s``: the run holds at least one
  return of the load from a pause, whatever the seed (the first pause starts 0.8-1.2 ``period_s`` in and
  lasts ``low_s``). A run with none tests no controller: its throttling figures were published as 0
  (``-p hours 0.25`` at the default 1800 s / 600 s: 900 s, no pause at all), read as "never throttles".

The other parameters meet no rule across them: ``period_s`` >= 10 s is above the 1 s step, and
``peak_kw`` -1 (the site's design IT) is resolved in the run.

This module imports neither numpy nor the model (render's own process calls :func:`precheck`).
"""
from __future__ import annotations

from typing import Any, Mapping

from .errors import InputError

__all__ = ["check", "pause_problem", "return_problem", "precheck", "problems", "PAUSE_JITTER_FRAC"]

#: The synthetic load's pause spacing jitter (+-, a share of ``period_s``): the default of
#: :func:`dcplan.thermal_dynamics.training_load_kw`, which the notebook uses. [frac]
PAUSE_JITTER_FRAC = 0.2


def pause_problem(low_s: float, period_s: float) -> InputError | None:
    """The pause rule of the synthetic training load: ``low_s`` (each pause's length [s]) must be
    shorter than ``period_s`` (the pauses' mean spacing [s]); the error, or None."""
    if float(low_s) < float(period_s):
        return None
    return InputError(f"{float(low_s):g} s: a pause must be shorter than period_s ({float(period_s):g} s), the "
                      "spacing of the pauses; allowed: low_s below period_s", field="low_s")


def return_problem(hours: float, low_s: float, period_s: float) -> InputError | None:
    """The run of ``hours`` must hold a return of the synthetic load from a pause whatever the seed: longer
    than the latest the first pause can end, ``(1 + PAUSE_JITTER_FRAC) x period_s + low_s``; the error, or None.

    >>> print(return_problem(0.25, 600.0, 1800.0))
    hours: 0.25 h (900 s) holds no return of the synthetic load from a pause at period_s 1800 s and low_s 600 s (the \
first pause ends up to 1.2 x period_s + low_s = 2,760 s in), so nothing would test the controller and its throttling \
figures would read as none; allowed: hours above 0.7667 h (2,760 s), or a shorter period_s or low_s
    """
    need_s = (1.0 + PAUSE_JITTER_FRAC) * float(period_s) + float(low_s)
    if float(hours) * 3600.0 > need_s:
        return None
    return InputError(f"{float(hours):g} h ({float(hours) * 3600:,.0f} s) holds no return of the synthetic load from a "
                      f"pause at period_s {float(period_s):g} s and low_s {float(low_s):g} s (the first pause ends up "
                      f"to {1 + PAUSE_JITTER_FRAC:g} x period_s + low_s = {need_s:,.0f} s in), so nothing would test "
                      "the controller and its throttling figures would read as none; allowed: hours above "
                      f"{need_s / 3600:.4g} h ({need_s:,.0f} s), or a shorter period_s or low_s", field="hours")


def problems(params: Mapping[str, Any]) -> list[tuple[frozenset, InputError]]:
    """Every problem of ``params`` (the notebook's parameter values), each with the parameters it involves."""
    out: list[tuple[frozenset, InputError]] = []
    err = pause_problem(params["low_s"], params["period_s"])
    if err is not None:
        out.append((frozenset({"low_s", "period_s"}), err))
        return out  # the return rule assumes a valid pause
    err = return_problem(params["hours"], params["low_s"], params["period_s"])
    if err is not None:
        out.append((frozenset({"hours", "low_s", "period_s"}), err))
    return out


def check(params: Mapping[str, Any]) -> None:
    """The notebook's check: raise the first problem as an :class:`InputError` (a parameter not
    defined, as in a kernel restarted and run from the middle, is one: run the parameters cell first)."""
    missing = [k for k in ("hours", "low_s", "period_s") if k not in params]
    if missing:
        raise InputError(f"cooling_lag's parameter{'s' if len(missing) > 1 else ''} {', '.join(missing)} "
                         f"{'are' if len(missing) > 1 else 'is'} not defined in this kernel: run the parameters "
                         "cell first (after a kernel restart, run the notebook from the top)", field=", ".join(missing))
    found = problems(params)
    if found:
        raise found[0][1]


def precheck(params: Mapping[str, Any], site, given) -> None:
    """``dcplan render``'s check before any run: raise the first problem that involves a parameter
    the user set (``given``, the ``-p`` names), as ``-p NAME``. The rules involve no site (``site``
    is the run's, named in the message as :mod:`dcplan.offpeak_params` does); a problem of the
    notebook's defaults alone is left to the run."""
    where = "" if site is None else f"site {site.id!r}: "
    for names, err in problems(params):
        if names & set(given):
            if err.field in given:
                raise InputError(f"{where}{err.detail}", field=f"-p {err.field}")
            # stated of another parameter (low_s for -p period_s): name it with its value
            raise InputError(f"{where}{err.field} {err.detail}", field=f"-p {sorted(names & set(given))[0]}")
