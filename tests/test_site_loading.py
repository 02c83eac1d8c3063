"""dcplan.site: what a site file means when it loads (power caps against the catalog, the
cooling default, paths that survive a change of working directory) and how its errors read
(field paths, "did you mean", duplicate site ids, values echoed as written)."""
from __future__ import annotations

import csv
import re
import shutil
from pathlib import Path

import pytest
import yaml

from dcplan import validate as V
from dcplan.cli import main
from dcplan.errors import DcplanWarning, InputError
from dcplan.site import SiteError, load_portfolio, load_site

from conftest import DATA, PHOENIX_EPW


def _catalog() -> dict[str, dict]:
    """data/hardware.csv read with the csv module (not through dcplan.power)."""
    with open(DATA / "hardware.csv", newline="", encoding="utf-8") as fh:
        return {r["key"]: r for r in csv.DictReader(fh)}


def _site(name: str = "phoenix-az") -> dict:
    """A bundled site as a mapping, its weather and tariff named by absolute path."""
    raw = yaml.safe_load((DATA / "sites" / f"{name}.yaml").read_text())
    raw["weather"]["file"] = str(DATA / raw["weather"]["file"])
    if raw.get("tariff"):
        raw["tariff"]["file"] = str(DATA / raw["tariff"]["file"])
    return raw


def _write(path: Path, data: dict) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True), encoding="utf-8")
    return path


def _lines(f: Path) -> list[str]:
    with pytest.raises(SiteError) as ei:
        load_site(f)
    return ei.value.all_lines()


# ---------------------------------------------------------------- power caps against the catalog

@pytest.mark.parametrize("cap, line", [
    ({"cap_w_per_accelerator": 50},
     "fleet.cap_w_per_accelerator: 50 W is below the accelerator idle power {acc_idle} W of 'hgx-b200' "
     "(data/hardware.csv accelerator_idle_w); allowed: a cap of at least {acc_idle} W"),
    ({"cap_kw_per_unit": 0.5},
     "fleet.cap_kw_per_unit: 0.5 kW is below the idle power of one 'hgx-b200' unit, {idle} kW "
     "(data/hardware.csv idle_kw); allowed: a cap of at least {idle} kW"),
])
def test_a_cap_below_idle_is_refused_when_the_site_loads(tmp_path, cap, line):
    """cap_w_per_accelerator: 50 passed load_site and dcplan validate and failed only in
    run_site_year, without the file or the fleet. prefix; cap_kw_per_unit: 0.5 was accepted
    and the IT energy fell below the idle floor. Both are refused at load, naming the file."""
    row = _catalog()["hgx-b200"]  # the bundled Phoenix fleet: 384 x hgx-b200
    expected = line.format(acc_idle=f"{float(row['accelerator_idle_w']):g}", idle=f"{float(row['idle_kw']):g}")
    assert "140 W" in expected or "3.6 kW" in expected  # the catalog's figures, as the report quoted them
    raw = _site()
    raw["fleet"].update(cap)
    f = _write(tmp_path / "capped.yaml", raw)
    lines = _lines(f)
    assert lines[0].startswith(f"{f}: {expected}"), lines
    assert [p.line() for p in V.validate_file(f)][0].startswith(f"{f}: {expected}")
    assert main(["validate", str(f)]) == 2


def test_every_phase_hardware_bounds_the_cap(tmp_path):
    # hgx-h100 idles at 2.6 kW, hgx-b200 at 3.6 kW (data/hardware.csv): a 3 kW cap fits the first only
    cat = _catalog()
    assert float(cat["hgx-h100"]["idle_kw"]) < 3.0 < float(cat["hgx-b200"]["idle_kw"])
    raw = _site()
    raw["fleet"]["phases"].insert(0, {"hardware": "hgx-h100", "count": 8, "start": raw["fleet"]["phases"][0]["start"]})
    raw["fleet"]["cap_kw_per_unit"] = 3.0
    lines = _lines(_write(tmp_path / "two.yaml", raw))
    assert any("fleet.cap_kw_per_unit: 3 kW is below the idle power of one 'hgx-b200' unit, 3.6 kW" in ln
               and "(phases[1]; the cap applies to every phase)" in ln for ln in lines), lines
    raw["fleet"]["cap_kw_per_unit"] = 3.6  # at the highest idle: accepted
    assert load_site(_write(tmp_path / "ok.yaml", raw)).fleet.cap_kw_per_unit == 3.6


# -------------------------------------------------------------------------------- cooling default

def test_without_a_cooling_section_an_air_cooled_fleet_gets_an_air_plant(tmp_path):
    """Chicago's 512 x hgx-h200 (air-cooled in data/hardware.csv) without cooling: was modelled
    with direct liquid cooling at W32 (PUE 1.11 instead of the air plant's 1.17)."""
    assert _catalog()["hgx-h200"]["cooling"] == "air"
    raw = _site("chicago-il")
    explicit = load_site(_write(tmp_path / "explicit.yaml", raw)).cooling
    assert explicit.type == "air" and explicit.liquid_class is None  # the bundled file's own section
    del raw["cooling"]
    assert load_site(_write(tmp_path / "nocool.yaml", raw)).cooling == explicit


@pytest.mark.parametrize("hardware", [["gb200-nvl72"], ["hgx-h100", "gb200-nvl72"]])
def test_without_a_cooling_section_liquid_hardware_keeps_liquid_cooling(tmp_path, hardware):
    assert _catalog()["gb200-nvl72"]["cooling"] == "liquid"
    raw = _site()
    start = raw["fleet"]["phases"][0]["start"]
    raw["fleet"]["phases"] = [{"hardware": h, "count": 4, "start": start} for h in hardware]
    del raw["cooling"]
    c = load_site(_write(tmp_path / "liquid.yaml", raw)).cooling
    assert (c.type, c.liquid_class) == ("liquid", "W32")


def test_a_sweep_that_changes_the_hardware_re_derives_the_default_plant(tmp_path):
    """The default was frozen into the site: Chicago without cooling: swept to GB200 NVL72
    racks (liquid-cooled only) kept the air plant; a site that states its plant keeps it."""
    from dcplan.sweep_spec import apply_overrides
    raw = _site("chicago-il")
    del raw["cooling"]
    site = load_site(_write(tmp_path / "nocool.yaml", raw))
    assert site.cooling.type == "air"
    rack = apply_overrides(site, {"fleet.phases[0].hardware": "gb200-nvl72", "fleet.phases[0].count": 8})
    assert (rack.cooling.type, rack.cooling.liquid_class) == ("liquid", "W32")
    assert apply_overrides(site, {"solar.dc_kw": 100.0}).cooling.type == "air"
    stated = load_site(_write(tmp_path / "stated.yaml", _site("chicago-il")))
    assert apply_overrides(stated, {"solar.dc_kw": 100.0}).cooling == stated.cooling


def test_a_cooling_section_given_as_liquid_stays_liquid_with_air_cooled_hardware(tmp_path):
    raw = _site("chicago-il")
    raw["cooling"] = {"type": "liquid", "liquid_class": "W32"}
    assert load_site(_write(tmp_path / "liquid.yaml", raw)).cooling.type == "liquid"


def test_a_cooling_section_without_type_or_liquid_keys_keeps_the_air_plant_of_an_air_cooled_fleet(tmp_path):
    """A black-box tester's Chicago (hgx-h200, air-cooled) with only ``cooling: {ashrae_class: A1}``
    became a W32 liquid plant (PUE 1.171 -> 1.112) without a word: one unrelated key switched
    the plant. It is the air plant with class A1; a liquid loop's key still means liquid."""
    from dcplan.sweep_spec import apply_overrides
    raw = _site("chicago-il")
    raw["cooling"] = {"ashrae_class": "A1"}
    c = load_site(_write(tmp_path / "a1.yaml", raw)).cooling
    assert (c.type, c.liquid_class, c.ashrae_class) == ("air", None, "A1")
    assert c.model_fields_set == {"ashrae_class"}  # what the file set (a sweep re-derives the rest)
    rack = apply_overrides(load_site(_write(tmp_path / "a1.yaml", raw)),
                           {"fleet.phases[0].hardware": "gb200-nvl72", "fleet.phases[0].count": 8})
    assert (rack.cooling.type, rack.cooling.liquid_class, rack.cooling.ashrae_class) == ("liquid", "W32", "A1")
    # liquid_class: null without a type keeps the default liquid type: the error says so and how to
    # get the air plant (it said only "liquid_class is required when type is 'liquid'")
    raw["cooling"] = {"ashrae_class": "A1", "liquid_class": None}
    with pytest.raises(SiteError, match=r"cooling: liquid_class is required when type is 'liquid' \(no type is "
                                        r"given, so the plant is the default, 'liquid'; for an air plant set type: "
                                        r"air\)"):
        load_site(_write(tmp_path / "null.yaml", raw))
    raw["cooling"] = {"liquid_class": "W40"}  # a liquid loop's key: a liquid plant, as written
    c = load_site(_write(tmp_path / "w40.yaml", raw)).cooling
    assert (c.type, c.liquid_class) == ("liquid", "W40")


# ---------------------------------------------------------------------------------- source file

def test_files_resolve_against_the_yaml_after_a_change_of_directory(tmp_path, monkeypatch):
    """load_site('rel/phx.yaml') kept source_file relative: after os.chdir the weather path
    re-resolved against the new directory and silently became the bundled file of the same
    name (or a bare FileNotFoundError). The source file is absolute from the start."""
    raw = _site()
    raw["weather"]["file"] = f"weather/{PHOENIX_EPW.name}"  # the bundled file's relative name
    raw["tariff"]["file"] = "t/rate.json"
    for sub in ("weather", "t"):
        (tmp_path / "rel" / sub).mkdir(parents=True)
    shutil.copy(PHOENIX_EPW, tmp_path / "rel" / "weather")
    shutil.copy(DATA / "tariffs" / "aps-az-e32-tou-l.json", tmp_path / "rel" / "t" / "rate.json")
    _write(tmp_path / "rel" / "phx.yaml", raw)
    monkeypatch.chdir(tmp_path)
    site = load_site("rel/phx.yaml")
    assert site.source_file == str(tmp_path / "rel" / "phx.yaml")
    monkeypatch.chdir("/")
    assert site.weather_path == tmp_path / "rel" / "weather" / PHOENIX_EPW.name  # not data/weather/...
    assert site.tariff_path == tmp_path / "rel" / "t" / "rate.json"
    monkeypatch.chdir(tmp_path)
    assert Path(load_portfolio(_write(tmp_path / "pf.yaml", {"name": "p", "sites": ["rel/phx.yaml"]}))
                .source_file) == tmp_path / "pf.yaml"


# --------------------------------------------------------------------------------- error messages

@pytest.mark.parametrize("util, note", [(0.99, "given"), (None, "left to its default 0.8")])
def test_an_unreachable_utilisation_names_the_yaml_key_and_the_reachable_range(tmp_path, util, note):
    """fleet.utilisation_frac: 0.99 on an inference fleet said "fleet: mean_util_frac: ... leaves
    [0, 1]": the generator's argument, not the YAML key, and no range. Inference defaults reach
    means 0.108 to 0.715 (hand calculation in test_power_workload)."""
    raw = _site()
    assert raw["fleet"]["workload"] == "inference"
    if util is None:
        del raw["fleet"]["utilisation_frac"]
    else:
        raw["fleet"]["utilisation_frac"] = util
    lines = _lines(_write(tmp_path / "util.yaml", raw))
    said = ": fleet.utilisation_frac: mean " if util is not None else (
        # a value the user never wrote is said to be the default, with what to do
        ": fleet.utilisation_frac: not given, so the default 0.8 applies (an estimate for a busy fleet), which "
        "workload 'inference' cannot reach: mean 0.8 ")
    assert len(lines) == 1 and said in lines[0], (note, lines)
    assert "allowed with this shape: a mean of 0.108 to 0.715" in lines[0] and "mean_util_frac" not in lines[0]
    assert lines[0].endswith("give fleet.utilisation_frac") == (util is None)
    # the shape's knobs are named as a site file writes them (a bare diurnal_amplitude_frac under
    # fleet: is an unknown key)
    assert ("or reduce fleet.profile.diurnal_amplitude_frac, fleet.profile.weekend_drop_frac, "
            "fleet.profile.burst_util_frac or the noise") in lines[0]


@pytest.mark.parametrize("section, key, bad, hint", [
    ("cooling", "type", "liqiud", "liquid"),
    ("fleet", "workload", "inferense", "inference"),
    ("fleet", "curve", "concav", "concave"),
])
def test_a_misspelled_choice_gets_a_did_you_mean(tmp_path, section, key, bad, hint):
    raw = _site()
    raw[section][key] = bad
    lines = _lines(_write(tmp_path / "typo.yaml", raw))
    assert any(f": {section}.{key}: Input should be " in ln and ln.endswith(f"got {bad!r} (did you mean {hint!r}?)")
               for ln in lines), lines


@pytest.mark.parametrize("value, tail", [
    (21, "got 21 (a fraction: 0.10 for 10 %; for 21 % write 0.21)"),
    (150, "got 150 (a fraction: 0.10 for 10 %)"),
])
def test_a_percentage_in_a_fraction_field_is_told_how_to_write_it(tmp_path, value, tail):
    # tax_rate_frac: 21 (meant 21 %) said only "Input should be less than 1, got 21"
    raw = _site()
    raw["finance"]["tax_rate_frac"] = value
    lines = _lines(_write(tmp_path / "pct.yaml", raw))
    assert any(": finance.tax_rate_frac: Input should be less than 1, " in ln and ln.endswith(tail)
               for ln in lines), lines


@pytest.mark.parametrize("path, value, tail", [
    # a new site's author copies a station's coordinates as a gazetteer writes them, or a figure with its unit:
    # "Input should be a valid number, got '7 m'" said neither what to write nor that the key's name has the unit
    (("latitude",), "55°19'N", "write decimal degrees, north and east positive (west and south negative): "
                               "latitude: 55.3167"),  # 55 + 19/60 = 55.31667
    (("longitude",), "160.517 W", "(west and south negative): longitude: -160.5170"),
    (("longitude",), "80°16'W", "longitude: -80.2667"),  # 80 + 16/60 = 80.26667 west
    # degrees and minutes as a TMY2 header writes them ("N 25 48 W 80 16": the hemisphere a field before), copied
    # without it: "Input should be a valid number, got '25 48'" alone
    (("latitude",), "25 48", "degrees and minutes? Write decimal degrees, north and east positive (west and south "
                             "negative): latitude: 25.8000, or -25.8000 if south"),  # 25 + 48/60
    (("longitude",), "80 16", "longitude: 80.2667, or -80.2667 if west (every site in the Americas)"),
    (("longitude",), "-80 16", "longitude: -80.2667"),
    (("elevation_m",), "7 m", "the unit is in the key's name (metres): write the number alone, elevation_m: 7"),
    (("elevation_m",), "23 ft", "the unit is in the key's name (metres), not after the number: write the number "
                                "alone, converted to metres (docs/glossary.md (dcplan docs shows where))"),
    (("interconnection", "requested_mw"), "2.5 MW", "write the number alone, requested_mw: 2.5"),
    (("solar", "dc_kw"), "500 kWp", "the unit is in the key's name (kW): write the number alone, dc_kw: 500"),
    (("solar", "dc_kw"), "0.5 MWp", "(kW), not after the number: write the number alone, converted to kW "
                                    "(docs/glossary.md (dcplan docs shows where))"),
    (("fleet", "utilisation_frac"), "60 %", "a fraction, not a percentage: write utilisation_frac: 0.6"),
    # a number YAML reads as text keeps its own hint alone (not "the unit e2")
    (("solar", "dc_kw"), "5e2", "YAML reads 5e2 as text, not a number (YAML 1.1 reads an exponent only with a '.' in "
                                "the number and a sign after the e): write 5.0e+2 or 500"),
])
def test_a_number_written_with_its_unit_or_in_degrees_and_minutes_is_told_how_to_write_it(tmp_path, path, value,
                                                                                         tail):
    raw = _site()
    d = raw
    for k in path[:-1]:
        d = d[k]
    d[path[-1]] = value
    lines = _lines(_write(tmp_path / "unit.yaml", raw))
    field = ".".join(path)
    assert any(f": {field}: Input should be a valid number, got {value!r}: " in ln and ln.endswith(tail)
               for ln in lines), lines


def test_a_number_field_with_other_text_gets_no_unit_hint(tmp_path):
    raw = _site()
    raw["elevation_m"] = "about sea level"
    lines = _lines(_write(tmp_path / "text.yaml", raw))
    assert any(ln.endswith(": elevation_m: Input should be a valid number, got 'about sea level'") for ln in lines), \
        lines


def test_a_key_in_other_words_gets_a_did_you_mean(tmp_path):
    # server_usd_per_gpu was told "did you mean 'revenue_usd_per_gpu_h'?"; dcplan's word is accelerator
    raw = _site()
    raw["finance"]["costs"] = {"server_usd_per_gpu": 30000}
    lines = _lines(_write(tmp_path / "gpu.yaml", raw))
    assert any("finance.costs.server_usd_per_gpu: unknown cost input 'server_usd_per_gpu' "
               "(did you mean 'server_usd_per_accelerator'?)" in ln for ln in lines), lines
    from dcplan._text import did_you_mean
    assert did_you_mean("tax_rate_pct", ["tax_rate_frac", "discount_rate_frac"]) == " (did you mean 'tax_rate_frac'?)"
    assert did_you_mean("zzz", ["tax_rate_frac"]) == ""


def test_phases_written_as_a_mapping_echo_the_date_as_written(tmp_path):
    raw = _site()
    raw["fleet"]["phases"] = raw["fleet"]["phases"][0]  # a mapping, not a list of one
    lines = _lines(_write(tmp_path / "nolist.yaml", raw))
    assert any(": fleet.phases: must be a list, each item on its own line starting with '- ', got a mapping: "
               "{'hardware': 'hgx-b200', 'count': 384, 'start': 2026-10-01" in ln for ln in lines), lines
    assert not any("datetime" in ln for ln in lines)


# ----------------------------------------------------------------------------- duplicate site ids

def test_duplicate_ids_of_two_files_with_one_name_show_the_paths_as_listed(tmp_path):
    """Two different files both named phx.yaml gave "duplicate site id 'phx' (from phx.yaml,
    phx.yaml)"; the same file listed twice was told to give each site its own id."""
    raw = _site()
    _write(tmp_path / "a" / "phx.yaml", raw)
    _write(tmp_path / "b" / "phx.yaml", raw)
    pf = _write(tmp_path / "pf.yaml", {"name": "dup", "sites": ["a/phx.yaml", "b/phx.yaml"]})
    with pytest.raises(SiteError, match=r"^.*pf\.yaml: sites: duplicate site id 'phx' \(from a/phx\.yaml, "
                                        r"b/phx\.yaml\); site ids must be unique: give each site its own 'id:'$"):
        load_portfolio(pf)
    same = _write(tmp_path / "same.yaml", {"name": "same", "sites": ["a/phx.yaml", "a/phx.yaml"]})
    with pytest.raises(SiteError) as ei:
        load_portfolio(same)
    assert str(ei.value).endswith("sites: duplicate site id 'phx': a/phx.yaml is listed twice (sites[0], "
                                  "sites[1]); list each site file once")
    assert "own 'id:'" not in str(ei.value)


def test_a_duplicate_id_is_reported_beside_another_site_files_problems(tmp_path):
    raw = _site()
    _write(tmp_path / "phx.yaml", raw)
    bad = dict(raw, latitude=100.0)
    _write(tmp_path / "bad.yaml", bad)
    pf = _write(tmp_path / "pf.yaml", {"name": "p", "sites": ["phx.yaml", "phx.yaml", "bad.yaml"]})
    text = "\n".join(p.line() for p in V.validate_file(pf))
    assert "duplicate site id 'phx': phx.yaml is listed twice" in text, text
    assert "bad.yaml: latitude: Input should be less than or equal to 90, got 100" in text, text


# ------------------------------------------------------------------------- later layers, validate

def test_a_key_typo_does_not_hide_a_missing_weather_file(tmp_path):
    raw = _site()
    raw["latitud"] = raw.pop("latitude")
    raw["weather"]["file"] = str(tmp_path / "nowhere.epw")
    text = "\n".join(_lines(_write(tmp_path / "two.yaml", raw)))
    assert "latitud: unknown key 'latitud' (did you mean 'latitude'?)" in text
    assert f"weather.file: weather file not found: {tmp_path / 'nowhere.epw'}" in text


def test_a_bad_count_does_not_hide_a_profile_typo(tmp_path):
    raw = _site()
    raw["fleet"]["phases"][0]["count"] = -4
    raw["fleet"]["profile"] = {"peak_hr": 3}
    text = "\n".join(_lines(_write(tmp_path / "two.yaml", raw)))
    assert "fleet.phases[0].count: Input should be greater than or equal to 0, got -4" in text
    assert "fleet.profile: unknown 'peak_hr' (did you mean 'peak_hour'?)" in text


# ------------------------------------------------------------------------------- dcplan sites

def test_sites_listing_pads_wide_characters_by_display_width(tmp_path, capsys):
    """Names with East Asian wide characters or emoji shifted the later columns: padding
    counted characters, a terminal shows each of these two columns wide."""
    raw = _site()
    _write(tmp_path / "wide.yaml", dict(raw, name="数据中心 🚀"))  # 4 x 2 + 1 + 2 = 11 columns
    _write(tmp_path / "ascii.yaml", dict(raw, name="Phoenix"))    # 7 columns
    pf = _write(tmp_path / "pf.yaml", {"name": "uni", "sites": ["wide.yaml", "ascii.yaml"]})
    assert main(["sites", "--portfolio", str(pf)]) == 0
    out = capsys.readouterr().out.splitlines()
    wide = next(ln for ln in out if ln.startswith("wide "))
    plain = next(ln for ln in out if ln.startswith("ascii "))
    # the name column is 11 wide, then two spaces: 0 pad after the wide name, 4 after "Phoenix"
    assert "数据中心 🚀  33.45" in wide and "Phoenix      33.45" in plain
    # 6 characters in 11 columns: the next column starts 5 characters earlier than after 11 ASCII
    assert wide.index("33.45") + 5 == plain.index("33.45")


def test_sites_listing_names_halls_and_counts_one_site_in_the_singular(tmp_path, capsys):
    raw = _site()
    raw["fleet"]["phases"] = [dict(raw["fleet"]["phases"][0], label="Hall 1")]
    pf = _write(tmp_path / "pf.yaml", {"name": "one", "sites": [str(_write(tmp_path / "a.yaml", raw))]})
    assert main(["sites", "--portfolio", str(pf)]) == 0
    out = capsys.readouterr().out
    assert out.startswith("one (1 site)\n")
    hw = raw["fleet"]["phases"][0]
    assert f"{hw['count']} x {hw['hardware']} (Hall 1)" in out


def test_an_unknown_site_id_is_bad_input_naming_the_sites():
    """``load_portfolio()["mars"]`` (a notebook run with ``-p site mars``) raised a bare KeyError;
    it is an InputError naming the portfolio file, the field and the sites (still a KeyError)."""
    from dcplan.errors import InputError
    from dcplan.site import UnknownSiteError, load_portfolio
    pf = load_portfolio()
    with pytest.raises(InputError) as e:
        pf["phoenix"]
    assert isinstance(e.value, (KeyError, UnknownSiteError)) and e.value.field == "site"
    assert str(e.value) == (f"{pf.source_file}: site: no site 'phoenix' in portfolio 'Example US portfolio' "
                            "(did you mean 'phoenix-az'?); sites: research-triangle-nc, northern-virginia, "
                            "phoenix-az, chicago-il")


@pytest.mark.parametrize("bad", ["_portfolio", "-x"])
def test_an_id_that_does_not_start_with_a_letter_or_digit_says_so(tmp_path, bad):
    """'_portfolio' and '-x' were told "must be lower-case letters, digits, '-' or '_'", which they are."""
    from conftest import bundled_site_copy
    f = bundled_site_copy(tmp_path, "phoenix-az", "p")
    f.write_text(f.read_text().replace("id: p\n", f"id: '{bad}'\n"))
    with pytest.raises(SiteError, match=re.escape(f"id {bad!r}: allowed: lower-case letters, digits, '-' or '_', "
                                                  "starting with a letter or digit")):
        load_site(f)


def test_an_id_too_long_for_the_files_named_after_it_is_refused_by_validate(tmp_path, capsys):
    """A 235-character id passed `dcplan validate` and failed the tco and site_analysis runs ~20 s later ("stem ...
    too long", a raw "File name too long"). The cap: 255 bytes per name less the longest name an id is put in,
    computed here from the writers' own name functions (the tco sheets as dcplan.tco_export builds its frames)."""
    from conftest import bundled_site_copy
    from dcplan import site_hourly, sustainability
    from dcplan.site import MAX_ID_CHARS
    from dcplan.tco import SCENARIOS
    from dcplan.tco_export_files import work_name_bytes
    sid = "a" * 100
    sheets = ("About", "Assumptions", "CashFlow", "Monthly", "Summary", "Shares", "Sensitivity", "MonteCarlo")
    names = [work_name_bytes(Path(f"{sid}_{sc}_tco_{sh.lower()}.csv")) for sc in SCENARIOS for sh in sheets]
    names += [work_name_bytes(Path(f"{sid}_{sc}_tco.xlsx")) for sc in SCENARIOS]
    names += [len(n(sid)) + len(".tmp") for n in (site_hourly.csv_name, site_hourly.about_name,
                                                   sustainability.csv_name)]
    assert MAX_ID_CHARS == 255 - (max(names) - len(sid)) == 201  # 54: '.' '_high-escalation_tco_assumptions.csv' ...
    f = bundled_site_copy(tmp_path, "phoenix-az", "p")
    f.write_text(f.read_text().replace("id: p\n", f"id: {'a' * MAX_ID_CHARS}\n"))
    assert load_site(f).id == "a" * MAX_ID_CHARS
    f.write_text(f.read_text().replace("id: a", "id: aa", 1))
    with pytest.raises(SiteError, match=r"is 202 characters long; at most 201 allowed: it names the site's export "
                                        r"files") as e:
        load_site(f)
    assert e.value.field == "id" and e.value.file == str(f)
    assert main(["validate", str(f)]) == 2
    assert "id: id 'aaa" in capsys.readouterr().err


@pytest.mark.parametrize("elevation,why", [
    (672.0, r"the station's 201 m is 659 ft: was elevation_m given in feet\?"),   # 205 m typed in feet
    (-205.0, r"the station is at \+201 m: is the sign of elevation_m wrong\?"),
])
def test_an_elevation_in_feet_or_with_the_wrong_sign_is_warned_within_the_limit(tmp_path, elevation, why):
    """Chicago O'Hare's station is at 201 m (the TMY3 header): 672 (205 m in feet) and -205 are
    within the 500 m limit and validated ok. 201 m / 0.3048 = 659.4 ft; 672 is within 5 % of it."""
    from dcplan.weather import load_site_weather
    raw = _site("chicago-il")
    raw["elevation_m"] = elevation
    site = load_site(_write(tmp_path / "c.yaml", raw))
    with pytest.warns(DcplanWarning, match=rf"c\.yaml: elevation_m: {elevation:g} m, but the station of its weather "
                                           rf"file .* is at 201 m \(the file's header\); {why}"):
        load_site_weather(site)
    raw["elevation_m"] = 250.0  # a site 49 m above the station: no warning
    load_site_weather(load_site(_write(tmp_path / "ok.yaml", raw)))


def test_an_elevation_refused_as_too_far_says_when_it_reads_as_feet_or_a_wrong_sign(tmp_path):
    """Phoenix's station is at 337 m: 1,106 (its height in feet, 337 / 0.3048 = 1,105.6) and -337
    are over the 500 m limit and were refused without the hint the warning gives below the limit.
    The hint starts a sentence (it read "... per km of height). the station's 337 m ...")."""
    from dcplan.weather import load_site_weather
    raw = _site("phoenix-az")
    for elevation, why in ((1106.0, r"The station's 337 m is 1,106 ft: was elevation_m given in feet\? "),
                           (-337.0, r"The station is at \+337 m: is the sign of elevation_m wrong\? ")):
        raw["elevation_m"] = elevation
        with pytest.raises(InputError, match=rf"elevation_m: .*allowed: within 500 m .*per km of height\)\. "
                                             rf"{why}Correct elevation_m"):
            load_site_weather(load_site(_write(tmp_path / "p.yaml", raw)))


def test_a_portfolio_takes_back_a_site_object_and_refuses_other_keys_briefly():
    """Iterating a portfolio yields sites; portfolio[site] put the whole Site (2.5 k characters)
    into an 'unknown site' error. It returns the site; another type gets a one-line error."""
    from dcplan.site import UnknownSiteError, load_portfolio
    pf = load_portfolio()
    s = next(iter(pf))
    assert pf[s] is pf[s.id]
    with pytest.raises(UnknownSiteError) as e:
        pf[3]
    assert "a site id (text, e.g. " in str(e.value) and "got a int" in str(e.value) and len(str(e.value)) < 300
