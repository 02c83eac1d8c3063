"""A PV year's model output, memoised per process (:func:`dcplan.solar.pv_detail`'s pvlib part).

:func:`dcplan.solar.pv_detail` checks its weather and arguments and issues its warnings on every call; what follows
(transposition, shading, IAM, pvlib's ModelChain: about 30 ms for an hourly year) is a pure function of the
weather columns it reads, the weather's instants and its checked arguments. A sweep runs the same site's array on
the same weather in every case that changes only its fleet, plant or margin (the ``portfolio_sweep`` example: 14
PV years of 4 arrays), and ``site_analysis`` runs its site's array twice (the site-year, then the monthly PV table
and hourly export). So the output is kept per process, keyed on all of it (:func:`key`), at most
:data:`_PV_CACHE_MAX` years, and handed out as a copy labelled with the caller's own index.

A warning pvlib or numpy issued inside the model part (none does on the bundled sites' weather) is issued by the
call that computed it only, as Python's default warning filter shows it once per place anyway. The zygote's
warm-up empties the memo (:func:`dcplan._zygote_warmup._clear_dcplan_caches`: a module ``*_CACHE`` dict).
"""
from __future__ import annotations

import threading
from collections import OrderedDict

import numpy as np
import pandas as pd

from .solar_position import _digest

__all__ = ["get", "key", "put"]

#: PV years kept per process (an hourly year's 13 columns are about 0.9 MB).
_PV_CACHE_MAX = 16
_PV_CACHE: OrderedDict = OrderedDict()
_PV_LOCK = threading.Lock()
#: The weather columns the model part reads (``albedo`` only when the frame has it).
COLUMNS = ("ghi", "dni", "dhi", "temp_air", "wind_speed", "pressure", "albedo")


def key(weather: pd.DataFrame, args: tuple) -> tuple:
    """Everything the model part's output depends on: the index's instants (its unit and zone), each of
    :data:`COLUMNS` the frame has (as float, as the model reads it) and the checked arguments ``args``."""
    idx = weather.index
    cols = tuple(c for c in COLUMNS if c in weather)
    arrays = [idx.asi8] + [weather[c].to_numpy(dtype=float) for c in cols]
    return (str(idx.unit), str(idx.tz), cols, len(idx), _digest(*arrays),
            tuple(None if a is None else bool(a) if isinstance(a, (bool, np.bool_)) else float(a) for a in args))


def get(k: tuple, idx: pd.DatetimeIndex) -> pd.DataFrame | None:
    """A copy of the kept output for ``k`` on the caller's index ``idx`` (same instants), or None."""
    with _PV_LOCK:
        hit = _PV_CACHE.get(k)
        if hit is not None:
            _PV_CACHE.move_to_end(k)
    if hit is None:
        return None
    out = hit.copy()
    out.index = idx
    return out


def put(k: tuple, out: pd.DataFrame) -> None:
    """Keep a copy of ``out`` for ``k`` (the oldest goes beyond :data:`_PV_CACHE_MAX`)."""
    with _PV_LOCK:
        _PV_CACHE[k] = out.copy()
        while len(_PV_CACHE) > _PV_CACHE_MAX:
            _PV_CACHE.popitem(last=False)
