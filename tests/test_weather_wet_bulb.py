"""Wet bulb near 0 °C, where the ice-bulb and water-bulb relations both have a root.

ASHRAE Handbook - Fundamentals 2017 ch. 1: with the wet bulb t* below 0 °C the humidity
ratio is eq. 35, W = ((2830 - 0.24 t*) Ws* - 1.006 (t - t*)) / (2830 + 1.86 t - 2.1 t*),
and at or above 0 °C eq. 33, W = ((2501 - 2.326 t*) Ws* - 1.006 (t - t*)) /
(2501 + 1.86 t - 4.186 t*), with Ws* = 0.621945 pws(t*) / (p - pws(t*)) (eq. 23) and pws from
Hyland-Wexler (eqs. 5, 6). At 5.0 °C dry bulb and 97,500 Pa, a -7.8 °C dew point gives
pw = pws_ice(-7.8 °C) = 315.45 Pa, W = 0.621945 * 315.45 / (97500 - 315.45) = 0.0020187;
eq. 35 at t* = -0.177 °C (pws_ice = 602.30 Pa) gives W = 0.0020188 and eq. 33 at
t* = +0.165 °C (pws = 618.58 Pa) gives W = 0.0020187: both are roots. PsychroLib 2.5 returns
the first (its bisection's sixth midpoint falls at -2.2e-14 °C, see the docstring of
``dcplan.weather.wet_bulb_degc``); dcplan gave the second before.
"""
from __future__ import annotations

import numpy as np
import pytest

from dcplan.weather import load_weather, saturation_pressure_pa, saturation_pressure_water_pa, wet_bulb_degc

from conftest import DATA, wet_bulb_from_dew_over_water


def _rh(t_degc, dew_degc):
    return 100.0 * saturation_pressure_pa(dew_degc) / saturation_pressure_pa(t_degc)


def test_wet_bulb_on_the_two_root_point_is_psychrolibs_ice_root():
    # PsychroLib 2.5 GetTWetBulbFromTDewPoint(5.0, -7.8, 97500) = -0.17695 °C (the ice-bulb root of
    # the module docstring); its bisection stops at 0.001 K, and the water root (+0.165) is
    # 0.34 K away, so 0.01 K tells them apart with room to spare
    assert wet_bulb_degc(5.0, _rh(5.0, -7.8), 97_500.0) == pytest.approx(-0.177, abs=0.01)
    # the same dew point and dry bulb at 98,100 Pa (a TMY3 hour of 723170TYA.CSV): PsychroLib -0.1605
    assert wet_bulb_degc(5.0, _rh(5.0, -7.8), 98_100.0) == pytest.approx(-0.1605, abs=0.01)


def test_both_roots_satisfy_their_ashrae_relation():
    # the hand derivation of the module docstring, with dcplan's own equations: the ice root
    # satisfies eq. 35 and the water root eq. 33, to within the 0.001 K rounding of the roots
    from dcplan.weather import _MW_RATIO, _w_from_wet_bulb
    pw = float(saturation_pressure_pa(-7.8))
    w = _MW_RATIO * pw / (97_500.0 - pw)
    assert w == pytest.approx(0.0020187, abs=1e-7)
    assert float(_w_from_wet_bulb(5.0, -0.177, 97_500.0)) == pytest.approx(w, abs=2e-7)
    assert float(_w_from_wet_bulb(5.0, 0.165, 97_500.0)) == pytest.approx(w, abs=2e-7)


def test_a_two_root_point_whose_bisection_goes_to_the_water_root():
    # 5.0 °C dry bulb, -7.7 °C dew point, 97,500 Pa is in the same two-root band, but no midpoint
    # lands on 0 °C and the bisection (PsychroLib's and dcplan's) ends on the water root:
    # PsychroLib 2.5 gives +0.1906 °C. Not "always the ice root": the same path as PsychroLib.
    assert wet_bulb_degc(5.0, _rh(5.0, -7.7), 97_500.0) == pytest.approx(0.1906, abs=0.01)


def test_wet_bulb_matches_psychrolib_on_every_hour_of_the_files_with_a_two_root_hour():
    # Phoenix (2025-01-20 04:00, 5.0/-7.8 °C at 97,500 Pa) and 723170TYA.CSV (5.0/-7.8 °C at
    # 98,100 Pa) each held one hour where dcplan took the other root (0.34 K off). The files' dew point
    # is over water below 0 °C too (test_weather_files_state_their_dew_point_over_water), so the reference
    # is PsychroLib's wet bulb of that humidity (conftest): its bisection stops at 0.001 K and Sonntag's
    # vapour pressure is within 0.07 % of dcplan's (about 0.001 K of wet bulb), hence atol 3e-3
    pytest.importorskip("psychrolib")
    for name in ("USA_AZ_Phoenix-Sky.Harbor.Intl.AP.722780_TMY3.epw", "723170TYA.CSV"):
        w = load_weather(DATA / "weather" / name)
        ref = wet_bulb_from_dew_over_water(w.temp_air, w.temp_dew, w.pressure)
        np.testing.assert_allclose(w.temp_wet_bulb_degc.to_numpy(), ref, atol=3e-3, err_msg=name)


def test_saturation_over_supercooled_water_matches_sonntag():
    # Sonntag (1990) over water, valid to -100 °C: -30 °C 51.03 Pa, -20 °C 125.59, -10 °C 286.52, -1 °C
    # 568.21 (computed from his equation here); and the WMO/Smithsonian table value over water at -10 °C,
    # 2.8627 hPa (Goff-Gratch), against ice's 2.5990 hPa. 0.2 %: the spread of the published equations
    # (Murphy & Koop's review: Sonntag's is 0.19 % above theirs at -30 °C)
    t = np.array([-30.0, -20.0, -10.0, -1.0])
    tk = t + 273.15
    sonntag = 100.0 * np.exp(-6096.9385 / tk + 16.635794 - 2.711193e-2 * tk + 1.673952e-5 * tk**2
                             + 2.433502 * np.log(tk))
    np.testing.assert_allclose(saturation_pressure_water_pa(t), sonntag, rtol=2e-3)
    assert float(saturation_pressure_water_pa(-10.0)) == pytest.approx(286.27, rel=1e-3)
    assert float(saturation_pressure_pa(-10.0)) == pytest.approx(259.90, rel=1e-3)  # over ice: 10 % lower
    # above the triple point the two are one function (Hyland-Wexler eq. 6)
    np.testing.assert_allclose(saturation_pressure_water_pa([0.01, 20.0, 45.0]),
                               saturation_pressure_pa([0.01, 20.0, 45.0]), rtol=1e-12)


def test_weather_files_state_their_dew_point_over_water():
    # the convention the reader assumes, checked on the files: each file's own RH column against
    # 100 p_ws(dew) / p_ws(dry) in its hours below -5 °C, both over water (the meteorological convention)
    # and both over ice (a frost point). Over water it is closer in every file (Chicago 0.45 against 3.27
    # %RH, Dulles 1.59 against 1.98, 723170TYA.CSV 0.94 against 2.40 on average)
    for name in ("USA_IL_Chicago-OHare.Intl.AP.725300_TMY3.epw", "723170TYA.CSV",
                 "USA_VA_Sterling-Washington.Dulles.Intl.AP.724030_TMY3.epw"):
        w = load_weather(DATA / "weather" / name)
        cold = w[w.temp_air < -5.0]
        t, td, rh = cold.temp_air.to_numpy(), cold.temp_dew.to_numpy(), cold.relative_humidity.to_numpy()
        water = np.abs(100.0 * saturation_pressure_water_pa(td) / saturation_pressure_water_pa(t) - rh).mean()
        ice = np.abs(100.0 * saturation_pressure_pa(td) / saturation_pressure_pa(t) - rh).mean()
        assert len(cold) > 300 and water < 1.7 and water < ice, name


def test_a_sub_zero_dew_point_is_read_over_water():
    # 5 °C dry bulb, -15 °C dew point at 101,325 Pa: over water p_w = 191.4 Pa (Sonntag), W = 0.621945 x 191.4
    # / (101325 - 191.4) = 0.0011771; the wet bulb with that W (ASHRAE eq. 35, an ice bulb) is PsychroLib's
    # -1.247 °C; read as a frost point (p_w = 165.3 Pa) it would be -1.500 °C, 0.25 K lower
    pytest.importorskip("psychrolib")
    from dcplan.weather import wet_bulb_degc as wb
    ref = wet_bulb_from_dew_over_water([5.0], [-15.0], [101_325.0])[0]
    rh = 100.0 * saturation_pressure_water_pa(-15.0) / saturation_pressure_pa(5.0)
    assert float(wb(5.0, rh, 101_325.0)) == pytest.approx(ref, abs=2e-3)
    frost = float(wb(5.0, 100.0 * saturation_pressure_pa(-15.0) / saturation_pressure_pa(5.0), 101_325.0))
    assert ref == pytest.approx(-1.247, abs=2e-3) and ref - frost == pytest.approx(0.253, abs=5e-3)



def _psychrolib_wet_bulb(psychrolib, t, td, p):
    """PsychroLib's wet bulb of the humidity ratio of a dew point ``td`` over liquid water: its own
    Hyland-Wexler saturation pressure at and above 0 °C (``GetSatVapPres``), Sonntag's over water below
    (conftest's, which PsychroLib has not: it takes ice there), capped at saturation at the dry bulb."""
    import math
    td = min(td, t)
    if td >= 0:
        e_pa = psychrolib.GetSatVapPres(td)
    else:
        tk = td + 273.15
        e_pa = 100.0 * math.exp(-6096.9385 / tk + 16.635794 - 2.711193e-2 * tk + 1.673952e-5 * tk * tk
                                + 2.433502 * math.log(tk))
    w = psychrolib.GetHumRatioFromVapPres(min(e_pa, psychrolib.GetSatVapPres(t)), p)
    return psychrolib.GetTWetBulbFromHumRatio(t, w, p)


@pytest.mark.slow
@pytest.mark.parametrize("name", sorted(p.name for p in (DATA / "weather").iterdir() if p.suffix.lower() in
                                        (".epw", ".csv", ".tm2")))
def test_wet_bulb_matches_psychrolib_on_every_hour_of_every_bundled_weather_file(name):
    """README, "Checked against": within 0.002 K of PsychroLib on every hour of every file data/weather/ bundles,
    the two pvlib files a new site may name (Miami's 12839.tm2, Sand Point's 703165TY.csv) too, PsychroLib given
    the humidity ratio of the dew point over water (:func:`_psychrolib_wet_bulb`; its bisection stops at 0.001 K;
    with Sonntag's vapour pressure above 0 °C too, conftest's reference, humid hours at a 25 °C dew point differ
    by 0.003 K: hence its atol 3e-3 above). Sand Point's sub-zero dew points are where PsychroLib's own
    GetTWetBulbFromTDewPoint, which reads them as frost points (over ice), differs: up to 0.47 K lower there, as
    the README says (a user checking with it sees that)."""
    psychrolib = pytest.importorskip("psychrolib")
    psychrolib.SetUnitSystem(psychrolib.SI)
    w = load_weather(DATA / "weather" / name)
    cols = (w.temp_air, w.temp_dew, w.pressure)
    ref = [_psychrolib_wet_bulb(psychrolib, t, td, p) for t, td, p in zip(*cols)]
    np.testing.assert_allclose(w.temp_wet_bulb_degc.to_numpy(), ref, atol=2e-3, err_msg=name)
    if name == "703165TY.csv":
        frost = [psychrolib.GetTWetBulbFromTDewPoint(t, min(td, t), p) for t, td, p in zip(*cols)]
        gap = w.temp_wet_bulb_degc.to_numpy() - np.array(frost)
        assert gap.max() == pytest.approx(0.47, abs=0.01) and gap.min() > -2e-3
        readme = " ".join((DATA.parent / "README.md").read_text(encoding="utf-8").split())
        assert ("`GetTWetBulbFromTDewPoint` reads such a dew point as a frost point, over ice, and gives up to 0.47 K "
                "less in Sand Point's `703165TY.csv`") in readme
