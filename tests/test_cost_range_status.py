"""data/costs.csv's optional ``range_status``: the status of a row's low/high where they come from a weaker source
than its value (a sources audit: the price per GPU-hour said ``primary``, the AWS page, while its 1.99-6.98
range, the largest tornado bar, is costnimbus.com's, unverified).

Expected values are read from the row's own source text, not from the loader: revenue_usd_per_gpu_h's source
says "costnimbus.com (low/high, unverified)"; tax_rate_frac's high is the Tax Foundation via NJBIA,
"(secondary)"; network_usd_per_accelerator's range has no source of its own (its cell is blank), so it is the
row's status, ``estimate``.
"""
from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from conftest import DATA
from dcplan.catalog_checks import STATUS_WORDS, CatalogError, check_costs, read_catalog
from dcplan.tco import TcoInputs, load_costs, run_tco
from dcplan.tco_assumptions import with_range_status
from dcplan.tco_tornado_table import tornado_sources_table
from dcplan.tco_uncertainty import tornado

KW = dict(n_accelerators=1000, it_capacity_kw=1000.0, it_energy_kwh=8.0e6)


def _raw():
    return pd.read_csv(DATA / "costs.csv", comment="#")


def test_the_loader_reads_range_status_and_a_blank_cell_is_the_row_status():
    raw, t = _raw().set_index("key"), load_costs()
    # the file as written: the two rows of the finding carry a weaker range status than their value's
    assert raw.loc["revenue_usd_per_gpu_h", ["status", "range_status"]].tolist() == ["primary", "unverified"]
    assert raw.loc["tax_rate_frac", ["status", "range_status"]].tolist() == ["primary", "secondary"]
    assert "unverified" in raw.loc["revenue_usd_per_gpu_h", "source"]       # the row's own words
    assert "(secondary)" in raw.loc["tax_rate_frac", "source"]
    # loaded: the filled cells as written, a blank cell takes the row's status
    assert t.loc["revenue_usd_per_gpu_h", "range_status"] == "unverified"
    assert t.loc["tax_rate_frac", "range_status"] == "secondary"
    assert pd.isna(raw.loc["network_usd_per_accelerator", "range_status"])
    assert t.loc["network_usd_per_accelerator", "range_status"] == "estimate" == t.loc["network_usd_per_accelerator",
                                                                                         "status"]
    blank = raw["range_status"].isna()
    assert blank.sum() > 20                       # most ranges are as sourced as their values
    for k in raw.index[blank].intersection(t.index):     # (facility_liquid_usd_per_mw: a liquid site's row)
        assert t.loc[k, "range_status"] == t.loc[k, "status"], k
    assert set(t["range_status"]) <= set(STATUS_WORDS)
    # a liquid-cooled site's facility cost: its own row's (blank: derived)
    assert load_costs(cooling_type="liquid").loc["facility_usd_per_mw", "range_status"] == "derived"


def test_a_file_without_the_column_still_loads_each_range_as_its_status(tmp_path):
    p = tmp_path / "costs.csv"
    _raw().drop(columns="range_status").to_csv(p, index=False)
    t = load_costs(p)
    assert (t["range_status"] == t["status"]).all()
    assert t.loc["revenue_usd_per_gpu_h", "range_status"] == "primary"


def test_a_bad_range_status_is_refused_naming_file_key_column_value_and_allowed(tmp_path):
    df = _raw()
    df.loc[df["key"] == "revenue_usd_per_gpu_h", "range_status"] = "costnimbus"
    p = tmp_path / "costs.csv"
    df.to_csv(p, index=False)
    with pytest.raises(CatalogError) as e:
        check_costs(read_catalog(str(p)), str(p))
    msg = str(e.value)
    assert str(p) in msg
    (where, what), = e.value.problems
    assert "revenue_usd_per_gpu_h" in where and where.endswith("range_status")
    assert "'costnimbus' is not a status word" in what
    assert "allowed: primary, secondary, unverified, derived, estimate, or blank" in what
    with pytest.raises(CatalogError, match="range_status"):      # and the loader refuses it too
        load_costs(p)


def test_revenue_tornado_row_shows_its_range_unverified_and_an_empty_cell_its_status():
    inp = TcoInputs(**KW)
    r = run_tco(inp, np.full(12, 3.0e5))
    tr = tornado(inp, np.full(12, 3.0e5))
    t = tornado_sources_table(r, tr, inp, top=40)
    assert list(t.columns) == ["unit", "base", "low", "high", "status", "range_status", "vintage", "source"]
    assert t.loc["revenue_usd_per_gpu_h", "range_status"] == "unverified"
    assert t.loc["tax_rate_frac", "range_status"] == "secondary"
    # a blank cell: the row's status (facility cost per MW: C&W's average and its San Antonio / Reno ends, primary)
    assert t.loc["facility_usd_per_mw", "range_status"] == "primary"
    assert t.loc["utilization_frac", "range_status"] == "held"
    # the Assumptions row (and so the table's status column) says the range's weaker status
    a = r.assumptions.set_index("key")
    assert a.loc["revenue_usd_per_gpu_h", "status"] == "primary (range: unverified)"
    assert a.loc["tax_rate_frac", "status"] == "primary (range: secondary)"
    assert a.loc["facility_usd_per_mw", "status"] == "primary"          # range as strong: unchanged
    assert a.loc["network_usd_per_accelerator", "status"] == "estimate"
    assert t.loc["revenue_usd_per_gpu_h", "status"] == a.loc["revenue_usd_per_gpu_h", "status"]


def test_with_range_status_adds_only_a_weaker_range():
    assert with_range_status("primary", {"range_status": "unverified"}) == "primary (range: unverified)"
    assert with_range_status("primary", {"range_status": "primary"}) == "primary"
    assert with_range_status("estimate", {"range_status": "derived"}) == "estimate"    # a stronger range: as is
    assert with_range_status("input", {"range_status": "unverified"}) == "input"      # a given value: its own
