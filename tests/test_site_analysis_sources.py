"""What the bundled examples' electricity figures rest on (a source auditor): every report opened with
"Weather, tariff, hardware and cost defaults are sourced (data/SOURCES.md)", while the Duke tariff's
energy prices, on-peak demand charges and customer charge are dcplan estimates (about 93 % of
Research Triangle's bill). The site notes say which of each tariff's prices are sourced, and the
bill's headline names the tariff and where that is said."""
from __future__ import annotations

import pytest

from conftest import DATA
from dcplan.site import load_portfolio


def test_site_notes_say_which_tariff_prices_are_estimates():
    sources = (DATA / "SOURCES.md").read_text()
    for site in load_portfolio(DATA / "portfolio.yaml").sites:
        assert "cost defaults are sourced (data/SOURCES.md)" not in site.notes
        assert "defaults are sourced or marked as dcplan estimates in data/SOURCES.md" in site.notes, site.id
        assert "estimated" in site.notes, site.id
    # what the notes say matches SOURCES.md: Duke's energy prices and on-peak demand are estimates there
    assert "Estimates: energy 0.0495 off-peak /\n  0.0680 on-peak $/kWh" in sources


def test_the_bill_headline_names_the_tariff(monkeypatch):
    from conftest import run_cells_until
    import dcplan.results
    got = {}

    def publish(values, *a, **k):
        if isinstance(values, dict):
            got.update(values)
    monkeypatch.setattr(dcplan.results, "publish", publish)
    ns, _ = run_cells_until("site_analysis", '"bill_usd"', monkeypatch, site="research-triangle-nc")
    value, unit, label = got["bill_usd"]
    # the price date (a finance analyst's finding: bills of sites whose tariffs are of different dates were compared
    # as if of one year): the Duke file's startdate 2026-01-01 (assumed, its dcplan_startdate_note), 181 days =
    # 0.5 years before the fleet's first operating month 2026-07; was "Annual electricity bill (Modeled on ...
    # the tariff's own source)"
    # the Duke file's price status (dcplan_price_status "estimate: ...", data/SOURCES.md: all its energy prices are
    # dcplan estimates) in the first clause since the input-status review, 2026 (was "... not escalated (Modeled ...")
    assert label == ("Annual electricity bill at 2026-01-01 prices, not escalated, resting on estimated tariff prices "
                     "(Modeled on Schedule OPT-V "
                     "(Optional Power Service, Time of Use, Large "
                     "General Service) - rates estimated; which of its prices are sourced and which estimated: "
                     "data/SOURCES.md, Tariffs, or the tariff's own source; 2026-01-01 is the tariff's startdate, the "
                     "date its prices are in force from (assumed: no effective date was found for these figures "
                     "(data/SOURCES.md)), 0.5 years before the fleet's first operating month (2026-07); sites whose "
                     "tariffs are of different dates show bills of different years: the tco notebook escalates this "
                     "bill by finance.electricity_escalation_frac from that date to each year it pays)")
    assert value == pytest.approx(float(ns["y"].bill.total_usd), rel=1e-12)
