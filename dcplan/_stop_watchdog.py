"""A command's watchdog: after a stop signal, a clean-up that does not end is given up (part of :mod:`dcplan.cli`).

A stopped sweep waits for its running cases and its pool's manager thread, a stopped render for its runs' threads
and kernels; a worker that ignores the stop (a case in a C loop, a kernel that does not die) kept the command
waiting until the CI job's time limit killed it, with nothing said. While a command runs
(:class:`dcplan.cli._SigtermAsInterrupt`) a daemon thread watches: once a stop signal was taken
(:func:`dcplan._interrupt.deliver` tells :func:`_note_stop`: SIGTERM and SIGHUP always, Ctrl-C while a sweep or
render waits on its runs), a command still running :data:`STOP_GRACE_S` later is ended by :func:`_give_up`: the
processes it started are killed, one line says so, and it exits with the signal's code (130, 143, 129).
"""
from __future__ import annotations

import contextlib
import os
import threading
import time  # here, not in the signal handler (an import there could wait on one under way)

from . import _interrupt

__all__ = ["STOP_GRACE_S", "start", "stop"]


#: How long a command may take to stop after its first stop signal (Ctrl-C while a sweep or render waits on its
#: runs, SIGTERM, SIGHUP) before its watchdog gives up on the clean-up (:func:`_watchdog`): longer than a sweep's
#: running cases usually take to finish (seconds) and a render's kernels to close (about a second), shorter than
#: the test runs' own 90 s limit on a stop, which a clean-up waiting on a worker that ignores the stop hit. [s]
STOP_GRACE_S = 60.0
_stop_seen: tuple[str, float] | None = None  # the first stop signal this command took and when (time.monotonic)


def _note_stop(name: str) -> None:
    """:data:`dcplan._interrupt.on_stop` while a command runs: note the first stop signal for the watchdog. In a
    signal handler: an assignment, no lock."""
    global _stop_seen
    if _stop_seen is None:
        _stop_seen = (name, time.monotonic())


def _descendants(pid: int) -> list[int]:
    """The processes started by ``pid`` and by those in turn (Linux ``/proc``; elsewhere this process's
    ``multiprocessing`` children only), deepest last."""
    children: dict[int, list[int]] = {}
    try:
        for stat in os.scandir("/proc"):
            if stat.name.isdigit():
                with contextlib.suppress(OSError, ValueError, IndexError):
                    with open(f"/proc/{stat.name}/stat", "rb") as fh:
                        ppid = int(fh.read().rpartition(b")")[2].split()[1])
                    children.setdefault(ppid, []).append(int(stat.name))
    except OSError:
        import multiprocessing
        return [c.pid for c in multiprocessing.active_children() if c.pid]
    out, todo = [], [pid]
    while todo:
        kids = children.get(todo.pop(), [])
        out += kids
        todo += kids
    return out


def _give_up(name: str, grace_s: float) -> None:
    """The watchdog's end of a command whose clean-up did not end within ``grace_s`` of the stop signal ``name``:
    kill the processes it started (workers, kernels, a warm-kernel server), say so in one line and exit with the
    signal's code, without the rest of the clean-up."""
    import signal
    for pid in _descendants(os.getpid()):
        with contextlib.suppress(OSError):
            os.kill(pid, signal.SIGKILL)
    sig = f" ({name})" if name != "SIGINT" else ""
    line = (f"dcplan: interrupted{sig}: the clean-up did not end within {grace_s:g} s of the stop (a worker, kernel "
            "or case that does not stop); exiting without it: its processes are killed, the files already in place "
            "are kept, a run or case not saved is not, and the same command again resumes\n")
    with contextlib.suppress(OSError):
        os.write(2, line.encode(errors="replace"))  # not sys.stderr: the main thread may hold its lock
    from .cli import EXIT_SIGHUP, EXIT_SIGINT, EXIT_SIGTERM
    os._exit({"SIGTERM": EXIT_SIGTERM, "SIGHUP": EXIT_SIGHUP}.get(name, EXIT_SIGINT))


def _watchdog(done, poll_s: float = 0.25) -> None:
    """A command's watchdog (a daemon thread, until ``done`` is set): once a stop signal was taken
    (:func:`_note_stop`), end the command (:func:`_give_up`) if it is still cleaning up :data:`STOP_GRACE_S`
    later; a CI job's time limit is not spent waiting on a worker that ignores the stop."""
    while not done.wait(poll_s):
        seen = _stop_seen
        if seen is not None and time.monotonic() - seen[1] > STOP_GRACE_S:
            _give_up(seen[0], STOP_GRACE_S)


def start() -> threading.Event:
    """Start watching (from the command's main thread): :data:`dcplan._interrupt.on_stop` notes the first stop
    signal; returns the event :func:`stop` sets."""
    global _stop_seen
    _stop_seen = None
    _interrupt.on_stop = _note_stop
    done = threading.Event()
    threading.Thread(target=_watchdog, args=(done,), daemon=True, name="dcplan-stop-watchdog").start()
    return done


def stop(done: threading.Event) -> None:
    """Stop watching: the command has ended (its clean-up too)."""
    done.set()
    _interrupt.on_stop = None
