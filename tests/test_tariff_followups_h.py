"""Tariff and bill follow-ups of the verifier's findings V2-V10b: a site's coincident-peak stamps
checked against its hourly load (dcplan.tariff_coincident, dcplan.tariff_site.parse_peaks), months
without a stamp said, ``dcplan bill --prior-peaks-kw steady_state``, what ``--ignore`` does, and the
tariff warnings of ``dcplan validate`` given by ``dcplan bill`` too."""
from __future__ import annotations

import argparse
import datetime as dt
import json

import pandas as pd
import pytest

from conftest import gc_noise as _gc_noise
from conftest import bundled_site_copy

from dcplan import validate as V
from dcplan.errors import DcplanWarning, InputError
from dcplan.site import SiteError, load_site
from dcplan.tariff import Tariff
from dcplan.tariff_coincident import grid_problem

from test_tariff_review_fixes import NY, SCHED0, _item, _year  # noqa: F401  (the same small tariff and load)


def _stamp_problems(tmp_path, stamps):
    p = bundled_site_copy(tmp_path, "research-triangle-nc", "cp", tariff={"coincident_peaks": stamps})
    with pytest.raises(SiteError) as e:
        load_site(p)
    return p, e.value.problems


# ---------------------------------------------------------------- V2: stamps on the load's hours
def test_a_stamp_off_the_hourly_load_is_refused_on_load_and_by_validate(tmp_path):
    # the Greensboro TMY3 is hourly, its hours on the hour of UTC-5 (and so of New York's clock)
    p, probs = _stamp_problems(tmp_path, ["2025-07-21 17:30"])
    want = ("tariff.coincident_peaks[0]",
            "'2025-07-21 17:30' is not on the site's load grid: the load is hourly, its intervals ending at :00 "
            "local time (America/New_York; the weather file's hours), and a system peak's coincident demand is "
            "the site's mean kW over the 60 min ending at the stamp, which must then be one load interval; give "
            "its interval end, e.g. '2025-07-21 17:00' or '2025-07-21 18:00'")
    assert probs == [want]
    # validate says so on the site file and its field (it said "ok" and the render failed)
    assert [(x.file, x.field, x.message) for x in V.validate_file(p)] == [(str(p), *want)]


def test_a_zone_half_an_hour_off_the_station_has_its_hours_at_half_past():
    # a station on UTC+5 read in Asia/Kolkata (UTC+5:30): hour ends 00:00 UTC+5 = 00:30 local
    ts = pd.Timestamp("2025-07-21 17:00", tz="Asia/Kolkata")
    assert grid_problem("x", ts, 5.5) is None
    msg = grid_problem("2025-07-21 17:00", ts, 5.0)
    assert "intervals ending at :30 local time (Asia/Kolkata" in msg
    assert msg.endswith("e.g. '2025-07-21 16:30' or '2025-07-21 17:30'")
    assert grid_problem("x", pd.Timestamp("2025-07-21 17:30", tz="Asia/Kolkata"), 5.0) is None


# ---------------------------------------------------------------- V3: a date alone, a stamp twice
def test_a_date_without_a_time_is_refused(tmp_path):
    msg = ("'2025-07-21' has no time of day, so it would be read as 00:00, the end of the hour before midnight "
           "(a night-time load); give the end of the system-peak interval, e.g. '2025-07-21 17:00' for the hour "
           "16:00-17:00")
    assert _stamp_problems(tmp_path, ["2025-07-21"])[1] == [("tariff.coincident_peaks[0]", msg)]
    # unquoted in the YAML it is a date, kept as its text: the same problem
    assert _stamp_problems(tmp_path, ["2025-08-12 16:00", dt.date(2025, 7, 21)])[1] == [
        ("tariff.coincident_peaks[1]", msg)]


def test_a_stamp_given_twice_is_refused_naming_both(tmp_path):
    # 17:00 EDT written twice, once with its offset: the same instant
    _, probs = _stamp_problems(tmp_path, ["2025-07-21 17:00", "2025-08-12 16:00", "2025-07-21 17:00-04:00"])
    assert probs == [("tariff.coincident_peaks[2]",
                      "'2025-07-21 17:00-04:00' is the same system peak as tariff.coincident_peaks[0] "
                      "('2025-07-21 17:00'): given twice it would weigh twice in its month's coincident demand (the "
                      "mean over the month's peaks); remove tariff.coincident_peaks[2] or tariff.coincident_peaks[0]")]


CP_ALL_YEAR = _item(coincidentratestructure=[[{"rate": 10.0}]], coincidentrateschedule=SCHED0)
NOTE_7_8 = ("coincident charges priced in months 1-12, system-peak stamps (coincident_peaks) in months 7, 8: months "
            "without a stamp (1-6, 9-12) bill no coincident charge; give each priced month's system peaks to bill it")


def test_months_without_a_stamp_are_said_in_the_bill():
    peaks = [pd.Timestamp("2025-07-21 17:00", tz=NY), pd.Timestamp("2025-08-12 16:00", tz=NY)]
    b = Tariff.from_urdb(CP_ALL_YEAR).bill(_year(), coincident_peaks=peaks)
    assert b.demand_usd == pytest.approx(2 * 10.0 * 1000.0)  # Jul and Aug only: the other months bill none
    assert b.notes == (NOTE_7_8,)
    # a tariff pricing coincident peaks in Jul and Aug only (period 1): nothing to say
    summer = [[1 if m in (6, 7) else 0] * 24 for m in range(12)]
    t = Tariff.from_urdb(_item(coincidentratestructure=[[{"rate": 0.0}], [{"rate": 10.0}]],
                               coincidentrateschedule=summer))
    b = t.bill(_year(), coincident_peaks=peaks)
    assert b.demand_usd == pytest.approx(2 * 10.0 * 1000.0) and b.notes == ()


@pytest.mark.slow
def test_validate_warns_of_months_without_a_stamp(tmp_path):
    f = tmp_path / "cp.json"
    f.write_text(json.dumps(CP_ALL_YEAR))
    p = bundled_site_copy(tmp_path, "research-triangle-nc", "cp",
                          tariff={"file": str(f), "coincident_peaks": ["2025-07-21 17:00", "2025-08-12 16:00"]})
    with pytest.warns(DcplanWarning) as w:
        assert V.validate_file(p) == []
    assert f"{p}: tariff.coincident_peaks: {NOTE_7_8}" in [str(x.message) for x in w]


# ---------------------------------------------------------------- dcplan bill
def _bill(tmp_path, item, argv, load=None):
    from dcplan.cli_bill import add_parser, run
    tf = tmp_path / "t.json"
    tf.write_text(json.dumps(item))
    load = _year() if load is None else load
    lf = tmp_path / "load.csv"
    pd.DataFrame({"timestamp": [t.isoformat() for t in load.index], "load_kw": load.to_numpy()}).to_csv(lf, index=False)
    p = argparse.ArgumentParser()
    add_parser(p.add_subparsers())
    return run(p.parse_args(["bill", "--tariff", str(tf), "--load", str(lf), "--tz", NY, *argv]))


def _usd(out: str, what: str) -> float:
    line = next(ln for ln in out.splitlines() if ln.strip().startswith(what + ":"))
    return float(line.split(":")[1].replace(",", ""))


RATCHET = _item(flatdemandstructure=[[{"rate": 10.0}]], flatdemandmonths=[0] * 12,
                demandratchetpercentage=[1.0] * 12)


def test_bill_takes_prior_peaks_steady_state(tmp_path, capsys):
    # 1,000 kW all year, 3,000 kW in one December hour; a 100 % ratchet over 11 months. A year that
    # repeats has last December before every month: all 12 bill 3,000 kW, 12 x 3,000 x 10 = 360,000 $;
    # with 0 kW before the load only December does: 11 x 1,000 x 10 + 3,000 x 10 = 140,000 $
    load = _year()
    load[pd.Timestamp("2025-12-10 18:00", tz=NY)] = 3000.0
    assert _bill(tmp_path, RATCHET, ["--prior-peaks-kw", "steady_state"], load) == 0
    out = capsys.readouterr().out
    assert _usd(out, "demand_usd") == pytest.approx(360_000.0)
    assert ("Note:   t.json's demand ratchet is billed as a steady-state year that repeats (--prior-peaks-kw "
            "steady_state, as the site pipeline bills a site's typical year)") in out
    assert _bill(tmp_path, RATCHET, [], load) == 0
    assert _usd(capsys.readouterr().out, "demand_usd") == pytest.approx(140_000.0)
    with pytest.raises(InputError, match=r"^--prior-peaks-kw: 'abc' is not a number; allowed: 12 monthly peaks"):
        _bill(tmp_path, RATCHET, ["--prior-peaks-kw", "abc"], load)
    with pytest.raises(InputError) as e:
        _bill(tmp_path, RATCHET, ["--prior-peaks-kw", "steady_state"], load[:2000])
    assert str(e.value) == ("--prior-peaks-kw: --prior-peaks-kw steady_state bills a repeating year: it needs a load "
                            "of 12 billing months, one of each calendar month; this load has 3 (2025-01 to 2025-03); "
                            "give --prior-peaks-kw (12 monthly kW)")


KVA_NOTE = ("flatdemandstructure[0][0].unit 'kVA' ignored (ignore=): tier billed as kW: understated, since the "
            "utility bills kVA = kW / power factor (>= kW), so the true charge is this one x 1/PF (5.3 % more at a "
            "power factor of 0.95)")


def test_ignored_kva_tier_and_ratchet_say_they_understate(tmp_path, capsys):
    kva = _item(flatdemandstructure=[[{"rate": 10.0, "unit": "kVA"}]], flatdemandmonths=[0] * 12)
    # (then the demand-window caveat: an hourly load, a demand charge and no demandwindow; test_api_bill_notes.py)
    assert Tariff.from_urdb(kva, ignore=["flatdemandstructure.unit"]).bill(_year()).notes[:-1] == (KVA_NOTE,)
    assert _bill(tmp_path, kva, ["--ignore", "flatdemandstructure.unit"]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[1] == "Ignored: " + KVA_NOTE.replace("(ignore=)", "(--ignore)")  # the CLI's own spelling
    assert _bill(tmp_path, RATCHET, ["--ignore", "demandratchetpercentage"]) == 0
    assert capsys.readouterr().out.splitlines()[1] == (
        "Ignored: demandratchetpercentage [1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1... ignored (--ignore): the demand "
        "ratchet is left out: each month bills its own peak, not the ratchet's share of the earlier months' peaks "
        "where that is higher, so demand charges are understated in the months after a higher peak")


def test_ignoring_a_structure_names_its_fields_to_ignore_with_it():
    kva = _item(flatdemandstructure=[[{"rate": 10.0, "unit": "kVA"}]], flatdemandmonths=[0] * 12)
    with pytest.raises(InputError) as e:
        Tariff.from_urdb(kva, ignore=["flatdemandstructure"])
    assert str(e.value) == (
        "flatdemandmonths: given without flatdemandstructure; add the rates or remove it; flatdemandstructure is "
        "ignored, and its fields are refused without it: to leave the charge out of the bill, ignore them all: "
        "ignore=['flatdemandstructure', 'flatdemandmonths'] in Python, --ignore flatdemandstructure "
        "flatdemandmonths with dcplan bill")
    b = Tariff.from_urdb(kva, ignore=["flatdemandstructure", "flatdemandmonths"]).bill(_year())
    assert b.demand_usd == 0.0
    assert b.notes[0].endswith("ignored (ignore=): the flat (all-hours) demand charge is left out of the bill: "
                               "understated by it")


def test_bill_gives_the_tariff_warnings_validate_gives(tmp_path, capsys):
    capped = _item(energyratestructure=[[{"rate": 0.10, "max": 1000}, {"rate": 0.12, "max": 5000}]])
    with pytest.warns(DcplanWarning) as w:
        assert _bill(tmp_path, capped, []) == 0
    assert [str(x.message) for x in w if not _gc_noise(x)] == [
        f"{tmp_path / 't.json'}: energyratestructure[0][1].max: the last tier has max 5000 (kWh); usage beyond it "
        "is billed at this tier's rate (dcplan treats the last bound as open); if the tariff has another tier "
        "above it, add it, else remove this max"]


def test_bill_refuses_a_date_alone_and_a_stamp_twice(tmp_path):
    with pytest.raises(InputError, match=r"^--coincident-peaks\[0\]: '2025-07-21' has no time of day"):
        _bill(tmp_path, CP_ALL_YEAR, ["--coincident-peaks", "2025-07-21"])
    with pytest.raises(InputError, match=r"^--coincident-peaks\[1\]: '2025-07-21T17:00-04:00' is the same system "
                                         r"peak as --coincident-peaks\[0\] \('2025-07-21T17:00'\)"):
        _bill(tmp_path, CP_ALL_YEAR, ["--coincident-peaks", "2025-07-21T17:00", "2025-07-21T17:00-04:00"])


def test_bill_prints_the_months_without_a_stamp(tmp_path, capsys):
    assert _bill(tmp_path, CP_ALL_YEAR, ["--coincident-peaks", "2025-07-21T17:00", "2025-08-12T16:00"]) == 0
    out = capsys.readouterr().out
    assert "Note:   " + NOTE_7_8.replace("(coincident_peaks)", "(--coincident-peaks)") in out.splitlines()
    assert _usd(out, "demand_usd") == pytest.approx(2 * 10.0 * 1000.0)
