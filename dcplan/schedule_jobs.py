"""Jobs for :mod:`dcplan.schedule`: the job table and its loaders (the synthetic mix generator:
:mod:`dcplan.schedule_generate`).

A job is a block of flexible IT work (training run, batch inference, evaluation)
described by the energy it needs, the power it draws when running, the window it
may run in and whether it can be paused:

==================  =======================================================================
column              meaning
==================  =======================================================================
``name``            unique job id
``energy_kwh``      IT energy the job needs [kWh] (or ``gpu_hours`` x ``kw_per_accelerator``)
``power_kw``        IT power when running at full speed [kW] (or ``accelerators`` x
                    ``kw_per_accelerator``)
``earliest_start``  tz-aware time the job may start (interval-start convention) [timestamp]
``deadline``        tz-aware time by which it must be finished [timestamp]
``preemptible``     True: may pause and run at any power in [0, ``power_kw``] (a data-parallel
                    job that checkpoints and shrinks); False: runs once, uninterrupted.
                    ``true``/``false`` (also ``yes``/``no``, ``1``/``0``); default true
``min_run_h``       preemptible jobs only: power may change only at multiples of this from
                    ``earliest_start``, rounded up to whole schedule steps (2.5 h on an
                    hourly grid: 3 h) (see :func:`dcplan.schedule.optimize`) [h]
``priority``        integer (an integral float such as 2.0 is taken; 1.7 is refused), higher
                    first: ordering in the baselines, weight of the optional delay cost
==================  =======================================================================

Required: ``name``, ``earliest_start``, ``deadline``, ``energy_kwh`` (or ``gpu_hours``) and
``power_kw`` (or ``accelerators``). Optional, with their defaults: ``preemptible`` true,
``min_run_h`` 0, ``priority`` 1, ``kw_per_accelerator`` :data:`KW_PER_ACCELERATOR_DEFAULT`.
An empty value (an empty CSV cell or one pandas reads as missing, ``nan``, ``NA``, ``null``, a blank string,
``None``/NaN) in an optional column is that column's default, as is the column left out; in a required column it
is an error naming the job (in a CSV file, its line), the column and the word written.

Time convention: the schedule uses interval-ending labels, so a job may use the
interval labelled ``t`` when ``t - step >= earliest_start`` and ``t <= deadline``.
"""
from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from .errors import InputError
from .schedule_jobs_csv import _csv_lines, _NAWord, _read_csv, _without_comment_lines  # noqa: F401
from .power import REFERENCE_UNIT, unit_kw_per_accelerator

__all__ = ["Job", "jobs_frame", "load_jobs", "JOB_COLUMNS", "KW_PER_ACCELERATOR_DEFAULT"]

#: IT kW per accelerator including its share of host, memory and network, where neither the job nor a site
#: says its own: the ``data/hardware.csv`` row of :data:`dcplan.power.REFERENCE_UNIT` (``hgx-h100``), its
#: ``max_kw / accelerators_per_unit`` = 10.2 kW / 8 = 1.275 kW (NVIDIA DGX H100 system maximum input, DGX H100
#: user guide as quoted in docs/reference-data.md section 1, secondary), read from the catalog, not copied: read
#: when first asked (module ``__getattr__``), not on import, so importing dcplan reads no data file (a kernel
#: forked from render's warm zygote starts with none read, as a fresh one does).
def _kpa_default() -> float:
    return unit_kw_per_accelerator(REFERENCE_UNIT)


def __getattr__(name: str):
    if name == "KW_PER_ACCELERATOR_DEFAULT":
        return _kpa_default()
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")

JOB_COLUMNS = ("name", "energy_kwh", "power_kw", "earliest_start", "deadline", "preemptible",
               "min_run_h", "priority")
_OPTIONAL = ("gpu_hours", "accelerators", "kw_per_accelerator")


@dataclass(frozen=True)
class Job:
    """One flexible job (see the module docstring for every field).

    Give ``energy_kwh`` or ``gpu_hours``, and ``power_kw`` or ``accelerators``;
    ``kw_per_accelerator`` converts (None: the ``kw_per_accelerator`` given to :func:`jobs_frame`,
    else :data:`KW_PER_ACCELERATOR_DEFAULT`).
    """

    name: str
    earliest_start: pd.Timestamp
    deadline: pd.Timestamp
    energy_kwh: float | None = None
    power_kw: float | None = None
    gpu_hours: float | None = None
    accelerators: float | None = None
    kw_per_accelerator: float | None = None
    preemptible: bool = True
    min_run_h: float = 0.0
    priority: int = 1

    def row(self) -> dict:
        """The job as one row of the job table (energy and power resolved)."""
        out = _resolve(dict(self.__dict__), f"job {self.name!r}")
        out.pop("_kpa", None)
        return out


def _num(v, field: str) -> float:
    """A number from a job field, or an InputError naming the field (no ValueError escapes)."""
    try:
        x = float(v)
    except (TypeError, ValueError):
        raise InputError(f"must be a number, got {v!r}", field=field) from None
    if not np.isfinite(x):
        raise InputError(f"must be a finite number, got {v!r}", field=field)
    return x


def _empty(v) -> bool:
    """An empty value: None, NaN/NaT/NA (pandas' empty CSV cell), a missing-value word of a CSV (:class:`_NAWord`)
    or a blank string."""
    if v is None or v is pd.NA or v is pd.NaT or isinstance(v, _NAWord):
        return True
    if isinstance(v, str):
        return not v.strip()
    return isinstance(v, float) and np.isnan(v)


def _given(r: dict, k: str) -> bool:
    return not _empty(r.get(k))


def _positive(v, field: str) -> float:
    x = _num(v, field)
    if x <= 0:
        raise InputError(f"must be > 0, got {v!r}", field=field)
    return x


def _resolve(r: dict, where: str, kpa_default: float | None = None) -> dict:
    kpa_default = _kpa_default() if kpa_default is None else kpa_default
    kpa = r.get("kw_per_accelerator")
    kpa = kpa_default if _empty(kpa) else _positive(kpa, f"{where}.kw_per_accelerator")
    for direct, derived in (("energy_kwh", "gpu_hours"), ("power_kw", "accelerators")):
        if _given(r, direct) and _given(r, derived):  # both: they must agree (one would be ignored)
            d, x = _num(r[direct], f"{where}.{direct}"), _num(r[derived], f"{where}.{derived}")
            if not np.isclose(x * kpa, d, rtol=1e-6, atol=1e-9):
                raise InputError(f"gives {direct} {d:g} but {derived} {x:g} x kw_per_accelerator {kpa:g} = "
                                 f"{x * kpa:,.6g}; give one, or make them agree", field=f"{where}.{derived}")
    e, p = r.get("energy_kwh"), r.get("power_kw")
    if _empty(e):
        gh = r.get("gpu_hours")
        if _empty(gh):
            raise InputError(f"{_blank(r, 'energy_kwh', 'gpu_hours')}give energy_kwh [kWh] or gpu_hours",
                             field=f"{where}.energy_kwh")
        e = _positive(gh, f"{where}.gpu_hours") * kpa
    if _empty(p):
        a = r.get("accelerators")
        if _empty(a):
            raise InputError(f"{_blank(r, 'power_kw', 'accelerators')}give power_kw [kW] or accelerators",
                             field=f"{where}.power_kw")
        p = _positive(a, f"{where}.accelerators") * kpa
    out = {"name": str(r["name"]).strip(), "energy_kwh": _num(e, f"{where}.energy_kwh"),
           "power_kw": _num(p, f"{where}.power_kw"),
           "earliest_start": r["earliest_start"], "deadline": r["deadline"],
           "preemptible": True if _empty(r.get("preemptible")) else r["preemptible"],
           "min_run_h": 0.0 if _empty(r.get("min_run_h")) else _num(r["min_run_h"], f"{where}.min_run_h"),
           "priority": 1 if _empty(r.get("priority")) else r["priority"]}
    if _empty(r.get("energy_kwh")) or _empty(r.get("power_kw")):  # converted from accelerators: at which figure
        out["_kpa"] = kpa
    return out


def _blank(r: dict, *keys: str) -> str:
    """``"empty; "`` when one of ``keys`` is in record ``r`` as an empty CSV cell (NaN) or a blank string, else ''
    (the keys are not there, or None: a Job's unset field, YAML's null); a missing-value word (:class:`_NAWord`)
    quoted instead: ``"got 'nan', a missing-value word read as an empty cell; "``."""
    words = [(k, r[k]) for k in keys if isinstance(r.get(k), _NAWord)]
    if len(words) == 1:
        return f"got {str(words[0][1])!r}, a missing-value word read as an empty cell; "
    if words:
        return (f"got {' and '.join(f'{k} {str(v)!r}' for k, v in words)}, missing-value words read as empty "
                "cells; ")
    return "empty; " if any(r.get(k) is not None for k in keys) else ""


#: A date written day/month/year or month/day/year (``07/08/2025``, ``08.07.2025``): which is the
#: day cannot be told, and pandas would read the first number as the month.
_AMBIGUOUS_DATE = re.compile(r"\s*\d{1,2}[/.]\d{1,2}[/.]\d{2,4}(?:\D|$)")
_AMBIGUOUS_TEXT = ("day/month or month/day dates are not read: their order is ambiguous; write ISO 8601, "
                   "e.g. 2025-07-08T00:00-05:00")


def _ambiguous_date(v) -> bool:
    return isinstance(v, str) and _AMBIGUOUS_DATE.match(v) is not None


def _as_bool(v, field: str) -> bool:
    if isinstance(v, (bool, np.bool_)):
        return bool(v)
    if isinstance(v, str) and v.strip().lower() in ("true", "yes", "1", "false", "no", "0"):
        return v.strip().lower() in ("true", "yes", "1")
    if isinstance(v, (int, np.integer, float, np.floating)) and v in (0, 1):  # 1.0: a 1/0 column with an empty cell
        return bool(v)
    raise InputError(f"must be true/false, got {v!r}; also allowed: yes/no, 1/0; empty: the default, true", field=field)


def _checked_table(df: pd.DataFrame, kpa_default: float | None = None) -> pd.DataFrame | None:
    """The job table of a DataFrame that is one already, checked column by column.

    For tables like :func:`generate_jobs` makes or a rolling horizon's year of jobs
    (thousands of rows): the same checks as :func:`jobs_frame`'s row loop, vectorised.
    Returns None when anything is not plainly valid (other columns, a missing or odd
    value, a failed check): the row loop then builds the table or names the problem.
    """
    from pandas.api import types as pt
    kpa_default = _kpa_default() if kpa_default is None else kpa_default
    cols = set(df.columns)
    if len(df) == 0 or len(cols) != len(df.columns) \
            or not set(JOB_COLUMNS) <= cols <= set(JOB_COLUMNS) | set(_OPTIONAL):
        return None
    if "kw_per_accelerator" in cols:  # checked by the row loop even when energy and power are given
        kpa = df["kw_per_accelerator"]
        if pt.is_bool_dtype(kpa) or not (pt.is_float_dtype(kpa) or pt.is_integer_dtype(kpa)) \
                or np.isinf(kpa.to_numpy(dtype=float)).any():
            return None
    names = df["name"].tolist()
    if not all(type(n) is str and n.strip() and n == n.strip() for n in names) or len(set(names)) != len(names):
        return None
    num = {}
    for k in ("energy_kwh", "power_kw", "min_run_h"):
        col = df[k]
        if pt.is_bool_dtype(col) or not (pt.is_float_dtype(col) or pt.is_integer_dtype(col)):
            return None
        num[k] = col.to_numpy(dtype=float)
    e, p, m = num["energy_kwh"], num["power_kw"], num["min_run_h"]
    if not (np.isfinite(e).all() and np.isfinite(p).all() and np.isfinite(m).all()
            and (e > 0).all() and (p > 0).all() and (m >= 0).all()):
        return None
    es, dl = df["earliest_start"], df["deadline"]
    if not (isinstance(es.dtype, pd.DatetimeTZDtype) and isinstance(dl.dtype, pd.DatetimeTZDtype)):
        return None
    if es.isna().any() or dl.isna().any():
        return None
    hours = (dl - es).dt.total_seconds().to_numpy() / 3600.0
    if not (hours > 0).all() or (e > p * hours * (1 + 1e-9)).any():
        return None
    pre, pri = df["preemptible"], df["priority"]
    if not pt.is_bool_dtype(pre) or pre.isna().any() or pt.is_bool_dtype(pri) or not pt.is_integer_dtype(pri):
        return None
    if ((m > 0) & ~pre.to_numpy(dtype=bool)).any():  # min_run_h on a non-preemptible job: the row loop says so
        return None
    kpa_v = (df["kw_per_accelerator"].to_numpy(dtype=float) if "kw_per_accelerator" in cols
             else np.full(len(df), kpa_default))
    for k, direct in (("gpu_hours", e), ("accelerators", p)):  # both forms given: they must agree
        if k in cols:
            col = df[k]
            if pt.is_bool_dtype(col) or not (pt.is_float_dtype(col) or pt.is_integer_dtype(col)):
                return None
            x = col.to_numpy(dtype=float)
            given = ~np.isnan(x)
            if not np.isclose(x[given] * kpa_v[given], direct[given], rtol=1e-6, atol=1e-9).all():
                return None
    out = pd.DataFrame({"name": names, "energy_kwh": e, "power_kw": p,
                        "earliest_start": es.array, "deadline": dl.array,
                        "preemptible": pre.to_numpy(dtype=bool), "min_run_h": m,
                        "priority": pri.to_numpy(dtype=np.int64)}, columns=list(JOB_COLUMNS))
    return out.set_index("name")


def jobs_frame(jobs, *, tz=None, kw_per_accelerator: float | None = None) -> pd.DataFrame:
    """Validate jobs and return the job table (one row per job, columns :data:`JOB_COLUMNS`).

    Parameters
    ----------
    jobs : list of Job or dict, or pandas.DataFrame
        Jobs; dict/DataFrame keys as the :class:`Job` fields.
    tz : str, optional
        Time zone for naive ``earliest_start``/``deadline`` values (otherwise they
        must carry an offset). Text dates written day or month first (``07/08/2025``)
        are refused: their order is ambiguous.
    kw_per_accelerator : float, optional
        IT kW per accelerator for the jobs given in accelerators (``gpu_hours``, ``accelerators``)
        without a ``kw_per_accelerator`` of their own (default :data:`KW_PER_ACCELERATOR_DEFAULT`).
        To schedule them at a site, give the site fleet's own figure, the one its capacity is
        counted in (:func:`dcplan.schedule_setup.site_kw_per_accelerator`), so that the jobs'
        accelerators and the site's are the same units. [kW]

    Returns
    -------
    pandas.DataFrame
        Indexed by ``name``; ``energy_kwh`` [kWh], ``power_kw`` [kW], ``earliest_start``,
        ``deadline``, ``preemptible``, ``min_run_h`` [h], ``priority``. Names are stripped of
        leading and trailing blanks (``"ft-01 "`` is ``"ft-01"``, so a second one is a duplicate).
        ``attrs["kw_per_accelerator"]``: ``{job: kW per accelerator}`` of the jobs whose energy or
        power was converted from accelerators (empty when none was), so the figure used is on record.

    Raises
    ------
    InputError
        Naming the job (``jobs['a'].deadline``, or ``jobs[3].name`` without a name) and the field;
        a DataFrame's unknown column once (``jobs.columns``). An error about rows carries their
        positions in ``rows`` (:func:`load_jobs` names their lines in the file).
    """
    need = "need a list of Job/dict or a DataFrame (use load_jobs(path) for a file)"
    if isinstance(jobs, (str, bytes, Path)):
        raise InputError(f"{need}, got {type(jobs).__name__} {str(jobs)!r:.60}", field="jobs")
    if isinstance(jobs, Mapping):
        raise InputError(f"{need}, got one dict (a single job? put it in a list)", field="jobs")
    if not isinstance(jobs, pd.DataFrame):
        try:
            jobs = list(jobs)
        except TypeError:
            raise InputError(f"{need}, got {type(jobs).__name__} {jobs!r:.60}", field="jobs") from None
    kpa_default = _kpa_default() if kw_per_accelerator is None else \
        _positive(kw_per_accelerator, "kw_per_accelerator")
    attrs = {}
    if isinstance(jobs, pd.DataFrame):
        attrs = dict(jobs.attrs)  # e.g. above_idle's idle_frac: named by the infeasibility report
        if "name" not in jobs.columns and jobs.index.name == "name":
            jobs = jobs.reset_index()
        _check_columns(jobs.columns, "jobs.columns", required=False)
        fast = _checked_table(jobs, kpa_default)
        if fast is not None:
            fast.attrs.update(attrs)
            fast.attrs.setdefault("kw_per_accelerator", {})
            return fast
        records = jobs.to_dict("records")
    else:
        for i, j in enumerate(jobs):
            if not isinstance(j, (Job, Mapping)):
                raise InputError(f"need a Job or a dict of job fields, got {type(j).__name__} {j!r:.60}",
                                 field=f"jobs[{i}]")
        records = [dict(j.__dict__) if isinstance(j, Job) else dict(j) for j in jobs]
    if not records:
        raise InputError("need at least one job", field="jobs")
    rows = []
    for i, r in enumerate(records):
        try:
            rows.append(_job_row(r, i, tz, kpa_default))
        except InputError as e:  # which row: load_jobs names its line in the file
            e.rows = (i,)
            raise
    converted = {r["name"]: r["_kpa"] for r in rows if "_kpa" in r}
    df = pd.DataFrame(rows, columns=list(JOB_COLUMNS))
    for k in ("earliest_start", "deadline"):  # offsets that change across DST (or Z next to -05:00)
        if not isinstance(df[k].dtype, pd.DatetimeTZDtype):  # left an object column: one clock, UTC
            df[k] = pd.to_datetime(df[k], utc=True)
    if df["name"].duplicated().any():
        dup = df["name"][df["name"].duplicated()].iloc[0]
        e = InputError(f"duplicate job name {dup!r} (names are compared without leading and trailing blanks); "
                       "give each job its own name", field="jobs.name")
        e.rows = tuple(np.flatnonzero(df["name"].to_numpy() == dup)[:2])  # its first two rows
        raise e
    out = df.set_index("name")
    out.attrs.update(attrs)
    out.attrs["kw_per_accelerator"] = {**attrs.get("kw_per_accelerator", {}), **converted}
    return out


#: Column names other job traces use, and the job table's own (``did you mean``).
COLUMN_ALIASES = {"name": ("id", "job", "job_id", "jobid", "job_name", "jobname", "run", "run_id"),
                  "earliest_start": ("start", "start_time", "release", "release_time", "submit", "submit_time",
                                     "submitted", "earliest"),
                  "deadline": ("end", "end_time", "due", "due_time", "finish_by", "latest_end")}


def _alias_hint(column: str) -> str:
    """`` (did you mean 'name'?)`` for a column another job trace names so (:data:`COLUMN_ALIASES`), else ''."""
    c = column.strip().lower()
    for own, aliases in COLUMN_ALIASES.items():
        if c in aliases:
            return f" (did you mean {own!r}?)"
    return ""


def _check_columns(columns, field: str, required: bool = True) -> None:
    """A job table's columns (a CSV file's header), checked once for the whole table: unknown or
    repeated columns and, when ``required``, required columns left out (:data:`JOB_COLUMNS`)."""
    from ._text import did_you_mean
    allowed = set(JOB_COLUMNS) | set(_OPTIONAL)
    cols = [str(c) for c in columns]
    # pandas reads a repeated header name 'deadline' as 'deadline' and 'deadline.1'
    twice = [c for c in cols if re.fullmatch(r"(.+)\.\d+", c) and c.rsplit(".", 1)[0] in cols]
    if twice:
        raise InputError(f"column {twice[0].rsplit('.', 1)[0]!r} is given twice; give each column once", field=field)
    unknown = [c for c in cols if c not in allowed]
    if unknown:
        listed = ", ".join(f"{c!r}{_alias_hint(c) or did_you_mean(c, allowed)}" for c in unknown)
        raise InputError(f"unknown column{'s' if len(unknown) > 1 else ''} {listed}; allowed: "
                         f"{', '.join(sorted(allowed))}", field=field)
    if not required:
        return
    for need in (("name",), ("earliest_start",), ("deadline",), ("energy_kwh", "gpu_hours"),
                 ("power_kw", "accelerators")):
        if not any(k in cols for k in need):
            what = " or ".join(need)
            raise InputError(f"no {what} column; every job needs one. Required columns: name, earliest_start, "
                             "deadline, energy_kwh (or gpu_hours), power_kw (or accelerators); optional: "
                             "preemptible (default true), min_run_h (0), priority (1), kw_per_accelerator "
                             f"({_kpa_default():g})", field=field)


def _job_row(r: dict, i: int, tz, kpa_default: float | None = None) -> dict:
    """Job record ``r`` (number ``i`` of the input) checked and resolved to one row of the table."""
    kpa_default = _kpa_default() if kpa_default is None else kpa_default
    allowed = set(JOB_COLUMNS) | set(_OPTIONAL)
    named = not _empty(r.get("name"))
    where = f"jobs[{str(r['name']).strip()!r}]" if named else f"jobs[{i}]"
    for k in r:  # a list of dicts: each may have its own keys (a table's columns are checked once)
        if k not in allowed:
            from ._text import unknown_key_message
            raise InputError(unknown_key_message(k, allowed), field=f"{where}.{k}")
    if not named:
        said = _blank(r, "name")
        raise InputError(f"{said}every job needs a name" if said.startswith("got") else
                         "missing name; every job needs one", field=f"{where}.name")
    for k in ("earliest_start", "deadline"):
        if _empty(r.get(k)):
            raise InputError(f"{_blank(r, k) or 'missing; '}required: a time with its UTC offset, "
                             "e.g. 2025-07-08T00:00-05:00", field=f"{where}.{k}")
    row = _resolve(r, where, kpa_default)
    for k in ("earliest_start", "deadline"):
        if _ambiguous_date(row[k]):  # pandas would read 07/08/2025 as 8 July, 08.07.2025 as 7 August
            raise InputError(f"{row[k]!r}: {_AMBIGUOUS_TEXT}", field=f"{where}.{k}")
        try:
            ts = pd.Timestamp(row[k])
        except (ValueError, TypeError):
            raise InputError(f"not a timestamp: {row[k]!r}", field=f"{where}.{k}") from None
        if ts is pd.NaT:  # 'NaT' (pandas reads it as no time): a job with no deadline was accepted
            raise InputError(f"got {row[k]!r}, no time; required: a time with its UTC offset, e.g. "
                             "2025-07-08T00:00-05:00", field=f"{where}.{k}")
        if ts.tz is None:
            if tz is None:
                raise InputError(f"{row[k]!r} has no time zone; give an offset "
                                 "(2025-07-01T08:00-05:00), or read the jobs with a zone first: "
                                 "jobs_frame(jobs, tz=...) or load_jobs(path, tz=...)", field=f"{where}.{k}")
            try:
                ts = ts.tz_localize(tz)
            except (ValueError, TypeError) as e:  # pytz/zoneinfo: a DST gap or repeated hour
                gap = "nonexistent" in str(e).lower()
                raise InputError(f"{row[k]!r} {'does not exist' if gap else 'happens twice'} in {tz} "
                                 f"({'the clocks skip it' if gap else 'the clocks repeat it'} at the DST "
                                 "change); give the time with its UTC offset", field=f"{where}.{k}") from None
        row[k] = ts
    row["preemptible"] = _as_bool(row["preemptible"], f"{where}.preemptible")
    for k in ("energy_kwh", "power_kw"):
        if not np.isfinite(row[k]) or row[k] <= 0:
            raise InputError(f"must be > 0, got {row[k]!r}", field=f"{where}.{k}")
    if not np.isfinite(row["min_run_h"]) or row["min_run_h"] < 0:
        raise InputError(f"must be >= 0, got {row['min_run_h']!r}", field=f"{where}.min_run_h")
    if row["min_run_h"] > 0 and not row["preemptible"]:  # it would be ignored: one run already
        raise InputError(f"min_run_h {row['min_run_h']:g} h is for preemptible jobs; a non-preemptible job "
                         "runs once, uninterrupted, so leave it out", field=f"{where}.min_run_h")
    try:
        pr = row["priority"]
        pv = int(pr)
        if not isinstance(pr, str) and pv != pr:  # 1.7 is not truncated to 1
            raise ValueError(pr)
        row["priority"] = pv
    except (TypeError, ValueError, OverflowError):
        raise InputError(f"must be an integer, got {row['priority']!r}", field=f"{where}.priority") from None
    if row["deadline"] <= row["earliest_start"]:
        raise InputError(f"deadline {row['deadline']} is not after earliest_start "
                         f"{row['earliest_start']}", field=f"{where}.deadline")
    hours = (row["deadline"] - row["earliest_start"]).total_seconds() / 3600.0
    if row["energy_kwh"] > row["power_kw"] * hours * (1 + 1e-9):
        raise InputError(
            f"needs {row['energy_kwh']:,.1f} kWh but at {row['power_kw']:,.1f} kW its window of "
            f"{hours:g} h holds only {row['power_kw'] * hours:,.1f} kWh", field=f"{where}.energy_kwh")
    return row


def load_jobs(path, *, tz=None, kw_per_accelerator: float | None = None) -> pd.DataFrame:
    """Read a job table from CSV or YAML and validate it (:func:`jobs_frame`).

    ``kw_per_accelerator``: the IT kW per accelerator of the jobs given in accelerators without a
    figure of their own (default :data:`KW_PER_ACCELERATOR_DEFAULT`, a DGX H100's); to schedule them
    at a site give the site fleet's, :func:`dcplan.schedule_setup.site_kw_per_accelerator` (or load the
    file with :func:`dcplan.schedule_setup.load_site_jobs`). The frame's ``attrs["kw_per_accelerator"]``
    names the figure each converted job got.

    CSV: one row per job, header from :data:`JOB_COLUMNS` (or ``gpu_hours``,
    ``accelerators``, ``kw_per_accelerator``); a line whose first non-blank character is ``#`` is a
    comment (a ``#`` elsewhere is text: a job named ``run#2`` is read whole); an empty cell of an
    optional column is its default (module docstring). YAML: a list of job mappings, or
    ``{"jobs": [...]}``. Times are ISO 8601; a date written day or month first (``07/08/2025``,
    ``08.07.2025``) is refused, as ``dcplan bill`` refuses one in a load: which number is the
    month cannot be told (pandas would take the first).

    Errors name the file. A problem of the CSV header (an unknown, repeated or missing column)
    is named once as ``header``; a problem of a CSV row names the job (or, without a name, its
    position) and the column, and the row's line in the file as an editor numbers it (the
    header line of a file without comments is line 1; comment and blank lines count):
    ``jobs.csv: jobs['b'].energy_kwh: line 3: must be > 0, got -100.0``.

    ``path`` is found as :meth:`dcplan.tariff.Tariff.from_urdb` finds a tariff
    (:func:`dcplan.paths.input_path`): as given (relative to the current folder) when it exists, else,
    for a ``data/...`` name, the bundled copy (``load_jobs("data/jobs_example.csv", tz=...)`` works
    from any folder and from an installed wheel).
    """
    from .paths import input_path
    path = input_path(path)
    try:
        if path.suffix.lower() in (".yaml", ".yml"):
            import yaml

            from ._yaml import error_text, safe_load
            try:
                data = safe_load(path.read_text(encoding="utf-8"))
            except yaml.YAMLError as e:
                raise InputError(error_text(e)) from None
            if isinstance(data, dict):
                data = data.get("jobs")
            if not isinstance(data, list):
                raise InputError("need a list of jobs (or a 'jobs:' key holding one)", field="jobs")
            return jobs_frame(data, tz=tz, kw_per_accelerator=kw_per_accelerator)
        if path.suffix.lower() == ".csv":
            df = _read_csv(path)
            _check_columns(df.columns, "header")
            return jobs_frame(df, tz=tz, kw_per_accelerator=kw_per_accelerator)
    except InputError as e:  # a problem of CSV rows (jobs_frame says which): named by their lines
        rows = getattr(e, "rows", None) if path.suffix.lower() == ".csv" else None
        raise InputError(f"{_csv_lines(path, rows)}: {e.detail}" if rows else e.detail, file=str(path),
                         field=e.field) from None
    except FileNotFoundError:
        raise InputError(f"file not found (a relative name is read from the current folder, {Path.cwd()}; "
                         "a data/... name also from the bundled data)", file=str(path)) from None
    raise InputError(f"unknown job file type {path.suffix!r}; allowed: .csv, .yaml, .yml", file=str(path))
