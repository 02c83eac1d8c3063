"""Tornado and Monte Carlo cases share the base case's project start: a longer build is an overrun.

:func:`dcplan.tco.metrics` discounts each case to its project start (model month 0). In a dated case
(``TcoInputs.fleet_start`` given) the base case's project start is ``fleet_start - build_months``
(:func:`dcplan.tco_input_types.calendar_months`): the site's planned fleet start less its own build. A
tornado end or Monte Carlo draw of another ``build_months`` is a **construction overrun** (a gain when
shorter): construction starts where the base case starts it, and the fleet, with its purchases, revenue,
energy, operations staff and every cost that follows the fleet, starts ``whole_months(build_months) -
whole_months(base build_months)`` months later (earlier when negative); the grid phases stay at their
planned dates, so a grid delay up to the overrun is absorbed (:func:`dcplan.tco_ramp.tranche_ramp`; the
calendar of the bill and the seasonal shares is the base case's, :mod:`dcplan.tco_cashflows`). Construction
therefore never starts before the base case's project start (nor, where the site's plan starts it there, before
the plan's ``as_of``). ``data/costs.csv`` puts the build's 11-26 months on long-lead equipment (46-110 weeks,
Cushman & Wakefield 2025) ordered at the project start: a slip of completion, not an earlier start.

Before, the fleet start was held and a 26-month build started construction 14 months before a 12-month one
(chicago-il: in 2024-02, 13 months before the plan's as_of 2025-03-01), revenue starting on the planned date;
its NPV was then moved to the base case's start at the discount rate. That understated the overrun's downside
(chicago-il's build_months bar: 213.8 M USD at 26 months, 194.7 M USD with the fleet 14 months late).

Every case's present values are so at one date, the base case's project start, with nothing to move, and every
case's horizon is the same ``horizon_years`` from it: a case whose fleet starts later operates fewer months
within it. :func:`overrun_inputs` is the single-run case a tornado end or a draw of ``build_months`` runs.

An undated case (``fleet_start`` None) puts month 0 in a January in every case; a build other than its own
moves the fleet's start (and leaves the grid phases at the base case's months) as in a dated case.
"""
from __future__ import annotations

import dataclasses

from .tco_input_types import calendar_months, whole_months

__all__ = ["REVALUED_METRICS", "HORIZON_NOTE", "OVERRUN_NOTE", "overrun_inputs", "valuation_text"]

#: The :func:`dcplan.tco.metrics` keys that are present values at the project start.
REVALUED_METRICS = ("npv_usd", "tco_pv_usd")

#: What a tornado end or a Monte Carlo draw of ``build_months`` is, in words.
OVERRUN_NOTE = ("a build_months other than the case's own is a construction overrun (shorter: an early finish) "
                "from the same project start: the fleet, its revenue and its costs start that many months later "
                "(earlier), the grid phases stay at their planned dates (so an early finish at a grid-phased site "
                "buys GPUs that wait for their phase's power: it can cost, not gain)")

#: The horizon convention of the tornado and the Monte Carlo, in words.
HORIZON_NOTE = ("every case's horizon runs horizon_years from the base case's project start, so a case whose "
                "fleet starts later (a longer build or grid delay) operates fewer months within it")


def overrun_inputs(inputs, build_months: float):
    """The case ``inputs`` with the build ``build_months`` as a tornado end or a Monte Carlo draw runs it.

    The same project start: ``build_months`` in the costs, the fleet's start (``fleet_start``) ``months =
    whole_months(build_months) - whole_months(inputs' build_months)`` later, and the grid phases (and their
    dates, ``grid_dates``) ``months`` earlier relative to it, i.e. at their own calendar months. Its
    :func:`dcplan.tco.run_tco` is the batch's case (:func:`dcplan.tco_ramp.tranche_ramp`).

    >>> from dcplan.tco import TcoInputs
    >>> inp = TcoInputs(n_accelerators=1, it_capacity_kw=1.0, it_energy_kwh=8760.0, fleet_start="2026-04-01",
    ...                 costs={"build_months": 12.0}, grid_phases=((-2, 1.0),))
    >>> late = overrun_inputs(inp, 26.0)
    >>> str(late.fleet_start), late.grid_phases, str(calendar_months(late)[0]) == str(calendar_months(inp)[0])
    ('2027-06', ((-16.0, 1.0),), True)
    """
    months = int(whole_months(build_months) - whole_months(inputs.params()["build_months"]))
    out = inputs.with_costs(build_months=float(build_months))
    src = {**out.sources, "build_months": f"a construction overrun of {months:+d} months from the case's project "
           "start (dcplan.tco_revalue)"}
    grid = None if inputs.grid_phases is None else tuple(
        (float(g[0]) - months, *g[1:]) for g in inputs.grid_phases)
    dates = None if inputs.grid_dates is None else tuple((float(o) - months, f, p) for o, f, p in inputs.grid_dates)
    return dataclasses.replace(out, fleet_start=None if inputs.fleet_start is None else inputs.fleet_start + months,
                               grid_phases=grid, grid_dates=dates, sources=src)


def valuation_text(inputs) -> str:
    """Where the tornado's and the Monte Carlo's present values are valued, in words.

    >>> from dcplan.tco import TcoInputs
    >>> inp = TcoInputs(n_accelerators=1, it_capacity_kw=1.0, it_energy_kwh=8760.0, fleet_start="2027-01-01",
    ...                 costs={"build_months": 12.0})
    >>> valuation_text(inp)[:65]
    "every case valued at the base case's project start, 2026-01 (the "
    """
    months = calendar_months(inputs)
    if months is None:
        return ("every case valued at the project start (an undated case: month 0, a January, in every case; "
                + OVERRUN_NOTE + "); " + HORIZON_NOTE)
    return (f"every case valued at the base case's project start, {months[0]} (the start of construction in every "
            f"case; {OVERRUN_NOTE}); " + HORIZON_NOTE)
