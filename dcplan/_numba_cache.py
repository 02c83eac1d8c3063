"""Where numba keeps dcplan's compiled kernels, chosen before any ``@njit(cache=True)`` is decorated.

dcplan's kernels (``power_timegrid``, ``schedule_baselines``, ``grid_battery``, ``thermal_dynamics_kernel``,
``power_fleet``) are ``@njit(cache=True)``. Numba caches a function in ``NUMBA_CACHE_DIR`` when that is set, else
in ``__pycache__`` beside the module, else in its user-wide cache (``$XDG_CACHE_HOME/numba``, ``~/.cache/numba``;
``~/Library/Caches/numba`` on macOS; ``%LOCALAPPDATA%\\numba\\Cache`` on Windows). With none of them writable it
raises ``RuntimeError: cannot cache function ...: no locator available`` when the module is imported: a read-only
install run by a user without a writable home (a container under an arbitrary uid, a systemd unit with
``ProtectHome``) could not import dcplan at all.

:func:`configure` (run by ``dcplan/__init__.py``, so before any dcplan module imports numba) decides:

* ``NUMBA_CACHE_DIR`` already set: the user's choice, left alone (``"user"``);
* the package's ``__pycache__`` writable: numba's default (``"in-tree"``);
* numba's user-wide cache writable: numba's default (``"user-wide"``);
* else ``NUMBA_CACHE_DIR`` = ``<tempfile.gettempdir()>/dcplan-numba-<uid>`` (``"temp"``), a folder only this
  user may write (numba's cache index is a pickle: a folder someone else made or can write is not reused; a
  fresh private ``mkdtemp`` folder is used instead);
* no writable folder at all: kernels compile without a cache (``"none"``; numba has no switch for that, so
  ``Dispatcher.enable_caching`` is wrapped to keep its no-op cache for dcplan's own functions only).

The decision is in :data:`DECISION` (``(kind, folder)``) for diagnostics.
"""
from __future__ import annotations

import os
import stat
import sys
import tempfile
from pathlib import Path

ENV = "NUMBA_CACHE_DIR"
_PKG = Path(__file__).resolve().parent

#: ``(kind, folder)`` as :func:`configure` decided; ``None`` before it ran.
DECISION: tuple[str, str | None] | None = None


def writable_dir(path: str | os.PathLike) -> bool:
    """True when ``path`` is a folder this process may write in, or could be made as one: its nearest existing
    ancestor is a writable folder. A file in the way (``__pycache__`` as a file, ``HOME`` under a file) is False.
    ``os.access`` honours read-only mounts (EROFS) and the permission bits."""
    p = Path(os.path.abspath(path))
    while not os.path.lexists(p):
        if p.parent == p:
            return False
        p = p.parent
    return p.is_dir() and os.access(p, os.W_OK | os.X_OK)


def user_wide_cache_dir(environ=os.environ, platform: str = sys.platform) -> Path:
    """Numba's user-wide cache folder (``numba.misc.appdirs.user_cache_dir('numba', False)``), computed without
    importing numba."""
    if platform == "win32":
        return Path(environ.get("LOCALAPPDATA") or os.path.expanduser("~/AppData/Local")) / "numba" / "Cache"
    if platform == "darwin":
        return Path(os.path.expanduser("~/Library/Caches")) / "numba"
    return Path(environ.get("XDG_CACHE_HOME") or os.path.expanduser("~/.cache")) / "numba"


def _uid() -> str:
    if hasattr(os, "getuid"):
        return str(os.getuid())
    import getpass
    return getpass.getuser()


def _private_dir(folder: Path) -> bool:
    """Make ``folder`` (mode 0700) or accept it when it is a real folder of ours that nobody else may write."""
    try:
        os.makedirs(folder, mode=0o700, exist_ok=True)
        st = os.lstat(folder)
    except OSError:
        return False
    if not stat.S_ISDIR(st.st_mode):  # a symlink or a file planted in its place
        return False
    if hasattr(os, "getuid") and (st.st_uid != os.getuid() or st.st_mode & (stat.S_IWGRP | stat.S_IWOTH)):
        return False
    return os.access(folder, os.W_OK | os.X_OK)


def temp_cache_dir() -> Path | None:
    """A per-user folder under the temp dir for numba's cache, or None when no temp dir is writable."""
    try:
        tmp = Path(tempfile.gettempdir())
    except OSError:  # FileNotFoundError: no usable temporary directory
        return None
    folder = tmp / f"dcplan-numba-{_uid()}"
    if _private_dir(folder):
        return folder
    try:  # someone else's or an unsafe folder under that name: a fresh private one for this process
        return Path(tempfile.mkdtemp(prefix="dcplan-numba-", dir=tmp))
    except OSError:
        return None


def decide(environ=os.environ, pkg_dir: Path = _PKG) -> tuple[str, str | None]:
    """``(kind, folder)``: where numba will cache dcplan's kernels; ``folder`` is set for ``"temp"`` only
    (for ``"user"`` it is the user's ``NUMBA_CACHE_DIR``)."""
    if environ.get(ENV):
        return "user", environ[ENV]
    if writable_dir(pkg_dir / "__pycache__"):
        return "in-tree", None
    if writable_dir(user_wide_cache_dir(environ)):
        return "user-wide", None
    folder = temp_cache_dir()
    if folder is not None:
        return "temp", str(folder)
    return "none", None


def _compile_without_cache(pkg_dir: Path = _PKG) -> None:
    """Let dcplan's ``cache=True`` functions compile uncached when numba finds no cache locator."""
    from numba.core import dispatcher

    orig = dispatcher.Dispatcher.enable_caching
    if getattr(orig, "_dcplan_soft", False):
        return
    prefix = str(pkg_dir) + os.sep

    def enable_caching(self):
        try:
            orig(self)
        except RuntimeError as e:
            src = getattr(getattr(self.py_func, "__code__", None), "co_filename", "")
            if "no locator available" not in str(e) or not os.path.abspath(src).startswith(prefix):
                raise
            # the dispatcher keeps the NullCache it was made with: compiled each process, never cached

    enable_caching._dcplan_soft = True
    dispatcher.Dispatcher.enable_caching = enable_caching


def configure(environ=os.environ, pkg_dir: Path = _PKG) -> tuple[str, str | None]:
    """Apply :func:`decide` to ``environ`` (and numba's config, when numba is already imported). Never raises
    for a file-system reason: at worst the kernels compile uncached."""
    global DECISION
    try:
        kind, folder = decide(environ, pkg_dir)
    except OSError:
        kind, folder = "none", None
    if kind == "temp":
        environ[ENV] = folder
        cfg = sys.modules.get("numba.core.config")
        if cfg is not None:  # numba read its environment when it was imported: have it read it again
            cfg.reload_config()
    elif kind == "none":
        _compile_without_cache(pkg_dir)
    DECISION = (kind, folder)
    return DECISION
