"""dcplan.sweep_overrides: the order overrides are set in, and that setting them leaves the caller's values alone.

A sweep case's overrides are its ``fixed`` values, then its axis values. A fixed field inside a section an axis
sets whole (``interconnection.battery.target`` beside an ``interconnection.battery`` axis) was set first and
then replaced by the axis's section, so every case ran the default target while its ``overrides_json`` named
the fixed one; and a field set inside a section value wrote into the spec's own value, shared by every case, so
``-j 1`` (cases in one process) wrote other ``overrides_json`` than ``-j 2``.
"""
from __future__ import annotations

import json

import pytest

from dcplan.site import load_site
from dcplan.sweep import SweepSpec, apply_overrides, run_sweep

# the HGX fleet of Chicago on its own; these tests are of the overrides, not of validate's plausibility warnings
pytestmark = pytest.mark.filterwarnings(r"ignore:.*\[sweep case :dcplan.errors.DcplanWarning")

BATTERY = {"power_mw": 2, "energy_mwh": 8}


def battery_of(site):
    """The case's site battery as the case function receives it (module-level: importable by a sweep)."""
    b = site.interconnection.battery
    return {"battery_energy_mwh": float(b.energy_mwh), "battery_target": b.target}


@pytest.fixture(scope="module")
def chicago():
    site = load_site("chicago-il")
    assert site.interconnection.battery is None  # the tests add one
    return site


def test_a_field_inside_a_section_is_set_after_the_section_whatever_the_order(chicago):
    """The section first, then the field in it: the field given first (a sweep's fixed value) is not lost."""
    for overrides in ({"interconnection.battery.target": "demand", "interconnection.battery": dict(BATTERY)},
                      {"interconnection.battery": dict(BATTERY), "interconnection.battery.target": "demand"}):
        b = apply_overrides(chicago, overrides).interconnection.battery
        assert b.target == "demand"  # the old code gave the default, contract, for the first order
        assert (b.power_mw, b.energy_mwh) == (2.0, 8.0)


def test_setting_a_field_inside_a_section_value_leaves_the_value_alone(chicago):
    value = dict(BATTERY)
    b = apply_overrides(chicago, {"interconnection.battery": value,
                                  "interconnection.battery.energy_mwh": 16}).interconnection.battery
    assert b.energy_mwh == 16.0
    assert value == BATTERY  # the old code wrote 16 into the caller's dict


def test_a_sweeps_fixed_field_inside_an_axis_section_is_applied(chicago):
    """Fixed ``interconnection.battery.target: demand`` with an axis of whole batteries: every case runs the
    demand target, as its overrides say (the old code ran contract, the default)."""
    spec = SweepSpec(sites=[chicago], case="test_sweep_overrides:battery_of",
                     axes={"interconnection.battery": [{"power_mw": 2, "energy_mwh": 4}, dict(BATTERY)]},
                     fixed={"interconnection.battery.target": "demand"})
    rows = run_sweep(spec, jobs=1, write=False).frame
    assert list(rows["status"]) == ["ok", "ok"]
    assert list(rows["battery_target"]) == ["demand", "demand"]
    assert list(rows["battery_energy_mwh"]) == [4.0, 8.0]
    assert all(json.loads(j)["interconnection.battery.target"] == "demand" for j in rows["overrides_json"])


def test_a_sweeps_rows_show_the_spec_values_in_one_process(chicago):
    """A fixed section and an axis of a field in it: each row's overrides_json holds the spec's fixed value
    (8 MWh), as a run in worker processes writes it, beside the axis value the case ran (4, 8, 16)."""
    spec = SweepSpec(sites=[chicago], case="test_sweep_overrides:battery_of",
                     axes={"interconnection.battery.energy_mwh": [4, 8, 16]},
                     fixed={"interconnection.battery": dict(BATTERY)})
    rows = run_sweep(spec, jobs=1, write=False).frame
    assert list(rows["battery_energy_mwh"]) == [4.0, 8.0, 16.0]
    fixed = [json.loads(j)["interconnection.battery"]["energy_mwh"] for j in rows["overrides_json"]]
    assert fixed == [8, 8, 8]  # the old code: [4, 8, 16], each case's axis value written into the shared fixed dict
    assert spec.fixed["interconnection.battery"] == BATTERY
