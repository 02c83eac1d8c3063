"""Which design IT sizes what when a fleet has power caps.

Re-exported by :mod:`dcplan.power`. :func:`dcplan.power.fleet_design_it_kw` holds every unit to the
fleet's power caps (``cap_w_per_accelerator``, ``cap_kw_per_unit``). Such a cap is a software power
limit (``nvidia-smi -pl``, a BMC/Redfish limit): a firmware average over a control window, that an
operator or a driver update can reset, with excursions above it within the window. That makes the
capped figure an **operating limit**, which the grid figures and the cooling plant may take only if
the site enforces it (a site-level power controller that sheds or throttles load), not a rating.

The electrical chain (switchgear, transformers, UPS, PDUs, breakers) is sized on the hardware's
maximum input, whatever the software caps: NEC Art. 645/220 and vendors' site-preparation guides size
the branch circuits and the upstream equipment on the nameplate input (NVIDIA DGX B200 user guide:
14.3 kW per system; GB200 NVL72: about 120 kW per rack, data/hardware.csv ``max_kw``).
:func:`electrical_design_it_kw` is that figure (the fleet at full utilisation with no cap, times
``diversity_frac``, which is a sizing practice for upstream gear); :func:`cap_sizing_note` says,
for a site whose caps lower the design IT, which figure sizes what.

Consumers in dcplan (which figure each takes):

* the transformer/UPS/PDU chain's rating, where its no-load and part-load losses are taken
  (:func:`dcplan.pipeline.run_site_year`, the rack_power notebook): :func:`electrical_design_it_kw`;
* the GPU-hours a throttled hall loses (the cooling_lag notebook's ``kw_per_gpu``):
  :func:`design_kw_per_accelerator`, the accelerator servers' share of the design IT per GPU;
* the cooling plant's size, the grid request and contract checks, the deployment ramp, the
  scheduler's site capacity, the TCO's per-phase shares: :func:`dcplan.power.fleet_design_it_kw`
  (capped, an operating limit that needs an enforced limiter).
"""
from __future__ import annotations

from .power_fleet import _as_fleet, _phase_hw, fleet_design_it_kw

__all__ = ["electrical_design_it_kw", "caps_lower_design", "cap_sizing_note", "accelerator_design_it_kw",
           "design_kw_per_accelerator"]


def electrical_design_it_kw(fleet_or_site, *, at=None) -> float:
    """Design IT power the electrical chain is rated on [kW]: :func:`dcplan.power.fleet_design_it_kw`
    with no power cap (every unit and its rack gear at full utilisation at its catalog wall power, times
    ``diversity_frac``), over the phases started by ``at`` (default: the full build-out). Equal to
    :func:`dcplan.power.fleet_design_it_kw` for a fleet without caps.

    >>> round(electrical_design_it_kw({"phases": [{"hardware": "hgx-h100", "count": 4, "start": "2026-01-01"}],
    ...                                "cap_w_per_accelerator": 500}), 3)
    43.875
    """
    return float(fleet_design_it_kw(fleet_or_site, at=at, cap_w_per_accelerator=None, cap_kw_per_unit=None))


def caps_lower_design(fleet_or_site) -> bool:
    """Whether the fleet's own power caps lower its design IT (full build-out) below
    :func:`electrical_design_it_kw` (a cap at or above a unit's full-load draw does not)."""
    fleet, _ = _as_fleet(fleet_or_site)
    if fleet.cap_w_per_accelerator is None and fleet.cap_kw_per_unit is None:
        return False
    return float(fleet_design_it_kw(fleet)) < electrical_design_it_kw(fleet) * (1.0 - 1e-9)


def _caps_text(fleet) -> str:
    return " and ".join(c for c in (
        None if fleet.cap_w_per_accelerator is None else
        f"fleet.cap_w_per_accelerator {fleet.cap_w_per_accelerator:g} W",
        None if fleet.cap_kw_per_unit is None else f"fleet.cap_kw_per_unit {fleet.cap_kw_per_unit:g} kW") if c)


def cap_sizing_note(fleet_or_site) -> str | None:
    """For a fleet whose power caps lower its design IT: which figure sizes what, in words; None otherwise.

    "fleet.cap_w_per_accelerator 700 W holds the design IT to 11,465 kW of the uncapped 16,215 kW. The
    transformer/UPS/PDU chain is rated on the uncapped 16,215 kW ...; the cooling plant and the grid figures
    ... take the capped 11,465 kW, an operating limit that holds only with an enforced site power limiter ..."
    """
    fleet, _ = _as_fleet(fleet_or_site)
    if not caps_lower_design(fleet):
        return None
    capped, full = float(fleet_design_it_kw(fleet)), electrical_design_it_kw(fleet)
    return (f"{_caps_text(fleet)} holds the design IT to {capped:,.0f} kW of the uncapped {full:,.0f} kW. The "
            f"transformer/UPS/PDU chain is rated on the uncapped {full:,.0f} kW (its losses are taken at that "
            "rating): switchgear, UPS, PDUs and breakers are sized on the hardware's maximum input, and a GPU power "
            "cap is a firmware average that can be reset and is briefly exceeded. The cooling plant and the grid "
            f"figures (request and contract checks, ramp, scheduler capacity) take the capped {capped:,.0f} kW, an "
            "operating limit that holds only with an enforced site power limiter; without one, size them on "
            f"{full:,.0f} kW too. The TCO prices the facility per MW of the capped {capped:,.0f} kW (as the cooling "
            "and the grid take it), so its electrical share is priced short of a chain built for the uncapped kW: "
            f"add facility_usd_per_mw x (1 - facility_shell_frac) x facility_electrical_frac_of_critical per MW of the "
            f"{full - capped:,.0f} kW between them (data/costs.csv), or give finance.costs.facility_usd_per_mw for the "
            "build as designed")


def accelerator_design_it_kw(fleet_or_site) -> float:
    """Design IT power of a fleet's accelerator servers [kW]: :func:`dcplan.power.fleet_design_it_kw` (full
    build-out, the fleet's power caps, x ``diversity_frac``) over the phases whose units hold accelerators,
    each with its racks' gear (``rack_addons``: the network and storage share of the GPU racks); units without
    accelerators (``cpu-2s``) and their gear left out. 0 for a fleet without accelerators.

    >>> round(accelerator_design_it_kw({"phases": [{"hardware": "hgx-h100", "count": 4, "start": "2026-01-01"},
    ...                                            {"hardware": "cpu-2s", "count": 20, "start": "2026-01-01"}]}), 3)
    43.875
    """
    fleet, _ = _as_fleet(fleet_or_site)
    gpu = [ph for ph, hw in zip(fleet.phases, _phase_hw(fleet)) if hw.accelerators_per_unit > 0]
    return float(fleet_design_it_kw(fleet.model_copy(update={"phases": gpu}))) if gpu else 0.0


def design_kw_per_accelerator(fleet_or_site) -> float | None:
    """Design IT per accelerator [kW/GPU]: :func:`accelerator_design_it_kw` over the fleet's accelerators
    (CPU servers' power not spread over the GPUs); None for a fleet without accelerators. 4 ``hgx-h100``
    (32 GPUs, 40.8 kW + 3.075 kW of rack gear): 1.371 kW per GPU, with or without CPU servers beside them.
    """
    fleet, _ = _as_fleet(fleet_or_site)
    n = sum(ph.count * hw.accelerators_per_unit for ph, hw in zip(fleet.phases, _phase_hw(fleet)))
    return accelerator_design_it_kw(fleet) / n if n > 0 else None
