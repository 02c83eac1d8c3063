"""When a site of the ``portfolio_comparison`` gets power: the interconnection columns of its row.

:func:`power_columns` is the part of :func:`dcplan.portfolio_compare.site_row` for a site with an
``interconnection:`` section: the dates its new capacity is first energized, the date its capacity already in
service has been since, why it has no time to power from filing (every phase in service), what its time to power
is given (the months already waited without power by the plan's date, :func:`dcplan.plan_dates.with_wait`) and,
when it is given months waited, the median over the whole wait from filing beside it
(``time_to_power_median_unconditioned_months``), as site_analysis and the interconnection notebook publish it
(``time_to_power_*_unconditioned_months``): what a new request would face.
"""
from __future__ import annotations

import pandas as pd

from . import grid

__all__ = ["UNCONDITIONED_KEY", "power_columns"]

#: The site row's column (and the portfolio's per-site key, ``<site id>.<it>``) of the median time to power over
#: the whole wait from filing, site_analysis's key of the same figure. [months]
UNCONDITIONED_KEY = "time_to_power_median_unconditioned_months"


def power_columns(s) -> dict:
    """The interconnection columns of site ``s``'s comparison row (``s.interconnection`` not None).

    ``first_energized_p10``, ``first_energized_p50``, ``first_energized_p90``: the dates its new capacity is first
    energized at those percentiles of the wait (:func:`dcplan.grid.first_power`'s ``new_power``, the first phase not
    already in service; for a site with nothing in service its first phase); ``in_service_since`` (NaT: nothing in
    service); ``time_to_power_reason`` when every phase with capacity is in service ("no pending capacity (all 10 MW
    in service)": no wait from filing applies); ``time_to_power_given`` (:func:`dcplan.grid.wait_words`, "given 9.0
    months waited without power by 2025-03-01", ``""`` when none), what the dates are given; and with a wait given,
    :data:`UNCONDITIONED_KEY`, the median of :func:`dcplan.grid.time_to_power` of the site's own request (waited
    0 months: the whole wait from filing) [months]; NaN without a wait given (the time to power is then the whole
    wait's) or with nothing pending."""
    from .plan_dates import with_wait
    # given the months already waited without power by the plan's date (dcplan.plan_dates.with_wait), as
    # pipeline.figures' time to power and the interconnection notebook's dates
    ic = with_wait(s).interconnection
    given = grid.wait_words(ic)  # "given 9.0 months waited without power by ...", or ""
    row = {"time_to_power_given": given}
    dates = grid.energization_dates(ic)
    fp = {q: grid.first_power(dates, q) for q in ("p10", "p50", "p90")}
    row.update({f"first_energized_{q}": fp[q]["new_power"] for q in fp})
    since = fp["p50"]["in_service_since"]
    row["in_service_since"] = pd.NaT if since is None else since
    pending = grid.no_pending_note(s.interconnection) is None
    if not pending:  # no wait from filing applies: no months
        row["time_to_power_reason"] = (f"no pending capacity (all {grid.in_service_mw(s.interconnection):g} MW "
                                       "in service)")
    # the whole wait from filing beside the conditioned median, as site_analysis publishes it (only with a wait given)
    row[UNCONDITIONED_KEY] = (float(grid.time_to_power(s.interconnection)["time_to_power_months"].loc[0.5])
                              if given and pending else float("nan"))
    return row
