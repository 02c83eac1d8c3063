"""Pickles a render's kernels share, in private folders the render makes for them and removes with its
scratch: parsed weather (:mod:`dcplan.weather`, ``DCPLAN_WEATHER_SHARED_DIR``) and modelled site rows
(:mod:`dcplan.site_rows_shared`, ``DCPLAN_SITE_ROWS_SHARED_DIR``).

Sharing is an optimisation: a folder that is not there, not private or not writable, an entry that is absent,
cut short or of another kind, and any failure to write one only mean the caller computes its value itself.
Entries are unpickled, so a folder is used only when this user owns it and no one else can write to it (POSIX;
elsewhere nothing is shared).
"""
from __future__ import annotations

import os
import pickle
import tempfile
from pathlib import Path

__all__ = ["folder", "get", "put"]


def folder(env: str) -> Path | None:
    """The folder the variable ``env`` names, when it is set and private (owned by this user, not writable by its
    group or others); else None."""
    name = os.environ.get(env)
    if not name or not hasattr(os, "getuid"):  # (no POSIX owner to check, e.g. Windows: share nothing)
        return None
    try:
        st = os.stat(name)
    except OSError:
        return None
    return Path(name) if st.st_uid == os.getuid() and not st.st_mode & 0o022 else None


def get(file: Path):
    """The object pickled in ``file``, or None (absent, being written elsewhere, unreadable)."""
    try:
        with open(file, "rb") as fh:
            return pickle.load(fh)
    except Exception:  # noqa: BLE001 - the caller computes it instead
        return None


def put(file: Path, obj) -> None:
    """Pickle ``obj`` into ``file`` through a temporary file renamed into place (a reader sees all of it or none);
    only into a folder that exists (a render that ended removed it: not made again); failures are ignored."""
    tmp = None
    try:
        if not file.parent.is_dir():
            return
        fd, tmp = tempfile.mkstemp(dir=file.parent, prefix=".", suffix=".tmp")
        with os.fdopen(fd, "wb") as fh:
            pickle.dump(obj, fh, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(tmp, file)
    except Exception:  # noqa: BLE001 - sharing is an optimisation; the caller has its value
        if tmp is not None:
            try:
                os.unlink(tmp)
            except OSError:
                pass
