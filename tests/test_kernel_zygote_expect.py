"""How much of its work a zygote does for the renders it serves (dcplan._kernel_zygote).

* It stops its preload and warm-up once it has forked every kernel the render said it will ask for
  (KERNELS_FILE): a render of one run forks its kernel at once, and the rest of the zygote's work (about
  1.8 s of CPU) then served no kernel, only took a core from the run.
* Renders inside ``shared()`` fork from one zygote, kept warm between them."""
from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from dcplan import _kernel_zygote as kz
from dcplan import _sockdirs
from dcplan.report import execute_run, plan_runs, render

from test_kernel_zygote import ONE_SITE, _nb_file

# a zygote with no preload and two warm-up steps: the first waits for the test's 'go' (so the kernel the test
# asks for meanwhile is forked right after it), the second leaves a mark
SERVE = """\
import sys, time
from pathlib import Path
from dcplan import _kernel_zygote as kz
d, marks, parent = Path(sys.argv[1]), Path(sys.argv[2]), int(sys.argv[3])
def wait_for_go():
    deadline = time.monotonic() + 120
    while not (marks / "go").exists() and time.monotonic() < deadline:
        time.sleep(0.02)
def second_step():
    (marks / "second_step").touch()
kz.serve(str(d / "zygote"), preload=(), warmup=(wait_for_go, second_step), parent=parent)
"""


def _nb(folder: Path, name: str, body: str = "x = 1") -> None:
    _nb_file(folder, name, 'site: str = "x"\nportfolio: str = "default"', body)


def test_the_expected_count_is_read_once_written_and_only_as_a_count(tmp_path):
    path = tmp_path / kz.KERNELS_FILE
    e = kz.ExpectedKernels(str(path))
    assert not e.reached(0) and not e.reached(9)  # no file: no count known, the warm-up goes on
    for bad in ("true", "-1", "2.0", '"2"', "{"):
        path.write_text(bad)
        assert not e.reached(9), bad
    path.write_text("2")
    assert [e.reached(n) for n in (0, 1, 2, 3)] == [False, False, True, True]
    path.write_text("0")  # read once: a later file is not the render's count
    assert not e.reached(1)


@pytest.mark.parametrize("expect", [1, None])
def test_the_warm_up_stops_once_the_expected_kernels_are_forked(tmp_path, expect):
    nbdir = tmp_path / "nbs"
    _nb(nbdir, "one")
    pf = tmp_path / "pf.yaml"
    pf.write_text(ONE_SITE)
    run = plan_runs(pf, out=tmp_path / "o", notebook_dir=nbdir)[0]
    sock_dir = _sockdirs.make("z")  # short: a unix socket's path is limited
    marks = tmp_path / "marks"
    marks.mkdir()
    proc = subprocess.Popen([sys.executable, "-c", SERVE, sock_dir, str(marks), str(os.getpid())])
    try:
        deadline = time.monotonic() + 60
        while not os.path.exists(os.path.join(sock_dir, "zygote")) and time.monotonic() < deadline:
            time.sleep(0.02)
        if expect is not None:
            with open(os.devnull, "ab") as log:  # the handle a render has; only its expect_kernels is used here
                kz.Zygote(sock_dir, proc, log).expect_kernels(expect)
        got = []
        t = threading.Thread(target=lambda: got.append(execute_run(run, zygote=os.path.join(sock_dir, "zygote"))))
        t.start()  # the request waits in the socket's queue while the first step waits for 'go'
        time.sleep(0.5)
        (marks / "go").touch()
        t.join(120)
        assert got and got[0].ok, got and got[0].error
        # the kernel was forked between the two steps and has exited: with a count of 1 the zygote then had nothing
        # left to warm up for; without one it went on to the second step before it reaped the kernel
        assert (marks / "second_step").exists() is (expect is None)
        assert proc.poll() is None  # still serving (and reaping) until the render ends
    finally:
        proc.terminate()
        proc.wait(30)
        shutil.rmtree(sock_dir, ignore_errors=True)


def test_render_says_how_many_kernels_it_will_ask_for(tmp_path, monkeypatch):
    # the runs it executes, not the ones it keeps from an earlier render
    said = []
    monkeypatch.setattr(kz.Zygote, "expect_kernels", lambda self, n: said.append(n))
    nbdir = tmp_path / "nbs"
    _nb(nbdir, "a")
    _nb(nbdir, "b")
    pf = tmp_path / "pf.yaml"
    pf.write_text(ONE_SITE)
    out = tmp_path / "out"
    assert render(portfolio=pf, out=out, jobs=1, notebook_dir=nbdir, progress=False, warm_kernels=True).ok
    _nb(nbdir, "b", "x = 2")
    assert render(portfolio=pf, out=out, jobs=1, notebook_dir=nbdir, progress=False, warm_kernels=True).ok
    assert said == [2, 1]


def test_renders_inside_shared_fork_from_one_zygote_that_goes_with_the_block(tmp_path, monkeypatch):
    said = []
    monkeypatch.setattr(kz.Zygote, "expect_kernels", lambda self, n: said.append(n))
    nbdir = tmp_path / "nbs"
    _nb(nbdir, "who", "import os\nfrom dcplan.results import publish\npublish('ppid', os.getppid())")
    pf = tmp_path / "pf.yaml"
    pf.write_text(ONE_SITE)

    def ppid(out):
        assert render(portfolio=pf, out=out, jobs=1, notebook_dir=nbdir, progress=False, warm_kernels=True).ok
        doc = (out / "phoenix-az" / "who" / "results.json").read_text()
        return json.loads(doc)["results"]["ppid"]["value"]

    with kz.shared() as z:
        first, second = ppid(tmp_path / "a"), ppid(tmp_path / "b")
        assert first == second == z.proc.pid  # each kernel a fork of the shared zygote, alive between renders
        assert z.proc.poll() is None
        z.proc.kill()  # gone (a render interrupted closes it): the next render starts another and shares that
        z.proc.wait()
        third, fourth = ppid(tmp_path / "c"), ppid(tmp_path / "d")
        assert third == fourth != first
        again = kz._shared[-1]
        assert again.proc.pid == third
    assert again.proc.poll() is not None and z.proc.poll() is not None  # closed with the block
    assert said == []  # a shared zygote is not told to stop warming up: the renders to come use it
    # outside the block each render has its own again
    assert ppid(tmp_path / "e") not in (first, third)
    assert said == [1]
