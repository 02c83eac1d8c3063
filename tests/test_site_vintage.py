"""A fleet phase that starts before its hardware existed (dcplan.site_vintage).

Finding of a black-box tester modelling an existing campus: an H100 phase with ``start: 2012-01-01``, ten
years before the H100 shipped, was accepted by ``dcplan validate`` without a word. data/hardware.csv gives
the H100 accelerator (row ``h100-sxm``) vintage 2022 (NVIDIA announced the H100 in March 2022 and shipped
it that autumn), so the earliest sensible start is 2022-01-01.
"""
from __future__ import annotations

import datetime as dt
import re
import warnings
from types import SimpleNamespace

import pandas as pd
import pytest

from conftest import DATA, bundled_site_copy

from dcplan.errors import DcplanWarning
from dcplan.report_plan import warn_rendered_sites
from dcplan.site import load_portfolio, load_site
from dcplan.site_plausibility import site_warnings
from dcplan.site_vintage import earliest_start, vintage_warnings
from dcplan.validate import validate_file

# the tester's campus: running H100 halls on capacity in service since 2022, new B200 halls on a new request
FLEET = {"phases": [{"hardware": "hgx-h100", "count": 256, "start": "2012-01-01", "label": "Hall A"},
                    {"hardware": "hgx-b200", "count": 384, "start": "2027-01-01", "label": "Hall B"}]}
IC = {"requested_mw": 14.0, "filed": "2025-06-01", "region": "il-comed",
      "phases": [{"energized": "2011-06-01", "mw": 5.0, "in_service": True, "label": "existing"},
                 {"energized": "2027-01-01", "mw": 9.0, "label": "new"}]}


def _text(f, start="2012-01-01", campus=True) -> str:
    return (f"{f}: fleet.phases[0].start: {start} is before its hardware existed: 'hgx-h100' holds 'h100-sxm' "
            "accelerators, whose vintage in data/hardware.csv (row 'h100-sxm', column vintage: the year of the "
            "product) is 2022, so its earliest sensible start is 2022-01-01"
            + (" (a phase of an existing campus, on capacity in service, follows the same rule)" if campus else "")
            + f"; every report runs those units from {start}. allowed: a start on or after 2022-01-01 (a mistyped "
            "year?), or the hardware key of the units that ran then")


def test_the_catalog_vintages_read_by_hand():
    cat = pd.read_csv(DATA / "hardware.csv", dtype={"key": str}).set_index("key")
    # the accelerator's row, not the server's (hgx-h100's own vintage, 2023, is its power figure's year)
    assert int(cat.loc["h100-sxm", "vintage"]) == 2022 and int(cat.loc["hgx-h100", "vintage"]) == 2023
    assert earliest_start("hgx-h100") == (dt.date(2022, 1, 1), "h100-sxm", "2022")
    assert earliest_start("hgx-b200") == (dt.date(2025, 1, 1), "b200", "2025")
    assert earliest_start("gb200-nvl72") == (dt.date(2024, 1, 1), "gb200-gpu", "2024")
    # no accelerator (a generic CPU server: its vintage is its figure's year), or an unknown key: no check
    assert earliest_start("cpu-2s") is None and earliest_start("no-such-unit") is None


def test_an_h100_phase_in_2012_on_an_existing_campus_warns(tmp_path):
    f = bundled_site_copy(tmp_path, "chicago-il", "campus", fleet=FLEET, interconnection=IC, name="Campus")
    site = load_site(f)
    # warned once, for the H100 phase (the campus's 5 MW in service covers Hall A; Hall B's B200s start 2027,
    # after their 2025; the site's other warning is Hall B after the TCO's horizon counted from 2012)
    assert [t for t in site_warnings(site) if "before its hardware existed" in t] == [_text(f)]
    # dcplan validate warns it, and render's up-front checks (dcplan.report_plan.warn_rendered_sites) too
    pf = tmp_path / "pf.yaml"
    pf.write_text(f"name: t\nsites: [{f}]\n")
    run = SimpleNamespace(site_id="campus", bad_input=None)  # warn_rendered_sites reads the ids of runs not refused
    for check in (lambda: validate_file(f), lambda: warn_rendered_sites(load_portfolio(pf), [run])):
        with warnings.catch_warnings(record=True) as got:
            warnings.simplefilter("always")
            check()
        assert [str(w.message) for w in got if "before its hardware existed" in str(w.message)] == [_text(f)]
    # the same site as a greenfield (no capacity in service): the rule is the same, without the campus clause
    green = {**IC, "phases": [{"energized": "2027-01-01", "mw": 14.0, "label": "new"}]}
    g = bundled_site_copy(tmp_path, "chicago-il", "green", fleet=FLEET, interconnection=green, name="Green")
    assert [t for t in site_warnings(load_site(g)) if "before its hardware existed" in t] == [_text(g, campus=False)]


def test_the_vintage_year_is_the_boundary(tmp_path):
    def warned(start, hardware="hgx-h100"):
        fleet = {"phases": [{"hardware": hardware, "count": 256, "start": start, "label": "Hall A"},
                            FLEET["phases"][1]]}
        return vintage_warnings(load_site(bundled_site_copy(tmp_path, "chicago-il", f"c{start}", fleet=fleet,
                                                            interconnection=IC, name=f"C {start}")))
    assert warned("2022-01-01") == [] and warned("2023-06-01") == []
    (w,) = warned("2021-12-31")
    assert w.split(": ")[1:3] == ["fleet.phases[0].start", "2021-12-31 is before its hardware existed"]
    # a phase of 0 units has no hardware to date
    fleet = {"phases": [{"hardware": "hgx-h100", "count": 0, "start": "2012-01-01"}, FLEET["phases"][1]]}
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DcplanWarning)
        site = load_site(bundled_site_copy(tmp_path, "chicago-il", "empty", fleet=fleet, interconnection=IC))
    assert vintage_warnings(site) == []


def test_a_greenfield_phase_before_its_vintage_warns_too(tmp_path):
    # Phoenix (no capacity in service, filed 2025-01-15) with its B200s from 2012: before filing too
    f = bundled_site_copy(tmp_path, "phoenix-az", "early",
                          fleet={"phases": [{"hardware": "hgx-b200", "count": 384, "start": "2012-01-01"}]})
    w = [t for t in site_warnings(load_site(f)) if "before its hardware existed" in t]
    assert w == [f"{f}: fleet.phases[0].start: 2012-01-01 is before its hardware existed: 'hgx-b200' holds 'b200' "
                 "accelerators, whose vintage in data/hardware.csv (row 'b200', column vintage: the year of the "
                 "product) is 2025, so its earliest sensible start is 2025-01-01; every report runs those units "
                 "from 2012-01-01. allowed: a start on or after 2025-01-01 (a mistyped year?), or the hardware key "
                 "of the units that ran then"]


def test_no_bundled_site_is_warned():
    assert {s.id: vintage_warnings(s) for s in load_portfolio()} == {
        "research-triangle-nc": [], "northern-virginia": [], "phoenix-az": [], "chicago-il": []}
