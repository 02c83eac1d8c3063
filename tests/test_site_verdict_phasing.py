"""The verdict says when a phased plan leaves GPUs unpowered before a later grid phase.

Finding of an owner's project scheduler: at northern-virginia the verdict said "the grid draw stays within the
contracted 24 MW all year ... a strong candidate", but fleet phase 2 (64 GB200 NVL72 racks = 4,608 GPUs) is
installed 2028-01-01 while grid phase 2 (12 MW) is planned for 2028-07-01: the verdict compared only the full
build-out with the full contract.

Hand count (data/sites/northern-virginia.yaml; the interconnection notebook's kw_per_gpu, the facility power
at full design IT in the typical year's worst hour / 9,216 GPUs = 2.0076 kW): a GB200 NVL72 is bought and powered
as one 72-GPU rack (data/hardware.csv accelerators_per_unit 72, kind rack), 72 x 2.0076 = 144.547 kW a rack, so
12 MW powers floor(12,000 / 144.547) = floor(83.02) = 83 racks = 5,976 GPUs (not the 5,977 whole GPUs of
12,000 / 2.0076), 24 MW all 128 racks. On the planned dates: 2027-01 to 2027-12 phase 1's 4,608 GPUs run on
phase 1's 12 MW; from 2028-01 9,216 are installed and 9,216 - 5,976 = 3,240 (45 racks) wait until phase 2 counts
(2028-07): 3,240 x 6 = 19,440 GPU-months. With the median grid delay (19.08 months: phase 1 energized 2028-08-04,
counting from 2028-09; phase 2 2030-02-03, counting from 2030-03): 4,608 x 12 (2027-01..2027-12, nothing
energized) + 9,216 x 8 (2028-01..2028-08) + 3,240 x 18 (2028-09..2030-02) = 55,296 + 73,728 + 58,320 = 187,344
GPU-months. A knife edge: 83.02 racks fit; at 2.0087 kW per GPU (the water-cooled chillers' rated COP 6.1, before
2026-12) 82.97 did, 82 racks, 3,312 GPUs waiting, 19,872 and 188,640 GPU-months.
"""
from __future__ import annotations

import math

import pandas as pd
import pytest

from dcplan import design_hours, grid, pipeline
from dcplan.grid_waiting import plan_gaps, stranded_gpu_months
from dcplan.site import load_portfolio
from dcplan.site_verdict import site_verdict
from dcplan.specs.interconnection import InterconnectionSpec
from dcplan.verdict_phasing import plan_gap_text

NOVA_GPUS = {"2027-01-01": 4_608, "2028-01-01": 4_608}  # 2 phases x 64 racks x 72 GPUs


def test_the_stranded_gpu_months_at_northern_virginia_by_hand():
    ic = load_portfolio()["northern-virginia"].interconnection
    dates = grid.energization_dates(ic)
    assert list(dates["energized_p50"]) == [pd.Timestamp("2028-08-04"), pd.Timestamp("2030-02-03")]
    got = stranded_gpu_months(ic, 2.0092, NOVA_GPUS, gpus_per_unit=72)  # 12,000 / (72 x 2.0092) = 82.95: 82 racks
    assert got["plan_gpu_months"] == 3_312 * 6 == 19_872
    assert got["total_gpu_months"] == 4_608 * 12 + 9_216 * 8 + 3_312 * 18 == 188_640
    assert plan_gaps(got["planned_ramp"], ic)[0]["max_gpus"] == 3_312.0
    # whole GPUs (gpus_per_unit 1, the count before racks were powered whole): 5,972 powered, 3,244 waiting
    got = stranded_gpu_months(ic, 2.0092, NOVA_GPUS)
    assert got["plan_gpu_months"] == 3_244 * 6 == 19_464
    assert got["total_gpu_months"] == 4_608 * 12 + 9_216 * 8 + 3_244 * 18 == 187_416
    assert got["delay_gpu_months"] == 187_416 - 19_464 and got["gpus"] == 9_216
    assert plan_gaps(got["planned_ramp"], ic) == [
        {"first": pd.Period("2028-01", "M"), "last": pd.Period("2028-06", "M"), "months": 6, "min_gpus": 3_244.0,
         "max_gpus": 3_244.0, "gpu_months": 19_464.0, "label": "phase 2", "mw": 12.0,
         "planned": pd.Timestamp("2028-07-01")}]


def test_a_contract_short_of_the_fleet_keeps_the_never_powered_gpus_apart():
    """17 MW (8.5 + 8.5) at 2.00917 kW/GPU: 8.5 MW powers floor(8,500 / 2.00917) = 4,230 GPUs, 17 MW 8,461
    (755 never powered). Waiting for phase 2: 4,608 - 4,230 = 378 in 2027 (12 months), 8,461 - 4,230 = 4,231
    in 2028-01..06 (6 months): 378 x 12 + 4,231 x 6 = 29,922. The 755 never powered are a shortfall, not a
    wait: the plan total is 29,922 too (it counted them to the ramp's last month 2032-02, 50 months, and said
    67,672 = 29,922 + 755 x 50, a figure set by where the ramp ends)."""
    ic = InterconnectionSpec(region="va-dominion", requested_mw=17, filed="2024-06-01",
                             phases=[{"energized": "2027-01-01", "mw": 8.5}, {"energized": "2028-07-01", "mw": 8.5}])
    got = stranded_gpu_months(ic, 2.00917, NOVA_GPUS)
    gaps = plan_gaps(got["planned_ramp"], ic)
    assert [(g["first"], g["last"], g["min_gpus"], g["max_gpus"], g["gpu_months"]) for g in gaps] == [
        (pd.Period("2027-01", "M"), pd.Period("2028-06", "M"), 378.0, 4_231.0, 378 * 12 + 4_231 * 6)]
    assert got["last_month"] == pd.Timestamp("2032-02-01")
    assert got["plan_gpu_months"] == 29_922 and got["never_powered_gpus"] == 9_216 - 8_461 == 755


def test_the_verdict_of_the_bundled_northern_virginia_says_the_plans_gap():
    pf = load_portfolio()
    spec = pf["northern-virginia"]
    y = pipeline.run_site_year(spec)
    worst = design_hours.typical_year_worst_hour(y.design_it_kw, y.weather, spec.cooling,
                                                 electrical_chain=spec.electrical.stages())
    kw = worst["facility_kw"] / 9_216
    assert 12_000 / (84 * 72) < kw <= 12_000 / (83 * 72)  # so 12 MW powers 83 racks, as the hand count takes it
    want = ("as phased, the plan itself leaves GPUs unpowered before a later grid phase, even with the grid on its "
            "planned dates: 3,240 of its 9,216 GPUs for 6 months (2028-01 to 2028-06) until phase 2 (12 MW, planned "
            "2028-07-01); 19,440 GPU-months on the planned dates (the interconnection notebook's "
            "stranded_gpu_months_plan) and 187,344 with the median grid delay (its stranded_gpu_months), at "
            f"{kw:.3f} kW per GPU (full design IT in the typical year's worst hour; powered in whole racks or servers: "
            "72 GPUs (gb200-nvl72)): the hourly check above is on the full build-out and the full contract")
    assert plan_gap_text(spec, worst["facility_kw"]) == want
    v = site_verdict(spec, y, pf, worst_hour=worst)
    assert ("the grid draw stays within the contracted 24 MW all year on hourly means (highest hourly mean "
            f"{float(y.grid_kw.max()) / 1000:,.2f} MW; the load's 1-s to 15-min peaks within an hour are higher); "
            + want + ". On these numbers") in v.text


def test_a_single_phase_or_a_fleet_after_its_capacity_says_nothing():
    pf = load_portfolio()
    # Phoenix: one 10 MW phase planned 2026-09-01, its fleet from 2026-10-01
    assert plan_gap_text(pf["phoenix-az"], 3_072 * 2.369) is None
    # no interconnection: section
    assert plan_gap_text(pf["phoenix-az"].model_copy(update={"interconnection": None}), 1.0) is None


# -- a fleet of several hardware types: each hall at its own kW per GPU, oldest first (as the TCO) -----------

def _campus(tmp_path):
    """The tester's existing campus: a northern-virginia copy, 500 HGX H100 servers (4,000 GPUs) from 2022-06-01
    on 6 MW in service since 2021, 64 GB200 NVL72 racks (4,608 GPUs) from 2027-09-01 on 12 MW planned
    2027-07-01, filed 2024-06-01."""
    import yaml
    from conftest import bundled_site_copy
    from dcplan.site import load_site
    f = bundled_site_copy(tmp_path, "northern-virginia", "nova-campus", name="NoVA campus")
    d = yaml.safe_load(f.read_text())
    d["fleet"]["phases"] = [{"hardware": "hgx-h100", "count": 500, "start": "2022-06-01", "label": "H100 hall"},
                            {"hardware": "gb200-nvl72", "count": 64, "start": "2027-09-01", "label": "GB200 hall"}]
    d["interconnection"].update(requested_mw=18, phases=[{"energized": "2021-01-01", "mw": 6, "in_service": True},
                                                         {"energized": "2027-07-01", "mw": 12}])
    f.write_text(yaml.safe_dump(d, sort_keys=False))
    return load_site(f)


def test_tranches_are_powered_oldest_first_each_at_its_own_kw():
    from dcplan.grid_waiting import tranche_deployment_ramp
    months = pd.date_range("2030-01-01", periods=3, freq="MS", name="month")
    cap = pd.Series([10.0, 10.0, 23.0], index=months)
    # 4,000 GPUs at 2 kW from January (8 MW), 5,000 at 3 kW from February: 10 MW powers all 4,000 old ones and
    # floor(2,000 / 3) = 666 new ones; 23 MW: 8,000 + 15,000 kW, all of them
    r = tranche_deployment_ramp(cap, [("2030-02-01", 5_000, 3.0), ("2030-01-01", 4_000, 2.0)])
    assert r["powered_gpus"].tolist() == [4_000, 4_666, 9_000] and r["stranded_gpus"].tolist() == [0, 4_334, 0]
    assert r["powerable_gpus"].tolist() == [4_666, 4_666, 9_000]
    assert r["spare_mw"].tolist() == pytest.approx([2.0, 0.002, 0.0], abs=1e-9)
    # a newer, smaller hall takes no power an older one is short of: 7 MW for 4,000 x 2 kW -> 3,500 + 0
    r = tranche_deployment_ramp(cap * 0.7, [("2030-01-01", 4_000, 2.0), ("2030-02-01", 10, 0.5)])
    assert r["powered_gpus"].tolist()[:2] == [3_500, 3_500]
    # one kW for all: grid.deployment_ramp's count (whole GPUs)
    same = tranche_deployment_ramp(cap, [("2030-01-01", 4_000, 2.0092), ("2030-02-01", 4_000, 2.0092)])
    plan = grid.gpu_plan({"2030-01-01": 4_000, "2030-02-01": 4_000}, months)
    old = grid.deployment_ramp(cap, 2.0092, plan)
    cols = ["capacity_mw", "planned_gpus", "powered_gpus", "stranded_gpus", "spare_mw"]
    pd.testing.assert_frame_equal(same[cols], old[cols], check_names=False)
    # its powerable GPUs are of the fleet (8,000 at most), grid.deployment_ramp's of the capacity alone
    assert same["powerable_gpus"].tolist() == [4_977, 4_977, 8_000] == old["powerable_gpus"].clip(upper=8_000).tolist()


def test_a_mixed_existing_campus_counts_its_h100_hall_at_its_own_kw_from_its_start(tmp_path):
    """Hand count: design IT per GPU (data/hardware.csv via fleet_table) H100 5,484.375 / 4,000 = 1.3711 kW, GB200
    8,107.52 / 4,608 = 1.7594 kW, times the worst-hour facility / IT ratio (15,508.9 / 13,591.9 = 1.14104): 1.5645
    and 2.0076 kW. 6 MW powers 6,000 / 1.5645 = 3,835.2 H100s' power, in whole 8-GPU servers floor(3,835.2 / 8) =
    479 servers = 3,832 of the 4,000 H100s: 168 wait from the fleet's start (2022-06) until phase 2 counts (2027-07),
    61 months, 10,248 GPU-months; then 18 MW carries 4,000 x 1.5645 + 4,608 x 2.0076 = 15,509 kW. With the median
    delay phase 2 is energized 2028-08-04 (counting from 2028-09): 168 x 75 (2022-06..2028-08) + 4,608 x 12
    (2027-09..2028-08) = 12,600 + 55,296 = 67,896. The old count (the fleet's average 15,508.9 / 8,608 = 1.8017 kW,
    from the filing date, in whole units of 8 GPUs, the greatest common divisor of an HGX server's 8 and an NVL72
    rack's 72): 6,000 / 1.8017 = 3,330.2 GPUs, 416 units = 3,328 powered, 672 waiting 37 months (2024-06..2027-06),
    24,864 GPU-months; with the median delay 672 x 51 (2024-06..2028-08) + 55,296 = 89,568.

    With the water-cooled chillers' rated COP 6.1 (before 2026-12) the worst hour was 15,517.29 kW (ratio 1.14166:
    1.5653 and 2.0087 kW per GPU, the average 1.8027; the same counts). Before the plant took the tower's approach
    by Merkel's method the worst hour (2025-07-09 16:00, 26.7 °C wet
    bulb) was 15,521.04 kW (ratio 1.1419: 1.5657 and 2.0092 kW per GPU; 3,832 H100s on 6 MW by whole GPUs too;
    the average 1.803 kW: 3,327.5 GPUs, 415 units, 680 waiting, 25,160 and 89,976 GPU-months). The tower,
    selected for 3.9 K at the 25.5 °C design wet bulb, has a narrower Merkel approach at 26.7 °C: colder condenser
    water, less chiller power, 3.75 kW less (as tests/test_contract_adequacy.py's 18,516 -> 18,512 kW for this
    weather). The 0.02 % moves the average-kW count across one 8-GPU unit (415 -> 416)."""
    spec = _campus(tmp_path)
    y = pipeline.run_site_year(spec)
    worst = design_hours.typical_year_worst_hour(y.design_it_kw, y.weather, spec.cooling,
                                                 electrical_chain=spec.electrical.stages())
    fk = worst["facility_kw"]
    # a regression value of the model: 15,517.29 kW with the rated chiller COP 6.1, 15,521.04 kW with a constant
    # 3.9 K approach (docstring)
    assert y.n_accelerators == 8_608 and fk == pytest.approx(15_508.89, abs=0.01)
    assert fk / y.design_it_kw == pytest.approx(1.14104, abs=1e-5)
    h100 = 5_484.375 / 4_000 * fk / y.design_it_kw
    gb200 = 8_107.52 / 4_608 * fk / y.design_it_kw
    assert h100 == pytest.approx(1.5645, abs=1e-4) and gb200 == pytest.approx(2.0076, abs=1e-4)
    assert 4_000 * h100 + 4_608 * gb200 == pytest.approx(fk, rel=1e-12)
    # 3,835 whole GPUs' power (3,833 at 1.5653), 479 whole 8-GPU servers: 3,832 powered
    assert 6_000 / 3_836 < h100 <= 6_000 / 3_835 and 8 * (3_835 // 8) == 3_832
    # the old count at the fleet's average kW: 416 whole units of 8 GPUs
    avg = fk / 8_608
    assert round(avg, 3) == 1.802 and 8 * math.floor(6_000 / avg / 8) == 3_328
    assert grid.energization_dates(spec.interconnection)["energized_p50"].iloc[1] == pd.Timestamp("2028-08-04")
    want = ("as phased, the plan itself leaves GPUs unpowered before a later grid phase, even with the grid on its "
            "planned dates: 168 of its 8,608 GPUs for 61 months (2022-06 to 2027-06) until phase 2 (12 MW, planned "
            "2027-07-01); 10,248 GPU-months on the planned dates and 67,896 with the median grid delay (the GPUs "
            "installed on plan), each hall at its own kW per GPU (hgx-h100 1.564, gb200-nvl72 2.008; full design IT "
            "in the typical year's worst hour; powered in whole racks or servers: 8 GPUs (hgx-h100), 72 GPUs "
            "(gb200-nvl72)), the oldest powered first and from the fleet's first start (2022-06), "
            "before the filing date (2024-06-01), as the TCO counts the planned dates (the interconnection notebook's "
            "stranded_gpu_months_plan and stranded_gpu_months, 24,864 and 89,568, count every GPU at the fleet's "
            "average 1.802 kW and from the filing date): the hourly check above is on the full build-out and the full "
            "contract")
    assert 168 * 61 == 10_248 and 168 * 75 + 4_608 * 12 == 67_896
    assert (4_000 - 3_328) * 37 == 24_864 and (4_000 - 3_328) * 51 + 4_608 * 12 == 89_568
    assert plan_gap_text(spec, fk) == want


def test_the_mixed_campus_clause_agrees_with_the_tco(tmp_path):
    """The TCO (tco_ramp.power_wait, the tco notebook's inputs on the planned dates) says the same spell: up to
    168 GPUs for 61 months, Jun 2022 to Jun 2027, 10,248 GPU-months: both power whole HGX servers (479 of 8 GPUs on
    6 MW; the TCO once powered fractions of a GPU, 167.84 waiting, 10,238 GPU-months)."""
    from dcplan import power, tco, tco_ramp
    spec = _campus(tmp_path)
    y = pipeline.run_site_year(spec)
    fk = design_hours.typical_year_worst_hour(y.design_it_kw, y.weather, spec.cooling,
                                              electrical_chain=spec.electrical.stages())["facility_kw"]
    live, grid_ph = tco.grid_capacity(spec.interconnection, spec.fleet, fk)
    it_e = float(power.energy_from_power(y.it_kw).sum()) * 8760.0 / len(y.it_kw)
    inputs = tco.inputs_from_site(spec, n_accelerators=y.n_accelerators, it_capacity_kw=y.design_it_kw,
                                  it_energy_kwh=it_e, delay_months=0.0, phases=tco.fleet_phases(spec.fleet),
                                  live_fleet_frac=live, grid_phases=grid_ph)
    assert tco_ramp.power_wait_note(inputs).startswith("GPUs wait for grid power: up to 168 GPUs for 61 months "
                                                       "(Jun 2022 to Jun 2027; powered from Jul 2027)")
    assert "168 of its 8,608 GPUs for 61 months (2022-06 to 2027-06)" in plan_gap_text(spec, fk)
    assert float(tco_ramp.power_wait(inputs)["waiting_gpus"].sum()) == pytest.approx(168 * 61, abs=1e-6)


def test_a_tranche_of_racks_is_powered_in_whole_racks():
    """1 MW for ten 72-GPU racks at 2 kW per GPU (144 kW a rack): floor(1,000 / 144) = 6 racks, 432 GPUs (694 kW),
    not the 500 whole GPUs of 1,000 / 2; an 8-GPU server tranche merged into the same month powers in 8s (the
    greatest common divisor, 8): floor(1,000 / 16) = 62 servers' worth, 496 GPUs."""
    from dcplan.grid_ramp import power_unit_gpus
    from dcplan.grid_waiting import tranche_deployment_ramp
    months = pd.date_range("2030-01-01", periods=1, freq="MS", name="month")
    cap = pd.Series([1.0], index=months)
    r = tranche_deployment_ramp(cap, [("2030-01-01", 720, 2.0, 72)])
    assert r["powered_gpus"].tolist() == [432] and r["stranded_gpus"].tolist() == [288]
    assert r["spare_mw"].tolist() == pytest.approx([1.0 - 432 * 2.0 / 1000], abs=1e-12)
    r = tranche_deployment_ramp(cap, [("2030-01-01", 720, 2.0, 72), ("2030-01-01", 80, 2.0, 8)])
    assert r["powered_gpus"].tolist() == [496]
    # the catalog's units: an NVL72 rack's 72 GPUs, an HGX H100 server's 8
    assert power_unit_gpus(["gb200-nvl72"]) == 72 and power_unit_gpus(["hgx-h100", "gb200-nvl72"]) == 8
    with pytest.raises(Exception, match="tranches: must be a whole number of GPUs >= 1"):
        tranche_deployment_ramp(cap, [("2030-01-01", 720, 2.0, 0.5)])
