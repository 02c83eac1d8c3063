"""dcplan render never writes through a symbolic link in its reports folder: a ``.lock``,
``.dcplan-tmp``, ``_failed``, site, run or export folder there that is a link is refused (exit 2,
the message naming the path and saying to remove it) before anything is written, and the
link's target is left byte-identical; ``index.html`` and ``runs.json`` links are replaced by
files (security review: a shared reports folder must not let its writers empty or write into a
colleague's files through that colleague's render)."""
from __future__ import annotations

import hashlib
import os
import shutil
from pathlib import Path

import pytest

from dcplan.cli import main
from dcplan.errors import InputError
from dcplan.report import render
from dcplan.report_files import _lock_output, _place, atomic_write_text, make_scratch

from test_report import TWO_SITES, _nb

pytestmark = pytest.mark.skipif(os.name == "nt" or not hasattr(os, "symlink"),
                                reason="needs os.symlink and POSIX file locks")

BODY = "from dcplan.results import publish\npublish('site_len', len(site), unit='chars', headline=True)\n"


@pytest.fixture(scope="module")
def rendered(tmp_path_factory):
    """One notebook, a portfolio and a reports folder rendered once (copied by each test)."""
    base = tmp_path_factory.mktemp("symlinks")
    nbdir = base / "nbs"
    nbdir.mkdir()
    _nb(nbdir / "probe.ipynb", 'site: str = "x"\nportfolio: str = "default"', BODY)
    pf = base / "pf.yaml"
    pf.write_text(TWO_SITES)
    reports = base / "reports"
    s = render(portfolio=pf, sites=["phoenix-az"], out=reports, jobs=1, notebook_dir=nbdir, progress=False)
    assert s.ok, s.table()
    return nbdir, pf, reports


@pytest.fixture
def share(rendered, tmp_path):
    """A copy of the rendered reports folder (``share2``) and a victim's folder (``vault``)
    holding ``a.txt`` ("IMPORTANT v1") and a folder ``d`` with a file."""
    nbdir, pf, reports = rendered
    out = tmp_path / "share2"
    shutil.copytree(reports, out, symlinks=True)
    (out / ".lock").unlink()  # render's (empty) lock: each test puts its own there
    vault = tmp_path / "vault"
    (vault / "d").mkdir(parents=True)
    (vault / "a.txt").write_text("IMPORTANT v1\n")
    (vault / "d" / "keep.txt").write_text("keep me\n")
    return nbdir, pf, out, vault


def _snapshot(folder: Path) -> dict:
    """Every entry under ``folder`` (not following links) with its bytes' SHA-256."""
    snap = {}
    for root, dirs, files in os.walk(folder):
        for name in dirs + files:
            p = Path(root) / name
            snap[str(p.relative_to(folder))] = (os.readlink(p) if p.is_symlink() else
                                                hashlib.sha256(p.read_bytes()).hexdigest() if p.is_file() else "dir")
    return snap


def _render_cli(nbdir, pf, out, capsys) -> tuple[int, str]:
    rc = main(["render", "--portfolio", str(pf), "--notebook-dir", str(nbdir), "--sites", "phoenix-az",
               "--out", str(out), "--force", "-q"])
    return rc, capsys.readouterr().err.strip()


def _expected(path: Path, what: str, why: str, fix: str) -> str:
    return (f"dcplan: error: {path}: {what}; {why} and never writes through a link or into what it did not "
            f"make: {fix} and render again, or give --out another folder")


LOCK_WHY = "render locks the folder with this file"
TMP_WHY = "render writes its scratch (parsed weather, executed notebooks) there"
RUN_WHY = "render replaces this folder's reports (or marks them not current)"


def test_a_symlinked_lock_is_refused_and_its_target_keeps_its_bytes(share, capsys):
    nbdir, pf, out, vault = share
    os.symlink(vault / "a.txt", out / ".lock")
    before, vault_before = _snapshot(out), _snapshot(vault)
    rc, err = _render_cli(nbdir, pf, out, capsys)
    assert rc == 2
    lock = out / ".lock"
    assert err == _expected(lock, f"is a symbolic link (to {vault / 'a.txt'})", LOCK_WHY,
                            f"remove the link (rm {lock})")
    assert (vault / "a.txt").read_text() == "IMPORTANT v1\n"  # was emptied (open(".lock", "w"))
    assert _snapshot(vault) == vault_before
    assert _snapshot(out) == before  # nothing written: no scratch, index or runs.json rewritten


def test_the_lock_itself_never_follows_a_link_nor_truncates(share):
    """The last line of defence (a link made after the check): ``_lock_output`` opens with
    O_NOFOLLOW and without O_TRUNC; a hard link (which O_NOFOLLOW cannot see) keeps its bytes."""
    nbdir, pf, out, vault = share
    lock = out / ".lock"
    os.symlink(vault / "a.txt", lock)
    with pytest.raises(InputError, match=r"\.lock: is a symbolic link"):
        _lock_output(out)
    lock.unlink()
    os.symlink(vault / "missing.txt", lock)  # dangling: not created through the link either
    with pytest.raises(InputError, match=r"\.lock: is a symbolic link"):
        _lock_output(out)
    assert not (vault / "missing.txt").exists()
    lock.unlink()
    lock.mkdir()
    with pytest.raises(InputError, match=r"\.lock: is a folder, not a file; render locks"):
        _lock_output(out)
    lock.rmdir()
    os.link(vault / "a.txt", lock)
    fh = _lock_output(out)
    fh.close()
    assert (vault / "a.txt").read_text() == "IMPORTANT v1\n"  # 13 bytes, not 0
    lock.unlink()
    fh = _lock_output(out)  # the ordinary case: an empty lock file made
    fh.close()
    assert lock.is_file() and not lock.is_symlink() and lock.stat().st_size == 0


def test_a_symlinked_scratch_folder_is_refused_and_nothing_is_written_there(share, capsys):
    nbdir, pf, out, vault = share
    tmp = out / ".dcplan-tmp"
    os.symlink(vault / "d", tmp)
    vault_before = _snapshot(vault)
    rc, err = _render_cli(nbdir, pf, out, capsys)
    assert rc == 2
    assert err == _expected(tmp, f"is a symbolic link (to {vault / 'd'})", TMP_WHY, f"remove the link (rm {tmp})")
    assert _snapshot(vault) == vault_before  # no render-<id>/weather/*.pkl in the vault
    assert tmp.is_symlink()  # not removed either: the user's to remove
    # made a link between the check and the scratch folder's making: refused too
    with pytest.raises(InputError, match=r"\.dcplan-tmp: is a symbolic link"):
        make_scratch(out, "0123456789ab")
    assert _snapshot(vault) == vault_before
    tmp.unlink()
    tmp.write_text("not a folder")
    rc, err = _render_cli(nbdir, pf, out, capsys)
    assert rc == 2 and err == _expected(tmp, "is not a folder", TMP_WHY, "remove it")


@pytest.mark.parametrize("where", ["run", "site", "failed", "outputs"])
def test_a_symlinked_site_run_or_failed_folder_is_refused_left_in_place_and_its_target_untouched(
        share, capsys, where):
    nbdir, pf, out, vault = share
    link = {"run": out / "phoenix-az" / "probe", "site": out / "phoenix-az", "failed": out / "_failed",
            "outputs": out / "phoenix-az" / "probe" / "outputs"}[where]
    if link.exists():
        shutil.rmtree(link)
    os.symlink(vault / "d", link)
    before, vault_before = _snapshot(out), _snapshot(vault)
    rc, err = _render_cli(nbdir, pf, out, capsys)
    assert rc == 2
    assert err == _expected(link, f"is a symbolic link (to {vault / 'd'})", RUN_WHY, f"remove the link (rm {link})")
    assert _snapshot(vault) == vault_before
    assert _snapshot(out) == before  # the link is where it was: no stray .probe.old-<hex> link
    assert not list(out.glob("*/.*.old-*"))


def test_place_never_moves_a_link_aside(tmp_path):
    """A run folder made a link during the render: the run's outputs are not placed (an OSError,
    which the run reports, its outputs kept), the link and its target are left as they were."""
    target = tmp_path / "elsewhere"
    target.mkdir()
    (target / "report.html").write_text("theirs")
    final = tmp_path / "out" / "phoenix-az" / "probe"
    final.parent.mkdir(parents=True)
    os.symlink(target, final)
    new = tmp_path / "new"
    new.mkdir()
    (new / "report.html").write_text("ours")
    with pytest.raises(OSError, match="is a symbolic link; remove it"):
        _place(new, final)
    assert final.is_symlink() and (target / "report.html").read_text() == "theirs"
    assert sorted(p.name for p in target.iterdir()) == ["report.html"]
    assert (new / "report.html").read_text() == "ours"
    assert [p.name for p in final.parent.iterdir()] == ["probe"]  # no .probe.old-<hex>


def test_index_and_runs_json_links_are_replaced_by_files_not_written_through(share, rendered, tmp_path):
    """``index.html`` and ``runs.json`` are written to a temporary file renamed over them: a link
    there is replaced by a file and its target keeps its bytes."""
    nbdir, pf, out, vault = share
    other = tmp_path / "other-reports"  # a colleague's reports folder, linked into this one
    shutil.copytree(rendered[2], other, symlinks=True)
    other_before = _snapshot(other)
    for name in ("index.html", "runs.json"):
        (out / name).unlink()
        os.symlink(other / name, out / name)
    s = render(portfolio=pf, sites=["phoenix-az"], out=out, jobs=1, notebook_dir=nbdir, progress=False, force=True)
    assert s.ok, s.table()
    for name in ("index.html", "runs.json"):
        assert (out / name).is_file() and not (out / name).is_symlink()
    assert _snapshot(other) == other_before
    # the primitive itself, on a link to the vault's file
    os.symlink(vault / "a.txt", tmp_path / "link.txt")
    atomic_write_text(tmp_path / "link.txt", "new text")
    assert not (tmp_path / "link.txt").is_symlink() and (tmp_path / "link.txt").read_text() == "new text"
    assert (vault / "a.txt").read_text() == "IMPORTANT v1\n"


def test_a_sweeps_linked_lock_file_is_refused_and_its_target_kept(tmp_path):
    """dcplan.sweep_files.results_lock opened ``.<results>.lock`` with open(..., "w"): a link there
    emptied its target, as render's .lock did."""
    from dcplan.errors import InputError
    from dcplan.sweep_files import results_lock
    target = tmp_path / "vault.txt"
    target.write_text("IMPORTANT v1")
    results = tmp_path / "sweeps" / "s.parquet"
    results.parent.mkdir()
    os.symlink(target, results.with_name(".s.parquet.lock"))
    with pytest.raises(InputError, match="cannot be opened"):
        with results_lock(results):
            pass
    assert target.read_text() == "IMPORTANT v1"
