"""The portfolio sweep's cases say what they model and why a figure is missing (a site-selection
analyst screening 23 sites: the sweep's cheapest case was a liquid plant for air-cooled HGX H200
servers, which dcplan validate warns against for a site file, unsaid; cases of a site without a tariff
or an interconnection request showed a bare NaN)."""
from __future__ import annotations

import numpy as np
import pandas as pd
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

