"""What a render leaves when it stops early, and when a run goes back to its last good version.

* An interrupt after a run's outputs were moved into place: ``runs.json`` and ``index.html``
  are rewritten for the runs placed so far, so the index shows the figures of the reports
  on disk (it showed the previous render's figures for a report already replaced).
* A notebook edited to fail, then edited back: the outputs made by the original version
  are kept (their fingerprint matches) and the failure is history (``runs.json`` says ok,
  ``_failed/`` holds nothing for the run).
"""
from __future__ import annotations

import concurrent.futures as cf
import json
import re
import signal
import threading
import time

import pytest

import dcplan.report as report
from dcplan.report import render

from test_report import TWO_SITES, _nb

PARAMS = 'site: str = "x"\nportfolio: str = "default"\nscale: float = 1.0'
BODY = ("import uuid\nfrom dcplan.results import publish\n"
        "publish('scaled', 1000.0 * scale, unit='h', label='Scaled hours', headline=True)\n"
        "publish('token', uuid.uuid4().hex)\n")


def workspace(tmp_path, params: str = PARAMS):
    """A notebook folder with the one-figure notebook (``params`` its parameters cell), a
    two-site portfolio and the reports folder to render into."""
    nbdir = tmp_path / "nbs"
    nbdir.mkdir()
    _nb(nbdir / "fig.ipynb", params, BODY)
    pf = tmp_path / "pf.yaml"
    pf.write_text(TWO_SITES)
    return nbdir, pf, tmp_path / "reports"


@pytest.fixture
def ws(tmp_path):
    return workspace(tmp_path)


def _headline(index_html: str, key: str) -> str:
    """The headline figure of run ``key``'s row in index.html."""
    row = next(r for r in index_html.split("<tr") if f"href='{key}/report.html'" in r)
    return re.search(r"Scaled hours: <b>([^<]+)</b>", row).group(1)


def test_interrupt_after_a_run_was_placed_rewrites_index_and_runs_json(ws, monkeypatch):
    nbdir, pf, out = ws
    s = render(portfolio=pf, out=out, jobs=1, notebook_dir=nbdir, progress=False, warm_kernels=False)
    assert s.ok, s.table()
    before = json.loads((out / "runs.json").read_text())
    assert _headline((out / "index.html").read_text(), "phoenix-az/fig") == "1,000 h"

    real = report._execute
    calls = []

    def execute_then_ctrl_c(run, *a, **kw):  # Ctrl-C while the second run executes
        calls.append(run.key)
        if len(calls) == 2:
            raise KeyboardInterrupt
        return real(run, *a, **kw)

    monkeypatch.setattr(report, "_execute", execute_then_ctrl_c)
    with pytest.raises(KeyboardInterrupt) as ei:
        render(portfolio=pf, out=out, jobs=1, notebook_dir=nbdir, progress=False, warm_kernels=False,
               parameters={"scale": 8.76})
    # what the CLI prints beside "dcplan: interrupted" (dcplan.cli.main)
    assert ei.value.dcplan_summary == (
        f"1 of its 2 run(s) ended before it; {out / 'index.html'} lists them; the 1 not finished keep their earlier "
        "reports, if any: the same command again finishes them, reusing the runs that ended")
    first, second = (k.replace(":", "/") for k in calls)
    placed = json.loads((out / first / "results.json").read_text())
    assert placed["results"]["scaled"]["value"] == pytest.approx(8760.0)  # the new run is in place
    index = (out / "index.html").read_text()
    # the index shows the placed report's figure, not the previous render's 1,000 h
    assert _headline(index, first) == "8,760 h"
    assert "This render was interrupted: 1 of its 2 run(s) ended before it" in index
    # the run it did not reach keeps its earlier report, listed apart from this render's
    assert _headline(index, second) == "1,000 h"
    assert index.index(f"href='{second}/report.html'") > index.index("Other reports in this folder")
    status = json.loads((out / "runs.json").read_text())
    assert status[first]["ok"] is True and status[first]["when"] >= placed["run"]["started_utc"]
    # (runs.json times are whole seconds: both renders can fall in one, so "when" may equal the
    # earlier entry's; the index's 8,760 h above is what shows the record was rewritten)
    assert status[second] == before[second]  # not recorded: an interrupted run is no failure
    assert not (out / ".dcplan-tmp").exists() and not (out / "_failed").exists()
    # the lock was released: the next render runs
    s = render(portfolio=pf, out=out, jobs=1, notebook_dir=nbdir, progress=False, warm_kernels=False,
               parameters={"scale": 8.76})
    assert s.ok and [r.reused_from is not None for r in s.results] == [True, False], s.table()


def test_a_notebook_edited_back_after_a_failure_keeps_its_outputs(ws):
    nbdir, pf, out = ws
    kw = dict(portfolio=pf, sites=["phoenix-az"], out=out, jobs=1, notebook_dir=nbdir, progress=False,
              warm_kernels=False)
    assert render(**kw).ok
    token = json.loads((out / "phoenix-az" / "fig" / "results.json").read_text())["results"]["token"]["value"]
    original = (nbdir / "fig.ipynb").read_bytes()
    _nb(nbdir / "fig.ipynb", PARAMS, BODY + "raise ValueError('edited to fail')\n")
    s = render(**kw)
    assert not s.ok and "edited to fail" in s.results[0].error
    assert (out / "_failed" / "phoenix-az" / "fig.ipynb").is_file()
    (nbdir / "fig.ipynb").write_bytes(original)  # back to the version whose outputs are in place
    s = render(**kw)
    assert s.ok and s.results[0].reused_from is not None, s.table()
    doc = json.loads((out / "phoenix-az" / "fig" / "results.json").read_text())
    assert doc["results"]["token"]["value"] == token  # not executed again
    st = json.loads((out / "runs.json").read_text())["phoenix-az/fig"]
    assert st["ok"] is True and st["error"] is None and st["reused"] is True
    assert st["when"] == doc["run"]["started_utc"]  # when its outputs were made, and how long that took
    assert st["seconds"] == round(doc["run"]["seconds"], 2)
    assert not (out / "_failed").exists()
    assert "latest run failed" not in (out / "index.html").read_text()


def test_a_failure_of_the_same_version_still_executes_again(ws):
    # a failure with the fingerprint of the outputs in place (a timeout, a dead kernel: not in
    # the fingerprint) is retried, not hidden behind the older outputs
    nbdir, pf, out = ws
    kw = dict(portfolio=pf, sites=["phoenix-az"], out=out, jobs=1, notebook_dir=nbdir, progress=False,
              warm_kernels=False)
    assert render(**kw).ok
    doc = json.loads((out / "phoenix-az" / "fig" / "results.json").read_text())
    status = json.loads((out / "runs.json").read_text())
    status["phoenix-az/fig"].update(ok=False, error="DeadKernelError", fingerprint=doc["run"]["fingerprint"])
    (out / "runs.json").write_text(json.dumps(status))
    s = render(**kw)
    assert s.ok and s.results[0].reused_from is None, s.table()


class _OneThenInterrupt(cf.Executor):
    """A cluster's executor (render --scheduler): the first run executes at once; the
    second's future reports Ctrl-C (KeyboardInterrupt)."""

    def submit(self, fn, *args, **kwargs):
        f = cf.Future()
        if not hasattr(self, "first"):
            self.first = fn(*args, **kwargs)
            f.set_result(self.first)
        else:
            f.set_exception(KeyboardInterrupt())
        return f


def test_interrupt_on_an_executor_records_the_run_it_finished(ws):
    nbdir, pf, out = ws
    assert render(portfolio=pf, out=out, jobs=1, notebook_dir=nbdir, progress=False, warm_kernels=False).ok
    ex = _OneThenInterrupt()
    with pytest.raises(KeyboardInterrupt):
        render(portfolio=pf, out=out, notebook_dir=nbdir, progress=False, executor=ex, parameters={"scale": 2.5})
    key = f"{ex.first.run.out_dir.parent.name}/{ex.first.run.out_dir.name}"
    assert ex.first.ok
    assert json.loads((out / key / "results.json").read_text())["results"]["scaled"]["value"] == 2500.0
    assert _headline((out / "index.html").read_text(), key) == "2,500 h"  # was: 1,000 h
    assert json.loads((out / "runs.json").read_text())[key]["ok"] is True


def test_a_first_render_stopped_before_any_run_ended_leaves_no_empty_runs_json(ws, monkeypatch):
    """It wrote ``{}``, which a folder's check could not tell from a user's own ``{}``: now runs.json
    is written with the first entry, and the next render goes into the folder as into its own."""
    nbdir, pf, out = ws

    def ctrl_c(run, *a, **kw):
        raise KeyboardInterrupt

    with monkeypatch.context() as m:
        m.setattr(report, "_execute", ctrl_c)
        with pytest.raises(KeyboardInterrupt):
            render(portfolio=pf, out=out, jobs=1, notebook_dir=nbdir, progress=False, warm_kernels=False)
    assert (out / "index.html").is_file() and not (out / "runs.json").exists()
    s = render(portfolio=pf, out=out, jobs=1, notebook_dir=nbdir, progress=False, warm_kernels=False)
    assert s.ok, s.table()
    assert sorted(json.loads((out / "runs.json").read_text())) == ["chicago-il/fig", "phoenix-az/fig"]


@pytest.mark.skipif(threading.current_thread() is not threading.main_thread(), reason="signals need the main thread")
def test_a_second_ctrl_c_while_render_waits_for_its_run_thread_does_not_cut_its_clean_up(ws, monkeypatch, capfd):
    """At -j 1 (and in the parallel render) the first Ctrl-C stops the runs, and render then waits for its run thread
    to end; Ctrl-C pressed again there raised inside that wait and cut the rest of the clean-up short: runs.json and
    the index not rewritten for the run that had ended, scratch left, no summary. Under a dcplan command's watchdog
    (dcplan._interrupt.on_stop, which bounds the clean-up) the second Ctrl-C is now noted and said, not raised."""
    from dcplan import _interrupt
    nbdir, pf, out = ws
    assert render(portfolio=pf, out=out, jobs=1, notebook_dir=nbdir, progress=False, warm_kernels=False).ok
    seen: list[str] = []
    monkeypatch.setattr(_interrupt, "on_stop", seen.append)  # as dcplan._stop_watchdog.start sets it
    main = threading.main_thread().ident
    real, real_abandon, calls, stopping = report._execute, report.abandon, [], threading.Event()

    def abandon(scratch, gone=True):  # render's clean-up has begun: its runs are being stopped
        if gone:
            stopping.set()
        return real_abandon(scratch, gone=gone)

    def execute(run, *a, **kw):  # in render's run thread
        calls.append(run.key)
        if len(calls) < 2:
            return real(run, *a, **kw)
        signal.pthread_kill(main, signal.SIGINT)  # Ctrl-C while the second run executes
        assert stopping.wait(30)
        time.sleep(0.3)  # render now waits for this thread to end (its pool's shutdown)
        signal.pthread_kill(main, signal.SIGINT)  # pressed again
        time.sleep(0.5)
        raise KeyboardInterrupt  # the run's kernel closed: it ends

    monkeypatch.setattr(report, "_execute", execute)
    monkeypatch.setattr(report, "abandon", abandon)
    before = signal.signal(signal.SIGINT, signal.default_int_handler)
    try:
        with pytest.raises(KeyboardInterrupt) as ei:
            render(portfolio=pf, out=out, jobs=1, notebook_dir=nbdir, progress=False, warm_kernels=False,
                   parameters={"scale": 8.76})
        assert signal.getsignal(signal.SIGINT) is signal.default_int_handler  # Python's own again after it
    finally:
        signal.signal(signal.SIGINT, before)
    assert seen == ["SIGINT", "SIGINT"]  # both taken, the second noted for the watchdog
    # the whole clean-up ran: the run that ended is recorded and the summary says so
    assert ei.value.dcplan_summary.startswith("1 of its 2 run(s) ended before it; ")
    first = calls[0].replace(":", "/")
    assert _headline((out / "index.html").read_text(), first) == "8,760 h"
    assert not (out / ".dcplan-tmp").exists()
    assert capfd.readouterr().err.count("dcplan: stopping: the runs are stopped; recording them") == 1


@pytest.mark.skipif(threading.current_thread() is not threading.main_thread(), reason="signals need the main thread")
def test_a_second_ctrl_c_while_render_waits_for_its_finisher_does_not_raise(ws, monkeypatch, capfd):
    """At -j 1 a run that executed has its outputs written by a finisher thread while the next one executes. The
    first Ctrl-C stops the render; it then waits for the finisher to place the outputs of the run that executed, and
    that wait came before the stop branch's protection (dcplan._interrupt.cleaning_up): Ctrl-C pressed again there
    raised inside the pool's shutdown (a KeyboardInterrupt traceback over the stop). Under a dcplan command's
    watchdog it is now noted and said, and the run that executed is still recorded."""
    from dcplan import _interrupt
    nbdir, pf, out = ws
    seen: list[str] = []
    monkeypatch.setattr(_interrupt, "on_stop", seen.append)  # as dcplan._stop_watchdog.start sets it
    main = threading.main_thread().ident
    real_execute, real_finish, real_abandon = report._execute, report._finish_and_record, report.abandon
    calls, finishing, first_sent, stopping = [], threading.Event(), threading.Event(), threading.Event()

    def abandon(scratch, gone=True):
        if gone:
            stopping.set()
        return real_abandon(scratch, gone=gone)

    def execute(run, *a, **kw):  # in render's run thread
        calls.append(run.key)
        if len(calls) < 2:
            return real_execute(run, *a, **kw)
        assert finishing.wait(30)  # the first run's outputs are being written
        signal.pthread_kill(main, signal.SIGINT)  # Ctrl-C while the second run executes
        first_sent.set()
        assert stopping.wait(30)
        raise KeyboardInterrupt  # the run's kernel closed: it ends

    def finish(ex, records):  # in the finisher thread: slow enough for render to be waiting for it when pressed again
        finishing.set()
        assert first_sent.wait(30)
        time.sleep(1.0)  # render has taken the first Ctrl-C (within dcplan._interrupt.POLL_S) and waits here
        signal.pthread_kill(main, signal.SIGINT)  # pressed again
        time.sleep(0.3)
        return real_finish(ex, records)

    monkeypatch.setattr(report, "_execute", execute)
    monkeypatch.setattr(report, "_finish_and_record", finish)
    monkeypatch.setattr(report, "abandon", abandon)
    before = signal.signal(signal.SIGINT, signal.default_int_handler)  # not assumed: the test runner's may differ
    try:
        with pytest.raises(KeyboardInterrupt) as ei:
            render(portfolio=pf, out=out, jobs=1, notebook_dir=nbdir, progress=False, warm_kernels=False,
                   parameters={"scale": 8.76})
        assert signal.getsignal(signal.SIGINT) is signal.default_int_handler  # Python's own again after it
    finally:
        signal.signal(signal.SIGINT, before)
    assert seen == ["SIGINT", "SIGINT"]  # both taken, the second noted for the watchdog (not raised)
    assert ei.value.dcplan_summary.startswith("1 of its 2 run(s) ended before it; ")
    assert _headline((out / "index.html").read_text(), calls[0].replace(":", "/")) == "8,760 h"
    assert not (out / ".dcplan-tmp").exists()
    assert capfd.readouterr().err.count("dcplan: stopping: the runs are stopped; recording them") == 1
