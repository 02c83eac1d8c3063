"""What the README, docs/ and data/*.md tell a reader holds when followed (the documentation
tester's findings).

* a portfolio's site entries are relative to the portfolio file only: a copied
  ``my-portfolio.yaml`` whose ``sites/chicago-il.yaml`` was not copied along loaded the bundled
  SYNTHETIC example in its place, silently (``dcplan validate`` said ``ok (4 sites, ...)``);
* ``data/jobs_example.csv`` lies within the off-peak notebook's default week (the Monday on or
  after 14 July) at every bundled site (its jobs ran 7-13 July at -05:00: none was in the week,
  and on Phoenix's -07:00 clock its pre-training job began 2 h before 7 July);
* ``cooling.type``'s description says a section without ``type`` follows the fleet;
* the README's ``-p tariff_file`` examples name files render finds;
* ``load_jobs("data/jobs_example.csv")`` finds the bundled file from any folder, as
  ``Tariff.from_urdb("data/tariffs/...")`` does;
* the README's ``dcplan docs`` line names every document the command prints.
"""
from __future__ import annotations

import re
import shutil

import pytest
import yaml

from conftest import DATA, ROOT
from dcplan.errors import InputError
from dcplan.site import LIQUID_LOOP_KEYS, SiteError, load_portfolio, load_site

SITE_FILES = sorted((DATA / "sites").glob("*.yaml"))


# -- 1. a portfolio's site entries -------------------------------------------------------------

def _copied_portfolio(tmp_path):
    """The tester's folder: the bundled portfolio.yaml copied as my-portfolio.yaml, with only
    sites/phoenix-az.yaml copied beside it."""
    (tmp_path / "sites").mkdir()
    shutil.copy(DATA / "portfolio.yaml", tmp_path / "my-portfolio.yaml")
    shutil.copy(DATA / "sites" / "phoenix-az.yaml", tmp_path / "sites" / "phoenix-az.yaml")
    return tmp_path / "my-portfolio.yaml"


def test_a_site_entry_not_beside_the_portfolio_is_not_replaced_by_the_bundled_example(tmp_path):
    pf = _copied_portfolio(tmp_path)
    with pytest.raises(SiteError) as ei:
        load_portfolio(pf)
    assert ei.value.file == str(pf)
    assert [f for f, _ in ei.value.problems] == ["sites[0]", "sites[1]", "sites[3]"]
    here = tmp_path.resolve()
    assert dict(ei.value.problems)["sites[3]"] == (
        f"site file not found: sites/chicago-il.yaml (looked in {here} only: a portfolio's site files are "
        f"relative to the portfolio file); the bundled examples have a file of that name "
        f"({(DATA / 'sites' / 'chicago-il.yaml').resolve()}, a SYNTHETIC example fleet): copy it there "
        f"(cp \"$(dcplan docs --path data)/sites/chicago-il.yaml\" {here}/sites/chicago-il.yaml) or list its "
        "full path")


def test_validate_of_the_copied_portfolio_fails_naming_each_missing_entry(tmp_path, capsys):
    from dcplan.cli import main
    pf = _copied_portfolio(tmp_path)
    assert main(["validate", str(pf)]) == 2
    out = capsys.readouterr()
    text = out.out + out.err
    assert "ok (4 sites" not in text
    for i, name in ((0, "research-triangle-nc"), (1, "northern-virginia"), (3, "chicago-il")):
        assert f"{pf}: sites[{i}]: site file not found: sites/{name}.yaml (looked in" in text, text


def test_an_entry_the_bundle_lacks_gets_no_hint_and_the_full_path_of_a_bundled_site_loads(tmp_path):
    pf = tmp_path / "p.yaml"
    pf.write_text(f"name: p\nsites:\n  - {DATA / 'sites' / 'chicago-il.yaml'}\n  - sites/atlantis.yaml\n")
    with pytest.raises(SiteError) as ei:
        load_portfolio(pf)
    assert ei.value.problems == [("sites[1]", f"site file not found: sites/atlantis.yaml (looked in "
                                              f"{tmp_path.resolve()} only: a portfolio's site files are relative "
                                              "to the portfolio file)")]
    pf.write_text(f"name: p\nsites:\n  - {DATA / 'sites' / 'chicago-il.yaml'}\n")
    assert [s.id for s in load_portfolio(pf).sites] == ["chicago-il"]


def test_the_bundled_portfolio_still_loads_its_sites_beside_it():
    pf = load_portfolio()
    assert [s.id for s in pf.sites] == ["research-triangle-nc", "northern-virginia", "phoenix-az", "chicago-il"]
    assert all(s.source_file == str((DATA / "sites" / f"{s.id}.yaml")) for s in pf.sites)


# -- 2. the example jobs in the default week ---------------------------------------------------

@pytest.mark.parametrize("site_file", SITE_FILES, ids=[p.stem for p in SITE_FILES])
def test_every_example_job_lies_within_the_default_week_at_every_bundled_site(site_file):
    from dcplan import power
    from dcplan.offpeak_params import default_week_start
    from dcplan.schedule_setup import file_week_jobs, site_kw_per_accelerator
    from dcplan.schedule_window import local_week
    site = load_site(site_file)
    # the notebook's default week (week_start ""): the Monday on or after 14 July 2025 = Monday 14 July
    first = default_week_start(int(site.weather.year))
    assert first.isoformat() == "2025-07-14"
    week = local_week(first, str(site.timezone), step="15min")
    jobs, note = file_week_jobs(DATA / "jobs_example.csv", site, week.start, week.index[-1])
    assert len(jobs) == 10 and note == "the jobs of jobs_example.csv"  # none left out
    # naive times on the site's clock: pretrain-a from Monday 00:00 local
    assert jobs.at["pretrain-a", "earliest_start"] == week.start
    # its 1,024 GPUs at full power fit the flexible share of the default flex_share_frac 0.5
    kpa = site_kw_per_accelerator(site)
    assert jobs.at["pretrain-a", "power_kw"] == pytest.approx(1024 * kpa, rel=1e-12)
    assert 1024 * kpa <= 0.5 * float(power.fleet_design_it_kw(site))


# -- 3. cooling.type when not given --------------------------------------------------------------

def test_cooling_type_description_says_a_section_without_type_follows_the_fleet(tmp_path):
    from dcplan.specs import CoolingSpec
    desc = CoolingSpec.model_fields["type"].description
    assert "Not given: follows the fleet, 'air' when every unit of it is air-cooled in data/hardware.csv" in desc
    assert all(k in desc for k in LIQUID_LOOP_KEYS)
    # what it says: phoenix-az runs hgx-b200 (air-cooled in data/hardware.csv)
    d = yaml.safe_load((DATA / "sites" / "phoenix-az.yaml").read_text())
    d["weather"]["file"] = str(DATA / d["weather"]["file"])
    d["tariff"]["file"] = str(DATA / d["tariff"]["file"])
    for cooling, want in (({"ashrae_class": "A1"}, "air"), ({"ashrae_class": "A1", "liquid_class": "W32"}, "liquid")):
        d["cooling"] = cooling
        f = tmp_path / "s.yaml"
        f.write_text(yaml.safe_dump(d))
        assert load_site(f).cooling.type == want, cooling


# -- 4. the README's -p tariff_file examples -----------------------------------------------------

def test_the_readme_tariff_file_examples_name_files_render_finds(tmp_path, monkeypatch):
    from dcplan.notebook_params import parameter_file
    text = (ROOT / "README.md").read_text()
    # a command's -p tariff_file VALUE (not the index's "with -p tariff_file=NAME" display)
    values = {v for v in re.findall(r"(?<!with )-p tariff_file ([^\s`]+)", text) if v not in ('""', "site", "FILE")}
    assert "tariffs/comed-il-large-load.json" in values
    monkeypatch.chdir(tmp_path)  # not a checkout: the bundled data/ only
    for v in values:
        assert parameter_file(v, "tariff_file") == (DATA / v).resolve()
    with pytest.raises(InputError, match=r"'comed-il-large-load\.json': no such file"):
        parameter_file("comed-il-large-load.json", "tariff_file")


# -- 7. load_jobs finds a data/... name as the tariff loader does -------------------------------

def test_load_jobs_finds_the_bundled_example_from_any_folder(tmp_path, monkeypatch):
    from dcplan.schedule import load_jobs
    from dcplan.tariff import Tariff
    monkeypatch.chdir(tmp_path)
    assert Tariff.from_urdb("data/tariffs/aps-az-e32-tou-l.json") is not None  # the rule it follows
    jobs = load_jobs("data/jobs_example.csv", tz="America/Phoenix")
    assert len(jobs) == 10
    assert str(jobs.at["eval-suite-c", "earliest_start"]) == "2025-07-14 08:00:00-07:00"
    # a copy of one's own at that path (relative to the current folder) wins over the bundled file
    (tmp_path / "data").mkdir()
    lines = (DATA / "jobs_example.csv").read_text().splitlines(keepends=True)
    (tmp_path / "data" / "jobs_example.csv").write_text("".join(lines[:3]))
    assert list(load_jobs("data/jobs_example.csv", tz="America/Phoenix").index) == ["pretrain-a"]
    # a name that is not data/...: the current folder only
    with pytest.raises(InputError) as ei:
        load_jobs("jobs_example.csv")
    assert str(ei.value) == (f"jobs_example.csv: file not found (a relative name is read from the current "
                             f"folder, {tmp_path}; a data/... name also from the bundled data)")


# -- 6. the command reference names every option ------------------------------------------------

def test_the_readme_names_every_option_of_every_command():
    import argparse

    from dcplan.cli import build_parser
    text = (ROOT / "README.md").read_text()
    ap = build_parser()
    sub = next(a for a in ap._actions if isinstance(a, argparse._SubParsersAction))
    missing = []
    for name, p in sub.choices.items():
        for a in p._actions:
            opts = [o for o in a.option_strings if o not in ("-h", "--help", "--debug")]
            if opts and not any(re.search(rf"(?<![\w-]){re.escape(o)}(?![\w-])", text) for o in opts):
                missing.append(f"dcplan {name} {'/'.join(opts)}")
    assert not missing, f"README.md does not name: {missing}"
    for phrase in ("`dcplan --version`", "`dcplan validate -q`", "`DCPLAN_SCHEDULER`", "`--label LABEL`",
                   "`--holidays CODE`", "`--column NAME`", "`--ignore FIELD ...`", "`--prior-peaks-kw KW ...`",
                   "`--out FILE.parquet`", "`--case MODULE:FUNCTION`"):
        assert phrase in text, phrase


def test_more_options_says_what_it_covers_and_where_the_rest_are():
    """A verifier read "More options" as the full list and missed bill's --coincident-peaks, sweep's --scheduler,
    docs --path, ...: each is described elsewhere in the README. The section now says it lists the options shown
    nowhere else and names where those are; every option it names as shown elsewhere is in the README outside
    it, and the two Quick-start commands are unchanged."""
    text = (ROOT / "README.md").read_text()
    start = text.index("More options: those the commands above and the sections below do not show")
    end = text.index("\\* Run again, a sweep reuses", start)
    section = text[start:end]
    shown = section[section.index("Shown elsewhere:"):section.index("\n- ")]
    rest = text[:start] + text[end:]
    for opt in ("--tariff", "--load", "--stamps", "--tz", "--fill", "--interval", "--coincident-peaks",
                "--coincident-interval", "--scheduler", "docs --path", "sites --portfolio"):
        assert f"`{opt}`" in shown, opt
        assert re.search(rf"(?<![\w-]){re.escape(opt)}(?![\w-])", rest), f"{opt} is not described outside More options"
    assert ("python3 -m venv .venv && .venv/bin/pip install -e . && .venv/bin/dcplan render\n" in text
            and 'python3 -m venv .venv && .venv/bin/pip install -e ".[test]" && .venv/bin/python -m pytest\n' in text)


# -- 8. rough edges ------------------------------------------------------------------------------

class _Done:
    ok = True
    csv_error = None  # dcplan.sweep.SweepResult's: the CSV was written

    def table(self):
        return "done"


@pytest.mark.parametrize("tty", [False, True])
def test_sweep_draws_its_bar_only_on_a_terminal_as_render_does(tmp_path, monkeypatch, capsys, tty):
    import io
    import sys

    import dcplan.sweep
    from dcplan.cli import main
    got = {}
    monkeypatch.setattr(dcplan.sweep, "run_sweep", lambda *a, **k: got.update(k) or _Done())

    class Err(io.StringIO):
        def isatty(self):
            return tty
    monkeypatch.setattr(sys, "stderr", Err())
    assert main(["sweep", str(DATA / "sweeps" / "example.yaml"), "-j", "1"]) == 0
    assert got["progress"] is tty
    assert main(["sweep", str(DATA / "sweeps" / "example.yaml"), "-j", "1", "-q"]) == 0
    assert got["progress"] is False


def test_the_sweep_lock_file_is_removed_when_the_run_ends(tmp_path, monkeypatch):
    import os

    import dcplan.sweep_files as sf
    out = tmp_path / "s.parquet"
    lock = tmp_path / ".s.parquet.lock"
    with sf.results_lock(out) as held:
        assert held == lock and lock.is_file()
        with pytest.raises(InputError, match="another dcplan sweep is writing this results file"):
            with sf.results_lock(out):
                pass
    assert not lock.exists()
    # a run that opened the lock file just before the run holding it removed it (and let go) locks a file
    # no longer at the path: it opens the path again, so a later run cannot lock a second file beside it
    real, calls = sf._open_lock, []

    def open_then_removed(lock_path, path):
        fh = real(lock_path, path)
        calls.append(lock_path)
        if len(calls) == 1:
            os.unlink(lock_path)  # the holder's clean-up, between this run's open and its flock
        return fh
    monkeypatch.setattr(sf, "_open_lock", open_then_removed)
    with sf.results_lock(out):
        assert calls == [lock, lock] and lock.is_file()
        monkeypatch.setattr(sf, "_open_lock", real)
        with pytest.raises(InputError, match="another dcplan sweep is writing this results file"):
            with sf.results_lock(out):
                pass
    assert not lock.exists()


def test_a_leap_weather_year_is_warned_once_by_validate(tmp_path):
    import warnings

    from dcplan.errors import DcplanWarning
    from dcplan.validate import validate_file
    # northern-virginia: a liquid plant without a trim chiller, whose validate checks load the weather
    text = (DATA / "sites" / "northern-virginia.yaml").read_text()
    assert "  year: 2025\n" in text
    text = text.replace("  year: 2025\n", "  year: 2024\n").replace("file: weather/", f"file: {DATA / 'weather'}/")
    text = text.replace("file: tariffs/", f"file: {DATA / 'tariffs'}/")
    f = tmp_path / "full.yaml"
    f.write_text(text)
    with warnings.catch_warnings(record=True) as rec:
        warnings.simplefilter("always")
        assert validate_file(f) == []
    leap = [str(w.message) for w in rec if issubclass(w.category, DcplanWarning) and "leap year" in str(w.message)]
    assert len(leap) == 1, leap
    assert leap[0].startswith(f"{f}: weather.year: 2024 is a leap year; the typical-year file "
                              "USA_VA_Sterling-Washington.Dulles.Intl.AP.724030_TMY3.epw has no 29 Feb")


# -- 5. every published results key is in the glossary -------------------------------------------

def glossary_patterns() -> list[re.Pattern]:
    """The names of docs/glossary.md's tables (the backticked names of each row's first column) as
    patterns: ``<x>`` one part of a key (no dot), ``*`` anything. A name that is only a placeholder and
    a unit suffix (``<strategy>_kw``, ``*_frac``: a table's columns, a catalog's fields) is left out,
    or it would pass any key with that suffix (``peak_facility_kw`` passed as ``<strategy>_kw``)."""
    generic = re.compile(r"^(<[^>]+>|\*)(_[a-z0-9]+)+$")
    out = []
    for line in (ROOT / "docs" / "glossary.md").read_text().splitlines():
        if not line.startswith("| ") or line.startswith(("| ---", "| name ")):
            continue
        for name in re.findall(r"`([^`]+)`", line.split(" | ")[0]):
            if generic.match(name):
                continue
            out.append(re.compile("".join(".+" if part == "*" else "[^.]+" if part.startswith("<")
                                          else re.escape(part) for part in re.split(r"(<[^>]+>|\*)", name) if part)))
    return out


def undocumented(keys) -> list[str]:
    pats = glossary_patterns()
    return sorted(k for k in keys if not any(p.fullmatch(k) for p in pats))


def test_the_glossary_check_reads_names_and_placeholders():
    # the tester's examples: documented now, by name or by a placeholder of one key part
    assert undocumented(["peak_facility_kw", "pv_dc_kw", "bill_notes", "rack_kw.hgx-b200", "temp_air_p99_degc",
                         "ashrae_cooling_db_0p4_degc", "hours_drybulb_above_27_h", "extreme_db_10yr_shortfall_kw",
                         "capex_initial_usd", "npv_utilization_70pct_usd", "share_it_hardware_frac",
                         "caveat_residual_sale", "week_saving_vs_greedy_usd", "rolling_saving_vs_greedy_usd",
                         "extra_bill_quarter_slack_usd", "phoenix-az.annual_pue"]) == []
    # a generic row does not pass an undocumented key; a placeholder is one key part
    assert undocumented(["no_such_figure_kw", "no_such_usd", "rack_kw.a.b"]) == ["no_such_figure_kw", "no_such_usd",
                                                                                 "rack_kw.a.b"]


def test_the_glossary_says_when_a_sweep_row_has_in_service_since():
    text = (ROOT / "docs" / "glossary.md").read_text()
    assert "a sweep's row carries it beside `first_energized_median` (`pipeline.figures`) only when the case's " \
           "site has a phase in service" in text


@pytest.mark.slow
def test_every_key_a_bundled_render_publishes_is_in_the_glossary(tmp_path):
    """Every notebook for phoenix-az (and the portfolio notebooks, over the bundled portfolio): each key of
    each run's results.json is a glossary name (a week of rolling horizon and 100 Monte Carlo draws: the
    keys do not depend on them)."""
    import json

    from dcplan.report import render
    s = render(sites=["phoenix-az"], out=tmp_path, jobs=2, progress=False,
               parameters={"rolling_weeks": 1, "n_draws": 100})
    assert s.ok, s.table()
    keys = {k: f.parent.name for f in tmp_path.rglob("results.json")
            for k in json.loads(f.read_text())["results"]}
    assert len(keys) > 250 and {"annual_pue", "lag_episodes_reactive", "week_saving_vs_greedy_usd"} <= set(keys)
    missing = undocumented(keys)
    assert not missing, f"docs/glossary.md lacks: {[(k, keys[k]) for k in missing]}"


def test_the_wue_by_tower_lg_figures_in_cooling_defaults_are_the_models():
    """data/cooling_defaults.md quotes the example sites' annual WUE at four tower L/G ratios; they went
    stale when the tower's approach became Merkel's (2.70 / 2.39 / 2.07 / 1.94 L/kWh in Phoenix, on the
    constant approach). The text's figures are the plant model's, each to its 2 decimals."""
    import warnings

    from dcplan import pipeline, thermal
    text = " ".join((DATA / "cooling_defaults.md").read_text().split())
    m = re.search(r"annual WUE at L/G ([\d. /]+) is ([\d. /]+) L/kWh in Phoenix and ([\d. /]+) in Chicago", text)
    assert m, "the WUE-by-L/G sentence moved"
    lgs = [float(x) for x in m.group(1).split("/")]
    for sid, quoted in (("phoenix-az", m.group(2)), ("chicago-il", m.group(3))):
        site = load_site(DATA / "sites" / f"{sid}.yaml")
        y = pipeline.run_site_year(site)
        got = []
        for lg in lgs:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                p = thermal.plant_hourly(y.it_kw, y.weather, site.cooling, design_it_kw=y.design_it_kw, fleet=site,
                                         electrical_chain=site.electrical.stages(), tower_lg_ratio=lg)
            got.append(f"{thermal.plant_summary(p, site.cooling)['wue_l_per_kwh']:.2f}")
        assert [x.strip() for x in quoted.split("/")] == got, (sid, got)
        # the default L/G (1.6) is the site's own figure, as site_analysis publishes it
        assert got[lgs.index(1.6)] == f"{y.cooling['wue_l_per_kwh']:.2f}"


def test_a_portfolio_entry_given_as_a_site_id_is_told_to_name_the_file(tmp_path):
    """``--sites phoenix-az`` takes an id, a portfolio's ``sites:`` takes file names: an entry ``phoenix-az``
    is not found, and the error says which file was meant, beside the portfolio or in the bundle."""
    from conftest import bundled_site_copy
    pf = tmp_path / "pf.yaml"
    pf.write_text(yaml.safe_dump({"name": "one", "sites": ["phoenix-az"]}))
    with pytest.raises(SiteError) as e:
        load_portfolio(pf)
    text = str(e.value)
    assert "site file not found: phoenix-az (looked in" in text
    assert "a portfolio lists site files, not ids (phoenix-az.yaml); the bundled examples have a file of that name" \
        in text and "sites/phoenix-az.yaml" in text
    bundled_site_copy(tmp_path, "phoenix-az", "phoenix-az")
    with pytest.raises(SiteError) as e:
        load_portfolio(pf)
    assert str(e.value).endswith(f"a portfolio lists site files, not ids: did you mean phoenix-az.yaml "
                                 f"({tmp_path / 'phoenix-az.yaml'})?")


# -- the README's `dcplan docs` line -----------------------------------------------------------------

def test_the_readmes_dcplan_docs_line_names_every_document_it_prints():
    """``dcplan docs`` prints site-format.md, glossary.md and notebooks.md (dcplan.paths.DOCS); the
    README's comment left notebooks.md out."""
    from dcplan.paths import DOCS
    line = next(ln for ln in (ROOT / "README.md").read_text().splitlines() if ln.startswith("dcplan docs "))
    assert [d for d in DOCS if d not in line] == []


def test_dcplan_help_names_every_document_dcplan_docs_prints():
    """``dcplan --help`` described ``docs`` as printing site-format.md and glossary.md, while it prints
    notebooks.md and reference-data.md too (dcplan.paths.DOCS), as the README's line says: a reader of the help
    did not learn that the how-to for a notebook of one's own and the sourced figures are there."""
    import argparse

    from dcplan.cli import build_parser
    from dcplan.paths import DOCS
    sub = next(a for a in build_parser()._actions if isinstance(a, argparse._SubParsersAction))
    line = next(a.help for a in sub._choices_actions if a.dest == "docs")
    assert [d for d in DOCS if d not in line] == []


def test_the_glossary_names_every_column_of_the_hourly_export():
    """site_analysis's ``<site>_hourly.csv`` wrote ``chiller_cop_air``, ``chiller_cop_liquid`` and
    ``chiller_at_cop_cap_kw`` while the glossary's "Hourly export" section, which lists the columns it defines and
    those "also named elsewhere", named neither: every column ``dcplan.site_hourly`` may write is named there."""
    from dcplan.site_hourly import COLUMNS
    text = (ROOT / "docs" / "glossary.md").read_text(encoding="utf-8")
    section = text.split("## Hourly export", 1)[1].split("\n## ", 1)[0]
    assert [c for c in COLUMNS if f"`{c}`" not in section] == []


def test_hardware_md_states_the_idle_share_range_the_catalog_gives():
    """data/hardware.md said the servers' and racks' idle powers are "about 22-25 % of max" while the catalog's
    GPU rows give 21.7 % (gb200-nvl72, 26 / 120 kW) to 27.1 % (mi300x-8, 2.3 / 8.5 kW): the range it states must
    hold every GPU server and rack row's idle_kw / max_kw, rounded to whole percent (shares computed here from the
    CSV, not by dcplan)."""
    import csv
    rows = list(csv.DictReader(ln for ln in (ROOT / "data" / "hardware.csv").read_text(encoding="utf-8").splitlines()
                               if not ln.startswith("#")))
    shares = [100 * float(r["idle_kw"]) / float(r["max_kw"]) for r in rows
              if r["kind"] in ("server", "rack") and r["accelerator"]]
    m = re.search(r"Idle powers of every GPU server and rack \(about (\d+)–(\d+) % of max",
                  (ROOT / "data" / "hardware.md").read_text(encoding="utf-8"))
    assert m, "data/hardware.md no longer states the idle share range"
    assert int(m[1]) == round(min(shares)) and int(m[2]) == round(max(shares)), (m[0], sorted(shares))


def test_tariff_bill_documents_every_bill_attribute_the_readme_and_design_use():
    """The README's Python example reads ``bill.notes`` (what the bill assumed, e.g. demand on hourly means), but
    ``Tariff.bill``'s Returns listed the totals, ``monthly`` and ``breakdown`` only: a reader of the docstring did
    not learn the bill carries its caveats. Every ``bill.<name>`` the README uses is named there."""
    from dcplan.tariff import Tariff
    used = set(re.findall(r"\bbill\.([a-z_]+)\b", (ROOT / "README.md").read_text(encoding="utf-8")))
    assert {"total_usd", "monthly", "notes"} <= used
    doc = Tariff.bill.__doc__.split("Returns", 1)[1]
    assert [a for a in sorted(used) if f"``{a}``" not in doc] == []


def test_the_glossary_says_the_sweep_cost_axis_is_bill_plus_pv_cost():
    """A finance reviewer tying the portfolio sweep's "as specified" cost of Research Triangle (93.22 USD per
    IT MWh) to site_analysis found the bill alone gives 3,671,201 USD / 42,015 MWh = 87.38: the figure is
    (bill + the PV's annual cost 245,399 USD) / IT MWh = 93.22, while both glossary rows called it the
    electricity bill per MWh. The rows now say what dcplan.portfolio_sweep_table computes."""
    import pandas as pd
    from dcplan.portfolio_sweep_table import sweep_case_table
    f = pd.DataFrame({"case_id": ["1"], "site": ["a"], "status": ["ok"], "bill_usd": [3_671_200.99],
                      "pv_annual_cost_usd": [245_399.25], "electricity_cost_usd": [3_916_600.24],
                      "it_mwh": [42_014.788], "throttled_frac": [0.0], "first_energized_median": ["2028-08-26"],
                      "overrides_json": ["{}"]})
    # by hand: (3,671,200.99 + 245,399.25) / 42,014.788 = 93.2196 (the render's 93.2195635); not 87.38
    assert sweep_case_table(f).at[0, "cost_usd_per_it_mwh"] == pytest.approx(93.2196, abs=1e-4)
    rows = [line for line in (ROOT / "docs" / "glossary.md").read_text().splitlines()
            if line.startswith("| `cost_usd_per_it_mwh`")]
    assert len(rows) == 2
    for row in rows:
        meaning = row.split(" | ")[2]
        assert "electricity bill per MWh" not in meaning and "bill per MWh" not in meaning, row
        assert "PV" in meaning and "electricity_cost_usd" in meaning, row
