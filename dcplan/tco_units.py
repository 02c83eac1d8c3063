"""Whole racks and servers in the TCO: ``TcoInputs.phase_units``, the GPUs of the unit each deployment phase
is bought and powered by.

A GB200 NVL72 is bought and powered as one 72-GPU rack, an HGX H100 as one 8-GPU server
(``data/hardware.csv`` ``accelerators_per_unit``; :func:`dcplan.grid_ramp.power_unit_gpus`). With
``phase_units`` the TCO's ramp (:mod:`dcplan.tco_ramp`) counts GPUs as the interconnection notebook's
ramp does (:func:`dcplan.grid.deployment_ramp` with ``gpus_per_unit``): a tranche is split where its grid
capacity changes at a whole unit, and a month's capacity powers whole units only. 12 MW at 2.009 kW per GPU
powers 82 NVL72 racks (5,904 GPUs), not 5,972.6 fractional GPUs, and the capex buys whole racks. Without
(None) the fleet is a continuous share, as a caller-built case with no hardware.
"""
from __future__ import annotations

import math

import numpy as np

from .errors import InputError

__all__ = ["check_phase_units", "floor_units", "fleet_phase_units", "common_unit"]


def check_phase_units(phase_units, phases, n_accelerators) -> tuple | None:
    """``phase_units`` as stored: None, or one whole number >= 1 per entry of ``phases`` whose GPUs
    (``fleet_frac * n_accelerators``) are a whole number of its units; anything else is refused."""
    if phase_units is None:
        return None
    what = (f"must be None or one whole number >= 1 per entry of phases ({len(phases)}): the GPUs of the rack or "
            "server each phase is bought and powered by (72 for a GB200 NVL72 rack, 8 for an HGX H100 server)")
    try:
        vals = [float(u) for u in phase_units]
    except (TypeError, ValueError):
        raise InputError(f"{what}, got {phase_units!r}", field="phase_units") from None
    if len(vals) != len(phases) or any(isinstance(u, (bool, np.bool_)) for u in phase_units) or \
            any(not math.isfinite(u) or u < 1 or u != int(u) for u in vals):
        raise InputError(f"{what}, got {phase_units!r}", field="phase_units")
    n = float(n_accelerators)
    for i, ((_, frac), u) in enumerate(zip(phases, vals)):
        gpus = float(frac) * n
        if abs(gpus / u - round(gpus / u)) > 1e-6:
            raise InputError(f"phase {i + 1} holds {gpus:,.6g} GPUs ({float(frac):.6g} of {n:,.0f}), not a whole "
                             f"number of {u:g}-GPU units; allowed: phases whose GPUs are whole racks or servers",
                             field="phase_units")
    return tuple(int(u) for u in vals)


def floor_units(share, n_accelerators, unit: int):
    """The fleet ``share`` rounded down to whole units of ``unit`` GPUs, as a share of the
    ``n_accelerators``: ``unit * floor(share * n / unit) / n`` (a 1e-9 margin keeps a share that is
    whole units in float arithmetic whole). [frac]

    >>> round(float(floor_units(5972.62 / 9216, 9216, 72) * 9216), 6)   # 82 NVL72 racks
    5904.0
    """
    n = float(n_accelerators)
    return unit * np.floor(np.asarray(share, dtype=float) * n / unit + 1e-9) / n


def common_unit(phase_units) -> int:
    """The greatest common divisor of ``phase_units`` (1 for None): whole units of every phase are whole
    units of it. [GPUs]"""
    g = 0
    for u in phase_units or ():
        g = math.gcd(g, int(u))
    return g or 1


def fleet_phase_units(fleet) -> tuple:
    """``TcoInputs.phase_units`` of a ``fleet:`` section, aligned with
    :func:`dcplan.tco_inputs.fleet_phases` ``(fleet)``: per tranche (phases starting in the same month are
    one), the GPUs of its hardware's unit (:func:`dcplan.grid_ramp.power_unit_gpus`; their greatest common
    divisor for several types in one month). [GPUs]"""
    from .grid_ramp import power_unit_gpus
    from .power import hardware
    from .tco_input_types import month_on_or_after
    first = month_on_or_after(min(p.start for p in fleet.phases)).ordinal
    by_off: dict[int, int] = {}
    for p in fleet.phases:
        if p.count * hardware(p.hardware).accelerators_per_unit > 0:
            off = month_on_or_after(p.start).ordinal - first
            by_off[off] = math.gcd(by_off.get(off, 0), power_unit_gpus([p.hardware]))
    return tuple(by_off[k] for k in sorted(by_off))
