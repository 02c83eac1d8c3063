"""A case's own uncertainty ranges (``TcoInputs.ranges``, a site's ``finance.ranges``) and how they are named.

* :func:`check_input_ranges`: ``TcoInputs.ranges`` validated (a ``data/costs.csv`` key, finite ``low < high``, a
  non-empty source), as ``{key: (low, high, source)}``.
* :func:`range_source_text`: the words the range tables give a site's range: its field, ends and source.
* :data:`SITE_RANGE_STATUS`: the ``range_status`` the tornado's table gives it.
"""
from __future__ import annotations

import math
from collections.abc import Mapping

from .errors import InputError

__all__ = ["check_input_ranges", "range_source_text", "SITE_RANGE_STATUS", "SITE_RANGE_FIELD"]

#: Where a case's own range comes from, as the tables name it (the site file's field).
SITE_RANGE_FIELD = "site.finance.ranges"
#: ``range_status`` of a range that is the site's own (:func:`dcplan.tco_tornado_table.range_statuses`): its source
#: text is in the source column.
SITE_RANGE_STATUS = "the site's own (finance.ranges; source column)"


def check_input_ranges(ranges) -> dict[str, tuple[float, float, str]]:
    """``ranges`` (``{key: (low, high, source)}``, or ``{key: obj}`` with ``low``, ``high`` and ``source``
    attributes: a site's :class:`dcplan.specs.finance_ranges.RangeSpec`) as ``{key: (low, high, source)}``, or an
    :class:`InputError` naming ``ranges.<key>``, the value and what is allowed.

    >>> check_input_ranges({"electricity_cost_mult": (0.8, 1.45, "rate case")})
    {'electricity_cost_mult': (0.8, 1.45, 'rate case')}
    """
    if ranges is None:
        return {}
    if not isinstance(ranges, Mapping):
        raise InputError(f"must be a mapping of data/costs.csv key to (low, high, source), got {ranges!r:.80}",
                         field="ranges")
    from ._ts import did_you_mean
    from .tco_cost_table import cost_keys
    keys = cost_keys()
    out = {}
    for k, r in ranges.items():
        if k not in keys:
            raise InputError(f"unknown input {k!r}{did_you_mean(str(k), keys)}; allowed: the keys of data/costs.csv",
                             field=f"ranges.{k}")
        if hasattr(r, "low") and hasattr(r, "high"):
            r = (r.low, r.high, getattr(r, "source", None))
        if isinstance(r, (str, bytes)) or not hasattr(r, "__len__") or len(r) != 3:
            raise InputError(f"need (low, high, source), got {r!r:.80}", field=f"ranges.{k}")
        lo, hi, src = r
        if any(isinstance(x, bool) or not isinstance(x, (int, float)) or not math.isfinite(x) for x in (lo, hi)):
            raise InputError(f"low and high must be finite numbers, got ({lo!r}, {hi!r})", field=f"ranges.{k}")
        if not float(lo) < float(hi):
            raise InputError(f"low {lo!r} is not below high {hi!r}; allowed: low < high", field=f"ranges.{k}")
        if not isinstance(src, str) or not src.strip():
            raise InputError(f"source {src!r}: allowed: a non-empty text (why the range is the case's own)",
                             field=f"ranges.{k}")
        out[k] = (float(lo), float(hi), src)
    return out


def range_source_text(inputs, k: str) -> str:
    """The words for input ``k``'s range when it is the case's own (``inputs.ranges``), ``""`` otherwise:
    ``"range 0.8-1.45: site.finance.ranges.electricity_cost_mult, not data/costs.csv's (0.8-1.2): <source>"``.

    >>> from dcplan.tco import TcoInputs
    >>> inp = TcoInputs(1, 1.0, 8760.0, ranges={"electricity_cost_mult": (0.8, 1.45, "rate case")})
    >>> range_source_text(inp, "electricity_cost_mult")
    "range 0.8-1.45: site.finance.ranges.electricity_cost_mult, not data/costs.csv's (0.8-1.2): rate case"
    """
    own = (getattr(inputs, "ranges", None) or {}).get(k)
    if own is None:
        return ""
    from .tco_cost_table import load_costs
    t = load_costs(cooling_type=getattr(inputs, "cooling_type", "air"))
    csv = (f"data/costs.csv's ({float(t.at[k, 'low']):.6g}-{float(t.at[k, 'high']):.6g})"
           if float(t.at[k, "low"]) < float(t.at[k, "high"]) else "data/costs.csv gives none")
    return f"range {own[0]:.6g}-{own[1]:.6g}: {SITE_RANGE_FIELD}.{k}, not {csv}: {own[2]}"
