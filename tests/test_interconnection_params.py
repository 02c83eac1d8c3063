"""A bad -p system_load_csv is bad input before any run (dcplan.interconnection_params.precheck), not a failed
interconnection run that loses its time to power, ramp and cost of waiting after its cells ran."""
import pytest

from dcplan.errors import InputError
from dcplan.interconnection_params import precheck
from tests.conftest import DATA


def _csv(tmp_path, rows):
    f = tmp_path / "sys.csv"
    f.write_text("interval_end,system_load_mw\n" + "".join(f"{t},{v}\n" for t, v in rows))
    return f


def test_a_gap_is_refused_naming_the_file_and_the_parameter(tmp_path):
    # hourly rows, then a 6 h jump: an irregular step
    f = _csv(tmp_path, [("2025-01-01T01:00-05:00", 100.0), ("2025-01-01T02:00-05:00", 101.0),
                        ("2025-01-01T03:00-05:00", 102.0), ("2025-01-01T09:00-05:00", 103.0)])
    with pytest.raises(InputError) as e:
        precheck({"system_load_csv": str(f)}, None, {"system_load_csv"})
    line = str(e.value)
    assert str(f) in line and "-p system_load_csv" in line
    # the reader's own message for the same file, independently
    from dcplan.grid_headroom import read_system_load_csv
    with pytest.raises(InputError) as direct:
        read_system_load_csv(f)
    assert direct.value.detail in line


def test_not_a_csv_is_refused_and_a_missing_file_left_to_renders_lookup(tmp_path):
    # a name render did not find: its own "no such file ... (looked in ...)" error says where it looked
    assert precheck({"system_load_csv": str(tmp_path / "nope.csv")}, None, {"system_load_csv"}) is None
    (tmp_path / "x.csv").write_bytes(b"\x00\x01\x02 not a csv")
    with pytest.raises(InputError, match="-p system_load_csv"):
        precheck({"system_load_csv": str(tmp_path / "x.csv")}, None, {"system_load_csv"})


def test_the_default_and_a_good_file_pass():
    assert precheck({"system_load_csv": ""}, None, {"system_load_csv"}) is None
    assert precheck({"system_load_csv": str(DATA / "system_load_example.csv")}, None, {"system_load_csv"}) is None
    # not given with -p: the notebook's own value is the run's business
    assert precheck({"system_load_csv": "/nonexistent.csv"}, None, set()) is None


def test_render_refuses_a_bad_system_load_csv_before_any_run(tmp_path):
    """Through the CLI: exit 2, the file and -p system_load_csv named, no run executed (no report written)."""
    import os
    import subprocess
    import sys
    f = _csv(tmp_path, [("2025-01-01T01:00-05:00", 100.0), ("2025-01-01T02:00-05:00", 101.0),
                        ("2025-01-01T08:00-05:00", 103.0)])
    env = {**os.environ, "DCPLAN_CACHE_DIR": str(tmp_path / "cache")}
    r = subprocess.run([sys.executable, "-m", "dcplan", "render", "--sites", "phoenix-az", "--notebooks",
                        "interconnection", "--out", str(tmp_path / "out"), "-j", "1", "-q", "-p", "system_load_csv",
                        str(f)], capture_output=True, text=True, env=env, timeout=300)
    assert r.returncode == 2, r.stdout + r.stderr
    assert str(f) in r.stderr and "-p system_load_csv" in r.stderr
    assert not (tmp_path / "out" / "phoenix-az" / "interconnection" / "report.html").exists()


def test_the_file_is_read_once_for_every_site(monkeypatch):
    """render prechecks each site's run with the same -p value: the file is read once (until it changes)."""
    from dcplan import grid_headroom, interconnection_params
    interconnection_params._check_file.cache_clear()
    calls = []
    real = grid_headroom.read_system_load_csv
    monkeypatch.setattr(grid_headroom, "read_system_load_csv", lambda p: calls.append(p) or real(p))
    f = str(DATA / "system_load_example.csv")
    for _ in range(4):
        assert precheck({"system_load_csv": f}, None, {"system_load_csv"}) is None
    assert calls == [f]
