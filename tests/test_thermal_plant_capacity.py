"""The air loop's IT capacity follows the losses it carries down as the IT is throttled (dcplan.thermal_plant_capacity).

The plant held the hour's distribution losses at their unthrottled value and divided by the air's share of the
IT heat, 1 - liquid_heat_frac: a Chicago W32 liquid plant at 0.85 derated 75.6 kW in its worst hour (a cooling
engineer's independent solve: 52.7 kW) and at liquid_heat_frac 1 (allowed) every short hour lost its whole IT.
"""
from __future__ import annotations

import warnings

import numpy as np
import pandas as pd
import pytest

from dcplan import pipeline, thermal
from dcplan.errors import DcplanWarning, InputError
from dcplan.site import load_site
from dcplan.thermal_plant_capacity import air_capacity_it

from conftest import DATA


@pytest.mark.parametrize("f", [0.0, 0.85, 1.0])
def test_linear_losses_give_the_closed_form(f):
    """L(x) = b x: (1 - f) x + s b x = A, so x = A / ((1 - f) + s b), in every hour, short or not: the losses are
    those AT the capacity. Hour 1 (not short) at f = 0: 2,000 / (1 + 0.5 x 0.066) = 2,000 / 1.033 = 1,936.11 kW;
    the losses of the hour's own 1,000 kW gave 2,000 - 0.5 x 66 = 1,967 kW (until 2026-12)."""
    b, s = 0.066, 0.5
    it = np.array([1000.0, 1000.0, 500.0])
    a = np.array([900.0, 2000.0, 10.0])   # short, not short (air > 0), short
    losses = b * it
    cap = air_capacity_it(a, it, losses, s, f, lambda x, sel=None: b * np.asarray(x, float))
    short = (1 - f) * it + s * losses > a
    want = a / ((1 - f) + s * b)
    assert np.allclose(cap, want, rtol=1e-9)
    assert not short[1] and cap[1] >= it[1]   # the loop carries that hour's IT: no derate
    if f == 0.0:
        assert cap[1] == pytest.approx(1936.11, abs=0.005)


@pytest.fixture(scope="module")
def chicago():
    return pipeline.site_weather(load_site(DATA / "sites" / "chicago-il.yaml"))


@pytest.mark.parametrize("lhf", [0.85, 0.95, 1.0])
def test_the_capacity_is_the_most_it_the_plant_holds_in_its_worst_hour(chicago, lhf):
    """A constant 1,000 kW on a 1,000 kW W32 liquid plant with no margin: in the worst hour the plant run at its own
    capacity has no derate, and 0.1 % above it has one; the worst derate is the cooling engineer's 52.7 kW
    (their solve with the chain's losses following the IT; 0.1 kW for the rounding of their figure)."""
    spec = {"type": "liquid", "liquid_class": "W32", "liquid_heat_frac": lhf}
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DcplanWarning)
        p = thermal.plant_hourly(1000.0, chicago, spec, design_it_kw=1000.0, margin_frac=0.0)
        h = int(np.argmax(p.derate_kw.to_numpy()))
        cap = float(p.capacity_it_kw.iloc[h])
        at = thermal.plant_hourly(cap, chicago, spec, design_it_kw=1000.0, margin_frac=0.0)
        above = thermal.plant_hourly(cap * 1.001, chicago, spec, design_it_kw=1000.0, margin_frac=0.0)
    assert 0 < (p.derate_kw > 1e-9).sum() < 100            # some hours short, not the whole year
    if lhf < 1.0:
        assert float(p.derate_kw.iloc[h]) == pytest.approx({0.85: 52.7, 0.95: 52.6}[lhf], abs=0.15)
    else:  # every short hour lost its whole 1,000 kW; now the liquid loop's own limit, like its neighbours'
        assert 0 < float(p.derate_kw.iloc[h]) < 60
    assert float(at.derate_kw.iloc[h]) < 1e-6 < float(above.derate_kw.iloc[h])


def _chain_losses_by_hand(it_kw: float, rated_kw: float) -> float:
    """The default chain (pdu, 2N ups, transformer; dcplan.power.ELECTRICAL_STAGES) written out: each stage of capacity
    r = rated x oversize carrying p loses r (a + b x + c x^2), x = p / r, and passes p + that upstream."""
    p = it_kw
    for a, b, c, oversize in ((0.004, 0.0, 0.012, 1.0), (0.010, 0.010, 0.010, 2.0), (0.002, 0.0, 0.010, 1.0)):
        r = rated_kw * oversize
        p += r * (a + b * (p / r) + c * (p / r) ** 2)
    return p - it_kw


def test_phoenix_design_day_capacity_has_the_losses_of_that_capacity():
    """Phoenix's air plant at its full design IT, P = 5,786.4 kW, on its 0.4 % dry-bulb design day (the cooling_lag
    notebook's lag_design_day_min_capacity_kw). Its chillers are selected for the weather header's ASHRAE 0.4 %
    condition, so in every hour of the day the air loop holds its nameplate, which carries the base load
    1.1 x (P + L(P)) (module docstring of dcplan.thermal_plant, "Capacity"; losses_to_space_frac 1). By hand, per
    unit of R = P: pdu 0.004 + 0.012 = 0.016; ups at x = 1.016 / 2 = 0.508: 2 (0.01 + 0.00508 + 0.01 x 0.258064) =
    0.035321; transformer at x = 1.051321: 0.002 + 0.01 x 1.105276 = 0.013053; L(P) = 0.064374 R = 372.49 kW, so the
    loop carries 1.1 x 6,158.89 = 6,774.78 kW. The most IT it cools is the x with x + L(x) = 6,774.78 kW:
    x = 1.0995229 R = 6,362.28 kW (L(x) = 412.50 kW; brentq on the chain above). The plant held the losses of the
    hour's 5,786.4 kW instead: 6,774.78 - 372.49 = 6,402.29 kW, 0.63 % high (a cooling audit's figures).
    Tolerance 0.01 kW: the Newton solve's 1e-9 and the rounding of the hand figures."""
    from scipy.optimize import brentq
    from dcplan import power
    from dcplan.weather import load_site_weather
    spec = load_site(DATA / "sites" / "phoenix-az.yaml")
    design = float(power.fleet_design_it_kw(spec))
    assert design == pytest.approx(5786.4, abs=1e-9) and spec.electrical.stages() == ("pdu", "ups", "transformer")
    loss_p = _chain_losses_by_hand(design, design)
    assert loss_p == pytest.approx(372.49, abs=0.005)
    carried = 1.1 * (design + loss_p)
    assert carried == pytest.approx(6774.78, abs=0.005)
    want = brentq(lambda x: x + _chain_losses_by_hand(x, design) - carried, design, carried, xtol=1e-9)
    assert want == pytest.approx(6362.28, abs=0.005)
    assert _chain_losses_by_hand(want, design) == pytest.approx(412.50, abs=0.005)
    g = thermal.governing_design_day(design, load_site_weather(spec), spec.cooling,
                                     electrical_chain=spec.electrical.stages())
    assert g["basis"] == "dry_bulb"
    assert g["min_capacity_kw"]["dry_bulb"] == pytest.approx(want, abs=0.01)   # was 6,402.29
    # every hour of the design day holds the nameplate: the same capacity all day
    np.testing.assert_allclose(g["plant"]["dry_bulb"]["capacity_it_kw"], want, rtol=0, atol=0.01)


def test_a_light_hour_of_a_liquid_plant_solves_beyond_the_chain_overload_limit():
    """A W32 liquid plant (liquid_heat_frac 0.95, 1,000 kW design IT, 10 % margin) in two cool hours at 50 kW and
    1,000 kW of IT: both loops at their nameplates, so both hours have the same capacity, the smaller of the liquid
    loop's 1.1 x 950 / 0.95 = 1,100 kW and the air loop's x with 0.05 x + L(x) = 1.1 (50 + L(1000)) =
    1.1 x 114.374 = 125.81 kW: at 1,100 kW 55 + 71.32 = 126.32 > 125.81, so the air loop, just below (brentq on
    the chain written out). The solve from 50 kW passes through about 1,600 kW of IT, beyond the chain's overload
    limit (1.5 x its capacity): the losses' curves are extrapolated there (power.electrical_losses_kw, extrapolate),
    not refused. The old figure, at the hour's own losses, was the liquid loop's 1,100 kW in both hours."""
    from scipy.optimize import brentq
    from dcplan import power
    idx = pd.date_range("2025-01-10 01:00", periods=2, freq="h", tz="Etc/GMT+6")
    w = pd.DataFrame({"temp_air": 5.0, "temp_wet_bulb_degc": 2.0}, index=idx)
    spec = {"type": "liquid", "liquid_class": "W32", "liquid_heat_frac": 0.95}
    h = thermal.plant_hourly(pd.Series([50.0, 1000.0], index=idx), w, spec, design_it_kw=1000.0)
    carried = 1.1 * (50.0 + _chain_losses_by_hand(1000.0, 1000.0))
    assert carried == pytest.approx(125.81, abs=0.005)
    want = brentq(lambda x: 0.05 * x + _chain_losses_by_hand(x, 1000.0) - carried, 1000.0, 1100.0, xtol=1e-10)
    assert 1090.0 < want < 1100.0
    np.testing.assert_allclose(h["capacity_it_kw"], want, rtol=0, atol=1e-6)
    # the chain's curves beyond its limit: refused for a load it runs, the same polynomial when extrapolating
    with pytest.raises(InputError, match="outside"):
        power.electrical_losses_kw(1600.0, rated_kw=1000.0)
    assert float(power.electrical_losses_kw(1600.0, rated_kw=1000.0, extrapolate=True)) == pytest.approx(
        _chain_losses_by_hand(1600.0, 1000.0), rel=1e-12)
