"""The TCO sweep case function (dcplan.sweep_tco:case_tco): finance axes move a sweep's NPV.

The default case function (dcplan.pipeline:case_figures) reads no finance input beyond the PV's and battery's
annual costs, and no shipped case function gave TCO figures, so a finance reviewer could not sweep
``finance.discount_rate_frac``, ``finance.sewer_billing`` or ``fleet.utilisation_frac`` against the NPV without
writing Python. ``case_tco`` adds the tco notebook's deterministic base-scenario figures to case_figures' row.
"""
from __future__ import annotations

import math
import types

import numpy as np
import pytest

from dcplan import pipeline
from dcplan.errors import DcplanWarning
from dcplan.site import load_portfolio
from dcplan.sweep import run_sweep
from dcplan.sweep_overrides import apply_overrides
from dcplan.sweep_spec import DEFAULT_CASE, TCO_CASE, SweepSpec
from dcplan.sweep_tco import case_tco, tco_figures
from dcplan.sweep_worker import resolve_case
from dcplan.tco_site import site_tco


@pytest.fixture(scope="module")
def pf():
    return load_portfolio()


def test_the_case_name_resolves_to_the_function():
    # dcplan sweep --case and a sweep file's case: import "module:function" (sweep_worker.resolve_case)
    assert TCO_CASE == "dcplan.sweep_tco:case_tco"
    assert resolve_case(TCO_CASE) is case_tco


@pytest.mark.parametrize("axis, values", [("finance.discount_rate_frac", [0.06, 0.10]),
                                          ("finance.tax_rate_frac", [0.2, 0.3]),
                                          ("finance.costs.pv_usd_per_kw_dc", [900.0, 1200.0])])
def test_no_finance_axis_warning_with_the_tco_case_but_with_the_default(pf, axis, values):
    site = pf["phoenix-az"]
    tco = SweepSpec(sites=[site], axes={axis: values}, case=TCO_CASE)  # (a DcplanWarning is an error here)
    assert tco.axis_warnings() == []
    with pytest.warns(DcplanWarning, match="does not read finance.sewer_billing"):
        default = SweepSpec(sites=[site], axes={"finance.sewer_billing": ["on_supply", "winter_average"]})
    # the default case's warning is kept: it names the axis and now the shipped case function that reads it
    (text,) = default.axis_warnings()
    assert default.case == DEFAULT_CASE
    assert text.startswith("axes.finance.sewer_billing: the case function dcplan.pipeline:case_figures does not read")
    assert f"dcplan sweep --case {TCO_CASE}" in text


def test_the_rack_layout_warning_names_the_tco_case(pf):
    # the TCO takes no rack layout either (it buys servers or racks of hardware, not the racks they sit in)
    with pytest.warns(DcplanWarning, match="follow the rack layout"):
        spec = SweepSpec(sites=[pf["phoenix-az"]], axes={"fleet.phases[0].units_per_rack": [1, 2]}, case=TCO_CASE)
    (text,) = spec.axis_warnings()
    assert text.startswith(f"axes.fleet.phases[0].units_per_rack: of the figures of {TCO_CASE} only racks_total")
    assert "bill, TCO and cost columns" in text


def _case(summary, *, interconnection=True, med=None, med_summary=None, delay=3.0, irr_reason="unique IRR"):
    """A stand-in site_tco result with the attributes tco_figures reads."""
    return types.SimpleNamespace(
        summary=summary, delay_used=delay,
        result=types.SimpleNamespace(calendar_months=None, irr_reason=irr_reason),
        site=types.SimpleNamespace(interconnection=object() if interconnection else None),
        median=med, median_result=None if med_summary is None else types.SimpleNamespace(summary=med_summary))


S = {"npv_usd": 10.0, "irr_frac": None, "residual_sale_pv_usd": 4.0, "npv_without_residual_sale_usd": 6.0}


def test_tco_figures_median_case_branches():
    # no interconnection section: no delay distribution, no median case: NaN (the notebook publishes none)
    row = tco_figures(_case(S, interconnection=False))
    assert math.isnan(row["irr_frac"])  # None (no IRR) is NaN in a float column
    assert row["npv_usd"] == 10.0 and row["delay_months"] == 3.0 and row["npv_valued_month"] is None
    assert all(math.isnan(row[k]) for k in ("npv_grid_delay_p50_usd", "grid_delay_p50_months"))
    # the case's delay is the median already (median_delay_case None): the median figures are the case's own
    row = tco_figures(_case(S, med=None))
    assert (row["npv_grid_delay_p50_usd"], row["residual_sale_pv_grid_delay_p50_usd"],
            row["npv_without_residual_sale_grid_delay_p50_usd"], row["grid_delay_p50_months"]) == (10.0, 4.0, 6.0, 3.0)
    assert math.isnan(row["irr_grid_delay_p50_frac"])
    # a median case whose operations start after the horizon (no result): NaN, but its delay is given
    med = types.SimpleNamespace(months_used=18.0)
    row = tco_figures(_case(S, med=med))
    assert math.isnan(row["npv_grid_delay_p50_usd"]) and row["grid_delay_p50_months"] == 18.0
    row = tco_figures(_case(S, med=med, med_summary={**S, "npv_usd": -5.0, "irr_frac": 0.07}))
    assert (row["npv_grid_delay_p50_usd"], row["irr_grid_delay_p50_frac"]) == (-5.0, 0.07)


def test_the_row_says_why_there_is_no_irr_beside_irr_frac():
    """The tco notebook publishes ``irr_reason`` (result.irr_reason, "IRR note") beside ``irr_frac``; the row had
    none, so a sweep's NaN IRR did not say why. The text is the result's own, as the notebook's."""
    why = "cash flows are all negative: NPV never crosses zero, no IRR exists"  # dcplan.finance.irr_result's text
    row = tco_figures(_case(S, irr_reason=why))
    keys = list(row)
    assert keys[keys.index("irr_frac") + 1] == "irr_reason"
    assert math.isnan(row["irr_frac"]) and row["irr_reason"] == why


def _no_tariff_site(tmp_path):
    """Phoenix's site file without its tariff: section (the site year runs, with no bill; the TCO cannot)."""
    import yaml

    from conftest import bundled_site_copy
    from dcplan.site import load_site
    f = bundled_site_copy(tmp_path, "phoenix-az", "phx-no-tariff")
    d = yaml.safe_load(f.read_text())
    del d["tariff"]
    f.write_text(yaml.safe_dump(d, sort_keys=False))
    site = load_site(f)
    assert site.tariff is None
    return f, site


def test_a_case_whose_tco_fails_keeps_its_site_year_row_and_says_what_the_site_file_needs(tmp_path):
    """A site without a tariff: the year runs (no bill) and the TCO fails. Before, the row kept no figure and its
    error was site_tco's "add a tariff: section to the site or pass tariff_file", an argument a sweep has no way
    to pass. Now the row keeps the site year's figures (case_figures' row of the same site, computed apart) and its
    error says the TCO failed and what the site file (named, field tariff) or the sweep file can give."""
    f, site = _no_tariff_site(tmp_path)
    res = run_sweep(SweepSpec(sites=[site], case=TCO_CASE), jobs=1, write=False)
    (row,) = res.frame.to_dict("records")
    assert row["status"] == "failed"
    assert row["error"].startswith("the TCO failed (the row keeps the figures computed before it): InputError: "
                                   f"{f}: tariff: no tariff: section, and the TCO case ({TCO_CASE}) bills")
    assert "give the site file a tariff: section" in row["error"]
    assert "fixed: {tariff.file: <URDB JSON>}" in row["error"] and "pass tariff_file" not in row["error"]
    # the site-year figures, as the default case gives them for the same site (no bill: no bill columns)
    figs = pipeline.case_figures(site)
    assert "bill_usd" not in figs
    for k, v in figs.items():
        if k != "site":
            assert row[k] == pytest.approx(v, rel=1e-12, nan_ok=True) if isinstance(v, float) else row[k] == v, k
    # by hand: Phoenix's 384 hgx-b200 at its file's 2 a rack are 192 racks of 2 x 14.3 kW (data/hardware.csv)
    assert (row["racks_total"], row["rack_kw_max"]) == (192, pytest.approx(28.6, rel=1e-12))
    assert "npv_usd" not in row  # no TCO figure is made up


@pytest.mark.slow
def test_the_sweep_files_remedy_the_message_gives_runs(tmp_path, pf):
    """The message's second remedy, a tariff for the sweep's cases in its fixed: section: the same site with the
    bundled Phoenix's tariff file gives the bundled Phoenix's NPV (site_tco run directly on it)."""
    _f, site = _no_tariff_site(tmp_path)
    spec = SweepSpec(sites=[site], case=TCO_CASE, fixed={"tariff.file": "tariffs/aps-az-e32-tou-l.json"})
    (row,) = run_sweep(spec, jobs=1, write=False).frame.to_dict("records")
    assert row["status"] == "ok", row["error"]
    assert pf["phoenix-az"].tariff.file.endswith("aps-az-e32-tou-l.json")
    assert row["npv_usd"] == pytest.approx(site_tco(pf["phoenix-az"]).npv, rel=1e-12)


def test_case_tco_called_directly_raises_the_sweep_message(tmp_path):
    f, site = _no_tariff_site(tmp_path)
    from dcplan.errors import InputError
    with pytest.raises(InputError) as e:
        case_tco(site)
    assert (e.value.file, e.value.field) == (str(f), "tariff")
    assert "or pass tariff_file" not in str(e.value)


def test_a_case_whose_site_year_fails_keeps_the_rack_figures_as_the_default_case(pf):
    """Phoenix's air plant at 5 hgx-b200 a rack: 5 x 14.3 = 71.5 kW a rack, at or above the 60 kW an air plant is
    refused at, so the site year fails. The default case's row keeps ceil(384 / 5) = 77 racks of 71.5 kW; the
    TCO case's kept none."""
    axes = {"fleet.phases[0].units_per_rack": [5]}
    rows = {}
    for case in (DEFAULT_CASE, TCO_CASE):
        with pytest.warns(DcplanWarning, match="follow the rack layout"):
            spec = SweepSpec(sites=[pf["phoenix-az"]], axes=axes, case=case)
        (rows[case],) = run_sweep(spec, jobs=1, write=False).frame.to_dict("records")
    for row in rows.values():
        assert row["status"] == "failed" and "71.5 kW per compute rack" in row["error"]
        assert row["racks_total"] == 77 and row["rack_kw_max"] == pytest.approx(5 * 14.3, rel=1e-12)
    assert rows[TCO_CASE]["error"] == rows[DEFAULT_CASE]["error"]  # the same failure, said alike


@pytest.mark.slow
def test_row_is_case_figures_plus_the_notebooks_tco_from_one_site_year(pf, monkeypatch):
    site = pf["phoenix-az"]
    calls = []
    run = pipeline.run_site_year
    monkeypatch.setattr(pipeline, "run_site_year", lambda s, **kw: calls.append(s) or run(s, **kw))
    row = case_tco(site)
    assert len(calls) == 1  # the year is run once, for the hourly figures and the TCO alike
    monkeypatch.undo()
    # an independent call path: site_tco runs its own year, as the tco notebook calls it
    direct = site_tco(site, scenario="base")
    # same inputs, same arithmetic: equal to float rounding
    assert row["npv_usd"] == pytest.approx(direct.npv, rel=1e-12)
    assert row["npv_grid_delay_p50_usd"] == pytest.approx(direct.median_result.summary["npv_usd"], rel=1e-12)
    for k in ("irr_frac", "payback_years", "discounted_payback_years", "tco_pv_usd", "usd_per_gpu_hour"):
        assert row[k] == pytest.approx(direct.summary[k], rel=1e-12), k
    # the IRR note, the notebook's irr_reason, by hand: Phoenix's monthly net flows change sign 3 times (the build's
    # outflows to operations, and out and back at the year-6 IT refresh's month), and NPV(r) of those flows, month m
    # at (1 + r)^(-m/12), crosses zero once on rates from -90 % to 1,000 % a year (at the IRR): one IRR found
    cf = direct.result.monthly["net_cash_flow_usd"].to_numpy()
    signs = np.sign(cf[cf != 0.0])
    changes = int(np.sum(signs[1:] != signs[:-1]))
    assert changes == 3
    rates = np.linspace(-0.9, 10.0, 4001)
    months = np.arange(1, cf.size + 1) / 12.0
    npv = np.array([np.sum(cf * (1.0 + r) ** -months) for r in rates])
    (cross,) = np.nonzero(np.sign(npv[1:]) != np.sign(npv[:-1]))[0]
    assert rates[cross] <= row["irr_frac"] <= rates[cross + 1]
    assert row["irr_reason"] == f"cash flows change sign {changes} times; one IRR found in range"
    assert list(row)[list(row).index("irr_frac") + 1] == "irr_reason"
    # the hourly part is case_figures' row, in its order, before the TCO's keys
    figs = pipeline.case_figures(site)
    assert list(row)[:len(figs)] == list(figs)
    assert all(row[k] == figs[k] for k in figs)


@pytest.mark.slow
def test_a_discount_rate_axis_moves_the_npv_as_the_monthly_flows_discount(pf):
    site = pf["phoenix-az"]
    rates = [0.06, 0.10]
    spec = SweepSpec(sites=[site], axes={"finance.discount_rate_frac": rates}, case=TCO_CASE)
    res = run_sweep(spec, jobs=1, write=False)
    t = res.frame.set_index("finance.discount_rate_frac")
    assert (t["status"] == "ok").all()
    npv = {r: float(t.loc[r, "npv_usd"]) for r in rates}
    assert npv[0.06] > npv[0.10]  # a higher rate discounts the later (positive) flows more
    for r in rates:
        assert t.loc[r, "discount_rate_frac"] == r  # the summary's rate is the axis's
        # by hand: the case's own monthly net cash flows, month m (1..12H) discounted at (1 + r)^(-m/12),
        # end of month (dcplan.tco.metrics); 1 USD on some 5e7 USD covers float summation order
        cf = site_tco(apply_overrides(site, {"finance.discount_rate_frac": r})).result.monthly["net_cash_flow_usd"]
        m = cf.index.to_numpy(dtype=float)
        assert m[0] == 1.0 and np.all(np.diff(m) == 1.0)
        hand = float(np.sum(cf.to_numpy() / (1.0 + r) ** (m / 12.0)))
        assert npv[r] == pytest.approx(hand, abs=1.0)
