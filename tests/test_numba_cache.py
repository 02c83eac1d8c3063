"""dcplan imports and runs its ``@njit(cache=True)`` kernels when numba's default cache folders are not writable.

A platform engineer's read-only install, run by a user without a writable home, died at import with
``RuntimeError: cannot cache function '_sq_cum': no locator available``. dcplan/_numba_cache.py picks a folder
first. The unit tests drive the decision with ``os.access`` / ``tempfile`` monkeypatched; the subprocess tests
build a genuinely hostile layout that stops root too (chmod does not): a copy of the package whose ``__pycache__``
is a *file* (numba's ``os.makedirs`` fails) and a ``HOME`` under a file (so ``~/.cache/numba`` cannot be made).

Kernel check by hand: ``power_timegrid._sq_cum(t=7.5, phase=0, inv_period=0.5, period=2, dur=0.5)`` integrates
the indicator of [2k, 2k + 0.5) from the origin to 7.5: windows at 0, 2, 4, 6 are whole, 4 x 0.5 = 2.0.
"""
from __future__ import annotations

import os
import shutil
import stat
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from dcplan import _numba_cache as nc

ROOT = Path(__file__).resolve().parent.parent
SQ_CUM_BY_HAND = 2.0  # 4 whole windows of 0.5 in [0, 7.5) (module docstring)


# ------------------------------------------------------------------ the decision, unit by unit
def _deny(monkeypatch, *denied: Path):
    """os.access says no for anything at or under ``denied`` (as a read-only mount would)."""
    real = os.access
    denied_s = [str(d) for d in denied]

    def access(path, mode, *a, **k):
        p = os.path.abspath(path)
        if any(p == d or p.startswith(d + os.sep) for d in denied_s):
            return False
        return real(path, mode, *a, **k)

    monkeypatch.setattr(nc.os, "access", access)


@pytest.fixture
def hostile(tmp_path, monkeypatch):
    """A package folder and a HOME that os.access reports unwritable; the temp dir under tmp_path."""
    pkg, home, tmp = tmp_path / "site" / "dcplan", tmp_path / "home", tmp_path / "tmp"
    for d in (pkg, home, tmp):
        d.mkdir(parents=True)
    _deny(monkeypatch, pkg, home)
    monkeypatch.setattr(nc.tempfile, "gettempdir", lambda: str(tmp))
    env = {"HOME": str(home)}
    monkeypatch.setenv("HOME", str(home))  # os.path.expanduser reads the process's HOME
    monkeypatch.delenv("XDG_CACHE_HOME", raising=False)
    return pkg, env, tmp


def test_a_users_own_numba_cache_dir_is_left_alone(hostile):
    pkg, env, _ = hostile
    env["NUMBA_CACHE_DIR"] = "/srv/my-numba-cache"
    assert nc.configure(env, pkg) == ("user", "/srv/my-numba-cache")
    assert env["NUMBA_CACHE_DIR"] == "/srv/my-numba-cache"


def test_a_writable_package_folder_keeps_numbas_default(tmp_path):
    pkg = tmp_path / "dcplan"
    pkg.mkdir()
    env = {"HOME": str(tmp_path)}
    assert nc.decide(env, pkg) == ("in-tree", None)
    assert "NUMBA_CACHE_DIR" not in env


def test_read_only_package_with_a_writable_user_cache_keeps_numbas_default(hostile, tmp_path):
    pkg, env, _ = hostile
    env["XDG_CACHE_HOME"] = str(tmp_path / "xdg")  # not made yet: its parent tmp_path is writable
    assert nc.decide(env, pkg) == ("user-wide", None)


def test_neither_writable_sets_a_private_per_user_temp_folder(hostile):
    pkg, env, tmp = hostile
    kind, folder = nc.configure(env, pkg)
    want = tmp / f"dcplan-numba-{os.getuid()}"
    assert (kind, folder) == ("temp", str(want))
    assert env["NUMBA_CACHE_DIR"] == str(want)
    st = os.lstat(want)
    assert stat.S_ISDIR(st.st_mode) and st.st_uid == os.getuid() and stat.S_IMODE(st.st_mode) & 0o077 == 0
    assert nc.configure(dict(env, NUMBA_CACHE_DIR=""), pkg) == ("temp", str(want))  # made once, reused after


@pytest.mark.parametrize("plant", ["group-writable folder", "symlink", "file"])
def test_a_planted_temp_folder_is_not_reused(hostile, tmp_path, plant):
    # numba's cache index is a pickle: a folder others can write (or a link to one) must not be trusted
    pkg, env, tmp = hostile
    planted = tmp / f"dcplan-numba-{os.getuid()}"
    if plant == "group-writable folder":
        planted.mkdir()
        planted.chmod(0o777)
    elif plant == "symlink":
        (tmp_path / "elsewhere").mkdir()
        planted.symlink_to(tmp_path / "elsewhere")
    else:
        planted.write_text("")
    kind, folder = nc.decide(env, pkg)
    assert kind == "temp" and Path(folder).parent == tmp and Path(folder) != planted
    assert Path(folder).name.startswith("dcplan-numba-") and stat.S_IMODE(os.lstat(folder).st_mode) == 0o700


def test_no_writable_folder_at_all_compiles_uncached(hostile, monkeypatch):
    pkg, env, _ = hostile

    def no_tmp():
        raise FileNotFoundError("No usable temporary directory found")

    monkeypatch.setattr(nc.tempfile, "gettempdir", no_tmp)
    called = []
    monkeypatch.setattr(nc, "_compile_without_cache", lambda p: called.append(p))
    assert nc.configure(env, pkg) == ("none", None)
    assert "NUMBA_CACHE_DIR" not in env and called == [pkg]


def test_writable_dir_and_numbas_user_wide_folder(tmp_path, monkeypatch):
    (tmp_path / "afile").write_text("")
    assert nc.writable_dir(tmp_path / "not" / "made" / "yet")  # makedirs would succeed under tmp_path
    assert not nc.writable_dir(tmp_path / "afile")  # a file where a folder should be
    assert not nc.writable_dir(tmp_path / "afile" / "sub")  # cannot be made under a file
    # numba.misc.appdirs.user_cache_dir("numba", False): the same folder, computed without importing numba
    from numba.misc.appdirs import user_cache_dir
    monkeypatch.setenv("HOME", str(tmp_path / "h"))
    monkeypatch.delenv("XDG_CACHE_HOME", raising=False)
    assert nc.user_wide_cache_dir(os.environ) == Path(user_cache_dir("numba", False)) == tmp_path / "h/.cache/numba"
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "x"))
    assert nc.user_wide_cache_dir(os.environ) == Path(user_cache_dir("numba", False)) == tmp_path / "x" / "numba"


# ------------------------------------------------------------------ a real hostile layout, in a subprocess
@pytest.fixture
def layout(tmp_path):
    """A copy of dcplan whose __pycache__ is a file, a HOME under a file, a private TMPDIR."""
    site = tmp_path / "site"
    shutil.copytree(ROOT / "dcplan", site / "dcplan", ignore=shutil.ignore_patterns("__pycache__"))
    (site / "dcplan" / "__pycache__").write_text("a file: numba cannot make its in-tree cache here\n")
    (tmp_path / "homefile").write_text("")
    tmp = tmp_path / "tmp"
    tmp.mkdir()
    env = {k: v for k, v in os.environ.items() if not k.startswith("NUMBA_") and k != "XDG_CACHE_HOME"}
    env.update(HOME=str(tmp_path / "homefile" / "home"), TMPDIR=str(tmp), PYTHONPATH=str(site))
    return site, tmp, env


def _run(code: str, env: dict, cwd: Path) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-c", code], env=env, cwd=cwd, capture_output=True,
                          text=True, timeout=300)


KERNEL = textwrap.dedent("""
    import dcplan
    from dcplan import power_timegrid as pt
    assert dcplan.__file__.startswith({site!r}), dcplan.__file__  # the copy, not the checkout
    print(dcplan._numba_cache.DECISION)
    print(pt._sq_cum(7.5, 0.0, 0.5, 2.0, 0.5))
    print(pt._sq_cum.stats.cache_hits.get(pt._sq_cum.signatures[0], 0) if pt._sq_cum.signatures else 0)
""")


def test_the_layout_breaks_numbas_own_caching(layout, tmp_path):
    # control: without dcplan's choice numba raises at decoration, as the platform engineer saw
    site, _, env = layout
    ctl = tmp_path / "ctl"
    ctl.mkdir()
    (ctl / "__pycache__").write_text("")
    (ctl / "kern.py").write_text("from numba import njit\n\n@njit(cache=True)\ndef f(x):\n    return x\n")
    r = _run("import kern", dict(env, PYTHONPATH=str(ctl)), ctl)
    assert r.returncode != 0 and "no locator available" in r.stderr, r.stderr[-1500:]


@pytest.mark.parametrize("numba_first", [False, True], ids=["dcplan-first", "numba-imported-first"])
def test_read_only_package_and_home_import_and_cache_in_temp(layout, numba_first):
    site, tmp, env = layout
    code = ("import numba\n" if numba_first else "") + KERNEL.format(site=str(site))
    first = _run(code, env, tmp)
    assert first.returncode == 0, first.stderr[-2000:]
    cache = tmp / f"dcplan-numba-{os.getuid()}"
    decision, value, _ = first.stdout.split("\n")[:3]
    assert decision == repr(("temp", str(cache)))
    assert float(value) == pytest.approx(SQ_CUM_BY_HAND, abs=1e-12)
    assert list(cache.rglob("power_timegrid._sq_cum-*.nbi")), "numba wrote no cache index there"
    again = _run(code, env, tmp)  # a second process loads the compiled kernel from that folder
    assert again.returncode == 0, again.stderr[-2000:]
    assert int(again.stdout.split("\n")[2]) >= 1, "the second run did not hit the cache"


def test_no_writable_folder_at_all_still_runs_the_kernel(layout):
    site, tmp, env = layout
    code = textwrap.dedent("""
        import tempfile
        real = tempfile.gettempdir
        def none():
            raise FileNotFoundError("No usable temporary directory found")
        tempfile.gettempdir = none
        import dcplan
        tempfile.gettempdir = real
    """) + KERNEL.format(site=str(site))
    r = _run(code, env, tmp)
    assert r.returncode == 0, r.stderr[-2000:]
    decision, value, hits = r.stdout.split("\n")[:3]
    assert decision == repr(("none", None)) and int(hits) == 0
    assert float(value) == pytest.approx(SQ_CUM_BY_HAND, abs=1e-12)
    assert not list(tmp.iterdir()), "nothing may be cached when no folder is writable"
