"""``tariff:`` section: the utility rate the site is billed on (owner: tariff).

Two forms, exactly one of them::

    tariff:                          # a URDB-format rate file
      file: tariffs/aps-az-e32-tou-l.json
      label: null                    # the item, when the file holds several
      contract_demand_kw: 8000       # optional, either form
      contract_min_frac: 0.85        # optional: share of it flooring the flat demand charges (default 1)
      contract_tou_min_frac: 0.60    # optional: the TOU demand charges' share (default contract_min_frac)
      coincident_peaks: ["2025-07-21 17:00"]  # a file with coincident-peak charges: system-peak
                                     # interval ends, local time, in the weather year (required then)

    tariff:                          # a flat rate, no file (dcplan.tariff.Tariff.flat)
      flat_usd_per_kwh: 0.075        # energy, every hour [$/kWh]
      demand_usd_per_kw: 13.0        # optional: on each month's peak kW [$/kW-month]
      fixed_usd_per_month: 25        # optional: customer charge [$/month]
      source: "FPL GSLD-1 2025, planner's estimate"   # required: where the rates come from

The flat form bills ``energy_kwh * flat_usd_per_kwh`` plus, each calendar month,
``max(peak_kw, contract_demand_kw) * demand_usd_per_kw`` and ``fixed_usd_per_month``
(:meth:`dcplan.tariff.Tariff.flat`, :meth:`~dcplan.tariff.Tariff.with_contract_demand`). The kW
billed and ``contract_demand_kw`` are real power, at the load's power factor taken as 1 (dcplan
has no power-factor input): a contract in kVA is converted as kW = kVA x PF. A
rate above 2 $/kWh is refused as cents per kWh (:data:`dcplan.tariff_checks.MAX_ENERGY_USD_PER_KWH`).
``demand_usd_per_kw``, ``fixed_usd_per_month`` and ``source`` belong to the flat form
(a URDB file carries its own charges and source), ``label`` to the file form.
"""
from __future__ import annotations

import datetime as dt
from typing import Annotated

from pydantic import BeforeValidator, Field, field_validator, model_validator

from ._base import Name, PathText, SourceText, Spec, frozen_list

#: Highest flat-form demand charge accepted [$/kW-month]: over three times the highest in the
#: large-customer tariffs found (APS E-32 L, 29.422 $/kW-month; docs/reference-data.md s. 6d), so a
#: charge typed in $/MW-month (13,000 for 13 $/kW-month) is refused, not billed.
MAX_DEMAND_USD_PER_KW_MONTH = 100.0

def _stamp_text(v):
    """An unquoted YAML timestamp (``2025-07-21 17:00``, read as a datetime) as the text it was."""
    if isinstance(v, dt.datetime):
        return v.isoformat(sep=" ")
    if isinstance(v, dt.date):
        return v.isoformat()
    return v


#: A system-peak stamp: text, or an unquoted YAML timestamp (kept as its text).
PeakStamp = Annotated[str, BeforeValidator(_stamp_text)]

#: Keys of the flat form other than ``flat_usd_per_kwh`` (refused beside ``file``).
FLAT_KEYS = ("demand_usd_per_kw", "fixed_usd_per_month", "source")


_frozen_peaks = frozen_list("tariff.coincident_peaks")


class TariffSpec(Spec):
    """The rate schedule, exactly one of a URDB file (``file``) or a flat rate (``flat_usd_per_kwh``
    with its ``source``). Price escalation over the years is a finance input
    (``finance.electricity_escalation_frac``): the typical year is billed at the tariff's own
    prices, and the TCO escalates them from the tariff's ``startdate`` (a flat rate or a file without
    one: from the project start). The file's fields, with dcplan's extensions (the prices' status, a
    demand range the rate applies to and why it is used outside it, a pending rate case the reports
    state), are listed in ``data/tariffs/README.md``."""

    file: PathText | None = Field(None, description="URDB-format JSON; relative to the site YAML's folder, its "
                                               "parent, the portfolio's folder or data/, in that order (exactly one "
                                               "of file or flat_usd_per_kwh)")
    label: Name | None = Field(None, description="URDB item label when the file holds several items")
    flat_usd_per_kwh: float | None = Field(None, ge=0.0, description="flat energy rate, every hour, instead of "
                                                                    "a file [$/kWh] (at most 2: more is cents or $/MWh); "
                                                                    "needs source")
    demand_usd_per_kw: float | None = Field(None, ge=0.0, le=MAX_DEMAND_USD_PER_KW_MONTH,
                                            description="flat form: charge on each calendar month's peak kW "
                                                        "(real power) [$/kW-month] (at most 100: more is "
                                                        "$/MW-month); a charge per kVA written here is billed "
                                                        "on kW, understated unless the power factor is 1")
    fixed_usd_per_month: float | None = Field(None, ge=0.0, description="flat form: customer charge "
                                                                       "[$/month]")
    source: SourceText | None = Field(None, description="flat form (required): where the rates come from (a "
                                                        "utility schedule and its date, or the planner's "
                                                        "estimate; one line, at most 1000 characters)")
    contract_demand_kw: float | None = Field(None, ge=0.0, description="contracted demand [kW]: billing "
                                                                     "demand is at least this every month. Real "
                                                                     "power (kW), as the load it floors, at the "
                                                                     "load's power factor taken as 1 (dcplan has no "
                                                                     "power-factor input): a contract in kVA is "
                                                                     "converted as kW = kVA x PF (2,000 kVA at PF "
                                                                     "0.95 is 1,900 kW)")
    contract_min_frac: float = Field(1.0, ge=0.0, le=1.0, description="share of contract_demand_kw that floors "
                                     "the flat (maximum-demand) charges' billing demand, e.g. 0.85 of the "
                                     "contracted T&D demand (Dominion GS-5); 1: the whole contract [0-1]")
    contract_tou_min_frac: float | None = Field(None, ge=0.0, le=1.0, description="share of contract_demand_kw "
                                                "that floors the TOU demand charges' billing demand, e.g. 0.60 of "
                                                "the contracted generation demand (Dominion GS-5); left out: "
                                                "contract_min_frac [0-1]")
    currency: str = Field("USD", description="the currency of every price, in either form: USD only (dcplan "
                                             "bills in USD and reads every price as USD; convert a tariff in "
                                             "another currency to USD first)")
    coincident_peaks: list[PeakStamp] | None = Field(
        None, description="file form, a tariff with coincident-peak charges (coincidentratestructure): the "
                          "system-peak interval ends, local times of the site's time zone in its weather year "
                          "(e.g. ['2025-07-21 17:00', '2025-08-12 16:00']); the site's mean kW over the 60 min "
                          "ending at each is its coincident demand at that peak, and a month's is the mean over "
                          "the month's stamps (dcplan.tariff). Each stamp is an hour end of the site's hourly "
                          "load, with a time of day (on the hour, as the weather file's hours; a date alone is refused), each given "
                          "once. A month with no stamp bills no coincident charge (validate warns and the "
                          "bill notes it): give every priced month's peaks. Required by such a tariff")

    @model_validator(mode="before")
    @classmethod
    def _escalation_lives_in_finance(cls, data):
        # an earlier schema accepted this key and then ignored it; say where it belongs
        if isinstance(data, dict) and "escalation_frac_per_year" in data:
            raise ValueError(f"escalation_frac_per_year = {data['escalation_frac_per_year']!r} is not a tariff "
                             "field: the yearly rise of the bill is finance.electricity_escalation_frac "
                             "(applied by the TCO to the year-1 bill)")
        return data

    @field_validator("currency", mode="before")
    @classmethod
    def _usd_only(cls, v):
        # a site outside the US wrote its tariff's currency: say dcplan's rule, not "unknown key"
        if v != "USD":
            raise ValueError(f"dcplan bills in USD only and reads every price as USD, got {v!r}: convert the "
                             "prices to USD first; allowed: USD")
        return v

    @field_validator("flat_usd_per_kwh")
    @classmethod
    def _not_cents(cls, v: float | None) -> float | None:
        if v is not None:
            from ..tariff_checks import MAX_ENERGY_USD_PER_KWH, rate_slip_message  # (numpy: only for this form)
            if v > MAX_ENERGY_USD_PER_KWH:
                raise ValueError(rate_slip_message(v))
        return v

    @field_validator("coincident_peaks")
    @classmethod
    def _peaks_parse(cls, v: list[str] | None) -> list[str] | None:
        if v is None:
            return v
        if not v:
            raise ValueError("an empty list: give the system-peak interval ends (local times, e.g. "
                             "['2025-07-21 17:00']), or leave coincident_peaks out")
        import pandas as pd  # (only for this key)
        for i, s in enumerate(v):
            try:
                ts = pd.to_datetime(s, format="ISO8601")  # ISO 8601 only: "July 45th" is not a time
            except (ValueError, TypeError, OverflowError):
                ts = None
            if ts is None or pd.isna(ts):
                raise ValueError(f"coincident_peaks[{i}] = {s!r} is not a timestamp; write local times as "
                                 "'YYYY-MM-DD HH:MM' (the end of each system-peak interval), e.g. '2025-07-21 17:00'")
        return _frozen_peaks(v)  # read-only, as the spec: a stamp added in place would skip these checks

    @model_validator(mode="after")
    def _one_form(self):
        if self.file is None and self.flat_usd_per_kwh is None:
            raise ValueError("give the rate: file: <URDB-format JSON> or flat_usd_per_kwh: <$/kWh> (with "
                             "source:, and optionally demand_usd_per_kw: and fixed_usd_per_month:)")
        # (a share at its default is no choice: a full dump, as sweeps rebuild sites, carries the defaults)
        shares = [k for k, dflt in (("contract_min_frac", 1.0), ("contract_tou_min_frac", None))
                  if getattr(self, k) != dflt]
        if shares and self.contract_demand_kw is None:
            raise ValueError(f"{', '.join(shares)} {'is a share' if len(shares) == 1 else 'are shares'} of "
                             "contract_demand_kw, which is not given: give contract_demand_kw (the contracted "
                             f"demand, kW) or drop {' and '.join(shares)}")
        if self.file is not None and self.flat_usd_per_kwh is not None:
            raise ValueError(f"give file ({self.file!r}) or flat_usd_per_kwh ({self.flat_usd_per_kwh:g}), not "
                             "both: a URDB file carries its own rates")
        if self.file is not None:
            given = [k for k in FLAT_KEYS if getattr(self, k) is not None]
            if given:
                verb = "belongs" if len(given) == 1 else "belong"
                raise ValueError(f"{', '.join(given)} {verb} to the flat form (flat_usd_per_kwh), not to a "
                                 f"tariff file ({self.file!r}), which carries its own charges and source; "
                                 "drop them, or replace file with flat_usd_per_kwh")
            return self
        if self.label is not None:
            raise ValueError(f"label ({self.label!r}) picks an item of a URDB file; a flat tariff has no file: "
                             "drop label (source: says which rate this is)")
        if self.coincident_peaks is not None:
            raise ValueError("coincident_peaks are the system peaks a URDB file's coincident-peak charge "
                             "(coincidentratestructure) bills; a flat tariff has none: drop coincident_peaks")
        if self.contract_demand_kw is not None and not self.demand_usd_per_kw:
            raise ValueError(f"contract_demand_kw ({self.contract_demand_kw:g}) floors the billing demand, but "
                             "this flat tariff has no demand charge (demand_usd_per_kw), so it would change "
                             "nothing; give demand_usd_per_kw or drop contract_demand_kw")
        if self.source is None or not self.source.strip():
            raise ValueError("a flat tariff needs source: where flat_usd_per_kwh (and any demand or fixed "
                             "charge) comes from, e.g. \"FPL GSLD-1 2025 schedule\" or \"planner's estimate "
                             "from EIA 2024 FL commercial average\"")
        return self

    @property
    def is_flat(self) -> bool:
        """True for the flat form (``flat_usd_per_kwh``, no file): ``file`` is None."""
        return self.flat_usd_per_kwh is not None
