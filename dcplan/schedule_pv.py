"""On-site generation (PV) behind the meter in :mod:`dcplan.schedule`: the site's grid import.

With ``pv_kw`` (AC output at the meter, behind it) the site buys from the grid only what the
PV does not cover, and is paid nothing for what the PV has left over (no export credit), as
:mod:`dcplan.pipeline` bills a site (``tariff.bill(grid_kw.clip(lower=0))``):

``imp_t = max(0, site_t - pv_t)``, ``site_t = pue_t (base_t + fixed_t + f_t)``.

In the MILP (:func:`import_terms`) the import of each interval where the PV exceeds the load
already there (must-run and committed) is a column ``imp_t >= 0`` with a row ``imp_t >= site_t -
pv_t`` (written as the import of the load already there, 0, plus a column of what the flexible
load adds); elsewhere ``imp_t = site_t - pv_t`` (``site_t`` without PV), linear in the flexible
load, with no column: a site whose PV never exceeds its must-run load gets the model it had
without PV, shifted by a constant. Which rows use which:

* **grid import** ``imp_t`` (what the utility meters and bills): the energy price, the carbon
  price (the grid's carbon intensity is of grid energy), the demand charges (every demand row,
  ratchet and tier, and the rolling horizon's tail peaks) and 4CP;
* **site load** ``site_t`` or IT load, unchanged: the site cap and curtailment limits
  (conservative: met by the site load, they are met by the import too, and the PV is not
  counted on to meet them: it is not firm, and a cap also holds the installed IT power), the
  ramp limit (the scheduler controls the load, not the sun: a ramp limit on the import would
  make a cloud edge infeasible with no flexible work at all, and the clipped import is no
  linear function of the load where PV exceeds it), thermal headroom, 4CP windows (IT kW).

Every price of the import must be >= 0 where there is PV: with non-negative prices the cost
does not fall as ``imp_t`` rises, so the optimum sets ``imp_t`` to ``max(0, site_t - pv_t)``
and the LP bills exactly what the tariff bills. A negative price there (a real-time price
below zero) would make the import's cost concave, which no LP represents: refused
(:func:`check_pv_kw`). The reported costs and bills are of ``max(0, site - pv)`` computed
from the schedule (:func:`grid_import_kw`), never of the column's value.

Without ``pv_kw`` nothing is added: the model, and its results, are the same as before.
"""
from __future__ import annotations

import numpy as np
import pandas as pd

from .errors import InputError

__all__ = ["check_pv_kw", "grid_import_kw", "import_terms", "pv_surplus", "PV_UNITS_RATIO_MAX"]

#: Largest PV output accepted, as a multiple of the highest site load the schedule can reach
#: (PUE x (must-run + every job at full power)): behind the meter a PV plant 1000 times the site's
#: load is a unit slip (W given as kW), not a design. [-]
PV_UNITS_RATIO_MAX = 1000.0


def check_pv_kw(pv: np.ndarray | None, index: pd.DatetimeIndex, site_hi_kw: float,
                import_usd_per_kw: np.ndarray) -> np.ndarray | None:
    """``pv`` (already aligned on ``index``, finite) checked for the scheduler; None passes.

    Parameters
    ----------
    pv : numpy.ndarray, shape (N,), optional
        On-site AC generation at the meter. [kW]
    index : pandas.DatetimeIndex
        Schedule grid (for the messages).
    site_hi_kw : float
        Highest site load the schedule can reach, for the units check (0: no check). [kW]
    import_usd_per_kw : numpy.ndarray, shape (N,)
        Cost of one kW of grid import over each interval: (energy + carbon) x dt + 4CP. [$/kW]

    Raises
    ------
    InputError
        Negative output, an output far above any load the site can draw (units), or a
        negative import price in an interval with PV.
    """
    if pv is None:
        return None
    if (pv < 0).any():
        j = int(np.argmax(pv < 0))
        raise InputError(f"must be >= 0 (on-site AC generation at the meter, behind it; the site's own load is "
                         f"base_it_kw and the jobs), got {pv[j]:g} kW at {index[j]}", field="pv_kw")
    if site_hi_kw > 0 and pv.max() > PV_UNITS_RATIO_MAX * site_hi_kw:
        j = int(np.argmax(pv))
        raise InputError(f"{pv[j]:,.0f} kW at {index[j]} is over {PV_UNITS_RATIO_MAX:g} times the highest site load "
                         f"the schedule can reach ({site_hi_kw:,.1f} kW): is it in W? pv_kw is in kW", field="pv_kw")
    neg = (pv > 0) & (import_usd_per_kw < 0)
    if neg.any():
        j = int(np.argmax(neg))
        raise InputError(f"a negative price of grid import ({import_usd_per_kw[j]:g} $/kW over the interval, energy + "
                         f"carbon + 4CP) at {index[j]}, where there is PV, is not modelled: the import max(0, site - "
                         "pv) priced below zero is not convex, so the LP cannot bill it; clip the price at 0 in the "
                         "PV hours or leave pv_kw out", field="pv_kw")
    return pv


def grid_import_kw(site_kw: np.ndarray, pv_kw: np.ndarray | None) -> np.ndarray:
    """Grid import of a site load after on-site PV, never below zero (no export). [kW]

    ``site_kw`` itself (the same array) without PV.
    """
    return site_kw if pv_kw is None else np.maximum(site_kw - pv_kw, 0.0)


def pv_surplus(pv_kw: np.ndarray | None, site_const_kw: np.ndarray) -> np.ndarray | None:
    """Intervals where the PV exceeds the site load already there (bool; None without PV).

    Only there is the grid import not a linear function of the flexible load: elsewhere it is
    ``site - pv >= 0`` whatever the jobs add (:func:`import_terms`).
    """
    return None if pv_kw is None else pv_kw > site_const_kw


def import_terms(bld, load_cols: np.ndarray, pue: np.ndarray, site_const_kw: np.ndarray, pv_kw: np.ndarray | None,
                 usd_per_kw: np.ndarray):
    """The grid import of each interval as a linear term of the model (module docstring).

    The site load of interval ``t`` is ``pue_t v_t + s_t``, with ``v_t`` column ``load_cols[t]``
    (flexible IT kW) and ``s_t = site_const_kw[t]`` the site load already there. Without PV the
    import is that (``col = load_cols``, ``coef = pue``, ``const = s``; no columns added).

    With PV the import is ``b_t + `` what the flexible load adds, ``b_t = max(0, s_t - pv_t)``
    that of the load already there (a constant). Where the PV does not exceed ``s_t`` the load
    adds ``pue_t v_t`` (the import ``site_t - pv_t``, linear; no column). Where it does
    (:func:`pv_surplus`), a column ``e_t >= 0`` priced at ``usd_per_kw[t]`` with the row ``e_t -
    pue_t v_t >= s_t - pv_t`` (the caller prices ``v_t`` at 0 there): ``b_t + e_t >= max(0,
    site_t - pv_t)``, equal at the optimum. So the objective holds, as without PV, only what the
    flexible load adds.

    Returns
    -------
    tuple
        ``(col, coef, const)``: per interval the import's column, its coefficient and its
        constant [kW]: import = ``coef x x[col] + const``.
    """
    if pv_kw is None:
        return load_cols, pue, site_const_kw
    over = pv_surplus(pv_kw, site_const_kw)
    ts = np.flatnonzero(over)
    col = np.array(load_cols, copy=True)
    if len(ts):
        e = bld.var(len(ts), c=usd_per_kw[ts], lb=0.0)
        k = np.arange(len(ts))
        bld.rows_add(np.r_[k, k], np.r_[e, load_cols[ts]], np.r_[np.ones(len(ts)), -pue[ts]],
                     site_const_kw[ts] - pv_kw[ts], np.inf, len(ts))
        col[ts] = e
    return col, np.where(over, 1.0, pue), np.maximum(site_const_kw - pv_kw, 0.0)
