"""A small fleet's independent units, drawn one by one (:func:`dcplan.power_fleet.fleet_it_kw`).

The share ``1 - sync_frac`` of a phase's ``N`` units that does not move in lock-step is ``x = (1 - s) N``
independent units. Their summed power has mean ``x E[P]`` and a variance ``x Var[P]``: its swings relative to
the mean fall as ``1 / sqrt(x)``. Taking the expectation (law of large numbers) is right for thousands of units
but wrong for a rack or a few servers: one ``hgx-h100`` on the batch workload at utilisation 0.5 was 8.91 kW flat
all day, while the unit itself swings 5.0-10.4 kW.

So a phase whose independent share is at most :data:`MAX_SIMULATED_UNITS` units is drawn unit by unit:
``M = ceil(x)`` independent realisations of the workload process, each weighted ``x / M`` units (exact when ``x``
is whole). A unit's own randomness is its own (seed :func:`unit_seed`: the fleet's seed, phase and unit), the
fleet-wide parts stay shared (inference's diurnal shape and demand bursts, as the expectation keeps them: only
its noise is the unit's own). Without a lock-step share (``sync_frac`` 0) the first phase's first unit is the
fleet's own seeded realisation, so a one-unit fleet gives the same power at ``sync_frac`` 0 and 1. A fractional
share splits units: at ``sync_frac`` 0.5 one server is half the lock-step realisation and half a draw of its own
(the share is taken as a weight, not rounded to whole units), so its swings are smaller than one real server's
(a review, 2026: a batch hgx-h100 over two weeks, std 0.76 kW against 1.04 at 0 or 1). Every draw is
seeded: the same seed gives the same series, and a unit's draw is the same at site, hall and rack level (a
rack is its phase's first units).

Above :data:`MAX_SIMULATED_UNITS` the expectation stands (each draw costs up to 0.09 s for an hourly year of
batch work, 0.08 s for a 1 s day of mixed work, measured on one core, 2026: 64 draws stay within about 6 s a
call, while the 1 % accuracy on the peaks wanted of the expectation needs ~2,600 batch units). Its peaks are
then low by about ``e sqrt(64 / x)`` with ``e`` from :data:`PEAK_SHORTFALL_AT_MAX_FRAC`, and
:func:`expectation_warning` says so when that exceeds :data:`PEAK_SHORTFALL_WARN_FRAC`.
"""
from __future__ import annotations

import dataclasses
import math
import warnings

import numpy as np

from .errors import DcplanWarning
from .workload import DataProcess, Inference, Mixed

__all__ = ["MAX_SIMULATED_UNITS", "PEAK_SHORTFALL_AT_MAX_FRAC", "PEAK_SHORTFALL_WARN_FRAC", "unit_seed",
           "simulated_units", "unit_draws", "unit_mixture", "peak_shortfall_frac", "expectation_warning"]

#: Most independent units of one phase drawn one by one (more: their expectation). Chosen by cost: a draw
#: takes up to 0.09 s (hourly year, batch) or 0.08 s (1 s day, mixed) on one core (2026), so 64 keep a call
#: within about 6 s; a rack holds at most 96 units (dcplan.catalog_bands), a typical one 2-8.
MAX_SIMULATED_UNITS = 64

#: How far the expectation's highest 1 s or hourly power falls below that of 64 independent units' own draws
#: [frac of their peak], per workload at its default shape (dcplan.specs.fleet.PROFILE_PARAMS; hgx-h100, linear
#: curve; batch at utilisation 0.5, training 0.8, inference 0.6, mixed 0.7). Measured (2026) on 256 unit draws
#: in 4 groups of 64, mean of the groups, the larger of a 1 s day's and an hourly year's peak: batch 6.4 % (1 s;
#: hourly 6.0 %), training 4.9 % (1 s; hourly 2.1 %), mixed 1.6 % (1 s; hourly 0.5 %), inference 0.5 % (1 s;
#: hourly 0: its unit noise averages to 0 over each hour). The same runs at 256 units (one group) gave 4.0, 3.8,
#: 0.8 and 0.2 %: the ``sqrt(64 / 256)`` scaling :func:`peak_shortfall_frac` applies holds for mixed and inference
#: but falls short for batch and training (3.2, 2.5 %: their peaks are rare long jobs and restarts), so there
#: it is a lower estimate.
PEAK_SHORTFALL_AT_MAX_FRAC = {"batch": 0.064, "training": 0.049, "mixed": 0.016, "inference": 0.005}

#: Estimated peak shortfall of the expectation above which :func:`expectation_warning` warns: 1 %, the
#: accuracy wanted of the peaks that size a PDU or breaker.
PEAK_SHORTFALL_WARN_FRAC = 0.01


def unit_seed(seed: int, phase: int, unit: int) -> int:
    """The 32-bit seed of independent unit ``unit`` of phase ``phase`` of a fleet seeded ``seed`` (a hash:
    numpy's ``SeedSequence``, so no two units of a fleet share a stream in practice)."""
    return int(np.random.SeedSequence([int(seed), 0x756E6974, phase, unit]).generate_state(1, np.uint32)[0])


def simulated_units(proc, units: float) -> int:
    """Number of independent draws for ``units`` independent units (``(1 - sync_frac) N``): ``ceil(units)``
    up to :data:`MAX_SIMULATED_UNITS`, else 0 (their expectation). Measured data (:class:`DataProcess`) are
    their own expectation: 0."""
    if units <= 0 or units > MAX_SIMULATED_UNITS or isinstance(proc, DataProcess):
        return 0
    return math.ceil(units - 1e-9)


def unit_mixture(proc, seed: int, g, shared_levels):
    """Levels and time weights (``Process.mixture``) of one independent unit drawn with ``seed``.

    The unit's own randomness from ``seed``; the fleet-wide parts of inference (and the inference share of
    mixed) stay the fleet's: ``shared_levels`` are ``proc.expected_mixture(g)``'s levels, and the unit adds its
    own noise, its realisation less its own expectation. Training and batch are wholly unit-level."""
    q = dataclasses.replace(proc, seed=seed)
    lv, w = q.mixture(g)
    if isinstance(proc, (Inference, Mixed)):
        lv = lv + (shared_levels - q.expected_mixture(g)[0])
    return lv, w


def peak_shortfall_frac(workload: str, units: float) -> float:
    """Estimated shortfall of the expectation's peak power below that of ``units`` independent units [frac]:
    :data:`PEAK_SHORTFALL_AT_MAX_FRAC` scaled by ``sqrt(MAX_SIMULATED_UNITS / units)`` (std of a sum of
    independent units over its mean); 0 for a workload without a measured figure (``data``)."""
    e = PEAK_SHORTFALL_AT_MAX_FRAC.get(workload, 0.0)
    return e * math.sqrt(MAX_SIMULATED_UNITS / units) if units > 0 else 0.0


def expectation_warning(workload: str, what: str, units: float, sync_frac: float) -> str | None:
    """Text of the warning for ``units`` independent units (of ``what``, e.g. "phase 'Hall 1' (200 x hgx-h100)")
    modelled by their expectation, when :func:`peak_shortfall_frac` exceeds :data:`PEAK_SHORTFALL_WARN_FRAC`;
    else None."""
    if units <= MAX_SIMULATED_UNITS:
        return None
    e = peak_shortfall_frac(workload, units)
    if e <= PEAK_SHORTFALL_WARN_FRAC:
        return None
    return (f"{what}: its {units:g} independent units (sync_frac {sync_frac:g}, workload {workload}) are modelled "
            f"by their expectation (more than {MAX_SIMULATED_UNITS}, dcplan.power_units.MAX_SIMULATED_UNITS, are not "
            f"drawn one by one), which understates their 1 s and hourly peak power by at least about {e:.1%} "
            f"(measured at the default {workload} shape, scaled as 1/sqrt(units)) and smooths their steps; "
            "sync_frac: 1 gives the lock-step upper bound")


def unit_draws(fleet, proc, s, seed, units, starts, n, level, labels, warn: bool = True) -> list[list]:
    """Per phase of ``fleet`` (``units`` units each, deployed from interval ``starts`` of ``n``), the seeds of
    its independent units drawn one by one (``None``: the fleet's own ``seed``, for the first unit when no share
    is in lock-step, ``s`` 0); ``[]`` where the expectation stands, with a :class:`DcplanWarning` when that
    understates the peaks by more than :data:`PEAK_SHORTFALL_WARN_FRAC` (unless ``warn`` is False: a second
    reading of the same draws, as :mod:`dcplan.power_cap_bite`'s). ``level`` and ``labels`` name them."""
    out = []
    for k, (ph, nu) in enumerate(zip(fleet.phases, units)):
        x = (1.0 - s) * nu
        m = simulated_units(proc, x) if starts[k] < n else 0
        out.append([None if (j == 0 and s == 0 and k == 0) else unit_seed(seed, k, j) for j in range(m)])
        what = (f"one rack of fleet phase {labels[k]!r} ({nu} x {ph.hardware})" if level == "rack"
                else f"fleet phase {labels[k]!r} ({nu} x {ph.hardware})")
        msg = None if (m or starts[k] >= n or not warn) else expectation_warning(fleet.workload, what, x, s)
        if msg:
            warnings.warn(msg, DcplanWarning, stacklevel=3)
    return out
