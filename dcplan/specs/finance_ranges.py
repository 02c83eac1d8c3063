"""``finance.ranges``: a site's own uncertainty range of a ``data/costs.csv`` input (owner: tco).

The TCO's tornado and Monte Carlo swing each uncertain input over its ``data/costs.csv`` low and high
(:func:`dcplan.tco_ranges.default_ranges`; triangular distributions over them). A site whose own facts
move a range -- a tariff whose prices predate a pending rate case, a signed price per GPU-hour -- sets it
here, with why::

    finance:
      ranges:
        electricity_cost_mult: {low: 0.8, high: 1.45, source: "APS rate case, ACC Docket E-01345A-25-0105: ..."}

The site's range replaces the row's in the tornado, the Monte Carlo and every caller of
:func:`~dcplan.tco_ranges.default_ranges` for the site, as absolute bounds (not scaled with the base as
``data/costs.csv``'s throughput row is); the tco report's range table and the export's Assumptions sheet
name it as the site's, with ``source``.

Checked as the site loads, each refusal naming the field, the value and what is allowed:

* the key: a ``data/costs.csv`` input a site may set (:func:`~dcplan.specs.finance.site_cost_keys`), with a
  "did you mean"; not ``delay_months`` (the site's own grid delay, ``interconnection:``) or ``wue_l_per_kwh``
  (the plant model's, :data:`~dcplan.specs.finance.NOT_SITE_COSTS`);
* ``low`` < ``high``, finite, each within what the input allows (the TCO's own check, a percentage hint) and
  within the input's plausibility band (:data:`dcplan.catalog_bands.BANDS`, ``costs.csv``);
* ``source``: a non-empty text (why the range is the site's, and where it is said);
* with the whole site (:func:`range_base_problems`): ``low <= base <= high``, where ``base`` is the value
  the site's TCO takes (its ``finance`` value, else the fleet's own throughput or price, else the
  ``data/costs.csv`` row for its cooling type); and, for a tax-rate schedule (``finance.tax_rate_frac`` by
  calendar year), a range of ``tax_rate_frac`` (the site's own, else ``data/costs.csv``'s) whose ends shift no
  year's rate outside [0, 1) (:func:`dcplan.tco_tax_schedule.range_shift_problem`: a shift stops at the range's
  end, so only an end outside [0, 1) could, which the range's own check refuses first).
"""
from __future__ import annotations

import math
from collections.abc import Mapping

from pydantic import Field, field_validator, model_validator

from ._base import SourceText, Spec

__all__ = ["RangeSpec", "range_key_problem", "range_base", "range_base_problem", "range_base_problems",
           "NOT_SITE_RANGES"]

#: ``data/costs.csv`` inputs whose range a site may not set, with where it comes from instead.
NOT_SITE_RANGES = {
    "delay_months": "the grid delay's range is the site's own: the tco notebook swings and draws it from the "
                    "interconnection: section (region, or time_to_power: {p10_months, median_months, p90_months, "
                    "source}; dcplan.grid)",
    "wue_l_per_kwh": "the water use's range is a spread about the site's own plant model's figure "
                     "(dcplan.tco_water_range); change the cooling: section, or water_usd_per_m3's and sewer_usd_per_m3's "
                     "ranges for their prices",
}


class RangeSpec(Spec):
    """One input's range: ``low`` and ``high`` in the input's ``data/costs.csv`` unit, and ``source``."""

    low: float = Field(description="the range's low end, in the input's data/costs.csv unit")
    high: float = Field(description="the range's high end, in the input's data/costs.csv unit")
    source: SourceText = Field(description="why the range is the site's and where it is said (required, non-empty)")

    @field_validator("source")
    @classmethod
    def _said(cls, v: str) -> str:
        if not v.strip():
            raise ValueError(f"got {v!r}; allowed: a non-empty text saying why this range is the site's and where "
                             "it is said (a docket, a contract, a quote)")
        return v

    @model_validator(mode="after")
    def _ordered(self):
        if not self.low < self.high:
            raise ValueError(f"low {self.low!r} is not below high {self.high!r}; allowed: low < high (a range with no "
                             "width swings nothing: leave the input out to keep data/costs.csv's range)")
        return self


def range_key_problem(k: str, r: RangeSpec) -> str | None:
    """Why ``finance.ranges.<k>`` (its key, or its ends' values) is refused, as ``"<k>...: message"``, or None:
    an unknown key (did you mean), one of :data:`NOT_SITE_RANGES`, an end outside what the input allows
    (:func:`dcplan.tco_inputs._check`) or outside its plausibility band (:func:`dcplan.catalog_bands.band_problem`)."""
    from ..catalog_bands import COST_UNITS, band_problem
    from ..errors import InputError
    from ..tco_inputs import _check
    from .finance import site_cost_keys, unknown_cost_message
    keys = [c for c in site_cost_keys() if c not in NOT_SITE_RANGES]
    if k in NOT_SITE_RANGES:
        return (f"{k}: {NOT_SITE_RANGES[k]}; allowed in finance.ranges: the other keys of data/costs.csv, "
                f"{', '.join(keys)}")
    if k not in keys:
        return unknown_cost_message(k, keys).replace("unknown cost input", "unknown input of finance.ranges", 1)
    for end in ("low", "high"):
        x = getattr(r, end)
        try:
            _check(k, x)
        except InputError as e:
            return f"{k}.{end}: {e.detail.rsplit(', got ', 1)[0]}, got {x!r}"
    bad = band_problem("costs.csv", k, [("low", r.low), ("high", r.high)], COST_UNITS.get(k, "-"),
                       label=f"finance.ranges.{k}")
    if bad is not None:
        cols, msg = bad
        return f"{k}.{cols}: {msg}"
    return None


def range_base(site, k: str) -> tuple[float, str]:
    """The base value the site's TCO takes for input ``k`` and where it comes from, as
    :func:`dcplan.tco_inputs.inputs_from_site` sets it: the site's ``finance.costs`` or ``finance`` field, else the
    fleet's own throughput (:func:`dcplan.power_tokens.example_throughput`) or sourced price
    (:func:`dcplan.tco_revenue.fleet_revenue_price`), else the ``data/costs.csv`` row of the site's cooling type."""
    f = site.finance
    if k in f.costs:
        return float(f.costs[k]), f"finance.costs.{k}"
    if k == "tax_rate_frac" and isinstance(f.tax_rate_frac, Mapping):  # a schedule: a range shifts it from its last
        from ..tco_tax_schedule import anchor_rate, as_schedule
        y = max(f.tax_rate_frac)
        return anchor_rate(as_schedule(f.tax_rate_frac)), f"finance.tax_rate_frac (the schedule's last rate, from {y})"
    if k in type(f).model_fields and k not in ("costs", "ranges") and getattr(f, k) is not None:
        return float(getattr(f, k)), f"finance.{k}" + ("" if k in f.model_fields_set else " (the spec's default)")
    if k == "revenue_usd_per_gpu_h":
        from ..tco_revenue import fleet_revenue_price
        own = fleet_revenue_price(site)
        if own is not None:
            return float(own[0]), "the fleet's own sourced price (dcplan.tco_revenue.fleet_revenue_price)"
    if k == "tokens_per_s_per_accelerator" and getattr(site.fleet, "phases", None):
        from ..power_tokens import example_throughput
        return float(example_throughput(site)[0]), "the fleet's example throughput (dcplan.power.example_throughput)"
    from ..tco_inputs import load_costs
    cooling = getattr(getattr(site, "cooling", None), "type", None) or "air"
    return float(load_costs(cooling_type=cooling).at[k, "value"]), f"data/costs.csv, the {cooling}-cooled default"


def range_base_problem(low: float, high: float, base: float, where: str) -> tuple[str, str] | None:
    """``(end, message)`` when the range ``low``-``high`` leaves out ``base``, the value the TCO takes (from
    ``where``): the triangular distribution's mode, which must lie between its ends; else None. The one check of
    :func:`range_base_problems` (a site) and :func:`dcplan.tco_range_source.check_case_ranges` (``TcoInputs``).

    >>> range_base_problem(0.8, 1.45, 1.0, "data/costs.csv") is None
    True
    >>> range_base_problem(5.0, 7.0, 4.916, "data/costs.csv")[0]
    'low'
    """
    if math.isfinite(base) and low <= base <= high:
        return None
    end, x = ("low", low) if base < low else ("high", high)
    return end, (f"{x!r} leaves out the base value the TCO takes, {base:g} ({where}): the range {low:g}-{high:g} must "
                 "contain it (the Monte Carlo's triangular mode, the tornado's base); "
                 f"allowed: low <= {base:g} <= high")


def range_base_problems(site) -> list[tuple[str, str]]:
    """``(field, message)`` for each ``finance.ranges`` entry that does not contain the base value the site's TCO
    takes (:func:`range_base`, :func:`range_base_problem`)."""
    out = []
    for k, r in site.finance.ranges.items():
        bad = range_base_problem(r.low, r.high, *range_base(site, k))
        if bad is not None:
            out.append((f"finance.ranges.{k}.{bad[0]}", bad[1]))
    return out + _schedule_range_problems(site.finance)


def _schedule_range_problems(f) -> list[tuple[str, str]]:
    """A tax-rate schedule (``finance.tax_rate_frac`` as a mapping) whose range of ``tax_rate_frac`` (the site's
    own ``finance.ranges.tax_rate_frac``, else ``data/costs.csv``'s) shifts a year's rate outside [0, 1)
    (:func:`dcplan.tco_tax_schedule.range_shift_problem`): the tco notebook's tornado would refuse it at render,
    after ``dcplan validate`` had said the file was ok. Since a shift stops at the range's end, only an end outside
    [0, 1) could (a tax holiday under data/costs.csv's 0.21-0.30085 was refused until 2026)."""
    if not isinstance(f.tax_rate_frac, Mapping):
        return []
    from ..tco_tax_schedule import as_schedule, range_shift_problem
    own = f.ranges.get("tax_rate_frac")
    if own is not None:
        bad = range_shift_problem(as_schedule(f.tax_rate_frac), own.low, own.high)
        return [] if bad is None else [(f"finance.ranges.tax_rate_frac.{bad[0]}", bad[1])]
    from ..tco_inputs import load_costs
    low, high = (float(load_costs().at["tax_rate_frac", c]) for c in ("low", "high"))
    bad = range_shift_problem(as_schedule(f.tax_rate_frac), low, high)
    if bad is None:
        return []
    return [("finance.tax_rate_frac", f"data/costs.csv's range of tax_rate_frac, {low:g}-{high:g}, does not fit this "
                                      f"schedule: its {bad[0]} end {bad[1]}; give the site's own range, "
                                      "finance.ranges.tax_rate_frac: {low: ..., high: ..., source: ...}")]
