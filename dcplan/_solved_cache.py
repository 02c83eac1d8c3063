"""Solved tables kept between processes: a cooling tower's Merkel approach table
(:func:`dcplan.thermal_tower_merkel._approach_table`) and its free-cooling limit
(:func:`dcplan.thermal_plant_params._merkel_limit`), solved once per tower design and code version, not
once per process; and a design day's humidity (:func:`dcplan.weather_psychro.relative_humidity_at_wet_bulb_pct`,
50 wet bulbs: about 75 ms, twice in each notebook run that checks its site's design day).

Each process that models a tower site solves its design's table the first time it needs it (0.3 s a
design) and the limit for its loop's supply (0.14 s): in the ``dcplan render`` process (the sites' checks,
before any run: 0.5 s of the example's 3.5 s of planning), in its warm-kernel server, in ``dcplan validate`` and
in a JupyterLab kernel's first run of a notebook. Both are pure functions of numbers and of the code that
solves them, so a solved one is written to ``<cache>/solved-tables/`` and read back by the next process
instead of solved again.

* **Where**: the folder of :data:`dcplan.paths.CACHE_DIR_ENV` (``DCPLAN_CACHE_DIR``; set empty, nothing
  is kept), else ``$XDG_CACHE_HOME/dcplan`` or ``~/.cache/dcplan``, as the weather checks' cache
  (:func:`dcplan.paths.cache_root`).
* **Key**: the table's name, its arguments (the design, rounded as the solver takes it) and
  :func:`code_digest`: the source of the modules that solve it (:data:`SOURCES`), this module's
  :data:`CACHE_FORMAT` and the dcplan and numpy versions. An edit of the solver is a new key: nothing stale
  is read.
* **Values**: the arrays as solved (``.npz``, uncompressed, no pickles): read back bit for bit.
* **Failures**: an entry that cannot be read (absent, cut short, edited, of other arrays) is solved again and
  rewritten; a folder that cannot be written keeps nothing. Keeping is an optimisation: no error comes of it.
  An entry is written to a temporary file and renamed into place (:func:`dcplan.report_files.atomic_write`), so
  a reader sees all of it or none; at most :data:`MAX_ENTRIES` are kept (the least recently used go first).
"""
from __future__ import annotations

import functools
import hashlib
import os
from pathlib import Path

import numpy as np

__all__ = ["CACHE_FORMAT", "MAX_ENTRIES", "SOURCES", "code_digest", "folder", "kept_arrays"]

#: Bumped when an entry's layout changes.
CACHE_FORMAT = 1
#: Entries kept in the folder; a tower design's table is about 60 kB.
MAX_ENTRIES = 256
#: The modules whose source a kept table depends on: the Merkel solver, the psychrometrics it calls (and the design
#: humidity's bisection) and the free-cooling limit's caller.
SOURCES = ("thermal_tower_merkel.py", "thermal_water.py", "weather_psychro.py", "thermal_plant_params.py")


def folder() -> Path | None:
    """``<cache root>/solved-tables``, or None when ``DCPLAN_CACHE_DIR`` is set empty."""
    from .paths import cache_root
    root = cache_root()
    return None if root is None else root / "solved-tables"


@functools.lru_cache(maxsize=1)
def code_digest() -> str:
    """SHA-256 of :data:`SOURCES`, :data:`CACHE_FORMAT` and the dcplan and numpy versions."""
    from . import __version__
    h = hashlib.sha256(f"{CACHE_FORMAT};dcplan={__version__};numpy={np.__version__};".encode())
    here = Path(__file__).resolve().parent
    for name in SOURCES:
        try:
            h.update(name.encode() + b"\0" + (here / name).read_bytes())
        except OSError:  # (no source: a zip import) the versions above still change with a release
            h.update(name.encode())
    return h.hexdigest()


def _entry(name: str, args: tuple) -> tuple[str, Path | None]:
    key = repr((name, args, code_digest()))
    where = folder()
    digest = hashlib.sha256(key.encode()).hexdigest()[:40]
    return key, None if where is None else where / f"{name}-{digest}.npz"


def _read(path: Path, key: str, n: int) -> tuple[np.ndarray, ...] | None:
    try:
        with np.load(path, allow_pickle=False) as z:
            if str(z["key"]) != key:
                return None
            arrays = tuple(np.array(z[f"a{i}"]) for i in range(n))
    except Exception:  # noqa: BLE001 - absent, cut short, edited, another layout: solve it again
        return None
    try:
        os.utime(path)  # recently used: pruned last
    except OSError:  # a folder that cannot be written (read-only): read all the same
        pass
    return arrays


def _write(path: Path, key: str, arrays: tuple[np.ndarray, ...]) -> None:
    from .report_files import atomic_write

    def save(tmp):
        with open(tmp, "wb") as fh:
            np.savez(fh, key=np.array(key), **{f"a{i}": a for i, a in enumerate(arrays)})

    try:
        atomic_write(path, save)  # a reader sees the whole entry or none
        entries = sorted(path.parent.glob("*.npz"), key=lambda p: p.stat().st_mtime)
        for old in entries[:-MAX_ENTRIES]:
            old.unlink(missing_ok=True)
    except Exception:  # noqa: BLE001 - keeping is an optimisation; the table was solved
        pass


def kept_arrays(name: str, args: tuple, solve, n: int) -> tuple[np.ndarray, ...]:
    """``solve()`` (a tuple of ``n`` arrays) for ``(name, args)``: read from the folder when kept there at this
    :func:`code_digest`, else solved and kept. The arrays come back read-only, kept or solved."""
    key, path = _entry(name, args)
    arrays = None if path is None else _read(path, key, n)
    if arrays is None:
        arrays = tuple(np.asarray(a) for a in solve())
        if path is not None:
            _write(path, key, arrays)
    for a in arrays:
        a.flags.writeable = False
    return arrays
