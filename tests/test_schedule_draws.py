"""dcplan.schedule_draws: the off-peak year's synthetic draws and the range of its savings over them."""
import numpy as np
import pandas as pd
import pytest

from dcplan import schedule
from dcplan.errors import InputError
from dcplan.schedule_draws import DRAW_STRIDE, other_draws, spread, spread_text, week_seed, year_jobs
from dcplan.schedule_idle import above_idle


def test_week_seeds_draw_zero_is_the_years_old_seeding():
    # the notebook's year generated week k from seed + 1000 + k before draws existed: draw 0 keeps it
    assert [week_seed(7, 0, k) for k in range(3)] == [1007, 1008, 1009]
    assert week_seed(7, 2, 51) == 7 + 1000 + 2 * DRAW_STRIDE + 51
    # no two draws share a week's seed over a year of weeks
    seeds = {week_seed(0, d, k) for d in range(20) for k in range(53)}
    assert len(seeds) == 20 * 53


@pytest.mark.parametrize("tz, first, kwa", [("Etc/GMT+7", "2025-01-01 01:00", None),
                                             ("America/New_York", "2025-03-01 01:00", 1.759)])  # over the DST change
def test_year_jobs_are_the_generators_weeks(tz, first, kwa):
    # year_jobs draws each week as generate_jobs does and makes one table of them (not one per week, for speed):
    # the same rows, bit for bit, and the same table attributes
    idx = pd.date_range(first, periods=2 * 7 * 24, freq="h", tz=tz)
    start = idx[0] - pd.Timedelta("1h")
    kw = dict(n_jobs=30, n_nonpreemptible=3, flex_kw=2000.0, utilisation_frac=0.3, kw_per_accelerator=kwa)
    full, above = year_jobs(start, 2, idx, seed=5, draw=1, idle_frac=0.25, **kw)
    # independently: each week from the generator at its seed, jobs due after the last hour left out
    expect = pd.concat([schedule.generate_jobs(start + pd.Timedelta(days=7 * k), 7, step="1h",
                                               seed=5 + 1000 + DRAW_STRIDE + k, prefix=f"w{k:02d}-", **kw)
                        for k in range(2)])
    expect = expect[expect["deadline"] <= idx[-1]]
    assert len(full) == 60  # both weeks: every deadline is clipped to its week's end, the last hour at most
    pd.testing.assert_frame_equal(full, expect, check_exact=True)
    pd.testing.assert_frame_equal(above, above_idle(expect, 0.25), check_exact=True)
    assert full.attrs == expect.attrs and above.attrs == above_idle(expect, 0.25).attrs


def test_spread_by_hand():
    s = spread([30.0, np.nan, 10.0, 20.0, 40.0])
    assert s == {"min": 10.0, "median": 25.0, "max": 40.0, "n": 4}
    assert spread_text(s, 5) == ("min 10, median 25, max 40 USD over 4 draws (1 of 5 not like for like: a "
                                 "strategy left jobs unplaced)")
    assert spread_text(spread([np.nan]), 1) == "no draw of 1 like for like: a strategy left jobs unplaced in each"
    # a saving of float noise below 0 reads 0, not "-0" (a verifier's finding)
    assert spread_text(spread([-1e-7, 2.4]), 2) == "min 0, median 1, max 2 USD over 2 draws"


def test_draw_counts_refused_outside_one_to_twenty():
    idx = pd.date_range("2025-01-01 01:00", periods=24, freq="h", tz="UTC")
    assert other_draws(1, idx[0], 1, idx, seed=0, jobs_kw={}, rolling_kw={}).empty
    for n in (0, 21):
        with pytest.raises(InputError, match=r"allowed: 1 to 20 \(each draw is scheduled over the year's weeks\)"):
            other_draws(n, idx[0], 1, idx, seed=0, jobs_kw={}, rolling_kw={})


@pytest.mark.slow
def test_offpeak_notebook_gives_the_range_over_draws(monkeypatch):
    """Two draws of one rolling week at Phoenix: draw 1 scheduled again here from its own seeds through the rolling
    horizon API gives the saving the notebook lists for it, and the published range is of the two draws."""
    from dcplan.schedule_rolling import rolling_horizon
    from tests.conftest import run_cells_until
    ns, _ = run_cells_until("offpeak_scheduling", "draw_figs = {}", monkeypatch, site="phoenix-az",
                            rolling_weeks=1, seed_draws=2)
    draws, figs = ns["draws"], ns["draw_figs"]
    assert list(draws["draw"]) == [0, 1]
    assert draws.at[0, "vs_greedy_usd"] == pytest.approx(ns["ysv"]["vs_greedy_usd"], abs=1e-6)
    idx = ns["ydx"]
    # n_jobs -1 on Phoenix's flexible 1,536 accelerators (of 1.884 kW each: the site fleet's)
    assert (ns["mix"].n_jobs, ns["mix"].n_nonpreemptible) == (200, 20)
    kw = dict(n_jobs=ns["mix"].n_jobs, n_nonpreemptible=ns["mix"].n_nonpreemptible, flex_kw=ns["flex_kw"],
              utilisation_frac=ns["util_frac"], kw_per_accelerator=ns["si"].kw_per_accelerator)
    jobs = schedule.generate_jobs(idx[0] - pd.Timedelta("1h"), 7, step="1h", seed=0 + 1000 + DRAW_STRIDE,
                                  prefix="w00-", **kw)
    jobs = above_idle(jobs[jobs["deadline"] <= idx[-1]], ns["idle_frac"])
    r = rolling_horizon(jobs, idx, **ns["year_rolling_kw"])
    assert draws.at[1, "vs_greedy_usd"] == pytest.approx(float(r.savings["vs_greedy_usd"]), abs=1e-6)
    v = sorted(draws["vs_greedy_usd"])  # (below half a cent published as 0: USD_ZERO; abs was 1e-5)
    assert figs["rolling_saving_vs_greedy_draws_min_usd"][0] == pytest.approx(v[0], abs=0.005)
    assert figs["rolling_saving_vs_greedy_draws_max_usd"][0] == pytest.approx(v[1], abs=0.005)
    assert figs["rolling_saving_vs_greedy_draws_median_usd"][0] == pytest.approx((v[0] + v[1]) / 2, abs=0.005)
    va = sorted(draws["vs_asap_usd"])
    assert va[0] > 0 and figs["rolling_saving_vs_asap_draws_max_usd"][0] == pytest.approx(va[1], rel=1e-12)
    assert figs["rolling_saving_vs_greedy_draws_range"][0].endswith("USD over 2 draws")


def test_the_weeks_whose_mix_fills_other_than_asked_are_warned_of_once():
    """A one-server site's year gave one warning per week (44 in the report). Four accelerators of 1.275 kW (5.1 kW
    flexible) and 24 jobs of at least one accelerator each: every week fills more than the 0.4 asked."""
    import warnings

    import pandas as pd

    from dcplan.errors import DcplanWarning
    from dcplan.schedule import generate_jobs
    start = pd.Timestamp("2025-01-06", tz="America/Chicago")
    idx = pd.date_range(start + pd.Timedelta("1h"), periods=3 * 7 * 24, freq="h")
    kw = dict(n_jobs=24, n_nonpreemptible=0, flex_kw=5.1, utilisation_frac=0.4)
    with warnings.catch_warnings(record=True) as rec:
        warnings.simplefilter("always")
        full, _ = year_jobs(start, 3, idx, seed=0, idle_frac=0.3, **kw)
    msgs = [str(w.message) for w in rec if issubclass(w.category, DcplanWarning)]
    assert len(msgs) == 1, msgs
    # the fills by hand from the generator's own weeks: sum of energy over flex_kw x 168 h
    fills, weeks = [], []
    for k in range(3):
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", DcplanWarning)
            weeks.append(generate_jobs(start + pd.Timedelta(days=7 * k), 7, step="1h", seed=week_seed(0, 0, k),
                                       prefix=f"w{k:02d}-", **kw))
        fills.append(float(weeks[-1]["energy_kwh"].sum()) / (5.1 * 168))
    assert min(fills) > 0.4 * 1.05
    assert msgs[0].startswith(f"generate_jobs: the mix of 24 jobs fills {min(fills):.3g} to {max(fills):.3g} of "
                              "flex_kw 5 kW in 3 of the year's 3 weeks (draw 0 of the synthetic mix), not the "
                              "utilisation_frac 0.4 asked: each job is a whole number of accelerators")
    expect = pd.concat(weeks)  # the warnings are gathered, the jobs are the generator's as before
    pd.testing.assert_frame_equal(full, expect[expect["deadline"] <= idx[-1]])


def test_the_synthetic_mix_is_of_the_site_fleets_accelerators():
    # a fleet whose accelerators draw 1.759 kW each (design IT over accelerators; not the generator's default
    # 1.275 kW of an H100 HGX): each job of the year's and the week's mixes is a whole number of them, and the mix's
    # size is told in them (flexible 2,000 kW = 1,137.0 of them), as the notebook's set-up line counts the fleet
    from types import SimpleNamespace

    from dcplan.schedule_jobs import KW_PER_ACCELERATOR_DEFAULT
    from dcplan.schedule_mix import mix_size
    from dcplan.schedule_setup import week_jobs
    from dcplan.schedule_window import local_week
    kwa = 1.759
    assert abs(kwa - KW_PER_ACCELERATOR_DEFAULT) > 0.1
    idx = pd.date_range("2025-01-01 01:00", periods=7 * 24, freq="h", tz="Etc/GMT+7")
    full, _ = year_jobs(idx[0] - pd.Timedelta("1h"), 1, idx, seed=5, n_jobs=30, n_nonpreemptible=3, flex_kw=2000.0,
                        utilisation_frac=0.3, idle_frac=0.25, kw_per_accelerator=kwa)
    week, _ = week_jobs(SimpleNamespace(flex_kw=2000.0, kw_per_accelerator=kwa), "",
                        local_week("2025-07-14", "Etc/GMT+7", step="15min"), n_jobs=30, n_nonpreemptible=3,
                        utilisation_frac=0.3, seed=5)
    for jobs in (full, week):
        n = jobs["power_kw"].to_numpy() / kwa
        assert np.allclose(n, np.round(n), rtol=0, atol=1e-9) and (n >= 1 - 1e-9).all()
        assert np.allclose(jobs["accelerators"], n, rtol=1e-12) and (jobs["kw_per_accelerator"] == kwa).all()
    assert "on a flexible capacity of 1,137.0 accelerators" in mix_size(-1, -1, flex_kw=2000.0, utilisation_frac=0.3,
                                                                         kw_per_accelerator=kwa).text
