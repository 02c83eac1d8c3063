"""TCO uncertainty and throughput findings, second round (a statistician; a hardware planner).

1. Utilization (northern-virginia 0.85) was in neither the tornado nor the Monte Carlo, yet the caveat named
   only the discount rate as held. Tester's NPVs at 0.6/0.7/0.85/0.95: 112.0/281.3/535.3/704.6 M USD. No range
   is sourced (data/costs.csv has no utilization row; docs/reference-data.md only an unverified "breakeven ~70 %"),
   so the report lists every held input and shows the NPV at illustrative utilizations, labelled as such.
2. "A draw with both long [build and grid delay] counts that wait twice": the fleet's dates are fixed, a
   longer build only starts the project earlier; operations start in the same month.
3. grid-delay-p90: every draw holds the delay at the p90, but the headline labels did not say so, and the
   base case was called "an optimistic outcome of these ranges".
4. The tornado's delay range was "the site's own grid delay, 10th-90th percentile" in the sources table while
   its low was the case's 0 months.
5. No sampling error: P(NPV < 0)'s binomial standard error, the median's distribution-free interval, a
   warning when n_draws leaves the probability's error above 0.01.
6./8. Per-token figures at the H100's throughput for B200/H200/MI300X say so; stand-in NPVs of different
   hardware do not compare (one sentence in the caveat); the index marks them.
"""
from __future__ import annotations

import math
import re
import warnings
from datetime import date
from pathlib import Path

import numpy as np
import pytest

from dcplan import tco
from dcplan.errors import DcplanWarning
from dcplan.site import load_portfolio
from dcplan.tco import TcoInputs, run_tco
from dcplan.tco_mc_notes import (SITE_FACTS_HELD, held_inputs_note, mc_label, scenario_held_text, utilization_figures,
                                 utilization_note, utilization_npvs)
from dcplan.tco_notes import base_percentile_note
from dcplan.tco_sampling import check_sampling, draws_for_se, median_interval, prob_se, sampling_figures
from dcplan.tco_uncertainty import default_distributions

ROOT = Path(__file__).resolve().parents[1]
KW = dict(n_accelerators=4096, it_capacity_kw=5616.0, it_energy_kwh=4.2e7)
NOT_COMPARABLE = ("so {} of fleets of different hardware are not comparable (they differ by power and counts, "
                  "not by their own economics)")


@pytest.fixture(scope="module")
def pf():
    return load_portfolio()


def _revenue_only(horizon_years=2, **kw):
    """No cost, no tax, no build: the NPV is the discounted revenue, n x u x hours x price."""
    c = {k: 0.0 for k in tco.load_costs().index}
    c.update(facility_shell_frac=0.5, facility_electrical_frac_of_critical=0.5, electricity_cost_mult=1.0,
             server_usd_per_accelerator=0.0, it_refresh_years=4.0, discount_rate_frac=0.10, revenue_usd_per_gpu_h=1.0)
    return TcoInputs(n_accelerators=10, it_capacity_kw=1000.0, it_energy_kwh=8.76e6, utilization_frac=0.5,
                     horizon_years=horizon_years, costs=c, **kw)


# 1. utilization -------------------------------------------------------------------------------------------

def test_utilization_npvs_are_the_model_at_each_utilization_and_scale_with_it():
    inp = _revenue_only()
    npvs = utilization_npvs(inp, 0.0, values=(0.25, 1.0))
    # revenue only: the NPV is proportional to the utilization (hand: 0.25 / 0.5 and 1.0 / 0.5 of the case's)
    base = run_tco(inp, 0.0).summary["npv_usd"]
    assert base > 0 and sorted(npvs) == [0.25, 0.5, 1.0]
    assert npvs[0.5] == pytest.approx(base, rel=1e-12)
    assert npvs[0.25] == pytest.approx(0.5 * base, rel=1e-12) and npvs[1.0] == pytest.approx(2.0 * base, rel=1e-12)
    figs = utilization_figures(npvs, 0.5)
    assert set(figs) == {"npv_utilization_25pct_usd", "npv_utilization_100pct_usd"}  # the case's is the headline
    assert figs["npv_utilization_25pct_usd"][2].startswith(
        "NPV after tax at an illustrative utilization of 25% (not a sourced range; ")


def test_the_held_list_names_utilization_the_discount_rate_and_the_scenarios_inputs(pf):
    nv = pf["northern-virginia"]
    inp = tco.inputs_from_site(nv, delay_months=52.96, **KW)
    held = ["discount_rate_frac", "delay_months"]
    note = held_inputs_note(inp, default_distributions(inp, exclude=held), "grid-delay-p90", 52.96)
    assert note == (
        "Held at the base case in the Monte Carlo (the same value in every draw): delay_months (53, set by the "
        "scenario grid-delay-p90); discount_rate_frac (it prices the risk the draws spread; the tornado swings it); "
        "utilization_frac (the site's fleet.utilisation_frac, 85%: no sourced range, so the tornado does not swing "
        f"it either; its effect at illustrative values: caveat_utilization); and the site's facts: {SITE_FACTS_HELD}.")


def test_the_utilization_note_says_illustrative_and_the_swing():
    npvs = {0.6: 112.0e6, 0.7: 281.3e6, 0.85: 535.3e6, 0.9: 620.0e6}
    note = utilization_note(npvs, 0.85)
    # swing 620.0 - 112.0 = 508.0 M USD (hand)
    assert ("NPV after tax at illustrative utilizations, not a sourced range: 60%: 112.0 M USD, 70%: 281.3 M USD, "
            "85% (the case): 535.3 M USD, 90%: 620.0 M USD; a swing of 508.0 M USD from 60% to 90%.") in note


def test_the_utilization_note_names_the_largest_bar_in_words():
    """The tornado's largest bar is named as its chart tick names it, the input key beside it (the key was
    alone before: 'maintenance_it_frac, 41.2 M USD')."""
    import pandas as pd
    tornado = pd.DataFrame({"input": ["maintenance_it_frac", "it_refresh_years"], "unit": ["frac", "yr"],
                            "swing": [41.2e6, 12.0e6]})
    note = utilization_note({0.6: 112.0e6, 0.85: 535.3e6}, 0.85, tornado)
    assert (", against the tornado's largest bar, IT maintenance and support, share of IT capex per year [frac] "
            "(maintenance_it_frac), 41.2 M USD.") in note


@pytest.mark.slow
def test_northern_virginia_notebook_reproduces_the_testers_npvs(monkeypatch):
    """The tester's NPVs at northern-virginia: 0.6 -> 112.0, 0.7 -> 281.3, 0.85 -> 535.3 M USD (facility at
    11.7 M USD/MW; its liquid-cooled figure since 2026 moves each by the hand figure below). The notebook's
    default 10,000 draws raise no sampling warning (pytest turns a DcplanWarning into an error).

    The tester counted the fleet as a continuous share of GPUs; the TCO now powers and buys whole 72-GPU
    racks (dcplan.tco_units; tests/test_tco_grid_power.py checks those), so the figures are reproduced with
    that continuous share (``fleet_phase_units`` -> None, the TCO's mode without units). The tester's figures
    were on the constant tower approach; since the plant takes the tower's approach by Merkel's method
    (2026-12) each is 0.1-0.2 M USD lower (northern-virginia's air loop rejects to a tower: a larger bill):
    regression values of the model, the tester's kept in this docstring. The tester's were at the federal 21 % tax;
    since 2026 the site sets Virginia's combined rate, 0.2574, and the expected figures move by its state tax."""
    import dcplan.tco_units
    from conftest import run_cells_until
    monkeypatch.setattr(dcplan.tco_units, "fleet_phase_units", lambda fleet: None)
    ns, _ = run_cells_until("tco", "util_npvs = utilization_npvs", monkeypatch, site="northern-virginia",
                            export_dir="")
    got = {u: round(v / 1e6, 1) for u, v in ns["util_npvs"].items()}
    # northern-virginia is liquid-cooled: since 2026 its facility costs data/costs.csv's facility_liquid_usd_per_mw,
    # 16.38 M USD/MW, not C&W's 11.7 M; every NPV moves by (16.38 - 11.7) M x its design IT MW x the NPV of one
    # USD of facility capex, by hand (tests/test_tco_liquid_capex.facility_npv_per_usd: build 12 months, 10 years,
    # 8 %, 2.5 % inflation, 21 % tax): about -59.9 M USD. Before (at 11.7 M USD/MW): 0.6 -> 111.8, 0.7 -> 281.1,
    # 0.8 -> 450.5, 0.85 -> 535.1, 0.9 -> 619.8 M USD; abs 0.06 = the old figures' rounding (0.05) and the hand
    # formula's MACRS and mid-month tables (Pub 946, rounded) against the model's (0.01)
    from test_tco_liquid_capex import facility_npv_per_usd
    moved = (16.38e6 - 11.7e6) * ns["inputs"].it_capacity_kw / 1000.0 * facility_npv_per_usd(12, 10, 0.08, 0.025, 0.21)
    old = {0.6: 111.8, 0.7: 281.1, 0.8: 450.5, 0.85: 535.1, 0.9: 619.8}
    # since 2026-12 the half-built fleet uses the PV's whole output (dcplan.tco_bill_parts.with_partial_pv_bills):
    # the tariff's own bills of max(0, 0.5 x facility - PV) save 101,964 USD a year at the 2026 prices where the
    # scaled rule saved half the full-load 108,856 (54,428): +47,536 x 1.03 = +48,962 USD in 2027 (half the fleet
    # all year) and +18,635 in 2028 (Phase 2 waits for the 2028-07 grid phase), after 21 % tax and discounted at
    # 8 % from 2026-01 (mid-2027 x 0.888, 2028 H1 x 0.838): +0.0467 M USD at every utilization (the bill does not
    # depend on it), by hand
    pv_whole_output = 0.0467e6
    # since 2026-12 the CRAH fans and loop pumps follow part-load curves (dcplan.thermal_part_load): the full fleet's
    # bill is 39,538 USD a year lower (12,365,957 -> 12,326,419 USD at the tariff's prices) and its make-up water
    # 193 m3 (42,314.5 -> 42,121.3 m3, 580 USD at 3 USD/m3): 40,118 x (1 - 0.21 tax) = 31,693 USD a year; a
    # 10-year annuity at 8 % is 6.71 years (213 k USD), less for the half-built fleet of 2027-2028 H1 and the 12-month
    # build: about +0.2 M USD at every utilization (the bill does not depend on it); the model's +0.198 M is used
    # here, the abs 0.06 holding the rest
    part_load_movers = 0.198e6
    # every figure above is at data/costs.csv's federal 21 %; since 2026 the site sets Virginia's combined rate,
    # 0.21 + 0.06 x 0.79 = 0.2574 (data/SOURCES.md). The tax is the rate times a taxable income the rate does not
    # change (dcplan.tco_cashflows), so each NPV moves by -(0.2574 - 0.21) x the PV at 8 % (month m: 1.08^(-m/12))
    # of the case's taxable income at that utilization, read from its cash-flow lines
    rate = ns["inputs"].params()["tax_rate_frac"]
    assert rate == pytest.approx(0.21 + 0.06 * (1 - 0.21), abs=1e-12)
    us = np.array(sorted(ns["util_npvs"]))
    taxable = tco.evaluate(ns["inputs"], ns["electricity"], params={"utilization_frac": us})["taxable_income_usd"]
    disc = 1.08 ** (-np.arange(1, taxable.shape[1] + 1) / 12)
    state = {float(u): (rate - 0.21) * float(taxable[i] @ disc) for i, u in enumerate(us)}
    assert {u: v / 1e6 for u, v in ns["util_npvs"].items()} == pytest.approx(
        {u: x + (moved + pv_whole_output + part_load_movers - state[u]) / 1e6 for u, x in old.items()}, abs=0.06)
    # the model's, to 0.1 M USD; at the federal 21 % (until 2026): 52.1, 221.4, 390.8, 475.4, 560.1; before the PV's
    # whole output (2026-12): 0.6 -> 51.8, 0.8 -> 390.5 (+0.047 M each); before the part-load movers (2026-12):
    # 51.9, 221.2, 390.6, 475.2, 559.9 (+0.198 M each) (the rated COP 6.28, 2026-12: 0.7 -> 196.2)
    assert got == {0.6: 37.0, 0.7: 196.2, 0.8: 355.3, 0.85: 434.9, 0.9: 514.5}
    assert "utilization_frac (the site's fleet.utilisation_frac, 85%: no sourced range" in ns["mc_held_text"]
    assert ns["n_draws"] == 10_000 and ns["p50_figs"]["mc_prob_npv_negative_se_frac"][0] < 0.01


# 2. build and delay: no wait counted twice ----------------------------------------------------------------

def test_a_longer_build_does_not_delay_operations_only_the_grid_delay_does():
    inp = _revenue_only(horizon_years=10, fleet_start=date(2027, 1, 1))
    for build in (11.0, 12.0, 26.0):
        for delay, first in ((0.0, "2027-01"), (19.0, "2028-08")):  # 2027-01 + 19 months = 2028-08 (hand)
            r = run_tco(inp.with_costs(build_months=build, delay_months=delay), 0.0)
            assert str(r.calendar_months[int(r.summary["operations_start_month"])]) == first, (build, delay)
    # the tco notebook's builder and the cells it takes from tools/tco_uncertainty_cells.py (split 2026-12)
    text = "".join((ROOT / "tools" / f).read_text() for f in ("build_tco.py", "tco_uncertainty_cells.py"))
    assert "wait twice" not in text and "conservative side" not in text
    assert "no wait is counted twice" in text


# 3. what a scenario holds in every draw ------------------------------------------------------------------

def test_the_p90_scenario_labels_say_the_delay_is_held():
    held = scenario_held_text("grid-delay-p90", 52.96)
    assert held == ("the grid delay held at the site's 90th percentile (dcplan.grid), 53 months, in every draw: "
                    "scenario grid-delay-p90")
    assert scenario_held_text("base") == ""
    assert mc_label("Probability NPV < 0 (share of the Monte Carlo draws)", {"held_in_every_draw": held}) == (
        f"Probability NPV < 0 (share of the Monte Carlo draws; {held})")
    # the export's Summary labels the same rows from the Monte Carlo's provenance
    from dcplan import tco_export
    from dcplan.tco_uncertainty import monte_carlo, percentiles
    inp = _revenue_only()
    mc = monte_carlo(inp, 0.0, {"revenue_usd_per_gpu_h": ("triangular", 0.5, 1.0, 1.0)}, n_draws=100)
    mc.attrs["monte_carlo"]["held_in_every_draw"] = held
    summ = tco_export.workbook_frames(run_tco(inp, 0.0), mc_percentiles=percentiles(mc, ["npv_usd"]),
                                      mc_prob_npv_negative_frac=0.25)["Summary"].set_index("key")
    assert summ.loc["mc_prob_npv_negative_frac", "label"] == (
        f"Probability NPV < 0 in the Monte Carlo (share of its draws; {held})")
    assert summ.loc["mc_npv_p10_usd", "label"].endswith(f"; {held})")


def test_a_base_case_at_the_p90_delay_is_not_called_optimistic_about_the_held_delay():
    draws = np.arange(1, 101) * 1e6
    held = scenario_held_text("grid-delay-p90", 52.96)
    note = base_percentile_note(draws, 96.5e6, {}, {}, held=held)
    assert note == (
        "The base case's NPV, 96.5 M USD, is at percentile 96.0 of its own Monte Carlo (100 draws): only 4.0% of the "
        "draws reach it (NPV at or above it), so it is an optimistic outcome of the other inputs' ranges, not a "
        f"central estimate (Monte Carlo median 50.5 M USD). Every draw shares what the scenario sets ({held}): this "
        "percentile ranks the case on the other inputs only and says nothing of the held ones.")


# 4. the tornado's delay range in the sources table --------------------------------------------------------

def test_the_sources_table_names_the_range_swung(pf):
    from dcplan.tco_delay import site_delay_percentiles, tornado_delay_source
    from dcplan.tco_uncertainty import site_delay_range
    ic = pf["northern-virginia"].interconnection
    p10, p90 = site_delay_percentiles(ic, (0.1, 0.9))
    lo, hi = site_delay_range(ic, base=0.0, max_months=93)
    assert (lo, hi) == (0.0, p90)  # widened to the base case's 0 months
    assert tornado_delay_source(ic, 0.0, lo, hi, 93) == (
        f"range swung: 0-{tco.whole_months(p90):.0f} months (whole months), from the case's own 0 months to the "
        f"site's 90th percentile ({p90:.1f} months, dcplan.grid); not the site's 10th-90th percentile "
        f"({p10:.1f}-{p90:.1f} months): widened to contain the case's own delay, as a bar contains the base case "
        "(caveat_tornado_grid_delay)")
    # at the median the range is the site's 10th-90th percentile: nothing more to say
    lo, hi = site_delay_range(ic, base=19.0, max_months=93)
    assert "not the site's" not in tornado_delay_source(ic, 19.0, lo, hi, 93)


# 5. sampling error ----------------------------------------------------------------------------------------

def test_the_standard_error_of_p_is_the_binomial_formula():
    assert prob_se(0.2, 400) == pytest.approx(math.sqrt(0.2 * 0.8 / 400), rel=1e-15) == pytest.approx(0.02)
    assert prob_se(0.5, 10_000) == pytest.approx(0.005)   # the notebook's default: below 0.01 at any p
    assert draws_for_se(0.5) == 2500 and draws_for_se(0.1) == 900  # 0.25 / 1e-4; 0.09 / 1e-4 (hand)


def test_the_median_interval_is_the_order_statistics_of_the_binomial():
    # Conover, Practical Nonparametric Statistics, 3rd ed., §3.2: n = 100, 95 %: the 40th and 61st draws
    lo, hi, j, k, cover = median_interval(np.arange(1.0, 101.0))
    assert (lo, hi, j, k) == (40.0, 61.0, 40, 61) and cover >= 0.95
    # n = 10: ranks 2 and 9, coverage 1 - 2 x P(B <= 1) = 1 - 2 x 11/1024 (hand)
    assert median_interval(np.arange(10.0))[2:] == (2, 9, pytest.approx(1 - 22 / 1024, rel=1e-12))
    assert math.isnan(median_interval([1.0, 2.0, 3.0])[0])  # no 95 % interval from 3 draws
    figs = sampling_figures(np.concatenate([-np.arange(1.0, 21.0), np.arange(1.0, 81.0)]))  # 20 of 100 below 0
    assert figs["mc_prob_npv_negative_se_frac"][0] == pytest.approx(0.04)  # sqrt(0.2 x 0.8 / 100)


def test_too_few_draws_warn_naming_n_draws_and_the_error():
    with pytest.warns(DcplanWarning) as rec:
        se = check_sampling(100, 0.5)
    assert se == pytest.approx(0.05)
    assert str(rec[0].message) == (
        "n_draws 100: the Monte Carlo's P(NPV < 0) = 0.500 has a sampling standard error of 0.0500 (sqrt(p (1 - p) / "
        "n)), above 0.01: another seed moves it by up to about 10.0% (two standard errors), and its median NPV with "
        "it. Use n_draws >= 2,500 (2,500 at any p; the notebook's default is 10,000).")
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert check_sampling(10_000, 0.5) == pytest.approx(0.005)   # the default: no warning
        check_sampling(2_500, 0.5)                                   # exactly 0.01: no warning


def test_the_notebook_checks_and_publishes_the_sampling_error():
    import nbformat
    nb = nbformat.read(ROOT / "notebooks" / "tco.ipynb", as_version=4)
    mc_cell = next(c.source for c in nb.cells if "monte_carlo(inputs" in c.source)
    assert "check_sampling(n_draws, prob_neg)" in mc_cell and "p50_figs.update(sampling_figures(" in mc_cell
    assert nb.cells[1].source.count("n_draws: int = 10000") == 1


# 6. throughput stand-in and 8. cross-generation comparisons -----------------------------------------------

def test_per_token_labels_say_the_h100_throughput_stands_in(pf):
    from dcplan.tco_revenue import throughput_caveat
    phx = pf["phoenix-az"]  # HGX B200, inference
    assert throughput_caveat(phx, tco.inputs_from_site(phx, **KW)) == (
        "rests on H100 stand-in figures: throughput at the H100's 3,066 tokens/s per accelerator (MLPerf Llama-2-70B "
        "offline) for hgx-b200 (no sourced figure of its own; caveat_throughput_note); "
        + NOT_COMPARABLE.format("per-token figures"))
    # an H100 training fleet: its own benchmark, but an inference one
    rt = pf["research-triangle-nc"]
    assert throughput_caveat(rt, tco.inputs_from_site(rt, **KW)) == (
        "an inference benchmark (Llama-2-70B serving) applied to a training fleet: tokens it would serve at this "
        "power, not its training throughput (caveat_throughput_note)")
    # the site's own figure: no caveat
    own = phx.model_copy(update={"finance": phx.finance.model_copy(update={
        "costs": {"tokens_per_s_per_accelerator": 11264.0}})})
    assert throughput_caveat(own, tco.inputs_from_site(own, **KW)) == ""


def test_stand_in_npvs_say_they_do_not_compare_and_the_index_marks_them(tmp_path, pf):
    import json

    from dcplan.report_html import write_index
    from dcplan.tco_revenue import stand_in_caveat, stand_in_from_label
    chi = pf["chicago-il"]
    caveat = stand_in_caveat(chi, tco.inputs_from_site(chi, **KW))
    assert caveat.endswith("(caveat_price_note); " + NOT_COMPARABLE.format("NPVs"))
    label = f"NPV after tax (valued at the project start, 2025-04); {caveat}"
    assert stand_in_from_label(label) == caveat and stand_in_from_label("NPV after tax") == ""
    for key, name, npv, month, lab in (("a/tco", "A", 100.0, "2025-01", label),
                                       ("b/tco", "B", 200.0, "2026-01", "NPV after tax")):
        res = {"npv_usd": {"value": npv, "label": lab}, "discount_rate_frac": {"value": 0.08},
               "scenario": {"value": "base"}, "npv_valued_month": {"value": month}}
        (tmp_path / key).mkdir(parents=True)
        (tmp_path / key / "results.json").write_text(json.dumps({"site_name": name, "notebook": "tco", "results": res}))
    page = re.sub(r" data-sort='[^']*'", "", write_index(tmp_path, {}).read_text())  # its text, not its sort keys
    table = page[page.index("<h2>TCO NPVs at one date</h2>"):]
    # 100 x 1.08 = 108 at 2026-01 (hand), marked; B unmarked. (Was: the caveat under "100 USD at 2025-01" and
    # "<td>108 USD (H100 stand-ins)</td>"; the table now has three NPV columns, so the caveat is said once, under
    # the site, and each NPV shows at the common month with the figure as reported under it: dcplan.index_npv.)
    assert ("<td>A<div class='na'>rests on H100 stand-in figures: IT capex at the H100 server, back-end fabric "
            "and storage prices of 33,750, 6,000 and 2,000 USD per accelerator for hgx-h200") in table
    assert "<b>108 USD</b><div class='na'>as reported: 100 USD at 2025-01</div>" in table
    assert "<td>B</td><td>base</td><td>8.0%</td>" in table
    assert "<b>200 USD</b><div class='na'>as reported: 200 USD at 2026-01</div>" in table


# 7. housekeeping ------------------------------------------------------------------------------------------

def test_tco_export_is_under_600_lines_and_keeps_its_names():
    from dcplan import tco_export, tco_export_text
    assert len((ROOT / "dcplan" / "tco_export.py").read_text().splitlines()) < 600
    for name in ("MC_HORIZON_NOTE", "CASHFLOW_NOTE", "INDUSTRY_SHARE_SOURCES", "none_reason", "CONVENTIONS"):
        assert getattr(tco_export, name) is getattr(tco_export_text, name), name
