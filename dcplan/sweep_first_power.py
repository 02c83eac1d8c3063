"""What sets a sweep case's first power: the grid wait or the long-lead equipment (a sweep row's columns).

A case's time to power is the later of two dates drawn independently (:func:`dcplan.grid.time_to_power`):
the grid wait (its region's, or the site's own ``interconnection.time_to_power``) and the delivery of
the long-lead equipment on the critical path (``interconnection.equipment``, default the substation
transformer and MV switchgear, ordered at ``interconnection.equipment_ordered``, default at filing). A
site-selection lead read the portfolio sweep's "first power depends on the filing date and the region
only" and halved Phoenix's grid wait (APS, p10 / median / p90 18 / 24 / 48 months, to 9 / 12 / 24):
with the bundled data its median time to power fell from 37.5 to 34.8 months only, not by 12, because
the transformer's 150-week median (about 34.5 months) was already later than the grid's.
So each row carries both medians and which one is later:

* ``grid_median_months`` [months]: the grid wait's median (``time_to_power``'s ``grid_months`` at 0.5);
* ``equipment_median_months`` [months after filing]: the median date every item is delivered,
  including the order delay (0 with no long-lead equipment, ``interconnection.equipment: none``);
* ``critical_path``: ``"equipment"`` when that median is later than the grid's, else ``"grid"``, as
  :func:`dcplan.grid_lead_time.time_to_power_driver` words it. With ``"equipment"`` a shorter grid
  wait buys little; ordering the equipment earlier (``interconnection.equipment_ordered``, before
  filing if need be) is the lever.

Both medians are given the months the case's site has already waited without power by its plan's date
(:func:`dcplan.plan_dates.with_wait`, :mod:`dcplan.grid_given_wait`: each given the same event as the time to power,
no power by then, which may be the grid's or the equipment's, so the time to power's median is at or above both),
as :func:`dcplan.pipeline.figures`' time to power beside them. The row says which wait that is:

* ``grid_waited_months`` [months]: the months from ``interconnection.filed`` to the plan's date (the site file's
  ``as_of``, else ``DCPLAN_TODAY`` or the machine's date) the row's time to power and both medians are given
  (:func:`dcplan.plan_dates.months_waited`); 0 when the request was not filed before that date or every phase
  with capacity is in service (nothing conditioned). Without it a row's time to power read as the whole wait
  from filing, and rows made on different days (no ``as_of``) differed with nothing saying why.

A site with every phase with capacity in service has no time to power (NaN: :func:`dcplan.pipeline.figures`,
:func:`dcplan.grid.no_pending_note`): its first power is the in-service date, which neither part sets, so its
medians are NaN and its ``critical_path`` is ``"in service"``.
"""
from __future__ import annotations

import functools
from typing import Any

__all__ = ["CRITICAL_PATH_COLUMNS", "WAITED_COLUMN", "critical_path_figures", "with_critical_path"]

#: The columns :func:`critical_path_figures` gives, in row order.
CRITICAL_PATH_COLUMNS = ("grid_median_months", "equipment_median_months", "critical_path")
#: The column :func:`with_critical_path` adds after them: the months waited the row's time to power is given.
WAITED_COLUMN = "grid_waited_months"


def critical_path_figures(ic) -> dict[str, Any]:
    """``grid_median_months``, ``equipment_median_months`` and ``critical_path`` of a site's
    ``interconnection:`` section (see the module docstring); ``{}`` without one; NaN, NaN and ``"in service"``
    with every phase in service (no wait from filing applies)."""
    if ic is None:
        return {}
    from .grid import no_pending_note
    if no_pending_note(ic) is not None:
        return {"grid_median_months": float("nan"), "equipment_median_months": float("nan"),
                "critical_path": "in service"}
    try:
        g, e = _medians(ic)
    except TypeError:  # a section that does not hash (a list left in it): computed each time
        g, e = _medians.__wrapped__(ic)
    return {"grid_median_months": g, "equipment_median_months": e,
            "critical_path": "equipment" if e > g else "grid"}


@functools.lru_cache(maxsize=64)
def _medians(ic) -> tuple[float, float]:
    """(grid wait median, equipment delivery median) of a section, per worker process: a
    :func:`dcplan.grid.time_to_power` costs 20-30 ms, as much as half a case, and a sweep's cases
    mostly share their site's section (a frozen model: equal sections hash alike; a section given months waited,
    :func:`dcplan.grid_given_wait.given_wait`, equals only one given the same months and date)."""
    from .grid import time_to_power
    row = time_to_power(ic).loc[0.5]  # the quantiles figures() asks for: the same grid of months
    return float(row["grid_months"]), float(row["equipment_months"])


def with_critical_path(out: dict[str, Any], site) -> dict[str, Any]:
    """``out`` (:func:`dcplan.pipeline.figures` of ``site``) with :func:`critical_path_figures`, then
    :data:`WAITED_COLUMN` (the months waited they and the time to power are given), placed right after its
    ``time_to_power_p90_months`` (the time to power they explain); ``out`` unchanged for a site without an
    ``interconnection:`` section."""
    from .plan_dates import months_waited, with_wait  # given the months already waited, as figures' time to power
    extra = critical_path_figures(with_wait(site).interconnection)
    if not extra:
        return out
    extra[WAITED_COLUMN] = months_waited(site)[0]
    row: dict[str, Any] = {}
    for k, v in out.items():
        row[k] = v
        if k == "time_to_power_p90_months":
            row.update(extra)
    row.update({k: v for k, v in extra.items() if k not in row})
    return row
