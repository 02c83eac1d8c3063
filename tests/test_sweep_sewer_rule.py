"""The winter-average sewer rule (finance.sewer_billing: winter_average) through a sweep's overrides and axes.

A sweep axis over ``finance.sewer_billing`` on Phoenix (whose file bills sewer on a winter average, months 1-3 at
90 %) was refused for its ``on_supply`` case: the file's ``sewer_winter_months`` stayed and are refused with any
other rule. An override of the rule now drops the file's winter fields unless the overrides set them
(:func:`dcplan.sweep_overrides.apply_overrides`). Expected shares are hand calculations on a constructed monthly
make-up profile (2, 1, 3 in January-March, 4 in each other month: a year of 42, the winter mean 2, so a winter
average bills 12 x 2 = 24 of 42), as tests/test_tco_sewer_winter.py derives them, not the code under test.
"""
from __future__ import annotations

import copy
from pathlib import Path

import numpy as np
import pytest
import yaml

from dcplan.errors import DcplanWarning, InputError
from dcplan.site import _site_from_dict, load_site
from dcplan.sweep import SweepSpec, apply_overrides
from dcplan.tco import run_tco
from dcplan.tco_inputs import inputs_from_site, load_costs

ROOT = Path(__file__).resolve().parents[1]
PROFILE = tuple(float(x) for x in [2, 1, 3] + [4] * 9)   # make-up by calendar month; winter mean 2 of a year 42


@pytest.fixture(scope="module")
def phoenix():
    return load_site("phoenix-az")


@pytest.fixture(scope="module")
def chicago():
    return load_site("chicago-il")


def _billed(site) -> tuple[float, float]:
    """``(sewer_billed_frac, year-after-build opex_sewer_usd)`` of ``site`` on :data:`PROFILE` (no plant run)."""
    inp = inputs_from_site(site, n_accelerators=1024, it_capacity_kw=1000.0, it_energy_kwh=5e6,
                           water_month_frac=PROFILE, wue_l_per_kwh=2.0)
    year = int(np.ceil(load_costs().loc["build_months", "value"] / 12)) + 1
    return inp.sewer_billed_frac, float(run_tco(inp, np.zeros(12)).annual.loc["opex_sewer_usd", year])


def test_an_override_of_the_rule_drops_the_files_winter_fields(phoenix, chicago):
    assert phoenix.finance.sewer_billing == "winter_average"            # the bundled file's rule
    for rule in ("on_supply", "on_discharge", None):                    # None: the default, on_supply
        s = apply_overrides(phoenix, {"finance.sewer_billing": rule})
        assert s.finance.sewer_billing == rule
        assert s.finance.sewer_winter_months is None and s.finance.sewer_billed_share_frac is None
    s = apply_overrides(phoenix, {"finance.sewer_billing": "on_supply"})
    assert _billed(s)[0] == 1.0                                         # sewer on all the make-up
    # the other way: Chicago (on_supply) on a December-February average, the share left at its default 1
    s = apply_overrides(chicago, {"finance.sewer_billing": "winter_average", "finance.sewer_winter_months": [12, 1, 2]})
    assert tuple(s.finance.sewer_winter_months) == (12, 1, 2) and s.finance.sewer_billed_share_frac is None
    # (4 + 2 + 1) / 3 x 12 = 28 of 42; rel 1e-12: float arithmetic only
    assert _billed(s)[0] == pytest.approx(28 / 42, rel=1e-12)


def test_the_files_winter_source_texts_go_with_their_fields():
    raw = yaml.safe_load((ROOT / "data" / "sites" / "phoenix-az.yaml").read_text(encoding="utf-8"))
    d = copy.deepcopy(raw)
    d["finance"]["sources"] = {**d["finance"]["sources"], "sewer_winter_months": "City of Phoenix, knowyourbill",
                               "sewer_billed_share_frac": "AMWUA 2014"}
    site = _site_from_dict(d, str(ROOT / "data" / "sites" / "px-src.yaml"), "px-src")
    s = apply_overrides(site, {"finance.sewer_billing": "on_discharge"})
    assert not {"sewer_winter_months", "sewer_billed_share_frac"} & set(s.finance.sources)
    assert "water_usd_per_m3" in s.finance.sources                      # the others stay


def test_a_billing_axis_on_phoenix_runs_every_rule(phoenix):
    with pytest.warns(DcplanWarning, match="does not read finance.sewer_billing"):  # the default case function's
        spec = SweepSpec(sites=[phoenix], axes={"finance.sewer_billing": ["on_supply", "on_discharge",
                                                                           "winter_average"]})
    sites = {c.axis_values["finance.sewer_billing"]: apply_overrides(c.site, c.overrides, c.base_dir)
             for c in spec.cases()}
    assert set(sites) == {"on_supply", "on_discharge", "winter_average"}
    assert _billed(sites["on_supply"])[0] == 1.0
    # the file's months 1-3 at its 90 %: 0.9 x 24 / 42
    assert _billed(sites["winter_average"])[0] == pytest.approx(0.9 * 24 / 42, rel=1e-12)


def test_a_share_axis_scales_the_sewer_line_exactly(phoenix):
    with pytest.warns(DcplanWarning, match="does not read finance.sewer_billed_share_frac"):
        spec = SweepSpec(sites=[phoenix], axes={"finance.sewer_billed_share_frac": [0.5, 1.0]})
    got = {c.axis_values["finance.sewer_billed_share_frac"]: _billed(apply_overrides(c.site, c.overrides))
           for c in spec.cases()}
    assert got[1.0][0] == pytest.approx(24 / 42, rel=1e-12)             # 12 x 2 / 42, all of it billed
    assert got[0.5][0] == pytest.approx(12 / 42, rel=1e-12)
    assert got[0.5][1] / got[1.0][1] == pytest.approx(0.5, rel=1e-12)   # opex_sewer_usd halves, nothing else moves


def test_a_winter_rule_without_months_is_one_error_naming_axis_field_value_and_allowed(chicago):
    with pytest.raises(InputError) as e:
        SweepSpec(sites=[chicago], axes={"finance.sewer_billing": ["on_supply", "winter_average"]})
    assert e.value.field == "axes.finance.sewer_billing"
    msg = str(e.value)
    assert "value 'winter_average': finance.sewer_winter_months: required with sewer_billing: winter_average" in msg
    assert "allowed: the calendar months" in msg and "(site chicago-il)" in msg
    assert not getattr(e.value, "problems", None) or len(e.value.problems) == 1  # one error, not one per value


def test_fixed_months_beside_another_rule_are_refused_before_the_run_as_in_it(phoenix):
    # a case's overrides are the fixed values and its axis values together: on_supply with months given is
    # refused when the case runs, so the spec refuses it first, naming the override (it passed the check while
    # the fixed months were read as the site file's, which an on_supply override drops)
    fixed = {"finance.sewer_winter_months": [12, 1, 2]}
    with pytest.raises(InputError, match="the override finance.sewer_winter_months=") as e:
        SweepSpec(sites=[phoenix], axes={"finance.sewer_billing": ["on_supply", "winter_average"]}, fixed=fixed)
    assert e.value.field == "axes.finance.sewer_billing" and "value 'on_supply'" in str(e.value)
    with pytest.raises(InputError, match="is for sewer_billing: winter_average only"):
        apply_overrides(phoenix, {**fixed, "finance.sewer_billing": "on_supply"})   # the case's own refusal


@pytest.mark.slow
def test_phoenix_tco_over_a_share_axis_and_a_rule_axis(phoenix):
    """The TCO notebook's case (:func:`dcplan.tco.site_tco`) of sweep cases, the plant model's own year: a share of
    0.45 bills sewer on half what the file's 0.9 does, in every year (the water line unmoved), and on_supply
    bills all the make-up, where the file's rule bills 68.19 % of it (data/SOURCES.md, Water and sewer rates:
    12 x 18.94 % / 3 x 0.9; rounded to 0.01 %, so abs 5e-5)."""
    from dcplan import tco
    with pytest.warns(DcplanWarning):
        spec = SweepSpec(sites=[phoenix], axes={"finance.sewer_billed_share_frac": [0.45, 0.9]})
    annual = {c.axis_values["finance.sewer_billed_share_frac"]:
              tco.site_tco(apply_overrides(c.site, c.overrides), scenario="base").result.annual
              for c in spec.cases()}
    on_supply = tco.site_tco(apply_overrides(phoenix, {"finance.sewer_billing": "on_supply"}),
                             scenario="base").result.annual
    sewer = {k: a.loc["opex_sewer_usd"] for k, a in annual.items()}
    assert (sewer[0.9] > 0).any()
    np.testing.assert_allclose(sewer[0.45].to_numpy(), 0.5 * sewer[0.9].to_numpy(), rtol=1e-12)
    np.testing.assert_allclose(annual[0.45].loc["opex_water_usd"].to_numpy(),
                               annual[0.9].loc["opex_water_usd"].to_numpy(), rtol=1e-12)
    ratio = sewer[0.9].sum() / on_supply.loc["opex_sewer_usd"].sum()
    assert ratio == pytest.approx(0.6819, abs=5e-5)
