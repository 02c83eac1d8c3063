"""dcplan.validate and `dcplan validate`: kind detection, every problem listed, ok lines, exit codes."""
from __future__ import annotations

import importlib.util
import json
import re
from pathlib import Path

import pytest
import yaml

from dcplan import validate as V
from dcplan.cli import main
from dcplan.errors import InputError
from dcplan.tariff import Tariff

from conftest import DATA, GREENSBORO_TMY3, MIAMI_TMY2, PHOENIX_EPW

CORPUS = Path(__file__).resolve().parent / "badinput"
NY = "America/New_York"
HAS_SCHEDULE = importlib.util.find_spec("dcplan.schedule_jobs") is not None
HAS_SWEEP = importlib.util.find_spec("dcplan.sweep_spec") is not None

BUNDLED = ([(p, "site") for p in sorted((DATA / "sites").glob("*.yaml"))]
           + [(DATA / "portfolio.yaml", "portfolio")]
           + [(p, "tariff") for p in sorted((DATA / "tariffs").glob("*.json"))]
           + [(PHOENIX_EPW, "weather"), (GREENSBORO_TMY3, "weather"), (MIAMI_TMY2, "weather"),
              (CORPUS / "ok" / "load.csv", "load")]
           + ([(DATA / "jobs_example.csv", "jobs")] if HAS_SCHEDULE else [])
           + ([(DATA / "sweeps" / "example.yaml", "sweep")] if HAS_SWEEP else []))


def urdb():
    return {"label": "t", "energyratestructure": [[{"rate": 0.05}], [{"rate": 0.09}]],
            "energyweekdayschedule": [[1 if 12 <= h < 18 else 0 for h in range(24)] for _ in range(12)],
            "energyweekendschedule": [[0] * 24 for _ in range(12)]}


def _json(tmp_path, data, name="t.json"):
    f = tmp_path / name
    f.write_text(json.dumps(data))
    return f


@pytest.mark.parametrize("path, kind", BUNDLED, ids=[p.name for p, _ in BUNDLED])
def test_bundled_files_are_detected_and_valid(path, kind):
    assert V.detect_kind(path) == kind
    # the example jobs' times are naive (the local time of the site that schedules them): a zone for them
    assert V.validate_file(path, tz="America/Phoenix" if kind == "jobs" else None) == []


def test_kind_by_content_not_only_extension(tmp_path):
    # a URDB item saved as .txt is still a tariff (content starts with '{'); a jobs YAML list
    t = tmp_path / "rate.txt"
    t.write_text(json.dumps(urdb()))
    assert V.detect_kind(t) == "tariff" and V.validate_file(t) == []
    j = tmp_path / "j.yaml"
    j.write_text("- {name: a, energy_kwh: 10, power_kw: 5, earliest_start: '2025-07-07T08:00-05:00', "
                 "deadline: '2025-07-07T12:00-05:00'}\n")
    assert V.detect_kind(j) == "jobs"
    p = tmp_path / "pf.yaml"
    p.write_text("name: x\nsities: [sites/phoenix-az.yaml]\n")  # typo of 'sites': still a portfolio
    assert V.detect_kind(p) == "portfolio"
    lines = [x.line() for x in V.validate_file(p)]
    assert any("sities: unknown key 'sities' (did you mean 'sites'?)" in ln for ln in lines), lines
    # a portfolio that lists no sites yet is a portfolio (it got six "latitude ... required" lines)
    p.write_text("name: x\ndescription: our campuses\n")
    assert V.detect_kind(p) == "portfolio"
    # it may be a site file begun (name: alone): what a site needs besides is said too, the Site model's required
    # keys but its id (its file name) and name (given): latitude ... fleet, as docs/site-format.md's table marks them
    assert [x.line() for x in V.validate_file(p)] == [
        f"{p}: sites: portfolio lists no sites; add at least one site file; or, for a site file, its other required "
        "keys: latitude, longitude, timezone, elevation_m, weather, fleet (docs/site-format.md (dcplan docs shows "
        "where))"]
    p.write_text("name: x\nsites: []\n")  # a portfolio's own empty list: no site file in question
    assert [x.line() for x in V.validate_file(p)] == [
        f"{p}: sites: portfolio lists no sites; add at least one site file"]


def test_unknown_kind_missing_file_and_folder_are_one_line_each(tmp_path):
    b = tmp_path / "notes.docx"
    b.write_bytes(b"PK\x03\x04")
    out = {str(p): [x.line() for x in V.validate_file(p)] for p in (b, tmp_path / "nope.yaml", tmp_path)}
    assert out[str(b)] == [f"{b}: unknown file kind (extension '.docx'); allowed: .yaml/.yml (site, portfolio, "
                           "jobs, sweep), .json (URDB tariff, PVGIS weather), .csv (jobs, load, TMY3/NSRDB/PVGIS "
                           "weather), .epw/.tm2 (weather)"]
    assert out[str(tmp_path / "nope.yaml")] == [f"{tmp_path / 'nope.yaml'}: file not found"]
    assert out[str(tmp_path)] == [f"{tmp_path}: is a folder; give files"]
    (p,) = V.validate_file(b, kind="sites")
    assert p.field == "kind" and "did you mean 'site'" in p.message


def test_tariff_problems_are_collected_per_group_without_cascades(tmp_path):
    u = urdb()
    u["energyweekdayschedule"][2][3] = 1.5            # energy group: non-integer period
    u["energyweekendschedule"].pop()                   # and a schedule of 11 months
    u["fixedchargefirstmeter"] = "ten"                 # fixed group: string for a number
    u["mincharge"] = 25.0                              # a valid group stays quiet
    u["Colour"] = "red"
    u["demandwindw"] = 15
    f = _json(tmp_path, u)
    lines = [p.line() for p in V.validate_file(f)]
    fields = [ln.split(": ")[1] for ln in lines]
    assert fields == ["Colour", "demandwindw", "energyweekdayschedule[2][3]", "energyweekendschedule",
                      "fixedchargefirstmeter"], lines
    assert "did you mean 'demandwindow'" in lines[1]
    assert not any("no charges found" in ln or "missing; needed" in ln for ln in lines)
    # the loader stops at the first; validate found every one of them
    with pytest.raises(InputError):
        Tariff.from_urdb(f)


def test_tariff_with_every_group_bad_does_not_claim_no_charges(tmp_path):
    u = urdb()
    u["energyratestructure"][0][0]["rate"] = None
    f = _json(tmp_path, u)
    lines = [p.line() for p in V.validate_file(f)]
    assert len(lines) == 1 and "energyratestructure[0][0].rate: must be a finite number, got None" in lines[0]


def test_tariff_items_each_checked_and_site_label_picks_one(tmp_path):
    a, b = urdb(), urdb()
    a["label"], b["label"] = "good", "bad"
    b["energyratestructure"][1][0]["rate"] = -1.0
    f = _json(tmp_path, {"items": [a, b]})
    lines = [p.line() for p in V.validate_file(f)]
    assert len(lines) == 1 and lines[0].startswith(f"{f}: items[1].energyratestructure[1][0].rate: "), lines
    assert "rate + adj = -1 is negative" in lines[0]  # the rate to 6 significant figures
    # a site billed on the good item is fine; on the bad one it is not
    site = yaml.safe_load((DATA / "sites" / "phoenix-az.yaml").read_text())
    site["weather"]["file"] = str(PHOENIX_EPW)
    site["tariff"] = {"file": str(f), "label": "good"}
    s = tmp_path / "s.yaml"
    s.write_text(yaml.safe_dump(site))
    assert V.validate_file(s) == []
    site["tariff"]["label"] = "bad"
    s.write_text(yaml.safe_dump(site))
    probs = V.validate_file(s)
    assert [p.field for p in probs] == ["tariff.file"] and "items[1].energyratestructure[1][0].rate" in probs[0].message
    site["tariff"]["label"] = "god"
    s.write_text(yaml.safe_dump(site))
    assert "did you mean 'good'" in V.validate_file(s)[0].message


def test_validate_agrees_with_the_loader_on_every_tariff(tmp_path):
    # "ok" only when Tariff.from_urdb accepts the file: over the corpus and the bundled tariffs
    files = sorted((CORPUS / "tariff").glob("*.json")) + sorted((DATA / "tariffs").glob("*.json"))
    for f in files:
        try:
            data = json.loads(f.read_text())
        except ValueError:  # not JSON or not text: the loader must refuse it too
            data = None
        labels = [it.get("label") for it in data["items"]] \
            if isinstance(data, dict) and isinstance(data.get("items"), list) else [None]
        loader_ok = True
        for label in labels:
            try:
                Tariff.from_urdb(f, label=label)
            except InputError:
                loader_ok = False
        assert (V.validate_file(f) == []) == loader_ok, f


def test_site_referencing_broken_weather_is_reported(tmp_path):
    short = CORPUS / "weather" / "short.epw"
    site = yaml.safe_load((DATA / "sites" / "chicago-il.yaml").read_text())
    site["weather"]["file"] = str(short)
    s = tmp_path / "s.yaml"
    s.write_text(yaml.safe_dump(site))
    (p,) = V.validate_file(s)
    assert (p.file, p.field) == (str(s), "weather.file")
    assert "short.epw: expected 8760 hourly rows of a typical year, got 48" in p.message


def test_problem_line_is_always_one_line():
    p = V.Problem("f.yaml", "a.b", "first\nsecond   third")
    assert p.line() == "f.yaml: a.b: first second third"
    assert V.Problem("f.yaml", "", "x").line() == "f.yaml: x"


def test_unexpected_loader_exception_is_a_problem_unless_debug(tmp_path, monkeypatch, capsys):
    f = tmp_path / "t.json"
    f.write_text(json.dumps(urdb()))

    def boom(path, label=None):
        raise RuntimeError("loader bug")
    monkeypatch.setitem(V._CHECKERS, "tariff", boom)
    (p,) = V.validate_file(f)
    assert "could not be checked as a tariff file: RuntimeError: loader bug" in p.message
    with pytest.raises(RuntimeError):
        V.validate_file(f, raise_unexpected=True)
    assert main(["validate", str(f)]) == 2
    assert "RuntimeError: loader bug" in capsys.readouterr().err
    with pytest.raises(RuntimeError):
        main(["--debug", "validate", str(f)])


def _catalog_warned() -> str:
    """What the catalog summary adds for the bundled catalogs' warnings, as ``dcplan validate data/hardware.csv``
    gives them: the bundled hgx-b200 row (4 a rack, 4 x 14.3 = 57.2 kW, air-cooled) is above 40.8 kW."""
    from dcplan.catalog_checks import catalog_warnings
    w = catalog_warnings()
    assert len(w) == 1 and "key 'hgx-b200'" in w[0] and "57.2 kW per rack" in w[0]
    return "".join(f"; warning, as dcplan validate {x.split(': ', 1)[0]} gives it: {x.split(': ', 1)[1]}" for x in w)


def test_cli_ok_lines_quiet_and_exit_codes(tmp_path, capsys):
    good = [str(DATA / "sites" / "phoenix-az.yaml"), str(DATA / "tariffs" / "duke-nc-opt-tou.json")]
    assert main(["validate", *good]) == 0
    c = capsys.readouterr()
    # a site's runs read the data catalogs: checked and said too
    assert c.out.splitlines() == [f"{g}: ok" for g in good] + [
        f"{DATA.resolve()}: ok (data catalogs: costs.csv, hardware.csv, cooling_defaults.csv, interconnection.csv, "
        f"equipment_lead_times.csv, system_load_example.csv)"] and c.err == ""
    # (Phoenix's hgx-b200 at its own 2 a rack: no catalog warning)
    assert main(["validate", "-q", *good]) == 0
    c = capsys.readouterr()
    assert c.out == "" and c.err == ""
    bad = str(CORPUS / "tariff" / "many_problems.json")
    assert main(["validate", "-q", bad, *good]) == 2
    c = capsys.readouterr()
    assert c.out == ""
    lines = c.err.splitlines()
    assert len(lines) == 4 and all(ln.startswith(bad + ": ") for ln in lines)
    assert all(re.match(r"^\S.*: \S+: ", ln) for ln in lines)  # file: field: message


@pytest.mark.skipif(not HAS_SCHEDULE, reason="dcplan.schedule not installed")
def test_jobs_rows_are_checked_one_by_one(tmp_path):
    f = tmp_path / "j.csv"
    f.write_text("name,energy_kwh,power_kw,earliest_start,deadline\n"
                 ",10,5,2025-07-07T08:00-05:00,2025-07-07T12:00-05:00\n"       # no name
                 "b,10,5,2025-07-07T08:00-05:00,2025-07-07T12:00-05:00\n"      # fine
                 "c,100,5,2025-07-07T08:00-05:00,2025-07-07T12:00-05:00\n")    # 100 kWh > 5 kW x 4 h
    lines = [p.line() for p in V.validate_file(f)]
    assert len(lines) == 2, lines
    # each with its line in the file (header = line 1), as the loader names a row
    assert re.search(r": jobs\[0\]\.name: line 2: missing name; every job needs one$", lines[0]), lines
    assert re.search(r": jobs\['c'\]\.energy_kwh: line 4: needs 100\.0 kWh .* holds only 20\.0 kWh", lines[1]), lines


def test_an_ambiguous_job_date_is_reported_once(tmp_path):
    # the loader and the row-by-row check both name the line ('line 2: ...'): one problem, one line
    f = tmp_path / "j.csv"
    f.write_text("name,earliest_start,deadline,energy_kwh,power_kw\n"
                 "j1,07/08/2025 00:00-05:00,2025-07-09T00:00-05:00,100,10\n")
    lines = [p.line() for p in V.validate_file(f)]
    assert len(lines) == 1, lines
    assert "jobs['j1'].earliest_start: line 2: '07/08/2025 00:00-05:00': day/month or month/day dates are not read" in lines[0]


@pytest.mark.skipif(not HAS_SWEEP, reason="dcplan.sweep not installed")
def test_every_bad_sweep_axis_is_listed_at_once(tmp_path):
    # a typo'd axis hid a negative PV size: it took one validate run per problem
    f = tmp_path / "s.yaml"
    f.write_text("name: s\nsite: phoenix-az\naxes:\n  cooling.typ: [air, liquid]\n  solar.dc_kw: [0, -5]\n"
                 "  solar.tilt_deg: [10, 20]\n")
    lines = [p.line() for p in V.validate_file(f)]
    assert [ln.split(": ")[1] for ln in lines] == ["axes.cooling.typ", "axes.solar.dc_kw"], lines
    assert "did you mean 'type'" in lines[0] and "value -5" in lines[1]
    assert main(["sweep", str(f)]) == 2
    # a bad fixed value is listed beside the bad axes, not alone
    f.write_text("name: s\nsite: phoenix-az\nfixed:\n  solar.dc_kw: -3\naxes:\n  cooling.typ: [air, liquid]\n")
    lines = [p.line() for p in V.validate_file(f)]
    assert sorted(ln.split(": ")[1] for ln in lines) == ["axes.cooling.typ", "fixed.solar.dc_kw"], lines


@pytest.mark.skipif(not HAS_SWEEP, reason="dcplan.sweep not installed")
def test_sweep_unknown_keys_all_listed_then_the_rest_checked(tmp_path):
    f = tmp_path / "s.yaml"
    f.write_text("name: s\nsite: phoenix-az\nfixd: {}\nmod: grid\naxes:\n  solar.dc_kw: {min: 5, max: 1, steps: 2}\n")
    lines = [p.line() for p in V.validate_file(f)]
    assert [ln.split(": ")[1] for ln in lines] == ["fixd", "mod", "axes.solar.dc_kw"], lines
    assert "did you mean 'fixed'" in lines[0] and "did you mean 'mode'" in lines[1]
    assert "range max 1 is below min 5" in lines[2]


@pytest.mark.skipif(not HAS_SWEEP, reason="dcplan.sweep not installed")
def test_an_unknown_site_does_not_hide_the_other_sweep_problems(tmp_path, capsys):
    # a tester's bad1.yaml: validate printed the unknown site only, though -h and the README
    # promise every problem; the axes are still checked on the sites the axis names that exist
    f = tmp_path / "bad1.yaml"
    f.write_text("name: bad1\nportfolio: default\naxes:\n  site: [phoenix-az, nowhere-xx]\n"
                 "  fleet.phases[0].count: [-5, 128]\n  cooling.typ: [air]\n")
    lines = [p.line() for p in V.validate_file(f)]
    assert [ln.split(": ")[1] for ln in lines] == ["axes.site", "axes.fleet.phases[0].count", "axes.cooling.typ"], lines
    assert lines[0] == (f"{f}: axes.site: value 'nowhere-xx': no such site; sites: research-triangle-nc, "
                        "northern-virginia, phoenix-az, chicago-il")
    assert "value -5: Input should be greater than or equal to 0, got -5" in lines[1]
    assert "(site phoenix-az)" in lines[1]
    assert "unknown key 'typ' (did you mean 'type'?)" in lines[2] and "(site phoenix-az)" in lines[2]
    capsys.readouterr()
    assert main(["validate", str(f)]) == 2
    assert capsys.readouterr().err.splitlines() == lines
    # dcplan sweep: one line, the first problem and how many more
    assert main(["sweep", str(f), "--out", str(tmp_path / "s.parquet")]) == 2
    (err,) = capsys.readouterr().err.splitlines()
    assert err.startswith(f"dcplan: error: {f}: axes.site: value 'nowhere-xx'") and err.endswith("(+2 more problems)")


@pytest.mark.skipif(not HAS_SWEEP, reason="dcplan.sweep not installed")
def test_sweep_without_a_base_site_checks_axes_and_settings_on_the_site_schema(tmp_path):
    """An unknown base site (or portfolio, or a site axis naming none known) leaves no site to
    apply the overrides to; their keys and values are still checked on the site schema, and
    every other key of the spec as usual."""
    schema = "(no base site to check it on: checked on the site schema only)"
    f = tmp_path / "s.yaml"
    f.write_text("name: s\nsite: nowhere-xx\nseed: -1\nfixed:\n  latitude: 100\naxes:\n"
                 "  fleet.phases[0].count: [-5, 128]\n  cooling.typ: [air]\n  solar.dc_kw: [10, abc]\n"
                 "  fleet.phases[0].hardware: [hgx-h100, nope]\n  solar.tilt_deg: [10, 20]\n")
    probs = V.validate_file(f)
    assert [p.field for p in probs] == ["site", "seed", "fixed.latitude", "axes.fleet.phases[0].count",
                                        "axes.cooling.typ", "axes.solar.dc_kw", "axes.fleet.phases[0].hardware"]
    assert probs[0].message.startswith("value 'nowhere-xx': no site file or bundled site named 'nowhere-xx'")
    assert probs[1].message == "seed must be an integer >= 0, got -1"
    assert probs[2].message == f"value 100: Input should be less than or equal to 90, got 100 {schema}"
    assert probs[3].message == f"value -5: Input should be greater than or equal to 0, got -5 {schema}"
    assert probs[4].message.startswith("value 'air': unknown key 'typ' (did you mean 'type'?); allowed: ")
    assert probs[5].message == f"value 'abc': Input should be a valid number, got 'abc' {schema}"
    assert probs[6].message.startswith("value 'nope': unknown 'nope'; allowed: ")
    assert all(p.message.endswith(schema) for p in probs[2:])
    # a portfolio that is not found, a site axis that cannot be checked without it
    f.write_text("name: s\nportfolio: nofile.yaml\naxes:\n  site: [x]\n  cooling.type: [watr]\n")
    assert [(p.field, p.message) for p in V.validate_file(f)] == [
        ("portfolio", f"value 'nofile.yaml': file not found (looked for {tmp_path / 'nofile.yaml'} beside the sweep "
                      f"file and {Path.cwd() / 'nofile.yaml'} in the current folder)"),
        ("axes.cooling.type", f"value 'watr': Input should be 'air' or 'liquid', got 'watr' {schema}")]
    # no id of the site axis known: the schema, and each unknown id
    f.write_text("name: s\nportfolio: default\naxes:\n  site: [x, y]\n  cooling.type: [watr]\n")
    assert [(p.field, p.message.split(";")[0]) for p in V.validate_file(f)] == [
        ("axes.site", "value 'x': no such site"), ("axes.site", "value 'y': no such site"),
        ("axes.cooling.type", f"value 'watr': Input should be 'air' or 'liquid', got 'watr' {schema}")]


@pytest.mark.skipif(not HAS_SWEEP, reason="dcplan.sweep not installed")
def test_a_broken_base_site_files_its_problems_on_its_own_file_beside_the_sweeps(tmp_path, capsys):
    site = tmp_path / "broken.yaml"
    site.write_text("name: X\nlatitude: 500\n")
    f = tmp_path / "s.yaml"
    f.write_text(f"site: {site}\nmod: grid\naxes:\n  cooling.typ: [air]\n")
    probs = V.validate_file(f)
    assert [(p.file, p.field) for p in probs] == [
        (str(f), "mod"), (str(site), "latitude"), (str(site), "longitude"), (str(site), "timezone"),
        (str(site), "elevation_m"), (str(site), "weather"), (str(site), "fleet"), (str(f), "axes.cooling.typ")]
    capsys.readouterr()
    assert main(["sweep", str(f), "--out", str(tmp_path / "s.parquet")]) == 2
    (err,) = capsys.readouterr().err.splitlines()
    assert err.startswith(f"dcplan: error: {f}: mod: unknown key 'mod'") and err.endswith("(+7 more problems)")


@pytest.mark.skipif(not HAS_SWEEP, reason="dcplan.sweep not installed")
def test_sweep_weather_is_checked_per_case(tmp_path, capsys):
    """validate reports what run_sweep refuses: the weather a case would load (a swept
    elevation 863 m from Sky Harbor's 337 m station, over the 500 m limit), on the sweep's
    field, and not the base site's value the sweep replaces."""
    f = tmp_path / "s.yaml"
    f.write_text("name: s\nsite: phoenix-az\naxes:\n  elevation_m: [300, 1200]\n")
    (p,) = V.validate_file(f)
    assert (p.file, p.field) == (str(f), "axes.elevation_m")
    assert p.message.startswith("value 1200 (site phoenix-az): ") and "863 m apart" in p.message
    # the sweep itself refuses it (exit 2, one line: the first problem and how many more)
    # before any case runs
    f.write_text("name: s\nsite: phoenix-az\naxes:\n  elevation_m: [300, 1200, 2000]\n")
    capsys.readouterr()
    assert main(["sweep", str(f), "--out", str(tmp_path / "s.parquet")]) == 2
    (err,) = capsys.readouterr().err.splitlines()
    assert err.startswith(f"dcplan: error: {f}: axes.elevation_m: value 1200 (site phoenix-az)"), err
    assert err.endswith("(+1 more problem)"), err
    assert not (tmp_path / "s.parquet").exists()
    f.write_text("name: s\nsite: phoenix-az\naxes:\n  elevation_m: [300, 400]\n")
    assert V.validate_file(f) == []
    assert main(["validate", str(f)]) == 0


@pytest.mark.skipif(not HAS_SWEEP, reason="dcplan.sweep not installed")
def test_a_sweep_name_too_long_for_its_results_files_is_refused_by_validate_as_by_the_sweep(tmp_path, monkeypatch,
                                                                                            capsys):
    """validate said ok to a sweep whose name the sweep refused when run. The default results file
    sweeps/<name>.parquet keeps its previous results' temporary file '.<name>.previous.parquet.<pid>-<8>.tmp'
    beside it; by hand, a name of 217 characters gives 1 + 217 + 17 + 1 + 7 + 1 + 8 + 4 = 256 bytes, one over
    the 255 per name of ext4 and tmpfs; 216 fits."""
    monkeypatch.chdir(tmp_path)
    f = tmp_path / "s.yaml"
    f.write_text(f"name: {'n' * 216}\nsite: phoenix-az\naxes:\n  solar.dc_kw: [0, 100]\n")
    assert V.validate_file(f) == []
    f.write_text(f"name: {'n' * 217}\nsite: phoenix-az\naxes:\n  solar.dc_kw: [0, 100]\n")
    (p,) = V.validate_file(f)
    assert (p.file, p.field) == (str(f), "name")
    assert p.message.startswith(f"results file name {('n' * 60)!r}... (sweeps/<name>.parquet: the sweep's name) "
                                "is 225 bytes long in UTF-8")
    assert p.message.endswith("256 bytes, over this file system's limit of 255 bytes per name: shorten it by at "
                              "least 1 byte (characters, if ASCII)")
    # the sweep's own refusal, before any case, says the same
    capsys.readouterr()
    assert main(["sweep", str(f), "-q", "-j", "1"]) == 2
    assert capsys.readouterr().err.strip() == f"dcplan: error: name (of {f}): {p.message}"
    assert not (tmp_path / "sweeps").exists() or not any((tmp_path / "sweeps").iterdir())
    # named by out: instead, the field is out
    f.write_text(f"name: s\nout: {'o' * 217}.parquet\nsite: phoenix-az\naxes:\n  solar.dc_kw: [0, 100]\n")
    (p,) = V.validate_file(f)
    assert (p.field, p.message[:40]) == ("out", f"results file name '{('o' * 21)}")


def test_flow_style_yaml_site_is_a_site_not_a_tariff(tmp_path):
    site = yaml.safe_load((DATA / "sites" / "phoenix-az.yaml").read_text())
    site["weather"]["file"] = str(PHOENIX_EPW)
    f = tmp_path / "s.yaml"
    f.write_text(yaml.safe_dump(site, default_flow_style=True))  # starts with '{'
    assert f.read_text().startswith("{")
    assert V.detect_kind(f) == "site" and V.validate_file(f) == []


def _naive_hourly(tmp_path, name, stamps):
    f = tmp_path / name
    f.write_text("timestamp,kw\n" + "".join(f"{t},100\n" for t in stamps))
    return f


def test_validate_tz_reads_naive_load_like_dcplan_bill(tmp_path, capsys):
    # 2025-03-09 02:00 does not exist in New York (clocks jump 02:00 -> 03:00): a file that
    # lists it is fine as wall-clock times, and wrong once read in that zone
    spring = _naive_hourly(tmp_path, "spring.csv", ["2025-03-09 00:00", "2025-03-09 01:00",
                                                    "2025-03-09 02:00", "2025-03-09 03:00"])
    assert V.validate_file(spring) == []
    (p,) = V.validate_file(spring, tz="America/New_York")
    assert "non-existent in America/New_York" in p.message and p.file == str(spring)
    # the same clock times are fine in Phoenix (no DST)
    assert V.validate_file(spring, tz="America/Phoenix") == []
    # dcplan bill reads the same file the same way: validate reports what bill would
    assert main(["validate", str(spring), "--tz", "America/New_York"]) == 2
    val_err = capsys.readouterr().err
    assert main(["bill", "--tariff", str(DATA / "tariffs" / "duke-nc-opt-tou.json"), "--load", str(spring),
                 "--tz", "America/New_York"]) == 2
    bill_err = capsys.readouterr().err
    assert "non-existent in America/New_York" in val_err and "non-existent in America/New_York" in bill_err
    assert main(["validate", str(spring), "--tz", "America/Phoenix"]) == 0
    # an unknown zone names the option and suggests one
    (p,) = V.validate_file(spring, tz="America/New_Yrok")
    assert p.field == "--tz" and "did you mean 'America/New_York'" in p.message


def _rtp_site() -> dict:
    """The bundled Research Triangle site file as a dict, its weather and tariff paths absolute
    (so a copy written elsewhere finds them)."""
    site = yaml.safe_load((DATA / "sites" / "research-triangle-nc.yaml").read_text())
    site["weather"]["file"] = str(DATA / site["weather"]["file"])
    site["tariff"]["file"] = str(DATA / site["tariff"]["file"])
    return site


@pytest.mark.parametrize("mutate, field, text", [
    (lambda d: d["fleet"]["phases"][0].update(hardware="hgx-h999"), r"fleet\.phases\[0\]\.hardware",
     r"unknown 'hgx-h999' \(did you mean 'hgx-h200'\?\)"),
    # a 120 kW liquid-only rack on an air-cooled site: no year to model
    (lambda d: (d["fleet"]["phases"][0].update(hardware="gb200-nvl72"), d["cooling"].update(type="air")),
     r"fleet\.phases\[0\]\.hardware", r"'gb200-nvl72' is liquid-cooled \(data/hardware.csv cooling: liquid, "
                                        r"120 kW a unit\) and cooling\.type is 'air'; allowed: cooling\.type liquid"),
    (lambda d: d["fleet"].update(workload="data", data_file="nowhere.csv"), r"fleet\.data_file",
     r"nowhere\.csv: cannot read CSV"),
    (lambda d: d["finance"].setdefault("costs", {}).update(server_usd_per_acelerator=30000),
     r"finance\.costs\.server_usd_per_acelerator", r"did you mean 'server_usd_per_accelerator'"),
])
def test_site_names_that_only_a_run_would_trip_on_are_problems(tmp_path, mutate, field, text):
    # each of these fails the site's first run; validate must say so (the hardware keys are
    # refused as the site loads, test_hardware_problems_show_beside_the_files_other_problems)
    site = _rtp_site()
    mutate(site)
    s = tmp_path / "s.yaml"
    s.write_text(yaml.safe_dump(site))
    (p,) = V.validate_file(s)
    assert p.file == str(s) and re.fullmatch(field, p.field), p
    assert re.search(text, p.message), p


def test_validate_reports_interval_start_labels_with_the_other_problems(tmp_path, capsys):
    import numpy as np
    import pandas as pd
    # a year labelled by interval start, with offsets that change at DST and one NaN reading
    idx = pd.date_range("2025-01-01 00:00", periods=8760, freq="h", tz="America/New_York")
    kw = np.ones(8760)
    kw[100] = np.nan
    path = tmp_path / "meter.csv"
    pd.DataFrame({"timestamp": [t.isoformat() for t in idx], "kw": kw}).to_csv(path, index=False)
    # no --tz: offsets that change at DST are what dcplan bill refuses first; the NaN is still
    # reported beside it (checked in UTC), billing months are unknown without a zone
    probs = V.validate_file(path)
    assert [p.field for p in probs if "change UTC offset (DST)" in p.message] == ["--tz"]
    assert any("NaN/empty value" in p.message for p in probs)
    assert not any("only interval of billing month" in p.message for p in probs)
    probs = V.validate_file(path, tz=NY)
    lone = [p for p in probs if "only interval of billing month 2024-12" in p.message]
    assert len(lone) == 1 and lone[0].field == "timestamp" and "--stamps start" in lone[0].message
    assert any("NaN/empty value" in p.message for p in probs)  # still reported beside it
    # stated, the convention is taken: only the NaN is left
    assert [p for p in V.validate_file(path, tz=NY, stamps="start") if "billing month" in p.message] == []
    assert main(["validate", str(path), "--tz", NY, "--stamps", "start"]) == 2  # the NaN
    assert "billing month" not in capsys.readouterr().out


def test_cli_without_paths_checks_the_bundled_portfolio(tmp_path, capsys, monkeypatch):
    """As render and sites, validate with no PATH checks the bundled example portfolio."""
    from dcplan import paths
    assert main(["validate"]) == 0
    # what was covered: the portfolio's files, and the data catalogs its runs read
    assert capsys.readouterr().out.splitlines() == [
        f"{paths.default_portfolio()}: ok (4 sites, 4 weather files, 4 tariffs)",
        f"{paths.data_dir()}: ok (data catalogs: costs.csv, hardware.csv, cooling_defaults.csv, interconnection.csv, "
        f"equipment_lead_times.csv, system_load_example.csv)"]
    # (no site of it on the hgx-b200 catalog layout: none of its warning)
    # it is that portfolio that is checked: a default pointing at a broken one fails
    bad = tmp_path / "portfolio.yaml"
    bad.write_text("name: x\nsites:\n  - nope.yaml\n")
    monkeypatch.setattr(paths, "default_portfolio", lambda: bad)
    assert main(["validate"]) == 2
    err = capsys.readouterr().err
    assert str(bad) in err and "nope.yaml" in err


def test_validate_of_a_site_checks_the_example_system_load_its_runs_read(tmp_path, capsys, monkeypatch):
    """The interconnection run reads data/system_load_example.csv when given no -p system_load_csv, and an edited
    copy's warning says "edit the bundled file itself (dcplan validate checks it)"; validate of a site checked the
    catalogs but not that series: an unreadable edit passed (exit 0) and the run failed in a cell. The series is
    now checked with the catalogs: its problem is said, naming the file and value, and the exit code is 2."""
    from dcplan import catalog_checks as cc
    bad = tmp_path / "system_load_example.csv"
    text = (DATA / "system_load_example.csv").read_text(encoding="utf-8")
    bad.write_text(text.replace("2025-01-01T02:00:00-05:00,16987.3", "2025-01-01T02:00:00-05:00,abc", 1),
                   encoding="utf-8")
    original = cc.check_example_series
    monkeypatch.setattr(cc, "check_example_series", lambda data_dir=None: original(tmp_path))
    site = str(DATA / "sites" / "chicago-il.yaml")
    assert main(["validate", site]) == 2
    c = capsys.readouterr()
    assert c.out.splitlines() == [f"{site}: ok"]
    assert c.err.splitlines() == [f"{bad}: system_load: column 'system_load_mw': value 'abc' (data row 2) is not a "
                                  "number; need plain numbers (no thousands separators or units)"]


@pytest.mark.parametrize("freq, n, shown", [("15min", 4 * 24 * 31, "2,976 intervals of 15 min"),
                                            ("h", 24 * 31, "744 intervals of 1 h")])
def test_bill_states_the_load_step_readably(tmp_path, capsys, freq, n, shown):
    """The header line named the step as a pandas Timedelta ('0 days 00:15:00')."""
    import pandas as pd
    idx = pd.date_range("2025-01-01", periods=n + 1, freq=freq, tz="America/New_York")[1:]
    f = tmp_path / "load.csv"
    pd.DataFrame({"interval_end": [t.isoformat() for t in idx], "load_kw": 1000.0}).to_csv(f, index=False)
    assert main(["bill", "--tariff", str(DATA / "tariffs" / "duke-nc-opt-tou.json"), "--load", str(f),
                 "--tz", "America/New_York"]) == 0
    (line,) = [x for x in capsys.readouterr().out.splitlines() if x.startswith("Load:")]
    assert f"load.csv, {shown}, " in line, line


def test_negative_schedule_period_is_one_problem_with_the_real_period_range(tmp_path):
    """A schedule entry of -1 was reported twice, once with a placeholder range
    '(periods 0..999999999)' from the shape-only check; only the loader's line is right."""
    z = [[0] * 24 for _ in range(12)]
    wd = [row[:] for row in z]
    wd[5][14] = -1
    f = tmp_path / "neg.json"
    f.write_text(json.dumps({"energyratestructure": [[{"rate": 0.1}], [{"rate": 0.2}]],
                             "energyweekdayschedule": wd, "energyweekendschedule": z}))
    assert [p.line() for p in V.validate_file(f)] == [
        f"{f}: energyweekdayschedule[5][14]: period -1 has no rate in energyratestructure (periods 0..1)"]


@pytest.mark.parametrize("fmt, text", [
    (lambda t: t.tz_convert("UTC").strftime("%Y-%m-%dT%H:%M:%SZ"), r"timestamps are in UTC; a tariff's time-of-use"),
    (lambda t: t.isoformat(), r"timestamps change UTC offset \(DST\); give --tz"),
])
def test_validate_refuses_offsets_that_bill_refuses_without_tz(tmp_path, capsys, fmt, text):
    """validate said ok for files dcplan bill refuses without --tz; it reports bill's error."""
    import pandas as pd
    idx = pd.date_range("2025-03-01 01:00", "2025-04-01 00:00", freq="h", tz=NY)  # spans spring forward
    f = tmp_path / "load.csv"
    pd.DataFrame({"timestamp": [fmt(t) for t in idx], "kw": 100.0}).to_csv(f, index=False)
    (p,) = V.validate_file(f)
    assert p.field == "--tz" and re.search(text, p.message), p
    assert main(["validate", str(f)]) == 2
    val_err = capsys.readouterr().err
    assert main(["bill", "--tariff", str(DATA / "tariffs" / "duke-nc-opt-tou.json"), "--load", str(f)]) == 2
    bill_err = capsys.readouterr().err
    assert re.search(text, val_err) and re.search(text, bill_err)
    # with the zone both accept it
    assert V.validate_file(f, tz=NY) == []


def test_a_negative_load_is_quoted_as_the_file_has_it(tmp_path):
    """A demand_mw column's -0.2 was reported as "negative load -200 kW": a number the user
    cannot find in the file. Now the file's value and unit first, then the billed kW."""
    f = tmp_path / "mw.csv"
    f.write_text("timestamp,demand_mw\n2025-01-01T01:00-05:00,1.5\n2025-01-01T02:00-05:00,-0.2\n"
                 "2025-01-01T03:00-05:00,1.0\n")
    (p,) = V.validate_file(f)
    assert p.field == "demand_mw" and p.message.startswith(
        "negative load -0.2 MW (-200 kW) at 2025-01-01 02:00:00-05:00 (1 in all)")


def test_a_system_load_csv_is_checked_as_the_interconnection_notebook_reads_it(tmp_path, capsys):
    # the bundled example (# comment lines, interval_end/system_load_mw) was read as a meter load
    # and refused with a tokenizer error; it is a system load, and valid
    assert V.detect_kind(DATA / "system_load_example.csv") == "system_load"
    assert main(["validate", str(DATA / "system_load_example.csv")]) == 0
    assert capsys.readouterr().out.strip().endswith("system_load_example.csv: ok")
    bad = tmp_path / "sys.csv"
    bad.write_text("# utility X\ninterval_end,system_load_mw\n2025-01-01T01:00-05:00,100\n"
                   "2025-01-01T02:00-05:00,-5\n")
    (p,) = V.validate_file(bad)
    assert "negative load -5.0 MW at 2025-01-01 02:00:00-05:00" in p.message
    # a meter's load with gridstatus-like or MW columns stays a load (bill reads it)
    for head in ("Interval End,Load", "interval start,load_mw", "timestamp,load (mw)"):
        g = tmp_path / "m.csv"
        g.write_text(f"{head}\n2025-01-01T01:00-05:00,100\n")
        assert V.detect_kind(g) == "load", head


def test_a_one_row_load_is_the_problem_bill_refuses(tmp_path):
    one = tmp_path / "one.csv"
    one.write_text("interval_end,load_kw\n2025-01-01T01:00-05:00,1000\n")
    (p,) = V.validate_file(one)
    assert p.field == "interval_end" and p.message == "need at least 2 timestamps to know the step, got 1"
    with pytest.raises(InputError, match="need at least 2 timestamps to know the step, got 1"):
        main(["--debug", "bill", "--tariff", str(DATA / "tariffs" / "dominion-va-gs3.json"), "--load", str(one)])


def test_an_unknown_tz_is_refused_even_when_no_load_file_uses_it(capsys):
    assert main(["validate", str(DATA / "tariffs" / "duke-nc-opt-tou.json"), "--tz", "America/New_Yrok"]) == 2
    assert "--tz: unknown IANA time zone 'America/New_Yrok' (did you mean 'America/New_York'?)" in \
        capsys.readouterr().err


@pytest.mark.parametrize("mutate, text", [
    (lambda d: d["fleet"]["phases"][0].update(hardware="hgx-h999"), r"unknown 'hgx-h999' \(did you mean 'hgx-h200'\?\)"),
    # catalog rows that are no server or rack: a bare H100 board (0.7 kW DC, no host: site_analysis
    # reported 0.50 kWh per GPU-hour against 1.49 for a server) and a switch (a ZeroDivisionError)
    (lambda d: d["fleet"]["phases"][0].update(hardware="h100-sxm"),
     r"'h100-sxm' is an accelerator in data/hardware.csv, not a server or rack.*allowed: cpu-2s, gb200-nvl72, "
     r"hgx-b200, hgx-h100, hgx-h200, mi300x-8$"),
    (lambda d: d["fleet"]["phases"][0].update(hardware="ib-ndr-switch"), r"'ib-ndr-switch' is a network in"),
    (lambda d: (d["fleet"]["phases"][0].update(hardware="gb200-nvl72"), d["cooling"].update(type="air")),
     r"'gb200-nvl72' is liquid-cooled .* cooling\.type is 'air'"),
])
def test_hardware_problems_show_beside_the_files_other_problems(tmp_path, mutate, text):
    # an unknown hardware key or a liquid-only rack on an air plant was found only after every
    # other problem of the file was fixed (validate checked it on a loaded site), and load_site
    # accepted the unknown key, so every run of the site failed; now it is a problem of the file
    from dcplan.site import SiteError, load_site
    site = _rtp_site()
    mutate(site)
    s = tmp_path / "s.yaml"
    s.write_text(yaml.safe_dump(site))
    with pytest.raises(SiteError) as e:
        load_site(s)
    assert [f for f, _ in e.value.problems] == ["fleet.phases[0].hardware"]
    site["latitude"] = 123
    s.write_text(yaml.safe_dump(site))
    probs = V.validate_file(s)
    assert [p.field for p in probs] == ["latitude", "fleet.phases[0].hardware"], probs
    assert re.search(text, probs[1].message), probs[1]
    # the unit count or the cooling type that pydantic refuses is left to that problem
    site["fleet"]["phases"][0]["count"] = -1
    s.write_text(yaml.safe_dump(site))
    fields = [p.field for p in V.validate_file(s)]
    assert fields[:2] == ["latitude", "fleet.phases[0].count"] and fields.count("fleet.phases[0].hardware") == (
        0 if "liquid-cooled" in text else 1)  # only the air-plant check needs the unit count


def test_measured_utilisation_that_disagrees_with_the_fleet_field_is_a_problem(tmp_path):
    # power follows the file (0.4 and 0.6 alternating over the weather year: mean 0.5); tokens, GPU-hours
    # sold and revenue follow fleet.utilisation_frac (0.8): validate says so before any run
    import pandas as pd
    idx = pd.date_range("2025-01-01 01:00", periods=8760, freq="h", tz="America/New_York")
    pd.DataFrame({"timestamp": [t.isoformat() for t in idx], "utilisation_frac": [0.4, 0.6] * 4380}).to_csv(
        tmp_path / "u.csv", index=False)
    site = _rtp_site()
    site["fleet"].update(workload="data", data_file="u.csv", utilisation_frac=0.8)
    s = tmp_path / "s.yaml"
    s.write_text(yaml.safe_dump(site))
    (p,) = V.validate_file(s)
    assert p.field == "fleet.utilisation_frac" and "averages 0.500" in p.message and "set utilisation_frac: 0.500" in p.message
    site["fleet"]["utilisation_frac"] = 0.5
    s.write_text(yaml.safe_dump(site))
    assert V.validate_file(s) == []


def test_a_label_on_two_tariff_items_is_a_problem(tmp_path):
    """Two items labelled "a": dcplan bill cannot pick one, with or without --label
    (tariff_urdb.load_item), yet validate said ok."""
    item = {"label": "a", "energyratestructure": [[{"rate": 0.1}]],
            "energyweekdayschedule": [[0] * 24] * 12, "energyweekendschedule": [[0] * 24] * 12}
    f = tmp_path / "t.json"
    f.write_text(json.dumps({"items": [item, {**item}, {**item, "label": "b"}]}))
    lines = [p.line() for p in V.validate_file(f)]
    assert lines == [f"{f}: items[1].label: 2 items have label 'a' (items 0, 1); give each item its own label"]
    f.write_text(json.dumps({"items": [item, {**item, "label": "b"}]}))
    assert V.validate_file(f) == []


def test_duplicate_job_names_are_reported_once_with_their_lines(tmp_path):
    # the loader and the row-by-row check say the same: the lines of both rows (header = line 1), once
    f = tmp_path / "j.csv"
    f.write_text("name,energy_kwh,power_kw,earliest_start,deadline\n"
                 "a,10,5,2025-07-07T08:00-05:00,2025-07-07T12:00-05:00\n"
                 "# a comment line still counts\n"
                 "a,10,5,2025-07-07T08:00-05:00,2025-07-07T12:00-05:00\n")
    lines = [p.line() for p in V.validate_file(f)]
    assert len(lines) == 1, lines
    assert lines[0].endswith(": jobs.name: lines 2 and 4: duplicate job name 'a' (names are compared without leading "
                             "and trailing blanks); give each job its own name"), lines


def test_cli_with_a_portfolio_checks_the_data_catalogs_its_runs_read(tmp_path, capsys, monkeypatch):
    """A portfolio's runs read data/costs.csv, hardware.csv, ...: `dcplan validate` said ok for a
    portfolio while a catalog had a swapped range (a maintainer's edit); it now checks them and
    lists the problem (exit 2)."""
    import shutil

    from dcplan import paths
    data = tmp_path / "data"
    shutil.copytree(paths.data_dir(), data, ignore=shutil.ignore_patterns("weather"))
    (data / "weather").symlink_to(paths.data_dir() / "weather")
    costs = data / "costs.csv"
    costs.write_text(costs.read_text().replace("facility_usd_per_mw,11700000,9300000,15000000,",
                                               "facility_usd_per_mw,11700000,15000000,9300000,"))
    monkeypatch.setattr(paths, "data_dir", lambda: data)
    assert main(["validate", str(data / "portfolio.yaml")]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    # said once, as the catalog's own problem (the four sites' finance checks read it too)
    assert len(err) == 1 and err[0].startswith(f"{costs}: line ") and "key 'facility_usd_per_mw'" in err[0], err
