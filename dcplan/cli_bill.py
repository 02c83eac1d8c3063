"""``dcplan bill``: bill a load CSV under a URDB-format tariff and print the monthly table.

Load CSV: a header line, then rows. The first column holds timestamps (ISO 8601
with UTC offsets, or naive local times together with ``--tz``; day/month or month/day dates
such as ``01/01/2025`` are not read, and an hour-ending ``24:00`` must be written as
00:00 of the next day), and one load column (choose with ``--column`` when there are
several). A file whose first line is data (no header) is refused, and so is one read as a
single column (another separator, e.g. ``;``: :mod:`dcplan.cli_bill_csv`). Naive times that
are ambiguous or do not exist at a DST change are an error naming the timestamp and its row;
naive times whose clock repeats a daylight-saving fall-back under a ``--tz`` without one
(``EST``) are an error naming a zone that falls back then. What the bill refuses of the load
(gaps, repeated or unordered stamps, empty or negative readings) is refused first in the
file's terms: its columns, the row, the option that mends it
(:func:`dcplan.tariff_load_stamps.check_read_load`).

The load column's unit is read from its name (:data:`LOAD_UNITS`, a unit word as
:func:`dcplan.grid_headroom.name_unit` finds it, case-insensitive): ``kW`` and ``MW``
are power (``kw``, ``load_kw``, ``site_kW``, ``demand_mw``; MW x 1000), ``kWh`` and
``MWh`` energy per interval (``kwh``, ``energy_kwh``, ``MWh``), divided by the
interval length in hours to give kW, which needs a regular step (a gap is an
error). ``kW-h``/``kW.h`` are kWh, spelled-out units their symbols (``megawatts``,
``kilowatt_hours``; :func:`dcplan.tariff_load_units.name_units`). Another unit word
(``load_gw``, ``amps``, ``kva``, ``power_watts``) is an error naming the allowed ones. A name without a unit (``load``, ``value``) is read as kW, and
``dcplan bill`` prints a note saying so. It also prints a note when the load's
interval is longer than the tariff's ``demandwindow`` (an hourly load under a 30-min
window): demand is then billed on the interval averages, which understate the
window's peaks; and, under a tariff with demand charges that states no ``demandwindow``, when the
load is finer than 15 min (a 5-min load): its demand charges, billed on the readings, are then an
upper bound, and the note gives them billed on 15-, 30- and 60-min means
(:func:`dcplan.cli_bill_notes.longer_window_note`). A stated window longer than the load's
interval is billed on its means.

A tariff with a demand ratchet bills the months before the load at ``--prior-peaks-kw``
(12 values Jan..Dec, or one for all; as ``Tariff.bill``'s ``prior_peaks_kw``), or, with
``--prior-peaks-kw steady_state``, as a 12-month year that repeats (its own months before it,
as the site pipeline bills a site's typical year; a note says so), else at 0 kW with a note.
What ``dcplan validate`` warns of in the tariff item (a period no schedule uses, a capped last
tier: :mod:`dcplan.tariff_lint`) is warned of here too. With a ratchet, a contract demand or a
priced TOU demand charge the table shows the demand each priced charge bills (``billing_demand_kw`` for the all-hours charge,
``tou_billing_demand_<period>_kw`` for each TOU period, ``Bill.monthly``) and ``days_billed``.
A load that starts or ends mid-month shows ``days_billed`` and a note naming those months:
their fixed and demand charges are whole-month charges. ``peak_kw`` is each month's highest
demand over all hours (under a ``demandwindow`` longer than the load step, the highest window
average; a note says so): what an all-hours charge bills, not a TOU period's charge. A legend
under the table names each billing-demand column's period, months, hours and rate. A tariff with
coincident-peak charges gets ``coincident_kw`` (the load's demand at the month's system peaks) and
``coincident_usd`` (that charge, part of ``demand_usd``) with their own legend line. Fields left out
with ``--ignore`` are listed under the ``Tariff:`` line, each with what the bill does instead
(``Tariff.metadata["ignored"]``, :mod:`dcplan.tariff_overrides`). Stamps with
UTC offsets that never match the ``--tz`` zone's, or that change at daylight saving and differ
from the zone's at some stamps (``--tz EST`` for a New York file), get a note
(:mod:`dcplan.cli_bill_notes`).

``--fill interpolate`` fills gaps and empty readings on the load's own step;
``--interval`` then averages the (filled) load to a coarser billing interval (whole
intervals of elapsed time, ending on the local clock; a clock that moves by less than the
interval at DST, as Lord Howe's 30 min, keeps the first reading's alignment, with a note:
:func:`dcplan.cli_bill_interval.to_interval`).

Timestamps label interval *ends* (dcplan's convention: 01:00 is the mean over
00:00-01:00). Many meter exports label interval *starts* instead; read as ends,
such a year puts its first interval (00:00 on 1 January) in a billing month of its
own, which then pays a whole month's fixed and demand charges for one interval.
So the labels' meaning is taken from ``--stamps start|end``, else from the time
column's name (a word ``start``/``begin``/``beginning`` or ``end``/``ending``,
e.g. ``interval_start``, ``Interval Ending``), else assumed to be ends; assumed
ends that leave the first or last interval alone in its billing month are an
error that asks which they are. Start labels are moved to interval ends (one
step later) before billing.
"""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

from .cli_bill_csv import _YEARS, _no_header, _timestamp_error, _year_error, number_hint, one_column_error
from .cli_bill_interval import _fill_note, _span_text, duration_text, to_interval  # noqa: F401 (re-exported)
from .cli_bill_notes import demand_window_note, prior_peaks  # noqa: F401  (re-exported)
from .errors import InputError
from .tariff_load_units import (  # noqa: F401  (re-exported: dcplan bill's load units)
    _ALLOWED_UNITS, LOAD_UNITS, _to_kw, load_column_unit, name_units)

# numpy and pandas are imported inside the functions: every dcplan command builds this
# parser, and ``dcplan render`` should start its warm-kernel server without waiting 0.3 s
# for them


def add_parser(subparsers) -> argparse.ArgumentParser:
    """Register the ``bill`` subcommand on an argparse ``subparsers`` object."""
    p = subparsers.add_parser("bill", help="bill a load CSV under a tariff (prints the monthly table)",
                              description="Bill a load CSV under a URDB-format tariff and print "
                              "the monthly table and totals.")
    p.add_argument("--tariff", required=True, metavar="FILE", help="URDB-format JSON (data/tariffs/*.json)")
    p.add_argument("--load", required=True, metavar="CSV",
                   help="header line, then timestamps + a load column whose name gives its unit: "
                        "kW or MW (power), kWh or MWh per interval (energy), e.g. load_kw, demand_mw, "
                        "energy_kwh; a name without a unit (load) is read as kW")
    p.add_argument("--interval", metavar="STEP", help="billing interval, e.g. 15min (averages a finer load)")
    p.add_argument("--tz", metavar="ZONE", help="time zone of naive timestamps, e.g. America/New_York; "
                   "with offsets, the zone that sets billing months")
    p.add_argument("--column", metavar="NAME", help="load column when the CSV has several")
    p.add_argument("--stamps", choices=["end", "start"], default=None,
                   help="the timestamps label interval ends (dcplan's convention) or starts "
                        "(default: from the time column's name, else ends)")
    p.add_argument("--dst-from-order", action="store_true",
                   help="naive timestamps that repeat the hour the clock falls back (DST end): read the "
                        "first pass as daylight time and the second as standard time, from the row order")
    p.add_argument("--label", metavar="LABEL", help="URDB item label when the file holds several")
    p.add_argument("--holidays", metavar="CODE", help="holiday calendar billed as weekends, e.g. US (a country's "
                                                      "public holidays, listed with the bill); replaces the tariff "
                                                      "file's own dcplan_holidays")
    p.add_argument("--fill", choices=["interpolate"], help="fill gaps/NaN linearly instead of failing "
                                                           "(before --interval averages)")
    p.add_argument("--ignore", nargs="+", metavar="FIELD", default=(),
                   help="URDB fields to leave out of the bill (e.g. a kVA unit billed as kW)")
    p.add_argument("--coincident-peaks", nargs="+", metavar="STAMP", default=None,
                   help="system-peak interval labels for coincident-peak charges, ISO 8601 "
                        "(naive stamps are read in --tz), e.g. 2023-07-20T16:00-04:00")
    p.add_argument("--coincident-interval", metavar="STEP", default=None,
                   help="length of a system-peak interval ending at each --coincident-peaks stamp; "
                        "the customer's demand is its mean load over it (default 60min: PJM's 5CP "
                        "and most system peaks are hourly)")
    p.add_argument("--prior-peaks-kw", nargs="+", metavar="KW", default=None,
                   help="peak demand of the months before the load, for a demand ratchet: 12 values "
                        "(Jan..Dec, by calendar month, as Tariff.bill's prior_peaks_kw), one for every "
                        "month, or steady_state: a 12-month load billed as a year that repeats, its own "
                        "months before it (as the site pipeline bills a site's typical year) "
                        "(default 0, which understates the first year's ratchet)")
    p.add_argument("--csv", metavar="FILE", help="also write the monthly table to FILE for a spreadsheet (numbers "
                   "in full, UTF-8 with BOM; dcplan.cli_bill_export)")
    return p


def _interval_hint(d: str) -> str:
    """For the bill's "interval ... not supported" error on a load finer than 5 min: the ``--interval``
    that averages it to a supported one (15 min, else 1 h, whichever the step divides), else ``""``."""
    import re
    m = re.match(r"interval (\d+(?:\.\d+)?) (s|min) not supported", d)
    if not m:
        return ""
    step_s = float(m.group(1)) * (60.0 if m.group(2) == "min" else 1.0)
    if step_s >= 300:
        return ""
    to = next((t for t, w in (("15min", 900), ("1h", 3600)) if w % step_s < 1e-9), None)
    return f"; average it to {to} intervals with --interval {to}" if to else ""


def _with_cli_hint(e: InputError, tariff_file: str | None = None) -> InputError:
    """The error with the command-line spelling of the API hints it gives, and the tariff
    file named when the error is about the tariff and names no file."""
    d = e.detail
    if "ignore=[" in d and "--ignore" not in d:  # (the tariff reader's hints name both spellings)
        d += " (dcplan bill: --ignore FIELD)"
    if "coincident_peaks=[" in d:
        d += " (dcplan bill: --coincident-peaks STAMP ...)"
    if "fill='interpolate'" in d:
        d += " (dcplan bill: --fill interpolate)"
    if e.field == "prior_peaks_kw":  # a steady-state year of a load that is not 12 months
        d = d.replace("prior_peaks_kw='steady_state'", "--prior-peaks-kw steady_state").replace(
            "give prior_peaks_kw", "give --prior-peaks-kw")
        return InputError(d, field="--prior-peaks-kw")
    d = d.replace("pick one with label=", "pick one with --label")
    d += _interval_hint(d)
    # (a negative energy rate's hint, an API switch dcplan bill has no option for, already says so:
    # tariff_urdb.NEGATIVE_ENERGY_HINT)
    field = e.field or ""
    if field == "holidays":  # only --holidays gives a calendar at bill time (a file's own is read with it)
        return InputError(d, field="--holidays")
    if field.startswith("coincident_"):  # a --coincident-peaks stamp or --coincident-interval
        cli = "--" + field.replace("_", "-")
        # a stamp or the interval is the option's problem, not the tariff file's
        return InputError(d, file=e.file or (tariff_file if field == "coincident_peaks" else None),
                          field=cli)
    return InputError(d, file=e.file or tariff_file, field=e.field)


def _peaks(stamps, tz: str | None) -> list:
    """``--coincident-peaks`` as tz-aware timestamps (naive ones in ``tz``)."""
    import pandas as pd
    from .tariff_coincident import duplicate_problems, offset_problem, stamp_text_problem
    out = []
    for i, s in enumerate(stamps):
        if stamp_text_problem(s):  # a date alone would be 00:00
            raise InputError(stamp_text_problem(s), field=f"--coincident-peaks[{i}]")
        try:
            ts = pd.Timestamp(s)
        except ValueError:
            raise InputError(f"{s!r} is not an ISO 8601 timestamp", field=f"--coincident-peaks[{i}]") from None
        if ts.tz is None:
            if not tz:
                raise InputError(f"{s!r} has no UTC offset; give one or --tz", field=f"--coincident-peaks[{i}]")
            try:  # a clock time that occurs twice (fall back) or never (spring forward)
                ts = ts.tz_localize(tz, ambiguous="raise", nonexistent="raise")
            except Exception as exc:  # noqa: BLE001 - pytz/zoneinfo raise different types
                raise InputError(f"{s!r} is ambiguous or does not exist in {tz} ({exc}); give it a UTC "
                                 "offset, e.g. 2024-11-03T01:00-05:00", field=f"--coincident-peaks[{i}]") from None
        elif tz:  # an offset that is not the zone's then bills another hour than the one written (as a site's)
            bad = offset_problem(s, ts, tz, whose="the --tz zone", where="the bill's local time")
            if bad:
                raise InputError(bad, field=f"--coincident-peaks[{i}]")
        out.append(ts)
    dup = duplicate_problems([(i, s, ts) for i, (s, ts) in enumerate(zip(stamps, out))], "--coincident-peaks")
    if dup:
        raise InputError(dup[0][1], field=dup[0][0])
    return out


def _check_peak_offsets(peaks, stamps, load, path: str) -> None:
    """Refuse a ``--coincident-peaks`` stamp whose UTC offset is not the one offset of the load file's
    timestamps, the bill's clock without ``--tz`` (:func:`dcplan.tariff_coincident.fixed_offset_problem`)."""
    from .tariff_coincident import fixed_offset_problem
    off = load.index[0].utcoffset().total_seconds()
    clock = f"the bill's clock (no --tz: the one UTC offset of {Path(path).name}'s timestamps)"
    for i, (s, ts) in enumerate(zip(stamps, peaks)):
        bad = fixed_offset_problem(s, ts, off, clock)
        if bad:
            raise InputError(bad + "; or give --tz ZONE to bill on the zone's clock", field=f"--coincident-peaks[{i}]")


def stamps_from_header(name) -> str | None:
    """``"start"`` or ``"end"`` when a time column's name says which its labels are, else None."""
    import re
    words = set(re.split(r"[^a-z]+", str(name).lower()))
    start = bool(words & {"start", "starting", "begin", "beginning"})
    end = bool(words & {"end", "ending"})
    return None if start == end else ("start" if start else "end")


#: The error for naive timestamps without ``--tz`` (validate reads such files on their wall clock).
NAIVE_NEEDS_TZ = "timestamps have no UTC offset; give --tz (e.g. America/New_York)"


def _comment_hint(path) -> str:
    """``"; ..."`` when the file's first line starts with ``#`` (a comment block, as data/*.csv have): a load CSV's
    first line is its header, so pandas read the comment as one and then failed on the rows."""
    try:
        with open(path, encoding="utf-8-sig", errors="replace") as fh:
            first = fh.readline()
    except OSError:
        return ""
    return ("; its first line starts with '#': a load CSV has no comment lines, its first line is the header "
            "(time column, then the load column): remove the comment lines" if first.lstrip().startswith("#") else "")


def read_load_csv(path: str, tz: str | None = None, column: str | None = None,
                  stamps: str | None = None, dst_from_order: bool = False) -> pd.Series:
    """Read a load CSV into a tz-aware kW Series labelled by interval end (see the module
    docstring). ``stamps``: ``"end"``, ``"start"`` or None (from the time column's name,
    else ends, checked). ``dst_from_order`` (``--dst-from-order``): naive stamps in the hour the
    ``tz`` clock repeats are told apart by the row order (pandas ``ambiguous="infer"``: the first
    pass daylight time, the second standard time), said in ``attrs["dst_note"]``. ``attrs["stamps"]``
    says how the labels were read, ``attrs["column"]``
    which column was read and ``attrs["unit"]`` its unit (a :data:`LOAD_UNITS` label, or
    None when the name has none and the values were taken as kW). A column not in kW is
    converted and the Series named ``load_kw``; a kW column keeps its name."""
    import numpy as np
    import pandas as pd
    try:
        df = pd.read_csv(path)
    except FileNotFoundError:
        raise InputError("load file not found", file=path) from None
    except (pd.errors.ParserError, pd.errors.EmptyDataError, UnicodeDecodeError) as exc:
        raise InputError(f"not a readable CSV: {str(exc).strip()}{_comment_hint(path)}", file=path) from None
    except OSError as exc:  # a folder or an unreadable file
        raise InputError(f"cannot read load file: {exc}", file=path) from None
    if str(df.columns[0]).lstrip().startswith("#"):  # a comment line read as the header (one with commas parses)
        raise InputError(f"the header {str(df.columns[0])!r} is a comment{_comment_hint(path)}", file=path)
    _no_header(df, path)
    if df.shape[1] < 2:
        raise one_column_error(df, path)
    if df.empty:
        raise InputError("no data rows after the header", file=path)
    if stamps not in (None, "end", "start"):
        raise InputError(f"{stamps!r} is not a label convention; use 'end' or 'start'", field="--stamps")
    if tz is not None:
        import zoneinfo
        try:
            zoneinfo.ZoneInfo(tz)
        except (zoneinfo.ZoneInfoNotFoundError, ValueError):
            from ._ts import did_you_mean
            hint = did_you_mean(tz, sorted(zoneinfo.available_timezones()))
            raise InputError(f"unknown IANA time zone {tz!r}{hint}; e.g. America/New_York",
                             field="--tz") from None
    values = df.columns[1:]
    if column is None:
        if len(values) > 1:
            raise InputError(f"several value columns {list(values)}; pick one with --column", file=path)
        column = values[0]
    elif column not in values:
        from ._ts import unknown_key_message
        raise InputError(unknown_key_message(column, values), file=path, field="--column")
    unit = load_column_unit(column, path)
    raw = df.iloc[:, 0].astype(str).str.strip()      # "2025-01-01T01:00-05:00 ,1000": the space is not part of it
    if pd.to_numeric(raw, errors="coerce").notna().all():  # numbers: read as years they say "year 1000"
        other = [str(c) for c in df.columns[1:] if not pd.to_numeric(df[c].astype(str), errors="coerce").notna().all()]
        hint = f"; the timestamps look like column {other[0]!r}: put it first" if other else ""
        raise InputError(f"the first column {str(df.columns[0])!r} holds numbers (row 2: {raw.iloc[0]!r}), not "
                         f"timestamps; the first column must be the timestamps{hint}", file=path,
                         field=str(df.columns[0]))
    zone_note = dst_note = None
    has_offset = raw.str.contains(r"(?:[+-]\d\d:?\d\d|Z)$", regex=True)
    if has_offset.any() and not has_offset.all():
        j = int(np.argmax(~has_offset.to_numpy()))
        raise InputError(f"row {j + 2}: timestamp {raw.iloc[j]!r} has no UTC offset while others do",
                         file=path, field=df.columns[0])
    try:
        if has_offset.all():
            idx = pd.DatetimeIndex(pd.to_datetime(raw, utc=True, format="ISO8601"))
            if tz:
                idx = idx.tz_convert(tz)
                from .cli_bill_notes import zone_offsets_note
                zone_note = zone_offsets_note(raw.str.extract(r"([+-]\d\d:?\d\d|Z)$")[0], idx, tz, path, raw)
            else:
                offsets = raw.str.extract(r"([+-]\d\d:?\d\d|Z)$")[0].unique()
                if len(offsets) != 1:
                    raise InputError("timestamps change UTC offset (DST); give --tz so billing months "
                                     "use the right local time", file=path, field="--tz")
                if str(offsets[0]).replace(":", "") in ("Z", "+0000", "-0000"):
                    # a UTC export: TOU hours, weekdays and months would be read on the UTC clock
                    raise InputError("timestamps are in UTC; a tariff's time-of-use periods, weekdays and "
                                     "billing months are local clock times, so give --tz ZONE (e.g. "
                                     "America/New_York), or --tz UTC if the bill really runs on UTC",
                                     file=path, field="--tz")
                idx = idx.tz_convert(pd.Timestamp(raw.iloc[0]).tz)
        else:
            naive = pd.DatetimeIndex(pd.to_datetime(raw, format="ISO8601"))
            if not tz:
                raise InputError(NAIVE_NEEDS_TZ, file=path, field="--tz")
            idx = _localize(naive, tz, path, str(df.columns[0]), dst_from_order)
            if dst_from_order:
                from .tariff_load_stamps import dst_order_note
                dst_note = dst_order_note(naive, idx, tz)
    except InputError:
        raise
    except (ValueError, TypeError, OverflowError, pd.errors.OutOfBoundsDatetime) as exc:
        raise _timestamp_error(raw, path, str(df.columns[0]), exc) from None
    out_of_range = (idx.year < _YEARS[0]) | (idx.year > _YEARS[1])  # read, but not in nanoseconds
    if out_of_range.any():
        j = int(np.argmax(out_of_range))
        raise _year_error(j, raw.iloc[j], int(idx.year[j]), path, str(df.columns[0]))
    kw = pd.to_numeric(df[column], errors="coerce")
    bad = kw.isna() & df[column].notna()
    if bad.any():
        j = int(np.argmax(bad.to_numpy()))
        v = df[column].iloc[j]
        raise InputError(f"row {j + 2}: value {v!r} is not a number{number_hint(v)}", file=path, field=column)
    out = pd.Series(kw.to_numpy(float), index=idx, name=str(column))
    time_col = str(df.columns[0])
    said = stamps or stamps_from_header(time_col)
    how = ("from --stamps" if stamps else f"from column name {time_col!r}") if said else "assumed"
    if said == "start":
        out = _starts_to_ends(out, path, time_col)
    elif said is None:
        lone = lone_boundary_interval(out.index)
        if lone:
            raise InputError(
                f"{lone}; read as interval ends (dcplan's convention) it is billed as a month of its "
                "own, with that month's fixed and demand charges. If the timestamps label interval "
                "starts (as many meter exports do), pass --stamps start (or name the column "
                "interval_start); if they are interval ends, pass --stamps end", file=path, field=time_col)
    out = _to_kw(out, unit, path, str(column))
    out.attrs["stamps"] = (f"interval starts ({how}), billed as the ends one step later" if said == "start"
                           else f"interval ends ({how})")
    out.attrs["column"] = str(column)
    out.attrs["time_column"] = time_col
    if not has_offset.all():
        out.attrs["naive_tz"] = tz  # naive stamps localized in --tz (a clock that repeats an hour: checked)
    if zone_note:
        out.attrs["zone_note"] = zone_note
    if dst_note:
        out.attrs["dst_note"] = dst_note
    out.attrs["unit"] = LOAD_UNITS[unit][0] if unit else None
    return out


def _starts_to_ends(load, path: str, time_col: str):
    """Interval-start labels moved one step later, to the interval ends."""
    import numpy as np
    import pandas as pd
    if len(load) < 2:
        raise InputError("one row: cannot tell the interval length of interval-start labels",
                         file=path, field=time_col)
    d = np.diff(load.index.as_unit("ns").asi8)
    if (d <= 0).any():
        i = int(np.argmax(d <= 0))
        raise InputError(f"timestamps not increasing at {load.index[i + 1]} (after {load.index[i]})",
                         file=path, field=time_col)
    vals, counts = np.unique(d, return_counts=True)
    step = pd.Timedelta(int(vals[np.argmax(counts)]), "ns")  # the usual step (a gap stays a gap)
    out = load.copy()
    out.index = load.index + step
    return out


def lone_boundary_interval(idx) -> str | None:
    """Say so when the first or last interval-ending label is alone in its billing month
    (:func:`dcplan.tariff_bill_stamps.lone_boundary_interval`, which :meth:`Tariff.bill` checks too)."""
    from .tariff_bill_stamps import lone_boundary_interval as lone
    return lone(idx)


def _localize(naive: pd.DatetimeIndex, tz: str, path: str, column: str | None = None,
              from_order: bool = False) -> pd.DatetimeIndex:
    try:
        return naive.tz_localize(tz, ambiguous="infer" if from_order else "raise", nonexistent="raise")
    except Exception as exc:  # pytz/zoneinfo raise different types for ambiguous/non-existent times
        text = type(exc).__name__ + " " + str(exc)
        ambiguous = "Ambiguous" in text or "infer dst" in text
        if ambiguous or "NonExistent" in text or "nonexistent" in text.lower():
            # pandas' own advice ("Try using the 'nonexistent' argument") is for its API, not this file
            what = str(exc).split(". Try using", 1)[0].split(", try using", 1)[0].rstrip(". ")
            hint = ("an hour the clock repeats at the end of DST" if ambiguous else
                    "an hour the clock skips at the start of DST")
            eg = ""
            try:  # the first such stamp, its row, and (repeated hour) the two offsets it has
                import zoneinfo

                import numpy as np
                bad = naive.tz_localize(tz, ambiguous="NaT", nonexistent="NaT").isna() & ~naive.isna()
                j = int(np.argmax(bad))
                what = f"{naive[j]}, row {j + 2}"
                if ambiguous:
                    t, z = naive[j].to_pydatetime(), zoneinfo.ZoneInfo(tz)
                    o0, o1 = (z.utcoffset(t.replace(fold=f)).total_seconds() // 60 for f in (0, 1))
                    from .tariff_load_zones import offset_text
                    eg = (f", e.g. {naive[j]:%Y-%m-%dT%H:%M}{offset_text(o0)} the first time, "
                          f"{offset_text(o1)} the second")
            except Exception:  # noqa: BLE001 - only the row is lost: the message stands without it
                pass
            order = ("" if not ambiguous else "; the rows do not give the repeated hour twice in time order, "
                     "so --dst-from-order cannot tell them apart" if from_order else
                     "; or, if the file gives the repeated hour twice in time order (daylight time first), "
                     "pass --dst-from-order to read them from the row order")
            raise InputError(f"naive timestamp is {'ambiguous' if ambiguous else 'non-existent'} "
                             f"in {tz} ({what}: {hint}); write timestamps with UTC offsets{eg}{order}"
                             + (f" (column {column!r})" if column else ""), file=path) from None
        raise InputError(f"cannot localize to {tz!r}: {exc}", file=path, field="--tz") from None


def billing_demand_columns(bill) -> list[str]:
    """The billing-demand columns of ``bill.monthly`` (a :class:`dcplan.tariff_bill.Bill`) of the
    demand charges a rate prices in some month: the flat (all-hours) charge's
    ``billing_demand_kw`` and each priced TOU demand period's ``tou_billing_demand_<p>_kw``
    (a period at 0 $/kW, and a flat charge the tariff does not have, are left out)."""
    import numpy as np
    priced = set()
    for ln in bill.lines:
        if ln.component == "demand" and ln.charge in ("flat_demand", "tou_demand") and ln.unit == "kW" \
                and np.any(np.nan_to_num(ln.rate) > 0):
            priced.add("billing_demand_kw" if ln.charge == "flat_demand" else f"tou_billing_demand_{ln.period}_kw")
    m = bill.monthly
    return [c for c in m.columns if c in priced and m[c].notna().any()]


def run(args) -> int:
    """Bill ``args.load`` under ``args.tariff`` and print the monthly table and totals."""
    from .paths import input_path
    if getattr(args, "csv", None):  # a bad --csv path is refused before the bill, not after it
        from .cli_bill_export import check_csv_path
        check_csv_path(args.csv)
    args.tariff = str(input_path(args.tariff))  # data/tariffs/... also from an installed wheel
    import pandas as pd
    from .tariff import Tariff
    try:
        tariff = Tariff.from_urdb(args.tariff, label=getattr(args, "label", None),
                                  holidays=getattr(args, "holidays", None),
                                  ignore=tuple(getattr(args, "ignore", ())))
    except InputError as e:
        raise _with_cli_hint(e) from None
    import warnings

    from .errors import DcplanWarning
    from .tariff_lint import billed_item_warnings
    # as dcplan validate warns (dcplan.tariff_lint); the *attrs fields' text is said once, with the bill below
    for text in billed_item_warnings(args.tariff, getattr(args, "label", None), getattr(args, "ignore", ()),
                                     attrs=False):
        warnings.warn(text, DcplanWarning, stacklevel=2)
    ci = getattr(args, "coincident_interval", None)
    if ci is not None:  # checked whatever the tariff holds, as every other option is
        try:
            ok = pd.Timedelta(ci) > pd.Timedelta(0)
        except (ValueError, TypeError):
            ok = False
        if not ok:
            raise InputError(f"not a length of time: {ci!r}; allowed: a positive duration such as 60min, 1h or "
                             "15min", field="--coincident-interval")
    peaks = getattr(args, "coincident_peaks", None)
    peaks = None if peaks is None else _peaks(peaks, getattr(args, "tz", None))
    if tariff.coincident_rate is None:  # the options change nothing here: say so (one load billed
        # under several tariffs with the same options is fine), never silently
        for opt, v in (("--coincident-peaks", peaks), ("--coincident-interval", ci)):
            if v is not None:
                print(f"dcplan bill: note: {Path(args.tariff).name} has no coincident-peak charges "
                      f"(coincidentratestructure), so {opt} changes nothing", file=sys.stderr)
    prior, prior_note = prior_peaks(getattr(args, "prior_peaks_kw", None), tariff, args.tariff)
    load = read_load_csv(args.load, getattr(args, "tz", None), getattr(args, "column", None),
                         getattr(args, "stamps", None), bool(getattr(args, "dst_from_order", False)))
    meta = dict(load.attrs)  # how the file was read (the conversions below make new Series)
    if peaks and not getattr(args, "tz", None):  # the bill's clock is the file's one offset: stamps at it
        _check_peak_offsets(peaks, getattr(args, "coincident_peaks"), load, args.load)
    fill = getattr(args, "fill", None)
    from .tariff_load_stamps import check_read_load
    check_read_load(load, args.load, fill)  # the bill's load checks, said in the file's terms
    filled = _fill_note(load) if fill else None
    extra = {"tz": args.tz} if getattr(args, "tz", None) else {}  # --tz is the bill's clock (UTC: said, not refused)
    if getattr(args, "coincident_interval", None) is not None:
        extra["coincident_interval"] = args.coincident_interval
    try:  # errors about the load's timestamps/values name the load file
        if getattr(args, "interval", None):
            if fill:  # fill gaps and NaN on the load's own step, then average whole intervals
                from .tariff_bill import prepare_load
                kw, idx, _, _ = prepare_load(load, fill=fill)
                load = pd.Series(kw[0], index=idx, name=load.name)
            load = to_interval(load, args.interval)
            meta["interval_note"] = load.attrs.get("interval_note")
        # stamps="end": the labels were read as the file says (--stamps, the column name) and checked
        bill = tariff.bill(load, fill=fill, coincident_peaks=peaks, prior_peaks_kw=prior, stamps="end", **extra)
    except InputError as e:
        field = str(e.field or "")
        if e.file or not field.startswith(("load_kw", "--interval")):
            raise _with_cli_hint(e, args.tariff) from None
        # the load's index and values are the file's time and value columns
        field = {"load_kw.index": meta.get("time_column"), "load_kw": meta.get("column")}.get(field) or field
        raise _with_cli_hint(InputError(e.detail.replace("pass fill='interpolate'", "pass --fill interpolate"),
                                        file=args.load, field=field)) from None
    m = bill.monthly.copy()
    m.index = m.index.astype(str)
    cols = ["energy_kwh", "peak_kw", "energy_usd", "demand_usd", "fixed_usd", "minimum_usd", "total_usd"]
    from .cli_bill_notes import partial_months_note, peak_column_note
    partial = partial_months_note(m, tariff)
    billed = billing_demand_columns(bill)
    if (tariff.ratchet_frac is not None and tariff.ratchet_lookback_months > 0) or tariff.contract_kw is not None \
            or any(c.startswith("tou_") for c in billed):
        cols[2:2] = billed + ["days_billed"]  # the demand billed differs from the all-hours peak
    elif partial:
        cols[2:2] = ["days_billed"]
    if tariff.coincident_rate is not None:  # its own columns and legend line (dcplan.cli_bill_notes)
        from .cli_bill_notes import coincident_columns
        for c, v in coincident_columns(bill).items():
            m[c] = v
        cols.insert(cols.index("days_billed" if "days_billed" in cols else "energy_usd"), "coincident_kw")
        cols.insert(cols.index("demand_usd") + 1, "coincident_usd")
    print(f"Tariff: {tariff.name}  ({Path(args.tariff).name})")
    for note in tariff.metadata.get("ignored", ()):  # --ignore overrides: said first, never silent; then what
        # the file says that is not billed (fixedattrs, a null charge: "Note:")
        over = " ignored (ignore=)" in note
        print(f"{'Ignored:' if over else 'Note:  '} {note.replace(' ignored (ignore=)', ' ignored (--ignore)')}")
    step_min = (load.index[1] - load.index[0]).total_seconds() / 60.0
    step = f"{step_min / 60:g} h" if step_min >= 60 else f"{step_min:g} min"
    col, unit = meta.get("column", load.name), meta.get("unit")
    print(f"Load:   {Path(args.load).name}, {len(load):,} intervals of {step}, {load.index.tz}, "
          f"labels: {meta.get('stamps', 'interval ends')}, column {col!r} in {unit or 'kW'}"
          + (" per interval" if unit in ("kWh", "MWh") else ""))
    if filled:
        print(filled)
    from .cli_bill_notes import holiday_lines  # the days billed as holidays, and what a country calendar is
    for line in holiday_lines(tariff, load.index, getattr(args, "holidays", None)):
        print(line)
    if "unit" in meta and unit is None:
        print(f"Note:   column {col!r} was read as kW because its name has no unit; name it e.g. load_kw, "
              "load_mw, energy_kwh or energy_mwh (energy per interval) to state its unit")
    from .tariff_coincident import NOTE_START  # priced months without a --coincident-peaks stamp
    from .tariff_applicability import is_applicability_note  # the load's peak outside the rate's range, enddate
    cp = [f"Note:   {n.replace('(coincident_peaks)', '(--coincident-peaks)')}" for n in bill.notes
          if n.startswith(NOTE_START) or is_applicability_note(n)]
    from .cli_bill_notes import longer_window_note

    def rebill(w):  # the same bill on a demand window the tariff does not state (its note's figures)
        import dataclasses
        t = dataclasses.replace(tariff, demand_window_min=w, demand_window_method="block")
        return t.bill(load, fill=fill, coincident_peaks=peaks, prior_peaks_kw=prior, stamps="end", **extra).demand_usd
    from .tariff_ratchet import TOU_RATCHET_NOTE  # how TOU periods ratchet (in Bill.notes; prior_note says not)
    tou_rat = (tariff.flat_rate is None and tariff.demand_rate is not None and tariff.ratchet_frac is not None
               and tariff.ratchet_lookback_months > 0)
    notes = [meta.get("zone_note"), meta.get("dst_note"), meta.get("interval_note"), prior_note,
             f"Note:   demand ratchet (each TOU demand period): {TOU_RATCHET_NOTE}" if tou_rat else None,
             demand_window_note(tariff, step_min),
             longer_window_note(tariff, step_min, bill.demand_usd, rebill), peak_column_note(tariff, step_min),
             partial, *cp]
    for note in notes:
        if note:
            print(note)
    print(m[cols].to_string(float_format=lambda v: f"{v:,.2f}"))
    from .cli_bill_notes import demand_legend
    for line in demand_legend(tariff, cols, coincident_interval=getattr(args, "coincident_interval", None)):
        print(line)  # which hours each billing-demand column is
    for c in ("energy", "demand", "fixed", "minimum", "total"):
        print(f"{c + '_usd':>12}: {getattr(bill, c + '_usd'):>16,.2f}")
    if getattr(args, "csv", None):  # the same table, numbers in full, for a spreadsheet
        from .cli_bill_export import bill_table_frame, write_bill_csv
        print(f"Wrote:  {write_bill_csv(bill_table_frame(m, cols), args.csv)} (the monthly table; no totals row)")
    return 0
