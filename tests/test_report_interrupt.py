"""An interrupted render records no failures and leaves nothing behind it.

* Ctrl-C (SIGINT to the process group) with warm kernels and ``-j 2``: the render closes
  the kernel server, which the runs see as a dead kernel; that is no notebook failure, so
  nothing goes to ``_failed/``.
* A run kept from an earlier render (its latest attempt good) has no ``_failed/`` entry.
* With an executor given (a Dask client's), an interrupt cancels the runs not yet started,
  and a run still going when render has exited writes nothing into the reports folder.
* A bad or unreachable ``--scheduler`` is bad input (exit 2, one line).
"""
from __future__ import annotations

import concurrent.futures as cf
import dataclasses
import json
import os
import signal
import subprocess
import sys
import threading
import time

import pytest

from dcplan.cli import main
from dcplan.report import render
from dcplan.report_execute import _execute_in_worker

from test_report import TWO_SITES, _nb

SLOW = ("import time\nfrom dcplan.results import publish\npublish('slept_s', sleep_s)\n"
        "time.sleep(sleep_s)\nif fail:\n    raise ValueError('boom')\n")
PARAMS = 'site: str = "x"\nportfolio: str = "default"\nsleep_s: float = 0.0\nfail: bool = False'


@pytest.fixture
def ws(tmp_path):
    nbdir = tmp_path / "nbs"
    nbdir.mkdir()
    _nb(nbdir / "slow.ipynb", PARAMS, SLOW)
    pf = tmp_path / "pf.yaml"
    pf.write_text(TWO_SITES)
    return tmp_path, nbdir, pf, tmp_path / "reports"


def _sigint_default():
    signal.signal(signal.SIGINT, signal.SIG_DFL)


def _wait_for_runs(out, n, timeout_s=90.0):
    """Until ``n`` runs are executing (their kernel's folder exists in render's scratch)."""
    deadline = time.time() + timeout_s
    while time.time() < deadline:
        if len(list((out / ".dcplan-tmp").rglob(".work"))) >= n:
            return
        time.sleep(0.1)
    raise AssertionError(f"{n} runs never started")


def test_ctrl_c_with_warm_kernels_records_no_failure(ws):
    from dcplan._kernel_zygote import SUPPORTED
    if not SUPPORTED:
        pytest.skip("warm kernels are Linux only")
    tmp, nbdir, pf, out = ws
    # the cell marks that it has started (a file in the run's scratch folder, its working folder): a kernel's
    # start waits while the render's zygote runs a warm-up step (a site's year, seconds on a loaded machine)
    _nb(nbdir / "slow.ipynb", PARAMS, "open(f'cell-started-{site}', 'w').close()\n" + SLOW)
    proc = subprocess.Popen([sys.executable, "-m", "dcplan", "render", "--portfolio", str(pf),
                             "--notebook-dir", str(nbdir), "-p", "sleep_s", "60", "--out", str(out),
                             "-q", "-j", "2"],
                            start_new_session=True, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            # Ctrl-C's default action, as in a terminal: a test process started in the
                            # background by a script (a CI runner; an xdist worker of one) ignores SIGINT,
                            # and so would the render it starts (POSIX keeps an ignored signal across exec)
                            preexec_fn=_sigint_default)
    try:
        _wait_for_runs(out, 2)
        deadline = time.time() + 90.0
        while len(list((out / ".dcplan-tmp").rglob("cell-started-*"))) < 2 and time.time() < deadline:
            time.sleep(0.1)
        time.sleep(0.5)  # both kernels inside their sleeping cell
        os.killpg(proc.pid, signal.SIGINT)  # Ctrl-C in a terminal: the whole process group
        _, err = proc.communicate(timeout=60)
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
    assert proc.returncode == 130, err
    # the console says what the interrupt left, not only "interrupted"
    assert err.decode().strip().endswith(
        "dcplan: interrupted: none of its 2 run(s) ended before it; the 2 not finished keep their earlier reports, "
        "if any: the same command again finishes them"), err
    # the runs were interrupted, not failed: no executed notebook, no (empty) kernel log
    assert not (out / "_failed").exists(), sorted(p.name for p in (out / "_failed").rglob("*"))
    assert not (out / ".dcplan-tmp").exists()
    assert not (out / "phoenix-az").exists() and not (out / "chicago-il").exists()


def test_a_kept_run_clears_its_earlier_failure(ws):
    tmp, nbdir, pf, out = ws
    s = render(portfolio=pf, sites=["phoenix-az"], out=out, jobs=1, notebook_dir=nbdir, progress=False)
    assert s.ok, s.table()
    # what an earlier interrupted (or failed, then made good) attempt of the run left there
    failed = out / "_failed" / "phoenix-az"
    failed.mkdir(parents=True)
    (failed / "slow.ipynb").write_text("{}")
    (failed / "slow.kernel.log").write_text("")
    (failed / "other.ipynb").write_text("{}")  # another run's: not this run's to remove
    s = render(portfolio=pf, sites=["phoenix-az"], out=out, jobs=1, notebook_dir=nbdir, progress=False)
    assert s.ok and s.results[0].reused_from is not None, s.table()
    assert sorted(p.name for p in failed.iterdir()) == ["other.ipynb"]
    (failed / "other.ipynb").unlink()
    s = render(portfolio=pf, sites=["phoenix-az"], out=out, jobs=1, notebook_dir=nbdir, progress=False)
    assert not (out / "_failed").exists()  # empty folders pruned


class _FakeCluster(cf.Executor):
    """Stands in for a Dask client's executor: the first run really executes, in a thread
    of its own that render does not wait for (a task on a remote worker); the second
    reports the interrupt (KeyboardInterrupt) once the first is executing; the others stay
    queued."""

    def __init__(self, out):
        self.out, self.futures, self.threads = out, [], []

    def submit(self, fn, *args, **kwargs):
        f = cf.Future()
        n = len(self.futures)
        self.futures.append(f)
        if n == 0:
            f.set_running_or_notify_cancel()

            def work():
                try:
                    f.set_result(fn(*args, **kwargs))
                except BaseException as e:  # noqa: BLE001 - hand it to the future
                    f.set_exception(e)
            t = threading.Thread(target=work, daemon=True)
            t.start()
            self.threads.append(t)
        elif n == 1:
            def interrupt():
                _wait_for_runs(self.out, 1)
                time.sleep(1.0)
                f.set_exception(KeyboardInterrupt())
            threading.Thread(target=interrupt, daemon=True).start()
        return f


def test_interrupt_cancels_queued_runs_and_a_late_run_writes_nothing(ws):
    tmp, nbdir, pf, out = ws
    _nb(nbdir / "slow2.ipynb", PARAMS, SLOW)  # 2 notebooks x 2 sites: 4 runs
    fake = _FakeCluster(out)
    # each run sleeps 30 s, then fails: a run that ends after render has gone would (before)
    # have written its executed notebook into _failed/
    t0 = time.perf_counter()
    with pytest.raises(KeyboardInterrupt):
        render(portfolio=pf, out=out, notebook_dir=nbdir, progress=False, executor=fake,
               parameters={"sleep_s": 30.0, "fail": True})
    assert len(fake.futures) == 4
    assert [f.cancelled() for f in fake.futures[2:]] == [True, True]  # queued: never start
    assert not (out / ".dcplan-tmp").exists()
    # the run that was executing: its kernel is stopped within a second or so of render's exit,
    # not after the notebook's 30 s
    fake.threads[0].join(timeout=60)
    assert time.perf_counter() - t0 < 25
    res = fake.futures[0].result()
    assert not res.ok and "interrupted" in res.error
    assert not (out / "_failed").exists()
    assert not any((out / s).exists() for s in ("phoenix-az", "chicago-il"))
    assert not (out / ".dcplan-tmp").exists()  # not made again by the late run
    # a task a cluster starts only after render has gone does not run at all
    late = _execute_in_worker(res.run, False, 60.0)
    assert not late.ok and "interrupted" in late.error and not (out / "_failed").exists()


def test_a_run_whose_render_is_interrupted_while_it_sets_up_starts_no_kernel(ws, monkeypatch):
    """Ctrl-C while a run is still setting up (before its kernel starts): the run starts no kernel and
    ends at once, interrupted. It used to start one after the render had closed its zygote (the launcher
    then starts it cold) and run the whole notebook, 20 s here, while the interrupted render waited: a
    fresh-clone CI's Ctrl-C test timed out so."""
    from dcplan import report_execute
    from dcplan.report_execute import _GONE, _execute, abandon
    from dcplan.report_plan import plan_runs
    tmp, nbdir, pf, out = ws
    scratch = tmp / "scratch"
    scratch.mkdir()
    run = dataclasses.replace(plan_runs(pf, ["phoenix-az"], None, out, {"sleep_s": 20.0}, notebook_dir=nbdir)[0],
                              scratch=scratch)
    real = report_execute.provenance

    def interrupted_meanwhile(*args, **kwargs):
        abandon(scratch)  # the render is interrupted while this run sets up
        time.sleep(1.5)   # the run's watcher (every 1 s) has looked once, before any kernel started
        return real(*args, **kwargs)

    monkeypatch.setattr(report_execute, "provenance", interrupted_meanwhile)
    t0 = time.perf_counter()
    try:
        res = _execute(run, timeout_s=60.0)
    finally:
        abandon(scratch, gone=False)
    assert not res.ok and res.error == _GONE, res.error
    assert time.perf_counter() - t0 < 10.0  # 1.5 s of set-up here, not the notebook's 20 s
    assert not (out / "_failed").exists()


class _FakeKernelManager:
    """What :func:`dcplan.report_execute._stop_when_render_gone` stops: ``provisioner.process``."""

    def __init__(self):
        self.terminated = 0
        self.provisioner = self
        self.process = self

    def terminate(self):
        self.terminated += 1


def test_the_run_watcher_stops_a_kernel_that_starts_after_the_render_went(tmp_path):
    """A kernel whose launch was past the check when the render went is stopped once the watcher next looks, and
    each kernel is stopped once; the watcher ends with the run."""
    from types import SimpleNamespace

    from dcplan.report_execute import _stop_when_render_gone
    run = SimpleNamespace(scratch=tmp_path / "gone")  # all the watcher reads of a run (render_gone)
    early, late = _FakeKernelManager(), _FakeKernelManager()
    launched, stop = [early], threading.Event()
    watcher = threading.Thread(target=_stop_when_render_gone, args=(run, launched, stop, 0.05), daemon=True)
    watcher.start()  # the scratch folder does not exist: the render is gone
    deadline = time.time() + 10.0
    while not early.terminated and time.time() < deadline:
        time.sleep(0.01)
    launched.append(late)  # launched after the watcher's first look
    while not late.terminated and time.time() < deadline:
        time.sleep(0.01)
    time.sleep(0.2)  # more looks: neither is stopped again
    stop.set()
    watcher.join(timeout=5.0)
    assert (early.terminated, late.terminated) == (1, 1)
    assert not watcher.is_alive()


@pytest.mark.parametrize("value", ["not a url", "tcp://host", "foo"])
@pytest.mark.parametrize("from_env", [False, True])
def test_bad_scheduler_address_is_bad_input(value, from_env, monkeypatch, capsys, tmp_path):
    distributed = pytest.importorskip("distributed")
    monkeypatch.chdir(tmp_path)

    def never(address, **kw):  # refused before distributed tries it (a client given "foo" hung a CI run)
        raise AssertionError(f"a Client was made for {address!r}")
    monkeypatch.setattr(distributed, "Client", never)
    monkeypatch.delenv("DCPLAN_SCHEDULER", raising=False)
    if from_env:
        monkeypatch.setenv("DCPLAN_SCHEDULER", value)
    rc = main(["render", "-q", "--out", "unused"] + ([] if from_env else ["--scheduler", value]))
    err = capsys.readouterr().err
    assert rc == 2, err
    assert len(err.strip().splitlines()) == 1 and "Traceback" not in err
    assert err.startswith("dcplan: error: --scheduler") and repr(value) in err
    assert ("DCPLAN_SCHEDULER" in err) == from_env
    assert "tcp://host:8786" in err  # what is allowed
    assert not os.path.exists("unused")


def test_unreachable_scheduler_is_bad_input_in_one_line(monkeypatch, capsys, tmp_path):
    distributed = pytest.importorskip("distributed")
    monkeypatch.chdir(tmp_path)

    def unreachable(address, **kw):  # what distributed raises after its connect timeout
        raise OSError(f"Timed out trying to connect to {address} after 20 s")
    monkeypatch.setattr(distributed, "Client", unreachable)
    monkeypatch.delenv("DCPLAN_SCHEDULER", raising=False)
    rc = main(["render", "-q", "--out", "unused", "--scheduler", "tcp://10.255.0.1:8786"])
    err = capsys.readouterr().err
    assert rc == 2
    assert err == ("dcplan: error: --scheduler: cannot connect to Dask scheduler 'tcp://10.255.0.1:8786': "
                   "Timed out trying to connect to tcp://10.255.0.1:8786 after 20 s; give the address of "
                   "a running scheduler, e.g. tcp://host:8786\n")


def test_a_scheduler_client_whose_event_loop_does_not_start_is_bad_input(monkeypatch, capsys, tmp_path):
    """On a loaded machine distributed's Client fails a bare ``assert`` when its event loop does
    not start within 10 s (distributed/utils.py LoopRunner.start); render exited with a traceback
    (CI's test_bad_scheduler_address_is_bad_input failed so)."""
    distributed = pytest.importorskip("distributed")
    monkeypatch.chdir(tmp_path)

    def loop_did_not_start(address, **kw):
        raise AssertionError
    monkeypatch.setattr(distributed, "Client", loop_did_not_start)
    monkeypatch.delenv("DCPLAN_SCHEDULER", raising=False)
    rc = main(["render", "-q", "--out", "unused", "--scheduler", "tcp://10.255.0.1:8786"])
    err = capsys.readouterr().err
    assert rc == 2 and not os.path.exists("unused")
    assert err == ("dcplan: error: --scheduler: cannot connect to Dask scheduler 'tcp://10.255.0.1:8786': "
                   "distributed's client did "
                   "not start its event loop within 10 s (a loaded machine?); give the address of a running "
                   "scheduler, e.g. tcp://host:8786\n")


#: ``dcplan render`` (argv) with Ctrl-C's handler set to Python's own (a background run inherits SIGINT ignored)
#: that sends $DCPLAN_TEST_STOP (a signal name) to itself as a failed run's executed notebook is moved into
#: ``_failed/``, between that move and the kernel log's (dcplan.report_execute's ``os.replace`` calls).
_STOP_BETWEEN_FAILED_FILES = r"""
import os, signal, sys, time, types
signal.signal(signal.SIGINT, signal.default_int_handler)
from dcplan import report_execute
from dcplan.cli import main
state = {"fired": False}
def replace(src, dst):
    os.replace(src, dst)
    if not state["fired"] and "_failed" in str(dst) and str(dst).endswith(".ipynb"):
        state["fired"] = True
        os.kill(os.getpid(), getattr(signal, os.environ["DCPLAN_TEST_STOP"]))
        time.sleep(0.5)  # the signal's handler runs (in the main thread) before the kernel log is moved
report_execute.os = types.SimpleNamespace(**{**{k: getattr(os, k) for k in dir(os) if not k.startswith("__")},
                                             "replace": replace})
sys.exit(main(sys.argv[1:]))
"""


@pytest.mark.slow
@pytest.mark.parametrize("sig, code", [("SIGINT", 130), ("SIGTERM", 143)])
def test_a_stop_signal_in_a_one_at_a_time_render_lets_the_failed_run_be_written_whole(ws, sig, code):
    # -j 1 executed the notebook in the main thread, where the signal was raised wherever it was: here between
    # the failed run's notebook moved into _failed/ and its kernel log, so _failed/ held the notebook of a run
    # that the stop then recorded as not ended (interrupted, "none of its 2 run(s) ended"). Now the notebook
    # executes in a thread while the main thread waits and takes the signal between two waits, as the parallel
    # path does: the failed run's files are written whole and it is recorded as the failure it was; the run
    # after it never starts (a running run is stopped: its kernel closed, nothing of it written)
    tmp, nbdir, pf, out = ws
    env = {**os.environ, "DCPLAN_TEST_STOP": sig}
    proc = subprocess.run([sys.executable, "-c", _STOP_BETWEEN_FAILED_FILES, "render", "--portfolio", str(pf),
                           "--notebook-dir", str(nbdir), "-p", "fail", "True", "--out", str(out), "-q", "-j", "1"],
                          env=env, capture_output=True, text=True, timeout=180)
    assert proc.returncode == code and "Traceback" not in proc.stderr, proc.stderr
    said = [ln for ln in proc.stderr.splitlines() if ln.startswith("dcplan: interrupted")]
    assert len(said) == 1 and "1 of its 2 run(s) ended before it (1 failed)" in said[0], proc.stderr
    runs = json.loads((out / "runs.json").read_text())
    (key, entry), = [(k, v) for k, v in runs.items() if k.startswith("phoenix-az/")]
    assert entry["ok"] is False and "boom" in entry["error"], entry
    failed = out / "_failed" / "phoenix-az"
    assert (failed / "slow.ipynb").is_file()
    assert not (out / "_failed" / "chicago-il").exists() and not (out / ".dcplan-tmp").exists()
