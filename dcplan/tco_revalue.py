"""Tornado and Monte Carlo cases valued at one date: the base case's project start.

:func:`dcplan.tco.metrics` discounts each case to its **own** project start (model month 0). In a
dated case (``TcoInputs.fleet_start`` given) the project start is ``fleet_start - build_months``
(:func:`dcplan.tco_input_types.calendar_months`): a case with a longer build starts construction
earlier, so its NPV was valued at an earlier date than the base case's. A tornado bar or a Monte
Carlo draw of ``build_months`` then mixed a change of the case with a change of the valuation date
(one GPU, fleet from 2027-01, 8 % a year: the 12-month build's NPV, 31,529 USD at 2026-01, is
31,529 x 1.08 = 34,051 USD at the base case's 2027-01; 2,522 USD of its drop was only the date).

:func:`to_base_start` moves every present value of a case from its own project start to the base
case's, ``months = whole_months(build_months) - whole_months(base build_months)`` later (earlier
when negative), at the case's own discount rate, monthly as :func:`dcplan.tco.metrics` discounts
(:func:`dcplan.finance.revalue`: ``value x (1 + r) ** (months / 12)``): the same cash flows, each
then discounted by ``(1 + r) ** (-(m - months) / 12)``, month ``m`` of the case being month
``m - months`` from the base case's start. The case's own rate is the base rate except in a Monte
Carlo that draws the discount rate as well: there, the case's flows discounted at its rate to the
base start. Only present values move (``npv_usd``, ``tco_pv_usd``: :data:`REVALUED_METRICS`); the
nominal TCO and the levelized unit costs (a present value over a present value, both moved alike)
do not depend on the date.

Kept as a modelling convention, and said in the labels (:func:`valuation_text`,
:data:`HORIZON_NOTE`): each case's horizon runs ``horizon_years`` from its own project start, so a
longer build ends its horizon earlier and operates fewer months within it.

An undated case (``fleet_start`` None) puts every case's month 0 in a January, the build moving the
fleet's start instead: all its cases are already valued at that one start, and nothing moves.
"""
from __future__ import annotations

from collections.abc import Mapping

import numpy as np

from .tco_input_types import calendar_months, whole_months

__all__ = ["REVALUED_METRICS", "HORIZON_NOTE", "start_shift_months", "to_base_start", "valuation_text"]

#: The :func:`dcplan.tco.metrics` keys that are present values at the project start.
REVALUED_METRICS = ("npv_usd", "tco_pv_usd")

#: The horizon convention of the tornado and the Monte Carlo, in words.
HORIZON_NOTE = ("each case's horizon runs horizon_years from its own project start, so a case with a longer "
                "build starts earlier, ends its horizon earlier and operates fewer months within it")


def start_shift_months(inputs, build_months) -> np.ndarray:
    """Months by which each case's project start precedes the base case's. [months]

    ``whole_months(build_months) - whole_months(base build_months)`` (the model's whole months,
    rounded half up) for a dated case, 0 for an undated one (module docstring).

    Parameters
    ----------
    inputs : TcoInputs
        The base case.
    build_months : float or ndarray
        Each case's build. [months]

    >>> from dcplan.tco import TcoInputs
    >>> inp = TcoInputs(n_accelerators=1, it_capacity_kw=1.0, it_energy_kwh=8760.0, fleet_start="2027-01-01",
    ...                 costs={"build_months": 12.0})
    >>> start_shift_months(inp, np.array([12.0, 23.6, 0.0])).tolist()
    [0.0, 12.0, -12.0]
    """
    b = np.asarray(build_months, dtype=float)
    if inputs.fleet_start is None:
        return np.zeros_like(b)
    return np.asarray(whole_months(b), dtype=float) - float(whole_months(inputs.params()["build_months"]))


def to_base_start(inputs, params: Mapping[str, np.ndarray], metrics: Mapping[str, np.ndarray]) -> dict:
    """``metrics`` of a batch of cases, their present values moved to the base case's project start.

    Parameters
    ----------
    inputs : TcoInputs
        The base case (its ``build_months`` and ``discount_rate_frac``).
    params : mapping of str to ndarray
        The cases' inputs (an input not given is at its base value).
    metrics : mapping of str to ndarray
        :func:`dcplan.tco.metrics` of the cases, each valued at its own project start.

    Returns
    -------
    dict
        ``metrics`` with :data:`REVALUED_METRICS` times ``(1 + r) ** (months / 12)``, ``months`` from
        :func:`start_shift_months` and ``r`` the case's discount rate. [same units]
    """
    base = inputs.params()
    shift = start_shift_months(inputs, params.get("build_months", base["build_months"]))
    out = dict(metrics)
    if not np.any(shift):
        return out
    r = np.asarray(params.get("discount_rate_frac", base["discount_rate_frac"]), dtype=float)
    factor = (1.0 + r) ** (shift / 12.0)
    for k in REVALUED_METRICS:
        if k in out:
            out[k] = np.asarray(out[k], dtype=float) * factor
    return out


def valuation_text(inputs) -> str:
    """Where the tornado's and the Monte Carlo's present values are valued, in words.

    >>> from dcplan.tco import TcoInputs
    >>> inp = TcoInputs(n_accelerators=1, it_capacity_kw=1.0, it_energy_kwh=8760.0, fleet_start="2027-01-01",
    ...                 costs={"build_months": 12.0})
    >>> valuation_text(inp)[:72]
    "every case valued at the base case's project start, 2026-01 (a case's ow"
    """
    months = calendar_months(inputs)
    if months is None:
        return ("every case valued at the project start (an undated case: month 0, a January, in every case); "
                + HORIZON_NOTE)
    return (f"every case valued at the base case's project start, {months[0]} (a case's own NPV, valued at its own "
            "project start, fleet_start - build_months, moved there at its discount rate: x (1 + r)^(months / 12)); "
            + HORIZON_NOTE)
