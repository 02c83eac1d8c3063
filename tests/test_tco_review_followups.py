"""Follow-ups of a TCO audit: what the render's terminal summary shows of a TCO run, where the Sensitivity sheet's
ranges come from, the status of a site value that is dcplan's own estimate, and one name for the revenue input.

1. The summary showed a run's first three headlines: for the tco notebook the NPV at the site's median grid delay,
   the NPV at the planned dates (about the 98th percentile of its own Monte Carlo) and the chance of those dates;
   the Monte Carlo median NPV and P(NPV < 0) (47-83 % at the bundled sites) never reached the log.
2. The Sensitivity sheet/CSV had no range source: it was on the Assumptions sheet and in the report only.
3. The bundled sites' discount rate, 0.08 = data/costs.csv's "no primary WACC found" estimate, read ``input``.
4. The revenue input was "price per accelerator-hour sold [USD/GPU-h]", everywhere else "price per GPU-hour".
"""
from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest

from dcplan import tco
from dcplan.report_summary import MAX_HEADLINES, headline_lines, summary_records
from dcplan.results import format_value, record
from dcplan.tco import TcoInputs, run_tco
from dcplan.tco_assumptions import INPUT_EQUALS_ESTIMATE
from dcplan.tco_range_source import SITE_RANGE_STATUS

ROOT = Path(__file__).resolve().parents[1]


def _h(key, value, unit, label, **kw):
    return {"key": key, "value": value, "unit": unit, "label": label, "headline": True, **kw}


# the bundled Chicago run's headlines in publish order (values from a render of this branch, labels cut short;
# the NPVs re-rendered since the sun of the sunrise and sunset hours sits at the midpoint of their sunlit part,
# and since the water line split into water and sewer at the City of Chicago's rates, 2.579 USD/m3 together for
# data/costs.csv's former 3.0: NPV +125,342 USD, the Monte Carlo another draw stream, data/SOURCES.md)
TCO_HEADS = [
    _h("npv_grid_delay_p50_usd", 122377934.8, "USD", "NPV after tax at the site's median grid delay (29 months)"),
    _h("npv_usd", 214098966.7, "USD", "NPV after tax, deterministic case (scenario base)"),
    _h("npv_case_grid_on_time_frac", 0.0, "frac", "Chance the grid model gives power by the dates npv_usd takes"),
    _h("residual_sale_pv_usd", 35991817.3, "USD", "Residual sale at the horizon, present value"),
    _h("usd_per_gpu_hour", 3.2374, "USD/GPU-h", "Levelized total cost per GPU-hour sold at 70% utilization"),
    _h("mc_npv_p50_usd", -3344742.8, "USD",
       "NPV, Monte Carlo median (50th percentile; every draw valued at the base case's project start)", summary=True),
    _h("mc_prob_npv_negative_frac", 0.5129, "frac", "Probability NPV < 0 in the Monte Carlo (share of its draws)",
       summary=True),
    _h("mc_npv_base_percentile_frac", 0.9828, "frac", "Base case's NPV as a percentile of the Monte Carlo NPVs"),
]


def test_the_summary_shows_the_first_npv_then_the_monte_carlo_median_and_chance_of_loss():
    keys = [r["key"] for r in summary_records(TCO_HEADS)]
    # by the rule: the first headline, then those marked summary in publish order, at most 3
    assert MAX_HEADLINES == 3
    assert keys == ["npv_grid_delay_p50_usd", "mc_npv_p50_usd", "mc_prob_npv_negative_frac"]
    lines = headline_lines(TCO_HEADS, format_value, 96)
    assert lines == ["NPV after tax at the site's median grid delay: 122,377,935 USD",
                     "NPV, Monte Carlo median: -3,344,743 USD",
                     "Probability NPV < 0 in the Monte Carlo: 51.3 %"]


def test_a_run_that_marks_nothing_keeps_its_first_three_headlines():
    plain = [{k: v for k, v in r.items() if k != "summary"} for r in TCO_HEADS]
    assert [r["key"] for r in summary_records(plain)] == ["npv_grid_delay_p50_usd", "npv_usd",
                                                          "npv_case_grid_on_time_frac"]
    # a marked figure is never put before the run's first headline, and non-headlines stay out
    recs = [dict(TCO_HEADS[5]), {"key": "x", "headline": False, "summary": True}, TCO_HEADS[0]]
    assert [r["key"] for r in summary_records(recs)] == ["mc_npv_p50_usd", "npv_grid_delay_p50_usd"]


def test_a_summary_record_is_a_headline_and_other_records_are_unchanged():
    assert record("mc_prob_npv_negative_frac", 0.5, summary=True) == {
        "key": "mc_prob_npv_negative_frac", "value": 0.5, "unit": "frac", "label": "mc_prob_npv_negative_frac",
        "headline": True, "summary": True}
    # without it: the record (and so results.json) has exactly its former keys
    assert set(record("a_h", 1.0, headline=True)) == {"key", "value", "unit", "label", "headline"}


def test_the_tco_notebook_marks_its_monte_carlo_median_and_chance_of_loss():
    nb = json.loads((ROOT / "notebooks" / "tco.ipynb").read_text(encoding="utf-8"))
    src = "\n".join("".join(c["source"]) for c in nb["cells"] if c["cell_type"] == "code")
    for key in ("mc_npv_p50_usd", "mc_prob_npv_negative_frac"):
        call = src[src.index(f'publish("{key}"'):]
        call = call[:call.index(")\n") + 1]
        assert "summary=True" in call, key
    assert src.count(", summary=True)") == 2  # those two only


# 2. the Sensitivity sheet's range source and status ------------------------------------------------------------

def _case(**kw):
    return TcoInputs(n_accelerators=64, it_capacity_kw=100.0, it_energy_kwh=7.0e5, **kw)


def test_the_sensitivity_sheet_names_each_ranges_source_and_status():
    from dcplan import tco_export
    from dcplan.tco_uncertainty import tornado
    inp = _case(ranges={"electricity_cost_mult": (0.8, 1.45, "rate case filed 2026")})
    tr = tornado(inp, 50_000.0)
    sens = tco_export.workbook_frames(run_tco(inp, 50_000.0), tornado=tr)["Sensitivity"].set_index("input")
    assert {"range_source", "range_status"} <= set(sens.columns)
    costs = tco.load_costs()
    # the price per GPU-hour: AWS's primary price, costnimbus.com's unverified range (data/costs.csv range_status)
    rev = sens.loc["revenue_usd_per_gpu_h"]
    assert costs.loc["revenue_usd_per_gpu_h", "range_status"] == "unverified"
    assert rev["range_status"] == "unverified"
    assert rev["range_source"].startswith("data/costs.csv row revenue_usd_per_gpu_h: AWS EC2 Capacity Blocks")
    # the site's own range: its status and its source text
    own = sens.loc["electricity_cost_mult"]
    assert own["range_status"] == SITE_RANGE_STATUS
    assert "site.finance.ranges.electricity_cost_mult" in own["range_source"]
    assert own["range_source"].endswith("rate case filed 2026")
    # a range as well sourced as its value: the row's status (a blank range_status in data/costs.csv)
    assert sens.loc["staff_usd_per_fte", "range_status"] == costs.loc["staff_usd_per_fte", "status"] == "estimate"
    # every input of the tornado has both
    assert (sens["range_source"] != "").all() and (sens["range_status"] != "").all()


def test_the_sensitivity_csv_has_the_columns(tmp_path):
    from dcplan import tco_export
    from dcplan.tco_uncertainty import tornado
    inp = _case()
    tco_export.write_csvs(run_tco(inp, 50_000.0), tmp_path, tornado=tornado(inp, 50_000.0))
    with open(tmp_path / "tco_sensitivity.csv", encoding="utf-8-sig") as f:
        rows = list(csv.DictReader(f))
    assert rows and {"range_source", "range_status"} <= set(rows[0])
    by = {r["input"]: r for r in rows}
    assert by["revenue_usd_per_gpu_h"]["range_status"] == "unverified"
    assert by["facility_usd_per_mw"]["range_source"].startswith("data/costs.csv row facility_usd_per_mw: Cushman")


def test_a_range_scaled_or_widened_says_so_with_the_rows_ends():
    from dcplan.tco_tornado_table import range_sources
    inp = _case(costs={"discount_rate_frac": 0.15})  # above the row's 0.055-0.12: widened to contain it
    (text,) = range_sources({"discount_rate_frac": (0.055, 0.15)}, inp)
    assert text.endswith("the row's range 0.055-0.12, swung over 0.055-0.15: widened to contain the case's value")
    (same,) = range_sources({"staff_usd_per_fte": (90000.0, 160000.0)}, _case())
    assert same == f"data/costs.csv row staff_usd_per_fte: {tco.load_costs().loc['staff_usd_per_fte', 'source']}"


# 3. a site's value equal to dcplan's estimate --------------------------------------------------------------------

def _status(key, value, source):
    inp = _case(costs={key: value}, sources={key: source})
    a = run_tco(inp, 50_000.0).assumptions.set_index("key")
    return a.loc[key, "status"]


def test_a_site_value_equal_to_an_estimate_default_says_so():
    costs = tco.load_costs()
    assert costs.loc["discount_rate_frac", "value"] == 0.08 and costs.loc["discount_rate_frac", "status"] == "estimate"
    assert _status("discount_rate_frac", 0.08, "site.finance.discount_rate_frac") == INPUT_EQUALS_ESTIMATE
    assert INPUT_EQUALS_ESTIMATE == "input (equals dcplan's estimate default)"
    assert _status("discount_rate_frac", 0.09, "site.finance.discount_rate_frac") == "input"
    # equal to a default that is sourced (the federal 21 %, primary): a plain input
    assert costs.loc["tax_rate_frac", "status"] == "primary"
    assert _status("tax_rate_frac", 0.21, "site.finance.tax_rate_frac") == "input"
    # a scenario's own value (the base case's planned dates: 0 months) is the scenario's, not the estimate
    assert _status("delay_months", 0.0, "scenario base: no grid delay, the planned energization dates") == "input"


# 4. one name for the revenue input --------------------------------------------------------------------------------

def test_the_revenue_input_is_the_price_per_gpu_hour_sold():
    from dcplan.tco_cost_table import COST_QUANTITIES
    from dcplan.tco_labels import input_label
    assert input_label("revenue_usd_per_gpu_h", "USD/GPU-h") == "price per GPU-hour sold [USD/GPU-h]"
    assert str(tco.load_costs().loc["revenue_usd_per_gpu_h", "description"]).startswith("Price per GPU-hour sold")
    assert not [k for k, v in COST_QUANTITIES.items() if "accelerator-hour" in v]


@pytest.mark.parametrize("key", ["revenue_usd_per_gpu_h"])
def test_the_assumptions_row_names_the_revenue_as_its_label_does(key):
    inp = _case(costs={key: 5.0}, sources={key: "site.finance.revenue_usd_per_gpu_h"})
    what = run_tco(inp, 50_000.0).assumptions.set_index("key").loc[key, "description"]
    assert what.startswith("Price per GPU-hour sold") and "accelerator-hour" not in what


# 5. the grid delay's month ----------------------------------------------------------------------------------------

def test_the_grid_delay_is_calendar_months_as_documented():
    """The delay is dcplan.grid's time to power less the plan's months from filing, both calendar months from the
    filing date; the 30.4375-day reading differs (Chicago 28.794 vs 28.883) and is stated, not used."""
    import pandas as pd

    from dcplan import grid
    from dcplan.site import load_site
    ic = load_site("chicago-il").interconnection
    filed, planned = pd.Timestamp(ic.filed), pd.Timestamp("2026-03-01")
    assert (filed, min(pd.Timestamp(p.energized) for p in ic.phases)) == (pd.Timestamp("2025-02-01"), planned)
    lead = grid.planned_lead_months(ic)
    assert lead == 13.0  # 2025-02-01 to 2026-03-01: 13 calendar months exactly
    t50 = float(grid.time_to_power(ic, quantiles=[0.5])["time_to_power_months"].iloc[0])
    d50 = float(grid.energization_delay_months(ic, quantiles=[0.5]).iloc[0])
    assert d50 == pytest.approx(t50 - 13.0, abs=1e-12) and round(d50, 3) == 28.794
    # its date: filing + T calendar months, the same as planned + the delay from the filing's months
    assert grid._add_months(filed, lead + d50) == grid._add_months(filed, t50) == pd.Timestamp("2028-07-26")
    # the 30.4375-day reading: 393 days = 12.91 such months, so 28.883; documented where the model is
    assert (planned - filed).days == 393
    assert round(t50 - 393 / (365.25 / 12), 3) == 28.883
    doc = grid.__doc__
    assert "One month, stated once" in doc and "28.794" in doc and "28.883" in doc
    assert "One month, stated once" in (ROOT / "docs" / "glossary.md").read_text(encoding="utf-8")


def test_a_callers_range_of_an_input_without_a_costs_row_is_not_called_held():
    from dcplan.tco_uncertainty import tornado
    tr = tornado(_case(), 50_000.0, ranges={"utilization_frac": (0.5, 0.9)})
    assert tr.attrs["range_status"] == {"utilization_frac": "input"}
    assert tr.attrs["range_source"]["utilization_frac"].startswith("the caller's range")


def test_the_sensitivity_note_does_not_repeat_the_sites_own_range_source():
    # The note column repeated a site's own range text (field, ends, source) that range_source gives: each column
    # now says one thing. Here the site's own range on the electricity multiplier (a real swing: the note is
    # empty) and on the electrical share of the facility capex (it only splits one capex between plants of the
    # same lives: no effect, so the note says why its swing reads 0: what only the note says).
    from dcplan import tco_export
    from dcplan.tco_range_source import range_source_text
    from dcplan.tco_uncertainty import tornado
    inp = _case(ranges={"electricity_cost_mult": (0.8, 1.45, "rate case filed 2026"),
                        "facility_electrical_frac_of_critical": (0.5, 0.7, "vendor quote")})
    sens = tco_export.workbook_frames(run_tco(inp, 50_000.0), tornado=tornado(inp, 50_000.0))["Sensitivity"]
    sens = sens.set_index("input")
    for k in ("electricity_cost_mult", "facility_electrical_frac_of_critical"):
        own = range_source_text(inp, k)
        assert own.endswith(("rate case filed 2026", "vendor quote"))
        assert sens.loc[k, "range_source"] == own  # the range's words, in their own column
        assert own not in sens.loc[k, "note"] and "finance.ranges" not in sens.loc[k, "note"]
    assert sens.loc["electricity_cost_mult", "note"] == ""
    assert sens.loc["facility_electrical_frac_of_critical", "swing"] == 0.0
    assert sens.loc["facility_electrical_frac_of_critical", "note"].startswith("no effect: the metric moves by at most")
    # a tornado frame that recorded no sources (a caller's own frame) still names the site's range in the note
    tr = tornado(inp, 50_000.0)
    for a in ("range_source", "range_status"):
        del tr.attrs[a]
    bare = tco_export.workbook_frames(run_tco(inp, 50_000.0), tornado=tr)["Sensitivity"].set_index("input")
    assert "range_source" not in bare.columns
    assert bare.loc["electricity_cost_mult", "note"] == range_source_text(inp, "electricity_cost_mult")
