"""A fixed PV array facing away from the equator is warned of (dcplan.specs.solar.pole_facing_warning).

A security reviewer gave Sand Point, AK (55.3 deg N) ``solar: {azimuth_deg: 0, tilt_deg: 40}`` (0 taken for
"south"); dcplan validate said ok. dcplan's azimuth is a bearing clockwise from north: 0 faces north."""
from __future__ import annotations

import warnings

import pytest
from conftest import bundled_site_copy

from dcplan.errors import DcplanWarning
from dcplan.site import load_site
from dcplan.specs.solar import SolarSpec, pole_facing_warning


def test_a_north_facing_tilted_array_in_the_north_is_warned_of():
    text = pole_facing_warning(SolarSpec(dc_kw=1000, azimuth_deg=0, tilt_deg=40), 55.33)
    assert text == ("solar.azimuth_deg: 0 deg faces 180 deg away from the equator (a bearing clockwise from north: "
                    "180 is south, 0 north) at latitude 55.33, so the array tilted 40 deg faces the northern sky and "
                    "gets much less sun; allowed: the bearing the array faces (180 faces the equator here; leave "
                    "azimuth_deg out for that)")


@pytest.mark.parametrize("azimuth, tilt, lat, warned", [
    (180, 40, 55.3, False),   # south-facing in the north
    (270, 40, 55.3, False),   # due west: 90 deg from the equator, not beyond
    (300, 40, 55.3, True),    # 120 deg from south
    (0, 10, 55.3, False),     # nearly flat: little lost
    (0, 30, -33.9, False),    # north-facing in the south: faces the equator
    (180, 30, -33.9, True),   # south-facing in the south
])
def test_which_arrays_face_away(azimuth, tilt, lat, warned):
    assert (pole_facing_warning(SolarSpec(dc_kw=1000, azimuth_deg=azimuth, tilt_deg=tilt), lat) is not None) == warned


def test_without_tilt_deg_the_default_fixed_tilt_is_checked():
    # dcplan.solar.default_orientation_deg: a fixed array tilts 20 deg when tilt_deg is left out
    text = pole_facing_warning(SolarSpec(dc_kw=2000, azimuth_deg=0), 35.9)
    assert text is not None and "so the array tilted 20 deg faces the northern sky" in text


def test_a_tracker_or_no_pv_is_not_checked():
    assert pole_facing_warning(SolarSpec(dc_kw=1000, azimuth_deg=0, tilt_deg=40, tracking=True), 55.3) is None
    assert pole_facing_warning(SolarSpec(dc_kw=0, azimuth_deg=0, tilt_deg=40), 55.3) is None


def test_dcplan_validate_warns_naming_the_site_file(tmp_path):
    from dcplan.validate import validate_file
    path = bundled_site_copy(tmp_path, "chicago-il", "c", solar={"dc_kw": 2000, "azimuth_deg": 0, "tilt_deg": 35})
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        load_site(path)
    with pytest.warns(DcplanWarning) as rec:
        assert validate_file(path) == []
    assert any(str(w.message).startswith(f"{path}: solar.azimuth_deg: 0 deg faces 180 deg away") for w in rec)
