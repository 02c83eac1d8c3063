"""Bad parameters of the cooling-lag model are refused under the parameter the caller gave.

The tester: ``band_k=0`` crashed ``simulate_lag`` and ``sweep_lag`` with a bare ZeroDivisionError
(``max(it_kw) / band_k`` before the ``> 0`` check); ``ti_s=0`` was reported under ``band_k``;
``margin_frac=-1.5`` as "capacity_kw: plant capacity must be > 0 kW, got -500.0" (a parameter never
passed); ``band_k=0.01`` under ``thermal_mass_kj_per_k``.
"""
from __future__ import annotations

import pandas as pd
import pytest

from dcplan import thermal
from dcplan.errors import DcplanWarning, InputError


def _flat(n=600, kw=1000.0):
    return pd.Series(kw, index=pd.date_range("2025-07-15", periods=n, freq="1s", tz="UTC"))


@pytest.mark.parametrize("kw, field, text", [
    ({"band_k": 0}, "band_k", r"must be > 0 K .*got 0$"),
    ({"band_k": 0.0, "ti_s": 100.0}, "band_k", r"must be > 0 K .*got 0$"),
    ({"band_k": -1.0}, "band_k", r"must be > 0 K .*got -1$"),
    ({"ti_s": 0}, "ti_s", r"must be > 0 s .*got 0$"),
    ({"ti_s": -30.0, "band_k": 5.0}, "ti_s", r"must be > 0 s .*got -30$"),
    # capacity (1 + m) x 1,000 kW must be > 0: allowed margin_frac > -1, named as given
    ({"margin_frac": -1.5}, "margin_frac", r"must be a finite number > -1 .*got -1\.5$"),
    ({"margin_frac": -1.0}, "margin_frac", r"must be a finite number > -1 .*got -1\.0$"),
    ({"margin_frac": float("nan")}, "margin_frac", r"got nan$"),
    ({"margin_frac": "0.1"}, "margin_frac", r"must be a number, got '0\.1'$"),
    ({"capacity_kw": -500.0}, "capacity_kw", r"finite and > 0 kW, got -500\.0$"),
    ({"capacity_kw": float("inf")}, "capacity_kw", r"got inf$"),
    ({"thermal_mass_kj_per_k": 0.0}, "thermal_mass_kj_per_k", r"finite and > 0 kJ/K, got 0\.0$"),
    # C = 0.5 L/kW x 4.186 x 1,000 kW = 2,093 kJ/K; the explicit PI needs dt Kp / C <= 1 with
    # Kp = 1,000 / band_k, i.e. band_k >= 1,000 x 1 s / 2,093 = 0.4778 K (by hand)
    ({"band_k": 0.01}, "band_k",
     r"^band_k: 0\.01 K is too narrow .*allowed: band_k >= peak demand x dt / C = 0\.4778 K"),
])
def test_bad_parameter_is_refused_under_its_own_name(kw, field, text):
    with pytest.raises(InputError, match=text) as e:
        thermal.simulate_lag(_flat(), summary_only=True, **kw)
    assert e.value.field == field


@pytest.mark.parametrize("kw, field", [({"band_k": 0}, "band_k"), ({"ti_s": 0.0}, "ti_s"),
                                       ({"band_k": 0.01}, "band_k")])
def test_sweep_lag_refuses_them_the_same_way(kw, field):
    with pytest.raises(InputError) as e:
        thermal.sweep_lag(_flat(), [90.0], [0.1], **kw)
    assert e.value.field == field


def test_sweep_lag_names_a_margin_below_minus_one():
    with pytest.raises(InputError, match=r"> -1 .*got -1\.5$") as e:
        thermal.sweep_lag(_flat(), [90.0], [0.1, -1.5])
    assert e.value.field == "margin_frac"


def test_the_narrowest_allowed_band_and_margin_run():
    """band_k at the hand-calculated limit 1,000 / 2,093 K (dt Kp / C = 1) runs; so does a margin
    just above -1 (capacity 0.001 x 1,000 = 1 kW, far below the throttled hall: warned)."""
    thermal.simulate_lag(_flat(), summary_only=True, band_k=1000.0 / 2093.0 * (1 + 1e-12))
    with pytest.warns(DcplanWarning) as w:   # and the die far past its shutdown temperature
        s = thermal.simulate_lag(_flat(), summary_only=True, margin_frac=-0.999)
    assert [m for m in w if "below the throttled hall" in str(m.message)]
    assert [m for m in w if "GPU shutdown temperature" in str(m.message)]
    assert s["capacity_kw"] == pytest.approx(1.0, rel=1e-9)
