"""Tests of dcplan.power: catalog, power vs utilisation, caps, energy, electrical chain, metrics."""
from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from dcplan import power as pw
from dcplan.errors import InputError

HOURS_2025 = pd.date_range("2025-01-01 01:00", periods=8760, freq="1h", tz="UTC")


# ------------------------------------------------------------------------------- catalog
def test_catalog_has_the_keys_the_issue_and_sites_name():
    cat = pw.catalog()
    for key in ["h100-sxm", "h200-sxm", "b200", "mi300x", "hgx-h100", "hgx-h200", "hgx-b200",
                "gb200-nvl72", "mi300x-8", "cpu-2s", "ib-ndr-switch", "eth-tor-switch", "storage-node"]:
        assert key in cat.index, key
    # every row states a source, a vintage and a status (estimates marked as such)
    assert cat["source"].notna().all() and cat["vintage"].notna().all() and cat["status"].notna().all()
    # rows without any primary/secondary figure are marked "estimate"
    assert "estimate" in cat.loc["mi300x-8", "status"]


def test_catalog_figures_match_reference_data():
    # docs/reference-data.md s.1: DGX H100 10.2 kW, DGX B200 14.3 kW, H100 SXM 700 W,
    # B200 1,000 W, MI300X 750 W, GB200 NVL72 ~120 kW; 8 GPUs per HGX server
    assert pw.hardware("hgx-h100").max_kw == 10.2
    assert pw.hardware("hgx-h200").max_kw == 10.2
    assert pw.hardware("hgx-b200").max_kw == 14.3
    assert pw.hardware("gb200-nvl72").max_kw == 120
    assert pw.hardware("h100-sxm").accelerator_tdp_w == 700
    assert pw.hardware("b200").accelerator_tdp_w == 1000
    assert pw.hardware("mi300x").accelerator_tdp_w == 750
    assert pw.hardware("hgx-b200").accelerators_per_unit == 8
    assert pw.hardware("gb200-nvl72").accelerators_per_unit == 72


def test_unknown_hardware_suggests_the_right_key():
    with pytest.raises(InputError, match=r"unknown 'hgx-h10'.*did you mean 'hgx-h100'"):
        pw.hardware("hgx-h10")
    with pytest.raises(InputError, match="did you mean 'gb200-nvl72'"):
        pw.unit_power_kw(0.5, "gb200-nvl27")


# ----------------------------------------------------------------------- power vs utilisation
@pytest.mark.parametrize("curve", pw.CURVES)
def test_idle_and_full_load_equal_catalog_values(curve):
    cat = pw.catalog()
    for key in cat.index:
        hw = pw.hardware(key)
        # f(0) = 0 and f(1) = 1 for every curve, PSU efficiency defaults to the catalog's
        assert pw.unit_power_kw(0.0, key, curve=curve) == pytest.approx(hw.idle_kw, rel=1e-12)
        assert pw.unit_power_kw(1.0, key, curve=curve) == pytest.approx(hw.max_kw, rel=1e-12)


def test_linear_midpoint_hand_calculation():
    # hgx-h100: idle 2.6 kW, max 10.2 kW; linear: 2.6 + 0.7 * (10.2 - 2.6) = 7.92 kW
    assert pw.unit_power_kw(0.7, "hgx-h100") == pytest.approx(7.92, rel=1e-12)


def test_concave_curve_is_fan_2007_form():
    # f(u) = 2u - u^1.4 (Fan, Weber & Barroso 2007): f(0.5) = 1 - 0.5**1.4 = 0.621070...
    f = 1.0 - 0.5 ** 1.4
    assert pw.unit_power_kw(0.5, "hgx-h100", curve="concave") == pytest.approx(2.6 + 7.6 * f, rel=1e-12)
    # concave lies above linear, convex (u^1.4) below, at every interior point
    u = np.linspace(0.05, 0.95, 19)
    lin = pw.unit_power_kw(u, "hgx-h100")
    assert (pw.unit_power_kw(u, "hgx-h100", curve="concave") > lin).all()
    assert (pw.unit_power_kw(u, "hgx-h100", curve="convex") < lin).all()


def test_scalar_array_and_series_are_accepted():
    u = [0.0, 0.5, 1.0]
    s = pd.Series(u, index=HOURS_2025[:3])
    a = pw.unit_power_kw(np.array(u), "hgx-b200")
    out = pw.unit_power_kw(s, "hgx-b200")
    assert isinstance(pw.unit_power_kw(0.5, "hgx-b200"), float)
    assert isinstance(a, np.ndarray) and isinstance(out, pd.Series)
    assert out.name == "unit_kw" and out.index.equals(s.index)
    # hand: 3.6 + 0.5 * (14.3 - 3.6) = 8.95 kW
    np.testing.assert_allclose(out.to_numpy(), [3.6, 8.95, 14.3], rtol=1e-12)
    np.testing.assert_allclose(a, out.to_numpy(), rtol=0)


def test_psu_efficiency_scales_wall_power():
    # catalog max is wall power at eta0 = 0.96: DC = 10.2 * 0.96; at eta 0.90 wall = DC / 0.90
    assert pw.unit_power_kw(1.0, "hgx-h100", psu_efficiency_frac=0.90) == pytest.approx(10.2 * 0.96 / 0.90)


def test_accelerator_cap_hand_calculation():
    # hgx-h100 at u = 1 with 500 W/GPU: DC = 10.2*0.96 = 9.792 kW of which GPUs 8*0.7 = 5.6;
    # capped GPUs 8*0.5 = 4.0 -> DC 8.192 -> wall 8.192/0.96 = 8.5333 kW
    assert pw.unit_power_kw(1.0, "hgx-h100", cap_w_per_accelerator=500) == pytest.approx(8.192 / 0.96)
    # a unit cap clips wall power
    assert pw.unit_power_kw(1.0, "hgx-h100", cap_kw_per_unit=8.0) == 8.0


def test_cap_clips_peak_and_never_raises_power():
    u = np.linspace(0, 1, 101)
    base = pw.unit_power_kw(u, "hgx-b200")
    for cap in (150, 300, 500, 700, 900, 1000, 2000):
        capped = pw.unit_power_kw(u, "hgx-b200", cap_w_per_accelerator=cap)
        assert (capped <= base + 1e-12).all()
        assert capped.max() <= base.max()
    assert pw.unit_power_kw(u, "hgx-b200", cap_w_per_accelerator=500).max() < base.max()


def test_cap_below_idle_and_bad_caps_are_errors():
    with pytest.raises(InputError, match="cap_w_per_accelerator.*below the accelerator idle"):
        pw.unit_power_kw(0.5, "hgx-h100", cap_w_per_accelerator=50)
    with pytest.raises(InputError, match="cap_kw_per_unit"):
        pw.unit_power_kw(0.5, "hgx-h100", cap_kw_per_unit=-1)


def _catalog_row(key: str) -> dict:
    """A row of data/hardware.csv read with the csv module (not through dcplan.power)."""
    import csv
    from dcplan.paths import data_path
    with open(data_path("hardware.csv"), newline="", encoding="utf-8") as fh:
        return next(r for r in csv.DictReader(fh) if r["key"] == key)


def test_unit_cap_below_idle_is_an_error_naming_the_catalog_idle():
    """cap_kw_per_unit below the unit's idle power was accepted: unit_power_kw(0, 'hgx-h100',
    cap_kw_per_unit=1.0) returned 1.0 kW while the catalog idle is 2.6 kW (the IT energy then
    fell below the idle floor). The per-GPU cap already refused values below idle."""
    idle_kw = float(_catalog_row("hgx-h100")["idle_kw"])  # 2.6 in data/hardware.csv
    assert idle_kw == 2.6
    with pytest.raises(InputError, match=r"^cap_kw_per_unit: 1 kW is below the idle power of one 'hgx-h100' "
                                         r"unit, 2\.6 kW \(data/hardware\.csv idle_kw\); allowed: a cap of "
                                         r"at least 2\.6 kW .*or no cap$"):
        pw.unit_power_kw(0.0, "hgx-h100", cap_kw_per_unit=1.0)
    # a cap at the idle power is allowed: it holds the unit at idle at every utilisation
    assert pw.unit_power_kw(1.0, "hgx-h100", cap_kw_per_unit=idle_kw) == pytest.approx(idle_kw, rel=1e-12)
    # another PSU efficiency rescales the idle wall power: 2.6 kW x 0.96 / 0.8 = 3.12 kW
    with pytest.raises(InputError, match=r"3 kW is below .*3\.12 kW at psu_efficiency_frac 0\.8"):
        pw.unit_power_kw(0.0, "hgx-h100", cap_kw_per_unit=3.0, psu_efficiency_frac=0.8)
    assert pw.unit_power_kw(0.0, "hgx-h100", cap_kw_per_unit=3.12, psu_efficiency_frac=0.8) == pytest.approx(3.12)
    # the fleet functions apply the same check to a fleet given as a mapping
    fleet = {"phases": [{"hardware": "hgx-h100", "count": 10, "start": "2025-01-01"}], "cap_kw_per_unit": 1.0}
    with pytest.raises(InputError, match=r"fleet\.cap_kw_per_unit: 1 kW is below the idle power of one "
                                         r"'hgx-h100' unit, 2\.6 kW"):
        pw.fleet_design_it_kw(fleet)
    with pytest.raises(InputError, match=r"^cap_kw_per_unit: 2 kW is below"):  # an override argument
        pw.fleet_design_it_kw({**fleet, "cap_kw_per_unit": None}, cap_kw_per_unit=2.0)


@pytest.mark.parametrize("bad", [1.2, -0.1, float("nan"), [0.5, 1.01]])
def test_utilisation_outside_0_1_is_an_error(bad):
    with pytest.raises(InputError, match=r"utilisation_frac.*outside \[0.0, 1.0\]"):
        pw.unit_power_kw(bad, "hgx-h100")


def test_rack_power_is_the_compute_rack_and_adds_the_gear_when_asked():
    # hgx-h100 compute rack: 4 servers, 4*10.2 = 40.8 kW at u = 1, 4*2.6 = 10.4 kW at u = 0 (data/hardware.csv)
    assert pw.rack_power_kw(1.0, "hgx-h100") == pytest.approx(40.8, rel=1e-12)
    assert pw.rack_power_kw(0.0, "hgx-h100") == pytest.approx(10.4, rel=1e-12)
    # its gear, 1.5 IB switches + 1 mgmt switch + 0.25 storage node: 1.5*1.7 + 0.15 + 0.25*1.5 = 3.075 kW at u = 1,
    # idle 1.5*1.1 + 0.10 + 0.25*0.8 = 1.95 kW at u = 0; with it 43.875 and 12.35 kW (catalog hand sums)
    assert pw.rack_gear_power_kw(1.0, "hgx-h100") == pytest.approx(3.075, rel=1e-12)
    assert pw.rack_power_kw(1.0, "hgx-h100", include_addons=True) == pytest.approx(43.875, rel=1e-12)
    assert pw.rack_power_kw(0.0, "hgx-h100", include_addons=True) == pytest.approx(12.35, rel=1e-12)


def test_rack_power_agrees_with_the_reports_rack_kw_and_takes_a_layout(tmp_path):
    """rack_power_kw(1.0, 'hgx-b200') was 60.275 kW (4 x 14.3 + 3.075 of gear) while the report's rack_kw.hgx-b200
    was the compute rack alone, and units_per_rack=2 was a TypeError (passed on to unit_power_kw)."""
    from dcplan.rack_density import rack_figures
    from dcplan.site import load_site
    assert pw.rack_power_kw(1.0, "hgx-b200") == pytest.approx(4 * 14.3, rel=1e-12)            # 57.2 kW
    assert pw.rack_power_kw(1.0, "hgx-b200", units_per_rack=2) == pytest.approx(28.6, rel=1e-12)
    # the gear scales with the servers: 3.075 x 2 / 4 = 1.5375 kW at 2 a rack
    assert pw.rack_gear_power_kw(1.0, "hgx-b200", units_per_rack=2) == pytest.approx(1.5375, rel=1e-12)
    assert pw.rack_power_kw(1.0, "hgx-b200", units_per_rack=2, include_addons=True) == pytest.approx(
        28.6 + 1.5375, rel=1e-12)
    figs = rack_figures(load_site("phoenix-az"))   # its phase: units_per_rack 2
    assert figs["rack_kw.hgx-b200"][0] == pytest.approx(pw.rack_power_kw(1.0, "hgx-b200", units_per_rack=2), rel=1e-12)
    assert figs["rack_gear_kw.hgx-b200"][0] == pytest.approx(
        pw.rack_gear_power_kw(1.0, "hgx-b200", units_per_rack=2), rel=1e-12)
    # a Series keeps its index and is named for what it counts
    u = pd.Series([0.0, 1.0], index=pd.date_range("2026-01-01", periods=2, freq="h", tz="UTC"))
    assert pw.rack_power_kw(u, "hgx-b200", units_per_rack=1).name == "rack_kw"
    assert pw.rack_gear_power_kw(u, "hgx-b200").name == "rack_gear_kw"


@pytest.mark.parametrize("key, n, field, text", [
    ("hgx-b200", 0, "units_per_rack", "must be a whole number of units >= 1, got 0"),
    ("hgx-b200", 2.5, "units_per_rack", "must be a whole number of units >= 1, got 2.5"),
    ("hgx-b200", True, "units_per_rack", "must be a whole number of units >= 1, got True"),
    ("gb200-nvl72", 2, "units_per_rack", "2 for 'gb200-nvl72', a rack-scale unit in data/hardware.csv (the whole "
                                         "rack is the unit); allowed: 1, or leave units_per_rack out"),
])
def test_rack_power_refuses_a_layout_that_is_no_layout(key, n, field, text):
    with pytest.raises(InputError) as e:
        pw.rack_power_kw(1.0, key, units_per_rack=n)
    assert (e.value.field, e.value.detail) == (field, text)


def test_custom_hardware_validation():
    with pytest.raises(InputError, match="idle_kw <= max_kw"):
        pw.Hardware("x", max_kw=1.0, idle_kw=2.0)
    with pytest.raises(InputError, match="accelerator power exceeds"):
        pw.Hardware("x", max_kw=1.0, idle_kw=0.1, accelerators_per_unit=8, accelerator_tdp_w=700)


# --------------------------------------------------------------------------------- energy
def test_hundred_node_cluster_costs_about_60k_per_year():
    # 100 nodes, power proportional to utilisation up to 0.815 kW, 70 % for 8,760 h at
    # $0.12/kWh: 100 * 0.815 * 0.7 * 8760 * 0.12 = $59,970.96 ("about $60,000 a year")
    node = pw.Hardware("node-815w", max_kw=0.815, idle_kw=0.0)
    util = pd.Series(0.7, index=HOURS_2025, name="utilisation_frac")
    site_kw = (100 * pw.unit_power_kw(util, node)).rename("it_kw")
    cost_usd = float(pw.energy_from_power(site_kw).sum()) * 0.12
    assert cost_usd == pytest.approx(59_970.96, rel=1e-9)
    assert cost_usd == pytest.approx(60_000, rel=1e-3)


def test_energy_from_power_units_and_names():
    s = pd.Series([10.0, 20.0], index=pd.date_range("2025-01-01 00:15", periods=2, freq="15min", tz="UTC"),
                  name="it_kw")
    e = pw.energy_from_power(s)
    assert e.name == "it_kwh"
    np.testing.assert_allclose(e.to_numpy(), [2.5, 5.0])   # kW * 0.25 h
    assert pw.energy_from_power(100.0, 60.0) == pytest.approx(100 / 60)
    with pytest.raises(InputError, match="step_s"):
        pw.energy_from_power(np.ones(3))


def test_energy_from_power_rejects_irregular_and_naive_index():
    idx = pd.DatetimeIndex(["2025-01-01 01:00", "2025-01-01 02:00", "2025-01-01 04:00"], tz="UTC")
    with pytest.raises(InputError, match="irregular step"):
        pw.energy_from_power(pd.Series([1.0, 2.0, 3.0], index=idx, name="it_kw"))
    naive = pd.date_range("2025-01-01", periods=3, freq="1h")
    with pytest.raises(InputError, match="naive"):
        pw.energy_from_power(pd.Series(1.0, index=naive, name="it_kw"))


def test_energy_is_the_same_at_every_aggregation():
    # 1 s power aggregated to 1 min and 1 h (interval-ending means) keeps the energy
    idx = pd.date_range("2025-06-01 00:00:01", periods=7200, freq="1s", tz="UTC")
    p = pd.Series(np.random.default_rng(1).uniform(0, 100, len(idx)), index=idx, name="it_kw")
    e1 = pw.energy_from_power(p).sum()
    for rule in ("1min", "1h"):
        agg = p.resample(rule, closed="right", label="right").mean()
        agg.index.freq = rule
        # float64 sums of 7,200 terms: rel 1e-12 covers rounding
        assert pw.energy_from_power(agg).sum() == pytest.approx(e1, rel=1e-12)


# ------------------------------------------------------------------------ electrical chain
def test_electrical_losses_hand_calculation():
    rated = 1000.0
    # upstream from 1,000 kW IT, each stage loss = R (a + b x + c x^2):
    pdu_in = 1000 + 1000 * (0.004 + 0.012 * 1.0)                  # 1016
    x = pdu_in / 2000                                             # UPS 2N: R = 2,000 kW
    ups_in = pdu_in + 2000 * (0.010 + 0.010 * x + 0.010 * x ** 2)
    x = ups_in / 1000
    tr_in = ups_in + 1000 * (0.002 + 0.010 * x ** 2)
    assert pw.electrical_losses_kw(1000.0, rated) == pytest.approx(tr_in - 1000, rel=1e-12)


def test_electrical_losses_types_and_zero_load():
    it = pd.Series([0.0, 500.0, 1000.0], index=HOURS_2025[:3], name="it_kw")
    loss = pw.electrical_losses_kw(it, 1000.0)
    assert loss.name == "electrical_losses_kw" and loss.iloc[0] == 0.0
    assert (loss.iloc[1:] > 0).all()
    # energized but idle equipment carries its losses at zero IT load, worked upstream:
    pdu_in = 1000 * 0.004                                           # 4 kW
    x = pdu_in / 2000
    ups_in = pdu_in + 2000 * (0.010 + 0.010 * x + 0.010 * x ** 2)   # ~24.04 kW
    tr_in = ups_in + 1000 * (0.002 + 0.010 * (ups_in / 1000) ** 2)  # ~26.05 kW
    idle = pw.electrical_losses_kw(it, 1000.0, energized_when_zero=True).iloc[0]
    assert idle == pytest.approx(tr_in, rel=1e-12)
    with pytest.raises(InputError, match="it_kw"):
        pw.electrical_losses_kw(-5.0, 100.0)
    with pytest.raises(InputError, match="chain.*did you mean 'ups'"):
        pw.electrical_losses_kw(5.0, 100.0, chain=("upss",))


def test_ups_efficiency_curve_shape():
    eff = pw.stage_efficiency_frac(np.array([0.1, 0.25, 0.5, 1.0]), "ups")
    # values in the ELECTRICAL_STAGES table (0.950 / 0.966 / 0.971 at 0.25 / 0.5 / 1.0)
    np.testing.assert_allclose(eff[1:], [0.25 / 0.263125, 0.5 / 0.5175, 1 / 1.03], rtol=1e-12)
    assert np.all(np.diff(eff) > 0)     # efficiency rises with load fraction up to 1


def test_stage_dicts_take_loss_coefficients_only():
    """A stage dict with a negative coefficient gave -50 kW of losses (a = -0.5 on 100 kW) and
    stage_efficiency_frac -1.0; oversize 0 gave NaN with a RuntimeWarning; a typo'd key was
    ignored. Each coefficient is a loss (no-load, proportional, square-law), never negative."""
    # a valid dict: one stage of no-load loss a = 0.01 on a 100 kW rating loses 100 x 0.01 = 1 kW
    assert pw.electrical_losses_kw(50.0, 100.0, chain=({"a": 0.01, "b": 0, "c": 0},)) == pytest.approx(1.0, rel=1e-12)
    with pytest.raises(InputError, match=r"^chain\[0\]\.a: must be a finite number >= 0 .*got -0\.5$"):
        pw.electrical_losses_kw(50.0, 100.0, chain=({"a": -0.5, "b": 0, "c": 0},))
    with pytest.raises(InputError, match=r"^chain\[1\]\.oversize: must be a finite number > 0 .*got 0$"):
        pw.electrical_losses_kw(50.0, 100.0, chain=("pdu", {"a": 0.01, "b": 0, "c": 0, "oversize": 0}))
    with pytest.raises(InputError, match=r"^chain\[0\]: unknown 'oversise' \(did you mean 'oversize'\?\)"):
        pw.electrical_losses_kw(50.0, 100.0, chain=({"a": 0.01, "b": 0, "c": 0, "oversise": 2},))
    with pytest.raises(InputError, match=r"^stage\.a: must be a finite number >= 0 .*got -1$"):
        pw.stage_efficiency_frac(0.5, {"a": -1, "b": 0, "c": 0})
    with pytest.raises(InputError, match=r"^chain: must be a sequence of stages.*got 'ups'$"):  # was "unknown 'u'"
        pw.electrical_losses_kw(50.0, 100.0, chain="ups")


def test_rated_kw_of_an_all_zero_load_says_it_was_defaulted():
    """With no rated_kw and no IT load the message blamed the caller's rated_kw ("must be a
    positive number, got 0.0"), an argument never passed."""
    idle = pd.Series(0.0, index=HOURS_2025[:24], name="it_kw")
    for it in (idle, 0.0):
        with pytest.raises(InputError, match=r"^rated_kw: not given, so it defaults to the peak of it_kw, which is "
                                             r"0 kW .*allowed: pass rated_kw, the design IT capacity"):
            pw.electrical_losses_kw(it)
    # given, an idle chain before deployment loses nothing
    assert (pw.electrical_losses_kw(idle, 1000.0) == 0.0).all()


def test_overload_bound_is_the_same_in_both_chain_functions():
    """electrical_losses_kw took 3x its rating (31.7 kW of losses on 300 kW at rated_kw 100)
    while stage_efficiency_frac refused load fractions above 1.5. Both now apply
    MAX_LOAD_FRAC = 1.5 at every stage, with the same allowed range in the message."""
    assert pw.MAX_LOAD_FRAC == 1.5
    with pytest.raises(InputError, match=r"^it_kw: 300 kW \(element 0\) loads stage 'pdu' at 3 x its capacity "
                                         r"100 kW .*outside \[0, 1\.5\]; allowed: a load of 0 to 1\.5 x") as e1:
        pw.electrical_losses_kw(300.0, 100.0)
    with pytest.raises(InputError, match=r"^load_frac: load fraction 3 \(element 0\) is outside \[0, 1\.5\]") as e2:
        pw.stage_efficiency_frac(3.0, "pdu")
    tail = "is outside [0, 1.5]; allowed:"
    assert str(e1.value).split(tail)[1].startswith(str(e2.value).split(tail)[1])
    # at the bound: PDU alone at x = 1.5 loses 100 x (0.004 + 0.012 x 1.5^2) = 3.1 kW (ELECTRICAL_STAGES)
    assert pw.electrical_losses_kw(150.0, 100.0, chain=("pdu",)) == pytest.approx(3.1, rel=1e-12)
    assert pw.stage_efficiency_frac(1.5, "pdu") == pytest.approx(1.5 / (1.5 + 0.004 + 0.012 * 2.25), rel=1e-12)
    # upstream stages carry the losses below them: 150 kW leaves the PDU as 153.1 kW, the 2N UPS
    # (R = 200 kW) adds 200 x (0.01 + 0.01 x 0.7655 + 0.01 x 0.7655^2) = 4.70 kW, so the
    # transformer sees 157.8 / 100 = 1.578 > 1.5
    with pytest.raises(InputError, match=r"^it_kw: 150 kW \(element 0\) loads stage 'transformer' at 1\.58 x"):
        pw.electrical_losses_kw(150.0, 100.0)
    it = pd.Series([50.0, 400.0], index=HOURS_2025[:2], name="it_kw")
    with pytest.raises(InputError, match=r"^it_kw: 400 kW \(element 1\) loads stage 'pdu' at 4 x"):
        pw.electrical_losses_kw(it, 100.0)


# ------------------------------------------------------------------------ useful output
def test_token_metrics_match_reference_derivation():
    # docs/reference-data.md s.8: 8 x H100 MLPerf v4.1 Llama-2-70B offline 24,528.3 tokens/s at a
    # 10.2 kW system max -> 2.40 tokens/J (0.416 J/token); kWh per 1e6 tokens = 1e6 / (2.40 * 3.6e6)
    idx = HOURS_2025[:24]
    it = pd.Series(10.2, index=idx, name="it_kw")
    rate = pw.THROUGHPUT_EXAMPLES["h100-sxm/llama-2-70b-offline"] * 8
    m = pw.token_metrics(rate, it, facility_kw=it * 1.2)
    assert m["tokens_per_j_it"] == pytest.approx(24528.3 / 10200, rel=1e-12)
    assert m["tokens_per_j_it"] == pytest.approx(2.40, abs=0.005)      # docs/reference-data.md rounding
    assert m["kwh_per_million_tokens_it"] == pytest.approx(1e6 * 10.2 / (24528.3 * 3600), rel=1e-12)
    assert m["tokens_per_kwh_facility"] == pytest.approx(m["tokens_per_kwh_it"] / 1.2, rel=1e-12)


def test_fleet_tokens_per_s_scales_with_utilisation():
    assert pw.fleet_tokens_per_s(0.5, 80, 3000.0) == pytest.approx(120_000.0)
    with pytest.raises(InputError, match="utilisation_frac"):
        pw.fleet_tokens_per_s(1.5, 80, 3000.0)


def test_borrowed_throughput_names_parts_without_a_figure_of_their_own():
    # THROUGHPUT_EXAMPLES holds H100 SXM (MLPerf v4.1) and GB200 (Azure NVL72) figures only:
    # every other accelerator borrows the H100's; gear without accelerators borrows nothing
    import datetime as dt
    from dcplan.specs import FleetSpec

    def _fleet(*phases):
        return FleetSpec(phases=[dict(hardware=h, count=n, start=dt.date(2026, 1, 1)) for h, n in phases])
    assert pw.borrowed_throughput(_fleet(("hgx-h100", 4), ("gb200-nvl72", 1))) == []
    assert pw.borrowed_throughput(_fleet(("hgx-b200", 4), ("hgx-h100", 2), ("mi300x-8", 1), ("hgx-b200", 1))) == [
        "hgx-b200", "mi300x-8"]
    assert pw.borrowed_throughput(_fleet(("hgx-b200", 0), ("cpu-2s", 3))) == []


def test_example_throughput_is_accelerator_weighted_by_hardware():
    # THROUGHPUT_EXAMPLES: H100 SXM 24,528.3 / 8 = 3,066.04 tokens/s (MLPerf v4.1 offline);
    # GB200 865,000 / 72 = 12,013.9 (Azure ND GB200 v6 rack). One NVL72 rack (72 GPUs) and
    # nine 8-GPU HGX H100 servers (72 GPUs): (72 x 12,013.9 + 72 x 3,066.04) / 144
    import datetime as dt
    from dcplan.specs import FleetSpec
    fleet = FleetSpec(phases=[dict(hardware="gb200-nvl72", count=1, start=dt.date(2026, 1, 1)),
                              dict(hardware="hgx-h100", count=9, start=dt.date(2026, 1, 1))])
    rate, key = pw.example_throughput(fleet)
    assert rate == pytest.approx((72 * 865000.0 / 72 + 72 * 24528.3 / 8) / 144, rel=1e-12)
    assert key == "gb200-gpu/llama-2-70b + h100-sxm/llama-2-70b-offline"
    # H200 and B200 fall back to the H100 figure (documented as an illustration)
    only = FleetSpec(phases=[dict(hardware="hgx-b200", count=2, start=dt.date(2026, 1, 1))])
    assert pw.example_throughput(only) == (pytest.approx(24528.3 / 8), "h100-sxm/llama-2-70b-offline")


def test_fleet_tokens_per_s_with_a_deployment_series():
    """Scalar utilisation x accelerator Series (fleet_accelerators) -> a Series on its index;
    it raised TypeError. Hand: 0.8 x 4,096 x 3,066.04 (24,528.3 / 8) = 10,046,591 tokens/s;
    rel 1e-12 for rounding."""
    idx = HOURS_2025[:3]
    n = pd.Series([0.0, 4096.0, 4096.0], index=idx, name="accelerators")
    rate = pw.THROUGHPUT_EXAMPLES["h100-sxm/llama-2-70b-offline"]
    tok = pw.fleet_tokens_per_s(0.8, n, rate)
    assert isinstance(tok, pd.Series) and tok.index.equals(idx) and tok.name == "tokens_per_s"
    np.testing.assert_allclose(tok.to_numpy(), [0.0, 0.8 * 4096 * 24528.3 / 8, 0.8 * 4096 * 24528.3 / 8],
                               rtol=1e-12)


def test_token_metrics_refuse_nan_power_and_throughput():
    """A NaN hour dropped out of the energy sum: 10 kW for 4 h with one NaN gave 30 kWh and
    480,000 tokens/kWh instead of refusing (1,000 tokens/s x 14,400 s / 40 kWh = 360,000).
    NaN or negative tokens_per_s entries were skipped or netted against other hours."""
    idx = HOURS_2025[:4]
    good = pd.Series(10.0, index=idx, name="it_kw")
    assert pw.token_metrics(1000.0, good)["tokens_per_kwh_it"] == pytest.approx(360_000.0, rel=1e-12)
    with pytest.raises(InputError, match="it_kw.*nan"):
        pw.token_metrics(1000.0, good.where(idx != idx[1]))
    with pytest.raises(InputError, match="facility_kw.*nan"):
        pw.token_metrics(1000.0, good, facility_kw=good.where(idx != idx[1]))
    for bad in (np.nan, -50.0):
        tok = pd.Series([1000.0, bad, 1000.0, 1000.0], index=idx)
        with pytest.raises(InputError, match="tokens_per_s"):
            pw.token_metrics(tok, good)


def test_token_metrics_refuse_facility_power_below_it_power():
    """Facility power counts IT plus losses and cooling, so below IT it is a swapped or wrong
    series: 5 kW facility against 10 kW IT gave 7,200 tokens/kWh at the facility, twice the IT
    figure (1,000 tokens/s x 14,400 s / 20 kWh), instead of an error."""
    idx = HOURS_2025[:4]
    it = pd.Series(10.0, index=idx, name="it_kw")
    ok = pw.token_metrics(1000.0, it, facility_kw=it)  # equal is allowed: a site with no overhead
    assert ok["tokens_per_kwh_facility"] == pytest.approx(360_000.0, rel=1e-12)
    low = it.where(idx != idx[2], 9.0)
    with pytest.raises(InputError, match=r"facility_kw.*9 kW.*below the IT power 10 kW"):
        pw.token_metrics(1000.0, it, facility_kw=low)
    with pytest.raises(InputError, match="facility_kw.*index"):
        pw.token_metrics(1000.0, it, facility_kw=pd.Series(12.0, index=HOURS_2025[1:5]))


def test_liquid_only_phases_are_the_phases_of_liquid_only_units():
    # data/hardware.csv: gb200-nvl72 cooling liquid, hgx-h100 air; a phase with no units and an
    # unknown key (named by the fleet's own checks) are not listed
    from dcplan.power import liquid_only_phases
    from dcplan.site import load_site
    from dcplan.specs import FleetSpec
    assert liquid_only_phases(load_site("northern-virginia")) == [0, 1]
    assert liquid_only_phases(load_site("research-triangle-nc")) == []
    f = FleetSpec.model_validate({"phases": [
        {"hardware": "hgx-h100", "count": 4, "start": "2026-01-01"},
        {"hardware": "gb200-nvl72", "count": 0, "start": "2026-01-01"},
        {"hardware": "gb200-nvl72", "count": 2, "start": "2026-06-01"},
        {"hardware": "no-such-rack", "count": 2, "start": "2026-06-01"}]})
    assert liquid_only_phases(f) == [2]


# ------------------------------------------------------------------------ number types
def test_numbers_may_be_numpy_scalars_but_not_bools_or_text():
    """np.int64(500) was refused as a cap ("must be a positive number, got np.int64(500)") while
    np.float64(500) passed; a string psu_efficiency_frac or tokens_per_s_per_accelerator raised a
    bare TypeError; rated_kw=True was taken as 1 kW and token_metrics took the text "5"."""
    # hand values as in test_accelerator_cap_hand_calculation / test_psu_efficiency_scales_wall_power
    assert pw.unit_power_kw(1.0, "hgx-h100", cap_w_per_accelerator=np.int64(500)) == pytest.approx(8.192 / 0.96)
    assert pw.unit_power_kw(1.0, "hgx-h100", cap_kw_per_unit=np.int32(8)) == 8.0
    assert pw.unit_power_kw(1.0, "hgx-h100", psu_efficiency_frac=np.float32(0.9)) == pytest.approx(
        10.2 * 0.96 / 0.9, rel=1e-6)   # float32 0.9 is 0.9 to 2.4e-8
    assert pw.energy_from_power(100.0, np.int64(60)) == pytest.approx(100 / 60)
    assert pw.electrical_losses_kw(1000.0, np.int64(1000)) == pw.electrical_losses_kw(1000.0, 1000.0)
    assert pw.fleet_tokens_per_s(0.5, 80, np.int64(3000)) == pytest.approx(120_000.0)
    # 1,000 tokens/s x 14,400 s / (10 kW x 4 h) = 360,000 tokens/kWh (rel 1e-12: rounding)
    it = pd.Series(10.0, index=HOURS_2025[:4], name="it_kw")
    assert pw.token_metrics(np.int64(1000), it)["tokens_per_kwh_it"] == pytest.approx(360_000.0, rel=1e-12)
    for kw, field in [({"cap_w_per_accelerator": True}, "cap_w_per_accelerator"),
                      ({"cap_kw_per_unit": "8"}, "cap_kw_per_unit"),
                      ({"psu_efficiency_frac": "0.9"}, "psu_efficiency_frac"),
                      ({"psu_efficiency_frac": True}, "psu_efficiency_frac"),
                      ({"curve": "concave", "curve_exponent": "1.5"}, "curve_exponent")]:
        with pytest.raises(InputError, match=rf"^{field}: must be .*, got ") as e:
            pw.unit_power_kw(0.5, "hgx-h100", **kw)
        assert e.value.field == field
    for bad in (True, "100"):
        with pytest.raises(InputError, match=r"^rated_kw: must be a positive number \[kW\]"):
            pw.electrical_losses_kw(50.0, bad)
    with pytest.raises(InputError, match=r"^step_s: must be a finite number > 0"):
        pw.energy_from_power(100.0, True)
    with pytest.raises(InputError, match=r"^utilisation_frac: must be a number, array or Series of numbers"):
        pw.unit_power_kw(np.array([True, False]), "hgx-h100")
    with pytest.raises(InputError, match=r"^hardware\['x'\]\.max_kw: must be a finite number, got '1'$"):
        pw.Hardware("x", max_kw="1")


@pytest.mark.parametrize("bad", [np.inf, "5", True, np.nan, -1.0])
def test_throughput_must_be_a_finite_number(bad):
    """An infinite throughput gave 0 kWh per million tokens; text raised TypeError (fleet_tokens_per_s)
    or was read as a number (token_metrics took "5")."""
    with pytest.raises(InputError, match=r"^tokens_per_s_per_accelerator: must be a finite number >= 0"):
        pw.fleet_tokens_per_s(0.5, 80, bad)
    it = pd.Series(10.0, index=HOURS_2025[:4], name="it_kw")
    with pytest.raises(InputError, match=r"^tokens_per_s: must be a finite number >= 0"):
        pw.token_metrics(bad, it)
    with pytest.raises(InputError, match=r"^tokens_per_s: .*(inf|nan|-1|must hold numbers)"):
        pw.token_metrics(pd.Series(bad, index=it.index), it)


@pytest.mark.parametrize("module", ["dcplan.power_fleet", "dcplan.power_electrical", "dcplan.power_tokens"])
def test_power_companions_import_first_and_re_export(module):
    """dcplan.power re-exports the fleet, chain and token functions; importing dcplan.power_fleet
    before dcplan.power in a fresh process was a circular-import error."""
    import os
    import subprocess
    import sys
    from pathlib import Path
    code = (f"import {module}; from dcplan import power; "
            "assert all(getattr(power, n) is not None for n in power.__all__); print('ok')")
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parent.parent)}
    p = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=120)
    assert p.returncode == 0 and p.stdout.strip() == "ok", p.stderr
    for name in ("token_metrics", "electrical_losses_kw", "fleet_cap_notes", "THROUGHPUT_EXAMPLES", "fleet_it_kw_at"):
        assert name in pw.__all__ and name in dir(pw)
    # fleet_it_kw_at (the fleet's power at a constant utilisation) beside its siblings fleet_it_kw and
    # fleet_design_it_kw: it was importable from dcplan.power_fleet only
    from dcplan import power_fleet
    assert pw.fleet_it_kw_at is power_fleet.fleet_it_kw_at


def test_a_rack_of_a_part_that_is_no_server_or_rack_is_refused():
    """rack_power_kw(1, 'h100-sxm') returned 0.7 kW as a "rack": one GPU board's DC power, no server (h100-sxm
    has units_per_rack 1). A rack holds servers or is one, as a fleet phase counts them."""
    with pytest.raises(InputError) as e:
        pw.rack_power_kw(1, "h100-sxm")
    assert str(e.value) == ("hardware_key: 'h100-sxm' is an accelerator in data/hardware.csv, not a server or rack: a "
                            "rack holds servers (units_per_rack of them) or is one, with its switches and storage "
                            "share; use unit_power_kw for one part's power; allowed: cpu-2s, gb200-nvl72, hgx-b200, "
                            "hgx-h100, hgx-h200, mi300x-8")
    with pytest.raises(InputError, match=r"^hardware_key: 'ib-ndr-switch' is a network in data/hardware.csv"):
        pw.rack_power_kw(1, "ib-ndr-switch")
    assert pw.unit_power_kw(1, "h100-sxm") == pytest.approx(0.7)  # the part itself
    assert pw.rack_power_kw(1, "hgx-h100", include_addons=True) == pytest.approx(4 * 10.2 + 1.5 * 1.7 + 0.15 + 0.25 * 1.5,
                                                                    rel=1e-12)


def test_a_utilisation_given_as_a_percentage_says_so():
    with pytest.raises(InputError) as e:
        pw.unit_power_kw(80, "hgx-h100")
    assert str(e.value) == ("utilisation_frac: value 80.0 (element 0) outside [0.0, 1.0] (a fraction: 80 looks like "
                            "a percentage; write 0.8)")
    with pytest.raises(InputError) as e:  # above 100 is no percentage
        pw.unit_power_kw(250, "hgx-h100")
    assert str(e.value) == "utilisation_frac: value 250.0 (element 0) outside [0.0, 1.0]"
    with pytest.raises(InputError) as e:
        pw.unit_power_kw(-0.5, "hgx-h100")
    assert str(e.value) == "utilisation_frac: value -0.5 (element 0) outside [0.0, 1.0]"
