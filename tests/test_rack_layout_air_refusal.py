"""One rule for an air-cooled compute rack, a site phase's as a data/hardware.csv row's; validate's catalog summary.

The verifier's findings: a site phase laying out a 71.5 kW (5 x hgx-b200) or 114.4 kW (8 a rack) air-cooled rack was
only warned, as a 42.9 kW one, while the same rack in an edited hardware.csv was refused (>= 60 kW, where liquid-cooled
high-density racks start); ``dcplan validate`` (a site or portfolio) said "data: ok" without the hgx-b200 warning that
``dcplan validate data/hardware.csv`` gives; the design IT of a partial last rack was not in the docs' wording.

Figures by hand from data/hardware.csv (max_kw): hgx-b200 14.3 kW, mi300x-8 8.5 kW, cpu-2s 0.8 kW; rack gear of a
catalog HGX rack (4 servers) 1.5 x 1.7 + 0.15 + 0.25 x 1.5 = 3.075 kW. Thresholds: docs/reference-data.md s.2,
liquid-cooled high-density racks 60-120 kW, 4 x DGX H100 = 40.8 kW the densest air-cooled layout.
"""
from __future__ import annotations

import warnings
from pathlib import Path

import pytest

from conftest import bundled_site_copy

from dcplan import catalog_checks as cc
from dcplan import power
from dcplan.catalog_bands import AIR_RACK_REFUSED, air_rack_fit, air_rack_level, air_rack_problem
from dcplan.cli import main
from dcplan.errors import DcplanWarning, InputError
from dcplan.paths import data_dir, data_path
from dcplan.rack_density import air_rack_errors, rack_figures, rack_layout_warnings
from dcplan.site import SiteError, load_site
from dcplan.validate import Problem, validate_file

GEAR = 1.5 * 1.7 + 0.15 + 0.25 * 1.5   # 3.075 kW per catalog HGX rack


def _site(tmp_path, site_id, hardware="hgx-b200", count=384, cooling=None, **fleet):
    phase = {"hardware": hardware, "count": count, "start": "2026-10-01", "label": "Hall 1"}
    phase.update({k: fleet.pop(k) for k in ("units_per_rack",) if k in fleet})
    extra = {} if cooling is None else {"cooling": cooling}
    return bundled_site_copy(tmp_path, "phoenix-az", site_id, fleet={"phases": [phase], **fleet}, **extra)


def _refusal(what, kw, n, unit, allowed):
    return (f"{what} is {kw} kW per compute rack at full load ({n} x {unit} kW) on an air-cooled site (cooling.type "
            "air): at or above the 60 kW where liquid-cooled high-density racks start (60-120 kW, "
            "docs/reference-data.md s.2 (dcplan docs shows where), unverified; "
            "dcplan.catalog_bands.LIQUID_RACK_MIN_KW): no air plant cools "
            f"such a rack; allowed: {allowed}cooling.type: liquid (a direct-liquid-cooled version of the servers)")


# ------------------------------------------------------------------- finding 1: refused on the site path
@pytest.mark.parametrize("n, kw", [(5, "71.5"), (8, "114.4")])   # 5 x 14.3, 8 x 14.3
def test_a_site_air_rack_at_or_above_60_kw_is_refused_in_validate(tmp_path, n, kw, capsys):
    f = _site(tmp_path, f"ph{n}", units_per_rack=n)
    # the most under 60 kW: 4 x 14.3 = 57.2 (5 x 14.3 = 71.5); at most 2 for 40.8 kW (3 x 14.3 = 42.9)
    want = _refusal(f"{n} x hgx-b200 per rack", kw, n, "14.3",
                    "units_per_rack: 4 or fewer (4 x 14.3 = 57.2 kW; at most 2 for 40.8 kW, the densest air-cooled "
                    "layout the reference data give), or ")
    with warnings.catch_warnings():
        warnings.simplefilter("error", DcplanWarning)   # refused, not also warned
        assert validate_file(f) == [Problem(str(f), "fleet.phases[0].units_per_rack", want)]
    assert main(["validate", str(f)]) == 2
    assert f"{f}: fleet.phases[0].units_per_rack: {want}" in capsys.readouterr().err.splitlines()
    # the site-year chain refuses it too (dcplan.pipeline calls check_air_coolable), and so do the rack figures of
    # the rack_power and site_analysis reports
    for refuses in (power.check_air_coolable, rack_figures):
        with pytest.raises(InputError) as e:
            refuses(load_site(f))
        assert (e.value.file, e.value.field, e.value.detail) == (str(f), "fleet.phases[0].units_per_rack", want)


def test_the_site_and_the_catalog_refuse_the_same_racks(tmp_path):
    # mi300x-8 at 8 a rack: 8 x 8.5 = 68 kW; cpu-2s at 75: 75 x 0.8 = 60 kW, exactly the threshold (refused); 74 x
    # 0.8 = 59.2 kW and 7 x 8.5 = 59.5 kW are the most under 60 kW (warned: above 40.8 kW)
    cases = [("mi300x-8", 8.5, 8, 7, 4, True), ("mi300x-8", 8.5, 7, 7, 4, False),
             ("cpu-2s", 0.8, 75, 74, 51, True), ("cpu-2s", 0.8, 74, 74, 51, False)]
    for key, unit, n, below, fit, refused in cases:
        f = _site(tmp_path, f"{key}-{n}", hardware=key, count=600, units_per_rack=n)
        try:
            errs = air_rack_errors(load_site(f))
        except SiteError as e:  # refused when the file is loaded (dcplan.site.load_site), so validate and render too
            errs = list(e.problems)
        catalog = air_rack_problem("server", "air", n, unit)
        assert (catalog[0] == "error") is refused and bool(errs) is refused, (key, n)
        assert air_rack_fit(unit) == (below, fit)
        if refused:
            assert errs[0][0] == "fleet.phases[0].units_per_rack"
            assert f"allowed: units_per_rack: {below} or fewer ({below} x {unit:g} = {below * unit:.1f} kW; at most " \
                   f"{fit} for 40.8 kW" in errs[0][1]
            assert AIR_RACK_REFUSED in errs[0][1] and AIR_RACK_REFUSED in catalog[1]
            assert f"units_per_rack {below} or fewer (at most {fit} for 40.8 kW" in catalog[1]
        else:
            with pytest.warns(DcplanWarning) as rec:
                assert validate_file(f) == []
            assert any(f"{n} x {key} per rack (fleet.phases[0].units_per_rack) is {n * unit:.1f} kW" in str(w.message)
                       for w in rec)
    assert [air_rack_level(kw) for kw in (40.8, 40.81, 59.99, 60.0)] == [None, "warning", "warning", "error"]


def test_a_capped_or_liquid_cooled_dense_rack_is_not_refused(tmp_path):
    # 5 x hgx-b200 held to 11 kW a server: 55 kW, under 60 (warned); on a liquid plant 71.5 kW is in its range
    capped = load_site(_site(tmp_path, "cap", units_per_rack=5, cap_kw_per_unit=11.0))
    assert air_rack_errors(capped) == []
    assert [w.split(": ", 2)[1] for w in rack_layout_warnings(capped)] == ["fleet.phases[0]"]
    assert "is 55.0 kW per compute rack at full load (5 x 11 kW)" in rack_layout_warnings(capped)[0]
    liquid = load_site(_site(tmp_path, "liq", units_per_rack=5, cooling={"type": "liquid", "liquid_class": "W32"}))
    assert air_rack_errors(liquid) == [] and rack_layout_warnings(liquid) == []
    power.check_air_coolable(liquid)   # no error


# ------------------------------------------------------- finding 5: validate's catalog summary says the warning
def test_validate_of_a_site_says_the_catalog_warning_validate_of_the_catalog_gives(capsys, tmp_path):
    hw = data_path("hardware.csv")
    with pytest.warns(DcplanWarning) as rec:
        assert validate_file(hw) == []
    given = [str(w.message) for w in rec]
    # the bundled hgx-b200 row: 4 x 14.3 = 57.2 kW air-cooled, above 40.8 kW (deliberate: sites set their layout)
    assert len(given) == 1 and "key 'hgx-b200', units_per_rack: air-cooled, 4 x 14.3 kW (units_per_rack x max_kw) = " \
                               "57.2 kW per rack, above the 40.8 kW" in given[0]
    assert cc.catalog_warnings() == [given[0].replace(str(hw), str(data_dir() / "hardware.csv"), 1)]
    # a site on the catalog's hgx-b200 layout (the bundled Phoenix site's phase without its own units_per_rack)
    site = bundled_site_copy(tmp_path, "phoenix-az", "px-catalog-layout")
    text = site.read_text()
    assert "units_per_rack: 2" in text
    site.write_text("".join(ln for ln in text.splitlines(keepends=True) if "units_per_rack: 2" not in ln))
    with pytest.warns(DcplanWarning, match=r"57\.2 kW per compute rack"):  # the site's own warning of its layout
        assert main(["validate", str(site)]) == 0
    out = capsys.readouterr().out.splitlines()
    where, msg = cc.catalog_warnings()[0].split(": ", 1)
    ok = (f"{data_dir()}: ok (data catalogs: costs.csv, hardware.csv, cooling_defaults.csv, interconnection.csv, "
          "equipment_lead_times.csv, system_load_example.csv")
    assert out[-1] == f"{ok}; warning, as dcplan validate {where} gives it: {msg})"
    # a site the row does not concern says none of it (a tester's finding, twice: every validate of any site said
    # it): the bundled Phoenix site sets its own 2 a rack, Chicago runs other hardware
    for other in ("phoenix-az", "chicago-il"):
        assert main(["validate", str(data_path("sites", f"{other}.yaml"))]) == 0
        assert capsys.readouterr().out.splitlines()[-1] == f"{ok})", other


def test_catalog_warnings_of_a_folder_without_them_is_empty(tmp_path):
    text = data_path("hardware.csv").read_text(encoding="utf-8")
    old = "hgx-b200,8-GPU HGX/DGX B200 server,server,NVIDIA,b200,8,1000,140,14.3,3.6,0.96,4,air"
    assert text.count(old) == 1
    (tmp_path / "hardware.csv").write_text(text.replace(old, old.replace(",0.96,4,air", ",0.96,2,air")),
                                           encoding="utf-8")
    assert cc.catalog_warnings(tmp_path) == []   # 2 x 14.3 = 28.6 kW


# ------------------------------------------------- finding 7: a partial last rack in the layout wording
def test_the_docs_say_a_partial_rack_changes_the_design_it(tmp_path):
    three = load_site(_site(tmp_path, "p3", count=385, units_per_rack=3))
    # 5 a rack is 71.5 kW: a liquid-cooled layout (an air site refuses it, dcplan.rack_density.air_rack_errors)
    five = load_site(_site(tmp_path, "p5", count=385, units_per_rack=5, cooling={"type": "liquid", "liquid_class": "W32"}))
    # 385 x 14.3 = 5,505.5 kW of servers; at 3 a rack 129 racks x 3.075 x 3/4 = 297.506 kW of gear: 5,803.0 kW;
    # at 5 a rack 77 full racks x 3.075 x 5/4 = 295.969 kW: 5,801.5 kW
    assert power.fleet_design_it_kw(three) == pytest.approx(385 * 14.3 + 129 * GEAR * 3 / 4, rel=1e-12)
    assert power.fleet_design_it_kw(five) == pytest.approx(385 * 14.3 + 77 * GEAR * 5 / 4, rel=1e-12)
    assert (f"{power.fleet_design_it_kw(three):,.1f}", f"{power.fleet_design_it_kw(five):,.1f}") == (
        "5,803.0", "5,801.5")
    said = "385 hgx-b200: 5,801.5 kW of design IT in 77 full racks of 5, 5,803.0 kW in 129 racks of 3"
    root = Path(__file__).resolve().parents[1]
    site_format = (root / "docs" / "site-format.md").read_text(encoding="utf-8")
    row = next(ln for ln in site_format.splitlines() if ln.startswith("| `fleet.phases[].units_per_rack`"))
    assert "except where the phase's last rack is partial: that rack carries a full rack's share of the gear" in row
    assert said in row
    glossary = (root / "docs" / "glossary.md").read_text(encoding="utf-8")
    row = next(ln for ln in glossary.splitlines() if ln.startswith("| `units_per_rack` |"))
    assert "except where a phase's last rack is partial" in row and "5,803.0 kW in 129 racks of 3" in row
    assert "at or above `LIQUID_RACK_MIN_KW` (60 kW) is refused" in row
    row = next(ln for ln in glossary.splitlines() if ln.startswith("| `rack_kw` |"))
    assert "the servers alone" in row and "incl. per-rack gear" not in row
