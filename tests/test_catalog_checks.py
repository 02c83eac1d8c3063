"""dcplan.catalog_checks: a bad edit of a bundled catalog is refused where it is made, naming the
file, line, row key, column, value and what is allowed; the bundled catalogs pass.

Every bad edit is made on a temporary copy of the bundled CSV (data/ is never edited here)."""
from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from dcplan import catalog_checks as cc
from dcplan.errors import InputError
from dcplan.paths import data_path


def _copy(tmp_path: Path, name: str, old: str = "", new: str = "", dest: str | None = None) -> Path:
    """A copy of the bundled ``name`` in ``tmp_path`` with ``old`` replaced by ``new`` once."""
    text = data_path(name).read_text(encoding="utf-8")
    if old:
        assert text.count(old) >= 1, old
        text = text.replace(old, new, 1)
    p = tmp_path / (dest or name)
    p.write_text(text, encoding="utf-8")
    return p


def _line_of(name: str, start: str) -> int:
    """The 1-based line of the bundled ``name`` that starts with ``start``, counted here by hand."""
    lines = data_path(name).read_text(encoding="utf-8").splitlines()
    return next(i + 1 for i, ln in enumerate(lines) if ln.startswith(start))


def _problems(p: Path) -> list[str]:
    return [ln.removeprefix(f"{p}: ") for ln in cc.check_file(p)]


# ----------------------------------------------------------------------------- bundled
def test_bundled_catalogs_pass():
    assert cc.check_all() == []


def test_the_example_series_is_checked_as_a_system_load_csv(tmp_path):
    """``dcplan validate SITE`` said the data catalogs were checked while data/system_load_example.csv, which the
    interconnection run reads without -p system_load_csv, was not: an edit that cannot be read passed. The bundled
    series reads; a word in the load column is named with its file, column, value and data row (the second data
    row: the header comes after the file's comment lines); a missing series is said."""
    assert cc.EXAMPLE_SERIES == ("system_load_example.csv",)
    assert cc.check_example_series() == []
    _copy(tmp_path, "system_load_example.csv", "2025-01-01T02:00:00-05:00,16987.3", "2025-01-01T02:00:00-05:00,abc")
    assert cc.check_example_series(tmp_path) == [
        f"{tmp_path / 'system_load_example.csv'}: system_load: column 'system_load_mw': value 'abc' (data row 2) "
        "is not a number; need plain numbers (no thousands separators or units)"]
    (tmp_path / "system_load_example.csv").unlink()
    assert cc.check_example_series(tmp_path) == [f"{tmp_path / 'system_load_example.csv'}: file not found"]


def test_check_all_reads_another_folder(tmp_path):
    for name in cc.CATALOGS:
        shutil.copy(data_path(name), tmp_path / name)
    _copy(tmp_path, "equipment_lead_times.csv", "chiller,30,35,40", "chiller,40,35,30")
    got = cc.check_all(tmp_path)
    assert len(got) == 1 and got[0].startswith(f"{tmp_path / 'equipment_lead_times.csv'}: line ")
    (tmp_path / "costs.csv").unlink()
    assert f"{tmp_path / 'costs.csv'}: file not found" in cc.check_all(tmp_path)


def test_cost_units_cover_the_model_keys_and_follow_the_names():
    from dcplan.tco_assumptions import COST_QUANTITIES
    from dcplan.tco_input_types import cost_keys
    from dcplan.tco_input_types import COOLING_DEFAULT_ROWS  # another input's default for a cooling type, no input
    assert set(cc.COST_UNITS) == set(COST_QUANTITIES) | set(COOLING_DEFAULT_ROWS) == set(cost_keys()) | set(COOLING_DEFAULT_ROWS)
    # the unit each name's suffix says (docs/glossary.md), derived here independently of the table
    for key, unit in cc.COST_UNITS.items():
        if key.endswith("_usd_per_mw"):
            assert unit == "USD/MW", key
        elif key.endswith("_usd_per_accelerator"):
            assert unit == "USD/accelerator", key
        elif key.endswith("_frac"):
            assert unit in ("frac", "frac/yr"), key
        elif key.endswith("_months"):
            assert unit == "months", key
        elif key.endswith("_years"):
            assert unit == "yr", key


def test_cooling_units_follow_the_names():
    from dcplan.thermal_plant_params import _OVERRIDE_BOUNDS
    assert [cc.cooling_unit(k) for k in ("inlet_setpoint_degc", "tower_approach_k", "crah_fan_kw_per_kw",
                                          "margin_frac", "server_fan_frac_air", "server_fan_flow_per_k",
                                          "tower_lg_ratio", "chiller_cop_max")] == \
        ["degC", "K", "kW/kW", "frac", "frac", "1/K", "kg/kg", "-"]
    assert len(_OVERRIDE_BOUNDS) == 51  # (41 before 2026-12: + 10 part-load curve rows of the CRAH fans and loop pumps, dcplan.thermal_part_load) one per row of the bundled file (checked by test_bundled_catalogs_pass)


# ---------------------------------------------------------------- finding 1: ranges
def test_costs_blank_range_is_refused(tmp_path):
    p = _copy(tmp_path, "costs.csv", "facility_usd_per_mw,11700000,9300000,15000000",
              "facility_usd_per_mw,11700000,,")
    n = _line_of("costs.csv", "facility_usd_per_mw,")
    assert _problems(p) == [
        f"line {n}, key 'facility_usd_per_mw', {c}: blank; allowed: a number in USD/MW (a blank is refused; a row "
        "without a range writes low = high = value)" for c in ("low", "high")]


def test_costs_swapped_range_is_refused(tmp_path):
    p = _copy(tmp_path, "costs.csv", "facility_usd_per_mw,11700000,9300000,15000000",
              "facility_usd_per_mw,11700000,15000000,9300000")
    n = _line_of("costs.csv", "facility_usd_per_mw,")
    assert _problems(p) == [f"line {n}, key 'facility_usd_per_mw', low/value: low 15000000 > value 11700000 USD/MW "
                            "(swapped?); allowed: low <= value <= high"]


def test_costs_row_without_range_is_written_low_equal_high(tmp_path):
    p = _copy(tmp_path, "costs.csv", "facility_usd_per_mw,11700000,9300000,15000000",
              "facility_usd_per_mw,11700000,11700000,11700000")
    assert _problems(p) == []


def test_costs_value_outside_the_model_range(tmp_path):
    p = _copy(tmp_path, "costs.csv", "discount_rate_frac,0.08,0.055,0.12", "discount_rate_frac,8,5.5,12")
    got = _problems(p)
    assert len(got) == 3 and "value: 8 is outside what the model allows for discount_rate_frac; allowed: a rate " \
                               "per year in [0, 1] as a fraction (0.08 for 8 %)" in got[1]


# ---------------------------------------------------------------- finding 2: units
def test_costs_unit_must_be_the_models(tmp_path):
    p = _copy(tmp_path, "costs.csv", "facility_usd_per_mw,11700000,9300000,15000000,USD/MW",
              "facility_usd_per_mw,11700,9300,15000,USD/kW")
    n = _line_of("costs.csv", "facility_usd_per_mw,")
    assert _problems(p) == [f"line {n}, key 'facility_usd_per_mw', unit: 'USD/kW' is not the unit the model reads "
                            "facility_usd_per_mw in; allowed: 'USD/MW' (convert the figures to USD/MW, do not "
                            "relabel them)"]


def test_cooling_degf_is_refused(tmp_path):
    p = _copy(tmp_path, "cooling_defaults.csv", "inlet_setpoint_degc,25.0,degC", "inlet_setpoint_degc,77,degF")
    assert _problems(p) == [
        "line 2, key 'inlet_setpoint_degc', unit: 'degF' is not the unit the plant model reads inlet_setpoint_degc "
        "in; allowed: 'degC' (convert the figure, do not relabel it)",
        "line 2, key 'inlet_setpoint_degc', value: 77 degC is outside the allowed range; allowed: [10, 40] degC"]


_B200 = "hgx-b200,8-GPU HGX/DGX B200 server,server,NVIDIA,b200,8,1000,140,14.3,"


def test_hardware_max_kw_in_watts_is_refused(tmp_path):
    p = _copy(tmp_path, "hardware.csv", _B200, _B200.replace(",14.3,", ",14300,"))
    n = _line_of("hardware.csv", "hgx-b200,")
    # 8 x 1000 W / 0.96 = 8.333 kW at the wall; 4 x that = 33.33 kW; 14300 / 8.333 = 1,716
    assert _problems(p) == [f"line {n}, key 'hgx-b200', max_kw: 14300 kW is 1,716 x the accelerators' wall power "
                            "8.333 kW (8 x 1000 W / 0.96) (a figure in W? max_kw is in kW); allowed: 8.333 to 33.33 kW "
                            "(at most 4 x; dcplan.catalog_checks)"]


def test_hardware_max_kw_below_the_accelerators(tmp_path):
    p = _copy(tmp_path, "hardware.csv", _B200, _B200.replace(",14.3,", ",8.0,"))
    assert "max_kw: 8 kW is 0.96 x the accelerators' wall power 8.333 kW" in _problems(p)[0]


def test_hardware_new_b300_row_passes(tmp_path):
    # the tester's B300 rows: 8 x 1400 W / 0.96 = 11.67 kW <= 14.5 kW <= 46.67 kW
    b300 = ("b300,NVIDIA B300 (GPU only),accelerator,NVIDIA,b300,1,1400,190,1.400,0.190,1.0,,,,2025,"
            "max secondary; idle estimate,\"1,400 W per GPU\",idle estimate\n"
            "hgx-b300,8-GPU HGX/DGX B300 server,server,NVIDIA,b300,8,1400,190,14.5,3.6,0.96,4,air,"
            "ib-ndr-switch*1.5;eth-mgmt-switch*1;storage-node*0.25,2025,max secondary; idle estimate,\"14.5 kW\",x\n")
    p = _copy(tmp_path, "hardware.csv")
    p.write_text(p.read_text() + b300)
    assert _problems(p) == []
    p.write_text(p.read_text().replace(",14.5,3.6,", ",14500,3.6,"))
    assert _problems(p)[0].endswith("allowed: 11.67 to 46.67 kW (at most 4 x; dcplan.catalog_checks)")


def test_hardware_gear_in_watts_and_idle_above_max(tmp_path):
    old = "cpu-2s,2-socket CPU server (general purpose),server,generic,,0,,,0.80,0.128,"
    p = _copy(tmp_path, "hardware.csv", old, old.replace(",0.80,0.128,", ",800,0.128,"))
    assert _problems(p)[0].endswith("max_kw: 800 kW for a unit without accelerators (a figure in W? max_kw is in "
                                    "kW); allowed: at most 100 kW (dcplan.catalog_checks)")
    p = _copy(tmp_path, "hardware.csv", old, old.replace(",0.80,0.128,", ",0.80,1.28,"))
    assert _problems(p)[0].endswith("idle_kw/max_kw: idle_kw 1.28 > max_kw 0.8 kW (swapped?); allowed: "
                                    "idle_kw <= max_kw")


# -------------------------------------------------------------- finding 3: duplicates
@pytest.mark.parametrize("name, old, key, col", [
    ("hardware.csv", "hgx-h200,8-GPU", "hgx-h100", "key"),
    ("cooling_defaults.csv", "margin_frac,0.10", "tower_cycles", "key"),
    ("costs.csv", "inflation_frac,0.025", "discount_rate_frac", "key"),
    ("interconnection.csv", "ga-georgia-power,", "nc-duke", "region"),
])
def test_duplicate_keys_are_refused(tmp_path, name, old, key, col):
    new = key + old[old.index(","):]
    p = _copy(tmp_path, name, old, new)
    first, dup = _line_of(name, key + ","), _line_of(name, old)
    got = _problems(p)
    assert got[0] == (f"line {dup}, {col} '{key}', {col}: duplicate key '{key}', also on line {first}: keys must be "
                      "unique (the last row would silently win, or the table could not be read); allowed: one row "
                      "per key")
    if name in ("costs.csv", "cooling_defaults.csv"):  # the replaced key, one the code reads, is now missing
        gone = old.split(",")[0]
        assert got[1].startswith(f"column key: no row for '{gone}', which the code reads")


# --------------------------------------------------------------- finding 4: unknown key
def test_unknown_costs_key_is_refused(tmp_path):
    p = _copy(tmp_path, "costs.csv", "storage_usd_per_accelerator,", "land_usd_per_mw,")
    n = _line_of("costs.csv", "storage_usd_per_accelerator,")
    got = _problems(p)
    assert got[0].startswith(f"line {n}, key 'land_usd_per_mw', key: 'land_usd_per_mw' is not a key the code reads")
    assert got[0].endswith("(a row for it would be shown but never used); allowed: the cost inputs of "
                           "dcplan.tco.TcoInputs (data/costs.md)")
    assert got[1] == ("column key: no row for 'storage_usd_per_accelerator', which the code reads; allowed: one row "
                      "per key of the cost inputs of dcplan.tco.TcoInputs (data/costs.md)")


# ------------------------------------------------------------- finding 5: cooling case
def test_hardware_cooling_must_be_lower_case(tmp_path):
    p = _copy(tmp_path, "hardware.csv", "0.96,4,air,ib-ndr-switch*1.5", "0.96,4,Air,ib-ndr-switch*1.5")
    n = _line_of("hardware.csv", "hgx-h100,")
    assert _problems(p) == [f"line {n}, key 'hgx-h100', cooling: 'Air'; allowed: air or liquid, lower case (blank "
                            "only on an accelerator row; anything else would make a site's default plant liquid)"]


def test_power_refuses_a_bad_catalog(tmp_path, monkeypatch):
    from dcplan import power
    p = _copy(tmp_path, "hardware.csv", "0.96,4,air,ib-ndr-switch*1.5", "0.96,4,Air,ib-ndr-switch*1.5")
    monkeypatch.setattr(power, "_catalog_path", lambda: str(p))
    with pytest.raises(cc.CatalogError) as e:
        power.hardware("hgx-h100")
    assert str(e.value).startswith(f"{p}: 1 problem (the rules: data/SOURCES.md, 'Adding or editing a row'):\n  "
                                   "line 7, key 'hgx-h100', cooling: 'Air'")
    with pytest.raises(cc.CatalogError):
        power.catalog()


# ---------------------------------------------------------- finding 6: validate helpers
def test_catalog_name_from_file_name_or_header(tmp_path):
    assert cc.catalog_name(data_path("costs.csv")) == "costs.csv"
    for name in cc.CATALOGS:
        assert cc.catalog_name(_copy(tmp_path, name, dest=f"my_{name}")) == name
    assert cc.catalog_name(data_path("system_load_example.csv")) is None
    assert cc.catalog_name(data_path("jobs_example.csv")) is None


def test_catalog_error_gives_validate_one_problem_each(tmp_path):
    from dcplan.validate import Problem
    p = _copy(tmp_path, "equipment_lead_times.csv", "chiller,30,35,40", "chiller,30,48 wk,4O")
    with pytest.raises(cc.CatalogError) as e:
        cc.check_equipment(cc.read_catalog(p), str(p))
    got = [x.line() for x in Problem.from_error(e.value, str(p))]
    assert len(got) == 2 and all(x.startswith(f"{p}: line 6, item 'chiller', ") for x in got)


# --------------------------------------------------- finding 7: errors name the cause
def test_costs_text_in_a_number(tmp_path):
    p = _copy(tmp_path, "costs.csv", "facility_usd_per_mw,11700000,", "facility_usd_per_mw,11.7M,")
    n = _line_of("costs.csv", "facility_usd_per_mw,")
    assert _problems(p) == [f"line {n}, key 'facility_usd_per_mw', value: '11.7M' is not a number; allowed: a plain "
                            "number in USD/MW, without a unit, thousands separator or decimal comma in the cell "
                            "(11700000, not 11.7M or 11,700,000; 14.5, not 14.5kW)"]


def test_costs_blank_value(tmp_path):
    p = _copy(tmp_path, "costs.csv", "discount_rate_frac,0.08,", "discount_rate_frac,,")
    assert _problems(p)[0].endswith("key 'discount_rate_frac', value: blank; allowed: a number in frac/yr (a blank "
                                    "is refused; a row without a range writes low = high = value)")


def test_costs_key_typo(tmp_path):
    p = _copy(tmp_path, "costs.csv", "discount_rate_frac,", "discount_rat_frac,")
    assert "(did you mean 'discount_rate_frac'?)" in _problems(p)[0]


def test_hardware_unit_in_the_cell_and_blank(tmp_path):
    n = _line_of("hardware.csv", "hgx-b200,")
    p = _copy(tmp_path, "hardware.csv", _B200, _B200.replace(",14.3,", ",14.5kW,"))
    assert _problems(p) == [f"line {n}, key 'hgx-b200', max_kw: '14.5kW' is not a number; allowed: a plain number "
                            "in kW, without a unit, thousands separator or decimal comma in the cell (11700000, not "
                            "11.7M or 11,700,000; 14.5, not 14.5kW)"]
    p = _copy(tmp_path, "hardware.csv", _B200, _B200.replace(",14.3,", ",,"))
    assert _problems(p) == [f"line {n}, key 'hgx-b200', max_kw: blank; allowed: a number in kW"]


def test_decimal_comma_names_file_and_line(tmp_path):
    old = "eth-tor-switch,Ethernet top-of-rack switch (32 x 100 GbE),network,generic,,0,,,0.50,"
    p = _copy(tmp_path, "hardware.csv", old, old.replace(",0.50,", ",0,50,"))
    n = _line_of("hardware.csv", "eth-tor-switch,")
    with pytest.raises(InputError) as e:
        cc.read_catalog(p)
    assert str(e.value) == (f"{p}: line {n} has 19 cells, the header 18: a comma inside a value needs double quotes "
                            "(\"a, b\"), and a decimal comma splits a number in two (write 11.7, not 11,7)")


def test_deleted_cooling_row(tmp_path):
    row = next(ln for ln in data_path("cooling_defaults.csv").read_text().splitlines(True)
               if ln.startswith("tower_cycles,"))
    p = _copy(tmp_path, "cooling_defaults.csv", row, "")
    assert _problems(p) == ["column key: no row for 'tower_cycles', which the code reads; allowed: one row per key "
                            "of the cooling-plant parameters of dcplan.thermal_plant_params "
                            "(data/cooling_defaults.md)"]


def test_cooling_blank_value_only_where_allowed(tmp_path):
    p = _copy(tmp_path, "cooling_defaults.csv", "margin_frac,0.10,", "margin_frac,,")
    assert _problems(p)[0].startswith("line ")
    assert re.search(r"margin_frac', value: blank; allowed: a number in frac \(blank only on "
                     r"chiller_design_db_degc \(from the weather\), ", _problems(p)[0])


def test_interconnection_p10_above_median(tmp_path):
    p = _copy(tmp_path, "interconnection.csv", ",48,36,84,", ",48,60,84,")
    n = _line_of("interconnection.csv", "va-dominion,")
    assert _problems(p) == [f"line {n}, region 'va-dominion', p10_months/median_months: p10_months 60 > "
                            "median_months 48 months (swapped?); allowed: p10_months <= median_months <= p90_months"]


def test_equipment_unit_in_the_cell(tmp_path):
    p = _copy(tmp_path, "equipment_lead_times.csv", "chiller,30,35,40", "chiller,30,48 wk,40")
    n = _line_of("equipment_lead_times.csv", "chiller,")
    assert _problems(p)[0].startswith(f"line {n}, item 'chiller', median_weeks: '48 wk' is not a number; allowed: "
                                      "a plain number in weeks")


def test_grid_and_thermal_readers_refuse_bad_catalogs(tmp_path, monkeypatch):
    from dcplan import grid_lead_time as glt, thermal_plant_params as tpp
    _copy(tmp_path, "interconnection.csv", ",48,36,84,", ",48,60,84,")
    _copy(tmp_path, "equipment_lead_times.csv", "chiller,30,35,40", "chiller,30,48 wk,40")
    _copy(tmp_path, "cooling_defaults.csv", "tower_cycles,4.0,", "tower_cycles,4,0,")
    caches = (glt._read_lead_times, glt._read_equipment, tpp._defaults_table)
    for c in caches:
        c.cache_clear()
    try:
        monkeypatch.setattr(glt, "data_path", lambda name: tmp_path / name)
        monkeypatch.setattr(tpp, "data_path", lambda name: tmp_path / name)
        with pytest.raises(cc.CatalogError, match="p10_months 60 > median_months 48"):
            glt.region_lead_time("va-dominion")
        with pytest.raises(cc.CatalogError, match="'48 wk' is not a number"):
            glt.equipment_lead_times()
        with pytest.raises(InputError, match=re.escape(f"{tmp_path / 'cooling_defaults.csv'}: line ")):
            tpp.cooling_defaults()
    finally:
        monkeypatch.undo()
        for c in caches:
            c.cache_clear()
    assert glt.region_lead_time("va-dominion")["p10_months"] == 36


# ------------------------------------------------------- finding 8: provenance columns
def test_costs_row_without_provenance(tmp_path):
    # (the rows end in costs.csv's optional range_status, blank here: was ',...,estimate\nstaff_usd' -> ',,,\n...')
    p = _copy(tmp_path, "costs.csv", ',"estimate; no source found",2025,estimate,\nstaff_usd',
              ",,,,\nstaff_usd")
    n = _line_of("costs.csv", "staff_fte_per_mw,")
    assert _problems(p) == [
        f"line {n}, key 'staff_fte_per_mw', source: blank; allowed: where the figure comes from (\"estimate; no "
        "source found\" for none)",
        f"line {n}, key 'staff_fte_per_mw', vintage: blank; allowed: the date of the figure (a year, YYYY-MM, or "
        "\"undated (read 2026)\")",
        f"line {n}, key 'staff_fte_per_mw', status: blank; allowed: primary, secondary, unverified, derived, estimate"]


def test_unknown_status_word(tmp_path):
    p = _copy(tmp_path, "hardware.csv", "max secondary; idle unverified", "max secondry; idle unverified")
    assert _problems(p)[0].endswith("status: 'max secondry; idle unverified' has 'secondry'; allowed: primary, "
                                    "secondary, unverified, derived, estimate (per figure, e.g. 'max secondary; "
                                    "idle estimate')")


def test_all_problems_listed_in_one_error(tmp_path):
    p = _copy(tmp_path, "costs.csv", "facility_usd_per_mw,11700000,9300000,15000000,USD/MW",
              "facility_usd_per_mw,11700000,,,USD/kW")
    with pytest.raises(cc.CatalogError) as e:
        cc.check_costs(cc.read_catalog(p), str(p))
    assert str(e.value).startswith(f"{p}: 3 problems (the rules: data/SOURCES.md, 'Adding or editing a row'):\n  line ")
    assert len(e.value.problems) == 3


def test_catalog_with_a_missing_column_is_still_named(tmp_path):
    p = _copy(tmp_path, "costs.csv", "key,value,low,high,unit,", "key,value,low,high,")
    assert cc.catalog_name(p) == "costs.csv"
    assert cc.catalog_problems(p)[0] == ("header", "missing column unit; the header must have: key, value, low, high, "
                                                   "unit, description, source, vintage, status")
    load = tmp_path / "x" / "hardware.csv"
    load.parent.mkdir()
    load.write_text("timestamp,load_kw\n2025-01-01 00:00,100\n")
    assert cc.catalog_name(load) is None


def test_site_on_a_bad_catalog_names_the_catalog(tmp_path, monkeypatch):
    # finding 5: 'Air' made the phoenix site's default plant liquid; now the load stops, naming the catalog
    from dcplan import power
    from dcplan.site import load_site
    p = _copy(tmp_path, "hardware.csv", "0.96,4,air,ib-ndr-switch*1.5", "0.96,4,Air,ib-ndr-switch*1.5")
    monkeypatch.setattr(power, "_catalog_path", lambda: str(p))
    with pytest.raises(InputError) as e:
        load_site("phoenix-az")
    assert f"{p}: 1 problem (the rules: data/SOURCES.md, 'Adding or editing a row'):\n  line 7, key 'hgx-h100', " \
           "cooling: 'Air'" in str(e.value)


# --------------------------------------------------------- dcplan validate on a catalog copy
def test_validate_tells_a_catalog_copy_and_lists_its_problems(tmp_path, capsys):
    """`dcplan validate data/costs.csv` read a catalog as a meter load ("Expected 1 fields in line
    4, saw 2"); a copy is now told by its header and checked as a catalog: a swapped range (low
    above high) is one problem, exit 2; the bundled file itself is ok."""
    from dcplan.cli import main
    from dcplan.validate import detect_kind
    for name in cc.CATALOGS:
        assert detect_kind(data_path(name)) == "catalog", name
    assert main(["validate", "-q", str(data_path("costs.csv"))]) == 0
    p = _copy(tmp_path, "costs.csv", "facility_usd_per_mw,11700000,9300000,15000000,",
              "facility_usd_per_mw,11700000,15000000,9300000,")
    capsys.readouterr()
    assert main(["validate", str(p)]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    n = _line_of("costs.csv", "facility_usd_per_mw,")
    assert len(err) == 1 and err[0].startswith(f"{p}: line {n}, key 'facility_usd_per_mw'"), err
    assert err[0].endswith("low/value: low 15000000 > value 11700000 USD/MW (swapped?); allowed: low <= value <= high")


def test_the_tco_reads_costs_through_the_check(tmp_path):
    """A costs.csv with a swapped range was read by the TCO and the input silently left out of its
    tornado and Monte Carlo (tco_uncertainty kept rows with low < high only); load_costs now refuses
    it, naming the line and key."""
    from dcplan.tco_input_types import COOLING_DEFAULT_ROWS, load_costs
    # every row the model reads as an input (a cooling type's default row stands in for its input: load_costs)
    assert list(load_costs().index) == [k for k in cc.read_catalog(data_path("costs.csv"))["key"]
                                        if k not in COOLING_DEFAULT_ROWS]
    p = _copy(tmp_path, "costs.csv", "facility_usd_per_mw,11700000,9300000,15000000,",
              "facility_usd_per_mw,11700000,15000000,9300000,")
    with pytest.raises(cc.CatalogError) as e:
        load_costs(p)
    n = _line_of("costs.csv", "facility_usd_per_mw,")
    assert f"line {n}, key 'facility_usd_per_mw'" in str(e.value) and str(p) in str(e.value)
