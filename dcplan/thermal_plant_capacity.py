"""The IT power an hour's air loop can carry: :func:`air_capacity_it`, the hourly plant's capacity (and so its
derate) when the air loop limits.

The air loop carries the share of the IT heat the liquid loop does not capture, ``(1 - f) x IT``, and the
distribution losses dissipated in the room, ``s x L(IT)`` (``s``: ``losses_to_space_frac``; ``L``: the
transformer/UPS/PDU chain's losses at that IT). Its capacity is the IT at which the two fill the loop's heat
capacity ``A`` (its base load, its own fans' and pumps' heat taken out):

    ``(1 - f) x IT + s x L(IT) = A``,

in every hour: the losses are those AT the capacity, ``L(capacity)``, not the hour's own ``L(it_kw)``.

The plant held ``L`` at the hour's unthrottled value and divided by ``1 - f``; but throttling the GPUs cuts
the losses the air loop carries too, so that overstated the derate (a cooling engineer's check: a Chicago W32
liquid plant at ``liquid_heat_frac`` 0.85 derated 75.6 kW in its worst hour against 52.7 kW with the losses
following the IT, 0.95: 121 kW against 52.6 kW), and at ``liquid_heat_frac`` 1 (allowed) it divided by
1e-12: every such hour lost its whole IT. Until 2026-12 the hours where the loop carries the hour's IT with room
to spare kept that figure, ``(A - s L(it_kw)) / (1 - f)``: the losses of the hour's load, lower than those of the
capacity, so the capacity read high (a cooling audit: the design day's lowest capacity at full design IT,
Chicago 6,214 kW against 6,175 kW, Phoenix 6,402 against 6,362, 0.63 % high); the derate did not move (it is
zero in those hours either way). ``L`` is increasing and convex (``a + b x + c x^2`` per stage, stages in
series), so the root is found by Newton's method from the hour's IT: downward where the loop is short (a few
steps; clipped to ``[0, IT]``), upward where it is not (the first step lands at or above the root, convexity,
and at or below the old figure; then down to it, clipped to ``[IT, old figure]``). There the capacity can lie
beyond the chain's overload limit (a liquid plant's air loop in a light hour), so the caller's ``losses_at``
should extrapolate the chain's curves (:func:`dcplan.power.electrical_losses_kw`, ``extrapolate``). The capacity
is unbounded (``inf``) only where nothing the loop carries grows with the IT: ``f = 1`` with losses that do not
grow or none in the room.
"""
from __future__ import annotations

from typing import Callable

import numpy as np

__all__ = ["air_capacity_it", "NEWTON_STEPS", "NEWTON_MAX_STEPS_UP"]

#: Newton steps of the capacity solve in hours short of capacity; the losses' curvature is small (c x^2 of a few
#: % at full load), so three steps reach 1e-9 kW; six leave room for a chain given by the caller.
NEWTON_STEPS = 6
#: Most Newton steps of the solve in hours not short (it stops once a step moves less than 1e-9 x the
#: capacity); the first step may land far above the root where the loop carries little IT heat (``f`` near 1).
NEWTON_MAX_STEPS_UP = 60


def _newton_step(x, sel, air, s, aa, losses_at):
    """``g(x) / g'(x)`` of ``g(x) = air x + s L(x) - A`` (the slope by a backward difference), the hours ``sel``."""
    lx = np.asarray(losses_at(x, sel), float)
    dx = np.maximum(1e-6 * x, 1e-6)
    lo = np.asarray(losses_at(np.maximum(x - dx, 0.0), sel), float)
    slope = air + s * (lx - lo) / dx
    g = air * x + s * lx - aa
    with np.errstate(divide="ignore", invalid="ignore"):   # flat (air = 0, no losses growing): to 0 or unbounded
        return np.where(slope > 0, g / np.where(slope > 0, slope, 1.0), np.where(g > 0, x, -np.inf))


def air_capacity_it(heat_cap_kw, it_kw: np.ndarray, losses_kw: np.ndarray, space_frac: float, liquid_frac: float,
                    losses_at: Callable) -> np.ndarray:
    """The IT power [kW] the air loop can carry each hour.

    ``heat_cap_kw``: the loop's heat capacity for the IT heat and the room's losses, ``A`` (array or scalar);
    ``it_kw``, ``losses_kw``: the hour's IT and losses; ``space_frac``: the share of the losses in the room;
    ``liquid_frac``: the IT heat the liquid loop takes (0 for an air plant); ``losses_at(it, sel)``: the losses
    at IT ``it`` of the hours ``sel`` (the plant's own function)."""
    it = np.asarray(it_kw, float)
    a = np.broadcast_to(np.asarray(heat_cap_kw, float), it.shape).astype(float)
    loss = np.asarray(losses_kw, float)
    air = 1.0 - float(liquid_frac)
    s = float(space_frac)
    with np.errstate(divide="ignore", invalid="ignore"):
        cap = np.where(air > 0, (a - s * loss) / (air if air > 0 else 1.0), np.where(a - s * loss >= 0, np.inf, 0.0))
    short = (air * it + s * loss > a) & (it > 0)
    if short.any():
        sel = np.flatnonzero(short)
        x, hi, aa = it[sel].copy(), it[sel], a[sel]
        for _ in range(NEWTON_STEPS):
            x = np.clip(x - _newton_step(x, sel, air, s, aa, losses_at), 0.0, hi)
        cap[sel] = x
    # the hours the loop carries with room to spare: the most IT it could carry has the losses of that IT
    sel = np.flatnonzero(~short & (cap > it))
    x, lo_x, hi, aa = it[sel].copy(), it[sel], cap[sel], a[sel]
    for _ in range(NEWTON_MAX_STEPS_UP):
        live = np.flatnonzero(np.isfinite(x))   # (inf: nothing the loop carries grows with the IT)
        if not live.size:
            break
        step = _newton_step(x[live], sel[live], air, s, aa[live], losses_at)
        new = np.clip(x[live] - step, lo_x[live], hi[live])
        moved = np.abs(new - x[live]) > 1e-9 * np.maximum(np.where(np.isfinite(new), new, 1.0), 1.0)
        x[live] = new
        if not moved.any():
            break
    cap[sel] = x
    return cap
