"""Plausibility bounds of the solar:, interconnection: and battery: sections: a site file with
a nonsense figure is refused naming the file, the field, the value and the allowed range; the
bounds themselves (and the bundled sites) pass."""
from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
import yaml

from dcplan.errors import InputError
from dcplan.paths import data_path
from dcplan.site import load_portfolio, load_site
from dcplan.specs.interconnection import BATTERY_DURATION_RANGE_H
from dcplan.specs.solar import DC_AC_RATIO_MIN, PV_DC_MAX_KW


def _write(tmp_path: Path, inter=None, solar=None) -> Path:
    # the bundled research-triangle-nc site: 12 MW contracted in two 6 MW phases
    raw = yaml.safe_load(data_path("sites", "research-triangle-nc.yaml").read_text())
    raw["interconnection"].update(inter or {})
    raw["solar"].update(solar or {})
    raw["weather"]["file"] = str(data_path(raw["weather"]["file"]))
    p = tmp_path / "site.yaml"
    p.write_text(yaml.safe_dump(raw))
    return p


@pytest.mark.parametrize("inter, solar, pattern", [
    (dict(phases=[{"energized": dt.date(2026, 6, 1), "mw": 0}]), None,
     r"site\.yaml: interconnection: the phases add up to 0 MW: no capacity is contracted"),
    (dict(phases=[{"energized": dt.date(2026, 6, 1), "mw": 0}, {"energized": dt.date(2027, 6, 1), "mw": -1}]), None,
     r"site\.yaml: interconnection\.phases\[1\]\.mw: Input should be greater than or equal to 0, got -1"),
    (dict(battery={"power_mw": 1000, "energy_mwh": 0.001}), None,
     r"site\.yaml: interconnection\.battery.*0\.001 MWh / 1000 MW = 1e-06 h; a battery's duration "
     r"must be in \[0\.25, 12\] h"),
    (dict(battery={"power_mw": 1, "energy_mwh": 100}), None,
     r"= 100 h; a battery's duration must be in \[0\.25, 12\] h"),
    (dict(battery={"power_mw": 50, "energy_mwh": 200}), None,
     r"site\.yaml: interconnection.*battery\.power_mw 50 is more than the site's contracted capacity "
     r"\(12 MW, the sum of the phases\); allowed: up to 12 MW"),
    (None, dict(dc_ac_ratio=0.1),
     r"site\.yaml: solar\.dc_ac_ratio: Input should be greater than or equal to 0\.8 \(ratio\), got 0\.1"),
    (None, dict(dc_kw=1e12), r"site\.yaml: solar\.dc_kw: Input should be less than or equal to 10000000"),
])
def test_nonsense_is_refused_with_file_field_value_and_range(tmp_path, inter, solar, pattern):
    with pytest.raises(InputError, match=pattern):
        load_site(_write(tmp_path, inter, solar))


def test_battery_without_phases_is_bounded_by_the_request(tmp_path):
    # no phases: the contract is requested_mw (dcplan.grid.contracted_mw)
    with pytest.raises(InputError, match=r"more than the site's contracted capacity \(12 MW, requested_mw\)"):
        load_site(_write(tmp_path, dict(phases=[], battery={"power_mw": 13, "energy_mwh": 26})))


def test_the_bounds_themselves_are_accepted(tmp_path):
    lo, hi = BATTERY_DURATION_RANGE_H
    for bat in ({"power_mw": 12, "energy_mwh": 12 * lo}, {"power_mw": 1, "energy_mwh": hi}):
        s = load_site(_write(tmp_path, dict(battery=bat)))
        assert s.interconnection.battery.power_mw == bat["power_mw"]
    s = load_site(_write(tmp_path, solar=dict(dc_ac_ratio=DC_AC_RATIO_MIN, dc_kw=PV_DC_MAX_KW)))
    assert s.solar.dc_ac_ratio == 0.8 and s.solar.dc_kw == 1e7


def test_bundled_portfolio_still_loads():
    assert len(load_portfolio("default")) == 4


def test_a_phase_of_zero_mw_is_allowed_when_the_phases_add_some(tmp_path):
    # a sweep axis `phases[1].mw: [0, 6]` means "with and without the second phase": refusing
    # every phase of 0 MW refused the whole sweep before any case ran
    from dcplan.sweep_spec import apply_overrides
    site = load_site(_write(tmp_path))
    s = apply_overrides(site, {"interconnection.phases[1].mw": 0.0})
    assert [p.mw for p in s.interconnection.phases] == [6.0, 0.0]
