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


def test_a_site_that_sets_all_three_it_prices_is_said_to_be_priced_at_its_own(monkeypatch):
    """phoenix-az's HGX B200 fleet with its own server, network and storage prices (finance.costs) has no stand-in
    to flag, and the notebook published "the server price per accelerator is sourced for this fleet's hardware (the
    network and storage prices ... are estimates)": neither is so, the three are the site's own. Values as set."""
    from conftest import run_cells_until
    import dcplan.results
    from dcplan import tco
    from dcplan.site import load_portfolio
    from dcplan.sweep_overrides import apply_overrides
    from dcplan.tco_stand_in import no_price_note_text
    keys = ("server_usd_per_accelerator", "network_usd_per_accelerator", "storage_usd_per_accelerator")
    pf = load_portfolio()
    kw = dict(n_accelerators=8, it_capacity_kw=100.0, it_energy_kwh=1e5)
    prices = dict(zip((f"finance.costs.{k}" for k in keys), (40_000.0, 7_000.0, 2_500.0)))
    own = apply_overrides(pf["phoenix-az"], prices)
    inputs = tco.inputs_from_site(own, **kw)
    assert tco.price_note(own, inputs) == ""
    assert no_price_note_text(own, inputs) == (
        "none: the server, back-end fabric and storage prices per accelerator (40,000, 7,000 and 2,500 USD) are the "
        "site's own (finance.costs.server_usd_per_accelerator, finance.costs.network_usd_per_accelerator and "
        "finance.costs.storage_usd_per_accelerator), not data/costs.csv's")
    # a site that sets two of them, on an H100 fleet: still data/costs.csv's sourced server price (as before)
    rtp = apply_overrides(pf["research-triangle-nc"], {f"finance.costs.{k}": 1.0 for k in keys[1:]})
    assert no_price_note_text(rtp, tco.inputs_from_site(rtp, **kw)).startswith(
        "none: the server price per accelerator is sourced for this fleet's hardware")
    # the notebook publishes it
    got = {}

    def publish(key, value=None, *a, **k):
        if isinstance(key, str):
            got[key] = value
    monkeypatch.setattr(dcplan.results, "publish", publish)
    monkeypatch.setattr("dcplan.site.load_portfolio", lambda *a, **k: {"phoenix-az": own})  # spec = ...[site]
    run_cells_until("tco", 'publish("price_note"', monkeypatch, site="phoenix-az")
    assert got["price_note"] == no_price_note_text(own, inputs)
