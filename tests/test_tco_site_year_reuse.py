"""One site year for the TCO where one serves (dcplan.tco_site_plant, dcplan.tco_inputs.inputs_from_site).

1. ``inputs_from_site(site, ...)`` without ``site_year`` for a site whose sewer is billed on a winter average (the
   bundled Phoenix) ran the site year twice: for the plant's WUE (``site_plant_wue``) and for the winter months'
   make-up shares (``_make_up_month_shares``). It now runs it once for both, with the same figures as the caller's
   year gives, and the sources still say the year was run there.
2. ``check_site_year`` refused a year of the site for a variant of it in finance only (a discount-rate sweep re-ran
   the same year for each rate), though the site year reads no ``finance`` field: read from the code
   (dcplan.pipeline.run_site_year and what it calls) and tested here by recording every read of the section while
   the bundled sites' years run, and by years of finance variants equal to the site's in every output. A year of a
   version that differs elsewhere is still refused, naming the field.
"""
from __future__ import annotations

import dataclasses
import warnings

import numpy as np
import pandas as pd
import pytest

import dcplan.pipeline
from dcplan import tco
from dcplan.errors import DcplanWarning, InputError
from dcplan.pipeline import run_site_year
from dcplan.site import load_site
from dcplan.specs.finance import FinanceSpec
from dcplan.sweep_overrides import apply_overrides
from dcplan.tco_site import site_tco
from dcplan.tco_site_plant import PLANT_WUE_SOURCE

SITES = ("phoenix-az", "northern-virginia", "chicago-il", "research-triangle-nc")  # data/sites/


def _quiet(f, *a, **k):
    with warnings.catch_warnings():  # the sites' own warnings (phoenix: its 2024 APS prices) are not the subject
        warnings.simplefilter("ignore", DcplanWarning)
        return f(*a, **k)


@pytest.fixture(scope="module")
def phoenix():
    site = load_site("phoenix-az")
    return site, _quiet(run_site_year, site)


def _kw(y):
    from dcplan.power import energy_from_power
    return dict(n_accelerators=y.n_accelerators, it_capacity_kw=y.design_it_kw,
                it_energy_kwh=float(energy_from_power(y.it_kw).sum()))


# ---------------------------------------------------------------------------
# 1. inputs_from_site without site_year: one run for the WUE and the winter average

def test_inputs_from_site_runs_phoenixs_year_once_for_its_wue_and_winter_sewer(phoenix, monkeypatch):
    site, y = phoenix
    assert site.finance.sewer_billing == "winter_average" and "wue_l_per_kwh" not in site.finance.costs
    runs = []
    real = dcplan.pipeline.run_site_year

    def counted(*a, **k):
        runs.append(a[0].id)
        return real(*a, **k)

    monkeypatch.setattr(dcplan.pipeline, "run_site_year", counted)
    own = _quiet(tco.inputs_from_site, site, **_kw(y))
    assert runs == ["phoenix-az"]                                      # was 2: the WUE's and the winter months'
    given = _quiet(tco.inputs_from_site, site, site_year=y, **_kw(y))
    assert runs == ["phoenix-az"]                                      # the caller's year: no run
    # the figures are the caller's year's, to float rounding
    p_own, p_given = own.params(), given.params()
    assert p_own.keys() == p_given.keys()
    for k, v in p_given.items():
        if isinstance(v, float):
            assert p_own[k] == pytest.approx(v, rel=1e-12), k
    assert own.sewer_billed_frac == pytest.approx(given.sewer_billed_frac, rel=1e-12)
    npv = [tco.run_tco(i, y.bill).summary["npv_usd"] for i in (own, given)]
    assert npv[0] == pytest.approx(npv[1], rel=1e-12)
    # ... and the plant's, computed here: its water over its IT energy (plant_summary's figure, to rounding), and
    # the January-March share of its make-up x 12 / 3 x 0.9 (the month each hour starts in: hour-ending labels)
    assert p_own["wue_l_per_kwh"] == pytest.approx(y.cooling["wue_l_per_kwh"], rel=1e-9)
    w = y.plant["water_l"]
    by = w.groupby((w.index - pd.Timedelta(hours=1)).month).sum()
    assert own.sewer_billed_frac == pytest.approx(12 * by.loc[[1, 2, 3]].mean() / by.sum() * 0.9, rel=1e-9)
    # the sources say where the year came from, on either path
    assert own.sources["wue_l_per_kwh"] == PLANT_WUE_SOURCE + "; run by dcplan.tco_inputs.inputs_from_site"
    assert given.sources["wue_l_per_kwh"] == PLANT_WUE_SOURCE + "; the caller's site_year"
    assert ("(the site's plant model, typical year, run by dcplan.tco_inputs.inputs_from_site, its water_l by "
            "calendar month (month_shares); dcplan.tco_site_plant.winter_average_billed_frac)"
            in own.sources["sewer_billed_frac"])
    assert ("(the site's plant model, typical year (the caller's site_year), its water_l by calendar month "
            "(month_shares); dcplan.tco_site_plant.winter_average_billed_frac)" in given.sources["sewer_billed_frac"])


# ---------------------------------------------------------------------------
# 2. the site year reads no finance field

class _Reads:
    """A stand-in for a site's ``finance`` section that records every attribute read, however reached."""

    def __init__(self, finance, log):
        object.__setattr__(self, "_finance", finance)
        object.__setattr__(self, "_log", log)

    def __getattr__(self, name):
        object.__getattribute__(self, "_log").append(name)
        return getattr(object.__getattribute__(self, "_finance"), name)


@pytest.mark.parametrize("name", SITES)
def test_a_site_year_reads_no_finance_field(name):
    site = load_site(name)
    log = []
    spy = site.model_copy(update={"finance": _Reads(site.finance, log)})   # model_copy: no validation
    assert type(spy.finance) is _Reads
    y = _quiet(run_site_year, spy)
    assert log == []
    assert y.bill.total_usd > 0 and float(y.plant["facility_kw"].sum()) > 0   # the whole chain ran


def _same(a, b, where):
    """Assert two site-year outputs are identical (exact: the same model on the same inputs)."""
    if a is b:
        return
    assert type(a) is type(b), where
    if isinstance(a, pd.DataFrame):
        pd.testing.assert_frame_equal(a, b, check_exact=True, obj=where)
        _same(a.attrs, b.attrs, f"{where}.attrs")
    elif isinstance(a, pd.Series):
        pd.testing.assert_series_equal(a, b, check_exact=True, obj=where)
        _same(a.attrs, b.attrs, f"{where}.attrs")
    elif isinstance(a, np.ndarray):
        np.testing.assert_array_equal(a, b, err_msg=where)
    elif isinstance(a, dict):
        assert list(a) == list(b), where
        for k in a:
            _same(a[k], b[k], f"{where}[{k!r}]")
    elif isinstance(a, (list, tuple)):
        assert len(a) == len(b), where
        for i, (x, z) in enumerate(zip(a, b)):
            _same(x, z, f"{where}[{i}]")
    elif isinstance(a, float):
        assert a == b or (np.isnan(a) and np.isnan(b)), where
    elif hasattr(a, "__dict__") and not isinstance(a, type):      # a Bill, a CapacityCheck, a bill line
        _same(vars(a), vars(b), where)
    else:
        assert a == b, where


#: A valid other value of every FinanceSpec field, as dotted overrides (dcplan.sweep_overrides.apply_overrides).
FINANCE_CHANGES = {
    "discount_rate_frac": {"finance.discount_rate_frac": 0.11},
    "horizon_years": {"finance.horizon_years": 14},
    "inflation_frac": {"finance.inflation_frac": 0.035},
    "electricity_escalation_frac": {"finance.electricity_escalation_frac": 0.05},
    "tax_rate_frac": {"finance.tax_rate_frac": 0.3},
    "tax_year_start_month": {"finance.tax_year_start_month": 7},
    "build_months": {"finance.build_months": 20},
    "it_refresh_years": {"finance.it_refresh_years": 4},
    "revenue_usd_per_gpu_h": {"finance.revenue_usd_per_gpu_h": 3.1},
    "bonus_depreciation_frac": {"finance.bonus_depreciation_frac": 0.4},
    "sewer_billing": {"finance.sewer_billing": "on_supply"},   # the winter rule's own fields go with it
    "sewer_winter_months": {"finance.sewer_winter_months": [12, 1, 2]},
    "sewer_billed_share_frac": {"finance.sewer_billed_share_frac": 0.8},
    "costs": {"finance.costs.sewer_usd_per_m3": 2.5, "finance.costs.water_usd_per_m3": 2.0,
              "finance.costs.tokens_per_s_per_accelerator": 5000.0},
    "ranges": {"finance.ranges.discount_rate_frac": {"low": 0.06, "high": 0.12, "source": "a test's range"}},
    "sources": {"finance.sources.discount_rate_frac": "a test's word on its rate"},
}


def test_every_finance_field_is_changed_below():
    assert set(FINANCE_CHANGES) == set(FinanceSpec.model_fields)


@pytest.mark.parametrize("field", sorted(FINANCE_CHANGES))
def test_a_year_of_the_site_with_another_finance_field_is_the_same_year(phoenix, field):
    site, y = phoenix
    variant = _quiet(apply_overrides, site, FINANCE_CHANGES[field])
    assert variant.finance != site.finance and variant.model_dump(exclude={"finance"}) == site.model_dump(
        exclude={"finance"})
    other = _quiet(run_site_year, variant)
    for f in dataclasses.fields(y):
        if f.name != "site":
            _same(getattr(other, f.name), getattr(y, f.name), f.name)


# ---------------------------------------------------------------------------
# 2. so a finance variant's TCO takes the site's year; any other version's is still refused

def test_a_finance_variants_tco_on_the_sites_year_is_its_own(phoenix):
    site, y = phoenix
    variant = apply_overrides(site, {"finance.discount_rate_frac": 0.1, "finance.horizon_years": 12,
                                     "finance.electricity_escalation_frac": 0.05, "finance.build_months": 15,
                                     "finance.costs.water_usd_per_m3": 2.0})
    shared = _quiet(site_tco, variant, site_year=y)        # was refused: "first difference finance.discount_rate_frac"
    fresh = _quiet(site_tco, variant)                      # the variant's own year, run here
    assert fresh.year is not y and shared.year.site is variant
    for k, v in fresh.summary.items():
        if isinstance(v, (int, float)) and not isinstance(v, bool):
            assert shared.summary[k] == pytest.approx(v, rel=1e-12, nan_ok=True), k
    assert shared.npv == pytest.approx(fresh.npv, rel=1e-12)
    assert shared.median_result.summary["npv_usd"] == pytest.approx(fresh.median_result.summary["npv_usd"],
                                                                    rel=1e-12)
    pd.testing.assert_frame_equal(shared.result.annual, fresh.result.annual, check_exact=False, rtol=1e-12)
    # the variant's finance, not the year's site's: 12 years at 10 % against the site's 10 at 8 %
    assert shared.inputs.horizon_years == 12 and shared.inputs.params()["discount_rate_frac"] == 0.1
    assert abs(shared.npv - _quiet(site_tco, site, site_year=y).npv) > 1.0e6


def test_a_year_of_a_version_that_differs_in_a_field_the_year_reads_is_refused(phoenix):
    site, y = phoenix
    assert site.solar.dc_kw == 5000                         # data/sites/phoenix-az.yaml
    variant = apply_overrides(site, {"finance.discount_rate_frac": 0.1, "solar.dc_kw": 2000})
    want = (r"site_year: a site year of another version of the site 'phoenix-az' \(same id, other values: first "
            r"difference solar\.dc_kw \(5000\.0 in the year's site, 2000\.0 in the site given\)\); allowed: "
            r"dcplan\.pipeline\.run_site_year\(site\) of this very site, or of a version of it that differs only in "
            r"its finance: section \(which the year does not read\)")
    with pytest.raises(InputError, match=want) as e:
        _quiet(site_tco, variant, site_year=y)
    assert e.value.field == "site_year"
    with pytest.raises(InputError, match=want):
        _quiet(tco.inputs_from_site, variant, site_year=y, **_kw(y))
    # a field after finance: named, not the finance field before it
    noted = apply_overrides(site, {"finance.discount_rate_frac": 0.1, "notes": "another plan"})
    with pytest.raises(InputError, match=r"first difference notes \("):
        _quiet(site_tco, noted, site_year=y)
