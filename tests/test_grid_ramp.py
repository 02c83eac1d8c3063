"""Whole-unit counts on a knife edge (dcplan.grid_ramp.units_fit_words, dcplan.grid_waiting.plan_gap_fit_words)."""
from __future__ import annotations

import pandas as pd
import pytest

from dcplan import grid
from dcplan.grid_ramp import units_fit_words, whole_units_gpus
from dcplan.grid_waiting import plan_gap_fit_words, plan_gap_lines
from dcplan.specs.interconnection import InterconnectionSpec


@pytest.mark.parametrize("kw_per_gpu, want", [
    # 12,000 / (72 x 2.0087) = 82.973: 82 racks; 83 need 2.0087 x 82.973 / 83 = 2.00804 kW/GPU, 0.033 % less
    # (within 0.05 %) and 0.027 units away (within 0.1)
    (2.0087, "82.97 fit; 1 more rack needs 0.033 % less power per rack"),
    # northern-virginia's 12 MW phase: 12,000 / (72 x 2.0076) = 83.018: 83 racks; 83.018 / 83 - 1 = 0.022 % more
    # loses one, 0.018 units away
    (2.0076, "83.02 fit; 1 rack fewer at 0.022 % more power per rack"),
    # 12,000 / (72 x 2.0300) = 82.10: 82 racks; 82.10 / 82 - 1 = 0.12 % more loses one, 1 - 82.10 / 83 = 1.08 % less
    # fits 83: the nearer edge is 0.12 %, above 0.05 % (the words said it under the 2 % rule)
    (2.0300, ""),
    # 12,000 / (72 x 16) = 10.417: 5.3 % less fits 11, 4.2 % more loses one
    (16.0, ""),
])
def test_units_fit_words_by_hand(kw_per_gpu, want):
    assert units_fit_words(12_000.0, kw_per_gpu, 72, "racks") == want


def test_a_few_racks_a_hundredth_from_a_whole_count_are_not_on_an_edge_unless_within_0_05_pct():
    # 3,000 / (72 x 2.08) = 20.032 racks: 0.032 units from 20 (within 0.1) but 20.032 / 20 - 1 = 0.16 % more power
    # loses one, above 0.05 %: the stated 2.080 kW/GPU tells that apart
    assert units_fit_words(3_000.0, 2.08, 72, "racks") == ""


@pytest.mark.parametrize("r, want", [
    # either side of 0.05 % (FIT_EDGE_FRAC), both well within 0.1 units: r = kw at 1 kW per GPU, whole GPUs
    (20.009, "20.01 fit; 1 GPU fewer at 0.045 % more power per GPU"),   # 0.009 / 20 = 0.045 %
    (20.011, ""),                                                        # 0.011 / 20 = 0.055 %
    (19.991, "19.99 fit; 1 more GPU needs 0.045 % less power per GPU"),  # 0.009 / 20 = 0.045 %
    # either side of 0.1 units (FIT_EDGE_UNITS), both well within 0.05 %
    (500.09, "500.09 fit; 1 GPU fewer at 0.018 % more power per GPU"),  # 0.09 units, 0.09 / 500 = 0.018 %
    (500.11, ""),                                                        # 0.11 units, 0.022 %
    (499.91, "499.91 fit; 1 more GPU needs 0.018 % less power per GPU"),  # 0.09 units, 0.09 / 500 = 0.018 %
    (499.89, ""),                                                        # 0.11 units
])
def test_the_edge_is_said_within_0_05_pct_and_a_tenth_of_a_unit(r, want):
    assert units_fit_words(r, 1.0, 1, "GPUs") == want


def test_a_large_count_is_not_flagged_only_because_its_gap_is_small():
    # 6,000 kW / (8 x 1.5653) = 479.141: 479.141 / 479 - 1 = 0.0295 % more power loses one (within 0.05 %; the gap
    # between two counts is 1 / 479 = 0.21 %, so about a quarter of all counts lie this near), but 0.141 units away:
    # not said. The 2 % rule said "479.14 fit; 1 unit fewer at 0.03 % more power per unit" (and would for any count)
    assert units_fit_words(6_000.0, 1.5653, 8, "units of 8 GPUs") == ""
    # research-triangle-nc's servers: 6,000 / (8 x 1.73661) = 431.88, 0.029 % less fits 432 but 0.12 units away
    assert units_fit_words(6_000.0, 1.7366100781786349, 8, "servers") == ""


def test_units_fit_words_names_the_unit():
    # 6,000 kW / (8 x 1.5656) = 479.0496: 479.0496 / 479 - 1 = 0.0104 % more loses one (2 significant digits: 0.010,
    # written 0.01), 0.05 units away
    assert units_fit_words(6_000.0, 1.5656, 8, "units of 8 GPUs") == \
        "479.05 fit; 1 unit fewer at 0.01 % more power per unit"


def test_a_count_a_hair_below_the_next_whole_is_not_shown_as_it():
    # 1,000 kW at 1.0000004 kW/GPU: r = 1,000 / 1.0000004 = 999.9996, so 999 GPUs fit (whole_units_gpus), and one
    # more needs 1 - 999.9996 / 1,000 = 0.00004 % less power. The text said "1,000 fit" (r to 6 significant
    # digits, the count that does not fit) and "4e-05 %"
    assert whole_units_gpus(1_000.0, 1.0000004) == 999
    assert units_fit_words(1_000.0, 1.0000004, 1, "GPUs") == \
        "999.9996 fit; 1 more GPU needs 0.00004 % less power per GPU"
    # a hair above a whole count: 1,000 / 0.9999996 = 1,000.0004, 1,000 fit, one fewer at 0.00004 % more
    assert units_fit_words(1_000.0, 0.9999996, 1, "GPUs") == \
        "1,000.0004 fit; 1 GPU fewer at 0.00004 % more power per GPU"


def _phased():
    ic = InterconnectionSpec(region="az-aps", requested_mw=24, filed="2025-01-01",
                             phases=[{"energized": "2028-01-01", "mw": 12}, {"energized": "2028-07-01", "mw": 12}])
    cap = grid.capacity_timeline(ic, "2028-01-01", "2028-12-01")
    idx = cap.index
    plan = pd.Series(9_216.0, index=idx)
    return ic, cap, plan


def test_plan_gap_line_says_the_knife_edge():
    # 12 MW at 2.0087 kW/GPU: floor(82.973) = 82 racks, 5,904 of 9,216 GPUs, 3,312 waiting 6 months
    ic, cap, plan = _phased()
    ramp = grid.deployment_ramp(cap, 2.0087, plan, 72)
    lines, most = plan_gap_lines(ramp, ic, 72, "racks", 2.0087)
    assert most == 3_312.0
    assert lines == ["82 of 128 racks powered from 2028-01 to 2028-06 (72 GPUs each; 82.97 fit; 1 more rack needs "
                     "0.033 % less power per rack): 3,312 GPUs installed and unpowered, 19,872 GPU-months, until "
                     "phase 2 (12 MW, planned 2028-07-01)"]
    assert plan_gap_fit_words(ramp, ic, 72, "racks", 2.0087) == ["82.97 fit; 1 more rack needs 0.033 % less power "
                                                                   "per rack"]
    # without kw_per_gpu the line is as before (no ratio)
    assert plan_gap_lines(ramp, ic, 72, "racks")[0][0].startswith("82 of 128 racks powered from 2028-01 to 2028-06 "
                                                                   "(72 GPUs each): ")
