"""The load the utility meter sees with on-site PV (part of ``dcplan.solar``).

:func:`net_load_kw` subtracts PV output (:func:`dcplan.solar.pv_ac_kw`) from the
facility load for the tariff, holding coarser PV values over finer load intervals.
:mod:`dcplan.solar` re-exports it.
"""
from __future__ import annotations

import numpy as np
import pandas as pd

from ._ts import step_s
from .errors import InputError

__all__ = ["net_load_kw"]


def net_load_kw(facility_kw: pd.Series, pv_kw: pd.Series) -> pd.Series:
    """Net load seen by the utility meter: ``facility_kw - pv_kw``. [kW]

    Negative where PV exceeds the load (export); the tariff decides what export
    is worth. Both series are tz-aware and regular with interval-ending labels.
    When ``facility_kw`` is finer than ``pv_kw`` (e.g. 15-min load, hourly PV),
    each PV value, the mean over its interval ``(T - step, T]``, is held over
    the finer intervals inside it (the finer labels ``t`` in ``(T - step, T]``);
    the coarser step must be a whole multiple of the finer one and PV must cover
    the load's whole period. Otherwise the two indexes must hold the same
    instants (their time zones may differ, e.g. PV on the weather file's
    standard time and the load on the site's civil time).

    Parameters
    ----------
    facility_kw : pandas.Series
        Facility (IT + cooling + losses) draw. [kW]
    pv_kw : pandas.Series
        On-site PV output, e.g. from :func:`pv_ac_kw`. [kW]

    Returns
    -------
    pandas.Series
        ``net_load_kw`` on ``facility_kw``'s index. [kW]
    """
    for name, x in (("facility_kw", facility_kw), ("pv_kw", pv_kw)):
        if not isinstance(x, pd.Series):
            raise InputError(f"need a pandas Series, got {type(x).__name__}", field=name)
    f_step = step_s(facility_kw, "facility_kw")
    p_step = step_s(pv_kw, "pv_kw")
    fi, pi = facility_kw.index, pv_kw.index
    if f_step == p_step:
        # the same instants labelled in another zone (standard vs civil time) are the same index
        if not (len(fi) == len(pi) and np.array_equal(fi.as_unit("ns").asi8, pi.as_unit("ns").asi8)):
            raise InputError(f"index differs from facility_kw's ({len(pi)} rows {pi[0]}..{pi[-1]} vs "
                             f"{len(fi)} rows {fi[0]}..{fi[-1]}, both {f_step:g} s); put both on the "
                             "same interval-ending index", field="pv_kw")
        pv = pv_kw.to_numpy(dtype=float)
    else:
        ratio = p_step / f_step
        if ratio < 1 or abs(ratio - round(ratio)) > 1e-9:
            raise InputError(f"step {p_step:g} s is not a whole multiple of facility_kw's step "
                             f"{f_step:g} s; resample one of them first", field="pv_kw")
        lo, hi = pi[0] - pd.Timedelta(seconds=p_step), pi[-1]
        if fi[0] <= lo or fi[-1] > hi:
            raise InputError(f"covers ({lo}, {hi}] but facility_kw runs {fi[0]}..{fi[-1]}; "
                             "model PV over the load's whole period", field="pv_kw")
        # interval-ending: fine label t belongs to the coarse interval ending at the next label >= t
        pos = pi.get_indexer(fi, method="bfill")
        if (pos < 0).any():  # pragma: no cover - excluded by the coverage check above
            raise InputError("does not cover facility_kw's period", field="pv_kw")
        pv = pv_kw.to_numpy(dtype=float)[pos]
    out = pd.Series(facility_kw.to_numpy(dtype=float) - pv, index=fi, name="net_load_kw")
    return out
