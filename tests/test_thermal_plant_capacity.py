"""The air loop's IT capacity follows the losses it carries down as the IT is throttled (dcplan.thermal_plant_capacity).

The plant held the hour's distribution losses at their unthrottled value and divided by the air's share of the
IT heat, 1 - liquid_heat_frac: a Chicago W32 liquid plant at 0.85 derated 75.6 kW in its worst hour (a cooling
engineer's independent solve: 52.7 kW) and at liquid_heat_frac 1 (allowed) every short hour lost its whole IT.
"""
from __future__ import annotations

import warnings

import numpy as np
import pytest

from dcplan import pipeline, thermal
from dcplan.errors import DcplanWarning
from dcplan.site import load_site
from dcplan.thermal_plant_capacity import air_capacity_it

from conftest import DATA


@pytest.mark.parametrize("f", [0.0, 0.85, 1.0])
def test_linear_losses_give_the_closed_form(f):
    """L(x) = b x: (1 - f) x + s b x = A, so x = A / ((1 - f) + s b), in every hour the loop is short."""
    b, s = 0.066, 0.5
    it = np.array([1000.0, 1000.0, 500.0])
    a = np.array([900.0, 2000.0, 10.0])   # short, not short (air > 0), short
    losses = b * it
    cap = air_capacity_it(a, it, losses, s, f, lambda x, sel=None: b * np.asarray(x, float))
    short = (1 - f) * it + s * losses > a
    want = np.minimum(a / ((1 - f) + s * b), it)
    assert np.allclose(cap[short], want[short], rtol=1e-9)
    assert not short[1] and cap[1] >= it[1]   # the loop carries that hour's IT: no derate


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
