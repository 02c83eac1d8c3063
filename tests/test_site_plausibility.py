"""dcplan.site_plausibility: site figures each valid alone that do not fit together, as
``dcplan validate`` reports them (warnings on the file, which stays ok; an error for a
diversity_frac the electrical chain cannot carry).

Hand figures used throughout, from data/hardware.csv and data/sites/phoenix-az.yaml:
Phoenix holds 384 ``hgx-b200`` servers (max_kw 14.3), the catalog's 4 per rack = 96 racks' worth of
gear (the site lays them out 2 per rack; the gear goes with the servers), each 4 servers with
1.5 ``ib-ndr-switch`` (1.7 kW) + 1 ``eth-mgmt-switch`` (0.15 kW) + 0.25 ``storage-node``
(1.5 kW) = 3.075 kW of gear at full power; nameplate = 384 x 14.3 + 96 x 3.075
= 5,491.2 + 295.2 = 5,786.4 kW (= the design IT at diversity_frac 1).
"""
from __future__ import annotations

import math
import re
import warnings

import pandas as pd
import pytest

from conftest import DATA, bundled_site_copy

from dcplan import pipeline, power
from dcplan.errors import DcplanWarning, InputError
from dcplan.site import load_portfolio, load_site
from dcplan.site_plausibility import max_it_per_design_frac, site_warnings
from dcplan.validate import validate_file

PHOENIX_NAMEPLATE_KW = 384 * 14.3 + 96 * (1.5 * 1.7 + 0.15 + 0.25 * 1.5)   # 5,786.4 kW (module docstring)


def _warns_and_ok(f, text: str) -> None:
    """``dcplan validate`` on ``f`` warns ``text`` exactly and reports no problem."""
    with pytest.warns(DcplanWarning, match=re.escape(text)):
        assert validate_file(f) == []


# ------------------------------------------------------------------ A. request below the fleet's IT

def test_a_request_below_the_fleets_design_it_is_warned(tmp_path):
    """bad/small_request2.yaml: Phoenix with requested_mw 2 (one 2 MW phase) for a fleet whose
    design IT is 5,786.4 kW validated 'ok' without a word."""
    assert PHOENIX_NAMEPLATE_KW == pytest.approx(5786.4, abs=1e-9)
    f = bundled_site_copy(tmp_path, "phoenix-az", "small-request",
                          interconnection={"requested_mw": 2, "phases": [{"energized": "2026-09-01", "mw": 2}]})
    assert power.fleet_design_it_kw(load_site(f)) == pytest.approx(PHOENIX_NAMEPLATE_KW, rel=1e-12)
    text = (f"{f}: interconnection.requested_mw: 2 MW (2,000 kW) is below the fleet's design IT power, 5,786 kW "
            "(every phase at full utilisation x fleet.diversity_frac 1): powering the whole fleet needs at least "
            "5,786 kW plus cooling and losses, so part of it stays unpowered in the grid figures (deployment ramp, "
            "stranded GPUs, cost of waiting). Raise requested_mw, or keep it if the campus will request the rest "
            "in a later stage")
    _warns_and_ok(f, text)
    # in a portfolio too, on the site's own file
    pf = tmp_path / "pf.yaml"
    pf.write_text(f"name: t\nsites: [{f.name}]\n")
    _warns_and_ok(pf, text)


def test_a_request_just_above_the_design_it_is_not_warned(tmp_path):
    # 5.787 MW = 5,787 kW > 5,786.4 kW: the request covers the IT power, so the request warning is not
    # given; the cooling and losses on top are the contract check's (tests/test_contract_adequacy.py)
    f = bundled_site_copy(tmp_path, "phoenix-az", "enough",
                          interconnection={"requested_mw": 5.787, "phases": [{"energized": "2026-09-01", "mw": 5.787}]})
    assert [t.split(": ")[1:3] for t in site_warnings(load_site(f))] == [
        ["interconnection.phases", "the contracted capacity, 5.787 MW (5,787 kW"]]


def test_a_request_in_kw_typed_as_mw_is_warned(tmp_path):
    """A black-box tester's requested_mw 14000 (phases 7000 + 7000: 14 MW typed in kW) validated
    ok and changed the grid figures silently (hours over the first stage 8,436 -> 0). 14,000 MW
    / 5,786.4 kW = 2,419 x the nameplate IT (= the design IT at diversity_frac 1); 20 x is the
    threshold (115.7 MW here)."""
    f = bundled_site_copy(tmp_path, "phoenix-az", "kw-as-mw",
                          interconnection={"requested_mw": 14000, "phases": [
                              {"energized": "2026-09-01", "mw": 7000}, {"energized": "2027-09-01", "mw": 7000}]})
    _warns_and_ok(f, f"{f}: interconnection.requested_mw: 14,000 MW is 2,419 x the fleet's nameplate IT power, "
                     "5,786 kW (5.786 MW): more than 20 x, while the facility draws about 1.1-1.6 x its IT power. A figure in "
                     "kW typed as MW?")
    # 19 x the nameplate IT (109.9 MW, a campus requesting for later fleets) is not warned
    f = bundled_site_copy(tmp_path, "phoenix-az", "big-campus",
                          interconnection={"requested_mw": 109.9, "phases": [{"energized": "2026-09-01", "mw": 109.9}]})
    assert 1000 * 109.9 / PHOENIX_NAMEPLATE_KW == pytest.approx(18.99, abs=0.01)
    assert site_warnings(load_site(f)) == []


def test_a_million_servers_on_ten_megawatts_is_warned(tmp_path):
    """bad/huge_count.yaml: 1,000,000 hgx-b200 on 10 MW. Design IT = 1,000,000 x 14.3 + 250,000 racks
    x 3.075 kW = 14,300,000 + 768,750 = 15,068,750 kW."""
    f = bundled_site_copy(tmp_path, "phoenix-az", "huge",
                          fleet={"phases": [{"hardware": "hgx-b200", "count": 1_000_000, "start": "2026-10-01", "units_per_rack": 2}]})
    (text,) = site_warnings(load_site(f))
    assert text.startswith(f"{f}: interconnection.requested_mw: 10 MW (10,000 kW) is below the fleet's design IT "
                           "power, 15,068,750 kW ")


# ------------------------------------------------------------------ B. a fleet phase before filing

def test_a_fleet_phase_before_the_filing_date_is_warned(tmp_path):
    """bad/past_phase.yaml: fleet start 2015-01-01, filed 2025-01-15, no phase in service: the ramp
    starts at the filing month and the ten unpowered years vanished without a word. Here 2025-01-01, two
    weeks before filing (2015 is also before the B200's 2025 vintage: tests/test_site_vintage.py)."""
    f = bundled_site_copy(tmp_path, "phoenix-az", "past",
                          fleet={"phases": [{"hardware": "hgx-b200", "count": 384, "start": "2025-01-01", "units_per_rack": 2}]})
    assert str(load_site(f).interconnection.filed) == "2025-01-15"   # data/sites/phoenix-az.yaml
    text = (f"{f}: fleet.phases[0].start: 2025-01-01 is before interconnection.filed (2025-01-15) and no "
            "interconnection phase is in_service: nothing powers the phase until the request is filed, and the "
            "grid figures (deployment ramp, stranded GPUs, cost of waiting) start at the filing date, so its GPUs' "
            "wait before it is not counted. A site with power already: mark that interconnection phase in_service: "
            "true; otherwise start the phase on or after 2025-01-15")
    _warns_and_ok(f, text)


def test_a_fleet_phase_before_filing_on_a_site_in_service_is_not_warned(tmp_path):
    # an existing campus (its phase in service since 2024) runs hardware from before a new request (B200s from
    # 2025-01-01, their vintage year: an earlier start is warned, tests/test_site_vintage.py)
    f = bundled_site_copy(tmp_path, "phoenix-az", "existing",
                          fleet={"phases": [{"hardware": "hgx-b200", "count": 384, "start": "2025-01-01", "units_per_rack": 2},
                                            {"hardware": "hgx-b200", "count": 0, "start": "2025-01-02", "units_per_rack": 2}]},
                          interconnection={"phases": [{"energized": "2024-01-01", "mw": 10, "in_service": True}]})
    # no filing-date warning; the empty phase is warned for its 0 units only
    assert [t.split(": ")[1] for t in site_warnings(load_site(f))] == ["fleet.phases[1].count"]
    # without the in-service phase, only the phase with units is warned (phases[0], not the empty phases[1])
    g = bundled_site_copy(tmp_path, "phoenix-az", "not-existing",
                          fleet={"phases": [{"hardware": "hgx-b200", "count": 384, "start": "2025-01-01", "units_per_rack": 2},
                                            {"hardware": "hgx-b200", "count": 0, "start": "2025-01-02", "units_per_rack": 2}]})
    assert [t.split(": ")[1] for t in site_warnings(load_site(g))] == ["fleet.phases[0].start",
                                                                        "fleet.phases[1].count"]


def test_equipment_ordered_years_after_filing_is_warned(tmp_path):
    """A black-box tester's equipment_ordered 2070 (filed 2025) validated without a word and published a
    548.8-month time to power. Phoenix (filed 2025-01-15) with the equipment ordered 2070-01-15: 540
    months after filing; the transformer's median, 150 weeks = 34.4969 months, then sets the median
    time to power, 540 + 34.4969 = 574.4969 (az-aps' grid wait, p90 48, and the switchgear, 46-48 weeks
    = 10.6-11.0 months after the order, are done long before it): 574.5 months, 47.9 years."""
    f = bundled_site_copy(tmp_path, "phoenix-az", "late-order", interconnection={"equipment_ordered": "2070-01-15"})
    text = (f"{f}: interconnection.equipment_ordered: 2070-01-15 is 540 months after interconnection.filed "
            "(2025-01-15), more than 36 (the median grid wait of most data/interconnection.csv rows): the "
            "equipment's deliveries count from it, so the median time to power is 574.5 months after filing (47.9 "
            "years), and every figure that waits for power (energization dates, cost of waiting, the TCO's grid "
            "delay) with it. A mistyped year? Keep it only if the order truly waits that long "
            "(dcplan.site_plausibility.EQUIPMENT_ORDERED_LATE_MONTHS)")
    _warns_and_ok(f, text)
    # 36 months after filing exactly is not warned; a day later (36 + 1/31 months) is
    ok = bundled_site_copy(tmp_path, "phoenix-az", "order-36", interconnection={"equipment_ordered": "2028-01-15"})
    assert site_warnings(load_site(ok)) == []
    late = bundled_site_copy(tmp_path, "phoenix-az", "order-36d", interconnection={"equipment_ordered": "2028-01-16"})
    assert [t.split(": ")[1:3] for t in site_warnings(load_site(late))] == [
        ["interconnection.equipment_ordered", "2028-01-16 is 36.03 months after interconnection.filed (2025-01-15), "
         "more than 36 (the median grid wait of most data/interconnection.csv rows)"]]
    # before filing: no warning
    early = bundled_site_copy(tmp_path, "phoenix-az", "order-early", interconnection={"equipment_ordered": "2020-01-15"})
    assert site_warnings(load_site(early)) == []


# ------------------------------------------------------------------ C. a diversity_frac the chain cannot carry

def test_the_chains_largest_it_per_design_it_is_the_transformers_limit():
    """Default chain (dcplan.power.ELECTRICAL_STAGES), per kW of design IT R = 1, IT load p:
    PDU (a .004, c .012, oversize 1) out o2 = p + 0.004 + 0.012 p^2; UPS (a = b = c = .01, oversize 2)
    at x = o2/2 loses 2(0.01 + 0.01 o2/2 + 0.01 o2^2/4), so the transformer carries
    o3 = 1.01 o2 + 0.005 o2^2 + 0.02 at load fraction o3 (oversize 1): the highest of the three.
    o3 = 1.5 gives o2 = (-1.01 + sqrt(1.01^2 + 4 x 0.005 x 1.48)) / 0.01 = 1.45487, then
    p = (-1 + sqrt(1 + 4 x 0.012 x (o2 - 0.004))) / 0.024 = 1.42645."""
    o2 = (-1.01 + math.sqrt(1.01 ** 2 + 4 * 0.005 * 1.48)) / 0.01
    p = (-1.0 + math.sqrt(1.0 + 4 * 0.012 * (o2 - 0.004))) / 0.024
    assert p == pytest.approx(1.42645, abs=1e-5)
    # bisection on the loss function: to 1e-12 (its stopping width is 1e-13 relative)
    assert max_it_per_design_frac() == pytest.approx(p, rel=1e-12)
    power.electrical_losses_kw(p * (1 - 1e-9), rated_kw=1.0)
    with pytest.raises(InputError, match="stage 'transformer'"):
        power.electrical_losses_kw(p * (1 + 1e-9), rated_kw=1.0)


@pytest.fixture
def measured_4000(tmp_path):
    """Phoenix drawing a measured 4,000 kW every hour (an it_kw data file: its peak is known), at the utilisation
    the fleet draws that at: 384 hgx-b200 (3.6 + 10.7 u kW each) in 96 catalog racks' worth of gear (1.95 + 1.125 u
    kW each) draw 1,569.6 + 4,216.8 u kW, so 4,000 kW is u = 2,430.4 / 4,216.8 = 0.5764 (by hand; the 0.6 of
    phoenix-az.yaml would be refused, dcplan.workload_data.check_data_utilisation)."""
    w = pipeline.site_weather(load_site("phoenix-az"))
    pd.DataFrame({"timestamp": [t.isoformat() for t in w.index], "it_kw": 4000.0}).to_csv(tmp_path / "it.csv",
                                                                                          index=False)

    def site(div: float):
        return bundled_site_copy(tmp_path, "phoenix-az", f"div-{round(div * 1000)}",
                                 fleet={"workload": "data", "data_file": "it.csv", "diversity_frac": div,
                                        "utilisation_frac": 0.576})
    return site


def test_a_diversity_frac_the_chain_cannot_carry_is_an_error_naming_the_smallest_that_works(measured_4000):
    """bad/diversity_0.yaml: diversity_frac 0.01 passed validate; rack_power then failed with
    "... loads stage 'pdu' at 66.1 x its capacity ... give a larger rated_kw" (no file, no site key).
    Design IT 0.01 x 5,786.4 = 57.864 kW; peak 4,000 kW = 69.1 x it. Smallest that works:
    4,000 / (1.42645 x 5,786.4) = 0.48461, said rounded up: 0.485."""
    f = measured_4000(0.01)
    need = 4000.0 / (1.42645 * PHOENIX_NAMEPLATE_KW)
    assert need == pytest.approx(0.48461, abs=1e-5)
    msg = ("0.01 sets the design IT power to 58 kW (nameplate 5,786 kW x 0.01), which rates the transformer/UPS/PDU "
           "chain, but the fleet's IT power peaks at 4,000 kW, 69.1 x the design IT: beyond the chain's overload "
           "limit (a stage carries at most MAX_LOAD_FRAC 1.5 x its capacity, which with the losses of the stages "
           "below it is 1.4265 x the design IT at the IT load), so every run of the site fails; allowed: at least "
           "0.485 (peak IT 4,000 kW / (1.4265 x nameplate 5,786 kW)); diversity_frac is the coincident peak over "
           "the sum of unit peaks (1 for a synchronous training fleet)")
    (p,) = validate_file(f)
    assert (p.file, p.field, p.message) == (str(f), "fleet.diversity_frac", msg)
    # the run says the same, on the site file, before the chain's own error (which named neither)
    with pytest.raises(InputError) as e:
        pipeline.run_site_year(load_site(f))
    assert (e.value.file, e.value.field, e.value.detail) == (str(f), "fleet.diversity_frac", msg)


def test_the_smallest_diversity_frac_said_is_accepted_and_one_below_it_is_not(measured_4000):
    # 0.485 x 5,786.4 x 1.42645 = 4,003 kW >= 4,000 kW; 0.484 gives 3,995 kW < 4,000 kW
    # (accepted, not an error; its design IT 2,806 kW is still below the 4,000 kW peak: warned, below)
    with pytest.warns(DcplanWarning, match="fleet.diversity_frac: 0.485 sets the design IT power to 2,806 kW"):
        assert validate_file(measured_4000(0.485)) == []
    (p,) = validate_file(measured_4000(0.484))   # the error alone: no warning besides it
    assert p.field == "fleet.diversity_frac" and "allowed: at least 0.485 " in p.message


# ------------------------------------------------------------------ C2. a design IT below the fleet's own peak

RTP_NAMEPLATE_KW = 512 * 10.2 + 128 * 3.075   # 5,616 kW: 512 hgx-h100, 4 a rack, 3.075 kW of gear a rack
RTP_PEAK_KW = 4909.73   # the model's hourly peak of the bundled RTP fleet, full build-out 2025 (seed 0)
RTP_PEAK_1S_KW = 5229.5   # its 1 s peak in the 2 h from that peak hour (rack_power's peak_1s_kw, the same model)


def test_a_design_it_below_the_fleets_own_peak_is_warned(tmp_path):
    """The tester: research-triangle-nc with diversity_frac 0.7 validated ok with a design IT of
    0.7 x 5,616 = 3,931.2 kW, 25 % below the model's own hourly peak (4,909.7 kW): only a peak
    beyond 1.4265 x the design was refused. Now a warning, with the least diversity_frac that
    covers the peak the breakers see, the 1 s one (the electrical audit, 2026; dcplan.site_design_peak):
    5,229.5 / 5,616 = 0.93118, rounded up to 0.932; the hourly 4,909.7 / 5,616 = 0.87424 -> 0.875 beside it."""
    assert RTP_NAMEPLATE_KW == pytest.approx(5616.0, abs=1e-9)
    rtp = load_portfolio()["research-triangle-nc"]
    year = pd.date_range("2025-01-01 01:00", "2026-01-01 00:00", freq="1h", tz=rtp.timezone)
    assert float(power.site_it_kw(rtp, year, deployed="all").max()) == pytest.approx(RTP_PEAK_KW, abs=0.01)
    assert RTP_PEAK_KW / RTP_NAMEPLATE_KW == pytest.approx(0.87424, abs=1e-5)
    assert RTP_PEAK_1S_KW / RTP_NAMEPLATE_KW == pytest.approx(0.93118, abs=1e-5)
    f = bundled_site_copy(tmp_path, "research-triangle-nc", "rtp-07", fleet={"diversity_frac": 0.7})
    text = (f"{f}: fleet.diversity_frac: 0.7 sets the design IT power to 3,931 kW (5,616 kW with every unit and its "
            "rack gear at full utilisation x 0.7), below the fleet's own peak: its IT power peaks at 5,230 kW at 1 s "
            "in the 2 h window from its peak hour, 2025-01-01 00:00 (the rack_power notebook's peak_1s_kw at its "
            "defaults), 1.33 x the design IT. The cooling plant and the transformer/UPS/PDU "
            "chain are sized on the design IT, so at the peak they run beyond their rating (the loss model is fitted "
            "up to 1 x a stage's rating); allowed: a diversity_frac of at least 0.932 (peak 5,230 kW / 5,616 kW at "
            "full utilisation) covers this peak; keep a lower one only if the fleet's units never peak together "
            "(diversity_frac is the coincident peak over the sum of unit peaks, 1 for a synchronous training fleet). "
            "The 1 s peak is the bound: a diversity_frac of 0.875 covers only the hourly peak, 4,910 kW, what the "
            "hourly plant model sees, but the UPS, the transformer and the breakers see the load second by second")
    assert site_warnings(load_site(f)) == [text]
    _warns_and_ok(f, text)
    # the value said covers the 1 s peak (0.932 x 5,616 = 5,234.1 kW >= 5,229.5 kW); 0.931 (5,228.5 kW) does not
    ok = bundled_site_copy(tmp_path, "research-triangle-nc", "rtp-0932", fleet={"diversity_frac": 0.932})
    assert site_warnings(load_site(ok)) == []
    low = bundled_site_copy(tmp_path, "research-triangle-nc", "rtp-0931", fleet={"diversity_frac": 0.931})
    assert "allowed: a diversity_frac of at least 0.932 " in site_warnings(load_site(low))[0]


def test_a_capped_design_below_the_peak_says_the_caps_are_applied(tmp_path):
    """With cap_w_per_accelerator 600 W the full-load power is 512 x (10.2 x 0.96 - 8 x 0.1) / 0.96
    + 128 x 3.075 = 5,189.3 kW (not the 5,616 kW nameplate); 0.7 of it is 3,632.5 kW."""
    full = 512 * (10.2 * 0.96 - 8 * 0.1) / 0.96 + 128 * 3.075
    assert full == pytest.approx(5189.33, abs=0.01)
    f = bundled_site_copy(tmp_path, "research-triangle-nc", "rtp-cap", fleet={"diversity_frac": 0.7,
                                                                             "cap_w_per_accelerator": 600})
    (text,) = site_warnings(load_site(f))
    assert (f"0.7 sets the design IT power to {0.7 * full:,.0f} kW ({full:,.0f} kW with every unit and its rack gear "
            "at full utilisation, the fleet's power caps applied, x 0.7), below the fleet's own peak") in text



@pytest.mark.slow
def test_the_rack_power_notebook_names_the_diversity_frac_too(measured_4000, tmp_path):
    """The rack_power notebook computes the loss chain itself (not through run_site_year): its
    failed run named the chain's 'pdu' stage and 'rated_kw'; it now gives the site file's error."""
    from dcplan.report import render
    f = measured_4000(0.01)
    pf = tmp_path / "pf.yaml"
    pf.write_text(f"name: t\nsites: [{f}]\n")
    s = render(portfolio=pf, notebooks=["rack_power"], out=tmp_path / "r", jobs=1, progress=False)
    assert not s.ok
    text = s.table()
    assert f"{f}: fleet.diversity_frac: 0.01 sets the design IT power to 58 kW" in text
    assert "rated_kw" not in text

# ------------------------------------------------------------------ D. a unit cap that never binds

def test_a_unit_cap_at_or_above_the_units_full_load_is_noted(tmp_path):
    """bad/cap_500kw.yaml: cap_kw_per_unit 500 on a 14.3 kW hgx-b200 (data/hardware.csv max_kw) did
    nothing, silently; fleet_cap_notes (which the rack_power notebook prints) and validate say so."""
    f = bundled_site_copy(tmp_path, "phoenix-az", "cap", fleet={"cap_kw_per_unit": 500})
    site = load_site(f)
    note = ("fleet.cap_kw_per_unit: 500 kW is at or above the 14.3 kW full-load power of one 'hgx-b200' unit "
            "(data/hardware.csv max_kw): it never binds there, so its results equal those without the cap")
    assert power.fleet_unit_cap_notes(site) == [note]
    # appended to the per-GPU cap's notes (800 W is below the B200's 1,000 W TDP: no note of its own)
    assert power.fleet_cap_notes(site, 800.0) == [note]
    _warns_and_ok(f, f"{f}: {note}")
    # ... and indeed it does nothing
    hours = pd.date_range("2025-07-01 01:00", periods=2, freq="1h", tz=site.timezone)
    pd.testing.assert_series_equal(power.site_it_kw(site, hours, deployed="all"),
                                   power.site_it_kw(site, hours, deployed="all", cap_kw_per_unit=None))
    # at the full-load power exactly it still never binds; below it, it does (no note)
    at = load_site(bundled_site_copy(tmp_path, "phoenix-az", "cap-at", fleet={"cap_kw_per_unit": 14.3}))
    assert len(power.fleet_unit_cap_notes(at)) == 1
    below = load_site(bundled_site_copy(tmp_path, "phoenix-az", "cap-below", fleet={"cap_kw_per_unit": 14.0}))
    assert power.fleet_unit_cap_notes(below) == []


# ------------------------------------------------------------------ the bundled sites

def test_the_bundled_sites_have_no_plausibility_warning():
    with warnings.catch_warnings():
        warnings.simplefilter("error", DcplanWarning)
        for s in load_portfolio():
            assert site_warnings(s) == []


# ------------------------------------------------------------------ E. liquid keys on an air plant

def test_liquid_only_keys_on_an_air_plant_are_warned_as_ignored(tmp_path):
    """Chicago (bundled) is an air plant; a file that also gives it a W45 class and a trim chiller
    got a model that ignores both, silently. liquid_class: null (Chicago's own) says "none": no warning."""
    f = bundled_site_copy(tmp_path, "chicago-il", "air-liquid", cooling={"liquid_class": "W45", "trim_chiller": True})
    _warns_and_ok(f, f"{f}: cooling.liquid_class: type 'air' has no liquid loop, so liquid_class 'W45', "
                     "trim_chiller True are ignored; allowed: leave them out, or set cooling.type: liquid")
    # ... and indeed they do nothing to the plant
    from dcplan import pipeline as pl
    a = pl.run_site_year(load_site(f)).facility_kw
    b = pl.run_site_year(load_site("chicago-il")).facility_kw
    pd.testing.assert_series_equal(a, b)
    assert site_warnings(load_site("chicago-il")) == []


def test_air_cooled_servers_on_a_liquid_plant_are_warned(tmp_path):
    """The bundled Phoenix (HGX B200) and Research Triangle (HGX H100) sites once set
    cooling.type liquid, which data/hardware.csv does not give these air-cooled servers: the model
    ran them as direct-liquid-cooled versions of themselves (85 % of their heat to a direct-to-chip
    loop) unsaid: a PUE of 1.114 against 1.182 on the air plant. Now said; the bundled sites are air
    plants."""
    liquid = load_site(bundled_site_copy(tmp_path, "phoenix-az", "phx-liq",
                                         cooling={"type": "liquid", "liquid_class": "W32"}))
    got = [w for w in site_warnings(liquid) if "air-cooled in data/hardware.csv" in w]
    # the text of dcplan.cooling_default (tests/test_cooling_default.py): the file set the liquid plant
    assert got == [f"{liquid.source_file}: fleet.phases[0].hardware: 'hgx-b200' is air-cooled in data/hardware.csv "
                   "(its 14.3 kW a unit is the air-cooled server's, fans included); cooling.type is 'liquid' (set in "
                   "the file): the model treats the whole hall as liquid-cooled, the air-cooled servers included: 85 % "
                   "of their heat counted as captured by the direct-to-chip loop, at the air-cooled servers' power, so "
                   "the PUE is a liquid plant's, optimistic for these servers (lower than an air plant's), and more "
                   "GPUs fit under a grid limit than with them on air. allowed: cooling.type: air for the servers as "
                   "listed; keep 'liquid' only for liquid-cooled versions of them, or use liquid-cooled units "
                   "(data/hardware.csv cooling: liquid, e.g. gb200-nvl72)"]
    # the share the plant was given is the one said (liquid_heat_frac 0.9 -> 90 %)
    nine = load_site(bundled_site_copy(tmp_path, "phoenix-az", "phx-liq9",
                                       cooling={"type": "liquid", "liquid_class": "W32", "liquid_heat_frac": 0.9}))
    assert any("included: 90 % of their heat counted as captured" in w for w in site_warnings(nine))
    # a liquid-cooled rack on a liquid plant, and every bundled site: nothing said
    assert not [w for w in site_warnings(load_site("northern-virginia")) if "air-cooled in" in w]
    for site in load_portfolio(DATA / "portfolio.yaml").sites:
        assert not [w for w in site_warnings(site) if "air-cooled in" in w], site.id
