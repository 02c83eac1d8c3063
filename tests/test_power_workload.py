"""Tests of dcplan.workload: determinism, resolution consistency, calibration, CSV input."""
from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from dcplan import power as pw
from dcplan import workload as wk
from dcplan.errors import InputError

DATA = Path(__file__).parent / "data" / "power"
TZ = "America/New_York"
SEC_2D = pd.date_range("2025-03-07 00:00:01", periods=2 * 86400, freq="1s", tz=TZ)   # Fri-Sat
HOUR_2D = pd.date_range("2025-03-07 01:00", periods=48, freq="1h", tz=TZ)


def _hourly_mean(x: pd.Series) -> np.ndarray:
    return x.to_numpy().reshape(-1, 3600).mean(axis=1)


@pytest.mark.parametrize("kind", wk.WORKLOADS)
def test_hourly_profile_is_the_mean_of_the_one_second_profile(kind):
    fine = wk.workload_profile(kind, SEC_2D, 0.6, seed=7)
    coarse = wk.workload_profile(kind, HOUR_2D, 0.6, seed=7)
    # exact closed-form interval integrals; training fractions are float32 (rel 6e-8 each)
    np.testing.assert_allclose(_hourly_mean(fine), coarse.to_numpy(), atol=1e-6)
    assert fine.between(0, 1).all()


@pytest.mark.parametrize("kind", wk.WORKLOADS)
def test_profiles_are_deterministic_and_window_independent(kind):
    a = wk.workload_profile(kind, HOUR_2D, 0.6, seed=3)
    b = wk.workload_profile(kind, HOUR_2D, 0.6, seed=3)
    pd.testing.assert_series_equal(a, b)
    # the second day alone is the same process as the second half of the two days
    day2 = wk.workload_profile(kind, HOUR_2D[24:].copy(), 0.6, seed=3)
    np.testing.assert_allclose(day2.to_numpy(), a.to_numpy()[24:], atol=1e-9)
    if kind != "training":   # training at 1 h is flat (periods divide the hour): seed-independent
        c = wk.workload_profile(kind, HOUR_2D, 0.6, seed=4)
        assert not np.allclose(a.to_numpy(), c.to_numpy())


def test_training_mean_and_levels_are_calibrated():
    # defaults: comm 20 % of each iteration at 0.7x, checkpoint 60 s of 1800 s at 0.10; without
    # interruptions mean 0.8 solves u_c = (0.8 - delta*0.10) / ((1 - delta)(1 - 0.2 + 0.2*0.7))
    delta = 60 / 1800
    uc = (0.8 - delta * 0.10) / ((1 - delta) * 0.94)
    prof = wk.training_profile(SEC_2D[:7200], 0.8, seed=1, interruptions_per_day=0)
    assert prof.max() == pytest.approx(uc, rel=1e-6)
    assert prof.min() == pytest.approx(0.10, abs=1e-6)
    # two whole hours hold whole iterations and checkpoints: the mean is exact
    assert prof.mean() == pytest.approx(0.8, abs=1e-6)


def test_training_interruptions_keep_the_long_run_mean():
    idx = pd.date_range("2025-01-01 01:00", periods=8760, freq="1h", tz="UTC")
    prof = wk.training_profile(idx, 0.8, seed=4)
    # interrupted share q = 3.2 % (workload._interrupted_share; 1/day x 1800 s / (1 - e^-1) / 86400 s
    # = 3.3 % less failures absorbed by a running restart); its yearly sampling
    # std ~ q / sqrt(365) ~ 0.2 %-points moves the mean by < 0.002: 0.01 is > 4 sigma
    assert prof.mean() == pytest.approx(0.8, abs=0.01)
    assert prof.min() < 0.5 and prof.max() < 1.0          # hours with a restart show up
    assert (prof < 0.79).mean() == pytest.approx(0.05, abs=0.04)


def test_training_shape_shows_swings_and_dips():
    prof = wk.training_profile(SEC_2D[:3600], 0.8, seed=1, iteration_s=4.0)
    levels = np.unique(np.round(prof.to_numpy(), 4))
    # compute, communication and checkpoint levels plus partial-second mixes
    assert levels.min() == pytest.approx(0.10, abs=1e-4) and levels.max() > 0.9
    assert ((prof - prof.max()).abs() < 1e-6).mean() > 0.4   # mostly computing


def test_inference_mean_is_near_target_over_weeks():
    idx = pd.date_range("2025-01-06 01:00", periods=24 * 7 * 8, freq="1h", tz=TZ)
    prof = wk.inference_profile(idx, 0.6, seed=2)
    # deterministic shape has mean 0.6 exactly over whole weeks; random bursts add a
    # Poisson term of std ~ sqrt(1344 bursts) * 300 s * 0.08 / 1344 h ~ 0.00025
    assert prof.mean() == pytest.approx(0.6, abs=0.005)
    # weekdays busier than weekends, afternoons busier than nights
    loc = prof.index - pd.Timedelta("1h")       # interval start (labels are interval-ending)
    assert prof[loc.day_of_week < 5].mean() > prof[loc.day_of_week >= 5].mean()
    assert prof[loc.hour == 14].mean() > prof[loc.hour == 2].mean()


def test_expected_profile_removes_unit_level_swings():
    exp = wk.workload_profile("training", SEC_2D[:3600], 0.8, expected=True)
    assert exp.std() < 1e-6 and exp.mean() == pytest.approx(0.8, abs=1e-6)


def test_bad_parameters_are_clear_errors():
    with pytest.raises(InputError, match="unknown 'checkpoint_intreval_s'.*did you mean 'checkpoint_interval_s'"):
        wk.training_profile(HOUR_2D, 0.8, checkpoint_intreval_s=600)
    with pytest.raises(InputError, match="mean_util_frac.*not reachable"):
        wk.training_profile(HOUR_2D, 0.99)
    with pytest.raises(InputError, match="mean_util_frac.*in \\[0, 1\\]"):
        wk.training_profile(HOUR_2D, 1.5)
    with pytest.raises(InputError, match="workload.*did you mean 'inference'"):
        wk.workload_profile("inferense", HOUR_2D, 0.5)
    with pytest.raises(InputError, match="outside the supported"):
        wk.training_profile(pd.date_range("2025-01-01", periods=4, freq="2h", tz=TZ), 0.8)
    irregular = HOUR_2D.delete(5)
    with pytest.raises(InputError, match="irregular step"):
        wk.training_profile(pd.DatetimeIndex(list(irregular)), 0.8)
    with pytest.raises(InputError, match="naive"):
        wk.training_profile(pd.date_range("2025-01-01", periods=4, freq="1h"), 0.8)


# ------------------------------------------------------------------------- from data
def test_read_profile_csv_utilisation_and_power():
    u = wk.read_profile_csv(DATA / "utilisation_15min.csv")
    assert u.name == "utilisation_frac" and len(u) == 96 and u.index.freq == pd.Timedelta("15min")
    kw = wk.read_profile_csv(DATA / "it_kw_15min.csv")
    assert kw.name == "it_kw"
    naive = wk.read_profile_csv(DATA / "naive.csv", tz=TZ)
    assert (naive.index == u.index).all()   # same instants (zone name differs)


@pytest.mark.parametrize("name, match", [("bad_gap.csv", "irregular step"),
                                         ("bad_duplicate.csv", "duplicate timestamp"),
                                         ("naive.csv", "naive timestamps")])
def test_read_profile_csv_rejects_bad_files(name, match):
    with pytest.raises(InputError, match=match):
        wk.read_profile_csv(DATA / name)


def test_read_profile_csv_rejects_bad_values(tmp_path):
    p = tmp_path / "u.csv"
    p.write_text("timestamp,utilisation_frac\n2025-01-01T01:00:00+00:00,0.5\n2025-01-01T02:00:00+00:00,1.3\n")
    with pytest.raises(InputError, match="utilisation_frac.*outside \\[0, 1\\]"):
        wk.read_profile_csv(p)
    p.write_text("timestamp,load\n2025-01-01T01:00:00+00:00,0.5\n")
    with pytest.raises(InputError, match="'utilisation_frac' or 'it_kw'"):
        wk.read_profile_csv(p)


def test_data_profile_drives_the_fleet_and_averages_exactly():
    u = wk.read_profile_csv(DATA / "utilisation_15min.csv")
    fleet = {"phases": [{"hardware": "hgx-h100", "count": 10, "start": "2025-01-01"}],
             "workload": "data", "data_file": "unused.csv",
             "utilisation_frac": 0.5}
    hourly = pd.date_range("2025-03-01 01:00", periods=24, freq="1h", tz=TZ)
    it = pw.site_it_kw(fleet, hourly, data=u, include_addons=False)
    # linear curve: hourly power = 10 * (2.6 + 7.6 * mean of the four 15-min values)
    want = 10 * (2.6 + 7.6 * u.to_numpy().reshape(24, 4).mean(axis=1))
    np.testing.assert_allclose(it.to_numpy(), want, rtol=1e-12)
    kw = wk.read_profile_csv(DATA / "it_kw_15min.csv")
    it2 = pw.site_it_kw(fleet, hourly, data=kw)
    np.testing.assert_allclose(it2.to_numpy(), kw.to_numpy().reshape(24, 4).mean(axis=1), rtol=1e-12)
    with pytest.raises(InputError, match="not the requested period"):
        pw.site_it_kw(fleet, pd.date_range("2025-03-02 01:00", periods=24, freq="1h", tz=TZ), data=u)


# --------------------------------------------------------------- long-run calibration (review)
YEARS_20 = pd.date_range("2001-01-01 01:00", periods=8760 * 20, freq="1h", tz="UTC")


def test_training_long_run_mean_holds_with_frequent_interruptions():
    """Realised 20-year mean equals mean_util_frac with 4 interruptions/day, 1 h restarts.

    Failures during a restart are dropped, so the interrupted share is not failures x mean
    length (4/day x 1800 s x 1/(1 - e^-0.5) / 86400 s = 0.212). On the 1800 s checkpoint grid
    (lam_t = 4 x 1800 / 86400 = 1/12 failures per period, rho = e^(-1800/3600)):
    q = exp(-lam_t rho / (1 - rho)) (1 - exp(-lam_t)) / (1 - rho) = 0.17871 (hand calculation).
    The old calibration (q = 0.212) gave a mean of 0.623 for a target of 0.6. Tolerance: 20
    years hold ~29,000 failures; the sampling std of the mean is ~0.0015, abs 0.006 is 4 sigma.
    """
    lam_t, rho = 4 * 1800 / 86400, np.exp(-0.5)
    q = np.exp(-lam_t * rho / (1 - rho)) * (1 - np.exp(-lam_t)) / (1 - rho)
    assert q == pytest.approx(0.17871, abs=5e-6)
    proc = wk.make_process("training", 0.6, interruptions_per_day=4.0, restart_s=3600.0)
    assert proc._ew[3] == pytest.approx(q, rel=1e-12)       # the share the levels are solved with
    prof = wk.training_profile(YEARS_20, 0.6, seed=2, interruptions_per_day=4.0, restart_s=3600.0)
    assert prof.mean() == pytest.approx(0.6, abs=0.006)


def test_inference_long_run_mean_holds_with_long_bursts():
    """Realised 20-year mean equals mean_util_frac with 4 bursts/h of mean 900 s at +0.1.

    A burst ends at the next burst's start, so its mean length is E[min(X, gap)] =
    900 / (1 + 4/3600 x 900) = 450 s and bursts add 4 x 450 / 3600 x 0.1 = 0.05 (hand
    calculation), not 4 x 900 / 3600 x 0.1 = 0.1; the old base was 0.05 too low (mean 0.550
    for 0.6). Tolerance: ~700,000 bursts, sampling std < 0.0005; abs 0.002.
    """
    prof = wk.inference_profile(YEARS_20, 0.6, seed=2, burst_rate_per_h=4.0, burst_s=900.0,
                                burst_util_frac=0.1)
    assert prof.mean() == pytest.approx(0.6, abs=0.002)


def test_rates_may_be_zero_but_not_negative():
    """A zero burst or interruption rate means none; a negative rate is a clear input error.

    Inference without bursts over four whole local weeks (from Monday 00:00): the diurnal
    cosine integrates to 0 over each day, the weekday/weekend factors 7/(5 + 2 x 0.9) average
    to 1 over a week and minute noise is 0 on whole hours, so the mean is 0.6 exactly
    (rel 1e-9 covers float sums of 672 terms).
    """
    idx = pd.date_range("2025-01-06 01:00", periods=24 * 7 * 4, freq="1h", tz="Etc/GMT+5")
    prof = wk.inference_profile(idx, 0.6, seed=1, burst_rate_per_h=0.0)
    assert prof.mean() == pytest.approx(0.6, rel=1e-9)
    with pytest.raises(InputError, match=r"profile\.interruptions_per_day.*>= 0"):
        wk.training_profile(HOUR_2D, 0.8, interruptions_per_day=-1.0)
    with pytest.raises(InputError, match=r"profile\.burst_rate_per_h.*>= 0"):
        wk.inference_profile(HOUR_2D, 0.6, burst_rate_per_h=-1.0)


def test_mixed_accepts_the_largest_seed():
    """seed = 2**32 - 1 is documented as valid; the mixed profile's inference part used seed + 1
    (out of range, an InputError). Same seed, same profile; mean of a flat training hour and the
    inference hour stays in [0, 1]."""
    a = wk.mixed_profile(HOUR_2D, 0.7, seed=2**32 - 1)
    b = wk.mixed_profile(HOUR_2D, 0.7, seed=2**32 - 1)
    np.testing.assert_array_equal(a.to_numpy(), b.to_numpy())
    assert ((a >= 0) & (a <= 1)).all()


@pytest.mark.parametrize("kind, lo, hi", [("inference", 0.108, 0.715), ("training", 0.005, 0.884),
                                          ("batch", 0.139, 0.761)])
def test_unreachable_mean_says_which_means_the_shape_reaches(kind, lo, hi):
    """The error for a mean a shape cannot reach said only that it "leaves [0, 1]"; it now
    gives the reachable range (rounded inwards, so both ends are reachable).

    Inference defaults, by hand (workload.PROFILE_PARAMS, _NOISE_CLIP = 2): bursts add
    eb = (300/3600) / (1 + 300/3600) x 0.08 = 0.08/13 = 0.00615; noise band nz = 2 x 2 x
    (0.01 + 0.01) = 0.08; weekday factor fw = 7 / (5 + 2 x 0.9) = 1.02941. The peak
    base fw (1 + 0.15) + 0.08 + nz <= 1 gives mean <= eb + 0.84 / 1.18382 = 0.7157; the
    weekend night base fw 0.9 (1 - 0.15) - nz >= 0 gives mean >= eb + 0.08 / 0.7875 = 0.1077.
    Training and batch: the ends are checked against the generator itself below."""
    with pytest.raises(InputError, match=rf"^mean_util_frac: mean 0\.99 .*allowed with this shape: a mean of "
                                         rf"{lo:.3f} to {hi:.3f}; change the mean, or "):
        wk.make_process(kind, 0.99)
    for m in (lo, hi):
        wk.make_process(kind, m)            # both ends shown are reachable
    for m in (lo - 0.001, hi + 0.001):
        with pytest.raises(InputError):    # and the range is the whole of it (to 0.001)
            wk.make_process(kind, m)


def test_a_shape_that_reaches_no_mean_says_so():
    # noise std 0.5 clipped at 2 std: a band of +/- 2 around the base, wider than [0, 1]
    with pytest.raises(InputError, match=r"no mean is reachable with this shape: reduce diurnal"):
        wk.make_process("inference", 0.5, noise_minute_frac=0.5)
