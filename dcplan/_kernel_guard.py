"""Cold kernels take what they started with them when their render dies (``dcplan render --cold-kernels``).

jupyter_client starts a kernel in a session of its own (its process group, whose id is the kernel's pid), and
ipykernel exits when the process that started it dies (its parent poller): a render killed (``kill -9``, the OOM
killer) left the processes a cell had started (a ``subprocess.Popen``, a process pool's workers) running, for
good, reparented to init. The warm path's zygote kills a kernel's whole group when its render dies or the kernel
ends (:func:`dcplan._kernel_zygote._kill_kernel`); for a cold kernel this small launcher does the same:

1. the kernel command becomes ``python -I <this file> -- <kernel command>`` (:func:`wrap`); jupyter_client
   starts it as it would the kernel (a new session: its pid is the group's id);
2. the launcher opens a pidfd of its parent, the render (``JPY_PARENT_PID``: if that is no longer its parent, the
   render died meanwhile and no kernel starts), and one of itself, starts a *watcher* (forked twice: in the
   kernel's group, not its child, so no ``os.wait`` of a cell reaps it) and ``exec``s the kernel command: the
   kernel keeps the pid, parent, group and environment jupyter_client gave it (nothing else changes);
3. the watcher ignores the signals jupyter_client sends the group (an interrupt, a terminate) and sleeps on
   both pidfds (``select``: no polling); when either process ends it SIGKILLs the group: the render gone,
   the kernel and all it started; the kernel ended (shut down, killed, crashed), what it left running, as the
   zygote does when it reaps a kernel. The watcher is in the group, so goes with it.

Only where it can (:data:`SUPPORTED`: Linux, whose ``pidfd_open`` exists from 5.3; the launcher also checks
that it leads its group): elsewhere, or when a pidfd cannot be opened, the kernel starts unwatched, as before.
Standard library only (run with ``-I``: no site-packages, no dcplan import), so it adds about 20 ms to a cold
kernel's start (about 2 s).
"""
from __future__ import annotations

import os
import select
import signal
import sys

#: Whether cold kernels are started through this launcher: Linux (``os.pidfd_open``, Python 3.9+, Linux 5.3+).
SUPPORTED = sys.platform.startswith("linux") and hasattr(os, "pidfd_open")

#: The signals jupyter_client sends a kernel's group (interrupt, terminate) or a terminal may: the watcher stays.
_IGNORED = (signal.SIGINT, signal.SIGTERM, signal.SIGHUP, signal.SIGQUIT, signal.SIGUSR1, signal.SIGUSR2)


def wrap(kernel_cmd: list[str]) -> list[str]:
    """The launcher command for ``kernel_cmd`` (unchanged where not :data:`SUPPORTED`)."""
    if not SUPPORTED:
        return kernel_cmd
    return [sys.executable, "-I", os.path.abspath(__file__), "--", *kernel_cmd]


def _pidfds() -> tuple[int, int] | None:
    """Pidfds of the render (this process's parent) and of this process (the kernel to be), or None when the
    group is not this process's to kill (not its leader) or no pidfd can be opened. Exits (status 1, no kernel
    started) when the render that started this process is gone already."""
    if os.getpgrp() != os.getpid():  # jupyter_client starts a new session; anything else: not ours to kill
        return None
    try:
        render = os.pidfd_open(os.getppid())
        me = os.pidfd_open(os.getpid())
    except OSError:
        return None
    expected = os.environ.get("JPY_PARENT_PID", "")
    # the parent is opened first, then checked: a render that died before could have left init as the parent
    if expected.isdigit() and int(expected) != os.getppid():
        sys.stderr.write("dcplan kernel launcher: the render that started this kernel has ended; not starting it\n")
        os._exit(1)
    return render, me


def _watch(render: int, kernel: int, group: int) -> None:
    """The watcher's life: wait until the render or the kernel ends, then SIGKILL the kernel's ``group``."""
    for s in _IGNORED:
        signal.signal(s, signal.SIG_IGN)
    null = os.open(os.devnull, os.O_RDWR)
    for fd in (0, 1, 2):  # hold none of the kernel's files (a pipe read to its end would wait for us)
        os.dup2(null, fd)
    while True:
        try:
            select.select([render, kernel], [], [])
            break
        except InterruptedError:  # pragma: no cover - PEP 475 retries
            continue
    os.killpg(group, signal.SIGKILL)


def _start_watcher(render: int, kernel: int) -> None:
    group = os.getpid()
    pid = os.fork()
    if pid:
        os.waitpid(pid, 0)  # the middle process exits at once; the watcher is init's
        os.close(render)
        os.close(kernel)
        return
    try:
        if os.fork() == 0:  # in the kernel's group, as forked
            _watch(render, kernel, group)
    except BaseException:  # noqa: BLE001 - a watcher that fails must not become a second kernel
        pass
    finally:
        os._exit(0)


def main(argv: list[str]) -> int:
    if len(argv) < 2 or argv[0] != "--":
        sys.stderr.write("usage: python -I _kernel_guard.py -- KERNEL_CMD...\n")
        return 2
    cmd = argv[1:]
    fds = _pidfds()
    if fds is not None:
        _start_watcher(*fds)
    os.execv(cmd[0], cmd)
    return 1  # pragma: no cover - execv does not return


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
