"""The cooling_lag notebook's run on the site's own fleet load: its 1 s series, low stretches and headlines.

The notebook's other seconds-resolution runs use the synthetic :func:`dcplan.thermal.training_load_kw`
(normalised to the peak, so the same at every site and fleet size). This module gives the run on the
site's own modelled IT load, :func:`dcplan.power.site_it_kw` at 1 s (every phase deployed), over
``days`` from mid-July (local midnight of :data:`WINDOW_START_MMDD` in the site's weather year and
time zone), and the index headlines of the notebook (``tests/test_cooling_lag_site.py``):

- :func:`fleet_index`, :func:`fleet_load_kw`: the window and the site's own 1 s IT load over it.
- :func:`window_capacity_kw`: the lowest hourly IT capacity of the site's plant (sized for its design IT)
  over the window's hours, held for the whole run (a worst case, as the notebook's hot-hour runs).
- :func:`low_stretches`: the load's stretches below :data:`LOW_FRAC` of its peak, each with its length,
  the plant command as the load returns and the time throttled from its end until the next stretch.
- :func:`fleet_results`: the ``publish`` entries, each label naming the site's own load; the site's
  control's four figures (throttled share, episodes, peak coolant, IT energy lost) are the headlines.

Why a long low stretch throttles and a short one does not (the model's, ``dcplan.thermal_dynamics``
"What reactive throttling is made of"): at a low load the loop falls to the floor its supply sets and
the plain PI's integral winds the plant's command down at ``Ki |e|`` towards the low load, the PI's own
steady state; a 60 s checkpoint dip barely moves it, a 30-90 min restart brings it most or all of the
way. When the load returns within a second the plant answers ``lag_s`` late and the 0.5 L/kW loop
fills its headroom to the throttle limit within tens of seconds.
"""
from __future__ import annotations

import numpy as np
import pandas as pd

from .errors import InputError

__all__ = ["WINDOW_START_MMDD", "LOW_FRAC", "LONG_LOW_S", "RESTART_WINDOW_S", "STRATEGIES", "TUNED_FOR_LAG_S", "TUNING_FAR_FACTOR",
           "fleet_index", "fleet_load_kw", "window_capacity_kw", "low_stretches", "fleet_run", "tuning_note",
           "interpolated_load_kw", "fleet_results", "unphysical_note", "restart_window_s", "episode_causes",
           "max_rise_frac", "rise_throttle_frac"]

#: First day of the window (month-day, local midnight in the site's time zone, the weather's year): mid-July,
#: the day the synthetic load's runs start on, in the hot season.
WINDOW_START_MMDD = "07-15"
#: A stretch of the load below this share of its peak is a low stretch (a checkpoint dip, a restart, a queue
#: gap) [frac]: a convention for reporting, not physics (the training profile's checkpoints and restarts sit at
#: 10 % and 5 % utilisation, 26-30 % of the peak IT power with the servers' idle draw).
LOW_FRAC = 0.5
#: A low stretch at least this long is counted as a long one [s]: 10 min, the synthetic load's default pause; a
#: training checkpoint lasts 60 s and a restart at least one 30 min checkpoint period by default
#: (``dcplan.specs.fleet.PROFILE_PARAMS``). A reporting convention.
LONG_LOW_S = 600.0
#: An episode of the site's own load that starts within this long [s] of the end of a low stretch (the first step
#: back above :data:`LOW_FRAC`, the load's return) is counted as that return's (:func:`episode_causes`), any other as
#: a load rise's with no low stretch just before it: 10 min, as :data:`LONG_LOW_S`; a reporting convention. Why: at the
#: return the loop's headroom from its supply floor to the 45 degC limit (about 12 K x ``C``, 25 s of the hall's full
#: IT at 0.5 L/kW) is used up within tens of seconds to minutes while the plant answers ``lag_s`` late, 95 % of a
#: command step ``d + 3 tau`` after it (210 s at 90 s); on Northern Virginia's own week every episode starts 24-172 s
#: after a return (``tests/test_cooling_lag_causes.py``). :func:`restart_window_s` widens it to ``d + 3 tau`` for a
#: plant lag above about 257 s.
RESTART_WINDOW_S = 600.0
#: The controllers run on the site's own load (``dcplan.thermal.simulate_lag``'s strategies).
STRATEGIES = ("reactive", "reactive_hold", "predictive")
#: The lag [s] the PI of the notebook's runs is commissioned (SIMC-tuned) for, held whatever the site's
#: ``cooling.lag_s``: ``DYNAMICS_DEFAULTS["lag_s"]``, the 90 s reference lag, as :func:`dcplan.thermal.sweep_lag`
#: holds by default. A PI retuned for each site's lag gets slower as the lag grows and unloads the plant less in
#: a low stretch, so a longer lag read as less throttling (Northern Virginia's own week, reactive, on the hall sized
#: for its design IT at its window's lowest-hour capacity: 2.58 % of the time at 60 s, 0.030 % at 600 s; 2.59 % and
#: 0.004 % on the window-sized hall of the first finding). With one controller a slower plant runs hotter, but its
#: time throttled can still fall as the lag grows (that week, PI held at 90 s: 2.55 % at 90 s, 2.57 % at 120 s, 2.54 %
#: at 150 s, 2.48 % at 180 s, 2.09 % at 300 s, with the coolant past 60 degC from 90 s, 61.7 degC, and the die past
#: its shutdown from 180 s), because a larger overshoot brings the PI to the full load sooner
#: (:mod:`dcplan.thermal_lag_notes`; the labels say so; ``tests/test_cooling_lag_tuning.py``).
TUNED_FOR_LAG_S = 90.0
#: A site lag more than this factor from :data:`TUNED_FOR_LAG_S` (below 45 s or above 180 s) gets a warning that
#: its figures are of a PI commissioned for another lag [ratio]: a reporting convention (a factor 2 doubles or
#: halves the SIMC gains, ``Kp = C / (2 theta)``).
TUNING_FAR_FACTOR = 2.0


def fleet_index(spec, days: float) -> pd.DatetimeIndex:
    """1 s interval-ending steps over ``days`` from local midnight of :data:`WINDOW_START_MMDD` in the
    site's weather year (``spec.weather.year``) and time zone (``spec.timezone``)."""
    n = int(round(float(days) * 86400))
    if n < 1:
        raise InputError(f"{days!r} d gives no 1 s step; allowed: > 0 d", field="site_days")
    start = pd.Timestamp(f"{int(spec.weather.year)}-{WINDOW_START_MMDD}", tz=spec.timezone)
    return pd.date_range(start + pd.Timedelta(seconds=1), periods=n, freq="1s")


def fleet_load_kw(spec, days: float) -> pd.Series:
    """The site's own IT load [kW] at 1 s over :func:`fleet_index` (``power.site_it_kw``, every phase
    deployed: the full build-out, as the design IT)."""
    from . import power
    return power.site_it_kw(spec, fleet_index(spec, days), deployed="all")


def window_capacity_kw(capacity_it_kw: pd.Series, index: pd.DatetimeIndex) -> float:
    """Lowest hourly IT capacity [kW] among the hours (interval-ending labels) that overlap ``index``'s
    span; ``capacity_it_kw`` is the hourly plant's ``capacity_it_kw`` (any tz-aware index)."""
    t0 = index[0] - pd.Timedelta(seconds=float(index.freq.nanos) / 1e9)
    t1 = index[-1]
    cap = capacity_it_kw[(capacity_it_kw.index > t0) & (capacity_it_kw.index - pd.Timedelta(hours=1) < t1)]
    if cap.empty:
        raise InputError(f"no hour of the plant's year ({capacity_it_kw.index[0]} to {capacity_it_kw.index[-1]}) "
                         f"overlaps the window {t0} to {t1}; allowed: a window inside the weather year",
                         field="site_days")
    return float(cap.min())


def low_stretches(it_kw: pd.Series, run: pd.DataFrame | None = None, low_frac: float = LOW_FRAC) -> pd.DataFrame:
    """The load's stretches below ``low_frac`` of its peak (a stretch still running at the window's end is
    left out: the load's return is not in the run).

    Returns one row a stretch: ``start`` and ``end`` (labels of its first step and of the first step back
    above), ``length_s`` [s], ``long`` (at least :data:`LONG_LOW_S`), and with ``run`` (a
    ``simulate_lag`` result on ``it_kw``): ``command_at_return_frac`` (the plant's command in the return's
    step, as a share of the peak), ``recovered_before`` (the stretch starts unthrottled with the coolant
    within ``episode_recovery_k`` of its setpoint: no earlier episode still open, so throttling after it is
    its own) and ``throttled_after_s`` [s] (throttled steps from the return until the next stretch starts
    or the run ends, times the step).
    """
    x = it_kw.to_numpy(dtype=float)
    low = x < float(low_frac) * x.max()
    edge = np.diff(np.concatenate(([0], low.astype(np.int8), [0])))
    starts, ends = np.flatnonzero(edge == 1), np.flatnonzero(edge == -1)
    keep = ends < len(x)
    starts, ends = starts[keep], ends[keep]
    dt = float(it_kw.index.freq.nanos) / 1e9 if it_kw.index.freq is not None else 1.0
    out = pd.DataFrame({"start": it_kw.index[starts], "end": it_kw.index[ends],
                        "length_s": (ends - starts) * dt})
    out["long"] = out["length_s"] >= LONG_LOW_S
    if run is not None:
        thr = run["throttle"].to_numpy()
        cmd = run["cooling_command_kw"].to_numpy(dtype=float)
        nxt = np.append(starts[1:], len(x))
        out["command_at_return_frac"] = cmd[ends] / x.max()
        temp = run["temp_coolant_degc"].to_numpy(dtype=float)
        prm = run.attrs.get("params", {})
        near = prm.get("temp_setpoint_degc", 40.0) + prm.get("episode_recovery_k", 0.5)
        before = np.maximum(starts - 1, 0)  # the coolant at the start of the stretch's first step
        out["recovered_before"] = (temp[before] <= near + 1e-9) & ~thr[before]
        out["throttled_after_s"] = [float(thr[a:b].sum()) * dt for a, b in zip(ends, nxt)]
    return out


def restart_window_s(lag_s: float, delay_frac: float = 1.0 / 3.0) -> float:
    """The window [s] after a low stretch's end within which an episode's start is counted as the return's: the
    longer of :data:`RESTART_WINDOW_S` and ``d + 3 tau = lag_s (3 - 2 delay_frac)`` (``d = delay_frac lag_s``,
    ``tau = lag_s - d``: 95 % of a command step has reached the plant, ``dcplan.thermal_dynamics`` eq. 3).

    >>> restart_window_s(90.0), restart_window_s(600.0)
    (600.0, 1400.0)
    """
    return max(RESTART_WINDOW_S, float(lag_s) * (3.0 - 2.0 * float(delay_frac)))


def rise_throttle_frac(lag_s: float = TUNED_FOR_LAG_S) -> float:
    """The sustained 1-s rise, as a share of the hall's IT [frac], whose peak PI error ``dP / Kp`` reaches the
    throttle limit: ``(temp_limit - setpoint) Kp / hall``, ``Kp = C / (2 theta)`` (SIMC, ``theta`` the lag the PI is
    commissioned for), ``C = loop_volume_l_per_kw x 4.186 x hall``: 5 K x 2.093 / 180 s = 5.8 % at the defaults. A
    guide, not a bound: the lagged plant lets a smaller rise's error grow past ``dP / Kp``, and rises within minutes
    of each other add up.

    >>> round(rise_throttle_frac(), 4)
    0.0581
    """
    from .thermal_dynamics import DYNAMICS_DEFAULTS as d
    from .thermal_dynamics_kernel import _CP_WATER
    kp_per_kw = d["loop_volume_l_per_kw"] * _CP_WATER / (2.0 * max(float(lag_s), 1.0))
    return (d["temp_limit_degc"] - d["temp_setpoint_degc"]) * kp_per_kw


def max_rise_frac(it_kw: pd.Series, hall_kw: float) -> float:
    """The load's largest rise from one step to the next as a share of ``hall_kw`` [frac] (0 for a load that never
    rises)."""
    x = it_kw.to_numpy(dtype=float)
    return float(max(np.diff(x).max(initial=0.0), 0.0) / float(hall_kw)) if len(x) > 1 else 0.0


def episode_causes(it_kw: pd.Series, run: pd.DataFrame, *, window_s: float = RESTART_WINDOW_S,
                   low_frac: float = LOW_FRAC, hall_kw: float | None = None) -> pd.DataFrame:
    """What each throttle episode of ``run`` (a per-step :func:`dcplan.thermal.simulate_lag` result on ``it_kw``)
    follows: the end of a low stretch (:func:`low_stretches`) within ``window_s`` [s] before its first throttled
    step, or not (a load rise with no low stretch just before it).

    Returns one row an episode (as the summary's ``throttle_episodes`` counts them): ``start`` (label of its first
    throttled step), ``since_return_s`` [s] (from the latest low stretch's return step at or before it; NaN when
    none), ``low_length_s`` [s] (that stretch's length), ``after_low`` (``since_return_s <= window_s``), ``after_long``
    (and that stretch at least :data:`LONG_LOW_S`) and ``rise_before_frac`` (the largest 1-step rise of the load in
    the ``window_s`` up to the start, a share of ``hall_kw`` [kW], None: of the load's peak). No second run: the
    episodes are read from ``run``'s own flags and coolant.
    """
    from .thermal_throttle import episode_rows
    prm = run.attrs.get("params", {})
    t_set = prm.get("temp_setpoint_degc", 40.0)
    first, _ = episode_rows(run["throttle"].to_numpy(bool), run["temp_coolant_degc"].to_numpy(np.float64),
                            prm.get("temp0_degc", t_set), t_set + prm.get("episode_recovery_k", 0.5))
    dt = float(it_kw.index.freq.nanos) / 1e9 if it_kw.index.freq is not None else 1.0
    st = low_stretches(it_kw, low_frac=low_frac)
    ret = it_kw.index.get_indexer(st["end"])
    j = np.searchsorted(ret, first, side="right") - 1  # the latest return at or before each start (-1: none)
    has = j >= 0
    ret_, len_ = np.r_[ret, 0], np.r_[st["length_s"].to_numpy(dtype=float), np.nan]  # j = -1 reads the pad
    since = np.where(has, (first - ret_[j]) * dt, np.nan)
    length = np.where(has, len_[j], np.nan)
    x = it_kw.to_numpy(dtype=float)
    rise = np.r_[0.0, np.diff(x)]
    w = max(int(round(float(window_s) / dt)), 1)
    ref = float(hall_kw) if hall_kw else x.max()
    rise_before = np.array([rise[max(k - w + 1, 0):k + 1].max() for k in first]) / ref if len(first) else []
    after = has & (since <= float(window_s))
    return pd.DataFrame({"start": it_kw.index[first], "since_return_s": since, "low_length_s": length,
                         "after_low": after, "after_long": after & (length >= LONG_LOW_S),
                         "rise_before_frac": rise_before})


def fleet_run(it_kw: pd.Series, strategy: str, *, lag_s: float, hall_kw: float | None = None, **kwargs):
    """One run of the notebook's: :func:`dcplan.thermal.simulate_lag` at the site's ``lag_s`` [s] with the PI
    commissioned for :data:`TUNED_FOR_LAG_S` (not retuned for ``lag_s``); ``kwargs`` go to ``simulate_lag``.

    ``hall_kw`` [kW] is the IT load the generic hall is built for (its loop flow, mass and so its PI gains): the
    notebook passes the site's design IT, the hall the site builds. None sizes it on ``max(it_kw)``, the window's
    own peak: a smaller hall for a part-loaded fleet, whose figures then depend on the window (Phoenix's own week,
    peak 84 % of its design IT: 69 episodes and 990 s throttled on that hall, 13 and 189 s on its design-IT hall;
    ``tests/test_cooling_lag_site.py``)."""
    from . import thermal
    return thermal.simulate_lag(it_kw, lag_s=lag_s, strategy=strategy, tuned_for_lag_s=TUNED_FOR_LAG_S,
                                hall_kw=hall_kw, **kwargs)


def tuning_note(lag_s: float) -> str | None:
    """Words for a warning when the site's lag [s] is more than :data:`TUNING_FAR_FACTOR` from the lag the PI is
    commissioned for, else None.

    >>> tuning_note(90.0) is None
    True
    >>> tuning_note(600.0)[:54]
    "the site's lag_s 600 s is 6.7 x the 90 s the PI of the"
    """
    lag, ref = float(lag_s), TUNED_FOR_LAG_S
    if ref / TUNING_FAR_FACTOR <= lag <= ref * TUNING_FAR_FACTOR:
        return None
    how = f"{lag / ref:.2g} x" if lag else "far from"
    return (f"the site's lag_s {lag:g} s is {how} the {ref:g} s the PI of these runs is commissioned for (SIMC, held "
            f"for every lag so that a slower plant reads as one, not as a slower, gentler controller): the "
            f"throttling figures are those of a {ref:g} s controller on this plant; a PI retuned for {lag:g} s "
            "would throttle differently (a slower one unloads the plant less in a low stretch but recovers later); "
            "and with this one a longer lag can throttle less while the loop runs hotter, its larger overshoot "
            "bringing the PI to the full load sooner: not a better plant")


def interpolated_load_kw(it_kw: pd.Series, data_step_s: float) -> pd.Series:
    """``it_kw`` (a fine series holding a coarse file's value over each ``data_step_s`` [s] interval, interval
    ending on the multiples of ``data_step_s`` since the epoch) interpolated linearly between the intervals'
    mid-points (held flat before the first and after the last): the same coarse series without its one-step
    jumps at the interval boundaries [kW]."""
    dt = float(it_kw.index.freq.nanos) / 1e9
    epoch = pd.Timestamp(0, tz="UTC")
    start_s = (it_kw.index - epoch).total_seconds().to_numpy() - dt  # each step's start [s since the epoch]
    block = np.floor((start_s + 1e-6) / float(data_step_s))
    centre = start_s + dt / 2
    x = it_kw.to_numpy(dtype=float)
    g = pd.DataFrame({"b": block, "c": centre, "x": x}).groupby("b")
    mids = (g["b"].first().to_numpy() + 0.5) * float(data_step_s)
    return pd.Series(np.interp(centre, mids, g["x"].mean().to_numpy()), index=it_kw.index, name=it_kw.name)


def unphysical_note(summary: dict) -> str:
    """``"; NOT PHYSICAL: ..."`` for the labels of a run whose coolant passed
    :data:`~dcplan.thermal_dynamics_limits.COOLANT_MAX_DEGC` or whose GPU die passed
    :data:`~dcplan.thermal_dynamics_limits.DIE_SHUTDOWN_DEGC` (``summary`` of
    :func:`dcplan.thermal.simulate_lag`), else "". The run's warning says so too; its figures, the
    index's headlines among them, carry it in their labels (Northern Virginia's reactive peak of 61.4 °C,
    326 s above the 60 °C maximum on the window-sized hall then, 61.7 °C and 372 s on its design-IT hall now, was
    published bare).

    >>> unphysical_note({"coolant_above_max_s": 326.0, "die_above_shutdown_s": 0.0})
    "; NOT PHYSICAL: the coolant is above its 60 °C stated maximum for 326 s (the model sheds no further load \
there): read as the model's figures, not a real hall's"
    """
    from .thermal_dynamics_limits import COOLANT_MAX_DEGC, DIE_SHUTDOWN_DEGC
    parts = []
    if summary.get("die_above_shutdown_s", 0.0) > 0:
        parts.append(f"the GPU die is above its {DIE_SHUTDOWN_DEGC:g} °C shutdown temperature for "
                     f"{summary['die_above_shutdown_s']:,.0f} s (a real hall's GPUs would trip)")
    if summary.get("coolant_above_max_s", 0.0) > 0:
        parts.append(f"the coolant is above its {COOLANT_MAX_DEGC:g} °C stated maximum for "
                     f"{summary['coolant_above_max_s']:,.0f} s (the model sheds no further load there)")
    return (f"; NOT PHYSICAL: {' and '.join(parts)}: read as the model's figures, not a real hall's" if parts
            else "")


def fleet_results(runs: dict, control: str, *, site_name: str, days: float, run_s: float, capacity_kw: float,
                  n_long: int, n_low: int, lag_s: float, data_note: str | None = None, own_plant: str | None = None,
                  interpolated: dict | None = None, lag_note: str = "", hall_kw: float | None = None,
                  causes: dict | None = None) -> dict:
    """The notebook's ``publish`` entries of the runs on the site's own load, ``{key: (value, unit, label)}``,
    and which keys are headlines.

    Parameters
    ----------
    runs : dict
        Summaries by strategy (:data:`STRATEGIES`), ``simulate_lag(..., summary_only=True)`` or
        ``result.attrs["summary"]``.
    control : str
        The site's control (``cooling.control``): its four figures are the headlines.
    site_name, days, run_s, capacity_kw, n_long, n_low, lag_s
        The site's name, the window [d], its length [s], the plant capacity of the runs [kW], the
        load's long and all low stretches in the window [count] and the plant's lag [s] (the PI is
        commissioned for :data:`TUNED_FOR_LAG_S`), named in the labels.
    data_note : str, optional
        What the 1 s load rests on when the site's measured load file is coarser (an hourly file, held over
        each hour: :func:`dcplan.workload_data.held_note`), added to every label naming the load.
    own_plant : str, optional
        The site's own plant in words (``"air"``, ``"W45 liquid"``) when it is not a W32 liquid one like the
        generic hall's: every label then starts "not this site's <own_plant> plant:" (a Phoenix air site's
        headline read as its own throttling). None: the site's plant is W32 liquid.
    interpolated : dict, optional
        With ``data_note``: the summary of ``control``'s run on the coarse series interpolated between its
        values (:func:`interpolated_load_kw`); the labels of ``control``'s figures then say that the held
        series' throttling comes from its one-step jumps and give the interpolated run's.
    lag_note : str, optional
        ``"; a plant with a ... s lag throttles less ..."`` (:func:`dcplan.thermal_lag_notes.longer_lag_clause`)
        added to ``control``'s time-throttled and energy-lost labels: less throttling at a longer lag is not a
        better plant.
    hall_kw : float, optional
        The IT load the runs' hall is sized for (:func:`fleet_run`), the site's design IT in the notebook [kW]:
        the labels name it.
    causes : dict, optional
        What ``control``'s episodes follow (:func:`episode_causes` on its per-step run): ``after_low``,
        ``after_long`` and ``other`` [episodes], ``window_s`` [s] and the load's ``max_rise_frac`` (:func:`max_rise_frac`
        of ``hall_kw``); published as ``lag_fleet_episodes_after_low_stretch_<control>``,
        ``lag_fleet_episodes_after_long_low_stretch_<control>``, ``lag_fleet_episodes_other_<control>`` and
        ``lag_fleet_max_rise_frac``.

    Returns
    -------
    dict
        ``entries`` (``{key: (value, unit, label)}``) and ``headlines`` (the keys to publish as headlines).
    """
    load = (f"{site_name}'s own fleet load (power.site_it_kw at 1 s, every phase deployed), {days:g} d from "
            f"mid-July with {n_long} low stretches of {LONG_LOW_S / 60:g} min or more ({n_low} in all); generic "
            f"W32 liquid hall" + (f" sized for the site's design IT ({hall_kw:,.0f} kW)" if hall_kw else "")
            + f", {lag_s:g} s plant lag, PI commissioned for {TUNED_FOR_LAG_S:g} s (held whatever the "
            f"lag), plant capacity {capacity_kw:,.0f} kW" + (f"; {data_note}" if data_note else ""))
    pre = f"not this site's {own_plant} plant: " if own_plant else ""
    entries = {}
    for s in STRATEGIES:
        r = runs[s]
        own = " (this site's control)" if s == control else ""
        phys = unphysical_note(r)
        lagged = lag_note if s == control else ""
        if s == control and data_note and interpolated is not None:
            phys += (f"; the throttling of this held series comes from its one-step jumps at the data's interval "
                     f"boundaries (the same series interpolated linearly between its values: "
                     f"{interpolated['throttled_s'] / run_s:.3%} of the time throttled, "
                     f"{interpolated['throttle_episodes']} episodes, {interpolated['energy_lost_kwh']:,.0f} kWh lost; "
                     "the file says nothing of how fast the load changes within an interval)")
        entries |= {
            f"lag_fleet_throttled_frac_{s}": (r["throttled_s"] / run_s, "frac",
                                              pre + f"share of time throttled, {s}{own}, {load}{phys}{lagged}"),
            f"lag_fleet_throttled_s_{s}": (r["throttled_s"], "s",
                                           pre + f"time throttled, {s}{own}, {load}{phys}{lagged}"),
            f"lag_fleet_episodes_{s}": (r["throttle_episodes"], "episodes",
                                        pre + f"throttle episodes, {s}{own}, {load}{phys}"),
            f"lag_fleet_peak_temp_degc_{s}": (r["peak_temp_degc"], "°C",
                                              pre + f"peak coolant temperature, {s}{own}, {load}{phys}"),
            f"lag_fleet_energy_lost_kwh_{s}": (r["energy_lost_kwh"], "kWh",
                                               pre + f"IT energy lost to throttling, {s}{own}, {load}{phys}{lagged}"),
        }
    entries |= {
        "lag_fleet_days": (float(days), "d",
                           f"{pre}window of the generic liquid hall's runs on {site_name}'s own fleet load, "
                           "from mid-July"),
        "lag_fleet_capacity_kw": (float(capacity_kw), "kW",
                                  f"{pre}plant capacity of the generic liquid hall's runs on {site_name}'s own fleet "
                                  "load: "
                                  "the lowest hourly IT capacity of the site's plant (sized for its design IT) in the window, held for "
                                  "the whole run"),
        "lag_fleet_long_low_stretches": (int(n_long), "count",
                                         f"stretches of {site_name}'s own fleet load below {LOW_FRAC:.0%} of its peak "
                                         f"for {LONG_LOW_S / 60:g} min or more in the window of the generic liquid hall's "
                                         "runs (restarts, long gaps)"),
    }
    if causes is not None:
        c, win = causes, f"{causes['window_s']:g} s"
        phys = unphysical_note(runs[control])
        guide = f"{rise_throttle_frac():.1%}"
        entries |= {
            f"lag_fleet_episodes_after_low_stretch_{control}": (
                int(c["after_low"]), "episodes",
                pre + f"throttle episodes starting within {win} of the end of a low stretch of the load (below "
                f"{LOW_FRAC:.0%} of its peak: a restart, a checkpoint dip), {control} (this site's control), of "
                f"{runs[control]['throttle_episodes']} in all ({c['after_long']} after a stretch of "
                f"{LONG_LOW_S / 60:g} min or more; the window covers the return's throttling, the loop's headroom used "
                f"up while the plant answers late), {load}{phys}"),
            f"lag_fleet_episodes_after_long_low_stretch_{control}": (
                int(c["after_long"]), "episodes",
                pre + f"throttle episodes starting within {win} of the end of a low stretch of {LONG_LOW_S / 60:g} "
                f"min or more (a restart), {control} (this site's control), {load}{phys}"),
            f"lag_fleet_episodes_other_{control}": (
                int(c["other"]), "episodes",
                pre + f"throttle episodes with no low stretch ending in the {win} before their start (a load rise: "
                f"a sustained 1-s rise above about {guide} of the hall's IT throttles on its own, the PI's peak error "
                f"dP / Kp, Kp = C / (2 x {TUNED_FOR_LAG_S:g} s), passing the 5 K from setpoint to limit; smaller rises "
                f"close together add up), {control} (this site's control), {load}{phys}"),
            "lag_fleet_max_rise_frac": (
                float(c["max_rise_frac"]), "frac",
                f"largest 1-s rise of {site_name}'s own fleet load in the window, as a share of "
                + (f"the site's design IT ({hall_kw:,.0f} kW)" if hall_kw else "the window's peak")
                + f" (about {guide} or more can throttle the same hall as the runs above with no low "
                "stretch before it)" + (f"; {data_note}" if data_note else "")),
        }
    headlines = [f"lag_fleet_{k}_{control}" for k in ("throttled_frac", "episodes", "peak_temp_degc",
                                                      "energy_lost_kwh")]
    return {"entries": entries, "headlines": headlines}
