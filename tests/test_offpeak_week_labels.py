"""The off-peak notebook's week figures say what they are.

A black-box run (phoenix-az, defaults) found: the week saving (27,423 USD) was 27,045 USD of a
whole month's demand charge, unlabelled; "peak reduction" -99 kW was the all-hours site peak
while the billed (on-peak, after PV) demand fell 1,428 kW; the week shown was not named when
week_start was empty; "over 1 weeks"; "on-site PV and battery" for a site without a battery;
"filled 0%" for a small utilisation_frac, which published the asked fill, not the mix's.
"""
from __future__ import annotations

import json
import re

import pytest

from dcplan import pipeline
from dcplan.site import load_portfolio
from tests.conftest import ROOT, papermill_execute


@pytest.mark.slow
def test_offpeak_week_figures_name_the_month_the_billed_demand_and_the_week(tmp_path):
    from dcplan.results import collect
    out = tmp_path / "nb.ipynb"
    papermill_execute(ROOT / "notebooks" / "offpeak_scheduling.ipynb", out,
                      parameters={"site": "phoenix-az", "rolling_weeks": 1}, cwd=str(ROOT / "notebooks"))
    nb = json.loads(out.read_text())
    res = collect(nb)
    text = "".join("".join(o.get("text", "")) for c in nb["cells"] if c["cell_type"] == "code"
                   for o in c.get("outputs", []))

    # the week: week_start empty, so the Monday on or after 14 July of the weather year 2025: Monday 14 July
    assert res["week_start"]["value"] == "2025-07-14"
    # local midnight to local midnight (Arizona keeps no DST: 168 h; tests/test_schedule_local_week.py)
    assert "Week shown: Mon 14 Jul 2025 00:00 to Mon 21 Jul 2025 00:00 local time, 168 h (week_start empty" in text

    # the week's bills charge July's whole demand charge and APS's per-day fixed charge for the week's 7 days
    # (3.307 $/day x 7 = 23.149 USD, as a utility bills a part month): every week bill figure says so
    for key in ("week_bill_optimized_usd", "week_saving_vs_asap_usd", "week_saving_vs_greedy_usd",
                "extra_bill_quarter_slack_usd", "saving_double_spread_usd"):
        assert ("the week's energy + the whole month's demand charges of billing month 2025-07; its fixed charge "
                "(3.307 $/day) for the week's days only") in res[key]["label"], key
    # the saving's parts: energy + demand = the whole (fixed charges equal; abs: float sums of bills)
    parts = res["week_saving_energy_vs_asap_usd"]["value"] + res["week_saving_demand_vs_asap_usd"]["value"]
    assert parts == pytest.approx(res["week_saving_vs_asap_usd"]["value"], abs=1e-6)

    # billed demand: APS E-32 TOU-L bills one priced TOU demand period (on-peak) with no ratchet, so the
    # demand part of the saving is its rate x the billed demand's reduction (rel: float products)
    tariff = pipeline.site_tariff(load_portfolio()["phoenix-az"])
    assert tariff.flat_rate is None and tariff.ratchet_frac is None
    rates = tariff.demand_rate[:, 0]
    assert (rates > 0).sum() == 1
    red = res["week_billed_demand_reduction_kw"]
    assert res["week_saving_demand_vs_asap_usd"]["value"] == pytest.approx(red["value"] * rates.max(), rel=1e-9)
    # its one demand charge, named with its hours and rate (data/tariffs/aps-az-e32-tou-l.json: period 1 at weekday
    # start hours 15-19, 18.941 $/kW)
    assert ("(the TOU demand charge of period 1 (weekdays 15:00-20:00), 18.941 $/kW-month: the tariff's one demand "
            "charge on the site's own peak; grid import after on-site PV in its hours") in red["label"]
    assert res["week_billed_demand_tou_1_asap_kw"]["value"] - res["week_billed_demand_tou_1_optimized_kw"]["value"] \
        == pytest.approx(red["value"], abs=1e-9)
    assert "site load over all hours, before on-site PV; not what the tariff bills" in \
        res["week_peak_reduction_kw"]["label"]

    # run-ASAP's burst in numbers: at Phoenix its site load never reaches the site cap (a label said "its demand sits
    # at the cap"; an audit found it 1,462 kW below the cap at its closest); the peak it names is the week's printed
    # site peak (all hours, before PV), and the closest approach lies between 0 and cap - peak
    peak = float(re.search(r"Site peak \(all hours, before PV\): run-ASAP ([\d,.]+) kW", text)[1].replace(",", ""))
    burst = re.search(r"run-ASAP's site load \(all hours, before PV\) peaks at ([\d,]+) kW, ([\d,]+) kW below the "
                      r"site cap at its closest; the optimized schedule's at ([\d,]+) kW",
                      res["week_saving_vs_asap_usd"]["label"])
    assert burst and float(burst[1].replace(",", "")) == round(peak)
    assert 1000 < float(burst[2].replace(",", "")) and "sits at the cap" not in res["week_saving_vs_asap_usd"]["label"]
    # the optimized schedule's all-hours peak is above run-ASAP's here (it moves work out of the on-peak demand
    # window, 15:00-20:00): said, so a reader does not look for a burst the optimized schedule lacks
    opt = float(re.search(r"Site peak \(all hours, before PV\): run-ASAP [\d,.]+ kW, optimized ([\d,.]+) kW", text)[1]
                .replace(",", ""))
    assert opt > peak and float(burst[3].replace(",", "")) == round(opt)
    assert f"the optimized schedule's at {opt:,.0f} kW (higher: it moves work into hours a demand charge measures " \
        "less or not at all)" in res["week_saving_vs_asap_usd"]["label"]

    # what run-ASAP is, and "largely" its burst only where more than half of the demand part is (an audit: the label
    # said so where 43 % of it was): the part above the site's billed demand over the demand part, both published
    label = res["week_saving_vs_asap_usd"]["label"]
    frac = res["week_demand_saving_above_site_usd"]["value"] / res["week_saving_demand_vs_asap_usd"]["value"]
    assert ("(run-ASAP: the jobs in deadline order, each at full power from its earliest start in the first intervals "
            "the site's limits leave room; run-ASAP's site load") in label and "at once" not in label
    assert ("is largely (" in label) == (frac > 0.5), (frac, label)

    # greedy's bill (the optimized bill + the saving vs greedy) against the site's own over the week, both published
    # (the site's at 15 min, as the schedules': tests/test_schedule_site_step.py): the label's figure and direction
    greedy_bill = res["week_bill_optimized_usd"]["value"] + res["week_saving_vs_greedy_usd"]["value"]
    gap = greedy_bill - res["week_site_bill_pv_no_battery_usd"]["value"]
    assert (f"greedy's bill is {abs(gap):,.0f} USD {'above' if gap >= 0 else 'below'} the site's own modelled bill "
            "over the same hours (after PV, no battery, at 15 min)") in res["week_saving_vs_greedy_usd"]["label"]
    assert "week_demand_saving_vs_greedy_above_site_usd" in res
    assert "at 15 min" in res["week_demand_saving_above_site_usd"]["label"]

    # one rolling week: singular
    labels = " ".join(str(r.get("label", "")) for r in res.values())
    assert "over 1 week " in labels and "1 weeks" not in labels and "1 weeks" not in text
    # Phoenix has on-site PV and no battery: the site's bill says only that
    assert "fleet model IT, on-site PV, no battery)" in res["site_bill_same_weeks_usd"]["label"]
    assert "without its on-site PV (it has no battery)" in res["site_bill_no_pv_same_weeks_usd"]["label"]

    # the fill: asked 0.2 (the site's: (0.6 - 0.5) / 0.5), achieved by the 200 whole-accelerator jobs within
    # 0.5 % of it (tests/test_schedule_generate.py bounds the rounding)
    assert res["flex_fill_frac"]["value"] == pytest.approx(0.2, rel=1e-12)
    assert "utilisation_frac" not in res  # the fleet's share sold, in interconnection and tco: not this fill
    assert res["flex_fill_frac"]["label"].startswith(
        "Share of the flexible capacity the job mix is asked to fill (the notebook parameter utilisation_frac, not a "
        "fleet utilisation; the site's: the fleet runs at its fleet.utilisation_frac 0.6 = must-run 0.5 + 0.5 x 0.2; ")
    assert res["week_fill_achieved_frac"]["value"] == pytest.approx(0.2, rel=5e-3)
    assert re.search(r"filling 0\.\d+ of the flexible 2,893 kW over the week \(asked 0\.2\)", text)
