"""Checks of the TCO's ``build_months`` against the site's dates and the catalog's band (warnings).

The site's own ``build_months`` never moves first operations: the fleet's start dates are the site file's, and
the project start (construction start, model month 0, the month the NPV is valued at) is the first fleet
start less ``build_months`` (:func:`dcplan.tco_input_types.calendar_months`). A long build in the site file
therefore starts the project earlier, possibly before the interconnection request was filed and years in the
past (the tornado's and Monte Carlo's other builds do not: they are overruns from that start,
:mod:`dcplan.tco_revalue`); a build below the catalog band's low (:data:`dcplan.catalog_bands.BANDS`) builds a facility
faster than its long-lead equipment arrives. :func:`build_months_warnings` words both, naming the field,
the value and the dates; :func:`dcplan.tco_inputs.inputs_from_site` warns with them (``DcplanWarning``).
"""
from __future__ import annotations

import pandas as pd

from .tco_input_types import month_on_or_after, whole_months

__all__ = ["build_months_warnings", "BUILD_TIMING_TEXT"]

#: What the tornado's and Monte Carlo's ``build_months`` swing is (the tornado's sources row, the tco notebook).
BUILD_TIMING_TEXT = ("construction-overrun risk: construction starts at the base case's project start in every case, "
                     "and a build longer than the case's own finishes later, so the fleet, its revenue and its "
                     "costs start that many months later (a shorter one: earlier) within the same horizon, the grid "
                     "phases at their planned dates (dcplan.tco_revalue)")


def build_months_warnings(site, build_months: float, source: str = "finance.build_months") -> list[str]:
    """Warnings on a TCO case's ``build_months`` (as given; the model uses it in whole months).

    * below the catalog band's low (:data:`dcplan.catalog_bands.BANDS` ``build_months``, 3 months);
    * above its high (96 months);
    * a project start (the first fleet start less ``build_months``) in a month before the month the
      interconnection request was filed (``interconnection.filed``): construction before the request. Not
      on an existing campus (a phase ``in_service``), whose build predates its new request.

    ``source`` names the field the value came from (``finance.build_months``, ``finance.costs.build_months``,
    or the data/costs.csv default). ``[]`` when none applies or the site has no dated fleet.
    """
    from .catalog_bands import BANDS
    band = BANDS["costs.csv"]["build_months"]
    b = float(build_months)
    used = int(whole_months(b))
    where = str(getattr(site, "source_file", None) or getattr(site, "name", "site"))
    out = []
    if b < band.lo or b > band.hi:
        side = "below the catalog band's low" if b < band.lo else "above the catalog band's high"
        edge = band.lo if b < band.lo else band.hi
        out.append(f"{where}: {source}: {b:g} months is {side} of {edge:g} months (dcplan.catalog_bands, data/costs.csv "
                   f"build_months: {band.lo:g}-{band.hi:g} months; {band.why}): the TCO builds the facility in "
                   f"{used} months before the fleet's first start; allowed without this warning: "
                   f"{band.lo:g}-{band.hi:g} months")
    phases = getattr(getattr(site, "fleet", None), "phases", None)
    ic = getattr(site, "interconnection", None)
    if not phases or ic is None or any(p.in_service for p in (ic.phases or ())):
        return out  # an existing campus (capacity in service): its build predates the new request
    first = month_on_or_after(min(p.start for p in phases))
    start = first - used
    filed = pd.Timestamp(ic.filed)
    filed_month = filed.to_period("M")
    if start < filed_month:
        most = first.ordinal - filed_month.ordinal
        out.append(f"{where}: {source}: {b:g} months puts the project start (construction start, the month the NPV "
                   f"is valued at) at {start}, {filed_month.ordinal - start.ordinal} months before the interconnection "
                   f"request was filed (interconnection.filed: {filed.date()}): build_months never moves first "
                   f"operations (the fleet's first start, {first}, is the site file's), it only starts the project "
                   f"earlier, so the NPV is valued at {start}; allowed: a project start in or after the filing month, "
                   f"build_months at most {most} here (or a later fleet.phases start)")
    return out
