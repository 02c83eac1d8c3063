"""Checks made when a tariff is read (so ``dcplan validate`` and ``dcplan bill`` see them): the
real-time price CSV row by row, fuel adjustments, rate-item lists, demand windows, the RTP adder,
and the wording of the tariff reader's hints for Python and the command line alike."""
from __future__ import annotations

import dataclasses
import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from dcplan.cli import main
from dcplan.errors import InputError
from dcplan.tariff import Tariff

CHI = "America/Chicago"
TOL = 1e-6  # USD: sums of a few hundred products of short decimals
Z = [[0] * 24] * 12


def _jan_hours():
    """January 2025 in Chicago, hourly, interval-ending: 744 intervals."""
    return pd.date_range("2025-01-01 01:00", "2025-02-01 00:00", freq="h", tz=CHI)


def _rtp(tmp_path, stamps, prices, name="p.csv"):
    """An RTP tariff (energy rate 0, prices from ``name``) and its CSV, both written as given."""
    lines = ["timestamp,price_usd_per_kwh"] + [f"{t},{p}" for t, p in zip(stamps, prices)]
    (tmp_path / name).write_text("\n".join(lines) + "\n")
    tf = tmp_path / "rtp.json"
    tf.write_text(json.dumps({"energyratestructure": [[{"rate": 0.0}]], "energyweekdayschedule": Z,
                              "energyweekendschedule": Z, "dcplan_rtp_price_file": name}))
    return str(tf)


def _stamps(idx):
    return [t.isoformat() for t in idx]


# ---------------------------------------------------------------- 1. a price that is not a number
@pytest.mark.parametrize("cell,got", [("n/a", "'n/a'"), ("nan", "'nan'"), ("", "an empty cell"),
                                      ("abc", "'abc'")])
def test_rtp_price_that_is_not_a_number_is_refused_when_read(tmp_path, cell, got):
    # read_csv made these NaN and the bill came out NaN with exit 0 (Tariff.rtp refused NaN already)
    idx = _jan_hours()
    prices = ["0.03"] * len(idx)
    prices[3] = cell  # data row 4: file row 5 (the header is row 1)
    tf = _rtp(tmp_path, _stamps(idx), prices)
    msg = (rf"rtp\.json: dcplan_rtp_price_file: p\.csv row 5: timestamp '2025-01-01T04:00:00-06:00': "
           rf"price is not a number \(got {got}\)")
    with pytest.raises(InputError, match=msg):
        Tariff.from_urdb(tf)


def test_rtp_price_infinite_is_refused(tmp_path):
    idx = _jan_hours()
    prices = ["0.03"] * len(idx)
    prices[0] = "inf"
    with pytest.raises(InputError, match=r"p\.csv row 2: timestamp '2025-01-01T01:00:00-06:00': price is not a "
                                         r"finite number \(got 'inf'\)"):
        Tariff.from_urdb(_rtp(tmp_path, _stamps(idx), prices))


def test_validate_and_bill_refuse_a_nan_price_exit_2(tmp_path, capsys):
    idx = _jan_hours()
    prices = ["0.03"] * len(idx)
    prices[100] = "n/a"
    tf = _rtp(tmp_path, _stamps(idx), prices)
    assert main(["validate", tf]) == 2  # said "ok"
    out = capsys.readouterr()
    assert "p.csv row 102: timestamp '2025-01-05T05:00:00-06:00': price is not a number" in out.out + out.err
    load = tmp_path / "load.csv"
    pd.DataFrame({"timestamp": _stamps(idx), "load_kw": 1000.0}).to_csv(load, index=False)
    assert main(["bill", "--tariff", tf, "--load", str(load)]) == 2  # was a NaN bill, exit 0
    assert "price is not a number (got 'n/a')" in capsys.readouterr().err


# ---------------------------------------------------------------- 2. times without a UTC offset
def test_rtp_naive_times_are_refused_not_read_as_utc(tmp_path):
    # naive stamps were read as UTC: every price 6 h early on the Chicago clock
    idx = _jan_hours()
    naive = [t.strftime("%Y-%m-%d %H:%M") for t in idx]
    with pytest.raises(InputError, match=r"rtp\.json: dcplan_rtp_price_file: p\.csv row 2: timestamp "
                                         r"'2025-01-01 01:00' has no UTC offset"):
        Tariff.from_urdb(_rtp(tmp_path, naive, ["0.03"] * len(idx)))
    # one naive row among offsets: that row is named
    mixed = _stamps(idx)
    mixed[9] = naive[9]
    with pytest.raises(InputError, match=r"p\.csv row 11: timestamp '2025-01-01 10:00' has no UTC offset"):
        Tariff.from_urdb(_rtp(tmp_path, mixed, ["0.03"] * len(idx)))


def test_rtp_prices_with_offsets_bill_on_their_own_hours(tmp_path):
    # 0.10 $/kWh in the hour ending 18:00 Chicago time, 0.02 otherwise; 1000 kW only in that hour
    # on each of January's 31 days: 31 x 1000 kWh x 0.10 = 3,100 USD (read as UTC, the 0.10 hour
    # would be 12:00 local, and the bill 31 x 1000 x 0.02 = 620 USD)
    idx = _jan_hours()
    prices = np.where(idx.hour == 18, "0.10", "0.02")
    t = Tariff.from_urdb(_rtp(tmp_path, _stamps(idx), prices))
    load = pd.Series(np.where(idx.hour == 18, 1000.0, 0.0), index=idx)
    assert t.bill(load).energy_usd == pytest.approx(3100.0, abs=TOL)


# ---------------------------------------------------------------- 3. order, repeats and gaps, at read time
def test_rtp_duplicate_row_is_named_with_its_time_as_written(tmp_path):
    idx = _jan_hours()
    st = _stamps(idx)
    st[5] = "2025-01-01T11:00:00+00:00"  # the same instant as row 6 (05:00-06:00), in another offset
    with pytest.raises(InputError, match=r"rtp\.json: dcplan_rtp_price_file: p\.csv row 7: timestamp "
                                         r"'2025-01-01T11:00:00\+00:00' is the same time as row 6 "
                                         r"\('2025-01-01T05:00:00-06:00'\)"):
        Tariff.from_urdb(_rtp(tmp_path, st, ["0.03"] * len(st)))


def test_rtp_rows_out_of_order_are_named(tmp_path):
    st = _stamps(_jan_hours())
    st[6], st[7] = st[7], st[6]
    with pytest.raises(InputError, match=r"p\.csv row 9: timestamp '2025-01-01T07:00:00-06:00' is before the row "
                                         r"above it \('2025-01-01T08:00:00-06:00'\); sort the rows by time"):
        Tariff.from_urdb(_rtp(tmp_path, st, ["0.03"] * len(st)))


def test_rtp_gap_is_named_at_read_time_with_the_usual_step(tmp_path):
    # rows 102-107 (05:00 .. 10:00 on 5 January) missing: row 102 is then 10:00, 6 h after 04:00
    st = _stamps(_jan_hours())
    del st[100:105]
    with pytest.raises(InputError, match=r"p\.csv row 102: timestamp '2025-01-05T10:00:00-06:00' comes 6 h after "
                                         r"the row above it \('2025-01-05T04:00:00-06:00'\) where the step is 1 h"):
        Tariff.from_urdb(_rtp(tmp_path, st, ["0.03"] * len(st)))


def test_rtp_across_dst_with_changing_offsets_is_regular(tmp_path):
    # March 2025 in Chicago: the offset changes from -06:00 to -05:00 on 9 March; 743 hours, each
    # at 0.05 $/kWh with 1000 kW: 743 x 1000 x 0.05 = 37,150 USD
    idx = pd.date_range("2025-03-01 01:00", "2025-04-01 00:00", freq="h", tz=CHI)
    t = Tariff.from_urdb(_rtp(tmp_path, _stamps(idx), ["0.05"] * len(idx)))
    assert len(idx) == 743
    assert t.bill(pd.Series(1000.0, index=idx)).energy_usd == pytest.approx(37150.0, abs=TOL)


def test_rtp_one_row_is_refused(tmp_path):
    with pytest.raises(InputError, match=r"p\.csv: 1 data row\(s\); need at least two"):
        Tariff.from_urdb(_rtp(tmp_path, ["2025-01-01T01:00-06:00"], ["0.03"]))


# ---------------------------------------------------------------- 4. fuel adjustments
_FLAT_E = {"energyratestructure": [[{"rate": 0.05}]], "energyweekdayschedule": Z, "energyweekendschedule": Z}


def test_negative_fuel_adjustment_below_the_rate_is_refused():
    fuel = [0.0] * 12
    fuel[2] = -0.06  # March: 0.05 - 0.06 = -0.01 $/kWh
    with pytest.raises(InputError, match=r"fueladjustmentsmonthly\[2\]: March adjustment -0.06 \$/kWh with the "
                                         r"month's lowest energy rate \(energyratestructure\[0\]\[0\] rate \+ adj "
                                         r"0.05 \$/kWh\) gives a negative energy price -0.01 \$/kWh; negative energy "
                                         r"rates are not allowed"):
        Tariff.from_urdb({**_FLAT_E, "fueladjustmentsmonthly": fuel})


def test_negative_fuel_adjustment_allowed_as_credit_bills_by_hand():
    fuel = [0.0] * 12
    fuel[2] = -0.06
    t = Tariff.from_urdb({**_FLAT_E, "fueladjustmentsmonthly": fuel}, allow_negative_energy=True)
    idx = pd.date_range("2025-03-01 01:00", "2025-04-01 00:00", freq="h", tz="America/New_York")
    # 743 h (spring forward) x 1000 kW = 743,000 kWh at 0.05 - 0.06 = -0.01 $/kWh: -7,430 USD
    assert t.bill(pd.Series(1000.0, index=idx)).energy_usd == pytest.approx(-7430.0, abs=TOL)


def test_fuel_adjustment_checked_against_the_months_own_periods():
    # period 1 (0.10) all July, period 0 (0.04) the other months: -0.05 is a price of 0.05 in July
    # (allowed) but -0.01 in January (refused); a rate cancelled exactly (0.04 - 0.04) is 0, allowed
    sched = [[1] * 24 if m == 6 else [0] * 24 for m in range(12)]
    item = {"energyratestructure": [[{"rate": 0.04}], [{"rate": 0.10}]], "energyweekdayschedule": sched,
            "energyweekendschedule": sched}
    july = [0.0] * 12
    july[6] = -0.05
    t = Tariff.from_urdb({**item, "fueladjustmentsmonthly": july})
    idx = pd.date_range("2025-07-01 01:00", "2025-08-01 00:00", freq="h", tz="America/New_York")
    # 744 h x 1000 kW at 0.10 - 0.05 = 0.05: 37,200 USD
    assert t.bill(pd.Series(1000.0, index=idx)).energy_usd == pytest.approx(37200.0, abs=TOL)
    jan = [0.0] * 12
    jan[0] = -0.05
    with pytest.raises(InputError, match=r"fueladjustmentsmonthly\[0\]: January adjustment -0.05 .*"
                                         r"energyratestructure\[0\]\[0\] rate \+ adj 0.04"):
        Tariff.from_urdb({**item, "fueladjustmentsmonthly": jan})
    jan[0] = -0.04
    Tariff.from_urdb({**item, "fueladjustmentsmonthly": jan})


def test_validate_reports_a_negative_fuel_price(tmp_path, capsys):
    fuel = [0.0] * 12
    fuel[2] = -0.5
    f = tmp_path / "negfuel.json"
    f.write_text(json.dumps({**_FLAT_E, "fueladjustmentsmonthly": fuel}))
    assert main(["validate", str(f)]) == 2  # said "ok"
    out = capsys.readouterr()
    assert "fueladjustmentsmonthly[2]: March adjustment -0.5" in out.out + out.err


# ---------------------------------------------------------------- 5. rate items that are not objects
@pytest.mark.parametrize("items,where,kind", [([1], 0, "int"), ([{"label": "a", **_FLAT_E}, "x"], 1, "str"),
                                              ([{"label": "a", **_FLAT_E}, [1]], 1, "list")])
def test_items_entry_that_is_not_an_object(tmp_path, items, where, kind):
    f = tmp_path / "items.json"
    f.write_text(json.dumps({"items": items}))
    with pytest.raises(InputError, match=rf"items\.json: items\[{where}\]: a rate item must be a JSON object, "
                                         rf"got {kind}"):
        Tariff.from_urdb(str(f), label="a")  # (a label does not skip the check)


def test_bill_cli_exits_2_on_a_non_object_item(tmp_path, capsys):
    f = tmp_path / "items.json"
    f.write_text(json.dumps({"items": [1]}))
    idx = _jan_hours()
    load = tmp_path / "load.csv"
    pd.DataFrame({"timestamp": _stamps(idx), "load_kw": 1.0}).to_csv(load, index=False)
    assert main(["bill", "--tariff", str(f), "--load", str(load)]) == 2  # AttributeError, exit 1
    assert "items[0]: a rate item must be a JSON object" in capsys.readouterr().err


# ---------------------------------------------------------------- 6. the RTP adder
@pytest.mark.parametrize("adder", [float("nan"), float("inf"), "abc", None, True])
def test_rtp_adder_must_be_finite(adder):
    idx = _jan_hours()
    with pytest.raises(InputError, match=r"adder_usd_per_kwh: must be a finite number"):
        Tariff.rtp(pd.Series(0.03, index=idx), adder_usd_per_kwh=adder)


def test_rtp_negative_adder_is_a_credit():
    idx = _jan_hours()
    t = Tariff.rtp(pd.Series(0.03, index=idx), adder_usd_per_kwh=-0.01)
    # 744 h x 1000 kW at 0.03 - 0.01 = 0.02 $/kWh: 14,880 USD
    assert t.bill(pd.Series(1000.0, index=idx)).energy_usd == pytest.approx(14880.0, abs=TOL)


# ---------------------------------------------------------------- 13. a load coarser than the demand window
@pytest.mark.filterwarnings("ignore:.*bills no energy charge:dcplan.errors.DcplanWarning")  # a demand-only test rate
def test_bill_notes_a_load_coarser_than_the_demand_window(tmp_path, capsys):
    tf = tmp_path / "w30.json"
    tf.write_text(json.dumps({"flatdemandstructure": [[{"rate": 10.0}]], "flatdemandmonths": [0] * 12,
                              "demandwindow": 30}))
    idx = _jan_hours()
    load = tmp_path / "load.csv"
    pd.DataFrame({"timestamp": _stamps(idx), "load_kw": 1000.0}).to_csv(load, index=False)
    assert main(["bill", "--tariff", str(tf), "--load", str(load)]) == 0
    out = capsys.readouterr().out
    assert ("Note:   the load's 1 h intervals are longer than the tariff's 30-min demand window (demandwindow): "
            "demand is billed on 1 h averages, which understate the 30-min peaks") in out
    q = pd.date_range("2025-01-01 00:15", "2025-02-01 00:00", freq="15min", tz=CHI)
    pd.DataFrame({"timestamp": _stamps(q), "load_kw": 1000.0}).to_csv(load, index=False)
    assert main(["bill", "--tariff", str(tf), "--load", str(load)]) == 0
    assert "demand window" not in capsys.readouterr().out  # 15-min load: the 30-min window is billed


# ---------------------------------------------------------------- 14. demand window bounds
@pytest.mark.parametrize("w,msg", [
    (900, r"demandwindow: 900 minutes \(15 h\) is not a demand window tariffs use; the demand window is in "
          r"minutes, and 900 seconds would be 15 minutes \(write 15\)"),
    (1800, r"1800 seconds would be 30 minutes"),
    (2000, r"demandwindow: must be at most 1440 minutes \(one day"),
    (1e308, r"demandwindow: must be at most 1440 minutes .*got 1e\+308"),  # was an OverflowError at bill time
])
def test_demand_window_out_of_range(w, msg):
    with pytest.raises(InputError, match=msg):
        Tariff.from_urdb({"flatdemandstructure": [[{"rate": 1.0}]], "flatdemandmonths": [0] * 12,
                          "demandwindow": w})


def test_demand_window_bounds_on_the_dataclass_too():
    t = Tariff.flat(0.1, demand_usd_per_kw=10.0)
    with pytest.raises(InputError, match=r"demand_window_min: must be at most 1440 minutes"):
        dataclasses.replace(t, demand_window_min=1e308)
    # a 2-hour window is accepted: 1000 kW with 5000 kW in one 15-min interval: the clock-aligned
    # 2-h block holding it averages (7 x 1000 + 5000) / 8 = 1500 kW: 15,000 USD
    t120 = Tariff.from_urdb({"flatdemandstructure": [[{"rate": 10.0}]], "flatdemandmonths": [0] * 12,
                             "demandwindow": 120})
    idx = pd.date_range("2025-06-01 00:15", "2025-07-01 00:00", freq="15min", tz=CHI)
    load = pd.Series(1000.0, index=idx)
    load.iloc[100] = 5000.0
    assert t120.bill(load).demand_usd == pytest.approx(15000.0, abs=TOL)


# ---------------------------------------------------------------- 15. hints for both readers
def test_reader_hints_name_the_python_and_the_cli_spelling():
    neg = {"energyratestructure": [[{"rate": -0.01}]], "energyweekdayschedule": Z, "energyweekendschedule": Z}
    with pytest.raises(InputError) as e:
        Tariff.from_urdb(neg)
    assert e.value.detail.endswith("(credits: dcplan.tariff.Tariff.from_urdb(..., allow_negative_energy=True) in "
                                   "Python; dcplan bill does not bill them)")
    assert "pass allow_negative_energy" not in e.value.detail
    # (a kVA demand: billed as kW it is understated by the power factor, said; an MWh tier gets no such hint
    # since fix-tariff2, its bound would be 1,000 x off: tests/test_tariff_followups_i.py)
    kva = {"energyratestructure": [[{"rate": 0.1}]], "energyweekdayschedule": Z, "energyweekendschedule": Z,
           "flatdemandstructure": [[{"rate": 10.0}]], "flatdemandmonths": [0] * 12, "demandunits": "kVA"}
    with pytest.raises(InputError) as e:
        Tariff.from_urdb(kva)
    assert e.value.detail == ("demand unit 'kVA' is not supported (only kW) (to bill it as kW: ignore=['demandunits'] "
                              "in Python, --ignore demandunits with dcplan bill)")


def test_bill_cli_does_not_repeat_the_ignore_hint(tmp_path):
    f = tmp_path / "kva.json"
    f.write_text(json.dumps({"energyratestructure": [[{"rate": 0.1}]], "energyweekdayschedule": Z,
                             "energyweekendschedule": Z, "flatdemandstructure": [[{"rate": 10.0}]],
                             "flatdemandmonths": [0] * 12, "demandunits": "kVA"}))
    load = tmp_path / "load.csv"
    pd.DataFrame({"timestamp": _stamps(_jan_hours()), "load_kw": 1.0}).to_csv(load, index=False)
    from dcplan.cli_bill import add_parser, run
    import argparse
    ap = argparse.ArgumentParser()
    add_parser(ap.add_subparsers())
    with pytest.raises(InputError) as e:
        run(ap.parse_args(["bill", "--tariff", str(f), "--load", str(load)]))
    assert str(e.value).endswith("--ignore demandunits with dcplan bill)")
    assert "--ignore FIELD" not in str(e.value)


def test_rtp_date_only_rows_are_refused_as_having_no_offset(tmp_path):
    # '2025-01-01' ends in '-01', which passed for a UTC offset: a daily file was read as UTC midnight
    days = [f"2025-01-{d:02d}" for d in range(1, 32)]
    with pytest.raises(InputError, match=r"p\.csv row 2: timestamp '2025-01-01' has no UTC offset"):
        Tariff.from_urdb(_rtp(tmp_path, days, ["0.03"] * len(days)))


def test_a_negative_fuel_adjustment_on_a_real_time_price_is_not_refused(tmp_path):
    # the real-time price sets the energy price: 0.05 - 0.01 = 0.04 $/kWh; 744 h x 1000 kW x 0.04
    # = 29,760 USD (the check took the energy rate of 0 and refused -0.01 as a negative price)
    idx = _jan_hours()
    f = Path(_rtp(tmp_path, _stamps(idx), ["0.05"] * len(idx)))
    doc = json.loads(f.read_text())
    doc["fueladjustmentsmonthly"] = [-0.01] * 12
    f.write_text(json.dumps(doc))
    t = Tariff.from_urdb(f)
    assert t.bill(pd.Series(1000.0, index=idx)).energy_usd == pytest.approx(29_760.0, abs=TOL)
