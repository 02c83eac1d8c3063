"""Render's file-system primitives (part of :mod:`dcplan.report`): safe folder names,
file hashes, atomic writes and moves, and the output folder's lock.

* **Atomic outputs**: a run is written into a temporary folder, which :func:`_place`
  moves into place (:mod:`dcplan.report_execute` does so only when the run succeeded, so
  a failed run leaves the previous good report untouched); ``index.html`` and
  ``runs.json`` are replaced atomically (:func:`atomic_write_text`). A render killed
  between :func:`_place`'s two renames is undone by the next one
  (:func:`_recover_interrupted`).
* **Durable outputs**: what is moved into place is flushed to disk first (``fsync`` of
  the file, or of every file and folder of a run folder) and the rename is then made
  durable (``fsync`` of the folder holding it), so a power loss right after a render
  cannot leave an empty file where the previous good one was (ext4's delayed
  allocation; as :mod:`dcplan.tco_export` does). :func:`_fsync_file` and
  :func:`_fsync_dir` are also the sweep's (:mod:`dcplan.sweep`).
* **One render per output folder**: :func:`_lock_output` holds an advisory lock that the
  operating system drops if the render dies.
* **No writes through links**: a ``.lock``, :data:`TMP_DIR`, ``_failed``, site or run folder
  that is a symbolic link is refused before anything is written (:func:`check_output_links`);
  the lock is opened without following a link or truncating, and :func:`_place` never moves
  a link aside; ``index.html`` and ``runs.json`` links are replaced, never written through.
* **Only dcplan's folders, only dcplan's files**: render writes only into a new or empty
  folder or a dcplan reports folder (:func:`check_reports_folder`; it marks its folders
  with :data:`REPORTS_MARKER`), and removes only the temporaries it made itself: its
  scratch folder :data:`TMP_DIR` and, in a reports folder of an earlier version, a
  ``.tmp`` that holds nothing but that version's run folders (:func:`_remove_stale_tmp`).
  These checks live in :mod:`dcplan.report_folder`; their names are importable from here too.
"""
from __future__ import annotations

import errno
import hashlib
import os
import re
import shutil
import stat
import tempfile
import uuid
from pathlib import Path

from .errors import InputError
# whose folder (dcplan.report_folder): its names kept importable from here, where the lock, the links check
# and the recovery of an interrupted render use them
from .report_folder import (_INDEX_GENERATOR, _INDEX_SIGNATURE, _LEGACY_RUN_DIR, _LEGACY_RUN_FILES,  # noqa: F401
                            _LEGACY_WEATHER_FILE, _MARKER_TEXT, LEGACY_TMP_DIR, REPORTS_MARKER, TMP_DIR,
                            _check_not_nested, _check_own_files, _foreign_own_file, _is_dcplan_index,
                            _is_dcplan_runs, _is_legacy_dcplan_tmp, _looks_like_dcplan_reports, _remove_stale_tmp,
                            _render_leftover, check_no_render_inside, check_reports_folder, mark_reports_folder)


def safe_slug(name: str, maxlen: int = 60) -> str:
    """A file-name-safe, unique folder name for ``name``.

    ASCII letters, digits, ``-`` and ``_`` only; no leading dots, so ``../x`` can
    never escape the output folder. When the slug differs from ``name`` a short
    hash of the original is appended, so ``"a b"`` and ``"a-b"`` stay distinct.
    """
    from .paths import ascii_name
    norm = ascii_name(name)  # Zürich -> Zurich, phœnix -> phoenix
    slug = re.sub(r"[^A-Za-z0-9_-]+", "-", norm).strip("-_").lower()[:maxlen] or "x"
    if slug != name:
        slug += "-" + hashlib.sha1(str(name).encode()).hexdigest()[:8]
    return slug


def _fsync_file(path: str | Path) -> None:
    """Flush a file's data to disk (before it is renamed over a previous good one: without
    it a crash soon after the rename can leave an empty file there)."""
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _fsync_dir(folder: str | Path) -> None:
    """Make a rename in ``folder`` durable (POSIX; a no-op where folders cannot be opened
    or synced)."""
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


#: ``errno`` values of a file system that has no room left (full, over a quota, a file past its
#: size limit): the machine's state, not bad input (:func:`is_disk_full`).
DISK_FULL_ERRNOS = frozenset(v for v in (getattr(errno, n, None) for n in ("ENOSPC", "EDQUOT", "EFBIG"))
                             if v is not None)


def is_disk_full(err: BaseException) -> bool:
    """Whether ``err`` is an :class:`OSError` of a file system with no room left (:data:`DISK_FULL_ERRNOS`)."""
    return isinstance(err, OSError) and err.errno in DISK_FULL_ERRNOS


def disk_full_text(err: OSError, path) -> str:
    """``disk full at <path> (<the OS's words>)``: ``err``'s own file name when it has one, else ``path``
    (the file or folder being written)."""
    return f"disk full at {err.filename or path} ({err.strerror or err})"


def disk_full_error(err: OSError, path) -> OSError:
    """An :class:`OSError` (``dcplan`` exits 1, not 2: the disk, not the input) saying
    :func:`disk_full_text` and what to do."""
    return OSError(err.errno, f"{disk_full_text(err, path)}; free space there, or give --out a folder on "
                              "another disk")


def atomic_write(path: Path, write, prefix: str | None = None) -> None:
    """Write ``path`` durably: ``write(tmp)`` fills a temporary file in the same folder
    (named ``prefix`` + random + ``.tmp``; default prefix ``.<name>.``), which is flushed to
    disk, made world-readable and renamed over ``path``; then the folder is synced so the
    rename survives a power loss. On any failure the temporary file is removed and ``path``
    is untouched."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=prefix or f".{path.name}.", suffix=".tmp")
    os.close(fd)
    try:
        write(tmp)
        _fsync_file(tmp)
        os.chmod(tmp, 0o644)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    _fsync_dir(path.parent)


def atomic_write_text(path: Path, text: str) -> None:
    """:func:`atomic_write` of ``text`` (UTF-8)."""
    atomic_write(path, lambda tmp: Path(tmp).write_text(text, encoding="utf-8"))


def _fsync_tree(folder: Path) -> None:
    """:func:`_fsync_file` every file under ``folder`` and :func:`_fsync_dir` every folder
    (deepest first), so the tree is on disk before it is renamed into place."""
    dirs = [folder]
    for p in sorted(folder.rglob("*")):
        if p.is_symlink():
            continue
        if p.is_dir():
            dirs.append(p)
        elif p.is_file():
            _fsync_file(p)
    for d in reversed(dirs):
        _fsync_dir(d)


def _sha256(path: Path) -> str | None:
    try:
        h = hashlib.sha256()
        with open(path, "rb") as fh:
            for chunk in iter(lambda: fh.read(1 << 20), b""):
                h.update(chunk)
        return h.hexdigest()
    except OSError:
        return None


def _place(tmp_dir: Path, final: Path, moved: list | None = None) -> str | None:
    """Move a finished run folder into place, replacing the previous one (a render killed
    between the two renames is undone by the next one: :func:`_recover_interrupted`).
    The new folder's files are flushed to disk before the renames and the renames are
    made durable before the previous folder is deleted. When a rename fails (an OSError: a
    folder that cannot be written, say) the previous folder is in place again and ``tmp_dir``
    is left as it was, for the caller to keep.

    A file of the previous folder that its run did not write (a reader's annotated copy of a workbook) is moved
    to ``_your_files/`` first (:func:`dcplan.report_foreign.keep_foreign`), and said; ``moved``: a list that
    the ``runs.json`` record of that move is appended to (:data:`dcplan.report_foreign.YOUR_FILES`).

    Returns None, or the note of those files, or, when the previous folder (moved aside as
    ``.<name>.old-<random>``) cannot be deleted whole (an immutable file in it, a file system that refuses),
    a note naming what is left of it: the new report is in place, the leftover holds the previous one's files
    (an old workbook under a hidden name), and the next render removes it if it can (:func:`_recover_interrupted`)."""
    for p in (final.parent, final):  # a link made during the render: not followed nor moved aside
        if p.is_symlink():
            raise OSError(errno.ELOOP, f"{p} is a symbolic link; remove it and render again")
    final.parent.mkdir(parents=True, exist_ok=True)
    _fsync_tree(tmp_dir)
    old = None
    if final.exists():
        old = final.with_name(f".{final.name}.old-{uuid.uuid4().hex[:8]}")
        os.replace(final, old)
    try:
        os.replace(tmp_dir, final)
    except BaseException:  # the previous report goes back into place (the caller keeps tmp_dir)
        if old is not None:
            os.replace(old, final)
        raise
    _fsync_dir(final.parent)
    if tmp_dir.parent != final.parent:
        _fsync_dir(tmp_dir.parent)
    if old is None:
        return None
    from .report_foreign import keep_foreign  # a reader's own files in it: moved aside, not deleted
    notes = [n for n in (keep_foreign(old, final, moved), _remove_old(old)) if n]
    return "; ".join(notes) or None


def _remove_old(old: Path) -> str | None:
    """Delete the previous run folder ``old``; None when it is gone, else the note :func:`_place` returns."""
    try:
        shutil.rmtree(old)
        return None
    except OSError as e:
        shutil.rmtree(old, ignore_errors=True)  # what can go goes (rmtree stops at its first failure)
        if not os.path.lexists(old):
            return None
        what = f"{e.filename}: {e.strerror}" if e.filename and e.strerror else str(e)
        return (f"note: the previous report's folder could not be deleted ({what}); what is left of it, with the "
                f"previous run's files, is {old}: the next render removes it if it can, or delete it yourself")


#: Files a render writes at the top of its output folder with :func:`atomic_write_text`.
TOP_FILES = ("index.html", "runs.json", "results.csv", REPORTS_MARKER)


def _recover_interrupted(out: Path, notes: list[str] | None = None) -> list[Path]:
    """Undo a render killed inside :func:`_place`, between its two renames: a previous
    report left as ``.<name>.old-*`` with no ``<name>`` beside it goes back into place;
    one whose ``<name>`` exists is a leftover and is removed, and a line saying so (or that it
    still cannot be deleted) is appended to ``notes``: it may hold old outputs a reviewer kept
    (an immutable workbook) and is hidden. A reader's own files in it (a render killed before
    :func:`dcplan.report_foreign.keep_foreign` moved them) are moved to ``_your_files/`` first, and said
    in ``notes``. Temporaries of
    :func:`atomic_write_text` a killed render left at the top (``.index.html.*.tmp``,
    ``.runs.json.*.tmp``) are removed too, and so is its scratch (:func:`_remove_stale_tmp`).
    Call with the output folder's lock held. Returns the folders restored."""
    _remove_stale_tmp(out)
    for name in TOP_FILES:
        for tmp in out.glob(f".{name}.*.tmp"):
            if tmp.is_file() and not tmp.is_symlink():
                tmp.unlink(missing_ok=True)
    restored = []
    for old in sorted(out.glob("*/.*.old-*")):
        if not old.is_dir():
            continue
        final = old.with_name(old.name[1:].rsplit(".old-", 1)[0])
        if not final.exists():
            os.replace(old, final)
            _fsync_dir(final.parent)
            restored.append(final)
        else:
            from .report_foreign import keep_foreign  # a reader's own files in it: moved aside, not deleted
            kept = keep_foreign(old, final)
            if kept and notes is not None:
                notes.append(kept)
            shutil.rmtree(old, ignore_errors=True)
            why = (f"what was left of a previous report's folder by an earlier render that put the newer "
                   f"{final.name}/ in its place and could not delete it (or was stopped first)")
            if notes is not None:
                notes.append(f"note: removed {old}: {why}" if not os.path.lexists(old) else
                             f"note: {old} could not be deleted: {why}; delete it yourself")
    return restored


def _lock_output(out: Path):
    """Hold an exclusive advisory lock on ``out/.lock`` (the OS drops it if we die).

    The lock file is opened without following a symbolic link and without truncating
    (``O_NOFOLLOW``, no ``O_TRUNC``; never written): a ``.lock`` that is a link (to a
    colleague's file, say) or not a regular file is an :class:`InputError` naming it, and
    its target is left as it was (:func:`check_output_links` says so before anything is
    written; this is the check that holds if the link appears between the two)."""
    import fcntl
    path = out / ".lock"
    flags = (os.O_WRONLY | os.O_CREAT | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0)
             | getattr(os, "O_CLOEXEC", 0))  # O_NONBLOCK: a FIFO named .lock does not hang the render
    _refuse_link(path, _LOCK_FIX)
    try:
        fd = os.open(path, flags, 0o666)
    except OSError:
        _refuse_link(path, _LOCK_FIX)  # made a link, or not a file, meanwhile (ELOOP, EISDIR, ENXIO)
        raise
    try:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            raise _link_error(path, _LOCK_FIX)
        fh = os.fdopen(fd, "w")
    except BaseException:
        os.close(fd)
        raise
    try:
        fcntl.flock(fh, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        fh.close()
        raise InputError("another dcplan render is writing to this folder; wait for it or use "
                         "--out with another folder", file=str(out)) from None
    return fh


# ---------------------------------------------------------------------------
# symbolic links: render never writes through one

_LOCK_FIX = "render locks the folder with this file"
_TMP_FIX = "render writes its scratch (parsed weather, executed notebooks) there"
_RUN_FIX = "render replaces this folder's reports (or marks them not current)"


def _link_error(path: Path, why: str, folder: bool = False) -> InputError:
    """The :class:`InputError` for ``path``: a symbolic link, or not the folder (``folder``) or
    regular file render makes there; it names the path, why render refuses and what to do."""
    if path.is_symlink():
        try:
            target = os.readlink(path)
        except OSError:
            target = "?"
        what, fix = f"is a symbolic link (to {target})", f"remove the link (rm {path})"
    else:
        what = "is not a folder" if folder else ("is a folder, not a file" if path.is_dir() else
                                                 "is not a regular file")
        fix = "remove it"
    return InputError(f"{what}; {why} and never writes through a link or into what it did not make: "
                      f"{fix} and render again, or give --out another folder", file=str(path))


def _refuse_link(path: Path, why: str, folder: bool = False) -> None:
    """Raise :func:`_link_error` when ``path`` is a symbolic link (even a dangling one), or is
    there but is not a folder (``folder``) / not a regular file (for the lock)."""
    try:
        st = os.lstat(path)
    except OSError:
        return  # not there (or unreadable: the write that follows says why)
    if stat.S_ISLNK(st.st_mode) or not (stat.S_ISDIR(st.st_mode) if folder else stat.S_ISREG(st.st_mode)):
        raise _link_error(path, why, folder)


def check_output_links(out: Path, runs=()) -> None:
    """Refuse (:class:`InputError` naming the path and saying to remove it; ``dcplan render``
    exits 2) before any run when render would write through a symbolic link in ``out``:
    ``.lock``, :data:`TMP_DIR`, ``_failed/`` and, for each of ``runs`` (:class:`Run`), its site
    folder, its run folder and any folder inside that run folder. A link there is never
    followed, moved aside or removed by render: whoever can write to a shared reports folder
    could otherwise make a colleague's render empty (``.lock``), write into (scratch, run
    folders) or leave links to any folder that colleague can write. ``index.html``,
    ``runs.json`` and :data:`REPORTS_MARKER` may be links: render replaces them with files
    (:func:`atomic_write`), never writing through them."""
    if not os.path.isdir(out):
        return  # new: render makes it
    _refuse_link(out / ".lock", _LOCK_FIX)
    _refuse_link(out / TMP_DIR, _TMP_FIX, folder=True)
    folders = {out / "_failed": None}
    for run in runs:
        run_dir = Path(run.out_dir)
        folders.setdefault(run_dir.parent, None)
        folders.setdefault(run_dir, None)
        folders.setdefault(out / "_failed" / run_dir.parent.name, None)
    for f in folders:
        _refuse_link(f, _RUN_FIX, folder=True)
    for run in runs:  # folders inside an existing run folder (outputs/): marked not current in place
        run_dir = Path(run.out_dir)
        if not run_dir.is_dir():
            continue
        for root, dirs, _ in os.walk(run_dir):
            for d in dirs:
                _refuse_link(Path(root) / d, _RUN_FIX, folder=True)


def make_scratch(out: Path, render_id: str) -> Path:
    """Make this render's scratch folder ``out/.dcplan-tmp/render-<render_id>`` (call with
    the lock held); an :data:`TMP_DIR` that is a symbolic link or a file is an
    :class:`InputError` naming it (:func:`check_output_links`)."""
    tmp = out / TMP_DIR
    _refuse_link(tmp, _TMP_FIX, folder=True)
    try:
        tmp.mkdir()
    except FileExistsError:
        pass
    _refuse_link(tmp, _TMP_FIX, folder=True)  # made a link meanwhile
    scratch = tmp / f"render-{render_id}"
    scratch.mkdir()
    return scratch


def prune_empty_dirs(root: Path) -> None:
    """Remove the empty folders under ``root`` (deepest first) and ``root`` itself if it is
    then empty: ``_failed/<site>/`` once its runs have succeeded. Files are never touched."""
    if not root.is_dir() or root.is_symlink():
        return
    for d in sorted((p for p in root.rglob("*") if p.is_dir() and not p.is_symlink()),
                    key=lambda p: len(p.parts), reverse=True) + [root]:
        try:
            d.rmdir()  # fails (and is left) unless empty
        except OSError:
            pass
