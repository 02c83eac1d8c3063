"""The firm-only waiting count of dcplan.grid_waiting (the interconnection notebook's stranded_gpu_months_firm_only).

Hand criteria: a site filed 2025-03-01 with region nc-duke (grid wait 24 / 36 / 60 months) and dcplan's default
equipment has a median time to power of 41.79 months (the product of the grid wait's and the transformer's and
switchgear's two-piece lognormal CDFs, inverted: 41.7943 by an independent bisection); its first phase (planned 2026-06-01, 15 months after filing) slips
26.79 months to 2028-08-26 and its second (2027-06-01) to 2029-08-26, so their capacity counts from 2028-09 and
2029-09. At 2 kW per GPU in whole servers of 8 GPUs (16 kW): the first phase's firm 1 MW powers floor(1,000 / 16) =
62 servers = 496 GPUs, the firm 5 MW of both floor(5,000 / 16) = 312 servers = 2,496 GPUs. Installed: 2,048 GPUs
from 2026-07, 4,096 from 2027-01. The firm capacity never powers 4,096 - 2,496 = 1,600 of them: a shortfall, not a
wait, left out of every month. Waiting GPU-months:

- 2026-07 to 2026-12, 6 months x 2,048 (none powered; 2,048 < 2,496, none left out) = 12,288
- 2027-01 to 2028-08, 20 months x (4,096 - 1,600) = 49,920
- 2028-09 to 2029-08, 12 months x (4,096 - 496 - 1,600) = 24,000
- from 2029-09: 4,096 - 2,496 - 1,600 = 0

total 86,208, whatever month the ramp ends in. Counted as waiting (until 2026), the 1,600 added 1,600 GPU-months for
every month from 2029-09 to the ramp's end (24 months past the last phase's p90 date).
"""
from __future__ import annotations

import pandas as pd
import pytest

from dcplan import grid
from dcplan.grid_waiting import firm_only_waiting
from dcplan.specs.interconnection import InterconnectionSpec

KW_PER_GPU = 2.0
ADDITIONS = {pd.Timestamp("2026-07-01"): 2048, pd.Timestamp("2027-01-01"): 2048}


def _spec() -> InterconnectionSpec:
    return InterconnectionSpec(region="nc-duke", requested_mw=12, filed="2025-03-01", phases=[
        {"energized": "2026-06-01", "mw": 2, "firm_frac": 0.5}, {"energized": "2027-06-01", "mw": 4}])


def _band(end=None) -> pd.DataFrame:
    return grid.ramp_band(_spec(), KW_PER_GPU, ADDITIONS, quantiles=(0.5,), gpus_per_unit=8, firm_only=True,
                          **({} if end is None else {"end": end}))


def test_the_firm_shortfall_is_left_out_of_the_firm_only_waiting_months():
    b = _band()
    # the dates the hand count rests on: firm capacity 1 MW from 2028-09, 5 MW from 2029-09
    cap = b["capacity_mw_p50"]
    assert cap.loc["2028-08-01"] == 0.0 and cap.loc["2028-09-01"] == 1.0
    assert cap.loc["2029-08-01"] == 1.0 and cap.loc["2029-09-01"] == 5.0
    w = firm_only_waiting(b, KW_PER_GPU, 8)
    assert w["never_powered_gpus"] == 1600.0
    assert w["powered_gpus_end"] == 2496.0
    assert w["gpu_months"] == pytest.approx(86_208.0, abs=1e-9)


def test_the_firm_only_waiting_months_do_not_grow_with_the_ramps_end():
    # the same count with the ramp run 10 years further: the firm shortfall is no wait, so no month is added
    short, long = _band(), _band(end="2045-01-01")
    assert len(long) > len(short) + 100
    assert firm_only_waiting(long, KW_PER_GPU, 8)["gpu_months"] == pytest.approx(86_208.0, abs=1e-9)
