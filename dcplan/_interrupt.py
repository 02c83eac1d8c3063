"""Stop signals taken where a waiting loop can stop, not wherever the main thread happens to be.

Python raises Ctrl-C's ``KeyboardInterrupt`` at the next bytecode of the main thread, and
``dcplan``'s SIGTERM/SIGHUP handler did the same (:func:`dcplan.cli._terminate`). Raised inside
the standard library's own bookkeeping it can leave a lock held for good: ``concurrent.futures.wait``
and ``as_completed`` first take the lock of every future they watch, one by one
(``_AcquireFutures``); stopped between two of them, the main thread keeps the ones it took, the
pool's manager thread blocks on one as it fails or cancels that future, and the clean-up that
waits for the manager thread (:meth:`dcplan.sweep_pool._RestartingProcessPool.stop`, a pool's
``shutdown``) waits forever, the repeated signal ignored. A fresh-clone CI run of
``tests/test_sweep.py::test_sigterm_to_the_process_group_stops_a_parallel_sweep_cleanly`` hung so
for 120 s; ``tests/test_interrupt.py`` delivers the signal at that point.

Inside :func:`deferred` (a sweep's or render's loop that waits on its futures with a timeout) a stop
signal is noted and the loop raises it itself, between two waits (:func:`check`): outside any library
lock. Elsewhere nothing changes: the first stop signal raises ``KeyboardInterrupt`` at once. A sweep or render
that runs one case or notebook at a time (``-j 1``) waits so too: its running case finishes (a sweep's case runs
in this thread) or its running notebook's kernel is closed (a render's runs in a thread of its own), as in the
parallel path, and a save or record it is writing is not cut short.

A command's clean-up after a stop is bounded: :func:`deliver` tells :data:`on_stop`, whose watchdog
(:mod:`dcplan._stop_watchdog`) ends the command, saying so, when the clean-up has not ended within
:data:`dcplan._stop_watchdog.STOP_GRACE_S` (a worker, kernel or case that does not stop). So a render, whose first
stop already stops every run, takes a further Ctrl-C during its clean-up as noted, not raised (:func:`cleaning_up`):
the clean-up (recording the runs that ended, the index, removing scratch) is not cut short; a sweep's second Ctrl-C
still stops the cases the first let finish.
"""
from __future__ import annotations

import contextlib
import os
import signal
import threading
from typing import Callable, Iterable, Iterator

__all__ = ["POLL_S", "as_completed", "check", "cleaning_up", "deferred", "deliver"]

#: How often a deferring loop looks for a noted stop signal: the longest a stop waits for it. [s]
POLL_S = 0.2

#: Called with the signal's name by :func:`deliver` at each stop signal it takes (set while a command runs, for
#: its watchdog: :mod:`dcplan._stop_watchdog`); it runs in a signal handler, so it takes no lock.
on_stop: Callable[[str], None] | None = None

_deferring = 0  # nesting depth of deferred() in the main thread
_noted: str | None = None  # the stop signal noted inside deferred() and not yet raised ("SIGTERM", "SIGINT")


def deliver(name: str) -> None:
    """Called by a stop signal's handler (in the main thread): raise ``KeyboardInterrupt`` now, or,
    inside :func:`deferred`, note the signal ``name`` for the loop's next :func:`check`."""
    global _noted
    if on_stop is not None:
        on_stop(name)
    if _deferring and threading.current_thread() is threading.main_thread():
        _noted = _noted or name
        return
    raise KeyboardInterrupt


def check() -> None:
    """Raise ``KeyboardInterrupt`` if a stop signal was noted (call between two waits of the loop)."""
    global _noted
    if _noted is not None:
        _noted = None
        raise KeyboardInterrupt


def _first_ctrl_c(signum, frame) -> None:
    # Ctrl-C as Python's own handler would take it, but noted: a second Ctrl-C is Python's again and
    # raises at once (it stops what the first let finish: a sweep's running cases)
    with contextlib.suppress(ValueError, OSError):
        signal.signal(signal.SIGINT, signal.default_int_handler)
    deliver("SIGINT")


@contextlib.contextmanager
def deferred() -> Iterator[None]:
    """Note stop signals instead of raising them, while the caller's loop polls :func:`check`.

    Ctrl-C is deferred too when its handler is Python's own (``signal.default_int_handler``): the
    first is noted and Python's handler put back, so a second one raises at once, as before. Only in
    the main thread (elsewhere a no-op). The loop calls :func:`check` once more when it ends; a signal
    noted after that is dropped on the way out (it may be left in a ``finally`` that must not be cut short).
    """
    global _deferring, _noted
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    own_sigint = signal.getsignal(signal.SIGINT) is signal.default_int_handler
    if own_sigint:
        signal.signal(signal.SIGINT, _first_ctrl_c)
    if not _deferring:
        _noted = None
    _deferring += 1
    try:
        yield
    finally:
        _deferring -= 1
        if not _deferring:
            _noted = None
        # put Python's handler back unless a signal changed it meanwhile (a SIGTERM ignores every stop signal
        # while the command cleans up; a first Ctrl-C already put it back)
        if own_sigint and signal.getsignal(signal.SIGINT) is _first_ctrl_c:
            signal.signal(signal.SIGINT, signal.default_int_handler)


def _during_clean_up(signum, frame) -> None:
    # a further Ctrl-C while a stopped render cleans up: the watchdog's (it bounds the clean-up), said once
    global _said_cleaning
    if on_stop is not None:
        on_stop("SIGINT")
    if not _said_cleaning:
        _said_cleaning = True
        with contextlib.suppress(OSError):  # not sys.stderr: the main thread may hold its lock
            os.write(2, b"dcplan: stopping: the runs are stopped; recording them (runs.json, the index) and removing "
                        b"scratch (a clean-up that does not end is given up)\n")


_said_cleaning = False


@contextlib.contextmanager
def cleaning_up() -> Iterator[None]:
    """A stopped render's clean-up, once its runs are stopped (kernels closed, workers ended): a further Ctrl-C is
    not raised but noted for the command's watchdog (:data:`on_stop`, which gives the clean-up up
    :data:`dcplan._stop_watchdog.STOP_GRACE_S` after the first stop) and said in one line. Raised there, it cut the
    rest short (pressed again while render waited for its run thread to end: runs.json and the index not
    rewritten, scratch left, no summary), with nothing left for it to stop. At ``-j 1`` it covers the wait for the
    thread placing the outputs of the runs that executed too (raised there, before it, it left a traceback). Only while a watchdog bounds the
    clean-up (a ``dcplan`` command: :data:`on_stop` set), in the main thread and when Ctrl-C is Python's own
    (``signal.default_int_handler``; a SIGTERM's clean-up already ignores every stop signal); elsewhere
    (``render`` called from Python) a second Ctrl-C raises as before."""
    global _said_cleaning
    if on_stop is None or threading.current_thread() is not threading.main_thread() \
            or signal.getsignal(signal.SIGINT) is not signal.default_int_handler:
        yield
        return
    _said_cleaning = False
    signal.signal(signal.SIGINT, _during_clean_up)
    try:
        yield
    finally:
        if signal.getsignal(signal.SIGINT) is _during_clean_up:
            signal.signal(signal.SIGINT, signal.default_int_handler)


def as_completed(fs: Iterable) -> Iterator:
    """The futures ``fs`` as they finish, as ``concurrent.futures.as_completed`` gives them, but waiting
    :data:`POLL_S` at a time and calling :func:`check` between two waits (inside :func:`deferred`);
    futures that finished during the same wait come in the order of ``fs``."""
    import concurrent.futures as cf
    waiting = list(fs)
    while waiting:
        done, _ = cf.wait(waiting, timeout=POLL_S, return_when=cf.FIRST_COMPLETED)
        check()
        waiting, finished = [f for f in waiting if f not in done], [f for f in waiting if f in done]
        yield from finished
