"""The verdict says when a phased plan leaves GPUs unpowered before a later grid phase.

Finding of an owner's project scheduler: at northern-virginia the verdict said "the grid draw stays within the
contracted 24 MW all year ... a strong candidate", but fleet phase 2 (64 GB200 NVL72 racks = 4,608 GPUs) is
installed 2028-01-01 while grid phase 2 (12 MW) is planned for 2028-07-01: the verdict compared only the full
build-out with the full contract.

Hand count (data/sites/northern-virginia.yaml; the interconnection notebook's kw_per_gpu, the facility power
at full design IT in the typical year's worst hour / 9,216 GPUs = 2.009 kW): 12 MW powers
floor(12,000 / 2.009) = 5,972 GPUs, 24 MW all 9,216. On the planned dates: 2027-01 to 2027-12 phase 1's 4,608
GPUs run on phase 1's 12 MW; from 2028-01 9,216 are installed and 9,216 - 5,972 = 3,244 wait until phase 2
counts (2028-07): 3,244 x 6 = 19,464 GPU-months. With the median grid delay (19.08 months: phase 1 energized
2028-08-04, counting from 2028-09; phase 2 2030-02-03, counting from 2030-03): 4,608 x 12 (2027-01..2027-12,
nothing energized) + 9,216 x 8 (2028-01..2028-08) + 3,244 x 18 (2028-09..2030-02) = 55,296 + 73,728 + 58,392
= 187,416 GPU-months.
"""
from __future__ import annotations

import pandas as pd

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
    got = stranded_gpu_months(ic, 2.0092, NOVA_GPUS)  # 12,000 / 2.0092 = 5,972.5: 5,972 GPUs per 12 MW
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
    in 2028-01..06 (6 months): 378 x 12 + 4,231 x 6 = 29,922. The notebook's plan total adds the 755 never
    powered from 2028-01 to the ramp's last month 2032-02 (50 months): 29,922 + 37,750 = 67,672."""
    ic = InterconnectionSpec(region="va-dominion", requested_mw=17, filed="2024-06-01",
                             phases=[{"energized": "2027-01-01", "mw": 8.5}, {"energized": "2028-07-01", "mw": 8.5}])
    got = stranded_gpu_months(ic, 2.00917, NOVA_GPUS)
    gaps = plan_gaps(got["planned_ramp"], ic)
    assert [(g["first"], g["last"], g["min_gpus"], g["max_gpus"], g["gpu_months"]) for g in gaps] == [
        (pd.Period("2027-01", "M"), pd.Period("2028-06", "M"), 378.0, 4_231.0, 378 * 12 + 4_231 * 6)]
    assert got["last_month"] == pd.Timestamp("2032-02-01")
    assert got["plan_gpu_months"] == 29_922 + 755 * 50 == 67_672


def test_the_verdict_of_the_bundled_northern_virginia_says_the_plans_gap():
    pf = load_portfolio()
    spec = pf["northern-virginia"]
    y = pipeline.run_site_year(spec)
    worst = design_hours.typical_year_worst_hour(y.design_it_kw, y.weather, spec.cooling,
                                                 electrical_chain=spec.electrical.stages())
    kw = worst["facility_kw"] / 9_216
    assert 12_000 / 5_973 < kw <= 12_000 / 5_972  # so 12 MW powers 5,972 GPUs, as the hand count takes it
    want = ("as phased, the plan itself leaves GPUs unpowered before a later grid phase, even with the grid on its "
            "planned dates: 3,244 of its 9,216 GPUs for 6 months (2028-01 to 2028-06) until phase 2 (12 MW, planned "
            "2028-07-01); 19,464 GPU-months on the planned dates (the interconnection notebook's "
            "stranded_gpu_months_plan) and 187,416 with the median grid delay (its stranded_gpu_months), at "
            f"{kw:.3f} kW per GPU (full design IT in the typical year's worst hour): the hourly check above is on the "
            "full build-out and the full contract")
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
