"""The portfolio sweep's cases say what they model and why a figure is missing (a site-selection
analyst screening 23 sites: the sweep's cheapest case was a liquid plant for air-cooled HGX H200
servers, which dcplan validate warns against for a site file, unsaid; cases of a site without a tariff
or an interconnection request showed a bare NaN)."""
from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest
import yaml

from dcplan.portfolio_sweep_notes import air_cooled_units, air_server_liquid_note, missing_reasons
from dcplan.site import load_portfolio

from conftest import bundled_site_copy, run_cells_until

AIR_NOTE = ("a liquid case of air-cooled servers (hgx-h200 in data/hardware.csv): it models a direct-liquid-cooled "
            "version of them at the air-cooled server's power (fans included), whose price and availability are not "
            "in the figures; dcplan validate warns on a site file that sets it")


def test_a_liquid_case_of_air_cooled_servers_says_what_it_models():
    pf = load_portfolio()
    by_id = {s.id: s for s in pf.sites}
    # data/hardware.csv: hgx-h200 (Chicago) cooling air; gb200-nvl72 (Northern Virginia) liquid
    assert air_cooled_units(by_id["chicago-il"]) == ["hgx-h200"] and air_cooled_units(by_id["northern-virginia"]) == []
    assert air_server_liquid_note({"site": "chicago-il", "cooling.type": "liquid"}, by_id) == AIR_NOTE
    assert air_server_liquid_note({"site": "chicago-il", "cooling.type": "air"}, by_id) == ""
    assert air_server_liquid_note({"site": "northern-virginia", "cooling.type": "liquid"}, by_id) == ""


def test_missing_figures_say_why(tmp_path, monkeypatch):
    no_tariff = bundled_site_copy(tmp_path, "chicago-il", "chi-nt", name="Chicago, IL (no tariff)")
    d = yaml.safe_load(no_tariff.read_text())
    del d["tariff"]
    no_tariff.write_text(yaml.safe_dump(d, sort_keys=False))
    no_ic = bundled_site_copy(tmp_path, "chicago-il", "chi-ni", name="Chicago, IL (no request)")
    d = yaml.safe_load(no_ic.read_text())
    del d["interconnection"]
    no_ic.write_text(yaml.safe_dump(d, sort_keys=False))
    pf_file = tmp_path / "pf.yaml"
    pf_file.write_text(yaml.safe_dump({"name": "t", "sites": [str(no_tariff), str(no_ic)]}))
    by_id = {s.id: s for s in load_portfolio(pf_file).sites}
    cases = pd.DataFrame({"site": ["chi-nt", "chi-ni", "chi-ni"], "status": ["ok", "ok", "failed: boom"],
                          "cost_usd_per_it_mwh": [np.nan, 70.0, np.nan],
                          "first_power_months": [3.0, np.nan, np.nan]})
    assert missing_reasons(cases, by_id).tolist() == [
        "no cost: the site has no tariff: section, so no bill",
        "no first power: the site has no interconnection: request", ""]
    # the notebook's case table carries them (one site, 8 cases: 2 cooling x 2 PV x 2 margins)
    ns, _ = run_cells_until("portfolio_sweep", 'compact["not_scored"]', monkeypatch, portfolio=str(pf_file),
                            export_dir="")
    why = ns["compact"].set_index("site")["not_scored"]
    assert set(why.loc["chi-nt"]) == {"no cost: the site has no tariff: section, so no bill"}
    assert set(why.loc["chi-ni"]) == {"no first power: the site has no interconnection: request"}



def test_a_sweep_without_interconnection_requests_takes_its_front_on_the_other_objectives():
    """A portfolio whose sites have no interconnection: section has no first power in any case: the case table
    still has the columns the notebook reads (empty), and the front is taken on cost and throttling (a front on
    all three was empty: a case missing an objective is never on it)."""
    from dcplan.portfolio_compare import front_note, front_objectives, sweep_case_table
    frame = pd.DataFrame({"case_id": [0, 1, 2, 3, 4], "site": ["s"] * 5,
                          "status": ["ok", "ok", "ok", "ok", "failed: boom"],
                          # cost per IT MWh 50, 60, 40, 70 (and the failed case's none)
                          "electricity_cost_usd": [5000.0, 6000.0, 4000.0, 7000.0, np.nan],
                          "it_mwh": [100.0] * 5, "throttled_frac": [0.01, 0.0, 0.02, 0.01, np.nan]})
    cases = sweep_case_table(frame)
    assert cases["cost_usd_per_it_mwh"].tolist()[:4] == [50.0, 60.0, 40.0, 70.0]
    assert cases["first_energized_median"].isna().all() and cases["time_to_power_median_months"].isna().all()
    assert front_objectives(cases) == ["cost_usd_per_it_mwh", "throttled_frac"]
    # by hand: (70, 0.01) is worse than (50, 0.01) in cost at the same throttling; the other three each beat
    # another on one objective; a failed case is never on the front
    assert cases["pareto"].tolist() == [True, True, True, False, False]
    assert front_note(cases) == " (on cost_usd_per_it_mwh, throttled_frac only: no case has first_power_months)"
    with_dates = sweep_case_table(frame.assign(first_energized_median=["2028-03-01", "2027-09-01", None, None, None]))
    assert front_note(with_dates) == ""  # a case without a date (its site has no request) is off the front
    assert with_dates["pareto"].tolist() == [True, True, False, False, False]


def _bare_portfolio(folder):
    """A portfolio of one site, Chicago without its tariff: and interconnection: sections."""
    path = bundled_site_copy(folder, "chicago-il", "chi-none", name="Chicago, IL (no tariff, no request)")
    d = yaml.safe_load(path.read_text())
    del d["tariff"], d["interconnection"]
    path.write_text(yaml.safe_dump(d, sort_keys=False))
    (pf_file := folder / "pf.yaml").write_text(yaml.safe_dump({"name": "t", "sites": [str(path)]}))
    return pf_file


def test_first_power_and_cost_say_why_there_is_none(tmp_path):
    from dcplan.portfolio_sweep_notes import earliest_first_power, no_cost_text
    pf_file = _bare_portfolio(tmp_path)
    pf = load_portfolio(pf_file)
    by_id = {s.id: s for s in pf.sites}
    ran = pd.DataFrame({"site": ["chi-none"], "status": ["ok"], "first_energized_median": [None]})
    assert earliest_first_power(ran, by_id) == ("n/a: no site of the portfolio has an interconnection: request, "
                                                "so no case has a first power")
    assert earliest_first_power(ran.assign(status="failed: boom"), by_id) == "n/a: no case ran"
    assert no_cost_text(pf.sites) == "n/a: no site of the portfolio has a tariff: section, so no bill"
    chicago = load_portfolio().sites
    assert no_cost_text(chicago, "site") == "n/a: no site that ran has a bill"
    by_id = {s.id: s for s in chicago}
    dated = pd.DataFrame({"site": ["chicago-il"] * 3, "status": ["ok", "ok", "failed: boom"],
                          "first_energized_median": ["2028-07-26", "2028-03-01", "2027-01-01"]})
    assert earliest_first_power(dated, by_id) == "2028-03-01"  # the failed case's date is not a result


@pytest.mark.slow
def test_the_sweep_renders_a_portfolio_without_tariffs_or_interconnection_requests(tmp_path):
    """A planner's first portfolio of one site with weather, fleet and finance only: portfolio_sweep failed with
    KeyError: 'first_energized_median' (then on publishing "none" with a unit, then on the front's table)."""
    from dcplan.report import render
    pf_file = _bare_portfolio(tmp_path)
    s = render(portfolio=pf_file, notebooks=["portfolio_sweep"], out=tmp_path / "r", jobs=1, progress=False,
               parameters={"pv_dc_kw": 0.0, "margin_frac": 0.0, "export_dir": ""})
    assert s.ok, s.table()
    res = json.loads((tmp_path / "r" / "_portfolio" / "portfolio_sweep" / "results.json").read_text())["results"]
    assert res["cases"]["value"] == 2 and res["cases_failed"]["value"] == 0  # air and liquid (HGX H200: air-cooled)
    assert res["earliest_first_power"]["value"].startswith("n/a: no site of the portfolio has an interconnection")
    for k in ("best_cost_usd_per_it_mwh", "best_cost_as_specified_usd_per_it_mwh"):
        assert res[k]["value"] == "n/a: no site of the portfolio has a tariff: section, so no bill"
        assert res[k]["unit"] is None
    assert res["pareto_cases"]["label"].endswith("(on throttled_frac only: no case has cost_usd_per_it_mwh, "
                                                 "first_power_months)")


def test_sites_whose_tariffs_are_priced_years_apart_are_warned_of():
    """The bundled tariffs' startdates: ComEd (Chicago) 2027-06-01, APS E-32 (Phoenix) 2024-03-08, 1,180 days apart
    (1,095 to 2027-03-08, +85): 3.2 years. A case without a cost (no bill) is not compared."""
    from dcplan.portfolio_sweep_notes import price_date_note
    names = {"phoenix-az": "Phoenix, AZ", "chicago-il": "Chicago, IL", "x": "X"}
    cases = pd.DataFrame({"site": ["chicago-il", "chicago-il", "phoenix-az", "x"], "status": ["ok"] * 4,
                          "cost_usd_per_it_mwh": [80.0, 82.0, 70.0, np.nan],
                          "bill_price_date": ["2027-06-01", "2027-06-01", "2024-03-08", "2010-01-01"]})
    note = price_date_note(cases, names)
    assert note.startswith("the sites' electricity costs are at their tariffs' own price dates, 3.2 years apart "
                           "(Phoenix, AZ 2024-03-08, Chicago, IL 2027-06-01): the cost axis (and the lowest cost) "
                           "compares prices of different years")
    assert price_date_note(cases[cases["site"] != "phoenix-az"], names) == ""  # one date: nothing to say
    assert price_date_note(cases.drop(columns="bill_price_date"), names) == ""  # an older results frame
    from conftest import ROOT  # the notebook prints it and says it beside its lowest cost
    builder = (ROOT / "tools" / "build_portfolio_sweep.py").read_text()
    assert "price_warning = price_date_note(cases, names)" in builder and 'best_case += f"; {price_warning}"' in builder


def test_each_site_has_one_colour_in_both_portfolio_notebooks():
    """Colours were by row order: the comparison's chart enumerated the sites with a cost, the sweep's the sites
    of its cases (a liquid-only fleet's run second), so one site took two colours in one render. Both now take
    dcplan.plotting.site_colors of the portfolio's order: the i-th site SITE_CYCLE[i % 8]."""
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    from dcplan import plotting, portfolio_plots
    assert plotting.site_colors(["a", "b", "c"]) == {"a": "#0072B2", "b": "#D55E00", "c": "#009E73"}
    d = pd.Timestamp("2028-01-01")
    both = pd.DataFrame({"cost": [1.0, 2.0], "first_energized_p10": [d, d], "first_energized_p50": [d, d],
                         "first_energized_p90": [d, d]}, index=["c", "b"])  # a left out (no cost), rows reordered
    fig = portfolio_plots.cost_vs_power(both, "cost", "USD", {"b": "B", "c": "C"}, "x", order=["a", "b", "c"])
    try:
        got = {t.get_text(): matplotlib.colors.to_hex(h.get_facecolor()[0])
               for t, h in zip(fig.axes[0].get_legend().get_texts(), fig.axes[0].get_legend().legend_handles)}
    finally:
        plt.close(fig)
    assert got == {"C": "#009e73", "B": "#d55e00"}
    from conftest import ROOT
    for builder in ("build_portfolio_sweep.py", "build_portfolio_comparison.py"):
        text = (ROOT / "tools" / builder).read_text()
        assert "SITE_CYCLE[i" not in text and ("site_colors(" in text or "order=[s_.id for s_ in pf]" in text)


def test_no_air_cases_says_why_by_site():
    from dcplan.portfolio_sweep_notes import no_air_cases
    from dcplan.site import load_portfolio
    pf = load_portfolio("default")
    # data/hardware.csv lists gb200-nvl72 (Northern Virginia's two phases) as liquid-cooled only: named once
    got = no_air_cases([s for s in pf.sites if s.id == "northern-virginia"])
    assert got == {"northern-virginia": "gb200-nvl72 liquid-cooled only in data/hardware.csv"}
    assert no_air_cases([]) == {}
