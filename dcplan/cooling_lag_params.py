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

The other parameters meet no rule across them: ``hours`` >= 0.25 h gives at least 900 one-second
steps, ``period_s`` >= 10 s is above the 1 s step, and ``peak_kw`` -1 (the site's design IT) is
resolved in the run.

This module imports neither numpy nor the model (render's own process calls :func:`precheck`).
"""
from __future__ import annotations

from typing import Any, Mapping

from .errors import InputError

__all__ = ["check", "pause_problem", "precheck", "problems"]


def pause_problem(low_s: float, period_s: float) -> InputError | None:
    """The pause rule of the synthetic training load: ``low_s`` (each pause's length [s]) must be
    shorter than ``period_s`` (the pauses' mean spacing [s]); the error, or None."""
    if float(low_s) < float(period_s):
        return None
    return InputError(f"{float(low_s):g} s: a pause must be shorter than period_s ({float(period_s):g} s), the "
                      "spacing of the pauses; allowed: low_s below period_s", field="low_s")


def problems(params: Mapping[str, Any]) -> list[tuple[frozenset, InputError]]:
    """Every problem of ``params`` (the notebook's parameter values), each with the parameters it involves."""
    out: list[tuple[frozenset, InputError]] = []
    err = pause_problem(params["low_s"], params["period_s"])
    if err is not None:
        out.append((frozenset({"low_s", "period_s"}), err))
    return out


def check(params: Mapping[str, Any]) -> None:
    """The notebook's check: raise the first problem as an :class:`InputError` (a parameter not
    defined, as in a kernel restarted and run from the middle, is one: run the parameters cell first)."""
    missing = [k for k in ("low_s", "period_s") if k not in params]
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
