"""One site year for the TCO where one serves (dcplan.tco_site_plant, dcplan.tco_inputs.inputs_from_site).

``inputs_from_site(site, ...)`` without ``site_year`` for a site whose sewer is billed on a winter average (the
bundled Phoenix) ran the site year twice: for the plant's WUE (``site_plant_wue``) and for the winter months'
make-up shares (``_make_up_month_shares``). It now runs it once for both, with the same figures as the caller's
year gives, and the sources still say the year was run there.
"""
from __future__ import annotations

import warnings

import pandas as pd
import pytest

import dcplan.pipeline
from dcplan import tco
from dcplan.errors import DcplanWarning
from dcplan.pipeline import run_site_year
from dcplan.site import load_site
from dcplan.tco_site_plant import PLANT_WUE_SOURCE


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
