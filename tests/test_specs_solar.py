"""The ``solar:`` spec (dcplan.specs.solar): a percentage or a negative bearing typed into a PV field
is refused with the value meant; a steep tracker axis and tracker-only keys on a fixed array are
warned (``dcplan validate`` shows them on the file, which stays ok)."""
from __future__ import annotations

import re
import warnings

import pytest

from conftest import bundled_site_copy

from dcplan.errors import DcplanWarning, InputError
from dcplan.site import load_portfolio, load_site
from dcplan.specs.solar import (TRACKER_AXIS_TILT_CHECKED_MAX_DEG, TRACKER_ONLY_KEYS, SolarSpec,
                                site_solar_warnings, solar_warnings)
from dcplan.validate import validate_file

# ------------------------------------------------------------------ percent and bearing hints

# the hint is the value meant: x / 100 for a fraction or a ratio typed in %, the same bearing in
# [0, 360) for one below 0 (or exactly 360); the text matches the loader's existing hint on
# *_frac fields ("for 14 % write 0.14", dcplan.site_problems._percent_hint)
@pytest.mark.parametrize("solar, pattern", [
    (dict(albedo=20), r"solar\.albedo: Input should be less than or equal to 1 \(fraction\), got 20 "
                      r"\(a fraction: 0\.10 for 10 %; for 20 % write 0\.2\)"),
    # losses_frac < 1: 1 is refused, and 1 % is allowed, so 1 reads as 1 %
    (dict(losses_frac=1), r"solar\.losses_frac: Input should be less than 1 \(fraction\), got 1 "
                          r"\(a fraction: 0\.10 for 10 %; for 1 % write 0\.01\)"),
    (dict(losses_frac=14), r"solar\.losses_frac: Input should be less than 1 \(fraction\), got 14 "
                           r"\(a fraction: 0\.10 for 10 %; for 14 % write 0\.14\)"),
    (dict(inverter_eff_frac=96), r"solar\.inverter_eff_frac: Input should be less than or equal to 0\.995 "
                                 r"\(fraction\), got 96 "
                                 r"\(a fraction: 0\.10 for 10 %; for 96 % write 0\.96\)"),
    (dict(dc_ac_ratio=120), r"solar\.dc_ac_ratio: Input should be less than or equal to 3 \(ratio\), got 120 "
                            r"\(a ratio, not a percentage: for 120 % write 1\.2\)"),
    (dict(azimuth_deg=-10), r"solar\.azimuth_deg: Input should be greater than or equal to 0 deg, got -10 "
                            r"\(a bearing 0-360 clockwise from north: for -10 write 350\)"),
    (dict(azimuth_deg=360), r"solar\.azimuth_deg: Input should be less than 360 deg, got 360 "
                            r"\(a bearing 0-360 clockwise from north: for 360 write 0\)"),
    # one turn above the range: the same direction less 360
    (dict(azimuth_deg=400), r"solar\.azimuth_deg: Input should be less than 360 deg, got 400 "
                            r"\(a bearing 0-360 clockwise from north: for 400 write 40\)"),
])
def test_a_percentage_or_negative_bearing_says_the_value_meant(tmp_path, solar, pattern):
    f = bundled_site_copy(tmp_path, "chicago-il", "pv", solar=solar)
    with pytest.raises(InputError, match=pattern):
        load_site(f)


@pytest.mark.parametrize("solar, pattern", [
    # 1 is 100 % for an inverter (allowed 90-99.5 %): 1 % would be no hint at all
    (dict(inverter_eff_frac=1),
     r"inverter_eff_frac: Input should be less than or equal to 0\.995 \(fraction\), got 1$"),
    # 12 % would be a DC/AC ratio of 0.12, below the 0.8 allowed: no ratio hint
    (dict(dc_ac_ratio=12), r"dc_ac_ratio: Input should be less than or equal to 3 \(ratio\), got 12$"),
    # 800 deg: more than one turn above the range (400 reads as 40, one turn on), more likely a typo (80, 180?):
    # no guess
    (dict(azimuth_deg=800), r"azimuth_deg: Input should be less than 360 deg, got 800$"),
    (dict(albedo="20 %"), r"albedo: Input should be a valid number, got '20 %'$"),
])
def test_no_hint_where_a_percentage_reading_does_not_fit(tmp_path, solar, pattern):
    f = bundled_site_copy(tmp_path, "chicago-il", "pv", solar=solar)
    with pytest.raises(InputError) as e:
        load_site(f)
    assert re.search(pattern, str(e.value).splitlines()[0]), str(e.value)


@pytest.mark.parametrize("solar, pattern", [
    # every bound says its unit (a PV engineer's audit: "must be in [0, 1e+07], got -5" said none): the unit of
    # the field (kW, deg) or what the number is (a fraction, a ratio), after the bound as "[0, 40] K" elsewhere
    (dict(dc_kw=-5), r"solar\.dc_kw: Input should be greater than or equal to 0 kW, got -5$"),
    (dict(dc_kw=1.0e12), r"solar\.dc_kw: Input should be less than or equal to 10000000 kW, got 1000000000000\.0$"),
    (dict(tilt_deg=-1), r"solar\.tilt_deg: Input should be greater than or equal to 0 deg, got -1$"),
    (dict(max_angle_deg=0), r"solar\.max_angle_deg: Input should be greater than 0 deg, got 0$"),
    (dict(losses_frac=-0.1), r"solar\.losses_frac: Input should be greater than or equal to 0 \(fraction\), "
                             r"got -0\.1$"),
    (dict(gcr=0), r"solar\.gcr: Input should be greater than 0 \(ratio\), got 0$"),
    (dict(dc_ac_ratio=0.5), r"solar\.dc_ac_ratio: Input should be greater than or equal to 0\.8 \(ratio\), got 0\.5$"),
])
def test_a_bound_says_its_unit(tmp_path, solar, pattern):
    f = bundled_site_copy(tmp_path, "chicago-il", "pv", solar=solar)
    with pytest.raises(InputError) as e:
        load_site(f)
    assert re.search(pattern, str(e.value).splitlines()[0]), str(e.value)


def test_the_bounds_themselves_still_load():
    s = SolarSpec(dc_kw=1.0, albedo=1.0, losses_frac=0.99, inverter_eff_frac=0.995, dc_ac_ratio=3.0,
                  azimuth_deg=0.0)
    assert (s.albedo, s.losses_frac, s.dc_ac_ratio, s.azimuth_deg) == (1.0, 0.99, 3.0, 0.0)


# ------------------------------------------------------------------ warnings of a valid section

# Tracker axis tilts 0-45 deg were checked against PVWatts v8 (tests/test_solar_pysam.py,
# test_tilted_tracker_axis_against_pvwatts_v8); a vertical axis came out 8-9 % below it.
TILT_WARNING = ("solar.tilt_deg: 90 deg is a single-axis tracker's axis tilt, above the 0-45 deg checked against "
                "NREL PVWatts v8")


def test_a_tracker_axis_above_the_checked_range_is_warned(tmp_path):
    assert TRACKER_AXIS_TILT_CHECKED_MAX_DEG == 45.0
    f = bundled_site_copy(tmp_path, "phoenix-az", "steep", solar={"tilt_deg": 90})
    with pytest.warns(DcplanWarning, match=re.escape(f"{f}: {TILT_WARNING}") + r".*8-9 % at 90.*under-estimated"):
        assert validate_file(f) == []
    # the edge of the checked range, a fixed array at 90 deg, and no PV at all: no warning
    assert solar_warnings(SolarSpec(dc_kw=1.0, tracking=True, tilt_deg=45.0)) == []
    assert solar_warnings(SolarSpec(dc_kw=1.0, tracking=False, tilt_deg=90.0)) == []
    assert solar_warnings(SolarSpec(dc_kw=0.0, tracking=True, tilt_deg=90.0)) == []


@pytest.mark.parametrize("given, vals", [
    ({"max_angle_deg": 60}, "max_angle_deg 60 is ignored; allowed: leave it"),
    ({"backtrack": False}, "backtrack false is ignored; allowed: leave it"),
    ({"max_angle_deg": 60, "backtrack": False}, "max_angle_deg 60 and backtrack false are ignored; allowed: leave them"),
])
def test_tracker_only_keys_on_a_fixed_array_are_warned_as_ignored(tmp_path, given, vals):
    """Chicago (bundled) is a fixed array at 35 deg: a rotation limit or backtracking does nothing
    to it. A warning, not an error, as liquid-loop keys on an air plant (a sweep may switch tracking)."""
    assert set(given) <= set(TRACKER_ONLY_KEYS)
    f = bundled_site_copy(tmp_path, "chicago-il", "fixed-tracker-keys", solar=given)
    first = next(iter(given))
    with pytest.warns(DcplanWarning, match=re.escape(
            f"{f}: solar.{first}: applies only with tracking: true; this array is fixed (tracking: false), so {vals} "
            "out, or set solar.tracking: true")):
        assert validate_file(f) == []
    # given on a tracker they are used: no warning
    g = bundled_site_copy(tmp_path, "phoenix-az", "tracker-keys", solar=given)
    assert site_solar_warnings(load_site(g)) == []


def test_the_bundled_sites_have_no_solar_warning():
    with warnings.catch_warnings():
        warnings.simplefilter("error", DcplanWarning)
        for s in load_portfolio():
            assert site_solar_warnings(s) == []


def test_a_site_rebuilt_from_a_full_dump_does_not_warn_of_keys_it_never_gave():
    """``Site.model_validate(site.model_dump())`` marks every field as given, so a fixed array's
    default max_angle_deg 45 and backtrack true looked given: only values other than the default warn."""
    from dcplan.site import Site
    s = load_site("research-triangle-nc")
    assert not s.solar.tracking
    assert site_solar_warnings(Site.model_validate(s.model_dump())) == []
