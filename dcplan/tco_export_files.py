"""Write a set of files into one folder as one transaction, all or nothing (the TCO finance
export's files: :func:`dcplan.tco_export.write_export`).

Every new file is first written to a temporary name in the target folder and flushed to
disk (``fsync``); then every previous file is renamed to a hidden backup name, the new files
are renamed into place and the backups deleted. If any step fails the new files are removed
and the backups renamed back (:func:`write_set`). The checks of the user's folder, file
name prefix and name lengths raise :class:`~dcplan.errors.InputError` naming the argument.

A previous file that dcplan did not write there, or that was edited since (its bytes are not those
:mod:`dcplan.export_record` recorded), is not replaced nor removed: step 2 renames it to a kept name beside it
(``<stem>.edited-<time><suffix>``, ``<stem>.kept-<time><suffix>``) instead of a hidden backup, a failure renames
it back with the others, and the export says so in a :class:`~dcplan.errors.DcplanWarning`.
"""
from __future__ import annotations

import errno
import os
import tempfile
from pathlib import Path

from .errors import DcplanError, InputError
from .report_files import _fsync_dir, is_disk_full  # the project's durable-rename helper

__all__ = ["write_set", "as_path", "check_folder", "check_stem", "brief", "name_max", "work_name_bytes",
           "TMP_SUFFIX"]


#: Characters :func:`tempfile.mkstemp` puts between the prefix and the suffix of a name.
_RANDOM_CHARS = 8
TMP_SUFFIX = {".xlsx": ".tmp.xlsx", ".csv": ".tmp.csv"}
#: The temporary suffix of any other file (``dcplan bill --csv bill.txt``).
_TMP_OTHER = ".tmp"
_BAK_SUFFIX = ".bak"
#: errno values meaning "this folder or file may not be written" (bad input, not a failing disk).
_DENIED = {errno.EACCES, errno.EPERM, errno.EROFS, errno.EBUSY, getattr(errno, "ETXTBSY", errno.EBUSY)}
#: Longest file name in bytes where the file system does not say (ext4, NTFS, APFS: 255).
_NAME_MAX_DEFAULT = 255


def as_path(value, field: str, what: str) -> Path:
    """``value`` as a :class:`~pathlib.Path`, or an :class:`InputError` naming ``field``."""
    if not isinstance(value, (str, os.PathLike)):
        raise InputError(f"{what} must be a path (str or os.PathLike), got {value!r} "
                         f"({type(value).__name__})", field=field)
    return Path(value)


def check_folder(folder: Path, field: str) -> None:
    """Raise an :class:`InputError` unless ``folder`` is an existing folder (also when the OS cannot even
    look it up: a path longer than PATH_MAX, 4,096 bytes on Linux, raised a raw ``OSError`` ENAMETOOLONG
    from ``Path.is_dir``, with the whole path in it: the error shortens it, :func:`brief`)."""
    try:
        if folder.is_dir():
            return
        for f in (folder, *folder.parents):  # 'report.xlsx/tco' names a file as a folder
            if f.exists() and not f.is_dir():
                raise InputError(f"{str(f)!r} is a file, not a folder; give the folder to write the export "
                                 "into", field=field)
    except OSError as e:
        raise InputError(f"folder {brief(str(folder), 60)} ({len(os.fsencode(str(folder))):,} bytes) cannot be "
                         f"looked up: {e.strerror or e}; give a shorter path", field=field) from None
    raise InputError(f"folder {str(folder)!r} does not exist; create it first", field=field)


def check_stem(stem) -> None:
    """Raise an :class:`InputError` unless ``stem`` is a non-empty plain file-name prefix."""
    if not isinstance(stem, str):
        raise InputError(f"stem must be a str (the file name prefix), got {stem!r} ({type(stem).__name__})",
                         field="stem")
    if not stem:
        raise InputError("stem must be a non-empty file name prefix (the files are <stem>.xlsx and "
                         "<stem>_<sheet>.csv), got ''", field="stem")
    if any(c in stem for c in {"/", "\0", os.sep, os.altsep} - {None}):
        raise InputError(f"stem must be a file name prefix, without a folder separator or NUL character, "
                         f"got {stem!r}; give the folder as the folder argument", field="stem")


def brief(text: str, n: int = 40) -> str:
    """``repr`` of ``text``, its first ``n`` characters and '...' if longer."""
    return repr(text) if len(text) <= n else repr(text[:n]) + "..."


def name_max(folder: Path) -> int:
    """Longest file name ``folder``'s file system allows [bytes]."""
    try:
        return int(os.pathconf(folder, "PC_NAME_MAX"))
    except (AttributeError, OSError, ValueError):  # no pathconf (Windows) or no answer
        return _NAME_MAX_DEFAULT


def work_name_bytes(path: Path) -> int:
    """Length of the longest name written next to ``path`` (its temporary or backup name) [bytes]."""
    suffix = max(TMP_SUFFIX.get(path.suffix.lower(), _TMP_OTHER), _BAK_SUFFIX, key=len)
    return len(os.fsencode(f".{path.name}.")) + _RANDOM_CHARS + len(suffix)


def _work_prefix(path: Path) -> str:
    """The prefix of ``path``'s temporary and backup names: ``.<name>.``, or ``.dcplan-export.`` when that would
    pass the file system's name limit (a file whose own name nearly fills it: a site analysis export of a long
    site id, :func:`dcplan.site_analysis_case.export_stem`; the TCO export refuses such stems first)."""
    return f".{path.name}." if work_name_bytes(path) <= name_max(path.parent) else ".dcplan-export."


def _prepare(path: Path, write) -> str:
    """Write ``path``'s content to a new temporary file next to it, flushed to disk.

    Returns the temporary name; on failure nothing is left behind.
    """
    suffix = TMP_SUFFIX.get(path.suffix.lower(), _TMP_OTHER)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=_work_prefix(path), suffix=suffix)
    os.close(fd)
    try:
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(tmp, 0o666 & ~umask)  # mkstemp creates 0600; give the file normal permissions
        write(tmp)
        # flush the data before the rename: without it a crash soon after os.replace can
        # leave an empty file where the previous good export was (delayed allocation)
        with open(tmp, "rb+") as fh:
            os.fsync(fh.fileno())
    except BaseException:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise
    return tmp


def _move_aside(path: Path) -> str:
    """Rename ``path`` to a new hidden backup name in its folder; returns that name."""
    fd, bak = tempfile.mkstemp(dir=path.parent, prefix=_work_prefix(path), suffix=_BAK_SUFFIX)
    os.close(fd)
    try:
        os.replace(path, bak)
    except BaseException:
        os.unlink(bak)
        raise
    return bak


#: What :func:`_denied` says of the previous files and what to do, for the export (the sweep says its own).
EXPORT_AGAIN = ("export again", "the previous export is unchanged")


def _denied(exc: BaseException, folder: Path, target: Path, phase: str, field: str,
            again: tuple[str, str] = EXPORT_AGAIN) -> BaseException:
    """The error to raise for ``exc``, raised in ``phase`` (``"write"`` ``target``'s temporary
    file, ``"replace"`` or ``"remove"`` ``target``): an :class:`InputError` naming the
    user's folder or file when the system refused; an :class:`OSError` naming ``target`` when
    the disk is full (the machine, not the input); else ``exc`` itself. ``again``: what to run
    again and what is unchanged (:data:`EXPORT_AGAIN`; the sweep's: :mod:`dcplan.sweep_files`)."""
    code = exc.errno if isinstance(exc, OSError) else None
    redo, kept = again
    if is_disk_full(exc):  # the OS's error names no file (pyarrow's) or the temporary one (pandas')
        return OSError(code, f"disk full at {str(target)!r} ({os.strerror(code)}): it could not be written; "
                             f"{kept}; free space there, or write to a folder on another disk")
    if code == errno.ENAMETOOLONG:
        return InputError(f"file name {brief(target.name)} is too long for this file system (dcplan also "
                          "writes a temporary '.<name>.<8 characters>.tmp<ext>' next to it); use a shorter "
                          "name", field=field)
    if code not in _DENIED:
        return exc
    if phase == "write":
        return InputError(f"cannot write in folder {str(folder)!r}: permission denied ({exc.strerror}); "
                          "choose a folder you can write to, or make this one writable", field=field)
    what = "" if phase == "replace" else " (an optional sheet of an earlier export, absent from this one)"
    return InputError(f"cannot {phase} {str(target)!r}{what}: the file is locked or protected "
                      f"({exc.strerror}), e.g. open in Excel, read-only or immutable; close or unlock it "
                      f"and {redo} ({kept})", field=field)


def _roll_back(backups: list[tuple[Path, str]], placed: list[Path]) -> list[str]:
    """Undo a partial commit: remove the new files, put the backups back.

    Returns a description of every previous file that could not be restored (and where it is).
    """
    had_backup = {p for p, _ in backups}
    for p in placed:
        if p not in had_backup:  # a new file where there was none
            try:
                os.unlink(p)
            except OSError:
                pass
    lost = []
    for p, bak in reversed(backups):
        try:
            os.replace(bak, p)  # also removes the new file placed there
        except OSError as exc:
            lost.append(f"{str(p)!r} (kept as {bak!r}: {exc.strerror or exc})")
    return lost


def write_set(folder: Path, files: list, stale: list[Path], field: str, name_arg: str) -> None:
    """Write ``files`` (``(path, write)``; ``write(tmp)`` fills a temporary file) into
    ``folder`` and remove ``stale``, as one transaction: all or nothing.

    1. every new file is written to a temporary name in ``folder`` and flushed;
    2. every existing target (and every stale file) is renamed to a hidden backup name;
    3. every temporary file is renamed into place;
    4. the backups are deleted (which removes the stale files), and :mod:`dcplan.export_record`'s record of the
       folder updated with the SHA-256 of every file written.

    Steps 2 to 4 run under the folder's export lock (:func:`dcplan.export_record.folder_lock`): another export
    into the folder waits, so it compares the files with the record as this one left it.

    A previous file (or stale one) that is not as dcplan last wrote it is renamed, in step 2, to its kept name
    (:func:`dcplan.export_record.plan_keep`) instead of a backup, is not deleted in step 4, and is said in a
    :class:`~dcplan.errors.DcplanWarning` once the export is in place.

    If step 1, 2 or 3 fails, the new files are removed, the backups renamed back and the
    temporary files deleted: the previous files are as they were, byte for byte, and no
    hidden file is left. Only a crash (power loss, ``kill -9``) in steps 2 to 4 can leave
    previous files under hidden ``.<name>.<random>.bak`` names.

    Raises
    ------
    InputError
        A target is a folder (the message suggests another ``name_arg``), ``folder`` is
        not writable (``field`` names its argument) or a target is locked or protected.
    DcplanError
        The export failed and a previous file could not be put back (the message says where it is).
    """
    for p, _ in files:
        if p.is_dir():
            raise InputError(f"{str(p)!r} is a folder, not a file: the export writes {p.name!r} there; "
                             f"rename or remove that folder, or choose another {name_arg}")
    from contextlib import ExitStack

    from .export_record import folder_lock, move_no_replace, plan_keep, record_written, say_kept
    from .report_files import _sha256
    # the folder's export lock (dcplan.export_record.folder_lock), from reading the record (plan_keep) to
    # rewriting it (record_written): a second export into the folder plans its kept copies after this one's
    # files are in place and recorded, not against the record as it was before them
    with ExitStack() as lock:
        stale = [s for s in stale if s.is_file()]
        tmps: dict[Path, str] = {}
        backups: list[tuple[Path, str]] = []
        placed: list[Path] = []
        phase = "write"
        try:
            for target, write in files:
                tmps[target] = _prepare(target, write)
            written = {t.name: _sha256(Path(tmp)) for t, tmp in tmps.items()}
            lock.enter_context(folder_lock(folder))  # entered once the temporary files are written
            keep = plan_keep(folder, [*tmps, *stale])  # the reader's files (or edits) among them: kept, not replaced
            for target in [*tmps, *stale]:
                phase = "remove" if target in stale else "replace"
                if target in keep:
                    name = move_no_replace(target, keep[target][0])
                    keep[target] = (name, keep[target][1])
                    backups.append((target, str(name)))
                elif os.path.lexists(target):
                    backups.append((target, _move_aside(target)))
            phase = "replace"
            for target, tmp in tmps.items():
                os.replace(tmp, target)
                placed.append(target)
        except BaseException as exc:
            lost = _roll_back(backups, placed)
            if lost:
                raise DcplanError(f"export to {str(folder)!r} failed ({exc}) and the previous "
                                  f"{'; '.join(lost)} could not be put back; rename it back by hand") from exc
            err = _denied(exc, folder, target, phase, field)
            if err is exc:
                raise
            raise err from exc
        finally:
            for tmp in tmps.values():
                if os.path.lexists(tmp):
                    os.unlink(tmp)
        for target, bak in backups:
            if target in keep:  # the reader's: stays under its kept name
                continue
            try:
                os.unlink(bak)
            except OSError:  # committed: a backup that cannot go is only clutter
                pass
        _fsync_dir(folder)
        record_written(folder, written, [s.name for s in stale])
    say_kept({t: k for t, k in keep.items() if t in tmps})
    say_kept({t: k for t, k in keep.items() if t not in tmps}, replaced=False)
