"""The ``site_analysis`` verdict's clause for a phased plan that installs GPUs before their grid capacity
(:func:`dcplan.site_verdict.site_verdict` calls :func:`plan_gap_text`).

The verdict compares the full build-out's hourly grid draw with the full contract ("the grid draw stays
within the contracted 24 MW all year"), which says nothing of the months between phases: at
northern-virginia fleet phase 2 is installed in January 2028 while grid phase 2 is planned for July 2028,
so 3,244 of its 9,216 GPUs wait 6 months even with the grid on time (19,464 GPU-months), and with the
median grid delay 187,416 GPU-months in all (the ``interconnection`` notebook's ``stranded_gpu_months_plan``
and ``stranded_gpu_months``). This clause says so, counting as that notebook counts: the deployment ramp of
the fleet's GPUs by start date (:func:`dcplan.grid.gpu_plan`) at the facility power per GPU at full design
IT in the typical year's worst hour, on the contracted capacity at its planned dates and at the median
delay (:func:`dcplan.grid_waiting.stranded_gpu_months`, :func:`dcplan.grid_waiting.plan_gaps`).
"""
from __future__ import annotations

__all__ = ["plan_gap_text"]


def _n(x: float) -> str:
    return f"{x:,.0f}"


def plan_gap_text(spec, worst_facility_kw: float) -> str | None:
    """The clause for a site whose plan itself leaves GPUs unpowered before a later grid phase, or None
    (no ``interconnection:`` section, no GPUs, or every GPU installed on or after its capacity's planned
    date). ``worst_facility_kw``: the facility power at full design IT in the typical year's worst hour
    (:func:`dcplan.design_hours.typical_year_worst_hour`'s ``facility_kw``, the interconnection notebook's
    ``facility_design_kw``) [kW]; per GPU it is that notebook's ``kw_per_gpu``."""
    from .grid_waiting import plan_gaps, stranded_gpu_months
    from .power import fleet_table
    ic = spec.interconnection
    if ic is None:
        return None
    fleet = fleet_table(spec)
    n = int(fleet["accelerators"].sum())
    if n <= 0 or not worst_facility_kw > 0:
        return None
    got = stranded_gpu_months(ic, worst_facility_kw / n, fleet.groupby("start")["accelerators"].sum())
    gaps = plan_gaps(got["planned_ramp"], ic)
    if not gaps:
        return None
    spells = []
    for g in gaps:
        gpus = (_n(g["max_gpus"]) if g["min_gpus"] == g["max_gpus"]
                else f"{_n(g['min_gpus'])} to {_n(g['max_gpus'])}")
        span = f"{g['first']}" if g["months"] == 1 else f"{g['first']} to {g['last']}"
        until = (f"{g['label']} ({g['mw']:,.4g} MW, planned {g['planned']:%Y-%m-%d})" if g["mw"] > 0
                 else f"more capacity from {g['planned']:%Y-%m}")
        spells.append((f"{gpus} of its {n:,} GPUs for {g['months']} month{'' if g['months'] == 1 else 's'} ({span}",
                       f", {_n(g['gpu_months'])} GPU-months", f") until {until}"))
    waiting = sum(g["gpu_months"] for g in gaps)
    plan = got["plan_gpu_months"]
    # each spell's own GPU-months when they are not the total already
    alone = len(gaps) == 1 and round(plan) == round(waiting)
    spells = [a + ("" if alone else b) + c for a, b, c in spells]
    never = ("" if round(plan) == round(waiting) else
             f", which also counts the GPUs the contract never powers, up to the ramp's last month "
             f"{got['last_month']:%Y-%m}")
    return (f"as phased, the plan itself leaves GPUs unpowered before a later grid phase, even with the grid on "
            f"its planned dates: {'; '.join(spells)}; {_n(plan)} GPU-months on the planned dates (the "
            f"interconnection notebook's stranded_gpu_months_plan{never}) and {_n(got['total_gpu_months'])} with "
            f"the median grid delay (its stranded_gpu_months), at {worst_facility_kw / n:.3f} kW per GPU (full "
            "design IT in the typical year's worst hour): the hourly check above is on the full build-out and "
            "the full contract")
