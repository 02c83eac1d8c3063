"""Time grid and closed-form interval integrals behind :mod:`dcplan.workload`.

A :class:`Grid` is a regular run of intervals (Unix seconds). The functions give exact
interval averages of periodic square waves (:func:`_sq_cum`), of the training
compute/communication/checkpoint/restart process (:func:`_training_weights`, numba),
of piecewise-constant event lists (:func:`_events_avg`, :func:`_segments_mixture`) and
of piecewise-constant grids (:func:`_pc_avg`), plus the seeded block RNG.
"""
from __future__ import annotations

import dataclasses
import math
import numbers

import numpy as np
import pandas as pd
from numba import njit

from ._ts import step_s
from .errors import InputError

_CHUNK = 1 << 21        # intervals per chunk (bounds temporary memory)

# ----------------------------------------------------------------------------- time grid
@dataclasses.dataclass(frozen=True)
class Grid:
    """Regular interval grid: interval ``i`` covers ``[start_s + i*step_s, +step_s)``.

    ``start_s`` is Unix seconds (UTC) of the first interval start; ``offset_s`` the
    local UTC offset (constant for fixed-offset zones, else None: computed per point).
    """
    start_s: float
    step_s: float
    n: int
    tz: object
    offset_s: float | None

    @classmethod
    def from_index(cls, index: pd.DatetimeIndex, name: str = "index") -> "Grid":
        st = step_s(index, name)
        if st < 1.0 or st > 3600.0:
            raise InputError(f"step {st:g} s is outside the supported 1 s .. 3600 s", field=name)
        start = index[0].value / 1e9 - st
        off = _fixed_offset_s(index)
        return cls(start, st, len(index), index.tz, off)

    def part(self, i0: int, i1: int) -> "Grid":
        return dataclasses.replace(self, start_s=self.start_s + i0 * self.step_s, n=i1 - i0)

    def bounds(self) -> np.ndarray:
        """The n+1 interval boundaries [s]."""
        return self.start_s + self.step_s * np.arange(self.n + 1, dtype=np.float64)

    def local(self, t: np.ndarray) -> np.ndarray:
        """Local wall-clock seconds for UTC seconds ``t``."""
        if self.offset_s is not None:
            return t + self.offset_s
        utc = pd.DatetimeIndex((t * 1e9).astype("int64"), tz="UTC")
        wall = utc.tz_convert(self.tz).tz_localize(None)
        return wall.as_unit("ns").asi8 / 1e9


def _fixed_offset_s(index: pd.DatetimeIndex) -> float | None:
    a, b = index[0].utcoffset(), index[-1].utcoffset()
    tzname = str(index.tz)
    if a == b and (tzname.startswith(("UTC", "Etc/", "+", "-")) or "FixedOffset" in repr(index.tz)
                   or type(index.tz).__name__ == "timezone"):
        return a.total_seconds()
    return None


def _chunks(g: Grid):
    for i0 in range(0, g.n, _CHUNK):
        yield i0, min(g.n, i0 + _CHUNK)


# ------------------------------------------------------------ closed-form interval integrals
@njit(cache=True)
def _sq_cum(t, phase, inv_period, period, dur):
    """Integral from -inf.. (origin ``phase``) of the indicator on [phase + k*period, +dur)."""
    x = t - phase
    k = math.floor(x * inv_period)
    r = x - k * period
    if r < 0.0:          # guard the product-with-inverse rounding
        k -= 1
        r += period
    elif r >= period:
        k += 1
        r -= period
    return k * dur + min(r, dur)


@njit(cache=True)
def _cums(t, p, ip, cdur, psi, T, iT, d, phi, i_dip):
    """(F_S, F_D, G_SD) at t: cumulative integrals of comm S, checkpoint D and S*D."""
    fs = _sq_cum(t, psi, ip, p, cdur)
    x = t - phi
    k = math.floor(x * iT)
    r = x - k * T
    if r < 0.0:
        k -= 1
        r += T
    elif r >= T:
        k += 1
        r -= T
    fd = k * d + min(r, d)
    a = phi + k * T
    fa = _sq_cum(a, psi, ip, p, cdur)
    if r < d:
        g = k * i_dip + fs - fa
    else:
        g = k * i_dip + _sq_cum(a + d, psi, ip, p, cdur) - fa
    return fs, fd, g


@njit(cache=True)
def _training_weights(start, step, n, p, cdur, psi, T, d, phi, ia, ib, cum):
    """Time fractions at (compute, comm, checkpoint, restart) for n intervals (exact).

    S = comm indicator (period p, duration cdur), D = checkpoint indicator (period T,
    a whole number of iterations, duration d), I = interruptions [ia, ib) (whole
    checkpoint periods). With cumulative integrals F_S, F_D, G = int S*D (each
    checkpoint period holds the same integral of S because T is a multiple of p) and
    their integrals over the interruptions (``cum``: rows S, D, SD, 1 summed over
    complete interruptions), interval fractions are differences at the bounds.
    """
    w = np.empty((n, 4), dtype=np.float32)
    ip, iT = 1.0 / p, 1.0 / T
    i_dip = _sq_cum(phi + d, psi, ip, p, cdur) - _sq_cum(phi, psi, ip, p, cdur)
    m = ia.shape[0]
    j = 0                      # number of interruptions starting at or before t
    xs0 = xd0 = xg0 = x10 = 0.0
    fs0 = fd0 = g0 = 0.0
    sa = da = ga = 0.0
    for i in range(n + 1):
        t = start + i * step
        fs1, fd1, g1 = _cums(t, p, ip, cdur, psi, T, iT, d, phi, i_dip)
        while j < m and ia[j] <= t:
            j += 1
            sa, da, ga = _cums(ia[j - 1], p, ip, cdur, psi, T, iT, d, phi, i_dip)
        if j == 0:
            xs1 = xd1 = xg1 = x11 = 0.0
        elif t < ib[j - 1]:      # inside interruption j-1
            xs1 = cum[0, j - 1] + fs1 - sa
            xd1 = cum[1, j - 1] + fd1 - da
            xg1 = cum[2, j - 1] + g1 - ga
            x11 = cum[3, j - 1] + t - ia[j - 1]
        else:
            xs1, xd1, xg1, x11 = cum[0, j], cum[1, j], cum[2, j], cum[3, j]
        if i > 0:
            fi = (x11 - x10) / step
            fd = ((fd1 - fd0) - (xd1 - xd0)) / step
            fs = ((fs1 - fs0) - (xs1 - xs0)) / step
            fsd = ((g1 - g0) - (xg1 - xg0)) / step
            w[i - 1, 3] = fi
            w[i - 1, 2] = fd
            w[i - 1, 1] = fs - fsd
            w[i - 1, 0] = 1.0 - fi - fd - fs + fsd
        fs0, fd0, g0 = fs1, fd1, g1
        xs0, xd0, xg0, x10 = xs1, xd1, xg1, x11
    return w


@njit(cache=True)
def _interruption_cums(ia, ib, p, cdur, psi, T, d, phi):
    """cum[:, k] = integrals of S, D, S*D and 1 over interruptions 0..k-1."""
    ip, iT = 1.0 / p, 1.0 / T
    i_dip = _sq_cum(phi + d, psi, ip, p, cdur) - _sq_cum(phi, psi, ip, p, cdur)
    m = ia.shape[0]
    cum = np.zeros((4, m + 1))
    for k in range(m):
        s0, d0, g0 = _cums(ia[k], p, ip, cdur, psi, T, iT, d, phi, i_dip)
        s1, d1, g1 = _cums(ib[k], p, ip, cdur, psi, T, iT, d, phi, i_dip)
        cum[0, k + 1] = cum[0, k] + s1 - s0
        cum[1, k + 1] = cum[1, k] + d1 - d0
        cum[2, k + 1] = cum[2, k] + g1 - g0
        cum[3, k + 1] = cum[3, k] + ib[k] - ia[k]
    return cum


def _events_avg(starts, ends, levels, b):
    """Interval averages of a sum of non-overlapping rectangles, at boundaries ``b``."""
    if len(starts) == 0:
        return np.zeros(len(b) - 1)
    cum = np.concatenate(([0.0], np.cumsum(levels * (ends - starts))))
    k = np.searchsorted(starts, b, side="right") - 1
    kk = np.clip(k, 0, None)
    g = np.where(k >= 0, cum[kk] + levels[kk] * (np.minimum(b, ends[kk]) - starts[kk]), 0.0)
    return np.diff(g) / np.diff(b)


def _segments_mixture(starts, ends, levels, b, max_levels: int = 64):
    """Per-interval mixture of piecewise-constant segments: (levels (n, L), weights (n, L)).

    Row i lists the levels of the segments overlapping interval [b_i, b_i+1) and the
    fraction of the interval each covers, so any function of utilisation (power) can be
    averaged exactly. Returns None when more than ``max_levels`` segments fall in one
    interval (caller then uses the plain mean).
    """
    k0 = np.clip(np.searchsorted(starts, b[:-1], side="right") - 1, 0, None)
    k1 = np.searchsorted(starts, b[1:], side="left") - 1
    span = int((k1 - k0).max()) + 1 if len(k0) else 1
    if span > max_levels:
        return None
    dt = np.diff(b)
    lv = np.zeros((len(k0), span))
    w = np.zeros((len(k0), span))
    for j in range(span):
        k = np.minimum(k0 + j, len(starts) - 1)
        ok = (k0 + j) <= k1
        ov = np.minimum(b[1:], ends[k]) - np.maximum(b[:-1], starts[k])
        w[:, j] = np.where(ok, np.clip(ov, 0.0, None), 0.0) / dt
        lv[:, j] = np.where(ok, levels[k], 0.0)
    return lv, w


def _pc_avg(t_first, dt, values, b):
    """Interval averages of a piecewise-constant signal on a grid of width ``dt``."""
    cum = np.concatenate(([0.0], np.cumsum(values * dt)))
    x = (b - t_first) / dt
    k = np.clip(np.floor(x).astype(np.int64), 0, len(values) - 1)
    g = cum[k] + values[k] * (b - (t_first + k * dt))
    return np.diff(g) / np.diff(b)


def _rng(seed: int, *key: int) -> np.random.Generator:
    """Generator of block ``key`` for ``seed`` in [0, 2**32 - 1] (one 32-bit word, no aliasing)."""
    if isinstance(seed, (bool, np.bool_)) or not isinstance(seed, numbers.Integral) or not 0 <= seed <= 0xFFFFFFFF:
        raise InputError(f"must be an integer in [0, 2**32 - 1], got {seed!r}", field="seed")  # (int(2.7) was 2)
    return np.random.default_rng([int(seed), *key])


def _blocks(t0: float, t1: float, size_s: float):
    return range(int(math.floor(t0 / size_s)), int(math.floor((t1 - 1e-9) / size_s)) + 1)



def _year(t: float) -> int:
    return int(np.datetime64(int(t), "s").astype("datetime64[Y]").astype(int) + 1970)


def _year_start(y: int) -> float:
    return float(np.datetime64(f"{y:04d}-01-01", "s").astype(np.int64))
