"""Where the base case's NPV lies among its own Monte Carlo draws (black-box notebook review).

Phoenix (10,000 draws): base NPV +52.07 M USD against a Monte Carlo median of -77.2 M and a 95th
percentile of +41.0 M: the base case is a top-5 % outcome, because it puts the yearly change of the
GPU-hour price at the top of triangular(-15 %, 0, 0) and the grid delay at 0 against a site median of
18 months. The notebook said the median is "below the base case" but never how far into the tail the
base case is. It now publishes the base case's percentile among the draws
(mc_npv_base_percentile_frac, a headline) and, outside the draws' 25th-75th percentile, says so with
the share of draws that reach it and the one-sided inputs whose base sits at the favourable end
(dcplan.tco_notes.base_percentile_note), printed beside the median and in the export's caveats.
"""
from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from dcplan import tco
from dcplan.tco import TcoInputs, run_tco
from dcplan.tco_notes import BASE_PERCENTILE_LABEL, BASE_TAIL_FRAC, base_npv_shares, base_percentile_note
from dcplan.tco_uncertainty import monte_carlo, tornado

DRAWS = np.arange(1, 101) * 1e6          # 100 draws, 1 to 100 M USD: shares are counts / 100
DISTS = {"revenue_escalation_frac": ("triangular", -0.15, 0.0, 0.0),   # base at its high end
         "wue_l_per_kwh": ("triangular", 0.5, 1.8, 1.8),              # base at its high end
         "build_months": ("triangular", 12.0, 18.0, 24.0)}            # two-sided
PARAMS = {"revenue_escalation_frac": 0.0, "wue_l_per_kwh": 1.8, "build_months": 18.0}


def _tornado(base):
    # lowering the price change lowers the NPV (its base end raises it); lowering the water use raises the
    # NPV (its base end lowers it); build_months two-sided
    return pd.DataFrame({"input": ["revenue_escalation_frac", "wue_l_per_kwh", "build_months"],
                         "metric_at_low": [base - 30e6, base + 1e6, base + 2e6],
                         "metric_at_high": [base, base, base - 2e6], "base_metric": [base] * 3})


def test_shares_count_the_draws_at_or_below_and_at_or_above():
    # 1..100: 96 draws at or below 96.5, 4 (97..100) at or above (hand count)
    assert base_npv_shares(DRAWS, 96.5e6) == (0.96, 0.04)
    # a tie counts on both sides: [1, 2, 2, 3] at 2 -> 3 of 4 each
    assert base_npv_shares([1.0, 2.0, 2.0, 3.0], 2.0) == (0.75, 0.75)
    # a non-finite draw is left out: 2 of the 3 finite draws at or below 2
    assert base_npv_shares([1.0, 2.0, np.inf, 3.0, np.nan], 2.0) == (2 / 3, 2 / 3)


def test_an_optimistic_base_names_the_inputs_at_their_favourable_end():
    note = base_percentile_note(DRAWS, 96.5e6, DISTS, PARAMS, _tornado(96.5e6))
    # median of 1..100 M USD: 50.5 M (hand)
    assert note == (
        "The base case's NPV, 96.5 M USD, is at percentile 96.0 of its own Monte Carlo (100 draws): only 4.0% "
        "of the draws reach it (NPV at or above it), so it is an optimistic outcome of these ranges, not a central "
        "estimate (Monte Carlo median 50.5 M USD). Inputs whose base value sits at the optimistic end of a one-sided "
        "range: revenue_escalation_frac (triangular, the base at its high end; lowering it lowers the NPV). The draws "
        "can only move these inputs away from the base case, towards a lower NPV.")


def test_a_pessimistic_base_names_the_other_ones():
    note = base_percentile_note(DRAWS, 20.5e6, DISTS, PARAMS, _tornado(20.5e6))
    assert note.startswith("The base case's NPV, 20.5 M USD, is at percentile 20.0 of its own Monte Carlo "
                           "(100 draws): 80.0% of the draws reach it (NPV at or above it), so it is a pessimistic "
                           "outcome of these ranges")
    assert note.endswith("Inputs whose base value sits at the pessimistic end of a one-sided range: wue_l_per_kwh "
                         "(triangular, the base at its high end; lowering it raises the NPV). The draws can only "
                         "move these inputs away from the base case, towards a higher NPV.")


@pytest.mark.parametrize("base, said", [
    (50.0e6, False),   # the median: nothing to say
    (76.0e6, False),   # 25 draws (76..100) at or above: 25 %, not fewer than BASE_TAIL_FRAC
    (76.5e6, True),    # 24 draws at or above
    (25.0e6, False),   # 25 draws (1..25) at or below
    (24.5e6, True),    # 24 draws at or below
])
def test_said_only_outside_the_draws_interquartile_range(base, said):
    assert BASE_TAIL_FRAC == 0.25
    assert bool(base_percentile_note(DRAWS, base, DISTS, PARAMS, _tornado(base))) is said


def test_without_a_tornado_the_share_is_said_and_no_input_named():
    note = base_percentile_note(DRAWS, 96.5e6, DISTS, PARAMS)
    assert note.endswith("(Monte Carlo median 50.5 M USD).") and "Inputs whose" not in note


def test_a_model_run_whose_draws_can_only_lower_the_npv():
    """No tax, no cost but the GPUs: the NPV rises with the price per GPU-hour, drawn from
    triangular(0.5, 1.0, 1.0) around a base of 1.0. Every draw is a price at or below 1.0, so every
    draw's NPV is at or below the base case's: its percentile is 1 and (continuous draws) none reaches it."""
    c = {k: 0.0 for k in tco.load_costs().index}
    c.update(facility_shell_frac=0.5, facility_electrical_frac_of_critical=0.5, electricity_cost_mult=1.0,
             server_usd_per_accelerator=10_000.0, it_refresh_years=4.0, discount_rate_frac=0.10,
             revenue_usd_per_gpu_h=1.0)
    inp = TcoInputs(n_accelerators=10, it_capacity_kw=1000.0, it_energy_kwh=8.76e6, utilization_frac=0.5,
                    horizon_years=2, costs=c)
    base = run_tco(inp, 0.0).summary["npv_usd"]
    dists = {"revenue_usd_per_gpu_h": ("triangular", 0.5, 1.0, 1.0)}
    mc = monte_carlo(inp, 0.0, dists, n_draws=1000, seed=0)
    assert mc["revenue_usd_per_gpu_h"].max() < 1.0
    assert base_npv_shares(mc["npv_usd"], base) == (1.0, 0.0)
    tr = tornado(inp, 0.0, ranges={"revenue_usd_per_gpu_h": (0.5, 1.0)})
    note = base_percentile_note(mc["npv_usd"], base, dists, inp.params(), tr)
    assert f"is at percentile 100.0 of its own Monte Carlo (1,000 draws): only 0.0% of the draws reach it" in note
    assert ("revenue_usd_per_gpu_h (triangular, the base at its high end; lowering it lowers the NPV)" in note)


def test_the_notebook_prints_publishes_and_exports_it():
    import nbformat
    nb = nbformat.read(Path(__file__).resolve().parents[1] / "notebooks" / "tco.ipynb", as_version=4)
    src = "\n".join(c.source for c in nb.cells if c.cell_type == "code")
    mc_cell = next(c.source for c in nb.cells if "monte_carlo(inputs" in c.source)
    # printed right after the median, published as a headline figure, a caveat of the export
    assert mc_cell.index("Monte Carlo median NPV") < mc_cell.index("print(base_pct_note)")
    assert ('p50_figs["mc_npv_base_percentile_frac"] = (base_below, "frac", mc_label(BASE_PERCENTILE_LABEL, '
            'mc_prov))') in mc_cell
    assert 'publish({"mc_npv_base_percentile_frac": p50_figs["mc_npv_base_percentile_frac"]}, headline=True)' in mc_cell
    assert ('base_pct_note = base_percentile_note(mc["npv_usd"], s["npv_usd"], dists, inputs.params(), tr,\n'
            '                                     held=scenario_held, inputs=inputs)') in mc_cell
    assert '"npv_base_vs_montecarlo": base_pct_note' in src and "figures=p50_figs" in src
    # the headline NPV says it is the deterministic case, with the export's label (one source)
    assert 'summary_label("npv_usd", s, scenario=scenario, delay_months=delay_used,' in src
    from dcplan.tco_labels import summary_label
    assert summary_label("npv_usd", scenario="base", delay_months=0.0, calendar_months=["2025-10"]) == (
        "NPV after tax, deterministic case (scenario base: grid delay 0 months, the planned energization dates; "
        "monthly cash flows, discounted at the end of each month; valued at the project start, 2025-10)")
    assert BASE_PERCENTILE_LABEL.startswith("Base case's NPV as a percentile of the Monte Carlo NPVs (share of the "
                                            "draws with NPV at or below the base case's")


@pytest.mark.slow
def test_phoenix_base_case_is_named_a_top_tail_outcome(tmp_path):
    """Phoenix base (data/sites/phoenix-az.yaml, data/costs.csv unchanged): base NPV above the draws'
    90th percentile, so its percentile is above 0.9 and the workbook carries the caveat naming the price
    change and the grid delay."""
    from dcplan.report import render
    from dcplan.tco_export import read_workbook
    s = render(sites=["phoenix-az"], notebooks=["tco"], out=tmp_path, jobs=1, progress=False,
               parameters={"n_draws": 1000})
    assert s.ok, s.table()
    folder = tmp_path / "phoenix-az" / "tco"
    res = json.loads((folder / "results.json").read_text())["results"]
    pct = res["mc_npv_base_percentile_frac"]
    assert pct["headline"] and pct["unit"] == "frac" and pct["label"] == BASE_PERCENTILE_LABEL
    assert res["npv_usd"]["value"] > res["mc_npv_p90_usd"]["value"] and pct["value"] > 0.9
    summ = read_workbook(folder / "outputs" / "phoenix-az_base_tco.xlsx")["Summary"].set_index("key")
    assert float(summ.loc["mc_npv_base_percentile_frac", "value"]) == pct["value"]
    note = summ.loc["npv_base_vs_montecarlo", "note"]
    assert f"is at percentile {100 * pct['value']:.1f} of its own Monte Carlo (1,000 draws)" in note
    assert "revenue_escalation_frac (triangular, the base at its high end; lowering it lowers the NPV)" in note
    assert "delay_months (the site's own distribution, dcplan.grid: every draw at or above the case's 0 months" in note


# ---- the NPV at the site's median grid delay (the report's first headline) among the same draws ----
# Chicago base, 10,000 draws, seed 0 (re-derived outside dcplan: each input's draws regenerated from the documented
# streams, numpy default_rng(SeedSequence(0, spawn_key=(first 8 bytes of SHA-256(name), little-endian))), equal to
# the Monte Carlo's to 0; six draws' NPVs re-run one by one through run_tco, equal to 0 USD): the NPV at the
# median delay, 122.29 M USD, has 8,897 draws at or below it, percentile 89.0, against a Monte Carlo median of
# -3.13 M USD and P(NPV < 0) 51.2 %; the report called it only "the NPV at the site's median grid delay".
MED_PARAMS = {"revenue_escalation_frac": 0.0, "wue_l_per_kwh": 1.8, "build_months": 18.0}


def test_the_median_delay_npv_in_the_upper_tail_is_said_with_its_percentile():
    from dcplan.tco_notes import median_delay_percentile_note
    # 1..100 M USD: 89 draws at or below 89.5 M, 11 (90..100) at or above (hand count); median 50.5 M
    note = median_delay_percentile_note(DRAWS, 89.5e6, 29.0, DISTS, MED_PARAMS, _tornado(89.5e6))
    assert note.startswith(
        "The NPV at the site's median grid delay (29 months), 89.5 M USD, is at percentile 89.0 of its own Monte Carlo "
        "(100 draws): only 11.0% of the draws reach it (NPV at or above it), so it is an optimistic outcome of these "
        "ranges, not a central estimate (Monte Carlo median 50.5 M USD). Its grid delay is the site's median, but its "
        "other inputs are at their base values, which the draws spread over their ranges: the NPV at the median delay "
        "is not the median NPV.")
    # the one-sided input at its favourable end is named, as for the base case
    assert "revenue_escalation_frac (triangular, the base at its high end; lowering it lowers the NPV)" in note


def test_the_median_delay_npv_inside_the_interquartile_range_says_nothing():
    from dcplan.tco_notes import median_delay_percentile_note
    assert median_delay_percentile_note(DRAWS, 60.0e6, 29.0, DISTS, MED_PARAMS, _tornado(60.0e6)) == ""
    # and the base case's sentence is unchanged by the new keyword
    assert base_percentile_note(DRAWS, 96.5e6, DISTS, PARAMS).startswith("The base case's NPV, 96.5 M USD,")


def test_the_notebook_publishes_the_median_delay_percentile_and_its_caveat():
    import nbformat
    from dcplan.prob_display import is_probability
    from dcplan.tco_export_case import CASE_LABELS
    nb = nbformat.read(Path(__file__).resolve().parents[1] / "notebooks" / "tco.ipynb", as_version=4)
    src = "\n".join(c.source for c in nb.cells if c.cell_type == "code")
    mc_cell = next(c.source for c in nb.cells if "monte_carlo(inputs" in c.source)
    # only against draws of the site's own delay distribution (delay_note set), after the base case's percentile
    assert "if med_result is not None and delay_note:" in mc_cell
    assert mc_cell.index("print(base_pct_note)") < mc_cell.index("mc_npv_grid_delay_p50_percentile_frac")
    assert "headline=True" in mc_cell[mc_cell.index("mc_npv_grid_delay_p50_percentile_frac"):]
    assert '"npv_grid_delay_p50_vs_montecarlo": p50_pct_note' in src
    assert "npv_grid_delay_p50_vs_montecarlo" in CASE_LABELS
    assert is_probability("mc_npv_grid_delay_p50_percentile_frac")  # shown as a percentage


@pytest.mark.slow
def test_chicago_median_delay_npv_is_named_an_upper_tail_outcome(tmp_path):
    """Chicago base (bundled files unchanged), 1,000 draws: the NPV at the median grid delay sits near the draws'
    89th percentile (89.0 at 10,000 draws, above; sampling error at 1,000 draws about 0.01), is published as a
    headline percentile, and the workbook carries the caveat."""
    from dcplan.report import render
    from dcplan.tco_export import read_workbook
    from dcplan.tco_notes import MEDIAN_DELAY_PERCENTILE_LABEL
    s = render(sites=["chicago-il"], notebooks=["tco"], out=tmp_path, jobs=1, progress=False,
               parameters={"n_draws": 1000})
    assert s.ok, s.table()
    folder = tmp_path / "chicago-il" / "tco"
    res = json.loads((folder / "results.json").read_text())["results"]
    pct = res["mc_npv_grid_delay_p50_percentile_frac"]
    assert pct["headline"] and pct["unit"] == "frac" and pct["label"] == MEDIAN_DELAY_PERCENTILE_LABEL
    assert pct["value"] == pytest.approx(0.89, abs=0.04)
    # re-derived from the grid-delay-p50 case's Monthly sheet: sum of net_cash_flow_usd / 1.08 ** (month / 12).
    # 122,291,874.8 since the sun of the sunrise and sunset hours sits at the midpoint of the part of the hour it
    # is up (2026-12, dcplan.solar_position; was 122,291,804.3): Chicago's PV +0.4 MWh a year (627.3 -> 627.7),
    # its electricity -165.5 USD over the horizon, +118.3 USD after tax, +70.5 USD discounted; 122,377,934.8 since
    # its water is priced at the City of Chicago's water and sewer rates, 2 x 1.28934 USD/m3 for data/costs.csv's
    # former 3.0 (data/SOURCES.md, Water and sewer rates): +86,060 USD
    assert res["npv_grid_delay_p50_usd"]["value"] == pytest.approx(122_377_934.8, abs=1.0)
    summ = read_workbook(folder / "outputs" / "chicago-il_base_tco.xlsx")["Summary"].set_index("key")
    assert float(summ.loc["mc_npv_grid_delay_p50_percentile_frac", "value"]) == pct["value"]
    note = summ.loc["npv_grid_delay_p50_vs_montecarlo", "note"]
    assert note.startswith(f"The NPV at the site's median grid delay (29 months), 122.4 M USD, is at percentile "
                           f"{100 * pct['value']:.1f} of its own Monte Carlo (1,000 draws)")
    assert res["caveat_npv_grid_delay_p50_vs_montecarlo"]["value"] == note
