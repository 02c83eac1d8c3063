"""tariff.contract_min_frac / contract_tou_min_frac: the share of the contracted demand that floors the flat and the
TOU demand charges (a tariff analyst's finding: the site file could only floor both at 100 % of the contract, while
Dominion GS-5, the example of Tariff.with_contract_demand, floors T&D demand at 0.85 and generation demand at 0.60)."""
from __future__ import annotations

import pandas as pd
import pytest
import yaml

from dcplan import pipeline
from dcplan.site import SiteError, load_site
from tests.conftest import DATA

FLAT = {"flat_usd_per_kwh": 0.075, "demand_usd_per_kw": 13.0, "fixed_usd_per_month": 25,
        "source": "round figures for a test"}


def _site(tmp_path, src: str, tariff: dict):
    raw = yaml.safe_load((DATA / "sites" / f"{src}.yaml").read_text())
    raw["weather"]["file"] = str(DATA / raw["weather"]["file"])
    if "file" in tariff:
        tariff = {**tariff, "file": str(DATA / tariff["file"])}
    raw["tariff"] = tariff
    f = tmp_path / f"{src}-contract.yaml"
    f.write_text(yaml.safe_dump(raw, sort_keys=False), encoding="utf-8")
    return load_site(f)


def _flat_load(tz: str, kw: float = 3000.0) -> pd.Series:
    idx = pd.date_range("2025-01-01 01:00", periods=8760, freq="h", tz=tz)
    return pd.Series(kw, index=idx)


def test_a_flat_tariffs_demand_is_floored_at_the_share_of_the_contract(tmp_path):
    site = _site(tmp_path, "chicago-il", {**FLAT, "contract_demand_kw": 8000.0, "contract_min_frac": 0.5})
    load = _flat_load("Etc/GMT+6")
    bill = pipeline.site_tariff(site).bill(load)
    # by hand: a constant 3,000 kW under a floor of 0.5 x 8,000 = 4,000 kW every month
    assert (bill.monthly["billing_demand_kw"] == 4000.0).all()
    hand = 0.075 * 3000.0 * 8760 + 12 * 25.0 + 12 * 4000.0 * 13.0
    assert bill.total_usd == pytest.approx(hand, rel=1e-12)
    # left out: the whole contract floors it, as before (8,000 kW)
    whole = _site(tmp_path, "chicago-il", {**FLAT, "contract_demand_kw": 8000.0})
    assert (pipeline.site_tariff(whole).bill(load).monthly["billing_demand_kw"] == 8000.0).all()


def test_tou_demand_takes_its_own_share(tmp_path):
    """APS E-32 TOU-L (Phoenix's file) has a TOU demand charge in period 1 (weekdays 15:00-20:00): floored at
    0.6 x 8,000 = 4,800 kW, a constant 3,000 kW load bills 4,800 kW there every month; the same tariff floored
    through the API directly gives the same bill."""
    tariff = {"file": "tariffs/aps-az-e32-tou-l.json", "contract_demand_kw": 8000.0, "contract_min_frac": 1.0,
              "contract_tou_min_frac": 0.6}
    site = _site(tmp_path, "phoenix-az", tariff)
    load = _flat_load("America/Phoenix")
    bill = pipeline.site_tariff(site).bill(load)
    tou_cols = [c for c in bill.monthly.columns if c.startswith("tou_billing_demand_") and c.endswith("_kw")]
    assert tou_cols, list(bill.monthly.columns)
    assert (bill.monthly[tou_cols].max(axis=1) == 4800.0).all()
    from dcplan.tariff import Tariff
    ref = Tariff.from_urdb(DATA / "tariffs" / "aps-az-e32-tou-l.json").with_contract_demand(
        8000.0, min_frac=1.0, tou_min_frac=0.6).bill(load)
    assert bill.total_usd == pytest.approx(ref.total_usd, rel=1e-12)


@pytest.mark.parametrize("tariff, match", [
    ({**FLAT, "contract_min_frac": 0.85}, "contract_min_frac is a share of contract_demand_kw, which is not given"),
    ({**FLAT, "contract_demand_kw": 8000.0, "contract_tou_min_frac": 1.5}, "contract_tou_min_frac"),
    ({**FLAT, "contract_demand_kw": 8000.0, "contract_min_frac": -0.1}, "contract_min_frac"),
])
def test_bad_shares_are_refused(tmp_path, tariff, match):
    with pytest.raises(SiteError, match=match):
        _site(tmp_path, "chicago-il", tariff)
