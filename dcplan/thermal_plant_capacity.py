"""The IT power an hour's air loop can carry: :func:`air_capacity_it`, the hourly plant's capacity (and so its
derate) when the air loop limits.

The air loop carries the share of the IT heat the liquid loop does not capture, ``(1 - f) x IT``, and the
distribution losses dissipated in the room, ``s x L(IT)`` (``s``: ``losses_to_space_frac``; ``L``: the
transformer/UPS/PDU chain's losses at that IT). Its capacity is the IT at which the two fill the loop's heat
capacity ``A`` (its base load, its own fans' and pumps' heat taken out):

    ``(1 - f) x IT + s x L(IT) = A``.

The plant held ``L`` at the hour's unthrottled value and divided by ``1 - f``; but throttling the GPUs cuts
the losses the air loop carries too, so that overstated the derate (a cooling engineer's check: a Chicago W32
liquid plant at ``liquid_heat_frac`` 0.85 derated 75.6 kW in its worst hour against 52.7 kW with the losses
following the IT, 0.95: 121 kW against 52.6 kW), and at ``liquid_heat_frac`` 1 (allowed) it divided by
1e-12: every such hour lost its whole IT. ``L`` is increasing and convex (``a + b x + c x^2`` per stage), so
the root is found by Newton's method from the hour's IT, where the loop is short, downward (a few steps;
clipped to ``[0, IT]``). Hours where the loop carries the hour's IT keep the earlier figure, which is then not
a derate (the losses at the hour's IT; unbounded, ``inf``, when the air loop carries no IT heat, ``f = 1``).
"""
from __future__ import annotations

from typing import Callable

import numpy as np

__all__ = ["air_capacity_it", "NEWTON_STEPS"]

#: Newton steps of the capacity solve; the losses' curvature is small (c x^2 of a few % at full load), so
#: three steps reach 1e-9 kW; six leave room for a chain given by the caller.
NEWTON_STEPS = 6


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
            lx = np.asarray(losses_at(x, sel), float)
            dx = np.maximum(1e-6 * x, 1e-6)
            lo = np.asarray(losses_at(np.maximum(x - dx, 0.0), sel), float)
            slope = air + s * (lx - lo) / dx
            g = air * x + s * lx - aa
            with np.errstate(divide="ignore", invalid="ignore"):
                step = np.where(slope > 0, g / slope, np.where(g > 0, x, 0.0))
            x = np.clip(x - step, 0.0, hi)
        cap[sel] = x
    return cap
