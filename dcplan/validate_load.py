"""``dcplan validate`` of a load CSV (part of :mod:`dcplan.validate`): the file read as ``dcplan bill``
reads it, by bill's own reader (:func:`dcplan.cli_bill.read_load_csv`) with the same options
(``--tz``, ``--stamps``, ``--dst-from-order``), then the checks bill makes of the load it read
(gaps, duplicates, order, NaN, negative values), each one a problem line; and, for a file with
none, what bill would bill (:func:`load_summary`: the intervals, their length, the energy, the
clock, the labels' meaning and the repeated DST hour read from the row order), so the ``ok`` line
says the same count and kWh as ``dcplan bill``'s ``Load:`` line and its table.
"""
from __future__ import annotations

import math
from pathlib import Path

from .errors import InputError


def load_check(path: Path, tz: str | None = None, stamps: str | None = None,
               dst_from_order: bool = False):
    """``(problems, load)``: the problems of a load CSV as ``dcplan bill [--tz tz] [--stamps stamps]
    [--dst-from-order]`` reads it, and the load read (None when the reader refused the file). Without
    ``tz``, naive timestamps are read as wall-clock times to check order and gaps, and offsets that
    bill refuses without ``--tz`` (UTC, or changing at DST) are that problem, then the rest is checked
    on the UTC clock. ``dst_from_order`` is bill's ``--dst-from-order`` (naive stamps that repeat the
    fall-back hour read from the row order), passed to bill's reader unchanged; it needs ``tz``, as in
    bill: naive stamps without one are that problem."""
    import pandas as pd

    from .cli_bill import NAIVE_NEEDS_TZ, lone_boundary_interval, read_load_csv, stamps_from_header
    from .tariff_load_stamps import as_written, irregularity_at
    from .validate import Problem
    file = str(path)
    # read with a stated convention, so the lone-interval check below is one problem among the rest
    said = stamps or stamps_from_header(pd.read_csv(file, nrows=0).columns[0]) if path.stat().st_size else stamps
    out = []
    try:
        # a convention from the column's name is left to the reader to find, so that the load says so
        # as bill's does (attrs["stamps"]: "from column name ..."); an unstated one is read as ends
        s = read_load_csv(file, tz=tz, stamps=stamps or (None if said else "end"), dst_from_order=dst_from_order)
        if not said:
            s.attrs["stamps"] = "interval ends (assumed)"  # as bill says it (checked below: a lone interval)
    except InputError as e:
        if e.field != "--tz" or tz is not None:
            return Problem.from_error(e, file), None
        naive = e.detail == NAIVE_NEEDS_TZ
        if not naive or dst_from_order:  # bill refuses these offsets without --tz: so does validate
            # (--dst-from-order reads a repeated hour on the --tz clock: without one, bill refuses the file)
            out += Problem.from_error(e, file)
        try:  # still check gaps and order (naive: on the wall clock; offsets: in UTC)
            s = read_load_csv(file, tz="UTC", stamps=stamps or (None if said else "end"))
        except InputError as e2:
            return out + Problem.from_error(e2, file), None
        if naive:
            s.index = s.index.tz_localize(None)
        else:
            said = said or "end"  # billing months unknown without a zone: no lone-interval check
    lone = None
    if not said:  # billing months on the local clock: the wall-clock times as written, when no --tz
        wall = s.index
        if tz is None:
            raw = pd.read_csv(file, usecols=[0]).iloc[:, 0].astype(str)
            wall = pd.DatetimeIndex(pd.to_datetime(raw.str.replace(r"(?:[+-]\d\d:?\d\d|Z)$", "", regex=True),
                                                   format="ISO8601"))
        lone = lone_boundary_interval(wall)
    if lone:
        out.append(Problem(file, str(pd.read_csv(file, nrows=0).columns[0]),
                           f"{lone}; read as interval ends it is billed as a month of its own. Interval "
                           "starts: dcplan bill --stamps start (or name the column interval_start); "
                           "interval ends: --stamps end"))
    if len(s) < 2:  # as the bill refuses it: one interval has no step
        out.append(Problem(file, str(pd.read_csv(file, nrows=0).columns[0]),
                           f"need at least 2 timestamps to know the step, got {len(s)}"))
    at = as_written(file, s)  # a stamp as the file writes it (its own offset), with its row
    problem = irregularity_at(s.index.as_unit("ns"), at)  # asi8 in ns: gap sizes print right
    if problem:
        out.append(Problem(file, str(pd.read_csv(file, nrows=0).columns[0]), problem))
    vals = s.to_numpy()
    col = str(s.attrs.get("column", s.name))
    bad = [i for i, v in enumerate(vals) if not math.isfinite(v)]
    if bad:
        out.append(Problem(file, col, f"NaN/empty value at {at(bad[0], row=False)} ({len(bad)} in all), "
                                      f"{'the first ' if len(bad) > 1 else ''}on row {bad[0] + 2}"))
    neg = [i for i, v in enumerate(vals) if v < 0]
    if neg:
        value = f"{vals[neg[0]]:g} kW"
        unit = s.attrs.get("unit")
        if unit and unit != "kW":  # quote the value as the file has it, then as billed
            try:
                raw = pd.read_csv(file, usecols=[col])[col].iloc[neg[0]]
                value = f"{float(raw):g} {unit} ({vals[neg[0]]:g} kW)"
            except (ValueError, KeyError, IndexError):
                pass
        out.append(Problem(file, col, f"negative load {value} at {at(neg[0], row=False)} ({len(neg)} in all), "
                                      f"{'the first ' if len(neg) > 1 else ''}on row {neg[0] + 2}; bills "
                                      "are for imports only"))
    return out, s


def _load_problems(path: Path, tz: str | None = None, stamps: str | None = None,
                   dst_from_order: bool = False) -> list:
    """A load CSV's problems (:func:`load_check`)."""
    return load_check(path, tz, stamps, dst_from_order)[0]


def load_summary(path: Path, tz: str | None = None, stamps: str | None = None,
                 dst_from_order: bool = False) -> str:
    """What ``dcplan validate`` adds to the ``ok`` line of a load CSV with no problem: the load as
    ``dcplan bill`` with the same options bills it, e.g. `` (721 intervals of 1 h, 721.00 kWh,
    America/Chicago, labels: interval ends (from column name 'interval_end'); the America/Chicago clock
    repeats the times from 2025-11-02 01:00 (row 26 at -05:00, row 27 at -06:00): they were read from
    the row order (--dst-from-order))``. The count and the interval length are bill's ``Load:`` line's;
    the energy is the sum of each interval's kW times its length, the ``energy_kwh`` bill's table sums
    (a file with a gap is not ok, so every interval has the step's length). "" when the file has a
    problem or cannot be read as a load. Naive timestamps and no ``tz`` (checked on the wall clock): the
    line says bill needs ``--tz`` (it refuses such a file without one; validate said a bare ``ok``, a CLI
    tester's finding)."""
    try:
        problems, s = load_check(Path(path), tz, stamps, dst_from_order)
    except (InputError, OSError, ValueError):
        return ""
    if problems or s is None or len(s) < 2:
        return ""
    if s.index.tz is None:  # naive stamps without --tz, checked on the wall clock: bill refuses them
        return (" (timestamps without a UTC offset, checked on the wall clock: dcplan bill needs --tz ZONE to bill "
                "them, and dcplan validate --tz ZONE checks them on that zone's clock, its repeated and skipped "
                "hours included)")
    step_s = (s.index[1] - s.index[0]).total_seconds()
    step_min = step_s / 60.0
    step = f"{step_min / 60:g} h" if step_min >= 60 else f"{step_min:g} min"  # as bill's Load: line
    kwh = float(s.sum()) * step_s / 3600.0  # kW x h per interval; regular (no gap, else not ok)
    text = (f" ({len(s):,} intervals of {step}, {kwh:,.2f} kWh, {s.index.tz}, "
            f"labels: {s.attrs.get('stamps', 'interval ends')}")
    note = s.attrs.get("dst_note")
    if note:  # bill's note, to the end of what was done ("... (--dst-from-order)")
        note = note.removeprefix("Note:").strip()
        text += "; " + note.split(", the first pass", 1)[0]
    return text + ")"
