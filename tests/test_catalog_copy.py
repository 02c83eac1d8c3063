"""An edited copy of a data catalog beside a portfolio is warned, naming both files; the bundled one is still read.

An auditor copied data/ (``cp -a data proj/data``), edited ``proj/data/costs.csv`` and rendered
``--portfolio data/portfolio.yaml`` from ``proj``: the report said the bundled price and "data/costs.csv"
while the copy's sites, weather and tariffs were used, and nothing said the two folders were mixed. The
catalogs are read only from the bundled data/ (``dcplan.paths.data_path``); ``dcplan validate`` and
``dcplan render`` now warn such a copy once (``dcplan.catalog_copy``), and which file is read does not change.
"""
from __future__ import annotations

import csv
import shutil
import warnings

import pytest
from conftest import DATA

from dcplan.catalog_copy import CATALOG_FILES, HOW_TO_CHANGE, catalog_copy_warnings
from dcplan.errors import DcplanWarning


def _copy_data(tmp_path):
    """A copy of data/'s portfolio, sites, weather, tariffs and catalogs at tmp/proj/data (cp -a data proj/data)."""
    d = tmp_path / "proj" / "data"
    for sub in ("sites", "weather", "tariffs"):
        shutil.copytree(DATA / sub, d / sub)
    for name in ("portfolio.yaml", *CATALOG_FILES):
        shutil.copy(DATA / name, d / name)
    return d


def _edit_cost(path, key, value):
    """The row ``key``'s value (its second column) set to ``value``, every other byte kept."""
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    i = next(i for i, ln in enumerate(lines) if ln.startswith(f"{key},"))
    first, _, rest = lines[i].split(",", 2)
    lines[i] = f"{first},{value},{rest}"
    path.write_text("".join(lines), encoding="utf-8")


def _bundled_cost(key):
    with (DATA / "costs.csv").open(newline="", encoding="utf-8") as fh:
        rows = csv.DictReader(ln for ln in fh if not ln.startswith("#"))
        return float(next(r for r in rows if r["key"] == key)["value"])


def test_an_unedited_copy_and_the_bundled_portfolio_are_not_warned(tmp_path):
    d = _copy_data(tmp_path)
    assert catalog_copy_warnings([d / "portfolio.yaml", d / "sites" / "phoenix-az.yaml"]) == []
    assert catalog_copy_warnings([DATA / "portfolio.yaml", DATA / "sites" / "phoenix-az.yaml"]) == []


def test_an_edited_costs_copy_is_named_with_the_bundled_file_and_how_to_change_a_cost(tmp_path):
    d = _copy_data(tmp_path)
    _edit_cost(d / "costs.csv", "pv_usd_per_kw_dc", "9999")
    # the portfolio's own folder, and a site file's parent folder, both find it; said once for both
    (text,) = catalog_copy_warnings([d / "portfolio.yaml", d / "sites" / "phoenix-az.yaml"])
    assert text.startswith(f"{(d / 'costs.csv').resolve()}: ")
    assert str((DATA / "costs.csv").resolve()) in text and "reads only the bundled one" in text
    assert HOW_TO_CHANGE["costs.csv"] in text and "finance.costs" in text


def test_validate_and_render_warn_it_once_and_read_the_bundled_catalog(tmp_path, monkeypatch):
    """The figure the TCO takes (dcplan.tco_cost_table.default_cost) stays the bundled file's value, read here
    from data/costs.csv with the csv module, not the copy's 9,999."""
    from dcplan import validate as V
    from dcplan.report_plan import plan_runs
    from dcplan.tco_cost_table import default_cost
    d = _copy_data(tmp_path)
    _edit_cost(d / "costs.csv", "pv_usd_per_kw_dc", "9999")
    with warnings.catch_warnings(record=True) as got:
        warnings.simplefilter("always")
        V.validate_file(d / "portfolio.yaml")
    mine = [w for w in got if issubclass(w.category, DcplanWarning) and "data catalog costs.csv" in str(w.message)]
    assert len(mine) == 1
    monkeypatch.chdir(tmp_path / "proj")
    with warnings.catch_warnings(record=True) as got:
        warnings.simplefilter("always")
        plan_runs("data/portfolio.yaml", sites=["phoenix-az"], notebooks=["rack_power"], out=tmp_path / "r",
                  plausibility_warnings=True)
    mine = [w for w in got if issubclass(w.category, DcplanWarning) and "data catalog costs.csv" in str(w.message)]
    assert len(mine) == 1 and str((d / "costs.csv").resolve()) in str(mine[0].message)
    assert default_cost("pv_usd_per_kw_dc") == pytest.approx(_bundled_cost("pv_usd_per_kw_dc"), rel=0)
    assert _bundled_cost("pv_usd_per_kw_dc") != 9999.0


def test_every_catalog_has_a_way_to_change_it():
    assert set(HOW_TO_CHANGE) == set(CATALOG_FILES)
    from dcplan.catalog_checks import CATALOGS
    assert set(CATALOGS) <= set(CATALOG_FILES)


def test_the_system_load_copy_is_told_the_notebook_parameter_that_reads_a_series():
    """An edited copy of system_load_example.csv was told only "the example series has no site key", though the
    interconnection notebook reads a series of one's own with ``-p system_load_csv FILE``: the warning names that
    parameter, and the notebook declares it (a rename would leave the warning pointing at nothing)."""
    import json

    from conftest import ROOT
    assert "-p system_load_csv FILE" in HOW_TO_CHANGE["system_load_example.csv"]
    nb = json.loads((ROOT / "notebooks" / "interconnection.ipynb").read_text(encoding="utf-8"))
    params = next("".join(c["source"]) for c in nb["cells"] if "parameters" in c.get("metadata", {}).get("tags", []))
    assert any(ln.startswith("system_load_csv:") for ln in params.splitlines())


def test_from_an_installed_wheel_the_warning_says_an_edit_of_the_bundled_catalog_is_replaced_by_a_reinstall(
        tmp_path, monkeypatch):
    """A wheel user who copied data/ and edited costs.csv was told "or edit
    .../site-packages/dcplan/_bundled/data/costs.csv itself", while the README says not to edit the installed
    files (a reinstall replaces them). The installed layout (dcplan/_bundled/data) is laid out in tmp_path."""
    import dcplan.paths as paths
    pkg = tmp_path / "site-packages" / "dcplan"
    shutil.copytree(DATA, pkg / "_bundled" / "data", ignore=shutil.ignore_patterns("weather"))
    monkeypatch.setattr(paths, "_PKG", pkg)
    assert paths.data_dir() == pkg / "_bundled" / "data"
    d = _copy_data(tmp_path)
    _edit_cost(d / "costs.csv", "pv_usd_per_kw_dc", "9999")
    (text,) = catalog_copy_warnings([d / "portfolio.yaml"])
    installed = (pkg / "_bundled" / "data" / "costs.csv").resolve()
    assert f"differs from the bundled {installed}" in text
    assert f"or edit the installed {installed} (dcplan validate checks it)" in text
    assert "a reinstall or upgrade of dcplan replaces it" in text and "itself" not in text
    assert HOW_TO_CHANGE["costs.csv"] in text  # the supported way first, as from a checkout
    # a checkout's data/ (the real one here) keeps the plain advice
    monkeypatch.undo()
    (text,) = catalog_copy_warnings([d / "portfolio.yaml"])
    assert text.endswith(f"or edit {(DATA / 'costs.csv').resolve()} itself (dcplan validate checks it)")
