"""A phased campus (a campus planner's findings): what the TCO assumes about the facility of later phases, a
phase after the horizon, the label of capex_initial_usd, the capacity check's battery ceiling and the fleet's
input checks (a phase of 0 units, one label on two generations, two grid phases of one label, every air-cooled
phase on a liquid plant, an unknown hardware key's allowed list)."""
from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from conftest import DATA, bundled_site_copy
from dcplan.errors import InputError
from dcplan.grid import capacity_check
from dcplan.power_fleet import fleet_table
from dcplan.site import load_portfolio, load_site
from dcplan.site_plausibility import site_warnings
from dcplan.specs.fleet import FleetSpec
from dcplan.tco import SUMMARY_LABELS, TcoInputs, run_tco
from dcplan.tco_export_case import CASE_LABELS, caveat_figures
from dcplan.tco_notes import facility_phasing_note, phase_after_horizon_note


def _fleet(*phases) -> FleetSpec:
    return FleetSpec.model_validate({"phases": [{"hardware": "hgx-h100", "count": n, "start": d, "label": lab}
                                                for n, d, lab in phases]})


def _case(fleet: FleetSpec, horizon_years: int):
    # 12 M USD of facility + interconnection for 1 MW of design IT (10 + 2 M USD/MW), no PV, no battery
    inputs = TcoInputs(n_accelerators=8 * sum(p.count for p in fleet.phases), it_capacity_kw=1000.0,
                       it_energy_kwh=5e6, horizon_years=horizon_years, fleet_start=min(p.start for p in fleet.phases),
                       costs={"facility_usd_per_mw": 10e6, "interconnection_usd_per_mw": 2e6, "build_months": 12})
    return inputs, run_tco(inputs, 1e6)


# finding 2: the whole facility bought before the first phase, said with the later phases' share of it
def test_facility_phasing_note_sizes_the_later_phases_share():
    # 8 + 8 + 24 HGX H100 (4 a rack: 2, 2 and 6 racks of one kind): Hall B, 18 months after the first, is 24/40
    fleet = _fleet((8, "2027-01-01", "Hall A"), (8, "2027-06-01", "Hall A"), (24, "2028-07-01", "Hall B"))
    inputs, result = _case(fleet, 5)
    m = result.monthly
    assert sum(m[k].sum() for k in ("capex_facility_shell_usd", "capex_facility_electrical_usd",
                                    "capex_facility_mechanical_usd", "capex_interconnection_usd")) == pytest.approx(12e6)
    assert facility_phasing_note(fleet, inputs, result) == (
        "The facility is bought at once: the TCO buys the whole facility and its interconnection (shell, electrical "
        "and mechanical plant, interconnection, PV, battery: 12.0 M USD for 1,000 kW of design IT) over the 12 months "
        "of the build before the first phase (2027-01), and carries its maintenance, insurance and property tax from "
        "then (operations staff from the first GPU), though phases start more than 12 months later: Hall B "
        "(fleet.phases[2]) from 2028-07 (18 months after the first). Their share of the design IT, 60.0% (263 kW), is "
        "7.2 M USD of that facility capex. A campus that builds hall by hall spends it later and carries less "
        "meanwhile, so this NPV is conservative by the value of that deferral (no input phases the facility capex).")
    # 6 racks of 43.875 kW (10.2 kW x 4 + the rack's switches and storage share: data/hardware.csv) = 263.25 kW
    assert fleet_table(fleet)["rack_max_kw"].iloc[0] == pytest.approx(43.875)
    # within 12 months of the first (2027-01 -> 2028-01): nothing said
    near = _fleet((8, "2027-01-01", "Hall A"), (24, "2028-01-01", "Hall B"))
    assert facility_phasing_note(near, *_case(near, 5)) == ""
    assert "facility_phasing" in CASE_LABELS
    text = facility_phasing_note(fleet, inputs, result)
    assert caveat_figures({"facility_phasing": text}) == {
        "caveat_facility_phasing": (text, None, CASE_LABELS["facility_phasing"])}


# finding 3: a phase starting after the horizon is named, in the TCO and by dcplan validate
def test_phase_after_horizon_note_names_the_phase():
    fleet = _fleet((8, "2027-01-01", "Hall A"), (24, "2028-07-01", "Hall B"), (8, "2029-02-01", "Hall C"))
    inputs, result = _case(fleet, 3)   # project 2026-01 .. 2028-12
    assert str(result.calendar_months[-1]) == "2028-12"
    assert phase_after_horizon_note(fleet, inputs, result) == (
        "Phases after the horizon: Hall C (fleet.phases[2]), 8 x hgx-h100, from 2029-02-01: it starts after the "
        "TCO's horizon ends (2028-12: horizon_years 3 from the project start 2026-01), so its IT (64 accelerators, "
        "counted in n_accelerators) is never bought and earns nothing, while its share of the facility, 20.0% of the "
        "design IT (2.4 M USD), is bought and carried with the rest. Lengthen finance.horizon_years to count it, or "
        "leave the phase out of the site.")
    inside = _fleet((8, "2027-01-01", "Hall A"), (8, "2028-12-01", "Hall C"))
    assert phase_after_horizon_note(inside, *_case(inside, 3)) == ""


def _phase_warnings(site):
    return [w for w in site_warnings(site) if "fleet.phases" in w or "interconnection.phases[" in w]


def test_validate_warns_a_phase_after_the_horizon(tmp_path):
    # Chicago: first phase 2026-04, build_months 12 (data/costs.csv) -> project 2025-04; 10 years -> ends 2035-03
    phases = [{"hardware": "hgx-h200", "count": 256, "start": "2026-04-01", "label": "Hall 1"},
              {"hardware": "hgx-h200", "count": 256, "start": "2035-03-15", "label": "Hall 2"}]
    site = load_site(bundled_site_copy(tmp_path, "chicago-il", "late", fleet={"phases": phases}))
    # 2035-03-15 counts from 2035-04: after 2035-03; 2025-04 .. 2035-04 is 121 months: 11 years
    assert _phase_warnings(site) == [
        f"{site.source_file}: fleet.phases[1].start: 2035-03-15 (Hall 2) is after the TCO's horizon: "
        "finance.horizon_years 10 from the project start 2025-04 (build_months 12 before the first phase's month, "
        "2026-04) ends 2035-03, so the TCO buys none of this phase's IT and it earns nothing, while the facility "
        "sized for the whole fleet is paid in full; allowed: a start by 2035-03-31, or finance.horizon_years of at "
        "least 11 to count it"]
    phases[1]["start"] = "2035-03-01"   # the horizon's last month: bought within it
    ok = load_site(bundled_site_copy(tmp_path, "chicago-il", "in", fleet={"phases": phases}))
    assert _phase_warnings(ok) == []


# finding 9 (b): a phase of 0 units, one label on two generations, two grid phases of one label
def test_validate_warns_empty_phases_and_shared_labels(tmp_path):
    phases = [{"hardware": "hgx-h200", "count": 128, "start": "2026-04-01", "label": "Hall 1"},
              {"hardware": "hgx-b200", "count": 64, "start": "2026-10-01", "label": "Hall 1",
                   "units_per_rack": 2},
              {"hardware": "hgx-h200", "count": 0, "start": "2027-01-01", "label": "Hall 2"},
              {"hardware": "hgx-h200", "count": 64, "start": "2027-01-01", "label": "Hall 1"}]
    grid = [{"energized": "2026-03-01", "mw": 5, "label": "Sub 1"},
            {"energized": "2026-09-01", "mw": 5, "label": "Sub 1"}]
    site = load_site(bundled_site_copy(tmp_path, "chicago-il", "labels", fleet={"phases": phases},
                                       interconnection={"phases": grid}))
    f = site.source_file
    assert _phase_warnings(site) == [
        f"{f}: fleet.phases[2].count: 0 units: the phase adds no IT power, cost or GPU, yet its label 'Hall 2' and "
        "start 2027-01-01 show in the fleet tables; allowed: at least 1 unit, or leave the phase out",
        # phases[3] has Hall 1's first hardware: a hall built in stages, not warned
        f"{f}: fleet.phases[1].label: 'Hall 1' is also fleet.phases[0]'s label, with other hardware ('hgx-h200' "
        "there, 'hgx-b200' here): phases of one label form one hall (the hall-level IT power, dcplan.power.fleet_it_kw "
        "level 'hall'), so two generations read as one hall; allowed: a label of its own for each hall; keep it only "
        "if one hall holds both",
        f"{f}: interconnection.phases[1].label: 'Sub 1' is also interconnection.phases[0]'s label: the reports name "
        "each stage of the capacity by it ('full build-out vs Sub 1 (... MW)'), so two stages read as one; allowed: a label of "
        "its own for each phase"]


# finding 9 (c): every air-cooled phase on a liquid plant, in one warning
def test_air_cooled_phases_on_a_liquid_plant_are_all_named(tmp_path):
    phases = [{"hardware": "hgx-h200", "count": 128, "start": "2026-04-01", "label": "Hall 1"},
              {"hardware": "gb200-nvl72", "count": 4, "start": "2026-10-01", "label": "Hall 2"},
              {"hardware": "hgx-b200", "count": 64, "start": "2027-01-01", "label": "Hall 3"}]
    site = load_site(bundled_site_copy(tmp_path, "chicago-il", "mixed",
                                       fleet={"phases": phases}, cooling={"type": "liquid", "liquid_class": "W32"}))
    got = [w for w in site_warnings(site) if "air-cooled" in w]
    # the text of dcplan.cooling_default (tests/test_cooling_default.py): the file set the liquid plant, which the
    # gb200-nvl72 phase needs, so the air-cooled servers' halls go in a site file of their own
    assert got == [
        f"{site.source_file}: fleet.phases[0].hardware: 2 phases hold servers that data/hardware.csv lists as "
        "air-cooled, a unit's power the air-cooled server's, fans included: fleet.phases[0] 'hgx-h200' (10.2 kW) and "
        "fleet.phases[2] 'hgx-b200' (14.3 kW); cooling.type is 'liquid' (set in the file): the model treats the whole "
        "hall as liquid-cooled, the air-cooled servers included: 85 % of their heat counted as captured by the "
        "direct-to-chip loop, at the air-cooled servers' power, so the PUE is a liquid plant's, optimistic for these "
        "servers (lower than an air plant's), and more GPUs fit under a grid limit than with them on air. allowed: "
        "keep cooling.type: liquid only if the servers are liquid-cooled versions of the ones listed; otherwise put "
        "the air-cooled servers' phases in a site file of their own with cooling.type: air (one plant per site; an "
        "air plant cannot cool gb200-nvl72)"]


def test_bundled_sites_trigger_none_of_the_new_warnings():
    for site in load_portfolio(DATA / "portfolio.yaml").sites:
        assert not [w for w in site_warnings(site) if "TCO's horizon" in w or "0 units" in w or "label:" in w
                    or "phases hold servers" in w], site.id


# finding 9 (a): an unknown key's allowed list holds only the keys a phase may count (servers and racks)
def test_unknown_hardware_lists_only_units():
    with pytest.raises(InputError) as e:
        fleet_table({"phases": [{"hardware": "hgx-b20", "count": 1, "start": "2027-01-01"}]})
    assert str(e.value) == ("fleet.phases[0].hardware: unknown 'hgx-b20' (did you mean 'hgx-b200'?); allowed: "
                            "cpu-2s, gb200-nvl72, hgx-b200, hgx-h100, hgx-h200, mi300x-8")


# finding 4: capex_initial_usd is not up-front capex
def test_capex_initial_label_says_over_the_horizon():
    assert SUMMARY_LABELS["capex_initial_usd"] == (
        "Capex before refreshes, over the horizon: facility + the first purchase of every IT tranche, whenever "
        "bought (nominal; not an up-front figure when the fleet is phased)")


# finding 6: the battery's ceiling says what it is: the peak excess when the load is far above the contract
def test_battery_ceiling_names_the_peak_excess_above_the_contract():
    idx = pd.date_range("2025-01-01", periods=8760, freq="h", tz="UTC")
    load = pd.Series(3000.0, index=idx)   # 2,000 kW over a 1,000 kW contract every hour: never recharged
    b = capacity_check(load, 1000.0).options.loc["battery"]
    assert not b["feasible"]
    assert b["infeasible_reason"] == (
        "too little room under the limit to recharge what it draws: the deficit grows every year at any battery "
        "power up to 2,000 kW (the peak excess; a site file accepts at most the contracted 1,000 kW); curtail, "
        "generate on site or contract more")
    # a load mostly under the contract: the ceiling is the contract itself
    small = pd.Series(np.where(np.arange(8760) % 24 < 20, 1500.0, 500.0), index=idx)  # 20 h at +500 kW a day
    why = capacity_check(small, 1000.0).options.loc["battery", "infeasible_reason"]
    assert "up to 1,000 kW (the contracted capacity)" in why
