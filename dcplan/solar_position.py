"""Solar position, once per place, times and weather: NREL SPA through pvlib, memoised per process.

:func:`_location` gives the pvlib ``Location`` whose ``get_solarposition`` (NREL SPA,
``nrel_numpy``) keeps its results per process (at most :data:`_SOLPOS_CACHE_MAX` entries and
:data:`_SOLPOS_CACHE_MAX_ROWS` time steps in all), keyed on everything the result depends on.
Used by :func:`dcplan.solar.pv_detail`, which places the sun at each interval's midpoint, or, in
an interval the sun rises or sets in, at the midpoint of the part it is up
(:meth:`_MemoLocation.sunlit_solarposition`, :func:`sunlit_times`), and hands the same
``Location`` to pvlib's ModelChain. Split from :mod:`dcplan.solar`, which re-exports these names.

Sunrise and sunset intervals
----------------------------
An hourly weather value is the mean over its hour, and in the hour the sun rises or sets in, all of
that light arrived while the sun was up. The beam energy on a plane over the hour is the integral of
``DNI(t) cos(aoi(t)) dt`` over the sunlit part only; with the hour's mean DNI given, ``cos(aoi)``
belongs to the sunlit part, and to first order to its midpoint. The hour's midpoint may be before
sunrise (or after sunset), where the sun is below the horizon. NREL's SAM and PVWatts place the sun
as here: ``irrad::calc`` in SSC's ``lib_irradproc.cpp`` (NREL SAM SSC, github.com/NREL/ssc) takes the
midpoint of sunrise and the end of the time step, or of the step's start and sunset, with SPA's
sunrise (sun's centre at a geometric elevation of -0.8333 deg, [1]_).

Here an interval rises or sets when the sun's geometric elevation at its two ends lies on either
side of :data:`SUNRISE_ELEVATION_DEG` (:func:`sunlit_times`): the crossing, between two
midpoints on either side, is found by SPA at the boundary between them and two regula-falsi steps
(the elevation there is within 0.0005 deg of the threshold: under a second of the sun's motion). A
year costs one full SPA run and four small ones of about 730 instants (once per place and weather:
the result is memoised too). An interval the sun rises and sets in (a day shorter than the step,
near the polar night) takes the midpoint of the two.

References
----------
.. [1] I. Reda, A. Andreas, "Solar Position Algorithm for Solar Radiation Applications,"
       NREL/TP-560-34302, rev. 2008, sec. A.2 (h0' = -0.8333 deg).
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

        def sunlit_solarposition(self, start, end, pressure, temperature):
            """Sun positions for the intervals ``(start, end]`` (:func:`sunlit_times`).

            Returns ``(times, solpos)``: the instants the sun is placed at (a tz-aware
            ``DatetimeIndex`` in ``end``'s zone) and pvlib's solar position frame on them. The
            midpoints' positions come from the memo (one full SPA run per place and weather),
            the few moved instants from small runs; the result is kept in the memo (under the
            midpoints, and under its own instants, so pvlib's ModelChain, asking for the same sun,
            is served from it).
            """
            half = (end - start) / 2
            mid = start + half
            n = len(mid)
            p = np.broadcast_to(np.asarray(pressure, float), (n,))
            t = np.broadcast_to(np.asarray(temperature, float), (n,))
            sunlit_key = ("sunlit",) + self._key(mid, p, t)
            with _SOLPOS_LOCK:
                kept = _SOLPOS_CACHE.get(sunlit_key)
                if kept is not None:
                    _SOLPOS_CACHE.move_to_end(sunlit_key)
            if kept is not None:
                out = kept.copy()
                out.index = out.index.tz_convert(end.tz)
                return out.index, out
            sp = self.get_solarposition(mid, pressure=p, temperature=t)
            s_ns = start.tz_convert("UTC").as_unit("ns").asi8
            e_ns = end.tz_convert("UTC").as_unit("ns").asi8
            m_ns = mid.tz_convert("UTC").as_unit("ns").asi8
            at = sunlit_times(s_ns, e_ns, sp["elevation"].to_numpy(float), float(self.latitude),
                              float(self.longitude), float(self.altitude))
            moved = at != m_ns
            times = pd.DatetimeIndex(at.astype("datetime64[ns]"), tz="UTC").tz_convert(end.tz)
            if moved.any():
                part = super().get_solarposition(times[moved], pressure=p[moved], temperature=t[moved],
                                                 method="nrel_numpy")
                sp = sp.copy()
                pos = np.flatnonzero(moved)
                for c in sp.columns:
                    col = sp[c].to_numpy(copy=True)
                    col[pos] = part[c].to_numpy()
                    sp[c] = col
                sp.index = times
                if n <= _SOLPOS_CACHE_MAX_ROWS:  # for pvlib's ModelChain, which asks for the sun at ``times``
                    self._keep(self._key(times, p, t), sp)
            if n <= _SOLPOS_CACHE_MAX_ROWS:
                self._keep(sunlit_key, sp)
            return times, sp.copy()

        def _key(self, times, p, t):
            utc = times.tz_convert("UTC") if times.tz is not None else times
            return (float(self.latitude), float(self.longitude), float(self.altitude),
                    times.tz is not None, _digest(utc.as_unit("ns").asi8, p, t))

        @staticmethod
        def _keep(key, frame):
            with _SOLPOS_LOCK:
                _SOLPOS_CACHE[key] = frame
                _SOLPOS_CACHE.move_to_end(key)
                while len(_SOLPOS_CACHE) > _SOLPOS_CACHE_MAX or \
                        sum(len(v) for v in _SOLPOS_CACHE.values()) > _SOLPOS_CACHE_MAX_ROWS:
                    _SOLPOS_CACHE.popitem(last=False)

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
            key = self._key(times, p, t)
            with _SOLPOS_LOCK:
                hit = _SOLPOS_CACHE.get(key)
                if hit is not None:
                    _SOLPOS_CACHE.move_to_end(key)
            if hit is None:
                hit = super().get_solarposition(times, pressure=pressure, temperature=temperature,
                                                method=method)
                if n <= _SOLPOS_CACHE_MAX_ROWS:
                    self._keep(key, hit)
            out = hit.copy()
            out.index = times  # the caller's labels (same instants)
            return out

    return _MemoLocation


#: Geometric (refraction-free) elevation of the sun's centre at sunrise and sunset [deg]: NREL SPA's
#: ``h0' = -0.8333`` (upper limb on the horizon: 34' standard refraction plus the 16' semi-diameter), Reda
#: & Andreas 2008, sec. A.2; SAM's irradiance processor takes its sunrise and sunset from the same SPA.
SUNRISE_ELEVATION_DEG = -0.8333


def _elevation_deg(ns: np.ndarray, latitude: float, longitude: float, altitude: float) -> np.ndarray:
    """Geometric elevation [deg] at the UTC instants ``ns`` (int64 ns) by NREL SPA (no refraction, so
    no pressure or temperature)."""
    import pvlib
    t = pd.DatetimeIndex(ns.astype("datetime64[ns]"), tz="UTC")
    return pvlib.solarposition.spa_python(t, latitude, longitude, altitude)["elevation"].to_numpy(float)


def sunlit_times(start_ns, end_ns, mid_elevation_deg, latitude: float, longitude: float,
                 altitude: float) -> np.ndarray:
    """The instant to place the sun at for each interval ``(start, end]``.

    Parameters
    ----------
    start_ns, end_ns : array of int64
        Interval starts and ends, UTC nanoseconds; consecutive intervals (each end the next
        start). [ns]
    mid_elevation_deg : array of float
        Geometric elevation at each interval's midpoint. [deg]
    latitude, longitude, altitude : float
        Site [deg N, deg E, m].

    Returns
    -------
    ndarray of int64
        The midpoint ``(start + end) / 2``; where the sun rises in the interval (geometric elevation
        crossing :data:`SUNRISE_ELEVATION_DEG` upwards at ``t_r``), ``(t_r + end) / 2``; where it sets
        at ``t_s``, ``(start + t_s) / 2``; where it rises and then sets, ``(t_r + t_s) / 2``. [ns]

    Notes
    -----
    A crossing lies between two midpoints on either side of the threshold (or between the first
    start and its midpoint, or the last midpoint and its end). SPA at the boundary between them
    says which half, hence which interval, holds it; two regula-falsi steps of SPA on that half
    hour find it (to well under a second). Two crossings in one interval where the sun sets and
    rises again (near the polar day) keep the midpoint.
    """
    start = np.asarray(start_ns, dtype=np.int64)
    end = np.asarray(end_ns, dtype=np.int64)
    mid = start + (end - start) // 2
    out = mid.copy()
    n = len(start)
    if n == 0:
        return out
    thr = SUNRISE_ELEVATION_DEG
    e_mid = np.asarray(mid_elevation_deg, float)
    # brackets [t0, t1] with a sign change: (mid k-1, mid k) split at start k, and the frame's two ends
    k = np.flatnonzero((e_mid[1:] > thr) != (e_mid[:-1] > thr)) + 1
    e_edge = _elevation_deg(np.concatenate([start[k], start[:1], end[-1:]]), latitude, longitude, altitude)
    e_b, e_first, e_last = e_edge[:len(k)], e_edge[-2], e_edge[-1]
    first_half = (e_b > thr) != (e_mid[k - 1] > thr)  # the crossing lies between mid k-1 and start k
    hour = np.where(first_half, k - 1, k)
    t0 = np.where(first_half, mid[k - 1], start[k]).astype(float)
    t1 = np.where(first_half, start[k], mid[k]).astype(float)
    e0 = np.where(first_half, e_mid[k - 1], e_b)
    e1 = np.where(first_half, e_b, e_mid[k])
    extra = [(0, start[0], mid[0], e_first, e_mid[0]), (n - 1, mid[-1], end[-1], e_mid[-1], e_last)]
    for h, a, b, ea, eb in extra:
        if (ea > thr) != (eb > thr):
            hour = np.append(hour, h)
            t0, t1 = np.append(t0, float(a)), np.append(t1, float(b))
            e0, e1 = np.append(e0, ea), np.append(e1, eb)
    if len(hour) == 0:
        return out
    rising = e1 > thr
    for _ in range(2):  # regula falsi on the half hour: the elevation is near-linear in time there
        t = t0 + (thr - e0) / (e1 - e0) * (t1 - t0)
        et = _elevation_deg(np.round(t).astype(np.int64), latitude, longitude, altitude)
        left = (et > thr) == (e1 > thr)  # the crossing lies in [t0, t]
        t1, e1 = np.where(left, t, t1), np.where(left, et, e1)
        t0, e0 = np.where(left, t0, t), np.where(left, e0, et)
    cross = np.round(t0 + (thr - e0) / (e1 - e0) * (t1 - t0)).astype(np.int64)
    lo, hi = start.copy(), end.copy()  # the sunlit part of each interval with a crossing
    count = np.zeros(n, dtype=np.int64)
    np.add.at(count, hour, 1)
    lo[hour[rising]] = cross[rising]
    hi[hour[~rising]] = cross[~rising]
    ok = (count > 0) & (lo < hi)  # not a set-then-rise interval (sun up at both ends)
    out[ok] = lo[ok] + (hi[ok] - lo[ok]) // 2
    return out


_MEMO_LOCATION = None


def _location(latitude: float, longitude: float, altitude):
    global _MEMO_LOCATION
    if _MEMO_LOCATION is None:
        _MEMO_LOCATION = _memo_location_class()
    return _MEMO_LOCATION(latitude, longitude, tz="UTC", altitude=altitude)
