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

from dcplan.weather import load_weather, saturation_pressure_pa, wet_bulb_degc

from conftest import DATA


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
    # 98,100 Pa) each held one hour where dcplan took the other root (0.34 K off); PsychroLib's
    # bisection stops at 0.001 K, hence atol 2e-3
    psychrolib = pytest.importorskip("psychrolib")
    psychrolib.SetUnitSystem(psychrolib.SI)
    for name in ("USA_AZ_Phoenix-Sky.Harbor.Intl.AP.722780_TMY3.epw", "723170TYA.CSV"):
        w = load_weather(DATA / "weather" / name)
        t, td, p = w.temp_air.to_numpy(), w.temp_dew.to_numpy(), w.pressure.to_numpy()
        ref = np.array([psychrolib.GetTWetBulbFromTDewPoint(a, min(b, a), c) for a, b, c in zip(t, td, p)])
        np.testing.assert_allclose(w.temp_wet_bulb_degc.to_numpy(), ref, atol=2e-3, err_msg=name)
