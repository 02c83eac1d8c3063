"""``dcplan bill``: --coincident-peaks stamps checked against the bill's clock (as a site's are,
dcplan.tariff_coincident.offset_problem), and a sub-hourly load under a tariff that states no demand
window said to be an upper bound, with the demand charges billed on each longer common window."""
from __future__ import annotations

import argparse
import json

import pandas as pd
import pytest

from dcplan.cli_bill import run
from dcplan.errors import InputError

NY = "America/New_York"
ZERO = [[0] * 24 for _ in range(12)]


#: its test rates bill demand alone (energy at 0 $/kWh), which dcplan bill warns of (dcplan.tariff_lint)
pytestmark = pytest.mark.filterwarnings("ignore:.*bills no energy charge:dcplan.errors.DcplanWarning")


def _args(**kw):
    a = argparse.Namespace(tariff=None, load=None, interval=None, tz=None, column=None, stamps=None, label=None,
                           holidays=None, fill=None, ignore=(), coincident_peaks=None, coincident_interval=None,
                           prior_peaks_kw=None)
    for k, v in kw.items():
        setattr(a, k, v)
    return a


def _tariff(tmp_path, name, **extra):
    f = tmp_path / name
    f.write_text(json.dumps({"label": "t", "energyratestructure": [[{"rate": 0.0}]], "energyweekdayschedule": ZERO,
                             "energyweekendschedule": ZERO, **extra}))
    return str(f)


def _load(tmp_path, freq, start, end, spikes):
    idx = pd.date_range(start, end, freq=freq, tz=NY)
    kw = pd.Series(1000.0, index=idx)
    for t, v in spikes.items():
        kw[pd.Timestamp(t, tz=NY)] = v
    p = tmp_path / "load.csv"
    pd.DataFrame({"timestamp": [t.isoformat() for t in idx], "load_kw": kw.to_numpy()}).to_csv(p, index=False)
    return str(p)


def _usd(out: str, what: str) -> str:
    return next(ln for ln in out.splitlines() if ln.strip().startswith(what + ":")).split(":")[1].strip()


# ---------------------------------------------------------------- 1. --coincident-peaks offsets
@pytest.fixture
def cp_case(tmp_path):
    # 3 $/kW coincident charge all year; July load 1,000 kW, 4,000 kW in the hour 16:00-17:00 of 15 July (EDT)
    tariff = _tariff(tmp_path, "cp.json", coincidentratestructure=[[{"rate": 3.0}]], coincidentrateschedule=ZERO)
    load = _load(tmp_path, "h", "2025-07-01 01:00", "2025-08-01 00:00", {"2025-07-15 17:00": 4000.0})
    return tariff, load


def test_a_stamp_with_another_zones_offset_is_refused_under_tz(cp_case, capsys):
    tariff, load = cp_case
    # 17:00+02:00 (Rome's offset) is 11:00 in New York: billed before at 1,000 kW, the hour of 4,000 missed
    with pytest.raises(InputError) as ei:
        run(_args(tariff=tariff, load=load, tz=NY, coincident_peaks=["2025-07-15T17:00+02:00"]))
    assert str(ei.value) == (
        "--coincident-peaks[0]: '2025-07-15T17:00+02:00' has UTC offset +02:00, but the --tz zone America/New_York "
        "is at -04:00 at that instant (it is 2025-07-15 11:00-04:00 there, 6 h from the time written); on "
        "2025-07-15 America/New_York keeps UTC offset -04:00. A stamp with an offset is an exact instant: write "
        "that instant in the bill's local time, '2025-07-15 11:00-04:00', or without an offset ('2025-07-15 "
        "11:00'): the same system peak")
    # a UTC stamp too (the same rule as a site's tariff.coincident_peaks)
    with pytest.raises(InputError, match=r"^--coincident-peaks\[0\]: '2025-07-15T21:00Z' has UTC offset \+00:00, "
                                         r"but the --tz zone America/New_York is at -04:00"):
        run(_args(tariff=tariff, load=load, tz=NY, coincident_peaks=["2025-07-15T21:00Z"]))
    # the zone's own offset, and a naive stamp read in --tz, bill the hour written:
    # hand: energy 0 $/kWh; coincident 4,000 kW x 3 $/kW = 12,000 USD
    for stamp in ("2025-07-15T17:00-04:00", "2025-07-15T17:00"):
        assert run(_args(tariff=tariff, load=load, tz=NY, coincident_peaks=[stamp])) == 0
        assert _usd(capsys.readouterr().out, "demand_usd") == "12,000.00"


def test_a_stamp_off_the_load_files_one_offset_is_refused_without_tz(cp_case, capsys):
    tariff, load = cp_case  # every stamp of July in New York is at -04:00: the bill's clock without --tz
    with pytest.raises(InputError) as ei:
        run(_args(tariff=tariff, load=load, coincident_peaks=["2025-07-15T17:00+02:00"]))
    assert str(ei.value) == (
        "--coincident-peaks[0]: '2025-07-15T17:00+02:00' has UTC offset +02:00, but the bill's clock (no --tz: the "
        "one UTC offset of load.csv's timestamps) is at -04:00 (it is 2025-07-15 11:00-04:00 there, 6 h from the "
        "time written); allowed: stamps at -04:00. A stamp with an offset is an exact instant: write that instant "
        "at -04:00, '2025-07-15 11:00-04:00': the same system peak; or give --tz ZONE to bill on the zone's clock")
    assert run(_args(tariff=tariff, load=load, coincident_peaks=["2025-07-15T17:00-04:00"])) == 0
    assert _usd(capsys.readouterr().out, "demand_usd") == "12,000.00"


def test_the_site_wording_of_the_offset_problem_is_kept():
    from dcplan.tariff_coincident import offset_problem
    msg = offset_problem("x", pd.Timestamp("2025-07-15T17:00+02:00"), NY)
    assert "but the site's zone America/New_York is at -04:00" in msg and "in the site's local time" in msg


# ---------------------------------------------------------------- 3. a sub-hourly load and the demand window
def _demand():
    return {"flatdemandstructure": [[{"rate": 10.0}]], "flatdemandmonths": [0] * 12}


def test_a_stated_window_longer_than_the_load_step_is_billed_on_it(tmp_path, capsys):
    # 10 $/kW all-hours demand; July at 15 min: 1,000 kW, 5,000 kW in the interval 16:45-17:00 of 15 July
    load = _load(tmp_path, "15min", "2025-07-01 00:15", "2025-08-01 00:00", {"2025-07-15 17:00": 5000.0})
    for w, usd in ((30, "30,000.00"), (60, "20,000.00")):
        assert run(_args(tariff=_tariff(tmp_path, f"w{w}.json", demandwindow=w, **_demand()), load=load, tz=NY)) == 0
        out = capsys.readouterr().out
        # hand: 30 min: block 16:30-17:00 = (1,000 + 5,000) / 2 = 3,000 kW; 60 min: block 16:00-17:00 =
        # (1,000 x 3 + 5,000) / 4 = 2,000 kW; x 10 $/kW (not the 5,000 kW reading: 50,000 USD)
        assert _usd(out, "demand_usd") == usd
        assert f"Note:   peak_kw is each month's highest {w}-min demand-window average" in out


def test_an_unstated_window_on_a_5_min_load_is_an_upper_bound_with_the_figures(tmp_path, capsys):
    # 10 $/kW all-hours demand; July at 5 min: 1,000 kW, 7,000 kW in the interval 16:55-17:00 of 15 July
    load = _load(tmp_path, "5min", "2025-07-01 00:05", "2025-08-01 00:00", {"2025-07-15 17:00": 7000.0})
    assert run(_args(tariff=_tariff(tmp_path, "nw.json", **_demand()), load=load, tz=NY)) == 0
    out = capsys.readouterr().out
    # hand: billed on the 7,000 kW reading, 70,000 USD; clock-aligned blocks ending 17:00:
    # 15 min (7,000 + 2 x 1,000) / 3 = 3,000 kW, 30,000 USD; 30 min (7,000 + 5 x 1,000) / 6 = 2,000 kW,
    # 20,000 USD; 60 min (7,000 + 11 x 1,000) / 12 = 1,500 kW, 15,000 USD
    assert _usd(out, "demand_usd") == "70,000.00"
    assert ("Note:   nw.json states no demand window (no demandwindow), so demand is billed on the load's 5 min "
            "readings, the demand charges 70,000.00 USD; a utility that bills 15- or 30- or 60-min demand bills the "
            "highest 15- or 30- or 60-min mean, at most the highest 5 min reading: the demand charges are an upper "
            "bound unless the utility bills 5-min demand. Billed on clock-aligned window means they are: on 15-min "
            "means 30,000.00 USD, on 30-min means 20,000.00 USD, on 60-min means 15,000.00 USD; if the utility's "
            "schedule states its demand interval, add demandwindow (minutes) to the tariff file") in out.splitlines()


def test_no_longer_window_note_on_a_15_min_load_or_a_stated_window():
    from types import SimpleNamespace

    from dcplan.cli_bill_notes import longer_window_note

    def rebill(w):
        raise AssertionError("not billed")
    t = SimpleNamespace(demand_window_min=None, flat_rate=1, demand_rate=None, metadata={})
    for step in (15.0, 30.0, 60.0):  # billed on the shortest common window, or a lower bound (demand_window_note)
        assert longer_window_note(t, step, 1.0, rebill) is None
    assert longer_window_note(SimpleNamespace(**{**vars(t), "demand_window_min": 30.0}), 5.0, 1.0, rebill) is None
    assert longer_window_note(SimpleNamespace(**{**vars(t), "flat_rate": None}), 5.0, 1.0, rebill) is None
    # a 10-min load: 15 min is no whole number of steps, 30 and 60 are
    got = longer_window_note(t, 10.0, 100.0, lambda w: {30.0: 80.0, 60.0: 70.0}[w])
    assert "a utility that bills 30- or 60-min demand" in got
    assert "on 30-min means 80.00 USD, on 60-min means 70.00 USD;" in got
