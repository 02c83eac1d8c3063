"""Status, vintage and source of the TCO Assumptions rows a scenario, a model or a borrowed H100
figure sets (review of the tco export, 2026): ``input`` is only what the site or a caller gives.

Expected texts and statuses come from ``data/costs.csv`` (row ``revenue_usd_per_gpu_h``: low 1.99 =
RunPod via costnimbus.com, unverified, 2026-03), :data:`dcplan.tco_inputs.SCENARIOS` and the
vocabulary of :data:`dcplan.tco_assumptions.STATUSES`.
"""
from __future__ import annotations

import numpy as np
import pytest

from dcplan import tco, tco_export, tco_inputs
from dcplan.site import load_portfolio
from dcplan.tco_assumptions import split_source_status, tag_source
from dcplan.tco_labels import SUMMARY_LABELS, summary_label

KW = dict(n_accelerators=1000, it_capacity_kw=1000.0, it_energy_kwh=8.0e6)
BILL = np.linspace(3e5, 4e5, 12)


@pytest.fixture(scope="module")
def pf():
    return load_portfolio()


def _rows(site, **kw):
    return tco.run_tco(tco.inputs_from_site(site, **{**KW, **kw}), BILL).assumptions.set_index("key")


def _scenario_kw(name, sources=None):
    sc = tco.scenario(name)
    # the tco notebook's text before this change (tools/build_tco.py)
    src = sources if sources is not None else {k: f"scenario {name} (dcplan.tco.SCENARIOS)" for k in sc["costs"]}
    return dict(sources=src, **sc["costs"])


def test_low_price_scenario_values_keep_their_own_status(pf):
    # an H100 fleet (research-triangle-nc): no stand-in, the scenario's own provenance
    a = _rows(pf["research-triangle-nc"], **_scenario_kw("low-price"))
    rev = a.loc["revenue_usd_per_gpu_h"]
    assert rev["value"] == 1.99
    assert rev["source"].startswith("scenario low-price: data/costs.csv row revenue_usd_per_gpu_h's low (RunPod")
    assert (rev["status"], rev["vintage"]) == ("unverified", "2026-03")   # the bound's, not the row's primary
    esc = a.loc["revenue_escalation_frac"]
    assert esc["status"] == "estimate" and "dcplan's scenario assumption (dcplan.tco_inputs.SCENARIOS)" in esc["source"]
    assert "{" not in esc["source"] and "value from scenario low-price (its provenance" in esc["description"]
    # the same through scenario_sources, the text to pass
    b = _rows(pf["research-triangle-nc"], **_scenario_kw("low-price", tco_inputs.scenario_sources("low-price")))
    assert b.loc[["revenue_usd_per_gpu_h", "revenue_escalation_frac"]].equals(
        a.loc[["revenue_usd_per_gpu_h", "revenue_escalation_frac"]])


def test_high_escalation_is_the_rows_high_with_its_provenance(pf):
    # +6 %/yr sustained: data/costs.csv's high, the EIA US industrial price 2002-2008 (4.88 -> 6.82 c/kWh,
    # (6.82 / 4.88) ** (1 / 6) - 1 = 5.7 %/yr, rounded up); a one-off 15-25 % step is not a yearly rate
    assert (6.82 / 4.88) ** (1 / 6) - 1 == pytest.approx(0.057, abs=5e-4)
    r = _rows(pf["research-triangle-nc"], **_scenario_kw("high-escalation")).loc["electricity_escalation_frac"]
    assert r["value"] == 0.06 and r["status"] == "estimate" and "EIA Electric Power Monthly" in r["source"]
    assert "15-25 %/yr" not in r["source"]


def test_scenario_value_at_a_bound_takes_the_rows_provenance(monkeypatch):
    # facility_usd_per_mw low 9.3 M$/MW: Cushman & Wakefield 2025 guide, 2024-10, primary (data/costs.csv)
    monkeypatch.setitem(tco_inputs.SCENARIOS, "cheap-build", {"costs": {"facility_usd_per_mw": 9.3e6},
                                                              "delay_quantile": None})
    text, vintage, status = split_source_status(tco_inputs.scenario_source("cheap-build", "facility_usd_per_mw"))
    assert text.startswith("scenario cheap-build: data/costs.csv row facility_usd_per_mw's low (Cushman & Wakefield")
    assert (vintage, status) == ("2024-10", "primary")


def test_source_text_says_derived_or_tags_a_status():
    assert split_source_status("derived: x") == ("derived: x", None, "derived")
    assert split_source_status(tag_source("a; b", "2024-08; 2025", "secondary")) == ("a; b", "2024-08; 2025",
                                                                                      "secondary")
    with pytest.raises(ValueError, match="status must be one of"):
        tag_source("x", None, "guess")


def test_model_results_passed_as_derived_are_derived(pf):
    src = {"it_capacity_kw": "derived: dcplan.power.fleet_design_it_kw(site)",
           "wue_l_per_kwh": "derived: the site's plant model (dcplan.thermal_plant)",
           "n_accelerators": "the site's fleet count"}
    a = _rows(pf["phoenix-az"], wue_l_per_kwh=0.5, sources=src)
    assert a.loc["it_capacity_kw", ["source", "status"]].tolist() == [src["it_capacity_kw"], "derived"]
    assert a.loc["wue_l_per_kwh", ["source", "status"]].tolist() == [src["wue_l_per_kwh"], "derived"]
    assert a.loc["n_accelerators", "status"] == "input"       # no "derived: ": the caller's word, an input
    assert a.loc["it_energy_kwh", "status"] == "input"


def test_phases_from_fleet_phases_are_derived(pf):
    site = pf["phoenix-az"]
    a = _rows(site, phases=tco.fleet_phases(site.fleet))
    assert a.loc["phase1_fleet_frac", "status"] == "derived"
    assert a.loc["phase1_offset_months", "source"].startswith("derived: dcplan.tco.fleet_phases(site.fleet)")
    assert _rows(site).loc["phase1_fleet_frac", "status"] == "input"   # the default single tranche


def test_facility_energy_source_is_shown():
    inp = tco.TcoInputs(**KW)
    object.__setattr__(inp, "sources", {"facility_energy_kwh": "derived: the plant model's facility energy"})
    r = tco.assumptions_table(inp, BILL, facility_energy_kwh=1.2e7).set_index("key").loc["facility_energy_kwh"]
    assert (r["source"], r["status"]) == ("derived: the plant model's facility energy", "derived")


def test_h100_prices_standing_in_for_b200_are_estimates(pf):
    a = _rows(pf["phoenix-az"])              # hgx-b200 fleet, costs.csv defaults
    for k in ("revenue_usd_per_gpu_h", "server_usd_per_accelerator", "network_usd_per_accelerator",
              "storage_usd_per_accelerator"):
        r = a.loc[k]
        assert r["status"] == "estimate", k
        assert r["source"].startswith(f"data/costs.csv row {k}: ") and "stands in for hgx-b200" in r["source"], k
    assert a.loc["revenue_usd_per_gpu_h", "vintage"] == "2024 (valid to 2025-01-01)/2026-03"  # the row's
    # the scenario's H100 price too, keeping its source and vintage
    s = _rows(pf["phoenix-az"], **_scenario_kw("low-price")).loc["revenue_usd_per_gpu_h"]
    assert s["status"] == "estimate" and s["vintage"] == "2026-03"
    assert "RunPod" in s["source"] and "stands in for hgx-b200" in s["source"]
    # an H100 fleet keeps costs.csv's status; a price the site gives is its own
    # was "primary": the value's status only; its 1.99-6.98 range is costnimbus.com's, unverified (data/costs.csv
    # range_status; its source text says "(low/high, unverified)"), so the range's weaker status is added
    assert _rows(pf["research-triangle-nc"]).loc["revenue_usd_per_gpu_h", "status"] == "primary (range: unverified)"
    own = _rows(pf["phoenix-az"], revenue_usd_per_gpu_h=6.0).loc["revenue_usd_per_gpu_h"]
    assert own["status"] == "input" and "stands in" not in own["source"]


def test_export_summary_labels_say_scenario_date_and_utilization(pf):
    from dcplan.tco_uncertainty import monte_carlo, percentiles
    inp = tco.inputs_from_site(pf["phoenix-az"], **_scenario_kw("low-price"), **KW)
    r = tco.run_tco(inp, BILL)
    mc = percentiles(monte_carlo(inp, BILL, {"staff_fte_per_mw": ("uniform", 1.0, 3.0)}, n_draws=100, seed=1))
    summ = tco_export.workbook_frames(r, mc_percentiles=mc, scenario="low-price")["Summary"].set_index("key")
    npv = summ.loc["npv_usd", "label"]
    assert "scenario low-price" in npv and f"valued at the project start, {r.calendar_months[0]}" in npv
    u = r.summary["utilization_frac"]
    assert summ.loc["usd_per_gpu_hour", "label"] == f"{SUMMARY_LABELS['usd_per_gpu_hour']} at {u:.0%} utilization"
    assert "every input at the low-price scenario's value" in summ.loc["npv_usd", "note"]
    assert "base value" not in summ.loc["npv_usd", "note"]
    base = tco_export.workbook_frames(r, mc_percentiles=mc)["Summary"].set_index("key")
    assert "every input at its base value" in base.loc["npv_usd", "note"]
    assert summary_label("npv_usd") == SUMMARY_LABELS["npv_usd"][:-1] + "; valued at the project start)"


def test_a_given_value_equal_to_the_default_says_so(pf):
    """Phoenix's file sets discount_rate_frac 0.08, the data/costs.csv value: the row read "not the
    data/costs.csv default (0.08 frac/yr)"; a derived value reads "value from dcplan...", not "from derived: ..."."""
    a = _rows(pf["phoenix-az"], wue_l_per_kwh=0.5, sources={"wue_l_per_kwh": "derived: the plant model"})
    assert tco.load_costs().loc["discount_rate_frac", "value"] == 0.08
    assert a.loc["discount_rate_frac", "description"].endswith("; equal to the data/costs.csv default")
    assert "not the data/costs.csv default (" in a.loc["wue_l_per_kwh", "description"]
    assert "value from the plant model;" in a.loc["wue_l_per_kwh", "description"]


def test_the_bill_of_a_modelled_load_is_derived_and_a_given_number_an_input(pf):
    """About 130 rows of bills (year 1, each month, each PV age) read "input" beside the
    "derived" IT energy of the same modelled load."""
    import pandas as pd

    class Bill:  # a tariff's bill of a load, duck-typed as dcplan.tariff's
        monthly = pd.DataFrame({"total_usd": np.full(12, 1000.0)})
        total_usd = 12000.0
    inp = tco.inputs_from_site(pf["phoenix-az"], **KW)
    billed = tco.run_tco(inp, Bill()).assumptions.set_index("key")
    assert billed.loc["electricity_typical_year_usd", "status"] == "derived"
    assert billed.loc["electricity_typical_year_month07_usd", "status"] == "derived"
    given = tco.run_tco(inp, 12000.0).assumptions.set_index("key")
    assert given.loc["electricity_typical_year_usd", "status"] == "input"
