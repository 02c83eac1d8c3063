"""Air-cooled servers on a liquid plant: the warning says who chose the plant and what it does to them.

The tester's finding: 70 gb200-nvl72 + 700 hgx-h100 with no cooling: section validated "ok" with a
warning that "cooling.type is 'liquid'", though the user never set it (the default did, for the
liquid-cooled racks); and an all-H100 site with cooling.type liquid fits 12,773 GPUs in 20 MW instead of
11,481, with a warning that did not say the servers' heat is then counted as liquid-captured.
"""
from __future__ import annotations

import yaml

from conftest import bundled_site_copy

from dcplan.cooling_default import air_server_on_liquid_warnings, plant_choice
from dcplan.site import load_portfolio, load_site

EFFECT = ("the model treats the whole hall as liquid-cooled, the air-cooled servers included: 85 % of their heat "
          "counted as captured by the direct-to-chip loop, at the air-cooled servers' power, so the PUE is a liquid "
          "plant's, optimistic for these servers (lower than an air plant's), and more GPUs fit under a grid limit "
          "than with them on air")


def _mixed(tmp_path, cooling=None):
    f = bundled_site_copy(tmp_path, "northern-virginia", "mixed", fleet={"phases": [
        {"hardware": "gb200-nvl72", "count": 70, "start": "2027-01-01"},
        {"hardware": "hgx-h100", "count": 700, "start": "2027-01-01"}]})
    d = yaml.safe_load(f.read_text())
    d.pop("cooling")
    if cooling is not None:
        d["cooling"] = cooling
    f.write_text(yaml.safe_dump(d, sort_keys=False))
    return load_site(f)


def test_a_default_liquid_plant_says_it_was_the_default_and_why(tmp_path):
    site = _mixed(tmp_path)
    assert (site.cooling.type, plant_choice(site)) == ("liquid", "no section")
    assert air_server_on_liquid_warnings(site) == [
        f"{site.source_file}: fleet.phases[1].hardware: 'hgx-h100' is air-cooled in data/hardware.csv (its 10.2 kW a "
        "unit is the air-cooled server's, fans included); cooling.type is 'liquid' by default, not set in the file: "
        "the site file has no cooling: section, and the fleet holds liquid-cooled units (gb200-nvl72: "
        "data/hardware.csv cooling: liquid), which only a liquid plant cools: " + EFFECT + ". allowed: write "
        "cooling.type: liquid to keep this only if the servers are liquid-cooled versions of the ones listed; "
        "otherwise put the air-cooled servers' phases in a site file of their own with cooling.type: air (one plant "
        "per site; an air plant cannot cool gb200-nvl72)"]


def test_a_section_without_type_and_a_liquid_loop_key_says_so(tmp_path):
    site = _mixed(tmp_path, cooling={"ashrae_class": "A2"})
    assert plant_choice(site) == "no type"
    assert "cooling.type is 'liquid' by default, not set in the file: the file's cooling: section gives no type, " \
           "and the fleet holds liquid-cooled units (gb200-nvl72" in air_server_on_liquid_warnings(site)[0]
    site = _mixed(tmp_path, cooling={"liquid_class": "W40"})
    assert "cooling.type is 'liquid' by default: the file's cooling: section gives no type but gives liquid_class, " \
           "which only a liquid loop reads: the model treats" in air_server_on_liquid_warnings(site)[0]


def test_a_liquid_plant_set_on_air_cooled_servers_says_their_heat_is_counted_as_liquid_captured(tmp_path):
    site = load_site(bundled_site_copy(tmp_path, "chicago-il", "h100-liq", cooling={"type": "liquid", "liquid_class": "W32"}, fleet={
        "phases": [{"hardware": "hgx-h100", "count": 1436, "start": "2026-04-01"}]}))
    assert plant_choice(site) == "file"
    assert air_server_on_liquid_warnings(site) == [
        f"{site.source_file}: fleet.phases[0].hardware: 'hgx-h100' is air-cooled in data/hardware.csv (its 10.2 kW a "
        "unit is the air-cooled server's, fans included); cooling.type is 'liquid' (set in the file): " + EFFECT
        + ". allowed: cooling.type: air for the servers as listed; keep 'liquid' only for liquid-cooled versions of "
        "them, or use liquid-cooled units (data/hardware.csv cooling: liquid, e.g. gb200-nvl72)"]


def test_nothing_on_the_bundled_sites():
    for site in load_portfolio().sites:
        assert air_server_on_liquid_warnings(site) == [], site.id
