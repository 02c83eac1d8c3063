"""The TCO's IT price note for a fleet whose server price is sourced said "none: the IT prices are
sourced for this fleet's hardware", while the network (6,000 USD) and storage (2,000 USD) prices per
accelerator are estimates in data/costs.csv, 19 % of the IT price (a source auditor)."""
from __future__ import annotations

from conftest import DATA


def test_the_price_note_says_network_and_storage_are_estimates(monkeypatch):
    import csv
    from conftest import run_cells_until
    import dcplan.results
    got = {}

    def publish(key, value=None, *a, **k):
        if isinstance(key, str):
            got[key] = value
    monkeypatch.setattr(dcplan.results, "publish", publish)
    run_cells_until("tco", 'publish("price_note"', monkeypatch, site="research-triangle-nc")
    assert got["price_note"] == ("none: the server price per accelerator is sourced for this fleet's hardware (the "
                                 "network and storage prices per accelerator are estimates: the Assumptions' status)")
    rows = {r["key"]: r for r in csv.DictReader(
        line for line in (DATA / "costs.csv").read_text().splitlines() if not line.startswith("#"))}
    assert rows["network_usd_per_accelerator"]["status"] == rows["storage_usd_per_accelerator"]["status"] == "estimate"
