"""Warm kernels for ``dcplan render``: a preloaded server forks one fresh kernel per run.

A notebook run normally pays for a new Python process and its imports (pandas,
matplotlib, pvlib, scipy, IPython: about 2 s here) before its first cell does any
work. Render instead starts one *zygote* per render: a process that imports those
modules once and then waits. Each run still gets its own kernel process, forked
from the zygote, so runs share nothing at run time (no namespace, no matplotlib
state, no caches, no globals); they only share the already-imported modules,
exactly as they would be after a fresh import, and what the zygote's warm-up
(:data:`WARMUP`) leaves behind on purpose: numba's compiled kernels, matplotlib's
loaded fonts, lazily imported submodules, and the pure tables of numbers of
:data:`dcplan._zygote_sites.KEPT_CACHES` (the cooling towers' Merkel tables of the sites
the render names, :meth:`Zygote.warm_sites`). The warm-up restores matplotlib's settings and empties
dcplan's other caches, so every kernel still reads its own files. Once it has forked as many
kernels as the render said it will run (:meth:`Zygote.expect_kernels`), the zygote stops its
preload and warm-up and only serves: a render of one or two runs forks them at once, and the
rest (about 1.8 s of CPU) would serve no kernel, only take a core from the runs.

How a kernel is started (jupyter_client still launches and manages a process):

1. the kernel manager's command becomes
   ``python -m dcplan._kernel_zygote launch SOCKET -- <the python3 kernel command>``;
2. that small *launcher* sends the request (kernel arguments, cwd, environment)
   and its stdin/stdout/stderr file descriptors to the zygote over a unix socket;
3. the zygote forks; the child takes the descriptors, cwd and environment, starts
   its own session, reseeds NumPy's global generator and runs ``IPKernelApp``;
4. the launcher forwards signals (interrupt, terminate) to the kernel and exits
   with the kernel's exit status; if the launcher is killed, the zygote kills the
   kernel; if the zygote dies, its kernels exit (ipykernel's parent poller).
5. a kernel's session is its process group: when the zygote kills a kernel (its launcher
   killed: a cell timeout, a render stopped; or the render gone, a ``kill -9``) or reaps one
   that ended, it kills that whole group (:func:`_kill_kernel`), so the processes the run
   started go with it: a ``portfolio_sweep`` with ``-p jobs 2`` left its forkserver and two
   workers running, for good, after its render was killed.

If the zygote cannot be reached the launcher ``exec``s the ordinary kernel command (through
:mod:`dcplan._kernel_guard`, as a cold kernel's), so a render never fails because of this optimisation. ``dcplan render --cold-kernels``
turns it off.

The zygote must fork with a single thread: it never starts an event loop, ZMQ
context or thread; it only imports modules and runs the warm-up (which starts none).
"""
from __future__ import annotations

import contextlib
import json
import os
import selectors
import signal
import socket
import subprocess
import sys
import time

# the warm-up steps and their clean-up (dcplan._zygote_warmup); _clear_dcplan_caches re-exported for the tests
from dcplan._zygote_warmup import WARMUP, _clear_dcplan_caches, warm_up  # noqa: F401

#: Modules the zygote imports before serving (import failures are ignored: the
#: kernel then imports, and reports, them itself). Not ``matplotlib_inline.backend_inline``:
#: importing it inside a running kernel is what hooks figure display into IPython, so
#: each kernel must import it itself (pyplot resolves its backend lazily, in the kernel).
PRELOAD = (  # in order: a kernel forked part-way has the first ones
    "IPython", "ipykernel.kernelapp", "ipykernel.ipkernel", "ipykernel.zmqshell", "ipykernel.debugger",
    "numpy", "pandas", "matplotlib", "matplotlib.pyplot", "pvlib",
    "scipy.optimize", "scipy.stats", "scipy.interpolate",
    "dcplan.errors", "dcplan.results", "dcplan.notebook_params", "dcplan.plotting", "dcplan.site", "dcplan.weather",
    "dcplan.power", "dcplan.thermal", "dcplan.grid", "dcplan.solar", "dcplan.tariff",
    "dcplan.schedule", "dcplan.tco", "dcplan.finance", "dcplan.pipeline", "dcplan.sweep",
    "dcplan.thermal_dynamics", "dcplan.grid_battery", "dcplan.power_fleet", "dcplan.tco_export",
)

#: Where warm kernels are used by default: fork after importing numpy/matplotlib is
#: unsafe on macOS (its system libraries abort such children) and absent on Windows.
SUPPORTED = sys.platform.startswith("linux")

_MSG_MAX = 1 << 20
_FORWARDED = (signal.SIGINT, signal.SIGTERM, signal.SIGHUP, signal.SIGQUIT,
              signal.SIGUSR1, signal.SIGUSR2)


def _send(conn: socket.socket, obj: dict, fds: list[int] | None = None) -> None:
    data = json.dumps(obj).encode()
    if fds:
        socket.send_fds(conn, [data], fds)
    else:
        conn.send(data)


#: The file (in the zygote's socket folder) in which the render says how many kernels it will ask
#: for (:meth:`Zygote.expect_kernels`): once that many are forked, the zygote stops preloading and
#: warming up (a render of one or two runs forks its kernels at once, before the preload is through).
KERNELS_FILE = "kernels.json"


class ExpectedKernels:
    """The number of kernels the render will ask for, read from :data:`KERNELS_FILE` at ``path``
    once it is there; until then (or if it does not read as a count) none is known."""

    def __init__(self, path: str):
        self.path = path
        self.count: int | None = None

    def reached(self, forked: int) -> bool:
        """True if the render said how many kernels it will ask for and ``forked`` is as many or more."""
        if self.count is None:
            if not os.path.exists(self.path):
                return False
            try:
                with open(self.path, encoding="utf-8") as f:
                    n = json.load(f)
            except (OSError, ValueError):
                return False
            if not isinstance(n, int) or isinstance(n, bool) or n < 0:
                return False
            self.count = n
        return forked >= self.count


# ---------------------------------------------------------------------------
# the server

def serve(sock_path: str, preload: tuple[str, ...] = PRELOAD, warmup: tuple | None = None,
          parent: int | None = None) -> None:
    """Listen on ``sock_path``; fork a kernel for each request. Returns when the parent dies.

    ``parent``: the pid of the render that started it (:func:`start` passes it). Without it the parent is
    the process's parent when this starts, which a render killed while the zygote was still starting up
    no longer is: the zygote then took init for its parent and waited for it forever (two such zygotes
    were found alive 20 minutes after their tests, one from a CI run on two loaded cores).

    Requests are served between preloaded modules too: a kernel asked for early is
    forked with what is imported so far and imports the rest itself, so the first run
    of a render never waits for the whole preload.
    """
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the render stops us; Ctrl-C is its business
    parent = os.getppid() if parent is None else parent
    if os.getppid() != parent:  # the render died before we started: nothing to serve
        return
    if warmup is None:
        warmup = WARMUP
    os.environ.setdefault("MPLBACKEND", "module://matplotlib_inline.backend_inline")
    listener = socket.socket(socket.AF_UNIX, socket.SOCK_SEQPACKET)
    listener.bind(sock_path)
    listener.listen(64)  # launchers queue here while we import

    wake_r, wake_w = os.pipe()
    os.set_blocking(wake_r, False)
    os.set_blocking(wake_w, False)
    signal.set_wakeup_fd(wake_w)
    signal.signal(signal.SIGCHLD, lambda *_: None)
    # SIGTERM (the render stopping us) exits through the finally below. The SystemExit it raises can be lost: raised
    # while the interpreter runs a callback whose exceptions it only prints (an import's module-lock weakref
    # callback: "Exception ignored in ... _get_module_lock"), the preload went on and the zygote served until its
    # render ended (a test waited 30 s for it, CI on two loaded cores). So the handler also marks the stop, and
    # every step below checks it.
    stopped = [False]

    def on_term(*_) -> None:
        stopped[0] = True
        raise SystemExit(0)
    signal.signal(signal.SIGTERM, on_term)

    def serving() -> bool:
        """The render that started us is alive and has not stopped us."""
        return not stopped[0] and os.getppid() == parent
    sel = selectors.DefaultSelector()
    sel.register(listener, selectors.EVENT_READ)
    sel.register(wake_r, selectors.EVENT_READ)
    conns: dict[int, socket.socket] = {}   # kernel pid -> its launcher's connection
    pids: dict[socket.socket, int] = {}
    forked = [0]  # kernels forked so far
    expected = ExpectedKernels(os.path.join(os.path.dirname(sock_path), KERNELS_FILE))

    def more_to_fork() -> bool:
        """False once every kernel the render said it will ask for is forked: the rest of the
        preload and the warm-up would then serve no kernel, and only take a core from the runs."""
        return not expected.reached(forked[0])

    def tick(timeout: float) -> None:
        for key, _ in sel.select(timeout=timeout):
            if key.fileobj is listener:
                conn, _ = listener.accept()
                pid = _spawn(conn, listener, sel, (wake_r, wake_w), list(pids))
                if pid is None:
                    conn.close()
                    continue
                forked[0] += 1
                conns[pid], pids[conn] = conn, pid
                sel.register(conn, selectors.EVENT_READ)
            elif key.fileobj is wake_r:
                try:
                    while os.read(wake_r, 512):
                        pass
                except BlockingIOError:
                    pass
            else:  # a launcher went away (killed): its kernel goes too
                conn = key.fileobj
                try:
                    data = conn.recv(64)
                except OSError:
                    data = b""
                if not data:
                    sel.unregister(conn)
                    pid = pids.pop(conn, None)
                    if pid is not None:
                        _kill_kernel(pid)
                        conns[pid] = None  # reaped below; nobody to tell
                    conn.close()
        _reap(conns, pids, sel)

    import gc
    import importlib
    try:
        for name in preload:
            if not more_to_fork():
                break
            try:
                importlib.import_module(name)
            except Exception:  # noqa: BLE001 - the kernel will import (and report) it itself
                pass
            gc.freeze()  # keep the preloaded heap shared between forks (no gc writes to its pages)
            tick(0.0)
            if not serving():  # the render died (or stopped us) while we imported: do not finish the preload
                return
        from dcplan._zygote_sites import SITES_FILE, SiteWarmUp
        sites = SiteWarmUp(os.path.join(os.path.dirname(sock_path), SITES_FILE))

        def run(steps) -> bool:
            """Run the warm-up ``steps`` while a kernel is still to be forked; False: the render died, stop here."""
            for step in steps:
                if not more_to_fork():
                    break
                warm_up(step)
                gc.freeze()
                tick(0.0)
                if not serving():
                    return False
            return True

        for step in warmup:
            # the render's own sites as soon as it names them (its first runs need them), then the rest
            if not run(sites.steps()) or not run([step]):
                return
        while serving():  # serving (and reaping) kernels until the render ends or stops us
            if not run(sites.steps()):
                return
            tick(1.0)
    finally:
        for pid in list(conns):
            _kill_kernel(pid)
        try:
            os.unlink(sock_path)
        except OSError:
            pass


def _kill(pid: int, sig: int) -> None:
    try:
        os.kill(pid, sig)
    except ProcessLookupError:
        pass


def _kill_kernel(pid: int) -> None:
    """SIGKILL the kernel ``pid`` and every process of its session's group (the kernel calls ``setsid``, so the
    group's id is its pid): a run's subprocesses, a process pool's workers, go with it. The kernel alone when its
    group is not there yet (killed between fork and ``setsid``). Called before the kernel is reaped (:func:`_reap`),
    so its pid, and its group's id, are no other process's."""
    try:
        os.killpg(pid, signal.SIGKILL)
    except (ProcessLookupError, PermissionError):
        _kill(pid, signal.SIGKILL)


def _reap(conns: dict, pids: dict, sel) -> None:
    while conns:
        try:  # who ended, left unreaped (WNOWAIT): its pid, its group's id, cannot be anyone else's yet
            info = os.waitid(os.P_ALL, 0, os.WEXITED | os.WNOHANG | os.WNOWAIT)
        except ChildProcessError:
            return
        if info is None:
            return
        if info.si_pid in conns:  # a kernel ended: what it started and left running goes too
            _kill_kernel(info.si_pid)
        try:
            pid, status = os.waitpid(info.si_pid, 0)
        except ChildProcessError:
            continue
        conn = conns.pop(pid, None)
        if conn is None:
            continue
        pids.pop(conn, None)
        try:
            sel.unregister(conn)
        except (KeyError, ValueError):
            pass
        try:
            _send(conn, {"exit": os.waitstatus_to_exitcode(status)})
        except OSError:
            pass
        conn.close()


def _spawn(conn: socket.socket, listener, sel, wake: tuple[int, int],
           others: list[socket.socket] = ()) -> int | None:
    try:
        msg, fds, _, _ = socket.recv_fds(conn, _MSG_MAX, 3)
        req = json.loads(msg)
        if len(fds) != 3:
            raise ValueError("expected 3 file descriptors")
    except (OSError, ValueError):
        return None
    sys.stdout.flush()
    sys.stderr.flush()
    pid = os.fork()
    if pid == 0:  # the kernel
        code = 1
        try:
            signal.set_wakeup_fd(-1)
            for s in (signal.SIGCHLD, signal.SIGTERM, signal.SIGHUP, signal.SIGQUIT):
                signal.signal(s, signal.SIG_DFL)
            signal.signal(signal.SIGINT, signal.default_int_handler)
            sel.close()
            listener.close()
            conn.close()
            for other in others:  # other kernels' launcher connections are not ours to hold
                other.close()
            for fd in wake:
                os.close(fd)
            os.setsid()
            for i, fd in enumerate(fds):
                os.dup2(fd, i)
                os.close(fd)
            code = _run_kernel(req)
        except SystemExit as e:
            code = e.code if isinstance(e.code, int) else (0 if e.code is None else 1)
        except BaseException:  # noqa: BLE001 - report, then leave with an error status
            import traceback
            traceback.print_exc()
            code = 1
        finally:
            try:
                sys.stdout.flush()
                sys.stderr.flush()
            finally:
                os._exit(code)
    for fd in fds:
        os.close(fd)
    try:
        _send(conn, {"pid": pid})
    except OSError:
        _kill(pid, signal.SIGKILL)
    return pid


def _run_kernel(req: dict) -> int:
    cwd = req["cwd"]
    os.chdir(cwd)
    os.environ.clear()
    os.environ.update(req["env"])
    os.environ.setdefault("MPLBACKEND", "module://matplotlib_inline.backend_inline")
    if sys.path and sys.path[0] != "":
        sys.path[0] = cwd  # as ``python -m ipykernel_launcher`` started in cwd would have it
    sys.modules.pop("matplotlib_inline.backend_inline", None)  # see PRELOAD
    np = sys.modules.get("numpy")
    if np is not None:  # a fresh process would seed its global generator from the OS
        np.random.seed()
    # ipykernel polls its parent and exits when it dies: that parent is the zygote here.
    # (JPY_PARENT_PID, which ipykernel reads at import, stays the managing process's pid.)
    sys.argv = [req["argv"][0]] + list(req["args"]) + [f"--IPKernelApp.parent_handle={os.getppid()}"]
    from ipykernel.kernelapp import IPKernelApp
    IPKernelApp.launch_instance()
    return 0


# ---------------------------------------------------------------------------
# the launcher (one small process per kernel, managed by jupyter_client)

def launch(sock_path: str, kernel_cmd: list[str]) -> int:
    """Have the zygote fork the kernel; forward signals; return its exit status.

    ``kernel_cmd`` is the ordinary command (``python -m ipykernel_launcher -f CF``);
    it is ``exec``-ed unchanged when the zygote cannot be reached.
    """
    args = native_kernel_args(kernel_cmd)
    conn = None
    if args is not None:
        try:
            conn = socket.socket(socket.AF_UNIX, socket.SOCK_SEQPACKET)
            conn.connect(sock_path)
            _send(conn, {"argv": kernel_cmd, "args": args, "cwd": os.getcwd(), "env": dict(os.environ)},
                  [0, 1, 2])
            first = conn.recv(_MSG_MAX)
            pid = json.loads(first)["pid"] if first else None
        except (OSError, ValueError, KeyError):
            pid = None
        if pid is None and conn is not None:
            conn.close()
    if args is None or pid is None:
        # no zygote: start the kernel the ordinary way, through the cold kernels' launcher (dcplan._kernel_guard:
        # what it starts goes with it when the render dies), found beside this file (no dcplan import here)
        guard = os.path.join(os.path.dirname(os.path.abspath(__file__)), "_kernel_guard.py")
        cmd = ([sys.executable, "-I", guard, "--", *kernel_cmd]
               if sys.platform.startswith("linux") and hasattr(os, "pidfd_open") and os.path.isfile(guard)
               else kernel_cmd)
        os.execv(cmd[0], cmd)

    def forward(sig, _frame):
        _kill(pid, sig)

    for s in _FORWARDED:
        signal.signal(s, forward)
    while True:
        try:
            data = conn.recv(_MSG_MAX)
        except InterruptedError:  # pragma: no cover - PEP 475 retries, kept for clarity
            continue
        if not data:  # the zygote died; its kernels exit on their own
            return 1
        code = json.loads(data).get("exit")
        if code is not None:
            return code if code >= 0 else 128 - code


def native_kernel_args(kernel_cmd: list[str]) -> list[str] | None:
    """The ipykernel arguments if ``kernel_cmd`` starts this interpreter's ipykernel, else None."""
    if len(kernel_cmd) < 3 or kernel_cmd[1:3] != ["-m", "ipykernel_launcher"]:
        return None
    try:
        if not os.path.samefile(kernel_cmd[0], sys.executable):
            return None
    except OSError:
        return None
    return kernel_cmd[3:]


def wrap(sock_path: str, kernel_cmd: list[str]) -> list[str]:
    """The launcher command for ``kernel_cmd`` (unchanged when it is not a native kernel)."""
    if native_kernel_args(kernel_cmd) is None:
        return kernel_cmd
    # run as a script, not ``-m dcplan._kernel_zygote``: importing the dcplan package (its
    # version lookup) would double the launcher's start-up; -P keeps dcplan/ off sys.path
    return [sys.executable, "-P", os.path.abspath(__file__), "launch", sock_path, "--", *kernel_cmd]


# ---------------------------------------------------------------------------
# the render's handle

class Zygote:
    """A running zygote, started by :func:`start`; ``close()`` stops it."""

    def __init__(self, sock_dir: str, proc: subprocess.Popen, log):
        self.sock_dir = sock_dir
        self.path = os.path.join(sock_dir, "zygote")
        self.proc = proc
        self._log = log

    def warm_sites(self, paths) -> None:
        """Name the site YAMLs the render will run, in run order: the zygote warms their plants
        (:data:`dcplan._zygote_sites.KEPT_CACHES`) before its other warm-up steps, or as soon as it reads this."""
        from dcplan._zygote_sites import write_sites
        write_sites(self.sock_dir, paths)

    def expect_kernels(self, n: int) -> None:
        """Say that the render will ask for ``n`` kernels: once they are forked the zygote stops its
        preload and warm-up (:data:`KERNELS_FILE`)."""
        from dcplan._zygote_sites import write_for_zygote
        write_for_zygote(self.sock_dir, KERNELS_FILE, int(n))

    def close(self) -> None:
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(5)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        self._log.close()
        import shutil
        shutil.rmtree(self.sock_dir, ignore_errors=True)

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()


#: The zygote the renders of this process share inside :func:`shared`, else none.
_shared: list[Zygote] = []


@contextlib.contextmanager
def shared():
    """Renders inside share one zygote, kept between them and closed at the end (a session or a test
    module that renders many times): the kernels of every render but the first are forked from a
    zygote whose preload and warm-up are done, as a long render's later kernels are. Each kernel is
    still forked fresh and gets its render's environment and folder. A render that is interrupted
    closes it (its kernels with it); the next render inside starts another."""
    z = start()
    _shared.append(z)
    try:
        yield z
    finally:
        last = _shared.pop()  # z, or the one started after a render closed z (for_render)
        last.close()
        z.close()


def for_render() -> tuple[Zygote, bool]:
    """The zygote a render forks its kernels from, and whether the render owns it (tells it how many
    kernels it will fork, and closes it when it ends): inside :func:`shared` the shared one (started
    again if a render closed it), else a new one."""
    if not _shared:
        return start(), True
    if _shared[-1].proc.poll() is not None or not os.path.exists(_shared[-1].path):
        _shared[-1].close()
        _shared[-1] = start()
    return _shared[-1], False


_prestarted: Zygote | None = None


def prestart() -> None:
    """Start the zygote now (the CLI does, before importing the rest); ``start()`` takes it."""
    global _prestarted
    if _prestarted is None:
        import atexit
        _prestarted = start()
        atexit.register(lambda: _prestarted is not None and _prestarted.close())


def start(log_path: str | None = None) -> Zygote:
    """Start a zygote in the background; launchers wait for it while it imports."""
    global _prestarted
    if _prestarted is not None:
        z, _prestarted = _prestarted, None
        if z.proc.poll() is None:
            return z
        z.close()
    from . import _sockdirs
    sock_dir = _sockdirs.make("z")  # in the system temp folder: unix socket paths are limited
    path = os.path.join(sock_dir, "zygote")
    log = open(log_path or os.devnull, "ab")
    proc = subprocess.Popen([sys.executable, "-m", "dcplan._kernel_zygote", "serve", path, "--parent",
                             str(os.getpid())],
                            stdin=subprocess.DEVNULL, stdout=log, stderr=log,
                            start_new_session=True, close_fds=True)
    deadline = time.monotonic() + 10.0
    while not os.path.exists(path):  # bound within milliseconds; imports come after
        if proc.poll() is not None or time.monotonic() > deadline:
            break
        time.sleep(0.005)
    return Zygote(sock_dir, proc, log)


def _main(argv: list[str]) -> int:
    if len(argv) in (2, 4) and argv[0] == "serve" and (len(argv) == 2 or argv[2] == "--parent"):
        serve(argv[1], parent=int(argv[3]) if len(argv) == 4 else None)
        return 0
    if len(argv) >= 4 and argv[0] == "launch" and argv[2] == "--":
        return launch(argv[1], argv[3:])
    print("usage: python -m dcplan._kernel_zygote serve SOCKET [--parent PID] | launch SOCKET -- KERNEL_CMD...",
          file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(_main(sys.argv[1:]))
