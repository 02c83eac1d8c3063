"""Executors of a sweep (:mod:`dcplan.sweep`): in this process, a local process pool that
outlives a worker's death and stops cleanly on Ctrl-C or SIGTERM, or a Dask cluster.

One interface, ``concurrent.futures.Executor``; :func:`make_executor` picks one.
"""
from __future__ import annotations

import concurrent.futures as cf
import contextlib
import multiprocessing
import os
import re
import time
from typing import Iterator

from .errors import InputError

__all__ = ["InProcessExecutor", "make_executor", "SCHEDULER_ENV"]

SCHEDULER_ENV = "DCPLAN_SCHEDULER"


#: A Dask scheduler address as distributed takes it: ``[scheme://]host:port`` (``tcp://10.0.0.5:8786``,
#: ``tls://[fe80::1]:8786``, ``sched.local:8786``) or an in-process ``inproc://...`` address.
_SCHEDULER_RE = re.compile(r"^(?:(?:tcp|tls|ws|wss|ucx)://)?(?:\[[0-9A-Fa-f:.]+\]|[A-Za-z0-9._-]+):[0-9]{1,5}$"
                           r"|^inproc://\S+$")


def check_scheduler_address(address: str, field: str = "--scheduler") -> None:
    """Refuse an address that is not ``[scheme://]host:port`` before distributed tries it: a
    client given ``foo`` or ``tcp://host`` (no port) could wait on name resolution and its own
    event loop, on a loaded machine for minutes, before it failed."""
    if not _SCHEDULER_RE.match(str(address).strip()):
        raise InputError(f"{address!r} is not a Dask scheduler address; give [scheme://]host:port of a "
                         "running scheduler, e.g. tcp://host:8786", field=field)


# ---------------------------------------------------------------------------
# executors

class InProcessExecutor(cf.Executor):
    """Runs each submitted call at once in this process (``jobs=1``; easy to debug)."""

    def submit(self, fn, /, *args, **kwargs) -> cf.Future:
        f: cf.Future = cf.Future()
        try:
            f.set_result(fn(*args, **kwargs))
        except Exception as err:
            f.set_exception(err)
        return f


class _RestartingProcessPool(cf.Executor):
    """Local worker processes that outlive a worker's death.

    A process pool whose worker dies (a crash, ``os._exit``, the out-of-memory killer)
    is broken for good: the tasks in it fail with ``BrokenProcessPool`` and so would
    every later submit, failing every case not yet run. This starts a fresh pool for
    the next submit instead, so only the cases in flight with the dead worker are lost
    (:func:`run_sweep` retries those, one case per task).
    """

    def __init__(self, max_workers: int):
        self._max_workers = max_workers
        self._ctx = multiprocessing.get_context("forkserver")
        # set to 1 by stop(): no worker starts another case. Shared memory, no lock: a multiprocessing.Event's
        # lock taken by a worker as it looked (between two cases) and killed there (SIGTERM to the process group)
        # stayed taken, and stop() waited for it forever
        self._stop = self._ctx.RawValue("b", 0)
        self._pool = self._new()

    def _new(self) -> cf.ProcessPoolExecutor:
        from .sweep_worker import pool_worker_init
        return cf.ProcessPoolExecutor(max_workers=self._max_workers, mp_context=self._ctx,
                                      initializer=pool_worker_init, initargs=(self._stop,))

    def submit(self, fn, /, *args, **kwargs) -> cf.Future:
        if getattr(self._pool, "_broken", False):
            self._pool.shutdown(wait=False, cancel_futures=True)
            self._pool = self._new()
        return self._pool.submit(fn, *args, **kwargs)

    def shutdown(self, wait: bool = True, *, cancel_futures: bool = False) -> None:
        self._pool.shutdown(wait=wait, cancel_futures=cancel_futures)

    def stop(self) -> None:
        """Cancel the queued tasks, let the running cases finish (a task's later cases, and
        tasks the pool had already handed to a worker, start none) and wait for them; a
        Ctrl-C while waiting terminates the workers instead.

        The wait polls the pool's manager thread rather than joining it: on Python 3.11 a
        Ctrl-C inside ``Thread.join`` can leave the thread marked as ended while it runs, and
        the pool then closes its queues under it (a traceback from that thread).
        """
        self._stop.value = 1  # tasks already handed to the workers run no further case
        pool = self._pool
        thread = getattr(pool, "_executor_manager_thread", None)
        procs = list((getattr(pool, "_processes", None) or {}).values())
        pool.shutdown(wait=False, cancel_futures=True)  # the manager thread cancels and cleans up

        def wait() -> None:
            while thread is not None and thread.is_alive():
                time.sleep(0.05)
        try:
            wait()
        except KeyboardInterrupt:
            for proc in procs:
                proc.terminate()
            with contextlib.suppress(KeyboardInterrupt):  # a third Ctrl-C: stop waiting
                wait()


@contextlib.contextmanager
def make_executor(jobs: int | None = None, scheduler: str | None = None
                  ) -> Iterator[tuple[cf.Executor, int]]:
    """The executor for a sweep and how many cases it runs at once.

    Parameters
    ----------
    jobs : int, optional
        Local parallel processes (default: CPU cores); ``1`` runs in this process.
    scheduler : str, optional
        Dask scheduler address (``tcp://host:8786``); default ``$DCPLAN_SCHEDULER``.
        When set, ``jobs`` is ignored and cases run on the cluster.

    Yields
    ------
    (concurrent.futures.Executor, int)
        Closed (and the Dask client disconnected) on exit.
    """
    scheduler = scheduler or os.environ.get(SCHEDULER_ENV) or None
    if scheduler:
        try:
            from distributed import Client
        except ImportError:
            raise InputError("--scheduler needs dask.distributed: pip install 'dcplan[dask]'",
                             field="--scheduler") from None
        check_scheduler_address(scheduler)
        try:
            client = Client(scheduler, timeout="20s")
        # AssertionError: distributed's own event loop did not start within its 10 s (a loaded machine)
        except (OSError, TimeoutError, ValueError, AssertionError) as e:
            raise InputError(f"cannot connect to Dask scheduler {scheduler!r}: {e}",
                             field="--scheduler") from None
        try:
            slots = max(1, sum(client.nthreads().values()))
            yield client.get_executor(pure=False), slots
        finally:
            client.close()
        return
    jobs = int(jobs or os.cpu_count() or 1)
    if jobs < 1:
        raise InputError(f"jobs must be >= 1, got {jobs}", field="-j")
    if jobs == 1:
        yield InProcessExecutor(), 1
        return
    pool = _RestartingProcessPool(jobs)
    try:
        yield pool, jobs
    finally:
        pool.shutdown(wait=True, cancel_futures=True)


def _slots(executor: cf.Executor) -> int:
    """How many cases an executor runs at once (best effort)."""
    if isinstance(executor, InProcessExecutor):
        return 1
    client = getattr(executor, "_client", None)       # distributed.ClientExecutor
    if client is not None:
        try:
            return max(1, sum(client.nthreads().values()))
        except Exception:  # scheduler unreachable: the submit will say so
            return 1
    return max(1, int(getattr(executor, "_max_workers", 0) or os.cpu_count() or 1))
