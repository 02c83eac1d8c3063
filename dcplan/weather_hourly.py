"""Sub-hourly weather as dcplan's hourly frame: each hour's mean, its energy kept (part of :mod:`dcplan.weather`).

dcplan's chain runs on hourly weather, each hour labelled at its end (STYLE.md). Weather comes finer: the NSRDB
serves 30-minute years by default for its single years (and 5- and 15-minute CONUS data), a frame from a
measurement station may be 1- to 15-minute. :func:`hourly_means` makes the hour of them, for
:func:`dcplan.weather.load_weather` (an NSRDB CSV of 30-, 15- or 5-minute rows: :mod:`dcplan.weather_nsrdb`) and for
a frame passed to :func:`dcplan.pipeline.run_site_year` (:func:`dcplan.api_inputs.weather_for_site`).

**What a row means** (``labels``) decides which rows make an hour:

* ``"end"`` (dcplan's, SAM's output): the row is the mean of the interval *ending* at its label. The hour ending
  ``H`` is the plain mean of the rows labelled in ``(H - 1 h, H]`` (``resample('1h', closed='right',
  label='right').mean()``).
* ``"start"``: the mean of the interval *starting* at its label; the hour ending ``H`` is the mean of the rows in
  ``[H - 1 h, H)``.
* ``"instant"``: the value *at* its label, a sample (the NSRDB's: its half-hourly rows at Minute 0 and 30 are the
  satellite-derived irradiance at those instants, as its hourly rows, stamped at Minute 30, are the value at the
  hour's middle standing for the hour: pvlib issue #733, NSRDB's 2019 move of its stamps to mid-hour; SAM computes
  the sun "for the minute indicated in the Minute column", SAM help, "Weather File Time Convention"). The hour's
  mean is the trapezoid rule over the hour's samples, both ends included::

      mean(H) = ( v(H-1h)/2 + v(H-1h+d) + ... + v(H-d) + v(H)/2 ) / k,   k = 1 h / d

  (for 30-minute samples: ``(v(h:00) + 2 v(h:30) + v(h+1:00)) / 4``), which centres the hour at its middle, as
  the NSRDB's own hourly value does; the plain mean of the samples ``h:00`` and ``h:30`` would centre it a quarter
  hour early. The hours tile the samples, so the year's sum of the hourly means is the trapezoid integral of the
  samples: the energy. The last hour closes on a sample the frame does not hold (for a year, 1 January 00:00 of
  the next year). A frame of one whole year (its samples from 1 January 00:00 to the last step before the next
  1 January) closes on its own first sample, the year wrapping (``closing="wrap"``): a typical year repeats, and
  dcplan runs every weather year as repeating (the battery's year, the tariff's); its 1 January 00:00 stands
  for the next one's. Any other frame closes on its last sample, held (``closing="hold"``: the sample after it is
  not known). Either is said in ``attrs['resampled_note']`` and ``attrs['resampled_closing']``. (Before, a whole
  year held its last sample too: the year's last hour then weighted 23:30 three quarters and left 00:00 out.)

**Every column is a mean** over the hour: irradiance (``ghi``, ``dni``, ``dhi``: W/m2 x 1 h, the hour's energy),
temperatures, humidity, pressure and wind speed. The wet bulb (``temp_wet_bulb_degc``) is not a mean: it is
recomputed from the hour's mean dry bulb, dew point (else relative humidity) and pressure as
:func:`dcplan.weather.load_weather` computes it (ASHRAE 2017 ch. 1, :mod:`dcplan.weather_psychro`). Other columns
(text, NSRDB's cloud type and fill flag) are left out and named in the note.

**Missing intervals are refused**, naming the hour: an hour averaged from what it has would lose the energy of
the interval it lacks (a missing midday half hour takes half the hour's irradiation), or move its centre. So is a
step that does not divide the hour, or rows that do not fall on the step's grid of the hours they are averaged on.

The result is tz-aware, ``freq='h'``, each hour labelled at its end, its ``attrs`` the frame's plus
``resampled_from_min`` (the step [min]), ``resampled_labels``, ``resampled_closing`` (``"wrap"`` or ``"hold"`` for
samples closed by one the frame does not hold, else ``""``) and ``resampled_note`` (:func:`averaged_note`).
"""
from __future__ import annotations

import numpy as np
import pandas as pd

from .errors import InputError

__all__ = ["hourly_means", "averaged_note", "step_minutes", "LABELS", "CLOSINGS"]

#: What a sub-hourly row's label marks (:func:`hourly_means`).
LABELS = ("end", "start", "instant")
_HOUR = pd.Timedelta("1h")


def step_minutes(index) -> float | None:
    """The median spacing of ``index`` [min] when it is finer than an hour, else None."""
    idx = pd.DatetimeIndex(index)
    if len(idx) < 2:
        return None
    step = pd.Series(idx[1:] - idx[:-1]).median()
    return float(step / pd.Timedelta("1min")) if pd.Timedelta(0) < step < _HOUR else None


#: How the last hour of samples closes (:func:`hourly_means`, ``labels="instant"``), as said in its note.
CLOSINGS = {"wrap": "the last hour closed on the first sample, the year wrapping (a whole year: its 1 January "
                    "00:00 stands for the next one's)",
            "hold": "the last hour closed on the last sample, held (the sample after it is not in the frame)"}


def averaged_note(step_min: float, labels: str, dropped=(), closing: str = "") -> str:
    """What a frame averaged by :func:`hourly_means` says of itself (``attrs['resampled_note']``); ``closing``:
    a key of :data:`CLOSINGS` for samples whose last hour closes on one the frame does not hold, else ``""``."""
    how = {"end": "each row the mean of the interval ending at its label",
           "start": "each row the mean of the interval starting at its label",
           "instant": "each row the value at its instant; the hour's mean by the trapezoid rule"}[labels]
    left = f"; columns left out: {', '.join(map(str, dropped))}" if len(dropped) else ""
    close = f"; {CLOSINGS[closing]}" if closing else ""
    return (f"hourly means averaged from {step_min:g}-minute data ({how}: the hour's irradiation kept{close}); wet "
            f"bulb recomputed from the hour's mean air (dcplan.weather_hourly){left}")


def hourly_means(frame: pd.DataFrame, labels: str = "end", *, tz=None, name: str = "the weather frame",
                 file: str | None = None, field: str = "weather.index") -> pd.DataFrame:
    """Each hour's mean of a sub-hourly weather frame, labelled at the hour's end.

    Parameters
    ----------
    frame : pandas.DataFrame
        Rows every ``d`` minutes (``d`` dividing 60: 1, 5, 10, 15, 20 or 30), tz-aware DatetimeIndex, columns in
        pvlib's names (``ghi`` [W/m2], ``temp_air`` [degC], ...).
    labels : {"end", "start", "instant"}, default "end"
        What each label marks (module docstring): the end of the row's interval (dcplan's), its start, or the
        instant of a sample (the NSRDB's rows).
    tz : str or tzinfo, optional
        The clock whose hours are made (the site's zone: a frame in UTC for a site at UTC+5:30 makes the site's
        hours, which end at half past on UTC). Default: the frame's own.
    name, file, field : str
        How an error names the frame, its file and the field.

    Returns
    -------
    pandas.DataFrame
        One row per hour, ``freq='h'``, labelled at the hour's end on ``tz``; every numeric column the hour's
        mean, ``temp_wet_bulb_degc`` recomputed from the means. [units of the frame]

    Raises
    ------
    InputError
        An unknown ``labels``; an index that is not tz-aware, not regular, or whose step does not divide the hour;
        rows off the step's grid of the hours; an hour with an interval missing (the hour named, and the first
        instant it lacks); a value that is not a number (the column and hour named); a wet bulb given without the
        dry bulb, humidity and pressure to recompute it from.
    """
    if labels not in LABELS:
        raise InputError(f"labels {labels!r}; allowed: {', '.join(map(repr, LABELS))}", file=file, field="labels")
    idx = frame.index
    if not isinstance(idx, pd.DatetimeIndex) or idx.tz is None:
        raise InputError(f"{name}: need a tz-aware DatetimeIndex to average to hours, got {type(idx).__name__}",
                         file=file, field=field)
    if tz is not None:
        frame = frame.tz_convert(tz)
        idx = frame.index
    step_min = step_minutes(idx)
    if step_min is None:
        raise InputError(f"{name}: not finer than hourly (median step of its {len(idx):,} rows); nothing to average",
                         file=file, field=field)
    step = pd.Timedelta(minutes=step_min)
    k = int(round(60.0 / step_min))
    if abs(k * step_min - 60.0) > 1e-9 or step_min != int(step_min):
        raise InputError(f"{name}: a row every {step_min:g} minutes, which does not divide the hour; allowed: a "
                         "step of 1, 2, 3, 4, 5, 6, 10, 12, 15, 20 or 30 minutes, so each hour holds whole rows",
                         file=file, field=field)
    _check_grid(idx, step, k, labels, name, file, field)
    num = frame.select_dtypes("number")
    dropped = [c for c in frame.columns if c not in num.columns]
    values = num.to_numpy(dtype=float)
    bad = ~np.isfinite(values)
    if bad.any():
        i, j = np.argwhere(bad)[0]
        raise InputError(f"{name}: no number in column {num.columns[j]!r} at {idx[i]} (row {i + 1}; "
                         f"{int(bad.sum())} in all); allowed: a number in every row, as an hour's mean needs all of "
                         "its intervals", file=file, field=str(num.columns[j]))
    closing = ""
    if labels == "instant":
        if _on_hour(idx[-1] + step):  # the last hour's closing sample is not in the frame
            # a whole year wraps to its first sample (1 January 00:00 for the next one's); else the last, held
            closing = "wrap" if idx[-1] + step == idx[0] + pd.DateOffset(years=1) else "hold"
            close = values[:1] if closing == "wrap" else values[-1:]
        else:
            close = np.empty((0, values.shape[1]))
        v = np.vstack([values, close])
        n = (len(v) - 1) // k
        body = v[:n * k].reshape(n, k, -1)
        ends = v[k:n * k + 1:k]
        means = (body.sum(axis=1) - 0.5 * body[:, 0, :] + 0.5 * ends) / k
        first_end = idx[0] + _HOUR
    else:
        n = len(values) // k
        means = values.reshape(n, k, -1).mean(axis=1)
        first_end = idx[k - 1] if labels == "end" else idx[0] + _HOUR
    out_idx = pd.date_range(first_end, periods=n, freq="h", name=idx.name)
    out = pd.DataFrame(means, index=out_idx, columns=num.columns)
    if "temp_wet_bulb_degc" in out.columns:
        out["temp_wet_bulb_degc"] = _wet_bulb(out, name, file)
    out.attrs = {**frame.attrs, "resampled_from_min": step_min, "resampled_labels": labels,
                 "resampled_closing": closing, "resampled_note": averaged_note(step_min, labels, dropped, closing)}
    return out


def _on_hour(t: pd.Timestamp) -> bool:
    return t.minute == 0 and t.second == 0 and t.microsecond == 0 and t.nanosecond == 0


def _check_grid(idx: pd.DatetimeIndex, step: pd.Timedelta, k: int, labels: str, name: str, file, field) -> None:
    """Refuse an index that is not the whole hours' grid of ``step``: rows off the grid, a missing interval (the
    hour named, and the instant it lacks), a first or last hour cut short."""
    def hour_of(t: pd.Timestamp) -> pd.Timestamp:  # the end of the hour row ``t`` belongs to
        return t.ceil("h") if labels == "end" else t.floor("h") + _HOUR
    off = (idx - idx.floor("h")) % step
    if (off != pd.Timedelta(0)).any():
        i = int(np.argmax(off != pd.Timedelta(0)))
        raise InputError(f"{name}: row {i + 1} is labelled {idx[i]}, off the {step / pd.Timedelta('1min'):g}-minute "
                         f"grid of the hours on its clock ({idx.tz}); allowed: labels at whole multiples of the step "
                         "past each hour (in a zone a quarter or half hour off the data's, a step that divides it)",
                         file=file, field=field)
    gaps = np.flatnonzero(np.asarray(idx[1:] - idx[:-1]) != step.to_timedelta64())
    if gaps.size:
        i = int(gaps[0])
        lacks = idx[i] + step
        what = "repeats or goes back" if idx[i + 1] <= idx[i] else f"lacks {lacks} (next row {idx[i + 1]})"
        raise InputError(f"{name}: the hour ending {hour_of(lacks)} {what}: an hour's mean needs every one of its "
                         f"{k} intervals (averaging what is there would lose the missing interval's irradiation or "
                         "move the hour's centre); allowed: every interval of every hour, in order. Fill the gap "
                         "from the source, or pass whole hours", file=file, field=field)
    if labels == "end":  # the first row ends the hour's first interval; the last ends an hour
        cut_first, cut_last = not _on_hour(idx[0] - step), not _on_hour(idx[-1])
    elif labels == "start":  # the first row starts an hour; the last starts the hour's last interval
        cut_first, cut_last = not _on_hour(idx[0]), not _on_hour(idx[-1] + step)
    else:  # samples from an hour's start to its end, or to one step before it (the closing sample held)
        cut_first, cut_last = not _on_hour(idx[0]), not (_on_hour(idx[-1]) or _on_hour(idx[-1] + step))
    for cut, t, at_start in ((cut_first, idx[0], True), (cut_last, idx[-1], False)):
        if cut:
            hint = ("; its first row, on the hour, looks labelled at its interval's start or at its instant (as raw "
                    "NSRDB/PSM3 frames are): say so (labels 'start' or 'instant'; a frame passed to run_site_year: "
                    "weather.attrs['interval_labels'])" if labels == "end" and at_start and _on_hour(t) else "")
            raise InputError(f"{name}: the hour ending {hour_of(t)} is cut short (its rows begin or end at {t}); "
                             f"an hour's mean needs all {k} of its intervals; allowed: whole hours"
                             + (", the samples from the hour's start" if labels == "instant" else "") + hint,
                             file=file, field=field)


def _wet_bulb(out: pd.DataFrame, name: str, file) -> np.ndarray:
    """The wet bulb of each hour's mean air (as :func:`dcplan.weather.load_weather`: the humidity from the dew point,
    over liquid water, else the relative humidity)."""
    from .weather_psychro import saturation_pressure_pa, saturation_pressure_water_pa, wet_bulb_degc
    if "temp_air" not in out or "pressure" not in out or not ({"temp_dew", "relative_humidity"} & set(out)):
        need = [c for c in ("temp_air", "pressure") if c not in out]
        if not ({"temp_dew", "relative_humidity"} & set(out)):
            need.append("temp_dew or relative_humidity")
        raise InputError(f"{name}: its temp_wet_bulb_degc cannot be averaged (the wet bulb of an hour's mean air is "
                         f"not the mean of its wet bulbs) nor recomputed: no {', '.join(need)}; allowed: a frame with "
                         "temp_air, temp_dew (or relative_humidity) and pressure, from which the hour's wet bulb is "
                         "recomputed", file=file, field="temp_wet_bulb_degc")
    t = out["temp_air"].to_numpy()
    if "temp_dew" in out:
        rh = np.minimum(100.0, 100.0 * saturation_pressure_water_pa(out["temp_dew"].to_numpy())
                        / saturation_pressure_pa(t))
    else:
        # the column's RH is over liquid water (the files' convention); wet_bulb_degc takes ASHRAE's (over ice < 0 degC)
        rh = np.minimum(100.0, np.clip(out["relative_humidity"].to_numpy(), 0.0, 100.0)
                        * saturation_pressure_water_pa(t) / saturation_pressure_pa(t))
    return wet_bulb_degc(t, rh, out["pressure"].to_numpy())
