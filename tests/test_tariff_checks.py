"""Tariff field checks (dcplan.tariff_checks), price plausibility (dcplan.tariff_prices), URDB key
handling and the ``dcplan bill`` options and load units added after the black-box report."""
from __future__ import annotations

import argparse
import dataclasses
import json

import numpy as np
import pandas as pd
import pytest

from dcplan.cli_bill import add_parser, load_column_unit, read_load_csv, run
from dcplan.errors import DcplanWarning, InputError
from dcplan.tariff import Tariff

NY = "America/New_York"
CHI = "America/Chicago"
Z = [[0] * 24 for _ in range(12)]
TOL = 1e-6  # USD: sums of a few thousand exact binary fractions


def _args(*argv):
    ap = argparse.ArgumentParser()
    add_parser(ap.add_subparsers())
    return ap.parse_args(["bill", *argv])


def _tou():
    return Tariff.tou(0.05, [{"name": "on", "usd_per_kwh": 0.20, "hours": [16, 17, 18, 19, 20]}])


def _day_load():
    """10 July 2024 (a Wednesday), 1000 kW at 15 min: 24,000 kWh. [kW]"""
    return pd.Series(1000.0, index=pd.date_range("2024-07-10 00:15", "2024-07-11", freq="15min", tz=NY))


# ---------------------------------------------------------------- 1. read-only arrays
def test_schedule_arrays_are_read_only_so_an_in_place_edit_cannot_leave_a_stale_bill():
    t = _tou()
    load = _day_load()
    # 5 on-peak hours x 1000 kW x 0.20 + 19 h x 1000 x 0.05 = 1000 + 950
    assert t.bill(load).energy_usd == pytest.approx(1950.0, abs=TOL)
    for f in ("energy_weekday", "energy_weekend", "energy_rate", "energy_upper"):
        with pytest.raises(ValueError, match="read-only"):
            getattr(t, f)[0, 0] = 1
    # a new tariff with the edited schedule: the caller's array is copied and stays writable
    mine = np.ones((12, 24), dtype=np.int64)
    t2 = dataclasses.replace(t, energy_weekday=mine)
    mine[:] = 0
    assert not t2.energy_weekday.flags.writeable and (t2.energy_weekday == 1).all()
    # every hour on-peak: 24,000 kWh x 0.20
    assert t2.bill(load).energy_usd == pytest.approx(4800.0, abs=TOL)
    d = Tariff.flat(0.1, demand_usd_per_kw=5).with_demand_charge(3, hours=[16])
    assert not any(getattr(d, f).flags.writeable for f in ("flat_rate", "flat_months", "demand_rate",
                                                           "demand_weekday", "demand_weekend"))


# ---------------------------------------------------------------- 5. constructor and replace checks
@pytest.mark.parametrize("change, match", [
    ({"energy_weekday": np.full((12, 24), 5)},
     r"^energy_weekday: period 5 at month 1, hour 0 has no rate in energy_rate \(periods 0..1\)$"),
    ({"energy_weekday": np.zeros((12, 23), int)}, r"^energy_weekday: must have shape \(12, 24\) .*got \(12, 23\)$"),
    ({"energy_weekend": np.full((12, 24), 0.5)}, r"^energy_weekend: period indices must be integers, got dtype float"),
    ({"energy_rate": np.array([[-0.1], [0.2]])},
     r"^energy_rate: rate of period 0, tier 0 is -0.1; rates must be finite and >= 0$"),
    ({"energy_rate": np.array([0.1, 0.2])}, r"^energy_rate: must be a 2-D array, got shape \(2,\)$"),
    ({"fixed_usd_per_month": "100"}, r"^fixed_usd_per_month: must be a finite number, got '100'$"),
    ({"demand_weekday": np.zeros((12, 24), int)}, r"^demand_weekday: given without demand_rate"),
    ({"fourcp_interval": "abc"}, r"^fourcp_interval: not a positive length of time: 'abc'"),
    ({"escalation_frac_per_year": {"energy": 0.1}, "escalation_base_year": 2024.7},
     r"^escalation_base_year: must be a whole year such as 2025, got 2024.7$"),
])
def test_replace_and_constructor_are_checked_like_the_builders(change, match):
    with pytest.raises(InputError, match=match):
        dataclasses.replace(_tou(), **change)


@pytest.mark.parametrize("build, match", [
    (lambda: Tariff.tou(0.1, [{"usd_per_kwh": 0.2, "hours": [True]}]),
     r"^periods\[0\]\.hours: need start hours 0-23 \(integers\), got \[True\]$"),
    (lambda: Tariff.flat(0.1).with_demand_charge(5, hours=[False]), r"^hours: need start hours 0-23"),
    (lambda: Tariff.flat(0.1).with_demand_charge(5, hours=[3], days="weekdays"),
     r"^days: unknown 'weekdays' \(did you mean 'weekday'\?\)"),
    (lambda: Tariff.flat(0.1).with_4cp(1.0, [], interval="abc", prior_kw=0),
     r"^interval: not a positive length of time: 'abc'"),
    (lambda: Tariff.flat(0.1).with_escalation(0.1, 2024.7), r"^base_year: must be a whole year such as 2025, got 2024.7$"),
])
def test_builders_refuse_bools_bad_days_intervals_and_fractional_years(build, match):
    with pytest.raises(InputError, match=match):
        build()


# ---------------------------------------------------------------- 4. unit slips
def test_energy_rate_in_cents_is_refused_by_builders_and_urdb():
    # the unit cannot be told from the number: both readings (10.5 cents = 0.105; 10.5 $/MWh = 0.0105)
    want = (r"energy rate 10.5 \$/kWh is above 2 \$/kWh.*allowed: 0 to 2 \$/kWh\. In cents per kWh divide by 100 "
            r"\(0.105 \$/kWh\); in \$/MWh divide by 1000 \(0.0105 \$/kWh\); or a price in another currency: "
            r"convert it to USD$")
    with pytest.raises(InputError, match=r"^usd_per_kwh: " + want):
        Tariff.flat(10.5)
    with pytest.raises(InputError, match=r"^periods\[0\]\.usd_per_kwh: " + want):
        Tariff.tou(0.1, [{"usd_per_kwh": 10.5, "hours": [16]}])
    u = {"energyratestructure": [[{"rate": 10.0, "adj": 0.5}]], "energyweekdayschedule": Z,
         "energyweekendschedule": Z}
    with pytest.raises(InputError, match=r"^energyratestructure\[0\]\[0\]\.rate: " + want):
        Tariff.from_urdb(u)
    assert Tariff.flat(2.0).energy_rate[0, 0] == 2.0  # the bound itself is accepted


def test_price_series_in_usd_per_mwh_is_refused_in_python_and_in_a_file(tmp_path):
    idx = pd.date_range("2025-01-01 01:00", "2025-02-01", freq="h", tz=CHI)
    want = (r"median price 35 \$/kWh is above 1 \$/kWh.*In \$/MWh divide by 1000 \(median 0.035 \$/kWh\); "
            r"in cents per kWh divide by 100 \(median 0.35 \$/kWh\)$")
    with pytest.raises(InputError, match=r"^price_usd_per_kwh: " + want):
        Tariff.rtp(pd.Series(35.0, index=idx))
    pd.DataFrame({"timestamp": [t.isoformat() for t in idx], "price_usd_per_kwh": 35.0}).to_csv(
        tmp_path / "p.csv", index=False)
    f = tmp_path / "t.json"
    f.write_text(json.dumps({"energyratestructure": [[{"rate": 0.0}]], "energyweekdayschedule": Z,
                             "energyweekendschedule": Z, "dcplan_rtp_price_file": "p.csv"}))
    with pytest.raises(InputError, match=r"t.json: dcplan_rtp_price_file: p.csv: " + want):
        Tariff.from_urdb(f)
    # a spike to ERCOT's 5 $/kWh cap in a few hours is not a unit slip: the median decides
    spiky = pd.Series(0.035, index=idx)
    spiky.iloc[:5] = 5.0
    assert Tariff.rtp(spiky).rtp_usd_per_kwh.max() == 5.0


# ---------------------------------------------------------------- 6. daily real-time prices
def test_daily_prices_are_accepted_by_tariff_rtp_as_by_the_price_file():
    idx = pd.date_range("2025-01-02", "2025-02-01", freq="D", tz=CHI)
    load = pd.Series(1000.0, index=pd.date_range("2025-01-01 00:15", "2025-02-01", freq="15min", tz=CHI))
    # January: 744 h x 1000 kW x 0.04 $/kWh
    assert Tariff.rtp(pd.Series(0.04, index=idx)).bill(load).energy_usd == pytest.approx(29760.0, abs=TOL)


def test_daily_price_file_across_spring_forward_is_not_a_gap(tmp_path):
    idx = pd.date_range("2025-03-02", "2025-04-01", freq="D", tz=CHI)  # 9 March has 23 h
    pd.DataFrame({"timestamp": [t.isoformat() for t in idx], "price_usd_per_kwh": 0.04}).to_csv(
        tmp_path / "p.csv", index=False)
    f = tmp_path / "t.json"
    f.write_text(json.dumps({"energyratestructure": [[{"rate": 0.0}]], "energyweekdayschedule": Z,
                             "energyweekendschedule": Z, "dcplan_rtp_price_file": "p.csv"}))
    load = pd.Series(1000.0, index=pd.date_range("2025-03-01 00:15", "2025-04-01", freq="15min", tz=CHI))
    # March in Chicago: 31 x 24 - 1 = 743 h x 1000 kW x 0.04 $/kWh
    assert Tariff.from_urdb(f).bill(load).energy_usd == pytest.approx(29720.0, abs=TOL)


# ---------------------------------------------------------------- 7. URDB keys
def _jan_load(kw=100.0):
    return pd.Series(kw, index=pd.date_range("2025-01-01 01:00", "2025-02-01", freq="h", tz=NY))


def test_minmonthlycharge_is_a_monthly_minimum_and_metadata_keys_are_ignored():
    u = {"energyratestructure": [[{"rate": 0.01}]], "energyweekdayschedule": Z, "energyweekendschedule": Z,
         "minmonthlycharge": 1000.0, "usenetmetering": True, "_id": {"$oid": "abc"}}
    # usenetmetering is not billed, and says so (tests/test_tariff_export_credit.py)
    with pytest.warns(DcplanWarning, match="usenetmetering: this tariff credits energy exported"):
        t = Tariff.from_urdb(u)
    b = t.bill(_jan_load())
    # energy 744 h x 100 kW x 0.01 = 744 USD, raised to the 1000 USD minimum: not a fixed charge
    assert (b.energy_usd, b.fixed_usd, b.minimum_usd) == pytest.approx((744.0, 0.0, 256.0), abs=TOL)
    with pytest.raises(InputError, match=r"^mincharge: both minmonthlycharge \(1000\) and mincharge in \$/month"):
        Tariff.from_urdb({**u, "mincharge": 500.0})


def test_sams_coincidentschedule_name_is_the_coincident_rate_schedule():
    sched = [[1 if h >= 12 else 0 for h in range(24)] for _ in range(12)]
    u = {"energyratestructure": [[{"rate": 0.0}]], "energyweekdayschedule": Z, "energyweekendschedule": Z,
         "coincidentratestructure": [[{"rate": 1.0}], [{"rate": 50.0}]], "coincidentschedule": sched}
    load = _jan_load()
    # peak interval ending 17:00 (hour 16 starts it: period 1, 50 $/kW) at 100 kW
    b = Tariff.from_urdb(u).bill(load, coincident_peaks=["2025-01-10T17:00-05:00"])
    assert b.demand_usd == pytest.approx(5000.0, abs=TOL)
    with pytest.raises(InputError, match=r"^coincidentschedule: both coincidentschedule and coincidentrateschedule"):
        Tariff.from_urdb({**u, "coincidentrateschedule": sched})


# ---------------------------------------------------------------- 8. silent no-ops
def test_ratchet_without_a_demand_charge_is_refused():
    u = {"energyratestructure": [[{"rate": 0.05}]], "energyweekdayschedule": Z, "energyweekendschedule": Z,
         "demandratchetpercentage": [0.8] * 12}
    with pytest.raises(InputError, match=r"^demandratchetpercentage: given without flatdemandstructure or "
                                         r"demandratestructure"):
        Tariff.from_urdb(u)
    with pytest.raises(InputError, match=r"^ratchet_frac: a demand ratchet needs a demand charge"):
        dataclasses.replace(Tariff.flat(0.1), ratchet_frac=np.full(12, 0.8), ratchet_lookback_months=11)


def test_coincident_peaks_are_checked_without_a_coincident_charge():
    with pytest.raises(InputError, match=r"^coincident_peaks\[0\]: 'garbage' is not a timestamp$"):
        Tariff.flat(0.1).bill(_jan_load(), coincident_peaks=["garbage"])


# ---------------------------------------------------------------- 10. clearer errors
def test_descending_index_and_nan_column_are_named():
    load = _jan_load()
    with pytest.raises(InputError, match=r"^load_kw.index: timestamps not increasing at"):
        Tariff.flat(0.1).bill(load[::-1])
    df = pd.DataFrame({"a": load, "b": load})
    df.iloc[3, 1] = np.nan
    with pytest.raises(InputError, match=r"^load_kw: NaN/inf load in column 'b' at 2025-01-01 04:00:00-05:00"):
        Tariff.flat(0.1).bill(df)


def test_holiday_shift_is_bounded():
    u = {"energyratestructure": [[{"rate": 0.1}]], "energyweekdayschedule": Z, "energyweekendschedule": Z,
         "dcplan_holidays": [{"name": "x", "rule": "Easter +400"}]}
    with pytest.raises(InputError, match=r"^dcplan_holidays\[0\]\.rule: .*shift \+400 days is more than 100 days"):
        Tariff.from_urdb(u)
    u["dcplan_holidays"] = [{"name": "Corpus Christi", "rule": "Easter +60"}]
    assert len(Tariff.from_urdb(u).holidays) == 1


# ---------------------------------------------------------------- 2. load column units (dcplan bill)
@pytest.mark.parametrize("name, unit", [("kW-h", "kwh"), ("kW.h", "kwh"), ("energy kW·h", "kwh"),
                                        ("megawatts", "mw"), ("kilowatts", "kw"), ("kilowatt_hours", "kwh"),
                                        ("MegaWatt Hours", "mwh"), ("Demand (kW)", "kw"), ("load", None)])
def test_load_unit_separators_and_spelled_out_units(name, unit):
    assert load_column_unit(name) == unit


@pytest.mark.parametrize("name, unit", [("power_watts", "w"), ("gigawatts", "gw"), ("watt-hours", "wh")])
def test_spelled_out_units_dcplan_bill_does_not_read_are_refused(name, unit):
    with pytest.raises(InputError, match=rf"column '{name}' has unit '{unit}' in its name, which dcplan bill does "
                                         "not read; allowed: kW or MW"):
        load_column_unit(name)


@pytest.mark.parametrize("name, per_kw", [("kW-h", 0.25), ("megawatts", 1e-3), ("kilowatt_hours", 0.25)])
def test_load_read_in_kw_from_spelled_units(tmp_path, name, per_kw):
    # per_kw: file value per kW (15-min kWh: 0.25 h; MW: 1/1000); 1000 kW expected back
    idx = pd.date_range("2025-01-01 00:15", "2025-02-01", freq="15min", tz=NY)
    p = tmp_path / "load.csv"
    pd.DataFrame({"timestamp": [t.isoformat() for t in idx], name: 1000.0 * per_kw}).to_csv(p, index=False)
    np.testing.assert_allclose(read_load_csv(str(p)).to_numpy(), 1000.0, rtol=1e-12)


# ---------------------------------------------------------------- 3. ratchets through dcplan bill
def _ratchet_files(tmp_path):
    f = tmp_path / "r.json"
    f.write_text(json.dumps({"label": "r", "energyratestructure": [[{"rate": 0.05}]], "energyweekdayschedule": Z,
                             "energyweekendschedule": Z, "flatdemandstructure": [[{"rate": 10}]],
                             "flatdemandmonths": [0] * 12, "demandratchetpercentage": [0.8] * 12}))
    idx = pd.date_range("2024-01-01 00:15", "2024-02-01", freq="15min", tz=NY)
    p = tmp_path / "q.csv"
    pd.DataFrame({"timestamp": [t.isoformat() for t in idx], "load_kw": 1000.0}).to_csv(p, index=False)
    return str(f), str(p)


def test_cli_ratchet_notes_missing_prior_peaks_and_shows_billing_demand(tmp_path, capsys):
    tariff, load = _ratchet_files(tmp_path)
    assert run(_args("--tariff", tariff, "--load", load)) == 0
    out = capsys.readouterr().out
    assert "Note:   r.json has a demand ratchet and no --prior-peaks-kw was given" in out
    assert "billing_demand_kw" in out and "days_billed" in out
    # January: 744,000 kWh x 0.05 = 37,200; demand 1000 kW x 10 = 10,000
    assert "total_usd:        47,200.00" in out


@pytest.mark.parametrize("peaks, demand", [
    (["5000"], "40,000.00"),  # one value: 0.8 x 5000 kW = 4000 kW x 10 $/kW
    # 12 values Jan..Dec: January's lookback is Feb..Dec of the year before, so the January
    # value (9000) is not in it and December's is: 0.8 x 6000 = 4800 kW x 10 $/kW
    (["9000"] + ["0"] * 10 + ["6000"], "48,000.00"),
])
def test_cli_prior_peaks_set_the_first_months_billing_demand(tmp_path, capsys, peaks, demand):
    tariff, load = _ratchet_files(tmp_path)
    assert run(_args("--tariff", tariff, "--load", load, "--prior-peaks-kw", *peaks)) == 0
    out = capsys.readouterr().out
    assert f"demand_usd: {demand:>16}" in out and "Note:" not in out


def test_cli_prior_peaks_errors_and_no_ratchet_note(tmp_path, capsys):
    tariff, load = _ratchet_files(tmp_path)
    with pytest.raises(InputError, match=r"^--prior-peaks-kw: need 12 monthly peaks \(Jan..Dec\) or one for every "
                                         r"month, got 2 values$"):
        run(_args("--tariff", tariff, "--load", load, "--prior-peaks-kw", "1", "2"))
    with pytest.raises(InputError, match=r"^--prior-peaks-kw: peaks must be finite and >= 0 kW, got -1.0"):
        run(_args("--tariff", tariff, "--load", load, "--prior-peaks-kw", "-1"))
    flat = tmp_path / "f.json"
    flat.write_text(json.dumps({"energyratestructure": [[{"rate": 0.05}]], "energyweekdayschedule": Z,
                                "energyweekendschedule": Z}))
    assert run(_args("--tariff", str(flat), "--load", load, "--prior-peaks-kw", "5000")) == 0
    out = capsys.readouterr().out
    assert "Note:   f.json has no demand ratchet, so --prior-peaks-kw changes nothing" in out
    assert "billing_demand_kw" not in out


def test_cli_holidays_error_names_the_option(tmp_path):
    tariff, load = _ratchet_files(tmp_path)
    with pytest.raises(InputError, match=r"^--holidays: unknown holiday calendar 'XX'"):
        run(_args("--tariff", tariff, "--load", load, "--holidays", "XX"))
