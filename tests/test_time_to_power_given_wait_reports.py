"""Every report's time to power is given the months already waited without power (dcplan.plan_dates.with_wait):
site_analysis's figures (dcplan.pipeline.figures) and verdict (dcplan.site_verdict.first_power_text), the
portfolio comparison's rows and ranks (dcplan.portfolio_compare.site_row) and the sweep's cases
(dcplan.pipeline.case_figures, dcplan.sweep_first_power), as the interconnection and tco notebooks already were
(tests/test_grid_given_wait.py); one render showed two times to power for one site before.

The site: the bundled Research Triangle's file with a request to nc-duke filed 2021-11-01, 40 calendar months
before its as_of (2025-03-01), 12 MW planned for 2025-06-01 (43 months from filing). Independent figures: the
two-piece lognormals of the published rows (nc-duke 24 / 36 / 60 months; power transformer 130 / 150 / 208 weeks,
switchgear 46 / 47 / 48) typed in, the later of the three drawn independently, the conditional CDF inverted by
brentq; each part's median given the same event likewise (tests/test_grid_given_wait_parts.py).
"""
from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd
import pytest

from dcplan import grid, pipeline
from dcplan.plan_dates import TODAY_ENV, months_waited, wait_fingerprint, with_wait
from dcplan.site import load_site

from conftest import bundled_site_copy
from test_grid_given_wait import _cond_quantile, _f_nc
from test_grid_given_wait_parts import _f_e, _f_g, _given_t_above_w, _quantiles

AS_OF = dt.date(2025, 3, 1)
GIVEN = "given 40.0 months waited without power by 2025-03-01"
LEAD = 43.0   # 2021-11-01 to 2025-06-01 [months]


def _site(tmp_path, name="old", **ic):
    return load_site(bundled_site_copy(tmp_path, "research-triangle-nc", name, interconnection={
        "region": "nc-duke", "filed": "2021-11-01", "requested_mw": 12,
        "phases": [{"energized": "2025-06-01", "mw": 12}], **ic}))


def _hand():
    """p10 / median / p90 of T given T > 40, and F(43) given T > 40 (closed form, brentq)."""
    return np.array([_cond_quantile(_f_nc, 40.0, q) for q in (0.1, 0.5, 0.9)])


def _plus_months(start: str, months: float) -> pd.Timestamp:
    """``start`` plus ``months`` calendar months: the whole months, then the fraction of the next month's days."""
    whole = int(np.floor(months))
    base = pd.Timestamp(start) + pd.DateOffset(months=whole)
    span = (pd.Timestamp(start) + pd.DateOffset(months=whole + 1) - base).days
    return base + pd.Timedelta(days=(months - whole) * span)


@pytest.fixture
def no_today(monkeypatch):
    monkeypatch.delenv(TODAY_ENV)   # the site file's as_of, 2025-03-01: 40 months after filed


def test_figures_site_row_and_the_sweep_row_are_given_the_months_waited(tmp_path, no_today):
    site = _site(tmp_path)
    assert months_waited(site) == (40.0, AS_OF)
    want = _hand()
    # the whole wait's median, 41.8 months, is before the planned 43: no delay; given 40 months waited it is 49.1
    assert float(grid.time_to_power(site.interconnection).loc[0.5, "time_to_power_months"]) < LEAD
    assert want[1] == pytest.approx(49.1, abs=0.1)
    y = pipeline.run_site_year(site)
    f = pipeline.figures(y)
    # the conditioned CDF inverted on a 0.05-month grid, linear between points: within 0.005 month
    got = [f[f"time_to_power_{k}_months"] for k in ("p10", "median", "p90")]
    np.testing.assert_allclose(got, want, atol=0.005)
    # the first phase on filed + T_50 (given the wait): 2021-11-01 + 49.1 months, in early December 2025
    # (the whole wait left it on its planned 2025-06-01); a day either way for the fraction's rounding
    first = pd.Timestamp(f["first_energized_median"])
    assert abs((first - _plus_months("2021-11-01", want[1])).days) <= 1
    assert first.strftime("%Y-%m") == "2025-12"
    # the portfolio comparison's row (its ranks' date) is the same date, and says what it is given
    from dcplan.portfolio_compare import site_row
    row = site_row(site, y)
    assert row["first_energized_p50"] == first
    assert row["time_to_power_median_months"] == f["time_to_power_median_months"]
    assert row["time_to_power_given"] == GIVEN
    # the sweep's row: each part's median given the same event as the time to power, T > 40 (no power by month 40
    # may be the grid's or the equipment's: tests/test_grid_given_wait_parts.py, by brentq on the conditional CDFs
    # written out), the later one sets it; both at or below T's 49.1 (given G > 40 the grid's was 50.5, above it)
    grid_median = _quantiles(_given_t_above_w(_f_g, _f_e))[1]
    equipment_median = _quantiles(_given_t_above_w(_f_e, _f_g))[1]
    case = pipeline.case_figures(site)
    assert case["grid_median_months"] == pytest.approx(grid_median, rel=1e-9)
    assert grid_median == pytest.approx(45.3, abs=0.1)
    assert case["equipment_median_months"] == pytest.approx(equipment_median, abs=0.005)
    assert equipment_median == pytest.approx(39.9, abs=0.1)
    assert case["critical_path"] == "grid"      # 45.3 months against the equipment's 39.9
    assert case["grid_waited_months"] == 40.0   # the wait they are given: 2021-11-01 to as_of 2025-03-01
    assert case["time_to_power_median_months"] == pytest.approx(want[1], abs=0.005)
    assert case["first_energized_median"] == f["first_energized_median"]


def test_the_verdict_ranks_and_says_the_date_given_the_months_waited(tmp_path, no_today):
    from dcplan.site import load_portfolio
    from dcplan.site_verdict import site_verdict
    old = _site(tmp_path)
    # a second site, filed on its as_of: nothing waited, its dates the whole wait's (Research Triangle's own)
    new = bundled_site_copy(tmp_path, "research-triangle-nc", "new", name="Research Triangle, NC (new)")
    pf = tmp_path / "pf.yaml"
    pf.write_text(f"name: t\nsites: [{tmp_path / 'old.yaml'}, {new}]\n")
    pf = load_portfolio(pf)
    y = pipeline.run_site_year(old)
    v = site_verdict(pf["old"], y, pf)
    want = _hand()
    first = pd.Timestamp(v.peers.loc["old", "first_energized_p50"])
    assert abs((first - _plus_months("2021-11-01", want[1])).days) <= 1
    assert (f"first power (median) on {first:%Y-%m-%d} (rank 1 of 2, earliest first; {want[1]:.1f} months from its "
            f"filing on 2021-11-01, {GIVEN})") in v.text
    # the other site's date is its own whole wait's (as of its as_of it has waited 0 months)
    other = load_site(new)
    assert months_waited(other)[0] == 0.0
    assert pd.Timestamp(v.peers.loc["new", "first_energized_p50"]) == grid.first_power(
        grid.energization_dates(other.interconnection))["new_power"]


def test_a_campus_with_a_phase_in_service_conditions_its_pending_phase(tmp_path, no_today):
    # 4 MW in service since 2021-06 (before filing), 8 MW pending, planned 2025-06-01: the wait from filing is the
    # pending capacity's (grid.no_pending_note), not yet come by 2025-03-01, so T > 40 as with nothing in service
    site = _site(tmp_path, phases=[{"energized": "2021-06-01", "mw": 4, "in_service": True},
                                   {"energized": "2025-06-01", "mw": 8}])
    assert months_waited(site) == (40.0, AS_OF)
    ic = with_wait(site).interconnection
    want = _hand()
    np.testing.assert_allclose(grid.time_to_power(ic)["time_to_power_months"], want, atol=0.005)
    dates = grid.energization_dates(ic)
    assert dates.loc[0, "energized_p50"] == pd.Timestamp("2021-06-01")     # the phase in service: a fact
    assert abs((dates.loc[1, "energized_p50"] - _plus_months("2021-11-01", want[1])).days) <= 1
    f40, f43 = _f_nc(40.0), _f_nc(LEAD)
    assert grid.on_time_frac(ic) == pytest.approx((f43 - f40) / (1 - f40), abs=1e-9)
    # every phase in service: nothing left to wait for, nothing conditioned
    done = _site(tmp_path, "done", phases=[{"energized": "2021-06-01", "mw": 12, "in_service": True}])
    assert months_waited(done)[0] == 0.0 and with_wait(done) is done


def test_the_fingerprint_holds_the_months_waited_of_the_sites_a_run_reads(tmp_path, monkeypatch):
    from dcplan.report_fingerprint import run_fingerprint
    from dcplan.report_plan import plan_runs
    # a site without as_of counts its wait to today; one with as_of, to it
    aging = bundled_site_copy(tmp_path, "research-triangle-nc", "aging", as_of=None,
                              name="Research Triangle, NC (aging)",
                              interconnection={"region": "nc-duke", "filed": "2021-11-01", "requested_mw": 12,
                                               "phases": [{"energized": "2027-06-01", "mw": 12}]})
    kept = bundled_site_copy(tmp_path, "phoenix-az", "kept")
    pf = tmp_path / "pf.yaml"
    pf.write_text(f"name: t\nsites: [{aging}, {kept}]\n")
    notebooks = ["interconnection", "site_analysis", "rack_power", "portfolio_comparison"]

    def planned(day):
        monkeypatch.setattr("dcplan.plan_dates.today", lambda: dt.date.fromisoformat(day))
        monkeypatch.delenv(TODAY_ENV, raising=False)   # the machine's date (here: patched), as a render without it
        return {r.key: r for r in plan_runs(pf, notebooks=notebooks, out=tmp_path / "r")}

    dec5, dec6 = planned("2026-12-05"), planned("2026-12-06")
    # the long wait's warning stands both days, its months and chances moving: not what keeps or re-renders a run
    assert any(": interconnection.filed: 2021-11-01 is 61 months before today (2026-12-05)" in t
               for t in dec5["aging/rack_power"].site_warnings)
    # the months the runs' time to power is given: 2021-11-01 to 2026-12-05 is 61 months and 4 days of December's
    # 31 (calendar months, as dcplan.grid counts them); Phoenix's 1.5 months to its as_of whatever the day
    assert dec5["aging/interconnection"].waits == (("aging", round(61 + 4 / 31, 6), "2026-12-05"),)
    assert dec6["aging/interconnection"].waits == (("aging", round(61 + 5 / 31, 6), "2026-12-06"),)
    assert dec5["kept/interconnection"].waits == dec6["kept/interconnection"].waits == (
        ("kept", 1.5, "2025-03-01"),)
    assert wait_fingerprint([load_site(kept)]) == [["kept", 1.5, "2025-03-01"]]
    fp5 = {k: run_fingerprint(r, False) for k, r in dec5.items()}
    fp6 = {k: run_fingerprint(r, False) for k, r in dec6.items()}
    changed = sorted(k for k in fp5 if fp5[k] != fp6[k])
    # a day later: the aging site's runs that read its time to power, and the runs reading it among the others
    # (site_analysis ranks every site; the portfolio comparison reads all), not its rack_power run, nor the kept
    # site's own interconnection and rack_power runs
    assert changed == ["_portfolio/portfolio_comparison", "aging/interconnection", "aging/site_analysis",
                       "kept/site_analysis"]
    assert dec5["aging/rack_power"].waits == ()


@pytest.mark.slow
def test_one_render_shows_one_time_to_power_for_the_site(tmp_path, no_today):
    """The interconnection report, site_analysis and the portfolio comparison of one render publish the same time
    to power and first power date for the site filed 40 months before its as_of, the hand figures, and the
    portfolio sweep ranks its cases on that date; the whole wait is published beside it as *_unconditioned."""
    import json

    from dcplan.report import render
    _site(tmp_path)
    new = bundled_site_copy(tmp_path, "research-triangle-nc", "new", name="Research Triangle, NC (new)")
    pf = tmp_path / "pf.yaml"
    pf.write_text(f"name: t\nsites: [{tmp_path / 'old.yaml'}, {new}]\n")
    out = tmp_path / "r"
    s = render(portfolio=pf, notebooks=["interconnection", "site_analysis", "portfolio_comparison"], out=out,
               jobs=1, progress=False)
    assert s.ok, s.table()

    def results(rel):
        return {k: (v["value"], v["label"]) for k, v in json.loads((out / rel / "results.json").read_text())[
            "results"].items()}

    ic, sa = results("old/interconnection"), results("old/site_analysis")
    pc = results("_portfolio/portfolio_comparison")
    want = _hand()
    for k, v in zip(("p10", "median", "p90"), want):
        key = f"time_to_power_{k}_months"
        assert sa[key][0] == ic[key][0] == pytest.approx(v, abs=0.005)
        assert GIVEN in sa[key][1] and GIVEN in ic[key][1]
        assert sa[f"time_to_power_{k}_unconditioned_months"][0] == ic[f"time_to_power_{k}_unconditioned_months"][0]
    assert pc["old.time_to_power_median_months"][0] == ic["time_to_power_median_months"][0]
    assert GIVEN in pc["old.time_to_power_median_months"][1] and GIVEN in pc["old.first_energized_p50"][1]
    assert sa["first_energized_p50"][0] == ic["first_energized_p50"][0] == pc["old.first_energized_p50"][0]
    assert abs((pd.Timestamp(ic["first_energized_p50"][0]) - _plus_months("2021-11-01", want[1])).days) <= 1
    whole = grid.time_to_power(_site(tmp_path, "again").interconnection)["time_to_power_months"]
    assert sa["time_to_power_median_unconditioned_months"][0] == float(whole.loc[0.5])
    # the portfolio's per-site key of it: the same figure; none for the site filed on its as_of (nothing waited)
    assert pc["old.time_to_power_median_unconditioned_months"][0] == sa["time_to_power_median_unconditioned_months"][0]
    assert "new.time_to_power_median_unconditioned_months" not in pc
    assert f"{ic['first_energized_p50'][0]} (rank" in sa["verdict"][0] and GIVEN in sa["verdict"][0]


def test_the_portfolio_publishes_the_whole_waits_median_beside_the_given_one(tmp_path, no_today):
    """site_analysis publishes time_to_power_*_unconditioned_months beside the time to power given the months
    waited; the portfolio comparison's per-site keys had only the given one. Its row and table now carry the whole
    wait's median, ``<site>.time_to_power_median_unconditioned_months``, for a site given months waited: the hand
    median of T from filing, F_T(t) = 0.5 (brentq on the typed-in lognormals, nothing waited), 41.8 months against
    the 49.1 given 40 months (atol 0.005: the CDF inverted on a 0.05-month grid, linear between points)."""
    from dcplan.portfolio_power import UNCONDITIONED_KEY, power_columns
    from dcplan.portfolio_report import key_figures_table
    from scipy.optimize import brentq
    whole = brentq(lambda t: _f_nc(t) - 0.5, 1.0, 400.0, xtol=1e-10)
    assert whole == pytest.approx(41.8, abs=0.05)
    site = _site(tmp_path)
    row = power_columns(site)
    assert row["time_to_power_given"] == GIVEN
    assert row[UNCONDITIONED_KEY] == pytest.approx(whole, abs=0.005)
    # a second site, filed on its as_of: nothing waited, no such figure (its months from filing are the whole wait's)
    fresh = _site(tmp_path, "fresh", filed="2025-03-01", phases=[{"energized": "2028-10-01", "mw": 12}])
    assert power_columns(fresh)["time_to_power_given"] == ""
    assert np.isnan(power_columns(fresh)[UNCONDITIONED_KEY])
    # the table: the key beside the given median, its label naming the wait it is not given
    t = pd.DataFrame([{**row, "time_to_power_median_months": _hand()[1]}, power_columns(fresh)],
                     index=pd.Index(["old", "fresh"], name="site"))
    recs = {r["key"]: r for r in key_figures_table(t, {"old": "Old", "fresh": "Fresh"}, "power_carbon",
                                                   lambda *a: "no figure").records}
    got = recs[f"old.{UNCONDITIONED_KEY}"]
    assert got["value"] == pytest.approx(whole, abs=0.005) and got["unit"] == "months"
    assert got["label"].startswith("Old: time to power from filing, median, over the whole wait from filing (not "
                                   + GIVEN + ")")
    assert GIVEN in recs["old.time_to_power_median_months"]["label"]
    assert f"fresh.{UNCONDITIONED_KEY}" not in recs
