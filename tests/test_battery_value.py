"""The site battery's cost a year beside the bill it lowers (dcplan.battery_value).

A storage engineer found the site bill is the bill of the grid draw after the PV *and* the site
battery, while the electricity cost added the PV's annualised cost but nothing for the battery:
in site analysis, the verdict's per-token rank, the portfolio score and a sweep's
``electricity_cost_usd`` a battery only lowered the cost. A Phoenix copy with
``battery: {power_mw: 2, energy_mwh: 4, target: demand}`` ranked first (0.127 against 0.133
USD/GPU-h) although its TCO NPV was 0.46 MUSD lower, and a battery-size sweep always picked the
largest. The battery's life cost is now put in year-1 terms as the PV's is:
(capex + O&M_1 x L_om) / L_save.

Hand figures (closed forms, :func:`hand_factors`): over the battery's 15-year economic life
(dcplan.tco_assumptions.ECONOMIC_LIFE_YEARS["battery"]) with q = (1 + g) / (1 + r),
L = (1 - q^15) / (1 - q) / (1 + r): L_save = 10.1773 (g = e = 3 %, no fade) and L_om = 9.8807
(g = i = 2.5 %) at r = 8 % (every bundled site's finance and data/costs.csv). 4,000 kWh nameplate
at 400 USD/kWh (data/costs.csv battery_usd_per_kwh) is 1.6 MUSD of capex; O&M 2 % of it a year
(maintenance_facility_frac, as the TCO's opex_maintenance_facility_usd) is 32,000 USD in year 1;
(1.6 M + 32,000 x 9.8807) / 10.1773 = 188,280 USD a year, above the tester's ~155 kUSD bill saving.
"""
from __future__ import annotations

import pandas as pd
import pytest
import yaml

from dcplan import pipeline
from dcplan.battery_value import battery_annual_cost, paid_for_text
from dcplan.portfolio_score import unit_figures
from dcplan.site import load_portfolio, load_site

from conftest import bundled_site_copy
from test_solar_value import hand_pv_cost

BATTERY = {"power_mw": 2, "energy_mwh": 4, "target": "demand"}   # the tester's Phoenix case


def hand_factors(r=0.08, e=0.03, i=0.025, n=15):
    """(L_save, L_om) by the geometric series' closed form (module docstring)."""
    def pv_factor(g):
        q = (1 + g) / (1 + r)
        return (1 - q ** n) / (1 - q) / (1 + r)
    return pv_factor(e), pv_factor(i)


def hand_battery_cost(kwh, usd_per_kwh=400.0, om_frac=0.02, **rates):
    l_save, l_om = hand_factors(**rates)
    capex = kwh * usd_per_kwh
    return (capex + om_frac * capex * l_om) / l_save


def _phx(tmp_path, name="phx-bat", battery=BATTERY, **sections):
    extra = {"interconnection": {"battery": dict(battery)}} if battery else {}
    return load_site(bundled_site_copy(tmp_path, "phoenix-az", name, **extra, **sections))


def test_factors_and_the_phoenix_battery_cost_by_hand(tmp_path):
    l_save, l_om = hand_factors()
    assert (l_save, l_om) == pytest.approx((10.1773, 9.8807), abs=1e-4)
    c = battery_annual_cost(_phx(tmp_path))
    assert c["life_years"] == 15.0 and c["energy_kwh"] == 4000.0
    assert c["capex_usd"] == pytest.approx(1.6e6, rel=1e-12)
    assert c["om_usd"] == pytest.approx(32_000.0, rel=1e-12)
    assert (c["saving_factor"], c["om_factor"]) == pytest.approx((l_save, l_om), rel=1e-12)
    assert c["annual_cost_usd"] == pytest.approx(hand_battery_cost(4000), rel=1e-12)
    assert c["annual_cost_usd"] == pytest.approx(188_280, abs=1)
    # a year-1 saving equal to this cost is a battery whose life NPV is 0
    assert c["annual_cost_usd"] * l_save == pytest.approx(1.6e6 + 32_000 * l_om, rel=1e-12)
    assert c["sources"]["battery_usd_per_kwh"] == "data/costs.csv battery_usd_per_kwh"
    assert c["sources"]["maintenance_facility_frac"] == "data/costs.csv maintenance_facility_frac"
    assert c["sources"]["energy_kwh"] == "site.interconnection.battery.energy_mwh x 1000"


def test_no_escalation_no_inflation_is_capex_times_crf_plus_om(tmp_path):
    site = _phx(tmp_path, name="phx-flat", finance={"costs": {"electricity_escalation_frac": 0.0,
                                                              "inflation_frac": 0.0}})
    assert battery_annual_cost(site)["annual_cost_usd"] == pytest.approx(
        1.6e6 * 0.08 / (1 - 1.08 ** -15) + 32_000, rel=1e-12)


def test_site_cost_overrides_and_no_battery(tmp_path):
    site = _phx(tmp_path, name="phx-cheap", finance={"costs": {"battery_usd_per_kwh": 250.0,
                                                               "maintenance_facility_frac": 0.01}})
    c = battery_annual_cost(site)
    assert c["annual_cost_usd"] == pytest.approx(hand_battery_cost(4000, 250.0, 0.01), rel=1e-12)
    assert c["sources"]["battery_usd_per_kwh"] == "site.finance.costs.battery_usd_per_kwh"
    none = battery_annual_cost(_phx(tmp_path, name="phx-none", battery=None))
    assert none["annual_cost_usd"] == 0.0 and none["capex_usd"] == 0.0 and none["energy_kwh"] == 0.0
    assert none["sources"]["energy_kwh"] == "site: no interconnection.battery section (0)"
    for sid in ("research-triangle-nc", "northern-virginia", "phoenix-az", "chicago-il"):  # no bundled battery
        assert battery_annual_cost(load_portfolio()[sid])["annual_cost_usd"] == 0.0


def test_the_finance_inputs_read_are_those_a_sweep_does_not_warn_about(tmp_path):
    from dcplan.sweep_spec import CASE_FIGURES_FINANCE
    src = battery_annual_cost(_phx(tmp_path))["sources"]
    assert {f"finance.costs.{k}" for k in src if k != "energy_kwh"} <= CASE_FIGURES_FINANCE


def test_a_battery_that_does_not_pay_now_costs_more_than_none(tmp_path):
    """The tester's Phoenix 2 MW / 4 MWh demand battery: it lowers the bill, so on the bill (and the
    old electricity cost, bill + PV) it looked cheaper; with its own cost a year it is dearer, by
    exactly its cost less its bill saving."""
    with_bat = pipeline.case_figures(_phx(tmp_path))
    without = pipeline.case_figures(_phx(tmp_path, name="phx-none", battery=None))
    cost = hand_battery_cost(4000)
    saving = without["bill_usd"] - with_bat["bill_usd"]
    assert 0 < saving < cost                                       # it saves, but less than it costs
    assert with_bat["battery_annual_cost_usd"] == pytest.approx(cost, rel=1e-12)
    assert without["battery_annual_cost_usd"] == 0.0
    # electricity_cost_usd = bill + PV's cost + battery's cost
    assert with_bat["electricity_cost_usd"] == pytest.approx(
        with_bat["bill_usd"] + hand_pv_cost(5000) + cost, rel=1e-12)
    assert with_bat["electricity_cost_usd"] > without["electricity_cost_usd"]
    assert with_bat["electricity_cost_usd"] - without["electricity_cost_usd"] == pytest.approx(cost - saving, rel=1e-9)
    assert with_bat["electricity_cost_usd_per_mwh_facility"] > without["electricity_cost_usd_per_mwh_facility"]
    # the bill saving is the bill without the battery less the bill with it
    y = pipeline.run_site_year(_phx(tmp_path))
    assert float(pipeline.bill_without_battery(y).total_usd) == pytest.approx(without["bill_usd"], rel=1e-12)
    y0 = pipeline.run_site_year(_phx(tmp_path, name="phx-none", battery=None))
    assert pipeline.bill_without_battery(y0) is y0.bill


def test_unit_figures_count_the_battery_cost():
    t = pd.DataFrame({"n_accelerators": [100, 100], "hours_h": [8760.0, 8760.0], "bill_usd": [876_000.0, 876_000.0],
                      "pv_annual_cost_usd": [87_600.0, 0.0], "battery_annual_cost_usd": [43_800.0, float("nan")]})
    assert unit_figures(t)["usd_per_gpu_h"].tolist() == pytest.approx([1.15, 1.0], rel=1e-12)


def test_label_names_what_is_paid_for():
    assert paid_for_text(1.0, 0.0) == "on-site PV's annualised cost"
    assert paid_for_text(1.0, 1.0) == "on-site PV's and battery's annualised cost"
    assert paid_for_text(0.0, 1.0) == "site battery's annualised cost"
    assert paid_for_text(0.0, 0.0) == "" and paid_for_text(None, None) == ""


def _two_phoenix(tmp_path):
    files = [str(bundled_site_copy(tmp_path, "phoenix-az", "phx-bat", interconnection={"battery": dict(BATTERY)})),
             str(bundled_site_copy(tmp_path, "phoenix-az", "phx-none"))]
    pf_file = tmp_path / "pf.yaml"
    pf_file.write_text(yaml.safe_dump({"name": "t", "sites": files}))
    return pf_file


@pytest.mark.slow
def test_the_verdict_ranks_the_battery_copy_last_and_says_what_it_pays_for(tmp_path):
    from dcplan.site_verdict import site_verdict
    pf = load_portfolio(_two_phoenix(tmp_path))
    v = site_verdict(pf["phx-bat"], pipeline.run_site_year(pf["phx-bat"]), pf)
    assert v.ranks["usd_per_m_tokens"] == (2, 2), v.text        # was 1 of 2 on bill + PV alone
    assert "USD per installed GPU-hour; the bill plus the on-site PV's and battery's annualised cost)" in v.text
    v0 = site_verdict(pf["phx-none"], pipeline.run_site_year(pf["phx-none"]), pf)
    assert v0.ranks["usd_per_m_tokens"] == (1, 2)
    assert "GPU-hour; the bill plus the on-site PV's annualised cost)" in v0.text


@pytest.mark.slow
def test_site_analysis_sets_the_battery_cost_beside_its_saving(monkeypatch, tmp_path):
    from conftest import run_cells_until
    import matplotlib.pyplot as plt
    import dcplan.results
    got = {}
    monkeypatch.setattr(dcplan.results, "publish",
                        lambda values, *a, **k: got.update(values) if isinstance(values, dict) else None)
    run_cells_until("site_analysis", '"electricity_usd_per_gpu_h"', monkeypatch, site="phx-bat",
                    portfolio=str(_two_phoenix(tmp_path)))
    plt.close("all")
    cost = hand_battery_cost(4000)
    assert got["battery_annual_cost_usd"][0] == pytest.approx(cost, rel=1e-12)
    assert got["battery_annual_cost_usd"][2].startswith(
        "Site battery's cost a year, in year-1 terms: (capex 1,600,000 USD for 4,000 kWh nameplate + year-1 O&M "
        "32,000 USD x 9.881 yr) / 10.177 yr: its 15-year cost at 8 %")
    saving = got["battery_bill_saving_usd"][0]
    assert 0 < saving < cost
    assert got["battery_net_value_usd"][0] == pytest.approx(saving - cost, rel=1e-12)
    assert got["electricity_usd_per_gpu_h"][2] == ("Electricity cost per installed GPU-hour "
                                                   "(bill + on-site PV's and battery's annualised cost)")
    f = pipeline.case_figures(load_portfolio(_two_phoenix(tmp_path))["phx-bat"])
    gpu_h = f["n_accelerators"] * 8760
    assert got["electricity_usd_per_gpu_h"][0] == pytest.approx(
        (f["bill_usd"] + hand_pv_cost(5000) + cost) / gpu_h, rel=1e-12)
