"""``dcplan bill``'s messages in the command line's and the file's terms: findings of a black-box
tester (f13 spreadsheet CSVs, f16 real-time prices, column/holiday suggestions, load errors with
Python-API hints, TOU demand columns without a legend, 1-based and transposed schedules)."""
from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest

from dcplan.cli import main
from dcplan.errors import InputError
from dcplan.paths import data_path
from dcplan.tariff import Tariff

ZERO = [[0] * 24 for _ in range(12)]
TZ = "America/Chicago"
DUKE = str(data_path("tariffs", "duke-nc-opt-tou.json"))


def _tariff(tmp_path, **extra) -> str:
    f = tmp_path / "t.json"
    f.write_text(json.dumps({"label": "t", "energyratestructure": [[{"rate": 0.05}]],
                             "energyweekdayschedule": ZERO, "energyweekendschedule": ZERO, **extra}))
    return str(f)


def _hours(n=48, start="2025-01-06 01:00"):
    return pd.date_range(start, periods=n, freq="h", tz=TZ)


def _csv(tmp_path, stamps, kw, name="load.csv", col="load_kw") -> str:
    f = tmp_path / name
    pd.DataFrame({"interval_end": stamps, col: kw}).to_csv(f, index=False)
    return str(f)


def _bill_error(argv) -> InputError:
    with pytest.raises(InputError) as ei:
        main(["--debug", "bill", *argv])
    return ei.value


# ---------------------------------------------------------------- 3. suggestions ignore case
def test_column_and_holidays_suggestions_ignore_case(tmp_path):
    idx = _hours()
    f = tmp_path / "two.csv"
    pd.DataFrame({"interval_end": [t.isoformat() for t in idx], "load_kw": 1.0,
                  "load_mw": 0.001}).to_csv(f, index=False)
    e = _bill_error(["--tariff", _tariff(tmp_path), "--load", str(f), "--column", "load_KW"])
    assert e.field == "--column"
    assert e.detail == "unknown 'load_KW' (did you mean 'load_kw'?); allowed: load_kw, load_mw"
    one = _csv(tmp_path, [t.isoformat() for t in idx], 1.0, "one.csv")
    e = _bill_error(["--tariff", _tariff(tmp_path), "--load", one, "--holidays", "us"])
    assert e.field == "--holidays" and e.detail.startswith("unknown holiday calendar 'us' (did you mean 'US'?)")


# ---------------------------------------------------------------- 4. spreadsheet-style CSVs
def test_a_semicolon_separated_file_is_named_as_one(tmp_path):
    f = tmp_path / "semi.csv"
    f.write_text("timestamp;load_kw\n2025-01-01 00:15:00-07:00;5000.0\n2025-01-01 00:30:00-07:00;5000.3\n")
    e = _bill_error(["--tariff", _tariff(tmp_path), "--load", str(f)])
    assert e.detail.startswith("read as one column 'timestamp;load_kw': dcplan bill reads comma-separated files and "
                               "this one separates its columns with semicolons (';');")


def test_a_number_with_a_thousands_separator_says_to_drop_it(tmp_path):
    f = tmp_path / "thousands.csv"
    f.write_text('timestamp,load_kw\n2025-01-01 00:15:00-07:00,"5,000.0"\n2025-01-01 00:30:00-07:00,"5,000.3"\n')
    e = _bill_error(["--tariff", _tariff(tmp_path), "--load", str(f)])
    assert e.field == "load_kw"
    assert e.detail == "row 2: value '5,000.0' is not a number (no thousands separators: 5000.0)"


# ---------------------------------------------------------------- 5. real-time prices that do not cover the load
def test_a_load_outside_the_price_csv_names_the_csv_and_its_span_on_its_own_clock(tmp_path):
    # prices for 1-2 Jan 2025 at -06:00 (hourly, interval-ending 01:00 .. 00:00); a load in December
    # 2024: the first price interval starts 2025-01-01 00:00-06:00, the last ends 2025-01-03 00:00-06:00
    p_idx = pd.date_range("2025-01-01 01:00", "2025-01-03 00:00", freq="h", tz="Etc/GMT+6")
    prices = tmp_path / "prices.csv"
    pd.DataFrame({"timestamp": [t.strftime("%Y-%m-%dT%H:%M:%S-06:00") for t in p_idx],
                  "price_usd_per_kwh": 0.03}).to_csv(prices, index=False)
    t = _tariff(tmp_path, dcplan_rtp_price_file="prices.csv")
    load = _csv(tmp_path, [x.isoformat() for x in _hours(24, "2024-12-01 01:00")], 100.0)
    e = _bill_error(["--tariff", t, "--load", load, "--tz", TZ])
    assert e.file == str(prices) and e.field == "timestamp"
    assert e.detail == ("no price for the load interval ending 2024-12-01 01:00:00-06:00: the prices cover "
                        "2025-01-01 00:00:00-06:00 .. 2025-01-03 00:00:00-06:00 (first interval start .. last "
                        "interval end, intervals of 1 h), and this load interval is outside them: bill a load "
                        "inside that span, or give prices for the load's span")
    # the Python API (a Series, no file): the same span on the index's clock, no pandas timedelta text
    series = pd.Series(0.03, index=pd.date_range("2025-01-01 00:15", periods=8, freq="15min", tz=TZ))
    with pytest.raises(InputError, match=r"^price_usd_per_kwh: no price for the load interval ending .*: the prices "
                                         r"cover 2025-01-01 00:00:00-06:00 \.\. 2025-01-01 02:00:00-06:00 .*"
                                         r"intervals of 15 min\)"):
        Tariff.rtp(series).bill(pd.Series(1.0, index=pd.date_range("2024-12-01 00:15", periods=8, freq="15min",
                                                                     tz=TZ)))


# ---------------------------------------------------------------- 6. load errors in the file's terms
@pytest.mark.parametrize("edit, field, detail", [
    # hourly from 01:00 on 6 Jan (row 2): 05:00 is data row 5 (row 6) ...
    (lambda s: s.drop(index=4), "interval_end",
     "irregular step at 2025-01-06 06:00:00-06:00 (row 6): 2 h after 2025-01-06 04:00:00-06:00 (row 5) where the "
     "step is 1 h (gap or missing rows); add the missing rows, or pass --fill interpolate to fill them linearly"),
    (lambda s: pd.concat([s.iloc[:5], s.iloc[4:]]), "interval_end",
     "duplicate timestamp 2025-01-06 05:00:00-06:00 (row 7), the same instant as 2025-01-06 05:00:00-06:00 (row 6); "
     "keep one row per interval (delete or average the repeated rows)"),
    (lambda s: s.iloc[[0, 1, 3, 2] + list(range(4, len(s)))], "interval_end",
     "timestamps not increasing at 2025-01-06 03:00:00-06:00 (row 5), after 2025-01-06 04:00:00-06:00 (row 4); "
     "sort the rows by time"),
    (lambda s: s.mask(s.index == 3), "load_kw",
     "NaN/inf load at 2025-01-06 04:00:00-06:00 (row 5): an empty, NaN or infinite value in column 'load_kw'; give "
     "every interval a reading, or pass --fill interpolate to fill them linearly"),
    (lambda s: s.mask(s.index == 3, -50.0), "load_kw",
     "negative load -50 kW at 2025-01-06 04:00:00-06:00 (row 5) in column 'load_kw'; bills here are for imports "
     "only: set exports to 0 in the file"),
])
def test_load_errors_name_the_files_column_row_and_cli_options(tmp_path, edit, field, detail):
    idx = _hours()
    s = edit(pd.Series(100.0, index=[t.isoformat() for t in idx]).reset_index(drop=True).set_axis(range(len(idx))))
    stamps = [idx[i].isoformat() for i in s.index]
    f = _csv(tmp_path, stamps, s.to_numpy())
    e = _bill_error(["--tariff", _tariff(tmp_path), "--load", f])
    assert (e.field, e.detail) == (field, detail)
    for api in ("x[~x.index", "sort_index", "fill='interpolate'", "load_kw.index"):
        assert api not in str(e)


def test_fill_interpolate_refuses_an_empty_last_reading_in_the_files_terms(tmp_path):
    idx = _hours(6)
    kw = np.full(6, 100.0)
    kw[-1] = np.nan
    f = _csv(tmp_path, [t.isoformat() for t in idx], kw)
    e = _bill_error(["--tariff", _tariff(tmp_path), "--load", f, "--fill", "interpolate"])
    assert (e.field, e.detail) == ("load_kw", "no reading at 2025-01-06 06:00:00-06:00 (row 7): --fill interpolate "
                                              "fills only between readings, not the last row; give it a value or "
                                              "remove the row")


def test_the_python_api_keeps_its_own_wording():
    idx = _hours()
    with pytest.raises(InputError, match=r"^load_kw\.index: irregular step .*; resample or pass fill='interpolate'$"):
        Tariff.flat(0.05).bill(pd.Series(100.0, index=idx.delete(4)))


# ---------------------------------------------------------------- 7. a legend for the TOU demand columns
def test_the_table_has_a_legend_naming_each_demand_columns_period(tmp_path, capsys):
    # duke-nc-opt-tou.json: demandweekdayschedule period 1 in Jun-Sep hours 13-20, period 2 in
    # Jan-May and Oct-Dec hours 6-12 (weekends: period 0, at 0 $/kW); demandratestructure 16.5 and
    # 9.8 $/kW; flatdemandstructure 3.63 $/kW every month
    # (May bills period 2, June period 1: both columns are in the table)
    idx = pd.date_range("2025-05-01 00:15", "2025-07-01 00:00", freq="15min", tz="America/New_York")
    f = _csv(tmp_path, [t.isoformat() for t in idx], 1000.0)
    assert main(["bill", "--tariff", DUKE, "--load", f, "--tz", "America/New_York"]) == 0
    legend = [ln for ln in capsys.readouterr().out.splitlines() if ln.startswith("Legend:")]
    assert legend == [
        "Legend: billing_demand_kw = the all-hours demand charge (flatdemandstructure), 3.63 $/kW",
        "Legend: tou_billing_demand_1_kw = URDB demand period 1: Jun-Sep weekdays 13:00-21:00, 16.5 $/kW; NaN in "
        "months without its hours",
        "Legend: tou_billing_demand_2_kw = URDB demand period 2: Jan-May, Oct-Dec weekdays 06:00-13:00, 9.8 $/kW; "
        "NaN in months without its hours"]


def test_the_legend_says_weekdays_except_holidays_when_the_bill_lists_holidays(tmp_path, capsys):
    # an auditor's finding: holidays are billed on the weekend schedules (Memorial Day, Mon 2025-05-26, bills
    # period 0 all day under a list that has it), yet the legend called the other schedule's days "weekdays";
    # duke-nc-opt-tou.json's periods as in the test above, its holidays from --holidays or dcplan_holidays
    idx = pd.date_range("2025-05-01 00:15", "2025-07-01 00:00", freq="15min", tz="America/New_York")
    f = _csv(tmp_path, [t.isoformat() for t in idx], 1000.0)
    j = json.loads(open(DUKE).read())
    item = j["items"][0] if "items" in j else j

    def legend(tariff, *extra):
        assert main(["bill", "--tariff", tariff, "--load", f, "--tz", "America/New_York", *extra]) == 0
        return [ln for ln in capsys.readouterr().out.splitlines() if ln.startswith("Legend: tou")]
    want = ["Legend: tou_billing_demand_1_kw = URDB demand period 1: Jun-Sep weekdays except holidays 13:00-21:00, "
            "16.5 $/kW; NaN in months without its hours",
            "Legend: tou_billing_demand_2_kw = URDB demand period 2: Jan-May, Oct-Dec weekdays except holidays "
            "06:00-13:00, 9.8 $/kW; NaN in months without its hours"]
    assert legend(DUKE, "--holidays", "US") == want
    own = tmp_path / "own.json"
    own.write_text(json.dumps({**item, "dcplan_holidays": [{"name": "Memorial Day", "rule": "last Mon of May"}]}))
    assert legend(str(own)) == want
    # an empty list bills no holidays: plain weekdays, as without the key
    own.write_text(json.dumps({**item, "dcplan_holidays": []}))
    assert legend(str(own)) == [ln.replace("weekdays except holidays", "weekdays") for ln in want]


# ---------------------------------------------------------------- 8. 1-based and transposed schedules
def _urdb(**over):
    u = {"energyratestructure": [[{"rate": 0.05}], [{"rate": 0.08}]],
         "energyweekdayschedule": [[0] * 24] * 12, "energyweekendschedule": [[0] * 24] * 12}
    u.update(over)
    return u


def test_a_one_based_schedule_is_named_as_one():
    one_based = [[1] * 15 + [2] * 9] * 12  # periods 1..2 for a 2-period structure
    with pytest.raises(InputError, match=r"energyweekdayschedule\[0\]\[15\]: period 2 has no rate in "
                                         r"energyratestructure \(periods 0\.\.1\); URDB schedules count periods from "
                                         r"0, and this one uses 1\.\.2, so it is 1-based: subtract 1 from every "
                                         r"entry$"):
        Tariff.from_urdb(_urdb(energyweekdayschedule=one_based))
    # a period out of range that is no 1-based numbering: no hint
    with pytest.raises(InputError, match=r"\(periods 0\.\.1\)$"):
        Tariff.from_urdb(_urdb(energyweekdayschedule=[[0] * 23 + [5]] * 12))


def test_a_transposed_schedule_is_named_as_one():
    with pytest.raises(InputError, match=r"energyweekdayschedule: must be 12 rows \(months\) of 24 period indices, "
                                         r"got 24 rows \(24 rows of 12: transposed\? URDB schedules are 12 months x "
                                         r"24 hours\)$"):
        Tariff.from_urdb(_urdb(energyweekdayschedule=[[0] * 12] * 24))
