"""Tariff inputs an API user can get wrong: what is named, and what the error suggests
(API tester findings 2, 3 and 6)."""
from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from dcplan.errors import InputError
from dcplan.tariff import Tariff

TZ = "America/Chicago"
IDX = pd.date_range("2024-01-01 01:00", periods=24 * 31, freq="1h", tz=TZ)
FLAT = Tariff.flat(0.08, demand_usd_per_kw=12.0)
# 1000 kW flat through January 2024: 744 h x 1000 kW x 0.08 $/kWh + 1000 kW x 12 $/kW = 71,520 USD
# (hand arithmetic; rel 1e-12 allows float summation only)
BILL_USD = 71_520.0


# ------------------------------------------------------------------ finding 2: the field named
@pytest.mark.parametrize("method", ["energy_price", "demand_period"])
@pytest.mark.parametrize("index, match", [
    (list(IDX), r"need a tz-aware DatetimeIndex, got a list; pass a pandas DatetimeIndex"),
    (IDX.tz_localize(None), r"need a tz-aware DatetimeIndex, got naive timestamps"),
    (IDX.delete(5), r"irregular step at 2024-01-01 07:00:00-06:00: 2 h after"),
    (IDX[::-1], r"timestamps not increasing at .*; sort first"),
], ids=["list", "naive", "gap", "reversed"])
def test_price_and_period_errors_name_their_index_argument(method, index, match):
    # they named load_kw.index, an argument these methods do not have
    with pytest.raises(InputError, match=r"^index: " + match):
        getattr(FLAT, method)(index)


def test_a_series_given_as_the_index_is_told_to_pass_its_index():
    with pytest.raises(InputError, match=r"^index: need a tz-aware DatetimeIndex, got a Series; pass its \.index$"):
        FLAT.energy_price(pd.Series(1.0, index=IDX))


def test_bill_errors_still_name_load_kw_index():
    with pytest.raises(InputError, match=r"^load_kw\.index: irregular step at .*: 2 h after"):
        FLAT.bill(pd.Series(1000.0, index=IDX).drop(IDX[100]))


# ----------------------------------------------------------- finding 3: a load of text refused
def test_a_load_of_text_is_refused_not_billed_as_numbers():
    load = pd.Series(1000.0, index=IDX)
    # it billed 71,520 USD: the strings '1000.0' read as 1000 kW (the same as the float load)
    assert FLAT.bill(load).total_usd == pytest.approx(BILL_USD, rel=1e-12)
    with pytest.raises(InputError, match=r"^load_kw: need numbers in kW, got dtype \w+, e\.g\. '1000\.0' at "
                                         r"2024-01-01 01:00:00-06:00; convert first, e\.g\. pd\.to_numeric\(load_kw\)$"):
        FLAT.bill(load.astype(str))


def test_a_text_column_of_a_scenario_frame_is_named():
    frame = pd.DataFrame({"a": 1000.0, "b": "1000"}, index=IDX)
    with pytest.raises(InputError, match=r"^load_kw: need numbers in kW in column 'b', got dtype \w+, e\.g\. '1000'"):
        FLAT.bill(frame)


def test_an_array_of_text_is_refused_and_numbers_in_an_object_column_are_billed():
    with pytest.raises(InputError, match=r"^load_kw: need numbers in kW, got dtype \w+, e\.g\. '1000'"):
        FLAT.bill(np.full(len(IDX), "1000"), index=IDX)
    obj = pd.Series(1000.0, index=IDX).astype(object)  # numbers held as objects: still numbers
    assert FLAT.bill(obj).total_usd == pytest.approx(BILL_USD, rel=1e-12)


# ------------------------------------------------- finding 6: the unsorted-index suggestion
def test_an_unsorted_load_is_told_to_sort_not_to_interpolate():
    load = pd.Series(1000.0, index=IDX).iloc[::-1]
    # the suggestion was "resample or pass fill='interpolate'", and fill='interpolate' refuses it:
    with pytest.raises(InputError, match=r"^load_kw\.index: timestamps not increasing at .*; sort first"):
        FLAT.bill(load, fill="interpolate")
    with pytest.raises(InputError) as e:
        FLAT.bill(load)
    assert "sort first (.sort_index())" in str(e.value) and "interpolate" not in str(e.value)
    assert FLAT.bill(load.sort_index()).total_usd == pytest.approx(BILL_USD, rel=1e-12)


def test_a_gap_in_a_bills_load_suggests_fill_interpolate():
    # the bill's own hint was never shown: step_s raised its generic "resample or fill first" first
    idx = pd.date_range("2025-01-01 01:00", periods=48, freq="h", tz="America/Chicago")
    load = pd.Series(100.0, index=idx).drop(idx[10])
    with pytest.raises(InputError, match=r"^load_kw\.index: irregular step .*; resample or pass fill='interpolate'$"):
        Tariff.flat(0.1).bill(load)
