"""The price per GPU-hour sold by accelerator (lender's engineer, finding 4).

Chicago (512 HGX H200 = 4,096 GPUs) was priced at the H100's 4.916 USD/GPU-h with the note "no sourced
price per GPU-hour is bundled for hgx-h200", though the AWS page copy data/costs.csv's H100 price comes
from (docs/reference-data.md s.7, "H200 p5e: 43.26 / 5.408") lists the H200: 5.408 USD/GPU-h. At Chicago's
~25.1 M GPU-h a year sold that is 0.492 x 25.1 M = ~12.4 M USD of revenue a year. A fleet of sourced
accelerators is now priced at its own figure; other hardware keeps the H100 figure and the note, and the
note has a short form for the NPV's label (revenue_caveat).
"""
from __future__ import annotations

import pytest

from dcplan import tco
from dcplan.site import load_portfolio
from dcplan.tco import run_tco
from dcplan.tco_inputs import (REVENUE_PRICED_ACCELERATORS, REVENUE_PRICES_USD_PER_GPU_H, fleet_revenue_price,
                               revenue_caveat, revenue_note)
from dcplan.tco_uncertainty import default_ranges

KW = dict(n_accelerators=4096, it_capacity_kw=5616.0, it_energy_kwh=4.2e7)
H100 = 39.33 / 8       # AWS p5.48xlarge Capacity Blocks, 8 x H100 (data/costs.csv): 4.91625, listed 4.916
H200 = 43.26 / 8       # AWS p5e.48xlarge Capacity Blocks, 8 x H200 (same page): 5.4075, listed 5.408
# the sentence every stand-in caveat ends with (hardware planner: an H200 fleet at the H100 server price and its
# own +10 % price per GPU-hour beat an H100 fleet by that price alone): its NPV does not compare across hardware
NOT_COMPARABLE = ("; so NPVs of fleets of different hardware are not comparable (they differ by power and counts, "
                  "not by their own economics)")


@pytest.fixture(scope="module")
def pf():
    return load_portfolio()


def _with_phases(site, *hardware):
    """``site`` with its first phase repeated, one per hardware key (the same count each)."""
    ph = site.fleet.phases[0]
    phases = tuple(ph.model_copy(update={"hardware": h, "label": f"Hall {i}"}) for i, h in enumerate(hardware, 1))
    return site.model_copy(update={"fleet": site.fleet.model_copy(update={"phases": phases})})


def test_an_h200_fleet_is_priced_at_the_aws_h200_figure(pf):
    chi = pf["chicago-il"]
    assert [p.hardware for p in chi.fleet.phases] == ["hgx-h200"]
    assert REVENUE_PRICED_ACCELERATORS == {"h100-sxm", "h200-sxm"}
    # the page lists per-GPU prices to 3 decimals: 43.26 / 8 = 5.4075 -> 5.408, 39.33 / 8 = 4.91625 -> 4.916
    assert REVENUE_PRICES_USD_PER_GPU_H["h200-sxm"][0] == pytest.approx(H200, abs=5.01e-4)  # half a 3rd decimal + float
    assert tco.load_costs().at["revenue_usd_per_gpu_h", "value"] == pytest.approx(H100, abs=5e-4)
    inp = tco.inputs_from_site(chi, **KW)
    assert inp.params()["revenue_usd_per_gpu_h"] == 5.408
    row = tco.assumptions_table(inp, 1e6).set_index("key").loc["revenue_usd_per_gpu_h"]
    assert (row["value"], row["vintage"], row["status"]) == (5.408, "2024 (valid to 2025-01-01)", "primary")
    assert row["source"].startswith("AWS EC2 Capacity Blocks pricing page (copy), US East: p5e.48xlarge, 8 x H200, "
                                    "43.26 USD/h per instance = 5.408 USD/GPU-h")
    # the range follows the price (tester: the H200 tornado kept the H100's 1.99-6.98): the H100 rentals'
    # range scaled by 5.408 / 4.916, no H200 range being sourced; hand: 1.99 x 5.408 / 4.916 = 10.76192 / 4.916
    # = 2.189162, 6.98 x 5.408 / 4.916 = 37.74784 / 4.916 = 7.678568 (rel: the 7 digits written here)
    assert row["source"].endswith("the tornado and Monte Carlo scale data/costs.csv's H100 range 1.99-6.98 USD/GPU-h "
                                  "by this price over the H100's 4.916: 2.189-7.679 USD/GPU-h (the H100 rentals' "
                                  "relative spread; no range of the others is sourced; "
                                  "dcplan.tco_uncertainty.default_ranges)")
    assert default_ranges(inp)["revenue_usd_per_gpu_h"] == pytest.approx((2.189162, 7.678568), rel=1e-6)
    # the Monte Carlo draws over the same range (triangular low, base, high)
    from dcplan.tco_uncertainty import default_distributions
    kind, *abc = default_distributions(inp)["revenue_usd_per_gpu_h"]
    assert kind == "triangular" and abc == pytest.approx([2.189162, 5.408, 7.678568], rel=1e-6)
    # a price the site sets keeps the H100 bounds (widened to contain it), as before
    own = inp.with_costs(revenue_usd_per_gpu_h=5.408)
    assert default_ranges(own)["revenue_usd_per_gpu_h"] == (1.99, 6.98)
    # its own price: nothing to flag
    assert revenue_note(chi, inp) == "" and revenue_caveat(chi, inp) == ""


def test_chicagos_revenue_is_the_h200_price_times_the_gpu_hours(pf):
    chi = pf["chicago-il"]
    inp = tco.inputs_from_site(chi, phases=tco.fleet_phases(chi.fleet), **KW)
    r = run_tco(inp, 4.0e6)
    old = run_tco(inp.with_costs(revenue_usd_per_gpu_h=4.916), 4.0e6)
    m, o = r.monthly, old.monthly
    on = m["gpu_hours"] > 0
    assert on.sum() > 12
    # every month sold: the same GPU-hours at 5.408 instead of 4.916 (escalation is the same factor in both)
    assert (m.loc[on, "revenue_usd"] / o.loc[on, "revenue_usd"]).to_numpy() == pytest.approx(5.408 / 4.916, rel=1e-12)
    # a year of operations at 0.7 utilisation: 4,096 x 8,760 x 0.7 = 25,116,672 GPU-h (the finding's 25.1 M),
    # 0.492 USD more each: 12,357,403 USD (the finding's ~12.4 M) before escalation
    year = m.index[on][:12]
    gh = float(m.loc[year, "gpu_hours"].sum())
    assert gh == pytest.approx(4096 * 8760 * 0.7, rel=1e-12)
    esc = float(m.loc[year[0], "revenue_usd"] / (m.loc[year[0], "gpu_hours"] * 5.408))  # the year's price factor
    extra = float((m.loc[year, "revenue_usd"] - o.loc[year, "revenue_usd"]).sum()) / esc
    assert extra == pytest.approx(25_116_672 * 0.492, rel=1e-9)


def test_a_mix_of_sourced_accelerators_takes_their_weighted_price(pf):
    # half H100, half H200 (256 servers x 8 each): (4.916 + 5.408) / 2 = 5.162 (hand)
    mix = _with_phases(pf["chicago-il"], "hgx-h100", "hgx-h200")
    price, src = fleet_revenue_price(mix)
    assert price == pytest.approx(5.162, abs=1e-12)
    assert src.startswith("mean weighted by the fleet's accelerators (hgx-h100: 4,096 accelerators at 4.916 "
                          "USD/GPU-h, data/costs.csv row revenue_usd_per_gpu_h (")
    assert "; hgx-h200: 4,096 accelerators at 5.408 USD/GPU-h, AWS EC2" in src
    assert tco.inputs_from_site(mix, **KW).params()["revenue_usd_per_gpu_h"] == pytest.approx(5.162, abs=1e-12)
    # an all-H100 fleet keeps the costs.csv row (its own source): no price of its own
    assert fleet_revenue_price(_with_phases(pf["chicago-il"], "hgx-h100")) is None


def test_an_h200_beside_hardware_of_no_sourced_price_is_sold_at_the_h100_figure_and_said(pf):
    mix = _with_phases(pf["chicago-il"], "hgx-h200", "hgx-b200")
    inp = tco.inputs_from_site(mix, **KW)
    assert fleet_revenue_price(mix) is None and inp.params()["revenue_usd_per_gpu_h"] == 4.916
    note = revenue_note(mix, inp)
    assert note.startswith("Revenue is priced at 4.916 USD/GPU-h, the H100 figure of data/costs.csv")
    assert ("; no sourced price per GPU-hour is bundled for hgx-b200; it is also the price of hgx-h200, whose own "
            "sourced price (5.408 USD/GPU-h, dcplan.tco_revenue.REVENUE_PRICES_USD_PER_GPU_H) is not used: used only "
            "for a fleet whose every accelerator has a sourced price. Set finance.revenue_usd_per_gpu_h") in note
    assert revenue_caveat(mix, inp) == ("revenue at the H100 price of 4.916 USD/GPU-h for hgx-b200, hgx-h200 (not its "
                                        "own sourced price; caveat_revenue_note)")


def test_the_site_or_a_scenario_price_wins_and_a_scenarios_h100_price_is_said(pf):
    chi = pf["chicago-il"]
    own = chi.model_copy(update={"finance": chi.finance.model_copy(update={"revenue_usd_per_gpu_h": 3.0})})
    inp = tco.inputs_from_site(own, **KW)
    assert inp.params()["revenue_usd_per_gpu_h"] == 3.0 and inp.sources["revenue_usd_per_gpu_h"] == \
        "site.finance.revenue_usd_per_gpu_h"
    assert tco.inputs_from_site(chi, revenue_usd_per_gpu_h=2.5, **KW).params()["revenue_usd_per_gpu_h"] == 2.5
    # the low-price scenario's 1.99 (RunPod H100) over an H200 fleet: the note says the H200's own is replaced
    low = tco.inputs_from_site(chi, revenue_usd_per_gpu_h=1.99, **KW)
    assert revenue_note(chi, low, "low-price") == (
        "Revenue is priced at 1.99 USD/GPU-h, the low-price scenario's price, an H100 figure (RunPod H100, Mar 2026, "
        "unverified); it is also the price of hgx-h200, whose own sourced price (5.408 USD/GPU-h, "
        "dcplan.tco_revenue.REVENUE_PRICES_USD_PER_GPU_H) is not used: the scenario's price replaces it. The "
        "scenario sets it over finance.revenue_usd_per_gpu_h; run another scenario for the site's price.")


def test_the_h100_stand_in_has_a_short_caveat_for_the_npv_label(pf):
    phx = pf["phoenix-az"]  # HGX B200: no sourced price of its own
    inp = tco.inputs_from_site(phx, **KW)
    assert inp.params()["revenue_usd_per_gpu_h"] == 4.916
    assert "no sourced price per GPU-hour is bundled for hgx-b200" in revenue_note(phx, inp)
    assert revenue_caveat(phx, inp) == ("revenue at the H100 price of 4.916 USD/GPU-h for hgx-b200 (no sourced price "
                                        "of its own; caveat_revenue_note)")
    # the site's own price: neither
    own = phx.model_copy(update={"finance": phx.finance.model_copy(update={"revenue_usd_per_gpu_h": 6.0})})
    assert revenue_caveat(own, tco.inputs_from_site(own, **KW)) == ""
    # an H100 fleet: neither
    rt = pf["research-triangle-nc"]
    assert revenue_caveat(rt, tco.inputs_from_site(rt, **KW)) == ""


def test_the_npv_label_caveat_names_every_h100_stand_in(pf):
    """Tester: the NPV headline (results.json, the HTML report, the index) carried no mark for a B200 fleet
    priced and costed at H100 figures. stand_in_caveat is what the tco notebook appends to the NPV labels:
    the revenue price (revenue_caveat) and every IT price per accelerator that stands in (price_note), each naming
    the caveat that says it in full; data/costs.csv: server_usd_per_accelerator 33,750, network 6,000, storage
    2,000 USD (was: the server price alone, though the IT capex it marks counts all three)."""
    from dcplan.tco_revenue import stand_in_caveat
    phx = pf["phoenix-az"]  # HGX B200: neither price is its own
    inp = tco.inputs_from_site(phx, **KW)
    assert stand_in_caveat(phx, inp) == (
        "rests on H100 stand-in figures: revenue at the H100 price of 4.916 USD/GPU-h for hgx-b200 (no sourced price "
        "of its own; caveat_revenue_note); IT capex at the H100 server, back-end fabric and storage prices of 33,750, "
        "6,000 and 2,000 USD per accelerator for hgx-b200 (caveat_price_note)" + NOT_COMPARABLE)
    # an H200 fleet sells at its own price, but its servers, fabric and storage are costed at the H100's
    chi = pf["chicago-il"]
    assert stand_in_caveat(chi, tco.inputs_from_site(chi, **KW)) == (
        "rests on H100 stand-in figures: IT capex at the H100 server, back-end fabric and storage prices of 33,750, "
        "6,000 and 2,000 USD per accelerator for hgx-h200 (caveat_price_note)" + NOT_COMPARABLE)
    # an H100 fleet, or every price set by the site: no caveat
    assert stand_in_caveat(pf["research-triangle-nc"], tco.inputs_from_site(pf["research-triangle-nc"], **KW)) == ""
    own = phx.model_copy(update={"finance": phx.finance.model_copy(update={
        "revenue_usd_per_gpu_h": 6.0, "costs": {"server_usd_per_accelerator": 50_000.0,
                                                 "network_usd_per_accelerator": 7_000.0,
                                                 "storage_usd_per_accelerator": 3_000.0}})})
    assert stand_in_caveat(own, tco.inputs_from_site(own, **KW)) == ""


def test_a_quoted_server_price_leaves_the_fabric_and_storage_stand_ins_in_the_npv_caveat(pf):
    """A site quoting its server price alone still has the H100 back-end fabric (6,000) and storage (2,000 USD per
    accelerator, data/costs.csv) in its IT capex: the NPV caveat names those two, as price_note and the
    interconnection notebook's idle capital do (one rule, dcplan.tco_stand_in.stand_in_prices). Was: no caveat."""
    from dcplan.tco_labels import idle_capital_label
    from dcplan.tco_inputs import price_note
    from dcplan.tco_revenue import stand_in_caveat
    phx = pf["phoenix-az"]
    quoted = phx.model_copy(update={"finance": phx.finance.model_copy(update={
        "revenue_usd_per_gpu_h": 6.0, "costs": {"server_usd_per_accelerator": 50_000.0}})})
    inp = tco.inputs_from_site(quoted, **KW)
    assert stand_in_caveat(quoted, inp) == (
        "rests on H100 stand-in figures: IT capex at the H100 back-end fabric and storage prices of 6,000 and 2,000 "
        "USD per accelerator for hgx-b200 (caveat_price_note)" + NOT_COMPARABLE)
    # the three texts name the same parts at the same values
    assert price_note(quoted, inp).startswith("The back-end fabric and storage prices per accelerator (6,000 and "
                                              "2,000 USD) are the H100 figures")
    assert ("; its back-end fabric and storage prices are the H100 figures of data/costs.csv (6,000 and 2,000 USD per "
            "accelerator) standing in for hgx-b200") in idle_capital_label(quoted, inp)
    # every bundled site: the caveat's IT parts are price_note's
    for site in pf.sites:
        i = tco.inputs_from_site(site, **KW)
        note, cav = price_note(site, i), stand_in_caveat(site, i)
        assert ("IT capex at the H100" in cav) == bool(note), site.name
        if note:
            words = note.removeprefix("The ").split(" per accelerator")[0]  # "server, ... and storage prices"
            assert f"IT capex at the H100 {words} of" in cav, site.name
