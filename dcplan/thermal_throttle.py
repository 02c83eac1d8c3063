"""Throttling figures of a :func:`dcplan.thermal_dynamics.simulate_lag` run, recomputed from its
per-step output (part of :mod:`dcplan.thermal_dynamics`, which re-exports these; the model,
its equations and the sources of every default are there).

* :func:`summarize_throttling`: episodes, time throttled, GPU-hours spent throttled and the
  compute they lost, time above the limit, peak coolant, energy lost;
* :func:`restart_throttle_delays`: for each return of the load after a pause, the time to the
  first throttle and the state of the loop when the load came back;
* :func:`episode_rows`: where each throttle episode starts and ends.
"""
from __future__ import annotations

import numpy as np
import pandas as pd

from ._ts import step_s
from .errors import InputError
from .thermal_dynamics_limits import time_above_s

__all__ = ["summarize_throttling", "restart_throttle_delays", "episode_rows"]


def _defaults() -> dict:
    from .thermal_dynamics import DYNAMICS_DEFAULTS  # (that module imports this one)
    return DYNAMICS_DEFAULTS


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
        ``throttle_episodes`` (count; an episode runs from a throttle start until the hall is
        unthrottled with the coolant back within ``episode_recovery_k`` of its setpoint, so the
        on/off switching inside the hysteresis band while the plant catches up is one episode;
        module docstring), ``longest_episode_s`` (first to last throttled step of the longest
        episode, inclusive) [s], ``throttle_events`` (raw off -> on switches, chatter included:
        not a count of incidents), ``throttled_s`` [s], ``throttled_gpu_h`` (GPU-hours spent
        throttled, each GPU still working at ``throttle_power_frac`` of its power; all GPUs of the
        hall throttle together: not the compute lost; the hall's GPUs are ``max(it_kw) / kw_per_gpu``)
        [GPU-h], ``compute_lost_gpu_h`` (the compute lost, in full-power GPU-hours:
        ``energy_lost_kwh / kw_per_gpu``, taking a GPU's work as proportional to its power. Each
        throttled step loses ``(1 - throttle_power_frac)`` of that step's demand, so it equals
        ``throttled_gpu_h * (1 - throttle_power_frac)`` only when every throttled step is at the peak
        demand, and is less when the hall throttles below its peak) [GPU-h],
        ``time_above_limit_s`` (coolant above ``temp_limit_degc``, each step's crossing interpolated
        linearly between its start and end temperatures, not the step counted whole; throttling does not stop the
        coolant rising past the limit after a large rise, see "Overshoot after a large rise" in
        :mod:`dcplan.thermal_dynamics`' docstring) [s], ``peak_temp_degc`` (peak coolant temperature) [degC],
        ``energy_lost_kwh`` (IT energy not delivered because of throttling) [kWh].
        :func:`simulate_lag`'s summary adds the heat balance, the run's constants and
        ``tuned_for_lag_s`` (the lag the default PI gains were computed for; None when both
        ``band_k`` and ``ti_s`` were given).
    """
    prm = result.attrs.get("params", {})
    dt = step_s(result, "result")
    kpg = kw_per_gpu if kw_per_gpu is not None else prm.get("kw_per_gpu", _defaults()["kw_per_gpu"])
    lim = temp_limit_degc if temp_limit_degc is not None else prm.get("temp_limit_degc",
                                                                      _defaults()["temp_limit_degc"])
    fl = result["throttle"].to_numpy()
    starts = int(fl[0]) + int(np.count_nonzero(fl[1:] & ~fl[:-1]))
    t_set = prm.get("temp_setpoint_degc", _defaults()["temp_setpoint_degc"])
    t_rec = t_set + prm.get("episode_recovery_k", _defaults()["episode_recovery_k"])
    episodes, longest = _episodes(fl, result["temp_coolant_degc"].to_numpy(np.float64),
                                  prm.get("temp0_degc", t_set), t_rec)
    n_gpus = float(it_kw.max()) / kpg
    lost_kw = it_kw.to_numpy(np.float64) - result["it_after_throttle_kw"].to_numpy(np.float64)
    return {
        "throttle_episodes": episodes,
        "longest_episode_s": float(longest * dt),
        "throttle_events": starts,
        "throttled_s": float(fl.sum() * dt),
        "throttled_gpu_h": float(fl.sum() * dt * n_gpus / 3600.0),
        "compute_lost_gpu_h": float(lost_kw.sum() * dt / 3600.0 / kpg),
        "time_above_limit_s": time_above_s(result["temp_coolant_degc"].to_numpy(np.float64),
                                           prm.get("temp0_degc", t_set), lim, dt),
        "peak_temp_degc": float(result["temp_coolant_degc"].max()),
        "energy_lost_kwh": float(lost_kw.sum() * dt / 3600.0),
    }


def restart_throttle_delays(result: pd.DataFrame, it_kw: pd.Series, *, min_rise_frac: float = 0.25) -> pd.DataFrame:
    """Time from each return of the load to the hall's first throttle after it, with the loop's state then.

    A return is a step whose demand exceeds the previous step's by more than ``min_rise_frac`` of
    the run's peak demand (the end of a pause of :func:`training_load_kw`, whose noise moves a step
    by at most ``noise_frac``). In a pause the loop settles at the floor its supply sets at the
    pause's load (``Ts + P_pause / W``, eq. 4): the heat removed is held to that load by the floor,
    while the reactive PI, whose error stops growing there, winds the plant's command down only
    slowly. The state at each return says which: ``temp_coolant_degc`` at the floor and a command
    well above the pause's load.

    Parameters
    ----------
    result : pandas.DataFrame
        Per-step output of :func:`simulate_lag` (not ``summary_only``).
    it_kw : pandas.Series
        The demand that was simulated, on ``result``'s index. [kW]
    min_rise_frac : float, default 0.25
        Smallest rise from one step to the next that counts as a return, in (0, 1]. [frac]

    Returns
    -------
    pandas.DataFrame
        One row per return, indexed by the return step's timestamp: ``throttle_after_s`` (from the
        start of the return step to the start of the first throttled step at or after it and before
        the next return; NaN when the hall does not throttle in between) [s], ``temp_coolant_degc``
        (coolant as the load returns, the end of the step before) [degC], ``cooling_command_kw``
        (the plant command issued as the load returns) [kW], ``heat_removed_kw`` (mean heat
        removed over the step before the return) [kW].
    """
    dt = step_s(result, "result")
    if not it_kw.index.equals(result.index):
        raise InputError(f"must be on result's index (the demand simulate_lag was given), got {len(it_kw)} steps "
                         f"from {it_kw.index[0] if len(it_kw) else None} for {len(result)} from {result.index[0]}",
                         field="it_kw")
    if not 0.0 < float(min_rise_frac) <= 1.0:
        raise InputError(f"must be in (0, 1], got {min_rise_frac!r}", field="min_rise_frac")
    x = it_kw.to_numpy(np.float64)
    k = np.flatnonzero(np.diff(x) > float(min_rise_frac) * float(x.max())) + 1
    fl = result["throttle"].to_numpy(bool)
    nxt = np.r_[k[1:], len(x)]
    after = np.full(len(k), np.nan)
    for i, (a, b) in enumerate(zip(k, nxt)):
        j = np.flatnonzero(fl[a:b])
        if len(j):
            after[i] = j[0] * dt
    return pd.DataFrame({"throttle_after_s": after,
                         "temp_coolant_degc": result["temp_coolant_degc"].to_numpy(np.float64)[k - 1],
                         "cooling_command_kw": result["cooling_command_kw"].to_numpy(np.float64)[k],
                         "heat_removed_kw": result["heat_removed_kw"].to_numpy(np.float64)[k - 1]},
                        index=result.index[k])


def _episodes(flag: np.ndarray, temp_end_degc: np.ndarray, temp0_degc: float, temp_recovered_degc: float):
    """Throttle episodes and the longest one [steps] from per-step flags and end-of-step coolant.

    The kernel's rule, vectorized: row ``i`` starts with the coolant at ``temp_end[i - 1]``
    (``temp0`` for row 0); a throttle start opens a new episode only if some unthrottled row
    since the previous throttle interval started at or below ``temp_recovered_degc``.
    """
    first, last = episode_rows(flag, temp_end_degc, temp0_degc, temp_recovered_degc)
    if len(first) == 0:
        return 0, 0
    return int(len(first)), int((last - first).max())


def episode_rows(flag: np.ndarray, temp_end_degc: np.ndarray, temp0_degc: float,
                 temp_recovered_degc: float) -> tuple[np.ndarray, np.ndarray]:
    """Each throttle episode's first throttled row and the first unthrottled row after its last throttled one
    (``_episodes``' rule, which the kernel's ``throttle_episodes`` counts), as two integer arrays."""
    f = np.asarray(flag, dtype=bool)
    edge = np.diff(np.r_[0, f.astype(np.int8), 0])
    st, en = np.flatnonzero(edge == 1), np.flatnonzero(edge == -1)   # en: first unthrottled row
    if len(st) == 0:
        return np.zeros(0, np.int64), np.zeros(0, np.int64)
    top = np.r_[temp0_degc, np.asarray(temp_end_degc, dtype=np.float64)[:-1]]
    new = np.ones(len(st), dtype=bool)
    if len(st) > 1:
        seg = np.ravel(np.column_stack([en[:-1], st[1:]]))           # [en_0, st_1, en_1, st_2, ...]
        new[1:] = np.minimum.reduceat(top, seg)[::2] <= temp_recovered_degc
    ep = np.cumsum(new) - 1
    first = st[new]
    last = np.zeros(len(first), dtype=np.int64)
    np.maximum.at(last, ep, en)
    return first.astype(np.int64), last
