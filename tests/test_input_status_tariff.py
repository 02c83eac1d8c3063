"""The status of a tariff's prices (dcplan_price_status) in the TCO Assumptions rows of its bill and in the
bill headline (sources audit, 2026: Phoenix's 3,031,300 USD/yr bill was marked "derived" and named no tariff
file, while data/SOURCES.md (Tariffs) says the bundled files' prices are in part or whole dcplan estimates).

Expected statuses follow the rule stated in dcplan.input_status: the leading word, "estimate" when the text says
"partly estimated", "unverified" without a status. The bundled files' expectations come from data/SOURCES.md:
Duke and ComEd energy prices all estimates; APS winter rates, seasons and basic charge estimates.
"""
from __future__ import annotations

import json

import numpy as np
import pytest

from conftest import DATA
from dcplan import tco
from dcplan.errors import InputError
from dcplan.input_status import NO_PRICE_STATUS, bill_status_phrase, tariff_price_status
from dcplan.tariff import Tariff

APS = DATA / "tariffs" / "aps-az-e32-tou-l.json"
KW = dict(n_accelerators=1000, it_capacity_kw=1000.0, it_energy_kwh=8.0e6)


def _aps_with(tmp_path, status):
    """The APS file with its dcplan_price_status set to ``status`` (None: taken out)."""
    d = json.loads(APS.read_text())
    d.pop("dcplan_price_status")
    if status is not None:
        d["dcplan_price_status"] = status
    p = tmp_path / "aps-status.json"
    p.write_text(json.dumps(d))
    return p


@pytest.mark.parametrize("name, lead, partly", [
    ("duke-nc-opt-tou.json", "estimate", False),          # SOURCES.md: all Duke energy prices are estimates
    ("comed-il-large-load.json", "estimate", False),      # only the PJM capacity price is sourced
    ("aps-az-e32-tou-l.json", "secondary", True),         # winter rates, seasons, basic charge estimated
    ("dominion-va-gs3.json", "secondary", True),          # energy prices and fuel factor estimated
    ("rtp-example.json", "estimate", False),              # a synthetic price series
])
def test_each_bundled_tariff_states_its_price_status(name, lead, partly):
    t = Tariff.from_urdb(DATA / "tariffs" / name)
    file, text, status = tariff_price_status(t)
    assert file == f"tariff file {name}" and text.startswith(lead)
    assert ("partly estimated" in text) is partly
    assert status == "estimate"   # every bundled file has estimated prices: its bill is an estimate


@pytest.mark.parametrize("given, status, phrase", [
    ("estimate", "estimate", "resting on estimated tariff prices"),
    ("secondary, partly estimated (winter rates)", "estimate", "resting on partly estimated tariff prices"),
    ("secondary", "secondary", ""),
    ("primary: the utility's own tariff sheet", "primary", ""),
    ("unverified", "unverified", "resting on unverified tariff prices"),
    (None, "unverified", ""),
    # a verifier's finding: the words were matched exactly and case-sensitively, so these read primary /
    # secondary (no caveat) in both places, and "unverified, partly estimated" estimate in the TCO but
    # unverified on the bill; any "estimat..." after the leading word now reads partly estimated in both
    ("primary, Partly estimated (winter)", "estimate", "resting on partly estimated tariff prices"),
    ("secondary, partially estimated (seasons)", "estimate", "resting on partly estimated tariff prices"),
    ("unverified, partly estimated", "estimate", "resting on partly estimated tariff prices"),
])
def test_assumption_rows_of_the_bill_take_the_tariffs_status(tmp_path, given, status, phrase):
    t = Tariff.from_urdb(_aps_with(tmp_path, given))
    bills = np.linspace(2.5e5, 3.5e5, 12)[None, :].repeat(10, axis=0)
    elec = tco.ElectricityByPvAge(bills, 0.005, tariff=t)
    inp = tco.TcoInputs(**KW, pv_kw_dc=100.0)
    a = tco.run_tco(inp, elec).assumptions.set_index("key")
    for key in ("electricity_typical_year_usd", "electricity_typical_year_month07_usd", "electricity_pv_age02_usd"):
        assert a.loc[key, "status"] == status, key
        assert "tariff file aps-status.json" in a.loc[key, "source"]
        assert (given or NO_PRICE_STATUS) in a.loc[key, "source"]
    # the row's value is still the bills' sum: 12 months of the linspace, mean 3.0e5
    assert a.loc["electricity_typical_year_usd", "value"] == pytest.approx(12 * 3.0e5, rel=1e-12)
    assert bill_status_phrase(t) == phrase


def test_a_bill_without_its_tariff_stays_derived_and_says_the_status_is_unknown():
    elec = tco.ElectricityByPvAge(np.full((10, 12), 1000.0), 0.0)
    a = tco.run_tco(tco.TcoInputs(**KW), elec).assumptions.set_index("key")
    assert a.loc["electricity_typical_year_usd", "status"] == "derived"
    assert "its prices' status is unknown" in a.loc["electricity_typical_year_usd", "source"]


@pytest.mark.parametrize("bad", ["guess", "estimated", "secondary partly", 3, ["estimate"], "estimate,"])
def test_a_bad_price_status_is_a_clear_error(tmp_path, bad):
    p = _aps_with(tmp_path, bad)
    with pytest.raises(InputError) as e:
        Tariff.from_urdb(p)
    msg = str(e.value)
    assert str(p) in msg and "dcplan_price_status" in msg and repr(bad) in msg
    assert "primary, secondary, unverified, estimate" in msg


def test_the_site_pipeline_bill_of_phoenix_is_an_estimate_naming_its_file():
    """What the tco notebook exports: electricity_by_pv_age on the site's own tariff (APS)."""
    from dcplan import pipeline
    from dcplan.site import load_portfolio
    site = load_portfolio()["phoenix-az"]
    y = pipeline.run_site_year(site)
    elec = pipeline.electricity_by_pv_age(y, 10)
    row = tco.run_tco(tco.inputs_from_site(site, **KW), elec).assumptions.set_index("key").loc[
        "electricity_typical_year_usd"]
    assert row["status"] == "estimate"
    assert "tariff file aps-az-e32-tou-l.json" in row["source"] and "winter rates, seasons, basic charge" in row["source"]
    # the row is the bill of the site-year's own load: its year-1 bill
    assert row["value"] == pytest.approx(float(y.bill.total_usd), rel=1e-9)
