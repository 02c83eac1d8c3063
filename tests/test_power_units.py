"""Tests of dcplan.power_units: a small fleet's independent units are drawn one by one, not their expectation."""
from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from dcplan import power as pw
from dcplan.errors import DcplanWarning
from dcplan.power_units import MAX_SIMULATED_UNITS, peak_shortfall_frac

DAY_1S = pd.date_range("2026-07-01 00:00:01", periods=86400, freq="1s", tz="UTC")


def _fleet(count, workload="batch", util=0.5, **kw):
    return {"phases": [{"hardware": "hgx-h100", "count": count, "start": "2026-01-01", "label": "A"}],
            "workload": workload, "utilisation_frac": util, **kw}


@pytest.mark.parametrize("workload, util", [("batch", 0.5), ("inference", 0.6), ("mixed", 0.7), ("training", 0.8)])
def test_one_unit_is_its_own_realisation_whatever_sync_frac(workload, util):
    """One server: its power is its own realisation (sync_frac 1, exact for one unit), not the many-unit
    expectation. The old model gave the batch server 8.91 kW flat all day (1 s min = max)."""
    f = _fleet(1, workload, util)
    own = pw.site_it_kw(f, DAY_1S, seed=4, sync_frac=1.0)
    # one unit and no lock-step share: the unit is the fleet's own seeded draw, bit for bit (tolerance 0)
    np.testing.assert_array_equal(pw.site_it_kw(f, DAY_1S, seed=4, sync_frac=0.0).to_numpy(), own.to_numpy())
    if workload != "training":   # the workload's default sync_frac is 0: the same
        np.testing.assert_array_equal(pw.site_it_kw(f, DAY_1S, seed=4).to_numpy(), own.to_numpy())
    assert own.max() > own.min()


def test_one_batch_server_swings():
    f = _fleet(1)
    one = pw.site_it_kw(f, DAY_1S, seed=0)
    many = pw.site_it_kw(_fleet(5000), DAY_1S, seed=0) / 5000   # expectation per unit (5000 units)
    # the expectation's per-unit power is flat for batch (stationary mix; the gear share differs: 1 rack for
    # 1 unit against 1,250 for 5,000, so compare the swing, not the level)
    assert many.max() - many.min() < 1e-9
    hourly = one.to_numpy().reshape(24, 3600).mean(axis=1)
    # batch at 0.5: queue gaps at 0.05 and jobs at (0.5 x 8100 - 900 x 0.05) / 7200 = 0.556 +- 0.15 (2 h jobs,
    # 15 min gaps, PROFILE_PARAMS); hgx-h100 spans 7.6 kW from idle (2.6) to full (10.2 kW, hardware.csv). A day
    # holds ~10 jobs and gaps: in 1 s a gap against the lowest job level is 0.356 x 7.6 = 2.7 kW; hourly means
    # spread with the job levels (0.3 of utilisation: 2.3 kW). Floors 2.6 and 2.0 kW (seed 0: 5.7 and 2.7)
    assert one.max() - one.min() > 2.6
    assert hourly.max() - hourly.min() > 2.0


def test_a_rack_is_its_phases_first_units():
    """Rack level (one 4-unit rack of an 8-unit phase) = site level of a 4-unit phase: the same unit draws
    (seeded by fleet seed, phase and unit), so levels agree; site = sum of halls."""
    rack = pw.fleet_it_kw(_fleet(8), DAY_1S[:7200], seed=2, level="rack").iloc[:, 0]
    site4 = pw.site_it_kw(_fleet(4), DAY_1S[:7200], seed=2)
    np.testing.assert_allclose(rack.to_numpy(), site4.to_numpy(), rtol=1e-12)
    two = {"phases": [{"hardware": "hgx-h100", "count": 3, "start": "2026-01-01", "label": "A"},
                      {"hardware": "hgx-h100", "count": 5, "start": "2026-01-01", "label": "B"}],
           "workload": "batch", "utilisation_frac": 0.5}
    halls = pw.fleet_it_kw(two, DAY_1S[:7200], seed=2, level="hall")
    np.testing.assert_allclose(halls.sum(axis=1).to_numpy(), pw.site_it_kw(two, DAY_1S[:7200], seed=2).to_numpy(),
                               rtol=1e-12)
    # the two halls are independent units, not copies of one another
    assert not np.allclose(halls["A"] / 3, halls["B"] / 5)


def _noon_samples(n_units, seeds, days):
    """Per-unit IT power at 11:00-12:00 UTC of each day, one sample per (seed, day) [kW]: batch jobs are cut at
    UTC midnight and drawn per day, so the samples are independent and identically distributed."""
    idx = pd.date_range("2026-03-01 01:00", periods=24 * days, freq="1h", tz="UTC")
    out = []
    for seed in seeds:
        it = pw.site_it_kw(_fleet(n_units), idx, seed=seed, include_addons=False).to_numpy()
        out.append(it.reshape(days, 24)[:, 11] / n_units)
    return np.concatenate(out)


def test_independent_share_std_falls_as_one_over_sqrt_n():
    """N independent units: the per-unit power's variance is the one unit's over N (Monte Carlo over seeds
    and days). The old model gave 0 (the expectation, the same for every seed)."""
    v1 = _noon_samples(1, range(12), 60)
    for n in (4, 16):
        vn = _noon_samples(n, range(12), 60)
        ratio = v1.var(ddof=1) / (n * vn.var(ddof=1))
        # standard error of a sample variance: var * sqrt((kurtosis - (m - 3) / (m - 1)) / m), m = 720 samples
        se = [np.sqrt((np.mean((x - x.mean()) ** 4) / x.var() ** 2 - (len(x) - 3) / (len(x) - 1)) / len(x))
              for x in (v1, vn)]
        assert ratio == pytest.approx(1.0, abs=4 * np.hypot(*se)), n


def test_expectation_above_the_limit_warns_when_it_understates_the_peaks():
    n = MAX_SIMULATED_UNITS + 36
    # batch: 6.4 % at 64 units (power_units.PEAK_SHORTFALL_AT_MAX_FRAC) x sqrt(64 / 100) = 5.1 %
    assert peak_shortfall_frac("batch", n) == pytest.approx(0.064 * 0.8)
    with pytest.warns(DcplanWarning, match=r"its 100 independent units .* at least about 5\.1%"):
        flat = pw.site_it_kw(_fleet(n), DAY_1S[:3600])
    assert flat.max() - flat.min() < 1e-9             # the expectation: flat for batch
    # inference: 0.5 % x sqrt(64 / 100) = 0.4 %, below the 1 % that warns; 2,600+ batch units: below 1 %
    pw.site_it_kw(_fleet(n, "inference", 0.6), DAY_1S[:3600])
    pw.site_it_kw(_fleet(2700), DAY_1S[:3600])


def test_drawn_units_keep_1s_and_1h_energy_equal():
    """Each drawn unit is a realisation of the workload process, exact at any step (dcplan.workload): the hourly
    power of 8 drawn batch units is the mean of their 1 s power (float64 grid edges: rel 1e-6, as
    tests/test_properties.py)."""
    fine = pw.site_it_kw(_fleet(8), DAY_1S[:7200], seed=9)
    coarse = pw.site_it_kw(_fleet(8), pd.date_range("2026-07-01 01:00", periods=2, freq="1h", tz="UTC"), seed=9)
    np.testing.assert_allclose(coarse.to_numpy(), fine.to_numpy().reshape(2, 3600).mean(axis=1), rtol=1e-6)
