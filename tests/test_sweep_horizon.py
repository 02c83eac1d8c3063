"""Sweep overrides run the site file's check across sections: a horizon past the battery's life.

``dcplan.site.load_site`` refuses ``finance.horizon_years`` longer than the battery's 15-year
economic life (``dcplan.specs.finance.BATTERY_LIFE_YEARS``) on a site with an
``interconnection.battery``: the TCO buys the battery once and does not replace it. A sweep case
that set the horizon to 18 on a battery site, or added a battery to a site with an 18-year horizon,
passed ``apply_overrides`` and its sweep file loaded; each such case then failed in its own TCO run.
"""
from __future__ import annotations

import pytest

from dcplan.errors import DcplanWarning, InputError
from dcplan.site import load_portfolio
from dcplan.specs.finance import BATTERY_LIFE_YEARS
from dcplan.sweep import apply_overrides, load_sweep

# research-triangle-nc: 12 MW contracted, horizon 10, no battery; 2 MW / 8 MWh = 4 h, inside the bounds
BATTERY = {"interconnection.battery.power_mw": 2.0, "interconnection.battery.energy_mwh": 8.0}
TOO_LONG = (r"finance\.horizon_years: 18 years is longer than the 15-year economic life of the site's battery "
            r"\(interconnection\.battery, 8 MWh\).*allowed with a battery: at most 15")


@pytest.fixture(scope="module")
def site():
    return load_portfolio()["research-triangle-nc"]


def test_an_override_past_the_batterys_life_is_refused_as_load_site_refuses_it(site):
    assert BATTERY_LIFE_YEARS == 15
    # the horizon set by the override on a site the same overrides give a battery
    with pytest.raises(InputError, match=TOO_LONG + r" \(the override finance\.horizon_years=18, not the file's "
                                                    r"value\)$") as e:
        apply_overrides(site, {**BATTERY, "finance.horizon_years": 18})
    assert e.value.field == "finance.horizon_years" and "research-triangle-nc.yaml" in str(e.value)
    # a battery added to a site whose horizon is 18 (an earlier override): the horizon is not the
    # override's, so the error gives the overrides
    long = apply_overrides(site, {"finance.horizon_years": 18})
    with pytest.raises(InputError, match=TOO_LONG + r" \(with overrides .*interconnection\.battery\.energy_mwh"):
        apply_overrides(long, BATTERY)
    # the horizon set on a site that already has a battery
    bat = apply_overrides(site, BATTERY)
    with pytest.raises(InputError, match=TOO_LONG):
        apply_overrides(bat, {"finance.horizon_years": 18})
    # at the battery's life, and past it without a battery (up to HORIZON_MAX_YEARS 20): allowed
    assert apply_overrides(bat, {"finance.horizon_years": 15}).finance.horizon_years == 15
    assert apply_overrides(site, {"finance.horizon_years": 20}).finance.horizon_years == 20


def test_a_sweep_file_with_such_a_case_is_refused_before_any_case_runs(tmp_path):
    f = tmp_path / "bat.yaml"
    f.write_text("site: research-triangle-nc\nfixed:\n  interconnection.battery.power_mw: 2.0\n"
                 "  interconnection.battery.energy_mwh: 8.0\naxes:\n  finance.horizon_years: [10, 18]\n")
    with pytest.raises(InputError, match=r"axes\.finance\.horizon_years: value 18: 18 years is longer than the "
                                         r"15-year economic life.*at most 15.*\(site research-triangle-nc\)") as e:
        load_sweep(f)
    assert str(f) in str(e.value) and e.value.field == "axes.finance.horizon_years"
    # the other way round: a battery axis on an 18-year horizon
    g = tmp_path / "hor.yaml"
    g.write_text("site: research-triangle-nc\nfixed:\n  finance.horizon_years: 18\naxes:\n"
                 "  interconnection.battery: [null, {power_mw: 2.0, energy_mwh: 8.0}]\n")
    with pytest.raises(InputError, match=r"axes\.interconnection\.battery: value .*finance\.horizon_years: 18 years "
                                         r"is longer than the 15-year economic life.*\(site research-triangle-nc\)"):
        load_sweep(g)
    # within the battery's life the sweep loads, one case per horizon (with a warning: the default
    # case function's figures do not depend on the horizon)
    f.write_text(f.read_text().replace("[10, 18]", "[10, 15]"))
    with pytest.warns(DcplanWarning, match=r"axes\.finance\.horizon_years: the case function "
                                           r"dcplan\.pipeline:case_figures does not read finance\.horizon_years"):
        spec = load_sweep(f)
    assert len(spec.cases()) == 2
