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


def test_a_dataframe_column_named_in_another_unit_is_refused():
    """A verifier: ``bill(pd.DataFrame({'a_mw': 5.0, 'b_kw': 5000.0}))`` billed a_mw as kW: 7,853 USD
    beside b_kw's 3,307,645 for the same load."""
    load = _july(5.0, None)
    df = pd.DataFrame({"a_mw": load, "b_kw": load * 1000.0})
    with pytest.raises(InputError) as e:
        Tariff.flat(0.10).bill(df)
    assert str(e.value).endswith("the DataFrame has a column 'a_mw', a load in mw; bill() takes kW: multiply by "
                                 "1000 for kW (and name it in kW, e.g. load_kw, or leave it unnamed)")
    # 0.10 USD/kWh x 5,000 kW x 744 h = 372,000 USD for the column in kW and one without a unit
    bills = Tariff.flat(0.10).bill(pd.DataFrame({"b_kw": load * 1000.0, "case 2": load * 1000.0}))
    assert list(bills.total_usd) == pytest.approx([372000.0, 372000.0], abs=1e-6)


def test_a_name_with_two_units_is_refused_as_such():
    with pytest.raises(InputError, match=r"the Series is named 'facility_kw_mw', names more than one unit \(kw, mw\); "
                                         r"bill\(\) takes kW: name it in kW, e.g. load_kw"):
        Tariff.flat(0.10).bill(_july(2.0, "facility_kw_mw"))
