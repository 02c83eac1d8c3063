"""A site outside the US (international planner's findings 3, 5, 7, 8 and 10): coincident-peak stamps with
another zone's offset, an interconnection region of another country, old time-zone aliases, a zone far from
the site's longitude, a decimal comma, a day/month date, and a share computed an ulp above 1.

The test site is Bari, Italy (41.13 N, 16.87 E, Europe/Rome) on the bundled Chicago TMY3 data with its
LOCATION line relabelled to Bari (UTC+1), as the tester built it (work/intl/mkepw.py).
"""
from __future__ import annotations

import math
import re
import warnings

import pytest
import yaml

from conftest import bundled_site_copy
from dcplan.errors import DcplanWarning, InputError
from dcplan.paths import data_path
from dcplan.site import SiteError, load_site
from dcplan.validate import validate_file

CHICAGO_EPW = "USA_IL_Chicago-OHare.Intl.AP.725300_TMY3.epw"


def _bari(tmp_path, tz="Europe/Rome", **sections):
    """The Chicago site moved to Bari: weather relabelled (LOCATION only), a flat tariff unless ``sections``
    has a tariff, ``sections`` merged."""
    lines = (data_path("weather") / CHICAGO_EPW).read_text(encoding="latin-1").splitlines(keepends=True)
    lines[0] = "LOCATION,Pseudo Bari,,ITA,TEST,999991,41.13,16.87,1.0,201.0\n"
    epw = tmp_path / "bari.epw"
    epw.write_text("".join(lines), encoding="latin-1")
    p = bundled_site_copy(tmp_path, "chicago-il", "bari", **sections)
    d = yaml.safe_load(p.read_text())
    d.update(latitude=41.13, longitude=16.87, timezone=tz, elevation_m=150)
    if "grid_carbon_kg_per_mwh" not in sections:  # not Chicago's eGRID figure (a US grid's: warned of abroad)
        d["grid_carbon_kg_per_mwh"] = 300.0  # TEST figure
    d["weather"].update(file=str(epw), source="TEST: Chicago TMY3 relabelled to Bari")
    if "tariff" not in sections:  # (stamps: the bundled ComEd file, PJM's coincident peaks)
        d["tariff"] = {"flat_usd_per_kwh": 0.15, "source": "test"}
    p.write_text(yaml.safe_dump(d, sort_keys=False))
    return p


def _problems(p):
    with pytest.raises(SiteError) as ei:
        load_site(p)
    return ei.value.problems


# ---------------------------------------------------------------- 3. coincident_peaks with a UTC offset
def test_a_stamp_with_another_zones_offset_is_refused(tmp_path):
    # '2025-10-26 02:00-05:00' is 07:00 UTC, 08:00 in Rome (CET, +01:00 after 03:00 CEST): 6 h from 02:00
    p = _bari(tmp_path, tariff={"coincident_peaks": ["2025-07-15 18:00", "2025-10-26 02:00-05:00"]})
    assert _problems(p) == [("tariff.coincident_peaks[1]",
                             "'2025-10-26 02:00-05:00' has UTC offset -05:00, but the site's zone Europe/Rome is at "
                             "+01:00 at that instant (it is 2025-10-26 08:00+01:00 there, 6 h from the time written); "
                             "on 2025-10-26 Europe/Rome keeps UTC offsets +02:00 and +01:00 (a daylight-saving "
                             "change). A stamp with an offset is an exact instant: write that instant in the site's "
                             "local time, '2025-10-26 08:00+01:00', or without an offset ('2025-10-26 08:00'): the "
                             "same system peak")]


def test_a_utc_stamp_in_summer_is_refused_with_the_zones_offset(tmp_path):
    # 18:00 UTC is 20:00 CEST (+02:00 all of July)
    p = _bari(tmp_path, tariff={"coincident_peaks": ["2025-07-15 18:00Z"]})
    assert _problems(p) == [("tariff.coincident_peaks[0]",
                             "'2025-07-15 18:00Z' has UTC offset +00:00, but the site's zone Europe/Rome is at +02:00 "
                             "at that instant (it is 2025-07-15 20:00+02:00 there, 2 h from the time written); on "
                             "2025-07-15 Europe/Rome keeps UTC offset +02:00. A stamp with an offset is an exact "
                             "instant: write that instant in the site's local time, '2025-07-15 20:00+02:00', or "
                             "without an offset ('2025-07-15 20:00'): the same system peak")]


def test_the_ambiguous_and_skipped_hours_give_examples_in_the_sites_zone(tmp_path):
    # EU summer time ends 2025-10-26 03:00 CEST (02:00-03:00 twice) and starts 2025-03-30 02:00 CET (02:xx skipped)
    p = _bari(tmp_path, tariff={"coincident_peaks": ["2025-10-26 02:30", "2025-03-30 02:30"]})
    assert _problems(p) == [
        ("tariff.coincident_peaks[0]", "'2025-10-26 02:30' occurs twice in Europe/Rome: the clocks go back on "
                                       "2025-10-26 (UTC offset +02:00 to +01:00); give its UTC offset, "
                                       "'2025-10-26 02:30+02:00' or '2025-10-26 02:30+01:00' (the first and the "
                                       "second time)"),
        ("tariff.coincident_peaks[1]", "'2025-03-30 02:30' does not exist in Europe/Rome: the clocks skip it on "
                                       "2025-03-30 (UTC offset +01:00 to +02:00); give a time that exists, e.g. "
                                       "'2025-03-30 03:00' (the first time after the skipped ones)")]


def test_stamps_with_the_zones_own_offsets_load(tmp_path):
    p = _bari(tmp_path, tariff={"coincident_peaks": ["2025-10-26 02:00+02:00", "2025-10-26 02:00+01:00",
                                                     "2025-07-15 18:00+02:00"]})
    assert len(load_site(p).tariff.coincident_peaks) == 3
    from dcplan.tariff_site import parse_peaks
    stamps, probs = parse_peaks(load_site(p))
    assert probs == [] and [str(t) for t in stamps] == ["2025-10-26 02:00:00+02:00", "2025-10-26 02:00:00+01:00",
                                                        "2025-07-15 18:00:00+02:00"]


# ---------------------------------------------------------------- 5. region of another country
@pytest.mark.parametrize("region, country, name", [
    ("sg-singapore", "SG (Singapore)", "Singapore"),
    ("va-dominion", "US (United States)", "Northern Virginia (Dominion Energy Virginia)")])
def test_a_region_of_another_country_warns(tmp_path, region, country, name):
    # the countries by name (tzdata's iso3166.tab): VA is Vatican City, not Virginia
    p = _bari(tmp_path, interconnection={"region": region})
    want = (f"{p}: interconnection.region: {region!r} ({name}) is a region of {country} (data/interconnection.csv, "
            "column country), but the site's timezone 'Europe/Rome' is a zone of IT (Italy), SM (San Marino), "
            "VA (Vatican City) (ISO 3166 country codes; the tz database's zone.tab, zone1970.tab and iso3166.tab): "
            "its wait from filing to energization is another country's grid; give the region of the site's grid. "
            "For a region the table has no row for")
    with pytest.warns(DcplanWarning, match=re.escape(want)):
        assert validate_file(p) == []


def test_the_bundled_sites_regions_are_their_countrys():
    from dcplan.grid_lead_time import region_country_warning
    for f in sorted(data_path("sites").glob("*.yaml")):
        site = load_site(f)
        assert site.interconnection.region and region_country_warning(site) is None, f


def test_a_us_utilitys_tariff_on_a_site_abroad_warns(tmp_path):
    """The Bari site on the bundled ComEd rate (a URDB file, no country: a US utility's) said nothing: its
    prices, time-of-use hours and demand charges would be billed as the Italian grid's."""
    p = _bari(tmp_path, tariff={})  # the Chicago site's tariff section kept: the bundled ComEd file
    want = (f"{p}: tariff.file: comed-il-large-load.json is Commonwealth Edison Co's rate, a US utility's (no "
            "country: URDB is the US Utility Rate Database), but the site's timezone 'Europe/Rome' is a zone of IT "
            "(Italy), SM (San Marino), VA (Vatican City): its prices, time-of-use hours and demand charges are "
            "another country's grid's.")
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        assert validate_file(p) == []
    said = [str(w.message) for w in caught if issubclass(w.category, DcplanWarning)]
    assert sum(t.startswith(want) for t in said) == 1  # (beside the ComEd region's warning: another test's)


def test_a_flat_tariff_abroad_a_us_rate_at_home_and_a_rate_of_the_sites_country_do_not_warn(tmp_path):
    import json

    from dcplan.site_slips import tariff_country_warnings
    for sub in ("flat", "it"):
        (tmp_path / sub).mkdir()
    assert tariff_country_warnings(load_site(_bari(tmp_path / "flat"))) == []
    for f in sorted(data_path("sites").glob("*.yaml")):  # the bundled US sites on their US utilities' rates
        assert tariff_country_warnings(load_site(f)) == [], f
    item = json.loads((data_path("tariffs") / "comed-il-large-load.json").read_text())
    item = item["items"][0] if "items" in item else item
    item.update(country="ITA", currency="USD", utility="An Italian utility (TEST)")
    rate = tmp_path / "it.json"
    rate.write_text(json.dumps(item))
    p = _bari(tmp_path / "it", tariff={"file": str(rate)})
    assert tariff_country_warnings(load_site(p)) == []


def test_a_us_egrid_carbon_figure_on_a_site_abroad_warns_and_the_sites_own_does_not(tmp_path):
    """A copy of the Chicago site moved to Bari kept its 453.6 kg/MWh (EPA eGRID2022 RFCW: 1000.053 lb/MWh x
    0.45359237) and said nothing: every carbon figure was a US grid's."""
    from dcplan.site_slips import grid_carbon_country_warnings
    for sub in ("copy", "own"):
        (tmp_path / sub).mkdir()
    copy = load_site(_bari(tmp_path / "copy", grid_carbon_kg_per_mwh=453.6))
    (text,) = grid_carbon_country_warnings(copy)
    assert text.startswith(f"{copy.source_file}: grid_carbon_kg_per_mwh: 453.6 kg/MWh is EPA eGRID2022's RFCW "
                           "subregion average, a US grid's (data/SOURCES.md), but the site's timezone 'Europe/Rome' "
                           "is a zone of IT (Italy)")
    assert grid_carbon_country_warnings(load_site(_bari(tmp_path / "own"))) == []  # the site's own figure
    for f in sorted(data_path("sites").glob("*.yaml")):  # the bundled US sites on their own subregions' figures
        assert grid_carbon_country_warnings(load_site(f)) == [], f


# ---------------------------------------------------------------- 8. time zones
@pytest.mark.parametrize("alias, zone", [("Asia/Calcutta", "Asia/Kolkata"), ("Australia/NSW", "Australia/Sydney"),
                                         ("Australia/Canberra", "Australia/Sydney"), ("Japan", "Asia/Tokyo")])
def test_old_aliases_are_refused_with_their_zone(alias, zone):
    from dcplan.site_timezone import timezone_name_problem
    assert timezone_name_problem(alias) == (
        f"{alias!r} is an old alias of {zone!r} (the tz database's 'backward' names); allowed: an IANA Region/City "
        f"zone: use {zone!r} (the same clock rules)")


def test_a_countrys_zone_that_is_a_link_is_still_a_zone():
    # Europe/Copenhagen links to Europe/Berlin since tz 2022b, but zone.tab keeps it as Denmark's zone
    from dcplan.site_timezone import timezone_name_problem
    assert timezone_name_problem("Europe/Copenhagen") is None and timezone_name_problem("Europe/Rome") is None


def test_the_fallback_alias_table_matches_the_tz_database():
    from dcplan.site_timezone import _COMMON_ALIASES, _link_targets
    links = _link_targets()
    if not links:
        pytest.skip("no tzdata.zi to check against")
    assert {k: links.get(k) for k in _COMMON_ALIASES} == _COMMON_ALIASES


def test_a_zone_far_from_the_sites_longitude_says_how_far(tmp_path):
    from dcplan.site_station import station_offset_warning
    site = load_site(_bari(tmp_path, tz="Europe/London"))
    # the sun at 16.87 E: 16.87 / 15 = 1.1247 h ahead of UTC. London's zone city (zone1970.tab +513030-0000731:
    # 51.5083 N, 0.1253 W), great-circle on a 6371 km sphere:
    p1, p2 = math.radians(41.13), math.radians(51 + 30 / 60 + 30 / 3600)
    dl = math.radians(-(7 / 60 + 31 / 3600) - 16.87)
    km = 2 * 6371.0 * math.asin(math.sqrt(math.sin((p2 - p1) / 2) ** 2 + math.cos(p1) * math.cos(p2)
                                          * math.sin(dl / 2) ** 2))
    assert station_offset_warning(site, 0.0, 1.0).endswith(
        "; the sun at the site's longitude 16.87 keeps UTC+1.12 h (longitude / 15), 1.12 h from the zone's UTC+0 h, "
        f"and the nearest zone city on UTC+0 h, London, is {km:,.0f} km away: check timezone")


# ---------------------------------------------------------------- 10. a decimal comma, a day/month date
def test_a_decimal_comma_in_the_site_file_gets_the_hint(tmp_path):
    p = _bari(tmp_path)
    p.write_text(p.read_text().replace("flat_usd_per_kwh: 0.15", "flat_usd_per_kwh: 0,12"))
    assert ("tariff.flat_usd_per_kwh", "Input should be a valid number, got '0,12': YAML reads 0,12 as text, not a "
            "number (a decimal comma: YAML numbers take a '.' before the decimals): write 0.12") in _problems(p)


@pytest.mark.parametrize("text, fix", [("1,5", "1.5"), ("-0,125", "-0.125"), ("12,25", "12.25")])
def test_decimal_commas_and_thousands(text, fix):
    from dcplan.site_problems import _text_number_hint
    assert _text_number_hint({"type": "float_parsing", "input": text}).endswith(f": write {fix}")
    # a group of three digits stays a thousands separator (as before)
    assert _text_number_hint({"type": "float_parsing", "input": "5,000"}).endswith(
        "(a comma is no part of a YAML number): write 5000")


@pytest.mark.parametrize("stamp", ["01/01/2025 00:15", "13.01.2025 00:15"])
def test_a_day_month_date_in_a_load_csv_asks_for_iso(tmp_path, stamp):
    from dcplan.cli_bill import read_load_csv
    f = tmp_path / "load.csv"
    f.write_text(f"timestamp,kw\n{stamp},100\n2025-01-02 01:00,100\n")
    with pytest.raises(InputError) as ei:
        read_load_csv(str(f), tz="Europe/Rome")
    assert (f"timestamp: row 2: timestamp {stamp!r} is not ISO 8601 (day/month or month/day dates are not read: "
            "their order is ambiguous; write YYYY-MM-DD); accepted:") in str(ei.value)


# ---------------------------------------------------------------- 7. a share an ulp above 1
def test_a_fraction_an_ulp_above_one_publishes_without_a_warning():
    from dcplan.results import record
    share = sum([524 / 7] * 7) / 524          # 524 h of 524, summed in floating point
    assert share > 1.0 and share - 1.0 < 1e-15
    with warnings.catch_warnings():
        warnings.simplefilter("error", DcplanWarning)
        assert record("rolling_demand_saving_above_site_frac", share)["value"] == share
        record("x_frac", -share)
    with pytest.warns(DcplanWarning, match=r"publish\('x_frac'\): the fraction 1.001 shows as"):
        record("x_frac", 1.001)


def test_a_site_tariff_in_another_currency_is_refused_saying_dcplan_bills_in_usd(tmp_path):
    """A planner outside the US wrote ``tariff: {currency: EUR}`` in a site file and was told only
    'unknown key'; it now says dcplan's rule (USD is accepted, the default)."""
    from conftest import bundled_site_copy
    from dcplan.site import SiteError, load_site
    assert load_site(bundled_site_copy(tmp_path, "phoenix-az", "p-usd", tariff={"currency": "USD"})).tariff.currency \
        == "USD"
    p = bundled_site_copy(tmp_path, "phoenix-az", "p-eur", tariff={"currency": "EUR"})
    import pytest
    with pytest.raises(SiteError) as e:
        load_site(p)
    assert e.value.problems == [("tariff.currency", "dcplan bills in USD only and reads every price as USD, got "
                                                    "'EUR': convert the prices to USD first; allowed: USD")]
