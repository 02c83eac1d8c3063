"""Warnings for a site expanding an existing campus (a brownfield developer: an in-service phase dated
2030, after the request's filing, and 2 MW in service for a 3.6 MW existing hall were accepted silently,
and a request counting only the new MW was refused without saying the in-service MW belong in it)."""
from __future__ import annotations

import warnings

import pytest

from dcplan.errors import DcplanWarning
from dcplan.power import fleet_design_it_kw
from dcplan.site import SiteError, load_site
from dcplan.site_brownfield import brownfield_warnings

from conftest import bundled_site_copy

FLEET = {"phases": [{"hardware": "hgx-h100", "count": 256, "start": "2023-06-01", "label": "Hall A"},
                    {"hardware": "hgx-b200", "count": 384, "start": "2027-01-01", "label": "Hall B"}]}


def _site(tmp_path, sid, in_service_on="2023-03-01", in_service_mw=5.0, requested=14.0, new_on="2027-01-01"):
    ic = {"requested_mw": requested, "filed": "2025-06-01", "region": "il-comed",
          "phases": [{"energized": in_service_on, "mw": in_service_mw, "in_service": True, "label": "existing"},
                     {"energized": new_on, "mw": requested - in_service_mw, "label": "new"}]}
    return bundled_site_copy(tmp_path, "chicago-il", sid, fleet=FLEET, interconnection=ic, name=f"Chicago ({sid})")


def test_a_brownfield_as_planned_is_not_warned(tmp_path):
    assert brownfield_warnings(load_site(_site(tmp_path, "ok"))) == []


def test_capacity_in_service_after_the_filing_date_warns(tmp_path):
    f = _site(tmp_path, "late", in_service_on="2030-03-01", new_on="2031-01-01")  # the tester's mistyped year
    site = load_site(f)
    got = brownfield_warnings(site)
    assert got[0] == (f"{f}: interconnection.phases[0].energized: 2030-03-01 is after the request's filing date, "
                      "filed 2025-06-01, yet the phase is in_service (capacity already energized when the request "
                      "was filed): every report powers the halls on it only from that date. allowed: its "
                      "energization date on or before filed, or in_service: false for capacity the new request "
                      "brings")


def test_capacity_in_service_below_the_existing_halls_design_it_warns(tmp_path):
    f = _site(tmp_path, "small", in_service_mw=2.0)
    site = load_site(f)
    # Hall A alone runs at the filing date (2025-06-01): 256 HGX H100 servers at design IT (data/hardware.csv,
    # with their racks' switches and storage): fleet_design_it_kw at that date, above the 2,000 kW in service
    hall_a = fleet_design_it_kw(site, at="2025-06-01")
    assert 2000.0 < hall_a < fleet_design_it_kw(site)
    assert brownfield_warnings(site) == [
        f"{f}: interconnection.phases: the capacity in service, 2,000 kW, is below the design IT of the halls running "
        f"when the request was filed (2025-06-01), {hall_a:,.0f} kW (Hall A), before cooling and losses: part of the "
        "existing fleet waits for the new request in the ramp and the TCO (counted as stranded), though an "
        "existing campus runs today. allowed: the in-service MW the existing halls draw, or later starts for the "
        "halls it cannot power"]


def test_a_request_counting_only_the_new_mw_is_told_the_in_service_mw_belong_in_it(tmp_path):
    f = _site(tmp_path, "req", requested=9.0, in_service_mw=5.0)
    import yaml
    d = yaml.safe_load(f.read_text())
    d["interconnection"]["phases"][1]["mw"] = 9.0  # 5 + 9 = 14 MW of phases on a 9 MW request
    f.write_text(yaml.safe_dump(d, sort_keys=False))
    with pytest.raises(SiteError) as e:
        load_site(f)
    assert ("phases add up to 14 MW, more than requested_mw 9; contracted capacity cannot exceed the request "
            "(requested_mw is the whole contract, the phases already in service included: a new 9 MW request "
            "beside 5 MW in service is requested_mw 14)") in str(e.value)


def test_the_cost_per_month_of_delay_leaves_out_the_gpus_in_service_capacity_powers(tmp_path, monkeypatch):
    """The interconnection notebook's cost per month of delay counted all 5,120 GPUs, the 2,048 H100s running on
    the 5 MW in service too: a month of delay idles only those the capacity in service cannot power."""
    import math

    import yaml

    from conftest import run_cells_until
    f = _site(tmp_path, "bf")
    pf = tmp_path / "pf.yaml"
    pf.write_text(yaml.safe_dump({"name": "t", "sites": [str(f)]}))
    ns, _ = run_cells_until("interconnection", "per_month = grid.delay_cost_usd_per_month", monkeypatch, site="bf",
                            portfolio=str(pf))
    n, kw = ns["n_gpus"], ns["kw_per_gpu"]
    assert n == 256 * 8 + 384 * 8
    # powered in whole 8-GPU HGX servers (interconnection's gpus_per_unit), as the TCO counts them
    assert ns["unit_gpus"] == 8
    delayable = n - 8 * math.floor(5000.0 / (8 * kw))
    assert ns["delayable"] == delayable and 0 < delayable < n and delayable % 8 == 0
    # by hand: each idle GPU a month loses its sold hours' revenue and the carrying cost of its capital
    # (grid.HOURS_PER_MONTH_H = 730 h)
    per_gpu = (ns["capex_usd_per_gpu"] * ns["spec"].finance.discount_rate_frac / 12
               + 730.0 * ns["sold_frac"] * ns["price_usd_per_gpu_h"])
    assert ns["per_month"] == pytest.approx(delayable * per_gpu, rel=1e-12)
    assert ns["per_month_label"].startswith(f"Cost per month of delay at full build-out, of the {delayable:,} of "
                                            f"{n:,} GPUs the 5 MW already in service does not power")


def test_the_tco_says_an_existing_campus_npv_is_the_campus_s(tmp_path, monkeypatch):
    import yaml

    from conftest import run_cells_until
    from dcplan.tco_notes import brownfield_note
    f = _site(tmp_path, "bft")
    assert brownfield_note(load_site(f)).startswith(
        "An existing campus: Hall A (from 2023-06-01) ran by the request's filing (2025-06-01) on capacity already "
        "in service. The TCO values the whole campus from its project start")
    assert brownfield_note(load_site(bundled_site_copy(tmp_path, "chicago-il", "green"))) == ""
    pf = tmp_path / "pf.yaml"
    pf.write_text(yaml.safe_dump({"name": "t", "sites": [str(f)]}))
    ns, _ = run_cells_until("tco", "brown_note = brownfield_note(spec)", monkeypatch, site="bft", portfolio=str(pf))
    assert ns["brown_note"] == brownfield_note(load_site(f))


def test_the_share_in_service_is_labelled_with_the_facility_power_it_is_a_share_of(tmp_path):
    """The tco notebook printed "Capacity in service ... powers 58% of the fleet (10,916 kW at design IT in the
    worst hour)": that figure is the fleet's facility power (IT x the worst hour's PUE), not its IT.
    Design IT by hand (data/hardware.csv, 4 servers a rack, each rack with 1.5 ib-ndr-switch (1.7 kW) + 1
    eth-mgmt-switch (0.15 kW) + 0.25 storage-node (1.5 kW) = 3.075 kW of gear, diversity_frac 1):
    Hall A 256 x 10.2 + 64 x 3.075 = 2,808.0 kW; Hall B 384 x 14.3 + 96 x 3.075 = 5,786.4 kW; 8,594.4 kW."""
    from dcplan import pipeline, tco, thermal_plant
    from dcplan.site_brownfield import live_capacity_text
    site = load_site(_site(tmp_path, "label"))
    y = pipeline.run_site_year(site)
    assert y.design_it_kw == pytest.approx(256 * 10.2 + 64 * 3.075 + 384 * 14.3 + 96 * 3.075, rel=1e-12)  # 8,594.4
    # as the tco notebook computes them: the facility power at design IT in the worst hour, and the share
    facility = float(thermal_plant.plant_hourly(y.design_it_kw, y.weather, site.cooling,
                                                electrical_chain=site.electrical.stages())["facility_kw"].max())
    live_frac, _ = tco.grid_capacity(site.interconnection, site.fleet, facility)
    assert facility > y.design_it_kw and live_frac == pytest.approx(5000.0 / facility, rel=1e-12)  # 5 MW in service
    text = live_capacity_text(live_frac, facility, y.design_it_kw)
    assert text == (f"Capacity in service by the fleet's first start powers {5000.0 / facility:.0%} of the fleet: "
                    f"5,000 kW of the fleet's {facility:,.0f} kW facility power at full design IT in the typical year's "
                    f"worst hour (design IT 8,594 kW x PUE {facility / 8594.4:.3f}: IT, cooling and electrical "
                    "losses); that part does not wait for the grid delay")


def test_the_cost_per_month_of_delay_leaves_out_the_gpus_the_contract_never_powers(tmp_path, monkeypatch):
    """A 2 MW contract under Research Triangle's 4,096 H100s: the cost per month of delay counted all 4,096 GPUs,
    the 2,952 the contract never powers too (a shortfall, not a delay: an interconnection planner's finding,
    13.3 M USD/month against 3.7 M). By hand: the contract powers floor(2,000 kW / (8 x kw_per_gpu)) whole
    8-GPU servers; only those wait for the grid."""
    import math

    import yaml

    from conftest import bundled_site_copy, run_cells_until
    f = bundled_site_copy(tmp_path, "research-triangle-nc", "small", name="Research Triangle, NC (2 MW)",
                          interconnection={"requested_mw": 2.0, "phases": [{"energized": "2026-06-01", "mw": 2.0}]})
    pf = tmp_path / "pf.yaml"
    pf.write_text(yaml.safe_dump({"name": "t", "sites": [str(f)]}))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DcplanWarning)  # (the request below the fleet's IT: its own warning)
        ns, _ = run_cells_until("interconnection", "per_month = grid.delay_cost_usd_per_month", monkeypatch,
                                site="small", portfolio=str(pf))
    n, kw = ns["n_gpus"], ns["kw_per_gpu"]
    powered = 8 * math.floor(2000.0 / (8 * kw))
    assert ns["never"] == n - powered > 0 and ns["delayable"] == powered
    per_gpu = (ns["capex_usd_per_gpu"] * ns["spec"].finance.discount_rate_frac / 12
               + 730.0 * ns["sold_frac"] * ns["price_usd_per_gpu_h"])
    assert ns["per_month"] == pytest.approx(powered * per_gpu, rel=1e-12)
    assert ns["per_month_label"].startswith(f"Cost per month of delay at full build-out, of the {powered:,} of {n:,} "
                                            f"GPUs the contracted 2 MW powers ({n - powered:,} it never powers: a "
                                            "shortfall, not a delay)")
