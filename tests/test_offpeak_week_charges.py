"""The off-peak notebook: each demand charge, the local week, the monthly charges and the run-ASAP figures.

A black-box run found (repro: research-triangle-nc and phoenix-az at the defaults and at
``-p utilisation_frac 1``):

* under Duke OPT-V (all-hours 3.63 and on-peak 16.5 $/kW-month) "reduction in billed demand" was the
  all-hours charge's 995.5 kW (3,614 USD) while the on-peak demand fell 3,142 kW (51,846 USD);
* a week across a clock change was 168 absolute hours, not Monday 00:00 to Monday 00:00, and its label
  said "Mon ... to Sun ..." all the same;
* the week's bill holds each billing month's whole fixed charge, and its label did not say so;
* at utilisation_frac 1 run-ASAP left jobs unplaced, yet its bill was published as "Run-ASAP bill of the
  scheduled load" beside the optimized schedule's IT energy; and ``roll.shortfall.round(1)`` leaked
  pandas' "obj.round has no effect with datetime" warning into the page.
"""
from __future__ import annotations

import json
import re

import pytest

from dcplan import pipeline, power
from dcplan.site import load_portfolio
from tests.conftest import DATA, ROOT, papermill_execute


def _run(tmp_path, **parameters):
    from dcplan.results import collect
    out = tmp_path / "nb.ipynb"
    papermill_execute(ROOT / "notebooks" / "offpeak_scheduling.ipynb", out, parameters=parameters,
                      cwd=str(ROOT / "notebooks"))
    nb = json.loads(out.read_text())
    text = "".join("".join(o.get("text", "")) + "".join(o.get("data", {}).get("text/plain", ""))
                   for c in nb["cells"] if c["cell_type"] == "code" for o in c.get("outputs", []))
    return collect(nb), text


@pytest.mark.slow
def test_each_demand_charge_of_a_two_charge_tariff_is_published(tmp_path):
    res, text = _run(tmp_path, site="research-triangle-nc", rolling_weeks=1)
    # data/tariffs/duke-nc-opt-tou.json, by hand: the all-hours charge 3.63 $/kW, TOU period 1 16.5 $/kW in
    # July (weekday start hours 13-20); period 0 is priced at 0
    j = json.loads((DATA / "tariffs" / "duke-nc-opt-tou.json").read_text())
    j = j["items"][0] if "items" in j else j
    flat = j["flatdemandstructure"][j["flatdemandmonths"][6]][0]["rate"]
    onpk = j["demandratestructure"][1][0]["rate"]
    assert (flat, onpk) == (3.63, 16.5)
    assert [h for h, p in enumerate(j["demandweekdayschedule"][6]) if p == 1] == list(range(13, 21))
    # each charge's saving is its rate x its billed demand's cut (no tiers, no ratchet, one month; rel: float
    # products), and the two add up to the demand part of the saving
    parts = {}
    for key, rate in (("all_hours", flat), ("tou_1", onpk)):
        a, o = (res[f"week_billed_demand_{key}_{k}_kw"]["value"] for k in ("asap", "optimized"))
        parts[key] = res[f"week_demand_saving_{key}_usd"]["value"]
        assert parts[key] == pytest.approx(rate * (a - o), rel=1e-9), key
    total = res["week_saving_demand_vs_asap_usd"]
    assert parts["all_hours"] + parts["tou_1"] == pytest.approx(total["value"], rel=1e-9)
    # period 1 applies in June-September only (the JSON's demandweekdayschedule): the label says so
    assert "(Jun-Sep weekdays 13:00-21:00), 16.5 $/kW-month" in res["week_billed_demand_tou_1_asap_kw"]["label"]
    assert "the all-hours demand charge, 3.63 $/kW-month" in res["week_billed_demand_all_hours_asap_kw"]["label"]
    # the headline: no one billed demand; the demand saving names the charge that saves most
    red = res["week_billed_demand_reduction_kw"]
    assert red["unit"] is None and red["value"].startswith("n/a: the tariff bills 2 demand charges")
    top = max(parts, key=parts.get)
    assert top == "tou_1"  # moving work out of the on-peak hours: the on-peak charge saves most
    assert (f"most of it on the TOU demand charge of period 1 (Jun-Sep weekdays 13:00-21:00), 16.5 $/kW-month: "
            f"{parts['tou_1']:,.0f} USD") in total["label"]
    # the fixed charge (350 USD a month, the JSON's fixedchargefirstmeter) is the whole month's too
    assert j["fixedchargefirstmeter"] == 350
    assert res["week_bill_optimized_usd"]["label"] == ("Week bill, optimized: the week's energy + the whole month's "
                                                       "demand and fixed charges of billing month 2025-07")


@pytest.mark.slow
def test_an_autumn_week_runs_monday_to_monday_local_and_names_both_months(tmp_path):
    res, text = _run(tmp_path, site="research-triangle-nc", week_start="2025-10-27", rolling_weeks=1)
    # the clocks go back on Sun 2 Nov 2025 (America/New_York): Mon 27 Oct 00:00 to Mon 3 Nov 00:00 is 169 h
    assert ("Week shown: Mon 27 Oct 2025 00:00 to Mon 03 Nov 2025 00:00 local time, 169 h (not 168: the clocks "
            "change in it) (week_start 2025-10-27)") in text
    assert "flexible kW x the week's 169 h" in res["week_fill_achieved_frac"]["label"]
    # the week touches October and November: each month's whole demand and fixed charges
    assert res["week_bill_optimized_usd"]["label"].endswith(
        "the whole month's demand and fixed charges of each of billing months 2025-10, 2025-11")


@pytest.mark.slow
def test_run_asap_figures_of_less_work_are_not_published_as_the_scheduled_loads(tmp_path):
    # seed 9: a week's mix that fills 0.99965 of the flexible capacity, so the week shown fits (seed 0's whole
    # accelerators of the fleet's 1.884 kW fill 1.00033 of it: more work than the week holds, refused)
    res, text = _run(tmp_path, site="phoenix-az", rolling_weeks=1, utilisation_frac=1.0, seed=9)
    assert "has no effect with datetime" not in text  # the shortfall table rounds its numbers only
    assert "job(s) left short by the rolling horizon" in text
    # run-ASAP left jobs unplaced: its bill, its bill without PV, its PV spilled and its IT are n/a, with
    # the IT energy it did against the work asked
    reason = res["rolling_asap_bill_usd"]["value"]
    m = re.fullmatch(r"n/a: run-ASAP left (\d+) of (\d+) jobs unplaced under the site limits: its load is "
                     r"([\d,.]+) of the ([\d,.]+) MWh of IT work asked \(must-run \+ jobs\), so its bill is not that "
                     r"of the scheduled work", reason)
    assert m, reason
    for key in ("rolling_asap_bill_no_pv_usd", "rolling_pv_spilled_asap_mwh", "scheduled_it_mwh"):
        assert res[key]["value"] == reason and res[key]["unit"] is None, key
    assert res["rolling_asap_bill_usd"]["headline"]
    # the work asked, by hand: must-run 0.5 x design IT for 168 h plus a job mix filling the other half
    # (whole accelerators: within 0.5 % of it, tests/test_schedule_generate.py), so 168 h x design IT
    spec = load_portfolio()["phoenix-az"]
    design_kw = power.fleet_design_it_kw(spec)
    asked = float(m.group(4).replace(",", ""))
    assert asked == pytest.approx(168 * design_kw / 1000, rel=5e-3)
    assert float(m.group(3).replace(",", "")) < asked
    # the site's figures stand (its own chain, not the schedule's)
    y = pipeline.run_site_year(spec)
    site_it = float(power.energy_from_power(y.it_kw.loc[y.weather.index[:168]]).sum()) / 1000
    assert res["site_it_mwh_same_weeks"]["value"] == pytest.approx(site_it, rel=1e-12)
