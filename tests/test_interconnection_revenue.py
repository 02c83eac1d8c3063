"""One owner for the GPU-hour revenue: the interconnection notebook's cost of waiting counts
revenue as the TCO does (the data/costs.csv price x the fleet's sold share x 730 h a month),
and idle capital from the TCO's costs.csv rows.

The notebook values are checked against data/costs.csv and the site YAML read here with the
csv and yaml modules (not through dcplan's loaders), and against hand arithmetic.
"""
from __future__ import annotations

import csv
import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import yaml

from dcplan import grid, tco
from dcplan.errors import InputError
from dcplan.report import render

ROOT = Path(__file__).resolve().parents[1]


def _costs_csv(key: str = "revenue_usd_per_gpu_h") -> float:
    with open(ROOT / "data" / "costs.csv", newline="") as f:
        rows = [r for r in csv.reader(line for line in f if not line.startswith("#"))]
    head = rows[0]
    row = next(r for r in rows[1:] if r and r[head.index("key")] == key)
    return float(row[head.index("value")])


def _costs_csv_price() -> float:
    return _costs_csv("revenue_usd_per_gpu_h")


def _facility_share_usd_per_gpu(site: str, usd_per_mw: float) -> float:
    """Facility cost per MW of design IT spread over the fleet's GPUs (the notebook's facility share)."""
    from dcplan import power
    from dcplan.site import load_portfolio
    spec = load_portfolio("default")[site]
    return usd_per_mw * power.fleet_design_it_kw(spec) / 1000.0 / float(power.fleet_table(spec)["accelerators"].sum())


def _site_yaml(site: str) -> dict:
    return yaml.safe_load((ROOT / "data" / "sites" / f"{site}.yaml").read_text())


def test_waiting_cost_is_months_x_gpus_x_hours_x_price_x_utilisation():
    # stranded GPUs in three months: 0, 10, 25 -> 35 GPU-months. Lost revenue by hand:
    # 35 x 730 h x 4.916 USD/GPU-h x 0.8 = 100,483.04 USD; carrying cost 35 x 50,000 x 0.08 / 12
    # = 11,666.67 USD. rel 1e-9: float rounding only.
    ramp = pd.DataFrame({"stranded_gpus": [0.0, 10.0, 25.0]},
                        index=pd.date_range("2026-01-01", periods=3, freq="MS"))
    c = grid.cost_of_waiting(ramp, capex_usd_per_gpu=50_000.0, revenue_usd_per_gpu_h=4.916,
                             utilisation_frac=0.8, annual_rate_frac=0.08)
    assert c["lost_revenue_usd"].sum() == pytest.approx(35 * 730 * 4.916 * 0.8, rel=1e-9)
    assert c["lost_revenue_usd"].sum() == pytest.approx(100_483.04, rel=1e-9)
    assert c["carrying_cost_usd"].sum() == pytest.approx(35 * 50_000 * 0.08 / 12, rel=1e-9)
    assert c["waiting_cost_usd"].sum() == pytest.approx(100_483.04 + 35 * 50_000 * 0.08 / 12, rel=1e-9)
    assert c["lost_revenue_usd"].iloc[1] == pytest.approx(10 * 730 * 4.916 * 0.8, rel=1e-9)
    # one month of delay for 25 GPUs, same inputs
    per_month = grid.delay_cost_usd_per_month(25, capex_usd_per_gpu=50_000.0, revenue_usd_per_gpu_h=4.916,
                                              utilisation_frac=0.8, annual_rate_frac=0.08)
    assert per_month == pytest.approx(25 * (50_000 * 0.08 / 12 + 730 * 4.916 * 0.8), rel=1e-9)


def test_a_month_of_revenue_is_the_tcos_month():
    # 8760 h / 12 = 730 h in both (the notebook used 24 x 365.25 / 12 = 730.5 h before)
    assert grid.HOURS_PER_MONTH_H == tco.HOURS_PER_MONTH == 730.0
    # the revenue a stranded GPU loses in a month = the TCO's revenue per operating GPU-month:
    # a fully operating year of run_tco (the last of 10; no price escalation) / (GPUs x 12)
    inp = tco.TcoInputs(n_accelerators=1000, it_capacity_kw=1500.0, it_energy_kwh=1.0e7, utilization_frac=0.7)
    p = inp.params()
    assert p["revenue_escalation_frac"] == 0.0  # premise of comparing the last year with year 1 prices
    year = tco.run_tco(inp, 1.0e6).annual.loc["revenue_usd"].iloc[-1]
    lost = grid.cost_of_waiting(pd.DataFrame({"stranded_gpus": [1.0]}), capex_usd_per_gpu=0.0,
                                revenue_usd_per_gpu_h=p["revenue_usd_per_gpu_h"],
                                utilisation_frac=inp.utilization_frac, annual_rate_frac=0.0)
    assert lost["lost_revenue_usd"].iloc[0] == pytest.approx(year / (1000 * 12), rel=1e-12)


def test_lost_revenue_changes_each_year_as_the_tcos_price():
    # prices falling 10 %/yr: a GPU stranded through year y of a ramp that starts with the project
    # loses what one operating GPU earns in the TCO's year y (operations from month 0): the cost of
    # waiting counts the mean month, 730 h x 0.7 x price x 0.9^(m // 12), the TCO each calendar
    # month's hours (744 h in January, 672 h in February), and both make 8,760 h a year;
    # hand: month 30 -> 730 x 0.7 x 4.916 x 0.81
    inp = tco.TcoInputs(n_accelerators=1000, it_capacity_kw=1500.0, it_energy_kwh=1.0e7, utilization_frac=0.7,
                        horizon_years=3, costs={"build_months": 0.0, "revenue_escalation_frac": -0.1})
    p = inp.params()
    monthly = tco.run_tco(inp, 1.0e6).monthly["revenue_usd"].to_numpy() / 1000   # per GPU, months 1..36
    lost = grid.cost_of_waiting(pd.DataFrame({"stranded_gpus": np.ones(36)}), capex_usd_per_gpu=0.0,
                                revenue_usd_per_gpu_h=p["revenue_usd_per_gpu_h"], utilisation_frac=0.7,
                                annual_rate_frac=0.0, revenue_escalation_frac=-0.1)["lost_revenue_usd"]
    np.testing.assert_allclose(lost.to_numpy().reshape(3, 12).sum(axis=1), monthly.reshape(3, 12).sum(axis=1),
                               rtol=1e-12)
    assert lost.iloc[30] == pytest.approx(730 * 0.7 * p["revenue_usd_per_gpu_h"] * 0.81, rel=1e-12)
    for r in (-1.0, 1.5, float("nan"), True):
        with pytest.raises(InputError, match=r"revenue_escalation_frac: must be a fraction per year in \(-1, 1\]"):
            grid.cost_of_waiting(pd.DataFrame({"stranded_gpus": [1.0]}), capex_usd_per_gpu=0.0,
                                 revenue_usd_per_gpu_h=4.0, utilisation_frac=0.7, annual_rate_frac=0.0,
                                 revenue_escalation_frac=r)


@pytest.mark.parametrize("bad, match", [
    (dict(utilisation_frac=80.0), r"utilisation_frac: must be a fraction in \[0, 1\] \(0\.8 for 80 %\), got 80"),
    (dict(utilisation_frac=-0.1), "utilisation_frac: must be a finite number >= 0"),
    (dict(revenue_usd_per_gpu_h=float("nan")), "revenue_usd_per_gpu_h: must be a finite number >= 0"),
    (dict(revenue_usd_per_gpu_h="4.9"), "revenue_usd_per_gpu_h: must be a finite number >= 0, got '4.9'"),
    (dict(hours_per_month_h=-730.0), "hours_per_month_h: must be a finite number >= 0"),
])
def test_waiting_inputs_out_of_range_are_clear_errors(bad, match):
    kw = dict(capex_usd_per_gpu=30_000.0, revenue_usd_per_gpu_h=4.916, utilisation_frac=0.8,
              annual_rate_frac=0.08)
    kw.update(bad)
    with pytest.raises(InputError, match=match):
        grid.delay_cost_usd_per_month(10, **kw)
    with pytest.raises(InputError, match=match):
        grid.cost_of_waiting(pd.DataFrame({"stranded_gpus": [1.0]}), **kw)


def _hand_waiting(res: dict, price: float, util: float, rate: float) -> tuple[float, float]:
    """Total waiting cost and cost per month of delay by hand from the published counts."""
    per_gpu_month = res["capex_usd_per_gpu"]["value"] * rate / 12 + 730 * price * util
    return res["stranded_gpu_months"]["value"] * per_gpu_month, res["gpus"]["value"] * per_gpu_month


@pytest.mark.slow
def test_interconnection_notebook_takes_price_and_sold_share_from_the_tcos_sources(tmp_path):
    sites = ["research-triangle-nc", "phoenix-az"]
    s = render(sites=sites, notebooks=["interconnection"], out=tmp_path / "default", jobs=1, progress=False)
    assert s.ok, s.table()
    price = _costs_csv_price()  # 4.916 (AWS p5 Capacity Blocks / 8) at the time of writing
    for site in sites:
        y = _site_yaml(site)
        # no site override of the rows read here (the bundled sites' own costs are water and sewer prices)
        own = set(y["finance"].get("costs") or {})
        assert "revenue_usd_per_gpu_h" not in y["finance"] and not own & {
            "revenue_usd_per_gpu_h", "server_usd_per_accelerator", "network_usd_per_accelerator",
            "storage_usd_per_accelerator", "facility_usd_per_mw"}
        util, rate = float(y["fleet"]["utilisation_frac"]), float(y["finance"]["discount_rate_frac"])
        res = json.loads((tmp_path / "default" / site / "interconnection" / "results.json").read_text())["results"]
        assert res["revenue_usd_per_gpu_h"]["value"] == price
        assert "data/costs.csv" in res["revenue_usd_per_gpu_h"]["label"]
        assert res["utilisation_frac"]["value"] == util
        assert res["stranded_gpu_months"]["value"] > 0  # the hand case below is not trivially 0
        # idle capital: the TCO's IT capex per accelerator and facility cost per MW (costs.csv)
        it = sum(_costs_csv(k) for k in ("server_usd_per_accelerator", "network_usd_per_accelerator",
                                         "storage_usd_per_accelerator"))
        fac = _facility_share_usd_per_gpu(site, _costs_csv("facility_usd_per_mw"))
        assert res["capex_usd_per_gpu"]["value"] == pytest.approx(it + fac, rel=1e-12)
        total, per_month = _hand_waiting(res, price, util, rate)
        assert res["waiting_cost_usd"]["value"] == pytest.approx(total, rel=1e-9)
        assert res["delay_cost_usd_per_month"]["value"] == pytest.approx(per_month, rel=1e-9)
    # a price given as a parameter (text, as from `dcplan render -p`) overrides the price only;
    # the sold share stays the site's
    s = render(sites=["phoenix-az"], notebooks=["interconnection"], out=tmp_path / "override", jobs=1,
               progress=False, parameters={"revenue_usd_per_gpu_h": "3.0", "server_usd_per_gpu": "30000"})
    assert s.ok, s.table()
    res = json.loads((tmp_path / "override" / "phoenix-az" / "interconnection" / "results.json").read_text())["results"]
    y = _site_yaml("phoenix-az")
    assert res["revenue_usd_per_gpu_h"]["value"] == 3.0
    fac = _facility_share_usd_per_gpu("phoenix-az", _costs_csv("facility_usd_per_mw"))
    assert res["capex_usd_per_gpu"]["value"] == pytest.approx(30_000.0 + fac, rel=1e-12)
    assert "notebook parameter" in res["revenue_usd_per_gpu_h"]["label"]
    assert res["utilisation_frac"]["value"] == float(y["fleet"]["utilisation_frac"])
    total, per_month = _hand_waiting(res, 3.0, float(y["fleet"]["utilisation_frac"]),
                                     float(y["finance"]["discount_rate_frac"]))
    assert res["waiting_cost_usd"]["value"] == pytest.approx(total, rel=1e-9)
    assert res["delay_cost_usd_per_month"]["value"] == pytest.approx(per_month, rel=1e-9)


def test_idle_capital_says_its_h100_it_prices_stand_in_as_the_tco_does():
    """A finance reviewer reading phoenix-az's interconnection report beside its tco report: the price per
    GPU-hour's label said the H100 figure stood in for hgx-b200, and the tco's price_note said its server price
    (33,750 USD per accelerator, data/costs.csv) did too, but the idle capital per GPU (63,788 USD, of which
    33,750 + 6,000 + 2,000 = 41,750 USD is that H100 server, network and storage figure) said nothing. Then it
    named the server price alone, while the network (6,000) and storage (2,000) prices it also counts are the same
    H100 stand-ins (the Assumptions' status estimate, "the H100 figure stands in for hgx-b200"). The label and the
    tco's price_note now name every stand-in part, each unless the site quotes its own; Research Triangle's H100
    fleet is priced as itself (no note in either), and the notebook's parameter (all three) removes it."""
    from dcplan.site import load_portfolio
    from dcplan.sweep_overrides import apply_overrides
    from dcplan.tco_labels import IDLE_CAPITAL_LABEL, idle_capital_label
    it = ("server_usd_per_accelerator", "network_usd_per_accelerator", "storage_usd_per_accelerator")
    assert [_costs_csv(k) for k in it] == [33_750.0, 6_000.0, 2_000.0]
    pf = load_portfolio()
    kw = dict(n_accelerators=3072, it_capacity_kw=5786.4, it_energy_kwh=3.59e7)
    for sid, stand_in in (("phoenix-az", "hgx-b200"), ("northern-virginia", "gb200-nvl72"), ("chicago-il", "hgx-h200"),
                          ("research-triangle-nc", None)):
        site = pf[sid]
        inputs = tco.inputs_from_site(site, **kw)
        label = idle_capital_label(site, inputs)
        tco_note = tco.price_note(site, inputs)  # the tco notebook's price_note of the same inputs
        if stand_in is None:
            assert label == IDLE_CAPITAL_LABEL and tco_note == ""
        else:
            assert label == (IDLE_CAPITAL_LABEL + "; its server, back-end fabric and storage prices are the H100 "
                             "figures of data/costs.csv (33,750, 6,000 and 2,000 USD per accelerator) standing in for "
                             f"{stand_in} (no sourced price of its own is bundled: an illustration; the tco notebook's "
                             "price_note; finance.costs.server_usd_per_accelerator, finance.costs.network_usd_per_"
                             "accelerator and finance.costs.storage_usd_per_accelerator set quotes)")
            # the same parts, values and hardware as the tco's note
            assert tco_note.startswith("The server, back-end fabric and storage prices per accelerator (33,750, 6,000 "
                                       "and 2,000 USD) are the H100 figures of data/costs.csv; no sourced price is "
                                       f"bundled for {stand_in}."), tco_note
            # and as the Assumptions table flags them
            assert all("the H100 figure stands in for " + stand_in in inputs.sources[k] for k in it)
        # the notebook's server_usd_per_gpu parameter replaces the TCO's IT prices: no stand-in to flag
        assert idle_capital_label(site, inputs, server_price_given=True) == IDLE_CAPITAL_LABEL
    # a site's quote for the server alone: its network and storage prices are still the H100 figures
    quoted = apply_overrides(pf["phoenix-az"], {"finance.costs.server_usd_per_accelerator": 45_000.0})
    inputs = tco.inputs_from_site(quoted, **kw)
    assert idle_capital_label(quoted, inputs).endswith(
        "; its back-end fabric and storage prices are the H100 figures of data/costs.csv (6,000 and 2,000 USD per "
        "accelerator) standing in for hgx-b200 (no sourced price of its own is bundled: an illustration; the tco "
        "notebook's price_note; finance.costs.network_usd_per_accelerator and finance.costs.storage_usd_per_"
        "accelerator set quotes)")
    assert tco.price_note(quoted, inputs).startswith(
        "The back-end fabric and storage prices per accelerator (6,000 and 2,000 USD) are the H100 figures")
    assert "45,000" not in tco.price_note(quoted, inputs)
    # quotes for all three: nothing stands in
    quoted = apply_overrides(pf["phoenix-az"], {f"finance.costs.{k}": 1.0 for k in it})
    inputs = tco.inputs_from_site(quoted, **kw)
    assert idle_capital_label(quoted, inputs) == IDLE_CAPITAL_LABEL and tco.price_note(quoted, inputs) == ""
    # the interconnection notebook publishes the label with the TCO inputs it counts the capital from
    src = (ROOT / "notebooks" / "interconnection.ipynb").read_text()
    assert "idle_capital_label(spec, tco_in, server_price_given=server_usd_per_gpu != -1.0)" in src
