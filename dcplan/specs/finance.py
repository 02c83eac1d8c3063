"""``finance:`` section: discounting, escalation and TCO overrides (owner: tco).

Every field except ``discount_rate_frac`` and ``horizon_years`` is optional; ``None``
means the default of ``data/costs.csv`` (sourced there). ``costs`` overrides any other
row of ``data/costs.csv`` by key, except ``delay_months`` (the grid delay: the tco notebook's
scenario and the ``interconnection:`` section) and ``wue_l_per_kwh`` (the cooling plant's water),
:data:`NOT_SITE_COSTS`; an unknown key (with a "did you mean") or a value out of that input's
range (a negative price, a rate typed in percent) is refused when the site
loads, by the same check the TCO applies.

Example::

    finance:
      discount_rate_frac: 0.08
      horizon_years: 10
      electricity_escalation_frac: 0.15   # a high-escalation scenario
      tax_rate_frac: 0.21                 # or by calendar year: {2025: 0.227775, 2026: 0.2258, 2030: 0.21}
      tax_year_start_month: 1             # a schedule's owner files Jan-Dec (default: the project's start month)
      bonus_depreciation_frac: 1.0        # 100 % bonus depreciation (IRC 168(k), P.L. 119-21)
      costs: {server_usd_per_accelerator: 30000, staff_fte_per_mw: 1.5}
      sewer_billing: on_discharge         # an evaporation deduct meter: sewer on the towers' blowdown only
                                          # (or winter_average, with sewer_winter_months: [1, 2, 3] and
                                          # sewer_billed_share_frac: 0.9: the winter months' average, 90 % of it)
      ranges:                             # the site's own uncertainty range (dcplan.specs.finance_ranges)
        electricity_cost_mult: {low: 0.8, high: 1.45, source: "rate case filed: up to +45 % proposed (docket ...)"}
      sources:                            # where a value given here comes from (dcplan.specs.finance_sources)
        tax_rate_frac: "federal corporate income tax, 26 U.S.C. 11(b)"
        server_usd_per_accelerator: "vendor quote Q-1234, 2026-03"

``ranges`` sets the range the TCO's tornado and Monte Carlo swing an input over, in place of
``data/costs.csv``'s low/high, with a required ``source`` (:mod:`dcplan.specs.finance_ranges`).
``sources`` says where a value the section gives comes from, keyed by the input as ``ranges`` is
(``tax_rate_frac``; ``server_usd_per_accelerator`` for ``finance.costs.server_usd_per_accelerator``): the TCO's
Assumptions show it after the field, ``site.finance.tax_rate_frac: <text>`` (:mod:`dcplan.specs.finance_sources`).
"""
from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Annotated

from pydantic import Field, ValidationError, ValidationInfo, field_validator, model_validator
from pydantic_core import PydanticKnownError

from ._base import FrozenDict, SourceText, Spec, frozen_mapping
from .finance_ranges import RangeSpec

#: Longest analysis horizon [yr]: 20, the shortest economic life of the non-IT plant the TCO buys
#: once, the facility's electrical and mechanical plant (``dcplan.tco_assumptions.ECONOMIC_LIFE_YEARS``;
#: PV 30, shell 39, interconnection 40 yr). The model does not replace plant at the end of its life
#: (only IT is bought again, every ``it_refresh_years``), so a longer horizon would earn revenue from
#: plant past its life without paying to replace it. A battery (15 yr) shortens it further in the TCO.
HORIZON_MAX_YEARS = 20
#: Economic life of an on-site battery [yr]: 15 (estimate, as the other lives of
#: ``dcplan.tco_assumptions.ECONOMIC_LIFE_YEARS``, which takes it from here). Bought once and not
#: replaced, so a site with a battery allows a horizon of at most this.
BATTERY_LIFE_YEARS = 15
#: Largest price per GPU-hour sold [USD/GPU-h]: 100, ten times the dearest on-demand rental
#: (~1-10 USD/GPU-h for an H100 in 2024-2026, data/costs.csv ``revenue_usd_per_gpu_h`` 1.99-6.98): a
#: larger figure is a slip (a price per 8-GPU server or per month, a misplaced decimal point).
REVENUE_MAX_USD_PER_GPU_H = 100.0


#: How a utility bills the sewer on a site's cooling-tower make-up water (``finance.sewer_billing``), with what
#: each means: the share of the make-up billed at ``sewer_usd_per_m3`` (``TcoInputs.sewer_billed_frac``).
#: ``on_supply`` is the default: utilities bill sewer estimated from the supply meter unless the customer meters
#: what does not reach the sewer (Chicago: "the sewer charge is 100 percent of your water charge"; Phoenix bills a
#: business's sewer on 90 % of its water; Durham County on the City water consumption: data/SOURCES.md, section
#: Water and sewer rates); ``on_discharge`` is a site with an evaporation deduct meter, billed on the towers'
#: blowdown only (1 / tower_cycles of the make-up, dcplan.thermal_plant_summary.water_split_m3).
SEWER_BILLING = {
    "on_supply": "all the make-up water (sewer estimated from the supply meter)",
    "on_discharge": "the cooling towers' blowdown only, 1 / tower_cycles of the make-up (an evaporation deduct meter)",
    "winter_average": "every month, the average monthly make-up of the winter months finance.sewer_winter_months, "
                      "x finance.sewer_billed_share_frac (default 1): a winter-average rule, as the City of Phoenix "
                      "bills sewer on the average of the preceding January, February and March",
}
SEWER_BILLING_DEFAULT = "on_supply"
#: The ``finance`` fields of the ``winter_average`` rule (:data:`SEWER_BILLING`), refused with any other rule.
SEWER_WINTER_FIELDS = ("sewer_winter_months", "sewer_billed_share_frac")


def winter_months_problem(v) -> str | None:
    """Why ``finance.sewer_winter_months`` ``v`` is refused, or None: a non-empty list of distinct calendar months,
    whole numbers 1 (January) to 12 (December)."""
    allowed = "allowed: a non-empty list of distinct calendar months, 1 (January) to 12 (December), e.g. [1, 2, 3]"
    if not isinstance(v, (list, tuple)):
        return f"got {v!r}; {allowed}"
    if not v:
        return f"got an empty list: the winter average needs at least one month; {allowed}"
    bad = [m for m in v if isinstance(m, bool) or not isinstance(m, int) or not 1 <= m <= 12]
    if bad:
        return f"got {list(v)!r}, month {bad[0]!r} is no calendar month; {allowed}"
    twice = sorted({m for m in v if list(v).count(m) > 1})
    if twice:
        return f"got {list(v)!r}, month {twice[0]} given twice; {allowed}"
    return None


def horizon_problem(v) -> str | None:
    """Why ``horizon_years`` ``v`` (a number) is longer than the model can cover, or None."""
    if isinstance(v, (int, float)) and not isinstance(v, bool) and v > HORIZON_MAX_YEARS:
        return (f"{v!r} years is longer than allowed (1-{HORIZON_MAX_YEARS}): the model buys the facility's "
                f"electrical and mechanical plant once and does not replace it at the end of its "
                f"{HORIZON_MAX_YEARS}-year economic life (dcplan.tco_assumptions.ECONOMIC_LIFE_YEARS; only IT is "
                "bought again, every it_refresh_years), so a longer horizon would earn revenue from plant past its "
                f"life without paying to replace it; use at most {HORIZON_MAX_YEARS}")
    return None


def revenue_problem(v) -> str | None:
    """Why a price per GPU-hour ``v`` (a number) is implausibly high, or None."""
    if isinstance(v, (int, float)) and not isinstance(v, bool) and v > REVENUE_MAX_USD_PER_GPU_H:
        return (f"{v!r} USD/GPU-h is above {REVENUE_MAX_USD_PER_GPU_H:g} USD/GPU-h: GPU rentals are about 1-10 "
                "USD per GPU-hour (data/costs.csv: 1.99-6.98), so this looks like a slip (a price per server, per "
                "month or a misplaced decimal point); give the price of one GPU for one hour")
    return None


#: An unknown ``finance.costs`` key that reads as the price of electricity, which a site gives in
#: its ``tariff:`` section (the TCO bills the tariff), not as a cost input: a price word or a
#: price per kWh or MWh.
_ELECTRICITY_PRICE_RE = re.compile(r"(?:^|_)(?:elec\w*|energy|power|tariff)_(?:\w*_)?(?:usd|price|cost|rate|cents)"
                                   r"|usd_per_[kmg]?wh(?:$|_)|(?:^|_)price(?:$|_)")
#: A key this close to a ``data/costs.csv`` key (difflib ratio) is that key misspelt, even when it
#: reads as a price (``electricity_cost`` for ``electricity_cost_mult``). [-]
_NEAR_KEY_RATIO = 0.8


#: ``data/costs.csv`` rows a site's ``finance.costs`` may not set, with why and where the figure is given
#: instead: the tco notebook sets them itself, so a site value was either mislabelled (``delay_months``: used
#: in the maths while the report and the export said the scenario's 0 months, and the export refused the run)
#: or silently replaced (``wue_l_per_kwh``: the plant model's figure). The other rows are cost inputs a site
#: may override (``build_months`` among them: labelled ``site.finance.costs.build_months``).
NOT_SITE_COSTS = {
    "delay_months": (
        "the grid energization delay is not a site cost input: the tco notebook takes it from its scenario "
        "parameter (base: the planned energization dates, 0 months; grid-delay-p50 / grid-delay-p90: the median / "
        "90th percentile of the site's own delay, dcplan.grid), and the report, results.json and the export name "
        "that delay; give the site's wait for power in its interconnection: section (region, or time_to_power: "
        "{p10_months, median_months, p90_months, source}; a known later date is a phase's energized date) and "
        "run the tco notebook with -p scenario grid-delay-p50 or grid-delay-p90"),
    "wue_l_per_kwh": (
        "the water use is not a site cost input: the tco notebook takes it from the site's cooling plant model "
        "(dcplan.thermal_plant: the plant's water over the IT energy of the typical year, by calendar month), "
        "so a value here would be ignored; change the cooling: section (a dry heat rejection uses no water), "
        "or water_usd_per_m3 and sewer_usd_per_m3 for the prices of water and sewer (finance.sewer_billing: "
        "on which volume sewer is billed)"),
}


def site_cost_keys() -> list[str]:
    """The ``data/costs.csv`` keys a site's ``finance.costs`` may set: all but :data:`NOT_SITE_COSTS`."""
    from ..tco_inputs import cost_keys
    return [k for k in cost_keys() if k not in NOT_SITE_COSTS]


def unknown_cost_message(k: str, keys) -> str:
    """The message for an unknown ``finance.costs`` key ``k``: where an electricity price
    belongs when ``k`` reads as one (``electricity_usd_per_kwh``: the ``tariff:`` section; a
    "did you mean" another price per kWh would mislead) and is no near miss of a key, else a
    "did you mean"; then the keys allowed (``keys``, those of ``data/costs.csv``)."""
    import difflib

    from .._text import did_you_mean
    near = max((difflib.SequenceMatcher(None, k, c).ratio() for c in keys), default=0.0)
    if _ELECTRICITY_PRICE_RE.search(k.lower()) and near < _NEAR_KEY_RATIO:
        where = (" (the electricity price is not a cost input: it comes from the site's tariff: section, a URDB "
                 "file or flat_usd_per_kwh; its uncertainty is electricity_cost_mult, its rise per year "
                 "electricity_escalation_frac)")
    else:
        where = did_you_mean(k, keys)
    return f"{k}: unknown cost input {k!r}{where}; allowed: the keys of data/costs.csv, {', '.join(keys)}"


_frozen_costs = frozen_mapping("finance.costs")
_frozen_ranges = frozen_mapping("finance.ranges")
_frozen_sources = frozen_mapping("finance.sources")
_frozen_tax_schedule = frozen_mapping("finance.tax_rate_frac")


class FinanceSpec(Spec):
    discount_rate_frac: float = Field(0.08, ge=0.0, le=1.0,
                                      description="discount rate / WACC [frac/yr]")
    horizon_years: int = Field(10, ge=1, le=HORIZON_MAX_YEARS,
                               description="analysis horizon incl. build [yr]; at most the 20-yr economic life "
                                           "of the electrical and mechanical plant, which the model does not "
                                           "replace")
    inflation_frac: float = Field(0.025, gt=-1.0, le=1.0,
                                  description="general inflation of non-electricity opex [frac/yr]")
    electricity_escalation_frac: float = Field(0.03, gt=-1.0, le=1.0,
                                               description="electricity price escalation [frac/yr]")
    tax_rate_frac: Annotated[float, Field(ge=0.0, lt=1.0)] | dict[int, float] | None = Field(
        None, union_mode="left_to_right",
        description="income tax rate [frac]: one rate for every year, or a schedule by calendar year, "
                    "{2025: 0.227775, 2026: 0.2258, 2028: 0.2179, 2030: 0.21}: each rate for the tax years (the TCO's "
                    "project years) beginning from 1 January of its year until the next listed year, the first rate "
                    "before the first year; the tornado and Monte Carlo "
                    "shift the whole schedule by the same amount, from its last rate, no year's rate past the "
                    "range's end (dcplan.tco_tax_schedule)")
    tax_year_start_month: int | None = Field(
        None,
        description="the month the owner's tax year begins, 1 (January) to 12 (December): the TCO's tax "
                    "depreciation follows these tax years (MACRS year 1, with its convention and any bonus, is the tax "
                    "year placed in service; the mid-quarter test of IRC 168(d)(3) counts their quarters; each tax "
                    "year's deduction booked evenly over its months; the residual sale's gain is taxed in the tax "
                    "year of the sale), and "
                    "with a tax_rate_frac schedule each month pays the rate of the calendar year its tax year begins "
                    "in (1, a calendar-year taxpayer: each month its own calendar year's rate); default: the "
                    "project's start month (each tax year a project year) (dcplan.tco_tax_schedule)")
    build_months: int | None = Field(None, ge=0, le=120, description="construction time [month]")
    it_refresh_years: float | None = Field(None, ge=1.0, le=50.0, description="IT refresh cycle [yr]")
    revenue_usd_per_gpu_h: float | None = Field(None, ge=0.0, le=REVENUE_MAX_USD_PER_GPU_H,
                                                description="price per GPU-hour sold, of one GPU [USD/GPU-h]")
    bonus_depreciation_frac: float = Field(
        0.0, ge=0.0, le=1.0,
        description="bonus depreciation, IRC 168(k): share of the basis of MACRS property with a recovery period of "
                    "20 yr or less (IT, PV, battery, 15-yr plant; not the 39-yr shell) deducted in the tax year "
                    "placed in service [frac]; default 0 (none). 26 U.S.C. 168(k) as amended by P.L. 119-21 (2025): "
                    "100 % (1.0) for qualified property acquired after 2025-01-19 unless the owner elects out; "
                    "a tax adviser should confirm")
    sewer_billing: str | None = Field(
        None,
        description="the volume the utility bills sewer on: on_supply (all the cooling towers' make-up water, sewer "
                    "estimated from the supply meter) or on_discharge (the towers' blowdown only, 1 / tower_cycles "
                    "of the make-up: an evaporation deduct meter); default on_supply; priced at "
                    "finance.costs.sewer_usd_per_m3 (data/costs.csv), the TCO's opex_sewer_usd; or winter_average "
                    "(every month the average monthly make-up of the winter months sewer_winter_months, x "
                    "sewer_billed_share_frac: over a year 12 x their mean x the share, of the plant model's typical "
                    "year by calendar month; the City of Phoenix's rule)")
    sewer_winter_months: tuple[int, ...] | None = Field(
        None, strict=False,
        description="with sewer_billing: winter_average, the calendar months (1 = January .. 12 = December, distinct, "
                    "at least one) whose average monthly make-up water the utility bills sewer on every month, e.g. "
                    "[1, 2, 3] (January to March, the City of Phoenix); required with winter_average, refused with "
                    "any other sewer_billing")
    sewer_billed_share_frac: float | None = Field(
        None, gt=0.0, le=1.0,
        description="with sewer_billing: winter_average, the share of that winter average billed (0 < share <= 1, "
                    "default 1), e.g. 0.9 (a Phoenix business: sewer on 90 % of its water, AMWUA 2014); refused with "
                    "any other sewer_billing [frac]")
    costs: dict[str, float] = Field(default_factory=lambda: FrozenDict((), "finance.costs"),
                                    description="overrides of data/costs.csv values by key")
    ranges: dict[str, RangeSpec] = Field(
        default_factory=lambda: FrozenDict((), "finance.ranges"),
        description="the site's own uncertainty range of a data/costs.csv input, by key: {low, high, source}, "
                    "swung by the TCO's tornado and Monte Carlo in place of data/costs.csv's low/high (absolute "
                    "bounds in the input's unit; low < high, within the input's plausibility band, containing the "
                    "value the site's TCO takes; source: why, required). Not delay_months or wue_l_per_kwh, whose "
                    "ranges are the site's grid delay and plant model's (dcplan.specs.finance_ranges)")
    sources: dict[str, SourceText] = Field(
        default_factory=lambda: FrozenDict((), "finance.sources"),
        description="where a value this section gives comes from, by input key as finance.ranges names it "
                    "(tax_rate_frac for finance.tax_rate_frac, server_usd_per_accelerator for "
                    "finance.costs.server_usd_per_accelerator): one line of text each (at most 1,000 characters), not "
                    "empty, for an input the site sets; the TCO's Assumptions (report, workbook, CSV) show it in the "
                    "source column after the field, site.finance.tax_rate_frac: <text> (dcplan.specs.finance_sources)")

    @field_validator("tax_rate_frac", mode="wrap")
    @classmethod
    def _rate_or_schedule(cls, v, handler):
        # a mapping is a schedule by calendar year (dcplan.tco_tax_schedule), checked here and stored read-only;
        # a number goes through the float member alone, so its errors read as before ("Input should be less than
        # 1", with the loader's percentage hint), not as two union members'
        if isinstance(v, Mapping):
            from ..tco_tax_schedule import as_schedule, schedule_problem
            why = schedule_problem(v)
            if why:
                raise ValueError(why)
            return _frozen_tax_schedule(dict(as_schedule(v)))
        try:
            return handler(v)
        except ValidationError as e:
            first = e.errors()[0]
            if first["type"] in ("float_type", "dict_type"):
                from ..tco_tax_schedule import SCHEDULE_FORM
                raise ValueError(f"must be a number in [0, 1) or {SCHEDULE_FORM}; got {v!r}") from None
            raise PydanticKnownError(first["type"], first.get("ctx")) from None

    @field_validator("sewer_billing", mode="before")
    @classmethod
    def _a_billing_mode(cls, v):
        if v is not None and (not isinstance(v, str) or v not in SEWER_BILLING):
            from .._text import did_you_mean
            hint = did_you_mean(v, list(SEWER_BILLING)) if isinstance(v, str) else ""
            raise ValueError(f"unknown sewer billing {v!r}{hint}; allowed: "
                             + "; ".join(f"{k} ({why})" for k, why in SEWER_BILLING.items()))
        return v

    @field_validator("sewer_winter_months", mode="before")
    @classmethod
    def _winter_months(cls, v):
        why = None if v is None else winter_months_problem(v)
        if why:
            raise ValueError(why)
        return v

    @field_validator("sewer_billed_share_frac", mode="before")
    @classmethod
    def _a_billed_share(cls, v):
        """A number outside (0, 1] is refused naming both ends (pydantic's bound names only the one crossed)."""
        import math
        if (isinstance(v, (int, float)) and not isinstance(v, bool)
                and not (math.isfinite(v) and 0.0 < v <= 1.0)):
            from .._text import percent_hint
            raise ValueError(f"got {v!r}{percent_hint(v)}; allowed: a share of the winter average in (0, 1] "
                             "(0 < share <= 1, e.g. 0.9 for 90 % of it; leave it out for 1)")
        return v

    @model_validator(mode="after")
    def _winter_fields_with_their_rule(self):
        """The winter-average fields go with ``sewer_billing: winter_average`` only (elsewhere they would be
        silently ignored), and that rule needs its months (no city's winter is everyone's)."""
        if self.sewer_billing == "winter_average":
            if self.sewer_winter_months is None:
                raise ValueError("sewer_winter_months: required with sewer_billing: winter_average (got none); "
                                 "allowed: the calendar months whose average monthly make-up the utility bills "
                                 "sewer on, 1 (January) to 12 (December), e.g. [1, 2, 3] for January-March")
            return self
        given = [k for k in SEWER_WINTER_FIELDS if getattr(self, k) is not None]
        if given:
            k = given[0]
            v = getattr(self, k)
            v = list(v) if isinstance(v, tuple) else v
            raise ValueError(f"{k}: {v!r} is for sewer_billing: winter_average only, but "
                             f"sewer_billing is {self.sewer_billing or SEWER_BILLING_DEFAULT!r}"
                             f"{'' if self.sewer_billing else ' (the default)'}; allowed: set sewer_billing: "
                             f"winter_average, or leave {' and '.join(given)} out")
        return self

    @field_validator("tax_year_start_month", mode="before")
    @classmethod
    def _a_month(cls, v):
        from ..tco_tax_schedule import start_month_problem
        why = start_month_problem(v)
        if why:
            raise ValueError(why)
        return v

    @field_validator("horizon_years", "revenue_usd_per_gpu_h", mode="before")
    @classmethod
    def _within_what_the_model_covers(cls, v, info: ValidationInfo):
        # before the le= bounds, so the error says why (pydantic's own says only "<= 20")
        why = (horizon_problem if info.field_name == "horizon_years" else revenue_problem)(v)
        if why:
            raise ValueError(why)
        return v

    @field_validator("costs")
    @classmethod
    def _known_costs_in_range(cls, v: dict[str, float]) -> dict[str, float]:
        from .._text import percent_hint
        from ..errors import InputError
        from ..tco_inputs import _check
        keys = site_cost_keys()
        for k, x in v.items():
            if k in NOT_SITE_COSTS:
                raise ValueError(f"{k}: {NOT_SITE_COSTS[k]}; got {x!r}, allowed in finance.costs: the other keys of "
                                 f"data/costs.csv, {', '.join(keys)}")
            if k not in keys:
                raise ValueError(unknown_cost_message(k, keys))
            try:
                _check(k, x)
            except InputError as e:
                # a fraction given as a percentage (tax_rate_frac: 21) gets the hint finance.tax_rate_frac gets
                what = e.detail.rsplit(", got ", 1)[0]
                hint = percent_hint(x) if k.endswith("_frac") and x > 1 else ""
                if hint and re.search(r"\(0\.\d+ for \d+ %\)", what):  # (the range says the convention already)
                    hint = f" (for {x:g} % write {x / 100:g})" if x <= 100 else ""
                raise ValueError(f"{k}: {what}, got {x!r}{hint}") from None
        return _frozen_costs(v)  # read-only, as the spec: a change in place would skip these checks

    @field_validator("ranges")
    @classmethod
    def _known_ranges_in_band(cls, v: dict[str, RangeSpec]) -> dict[str, RangeSpec]:
        from .finance_ranges import range_key_problem
        for k, r in v.items():
            why = range_key_problem(k, r)
            if why:
                raise ValueError(why)
        return _frozen_ranges(v)  # read-only, as finance.costs

    @field_validator("sources")
    @classmethod
    def _sources_said(cls, v: dict[str, str]) -> dict[str, str]:
        from .finance_sources import source_text_problem
        for k, text in v.items():
            why = source_text_problem(text)
            if why:
                raise ValueError(f"{k}: {why}")
        return _frozen_sources(v)  # read-only, as finance.costs

    @model_validator(mode="after")
    def _sources_of_values_given(self):
        """Each ``sources`` key names an input this section sets (:func:`dcplan.specs.finance_sources.
        source_key_problem`): a text for a value the file does not give would describe a default it is not."""
        from .finance_sources import source_key_problem
        for k, text in self.sources.items():
            why = source_key_problem(k, text, self)
            if why:
                raise ValueError(f"sources.{why}")
        return self

    @model_validator(mode="after")
    def _each_input_set_once(self):
        """A field of this section may not also be set under ``costs:`` (one would be
        silently dropped: ``inputs_from_site`` lets ``costs`` win)."""
        both = [k for k in self.costs if k in type(self).model_fields and k != "costs"
                and k in self.model_fields_set]
        if both:  # each one named (a site setting two inputs twice was told of the first only)
            each = "; ".join(f"{k} is set twice, as finance.{k} ({getattr(self, k)!r}) and finance.costs.{k} "
                             f"({self.costs[k]!r})" for k in both)
            raise ValueError(f"costs: {each}; set {'it' if len(both) == 1 else 'each'} once")
        return self

    @model_validator(mode="after")
    def _operations_start_within_the_horizon(self):
        """The horizon must reach past the build, as the TCO requires (:meth:`dcplan.tco_inputs.TcoInputs`
        refused it in every run; a grid delay is the run's, not the site file's: :data:`NOT_SITE_COSTS`)."""
        if not self.model_fields_set:  # the default section (built as dcplan.site imports): no file read
            return self
        from ..tco_inputs import default_cost, whole_months
        build = self.costs.get("build_months", self.build_months)
        if build is None:
            build = default_cost("build_months")
        ops = whole_months(build)
        if ops >= 12 * self.horizon_years:
            raise ValueError(f"horizon_years: {self.horizon_years} ends before operations start at month {ops:g} "
                             "(build_months, in whole months); lengthen the horizon")
        return self
