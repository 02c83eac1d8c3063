"""A case's own uncertainty ranges (``TcoInputs.ranges``, a site's ``finance.ranges``) and how they are named.

* :func:`check_input_ranges`: ``TcoInputs.ranges`` validated (a ``data/costs.csv`` key, finite ``low < high``, a
  non-empty source), as ``{key: (low, high, source)}``; :func:`check_case_ranges`: against the case, with the site
  file's checks (:mod:`dcplan.specs.finance_ranges`).
* :func:`range_source_text`: the words the range tables give a site's range: its field, ends and source.
* :data:`SITE_RANGE_STATUS`: the ``range_status`` the tornado's table gives it.
"""
from __future__ import annotations

import math
from collections.abc import Mapping

from .errors import InputError

__all__ = ["check_input_ranges", "check_case_ranges", "range_source_text", "SITE_RANGE_STATUS", "SITE_RANGE_FIELD"]

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


def check_case_ranges(inputs) -> None:
    """The checks a site's ``finance.ranges`` passes as it loads (:mod:`dcplan.specs.finance_ranges`), applied to
    ``inputs.ranges`` (already :func:`check_input_ranges`' form) of a case an API caller built: not ``delay_months``
    or ``wue_l_per_kwh`` (:data:`~dcplan.specs.finance_ranges.NOT_SITE_RANGES`: the case's own grid delay and
    plant water use have ranges of their own), each end within what the input allows and within its plausibility
    band (:func:`~dcplan.specs.finance_ranges.range_key_problem`), and ``low <= base <= high`` for the value the
    case takes (``inputs.params()``, :func:`~dcplan.specs.finance_ranges.range_base_problem`), unless a named
    scenario sets that value (its ``sources`` text ``"scenario ..."``: a scenario holds its own value, and
    :func:`dcplan.tco_ranges.default_ranges` widens the range to contain it). An :class:`InputError` names
    ``ranges.<key>`` (``.low``/``.high``), the value and what is allowed.
    """
    own = getattr(inputs, "ranges", None) or {}
    if not own:
        return
    from types import SimpleNamespace

    from .specs.finance_ranges import range_base_problem, range_key_problem
    p = inputs.params()
    for k, (lo, hi, _) in own.items():
        why = range_key_problem(k, SimpleNamespace(low=lo, high=hi))
        if why is not None:  # "<key>[.<end>]: message"
            where, msg = why.split(": ", 1) if why.startswith(k) else (k, why)
            raise InputError(msg, field=f"ranges.{where}")
        if str(inputs.sources.get(k, "")).startswith("scenario "):
            continue
        src = "costs" if k in inputs.costs else f"data/costs.csv, the {inputs.cooling_type}-cooled default"
        bad = range_base_problem(lo, hi, float(p[k]), f"costs.{k}" if src == "costs" else src)
        if bad is not None:
            raise InputError(bad[1], field=f"ranges.{k}.{bad[0]}")


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
