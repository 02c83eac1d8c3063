"""Time-step engine of :mod:`dcplan.thermal_dynamics`: the compiled kernel and its inputs.

:func:`_prepare` checks the series and derives the model constants (gains, actuator
coefficients, loop flow) of equations (1)-(4) in :mod:`dcplan.thermal_dynamics`'s
docstring; :func:`_kernel` steps them (numba; the plain-Python original is
``_kernel.py_func``, the baseline of ``benchmarks/bench_thermal.py``). The public API,
the equations and the sources of every default live in :mod:`dcplan.thermal_dynamics`.
"""
from __future__ import annotations

import math
import warnings

import numpy as np
import pandas as pd
from numba import njit

from ._ts import step_s
from .errors import DcplanWarning, InputError
from .thermal_dynamics_limits import COOLANT_MAX_DEGC, DIE_SHUTDOWN_DEGC

#: control strategies of :func:`dcplan.thermal_dynamics.simulate_lag` (module docstring, eq. 2)
STRATEGIES = ("reactive", "reactive_hold", "predictive")

_CP_WATER = 4.186  # kJ/(kg K); 1 L ~ 1 kg
#: ``ep_stats`` slots written by :func:`_kernel`: throttle episodes, longest episode [steps], steps
#: the command is held at the plant's capacity, peak GPU die temperature [degC], die above
#: ``die_shutdown`` [steps], coolant above ``coolant_max`` (linear crossings) [s], 1 if the last
#: episode is still open at the run's end, steps the integral was held at the supply floor
N_EPISODE_STATS = 8


@njit(cache=True)
def _kernel(p_dem, p_ff, use_ff, dt, cap, t0, t_set, t_lim, hyst, kp, ki, q_max,
            a1, a2, b1, b2, frac, delay, t_sup, g_flow, r_flow, thr_frac, gpu_rise, p_ref, on_gpu,
            q0, i0, store, out_t, out_q, out_p, out_u, out_flag, stats, t_rec, ep_stats,
            hold=False, w_flow=np.inf, die_shutdown=np.inf, coolant_max=np.inf):
    n = p_dem.shape[0]
    # ring buffer of the last delay + 2 commands: u[i - D - 1] and u[i - D] act during step i
    nb = delay + 2
    buf = np.empty(nb)
    for j in range(nb):
        buf[j] = q0
    i1 = 1          # slot of u[i - D - 1] (= (i + 1) mod nb); u[i - D] is the next slot
    temp = t0
    q = q0
    integ = i0
    flag = False
    p_prev = float(p_dem[0])
    events = 0
    # episodes: a throttle start opens one unless the previous is still open; it closes at the
    # first unthrottled step that starts with the coolant at or below t_rec (setpoint + recovery)
    episodes = 0
    in_ep = False
    ep_first = 0
    longest = 0
    thr_steps = 0
    above_s = 0.0      # coolant above t_lim, crossings interpolated linearly within the step [s]
    above_max_s = 0.0  # coolant above coolant_max, same rule [s]
    cap_steps = 0      # steps whose command is held at q_max (the plant's capacity binds)
    die_steps = 0      # steps ending with the die (coolant + gpu_rise * P / p_ref) above die_shutdown
    peak_die = t0
    held_steps = 0
    peak = t0
    peak_mon = t0
    e_in = 0.0
    e_out = 0.0
    lost = 0.0
    # the GPU die limit is the coolant limit plus the full-power die rise (45 + 40 = 85 degC)
    lim_mon = t_lim + gpu_rise if on_gpu else t_lim
    frac2 = 1.0 - frac
    dt_cap = dt / cap
    g_ts = g_flow * t_sup
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
            if not in_ep:
                episodes += 1
                in_ep = True
                ep_first = i
        if flag:
            if i - ep_first + 1 > longest:
                longest = i - ep_first + 1
        elif in_ep and temp <= t_rec:
            in_ep = False
        p = pd_ * thr_frac if flag else pd_
        err = temp - t_set
        u_pi = kp * err + integ
        if use_ff and p_ff[i] >= u_pi:
            # (2b) the forecast floor is selected: the PI tracks the command (external reset),
            # so it takes over bumplessly once the loop needs more than the forecast
            u = min(float(p_ff[i]), q_max)
            integ = u - kp * err
        else:
            u = u_pi
            if u > q_max:
                u = q_max
            elif u < 0.0:
                u = 0.0
            # reactive_hold: the integral is also held while the supply floor binds (the plant's
            # output exceeds the heat W (T - Ts) the loop can give up) and the error is negative
            floor_hold = hold and err < 0.0 and q > w_flow * (temp - t_sup)
            if floor_hold:
                held_steps += 1
            elif (u_pi < q_max or err < 0.0) and (u_pi > 0.0 or err > 0.0):
                integ += ki * err * dt
        if u >= q_max:
            cap_steps += 1
        # actuator (3): delayed input v1 = u[i-D-1] for frac*dt, then v2 = u[i-D]
        i2 = i1 + 1
        if i2 == nb:
            i2 = 0
        buf[i1 - 1 if i1 > 0 else nb - 1] = u     # slot of u[i] (= i mod nb)
        v1 = buf[i1]
        v2 = buf[i2]
        i1 = i2
        q_mid = v1 + (q - v1) * a1
        q_act = frac * v1 + (q - v1) * b1 + frac2 * v2 + (q_mid - v2) * b2   # exact step mean
        q = v2 + (q_mid - v2) * a2
        # (4): the loop flow cannot take the node below supply (exact step mean, flow-limited)
        q_lim = p * r_flow + (g_flow * temp - g_ts)
        q_step = q_act if q_act < q_lim else q_lim
        e_in += p * dt
        e_out += q_step * dt
        lost += (pd_ - p) * dt
        t_a = temp
        temp = temp + (p - q_step) * dt_cap
        if temp > peak:
            peak = temp
        if flag:
            thr_steps += 1
        above_s += _time_above(t_a, temp, t_lim, dt)
        above_max_s += _time_above(t_a, temp, coolant_max, dt)
        die = temp + gpu_rise * p / p_ref
        if die > peak_die:
            peak_die = die
        if die > die_shutdown:
            die_steps += 1
        p_prev = p
        if store:
            out_t[i] = temp
            out_q[i] = q_step
            out_p[i] = p
            out_u[i] = u
            out_flag[i] = flag
    stats[0] = events
    stats[1] = thr_steps * dt
    stats[2] = above_s
    stats[3] = peak
    stats[4] = lost
    stats[5] = e_in
    stats[6] = e_out
    stats[7] = temp
    stats[8] = peak_mon
    ep_stats[0] = episodes
    ep_stats[1] = longest
    if ep_stats.shape[0] >= N_EPISODE_STATS:
        ep_stats[2] = cap_steps
        ep_stats[3] = peak_die
        ep_stats[4] = die_steps
        ep_stats[5] = above_max_s
        ep_stats[6] = 1.0 if in_ep else 0.0
        ep_stats[7] = held_steps
    return stats


@njit(cache=True)
def _time_above(t_a, t_b, lim, dt):
    """Time [s] within one step of ``dt`` that a temperature going linearly from ``t_a`` to ``t_b``
    spends above ``lim`` (the crossing interpolated within the step, not the step counted whole)."""
    if t_a > lim and t_b > lim:
        return dt
    if t_a <= lim and t_b <= lim:
        return 0.0
    hi = t_a if t_a > t_b else t_b
    return dt * (hi - lim) / abs(t_b - t_a)


@njit(cache=True)
def _forward_max(x, lead):
    """``out[k] = max(x[k : k + lead + 1])`` (window clipped at the end), O(n) with a monotone deque."""
    n = x.shape[0]
    out = np.empty(n)
    dq = np.empty(n, np.int64)      # indices of a decreasing run of values, head = window maximum
    head = 0
    tail = 0
    j = n - 1                       # next index to enter the window, scanning backwards
    for k in range(n - 1, -1, -1):
        while j >= k:
            while tail > head and x[dq[tail - 1]] <= x[j]:
                tail -= 1
            dq[tail] = j
            tail += 1
            j -= 1
        while dq[head] > k + lead:
            head += 1
        out[k] = x[dq[head]]
    return out


def _real(name: str, v) -> float:
    """``v`` as a float, or an InputError naming ``name`` (bools and text are not numbers)."""
    if isinstance(v, (bool, np.bool_)) or not isinstance(v, (int, float, np.integer, np.floating)):
        raise InputError(f"must be a number, got {v!r}", field=name)
    return float(v)


def _check_numbers(p: dict, *, lag_s, kw_per_gpu, tuned_for_lag_s=None) -> None:
    """Every number of a run finite and physical, or an InputError naming it and what is allowed."""
    def real(name, v):
        if isinstance(v, (bool, np.bool_)) or not isinstance(v, (int, float, np.integer, np.floating)) \
                or not math.isfinite(v):
            raise InputError(f"must be a finite number, got {v!r}", field=name)
        return float(v)
    real("lag_s", lag_s)
    if tuned_for_lag_s is not None:
        real("tuned_for_lag_s", tuned_for_lag_s)
    if kw_per_gpu is not None and not real("kw_per_gpu", kw_per_gpu) > 0:
        raise InputError(f"must be > 0 kW per GPU, got {kw_per_gpu!r}", field="kw_per_gpu")
    for k, v in p.items():
        if v is not None and k not in ("lag_s", "kw_per_gpu"):
            real(k, v)
    for k in ("hysteresis_k", "gpu_rise_k"):
        if p[k] < 0:
            raise InputError(f"must be >= 0 K, got {p[k]}", field=k)
    if not 0 <= p["throttle_power_frac"] <= 1:
        raise InputError(f"must be in [0, 1], got {p['throttle_power_frac']}", field="throttle_power_frac")
    # the PI tuning override (None: the SIMC tuning): Kp = max(it_kw) / band_k, Ki = Kp / ti_s
    if p["band_k"] is not None and not p["band_k"] > 0:
        raise InputError(f"must be > 0 K (the proportional band: Kp = peak demand / band_k), or None for the "
                         f"default SIMC tuning; got {p['band_k']:g}", field="band_k")
    if p["ti_s"] is not None and not p["ti_s"] > 0:
        raise InputError(f"must be > 0 s (the PI's integral time: Ki = Kp / ti_s), or None for the default SIMC "
                         f"tuning; got {p['ti_s']:g}", field="ti_s")
    if not p["loop_volume_l_per_kw"] > 0:
        raise InputError(f"must be > 0 L/kW, got {p['loop_volume_l_per_kw']}", field="loop_volume_l_per_kw")
    if not p["temp_limit_degc"] > p["temp_setpoint_degc"]:
        raise InputError(f"limit {p['temp_limit_degc']:g} degC must be above the setpoint "
                         f"{p['temp_setpoint_degc']:g} degC (at or below it the hall throttles from the first "
                         "step)", field="temp_limit_degc")
    span = p["temp_limit_degc"] - p["temp_setpoint_degc"]
    if not 0 <= p["episode_recovery_k"] < span:
        raise InputError(f"must be in [0, {span:g}) K (below the limit - setpoint span), got "
                         f"{p['episode_recovery_k']:g}", field="episode_recovery_k")


def _prepare(it_kw, *, lag_s, delay_frac, strategy, capacity_kw, margin_frac, thermal_mass_kj_per_k,
             forecast_kw, forecast_horizon_s, p, tuned_for_lag_s=None, hall_kw=None):
    """Checked inputs and derived constants of one run (a dict; see :func:`_kernel_args`).

    ``tuned_for_lag_s`` is the lag the default (SIMC) gains are computed for; None = ``lag_s``.
    ``hall_kw`` is the IT load the hall is sized for (``p_ref``: loop flow, mass, gains); None = ``max(it_kw)``.
    """
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
    if dt < 1:
        raise InputError(f"step {dt:g} s is finer than the lag model supports; need 1..60 s (resample to 1 s)",
                         field="it_kw")
    if not np.isfinite(arr).all() or (arr < 0).any():
        raise InputError("IT power must be finite and >= 0 kW", field="it_kw")
    if strategy not in STRATEGIES:
        raise InputError(f"unknown strategy {strategy!r}; allowed: {', '.join(STRATEGIES)}", field="strategy")
    if not 0.0 <= lag_s <= 86400.0:
        raise InputError(f"must be in [0, 86400] s, got {lag_s}", field="lag_s")
    if not 0.0 <= delay_frac <= 1.0:
        raise InputError(f"must be in [0, 1], got {delay_frac}", field="delay_frac")
    p_ref = float(arr.max())
    if not p_ref > 0:
        raise InputError("IT power is zero throughout", field="it_kw")
    if hall_kw is not None:  # the hall is built for hall_kw: the load may stay below it, not above
        h = _real("hall_kw", hall_kw)
        if not (math.isfinite(h) and h >= p_ref * (1.0 - 1e-9)):
            raise InputError(f"the hall must be sized for at least the load's peak {p_ref:,.6g} kW (a finite "
                             f"number of kW), got {hall_kw!r}", field="hall_kw")
        p_ref = max(h, p_ref)
    # each bad number is refused under the parameter the caller gave (capacity_kw, or else margin_frac)
    if capacity_kw is not None:
        q_max = _real("capacity_kw", capacity_kw)
        if not (math.isfinite(q_max) and q_max > 0):
            raise InputError(f"plant capacity must be finite and > 0 kW, got {capacity_kw!r}", field="capacity_kw")
    else:
        m = _real("margin_frac", margin_frac)
        if not (math.isfinite(m) and m > -1.0):
            raise InputError(f"must be a finite number > -1 (the plant's capacity, (1 + margin_frac) x the peak "
                             f"demand {p_ref:,.6g} kW, must be > 0 kW), got {margin_frac!r}", field="margin_frac")
        q_max = (1.0 + m) * p_ref
    if thermal_mass_kj_per_k is not None:
        cap = _real("thermal_mass_kj_per_k", thermal_mass_kj_per_k)
        if not (math.isfinite(cap) and cap > 0):
            raise InputError(f"must be finite and > 0 kJ/K, got {thermal_mass_kj_per_k!r}",
                             field="thermal_mass_kj_per_k")
    else:
        cap = p["loop_volume_l_per_kw"] * _CP_WATER * p_ref
    if tuned_for_lag_s is not None and not 0.0 <= tuned_for_lag_s <= 86400.0:
        raise InputError(f"must be in [0, 86400] s (or None: tuned for lag_s), got {tuned_for_lag_s}",
                         field="tuned_for_lag_s")
    theta = max(lag_s if tuned_for_lag_s is None else float(tuned_for_lag_s), dt)
    for key, unit in (("band_k", "K"), ("ti_s", "s")):   # (simulate_lag checks them first; a direct call too)
        if p[key] is not None and not p[key] > 0:
            raise InputError(f"must be > 0 {unit}, or None for the default SIMC tuning; got {p[key]:g}", field=key)
    kp = cap / (2.0 * theta) if p["band_k"] is None else p_ref / p["band_k"]
    ti = 8.0 * theta if p["ti_s"] is None else p["ti_s"]
    ki = kp / ti
    if dt * kp / cap > 1.0:
        # only a given band_k can get here: the SIMC gains give dt Kp / C = dt / (2 theta) <= 1/2
        raise InputError(f"{p['band_k']:g} K is too narrow for a {dt:g} s step: Kp = {p_ref:,.4g} kW / band_k = "
                         f"{kp:.4g} kW/K on a thermal mass of {cap:.4g} kJ/K gives dt*Kp/C = {dt * kp / cap:.3g}, "
                         f"and the explicit PI needs <= 1; allowed: band_k >= peak demand x dt / C = "
                         f"{p_ref * dt / cap:.4g} K (or a finer step, a larger thermal_mass_kj_per_k or "
                         "loop_volume_l_per_kw, or band_k unset for the default SIMC tuning)", field="band_k")
    if p_ref * dt / cap > 10.0:
        warnings.warn(f"thermal mass {cap:.4g} kJ/K is so small that one {dt:g} s step at {p_ref:.4g} kW "
                      f"moves the coolant by {p_ref * dt / cap:.3g} K; temperatures are coarse "
                      "(use a finer step or a larger mass)", DcplanWarning, stacklevel=3)
    delay_s = delay_frac * lag_s
    tau_s = lag_s - delay_s
    # exact delay: d = (D + frac) dt; during a step the delayed command is u[k-D-1] for
    # frac*dt, then u[k-D] (no rounding of d to whole steps)
    x = delay_s / dt
    delay = int(math.floor(x))
    frac = x - delay
    if frac > 1.0 - 1e-9:                   # e.g. 0.3 / 0.1 = 2.9999999999999996
        delay, frac = delay + 1, 0.0
    h1, h2 = frac * dt, (1.0 - frac) * dt
    if tau_s > 0:
        a1, a2 = math.exp(-h1 / tau_s), math.exp(-h2 / tau_s)
        b1, b2 = tau_s * -math.expm1(-h1 / tau_s) / dt, tau_s * -math.expm1(-h2 / tau_s) / dt
    else:                                   # pure delay: the output follows its input at once
        a1 = a2 = b1 = b2 = 0.0
    t_sup, rise = p["temp_supply_degc"], p["liquid_dt_k"]
    if not t_sup < p["temp_setpoint_degc"]:
        raise InputError(f"supply {t_sup:g} degC must be below the setpoint {p['temp_setpoint_degc']:g} degC "
                         "(the loop cannot be held below the water it is cooled with)", field="temp_supply_degc")
    if not rise >= 0:
        raise InputError(f"must be >= 0 K (0 = unlimited loop flow), got {rise}", field="liquid_dt_k")
    # (4) flow limit: exact step mean of Q = W (T - Ts) over dt with P held, W = peak IT / rise
    w_flow = p_ref / rise if rise > 0 else math.inf
    if rise > 0:
        g_flow = cap * -math.expm1(-dt * w_flow / cap) / dt
        r_flow = 1.0 - g_flow / w_flow
    else:                                   # unlimited flow: at most cool the node to supply in one step
        g_flow, r_flow = cap / dt, 1.0
    use_ff = strategy == "predictive"
    if forecast_kw is None:
        ff = arr
    else:
        if not isinstance(forecast_kw, pd.Series) or not forecast_kw.index.equals(it_kw.index):
            raise InputError("forecast_kw must be a Series on the same index as it_kw", field="forecast_kw")
        ff = forecast_kw.to_numpy(np.float64)
        bad = ~np.isfinite(ff) | (ff < 0)
        if bad.any():
            k = int(np.argmax(bad))
            raise InputError(f"forecast must be finite and >= 0 kW; {ff[k]} at {forecast_kw.index[k]}",
                             field="forecast_kw")
    horizon = lag_s * (delay_frac + 3.0 * (1.0 - delay_frac)) if forecast_horizon_s is None \
        else float(forecast_horizon_s)
    if not 0.0 <= horizon <= 86400.0:
        raise InputError(f"must be in [0, 86400] s, got {horizon}", field="forecast_horizon_s")
    lead = int(round(horizon / dt))
    # (2b) the floor at step k is the forecast's maximum over [t_k, t_k + horizon]
    ff = _forward_max(np.ascontiguousarray(ff, dtype=np.float64), lead) if use_ff else ff
    q0 = min(float(arr[0]), q_max)
    i0 = q0
    return dict(arr=arr, ff=ff, use_ff=use_ff, dt=dt, cap=cap, kp=kp, ki=ki, q_max=q_max,
                a1=a1, a2=a2, b1=b1, b2=b2, frac=frac, delay=delay, t_sup=t_sup, g_flow=g_flow, r_flow=r_flow,
                q0=q0, i0=i0, p_ref=p_ref, hold=strategy == "reactive_hold", w_flow=w_flow)


def _kernel_args(s, p, *, use_ff, on_gpu, store, outs, stats, ep_stats=None):
    """Positional arguments of :func:`_kernel` from :func:`_prepare`'s dict and the parameters.

    ``stats`` (9 floats) and ``ep_stats`` (:data:`N_EPISODE_STATS` floats; a scratch array
    when None) receive the run's summary.
    """
    t_rec = p["temp_setpoint_degc"] + p["episode_recovery_k"]
    if ep_stats is None:
        ep_stats = np.zeros(N_EPISODE_STATS)
    return (s["arr"], s["ff"], use_ff, s["dt"], s["cap"], p["temp_setpoint_degc"],
            p["temp_setpoint_degc"], p["temp_limit_degc"], p["hysteresis_k"], s["kp"], s["ki"], s["q_max"],
            s["a1"], s["a2"], s["b1"], s["b2"], s["frac"], s["delay"], s["t_sup"], s["g_flow"], s["r_flow"],
            p["throttle_power_frac"], p["gpu_rise_k"], s["p_ref"], on_gpu, s["q0"], s["i0"], store,
            *outs, stats, t_rec, ep_stats, bool(s.get("hold", False)), float(s.get("w_flow", math.inf)),
            DIE_SHUTDOWN_DEGC, COOLANT_MAX_DEGC)

