"""Solar position, once per place, times and weather: NREL SPA through pvlib, memoised per process.

:func:`_location` gives the pvlib ``Location`` whose ``get_solarposition`` (NREL SPA,
``nrel_numpy``) keeps its results per process (at most :data:`_SOLPOS_CACHE_MAX` entries and
:data:`_SOLPOS_CACHE_MAX_ROWS` time steps in all), keyed on everything the result depends on.
Used by :func:`dcplan.solar.pv_detail` (which places the sun at each interval's midpoint and
hands the same ``Location`` to pvlib's ModelChain). Split from :mod:`dcplan.solar`, which
re-exports these names.
"""
from __future__ import annotations

import hashlib
import threading
from collections import OrderedDict

import numpy as np
import pandas as pd


#: Solar positions kept per process: at most this many, and at most
#: :data:`_SOLPOS_CACHE_MAX_ROWS` time steps in all (an hourly year is 8,760 steps,
#: about 0.4 MB; a 1-min year is 60 times that). NREL SPA is about half of a PV year's
#: run time; a sweep or a portfolio asks for the same site's sun again and again, and
#: pvlib's ModelChain asks once more after us.
_SOLPOS_CACHE_MAX = 16
_SOLPOS_CACHE_MAX_ROWS = 1_000_000
_SOLPOS_CACHE: OrderedDict = OrderedDict()
_SOLPOS_LOCK = threading.Lock()


def _digest(*arrays) -> bytes:
    h = hashlib.blake2b(digest_size=16)
    for a in arrays:
        a = np.ascontiguousarray(a)
        h.update(str((a.dtype.str, a.shape)).encode())
        h.update(a.tobytes())
    return h.digest()


def _memo_location_class():
    from pvlib.location import Location

    class _MemoLocation(Location):
        """pvlib ``Location`` whose SPA solar positions are memoised per process.

        The key is everything the result depends on: latitude, longitude, altitude,
        the UTC instants, pressure and temperature (and the method). Callers get a
        copy, so the memo cannot be changed through them.
        """

        def get_solarposition(self, times, pressure=None, temperature=12, **kwargs):
            method = kwargs.pop("method", "nrel_numpy")
            if kwargs or method != "nrel_numpy" or not isinstance(times, pd.DatetimeIndex):
                return super().get_solarposition(times, pressure=pressure, temperature=temperature,
                                                 method=method, **kwargs)
            if pressure is None:  # as pvlib: standard pressure at the site's altitude
                import pvlib
                pressure = pvlib.atmosphere.alt2pres(self.altitude)
            n = len(times)
            p = np.broadcast_to(np.asarray(pressure, float), (n,))
            t = np.broadcast_to(np.asarray(temperature, float), (n,))
            utc = times.tz_convert("UTC") if times.tz is not None else times
            key = (float(self.latitude), float(self.longitude), float(self.altitude),
                   times.tz is not None, _digest(utc.as_unit("ns").asi8, p, t))
            with _SOLPOS_LOCK:
                hit = _SOLPOS_CACHE.get(key)
                if hit is not None:
                    _SOLPOS_CACHE.move_to_end(key)
            if hit is None:
                hit = super().get_solarposition(times, pressure=pressure, temperature=temperature,
                                                method=method)
                if n <= _SOLPOS_CACHE_MAX_ROWS:
                    with _SOLPOS_LOCK:
                        _SOLPOS_CACHE[key] = hit
                        while len(_SOLPOS_CACHE) > _SOLPOS_CACHE_MAX or \
                                sum(len(v) for v in _SOLPOS_CACHE.values()) > _SOLPOS_CACHE_MAX_ROWS:
                            _SOLPOS_CACHE.popitem(last=False)
            out = hit.copy()
            out.index = times  # the caller's labels (same instants)
            return out

    return _MemoLocation


_MEMO_LOCATION = None


def _location(latitude: float, longitude: float, altitude):
    global _MEMO_LOCATION
    if _MEMO_LOCATION is None:
        _MEMO_LOCATION = _memo_location_class()
    return _MEMO_LOCATION(latitude, longitude, tz="UTC", altitude=altitude)
