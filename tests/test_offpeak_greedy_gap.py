"""The saving vs the cheapest-hours greedy baseline says what it is made of where the energy price is flat.

An energy manager's finding: on a flat tariff the off-peak headline read "What the optimization adds over the
cheapest-hours greedy baseline: 189,237 USD" (a flat-rate copy of the Chicago site, 0.085 $/kWh and 12 $/kW-month,
against 323 USD saved against the site's own bill). Greedy ranks hours by price x PUE: with one price it has no cheap
hours of the tariff to seek, and the gap was its demand peaks (193,336 USD of demand charges, -4,099 USD of energy:
greedy's energy bill is the lower). The label now leads with that, from the bills' demand and energy parts.
"""
from __future__ import annotations

import json
import re

import numpy as np
import pytest

from dcplan import schedule_greedy_gap as G


def test_the_gap_of_the_flat_chicago_copy_is_all_demand_peaks():
    # the rolling year's bills of the flat-rate Chicago copy (rendered tables): greedy's demand charges 947,361 USD,
    # the optimized 754,025 USD: 193,336 USD; energy 3,831,379 - 3,835,478 = -4,099 USD; the gap 189,237 USD
    # = 193,336 - 4,099 (the fixed charges are the same); the demand part is more than the whole gap: "all of it"
    what, detail = G.greedy_gap_words(189_237.0, -4_099.0, 193_336.0, "one energy price in every hour")
    assert what == "all of it a cut of greedy's demand peaks"
    assert detail.startswith("one energy price in every hour: greedy ranks hours by price x PUE")
    assert detail.endswith("of the gap, demand charges 193,336 USD, energy charges -4,099 USD")


@pytest.mark.parametrize("energy, demand, what", [
    (40.0, 60.0, "mostly a cut of greedy's demand peaks"),  # 60 of 100: more than half (LARGELY_FRAC 0.5)
    (60.0, 40.0, ""),  # 40 of 100: not mostly; the parts are still said
])
def test_a_demand_part_below_the_gap_is_mostly_or_not_said(energy, demand, what):
    w, d = G.greedy_gap_words(100.0, energy, demand, "one energy price in every hour", 0.5)
    assert w == what
    assert d.endswith(f"demand charges {demand:,.0f} USD, energy charges {energy:,.0f} USD")


def test_fixed_charges_in_the_gap_are_named():
    # 100 = 105 demand - 10 energy + 5 (the rest: fixed and minimum charges)
    assert G.greedy_gap_words(100.0, -10.0, 105.0, "one energy price in every hour")[1].endswith(
        "demand charges 105 USD, energy charges -10 USD, fixed and minimum charges 5 USD")


def test_no_words_where_the_price_varies_or_the_gap_is_not_given():
    assert G.greedy_gap_words(100.0, -5.0, 105.0, "") == ("", "")
    assert G.greedy_gap_words(np.nan, -5.0, 105.0, "one energy price in every hour") == ("", "")


def test_a_tou_price_is_not_flat_and_a_near_flat_one_is():
    # PUE from 1.1463 to 1.2666 (Research Triangle's plant at full design IT, the rendered year): spread
    # (1.2666 - 1.1463) / mean 1.20645 = 9.97 %
    pue = np.array([1.1463, 1.2666])
    # Duke's OPT TOU energy rates (data/tariffs/duke-nc-opt-tou.json): 0.0495 and 0.068 $/kWh, spread 0.0185 / 0.05875
    # = 31.5 % > 9.97 %: greedy's hours are the tariff's cheap ones
    assert G.flat_price_text([0.0495, 0.068], pue) == ""
    assert G.flat_price_text([0.085, 0.085], pue) == "one energy price in every hour"
    # 0.080 and 0.084 $/kWh: 0.004 / 0.082 = 4.88 % < 9.97 %: nearly flat
    assert G.flat_price_text([0.080, 0.084], pue) == (
        "an energy price that varies less from hour to hour than the plant's PUE (4.88 % from lowest to highest, "
        "the PUE 9.97 %)")


@pytest.mark.slow
def test_flat_tariff_headline_says_the_gap_vs_greedy_is_its_demand_peaks(tmp_path):
    from conftest import bundled_site_copy
    from dcplan.report import render
    f = bundled_site_copy(tmp_path, "chicago-il", "flat-chicago", name="Chicago, IL (flat)",
                          tariff={"file": None, "flat_usd_per_kwh": 0.085, "demand_usd_per_kw": 12.0,
                                  "fixed_usd_per_month": 500,
                                  "source": "TEST: the flat example of data/tariffs/README.md"})
    pf = tmp_path / "pf.yaml"
    pf.write_text(f"name: t\nsites: [{f.name}]\n")
    s = render(portfolio=pf, notebooks=["offpeak_scheduling"], out=tmp_path / "r", jobs=1, progress=False,
               parameters={"rolling_weeks": 1})
    assert s.ok, s.table()
    res = json.loads((tmp_path / "r" / "flat-chicago" / "offpeak_scheduling" / "results.json").read_text())["results"]
    parts = re.compile(r"of the gap, demand charges (-?[\d,]+) USD, energy charges (-?[\d,]+) USD\)")
    for key, head in (("rolling_saving_vs_greedy_usd", "What the optimization adds over greedy: "),
                      ("week_saving_vs_greedy_usd", "Week: billed saving vs greedy, ")):
        r = res[key]
        assert r["label"].startswith(head + "all of it a cut of greedy's demand peaks (one energy price in every "
                                     "hour: greedy ranks hours by price x PUE"), (key, r["label"][:200])
        m = parts.search(r["label"])
        assert m, (key, r["label"][:600])
        demand, energy = (float(x.replace(",", "")) for x in m.groups())
        # the parts re-add to the published gap (the fixed charge is the same in both bills); each is rounded to
        # 1 USD in the label: 1 USD covers the two roundings
        assert demand + energy == pytest.approx(r["value"], abs=1.0), key
        assert demand >= r["value"] - 1.0, key  # "all of it": the demand part is the whole gap or more
    # under one price the year's energy part is the price times the grid energy greedy takes less (flat: every kWh
    # at 0.085 $/kWh, the fixed charge apart): 85 USD/MWh x rolling_grid_saving_vs_greedy_mwh; 1 USD: the label's
    # rounding
    m = parts.search(res["rolling_saving_vs_greedy_usd"]["label"])
    assert float(m[2].replace(",", "")) == pytest.approx(85.0 * res["rolling_grid_saving_vs_greedy_mwh"]["value"],
                                                         abs=1.0)
    # the price-spread sensitivity under one price: twice a spread of 0 is the same price, so the case is the week's
    # own (old label: "at twice the price spread", as if the price had been stretched); the same MILP solved again,
    # started from the week's optimum: equal within HiGHS's relative gap asked, 0.1 % of the week's bill
    dbl = res["saving_double_spread_usd"]
    assert dbl["label"].endswith("; the tariff has one energy price over the week: twice its spread is the same "
                                 "price, so this is the week's own saving vs run-ASAP (week_saving_vs_asap_usd) "
                                 "solved again")
    assert dbl["value"] == pytest.approx(res["week_saving_vs_asap_usd"]["value"],
                                         abs=1e-3 * res["week_bill_optimized_usd"]["value"])
