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


def _tariffless_site(folder, site_id: str, requested_mw: float):
    """Phoenix (384 HGX B200 servers) without its tariff: section (so offpeak_scheduling and tco are
    n/a there: nothing executes), its grid request set to ``requested_mw`` in one phase."""
    import yaml
    f = bundled_site_copy(folder, "phoenix-az", site_id, interconnection={
        "requested_mw": requested_mw, "phases": [{"energized": "2026-09-01", "mw": requested_mw}]})
    d = yaml.safe_load(f.read_text())
    del d["tariff"]
    d["name"] = f"Phoenix, AZ ({site_id})"  # copies of one site in a portfolio: each its own name
    f.write_text(yaml.safe_dump(d, sort_keys=False))
    return f


def _plausibility_portfolio(tmp_path):
    far = _tariffless_site(tmp_path, "far", 5000)  # far above 20 x the fleet's nameplate IT (~5.6 MW)
    short = _tariffless_site(tmp_path, "short", 2)  # below its design IT power
    other = _tariffless_site(tmp_path, "other", 4000)  # not selected below
    pf = tmp_path / "pf.yaml"
    pf.write_text(f"name: t\nsites: [{far}, {short}, {other}]\n")
    return pf, far, short, other


def _validate_warnings(path) -> list[str]:
    """The warnings ``dcplan validate PATH`` issues (for these sites: only the plausibility ones; their
    station and time zone are Phoenix's, which match)."""
    from dcplan.errors import DcplanWarning
    from dcplan.validate import validate_file
    with warnings.catch_warnings(record=True) as got:
        warnings.simplefilter("always", DcplanWarning)
        assert validate_file(path) == []
    return [str(w.message) for w in got]


def test_render_shows_validates_plausibility_warnings_once_per_rendered_site(tmp_path):
    pf, far, short, other = _plausibility_portfolio(tmp_path)
    want = {f: _validate_warnings(f) for f in (far, short, other)}
    # hand: 5,000 MW is far above any 20 x of a 384-server fleet; 2 MW = 2,000 kW is below its design IT
    assert [w.startswith(f"{far}: interconnection.requested_mw: 5,000 MW is ") for w in want[far]] == [True]
    assert [w.startswith(f"{short}: interconnection.requested_mw: 2 MW (2,000 kW) is below the fleet's design IT "
                         "power") for w in want[short]] == [True]
    # two notebooks per site (four runs, all n/a: no tariff): each site's warning once, before the summary,
    # as dcplan validate gives it, in the one-line form; the unselected site's not at all; the render goes on
    r = subprocess.run([sys.executable, "-m", "dcplan", "render", "-q", "--portfolio", str(pf), "--sites", "far",
                        "short", "--notebooks", "offpeak_scheduling", "tco", "--out", str(tmp_path / "r"), "-j", "1"],
                       capture_output=True, text=True, timeout=300)
    assert r.returncode == 0, r.stderr
    assert "no runs executed; 4 not applicable" in r.stdout
    lines = r.stderr.strip().splitlines()
    assert sorted(lines) == sorted(f"dcplan: warning: {w}" for w in want[far] + want[short]), r.stderr
    assert not any(str(other) in line for line in lines)
    assert ".py:" not in r.stderr and "DcplanWarning" not in r.stderr


def test_plan_warns_every_site_a_portfolio_notebook_reads_and_only_when_asked(tmp_path):
    import pytest

    from dcplan.errors import DcplanWarning
    from dcplan.report_plan import plan_runs
    pf, far, short, other = _plausibility_portfolio(tmp_path)
    with warnings.catch_warnings(record=True) as got:
        warnings.simplefilter("always", DcplanWarning)
        plan_runs(pf, sites=["far"], notebooks=["tco"], out=tmp_path / "r", plausibility_warnings=True)
    assert [str(w.message).split(":")[0] for w in got] == [str(far)]
    # a portfolio notebook reads every site of the portfolio: each warned once
    with warnings.catch_warnings(record=True) as got:
        warnings.simplefilter("always", DcplanWarning)
        plan_runs(pf, sites=["far"], notebooks=["tco", "portfolio_comparison"], out=tmp_path / "r",
                  plausibility_warnings=True)
    assert sorted(str(w.message).split(":")[0] for w in got) == sorted(map(str, (far, short, other)))
    # the Python API's default: none (pytest makes a DcplanWarning an error)
    assert len(plan_runs(pf, sites=["far"], notebooks=["tco"], out=tmp_path / "r")) == 1
    with pytest.raises(DcplanWarning, match="interconnection.requested_mw: 5,000 MW is"):
        plan_runs(pf, sites=["far"], notebooks=["tco"], out=tmp_path / "r", plausibility_warnings=True)
