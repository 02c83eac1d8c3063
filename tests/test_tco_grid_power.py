"""GPUs earn only on grid capacity energized; the idle building's fixed costs; the export's figures.

A finance reviewer found northern-virginia's fleet phase 2 (2028-01-01) earning six months
before the second 12 MW of its interconnection (2028-07-01): the TCO took phase timing only from
``fleet:``. Now the share of the fleet operating in a month is ``min(installed share, min(1,
live_fleet_frac + grid phases energized by then))`` (dcplan.tco_ramp); GPUs waiting for power are
bought on the fleet's plan and earn nothing until powered. During a grid delay the finished
building carried no insurance, property tax or O&M although its depreciation started at the end
of the build; now it carries them from then.

Hand calculations use the "bare" case of tests/test_tco.py: every cost zero except the ones a
test switches on. A month has its calendar month's hours (an undated case's month 0 is a January: 744 h,
then 672 h in February...; 8,760 h a year), and so does its IT energy when no monthly shares are given.
"""
from __future__ import annotations

import dataclasses

import numpy as np
import pandas as pd
import pytest

from dcplan import tco, tco_export, tco_ramp
from dcplan.errors import InputError
from dcplan.site import load_portfolio
from dcplan.tco import TcoInputs, run_tco
from dcplan.tco_delay import one_sided_inputs, one_sided_note
from dcplan.tco_uncertainty import monte_carlo, percentiles


def bare(grid=None, live=0.0, phases=((0.0, 0.5), (6.0, 0.5)), n=100, horizon=4, **on) -> TcoInputs:
    c = {k: 0.0 for k in tco.load_costs().index}
    c.update(it_refresh_years=3.0, facility_shell_frac=0.5, facility_electrical_frac_of_critical=0.5,
             electricity_cost_mult=1.0, build_months=12.0)
    c.update(on)
    return TcoInputs(n_accelerators=n, it_capacity_kw=1000.0, it_energy_kwh=8760.0 * 1000.0, utilization_frac=1.0,
                     horizon_years=horizon, costs=c, phases=phases, live_fleet_frac=live, grid_phases=grid)


#: Hours of each month of a 4-year undated horizon: January..December of a 365-day year (days x 24), 4 times
MONTH_H = np.tile(np.array([31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31]) * 24.0, 4)
# 100 GPUs x 1.0 utilization x h_m x 2 USD/GPU-h a month at full fleet (148,800 USD in a January)
ON = dict(revenue_usd_per_gpu_h=2.0, server_usd_per_accelerator=10_000.0, maintenance_it_frac=0.12)
FULL_USD = 100 * MONTH_H * 2.0
BILL_USD = 1.2e6  # a year, 100,000 USD a month at full build-out


def test_operating_share_is_capped_by_the_grid_phases_energized_hand():
    # build 12: phase 1 (half) from month index 12, phase 2 (half) from 18; grid: 0.6 of the fleet
    # from 12, another 0.6 from 12 + 9 = 21. Operating: 0.5 (12-17), min(1, 0.6) = 0.6 (18-20), 1 (21-).
    r = run_tco(bare(grid=((0.0, 0.6), (9.0, 0.6)), **ON), BILL_USD).monthly  # 1-based months
    want = np.zeros(48)
    want[12:18], want[18:21], want[21:] = 0.5, 0.6, 1.0
    np.testing.assert_allclose(r["revenue_usd"], FULL_USD * want, rtol=1e-14)
    np.testing.assert_allclose(r["opex_electricity_usd"], 100_000.0 * want, rtol=1e-14)
    np.testing.assert_allclose(r["gpu_hours"], 100 * MONTH_H * want, rtol=1e-14)
    # 8,760 MWh a year at a constant draw of 1 MW: 1 MWh per hour of the month
    np.testing.assert_allclose(r["it_energy_mwh"], 1.0 * MONTH_H * want, rtol=1e-14)
    # bought on the plan: phase 2's 50 GPUs x 10,000 USD in month 19 (index 18), waiting or not;
    # IT maintenance 12 %/yr of the installed IT: 1 % a month of 1 M USD x installed share
    assert r.loc[19, "capex_it_usd"] == 500_000.0
    inst = np.zeros(48)
    inst[12:18], inst[18:] = 0.5, 1.0
    np.testing.assert_allclose(r["opex_maintenance_it_usd"], 0.01 * 1e6 * inst, rtol=1e-14)
    # 0.4 of 100 GPUs wait 3 months: 120 GPU-months
    s = run_tco(bare(grid=((0.0, 0.6), (9.0, 0.6)), **ON), BILL_USD).summary
    assert s["waiting_for_power_gpu_months"] == pytest.approx(120.0, rel=1e-12)
    # no grid phases: every installed GPU runs (the model before), and nothing waits
    r0 = run_tco(bare(**ON), BILL_USD)
    np.testing.assert_allclose(r0.monthly["revenue_usd"], FULL_USD * inst, rtol=1e-14)
    assert r0.summary["waiting_for_power_gpu_months"] == 0.0


def test_grid_phases_shift_with_the_delay_and_capacity_in_service_does_not():
    # delay 4, build 12. Grid phases 12 + 0 + 4 = 16 and 12 + 9 + 4 = 25. The fleet's purchases move by
    # max(0, 4 - slack): phase 1 (0.5, planned 12) on grid phase 1 (planned 12): slack 0, bought 16;
    # phase 2 (planned 18): its first 0.1 on grid phase 1 (slack 6, bought on plan at 18), its last 0.4
    # on grid phase 2 (planned 21: slack -3, short on the plan, bought 4 late at 22).
    # Installed 0.5 (16-17), 0.6 (18-21), 1.0 (22-); operating min(installed, 0.6 from 16, 1 from 25):
    # 0.5 (16-17), 0.6 (18-24), 1.0 (25-). The old rule moved all of phase 2 to 22: 0.5 until 21.
    r = run_tco(bare(grid=((0.0, 0.6), (9.0, 0.6)), delay_months=4.0, **ON), BILL_USD).monthly
    want = np.zeros(48)
    want[16:18], want[18:25], want[25:] = 0.5, 0.6, 1.0
    np.testing.assert_allclose(r["revenue_usd"], FULL_USD * want, rtol=1e-14)
    # 10,000 USD x 100 GPUs x the share bought: 0.5 in month 17 (1-based), 0.1 in 19, 0.4 in 23
    # (0.1 = 0.6 - 0.5 in floating point: rel 1e-12)
    m = r["capex_it_usd"]
    assert sorted(m[m > 0].index) == [17, 19, 23]
    assert m.loc[[17, 19, 23]].tolist() == pytest.approx([500_000.0, 100_000.0, 400_000.0], rel=1e-12)
    # an existing campus: 0.3 in service (not delayed) + one pending phase of 0.5 planned at 0, delay 4.
    # Phase 1: 0.3 on the live capacity, bought 12; 0.2 on the grid phase (slack 0), bought 16.
    # Phase 2: 0.3 on the grid phase (slack 6 >= 4), bought on plan at 18; 0.2 beyond all the
    # capacity (0.8): bought the whole delay late, 22. Powerable: 0.3, then 0.8 from 16.
    # Operating: 0.3 (12-15), 0.5 (16-17), 0.8 (18-): 0.2 of the fleet never powered.
    r = run_tco(bare(grid=((0.0, 0.5),), live=0.3, delay_months=4.0, **ON), BILL_USD)
    want = np.zeros(48)
    want[12:16], want[16:18], want[18:] = 0.3, 0.5, 0.8
    np.testing.assert_allclose(r.monthly["revenue_usd"], FULL_USD * want, rtol=1e-14)
    assert r.summary["waiting_for_power_gpu_months"] == pytest.approx(0.2 * 100 * (48 - 22), rel=1e-12)
    # grid_phases=(): only the capacity in service powers the fleet
    r = run_tco(bare(grid=(), live=0.3, **ON), BILL_USD).monthly
    np.testing.assert_allclose(r["revenue_usd"].iloc[30], 0.3 * FULL_USD[30], rtol=1e-14)


def test_the_monte_carlo_shifts_the_grid_phases_with_each_draw():
    # delay drawn 0 or 4 months ("quantiles" at the ends): each draw's NPV is the run at that delay
    inp = bare(grid=((0.0, 0.6), (9.0, 0.6)), **ON)
    mc = monte_carlo(inp, BILL_USD, {"delay_months": ("quantiles", (0.0, 0.5, 0.5000001, 1.0), (0, 0, 4, 4))},
                     n_draws=50, seed=1)
    npv = {d: run_tco(inp.with_costs(delay_months=d), BILL_USD).summary["npv_usd"] for d in (0.0, 4.0)}
    for v in mc["npv_usd"]:
        assert min(abs(v - npv[0.0]), abs(v - npv[4.0])) <= 1e-9 * abs(npv[0.0])


def test_grid_phases_of_northern_virginia_and_its_waiting_months():
    """NV: fleet phases 2027-01-01 and 2028-01-01 (half each, offsets 0 and 12); interconnection
    12 MW on 2027-01-01 and 12 MW on 2028-07-01: 547 days / 30.4375 = 17.97 -> 18 months. At a
    design facility power of 20,000 kW each phase powers 12,000 / 20,000 = 0.6 of the fleet, 5,529.6 GPUs: 76
    whole GB200 NVL72 racks (5,472 GPUs; a rack is bought and powered as one, TcoInputs.phase_units), so
    9,216 - 5,472 = 3,744 GPUs (52 racks) wait months 25-30 (1-based; build 12 + 12 .. 12 + 17)."""
    nv = load_portfolio()["northern-virginia"]
    g = tco.grid_phases(nv.interconnection, nv.fleet, 20_000.0)
    assert g == ((0.0, 0.6), (18.0, 0.6))
    assert tco.fleet_phases(nv.fleet) == ((0.0, 0.5), (12.0, 0.5))
    kw = dict(n_accelerators=9216, it_capacity_kw=16_000.0, it_energy_kwh=1.2e8)
    inp = tco.inputs_from_site(nv, phases=tco.fleet_phases(nv.fleet), grid_phases=g, **kw)
    w = tco_ramp.power_wait(inp)
    assert w.index.tolist() == [25, 26, 27, 28, 29, 30]
    assert inp.phase_units == (72, 72)
    np.testing.assert_allclose(w["waiting_gpus"], 52 * 72, rtol=1e-12)
    note = tco_ramp.power_wait_note(inp, first_start="2027-01-01")
    assert "up to 3,744 GPUs for 6 months (Jan 2028 to Jun 2028; powered from Jul 2028)" in note
    assert "22,464 GPU-months" in note  # 3,744 x 6
    # revenue lost against the fleet-only ramp: 3,744 GPUs x 0.85 (NV utilisation) x the month's hours x the
    # price in project year 3 (months 25-30: January-June 2028, 744, 672, 744, 720, 744, 720 h in the TCO's
    # 365-day year); nothing else of revenue moves
    p = inp.params()
    price3 = p["revenue_usd_per_gpu_h"] * (1 + p["revenue_escalation_frac"]) ** 2
    old = run_tco(tco.inputs_from_site(nv, phases=tco.fleet_phases(nv.fleet), **kw), 1.2e7)
    new = run_tco(inp, 1.2e7)
    lost = old.monthly["revenue_usd"] - new.monthly["revenue_usd"]
    hours = np.array([744.0, 672.0, 744.0, 720.0, 744.0, 720.0])
    assert lost.loc[25:30].tolist() == pytest.approx(list(3_744 * 0.85 * hours * price3), rel=1e-12)
    assert lost.drop(range(25, 31)).abs().max() == 0.0
    assert new.summary["npv_usd"] < old.summary["npv_usd"]
    # the IT purchase is on the plan: the same capex month by month
    assert (old.monthly["capex_it_usd"] == new.monthly["capex_it_usd"]).all()


def test_grid_phases_without_interconnection_phases_is_the_request_and_in_service_left_out():
    pf = load_portfolio()
    site = pf["chicago-il"]
    assert tco.grid_phases(None, site.fleet, 7000.0) is None
    # a request without phases is requested_mw planned at the filing date (dcplan.grid reads it so,
    # and the interconnection notebook caps the fleet by it); it returned None, so the TCO ran every
    # GPU whatever the grid. Chicago: filed 2025-02-01 (a month start: counts from 2025-02); fleet
    # from 2026-04: -14 months; 10 MW over 8,000 kW of design facility power powers 1.25 fleets
    no_phases = site.interconnection.model_copy(update={"phases": []})
    assert (site.interconnection.filed.isoformat(), site.interconnection.requested_mw) == ("2025-02-01", 10.0)
    assert tco.grid_phases(no_phases, site.fleet, 8000.0) == ((-14.0, 1.25),)
    # Chicago: 10 MW energized 2026-03-01, fleet from 2026-04-01: -31 days / 30.4375 -> -1 month
    assert tco.grid_phases(site.interconnection, site.fleet, 8000.0) == ((-1.0, 1.25),)
    live = site.interconnection.phases[0].model_copy(update={"in_service": True})
    assert tco.grid_phases(site.interconnection.model_copy(update={"phases": [live]}), site.fleet, 8000.0) == ()
    with pytest.raises(InputError, match="facility power > 0"):
        tco.grid_phases(site.interconnection, site.fleet, 0.0)
    with pytest.raises(InputError, match="grid_phases"):
        bare(grid=((0.0, -0.1),))


def test_the_finished_building_carries_its_fixed_costs_during_a_grid_delay():
    """f10: build 12, delay 18. Facility 10 M USD/MW x 1 MW + interconnection 1 M USD/MW x 1 MW =
    11 M USD; insurance 0.5 %, property tax 1 %, facility O&M 2 % a year of it from the end of the
    build (month index 12, 1-based 13): 11e6 x 0.035 / 12 = 32,083.33 USD a month, 0 before.
    Staff (2 FTE/MW x 120,000 USD) only from operations, 12 + 18 = 30 (1-based 31)."""
    on = dict(facility_usd_per_mw=10e6, interconnection_usd_per_mw=1e6, insurance_frac=0.005,
              property_tax_frac=0.01, maintenance_facility_frac=0.02, staff_fte_per_mw=2.0,
              staff_usd_per_fte=120_000.0, delay_months=18.0)
    m = run_tco(bare(**on), 0.0).monthly
    fixed = m["opex_insurance_usd"] + m["opex_property_tax_usd"] + m["opex_maintenance_facility_usd"]
    assert fixed.loc[1:12].abs().max() == 0.0
    np.testing.assert_allclose(fixed.loc[13:48], 11e6 * 0.035 / 12.0, rtol=1e-14)
    assert m.loc[13:30, "opex_staff_usd"].abs().max() == 0.0
    np.testing.assert_allclose(m.loc[31:48, "opex_staff_usd"], 240_000.0 / 12.0, rtol=1e-14)


def test_one_sided_names_the_grid_delay_at_the_low_end_of_its_draws():
    d = {"revenue_escalation_frac": ("triangular", -0.3, 0.0, 0.0),
         "staff_fte_per_mw": ("triangular", 1.0, 2.0, 4.0),
         "delay_months": ("quantiles", (0.0, 0.5, 1.0), (0.0, 19.1, 60.0))}
    one = one_sided_inputs(d, {"delay_months": 0.0})
    assert list(one) == ["revenue_escalation_frac", "delay_months"]
    assert one["delay_months"] == ("the site's own distribution, dcplan.grid: every draw at or above the case's "
                                   "0 months, median 19.1 months")
    # a case inside the distribution (19 whole months) is not at an end; 0.4 months runs as 0
    assert "delay_months" not in one_sided_inputs(d, {"delay_months": 19.0})
    assert "delay_months" in one_sided_inputs(d, {"delay_months": 0.4})
    assert one_sided_note(d, {"delay_months": 0.0}).startswith("revenue_escalation_frac (triangular, the base "
                                                               "at its high end); delay_months (")


def test_the_export_states_the_delay_one_sided_and_holds_the_figures_as_numbers(tmp_path):
    inp = bare(grid=((0.0, 0.6), (9.0, 0.6)), **ON)
    r = run_tco(inp, BILL_USD)
    dists = {"delay_months": ("quantiles", (0.0, 1.0), (2.0, 30.0))}
    pct = percentiles(monte_carlo(inp, BILL_USD, dists, n_draws=100), ["npv_usd"])
    figs = {"npv_grid_delay_p50_usd": (1.234567890123e8, "USD", "NPV at the median delay"),
            "irr_grid_delay_p50_frac": (None, "frac", "IRR at the median delay", "no IRR: never positive"),
            "grid_delay_p50_months": (19.0, "months", "Median grid delay")}
    tco_export.write_export(r, tmp_path, stem="t", mc_percentiles=pct, figures=figs)
    csv = pd.read_csv(tmp_path / "t_summary.csv").set_index("key")
    xl = pd.read_excel(tmp_path / "t.xlsx", sheet_name="Summary").set_index("key")
    for sheet in (csv, xl):
        assert sheet.at["npv_grid_delay_p50_usd", "value"] == 1.234567890123e8  # exact (shortest repr, %.16g)
        assert sheet.at["npv_grid_delay_p50_usd", "unit"] == "USD"
        assert sheet.at["grid_delay_p50_months", "value"] == 19.0
        assert sheet.at["grid_delay_p50_months", "unit"] == "months"
        assert np.isnan(sheet.at["irr_grid_delay_p50_frac", "value"])
        assert sheet.at["irr_grid_delay_p50_frac", "note"] == "no IRR: never positive"
        assert sheet.at["waiting_for_power_gpu_months", "value"] == pytest.approx(120.0, rel=1e-12)
        assert sheet.at["waiting_for_power_gpu_months", "unit"] == "GPU-months"
        # the case's 0 months is below every draw (2-30 months): named among the one-sided inputs
        assert "delay_months (a quantile table" not in sheet.at["montecarlo_one_sided", "note"]
        assert sheet.at["montecarlo_one_sided", "note"].startswith(
            "delay_months (the site's own distribution, dcplan.grid: every draw at or above the case's 0 months")
    about = pd.read_csv(tmp_path / "t_about.csv").set_index("item")["text"]
    assert "wait for power" in about["grid_power"] and "end of the build" in about["fixed_costs"]
    with pytest.raises(InputError, match="already a Summary row"):
        tco_export.workbook_frames(r, figures={"npv_usd": (1.0, "USD", "x")})
    with pytest.raises(InputError, match="figures.x must be"):
        tco_export.workbook_frames(r, figures={"x": 1.0})


def test_the_bundled_northern_virginia_waits_and_buys_in_whole_nvl72_racks():
    """The report-consistency auditor's count: at the site's own design facility power (2.0076 kW per GPU at full
    design IT in the typical year's worst hour, as the interconnection notebook's kw_per_gpu) 12 MW powers
    floor(12,000 / (72 x 2.0076)) = floor(83.02) = 83 NVL72 racks = 5,976 GPUs, so 9,216 - 5,976 = 3,240 wait 6
    months on the planned dates: 19,440 GPU-months, the interconnection notebook's stranded_gpu_months_plan and the
    site_analysis verdict (tests/test_site_verdict_phasing.py). The workbook buys 83 racks, 5,976 x 41,750 USD
    (server + network + storage per accelerator, data/costs.csv) = 249,498,000 USD at once, and the 45 racks left,
    3,240 x 41,750 = 135,270,000 USD, a year later (the fleet's phase 2 start plus its own delay); at first it bought
    5,972.62 fractional GPUs at once. With the rated chiller COP 6.1 (before 2026-12) 2.009 kW per GPU gave 82.97
    racks, 82 whole: 5,904 and 3,312 GPUs, 19,872 GPU-months (a knife edge, which the interconnection notebook
    now says)."""
    from dcplan import pipeline, power, thermal_plant
    from dcplan.tco_delay import median_delay_case
    spec = load_portfolio()["northern-virginia"]
    y = pipeline.run_site_year(spec)
    design_kw = float(thermal_plant.plant_hourly(y.design_it_kw, y.weather, spec.cooling,
                                                 electrical_chain=spec.electrical.stages())["facility_kw"].max())
    assert 12_000 / (84 * 72) < design_kw / 9_216 <= 12_000 / (83 * 72)
    live, g = tco.grid_capacity(spec.interconnection, spec.fleet, design_kw)
    inp = tco.inputs_from_site(spec, n_accelerators=y.n_accelerators, it_capacity_kw=y.design_it_kw,
                               it_energy_kwh=float(power.energy_from_power(y.it_kw).sum()),
                               phases=tco.fleet_phases(spec.fleet), live_fleet_frac=live, grid_phases=g)
    assert inp.phase_units == (72, 72)
    w = tco_ramp.power_wait(inp)
    assert w["waiting_gpus"].tolist() == pytest.approx([3_240.0] * 6, abs=1e-6)
    note = tco_ramp.power_wait_note(inp)
    assert "up to 3,240 GPUs for 6 months (Jan 2028 to Jun 2028; powered from Jul 2028)" in note
    assert "19,440 GPU-months in all" in note
    med = median_delay_case(inp, spec.interconnection, "base")
    r = run_tco(med.inputs, 1.2e7)
    assert r.assumptions.set_index("key").loc["phase_units", "description"].endswith("phase 1: 72, phase 2: 72")
    assert r.summary["waiting_for_power_gpu_months"] == pytest.approx(3_240 * 6, abs=1e-6)
    p = med.inputs.params()
    assert p["server_usd_per_accelerator"] + p["network_usd_per_accelerator"] + p["storage_usd_per_accelerator"] \
        == 41_750.0 and p["it_price_change_frac"] == 0.0
    capex = r.monthly["capex_it_usd"]
    assert capex[capex > 0].iloc[:2].tolist() == pytest.approx([5_976 * 41_750.0, 3_240 * 41_750.0], rel=1e-12)
    # a caller's case of fractional shares (no phase_units) keeps its continuous count
    bare_inp = dataclasses.replace(inp, phase_units=None)
    assert float(tco_ramp.power_wait(bare_inp)["waiting_gpus"].max()) == pytest.approx(
        9_216 - 12_000 / (design_kw / 9_216), abs=1e-6)


def test_phase_units_must_be_whole_units_of_each_phase():
    with pytest.raises(InputError, match=r"phase_units: phase 1 holds 50 GPUs \(0.5 of 100\), not a whole number of "
                                         r"72-GPU units; allowed: phases whose GPUs are whole racks or servers"):
        TcoInputs(n_accelerators=100, it_capacity_kw=1.0, it_energy_kwh=1.0, phases=((0.0, 0.5), (6.0, 0.5)),
                  phase_units=(72, 72))
    with pytest.raises(InputError, match="phase_units: must be None or one whole number >= 1 per entry of phases"):
        TcoInputs(n_accelerators=100, it_capacity_kw=1.0, it_energy_kwh=1.0, phase_units=(0,))
    # 2 x 50 GPUs in 10-GPU servers, grid for 0.65 of the fleet (65 GPUs): phase 2 is split at 6 whole servers, 10 GPUs
    # on that grid phase and 40 beyond it (not 15 and 35)
    inp = TcoInputs(n_accelerators=100, it_capacity_kw=1.0, it_energy_kwh=1.0, phases=((0.0, 0.5), (6.0, 0.5)),
                    grid_phases=((0.0, 0.65),), phase_units=(10, 10))
    assert [round(f * 100, 9) for _, f, _, _ in tco_ramp.tranche_plan(inp)] == [50.0, 10.0, 40.0]
