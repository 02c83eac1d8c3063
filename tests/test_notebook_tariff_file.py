"""A notebook's ``tariff_file`` parameter is found as ``dcplan render`` finds it: in the working
folder first, then in the bundled data/. A notebook run from another folder looked only in data/:
site_analysis blamed the site file's ``tariff.file`` for ``mytariff.json`` in the working folder,
and tco said "tariff file not found (looked for .../data/mytariff.json)" (notebook explorer)."""
from __future__ import annotations

import shutil

import pytest

from conftest import DATA
from dcplan.errors import InputError
from dcplan.notebook_params import parameter_file

DUKE = DATA / "tariffs" / "duke-nc-opt-tou.json"


def test_the_working_folder_first_then_data(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    shutil.copy(DUKE, tmp_path / "mytariff.json")
    assert parameter_file("mytariff.json", "tariff_file") == tmp_path / "mytariff.json"
    assert parameter_file("tariffs/duke-nc-opt-tou.json", "tariff_file") == DUKE.resolve()
    assert parameter_file(str(DUKE), "tariff_file") == DUKE
    with pytest.raises(InputError) as e:
        parameter_file("nosuch.json", "tariff_file")
    assert e.value.field == "tariff_file"
    assert e.value.detail == f"'nosuch.json': no such file (looked in {tmp_path.resolve()} and {DATA.resolve()})"


@pytest.mark.parametrize("notebook, marker", [("site_analysis", "spec = variant(pf[site])"),
                                              ("tco", "Tariff.from_urdb(parameter_file(")])
def test_a_notebook_run_elsewhere_bills_the_tariff_in_its_working_folder(tmp_path, monkeypatch, notebook, marker):
    from conftest import run_cells_until
    monkeypatch.chdir(tmp_path)
    shutil.copy(DUKE, tmp_path / "mytariff.json")
    ns, _ = run_cells_until(notebook, marker, monkeypatch, site="phoenix-az", tariff_file="mytariff.json")
    if notebook == "site_analysis":
        assert ns["spec"].tariff_path == tmp_path / "mytariff.json"
    else:
        from dcplan.tariff import Tariff
        # the working folder's copy of Duke's tariff, not Phoenix's APS one
        assert ns["tariff"].metadata["file"] == str(tmp_path / "mytariff.json")
        assert ns["tariff"].metadata["name"] == Tariff.from_urdb(DUKE).metadata["name"]
