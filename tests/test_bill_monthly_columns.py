"""Bill.monthly's demand columns say which demand each charge bills.

``billing_demand_kw`` was the all-hours peak whenever the tariff had no flat demand charge: under
APS E-32 TOU-L (demand billed weekdays 15-20 h only) it showed 4,812.5 kW while the bill charged
3,265.1 kW x 18.941 $/kW. Now it is the flat (all-hours) charge's billing demand, NaN without one,
and each TOU demand period has its own ``tou_billing_demand_<period>_kw``.
"""
from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from dcplan.tariff import Tariff

TZ = "America/Phoenix"
ON_PEAK = list(range(15, 20))  # start hours 15-19: the intervals 15:00-20:00


def _july(base_kw=1000.0):
    """Hourly July 2025 (interval-ending labels) at ``base_kw``, with a 3000 kW hour off-peak
    (03:00-04:00 on 10 July) and an 1800 kW hour on-peak (16:00-17:00 on 11 July)."""
    idx = pd.date_range("2025-07-01 01:00", "2025-08-01 00:00", freq="h", tz=TZ)
    load = pd.Series(base_kw, index=idx)
    load[pd.Timestamp("2025-07-10 04:00", tz=TZ)] = 3000.0
    load[pd.Timestamp("2025-07-11 17:00", tz=TZ)] = 1800.0
    return load


def test_tou_only_demand_charge_bills_the_on_peak_peak_not_the_all_hours_one():
    t = Tariff.flat(0.10).with_demand_charge(10.0, hours=ON_PEAK, name="on_peak")
    m = t.bill(_july()).monthly.loc["2025-07"]
    # by hand: the all-hours peak is the 3000 kW off-peak hour; the on-peak charge bills the 1800 kW hour;
    # there is no flat charge, so no flat billing demand; the rest of the hours ("none", 0 $/kW) peak at 3000
    assert m["peak_kw"] == pytest.approx(3000.0, abs=1e-9)
    assert np.isnan(m["billing_demand_kw"])
    assert m["tou_billing_demand_on_peak_kw"] == pytest.approx(1800.0, abs=1e-9)
    assert m["tou_billing_demand_none_kw"] == pytest.approx(3000.0, abs=1e-9)
    # 1800 kW x 10 $/kW; abs: exact float products
    assert m["demand_usd"] == pytest.approx(18_000.0, abs=1e-6)


def test_flat_and_tou_demand_charges_each_show_their_billing_demand():
    t = Tariff.flat(0.10).with_demand_charge(5.0).with_demand_charge(10.0, hours=ON_PEAK, name="on_peak")
    m = t.bill(_july()).monthly.loc["2025-07"]
    # flat: the all-hours 3000 kW; on-peak 1800 kW: 5 x 3000 + 10 x 1800 = 33,000 USD (abs: exact products)
    assert m["billing_demand_kw"] == pytest.approx(3000.0, abs=1e-9)
    assert m["tou_billing_demand_on_peak_kw"] == pytest.approx(1800.0, abs=1e-9)
    assert m["demand_usd"] == pytest.approx(33_000.0, abs=1e-6)


def test_a_month_without_the_period_has_no_tou_billing_demand_and_years_join():
    # the on-peak period in July only; a June-July load billed year by year (Bill.concat, take_months)
    t = Tariff.flat(0.10).with_demand_charge(10.0, hours=ON_PEAK, months=[7], name="on_peak")
    idx = pd.date_range("2025-06-01 01:00", "2025-08-01 00:00", freq="h", tz=TZ)
    load = _july().reindex(idx, fill_value=1000.0)
    for bill in (t.bill(load), Tariff.by_year({2025: t}).bill(load)):
        m = bill.monthly
        # June has no on-peak hours: NaN (nothing billed); July's on-peak hour of 1800 kW
        assert np.isnan(m.loc["2025-06", "tou_billing_demand_on_peak_kw"])
        assert m.loc["2025-07", "tou_billing_demand_on_peak_kw"] == pytest.approx(1800.0, abs=1e-9)
        assert m["demand_usd"].tolist() == pytest.approx([0.0, 18_000.0], abs=1e-6)


def test_monthly_docstring_names_every_column():
    t = Tariff.flat(0.10).with_demand_charge(5.0).with_demand_charge(10.0, hours=ON_PEAK, name="on_peak")
    bill = t.bill(_july())
    doc = type(bill).monthly.__doc__
    for col in bill.monthly.columns:
        name = "tou_billing_demand_<period>_kw" if col.startswith("tou_billing_demand_") else col
        assert f"``{name}``" in doc, col


def test_dcplan_bill_shows_the_billing_demand_each_priced_charge_bills(tmp_path, capsys):
    # dcplan bill showed billing_demand_kw (NaN under a TOU-only demand charge) only with a contract
    # floor or ratchet, and listed the 0 $/kW rest period as a billing demand
    from dcplan.cli import main
    from dcplan.cli_bill import billing_demand_columns
    tou = Tariff.flat(0.10).with_demand_charge(10.0, hours=ON_PEAK, name="on_peak")
    assert billing_demand_columns(tou.bill(_july())) == ["tou_billing_demand_on_peak_kw"]
    floored = tou.with_contract_demand(2000.0).bill(_july())
    assert billing_demand_columns(floored) == ["tou_billing_demand_on_peak_kw"]
    # the contract floor 2000 kW lifts the on-peak billing demand above its 1800 kW peak
    assert floored.monthly.loc["2025-07", "tou_billing_demand_on_peak_kw"] == pytest.approx(2000.0, abs=1e-9)
    flat = Tariff.flat(0.10).with_demand_charge(5.0).with_contract_demand(2000.0)
    assert billing_demand_columns(flat.bill(_july())) == ["billing_demand_kw"]
    # the CLI on APS E-32 TOU-L (demand billed weekdays 15-20 h): a 4,800 kW hour at 04:00 is the
    # all-hours peak; the on-peak 3,000 kW is what 18.941 $/kW bills (56,823 USD), now in the table
    from conftest import DATA
    idx = pd.date_range("2025-07-01 01:00", "2025-08-01 00:00", freq="h", tz=TZ)
    load = pd.Series(3000.0, index=idx)
    load[pd.Timestamp("2025-07-10 04:00", tz=TZ)] = 4800.0
    f = tmp_path / "load.csv"
    pd.DataFrame({"timestamp": idx.strftime("%Y-%m-%dT%H:%M%z"), "load_kw": load.to_numpy()}).to_csv(f, index=False)
    assert main(["bill", "--tariff", str(DATA / "tariffs" / "aps-az-e32-tou-l.json"), "--load", str(f)]) == 0
    out = capsys.readouterr().out
    head = next(ln for ln in out.splitlines() if "peak_kw" in ln).split()
    row = next(ln for ln in out.splitlines() if ln.startswith("2025-07")).split()
    col = [c for c in head if c.startswith("tou_billing_demand_")]
    assert len(col) == 1, head
    # (a row starts with its month, which the header line has no word for)
    assert row[head.index(col[0]) + 1] == "3,000.00" and row[head.index("peak_kw") + 1] == "4,800.00"
