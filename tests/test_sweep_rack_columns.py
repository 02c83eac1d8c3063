"""A sweep row's rack figures, racks_total and rack_kw_max (dcplan.rack_density.rack_row_figures).

A sweep audit (2026-12): Phoenix's 384 hgx-b200 at 1 and 2 servers a rack gave the same case_figures row in every
column, as the row had no rack-level figure, so a rack-density axis could not show the one thing density changes:
the rack count and the kW per rack (and with it whether an air plant may cool the rack). Expected values are by
hand from data/hardware.csv (hgx-b200 max_kw 14.3, hgx-h100 10.2; no power caps on these sites).
"""
from __future__ import annotations

import pandas as pd
import pytest

from conftest import bundled_site_copy

from dcplan.errors import DcplanWarning
from dcplan.pipeline import case_figures
from dcplan.rack_density import rack_row_figures
from dcplan.site import load_portfolio, load_site
from dcplan.sweep import SweepSpec, run_sweep
from dcplan.sweep_overrides import apply_overrides

LAYOUT = "fleet.phases[0].units_per_rack"
RACK_COLUMNS = ["racks_total", "rack_kw_max"]


@pytest.fixture(scope="module")
def pf():
    return load_portfolio()


@pytest.mark.parametrize("n, racks, kw", [
    (1, 384, 14.3),       # 384 / 1 racks of 1 x 14.3 kW
    (2, 192, 2 * 14.3),   # 384 / 2 = 192 racks of 28.6 kW (the site file's own layout)
    (4, 96, 4 * 14.3),    # 96 racks of 57.2 kW: above 40.8 kW, below the 60 kW an air plant is refused at
])
def test_phoenix_racks_follow_the_layout(pf, n, racks, kw):
    got = rack_row_figures(apply_overrides(pf["phoenix-az"], {LAYOUT: n}))
    assert got["racks_total"] == racks                      # whole racks: exact
    assert got["rack_kw_max"] == pytest.approx(kw, rel=1e-12)  # n x 14.3, float rounding only


def test_mixed_fleet_counts_partial_racks_and_takes_the_densest(tmp_path):
    """385 hgx-b200 at 3 a rack fill ceil(385 / 3) = 129 racks (the last holding 1) of 3 x 14.3 = 42.9 kW; 100
    hgx-h100 at the catalog's 4 fill 25 racks of 4 x 10.2 = 40.8 kW: 154 racks, the densest 42.9 kW."""
    f = bundled_site_copy(tmp_path, "phoenix-az", "mixed", fleet={"phases": [
        {"hardware": "hgx-b200", "count": 385, "start": "2026-10-01", "units_per_rack": 3},
        {"hardware": "hgx-h100", "count": 100, "start": "2026-10-01"}]})
    got = rack_row_figures(load_site(f))
    assert got["racks_total"] == 129 + 25
    assert got["rack_kw_max"] == pytest.approx(3 * 14.3, rel=1e-12)


def test_case_figures_places_the_rack_figures_after_the_design_it(pf):
    row = case_figures(pf["phoenix-az"])
    keys = list(row)
    at = keys.index("design_it_kw")
    assert keys[at + 1:at + 3] == RACK_COLUMNS
    assert (row["racks_total"], row["rack_kw_max"]) == (192, pytest.approx(28.6, rel=1e-12))


def test_a_layout_sweep_csv_shows_the_racks_and_nothing_else_moves(tmp_path, pf):
    """The audit's sweep, run: its CSV header carries the rack columns after design_it_kw, its rows the hand
    counts, and every other figure is the same at both layouts (the plant model takes no rack density; 384 is a
    whole number of racks at 1 and 2, so no partial rack's gear moves the design IT), as the warning says."""
    spec_kw = dict(sites=[pf["phoenix-az"]], name="density", axes={LAYOUT: [1, 2, 5]})
    with pytest.warns(DcplanWarning, match=r"only racks_total and rack_kw_max .* follow the rack layout"):
        spec = SweepSpec(**spec_kw)
    res = run_sweep(spec, jobs=1, out=tmp_path / "density.parquet", csv=True)
    df = pd.read_csv(tmp_path / "density.csv")
    cols = list(df.columns)
    at = cols.index("design_it_kw")
    assert cols[at + 1:at + 3] == RACK_COLUMNS
    # 5 a rack on Phoenix's air plant: 5 x 14.3 = 71.5 kW, at or above the 60 kW an air plant is refused at
    five = df[df[LAYOUT] == 5].iloc[0]
    assert five["status"] == "failed" and "71.5 kW per compute rack" in five["error"]
    df = df[df[LAYOUT] != 5]
    assert (df["status"] == "ok").all() and not res.ok
    df = df.sort_values(LAYOUT).reset_index(drop=True)
    assert df["racks_total"].tolist() == [384, 192]
    assert df["rack_kw_max"].tolist() == pytest.approx([14.3, 28.6], rel=1e-12)
    skip = set(RACK_COLUMNS) | {LAYOUT, "case_id", "overrides_json", "seconds", "cpu_s", "worker"}
    same = [c for c in cols if c not in skip]
    pd.testing.assert_frame_equal(df.loc[[0], same].reset_index(drop=True), df.loc[[1], same].reset_index(drop=True))


def test_a_failed_air_case_row_still_has_its_rack_figures(pf):
    """5 hgx-b200 a rack on Phoenix's air plant fails (71.5 kW at or above the 60 kW an air plant is refused at);
    the layout is known before the plant model refuses it, so the row says it: ceil(384 / 5) = 77 racks (the last
    holding 4) of 5 x 14.3 = 71.5 kW (by hand from data/hardware.csv). Before, the failed row had no rack columns."""
    from dcplan.sweep_spec import DEFAULT_CASE
    from dcplan.sweep_worker import run_case
    row = run_case(DEFAULT_CASE, pf["phoenix-az"], {LAYOUT: 5}, None, "c5")
    assert row["status"] == "failed" and "71.5 kW per compute rack" in row["error"]
    assert row["racks_total"] == 77                                  # whole racks: exact
    assert row["rack_kw_max"] == pytest.approx(5 * 14.3, rel=1e-12)  # float rounding only
    # another case function's failed row gets none (its columns are its own)
    other = run_case("test_sweep:boom_on_air", pf["phoenix-az"], {LAYOUT: 5}, None, "c5")
    assert other["status"] == "failed" and not set(RACK_COLUMNS) & set(other)
