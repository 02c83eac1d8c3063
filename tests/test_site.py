"""dcplan.site: loading, validation and error messages of site and portfolio files."""
from __future__ import annotations

import re

import pytest
import yaml

from dcplan.errors import DcplanWarning, InputError
from dcplan.site import Site, SiteError, load_portfolio, load_site

from conftest import DATA


def _write(tmp_path, data, name="s.yaml"):
    # site files name weather relative to their folder or to data/: point at the bundled file
    f = tmp_path / name
    f.write_text(yaml.safe_dump(data, sort_keys=False))
    return f


@pytest.fixture
def phoenix_dict():
    return yaml.safe_load((DATA / "sites" / "phoenix-az.yaml").read_text())


def test_bundled_portfolio_loads_four_sites_in_order():
    p = load_portfolio()
    assert p.ids == ["research-triangle-nc", "northern-virginia", "phoenix-az", "chicago-il"]
    s = p["phoenix-az"]
    assert isinstance(s, Site) and s.latitude == 33.45 and s.timezone == "America/Phoenix"
    assert s.weather_path.is_file()
    assert s.fleet.phases[0].hardware == "hgx-b200"


def test_specs_are_frozen():
    s = load_site("phoenix-az")
    with pytest.raises(Exception):
        s.latitude = 0.0


def test_load_by_name_suggests_close_name():
    with pytest.raises(InputError, match="did you mean 'phoenix-az'"):
        load_site("phoenix-za")


@pytest.mark.parametrize("mutate, field, text", [
    (lambda d: d.update(latitude=123), "latitude", "less than or equal to 90, got 123"),
    (lambda d: d["fleet"]["phases"][0].update(count=-5), r"fleet\.phases\[0\]\.count", "greater than or equal to 0, got -5"),
    (lambda d: d["cooling"].update(design_pue=0.9), r"cooling\.design_pue", "greater than or equal to 1, got 0.9"),
    (lambda d: d["interconnection"].update(requested_mw=-1), r"interconnection\.requested_mw", "got -1"),
    (lambda d: d.update(timezone="America/Phenix"), "timezone", "did you mean 'America/Phoenix'"),
    (lambda d: d.update(timezone="localtime"), "timezone", "not a place's time zone .*different on every machine"),
    (lambda d: d.update(timezone="Factory"), "timezone", "not a place's time zone"),
    (lambda d: d.update(latitdue=1.0), "latitdue", "did you mean 'latitude'"),
    (lambda d: d["solar"].update(tilt=20), r"solar\.tilt", "did you mean 'tilt_deg'"),
    (lambda d: d["fleet"]["phases"][0].update(count="many"), r"fleet\.phases\[0\]\.count", "valid integer, got 'many'"),
    (lambda d: d.update(elevation_m="300"), "elevation_m", "valid number, got '300'"),
    (lambda d: d.pop("latitude"), "latitude", "required field is missing"),
    (lambda d: d["cooling"].update(type="immersion"), r"cooling\.type", "'air' or 'liquid'"),
    # values every run refused, one failed run per notebook, while validate said ok: now refused
    # when the site loads, with the runs' own checks (dcplan.workload, dcplan.tco_inputs)
    (lambda d: d["fleet"]["phases"][0].update(count=0), r"fleet: ", r"the fleet has no units"),
    (lambda d: d["fleet"]["phases"][0].update(count=10**20), r"fleet\.phases\[0\]\.count",
     r"less than or equal to 1000000, got 100000000000000000000"),
    (lambda d: d["fleet"].update(profile={"burst_s": -3}), r"fleet\.profile\.burst_s: ", r"must be > 0, got -3"),
    (lambda d: d["fleet"].update(profile={"peak_hour": -40}), r"fleet\.profile\.peak_hour: ",
     r"must be in \[0, 24\), got -40"),
    (lambda d: d.setdefault("finance", {}).update(horizon_years=1, costs={**d["finance"].get("costs", {}),
                                                                          "build_months": 14}),
     r"finance\.horizon_years: ", r"1 ends before operations start at month 14"),
    (lambda d: d.setdefault("finance", {}).update(costs={"server_usd_per_accelerator": -30000}),
     r"finance\.costs\.server_usd_per_accelerator: ", r"must be a number >= 0, got -30000(\.0)?$"),
    # dates: a US-style date says the form; an impossible ISO date says it is not one
    (lambda d: d["fleet"]["phases"][0].update(start="10/01/2026"), r"fleet\.phases\[0\]\.start",
     r"must be a date as YYYY-MM-DD \(for example 2026-10-01\), got '10/01/2026'"),
    (lambda d: d["interconnection"].update(filed="2025-02-30"), r"interconnection\.filed",
     r"'2025-02-30' is not a calendar date"),
    # YAML's .inf passes every lower bound ("> 0"); it is refused at the boundary, not deep in a model
    (lambda d: d["interconnection"].update(requested_mw=float("inf")), r"interconnection\.requested_mw",
     "finite number, got inf"),
    (lambda d: d["solar"].update(dc_kw=float("nan")), r"solar\.dc_kw", "finite number, got nan"),
    (lambda d: d["solar"].update(degradation_frac_per_year=0.5), r"solar\.degradation_frac_per_year",
     r"must be a fraction per year in \[0, 0\.05\] \(0\.005 for 0\.5 %/yr\), got 0\.5"),
    (lambda d: d["cooling"].update(type="liquid", liquid_class=None), r"cooling",
     "liquid_class is required when type is 'liquid'"),
    # once accepted and silently ignored: now it says where a yearly price rise belongs
    (lambda d: d["tariff"].update(escalation_frac_per_year=0.03), r"tariff",
     r"escalation_frac_per_year = 0\.03 is not a tariff field: .*finance\.electricity_escalation_frac"),
])
def test_bad_values_name_file_field_value_and_allowed(tmp_path, phoenix_dict, mutate, field, text):
    phoenix_dict["weather"]["file"] = str(DATA / phoenix_dict["weather"]["file"])
    mutate(phoenix_dict)
    f = _write(tmp_path, phoenix_dict)
    with pytest.raises(SiteError) as ei:
        load_site(f)
    line = next(l for l in ei.value.all_lines() if __import__("re").search(field, l))
    assert str(f) in line
    assert __import__("re").search(text, line), line


@pytest.mark.parametrize("text, where, field", [
    ("start: 2026-13-01", "month must be in 1..12", r"fleet\.phases\[0\]\.start"),
    ("filed: 2025-02-30", "day is out of range for month", r"interconnection\.filed")])
def test_an_impossible_unquoted_date_is_an_input_error_with_its_line(tmp_path, text, where, field):
    """PyYAML's date constructor raised a bare ValueError: every command printed a traceback
    (exit 1). Now one line names the file, the field path (the YAML node at the error's
    line and column; it had none), line and column (exit 2)."""
    from dcplan.cli import main
    src = (DATA / "sites" / "phoenix-az.yaml").read_text()
    key = text.split(":")[0]
    lines = src.splitlines()
    n = next(i for i, ln in enumerate(lines) if ln.strip().startswith(f"{key}:") or f"{key}: " in ln)
    old = re.search(rf"{key}: (\d{{4}}-\d\d-\d\d)", lines[n]).group(1)
    lines[n] = lines[n].replace(f"{key}: {old}", text)
    f = tmp_path / "bad.yaml"
    f.write_text("\n".join(lines) + "\n")
    with pytest.raises(InputError, match=rf"bad\.yaml: {field}: line {n + 1}, column \d+: '{text.split(': ')[1]}' "
                                         rf"is not a calendar date \({where}\); a date is written YYYY-MM-DD, for "
                                         rf"example 2026-10-01$"):
        load_site(f)
    assert main(["validate", str(f)]) == 2


def test_an_impossible_date_is_listed_with_the_files_other_problems(tmp_path):
    """validate stopped at an impossible date: the file's other problems showed only once it was
    fixed. Now the date is one problem among them (its line and column kept); a text field that
    reads as an impossible date (a label) is text, as quoted."""
    lines = (DATA / "sites" / "phoenix-az.yaml").read_text().splitlines()
    n = next(i for i, ln in enumerate(lines) if "start: 2026-10-01" in ln)
    lines[n] = lines[n].replace("start: 2026-10-01", "start: 2026-02-30").replace('label: "Hall 1"',
                                                                                 "label: 2026-02-31")
    lines = [ln.replace("utilisation_frac: 0.6", "utilisation_frac: 60") for ln in lines]
    lines = [ln.replace("file: weather/", f"file: {DATA}/weather/").replace("file: tariffs/", f"file: {DATA}/tariffs/")
             for ln in lines]
    f = tmp_path / "two.yaml"
    f.write_text("\n".join(lines) + "\n")
    with pytest.raises(SiteError) as ei:
        load_site(f)
    got = ei.value.all_lines()
    assert len(got) == 2, got
    assert re.fullmatch(rf"{re.escape(str(f))}: fleet\.phases\[0\]\.start: line {n + 1}, column \d+: '2026-02-30' is "
                        r"not a calendar date \(day is out of range for month\); a date is written YYYY-MM-DD, for "
                        r"example 2026-10-01", got[0]), got
    assert got[1].startswith(f"{f}: fleet.utilisation_frac: Input should be less than or equal to 1, got 60"), got
    # fixed, the label that looked like a date stays the text written
    f.write_text(f.read_text().replace("2026-02-30", "2026-10-01").replace("utilisation_frac: 60",
                                                                          "utilisation_frac: 0.6"))
    assert load_site(f).fleet.phases[0].label == "2026-02-31"


def test_a_huge_bad_value_is_echoed_short(tmp_path, phoenix_dict):
    """Six levels of nested YAML aliases (a 1 KB file) in a wrong place expand to 10**7 items:
    the error line echoed all of it (80 MB). The echo is cut to MAX_VALUE_ECHO characters."""
    from dcplan.site import MAX_VALUE_ECHO
    phoenix_dict["weather"]["file"] = str(DATA / phoenix_dict["weather"]["file"])
    f = _write(tmp_path, phoenix_dict)
    levels = ["a0: &a0 [" + ", ".join(['"lol"'] * 10) + "]"]
    levels += [f"a{i}: &a{i} [" + ", ".join([f"*a{i - 1}"] * 10) + "]" for i in range(1, 7)]
    f.write_text("x_anchors:\n" + "".join(f"  {ln}\n" for ln in levels) + f.read_text().replace(
        "elevation_m: 337", "elevation_m: *a6"))
    assert f.stat().st_size < 5_000
    with pytest.raises(SiteError) as ei:
        load_site(f)
    line = next(ln for ln in ei.value.all_lines() if ": elevation_m: " in ln)
    assert line.endswith("...") and len(line.split("got ", 1)[1]) <= MAX_VALUE_ECHO
    assert len(str(ei.value)) < 2_000


def test_a_quoted_iso_date_is_that_date(tmp_path, phoenix_dict):
    """start: '2026-10-01' (quoted in YAML, or a string from a sweep or JSON) was refused as
    "Input should be a valid date, got '2026-10-01'"; it is read as the date it is."""
    import datetime as dt
    phoenix_dict["weather"]["file"] = str(DATA / phoenix_dict["weather"]["file"])
    plain = load_site(_write(tmp_path, phoenix_dict, "plain.yaml"))
    ph = phoenix_dict["fleet"]["phases"][0]
    assert isinstance(ph["start"], dt.date)  # the bundled file's unquoted date
    ph["start"] = ph["start"].isoformat()
    phoenix_dict["interconnection"]["filed"] = phoenix_dict["interconnection"]["filed"].isoformat()
    f = _write(tmp_path, phoenix_dict, "quoted.yaml")
    assert "start: '20" in f.read_text()  # really quoted strings in the file
    quoted = load_site(f)
    assert quoted.fleet == plain.fleet and quoted.interconnection == plain.interconnection


def test_every_problem_is_reported_not_just_the_first(tmp_path, phoenix_dict):
    phoenix_dict.update(latitude=123, longitude=500)
    phoenix_dict["fleet"]["phases"][0]["count"] = -1
    with pytest.raises(SiteError) as ei:
        load_site(_write(tmp_path, phoenix_dict))
    assert len(ei.value.problems) == 3
    assert "(+2 more problems)" in str(ei.value)


def test_missing_weather_file_names_field(tmp_path, phoenix_dict):
    phoenix_dict["weather"]["file"] = "weather/nowhere.epw"
    # a relative name says the places it was looked for: the site's folder, its parent, then data/
    with pytest.raises(SiteError, match=rf"weather\.file: weather file not found: weather/nowhere\.epw \(looked in "
                                        rf"{re.escape(str(tmp_path.resolve()))}, "
                                        rf"{re.escape(str(tmp_path.resolve().parent))} and {re.escape(str(DATA))}\)"):
        load_site(_write(tmp_path, phoenix_dict))


@pytest.mark.parametrize("written, found, name", [
    # a new site naming the Miami TMY2 the bundled data/weather/ holds (docs/site-format.md, "A new site") as a
    # checkout shows it, or by its file name alone: the error said only where it looked (its last place the
    # bundled data/ itself), not the name that reads it
    ("data/weather/12839.tm2", DATA / "weather" / "12839.tm2", "weather/12839.tm2"),
    ("12839.tm2", DATA / "weather" / "12839.tm2", "weather/12839.tm2"),
    ("../weather/703165TY.csv", DATA / "weather" / "703165TY.csv", "weather/703165TY.csv"),
])
def test_a_missing_weather_name_says_the_name_that_finds_the_file(tmp_path, phoenix_dict, written, found, name):
    phoenix_dict["weather"]["file"] = written
    with pytest.raises(SiteError) as ei:
        load_site(_write(tmp_path, phoenix_dict))
    text = str(ei.value)
    assert f"weather file not found: {written} (looked in " in text, text
    assert f"; {found.resolve()} is found as {name}: write that name" in text, text


@pytest.mark.parametrize("section, written, meant", [
    # a newcomer's typos of a bundled file's name: the error said only where it looked, not the file meant
    ("weather", "weather/12893.tm2", "weather/12839.tm2"),  # two digits swapped
    ("weather", "weather/12839.TM2", "weather/12839.tm2"),  # the case (a Linux file system tells them apart)
    ("tariff", "tariffs/duke-nc-opt-tuo.json", "tariffs/duke-nc-opt-tou.json"),
])
def test_a_typod_weather_or_tariff_name_gets_a_did_you_mean(tmp_path, phoenix_dict, section, written, meant):
    assert (DATA / meant).is_file() and not (DATA / written).exists()
    phoenix_dict[section]["file"] = written
    with pytest.raises(SiteError) as ei:
        load_site(_write(tmp_path, phoenix_dict))
    text = str(ei.value)
    assert f"{section}.file: {section} file not found: {written} (looked in " in text, text
    assert text.endswith(f" and {DATA}); did you mean {meant!r}?"), text


def test_a_name_far_from_every_file_gets_no_did_you_mean(tmp_path, phoenix_dict):
    phoenix_dict["weather"]["file"] = "weather/zzzz.epw"
    with pytest.raises(SiteError) as ei:
        load_site(_write(tmp_path, phoenix_dict))
    assert str(ei.value).endswith(f" and {DATA})"), str(ei.value)


def test_a_missing_tariff_name_says_its_tariffs_folder_name(tmp_path, phoenix_dict):
    # a tariff of the user's own in tariffs/ beside sites/ (data/'s layout), named by its file name alone
    (tmp_path / "tariffs").mkdir()
    own = tmp_path / "tariffs" / "own.json"
    own.write_text((DATA / "tariffs" / "aps-az-e32-tou-l.json").read_text())
    (tmp_path / "sites").mkdir()
    phoenix_dict["weather"]["file"] = str(DATA / phoenix_dict["weather"]["file"])
    phoenix_dict["tariff"]["file"] = "own.json"
    with pytest.raises(SiteError) as ei:
        load_site(_write(tmp_path / "sites", phoenix_dict))
    assert f"tariff file not found: own.json (looked in {tmp_path.resolve() / 'sites'}, " in str(ei.value)
    assert f"; {own.resolve()} is found as tariffs/own.json: write that name" in str(ei.value)


def test_a_weather_name_relative_to_the_working_folder_says_the_name_from_the_yaml(tmp_path, phoenix_dict,
                                                                                    monkeypatch):
    # "a weather path relative to the wrong folder": written from where the command runs, read from the YAML's
    (tmp_path / "own").mkdir()
    (tmp_path / "mine" / "sites").mkdir(parents=True)
    own = tmp_path / "own" / "station.epw"
    own.write_bytes((DATA / phoenix_dict["weather"]["file"]).read_bytes())
    phoenix_dict["weather"]["file"] = "own/station.epw"
    monkeypatch.chdir(tmp_path)
    with pytest.raises(SiteError) as ei:
        load_site(_write(tmp_path / "mine" / "sites", phoenix_dict))
    text = str(ei.value)
    assert (f"a file of that name is in the folder the command runs in ({own.resolve()}), but a site's relative "
            f"names are read from its YAML's folder ({(tmp_path / 'mine' / 'sites').resolve()}) and the places "
            "above: write ../../own/station.epw (or its full path)") in text, text


def test_a_name_found_nowhere_gets_no_hint(tmp_path, phoenix_dict):
    phoenix_dict["weather"]["file"] = "weather/nowhere.epw"
    with pytest.raises(SiteError) as ei:
        load_site(_write(tmp_path, phoenix_dict))
    assert "write that name" not in str(ei.value) and "runs in" not in str(ei.value)


def test_unreadable_yaml_gives_line_and_column(tmp_path):
    f = tmp_path / "bad.yaml"
    f.write_text("name: x\nlatitude: [1, 2\n")
    with pytest.raises(InputError, match=r"bad\.yaml: not valid YAML: line \d+, column \d+"):
        load_site(f)


def test_yaml_is_loaded_safely(tmp_path):
    f = tmp_path / "evil.yaml"
    f.write_text("name: !!python/object/apply:os.system ['echo pwned']\n")
    with pytest.raises(InputError, match="not valid YAML"):
        load_site(f)


def test_empty_portfolio_is_one_clear_error(tmp_path):
    f = tmp_path / "p.yaml"
    f.write_text("name: empty\nsites: []\n")
    with pytest.raises(SiteError, match=r"p\.yaml: sites: portfolio lists no sites"):
        load_portfolio(f)


def test_portfolio_name_and_description_must_be_text(tmp_path):
    """name: [1, 2] passed and `dcplan sites` printed "[1, 2] (1 sites)"."""
    f = tmp_path / "p.yaml"
    f.write_text(f"name: [1, 2]\ndescription: 3\nsites: [{DATA / 'sites' / 'phoenix-az.yaml'}]\n")
    with pytest.raises(SiteError) as ei:
        load_portfolio(f)
    assert ei.value.problems == [("name", "must be text, got [1, 2]"), ("description", "must be text, got 3")]


def test_portfolio_collects_problems_across_site_files(tmp_path, phoenix_dict):
    phoenix_dict["weather"]["file"] = str(DATA / phoenix_dict["weather"]["file"])
    phoenix_dict["latitude"] = 100
    _write(tmp_path, phoenix_dict, "a.yaml")
    phoenix_dict["longitude"] = 200
    _write(tmp_path, phoenix_dict, "b.yaml")
    p = tmp_path / "p.yaml"
    p.write_text("name: two\nsites: [a.yaml, b.yaml, missing.yaml]\n")
    with pytest.raises(SiteError) as ei:
        load_portfolio(p)
    text = "\n".join(ei.value.all_lines())
    assert "missing.yaml" in text and "latitude" in text and "longitude" in text
    # each site problem names its own file, not the portfolio's; the missing one says where it was looked for
    lines = ei.value.all_lines()
    assert any(re.search(r"a\.yaml:latitude: .*got 100", l) for l in lines), lines
    assert any(re.search(r"b\.yaml:longitude: .*got 200", l) for l in lines), lines
    assert not any(re.search(r"p\.yaml: (latitude|longitude)", l) for l in lines), lines
    assert any(f"missing.yaml (looked in {tmp_path.resolve()} only: a portfolio's site files are relative to "
               "the portfolio file)" in l for l in lines), lines


def test_duplicate_site_ids_rejected(tmp_path):
    p = tmp_path / "p.yaml"
    s = str(DATA / "sites" / "phoenix-az.yaml")
    p.write_text(f"name: dup\nsites: ['{s}', '{s}']\n")
    with pytest.raises(SiteError, match="duplicate site id 'phoenix-az'"):
        load_portfolio(p)


def test_duplicate_site_ids_name_their_files_and_the_fix(tmp_path, phoenix_dict):
    # "a b.yaml" and "a-b.yaml" both default to id 'a-b': say which files and how to fix it
    phoenix_dict["weather"]["file"] = str(DATA / "weather" / phoenix_dict["weather"]["file"].split("/")[-1])
    phoenix_dict["tariff"]["file"] = str(DATA / phoenix_dict["tariff"]["file"])
    _write(tmp_path, phoenix_dict, "a b.yaml")
    _write(tmp_path, phoenix_dict, "a-b.yaml")
    p = tmp_path / "p.yaml"
    p.write_text("name: dup\nsites: ['a b.yaml', 'a-b.yaml']\n")
    with pytest.raises(SiteError, match=r"duplicate site id 'a-b' \(from a b.yaml, a-b.yaml\).*own 'id:'"):
        load_portfolio(p)


def test_site_id_from_a_unicode_file_name_is_transliterated(tmp_path, phoenix_dict):
    phoenix_dict["weather"]["file"] = str(DATA / "weather" / phoenix_dict["weather"]["file"].split("/")[-1])
    phoenix_dict["tariff"]["file"] = str(DATA / phoenix_dict["tariff"]["file"])
    assert load_site(_write(tmp_path, phoenix_dict, "Zürich Süd.yaml")).id == "zurich-sud"  # was z-rich-s-d
    # letters NFKD does not decompose are spelled out, as in report folder names (was phnix-e, strae-7)
    assert load_site(_write(tmp_path, phoenix_dict, "phœnix é.yaml")).id == "phoenix-e"
    assert load_site(_write(tmp_path, phoenix_dict, "Straße 7.yaml")).id == "strasse-7"


def test_misspelled_required_key_shows_did_you_mean_in_the_one_line_error(tmp_path, phoenix_dict):
    # the one-line error showed "latitude: required field is missing (+1 more problem)" and
    # hid the did-you-mean in the second problem
    phoenix_dict["latitud"] = phoenix_dict.pop("latitude")
    with pytest.raises(SiteError) as ei:
        load_site(_write(tmp_path, phoenix_dict))
    assert re.search(r"latitude: required field is missing; the file has unknown key 'latitud' "
                     r"\(did you mean 'latitude'\?\) \(\+1 more problem\)$", str(ei.value))


def test_site_file_given_as_portfolio_says_so(tmp_path):
    with pytest.raises(SiteError, match=r"phoenix-az.yaml: this is a site file, not a portfolio"):
        load_portfolio(DATA / "sites" / "phoenix-az.yaml")


def test_sweep_file_given_as_portfolio_says_so():
    # a CLI tester's finding: `dcplan sites --portfolio` of a sweep file said "axes: unknown key 'axes'; allowed:
    # description, name, sites (+6 more problems)"
    with pytest.raises(SiteError, match=r"example.yaml: this is a sweep file \(it has axes:\), not a portfolio: run "
                                        r"it with dcplan sweep$"):
        load_portfolio(DATA / "sweeps" / "example.yaml")



# ---------------------------------------------------------------------------
# the site against its weather file's own station header

@pytest.mark.parametrize("mutate, field, km", [
    # Phoenix with an east longitude: same latitude 33.45, longitudes 111.98 E and 111.98 W, 136.04 deg
    # apart the short way: cos c = sin^2(33.45) + cos^2(33.45) cos(136.04) = 0.30379 - 0.50095, c = 101.37 deg,
    # 1.7692 rad x 6371 km = 11,272 km (hand calculation; the message rounds to the km, hence 11,27x)
    (lambda d: d.update(longitude=111.98), "longitude", r"11,27\d km"),
    # southern latitude: 2 x 33.45 = 66.9 deg of the meridian, 1.1676 rad x 6371 km = 7,439 km
    (lambda d: d.update(latitude=-33.45), "latitude", r"7,4(39|40) km"),
])
def test_site_far_from_its_weather_station_is_refused(tmp_path, phoenix_dict, mutate, field, km):
    """A US longitude with the wrong sign passed every range check, and the PV model put the sun
    about 15 h off the file's irradiance. The Phoenix EPW header says 33.45 N, -111.98 (LOCATION
    line; shared/weather/README.md the same); distances by hand above, to the km."""
    from dcplan.validate import validate_file
    from dcplan.weather import load_site_weather
    phoenix_dict["weather"]["file"] = str(DATA / phoenix_dict["weather"]["file"])
    mutate(phoenix_dict)
    f = _write(tmp_path, phoenix_dict)
    site = load_site(f)
    with pytest.raises(InputError) as ei:
        load_site_weather(site)
    assert str(ei.value).startswith(f"{f}: {field}: "), str(ei.value)
    assert re.search(km, str(ei.value)) and "33.45, -111.98" in str(ei.value) and "sign" in str(ei.value)
    (p,) = validate_file(f)  # dcplan validate says so too, on the field
    assert (p.file, p.field) == (str(f), field) and re.search(km, p.message)
    from dcplan import pipeline  # and so does the chain that render and sweeps run
    with pytest.raises(InputError, match=km):
        pipeline.site_weather(site)


def test_bundled_sites_are_near_their_weather_stations():
    """Research Triangle uses Greensboro (36.10, -79.95 in the TMY3 header), about 100 km west; the
    other three sit at their station (within 10 km). Expected by hand, equirectangular: RTP
    dx = 1.09 deg x 111.2 km x cos(36.0) = 98 km, dy = 0.20 x 111.2 = 22 km: 101 km, +-2 km."""
    from dcplan.site import _distance_km
    from dcplan.weather import load_site_weather
    d = {}
    for s in load_portfolio():
        a = load_site_weather(s, tz=s.timezone).attrs  # (and no error)
        d[s.id] = _distance_km(s.latitude, s.longitude, a["latitude"], a["longitude"])
    assert d["research-triangle-nc"] == pytest.approx(101.0, abs=2.0)
    assert max(d["phoenix-az"], d["chicago-il"], d["northern-virginia"]) < 10.0


@pytest.mark.parametrize("tz, ok", [
    ("America/Phoenix", True),       # the station's own zone: UTC-7 (EPW header "-7.0")
    # UTC-7 standard like the station, but with daylight saving, which Phoenix does not keep: loads,
    # with the daylight-saving warning (tests/test_site_timezone.py checks its text)
    ("America/Denver", "dst"),
    ("America/Los_Angeles", "warn"), # UTC-8: one hour, right only across a zone border (a warning)
    ("America/New_York", False),     # UTC-5: two hours off the station, TOU hours would be wrong
    ("Asia/Tokyo", False),           # UTC+9: 16 h
    ("Australia/Sydney", False),     # UTC+10 standard (+11 in January, its summer): 17 h
])
def test_site_time_zone_far_from_its_weather_stations_offset_is_refused(tmp_path, phoenix_dict, tz, ok):
    """The Phoenix EPW header keeps UTC-7; a site next to the station whose zone keeps a standard
    time 2 h or more away has a wrong ``timezone`` (its tariff hours would be off); 1 h away
    loads with a warning (tests/test_site_timezone.py checks its text)."""
    from dcplan.errors import DcplanWarning
    from dcplan.validate import validate_file
    from dcplan.weather import load_site_weather
    phoenix_dict["weather"]["file"] = str(DATA / phoenix_dict["weather"]["file"])
    phoenix_dict["timezone"] = tz
    f = _write(tmp_path, phoenix_dict)
    site = load_site(f)
    if ok == "dst":
        with pytest.warns(DcplanWarning, match="'America/Denver' keeps daylight saving in 2025; 'America/Phoenix'"):
            load_site_weather(site)
        with pytest.warns(DcplanWarning, match="billed an hour off: check timezone"):
            assert validate_file(f) == []
        return
    if ok == "warn":
        with pytest.warns(DcplanWarning, match="UTC-8 h, but the station .* keeps UTC-7 h"):
            load_site_weather(site)
        with pytest.warns(DcplanWarning, match="across a time-zone border"):
            assert validate_file(f) == []
        return
    if ok:
        load_site_weather(site)
        assert validate_file(f) == []
        return
    with pytest.raises(InputError) as ei:
        load_site_weather(site)
    assert str(ei.value).startswith(f"{f}: timezone: '{tz}' keeps standard time UTC"), str(ei.value)
    assert "keeps UTC-7 h" in str(ei.value) and "within 1 h" in str(ei.value)
    (p,) = validate_file(f)
    assert (p.file, p.field) == (str(f), "timezone") and "keeps UTC-7 h" in p.message


def test_empty_portfolio_file_says_it_is_empty(tmp_path):
    (tmp_path / "p.yaml").write_text("# nothing yet\n")
    with pytest.raises(SiteError, match=r"p.yaml: file is empty; expected a mapping with 'name' and a 'sites' list"):
        load_portfolio(tmp_path / "p.yaml")


@pytest.mark.parametrize("first_line, text", [
    ("LOCATION,Phoenix Sky Harbor Intl Ap", r"the first line must be the EPW LOCATION line.*\(10 fields\); it has 2"),
    ("Phoenix,AZ,USA,TMY3,722780,33.45,-111.98,-7.0,337.0,x", r"not an EPW file: the first line must be"),
    ("LOCATION,Phoenix,AZ,USA,TMY3,722780,33.45,-111.98,-7.0,high", r"the first line.s elevation \(field 10\) must be a number, got 'high'"),
])
def test_garbled_weather_header_is_an_input_error_of_the_site(tmp_path, phoenix_dict, first_line, text):
    """A weather file whose first line is not its format's header (a truncated download, a file
    saved from a web page) failed every notebook of the site at run time (exit 1) with pvlib's
    "KeyError: 'altitude'"; loading the site (render's plan, dcplan validate) now says what the
    line must hold, naming the site file and weather.file."""
    from dcplan.cli import main
    from dcplan.weather import load_weather
    lines = (DATA / phoenix_dict["weather"]["file"]).read_text().splitlines(keepends=True)
    bad = tmp_path / "phx.epw"
    bad.write_text(first_line + "\n" + "".join(lines[1:]))
    phoenix_dict["weather"]["file"] = str(bad)
    f = _write(tmp_path, phoenix_dict)
    with pytest.raises(InputError, match=rf"s\.yaml: weather\.file: .*phx\.epw: {text}"):
        load_site(f)
    with pytest.raises(InputError, match=text):  # and reading it directly says the same
        load_weather(bad)
    pf = tmp_path / "pf.yaml"
    pf.write_text(f"name: one\nsites: [{f}]\n")
    assert main(["render", "--portfolio", str(pf), "--out", str(tmp_path / "o"), "-q"]) == 2


# ---------------------------------------------------------------------------
# the site's elevation against its weather file's station altitude

@pytest.mark.parametrize("elevation_m, ok", [
    (337.0, True),     # the station's own altitude (EPW LOCATION line: 337.0 m)
    (837.0, True),     # 500 m above: the limit, allowed
    (837.5, False),    # just over
    (-163.0, True),    # 500 m below
    (-163.5, False),
    (1500.0, False),   # a typo, or a mountain site on the valley's file
])
def test_site_elevation_far_from_its_weather_stations_is_refused(tmp_path, phoenix_dict, elevation_m, ok):
    """A site 1,500 m up on Phoenix's file (337 m) passed silently; the file's temperatures
    would be about 7.5 K too warm for it (6.5 K/km, dcplan.site.MAX_STATION_ELEVATION_DIFF_M).
    Checked where the time zone is: load_site_weather, the chain, dcplan validate."""
    from dcplan import pipeline
    from dcplan.site import MAX_STATION_ELEVATION_DIFF_M
    from dcplan.validate import validate_file
    from dcplan.weather import load_site_weather, site_weather_problems
    assert MAX_STATION_ELEVATION_DIFF_M == 500.0
    phoenix_dict["weather"]["file"] = str(DATA / phoenix_dict["weather"]["file"])
    phoenix_dict["elevation_m"] = elevation_m
    f = _write(tmp_path, phoenix_dict)
    site = load_site(f)
    if ok and abs(elevation_m - 337.0) <= 200.0:
        load_site_weather(site)
        assert site_weather_problems(site) == [] and validate_file(f) == []
        return
    if ok:  # over 200 m apart: allowed, but warned (dcplan.site_station.station_elevation_warning)
        with pytest.warns(DcplanWarning, match="500 m apart"):
            load_site_weather(site)
        return
    with pytest.raises(InputError) as ei:
        load_site_weather(site)
    msg = str(ei.value)
    assert msg.startswith(f"{f}: elevation_m: {elevation_m:g} m, but the station of its weather file "
                          "USA_AZ_Phoenix-Sky.Harbor.Intl.AP.722780_TMY3.epw is at 337 m (the file's header)"), msg
    assert f"{abs(elevation_m - 337):,.0f} m apart; allowed: within 500 m" in msg
    assert "Correct elevation_m, or choose the weather file of a station at the site's height" in msg
    with pytest.raises(InputError, match="elevation_m: .* is at 337 m"):
        pipeline.site_weather(site)
    assert site_weather_problems(site) == [("elevation_m", msg.split("elevation_m: ", 1)[1])]
    (p,) = validate_file(f)
    assert (p.file, p.field) == (str(f), "elevation_m") and "is at 337 m" in p.message


def test_bundled_sites_are_at_their_weather_stations_height():
    """Header altitudes: Phoenix 337.0, Chicago 201.0, Dulles 82.0 (EPW LOCATION lines), Greensboro
    273 (TMY3 station line); the sites' elevation_m 337, 201, 90, 120: 0, 0, 8 and 153 m apart."""
    from dcplan.weather import checked_file, site_weather_problems
    diff = {}
    for s in load_portfolio():
        problems, station = checked_file(s.weather_path, s.weather.format, s.weather.year)
        assert problems == [] and site_weather_problems(s) == [], s.id
        diff[s.id] = abs(s.elevation_m - station["altitude_m"])
    assert diff == {"research-triangle-nc": 153.0, "northern-virginia": 8.0, "phoenix-az": 0.0,
                    "chicago-il": 0.0}


# ---------------------------------------------------------------------------
# a weather file whose header is fine but whose body is corrupt: an input error of the site
# before any run (render exit 2, dcplan validate), not a failed run per notebook (exit 1)

def _set_field(lines, i, j, value):
    f = lines[i].split(",")
    f[j] = value
    lines[i] = ",".join(f)
    return lines


@pytest.mark.parametrize("edit, text", [
    # cut short after 4000 hours (16 Jun hour 16): a download that stopped
    (lambda L: L[:8 + 4000], r"expected 8760 hourly rows of a typical year, got 4000: the rows stop at 16 Jun "
                             r"hour 16 \(data row 4000, line 4008\): the file is cut short"),
    # a word in the dry-bulb column of 5 Jan hour 5 (data row 101, line 109)
    (lambda L: _set_field(L, 8 + 100, 6, "2x.5"), r"temp_air: value '2x\.5' at 2025-01-05 05:00:00-07:00 "
                                                  r"\(data row 101, line 109\) is not a number; allowed: a number"),
    # 21 Jan hours 21-23 dropped
    (lambda L: L[:8 + 500] + L[8 + 503:], r"got 8757: 3 hours missing, 21 Jan hour 21 to 21 Jan hour 23"),
], ids=["truncated", "word", "rows-dropped"])
def test_corrupt_weather_body_is_an_input_error_of_the_site_before_any_run(tmp_path, phoenix_dict, capsys,
                                                                           edit, text):
    """Mirrors the garbled-header case above: the header is fine, so the site loads, but every
    notebook of the site failed at run time (exit 1) with a pandas/pvlib traceback. Render's
    plan and dcplan validate now read the body as the runs would and refuse it (exit 2), naming
    the site file, weather.file, the weather file, row/line, column, value and what is allowed;
    the site's runs are not executed and the other site's run renders (one bad site no longer
    stops the others)."""
    from dcplan.cli import main
    from dcplan.validate import validate_file
    from dcplan.weather import site_weather_problems
    lines = (DATA / phoenix_dict["weather"]["file"]).read_text().splitlines(keepends=True)
    bad = tmp_path / "phx.epw"
    bad.write_text("".join(edit(lines)))
    phoenix_dict["weather"]["file"] = str(bad)
    f = _write(tmp_path, phoenix_dict)
    site = load_site(f)  # the header is fine: the site itself loads
    (field, msg), *_ = site_weather_problems(site)
    assert field == "weather.file" and msg.startswith(f"{bad}: ") and re.search(text, msg), msg
    (p,) = validate_file(f)
    assert (p.file, p.field) == (str(f), "weather.file") and re.search(text, p.message)
    pf = tmp_path / "pf.yaml"
    pf.write_text(f"name: one\nsites: [{f}, {DATA / 'sites' / 'chicago-il.yaml'}]\n")
    out = tmp_path / "o"
    capsys.readouterr()
    assert main(["render", "--portfolio", str(pf), "--out", str(out), "--notebooks", "site_climate", "-q"]) == 2
    c = capsys.readouterr()
    assert c.err == f"dcplan: error: 1 run(s) not executed: bad input in {f} (see their lines above)\n", c.err
    assert f"{f}: weather.file: {bad}: " in c.out and re.search(text, c.out) and "Traceback" not in c.out, c.out
    assert not (out / site.id / "site_climate" / "report.html").exists()  # never executed
    assert (out / "chicago-il" / "site_climate" / "report.html").is_file()  # the good site rendered


def test_render_names_every_site_whose_weather_fails(tmp_path, phoenix_dict):
    """Two bad sites: the plan's one error names the first site's problem and counts the other's
    (as load_portfolio folds the problems of several site files)."""
    from dcplan.report_plan import plan_runs
    from dcplan.site import SiteError
    lines = (DATA / phoenix_dict["weather"]["file"]).read_text().splitlines(keepends=True)
    bad = tmp_path / "phx.epw"
    bad.write_text("".join(lines[:8 + 48]))
    phoenix_dict["weather"]["file"] = str(bad)
    a = _write(tmp_path, phoenix_dict, "a.yaml")
    phoenix_dict["weather"]["file"] = str(DATA / "weather" / "USA_AZ_Phoenix-Sky.Harbor.Intl.AP.722780_TMY3.epw")
    phoenix_dict["elevation_m"] = 1500
    b = _write(tmp_path, phoenix_dict, "b.yaml")
    pf = tmp_path / "pf.yaml"
    pf.write_text(f"name: two\nsites: [{a}, {b}]\n")
    with pytest.raises(SiteError) as ei:
        plan_runs(pf, notebooks=["site_climate"], out=tmp_path / "o")
    e = ei.value
    assert str(e).startswith(f"{a}: weather.file: {bad}: expected 8760 hourly rows of a typical year, got 48")
    # the other site's problem is counted, and the command that lists it named
    assert str(e).endswith(f"(+1 more problem; `dcplan validate {pf}` lists them all)")
    assert [f for f, _ in e.problems] == ["weather.file", "b.yaml:elevation_m"]


def test_a_portfolio_entry_by_site_id_or_from_the_working_folder_says_the_entry_that_finds_it(tmp_path, phoenix_dict,
                                                                                             monkeypatch):
    # a new portfolio beside its sites/ folder (data/portfolio.yaml's layout) listing a site by its id, as --sites
    # takes it, or by a path written from where the command runs: 'site file not found' said only where it looked
    phoenix_dict["weather"]["file"] = str(DATA / phoenix_dict["weather"]["file"])
    phoenix_dict["tariff"]["file"] = str(DATA / phoenix_dict["tariff"]["file"])
    mine = tmp_path / "mine"
    (mine / "sites").mkdir(parents=True)
    site = _write(mine / "sites", phoenix_dict, name="miami-fl.yaml")
    pf = mine / "portfolio.yaml"
    pf.write_text("name: mine\nsites:\n  - miami-fl\n  - mine/sites/miami-fl.yaml\n")
    monkeypatch.chdir(tmp_path)
    with pytest.raises(SiteError) as ei:
        load_portfolio(pf)
    probs = dict(ei.value.problems)
    assert probs["sites[0]"].endswith(f"; {site.resolve()} is there as sites/miami-fl.yaml: write that entry"), probs
    assert probs["sites[1]"].startswith("site file not found: mine/sites/miami-fl.yaml (looked in "), probs
    assert probs["sites[1]"].endswith(f"; {site.resolve()} is there as sites/miami-fl.yaml: write that entry"), probs
    # outside sites/: a path from the working folder
    other = tmp_path / "elsewhere" / "x.yaml"
    other.parent.mkdir()
    other.write_text(site.read_text())
    pf.write_text("name: mine\nsites:\n  - elsewhere/x.yaml\n")
    with pytest.raises(SiteError) as ei:
        load_portfolio(pf)
    assert dict(ei.value.problems)["sites[0]"].endswith(
        f"; a file of that name is in the folder the command runs in ({other.resolve()}), but a portfolio's entries "
        f"are read from its own folder ({mine.resolve()}): write ../elsewhere/x.yaml (or its full path)")


# A line indented less or more than its section's keys puts a key in another section: 'ashrae_class' at the left
# margin said only "unknown key 'ashrae_class'; allowed: as_of, cooling, ..." (no key of the top level is close),
# 'tilt_deg' there "did you mean 'latitude'?". The key's own section is now named.
def _move(d, key, src, dst):
    """``key`` taken out of section ``src`` (None: the top level) and put in ``dst`` (None: the top level)."""
    value = (d[src] if src else d).pop(key)
    (d.setdefault(dst, {}) if dst else d)[key] = value


@pytest.mark.parametrize("key, src, dst, field, says", [
    ("ashrae_class", "cooling", None, "ashrae_class",
     "unknown key 'ashrae_class' (a key of the cooling: section: indent it under cooling:, with that section's "
     "other keys); allowed: as_of, cooling, "),
    ("tilt_deg", "solar", None, "tilt_deg",  # no longer 'latitude', which is not nearly 'tilt_deg'
     "unknown key 'tilt_deg' (a key of the solar: section: indent it under solar:, with that section's other "
     "keys); allowed: as_of, cooling, "),
    ("ashrae_class", "cooling", "fleet", "fleet.ashrae_class",
     "unknown key 'ashrae_class' (a key of the cooling: section: indent it under cooling:, with that section's "
     "other keys); allowed: cap_kw_per_unit, "),
    ("timezone", None, "weather", "weather.timezone",
     "unknown key 'timezone' (a top-level key: write it at the left margin, not indented under weather:); "
     "allowed: file, format, rows_utc_offset_h, source, year"),
])
def test_a_key_in_the_wrong_section_names_its_own_section(tmp_path, phoenix_dict, key, src, dst, field, says):
    phoenix_dict["weather"]["file"] = str(DATA / phoenix_dict["weather"]["file"])
    _move(phoenix_dict, key, src, dst)
    with pytest.raises(SiteError) as ei:
        load_site(_write(tmp_path, phoenix_dict))
    mine = [m for f, m in ei.value.problems if f == field]
    assert len(mine) == 1 and mine[0].startswith(says), ei.value.problems


def test_a_key_of_several_sections_names_them_and_a_nearly_equal_key_keeps_its_did_you_mean(tmp_path, phoenix_dict):
    phoenix_dict["weather"]["file"] = str(DATA / phoenix_dict["weather"]["file"])
    phoenix_dict["source"] = "x"  # weather's, electrical's, tariff's, interconnection.time_to_power's, ...
    phoenix_dict["finance"]["source"] = {}  # finance.sources meant (difflib ratio 0.92): both said
    with pytest.raises(SiteError) as ei:
        load_site(_write(tmp_path, phoenix_dict))
    probs = dict(ei.value.problems)
    assert probs["source"].startswith(
        "unknown key 'source' (a key of weather:, electrical:, tariff:, interconnection.time_to_power:, ...: "
        "indent it under the section it belongs to); allowed: as_of, "), probs["source"]
    assert probs["finance.source"].startswith(
        "unknown key 'source' (did you mean 'sources'?) (a key of weather:, electrical:, tariff:, "
        "interconnection.time_to_power:, ...: indent it under the section it belongs to); allowed: "), probs


# A section or value left out said only "fleet: required field is missing": not what to add. Each now says what
# the field holds (its meaning and range, as docs/site-format.md's table, from the same models) or the section's
# required keys; a misspelt key keeps its did-you-mean alone.
@pytest.mark.parametrize("drop, field, says", [
    (lambda d: d.pop("fleet"), "fleet",
     "required field is missing; add fleet: with phases: (a list of items with hardware:, count:, start:) under it; "
     "docs/site-format.md"),
    (lambda d: d.pop("weather"), "weather", "required field is missing; add weather: with file: under it; "),
    (lambda d: d.pop("longitude"), "longitude", "required field is missing; add longitude: [deg E], allowed: -180 "
                                                "to 180; docs/site-format.md"),
    (lambda d: d["fleet"]["phases"][0].pop("count"), "fleet.phases[0].count",
     "required field is missing; add count: number of catalog units (servers or racks) in this phase, allowed: 0 to "
     "1,000,000; docs/site-format.md"),
])
def test_a_missing_field_says_what_to_add(tmp_path, phoenix_dict, drop, field, says):
    phoenix_dict["weather"]["file"] = str(DATA / phoenix_dict["weather"]["file"])
    drop(phoenix_dict)
    with pytest.raises(SiteError) as ei:
        load_site(_write(tmp_path, phoenix_dict))
    mine = [m for f, m in ei.value.problems if f == field]
    assert len(mine) == 1 and mine[0].startswith(says), ei.value.problems
