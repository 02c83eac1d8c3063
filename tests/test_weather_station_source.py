"""A site's free-text weather.source is checked against the station number of the file's header.

The provenance a report prints is the site file's weather.source; a site file copied with only
weather.file changed kept the old station's text. When the text names a station number (WMO, USAF
or WBAN) of the series the header gives and it differs, loading the site's weather warns, naming the
site file, weather.source and both numbers. The numbers are those of the files' first lines
(EPW LOCATION ...,725300,...; TMY3 723170,"GREENSBORO ..."; TMY2 12839 MIAMI ...).
"""
from __future__ import annotations

import warnings

import pytest

from conftest import gc_noise as _gc_noise
import yaml

from conftest import CHICAGO_EPW, GREENSBORO_TMY3, MIAMI_TMY2, bundled_site_copy
from dcplan.errors import DcplanWarning
from dcplan.site import load_portfolio, load_site
from dcplan.weather import load_site_weather, load_weather, source_id_mismatch


@pytest.mark.parametrize("path, sid, kind", [(CHICAGO_EPW, "725300", "WMO"), (GREENSBORO_TMY3, "723170", "USAF"),
                                             (MIAMI_TMY2, "12839", "WBAN")])
def test_load_weather_keeps_the_headers_station_number(path, sid, kind):
    a = load_weather(path).attrs
    assert (a["station_id"], a["station_id_kind"]) == (sid, kind)


@pytest.mark.parametrize("text, number, kind, want", [
    ("Phoenix Sky Harbor Intl AP WMO 722780, EPW", "725300", "WMO", ("WMO", "722780")),
    ("Phoenix Sky Harbor Intl AP WMO 722780, EPW", "722780", "WMO", None),
    ("Greensboro NC WMO 723170", "723170", "USAF", None),      # a TMY3's USAF number, named as WMO
    ("Phoenix WMO 72278", "722780", "WMO", None),              # the 5-digit WMO number of the same station
    ("Phoenix WMO# 72278", "725300", "WMO", ("WMO", "72278")),
    ("Phoenix WMO 722780", "12839", "WBAN", None),             # another series: not compared
    ("Miami WBAN 12839", "12839", "WBAN", None),
    ("Tampa WBAN 12842", "12839", "WBAN", ("WBAN", "12842")),
    ("NREL TMY3, period of record 1973-2005", "725300", "WMO", None),  # no station number: nothing to compare
])
def test_source_id_mismatch(text, number, kind, want):
    assert source_id_mismatch(text, number, kind) == want


def test_the_bundled_sites_name_their_files_stations():
    pf = load_portfolio("default")
    with warnings.catch_warnings():
        warnings.simplefilter("error", DcplanWarning)
        for k in pf.ids:
            load_site_weather(pf[k])


def test_a_source_naming_another_station_warns_with_both_numbers(tmp_path):
    f = bundled_site_copy(tmp_path, "chicago-il", "chicago-copy")
    d = yaml.safe_load(f.read_text())
    d["weather"]["source"] = "NREL TMY3, Phoenix Sky Harbor Intl AP WMO 722780, EPW from EnergyPlus weather set"
    f.write_text(yaml.safe_dump(d, sort_keys=False))
    with pytest.warns(DcplanWarning) as rec:
        w = load_site_weather(load_site(f))
    assert w.attrs["station_id"] == "725300"
    assert [str(r.message) for r in rec if not _gc_noise(r)] == [
        f"{f}: weather.source names WMO 722780, but the header of the weather file {CHICAGO_EPW.name} gives WMO "
        "725300 (Chicago Ohare Intl Ap); allowed: a source naming the file's own station: correct weather.source "
        "or weather.file"]
