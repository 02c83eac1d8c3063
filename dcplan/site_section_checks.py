"""Checks of a site's sections beside pydantic's field validation (part of :mod:`dcplan.site`, which
re-exports these and runs them as a site loads, so each shows with the file's other problems):

* :func:`_hardware_problems`: the fleet's hardware keys against data/hardware.csv (a key not in it, a
  row that is no server or rack, :data:`FLEET_UNIT_KINDS`, a liquid-cooled-only unit on an air plant),
  from the YAML's own mappings;
* :func:`_battery_horizon_problems`: a finance horizon longer than the battery's economic life;
* :func:`_coincident_peak_problems`: ``tariff.coincident_peaks`` stamps the site's zone and year refuse.

Each returns ``(field, message)`` pairs; none reads a file other than the bundled catalog.
"""
from __future__ import annotations

from typing import TYPE_CHECKING, Any

from .errors import InputError

if TYPE_CHECKING:  # annotations only: dcplan.site imports this module
    from .site import Site


#: Catalog kinds (data/hardware.csv ``kind``) a fleet phase may count: whole servers and racks.
#: An accelerator row is one GPU board (its DC power, no host, fans or power supply: an H100
#: board is 0.7 kW of a 10.2 kW HGX server); network, storage and CDU rows are rack add-ons.
FLEET_UNIT_KINDS = ("server", "rack")


def _catalog_kinds() -> dict[str, str]:
    from .power import catalog
    return catalog()["kind"].to_dict()


def _hardware_problems(fleet: Any, cooling: Any, bad: set = frozenset()) -> list[tuple[str, str]]:
    """Problems of the fleet's hardware keys, found from the YAML's own ``fleet`` and
    ``cooling`` mappings, so they show beside any other problem of the file: a key not in
    data/hardware.csv (with a "did you mean"), a row that is no server or rack
    (:data:`FLEET_UNIT_KINDS`: a bare GPU board, a switch), and a liquid-cooled-only unit (the catalog's
    ``cooling``) in a phase that holds units while ``cooling.type`` is ``air``. A phase or
    cooling type that is malformed, or that pydantic already refused (``bad``: its error
    locations, first two parts), is left to that problem."""
    phases = fleet.get("phases") if isinstance(fleet, dict) else None
    if not isinstance(phases, (list, tuple)):
        return []
    from .power import hardware, liquid_on_air_message  # (pandas: not at the top of this light module)
    air = isinstance(cooling, dict) and cooling.get("type") == "air" and ("cooling", "type") not in bad
    out = []
    for i, ph in enumerate(phases):
        key = ph.get("hardware") if isinstance(ph, dict) else None
        if not isinstance(key, str):
            continue
        try:
            hw = hardware(key)
        except InputError as e:  # a key not in the catalog: did you mean, and only the keys a phase may count
            from .power_fleet import unknown_unit_message
            out.append((f"fleet.phases[{i}].hardware",
                        unknown_unit_message(key) if "not in" in str(e.detail) or "unknown" in str(e.detail)
                        else e.detail))
            continue
        if hw.kind not in FLEET_UNIT_KINDS:  # a bare GPU board (DC, no host) or a switch is no fleet unit
            units = sorted(k for k, v in _catalog_kinds().items() if v in FLEET_UNIT_KINDS)
            out.append((f"fleet.phases[{i}].hardware",
                        f"{key!r} is a{'n' if hw.kind[0] in 'aeiou' else ''} {hw.kind} in data/hardware.csv, not a "
                        "server or rack: a phase counts whole servers or racks (each rack's network and storage "
                        f"gear, its catalog rack_addons, is added per rack); allowed: {', '.join(units)}"))
            continue
        count = ph.get("count")
        if air and hw.cooling == "liquid" and isinstance(count, int) and not isinstance(count, bool) and count > 0:
            out.append((f"fleet.phases[{i}].hardware", liquid_on_air_message(key)))
    return out


def _battery_horizon_problems(site: Site) -> list[tuple[str, str]]:
    """A horizon longer than the battery's economic life with a battery: the TCO buys it once and
    does not replace it (:data:`dcplan.specs.finance.BATTERY_LIFE_YEARS`), so it refuses such a
    horizon; said here, on the site file, before any run."""
    from .specs.finance import BATTERY_LIFE_YEARS
    bat = None if site.interconnection is None else site.interconnection.battery
    h = site.finance.horizon_years
    if bat is None or h <= BATTERY_LIFE_YEARS:
        return []
    return [("finance.horizon_years", f"{h!r} years is longer than the {BATTERY_LIFE_YEARS}-year economic life of "
             f"the site's battery (interconnection.battery, {bat.energy_mwh:g} MWh), which the TCO buys once and does "
             f"not replace; allowed with a battery: at most {BATTERY_LIFE_YEARS}")]


def _coincident_peak_problems(site: Site) -> list[tuple[str, str]]:
    """``tariff.coincident_peaks`` stamps that do not exist or repeat at a DST change in the site's
    zone, or whose interval is not in its ``weather.year`` (:func:`dcplan.tariff_site.parse_peaks`:
    the site file alone, no weather or tariff file read), refused as the site loads; whether the
    tariff bills them is checked with its file (``dcplan validate``, the pipeline)."""
    from .tariff_site import parse_peaks
    return parse_peaks(site)[1]
