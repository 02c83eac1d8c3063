"""A measured load file (fleet ``workload: data``) on a grid finer than its own, and its check before a render.

An auditor's site with a measured hourly ``util.csv`` (8,760 rows, mean 0.55) crashed rack_power (cell 12)
and cooling_lag (cell 8): "data step 3600 s does not divide the requested step 1 s". A data file is now
step-held (``dcplan.workload.DataProcess``): each value holds over its own interval (interval-ending
labels), so at 1 s every second of an hour is that hour's value, and the notebooks' labels say so
(``dcplan.workload_data.held_note``). And ``dcplan render`` refuses, before any run (exit 2), a
``fleet.utilisation_frac`` that ``dcplan validate`` refuses against the file's mean, with the same message
(both call ``dcplan.workload_data.data_file_problems``); it ran and failed at rack_power's cell 9 (exit 1).
"""
from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from conftest import bundled_site_copy

from dcplan import power
from dcplan.errors import DcplanWarning, InputError
from dcplan.power_timegrid import Grid
from dcplan.workload import DataProcess
from dcplan.workload_data import data_file_problems, data_step_s, held_note, step_words

TZ = "America/Phoenix"  # UTC-7 all year: no clock change inside the tests' windows


def _hourly(values, name="utilisation_frac", start="2025-07-01 01:00"):
    idx = pd.date_range(start, periods=len(values), freq="h", tz=TZ)
    return pd.Series(np.asarray(values, dtype=float), index=idx, name=name)


def _seconds(start="2025-07-01 00:00:01", n=3 * 3600):
    return pd.date_range(start, periods=n, freq="1s", tz=TZ)


def test_an_hourly_series_at_1_s_holds_each_hours_value():
    """Hours ending 01:00, 02:00, 03:00 at 0.2, 0.5, 0.9 (interval-ending: 0.2 covers 00:00-01:00). At 1 s over
    00:00-03:00 the 3,600 seconds of each hour are that hour's value exactly (no sub-hour variation), and
    the mean over each hour, the energy's measure, is the hour's value: 0.2, 0.5, 0.9 (the 3 h mean 1.6 / 3).
    Tolerance: float rounding of interval fractions (1e-12)."""
    g = Grid.from_index(_seconds())
    u = DataProcess(_hourly([0.2, 0.5, 0.9, 0.4])).utilisation(g).reshape(3, 3600)
    for h, v in enumerate((0.2, 0.5, 0.9)):
        assert np.allclose(u[h], v, rtol=0, atol=1e-12)
    assert u.mean() == pytest.approx(1.6 / 3, abs=1e-12)
    # the second ending 01:00:00 is the first hour's last; the one ending 01:00:01 the second hour's first
    assert (u[0, -1], u[1, 0]) == pytest.approx((0.2, 0.5), abs=1e-12)


def test_a_step_that_is_neither_a_multiple_nor_a_divisor_averages_the_overlap():
    """15 min data (0.2 for 00:00-00:15, 0.8 for 00:15-00:30) on a 10 min grid: 00:00-00:10 all 0.2; 00:10-00:20
    half each, (5 x 0.2 + 5 x 0.8) / 10 = 0.5; 00:20-00:30 all 0.8 (by hand)."""
    idx = pd.date_range("2025-07-01 00:15", periods=2, freq="15min", tz=TZ)
    s = pd.Series([0.2, 0.8], index=idx, name="utilisation_frac")
    g = Grid.from_index(pd.date_range("2025-07-01 00:10", periods=3, freq="10min", tz=TZ))
    assert DataProcess(s).utilisation(g) == pytest.approx([0.2, 0.5, 0.8], abs=1e-12)


def test_measured_it_kw_at_1_s_keeps_each_hours_power_and_the_energy(tmp_path):
    """Measured site power 1,000, 2,000, 1,500 kW in three hours: at 1 s every second of an hour is that hour's
    kW, and the energy over the 3 h is 1,000 + 2,000 + 1,500 = 4,500 kWh (10,800 s x the 1 s values / 3,600).
    Tolerance: float32 output (6e-8 relative) and the sum of 10,800 values."""
    site = bundled_site_copy(tmp_path, "phoenix-az", "ph-data", fleet={"workload": "data", "data_file": "u.csv",
                                                                         "utilisation_frac": 0.55})
    from dcplan.site import load_site
    spec = load_site(site)
    kw = power.site_it_kw(spec, _seconds(), data=_hourly([1000.0, 2000.0, 1500.0], name="it_kw"),
                          deployed="all")
    by_hour = kw.to_numpy().reshape(3, 3600)
    for h, v in enumerate((1000.0, 2000.0, 1500.0)):
        assert by_hour[h].min() == pytest.approx(v, rel=1e-6) and by_hour[h].max() == pytest.approx(v, rel=1e-6)
    assert power.energy_from_power(kw).sum() == pytest.approx(4500.0, rel=1e-6)


def test_measured_utilisation_at_1_s_is_the_hourly_power_held(tmp_path):
    """The fleet's power at a constant utilisation is the same whatever the step: with the hour's utilisation
    held over each second, every second's kW is the hourly run's kW of that hour (the same function at 1 h,
    each hour one utilisation level), and the 3 h energy is the sum of the three hourly kW x 1 h.
    Tolerance: float32 output (6e-8 relative)."""
    site = bundled_site_copy(tmp_path, "phoenix-az", "ph-data", fleet={"workload": "data", "data_file": "u.csv",
                                                                         "utilisation_frac": 0.55})
    from dcplan.site import load_site
    spec = load_site(site)
    data = _hourly([0.2, 0.5, 0.9, 0.4], start="2025-07-01 01:00")
    hours = pd.date_range("2025-07-01 01:00", periods=3, freq="h", tz=TZ)
    hourly = power.site_it_kw(spec, hours, data=data, deployed="all").to_numpy()
    kw = power.site_it_kw(spec, _seconds(), data=data, deployed="all").to_numpy().reshape(3, 3600)
    assert hourly[0] < hourly[1] < hourly[2]  # the power rises with the utilisation (no cap on this fleet)
    for h in range(3):
        assert np.allclose(kw[h], hourly[h], rtol=1e-6, atol=0)
    assert kw.sum() / 3600 == pytest.approx(hourly.sum(), rel=1e-6)


def test_data_outside_the_window_is_still_refused():
    """Step-holding does not extend the data: a window past its last hour is an error naming the cover."""
    g = Grid.from_index(_seconds(start="2025-07-01 03:00:01"))  # 03:00-06:00; the data end at 02:00
    with pytest.raises(InputError, match=r"utilisation_frac: data cover .* not the requested period"):
        DataProcess(_hourly([0.2, 0.5])).utilisation(g)


def _data_site(tmp_path, values, step="h", utilisation=0.55):
    idx = pd.date_range("2025-01-01 01:00" if step == "h" else "2025-01-01 00:00:01", periods=len(values),
                        freq=step, tz=TZ)
    pd.DataFrame({"timestamp": [t.isoformat() for t in idx], "utilisation_frac": values}).to_csv(
        tmp_path / "u.csv", index=False)
    from dcplan.site import load_site
    return load_site(bundled_site_copy(tmp_path, "phoenix-az", "ph-data", fleet={
        "workload": "data", "data_file": "u.csv", "utilisation_frac": utilisation}))


def test_the_note_says_an_hourly_file_is_held_at_1_s(tmp_path):
    spec = _data_site(tmp_path, [0.5, 0.6] * 12)
    assert data_step_s(spec) == 3600.0
    long, short = held_note(spec, 1.0), held_note(spec, 1.0, short=True)
    assert "u.csv" in long and "hourly" in long and "no sub-hour variation" in long
    assert short == ("each 1 s step holds u.csv's hourly value (no sub-hour variation; the load changes only at "
                     "hour boundaries, in one step)")
    assert held_note(spec, 3600.0) is None  # the hourly view is the data's own: nothing held


def test_no_note_for_a_synthetic_workload_or_a_1_s_file(tmp_path):
    from dcplan.site import load_site
    from conftest import DATA
    assert held_note(load_site(DATA / "sites" / "phoenix-az.yaml")) is None
    spec = _data_site(tmp_path, [0.5, 0.6] * 30, step="1s")
    assert data_step_s(spec) == 1.0 and held_note(spec, 1.0) is None


@pytest.mark.parametrize("step, words", [(3600, ("hourly", "hour")), (900, ("15-min", "15 min")),
                                         (7200, ("2-hourly", "2 h")), (10, ("10 s", "10 s"))])
def test_step_words(step, words):
    assert step_words(step) == words


def test_a_utilisation_that_is_not_the_files_mean_is_refused_by_validate_and_render_alike(tmp_path):
    """File of 0.5 and 0.6 alternating: mean 0.55 (by hand). utilisation_frac 0.6 differs by 0.05, more than the
    0.01 allowed: validate's problem and render's refusal carry the same field and message; render exits 2 with
    it before any run (no run folder written)."""
    from dcplan import validate as V
    from dcplan.cli import main
    spec = _data_site(tmp_path, [0.5, 0.6] * 4380, utilisation=0.6)  # the weather year, 8,760 hours
    ((field, msg),) = data_file_problems(spec)
    assert field == "fleet.utilisation_frac" and "averages 0.550" in msg and "set utilisation_frac: 0.550" in msg
    (p,) = [p for p in V.validate_file(spec.source_file) if p.field == "fleet.utilisation_frac"]
    assert p.message == msg
    pf = tmp_path / "pf.yaml"
    pf.write_text(f"name: t\nsites: [{spec.source_file}]\n")
    from dcplan.report_plan import site_file_problems
    (err,) = site_file_problems([spec]).values()
    assert err.problems == [(field, msg)]
    import contextlib
    import io
    out, err_text = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err_text):
        rc = main(["render", "--portfolio", str(pf), "--notebooks", "rack_power", "--out", str(tmp_path / "r"),
                   "-q", "-j", "1", "--cold-kernels"])
    assert rc == 2
    assert p.line() in err_text.getvalue().replace("dcplan: error: ", "")
    assert not (tmp_path / "r" / "ph-data").exists()


# --- a measured it_kw file against the fleet: the utilisation it implies, its nameplate, its period ---------------
# 4 hgx-h100 in one rack (data/hardware.csv): a unit draws 2.6 kW idle to 10.2 kW at full load, linear in u; the
# rack's gear (1.5 ib-ndr-switch 1.1-1.7 kW, 1 eth-mgmt-switch 0.10-0.15 kW, 0.25 storage-node 0.8-1.5 kW) draws
# 1.65 + 0.10 + 0.20 = 1.95 kW idle and 2.55 + 0.15 + 0.375 = 3.075 kW full. So P(u) = 4 (2.6 + 7.6 u) + 1.95
# + 1.125 u = 12.35 + 31.525 u kW (by hand): nameplate P(1) = 43.875 kW, and 28.1125 kW is u = 0.5 exactly.
IDLE_KW, SLOPE_KW = 12.35, 31.525


def _it_site(tmp_path, kw, utilisation=0.8, start="2025-01-01 01:00", periods=8760, **fleet):
    idx = pd.date_range(start, periods=periods, freq="h", tz=TZ)
    vals = np.broadcast_to(np.asarray(kw, dtype=float), (periods,)) if np.ndim(kw) == 0 else np.asarray(kw)
    pd.DataFrame({"timestamp": [t.isoformat() for t in idx], "it_kw": vals}).to_csv(tmp_path / "it.csv",
                                                                                    index=False)
    from dcplan.site import load_site
    return load_site(bundled_site_copy(tmp_path, "phoenix-az", "ph-it", fleet={
        "phases": [{"hardware": "hgx-h100", "count": 4, "start": "2025-01-01", "label": "Hall 1"}],
        "workload": "data", "data_file": "it.csv", "utilisation_frac": utilisation, **fleet}))


def test_the_fleet_power_curve_is_the_hand_count(tmp_path):
    """fleet_it_kw_at is P(u) = 12.35 + 31.525 u kW (by hand, above) for the 4 hgx-h100; tolerance float (1e-9)."""
    from dcplan.power_fleet import fleet_it_kw_at
    spec = _it_site(tmp_path, IDLE_KW + 0.5 * SLOPE_KW, utilisation=0.5)
    assert fleet_it_kw_at(spec, [0.0, 0.5, 1.0]) == pytest.approx([12.35, 28.1125, 43.875], abs=1e-9)


def test_an_it_kw_file_implies_the_utilisation_the_fleet_draws_its_mean_at(tmp_path):
    """A year at 28.1125 kW is u = 0.5 on the fleet's curve (by hand): utilisation_frac 0.8 is refused by validate
    and the render's precheck alike (tokens and revenue would be counted at 0.8 while the power is the file's),
    naming the value to set; 0.505 (within 0.01) passes. The old check compared only utilisation_frac files."""
    from dcplan import validate as V
    from dcplan.report_plan import site_file_problems
    spec = _it_site(tmp_path, IDLE_KW + 0.5 * SLOPE_KW, utilisation=0.8)
    ((field, msg),) = data_file_problems(spec)
    assert field == "fleet.utilisation_frac"
    assert msg.startswith("0.8, but it.csv's it_kw averages 28.1 kW, which the fleet draws at utilisation 0.500")
    assert "set utilisation_frac: 0.500" in msg and "12.35 + 31.525 x utilisation kW" in msg
    import warnings
    with warnings.catch_warnings():  # the small fleet's other caveats (its PV 114 x its IT, a start before as_of)
        warnings.simplefilter("ignore", DcplanWarning)
        (p,) = [p for p in V.validate_file(spec.source_file) if p.field == "fleet.utilisation_frac"]
    assert p.message == msg
    (err,) = site_file_problems([spec]).values()
    assert err.problems == [(field, msg)]
    # the API reading the site's file refuses it alike (dcplan.power_fleet, workload data)
    with pytest.raises(InputError, match=r"fleet.utilisation_frac: 0.8, but it.csv's it_kw averages 28.1 kW"):
        power.site_it_kw(spec, pd.date_range("2025-07-01 01:00", periods=3, freq="h", tz=TZ), deployed="all")
    assert data_file_problems(_it_site(tmp_path, IDLE_KW + 0.5 * SLOPE_KW, utilisation=0.505)) == []


def test_an_it_kw_file_averaging_below_the_fleets_idle_power_is_refused(tmp_path):
    """10 kW a year is below the 12.35 kW the fleet draws idle: no utilisation draws it (implied u < 0)."""
    ((field, msg),) = data_file_problems(_it_site(tmp_path, 10.0, utilisation=0.0))
    assert field == "fleet.data_file" and "averages 10.0 kW, below the fleet's idle power 12.35 kW" in msg


def test_a_bent_power_curve_warns_naming_both_utilisations(tmp_path):
    """On the concave curve 2u - u^1.4 (units; the gear stays linear) u = 0.5 draws 4 (2.6 + 7.6 x 0.621071)
    + 1.95 + 1.125 x 0.5 = 31.7931 kW (by hand; 0.5^1.4 = 0.378929). A year at that power with
    utilisation_frac 0.8 is warned of (the mean power gives the mean utilisation only approximately on a bent
    curve), naming 0.8 and 0.500, not refused; 0.5 is quiet."""
    kw = 4 * (2.6 + 7.6 * (1 - 0.5 ** 1.4)) + 1.95 + 1.125 * 0.5
    with pytest.warns(DcplanWarning, match=r"utilisation_frac 0\.8, but it\.csv's it_kw averages 31\.8 kW, which "
                      r"the fleet draws at a constant utilisation of 0\.500 .*fleet\.curve concave"):
        assert data_file_problems(_it_site(tmp_path, kw, utilisation=0.8, curve="concave")) == []
    import warnings
    with warnings.catch_warnings():
        warnings.simplefilter("error", DcplanWarning)
        assert data_file_problems(_it_site(tmp_path, kw, utilisation=0.5, curve="concave")) == []


def test_an_it_kw_file_above_the_nameplate_is_refused_before_any_run(tmp_path):
    """One hour at 50 kW, above the 43.875 kW nameplate (by hand): refused on fleet.data_file naming the file, its
    peak, the hour and the nameplate, as the run (dcplan.pipeline) would refuse it at its fourth cell."""
    kw = np.full(8760, IDLE_KW + 0.5 * SLOPE_KW)
    kw[4000] = 50.0
    probs = data_file_problems(_it_site(tmp_path, kw, utilisation=0.5))
    assert [f for f, _ in probs] == ["fleet.data_file"]
    assert probs[0][1].startswith("it.csv's it_kw peaks at 50 kW (interval ending 2025-06-16 17:00 America/Phoenix; "
                                  "1 of 8,760 rows above), above the fleet's nameplate 44 kW")


def test_an_it_kw_file_that_does_not_cover_the_weather_year_is_refused(tmp_path):
    """Hours ending 2025-06-17 01:00 .. 2026-01-01 00:00 (4,752 hours, 198 days): the run's year needs 2025-01-01 00:00 ..
    2026-01-01 00:00 on the site's clock; the message names both periods in local time."""
    spec = _it_site(tmp_path, IDLE_KW + 0.5 * SLOPE_KW, utilisation=0.5, start="2025-06-17 01:00", periods=4752)
    ((field, msg),) = data_file_problems(spec)
    assert field == "fleet.data_file"
    assert msg.startswith("it.csv covers 2025-06-17 00:00 .. 2026-01-01 00:00 (America/Phoenix), not the site's "
                          "weather year: every run is on weather.year 2025, 2025-01-01 00:00 .. 2026-01-01 00:00 "
                          "(America/Phoenix)")


def test_a_file_of_another_year_says_so(tmp_path):
    """A 2024 file (8,784 hours, the leap year whole) at a 2025 site reads, and is refused as of 2024; one of 2024
    missing 29 February (a 2025 file re-dated) fails to read at the gap, and the message adds its year."""
    spec = _it_site(tmp_path, IDLE_KW + 0.5 * SLOPE_KW, utilisation=0.5, start="2024-01-01 01:00", periods=8784)
    ((field, msg),) = data_file_problems(spec)
    assert field == "fleet.data_file" and "its timestamps are in 2024, not the weather year 2025" in msg
    idx = pd.date_range("2024-01-01 01:00", periods=8784, freq="h", tz=TZ)
    idx = idx[(idx.month != 2) | (idx.day != 29)]
    pd.DataFrame({"timestamp": [t.isoformat() for t in idx], "it_kw": 28.0}).to_csv(tmp_path / "it.csv", index=False)
    ((field, msg),) = data_file_problems(spec)
    assert "gap or missing rows" in msg and "its timestamps are in 2024, not the site's weather year 2025" in msg
