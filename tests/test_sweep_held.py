"""A sweep over a portfolio with a site whose weather or tariff file is not there (dcplan.sweep_held).

Built in Python (``SweepSpec(sites=portfolio)`` or the portfolio's sites as a list) as from YAML: running that site
is refused with the error ``load_site`` raises (where the file was looked for; the Python path gave a bare
``<data>/weather/<name>: weather file not found``, and a tariff file not there ran with every case of the site
failing on a FileNotFoundError); a site axis that leaves it out runs with the one warning render gives for
``--sites`` (it ran without a word)."""
from __future__ import annotations

import warnings

import pytest

from dcplan.cli import main
from dcplan.errors import DcplanWarning
from dcplan.paths import data_dir
from dcplan.site import SiteError, load_portfolio, load_site
from dcplan.sweep import SweepSpec, load_sweep, run_sweep
from test_cli_three_ways import _portfolio_with_a_missing_weather_file

CLIMATE = "dcplan.sweep_worker:climate_figures"
TARIFF = "tariffs/aps-az-e32-tou-l.json"


def _portfolio(tmp_path, kind):
    p = _portfolio_with_a_missing_weather_file(tmp_path)
    if kind == "tariff":  # the weather file there, the tariff file not
        text = (data_dir() / "sites" / "phoenix-az.yaml").read_text(encoding="utf-8")
        assert text.count(TARIFF) == 1
        (tmp_path / "sites" / "lost.yaml").write_text(
            text.replace(TARIFF, "tariffs/not-copied.json").replace("\nname: Phoenix, AZ\n", "\nname: Lost\n"),
            encoding="utf-8")
    return p


@pytest.mark.parametrize("kind", ["weather", "tariff"])
@pytest.mark.parametrize("given", ["portfolio", "list", "site axis"])
def test_a_sweep_built_in_python_running_the_site_gives_load_sites_error(tmp_path, kind, given):
    pf = load_portfolio(_portfolio(tmp_path, kind))
    assert list(pf.file_problems) == ["lost"]
    with pytest.raises(SiteError) as alone:
        load_site(tmp_path / "sites" / "lost.yaml")
    field = f"{kind}.file"
    assert alone.value.problems[0][0] == field and "(looked in " in alone.value.problems[0][1]
    sites = list(pf) if given == "list" else pf
    axes = {"solar.dc_kw": [0, 4000], **({"site": ["phoenix-az", "lost"]} if given == "site axis" else {})}
    with pytest.raises(SiteError) as err:
        run_sweep(SweepSpec(sites=sites, case=CLIMATE, axes=axes), write=False, jobs=1)
    assert str(err.value) == str(alone.value)  # the whole error, not '<data>/weather/not-copied.epw: ... not found'


def test_the_yaml_and_python_sweeps_give_the_same_error(tmp_path):
    portfolio = _portfolio(tmp_path, "weather")
    spec = tmp_path / "sweep.yaml"
    spec.write_text(f"name: s\nportfolio: {portfolio.name}\ncase: {CLIMATE}\naxes:\n  solar.dc_kw: [0, 4000]\n",
                    encoding="utf-8")
    with pytest.raises(SiteError) as from_yaml:
        load_sweep(spec)
    with pytest.raises(SiteError) as from_python:
        SweepSpec(sites=load_portfolio(portfolio), case=CLIMATE, axes={"solar.dc_kw": [0, 4000]})
    assert str(from_yaml.value) == str(from_python.value)
    assert str(from_python.value).startswith(f"{tmp_path / 'sites' / 'lost.yaml'}: weather.file: weather file not "
                                             f"found: weather/not-copied.epw (looked in {tmp_path / 'sites'}, ")


def _left_out(tmp_path, portfolio) -> str:
    return (f"site 'lost' has bad files ({tmp_path / 'sites' / 'lost.yaml'}), not in the sweep's site axis, so not "
            f"run; dcplan validate {portfolio} lists the problems")


@pytest.mark.parametrize("kind", ["weather", "tariff"])
def test_a_site_axis_leaving_the_site_out_runs_with_one_warning(tmp_path, kind):
    portfolio = _portfolio(tmp_path, kind)
    with warnings.catch_warnings(record=True) as got:
        warnings.simplefilter("always")
        spec = SweepSpec(sites=load_portfolio(portfolio), case=CLIMATE,
                         axes={"site": ["phoenix-az"], "solar.dc_kw": [0, 4000]})
    said = [str(w.message) for w in got if issubclass(w.category, DcplanWarning)]
    assert said == [f"axes.site: {_left_out(tmp_path, portfolio)}"]
    res = run_sweep(spec, write=False, jobs=1)
    assert res.ok and list(res.frame["site"]) == ["phoenix-az", "phoenix-az"]


def test_the_cli_sweep_says_the_site_left_out_once(tmp_path):
    portfolio = _portfolio(tmp_path, "weather")
    spec = tmp_path / "sweep.yaml"
    spec.write_text(f"name: s\nportfolio: {portfolio.name}\ncase: {CLIMATE}\naxes:\n  site: [phoenix-az]\n"
                    "  solar.dc_kw: [0, 4000]\n", encoding="utf-8")
    with pytest.warns(DcplanWarning) as warned:  # the command line prints it as one "dcplan: warning:" line
        assert main(["sweep", str(spec), "--out", str(tmp_path / "o.parquet"), "-j", "1"]) == 0
    assert [str(w.message) for w in warned if "'lost'" in str(w.message)] == [
        f"{spec}: axes.site: {_left_out(tmp_path, tmp_path / 'mine.yaml')}"]
