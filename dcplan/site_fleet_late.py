"""``dcplan validate``'s (and ``dcplan render``'s up-front) warning for a fleet that starts long after its
power, part of :func:`dcplan.site_plausibility.site_warnings`.

An owner's scheduler typed a fleet ``start: 2040-01-01`` on a site whose grid capacity is planned for
2026 and dcplan accepted it without a word: the contracted capacity then stands energized (and, with a
contract demand, billed) for years with nothing on it, the deployment ramp of the ``interconnection``
notebook ends before the first GPU is installed (so it shows no stranded GPU and no cost of waiting), and
a year typed a decade off (2040 for 2030) is likelier than such a plan.

The check compares the earliest fleet phase of at least one unit with the date the site's new capacity
is first energized at the median of the grid wait (:func:`dcplan.grid.first_power`'s ``new_power``, the
``first_energized_p50`` every notebook publishes: the first phase not already in service, at its planned
date or later when the wait is longer; a request without phases: the filing date plus the median time to
power; given the months already waited without power by the plan's date, :func:`dcplan.plan_dates.with_wait`,
as the notebooks publish it). A gap of more than :data:`FLEET_LATE_MONTHS` is warned. A site whose capacity is
all in service (an existing campus with no pending phase) is not checked: new halls on running capacity may come at any
time.
"""
from __future__ import annotations

import pandas as pd

from .errors import InputError

__all__ = ["FLEET_LATE_MONTHS", "fleet_late_warnings"]

#: A fleet whose first phase starts more than this many months after its new grid capacity is first
#: energized (median) is warned. A plausibility heuristic of dcplan's (no published source): a fleet is
#: normally installed as its power arrives (the bundled example sites start 0-1 month after their first
#: phase's planned date), two years is longer than dcplan's longest build (data/costs.csv build_months,
#: high 26 months, counts from project start to operations, i.e. it runs alongside the grid wait), and a
#: year typed one decade off is 120 months. [months]
FLEET_LATE_MONTHS = 24


def fleet_late_warnings(site) -> list[str]:
    """The warning for a site whose earliest fleet phase (of at least one unit) starts more than
    :data:`FLEET_LATE_MONTHS` after its new capacity is first energized (median,
    :func:`dcplan.grid.first_power`'s ``new_power``): ``<file>: fleet.phases[i].start: <start> is <n> months
    (<y> years) after ...``; [] when it does not, without an ``interconnection:`` section, or when every
    grid phase is in service."""
    from . import grid
    from .grid import _months_between
    from .plan_dates import with_wait
    phases = [(i, ph) for i, ph in enumerate(site.fleet.phases) if ph.count > 0]
    if site.interconnection is None or not phases:
        return []
    try:
        # the date every notebook publishes: given the months already waited without power (plan_dates.with_wait)
        ic = with_wait(site).interconnection
        fp = grid.first_power(grid.energization_dates(ic))
    except InputError:  # an unknown region or equipment item: the interconnection's own error
        return []
    if fp["pending"] is None:
        return []
    power = pd.Timestamp(fp["new_power"])
    i, ph = min(phases, key=lambda t: t[1].start)
    gap = _months_between(power, pd.Timestamp(ph.start))
    if not gap > FLEET_LATE_MONTHS:
        return []
    k, planned = next(((j, p.energized) for j, p in enumerate(ic.phases or ()) if p.mw > 0 and not p.in_service),
                      (None, None))
    if k is not None:
        when = (f"its grid capacity is first energized on {power:%Y-%m-%d} (median; interconnection.phases[{k}]"
                f".energized: {planned}, planned"
                + (", later by the median grid wait" if power.date() > planned else "") + ")")
    else:
        when = (f"its grid capacity is first energized on {power:%Y-%m-%d} (median: interconnection.filed "
                f"{ic.filed} plus the median time to power)")
    label = f" ({ph.label})" if ph.label else ""
    # the interconnection notebook's ramp (grid.ramp_band): to 24 months after the last phase at the longest delay
    delays = grid.energization_delay_months(ic)
    ramp_end = grid._add_months(grid._phases(ic)[-1][0], float(delays.max()) + 24).to_period("M")
    ramp = (f"the interconnection notebook's deployment ramp ends {ramp_end} (24 months after the last grid "
            "phase at the p90 wait), before the phase is installed, so it shows none of its GPUs"
            if pd.Timestamp(ph.start).to_period("M") > ramp_end else
            "the interconnection notebook's deployment ramp shows the capacity idle until then")
    by = (power + pd.DateOffset(months=FLEET_LATE_MONTHS)).date()
    return [f"{site.source_file or f'site {site.id!r}'}: fleet.phases[{i}].start: {ph.start}{label}, the fleet's "
            f"first phase, is {gap:,.0f} months ({gap / 12:.1f} years) after {when}, more than "
            f"{FLEET_LATE_MONTHS} months: the contracted capacity stands energized with nothing on it for "
            f"that long (billed, with a contract demand), and {ramp}. A mistyped year? allowed: a first start within "
            f"{FLEET_LATE_MONTHS} months of the energization, by {by}"
            "; or keep it if the capacity truly waits that long (dcplan.site_fleet_late.FLEET_LATE_MONTHS)"]
