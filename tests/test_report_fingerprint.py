"""The git commit a run's provenance records (dcplan.report_fingerprint._git_commit).

A finance reviewer's finding: a render from a linked worktree (``git worktree add``, where ``.git`` is a file
``gitdir: ...``) recorded "(not a git checkout)" as its commit in results.json, the report's provenance block, the
TCO workbook's Provenance sheet and the site_analysis exports, though it ran from a commit. The reference is git
itself (``git rev-parse HEAD``), in a plain checkout, a linked worktree and after ``git pack-refs``."""
from __future__ import annotations

import shutil
import subprocess

import pytest

from dcplan.report_fingerprint import _git_commit

pytestmark = pytest.mark.skipif(shutil.which("git") is None, reason="needs the git command")


def _git(cwd, *args) -> str:
    env = {"GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@example.org", "GIT_COMMITTER_NAME": "t",
           "GIT_COMMITTER_EMAIL": "t@example.org", "GIT_CONFIG_GLOBAL": "/dev/null", "GIT_CONFIG_NOSYSTEM": "1",
           "PATH": "/usr/bin:/bin:/usr/local/bin"}
    return subprocess.run(["git", *args], cwd=cwd, env=env, check=True, capture_output=True, text=True).stdout.strip()


def test_the_commit_of_a_checkout_a_worktree_and_packed_refs_is_gits(tmp_path):
    repo = tmp_path / "repo"
    repo.mkdir()
    _git(repo, "init", "-q", "-b", "main")
    (repo / "a.txt").write_text("a\n")
    _git(repo, "add", "a.txt")
    _git(repo, "commit", "-q", "-m", "one")
    assert _git_commit(repo) == _git(repo, "rev-parse", "HEAD")
    # a linked worktree on its own branch, one commit ahead: .git is a file, its branch's ref in the common dir
    wt = tmp_path / "wt"
    _git(repo, "worktree", "add", "-q", str(wt), "-b", "side")
    assert (wt / ".git").is_file()
    (wt / "b.txt").write_text("b\n")
    _git(wt, "add", "b.txt")
    _git(wt, "commit", "-q", "-m", "two")
    side = _git(wt, "rev-parse", "HEAD")
    assert side != _git(repo, "rev-parse", "HEAD")
    assert _git_commit(wt) == side
    assert _git_commit(repo) == _git(repo, "rev-parse", "HEAD")   # the main checkout still its own
    # refs packed (no loose refs/heads/side any more): read from the common dir's packed-refs
    _git(repo, "pack-refs", "--all")
    assert not (repo / ".git" / "refs" / "heads" / "side").exists()
    assert _git_commit(wt) == side
    # a detached HEAD is the commit itself; outside a checkout there is none
    _git(wt, "checkout", "-q", "--detach")
    assert _git_commit(wt) == side
    (tmp_path / "plain").mkdir()
    assert _git_commit(tmp_path / "plain") is None
