"""The interconnection notebook's cost of waiting, split into the plan's own part and the grid
delay's; its battery duration range; its equipment months clamped at filing.

Findings of a black-box grid-planner test:

- Northern Virginia's fleet phase 2 starts 2028-01 but its grid phase 2 is planned 2028-07: 19,464
  GPU-months (~67.5 M USD) unpowered even with no delay sat inside the published "Cost of waiting
  for power, median case", about 10 % of it, with no word on it;
- ``-p battery_duration_h 24`` ran, though a site's battery must last 0.25-12 h
  (``BATTERY_DURATION_RANGE_H``);
- ``-p order_delay_months -120`` printed "equipment 0.0" months, the equipment arriving ~85 months
  before filing, without saying the figure is clamped at the filing date.
"""
from __future__ import annotations

import json
import math

import pandas as pd
import pytest

from dcplan import grid
from dcplan.errors import InputError
from dcplan.notebook_params import check_parameters
from dcplan.report import render
from dcplan.specs.interconnection import BATTERY_DURATION_RANGE_H, InterconnectionSpec


def test_waiting_cost_split_by_hand():
    """Two 1 MW phases planned 2026-01-01 and 2026-07-01 (filed 2025-01-01: 12 and 18 months on), 1 kW
    per GPU (1000 GPUs per MW); 1000 GPUs installed 2026-01-01 and 1000 more 2026-04-01.

    On plan: April-June 2026 have 2000 installed on 1 MW: 1000 stranded x 3 months = 3000 GPU-months.
    Delayed 3 months (filed + 15 and + 21 months: 2026-04-01 and 2026-10-01): January-March 1000
    stranded (3000), April-September 1000 (6000): 9000; the delay adds 6000. At 100 USD of revenue per
    GPU-month (100/730 USD/GPU-h, all sold, no capital cost): 300,000, 600,000 and 900,000 USD."""
    ic = InterconnectionSpec(region="az-aps", requested_mw=2, filed="2025-01-01",
                             phases=[{"energized": "2026-01-01", "mw": 1}, {"energized": "2026-07-01", "mw": 1}])
    plan = grid.gpu_plan({"2026-01-01": 1000, "2026-04-01": 1000},
                         grid.capacity_timeline(ic, "2026-01-01", "2027-06-01").index)
    on_plan = grid.deployment_ramp(grid.capacity_timeline(ic, "2026-01-01", "2027-06-01"), 1.0, plan)
    delayed = grid.deployment_ramp(grid.capacity_timeline(ic, "2026-01-01", "2027-06-01", delay_months=3.0), 1.0, plan)
    s = grid.waiting_cost_split(on_plan, delayed, capex_usd_per_gpu=0.0, revenue_usd_per_gpu_h=100 / 730,
                                utilisation_frac=1.0, annual_rate_frac=0.0)
    # GPU-months are whole counts (exact); USD: 100/730 x 730 is 100 to float rounding (rel 1e-12)
    assert (s["plan_gpu_months"], s["delay_gpu_months"], s["total_gpu_months"]) == (3000.0, 6000.0, 9000.0)
    assert (s["plan_usd"], s["delay_usd"], s["total_usd"]) == pytest.approx((3e5, 6e5, 9e5), rel=1e-12)


def test_gpus_the_contract_never_powers_are_a_shortfall_not_a_wait():
    """Auditor's finding F6 (a Phoenix copy, 6,144 GPUs on 10 MW: 1,928 never powered counted as 273.4 M USD of
    "the plan's own" waiting, 55 months x 1,928, the 55 set by where the ramp ends). By hand: 1 MW planned
    2026-01-01, 1 kW per GPU (1,000 GPUs powerable), 1,500 GPUs installed 2026-01-01: 500 are never powered.
    On plan, 2026-01..2026-12: 1,000 powered from the start, nothing waits (0 GPU-months; 500 x 12 = 6,000 counted
    before). Delayed 3 months: 1,000 wait in 2026-01..03 (3,000 GPU-months); the delay's part is 3,000 either
    way. At 100 USD per GPU-month: 0, 300,000 and 300,000 USD."""
    ic = InterconnectionSpec(region="az-aps", requested_mw=1, filed="2025-01-01",
                             phases=[{"energized": "2026-01-01", "mw": 1}])
    months = grid.capacity_timeline(ic, "2026-01-01", "2026-12-01").index
    plan = grid.gpu_plan({"2026-01-01": 1500}, months)
    on_plan = grid.deployment_ramp(grid.capacity_timeline(ic, "2026-01-01", "2026-12-01"), 1.0, plan)
    delayed = grid.deployment_ramp(grid.capacity_timeline(ic, "2026-01-01", "2026-12-01", delay_months=3.0), 1.0,
                                   plan)
    s = grid.waiting_cost_split(on_plan, delayed, capex_usd_per_gpu=0.0, revenue_usd_per_gpu_h=100 / 730,
                                utilisation_frac=1.0, annual_rate_frac=0.0)
    assert (s["plan_gpu_months"], s["delay_gpu_months"], s["total_gpu_months"]) == (0.0, 3000.0, 3000.0)
    assert s["never_powered_gpus"] == 500.0
    assert (s["plan_usd"], s["delay_usd"], s["total_usd"]) == pytest.approx((0.0, 3e5, 3e5), rel=1e-12, abs=1e-6)


def test_stranded_gpu_months_leave_out_the_gpus_a_short_contract_never_powers():
    """phx-big's shape: 10 MW planned 2026-09-01 (az-aps, filed 2025-01-15), 2 kW per GPU (5,000 powerable),
    3,072 GPUs from 2026-10-01 and 3,072 more from 2027-01-01: 1,144 never powered. Median: power on 2028-03-01
    (the default equipment's 37.51 months from filing, dcplan.grid_ramp's docstring for phoenix-az), counting
    from 2028-03. Waiting: 3,072 x 3 (2026-10..12) + 5,000 x 14 (2027-01..2028-02; the 1,144 beyond the contract
    left out) = 79,216 GPU-months, all of it the delay's; the plan's own part is 0 (nothing waits for a later
    phase). Before, the 1,144 counted as waiting in every month from 2027-01 to the ramp's end."""
    from dcplan.grid_waiting import stranded_gpu_months
    ic = InterconnectionSpec(region="az-aps", requested_mw=10, filed="2025-01-15",
                             phases=[{"energized": "2026-09-01", "mw": 10}])
    assert grid.energization_dates(ic)["energized_p50"].iloc[0] == pd.Timestamp("2028-03-01")  # the premise
    got = stranded_gpu_months(ic, 2.0, {"2026-10-01": 3072, "2027-01-01": 3072})
    assert got["plan_gpu_months"] == 0.0
    assert got["total_gpu_months"] == got["delay_gpu_months"] == 3072 * 3 + 5000 * 14 == 79_216
    assert got["never_powered_gpus"] == 6144 - 5000 == 1144


def test_waiting_cost_split_refuses_ramps_on_different_months():
    a = pd.DataFrame({"stranded_gpus": [1.0]}, index=pd.DatetimeIndex(["2026-01-01"]))
    b = pd.DataFrame({"stranded_gpus": [1.0]}, index=pd.DatetimeIndex(["2026-02-01"]))
    with pytest.raises(InputError, match="same monthly index"):
        grid.waiting_cost_split(a, b, capex_usd_per_gpu=0.0, revenue_usd_per_gpu_h=1.0, utilisation_frac=1.0,
                                annual_rate_frac=0.0)


@pytest.mark.parametrize("value", [24.0, 0.1, 12.5])
def test_battery_duration_outside_the_site_specs_range_is_refused(value):
    # the site spec's range, 0.25-12 h (dcplan.specs.interconnection.BATTERY_DURATION_RANGE_H); 24 ran before
    assert BATTERY_DURATION_RANGE_H == (0.25, 12.0)
    with pytest.raises(InputError, match=rf"^battery_duration_h: {value}: interconnection allows battery_duration_h "
                                         r"in \[0\.25, 12\]$"):
        check_parameters({"battery_duration_h": value}, "interconnection")


def test_a_price_per_gpu_hour_the_site_file_refuses_is_refused_here_too():
    # -p revenue_usd_per_gpu_h 500 published an 11.5 bn USD cost of waiting; the site file refuses > 100
    with pytest.raises(InputError, match=r"^revenue_usd_per_gpu_h: 500\.0: interconnection allows "
                                         r"revenue_usd_per_gpu_h in \[0, 100\], or -1$"):
        check_parameters({"revenue_usd_per_gpu_h": 500.0}, "interconnection")
    check_parameters({"revenue_usd_per_gpu_h": 100.0}, "interconnection")


@pytest.mark.parametrize("value", [0.25, 2.0, 12.0])
def test_battery_durations_the_site_spec_takes_run(value):
    check_parameters({"battery_duration_h": value}, "interconnection")


def _results(out, site: str) -> dict:
    return json.loads((out / site / "interconnection" / "results.json").read_text())["results"]


def _outputs(out, site: str) -> str:
    nb = json.loads((out / site / "interconnection" / "notebook.ipynb").read_text())
    return "".join("".join(o.get("text", "")) for c in nb["cells"] for o in c.get("outputs", []))


@pytest.mark.slow
def test_northern_virginia_publishes_the_plans_own_part_of_the_cost_of_waiting(tmp_path):
    s = render(sites=["northern-virginia"], notebooks=["interconnection"], out=tmp_path, jobs=1, progress=False)
    assert s.ok, s.table()
    res = _results(tmp_path, "northern-virginia")
    # fleet: 64 + 64 GB200 NVL72 racks x 72 = 4,608 GPUs from 2027-01, 9,216 from 2028-01; grid 12 MW from
    # 2027-01, 24 MW planned from 2028-07. On plan, January-June 2028 (6 months) power 72 x floor(12,000 kW /
    # (72 x kw_per_gpu)) GPUs of the 9,216: whole 72-GPU racks, 83 at 2.0076 kW/GPU (12,000 / 144.547 = 83.02) =
    # 5,976 (3,240 stranded, 19,440 GPU-months; whole GPUs would be 5,977; 82 racks, 3,312 and 19,872 at 2.0087 with
    # the rated chiller COP 6.1 before 2026-12). Exact: whole racks from the published kw_per_gpu
    kw = res["kw_per_gpu"]["value"]
    assert res["gpus_per_unit"]["value"] == 72
    assert res["stranded_gpu_months_plan"]["value"] == 6 * (9216 - 72 * math.floor(12000.0 / (72 * kw) + 1e-9)) \
        == 19_440
    assert "powered in whole units of 72 GPUs" in res["stranded_gpu_months_plan"]["label"]
    assert "leaves out the interconnection, PV and battery capex" in res["capex_usd_per_gpu"]["label"]
    per_gpu_month = res["capex_usd_per_gpu"]["value"] * 0.08 / 12 + 730 * res["utilisation_frac"]["value"] * \
        res["revenue_usd_per_gpu_h"]["value"]  # as tests/test_interconnection_revenue.py::_hand_waiting, 8 %/yr
    assert res["waiting_cost_plan_usd"]["value"] == pytest.approx(
        res["stranded_gpu_months_plan"]["value"] * per_gpu_month, rel=1e-9)
    # the parts add up to the total (float rounding)
    assert res["waiting_cost_plan_usd"]["value"] + res["waiting_cost_delay_usd"]["value"] == pytest.approx(
        res["waiting_cost_usd"]["value"], rel=1e-12)
    assert "total" in res["waiting_cost_usd"]["label"] and "plan itself" in res["waiting_cost_plan_usd"]["label"]
    assert "grid delay adds" in res["waiting_cost_delay_usd"]["label"]


@pytest.mark.slow
def test_equipment_ordered_long_before_filing_is_said_to_be_clamped(tmp_path):
    s = render(sites=["phoenix-az"], notebooks=["interconnection"], out=tmp_path, jobs=1, progress=False,
               parameters={"order_delay_months": -120.0})
    assert s.ok, s.table()
    text = _outputs(tmp_path, "phoenix-az")
    assert ("equipment 0.0 (months after filing; 0.0, here and in the table below, is clamped at the filing date: "
            "equipment ordered 120 months before filing that arrives before it waits for the grid)") in text
    # with the equipment there, the time to power is the grid wait: az-aps median 24 months
    assert _results(tmp_path, "phoenix-az")["time_to_power_median_months"]["value"] == pytest.approx(24.0, abs=0.01)
