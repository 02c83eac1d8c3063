"""Which design IT sizes what when a fleet has power caps (dcplan.power_design).

The electrical audit (2026): with fleet.cap_w_per_accelerator 700 on northern-virginia the design IT fell from
16,215 kW to 11,465 kW (-29 %), and that capped figure rated the transformer/UPS/PDU chain. A software cap is
a firmware average that can be reset and is briefly exceeded; switchgear, UPS, PDUs and breakers are sized on
the hardware's maximum input. The chain is now rated on the uncapped figure; the capped one stays the
cooling's and the grid figures' operating limit, and a capped site is warned which sizes what."""
from __future__ import annotations

import warnings

import pytest

from conftest import bundled_site_copy, run_cells_until
from dcplan import pipeline, power
from dcplan.errors import DcplanWarning
from dcplan.site import load_portfolio, load_site

H100_RACK = {"phases": [{"hardware": "hgx-h100", "count": 4, "start": "2026-01-01"}]}


def test_the_electrical_design_it_is_the_uncapped_one():
    """4 hgx-h100 with a 560 W cap: capped 4 x (10.2 x 0.96 - 8 x 0.14) / 0.96 + 3.075 = 39.2083 kW (each GPU
    held 140 W below its 700 W TDP, data/hardware.csv); uncapped 4 x 10.2 + 3.075 = 43.875 kW."""
    f = {**H100_RACK, "cap_w_per_accelerator": 560}
    assert power.fleet_design_it_kw(f) == pytest.approx(4 * (10.2 * 0.96 - 8 * 0.14) / 0.96 + 3.075, rel=1e-12)
    assert power.electrical_design_it_kw(f) == pytest.approx(4 * 10.2 + 3.075, rel=1e-12)
    # diversity applies to both (a sizing practice for upstream gear): 0.9 x 43.875 = 39.4875 kW
    assert power.electrical_design_it_kw({**f, "diversity_frac": 0.9}) == pytest.approx(0.9 * 43.875, rel=1e-12)
    # a unit cap of 9 kW: still the 43.875 kW uncapped
    assert power.electrical_design_it_kw({**H100_RACK, "cap_kw_per_unit": 9.0}) == pytest.approx(43.875, rel=1e-12)


def test_a_cap_that_does_not_lower_the_design_gets_no_note():
    from dcplan.power_design import caps_lower_design
    assert power.cap_sizing_note(H100_RACK) is None and not caps_lower_design(H100_RACK)
    at_tdp = {**H100_RACK, "cap_w_per_accelerator": 700}   # the H100's 700 W TDP: never binds
    assert power.cap_sizing_note(at_tdp) is None and not caps_lower_design(at_tdp)
    assert caps_lower_design({**H100_RACK, "cap_w_per_accelerator": 699})


@pytest.mark.parametrize("site_id", ["research-triangle-nc", "phoenix-az", "northern-virginia"])
def test_bundled_sites_set_no_cap_so_their_figures_do_not_move(site_id):
    """No bundled site sets a cap: the chain's rating is the design IT it was rated on before."""
    spec = load_portfolio("default")[site_id]
    assert spec.fleet.cap_w_per_accelerator is None and spec.fleet.cap_kw_per_unit is None
    assert power.electrical_design_it_kw(spec) == power.fleet_design_it_kw(spec)
    assert power.cap_sizing_note(spec) is None


def test_a_capped_site_rates_its_chain_on_the_uncapped_design_and_is_warned(tmp_path):
    """northern-virginia with cap_w_per_accelerator 700: 128 gb200-nvl72 racks, each 72 GPUs held 500 W below
    their 1,200 W TDP (DC), at the rack's PSU efficiency (data/hardware.csv psu_efficiency_frac); uncapped
    128 x 120 + 128 x 6.68 = 16,215.04 kW (the audit's 16,215 kW), capped about 11,465 kW."""
    f = bundled_site_copy(tmp_path, "northern-virginia", "nova-cap", fleet={"cap_w_per_accelerator": 700})
    site = load_site(f)
    eta = power.hardware("gb200-nvl72").psu_efficiency_frac
    capped = 128 * (120.0 - 72 * 0.5 / eta) + 128 * 6.68
    assert power.fleet_design_it_kw(site) == pytest.approx(capped, rel=1e-9)
    assert round(capped) == 11465
    assert power.electrical_design_it_kw(site) == pytest.approx(16215.04, rel=1e-12)
    note = power.cap_sizing_note(site)
    assert note.startswith("fleet.cap_w_per_accelerator 700 W holds the design IT to 11,465 kW of the uncapped "
                           "16,215 kW. The transformer/UPS/PDU chain is rated on the uncapped 16,215 kW")
    assert "take the capped 11,465 kW, an operating limit that holds only with an enforced site power limiter" in note
    assert "holds only with an enforced site power limiter" in power.design_it_label(site)
    with pytest.warns(DcplanWarning) as rec:
        y = pipeline.run_site_year(site)
    assert any(str(w.message) == f"{f}: {note}" for w in rec)
    # the cooling plant keeps the capped design IT (an operating limit), the chain's losses the uncapped rating:
    # the plant's losses are the chain's at its (fan-uplifted) IT rated on 16,215.04 kW, not on 11,465 kW
    assert y.design_it_kw == pytest.approx(capped, rel=1e-9)
    assert y.plant.attrs["plant"]["design_it_kw"] == pytest.approx(capped, rel=1e-9)
    it = y.plant["it_kw"].to_numpy()
    chain = site.electrical.stages()
    want = power.electrical_losses_kw(it, 16215.04, chain=chain)
    old = power.electrical_losses_kw(it, capped, chain=chain)
    assert y.plant["electrical_losses_kw"].to_numpy() == pytest.approx(want, rel=1e-9)
    assert abs(want.sum() - old.sum()) > 0.01 * old.sum()   # the rating moves the losses by more than 1 %


def test_a_site_without_a_cap_is_not_warned():
    spec = load_portfolio("default")["research-triangle-nc"]
    with warnings.catch_warnings():
        warnings.simplefilter("error", DcplanWarning)
        y = pipeline.run_site_year(spec)
    assert y.plant.attrs["plant"]["design_it_kw"] == pytest.approx(power.electrical_design_it_kw(spec), rel=1e-12)


def test_the_tco_prices_a_capped_site_on_the_capped_design_and_the_note_says_what_is_short(tmp_path, monkeypatch):
    """A verifier's two findings: the TCO priced a capped site's facility on the capped 11,465 kW while the chain is
    rated on the uncapped 16,215 kW (its electrical share short by 0.53 x 0.6 x 16.38 M x 4.75 MW, about 24.7 M USD),
    and pricing the whole facility on the uncapped kW instead added about 82 M USD (shell, mechanical,
    interconnection, staff too). The TCO keeps the capped kW, as the interconnection notebook and the cooling take
    it, and the cap's note says what that leaves short and how to price it."""
    f = bundled_site_copy(tmp_path, "northern-virginia", "nova-cap", fleet={"cap_w_per_accelerator": 700})
    site = load_site(f)
    note = power.cap_sizing_note(site)
    assert ("The TCO prices the facility per MW of the capped 11,465 kW (as the cooling and the grid take it), so its "
            "electrical share is priced short of a chain built for the uncapped kW: add facility_usd_per_mw x "
            "(1 - facility_shell_frac) x facility_electrical_frac_of_critical per MW of the 4,751 kW between them") \
        in note
    assert round(16215.04 - power.fleet_design_it_kw(site)) == 4751  # the difference the note names (hand: above)
    (tmp_path / "p.yaml").write_text(f"name: capped\nsites:\n  - {f.name}\n")
    with pytest.warns(DcplanWarning):  # the cap's sizing note
        ns, _ = run_cells_until("tco", "inputs = case.inputs", monkeypatch, site="nova-cap",
                                portfolio=str(tmp_path / "p.yaml"))
    assert ns["inputs"].it_capacity_kw == pytest.approx(power.fleet_design_it_kw(site), rel=1e-12)


# ------------------------------------------------------------------ kW per GPU without the CPU servers

def test_the_kw_per_gpu_leaves_the_cpu_servers_out():
    """The electrical audit (2026): cooling_lag's kW per GPU was the whole design IT over the GPUs, so a mixed
    fleet's CPU servers were spread over its GPUs and the GPU-hours lost understated. 512 hgx-h100 (4,096 GPUs,
    4 a rack: 128 racks of 3.075 kW gear) and 200 cpu-2s (0.80 kW, 20 a rack: 10 racks of 0.5 + 0.15 kW gear,
    data/hardware.csv): the GPU servers' design IT 512 x 10.2 + 128 x 3.075 = 5,616 kW, 1.37109 kW per GPU
    (the whole fleet's (5,616 + 160 + 6.5) / 4,096 = 1.41174 was used)."""
    from dcplan.power_design import accelerator_design_it_kw
    fleet = {"phases": [{"hardware": "hgx-h100", "count": 512, "start": "2026-01-01"},
                        {"hardware": "cpu-2s", "count": 200, "start": "2026-01-01"}]}
    assert power.fleet_design_it_kw(fleet) == pytest.approx(5616 + 200 * 0.8 + 10 * 0.65, rel=1e-12)
    assert accelerator_design_it_kw(fleet) == pytest.approx(5616.0, rel=1e-12)
    assert power.design_kw_per_accelerator(fleet) == pytest.approx(5616.0 / 4096, rel=1e-12)
    # the caps and diversity_frac apply as in the design IT: 0.9 x (512 x (10.2 x 0.96 - 8 x 0.14) / 0.96 + 384) / 4,096
    capped = {**fleet, "cap_w_per_accelerator": 560, "diversity_frac": 0.9}
    assert power.design_kw_per_accelerator(capped) == pytest.approx(
        0.9 * (512 * (10.2 * 0.96 - 8 * 0.14) / 0.96 + 128 * 3.075) / 4096, rel=1e-12)
    assert power.design_kw_per_accelerator({"phases": [{"hardware": "cpu-2s", "count": 20,
                                                         "start": "2026-01-01"}]}) is None


def test_cooling_lag_counts_gpu_hours_at_the_gpu_servers_kw(tmp_path, monkeypatch):
    """The same mixed fleet at research-triangle-nc: the notebook's kw_per_gpu is 5,616 / 4,096 = 1.37109 kW."""
    f = bundled_site_copy(tmp_path, "research-triangle-nc", "mixed", fleet={
        "phases": [{"hardware": "hgx-h100", "count": 512, "start": "2026-07-01"},
                   {"hardware": "cpu-2s", "count": 200, "start": "2026-07-01"}]})
    pf = tmp_path / "pf.yaml"
    pf.write_text(f"name: t\nsites: [{f}]\n")
    ns, _ = run_cells_until("cooling_lag", "kw_per_gpu = ", monkeypatch, site="mixed", portfolio=str(pf))
    assert ns["kw_per_gpu"] == pytest.approx(5616.0 / 4096, rel=1e-12)
