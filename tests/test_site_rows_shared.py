"""Site rows shared between a render's kernels (dcplan.site_rows_shared): a row modelled once is read back, the
same, with the warnings its modelling raised; anything that changes the row is modelled again."""
from __future__ import annotations

import os
import shutil
import warnings

import nbformat
import pandas as pd
import pytest

from dcplan import site_rows_shared as srs
from dcplan.errors import DcplanWarning
from dcplan.portfolio_compare import site_row
from dcplan.site import load_site
from dcplan.sweep_overrides import apply_overrides

from conftest import DATA


@pytest.fixture
def shared(tmp_path, monkeypatch):
    folder = tmp_path / "site-rows"
    folder.mkdir(mode=0o700)
    monkeypatch.setenv(srs.SHARED_DIR_ENV, str(folder))
    return folder


@pytest.fixture
def site(tmp_path):
    """Phoenix, its YAML and weather copied (so a test can edit the weather file)."""
    for sub in ("sites", "weather", "tariffs"):
        shutil.copytree(DATA / sub, tmp_path / "data" / sub)
    s = load_site(tmp_path / "data" / "sites" / "phoenix-az.yaml")
    assert s.weather_path.is_relative_to(tmp_path)  # the copy, not the bundled file
    return s


def _counting(row: dict, warn: str | None = None):
    calls = []

    def model():
        calls.append(1)
        if warn:
            warnings.warn(warn, DcplanWarning, stacklevel=2)
        return dict(row)
    return model, calls


def test_a_row_modelled_once_is_read_back_with_its_warnings(shared, site):
    model, calls = _counting({"site": site.id, "annual_pue": 1.234}, warn="the plant is short in 12 h")
    got = []
    for _ in range(3):  # the first run models it; the next ones read it back
        with warnings.catch_warnings(record=True) as ws:
            warnings.simplefilter("always")
            got.append(srs.shared_row(site, 0.0, model))
        assert [(w.category, str(w.message)) for w in ws] == [(DcplanWarning, "the plant is short in 12 h")]
    assert len(calls) == 1
    assert got == [{"site": site.id, "annual_pue": 1.234}] * 3
    assert len(list(shared.glob("*.pkl"))) == 1 and not list(shared.glob(".*.tmp"))


def test_what_changes_the_row_is_modelled_again(shared, site):
    model, calls = _counting({"x": 1})
    srs.shared_row(site, 0.0, model)
    srs.shared_row(site, 500.0, model)  # another throughput
    srs.shared_row(apply_overrides(site, {"solar.dc_kw": 1234.0}), 0.0, model)  # an override
    assert len(calls) == 3
    wx = site.weather_path
    wx.write_bytes(wx.read_bytes() + b"\n")  # the weather file edited
    srs.shared_row(site, 0.0, model)
    assert len(calls) == 4
    srs.shared_row(site, 0.0, model)  # unchanged since: read back
    assert len(calls) == 4


def test_the_day_a_row_is_of_is_the_runs_today_fixed_or_not(shared, site, monkeypatch):
    """The key's today is dcplan.plan_dates.today (with whether DCPLAN_TODAY gave it, which wins over as_of): within
    fixed_today (a sweep's case) the fixed day, not this process's DCPLAN_TODAY (which the key read before)."""
    from dcplan.plan_dates import TODAY_ENV, fixed_today
    model, calls = _counting({"x": 1})
    monkeypatch.setenv(TODAY_ENV, "2026-01-01")
    srs.shared_row(site, 0.0, model)
    monkeypatch.setenv(TODAY_ENV, "2030-06-01")
    with fixed_today(("2026-01-01", True)):  # the same day as that row's: read back
        srs.shared_row(site, 0.0, model)
    assert len(calls) == 1
    monkeypatch.setenv(TODAY_ENV, "2026-01-01")
    with fixed_today(("2026-06-01", True)):  # another day than this process's DCPLAN_TODAY: modelled
        srs.shared_row(site, 0.0, model)
    assert len(calls) == 2
    with fixed_today(("2026-01-01", False)):  # that day, not DCPLAN_TODAY's (the site's as_of then wins): modelled
        srs.shared_row(site, 0.0, model)
    assert len(calls) == 3


def test_an_edited_bundled_catalog_is_modelled_again(shared, site, tmp_path, monkeypatch):
    from dcplan import paths
    bundle = tmp_path / "bundle"
    bundle.mkdir()
    shutil.copy(DATA / "hardware.csv", bundle / "hardware.csv")
    monkeypatch.setattr(paths, "data_dir", lambda: bundle)  # (the site's own files are in its copied folder)
    model, calls = _counting({"x": 1})
    srs.shared_row(site, 0.0, model)
    srs.shared_row(site, 0.0, model)
    assert len(calls) == 1
    with open(bundle / "hardware.csv", "a") as fh:
        fh.write("\n")
    srs.shared_row(site, 0.0, model)
    assert len(calls) == 2


def test_outside_a_render_or_in_a_folder_others_can_write_every_row_is_modelled(shared, site, monkeypatch):
    model, calls = _counting({"x": 1})
    os.chmod(shared, 0o770)  # group-writable: rows are unpickled from it, so it is not read
    srs.shared_row(site, 0.0, model)
    srs.shared_row(site, 0.0, model)
    assert len(calls) == 2 and not list(shared.iterdir())
    monkeypatch.delenv(srs.SHARED_DIR_ENV)
    srs.shared_row(site, 0.0, model)
    assert len(calls) == 3


def test_a_row_whose_modelling_failed_is_not_kept(shared, site):
    def broken():
        raise RuntimeError("boom")
    with pytest.raises(RuntimeError, match="boom"):
        srs.shared_row(site, 0.0, broken)
    # a warning the caller turns into an error (as the tests do) fails the modelling too: nothing kept
    model, calls = _counting({"x": 1}, warn="degraded")
    with pytest.raises(DcplanWarning, match="degraded"):
        srs.shared_row(site, 0.0, model)
    assert not list(shared.iterdir())


def test_a_cut_short_or_foreign_entry_is_modelled_again(shared, site):
    model, calls = _counting({"x": 1})
    srs.shared_row(site, 0.0, model)
    (entry,) = shared.glob("*.pkl")
    entry.write_bytes(entry.read_bytes()[:20])
    assert srs.shared_row(site, 0.0, model) == {"x": 1} and len(calls) == 2
    import pickle
    entry.write_bytes(pickle.dumps(["not", "a", "row"]))
    assert srs.shared_row(site, 0.0, model) == {"x": 1} and len(calls) == 3


def test_the_row_read_back_is_the_row_modelled(shared, monkeypatch):
    # the real model: what the second reader gets equals a row modelled with no sharing at all
    s = load_site(DATA / "sites" / "research-triangle-nc.yaml")
    first = site_row(s)
    kept = site_row(s)
    monkeypatch.delenv(srs.SHARED_DIR_ENV)
    fresh = site_row(s)
    assert len(list(shared.glob("*.pkl"))) == 1
    assert kept.keys() == fresh.keys() == first.keys()
    pd.testing.assert_series_equal(pd.Series(kept, dtype=object), pd.Series(fresh, dtype=object))


def test_a_render_s_runs_share_a_peer_s_row_and_leave_no_files(tmp_path):
    # two notebooks, one after the other, each ranking the same peer: the second reads the first's row
    from dcplan.report import render
    from dcplan.report_execute import SHARED_ROWS_ENV
    assert SHARED_ROWS_ENV == srs.SHARED_DIR_ENV
    nbdir = tmp_path / "nbs"
    nbdir.mkdir()
    body = ("import os, pathlib\nfrom dcplan.portfolio_compare import site_row\n"
            "from dcplan.results import publish\nfrom dcplan.site import load_portfolio\n"
            "folder = pathlib.Path(os.environ['DCPLAN_SITE_ROWS_SHARED_DIR'])\n"
            "publish('kept_before', len(list(folder.glob('*.pkl'))))\n"
            "publish('pue', site_row(load_portfolio(portfolio)['chicago-il'])['annual_pue'])\n"
            "publish('folder', str(folder))\n")
    for name in ("a_first", "b_second"):
        nb = nbformat.v4.new_notebook()
        p = nbformat.v4.new_code_cell('site: str = "x"\nportfolio: str = "default"')
        p.metadata["tags"] = ["parameters"]
        nb.cells = [p, nbformat.v4.new_code_cell(body)]
        nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
        nbformat.write(nb, str(nbdir / f"{name}.ipynb"))
    pf = tmp_path / "pf.yaml"
    pf.write_text(f"name: one site\nsites:\n  - {DATA / 'sites' / 'chicago-il.yaml'}\n")
    out = tmp_path / "o"
    s = render(portfolio=pf, out=out, jobs=1, notebook_dir=nbdir, progress=False)
    assert s.ok, s.table()
    v = {r.run.notebook.stem: {k: x["value"] for k, x in r.results.items()} for r in s.results}
    assert v["a_first"]["kept_before"] == 0 and v["b_second"]["kept_before"] == 1
    assert v["a_first"]["pue"] == v["b_second"]["pue"]
    assert v["a_first"]["folder"].startswith(str(out / ".dcplan-tmp"))
    assert not (out / ".dcplan-tmp").exists()
