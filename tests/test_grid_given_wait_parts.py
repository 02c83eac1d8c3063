"""The two parts of the time to power given the months waited are given the same event as the time to power.

The time to power T = max(G, E) (grid wait G, equipment deliveries E, independent) given w months without power is
T | T > w. Its parts' columns were each given something else: the grid wait G | G > w, the equipment not at all. For
a request filed 40 months before its plan's date (nc-duke, default equipment ordered at filing) the interconnection
report then read "time to power 49.1 months, set by the grid wait, median 50.5 months; ... equipment median 34.5;
the later of the two dates ... so its median is at or above both" and "the equipment (median 34.5 months) is almost
always done before the grid wait ends": 49.1 is below 50.5, and given no power by month 40 the transformer, whose
p90 is 47.8 months, is as likely as not still to come. Now each part is given T > w, so T's quantiles are at or
above both parts' (the max is pathwise at or above each), as the words say; the grid wait alone (no equipment, the
figure beside the headline) is still G | G > w.

Independent figures: the two-piece lognormal's closed form with the rows of data/interconnection.csv (nc-duke 24 /
36 / 60 months) and data/equipment_lead_times.csv (power transformer 130 / 150 / 208 weeks, switchgear 46 / 47 / 48,
at 365.25 / 12 / 7 weeks a month) typed in, scipy's norm, and brentq on the conditional CDFs written out below.
"""
from __future__ import annotations

import numpy as np
import pytest
from scipy.optimize import brentq
from scipy.stats import norm

from dcplan import grid, grid_lead_time
from dcplan.specs.interconnection import InterconnectionSpec

Z90 = norm.ppf(0.9)
WEEKS_PER_MONTH = 365.25 / 12 / 7
NC_DUKE = (36.0, 24.0, 60.0)                      # median, p10, p90 [months]
TRANSFORMER = (150.0, 130.0, 208.0)               # median, low, high [weeks]
SWITCHGEAR = (47.0, 46.0, 48.0)
W = 40.0                                          # months waited: 2021-11-01 to 2025-03-01
Q = (0.1, 0.5, 0.9)


def _two_piece(t, m, p10, p90):
    s = (np.log(m / p10) if t < m else np.log(p90 / m)) / Z90
    return float(norm.cdf(np.log(t / m) / s))


def _f_g(t):
    return _two_piece(t, *NC_DUKE)


def _f_e(t):
    return float(np.prod([_two_piece(t, *(x / WEEKS_PER_MONTH for x in e)) for e in (TRANSFORMER, SWITCHGEAR)]))


def _given_t_above_w(f_part, f_other):
    """P(part <= t | max > W), written out: (F(t) - F(W) F_o(W)) / S from W on, F(t) (1 - F_o(W)) / S below."""
    a, b = f_part(W), f_other(W)
    s = 1.0 - a * b
    return lambda t: ((f_part(t) - a * b) if t >= W else f_part(t) * (1.0 - b)) / s


def _quantiles(cdf, lo=1.0, hi=400.0):
    return np.array([brentq(lambda t: cdf(t) - q, lo, hi, xtol=1e-12) for q in Q])


def test_each_part_is_given_no_power_by_the_months_waited_and_the_time_to_power_is_at_or_above_both():
    ic = grid.given_wait(InterconnectionSpec(region="nc-duke", requested_mw=12, filed="2021-11-01",
                                             phases=[{"energized": "2026-06-01", "mw": 12}]), W)
    got = grid.time_to_power(ic)
    g_want = _quantiles(_given_t_above_w(_f_g, _f_e))
    e_want = _quantiles(_given_t_above_w(_f_e, _f_g))
    # the grid wait's quantiles are exact (its quantile function); the equipment's inverted on the 0.05-month grid
    np.testing.assert_allclose(got["grid_months"], g_want, rtol=1e-9)
    np.testing.assert_allclose(got["equipment_months"], e_want, atol=0.005)
    assert g_want[1] == pytest.approx(45.27, abs=0.01) and e_want[1] == pytest.approx(39.86, abs=0.01)
    # no power by month 40: the transformer is still to come in about half the cases (P(E > 40) / P(T > 40))
    assert (1.0 - _f_e(W)) / (1.0 - _f_g(W) * _f_e(W)) == pytest.approx(0.50, abs=0.01)
    ttp = got["time_to_power_months"].to_numpy()
    assert np.all(ttp >= got["grid_months"].to_numpy()) and np.all(ttp >= got["equipment_months"].to_numpy())
    assert ttp[1] == pytest.approx(49.12, abs=0.01)
    words = grid.time_to_power_driver(ic, got)
    assert words.startswith("set by the grid wait (estimate), median 45.3 months;") and "median 39.9;" in words
    note = grid_lead_time.correlation_note(got)
    assert "between 45.3 months (fully dependent" in note and "almost always done" not in note
    # the grid wait alone (no long-lead equipment): G | G > 40, the exact quantile at F(40) + q (1 - F(40))
    alone = grid.time_to_power(ic, equipment=())["grid_months"].to_numpy()
    a = _f_g(W)
    m, p10, p90 = NC_DUKE
    want_alone = [m * np.exp(norm.ppf(a + q * (1 - a)) * np.log(p90 / m) / Z90) for q in Q]   # above the median
    np.testing.assert_allclose(alone, want_alone, rtol=1e-9)
    assert want_alone[1] == pytest.approx(50.50, abs=0.01)
    # no months waited: the parts as before, the row's own figures and the transformer's 150 weeks
    got = grid.time_to_power(grid.given_wait(ic, 0.0))
    np.testing.assert_allclose(got["grid_months"], [24.0, 36.0, 60.0], rtol=1e-12)
    assert float(got.loc[0.5, "equipment_months"]) == pytest.approx(150 / WEEKS_PER_MONTH, abs=0.005)


@pytest.mark.slow
@pytest.mark.parametrize("notebook, marker", [("interconnection", "waiting_cost_delay_usd"),
                                              ("site_analysis", "first_label")])
def test_the_first_power_dates_and_the_median_case_say_they_are_given_the_months_waited(tmp_path, monkeypatch, notebook, marker):
    """The dates are filed + T given the wait, as the time to power beside them is, and their labels say so (the
    time to power's did; the dates' read as the whole wait's)."""
    import pandas as pd

    from conftest import bundled_site_copy, published_until
    from dcplan.plan_dates import TODAY_ENV
    path = bundled_site_copy(tmp_path, "research-triangle-nc", "old", interconnection={
        "region": "nc-duke", "filed": "2021-11-01", "requested_mw": 12,
        "phases": [{"energized": "2025-06-01", "mw": 12, "firm_frac": 0.5}]})   # 43 months from filing, before T's
    # median; half firm, so the firm-only ramp is published too
    pf = tmp_path / "pf.yaml"
    pf.write_text(f"name: t\nsites: [{path}]\n")
    monkeypatch.delenv(TODAY_ENV)   # the site file's as_of, 2025-03-01: 40 months after filed
    _, got = published_until(notebook, marker, site="old", portfolio=str(pf))
    given = "given 40.0 months waited without power by 2025-03-01"
    value, _unit, label = got["first_energized_p50"]
    assert label.startswith(f"First phase energized, median, {given} (set by ")
    # filed + the median given T > 40 (brentq on (F_T(t) - F_T(40)) / (1 - F_T(40)) = 0.5, F_T = F_G x F_E):
    # 2021-11-01 + 49 months = 2025-12-01, + 0.12 of December's 31 days: 2025-12-05 (a day either way for the
    # 0.005-month grid of the inversion)
    f_t = lambda t: _f_g(t) * _f_e(t)
    t50 = brentq(lambda t: (f_t(t) - f_t(W)) / (1 - f_t(W)) - 0.5, W, 400.0, xtol=1e-12)
    assert t50 == pytest.approx(49.12, abs=0.01)
    want = pd.Timestamp("2025-12-01") + pd.Timedelta(days=(t50 - 49) * 31)
    assert abs((pd.Timestamp(str(value)) - want).days) <= 1
    if notebook == "interconnection":
        assert got["first_energized_p90"][2] == f"First phase energized, p90, {given}"
        # the ramp's median case and its cost of waiting run on those dates: their labels say the wait too
        assert got["stranded_gpu_months"][2].startswith(f"Installed but unpowered, median case, {given}, total")
        assert got["waiting_cost_usd"][2].startswith(f"Cost of waiting for power, median case, {given}, total")
        assert got["waiting_cost_delay_usd"][2].endswith(f"; {given})")
        assert "given" not in got["stranded_gpu_months_plan"][2]   # the plan's own gap: no grid delay in it
        assert got["stranded_gpu_months_firm_only"][2].startswith(
            f"Installed but unpowered, median case, {given}, on the firm capacity alone")
