"""Command-line options that name what is wrong with them, and options accepted where typed."""
from __future__ import annotations

import re

import pytest

from dcplan.cli import main
from dcplan.errors import InputError
from dcplan.site import load_site

from conftest import DATA
from test_report import TWO_SITES, _nb


@pytest.fixture
def pf(tmp_path):
    f = tmp_path / "pf.yaml"
    f.write_text(TWO_SITES)
    return f


@pytest.mark.parametrize("make, what", [
    (lambda p: p / "missing", "folder not found"),
    (lambda p: (p / "afile").write_text("x") and p / "afile", "is a file, not a folder"),
])
def test_notebook_dir_that_is_no_folder_names_the_option(tmp_path, pf, capsys, make, what):
    d = make(tmp_path)
    rc = main(["render", "--portfolio", str(pf), "--notebook-dir", str(d), "--out", str(tmp_path / "o"), "-q"])
    err = capsys.readouterr().err.strip().splitlines()
    assert rc == 2
    # was: "dcplan: error: <dir>: no notebooks found"
    assert err == [f"dcplan: error: {d}: --notebook-dir: {what}; give the folder that holds the notebooks (*.ipynb)"]
    assert not (tmp_path / "o").exists()


def test_notebook_dir_without_notebooks_names_the_option(tmp_path, pf, capsys):
    (tmp_path / "empty").mkdir()
    rc = main(["render", "--portfolio", str(pf), "--notebook-dir", str(tmp_path / "empty"), "-q",
               "--out", str(tmp_path / "o")])
    assert rc == 2
    assert capsys.readouterr().err == (f"dcplan: error: {tmp_path / 'empty'}: --notebook-dir: no notebooks "
                                       "(*.ipynb) found in this folder\n")


def test_debug_after_the_command_is_accepted(tmp_path, capsys):
    f = tmp_path / "s.yaml"
    f.write_text((DATA / "sites" / "phoenix-az.yaml").read_text().replace("longitude:", "longitud:"))
    # was: "dcplan: error: unrecognized arguments: --debug" (exit 2 before anything was checked)
    assert main(["validate", "--debug", str(f)]) == 2
    err = capsys.readouterr().err
    assert "unrecognized arguments" not in err
    assert re.search(r"s\.yaml: longitud: unknown key 'longitud' \(did you mean 'longitude'\?\)", err)
    # and it does what --debug before the command does: the error raised (a traceback), not exit 2
    nb = tmp_path / "nbs"
    nb.mkdir()
    _nb(nb / "x.ipynb", 'site: str = "x"\nportfolio: str = "default"', "pass\n")
    with pytest.raises(InputError, match=r"nope\.yaml: file not found"):
        main(["render", "--debug", "--portfolio", str(tmp_path / "nope.yaml"), "--notebook-dir", str(nb)])


def test_weather_format_is_case_insensitive(tmp_path, capsys):
    text = (DATA / "sites" / "phoenix-az.yaml").read_text()
    text = text.replace("file: weather/", f"file: {DATA}/weather/").replace("file: tariffs/", f"file: {DATA}/tariffs/")
    f = tmp_path / "s.yaml"
    f.write_text(text.replace("format: epw", "format: EPW"))
    # was: "weather.format: Input should be 'auto', 'epw', 'tmy3' or 'tmy2', got 'EPW'"
    assert load_site(f).weather.format == "epw"
    assert main(["validate", str(f)]) == 0
    f.write_text(text.replace("format: epw", "format: ewp"))
    assert main(["validate", str(f)]) == 2
    assert ("weather.format: Input should be 'auto', 'epw', 'tmy3', 'tmy2', 'nsrdb' or 'pvgis', got 'ewp' (did you "
            "mean 'epw'?)") in capsys.readouterr().err


def test_a_missing_relative_portfolio_says_where_it_was_looked_for(tmp_path, monkeypatch, capsys):
    # "nofile.yaml: file not found" did not say which folder a relative path was taken in
    monkeypatch.chdir(tmp_path)
    assert main(["render", "-q", "--portfolio", "nofile.yaml", "--out", str(tmp_path / "o")]) == 2
    err = capsys.readouterr().err.strip()
    assert err == f"dcplan: error: nofile.yaml: file not found (looked for {tmp_path / 'nofile.yaml'})", err
    assert not (tmp_path / "o").exists()
