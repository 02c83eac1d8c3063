"""Seconds-resolution cooling-lag model: lumped thermal mass, lagged actuator, throttling.

Model (one hall, one lumped node; documented equations)
------------------------------------------------------
State ``T`` [degC]: lumped coolant + cold-plate temperature with heat capacity
``C`` [kJ/K]; the node is well mixed, so the water leaving it (the loop return)
is at ``T``. Step ``k`` covers ``[t_k, t_k + dt)`` and is labelled at its end
(interval-ending, as every dcplan series). Over the step the IT heat ``P[k]``
(after throttling) is held and ``Q[k]`` is the *mean* heat removed over the step,
so the node update is exact::

    T[k+1] = T[k] + dt * (P[k] - Q[k]) / C                      (1)

Controller (command ``u`` [kW], clipped to ``[0, Qmax]``; ``Qmax`` = plant capacity),
issued at ``t_k`` from ``T[k]`` and held over the step. Both strategies share one PI::

    PI[k] = Kp * (T[k] - Tset) + I[k]
    I[k+1] = I[k] + Ki * (T[k] - Tset) * dt   (frozen while u is saturated: anti-windup)
    reactive:   u[k] = PI[k]                                                    (2)
    predictive: u[k] = max(Fmax[k], PI[k]),  Fmax[k] = max(F[j] : t_k <= t_j <= t_k + H)   (2b)
                while Fmax is selected the PI tracks it: I[k+1] = u[k] - Kp * (T[k] - Tset)

``F`` is a forecast of IT load (default: the known job schedule, i.e. the demand
itself). The predictive command is a floor from the forecast with the PI on top (a
max selector with external reset, the usual override structure: the PI takes over
bumplessly whenever the loop needs more than the forecast). ``H`` (``forecast_horizon_s``,
default ``d + 3 tau``, the time a command step needs to reach 95 % at the plant) makes
the floor rise ``H`` before the load does, so the plant has ramped when the load
arrives, and fall only when the load has fallen: it never unloads the plant for a dip
shorter than ``H``, which the actuator could not follow anyway. Why asymmetric: a loop
that is over-cooled for a while only sits nearer its supply temperature (eq. 4), while
a loop that is under-cooled for ``lag_s`` after a rise of ``dP`` stores ``dP lag_s`` and
heats by ``dP lag_s / C``, about 30 K for a 70 % rise at 90 s lag with the default
mass. (An earlier version added ``F`` read ``lag_s`` ahead to the PI; it unloaded the
plant ahead of every short dip and throttled when the load came back.) Default gains follow
the SIMC rules for an integrating process with delay (Skogestad, "Simple analytic
rules for model reduction and PID controller tuning", J. Process Control 13 (2003)
291-309, DOI 10.1016/S0959-1524(02)00062-8): process gain ``1/C``, effective delay
``theta = max(lag_s, dt)``, closed-loop time ``tau_c = theta``, so
``Kp = C / (2 theta)`` and ``Ti = 4 (tau_c + theta) = 8 theta``, ``Ki = Kp / Ti``.
The same tuning is used for both strategies, so they differ only by the forecast floor.
``band_k`` / ``ti_s`` override it (``Kp = max(it_kw) / band_k``).

Actuator (plant output ``A``): transport delay ``d`` then a first-order lag ``tau``
(``d + tau = lag_s``, ``d = delay_frac * lag_s``), ``tau dA/dt = u(t - d) - A``, solved
exactly for the held commands. With ``d = (D + f) dt`` (``D`` whole steps, ``0 <= f < 1``;
no rounding of ``d``), the delayed command during step ``k`` is ``v1 = u[k-D-1]`` for
``f dt`` and then ``v2 = u[k-D]`` for ``(1 - f) dt``, so with ``a(h) = exp(-h / tau)``::

    A_mid   = v1 + (A[k] - v1) a(f dt)
    A[k+1]  = v2 + (A_mid - v2) a((1 - f) dt)                                      (3)
    Abar[k] = f v1 + (A[k] - v1) tau (1 - a(f dt)) / dt
              + (1 - f) v2 + (A_mid - v2) tau (1 - a((1 - f) dt)) / dt   (exact step mean)

(``tau = 0``: ``Abar = f v1 + (1 - f) v2``). A command step ``u: 0 -> U`` at ``t0`` thus gives
``A(t) = U (1 - exp(-(t - t0 - d)/tau))`` for ``t >= t0 + d`` and
``integral (U - A) dt = U (d + tau) = U lag_s`` at every ``dt`` (the closed forms tested in
``tests/test_thermal_dynamics.py``).

Supply floor: the plant delivers water no colder than ``Ts`` (``temp_supply_degc``) at a
loop flow of capacity rate ``W = max(it_kw) / liquid_dt_k`` [kW/K] (the pumps are sized
to carry the peak IT load at the design rise, so at full load the return sits at
``Ts + liquid_dt_k``, the 40 degC setpoint by default; plant margin is chiller/heat-rejection
capacity, not flow), so the heat the loop can carry away is ``W (T - Ts)``: the
plant cannot cool the loop below its supply temperature, whatever its lagged output.
The heat removed is the lesser of the two (when ``A < W (T - Ts)`` the supply runs warmer
than ``Ts``, at ``T - A / W``)::

    Q[k] = min(Abar[k], P[k] (1 - g / W) + g (T[k] - Ts)),   g = C (1 - exp(-W dt / C)) / dt   (4)

where the second term is the exact step mean of ``Q = W (T - Ts)`` with ``P`` held
(``T`` relaxes to ``Ts + P/W`` with time constant ``C / W``, the loop turnover time;
``liquid_dt_k = 0``: unlimited flow, ``g = C / dt``, the loop may reach ``Ts`` in one step).
Hence ``T >= Ts`` throughout (``T[0] = Tset > Ts``) and ``0 <= Q <= Qmax``. The min is
exact when one term binds for the whole step; in the one step where the binding term
changes, the lesser of the two step means is a first-order approximation (energy stays
balanced and ``T >= Ts`` still holds).

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
because (1) is exact. Stability: (1), (3) and (4) are unconditionally stable; the
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

__all__ = ["simulate_lag", "summarize_throttling", "sweep_lag", "training_load_kw", "simc_tuning",
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
#: temp_setpoint_degc           40 degC   lumped coolant (= return) temperature setpoint      estimate
#:                                        (W32 loop: supply 30 + design rise 10 K)
#: temp_supply_degc             30 degC   coldest supply the plant delivers: W32 maximum      estimate
#:                                        32 degC (reference-data 3b, secondary) less the
#:                                        2 K control margin ``liquid_supply_margin_k`` of
#:                                        ``data/cooling_defaults.csv`` (= the hourly
#:                                        plant's liquid supply setpoint)
#: liquid_dt_k                  10 K      design rise supply -> return at peak IT load,       estimate
#:                                        sets the loop flow ``W = max(it_kw) / liquid_dt_k``
#:                                        (``data/cooling_defaults.csv`` ``liquid_dt_k``);
#:                                        0 = unlimited flow
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
    "temp_setpoint_degc": 40.0, "temp_supply_degc": 30.0, "liquid_dt_k": 10.0,
    "temp_limit_degc": 45.0, "hysteresis_k": 2.0, "gpu_rise_k": 40.0,
    "throttle_power_frac": 0.6, "band_k": None, "ti_s": None, "kw_per_gpu": 1.275,
}

_CP_WATER = 4.186  # kJ/(kg K); 1 L ~ 1 kg


@njit(cache=True)
def _kernel(p_dem, p_ff, use_ff, dt, cap, t0, t_set, t_lim, hyst, kp, ki, q_max,
            a1, a2, b1, b2, frac, delay, t_sup, g_flow, r_flow, thr_frac, gpu_rise, p_ref, on_gpu,
            q0, i0, store, out_t, out_q, out_p, out_u, out_flag, stats):
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
    thr_steps = 0
    above_steps = 0
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
            if (u_pi < q_max or err < 0.0) and (u_pi > 0.0 or err > 0.0):
                integ += ki * err * dt
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
        temp = temp + (p - q_step) * dt_cap
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
    if rise > 0:
        w_flow = p_ref / rise
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
                q0=q0, i0=i0, p_ref=p_ref)


def _kernel_args(s, p, *, use_ff, on_gpu, store, outs, stats):
    """Positional arguments of :func:`_kernel` from :func:`_prepare`'s dict and the parameters."""
    return (s["arr"], s["ff"], use_ff, s["dt"], s["cap"], p["temp_setpoint_degc"],
            p["temp_setpoint_degc"], p["temp_limit_degc"], p["hysteresis_k"], s["kp"], s["ki"], s["q_max"],
            s["a1"], s["a2"], s["b1"], s["b2"], s["frac"], s["delay"], s["t_sup"], s["g_flow"], s["r_flow"],
            p["throttle_power_frac"], p["gpu_rise_k"], s["p_ref"], on_gpu, s["q0"], s["i0"], store,
            *outs, stats)


def _check_numbers(p: dict, *, lag_s, kw_per_gpu) -> None:
    """Every number of a run finite and physical, or an InputError naming it and what is allowed."""
    def real(name, v):
        if isinstance(v, (bool, np.bool_)) or not isinstance(v, (int, float, np.integer, np.floating)) \
                or not math.isfinite(v):
            raise InputError(f"must be a finite number, got {v!r}", field=name)
        return float(v)
    real("lag_s", lag_s)
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
    if not p["loop_volume_l_per_kw"] > 0:
        raise InputError(f"must be > 0 L/kW, got {p['loop_volume_l_per_kw']}", field="loop_volume_l_per_kw")
    if not p["temp_limit_degc"] > p["temp_setpoint_degc"]:
        raise InputError(f"limit {p['temp_limit_degc']:g} degC must be above the setpoint "
                         f"{p['temp_setpoint_degc']:g} degC (at or below it the hall throttles from the first "
                         "step)", field="temp_limit_degc")


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
        ``H`` of eq. (2b): the predictive floor at ``t`` is the forecast's maximum over
        ``[t, t + H]``. Default ``d + 3 tau`` (95 % of a command step reaches the plant;
        210 s at the default 90 s lag). [s]
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
        ``temp_supply_degc``, ``liquid_dt_k``, ``temp_limit_degc``, ``hysteresis_k``,
        ``gpu_rise_k``, ``throttle_power_frac``, ``band_k``, ``ti_s``, ``loop_volume_l_per_kw``).

    Returns
    -------
    pandas.DataFrame or dict
        Per step (interval-ending, on ``it_kw``'s index): ``temp_coolant_degc`` (end of
        step), ``heat_removed_kw`` (mean over the step), ``it_after_throttle_kw``,
        ``cooling_command_kw`` (issued at the start of the step), ``throttle`` (bool); the
        summary (see :func:`summarize_throttling`) in ``.attrs["summary"]``. With
        ``summary_only=True`` just the summary dict.

    Notes
    -----
    Equations (1)-(4) in the module docstring. The actuator (delay ``d`` + first-order
    ``tau``) is solved exactly for commands held over each step, with the delay not rounded
    to whole steps, so its response to a command step starts ``d`` after it and lags it by
    ``integral (U - A) dt / U = lag_s`` at every ``dt``. The heat removed cannot take the
    loop below the supply temperature ``Ts``: with loop flow ``W = max(it_kw) / liquid_dt_k``
    [kW/K], ``Q = min(A, W (T - Ts))`` (step means), so ``temp_coolant_degc >= Ts``.
    """
    p = dict(DYNAMICS_DEFAULTS)
    for k, v in params.items():
        if k not in p or k in ("lag_s", "kw_per_gpu"):
            from ._ts import unknown_key_message
            raise InputError(unknown_key_message(k, [x for x in p if x not in ("lag_s", "kw_per_gpu")]),
                             field=k)
        if isinstance(v, (bool, np.bool_, str)):
            raise InputError(f"must be a finite number, got {v!r}", field=k)
        p[k] = None if v is None else float(v)
    if limit_on not in ("coolant", "gpu"):
        raise InputError(f"unknown limit_on {limit_on!r}; allowed: coolant, gpu", field="limit_on")
    _check_numbers(p, lag_s=lag_s, kw_per_gpu=kw_per_gpu)
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
    _kernel(*_kernel_args(s, p, use_ff=s["use_ff"], on_gpu=limit_on == "gpu", store=not summary_only,
                          outs=outs, stats=stats))
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
        # throttled GPUs still draw throttle_power_frac of the demand: a plant below that at
        # peak cannot hold the loop even throttled, and the coolant heats while the demand stays
        # there (the model sheds no further, so its temperatures past the limit are not physical)
        "throttled_overload_kw": max(0.0, p["throttle_power_frac"] * s["p_ref"] - s["q_max"]),
    }
    if summary["throttled_overload_kw"] > 0.0:
        warnings.warn(f"plant capacity {s['q_max']:,.0f} kW is below the throttled hall's "
                      f"{p['throttle_power_frac'] * s['p_ref']:,.0f} kW (throttle_power_frac "
                      f"{p['throttle_power_frac']:g} x peak demand {s['p_ref']:,.0f} kW): while demand stays near "
                      "its peak, throttling cannot hold the coolant and it heats until the load falls (peak "
                      f"{summary['peak_temp_degc']:,.0f} degC here; a real hall sheds more load or trips). Compare "
                      "energy lost: one long throttle counts as one event",
                      DcplanWarning, stacklevel=2)
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


def simc_tuning(peak_kw: float, lag_s: float, *, step_s: float = 1.0,
                loop_volume_l_per_kw: float = DYNAMICS_DEFAULTS["loop_volume_l_per_kw"]) -> dict:
    """The default (SIMC) PI tuning for a plant lag, as ``band_k`` / ``ti_s`` keywords.

    Pass the result to :func:`simulate_lag` or :func:`sweep_lag` to hold a controller
    commissioned for ``lag_s`` while the plant's actual lag varies (the default retunes
    the PI for every lag). ``Kp = C / (2 theta)``, ``Ti = 8 theta``, ``theta = max(lag_s, step_s)``,
    ``C = loop_volume_l_per_kw * 4.186 * peak_kw`` (module docstring), and
    ``band_k = peak_kw / Kp``.

    Returns
    -------
    dict
        ``{"band_k": [K], "ti_s": [s]}``.
    """
    if not peak_kw > 0 or not 0 <= lag_s <= 86400 or not step_s > 0 or not loop_volume_l_per_kw > 0:
        raise InputError(f"need peak_kw > 0, lag_s in [0, 86400], step_s > 0 and loop_volume_l_per_kw > 0; got "
                         f"{peak_kw}, {lag_s}, {step_s}, {loop_volume_l_per_kw}", field="simc_tuning")
    theta = max(float(lag_s), float(step_s))
    cap = loop_volume_l_per_kw * _CP_WATER * float(peak_kw)
    return {"band_k": float(peak_kw) / (cap / (2.0 * theta)), "ti_s": 8.0 * theta}


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
