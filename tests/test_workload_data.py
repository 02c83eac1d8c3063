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
from dcplan.errors import InputError
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
    spec = _data_site(tmp_path, [0.5, 0.6] * 12, utilisation=0.6)
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
