"""Workload profiles: accelerator utilisation at any interval from 1 s to 1 h.

Every generator describes a **continuous-time process** :math:`u(t)` and returns,
for each interval of the requested index, the exact interval average
:math:`\\bar u_i = \\frac{1}{\\Delta}\\int_{t_i-\\Delta}^{t_i} u(t)\\,dt`
(interval-ending labels). Components are built so the integral is known in closed
form (periodic square waves, piecewise-constant event lists, cosines), hence:

* **Resolution consistency.** The 1 h profile equals the mean of the 1 s profile over
  each hour, to floating-point rounding (``tests/test_power_workload.py``).
* **Determinism.** Random parts are drawn from ``numpy.random.default_rng`` seeded
  with ``(seed, component, block)`` where ``block`` is the UTC calendar day or year
  the draw belongs to, so a given seed gives the same process whatever the window
  or the step that is asked for.
* **Mixtures.** Internally a process returns, per interval, a small set of
  utilisation *levels* and the *fraction of time* spent at each
  (:meth:`Process.mixture`). :mod:`dcplan.power` turns levels into power before
  averaging, so for piecewise-constant processes (training, batch, data) the power
  of a coarse interval is exact even for a non-linear power curve or a binding power
  cap. For inference (continuous diurnal shape and noise) the coarse power is the
  power of the mean utilisation, which equals the fine-resolution mean only when the
  power curve is linear and no cap binds (measured gap ~0.03 % concave, ~0.3 % with a
  binding cap, ``tests/test_power_fleet.py``).

Processes (parameters in :data:`PROFILE_PARAMS`; defaults are illustrative
estimates, not measurements, see ``data/SOURCES.md`` "Hardware catalog" and
``dcplan/specs/fleet.py``; checked in :mod:`dcplan.power_profile_checks`, event rates at most
:data:`MAX_EVENT_RATES`, one a minute, since a year of events is drawn at once):

``training``
    Lock-step large-scale training. Per iteration of ``iteration_s`` the fleet
    spends ``comm_frac`` of the time in communication at ``comm_util_ratio`` times
    the compute level; every ``checkpoint_interval_s`` (rounded to whole iterations) a
    checkpoint of ``checkpoint_s`` holds utilisation at ``checkpoint_util_frac``; job
    interruptions (Poisson, ``interruptions_per_day``) restart from the last checkpoint
    and hold ``restart_util_frac`` for a whole number of checkpoint periods (exponential,
    mean ``restart_s``; a failure during a restart is absorbed by it). Shape after the
    synchronous compute/communication swings and checkpoint dips described by Patel et al.,
    "Characterizing Power Management Opportunities for LLMs in the Cloud" (ASPLOS 2024,
    arXiv:2308.12908) and arXiv:2508.14318 (training power stabilisation). The compute level is solved so
    the long-run mean equals ``mean_util_frac``. All four levels are constant, so the
    power of any interval is exact at any step, for any power curve or cap.
``inference``
    Serving: ``base * W(t) + bursts(t) + noise(t)`` with a local-time diurnal cosine
    (``diurnal_amplitude_frac``, peak at ``peak_hour``), weekend reduction
    (``weekend_drop_frac``), Poisson demand bursts (``burst_rate_per_h``,
    exponential durations of mean ``burst_s``, height ``burst_util_frac``) and
    zero-mean noise (per-minute values de-meaned over each hour, per-second values
    de-meaned over each minute; std ``noise_minute_frac``/``noise_second_frac``).
``batch``
    Back-to-back jobs of exponential duration (mean ``job_mean_h``) at a uniform
    random level (mean solved from ``mean_util_frac``, half-width
    ``level_spread_frac``) separated by queue gaps (mean ``gap_mean_s``) at
    ``idle_util_frac``; jobs are cut at UTC midnight. Piecewise constant: each
    interval carries the exact mix of the job levels it overlaps (power exact).
``data``
    :class:`DataProcess` over a measured series (:func:`read_profile_csv`), step-held: each
    value holds over its own interval (interval-ending: the value stamped t covers t - step to t),
    so on a finer grid (1 s from hourly data) every step carries its data interval's value, no
    variation within it; exact (power too) when at most 64 data steps fall in one interval.
``mixed``
    ``training_share_frac`` of the fleet runs ``training``, the rest ``inference``.
"""
from __future__ import annotations

import abc
import dataclasses
import functools
import math
from pathlib import Path

import numpy as np
import pandas as pd

from ._ts import irregularity, step_s, unknown_key_message
from .errors import InputError
from .power_timegrid import (Grid, _blocks, _chunks, _events_avg, _interruption_cums, _pc_avg, _rng,
                             _segments_mixture, _training_weights, _year, _year_start)
from .power_profile_checks import MAX_EVENT_RATES, _check_mean, _check_params, _reachable
from .specs.fleet import PROFILE_PARAMS  # defaults live with the fleet spec (validated at load)

__all__ = ["PROFILE_PARAMS", "WORKLOADS", "MAX_EVENT_RATES", "Process", "make_process", "workload_profile",
           "training_profile", "inference_profile", "batch_profile", "mixed_profile",
           "read_profile_csv", "DataProcess"]

WORKLOADS = ("training", "inference", "batch", "mixed")
_NOISE_CLIP = 2.0       # noise draws are clipped at +/- 2 std before de-meaning


# ------------------------------------------------------------------------------ processes
class Process(abc.ABC):
    """A utilisation process: ``mixture(grid) -> (levels, weights)``.

    ``levels`` has shape (L,) (constant levels) or (n, L); ``weights`` (n, L) are the
    time fractions at each level within each interval (rows sum to 1).
    ``expected_mixture`` is the same with every unit-level random or periodic part
    replaced by its long-run expectation (many independent units; law of large numbers).
    """
    mean_util_frac: float

    @abc.abstractmethod
    def mixture(self, g: Grid):
        """Levels and their time weights in each interval of ``g`` (seeded process)."""

    @abc.abstractmethod
    def expected_mixture(self, g: Grid):
        """As :meth:`mixture` with unit-level randomness replaced by its expectation."""

    def utilisation(self, g: Grid, expected: bool = False) -> np.ndarray:
        out = np.empty(g.n)
        for i0, i1 in _chunks(g):
            lv, w = (self.expected_mixture if expected else self.mixture)(g.part(i0, i1))
            out[i0:i1] = (w * lv).sum(axis=1)
        return out


@dataclasses.dataclass(frozen=True)
class Training(Process):
    mean_util_frac: float
    seed: int = 0
    params: tuple = ()

    def __post_init__(self):
        p = _check_params("training", dict(self.params))
        it = p["iteration_s"]
        T = max(1, round(p["checkpoint_interval_s"] / it)) * it  # whole iterations (exactness)
        if p["checkpoint_s"] > T:
            raise InputError(f"checkpoint_s={p['checkpoint_s']:g} exceeds checkpoint_interval_s={T:g}",
                             field="profile.checkpoint_s")
        if p["comm_frac"] >= 1.0:
            raise InputError("must be < 1", field="profile.comm_frac")
        m = _check_mean(self.mean_util_frac)
        delta, c, r, uk = p["checkpoint_s"] / T, p["comm_frac"], p["comm_util_ratio"], p["checkpoint_util_frac"]
        q = _interrupted_share(p["interruptions_per_day"] / 86400.0 * T, math.exp(-T / p["restart_s"]))
        ur = p["restart_util_frac"]
        uc = ((m - q * ur) / (1 - q) - delta * uk) / ((1 - delta) * (1 - c + c * r))
        if not 0.0 <= uc <= 1.0:
            # the mean is linear in the compute level uc: uc = 0 and uc = 1 bound it
            m0 = q * ur + (1 - q) * delta * uk
            m1 = m0 + (1 - q) * (1 - delta) * (1 - c + c * r)
            raise InputError(
                f"mean {m:g} is not reachable with this shape (compute level would be {uc:.3f}; "
                f"allowed 0..1); " + _reachable(m0, m1, "lower comm_frac, checkpoint_s or interruptions, or "
                                                 "raise comm_util_ratio"),
                field="mean_util_frac")
        rng = _rng(self.seed, 11)
        object.__setattr__(self, "_p", p)
        object.__setattr__(self, "_T", T)
        object.__setattr__(self, "_levels", np.array([uc, uc * r, uk, ur]))
        object.__setattr__(self, "_phases", (float(rng.uniform(0, it)), float(rng.uniform(0, T))))
        object.__setattr__(self, "_ew", np.array([(1 - q) * (1 - delta) * (1 - c), (1 - q) * (1 - delta) * c,
                                                  (1 - q) * delta, q]))

    def _interruptions(self, t0, t1):
        """Interruption intervals covering [t0, t1): drawn per UTC year, on the checkpoint grid."""
        p, T = self._p, self._T
        phi = self._phases[1]
        st, en = [], []
        for yr in range(_year(t0) - 1, _year(t1 - 1e-9) + 1):
            y0, y1 = _year_start(yr), _year_start(yr + 1)
            r = _rng(self.seed, 12, yr)
            k = r.poisson(p["interruptions_per_day"] * (y1 - y0) / 86400.0)
            s = np.sort(r.uniform(y0, y1, k))
            s = phi + np.floor((s - phi) / T) * T          # restart from the last checkpoint
            n_per = np.maximum(1, np.ceil(r.exponential(p["restart_s"], k) / T))
            st.append(s)
            en.append(s + n_per * T)
        st, en = np.concatenate(st), np.concatenate(en)
        o = np.argsort(st, kind="stable")
        st, en = st[o], en[o]
        if len(st):
            keep = np.append(True, st[1:] >= np.maximum.accumulate(en)[:-1])
            st, en = st[keep], en[keep]                    # drop overlapped starts
            en = np.minimum(en, np.append(st[1:], np.inf))
        sel = (en > t0) & (st < t1)
        return np.ascontiguousarray(st[sel]), np.ascontiguousarray(en[sel])

    def mixture(self, g):
        p = self._p
        psi, phi = self._phases
        args = (p["iteration_s"], p["comm_frac"] * p["iteration_s"], psi, self._T, p["checkpoint_s"], phi)
        ia, ib = self._interruptions(g.start_s, g.start_s + g.n * g.step_s)
        cum = _interruption_cums(ia, ib, *args)
        w = _training_weights(g.start_s, g.step_s, g.n, *args, ia, ib, cum)
        return self._levels, w

    def expected_mixture(self, g):
        return self._levels, np.broadcast_to(self._ew, (g.n, 4))


def _interrupted_share(lam_t: float, rho: float) -> float:
    """Long-run share of time in restarts of :meth:`Training._interruptions` (exact).

    On the checkpoint grid (periods of T) each period holds Poisson(``lam_t``) failures,
    snapped to its start; each lasts n periods, ``P(n > j) = rho**j`` (``rho = exp(-T /
    restart_s)``, mean ``1 / (1 - rho)``). A failure is kept only if no earlier failure
    (kept or dropped) still runs; failures from earlier periods still running at a period
    start are Poisson with mean ``lam_t * rho / (1 - rho)`` (an M/G/inf count), so

    ``q = exp(-lam_t rho / (1 - rho)) (1 - exp(-lam_t)) / (1 - rho)``.

    Not ``lam_t / (1 - rho)`` (failures times mean length): failures during a restart are
    dropped (4 failures/day, 1 h restarts: 0.179, not 0.212).
    """
    return math.exp(-lam_t * rho / (1.0 - rho)) * -math.expm1(-lam_t) / (1.0 - rho)


@dataclasses.dataclass(frozen=True)
class Inference(Process):
    mean_util_frac: float
    seed: int = 0
    params: tuple = ()

    def __post_init__(self):
        p = _check_params("inference", dict(self.params))
        if not 0 <= p["peak_hour"] < 24:
            raise InputError(f"must be in [0, 24), got {p['peak_hour']}", field="profile.peak_hour")
        m = _check_mean(self.mean_util_frac)
        wd = p["weekend_drop_frac"]
        fw = 7.0 / (5.0 + 2.0 * (1.0 - wd))     # weekday factor; long-run mean of W is 1
        # a burst ends at the next burst's start: mean length E[min(X, gap)] = burst_s / (1 + lam burst_s)
        lam_mu = p["burst_rate_per_h"] / 3600.0 * p["burst_s"]
        eb = lam_mu / (1.0 + lam_mu) * p["burst_util_frac"]
        base = m - eb
        a = p["diurnal_amplitude_frac"]
        nz = 2 * _NOISE_CLIP * (p["noise_minute_frac"] + p["noise_second_frac"])
        hi = base * fw * (1 + a) + p["burst_util_frac"] + nz
        lo = base * fw * (1 - wd) * (1 - a) - nz
        if base < 0 or hi > 1.0 or lo < 0.0:
            # lo and hi rise with base = mean - eb: base >= 0, lo >= 0 and hi <= 1 bound the mean
            low_day = fw * (1 - wd) * (1 - a)
            m0 = eb + (nz / low_day if low_day > 0 else (0.0 if nz == 0 else math.inf))
            m1 = eb + (1.0 - p["burst_util_frac"] - nz) / (fw * (1 + a))
            raise InputError(
                f"mean {m:g} with this shape leaves [0, 1] (utilisation would range {lo:.3f}..{hi:.3f}); "
                + _reachable(m0, m1, "reduce diurnal_amplitude_frac, weekend_drop_frac, burst_util_frac or "
                                     "the noise"),
                field="mean_util_frac")
        object.__setattr__(self, "_p", p)
        object.__setattr__(self, "_base", (base, fw))

    def _shared(self, g, b):
        p = self._p
        base, fw = self._base
        u = base * _diurnal_shape(g, p["peak_hour"], p["diurnal_amplitude_frac"], p["weekend_drop_frac"], fw)
        # bursts (shared demand), drawn per UTC year
        st, en = [], []
        for yr in range(_year(b[0]), _year(b[-1] - 1e-9) + 1):
            y0, y1 = _year_start(yr), _year_start(yr + 1)
            r = _rng(self.seed, 21, yr)
            k = r.poisson(p["burst_rate_per_h"] * (y1 - y0) / 3600.0)
            s = np.sort(r.uniform(y0, y1, k))
            e = np.minimum(s + r.exponential(p["burst_s"], k), np.append(s[1:], y1))
            st.append(s)
            en.append(e)
        st, en = np.concatenate(st), np.concatenate(en)
        u += _events_avg(st, en, np.full(len(st), p["burst_util_frac"]), b)
        return u

    def _noise(self, g, b):
        p = self._p
        out = np.zeros(g.n)
        aligned_h = g.step_s % 3600 == 0 and g.start_s % 3600 == 0
        aligned_m = g.step_s % 60 == 0 and g.start_s % 60 == 0
        for comp, std, width, group, skip in ((22, p["noise_minute_frac"], 60.0, 60, aligned_h),
                                              (23, p["noise_second_frac"], 1.0, 60, aligned_m or aligned_h)):
            if std == 0 or skip:   # zero-mean over each hour/minute: exactly 0 on aligned grids
                continue
            days = _blocks(b[0], b[-1], 86400.0)
            vals = []
            for dd in days:
                v = np.clip(_rng(self.seed, comp, dd).standard_normal(int(86400 / width)),
                            -_NOISE_CLIP, _NOISE_CLIP) * std
                v = v.reshape(-1, group)
                vals.append((v - v.mean(axis=1, keepdims=True)).ravel())
            out += _pc_avg(days[0] * 86400.0, width, np.concatenate(vals), b)
        return out

    def mixture(self, g):
        b = g.bounds()
        u = self._shared(g, b) + self._noise(g, b)
        return u[:, None], np.ones((g.n, 1))

    def expected_mixture(self, g):
        b = g.bounds()
        return self._shared(g, b)[:, None], np.ones((g.n, 1))


@functools.lru_cache(maxsize=32)
def _diurnal_shape(g: Grid, peak_hour: float, a: float, wd: float, fw: float) -> np.ndarray:
    """Exact interval means of the weekly-scaled diurnal cosine W(t) (long-run mean 1).

    ``W = f_day * (1 + a cos(2 pi (h - peak_hour) / 24))`` with f_day = fw on weekdays and
    fw (1 - wd) on weekends (local time of the interval start; exact when intervals do not
    straddle local midnight). Cached per grid (independent of seed and mean).
    """
    b = g.bounds()
    loc0 = g.local(b[:-1])
    day = np.floor(loc0 / 86400.0)
    weekday = (day + 3) % 7                     # 1970-01-01 was a Thursday (weekday 3)
    fday = np.where(weekday >= 5, fw * (1 - wd), fw)
    w = 2 * np.pi / 86400.0
    th0 = w * (loc0 - peak_hour * 3600.0)
    th1 = th0 + w * g.step_s
    out = fday * (1 + a * (np.sin(th1) - np.sin(th0)) / (th1 - th0))
    out.setflags(write=False)
    return out


@dataclasses.dataclass(frozen=True)
class Batch(Process):
    mean_util_frac: float
    seed: int = 0
    params: tuple = ()

    def __post_init__(self):
        p = _check_params("batch", dict(self.params))
        m = _check_mean(self.mean_util_frac)
        ej, eg = p["job_mean_h"] * 3600.0, p["gap_mean_s"]
        lvl = (m * (ej + eg) - eg * p["idle_util_frac"]) / ej
        h = p["level_spread_frac"]
        if lvl - h < 0 or lvl + h > 1:
            # the job level lvl is linear in the mean: lvl = h and lvl = 1 - h bound it
            m0, m1 = ((x * ej + eg * p["idle_util_frac"]) / (ej + eg) for x in (h, 1 - h))
            raise InputError(f"mean {m:g} needs job levels {lvl - h:.3f}..{lvl + h:.3f}, outside [0, 1]; "
                             + _reachable(m0, m1, "change level_spread_frac, gap_mean_s or idle_util_frac"),
                             field="mean_util_frac")
        object.__setattr__(self, "_p", p)
        object.__setattr__(self, "_lvl", lvl)

    def _day(self, dd):
        p = self._p
        r = _rng(self.seed, 31, dd)
        t, d1 = dd * 86400.0, (dd + 1) * 86400.0
        st, lv = [], []
        job = bool(r.random() < p["job_mean_h"] * 3600 / (p["job_mean_h"] * 3600 + p["gap_mean_s"]))
        while t < d1:
            st.append(t)
            if job:
                lv.append(r.uniform(self._lvl - p["level_spread_frac"], self._lvl + p["level_spread_frac"]))
                t += r.exponential(p["job_mean_h"] * 3600.0)
            else:
                lv.append(p["idle_util_frac"])
                t += r.exponential(p["gap_mean_s"])
            job = not job
        st = np.array(st)
        return st, np.append(st[1:], d1), np.array(lv)

    def mixture(self, g):
        b = g.bounds()
        parts = [self._day(dd) for dd in _blocks(b[0], b[-1], 86400.0)]
        st, en, lv = (np.concatenate(x) for x in zip(*parts))
        mix = _segments_mixture(st, en, lv, b)      # exact for any power curve
        if mix is None:
            return _events_avg(st, en, lv, b)[:, None], np.ones((g.n, 1))
        return mix

    def expected_mixture(self, g):
        p = self._p
        x, wq = np.polynomial.legendre.leggauss(8)
        ej, eg = p["job_mean_h"] * 3600.0, p["gap_mean_s"]
        lv = np.append(self._lvl + p["level_spread_frac"] * x, p["idle_util_frac"])
        w = np.append(wq / 2 * ej / (ej + eg), eg / (ej + eg))
        return lv, np.broadcast_to(w, (g.n, len(w)))


@dataclasses.dataclass(frozen=True)
class Mixed(Process):
    mean_util_frac: float
    seed: int = 0
    params: tuple = ()

    def __post_init__(self):
        p = dict(self.params)
        share = p.pop("training_share_frac", PROFILE_PARAMS["mixed"]["training_share_frac"])
        _check_params("mixed", {"training_share_frac": share})
        tp = {k: v for k, v in p.items() if k in PROFILE_PARAMS["training"]}
        ip = {k: v for k, v in p.items() if k in PROFILE_PARAMS["inference"]}
        bad = set(p) - set(tp) - set(ip)
        if bad:
            k = sorted(bad)[0]
            allowed = {**PROFILE_PARAMS["training"], **PROFILE_PARAMS["inference"], **PROFILE_PARAMS["mixed"]}
            raise InputError(unknown_key_message(k, allowed), field=f"profile.{k}")
        object.__setattr__(self, "_share", float(share))
        object.__setattr__(self, "_tr", Training(self.mean_util_frac, self.seed, tuple(tp.items())))
        object.__setattr__(self, "_inf", Inference(self.mean_util_frac, (self.seed + 1) & 0xFFFFFFFF,
                                                   tuple(ip.items())))

    def _mix(self, a, b, n):
        (la, wa), (lb, wb) = a, b
        la = np.broadcast_to(la, (n, la.shape[-1]))
        lb = np.broadcast_to(lb, (n, lb.shape[-1]))
        return (np.concatenate([la, lb], axis=1),
                np.concatenate([wa * self._share, wb * (1 - self._share)], axis=1))

    def mixture(self, g):
        return self._mix(self._tr.mixture(g), self._inf.mixture(g), g.n)

    def expected_mixture(self, g):
        return self._mix(self._tr.expected_mixture(g), self._inf.expected_mixture(g), g.n)


@dataclasses.dataclass(frozen=True)
class DataProcess(Process):
    """Utilisation read from data (see :func:`read_profile_csv`), averaged onto the grid.

    Step-held: the value stamped t holds over (t - data step, t], so any grid step works (a coarser
    one averages the data, a finer one repeats each value over its own interval: no sub-step
    variation). The data must cover the requested period; the series is its own expectation.
    """
    series: pd.Series

    @property
    def mean_util_frac(self):
        return float(self.series.mean())

    def mixture(self, g):
        s = self.series
        ds = step_s(s, "utilisation_frac")  # any ratio to g.step_s: the overlaps below are exact
        t_first = s.index[0].value / 1e9 - ds
        t_last = s.index[-1].value / 1e9
        b = g.bounds()
        if b[0] < t_first - 1e-6 or b[-1] > t_last + 1e-6:
            raise InputError(f"data cover {s.index[0] - pd.Timedelta(seconds=ds)} .. {s.index[-1]}, "
                             "not the requested period", field="utilisation_frac")
        vals = s.to_numpy(dtype=float)
        st = t_first + ds * np.arange(len(vals))
        mix = _segments_mixture(st, st + ds, vals, b)   # exact up to 64 data steps per interval
        if mix is None:
            return _pc_avg(t_first, ds, vals, b)[:, None], np.ones((g.n, 1))
        return mix

    expected_mixture = mixture


# ------------------------------------------------------------------------------ public API
_KINDS = {"training": Training, "inference": Inference, "batch": Batch, "mixed": Mixed}


def make_process(kind: str, mean_util_frac: float, *, seed: int = 0, **params) -> Process:
    """Build the utilisation process ``kind`` (one of :data:`WORKLOADS`)."""
    if kind not in _KINDS:
        raise InputError(unknown_key_message(kind, _KINDS), field="workload")
    if isinstance(seed, bool) or not isinstance(seed, (int, np.integer)):
        raise InputError(f"must be an integer, got {seed!r}", field="seed")
    if not 0 <= int(seed) <= 0xFFFFFFFF:   # one 32-bit word: no two seeds share a stream
        raise InputError(f"must be an integer in [0, 2**32 - 1], got {seed!r}", field="seed")
    return _KINDS[kind](mean_util_frac, int(seed), tuple(sorted(params.items())))


def workload_profile(kind: str, index: pd.DatetimeIndex, mean_util_frac: float, *,
                     seed: int = 0, expected: bool = False, **params) -> pd.Series:
    """Utilisation profile ``utilisation_frac`` [0-1] of one lock-step unit group.

    Parameters
    ----------
    kind : {'training', 'inference', 'batch', 'mixed'}
    index : pandas.DatetimeIndex
        tz-aware, regular, interval-ending labels, step 1 s .. 1 h.
    mean_util_frac : float
        Long-run mean utilisation [0-1] the shape is scaled to.
    seed : int
        Seed of every random part, in [0, 2**32 - 1] (same seed -> same process at any step).
    expected : bool
        Return the many-independent-units expectation instead of one realisation.
    **params
        Shape parameters, see :data:`PROFILE_PARAMS`.
    """
    proc = make_process(kind, mean_util_frac, seed=seed, **params)
    g = Grid.from_index(index)
    return pd.Series(proc.utilisation(g, expected), index=index, name="utilisation_frac")


#: The default mean utilisations of the profile helpers below (training 0.8, inference
#: 0.6, batch 0.6, mixed 0.7) are ESTIMATES for a busy fleet of each kind (2026), not
#: measurements: pass the site's own figure.


def training_profile(index, mean_util_frac=0.8, *, seed=0, **params) -> pd.Series:
    """Large-scale training profile (see module docstring)."""
    return workload_profile("training", index, mean_util_frac, seed=seed, **params)


def inference_profile(index, mean_util_frac=0.6, *, seed=0, **params) -> pd.Series:
    """Inference-serving profile (see module docstring)."""
    return workload_profile("inference", index, mean_util_frac, seed=seed, **params)


def batch_profile(index, mean_util_frac=0.6, *, seed=0, **params) -> pd.Series:
    """Batch-job profile (see module docstring)."""
    return workload_profile("batch", index, mean_util_frac, seed=seed, **params)


def mixed_profile(index, mean_util_frac=0.7, *, seed=0, **params) -> pd.Series:
    """Training/inference mix (see module docstring)."""
    return workload_profile("mixed", index, mean_util_frac, seed=seed, **params)


def read_profile_csv(path_or_buffer, *, tz: str | None = None, time_column: str = "timestamp") -> pd.Series:
    """Read a measured profile: a timestamp column and ``utilisation_frac`` or ``it_kw``.

    Timestamps are interval-ending labels and must carry a UTC offset
    (``2025-01-01T01:00:00-05:00``) unless ``tz`` names the zone of naive stamps.
    Offsets may change within the file (DST, as ``Series.to_csv`` writes a
    zone-aware index): stamps are read as instants (UTC) and converted to ``tz``
    if given, else to the file's single offset, else (offsets change and no ``tz``)
    left in UTC. Naive stamps that are ambiguous (repeated hour when clocks fall
    back) or non-existent (skipped hour when they spring forward) in ``tz`` are
    errors naming the row. Gaps, duplicates and unsorted rows are errors. Returns
    a Series named after the value column, on a regular tz-aware index with
    ``freq`` set.
    """
    fname = str(path_or_buffer) if isinstance(path_or_buffer, (str, Path)) else None
    try:
        df = pd.read_csv(path_or_buffer)
    except (OSError, ValueError) as e:
        raise InputError(f"cannot read CSV: {e}", file=fname) from None
    if time_column not in df.columns:
        raise InputError(f"no {time_column!r} column; columns: {', '.join(map(str, df.columns))}",
                         file=fname, field=time_column)
    cols = [c for c in ("utilisation_frac", "it_kw") if c in df.columns]
    if len(cols) != 1:
        raise InputError("need exactly one value column, 'utilisation_frac' or 'it_kw'; found "
                         f"{', '.join(map(str, df.columns))}", file=fname)
    col = cols[0]
    raw = df[time_column].astype(str).str.strip()
    idx = _parse_stamps(raw, tz, fname, time_column)
    problem = irregularity(idx) if len(idx) > 1 else "need at least 2 rows"
    if problem:
        raise InputError(problem, file=fname, field=time_column)
    vals = pd.to_numeric(df[col], errors="coerce").to_numpy(dtype=float)
    bad = ~np.isfinite(vals)
    if bad.any():
        raise InputError(f"non-numeric or missing value at row {int(np.argmax(bad))}", file=fname, field=col)
    if col == "utilisation_frac" and ((vals < 0) | (vals > 1)).any():
        i = int(np.argmax((vals < 0) | (vals > 1)))
        raise InputError(f"value {vals[i]} at {idx[i]} outside [0, 1]", file=fname, field=col)
    if col == "it_kw" and (vals < 0).any():
        i = int(np.argmax(vals < 0))
        raise InputError(f"negative power {vals[i]} at {idx[i]}", file=fname, field=col)
    idx = pd.DatetimeIndex(idx, freq=pd.Timedelta(idx[1] - idx[0]))
    return pd.Series(vals, index=idx, name=col)


def _parse_stamps(raw: pd.Series, tz: str | None, fname: str | None, field: str) -> pd.DatetimeIndex:
    """Timestamps of :func:`read_profile_csv` as a tz-aware index (rows are CSV lines ``j + 2``)."""
    has_offset = raw.str.contains(r"(?:[+-]\d\d:?\d\d|Z)$", regex=True).to_numpy()
    if has_offset.any() and not has_offset.all():
        j = int(np.argmax(~has_offset))
        raise InputError(f"row {j + 2}: timestamp {raw.iloc[j]!r} has no UTC offset while others do; "
                         "write every stamp with an offset (e.g. 2025-01-01T01:00:00-05:00)",
                         file=fname, field=field)
    try:
        if has_offset.all():
            idx = pd.DatetimeIndex(pd.to_datetime(raw, utc=True, format="ISO8601"))
        else:
            idx = pd.DatetimeIndex(pd.to_datetime(raw, format="ISO8601"))
    except (ValueError, TypeError) as e:
        raise InputError(f"unreadable timestamps ({e}); need ISO 8601, e.g. 2025-01-01T01:00:00-05:00",
                         file=fname, field=field) from None
    if has_offset.all():
        if tz is not None:
            target = tz
        else:
            offsets = raw.str.extract(r"([+-]\d\d:?\d\d|Z)$")[0].unique()
            target = pd.Timestamp(raw.iloc[0]).tz if len(offsets) == 1 else "UTC"
        try:
            return idx.tz_convert(target)
        except Exception as e:  # unknown zone name (pytz / zoneinfo raise different types)
            raise InputError(f"unknown time zone {tz!r} ({e}); e.g. 'America/New_York'",
                             file=fname, field="tz") from None
    if tz is None:
        raise InputError(f"naive timestamps (e.g. {raw.iloc[0]!r}); give a UTC offset in the file "
                         "or pass tz='America/New_York'", file=fname, field=field)
    try:
        loc = idx.tz_localize(tz, ambiguous="NaT", nonexistent="NaT")
    except Exception as e:  # unknown zone name
        raise InputError(f"unknown time zone {tz!r} ({e}); e.g. 'America/New_York'",
                         file=fname, field="tz") from None
    bad = np.asarray(loc.isna())
    if bad.any():
        j = int(np.argmax(bad))
        # an ambiguous stamp localizes once told which side of the change it is on
        nonexistent = pd.isna(idx[j:j + 1].tz_localize(tz, ambiguous=np.array([True]), nonexistent="NaT")[0])
        what = ("does not exist (clocks spring forward)" if nonexistent
                else "is ambiguous (occurs twice when clocks fall back)")
        more = f"; {int(bad.sum())} such rows" if bad.sum() > 1 else ""
        raise InputError(f"row {j + 2}: naive timestamp {raw.iloc[j]!r} {what} in {tz}{more}; "
                         "write stamps with UTC offsets (e.g. 2025-11-02T01:00:00-04:00) or give "
                         "a fixed-offset zone such as tz='Etc/GMT+5'", file=fname, field=field)
    return loc
