"""What a sweep says while it runs (dcplan.sweep_messages): each kind of warning once, a run-time
estimate for a long sweep, the 1,000,000-case refusal's core-hours from the measured per-case time,
and a file override not found naming every folder looked in.

A site-selection lead's 1,000,000-case sweep printed one full "inlet setpoint below 21 degC" line per
case (363 lines after 1,135 cases); its refusal message said "about 7 core-hours" from a 25 ms per case
figure while 56-58 ms CPU was measured.
"""
from __future__ import annotations

import re
import time
import warnings

import pytest

from conftest import ROOT

from dcplan.errors import DcplanWarning, InputError
from dcplan.site import load_portfolio
from dcplan.sweep import SweepSpec, run_sweep
from dcplan.sweep_messages import (CASE_CPU_S, WarningTally, runtime_estimate_text, warning_kind)

CASE = "test_sweep_messages:warning_case"


def warning_case(site, weather=None):
    """A sweep case that warns with its own value, as the plant's inlet-setpoint warning does."""
    t = float(site.solar.dc_kw)
    warnings.warn(f"{site.id}: chilled water is {t / 100:g} degC, below 15 degC", DcplanWarning)
    if t >= 300:
        warnings.warn("a second kind, given by some cases", DcplanWarning)
    return {"dc_kw": t}


def slow_case(site, weather=None):
    """A case of at least 20 ms (its measured time is what the estimate extrapolates)."""
    time.sleep(0.02)
    return {"dc_kw": float(site.solar.dc_kw)}


@pytest.fixture(scope="module")
def phx():
    return load_portfolio()["phoenix-az"]


def _spec(site, n: int, case: str = CASE) -> SweepSpec:
    return SweepSpec(sites=[site], case=case, name="msgs", axes={"solar.dc_kw": [100.0 * i for i in range(n)]})


def test_warnings_of_one_kind_differ_only_in_their_numbers():
    a = warning_kind("DcplanWarning", "inlet_setpoint_degc 18.0909 - crah_approach_k 6 K: 12.0909 degC")
    b = warning_kind("DcplanWarning", "inlet_setpoint_degc 20 - crah_approach_k 6 K: 14 degC")
    assert a == b
    assert a != warning_kind("DcplanWarning", "tower approach 18 degC")
    assert a != warning_kind("UserWarning", "inlet_setpoint_degc 20 - crah_approach_k 6 K: 14 degC")


def test_tally_shows_the_first_of_each_kind_and_counts_the_other_cases():
    t = WarningTally()
    w = DcplanWarning
    shown = [t.add([(w, f"x is {v} degC", "f", 1), (w, f"x is {v + 1} degC", "f", 2)]) for v in (1, 2, 3)]
    # the first case's first warning only (its second is the same kind: one case counts once)
    assert [len(s) for s in shown] == [1, 0, 0] and shown[0][0][1] == "x is 1 degC"
    assert "2 more case(s): 'x is 1 degC'" in t.summary()
    assert WarningTally().summary() == ""


@pytest.mark.parametrize("jobs", [1, 2])
def test_a_sweep_shows_each_kind_once_and_one_line_counting_the_rest(phx, jobs):
    """6 cases (dc_kw 0..500): each warns once with its value; dc_kw 300, 400, 500 also give a second kind.
    Expected: the first case's warning in full, the second kind's first (dc_kw 300) in full, then one
    summary line: 5 more cases of the first kind, 2 more of the second. With jobs=2 the warnings are
    given in worker processes and come back with the rows."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("default")
        res = run_sweep(_spec(phx, 6), jobs=jobs, write=False)
    assert res.ok, res.failed
    texts = [str(w.message) for w in caught if issubclass(w.category, DcplanWarning)]
    first = [t for t in texts if "chilled water" in t and not t.startswith("the warnings above")]
    assert len(first) == 1 and re.fullmatch(r"phoenix-az: chilled water is \d+(\.\d+)? degC, below 15 degC", first[0])
    assert texts.count("a second kind, given by some cases") == 1
    summary = [t for t in texts if t.startswith("the warnings above")]
    assert len(summary) == 1 and texts[-1] == summary[0]
    assert "5 more case(s): 'phoenix-az: chilled water is" in summary[0]
    assert "2 more case(s): 'a second kind" in summary[0]
    assert "warnings" not in res.frame.columns and "_warnings" not in res.frame.columns


def test_the_cli_prints_one_line_per_kind(tmp_path):
    """The real command (a subprocess: pytest records warnings instead of printing them)."""
    import os
    import subprocess
    import sys
    spec = tmp_path / "s.yaml"
    spec.write_text("name: s\nsite: phoenix-az\naxes:\n  solar.dc_kw: [0, 100, 200, 300]\n")
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(ROOT / "tests"), os.environ.get("PYTHONPATH", "")])}
    p = subprocess.run([sys.executable, "-m", "dcplan", "sweep", str(spec), "--case", CASE, "-j", "1", "-q",
                        "--out", str(tmp_path / "s.parquet")], capture_output=True, text=True, env=env, timeout=300)
    assert p.returncode == 0, p.stderr
    lines = [ln for ln in p.stderr.splitlines() if ln.startswith("dcplan: warning:")]
    # 4 cases gave 5 warnings (the fourth gave two kinds): 2 shown in full, 1 summary line
    assert lines[:2] == ["dcplan: warning: phoenix-az: chilled water is 0 degC, below 15 degC",
                         "dcplan: warning: a second kind, given by some cases"], p.stderr
    assert len(lines) == 3 and "3 more case(s)" in lines[2], p.stderr


def test_a_warning_a_filter_makes_an_error_fails_its_case_and_not_the_sweep(phx):
    """pytest's own filter here: DcplanWarning is an error. In this process the case that warns fails (as
    before); from worker processes (no such filter) the warning comes back and is shown, not raised."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("error", DcplanWarning)
        res = run_sweep(_spec(phx, 2), jobs=1, write=False)
    assert res.n_failed == 2 and res.failed["error"].str.contains("chilled water").all()
    assert caught == []


def test_runtime_estimate_arithmetic():
    # 1,000,000 cases x 0.057 s / 2 processes = 28,500 s = 7.9 h; 57,000 CPU-s = 15.8 core-hours
    text = runtime_estimate_text(1_000_000, 0.057, 2, 16)
    assert "1,000,000 cases to run at about 57 ms each" in text and "on 2 process(es)" in text
    assert "about 7.9 h" in text and "(15.8 core-hours)" in text
    # 20,000 x 0.09 s / 4 = 450 s = 8 min
    assert "about 8 min" in runtime_estimate_text(20_000, 0.09, 4, 16)


def test_a_long_sweep_says_how_long_it_will_take_from_its_first_cases(phx, monkeypatch):
    """Threshold lowered from 10,000 to 20 cases (the rule, not the size): 40 cases of >= 20 ms each, in
    this process. One note, after the first 16 cases: the other 24 at their median time / 1 process."""
    import dcplan.sweep as sweep
    monkeypatch.setattr(sweep, "ESTIMATE_ABOVE_CASES", 20)
    notes = []
    res = run_sweep(_spec(phx, 40, "test_sweep_messages:slow_case"), jobs=1, write=False, notify=notes.append)
    est = [n for n in notes if "cases to run" in n]
    assert len(est) == 1, notes
    m = re.match(r"([\d,]+) cases to run at about (\d+) ms each \(median of the first (\d+)", est[0])
    left, ms, measured = int(m[1].replace(",", "")), int(m[2]), int(m[3])
    assert (left, measured) == (40 - 16, 16)
    assert ms >= 20  # each case sleeps 20 ms
    first = res.frame["seconds"].iloc[:16]
    assert ms == round(1000 * first.median())  # the measured cases' own median, not a constant
    # a sweep at or below the threshold says nothing of its run time
    notes.clear()
    run_sweep(_spec(phx, 20, "test_sweep_messages:slow_case"), jobs=1, write=False, notify=notes.append)
    assert not [n for n in notes if "cases to run" in n]


def test_the_million_case_refusal_states_core_hours_of_the_measured_case_time(phx):
    """1,000,000 cases x 0.060 s = 60,000 CPU-s = 16.7 -> "about 17 core-hours" (was "about 7" at 25 ms)."""
    assert CASE_CPU_S == pytest.approx(0.060)
    with pytest.raises(InputError) as e:
        SweepSpec(sites=[phx], name="big", axes={"solar.dc_kw": {"min": 0, "max": 1, "steps": 1001},
                                                 "cooling.margin_frac": {"min": 0, "max": 1, "steps": 1000}})
    assert "about 17 core-hours of site-years at about 60 ms CPU each" in str(e.value)
    readme = (ROOT / "README.md").read_text()
    assert "about 60 ms of CPU" in readme and "a million cases are about\n17 core-hours" in readme
    assert "about\n25 ms" not in readme and "25 ms" not in readme


def test_a_tariff_file_not_found_names_every_folder_looked_in(phx, tmp_path):
    from dcplan.paths import data_dir
    spec_dir = tmp_path / "specs"
    spec_dir.mkdir()
    with pytest.raises(InputError) as e:
        SweepSpec(sites=[phx], name="t", base_dir=str(spec_dir), axes={"tariff.file": ["tariffs/nonexistent.json"]})
    msg = str(e.value)
    site_dir = (ROOT / "data" / "sites").resolve()
    # the spec's folder first, then as the site's own files resolve: its folder, its parent (here the bundled
    # data/ itself), any portfolio folder another test loaded a site through, the bundled data/ (once)
    where = msg.split("tariff file not found: tariffs/nonexistent.json (looked in ", 1)[1].split(") (site")[0]
    folders = where.replace(" and ", ", ").split(", ")
    assert folders[:3] == [str(spec_dir.resolve()), str(site_dir), str(data_dir().resolve())]
    assert len(folders) == len(set(folders))
