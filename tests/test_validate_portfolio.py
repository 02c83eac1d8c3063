"""``dcplan validate`` on a portfolio: every site file's problems, and entries that are no site.

* A portfolio whose one site has a key typo used to hide the station check of another,
  valid site (a longitude with the wrong sign): it showed only when that file was validated
  alone.
* Entries that are not site YAML (another portfolio, a weather file, a folder) are named as
  such, once, on the portfolio's ``sites[i]`` entry.
"""
from __future__ import annotations

import shutil

import pytest

from dcplan.cli import main
from dcplan.errors import InputError
from dcplan.site import NotASiteError, SiteError, load_portfolio, load_site
from dcplan.validate import validate_file

from conftest import DATA

PHX_YAML = DATA / "sites" / "phoenix-az.yaml"
PHX_EPW = DATA / "weather" / "USA_AZ_Phoenix-Sky.Harbor.Intl.AP.722780_TMY3.epw"


def _site(folder, name, old=None, new=None):
    """The bundled Phoenix site, with its files absolute, ``old`` replaced by ``new``."""
    text = PHX_YAML.read_text()
    text = text.replace("file: weather/", f"file: {DATA}/weather/").replace("file: tariffs/", f"file: {DATA}/tariffs/")
    if old is not None:
        assert old in text
        text = text.replace(old, new, 1)
    f = folder / name
    f.write_text(text)
    return f


def test_a_portfolio_shows_each_sites_station_problem_beside_another_sites_typo(tmp_path):
    _site(tmp_path, "lon_sign.yaml", "longitude: -111.98", "longitude: 111.98")
    _site(tmp_path, "typo_top.yaml", "longitude:", "longitud:")
    pf = tmp_path / "pf.yaml"
    pf.write_text("name: t\nsites:\n  - lon_sign.yaml\n  - typo_top.yaml\n")
    probs = validate_file(pf)
    got = {(p.file.rsplit("/", 1)[-1], p.field) for p in probs}
    # typo_top.yaml: the typo (as before); lon_sign.yaml: the sign of its longitude, which only
    # `dcplan validate lon_sign.yaml` showed
    assert got == {("typo_top.yaml", "longitude"), ("typo_top.yaml", "longitud"), ("lon_sign.yaml", "longitude")}
    lon = next(p for p in probs if p.file.endswith("lon_sign.yaml"))
    assert lon.message.startswith("the site (33.45, 111.98) is 11,273 km from the station of its weather file")
    assert "Is the sign of longitude 111.98 wrong?" in lon.message
    # exactly what validating each file alone reports
    alone = validate_file(tmp_path / "lon_sign.yaml") + validate_file(tmp_path / "typo_top.yaml")
    assert sorted(p.line() for p in probs) == sorted(p.line() for p in alone)


def test_entries_that_are_no_site_are_named_once(tmp_path):
    sites = tmp_path / "sites"
    sites.mkdir()
    _site(sites, "a.yaml")
    (tmp_path / "other.yaml").write_text("name: other\nsites:\n  - sites/a.yaml\n")
    shutil.copy(PHX_EPW, tmp_path / "sydney.epw")
    pf = tmp_path / "weird.yaml"
    pf.write_text("name: w\nsites:\n  - sites\n  - other.yaml\n  - sydney.epw\n")
    lines = [p.line() for p in validate_file(pf)]
    assert lines == [
        f"{pf}: sites[0]: sites is a folder ({sites}), not a site file; list the site YAML files in it, "
        "one entry each",  # was: site file not found
        f"{pf}: sites[1]: other.yaml: this is a portfolio file, not a site (it lists site files under "
        "'sites:'); give a site YAML, or list that portfolio's site files here (a portfolio cannot include "
        "another)",  # was: six "required field is missing" and "unknown key 'sites' (did you mean 'notes'?)"
        f"{pf}: sites[2]: sydney.epw is not a site YAML but a weather file (.epw); a site names its weather "
        "file under 'weather: file:'; list site YAML files here",  # was: "sydney.epw:: expected a mapping", twice
    ]


def test_a_portfolio_given_as_a_site_says_so(tmp_path):
    pf = tmp_path / "pf.yaml"
    pf.write_text(f"name: p\nsites:\n  - {PHX_YAML}\n")
    with pytest.raises(NotASiteError) as ei:
        load_site(pf)
    assert ei.value.problems == [("", "this is a portfolio file, not a site (it lists site files under 'sites:'); "
                                      "give a site YAML, or list that portfolio's site files here (a portfolio "
                                      "cannot include another)")]


def test_a_site_file_problem_without_a_field_has_no_double_colon(tmp_path):
    (tmp_path / "empty.yaml").write_text("")
    _site(tmp_path, "ok.yaml", "latitude: 33.45", "latitude: 95")
    pf = tmp_path / "pf.yaml"
    pf.write_text("name: p\nsites:\n  - empty.yaml\n  - ok.yaml\n")
    with pytest.raises(SiteError) as ei:
        load_portfolio(pf)
    assert [f for f, _ in ei.value.problems] == ["", "ok.yaml:latitude"]
    assert ei.value.file == str(tmp_path / "empty.yaml")
    # the one-line error points to the command that lists every file's problems
    assert str(ei.value).endswith(f"(+1 more problem; `dcplan validate {pf}` lists them all)")
    lines = [p.line() for p in validate_file(pf)]
    assert not any("::" in ln for ln in lines), lines
    assert f"{tmp_path / 'empty.yaml'}: file is empty; expected a mapping with name, latitude, ..." in lines


def test_a_latin1_site_file_error_gives_line_and_column(tmp_path):
    f = tmp_path / "latin1.yaml"
    f.write_bytes(PHX_YAML.read_text().replace("name: Phoenix, AZ", "name: Phoénix").encode("latin-1"))
    with pytest.raises(InputError) as ei:
        load_site(f)
    # was: "'utf-8' codec can't decode byte 0xe9 in position 171: invalid continuation byte"
    lineno = next(i for i, ln in enumerate(PHX_YAML.read_text().splitlines(), 1) if ln.startswith("name:"))
    assert ei.value.detail == (f"not UTF-8 text: byte 0xe9 on line {lineno}, column 10 is not UTF-8 (saved as "
                               "Latin-1 or Windows-1252?); save the file as UTF-8")
    assert main(["validate", str(f)]) == 2


def test_a_site_file_that_is_not_yaml_is_reported_once_on_its_own_file(tmp_path):
    # was: twice, on the portfolio's sites[0] and on the site file
    bad = _site(tmp_path, "unclosed.yaml", "count: 384", "count: [384")
    pf = tmp_path / "pf.yaml"
    pf.write_text("name: p\nsites:\n  - unclosed.yaml\n")
    probs = validate_file(pf)
    assert [(p.file, p.field) for p in probs] == [(str(bad), "")]
    assert probs[0].message.startswith("not valid YAML: line ")
