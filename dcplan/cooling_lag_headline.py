"""The cooling_lag notebook's worst-hour headline and its lag decomposition, values and labels.

The notebook runs :func:`dcplan.thermal.simulate_lag` and publishes; the rules and the words its
headline and decomposition rest on are here, with tests (``tests/test_cooling_lag_headline.py``):

- :func:`load_returns`: how often the synthetic load comes back from a pause, by
  :func:`dcplan.thermal_throttle.restart_throttle_delays`' rule (a rise of more than
  :data:`RETURN_RISE_FRAC` of the peak in one step).
- :func:`worst_hour_headline`: ``lag_year_worst_hour_throttled_frac_<control>``, the share of the
  run the generic hall throttles at the typical year's lowest-capacity hour under the site's
  control, with its label: whether that hour's capacity binds (the PI's command reaches it for at
  least one step), what the figure rests on, and the reactive_hold controller's share at the same
  hour. A run in which the load never returns from a pause and nothing throttles publishes an
  n/a text, not 0 %: nothing tested the controller.
- :func:`lag_decomposition`: the reactive run split into what the same PI (same tuning) throttles
  on a plant with a 0 s lag and what the lag adds (run minus the 0 s plant), with the
  reactive_hold controller's figure at the same lag in each lag-part label.

Every function takes the runs' summaries (the dicts ``simulate_lag`` returns with
``summary_only=True``, or ``result.attrs["summary"]``) and returns plain values and texts.
"""
from __future__ import annotations

import numpy as np

from .cooling_lag_site import TUNED_FOR_LAG_S

__all__ = ["RETURN_RISE_FRAC", "load_returns", "worst_hour_headline", "lag_decomposition", "lag_decomposition_line"]

#: Smallest one-step rise of the demand, as a share of its peak, that counts as the load returning
#: from a pause [frac]: the default ``min_rise_frac`` of
#: :func:`dcplan.thermal_throttle.restart_throttle_delays` (the synthetic load drops to 30 % of peak
#: in a pause, so its return is a 70 % rise; jitter within a phase is far below 25 %).
RETURN_RISE_FRAC = 0.25


def load_returns(it_kw, min_rise_frac: float = RETURN_RISE_FRAC) -> int:
    """Number of steps whose demand exceeds the previous step's by more than ``min_rise_frac`` of the peak.

    Parameters
    ----------
    it_kw : pandas.Series or array-like
        IT demand, one value a step [kW].
    min_rise_frac : float, default :data:`RETURN_RISE_FRAC`
        Smallest rise that counts as a return, as a share of the demand's maximum [frac].

    Returns
    -------
    int
        Returns of the load from a pause [count]; 0 for a load that never rises that much (a run
        shorter than its first pause).
    """
    x = np.asarray(it_kw, dtype=np.float64)
    if x.size < 2:
        return 0
    return int((np.diff(x) > float(min_rise_frac) * float(x.max())).sum())


def _where(summary: dict) -> str:
    """Whether the hour's capacity binds, in the label's words."""
    if summary["capacity_bound_s"] > 0:
        return f"that hour's capacity, which binds ({summary['capacity_bound_s']:,.0f} s with the command at it)"
    return ("that hour's capacity, which never binds (the command stays below it, so any larger plant throttles the "
            "same: the figure is the controller's on the synthetic pauses, not the plant's)")


def worst_hour_headline(runs: dict, control: str, *, run_s: float, n_returns: int, hours: float, lag_s: float,
                        low_s: float, period_s: float, hall: str, own_plant: str, generic_plant: bool) -> dict:
    """The worst-hour headline: its key, value, unit, label and the line the notebook prints.

    Parameters
    ----------
    runs : dict
        Summaries of the runs at the typical year's lowest capacity by strategy: ``control``'s and
        ``"reactive_hold"``'s, each with ``throttled_s`` [s] and ``capacity_bound_s`` [s].
    control : str
        The site's control (``cooling.control``), the headline's strategy.
    run_s : float
        Simulated duration of the runs [s].
    n_returns : int
        Returns of the load from a pause in the run (:func:`load_returns`).
    hours, lag_s, low_s, period_s : float
        The run's duration [h], the site's lag the PI is tuned for [s], the pause length [s] and
        the pauses' mean spacing [s], named in the label.
    hall : str
        The generic hall, in words (its peak IT named).
    own_plant : str
        The site's own plant in words (``"W45 liquid"``, ``"air"``), named when it is not the
        generic W32 liquid one.
    generic_plant : bool
        True when the site's plant is a W32 liquid one, like the generic hall's.

    Returns
    -------
    dict
        ``key`` (``lag_year_worst_hour_throttled_frac_<control>``), ``value`` (the throttled share
        [frac], or an n/a text when the load never returns from a pause and nothing throttles),
        ``unit`` (``"frac"``, None for the n/a text), ``label``, ``binds`` (the capacity binds for
        at least one step), ``hold_frac`` (reactive_hold's throttled share [frac]), ``where``,
        ``rests`` (the label's parts) and ``line`` (the notebook's printed summary).
    """
    yc = runs[control]
    binds = yc["capacity_bound_s"] > 0
    where = _where(yc)
    rests = (f"{control} PI commissioned for {TUNED_FOR_LAG_S:g} s, {lag_s:g} s plant lag (the site's control "
             f"setting); {hours:g} h synthetic bursty load, "
             f"{low_s:g}-s pauses about every {period_s:g} s, and it swings with them")
    hold_frac = runs["reactive_hold"]["throttled_s"] / run_s  # the held-integral PI at the same hour, load and lag
    value = (yc["throttled_s"] / run_s if n_returns or yc["throttled_s"] > 0 else
             f"n/a: the load never returns from a pause in this {hours:g} h run (no pause within it), so nothing "
             "tests the controller; 0 % would read as no throttling")
    is_frac = isinstance(value, float)
    # a headline on the index beside the site's own figures: a site whose plant is not a W32 liquid one reads
    # first that it is not its own plant's (a Phoenix air plant's 2.76 % was read as Phoenix's own throttling)
    label = ((f"share of time the {hall} throttles at {where}, {control} " if generic_plant else
              f"not this site's {own_plant} plant: share of time a {hall} throttles at {where}, {control} ")
             + f"(rests on: {rests})"
             + (f"; reactive_hold at the same hour: {100 * hold_frac:.2f} %" if is_frac else ""))
    line = (f"headline, {control} at the typical year's lowest capacity: "
            + (f"{value:.2%} of the run throttled; " if is_frac else f"{value}; ")
            + ("the capacity binds" if binds else "the capacity never binds (a larger plant throttles the same)")
            + f"; reactive_hold at the same hour: {hold_frac:.2%}"
            + f"; {n_returns} returns of the load from a pause")
    return {"key": f"lag_year_worst_hour_throttled_frac_{control}", "value": value,
            "unit": "frac" if is_frac else None, "label": label, "binds": binds, "hold_frac": hold_frac,
            "where": where, "rests": rests, "line": line}


def lag_decomposition(reactive: dict, no_lag: dict, hold: dict, *, lag_s: float, gh: str) -> dict:
    """What the reactive PI throttles on a 0 s plant and what the lag adds, as ``publish`` entries.

    Parameters
    ----------
    reactive : dict
        Summary of the reactive run at the site's lag: ``throttled_s`` [s], ``energy_lost_kwh`` [kWh].
    no_lag : dict
        Summary of the same PI (same tuning) on a plant with a 0 s lag, same fields.
    hold : dict
        Summary of the reactive_hold run at the site's lag, same fields (named in the labels).
    lag_s : float
        The site's lag [s].
    gh : str
        Short tag of the generic hall, closing each label.

    Returns
    -------
    dict
        ``{key: (value, unit, label)}`` in publishing order: ``lag_throttled_s_reactive_no_lag``,
        ``lag_throttled_s_reactive_lag_part`` (reactive minus no_lag) [s],
        ``lag_energy_lost_kwh_reactive_no_lag``, ``lag_energy_lost_kwh_reactive_lag_part`` [kWh].
        Neither part is throttling the lag causes by itself: both come from the PI's integral
        winding the plant down in the pauses; the labels give reactive_hold's figure beside them. A
        negative lag part (the 0 s plant throttles more) is labelled so, not "what the lag adds".
    """
    d_s = reactive["throttled_s"] - no_lag["throttled_s"]
    d_kwh = reactive["energy_lost_kwh"] - no_lag["energy_lost_kwh"]
    # negative: the 0 s plant throttles more than the lagged one (the PI, not the lag, sets the throttling there;
    # a 30 s lag's part was -210 s, published as "what the 30 s lag adds")
    what_s = (f"what the {lag_s:g} s lag adds to" if d_s >= 0 else
              f"negative: the same PI throttles less with the {lag_s:g} s lag than on a 0 s plant, so the controller, "
              "not the lag, sets")
    what_kwh = (f"what the {lag_s:g} s lag adds to" if d_kwh >= 0 else
                f"negative: the same PI loses less with the {lag_s:g} s lag than on a 0 s plant, so the controller, "
                "not the lag, sets")
    return {
        "lag_throttled_s_reactive_no_lag": (no_lag["throttled_s"], "s",
                                            f"time throttled, reactive, the same PI (commissioned for "
                                            f"{TUNED_FOR_LAG_S:g} s) on a 0 s "
                                            f"plant: what the controller throttles without any lag ({gh})"),
        "lag_throttled_s_reactive_lag_part": (d_s, "s",
                                              f"time throttled, reactive: {what_s} this "
                                              f"controller's throttling (a held-integral controller, reactive_hold, "
                                              f"throttles {hold['throttled_s']:,.0f} s at the same lag; run minus the "
                                              f"0 s plant, same PI; {gh})"),
        "lag_energy_lost_kwh_reactive_no_lag": (no_lag["energy_lost_kwh"], "kWh",
                                                f"IT energy lost, reactive, the same PI on a 0 s plant ({gh})"),
        "lag_energy_lost_kwh_reactive_lag_part": (d_kwh, "kWh",
                                                  f"IT energy lost, reactive: {what_kwh} this "
                                                  f"controller's throttling (a held-integral controller, reactive_hold, "
                                                  f"throttles {hold['throttled_s']:,.0f} s and loses "
                                                  f"{hold['energy_lost_kwh']:,.1f} kWh at the same lag; run minus the "
                                                  f"0 s plant, same PI; {gh})"),
    }


def lag_decomposition_line(reactive: dict, no_lag: dict, hold: dict, *, lag_s: float) -> str:
    """The notebook's printed line for :func:`lag_decomposition`: the 0 s plant's figures and the lag's part."""
    d_s = reactive["throttled_s"] - no_lag["throttled_s"]
    what = (f"what the {lag_s:g} s lag adds to this controller's throttling" if d_s >= 0 else
            f"the {lag_s:g} s lag's part is negative (the controller, not the lag, dominates here)")
    return (f"reactive, the same PI on a 0 s plant: throttled {no_lag['throttled_s']:,.0f} s, "
            f"{no_lag['energy_lost_kwh']:,.1f} kWh IT energy lost; {what}: {d_s:+,.0f} s and "
            f"{reactive['energy_lost_kwh'] - no_lag['energy_lost_kwh']:+,.1f} kWh (a held-integral controller, "
            f"reactive_hold, throttles {hold['throttled_s']:,.0f} s and loses {hold['energy_lost_kwh']:,.1f} kWh at "
            "the same lag)")
