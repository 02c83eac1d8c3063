"""Socket folders in the system temp folder, and the removal of those a killed render left.

A kernel's connection sockets and the kernel zygote's socket live in short-lived folders
under the system temp folder (unix socket paths are limited to about 100 characters, so
not under the reports folder). A render removes each when its run ends; a render killed
without clean-up (SIGKILL, the out-of-memory killer) cannot. The folders are named with the
owner's host and process id (``dcplan-k-<host>-<pid>-<random>``: ``k`` a kernel's, ``z`` the
zygote's), and :func:`remove_stale` (each render calls it at its start) removes those of this
host whose process is gone. A folder of a live process, of another host (a temp folder
shared between containers), of another user, or of another name is left alone.
"""
from __future__ import annotations

import hashlib
import os
import re
import shutil
import socket
import tempfile

_PREFIX = "dcplan-"


def _host() -> str:
    """A short, file-name-safe tag of this host (6 hex digits of its name's hash)."""
    return hashlib.sha256(socket.gethostname().encode()).hexdigest()[:6]


def make(kind: str) -> str:
    """A new private folder for sockets, ``kind`` "k" (a kernel's) or "z" (the zygote's)."""
    return tempfile.mkdtemp(prefix=f"{_PREFIX}{kind}-{_host()}-{os.getpid()}-")


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:  # PermissionError: someone else's process, alive
        return True
    return True


def remove_stale(folder: str | None = None) -> list[str]:
    """Remove this host's socket folders whose owning process is gone; return their paths."""
    folder = folder or tempfile.gettempdir()
    pat = re.compile(rf"{re.escape(_PREFIX)}[kz]-{_host()}-([0-9]+)-[A-Za-z0-9_]+")
    removed = []
    try:
        names = os.listdir(folder)
    except OSError:
        return removed
    uid = os.getuid()
    for name in names:
        m = pat.fullmatch(name)
        if m is None or int(m.group(1)) == os.getpid() or _alive(int(m.group(1))):
            continue
        path = os.path.join(folder, name)
        try:
            st = os.lstat(path)
        except OSError:
            continue
        if st.st_uid != uid or not os.path.isdir(path) or os.path.islink(path):
            continue
        shutil.rmtree(path, ignore_errors=True)
        removed.append(path)
    return removed
