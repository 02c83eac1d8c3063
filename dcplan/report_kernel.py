"""How a run's notebook is executed: papermill's engine and jupyter_client's kernel
manager and client, adjusted for render (part of :mod:`dcplan.report`).

* :func:`_engine_name`: papermill's nbclient engine, extended so that a cell that timed
  out or killed its kernel is named in the failure and what ran is kept.
* :func:`_ipc_kernel_manager`: kernels talk over unix sockets, write their own output to
  a log file, run in the run's own working directory and, given a warm-kernel server
  (:mod:`dcplan._kernel_zygote`), are forked from it instead of starting cold (a cold one is started
  through :mod:`dcplan._kernel_guard`, so that what it started goes with it when the render dies); each
  loads :mod:`dcplan.results` as an IPython extension (warnings shown as caveats).
* :func:`_ready_client_class`: a kernel client whose ``wait_for_ready`` returns when the
  kernel has answered, instead of 0.2 s later, and refuses a kernel that is not render's own
  (:func:`check_own_kernel`).
* **Render's own kernel**: every kernel runs render's own interpreter
  (:func:`own_kernel_spec`: ``sys.executable -m ipykernel_launcher``, no environment of a
  kernelspec), never Jupyter's ``python3`` kernelspec: one installed by ``ipykernel install
  --user`` from another environment, or a ``kernel.json`` on ``JUPYTER_PATH`` with a
  ``PYTHONPATH`` of its own, ran other code (a cold kernel gave another NPV) while
  results.json named render's code and the cache kept the figures. The kernel's first request
  reports its ``sys.executable`` and dcplan's file, and a run whose kernel differs from render's
  fails, naming both.

papermill and jupyter_client are imported when first used, not with this module.
"""
from __future__ import annotations

import ast
import functools
import os
import sys
import time
import uuid
from pathlib import Path

#: how long a starting kernel's IOPub may take to show the kernel_info request's idle
#: status before the request is sent again [s] (jupyter_client's own wait)
KERNEL_IOPUB_WAIT_S = 0.2
#: how often an exiting kernel is polled [s] (jupyter_client: 0.1)
KERNEL_EXIT_POLL_S = 0.005
#: loaded in every kernel of this interpreter: dcplan's warnings show in the report as caveats
#: ("Warning: <message>"), which results.json and the index list too
#: (:func:`dcplan.results.show_warnings_as_caveats`), not as Python's file:line and source line
KERNEL_EXTENSION_ARG = "--IPKernelApp.extensions=dcplan.results"
#: what a kernel is asked first (:func:`check_own_kernel`): its interpreter and the dcplan it imports
#: (user expressions of a silent request: nothing enters its namespace or history)
KERNEL_IDENTITY = {"executable": "__import__('sys').executable", "dcplan": "__import__('dcplan').__file__"}
#: how long a kernel may take to answer :data:`KERNEL_IDENTITY` when no start-up timeout is given [s]
KERNEL_IDENTITY_WAIT_S = 60.0


def own_kernel_spec():
    """The kernelspec of every render kernel: render's own interpreter (``sys.executable -m
    ipykernel_launcher -f {connection_file}``) with render's own environment (the kernelspec adds
    no variables), whatever Jupyter's ``python3`` kernelspec says."""
    from jupyter_client.kernelspec import KernelSpec
    return KernelSpec(argv=[sys.executable, "-m", "ipykernel_launcher", "-f", "{connection_file}"],
                      display_name=f"dcplan render ({sys.executable})", language="python", env={},
                      metadata={}, resource_dir="")


class KernelNotOwnError(RuntimeError):
    """A run's kernel runs another interpreter or another dcplan than render itself."""


def _same_path(a: str | None, b: str | None, resolve: bool) -> bool:
    if not a or not b:
        return False
    f = os.path.realpath if resolve else os.path.abspath
    return os.path.normcase(f(a)) == os.path.normcase(f(b))


def own_dcplan_file() -> str:
    import dcplan
    return dcplan.__file__


def check_own_kernel(user_expressions: dict) -> None:
    """Refuse (:class:`KernelNotOwnError`, one line naming both) a kernel whose answers to
    :data:`KERNEL_IDENTITY` are not render's own: its ``sys.executable`` (as given, not resolved: a
    virtual environment's python is a link to the system's, with other packages) and the file
    of the dcplan it imports (resolved)."""
    got = {}
    for k in KERNEL_IDENTITY:
        r = (user_expressions or {}).get(k) or {}
        if r.get("status") == "ok":
            try:
                got[k] = str(ast.literal_eval(r.get("data", {}).get("text/plain", "")))
            except (ValueError, SyntaxError):
                got[k] = None
        else:
            got[k] = None if not r else f"<{r.get('ename', 'error')}: {r.get('evalue', '')}>"
    own_exe, own_dc = sys.executable, own_dcplan_file()
    if _same_path(got["executable"], own_exe, False) and _same_path(got["dcplan"], own_dc, True):
        return
    raise KernelNotOwnError(
        f"the kernel is not render's own: it runs {got['executable'] or '<unknown>'} with dcplan from "
        f"{got['dcplan'] or '<unknown>'}, render runs {own_exe} with dcplan from {own_dc} (its figures would "
        "come from other code: a PYTHONPATH or kernel of another environment?); nothing of this run was kept")


@functools.lru_cache(maxsize=1)
def _engine_name() -> str:
    """Register (once) papermill's nbclient engine, extended to say which cell was running.

    Papermill records a cell that *raised* and saves the notebook; a cell that timed out
    or killed its kernel propagates out with neither. This engine tags such errors with
    the running cell's index and the partial notebook, so the failure names the cell
    and ``_failed/`` keeps what ran.
    """
    from papermill.engines import NBClientEngine, papermill_engines

    class _Engine(NBClientEngine):
        @classmethod
        def execute_managed_notebook(cls, nb_man, kernel_name, **kwargs):
            current = [None]
            start = nb_man.cell_start

            def cell_start(cell, cell_index=None, **kw):  # remember which cell is executing
                current[0] = cell_index
                return start(cell, cell_index, **kw)

            nb_man.cell_start = cell_start
            try:
                return super().execute_managed_notebook(nb_man, kernel_name, **kwargs)
            except Exception as err:
                cells = nb_man.nb.cells
                try:
                    err.dcplan_cell_index = current[0]
                    err.dcplan_cells = cells
                    err.dcplan_nb = nb_man.nb
                except AttributeError:  # an exception type that takes no attributes
                    pass
                raise

    papermill_engines.register("dcplan", _Engine)
    return "dcplan"


@functools.lru_cache(maxsize=None)
def _ready_client_class():
    """jupyter_client's kernel client, with a ``wait_for_ready`` that returns when the
    kernel has answered, instead of 0.2 s later.

    jupyter_client sends ``kernel_info`` until the reply comes and IOPub carries a
    message, then drains IOPub until it has been silent for 0.2 s: a fixed 0.2 s on
    every kernel start, a quarter of the papermill floor. Here the drain ends at the
    ``idle`` status of the kernel_info request itself, the last message the kernel
    publishes for it (the Jupyter messaging protocol: busy, reply, idle), which also
    proves IOPub is connected. When IOPub's ``iopub_welcome`` (JEP 65: the kernel
    confirms a new subscription) arrives before the request's ``busy``, the request's
    status messages went out before the subscription and are lost: the request is
    sent again at once. Nothing else changes: a dead kernel or the timeout raise as
    before; if IOPub stays silent for 0.2 s (not yet connected) the request is sent
    again, as jupyter_client does; a kernel that publishes something but no ``idle``
    is accepted after 0.2 s.
    """
    from queue import Empty

    from jupyter_client.asynchronous.client import AsyncKernelClient

    class _ReadyClient(AsyncKernelClient):
        async def wait_for_ready(self, timeout: float | None = None) -> None:
            abs_timeout = time.time() + (float("inf") if timeout is None else timeout)
            while True:
                msg_id = self.kernel_info()
                try:
                    reply = await self.shell_channel.get_msg(timeout=1)
                except Empty:
                    reply = None
                if reply is not None and reply["msg_type"] == "kernel_info_reply":
                    state = await self._iopub_state(msg_id, KERNEL_IOPUB_WAIT_S)
                    if state in ("idle", "seen"):
                        self._handle_kernel_info_reply(reply)
                        await self._check_own(abs_timeout)
                        return
                    if state == "welcome":  # IOPub connected just now: ask again, at once
                        continue
                if not await self._async_is_alive():
                    raise RuntimeError("Kernel died before replying to kernel_info")
                if time.time() > abs_timeout:
                    raise RuntimeError("Kernel didn't respond in %d seconds" % timeout)

        async def _check_own(self, abs_timeout: float) -> None:
            """Ask the kernel :data:`KERNEL_IDENTITY` (a silent request) and refuse it when it is
            not render's own (:func:`check_own_kernel`)."""
            msg_id = self.execute("", silent=True, store_history=False, user_expressions=KERNEL_IDENTITY,
                                  allow_stdin=False)
            end = min(abs_timeout, time.time() + KERNEL_IDENTITY_WAIT_S)
            while True:
                try:
                    reply = await self.shell_channel.get_msg(timeout=max(end - time.time(), 0.01))
                except Empty:
                    raise KernelNotOwnError("the kernel did not say which interpreter and dcplan it runs "
                                            f"within {KERNEL_IDENTITY_WAIT_S:.0f} s") from None
                if reply.get("parent_header", {}).get("msg_id") == msg_id:
                    break
            check_own_kernel(reply.get("content", {}).get("user_expressions") or {})

        async def _iopub_state(self, msg_id: str, wait_s: float) -> str:
            """What IOPub shows of request ``msg_id``: ``"idle"`` (its idle status: done),
            ``"welcome"`` (the subscription was confirmed before the request's busy
            status: that status was published before IOPub connected and is lost),
            ``"seen"`` (other messages, no idle within ``wait_s``: a kernel that does
            not publish status) or ``"silent"``."""
            deadline = time.monotonic() + wait_s
            seen = busy = False
            while (left := deadline - time.monotonic()) > 0:
                try:
                    m = await self.iopub_channel.get_msg(timeout=left)
                except Empty:
                    break
                seen = True
                mine = m.get("parent_header", {}).get("msg_id") == msg_id
                state = m.get("content", {}).get("execution_state")
                if m.get("msg_type") == "status" and mine:
                    if state == "idle":
                        return "idle"
                    busy = busy or state == "busy"
                elif m.get("msg_type") == "iopub_welcome" and not busy:
                    return "welcome"
            return "seen" if seen else "silent"

    return _ReadyClient


def _ipc_kernel_manager(sock_dir: str, log_path: Path, zygote: str | None = None,
                        cwd: str | None = None, env: dict | None = None, launched: list | None = None,
                        stopped=None):
    """A kernel manager class whose kernels talk over unix sockets in ``sock_dir``.

    IPC keeps kernels off TCP (no open ports, and no ipykernel warning about
    unencrypted TCP on every run); ``sock_dir`` is short, within the unix-socket
    path limit, and private to the run. The kernel's own stdout/stderr go to
    ``log_path`` (kept with a failed run), not to the terminal. With ``zygote`` (a
    socket path from :mod:`dcplan._kernel_zygote`) the kernel process is forked
    from that preloaded server instead of starting cold. ``cwd`` is the kernel's
    working directory, given to the kernel process itself (papermill's own ``cwd``
    changes the whole process's directory, which parallel runs in threads cannot share).
    ``env`` adds variables to the kernel's environment. Each manager that launched a
    kernel is appended to ``launched`` (so that its kernel can be stopped from outside).
    ``stopped`` (a callable) is asked just before the kernel would start: when it says True (the
    render was interrupted while the run was setting up) no kernel starts and a :class:`RuntimeError`
    says so. Without it, such a kernel started once the render had closed its zygote: its launcher
    started it cold, and the run executed its whole notebook (minutes, for a long one) while the
    interrupted render waited for its thread.
    """
    from jupyter_client.manager import AsyncKernelManager

    class _IPCKernelManager(AsyncKernelManager):
        def __init__(self, **kw):
            kw.setdefault("client_factory", _ready_client_class())
            kw.setdefault("transport", "ipc")
            kw.setdefault("ip", os.path.join(sock_dir, "k"))
            # the connection file (the kernel's HMAC key) in the run's own socket folder, not the
            # system temp folder: a killed render's stale folder is removed with it (dcplan._sockdirs)
            kw.setdefault("connection_file", os.path.join(sock_dir, f"kernel-{uuid.uuid4().hex[:8]}.json"))
            super().__init__(**kw)

        @property
        def kernel_spec(self):  # render's own interpreter and environment, not Jupyter's python3 kernelspec
            if self._kernel_spec is None:
                self._kernel_spec = own_kernel_spec()
            return self._kernel_spec

        def format_kernel_cmd(self, extra_arguments=None):
            cmd = super().format_kernel_cmd(extra_arguments)
            from dcplan._kernel_zygote import native_kernel_args
            if native_kernel_args(cmd) is not None:  # this interpreter's ipykernel: dcplan importable
                cmd = [*cmd, KERNEL_EXTENSION_ARG]
            if zygote is not None:
                from dcplan._kernel_zygote import wrap
                cmd = wrap(zygote, cmd)
            elif native_kernel_args(cmd) is not None:  # a cold kernel: its group goes when the render or it ends
                from dcplan._kernel_guard import wrap as guard
                cmd = guard(cmd)
            return cmd

        async def _async_finish_shutdown(self, waittime=None, pollinterval=0.1, restart=False):
            # jupyter_client polls the exiting kernel every 0.1 s: most of a run's shutdown
            return await super()._async_finish_shutdown(waittime, min(pollinterval, KERNEL_EXIT_POLL_S),
                                                        restart)

        async def _async_launch_kernel(self, kernel_cmd, **kw):
            if stopped is not None and stopped():
                raise RuntimeError("the render was interrupted before this run's kernel started")
            log = open(log_path, "ab")
            if cwd is not None:
                kw["cwd"] = cwd
            if env:
                kw["env"] = {**(kw.get("env") or os.environ), **env}
            kw.setdefault("stdout", log)
            kw.setdefault("stderr", log)
            try:
                return await super()._async_launch_kernel(kernel_cmd, **kw)
            finally:
                log.close()  # the child keeps its own handle
                if launched is not None:
                    launched.append(self)

    return _IPCKernelManager


# ---------------------------------------------------------------------------
# notebooks whose cells lack ids (a cell added by hand in a text editor)

#: the start of nbformat's MissingIDFieldWarning, which a notebook of format 4.5+ with a cell
#: without an ``id`` draws on every read (render gives such a notebook ids itself, quietly)
MISSING_ID_MESSAGE = "Cell is missing an id field"


def with_cell_ids(path: Path) -> str | None:
    """The text of notebook ``path`` with an ``id`` given to each cell that lacks one
    (``dcplan-cell-<n>``, its position; format 4.5 and later require one, and nbformat
    warns on every read without it), or None when every cell has one (or the notebook is of
    an earlier format, or not readable JSON: papermill then says what is wrong)."""
    import json
    try:
        nb = json.loads(Path(path).read_text(encoding="utf-8"))
        cells = nb["cells"]
        if (nb.get("nbformat"), nb.get("nbformat_minor", 0)) < (4, 5) or all("id" in c for c in cells):
            return None
        taken = {c["id"] for c in cells if "id" in c}
        for i, c in enumerate(cells):
            if "id" not in c:
                new = f"dcplan-cell-{i + 1}"
                while new in taken:
                    new += "x"
                c["id"] = new
                taken.add(new)
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return None
    return json.dumps(nb, indent=1, ensure_ascii=False) + "\n"
