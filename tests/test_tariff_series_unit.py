"""Tariff.bill takes kW; a Series whose name gives another unit is refused, not billed as kW.

An API user billed Phoenix's grid draw as a Series named ``demand_mw`` (the load in MW) and got
4,171 USD for a 2,964,987 USD bill, with no warning; ``load_gw`` gave 1,210 USD."""
from __future__ import annotations

import pandas as pd
import pytest

from dcplan.errors import InputError
from dcplan.tariff import Tariff


def _july(kw: float, name):
    idx = pd.date_range("2023-07-01 01:00", "2023-08-01 00:00", freq="h", tz="America/New_York")
    return pd.Series(kw, index=idx, name=name)


@pytest.mark.parametrize("name, hint", [
    ("demand_mw", "a load in mw; bill() takes kW: multiply by 1000 for kW"),
    ("load_gw", "a load in gw; bill() takes kW: convert it to kW"),
    ("energy_kwh", "a load in kwh; bill() takes kW: convert it to kW of mean power per step"),
])
def test_a_series_named_in_another_unit_is_refused(name, hint):
    with pytest.raises(InputError) as e:
        Tariff.flat(0.10).bill(_july(2.0, name))
    assert e.value.field == "load_kw" and f"the Series is named {name!r}, {hint}" in str(e.value)


@pytest.mark.parametrize("name", [None, "grid_kw", "load", "scenario 1"])
def test_a_series_in_kw_or_without_a_unit_is_billed(name):
    # 0.10 USD/kWh x 100 kW x 744 h (July) = 7,440 USD
    assert Tariff.flat(0.10).bill(_july(100.0, name)).total_usd == pytest.approx(7440.0, abs=1e-6)
