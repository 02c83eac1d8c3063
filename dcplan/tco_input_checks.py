"""Checks of :class:`dcplan.tco_input_types.TcoInputs`' deployment fields, split from that module for length.

:func:`_check_phases` (the fleet's tranches), :func:`_check_grid_phases` and :func:`_grid_key` (the interconnection's
phases), :func:`_month_shares` (12 calendar-month shares) and :func:`_phase_mix` (each tranche's hardware over the
fleet's average). Each raises an :class:`~dcplan.errors.InputError` naming the field, the value and what is allowed.
"""
from __future__ import annotations

import numpy as np

from .errors import InputError
from .tco_electricity import _short


def _check_phases(phases) -> None:
    try:
        arr = np.array([(float(o), float(f)) for o, f in phases], dtype=float).reshape(-1, 2)
    except (TypeError, ValueError):
        raise InputError(f"must be a sequence of (offset_months, fleet_frac) pairs, got {phases!r}",
                         field="phases") from None
    if arr.shape[0] == 0 or not np.all(np.isfinite(arr)):
        raise InputError(f"need at least one finite (offset_months, fleet_frac) pair, got {phases!r}",
                         field="phases")
    if np.any(arr[:, 0] < 0) or np.any(np.diff(arr[:, 0]) < 0):
        raise InputError(f"offsets must be >= 0 months and non-decreasing, got {arr[:, 0].tolist()}",
                         field="phases")
    if np.any(arr[:, 1] <= 0) or abs(arr[:, 1].sum() - 1.0) > 1e-9:
        raise InputError(f"fleet fractions must be > 0 and sum to 1, got {arr[:, 1].tolist()}",
                         field="phases")


def _check_grid_phases(grid_phases) -> None:
    if grid_phases is None:
        return
    what = ("must be None or a sequence of (offset_months, fleet_frac) pairs, or (offset_months, fleet_frac, "
            "True) for a phase in service (not moved by the grid delay)")
    try:
        rows = [tuple(g) for g in grid_phases]
        arr = np.array([(float(g[0]), float(g[1])) for g in rows], dtype=float).reshape(-1, 2)
    except (TypeError, ValueError, IndexError):
        raise InputError(f"{what}, got {_short(grid_phases)}", field="grid_phases") from None
    if any(len(g) not in (2, 3) or (len(g) == 3 and not isinstance(g[2], (bool, np.bool_))) for g in rows):
        raise InputError(f"{what}, got {_short(grid_phases)}", field="grid_phases")
    if not np.all(np.isfinite(arr)):
        raise InputError(f"offsets and fractions must be finite, got {arr.tolist()}", field="grid_phases")
    if np.any(arr[:, 1] < 0):
        raise InputError(f"fleet fractions must be >= 0 (the share of the fleet's design facility power a "
                         f"phase adds), got {arr[:, 1].tolist()}", field="grid_phases")


def _grid_key(g) -> tuple:
    """A grid phase as stored: ``(offset, frac)``, or ``(offset, frac, True)`` in service."""
    return (float(g[0]), float(g[1])) + ((True,) if len(g) == 3 and bool(g[2]) else ())


def _month_shares(name: str, v) -> tuple | None:
    """12 calendar-month shares summing to 1 (a tuple), or None; any other input is an error."""
    if v is None:
        return None
    try:
        arr = np.asarray(v, dtype=float).ravel()
    except (TypeError, ValueError):
        arr = None
    if arr is None or arr.size != 12 or np.ndim(v) != 1:
        raise InputError(f"must be 12 numbers, January..December (the year's share in each calendar month), "
                         f"got {_short(v)}", field=name)
    bad = [i for i in range(12) if not np.isfinite(arr[i]) or arr[i] < 0]
    if bad:
        raise InputError(f"month {bad[0] + 1} is {float(arr[bad[0]])!r}: each month's share must be a finite number "
                         f">= 0", field=name)
    if arr.sum() <= 0:
        raise InputError("all 12 months are 0: at least one month must have a positive share", field=name)
    return tuple(float(x) for x in arr / arr.sum())


#: The columns of ``TcoInputs.phase_mix``: per GPU of a phase, over the fleet's average.
PHASE_MIX_COLUMNS = ("facility kW at design", "IT energy a year", "tokens per second")


def _phase_mix(phase_mix, phases) -> tuple | None:
    """``phase_mix`` as stored: one ``(kw, energy, tokens)`` per phase, each column divided by its
    mean over the fleet's GPUs (``sum(fleet_frac x value) = 1``); a column the same for every phase is
    1s, and a mix of 1s only is None (one hardware: the fleet average is every GPU's)."""
    if phase_mix is None:
        return None
    what = (f"must be None or one (kw, energy, tokens) triple of numbers > 0 per entry of phases ({len(phases)}): "
            "a phase's facility kW at design, IT energy a year and tokens per second, per GPU")
    try:
        arr = np.array([[float(x) for x in row] for row in phase_mix], dtype=float)
    except (TypeError, ValueError):
        raise InputError(f"{what}, got {_short(phase_mix)}", field="phase_mix") from None
    if arr.shape != (len(phases), 3) or not np.all(np.isfinite(arr)) or np.any(arr <= 0):
        raise InputError(f"{what}, got {_short(phase_mix)}", field="phase_mix")
    frac = np.array([float(f) for _, f in phases])
    cols = [np.ones(len(phases)) if np.all(c == c[0]) else c / float(frac @ c) for c in arr.T]
    if all(np.all(c == 1.0) for c in cols):
        return None
    return tuple(tuple(float(c[i]) for c in cols) for i in range(len(phases)))
