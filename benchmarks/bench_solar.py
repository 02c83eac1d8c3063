"""Benchmark dcplan.solar: one year of hourly PV (target < 0.5 s).

Baseline: NREL PVWatts v8 through PySAM (compiled C++ SSC), the same weather file
and system, timed for the whole call (model set-up, reading the file, simulation).
dcplan is timed from the already-loaded weather frame (``load_weather`` runs once
per site-year in the pipeline), with the solar position computed each time, and
again for the same site, whose solar position the process has memoised. ``ratio`` = PySAM time / dcplan time, so a value
below 1 means PySAM is faster.
"""
from __future__ import annotations

import statistics
import time
import warnings

from dcplan import solar
from dcplan.paths import data_path
from dcplan.weather import load_weather

FILE = data_path("weather", "USA_AZ_Phoenix-Sky.Harbor.Intl.AP.722780_TMY3.epw")
DC_KW = 1000.0


def _median_s(fn, n: int) -> float:
    fn()  # warm-up (imports, caches)
    ts = []
    for _ in range(n):
        t0 = time.perf_counter()
        fn()
        ts.append(time.perf_counter() - t0)
    return statistics.median(ts)


def _sam(array_type: int, tilt: float):
    import PySAM.Pvwattsv8 as pvw

    m = pvw.new()
    m.SolarResource.solar_resource_file = str(FILE)
    sd = m.SystemDesign
    sd.system_capacity = DC_KW
    sd.array_type = array_type
    sd.tilt = tilt
    sd.azimuth = 180.0
    sd.gcr = 0.3
    sd.dc_ac_ratio = 1.2
    sd.losses = 14.0
    sd.inv_eff = 96.0
    m.execute(0)
    e = m.Outputs.annual_energy
    del m
    return e


def run(quick: bool = False) -> list[dict]:
    n = 3 if quick else 7
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        w = load_weather(FILE)
    lat, lon = w.attrs["latitude"], w.attrs["longitude"]
    out = []
    for label, array_type, kw in (("fixed tilt", 0, dict(tilt_deg=33.0)),
                                  ("single-axis tracking", 3, dict(tilt_deg=0.0, tracking=True))):
        def cold():  # a new place each time: the solar position is computed, not memoised
            solar._SOLPOS_CACHE.clear()
            return solar.pv_ac_kw(w, lat, lon, dc_kw=DC_KW, gcr=0.3, **kw)

        ours = _median_s(cold, n)
        # the same place again (a sweep, a portfolio's other notebooks): memoised sun
        again = _median_s(lambda: solar.pv_ac_kw(w, lat, lon, dc_kw=DC_KW, gcr=0.3, **kw), n)
        try:
            base = _median_s(lambda: _sam(array_type, kw["tilt_deg"]), n)
            ratio = base / ours
            bname = f"PySAM Pvwattsv8 same file+system ({base:.3f} s)"
        except ImportError:
            ratio, bname = None, "PySAM Pvwattsv8 (not installed)"
        out.append({"name": f"solar.pv_ac_kw 8760 h {label}, self-shading", "value": ours,
                    "unit": "s", "target": "< 0.5 s", "baseline": bname, "ratio": ratio})
        out.append({"name": f"solar.pv_ac_kw 8760 h {label}, same site again (sun memoised)",
                    "value": again, "unit": "s", "target": "< 0.5 s", "baseline": bname,
                    "ratio": None if ratio is None else base / again})
    return out
