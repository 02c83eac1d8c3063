"""Default orientation of a PV array: facing the equator (both hemispheres), and a tracker's
rotation axis horizontal unless a tilt is given."""
from __future__ import annotations

import warnings

import numpy as np
import pandas as pd
import pvlib
import pytest

from dcplan import solar
from dcplan.errors import DcplanWarning
from dcplan.site import load_site
from dcplan.specs.solar import SolarSpec

SYD_LAT, SYD_LON = -33.87, 150.0     # Sydney's latitude; lon 150 E in UTC+10: solar noon near 12:00


def _clearsky(lat, lon, tz, start, days):
    """Hourly interval-ending clear-sky weather (Ineichen at each hour's midpoint)."""
    idx = pd.date_range(pd.Timestamp(start, tz=tz) + pd.Timedelta("1h"), periods=24 * days, freq="h")
    mid = idx - pd.Timedelta("30min")
    with warnings.catch_warnings():  # pvlib 0.16 uses a pandas-deprecated DatetimeIndex.dayofyear
        warnings.simplefilter("ignore", FutureWarning)
        warnings.simplefilter("ignore", DeprecationWarning)
        cs = pvlib.location.Location(lat, lon, tz=tz).get_clearsky(mid, model="ineichen", linke_turbidity=3.0)
    return pd.DataFrame({"ghi": cs["ghi"].to_numpy(), "dni": cs["dni"].to_numpy(), "dhi": cs["dhi"].to_numpy(),
                         "temp_air": 20.0, "wind_speed": 2.0, "pressure": 101325.0}, index=idx)


@pytest.fixture(scope="module")
def sydney():
    return _clearsky(SYD_LAT, SYD_LON, "Etc/GMT-10", "2025-03-10", 3)


def test_southern_array_faces_the_equator_by_default(sydney):
    # An equator-facing array tilted at |latitude| lies parallel to the equatorial plane, so its
    # angle of incidence is cos(aoi) = cos(dec) cos(hour angle) (Duffie & Beckman, Solar
    # Engineering of Thermal Processes, eq. 1.6.7 with beta = |phi|), whatever the hemisphere.
    # Declination and equation of time from Spencer (1971), independent of the SPA the model
    # uses; 0.5 deg covers their error (~0.1 deg) and refraction with the sun above 15 deg.
    d = solar.pv_detail(sydney, SYD_LAT, SYD_LON, dc_kw=100.0, tilt_deg=abs(SYD_LAT), self_shading=False)
    mid = sydney.index - pd.Timedelta("30min")
    doy = mid.day_of_year.to_numpy()
    dec = pvlib.solarposition.declination_spencer71(doy)
    eot = pvlib.solarposition.equation_of_time_spencer71(doy)
    ha = np.radians(pvlib.solarposition.hour_angle(mid, SYD_LON, eot))
    expected = np.degrees(np.arccos(np.cos(dec) * np.cos(ha)))
    zen = pvlib.solarposition.get_solarposition(mid, SYD_LAT, SYD_LON)["apparent_zenith"].to_numpy()
    up = zen < 75.0
    assert up.sum() > 20
    np.testing.assert_allclose(d["aoi_deg"].to_numpy()[up], expected[up], atol=0.5)
    assert (d["surface_azimuth_deg"] == 0.0).all()


def test_site_default_azimuth_follows_the_latitude(sydney):
    # a site spec without azimuth_deg: the equator-facing array (explicit azimuth 0 in the south,
    # 180 in the north); an explicit azimuth stays as given
    site = load_site("research-triangle-nc")
    south = site.model_copy(update={"latitude": SYD_LAT, "longitude": SYD_LON,
                                    "solar": SolarSpec(dc_kw=1000.0, tilt_deg=34.0)})
    assert south.solar.azimuth_deg is None
    kw = dict(dc_kw=1000.0, tilt_deg=34.0, elevation_m=site.elevation_m)
    pd.testing.assert_series_equal(solar.pv_for_site(south, sydney),
                                   solar.pv_ac_kw(sydney, SYD_LAT, SYD_LON, azimuth_deg=0.0, **kw))
    pole = solar.pv_ac_kw(sydney, SYD_LAT, SYD_LON, azimuth_deg=180.0, **kw)
    assert solar.pv_for_site(south, sydney).sum() > 1.3 * pole.sum()
    explicit = south.model_copy(update={"solar": SolarSpec(dc_kw=1000.0, tilt_deg=34.0, azimuth_deg=180.0)})
    with pytest.warns(DcplanWarning, match="faces 180 deg away from the equator"):  # a pole-facing array
        pd.testing.assert_series_equal(solar.pv_for_site(explicit, sydney), pole)
    assert solar.default_orientation_deg(36.0, False) == (20.0, 180.0)
    assert solar.default_orientation_deg(-36.0, False) == (20.0, 0.0)


def test_tracker_axis_is_horizontal_by_default():
    # tracking without tilt_deg: a horizontal N-S axis. Its surface normal is always
    # perpendicular to the axis, so the surface faces due east or west (azimuth 90 / 270)
    # whenever it is tilted at all (pvlib.tracking.singleaxis convention); the same array with
    # explicit tilt_deg 0 gives identical output. A fixed array keeps its 20 deg default.
    w = _clearsky(33.45, -112.0, "Etc/GMT+7", "2025-06-13", 2)
    d = solar.pv_detail(w, 33.45, -112.0, dc_kw=100.0, tracking=True, gcr=0.35)
    tilted = d["surface_tilt_deg"].to_numpy() > 1e-6
    assert tilted.sum() > 10
    assert np.isin(np.round(d["surface_azimuth_deg"].to_numpy()[tilted], 6), [90.0, 270.0]).all()
    pd.testing.assert_frame_equal(d, solar.pv_detail(w, 33.45, -112.0, dc_kw=100.0, tracking=True, gcr=0.35,
                                                     tilt_deg=0.0))
    fixed = solar.pv_detail(w, 33.45, -112.0, dc_kw=100.0)
    assert (fixed["surface_tilt_deg"] == 20.0).all()
    # the site spec: tracking: true without tilt_deg is modelled with axis tilt 0
    site = load_site("phoenix-az")
    trk = site.model_copy(update={"solar": SolarSpec(dc_kw=1000.0, tracking=True, gcr=0.35)})
    pd.testing.assert_series_equal(solar.pv_for_site(trk, w),
                                   solar.pv_ac_kw(w, site.latitude, site.longitude, dc_kw=1000.0, tracking=True,
                                                  gcr=0.35, tilt_deg=0.0, elevation_m=site.elevation_m))
