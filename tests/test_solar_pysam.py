"""Cross-check dcplan.solar against NREL PVWatts v8 (PySAM ``Pvwattsv8``, test-only peer).

Same system in both: 1000 kWdc, DC/AC 1.2, DC losses 14 %, inverter 96 %,
"standard" module, ground coverage ratio 0.3 (PVWatts v8 default; both models
self-shade at it), albedo 0.2 (TMY3: the file's albedo where valid, as SAM reads it).
Fixed: open rack (array_type 0), tilt = |latitude| rounded, facing south.
Tracking: horizontal N-S single axis with backtracking (array_type 3), limit 45 deg.

Measured (PySAM 7.1.1, pvlib 0.16.1): dcplan is 0.8 % below to 0.9 % above PVWatts v8
in annual energy on the six bundled files (1.1-2.0 % above before dcplan applied the glass
reflection loss to diffuse light). What is left, none of it a shading difference (the
shading loss itself agrees within 0.5 point, see
``test_self_shading_loss_matches_pvwatts_v8``): SAM's cover model passes about 2 points
more sky and 2-3 more ground light (its diffuse transmittance of plain glass is divided by
that of anti-reflective glass at normal incidence, see
``test_pvwatts_v8_cover_loss_on_diffuse_light``) and loses nothing on beam below about
60 deg (AR glass), against dcplan's plain-glass pvlib ``physical`` model on all three
components; the PVWatts v5 inverter curve raises dcplan by about 0.45 %. For the EPW files
PySAM 7.1.1 reads the minute field (0) and places the sun at the *start* of each hour
(``ts_shift_hours`` 0), where dcplan and SAM's TMY2/TMY3 readers use the middle; that
shifts EPW results by up to +0.9 % for south-facing arrays, about -1.9 % facing south-east
and +3.5 % facing south-west (``test_hourly_profile_matches_pvwatts_v8_same_data`` feeds SAM
the same frame with minute 30 and the hourly profiles then agree to r > 0.999).
"""
from __future__ import annotations

import warnings

import numpy as np
import pandas as pd
import pvlib
import pytest

from dcplan import solar
from dcplan.errors import DcplanWarning
from dcplan.weather import load_weather

from conftest import WEATHER

pvw = pytest.importorskip("PySAM.Pvwattsv8")

pytestmark = pytest.mark.slow

FILES = {
    "phoenix-epw": WEATHER / "USA_AZ_Phoenix-Sky.Harbor.Intl.AP.722780_TMY3.epw",
    "dulles-epw": WEATHER / "USA_VA_Sterling-Washington.Dulles.Intl.AP.724030_TMY3.epw",
    "chicago-epw": WEATHER / "USA_IL_Chicago-OHare.Intl.AP.725300_TMY3.epw",
    "greensboro-tmy3": WEATHER / "723170TYA.CSV",
    "miami-tmy2": WEATHER / "12839.tm2",
    "sandpoint-tmy3": WEATHER / "703165TY.csv",
}
DC_KW = 1000.0
SYSTEM = dict(dc_ac_ratio=1.2, losses_frac=0.14, inverter_eff_frac=0.96, gcr=0.3)
# "within 3 %" is the acceptance bound of issue 6 (measured -2.8 to +0.7 % over all systems)
TOL_ANNUAL = 0.03
# For the twelve reference cases (tilt = latitude / tracking, GCR 0.3, bundled files) dcplan
# is 0.992-1.009 x PVWatts v8 (1.011-1.020 before diffuse light got its reflection loss):
#   phoenix-epw 1.0023 / 1.0089, dulles-epw 0.9996 / 0.9995, chicago-epw 1.0011 / 0.9992,
#   greensboro-tmy3 0.9933 / 0.9946, miami-tmy2 0.9949 / 0.9970, sandpoint-tmy3 0.9944 /
#   0.9916 (fixed / tracking).
# A symmetric 3 % bound hides timing errors: weather labels shifted by a whole hour (either
# way) give 0.967-0.988 on every file. The band keeps the measured values with 0.16 point to
# spare below and 0.4 above, and fails a one-hour shift everywhere (the closest, chicago-epw
# fixed +1 h, 0.9884, by 0.16 point). The margin was 0.35-0.5 point while dcplan placed the
# sun at the middle of the sunrise and sunset hours (shifted: 0.962-0.982; band 0.986): the
# light a shifted file puts into an hour the sun sets in was then partly lost with the sun
# below the horizon. Half-hour shifts are caught by
# test_morning_afternoon_balance_matches_pvwatts_v8, one-hour shifts also by
# test_hourly_profile_matches_pvwatts_v8_same_data.
ANNUAL_BAND = (0.990, 1.013)

_cache: dict[str, pd.DataFrame] = {}


def weather(name: str) -> pd.DataFrame:
    """dcplan weather frame; TMY3 files get SAM's albedo (file value where 0 < a < 1, else 0.2)."""
    if name not in _cache:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            w = load_weather(FILES[name])
            if name.endswith("tmy3"):
                raw, _ = pvlib.iotools.read_tmy3(str(FILES[name]), map_variables=True)
                a = raw["albedo"].to_numpy(dtype=float)
                w["albedo"] = np.where((a > 0) & (a < 1), a, 0.2)
        _cache[name] = w
    return _cache[name]


def run_sam(resource, *, array_type, tilt_deg, azimuth_deg=180.0, gcr=0.3, dc_ac_ratio=1.2,
            losses_frac=0.14, inverter_eff_frac=0.96):
    """PVWatts v8 hourly AC [kW] and ts_shift_hours; resource = file path or data dict."""
    m = pvw.new()
    if isinstance(resource, dict):
        m.SolarResource.solar_resource_data = resource
    else:
        m.SolarResource.solar_resource_file = str(resource)
    sd = m.SystemDesign
    sd.system_capacity = DC_KW
    sd.array_type = array_type
    sd.tilt = tilt_deg
    sd.azimuth = azimuth_deg
    sd.gcr = gcr
    sd.dc_ac_ratio = dc_ac_ratio
    sd.losses = losses_frac * 100.0
    sd.inv_eff = inverter_eff_frac * 100.0
    sd.module_type = 0
    m.execute(0)
    # copy outputs while the model object is alive (reading them later crashes)
    ac_kw = np.array(m.Outputs.ac, dtype=float) / 1000.0
    shift_h = float(m.Outputs.ts_shift_hours)
    del m
    return ac_kw, shift_h


def sam_data(w: pd.DataFrame) -> dict:
    """The dcplan frame as SAM solar_resource_data: each hour at its midpoint (minute 30)."""
    a = w.attrs
    start = w.index - pd.Timedelta("1h")
    d = {"lat": a["latitude"], "lon": a["longitude"], "tz": a["utc_offset_h"], "elev": a["altitude_m"],
         "year": start.year, "month": start.month, "day": start.day, "hour": start.hour,
         "dn": w["dni"], "df": w["dhi"], "gh": w["ghi"], "tdry": w["temp_air"],
         "wspd": w["wind_speed"], "pres": w["pressure"] / 100.0, "tdew": w["temp_dew"]}
    d = {k: (float(v) if np.isscalar(v) else [float(x) for x in np.asarray(v)]) for k, v in d.items()}
    d["minute"] = [30.0] * len(w)
    if "albedo" in w:
        d["alb"] = [float(x) for x in w["albedo"]]
    return d


def ours(w, **kw):
    a = w.attrs
    return solar.pv_ac_kw(w, a["latitude"], a["longitude"], dc_kw=DC_KW,
                          elevation_m=a["altitude_m"], **kw).to_numpy()


MOUNTS = {
    "fixed": (0, dict(tracking=False)),
    "tracking": (3, dict(tracking=True, backtrack=True)),
}


def _tilt(w, mount):
    return float(round(abs(w.attrs["latitude"]))) if mount == "fixed" else 0.0


@pytest.mark.parametrize("mount", list(MOUNTS))
@pytest.mark.parametrize("name", list(FILES))
def test_annual_energy_matches_pvwatts_v8(name, mount):
    w = weather(name)
    array_type, kw = MOUNTS[mount]
    tilt = _tilt(w, mount)
    sam_kw, shift_h = run_sam(FILES[name], array_type=array_type, tilt_deg=tilt)
    pv_kw = ours(w, tilt_deg=tilt, **SYSTEM, **kw)
    # SAM's reader: TMY2/TMY3 hours at their midpoint, these EPWs (minute field 0) at their start
    assert shift_h == (0.0 if name.endswith("epw") else 0.5)
    ratio = pv_kw.sum() / sam_kw.sum()
    assert ANNUAL_BAND[0] < ratio < ANNUAL_BAND[1], f"{name} {mount}: dcplan/PVWatts v8 = {ratio:.4f}"


@pytest.mark.parametrize("mount", list(MOUNTS))
@pytest.mark.parametrize("name", list(FILES))
def test_annual_band_rejects_one_hour_shift(name, mount):
    # The band above exists to catch timing slips: weather labels moved by one hour either
    # way must leave it (measured 0.962-0.982, all below its lower edge).
    w = weather(name)
    array_type, kw = MOUNTS[mount]
    tilt = _tilt(w, mount)
    sam_kw, _ = run_sam(FILES[name], array_type=array_type, tilt_deg=tilt)
    for hours in (-1, 1):
        shifted = w.copy()
        shifted.index = pd.DatetimeIndex(w.index + pd.Timedelta(hours=hours), freq="h")
        ratio = ours(shifted, tilt_deg=tilt, **SYSTEM, **kw).sum() / sam_kw.sum()
        assert not ANNUAL_BAND[0] < ratio < ANNUAL_BAND[1], f"{name} {mount} {hours:+d} h: {ratio:.4f}"


@pytest.mark.parametrize("name", list(FILES))
def test_morning_afternoon_balance_matches_pvwatts_v8(name):
    # Timing check per half day: (dcplan/SAM before solar noon) / (dcplan/SAM after). SAM reads
    # the TMY2/TMY3 files itself (its own reader, hours at their midpoint); the EPW files, whose
    # minute field SAM takes as the sun's time, go to SAM as the dcplan frame at minute 30.
    # Measured 0.996-1.001 (fixed, tilt = latitude); labels shifted by half an hour give
    # 0.84-0.88 or 1.13-1.17, a whole hour more, so 1 % separates them with a wide margin.
    w = weather(name)
    tilt = _tilt(w, "fixed")
    src = sam_data(w) if name.endswith("epw") else FILES[name]
    sam_kw, shift_h = run_sam(src, array_type=0, tilt_deg=tilt)
    assert shift_h == 0.5
    pv_kw = ours(w, tilt_deg=tilt, **SYSTEM)
    am = np.asarray((w.index - pd.Timedelta("30min")).hour < 12)
    balance = (pv_kw[am].sum() / sam_kw[am].sum()) / (pv_kw[~am].sum() / sam_kw[~am].sum())
    assert abs(balance - 1) < 0.01, f"{name}: morning/afternoon ratio {balance:.4f}"


@pytest.mark.parametrize("name,mount", [(n, "fixed") for n in FILES] + [
    (n, "tracking") for n in ("phoenix-epw", "miami-tmy2", "sandpoint-tmy3")])
def test_self_shading_loss_matches_pvwatts_v8(name, mount):
    # Shading loss = 1 - E(gcr 0.3) / E(gcr 0.01), the same definition in both models
    # (gcr 0.01 is SAM's smallest). Measured agreement 0.0-0.5 percentage points on losses of
    # 1-7 %; 1 point tolerance. Without dcplan's shading the gap to SAM would be the whole loss.
    w = weather(name)
    array_type, kw = MOUNTS[mount]
    tilt = _tilt(w, mount)
    s3, _ = run_sam(FILES[name], array_type=array_type, tilt_deg=tilt, gcr=0.3)
    s0, _ = run_sam(FILES[name], array_type=array_type, tilt_deg=tilt, gcr=0.01)
    sys_ = {k: v for k, v in SYSTEM.items() if k != "gcr"}
    o3 = ours(w, tilt_deg=tilt, gcr=0.3, **sys_, **kw)
    o0 = ours(w, tilt_deg=tilt, gcr=0.01, **sys_, **kw)
    sam_loss = 1 - s3.sum() / s0.sum()
    our_loss = 1 - o3.sum() / o0.sum()
    assert sam_loss > 0.009  # a real loss to compare (1-7 % here)
    assert our_loss == pytest.approx(sam_loss, abs=0.01)


@pytest.mark.parametrize("name", ["phoenix-epw", "miami-tmy2", "sandpoint-tmy3"])
def test_hourly_profile_matches_pvwatts_v8_same_data(name):
    # SAM fed the dcplan frame itself, hours at their midpoint: annual within 2 %
    # (measured -0.4 to -0.7 %; +0.5 to +1.6 % before the diffuse reflection loss) and
    # hourly r > 0.999 (measured 0.9998); a one-hour misalignment drops r below 0.97
    # (measured 0.84-0.93), so the labels line up.
    w = weather(name)
    tilt = _tilt(w, "fixed")
    sam_kw, shift_h = run_sam(sam_data(w), array_type=0, tilt_deg=tilt)
    assert shift_h == 0.5
    pv_kw = ours(w, tilt_deg=tilt, **SYSTEM)
    assert abs(pv_kw.sum() / sam_kw.sum() - 1) < 0.02
    r = np.corrcoef(sam_kw, pv_kw)[0, 1]
    r_shift = max(np.corrcoef(sam_kw[1:], pv_kw[:-1])[0, 1], np.corrcoef(sam_kw[:-1], pv_kw[1:])[0, 1])
    assert r > 0.999
    assert r_shift < 0.97


@pytest.mark.parametrize("case", [
    dict(name="phoenix-epw", array_type=0, tilt_deg=20.0, gcr=0.5),
    dict(name="chicago-epw", array_type=0, tilt_deg=20.0, gcr=0.6),
    dict(name="chicago-epw", array_type=2, tilt_deg=0.0, gcr=0.4),   # true tracking, shaded
    dict(name="dulles-epw", array_type=0, tilt_deg=25.0, azimuth_deg=135.0),
    dict(name="dulles-epw", array_type=0, tilt_deg=25.0, dc_ac_ratio=1.5),
    dict(name="miami-tmy2", array_type=0, tilt_deg=10.0),
], ids=lambda c: "-".join(f"{v}" for v in c.values()))
def test_other_systems_match_pvwatts_v8(case):
    # Denser rows, true tracking with beam shading, a south-east azimuth, heavier clipping,
    # low tilt: all within the 3 % (measured -2.7 % to +0.1 %). The south-east array
    # on the Dulles EPW is the low one: SAM puts the sun at the start of each EPW hour, which
    # favours east-facing arrays; fed the dcplan frame (sun at mid-hour) SAM gives 0.992 for
    # it, as for the south-facing one.
    case = dict(case)
    w = weather(case.pop("name"))
    array_type = case.pop("array_type")
    sam_kw, _ = run_sam(FILES[[k for k in FILES if weather(k) is w][0]], array_type=array_type, **case)
    kw = dict(SYSTEM)
    kw.update(case)
    if array_type in (2, 3):
        kw.update(tracking=True, backtrack=array_type == 3)
    pv_kw = ours(w, **kw)
    assert abs(pv_kw.sum() / sam_kw.sum() - 1) < TOL_ANNUAL


@pytest.mark.parametrize("name", ["chicago-epw", "phoenix-epw"])
def test_tilted_tracker_axis_against_pvwatts_v8(name):
    """The basis of dcplan.specs.solar.TRACKER_AXIS_TILT_CHECKED_MAX_DEG (45 deg) and its warning.

    Backtracking N-S tracker (array_type 3), axis tilted toward the south. Measured (PySAM 7.1.1,
    pvlib 0.16.1), dcplan / PVWatts v8 annual energy::

        axis tilt       0       30      45      60      75      90
        chicago-epw   0.9992  1.0013  1.0003  0.9926  0.9748  0.9124
        phoenix-epw   1.0089  1.0089  1.0070  0.9986  0.9768  0.9219

    0-45 deg agree as the reference cases do (ANNUAL_BAND); steeper axes fall below PVWatts v8,
    about 2.5 % at 75 deg and 8-9 % at 90 (also without row shading: chicago-epw at GCR 0.01,
    90 deg, 0.940), which the warning above 45 deg says. Bands: the measured values +- 1 point.
    """
    w = weather(name)
    ratio = {}
    for tilt in (45.0, 75.0, 90.0):
        sam_kw, _ = run_sam(FILES[name], array_type=3, tilt_deg=tilt)
        if tilt > 45.0:
            with pytest.warns(DcplanWarning, match=rf"^tilt_deg: {tilt:g} deg is a single-axis tracker's axis tilt"):
                pv_kw = ours(w, tilt_deg=tilt, tracking=True, backtrack=True, **SYSTEM)
        else:
            pv_kw = ours(w, tilt_deg=tilt, tracking=True, backtrack=True, **SYSTEM)  # no warning (an error here)
        ratio[tilt] = pv_kw.sum() / sam_kw.sum()
    assert ANNUAL_BAND[0] < ratio[45.0] < ANNUAL_BAND[1]
    assert 0.965 < ratio[75.0] < 0.985
    assert 0.90 < ratio[90.0] < 0.93


@pytest.mark.parametrize("name", ["chicago-epw", "phoenix-epw", "greensboro-tmy3"])
def test_steep_fixed_tilt_against_pvwatts_v8(name):
    """The basis of dcplan.specs.solar.FIXED_TILT_CHECKED_MAX_DEG (75 deg) and its warning.

    Fixed open rack facing south, GCR 0.3. Measured (PySAM 7.1.1, pvlib 0.16.1), dcplan / PVWatts v8
    annual energy::

        tilt              60      75      80      85      90
        phoenix-epw     0.9993  0.9940  0.9823  0.9588  0.9561
        chicago-epw     0.9992  0.9943  0.9760  0.9400  0.9365
        greensboro-tmy3 0.9910  0.9850  0.9684  0.9348  0.9309

    Up to 75 deg within 1.6 %; steeper arrays fall below PVWatts v8 (5-7 % at 90, the vertical row's
    shading, dcplan.solar "Agreement with PVWatts v8"), which the warning above 75 deg says. Bands: the
    measured values +- 1 point.
    """
    w = weather(name)
    ratio = {}
    for tilt in (75.0, 90.0):
        sam_kw, _ = run_sam(FILES[name], array_type=0, tilt_deg=tilt)
        if tilt > 75.0:
            with pytest.warns(DcplanWarning, match=rf"^tilt_deg: {tilt:g} deg is a fixed array's tilt"):
                pv_kw = ours(w, tilt_deg=tilt, **SYSTEM)
        else:
            pv_kw = ours(w, tilt_deg=tilt, **SYSTEM)  # no warning (an error here)
        ratio[tilt] = pv_kw.sum() / sam_kw.sum()
    assert 0.974 < ratio[75.0] < 1.004
    assert 0.919 < ratio[90.0] < 0.965


def test_pvwatts_v8_gcr_range_is_the_spec_range():
    """dcplan.specs.solar.GCR_MAX (0.99) is PVWatts v8's: SSC refuses gcr 1.0 (rows touching) for a fixed
    array and a tracker alike, and runs at 0.99."""
    from dcplan.specs.solar import GCR_MAX
    assert GCR_MAX == 0.99
    for array_type in (0, 3):
        with pytest.raises(Exception, match=r"fail\(gcr, max=0\.99\)"):
            run_sam(FILES["phoenix-epw"], array_type=array_type, tilt_deg=20.0, gcr=1.0)
        assert run_sam(FILES["phoenix-epw"], array_type=array_type, tilt_deg=20.0, gcr=GCR_MAX)[0].sum() > 0


def test_pvwatts_v8_cover_loss_on_diffuse_light():
    # Pins what the docstrings of dcplan.solar and dcplan.solar_iam say of SAM's cover model.
    # Diffuse-only weather (DNI 0), fixed roof mount (no row shading), two albedos: SAM's
    # tpoa/poa separates into K_sky and K_gnd, which equal SSC's formula
    # (lib_pv_incidence_modifier.cpp, calculateIrradianceThroughCoverDeSoto, ar_glass):
    # plain-glass transmittance at Brandemuehl-Beckman's effective angles over the AR-coated
    # glass at normal incidence, capped at 1 (measured to 5 decimals at tilts 0-90 deg).
    # dcplan's factors (pvlib physical, plain glass, Marion integration) are about 2 points
    # lower for sky (measured 1.9-2.0) and 2-3 for ground (2.4 at 20 deg, 2.7 at 36 deg).
    from dcplan.solar_iam import diffuse_iam

    def tau(theta_deg, n_cover, n_in, k, thick):
        t1 = np.radians(theta_deg)
        t2 = np.arcsin(n_in / n_cover * np.sin(t1))
        r = 0.5 * (np.sin(t2 - t1) ** 2 / np.sin(t2 + t1) ** 2 + np.tan(t2 - t1) ** 2 / np.tan(t2 + t1) ** 2)
        return (1 - r) * np.exp(-k * thick / np.cos(t2)), np.degrees(t2)

    t_ar, t2 = tau(1.0, 1.3, 1.0, 4.0, 2e-5)
    tau_norm = t_ar * tau(t2, 1.526, 1.0, 4.0, 2e-3)[0]
    assert tau_norm == pytest.approx(0.93280, abs=1e-5)
    w = weather("greensboro-tmy3")
    n = len(w)
    for tilt in (20.0, 36.0):
        k = {}
        for alb in (0.01, 0.99):
            d = sam_data(w)
            d["dn"] = [0.0] * n
            d["gh"] = d["df"]
            d["alb"] = [alb] * n
            m = pvw.new()
            m.SolarResource.solar_resource_data = d
            sd = m.SystemDesign
            sd.system_capacity, sd.array_type, sd.tilt, sd.azimuth = DC_KW, 1, tilt, 180.0
            sd.dc_ac_ratio, sd.losses, sd.inv_eff, sd.module_type = 1.2, 14.0, 96.0, 0
            m.execute(0)
            k[alb] = (np.array(m.Outputs.poa, float), np.array(m.Outputs.tpoa, float),
                      np.array(m.Outputs.aoi, float))
            del m
        (p0, t0, aoi), (p1, t1, _) = k[0.01], k[0.99]
        g = (p1 - p0) / 0.98  # ground light per unit albedo (SAM's poa is linear in albedo)
        sel = (p0 > 20.0) & (aoi > 0.5) & (aoi < 89.5) & (g > 1.0)  # sun in front, SAM's cover on
        p0, t0, t1, g = p0[sel], t0[sel], t1[sel], g[sel]
        tg = (t1 - t0) / 0.98
        k_sky = (t0 - 0.01 * tg) / (p0 - 0.01 * g)
        k_gnd = tg / g
        th_sky = 59.7 - 0.1388 * tilt + 0.001497 * tilt ** 2
        th_gnd = 90.0 - 0.5788 * tilt + 0.002693 * tilt ** 2
        np.testing.assert_allclose(k_sky, min(1.0, tau(th_sky, 1.526, 1.0, 4.0, 2e-3)[0] / tau_norm), atol=1e-4)
        np.testing.assert_allclose(k_gnd, min(1.0, tau(th_gnd, 1.526, 1.0, 4.0, 2e-3)[0] / tau_norm), atol=1e-3)
        ours_sky, ours_gnd = diffuse_iam(tilt)
        assert 0.015 < np.median(k_sky) - ours_sky < 0.025
        assert 0.015 < np.median(k_gnd) - ours_gnd < 0.035


def _run_sam_hourly(path, tilt_deg):
    """PVWatts v8 on the file itself, fixed open rack facing south: sunup flag, aoi [deg], poa [W/m2], ac [kW]."""
    m = pvw.new()
    m.SolarResource.solar_resource_file = str(path)
    sd = m.SystemDesign
    sd.system_capacity, sd.array_type, sd.tilt, sd.azimuth, sd.gcr = DC_KW, 0, tilt_deg, 180.0, 0.3
    sd.dc_ac_ratio, sd.losses, sd.inv_eff, sd.module_type = 1.2, 14.0, 96.0, 0
    m.execute(0)
    out = {k: np.array(getattr(m.Outputs, k), float) for k in ("sunup", "aoi", "poa", "ac")}
    del m
    return out


@pytest.mark.parametrize("name", ["sandpoint-tmy3", "miami-tmy2", "greensboro-tmy3"])
def test_sunrise_and_sunset_hours_match_pvwatts_v8(name):
    """Hour by hour in the hours the sun rises or sets in (SAM's ``sunup`` 2 and 3, GHI > 0).

    SAM (SSC ``irrad::calc``) places the sun at the midpoint of the part of such an hour the sun is up; so does
    dcplan (:mod:`dcplan.solar_position`). Measured (PySAM 7.1.1, pvlib 0.16.1), |dcplan aoi - SAM aoi| in those
    hours: median 0.11-0.12 deg, largest 0.33-0.46 (the residue is the TMY's own year per month, which SAM keeps
    and dcplan's calendar year does not: 0.14-0.16 deg at the 95th percentile in the other hours too); with the
    sun at the hour's midpoint (the old convention) median 2.0-3.0 deg, 95th percentile 4.9-6.3.

    The plane-of-array light (after row shading, before cover loss) in those hours where SAM's Perez model runs
    (zenith <= 87.5 deg; SAM's zenith: its aoi on a horizontal array): sum 1.001-1.003 x SAM's, 90 % of the hours
    within 1.6-2.1 %; at the midpoint, 0.86-0.96 x, the 90th percentile 10-99 %. Above 87.5 deg SSC's ``perez``
    falls back to isotropic sky light and no ground-reflected light, where pvlib keeps Perez's model (its
    cos(zenith) held at cos 85 deg), so those hours are not compared (Sand Point: 1.26 x SAM's POA there).
    AC is not compared hour by hour: SAM's DC per transmitted POA falls at low sun (0.98 of its midday value
    below 80 deg zenith, 0.55-0.57 at 86-90 deg; its air-mass modifier), dcplan's does not.
    """
    w = weather(name)
    tilt = _tilt(w, "fixed")
    s = _run_sam_hourly(FILES[name], tilt)
    zen = _run_sam_hourly(FILES[name], 0.0)["aoi"]  # a horizontal array's aoi is the zenith SAM used
    a = w.attrs
    d = solar.pv_detail(w, a["latitude"], a["longitude"], dc_kw=DC_KW, tilt_deg=tilt, elevation_m=a["altitude_m"],
                        **SYSTEM)
    edge = np.isin(s["sunup"], (2, 3)) & (w["ghi"].to_numpy() > 0)
    assert edge.sum() > 400
    daoi = np.abs(d["aoi_deg"].to_numpy() - s["aoi"])[edge]
    assert np.median(daoi) < 0.2 and daoi.max() < 0.6, (np.median(daoi), daoi.max())
    same_perez = edge & (zen <= 87.5) & (s["poa"] > 1.0)
    assert same_perez.sum() > 100
    ours_poa, sam_poa = d["poa_global_w_per_m2"].to_numpy()[same_perez], s["poa"][same_perez]
    assert ours_poa.sum() / sam_poa.sum() == pytest.approx(1.0, abs=0.01)
    assert np.percentile(np.abs(ours_poa / sam_poa - 1.0), 90) < 0.04
