"""``dcplan bill`` and the load file's clock: a ``--tz`` that keeps no daylight saving for a file
whose offsets change (note, or the refused naive fall-back hour), and ``--interval`` in a zone
whose clock moves 30 min at DST. Findings of a black-box tester (f20, f12)."""
from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest

from dcplan.cli import main
from dcplan.cli_bill import to_interval
from dcplan.errors import InputError

NY = "America/New_York"
ZERO = [[0] * 24 for _ in range(12)]


def _tariff(tmp_path) -> str:
    """One energy price, 0.05 $/kWh, every hour."""
    f = tmp_path / "t.json"
    f.write_text(json.dumps({"label": "t", "energyratestructure": [[{"rate": 0.05}]],
                             "energyweekdayschedule": ZERO, "energyweekendschedule": ZERO}))
    return str(f)


def _csv(tmp_path, stamps, kw=100.0, name="load.csv") -> str:
    f = tmp_path / name
    pd.DataFrame({"timestamp": stamps, "load_kw": kw}).to_csv(f, index=False)
    return str(f)


def _notes(out: str) -> list[str]:
    return [ln for ln in out.splitlines() if ln.startswith("Note:")]


# ---------------------------------------------------------------- --tz EST on a DST file (f20)
def test_a_fixed_offset_tz_for_a_file_whose_offsets_change_gets_a_note_naming_the_dst_zone(tmp_path, capsys):
    # A New York year with its offsets (-05:00 winter, -04:00 summer) billed with --tz EST (UTC-5 all
    # year): every summer stamp is read an hour early, silently before (the never-equal note needs
    # no offset to match). Hand count: New York keeps -04:00 from 2025-03-09 07:00 UTC to
    # 2025-11-02 06:00 UTC, 238 days less 1 h = 5,711 hourly stamps; the first is 03:00-04:00 on
    # 9 March, position 67 days x 24 + 1 = 1,609 (01:00 on 1 Jan is 0; 02:00 on 9 March does not
    # exist), so row 1,611 (the header is row 1).
    idx = pd.date_range("2025-01-01 01:00", "2026-01-01 00:00", freq="h", tz=NY)
    f = _csv(tmp_path, [t.isoformat() for t in idx])
    assert main(["bill", "--tariff", _tariff(tmp_path), "--load", f, "--tz", "EST"]) == 0
    assert _notes(capsys.readouterr().out) == [
        "Note:   load.csv's UTC offsets (-05:00, -04:00) differ from EST's (-05:00) at 5,711 of 8,760 intervals, "
        "the first 2025-03-09T03:00:00-04:00 (row 1611): EST keeps -05:00 all year (a fixed offset, no daylight "
        "saving) while the file's offsets change at daylight saving. Those stamps were converted to EST time, 1 h "
        "behind the file's clock, so their TOU hours (and weekdays and billing months around midnight) follow "
        "EST's clock, not the file's; America/New_York has the file's offsets at every stamp: give --tz "
        "America/New_York if the tariff runs on the local clock"]
    # the zone whose clock the file is on: no note
    assert main(["bill", "--tariff", _tariff(tmp_path), "--load", f, "--tz", NY]) == 0
    assert _notes(capsys.readouterr().out) == []


def test_a_fixed_offset_tz_matching_no_stamp_says_so_in_the_never_equal_note(tmp_path, capsys):
    # --tz MST (UTC-7 all year) on the same New York stamps: no offset matches (the never-equal note),
    # which now also says MST keeps no daylight saving and which zone has the file's offsets
    idx = pd.date_range("2025-03-01 01:00", "2025-04-01 00:00", freq="h", tz=NY)
    f = _csv(tmp_path, [t.isoformat() for t in idx])
    assert main(["bill", "--tariff", _tariff(tmp_path), "--load", f, "--tz", "MST"]) == 0
    (note,) = _notes(capsys.readouterr().out)
    assert note.startswith("Note:   load.csv's UTC offsets (-05:00, -04:00) never equal MST's at the same instants "
                           "(-07:00)")
    assert note.endswith("; MST keeps -07:00 all year (a fixed offset, no daylight saving) while the file's offsets "
                         "change at daylight saving: America/New_York has the file's offsets at every stamp")


def test_naive_stamps_whose_clock_repeats_the_fall_back_hour_under_a_fixed_tz_say_it_is_dst_data(tmp_path):
    # Naive New York wall-clock times, 15-min, with 2 November's 01:00-01:45 twice (real data: the
    # clock falls back at 02:00 EDT). --tz EST placed both passes at the same instants and the bill
    # said "duplicate timestamp ...; drop or average the repeated rows first (e.g. x[~x.index.duplicated()])"
    wall = pd.date_range("2025-11-01 00:15", "2025-11-03 00:00", freq="15min", tz=NY).tz_localize(None)
    f = _csv(tmp_path, [t.strftime("%Y-%m-%d %H:%M") for t in wall])
    with pytest.raises(InputError) as ei:
        main(["--debug", "bill", "--tariff", _tariff(tmp_path), "--load", f, "--tz", "EST"])
    e = ei.value
    # 01:45 EDT is the 2nd of November's 7th reading (00:15 .. 01:45), position 96 + 6 = 102, row 104;
    # the repeated 01:00 EST follows at row 105
    assert e.field == "--tz" and e.detail == (
        "the file's clock repeats 2025-11-02 01:00: 2025-11-02 01:00:00 (row 105) comes after 2025-11-02 01:45:00 "
        "(row 104), a daylight-saving fall-back, so its times are on a clock that keeps daylight saving, such as "
        "America/New_York, and EST keeps UTC-05:00 all year (a fixed offset, no daylight saving). A naive time "
        "in the repeated hour is ambiguous: write the stamps with UTC offsets (2025-11-02T01:00-04:00 the first "
        "time, -05:00 the second) and give --tz America/New_York")
    assert "x[~x.index" not in str(e)


def test_a_repeated_row_that_is_no_fall_back_is_still_a_duplicate(tmp_path):
    # 10:00 on 6 January twice: no zone's clock repeats that time, so it is a duplicated row (named as
    # the file writes it, naive, with its rows)
    wall = list(pd.date_range("2025-01-06 01:00", periods=12, freq="h").strftime("%Y-%m-%d %H:%M"))
    wall.insert(10, wall[9])
    f = _csv(tmp_path, wall)
    with pytest.raises(InputError, match=r"^.*load\.csv: timestamp: duplicate timestamp 2025-01-06 10:00:00 "
                                         r"\(row 12\), the same instant as 2025-01-06 10:00:00 \(row 11\); keep "
                                         r"one row per interval \(delete or average the repeated rows\)$"):
        main(["--debug", "bill", "--tariff", _tariff(tmp_path), "--load", f, "--tz", "EST"])


# ---------------------------------------------------------------- --interval at a 30-min DST shift (f12)
LH = "Australia/Lord_Howe"


def test_to_interval_keeps_whole_hours_of_elapsed_time_across_a_30_min_clock_change():
    # Lord Howe falls back from +11:00 to +10:30 at 02:00 local on 6 April 2025 (15:00 UTC). A complete
    # 15-min load from 5 April 00:15 to 8 April 00:00 (+10:30) is 3 days + 30 min of elapsed time,
    # 291 readings; hours on the first reading's clock (+11:00) end at :00 +11:00 = :30 +10:30 after the
    # change, so 72 whole hours and 3 readings left over: cut it to whole hours on the +11:00 clock first.
    idx = pd.date_range("2025-04-05 00:15", "2025-04-08 00:00", freq="15min", tz=LH)
    load = pd.Series(100.0 + np.arange(len(idx)) % 4, index=idx)  # 100, 101, 102, 103 in every hour
    whole = load.iloc[:-2]  # ends 2025-04-07 23:30 +10:30 = 08 Apr 00:00 +11:00 clock
    h = to_interval(whole, "60min")
    assert len(h) == len(whole) // 4 == 72
    assert (np.diff(h.index.as_unit("ns").asi8) == 3_600_000_000_000).all()  # every interval 1 h long
    # mean of 100..103 = 101.5 in every hour: the average keeps the energy (as the 15-min readings')
    assert h.to_numpy() == pytest.approx(101.5, abs=1e-12)
    assert str(h.index[0]) == "2025-04-05 01:00:00+11:00" and str(h.index[-1]) == "2025-04-07 23:30:00+10:30"
    note = h.attrs["interval_note"]
    assert note.startswith("Note:   Australia/Lord_Howe's clock moves by 30 min at daylight saving, so intervals "
                           "of 1 h cannot end on its hours all year: they end on the hour while its UTC offset is "
                           "+11:00 and 30 min past it while +10:30")
    assert note.endswith("bill at 30 min (--interval 30min) or on the load's own 15 min step to keep every "
                         "interval on the clock")
    # a whole-hour DST zone needs no note: New York's hours end on the hour all year
    ny = pd.Series(1.0, index=pd.date_range("2025-11-01 00:15", "2025-11-03 00:00", freq="15min", tz=NY))
    assert "interval_note" not in to_interval(ny, "60min").attrs


def test_dcplan_bill_interval_60min_bills_a_complete_lord_howe_year(tmp_path, capsys):
    # was: "interval ending 2025-04-06 01:30:00+10:30 has 3 of 4 readings; trim the load to whole
    # intervals" for a complete 15-min year. The year starts and ends on the +11:00 clock (summer
    # time), so it is 8,760 whole hours of elapsed time; energy is the same on either step (a flat
    # 0.05 $/kWh tariff: the energy charge of the hourly bill equals the 15-min one's, to the cent)
    idx = pd.date_range("2025-01-01 00:15", "2026-01-01 00:00", freq="15min", tz=LH)
    kw = 1000.0 + 100.0 * np.sin(np.arange(len(idx)) / 96 * 2 * np.pi)
    f = _csv(tmp_path, [t.isoformat() for t in idx], kw)
    t = _tariff(tmp_path)
    assert main(["bill", "--tariff", t, "--load", f, "--tz", LH]) == 0
    fine = capsys.readouterr().out
    assert main(["bill", "--tariff", t, "--load", f, "--tz", LH, "--interval", "60min"]) == 0
    hourly = capsys.readouterr().out
    assert "8,760 intervals of 1 h" in hourly
    assert any(n.startswith("Note:   Australia/Lord_Howe's clock moves by 30 min") for n in _notes(hourly))

    def energy(out):
        return next(ln for ln in out.splitlines() if ln.strip().startswith("energy_usd:")).split()[-1]
    assert energy(hourly) == energy(fine)
