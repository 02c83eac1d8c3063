"""A tariff of a site outside the US (international planner's findings 1 and 4): dcplan bills in USD only,
and says so; a ``startdate`` is epoch seconds (URDB's own form) or an ISO date, nothing else.

URDB API v8 (https://openei.org/services/doc/rest/util_rates/?version=8): ``country`` is the ISO 3166
alpha-3 code ("USA", as tests/data/tariff/urdb_api_response_two_items.json has it), ``startdate`` an
integer, seconds since 1970-01-01 UTC.
"""
from __future__ import annotations

import datetime as dt
import json
import re
import warnings

import pytest

from dcplan.errors import DcplanWarning, InputError
from dcplan.paths import data_path
from dcplan.tariff import Tariff
from dcplan.tariff_checks import rate_slip_message, startdate_day
from dcplan.tco_electricity import tariff_price_date
from dcplan.validate import validate_file

Z = [[0] * 24 for _ in range(12)]
#: The tester's F1/F2/F3 item (work/intl/mktariff.py), cut to one energy period: EUR prices, "country": "ITA".
ITEM = {"label": "test-ita", "country": "ITA", "startdate": "2026-01-01",
        "energyratestructure": [[{"rate": 0.15, "unit": "kWh"}]], "energyweekdayschedule": Z,
        "energyweekendschedule": Z}
COUNTRY = ("country: 'ITA' is not the USA, and dcplan bills in USD only: it reads every price of the file as USD, so "
           "prices in another currency are billed, compared with other sites and costed in the TCO as if they were "
           "dollars; convert the file's prices to USD first, then add \"currency\": \"USD\" to say they are")
CURRENCY = ("currency: 'EUR' is not allowed: dcplan bills in USD only and reads every price of the file as USD (bills, "
            "the TCO and the site comparison are in USD); convert the file's prices to USD first, then write "
            "\"currency\": \"USD\" (or leave the key out); allowed: \"USD\"")
FORMS = ("allowed: epoch seconds UTC as a number (URDB's own form: 1767225600 for 2026-01-01) or an ISO date "
         "'YYYY-MM-DD' (optionally with a time, '2026-01-01T00:00')")


def _write(tmp_path, **changes):
    item = {**ITEM, **changes}
    item = {k: v for k, v in item.items() if v is not None}
    f = tmp_path / "ita.json"
    f.write_text(json.dumps(item))
    return f


def _dcplan_warnings(fn, *a, **kw):
    with warnings.catch_warnings(record=True) as got:
        warnings.simplefilter("always")
        out = fn(*a, **kw)
    return out, [str(w.message) for w in got if issubclass(w.category, DcplanWarning)]


# ---------------------------------------------------------------- 1. currency
def test_a_tariff_of_another_country_warns_on_reading_and_in_validate(tmp_path):
    f = _write(tmp_path)
    _, texts = _dcplan_warnings(Tariff.from_urdb, f)
    assert texts == [f"{f} (item 'test-ita'): {COUNTRY}"]
    with pytest.warns(DcplanWarning, match=re.escape(f"{f} (item 'test-ita'): {COUNTRY}")):
        assert validate_file(f) == []


@pytest.mark.parametrize("changes", [dict(country="USA"), dict(country="usa"), dict(country=None),
                                     dict(currency="USD"), dict(currency="usd")])
def test_a_us_tariff_or_one_in_usd_reads_without_the_warning(tmp_path, changes):
    f = _write(tmp_path, **changes)
    _, texts = _dcplan_warnings(Tariff.from_urdb, f)
    assert texts == []


def test_a_currency_other_than_usd_is_refused_with_why(tmp_path):
    f = _write(tmp_path, currency="EUR", country="USA")
    with pytest.raises(InputError) as ei:
        Tariff.from_urdb(f)
    assert str(ei.value) == f"{f}: {CURRENCY}"
    assert [p.line() for p in validate_file(f)] == [f"{f}: {CURRENCY}"]  # not "unknown key"


def test_the_bundled_tariffs_read_without_a_currency_warning():
    for f in sorted(data_path("tariffs").glob("*.json")):
        with warnings.catch_warnings():
            warnings.simplefilter("error", DcplanWarning)
            Tariff.from_urdb(f)


def test_the_cents_hint_names_another_currency():
    # 25 typed for 0.25: cents (25 / 100 = 0.25), $/MWh (25 / 1000 = 0.025), or a price in another currency
    assert rate_slip_message(25.0) == (
        "energy rate 25 $/kWh is above 2 $/kWh, more than any retail tariff charges; allowed: 0 to 2 $/kWh. In cents "
        "per kWh divide by 100 (0.25 $/kWh); in $/MWh divide by 1000 (0.025 $/kWh); or a price in another currency: "
        "convert it to USD")


# ---------------------------------------------------------------- 4. startdate
def test_epoch_seconds_are_read_as_their_utc_date():
    # 1767225600 s = 20454 days x 86400 s; 20454 days after 1970-01-01 is 2026-01-01
    assert 1767225600 == 20454 * 86400 and dt.date(1970, 1, 1) + dt.timedelta(days=20454) == dt.date(2026, 1, 1)
    assert startdate_day(1767225600) == "2026-01-01"
    assert startdate_day(1767225600.0 - 1) == "2025-12-31"        # 23:59:59 UTC
    assert startdate_day(1388563200) == "2014-01-01"              # the URDB API response in tests/data
    assert startdate_day("2026-06-01") == startdate_day("2026-06-01T00:00") == "2026-06-01"


@pytest.mark.parametrize("value, why", [
    ("01/06/2026", " (day/month or month/day: the order cannot be told)"),
    ("1.6.2026", " (day/month or month/day: the order cannot be told)"),
    ("13/06/2026", " (day/month or month/day: the order cannot be told)"),
    ("June 2026", ""),
    (True, ""),
])
def test_other_startdates_are_refused_naming_the_file_field_and_forms(tmp_path, value, why):
    f = _write(tmp_path, startdate=value)
    want = f"{f}: startdate: {value!r} is not a date dcplan reads{why}; {FORMS}"
    with pytest.raises(InputError) as ei:
        Tariff.from_urdb(f)
    assert str(ei.value) == want
    with pytest.raises(InputError) as ei:           # the TCO's price date, read from the file alone
        tariff_price_date(f)
    assert str(ei.value) == f"ita.json: startdate: {value!r} is not a date dcplan reads{why}; {FORMS}"
    assert [p.line() for p in _dcplan_warnings(validate_file, f)[0]] == [want]


def test_an_impossible_iso_date_and_milliseconds_are_refused(tmp_path):
    f = _write(tmp_path, startdate="2026-13-01")
    assert [p.line() for p in _dcplan_warnings(validate_file, f)[0]] == [
        f"{f}: startdate: '2026-13-01' is not a date (month must be in 1..12); {FORMS}"]
    with pytest.raises(InputError, match=re.escape("1767225600000 epoch seconds is no date from 1900 to 2200: in "
                                                   f"milliseconds? divide by 1000; {FORMS}")):
        startdate_day(1767225600000)


def test_the_tco_price_date_of_an_epoch_startdate(tmp_path):
    f = _write(tmp_path, startdate=1767225600, country="USA")
    assert tariff_price_date(f)[0] == "2026-01-01"
    assert tariff_price_date(Tariff.from_urdb(f))[0] == "2026-01-01"
    assert validate_file(f) == []
