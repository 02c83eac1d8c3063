"""Time to power given the months already waited: the distribution conditioned on no power so far.

The time to power :math:`T` (:func:`dcplan.grid.time_to_power_cdf`) counts months from the filing date. A
request filed ``w`` months before the plan's date (the site file's ``as_of``, ``DCPLAN_TODAY`` or the
machine's date, :func:`dcplan.plan_dates.months_waited`) with no phase in service has not been powered in
those months, so only the part of :math:`T` after ``w`` is still uncertain:

.. math::

    F_{T\\,|\\,T>w}(t) = \\frac{F_T(t) - F_T(w)}{1 - F_T(w)} \\quad (t \\ge w), \\qquad 0 \\quad (t < w)

and its quantiles are :math:`Q_{T|T>w}(q) = F_T^{-1}\\big(F_T(w) + q\\,(1 - F_T(w))\\big)`: the grid
wait's alone (``grid_months``, conditioned on the grid wait :math:`G > w`) exactly through the two-piece
lognormal's quantile function, the time to power's by inverting the conditioned CDF on its grid of months.
The equipment's own deliveries (``equipment_cdf_frac``, ``equipment_months``) are not conditioned: that
the site has no power says nothing of whether its transformer has come.

A spec carries its months waited as :func:`given_wait` stamps them (a private attribute, no field of the
site file); every function of :mod:`dcplan.grid` that takes a spec reads them (:func:`waited_of`), unless
given ``waited_months=`` itself. A spec not stamped has waited 0 months: the unconditioned distribution,
what a new request faces and what the reports publish as ``..._unconditioned``.
"""
from __future__ import annotations

import datetime as dt

import numpy as np

from .errors import InputError

__all__ = ["given_wait", "waited_of", "waited_on", "conditioned_cdf", "conditioned_probs", "wait_words"]


def given_wait(spec, waited_months: float, on: dt.date | None = None):
    """A copy of the interconnection ``spec`` whose time to power is conditioned on ``waited_months``
    months from filing without power (on the date ``on``, for the texts); 0: the unconditioned one."""
    w = float(waited_months)
    if not np.isfinite(w) or w < 0:
        raise InputError(f"must be months >= 0 waited since filing, got {waited_months!r}", field="waited_months")
    out = spec.model_copy()
    out._waited_months = w
    out._waited_on = on
    return out


def waited_of(spec, waited_months: float | None = None) -> float:
    """The months waited the time to power is conditioned on: ``waited_months`` when given, else the
    spec's own (:func:`given_wait`; 0 for a spec not stamped or a region key). [months]"""
    if waited_months is not None:
        w = float(waited_months)
        if not np.isfinite(w) or w < 0:
            raise InputError(f"must be months >= 0 waited since filing, got {waited_months!r}",
                             field="waited_months")
        return w
    return float(getattr(spec, "_waited_months", 0.0) or 0.0)


def waited_on(spec) -> dt.date | None:
    """The date the spec's months waited run to (:func:`given_wait`), or None."""
    return getattr(spec, "_waited_on", None)


def _survival(f_w: float, waited: float) -> float:
    s = 1.0 - float(f_w)
    if not s > 0.0:
        raise InputError(f"the model gives no chance of a wait longer than the {waited:.1f} months already waited "
                         "since filing (F(w) = 1): give the utility's current estimate as the site's own "
                         "interconnection.time_to_power (months from filed, at least those waited)",
                         field="interconnection.filed")
    return s


def conditioned_cdf(t, cdf, f_w: float, waited: float) -> np.ndarray:
    """``(F(t) - F(w)) / (1 - F(w))`` for ``t >= w``, 0 below; ``cdf`` is :math:`F` at ``t`` and ``f_w``
    :math:`F(w)`. ``waited`` 0 returns ``cdf`` unchanged. [-]"""
    cdf = np.asarray(cdf, dtype=float)
    if waited <= 0:
        return cdf
    s = _survival(f_w, waited)
    t = np.asarray(t, dtype=float)
    return np.where(t >= waited, np.clip((cdf - f_w) / s, 0.0, 1.0), 0.0)


def conditioned_probs(q, f_w: float, waited: float) -> np.ndarray:
    """The unconditioned probabilities whose quantiles are the conditioned ones at ``q``:
    ``F(w) + q (1 - F(w))``. [-]"""
    q = np.asarray(q, dtype=float)
    if waited <= 0:
        return q
    return f_w + q * _survival(f_w, waited)


def wait_words(spec) -> str:
    """``"given 40 months waited by 2025-03-01"`` for a spec stamped with months waited (:func:`given_wait`),
    ``""`` for one that is not: what a conditioned figure's label adds."""
    w = waited_of(spec)
    if w <= 0:
        return ""
    on = waited_on(spec)
    return f"given {w:.1f} months waited without power" + (f" by {on.isoformat()}" if on is not None else "")
