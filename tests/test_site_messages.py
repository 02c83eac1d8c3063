"""How a site file's errors read when the value is in another unit or the section is empty, as a
black-box tester writing new site files met them: "<= 40" for a setpoint in Fahrenheit, a spec
class name for an empty section, pydantic's tuple wording for a fleet without phases, Python-API
wording ("pass format=") for a weather file's extension, and a field-4 complaint for a CSV that
is no weather file at all."""
from __future__ import annotations

import shutil

import pytest
import yaml

from conftest import DATA

from dcplan.errors import InputError
from dcplan.site import SiteError, load_site
from dcplan.weather import load_weather
from dcplan.weather_header import header_problem


def _site(**changes) -> dict:
    raw = yaml.safe_load((DATA / "sites" / "phoenix-az.yaml").read_text())
    raw["weather"]["file"] = str(DATA / raw["weather"]["file"])
    raw["tariff"]["file"] = str(DATA / raw["tariff"]["file"])
    raw.update(changes)
    return raw


def _lines(tmp_path, raw: dict, text: str | None = None) -> list[str]:
    f = tmp_path / "s.yaml"
    f.write_text(text if text is not None else yaml.safe_dump(raw, sort_keys=False))
    with pytest.raises(SiteError) as ei:
        load_site(f)
    return [ln.split(": ", 1)[1] for ln in ei.value.all_lines()]


@pytest.mark.parametrize("degf, degc", [(75, "23.9"), (80, "26.7")])  # (F - 32) / 1.8
def test_a_setpoint_in_fahrenheit_says_the_celsius_figure(tmp_path, degf, degc):
    raw = _site()
    raw["cooling"]["inlet_setpoint_degc"] = degf
    assert _lines(tmp_path, raw) == [f"cooling.inlet_setpoint_degc: Input should be less than or equal to 40 (degC), "
                                     f"got {degf}: a figure in degF? ({degf} - 32) / 1.8 = {degc} degC"]


def test_a_setpoint_above_the_bound_that_is_no_fahrenheit_figure_keeps_the_bound_message(tmp_path):
    # 45: (45 - 32) / 1.8 = 7.2 degC, below the field's 10: no Fahrenheit reading
    raw = _site()
    raw["cooling"]["inlet_setpoint_degc"] = 45
    assert _lines(tmp_path, raw) == ["cooling.inlet_setpoint_degc: Input should be less than or equal to 40, got 45"]


def test_an_empty_section_says_so_in_the_files_terms(tmp_path):
    """``solar:`` with nothing under it (YAML null) said "Input should be a valid dictionary or
    instance of SolarSpec, got None"."""
    text = yaml.safe_dump(_site(solar=None), sort_keys=False).replace("solar: null\n", "solar:\n")
    assert "\nsolar:\nfinance:" in text
    lines = _lines(tmp_path, {}, text)
    assert len(lines) == 1 and lines[0].startswith(
        "solar: the section is empty ('solar:' with nothing under it); remove the line (for its defaults), or give "
        "its keys; allowed keys: dc_kw, tilt_deg, azimuth_deg, tracking"), lines


@pytest.mark.parametrize("section, means", [
    ("tariff", "no tariff (the off-peak and TCO notebooks are then n/a for the site)"),
    ("interconnection", "no interconnection request (the interconnection notebook is then n/a)")])
def test_an_empty_optional_section_is_refused_not_read_as_none(tmp_path, section, means):
    """``tariff:`` with nothing under it loaded as a site without a tariff, so a half-written
    section silently made the off-peak and TCO runs n/a; now refused as every other empty section,
    and leaving the line out still means none."""
    raw = _site()
    assert section in raw
    text = yaml.safe_dump({**raw, section: None}, sort_keys=False).replace(f"{section}: null\n", f"{section}:\n")
    lines = _lines(tmp_path, {}, text)
    assert len(lines) == 1 and lines[0].startswith(
        f"{section}: the section is empty ('{section}:' with nothing under it); remove the line for {means}, or "
        "give its keys; allowed keys: "), lines
    del raw[section]
    (tmp_path / "s.yaml").write_text(yaml.safe_dump(raw, sort_keys=False))
    assert getattr(load_site(tmp_path / "s.yaml"), section) is None


def test_an_empty_required_section_an_empty_item_and_a_number_for_a_section(tmp_path):
    raw = _site(fleet=None, cooling=5)
    lines = _lines(tmp_path, raw)
    assert ("fleet: the section is empty ('fleet:' with nothing under it); give its keys; allowed keys: phases, "
            "workload, utilisation_frac") in " | ".join(lines)
    assert any(ln.startswith("cooling: must be a section: a mapping of its keys, got 5; allowed keys: type, "
                             "ashrae_class") for ln in lines), lines
    raw = _site()
    raw["fleet"]["phases"].append(None)
    assert ("fleet.phases[1]: an empty item ('-' with nothing after it) of fleet.phases; remove it, or give the "
            "item's keys; allowed keys: hardware, count, start, label, units_per_rack") in _lines(tmp_path, raw)
    assert not any("instance of" in ln for ln in lines)


def test_a_fleet_without_phases_says_it_needs_one_with_an_example(tmp_path):
    raw = _site()
    raw["fleet"]["phases"] = []
    assert _lines(tmp_path, raw) == [
        "fleet.phases: a fleet needs at least one phase, got []; e.g. phases: [{hardware: hgx-h100, count: 256, "
        "start: 2026-07-01}] (one item per deployment: a data/hardware.csv key, the number of its servers or racks "
        "and the date they start)"]


def test_a_weather_extension_of_no_format_names_the_site_key(tmp_path):
    # an EPW saved as .txt is read by its first line (tests/test_weather_formats.py); a file whose first
    # line is no weather header either is refused naming the site key
    f = tmp_path / "phoenix.txt"
    shutil.copy(DATA / "weather" / "USA_AZ_Phoenix-Sky.Harbor.Intl.AP.722780_TMY3.epw", f)
    assert header_problem(f, "epw") is None  # the format given: read
    g = tmp_path / "notes.txt"
    g.write_text("hello\n1,2,3\n")
    with pytest.raises(InputError) as ei:
        load_weather(g)
    assert ei.value.detail == ("cannot tell the weather format from the extension '.txt'; its first line is no EPW, "
                               "TMY3, TMY2, NSRDB or PVGIS header either; allowed: .epw (EPW), .csv (TMY3, NSRDB or "
                               "PVGIS), .tm2 (TMY2), .json (PVGIS), or give the format: weather.format (tmy2, tmy3, "
                               "epw, nsrdb or pvgis) in a site file (format= to dcplan.weather.load_weather)")


def test_a_csv_of_other_data_given_as_weather_is_no_tmy3_file(tmp_path):
    """data/hardware.csv as weather said "the first line's time zone (field 4) must be a number,
    got 'vendor'"."""
    msg = header_problem(DATA / "hardware.csv")
    assert msg.startswith("not a TMY3 file: the first line must be the TMY3 station line: USAF,name,state,time "
                          "zone,latitude,longitude,elevation (starting with the station's USAF number); it starts "
                          "'key,name,kind,vendor,")
    assert msg.endswith("A CSV of other data? A site's weather is a TMY2 (.tm2), TMY3 (.csv), EPW (.epw), NSRDB "
                        "(.csv) or PVGIS (.csv, .json) typical-year file")
    raw = _site()
    raw["weather"] = {"file": str(DATA / "hardware.csv")}
    assert any(ln.startswith(f"weather.file: {DATA / 'hardware.csv'}: not a TMY3 file") for ln in _lines(tmp_path, raw))
