"""Time to power: the distribution of the months from filing until the grid and the equipment are ready.

Part of :mod:`dcplan.grid` (which re-exports every name here; its docstring states the lead-time model and the
calendar months it counts in). Each lead time, the region's grid wait and every long-lead equipment item's
delivery, is a two-piece lognormal fitted to its median and p10 / p90 (:func:`dcplan.grid_lead_time.lognormal_cdf`);
the time to power is the later of the grid wait and the deliveries (ordered ``order_delay_months`` after filing),
treated as independent, so its CDF is their product:

.. math::

    F_T(t) = F_{grid}(t)\\,\\prod_i F_i(t - d_{order})

* :func:`time_to_power_cdf`: :math:`F_{grid}`, :math:`\\prod_i F_i` and :math:`F_T` on a grid of months, each
  given the months already waited, ``T > w`` (:mod:`dcplan.grid_given_wait`);
* :func:`time_to_power`: their quantiles, the grid wait's exactly, the equipment's and the time to power's by
  inverting the CDF on that grid (:func:`_invert`; a point mass's step evaluated just below, :func:`_step_points`).
"""
from __future__ import annotations

from typing import Sequence

import numpy as np
import pandas as pd

from .errors import InputError
from .grid_given_wait import conditioned_cdf, conditioned_part_cdf, conditioned_part_probs, waited_of
from .grid_lead_time import (DEFAULT_QUANTILES, LeadTimeSource, equipment_plan, equipment_rows, lead_time_quantiles,
                             lognormal_cdf, wait_months)
from .grid_lead_time import check_quantiles as _check_quantiles

__all__ = ["time_to_power_cdf", "time_to_power", "DAYS_PER_MONTH", "TIME_TO_POWER_GRID_MONTHS"]

#: Mean month of a 365.25-day (Julian) year, 30.4375 d (the Gregorian mean is 365.2425 / 12 = 30.436875 d; 0.002 %
#: apart, 0.03 day over the 208 weeks of the longest equipment p90): weeks of lead time to months. [d]
DAYS_PER_MONTH = 365.25 / 12
_WEEKS_PER_MONTH = DAYS_PER_MONTH / 7.0
#: Default end of the time-to-power evaluation grid (20 years, steps of 0.05 month): above
#: every ``data/interconnection.csv`` row's 99.5th percentile (at most 203 months: the generator queue's,
#: 60 x (110 / 60) ** (2.5758 / 1.2816); EirGrid Dublin's 201). :func:`time_to_power` reaches further for a
#: site's own, wider figures. [months]
TIME_TO_POWER_GRID_MONTHS = 240.0


def time_to_power_cdf(region: LeadTimeSource, *, equipment: Sequence[str] | None = None,
                      order_delay_months: float | None = None,
                      months: np.ndarray | None = None, waited_months: float | None = None) -> pd.DataFrame:
    """Probability that power is available within ``t`` months of filing.

    Parameters
    ----------
    region : str, InterconnectionSpec or TimeToPowerSpec
        Key of ``data/interconnection.csv``; or a site's ``interconnection:`` section (its
        region's row, or its own ``time_to_power`` figures); or a ``time_to_power`` section
        (:func:`dcplan.grid_lead_time.lead_time_row`).
    equipment : sequence of str, optional
        Items of ``data/equipment_lead_times.csv`` on the critical path; ``()`` for the grid wait
        alone. None: the site's ``interconnection.equipment`` (``none``: ``()``), else
        :data:`DEFAULT_EQUIPMENT` (power transformer and switchgear)
        (:func:`dcplan.grid_lead_time.equipment_plan`).
    order_delay_months : float, optional
        Months after filing at which the equipment is ordered (negative: before). None: from the
        filing date to the site's ``interconnection.equipment_ordered``, else 0. [months]
    months : array, optional
        Evaluation grid; default 0 to 240 months
        (:data:`TIME_TO_POWER_GRID_MONTHS`) in steps of 0.05. [months]
    waited_months : float, optional
        Months from filing waited without power: ``time_to_power_cdf_frac`` is then ``(F(t) - F(w)) / (1 - F(w))``
        from ``w`` on, 0 before, and each part's CDF given the same event, ``T > w``
        (:func:`dcplan.grid_given_wait.conditioned_part_cdf`). None: the spec's own
        (:func:`dcplan.grid_given_wait.given_wait`; 0, unconditioned, when not given). [months]

    Returns
    -------
    pandas.DataFrame
        Indexed by ``months_since_filing``; columns ``grid_cdf_frac``,
        ``equipment_cdf_frac`` (all items delivered) and ``time_to_power_cdf_frac``
        (their product: the later of the two, independent), each given the months waited. [-]
    """
    equipment, order_delay_months = equipment_plan(region, equipment, order_delay_months)
    median, p10, p90 = wait_months(region)
    t = (np.arange(0.0, TIME_TO_POWER_GRID_MONTHS + 1e-9, 0.05) if months is None
         else np.asarray(months, dtype=float))
    w = waited_of(region, waited_months)
    tw = np.append(t, w)  # the months waited last: F(w), the conditioning's
    grid = lognormal_cdf(tw, median, p10, p90)
    eq = np.ones_like(tw)
    for _, r in equipment_rows(equipment).iterrows():
        eq = eq * lognormal_cdf(tw - float(order_delay_months), r.median_weeks / _WEEKS_PER_MONTH,
                       r.low_weeks / _WEEKS_PER_MONTH, r.high_weeks / _WEEKS_PER_MONTH)
    ttp = grid * eq
    # each part given the same event as the time to power, T > w (no power by then: the grid's or the equipment's)
    return pd.DataFrame({"grid_cdf_frac": conditioned_part_cdf(t, grid[:-1], grid[-1], eq[-1], w),
                         "equipment_cdf_frac": conditioned_part_cdf(t, eq[:-1], eq[-1], grid[-1], w),
                         "time_to_power_cdf_frac": conditioned_cdf(t, ttp[:-1], ttp[-1], w)},
                        index=pd.Index(t, name="months_since_filing"))


def _invert(t: np.ndarray, cdf: np.ndarray, q: np.ndarray) -> np.ndarray:
    """The first ``t`` where the CDF reaches ``q``: ``Q(q) = min{t: F(t) >= q}``, linear between the
    grid point before (``F < q``) and the first point with ``F >= q``, so a flat run is never crossed.

    A step (a point mass, e.g. a site's own figures with p10 = median) lands on its grid point
    ``t_j`` only from the point before it: :func:`time_to_power` puts one just below each step
    (:func:`_step_points`), so the quantiles inside it come out at the step, within 1e-9 month.
    """
    c = np.maximum.accumulate(cdf)
    if q.max() > c[-1]:
        raise InputError(f"quantile {q.max()} beyond the {t[-1]:g}-month evaluation grid", field="quantiles")
    i = np.searchsorted(c, q, side="left")  # first index with c >= q (c non-decreasing)
    lo = np.maximum(i - 1, 0)
    dc = c[i] - c[lo]
    frac = np.where(dc > 0, (q - c[lo]) / np.where(dc > 0, dc, 1.0), 1.0)
    return np.where(i == 0, t[0], t[lo] + frac * (t[i] - t[lo]))


#: Gap below a step of the time-to-power CDF at which :func:`time_to_power` also evaluates it, so the
#: inversion (:func:`_invert`) puts the quantiles inside the step within this of it. [months]
_STEP_GAP_MONTHS = 1e-9


def _step_points(region: LeadTimeSource, equipment: Sequence[str], order_delay_months: float) -> np.ndarray:
    """Where the time-to-power CDF may jump, and just below: the median of every lead time with a
    side of zero spread (p10 = median or median = p90: a point mass there), the equipment's moved by
    the order delay. [months]"""
    pts = []
    median, p10, p90 = wait_months(region)
    if p10 == median or p90 == median:
        pts.append(median)
    for _, r in equipment_rows(equipment).iterrows():
        if r.low_weeks == r.median_weeks or r.high_weeks == r.median_weeks:
            pts.append(r.median_weeks / _WEEKS_PER_MONTH + float(order_delay_months))
    pts = np.asarray([p for p in pts if p > _STEP_GAP_MONTHS], dtype=float)
    return np.concatenate((pts, pts - _STEP_GAP_MONTHS))


def time_to_power(region: LeadTimeSource, *, equipment: Sequence[str] | None = None,
                  order_delay_months: float | None = None,
                  quantiles: Sequence[float] = DEFAULT_QUANTILES, waited_months: float | None = None) -> pd.DataFrame:
    """Quantiles of the months from filing to power (grid wait vs long-lead equipment).

    ``region``: a key of ``data/interconnection.csv``, a site's ``interconnection:`` section
    (its region's row or its own ``time_to_power``) or a ``time_to_power`` section;
    ``equipment`` and ``order_delay_months`` (None: the site's own ``equipment`` and
    ``equipment_ordered``), ``waited_months`` (None: the spec's own), as for :func:`time_to_power_cdf`; given
    ``w`` months waited every column is given ``T > w`` (:mod:`dcplan.grid_given_wait`; the months' grid
    reaches ``w`` further): the time to power's quantiles are more than ``w`` and at or above both parts'.

    Returns
    -------
    pandas.DataFrame
        Indexed by ``quantile_frac``; columns ``grid_months`` (exact two-piece lognormal quantile,
        :func:`dcplan.grid_given_wait.conditioned_part_probs`), ``equipment_months`` (all items delivered, including
        the order delay, in months after filing: clamped at 0, the filing date, for equipment
        ordered early enough to arrive before it, as it then waits for the grid),
        ``time_to_power_months`` (the later of the two; CDF product
        inverted on a 0.05-month grid from 0 to :data:`TIME_TO_POWER_GRID_MONTHS` plus the
        order delay, or to 1.5 x the grid wait's highest quantile asked for when that is
        beyond 0.9 x that end, as a site's own wide figures can be; a lead time with a point
        mass, p10 = median or median = p90, is also evaluated at it and just below, so a
        quantile inside the step is the step's date). [months]
    """
    q = _check_quantiles(quantiles)
    median, p10, p90 = wait_months(region)
    equipment, d = equipment_plan(region, equipment, order_delay_months)
    if isinstance(d, bool) or not isinstance(d, (int, float, np.number)) or not -120 <= d <= 600:
        raise InputError(f"must be months after filing in [-120, 600] (negative: ordered before filing), "
                         f"got {d!r}", field="order_delay_months")
    # the 240-month grid moved out by the order delay, so equipment ordered late still arrives on it;
    # a wider wait (a site's own figures) than the grid holds at the top quantile: 1.5 x that wait's
    # quantile, which the product with the equipment's CDF also reaches (every table row stays on 240)
    w = waited_of(region, waited_months)
    # the grid wait's own probabilities whose quantiles are its quantiles given T > w: its F(w) and the equipment's
    f_eq_w = (float(time_to_power_cdf(region, equipment=equipment, order_delay_months=d, months=np.array([w]),
                                      waited_months=0.0)["equipment_cdf_frac"].iloc[0]) if w > 0 else 1.0)
    qg = conditioned_part_probs(q, float(lognormal_cdf(w, median, p10, p90)), f_eq_w, w)
    top = float(lead_time_quantiles(median, p10, p90, [qg.max()])[0])
    end = TIME_TO_POWER_GRID_MONTHS if top < 0.9 * TIME_TO_POWER_GRID_MONTHS else 1.5 * top
    months = np.arange(0.0, end + max(float(d), 0.0) + w + 1e-9, 0.05)
    # a step (a point mass) evaluated at its point and just below, so its quantiles land on it (_invert);
    # the months waited too, where the conditioned CDF starts
    months = np.unique(np.concatenate((months, _step_points(region, equipment, d), [w] if w > 0 else [])))
    cdf = time_to_power_cdf(region, equipment=equipment, order_delay_months=d, months=months, waited_months=w)
    t = cdf.index.to_numpy()
    eq = (_invert(t, cdf["equipment_cdf_frac"].to_numpy(), q) if len(tuple(equipment))
          else np.zeros_like(q))
    return pd.DataFrame({
        "grid_months": lead_time_quantiles(median, p10, p90, qg),
        "equipment_months": eq,
        "time_to_power_months": _invert(t, cdf["time_to_power_cdf_frac"].to_numpy(), q),
    }, index=pd.Index(q, name="quantile_frac"))
