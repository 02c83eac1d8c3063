"""Tests of dcplan.tco_uncertainty: tornado and Monte Carlo."""
from __future__ import annotations

import hashlib
import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from scipy import stats

from dcplan.errors import InputError
from dcplan.tco import TcoInputs, load_costs, run_tco
from dcplan.tco_uncertainty import default_distributions, monte_carlo, percentiles, sample, tornado

INP = TcoInputs(n_accelerators=4096, it_capacity_kw=6000.0, it_energy_kwh=4.2e7, pv_kw_dc=2000.0)
BILL = 4.0e6  # USD, year-1 bill


def test_tornado_base_and_linear_swing_by_hand():
    tr = tornado(INP, BILL, ranges={"revenue_usd_per_gpu_h": (2.0, 6.0), "staff_fte_per_mw": (1.0, 3.0)})
    base = run_tco(INP, BILL)
    assert tr["base_metric"].iloc[0] == pytest.approx(base.summary["npv_usd"], rel=1e-12)
    row = tr.set_index("input").loc["revenue_usd_per_gpu_h"]
    # NPV is linear in price: dNPV = dprice x [PV(GPU-h) - tax rate x PV(the tax on them)], hand; monthly
    # discounting (month m at 1.08^(-m/12)). Each month sells its calendar month's hours (744 h in January, 672 h
    # in February), while the year's tax on the year's revenue is paid as 1/12 in each of its months: the tax
    # of year y is 0.21 x H_y x (sum of year y's discount factors) / 12, H_y the year's GPU-hours
    disc = 1.08 ** -(np.arange(1, 121) / 12)
    h = base.monthly["gpu_hours"].to_numpy()
    pv_h = (h * disc).sum()
    pv_tax_h = (h.reshape(10, 12).sum(axis=1) * disc.reshape(10, 12).sum(axis=1) / 12.0).sum()
    assert row["metric_at_high"] - row["metric_at_low"] == pytest.approx(4.0 * (pv_h - 0.21 * pv_tax_h), rel=1e-9)
    # one row at its high value equals a full deterministic run with that value
    hi = run_tco(INP.with_costs(staff_fte_per_mw=3.0), BILL).summary["npv_usd"]
    assert tr.set_index("input").loc["staff_fte_per_mw", "metric_at_high"] == pytest.approx(hi, rel=1e-12)
    assert list(tr["swing"]) == sorted(tr["swing"], reverse=True)


def test_tornado_default_ranges_come_from_costs_csv():
    tr = tornado(INP, BILL, metric="usd_per_gpu_hour")
    assert "electricity_escalation_frac" in set(tr["input"])
    assert (tr["swing"] >= 0).all()
    with pytest.raises(InputError, match="unknown metric 'npv'.*did you mean"):
        tornado(INP, BILL, ranges={"staff_fte_per_mw": (1.0, 2.0)}, metric="npv")


def test_monte_carlo_fixed_draws_equal_deterministic_run():
    mc = monte_carlo(INP, BILL, {"staff_fte_per_mw": ("fixed", 2.0)}, n_draws=50)
    np.testing.assert_allclose(mc["npv_usd"], run_tco(INP, BILL).summary["npv_usd"], rtol=1e-12)


def test_monte_carlo_linear_input_mean_and_reproducible():
    d = {"server_usd_per_accelerator": ("uniform", 25_000.0, 40_000.0)}
    mc = monte_carlo(INP, BILL, d, n_draws=2000, seed=3)
    # NPV is linear in the server price, so mean NPV = NPV at the sample-mean price (float: 1e-9)
    at_mean = run_tco(INP.with_costs(server_usd_per_accelerator=mc["server_usd_per_accelerator"].mean()),
                      BILL).summary["npv_usd"]
    assert mc["npv_usd"].mean() == pytest.approx(at_mean, rel=1e-9)
    again = monte_carlo(INP, BILL, d, n_draws=2000, seed=3)
    assert (again["npv_usd"] == mc["npv_usd"]).all()
    p = percentiles(mc, ["npv_usd", "usd_per_gpu_hour"])
    assert list(p.index) == ["p5", "p10", "p50", "p90", "p95", "mean", "n_nonfinite"]
    assert (p.loc["n_nonfinite"] == 0).all()
    assert p.loc["p5", "npv_usd"] <= p.loc["p50", "npv_usd"] <= p.loc["p95", "npv_usd"]


def test_sampled_distributions_have_their_moments():
    s = sample({"a": ("normal", 1.0, 0.5), "b": ("lognormal", 2.0, 0.3), "c": ("triangular", 0.0, 0.03, 0.25),
                "d": ("truncnormal", 0.08, 0.05, 0.0, 0.2), "e": ("uniform", 2.0, 6.0)}, 100_000, seed=1)
    n = 100_000
    # every tolerance is >= 5 standard errors at n = 1e5 (s.e. of a mean = sd / sqrt(n))
    # normal: mean 1, sd 0.5; s.e. of the mean 0.5/316 = 0.0016 -> 0.01; s.e. of the sd ~ 0.5/sqrt(2n) = 0.0011
    assert s["a"].mean() == pytest.approx(1.0, abs=0.01)
    assert s["a"].std() == pytest.approx(0.5, abs=0.006)
    # lognormal: median exp(mu) = 2 (s.e. in log space 1.2533 x 0.3/316 = 0.0012 -> rel 0.01);
    # mean 2 exp(0.3^2 / 2) = 2.0920 (s.e. 2.09 x 0.307/316 = 0.0020 -> 0.012)
    assert np.median(s["b"]) == pytest.approx(2.0, rel=0.01)
    assert s["b"].mean() == pytest.approx(2.0 * np.exp(0.3 ** 2 / 2), abs=0.012)
    # triangular(a=0, m=0.03, b=0.25): mean (a+m+b)/3; variance (a²+m²+b²-am-ab-mb)/18 = 0.0559/18
    # (s.e. of the mean sqrt(0.0031/n) = 0.00018 -> 0.002; of the variance sqrt((mu4 - var^2)/n)
    # = 1.2e-5 -> 1e-4)
    assert s["c"].mean() == pytest.approx((0.0 + 0.03 + 0.25) / 3, abs=0.002)
    assert s["c"].var() == pytest.approx((0.03 ** 2 + 0.25 ** 2 - 0.03 * 0.25) / 18, abs=1e-4)
    # truncated normal on [0, 0.2]: within bounds; mean mu + sd (phi(al) - phi(be)) / (Phi(be) - Phi(al)),
    # al = -1.6, be = 2.4 (closed form, = 0.0847; sd 0.043, s.e. 0.043/316 = 0.00014 -> 0.001)
    al, be = (0.0 - 0.08) / 0.05, (0.2 - 0.08) / 0.05
    tn_mean = 0.08 + 0.05 * (stats.norm.pdf(al) - stats.norm.pdf(be)) / (stats.norm.cdf(be) - stats.norm.cdf(al))
    assert s["d"].min() >= 0.0 and s["d"].max() <= 0.2
    assert s["d"].mean() == pytest.approx(tn_mean, abs=0.001)
    # uniform(2, 6): mean 4, variance 4²/12 = 1.333 (s.e. of the mean 1.155/316 = 0.0037 -> 0.02;
    # of the variance sqrt((mu4 - var^2)/n) = sqrt((4⁴/80 - 16/9)/n) = 0.0038 -> 0.02)
    assert s["e"].mean() == pytest.approx(4.0, abs=0.02)
    assert s["e"].var() == pytest.approx(16.0 / 12.0, abs=0.02)
    assert 2.0 <= s["e"].min() and s["e"].max() < 6.0
    assert all(len(v) == n for v in s.values())


@pytest.mark.parametrize("dist, msg", [
    (("normal", 0.0, -1.0), "sd must be > 0"),
    (("uniform", 2.0, 1.0), "low < high"),
    (("triangular", 0.0, 2.0, 1.0), "left <= mode <= right"),
    (("lognormal", -1.0, 0.2), "median > 0"),
    (("gauss", 0.0, 1.0), "unknown distribution 'gauss'"),
    (("normal", 0.0), "takes 2 parameters"),
    (("uniform", 0.0, float("nan")), "finite"),
])
def test_invalid_distributions_are_clear_errors(dist, msg):
    with pytest.raises(InputError, match=msg):
        monte_carlo(INP, BILL, {"staff_fte_per_mw": dist}, n_draws=10)


def test_draws_outside_allowed_range_name_the_input():
    with pytest.raises(InputError, match=r"discount_rate_frac.*in \[0, 1\]"):
        monte_carlo(INP, BILL, {"discount_rate_frac": ("normal", -0.9, 0.5)}, n_draws=1000)
    with pytest.raises(InputError, match="n_draws"):
        monte_carlo(INP, BILL, {"staff_fte_per_mw": ("fixed", 1.0)}, n_draws=0)
    with pytest.raises(InputError, match="unknown input 'staff'"):
        monte_carlo(INP, BILL, {"staff": ("fixed", 1.0)}, n_draws=5)


def test_default_distributions_are_triangular_around_the_base():
    inp = INP.with_costs(server_usd_per_accelerator=50_000.0)  # above the costs.csv high (39,625)
    d = default_distributions(inp)
    assert d["server_usd_per_accelerator"] == ("triangular", 24_875.0, 50_000.0, 50_000.0)
    assert d["discount_rate_frac"] == ("triangular", 0.055, 0.08, 0.12)
    assert all(lo <= mode <= hi and lo < hi for _, lo, mode, hi in d.values())
    with pytest.raises(InputError, match="unknown input 'wacc'"):
        default_distributions(inp, keys=["wacc"])


def test_tornado_straight_line_per_case_lives_match_single_runs():
    # book straight-line with a per-case IT life goes through the per-case depreciation path
    inp = TcoInputs(n_accelerators=512, it_capacity_kw=1000.0, it_energy_kwh=7e6, depreciation="straight-line")
    tr = tornado(inp, 5e5, ranges={"it_refresh_years": (4.0, 6.0)}).set_index("input")
    for col, life in (("metric_at_low", 4.0), ("metric_at_high", 6.0)):
        single = run_tco(inp.with_costs(it_refresh_years=life), 5e5).summary["npv_usd"]
        assert tr.loc["it_refresh_years", col] == pytest.approx(single, rel=1e-12)


def test_throughput_range_scales_with_the_fleets_own_figure():
    # costs.csv: 3066 tokens/s (H100), range 1500-6000, "about half to twice" that figure.
    # A GB200 site takes its own 12,014 tokens/s; the H100 bounds would put both tornado
    # ends below the base. Scaled by hand: 12014 x 1500/3066 and 12014 x 6000/3066.
    inp = INP.with_costs(tokens_per_s_per_accelerator=12_014.0)
    lo, hi = 12_014.0 * 1500.0 / 3066.0, 12_014.0 * 6000.0 / 3066.0
    d = default_distributions(inp)
    assert d["tokens_per_s_per_accelerator"][0] == "triangular"
    assert d["tokens_per_s_per_accelerator"][1:] == pytest.approx((lo, 12_014.0, hi), rel=1e-12)
    tr = tornado(inp, BILL, metric="usd_per_million_tokens").set_index("input")
    row = tr.loc["tokens_per_s_per_accelerator"]
    assert (row["low"], row["high"]) == pytest.approx((lo, hi), rel=1e-12)
    # cost per token is cost PV / token PV, tokens proportional to throughput: the metric
    # scales by base / value at each end (3066/1500 and 3066/6000), one on each side of the base
    assert row["metric_at_low"] == pytest.approx(row["base_metric"] * 3066.0 / 1500.0, rel=1e-9)
    assert row["metric_at_high"] == pytest.approx(row["base_metric"] * 3066.0 / 6000.0, rel=1e-9)
    # the default (H100) base keeps the CSV bounds exactly
    assert default_distributions(INP)["tokens_per_s_per_accelerator"] == ("triangular", 1500.0, 3066.0, 6000.0)


def test_tornado_default_range_contains_an_overridden_base():
    # server cost overridden above the CSV high (39,625): the tornado swings from the CSV
    # low to the base, as the Monte Carlo's triangular range, not to a high below the base
    inp = INP.with_costs(server_usd_per_accelerator=50_000.0)
    row = tornado(inp, BILL).set_index("input").loc["server_usd_per_accelerator"]
    assert (row["low"], row["high"]) == (24_875.0, 50_000.0)
    assert row["metric_at_high"] == pytest.approx(row["base_metric"], rel=1e-12)


def test_same_seed_same_draws_other_seed_other_draws():
    d = {"staff_fte_per_mw": ("uniform", 1.0, 3.0), "discount_rate_frac": ("truncnormal", 0.08, 0.02, 0.05, 0.12)}
    a = monte_carlo(INP, BILL, d, n_draws=300, seed=11)
    b = monte_carlo(INP, BILL, d, n_draws=300, seed=11)
    c = monte_carlo(INP, BILL, d, n_draws=300, seed=12)
    assert a.equals(b)                               # bit-identical for the same seed
    assert not np.allclose(a["npv_usd"], c["npv_usd"])  # another seed, other draws


@pytest.mark.parametrize("seed", [None, True, -1, 1.5, "7"])
def test_non_reproducible_or_invalid_seed_is_refused(seed):
    # None would draw from OS entropy (a different NPV on every run); bools/floats/strings
    # are not seeds. The error names the field and what is allowed.
    with pytest.raises(InputError, match=r"seed: must be an integer >= 0 or a numpy\.random\.Generator"):
        monte_carlo(INP, BILL, {"staff_fte_per_mw": ("uniform", 1.0, 3.0)}, n_draws=5, seed=seed)


def _stream(seed: int, name: str) -> np.random.Generator:
    """The documented stream of one input, derived here from the contract, not from dcplan's code:
    SeedSequence(seed, spawn_key=(first 8 bytes of SHA-256(name), little-endian,))."""
    key = int.from_bytes(hashlib.sha256(name.encode("utf-8")).digest()[:8], "little")
    return np.random.default_rng(np.random.SeedSequence(seed, spawn_key=(key,)))


def test_each_input_draws_from_its_own_documented_stream():
    d = {"x": ("uniform", 0.0, 1.0), "y": ("normal", 3.0, 2.0), "z": ("triangular", 1.0, 2.0, 4.0)}
    got = sample(d, 6, seed=7)
    np.testing.assert_array_equal(got["x"], _stream(7, "x").uniform(0.0, 1.0, 6))
    np.testing.assert_array_equal(got["y"], _stream(7, "y").normal(3.0, 2.0, 6))
    np.testing.assert_array_equal(got["z"], _stream(7, "z").triangular(1.0, 2.0, 4.0, 6))


def test_same_seed_gives_bit_identical_draws():
    d = {"staff_fte_per_mw": ("uniform", 1.0, 3.0), "discount_rate_frac": ("truncnormal", 0.08, 0.02, 0.05, 0.12),
         "server_usd_per_accelerator": ("lognormal", 30_000.0, 0.2)}
    a, b, c = sample(d, 500, seed=11), sample(d, 500, seed=11), sample(d, 500, seed=12)
    for k in d:
        np.testing.assert_array_equal(a[k], b[k])
        assert not np.array_equal(a[k], c[k]), k  # another seed, other draws


def test_adding_removing_or_reordering_inputs_leaves_the_others_draws_unchanged():
    # the finance-review case: one more uncertain input must not move every other input's draws
    base = {"staff_fte_per_mw": ("uniform", 1.0, 3.0), "discount_rate_frac": ("truncnormal", 0.08, 0.02, 0.05, 0.12),
            "server_usd_per_accelerator": ("triangular", 25_000.0, 31_000.0, 40_000.0)}
    a = sample(base, 1000, seed=4)
    more = {"revenue_usd_per_gpu_h": ("normal", 4.9, 0.5), **base, "pue_design": ("uniform", 1.1, 1.4)}
    b = sample(more, 1000, seed=4)
    reordered = dict(reversed(list(base.items())))
    c = sample(reordered, 1000, seed=4)
    fewer = sample({"discount_rate_frac": base["discount_rate_frac"]}, 1000, seed=4)
    for k in base:
        np.testing.assert_array_equal(a[k], b[k])
        np.testing.assert_array_equal(a[k], c[k])
    np.testing.assert_array_equal(a["discount_rate_frac"], fewer["discount_rate_frac"])
    # and through monte_carlo: the sampled columns of the shared inputs are identical
    mc1 = monte_carlo(INP, BILL, base, n_draws=200, seed=4)
    mc2 = monte_carlo(INP, BILL, {"revenue_usd_per_gpu_h": ("normal", 4.9, 0.5), **base}, n_draws=200, seed=4)
    for k in base:
        np.testing.assert_array_equal(mc1[k].to_numpy(), mc2[k].to_numpy())


def test_two_inputs_with_the_same_distribution_are_independent():
    # streams are keyed by name, not by distribution or position: two inputs with the same
    # distribution get different draws. Independent draws: r ~ N(0, 1/sqrt(n)) = N(0, 0.01) at
    # n = 10,000, so |r| < 0.05 is 5 standard errors
    d = {"staff_fte_per_mw": ("uniform", 1.0, 3.0), "maintenance_it_frac": ("uniform", 1.0, 3.0),
         "wue_l_per_kwh": ("normal", 0.0, 1.0), "water_usd_per_m3": ("normal", 0.0, 1.0)}
    for seed in (0, 1, 2**40):
        s = sample(d, 10_000, seed=seed)
        assert not np.array_equal(s["staff_fte_per_mw"], s["maintenance_it_frac"])
        assert abs(np.corrcoef(s["staff_fte_per_mw"], s["maintenance_it_frac"])[0, 1]) < 0.05
        assert abs(np.corrcoef(s["wue_l_per_kwh"], s["water_usd_per_m3"])[0, 1]) < 0.05
        assert abs(np.corrcoef(s["staff_fte_per_mw"], s["wue_l_per_kwh"])[0, 1]) < 0.05


def test_streams_do_not_depend_on_the_process_hash_seed():
    # Python's hash() of a str changes with PYTHONHASHSEED; the streams must not
    code = ("import numpy as np; from dcplan.tco_uncertainty import sample; "
            "s = sample({'staff_fte_per_mw': ('uniform', 1.0, 3.0), 'discount_rate_frac': ('normal', 0.08, 0.01)}, 5, seed=3); "
            "print(repr(s['staff_fte_per_mw'].tolist()), repr(s['discount_rate_frac'].tolist()))")
    root = Path(__file__).resolve().parents[1]
    outs = set()
    for hs in ("1", "987654"):
        env = {**os.environ, "PYTHONHASHSEED": hs}
        outs.add(subprocess.run([sys.executable, "-c", code], cwd=root, env=env, check=True,
                                capture_output=True, text=True).stdout)
    here = sample({"staff_fte_per_mw": ("uniform", 1.0, 3.0), "discount_rate_frac": ("normal", 0.08, 0.01)}, 5, seed=3)
    assert outs == {f"{here['staff_fte_per_mw'].tolist()!r} {here['discount_rate_frac'].tolist()!r}\n"}


def test_generator_seed_is_one_root_draw_then_the_integer_streams():
    # a caller's Generator is advanced by exactly integers(0, 2**64, size=2, dtype=uint64), whatever
    # the inputs; those 128 bits (first value low) are the root seed
    d = {"x": ("uniform", 0.0, 1.0), "y": ("normal", 0.0, 1.0)}
    lo, hi = np.random.default_rng(5).integers(0, 2**64, size=2, dtype=np.uint64)
    root = int(lo) | (int(hi) << 64)
    got = sample(d, 4, seed=np.random.default_rng(5))
    np.testing.assert_array_equal(got["x"], _stream(root, "x").uniform(0.0, 1.0, 4))
    np.testing.assert_array_equal(got["y"], _stream(root, "y").normal(0.0, 1.0, 4))
    # adding an input leaves the others' draws unchanged for a Generator too, and the caller's
    # Generator ends in the same state whatever was sampled
    r1, r2 = np.random.default_rng(5), np.random.default_rng(5)
    one = sample({"x": d["x"]}, 4, seed=r1)
    three = sample({"w": ("uniform", 0.0, 1.0), **d}, 4, seed=r2)
    np.testing.assert_array_equal(one["x"], three["x"])
    assert r1.integers(0, 2**62) == r2.integers(0, 2**62)
    # monte_carlo records the integer root, and seed=that integer reproduces the run
    mc = monte_carlo(INP, BILL, {"staff_fte_per_mw": ("uniform", 1.0, 3.0)}, n_draws=20,
                     seed=np.random.default_rng(5))
    prov = mc.attrs["monte_carlo"]
    assert prov["seed"] == root and prov["seed_from"] == "caller's numpy Generator"
    again = monte_carlo(INP, BILL, {"staff_fte_per_mw": ("uniform", 1.0, 3.0)}, n_draws=20, seed=root)
    assert again["npv_usd"].equals(mc["npv_usd"])


def test_percentiles_are_non_exceedance_and_labelled_so():
    # 1..100: numpy's linear percentile at q=10 is at position 0.10 x 99 = 9.9 -> 10 + 0.9 = 10.9
    # (hand); p90 at 89.1 -> 90.1. pXX = XX % of draws at or below (not P90 exceedance).
    df = pd.DataFrame({"npv_usd": np.arange(1.0, 101.0)})
    p = percentiles(df)
    assert p.loc["p10", "npv_usd"] == pytest.approx(10.9, abs=1e-12)
    assert p.loc["p90", "npv_usd"] == pytest.approx(90.1, abs=1e-12)
    assert p.loc["mean", "npv_usd"] == pytest.approx(50.5, abs=1e-12)
    # on a Monte Carlo: about 10 % of NPV draws at or below p10 (n = 4000: s.e. 0.5 pp -> 2 pp)
    mc = monte_carlo(INP, BILL, {"revenue_usd_per_gpu_h": ("uniform", 2.0, 6.0)}, n_draws=4000, seed=2)
    q = percentiles(mc, ["npv_usd", "usd_per_gpu_hour"])
    assert (mc["npv_usd"] <= q.loc["p10", "npv_usd"]).mean() == pytest.approx(0.10, abs=0.02)
    with pytest.raises(InputError, match=r"q: percentiles must be numbers in \[0, 100\]"):
        percentiles(mc, ["npv_usd"], q=(10, 190))


def test_percentile_mean_does_not_silently_drop_nan_draws():
    # one NaN draw: np.percentile gives NaN; the mean used to skip it (2.0), hiding the bad draw
    df = pd.DataFrame({"x": [1.0, np.nan, 3.0], "y": [1.0, 2.0, 3.0]})
    p = percentiles(df)
    assert np.isnan(p.loc["mean", "x"]) and np.isnan(p.loc["p50", "x"])
    assert p.loc["mean", "y"] == 2.0  # exact: (1 + 2 + 3) / 3


def test_default_distributions_are_the_costs_csv_rows():
    # every costs.csv row with low < high: triangular(low, value, high) in the CSV's units,
    # and every draw inside [low, high] (the default inputs use the CSV values as base)
    t = load_costs()
    d = default_distributions(INP)
    rows = t[t["low"] < t["high"]]
    assert set(d) == set(rows.index)
    for k, r in rows.iterrows():
        assert d[k] == ("triangular", r["low"], r["value"], r["high"]), k
    s = sample(d, 2000, seed=0)
    for k, r in rows.iterrows():
        assert r["low"] <= s[k].min() and s[k].max() <= r["high"], k


def test_a_range_or_draw_that_starts_operations_after_the_horizon_is_named():
    # horizon 3 yr (month 36), build 12: delay 24 starts operations at month 36 -> refused, naming
    # the tornado end or the Monte Carlo draw (the model's own error gives only the month)
    from test_tco import bare
    inp = bare(horizon=3, build_months=12.0)
    with pytest.raises(InputError, match=r"ranges.delay_months: the high end of delay_months's range, 24, puts "
                                         r"operations start at month 36, at or after the end of the 3-year "
                                         r"horizon \(month 36\): narrow the range"):
        tornado(inp, 1e5, ranges={"delay_months": (0, 24)})
    with pytest.raises(InputError, match=r"distributions.delay_months: draw \d+ \(delay_months 2[4-9].*\) puts "
                                         r"operations start at month (36|37|38|39|40|41), .*narrow the distribution"):
        monte_carlo(inp, 1e5, {"delay_months": ("uniform", 0, 30)}, n_draws=50)
    assert len(monte_carlo(inp, 1e5, {"delay_months": ("uniform", 0, 23)}, n_draws=50)) == 50


def test_a_scenarios_own_inputs_are_held_in_its_monte_carlo():
    """low-price sets the GPU-hour price to 1.99 USD and the price change to -10 %/yr; the
    default range around it (1.99 .. 6.98) drew the price back up (median draw 3.52). Held,
    every draw has the scenario's price, and a draw equal to the base in every other input
    reproduces the scenario's own run."""
    from dcplan import tco
    from dcplan.tco_uncertainty import scenario_inputs
    assert scenario_inputs("low-price") == ["revenue_usd_per_gpu_h", "revenue_escalation_frac"]
    assert scenario_inputs("grid-delay-p90") == ["delay_months"]
    assert scenario_inputs("base") == []
    inp = INP.with_costs(**tco.scenario("low-price")["costs"])
    d = default_distributions(inp, exclude=scenario_inputs("low-price") + ["discount_rate_frac"])
    assert not {"revenue_usd_per_gpu_h", "revenue_escalation_frac", "discount_rate_frac"} & set(d)
    assert d["staff_fte_per_mw"][2] == inp.params()["staff_fte_per_mw"]
    fixed = {k: ("fixed", inp.params()[k]) for k in d}
    mc = monte_carlo(inp, BILL, fixed, n_draws=3)
    assert mc["npv_usd"].to_numpy() == pytest.approx([run_tco(inp, BILL).summary["npv_usd"]] * 3, rel=1e-12)
    with pytest.raises(InputError, match="unknown input 'revenue_usd_per_gpu'.*did you mean.*revenue_usd_per_gpu_h") as e:
        default_distributions(inp, exclude=["revenue_usd_per_gpu"])
    assert e.value.field == "exclude"


@pytest.mark.parametrize("rng, text", [((0.12, 0.055), "low 0.12 is above high 0.055"),
                                       ((True, 0.1), "must be a number"), (("a", 0.1), "must be a number"),
                                       (0.1, "need (low, high)")])
def test_bad_tornado_ranges_are_refused(rng, text):
    with pytest.raises(InputError) as e:
        tornado(INP, BILL, {"discount_rate_frac": rng})
    assert text in str(e.value) and e.value.field == "ranges.discount_rate_frac"


def test_tornado_shows_the_whole_months_the_model_uses():
    # a p90 delay of 46.526 months runs as 47: the table says 47, as the Assumptions sheet does
    inp = INP.with_costs(delay_months=46.526)
    row = tornado(inp, BILL, {"delay_months": (0.0, 46.526)}).iloc[0]
    assert (row["low"], row["high"], row["base"]) == (0.0, 47.0, 47.0)
    # the refresh cycle too: 4.46 years run as 54 whole months, 4.5 years
    row = tornado(INP, BILL, {"it_refresh_years": (4.0, 4.46)}).iloc[0]
    assert (row["low"], row["high"], row["base"]) == (4.0, 4.5, 5.0)


def test_tornado_of_an_existing_campus_counts_operations_from_the_build():
    """With capacity in service, operations start at the end of the build (month 12 here), not
    after the grid delay: a 26-month build end in a 36-month horizon is a valid case (the
    tornado refused it as 'month 46', adding the 20-month delay)."""
    from dcplan import tco
    inp = TcoInputs(n_accelerators=10, it_capacity_kw=100.0, it_energy_kwh=1e5, horizon_years=3,
                    costs={"delay_months": 20.0}, live_fleet_frac=0.5)
    tr = tornado(inp, BILL, {"build_months": (6.0, 26.0)})
    at_26 = run_tco(inp.with_costs(build_months=26.0), BILL).summary["npv_usd"]
    assert tr.iloc[0]["metric_at_high"] == pytest.approx(at_26, rel=1e-12)
    assert tco.run_tco(inp.with_costs(build_months=26.0), BILL).summary["operations_start_month"] == 26.0


def test_tornado_rounding_noise_reads_exactly_zero_and_real_effects_stay():
    """An input that cannot move NPV showed a swing of 1.1e-08 USD (2.98e-08 at Phoenix): float
    noise, now exactly 0 with the row kept; a real effect far smaller than the inputs that
    matter, but above the tolerance, is kept."""
    inp = TcoInputs(n_accelerators=1342, it_capacity_kw=6297.6, it_energy_kwh=4.2e7)
    # facility_electrical_frac_of_critical splits one capex between the electrical and the
    # mechanical plant; with the same tax and economic lives (Assumptions) no cash flow changes
    a = run_tco(inp, BILL).assumptions.set_index("key")["value"]
    for life in ("depreciation_life_facility_{}_years", "economic_life_facility_{}_years"):
        assert a[life.format("electrical")] == a[life.format("mechanical")]
    lo, hi = (run_tco(inp.with_costs(facility_electrical_frac_of_critical=x), BILL) for x in (0.5, 0.7))
    np.testing.assert_allclose(lo.annual.loc["net_cash_flow_usd"], hi.annual.loc["net_cash_flow_usd"], rtol=1e-12)
    # alone in its tornado (the noise depends on the batch of cases evaluated together)
    tr = tornado(inp, BILL, ranges={"facility_electrical_frac_of_critical": (0.5, 0.7)})
    row = tr.set_index("input").loc["facility_electrical_frac_of_critical"]
    assert row["swing"] == 0.0 and row["metric_at_low"] == row["metric_at_high"] == row["base_metric"]
    # the tolerance: 1e-9 x the largest |NPV| of the cases (here all at the base), kept for the export
    base = run_tco(inp, BILL).summary["npv_usd"]
    assert tr.attrs["metric"]["swing_rtol"] == 1e-9
    assert tr.attrs["metric"]["swing_atol"] == pytest.approx(1e-9 * abs(base), rel=1e-9)
    # staff_fte_per_mw 2 -> 2.000001: 1e-6 FTE/MW x 6.3 MW x 120,000 USD/FTE-yr ~ 0.76 USD a year
    # before tax, a few USD of NPV: far above 1e-9 x NPV (~0.02 USD), so it stays
    small = tornado(inp, BILL, ranges={"staff_fte_per_mw": (2.0, 2.000001)})
    npv = [run_tco(inp.with_costs(staff_fte_per_mw=x), BILL).summary["npv_usd"] for x in (2.0, 2.000001)]
    # a difference of two 2.3e7 USD sums (float: ~1e-8 USD), relative to a ~4 USD swing: 1e-6
    assert small.loc[0, "swing"] == pytest.approx(abs(npv[1] - npv[0]), rel=1e-6)
    assert small.loc[0, "swing"] > 1.0
    # with no tolerance only the model's own rounding is left (1.1e-08 USD with numpy 2)
    raw = tornado(inp, BILL, ranges={"facility_electrical_frac_of_critical": (0.5, 0.7)}, swing_rtol=0.0)
    assert raw.loc[0, "swing"] < 1e-6


@pytest.mark.parametrize("rtol", [-1e-9, 0.01, "1e-9", True])
def test_tornado_swing_tolerance_is_checked(rtol):
    with pytest.raises(InputError, match=r"must be a number in \[0, 1e-3\)") as e:
        tornado(INP, BILL, ranges={"staff_fte_per_mw": (1.0, 3.0)}, swing_rtol=rtol)
    assert e.value.field == "swing_rtol"
