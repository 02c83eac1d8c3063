"""Notes ``dcplan bill`` prints beside the table (dcplan.cli_bill_notes), and ``--interval`` steps
the bill does not support: findings of a black-box tester (f04, f05, f08, f_breakdown)."""
from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest

from dcplan.cli import main
from dcplan.errors import InputError
from dcplan.tariff import Tariff

ZERO = [[0] * 24 for _ in range(12)]
NY = "America/New_York"


def _tariff(tmp_path, **extra) -> str:
    """One energy price 0.05 $/kWh, every hour, plus ``extra`` URDB fields."""
    f = tmp_path / "t.json"
    f.write_text(json.dumps({"label": "t", "energyratestructure": [[{"rate": 0.05}]],
                             "energyweekdayschedule": ZERO, "energyweekendschedule": ZERO, **extra}))
    return str(f)


def _load(tmp_path, idx, kw=100.0, fmt=None, name="load.csv") -> str:
    f = tmp_path / name
    stamps = [fmt(t) for t in idx] if fmt else [t.isoformat() for t in idx]
    pd.DataFrame({"timestamp": stamps, "load_kw": kw}).to_csv(f, index=False)
    return str(f)


def _notes(out: str) -> list[str]:
    return [ln for ln in out.splitlines() if ln.startswith("Note:")]


# ---------------------------------------------------------------- stamps on another zone's clock (f04)
def _zone_note(offsets, tz, zone, shift):
    return (f"Note:   load.csv's UTC offsets ({offsets}) never equal {tz}'s at the same instants ({zone}): "
            f"--tz is the zone whose clock the tariff is read on, so the stamps were converted to {tz} time, "
            f"{shift}, and TOU hours, weekdays and billing months follow {tz}'s clock; if the tariff runs "
            "on the file's own clock, give the file's zone as --tz")


@pytest.mark.parametrize("tz, zone, shift", [
    # hand: New York in January is UTC-5; Los Angeles UTC-8 (3 h behind), Tokyo UTC+9 (14 h ahead)
    ("America/Los_Angeles", "-08:00", "3 h behind the file's clock"),
    ("Asia/Tokyo", "+09:00", "14 h ahead of the file's clock"),
])
def test_stamps_whose_offsets_never_match_the_zone_get_a_note(tmp_path, capsys, tz, zone, shift):
    idx = pd.date_range("2025-01-06 01:00", periods=72, freq="h", tz=NY)
    f = _load(tmp_path, idx)
    assert main(["bill", "--tariff", _tariff(tmp_path), "--load", f, "--tz", tz]) == 0
    assert _notes(capsys.readouterr().out) == [_zone_note("-05:00", tz, zone, shift)]


def test_the_zone_note_across_a_dst_change_gives_the_usual_shift_and_its_range(tmp_path, capsys):
    # New York's clock springs forward at 07:00 UTC on 9 March 2025, Los Angeles' at 10:00 UTC: for
    # those 3 hours LA (-08:00) is 4 h behind NY (-04:00); otherwise 3 h
    idx = pd.date_range("2025-03-01 01:00", "2025-04-01 00:00", freq="h", tz=NY)
    f = _load(tmp_path, idx)
    assert main(["bill", "--tariff", _tariff(tmp_path), "--load", f, "--tz", "America/Los_Angeles"]) == 0
    assert _notes(capsys.readouterr().out) == [_zone_note(
        "-05:00, -04:00", "America/Los_Angeles", "-08:00, -07:00",
        "3 h behind the file's clock (from -4 to -3 h over the file)")]


def test_no_zone_note_when_offsets_match_somewhere_or_the_stamps_are_utc(tmp_path, capsys):
    t = _tariff(tmp_path)
    ny = pd.date_range("2025-01-06 01:00", periods=72, freq="h", tz=NY)
    f = _load(tmp_path, ny)
    assert main(["bill", "--tariff", t, "--load", f, "--tz", NY]) == 0
    # UTC 'Z' stamps: converting them is what --tz is for
    z = _load(tmp_path, ny, fmt=lambda x: x.tz_convert("UTC").strftime("%Y-%m-%dT%H:%M:%SZ"), name="z.csv")
    assert main(["bill", "--tariff", t, "--load", z, "--tz", "America/Los_Angeles"]) == 0
    # standard time all year (-05:00 in July too): New York's offset in winter, so a real NY meter
    year = pd.date_range("2025-01-01 01:00", "2026-01-01 00:00", freq="h", tz="Etc/GMT+5")
    s = _load(tmp_path, year, name="est.csv")
    assert main(["bill", "--tariff", t, "--load", s, "--tz", NY]) == 0
    assert _notes(capsys.readouterr().out) == []


# ---------------------------------------------------------------- partial months (f05)
def test_partial_months_are_named_with_days_billed_and_whole_month_charges(tmp_path, capsys):
    # 16 Jan 00:15 .. 20 Mar 00:00, 15-min: January covers 16-31 Jan (16 of 31 days), February all 28,
    # March 1-19 (19 of 31 days on the local clock, one hour short at the DST change)
    idx = pd.date_range("2025-01-16 00:15", "2025-03-20 00:00", freq="15min", tz="America/Chicago")
    f = _load(tmp_path, idx, kw=1000.0, fmt=lambda x: x.strftime("%Y-%m-%d %H:%M"))
    t = _tariff(tmp_path, fixedchargefirstmeter=20.0, fixedchargeunits="$/day",
                flatdemandstructure=[[{"rate": 10.0}]], flatdemandmonths=[0] * 12)
    assert main(["bill", "--tariff", t, "--load", f, "--tz", "America/Chicago"]) == 0
    out = capsys.readouterr().out
    assert _notes(out) == [
        "Note:   the load covers 2025-01 (16 of 31 days) and 2025-03 (19 of 31 days) only partly "
        "(days_billed); their demand charges are whole-month charges, billed in full, so those months cost more "
        "per kWh than whole ones; a $/day fixed or minimum charge is billed for the days billed only"]
    rows = {ln.split()[0]: ln.split() for ln in out.splitlines() if ln.startswith("2025-")}
    head = next(ln for ln in out.splitlines() if "energy_kwh" in ln).split()
    assert head[:3] == ["energy_kwh", "peak_kw", "days_billed"]
    # hand: January 16 d x 24 h x 1000 kW = 384,000 kWh; fixed 20 $/day x 16 d = 320.00 $ (the days billed, as
    # the utility bills a per-day charge; 365/12 = 30.42 d, 608.33 $, before); demand 1000 kW x 10 $/kW =
    # 10,000 $ (whole month, for 16 days); February 20 x 28 = 560.00 $, March 20 x 19 = 380.00 $
    assert rows["2025-01"][1:4] == ["384,000.00", "1,000.00", "16.00"]
    assert rows["2025-03"][3] == "19.00" and rows["2025-02"][3] == "28.00"
    assert rows["2025-01"][5:7] == ["10,000.00", "320.00"]
    assert rows["2025-02"][6] == "560.00" and rows["2025-03"][6] == "380.00"


def test_whole_months_or_an_energy_only_tariff_have_no_partial_note(tmp_path, capsys):
    idx = pd.date_range("2025-01-01 00:15", "2025-02-01 00:00", freq="15min", tz="America/Chicago")
    f = _load(tmp_path, idx)
    t = _tariff(tmp_path, fixedchargefirstmeter=20.0, fixedchargeunits="$/day")
    assert main(["bill", "--tariff", t, "--load", f]) == 0
    out = capsys.readouterr().out
    assert _notes(out) == [] and "days_billed" not in out
    part = _load(tmp_path, idx[:96 * 10], name="part.csv")  # 1-10 January, energy only: billed as used
    assert main(["bill", "--tariff", _tariff(tmp_path), "--load", part]) == 0
    assert _notes(capsys.readouterr().out) == []


# ---------------------------------------------------------------- --interval steps (f08)
@pytest.mark.parametrize("interval", ["2h", "45min", "1D"])
def test_an_unsupported_interval_is_named_before_averaging_across_dst(tmp_path, capsys, interval):
    # a 15-min New York load over the March DST change: 2 h averaging blamed the short DST day
    # ("interval ending 2024-03-10 03:00:00-04:00 has 7 of 8 readings")
    idx = pd.date_range("2024-03-01 00:15", "2024-04-01 00:00", freq="15min", tz=NY)
    f = _load(tmp_path, idx)
    assert main(["bill", "--tariff", _tariff(tmp_path), "--load", f, "--tz", NY, "--interval", interval]) == 2
    assert capsys.readouterr().err.strip() == (
        f"dcplan: error: {f}: --interval: interval {interval} is not supported; allowed: 5, 10, 15, 20, 30 min, 1 h")
    assert main(["bill", "--tariff", _tariff(tmp_path), "--load", f, "--tz", NY, "--interval", "1h"]) == 0


def test_the_bills_own_step_error_lists_the_steps_readably():
    idx = pd.date_range("2025-01-01 02:00", periods=24, freq="2h", tz=NY)
    with pytest.raises(InputError, match=r"^load_kw.index: interval 2 h not supported; "
                                         r"allowed: 5, 10, 15, 20, 30 min, 1 h$"):
        Tariff.flat(0.05).bill(pd.Series(100.0, index=idx))


# ---------------------------------------------------------------- what peak_kw is (f_breakdown)
def test_peak_kw_under_a_demand_window_is_the_window_average_and_a_note_says_so(tmp_path, capsys):
    # 15-min load 100 kW, one reading of 300 kW at 10:15 (its 30-min block 10:00-10:30 also holds the
    # 10:30-labelled 100 kW): the block average is (300 + 100) / 2 = 200 kW, the highest reading 300
    idx = pd.date_range("2025-01-01 00:15", "2025-02-01 00:00", freq="15min", tz=NY)
    kw = np.full(len(idx), 100.0)
    kw[idx.get_loc(pd.Timestamp("2025-01-06 10:15", tz=NY))] = 300.0
    f = _load(tmp_path, idx, kw=kw)
    t = _tariff(tmp_path, flatdemandstructure=[[{"rate": 10.0}]], flatdemandmonths=[0] * 12, demandwindow=30)
    assert main(["bill", "--tariff", t, "--load", f]) == 0
    out = capsys.readouterr().out
    assert _notes(out) == ["Note:   peak_kw is each month's highest 30-min demand-window average (clock-aligned, "
                           "the tariff's demandwindow), the demand an all-hours charge bills; the highest 15-min "
                           "reading can be above it"]
    jan = next(ln for ln in out.splitlines() if ln.startswith("2025-01")).split()
    assert jan[2] == "200.00" and jan[4] == "2,000.00"  # peak_kw; demand 200 kW x 10 $/kW
    # no window (or a window the load step already meets): peak_kw is the highest reading, no note
    t2 = _tariff(tmp_path, flatdemandstructure=[[{"rate": 10.0}]], flatdemandmonths=[0] * 12, demandwindow=15)
    assert main(["bill", "--tariff", t2, "--load", f]) == 0
    out = capsys.readouterr().out
    assert _notes(out) == [] and next(ln for ln in out.splitlines() if ln.startswith("2025-01")).split()[2] == "300.00"
