"""Stop signals reach a parallel sweep's loop between its waits (dcplan._interrupt), and no lock a killed
worker held can block its stop.

A fresh-clone CI run of ``test_sweep.py::test_sigterm_to_the_process_group_stops_a_parallel_sweep_cleanly``
printed one case warning and never exited in 120 s. Two ways to that hang, each made certain here:

* the SIGTERM handler raised ``KeyboardInterrupt`` inside ``concurrent.futures.wait``, after it had taken the
  lock of the first future it watches and before the others (``_AcquireFutures``): the main thread kept that
  lock, the pool's manager thread blocked on it as it failed or cancelled that future, and the stop, which waits
  for the manager thread, waited forever (a second SIGTERM is ignored);
* a worker killed by the same SIGTERM while it read the stop flag, a ``multiprocessing.Event`` whose read takes
  a lock shared with the sweep: the lock stayed taken and the sweep's ``Event.set()`` waited forever.

Case functions here are module-level: importable by worker processes as ``test_interrupt:<name>``.
"""
from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from dcplan import _interrupt
from dcplan.sweep import read_results

from conftest import ROOT, needs_proc

HERE = Path(__file__).resolve().parent
SPEC = "name: g\nsite: phoenix-az\naxes:\n  solar.dc_kw: {min: 0, max: 39, steps: 40}\n"

#: Runs ``dcplan sweep`` (argv) with the lock-taking of ``concurrent.futures.wait`` slowed at one point: on
#: its first call watching two futures or more once two cases are recorded, it takes the first future's lock,
#: sends SIGTERM to its process group (a batch scheduler's scancel: the sweep, its workers, the forkserver)
#: and lets the signal arrive before it takes the others' locks, the point at which a KeyboardInterrupt
#: raised by the handler leaves a lock held.
_SIGTERM_INSIDE_WAIT = r"""
import os, signal, sys, time
import concurrent.futures._base as base
import dcplan.sweep as sweep
from dcplan.cli import main
orig, row, state = base._AcquireFutures.__enter__, sweep._row, {"rows": 0, "fired": False}
def counted_row(*a, **k):
    state["rows"] += 1
    return row(*a, **k)
sweep._row = counted_row
def enter(self):
    if state["fired"] or state["rows"] < 2 or len(self.futures) < 2:
        return orig(self)
    state["fired"] = True
    self.futures[0]._condition.acquire()
    os.killpg(0, signal.SIGTERM)
    time.sleep(1.0)  # the signal's handler runs in here
    for f in self.futures[1:]:
        f._condition.acquire()
base._AcquireFutures.__enter__ = enter
sys.exit(main(sys.argv[1:]))
"""


def term_group_holding_stop_lock(site, weather):
    """Case of solar.dc_kw 10: takes the lock that reading the sweep's stop flag takes (a
    ``multiprocessing.Event``'s; a lock-free flag has none), as a worker does between two cases,
    and sends SIGTERM to its process group, dying with the lock taken."""
    if site.solar is not None and site.solar.dc_kw == 10:
        from dcplan import sweep_worker
        lock = getattr(sweep_worker._STOP, "_cond", None)
        if lock is not None:
            lock.acquire()
        os.killpg(os.getpgid(0), signal.SIGTERM)
        time.sleep(30)  # dies here
    return {"temp_air_mean_degc": float(weather["temp_air"].mean())}


def _alive_in_group(pgid: int) -> list[str]:
    """Processes of group ``pgid`` still running (not zombies awaiting init)."""
    out = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        with contextlib.suppress(OSError):
            fields = stat.read_text().rpartition(")")[2].split()
            if int(fields[2]) == pgid and fields[0] != "Z":
                out.append(stat.parent.name)
    return out


def _sweep_stopped_by_sigterm(tmp_path, argv_head: list[str], case: str) -> tuple[subprocess.CompletedProcess, Path]:
    """A ``dcplan sweep -j 2`` of 40 cases in a session of its own, which a SIGTERM to its group stops;
    fails (instead of hanging the test run) when it has not ended within 90 s."""
    spec = tmp_path / "s.yaml"
    spec.write_text(SPEC)
    out = tmp_path / "g.parquet"
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(ROOT), str(HERE)])}
    proc = subprocess.Popen([sys.executable, *argv_head, "sweep", str(spec), "-j", "2", "-q", "--case", case,
                             "--out", str(out)], env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            cwd=tmp_path, start_new_session=True)
    try:
        _, err = proc.communicate(timeout=90)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        _, err = proc.communicate()
        pytest.fail(f"the sweep did not stop within 90 s of SIGTERM (a stop waiting on a lock):\n{err}")
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, signal.SIGKILL)
    deadline = time.monotonic() + 5.0
    while _alive_in_group(proc.pid) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert _alive_in_group(proc.pid) == []  # no worker outlived the sweep
    return subprocess.CompletedProcess(proc.args, proc.returncode, "", err), out


@needs_proc
def test_sigterm_inside_the_futures_locks_of_a_wait_stops_a_parallel_sweep(tmp_path):
    # the handler only notes the signal while the loop waits; the loop raises it between two waits.
    # Before, the KeyboardInterrupt left the first future's lock taken and the sweep never exited
    res, out = _sweep_stopped_by_sigterm(tmp_path, ["-c", _SIGTERM_INSIDE_WAIT], "test_sweep:counting_case")
    assert res.returncode == 143 and "dcplan: interrupted (SIGTERM)" in res.stderr, res.stderr
    assert "Traceback" not in res.stderr, res.stderr
    # the two cases at least that finished before it are kept
    kept = read_results(out)
    assert len(kept) >= 2 and (kept["status"] == "ok").all()


@needs_proc
def test_a_worker_killed_reading_the_stop_flag_cannot_block_the_stop(tmp_path):
    # the stop flag is shared memory read without a lock: a worker killed anywhere leaves nothing taken.
    # Before, the sweep's Event.set() waited forever on the lock the dead worker held
    res, out = _sweep_stopped_by_sigterm(tmp_path, ["-m", "dcplan"], "test_interrupt:term_group_holding_stop_lock")
    assert res.returncode == 143 and "dcplan: interrupted (SIGTERM)" in res.stderr, res.stderr
    kept = read_results(out)
    assert (kept["status"] == "ok").all() and 10 not in set(kept["solar.dc_kw"])


def test_a_stop_signal_inside_deferred_is_raised_by_check_not_at_once():
    with _interrupt.deferred():
        _interrupt.deliver("SIGTERM")  # as dcplan.cli's handler does: noted, nothing raised here
        with pytest.raises(KeyboardInterrupt):
            _interrupt.check()
        _interrupt.check()  # raised once
    with pytest.raises(KeyboardInterrupt):  # outside: at once, as before
        _interrupt.deliver("SIGTERM")


@pytest.mark.skipif(threading.current_thread() is not threading.main_thread(), reason="signals need the main thread")
def test_first_ctrl_c_is_noted_and_a_second_raises_at_once():
    # a sweep's first Ctrl-C lets the running cases finish; the second still stops them at once.
    # Python's own handler set here: a process started in the background (nohup, `&` in a script) inherits
    # SIGINT ignored, and deferred() leaves an ignored or foreign handler alone
    before = signal.signal(signal.SIGINT, signal.default_int_handler)
    try:
        with _interrupt.deferred():
            signal.raise_signal(signal.SIGINT)  # noted
            assert signal.getsignal(signal.SIGINT) is signal.default_int_handler  # Python's own again
            with pytest.raises(KeyboardInterrupt):
                signal.raise_signal(signal.SIGINT)
            with pytest.raises(KeyboardInterrupt):
                _interrupt.check()  # the first
        with _interrupt.deferred():
            pass
        assert signal.getsignal(signal.SIGINT) is signal.default_int_handler  # put back when none came
    finally:
        signal.signal(signal.SIGINT, before)


def test_as_completed_gives_every_future_and_stops_between_waits():
    import concurrent.futures as cf
    with cf.ThreadPoolExecutor(2) as ex:
        fs = [ex.submit(time.sleep, s) for s in (0.3, 0.0, 0.1)]
        assert sorted(map(fs.index, _interrupt.as_completed(fs))) == [0, 1, 2]
        slow = ex.submit(time.sleep, 2.0)
        t0 = time.monotonic()
        with _interrupt.deferred(), pytest.raises(KeyboardInterrupt):
            _interrupt.deliver("SIGTERM")
            list(_interrupt.as_completed([slow]))
        assert time.monotonic() - t0 < 1.0  # after one wait (POLL_S 0.2 s), not when the 2 s task ends


# ---------------------------------------------------------------------------
# one at a time (-j 1): the same clean stop as the parallel path

#: Runs ``dcplan sweep`` (argv) with Ctrl-C's handler set to Python's own (a background run inherits SIGINT
#: ignored) and, with $DCPLAN_TEST_STOP_IN_SAVE set to a signal name, sends that signal to this process inside
#: the sweep's last save: after the results file's temporary file is written, before it is moved into place.
_STOP_IN_LAST_SAVE = r"""
import os, signal, sys
signal.signal(signal.SIGINT, signal.default_int_handler)
import dcplan.sweep_files as sf
from dcplan.cli import main
write_tmp, sig = sf._write_tmp, os.environ.get("DCPLAN_TEST_STOP_IN_SAVE")
def stopping(df, path, meta):
    tmp = write_tmp(df, path, meta)
    if sig and meta.get("complete") and path.suffix == ".parquet":
        os.kill(os.getpid(), getattr(signal, sig))  # its handler runs at the next line of the main thread
    return tmp
sf._write_tmp = stopping
sys.exit(main(sys.argv[1:]))
"""


def stop_on_third(site, weather):
    """With $DCPLAN_TEST_STOP_ON_THIRD set to a signal name, the case of solar.dc_kw 2 sends it to its own
    process (a -j 1 sweep: the sweep's) and goes on for half a second; otherwise the mean dry bulb."""
    sig = os.environ.get("DCPLAN_TEST_STOP_ON_THIRD")
    if sig and site.solar is not None and site.solar.dc_kw == 2:
        os.kill(os.getpid(), getattr(signal, sig))
        time.sleep(0.5)
    return {"temp_air_mean_degc": float(weather["temp_air"].mean())}


def _serial_sweep(tmp_path, case: str, **env_extra) -> tuple[subprocess.CompletedProcess, Path]:
    """``dcplan sweep -j 1`` of five cases (solar.dc_kw 0..4) through :data:`_STOP_IN_LAST_SAVE`."""
    spec = tmp_path / "s.yaml"
    spec.write_text("name: j1\nsite: phoenix-az\naxes:\n  solar.dc_kw: [0, 1, 2, 3, 4]\n")
    out = tmp_path / "j1.parquet"
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(ROOT), str(HERE)]), **env_extra}
    proc = subprocess.run([sys.executable, "-c", _STOP_IN_LAST_SAVE, "sweep", str(spec), "-j", "1", "-q",
                           "--case", case, "--out", str(out)], env=env, capture_output=True, text=True,
                          timeout=120, cwd=tmp_path)
    return proc, out


@pytest.mark.slow
@pytest.mark.parametrize("sig, code", [("SIGINT", 130), ("SIGTERM", 143)])
def test_a_stop_signal_inside_a_serial_sweeps_last_save_leaves_it_whole(tmp_path, sig, code):
    # Before, the KeyboardInterrupt was raised inside the save, after its temporary file was written: the five
    # finished cases were never saved (the only save of so short a run) and the temporary file was left behind.
    # Now the save completes, and then the command stops as the parallel path does: exit 128 + signal number
    res, out = _serial_sweep(tmp_path, "test_sweep:counting_case", DCPLAN_TEST_STOP_IN_SAVE=sig)
    assert res.returncode == code, res.stderr
    assert "Traceback" not in res.stderr, res.stderr
    # one line says what was kept: every case finished and saved
    line = [ln for ln in res.stderr.splitlines() if ln.startswith("dcplan: interrupted")]
    assert len(line) == 1 and f"5 of 5 case(s) finished and saved in {out}" in line[0], res.stderr
    kept = read_results(out)
    assert sorted(kept["solar.dc_kw"]) == [0, 1, 2, 3, 4] and (kept["status"] == "ok").all()
    from dcplan.sweep_files import _file_meta
    assert _file_meta(out)["complete"] is True
    assert [p.name for p in tmp_path.iterdir() if p.name.endswith(".tmp")] == []  # no half-written file


@pytest.mark.slow
def test_ctrl_c_in_a_serial_sweep_finishes_the_running_case_and_starts_no_other(tmp_path):
    # -j 1 as the parallel path: the first Ctrl-C lets the running case finish and keeps it; no case starts after.
    # Before, it was raised inside the case (wherever the main thread was): that case lost, cases 0 and 1 kept
    res, out = _serial_sweep(tmp_path, "test_interrupt:stop_on_third", DCPLAN_TEST_STOP_ON_THIRD="SIGINT")
    assert res.returncode == 130 and "Traceback" not in res.stderr, res.stderr
    assert "3 of 5 case(s) finished and saved" in res.stderr, res.stderr
    kept = read_results(out)
    assert sorted(kept["solar.dc_kw"]) == [0, 1, 2] and (kept["status"] == "ok").all()


# ---------------------------------------------------------------------------
# a clean-up that does not end is given up (dcplan._stop_watchdog)

_GRACE_3_S = r"""
import sys
try:
    import dcplan._stop_watchdog as w
    w.STOP_GRACE_S = 3.0
except ImportError:  # a dcplan without the watchdog (the test fails on it by the time it takes, not here)
    pass
from dcplan.cli import main
sys.exit(main(sys.argv[1:]))
"""


@pytest.mark.slow
@needs_proc
def test_a_stop_whose_clean_up_waits_on_a_case_that_runs_on_is_given_up(tmp_path):
    # SIGTERM to the sweep alone (its workers do not get it): the stop waits for the running cases, here a minute
    # long, as it waits for a worker that ignores the stop. Before, the command waited out the minute (a CI time
    # limit, with nothing said); now its watchdog gives up 3 s after the signal, kills its workers, says so in one
    # line and exits 143
    spec = tmp_path / "s.yaml"
    spec.write_text("name: w\nsite: phoenix-az\naxes:\n  solar.dc_kw: [0, 1, 2, 3]\n")
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(ROOT), str(HERE)]), "DCPLAN_TEST_MARK_DIR": str(tmp_path),
           "DCPLAN_TEST_SLEEP_S": "60"}
    proc = subprocess.Popen([sys.executable, "-c", _GRACE_3_S, "sweep", str(spec), "-j", "2", "-q", "--case",
                             "test_sweep:sleep_long", "--out", str(tmp_path / "w.parquet")], env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=tmp_path,
                            start_new_session=True)
    try:
        deadline = time.monotonic() + 90
        while len(list(tmp_path.glob("started-*"))) < 2 and time.monotonic() < deadline:
            time.sleep(0.05)
        assert len(list(tmp_path.glob("started-*"))) == 2, "the cases did not start"
        t0 = time.monotonic()
        proc.send_signal(signal.SIGTERM)
        _, err = proc.communicate(timeout=90)
        waited = time.monotonic() - t0
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, signal.SIGKILL)
    assert proc.returncode == 143, err
    # 3 s of grace, polled every 0.25 s; 20 s covers a loaded machine and is far below the cases' 60 s
    assert waited < 20.0, (waited, err)
    said = [ln for ln in err.splitlines() if ln.startswith("dcplan: interrupted")]
    assert said == [said[0]] and "(SIGTERM): the clean-up did not end within 3 s" in said[0], err
    deadline = time.monotonic() + 5.0
    while _alive_in_group(proc.pid) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert _alive_in_group(proc.pid) == []  # its workers (and the forkserver) killed, not left running the cases
