"""A sweep's results file (part of :mod:`dcplan.sweep`): reading it, writing it
atomically and durably, keeping the previous one, removing stale temporary files.

* **Atomic and durable**: :func:`save_results` writes a temporary file next to the
  results, flushes it to disk (``fsync``), moves it into place with :func:`os.replace`
  and syncs the folder, so neither a crash nor a power loss leaves a half-written or
  empty file where the previous one was. A CSV or results file the system refuses to replace
  is found before any case runs (:func:`check_replaceable`).
* **The results file is the record; the CSV a copy**: a results file that cannot be saved
  stops the sweep (its error names the file; the results file and CSV are as last saved). A
  ``--csv`` CSV that becomes unwritable while the sweep runs (opened in Excel, which locks it;
  a full disk) does not: the CSV is left as it was, the cases go on and are saved to the
  results file, each later save tries the CSV again, and a CSV the last save could not write is
  reported at the end, naming the file and the cause, with how to write it
  (:func:`write_results_csv`); ``dcplan sweep`` then exits 1. Before, the sweep stopped at the
  first save that found the CSV locked, the cases still to run not run.
* **The previous results are kept**: the results file always holds the latest run,
  partial while it runs, so a re-run after a crash or Ctrl-C resumes from it. A run
  that would drop finished (``ok``) rows of the file it found (``resume=False``, a
  changed case function, site file or dcplan version, cases no longer in the spec)
  first keeps that file as ``<stem>.previous.parquet`` (and ``<stem>.csv``, a sweep's
  CSV, as ``<stem>.previous.csv``), replaced atomically, one generation,
  just before its first save; ``notify`` (the CLI's stderr) and the summary say so. A
  run interrupted before any case finished does not touch the file. One exception
  keeps the last *complete* set: when the file found is the partial output of an
  interrupted run that had itself kept its predecessor, ``.previous`` already holds
  that complete set and is not replaced by the partial rows (the file's metadata
  records ``complete`` and ``previous_kept``; a file without them counts as complete).
  To go back, rename ``<stem>.previous.parquet`` to ``<stem>.parquet``. A run without
  ``--csv`` never changes or removes ``<stem>.csv`` (it may be the only copy, or carry the
  user's own columns): it copies a sweep's CSV with ``.previous`` and says when the CSV no
  longer matches the results; and a run refuses to start when a ``.previous`` name holds a
  file that is not a sweep result (:func:`check_previous_files`).
* **A CSV the reader edited or made is kept**: the ``--csv`` CSV is an export
  (:mod:`dcplan.export_record`): each save records its SHA-256 in the folder's
  ``.dcplan-exports.json``, and a save that finds the CSV not as dcplan last wrote it (edited in
  a spreadsheet and saved between two runs, or during one; a file of the reader's own, with or
  without ``case_id``/``status`` columns; a CSV of a dcplan before the record) first moves it to
  ``<stem>.edited-<UTC time>.csv`` or ``<stem>.kept-<UTC time>.csv`` beside it, never over a file,
  and says so (a :class:`~dcplan.errors.DcplanWarning` naming both, and the summary). The run's
  own saves are not edits (each is recorded, and the run knows the bytes of its last one), nor is
  a CSV with no record that is byte for byte the CSV of the results file found (:func:`csv_sha_of`).
  Such a CSV is not kept as ``.previous.csv`` (it is not the previous results' copy). Before, an
  edited sweep CSV was overwritten and one without those columns refused.
* **CSV text is text**: a text field that begins with ``=``, ``+``, ``-``, ``@``, a tab or a
  carriage return (a site name, an axis value) is written with a leading ``'``, so a spreadsheet
  does not run it as a formula (:mod:`dcplan.export_text`).
* **Stale temporary files**: the writer names its temporary files
  ``.<file name>.<pid>-<random>.tmp``; a run first removes those of its own output
  files whose process is gone (left by a sweep killed with SIGKILL, say), and
  temporaries named as earlier versions named them (``.<file name>.<random>.tmp``)
  once older than :data:`LEGACY_TMP_AGE_S`. Nothing else is removed.
"""
from __future__ import annotations

import contextlib
import errno
import json
import os
import re
import shutil
import tempfile
import time
import uuid
import warnings
from pathlib import Path
from typing import NamedTuple

import pandas as pd

from .errors import DcplanWarning, InputError
from .export_text import write_csv
from .report_files import _fsync_dir, _fsync_file, is_disk_full
from .tco_export_files import _DENIED, _denied


def read_results(path: str | Path) -> pd.DataFrame:
    """Read a sweep's Parquet (or CSV) results."""
    path = Path(path)
    try:
        if path.suffix.lower() == ".csv":
            return pd.read_csv(path)
        return pd.read_parquet(path)
    except FileNotFoundError:
        raise InputError("results file not found", file=str(path)) from None
    except Exception as e:  # pyarrow raises its own types for a damaged file
        raise InputError(f"cannot read sweep results ({type(e).__name__}: {e}); delete the file "
                         "or choose another --out", file=str(path)) from None


def _file_meta(path: Path) -> dict:
    """The ``dcplan.sweep`` metadata of a results file written by :func:`run_sweep` ({} if none)."""
    try:
        import pyarrow.parquet as pq
        raw = (pq.read_schema(path).metadata or {}).get(b"dcplan.sweep")
        return json.loads(raw) if raw else {}
    except Exception:  # noqa: BLE001 - unreadable metadata: nothing to reuse
        return {}



def _parquet_safe(df: pd.DataFrame) -> pd.DataFrame:
    """Object columns mixing numbers and text become text (Parquet needs one type per column)."""
    out = df.copy()
    for col in out.columns:
        s = out[col]
        if s.dtype == object:
            kinds = {("num" if isinstance(v, (int, float)) and not isinstance(v, bool) else type(v).__name__)
                     for v in s.dropna()}
            if len(kinds) > 1:
                out[col] = s.map(lambda v: v if v is None or (isinstance(v, float) and v != v) else str(v))
            elif kinds == {"num"}:
                out[col] = pd.to_numeric(s)
    return out


#: Age after which a temporary file named as earlier dcplan versions named them (no
#: process id: ``.<file name>.<random>.tmp``) is taken as left by a killed sweep; one
#: lives for the seconds of one write, so an hour is far beyond any live writer's. [s]
LEGACY_TMP_AGE_S = 3600.0


def _tmp_prefix(path: Path) -> str:
    """Prefix of this process's temporary files for ``path``: ``.<name>.<pid>-``."""
    return f".{path.name}.{os.getpid()}-"


#: Digits of the longest process id in a temporary file's name (:func:`_tmp_prefix`): Linux's pid_max is at most
#: 2**22 = 4,194,304 (proc(5)); macOS's 99,999.
_PID_DIGITS = 7


def longest_work_name(path: Path) -> str:
    """The longest name a sweep writes beside its results file ``path``: the temporary file of the kept
    ``<stem>.previous<suffix>`` (:func:`_previous_path`), ``.<name>.<pid>-<8 characters>.tmp`` with the longest
    process id (:data:`_PID_DIGITS`); the results file's own (``.<name>.<pid>-<8 characters>.probe``), the CSV's
    (``.csv``) and the lock's (``.<name>.lock``) are shorter for a ``.parquet`` or ``.pq`` file."""
    return f".{_previous_path(path).name}.{'9' * _PID_DIGITS}-{'x' * 8}.tmp"


def check_name_length(path: Path, field: str, named_by: str = "") -> None:
    """Refuse, before any case runs, a results file whose name leaves no room for :func:`longest_work_name` within
    the file system's limit per name (:func:`dcplan.tco_export_files.name_max`, 255 bytes on ext4, APFS, NTFS):
    otherwise the first save, or the first keeping of the previous results, failed after cases had run. The
    :class:`~dcplan.errors.InputError` names the value, its length and the limit, in UTF-8 bytes (what the
    limit counts: a non-ASCII character is 2 to 4). ``named_by``: what chose the name (the sweep's ``name``)."""
    from .tco_export_files import brief, name_max
    folder = next((q for q in (path.parent, *path.parent.parents) if q.is_dir()), Path("."))
    limit, work = name_max(folder), longest_work_name(path)
    n, extra = len(os.fsencode(work)), len(os.fsencode(work)) - len(os.fsencode(path.name))
    if n > limit:
        raise InputError(f"results file name {brief(path.name, 60)}{named_by} is {len(os.fsencode(path.name))} bytes "
                         f"long in UTF-8; the sweep writes names up to {extra} bytes longer beside it (the kept "
                         f"previous results' temporary file, '.<stem>.previous{path.suffix}.<process id>-<8 "
                         f"characters>.tmp'), {n} bytes, over this file system's limit of {limit} bytes per name: "
                         f"shorten it by at least {n - limit} byte{'s' if n - limit > 1 else ''} (characters, "
                         "if ASCII)", field=field)


def _pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except (PermissionError, OverflowError, ValueError):
        return True  # someone else's process, or not a pid we can ask about: keep its files
    return True


def _remove_stale_temps(paths: list[Path]) -> list[Path]:
    """Remove the temporary files the writer left for ``paths`` when killed: named
    ``.<name>.<pid>-<8 random>.tmp`` (or ``.probe``) by a process that is gone, or
    ``.<name>.<8 random>.tmp`` (earlier versions) older than :data:`LEGACY_TMP_AGE_S`.
    Anything else, and another live process's temporaries, are left alone."""
    removed = []
    for path in paths:
        own = re.compile(rf"\.{re.escape(path.name)}\.(?:(\d+)-)?[a-z0-9_]{{8}}\.(?:tmp|probe)")
        try:
            entries = list(path.parent.iterdir())
        except OSError:
            continue
        for f in entries:
            m = own.fullmatch(f.name)
            if not m or f.is_symlink() or not f.is_file():
                continue
            if m.group(1) is not None:
                pid = int(m.group(1))
                stale = pid != os.getpid() and not _pid_alive(pid)
            else:
                try:
                    stale = time.time() - f.stat().st_mtime > LEGACY_TMP_AGE_S
                except OSError:
                    stale = False
            if stale:
                with contextlib.suppress(FileNotFoundError):
                    f.unlink()
                    removed.append(f)
    return removed


def _previous_path(path: Path) -> Path:
    """Where a results file is kept when a run replaces its rows: ``<stem>.previous<suffix>``."""
    return path.with_name(f"{path.stem}.previous{path.suffix}")


def _is_sweep_csv(path: Path) -> bool:
    """Whether a CSV is a sweep result (its header has case_id and status)."""
    try:
        cols = pd.read_csv(path, nrows=0).columns
    except Exception:  # unreadable, empty, a folder: not ours
        return False
    return {"case_id", "status"} <= set(cols)


def _csv_matches(csv: Path, results: Path) -> bool:
    """Whether the sweep CSV ``csv`` holds the same cases as the results file ``results`` (its ``case_id``s, as
    many rows): an earlier run's CSV that a run without ``--csv`` left beside newer results does not, and is
    not kept as ``.previous.csv`` beside those results' ``.previous.parquet`` (two generations under one name)."""
    try:
        a = pd.read_csv(csv, usecols=["case_id"])["case_id"].astype(str)
        b = pd.read_parquet(results, columns=["case_id"])["case_id"].astype(str)
    except Exception:  # noqa: BLE001 - unreadable: not shown to match
        return False
    return len(a) == len(b) and sorted(a) == sorted(b)


def _is_sweep_result(path: Path) -> bool:
    """Whether a results file (Parquet or CSV) is a sweep's (case_id and status columns)."""
    if path.suffix.lower() == ".csv":
        return _is_sweep_csv(path)
    try:
        import pyarrow.parquet as pq
        return {"case_id", "status"} <= set(pq.read_schema(path).names)
    except Exception:  # noqa: BLE001 - unreadable, not Parquet: not ours
        return False


def check_previous_files(paths) -> None:
    """Refuse to run when a file where the sweep keeps its previous results (``<stem>.previous.parquet``,
    ``<stem>.previous.csv``: :func:`_previous_path`) exists and is not a sweep result: keeping the
    previous results would replace it (or remove it), and it is the user's own file. An
    :class:`~dcplan.errors.InputError` naming it, before any case runs."""
    for q in paths:
        if q.is_file() and not _is_sweep_result(q):
            raise InputError("exists and is not a dcplan sweep result (no case_id/status columns); the sweep "
                             "keeps its previous results under this name and would overwrite it: move it or "
                             "choose another --out", file=str(q), field="--out")


def check_replaceable(paths) -> None:
    """Refuse to run when a results file or CSV the sweep would replace is locked or protected (open
    in Excel on Windows, immutable): found by opening it to append, which writes nothing. An
    :class:`~dcplan.errors.InputError` naming it, before any case runs, not after all of them. A
    read-only mode (EACCES) is not refused where a file's mode does not stop its replacement (POSIX);
    a lock this cannot see is refused by :func:`save_results`, and the files stay as they were."""
    for q in paths:
        if q is None or not q.is_file():
            continue
        try:
            os.close(os.open(q, os.O_WRONLY | os.O_APPEND | getattr(os, "O_NONBLOCK", 0)))
        except OSError as exc:
            if os.name != "nt" and exc.errno == errno.EACCES:
                continue
            err = _denied(exc, q.parent, q, "replace", "--out",
                          again=("run the sweep again", "nothing was run or written"))
            if err is not exc:
                raise err from None


def _keep_copy(src: Path, dst: Path) -> None:
    """Make ``dst`` a copy of ``src``, replacing ``dst`` atomically (a hard link when the
    file system has them: ``src`` itself is only ever replaced, never written in place). When
    ``dst`` already is ``src`` (a hard link kept by an earlier run) there is nothing to do: a
    rename onto a link of the same file does nothing and left the temporary link behind."""
    if dst.exists() and os.path.samefile(src, dst):
        return
    tmp = dst.with_name(f"{_tmp_prefix(dst)}{uuid.uuid4().hex[:8]}.tmp")
    try:
        try:
            os.link(src, tmp)
        except OSError:  # no hard links here (some network or FUSE file systems)
            tmp.unlink(missing_ok=True)
            shutil.copyfile(src, tmp)
            _fsync_file(tmp)
        os.replace(tmp, dst)
    except BaseException as exc:
        tmp.unlink(missing_ok=True)
        if is_disk_full(exc):  # named (the OS names the temporary file, or none)
            raise _denied(exc, dst.parent, dst, "write", "--out", again=("", f"{src} is unchanged")) from exc
        raise
    _fsync_dir(dst.parent)


def _write_tmp(df: pd.DataFrame, path: Path, meta: dict) -> Path:
    """``df`` written to a new temporary file next to ``path`` (Parquet with ``meta``, or CSV), flushed
    to disk and world-readable; returns its name. On failure nothing is left behind."""
    import pyarrow as pa
    import pyarrow.parquet as pq
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=_tmp_prefix(path), suffix=".tmp")
    os.close(fd)
    try:
        if path.suffix.lower() == ".csv":
            write_csv(df, tmp, index=False)  # text a spreadsheet would run as a formula gets a leading '
        else:
            table = pa.Table.from_pandas(_parquet_safe(df), preserve_index=False)
            md = dict(table.schema.metadata or {})
            md[b"dcplan.sweep"] = json.dumps(meta, default=str).encode()
            pq.write_table(table.replace_schema_metadata(md), tmp)
        _fsync_file(tmp)
        os.chmod(tmp, 0o644)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return Path(tmp)


def _atomic_write(df: pd.DataFrame, path: Path, meta: dict) -> None:
    """Write ``df`` to ``path`` alone: :func:`save_results` without a CSV."""
    save_results(df, path, None, meta)


class Saved(NamedTuple):
    """What :func:`save_results` did with the CSV: ``problem`` (None when written: :func:`csv_problem`), the
    SHA-256 of the CSV it wrote (``csv_sha``; the one given when it wrote none) and the reader's version it kept
    (``kept``: ``{csv: (kept name, why)}``, :func:`dcplan.export_record.plan_keep`; empty when none)."""

    problem: str | None
    csv_sha: str | None
    kept: dict


def save_results(df: pd.DataFrame, path: Path, csv_path: Path | None, meta: dict,
                 csv_sha: str | None = None) -> Saved:
    """Write ``df`` to the results file ``path`` and then, with ``csv_path``, to its CSV.

    The results file is the sweep's record (a re-run resumes from it); the CSV is a copy of it for a
    spreadsheet. Each is written to a temporary file next to it, flushed to disk and moved into
    place, and the folder synced so the renames survive a power loss. A results file that cannot be
    written is an error: the system refusing to replace it (immutable) an
    :class:`~dcplan.errors.InputError` naming it, a full disk an :class:`OSError` naming it; the
    results file and the CSV are then as last saved. A CSV that cannot be written (open in Excel,
    which locks it; read-only; a full disk) does not stop the sweep: it is left as it was and the
    problem, naming the file and the cause, is returned (for the sweep to try again at its next save and
    to report at the end if the last save failed too: :func:`csv_problem`).

    The CSV is an export (:mod:`dcplan.export_record`): a CSV there that is not as dcplan last wrote it (edited
    in a spreadsheet and saved, or a file of the reader's own) is kept beside it as ``<stem>.edited-<time>.csv``
    or ``<stem>.kept-<time>.csv`` (:func:`place_csv`). ``csv_sha``: the SHA-256 of the CSV this run's last save
    wrote, which is dcplan's whatever the record says (the record written after the CSV: a Ctrl-C in between
    must not make the run's own CSV an edit at its final save).
    """
    _place_one(df, path, meta, (f"{csv_path} and {path} are as last saved" if csv_path is not None
                                else f"{path} is as last saved"))
    if csv_path is None:
        return Saved(None, csv_sha, {})
    try:
        sha, kept = place_csv(df, csv_path, csv_sha)
    except OSError as exc:
        return Saved(csv_problem(exc, csv_path), csv_sha, {})
    return Saved(None, sha, kept)


def _place_one(df: pd.DataFrame, target: Path, meta: dict, kept: str | None) -> None:
    """``df`` written to ``target`` atomically and durably. ``kept``: what the error says is unchanged when
    ``target`` cannot be written (an error naming ``target``: :func:`~dcplan.tco_export_files._denied`); None
    raises the :class:`OSError` as it is. (The CSV: :func:`place_csv`.)"""
    phase, tmp = "write", None
    try:
        tmp = _write_tmp(df, target, meta)
        phase = "replace"
        os.replace(tmp, target)
        tmp = None
    except BaseException as exc:
        if kept is None or not isinstance(exc, OSError):
            raise
        err = _denied(exc, target.parent, target, phase, "--out", again=("run the sweep again", kept))
        if err is exc:
            raise
        raise err from exc
    finally:
        if tmp is not None:
            tmp.unlink(missing_ok=True)
    _fsync_dir(target.parent)


def csv_keep_plan(csv_path: Path, own_sha: str | None = None) -> dict:
    """``{csv_path: (kept name, why)}`` when the CSV ``csv_path`` is to be kept before it is replaced (not as
    dcplan last wrote it: :func:`dcplan.export_record.plan_keep`), else ``{}``; a CSV whose SHA-256 is
    ``own_sha`` (this run's last save) is dcplan's."""
    from .export_record import plan_keep
    from .report_files import _sha256
    keep = plan_keep(csv_path.parent, [csv_path])
    if keep and own_sha is not None and not csv_path.is_symlink() and _sha256(csv_path) == own_sha:
        return {}
    return keep


def csv_sha_of(df: pd.DataFrame, csv_path: Path) -> str | None:
    """The SHA-256 of the CSV a save writes of ``df`` at ``csv_path`` (:func:`place_csv`'s bytes; None when it
    cannot be written). A sweep CSV there with these bytes, of the results file found, is dcplan's even without a
    record of it (written by a dcplan before :mod:`dcplan.export_record`, or a run stopped between the CSV and its
    record): a run replaces it, as before, instead of keeping a copy of it as ``.kept-``."""
    from .report_files import _sha256
    try:
        tmp = _write_tmp(df, csv_path, {})
    except OSError:
        return None
    try:
        return _sha256(tmp)
    finally:
        tmp.unlink(missing_ok=True)


def place_csv(df: pd.DataFrame, csv_path: Path, own_sha: str | None = None, kept: str | None = None
              ) -> tuple[str, dict]:
    """Write ``df`` to the sweep CSV ``csv_path`` atomically and durably, first moving the file there to its kept
    name when it is not as dcplan last wrote it (:func:`csv_keep_plan`; ``own_sha``: the SHA-256 of the CSV this
    run's last save wrote), and record the CSV's SHA-256 in the folder's :data:`dcplan.export_record.RECORD`.
    Returns that SHA-256 and what was kept (``{csv_path: (kept name, why)}``, empty when nothing was).

    The plan, the move, the write and the record are done under the folder's export lock
    (:func:`dcplan.export_record.folder_lock`, taken once the temporary file is written), as
    :func:`dcplan.tco_export_files.write_set` does: planned before it, a save could read the record while
    another save into the folder (a second sweep's CSV, a ``dcplan sweep --csv`` of the same results) had placed
    its CSV and not yet recorded it, and keep that fresh file of dcplan's as the reader's ``.edited-`` copy.

    When the CSV cannot be written, a kept file is moved back to ``csv_path`` (or, if that fails, said in a
    :class:`~dcplan.errors.DcplanWarning`) and the :class:`OSError` raised as it is, or with ``kept`` (what is
    unchanged) as :func:`_place_one` raises it (an error naming the CSV)."""
    from .export_record import folder_lock, move_no_replace, record_written
    from .report_files import _sha256
    phase, tmp, moved, keep = "write", None, None, {}
    with contextlib.ExitStack() as lock:
        try:
            tmp = _write_tmp(df, csv_path, {})
            sha = _sha256(tmp)
            lock.enter_context(folder_lock(csv_path.parent))  # from reading the record to rewriting it
            keep = csv_keep_plan(csv_path, own_sha)
            phase = "replace"
            if csv_path in keep:
                moved = move_no_replace(csv_path, keep[csv_path][0])
            os.replace(tmp, csv_path)
            tmp = None
        except BaseException as exc:
            if moved is not None and not os.path.lexists(csv_path):
                try:
                    os.rename(moved, csv_path)
                except OSError as e:
                    warnings.warn(f"{csv_path} could not be written, nor the file that was there put back under "
                                  f"its name ({e.strerror or e}): it is {moved}", DcplanWarning, stacklevel=3)
            if kept is None or not isinstance(exc, OSError):
                raise
            err = _denied(exc, csv_path.parent, csv_path, phase, "--out", again=("write it again", kept))
            if err is exc:
                raise
            raise err from exc
        finally:
            if tmp is not None:
                Path(tmp).unlink(missing_ok=True)
        _fsync_dir(csv_path.parent)
        record_written(csv_path.parent, {csv_path.name: sha})
    return sha, ({csv_path: (moved, keep[csv_path][1])} if moved is not None else {})


def csv_problem(exc: OSError, csv_path: Path) -> str:
    """Why the CSV ``csv_path`` could not be written, naming it: ``cannot write <csv>: <cause>``, the cause
    in the user's terms (locked or protected, e.g. open in Excel; the disk full) and the system's words."""
    code, words = exc.errno, exc.strerror or str(exc)
    if is_disk_full(exc):
        why = f"the disk is full ({words})"
    elif code in _DENIED:
        why = (f"the file or its folder is locked or protected ({words}), e.g. the CSV is open in Excel, "
               "read-only or immutable")
    else:
        why = words
    return f"cannot write {csv_path}: {why}"


def write_results_csv(path: str | Path, csv_path: str | Path | None = None) -> Path:
    """Write the CSV of the sweep results file ``path`` (default ``<stem>.csv`` beside it) from that file alone,
    as a sweep's ``--csv`` writes it (text a spreadsheet would run as a formula gets a leading ``'``): for a CSV a
    sweep could not write (open in Excel meanwhile), without running any case. Atomic and durable; a CSV there
    that is not as dcplan last wrote it (edited, or not a sweep's) is kept beside it, as the sweep keeps it
    (:func:`save_results`), with a :class:`~dcplan.errors.DcplanWarning` naming both. Returns the CSV's path; an
    :class:`~dcplan.errors.InputError` names a file that cannot be read or written."""
    from .export_record import say_kept
    path = Path(path)
    csv_path = path.with_suffix(".csv") if csv_path is None else Path(csv_path)
    df = read_results(path)
    if not {"case_id", "status"} <= set(df.columns):
        raise InputError("is not a dcplan sweep result (no case_id/status columns)", file=str(path))
    if csv_path.is_dir():
        raise InputError("is a folder where the results' CSV would be written; give another name",
                         file=str(csv_path))
    _, kept = place_csv(df, csv_path, kept=f"{csv_path} is as it was")
    say_kept(kept)
    return csv_path


@contextlib.contextmanager
def results_lock(path: Path):
    """Hold an exclusive advisory lock on ``.<name>.lock`` beside the results file ``path``
    for a run: two sweeps writing the same file would replace each other's rows. The OS
    drops the lock when the process dies. A second run is an input error naming the file.

    The lock file is removed when the run ends (a sweep left an empty ``.<name>.parquet.lock``
    behind). Safely: it is unlinked while the lock is held, and a run that locked a file is the
    holder only if that file is still the one at ``.<name>.lock`` (else, having locked one just
    unlinked by the run before it, it opens the path again), so two runs never hold two files."""
    import fcntl
    lock_path = path.with_name(f".{path.name}.lock")
    for _ in range(_LOCK_ATTEMPTS):
        fh = _open_lock(lock_path, path)
        try:
            try:
                fcntl.flock(fh, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except OSError:
                raise InputError("another dcplan sweep is writing this results file; wait for it or "
                                 "use --out with another file", file=str(path), field="--out") from None
            if _same_file(fh, lock_path):
                break
        except BaseException:
            fh.close()
            raise
        fh.close()  # locked a lock file the run before removed: open the path again
    else:
        raise InputError(f"the sweep's lock file {lock_path} was replaced {_LOCK_ATTEMPTS} times while this run "
                         "tried to lock it: another dcplan sweep is starting on this results file; wait for it "
                         "or use --out with another file", file=str(path), field="--out")
    try:
        yield lock_path
    finally:
        try:
            if _same_file(fh, lock_path):
                os.unlink(lock_path)
        except OSError:  # gone or not ours to remove: the lock is released below all the same
            pass
        fh.close()


#: Times :func:`results_lock` opens the lock path again when the file it locked was removed meanwhile.
_LOCK_ATTEMPTS = 50


def _open_lock(lock_path: Path, path: Path):
    """The lock file opened for :func:`results_lock`: never through a link, never truncated (a linked
    lock emptied its target: see dcplan.report_files)."""
    try:
        fd = os.open(lock_path, os.O_WRONLY | os.O_CREAT | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0),
                     0o644)
    except OSError as e:
        raise InputError(f"the sweep's lock file {lock_path} cannot be opened ({e.strerror or e}): a symbolic link or "
                         "not a regular file? remove it and run again", file=str(path), field="--out") from None
    return os.fdopen(fd, "w")


def _same_file(fh, lock_path: Path) -> bool:
    """Whether the open file ``fh`` is still the file at ``lock_path`` (not removed or replaced)."""
    try:
        return os.path.samestat(os.fstat(fh.fileno()), os.stat(lock_path, follow_symlinks=False))
    except OSError:
        return False
