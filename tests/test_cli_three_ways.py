"""dcplan used the three ways it is meant to be: the command line, an installed wheel, JupyterLab.

* A site whose weather or tariff file is not found (a folder, a garbled weather header) stops that
  site's runs only (bad input, one line naming the YAML, the field and the name; exit 2), the other
  sites render; with ``--sites`` not selecting it, exit 0; ``load_portfolio(p)[site]`` raises it for
  that site only; ``dcplan validate`` still refuses it; the README says so.
* A TCO workbook written outside ``dcplan render`` (the notebook run in JupyterLab) has no
  Provenance sheet: its About sheet says so, with dcplan's version and source digest.
* A render whose every run is bad input does not say "the other runs rendered".
"""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from dcplan.cli import main
from dcplan.errors import DcplanWarning
from dcplan.paths import data_dir
from dcplan.site import SiteError, load_portfolio, load_site

README = Path(__file__).resolve().parents[1] / "README.md"
PHOENIX_WEATHER = "weather/USA_AZ_Phoenix-Sky.Harbor.Intl.AP.722780_TMY3.epw"


def _portfolio_with_a_missing_weather_file(tmp_path: Path) -> Path:
    text = (data_dir() / "sites" / "phoenix-az.yaml").read_text(encoding="utf-8")
    (tmp_path / "sites").mkdir()
    (tmp_path / "sites" / "phoenix-az.yaml").write_text(text, encoding="utf-8")
    assert text.count(PHOENIX_WEATHER) == 1 and text.count("\nname: Phoenix, AZ\n") == 1
    lost = text.replace(PHOENIX_WEATHER, "weather/not-copied.epw").replace("\nname: Phoenix, AZ\n", "\nname: Lost\n")
    (tmp_path / "sites" / "lost.yaml").write_text(lost, encoding="utf-8")
    p = tmp_path / "mine.yaml"
    p.write_text("name: mine\nsites:\n  - sites/phoenix-az.yaml\n  - sites/lost.yaml\n", encoding="utf-8")
    return p


@pytest.mark.slow  # two renders of rack_power (about 15 s)
def test_a_weather_file_not_found_stops_only_that_sites_runs_as_the_readme_says(tmp_path, capsys):
    """A site whose weather file was not copied along: its runs are bad input (one line naming the
    YAML, the field, the name and where it was looked for), its previous report kept; the other site
    renders; exit 2. With ``--sites`` naming the other site only: exit 0, one warning naming it. (It
    was an error of the whole portfolio: nothing rendered, also with ``--sites``.)"""
    portfolio = _portfolio_with_a_missing_weather_file(tmp_path)
    out = tmp_path / "reports"
    copy = tmp_path / "weather" / "not-copied.epw"  # the portfolio's folder is looked in: found there first
    copy.parent.mkdir()
    copy.write_bytes((data_dir() / PHOENIX_WEATHER).read_bytes())
    args = ["render", "--portfolio", str(portfolio), "--notebooks", "rack_power", "--out", str(out), "-q"]
    assert main(args + ["--sites", "lost"]) == 0  # its good report, made while the file was there
    capsys.readouterr()
    kept = out / "lost" / "rack_power" / "results.json"
    before = json.loads(kept.read_text(encoding="utf-8"))
    copy.unlink()  # the colleague's file not copied along
    rc = main(args)
    captured = capsys.readouterr()
    assert rc == 2
    lines = [ln for ln in captured.out.splitlines() if ln.startswith("lost/rack_power")]
    assert len(lines) == 1 and " FAILED " in lines[0]
    assert (f"bad input: {tmp_path / 'sites' / 'lost.yaml'}: weather.file: weather file not found: "
            "weather/not-copied.epw (looked in ") in lines[0]
    assert [ln.split()[:2] for ln in captured.out.splitlines() if ln.startswith("phoenix-az/")] == \
        [["phoenix-az/rack_power", "ok"]]
    # the previous good report of the site is kept, marked stale (dcplan.report_stale.mark_not_current)
    after = json.loads(kept.read_text(encoding="utf-8"))
    assert after["run"].pop("status").startswith("stale: ")
    assert after == before
    # --sites not selecting it: it does not matter, but is named once
    with pytest.warns(DcplanWarning) as warned:  # the command line prints it as one "dcplan: warning:" line
        rc = main(args + ["--sites", "phoenix-az"])
    assert rc == 0
    assert "1/1 runs ok" in capsys.readouterr().out
    assert [str(w.message) for w in warned if "'lost'" in str(w.message)] == [
        f"site 'lost' has bad files ({tmp_path / 'sites' / 'lost.yaml'}), not selected by --sites, "
        f"so not rendered; dcplan validate {portfolio} lists the problems"]
    readme = " ".join(README.read_text(encoding="utf-8").split())
    assert ("is a bad file of that site alone, as a damaged one is: a site whose file was not copied along stops its "
            "own runs") in readme
    assert "with `--sites` not selecting it, it does not matter" in readme


def test_a_site_file_not_found_is_bad_input_of_that_sites_runs_only(tmp_path):
    """The render's plan (no kernel): the site's runs refused with its one-line error, the other
    site's run planned; a notebook reading every site refused for both."""
    from dcplan.report_plan import plan_runs
    portfolio = _portfolio_with_a_missing_weather_file(tmp_path)
    runs = {r.key: r for r in plan_runs(portfolio, notebooks=["rack_power", "site_analysis"], out=tmp_path / "o")}
    assert runs["phoenix-az/rack_power"].bad_input is None
    lost = runs["lost/rack_power"].bad_input
    assert lost.startswith(f"{tmp_path / 'sites' / 'lost.yaml'}: weather.file: weather file not found: "
                           f"weather/not-copied.epw (looked in {tmp_path / 'sites'}, {tmp_path} and ")
    assert "\n" not in lost
    assert "site 'lost' has bad files" in runs["phoenix-az/site_analysis"].bad_input
    # --sites with a notebook that reads every site: refused before any run, as for a file cut short
    with pytest.raises(SiteError, match=r"lost\.yaml: weather\.file: weather file not found: .*"
                                        r"\(needed: site_analysis reads every site, not only --sites\)"):
        plan_runs(portfolio, sites=["phoenix-az"], notebooks=["site_analysis"], out=tmp_path / "o")
    with pytest.warns(DcplanWarning, match=r"site 'lost' has bad files .* not selected by --sites"):
        runs = plan_runs(portfolio, sites=["phoenix-az"], notebooks=["rack_power"], out=tmp_path / "o")
    assert [(r.key, r.bad_input) for r in runs] == [("phoenix-az/rack_power", None)]


@pytest.mark.parametrize("axis", ["", "  site: [lost]\n"])
def test_a_sweep_running_a_site_whose_weather_file_is_not_there_says_where_it_was_looked_for(tmp_path, capsys, axis):
    """A sweep over the portfolio (no site axis: every site) or naming the site on its site axis: exit 2, one
    line with the error load_site gives (the site YAML, weather.file, the name and the folders looked in).
    Since load_portfolio holds such a site (cba401a) the sweep's weather check refused it as
    ``<data>/weather/not-copied.epw: weather file not found``, without where it was looked for."""
    portfolio = _portfolio_with_a_missing_weather_file(tmp_path)
    spec = tmp_path / "sweep.yaml"
    spec.write_text(f"name: s\nportfolio: {portfolio.name}\naxes:\n{axis}  solar.dc_kw: [0, 4000]\n",
                    encoding="utf-8")
    with pytest.raises(SiteError) as alone:
        load_site(tmp_path / "sites" / "lost.yaml")
    assert main(["sweep", str(spec), "--out", str(tmp_path / "o.parquet")]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert err == [f"dcplan: error: {tmp_path / 'sites' / 'lost.yaml'}: {alone.value.problems[0][0]}: "
                   f"{alone.value.problems[0][1]}"]
    assert (f"{tmp_path / 'sites' / 'lost.yaml'}: weather.file: weather file not found: weather/not-copied.epw "
            f"(looked in {tmp_path / 'sites'}, {tmp_path} and ") in err[0]
    assert not (tmp_path / "o.parquet").exists()


def test_a_sweep_whose_site_axis_leaves_out_the_site_whose_file_is_not_there_is_not_refused(tmp_path):
    """As render with --sites not selecting it: the sweep of the other site loads (the held site is not run,
    and named in one warning)."""
    from dcplan.sweep import load_sweep
    portfolio = _portfolio_with_a_missing_weather_file(tmp_path)
    spec = tmp_path / "sweep.yaml"
    spec.write_text(f"name: s\nportfolio: {portfolio.name}\naxes:\n  site: [phoenix-az]\n  solar.dc_kw: [0, 4000]\n",
                    encoding="utf-8")
    with pytest.warns(DcplanWarning, match=r"axes\.site: site 'lost' has bad files .* not in the sweep's site axis"):
        loaded = load_sweep(spec)  # named once, as render names it (tests/test_sweep_held.py)
    assert [c.site.id for c in loaded.cases()] == ["phoenix-az", "phoenix-az"]


@pytest.mark.parametrize("kind", ["weather folder", "weather header", "tariff not found"])
def test_the_portfolio_holds_a_site_whose_file_is_not_there_and_raises_its_error_where_used(tmp_path, kind):
    """``load_portfolio(p)[site]`` (every notebook's load) of the good site works; of the broken one
    raises the error ``load_site`` raises; ``defer_file_problems=False`` (validate, the portfolio
    notebooks) refuses the portfolio with it; ``dcplan validate`` exits 2 naming it."""
    text = (data_dir() / "sites" / "phoenix-az.yaml").read_text(encoding="utf-8")
    (tmp_path / "sites").mkdir()
    (tmp_path / "sites" / "phoenix-az.yaml").write_text(text, encoding="utf-8")
    tariff = "tariffs/aps-az-e32-tou-l.json"
    assert text.count(PHOENIX_WEATHER) == 1 and text.count(tariff) == 1
    if kind == "weather folder":
        (tmp_path / "w.epw").mkdir()
        broken, field = text.replace(PHOENIX_WEATHER, "../w.epw"), "weather.file"
    elif kind == "weather header":
        (tmp_path / "w.epw").write_text("not an EPW header\n", encoding="utf-8")
        broken, field = text.replace(PHOENIX_WEATHER, "../w.epw"), "weather.file"
    else:
        broken, field = text.replace(tariff, "tariffs/not-copied.json"), "tariff.file"
    (tmp_path / "sites" / "lost.yaml").write_text(broken.replace("\nname: Phoenix, AZ\n", "\nname: Lost\n"),
                                                  encoding="utf-8")
    portfolio = tmp_path / "mine.yaml"
    portfolio.write_text("name: mine\nsites:\n  - sites/phoenix-az.yaml\n  - sites/lost.yaml\n", encoding="utf-8")
    with pytest.raises(SiteError) as alone:
        load_site(tmp_path / "sites" / "lost.yaml")
    pf = load_portfolio(portfolio)
    assert pf.ids == ["phoenix-az", "lost"]
    assert pf["phoenix-az"].weather_path == (data_dir() / PHOENIX_WEATHER).resolve()
    with pytest.raises(SiteError) as held:
        pf["lost"]
    assert str(held.value) == str(alone.value) and held.value.problems[0][0] == field
    assert list(pf.file_problems) == ["lost"]
    with pytest.raises(SiteError, match=r"lost\.yaml"):
        load_portfolio(portfolio, defer_file_problems=False)
    assert main(["validate", str(portfolio)]) == 2


def test_a_render_whose_every_run_is_bad_input_does_not_say_the_others_rendered(tmp_path, capsys):
    """site_analysis reads every site: one site's weather file cut short (it exists: a file, not the YAML, is
    bad) makes both sites' runs bad input; none executed, so no "other runs rendered"."""
    text = (data_dir() / "sites" / "phoenix-az.yaml").read_text(encoding="utf-8")
    (tmp_path / "sites").mkdir()
    (tmp_path / "sites" / "phoenix-az.yaml").write_text(text, encoding="utf-8")
    weather = "weather/USA_AZ_Phoenix-Sky.Harbor.Intl.AP.722780_TMY3.epw"
    lines = (data_dir() / weather).read_text(encoding="utf-8").splitlines(keepends=True)
    (tmp_path / "cut.epw").write_text("".join(lines[:2000]), encoding="utf-8")  # 8 header lines + 1992 hours
    assert text.count("\nname: Phoenix, AZ\n") == 1
    cut = text.replace(weather, "../cut.epw").replace("\nname: Phoenix, AZ\n", "\nname: Cut short\n")
    (tmp_path / "sites" / "cut.yaml").write_text(cut, encoding="utf-8")
    p = tmp_path / "mine.yaml"
    p.write_text("name: mine\nsites:\n  - sites/phoenix-az.yaml\n  - sites/cut.yaml\n", encoding="utf-8")
    rc = main(["render", "--portfolio", str(p), "--notebooks", "site_analysis", "--out", str(tmp_path / "o"), "-q"])
    out = capsys.readouterr().out
    assert rc == 2
    assert "0/2 runs ok" in out
    assert "2 run(s) not executed: bad input (each line names the file, field and value; no other run to render)" in out
    assert "the other runs rendered" not in out
