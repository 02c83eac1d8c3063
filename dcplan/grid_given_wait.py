"""Time to power given the months already waited: the distribution conditioned on no power so far.

The time to power :math:`T` (:func:`dcplan.grid.time_to_power_cdf`) counts months from the filing date. A
request filed ``w`` months before the plan's date (the site file's ``as_of``, ``DCPLAN_TODAY`` or the
machine's date, :func:`dcplan.plan_dates.months_waited`) with no phase in service has not been powered in
those months, so only the part of :math:`T` after ``w`` is still uncertain:

.. math::

    F_{T\\,|\\,T>w}(t) = \\frac{F_T(t) - F_T(w)}{1 - F_T(w)} \\quad (t \\ge w), \\qquad 0 \\quad (t < w)

and its quantiles are :math:`Q_{T|T>w}(q) = F_T^{-1}\\big(F_T(w) + q\\,(1 - F_T(w))\\big)`, by inverting the
conditioned CDF on its grid of months.

The two parts of :math:`T = \\max(G, E)`, the grid wait :math:`G` and the equipment's deliveries :math:`E`
(``grid_months``, ``equipment_months`` and their CDFs), are given the same event, :math:`T > w`: no power
by ``w`` may be the grid's or the equipment's (under the model's independence, with :math:`a = F_G(w)`,
:math:`b = F_E(w)` and :math:`1 - F_T(w) = 1 - ab`)

.. math::

    P(G \\le t \\mid T > w) = \\frac{F_G(t) - ab}{1 - ab} \\quad (t \\ge w), \\qquad
    \\frac{F_G(t)\\,(1 - b)}{1 - ab} \\quad (t < w)

and likewise for :math:`E` with :math:`a` and :math:`b` swapped (:func:`conditioned_part_cdf`), so the time to
power, the later of the two, is at or above each part's quantile, as the labels that name the part setting
it say. The grid wait's quantiles are exact through the two-piece lognormal's quantile function
(:func:`conditioned_part_probs`); without equipment (:math:`b = 1`) they are the grid wait's given
:math:`G > w`, what "the grid wait alone" given the months waited is (``time_to_power(..., equipment=())``).

A spec carries its months waited as :func:`given_wait` stamps them (a private attribute, no field of the
site file); every function of :mod:`dcplan.grid` that takes a spec reads them (:func:`waited_of`), unless
given ``waited_months=`` itself. A spec not stamped has waited 0 months: the unconditioned distribution,
what a new request faces and what the reports publish as ``..._unconditioned``.
"""
from __future__ import annotations

import datetime as dt

import numpy as np

from .errors import InputError

__all__ = ["given_wait", "waited_of", "waited_on", "conditioned_cdf", "conditioned_probs", "conditioned_part_cdf",
           "conditioned_part_probs", "wait_words"]


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


def conditioned_part_cdf(t, cdf, f_w: float, other_w: float, waited: float) -> np.ndarray:
    """One part of the time to power given ``T > w`` (module docstring): ``(F(t) - F(w) F_o(w)) / (1 - F(w)
    F_o(w))`` for ``t >= w``, ``F(t) (1 - F_o(w)) / (1 - F(w) F_o(w))`` below; ``cdf`` is the part's own
    :math:`F` at ``t``, ``f_w`` its :math:`F(w)` and ``other_w`` the other part's :math:`F_o(w)`. ``waited`` 0
    returns ``cdf`` unchanged; ``other_w`` 1 (no other part) is :func:`conditioned_cdf`. [-]"""
    cdf = np.asarray(cdf, dtype=float)
    if waited <= 0:
        return cdf
    both = float(f_w) * float(other_w)
    s = _survival(both, waited)
    t = np.asarray(t, dtype=float)
    return np.clip(np.where(t >= waited, cdf - both, cdf * (1.0 - float(other_w))) / s, 0.0, 1.0)


def conditioned_part_probs(q, f_w: float, other_w: float, waited: float) -> np.ndarray:
    """The part's own (unconditioned) probabilities whose quantiles are its quantiles given ``T > w`` at ``q``
    (:func:`conditioned_part_cdf` inverted): with ``p = q (1 - F(w) F_o(w))``, ``p / (1 - F_o(w))`` below
    ``F(w) (1 - F_o(w))`` (a quantile before ``w``: the other part is what is late), else ``p + F(w) F_o(w)``.
    ``other_w`` 1 is :func:`conditioned_probs`. [-]"""
    q = np.asarray(q, dtype=float)
    if waited <= 0:
        return q
    a, b = float(f_w), float(other_w)
    p = q * _survival(a * b, waited)
    below = p < a * (1.0 - b)
    return np.where(below, p / np.where(below, 1.0 - b, 1.0), p + a * b)


def wait_words(spec) -> str:
    """``"given 40 months waited by 2025-03-01"`` for a spec stamped with months waited (:func:`given_wait`),
    ``""`` for one that is not: what a conditioned figure's label adds."""
    w = waited_of(spec)
    if w <= 0:
        return ""
    on = waited_on(spec)
    return f"given {w:.1f} months waited without power" + (f" by {on.isoformat()}" if on is not None else "")
