"""Cross-check dcplan.solar against NREL PVWatts v8 (PySAM ``Pvwattsv8``, test-only peer).

Same system in both: 1000 kWdc, DC/AC 1.2, DC losses 14 %, inverter 96 %,
"standard" module, ground coverage ratio 0.3 (PVWatts v8 default; both models
self-shade at it), albedo 0.2 (TMY3: the file's albedo where valid, as SAM reads it).
Fixed: open rack (array_type 0), tilt = |latitude| rounded, facing south.
Tracking: horizontal N-S single axis with backtracking (array_type 3), limit 45 deg.

Measured (PySAM 7.1.1, pvlib 0.16.1): dcplan is 0.5-2.0 % above PVWatts v8 in
annual energy on the six bundled files. Sources of the bias, none of them a
shading difference (the shading loss itself agrees within 0.7 points, see
``test_self_shading_loss_matches_pvwatts_v8``): PVWatts v8's CEC single-diode
module with De Soto air-mass and cover losses on beam and diffuse light vs
pvlib's linear ``pvwatts_dc`` with beam-only IAM; Sandia vs PVWatts v5 inverter
curves. For the EPW files PySAM 7.1.1 reads the minute field (0) and places the
sun at the *start* of each hour (``ts_shift_hours`` 0), where dcplan and SAM's
TMY2/TMY3 readers use the middle; that shifts EPW results by up to +0.9 %
(``test_hourly_profile_matches_pvwatts_v8_same_data`` feeds SAM the same frame
with minute 30 and the hourly profiles then agree to r > 0.999).
"""
from __future__ import annotations

import warnings

import numpy as np
import pandas as pd
import pvlib
import pytest

from dcplan import solar
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
# "within 3 %" is the acceptance bound of issue 6 (measured -0.7 to +2.0 % over all systems)
TOL_ANNUAL = 0.03
# For the twelve reference cases (tilt = latitude / tracking, GCR 0.3, bundled files) dcplan is
# +1.1 to +2.0 % above PVWatts v8, for known reasons that all raise dcplan: beam-only IAM
# (+0.8 % at Greensboro: SAM's cover-transmitted POA 1705.1 vs dcplan's effective 1718.8
# kWh/m2 from the same 1737 kWh/m2) and the PVWatts v5 inverter curve (+0.45 %: AC/DC 0.9565
# vs 0.9521). A symmetric 3 % bound hid timing errors: labels shifted by a whole hour still
# gave 0.983-1.002 on every file. The band below keeps the measured values with ~0.5 point to
# spare and fails on a one-hour shift everywhere; half-hour shifts are caught by
# test_morning_afternoon_balance_matches_pvwatts_v8.
ANNUAL_BAND = (1.005, 1.025)

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


@pytest.mark.parametrize("name", list(FILES))
def test_morning_afternoon_balance_matches_pvwatts_v8(name):
    # Timing check per half day: (dcplan/SAM before solar noon) / (dcplan/SAM after). SAM reads
    # the TMY2/TMY3 files itself (its own reader, hours at their midpoint); the EPW files, whose
    # minute field SAM takes as the sun's time, go to SAM as the dcplan frame at minute 30.
    # Measured 0.996-1.003 (fixed, tilt = latitude); labels shifted by half an hour give
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
    # (gcr 0.01 is SAM's smallest). Measured agreement 0.1-0.6 percentage points on losses of
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
    # (measured 0.5-1.6 %) and hourly r > 0.999 (measured 0.9996-0.9998); a one-hour
    # misalignment drops r below 0.97 (measured 0.86-0.96), so the labels line up.
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
    # low tilt: all within the 3 % (measured -0.7 % to +2.0 %).
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
