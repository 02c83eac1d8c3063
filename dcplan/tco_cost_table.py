"""The TCO's cost defaults, ``data/costs.csv``, as the model reads them: one row per input of
:class:`dcplan.tco_input_types.TcoInputs` (:func:`load_costs`, :func:`cost_keys`, :func:`default_cost`), and
the rows that are an input's default for a site's cooling type (:data:`COOLING_DEFAULT_ROWS`, :func:`cost_row`).

A row's vintage may say when its figure stops applying (costs.csv's AWS price per GPU-hour, "2024 (valid to
2025-01-01)"): :func:`expired_rows` finds the Assumptions rows whose stated validity ends before the fleet
operates, and :func:`warn_expired_rows` warns of each (the tco notebook: its report and results.json
warnings, and the export's caveat ``cost_validity``), as its status ("primary") does not say it.

The file is read and checked once per process (:mod:`dcplan.catalog_checks`). Re-exported by
:mod:`dcplan.tco_input_types` (where these lived) and :mod:`dcplan.tco_inputs`.
"""
from __future__ import annotations

import re
import warnings
from functools import lru_cache

import pandas as pd

from .errors import DcplanWarning, InputError
from .paths import data_path, doc_ref

__all__ = ["load_costs", "cost_keys", "default_cost", "cost_row", "COOLING_DEFAULT_ROWS", "COOLING_TYPES",
           "COST_QUANTITIES", "COOLING_TYPE_TEXT", "expired_rows", "expired_row_message", "warn_expired_rows",
           "EXPIRY_HINTS", "h100_price_range_text"]

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
#: A row missing here takes its description up to the first parenthesis, semicolon or colon. The text up to the
#: first parenthesis or semicolon is the input's name on a chart (:func:`dcplan.tco_labels.input_label`).
COST_QUANTITIES = {
    "server_usd_per_accelerator": "GPU server cost per accelerator",
    "network_usd_per_accelerator": "back-end fabric per accelerator (switches, optics, cabling; the NICs are "
                                   "in the server price)",
    "storage_usd_per_accelerator": "shared storage per accelerator",
    "facility_usd_per_mw": "construction cost per MW of critical IT",
    "facility_shell_frac": "share of facility cost that is shell and site",
    "facility_electrical_frac_of_critical": "electrical share of the critical-capacity cost (electrical + "
                                            "mechanical; the rest is mechanical)",
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
    "water_usd_per_m3": "water supply price, on all cooling-tower make-up water",
    "sewer_usd_per_m3": "sewer price, on the make-up water billed for sewer (sewer_billed_frac)",
    "insurance_frac": "property insurance, share of capex per year",
    "property_tax_frac": "property tax on original cost, share of capex per year",
    "it_refresh_years": "IT refresh cycle (server useful life)",
    "it_price_change_frac": "change per year of the price of a refresh",
    "revenue_usd_per_gpu_h": "price per GPU-hour sold",
    "revenue_escalation_frac": "change per year of the price per GPU-hour",
    "tokens_per_s_per_accelerator": "inference throughput per accelerator",
    "discount_rate_frac": "discount rate / WACC, nominal and after tax (as the NPV's cash flows), annual effective",
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
    # the status of the row's low/high (its tornado and Monte Carlo range): blank or absent = the value's status
    rs = df["range_status"] if "range_status" in df.columns else pd.Series(pd.NA, index=df.index)
    df["range_status"] = [str(r).strip() if isinstance(r, str) and r.strip() else str(st).strip()
                          for r, st in zip(rs, df["status"])]
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

    Columns: ``value, low, high, unit, description, source, vintage, status, range_status``
    (``range_status``: the status of ``low``/``high`` where their source is weaker than the value's, e.g. the
    price per GPU-hour's unverified 1.99-6.98 around a primary AWS price; a blank cell, or a file without
    the column, takes ``status``).
    """
    if cooling_type not in COOLING_TYPES:
        raise InputError(f"unknown cooling type {cooling_type!r}; allowed: {', '.join(COOLING_TYPES)}",
                         field="cooling_type")
    return _costs_table(str(path or data_path("costs.csv")), cooling_type).copy()


#: A stated end of validity in a vintage: "valid to / until / till / through 2025-01-01" or "expires 2025-01"
#: (an ISO date, month or year), as data/SOURCES.md writes it.
_VALID_TO = re.compile(r"\b(?:valid\s+(?:to|until|till|through|thru)|expir(?:es|ed|y|ing)?)\s*:?\s*"
                       r"(\d{4}(?:-\d{2}){0,2})\b", re.IGNORECASE)

#: What is known of a row's figure since it expired, by input key (the warning adds it). ``{price_range}``: the
#: price per GPU-hour's range the tornado and Monte Carlo swing (:func:`expired_row_message`).
EXPIRY_HINTS = {
    "revenue_usd_per_gpu_h": (
        f"{doc_ref('reference-data.md', 's.7')} records price cuts in 2025: AWS's P5 (H100) on-demand prices cut "
        "by up to ~44-45 % "
        "(Jun 2025, secondary), and H100 on-demand prices of 1.49-6.98 USD/GPU-h after them (AWS ~3.90; Mar 2026, "
        "unverified), so this rate likely overstates the revenue; the tornado and Monte Carlo range ({price_range}) "
        "and the low-price scenario (1.99) show the effect of a lower price. The base case also holds the price "
        "flat for the whole horizon (revenue_escalation_frac 0, the top of data/costs.csv's range, -0.15 to 0 a "
        "year, though prices fell in 2025): the low-price scenario's -10 %/yr and the tornado's escalation bar show "
        "a falling price"),
}


def _valid_to(vintage) -> tuple[str, pd.Timestamp] | None:
    """``(as written, the first day after it)`` of a vintage's stated end of validity, or None. A date is
    the last day it is valid: "valid to 2025-01-01" (AWS's "valid to 1 Jan 2025") is valid through that day,
    from 2025-01-02 no more; a month or a year is valid to its end."""
    m = _VALID_TO.search(str(vintage or ""))
    if m is None:
        return None
    text = m.group(1)
    freq = {4: "Y", 7: "M", 10: "D"}.get(len(text))
    try:
        return text, pd.Period(text, freq=freq).end_time.normalize() + pd.Timedelta(days=1)
    except (ValueError, TypeError):
        return None


def expired_rows(assumptions: pd.DataFrame, fleet_start) -> list[dict]:
    """The rows of an Assumptions table (``TcoResult.assumptions``: key, value, unit, description, source,
    vintage, status) whose vintage states an end of validity on or before the fleet's start
    (``TcoInputs.fleet_start``, the first month of operations on the plan), each ``{key, value, unit, status,
    source, vintage, valid_to, fleet_start, months}`` (``months``: whole months from the end of validity to
    the fleet's start). An undated case (``fleet_start`` None) has none.

    >>> a = pd.DataFrame([("revenue_usd_per_gpu_h", 4.916, "USD/GPU-h", "", "AWS", "2024 (valid to 2025-01-01)/2026-03",
    ...                    "primary")], columns=["key", "value", "unit", "description", "source", "vintage", "status"])
    >>> [(r["key"], r["valid_to"], str(r["fleet_start"]), r["months"]) for r in expired_rows(a, "2026-10")]
    [('revenue_usd_per_gpu_h', '2025-01-01', '2026-10', 21)]
    >>> expired_rows(a, "2024-12")
    []
    """
    if fleet_start is None:
        return []
    fs = pd.Period(fleet_start, freq="M")
    out = []
    for row in assumptions.itertuples(index=False):
        end = _valid_to(getattr(row, "vintage", ""))
        if end is None or end[1] > fs.start_time:    # still valid on the fleet's first day
            continue
        last = pd.Period(end[1] - pd.Timedelta(days=1), freq="M")    # the month of its last valid day
        out.append({"key": row.key, "value": row.value, "unit": row.unit, "status": row.status,
                    "source": row.source, "vintage": row.vintage, "valid_to": end[0], "fleet_start": fs,
                    "months": (fs - last).n})
    return out


def h100_price_range_text() -> str:
    """The price range :data:`EXPIRY_HINTS` names when the caller does not give the one swung: data/costs.csv's
    row, the H100's, before any scaling to a fleet's own price."""
    row = load_costs().loc["revenue_usd_per_gpu_h"]
    return (f"data/costs.csv's H100 range, {float(row['low']):g}-{float(row['high']):g}, before any scaling to the "
            "fleet's own price: dcplan.tco_ranges.default_ranges")


def expired_row_message(r: dict, price_range: str | None = None) -> str:
    """The warning of one row of :func:`expired_rows`: the row, its stated end of validity, the fleet's start,
    what is known since (:data:`EXPIRY_HINTS`; ``price_range``: the price per GPU-hour's range the tornado and
    Monte Carlo swing, in words, :func:`dcplan.tco_ranges.price_range_text`; default
    :func:`h100_price_range_text`) and what to do."""
    hint = EXPIRY_HINTS.get(r["key"])
    hint = hint and hint.replace("{price_range}", price_range or h100_price_range_text())
    return (f"TCO costs: {r['key']} = {r['value']:g} {r['unit']} (status {r['status']}, vintage {r['vintage']!r}: "
            f"the Assumptions row gives its source) is stated valid to {r['valid_to']}, but the fleet operates from "
            f"{r['fleet_start']}, {r['months']} months later: the figure had expired before operations start, "
            f"whatever its status says" + (f"; {hint}" if hint else "") + f". Check it against current figures and "
            f"set finance.{'costs.' if r['key'] != 'revenue_usd_per_gpu_h' else ''}{r['key']} in the site file "
            "with its source.")


def warn_expired_rows(assumptions: pd.DataFrame, fleet_start, price_range: str | None = None) -> str:
    """Warn (:class:`~dcplan.errors.DcplanWarning`) of each row of :func:`expired_rows`, and return their
    messages in one text (``""`` for none): the tco notebook's caveat ``cost_validity``. ``price_range``: as
    :func:`expired_row_message`."""
    msgs = [expired_row_message(r, price_range) for r in expired_rows(assumptions, fleet_start)]
    for m in msgs:
        warnings.warn(m, DcplanWarning, stacklevel=2)
    return " ".join(msgs)
