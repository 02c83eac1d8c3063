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
"""
from __future__ import annotations

import hashlib
import os
import re
import shutil
import tempfile
import unicodedata
import uuid
from pathlib import Path

from .errors import InputError


def safe_slug(name: str, maxlen: int = 60) -> str:
    """A file-name-safe, unique folder name for ``name``.

    ASCII letters, digits, ``-`` and ``_`` only; no leading dots, so ``../x`` can
    never escape the output folder. When the slug differs from ``name`` a short
    hash of the original is appended, so ``"a b"`` and ``"a-b"`` stay distinct.
    """
    norm = unicodedata.normalize("NFKD", str(name)).encode("ascii", "ignore").decode()
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


def _place(tmp_dir: Path, final: Path) -> None:
    """Move a finished run folder into place, replacing the previous one (a render killed
    between the two renames is undone by the next one: :func:`_recover_interrupted`).
    The new folder's files are flushed to disk before the renames and the renames are
    made durable before the previous folder is deleted."""
    final.parent.mkdir(parents=True, exist_ok=True)
    _fsync_tree(tmp_dir)
    old = None
    if final.exists():
        old = final.with_name(f".{final.name}.old-{uuid.uuid4().hex[:8]}")
        os.replace(final, old)
    os.replace(tmp_dir, final)
    _fsync_dir(final.parent)
    if tmp_dir.parent != final.parent:
        _fsync_dir(tmp_dir.parent)
    if old is not None:
        shutil.rmtree(old, ignore_errors=True)


#: Files a render writes at the top of its output folder with :func:`atomic_write_text`.
TOP_FILES = ("index.html", "runs.json")


def _recover_interrupted(out: Path) -> list[Path]:
    """Undo a render killed inside :func:`_place`, between its two renames: a previous
    report left as ``.<name>.old-*`` with no ``<name>`` beside it goes back into place;
    one whose ``<name>`` exists is a leftover and is removed. Temporaries of
    :func:`atomic_write_text` a killed render left at the top (``.index.html.*.tmp``,
    ``.runs.json.*.tmp``) are removed too. Call with the output folder's lock held.
    Returns the folders restored."""
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
            shutil.rmtree(old, ignore_errors=True)
    return restored


def _lock_output(out: Path):
    """Hold an exclusive advisory lock on ``out/.lock`` (the OS drops it if we die)."""
    import fcntl
    fh = open(out / ".lock", "w")
    try:
        fcntl.flock(fh, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        fh.close()
        raise InputError("another dcplan render is writing to this folder; wait for it or use "
                         "--out with another folder", file=str(out)) from None
    return fh
