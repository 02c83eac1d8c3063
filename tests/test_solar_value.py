"""The on-site PV's cost a year beside the bill it lowers (dcplan.solar_value).

The site bill is the bill of the grid draw after the PV: it counts the PV's saving and none of
its cost, so the electricity cost per GPU-hour, the verdict's and the portfolio score's
electricity criterion and the sweep's cost axis all favoured any PV, however dear (a sweep over
``solar.dc_kw`` always put the largest array on top). The annual cost is now
``capex x CRF + O&M`` with ``CRF = r / (1 - (1 + r) ** -n)``, at the site's discount rate over the
PV's 30-year economic life, and the one-year electricity cost is the bill plus it.

Hand figures: CRF(8 %, 30 yr) = 0.08 / (1 - 1.08 ** -30) = 0.08 / (1 - 0.099377) = 0.088827;
the Phoenix example's 5,000 kWdc at 1,500 USD/kWdc is 7.5 M USD capex, 666,204 USD a year, plus
18 USD/kWdc-yr O&M (NREL ATB 2020 commercial PV) = 90,000 USD: 756,204 USD a year. With a flat
energy-only rate and no battery the PV's bill saving is the rate times the PV energy used on site
(PV less spilled): sum(min(pv, load)) is what leaves the meter reading.
"""
from __future__ import annotations

import pandas as pd
import pytest
import yaml

from dcplan import pipeline
from dcplan.errors import InputError
from dcplan.portfolio_compare import sweep_case_table
from dcplan.portfolio_score import unit_figures
from dcplan.site import load_site
from dcplan.solar_value import capital_recovery_factor, pv_annual_cost

from conftest import DATA

CRF_8_30 = 0.08 / (1.0 - 1.08 ** -30)   # 0.0888274...
RATE = 0.10                              # USD/kWh, flat energy-only test rate


def _phoenix(tmp_path, *, tariff=None, solar=None, costs=None, name="phx-pv"):
    raw = yaml.safe_load((DATA / "sites" / "phoenix-az.yaml").read_text())
    raw["weather"]["file"] = str(DATA / raw["weather"]["file"])
    raw["id"] = name
    if tariff is not None:
        raw["tariff"] = tariff
    elif raw.get("tariff", {}).get("file"):
        raw["tariff"]["file"] = str(DATA / raw["tariff"]["file"])
    if solar == "none":
        raw.pop("solar")
    elif solar is not None:
        raw["solar"].update(solar)
    if costs is not None:
        raw["finance"]["costs"] = costs
    assert "battery" not in (raw.get("interconnection") or {})   # the saving below is battery-free
    f = tmp_path / f"{name}.yaml"
    f.write_text(yaml.safe_dump(raw, sort_keys=False))
    return load_site(f)


FLAT = {"flat_usd_per_kwh": RATE, "source": "round number for a test"}


def test_crf_hand_values():
    assert capital_recovery_factor(0.08, 30) == pytest.approx(0.088827, abs=1e-6)
    assert capital_recovery_factor(0.0, 25) == pytest.approx(0.04, rel=1e-12)
    # one year: repay the capital and a year's interest
    assert capital_recovery_factor(0.1, 1) == pytest.approx(1.1, rel=1e-12)


@pytest.mark.parametrize("rate, years, field", [(8, 30, "rate_frac"), (-0.1, 30, "rate_frac"),
                                                (float("nan"), 30, "rate_frac"), (0.08, 0, "years")])
def test_crf_refuses_bad_input(rate, years, field):
    with pytest.raises(InputError) as e:
        capital_recovery_factor(rate, years)
    assert e.value.field == field


def test_phoenix_pv_cost_a_year_by_hand(tmp_path):
    c = pv_annual_cost(_phoenix(tmp_path))
    assert c["dc_kw"] == 5000
    assert c["capex_usd"] == pytest.approx(7.5e6, rel=1e-12)
    assert c["om_usd"] == pytest.approx(90_000.0, rel=1e-12)
    assert c["annual_cost_usd"] == pytest.approx(7.5e6 * CRF_8_30 + 90_000.0, rel=1e-9)
    assert c["annual_cost_usd"] == pytest.approx(756_205, abs=2)


def test_site_cost_overrides_and_no_pv(tmp_path):
    c = pv_annual_cost(_phoenix(tmp_path, costs={"pv_usd_per_kw_dc": 1000.0, "pv_om_usd_per_kw_dc_year": 0.0}))
    assert c["annual_cost_usd"] == pytest.approx(5000 * 1000.0 * CRF_8_30, rel=1e-9)
    assert c["sources"]["pv_usd_per_kw_dc"] == "site.finance.costs.pv_usd_per_kw_dc"
    assert pv_annual_cost(_phoenix(tmp_path, solar="none", name="phx-none"))["annual_cost_usd"] == 0.0


def test_bill_saving_and_electricity_cost_with_a_flat_rate(tmp_path):
    y = pipeline.run_site_year(_phoenix(tmp_path, tariff=FLAT))
    f = pipeline.figures(y)
    used_on_site_kwh = (f["pv_mwh"] - f["pv_spilled_mwh"]) * 1000
    saving = float(pipeline.bill_without_pv(y).total_usd) - f["bill_usd"]
    assert saving == pytest.approx(RATE * used_on_site_kwh, rel=1e-9)
    assert f["pv_annual_cost_usd"] == pytest.approx(7.5e6 * CRF_8_30 + 90_000.0, rel=1e-9)
    assert f["electricity_cost_usd"] == pytest.approx(f["bill_usd"] + f["pv_annual_cost_usd"], rel=1e-12)
    # the bill without PV is the facility's energy at the flat rate
    assert float(pipeline.bill_without_pv(y).total_usd) == pytest.approx(RATE * f["facility_mwh"] * 1000, rel=1e-9)


def test_sweep_cost_axis_pays_for_the_array(tmp_path):
    """4,000 kWdc against none at a flat rate: the cost per IT MWh moves by (PV cost a year -
    the PV energy used on site x the rate) / IT MWh, not by the saving alone."""
    site = _phoenix(tmp_path, tariff=FLAT)
    rows = [dict(pipeline.case_figures(site, **{"solar.dc_kw": kw}), status="ok", case_id=str(kw))
            for kw in (0.0, 4000.0)]
    t = sweep_case_table(pd.DataFrame(rows)).set_index("case_id")
    big = rows[1]
    used_kwh = (big["pv_mwh"] - big["pv_spilled_mwh"]) * 1000
    pv_cost = 4000 * (1500 * CRF_8_30 + 18)
    expect = (pv_cost - RATE * used_kwh) / big["it_mwh"]
    assert t.loc["4000.0", "cost_usd_per_it_mwh"] - t.loc["0.0", "cost_usd_per_it_mwh"] == pytest.approx(expect, rel=1e-6)
    assert t.loc["0.0", "cost_usd_per_it_mwh"] == pytest.approx(RATE * 1000 * rows[0]["facility_mwh"] / rows[0]["it_mwh"],
                                                                rel=1e-9)


def test_unit_figures_count_the_pv_cost():
    t = pd.DataFrame({"n_accelerators": [100, 100], "hours_h": [8760.0, 8760.0], "bill_usd": [876_000.0, 876_000.0],
                      "pv_annual_cost_usd": [87_600.0, float("nan")]})
    u = unit_figures(t)
    assert u["usd_per_gpu_h"].tolist() == pytest.approx([1.1, 1.0], rel=1e-12)
