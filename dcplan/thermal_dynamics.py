"""Seconds-resolution cooling-lag model: lumped thermal mass, lagged actuator, throttling.

Model (one hall, one lumped node; documented equations)
------------------------------------------------------
State ``T`` [degC]: lumped coolant + cold-plate temperature with heat capacity
``C`` [kJ/K]. Over each step ``dt`` the IT heat ``P`` (after throttling) and the
heat removed ``Q`` are held constant (zero-order hold), so the node update is
exact::

    T[k+1] = T[k] + dt * (P[k] - Q[k]) / C                      (1)

Controller (command ``u`` [kW], clipped to ``[0, Qmax]``; ``Qmax`` = plant capacity)::

    reactive:   u[k] = Kp * (T[k] - Tset) + I[k]
    predictive: u[k] = F[k + L] + Kp * (T[k] - Tset) + I[k]     (2)
    I[k+1] = I[k] + Ki * (T[k] - Tset) * dt   (frozen while u is saturated: anti-windup)

``F`` is a forecast of IT load (default: the known job schedule, i.e. the
demand itself) read ``L = round(forecast_horizon_s / dt)`` steps ahead (default
``lag_s``: a command issued now has mostly taken effect after the delay plus one
time constant, and the open-loop energy error of a load step is then zero). This
simple lead pre-heats the loop before load *drops*; a shorter lead such as the
actuator's half-response time ``d + tau ln 2`` trades that against late cooling
after load rises (pass ``forecast_horizon_s``). ``lead0`` in the kernel is unused. Default gains follow
the SIMC rules for an integrating process with delay (Skogestad, "Simple analytic
rules for model reduction and PID controller tuning", J. Process Control 13 (2003)
291-309, DOI 10.1016/S0959-1524(02)00062-8): process gain ``1/C``, effective delay
``theta = max(lag_s, dt)``, closed-loop time ``tau_c = theta``, so
``Kp = C / (2 theta)`` and ``Ti = 4 (tau_c + theta) = 8 theta``, ``Ki = Kp / Ti``.
The same tuning is used for both strategies, so they differ only by feed-forward.
``band_k`` / ``ti_s`` override it (``Kp = max(it_kw) / band_k``).

Actuator: transport delay ``d`` then a first-order lag ``tau`` (``d + tau = lag_s``,
``d = delay_frac * lag_s``), discretized exactly for a piecewise-constant input::

    Q[k+1] = u[k-D] + (Q[k] - u[k-D]) * exp(-dt / tau),   D = round(d / dt)   (3)

so a step ``u: 0 -> U`` at t=0 gives ``Q(t) = U (1 - exp(-(t - d)/tau))`` for
``t >= d`` at every sample (the closed form tested in ``tests/test_thermal_dynamics.py``).

Throttle rule (hysteresis): the monitored temperature is ``T`` (``limit_on="coolant"``)
or the GPU die temperature ``T + gpu_rise_k * P/P_ref`` (``limit_on="gpu"``), with
``P`` the previous step's (throttled) IT power. Its limit is ``temp_limit_degc``
for the coolant and ``temp_limit_degc + gpu_rise_k`` for the die (the die limit
reached at full power with the coolant at its limit: 45 + 40 = 85 degC by
default). Throttling starts when the monitored temperature reaches its limit and
stops when it falls to that limit ``- hysteresis_k``; while throttled every GPU
of the hall draws ``throttle_power_frac`` of its demand. ``time_above_limit_s``
always counts coolant temperature above ``temp_limit_degc``.

Energy balance: ``sum(P dt) = sum(Q dt) + C (T_end - T_0)`` holds to rounding
because (1) is exact. Stability: (1) and (3) are unconditionally stable; the
explicit feedback loop needs ``dt * Kp / C <= 1``; otherwise :func:`simulate_lag`
raises an :class:`~dcplan.errors.InputError` naming the fix (the default SIMC gains
always satisfy it). A mass so small that one step at peak load moves ``T`` by more
than 10 K gives a :class:`~dcplan.errors.DcplanWarning` (finite but coarse result).

Memory: outputs are float32 by default (5 columns x 4 B per step); for a year
at 1 s use ``summary_only=True`` (no per-step arrays, only the summary).
"""
from __future__ import annotations

import math
import warnings

import numpy as np
import pandas as pd
from numba import njit

from ._ts import step_s
from .errors import DcplanWarning, InputError

__all__ = ["simulate_lag", "summarize_throttling", "sweep_lag", "training_load_kw",
           "DYNAMICS_DEFAULTS"]

#: Defaults of the dynamic model. Sources: reference-data 3c unless stated.
#:
#: ===========================  ========  =================================================  ==========
#: key                          value     source                                             status
#: ===========================  ========  =================================================  ==========
#: lag_s                        90 s      pump-limited liquid loop (issue 4 field case);      unverified
#:                                        loop transport V/Qdot ~ 200 L / 120 L/min ~ 100 s
#: delay_frac                   1/3       share of the lag that is transport delay            estimate
#: loop_volume_l_per_kw         0.5 L/kW  coolant near the GPUs (rack manifolds, CDU TCS      estimate
#:                                        side) per kW; "D2C loops have little thermal
#:                                        inertia" (reference-data 3c, secondary)
#: temp_setpoint_degc           40 degC   mean coolant temperature setpoint (W32 loop)        estimate
#: temp_limit_degc              45 degC   coolant temperature that drives GPUs to slowdown    estimate
#: hysteresis_k                 2 K       throttle release band                               estimate
#: gpu_rise_k                   40 K      GPU die above coolant at full power; 45+40 = 85     estimate
#:                                        degC = A100 max operating temp (nvidia-smi, 3c)
#: throttle_power_frac          0.6       GPU power while thermally throttled                 estimate
#: band_k                       None      proportional band ``Qref/Kp``; None = SIMC tuning   primary
#: ti_s                         None      integral time; None = SIMC tuning (see below)       primary
#: kw_per_gpu                   1.275 kW  DGX H100 10.2 kW / 8 GPUs (reference-data 1)        secondary
#: ===========================  ========  =================================================  ==========
DYNAMICS_DEFAULTS = {
    "lag_s": 90.0, "delay_frac": 1.0 / 3.0, "loop_volume_l_per_kw": 0.5,
    "temp_setpoint_degc": 40.0, "temp_limit_degc": 45.0, "hysteresis_k": 2.0, "gpu_rise_k": 40.0,
    "throttle_power_frac": 0.6, "band_k": None, "ti_s": None, "kw_per_gpu": 1.275,
}

_CP_WATER = 4.186  # kJ/(kg K); 1 L ~ 1 kg


@njit(cache=True)
def _kernel(p_dem, p_ff, lead0, lead, use_ff, dt, cap, t0, t_set, t_lim, hyst, kp, ki, q_max,
            a_lag, delay, thr_frac, gpu_rise, p_ref, on_gpu, q0, i0, store,
            out_t, out_q, out_p, out_u, out_flag, stats):
    n = p_dem.shape[0]
    nb = delay + 1
    buf = np.empty(nb)
    for j in range(nb):
        buf[j] = q0
    temp = t0
    q = q0
    integ = i0
    flag = False
    p_prev = float(p_dem[0])
    events = 0
    thr_steps = 0
    above_steps = 0
    peak = t0
    peak_mon = t0
    e_in = 0.0
    e_out = 0.0
    lost = 0.0
    # the GPU die limit is the coolant limit plus the full-power die rise (45 + 40 = 85 degC)
    lim_mon = t_lim + gpu_rise if on_gpu else t_lim
    for i in range(n):
        pd_ = float(p_dem[i])
        mon = temp + gpu_rise * p_prev / p_ref if on_gpu else temp
        if mon > peak_mon:
            peak_mon = mon
        if flag:
            if mon <= lim_mon - hyst:
                flag = False
        elif mon >= lim_mon:
            flag = True
            events += 1
        p = pd_ * thr_frac if flag else pd_
        err = temp - t_set
        ff = 0.0
        if use_ff:
            j = i + lead
            if j > n - 1:
                j = n - 1
            ff = float(p_ff[j])
        u_raw = ff + kp * err + integ
        u = u_raw
        if u > q_max:
            u = q_max
        elif u < 0.0:
            u = 0.0
        if (u_raw < q_max or err < 0.0) and (u_raw > 0.0 or err > 0.0):
            integ += ki * err * dt
        buf[i % nb] = u
        ud = buf[(i + 1) % nb]
        e_in += p * dt
        e_out += q * dt
        lost += (pd_ - p) * dt
        q_step = q
        temp = temp + dt * (p - q) / cap
        q = ud + (q - ud) * a_lag
        if temp > peak:
            peak = temp
        if flag:
            thr_steps += 1
        if temp > t_lim:
            above_steps += 1
        p_prev = p
        if store:
            out_t[i] = temp
            out_q[i] = q_step
            out_p[i] = p
            out_u[i] = u
            out_flag[i] = flag
    stats[0] = events
    stats[1] = thr_steps * dt
    stats[2] = above_steps * dt
    stats[3] = peak
    stats[4] = lost
    stats[5] = e_in
    stats[6] = e_out
    stats[7] = temp
    stats[8] = peak_mon
    return stats


def _prepare(it_kw, *, lag_s, delay_frac, strategy, capacity_kw, margin_frac, thermal_mass_kj_per_k,
             forecast_kw, forecast_horizon_s, p):
    if isinstance(it_kw, pd.Series):
        dt = step_s(it_kw, "it_kw")
        arr = it_kw.to_numpy()
    else:
        raise InputError(f"need a pandas Series on a tz-aware 1 s..60 s index, got {type(it_kw).__name__}",
                         field="it_kw")
    if arr.dtype not in (np.float32, np.float64):
        arr = arr.astype(np.float64)
    if dt > 60:
        raise InputError(f"step {dt:g} s is too coarse for the lag model; need 1..60 s", field="it_kw")
    if not np.isfinite(arr).all() or (arr < 0).any():
        raise InputError("IT power must be finite and >= 0 kW", field="it_kw")
    if strategy not in ("reactive", "predictive"):
        raise InputError(f"unknown strategy {strategy!r}; allowed: reactive, predictive", field="strategy")
    if not 0.0 <= lag_s <= 86400.0:
        raise InputError(f"must be in [0, 86400] s, got {lag_s}", field="lag_s")
    if not 0.0 <= delay_frac <= 1.0:
        raise InputError(f"must be in [0, 1], got {delay_frac}", field="delay_frac")
    p_ref = float(arr.max())
    if not p_ref > 0:
        raise InputError("IT power is zero throughout", field="it_kw")
    q_max = float(capacity_kw) if capacity_kw is not None else (1.0 + margin_frac) * p_ref
    if not q_max > 0:
        raise InputError(f"plant capacity must be > 0 kW, got {q_max}", field="capacity_kw")
    cap = (float(thermal_mass_kj_per_k) if thermal_mass_kj_per_k is not None
           else p["loop_volume_l_per_kw"] * _CP_WATER * p_ref)
    if not cap > 0:
        raise InputError(f"must be > 0 kJ/K, got {cap}", field="thermal_mass_kj_per_k")
    theta = max(lag_s, dt)
    kp = cap / (2.0 * theta) if p["band_k"] is None else p_ref / p["band_k"]
    ti = 8.0 * theta if p["ti_s"] is None else p["ti_s"]
    if not (kp > 0 and ti > 0):
        raise InputError(f"band_k and ti_s must be > 0, got {p['band_k']}, {p['ti_s']}", field="band_k")
    ki = kp / ti
    if dt * kp / cap > 1.0:
        raise InputError(f"thermal mass {cap:.4g} kJ/K is too small for a {dt:g} s step with a "
                         f"{kp:.4g} kW/K controller (need dt*Kp/C <= 1, got {dt * kp / cap:.3g}); "
                         "use a finer step, a larger mass or a wider band_k (or the default SIMC tuning)",
                         field="thermal_mass_kj_per_k")
    if p_ref * dt / cap > 10.0:
        warnings.warn(f"thermal mass {cap:.4g} kJ/K is so small that one {dt:g} s step at {p_ref:.4g} kW "
                      f"moves the coolant by {p_ref * dt / cap:.3g} K; temperatures are coarse "
                      "(use a finer step or a larger mass)", DcplanWarning, stacklevel=3)
    delay_s = delay_frac * lag_s
    tau_s = lag_s - delay_s
    delay = int(round(delay_s / dt))
    a_lag = math.exp(-dt / tau_s) if tau_s > 0 else 0.0
    use_ff = strategy == "predictive"
    if forecast_kw is None:
        ff = arr
    else:
        if not isinstance(forecast_kw, pd.Series) or not forecast_kw.index.equals(it_kw.index):
            raise InputError("forecast_kw must be a Series on the same index as it_kw", field="forecast_kw")
        ff = forecast_kw.to_numpy(np.float64)
    horizon = lag_s if forecast_horizon_s is None else float(forecast_horizon_s)
    lead = int(round(horizon / dt))
    q0 = min(float(arr[0]), q_max)
    n = len(arr)
    i0 = q0 - (float(ff[min(lead, n - 1)]) if use_ff else 0.0)
    return dict(arr=arr, ff=ff, lead0=lead, lead=lead, use_ff=use_ff, dt=dt, cap=cap, kp=kp, ki=ki, q_max=q_max,
                a_lag=a_lag, delay=delay, q0=q0, i0=i0, p_ref=p_ref)


def simulate_lag(it_kw: pd.Series, *, lag_s: float = DYNAMICS_DEFAULTS["lag_s"],
                 strategy: str = "reactive", capacity_kw: float | None = None,
                 margin_frac: float = 0.10, thermal_mass_kj_per_k: float | None = None,
                 forecast_kw: pd.Series | None = None, forecast_horizon_s: float | None = None,
                 limit_on: str = "coolant", kw_per_gpu: float | None = None,
                 summary_only: bool = False, dtype=np.float32, **params):
    """Seconds-scale cooling response with lag, control strategy and GPU throttling.

    Parameters
    ----------
    it_kw : pandas.Series
        IT power demand, tz-aware fixed step 1..60 s. [kW]
    lag_s : float, default 90
        Actuation lag = transport delay + first-order time constant. [s]
    strategy : {"reactive", "predictive"}
        Feedback on temperature only, or feed-forward from ``forecast_kw`` plus feedback.
    capacity_kw : float, optional
        Maximum heat removal. Default ``(1 + margin_frac) * max(it_kw)``. [kW]
    margin_frac : float, default 0.10
        Plant margin over peak IT (used when ``capacity_kw`` is None). [frac]
    thermal_mass_kj_per_k : float, optional
        ``C``; default ``loop_volume_l_per_kw * 4.186 * max(it_kw)``. [kJ/K]
    forecast_kw : pandas.Series, optional
        IT load forecast for feed-forward (default: the demand itself, i.e. a
        known job schedule). [kW]
    forecast_horizon_s : float, optional
        How far ahead the feed-forward looks (default ``lag_s``). [s]
    limit_on : {"coolant", "gpu"}
        Which temperature the throttle rule watches: the coolant against
        ``temp_limit_degc``, or the GPU die against ``temp_limit_degc + gpu_rise_k``.
    kw_per_gpu : float, optional
        IT power per GPU (incl. its server share) for GPU-hours; default 1.275. [kW]
    summary_only : bool
        Return only the summary dict (no per-step arrays; for year-long runs).
    dtype : numpy dtype
        Per-step output precision (float32 default, halves memory).
    **params
        Keys of :data:`DYNAMICS_DEFAULTS` (``delay_frac``, ``temp_setpoint_degc``,
        ``temp_limit_degc``, ``hysteresis_k``, ``gpu_rise_k``, ``throttle_power_frac``,
        ``band_k``, ``ti_s``, ``loop_volume_l_per_kw``).

    Returns
    -------
    pandas.DataFrame or dict
        Per step (interval-ending, on ``it_kw``'s index): ``temp_coolant_degc`` (end of
        step), ``heat_removed_kw``, ``it_after_throttle_kw``, ``cooling_command_kw``,
        ``throttle`` (bool); the summary (see :func:`summarize_throttling`) in
        ``.attrs["summary"]``. With ``summary_only=True`` just the summary dict.
    """
    p = dict(DYNAMICS_DEFAULTS)
    for k, v in params.items():
        if k not in p or k in ("lag_s", "kw_per_gpu"):
            from ._ts import unknown_key_message
            raise InputError(unknown_key_message(k, [x for x in p if x not in ("lag_s", "kw_per_gpu")]),
                             field=k)
        p[k] = None if v is None else float(v)
    if limit_on not in ("coolant", "gpu"):
        raise InputError(f"unknown limit_on {limit_on!r}; allowed: coolant, gpu", field="limit_on")
    if p["hysteresis_k"] < 0 or not 0 <= p["throttle_power_frac"] <= 1:
        raise InputError("hysteresis_k must be >= 0 and throttle_power_frac in [0, 1]", field="params")
    s = _prepare(it_kw, lag_s=lag_s, delay_frac=p["delay_frac"], strategy=strategy,
                 capacity_kw=capacity_kw, margin_frac=margin_frac,
                 thermal_mass_kj_per_k=thermal_mass_kj_per_k, forecast_kw=forecast_kw,
                 forecast_horizon_s=forecast_horizon_s, p=p)
    n = len(s["arr"])
    if summary_only:
        outs = [np.empty(0, np.float32)] * 4 + [np.empty(0, np.bool_)]
    else:
        outs = [np.empty(n, dtype) for _ in range(4)] + [np.empty(n, np.bool_)]
    stats = np.zeros(9)
    _kernel(s["arr"], s["ff"], s["lead0"], s["lead"], s["use_ff"], s["dt"], s["cap"], p["temp_setpoint_degc"],
            p["temp_setpoint_degc"], p["temp_limit_degc"], p["hysteresis_k"], s["kp"], s["ki"],
            s["q_max"], s["a_lag"], s["delay"], p["throttle_power_frac"], p["gpu_rise_k"], s["p_ref"],
            limit_on == "gpu", s["q0"], s["i0"], not summary_only, *outs, stats)
    kpg = DYNAMICS_DEFAULTS["kw_per_gpu"] if kw_per_gpu is None else float(kw_per_gpu)
    n_gpus = s["p_ref"] / kpg
    summary = {
        "throttle_events": int(stats[0]),
        "throttled_s": float(stats[1]),
        "throttled_gpu_h": float(stats[1] * n_gpus / 3600.0),
        "time_above_limit_s": float(stats[2]),
        "peak_temp_degc": float(stats[3]),
        "peak_monitored_temp_degc": float(stats[8]),
        "energy_lost_kwh": float(stats[4] / 3600.0),
        "heat_in_kwh": float(stats[5] / 3600.0),
        "heat_removed_kwh": float(stats[6] / 3600.0),
        "heat_stored_kwh": float(s["cap"] * (stats[7] - p["temp_setpoint_degc"]) / 3600.0),
        "n_gpus": float(n_gpus), "capacity_kw": s["q_max"], "thermal_mass_kj_per_k": s["cap"],
        "strategy": strategy, "lag_s": float(lag_s),
    }
    if summary_only:
        return summary
    t, q, pa, u, fl = outs
    df = pd.DataFrame({"temp_coolant_degc": t, "heat_removed_kw": q, "it_after_throttle_kw": pa,
                       "cooling_command_kw": u, "throttle": fl}, index=it_kw.index)
    df.attrs["summary"] = summary
    df.attrs["params"] = {**p, "lag_s": float(lag_s), "strategy": strategy, "kw_per_gpu": kpg,
                          "temp0_degc": p["temp_setpoint_degc"], "thermal_mass_kj_per_k": s["cap"]}
    return df


def summarize_throttling(result: pd.DataFrame, it_kw: pd.Series, *, kw_per_gpu: float | None = None,
                         temp_limit_degc: float | None = None) -> dict:
    """Throttling summary recomputed from :func:`simulate_lag` per-step output.

    Parameters
    ----------
    result : pandas.DataFrame
        Output of :func:`simulate_lag`.
    it_kw : pandas.Series
        The demand that was simulated. [kW]
    kw_per_gpu : float, optional
        IT power per GPU (default the one used in the run). [kW]
    temp_limit_degc : float, optional
        Limit for time above limit (default the one used in the run). [degC]

    Returns
    -------
    dict
        ``throttle_events`` (off -> on transitions), ``throttled_s``,
        ``throttled_gpu_h`` (all GPUs of the hall throttle together), ``time_above_limit_s``,
        ``peak_temp_degc``, ``energy_lost_kwh`` (IT energy not delivered because of throttling).
    """
    prm = result.attrs.get("params", {})
    dt = step_s(result, "result")
    kpg = kw_per_gpu if kw_per_gpu is not None else prm.get("kw_per_gpu", DYNAMICS_DEFAULTS["kw_per_gpu"])
    lim = temp_limit_degc if temp_limit_degc is not None else prm.get("temp_limit_degc",
                                                                      DYNAMICS_DEFAULTS["temp_limit_degc"])
    fl = result["throttle"].to_numpy()
    starts = int(fl[0]) + int(np.count_nonzero(fl[1:] & ~fl[:-1]))
    n_gpus = float(it_kw.max()) / kpg
    lost_kw = it_kw.to_numpy(np.float64) - result["it_after_throttle_kw"].to_numpy(np.float64)
    return {
        "throttle_events": starts,
        "throttled_s": float(fl.sum() * dt),
        "throttled_gpu_h": float(fl.sum() * dt * n_gpus / 3600.0),
        "time_above_limit_s": float((result["temp_coolant_degc"].to_numpy() > lim).sum() * dt),
        "peak_temp_degc": float(result["temp_coolant_degc"].max()),
        "energy_lost_kwh": float(lost_kw.sum() * dt / 3600.0),
    }


def sweep_lag(it_kw: pd.Series, lags_s, margins_frac, *, strategy: str = "reactive", **kwargs) -> pd.DataFrame:
    """Throttling summary for every (lag, margin) pair (summary-only runs).

    Returns a DataFrame with one row per case: ``lag_s``, ``margin_frac`` and the
    summary keys of :func:`simulate_lag`.
    """
    rows = []
    for lag in lags_s:
        for m in margins_frac:
            r = simulate_lag(it_kw, lag_s=float(lag), margin_frac=float(m), strategy=strategy,
                             summary_only=True, **kwargs)
            r["margin_frac"] = float(m)
            rows.append(r)
    return pd.DataFrame(rows)


def training_load_kw(start, periods: int, *, peak_kw: float = 1000.0, step_s: float = 1.0,
                     period_s: float = 600.0, low_s: float = 60.0, low_frac: float = 0.3,
                     jitter_frac: float = 0.2, noise_frac: float = 0.02, seed: int = 0,
                     tz: str = "UTC", dtype=np.float64) -> pd.Series:
    """Synthetic bursty training load for demos and tests (not a power model).

    Flat high load (``peak_kw`` less a small noise) with synchronous drops to
    ``low_frac * peak_kw`` for ``low_s`` seconds (checkpoint / evaluation /
    collective stalls) roughly every ``period_s`` (spacing jittered by
    ``jitter_frac``, seeded). ``dcplan.power`` provides fleet-based profiles.

    Returns
    -------
    pandas.Series
        ``it_kw`` on a tz-aware index with freq ``step_s``. [kW]
    """
    if periods < 2 or not step_s > 0 or not 0 <= low_frac <= 1:
        raise InputError("need periods >= 2, step_s > 0 and low_frac in [0, 1]", field="training_load_kw")
    rng = np.random.default_rng(seed)
    n = int(periods)
    t_end = n * step_s
    n_ev = int(t_end / period_s) + 2
    gaps = period_s * (1.0 + jitter_frac * (rng.random(n_ev) * 2.0 - 1.0))
    starts = np.cumsum(gaps)
    starts = starts[starts < t_end]
    level = np.ones(n, dtype=np.float64)
    i0 = (starts / step_s).astype(np.int64)
    i1 = np.minimum(((starts + low_s) / step_s).astype(np.int64), n)
    delta = np.zeros(n + 1)
    np.add.at(delta, i0, 1)
    np.add.at(delta, i1, -1)
    low = np.cumsum(delta[:-1]) > 0
    level[low] = low_frac
    if noise_frac > 0:
        level *= 1.0 - noise_frac * rng.random(n)
    t0 = pd.Timestamp(start)
    t0 = t0.tz_localize(tz) if t0.tz is None else t0
    idx = pd.date_range(t0, periods=n, freq=pd.Timedelta(seconds=step_s))
    return pd.Series((peak_kw * level).astype(dtype), index=idx, name="it_kw")
