"""Read one OpenEI Utility Rate Database (URDB, API v8) rate item into :class:`~dcplan.tariff.Tariff`.

Field meanings follow the URDB API documentation [1]_. Every supported field is
validated here, once; the billing engine trusts what it gets. Fields that change a
bill but are not modelled (kWh/kW-scaled tiers, kVA or hp demand units, reactive
power charges, ...) raise :class:`~dcplan.errors.InputError` naming the field
unless the caller lists them in ``ignore``; demand units (``demandunits``,
``demandrateunit`` = SAM's DemandRateUnit, ``flatdemandunit``,
``coincidentrateunit``) must be kW. Conflicting fields are refused rather than one
silently winning (``fixedmonthlycharge`` with ``fixedchargefirstmeter``,
``annualmincharge`` with a ``$/year`` ``mincharge``, a ``lookbackRange`` > 0 or a
flagged ``lookbackMonths`` without ``lookbackPercent``). Descriptive fields (label, utility, description,
comments, ...) are kept as metadata; a ``startdate`` must be a date (epoch seconds or ISO). Extension keys:
``dcplan_rtp_price_file`` (a real-time price CSV), ``dcplan_holidays`` (holiday date rules billed on the
weekend schedules, :mod:`dcplan.tariff_holidays`), ``currency`` ("USD" only: every price is read as USD).
Exports are not billed: an item that credits them (``usenetmetering`` true, a ``dgrules`` of net metering,
net billing or buy-all/sell-all, a nonzero tier ``sell`` rate) is read with a :class:`~dcplan.errors.DcplanWarning`,
as is one whose ``country`` is not the USA (its prices billed as USD): :func:`dcplan.tariff_lint.load_notes`.
URDB's bulk CSV export (a column per period and tier, ``energyratestructure/period0/tier0rate``), as a file or
as the keys of an item, is refused in one error that names the form and how to download the item's JSON.
The rate structures (tiers), 12 x 24 schedules and monthly vectors are read by
:mod:`dcplan.tariff_urdb_structures`, whose names this module re-exports.

References
----------
.. [1] OpenEI, "Utility Rate Database API, version 8",
   https://openei.org/services/doc/rest/util_rates/?version=8 (field list and units).
"""
from __future__ import annotations

import json
import math
import re
import warnings
from pathlib import Path
from typing import Any

import numpy as np

from ._ts import did_you_mean, unknown_key_message
from .errors import DcplanWarning, InputError, user_stacklevel
from .tariff_checks import check_item_fields
from .tariff_lint import load_notes
from .tariff_prices import _duration, read_price_csv  # noqa: F401  (re-exported: the reader lived here)
# rate structures, schedules and monthly vectors (re-exported: dcplan.validate, dcplan.tariff_checks and
# dcplan bill's messages name them here)
from .tariff_urdb_structures import (_TIER_KEYS, NEGATIVE_ENERGY_HINT, _err, _months_vector, _num,  # noqa: F401
                                     _unit_label, one_based_hint, parse_schedule, parse_tiers)

#: Fields that drive the bill and are modelled.
SUPPORTED = {
    "energyratestructure", "energyweekdayschedule", "energyweekendschedule",
    "demandratestructure", "demandweekdayschedule", "demandweekendschedule",
    "flatdemandstructure", "flatdemandmonths", "flatdemandunit", "demandunits",
    "coincidentratestructure", "coincidentrateschedule", "coincidentrateunit",
    "fixedchargefirstmeter", "fixedchargeunits", "mincharge", "minchargeunits",
    "demandratchetpercentage", "lookbackmonths", "lookbackpercent", "lookbackrange",
    "demandwindow", "fueladjustmentsmonthly", "demandreactivepowercharge",
    "dcplan_rtp_price_file", "fixedmonthlycharge", "annualmincharge", "demandrateunit",
    "dcplan_holidays", "minmonthlycharge", "coincidentschedule",
}
#: Descriptive or export-only fields, kept as metadata and not billed.
METADATA = {
    "label", "utility", "utilityname", "eiaid", "name", "startdate", "enddate", "supercedes",
    "sector", "servicetype", "description", "source", "sourceparent", "uri", "approved",
    "is_default", "isdefault", "country", "latest_update", "revisions", "voltagecategory",
    "phasewiring", "peakkwcapacitymin", "peakkwcapacitymax", "peakkwcapacityhistory",
    "peakkwhusagemin", "peakkwhusagemax", "peakkwhusagehistory", "voltageminimum",
    "voltagemaximum", "basicinformationcomments", "energycomments", "demandcomments",
    "energyattrs", "demandattrs", "fixedattrs", "dgrules", "fixedchargeeaaddl",
    "energyrateunits", "_comment", "comment", "notes", "utility_id",
    "ratename", "is_approved", "dgrules_comments", "currency",  # (currency: "USD" only, tariff_checks)
    # URDB record metadata that does not change a load-only bill: the record id, the spelling
    # "supersedes", and the net-metering switch (exports, like sell rates, are not billed here;
    # an item that credits them warns: tariff_checks.export_credit_message)
    "_id", "supersedes", "usenetmetering",
    # dcplan extension: what a startdate is when it is not the schedule's own effective date
    # (an assumed date), said beside it in a run's provenance (dcplan.report_fingerprint)
    "dcplan_startdate_note",
    # dcplan extension: the status of the item's prices (dcplan.input_status.check_price_status)
    "dcplan_price_status",
    # dcplan extension: a rate case filed and not decided (dcplan.tariff_pending), said in the reports
    "dcplan_pending_rate_change",
    # dcplan extension: what the rate stands in for when a load is outside peakkwcapacitymin/max, said beside
    # the applicability note (dcplan.tariff_applicability)
    "dcplan_applicability_note",
}
#: The fields that bill a charge (one of them, or a real-time price file, must be given).
_CHARGE_FIELDS = ("energyratestructure", "demandratestructure", "flatdemandstructure", "coincidentratestructure",
                  "fixedchargefirstmeter", "fixedmonthlycharge", "mincharge", "annualmincharge", "minmonthlycharge")


def ignore_hint(name: str, what: str) -> str:
    """How to leave ``name`` out, in both spellings: the Python keyword and ``dcplan bill``'s option
    (``dcplan validate`` prints these messages too, so neither spelling alone fits every reader)."""
    return f" ({what}: ignore=['{name}'] in Python, --ignore {name} with dcplan bill)"


#: Allowed demand windows [min]: URDB's ``demandwindow`` is minutes (API v8 field list, [1]_);
#: billing-demand windows are 5-60 min in practice, a day is the longest accepted.
DEMAND_WINDOW_MAX_MIN = 1440.0
_MONTH_NAMES = ("January", "February", "March", "April", "May", "June", "July", "August", "September",
                "October", "November", "December")


def _unique_pairs(pairs: list) -> dict:
    """JSON object hook: a key given twice is an error (``json`` keeps the last silently)."""
    out = {}
    for k, v in pairs:
        if k in out:
            raise InputError(f"key {k!r} is given twice in one object; keep one", field=str(k))
        out[k] = v
    return out


def _bundled_hint(name) -> str:
    """:func:`dcplan.paths.bundled_hint`: for a relative tariff name found nowhere that the bundled data holds
    (``tariffs/x.json``: render's ``-p tariff_file`` finds it under data/, ``dcplan bill --tariff`` only as
    ``data/tariffs/x.json``), how to name the bundled copy; else ""."""
    from .paths import bundled_hint
    return bundled_hint(name)


def load_item(path_or_dict: Any, label: str | None = None) -> tuple[dict, str | None]:
    """Return ``(item, file)`` from a path, a bare URDB item or an ``{"items": [...]}`` dict."""
    file = None
    if isinstance(path_or_dict, (str, Path)):
        from .paths import input_path
        # "data/tariffs/x.json" from outside a checkout's root: the bundled copy, as the CLI finds it
        file = str(input_path(path_or_dict))
        try:
            data = json.loads(Path(file).read_text(), object_pairs_hook=_unique_pairs)
        except InputError as exc:
            raise InputError(exc.detail, file=file, field=exc.field) from None
        except FileNotFoundError:
            where = Path(file).resolve()
            raise InputError(f"tariff file not found (looked for {where}){_bundled_hint(path_or_dict)}",
                             file=file) from None
        except json.JSONDecodeError as exc:
            raise InputError(f"not valid JSON: {exc}" + _bulk_csv_hint(file), file=file) from None
        except (OSError, UnicodeDecodeError) as exc:  # a folder, unreadable, or not text
            raise InputError(f"cannot read tariff file: {exc}", file=file) from None
    elif isinstance(path_or_dict, dict):
        data = path_or_dict
    else:
        raise InputError(f"need a path or a dict, got {type(path_or_dict).__name__}",
                         field="path_or_dict")
    if not isinstance(data, dict):
        raise InputError(f"top level must be a JSON object, got {type(data).__name__}", file=file)
    if "items" in data:
        items = data["items"]
        if not isinstance(items, list) or not items:
            raise _err("must be a non-empty list of rate items", "items", file)
        for i, it in enumerate(items):  # (dcplan validate says the same)
            if not isinstance(it, dict):
                raise _err(f"a rate item must be a JSON object, got {type(it).__name__} {it!r:.40}",
                           f"items[{i}]", file)
        labels = [str(it.get("label", f"#{i}")) for i, it in enumerate(items)]
        if label is None:
            if len(items) > 1:
                raise _err(f"{len(items)} rate items; pick one with label=, one of: "
                           + ", ".join(labels), "items", file)
            return items[0], file
        if label not in labels:
            raise _err(f"no item with label {label!r}{did_you_mean(label, labels)}; "
                       f"labels: {', '.join(labels)}", "label", file)
        if labels.count(label) > 1:  # which one is meant cannot be told: never pick one silently
            at = [i for i, lb in enumerate(labels) if lb == label]
            raise _err(f"{len(at)} items have label {label!r} (items {', '.join(map(str, at))}); give each "
                       "item its own label", "label", file)
        return items[labels.index(label)], file
    if label is not None and data.get("label") not in (None, label):
        raise _err(f"item has label {data.get('label')!r}, not {label!r}", "label", file)
    return data, file


#: A rate-structure column of URDB's bulk CSV export (``energyratestructure/period0/tier0rate``).
_FLAT_KEY = re.compile(r"(energy|demand|flatdemand|coincident)ratestructure/period\d+/tier\d+\w*|"
                       r"flatdemandstructure/period\d+/tier\d+\w*")
#: What to do with a bulk-export row: read one rate item of the API's JSON form instead.
_FLAT_FIX = ("dcplan reads a rate item in the URDB API's JSON form, whose rate structures are nested lists "
             "(\"energyratestructure\": [[{\"max\": ..., \"rate\": ...}]]), not one column per period and tier. "
             "Download the item as JSON (https://api.openei.org/utility_rates?version=8&format=json&detail=full"
             "&getpage=LABEL&api_key=KEY, LABEL being the row's label) and bill that file")


def bulk_csv_message(file) -> str:
    """``the file is URDB's bulk CSV export ...`` and what to read instead, for a file whose first line names
    its columns as URDB's bulk CSV export does (``label`` ... ``energyratestructure/period0/tier0rate``; not a
    JSON object or list, whose flattened keys :func:`parse_item` refuses); else "". ``dcplan bill`` says it of
    a ``--tariff`` that is no JSON, ``dcplan validate`` of any such file (it would be checked as a load CSV)."""
    try:
        with open(file, encoding="utf-8-sig", errors="replace") as fh:
            head = fh.readline(2_000_000).lower()
    except OSError:
        return ""
    if head.lstrip()[:1] in ("{", "[") or "label" not in head or not _FLAT_KEY.search(head):
        return ""
    return ("the file is URDB's bulk CSV export (a header of columns such as "
            "energyratestructure/period0/tier0rate): " + _FLAT_FIX)


def _bulk_csv_hint(file) -> str:
    """``; `` + :func:`bulk_csv_message`, or :func:`not_json_message`'s what the file is and what is allowed."""
    msg = bulk_csv_message(file) or not_json_message(file)
    return "; " + msg if msg else ""


#: What a tariff file may be, said when it is not JSON at all (data/tariffs/README.md).
TARIFF_ALLOWED = ("allowed: a URDB-format JSON tariff, one rate item or {\"items\": [...]} as the OpenEI URDB API "
                  "serves it (data/tariffs/README.md; the bundled data/tariffs/*.json)")


def not_json_message(file) -> str:
    """For a tariff file that is not JSON at all (its first character neither ``{`` nor ``[``): what it looks
    like (a weather file, by :func:`dcplan.weather_header.first_line_kind`; a YAML file, a site's or a
    portfolio's) and :data:`TARIFF_ALLOWED`; "" for a file that starts as JSON (its own error says where it
    breaks) or cannot be read."""
    try:
        with open(file, encoding="utf-8-sig", errors="replace") as fh:
            head = fh.read(20_000)
    except OSError:
        return ""
    text = head.lstrip()
    if text[:1] in ("{", "["):
        return ""
    from .weather_header import first_line_kind
    kind = first_line_kind(text.split("\n", 1)[0].strip()) if text else None
    if kind:
        what = f"it is a weather file ({kind.upper()} by its first line), which belongs in a site's weather.file; "
    elif re.search(r"^(sites|latitude|weather|fleet|name)\s*:", head, re.M):
        what = "it is YAML (a site or portfolio file?), not a tariff; "
    else:
        what = ""
    return what + TARIFF_ALLOWED


def _charge_unit(low: dict, key: str, allowed: dict, file) -> str:
    """A fixed/minimum charge unit ($/month default), or an error naming ``key``."""
    u = low[key][1] if key in low else "$/month"
    if not isinstance(u, str) or u not in allowed:
        raise _err(f"unknown unit {u!r}{did_you_mean(str(u), allowed)}; allowed: " + ", ".join(allowed),
                   key, file)
    return u


def parse_item(item: dict, file: str | None = None, *, ignore=(),
               allow_negative_energy: bool = False) -> dict:
    """Validate a URDB item and return keyword arguments for :class:`Tariff`."""
    ignore = set(ignore)
    low = {}
    for k, v in item.items():
        lk = k.lower()
        if lk in low:
            raise _err(f"key given twice (case-insensitive): {k!r}", k, file)
        low[lk] = (k, v)
    known = SUPPORTED | METADATA
    flat_keys = [k for lk, (k, _) in low.items() if _FLAT_KEY.match(lk) and k not in ignore]
    if flat_keys:  # URDB's bulk CSV export, its columns made keys: every rate would be unknown, one by one
        raise _err(f"{len(flat_keys)} keys in the flattened form of URDB's bulk CSV export (e.g. {flat_keys[0]!r}); "
                   + _FLAT_FIX, flat_keys[0], file)
    for lk, (k, _) in low.items():
        if lk not in known and k not in ignore:
            raise _err(unknown_key_message(k, sorted(known)) + ignore_hint(k, "to skip it"), k, file)
    check_item_fields(low, file, ignore)  # a currency other than USD, a startdate that is no date
    # an ignore entry must name something of the item (a key, or a structure's tier unit):
    # a typo would otherwise ignore nothing, silently
    keys = {k for k, _ in low.values()}
    for name in sorted(ignore):
        # a key (as spelled in the file), or a rate structure's tier unit: STRUCTURE.unit or
        # STRUCTURE[period][tier].unit, the structure in any case (errors spell it lower case)
        m = re.fullmatch(r"(.+?)(?:\[\d+\]\[\d+\])?\.unit", name)
        if name not in keys and not (m and m.group(1).lower() in low):
            raise _err(f"ignore names {name!r}, which is not in this tariff item"
                       f"{did_you_mean(name, sorted(keys))}; allowed: a key of the item, or "
                       "STRUCTURE.unit for a rate structure's tier unit", "ignore", file)

    def has(name):
        return name in low and low[name][0] not in ignore and low[name][1] is not None

    def get(name):
        return low[name][1]

    out: dict[str, Any] = {}
    meta = {low[m][0]: low[m][1] for m in METADATA if m in low}
    if "dcplan_price_status" in low:  # "estimate", "secondary, partly estimated (...)": a clear error otherwise
        from .input_status import check_price_status
        check_price_status(low["dcplan_price_status"][1], file)
    if "dcplan_pending_rate_change" in low:  # summary, source, effective_earliest, change_frac_high: checked here
        from .tariff_pending import check_pending_change
        check_pending_change(low["dcplan_pending_rate_change"][1], file)
    if "dcplan_applicability_note" in low and not isinstance(low["dcplan_applicability_note"][1], str):
        raise _err(f"got {low['dcplan_applicability_note'][1]!r:.80}; allowed: a text", "dcplan_applicability_note",
                   file)
    out["metadata"] = meta
    from .tariff_overrides import ignore_group_hint, ignored_key_note  # (notes: metadata["ignored"], Bill.notes)
    ignored = [ignored_key_note(k, v, k.lower() in known) for k, v in item.items() if k in ignore]
    from .tariff_applicability import attrs_notes  # fixedattrs etc.: extra charges not billed, said
    ignored += attrs_notes({k: v for k, v in item.items() if k not in ignore})
    # a charge given as null is read as not given (as every null field), which the bill's notes say: a null
    # fixedchargefirstmeter billed 0 USD unsaid (a CLI tester's finding)
    ignored += [f"{low[k][0]}: null in the file, read as not given: no such charge is billed"
                for k in _CHARGE_FIELDS if k in low and low[k][1] is None and low[k][0] not in ignore]
    out["name"] = str(meta.get("label") or meta.get("name") or (Path(file).stem if file else "urdb"))

    # ---- unsupported features that change the bill
    from .tariff_tier_units import daily_demand, daily_demand_message, scaled_message
    # demandrateunit is SAM's DemandRateUnit (kW, kVA, hp): a unit of the billed demand
    for unit_field in ("demandunits", "demandrateunit", "flatdemandunit", "coincidentrateunit"):
        if has(unit_field) and daily_demand(get(unit_field)):  # billed per day: no ignore hint (~30 x)
            raise _err(daily_demand_message(get(unit_field)), low[unit_field][0], file)
        if has(unit_field) and scaled_message(get(unit_field), "demand"):  # MW: the conversion, no ignore hint
            raise _err(f"demand unit {get(unit_field)!r} is not supported (only kW)"
                       + scaled_message(get(unit_field), "demand"), low[unit_field][0], file)
        if has(unit_field) and str(get(unit_field)).strip().lower() != "kw":
            raise _err(f"demand unit {get(unit_field)!r} is not supported (only kW)"
                       + ignore_hint(low[unit_field][0], "to bill it as kW"), low[unit_field][0], file)
    if has("demandreactivepowercharge") and _num(get("demandreactivepowercharge"),
                                                 "demandreactivepowercharge", file) != 0:
        name = low["demandreactivepowercharge"][0]
        raise _err("reactive-power (kVAR) charges are not supported"
                   + ignore_hint(name, "to leave them out of the bill"), name, file)

    # SAM's reader (and older URDB records) name the coincident schedule coincidentschedule
    if has("coincidentschedule"):
        if has("coincidentrateschedule"):
            raise _err("both coincidentschedule and coincidentrateschedule are set; keep one (the same "
                       "field under SAM's and URDB v8's names)", low["coincidentschedule"][0], file)
        low["coincidentrateschedule"] = low.pop("coincidentschedule")
    # ---- companions without their structure would be silently unused: refuse them
    for comp, main in (("energyweekdayschedule", "energyratestructure"),
                       ("energyweekendschedule", "energyratestructure"),
                       ("demandweekdayschedule", "demandratestructure"),
                       ("demandweekendschedule", "demandratestructure"),
                       ("flatdemandmonths", "flatdemandstructure"),
                       ("coincidentrateschedule", "coincidentratestructure")):
        if has(comp) and not has(main):
            raise _err(f"given without {main}; add the rates or remove it" + ignore_group_hint(main, low, ignore),
                       low[comp][0], file)
    billable = _CHARGE_FIELDS + ("dcplan_rtp_price_file",)
    if not any(has(b) for b in billable):
        raise _err("no charges found; need at least one of " + ", ".join(billable), "item", file)

    # ---- energy
    if has("energyratestructure"):
        rate, upper, unit = parse_tiers(get("energyratestructure"), "energyratestructure", file,
                                        kind="energy", allow_negative=allow_negative_energy,
                                        ignore=ignore, notes=ignored)
        n = rate.shape[0]
        for f in ("energyweekdayschedule", "energyweekendschedule"):
            if not has(f):
                raise _err("missing; needed with energyratestructure", f, file)
        out["energy_rate"], out["energy_upper"] = rate, upper
        out["energy_tier_unit"] = unit
        out["energy_weekday"] = parse_schedule(get("energyweekdayschedule"), "energyweekdayschedule",
                                               file, n, "energyratestructure")
        out["energy_weekend"] = parse_schedule(get("energyweekendschedule"), "energyweekendschedule",
                                               file, n, "energyratestructure")
        from .tariff_lint import mixed_tier_bounds_note  # tiers that differ by period in a month: said in the bill
        mixed = mixed_tier_bounds_note(upper, out["energy_weekday"], out["energy_weekend"],
                                       low["energyratestructure"][0], unit)
        if mixed:
            ignored.append(mixed)
    if has("fueladjustmentsmonthly"):
        f_fuel = low["fueladjustmentsmonthly"][0]
        out["fuel_adj_usd_per_kwh"] = _months_vector(get("fueladjustmentsmonthly"), f_fuel, file, kind="num")
        # the same rule as a tier's rate + adj: no negative energy price (a real-time price file
        # sets the price itself, read later; its prices may be negative anyway)
        if not allow_negative_energy and not has("dcplan_rtp_price_file"):
            _refuse_negative_fuel(out["fuel_adj_usd_per_kwh"], out, f_fuel, file)
    # ---- TOU demand
    if has("demandratestructure"):
        rate, upper, _ = parse_tiers(get("demandratestructure"), "demandratestructure", file,
                                     kind="demand", ignore=ignore, notes=ignored)
        n = rate.shape[0]
        for f in ("demandweekdayschedule", "demandweekendschedule"):
            if not has(f):
                raise _err("missing; needed with demandratestructure", f, file)
        out["demand_rate"], out["demand_upper"] = rate, upper
        out["demand_weekday"] = parse_schedule(get("demandweekdayschedule"), "demandweekdayschedule",
                                               file, n, "demandratestructure")
        out["demand_weekend"] = parse_schedule(get("demandweekendschedule"), "demandweekendschedule",
                                               file, n, "demandratestructure")
    # ---- flat demand
    if has("flatdemandstructure"):
        rate, upper, _ = parse_tiers(get("flatdemandstructure"), "flatdemandstructure", file,
                                     kind="demand", ignore=ignore, notes=ignored)
        if not has("flatdemandmonths"):
            raise _err("missing; needed with flatdemandstructure", "flatdemandmonths", file)
        out["flat_rate"], out["flat_upper"] = rate, upper
        out["flat_months"] = _months_vector(get("flatdemandmonths"), "flatdemandmonths", file,
                                            kind="period", n_periods=rate.shape[0])
    # ---- coincident peak
    if has("coincidentratestructure"):
        rate, upper, _ = parse_tiers(get("coincidentratestructure"), "coincidentratestructure",
                                     file, kind="demand", ignore=ignore, notes=ignored)
        if not has("coincidentrateschedule"):
            raise _err("missing; needed with coincidentratestructure", "coincidentrateschedule", file)
        out["coincident_rate"], out["coincident_upper"] = rate, upper
        out["coincident_schedule"] = parse_schedule(get("coincidentrateschedule"), low["coincidentrateschedule"][0],
                                                    file, rate.shape[0], "coincidentratestructure")
    # ---- fixed and minimum charges
    # $/day charges are kept per day and billed x the days of each billing month (28-31, the days the load
    # covers in a part month: dcplan.tariff_bill), as a utility bills them; not x 365/12 (SAM's 30.42 d)
    per_month = {"$/month": 1.0, "$/day": None, "$/year": 1.0 / 12.0}
    if has("fixedchargefirstmeter"):
        v = _num(get("fixedchargefirstmeter"), "fixedchargefirstmeter", file, min_value=0.0)
        u = _charge_unit(low, "fixedchargeunits", per_month, file)
        if u == "$/day":
            out["fixed_usd_per_day"] = v
        else:
            out["fixed_usd_per_month"] = v * per_month[u]
    if has("fixedmonthlycharge"):  # older URDB field, $/month
        v = _num(get("fixedmonthlycharge"), "fixedmonthlycharge", file, min_value=0.0)
        if v and (out.get("fixed_usd_per_month") or out.get("fixed_usd_per_day")):
            raise _err("both fixedmonthlycharge and fixedchargefirstmeter are set; keep one",
                       "fixedmonthlycharge", file)
        out["fixed_usd_per_month"] = out.get("fixed_usd_per_month", 0.0) + v
    if has("minmonthlycharge"):  # older URDB field, $/month (REopt's reader: a monthly minimum)
        out["min_usd_per_month"] = _num(get("minmonthlycharge"), low["minmonthlycharge"][0], file, min_value=0.0)
    if has("annualmincharge"):  # older URDB field, $/year
        out["min_usd_per_year"] = _num(get("annualmincharge"), "annualmincharge", file, min_value=0.0)
    if has("mincharge"):
        v = _num(get("mincharge"), "mincharge", file, min_value=0.0)
        u = _charge_unit(low, "minchargeunits", per_month, file)
        if v and "minchargeunits" not in low:  # URDB always gives both: a bare one is read as $/month, said
            ignored.append(f"{low['mincharge'][0]} {v:,.2f} without minchargeunits: read as $/month (URDB gives "
                           "both; set minchargeunits to \"$/day\" or \"$/year\" if the minimum is per day or year)")
        if u == "$/year":
            if v and out.get("min_usd_per_year"):
                raise _err(f"both annualmincharge ({out['min_usd_per_year']:g}) and mincharge in $/year "
                           f"({v:g}) are set; keep one", low["mincharge"][0], file)
            out["min_usd_per_year"] = v
        else:
            if v and out.get("min_usd_per_month"):
                raise _err(f"both minmonthlycharge ({out['min_usd_per_month']:g}) and mincharge in {u} ({v:g}) "
                           "are set; keep one", low["mincharge"][0], file)
            if u == "$/day":
                out["min_usd_per_day"] = v
            else:
                out["min_usd_per_month"] = v
    # ---- ratchets
    pct = np.zeros(12)
    lookback = 0
    if has("demandratchetpercentage"):
        pct = _months_vector(get("demandratchetpercentage"), "demandratchetpercentage", file, kind="num")
        if (pct < 0).any() or (pct > 1.0 + 1e-12).any():
            raise _err(f"fractions must be in [0, 1], got {pct.tolist()}",
                       low["demandratchetpercentage"][0], file)
        lookback = 11 if pct.any() else 0
    months_mask = np.ones(12, dtype=bool)
    for orphan in ("lookbackrange", "lookbackmonths"):
        if has(orphan) and not has("lookbackpercent"):
            v = get(orphan)
            # values that ask for no lookback (range 0, no month flagged) change nothing
            inert = (v in (0, 0.0, None) if orphan == "lookbackrange"
                     else isinstance(v, list) and not any(x is True for x in v))
            if not inert:
                raise _err("given without lookbackPercent, so it would not be billed; add lookbackPercent or remove "
                           "it" + ignore_group_hint("lookbackpercent", low, ignore), low[orphan][0], file)
    if has("lookbackpercent"):
        lp = _num(get("lookbackpercent"), low["lookbackpercent"][0], file, min_value=0.0)
        if lp > 1.0:
            raise _err(f"must be a fraction in [0, 1], got {lp}", low["lookbackpercent"][0], file)
        lr = 0
        if has("lookbackrange"):
            f_lr = low["lookbackrange"][0]
            v = _num(get("lookbackrange"), f_lr, file, min_value=0.0)
            if v != int(v):
                raise _err(f"must be a whole number of months 0..12, got {get('lookbackrange')!r}", f_lr, file)
            lr = int(v)
        if lr > 12:
            raise _err(f"must be 0..12 months, got {lr}", low["lookbackrange"][0], file)
        if has("lookbackmonths"):
            months_mask = _months_vector(get("lookbackmonths"), low["lookbackmonths"][0], file, kind="bool")
            if lr > 0 and months_mask.any() and not months_mask.all():
                # URDB: lookbackRange is 0 when month flags are used; both would be two ratchets
                raise _err(f"lookbackRange {lr} and lookbackMonths {months_mask.astype(int).tolist()} are "
                           "both set; URDB uses one: lookbackRange 0 with month flags, or a range with "
                           "no (or all) months flagged", low["lookbackmonths"][0], file)
        if lp > 0:
            if pct.any():
                raise _err("both demandratchetpercentage and lookbackPercent set; keep one",
                           low["lookbackpercent"][0], file)
            if lr == 0 and not months_mask.any():
                raise _err("lookbackPercent needs lookbackRange > 0 or some lookbackMonths true",
                           low["lookbackpercent"][0], file)
            pct = np.full(12, lp)
            lookback = lr if lr > 0 else 11
            if lr > 0:
                months_mask = np.ones(12, dtype=bool)
            else:  # the flags' reading, and how SAM's converter differs: said in every bill
                from .tariff_lint import lookback_months_note
                ignored.append(lookback_months_note(months_mask, low["lookbackmonths"][0]))
    if pct.any():
        if not (has("flatdemandstructure") or has("demandratestructure")):
            f_r = low["demandratchetpercentage" if has("demandratchetpercentage") else "lookbackpercent"][0]
            raise _err("given without flatdemandstructure or demandratestructure: a ratchet sets a demand "
                       "charge's billing demand, so it would not be billed; add the demand charge or remove it",
                       f_r, file)
        out["ratchet_frac"] = pct
        out["ratchet_lookback_months"] = lookback
        out["ratchet_months_mask"] = months_mask
    if has("dcplan_rtp_price_file"):
        out["rtp_usd_per_kwh"] = read_price_csv(get("dcplan_rtp_price_file"), file)
    if has("dcplan_holidays"):  # dcplan extension: holidays billed on the weekend schedules
        from .tariff_holidays import HolidayCalendar
        out["holidays"] = HolidayCalendar.from_urdb(get("dcplan_holidays"), file,
                                                    field_name=low["dcplan_holidays"][0])
    if has("demandwindow"):
        f_w = low["demandwindow"][0]
        out["demand_window_min"] = check_demand_window(_num(get("demandwindow"), f_w, file), f_w, file,
                                                       given=get("demandwindow"))
    if ignored:
        meta["ignored"] = ignored
    # exports credited (net metering, net billing, sell rates: not billed here); prices of another country's
    for note in load_notes({k: v for k, v in item.items() if k not in ignore}, file, out["name"]):  # currency
        warnings.warn(note, DcplanWarning, stacklevel=user_stacklevel())  # the user's line, not from_urdb's
    return out


#: Common demand windows [min]; a ``demandwindow`` of 60 x one of them over an hour is that
#: window written in seconds (900 for 15 min).
_COMMON_WINDOWS_MIN = (5, 10, 15, 20, 30, 60)


def check_demand_window(w: float, field: str, file: str | None = None, *, given: Any = None) -> float:
    """A demand window in minutes, > 0 and at most :data:`DEMAND_WINDOW_MAX_MIN`; a value over an
    hour that is a common window in seconds (900 = 15 min) is refused as a unit slip."""
    shown = w if given is None else given
    if not math.isfinite(w) or w <= 0:
        raise _err(f"must be > 0 minutes, got {shown!r}", field, file)
    in_s = w / 60.0 if w > 60 and w % 60 == 0 and w / 60 in _COMMON_WINDOWS_MIN else None
    if in_s is not None:
        raise _err(f"{shown!r} minutes ({w / 60:g} h) is not a demand window tariffs use; the demand window is "
                   f"in minutes, and {w:g} seconds would be {in_s:g} minutes (write {in_s:g})", field, file)
    if w > DEMAND_WINDOW_MAX_MIN:
        raise _err(f"must be at most {DEMAND_WINDOW_MAX_MIN:g} minutes (one day; demand windows are minutes, "
                   f"e.g. 15, 30 or 60), got {shown!r}", field, file)
    return float(w)


def _refuse_negative_fuel(fuel: np.ndarray, out: dict, field: str, file: str | None) -> None:
    """Refuse a month whose fuel adjustment makes an energy price negative: the adjustment plus
    the lowest rate + adj of the tiers and periods the month's schedules use (0 without rates)."""
    rate = out.get("energy_rate")
    for m in range(12):
        if rate is None:
            lowest, where = 0.0, "no energyratestructure: energy rate 0"
        else:
            periods = np.union1d(out["energy_weekday"][m], out["energy_weekend"][m])
            sub = rate[periods]
            i, t = np.unravel_index(int(np.argmin(sub)), sub.shape)
            lowest = float(sub[i, t])
            where = f"energyratestructure[{int(periods[i])}][{int(t)}] rate + adj {lowest:g}"
        total = lowest + float(fuel[m])
        if total < -1e-12:  # (a rate cancelled exactly by its adjustment is 0, not a credit)
            raise _err(f"{_MONTH_NAMES[m]} adjustment {float(fuel[m]):g} $/kWh with the month's lowest energy rate "
                       f"({where} $/kWh) gives a negative energy price {total:g} $/kWh; negative energy rates "
                       "are not allowed" + NEGATIVE_ENERGY_HINT, f"{field}[{m}]", file)
