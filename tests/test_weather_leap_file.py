"""A weather file with 29 Feb (8,784 rows: a leap year's record, e.g. an actual-year EPW of 2024).

It was refused ("data row 1417 (line 1425) is 29 Feb: a typical year has none"), so a planner could not
bring a measured leap year. Now it is read: in a leap ``weather.year`` its own 29 Feb is kept, in another
year its 29 Feb is left out with a warning naming the year that keeps it (as EnergyPlus leaves it out
unless a leap year is observed).

The files are SYNTHETIC test fixtures: the bundled Chicago O'Hare TMY3 (EPW) and Greensboro TMY3 (CSV)
with every row re-dated to 2024 and a made-up 29 Feb (dry bulb 5.0 °C, dew point -1.0 °C all day)
inserted after 28 Feb, so what the loader keeps or leaves out can be told from the original file's rows.
"""
from __future__ import annotations

import json
import re
import warnings

import numpy as np
import pandas as pd
import pytest
import yaml

from dcplan.errors import DcplanWarning
from dcplan.report import render
from dcplan.site import load_site
from dcplan.site_slips import LOADER_LEAP_WARNING, leap_year_warnings, said_by_site
from dcplan.validate import validate_file
from dcplan.weather import load_weather, weather_problems

from conftest import CHICAGO_EPW, GREENSBORO_TMY3, bundled_site_copy

FEB29_DRY_DEGC, FEB29_DEW_DEGC = 5.0, -1.0
#: rows of 29 Feb in a leap year's 8784: after 31 + 28 days
FEB29 = slice(59 * 24, 60 * 24)


def _epw_2024(path, rows=None):
    """Chicago's EPW re-dated 2024 with a made-up 29 Feb; ``rows`` edits the data rows (a list of field lists)."""
    lines = CHICAGO_EPW.read_text().splitlines()
    head, data = lines[:8], [ln.split(",") for ln in lines[8:]]
    for f in data:
        f[0] = "2024"
    last28 = max(i for i, f in enumerate(data) if f[1] == "2" and f[2] == "28")
    feb29 = []
    for f in data[last28 - 23:last28 + 1]:
        g = list(f)
        g[2], g[6], g[7] = "29", str(FEB29_DRY_DEGC), str(FEB29_DEW_DEGC)  # day, dry bulb, dew point
        feb29.append(g)
    data = data[:last28 + 1] + feb29 + data[last28 + 1:]
    if rows is not None:
        data = rows(data)
    path.write_text("\n".join(head + [",".join(f) for f in data]) + "\n")
    return path


def _tmy3_2024(path):
    """Greensboro's TMY3 CSV re-dated 2024 with a made-up 29 Feb (columns Dry-bulb and Dew-point)."""
    lines = GREENSBORO_TMY3.read_text().splitlines()
    head, data = lines[:2], [ln.split(",") for ln in lines[2:]]
    names = head[1].split(",")
    dry, dew = names.index("Dry-bulb (C)"), names.index("Dew-point (C)")
    for f in data:
        f[0] = f[0][:6] + "2024"
    last28 = max(i for i, f in enumerate(data) if f[0].startswith("02/28/"))
    feb29 = []
    for f in data[last28 - 23:last28 + 1]:
        g = list(f)
        g[0], g[dry], g[dew] = "02/29/2024", str(FEB29_DRY_DEGC), str(FEB29_DEW_DEGC)
        feb29.append(g)
    path.write_text("\n".join(head + [",".join(f) for f in data[:last28 + 1] + feb29 + data[last28 + 1:]]) + "\n")
    return path


@pytest.mark.parametrize("make,typical", [(_epw_2024, CHICAGO_EPW), (_tmy3_2024, GREENSBORO_TMY3)],
                         ids=["epw", "tmy3"])
def test_a_leap_record_keeps_its_own_29_feb_in_a_leap_year(tmp_path, make, typical):
    f = make(tmp_path / ("amy2024.epw" if typical == CHICAGO_EPW else "amy2024.csv"))
    with warnings.catch_warnings():
        warnings.simplefilter("error", DcplanWarning)  # nothing to say: the file's calendar is the year's
        w = load_weather(f, year=2024)
    assert len(w) == 8784 and w.index.freq == "h"
    assert (w.attrs["file_hours"], w.attrs["file_year"]) == (8784, 2024)
    # interval-ending labels: 29 Feb's hours end at 01:00 of 29 Feb ... 00:00 of 1 Mar; they are the file's own
    day = w.loc["2024-02-29 01:00":"2024-03-01 00:00"]
    assert len(day) == 24
    np.testing.assert_array_equal(day["temp_air"], FEB29_DRY_DEGC)
    np.testing.assert_array_equal(day["temp_dew"], FEB29_DEW_DEGC)
    # every other hour is the original file's, in order (its typical year read onto 2025: same rows)
    orig = load_weather(typical, year=2025)
    rest = np.delete(w["temp_air"].to_numpy(), np.arange(FEB29.start, FEB29.stop))
    np.testing.assert_array_equal(rest, orig["temp_air"].to_numpy())


def test_a_leap_record_in_another_year_leaves_out_its_29_feb_and_says_which_year_keeps_it(tmp_path):
    f = _epw_2024(tmp_path / "amy2024.epw")
    with pytest.warns(DcplanWarning) as rec:
        w = load_weather(f, year=2025)
    assert [str(r.message) for r in rec] == [
        "amy2024.epw: 2025 is not a leap year; the file's 29 Feb (a leap year's record, 8,784 hours) is left "
        "out (give weather.year 2024, the file's own, to keep it)"]
    # the 365 other days are the file's, row for row: exactly the original typical year's frame
    pd.testing.assert_frame_equal(w, load_weather(CHICAGO_EPW, year=2025), check_like=False,
                                  check_exact=True, check_freq=True, check_flags=False)
    assert not ((w.index - pd.Timedelta("1h")).strftime("%m-%d") == "02-29").any()


def test_a_leap_record_with_a_missing_cut_or_misplaced_day_names_the_row(tmp_path):
    # a missing hour: data row 1501 of 8784 starts at 1500 h = 62 days + 12 h of 2024 (31 + 29 days to
    # 1 Mar): 3 Mar, the hour ending 13; the line is 8 header lines further
    miss = _epw_2024(tmp_path / "miss.epw", rows=lambda d: d[:1500] + d[1501:])
    assert [e.detail for e in weather_problems(miss)] == [
        "expected 8784 hourly rows of a leap year's record (the file has 29 Feb), got 8783: 1 hour missing, "
        "3 Mar hour 13: data row 1501 (line 1509) is 3 Mar hour 14; rows must run 1 Jan hour 1 to 31 Dec "
        "hour 24, one per hour"]
    # 29 Feb in a file of 8760 rows (31 Dec dropped to keep the count): cut short, not "a typical year"
    cut = _epw_2024(tmp_path / "cut.epw", rows=lambda d: d[:8760])
    assert [e.detail for e in weather_problems(cut)] == [
        "expected 8784 hourly rows of a leap year's record (the file has 29 Feb), got 8760: the rows stop at "
        "30 Dec hour 24 (data row 8760, line 8768): the file is cut short; rows must run 1 Jan hour 1 to 31 Dec "
        "hour 24, one per hour"]
    # 29 Feb after 1 Mar: 48 rows out of place, the first where 29 Feb hour 1 belongs (row 59 x 24 + 1)
    late = _epw_2024(tmp_path / "late.epw", rows=lambda d: d[:FEB29.start] + d[FEB29.stop:FEB29.stop + 24]
                     + d[FEB29] + d[FEB29.stop + 24:])
    assert [e.detail for e in weather_problems(late)] == [
        "row 1417 is month 3, day 1, hour 1 (line 1425); expected 2/29 hour 1: rows must run 1 Jan hour 1 to "
        "31 Dec hour 24 in order (48 rows out of place)"]


def test_validate_says_once_which_weather_year_keeps_the_files_29_feb(tmp_path):
    f = _epw_2024(tmp_path / "amy2024.epw")
    site = bundled_site_copy(tmp_path, "chicago-il", "amy", weather={"file": str(f), "year": 2025})
    with pytest.warns(DcplanWarning) as rec:
        assert validate_file(site) == []
    texts = [str(w.message) for w in rec if "29 Feb" in str(w.message)]
    assert texts == [f"{site}: weather.year: 2025 is not a leap year, but the file amy2024.epw has 29 Feb (8,784 "
                     "hours, a leap year's record), so every run leaves its 29 Feb out (8,760 hours). Give "
                     "weather.year: 2024, the file's own year, to keep it"]
    # the file's own year: nothing to say
    own = bundled_site_copy(tmp_path, "chicago-il", "amy-own", weather={"file": str(f), "year": 2024})
    assert leap_year_warnings(load_site(own)) == []


def test_a_run_says_the_leap_day_once_not_again_in_the_loaders_words(tmp_path):
    """A rendered run records its site's warnings, then the notebook's; the loader's leap-day warning says
    what the site's already does (dcplan.report_execute drops it). A peer's, or another file's, stays."""
    f = _epw_2024(tmp_path / "amy2024.epw")
    site = bundled_site_copy(tmp_path, "chicago-il", "amy", weather={"file": str(f), "year": 2025})
    own = leap_year_warnings(load_site(site))
    with pytest.warns(DcplanWarning) as rec:
        load_weather(f, year=2025)
    (loader,) = [str(r.message) for r in rec]
    assert said_by_site(loader, own)
    assert not said_by_site(loader, [])
    assert not said_by_site(f"peer site Chicago (chi), ranked beside this site: {loader}", own)
    assert not said_by_site(loader.replace("amy2024.epw", "other.epw"), own)
    # the typical-year file in a leap year: the loader's other warning, the site's other text
    typ = bundled_site_copy(tmp_path, "chicago-il", "leap", weather={"year": 2028})
    with pytest.warns(DcplanWarning) as rec:
        load_weather(CHICAGO_EPW, year=2028)
    (copied,) = [str(r.message) for r in rec]
    assert said_by_site(copied, leap_year_warnings(load_site(typ)))
    assert re.match(LOADER_LEAP_WARNING, copied)["file"] == CHICAGO_EPW.name


@pytest.mark.slow
def test_a_rendered_run_of_a_leap_record_warns_once_and_climate_counts_366_days(tmp_path):
    f = _epw_2024(tmp_path / "amy2024.epw")
    sites = [bundled_site_copy(tmp_path, "chicago-il", f"y{y}", name=f"Chicago {y}",
                               weather={"file": str(f), "year": y}) for y in (2024, 2025)]
    (pf := tmp_path / "pf.yaml").write_text(yaml.safe_dump({"name": "t", "sites": [str(s) for s in sites]}))
    s = render(portfolio=pf, notebooks=["site_climate"], out=tmp_path / "r", jobs=1, progress=False)
    assert s.ok
    own = json.loads((tmp_path / "r" / "y2024" / "site_climate" / "results.json").read_text())
    other = json.loads((tmp_path / "r" / "y2025" / "site_climate" / "results.json").read_text())
    assert own["warnings"] == []
    assert other["warnings"] == leap_year_warnings(load_site(sites[1]))  # the site's text, not the loader's too
    # the same file, with and without its 29 Feb: 24 hours of 5.0 degC more in the mean of 2024 (hand sum)
    t25 = load_weather(CHICAGO_EPW, year=2025)["temp_air"]
    want = (t25.sum() + 24 * FEB29_DRY_DEGC) / 8784
    assert own["results"]["temp_air_mean_degc"]["value"] == pytest.approx(want, abs=1e-9)
    assert other["results"]["temp_air_mean_degc"]["value"] == pytest.approx(t25.mean(), abs=1e-9)
