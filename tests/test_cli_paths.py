"""The README's `data/...` command lines work from any folder (an installed wheel has no
data/ beside the current folder): bill, validate and sweep fall back to the bundled copy."""
from __future__ import annotations

import pandas as pd
import pytest

from dcplan.cli import main
from dcplan.paths import data_dir, input_path, input_paths


def test_data_names_fall_back_to_the_bundled_copy(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    want = data_dir() / "tariffs" / "aps-az-e32-tou-l.json"
    assert input_path("data/tariffs/aps-az-e32-tou-l.json") == want
    # only an explicit data/ prefix: a missing file of one's own project stays missing
    assert str(input_path("tariffs/aps-az-e32-tou-l.json")) == "tariffs/aps-az-e32-tou-l.json"
    # a file of that name here wins; a name found nowhere stays as given
    (tmp_path / "data" / "tariffs").mkdir(parents=True)
    (tmp_path / "data" / "tariffs" / "aps-az-e32-tou-l.json").write_text("{}")
    assert input_path("data/tariffs/aps-az-e32-tou-l.json").resolve() == \
        (tmp_path / "data" / "tariffs" / "aps-az-e32-tou-l.json").resolve()
    assert str(input_path("data/nope.json")) == "data/nope.json"
    # an unexpanded glob is expanded in the bundled data
    sites = input_paths(["data/sites/*.yaml"])
    assert sites == sorted(str(p) for p in (data_dir() / "sites").glob("*.yaml")) and len(sites) >= 4


def test_readme_validate_and_bill_lines_run_outside_a_checkout(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    assert main(["validate", "data/sites/*.yaml", "data/tariffs/aps-az-e32-tou-l.json"]) == 0
    assert capsys.readouterr().out.count(": ok") >= 5
    # a flat 1000 kW January in Phoenix (no DST), interval-ending hourly stamps
    idx = pd.date_range("2025-01-01 01:00", periods=31 * 24, freq="h", tz="America/Phoenix")
    pd.DataFrame({"timestamp": idx.strftime("%Y-%m-%dT%H:%M%z"), "load_kw": 1000.0}).to_csv(
        tmp_path / "load.csv", index=False)
    assert main(["bill", "--tariff", "data/tariffs/aps-az-e32-tou-l.json", "--load", "load.csv"]) == 0
    assert "aps-az-e32-tou-l.json" in capsys.readouterr().out


@pytest.mark.parametrize("cmd", [["bill", "--tariff", "data/tariffs/none.json", "--load", "load.csv"]])
def test_a_name_found_nowhere_is_still_bad_input(tmp_path, monkeypatch, cmd):
    monkeypatch.chdir(tmp_path)
    assert main(cmd) == 2
