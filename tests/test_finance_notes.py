"""What the finance inputs' notes say, and the site check of inputs set twice (lender's engineer,
findings 5, 10 and 11).

5. ``discount_rate_frac``'s note called stabilized data-center cap rates "the proxy" of the rate; a cap rate
   is a real-estate yield, about r - g, and an AI hall's cost is mostly IT hardware with GPU-rental risk:
   cap rates are a floor, the project's rate is higher (label only: the value stays 8 %).
10. ``interconnection_usd_per_mw`` (890,000) is 7.6 % (McKinsey's power share of *total* DC capex, via Axios)
    x 11.7 M USD/MW (C&W's facility-only cost): the note says what is multiplied and both doubts.
11. ``dcplan validate`` on a site setting two inputs both in ``finance:`` and ``finance.costs`` named
    only the first.
"""
from __future__ import annotations

import json

import pytest
import yaml

from conftest import DATA, ROOT

from dcplan import tco
from dcplan import validate as V


def test_the_discount_rate_note_says_cap_rates_are_a_floor_not_the_proxy():
    row = tco.load_costs().loc["discount_rate_frac"]
    assert (row["value"], row["low"], row["high"], row["status"]) == (0.08, 0.055, 0.12, "estimate")  # no change
    d = row["description"]
    assert "proxy:" not in d and "are the proxy" not in d
    assert d.startswith("Discount rate / WACC, nominal and after tax (NPV and IRR discount nominal USD cash flows "
                        "after income tax; the TCO present value and the levelized unit costs discount the pre-tax "
                        "costs at the same rate, a convention), annual effective (month m discounted by "
                        "(1 + r)^(-m/12), end of month): 8 % is dcplan's default (finance spec default); no primary "
                        "WACC found.")
    assert ("are not the proxy but a floor: a cap rate is a real-estate yield, about r - g (r = cap rate + growth), "
            "for a leased building; most of an AI hall's cost is IT hardware earning GPU-rental prices, riskier, so "
            "its rate is higher") in d
    assert d.endswith("high 12 % (estimate) shows the sensitivity in the tornado")
    assert row["source"] == ("estimate; no primary WACC found; JLL via apers.app (cap rates, secondary: a floor, "
                             "not the rate)")
    sources = (DATA / "SOURCES.md").read_text()
    assert "are the proxy" not in sources
    assert "are not a proxy for it but a floor: a cap\n  rate is a real-estate yield, about r - g" in sources


def test_the_discount_rate_says_its_basis_wherever_a_reader_meets_it():
    """A finance reviewer found the 8 % nowhere said to be nominal and after tax, though the flows it discounts
    are nominal USD after income tax (a real or pre-tax WACC would misstate the NPV): the Assumptions row (the
    default's and a site's own value), the About sheet's discounting row, the published label and costs.md."""
    import numpy as np

    from dcplan import tco_export
    from dcplan.tco_labels import SUMMARY_LABELS
    basis = "nominal and after tax"
    bill = np.linspace(3e5, 4e5, 12)
    for costs in ({}, {"discount_rate_frac": 0.1}):
        inp = tco.TcoInputs(n_accelerators=4096, it_capacity_kw=6000.0, it_energy_kwh=4.2e7, costs=costs)
        r = tco.run_tco(inp, bill)
        row = r.assumptions.set_index("key").loc["discount_rate_frac"]
        assert basis in row["description"] and "annual effective" in row["description"], row["description"]
    about = tco_export.workbook_frames(r)["About"].set_index("item")["text"]
    assert ("discount_rate_frac the annual effective rate, nominal and after tax as the flows of NPV and IRR are"
            in about["discounting"])
    assert SUMMARY_LABELS["discount_rate_frac"].startswith("Discount rate (nominal, after tax, annual effective;")
    assert "`discount_rate_frac` is a nominal, after-tax, annual effective rate" in (DATA / "costs.md").read_text()


def test_the_discount_rate_texts_say_the_tco_pv_and_unit_costs_are_pre_tax_costs_at_that_rate():
    """A reviewer found the rate's texts saying every discounted flow is after income tax, while metrics()
    discounts net_cash_flow_usd (after tax: NPV, IRR) and total_cost_usd (before tax: tco_pv_usd and the
    levelized unit costs) at the same rate. Each text now says both, and the numbers are what they say."""
    import numpy as np

    from dcplan import tco_export
    inp = tco.TcoInputs(n_accelerators=4096, it_capacity_kw=6000.0, it_energy_kwh=4.2e7)
    r = tco.run_tco(inp, np.linspace(3e5, 4e5, 12))
    m = r.monthly
    rate = r.summary["discount_rate_frac"]
    disc = (1 + rate) ** (-np.arange(1, len(m) + 1) / 12)
    # the TCO PV is the pre-tax total_cost_usd discounted at the NPV's rate (hand sum; rel 1e-12: float order)
    assert r.summary["tco_pv_usd"] == pytest.approx((m["total_cost_usd"] * disc).sum(), rel=1e-12)
    assert r.summary["npv_usd"] == pytest.approx((m["net_cash_flow_usd"] * disc).sum(), rel=1e-12)
    # total_cost_usd is before income tax: net = revenue - total cost - income tax (identity; abs 1e-6 USD), and
    # the tax is not nil here (so the two bases differ)
    assert np.allclose(m["net_cash_flow_usd"], m["revenue_usd"] - m["total_cost_usd"] - m["income_tax_usd"],
                       rtol=0, atol=1e-6)
    assert m["income_tax_usd"].abs().sum() > 1e6
    texts = {
        "costs.csv": tco.load_costs().loc["discount_rate_frac", "description"],
        "costs.md": " ".join((DATA / "costs.md").read_text().split()),
        "glossary": (ROOT / "docs" / "glossary.md").read_text(),
        "About": tco_export.workbook_frames(r)["About"].set_index("item")["text"]["discounting"],
        "notebook": " ".join(c["source"] if isinstance(c["source"], str) else "".join(c["source"])
                             for c in json.loads((ROOT / "notebooks" / "tco.ipynb").read_text())["cells"]),
    }
    for name, text in texts.items():
        assert "the cash flows are nominal USD after income tax" not in text, name
        assert "as the flows are (nominal USD" not in text, name
        assert "pre-tax cost" in text and "convention" in text, name
    assert "discount the pre-tax costs (`total_cost_usd`: capex + opex - residual, no income tax)" in texts["costs.md"]
    assert ("total_cost_usd (and tco_pv_usd, its PV) is a pre-tax cost, discounted at the same after-tax rate: "
            "a stated convention.") in texts["About"]


def test_the_interconnection_note_says_what_is_multiplied_and_the_doubts():
    t = tco.load_costs()
    # 7.6 % x C&W's 11.7 M USD/MW (facility_usd_per_mw) = 889,200 USD/MW, rounded to the row's 890,000 (hand)
    assert t.at["facility_usd_per_mw", "value"] == 11_700_000
    assert round(0.076 * 11_700_000) == 889_200 and round(889_200, -4) == t.at["interconnection_usd_per_mw", "value"]
    src = t.at["interconnection_usd_per_mw", "source"]
    assert src.startswith("estimate: 0.076 x 11,700,000 USD/MW = 889,200, rounded to 890,000: McKinsey's 7.6 % power "
                          "share of total DC capex (via Axios, secondary) times C&W's facility-only construction cost "
                          "per MW (row facility_usd_per_mw).")
    assert "if the 7.6 % is of a total with IT included, it is applied to another base (facility only)" in src
    assert "already includes the substation, it is counted twice" in src
    assert t.at["interconnection_usd_per_mw", "status"] == "estimate"


def test_validate_names_every_input_set_twice_in_finance(tmp_path):
    d = yaml.safe_load((DATA / "sites" / "chicago-il.yaml").read_text())
    for sec in ("weather", "tariff"):
        d[sec]["file"] = str(DATA / d[sec]["file"])
    d["finance"] = {"horizon_years": 10, "tax_rate_frac": 0.21, "discount_rate_frac": 0.08,
                    "costs": {"tax_rate_frac": 0.3, "discount_rate_frac": 0.2}}
    f = tmp_path / "twice.yaml"
    f.write_text(yaml.safe_dump(d, sort_keys=False))
    probs = V.validate_file(f)
    assert [(p.field, p.message) for p in probs] == [(
        "finance.costs",
        "tax_rate_frac is set twice, as finance.tax_rate_frac (0.21) and finance.costs.tax_rate_frac (0.3); "
        "discount_rate_frac is set twice, as finance.discount_rate_frac (0.08) and finance.costs.discount_rate_frac "
        "(0.2); set each once")]
    # one input set twice: the message as before
    d["finance"]["costs"] = {"tax_rate_frac": 0.3}
    f.write_text(yaml.safe_dump(d, sort_keys=False))
    assert [p.message for p in V.validate_file(f)] == [
        "tax_rate_frac is set twice, as finance.tax_rate_frac (0.21) and finance.costs.tax_rate_frac (0.3); "
        "set it once"]
