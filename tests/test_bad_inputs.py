"""Bad-input corpus (tests/badinput/): every file through its loader and through the command line.

For each case: the Python loader raises exactly the expected error class, and the message names
the file and the field; ``python -m dcplan ...`` in a subprocess exits 2 with exactly one line on
stderr naming the file and the field, and no traceback (unless ``--debug``). The expected texts
are the loaders' documented messages (see each loader's docstring); they are regular expressions
on the message, so wording around them may change.
"""
from __future__ import annotations

import argparse
import importlib.util
import os
import re
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from dcplan.errors import InputError
from dcplan.site import SiteError

from conftest import DATA, GREENSBORO_TMY3, PHOENIX_EPW, ROOT

CORPUS = Path(__file__).resolve().parent / "badinput"
OK_LOAD = CORPUS / "ok" / "load.csv"
DUKE = DATA / "tariffs" / "duke-nc-opt-tou.json"
NY = "America/New_York"

HAS_SCHEDULE = importlib.util.find_spec("dcplan.schedule_jobs") is not None
HAS_SWEEP = importlib.util.find_spec("dcplan.sweep_spec") is not None


# ---------------------------------------------------------------------------
# how each kind is loaded in Python and on the command line

def _api(kind: str, path: Path, tz: str | None = None):
    if kind == "site":
        from dcplan.site import load_site
        return load_site(path)
    if kind == "portfolio":
        from dcplan.site import load_portfolio
        return load_portfolio(path)
    if kind == "tariff":
        from dcplan.tariff import Tariff
        return Tariff.from_urdb(path)
    if kind == "weather":
        from dcplan.weather import load_weather
        return load_weather(path)
    if kind == "load":  # what `dcplan bill` calls: read_load_csv, then Tariff.bill
        from dcplan import cli_bill
        args = argparse.Namespace(tariff=str(DUKE), load=str(path), tz=tz, column=None, label=None,
                                  holidays=None, interval=None, fill=None)
        return cli_bill.run(args)
    if kind == "jobs":
        from dcplan.schedule_jobs import load_jobs
        return load_jobs(path)
    if kind == "sweep":
        from dcplan.sweep_spec import load_sweep
        return load_sweep(path)
    raise AssertionError(kind)


def _argv(kind: str, path: Path, tz: str | None, tmp: Path) -> list[str]:
    if kind in ("site", "weather", "jobs"):
        return ["validate", str(path)]
    if kind == "portfolio":
        return ["sites", "--portfolio", str(path)]
    if kind == "tariff":
        return ["bill", "--tariff", str(path), "--load", str(OK_LOAD)]
    if kind == "load":
        return ["bill", "--tariff", str(DUKE), "--load", str(path)] + (["--tz", tz] if tz else [])
    if kind == "sweep":
        return ["sweep", str(path), "-j", "1", "-q", "--out", str(tmp / "never.parquet")]
    raise AssertionError(kind)


# (corpus file, kind, exact error class, field named, message regex, tz for naive loads)
CASES = [
    ("site/malformed.yaml", "site", InputError, None, r"not valid YAML: line 15, column \d+", None),
    ("site/wrong_type.yaml", "site", SiteError, "latitude", r"valid number, got 'north'", None),
    ("site/unknown_key.yaml", "site", SiteError, "coolling", r"unknown key 'coolling' \(did you mean 'cooling'\?\)", None),
    ("site/out_of_range.yaml", "site", SiteError, "fleet.utilisation_frac", r"less than or equal to 1, got 1\.7", None),
    ("site/bad_timezone.yaml", "site", SiteError, "timezone", r"unknown IANA timezone 'America/Phenix' \(did you mean 'America/Phoenix'\?\)", None),
    ("site/python_tag.yaml", "site", InputError, None, r"not valid YAML: line \d+, column \d+: could not determine a constructor for the tag '.*python/object/apply:os\.system'", None),
    ("site/duplicate_key.yaml", "site", InputError, None, r"not valid YAML: line 19, column 1: key 'cooling' is given twice", None),
    ("site/not_mapping.yaml", "site", SiteError, None, r"expected a mapping at the top level, got list", None),
    ("site/empty.yaml", "site", SiteError, None, r"file is empty", None),
    ("site/missing_weather.yaml", "site", SiteError, "weather.file", r"weather file not found: .*NOPE_Phoenix", None),
    ("portfolio/unknown_key.yaml", "portfolio", SiteError, "site", r"unknown key 'site' \(did you mean 'sites'\?\)", None),
    ("portfolio/missing_site.yaml", "portfolio", SiteError, r"sites[1]", r"site file not found: .*atlantis\.yaml", None),
    ("portfolio/empty_sites.yaml", "portfolio", SiteError, "sites", r"portfolio lists no sites", None),
    ("tariff/malformed.json", "tariff", InputError, None, r"not valid JSON: Expecting ',' delimiter: line 2", None),
    ("tariff/binary.json", "tariff", InputError, None, r"cannot read tariff file: 'utf-8' codec can't decode", None),
    ("tariff/nan_period.json", "tariff", InputError, "energyweekendschedule[4][9]", r"period index must be an integer, got nan", None),
    ("tariff/list_unit.json", "tariff", InputError, "fixedchargeunits", r"unknown unit \['\$/month'\]", None),
    ("tariff/duplicate_key.json", "tariff", InputError, "energyratestructure", r"key 'energyratestructure' is given twice", None),
    ("tariff/top_level_list.json", "tariff", InputError, None, r"top level must be a JSON object, got list", None),
    ("tariff/schedule_11_rows.json", "tariff", InputError, "energyweekdayschedule", r"must be 12 rows .*got 11 rows", None),
    ("tariff/row_23_hours.json", "tariff", InputError, "energyweekendschedule[3]", r"24 hourly period indices, got 23", None),
    ("tariff/missing_schedule.json", "tariff", InputError, "energyweekendschedule", r"missing; needed with energyratestructure", None),
    ("tariff/string_rate.json", "tariff", InputError, "energyratestructure[1][0].rate", r"must be a finite number, got '0\.09'", None),
    ("tariff/string_period.json", "tariff", InputError, "energyweekdayschedule[0][5]", r"period index must be an integer, got '1'", None),
    ("tariff/string_fixed.json", "tariff", InputError, "fixedchargefirstmeter", r"must be a finite number, got '12\.5'", None),
    ("tariff/period_out_of_range.json", "tariff", InputError, "energyweekdayschedule[6][17]", r"period 2 has no rate in energyratestructure \(periods 0\.\.1\)", None),
    ("tariff/tier_unknown_key.json", "tariff", InputError, "energyratestructure[0][0]", r"unknown 'rat' \(did you mean 'rate'\?\)", None),
    ("tariff/unknown_key.json", "tariff", InputError, "energyratestructur", r"unknown 'energyratestructur' \(did you mean 'energyratestructure'\?\)", None),
    ("tariff/flat_months_11.json", "tariff", InputError, "flatdemandmonths", r"list of 12 monthly values", None),
    ("weather/short.epw", "weather", InputError, None, r"expected 8760 hourly rows of a typical year, got 48", None),
    ("weather/short_tmy3.csv", "weather", InputError, None, r"expected 8760 hourly rows of a typical year, got 24", None),
    ("weather/not_weather.epw", "weather", InputError, None, r"cannot read as EPW", None),
    # the loader names the field (format=); validate cannot tell the kind: both name the extension
    ("weather/unknown_ext.txt", "weather", InputError, None, r"extension '\.txt'", None),
    ("load/gap.csv", "load", InputError, "timestamp", r"irregular step at 2025-01-06 22:00:00-05:00", None),
    ("load/duplicate.csv", "load", InputError, "timestamp", r"duplicate timestamp 2025-01-06 10:00:00-05:00", None),
    ("load/out_of_order.csv", "load", InputError, "timestamp", r"not increasing at 2025-01-06 06:00:00-05:00", None),
    ("load/not_a_number.csv", "load", InputError, "kw", r"row 9: value '12kW' is not a number", None),
    ("load/empty_value.csv", "load", InputError, "kw", r"NaN/inf load at 2025-01-06 12:00:00-05:00", None),
    ("load/negative.csv", "load", InputError, "kw", r"negative load -50 kW at 2025-01-06 04:00:00-05:00", None),
    ("load/header_only.csv", "load", InputError, None, r"no data rows after the header$", None),
    ("load/one_column.csv", "load", InputError, None, r"need a timestamp column and a kW column", None),
    ("load/naive_no_tz.csv", "load", InputError, "--tz", r"timestamps have no UTC offset; give --tz", None),
    ("load/mixed_offsets.csv", "load", InputError, "timestamp", r"row 7: timestamp '2025-01-06 06:00' has no UTC offset", None),
    ("load/offset_change.csv", "load", InputError, "--tz", r"timestamps change UTC offset \(DST\)", None),
    ("load/dst_nonexistent.csv", "load", InputError, None, r"naive timestamp is non-existent in America/New_York \(2025-03-09 02:00:00.*\(column 'timestamp'\)$", NY),
    ("load/dst_ambiguous.csv", "load", InputError, None, r"naive timestamp is ambiguous in America/New_York .*2025-11-02 01:00:00.*\(column 'timestamp'\)$", NY),
    ("jobs/deadline_before_start.csv", "jobs", InputError, "jobs['train-b'].deadline", r"deadline 2025-07-07 06:00:00-05:00 is not after earliest_start", None),
    ("jobs/unknown_column.csv", "jobs", InputError, "header", r"unknown column 'dedline' \(did you mean 'deadline'\?\)", None),
    ("jobs/naive_time.yaml", "jobs", InputError, "jobs['a'].earliest_start", r"has no time zone", None),
    ("jobs/string_energy.csv", "jobs", InputError, "jobs['train-a'].energy_kwh", r"'lots'", None),
    ("sweep/unknown_key.yaml", "sweep", InputError, "axis", r"unknown key 'axis' \(did you mean 'axes'\?\)", None),
    ("sweep/bad_range.yaml", "sweep", InputError, "axes.solar.dc_kw", r"range max 0 is below min 4000", None),
    ("sweep/bad_axis_path.yaml", "sweep", InputError, "axes.coolling.type", r"unknown key 'coolling' \(did you mean 'cooling'\?\)", None),
]

# files with several problems: dcplan validate lists each one (field, message regex)
MULTI = {
    "site/many_problems.yaml": [("latitude", r"less than or equal to 90, got 123"),
                                ("longitud", r"did you mean 'longitude'"),
                                ("longitude", r"required field is missing"),
                                ("fleet.phases[0].count", r"greater than or equal to 0, got -5"),
                                ("fleet.utilisation_frac", r"valid number, got 'lots'")],
    "site/bad_tariff_ref.yaml": [("tariff.file", r"string_rate\.json: energyratestructure\[1\]\[0\]\.rate: "
                                                 r"must be a finite number, got '0\.09'")],
    "portfolio/site_errors.yaml": [("latitude", r"valid number, got 'north'"),
                                   ("fleet.utilisation_frac", r"less than or equal to 1, got 1\.7")],
    "tariff/many_problems.json": [("colour", r"unknown 'colour'"),
                                  ("energyweekdayschedule", r"must be 12 rows .*got 11 rows"),
                                  ("demandratestructure[0][0].rate", r"must be a finite number, got 'high'"),
                                  ("mincharge", r"must be >= 0(\.0)?, got -3")],
    "tariff/items_one_bad.json": [("items[1].energyweekendschedule[0][0]", r"period 7 has no rate")],
    "jobs/many_problems.csv": [("jobs['a'].deadline", r"is not after earliest_start"),
                               ("jobs['b'].energy_kwh", r"must be > 0, got -5"),
                               ("jobs['c'].preemptible", r"must be true/false, got 'maybe'"),
                               ("jobs.name", r"duplicate job name 'd'")],
    "sweep/many_problems.yaml": [("axis", r"did you mean 'axes'"), ("seeds", r"did you mean 'seed'"),
                                 ("samples", r"samples must be int, got 'many'")],
}
# problems validate reports on another file than the one given (portfolio -> its site files)
MULTI_FILES = {"portfolio/site_errors.yaml": ["site/wrong_type.yaml", "site/out_of_range.yaml"]}


def _needs(kind: str):
    if kind == "jobs" and not HAS_SCHEDULE:
        pytest.skip("dcplan.schedule not installed")
    if kind == "sweep" and not HAS_SWEEP:
        pytest.skip("dcplan.sweep not installed")


def _kind_of(rel: str) -> str:
    return rel.split("/")[0]


KNOWN_BUGS: dict[str, str] = {}  # corpus file -> reason, for a bug not yet fixed (xfail)


def _params(cases):
    # not strict: the schedule module is still being finished; an XPASS means the bug is gone
    return [pytest.param(*c, id=c[0], marks=[pytest.mark.xfail(strict=False, reason=KNOWN_BUGS[c[0]])]
                         if c[0] in KNOWN_BUGS else []) for c in cases]


# ---------------------------------------------------------------------------
# the Python API

@pytest.mark.parametrize("rel, kind, cls, field, text, tz", _params(CASES))
def test_loader_raises_exact_class_naming_file_and_field(rel, kind, cls, field, text, tz, capsys):
    _needs(kind)
    path = CORPUS / rel
    with pytest.raises(InputError) as ei:
        _api(kind, path, tz)
    e = ei.value
    assert type(e) is cls, f"{type(e).__name__} is not {cls.__name__}: {e}"
    msg = str(e)
    assert path.name in msg and e.file is not None and Path(e.file).name == path.name, msg
    if field is not None:
        assert e.field == field, (e.field, msg)
        assert f": {field}: " in msg, msg
    assert re.search(text, msg), msg
    assert "\n" not in msg


def test_every_corpus_file_has_a_case():
    listed = {c[0] for c in CASES} | set(MULTI) | {"ok/load.csv", "README.md"}
    found = {p.relative_to(CORPUS).as_posix() for p in CORPUS.rglob("*") if p.is_file()}
    assert found - listed == set(), "corpus files without a test case"
    assert listed - found == set(), "cases without a corpus file"


def test_yaml_tags_do_not_run_code(tmp_path):
    # the corpus file asks yaml to call os.system("touch /tmp/dcplan-pwned"); safe_load refuses
    marker = Path("/tmp/dcplan-pwned")
    existed = marker.exists()
    with pytest.raises(InputError, match="could not determine a constructor"):
        _api("site", CORPUS / "site/python_tag.yaml")
    assert existed or not marker.exists()


def test_weather_cases_built_from_bundled_files(tmp_path):
    """Full-year weather cases (8760 rows each) are derived from bundled files at test time."""
    from dcplan.weather import load_weather
    # TMY3 without its dry-bulb column: the column is named
    lines = GREENSBORO_TMY3.read_text().splitlines()
    head = lines[1].split(",")
    j = head.index("Dry-bulb (C)")
    cut = "\n".join([lines[0]] + [",".join(r.split(",")[:j] + r.split(",")[j + 1:]) for r in lines[1:]])
    f = tmp_path / "no_drybulb.csv"
    f.write_text(cut + "\n")
    with pytest.raises(InputError) as ei:
        load_weather(f)
    assert type(ei.value) is InputError and "no_drybulb.csv" in str(ei.value)
    assert re.search(r"temp_air", str(ei.value)), str(ei.value)
    # EPW with a row dropped and one duplicated: right length, wrong calendar
    ep = PHOENIX_EPW.read_text().splitlines()
    ep = ep[:8 + 100] + ep[8 + 101:] + [ep[-1]]
    g = tmp_path / "dup_row.epw"
    g.write_text("\n".join(ep) + "\n")
    with pytest.raises(InputError, match=r"dup_row\.epw: row 101 is month 1, day 5, hour 6"):
        load_weather(g)
    r = _run_cli(["validate", str(f), str(g)])
    assert r.returncode == 2 and "Traceback" not in r.stderr
    assert [Path(ln.split(":")[0]).name for ln in r.stderr.splitlines()] == ["no_drybulb.csv", "dup_row.epw"]


# ---------------------------------------------------------------------------
# the command line: every case through its command in-process (main(), fast), then every corpus
# file through `python -m dcplan validate` in one subprocess, and each command once in a
# subprocess (exit code and stderr across the process boundary)

def _run_cli(argv, cwd=None):
    env = dict(os.environ, PYTHONPATH=str(ROOT) + os.pathsep + os.environ.get("PYTHONPATH", ""))
    return subprocess.run([sys.executable, "-m", "dcplan", *argv], capture_output=True, text=True,
                          cwd=cwd or ROOT, env=env, timeout=300)


def _check_one_line(rc, err, rel, field, text):
    lines = err.splitlines()
    assert rc == 2, (rc, err)
    assert "Traceback" not in err
    assert len(lines) == 1, err
    line = lines[0]
    assert (CORPUS / rel).name in line, line
    if field is not None:
        assert f": {field}: " in line, line
    assert re.search(text, line), line


@pytest.mark.parametrize("rel, kind, cls, field, text, tz", _params(CASES))
def test_command_exit_2_one_line_naming_file_and_field(rel, kind, cls, field, text, tz, tmp_path, capsys):
    from dcplan.cli import main
    _needs(kind)
    rc = main(_argv(kind, CORPUS / rel, tz, tmp_path))
    _check_one_line(rc, capsys.readouterr().err, rel, field, text)


def _available(rel):
    k = _kind_of(rel)
    return not ((k == "jobs" and not HAS_SCHEDULE) or (k == "sweep" and not HAS_SWEEP))


@pytest.fixture(scope="module")
def validate_all():
    """``python -m dcplan validate`` on every corpus file at once (one subprocess)."""
    rels = [c[0] for c in CASES if _available(c[0])] + [r for r in MULTI if _available(r)]
    return rels, _run_cli(["validate", *[str(CORPUS / r) for r in rels]])


def _lines_for(lines, files):
    return [ln for ln in lines
            if any(ln.startswith(str(f) + ":") or ln.startswith(str(f.resolve()) + ":") for f in files)]


def test_validate_subprocess_names_every_bad_file(validate_all):
    rels, r = validate_all
    assert r.returncode == 2 and "Traceback" not in r.stderr
    # validate has no --tz: only naive timestamps depend on the zone (offsets that change at
    # DST are refused without --tz, as dcplan bill refuses them)
    tz_dependent = {"load/naive_no_tz.csv", "load/dst_nonexistent.csv"}
    # (the data catalogs' own ok line: the corpus's site files' runs read them)
    # their ok line says bill needs --tz (validate said a bare "ok" for a file bill refuses: a CLI tester's finding)
    naive = (": ok (timestamps without a UTC offset, checked on the wall clock: dcplan bill needs --tz ZONE to bill "
             "them, and dcplan validate --tz ZONE checks them on that zone's clock, its repeated and skipped hours "
             "included)")
    ok = {Path(ln[:-len(naive)]).relative_to(CORPUS).as_posix() for ln in r.stdout.splitlines()
          if ": ok (data catalogs: " not in ln and ln.endswith(naive)}
    assert ok == tz_dependent
    assert not [ln for ln in r.stdout.splitlines() if ": ok (data catalogs: " not in ln and not ln.endswith(naive)]
    lines = r.stderr.splitlines()
    for rel, kind, cls, field, text, tz in CASES:
        if rel not in rels or rel in KNOWN_BUGS or rel in tz_dependent:
            continue
        mine = _lines_for(lines, [CORPUS / rel])
        assert mine, rel
        if kind not in ("load", "portfolio") and rel != "weather/unknown_ext.txt":
            # validate runs the same loader: the loader's problem is among its lines
            hits = [ln for ln in mine if (field is None or f": {field}: " in ln) and re.search(text, ln)]
            assert hits, (rel, mine)


def test_validate_lists_every_problem_of_each_file(validate_all):
    rels, r = validate_all
    lines = r.stderr.splitlines()
    for rel, expected in MULTI.items():
        if rel not in rels:
            continue
        mine = _lines_for(lines, [CORPUS / f for f in MULTI_FILES.get(rel, [rel])])
        assert len(mine) >= len(expected), (rel, mine)
        for field, text in expected:
            hits = [ln for ln in mine if f": {field}: " in ln and re.search(text, ln)]
            assert hits, (rel, field, text, mine)


def test_each_command_exit_2_one_line_in_a_subprocess(tmp_path):
    picks = ["portfolio/unknown_key.yaml", "tariff/string_rate.json", "load/gap.csv",
             "load/dst_nonexistent.csv"] + (["sweep/bad_range.yaml"] if HAS_SWEEP else [])
    cases = {c[0]: c for c in CASES}
    with ThreadPoolExecutor(max_workers=2) as ex:
        runs = {rel: ex.submit(_run_cli, _argv(cases[rel][1], CORPUS / rel, cases[rel][5], tmp_path))
                for rel in picks}
    for rel, fut in runs.items():
        r = fut.result()
        _, _, _, field, text, _ = cases[rel]
        _check_one_line(r.returncode, r.stderr, rel, field, text)
        assert r.stderr.startswith("dcplan: error: ")


def test_debug_shows_the_traceback():
    args = ["bill", "--tariff", str(CORPUS / "tariff/string_rate.json"), "--load", str(OK_LOAD)]
    loud = _run_cli(["--debug", *args])
    assert loud.returncode != 0 and "Traceback (most recent call last)" in loud.stderr
    assert "InputError" in loud.stderr and "energyratestructure[1][0].rate" in loud.stderr


@pytest.mark.parametrize("which", ["--tariff", "--load"])
def test_a_folder_instead_of_a_file_is_one_line(which, tmp_path, capsys):
    from dcplan.cli import main
    paths = {"--tariff": str(DUKE), "--load": str(OK_LOAD), which: str(tmp_path)}
    rc = main(["bill", "--tariff", paths["--tariff"], "--load", paths["--load"]])
    _check_one_line(rc, capsys.readouterr().err, tmp_path.name, None, r"cannot read .* file: .*Is a directory")


def test_a_bundled_tariff_named_without_data_says_how_to_name_it(tmp_path, monkeypatch, capsys):
    """`dcplan bill --tariff tariffs/duke-nc-opt-tou.json` from another folder: render's -p tariff_file finds that
    name under data/, bill only as data/tariffs/...: the error says so (a project's own missing file is not swapped
    for the bundled one)."""
    from dcplan.cli import main
    monkeypatch.chdir(tmp_path)
    assert (DATA / "tariffs" / "duke-nc-opt-tou.json").is_file()
    rc = main(["bill", "--tariff", "tariffs/duke-nc-opt-tou.json", "--load", str(OK_LOAD)])
    err = capsys.readouterr().err
    assert rc == 2 and len(err.splitlines()) == 1
    assert err.rstrip().endswith(f"tariff file not found (looked for {tmp_path.resolve()}/tariffs/duke-nc-opt-tou.json); "
                                 "the bundled data has tariffs/duke-nc-opt-tou.json: name it "
                                 "data/tariffs/duke-nc-opt-tou.json to use that copy")
    rc = main(["bill", "--tariff", "tariffs/not-bundled.json", "--load", str(OK_LOAD)])
    err = capsys.readouterr().err
    assert rc == 2 and err.rstrip().endswith("/tariffs/not-bundled.json)")  # no bundled copy: no hint


def test_unknown_time_zone_is_one_line_with_suggestion(capsys):
    from dcplan.cli import main
    rc = main(["bill", "--tariff", str(DUKE), "--load", str(OK_LOAD), "--tz", "America/New_Yrok"])
    err = capsys.readouterr().err
    assert rc == 2 and len(err.splitlines()) == 1 and "Traceback" not in err
    assert "--tz: unknown IANA time zone 'America/New_Yrok' (did you mean 'America/New_York'?)" in err


def test_gap_message_states_the_gap_in_hours(capsys):
    # pandas 3 parses ISO timestamps to microseconds; the gap must still read as 2 h, not 7.2 s
    from dcplan.cli import main
    rc = main(_argv("load", CORPUS / "load/gap.csv", None, Path(".")))
    err = capsys.readouterr().err
    # gap.csv: hourly rows with 2025-01-06 21:00 missing -> 2 h from 20:00 to 22:00, step 1 h
    assert rc == 2 and "2 h after 2025-01-06 20:00:00-05:00 (row 21) where the step is 1 h" in err


def test_yaml_duplicate_keys_refused_at_any_depth_but_anchors_and_merges_work(tmp_path):
    from dcplan.site import _read_yaml
    ok = tmp_path / "ok.yaml"
    ok.write_text("base: &b {a: 1, b: 2}\nmerged:\n  <<: *b\n  b: 3\nlist: [*b, *b]\n")
    assert _read_yaml(ok) == {"base": {"a": 1, "b": 2}, "merged": {"a": 1, "b": 3},
                              "list": [{"a": 1, "b": 2}, {"a": 1, "b": 2}]}
    deep = tmp_path / "deep.yaml"
    deep.write_text("fleet:\n  phases:\n    - {hardware: x, count: 1, count: 2}\n")
    with pytest.raises(InputError, match=r"deep\.yaml: not valid YAML: line 3, column \d+: key 'count' is given twice"):
        _read_yaml(deep)
