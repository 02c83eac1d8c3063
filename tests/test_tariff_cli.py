"""``dcplan bill`` (dcplan.cli_bill): CSV reading, time zones, --interval, printed table."""
from __future__ import annotations

import argparse
import json
import os
import re
import subprocess
import sys

import numpy as np
import pandas as pd
import pytest

from dcplan.cli_bill import add_parser, read_load_csv, run
from dcplan.errors import InputError
from dcplan.paths import data_path
from dcplan.tariff import Tariff

FLAT = str(data_path("tariffs", "comed-il-large-load.json"))


def args(**kw):
    ap = argparse.ArgumentParser()
    sub = ap.add_subparsers()
    add_parser(sub)
    argv = ["bill"]
    for k, v in kw.items():
        argv += [f"--{k}", str(v)]
    return ap.parse_args(argv)


def write(tmp_path, ts, kw, name="load.csv"):
    p = tmp_path / name
    pd.DataFrame({"timestamp": ts, "grid_kw": kw}).to_csv(p, index=False)
    return str(p)


def test_cli_prints_monthly_table_and_totals_matching_the_api(tmp_path, capsys):
    idx = pd.date_range("2025-01-01 00:05", "2025-03-01 00:00", freq="5min", tz="America/Chicago")
    kw = 8000 + 1000 * np.sin(np.arange(len(idx)) / 288 * 2 * np.pi)
    path = write(tmp_path, [t.isoformat() for t in idx], kw)
    assert run(args(tariff=FLAT, load=path, interval="15min", tz="America/Chicago")) == 0
    out = capsys.readouterr().out
    # independent path: average the 5-min series to 15 min with pandas and bill through the API
    s15 = pd.Series(kw, index=idx).resample("15min", label="right", closed="right").mean()
    expected = Tariff.from_urdb(FLAT).bill(s15)
    assert "2025-01" in out and "2025-02" in out
    assert f"{expected.total_usd:,.2f}" in out
    assert f"{expected.monthly.loc['2025-02', 'total_usd']:,.2f}" in out


def test_cli_naive_timestamps_need_tz_and_reject_ambiguous_times(tmp_path):
    idx = pd.date_range("2023-11-04 00:00", periods=48, freq="h")  # naive; 5 Nov 01:00 repeats in NY
    path = write(tmp_path, [t.isoformat() for t in idx], np.ones(48))
    with pytest.raises(InputError, match=r"no UTC offset; give --tz"):
        run(args(tariff=FLAT, load=path))
    with pytest.raises(InputError, match=r"load.csv: naive timestamp is ambiguous in America/New_York"):
        run(args(tariff=FLAT, load=path, tz="America/New_York"))
    spring = pd.date_range("2023-03-12 00:00", periods=6, freq="h")  # 02:00 does not exist
    path2 = write(tmp_path, [t.isoformat() for t in spring], np.ones(6), "spring.csv")
    # the stamp and its row in the file (header = row 1: 02:00 is the 3rd data row), not pandas' wording
    with pytest.raises(InputError, match=r"non-existent in America/New_York \(2023-03-12 02:00:00, row 4: an hour "
                                         r"the clock skips at the start of DST\); write timestamps with UTC offsets") as ei:
        read_load_csv(path2, "America/New_York")
    assert "Try using" not in str(ei.value)   # pandas' advice for its own API, not for a CSV's author


def test_cli_years_outside_the_readable_range_and_spaces_around_stamps(tmp_path):
    # 3025 (a typo for 2025) parses, but not in nanoseconds: once a traceback deep in billing,
    # now a one-line error naming the row; so is a time column of numbers read as years
    p = tmp_path / "y.csv"
    p.write_text("interval_end,load_kw\n3025-01-01T01:00-05:00,1000\n3025-01-01T02:00-05:00,1000\n")
    with pytest.raises(InputError, match=r"y.csv: interval_end: row 2: timestamp '3025-01-01T01:00-05:00': year "
                                         r"3025 is outside the years dcplan reads \(1678-2261\)"):
        read_load_csv(str(p))
    p.write_text("interval_end,load_kw\n1000,5\n2000,6\n")
    # (numbers in the time column say so, not "year 1000": the columns may be swapped)
    with pytest.raises(InputError, match=r"y.csv: interval_end: the first column 'interval_end' holds numbers "
                                         r"\(row 2: '1000'\), not timestamps; the first column must be the "
                                         r"timestamps$"):
        read_load_csv(str(p), "UTC")
    # a space before the comma is not part of the stamp (it used to read as "no UTC offset")
    p.write_text("interval_end,load_kw\n2025-01-01T01:00-05:00 ,1000\n2025-01-01T02:00-05:00 , 1000\n")
    s = read_load_csv(str(p))
    assert list(s) == [1000.0, 1000.0] and s.index[0] == pd.Timestamp("2025-01-01T06:00Z")


def test_cli_fill_says_what_it_filled(tmp_path, capsys):
    # January hourly with hours 101..436 missing (336 h, 14 days) and one empty reading: 337 of
    # 744 intervals filled, the longest run the 336 missing hours from 2025-01-05 05:00 local
    idx = pd.date_range("2025-01-01 01:00", periods=744, freq="h", tz="America/Chicago")
    keep = np.r_[0:100, 436:744]
    kw = np.full(744, 1000.0)
    kw[600] = np.nan
    path = write(tmp_path, [t.isoformat() for t in idx[keep]], kw[keep])
    assert run(args(tariff=FLAT, load=path, fill="interpolate", tz="America/Chicago")) == 0
    out = capsys.readouterr().out
    assert ("Filled: 337 of 744 intervals (45.3%) by linear interpolation (--fill), billed as if metered; the "
            "longest gap is 336 intervals (14 days), 2025-01-05 05:00:00-06:00 to "
            "2025-01-19 04:00:00-06:00") in out
    write(tmp_path, [t.isoformat() for t in idx], np.full(744, 1000.0))      # nothing to fill: no line
    assert run(args(tariff=FLAT, load=path, fill="interpolate", tz="America/Chicago")) == 0
    assert "Filled:" not in capsys.readouterr().out


def test_cli_offsets_with_dst_need_a_zone_name(tmp_path):
    idx = pd.date_range("2023-03-11 01:00", periods=72, freq="h", tz="America/New_York")
    path = write(tmp_path, [t.isoformat() for t in idx], np.ones(72))
    with pytest.raises(InputError, match=r"change UTC offset \(DST\); give --tz"):
        read_load_csv(path)
    s = read_load_csv(path, "America/New_York")
    assert s.index.equals(idx) and s.name == "grid_kw"


def test_cli_bad_values_and_interval(tmp_path):
    idx = pd.date_range("2023-01-01 01:00", periods=10, freq="h", tz="UTC")
    path = write(tmp_path, [t.isoformat() for t in idx], ["1", "2", "x", "4", "5", "6", "7", "8", "9", "10"])
    with pytest.raises(InputError, match=r"grid_kw: row 4: value 'x' is not a number"):
        read_load_csv(path, "UTC")
    path = write(tmp_path, [t.isoformat() for t in idx], np.ones(10), "ok.csv")
    with pytest.raises(InputError, match=r"--interval: cannot bill a 1h load at 15min"):
        run(args(tariff=FLAT, load=path, interval="15min", tz="UTC"))


def test_cli_subprocess_smoke(tmp_path):
    idx = pd.date_range("2025-06-01 01:00", "2025-07-01 00:00", freq="h", tz="UTC")
    path = write(tmp_path, [t.isoformat() for t in idx], np.full(len(idx), 1000.0))
    code = ("import argparse,sys; from dcplan.cli_bill import add_parser, run; ap=argparse.ArgumentParser();"
            "sub=ap.add_subparsers(); p=add_parser(sub); p.set_defaults(func=run);"
            f"a=ap.parse_args(['bill','--tariff',{FLAT!r},'--load',{path!r},'--tz','UTC']); sys.exit(a.func(a))")
    r = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert r.returncode == 0, r.stderr
    b = Tariff.from_urdb(FLAT).bill(read_load_csv(path, "UTC"), tz="UTC")  # --tz UTC: the bill runs on UTC
    assert f"{b.total_usd:,.2f}" in r.stdout


@pytest.mark.filterwarnings("ignore:.*bills no energy charge:dcplan.errors.DcplanWarning")  # a demand-only test rate
def test_cli_coincident_peaks_and_ignore(tmp_path, capsys):
    # a coincident-peak charge of 12 $/kW on hours 14-18; the July system peak at 16:00 local
    # (interval 15:00-16:00) finds the customer at 7000 kW: 7000 x 12 = 84,000 USD demand
    import json
    u = {"coincidentratestructure": [[{"rate": 0.0}], [{"rate": 12.0}]],
         "coincidentrateschedule": [[1 if 14 <= h < 19 else 0 for h in range(24)] for _ in range(12)],
         "demandrateunit": "kVA", "demandratestructure": [[{"rate": 0.0}]],
         "demandweekdayschedule": [[0] * 24] * 12, "demandweekendschedule": [[0] * 24] * 12}
    tf = tmp_path / "cp.json"
    tf.write_text(json.dumps(u))
    idx = pd.date_range("2023-07-01 01:00", "2023-08-01 00:00", freq="h", tz="America/New_York")
    kw = np.full(len(idx), 2000.0)
    kw[idx.get_loc(pd.Timestamp("2023-07-20 16:00", tz="America/New_York"))] = 7000.0
    path = write(tmp_path, [t.isoformat() for t in idx], kw)
    # kVA is refused; the hint names the field in dcplan bill's spelling (it used to say FIELD)
    with pytest.raises(InputError, match=r"cp\.json: .*--ignore demandrateunit with dcplan bill\)$"):
        run(args(tariff=str(tf), load=path))
    a = args(tariff=str(tf), load=path, tz="America/New_York")
    a.ignore = ["demandrateunit"]
    with pytest.raises(InputError, match=r"--coincident-peaks STAMP"):          # peaks needed
        run(a)
    a.coincident_peaks = ["2023-07-20T16:00"]                                     # naive: read in --tz
    assert run(a) == 0
    assert "84,000.00" in capsys.readouterr().out
    # a naive clock time that occurs twice (1:30 on 5 Nov 2023 in New York) or never (2:30 on
    # 12 Mar 2023) is an input error naming the option, not a pytz/zoneinfo traceback
    for stamp in ("2023-11-05T01:30", "2023-03-12T02:30"):
        a.coincident_peaks = [stamp]
        with pytest.raises(InputError, match=r"--coincident-peaks\[0\].*ambiguous or does not exist"):
            run(a)


def test_cli_interval_does_not_average_away_a_nan_reading(tmp_path, capsys):
    """An empty kW cell is refused with --interval too, not averaged over the other readings.

    Without --interval a NaN is an error naming its timestamp (module docstring of
    dcplan.tariff: "never silent otherwise"). The old --interval took the mean of the
    remaining 3 of 4 15-min readings of that hour and billed it silently. With
    --fill interpolate the hour is filled linearly between its neighbours: a constant
    100 kW load then bills exactly like the complete one (hand: same kWh and peak).
    Tolerance: the printed totals are compared as strings to the cent.
    """
    idx = pd.date_range("2025-01-01 00:15", "2025-02-01 00:00", freq="15min", tz="America/Chicago")
    kw = np.full(len(idx), 100.0)
    kw[10] = np.nan  # 02:45 reading, in the hour ending 03:00
    path = write(tmp_path, [t.isoformat() for t in idx], kw)
    # named as the file has it (the 02:45 reading, data row 11 = row 12, its column), before averaging
    with pytest.raises(InputError, match=r"grid_kw: NaN/inf load at 2025-01-01 02:45:00-06:00 \(row 12\): an empty, "
                                         r"NaN or infinite value in column 'grid_kw'; .*pass --fill interpolate"):
        run(args(tariff=FLAT, load=path, interval="1h", tz="America/Chicago"))
    assert run(args(tariff=FLAT, load=path, interval="1h", tz="America/Chicago", fill="interpolate")) == 0
    out = capsys.readouterr().out
    full = Tariff.from_urdb(FLAT).bill(pd.Series(100.0, index=idx[3::4]))
    assert f"{full.total_usd:,.2f}" in out


def _year(tz="America/New_York", start="2025-01-01 00:00"):
    """A year of hourly stamps on a DST zone and a load with a daily swing (kW)."""
    idx = pd.date_range(start, periods=8760, freq="h", tz=tz)
    return idx, 1000.0 + 100.0 * np.sin(np.arange(8760) / 24 * 2 * np.pi)


def test_shuffled_rows_are_said_to_be_out_of_order_not_a_lone_month(tmp_path):
    # a CLI tester's finding: rows of a year shuffled read "the first timestamp 2025-06-22 09:00 is the only interval
    # of billing month 2025-06 (the next, 2025-10-07 10:00, is in 2025-09)": the lone-month check took a random gap
    # for the usual step. Out of order (more than a DST change's one step back), the order check names it
    idx = pd.date_range("2025-01-01 01:00", periods=8760, freq="h", tz="America/Phoenix")
    order = np.random.default_rng(1).permutation(8760)
    path = write(tmp_path, [idx[i].isoformat() for i in order], np.full(8760, 1000.0))
    first, second = idx[order[0]], idx[order[1]]
    later = next(k for k in range(1, 8760) if idx[order[k]] < idx[order[k - 1]])  # the first step back
    with pytest.raises(InputError, match=rf"timestamps not increasing at {re.escape(str(idx[order[later]]))} "
                                         rf"\(row {later + 2}\).*sort the rows by time") as e:  # header: row 1
        run(args(tariff=FLAT, load=path, tz="America/Phoenix"))
    assert "only interval of billing month" not in str(e.value) and (first, second) != (idx[0], idx[1])


def test_interval_start_labels_are_an_error_until_stated_then_billed_as_ends(tmp_path, capsys):
    idx, kw = _year()  # labelled by interval START: 2025-01-01 00:00 is the first hour of January
    path = write(tmp_path, [t.isoformat() for t in idx], kw)
    # read as ends, 00:00 on 1 Jan is the last hour of December: a month of its own (fixed and
    # demand charges for one hour), so without a stated convention it is an error saying why
    with pytest.raises(InputError, match=r"load\.csv: timestamp: the first timestamp 2025-01-01 00:00:00-05:00 "
                                         r"is the only interval of billing month 2024-12 .*--stamps start"):
        run(args(tariff=FLAT, load=path, tz="America/New_York"))
    assert run(args(tariff=FLAT, load=path, tz="America/New_York", stamps="start")) == 0
    out = capsys.readouterr().out
    # independent path: the same values labelled by their interval ends (one hour later), via the API
    expected = Tariff.from_urdb(FLAT).bill(pd.Series(kw, index=idx + pd.Timedelta("1h")))
    assert list(expected.monthly.index.astype(str)) == [f"2025-{m:02d}" for m in range(1, 13)]
    assert f"{expected.total_usd:,.2f}" in out and "2024-12" not in out
    assert "labels: interval starts (from --stamps), billed as the ends one step later" in out
    # stated ends: the user's word is taken, 13 billing months
    assert run(args(tariff=FLAT, load=path, tz="America/New_York", stamps="end")) == 0
    assert "2024-12" in capsys.readouterr().out


def test_label_convention_from_the_time_column_name(tmp_path):
    idx, kw = _year()
    p = tmp_path / "start.csv"
    pd.DataFrame({"Interval Start": [t.isoformat() for t in idx], "kW": kw}).to_csv(p, index=False)
    s = read_load_csv(str(p), "America/New_York")
    assert s.index[0] == pd.Timestamp("2025-01-01 01:00", tz="America/New_York")
    assert s.index[-1] == pd.Timestamp("2026-01-01 00:00", tz="America/New_York")
    assert "from column name 'Interval Start'" in s.attrs["stamps"]
    # an explicit end column keeps a lone last month (the file says what its stamps are)
    p2 = tmp_path / "end.csv"
    pd.DataFrame({"interval_end": [t.isoformat() for t in idx + pd.Timedelta("2h")], "kW": kw}).to_csv(p2, index=False)
    s2 = read_load_csv(str(p2), "America/New_York")
    assert s2.index[-1] == pd.Timestamp("2026-01-01 01:00", tz="America/New_York")
    # the same file under a neutral name: its last interval alone in January 2026 is an error
    p3 = tmp_path / "neutral.csv"
    pd.DataFrame({"timestamp": [t.isoformat() for t in idx + pd.Timedelta("2h")], "kW": kw}).to_csv(p3, index=False)
    with pytest.raises(InputError, match=r"last timestamp 2026-01-01 01:00:00-05:00 is the only interval "
                                         r"of billing month 2026-01"):
        read_load_csv(str(p3), "America/New_York")


@pytest.mark.parametrize("name, said", [("interval_start", "start"), ("Interval Start", "start"),
                                        ("datetime_beginning_ept", "start"), ("Interval Ending", "end"),
                                        ("interval_end", "end"), ("timestamp", None), ("weekend_flag", None),
                                        ("start_end", None), ("Time", None)])
def test_stamps_from_header(name, said):
    from dcplan.cli_bill import stamps_from_header
    assert stamps_from_header(name) == said


def test_interval_start_labels_with_a_gap_keep_the_gap_and_15min_steps(tmp_path):
    # 15-min interval-start stamps with one missing reading: shifted by the usual step (15 min),
    # the gap stays a gap (the bill then refuses it, or --fill fills it)
    idx = pd.date_range("2025-06-01 00:00", periods=96 * 3, freq="15min", tz="America/Chicago").delete(50)
    p = tmp_path / "g.csv"
    pd.DataFrame({"interval_start": [t.isoformat() for t in idx], "kw": np.ones(len(idx))}).to_csv(p, index=False)
    s = read_load_csv(str(p), "America/Chicago")
    assert s.index.equals(idx + pd.Timedelta("15min"))
    with pytest.raises(InputError, match=r"one row: cannot tell the interval length"):
        q = tmp_path / "one.csv"
        pd.DataFrame({"interval_start": [idx[0].isoformat()], "kw": [1.0]}).to_csv(q, index=False)
        read_load_csv(str(q), "America/Chicago")


def test_utc_stamps_need_a_zone_for_local_tou_hours(tmp_path, capsys):
    # a UTC export (offsets +00:00) of a New York load: 21:00Z is 16:00 EST, so without a zone
    # every TOU hour and the month boundary would be read five hours off; it is an error
    idx = pd.date_range("2025-01-01 06:00", periods=24 * 59, freq="h", tz="UTC")
    path = write(tmp_path, [t.isoformat() for t in idx], np.full(len(idx), 500.0))
    for text in (path, write(tmp_path, [t.strftime("%Y-%m-%dT%H:%MZ") for t in idx], np.full(len(idx), 500.0),
                             "z.csv")):
        with pytest.raises(InputError, match=r"--tz: timestamps are in UTC; a tariff's time-of-use periods"):
            read_load_csv(text)
    # named zone: the same instants on the local clock; --tz UTC: taken at its word
    assert read_load_csv(path, "America/New_York").index[0] == pd.Timestamp("2025-01-01 01:00", tz="America/New_York")
    assert str(read_load_csv(path, "UTC").index.tz) == "UTC"


# ---------------------------------------------------------------- input edges of the load CSV
def _flat_tariff(tmp_path):
    """The black-box tester's t_flat.json: 0.10 $/kWh, 100 $/month fixed, 10 $/kW flat demand."""
    import json
    z = [[0] * 24 for _ in range(12)]
    f = tmp_path / "t_flat.json"
    f.write_text(json.dumps({"label": "flat", "energyratestructure": [[{"rate": 0.10}]],
                             "energyweekdayschedule": z, "energyweekendschedule": z,
                             "fixedchargefirstmeter": 100, "fixedchargeunits": "$/month",
                             "flatdemandstructure": [[{"rate": 10}]], "flatdemandmonths": [0] * 12}))
    return str(f)


def _jan_15min():
    """January 2025 at 15 min (2976 intervals), 1000 kW with one 4000 kW interval. [kW]"""
    idx = pd.date_range("2025-01-01 00:15", "2025-02-01 00:00", freq="15min", tz="America/New_York")
    kw = np.full(len(idx), 1000.0)
    kw[500] = 4000.0
    return idx, kw


# hand: kWh = (2975 x 1000 + 4000) kW x 0.25 h = 744,750 -> 74,475 USD; demand 4000 kW x 10 =
# 40,000 USD; fixed 100 USD: 114,575 USD. The tester's load_mw file billed 214.48 (1000x low),
# its kwh file 28,718.75 (4x low). Tolerance: totals to the cent as printed; values rel 1e-12.
JAN_TOTAL = "114,575.00"


@pytest.mark.parametrize("name, per_kw", [("kw", 1.0), ("load_kw", 1.0), ("site_kW", 1.0), ("Load (kW)", 1.0),
                                          ("demand_mw", 1e-3), ("load_MW", 1e-3),
                                          ("kwh", 0.25), ("energy_kwh", 0.25), ("MWh", 0.25e-3)])
def test_load_unit_is_read_from_the_column_name(tmp_path, capsys, name, per_kw):
    idx, kw = _jan_15min()
    p = tmp_path / "load.csv"
    # per_kw: file value per kW (MW: 1/1000; kWh per 15-min interval: 0.25 h)
    pd.DataFrame({"timestamp": [t.isoformat() for t in idx], name: kw * per_kw}).to_csv(p, index=False)
    s = read_load_csv(str(p))
    np.testing.assert_allclose(s.to_numpy(), kw, rtol=1e-12)
    assert s.attrs["column"] == name
    assert run(args(tariff=_flat_tariff(tmp_path), load=str(p))) == 0
    out = capsys.readouterr().out
    assert f"total_usd: {JAN_TOTAL:>16}" in out and "Note:" not in out
    from dcplan.validate import validate_file
    assert validate_file(p) == []


def test_load_column_without_a_unit_is_kw_with_a_note(tmp_path, capsys):
    idx, kw = _jan_15min()
    p = tmp_path / "load.csv"
    pd.DataFrame({"timestamp": [t.isoformat() for t in idx], "load": kw}).to_csv(p, index=False)
    assert run(args(tariff=_flat_tariff(tmp_path), load=str(p))) == 0
    out = capsys.readouterr().out.splitlines()
    notes = [ln for ln in out if ln.startswith("Note:")]
    assert notes == ["Note:   column 'load' was read as kW because its name has no unit; name it e.g. "
                     "load_kw, load_mw, energy_kwh or energy_mwh (energy per interval) to state its unit"]
    assert any(ln.endswith(f"total_usd: {JAN_TOTAL:>16}") for ln in out)


@pytest.mark.parametrize("name, unit", [("load_gw", "gw"), ("amps", "amps"), ("kva", "kva"), ("site_W", "w")])
def test_load_column_with_another_unit_is_refused_by_bill_and_validate(tmp_path, name, unit):
    idx, kw = _jan_15min()
    p = tmp_path / "load.csv"
    pd.DataFrame({"timestamp": [t.isoformat() for t in idx], name: kw}).to_csv(p, index=False)
    want = (rf"load\.csv: {re.escape(name)}: column '{re.escape(name)}' has unit '{unit}' in its name, which "
            r"dcplan bill does not read; allowed: kW or MW \(power.*kWh or MWh \(energy per interval")
    with pytest.raises(InputError, match=want):
        run(args(tariff=_flat_tariff(tmp_path), load=str(p)))
    from dcplan.validate import validate_file
    (prob,) = validate_file(p)
    assert prob.field == name and re.search(want, prob.line())


def test_load_column_naming_two_units_is_refused(tmp_path):
    idx, kw = _jan_15min()
    p = tmp_path / "load.csv"
    pd.DataFrame({"timestamp": [t.isoformat() for t in idx], "load_kw_mwh": kw}).to_csv(p, index=False)
    with pytest.raises(InputError, match=r"load_kw_mwh: column 'load_kw_mwh' names more than one unit "
                                         r"\(kw, mwh\); name one; allowed: kW or MW"):
        read_load_csv(str(p))


def test_energy_column_needs_a_regular_step(tmp_path):
    idx, kw = _jan_15min()
    p = tmp_path / "load.csv"
    # kWh per interval with one row missing: the interval length (and so kW) is unknown there
    pd.DataFrame({"timestamp": [t.isoformat() for t in idx], "energy_kwh": kw / 4}).drop(index=10).to_csv(
        p, index=False)
    with pytest.raises(InputError, match=r"load\.csv: energy_kwh: column 'energy_kwh' holds energy per interval "
                                         r"\(kWh\), which needs a regular step to become kW: irregular step at "
                                         r"2025-01-01 03:00:00-05:00"):
        read_load_csv(str(p))
    with pytest.raises(InputError, match=r"needs a regular step"):
        run(args(tariff=_flat_tariff(tmp_path), load=str(p), fill="interpolate"))


def test_a_file_without_header_line_is_refused_not_missing_its_first_row(tmp_path):
    idx, kw = _jan_15min()
    p = tmp_path / "noheader.csv"
    pd.DataFrame({"timestamp": [t.isoformat() for t in idx], "kw": kw}).to_csv(p, index=False, header=False)
    want = (r"noheader\.csv: no header line: the first line \('2025-01-01T00:15:00-05:00,1000\.0'\) is data; "
            r"add a header such as timestamp,kw")
    with pytest.raises(InputError, match=want):
        run(args(tariff=_flat_tariff(tmp_path), load=str(p)))
    from dcplan.validate import validate_file
    (prob,) = validate_file(p)
    assert re.search(want, prob.line())


@pytest.mark.parametrize("stamp, text", [
    ("01/01/2025 00:15", r"row 2: timestamp '01/01/2025 00:15' is not ISO 8601 \(day/month or month/day dates "
                         r"are not read: their order is ambiguous; write YYYY-MM-DD\); accepted: ISO 8601 date and "
                         r"time"),
    ("2025-01-01 24:00", r"row 2: timestamp '2025-01-01 24:00': 24:00 is not a valid time; interval-end stamps "
                         r"of 24:00 should roll to 00:00 of the next day"),
])
def test_unreadable_timestamps_say_what_is_accepted(tmp_path, stamp, text):
    p = tmp_path / "load.csv"
    p.write_text(f"timestamp,kw\n{stamp},100\n2025-01-02 01:00,100\n")
    with pytest.raises(InputError) as ei:
        run(args(tariff=_flat_tariff(tmp_path), load=str(p), tz="America/New_York"))
    msg = str(ei.value)
    assert re.search(r"load\.csv: timestamp: " + text, msg), msg
    assert "format=" not in msg and "\n" not in msg  # not pandas' advice, one line


def test_several_tariff_items_ask_for_the_label_option(tmp_path):
    import json
    one = json.loads(open(_flat_tariff(tmp_path)).read())
    f = tmp_path / "items.json"
    f.write_text(json.dumps({"items": [one, dict(one, label="tou")]}))
    idx, kw = _jan_15min()
    path = write(tmp_path, [t.isoformat() for t in idx], kw)
    with pytest.raises(InputError, match=r"items\.json: items: 2 rate items; pick one with --label, one of: "
                                         r"flat, tou"):
        run(args(tariff=str(f), load=path))
    assert run(args(tariff=str(f), load=path, label="tou")) == 0


def test_fill_interpolate_applies_before_interval(tmp_path, capsys):
    # 5-min readings of 1000 kW for January with one row missing: --fill interpolate fills it
    # (1000 kW), then --interval 15min averages whole 15-min intervals. Hand: 744 h x 1000 kW x
    # 0.10 = 74,400 + 1000 kW x 10 = 10,000 + 100 fixed = 84,500 USD (to the cent as printed).
    # It failed with "irregular step ... resample or fill first" (the interval came first).
    idx = pd.date_range("2025-01-01 00:05", "2025-02-01 00:00", freq="5min", tz="America/New_York")
    path = write(tmp_path, [t.isoformat() for t in idx.delete(100)], np.full(len(idx) - 1, 1000.0))
    assert run(args(tariff=_flat_tariff(tmp_path), load=path, interval="15min", fill="interpolate")) == 0
    out = capsys.readouterr().out
    assert f"total_usd: {'84,500.00':>16}" in out and "2,976 intervals of 15 min" in out


@pytest.mark.filterwarnings("ignore:.*bills no energy charge:dcplan.errors.DcplanWarning")  # a demand-only test rate
def test_cli_coincident_interval_and_stamp_errors_name_the_option(tmp_path, capsys):
    import json
    tf = tmp_path / "cp.json"
    tf.write_text(json.dumps({"coincidentratestructure": [[{"rate": 10.0}]],
                              "coincidentrateschedule": [[0] * 24 for _ in range(12)]}))
    idx, kw = _jan_15min()  # the 4000 kW interval (index 500) ends 2025-01-06 05:15
    path = write(tmp_path, [t.isoformat() for t in idx], kw)
    a = args(tariff=str(tf), load=path)
    a.coincident_peaks = ["2025-01-06T05:15-05:00"]
    # hand: default hour ending 05:15: (1000 + 1000 + 1000 + 4000) / 4 = 1750 kW x 10 = 17,500 USD
    assert run(a) == 0
    assert f"demand_usd: {'17,500.00':>16}" in capsys.readouterr().out
    a.coincident_interval = "15min"  # the single interval: 4000 kW x 10 = 40,000 USD
    assert run(a) == 0
    assert f"demand_usd: {'40,000.00':>16}" in capsys.readouterr().out
    a.coincident_peaks = ["2025-03-06T10:30-05:00"]  # outside the load: was skipped, billing 0 USD
    with pytest.raises(InputError) as ei:
        run(a)
    assert ei.value.file is None and "cp.json" not in str(ei.value)
    assert re.fullmatch(r"--coincident-peaks\[0\]: system peak 2025-03-06 10:30:00-05:00 is outside the load's "
                        r"time span \(the load covers 2025-01-01 00:00:00-05:00 to 2025-02-01 00:00:00-05:00\)",
                        str(ei.value)), str(ei.value)
    a.coincident_peaks, a.coincident_interval = ["2025-01-06T05:15-05:00"], "20min"
    with pytest.raises(InputError, match=r"^--coincident-interval: 20 min is not a multiple of the load step 15 min"):
        run(a)
    # a value that is no length of time is refused even under a tariff without coincident charges
    plain = tmp_path / "flat.json"
    plain.write_text(json.dumps({"energyratestructure": [[{"rate": 0.1}]],
                                 "energyweekdayschedule": [[0] * 24 for _ in range(12)],
                                 "energyweekendschedule": [[0] * 24 for _ in range(12)]}))
    b = args(tariff=str(plain), load=path)
    for bad in ("banana", "-15min", "0min"):
        b.coincident_interval = bad
        with pytest.raises(InputError, match=r"^--coincident-interval: not a length of time"):
            run(b)


def test_cli_output_piped_into_a_reader_that_stops_is_no_traceback(tmp_path):
    # `dcplan bill ... | head -1`: the reader goes away before dcplan writes; exit 141 (SIGPIPE's
    # shell code) and nothing on stderr, not a BrokenPipeError traceback
    idx = pd.date_range("2025-01-01 01:00", periods=48, freq="h", tz="America/Chicago")
    path = write(tmp_path, [t.isoformat() for t in idx], np.full(48, 1000.0))
    r_fd, w_fd = os.pipe()
    os.close(r_fd)                                   # the reader is gone before anything is written
    p = subprocess.run([sys.executable, "-m", "dcplan", "bill", "--tariff", FLAT, "--load", path],
                       stdout=w_fd, stderr=subprocess.PIPE, text=True, timeout=120, cwd=tmp_path)
    os.close(w_fd)
    assert p.returncode == 141 and "Traceback" not in p.stderr and "BrokenPipe" not in p.stderr, p.stderr


def test_cli_an_os_error_is_one_line_exit_1(monkeypatch, capsys):
    # the machine, not the input (a full disk, a permission): one line naming the file, exit 1
    import dcplan.cli_bill as cb
    from dcplan.cli import main

    def denied(_args):
        raise PermissionError(13, "Permission denied", "/srv/out/r.parquet")
    monkeypatch.setattr(cb, "run", denied)
    assert main(["bill", "--tariff", FLAT, "--load", "x.csv"]) == 1
    assert capsys.readouterr().err.strip() == "dcplan: error: /srv/out/r.parquet: Permission denied"

    def full(_args):  # no file named: no empty field ("dcplan: error:: No space ..." before)
        raise OSError(28, "No space left on device")
    monkeypatch.setattr(cb, "run", full)
    assert main(["bill", "--tariff", FLAT, "--load", "x.csv"]) == 1
    assert capsys.readouterr().err.strip() == "dcplan: error: No space left on device"


def test_cli_coincident_options_on_a_tariff_without_coincident_charges_say_so(tmp_path, capsys):
    # FLAT (the ComEd file) has no coincidentratestructure: the options did nothing, silently; now a
    # note on stderr, and the bill is the one without them (one load under several tariffs works)
    idx = pd.date_range("2025-07-01 01:00", periods=48, freq="h", tz="America/Chicago")
    path = write(tmp_path, [t.isoformat() for t in idx], np.full(48, 1000.0))
    assert run(args(tariff=FLAT, load=path)) == 0
    plain = capsys.readouterr().out
    assert run(args(tariff=FLAT, load=path, **{"coincident-peaks": "2025-07-01T17:00-05:00"})) == 0
    out = capsys.readouterr()
    assert out.out == plain and ("note: comed-il-large-load.json has no coincident-peak charges "
                                 "(coincidentratestructure), so --coincident-peaks changes nothing") in out.err
    assert run(args(tariff=FLAT, load=path, **{"coincident-interval": "30min"})) == 0
    assert "so --coincident-interval changes nothing" in capsys.readouterr().err


def test_cli_negative_rate_error_names_no_keyword_the_cli_lacks(tmp_path):
    # the API hint "pass allow_negative_energy=True" named a switch dcplan bill has no option for
    u = {"energyratestructure": [[{"rate": -0.01}]], "energyweekdayschedule": [[0] * 24] * 12,
         "energyweekendschedule": [[0] * 24] * 12}
    t = tmp_path / "neg.json"
    t.write_text(json.dumps(u))
    idx = pd.date_range("2025-01-01 01:00", periods=24, freq="h", tz="UTC")
    path = write(tmp_path, [x.isoformat() for x in idx], np.ones(24))
    with pytest.raises(InputError, match=r"neg.json: energyratestructure\[0\]\[0\].rate: rate \+ adj = -0.01 is "
                                         r"negative; .*\(credits: dcplan.tariff.Tariff.from_urdb\(\.\.\., "
                                         r"allow_negative_energy=True\) in Python; dcplan bill does not bill them\)$"):
        run(args(tariff=str(t), load=path, tz="UTC"))


def test_cli_a_broken_pipe_that_is_not_stdout_is_a_failure(monkeypatch, capsys):
    # only a reader closing stdout ends quietly (141); a worker's pipe breaking is a failure, in one line
    import dcplan.cli_bill as cb
    from dcplan.cli import main

    def broken(_args):
        raise BrokenPipeError(32, "Broken pipe")
    monkeypatch.setattr(cb, "run", broken)
    assert main(["bill", "--tariff", FLAT, "--load", "x.csv"]) == 1
    assert capsys.readouterr().err.strip() == "dcplan: error: Broken pipe"


def test_the_readme_tariff_name_is_found_from_another_folder(tmp_path, monkeypatch):
    """README: Tariff.from_urdb("data/tariffs/aps-az-e32-tou-l.json") worked only from the checkout's
    root ("tariff file not found" elsewhere), while the CLI finds the same name from any folder."""
    from dcplan.errors import InputError
    from dcplan.tariff import Tariff
    from conftest import DATA
    monkeypatch.chdir(tmp_path)
    t = Tariff.from_urdb("data/tariffs/aps-az-e32-tou-l.json")
    assert t.metadata["file"] == str(DATA / "tariffs" / "aps-az-e32-tou-l.json")
    with pytest.raises(InputError, match=r"tariff file not found \(looked for .*no-such\.json\)"):
        Tariff.from_urdb("data/tariffs/no-such.json")
