"""The fleet API refuses a catalog row that is no server or rack, as the site loader does: a rack-power
tester's fleet_design_it_kw on 8 x h100-sxm returned 5.6 kW (eight boards' DC power, no server, fans
or power supply), and an InfiniBand switch or a CDU share was taken as a fleet unit."""
from __future__ import annotations

import pytest

from dcplan import power
from dcplan.errors import InputError


@pytest.mark.parametrize("key, kind", [("h100-sxm", "an accelerator"), ("ib-ndr-switch", "a network"),
                                       ("cdu-share", "a cdu")])
def test_a_part_is_no_fleet_unit(key, kind):
    fleet = {"phases": [{"hardware": key, "count": 8, "start": "2026-01-01"}]}
    with pytest.raises(InputError) as e:
        power.fleet_design_it_kw(fleet)
    assert e.value.field == "fleet.phases[0].hardware"
    assert e.value.detail.startswith(f"{key!r} is {kind} in data/hardware.csv, not a server or rack: a phase counts "
                                     "whole servers or racks")
    assert "allowed: cpu-2s, gb200-nvl72, hgx-b200, hgx-h100, hgx-h200, mi300x-8" in e.value.detail


def test_servers_are_counted_with_their_racks_add_ons():
    # 8 x hgx-h100, 4 a rack (data/hardware.csv): 2 racks of 4 x 10.2 kW + 1.5 IB switches x 1.7 kW
    # + a 0.15 kW management switch + 0.25 storage node x 1.5 kW = 87.75 kW
    fleet = {"phases": [{"hardware": "hgx-h100", "count": 8, "start": "2026-01-01"}]}
    assert power.fleet_design_it_kw(fleet) == pytest.approx(2 * (4 * 10.2 + 1.5 * 1.7 + 0.15 + 0.25 * 1.5), rel=1e-12)
