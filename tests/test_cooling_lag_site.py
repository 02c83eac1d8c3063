"""The cooling_lag notebook's run on the site's own fleet load (dcplan.cooling_lag_site).

Finding (a GPU/rack hardware engineer and a finance-committee analyst): the notebook's index headline
(lag_year_worst_hour_throttled_frac_reactive, 2.76 %) ran only the synthetic training_load_kw, normalised to
the peak, so it was the same at every site and fleet size. The site's own 1-s load (power.site_it_kw) throttles
after each training restart (>= 30 min at 5 % utilisation), not after its 60 s checkpoint dips. The headlines
are now the site's own load's (lag_fleet_*); the synthetic figure stays published, not as a headline.
"""
from __future__ import annotations

import json
import warnings

import numpy as np
import pandas as pd
import pytest

from dcplan import cooling_lag_site, thermal
from dcplan.errors import DcplanWarning
from dcplan.site import load_portfolio, load_site


def _own_load(spec, days):
    """The site's own 1 s load, built here apart from the module: power.site_it_kw on a 1 s interval-ending
    index from local midnight of 15 July 2025 (the bundled sites' weather year) in the site's time zone."""
    from dcplan import power
    start = pd.Timestamp("2025-07-15 00:00", tz=spec.timezone)
    idx = pd.date_range(start, start + pd.Timedelta(days=days), freq="1s", inclusive="right")
    return power.site_it_kw(spec, idx, deployed="all")


def test_the_window_is_mid_july_at_one_second_in_the_sites_time_zone():
    spec = load_site("northern-virginia")
    idx = cooling_lag_site.fleet_index(spec, 0.5)
    # 12 h at 1 s = 43,200 interval-ending steps, the first ending 1 s after local midnight (EDT, UTC-4)
    assert len(idx) == 43_200 and idx.freq == pd.Timedelta("1s")
    assert idx[0] == pd.Timestamp("2025-07-15 04:00:01", tz="UTC")
    assert idx[-1] == pd.Timestamp("2025-07-15 16:00:00", tz="UTC")


def test_low_stretches_by_hand():
    """A 20 s load: peak 100 kW, a 3 s dip to 30 kW at steps 5-7 and a 6 s dip to 10 kW at steps 12-17; the
    40 kW step (9) is below half the peak too, one step alone; nothing at the end (step 19 at peak)."""
    x = np.full(20, 100.0)
    x[5:8], x[9], x[12:18] = 30.0, 40.0, 10.0
    it = pd.Series(x, index=pd.date_range("2025-07-15", periods=20, freq="1s", tz="UTC"))
    st = cooling_lag_site.low_stretches(it)
    assert st["length_s"].tolist() == [3.0, 1.0, 6.0]
    assert st["start"].tolist() == [it.index[5], it.index[9], it.index[12]]
    assert st["end"].tolist() == [it.index[8], it.index[10], it.index[18]]
    assert not st["long"].any()  # all shorter than 600 s
    # a stretch still running at the end has no return in the run: left out
    x2 = x.copy()
    x2[18:] = 5.0
    assert cooling_lag_site.low_stretches(pd.Series(x2, index=it.index))["length_s"].tolist() == [3.0, 1.0]


def test_window_capacity_is_the_lowest_overlapping_hour():
    """Hour-ending capacities 10, 5, 7, 3 kW at 01:00-04:00 UTC; a window 01:30-03:00 overlaps the hours
    ending 02:00 and 03:00 (5 and 7 kW): 5 kW."""
    cap = pd.Series([10.0, 5.0, 7.0, 3.0], index=pd.date_range("2025-07-15 01:00", periods=4, freq="h", tz="UTC"))
    idx = pd.date_range("2025-07-15 01:30:01", "2025-07-15 03:00:00", freq="1s", tz="UTC")
    assert cooling_lag_site.window_capacity_kw(cap, idx) == 5.0


@pytest.fixture(scope="module")
def nova_week():
    spec = load_site("northern-virginia")
    it = _own_load(spec, 7)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DcplanWarning)  # the coolant passes its stated maximum: the label says so
        run = thermal.simulate_lag(it, lag_s=spec.cooling.lag_s, strategy="reactive")
    return spec, it, run


def test_the_module_load_is_the_sites_own_series(nova_week):
    spec, it, _ = nova_week
    mine = cooling_lag_site.fleet_load_kw(spec, 7)
    assert mine.index.equals(it.index)
    np.testing.assert_allclose(mine.to_numpy(), it.to_numpy(), rtol=0, atol=0)


def test_restarts_throttle_and_recovered_checkpoint_dips_do_not(nova_week):
    """Northern Virginia's training fleet, 7 d from 15 July: its checkpoint dips last 60 s (59 steps below half the
    peak here) and its restarts whole 30-min checkpoint periods (PROFILE_PARAMS). A dip that begins with the loop
    recovered never throttles after it (the PI barely unloads in 60 s: the command is still >= 85 % of the peak
    at the return); every long stretch is followed by throttling, its command lower the longer the stretch."""
    spec, it, run = nova_week
    st = cooling_lag_site.low_stretches(it, run)
    short_own = st[~st["long"] & st["recovered_before"]]
    assert len(short_own) > 100 and (short_own["throttled_after_s"] == 0).all()
    assert (short_own["length_s"] < 120).all() and (short_own["command_at_return_frac"] > 0.85).all()
    long_ = st[st["long"]]
    assert len(long_) >= 3 and (long_["length_s"] >= 1800 - 60).all()
    assert (long_["throttled_after_s"] > 0).all()
    # the longer the stretch, the further the PI has wound the plant down: rank order of length and command
    order = long_.sort_values("length_s")
    assert order["command_at_return_frac"].is_monotonic_decreasing
    # the command winds down at most by the proportional drop Kp |e| plus the integral's Ki |e| L over a stretch of
    # L s (SIMC: Kp = C / (2 theta), Ki = Kp / (8 theta), C = 0.5 L/kW x 4.186 kJ/(L K) x peak, theta = 90 s),
    # |e| <= 10 K (the 40 degC setpoint less the 30 degC supply floor), and never below the stretch's load
    # (the PI's steady state); upper side: a 30-min restart still ends well below full (>= 10 % wound off)
    c = 0.5 * 4.186 * it.max()
    kp = c / (2 * 90.0)
    ki = kp / (8 * 90.0)
    cmd = run["cooling_command_kw"]
    for _, r in long_.iterrows():
        before = cmd.loc[:r["start"]].iloc[-2] / it.max()  # the command just before the load fell
        floor_frac = it.loc[r["start"]] / it.max()
        bound = max(floor_frac, before - (kp * 10 + ki * 10 * r["length_s"]) / it.max())
        assert bound - 0.01 <= r["command_at_return_frac"] <= before - 0.10


def test_a_site_without_restarts_throttles_less(tmp_path):
    """The same site with interruptions off (profile interruptions_per_day 0, a bundled_site_copy) keeps its
    checkpoint dips and loses its restarts: it throttles less than the default (reactive, same window)."""
    from conftest import bundled_site_copy
    import yaml
    path = bundled_site_copy(tmp_path, "northern-virginia", "nova-no-restarts",
                             fleet={"profile": {"interruptions_per_day": 0.0}})
    (tmp_path / "pf.yaml").write_text(yaml.safe_dump({"name": "t", "sites": [path.name]}))
    calm = load_portfolio(str(tmp_path / "pf.yaml"))["nova-no-restarts"]
    default = load_site("northern-virginia")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DcplanWarning)
        runs = {name: thermal.simulate_lag(_own_load(s, 2), lag_s=90.0, strategy="reactive", summary_only=True)
                for name, s in (("calm", calm), ("default", default))}
    assert cooling_lag_site.low_stretches(_own_load(calm, 2))["long"].sum() == 0
    assert runs["default"]["throttled_s"] > 0
    assert runs["calm"]["throttled_s"] < runs["default"]["throttled_s"]
    assert runs["calm"]["energy_lost_kwh"] < runs["default"]["energy_lost_kwh"]


def test_results_keys_units_and_headlines():
    runs = {s: {"throttled_s": 360.0 * (i + 1), "throttle_episodes": i, "peak_temp_degc": 45.0 + i,
                "energy_lost_kwh": 10.0 * i} for i, s in enumerate(cooling_lag_site.STRATEGIES)}
    fr = cooling_lag_site.fleet_results(runs, "reactive", site_name="X", days=1.0, run_s=86400.0,
                                        capacity_kw=1100.0, n_long=2, n_low=50, lag_s=90.0)
    e = fr["entries"]
    assert fr["headlines"] == ["lag_fleet_throttled_frac_reactive", "lag_fleet_episodes_reactive",
                               "lag_fleet_peak_temp_degc_reactive", "lag_fleet_energy_lost_kwh_reactive"]
    assert e["lag_fleet_throttled_frac_reactive"][:2] == (360.0 / 86400.0, "frac")  # 360 s of a day
    assert e["lag_fleet_throttled_frac_predictive"][0] == pytest.approx(1080.0 / 86400.0)
    assert [e[k][1] for k in fr["headlines"]] == ["frac", "episodes", "°C", "kWh"]
    for k in fr["headlines"]:
        assert "(this site's control), X's own fleet load" in e[k][2]
    assert "this site's control" not in e["lag_fleet_episodes_predictive"][2]
    assert "NOT PHYSICAL" not in " ".join(v[2] for v in e.values())  # no run passed a stated maximum


def test_a_run_past_a_stated_maximum_says_not_physical_in_each_of_its_labels():
    runs = {s: {"throttled_s": 10.0, "throttle_episodes": 1, "peak_temp_degc": 50.0, "energy_lost_kwh": 1.0}
            for s in cooling_lag_site.STRATEGIES}
    runs["reactive"] |= {"peak_temp_degc": 61.4, "coolant_above_max_s": 326.0, "die_above_shutdown_s": 0.0}
    runs["predictive"] |= {"coolant_above_max_s": 0.0, "die_above_shutdown_s": 12.4}
    e = cooling_lag_site.fleet_results(runs, "reactive", site_name="X", days=1.0, run_s=86400.0, capacity_kw=1100.0,
                                       n_long=2, n_low=50, lag_s=90.0)["entries"]
    for k in ("throttled_frac", "throttled_s", "episodes", "peak_temp_degc", "energy_lost_kwh"):
        assert e[f"lag_fleet_{k}_reactive"][2].endswith(
            "; NOT PHYSICAL: the coolant is above its 60 °C stated maximum for 326 s (the model sheds no further load "
            "there): read as the model's figures, not a real hall's"), k
        assert "NOT PHYSICAL: the GPU die is above its 92 °C shutdown temperature for 12 s (a real hall's GPUs would " \
            "trip)" in e[f"lag_fleet_{k}_predictive"][2], k
        assert "NOT PHYSICAL" not in e[f"lag_fleet_{k}_reactive_hold"][2], k


@pytest.mark.slow
def test_the_rendered_headlines_are_the_sites_own_load(tmp_path):
    from dcplan.report import render
    s = render(sites=["northern-virginia"], notebooks=["cooling_lag"], out=tmp_path, jobs=1, progress=False,
               parameters={"site_days": 2.0})
    assert s.ok, s.table()
    res = json.loads((tmp_path / "northern-virginia" / "cooling_lag" / "results.json").read_text())["results"]
    spec = load_site("northern-virginia")
    ctl = spec.cooling.control
    head = {k for k, r in res.items() if r.get("headline")}
    assert {f"lag_fleet_{k}_{ctl}" for k in ("throttled_frac", "episodes", "peak_temp_degc", "energy_lost_kwh")} <= head
    assert f"lag_year_worst_hour_throttled_frac_{ctl}" not in head  # the synthetic load: published, not a headline
    assert f"lag_year_worst_hour_throttled_frac_{ctl}" in res
    for k in ("throttled_frac", "episodes", "peak_temp_degc", "energy_lost_kwh"):
        assert res[f"lag_fleet_{k}_{ctl}"]["unit"] in ("frac", "episodes", "°C", "kWh")
        assert "own fleet load" in res[f"lag_fleet_{k}_{ctl}"]["label"]
    # independent recomputation: the series built here, the plant's capacity from the published figure, the hall
    # sized for the site's design IT (128 GB200 NVL72 racks x (120 + 6.68 kW of rack gear) = 16,215.04 kW)
    it = _own_load(spec, 2)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DcplanWarning)
        ref = thermal.simulate_lag(it, lag_s=spec.cooling.lag_s, strategy=ctl, hall_kw=128 * (120.0 + 6.68),
                                   capacity_kw=res["lag_fleet_capacity_kw"]["value"], summary_only=True)
    assert res[f"lag_fleet_throttled_s_{ctl}"]["value"] == ref["throttled_s"] > 0
    assert res[f"lag_fleet_throttled_frac_{ctl}"]["value"] == pytest.approx(ref["throttled_s"] / (2 * 86400), rel=1e-12)
    assert res[f"lag_fleet_energy_lost_kwh_{ctl}"]["value"] == pytest.approx(ref["energy_lost_kwh"], rel=1e-9)
    # its coolant passes the 60 °C stated maximum (61.4 °C for 326 s): a warning of the report, said of which run,
    # and every headline's label says NOT PHYSICAL (the index showed 61.4 °C bare)
    assert ref["coolant_above_max_s"] > 0 and ref["peak_temp_degc"] > 60.0
    doc = json.loads((tmp_path / "northern-virginia" / "cooling_lag" / "results.json").read_text())
    own = [w for w in doc["warnings"] if w.startswith(f"{ctl} (this site's control) on {spec.name}'s own fleet load: "
                                                      "temperatures not physical: coolant peaks at ")]
    assert len(own) == 1
    not_physical = (f"; NOT PHYSICAL: the coolant is above its 60 °C stated maximum for "
                    f"{ref['coolant_above_max_s']:,.0f} s (the model sheds no further load there)")
    for k in ("throttled_frac", "episodes", "peak_temp_degc", "energy_lost_kwh"):
        assert not_physical in res[f"lag_fleet_{k}_{ctl}"]["label"], k
    # predictive control (the restart's end known) does not throttle on this load
    assert res["lag_fleet_throttled_s_predictive"]["value"] == 0


def test_the_hall_is_sized_for_hall_kw_not_the_loads_own_peak():
    """Audit finding (a cooling engineer): the runs on the site's own load sized the generic hall (loop flow
    W = peak / 10 K, mass 0.5 L/kW, so the SIMC gains) on the window's own peak, not on the site's design IT: for a
    part-loaded fleet a smaller hall than the site builds, whose figures moved with site_days. hall_kw sizes it.

    Independent check: a hall sized for 1,000 kW running a load that peaks at 800 kW is the same hall as one whose
    load reaches 1,000 kW in its very last second (that step cannot act on the steps before it), so every step
    but the last must agree; by hand, C = 0.5 L/kW x 4.186 kJ/(kg K) x 1,000 kW = 2,093 kJ/K and 1,000 / 1.275 GPUs.
    Tolerance: float32 outputs, 1e-4 K and 1e-3 kW."""
    n = 3 * 3600
    t = np.arange(n)
    x = np.where((t // 1200) % 2 == 0, 560.0, 800.0)  # 70 % <-> 100 % of the load's peak every 20 min
    idx = pd.date_range("2025-07-15 00:00:01", periods=n, freq="1s", tz="UTC")
    sized = cooling_lag_site.fleet_run(pd.Series(x, index=idx), "reactive", lag_s=90.0, hall_kw=1000.0,
                                       capacity_kw=1100.0)
    y = x.copy()
    y[-1] = 1000.0
    ref = cooling_lag_site.fleet_run(pd.Series(y, index=idx), "reactive", lag_s=90.0, capacity_kw=1100.0)
    for col, tol in (("temp_coolant_degc", 1e-4), ("cooling_command_kw", 1e-3), ("heat_removed_kw", 1e-3)):
        np.testing.assert_allclose(sized[col].to_numpy()[:-1], ref[col].to_numpy()[:-1], rtol=0, atol=tol)
    assert (sized["throttle"].to_numpy()[:-1] == ref["throttle"].to_numpy()[:-1]).all()
    s = sized.attrs["summary"]
    assert s["thermal_mass_kj_per_k"] == pytest.approx(2093.0, rel=1e-12)
    assert s["n_gpus"] == pytest.approx(1000.0 / 1.275, rel=1e-9)
    # on its own peak (800 kW) the hall is smaller: a different run (the old behaviour, and fleet_run's default)
    own = cooling_lag_site.fleet_run(pd.Series(x, index=idx), "reactive", lag_s=90.0, capacity_kw=1100.0,
                                     summary_only=True)
    assert own["thermal_mass_kj_per_k"] == pytest.approx(0.5 * 4.186 * 800.0, rel=1e-12)
    # a hall smaller than the load's peak is refused, naming the field and the peak
    from dcplan.errors import InputError
    with pytest.raises(InputError, match="800") as e:
        cooling_lag_site.fleet_run(pd.Series(x, index=idx), "reactive", lag_s=90.0, hall_kw=700.0)
    assert e.value.field == "hall_kw"


def test_fleet_labels_name_the_halls_size():
    runs = {s: {"throttled_s": 0.0, "throttle_episodes": 0, "peak_temp_degc": 40.0, "energy_lost_kwh": 0.0}
            for s in cooling_lag_site.STRATEGIES}
    fr = cooling_lag_site.fleet_results(runs, "reactive", site_name="X", days=7.0, run_s=604800.0,
                                        capacity_kw=6402.0, n_long=0, n_low=0, lag_s=90.0, hall_kw=5786.4)
    assert "generic W32 liquid hall sized for the site's design IT (5,786 kW), 90 s plant lag" in \
        fr["entries"]["lag_fleet_episodes_reactive"][2]


@pytest.mark.slow
def test_phoenix_own_week_on_its_design_it_hall_matches_an_independent_model():
    """Phoenix's own week (inference, its peak 4,871 kW = 84 % of the 5,786 kW design IT; never below half its
    peak: it throttles after 1-s load steps of ~336 kW, not after low stretches). An independent re-implementation
    of the documented equations (plant sub-stepped at 0.1 s, the PI and throttle sampled each second; audit
    scratch model) gave, reactive, 90 s lag, PI for 90 s, capacity 6,402 kW: on the design-IT hall 13 episodes,
    189 s throttled, 93.4 kWh lost; on the window-peak hall (the old headline) 69 episodes, 990 s, 485.5 kWh.
    Tolerance: 1 episode, 3 s, 2 %."""
    spec = load_site("phoenix-az")
    it = cooling_lag_site.fleet_load_kw(spec, 7.0)
    from dcplan import power
    design = power.fleet_design_it_kw(spec)
    assert design == pytest.approx(5786.4, rel=1e-9)
    r = cooling_lag_site.fleet_run(it, "reactive", lag_s=90.0, capacity_kw=6402.289, hall_kw=design,
                                   summary_only=True)
    assert abs(r["throttle_episodes"] - 13) <= 1 and abs(r["throttled_s"] - 189.0) <= 3.0, r
    assert r["energy_lost_kwh"] == pytest.approx(93.35, rel=0.02)
    old = cooling_lag_site.fleet_run(it, "reactive", lag_s=90.0, capacity_kw=6402.289, summary_only=True)
    assert abs(old["throttle_episodes"] - 69) <= 1 and abs(old["throttled_s"] - 990.0) <= 3.0, old
