"""dcplan's own warnings on the command line: one line each, ``dcplan: warning: ...``.

A black-box tester saw a time-zone warning from ``dcplan validate`` printed as Python prints
it: ``/path/dcplan/weather_check.py:539: DcplanWarning: ...`` and then a line of dcplan's
source (``return station_problems(site, station)``).
"""
from __future__ import annotations

import subprocess
import sys
import warnings

from conftest import bundled_site_copy

from dcplan.cli import main


def test_a_dcplan_warning_prints_as_one_plain_line(tmp_path, capsys):
    f = bundled_site_copy(tmp_path, "phoenix-az", "denver-clock")
    f.write_text(f.read_text().replace("timezone: America/Phoenix", "timezone: America/Denver"))
    # a process of its own: as a user runs it (pytest records warnings, and makes DcplanWarning an error)
    r = subprocess.run([sys.executable, "-m", "dcplan", "validate", str(f)], capture_output=True, text=True,
                       timeout=120)
    assert r.returncode == 0, r.stderr
    err = r.stderr
    lines = err.strip().splitlines()
    assert len(lines) == 1, err
    assert lines[0].startswith(f"dcplan: warning: {f}: timezone: 'America/Denver' keeps daylight saving in 2025")
    assert ".py:" not in err and "DcplanWarning" not in err
    # while a command runs, other warnings keep Python's form; the format is restored after it
    from dcplan.cli import _plain_warnings
    from dcplan.errors import DcplanWarning
    before = warnings.formatwarning
    with _plain_warnings():
        assert warnings.formatwarning("x", DcplanWarning, "m.py", 3) == "dcplan: warning: x\n"
        assert warnings.formatwarning("x", UserWarning, "m.py", 3).startswith("m.py:3: UserWarning: x")
    assert warnings.formatwarning is before
    assert main(["sites"]) == 0
    capsys.readouterr()
    assert warnings.formatwarning is before
