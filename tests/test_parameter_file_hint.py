"""A typo'd file parameter (tariff_file, jobs_file, system_load_csv) is refused with the closest existing file in
the folders searched, as a typo'd site, scenario or cooling plant gets a did-you-mean (audit a3 F3): before,
``tariffs/comed-il-large-lod.json`` got "no such file (looked in <cwd> and <repo>/data)" alone. The expected
names are files bundled in data/ (data/tariffs/comed-il-large-load.json, data/jobs_example.csv)."""
from __future__ import annotations

import pytest

from conftest import DATA, ROOT
from dcplan._text import file_did_you_mean
from dcplan.errors import InputError
from dcplan.notebook_params import parameter_file


@pytest.mark.parametrize("value,want,field", [
    ("tariffs/comed-il-large-lod.json", "tariffs/comed-il-large-load.json", "tariff_file"),  # a letter dropped
    ("tarifs/comed-il-large-load.json", "tariffs/comed-il-large-load.json", "tariff_file"),  # the folder mistyped
    ("comed-il-large-lod.json", "tariffs/comed-il-large-load.json", "tariff_file"),  # the folder left out
    ("Tariffs/Duke-NC-opt-tou.json", "tariffs/duke-nc-opt-tou.json", "tariff_file"),  # case only
    ("jobs_exmple.csv", "jobs_example.csv", "jobs_file"),
    ("data/tariffs/duke-nc-opt-to.json", "data/tariffs/duke-nc-opt-tou.json", "tariff_file"),  # data/...
])
def test_a_typod_file_parameter_names_the_closest_file(value, want, field, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "data").symlink_to(DATA)  # data/... from the working folder, as in a checkout
    with pytest.raises(InputError) as e:
        parameter_file(value, field)
    assert e.value.field == field
    assert str(e.value) == (f"{field}: {value!r}: no such file (did you mean {want!r}?) (looked in {tmp_path} "
                            f"and {DATA.resolve()})")
    assert parameter_file(want, field).is_file()  # the suggestion is a file it takes


def test_only_files_of_the_parameters_type_are_suggested(tmp_path, monkeypatch):
    """A fresh clone's CI ran ``-p system_load_csv site`` from the checkout and was offered ``dcplan/site.py``: a
    parameter is offered files of the type it takes (``*_csv`` and ``jobs_file`` a CSV, ``tariff_file`` a JSON)."""
    monkeypatch.chdir(tmp_path)
    (tmp_path / "pkg").mkdir()
    (tmp_path / "pkg" / "site.py").write_text("")
    with pytest.raises(InputError) as e:
        parameter_file("site", "system_load_csv")
    assert "did you mean" not in str(e.value)
    assert file_did_you_mean("site", [tmp_path]) == " (did you mean 'pkg/site.py'?)"  # without a type: any file
    (tmp_path / "pkg" / "site.csv").write_text("")
    with pytest.raises(InputError, match=r"no such file \(did you mean 'pkg/site\.csv'\?\)"):
        parameter_file("site", "system_load_csv")
    (tmp_path / "load.json").write_text("{}")
    assert file_did_you_mean("lod.csv", [tmp_path], suffixes=(".csv",)) == ""  # a JSON is no CSV
    assert file_did_you_mean("lod.jsn", [tmp_path], suffixes=(".json",)) == " (did you mean 'load.json'?)"


def test_a_file_of_the_working_folder_is_suggested_and_nothing_far_off(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "mine").mkdir()
    (tmp_path / "mine" / "own-tariff.json").write_text("{}")
    with pytest.raises(InputError, match=r"no such file \(did you mean 'mine/own-tariff\.json'\?\)"):
        parameter_file("mine/own-tarif.json", "tariff_file")
    # the folder exists and holds nothing close: no suggestion (not a file of another folder that shares the
    # folder's name and the extension)
    with pytest.raises(InputError) as e:
        parameter_file("tariffs/xyz.json", "tariff_file")
    assert "did you mean" not in str(e.value)
    # a shared extension is no likeness: my.json is not suggested for nope.json (tests/test_report_safety.py)
    (tmp_path / "my.json").write_text("{}")
    assert file_did_you_mean("nope.json", [tmp_path]) == ""
    assert file_did_you_mean("my.jsn", [tmp_path]) == " (did you mean 'my.json'?)"
    assert file_did_you_mean("a/b/c.json", [tmp_path, DATA]) == ""
    assert file_did_you_mean("../tariffs/comed-il-large-lod.json", [DATA]) == ""


def test_render_p_value_of_a_typod_file_names_the_closest_file(tmp_path, monkeypatch):
    """``dcplan render -p tariff_file tariffs/comed-il-large-lod.json`` is refused before any run, the same hint in
    the message (dcplan.report_param_values.resolve_file_parameter)."""
    from dcplan.report_param_values import resolve_file_parameter
    monkeypatch.chdir(tmp_path)
    with pytest.raises(InputError) as e:
        resolve_file_parameter("tariff_file", "tariffs/comed-il-large-lod.json", "", None,
                               ROOT / "notebooks" / "tco.ipynb")
    assert "no such file for tco (did you mean 'tariffs/comed-il-large-load.json'?) (looked in " in str(e.value)
