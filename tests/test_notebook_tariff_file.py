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


def test_tco_bills_a_tariff_file_with_a_ratchet_as_the_site_pipeline_does(tmp_path, monkeypatch):
    """The TCO's ``tariff_file`` override was billed with 0 kW before the year (a ratchet's first
    months understated) while the site pipeline bills a steady-state year; now both use
    ``site_bill_kwargs``. Duke's tariff with a 100 % ratchet on its flat demand charge: the
    notebook's bill equals Tariff.bill(..., prior_peaks_kw="steady_state") of the same load, and the
    bill with 0 kW prior peaks is lower (a 100 % ratchet never bills below a peak it has seen)."""
    import json

    from conftest import run_cells_until
    from dcplan.tariff import Tariff
    monkeypatch.chdir(tmp_path)
    raw = json.loads(DUKE.read_text(encoding="utf-8"))
    item = raw["items"][0] if "items" in raw else raw
    assert "flatdemandstructure" in item
    item["demandratchetpercentage"] = [1.0] * 12
    (tmp_path / "ratchet.json").write_text(json.dumps(raw), encoding="utf-8")
    ns, _ = run_cells_until("tco", "case = site_tco(", monkeypatch, site="phoenix-az", tariff_file="ratchet.json")
    t = Tariff.from_urdb(tmp_path / "ratchet.json")
    load = ns["y"].grid_kw.clip(lower=0.0)
    steady = t.bill(load, prior_peaks_kw="steady_state").total_usd
    assert ns["bill"].total_usd == pytest.approx(steady, rel=1e-12)
    assert t.bill(load).total_usd < steady
