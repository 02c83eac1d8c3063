"""A site outside the US gets a caveat that the TCO's tax is US federal law (an international planner:
a site in Bari, Europe/Rome, was taxed at 21 % under 26 U.S.C. 11(b) with MACRS depreciation and pointed
to the IRC 48/48E credits, and its NPV carried no caveat)."""
from __future__ import annotations

import json
from types import SimpleNamespace

from dcplan.site import load_portfolio
from dcplan.tco_export_case import CASE_LABELS
from dcplan.tco_notes import us_tax_rules_note

from conftest import ROOT


def test_a_site_outside_the_us_is_told_its_tax_is_us_law():
    # Europe/Rome: IT in zone.tab (and SM, VA in zone1970.tab), as the tz database lists it
    note = us_tax_rules_note(SimpleNamespace(timezone="Europe/Rome"))
    assert note.startswith("Tax: US federal rules, though the site's time zone Europe/Rome is not a US zone (a zone "
                           "of IT")
    assert note.endswith("the country's own depreciation schedules, allowances and credits are not modelled, so "
                         "the after-tax figures are indicative only.")
    assert "Set finance.tax_rate_frac to the country's rate" in note
    assert us_tax_rules_note(SimpleNamespace(timezone="Asia/Kolkata")).startswith(
        "Tax: US federal rules, though the site's time zone Asia/Kolkata is not a US zone (a zone of IN):")


def test_us_sites_and_unlisted_zones_get_none():
    for site in load_portfolio().sites:
        assert us_tax_rules_note(site) == "", site.id
    assert us_tax_rules_note(SimpleNamespace(timezone="UTC")) == ""


def test_the_tco_notebook_prints_and_publishes_it_with_its_label():
    src = "\n".join("".join(c["source"]) for c in json.loads((ROOT / "notebooks" / "tco.ipynb").read_text())["cells"])
    assert "us_note = us_tax_rules_note(spec)" in src and '"us_tax_rules": us_note' in src
    assert CASE_LABELS["us_tax_rules"].startswith("Tax: US federal rules for a site outside the US")


def test_a_site_that_gave_its_own_rate_is_told_what_stays_us_law():
    """A verifier's Bari site set finance.tax_rate_frac 0.24 and was still told "the 21 % federal rate ...
    Set finance.tax_rate_frac to the country's rate"; now the note says its own rate is used and what
    stays US law (depreciation, bonus, credit, the sensitivity range)."""
    site = SimpleNamespace(timezone="Europe/Rome", finance=SimpleNamespace(tax_rate_frac=0.24, costs={}))
    note = us_tax_rules_note(site)
    assert ("the site's own tax rate (24 %, finance.tax_rate_frac) is used, but MACRS depreciation (IRC 168) and its "
            "bonus (168(k)), the IRC 48/48E PV credit named and the tornado's and Monte Carlo's tax range (21 % "
            "federal to 30.1 % with a US state's) are US law and US figures; the country's own depreciation "
            "schedules, allowances and credits are not modelled") in note
    assert "Set finance.tax_rate_frac" not in note
    via_costs = SimpleNamespace(timezone="Europe/Rome", finance=SimpleNamespace(tax_rate_frac=None,
                                                                                  costs={"tax_rate_frac": 0.24}))
    assert us_tax_rules_note(via_costs) == note
