"""``tariff.coincident_peaks`` stamps are checked as the site loads (dcplan.tariff_site.parse_peaks:
the site file alone), not first in ``dcplan validate`` or the pipeline (tester finding A4)."""
from __future__ import annotations

import pytest

from conftest import bundled_site_copy
from dcplan.site import SiteError, load_site


def test_a_stamp_the_clock_skips_is_refused_on_load(tmp_path):
    # 2025-03-09 02:30 does not exist in America/New_York (clocks go 02:00 -> 03:00)
    p = bundled_site_copy(tmp_path, "research-triangle-nc", "cp", tariff={"coincident_peaks": ["2025-03-09 02:30"]})
    with pytest.raises(SiteError) as e:
        load_site(p)
    assert e.value.problems == [("tariff.coincident_peaks[0]", "'2025-03-09 02:30' does not exist in America/New_York: "
                                 "the clocks skip it on 2025-03-09 (UTC offset -05:00 to -04:00); give a time that "
                                 "exists, e.g. '2025-03-09 03:00' (the first time after the skipped ones)")]


def test_a_stamp_outside_the_weather_year_is_refused_on_load(tmp_path):
    p = bundled_site_copy(tmp_path, "research-triangle-nc", "cp",
                          tariff={"coincident_peaks": ["2025-07-15 17:00", "2024-08-12 16:00"]})
    with pytest.raises(SiteError) as e:
        load_site(p)
    ((field, msg),) = e.value.problems
    assert field == "tariff.coincident_peaks[1]"
    assert msg.startswith("'2024-08-12 16:00' is not in the site's weather year 2025 (weather.year)")


def test_good_stamps_load(tmp_path):
    p = bundled_site_copy(tmp_path, "research-triangle-nc", "cp",
                          tariff={"coincident_peaks": ["2025-07-15 17:00", "2025-11-02 01:00-05:00"]})
    assert load_site(p).tariff.coincident_peaks
