"""One rule for turning a grid delay or a date into whole months (dcplan.grid_ramp's month rule).

A verifier found Northern Virginia's median-case figures on two clocks: the interconnection notebook counted
its median energization, 2028-08-04, from September 2028 (stranded_gpu_months 188,640, the site verdict's
"188,640 with the median grid delay"), while the tco notebook published grid_delay_p50_months 19 ("dcplan.grid,
19.08 months, whole months": 19.08 rounded half up) and labelled its median-delay NPV "(19 months".

The rule: power arrives on a date; a GPU runs from the first month that starts on or after it, so a month
powered for part of its days is a month of waiting (the model's months are whole; GPUs installed mid-month
count from the next month start too). A delay in whole months is the months the first powered month moves.

By hand, Northern Virginia (data/sites/northern-virginia.yaml): filed 2024-06-01, phase 1 (12 MW) planned
2027-01-01 = 31 months after filing; median delay 19.083 months -> 50.083 months after filing = 2024-06-01 + 50
months (2028-08-01) + 0.083 x 31 days = 2028-08-04 (dcplan.grid's date). First month on or after it: 2028-09,
20 months after 2027-01 (old value 19: 19.08 rounded half up, which the ramp never ran). GPU-months waiting
(64 + 64 GB200 NVL72 racks, Jan 2027 and Jan 2028; 12 MW powers 83 racks, 82 with the rated chiller COP 6.1
before 2026-12): with 20 months 4,608 x 20 + 4,608 x 8 + 3,240 x 18 = 187,344 (188,640 with 82 racks: 3,312 x 18);
19 months would be 4,608 x 19 + 4,608 x 7 + 3,240 x 18 = 178,128 (179,424). Phoenix's median, 17.96 months from
2026-09-01 (filed 2025-01-15), lands on 2028-03-01, a month start: 18 months either way.
"""
from __future__ import annotations

import dataclasses
import json
from pathlib import Path

import pandas as pd
import pytest

from dcplan import grid, tco
from dcplan.grid_ramp import month_rule_note, powered_from, powered_months_late
from dcplan.site import load_portfolio
from dcplan.errors import InputError
from dcplan.tco_delay import (delay_vs_site_note, median_delay_case, scenario_delay_months, tornado_delay_note,
                              tornado_delay_source)
from dcplan.tco_export_case import case_rows
from dcplan.tco_grid_dates import delay_months_note, delay_whole_months
from dcplan.tco_horizon import check_shortest_draws, last_delay_month
from dcplan.tco_mc_notes import held_inputs_note, scenario_held_text
from dcplan.tco_uncertainty import site_delay_range, tornado
from dcplan.tco_ramp import purchase_delays

ROOT = Path(__file__).resolve().parents[1]
KW = dict(n_accelerators=9216, it_capacity_kw=16000.0, it_energy_kwh=1.2e8)
DESIGN_KW = 24_000.0  # a fleet's facility power at design [kW]: the grid phases as shares of it (any will do here)


def site_inputs(site):
    """The tco notebook's dated case: the fleet's phases and the site's grid phases (grid_dates filled)."""
    live, gph = tco.grid_capacity(site.interconnection, site.fleet, DESIGN_KW)
    return tco.inputs_from_site(site, phases=tco.fleet_phases(site.fleet), live_fleet_frac=live, grid_phases=gph,
                                **KW)


@pytest.fixture(scope="module")
def pf():
    return load_portfolio()


def test_a_partly_powered_month_is_a_month_of_waiting():
    assert str(powered_from("2028-08-04")) == "2028-09"        # 4 August: September is the first whole month
    assert str(powered_from("2028-08-01")) == "2028-08"        # on the 1st: that month
    assert str(powered_from("2028-08-31 23:00")) == "2028-09"
    assert powered_months_late("2027-01-01", "2028-08-04") == 20  # Jan 2027 -> Sep 2028
    assert powered_months_late("2026-09-01", "2028-03-01") == 18  # Phoenix's median: Sep 2026 -> Mar 2028


def test_northern_virginias_median_delay_is_20_whole_months_in_the_tco_as_in_the_interconnection_notebook(pf):
    site = pf["northern-virginia"]
    ic = site.interconnection
    d = scenario_delay_months("grid-delay-p50", ic)
    assert d == pytest.approx(19.083, abs=1e-3)
    dates = grid.energization_dates(ic)
    assert dates.loc[0, "energized_p50"] == pd.Timestamp("2028-08-04")
    # the interconnection notebook's capacity: phase 1's 12 MW counts from September 2028, not August
    cap = grid.capacity_timeline(ic, "2028-07-01", "2028-10-01", delay_months=d)
    assert cap.tolist() == [0.0, 0.0, 12.0, 12.0]
    inputs = site_inputs(site)
    assert inputs.grid_dates is not None
    assert delay_whole_months(inputs, d) == 20.0               # was published as 19 (19.08 rounded half up)
    assert delay_whole_months(inputs, 0.0) == 0.0
    assert delay_months_note(inputs, d) == (
        "dcplan.grid's 19.08 months put the first pending phase (planned 2027-01-01) on 2028-08-04: GPUs run from "
        "2028-09 (a month partly powered is not counted), 20 months after 2027-01")
    note = month_rule_note(dates)
    assert "phase 1 (median) is energized on 2028-08-04, so GPUs run on it from 2028-09, 20 months after 2027-01" \
        in note


def test_the_median_delay_case_is_labelled_with_the_months_its_ramp_runs(pf):
    """median_delay_case takes the month rule itself (no relabelling on top of a half-up count)."""
    site = pf["northern-virginia"]
    inputs = site_inputs(site)
    med = median_delay_case(inputs, site.interconnection)
    assert med.months_used == 20.0                             # was 19 (19.08 rounded half up)
    assert med.label.startswith("NPV after tax at the site's median grid delay (20 months, dcplan.grid; ")
    assert med.delay_months == pytest.approx(19.083, abs=1e-3)
    # its ramp runs those 20 months: build end (Jan 2027) + 20 = Sep 2028, the first purchase
    assert tco.calendar_months(med.inputs)[int(tco.operations_start_month(med.inputs))] == pd.Period("2028-09", "M")
    # Phoenix: 17.96 months land on 2028-03-01, a month start: 18 months by either count
    ph = pf["phoenix-az"]
    assert median_delay_case(site_inputs(ph), ph.interconnection).months_used == 18.0
    # a hand-built case without dates has no date to count from: rounded half up, as its ramp runs it
    hand = tco.TcoInputs(**KW)
    assert delay_whole_months(hand, 19.08327) == 19.0
    assert median_delay_case(hand, site.interconnection).months_used == 19.0
    assert tco.operations_start_month(median_delay_case(hand, site.interconnection).inputs) == 12.0 + 19.0


def test_northern_virginias_90th_percentile_is_54_whole_months_everywhere(pf):
    """p90 53.045 months: 2024-06-01 + 84 months = 2031-06-01, + 0.045 x 30 days (June) = 2031-06-02 (dcplan.grid's
    date); the first month on or after it is Jul 2031, 54 months after Jan 2027 (old value 53: rounded half up).
    The 10th percentile, 7.148 months: 2027-08-01 + 0.148 x 31 = 2027-08-06 -> Sep 2027, 8 months (was 7)."""
    site = pf["northern-virginia"]
    ic = site.interconnection
    d90 = scenario_delay_months("grid-delay-p90", ic)
    assert d90 == pytest.approx(53.045, abs=1e-3)
    assert grid.energization_dates(ic, quantiles=[0.9]).loc[0, "energized_p90"] == pd.Timestamp("2031-06-02")
    base = site_inputs(site)
    p90 = dataclasses.replace(base, costs={**base.costs, "delay_months": d90})
    assert delay_whole_months(base, d90) == 54.0
    # the Assumptions table
    a = tco.assumptions_table(p90, 1.0e7).set_index("key")
    assert a.at["delay_months", "value"] == 54.0
    assert a.at["delay_months", "description"].endswith(
        "[given 53.0453; the model uses whole months, by the month rule: dcplan.grid's 53.05 months put the first "
        "pending phase (planned 2027-01-01) on 2031-06-02: GPUs run from 2031-07 (a month partly powered is not "
        "counted), 54 months after 2027-01]")
    # the export's Summary: the run's 54 months, given 53.05
    rows = {k: (v, note) for k, _, v, _, note in
            case_rows(tco.run_tco(p90, 1.0e7), None, None, "grid-delay-p90", d90, None)}
    assert rows["delay_months"][0] == 54.0
    assert "53.05 months, in whole months by the month rule (dcplan.grid's 53.05 months put" in rows["delay_months"][1]
    with pytest.raises(InputError, match=r"delay_months 52 is not the delay this run used \(54 months"):
        case_rows(tco.run_tco(p90, 1.0e7), None, None, None, 52.0, None)
    # the Monte Carlo's held text and held-inputs note
    assert scenario_held_text("grid-delay-p90", d90, p90) == (
        "the grid delay held at the site's 90th percentile (dcplan.grid), 54 months, in every draw: "
        "scenario grid-delay-p90")
    assert "delay_months (54, set by the scenario grid-delay-p90)" in held_inputs_note(p90, {}, "grid-delay-p90")
    # the tornado's range for the base case (0 months): 0 to the 90th percentile, 54 whole months
    lo, hi = site_delay_range(ic, base=0.0, max_months=last_delay_month(base))
    assert tornado_delay_note(ic, 0.0, lo, hi, inputs=base).startswith(
        "Tornado grid-delay range: 0-54 months (whole months, as the model runs), from the case's own 0 months to "
        "the site's 90th percentile (53.0 months, dcplan.grid).")
    assert tornado_delay_source(ic, 0.0, lo, hi, inputs=base).startswith("range swung: 0-54 months (whole months)")
    tr = tornado(base, 1.0e7, ranges={"delay_months": (lo, hi)}).set_index("input")
    assert (tr.at["delay_months", "low"], tr.at["delay_months", "high"]) == (0.0, 54.0)
    # the p90 case is the site's 90th percentile, in like months, not above it
    assert delay_vs_site_note(d90, ic, p90) == ""
    # the horizon check names the 54 months the ramp runs: Jan 2027 is month 12 (build), + 54 = month 66
    with pytest.raises(InputError, match=r"ends before operations start at month 66 \(build_months 12 \+ "
                                         r"delay_months 54 from"):
        dataclasses.replace(p90, horizon_years=5)
    short = dataclasses.replace(base, horizon_years=5)     # valid at its own 0 months; the draws' shortest is p90
    with pytest.raises(InputError, match=r"the case's grid delay, 54 months .* would start operations in month 66"):
        check_shortest_draws(short, 12.0, d90, drawn=(False, False))
    # a hand-built case without dates: rounded half up, as before (53)
    assert scenario_held_text("grid-delay-p90", d90) .endswith(", 53 months, in every draw: scenario grid-delay-p90")


def test_a_tranche_beyond_the_contract_is_bought_late_by_the_same_whole_months():
    """A tranche no contracted capacity powers moves by the whole delay: the rule's 20 months (dated), as the
    dated grid phases move, not 19."""
    inp = tco.TcoInputs(n_accelerators=100, it_capacity_kw=100.0, it_energy_kwh=1e5, phases=((0, 0.5), (12, 0.5)),
                        grid_phases=((0, 0.5),), grid_dates=((0.0, "2024-06-01", "2027-01-01"),),
                        costs={"delay_months": 19.08327})
    # phase 1 on the grid phase (slack 0): 20 months late; phase 2 beyond the 0.5 of capacity: 20 too
    assert [(o, round(f, 6), late) for o, f, late in purchase_delays(inp)] == [(0.0, 0.5, 20.0), (12.0, 0.5, 20.0)]


def _src(c):
    return c["source"] if isinstance(c["source"], str) else "".join(c["source"])


def test_the_notebooks_state_and_use_the_rule():
    tco_code = "\n".join(_src(c) for c in json.loads((ROOT / "notebooks" / "tco.ipynb").read_text())["cells"]
                         if c["cell_type"] == "code")
    # the deterministic case's glue moved to dcplan.tco_site.site_tco, which the notebook calls
    site_code = (ROOT / "dcplan" / "tco_site.py").read_text()
    assert "case = site_tco(" in tco_code and "delay_used = case.delay_months, case.delay_used" in tco_code
    assert "delay_used = delay_whole_months(inputs, delay_months)" in site_code
    assert "median_case_by_month_rule" not in tco_code         # median_delay_case uses the rule itself
    assert "delay_vs_site_note(delay_months, spec.interconnection, inputs)" in tco_code
    assert "scenario_held_text(scenario, delay_months, inputs)" in tco_code
    assert "tco.whole_months(delay_months)" not in tco_code and "whole_months(delay_months)" not in site_code
    nb = json.loads((ROOT / "notebooks" / "interconnection.ipynb").read_text())
    ic_code = "\n".join(_src(c) for c in nb["cells"] if c["cell_type"] == "code")
    ic_md = " ".join(_src(c) for c in nb["cells"] if c["cell_type"] == "markdown").replace("\n", " ")
    assert "month_note = month_rule_note(dates)" in ic_code
    assert "a month powered for part of its days is a month of waiting" in ic_md
