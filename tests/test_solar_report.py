"""dcplan.solar_report: the solar: fields a site's PV uses, and its monthly energy, peak and clipping."""
from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from dcplan.pipeline import site_weather
from dcplan.site import load_site
from dcplan.solar import pv_detail, pv_for_site
from dcplan.solar_report import pv_monthly_table, solar_inputs_table
from dcplan.sweep_overrides import apply_overrides


def _by_field(t: pd.DataFrame) -> dict:
    return {r.field.removeprefix("solar."): (r.value, r.source, r.note) for r in t.itertuples()}


def test_inputs_table_marks_the_site_files_fields():
    """data/sites/chicago-il.yaml's solar: is {dc_kw: 500, tilt_deg: 35}; everything else is left out. Defaults
    as published: losses 14 % and inverter 96 % (PVWatts v5 manual, Dobos 2014), GCR 0.3, rotation limit 45 deg,
    albedo 0.2 (PVWatts v8, SSC cmod_pvwattsv8), DC/AC 1.2; azimuth facing the equator at 41.98 N: 180."""
    t = solar_inputs_table(load_site("chicago-il"))
    assert len(t) == 13 and list(t.columns) == ["field", "value", "unit", "source", "note"]
    f = _by_field(t)
    assert {k for k, (_, src, _) in f.items() if src == "site file"} == {"dc_kw", "tilt_deg"}
    assert f["dc_kw"][0] == 500.0 and f["tilt_deg"][0] == 35.0
    assert f["azimuth_deg"][:2] == (180.0, "default")
    assert [f[k][0] for k in ("losses_frac", "inverter_eff_frac", "gcr", "max_angle_deg", "albedo",
                              "dc_ac_ratio")] == [0.14, 0.96, 0.3, 45.0, 0.2, 1.2]
    assert f["tracking"][0] is False
    # a fixed array does not read the tracker's keys
    assert f["max_angle_deg"][2].startswith("not used: a fixed array") and f["backtrack"][2].startswith("not used")
    assert t.set_index("field").loc["solar.dc_kw", "unit"] == "kW"


def test_inputs_table_of_a_tracker_and_of_no_pv():
    """Phoenix's solar: {dc_kw: 5000, tilt_deg: 0, tracking: true, gcr: 0.35}: the tracker's keys are used."""
    site = load_site("phoenix-az")
    f = _by_field(solar_inputs_table(site))
    assert {k for k, (_, src, _) in f.items() if src == "site file"} == {"dc_kw", "tilt_deg", "tracking", "gcr"}
    assert f["gcr"][0] == 0.35 and f["max_angle_deg"][2] == "" and f["tilt_deg"][2] == "the tracker's rotation axis"
    none = _by_field(solar_inputs_table(apply_overrides(site, {"solar.dc_kw": 0})))
    assert all(note.startswith("not used: no PV") for k, (_, _, note) in none.items() if k != "dc_kw")
    # a tracking override drops the file's tilt (dcplan.sweep_overrides): the tilt used is the default
    flipped = _by_field(solar_inputs_table(apply_overrides(site, {"solar.tracking": False})))
    assert flipped["tilt_deg"][:2] == (20.0, "default")


def test_monthly_clipping_by_hand(monkeypatch):
    """Two hours in January, one in February, of an array of 1000 kWdc, DC/AC 1.25 (AC rating 800 kW),
    inverter 96 % (full DC input 800 / 0.96 = 833.33 kW):
    Jan: DC 900 kW (clipped 66.67 kW for 1 h), AC 800; DC 500, AC 480 -> PV 1.280 MWh, peak 800, 1 h clipped.
    Feb: DC 850 kW (clipped 16.67), AC 800 -> 0.800 MWh, peak 800. Months with no hours are not rows."""
    import dcplan.solar_report as sr
    site = apply_overrides(load_site("chicago-il"),
                           {"solar.dc_kw": 1000, "solar.dc_ac_ratio": 1.25, "solar.inverter_eff_frac": 0.96})
    idx = pd.DatetimeIndex(["2025-01-10 12:00", "2025-01-10 13:00", "2025-02-10 12:00"], tz="America/Chicago")
    det = pd.DataFrame({"dc_kw": [900.0, 500.0, 850.0], "pv_kw": [800.0, 480.0, 800.0]}, index=idx)
    monkeypatch.setattr(sr, "_site_pv_detail", lambda site, weather: det)
    wx = pd.DataFrame(index=pd.date_range("2025-01-01 01:00", periods=3, freq="h", tz="America/Chicago"))
    t = pv_monthly_table(site, wx)
    assert list(t.index) == [1, 2]
    assert t.loc[1, "pv_mwh"] == pytest.approx(1.280) and t.loc[2, "pv_mwh"] == pytest.approx(0.800)
    assert (t["peak_pv_kw"] == 800.0).all() and (t["ac_rating_kw"] == 800.0).all()
    assert t.loc[1, "clipped_dc_mwh"] == pytest.approx((900 - 800 / 0.96) / 1000, rel=1e-12)
    assert t.loc[2, "clipped_dc_mwh"] == pytest.approx((850 - 800 / 0.96) / 1000, rel=1e-12)
    assert list(t["clipped_h"]) == [1.0, 1.0]
    # clipped_frac is DC over DC: the clipped DC over the array's DC before the inverter's cap,
    # Jan (900 - 833.33) / (900 + 500) = 66.67 / 1400 = 0.047619, Feb 16.67 / 850 = 0.019608. Over AC + clipped DC
    # (the old ratio) January gave 66.67 / 1346.67 = 0.049505, 4 % higher: AC is DC less the inverter's loss.
    assert t.loc[1, "dc_mwh"] == pytest.approx(1.400) and t.loc[2, "dc_mwh"] == pytest.approx(0.850)
    assert t.loc[1, "clipped_frac"] == pytest.approx((900 - 800 / 0.96) / 1400, rel=1e-12)
    assert t.loc[1, "clipped_frac"] == pytest.approx(0.047619, abs=5e-7)
    assert t.loc[2, "clipped_frac"] == pytest.approx((850 - 800 / 0.96) / 850, rel=1e-12)


def test_monthly_table_on_the_real_year_against_pvlib():
    """Chicago's array at DC/AC 1.6 (a heavily loaded inverter, so it clips): the months add up to the year
    pv_for_site gives; the AC the cap takes away, from the PVWatts v5 inverter curve without its cap
    (Dobos 2014 eq. 2: eta = eta_nom / 0.9637 x (-0.0162 zeta - 0.0059 / zeta + 0.9858), zeta = P_dc / P_dc0),
    is the clipped DC times the curve's marginal efficiency above full load, d(eta P_dc)/dP_dc =
    0.96 / 0.9637 x (0.9858 - 0.0324 zeta): 0.950 at zeta 1, 0.940 at 1.3 (the DC after losses reaches about
    1.1 x P_dc0 at DC/AC 1.6);
    a month that clips peaks at the AC rating exactly; a lighter-loaded inverter clips less."""
    base = load_site("chicago-il")
    site = apply_overrides(base, {"solar.dc_ac_ratio": 1.6})
    w = site_weather(site)
    t = pv_monthly_table(site, w)
    assert t["pv_mwh"].sum() == pytest.approx(float(pv_for_site(site, w).sum()) / 1000, rel=1e-9)
    ac_rating = 500 / 1.6
    s = site.solar
    det = pv_detail(w, site.latitude, site.longitude, dc_kw=s.dc_kw, tilt_deg=s.tilt_deg, dc_ac_ratio=1.6,
                    gcr=s.gcr, elevation_m=site.elevation_m)
    pdc0 = ac_rating / 0.96
    zeta = np.clip(det["dc_kw"].to_numpy() / pdc0, 1e-9, None)
    ac_free = 0.96 / 0.9637 * (-0.0162 * zeta - 0.0059 / zeta + 0.9858) * det["dc_kw"].to_numpy()
    ac_lost_mwh = np.clip(ac_free - ac_rating, 0, None).sum() / 1000
    assert t["clipped_dc_mwh"].sum() > 1.0  # clips several MWh at 1.6
    assert 0.940 < ac_lost_mwh / t["clipped_dc_mwh"].sum() < 0.950  # measured 0.947
    clipping = t["clipped_dc_mwh"] > 0
    assert clipping.any()
    assert list(t.loc[clipping, "peak_pv_kw"]) == pytest.approx([ac_rating] * int(clipping.sum()), rel=1e-9)
    assert (t.loc[~clipping, "peak_pv_kw"] < ac_rating).all()
    lighter = pv_monthly_table(base, site_weather(base))  # DC/AC 1.2
    assert lighter["clipped_dc_mwh"].sum() < t["clipped_dc_mwh"].sum()
    # an inverter larger than the array (DC/AC 0.8: full DC input 1.3 x dc_kw) never clips: the array's DC
    # after 14 % losses stays below dc_kw (irradiance ~1,100 W/m2 at most, cell above 25 C at such sun)
    big = apply_overrides(base, {"solar.dc_ac_ratio": 0.8})
    assert pv_monthly_table(big, site_weather(big))["clipped_dc_mwh"].sum() == 0.0


def test_no_pv_gives_zeros():
    site = apply_overrides(load_site("chicago-il"), {"solar.dc_kw": 0})
    t = pv_monthly_table(site, site_weather(site))
    cols = ["pv_mwh", "peak_pv_kw", "dc_mwh", "clipped_dc_mwh", "clipped_h", "clipped_frac"]
    assert len(t) == 12 and (t[cols] == 0).all().all()


def test_the_detail_is_reused_only_for_the_same_site_and_weather_objects():
    """The monthly table and the hourly export ask for the same site's PV detail: the second call with the very
    same site and weather objects returns the first's result (a copy: editing it changes nothing cached); a
    different site (DC/AC 1.6 instead of 1.2) or a weather frame with half the irradiance is computed afresh, and
    gives its own clipping (none at half the sun on Chicago's DC/AC 1.2 array: DC after losses stays under the
    inverter's input rating)."""
    from dcplan import solar_report
    base = load_site("chicago-il")
    w = site_weather(base)
    first = solar_report._site_pv_detail(base, w)
    first["dc_kw"] = -1.0  # the caller's copy
    again = solar_report._site_pv_detail(base, w)
    assert (again["dc_kw"] >= 0).all()
    assert again["pv_kw"].sum() == pytest.approx(float(pv_for_site(base, w).sum()), rel=1e-9)
    heavy = apply_overrides(base, {"solar.dc_ac_ratio": 1.6})
    assert pv_monthly_table(heavy, w)["clipped_dc_mwh"].sum() > pv_monthly_table(base, w)["clipped_dc_mwh"].sum()
    dim = w.copy()
    dim[["ghi", "dni", "dhi"]] *= 0.5
    half = solar_report._site_pv_detail(base, dim)
    assert half["pv_kw"].sum() < 0.6 * again["pv_kw"].sum()
    assert pv_monthly_table(base, dim)["clipped_dc_mwh"].sum() == 0.0
