"""A site's own text on where a finance value it gives comes from (``finance.sources``,
dcplan.specs.finance_sources): refused at load when it names no value the site sets, carried into the TCO's
inputs and shown after the field in the Assumptions' source column, in the table, the workbook and the CSV.

A finance reviewer reading only the workbook saw ``site.finance.tax_rate_frac`` beside chicago-il's 0.28505 and
nothing of the Illinois 9.5 % it rests on (a YAML comment). Expected texts are written out here; the rest of the
table and every cash flow must equal the same site's without ``finance.sources``.
"""
from __future__ import annotations

import copy
from pathlib import Path

import numpy as np
import openpyxl
import pandas as pd
import pytest
import yaml

from dcplan import tco_export
from dcplan.errors import InputError
from dcplan.site import SiteError, _site_from_dict
from dcplan.sweep_overrides import apply_overrides
from dcplan.tco import TcoInputs, run_tco
from dcplan.tco_inputs import inputs_from_site

ROOT = Path(__file__).resolve().parents[1]
RAW = yaml.safe_load((ROOT / "data" / "sites" / "chicago-il.yaml").read_text(encoding="utf-8"))
FILE = str(ROOT / "data" / "sites" / "chi-sources.yaml")  # in the sites folder: the relative files resolve
TAX_TEXT = "federal 21 % + Illinois 9.5 %: 0.21 + 0.095 x (1 - 0.21) = 0.28505"
QUOTE = "vendor quote Q-1234, 2026-03"


def _site(sources=None, costs=None):
    d = copy.deepcopy(RAW)
    fin = {k: v for k, v in d["finance"].items() if k != "sources"}  # the bundled file's own texts left out
    if costs is not None:
        fin["costs"] = costs
    if sources is not None:
        fin["sources"] = sources
    d["finance"] = fin
    return _site_from_dict(d, FILE, "chi-sources")


def _run(site, **kw):
    # a small stand-in fleet, the plant's water given: no site-year is simulated (the texts are the subject)
    inp = inputs_from_site(site, n_accelerators=64, it_capacity_kw=100.0, it_energy_kwh=6.0e5, wue_l_per_kwh=0.3,
                           **kw)
    return inp, run_tco(inp, np.full(12, 5.0e3))


@pytest.mark.parametrize("sources, field, words", [
    ({"tax_rate_fraq": "x"}, "finance.sources.tax_rate_fraq", "did you mean 'tax_rate_frac'"),
    # a value the file does not set: its default's source is data/costs.csv's, not the site's text
    ({"inflation_frac": "x"}, "finance.sources.inflation_frac", "this site does not set finance.inflation_frac"),
    ({"server_usd_per_accelerator": "x"}, "finance.sources.server_usd_per_accelerator",
     "this site does not set finance.costs.server_usd_per_accelerator"),
    # the key form is the input's name, as finance.ranges's
    ({"costs.tax_rate_frac": "x"}, "finance.sources.costs.tax_rate_frac", "write it as finance.sources.tax_rate_frac"),
    ({"delay_months": "x"}, "finance.sources.delay_months", "not a site input"),
    ({"ranges": "x"}, "finance.sources.ranges", "each finance.ranges entry has its own required source"),
    ({"tax_rate_frac": "  "}, "finance.sources.tax_rate_frac", "allowed: a non-empty text"),
    ({"tax_rate_frac": 0.28505}, "finance.sources.tax_rate_frac", "valid string, got 0.28505"),
    ({"tax_rate_frac": "a\nb"}, "finance.sources.tax_rate_frac", "U+000A"),
])
def test_a_wrong_source_is_refused_naming_file_field_value_and_what_is_allowed(sources, field, words):
    with pytest.raises(SiteError) as e:
        _site(sources)
    lines = e.value.all_lines()
    assert any(ln.startswith(f"{FILE}: {field}: ") and words in ln for ln in lines), lines
    if "does not set" in words or "did you mean" in words:  # what is allowed: the inputs chicago-il sets
        assert any("allowed: the inputs this site's finance section sets, discount_rate_frac, horizon_years, "
                   "tax_rate_frac" in ln for ln in lines), lines


def test_a_costs_key_and_a_field_set_in_the_file_take_a_source():
    s = _site({"tax_rate_frac": TAX_TEXT, "server_usd_per_accelerator": QUOTE, "horizon_years": "board memo"},
              costs={"server_usd_per_accelerator": 30000.0})
    assert dict(s.finance.sources) == {"tax_rate_frac": TAX_TEXT, "server_usd_per_accelerator": QUOTE,
                                       "horizon_years": "board memo"}
    with pytest.raises(TypeError, match="finance.sources"):  # read-only, as finance.costs
        s.finance.sources["tax_rate_frac"] = "other"


def test_the_assumptions_source_carries_the_text_and_nothing_else_moves():
    given = {"tax_rate_frac": TAX_TEXT, "server_usd_per_accelerator": QUOTE, "horizon_years": "board memo"}
    costs = {"server_usd_per_accelerator": 30000.0}
    inp, r = _run(_site(given, costs))
    _, plain = _run(_site(None, costs))
    a, b = r.assumptions.set_index("key"), plain.assumptions.set_index("key")
    # the site without texts: the field alone, as before
    assert b.loc["tax_rate_frac", "source"] == "site.finance.tax_rate_frac"
    assert b.loc["server_usd_per_accelerator", "source"] == "site.finance.costs.server_usd_per_accelerator"
    # with them: the field, then the site's text; status input, no vintage
    expected = {"tax_rate_frac": f"site.finance.tax_rate_frac: {TAX_TEXT}",
                "server_usd_per_accelerator": f"site.finance.costs.server_usd_per_accelerator: {QUOTE}",
                "horizon_years": "site.finance.horizon_years: board memo"}
    for k, text in expected.items():
        assert a.loc[k, "source"] == text
        assert (a.loc[k, "status"], a.loc[k, "vintage"]) == ("input", "")
    assert a.loc["tax_rate_frac", "value"] == 0.28505
    # every other cell of the table, and every number of the run, is the same site's without texts
    assert list(a.index) == list(b.index)
    pd.testing.assert_frame_equal(a.drop(columns="source"), b.drop(columns="source"))
    others = [k for k in a.index if k not in expected]
    assert (a.loc[others, "source"] == b.loc[others, "source"]).all()
    pd.testing.assert_frame_equal(r.annual, plain.annual)
    pd.testing.assert_frame_equal(r.monthly, plain.monthly)
    assert list(r.summary) == list(plain.summary)
    for k, x in r.summary.items():  # exactly equal; a figure that does not exist (None, NaN) in both
        y = plain.summary[k]
        assert x == y or (x is None and y is None) or (np.isnan(x) and np.isnan(y)), k


def test_a_value_that_is_not_the_sites_drops_its_text():
    site = _site({"tax_rate_frac": TAX_TEXT, "horizon_years": "board memo"})
    # a caller's (a scenario's) tax rate: its source is the caller's, without the site's arithmetic
    inp, r = _run(site, tax_rate_frac=0.21)
    row = r.assumptions.set_index("key").loc["tax_rate_frac"]
    assert (row["value"], row["source"]) == (0.21, "caller: inputs_from_site(tax_rate_frac=...)")
    assert dict(inp.source_notes) == {"horizon_years": "board memo"}
    # a copy with the value replaced (the tornado's, an overrun case's) keeps the texts of the others only
    inp, _ = _run(site)
    assert dict(inp.with_costs(tax_rate_frac=0.25).source_notes) == {"horizon_years": "board memo"}
    # a sweep override of the value: the file's text is not the override's
    swept = apply_overrides(site, {"finance.tax_rate_frac": 0.25})
    assert (swept.finance.tax_rate_frac, dict(swept.finance.sources)) == (0.25, {"horizon_years": "board memo"})
    with_costs = _site({"server_usd_per_accelerator": QUOTE}, costs={"server_usd_per_accelerator": 30000.0})
    assert dict(apply_overrides(with_costs, {"finance.costs.server_usd_per_accelerator": 1.0e4}).finance.sources) == {}
    assert dict(apply_overrides(with_costs, {"finance.costs": {"staff_fte_per_mw": 1.5}}).finance.sources) == {}
    # an override of another value keeps it
    kept = apply_overrides(site, {"finance.discount_rate_frac": 0.1})
    assert dict(kept.finance.sources) == {"tax_rate_frac": TAX_TEXT, "horizon_years": "board memo"}


def _sheet_rows(ws) -> dict[str, dict]:
    """``{key: {column: cell value}}`` of a sheet whose first row holding ``key`` is its header."""
    rows = list(ws.iter_rows(values_only=True))
    h = next(i for i, row in enumerate(rows) if "key" in row)
    cols = rows[h]
    return {row[cols.index("key")]: dict(zip(cols, row)) for row in rows[h + 1:] if row[cols.index("key")]}


def test_the_workbook_and_csv_assumptions_show_the_text(tmp_path):
    _, r = _run(_site({"tax_rate_frac": TAX_TEXT}))
    _, plain = _run(_site(None))
    path = tco_export.write_workbook(r, tmp_path / "tco.xlsx")
    rows = _sheet_rows(openpyxl.load_workbook(path)["Assumptions"])  # as Excel reads it
    assert rows["tax_rate_frac"]["source"] == f"site.finance.tax_rate_frac: {TAX_TEXT}"
    assert rows["tax_rate_frac"]["status"] == "input"
    assert rows["tax_rate_frac"]["value"] == pytest.approx(0.28505, rel=1e-15)  # openpyxl's %.16g
    other = tco_export.write_workbook(plain, tmp_path / "plain.xlsx")
    assert _sheet_rows(openpyxl.load_workbook(other)["Assumptions"])["tax_rate_frac"]["source"] == \
        "site.finance.tax_rate_frac"
    tco_export.write_csvs(r, tmp_path, stem="chi")
    csv = pd.read_csv(tmp_path / "chi_assumptions.csv", keep_default_na=False).set_index("key")
    assert csv.loc["tax_rate_frac", "source"] == f"site.finance.tax_rate_frac: {TAX_TEXT}"


@pytest.mark.parametrize("notes, field, words", [
    ({"tax_rate_fraq": "x"}, "source_notes.tax_rate_fraq", "did you mean 'tax_rate_frac'"),
    ({"staff_fte_per_mw": "x"}, "source_notes.staff_fte_per_mw", "not given in costs"),
    ({"tax_rate_frac": " "}, "source_notes.tax_rate_frac", "non-empty text"),
])
def test_tco_inputs_refuse_a_note_on_no_value_given(notes, field, words):
    with pytest.raises(InputError, match=words) as e:
        TcoInputs(8, 100.0, 1e5, costs={"tax_rate_frac": 0.25}, source_notes=notes)
    assert e.value.field == field
