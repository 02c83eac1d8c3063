"""The TCO's water line split into water supply and sewer (dcplan.tco_cashflows, finance.sewer_billing).

Expected figures are derived by hand from the site year's own make-up water (the plant model's hourly
``water_l``) and blowdown (make-up / cycles of concentration, data/cooling_defaults.csv's 4), and from the
utility's published rate: City of Chicago, 36.51 USD per 1,000 ft3 of water from 2025-06-01, sewer 100 % of
the water charge (data/SOURCES.md, Water and sewer rates): 36.51 / 28.316847 m3 = 1.28934 USD/m3.
"""
from __future__ import annotations

import copy
import math
from pathlib import Path

import numpy as np
import pytest
import yaml

from dcplan.errors import InputError
from dcplan.pipeline import run_site_year
from dcplan.site import SiteError, _site_from_dict, load_site
from dcplan.tco import TcoInputs, run_tco
from dcplan.tco_inputs import inputs_from_site, load_costs

ROOT = Path(__file__).resolve().parents[1]
CHICAGO = ROOT / "data" / "sites" / "chicago-il.yaml"
RAW = yaml.safe_load(CHICAGO.read_text(encoding="utf-8"))
FILE = str(ROOT / "data" / "sites" / "chi-water.yaml")  # a name in the sites folder: the relative files resolve

# 36.51 USD per 1,000 cubic feet (chicago.gov, effective 2025-06-01); 1 ft3 = 0.028316846592 m3 (exact)
CHICAGO_USD_PER_M3 = 36.51 / (1000 * 0.028316846592)


def _site(**finance):
    d = copy.deepcopy(RAW)
    d["finance"] = {**d["finance"], **finance}
    return _site_from_dict(d, FILE, "chi-water")


@pytest.fixture(scope="module")
def chicago_year():
    site = load_site("chicago-il")
    return site, run_site_year(site)


def _year_costs(site, y, year: int):
    """Year ``year``'s opex_water_usd and opex_sewer_usd of ``site`` with its plant year ``y``: the whole
    fleet from the end of the build, no grid limit, so a year after the build runs the full typical year."""
    hours = len(y.it_kw)
    it_energy_kwh = float(y.it_kw.sum()) * 8760.0 / hours      # hourly kW -> kWh, a 365-day year
    inp = inputs_from_site(site, n_accelerators=1024, it_capacity_kw=it_energy_kwh / 8000.0,
                           it_energy_kwh=it_energy_kwh, site_year=y if y.site is site else None)
    r = run_tco(inp, np.zeros(12))
    return inp, r.annual.loc["opex_water_usd", year], r.annual.loc["opex_sewer_usd", year]


def test_chicago_water_and_sewer_from_its_make_up_and_blowdown_at_the_citys_rates(chicago_year):
    site, y = chicago_year
    assert site.finance.costs["water_usd_per_m3"] == pytest.approx(CHICAGO_USD_PER_M3, abs=5e-6)  # 5 decimals
    assert site.finance.costs["sewer_usd_per_m3"] == pytest.approx(CHICAGO_USD_PER_M3, abs=5e-6)
    cycles = y.plant.attrs["plant"]["tower_cycles"]
    assert cycles == 4.0                                  # data/cooling_defaults.csv tower_cycles
    make_up_m3 = float(y.plant["water_l"].sum()) / 1000.0 * 8760.0 / len(y.it_kw)
    blowdown_m3 = make_up_m3 / cycles                     # blowdown = evaporation / (cycles - 1) = make-up / cycles
    assert make_up_m3 > 10_000                            # a tower plant: tens of thousands of m3 a year
    build_years = math.ceil(load_costs().loc["build_months", "value"] / 12)
    year = build_years + 1                                # the first whole year of operation
    infl = (1 + load_costs().loc["inflation_frac", "value"]) ** (year - 1)  # opex at year-1 prices, inflated
    price = site.finance.costs["water_usd_per_m3"]

    _, water, sewer = _year_costs(site, y, year)          # on supply (the site's): sewer on all make-up
    assert water == pytest.approx(make_up_m3 * price * infl, rel=1e-9)   # float summation only
    assert sewer == pytest.approx(make_up_m3 * price * infl, rel=1e-9)

    on_dis = _site(sewer_billing="on_discharge")          # an evaporation deduct meter: blowdown only
    inp, water_d, sewer_d = _year_costs(on_dis, run_site_year(on_dis), year)
    assert inp.sewer_billed_frac == pytest.approx(0.25, rel=1e-12)
    assert water_d == pytest.approx(water, rel=1e-12)     # water is still billed on all the make-up
    assert sewer_d == pytest.approx(blowdown_m3 * price * infl, rel=1e-9)
    # for scale: the deduct meter saves 3/4 of the sewer line, 0.75 x make-up x 1.28934 x inflation
    assert sewer - sewer_d == pytest.approx(0.75 * make_up_m3 * price * infl, rel=1e-9)


def test_the_assumptions_say_how_sewer_is_billed(chicago_year):
    site, y = chicago_year
    inp, _, _ = _year_costs(site, y, 2)
    a = run_tco(inp, np.zeros(12)).assumptions.set_index("key")
    assert a.loc["sewer_billed_frac", "value"] == 1.0
    assert a.loc["sewer_billed_frac", "source"].startswith("site.finance.sewer_billing: on_supply")
    assert "100 percent of your water charge" in a.loc["sewer_usd_per_m3", "source"]
    inp_d, _, _ = _year_costs(_site(sewer_billing="on_discharge"), y, 2)
    a_d = run_tco(inp_d, np.zeros(12)).assumptions.set_index("key")
    assert a_d.loc["sewer_billed_frac", "status"] == "derived"
    assert "1 / 4 = 0.25 at tower_cycles 4" in a_d.loc["sewer_billed_frac", "source"]


def test_a_site_without_its_own_figures_keeps_the_old_total_on_supply():
    # data/costs.csv's former single 3.0 USD/m3 water-and-sewer estimate, split 1.5 + 1.5: the same total on supply
    inp = TcoInputs(8, 100.0, 8e5, costs={"wue_l_per_kwh": 1.0, "inflation_frac": 0.0, "build_months": 0})
    r = run_tco(inp, np.zeros(12))
    # 1 L/kWh x 800,000 kWh = 800 m3 a year; x 1.5 USD/m3 each line
    assert r.annual.loc["opex_water_usd", 1] == pytest.approx(800 * 1.5, rel=1e-12)
    assert r.annual.loc["opex_sewer_usd", 1] == pytest.approx(800 * 1.5, rel=1e-12)
    half = TcoInputs(8, 100.0, 8e5, costs={"wue_l_per_kwh": 1.0, "inflation_frac": 0.0, "build_months": 0},
                     sewer_billed_frac=0.2)
    assert run_tco(half, np.zeros(12)).annual.loc["opex_sewer_usd", 1] == pytest.approx(800 * 0.2 * 1.5, rel=1e-12)


@pytest.mark.parametrize("finance, field, words", [
    ({"sewer_billing": "on_discharg"}, "finance.sewer_billing",
     "unknown sewer billing 'on_discharg' (did you mean 'on_discharge'?); allowed: on_supply (all the make-up "
     "water"),
    ({"sewer_billing": "deduct"}, "finance.sewer_billing", "allowed: on_supply (all the make-up water (sewer "
                                                          "estimated from the supply meter)); on_discharge (the "
                                                          "cooling towers' blowdown only"),
    ({"costs": {"sewer_usd_per_m3": -1.2}}, "finance.costs.sewer_usd_per_m3", "must be a number >= 0, got -1.2"),
    ({"costs": {"water_usd_per_m3": -0.5}}, "finance.costs.water_usd_per_m3", "must be a number >= 0, got -0.5"),
])
def test_bad_water_input_is_refused_naming_file_field_value_and_what_is_allowed(finance, field, words):
    d = copy.deepcopy(RAW)
    d["finance"] = {k: v for k, v in d["finance"].items() if k not in ("costs", "sources")}
    d["finance"].update(finance)
    with pytest.raises(SiteError) as e:
        _site_from_dict(d, FILE, "chi-water")
    msg = "\n".join(e.value.all_lines())
    assert any(ln.startswith(f"{FILE}: {field}: ") and words in ln for ln in msg.splitlines()), msg


def test_sewer_billed_frac_outside_0_1_is_refused():
    with pytest.raises(InputError, match=r"sewer_billed_frac.*a share of the make-up water in \[0, 1\].*got 4\.0"):
        TcoInputs(8, 100.0, 8e5, sewer_billed_frac=4.0)   # cycles typed for 1 / cycles


def test_the_report_says_the_water_and_sewer_basis(chicago_year):
    """dcplan.tco_notes.water_sewer_note: the prices and the billed share the Monthly sheet bills, in words; none
    for a plant that bills no water."""
    from dcplan.tco_notes import water_sewer_note
    site, y = chicago_year
    inp, _, _ = _year_costs(site, y, 2)
    note = water_sewer_note(run_tco(inp, np.zeros(12)))
    # Chicago's city rates: 36.51 USD per 1,000 ft3 = 1.28934 USD/m3 each (5 decimals, as the site file gives them)
    assert note.startswith(f"Water and sewer: water {round(CHICAGO_USD_PER_M3, 5):g} USD/m3 (the site's own "
                           "figure) on every m3 of the cooling towers' make-up; sewer 1.28934 USD/m3 (the site's own "
                           "figure) on 1 of it: site.finance.sewer_billing: on_supply, sewer billed on all"), note
    inp_d, _, _ = _year_costs(_site(sewer_billing="on_discharge"), y, 2)
    note_d = water_sewer_note(run_tco(inp_d, np.zeros(12)))
    assert "figure) on 0.25 of it: derived: site.finance.sewer_billing: on_discharge" in note_d, note_d
    dry = run_tco(TcoInputs(n_accelerators=8, it_capacity_kw=10.0, it_energy_kwh=8e4,
                            costs={"wue_l_per_kwh": 0.0}), 1e4)
    assert water_sewer_note(dry) == ""
