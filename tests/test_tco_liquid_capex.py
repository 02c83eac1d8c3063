"""A liquid-cooled site's facility construction cost (data/costs.csv row facility_liquid_usd_per_mw).

The TCO priced every site's facility at Cushman & Wakefield's 11.7 M USD/MW (19 US markets, builds to
2024-10, mostly air-cooled halls), a liquid-cooled GB200 hall too. A site with ``cooling.type: liquid`` now
takes the liquid row by default (``TcoInputs.cooling_type``), its range in the tornado and Monte Carlo, and
says so in the Assumptions; a site's own ``finance.costs.facility_usd_per_mw`` wins; an air site is unchanged.

:func:`facility_npv_per_usd` is the hand calculation of what one USD of facility capex does to the NPV, from
the cash-flow definition (dcplan.tco_cashflows; written out here, not called): the other pins of a liquid
site's figures move by it.
"""
from __future__ import annotations

import math

import pytest

from dcplan import tco
from dcplan.errors import InputError
from dcplan.tco import TcoInputs, load_costs, run_tco
from dcplan.tco_uncertainty import default_distributions, default_ranges, tornado

# the published figures (docs/reference-data.md s.7): C&W 2025 guide, 19 US markets; JLL 2026 via apers.app
CW_AVG, CW_LOW, CW_HIGH = 11.7e6, 9.3e6, 15.0e6
JLL_BTS, JLL_LIQUID = (11e6, 14e6), (15e6, 20e6)
RATIO = (sum(JLL_LIQUID) / 2) / (sum(JLL_BTS) / 2)   # 17.5 / 12.5 = 1.4


def test_the_liquid_row_is_cw_scaled_by_jlls_liquid_over_hyperscale_ratio():
    assert RATIO == pytest.approx(1.4, abs=1e-12)
    from dcplan.catalog_checks import read_catalog
    from dcplan.paths import data_path
    t = read_catalog(data_path("costs.csv")).set_index("key")
    liq = t.loc["facility_liquid_usd_per_mw"]
    # 11.7 M x 1.4 = 16.38 M; 9.3 M x 1.4 = 13.02 M; 15.0 M x 1.4 = 21.0 M (hand)
    assert float(liq["value"]) == pytest.approx(CW_AVG * RATIO, rel=1e-12) == 16.38e6
    assert (float(liq["low"]), float(liq["high"])) == pytest.approx((CW_LOW * RATIO, CW_HIGH * RATIO), rel=1e-12)
    # the range holds JLL's own liquid spread on C&W's average: 11.7 x 15/12.5 = 14.04, 11.7 x 20/12.5 = 18.72
    spread = (CW_AVG * JLL_LIQUID[0] / 12.5e6, CW_AVG * JLL_LIQUID[1] / 12.5e6)
    assert float(liq["low"]) < spread[0] < spread[1] < float(liq["high"])
    # a dcplan derivation (JLL's ratio on C&W's average) is marked derived, as facility_shell_frac is (a sources
    # audit; it was "secondary")
    assert liq["unit"] == "USD/MW" and liq["status"] == "derived" and liq["source"].startswith("derived: ")
    # the air row is C&W's, unchanged
    air = t.loc["facility_usd_per_mw"]
    assert (float(air["low"]), float(air["value"]), float(air["high"])) == (CW_LOW, CW_AVG, CW_HIGH)


def test_the_liquid_row_is_no_input_of_its_own():
    # a site cannot set it: the site sets facility_usd_per_mw, whichever its cooling
    from dcplan.tco_input_types import cost_keys
    assert "facility_liquid_usd_per_mw" not in cost_keys()
    with pytest.raises(InputError, match="unknown cost input 'facility_liquid_usd_per_mw'.*facility_usd_per_mw"):
        TcoInputs(n_accelerators=8, it_capacity_kw=1000.0, it_energy_kwh=1e6,
                  costs={"facility_liquid_usd_per_mw": 1e7})
    with pytest.raises(InputError, match="must be one of air, liquid \\(the site's cooling.type\\), got 'water'"):
        TcoInputs(n_accelerators=8, it_capacity_kw=1000.0, it_energy_kwh=1e6, cooling_type="water")


KW = dict(n_accelerators=8, it_capacity_kw=1000.0, it_energy_kwh=0.0, horizon_years=10)


def test_liquid_inputs_take_the_liquid_row_and_its_range_air_inputs_the_air_row():
    air, liq = TcoInputs(**KW), TcoInputs(**KW, cooling_type="liquid")
    assert air.params()["facility_usd_per_mw"] == CW_AVG
    assert liq.params()["facility_usd_per_mw"] == pytest.approx(CW_AVG * RATIO, rel=1e-12)
    assert default_ranges(air)["facility_usd_per_mw"] == (CW_LOW, CW_HIGH)
    assert default_ranges(liq)["facility_usd_per_mw"] == pytest.approx((CW_LOW * RATIO, CW_HIGH * RATIO), rel=1e-12)
    d = default_distributions(liq)["facility_usd_per_mw"]   # the Monte Carlo's: triangular (low, base, high)
    assert d[0] == "triangular" and d[1:] == pytest.approx((CW_LOW * RATIO, CW_AVG * RATIO, CW_HIGH * RATIO), rel=1e-12)
    # every other input's default and range is the same for both
    pa, pl = air.params(), liq.params()
    assert {k: v for k, v in pa.items() if k != "facility_usd_per_mw"} == \
        {k: v for k, v in pl.items() if k != "facility_usd_per_mw"}
    ra, rl = default_ranges(air), default_ranges(liq)
    assert {k: v for k, v in ra.items() if k != "facility_usd_per_mw"} == \
        {k: v for k, v in rl.items() if k != "facility_usd_per_mw"}
    # a caller's figure wins over either default; its range is the site's cooling row's, widened to hold it
    own = TcoInputs(**KW, cooling_type="liquid", costs={"facility_usd_per_mw": 25e6})
    assert own.params()["facility_usd_per_mw"] == 25e6
    assert default_ranges(own)["facility_usd_per_mw"] == pytest.approx((CW_LOW * RATIO, 25e6), rel=1e-12)


def test_the_assumptions_say_which_default_was_used():
    a = run_tco(TcoInputs(**KW, cooling_type="liquid"), 0.0).assumptions.set_index("key")
    f = a.loc["facility_usd_per_mw"]
    assert f["value"] == pytest.approx(16.38e6, rel=1e-12)
    assert f["source"].startswith("data/costs.csv row facility_liquid_usd_per_mw: derived: Cushman & Wakefield")
    assert (f["vintage"], f["status"]) == ("2024-10/2026-Q1", "derived")  # the row's status ("secondary" before)
    assert "liquid-cooled AI hall" in f["description"]
    c = a.loc["cooling_type"]
    assert c["value"] == 1.0 and c["unit"] == "1 = liquid, 0 = air"
    b = run_tco(TcoInputs(**KW), 0.0).assumptions.set_index("key")
    assert b.loc["facility_usd_per_mw", "source"].startswith("data/costs.csv row facility_usd_per_mw: Cushman")
    assert (b.loc["facility_usd_per_mw", "status"], b.loc["cooling_type", "value"]) == ("primary", 0.0)


def test_sites_pick_the_default_by_cooling_type_and_their_own_figure_wins(tmp_path):
    from conftest import bundled_site_copy
    from dcplan.site import load_portfolio
    pf = load_portfolio()
    for sid, want in (("northern-virginia", ("liquid", CW_AVG * RATIO)), ("phoenix-az", ("air", CW_AVG)),
                      ("chicago-il", ("air", CW_AVG)), ("research-triangle-nc", ("air", CW_AVG))):
        inp = tco.inputs_from_site(pf[sid], n_accelerators=72, it_capacity_kw=1000.0, it_energy_kwh=1e6)
        assert inp.cooling_type == want[0], sid
        assert inp.params()["facility_usd_per_mw"] == pytest.approx(want[1], rel=1e-12), sid
        assert inp.sources["cooling_type"] == "site.cooling.type"
    from dcplan.site import load_site
    site = load_site(bundled_site_copy(tmp_path, "northern-virginia", "nv-own",
                             finance={"discount_rate_frac": 0.08, "horizon_years": 10,
                                      "costs": {"facility_usd_per_mw": 14e6}}))
    inp = tco.inputs_from_site(site, n_accelerators=72, it_capacity_kw=1000.0, it_energy_kwh=1e6)
    assert inp.cooling_type == "liquid" and inp.params()["facility_usd_per_mw"] == 14e6
    a = run_tco(inp, 0.0).assumptions.set_index("key").loc["facility_usd_per_mw"]
    assert a["source"] == "site.finance.costs.facility_usd_per_mw" and a["status"] == "input"
    assert "not the data/costs.csv default (16,380,000 USD/MW)" in a["description"]


# the hand calculation -------------------------------------------------------------------------------------

MACRS15 = []  # MACRS GDS 15-year, 150 % declining balance switching to straight line, half-year (Pub 946 A-1)
_left, _life = 1.0, 15.0
for _y in range(16):
    _db = _left * 1.5 / _life * (0.5 if _y == 0 else 1.0)
    _sl = _left / (_life + 0.5 - _y) if _y > 0 else 0.0
    MACRS15.append(min(max(_db, _sl), _left))
    _left -= MACRS15[-1]


def facility_npv_per_usd(build: int, horizon: int, rate: float, inflation: float, tax: float,
                         shell=0.47, elec=0.6, om=0.02, insurance=0.005, property_tax=0.01,
                         after_tax: bool = True) -> float:
    """d NPV / d (facility capex) by hand, from the cash-flow definition (dcplan.tco_cashflows):

    - capex spent evenly over the ``build`` months (model months 0..build-1);
    - from the end of the build, maintenance ``om``, insurance and property tax of the capex, 1/12 of a year
      each month, inflated (1 + i) ** (project year - 1);
    - residual at the horizon, straight line from the end of the build: shell over 39 years, electrical and
      mechanical over 20;
    - tax (after_tax): ``tax`` x (-opex - depreciation + the residual's gain over the basis left), each year's
      tax paid 1/12 a month of that year; depreciation placed in service at the end of the build (the first
      month of project year build/12 + 1): shell 39-year straight line mid-month (11.5/12 of a year's 1/39 in
      the first year), electrical and mechanical MACRS 15-year half-year (MACRS15);
    - every month ``m`` (1-based) discounted (1 + r) ** (-m / 12), as dcplan.tco.metrics.
    The NPV is the negative of what the capex costs; the pre-tax figure (after_tax False) is the PV of the
    cost (``tco_pv_usd``'s part): capex + opex - residual.
    """
    M = 12 * horizon
    disc = [(1 + rate) ** (-(m + 1) / 12) for m in range(M)]
    cost = sum(disc[m] / build for m in range(build))                     # capex
    yearly_opex = [0.0] * horizon
    for m in range(build, M):
        x = (om + insurance + property_tax) / 12 * (1 + inflation) ** (m // 12)
        cost += x * disc[m]
        yearly_opex[m // 12] += x
    plant = 1 - shell                                                       # electrical + mechanical
    res = shell * max(0.0, 1 - (M - build) / (12 * 39)) + plant * max(0.0, 1 - (M - build) / (12 * 20))
    cost -= res * disc[M - 1]
    if not after_tax:
        return cost
    y0 = build // 12                                                        # (builds of whole years here)
    dep = [0.0] * horizon
    for y in range(y0, horizon):
        k = y - y0
        dep[y] = shell * (11.5 / 12 / 39 if k == 0 else 1 / 39) + plant * MACRS15[k]
    gain = res - (1 - sum(dep))
    taxes = [tax * (-yearly_opex[y] - dep[y] + (gain if y == horizon - 1 else 0.0)) for y in range(horizon)]
    tax_pv = sum(taxes[m // 12] / 12 * disc[m] for m in range(M))
    return -(cost + tax_pv)


def test_the_hand_npv_per_usd_matches_the_model_for_a_bare_facility():
    """A case of facility only (1 MW, no IT energy, no revenue): NPV(f) = f x facility_npv_per_usd; the
    liquid default moves it by (16.38 - 11.7) M x that, its low and high by 13.02 - 9.3 and 21 - 15 M."""
    bare = dict(server_usd_per_accelerator=0.0, network_usd_per_accelerator=0.0, storage_usd_per_accelerator=0.0,
                interconnection_usd_per_mw=0.0, staff_fte_per_mw=0.0, network_usd_per_accelerator_year=0.0,
                revenue_usd_per_gpu_h=0.0, maintenance_it_frac=0.0)
    k = facility_npv_per_usd(12, 10, 0.08, 0.025, 0.21)
    assert -1.2 < k < -0.6  # a cost: about 0.9 USD of NPV lost per USD of facility capex
    air = run_tco(TcoInputs(**KW, costs=bare), 0.0).summary
    liq = run_tco(TcoInputs(**KW, costs=bare, cooling_type="liquid"), 0.0).summary
    # rel 2e-4: the model's MACRS and mid-month tables (Pub 946, to 0.001 %) against the formulas above
    assert air["npv_usd"] == pytest.approx(CW_AVG * k, rel=2e-4)
    assert liq["npv_usd"] - air["npv_usd"] == pytest.approx((16.38e6 - CW_AVG) * k, rel=2e-4)
    kp = facility_npv_per_usd(12, 10, 0.08, 0.025, 0.21, after_tax=False)
    assert liq["tco_pv_usd"] - air["tco_pv_usd"] == pytest.approx((16.38e6 - CW_AVG) * kp, rel=1e-9)
    # the tornado swings the facility cost over its own row's range
    tr = tornado(TcoInputs(**KW, costs=bare, cooling_type="liquid"), 0.0,
                 ranges={"facility_usd_per_mw": default_ranges(TcoInputs(**KW, cooling_type="liquid"))[
                     "facility_usd_per_mw"]}).set_index("input")
    assert tr.at["facility_usd_per_mw", "metric_at_low"] == pytest.approx(13.02e6 * k, rel=2e-4)
    assert tr.at["facility_usd_per_mw", "metric_at_high"] == pytest.approx(21.0e6 * k, rel=2e-4)


def test_an_air_site_is_unchanged_to_the_cent():
    """An air-cooled case built as before (no cooling_type) and one from an air site give the same figures as
    the C&W figure given explicitly: the default did not move for them."""
    kw = dict(KW, it_energy_kwh=5e6)
    given = run_tco(TcoInputs(**kw, costs={"facility_usd_per_mw": 11_700_000.0}), 1e6).summary
    for inp in (TcoInputs(**kw), TcoInputs(**kw, cooling_type="air")):
        got = run_tco(inp, 1e6).summary
        for key in ("npv_usd", "tco_pv_usd", "tco_usd", "usd_per_gpu_hour"):
            assert got[key] == given[key], key
    assert not math.isnan(given["npv_usd"])
    assert load_costs().at["facility_usd_per_mw", "value"] == CW_AVG
