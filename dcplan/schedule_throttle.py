"""The scheduler's throttling penalty: what a kWh of IT work lost to thermal throttling is worth.

:func:`dcplan.schedule.optimize` prices each kWh of IT load above the cooling plant's headroom
(``throttle_usd_per_kwh``) at the revenue the throttled accelerators would have earned: the price of a
GPU-hour sold over the power an accelerator draws,

``throttle_usd_per_kwh = revenue_usd_per_gpu_h / kw_per_accelerator``.

- :func:`site_throttle_usd_per_kwh` is a site's: its price per GPU-hour as the TCO reads it
  (:func:`site_revenue_usd_per_gpu_h`: ``site.finance.costs``, then ``site.finance.revenue_usd_per_gpu_h``,
  then the fleet's own sourced price, :func:`dcplan.tco_revenue.fleet_revenue_price`, then the
  ``data/costs.csv`` row) over its fleet's kW per accelerator (:func:`fleet_server_kw_per_accelerator`: the
  ``data/hardware.csv`` units' ``max_kw / accelerators_per_unit``, weighted by the fleet's accelerators).
  An H200 fleet: 5.408 / 1.275 = 4.24 USD/kWh; an HGX B200 fleet (no sourced price: the H100's): 4.916 / 1.7875
  = 2.75 USD/kWh.
- :func:`fallback_throttle_usd_per_kwh` is the figure without a site (:data:`dcplan.schedule.
  THROTTLE_USD_PER_KWH_DEFAULT`, the default of ``optimize``): the ``data/costs.csv`` row
  ``revenue_usd_per_gpu_h`` (4.916 USD/GPU-h, AWS p5.48xlarge Capacity Blocks 39.33 USD/h / 8 H100s) over the
  ``data/hardware.csv`` row of :data:`dcplan.power.REFERENCE_UNIT` (DGX H100, 10.2 kW / 8 = 1.275 kW):
  3.856 USD/kWh.

The kW per accelerator is the server's (host, memory and NICs included), not the rack's switches and storage:
throttling slows the accelerators, and the gear around them keeps drawing, so each kWh shed is server power.
Both figures are read from the data files when asked (never copied into the code).
"""
from __future__ import annotations

__all__ = ["fallback_throttle_usd_per_kwh", "fleet_server_kw_per_accelerator", "site_revenue_usd_per_gpu_h",
           "site_throttle_usd_per_kwh"]

_ROW = "revenue_usd_per_gpu_h"


def _costs_row() -> tuple[float, str]:
    """The ``data/costs.csv`` row ``revenue_usd_per_gpu_h``: its value and where it is from, in short."""
    from .tco_input_types import load_costs
    return float(load_costs().loc[_ROW, "value"]), f"data/costs.csv {_ROW}, an H100 price"


def fallback_throttle_usd_per_kwh() -> float:
    """The throttling penalty without a site: the ``data/costs.csv`` price per GPU-hour sold (an H100's) over
    the kW per accelerator of :data:`dcplan.power.REFERENCE_UNIT` (``data/hardware.csv``). [USD/kWh]

    >>> round(fallback_throttle_usd_per_kwh(), 3)  # 4.916 / (10.2 / 8)
    3.856
    """
    from .power import REFERENCE_UNIT, unit_kw_per_accelerator
    return _costs_row()[0] / unit_kw_per_accelerator(REFERENCE_UNIT)


def site_revenue_usd_per_gpu_h(site) -> tuple[float, str]:
    """The site's price per GPU-hour sold, as :func:`dcplan.tco_inputs.inputs_from_site` reads it with no
    caller override: ``site.finance.costs.revenue_usd_per_gpu_h``, else ``site.finance.revenue_usd_per_gpu_h``,
    else the fleet's own sourced price (:func:`dcplan.tco_revenue.fleet_revenue_price`: an H200 fleet's 5.408),
    else the ``data/costs.csv`` row (an H100's). Returns the price [USD/GPU-h] and where it is from."""
    from .tco_revenue import REVENUE_ROW_ACCELERATOR, _fleet_accelerators, fleet_revenue_price
    f = getattr(site, "finance", None)
    costs = dict(getattr(f, "costs", {}) or {})
    if _ROW in costs:
        return float(costs[_ROW]), f"site.finance.costs.{_ROW}"
    if getattr(f, _ROW, None) is not None:
        return float(getattr(f, _ROW)), f"site.finance.{_ROW}"
    own = fleet_revenue_price(site)
    if own is not None:
        return float(own[0]), "the fleet's own sourced price, dcplan.tco_revenue.REVENUE_PRICES_USD_PER_GPU_H"
    price, src = _costs_row()
    other = sorted(set(_fleet_accelerators(site)) - {REVENUE_ROW_ACCELERATOR}) if getattr(
        getattr(site, "fleet", None), "phases", None) else []
    return price, src + (f", standing in for the fleet's {', '.join(other)} (no sourced price of its own, as in "
                         "the TCO)" if other else "")


def fleet_server_kw_per_accelerator(site) -> float | None:
    """The fleet's kW per accelerator at its servers: ``sum(units x max_kw) / sum(accelerators)`` over the
    phases with accelerators (``data/hardware.csv``; the rack gear and power caps left out). None for a fleet
    without accelerators. [kW]"""
    from .power import fleet_table
    if not getattr(getattr(site, "fleet", None), "phases", None):
        return None
    t = fleet_table(site)
    t = t[t["accelerators"] > 0]
    n = float(t["accelerators"].sum())
    return float((t["count"] * t["unit_max_kw"]).sum()) / n if n > 0 else None


def site_throttle_usd_per_kwh(site) -> tuple[float, str]:
    """The site's throttling penalty, :func:`site_revenue_usd_per_gpu_h` over
    :func:`fleet_server_kw_per_accelerator` [USD/kWh], and a text saying where it is from. A fleet without
    accelerators takes :func:`fallback_throttle_usd_per_kwh`, and the text says so."""
    kpa = fleet_server_kw_per_accelerator(site)
    if kpa is None:
        return fallback_throttle_usd_per_kwh(), (
            "the fleet has no accelerators: the fallback, data/costs.csv's price per GPU-hour (an H100's) over "
            "data/hardware.csv's hgx-h100 kW per accelerator (dcplan.schedule_throttle)")
    price, src = site_revenue_usd_per_gpu_h(site)
    return price / kpa, (f"{price:g} USD/GPU-h sold ({src}) / {kpa:.4g} kW per accelerator (the fleet's servers, "
                         "data/hardware.csv max_kw / accelerators_per_unit)")
