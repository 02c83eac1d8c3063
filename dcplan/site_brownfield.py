"""``dcplan validate``'s warnings for a site expanding an existing campus (``interconnection.phases`` with
``in_service: true``), part of :func:`dcplan.site_plausibility.site_warnings`:

* :func:`in_service_date_warnings` — a phase "already in service" energized after the new request's filing
  date (``filed``): it was not in service when the request was filed; a mistyped year (2030 for 2023) made
  a campus's existing halls wait for power in every report and flipped a TCO's NPV by 380 M USD.
* :func:`in_service_shortfall_warnings` — the capacity in service below the design IT of the halls running
  when the new request was filed (fleet phases starting on or before ``filed``): part of the existing
  fleet would wait for the new request (the ramp and the TCO count those GPUs as stranded), though it
  runs today.

And :func:`live_capacity_text`, the tco notebook's sentence on the share of the fleet the capacity in service
powers, which named the fleet's facility power "kW at design IT" (a tester read 10,916 kW as IT).
"""
from __future__ import annotations

__all__ = ["brownfield_warnings", "in_service_date_warnings", "in_service_shortfall_warnings", "live_capacity_text"]


def _where(site) -> str:
    return site.source_file or f"site {site.id!r}"


def in_service_date_warnings(site) -> list[str]:
    """One warning per ``in_service`` phase energized after ``interconnection.filed``."""
    ic = site.interconnection
    if ic is None or not ic.phases or ic.filed is None:
        return []
    return [f"{_where(site)}: interconnection.phases[{i}].energized: {p.energized} is after the request's filing "
            f"date, filed {ic.filed}, yet the phase is in_service (capacity already energized when the request was "
            "filed): every report powers the halls on it only from that date. allowed: its energization date on or "
            "before filed, or in_service: false for capacity the new request brings"
            for i, p in enumerate(ic.phases) if p.in_service and p.energized > ic.filed]


def in_service_shortfall_warnings(site) -> list[str]:
    """A warning when the capacity in service is below the design IT of the fleet phases starting on or
    before ``filed`` (the existing halls), before cooling and losses."""
    ic = site.interconnection
    if ic is None or not ic.phases or not any(p.in_service for p in ic.phases):
        return []
    # the existing halls: running when the new request was filed (a hall planned ahead of its new power
    # waits for it as any new hall does, and is not one of them)
    existing = [ph for ph in site.fleet.phases if ph.count > 0 and (ic.filed is None or ph.start <= ic.filed)]
    if not existing:
        return []
    from .errors import InputError
    from .power import fleet_design_it_kw
    try:
        design_kw = float(fleet_design_it_kw(site, at=ic.filed))
    except InputError:  # the fleet's own problem, reported on it
        return []
    in_service_kw = 1000.0 * sum(p.mw for p in ic.phases if p.in_service)
    if in_service_kw >= design_kw:
        return []
    labels = ", ".join(ph.label or ph.hardware for ph in existing)
    return [f"{_where(site)}: interconnection.phases: the capacity in service, {in_service_kw:,.0f} kW, is below the "
            f"design IT of the halls running when the request was filed ({ic.filed}), {design_kw:,.0f} kW ({labels}), "
            "before cooling and losses: "
            "part of the existing fleet waits for the new request in the ramp and the TCO (counted as stranded), "
            "though an existing campus runs today. allowed: the in-service MW the existing halls draw, or later "
            "starts for the halls it cannot power"]


def brownfield_warnings(site) -> list[str]:
    """:func:`in_service_date_warnings` then :func:`in_service_shortfall_warnings`."""
    return in_service_date_warnings(site) + in_service_shortfall_warnings(site)


def live_capacity_text(live_fleet_frac: float, facility_design_kw: float, design_it_kw: float) -> str:
    """The share of the fleet capacity in service powers, with the figure it is a share of said as what it
    counts: the whole fleet's facility power at full design IT in the typical year's worst hour (IT plus
    cooling plus electrical losses, :func:`dcplan.grid.live_fleet_frac`'s ``facility_design_kw``) [kW], with
    the design IT [kW] and their ratio, the worst hour's PUE, beside it.

    >>> live_capacity_text(0.5, 12000.0, 10000.0)[:80]
    "Capacity in service by the fleet's first start powers 50% of the fleet: 6,000 kW"
    """
    f, it = float(facility_design_kw), float(design_it_kw)
    return (f"Capacity in service by the fleet's first start powers {live_fleet_frac:.0%} of the fleet: "
            f"{live_fleet_frac * f:,.0f} kW of the fleet's {f:,.0f} kW facility power at full design IT in the typical "
            f"year's worst hour (design IT {it:,.0f} kW x PUE {f / it:.3f}: IT, cooling and electrical losses); "
            "that part does not wait for the grid delay")
