"""A site's own time to power (``interconnection.time_to_power``) for a region data/interconnection.csv
has no row for.

A planner modelling Miami, FL and Sand Point, AK found no Florida or Alaska row, and a site file
could not give its own figures (``median_months`` was refused), so they borrowed Georgia Power's
row, and the Miami report printed Georgia Power's basis text. A site now states
``time_to_power: {p10_months, median_months, p90_months, source}`` instead of ``region``; every
reader of the region's distribution (time to power, energization delays and dates, the ramp band,
the TCO's delay scenarios and Monte Carlo draws) takes it, through the table's own model, and the
report line prints the site's ``source``.

Hand values: the two-piece lognormal of dcplan.grid's module docstring,
``Q(q) = m exp(z_q sigma)``, ``sigma_- = ln(m/p10)/z_0.9`` below the median and
``sigma_+ = ln(p90/m)/z_0.9`` above, with standard normal quantiles from the tables
(Abramowitz & Stegun 26.2): z_0.9 = 1.2815515655446004, z_0.75 = -z_0.25 = 0.6744897501960817,
z_0.995 = 2.5758293035489004.
"""
from __future__ import annotations

import csv
import datetime as dt
import math

import numpy as np
import pandas as pd
import pytest
import yaml

from dcplan import grid, tco_uncertainty
from dcplan.errors import InputError
from dcplan.paths import data_path
from dcplan.site import SiteError, load_site
from dcplan.specs.interconnection import InterconnectionSpec
from dcplan.tco_delay import scenario_delay_months

from conftest import MIAMI_TMY2

Z90, Z75, Z995 = 1.2815515655446004, 0.6744897501960817, 2.5758293035489004
MIAMI_SOURCE = "FPL large-load team call 2025-06-12 (planner's notes)"
#: filed 2025-03-01, first phase planned 2026-06-01: 15 whole months (day 1 to day 1). [months]
PLANNED_MONTHS = 15.0


def _table() -> dict[str, dict]:
    """data/interconnection.csv read with the csv module (not through dcplan.grid)."""
    with open(data_path("interconnection.csv"), newline="", encoding="utf-8") as fh:
        return {r["region"]: r for r in csv.DictReader(line for line in fh if not line.startswith("#"))}


def _ic(**kw) -> InterconnectionSpec:
    base = dict(utility="Florida Power & Light", requested_mw=12.0, filed=dt.date(2025, 3, 1),
                phases=[dict(energized=dt.date(2026, 6, 1), mw=6.0), dict(energized=dt.date(2027, 6, 1), mw=6.0)])
    base.update(kw)
    return InterconnectionSpec(**base)


def _own(p10=18.0, median=30.0, p90=54.0, source=MIAMI_SOURCE, **kw) -> InterconnectionSpec:
    return _ic(time_to_power=dict(p10_months=p10, median_months=median, p90_months=p90, source=source), **kw)


# --------------------------------------------------------------------------- the same model as a row

@pytest.mark.parametrize("region", sorted(_table()))
def test_a_copy_of_a_rows_figures_gives_that_rows_results_exactly(region):
    """Every reader of the distribution, with the site's own copy of a row's figures and with the
    row itself: identical floats (the same model on the same numbers), so assert exact equality."""
    row = _table()[region]
    by_row = _ic(region=region)
    own = _own(float(row["p10_months"]), float(row["median_months"]), float(row["p90_months"]),
               source=f"copied from the {region} row")
    for kw in ({}, {"equipment": ()}, {"order_delay_months": 6.0}):
        pd.testing.assert_frame_equal(grid.time_to_power(own, **kw), grid.time_to_power(region, **kw),
                                      check_exact=True)
        pd.testing.assert_series_equal(grid.energization_delay_months(own, **kw),
                                       grid.energization_delay_months(by_row, **kw), check_exact=True)
    pd.testing.assert_frame_equal(grid.time_to_power_cdf(own), grid.time_to_power_cdf(region), check_exact=True)
    pd.testing.assert_frame_equal(grid.energization_dates(own), grid.energization_dates(by_row))
    pd.testing.assert_frame_equal(grid.ramp_band(own, 2.0, {"2026-06-01": 3000}),
                                  grid.ramp_band(by_row, 2.0, {"2026-06-01": 3000}), check_exact=True)
    # the TCO's delay: its scenarios, its Monte Carlo draws (quantiles up to 0.995) and tornado range
    assert tco_uncertainty.site_delay_distribution(own) == tco_uncertainty.site_delay_distribution(by_row)
    assert tco_uncertainty.site_delay_range(own) == tco_uncertainty.site_delay_range(by_row)
    for sc in ("grid-delay-p50", "grid-delay-p90"):
        assert scenario_delay_months(sc, own) == scenario_delay_months(sc, by_row)


def test_the_region_form_reads_exactly_as_the_region_key():
    """A spec with a region is its row: the section and the key give the same frame (exact)."""
    pd.testing.assert_frame_equal(grid.time_to_power(_ic(region="ga-georgia-power")),
                                  grid.time_to_power("ga-georgia-power"), check_exact=True)


# --------------------------------------------------------------------------- hand values

def test_own_figures_hand_quantiles_and_delays():
    ic = _own()  # p10 18, median 30, p90 54
    g = grid.time_to_power(ic, equipment=(), quantiles=[0.1, 0.25, 0.5, 0.75, 0.9])
    # the fitted curve passes through the three figures (exp(z_0.9 * ln(r)/z_0.9) = r; abs: float rounding)
    assert g["grid_months"].loc[[0.1, 0.5, 0.9]].tolist() == pytest.approx([18.0, 30.0, 54.0], abs=1e-9)
    # between them: 30 exp(-0.67449 ln(30/18)/1.28155) = 22.9277, 30 exp(0.67449 ln(54/30)/1.28155) = 40.8764
    lo = 30.0 * math.exp(-Z75 * math.log(30 / 18) / Z90)
    hi = 30.0 * math.exp(Z75 * math.log(54 / 30) / Z90)
    assert (lo, hi) == pytest.approx((22.9277, 40.8764), abs=1e-4)  # the hand figures, 4 decimals
    assert g["grid_months"].loc[0.25] == pytest.approx(lo, abs=1e-9)  # exact quantile, float rounding
    assert g["grid_months"].loc[0.75] == pytest.approx(hi, abs=1e-9)
    # the grid wait alone, inverted on the 0.05-month CDF grid: linear interpolation, well inside 0.01 month
    assert g["time_to_power_months"].to_numpy() == pytest.approx([18.0, lo, 30.0, hi, 54.0], abs=0.01)
    # delay: filed 2025-03-01 + T_q - planned 2026-06-01 (15 months): 3, 15, 39 months (same 0.01 grid bound)
    d = grid.energization_delay_months(ic, equipment=(), quantiles=[0.1, 0.5, 0.9])
    assert d.to_numpy() == pytest.approx([3.0, 15.0, 39.0], abs=0.01)
    # every phase slips by it: median 2026-06-01 + 15 months, 2027-06-01 + 15 months (whole days: the
    # 0.01-month slack is under half a day)
    dates = grid.energization_dates(ic, equipment=())
    assert dates["energized_p50"].tolist() == [pd.Timestamp("2027-09-01"), pd.Timestamp("2028-09-01")]


def test_wide_own_figures_reach_the_tcos_last_draw_beyond_240_months():
    """p10 12 / median 30 / p90 90: the 99.5th percentile, 30 (90/30)^(z_0.995/z_0.9) = 272.96 months,
    lies beyond the 240-month grid every table row fits in; the grid reaches it (the TCO draws it)."""
    ic = _own(12.0, 30.0, 90.0)
    hand = 30.0 * (90.0 / 30.0) ** (Z995 / Z90)
    assert hand == pytest.approx(272.96, abs=0.01)  # the hand figure, 2 decimals
    t = grid.time_to_power(ic, equipment=(), quantiles=[0.995])
    assert float(t["grid_months"].iloc[0]) == pytest.approx(hand, abs=1e-9)  # exact quantile
    assert float(t["time_to_power_months"].iloc[0]) == pytest.approx(hand, abs=0.01)  # 0.05-month grid
    draws = tco_uncertainty.site_delay_distribution(ic)
    assert draws[1][-1] == 0.995
    # with the transformer and switchgear (months, not years) the grid wait decides the tail: the delay
    # is T_0.995 - 15 months; 0.01 for the CDF grid
    assert draws[2][-1] == pytest.approx(hand - PLANNED_MONTHS, abs=0.01)


# --------------------------------------------------------------------------- the report line

def test_the_report_line_prints_the_sites_own_source_not_a_borrowed_row():
    ic = _own()
    line = grid.time_to_power_basis(ic)
    # the site's figures are the grid's wait: the line says the equipment lead times come on top
    assert line == ("Florida Power & Light: the site file's own grid wait, filing to the utility's readiness to "
                    "energize, p10 18 / median 30 / p90 54 months (interconnection.time_to_power; the time to "
                    "power is the later of this and the site's equipment lead times, dcplan.grid.time_to_power) "
                    f"[{MIAMI_SOURCE}; status: site figures]")
    assert "Georgia" not in line
    row = grid.lead_time_row(ic)
    assert list(row.index) == list(grid.lead_times().reset_index().columns[1:])  # the table's columns
    assert (row["source"], row["utility"], row["status"]) == (MIAMI_SOURCE, "Florida Power & Light", "site figures")
    assert (row["median_months"], row["p10_months"], row["p90_months"]) == (30.0, 18.0, 54.0)
    # a region: the line the interconnection report printed from its row (csv module read)
    r = _table()["ga-georgia-power"]
    expected = f"{r['name']}: {r['basis']} [{r['source']}; status: {r['status']}]"
    assert grid.time_to_power_basis("ga-georgia-power") == expected
    assert grid.time_to_power_basis(_ic(region="ga-georgia-power", requested_mw=60.0)) == expected
    # 12 MW against the row's contracts > 100 MW (its source_load_mw): the line says the size does not fit
    assert grid.time_to_power_basis(_ic(region="ga-georgia-power")) == expected + (
        "; size: the row ga-georgia-power describes loads of 100 MW or more (source_load_mw, its source); this site "
        "requests 12 MW, 12% of that: a wait read from much larger loads may not fit a request this size (it may go "
        "through another process or need fewer upgrades), and no source gives the wait by size")
    # the section alone (no utility to name it)
    assert grid.time_to_power_basis(ic.time_to_power).startswith("site's own figures: ")


def test_a_site_without_region_says_to_pass_its_section():
    ic = _own()
    with pytest.raises(InputError, match=r"no region: a site that gives its own interconnection.time_to_power"
                                         r".*grid.time_to_power\(site.interconnection\)"):
        grid.time_to_power(ic.region)
    with pytest.raises(InputError, match="need a region key of data/interconnection.csv.*got int 5"):
        grid.time_to_power(5)
    with pytest.raises(InputError, match=r"unknown region 'fl-fpl'"):
        grid.time_to_power("fl-fpl")
    with pytest.raises(InputError, match=r"got None; a site that gives its own interconnection.time_to_power has "
                                         r"no region: use grid.lead_time_row\(site.interconnection\)"):
        grid.region_lead_time(ic.region)


# --------------------------------------------------------------------------- the site file

def _miami_yaml(tmp_path, interconnection: dict):
    raw = {
        "name": "Miami, FL", "latitude": 25.8, "longitude": -80.27, "timezone": "America/New_York",
        "elevation_m": 2,
        "weather": {"file": str(MIAMI_TMY2), "format": "tmy2", "year": 2025, "source": "NREL TMY2 12839"},
        "fleet": {"phases": [{"hardware": "hgx-h200", "count": 512, "start": dt.date(2026, 4, 1)}],
                  "workload": "mixed", "utilisation_frac": 0.7},
        "interconnection": {"utility": "Florida Power & Light", "requested_mw": 12, "filed": dt.date(2025, 3, 1),
                            "phases": [{"energized": dt.date(2026, 6, 1), "mw": 12}], **interconnection},
    }
    f = tmp_path / "miami-fl.yaml"
    f.write_text(yaml.safe_dump(raw, sort_keys=False), encoding="utf-8")
    return f


def test_a_site_file_states_its_own_time_to_power(tmp_path):
    f = _miami_yaml(tmp_path, {"time_to_power": {"p10_months": 18, "median_months": 30, "p90_months": 54,
                                                 "source": MIAMI_SOURCE}})
    ic = load_site(f).interconnection
    assert ic.region is None and ic.time_to_power.median_months == 30.0 and ic.time_to_power.source == MIAMI_SOURCE
    # the section reads as its figures (exact: the same spec values)
    pd.testing.assert_frame_equal(grid.time_to_power(ic), grid.time_to_power(_own()), check_exact=True)


@pytest.mark.parametrize("section, message", [
    ({"median_months": 30},
     "interconnection: median_months goes under time_to_power:, with a source"),
    ({"time_to_power": {"p10_months": 30, "median_months": 18, "p90_months": 54, "source": "s"}},
     "interconnection.time_to_power: need p10_months <= median_months <= p90_months, got p10_months=30, "
     "median_months=18, p90_months=54"),
    ({"time_to_power": {"p10_months": 0, "median_months": 18, "p90_months": 54, "source": "s"}},
     "interconnection.time_to_power.p10_months: "),
    ({"time_to_power": {"p10_months": 12, "median_months": 18, "p90_months": 300, "source": "s"}},
     "interconnection.time_to_power: p90_months=300 is a wait of 25 years; allowed: up to 240 months"),
    ({"time_to_power": {"p10_months": 12, "median_months": 18, "p90_months": 54}},
     "interconnection.time_to_power.source: "),
    ({"time_to_power": {"p10_months": 12, "median_months": 18, "p90_months": 54, "source": "  "}},
     "interconnection.time_to_power.source: source is empty; say where the figures come from"),
    ({"time_to_power": {"p10_months": 12, "median_months": 18, "p90_months": 54, "source": "s"},
      "region": "ga-georgia-power"},
     "interconnection: give region ('ga-georgia-power') or time_to_power, not both"),
    ({}, "interconnection: give the wait from filing to energization: region (a key of data/interconnection.csv"),
])
def test_bad_time_to_power_is_refused_with_the_field_and_what_is_allowed(tmp_path, section, message):
    with pytest.raises(SiteError) as ei:
        load_site(_miami_yaml(tmp_path, section))
    lines = ei.value.all_lines()
    assert any(message in line for line in lines), lines


def test_every_bundled_site_keeps_its_region():
    """Bundled sites name a region and no figures of their own: their results are the table's."""
    from dcplan.site import load_portfolio
    for s in load_portfolio():
        assert s.interconnection.region in _table() and s.interconnection.time_to_power is None
        assert np.array_equal(grid.time_to_power(s.interconnection).to_numpy(),
                              grid.time_to_power(s.interconnection.region).to_numpy())


def test_a_site_with_its_own_figures_runs_through_figures_validate_and_overrides(tmp_path):
    """pipeline.figures (case_figures, sweeps, the portfolio tables, site_analysis) read the region
    key alone and failed for a site with its own figures; an override of the region replaces them."""
    from dcplan import pipeline
    from dcplan import validate as V
    from dcplan.sweep_overrides import apply_overrides
    f = _miami_yaml(tmp_path, {"time_to_power": {"p10_months": 18, "median_months": 30, "p90_months": 54,
                                                 "source": MIAMI_SOURCE}})
    site = load_site(f)
    fig = pipeline.figures(pipeline.run_site_year(site))
    ttp = grid.time_to_power(_own())["time_to_power_months"]
    # the site's own queue wait with the equipment lead times, as for a region (not the region table's)
    assert fig["time_to_power_median_months"] == float(ttp.loc[0.5])
    assert [p.line() for p in V.validate_file(f)] == []
    # a region given as an override replaces the site's own figures (as a sweep axis or a notebook would)
    ga = apply_overrides(site, {"interconnection.region": "ga-georgia-power"})
    assert ga.interconnection.region == "ga-georgia-power" and ga.interconnection.time_to_power is None
    back = apply_overrides(ga, {"interconnection.time_to_power.median_months": 31.0,
                                "interconnection.time_to_power.p10_months": 18.0,
                                "interconnection.time_to_power.p90_months": 54.0,
                                "interconnection.time_to_power.source": MIAMI_SOURCE})
    assert back.interconnection.region is None and back.interconnection.time_to_power.median_months == 31.0


@pytest.mark.parametrize("months", [30.0, 48.0])
def test_a_wait_known_to_the_month_is_never_shortened(months):
    """Equal figures (p10 = median = p90: "a wait known to the month") make the grid CDF a step.
    The inversion interpolated from the first point of the flat run before it, across the jump:
    30/30/30 gave a p10 time to power of 14.2 months, below both the 30-month wait and the
    equipment's p10 (27.6 months then, with the transformer's former 120-week low end), and TCO delay draws of 0 months. Time to power is the later of the two
    (max), so each quantile is at least the wait and the equipment's, within the 0.05-month grid."""
    from dcplan.specs.interconnection import TimeToPowerSpec
    ttp = grid.time_to_power(TimeToPowerSpec(p10_months=months, median_months=months, p90_months=months,
                                             source=MIAMI_SOURCE))
    assert (ttp["time_to_power_months"] >= months - 0.05).all()
    assert (ttp["time_to_power_months"] >= ttp["equipment_months"] - 0.05).all()
    assert (ttp["time_to_power_months"] <= np.maximum(months, ttp["equipment_months"]) + 1e-9).all()
