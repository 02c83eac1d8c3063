"""When each interconnection phase is energized: 0 MW phases, steps in the lead time, and the
first pending phase on ``filed + T``.

Findings of a black-box grid-planner test:

- a 0 MW phase (allowed by the spec: "adds nothing", e.g. as a sweep value) became the first
  pending phase: the queue delay was measured from it, the real capacity came months late and the
  "first phase energized" date had no capacity;
- a site's own time to power with p10 = median = p90 (a wait known to the month, a step in the
  CDF) inverted to [50.96, 134.98, 219.0] months instead of 30, and 12/12/60 gave a p10 of 11.96;
- the energization date was ``planned + delay`` on the calendar of the planned date, up to 3 days
  off ``filed + T`` (the time to power the reports print), in another capacity month in 96 of
  6,171 scanned cases.

Hand values: a step's quantiles are the step's date; calendar months per
:func:`dcplan.grid._add_months` (whole months, then the fraction of the next month's days).
"""
from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd
import pytest

from dcplan import grid
from dcplan.specs.interconnection import InterconnectionSpec, TimeToPowerSpec
from test_grid import _spec

SOURCE = "test: a utility letter"


def _own(p10: float, median: float, p90: float) -> TimeToPowerSpec:
    return TimeToPowerSpec(p10_months=p10, median_months=median, p90_months=p90, source=SOURCE)


# --------------------------------------------------------------------------- finding 1: 0 MW phase

def _zero_first(**kw) -> InterconnectionSpec:
    return _spec(**{"phases": [dict(energized=dt.date(2025, 6, 1), mw=0.0),
                               dict(energized=dt.date(2026, 1, 1), mw=10.0)], **kw})


def test_a_zero_mw_phase_neither_anchors_the_delay_nor_is_first_power():
    ic = _zero_first()
    # az-aps grid wait 18 / 24 / 48 months (data/interconnection.csv); the 10 MW phase is planned
    # 12 calendar months after filing (2025-01-01 -> 2026-01-01): delay 6 / 12 / 36 months, as
    # without the 0 MW phase. It was measured from the 0 MW phase (5 months after filing): 13 / 19 / 43.
    # abs 0.01: the 0.05-month inversion grid (test_grid.test_energization_delay_hand_case)
    d = grid.energization_delay_months(ic, equipment=())
    assert d.to_numpy() == pytest.approx([6.0, 12.0, 36.0], abs=0.01)
    dates = grid.energization_dates(ic, equipment=())
    # the 0 MW phase adds no capacity: left out, the 10 MW phase keeps its spec label
    assert dates["label"].tolist() == ["phase 2"] and dates["mw"].tolist() == [10.0]
    # first power, median: 2025-01-01 + 24 months = 2027-01-01 (0.01 month < half a day)
    assert dates["energized_p50"].min() == pd.Timestamp("2027-01-01")
    # the capacity timeline: 0 MW before January 2027, 10 MW from it
    cap = grid.capacity_timeline(ic, "2026-06-01", "2027-06-01", delay_months=float(d.loc[0.5]))
    assert cap.loc["2026-12-01"] == 0.0 and cap.loc["2027-01-01"] == 10.0
    # same as the plan without the 0 MW phase (exactly: the same phases)
    bare = _zero_first(phases=[dict(energized=dt.date(2026, 1, 1), mw=10.0)])
    pd.testing.assert_series_equal(d, grid.energization_delay_months(bare, equipment=()), check_exact=True)


def test_a_zero_mw_phase_does_not_strand_gpus():
    # the tester's case: 3072 GPUs installed 2026-10-01 at 2.148848 kW/GPU; with the 0 MW phase first,
    # 70,656 stranded GPU-months at the median against 52,224 without it. Same ramp either way (exact:
    # the same capacity months).
    kw, add = 2.148848352301289, {"2026-10-01": 3072}
    base = dict(region="az-aps", requested_mw=10, filed="2025-01-15")
    with0 = InterconnectionSpec(**base, phases=[{"energized": "2026-09-01", "mw": 0},
                                                {"energized": "2027-03-01", "mw": 10}])
    without = InterconnectionSpec(**base, phases=[{"energized": "2027-03-01", "mw": 10}])
    a, b = grid.ramp_band(with0, kw, add), grid.ramp_band(without, kw, add)
    pd.testing.assert_frame_equal(a, b, check_exact=True)


# --------------------------------------------------------------------------- finding 2: steps

@pytest.mark.parametrize("figures, expected", [
    ((30.0, 30.0, 30.0), [30.0, 30.0, 30.0]),   # a wait known to the month: every quantile is 30
    ((12.0, 12.0, 60.0), [12.0, 12.0, 60.0]),   # half the mass at 12: p10 and median are 12
    ((12.0, 60.0, 60.0), [12.0, 60.0, 60.0]),   # half the mass at 60: median and p90 are 60
])
def test_a_step_in_the_grid_wait_inverts_onto_the_step(figures, expected):
    p10, m, p90 = figures
    ttp = grid.time_to_power(_own(p10, m, p90), equipment=())
    # the grid wait alone; abs 1e-6: the CDF is evaluated 1e-9 month below each step
    # (was [50.96, 134.98, 219.0] for 30/30/30 and p10 11.96 for 12/12/60)
    assert ttp["time_to_power_months"].to_numpy() == pytest.approx(expected, abs=1e-6)
    assert ttp["grid_months"].to_numpy() == pytest.approx(expected, abs=1e-9)


def test_equipment_delivered_long_before_leaves_the_known_wait():
    # ordered 120 months before filing: the longest item (transformer, 208 weeks at its high end = 47.8
    # months) is delivered ~72 months before filing, so the time to power is the 30-month wait itself
    # (was 29.96 / 29.98 / 30.0: interpolated across the step); abs 1e-6 as above
    ttp = grid.time_to_power(_own(30.0, 30.0, 30.0), order_delay_months=-120)
    assert ttp["time_to_power_months"].to_numpy() == pytest.approx([30.0, 30.0, 30.0], abs=1e-6)


def test_inversion_of_a_continuous_cdf_is_unchanged():
    # the linear inversion between grid points still holds for a smooth CDF: F(t) = t / 10 on
    # [0, 10] gives Q(q) = 10 q exactly (float rounding only)
    t = np.linspace(0.0, 10.0, 201)
    q = np.array([0.1, 0.5, 0.9])
    assert grid._invert(t, t / 10.0, q) == pytest.approx(10.0 * q, abs=1e-12)
    # a flat run at q: the first t where F reaches q (F = 0.5 on [4, 6]: Q(0.5) = 4)
    f = np.where(t < 4.0, t / 8.0, np.where(t <= 6.0, 0.5, 0.5 + (t - 6.0) / 8.0))
    assert grid._invert(t, f, np.array([0.5]))[0] == pytest.approx(4.0, abs=1e-12)


# --------------------------------------------------------------------------- finding 3: filed + T

def test_first_pending_phase_is_energized_on_filed_plus_time_to_power():
    """Filed 2024-01-15, phases planned 2026-03-01 and 2026-10-01, a wait known to the month (30).

    Plan: 2024-01-15 -> 2026-02-15 is 25 months, then 14 of the 28 days to 2026-03-15: L1 = 25.5;
    2026-09-15 is 32 months, then 16 of the 30 days to 2026-10-15: L2 = 32 + 16/30. Delay 30 - 25.5
    = 4.5 months. First phase: filed + 30 months = 2026-07-15 (planned + 4.5 months on the planned
    date's calendar gave 2026-07-01 + round(15.5) = 2026-07-17). Second: filed + (L2 + 4.5) =
    2024-01-15 + 37 months = 2027-02-15, then round((16/30 + 0.5 - 1) x 28 days) = round(0.93) = 1 day:
    2027-02-16."""
    ic = InterconnectionSpec(time_to_power=_own(30.0, 30.0, 30.0), requested_mw=10.0, filed="2024-01-15",
                             phases=[{"energized": "2026-03-01", "mw": 5}, {"energized": "2026-10-01", "mw": 5}])
    # abs 1e-6: the step is evaluated 1e-9 month below (test above)
    assert grid.energization_delay_months(ic, equipment=()).to_numpy() == pytest.approx([4.5] * 3, abs=1e-6)
    dates = grid.energization_dates(ic, equipment=())
    for q in ("p10", "p50", "p90"):
        assert dates[f"energized_{q}"].tolist() == [pd.Timestamp("2026-07-15"), pd.Timestamp("2027-02-16")]
    # the capacity timeline counts each from the first month start on or after its date
    cap = grid.capacity_timeline(ic, "2026-07-01", "2027-04-01", delay_months=4.5)
    assert cap.loc["2026-07-01"] == 0.0 and cap.loc["2026-08-01"] == 5.0
    assert cap.loc["2027-02-01"] == 5.0 and cap.loc["2027-03-01"] == 10.0


def test_phoenix_median_energization_is_filed_plus_its_time_to_power():
    """Phoenix (bundled: az-aps, filed 2025-01-15, one phase planned 2026-09-01): filed + T50. T50 =
    37.508 months (the model's); 37 months is 2028-02-15 and February 15 to March 15, 2028 is 29
    days, so any T50 in [37 + 14.5/29, 37 + 15.5/29) = [37.5, 37.5345) is 15 days on: 2028-03-01 (it
    was 2028-02-29: 2026-09-01 + (T50 - 19 - 17/31) months)."""
    ic = InterconnectionSpec(region="az-aps", requested_mw=10, filed="2025-01-15",
                             phases=[{"energized": "2026-09-01", "mw": 10}])
    t50 = float(grid.time_to_power(ic).loc[0.5, "time_to_power_months"])
    assert 37.5 <= t50 < 37.0 + 15.5 / 29
    assert grid.energization_dates(ic).loc[0, "energized_p50"] == pd.Timestamp("2028-03-01")


def test_months_between_and_add_months_are_inverse_at_month_ends():
    # 2024-01-31 + 29 months is 2026-06-30 (clipped); its month runs to 2026-07-31 (31 days), so
    # 2026-07-30 is 29 + 30/31 months on, and back (it read 30.0 months, and came back as 2026-07-31)
    m = grid._months_between("2024-01-31", "2026-07-30")
    assert m == pytest.approx(29 + 30 / 31, abs=1e-12)
    assert grid._add_months("2024-01-31", m) == pd.Timestamp("2026-07-30")
