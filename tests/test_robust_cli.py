"""``dcplan validate`` of several paths where some are missing or folders, an empty portfolio.yaml,
and ``-p tariff_file data/...`` outside a checkout (dcplan.cli)."""
from __future__ import annotations

import os

from conftest import DATA
from dcplan.cli import _bundled_file_value, main


def test_validate_reports_each_missing_file_and_folder_and_checks_the_rest(tmp_path, capsys, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "somefolder").mkdir()
    good = str(DATA / "tariffs" / "aps-az-e32-tou-l.json")
    # was: "dcplan: error: nonexist.yaml: No such file or directory", exit 1, nothing else checked
    assert main(["validate", "nonexist.yaml", good, "somefolder"]) == 2
    out = capsys.readouterr()
    assert f"{good}: ok" in out.out
    assert "nonexist.yaml: file not found" in out.err and "somefolder: is a folder; give files" in out.err
    assert "No such file or directory" not in out.err
    assert main(["validate", "somefolder", good]) == 2  # the order does not matter
    assert f"{good}: ok" in capsys.readouterr().out


def test_validate_of_an_empty_portfolio_yaml_asks_for_name_and_sites(tmp_path, capsys):
    f = tmp_path / "portfolio.yaml"
    f.write_text("")
    assert main(["validate", str(f)]) == 2
    err = capsys.readouterr().err
    # as render says it (dcplan.site.load_portfolio), not a site's "expected a mapping with name, latitude, ..."
    assert f"{f}: file is empty; expected a mapping with 'name' and a 'sites' list" in err, err
    assert "latitude" not in err


def test_a_data_tariff_parameter_is_the_bundled_file_outside_a_checkout(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)  # no data/ here
    assert not os.path.exists("data")
    name = "data/tariffs/aps-az-e32-tou-l.json"
    assert _bundled_file_value("tariff_file", name) == str((DATA / "tariffs" / "aps-az-e32-tou-l.json").resolve())
    # a file of one's own of that name in the current folder wins; other names are passed on as typed
    (tmp_path / "data" / "tariffs").mkdir(parents=True)
    (tmp_path / name).write_text("{}")
    assert _bundled_file_value("tariff_file", name) == name
    assert _bundled_file_value("tariff_file", "tariffs/aps-az-e32-tou-l.json") == "tariffs/aps-az-e32-tou-l.json"
    assert _bundled_file_value("tariff_file", "site") == "site"
    assert _bundled_file_value("seed", "data/tariffs/aps-az-e32-tou-l.json") == "data/tariffs/aps-az-e32-tou-l.json"
