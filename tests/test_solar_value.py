"""The on-site PV's cost a year beside the bill it lowers (dcplan.solar_value).

The site bill is the bill of the grid draw after the PV: it counts the PV's saving and none of
its cost, so the electricity cost per GPU-hour, the verdict's and the portfolio score's
electricity criterion and the sweep's cost axis all favoured any PV, however dear (a sweep over
``solar.dc_kw`` always put the largest array on top). The PV's life cost is now put in year-1
terms, like the year-1 bill and saving: (capex + O&M_1 x L_om) / L_save, with L_save the present
value of a 1-USD year-1 saving over 30 years (electricity escalation e, linear degradation d) and
L_om that of 1 USD of year-1 O&M (inflation i), at the site's discount rate r.

Hand figures (closed forms, :func:`hand_factors`): with q = (1 + e) / (1 + r),
sum_{k<n} q^k = (1 - q^n) / (1 - q) and sum_{k<n} k q^k = q (1 - n q^(n-1) + (n-1) q^n) / (1 - q)^2,
L_save = (sum q^k - d sum k q^k) / (1 + r) = 14.3362 and L_om = 14.3918 at r 8 %, e 3 %, i 2.5 %,
d 0.5 %/yr (a tester's levelisation factors 1.2735 and 1.2784 are these times CRF(8 %, 30) =
0.088827). Phoenix's 5,000 kWdc at 1,500 USD/kWdc and 18 USD/kWdc-yr (NREL ATB 2020 commercial PV):
(7.5 M + 90,000 x 14.3918) / 14.3362 = 613,498 USD a year. With a flat energy-only rate and no
battery the PV's bill saving is the rate times the PV energy used on site (PV less spilled).
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

RATE = 0.10                              # USD/kWh, flat energy-only test rate


def hand_factors(r=0.08, e=0.03, i=0.025, d=0.005, n=30):
    """(L_save, L_om) by the closed forms of the module docstring."""
    def sums(q):
        return (1 - q ** n) / (1 - q), q * (1 - n * q ** (n - 1) + (n - 1) * q ** n) / (1 - q) ** 2
    s0, s1 = sums((1 + e) / (1 + r))
    return (s0 - d * s1) / (1 + r), sums((1 + i) / (1 + r))[0] / (1 + r)


def hand_pv_cost(kw, capex_per_kw=1500.0, om_per_kw=18.0, **rates):
    """The PV's cost a year in year-1 terms, by hand (module docstring)."""
    l_save, l_om = hand_factors(**rates)
    return kw * (capex_per_kw + om_per_kw * l_om) / l_save


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
        raw["finance"]["costs"] = {**raw["finance"].get("costs", {}), **costs}  # beside the site's water price
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


def test_levelisation_factors_and_phoenix_cost_by_hand(tmp_path):
    l_save, l_om = hand_factors()
    assert (l_save, l_om) == pytest.approx((14.3362, 14.3918), abs=1e-4)
    c = pv_annual_cost(_phoenix(tmp_path))
    assert (c["saving_factor"], c["om_factor"]) == pytest.approx((l_save, l_om), rel=1e-12)
    assert c["dc_kw"] == 5000 and c["capex_usd"] == pytest.approx(7.5e6, rel=1e-12)
    assert c["om_usd"] == pytest.approx(90_000.0, rel=1e-12)
    assert c["annual_cost_usd"] == pytest.approx(hand_pv_cost(5000), rel=1e-12)
    assert c["annual_cost_usd"] == pytest.approx(613_498, abs=2)
    # a year-1 saving equal to this cost is a PV whose life NPV is 0: the saving's present value
    # over 30 years equals capex plus the O&M's present value
    assert c["annual_cost_usd"] * l_save == pytest.approx(7.5e6 + 90_000 * l_om, rel=1e-12)


def test_no_escalation_no_degradation_no_inflation_is_the_capital_recovery_factor(tmp_path):
    """With e = i = d = 0 the cost is capex x CRF + O&M, the level payment (1 / L = CRF)."""
    site = _phoenix(tmp_path, costs={"electricity_escalation_frac": 0.0, "inflation_frac": 0.0},
                    solar={"degradation_frac_per_year": 0.0}, name="phx-flat")
    c = pv_annual_cost(site)
    assert c["annual_cost_usd"] == pytest.approx(7.5e6 * 0.08 / (1 - 1.08 ** -30) + 90_000, rel=1e-12)
    assert c["sources"]["inflation_frac"] == "site.finance.costs.inflation_frac"


def test_site_cost_overrides_and_no_pv(tmp_path):
    c = pv_annual_cost(_phoenix(tmp_path, costs={"pv_usd_per_kw_dc": 1000.0, "pv_om_usd_per_kw_dc_year": 0.0}))
    assert c["annual_cost_usd"] == pytest.approx(hand_pv_cost(5000, 1000.0, 0.0), rel=1e-12)
    assert c["sources"]["pv_usd_per_kw_dc"] == "site.finance.costs.pv_usd_per_kw_dc"
    assert pv_annual_cost(_phoenix(tmp_path, solar="none", name="phx-none"))["annual_cost_usd"] == 0.0


def test_bill_saving_and_electricity_cost_with_a_flat_rate(tmp_path):
    y = pipeline.run_site_year(_phoenix(tmp_path, tariff=FLAT))
    f = pipeline.figures(y)
    used_on_site_kwh = (f["pv_mwh"] - f["pv_spilled_mwh"]) * 1000
    saving = float(pipeline.bill_without_pv(y).total_usd) - f["bill_usd"]
    assert saving == pytest.approx(RATE * used_on_site_kwh, rel=1e-9)
    assert f["pv_annual_cost_usd"] == pytest.approx(hand_pv_cost(5000), rel=1e-12)
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
    pv_cost = hand_pv_cost(4000)
    expect = (pv_cost - RATE * used_kwh) / big["it_mwh"]
    assert t.loc["4000.0", "cost_usd_per_it_mwh"] - t.loc["0.0", "cost_usd_per_it_mwh"] == pytest.approx(expect, rel=1e-6)
    assert t.loc["0.0", "cost_usd_per_it_mwh"] == pytest.approx(RATE * 1000 * rows[0]["facility_mwh"] / rows[0]["it_mwh"],
                                                                rel=1e-9)


def test_unit_figures_count_the_pv_cost():
    t = pd.DataFrame({"n_accelerators": [100, 100], "hours_h": [8760.0, 8760.0], "bill_usd": [876_000.0, 876_000.0],
                      "pv_annual_cost_usd": [87_600.0, float("nan")]})
    u = unit_figures(t)
    assert u["usd_per_gpu_h"].tolist() == pytest.approx([1.1, 1.0], rel=1e-12)
