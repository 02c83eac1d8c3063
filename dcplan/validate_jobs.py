"""``dcplan validate`` on job files (part of :mod:`dcplan.validate`).

:func:`looks_like_jobs`: a CSV whose header reads as a job trace (an id and energy or power columns, or any
column only a job table has) is judged as a job file, even where :func:`dcplan.validate.detect_kind` took it
for a meter load (``job_id,energy_kwh,power_kw,start,end`` was read as a load with "several value columns";
the job loader then says ``'job_id' (did you mean 'name'?)``). :func:`jobs_problems`: every problem of a job
file, one per row, with ``--tz`` applied to naive times as ``load_jobs(path, tz=...)`` applies it; times without
a zone in several rows (no ``--tz``) are one problem naming the columns, the rows and the fix.
"""
from __future__ import annotations

import math
from pathlib import Path

from .errors import InputError

__all__ = ["looks_like_jobs", "jobs_problems"]

#: Columns of a job table that a meter load does not have.
_JOB_ONLY = {"earliest_start", "deadline", "gpu_hours", "accelerators", "kw_per_accelerator", "preemptible",
             "min_run_h", "priority"}
#: Columns that name a job (the job table's ``name`` and what other traces call it).
_ID_COLUMNS = {"name", "id", "job", "job_id", "jobid", "job_name", "jobname", "run_id"}
#: Columns of a job's size.
_SIZE_COLUMNS = {"energy_kwh", "power_kw", "gpu_hours", "accelerators"}


def looks_like_jobs(path: Path) -> bool:
    """A CSV whose header holds a column only a job table has (``deadline``, ``gpu_hours``, ...), or a job id
    (``name``, ``job_id``, ``id``, ...) beside a job's size (``energy_kwh``, ``power_kw``, ...). A meter load
    (a time column and kW values) has neither."""
    from .validate_kinds import _sniff_text
    try:
        text = _sniff_text(Path(path))
    except OSError:
        return False
    lines = [ln for ln in text.splitlines() if ln.strip() and not ln.lstrip().startswith("#")]
    if not lines:
        return False
    cols = {c.strip().strip('"').lower() for c in lines[0].lstrip("\ufeff").split(",")}
    return bool(cols & _JOB_ONLY) or bool(cols & _ID_COLUMNS and cols & _SIZE_COLUMNS)


def _tz_hint(message: str, tz: str | None) -> str:
    """The loader's naive-time message with how to give the zone on the command line."""
    if tz is None and "has no time zone" in message:
        return message + " (on the command line: dcplan validate --tz ZONE FILE)"
    return message


def _naive(value) -> bool:
    """A time without a zone or offset (``2025-07-14T00:00``), as :func:`dcplan.schedule_jobs.load_jobs` refuses it."""
    import pandas as pd
    try:
        return pd.Timestamp(str(value).strip()).tz is None
    except (ValueError, TypeError):
        return False


def _naive_problem(file: str, records: list, rows: list, n_rows: int, where):
    """One problem for the ``rows`` (0-based) of a job file whose times have no zone: the columns, the rows
    (a count, and the first few lines), an example and the fix (``--tz ZONE``, or offsets in the stamps)."""
    from .validate import Problem
    cols = [k for k in ("earliest_start", "deadline") if any(_naive(r.get(k)) for r in records)] or ["earliest_start"]
    example = next(str(r.get(cols[0])).strip() for r in records if _naive(r.get(cols[0])))
    def at(r) -> str:  # "lines 3 and 4" (a CSV), "" (YAML: no lines)
        return where(tuple(r)).removesuffix(": ")
    if not at(rows[:1]):
        lines = ""
    elif len(rows) <= 5:
        lines = at(rows)
    elif rows == list(range(rows[0], rows[-1] + 1)):      # a run of rows: its first and last line
        lines = f"{at(rows[:1])} to {at(rows[-1:])}"
    else:
        lines = at(rows[:3]) + ", ..."
    which = (f"all {n_rows} rows" if len(rows) == n_rows else f"{len(rows)} of {n_rows} rows") + \
        (f" ({lines})" if lines else "")
    return Problem(file, ", ".join(cols),
                   f"{which} give {' and '.join(cols)} without a time zone (e.g. {example!r}); give the zone they are "
                   f"in: dcplan validate --tz ZONE FILE (an IANA name, e.g. --tz America/New_York), or write each "
                   f"stamp with its UTC offset (2025-07-01T08:00-05:00)")


def jobs_problems(path: Path, tz: str | None = None) -> list:
    """Every problem of job file ``path``: the loader's (:func:`dcplan.schedule_jobs.load_jobs`, naive times in
    ``tz``), then, where it stopped at a row, each row checked on its own, and duplicate names."""
    from . import schedule_jobs as sj
    from .validate import Problem
    file = str(path)
    try:
        sj.load_jobs(path, tz=tz)
        return []
    except InputError as e:
        first = [Problem(p.file, p.field, _tz_hint(p.message, tz)) for p in Problem.from_error(e, file)]
        if e.field == "header":  # the columns themselves: one problem of the file, not one per row
            return first
    # the loader stops at the first bad row: check each row on its own
    try:
        if path.suffix.lower() == ".csv":
            records = sj._read_csv(path).to_dict("records")
        else:
            import yaml
            data = yaml.safe_load(path.read_text(encoding="utf-8"))
            records = data.get("jobs") if isinstance(data, dict) else data
    except Exception:  # unreadable: the loader's message says why
        return first
    if not isinstance(records, list) or not records:
        return first
    csv = path.suffix.lower() == ".csv"

    def where(rows) -> str:  # the file's line(s), as the loader names them (job CSVs)
        return f"{sj._csv_lines(path, rows)}: " if csv else ""

    out = []
    naive: list[int] = []      # rows whose times have no zone (tz None): one problem for all of them, below
    for i, rec in enumerate(records):
        if not isinstance(rec, dict):
            out.append(Problem(file, f"jobs[{i}]", f"a job must be a mapping, got {rec!r:.60}"))
            continue
        name = rec.get("name")
        if name is None or (isinstance(name, float) and math.isnan(name)):
            rec = {k: v for k, v in rec.items() if k != "name"}  # row number, not 'jobs[nan]'
        zoneless = tz is None and any(_naive(rec.get(k)) for k in ("earliest_start", "deadline"))
        if zoneless:
            naive.append(i)
        try:  # a zone-less row's other problems too: UTC only to read its times (its missing zone: below)
            sj.jobs_frame([rec], tz="UTC" if zoneless else tz)
        except InputError as e:
            fld = (e.field or "").replace("jobs[0]", f"jobs[{i}]", 1)
            msg = _tz_hint(e.detail if e.detail.startswith("line") else where((i,)) + e.detail, tz)
            out.append(Problem(file, fld, msg))
        except (ValueError, TypeError) as e:  # the loader should say InputError; still report
            out.append(Problem(file, f"jobs[{i}]", f"{type(e).__name__}: {e}"))
    names = [str(r.get("name")).strip() if r.get("name") is not None else None for r in records if isinstance(r, dict)]
    dups = sorted({n for n in names if n is not None and names.count(n) > 1})
    for n in dups:
        rows = tuple(i for i, m in enumerate(names) if m == n)
        out.append(Problem(file, "jobs.name", f"{where(rows)}duplicate job name {n!r} (names are compared without "
                                              "leading and trailing blanks); give each job its own name"))
    if len(naive) > 1:  # ten rows of the same missing zone: one problem naming the column(s), rows and the fix
        out.insert(0, _naive_problem(file, [records[i] for i in naive], naive, len(records), where))
        first = [p for p in first if "has no time zone" not in p.message]
    elif naive:  # one row: the loader's own message, with the command-line hint
        out.insert(0, next((p for p in first if "has no time zone" in p.message), None)
                   or Problem(file, f"jobs[{naive[0]}]", where(tuple(naive)) + "has no time zone"))
    if not out or not first:
        return out or first
    # the loader's message of a row names it ('row 3: ...'); the same problem found here need not repeat it
    same = any(p.message == first[0].message or first[0].message.endswith(": " + p.message) for p in out)
    return out if same else out + first
