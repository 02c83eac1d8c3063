"""Warm kernels (dcplan._kernel_zygote): forked per run, isolated, signal-correct, and optional."""
from __future__ import annotations

import json
import os
import signal
import sys
import time
from pathlib import Path

import nbformat
import pytest

from dcplan import _kernel_zygote as kz
from dcplan.report import _ipc_kernel_manager, render

from conftest import DATA

ONE_SITE = f"name: one site\nsites:\n  - {DATA / 'sites' / 'phoenix-az.yaml'}\n"

# Each run publishes what a run could inherit from an earlier one if kernels were reused.
PROBE = """\
import os, sys
import numpy as np
import matplotlib.pyplot as plt
import dcplan
from dcplan.results import publish
publish('pid', os.getpid())
publish('cwd_is_scratch', os.getcwd().endswith('.work'))
publish('leaked_module_attr', hasattr(dcplan, '_probe_leak'))
dcplan._probe_leak = True
publish('leaked_global', 'probe_leak' in globals())
probe_leak = 1
publish('numpy_draw', float(np.random.random()))
publish('figures_open_at_start', len(plt.get_fignums()))
publish('backend', plt.get_backend())
publish('forked_from_zygote', os.getppid() != int(os.environ['JPY_PARENT_PID']))
fig, ax = plt.subplots()
ax.plot([0, 1], [0, 1])
plt.rcParams['lines.linewidth'] = 9.0
publish('rc_linewidth_at_end', float(plt.rcParams['lines.linewidth']))
"""


def _probe_nb(folder: Path) -> Path:
    nb = nbformat.v4.new_notebook()
    p = nbformat.v4.new_code_cell('site: str = "x"\nportfolio: str = "default"\nrepeat: int = 0')
    p.metadata["tags"] = ["parameters"]
    nb.cells = [p, nbformat.v4.new_code_cell(PROBE),
                nbformat.v4.new_code_cell("publish('rc_linewidth_default', float(plt.rcParamsDefault['lines.linewidth']))")]
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    nb.metadata["dcplan"] = {"scope": "site"}
    folder.mkdir(exist_ok=True)
    path = folder / "probe.ipynb"
    nbformat.write(nb, str(path))
    return path


def _values(out: Path) -> dict:
    doc = json.loads((out / "phoenix-az" / "probe" / "results.json").read_text())
    return {k: r["value"] for k, r in doc["results"].items()}


def _nb_file(folder: Path, name: str, params: str, body: str) -> None:
    nb = nbformat.v4.new_notebook()
    p = nbformat.v4.new_code_cell(params)
    p.metadata["tags"] = ["parameters"]
    nb.cells = [p, nbformat.v4.new_code_cell(body)]
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    folder.mkdir(exist_ok=True)
    nbformat.write(nb, str(folder / f"{name}.ipynb"))


def test_warm_runs_are_separate_processes_with_fresh_state(tmp_path):
    nbdir = tmp_path / "nbs"
    _probe_nb(nbdir)
    pf = tmp_path / "pf.yaml"
    pf.write_text(ONE_SITE)
    seen = []
    for i in range(3):  # three renders, each with its own zygote, and runs within one render
        out = tmp_path / f"o{i}"
        s = render(portfolio=pf, out=out, jobs=1, notebook_dir=nbdir, progress=False,
                   parameters={"repeat": str(i)})
        assert s.ok, s.table()
        seen.append(_values(out))
    for v in seen:
        assert v["cwd_is_scratch"] is True
        assert v["leaked_module_attr"] is False and v["leaked_global"] is False
        assert v["figures_open_at_start"] == 0
        assert "inline" in v["backend"]            # figures reach the report, as in a cold kernel
        assert v["forked_from_zygote"] is True  # it really was forked from the preloaded server
        assert v["rc_linewidth_at_end"] == 9.0
    assert len({v["pid"] for v in seen}) == 3
    # NumPy's global generator is reseeded per kernel, as a fresh process would be
    assert len({v["numpy_draw"] for v in seen}) == 3


@pytest.mark.parametrize("jobs", [1, 2])
def test_warm_kernels_share_nothing_within_one_render(tmp_path, jobs):
    # the same notebook for four sites in one render (one zygote): four processes, no leaks
    nbdir = tmp_path / "nbs"
    _probe_nb(nbdir)
    out = tmp_path / "o"
    s = render(out=out, notebooks=["probe"], jobs=jobs, notebook_dir=nbdir, progress=False)
    assert s.ok, s.table()
    vals = [{k: r["value"] for k, r in json.loads((r_.run.out_dir / "results.json").read_text())["results"].items()}
            for r_ in s.results]
    assert len(vals) == 4
    assert len({v["pid"] for v in vals}) == 4
    assert not any(v["leaked_module_attr"] or v["leaked_global"] for v in vals)
    assert len({v["numpy_draw"] for v in vals}) == 4
    for r_ in s.results:
        nb = json.loads((r_.run.out_dir / "notebook.ipynb").read_text())
        pngs = [o for c in nb["cells"] for o in c.get("outputs", []) if "image/png" in o.get("data", {})]
        assert len(pngs) == 1


def test_cold_and_warm_kernels_publish_the_same_values(tmp_path):
    nbdir = tmp_path / "nbs"
    _probe_nb(nbdir)
    pf = tmp_path / "pf.yaml"
    pf.write_text(ONE_SITE)
    res = {}
    for warm in (True, False):
        out = tmp_path / f"w{warm}"
        assert render(portfolio=pf, out=out, jobs=1, notebook_dir=nbdir, progress=False,
                      warm_kernels=warm).ok
        res[warm] = _values(out)
    for v in res.values():
        for k in ("pid", "numpy_draw", "forked_from_zygote"):
            v.pop(k)
    assert res[True] == res[False]


def test_unreachable_zygote_falls_back_to_a_cold_kernel(tmp_path):
    from dcplan.report import execute_run, plan_runs
    nbdir = tmp_path / "nbs"
    _probe_nb(nbdir)
    pf = tmp_path / "pf.yaml"
    pf.write_text(ONE_SITE)
    run = plan_runs(pf, out=tmp_path / "o", notebook_dir=nbdir)[0]
    res = execute_run(run, zygote=str(tmp_path / "no-such-socket"))
    assert res.ok, res.error
    assert res.results["forked_from_zygote"]["value"] is False


def test_foreign_kernel_commands_are_not_wrapped():
    cmd = ["/usr/bin/python2", "-m", "ipykernel_launcher", "-f", "cf.json"]
    assert kz.wrap("/tmp/s", cmd) == cmd
    assert kz.wrap("/tmp/s", ["julia", "kernel.jl", "cf.json"]) == ["julia", "kernel.jl", "cf.json"]
    native = [sys.executable, "-m", "ipykernel_launcher", "-f", "cf.json"]
    assert kz.wrap("/tmp/s", native)[-5:] == native
    assert kz.native_kernel_args(native) == ["-f", "cf.json"]


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    try:  # a zombie still answers kill(0); it is dead for our purpose
        with open(f"/proc/{pid}/stat") as fh:
            return fh.read().split(")")[-1].split()[0] != "Z"
    except OSError:
        return False


@pytest.fixture
def warm_kernel(tmp_path):
    """A kernel started through the zygote by jupyter_client, as render starts it."""
    import tempfile
    from jupyter_client.blocking import BlockingKernelClient
    z = kz.start(str(tmp_path / "zygote.log"))
    sock_dir = tempfile.mkdtemp(prefix="dcplan-t-")
    km_cls = _ipc_kernel_manager(sock_dir, tmp_path / "kernel.log", z.path)
    # the blocking wrapper of the same class: same command, same provisioner
    from jupyter_client.utils import run_sync

    class _Blocking(km_cls):
        start_kernel = run_sync(km_cls._async_start_kernel)
        shutdown_kernel = run_sync(km_cls._async_shutdown_kernel)
        interrupt_kernel = run_sync(km_cls._async_interrupt_kernel)
        is_alive = run_sync(km_cls._async_is_alive)

    km = _Blocking(kernel_name="python3")
    km.start_kernel(cwd=str(tmp_path))
    kc = BlockingKernelClient(parent=km)
    kc.load_connection_info(km.get_connection_info())
    kc.start_channels()
    kc.wait_for_ready(timeout=60)
    try:
        yield km, kc, z
    finally:
        kc.stop_channels()
        if km.is_alive():
            km.shutdown_kernel(now=True)
        z.close()
        import shutil
        shutil.rmtree(sock_dir, ignore_errors=True)


def _kernel_pid(kc) -> int:
    for _ in range(20):
        reply = kc.execute_interactive("import os; print(os.getpid())", timeout=30,
                                       output_hook=lambda m: _out.append(m))
        # after an error (the interrupt test's KeyboardInterrupt) ipykernel aborts the
        # requests that reach it while it clears its queue: ask again
        if reply["content"]["status"] != "aborted":
            break
        time.sleep(0.05)
    assert reply["content"]["status"] == "ok"
    text = "".join(m["content"].get("text", "") for m in _out if m["msg_type"] == "stream")
    _out.clear()
    return int(text.split()[-1])


_out: list = []


def test_interrupt_reaches_the_forked_kernel(warm_kernel):
    km, kc, z = warm_kernel
    pid = _kernel_pid(kc)
    assert pid != km.provisioner.process.pid  # the launcher is not the kernel
    msg_id = kc.execute("import time; time.sleep(60)")
    time.sleep(1.0)
    t0 = time.monotonic()
    km.interrupt_kernel()
    while True:
        reply = kc.get_shell_msg(timeout=30)
        if reply["parent_header"].get("msg_id") == msg_id:
            break
    assert time.monotonic() - t0 < 10
    assert reply["content"]["status"] == "error" and reply["content"]["ename"] == "KeyboardInterrupt"
    assert _kernel_pid(kc) == pid  # interrupted, not killed


def test_killing_the_launcher_kills_the_kernel(warm_kernel):
    km, kc, z = warm_kernel
    pid = _kernel_pid(kc)
    os.kill(km.provisioner.process.pid, signal.SIGKILL)  # what jupyter_client does on a hard kill
    deadline = time.monotonic() + 10
    while _alive(pid) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not _alive(pid)


def _child_of(kc) -> int:
    """The pid of a process the kernel starts and leaves running (a run's subprocess, a pool's worker)."""
    reply = kc.execute_interactive("import subprocess, sys\n_p = subprocess.Popen([sys.executable, '-c', "
                                   "'import time; time.sleep(120)'])\nprint(_p.pid)", timeout=30,
                                   output_hook=lambda m: _out.append(m))
    assert reply["content"]["status"] == "ok"
    text = "".join(m["content"].get("text", "") for m in _out if m["msg_type"] == "stream")
    _out.clear()
    return int(text.split()[-1])


def test_killing_the_launcher_kills_what_the_kernel_started(warm_kernel):
    """A cell timeout or a stopped render kills the kernel through its launcher: the processes the kernel started
    (its session's group: a portfolio_sweep's pool workers) go too. Before, the zygote killed the kernel alone and
    they ran on, reparented to init (two spawn-pool workers and their resource tracker, after a --timeout-s)."""
    km, kc, z = warm_kernel
    pid, child = _kernel_pid(kc), _child_of(kc)
    assert _alive(child)
    try:
        os.kill(km.provisioner.process.pid, signal.SIGKILL)
        assert _all_gone([pid, child], 10) == []
    finally:
        if _alive(child):
            os.kill(child, signal.SIGKILL)


def test_a_kernel_that_ends_leaves_nothing_it_started_running(warm_kernel):
    """A kernel that exits while a process it started still runs (a notebook's subprocess it did not wait for):
    the zygote kills the kernel's group as it reaps it."""
    km, kc, z = warm_kernel
    pid, child = _kernel_pid(kc), _child_of(kc)
    try:
        kc.execute("import os; os._exit(0)")  # the kernel ends on its own: no launcher killed
        assert _all_gone([pid, child], 10) == []
    finally:
        if _alive(child):
            os.kill(child, signal.SIGKILL)


def test_shutdown_reports_exit_through_the_launcher(warm_kernel):
    km, kc, z = warm_kernel
    pid = _kernel_pid(kc)
    t0 = time.monotonic()
    km.shutdown_kernel(now=False)
    assert time.monotonic() - t0 < 5  # a graceful exit, not the kill after a wait
    assert not km.is_alive() and not _alive(pid)
    assert km.provisioner is None or km.provisioner.process is None or \
        km.provisioner.process.poll() == 0


def test_zygote_exits_when_its_parent_dies(tmp_path):
    # the zygote belongs to one render: if that process is killed, the zygote goes too
    import subprocess
    code = ("import sys, time\nfrom dcplan import _kernel_zygote as kz\n"
            "z = kz.start()\nprint(z.proc.pid, flush=True)\ntime.sleep(60)\n")
    parent = subprocess.Popen([sys.executable, "-c", code], stdout=subprocess.PIPE, text=True)
    zpid = int(parent.stdout.readline())
    assert _alive(zpid)
    parent.kill()
    parent.wait()
    # it looks for its parent between preload steps: a step can be a fresh install's numba compile, which on two
    # loaded cores took over 15 s (a fresh-clone CI with a render beside it failed at 15 s); it must still go
    deadline = time.monotonic() + 90
    while _alive(zpid) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert not _alive(zpid)


def test_zygote_whose_render_died_before_it_started_exits_at_once(tmp_path):
    """start() names the render's pid (--parent). A zygote whose named parent is not its parent when it starts
    (the render was killed while the zygote's Python was still starting) exits at once, without binding its
    socket: it had taken its parent to be init and waited for it forever (two such zygotes were found alive 20
    minutes after their tests)."""
    import subprocess
    sock = tmp_path / "zygote"
    not_parent = os.getppid()  # this test's parent: not the zygote's, which is this test's process
    shell = subprocess.run([sys.executable, "-m", "dcplan._kernel_zygote", "serve", str(sock), "--parent",
                            str(not_parent)], timeout=60)
    assert shell.returncode == 0 and not sock.exists()
    # named rightly, it serves (binds its socket) until its parent goes: here, until it is stopped
    proc = subprocess.Popen([sys.executable, "-m", "dcplan._kernel_zygote", "serve", str(sock), "--parent",
                             str(os.getpid())])
    try:
        deadline = time.monotonic() + 30
        while not sock.exists() and time.monotonic() < deadline:
            time.sleep(0.05)
        assert sock.exists() and proc.poll() is None
    finally:
        proc.terminate()
        proc.wait(timeout=30)


def test_start_names_the_render_as_the_zygote_s_parent(tmp_path):
    from dcplan import _kernel_zygote as kz
    z = kz.start()
    try:
        args = z.proc.args
        assert args[-2:] == ["--parent", str(os.getpid())]
        assert _alive(z.proc.pid)
    finally:
        z.close()


def test_cli_cold_kernels_flag(tmp_path, capsys):
    from dcplan.cli import main
    nbdir = tmp_path / "nbs"
    _probe_nb(nbdir)
    pf = tmp_path / "pf.yaml"
    pf.write_text(ONE_SITE)
    out = tmp_path / "o"
    assert main(["render", "--portfolio", str(pf), "--notebook-dir", str(nbdir), "--out", str(out),
                 "-q", "-j", "1", "--cold-kernels"]) == 0
    assert _values(out)["forked_from_zygote"] is False


def test_warm_kernel_knows_the_process_that_manages_it(tmp_path):
    # JPY_PARENT_PID is the process running papermill (as for a cold kernel), not the zygote
    nbdir = tmp_path / "nbs"
    _nb_file(nbdir, "who", 'site: str = "x"\nportfolio: str = "default"',
             "import os\nfrom dcplan.results import publish\n"
             "publish('manager', int(os.environ['JPY_PARENT_PID']))\npublish('ppid', os.getppid())")
    pf = tmp_path / "pf.yaml"
    pf.write_text(ONE_SITE)
    out = tmp_path / "o"
    assert render(portfolio=pf, out=out, jobs=1, notebook_dir=nbdir, progress=False).ok
    v = {k: r["value"] for k, r in json.loads((out / "phoenix-az" / "who" / "results.json").read_text())["results"].items()}
    assert v["manager"] == os.getpid()
    assert v["ppid"] != os.getpid()  # forked from the zygote


def test_a_kernel_asked_for_early_is_forked_before_the_preload_ends(tmp_path):
    # the zygote serves between preloaded modules: a kernel requested at once does not wait
    # for pvlib/scipy/dcplan, and one requested after the preload finds them imported
    from dcplan.report import execute_run, plan_runs
    nbdir = tmp_path / "nbs"
    _nb_file(nbdir, "early", 'site: str = "x"\nportfolio: str = "default"',
             "import sys\nfrom dcplan.results import publish\n"
             "publish('had_pipeline', 'dcplan.pipeline' in sys.modules)")
    pf = tmp_path / "pf.yaml"
    pf.write_text(ONE_SITE)
    run = plan_runs(pf, out=tmp_path / "o", notebook_dir=nbdir)[0]
    with kz.start() as z:
        first = execute_run(run, zygote=z.path)
        deadline = time.monotonic() + 60
        late = None
        while time.monotonic() < deadline:  # until the preload is through
            late = execute_run(run, zygote=z.path)
            if late.results["had_pipeline"]["value"]:
                break
    assert first.ok and late.ok
    assert first.results["had_pipeline"]["value"] is False
    assert late.results["had_pipeline"]["value"] is True


def test_cell_timeout_fails_the_run_and_leaves_no_kernel_behind(tmp_path):
    nbdir = tmp_path / "nbs"
    pidfile = tmp_path / "kernel.pid"
    _nb_file(nbdir, "hang", f'site: str = "x"\nportfolio: str = "default"\npidfile: str = "{pidfile}"',
             "import os, time\nopen(pidfile, 'w').write(str(os.getpid()))\ntime.sleep(120)\n")
    pf = tmp_path / "pf.yaml"
    pf.write_text(ONE_SITE)
    t0 = time.monotonic()
    s = render(portfolio=pf, out=tmp_path / "o", jobs=1, notebook_dir=nbdir, progress=False, timeout_s=3)
    assert time.monotonic() - t0 < 60
    (r,) = s.results
    assert not r.ok and r.failed_cell == 2  # the source notebook's second cell
    assert r.error.startswith("CellTimeoutError: the cell ran longer than the per-cell timeout of 3 s")
    assert "\n" not in r.error
    assert (tmp_path / "o" / "_failed" / "phoenix-az" / "hang.ipynb").is_file()  # what ran, kept
    pid = int(pidfile.read_text())
    deadline = time.monotonic() + 10
    while _alive(pid) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert not _alive(pid)


def test_a_kernel_that_dies_fails_its_run_and_the_next_run_still_works(tmp_path):
    nbdir = tmp_path / "nbs"
    _nb_file(nbdir, "crash", 'site: str = "x"\nportfolio: str = "default"',
             "import os\nif site == 'phoenix-az':\n    os._exit(3)\nfrom dcplan.results import publish\n"
             "publish('alive', True)\n")
    pf = tmp_path / "pf.yaml"
    pf.write_text(f"name: two\nsites:\n  - {DATA / 'sites' / 'phoenix-az.yaml'}\n"
                  f"  - {DATA / 'sites' / 'chicago-il.yaml'}\n")
    s = render(portfolio=pf, out=tmp_path / "o", jobs=1, notebook_dir=nbdir, progress=False)
    res = {r.run.site_id: r for r in s.results}
    assert not res["phoenix-az"].ok and res["phoenix-az"].error.startswith("DeadKernelError: the kernel died")
    assert res["phoenix-az"].failed_cell == 2
    assert (tmp_path / "o" / "_failed" / "phoenix-az" / "crash.ipynb").is_file()
    assert res["chicago-il"].ok and res["chicago-il"].results["alive"]["value"] is True


def test_warm_kernels_default_only_where_fork_is_safe(tmp_path, monkeypatch):
    # the default follows the platform: off (cold kernels) where fork is unsafe or absent
    nbdir = tmp_path / "nbs"
    _probe_nb(nbdir)
    pf = tmp_path / "pf.yaml"
    pf.write_text(ONE_SITE)
    assert kz.SUPPORTED is sys.platform.startswith("linux")
    monkeypatch.setattr(kz, "SUPPORTED", False)
    out = tmp_path / "o"
    assert render(portfolio=pf, out=out, jobs=1, notebook_dir=nbdir, progress=False).ok
    assert _values(out)["forked_from_zygote"] is False


def _start_slow_render(tmp_path, extra=()):
    import subprocess
    nbdir = tmp_path / "nbs"
    pids = tmp_path / "pids"
    pids.mkdir()
    _nb_file(nbdir, "slow", f'site: str = "x"\nportfolio: str = "default"\npids: str = "{pids}"',
             "import os, time\n"
             "tmp = os.path.join(pids, '.' + site)\n"
             "with open(tmp, 'w') as fh:\n    fh.write(f\"{os.getpid()} {os.environ['JPY_PARENT_PID']}\")\n"
             "os.replace(tmp, os.path.join(pids, site))  # whole or absent, never half-written\n"
             "time.sleep(60)\n")
    pf = tmp_path / "pf.yaml"
    pf.write_text(f"name: two\nsites:\n  - {DATA / 'sites' / 'phoenix-az.yaml'}\n"
                  f"  - {DATA / 'sites' / 'chicago-il.yaml'}\n")
    proc = subprocess.Popen([sys.executable, "-m", "dcplan", "render", "--portfolio", str(pf), "--notebook-dir",
                             str(nbdir), "--out", str(tmp_path / "o"), "-q", "-j", "2", *extra],
                            start_new_session=True, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    deadline = time.monotonic() + 90
    while len(list(pids.glob("[!.]*"))) < 2 and time.monotonic() < deadline:
        time.sleep(0.2)
    got = [int(x) for f in pids.glob("[!.]*") for x in f.read_text().split()]
    assert len(got) == 4, "both runs should be executing"
    return proc, got  # kernel and worker pids of both runs


def _start_render_whose_cell_starts_a_process(tmp_path, extra=()):
    """A render of one run whose cell starts ``sleep 300`` (the brief's reproduction) and waits; returns the
    render's process and the kernel's and the sleep's pids once both run."""
    import subprocess
    nbdir = tmp_path / "nbs"
    pids = tmp_path / "pids"
    pids.mkdir()
    _nb_file(nbdir, "child", f'site: str = "x"\nportfolio: str = "default"\npids: str = "{pids}"',
             "import os, subprocess, time\n"
             "child = subprocess.Popen(['sleep', '300'])\n"
             "with open(os.path.join(pids, '.k'), 'w') as fh:\n    fh.write(f'{os.getpid()} {child.pid}')\n"
             "os.replace(os.path.join(pids, '.k'), os.path.join(pids, 'k'))\n"
             "time.sleep(60)\n")
    pf = tmp_path / "pf.yaml"
    pf.write_text(ONE_SITE)
    proc = subprocess.Popen([sys.executable, "-m", "dcplan", "render", "--portfolio", str(pf), "--notebook-dir",
                             str(nbdir), "--out", str(tmp_path / "o"), "-q", *extra],
                            start_new_session=True, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    deadline = time.monotonic() + 90
    while not (pids / "k").exists() and time.monotonic() < deadline:
        time.sleep(0.1)
    kernel, child = (int(x) for x in (pids / "k").read_text().split())
    assert _alive(kernel) and _alive(child)
    return proc, kernel, child


@pytest.mark.parametrize("extra", [(), ("--cold-kernels",)])
def test_killed_render_takes_what_its_kernel_started_with_it(tmp_path, extra):
    # --cold-kernels: the kernel exited through ipykernel's parent poller and the sleep it started ran on for
    # 300 s, reparented to init; the launcher's watcher (dcplan._kernel_guard) now kills the kernel's group
    proc, kernel, child = _start_render_whose_cell_starts_a_process(tmp_path, extra)
    try:
        proc.kill()  # SIGKILL: no cleanup code runs in the render itself
        proc.communicate(timeout=30)
        # ipykernel's poller checks each second; the group kill follows the render's end at once
        assert _all_gone([kernel, child], 10) == []
    finally:
        for pid in (kernel, child):  # only what this test started
            if _alive(pid):
                os.kill(pid, signal.SIGKILL)


def _all_gone(pids, within_s):
    deadline = time.monotonic() + within_s
    while any(_alive(p) for p in pids) and time.monotonic() < deadline:
        time.sleep(0.1)
    return [p for p in pids if _alive(p)]


@pytest.mark.parametrize("extra", [(), ("--cold-kernels",)])
def test_sigterm_stops_workers_and_kernels_and_cleans_up(tmp_path, extra):
    proc, pids = _start_slow_render(tmp_path, extra)
    proc.send_signal(signal.SIGTERM)
    _, err = proc.communicate(timeout=30)
    assert proc.returncode == 143 and "interrupted (SIGTERM)" in err  # 128 + SIGTERM, as the shell's
    assert _all_gone(pids, 10) == []  # no worker finishes its run in the background
    assert not (tmp_path / "o" / ".dcplan-tmp").exists()
    assert not (tmp_path / "o" / "chicago-il").exists()  # nothing half-done was placed


@pytest.mark.parametrize("extra", [(), ("--cold-kernels",)])
def test_killed_render_takes_its_workers_and_kernels_with_it(tmp_path, extra):
    proc, pids = _start_slow_render(tmp_path, extra)
    proc.kill()  # SIGKILL: no cleanup code runs in the render itself
    proc.wait(timeout=30)
    assert _all_gone(pids, 15) == []


# ---------------------------------------------------------------------------
# warm-up: first-use costs paid once in the zygote, and nothing else carried over

WARM_PROBE = """\
import hashlib, sys
import matplotlib.pyplot as plt
from dcplan import pipeline, solar, thermal_dynamics
from dcplan.results import publish
publish('kernel_loaded', len(thermal_dynamics._kernel.overloads))
from dcplan._zygote_sites import kept_ids
kept_ids = kept_ids()
lru = kept = 0
for name, mod in list(sys.modules.items()):
    if name.startswith('dcplan') and mod is not None:
        for attr, o in vars(mod).items():
            if hasattr(o, 'cache_info'):
                if id(o) in kept_ids:   # (once per module that holds it)
                    kept += o.cache_info().currsize
                else:
                    lru += o.cache_info().currsize
publish('lru_entries', lru)
publish('kept_entries', kept)
publish('dict_caches', sum(len(v) for n, m in list(sys.modules.items()) if n.startswith('dcplan') and m
                           for k, v in vars(m).items() if k.endswith('_CACHE') and isinstance(v, dict)))
publish('solpos_memo', len(solar._SOLPOS_CACHE))
publish('files_read', len(pipeline.load_counts()))
publish('rc', hashlib.sha256(repr(sorted((k, repr(v)) for k, v in plt.rcParams.items())).encode()).hexdigest())
publish('figures_open_at_start', len(plt.get_fignums()))
"""


def test_zygote_warm_up_loads_compiled_code_and_leaves_no_data_or_settings(tmp_path):
    from dcplan.report import execute_run, plan_runs
    nbdir = tmp_path / "nbs"
    _nb_file(nbdir, "warm", 'site: str = "x"\nportfolio: str = "default"', WARM_PROBE)
    pf = tmp_path / "pf.yaml"
    pf.write_text(ONE_SITE)
    run = plan_runs(pf, out=tmp_path / "o", notebook_dir=nbdir)[0]
    cold = execute_run(run, zygote=str(tmp_path / "no-such-socket"))  # a fresh process
    assert cold.ok and cold.results["kernel_loaded"]["value"] == 0
    with kz.start() as z:
        deadline = time.monotonic() + 90
        warm = None
        while time.monotonic() < deadline:  # until the zygote is through its warm-up
            warm = execute_run(run, zygote=z.path)
            assert warm.ok
            if warm.results["kernel_loaded"]["value"] and warm.results["kept_entries"]["value"]:
                break  # numba's step and the site-year step (the last to fill a kept cache) are done
            time.sleep(0.5)
    v = {k: r["value"] for k, r in warm.results.items()}
    c = {k: r["value"] for k, r in cold.results.items()}
    assert v["kernel_loaded"] >= 1  # numba's compiled code came with the fork
    # nothing a fresh kernel would not have: no cached files or results, same settings; only the
    # pure tables of numbers (KEPT_CACHES: the warmed site's tower table) came with the fork
    assert v["lru_entries"] == 0 and v["solpos_memo"] == 0 and v["files_read"] == 0
    assert v["kept_entries"] >= 1 and c["kept_entries"] == 0
    assert v["dict_caches"] == 0
    assert v["rc"] == c["rc"] and v["figures_open_at_start"] == 0
    assert (c["lru_entries"], c["solpos_memo"], c["files_read"]) == (0, 0, 0)


def test_a_failing_warm_up_step_is_skipped_and_undone():
    import matplotlib as mpl
    from dcplan import pipeline

    def bad_step():
        mpl.rcParams["lines.linewidth"] = 7.0
        pipeline.site_weather(__import__("dcplan.site", fromlist=["x"]).load_portfolio("default")["phoenix-az"])
        print("noise")
        raise RuntimeError("boom")

    before = mpl.rcParams["lines.linewidth"]
    assert kz.warm_up(bad_step) is False
    assert mpl.rcParams["lines.linewidth"] == before
    assert pipeline.load_counts() == {}  # the weather it read is forgotten
    assert kz.warm_up(lambda: None) is True


def test_a_render_s_kernels_share_parsed_weather_and_leave_no_files(tmp_path):
    # two notebooks for one site, one after the other: the second finds the site's weather
    # already parsed by the first (in the render's .dcplan-tmp, removed with it), identical
    from dcplan.report import SHARED_WEATHER_ENV
    from dcplan.weather import SHARED_DIR_ENV
    assert SHARED_WEATHER_ENV == SHARED_DIR_ENV
    nbdir = tmp_path / "nbs"
    body = ("import hashlib, os, pathlib\nimport pandas as pd\n"
            "from dcplan.results import publish\nfrom dcplan.site import load_portfolio\n"
            "from dcplan.weather import load_site_weather\n"
            "folder = pathlib.Path(os.environ['DCPLAN_WEATHER_SHARED_DIR'])\n"
            "publish('shared_before', len(list(folder.glob('*.pkl'))))\n"
            "w = load_site_weather(load_portfolio(portfolio)[site])\n"
            "publish('digest', hashlib.sha256(pd.util.hash_pandas_object(w).to_numpy().tobytes()).hexdigest())\n"
            "publish('folder', str(folder))\n")
    for name in ("a_first", "b_second"):
        _nb_file(nbdir, name, 'site: str = "x"\nportfolio: str = "default"', body)
    pf = tmp_path / "pf.yaml"
    pf.write_text(ONE_SITE)
    out = tmp_path / "o"
    for warm in (True, False):
        s = render(portfolio=pf, out=out, jobs=1, notebook_dir=nbdir, progress=False, warm_kernels=warm,
                   force=True)
        assert s.ok, s.table()
        v = {r.run.notebook.stem: {k: x["value"] for k, x in r.results.items()} for r in s.results}
        assert v["a_first"]["shared_before"] == 0 and v["b_second"]["shared_before"] == 1
        assert v["a_first"]["digest"] == v["b_second"]["digest"]
        assert v["a_first"]["folder"].startswith(str(out / ".dcplan-tmp"))
        assert not (out / ".dcplan-tmp").exists()


@pytest.mark.parametrize("jobs", [1, 2])
def test_each_kernel_gets_its_share_of_the_cores(tmp_path, jobs):
    # render -j N: a notebook's own threads (optimize_each, the background rolling horizon)
    # keep to cores // N, so N kernels do not oversubscribe the machine
    nbdir = tmp_path / "nbs"
    _nb_file(nbdir, "cores", 'site: str = "x"\nportfolio: str = "default"',
             "import os\nfrom dcplan._cpu import threads\nfrom dcplan.results import publish\n"
             "publish('env', os.environ.get('DCPLAN_THREADS'))\npublish('threads', threads())\n")
    s = render(out=tmp_path / "o", jobs=jobs, notebook_dir=nbdir, progress=False)
    assert s.ok, s.table()
    want = max(1, (os.cpu_count() or 1) // jobs)
    for r in s.results:
        assert r.results["env"]["value"] == str(want)
        assert r.results["threads"]["value"] == want


def test_warm_up_leaves_the_zygote_single_threaded_and_without_the_inline_backend():
    # fork safety: the zygote must fork with one thread; and a kernel imports the inline
    # backend itself (that import is what hooks figures into IPython)
    import subprocess
    code = ("import sys, threading\nfrom dcplan import _kernel_zygote as kz\n"
            "import importlib\n[importlib.import_module(m) for m in kz.PRELOAD]\n"
            "ok = [kz.warm_up(s) for s in kz.WARMUP]\n"
            "print(all(ok), threading.active_count(), 'matplotlib_inline.backend_inline' in sys.modules)\n")
    env = {**os.environ, "MPLBACKEND": "module://matplotlib_inline.backend_inline"}
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=300, env=env)
    assert out.returncode == 0, out.stderr
    assert out.stdout.split() == ["True", "1", "False"]


_SWALLOWING_ZYGOTE = """
import importlib, os, sys, time
from dcplan import _kernel_zygote as kz
real = importlib.import_module
def swallowing(name, *a, **k):  # a preload import during which a SIGTERM's SystemExit is printed, not raised
    if name != "slow_preload":
        return real(name, *a, **k)
    end = time.monotonic() + 3.0
    while time.monotonic() < end:
        try:
            time.sleep(0.05)
        except SystemExit:  # as the interpreter does in an import's module-lock callback
            print("swallowed", flush=True)
importlib.import_module = swallowing
kz.serve(sys.argv[1], preload=("slow_preload",), warmup=(), parent=os.getppid())
"""


def test_zygote_stopped_while_its_exit_is_swallowed_still_stops(tmp_path):
    """A SIGTERM whose SystemExit the interpreter swallows (raised in a callback whose exceptions it only prints:
    seen as 'Exception ignored in ... _get_module_lock' in a CI run) still stops the zygote once the step it
    interrupted ends: it went on preloading and served until its render ended (here: never, the test waited
    30 s). Its socket is removed, as on a clean stop."""
    import subprocess
    sock = tmp_path / "zygote"
    proc = subprocess.Popen([sys.executable, "-c", _SWALLOWING_ZYGOTE, str(sock)], stdout=subprocess.PIPE,
                            text=True)
    try:
        deadline = time.monotonic() + 30
        while not sock.exists() and time.monotonic() < deadline and proc.poll() is None:
            time.sleep(0.02)
        assert sock.exists() and proc.poll() is None
        proc.send_signal(signal.SIGTERM)  # within the 3 s "import": its SystemExit is swallowed
        assert proc.wait(timeout=15) == 0
        assert "swallowed" in proc.stdout.read()
        assert not sock.exists()
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
