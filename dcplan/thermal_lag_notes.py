"""Why a longer plant lag can show less throttling, in words for a lag sweep's rows and a run's labels.

With one PI held for every lag (:func:`dcplan.thermal_dynamics.sweep_lag`'s default, and every run of the
cooling_lag notebook) a later plant lets the coolant overshoot further after a rise; the PI's larger error
brings the plant to the full load sooner and ends its slow recovery under throttling, so the time throttled
and the IT energy lost can fall as the lag grows while the loop runs hotter (the module docstring of
:mod:`dcplan.thermal_dynamics`, "Why a longer lag can throttle less with one PI"; on a bundled site's own load
past 60 degC coolant). With the PI retuned for each lag the slower PI unloads the plant less in a pause. Either
way a planner must not read it as "a slower plant is better": these notes say so where it happens.
"""
from __future__ import annotations

import pandas as pd

__all__ = ["FALL_FRAC", "WHY_HELD", "WHY_RETUNED", "lag_notes", "longer_lag_clause"]

#: A longer lag's time throttled or IT energy lost counts as lower than a shorter lag's when it is more than
#: this share below it [frac]: a reporting convention (a fall of a few 1 s steps is not worth a note).
FALL_FRAC = 0.01
#: Why, with one PI for every lag (the module docstring of :mod:`dcplan.thermal_dynamics`).
WHY_HELD = ("not a better plant: the later plant lets the coolant overshoot further, and the same PI's larger "
            "error brings the plant to the full load sooner, cutting its slow recovery under throttling; compare "
            "the peak coolant temperature")
#: Why, with the PI retuned for each lag.
WHY_RETUNED = ("not a better plant: the PI retuned for the longer lag is slower and unloads the plant less in a "
               "pause; hold one tuning (tuned_for_lag_s) to compare plants")


def _lower(a: dict, b: dict) -> bool:
    """``a`` throttles (time or energy) more than FALL_FRAC less than ``b``."""
    return any(a[k] < (1.0 - FALL_FRAC) * b[k] for k in ("throttled_s", "energy_lost_kwh"))


def _hot(r) -> str:
    """Words for a run past the coolant's stated maximum or the die's shutdown, else ""."""
    if r.get("die_above_shutdown_s", 0.0) > 0:
        return " (past the GPU die's shutdown temperature: a real hall would trip)"
    if r.get("coolant_above_max_s", 0.0) > 0:
        return " (past the coolant's 60 degC stated maximum: not physical)"
    return ""


def lag_notes(df: pd.DataFrame) -> pd.Series:
    """A note for each row of a :func:`~dcplan.thermal_dynamics.sweep_lag` frame that throttles less than a
    shorter lag at the same margin and strategy, else "".

    Parameters
    ----------
    df : pandas.DataFrame
        ``lag_s`` [s], ``margin_frac`` [frac], ``strategy``, ``tuned_for_lag_s`` [s] (None/NaN: an explicit
        tuning), ``throttled_s`` [s], ``energy_lost_kwh`` [kWh], ``peak_temp_degc`` [degC] and, if present,
        ``coolant_above_max_s`` and ``die_above_shutdown_s`` [s].

    Returns
    -------
    pandas.Series
        On ``df``'s index: "" or the note, naming the shorter lag that throttles most, both runs' time
        throttled, energy lost and peak coolant temperature, and why (:data:`WHY_HELD`, :data:`WHY_RETUNED`).
    """
    out = pd.Series("", index=df.index, dtype=object)
    for _, g in df.groupby(["strategy", "margin_frac"], sort=False):
        g = g.sort_values("lag_s", kind="stable")
        tuned = g["tuned_for_lag_s"].astype(float)
        why = WHY_RETUNED if tuned.nunique() > 1 and (tuned == g["lag_s"]).all() else WHY_HELD
        worst = None
        for i, r in g.iterrows():
            if worst is not None and r["lag_s"] > worst["lag_s"] and _lower(r, worst):
                out[i] = (f"throttles less than at {worst['lag_s']:g} s lag ({r['throttled_s']:,.0f} s and "
                          f"{r['energy_lost_kwh']:,.1f} kWh lost vs {worst['throttled_s']:,.0f} s and "
                          f"{worst['energy_lost_kwh']:,.1f} kWh) with the coolant peaking at {r['peak_temp_degc']:.1f} "
                          f"degC{_hot(r)} vs {worst['peak_temp_degc']:.1f} degC: {why}")
            if worst is None or r["throttled_s"] > worst["throttled_s"]:
                worst = r
    return out


def longer_lag_clause(run: dict, longer: dict, *, lag_s: float, longer_lag_s: float, run_s: float) -> str:
    """``"; a plant ... throttles less ..."`` for the labels of a run at ``lag_s`` [s] when the same PI on a
    plant with ``longer_lag_s`` [s] throttles (time or energy) more than :data:`FALL_FRAC` less on the same
    load over ``run_s`` [s], else "" (``run``, ``longer``: ``simulate_lag`` summaries).

    >>> r = {"throttled_s": 15221.0, "energy_lost_kwh": 25373.0}
    >>> longer_lag_clause(r, dict(r), lag_s=90.0, longer_lag_s=180.0, run_s=604800.0)
    ''
    """
    if not _lower(longer, run):
        return ""
    return (f"; a plant with a {longer_lag_s:g} s lag throttles less on this load ({longer['throttled_s'] / run_s:.2%} "
            f"of the time, coolant peak {longer.get('peak_temp_degc', float('nan')):.1f} degC{_hot(longer)}): "
            f"{WHY_HELD}")
