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


def test_render_and_sites_find_data_portfolio_outside_a_checkout(tmp_path, monkeypatch, capsys):
    # validate found data/portfolio.yaml from any folder; render and sites said "file not found"
    monkeypatch.chdir(tmp_path)
    from dcplan.paths import default_portfolio
    from dcplan.site import load_portfolio
    pf = load_portfolio(default_portfolio())
    assert main(["sites", "--portfolio", "data/portfolio.yaml"]) == 0
    out = capsys.readouterr().out
    assert out.startswith(f"{pf.name} ({len(pf.sites)} sites)") and all(s.id in out for s in pf.sites)
    # render reads the same file: an unknown site is its error, not "file not found"; nothing runs
    assert main(["render", "--portfolio", "data/portfolio.yaml", "--sites", "nowhere-xx", "--cold-kernels",
                 "-q", "--out", str(tmp_path / "r")]) == 2
    err = capsys.readouterr().err
    assert "file not found" not in err
    assert err.startswith(f"dcplan: error: --sites: unknown site 'nowhere-xx'; sites in {default_portfolio()}: "), err


def test_an_unknown_site_of_the_bundled_portfolio_names_it_and_suggests_portfolio(tmp_path, monkeypatch, capsys):
    # in a folder holding one's own portfolio.yaml, "sites in portfolio.yaml" read as that file
    monkeypatch.chdir(tmp_path)
    (tmp_path / "portfolio.yaml").write_text("name: mine\nsites: []\n")
    from dcplan.paths import default_portfolio
    from dcplan.site import load_portfolio
    ids = ", ".join(load_portfolio(default_portfolio()).ids)
    assert main(["render", "--sites", "miami-fl", "--cold-kernels", "-q", "--out", str(tmp_path / "r")]) == 2
    err = capsys.readouterr().err.strip()
    assert err == (f"dcplan: error: --sites: unknown site 'miami-fl'; sites in the bundled example portfolio "
                   f"{default_portfolio()} (no --portfolio given: pass --portfolio YOUR.yaml to render your "
                   f"own sites): {ids}")
    assert not (tmp_path / "r").exists()


def test_dcplan_docs_prints_where_the_docs_data_and_notebooks_are(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    from dcplan.paths import data_dir, doc_path, notebooks_dir
    assert main(["docs"]) == 0
    out = capsys.readouterr().out
    for p in (doc_path("site-format.md"), doc_path("glossary.md"), data_dir(), notebooks_dir()):
        assert f"  {p}\n" in out
    assert "copy the folder out before editing them, then dcplan render --notebook-dir YOUR_COPY" in out
    assert main(["docs", "--path", "notebooks"]) == 0  # one path alone, for cp -r "$(...)"
    assert capsys.readouterr().out == f"{notebooks_dir()}\n"
    assert main(["docs", "--path", "site-format.md"]) == 0
    assert capsys.readouterr().out == f"{doc_path('site-format.md')}\n"


@pytest.mark.parametrize("cmd, name", [(["validate", "sites/phoenix-az.yaml"], "sites/phoenix-az.yaml"),
                                       (["sweep", "sweeps/example.yaml", "-j", "1"], "sweeps/example.yaml"),
                                       (["sites", "--portfolio", "portfolio.yaml"], "portfolio.yaml")])
def test_a_bundled_file_named_without_data_says_the_name_that_finds_it(tmp_path, monkeypatch, capsys, cmd, name):
    # a wheel user outside a checkout typed the path as it sits under data/: validate said "file not found" alone
    # and sweep and sites the folder looked in, while bill's --tariff tariffs/x.json named data/tariffs/x.json;
    # still an error (a project's missing file is not swapped for the bundled one)
    monkeypatch.chdir(tmp_path)
    assert main(cmd) == 2
    cap = capsys.readouterr()
    text = cap.out + cap.err
    assert f"{name}: file not found (looked for {tmp_path / name}); the bundled data has {name}: name it data/{name}" \
           f" to use that copy" in text, text
    assert not (tmp_path / "sweeps").exists()  # nothing ran


def test_a_missing_file_of_ones_own_gets_no_bundled_hint(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    assert main(["validate", "sites/my-own.yaml"]) == 2
    out = capsys.readouterr()
    assert f"sites/my-own.yaml: file not found (looked for {tmp_path / 'sites' / 'my-own.yaml'})" in out.out + out.err
    assert "bundled" not in out.out + out.err
