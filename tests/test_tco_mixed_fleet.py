"""A fleet of several hardware generations in the TCO: each tranche at its own hardware's figures.

A campus planner found (/tmp/tt_s35, Prairie Campus: Hall A hgx-h100 x256 from 2027-03-15, Hall B
hgx-b200 x256 from 2028-07-01, Halls C and D gb200-nvl72 x48 from 2029-10-01 and 2031-04-01; grid 5 MW
2027-01-01, +6 MW 2028-10-01, +8 MW 2029-07-01, +5 MW 2031-10-01) that the TCO's ramp treated the fleet
as shares of one average GPU: 1.9556 kW per GPU for what the grid powers, the month's IT energy as the
full campus's x the GPU share operating, one token rate (the fleet average, 8,684 tokens/s) for every
GPU. So Jul-Sep 2028 powered 2,557 GPUs (by hardware: all 2,048 H100s and 830 B200s), year 2 (Hall A
only) drew 26,019 MWh (Hall A alone: 21,007 MWh) and served 4.49e14 tokens (at the H100's 3,066
tokens/s: 1.58e14), and the levelized cost per M tokens read 0.143 USD (by hand ~0.193).

Now (dcplan.tco_ramp.tranche_ramp, TcoInputs.phase_mix, dcplan.tco_inputs.fleet_phase_mix) each
tranche keeps its hardware's facility kW per GPU, IT energy per GPU-hour and tokens per GPU-second,
and the grid powers the tranches in start order, the oldest first. A fleet of one hardware type is
modelled exactly as before.
"""
from __future__ import annotations

import numpy as np
import pytest
import yaml
from conftest import DATA

from dcplan import pipeline, power, tco, tco_ramp, thermal_plant
from dcplan.power_tokens import THROUGHPUT_EXAMPLES
from dcplan.site import load_site
from dcplan.tco import TcoInputs, run_tco

# the site loads with a warning that the air-cooled HGX H100 runs on a liquid plant (the tester's site as filed)
pytestmark = pytest.mark.filterwarnings("ignore:.*'hgx-h100' is air-cooled in data/hardware.csv")

H100 = THROUGHPUT_EXAMPLES["h100-sxm/llama-2-70b-offline"]    # 3,066 tokens/s (MLPerf v4.1)
GB200 = THROUGHPUT_EXAMPLES["gb200-gpu/llama-2-70b"]
PHASES = [{"hardware": "hgx-h100", "count": 256, "start": "2027-03-15", "label": "Hall A"},
          {"hardware": "hgx-b200", "count": 256, "start": "2028-07-01", "label": "Hall B"},
          {"hardware": "gb200-nvl72", "count": 48, "start": "2029-10-01", "label": "Hall C"},
          {"hardware": "gb200-nvl72", "count": 48, "start": "2031-04-01", "label": "Hall D"}]


def _site_file(tmp, phases, name):
    d = yaml.safe_load((DATA / "sites" / "chicago-il.yaml").read_text())
    for sec in ("weather", "tariff"):
        d[sec]["file"] = str(DATA / d[sec]["file"])
    d["id"], d["name"] = name, "Prairie Campus, IL"
    d["fleet"] = {"phases": phases, "workload": "training", "utilisation_frac": 0.8}
    d["cooling"] = {"type": "liquid", "liquid_class": "W32"}
    d["interconnection"].update(requested_mw=24, filed="2025-09-01", battery={"power_mw": 2, "energy_mwh": 8},
                                phases=[{"energized": "2027-01-01", "mw": 5}, {"energized": "2028-10-01", "mw": 6},
                                        {"energized": "2029-07-01", "mw": 8}, {"energized": "2031-10-01", "mw": 5}])
    d["solar"] = {"dc_kw": 2000, "tilt_deg": 35}
    d["finance"] = {"discount_rate_frac": 0.08, "horizon_years": 6, "it_refresh_years": 3}
    p = tmp / f"{name}.yaml"
    p.write_text(yaml.safe_dump(d, sort_keys=False))
    return load_site(p)


def _notebook_case(spec):
    """The tco notebook's inputs and result for a site (notebooks/tco.ipynb, scenario base)."""
    y = pipeline.run_site_year(spec)
    per_year = 8760.0 / len(y.it_kw)
    it_e = float(power.energy_from_power(y.it_kw).sum()) * per_year
    design_kw = float(thermal_plant.plant_hourly(y.design_it_kw, y.weather, spec.cooling,
                                                 electrical_chain=spec.electrical.stages())["facility_kw"].max())
    live, grid_ph = tco.grid_capacity(spec.interconnection, spec.fleet, design_kw)
    inputs = tco.inputs_from_site(spec, n_accelerators=y.n_accelerators, it_capacity_kw=y.design_it_kw,
                                  it_energy_kwh=it_e, phases=tco.fleet_phases(spec.fleet), live_fleet_frac=live,
                                  grid_phases=grid_ph, wue_l_per_kwh=float(y.plant["water_l"].sum()) * per_year / it_e,
                                  it_energy_month_frac=tco.month_shares(y.it_kw),
                                  water_month_frac=(tco.month_shares(y.plant["water_l"]) if y.plant["water_l"].sum() > 0
                                                    else None))
    result = run_tco(inputs, pipeline.electricity_by_pv_age(y, inputs.horizon_years))
    return y, design_kw, inputs, result


@pytest.fixture(scope="module")
def campus(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("campus")
    spec = _site_file(tmp, PHASES, "prairie-campus")
    y, design_kw, inputs, result = _notebook_case(spec)
    # facility kW per GPU at design by hardware: its units' design IT (data/hardware.csv via fleet_table) times
    # the site's worst-hour facility / IT ratio (diversity_frac is 1 here)
    t = power.fleet_table(spec)
    assert spec.fleet.diversity_frac == 1.0 and y.design_it_kw == pytest.approx(t["phase_max_kw"].sum(), rel=1e-12)
    ratio = design_kw / y.design_it_kw                               # 1.1434
    kw = {h: float(t.loc[t.hardware == h, "phase_max_kw"].sum() / t.loc[t.hardware == h, "accelerators"].sum())
          * ratio for h in t["hardware"]}
    cal = [str(c) for c in result.calendar_months]
    return dict(tmp=tmp, spec=spec, inputs=inputs, result=result, kw=kw, ratio=ratio, cal=cal)


def test_the_grid_powers_the_oldest_hall_first_each_gpu_at_its_own_kw(campus):
    kw, r, inputs = campus["kw"], campus["result"], campus["inputs"]
    # the worst-hour facility / IT ratio is the plant model's: 1.1425 since the water-cooled chillers' rated COP 6.28
    # (2026-12), 1.1431 with 6.1 and the tower's approach by Merkel's method (2026-12; the tester's 1.1434, and
    # 1.568 / 2.154 / 2.012 kW per GPU, were on the constant design approach)
    assert kw["hgx-h100"] == pytest.approx(1.5665, abs=5e-4) and kw["hgx-b200"] == pytest.approx(2.1520, abs=5e-4)
    assert kw["gb200-nvl72"] == pytest.approx(2.0101, abs=5e-4) and campus["ratio"] == pytest.approx(1.1425, abs=1e-4)
    # Jul-Sep 2028: 5 MW, Halls A and B installed: all 2,048 H100s (3,208 kW), the rest powers B200s in whole
    # 8-GPU servers (TcoInputs.phase_units, data/hardware.csv hgx-b200): (5,000 - 3,208.1) / 2.1520 = 832.7 GPUs'
    # power, 104 servers, 832 GPUs (831.4, 103 servers, 824 GPUs with the rated chiller COP 6.1)
    assert inputs.phase_units == (8, 8, 72, 72)
    b200 = (5000.0 - 2048 * kw["hgx-h100"]) / kw["hgx-b200"]
    assert 2048 * kw["hgx-h100"] == pytest.approx(3208.1, abs=1) and b200 == pytest.approx(832.7, abs=0.1)
    assert 8 * (b200 // 8) == 832
    b200 = 8 * (b200 // 8)
    wait = tco_ramp.power_wait(inputs)
    for month in ("2028-07", "2028-08", "2028-09"):
        m = campus["cal"].index(month)                                # 0-based; power_wait and monthly: m + 1
        assert wait.loc[m + 1, "operating_gpus"] == pytest.approx(2048 + b200, rel=1e-9)
        assert wait.loc[m + 1, "installed_gpus"] == pytest.approx(4096, rel=1e-12)
    m = campus["cal"].index("2028-07")
    assert r.monthly["gpu_hours"].iloc[m] == pytest.approx((2048 + b200) * 0.8 * 744, rel=1e-9)  # July: 744 h
    # Apr-Sep 2031: 19 MW, Hall D installed: A, B and C run, D takes what is left in whole 72-GPU NVL72 racks
    d_on = (19000.0 - 2048 * kw["hgx-h100"] - 2048 * kw["hgx-b200"] - 3456 * kw["gb200-nvl72"]) / kw["gb200-nvl72"]
    d_on = 72 * (d_on // 72)
    m = campus["cal"].index("2031-05")
    assert wait.loc[m + 1, "operating_gpus"] == pytest.approx(7552 + d_on, rel=1e-9)
    assert 0 < d_on < 3456


def test_a_year_of_hall_a_alone_draws_hall_a_energy_and_h100_tokens(campus):
    # year 2 (2027-04 to 2028-03): Hall A only, powered all year; its energy is that of a site of Hall A alone
    r = campus["result"]
    alone = _site_file(campus["tmp"], PHASES[:1], "hall-a-alone")
    y = pipeline.run_site_year(alone)
    hall_a_mwh = float(power.energy_from_power(y.it_kw).sum()) * 8760.0 / len(y.it_kw) / 1000.0
    assert hall_a_mwh == pytest.approx(21007, abs=1)                 # the tester's figure
    assert r.annual.loc["it_energy_mwh", 2] == pytest.approx(hall_a_mwh, rel=1e-9)   # was 26,019
    assert r.annual.loc["gpu_hours", 2] == pytest.approx(2048 * 0.8 * 8760, rel=1e-12)
    assert r.annual.loc["tokens", 2] == pytest.approx(2048 * 0.8 * 8760 * 3600 * H100, rel=1e-9)  # 1.58e14
    assert r.annual.loc["tokens", 2] == pytest.approx(1.58e14, rel=3e-3)


def test_tokens_follow_each_tranche_when_the_grid_binds(campus):
    # May 2031 (744 h): the H100s and B200s (the H100 figure stands in for the B200) and Hall C's GB200s run,
    # Hall D's in part (whole 72-GPU racks)
    kw, r = campus["kw"], campus["result"]
    d_on = (19000.0 - 2048 * kw["hgx-h100"] - 2048 * kw["hgx-b200"] - 3456 * kw["gb200-nvl72"]) / kw["gb200-nvl72"]
    d_on = 72 * (d_on // 72)
    m = campus["cal"].index("2031-05")
    hand = 0.8 * 744 * 3600 * (4096 * H100 + (3456 + d_on) * GB200)
    assert r.monthly["tokens"].iloc[m] == pytest.approx(hand, rel=1e-9)
    # the levelized cost per million tokens: 0.143 USD at the fleet average, ~0.193 by hardware (the tester's hand,
    # with the facility at C&W's 11.7 M USD/MW). The campus is liquid-cooled (cooling.type liquid): since 2026 its
    # facility default is data/costs.csv's facility_liquid_usd_per_mw, 16.38 M USD/MW, which adds (16.38 - 11.7) M x
    # MW x the PV cost of one USD of facility capex (tests/test_tco_liquid_capex.facility_npv_per_usd, by hand: build
    # 12 months, 6 years, 8 %, 2.5 % inflation) over the PV of the tokens: 0.193 -> 0.208
    from test_tco_liquid_capex import facility_npv_per_usd
    disc = (1.08) ** (-np.arange(1, len(r.monthly) + 1) / 12.0)
    pv_tokens = float((r.monthly["tokens"].to_numpy() * disc).sum())
    extra = ((16.38e6 - 11.7e6) * campus["inputs"].it_capacity_kw / 1000.0
             * facility_npv_per_usd(12, 6, 0.08, 0.025, 0.21, after_tax=False) / pv_tokens * 1e6)
    assert r.summary["usd_per_million_tokens"] == pytest.approx(0.193 + extra, rel=5e-3)


def _two_tranches(**kw):
    """100 GPUs, half from month 0 and half from month 1; grid: half the fleet's design facility power;
    the second half's GPUs draw 3x the kW, 2x the IT energy and serve 4x the tokens of the first's."""
    return TcoInputs(n_accelerators=100, it_capacity_kw=200.0, it_energy_kwh=876_000.0, utilization_frac=1.0,
                     horizon_years=1, phases=((0, 0.5), (1, 0.5)), grid_phases=((0, 0.5),),
                     costs={"build_months": 0, "tokens_per_s_per_accelerator": 1000.0}, **kw)


def test_two_hardware_months_by_hand():
    """Weights over the fleet's average: kW 0.5 and 1.5, energy 2/3 and 4/3, tokens 0.4 and 1.6. Month 1
    (January, 744 h): the first 50 GPUs take 0.25 of the 0.5 powered; month 2 (February, 672 h): the
    others take the 0.25 left at 1.5 each: 16.67 of them run. IT energy 876 MWh a year, the bill 1,000
    USD a month at full build-out."""
    inp = _two_tranches(phase_mix=((1.0, 1.0, 1.0), (3.0, 2.0, 4.0)))
    mo = run_tco(inp, 12_000.0).monthly
    on2 = 0.25 / 1.5 * 100                                            # 16.67 GPUs of the second tranche
    assert mo["gpu_hours"].iloc[:2].tolist() == pytest.approx([50 * 744, (50 + on2) * 672], rel=1e-12)
    share = [50 / 100 * 2 / 3, 50 / 100 * 2 / 3 + on2 / 100 * 4 / 3]  # 1/3, 5/9 of the full year's IT energy
    assert mo["it_energy_mwh"].iloc[:2].tolist() == pytest.approx([876 * 744 / 8760 * share[0],
                                                                   876 * 672 / 8760 * share[1]], rel=1e-12)
    assert mo["tokens"].iloc[:2].tolist() == pytest.approx(
        [50 * 0.4 * 744 * 3600 * 1000, (50 * 0.4 + on2 * 1.6) * 672 * 3600 * 1000], rel=1e-12)
    assert mo["opex_electricity_usd"].iloc[:2].tolist() == pytest.approx([1000 * share[0], 1000 * share[1]],
                                                                        rel=1e-12)


def test_a_later_tranche_does_not_take_power_from_a_running_one():
    # the second tranche (the hungrier GPUs) starts later: the first keeps its 0.25; swapped, the first
    # (now the hungrier) is powered first: 0.5 / 1.5 of the fleet = 33.3 GPUs, the other none
    r = tco_ramp.tranche_ramp(_two_tranches(phase_mix=((3.0, 1.0, 1.0), (1.0, 1.0, 1.0))), 0.0, 0.0, 2)
    assert r.operating[0].tolist() == pytest.approx([0.5 / 1.5, 0.5 / 1.5], rel=1e-12)


def test_phase_mix_is_checked_and_one_hardware_is_the_model_as_before():
    with pytest.raises(tco.InputError, match=r"phase_mix: must be None or one \(kw, energy, tokens\) triple of "
                                             r"numbers > 0 per entry of phases \(2\)"):
        _two_tranches(phase_mix=((1.0, 1.0, 1.0),))
    same = _two_tranches(phase_mix=((2.0, 5.0, 7.0), (2.0, 5.0, 7.0)))
    assert same.phase_mix is None
    a, b = run_tco(_two_tranches(), 12_000.0), run_tco(same, 12_000.0)
    assert a.monthly.equals(b.monthly) and a.summary == b.summary
    assert _two_tranches(phase_mix=((1.0, 1.0, 1.0), (3.0, 1.0, 1.0))).phase_mix == ((0.5, 1.0, 1.0), (1.5, 1.0, 1.0))


def test_a_bundled_site_of_one_hardware_type_is_unchanged():
    """Research Triangle NC (two H100 halls): no phase mix, and the NPV of the notebook's base case as before
    the change (computed with the earlier dcplan.tco_ramp / tco_cashflows: 248,250,189.92 USD on the constant
    tower approach, 248,029,520.20 USD since the plant takes the tower's approach by Merkel's method, 2026-12:
    more chiller hours, a larger bill; a regression value of the model, not a hand figure)."""
    spec = load_site(DATA / "sites" / "research-triangle-nc.yaml")
    from dcplan.tco_inputs import fleet_phase_mix
    assert fleet_phase_mix(spec) is None
    _, _, inputs, result = _notebook_case(spec)
    assert inputs.phase_mix is None
    # the continuous count the pin was computed with (before whole servers, TcoInputs.phase_units)
    import dataclasses
    cont = run_tco(dataclasses.replace(inputs, phase_units=None),
                   pipeline.electricity_by_pv_age(pipeline.run_site_year(spec), inputs.horizon_years))
    # 248,029,509.34 USD since the tower table was refined at light heat (2026-12; within its 0.03 K): -11 USD
    # 248,007,510.91 USD since the tower's water follows the air its fans move (2026-12: make-up 71,423 -> 72,867 m3
    # a year at 3 USD/m3, less tax, over the horizon: -21,998 USD)
    # 248,167,316.28 USD since the CRAH fans and loop pumps follow part-load curves (2026-12): the full fleet's bill
    # 3,700,940 -> 3,671,166 USD a year (-29,773) and make-up water 72,867 -> 72,369 m3 (-498 m3, -1,494 USD at
    # 3 USD/m3): 31,267 x (1 - 0.21 tax) = 24,701 USD a year, x 6.71 (10-year annuity at 8 %) = 166 k USD, less
    # for the ramp: +159,805 USD (was 248,007,510.91)
    # 248,167,860.82 USD since the weather reader takes a sub-zero dew point over water, the file's convention
    # (ca51aaf; it read a frost point, 248,167,316.28): Greensboro's wet bulb in those hours up to 0.76 K higher, the
    # tower fans faster and one free-cooling hour fewer, the bill 3,671,166 -> 3,671,201 USD a year (+34), the towers'
    # moister inlet air taking up less water, make-up 72,369 -> 72,322 m3 (-47 m3, -142 USD): 107 x (1 - 0.21) =
    # 85 USD a year saved, x 6.71 = 570 USD, less for the ramp: +545 USD
    # 248,167,860.82 USD at data/costs.csv's federal 21 % tax, until the site set North Carolina's combined rate
    # (2026), 0.21 + 0.0225 x 0.79 = 0.227775 (data/SOURCES.md): the tax is the rate times a taxable income the rate
    # does not change, so the NPV moves by -0.017775 x the PV at 8 % (month m: 1.08^(-m/12)) of the case's taxable
    # income (its monthly lines); rel 1e-9 as the pin's. Then pinned (241,134,259.83 USD).
    # Since the site gives North Carolina's phase-down by calendar year (G.S. 105-130.3: 2 % in 2026-27, 1 % in
    # 2028-29, 0 % from 2030, combined 0.21 + 0.79 s; dcplan.tco_tax_schedule), each tax year (project year, from
    # 2025-07) is taxed at the rate of the calendar year it begins in, as the statute's "taxable years beginning
    # in" sets it: the NPV moves by -(rate_m - 0.21) x taxable_m, month by month, from the federal-only figure
    assert dict(inputs.tax_rate_schedule) == pytest.approx({2025: 0.21 + 0.0225 * 0.79, 2026: 0.21 + 0.02 * 0.79,
                                                            2028: 0.21 + 0.01 * 0.79, 2030: 0.21}, abs=1e-12)
    taxable = cont.monthly["taxable_income_usd"].to_numpy()
    years = np.array([m.year for m in cont.calendar_months])
    years = years[(np.arange(years.size) // 12) * 12]       # the year each month's tax year begins in
    state = np.select([years < 2026, years < 2028, years < 2030], [0.0225, 0.02, 0.01], 0.0) * (1 - 0.21)
    state_pv = float((state * taxable) @ (1.08 ** (-np.arange(1, taxable.size + 1) / 12)))
    # 248,249,031.55 USD since the water-cooled chillers' rated COP 6.28 (2026-12; was 248,167,860.82): the design
    # facility power per GPU 0.25 % lower (1.7409 -> 1.7366 kW), so each grid phase powers that much more of the
    # continuous fleet while it waits (+81,171 USD; a regression value)
    # 248,249,637.04 USD since the sun of the sunrise and sunset hours sits at the midpoint of the part of the hour
    # it is up (2026-12, dcplan.solar_position; was 248,249,031.55): the site's PV 2,716.2 -> 2,717.9 MWh a year, its
    # bill 3,671,240 -> 3,671,120 USD a year (-120 USD: x (1 - tax) x the 10-year annuity, less for the ramp,
    # +605 USD; a regression value)
    # 248,222,119.66 USD since the water line splits into water and sewer and the site gives Durham County's sewer
    # rate, 1.57503 USD/m3 for data/costs.csv's 1.5 (2026-12, data/SOURCES.md, Water and sewer rates; was
    # 248,249,637.04): make-up 72,312 m3 a year x 0.07503 = 5,426 USD a year, x (1 - 0.21) x the 10-year annuity
    # at 8 % (6.71), less for the ramp: -27,517 USD
    assert cont.summary["npv_usd"] == pytest.approx(248222119.6589 - state_pv, rel=1e-9)
    # whole 8-GPU HGX servers: the 6 MW grid phase powers 6,000 / 1.7366 = 3,455.0 GPUs' design power, 431 servers,
    # 3,448 GPUs (3,446.5, 430 servers, 3,440 GPUs at 1.7409 kW with the rated chiller COP 6.1, before 2026-12)
    assert inputs.phase_units == (8, 8)
    assert tco_ramp.power_wait(inputs)["waiting_gpus"].max() == pytest.approx(4_096 - 431 * 8, abs=1e-6)
