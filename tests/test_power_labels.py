"""Labels that say what the rack_power figures count (dcplan.power_labels, power_tokens), and the
API messages a tester found misleading (dcplan.power, power_electrical).

Hand figures from data/hardware.csv: an hgx-h100 server is 10.2 kW at full load (8 x 700 W H100,
70 W idle, PSU 0.96), 4 to a rack with 1.5 x 1.7 + 0.15 + 0.25 x 1.5 = 3.075 kW of rack gear:
4 x 10.2 + 3.075 = 43.875 kW a rack (the nameplate).
"""
from __future__ import annotations

import re

import pytest

from dcplan import power as pw
from dcplan.errors import InputError
from dcplan.site import load_portfolio

H100_RACK = {"phases": [{"hardware": "hgx-h100", "count": 4, "start": "2026-01-01"}]}


# -- 1. the design IT label: caps and diversity applied, the nameplate beside them ----------------

def test_design_label_names_diversity_and_the_nameplate():
    """'Design (nameplate) IT power' was 0.7 x the nameplate: the label now says so."""
    f = {**H100_RACK, "diversity_frac": 0.7}
    assert pw.fleet_design_it_kw(f) == pytest.approx(0.7 * 43.875, rel=1e-12)
    assert pw.design_it_label(f) == ("Design IT power: the 43.88 kW nameplate (every unit and its rack gear at full "
                                     "utilisation) x fleet.diversity_frac 0.7")


def test_design_label_names_a_cap_that_lowers_it():
    """cap_w_per_accelerator 560 W on 4 hgx-h100: each server's DC power loses 8 x (700 - 560) W =
    1.12 kW, so its wall power is (10.2 x 0.96 - 1.12) / 0.96 = 9.0333 kW; rack 4 x 9.0333 + 3.075
    = 39.2083 kW, not the 43.875 kW nameplate the old label claimed."""
    f = {**H100_RACK, "cap_w_per_accelerator": 560}
    want = 4 * (10.2 * 0.96 - 8 * 0.14) / 0.96 + 3.075
    assert want == pytest.approx(39.2083, abs=1e-4)
    assert pw.fleet_design_it_kw(f) == pytest.approx(want, rel=1e-12)
    # the label used to end at "... 39.21 kW of the 43.88 kW nameplate"; a software cap is an operating limit, and
    # the electrical chain is rated on the uncapped 43.875 kW (electrical audit, 2026): the label now says so
    limiter = ("; an operating limit for the cooling and the grid figures that holds only with an enforced site "
               "power limiter (a software cap can be reset and is briefly exceeded): the transformer/UPS/PDU chain is "
               "rated on the uncapped {} kW")
    assert pw.design_it_label(f) == ("Design IT power: every unit and its rack gear at full utilisation held to the "
                                     "fleet's cap_w_per_accelerator 560 W per GPU, 39.21 kW of the 43.88 kW nameplate"
                                     + limiter.format("43.88"))
    both = {**f, "cap_kw_per_unit": 9.0, "diversity_frac": 0.9}
    # uncapped design IT 43.875 x 0.9 = 39.4875 kW, shown to 4 digits
    assert pw.design_it_label(both).endswith("held to the fleet's cap_w_per_accelerator 560 W per GPU and "
                                             "cap_kw_per_unit 9 kW per unit, 39.08 kW of the 43.88 kW nameplate "
                                             "x fleet.diversity_frac 0.9" + limiter.format("39.49"))  # 4 x 9 + 3.075


def test_design_label_of_the_bundled_sites_is_the_nameplate():
    # no caps, diversity_frac 1: RTP 512 x 10.2 + 128 racks x 3.075 = 5,616 kW
    rtp = load_portfolio()["research-triangle-nc"]
    assert pw.design_it_label(rtp) == ("Design IT power: the nameplate (every unit and its rack gear at full "
                                       "utilisation, 5,616 kW)")
    # a cap at or above the TDP does not lower it: still the nameplate
    assert pw.design_it_label({**H100_RACK, "cap_w_per_accelerator": 800}).startswith("Design IT power: the nameplate")


# -- 3. one per-GPU cap on a mixed fleet: each accelerator's share named ------------------------

def test_cap_label_names_each_accelerators_share_of_its_tdp():
    """The tester's fleet: 256 hgx-h100 (2,048 H100, 700 W) + 16 gb200-nvl72 (1,152 GB200 GPUs,
    1,200 W). 560 W is 80 % of the H100's TDP but 560 / 1,200 = 46.7 % of the GB200's."""
    mixed = {"phases": [{"hardware": "hgx-h100", "count": 256, "start": "2026-01-01"},
                        {"hardware": "gb200-nvl72", "count": 16, "start": "2026-01-01"}]}
    assert pw.cap_label(mixed, 560.0, 0.8) == ("560 W per-GPU cap (cap_tdp_frac 80 % of the 700 W TDP of h100-sxm in "
                                               "hgx-h100; 47 % of the 1,200 W TDP of gb200-gpu in gb200-nvl72)")
    assert pw.cap_label(mixed, 1300.0) == ("1,300 W per-GPU cap (cap_w_per_accelerator, 186 % of the 700 W TDP of "
                                           "h100-sxm in hgx-h100; at or above the 1,200 W TDP of gb200-gpu in "
                                           "gb200-nvl72, where it does not bind)")
    # one accelerator type (or the same TDP): the label as before
    assert pw.cap_label(H100_RACK, 560.0, 0.8) == "560 W per-GPU cap (cap_tdp_frac 80 % of the 700 W TDP of h100-sxm in hgx-h100)"
    same_tdp = {"phases": [*mixed["phases"][:1], {"hardware": "hgx-h200", "count": 4, "start": "2026-01-01"}]}
    assert ";" not in pw.cap_label(same_tdp, 560.0, 0.8)
    cpu = {"phases": [{"hardware": "cpu-2s", "count": 20, "start": "2026-01-01"}]}
    assert pw.cap_label(cpu, None) == "per-GPU cap (none: the fleet has no accelerators)"


# -- 2. tokens: the borrowed figure and the inference benchmark said ----------------------------

def test_throughput_caveat_names_the_borrowed_figure_and_the_inference_benchmark():
    pf = load_portfolio()
    assert pw.throughput_caveat(pf["phoenix-az"]) == ("the H100 figure stands in for hgx-b200 (no sourced figure of "
                                                      "its own), so this is an illustration")
    assert pw.borrowed_throughput(pf["phoenix-az"]) == ["hgx-b200"]
    training = ("an inference benchmark (Llama-2-70B serving) applied to a training fleet: tokens it would serve at "
                "this power, not its training throughput")
    assert pw.throughput_caveat(pf["research-triangle-nc"]) == training
    assert pw.throughput_caveat(pf["northern-virginia"]) == training   # GB200: its own figure, still inference
    assert pw.throughput_caveat({**H100_RACK, "workload": "inference", "utilisation_frac": 0.6}) == ""


# -- 5. a unit cap in W typed as kW ------------------------------------------------------------

def test_a_unit_cap_far_above_full_load_is_refused():
    """10,000 kW on a 10.2 kW hgx-h100: 980 x its full load, a cap in W typed as kW."""
    msg = ("10000 kW is 980 x the 10.2 kW full-load power of one 'hgx-h100' unit (data/hardware.csv max_kw): a cap "
           "in W typed as kW? allowed: at most 100 x its full-load power (1,020 kW); a cap at or above the full-load "
           "power never binds, so leave it out for no cap")
    with pytest.raises(InputError, match=re.escape(f"cap_kw_per_unit: {msg}")):
        pw.unit_power_kw(0.5, "hgx-h100", cap_kw_per_unit=10000)
    with pytest.raises(InputError, match="cap_kw_per_unit: 10000 kW is 980 x"):
        pw.rack_power_kw(0.5, "hgx-h100", cap_kw_per_unit=10000)
    # 100 x full load is still taken (it never binds): 10.2 kW at full load
    assert pw.unit_power_kw(1.0, "hgx-h100", cap_kw_per_unit=1020.0) == pytest.approx(10.2, rel=1e-12)


# -- 6. an overload shown outside the bound it breaks ------------------------------------------

def test_an_overload_ratio_is_shown_outside_the_bound():
    """8,700 / 5,786.4 = 1.50353: shown as 1.5 it read as inside [0, 1.5]."""
    assert 8700 / 5786.4 == pytest.approx(1.50353, abs=1e-5)
    with pytest.raises(InputError, match=re.escape("loads stage 'pdu' at 1.504 x its capacity 5786.4 kW")):
        pw.electrical_losses_kw(8700, 5786.4)
    # just past the bound: as many digits as it takes
    with pytest.raises(InputError, match=re.escape("load fraction 1.5000001 (element 0) is outside [0, 1.5]")):
        pw.stage_efficiency_frac(1.5000001)
    with pytest.raises(InputError, match=re.escape("load fraction 2 (element 0) is outside")):
        pw.stage_efficiency_frac(2.0)
