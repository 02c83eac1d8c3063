"""Stop signals of ``dcplan render`` (:class:`dcplan.cli._SigtermAsInterrupt`): SIGHUP (a terminal
closed, an ssh session dropped) stops it cleanly as SIGTERM does (it killed it outright: exit 129
with no message, the index not rewritten, ``.dcplan-tmp`` left), and once a stop signal is caught
the later ones are ignored while it cleans up (under load a SIGTERM render sometimes ended with
exit 130, a second signal raised inside its clean-up)."""
from __future__ import annotations

import signal
import time

import pytest

from test_kernel_zygote import _all_gone, _start_slow_render

pytestmark = pytest.mark.slow


def test_sighup_stops_the_render_cleanly_with_exit_129(tmp_path):
    proc, pids = _start_slow_render(tmp_path)
    proc.send_signal(signal.SIGHUP)
    _, err = proc.communicate(timeout=30)
    assert proc.returncode == 128 + signal.SIGHUP and "dcplan: interrupted (SIGHUP)" in err, err
    assert _all_gone(pids, 10) == []
    out = tmp_path / "o"
    assert not (out / ".dcplan-tmp").exists()
    index = (out / "index.html").read_text()
    assert "This render was interrupted: 0 of its 2 run(s) ended before it." in index


def test_signals_after_the_first_are_ignored_while_it_cleans_up(tmp_path):
    proc, pids = _start_slow_render(tmp_path)
    proc.send_signal(signal.SIGTERM)
    time.sleep(0.05)
    for sig in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP, signal.SIGINT):
        if proc.poll() is None:
            proc.send_signal(sig)
    _, err = proc.communicate(timeout=30)
    assert proc.returncode == 143 and "dcplan: interrupted (SIGTERM)" in err, err  # the first signal's
    assert _all_gone(pids, 10) == []
    assert not (tmp_path / "o" / ".dcplan-tmp").exists()
