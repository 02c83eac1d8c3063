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
    reactive_hold: as reactive, and I is also held while the supply floor binds
                (A[k] > W (T[k] - Ts), eq. 4) with a negative error             (2a)
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
``theta = max(lag_s, dt)`` (``max(tuned_for_lag_s, dt)`` for a PI commissioned for another
lag; see "Controller tuning vs lag" below), closed-loop time ``tau_c = theta``, so
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

Throttle episodes (what the summary counts): after a rise the hall switches in and out of
throttling many times while the plant catches up. Each release puts ``(1 - throttle_power_frac)``
of the demand back on a plant that has not caught up, so the loop re-crosses the band within
seconds to minutes. ``throttle_events`` counts these raw off -> on switches, mostly chatter in
the hysteresis band: the cooling_lag notebook's default load (12 h, 10-min pauses about every
30 min) at 90 s lag gives 94 switches for 23 load returns, reactive. ``throttle_episodes``
counts episodes instead. An episode opens at a throttle start and closes at the first
unthrottled step that begins with the coolant at or below ``temp_setpoint_degc +
episode_recovery_k`` (0.5 K, a reporting convention): the loop is back under control, so a
later throttle needs a new heat surge. The rule uses no time scale, so it does not depend on
the lag or the PI tuning. A merge gap (intervals less than ``G`` apart are one episode) does:
with ``G`` = 4 lags (at least 60 s) and the PI tuned for 90 s, the same load gave 159
"episodes" on a 0 s plant at -1 % margin and one on a 180 s plant at -20 % margin; the rule
above gives 22 and 24. Episode counts barely move with ``hysteresis_k`` (23 at 0.5-4 K in the
notebook case). Time throttled and energy lost do not depend on how episodes are counted, but
they do depend on the band: 64 kWh at 0.5 K, 131 kWh at 2 K and 1,021 kWh at 4 K in the same
case. A wider band releases the GPUs nearer the setpoint, where the PI's error, and so its push
for more cooling, is small. ``hysteresis_k`` is an unsourced estimate, so treat those figures as
ranges.

Overshoot after a large rise: throttling does not hold the coolant at the limit. It cuts the
hall's heat to ``throttle_power_frac`` of the demand, and while the plant is still answering the
rise ``lag_s`` late even that heats the loop, so the coolant first overshoots the limit. A 300 ->
1,000 kW step on a 1,100 kW plant at 90 s lag (reactive) throttles 15 s after the step, yet the
coolant peaks at 65.1 degC 275 s after it and stays above the 45 degC limit for 1,213 s
(``tests/test_thermal_dynamics.py``). ``peak_temp_degc`` and ``time_above_limit_s`` in the summary
are the figures to read for it, beside the throttled time.

Slow recovery after a sustained rise (a property of this modelled PI, not a measured fact):
after the overshoot, once the plant carries the throttled load, the loop carries only
``throttle_power_frac`` of the demand and the throttle holds the coolant within the band, so the
error ``e`` stays near ``temp_limit - hysteresis/2 - setpoint`` (4 K by default). The integral adds
cooling at only ``Ki e``. Catching up the missing ``(1 - f) P`` (``f = throttle_power_frac``) takes
about ``(1 - f) P Ti / (Kp e) = 16 theta^2 (1 - f) P / (C e)``, which is 6,200 s with the defaults
(``C`` = 2,093 kJ/K per MW). The step above gives one episode of 7,134 s, 4,177 s of it throttled
(``tests/test_thermal_dynamics.py``). It grows with the square of
the tuned lag (744 s at 30 s). The predictive floor avoids it; a feed-forward from measured IT
power is not modelled.

Why a longer lag can throttle less with one PI (a property of this PI, not windup, saturation or the count):
to carry a rise ``dP`` the integral must grow by ``dP``, so the error's area over the recovery is
``integral e dt = dP / Ki = 16 theta^2 dP / C`` whatever the plant's lag. Throttling holds ``e`` near 4 K,
so the recovery lasts about that area / 4 K; a later plant lets the coolant overshoot further, collects
more of the area above the band and ends the slow recovery sooner. A 50 -> 100 % step throttles less
at each longer lag from 0 to 400 s while its peak rises from 47 to 58 degC, and on a bundled site's
load the time throttled falls beyond about 150 s, the coolant past 60 degC (from 90 s) and the die past its
shutdown from 180 s (``tests/test_cooling_lag_tuning.py``). Less throttling there is a hotter loop, not a better
plant: read it with ``peak_temp_degc`` and ``time_above_limit_s``. :func:`sweep_lag`'s ``lag_note`` says so.

Loop mass vs lag (the defaults are not one loop): ``lag_s`` = 90 s is the field case's
response (controller, pump ramp and transport together), and its example transport time
``V/Qdot ~ 200 L / 120 L/min ~ 100 s`` is of a loop that, at this model's flow (``W`` = peak /
``liquid_dt_k``: 60 / (4.186 x 10) = 1.433 L/min per kW), carries 120 / 1.433 = 84 kW and holds
200 / 84 = 2.4 L/kW: about 5 x the 0.5 L/kW (``loop_volume_l_per_kw``) the model lumps near the
GPUs as its thermal mass ``C``, whose own turnover ``C / W`` is 0.5 x 4.186 x 10 = 20.9 s (a 90 s
turnover would take 90 x 1.433 / 60 = 2.15 L/kW). The mass is thus an estimate to vary, and
throttling depends on it strongly, though not monotonically. Under the SIMC tuning the PI's gains
scale with ``C`` (``Kp = C / (2 theta)``). In a 10-min load pause the loop falls within minutes to
the floor its supply sets at the pause's load (``Ts + 0.3 P / W`` = 33 degC), where the PI's error
stops growing (-7 K), so against that same error a heavier loop's PI winds the plant down further (command at the load's return, 1,000 kW peak,
90 s lag: about 820 kW at 0.5 L/kW, 660 kW at 1 L/kW, 370 kW at 2 L/kW) and the returning
load finds the plant further behind. Reactive control in the cooling_lag notebook's default case
(12 h, 10-min pauses about every 30 min, 90 s lag, 10 % margin) throttles 659 s at 0.25 L/kW,
1,194 s at 0.5, 2,052 s at 1.0 and 2,868 s at 2.15 L/kW; above about 2 L/kW the command has
little left to fall and the larger store wins: 2,399 s at 3 L/kW, none at 5 L/kW
(``tests/test_cooling_lag_loop_mass.py``). The cooling_lag notebook reruns its case at other
loop volumes.

What reactive throttling is made of (a property of this controller, not of the plant): in a
long pause the loop falls to its supply floor with a negative error (-7 K at a 30 % load), the
plain PI's command (79-84 % of peak) is above the heat the floor lets the loop give up, and its
integral winds the command down through that dead zone; at the load's return the command is below
full and the lag delays the rest. So a 0 s plant with the PI tuned for 90 s still throttles (545 s
/ 59.9 kWh in the notebook's 12 h, 1,000 kW case, 46 % of the 1,194 s / 131 kWh at 90 s lag); the
lag adds the difference. That PI does its job (it brings the loop back towards setpoint in a pause),
and the throttling at the return is real for it. ``reactive_hold`` (2a) holds the integral instead
(conditional integration): 0 s throttled in the same case at 0, 30, 90 and 180 s lag, as a
controls engineer's independent model gave (``tests/test_thermal_dynamics_limits.py``). Its price:
the valve stays open in pauses and over-cools the loop at its floor, more facility-water flow and
pump energy, which this model does not quantify (it has no pump or valve model). The summary's
``integral_held_s`` says how long it held.

Controller tuning vs lag: by default :func:`simulate_lag` tunes the PI for the lag it
simulates (SIMC, above), while :func:`sweep_lag` holds one tuning (``tuned_for_lag_s``, default
90 s) for every lag. Retuning makes a longer lag look benign. The slower PI unloads the plant
less in a load pause, so with retuning the peak coolant temperature of one hour of
:func:`training_load_kw` (defaults, 10 % margin) falls from 43.0 degC at 5 s lag to 41.3 degC at
90 s and 40.2 degC at 3,600 s. With the PI held at 90 s it rises from 41.2 degC at 5 s to
43.4 degC at 600 s.

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

import warnings

import numpy as np
import pandas as pd

from .errors import DcplanWarning, InputError
from .power import REFERENCE_UNIT, unit_kw_per_accelerator
from .thermal_dynamics_kernel import (_CP_WATER, N_EPISODE_STATS, STRATEGIES, _check_numbers,  # noqa: F401
                                      _kernel, _kernel_args, _prepare)
from .thermal_dynamics_limits import COOLANT_MAX_DEGC, DIE_SHUTDOWN_DEGC, attributed_warnings, warn_unphysical
from .thermal_plant_params import W_CLASS_MAX_DEGC, cooling_defaults

__all__ = ["simulate_lag", "summarize_throttling", "sweep_lag", "training_load_kw", "simc_tuning",
           "restart_throttle_delays", "DYNAMICS_DEFAULTS"]

#: Defaults of the dynamic model. Sources: docs/reference-data.md 3c unless stated.
#:
#: ===========================  ========  =================================================  ==========
#: key                          value     source                                             status
#: ===========================  ========  =================================================  ==========
#: lag_s                        90 s      the field case's response of a pump-limited liquid  unverified
#:                                        loop (issue 4): control, pump ramp and transport
#:                                        together. Its example transport V/Qdot ~ 200 L /
#:                                        120 L/min ~ 100 s is of a loop holding ~2.4 L/kW
#:                                        at this model's flow, not the 0.5 L/kW below (see
#:                                        "Loop mass vs lag" above). No published CDU or
#:                                        facility-water response time was found
#:                                        (data/SOURCES.md)
#: delay_frac                   1/3       share of the lag that is transport delay            estimate
#: loop_volume_l_per_kw         0.5 L/kW  coolant near the GPUs (rack manifolds, CDU TCS      estimate
#:                                        side) per kW; "D2C loops have little thermal
#:                                        inertia" (docs/reference-data.md 3c, secondary). About
#:                                        1/5 of the loop the lag_s example implies;
#:                                        throttling depends on it strongly and not
#:                                        monotonically: a sensitivity to run ("Loop mass
#:                                        vs lag" above)
#: temp_setpoint_degc           40 degC   lumped coolant (= return) temperature setpoint      estimate
#:                                        (W32 loop: temp_supply_degc + liquid_dt_k, so it
#:                                        follows the two rows below)
#: temp_supply_degc             30 degC   coldest supply the plant delivers: W32 maximum      estimate
#:                                        32 degC (docs/reference-data.md 3b, secondary) less the
#:                                        2 K control margin ``liquid_supply_margin_k`` of
#:                                        ``data/cooling_defaults.csv``, read from it as the
#:                                        hourly plant reads it (its liquid supply setpoint,
#:                                        :func:`dcplan.thermal_plant_params.plant_params`)
#: liquid_dt_k                  10 K      design rise supply -> return at peak IT load,       estimate
#:                                        sets the loop flow ``W = max(it_kw) / liquid_dt_k``
#:                                        (``data/cooling_defaults.csv`` ``liquid_dt_k``, read
#:                                        from it as the hourly plant's); 0 = unlimited flow
#: temp_limit_degc              45 degC   coolant temperature that drives GPUs to slowdown    estimate
#: hysteresis_k                 2 K       throttle release band (no source; results are very  estimate
#:                                        sensitive to it, see "Throttle episodes" above)
#: gpu_rise_k                   40 K      GPU die above coolant at full power; 45+40 = 85     estimate
#:                                        degC = A100 max operating temp (nvidia-smi, 3c)
#: throttle_power_frac          0.6       GPU power while thermally throttled                 estimate
#: band_k                       None      proportional band ``Qref/Kp``; None = SIMC tuning   primary
#: ti_s                         None      integral time; None = SIMC tuning (see below)       primary
#: kw_per_gpu                   1.275 kW  DGX H100 10.2 kW / 8 GPUs (docs/reference-data.md 1), read    secondary
#:                                        from data/hardware.csv row hgx-h100
#:                                        (:func:`dcplan.power.unit_kw_per_accelerator`)
#: episode_recovery_k           0.5 K     a throttle episode ends once the coolant is back    convention
#:                                        within this of its setpoint (reporting rule, no
#:                                        physics; see "Throttle episodes" above)
#: ===========================  ========  =================================================  ==========
_LAG_S = 90.0  # DYNAMICS_DEFAULTS["lag_s"], a signature's default
_LOOP_VOLUME_L_PER_KW = 0.5  # DYNAMICS_DEFAULTS["loop_volume_l_per_kw"]


def _dynamics_defaults() -> dict:
    """:data:`DYNAMICS_DEFAULTS`, a new dict: the W32 liquid loop of data/cooling_defaults.csv as the hourly plant
    resolves it (one source: an edit of the CSV moves both models) and the kW per GPU of data/hardware.csv, read
    when asked (the module's ``__getattr__``), not on import: importing dcplan reads no data file, so a kernel
    forked from render's warm zygote starts as a fresh one does."""
    rows = cooling_defaults()
    supply = W_CLASS_MAX_DEGC["W32"] - rows["liquid_supply_margin_k"]
    return {
        "lag_s": _LAG_S, "delay_frac": 1.0 / 3.0, "loop_volume_l_per_kw": _LOOP_VOLUME_L_PER_KW,
        "temp_setpoint_degc": supply + rows["liquid_dt_k"], "temp_supply_degc": supply,
        "liquid_dt_k": rows["liquid_dt_k"],
        "temp_limit_degc": 45.0, "hysteresis_k": 2.0, "gpu_rise_k": 40.0,
        "throttle_power_frac": 0.6, "band_k": None, "ti_s": None, "kw_per_gpu": unit_kw_per_accelerator(REFERENCE_UNIT),
        "episode_recovery_k": 0.5,
    }


def __getattr__(name: str):
    if name == "DYNAMICS_DEFAULTS":
        return _dynamics_defaults()
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def simulate_lag(it_kw: pd.Series, *, lag_s: float = _LAG_S,
                 strategy: str = "reactive", capacity_kw: float | None = None,
                 margin_frac: float = 0.10, thermal_mass_kj_per_k: float | None = None,
                 forecast_kw: pd.Series | None = None, forecast_horizon_s: float | None = None,
                 limit_on: str = "coolant", kw_per_gpu: float | None = None,
                 tuned_for_lag_s: float | None = None, hall_kw: float | None = None,
                 summary_only: bool = False, dtype=np.float32, **params):
    """Seconds-scale cooling response with lag, control strategy and GPU throttling.

    **Controller tuning follows** ``lag_s`` **by default**: the PI gets the SIMC gains for the
    simulated lag (a plant commissioned for its own lag). Runs at different ``lag_s`` then
    differ in the controller too, and a longer lag gets a slower PI that unloads the plant
    less in a load pause, so with the defaults peak coolant temperature and throttling can
    *fall* as the lag grows. To see what a slower plant does to a given controller, pass
    ``tuned_for_lag_s`` (the lag it was commissioned for), as :func:`sweep_lag` does by default.

    Parameters
    ----------
    it_kw : pandas.Series
        IT power demand, tz-aware fixed step 1..60 s. [kW]
    lag_s : float, default 90
        Actuation lag = transport delay + first-order time constant. [s]
    strategy : {"reactive", "reactive_hold", "predictive"}
        Feedback on temperature only; the same with the integral held while the supply floor
        binds and the error is negative (eq. 2a); or feed-forward from ``forecast_kw`` plus feedback.
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
        IT power per GPU (incl. its server share) for GPU-hours; default ``DYNAMICS_DEFAULTS["kw_per_gpu"]``,
        the hgx-h100 row of data/hardware.csv (10.2 kW / 8 = 1.275). [kW]
    tuned_for_lag_s : float, optional
        Lag the default (SIMC) PI gains are computed for, in [0, 86400]; None (default) = ``lag_s``
        (retuned for the simulated lag). Same as passing ``**simc_tuning(max(it_kw), tuned_for_lag_s,
        step_s=dt)``; an explicit ``band_k`` / ``ti_s`` overrides it. [s]
    hall_kw : float, optional
        IT load the hall is built for, at least ``max(it_kw)``: it sizes the loop flow ``W = hall_kw /
        liquid_dt_k``, the mass ``C`` and so the SIMC gains, the default capacity, the die rise's full power and
        the GPU count (``hall_kw / kw_per_gpu``). None (default): ``max(it_kw)``, a hall sized on this load's own
        peak, which for a site's part-loaded week is a smaller hall than the site builds (its design IT). [kW]
    summary_only : bool
        Return only the summary dict (no per-step arrays; for year-long runs).
    dtype : numpy dtype
        Per-step output precision (float32 default, halves memory).
    **params
        Keys of :data:`DYNAMICS_DEFAULTS` (``delay_frac``, ``temp_setpoint_degc``,
        ``temp_supply_degc``, ``liquid_dt_k``, ``temp_limit_degc``, ``hysteresis_k``,
        ``gpu_rise_k``, ``throttle_power_frac``, ``band_k``, ``ti_s``, ``loop_volume_l_per_kw``,
        ``episode_recovery_k``).

    Returns
    -------
    pandas.DataFrame or dict
        Per step (interval-ending, on ``it_kw``'s index): ``temp_coolant_degc`` (end of
        step), ``heat_removed_kw`` (mean over the step), ``it_after_throttle_kw``,
        ``cooling_command_kw`` (issued at the start of the step), ``throttle`` (bool); the
        summary (see :func:`summarize_throttling`) in ``.attrs["summary"]``. With
        ``summary_only=True`` just the summary dict. The summary adds ``peak_die_temp_degc`` and
        ``die_above_shutdown_s`` (die = coolant + ``gpu_rise_k`` x the step's power share, against
        :data:`~dcplan.thermal_dynamics_limits.DIE_SHUTDOWN_DEGC`), ``coolant_above_max_s``
        (against ``COOLANT_MAX_DEGC``; either one warns, :mod:`dcplan.thermal_dynamics_limits`),
        ``capacity_bound_s`` (time the command sits at the capacity: 0 means a larger plant throttles
        the same), ``last_episode_open`` (the last episode is cut off by the run's end) and
        ``integral_held_s`` (``reactive_hold``'s held time).

    Notes
    -----
    Equations (1)-(4) in the module docstring. The actuator (delay ``d`` + first-order
    ``tau``) is solved exactly for commands held over each step, with the delay not rounded
    to whole steps, so its response to a command step starts ``d`` after it and lags it by
    ``integral (U - A) dt / U = lag_s`` at every ``dt``. The heat removed cannot take the
    loop below the supply temperature ``Ts``: with loop flow ``W = max(it_kw) / liquid_dt_k``
    [kW/K], ``Q = min(A, W (T - Ts))`` (step means), so ``temp_coolant_degc >= Ts``.
    The throttle rule is decided at the start of each step and held for the step, so throttled
    time and energy lost converge only as the step shrinks: a run that throttled on a step
    whose peak demand moves the coolant by more than :data:`COARSE_STEP_BAND_FRAC` of
    ``hysteresis_k`` warns (above about 2 s with the default loop mass and band; use 1 s). At
    1 s, the finest step taken, the default loop moves 0.48 K a step at peak, a quarter of the
    default 2 K band (the notebook's default case, at any peak: 1,194 s throttled at 1 s, 1,242 s at
    2 s; :data:`COARSE_STEP_BAND_FRAC`); a much narrower ``hysteresis_k`` is resolved only coarsely.
    """
    p = _dynamics_defaults()
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
    _check_numbers(p, lag_s=lag_s, kw_per_gpu=kw_per_gpu, tuned_for_lag_s=tuned_for_lag_s)
    s = _prepare(it_kw, lag_s=lag_s, delay_frac=p["delay_frac"], strategy=strategy,
                 capacity_kw=capacity_kw, margin_frac=margin_frac,
                 thermal_mass_kj_per_k=thermal_mass_kj_per_k, forecast_kw=forecast_kw,
                 forecast_horizon_s=forecast_horizon_s, p=p, tuned_for_lag_s=tuned_for_lag_s, hall_kw=hall_kw)
    n = len(s["arr"])
    if summary_only:
        outs = [np.empty(0, np.float32)] * 4 + [np.empty(0, np.bool_)]
    else:
        outs = [np.empty(n, dtype) for _ in range(4)] + [np.empty(n, np.bool_)]
    stats = np.zeros(9)
    ep_stats = np.zeros(N_EPISODE_STATS)
    _kernel(*_kernel_args(s, p, use_ff=s["use_ff"], on_gpu=limit_on == "gpu", store=not summary_only,
                          outs=outs, stats=stats, ep_stats=ep_stats))
    kpg = _dynamics_defaults()["kw_per_gpu"] if kw_per_gpu is None else float(kw_per_gpu)
    n_gpus = s["p_ref"] / kpg
    summary = {
        "throttle_episodes": int(ep_stats[0]),
        "longest_episode_s": float(ep_stats[1] * s["dt"]),
        "throttle_events": int(stats[0]),
        "throttled_s": float(stats[1]),
        "throttled_gpu_h": float(stats[1] * n_gpus / 3600.0),
        # the IT energy lost in full-power GPU-hours (a GPU's work taken as proportional to its power):
        # the demand given up while throttled, at whatever load the hall was then, not at its peak
        "compute_lost_gpu_h": float(stats[4] / 3600.0 / kpg),
        # crossings interpolated linearly within each step (a step is not counted whole)
        "time_above_limit_s": float(stats[2]),
        "peak_temp_degc": float(stats[3]),
        "peak_die_temp_degc": float(ep_stats[3]),
        "die_above_shutdown_s": float(ep_stats[4] * s["dt"]),
        "coolant_above_max_s": float(ep_stats[5]),
        # time the command is held at the plant's capacity: 0 = capacity never binds, and the run's
        # throttling is the same at any larger capacity
        "capacity_bound_s": float(ep_stats[2] * s["dt"]),
        "last_episode_open": bool(ep_stats[6]),
        "integral_held_s": float(ep_stats[7] * s["dt"]),
        "peak_monitored_temp_degc": float(stats[8]),
        "energy_lost_kwh": float(stats[4] / 3600.0),
        "heat_in_kwh": float(stats[5] / 3600.0),
        "heat_removed_kwh": float(stats[6] / 3600.0),
        "heat_stored_kwh": float(s["cap"] * (stats[7] - p["temp_setpoint_degc"]) / 3600.0),
        "n_gpus": float(n_gpus), "capacity_kw": s["q_max"], "thermal_mass_kj_per_k": s["cap"],
        "strategy": strategy, "lag_s": float(lag_s),
        "tuned_for_lag_s": float(lag_s if tuned_for_lag_s is None else tuned_for_lag_s)
        if p["band_k"] is None or p["ti_s"] is None else None,
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
                      "energy lost: one long throttle counts as one episode",
                      DcplanWarning, stacklevel=2)
    _warn_coarse_throttle(summary, s, p)
    warn_unphysical(summary, stacklevel=3)
    if summary_only:
        return summary
    t, q, pa, u, fl = outs
    df = pd.DataFrame({"temp_coolant_degc": t, "heat_removed_kw": q, "it_after_throttle_kw": pa,
                       "cooling_command_kw": u, "throttle": fl}, index=it_kw.index)
    df.attrs["summary"] = summary
    df.attrs["params"] = {**p, "lag_s": float(lag_s), "strategy": strategy, "kw_per_gpu": kpg,
                          "tuned_for_lag_s": summary["tuned_for_lag_s"],
                          "temp0_degc": p["temp_setpoint_degc"], "thermal_mass_kj_per_k": s["cap"]}
    return df


#: The throttle rule is decided once per step and held for the step: when one step at peak
#: demand moves the coolant by more than this share of ``hysteresis_k`` the throttled time and
#: energy lost depend on the step (the cooling_lag notebook's default case, 12 h of
#: :func:`training_load_kw` at its ``step_s``, 10-min pauses about every 30 min, seed 0, 90 s lag, default
#: loop mass, at any peak: 1,194 s throttled at 1 s, 1,242 s at 2 s, 1,700 s at 5 s, 3,000 s at 10 s;
#: ``tests/test_thermal_dynamics.py`` holds them), and :func:`simulate_lag` warns. [frac]
COARSE_STEP_BAND_FRAC = 0.5


def _warn_coarse_throttle(summary: dict, s: dict, p: dict) -> None:
    """Warn when a run throttled on a step coarser than 1 s that is too coarse for the throttle
    rule (see :data:`COARSE_STEP_BAND_FRAC`); a run that never throttled has no such figure to
    distort, and 1 s is the finest step the model takes (a narrower band than that resolves is
    in :func:`simulate_lag`'s notes)."""
    move_k = s["p_ref"] * s["dt"] / s["cap"]
    if s["dt"] > 1.0 and summary["throttle_events"] > 0 and move_k > COARSE_STEP_BAND_FRAC * p["hysteresis_k"]:
        warnings.warn(f"one {s['dt']:g} s step at the peak demand {s['p_ref']:,.0f} kW moves the coolant by "
                      f"{move_k:.3g} K, more than {COARSE_STEP_BAND_FRAC:g} x the {p['hysteresis_k']:g} K "
                      "hysteresis band, and the throttle is decided once per step: throttled time, episodes and "
                      f"energy lost grow with the step (here {summary['throttled_s']:,.0f} s throttled). Use a 1 s "
                      "step (it_kw resampled finer)", DcplanWarning, stacklevel=3)


def simc_tuning(peak_kw: float, lag_s: float, *, step_s: float = 1.0,
                loop_volume_l_per_kw: float = _LOOP_VOLUME_L_PER_KW) -> dict:
    """The default (SIMC) PI tuning for a plant lag, as ``band_k`` / ``ti_s`` keywords.

    Pass the result to :func:`simulate_lag` or :func:`sweep_lag` to hold a controller
    commissioned for ``lag_s`` while the plant's actual lag varies (``simulate_lag`` retunes
    the PI for the lag it simulates unless given a tuning; its ``tuned_for_lag_s`` keyword, and
    :func:`sweep_lag`'s, computes this same tuning). ``Kp = C / (2 theta)``, ``Ti = 8 theta``, ``theta = max(lag_s, step_s)``,
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


def sweep_lag(it_kw: pd.Series, lags_s, margins_frac, *, strategy: str = "reactive",
              tuned_for_lag_s: float | None = _LAG_S, **kwargs) -> pd.DataFrame:
    """Throttling summary for every (lag, margin) pair (summary-only runs).

    **One controller for every lag by default**: the PI keeps the SIMC gains for
    ``tuned_for_lag_s`` (default 90 s, ``DYNAMICS_DEFAULTS["lag_s"]``) while the plant's lag
    varies, so the sweep shows what a slower (or faster) plant does to a commissioned
    controller. ``tuned_for_lag_s=None`` retunes the PI for each lag (the default of
    :func:`simulate_lag`, and of this function in earlier versions); that answers a different
    question, and because a longer lag then gets a slower PI that unloads the plant less in a
    load pause, peak temperature and throttling can fall as the lag grows. Even with one tuning the
    time throttled can fall as the lag grows, with a hotter loop (module docstring, "Why a longer lag can
    throttle less"): ``lag_note`` says so on each such row. Explicit ``band_k`` / ``ti_s`` keywords override
    either.

    Parameters
    ----------
    it_kw : pandas.Series
        IT power demand (see :func:`simulate_lag`). [kW]
    lags_s, margins_frac : iterables of float
        Plant lags [s] and plant margins over peak IT [frac] to run (every pair).
    strategy : {"reactive", "reactive_hold", "predictive"}
    tuned_for_lag_s : float or None, default 90
        Lag the PI is tuned for, held for every case; None = retuned for each lag. [s]
    **kwargs
        Further keywords of :func:`simulate_lag`.

    Returns
    -------
    pandas.DataFrame
        One row per case: ``lag_s``, ``margin_frac`` and the summary keys of
        :func:`simulate_lag` (``tuned_for_lag_s`` says which tuning each row used), and ``lag_note``: ""
        or, for a row that throttles less than a shorter lag at its margin, why that is not a better plant
        (:func:`dcplan.thermal_lag_notes.lag_notes`). A warning of a case (temperatures not physical, say)
        names its strategy, lag, margin and tuning.
    """
    rows = []
    for lag in lags_s:
        for m in margins_frac:
            tuning = "retuned for the lag" if tuned_for_lag_s is None else f"PI tuned for {tuned_for_lag_s:g} s"
            with attributed_warnings(f"sweep_lag, {strategy}, plant lag {float(lag):g} s, margin {float(m):+.0%} "
                                     f"({tuning})"):
                r = simulate_lag(it_kw, lag_s=float(lag), margin_frac=float(m), strategy=strategy,
                                 tuned_for_lag_s=tuned_for_lag_s, summary_only=True, **kwargs)
            r["margin_frac"] = float(m)
            rows.append(r)
    df = pd.DataFrame(rows)
    from .thermal_lag_notes import lag_notes
    df["lag_note"] = lag_notes(df) if len(df) else pd.Series(dtype=object)
    return df


# the synthetic load (its own module, for length): re-exported here, where it was
from .thermal_dynamics_load import training_load_kw  # noqa: E402,F401


# the throttling summary of a run (its own module, for length): re-exported here, where it was
from .thermal_throttle import _episodes, restart_throttle_delays, summarize_throttling  # noqa: E402,F401
