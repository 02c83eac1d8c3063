"""What dcplan wrote in an export folder, so that an export written again never replaces a file the reader
made or edited (the exports written outside ``dcplan render``: the TCO workbook and CSVs, ``dcplan bill --csv``,
the site analysis's sustainability and hourly CSVs, the portfolio sweep's case table, and ``dcplan sweep --csv``'s
CSV, saved again and again while a sweep runs: :func:`dcplan.sweep_files.save_results`).

A finance reviewer opened ``phoenix-az_base_tco.xlsx``, added a sheet of checks and pressed Save (Excel and
LibreOffice save to the same file); the next export from JupyterLab or a script replaced the workbook, and the
checks were gone without a word, because nothing recorded what dcplan had written there. The workbook's own
``About`` sheet cannot tell: an edit keeps it as it was.

Each export writer (:func:`dcplan.tco_export_files.write_set`, which :func:`write_file` calls for a single file)
now records, in the hidden file ``.dcplan-exports.json`` of the folder (:data:`RECORD`), the SHA-256 of every
file it wrote and when. Before it replaces a file, it compares the file on disk with that record:

* the bytes dcplan last wrote there: replaced, silently (the next export of the same case);
* other bytes (edited after dcplan wrote it): the reader's version is kept beside it as
  ``<stem>.edited-<UTC time><suffix>`` (``tco.edited-20260301T101500Z.xlsx``);
* no record of the file (the reader's own file of that name, a copy brought in from elsewhere, or an export of
  a dcplan before this record existed): kept as ``<stem>.kept-<UTC time><suffix>``.

A kept name never replaces an existing file (``-2``, ``-3``... is added), and the move is part of the export's
transaction: it is undone, with the rest, when the export fails. Each kept file is said in a
:class:`~dcplan.errors.DcplanWarning` naming both paths. A file the export would remove (an optional sheet's
CSV an earlier export left, :data:`dcplan.tco_export.OPTIONAL_SHEETS`) is kept the same way when it is not as
dcplan wrote it. ``dcplan render`` does the same inside a reports folder with its own record (``results.json``'s
``artifacts``, :mod:`dcplan.report_foreign`): there, a reader's file goes to ``_your_files/``, and the record file
is not kept beside a run's exports (:func:`dcplan.report_trim._collect_exports`).

The record is rewritten (atomically) after the export is in place: a crash in between leaves an export without
its record, which the next export keeps as ``.kept-`` (a copy too many, never one lost). Two exports into one
folder at the same moment are serialised by :func:`folder_lock`, held from reading the record to rewriting it:
without it, one export could read the record before the other rewrote it and keep the other's fresh file as
``.edited-`` (an extra copy of dcplan's own file), or drop the other's entry from the record (the next export
then kept that file as ``.kept-``).
"""
from __future__ import annotations

import datetime as dt
import errno
import json
import os
import re
import threading
import warnings
from contextlib import contextmanager
from pathlib import Path

from .errors import DcplanWarning

__all__ = ["RECORD", "LOCK", "folder_lock", "kept_name", "plan_keep", "record_written", "say_kept", "write_file"]

#: The record of what dcplan wrote in an export folder: ``{"about": ..., "files": {name: {"sha256", "written_utc"}}}``.
RECORD = ".dcplan-exports.json"

_ABOUT = ("dcplan's record of the exports it wrote in this folder (SHA-256 of each file as written): an export "
          "written again replaces a file only when it is still as recorded here, and keeps any other as "
          "<stem>.edited-<time> or <stem>.kept-<time> beside it (dcplan.export_record)")

#: How a kept file is named, by why it is kept: ``<stem>.<word>-<UTC time><suffix>``.
EDITED, UNRECORDED = "edited", "kept"


#: Where the record is locked without ``fcntl`` (Windows): a file beside it, locked with ``msvcrt`` and left in place
#: (removing a lock file lets a third export lock a new one while the second still holds the old).
LOCK = ".dcplan-exports.lock"

_held = threading.local()  # the folders this thread holds locked: {real path: depth}, so a nested lock is free


@contextmanager
def folder_lock(folder):
    """Hold ``folder``'s export lock: one export at a time reads, changes and rewrites its :data:`RECORD`.

    On POSIX an exclusive ``fcntl.flock`` of the folder itself (an open file description of the directory; no
    file is added to the folder, and the operating system drops the lock if the process dies); elsewhere
    ``msvcrt.locking`` of the file :data:`LOCK` in it. A second export into the folder waits until the first has
    put its files in place and rewritten the record. Re-entrant within a thread (:func:`record_written` under
    :func:`dcplan.tco_export_files.write_set`'s lock); another thread or process waits. A folder that cannot be
    locked (a file system without ``flock``, a folder that cannot be opened) is written unlocked, as before the
    lock: at worst an extra kept copy, never a file lost (module docstring)."""
    key = os.path.realpath(folder)
    held = getattr(_held, "folders", None)
    if held is None:
        held = _held.folders = {}
    if held.get(key):
        held[key] += 1
        try:
            yield
        finally:
            held[key] -= 1
        return
    release = _acquire(Path(folder))
    held[key] = 1
    try:
        yield
    finally:
        held.pop(key, None)
        release()


def _acquire(folder: Path):
    """Lock ``folder`` (:func:`folder_lock`), waiting; returns the function that releases it (a no-op when the
    folder could not be locked)."""
    try:
        import fcntl
    except ImportError:
        return _acquire_msvcrt(folder)
    try:
        fd = os.open(folder, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0) | getattr(os, "O_CLOEXEC", 0))
    except OSError:
        return lambda: None
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
    except OSError:  # no flock on this file system (some network mounts): unlocked, as before
        os.close(fd)
        return lambda: None

    def release():
        try:
            fcntl.flock(fd, fcntl.LOCK_UN)
        finally:
            os.close(fd)
    return release


def _acquire_msvcrt(folder: Path):  # pragma: no cover - Windows only
    """:func:`_acquire` without ``fcntl``: ``msvcrt.locking`` of the first byte of :data:`LOCK` in ``folder``."""
    import msvcrt
    try:
        fd = os.open(folder / LOCK, os.O_RDWR | os.O_CREAT, 0o666)
    except OSError:
        return lambda: None
    while True:
        try:
            msvcrt.locking(fd, msvcrt.LK_LOCK, 1)  # retries for about 10 s, then raises: wait on
            break
        except OSError as e:
            if e.errno != errno.EDEADLOCK:
                os.close(fd)
                return lambda: None

    def release():
        try:
            os.lseek(fd, 0, os.SEEK_SET)
            msvcrt.locking(fd, msvcrt.LK_UNLCK, 1)
        finally:
            os.close(fd)
    return release


def _utc_now() -> dt.datetime:
    # when the export was written: the wall clock, not plan_dates.today() (the day the plan is read as of)
    return dt.datetime.now(dt.timezone.utc).replace(microsecond=0)


def read_record(folder: Path) -> dict[str, dict]:
    """The ``files`` of ``folder``'s :data:`RECORD` (``{}`` when there is none, or it cannot be read: every file
    then counts as unrecorded, and is kept)."""
    try:
        doc = json.loads((Path(folder) / RECORD).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    files = doc.get("files") if isinstance(doc, dict) else None
    return {k: v for k, v in files.items() if isinstance(v, dict)} if isinstance(files, dict) else {}


def _why_keep(path: Path, record: dict[str, dict]) -> str | None:
    """None when ``path`` may be replaced (absent, or as dcplan last wrote it), else :data:`EDITED` or
    :data:`UNRECORDED`. A symbolic link is never dcplan's (it writes regular files)."""
    from .report_files import _sha256
    if not os.path.lexists(path):
        return None
    entry = record.get(path.name)
    if entry is None or path.is_symlink() or not path.is_file():
        return UNRECORDED
    return None if _sha256(path) == entry.get("sha256") else EDITED


def kept_name(path: Path, why: str, when: dt.datetime | None = None) -> Path:
    """A free name beside ``path`` for the reader's version of it: ``<stem>.<why>-<YYYYmmddTHHMMSSZ><suffix>``,
    ``-2``, ``-3``... added when taken; the stem shortened when the name would pass 255 bytes.

    >>> kept_name(Path("/nonexistent/tco.xlsx"), "edited", dt.datetime(2026, 3, 1, 10, 15, tzinfo=dt.timezone.utc))
    PosixPath('/nonexistent/tco.edited-20260301T101500Z.xlsx')
    """
    stamp = (when or _utc_now()).strftime("%Y%m%dT%H%M%SZ")
    stem, suffix = path.stem, path.suffix
    for n in range(1, 10_000):
        tail = f".{why}-{stamp}{'' if n == 1 else f'-{n}'}{suffix}"
        room = 255 - len(os.fsencode(tail))
        short = os.fsencode(stem)[:room].decode(errors="ignore")
        cand = path.with_name(short + tail)
        if not os.path.lexists(cand):
            return cand
    raise FileExistsError(errno.EEXIST, f"no free name beside {path} to keep it under")


def move_no_replace(src: Path, dst: Path) -> Path:
    """Rename ``src`` to ``dst``, or to the next free name (:func:`kept_name`'s ``-2``...) if ``dst`` appears
    meanwhile: never over an existing file (a hard link, then the old name removed; a plain rename where the
    file system has no hard links). Returns the name used."""
    while True:
        try:
            os.link(src, dst, follow_symlinks=False)
        except FileExistsError:
            dst = _next(dst)
            continue
        except OSError as e:
            if e.errno not in (errno.EPERM, errno.ENOTSUP, errno.EOPNOTSUPP, errno.EMLINK, errno.EXDEV):
                raise
            if os.path.lexists(dst):
                dst = _next(dst)
                continue
            os.rename(src, dst)
            return dst
        os.unlink(src)
        return dst


def _next(dst: Path) -> Path:
    """``dst`` with its count after the time raised by one (``...Z.xlsx`` -> ``...Z-2.xlsx`` -> ``...Z-3.xlsx``)."""
    m = re.fullmatch(r"(.*Z)(?:-(\d+))?", dst.stem)
    if m is None:
        return dst.with_name(f"{dst.stem}-2{dst.suffix}")
    return dst.with_name(f"{m.group(1)}-{int(m.group(2) or 1) + 1}{dst.suffix}")


def plan_keep(folder: Path, targets) -> dict[Path, tuple[Path, str]]:
    """``{target: (kept name, why)}`` for each of ``targets`` (files an export is about to replace or remove in
    ``folder``) that is not as dcplan last wrote it (module docstring); the others are not listed."""
    record, when, out = read_record(folder), _utc_now(), {}
    taken: set[Path] = set()
    for t in targets:
        why = _why_keep(Path(t), record)
        if why is not None:
            name = kept_name(Path(t), why, when)
            while name in taken:
                name = _next(name)
            taken.add(name)
            out[Path(t)] = (name, why)
    return out


def record_written(folder: Path, written: dict[str, str], removed=()) -> None:
    """Update ``folder``'s :data:`RECORD`: ``written`` (``{file name: SHA-256}``) as written now, ``removed``
    (file names) forgotten. Written atomically; a record that cannot be written is a
    :class:`~dcplan.errors.DcplanWarning` (the export is in place; the next one keeps it as ``.kept-``)."""
    from .report_files import atomic_write_text
    try:
        with folder_lock(folder):  # read, change, rewrite: no other export's entry lost in between
            files = read_record(folder)
            now = _utc_now().isoformat()
            for name in removed:
                files.pop(name, None)
            for name, sha in written.items():
                files[name] = {"sha256": sha, "written_utc": now}
            text = json.dumps({"about": _ABOUT, "files": dict(sorted(files.items()))}, indent=1) + "\n"
            atomic_write_text(Path(folder) / RECORD, text)
    except OSError as e:
        warnings.warn(f"could not record the export in {Path(folder) / RECORD} ({e.strerror or e}): the files "
                      "were written, but the next export into this folder keeps them beside its own as "
                      "'.kept-' copies (it cannot tell them from files of yours)", DcplanWarning, stacklevel=3)


def say_kept(kept: dict[Path, tuple[Path, str]], replaced=True) -> None:
    """One :class:`~dcplan.errors.DcplanWarning` per file kept (:func:`plan_keep`), naming both paths."""
    for target, (name, why) in kept.items():
        what = ("had been edited since dcplan wrote it" if why == EDITED else
                f"was not written there by dcplan (no record of it in {RECORD}: a file of yours, or an export of "
                "an earlier dcplan)")
        now = (f"the new export is {target}" if replaced else
               "this export has no such file (it would have been removed)")
        warnings.warn(f"{target} {what}: your version is kept as {name}, not overwritten; {now}",
                      DcplanWarning, stacklevel=3)


def write_file(path, write, field: str = "path") -> Path:
    """Write one export file ``path`` (``write(tmp)`` fills a temporary file beside it) atomically, keeping a
    previous file of that name that dcplan did not write or that was edited (module docstring). Errors name
    ``field`` (:func:`dcplan.tco_export_files.write_set`). Returns ``path``."""
    from .tco_export_files import write_set
    p = Path(path)
    write_set(p.parent, [(p, write)], [], field, field)
    return p
