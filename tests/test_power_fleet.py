"""Tests of fleet aggregation in dcplan.power: phases, levels, diversity, design power, sites."""
from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd
import pytest

from dcplan import power as pw
from dcplan.errors import DcplanWarning, InputError
from dcplan.site import SiteError, load_portfolio, load_site
from dcplan.workload import workload_profile

TZ = "America/New_York"
SEC_2H = pd.date_range("2026-07-01 00:00:01", periods=7200, freq="1s", tz=TZ)
HOUR_2H = pd.date_range("2026-07-01 01:00", periods=2, freq="1h", tz=TZ)


def _fleet(**kw):
    base = {"phases": [{"hardware": "hgx-h100", "count": 100, "start": "2026-01-01", "label": "A"}],
            "workload": "training", "utilisation_frac": 0.8}
    base.update(kw)
    return base


def test_phases_count_from_their_start_dates():
    site = load_portfolio()["research-triangle-nc"]    # Hall A 2026-07-01, Hall B 2027-01-01
    idx = pd.date_range("2026-06-30 01:00", periods=24 * 3, freq="1h", tz=TZ)
    it = pw.site_it_kw(site, idx)
    start = idx - pd.Timedelta("1h")
    assert (it[start < pd.Timestamp("2026-07-01", tz=TZ)] == 0).all()
    assert (it[start >= pd.Timestamp("2026-07-01", tz=TZ)] > 0).all()
    # only Hall A (256 servers, 64 racks) is deployed: training at 1 h is flat at
    # 256*P(mixture) + 64*addons; bounded by the phase design 2,808 kW (fleet_table)
    assert it.max() <= pw.fleet_table(site)["phase_max_kw"].iloc[0] + 1e-9
    halls = pw.fleet_it_kw(site, idx, level="hall")
    assert list(halls.columns) == ["Hall A", "Hall B"] and (halls["Hall B"] == 0).all()
    np.testing.assert_allclose(halls.sum(axis=1).to_numpy(), it.to_numpy(), rtol=1e-12)


def test_independent_units_match_lock_step_energy_over_a_year():
    idx = pd.date_range("2026-01-01 01:00", periods=8760, freq="1h", tz="UTC")
    sync = pw.site_it_kw(_fleet(), idx, seed=3, sync_frac=1.0)
    with pytest.warns(DcplanWarning, match="100 independent units"):   # above power_units.MAX_SIMULATED_UNITS
        indep = pw.site_it_kw(_fleet(), idx, seed=3, sync_frac=0.0)
    # only the random restarts differ from their expectation: ~0.2 %-points of time (see
    # test_training_interruptions_keep_the_long_run_mean) -> energy within 1 %
    assert pw.energy_from_power(indep).sum() == pytest.approx(pw.energy_from_power(sync).sum(), rel=0.01)


def test_nothing_deployed_warns():
    site = load_portfolio()["northern-virginia"]        # first phase 2027-01-01
    idx = pd.date_range("2025-01-01 01:00", periods=24, freq="1h", tz=TZ)
    with pytest.warns(DcplanWarning, match="no fleet phase is deployed"):
        it = pw.site_it_kw(site, idx)
    assert (it == 0).all()
    assert (pw.site_it_kw(site, idx, deployed="all") > 0).all()


def test_design_it_kw_hand_calculation():
    site = load_portfolio()["research-triangle-nc"]
    # 512 hgx-h100 x 10.2 kW + 128 racks x (1.5*1.7 + 0.15 + 0.25*1.5 = 3.075 kW) = 5,616 kW
    assert pw.fleet_design_it_kw(site) == pytest.approx(5616.0)
    assert pw.fleet_design_it_kw(site, at="2026-12-31") == pytest.approx(2808.0)
    assert pw.fleet_design_it_kw(_fleet(diversity_frac=0.9)) == pytest.approx(
        0.9 * pw.fleet_design_it_kw(_fleet()))
    # a cap lowers the design power (hardware enforces it): 100 x 8.5333 + 25 x 3.075
    assert pw.fleet_design_it_kw(_fleet(cap_w_per_accelerator=500)) == pytest.approx(
        100 * 8.192 / 0.96 + 25 * 3.075)


def test_design_it_kw_at_takes_dates_and_refuses_numbers():
    """``at=5`` was read as 5 ns after 1970, before every phase, and gave 0 kW; text that is
    no date gave pandas' parse error without the field."""
    site = load_portfolio()["research-triangle-nc"]
    half = 2808.0  # the first of two equal phases (test_design_it_kw_hand_calculation)
    for at in ("2026-12-31", dt.date(2026, 12, 31), pd.Timestamp("2026-12-31 23:00", tz=TZ),
               np.datetime64("2026-12-31")):
        assert pw.fleet_design_it_kw(site, at=at) == pytest.approx(half)
    for bad in (5, 2026.5, True, "garbage", "", pd.NaT):
        with pytest.raises(InputError, match="at: must be a date"):
            pw.fleet_design_it_kw(site, at=bad)


def test_series_never_exceeds_design_and_idle_floor():
    for site in load_portfolio():
        idx = pd.date_range("2025-01-01 01:00", periods=24 * 14, freq="1h", tz=site.timezone)
        it = pw.site_it_kw(site, idx, deployed="all")
        design = pw.fleet_design_it_kw(site)
        tab = pw.fleet_table(site)
        assert it.max() <= design + 1e-6, site.id
        assert it.min() >= (tab["count"] * tab["unit_idle_kw"]).sum(), site.id


def test_rack_level_is_one_rack():
    idx = HOUR_2H
    rack = pw.fleet_it_kw(_fleet(workload="batch", utilisation_frac=0.5), idx, level="rack", sync_frac=1.0)
    site = pw.fleet_it_kw(_fleet(workload="batch", utilisation_frac=0.5), idx, sync_frac=1.0)
    u = workload_profile("batch", idx, 0.5).to_numpy()
    # linear curve: one rack (level "rack": its servers and its gear) = rack_power_kw(u, include_addons=True);
    # site = 100 units + 25 racks of gear
    np.testing.assert_allclose(rack.iloc[:, 0].to_numpy(), pw.rack_power_kw(u, "hgx-h100", include_addons=True),
                               rtol=1e-12)
    want = 100 * pw.unit_power_kw(u, "hgx-h100") + 25 * pw.rack_gear_power_kw(u, "hgx-h100")
    np.testing.assert_allclose(site.to_numpy(), want, rtol=1e-12)


@pytest.mark.parametrize("curve, cap", [("linear", None), ("concave", None), ("linear", 450), ("concave", 600)])
def test_training_energy_is_resolution_independent_even_with_caps(curve, cap):
    # training is piecewise constant: the hourly power is the exact mix of level powers,
    # so 1 s and 1 h energies agree for any curve and cap (float32 time fractions: rel 1e-6)
    f = _fleet(curve=curve, cap_w_per_accelerator=cap)
    fine = pw.site_it_kw(f, SEC_2H, seed=5)
    coarse = pw.site_it_kw(f, HOUR_2H, seed=5)
    assert pw.energy_from_power(coarse).sum() == pytest.approx(pw.energy_from_power(fine).sum(), rel=1e-6)
    np.testing.assert_allclose(fine.to_numpy().reshape(2, 3600).mean(axis=1), coarse.to_numpy(), rtol=1e-6)


def test_inference_energy_matches_across_resolution_for_linear_uncapped_power():
    f = _fleet(workload="inference", utilisation_frac=0.6)
    fine = pw.site_it_kw(f, SEC_2H, seed=5, sync_frac=1.0)
    coarse = pw.site_it_kw(f, HOUR_2H, seed=5, sync_frac=1.0)
    # linear power of an exactly averaged utilisation: equal to rounding
    assert pw.energy_from_power(coarse).sum() == pytest.approx(pw.energy_from_power(fine).sum(), rel=1e-9)


def test_cap_clips_fleet_peak_and_never_raises_energy():
    f = _fleet()
    base = pw.site_it_kw(f, SEC_2H, seed=2)
    e0 = pw.energy_from_power(base).sum()
    prev_peak = base.max()
    # GPU draw at the compute level: 70 + 630 * 0.855 = 609 W, so a 650 W cap never binds
    pd.testing.assert_series_equal(pw.site_it_kw(f, SEC_2H, seed=2, cap_w_per_accelerator=650), base)
    for cap in (600, 500, 400, 300):       # W per GPU, tightening
        capped = pw.site_it_kw(f, SEC_2H, seed=2, cap_w_per_accelerator=cap)
        assert capped.max() < prev_peak
        assert pw.energy_from_power(capped).sum() <= e0 + 1e-9
        assert (capped <= base + 1e-9).all()
        prev_peak = capped.max()


def test_synchronous_versus_independent_units():
    f = _fleet(profile={"interruptions_per_day": 0.0})   # random restarts off: exact expectation
    f["phases"][0]["count"] = 200
    sync = pw.site_it_kw(f, SEC_2H, seed=1, sync_frac=1.0)
    # 200 and 100 independent units: more than power_units.MAX_SIMULATED_UNITS (64), so their expectation, which
    # understates their peaks: warned
    with pytest.warns(DcplanWarning, match="200 independent units"):
        indep = pw.site_it_kw(f, SEC_2H, seed=1, sync_frac=0.0)
    with pytest.warns(DcplanWarning, match="100 independent units"):
        half = pw.site_it_kw(f, SEC_2H, seed=1, sync_frac=0.5)
    # lock-step swings reach the fleet; many independent units average them out (flat)
    assert sync.std() > 100 * max(indep.std(), 1e-9)
    assert indep.max() < sync.max()
    # same expected energy over whole iterations and checkpoints (linear): rel 1e-6 (float32)
    assert pw.energy_from_power(indep).sum() == pytest.approx(pw.energy_from_power(sync).sum(), rel=1e-6)
    np.testing.assert_allclose(half.to_numpy(), 0.5 * (sync + indep).to_numpy(), rtol=1e-9)


def test_float32_output_is_close_to_float64():
    a = pw.site_it_kw(_fleet(), SEC_2H[:600], dtype="float32")
    b = pw.site_it_kw(_fleet(), SEC_2H[:600])
    assert a.dtype == np.float32
    np.testing.assert_allclose(a.to_numpy(), b.to_numpy(), rtol=1e-6)


def test_bad_fleet_inputs_are_clear_errors(tmp_path):
    with pytest.raises(InputError, match=r"fleet\.phases\[0\]\.count.*greater than or equal to 0"):
        pw.site_it_kw({"phases": [{"hardware": "hgx-h100", "count": -5, "start": "2026-01-01"}]}, HOUR_2H)
    with pytest.raises(InputError, match=r"fleet\.phases\[0\]\.hardware.*did you mean 'hgx-h200'"):
        pw.site_it_kw({"phases": [{"hardware": "hgx-h2000", "count": 5, "start": "2026-01-01"}]}, HOUR_2H)
    with pytest.raises(InputError, match="level.*allowed: site, hall, rack"):
        pw.fleet_it_kw(_fleet(), HOUR_2H, level="row")
    with pytest.raises(InputError, match="sync_frac"):
        pw.site_it_kw(_fleet(), HOUR_2H, sync_frac=1.5)
    irregular = pd.DatetimeIndex(list(HOUR_2H.append(pd.DatetimeIndex([HOUR_2H[-1] + pd.Timedelta("3h")]))))
    with pytest.raises(InputError, match="irregular step"):
        pw.site_it_kw(_fleet(), irregular)
    # a negative count in a site YAML is reported with file and field path
    src = load_site("research-triangle-nc").source_file
    text = open(src).read().replace("count: 256", "count: -256", 1)
    bad = tmp_path / "bad.yaml"
    bad.write_text(text.replace("weather/723170TYA.CSV", str(pw.data_path("weather", "723170TYA.CSV"))))
    with pytest.raises(SiteError, match=r"fleet\.phases\[0\]\.count"):
        load_site(bad)


def test_fleet_accelerators_and_tokens():
    site = load_portfolio()["research-triangle-nc"]
    idx = pd.date_range("2027-01-01 01:00", periods=24, freq="1h", tz=TZ)
    n = pw.fleet_accelerators(site, idx)
    assert (n == 512 * 8).all()
    u = workload_profile("training", idx, 0.8)
    tok = pw.fleet_tokens_per_s(u, n, pw.THROUGHPUT_EXAMPLES["h100-sxm/llama-2-70b-offline"])
    it = pw.site_it_kw(site, idx)
    m = pw.token_metrics(tok, it)
    # tokens = sum(u * 4096 * 3066.04 * 3600 s); energy = sum(it) * 1 h
    assert m["tokens"] == pytest.approx(float((u * 4096 * 24528.3 / 8 * 3600).sum()), rel=1e-12)
    assert m["tokens_per_kwh_it"] == pytest.approx(m["tokens"] / it.sum(), rel=1e-12)


def test_batch_energy_is_resolution_independent_for_any_curve():
    # batch utilisation is piecewise constant: hourly intervals carry the exact mix of job levels
    f = _fleet(workload="batch", utilisation_frac=0.6, curve="concave", cap_w_per_accelerator=450)
    fine = pw.site_it_kw(f, SEC_2H, seed=8, sync_frac=1.0)
    coarse = pw.site_it_kw(f, HOUR_2H, seed=8, sync_frac=1.0)
    assert pw.energy_from_power(coarse).sum() == pytest.approx(pw.energy_from_power(fine).sum(), rel=1e-9)


def test_inference_nonlinear_power_at_1h_is_a_documented_approximation():
    # inference has a continuous diurnal shape and noise: at 1 h the power of the mean
    # utilisation is used (Jensen gap). Measured gap for this case ~0.3 %; bound it at 1 %.
    idx_s = pd.date_range("2026-07-01 00:00:01", periods=6 * 3600, freq="1s", tz="America/Phoenix")
    idx_h = pd.date_range("2026-07-01 01:00", periods=6, freq="1h", tz="America/Phoenix")
    f = _fleet(workload="inference", utilisation_frac=0.6, cap_w_per_accelerator=600)
    fine = pw.energy_from_power(pw.site_it_kw(f, idx_s, sync_frac=1.0)).sum()
    coarse = pw.energy_from_power(pw.site_it_kw(f, idx_h, sync_frac=1.0)).sum()
    assert coarse >= fine * (1 - 1e-12)          # a cap is concave: clipping the mean clips less
    assert coarse == pytest.approx(fine, rel=0.01)


def test_data_workload_reads_the_sites_csv(tmp_path):
    import shutil
    from pathlib import Path
    src = Path(load_site("research-triangle-nc").source_file)
    shutil.copy(Path(__file__).parent / "data" / "power" / "utilisation_15min.csv", tmp_path / "u.csv")
    text = src.read_text().replace("weather/723170TYA.CSV", str(pw.data_path("weather", "723170TYA.CSV")))
    text = text.replace("  workload: training\n", "  workload: data\n  data_file: u.csv\n")
    (tmp_path / "site.yaml").write_text(text)
    site = load_site(tmp_path / "site.yaml")
    idx = pd.date_range("2025-03-01 01:00", periods=24, freq="1h", tz=TZ)
    # the site file's utilisation_frac 0.8 against the file's mean 0.5 (tests/data/power/
    # utilisation_15min.csv): tokens and revenue would be counted at 0.8 on 0.5's power
    with pytest.raises(InputError, match=r"fleet.utilisation_frac: 0.8, but u.csv's utilisation_frac averages "
                                         r"0.500: .*allowed: within 0.01 of the file's mean"):
        pw.site_it_kw(site, idx, deployed="all")
    (tmp_path / "site.yaml").write_text(text.replace("utilisation_frac: 0.8", "utilisation_frac: 0.5"))
    site = load_site(tmp_path / "site.yaml")
    it = pw.site_it_kw(site, idx, deployed="all")
    assert (it > 0).all() and it.max() <= pw.fleet_design_it_kw(site)
    # left out, the default 0.8 would stand in for the measured mean: the spec refuses it
    (tmp_path / "site.yaml").write_text(text.replace("  utilisation_frac: 0.8\n", ""))
    with pytest.raises(InputError, match=r"workload 'data' needs utilisation_frac: the mean share"):
        load_site(tmp_path / "site.yaml")


def test_unknown_profile_key_is_a_spec_error():
    with pytest.raises(InputError, match=r"profile.*did you mean 'checkpoint_s'"):
        pw.site_it_kw(_fleet(profile={"checkpoint_ss": 30}), HOUR_2H)


# ------------------------------------------------------------------- bad input (review)
def test_data_series_given_directly_is_range_checked():
    """fleet_it_kw(data=...) took any Series: utilisation 80 (percent) gave 80x the power
    (4 hgx-h100 + 1 rack of gear: 2,534 kW instead of ~35 kW), NaN gave NaN and a negative
    measured it_kw passed through. read_profile_csv refuses these; a Series passed directly
    must be refused too."""
    fleet = {"phases": [{"hardware": "hgx-h100", "count": 4, "start": "2026-01-01"}],
             "workload": "data", "data_file": "unused.csv",
             "utilisation_frac": 0.5}
    for value, name, match in [(80.0, "utilisation_frac", r"80\.0.*outside \[0\.0, 1\.0\]"),
                               (np.nan, "utilisation_frac", "nan"),
                               (-5.0, "it_kw", r"-5\.0.*>= 0"), (np.nan, "it_kw", "nan")]:
        data = pd.Series(value, index=HOUR_2H, name=name)
        with pytest.raises(InputError, match=rf"data \({name}\).*{match}"):
            pw.fleet_it_kw(fleet, HOUR_2H, data=data)
    # a valid utilisation 0.8: 4 x (2.6 + 0.8 x 7.6) + 1 rack x (1.95 + 0.8 x 1.125) = 37.57 kW
    # (hardware.csv hgx-h100 idle/max and its rack_addons, linear), rel 1e-12 for rounding
    it = pw.fleet_it_kw(fleet, HOUR_2H, data=pd.Series(0.8, index=HOUR_2H, name="utilisation_frac"))
    np.testing.assert_allclose(it.to_numpy(), 4 * (2.6 + 0.8 * 7.6) + (1.95 + 0.8 * 1.125), rtol=1e-12)


def test_design_psu_and_deployed_are_checked():
    """psu_efficiency_frac = 96 (percent) made the design power 3.48 kW instead of 43.9 kW
    (4 x 10.2 + 3.075, fleet_table); deployed='All' silently meant 'dated' in fleet_accelerators."""
    fleet = {"phases": [{"hardware": "hgx-h100", "count": 4, "start": "2026-06-01"}]}
    assert pw.fleet_design_it_kw(fleet) == pytest.approx(4 * 10.2 + 3.075, rel=1e-12)
    for bad in (96, float("nan"), 0.0):
        with pytest.raises(InputError, match="psu_efficiency_frac"):
            pw.fleet_design_it_kw(fleet, psu_efficiency_frac=bad)
    with pytest.raises(InputError, match="deployed.*allowed: dated, all"):
        pw.fleet_accelerators(fleet, HOUR_2H, deployed="All")


def test_phase_start_where_clocks_skip_midnight():
    """America/Santiago springs forward at 00:00 on 2026-09-06 (00:00-04 -> 01:00-03): the day
    begins at 01:00-03. Hourly interval-ending labels: the interval ending 01:00-03 starts at
    23:00-04 (before the day) -> 0 kW; the one ending 02:00-03 starts at 01:00-03 -> deployed
    (> 0 kW: at least the idle 4 x 2.6 kW). Used to raise a pandas ValueError (nonexistent time)."""
    idx = pd.date_range(pd.Timestamp("2026-09-05 22:00").tz_localize("America/Santiago"), periods=5, freq="1h")
    fleet = {"phases": [{"hardware": "hgx-h100", "count": 4, "start": "2026-09-06"}],
             "workload": "batch", "utilisation_frac": 0.6}
    it = pw.site_it_kw(fleet, idx)
    assert [str(t) for t in idx[2:4]] == ["2026-09-06 01:00:00-03:00", "2026-09-06 02:00:00-03:00"]
    assert (it.iloc[:3] == 0).all()
    assert (it.iloc[3:] >= 4 * 2.6).all()


def test_a_spec_cap_below_idle_changed_without_validation_names_the_yaml_field():
    """A site whose fleet cap was set with model_copy (no validation: load_site refuses it) failed
    in the run as "cap_w_per_accelerator: ..." without the file or the fleet. prefix."""
    site = load_site("phoenix-az")  # 384 x hgx-b200; accelerator idle 140 W in data/hardware.csv
    bad = site.model_copy(update={"fleet": site.fleet.model_copy(update={"cap_w_per_accelerator": 50.0})})
    with pytest.raises(InputError, match=r"phoenix-az\.yaml: fleet\.cap_w_per_accelerator: 50 W is below the "
                                         r"accelerator idle power 140 W of 'hgx-b200'"):
        pw.fleet_design_it_kw(bad)
    with pytest.raises(InputError, match=r"phoenix-az\.yaml: fleet\.cap_w_per_accelerator: 50 W"):
        pw.site_it_kw(bad, pd.date_range("2027-01-01 01:00", periods=2, freq="1h", tz=site.timezone))


def _idle_and_tdp_w(key: str) -> tuple[float, float]:
    """accelerator_idle_w, accelerator_tdp_w of data/hardware.csv read with the csv module."""
    import csv
    from dcplan.paths import data_path
    with open(data_path("hardware.csv"), newline="", encoding="utf-8") as fh:
        row = next(r for r in csv.DictReader(fh) if r["key"] == key)
    return float(row["accelerator_idle_w"]), float(row["accelerator_tdp_w"])


def test_fleet_cap_notes_refuse_a_cap_below_idle_and_note_caps_that_do_nothing():
    """rack_power took -p cap_w_per_accelerator 50 and failed in its 1 s cell; a cap above the TDP
    (5,000 W on an H100) or on CPU-only units was accepted without a word and did nothing."""
    h100_idle, h100_tdp = _idle_and_tdp_w("hgx-h100")     # 70 W, 700 W
    b200_idle, b200_tdp = _idle_and_tdp_w("hgx-b200")     # 140 W, 1,000 W
    rtp = load_site("research-triangle-nc")               # 2 phases of hgx-h100
    with pytest.raises(InputError, match=rf"^cap_w_per_accelerator: 50 W is below the idle power of this fleet's "
                                         rf"accelerators: 'hgx-h100' idles at {h100_idle:g} W per accelerator "
                                         rf"\(data/hardware\.csv accelerator_idle_w\); allowed: at least "
                                         rf"{h100_idle:g} W"):
        pw.fleet_cap_notes(rtp, 50.0)
    assert pw.fleet_cap_notes(rtp, 550.0) == [] and pw.fleet_cap_notes(rtp, np.int64(550)) == []
    notes = pw.fleet_cap_notes(rtp, 5000.0)
    assert notes == [f"cap_w_per_accelerator 5000 W is at or above the {h100_tdp:g} W TDP of 'hgx-h100' "
                     "(data/hardware.csv accelerator_tdp_w): it never binds there, so its capped results equal "
                     "the uncapped ones"]
    # ... and indeed the capped power is the uncapped power
    pd.testing.assert_series_equal(pw.site_it_kw(rtp, HOUR_2H, deployed="all", cap_w_per_accelerator=5000.0),
                                   pw.site_it_kw(rtp, HOUR_2H, deployed="all", cap_w_per_accelerator=None))
    # a mixed fleet: the floor is its highest accelerator idle (B200); CPU-only units are noted
    mixed = _fleet(phases=[{"hardware": "hgx-h100", "count": 4, "start": "2026-01-01"},
                           {"hardware": "hgx-b200", "count": 4, "start": "2026-01-01"},
                           {"hardware": "cpu-2s", "count": 8, "start": "2026-01-01"},
                           {"hardware": "mi300x-8", "count": 0, "start": "2026-01-01"}])
    with pytest.raises(InputError, match=rf"100 W is below .*'hgx-b200' idles at {b200_idle:g} W"):
        pw.fleet_cap_notes(mixed, 100.0)
    notes = pw.fleet_cap_notes(mixed, 800.0)
    assert len(notes) == 2 and f"the {h100_tdp:g} W TDP of 'hgx-h100'" in notes[0]   # B200 (1,000 W) is capped
    assert notes[1] == "cap_w_per_accelerator does not apply to 'cpu-2s': it has no accelerators, so its units run uncapped"
    assert b200_tdp > 800.0
    for bad in (0.0, -5.0, np.inf, True, "500"):
        with pytest.raises(InputError, match=r"^cap_w_per_accelerator: must be a positive number \[W\]"):
            pw.fleet_cap_notes(rtp, bad)


def test_fleet_numbers_take_numpy_scalars_not_text():
    """sync_frac or psu_efficiency_frac given as text raised a bare TypeError ('<=' not supported);
    sync_frac=True was taken as 1."""
    for kw, field in [({"sync_frac": "0.5"}, "sync_frac"), ({"sync_frac": True}, "sync_frac"),
                      ({"psu_efficiency_frac": "0.9"}, "psu_efficiency_frac")]:
        with pytest.raises(InputError, match=rf"^{field}: must be a number in"):
            pw.site_it_kw(_fleet(), HOUR_2H, **kw)
    a = pw.site_it_kw(_fleet(), HOUR_2H, sync_frac=np.float64(0.5), cap_w_per_accelerator=np.int64(500))
    b = pw.site_it_kw(_fleet(), HOUR_2H, sync_frac=0.5, cap_w_per_accelerator=500.0)
    pd.testing.assert_series_equal(a, b)
    # design power at a 500 W cap: 100 x (10.2 x 0.96 - 8 x 0.2) / 0.96 + 25 racks of gear (3.075 kW,
    # hgx-h100 rack_addons at full load; test_design_psu_and_deployed_are_checked)
    assert pw.fleet_design_it_kw(_fleet(), cap_w_per_accelerator=np.int64(500)) == pytest.approx(
        100 * (10.2 * 0.96 - 1.6) / 0.96 + 25 * 3.075, rel=1e-12)


def test_main_accelerator_and_default_cap():
    """The unit type with most accelerators, ties to the higher TDP (data/hardware.csv): phoenix-az
    is all hgx-b200 (1,000 W B200), northern-virginia gb200-nvl72 (1,200 W GB200 GPU); the rack_power
    default cap is 0.8 x that TDP. A mixed fleet: 64 x 8 H100 (512) against 8 x 72 GB200 (576)."""
    pf = load_portfolio()
    assert pw.main_accelerator(pf["phoenix-az"]).key == "hgx-b200"
    assert pw.default_cap_w(pf["phoenix-az"], 0.8) == pytest.approx(800.0, rel=1e-12)
    assert pw.default_cap_w(pf["northern-virginia"], 0.8) == pytest.approx(960.0, rel=1e-12)
    mixed = _fleet(phases=[{"hardware": "hgx-h100", "count": 64, "start": "2026-01-01"},
                           {"hardware": "gb200-nvl72", "count": 8, "start": "2026-01-01"}])
    assert pw.main_accelerator(mixed).key == "gb200-nvl72"
    tie = _fleet(phases=[{"hardware": "hgx-h100", "count": 9, "start": "2026-01-01"},
                         {"hardware": "gb200-nvl72", "count": 1, "start": "2026-01-01"}])  # 72 GPUs each
    assert pw.main_accelerator(tie).key == "gb200-nvl72"  # the tie goes to the 1,200 W TDP over 700 W
    for bad in (0.0, 1.5, True, "0.8"):
        with pytest.raises(InputError, match="cap_tdp_frac: must be a share of the TDP in \\(0, 1\\]"):
            pw.default_cap_w(pf["phoenix-az"], bad)
