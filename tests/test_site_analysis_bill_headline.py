"""The site_analysis bill headline (a hardware engineer's and a finance-committee analyst's findings).

1. Each site's ``bill_usd`` is the typical year at its tariff's own prices, those of its URDB ``startdate``
   (APS 2024-03-08, ComEd 2027-06-01), not escalated, and its label did not say so: a reader comparing sites
   compared bills of different years. The label now names the date and how far it is from the fleet's first
   operating month, ``bill_price_date`` is published, and the TCO's stale-prices warning is given in the report.
2. A site whose grid draw exceeds its contract (Phoenix with 1,500 HGX B200 on its 10 MW contract) got a
   headline bill of the whole fleet's load in every hour, with no qualifier. Its label now says the bill is of
   power the grid cannot deliver, and ``bill_within_contract_usd`` bills the draw capped at the contract.
"""
from __future__ import annotations

import datetime as dt
import json

import pytest
import yaml

from conftest import DATA, bundled_site_copy, gc_noise, run_cells_until
from dcplan.errors import DcplanWarning

#: Phoenix's tariff file (data/sites/phoenix-az.yaml), its startdate 2024-03-08 (the file's own field).
APS = DATA / "tariffs" / "aps-az-e32-tou-l.json"
#: Phoenix's first fleet phase starts 2026-10-01 (data/sites/phoenix-az.yaml), so the fleet's first operating
#: month is 2026-10; its contract is requested_mw 10 in one phase of 10 MW: 10,000 kW.
FIRST_OPERATING = dt.date(2026, 10, 1)
CONTRACT_KW = 10_000.0


def _tariff_dated(tmp_path, startdate: str):
    """The APS tariff file with its startdate set to ``startdate`` (nothing else changed)."""
    doc = json.loads(APS.read_text())
    item = doc["items"][0] if "items" in doc else doc
    assert "startdate" in item
    item["startdate"] = startdate
    out = tmp_path / f"aps-{startdate}.json"
    out.write_text(json.dumps(doc))
    return out


def _bill_cell(monkeypatch, tmp_path, site_path):
    """The site_analysis notebook run up to its bill cell on the site file ``site_path`` alone; what it published."""
    import dcplan.results
    got = {}

    def publish(values, *a, **k):
        if isinstance(values, dict):
            got.update(values)
    monkeypatch.setattr(dcplan.results, "publish", publish)
    pf = tmp_path / "portfolio.yaml"
    pf.write_text(yaml.safe_dump({"sites": [str(site_path)]}))
    ns, _ = run_cells_until("site_analysis", '"bill_usd"', monkeypatch, site=site_path.stem, portfolio=str(pf))
    return ns, got


def _years(a: dt.date, b: dt.date) -> float:
    return (b - a).days / 365.25


def test_the_bill_label_names_the_price_date_and_says_not_escalated(monkeypatch, tmp_path):
    tariff = _tariff_dated(tmp_path, "2025-07-01")
    site = bundled_site_copy(tmp_path, "phoenix-az", "phx-dated", tariff={"file": str(tariff)})
    ns, got = _bill_cell(monkeypatch, tmp_path, site)
    value, unit, label = got["bill_usd"]
    assert value == pytest.approx(float(ns["y"].bill.total_usd), rel=1e-12)
    # the headline's first clause, what the terminal summary keeps: the date and "not escalated"
    # and the APS file's price status (dcplan_price_status: secondary, partly estimated) since the input-status
    # review, 2026 (was "... not escalated ("); since a finance reviewer's finding (2026) also that the rate does
    # not apply to the load (the APS file's peakkwcapacitymax 3,000 kW, below Phoenix's load) and its pending rate
    # case's largest proposed change (the file's change_frac_high 0.45), which the index's short label dropped
    assert label.startswith("Annual electricity bill at 2025-07-01 prices, not escalated, resting on partly estimated "
                            "tariff prices, on a rate this load is too large for, at prices a pending rate case may "
                            "raise by up to 45 % (")
    # 2025-07-01 to 2026-10-01: 457 days / 365.25 = 1.251 years, 1.3 to one decimal
    assert _years(dt.date(2025, 7, 1), FIRST_OPERATING) == pytest.approx(1.251, abs=5e-4)
    assert "2025-07-01 is the tariff's startdate" in label
    assert "1.3 years before the fleet's first operating month (2026-10)" in label
    assert "the tco notebook escalates this bill" in label
    assert got["bill_price_date"][0] == "2025-07-01"
    # 384 B200s stay within the 10 MW contract: no capped bill, no caveat (and no warning: dcplan's are errors here)
    assert float(ns["y"].grid_kw.max()) <= CONTRACT_KW
    assert "bill_within_contract_usd" not in got and "over its contract" not in label


def test_the_bundled_chicago_tariff_is_dated_after_the_fleet_starts():
    """ComEd's startdate 2027-06-01 (its file) after Chicago's first phase 2026-04-01 (its site file)."""
    from dcplan import pipeline
    from dcplan.site import load_site
    from dcplan.site_bill import price_date_texts
    spec = load_site(DATA / "sites" / "chicago-il.yaml")
    head, detail, day = price_date_texts(spec, pipeline.site_tariff(spec))
    assert day == "2027-06-01" and head == "at 2027-06-01 prices, not escalated"
    # 2026-04-01 to 2027-06-01: 426 days / 365.25 = 1.166 years, 1.2 to one decimal
    assert _years(dt.date(2026, 4, 1), dt.date(2027, 6, 1)) == pytest.approx(1.166, abs=5e-4)
    assert "1.2 years after the fleet's first operating month (2026-04)" in detail


def test_a_flat_tariff_is_said_to_be_undated(tmp_path):
    from dcplan import pipeline
    from dcplan.site import load_site
    from dcplan.site_bill import price_date_texts
    path = bundled_site_copy(tmp_path, "phoenix-az", "phx-flat")
    d = yaml.safe_load(path.read_text())
    d["tariff"] = {"flat_usd_per_kwh": 0.08, "source": "test: a flat rate"}
    path.write_text(yaml.safe_dump(d, sort_keys=False))
    spec = load_site(path)
    head, detail, day = price_date_texts(spec, pipeline.site_tariff(spec))
    assert day is None and head == "at the tariff's prices, undated"
    assert "no startdate" in detail and "project start's" in detail


def test_prices_years_before_the_project_start_warn_in_the_bill_cell(monkeypatch, tmp_path):
    """Prices of 2019-01-01 for a fleet starting 2026-10 with data/costs.csv's build_months 12 (Phoenix's finance
    section sets none): project start 2025-10, the TCO's price month 2019-01 (the first whole month on or after
    the startdate), 81 months = 6.75 years before it, beyond the TCO's 36-month limit
    (dcplan.tco_electricity.STALE_PRICE_MONTHS)."""
    from dcplan.tco_electricity import STALE_PRICE_MONTHS
    assert STALE_PRICE_MONTHS == 36
    tariff = _tariff_dated(tmp_path, "2019-01-01")
    site = bundled_site_copy(tmp_path, "phoenix-az", "phx-old", tariff={"file": str(tariff)})
    assert "build_months" not in (yaml.safe_load(site.read_text()).get("finance") or {})
    with pytest.warns(DcplanWarning) as rec:
        ns, got = _bill_cell(monkeypatch, tmp_path, site)
    msgs = [str(r.message) for r in rec if not gc_noise(r)]
    stale = [m for m in msgs if "startdate 2019-01-01" in m]
    assert len(stale) == 1, msgs
    assert "6.8 years before the project start (2025-10" in stale[0]
    # 2019-01-01 to 2026-10-01: 2830 days / 365.25 = 7.748 years
    assert _years(dt.date(2019, 1, 1), FIRST_OPERATING) == pytest.approx(7.748, abs=5e-4)
    assert "7.7 years before the fleet's first operating month (2026-10)" in got["bill_usd"][2]


def test_a_draw_over_the_contract_says_so_and_bills_the_capped_draw(monkeypatch, tmp_path):
    """Phoenix with 1,500 HGX B200 (the tester's site): 22.6 MW design IT on a 10 MW contract."""
    from dcplan import pipeline
    from dcplan.report_summary import short_label
    from dcplan.tariff_site import site_bill_kwargs
    site = bundled_site_copy(tmp_path, "phoenix-az", "phx-big", fleet={"phases": [
        {"hardware": "hgx-b200", "count": 1500, "start": "2026-10-01", "label": "Hall 1", "units_per_rack": 2}]})
    ns, got = _bill_cell(monkeypatch, tmp_path, site)
    y, spec = ns["y"], ns["spec"]
    grid = y.grid_kw
    hours_over = int((grid > CONTRACT_KW).sum())  # hourly steps: one hour each
    assert hours_over > 0
    # the capped bill: the APS tariff on the grid draw clipped at 0 and at the 10,000 kW contract, billed with
    # interval-ending stamps (the site chain's labels; the APS tariff has no coincident-peak or ratchet charges)
    tariff = pipeline.site_tariff(spec)
    assert site_bill_kwargs(spec, tariff) == {"stamps": "end"}
    capped = grid.clip(lower=0.0, upper=CONTRACT_KW)
    expected = float(tariff.bill(capped, stamps="end").total_usd)
    value, unit, label = got["bill_within_contract_usd"]
    assert unit == "USD" and value == pytest.approx(expected, rel=1e-12)
    # less power bought at the same prices: a smaller bill than the whole fleet's
    full = got["bill_usd"][0]
    assert value < full
    assert capped.sum() <= CONTRACT_KW * len(grid)
    head = got["bill_usd"][2]
    assert (f"[over its contract: NOT a bill the site can run; it bills the whole fleet's load, {hours_over:,} h of it "
            "above the "
            f"10,000 kW contract (by up to {float((grid - CONTRACT_KW).max()):,.0f} kW)") in head
    assert f"{expected:,.0f} USD (bill_within_contract_usd)]" in head
    # the index's and the terminal summary's short headline keeps the qualifier
    # the APS file's price status kept too (input-status review, 2026; was "... not escalated [over its contract]"),
    # and (a finance reviewer's finding, 2026) that the rate is below this load (peakkwcapacitymax 3,000 kW) and
    # that a rate case pending may raise its prices by up to 45 % (the file's change_frac_high)
    assert short_label(head) == ("Annual electricity bill at 2024-03-08 prices, not escalated, resting on partly "
                                 "estimated tariff prices, on a rate this load is too large for, at prices a pending "
                                 "rate case may raise by up to 45 % [over its contract]")
