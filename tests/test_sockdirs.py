"""Socket folders in the system temp folder: a killed render's are removed by the next one."""
import os
import subprocess
import sys

from dcplan import _sockdirs


def _dead_pid() -> int:
    p = subprocess.Popen([sys.executable, "-c", "pass"])
    p.wait()
    return p.pid  # reaped: no such process (unless the pid is reused at once: then the folder is kept)


def test_stale_folder_of_a_dead_process_is_removed(tmp_path):
    host = _sockdirs._host()
    dead = tmp_path / f"dcplan-k-{host}-{_dead_pid()}-abc_12"
    dead.mkdir()
    (dead / "k-1").write_text("")  # stands in for a socket
    zdead = tmp_path / f"dcplan-z-{host}-{_dead_pid()}-x9"
    zdead.mkdir()
    assert sorted(_sockdirs.remove_stale(str(tmp_path))) == sorted([str(dead), str(zdead)])
    assert not dead.exists() and not zdead.exists()


def test_live_foreign_and_unrelated_folders_are_kept(tmp_path):
    host = _sockdirs._host()
    keep = [tmp_path / f"dcplan-k-{host}-{os.getpid()}-mine",     # this process
            tmp_path / f"dcplan-k-{host}-{os.getppid()}-parent",  # a live process
            tmp_path / f"dcplan-k-{'0' * 6 if host != '0' * 6 else '1' * 6}-{_dead_pid()}-otherhost",
            tmp_path / f"dcplan-{_dead_pid()}-legacy",            # another naming
            tmp_path / "unrelated"]
    for d in keep:
        d.mkdir()
    (tmp_path / f"dcplan-k-{host}-{_dead_pid()}-afile").write_text("")  # a file, not a folder
    assert _sockdirs.remove_stale(str(tmp_path)) == []
    assert all(d.exists() for d in keep)


def test_made_folder_is_named_for_this_host_and_process():
    d = _sockdirs.make("k")
    try:
        name = os.path.basename(d)
        assert name.startswith(f"dcplan-k-{_sockdirs._host()}-{os.getpid()}-")
        assert oct(os.stat(d).st_mode & 0o777) == "0o700"
        assert _sockdirs.remove_stale(os.path.dirname(d)).count(d) == 0  # ours, alive
    finally:
        os.rmdir(d)
