"""The TCO's cost defaults, ``data/costs.csv``, as the model reads them: one row per input of
:class:`dcplan.tco_input_types.TcoInputs` (:func:`load_costs`, :func:`cost_keys`, :func:`default_cost`), and
the rows that are an input's default for a site's cooling type (:data:`COOLING_DEFAULT_ROWS`, :func:`cost_row`).

The file is read and checked once per process (:mod:`dcplan.catalog_checks`). Re-exported by
:mod:`dcplan.tco_input_types` (where these lived) and :mod:`dcplan.tco_inputs`.
"""
from __future__ import annotations

from functools import lru_cache

import pandas as pd

from .errors import InputError
from .paths import data_path

__all__ = ["load_costs", "cost_keys", "default_cost", "cost_row", "COOLING_DEFAULT_ROWS", "COOLING_TYPES",
           "COST_QUANTITIES", "COOLING_TYPE_TEXT"]

#: ``data/costs.csv`` rows that are no input of their own but an input's default for a site's cooling
#: type (``cooling.type``, one for the whole plant: ``TcoInputs.cooling_type``): ``{row: (input, cooling
#: type)}``. A liquid-cooled hall's construction cost (CDUs, facility-water loop, denser electrical) is
#: not the air-cooled builds' of Cushman & Wakefield (data/SOURCES.md, costs.csv); a site's own
#: ``finance.costs.facility_usd_per_mw`` wins over either.
COOLING_DEFAULT_ROWS = {"facility_liquid_usd_per_mw": ("facility_usd_per_mw", "liquid")}
COOLING_TYPES = ("air", "liquid")

#: What each ``data/costs.csv`` input is, without the default's own particulars: the Assumptions
#: description of a value the site or caller gave (the row's description describes the default,
#: e.g. the water use of "liquid-cooled with mostly dry heat rejection", not the site's plant).
#: A row missing here takes its description up to the first parenthesis, semicolon or colon.
COST_QUANTITIES = {
    "server_usd_per_accelerator": "GPU server cost per accelerator",
    "network_usd_per_accelerator": "back-end fabric per accelerator (NICs, switches, optics, cabling)",
    "storage_usd_per_accelerator": "shared storage per accelerator",
    "facility_usd_per_mw": "construction cost per MW of critical IT",
    "facility_shell_frac": "share of facility cost that is shell and site",
    "facility_electrical_frac_of_critical": "electrical share of the critical-capacity (electrical + mechanical) "
                                            "cost; the rest is mechanical",
    "interconnection_usd_per_mw": "interconnection and substation per MW of critical IT",
    "pv_usd_per_kw_dc": "installed on-site PV cost",
    "battery_usd_per_kwh": "installed battery energy storage cost",
    "maintenance_it_frac": "IT maintenance and support, share of IT capex per year",
    "maintenance_facility_frac": "facility, interconnection and battery O&M, share of their capex per year",
    "pv_om_usd_per_kw_dc_year": "on-site PV fixed O&M per kWdc per year",
    "staff_fte_per_mw": "operations staff per MW of critical IT",
    "staff_usd_per_fte": "loaded cost per FTE",
    "network_usd_per_accelerator_year": "WAN / transit and cross-connects per accelerator",
    "wue_l_per_kwh": "water use per kWh of IT energy",
    "water_usd_per_m3": "water and sewer price",
    "insurance_frac": "property insurance, share of capex per year",
    "property_tax_frac": "property tax on original cost, share of capex per year",
    "it_refresh_years": "IT refresh cycle (server useful life)",
    "it_price_change_frac": "change per year of the price of a refresh",
    "revenue_usd_per_gpu_h": "price per accelerator-hour sold",
    "revenue_escalation_frac": "change per year of the price per GPU-hour",
    "tokens_per_s_per_accelerator": "inference throughput per accelerator",
    "discount_rate_frac": "discount rate / WACC",
    "inflation_frac": "general inflation applied to non-electricity opex",
    "electricity_escalation_frac": "electricity price escalation, separate from inflation",
    "electricity_cost_mult": "multiplier on the year-1 tariff bill",
    "tax_rate_frac": "income tax rate",
    "build_months": "construction time before operations",
    "delay_months": "slip of grid energization past the interconnection's planned dates (0 = as planned)",
}

#: The Assumptions row ``cooling_type``: what the site's cooling type does in the TCO.
COOLING_TYPE_TEXT = ("the site's cooling type (one for the whole plant): picks the facility cost default, data/costs.csv "
                     "row facility_usd_per_mw (air) or facility_liquid_usd_per_mw (liquid), and its range")


@lru_cache(maxsize=4)
def _catalog(path: str) -> pd.DataFrame:
    # checked as it is read: a maintainer's bad edit (a swapped range, a unit other than the code's, a
    # duplicate or unknown key) is refused naming file, line, key and column (dcplan.catalog_checks)
    from .catalog_checks import check_costs, read_catalog
    df = read_catalog(path)
    check_costs(df, path)
    return df.set_index("key")


@lru_cache(maxsize=8)
def _costs_table(path: str, cooling_type: str = "air") -> pd.DataFrame:
    """The inputs' rows of ``path`` with the defaults of ``cooling_type`` (:data:`COOLING_DEFAULT_ROWS`)."""
    t = _catalog(path)
    out = t.drop(index=[k for k in COOLING_DEFAULT_ROWS if k in t.index])
    for row, (key, cooling) in COOLING_DEFAULT_ROWS.items():
        if cooling == cooling_type and row in t.index:
            out.loc[key] = t.loc[row]
    return out


def cost_keys() -> list[str]:
    """The input keys of the bundled ``data/costs.csv`` (read once per process): its rows but those of
    :data:`COOLING_DEFAULT_ROWS`, which are another input's default, not an input."""
    return list(_costs_table(str(data_path("costs.csv"))).index)


def default_cost(key: str) -> float:
    """The bundled ``data/costs.csv`` value of ``key`` (read once per process; an air-cooled site's)."""
    return float(_costs_table(str(data_path("costs.csv"))).at[key, "value"])


def cost_row(key: str, cooling_type: str = "air") -> str:
    """The ``data/costs.csv`` row whose figures are input ``key``'s default for ``cooling_type``:
    ``facility_liquid_usd_per_mw`` for ``facility_usd_per_mw`` of a liquid-cooled site, else ``key``."""
    return next((row for row, kc in COOLING_DEFAULT_ROWS.items() if kc == (key, cooling_type)), key)


def load_costs(path=None, cooling_type: str = "air") -> pd.DataFrame:
    """The cost defaults table (``data/costs.csv``), indexed by input key: for a site of
    ``cooling_type`` (``TcoInputs.cooling_type``), whose row of :data:`COOLING_DEFAULT_ROWS` stands for
    its input (a liquid-cooled site's facility cost per MW is row ``facility_liquid_usd_per_mw``'s
    value, range, source, vintage and status; :func:`cost_row` names it).

    Columns: ``value, low, high, unit, description, source, vintage, status``.
    """
    if cooling_type not in COOLING_TYPES:
        raise InputError(f"unknown cooling type {cooling_type!r}; allowed: {', '.join(COOLING_TYPES)}",
                         field="cooling_type")
    return _costs_table(str(path or data_path("costs.csv")), cooling_type).copy()
