"""Sweep review fixes: what a resumed sweep reuses, the cost per MWh with the PV paid for, what
a spec's axes mean (sample draws by the field's type, steps 1, axes the default case does not
read, a tariff axis over several sites, fixed values valid beside an axis's) and what the CLI
says (--case, an interrupted sweep)."""
from __future__ import annotations

import shutil
import warnings
from pathlib import Path

import pandas as pd
import pytest

from dcplan.cli import main
from dcplan.errors import DcplanWarning, InputError
from dcplan.site import load_portfolio
from dcplan.sweep import SweepSpec, clear_caches, load_sweep, read_results, run_sweep

from conftest import DATA

# Their cases' sites get dcplan validate's warnings (dcplan.sweep_checks: "... [sweep case <site> with ...]"), which
# the test settings turn into errors that fail a case; these tests are not of them (the HGX servers on a liquid plant,
# the few-kW PV values that number a test's cases): tests/test_sweep_case_warnings.py is
pytestmark = pytest.mark.filterwarnings(r"ignore:.*\[sweep case :dcplan.errors.DcplanWarning")

CLIMATE = "dcplan.sweep:climate_figures"


@pytest.fixture(scope="module")
def pf():
    return load_portfolio()


def _write(tmp_path, text, name="s.yaml"):
    p = tmp_path / name
    p.write_text(text)
    return p


# ---------------------------------------------------------------------------
# 1. a resumed sweep sees an edited price file of a swept tariff

def test_a_resumed_sweep_reruns_after_the_price_file_of_a_swept_tariff_changed(tmp_path, pf):
    rtp = tmp_path / "rtp"
    rtp.mkdir()
    shutil.copy(DATA / "tariffs" / "rtp-example.json", rtp)
    prices = rtp / "rtp-example-prices-synthetic.csv"
    shutil.copy(DATA / "tariffs" / prices.name, prices)
    spec = SweepSpec(sites=[pf["chicago-il"]], name="rtp",
                     axes={"tariff.file": [str(rtp / "rtp-example.json")], "solar.dc_kw": [0]})
    out = tmp_path / "rtp.parquet"
    first = run_sweep(spec, jobs=1, out=out)
    assert (first.n_ran, first.n_reused) == (1, 0) and first.ok
    assert (lambda r: (r.n_ran, r.n_reused))(run_sweep(spec, jobs=1, out=out)) == (0, 1)  # nothing changed
    df = pd.read_csv(prices)
    df["price_usd_per_kwh"] *= 2
    df.to_csv(prices, index=False)
    clear_caches()  # this process parsed the tariff; a worker of a fresh run has not
    again = run_sweep(spec, jobs=1, out=out)
    assert (again.n_ran, again.n_reused) == (1, 0)
    # by hand: energy = sum(grid kWh x (price + 0.012 $/kWh adder)); doubling every price gives
    # 2 x energy - 0.012 x grid kWh
    a, b = first.frame.iloc[0], again.frame.iloc[0]
    assert b["energy_usd"] == pytest.approx(2 * a["energy_usd"] - 0.012 * a["grid_mwh"] * 1000, rel=1e-9)


# ---------------------------------------------------------------------------
# 2. the cost per facility MWh with the PV paid for

def test_case_figures_gives_the_cost_per_mwh_with_the_pv_paid_for(pf):
    from dcplan.pipeline import case_figures
    ov = {"fleet.phases[0].count": 128, "cooling.type": "air"}
    no_pv = case_figures(pf["phoenix-az"], **ov, **{"solar.dc_kw": 0})
    pv = case_figures(pf["phoenix-az"], **ov, **{"solar.dc_kw": 4000})
    for r in (no_pv, pv):
        assert r["electricity_cost_usd_per_mwh_facility"] == pytest.approx(
            (r["bill_usd"] + r["pv_annual_cost_usd"]) / r["facility_mwh"], rel=1e-12)
        keys = list(r)  # beside the cost it divides
        assert keys[keys.index("electricity_cost_usd") + 1] == "electricity_cost_usd_per_mwh_facility"
    # without PV nothing is left out: the bill-only figure is the cost
    assert no_pv["pv_annual_cost_usd"] == 0.0
    assert no_pv["electricity_cost_usd_per_mwh_facility"] == pytest.approx(no_pv["usd_per_mwh_facility"], rel=1e-12)
    # the trap: the bill per MWh falls with 4 MW of PV while the cost with the PV paid for rises
    assert pv["usd_per_mwh_facility"] < no_pv["usd_per_mwh_facility"]
    assert pv["electricity_cost_usd_per_mwh_facility"] > no_pv["electricity_cost_usd_per_mwh_facility"]
    assert pv["facility_mwh"] == pytest.approx(no_pv["facility_mwh"], rel=1e-12)  # PV is behind the meter


# ---------------------------------------------------------------------------
# 3. sample draws follow the field's type, not the bounds' spelling

def test_sample_draws_of_a_real_field_are_real_whatever_the_bounds_spelling(pf):
    n = 6
    cases = SweepSpec(sites=[pf["phoenix-az"]], case=CLIMATE, mode="sample", samples=n, seed=1,
                      axes={"solar.dc_ac_ratio": {"min": 1, "max": 2}}).cases()
    v = [c.axis_values["solar.dc_ac_ratio"] for c in cases]
    assert len(cases) == n and all(isinstance(x, float) and 1 <= x < 2 for x in v)
    # Latin hypercube: one draw in each sixth of [1, 2)
    assert sorted(int((x - 1) * n) for x in v) == list(range(n))
    # a whole-number field draws whole numbers, also between bounds written as reals
    counts = [c.axis_values["fleet.phases[0].count"] for c in SweepSpec(
        sites=[pf["phoenix-az"]], case=CLIMATE, mode="sample", samples=n, seed=1,
        axes={"fleet.phases[0].count": {"min": 63.5, "max": 69.9}}).cases()]
    # 64..69: six whole numbers, one per Latin-hypercube stratum
    assert all(isinstance(x, int) for x in counts) and sorted(counts) == list(range(64, 70))
    with pytest.raises(InputError, match=r"axes\.fleet\.phases\[0\]\.count: range min 64\.2 to max 64\.8 holds no "
                                         r"whole number, and fleet\.phases\[0\]\.count takes whole numbers"):
        SweepSpec(sites=[pf["phoenix-az"]], case=CLIMATE, mode="sample", samples=2,
                  axes={"fleet.phases[0].count": {"min": 64.2, "max": 64.8}})


def test_field_types_from_the_site_schema():
    from dcplan.sweep_axes import field_is_whole
    assert field_is_whole("fleet.phases[0].count") is True
    assert field_is_whole("finance.horizon_years") is True
    assert field_is_whole("solar.dc_ac_ratio") is False
    assert field_is_whole("tariff.flat_usd_per_kwh") is False   # an optional section
    assert field_is_whole("cooling.type") is None and field_is_whole("no.such") is None


# ---------------------------------------------------------------------------
# 4. axes the default case function does not read

def test_a_finance_axis_the_default_case_does_not_read_is_warned_about(tmp_path):
    f = _write(tmp_path, "site: phoenix-az\naxes:\n  finance.tax_rate_frac: [0, 0.35]\n"
                         "  finance.horizon_years: [5, 15]\n  finance.discount_rate_frac: [0.05, 0.08]\n")
    with pytest.warns(DcplanWarning) as rec:
        spec = load_sweep(f)
    texts = [str(w.message) for w in rec]
    assert len(texts) == 2  # not the discount rate: the PV's annual cost reads it
    for name in ("finance.tax_rate_frac", "finance.horizon_years"):
        assert any(t.startswith(f"{f}: axes.{name}: the case function dcplan.pipeline:case_figures does not "
                                f"read {name}, so its cases give the same figures") for t in texts), texts
    assert len(spec.cases()) == 8
    # another case function: nothing to say about it
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        load_sweep(f, case=CLIMATE)


def test_the_finance_inputs_listed_are_those_of_the_pvs_annual_cost(pf):
    from dcplan.solar_value import pv_annual_cost
    from dcplan.sweep_spec import CASE_FIGURES_FINANCE
    src = pv_annual_cost(pf["phoenix-az"])["sources"]
    read = {v.replace("site.", "", 1) if v.startswith("site.") else f"finance.costs.{k}" for k, v in src.items()}
    assert read <= CASE_FIGURES_FINANCE
    assert {f"finance.costs.{k}" for k in src} <= CASE_FIGURES_FINANCE


def test_the_example_sweep_and_a_single_site_tariff_axis_warn_nothing():
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        load_sweep(DATA / "sweeps" / "example.yaml")
        SweepSpec(sites=[load_portfolio()["research-triangle-nc"]], case=CLIMATE,
                  axes={"tariff.file": ["tariffs/duke-nc-opt-tou.json", "tariffs/dominion-va-gs3.json"]})


# ---------------------------------------------------------------------------
# 5. a tariff axis over several sites

def test_a_tariff_file_axis_over_several_sites_is_warned_about(tmp_path):
    f = _write(tmp_path, "portfolio: default\naxes:\n  site: [phoenix-az, chicago-il]\n"
                         "  tariff.file: [tariffs/aps-az-e32-tou-l.json, tariffs/comed-il-large-load.json]\n")
    with pytest.warns(DcplanWarning, match=r"s\.yaml: axes\.tariff\.file: every one of the 2 sites \(phoenix-az, "
                                           r"chicago-il\) is billed on each of the 2 tariffs, other utilities' too"):
        spec = load_sweep(f)
    assert len(spec.cases()) == 4  # warned, not refused: one tariff for every site is a valid comparison


# ---------------------------------------------------------------------------
# 6. steps 1

def test_a_range_of_one_step_must_have_min_equal_to_max(pf):
    with pytest.raises(InputError, match=r"axes\.solar\.dc_kw: range steps 1 gives min 1000 alone and leaves out "
                                         r"max 5000; allowed: steps >= 2"):
        SweepSpec(sites=[pf["phoenix-az"]], case=CLIMATE,
                  axes={"solar.dc_kw": {"min": 1000, "max": 5000, "steps": 1}})
    one = SweepSpec(sites=[pf["phoenix-az"]], case=CLIMATE,
                    axes={"solar.dc_kw": {"min": 1000, "max": 1000, "steps": 1}})
    assert [c.axis_values["solar.dc_kw"] for c in one.cases()] == [1000]


# ---------------------------------------------------------------------------
# 7. the CLI: --case, an interrupted sweep

def test_a_bad_case_option_is_the_options_error(tmp_path, capsys):
    f = _write(tmp_path, "site: phoenix-az\naxes:\n  solar.dc_kw: [0, 1]\n")
    rc = main(["sweep", str(f), "-j", "1", "-q", "--case", "dcplan.pipeline:nope",
               "--out", str(tmp_path / "o.parquet")])
    err = capsys.readouterr().err
    assert rc == 2
    assert err.startswith("dcplan: error: --case: case function 'dcplan.pipeline:nope': module 'dcplan.pipeline' "
                          "has no function 'nope'"), err
    assert not (tmp_path / "o.parquet").exists()


_CALLS = {"n": 0}


def stop_on_third(site, weather):
    """Ctrl-C during the third case."""
    _CALLS["n"] += 1
    if _CALLS["n"] == 3:
        raise KeyboardInterrupt
    return {"temp_air_mean_degc": float(weather["temp_air"].mean())}


def test_an_interrupted_sweep_says_what_it_saved_and_how_to_resume(tmp_path, capsys, monkeypatch):
    f = _write(tmp_path, "site: phoenix-az\naxes:\n  solar.dc_kw: [0, 1, 2, 3, 4]\n")
    out = tmp_path / "i.parquet"
    _CALLS["n"] = 0
    rc = main(["sweep", str(f), "-j", "1", "-q", "--case", "test_sweep_checks:stop_on_third", "--out", str(out)])
    err = capsys.readouterr().err
    assert rc == 130
    assert (f"dcplan: interrupted: 2 of 5 case(s) finished and saved in {out} (2 in this run); run the same "
            "command again to run the other 3: finished cases are reused") in err, err
    assert list(read_results(out)["solar.dc_kw"]) == [0, 1]
    # stopped again before a case of this run finished: the file keeps the earlier ones
    _CALLS["n"] = 2
    with pytest.raises(KeyboardInterrupt) as e:
        run_sweep(f, jobs=1, out=out, case="test_sweep_checks:stop_on_third")
    assert e.value.dcplan_summary == (f"no case finished in this run; {out} keeps the 2 of 5 case(s) finished "
                                      "before; run the same command again to resume")


# ---------------------------------------------------------------------------
# fixed values that are valid only beside an axis's

def test_fixed_values_valid_only_with_an_axis_value_are_checked_with_it(tmp_path, pf):
    # a flat tariff's charges fixed, its rate on an axis: alone, the fixed values are a flat
    # tariff without a rate (refused); every case has one
    fixed = {"tariff.file": None, "tariff.source": "test rates", "tariff.demand_usd_per_kw": 10,
             "tariff.fixed_usd_per_month": 100}
    spec = SweepSpec(sites=[pf["phoenix-az"]], case=CLIMATE, fixed=fixed,
                     axes={"tariff.flat_usd_per_kwh": [0.05, 0.10]})
    assert [c.overrides["tariff.flat_usd_per_kwh"] for c in spec.cases()] == [0.05, 0.10]
    # a fixed value wrong with the axes too is still its error
    with pytest.raises(InputError, match=r"fixed\.tariff\.demand_usd_per_kw: value -10"):
        SweepSpec(sites=[pf["phoenix-az"]], case=CLIMATE, fixed={**fixed, "tariff.demand_usd_per_kw": -10},
                  axes={"tariff.flat_usd_per_kwh": [0.05, 0.10]})


def test_a_range_with_min_equal_to_max_and_several_steps_is_refused(pf):
    # linspace(100, 100, 3) is one value 3 times: the sweep ran 1 case and said nothing of the 2 others
    with pytest.raises(InputError, match=r"axes\.solar\.dc_kw: range min and max are both 100, so its 3 steps are "
                                         r"one value 3 times \(one case, not 3\); allowed: steps 1"):
        SweepSpec(sites=[pf["phoenix-az"]], case=CLIMATE,
                  axes={"solar.dc_kw": {"min": 100, "max": 100, "steps": 3}})


def test_a_sweep_of_one_case_says_1_case(pf):
    res = run_sweep(SweepSpec(sites=[pf["phoenix-az"]], case=CLIMATE, axes={"solar.dc_kw": [0]}),
                    jobs=1, write=False, progress=False)
    assert res.table().startswith(f"sweep {res.name}: 1 case: 1 ran, 0 reused, 1 ok, 0 failed")


# ---------------------------------------------------------------------------
# 8. the tariffs' price dates

def test_a_tariff_axis_of_dates_years_apart_is_said_once_in_the_summary(pf):
    """chicago-il billed on ComEd (startdate 2027-06-01) and APS E-32 (2024-03-08): each row carries its bill's
    price date and the summary says, in one line, that the costs are at prices 1,180 days apart
    (2024-03-08 -> 2027-03-08 is 1,095 days, +85 to 2027-06-01; / 365.25 = 3.23 years)."""
    spec = SweepSpec(sites=[pf["chicago-il"]], axes={
        "tariff.file": ["tariffs/comed-il-large-load.json", "tariffs/aps-az-e32-tou-l.json"]})
    res = run_sweep(spec, jobs=1, write=False, progress=False)
    assert res.ok, res.table()
    by_file = dict(zip(res.frame["tariff.file"], res.frame["bill_price_date"]))
    assert by_file == {"tariffs/comed-il-large-load.json": "2027-06-01", "tariffs/aps-az-e32-tou-l.json": "2024-03-08"}
    said = [ln for ln in res.table().splitlines() if "price dates" in ln]
    assert said == [("warning: the cases' electricity costs are at their tariffs' own price dates, 3.2 years apart "
                     "(1 case at 2024-03-08, 1 case at 2027-06-01): ranking them by cost compares prices of different "
                     "years, not only of different tariffs; restate the tariffs at one date (or read the tco notebook, "
                     "which escalates each to the project start) before relying on the electricity ranking")]
    # the portfolio_sweep notebook says it of its sites itself: its summaries leave the line out
    assert "price dates" not in res.table(price_dates=False)


def test_price_dates_within_a_year_are_not_said():
    from dcplan.sweep_messages import price_date_text
    # 2025-01-01 to 2026-01-01 is 365 days: not more than PRICE_DATE_GAP_DAYS (365); a failed case's date is not read
    frame = pd.DataFrame({"status": ["ok", "ok", "failed", "ok"],
                          "bill_price_date": ["2025-01-01", "2026-01-01", "2020-01-01", None]})
    assert price_date_text(frame) == ""
    frame.loc[1, "bill_price_date"] = "2026-01-02"  # 366 days
    assert "1.0 years apart (1 case at 2025-01-01, 1 case at 2026-01-02)" in price_date_text(frame)
    assert price_date_text(pd.DataFrame({"status": ["ok"], "dc_kw": [1.0]})) == ""  # a case function without bills
