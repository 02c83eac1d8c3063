"""The ``site_analysis`` verdict's clause for a phased plan that installs GPUs before their grid capacity
(:func:`dcplan.site_verdict.site_verdict` calls :func:`plan_gap_text`).

The verdict compares the full build-out's hourly grid draw with the full contract ("the grid draw stays
within the contracted 24 MW all year"), which says nothing of the months between phases: at
northern-virginia fleet phase 2 is installed in January 2028 while grid phase 2 is planned for July 2028,
so 3,240 of its 9,216 GPUs (45 of its 128 GB200 NVL72 racks, each powered whole) wait 6 months even with
the grid on time (19,440 GPU-months), and with the median grid delay 187,344 GPU-months in all (the ``interconnection``
notebook's ``stranded_gpu_months_plan`` and ``stranded_gpu_months``; 12 MW powers 12,000 / (72 x 2.0076) = 83.02
racks, 83 whole ones on a knife edge: 82, 3,312 GPUs waiting, with the rated chiller COP 6.1 before 2026-12).
This clause says so, counting as that notebook counts: the deployment ramp of
the fleet's GPUs by start date (:func:`dcplan.grid.gpu_plan`) at the facility power per GPU at full design
IT in the typical year's worst hour, powered in whole racks or servers (:func:`dcplan.grid_ramp.power_unit_gpus`),
on the contracted capacity at its planned dates and at the median
delay (:func:`dcplan.grid_waiting.stranded_gpu_months`, :func:`dcplan.grid_waiting.plan_gaps`).

A fleet of several hardware types is counted as the TCO counts it (:func:`dcplan.tco_ramp.tranche_ramp`):
each hall at its own kW per GPU, the oldest powered first (:func:`dcplan.grid_waiting.tranche_deployment_ramp`),
and a fleet installed before the filing date waits from its own first start. A tester's existing campus (a
northern-virginia copy: 500 HGX H100 servers from 2022-06 on 6 MW in service, 64 GB200 NVL72 racks from
2027-09 on a 12 MW phase planned 2027-07, filed 2024-06) was said to leave "673 of its 8,608 GPUs for 37
months (2024-06 to 2027-06)" at the fleet's average 1.803 kW per GPU (mostly GB200); its H100 hall alone
draws 4,000 x 1.566 = 6,264 kW, so 168 GPUs wait 61 months from 2022-06, as the TCO says. The interconnection
notebook's figures (average kW, from the filing date) are then given beside them.
"""
from __future__ import annotations

import pandas as pd

__all__ = ["plan_gap_text"]


def _n(x: float) -> str:
    return f"{x:,.0f}"


def _tranches(fleet, worst_facility_kw: float) -> list | None:
    """``[(start, GPUs, facility kW per GPU, GPUs per rack or server), ...]`` of a fleet of several hardware types (``fleet``:
    :func:`dcplan.power.fleet_table`), each type's design IT per GPU times the fleet's worst-hour facility / IT
    ratio (the TCO's :func:`dcplan.tco_inputs.fleet_phase_mix` and the interconnection notebook's
    ``mixed_fleet_note``); None for one type (every GPU at the fleet's average)."""
    f = fleet[fleet["accelerators"] > 0]
    if f["hardware"].nunique() < 2:
        return None
    by_hw = f.groupby("hardware")
    per_hw = by_hw["phase_max_kw"].sum() / by_hw["accelerators"].sum() * worst_facility_kw / f["phase_max_kw"].sum()
    from .grid_ramp import power_unit_gpus
    return [(st, float(n), float(per_hw[hw]), power_unit_gpus([hw]))
            for st, n, hw in zip(f["start"], f["accelerators"], f["hardware"])]


def plan_gap_text(spec, worst_facility_kw: float) -> str | None:
    """The clause for a site whose plan itself leaves GPUs unpowered before a later grid phase, or None
    (no ``interconnection:`` section, no GPUs, or every GPU installed on or after its capacity's planned
    date). ``worst_facility_kw``: the facility power at full design IT in the typical year's worst hour
    (:func:`dcplan.design_hours.typical_year_worst_hour`'s ``facility_kw``, the interconnection notebook's
    ``facility_design_kw``) [kW]; per GPU it is that notebook's ``kw_per_gpu``.

    A fleet of several hardware types is counted as the TCO counts it (:func:`dcplan.tco_ramp.tranche_ramp`):
    each tranche at its own kW per GPU, the oldest first (an existing campus's H100 hall short of the capacity
    in service waits whatever the newer GB200 halls draw); and a fleet installed before the filing date waits
    from its own start (the TCO's first month), not from the filing date. When that differs from the
    interconnection notebook's figures (every GPU at the fleet's average kW, from the filing date), the clause
    gives those too."""
    from .grid_ramp import power_unit_gpus
    from .grid_waiting import plan_gaps, stranded_gpu_months
    from .power import fleet_table
    ic = spec.interconnection
    if ic is None:
        return None
    fleet = fleet_table(spec)
    n = int(fleet["accelerators"].sum())
    if n <= 0 or not worst_facility_kw > 0:
        return None
    avg = worst_facility_kw / n
    additions = fleet.groupby("start")["accelerators"].sum()
    first = pd.Timestamp(min(fleet.loc[fleet["accelerators"] > 0, "start"]))
    start = min(pd.Timestamp(ic.filed), first)
    tranches = _tranches(fleet, worst_facility_kw)
    unit = power_unit_gpus(fleet.loc[fleet["accelerators"] > 0, "hardware"])   # racks / servers powered whole
    got = stranded_gpu_months(ic, avg, additions, start=start, tranches=tranches, gpus_per_unit=unit)
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
    # (the GPUs the contract never powers are in neither: a shortfall, not a wait, grid_waiting.without_shortfall)
    head = (f"as phased, the plan itself leaves GPUs unpowered before a later grid phase, even with the grid on "
            f"its planned dates: {'; '.join(spells)}; ")
    tail = ": the hourly check above is on the full build-out and the full contract"
    units = {hw: power_unit_gpus([hw]) for hw in fleet.loc[fleet["accelerators"] > 0, "hardware"]}
    worst = "full design IT in the typical year's worst hour" + (
        "; powered in whole racks or servers: " + ", ".join(f"{u} GPUs ({hw})" for hw, u in units.items())
        if max(units.values()) > 1 else "")
    nb = (stranded_gpu_months(ic, avg, additions, gpus_per_unit=unit)
          if (tranches is not None or start < pd.Timestamp(ic.filed)) else None)
    if nb is None or (round(nb["plan_gpu_months"]) == round(plan)
                      and round(nb["total_gpu_months"]) == round(got["total_gpu_months"])):
        return (head + f"{_n(plan)} GPU-months on the planned dates (the interconnection notebook's "
                f"stranded_gpu_months_plan) and {_n(got['total_gpu_months'])} with the median grid delay (its "
                f"stranded_gpu_months), at {avg:.3f} kW per GPU ({worst})" + tail)
    how = []
    if tranches is not None:
        per = {}  # by hardware type, in the fleet's order
        for (_, _, kw, _), hw in zip(tranches, fleet.loc[fleet["accelerators"] > 0, "hardware"]):
            per.setdefault(hw, kw)
        kws = ", ".join(f"{hw} {kw:.3f}" for hw, kw in per.items())
        how.append(f"each hall at its own kW per GPU ({kws}; {worst}), the oldest powered first")
    else:
        how.append(f"at {avg:.3f} kW per GPU ({worst})")
    if start < pd.Timestamp(ic.filed):
        how.append(f"from the fleet's first start ({first:%Y-%m}), before the filing date ({ic.filed})")
    nb_how = ([f"every GPU at the fleet's average {avg:.3f} kW"] if tranches is not None else []) + (
        ["from the filing date"] if start < pd.Timestamp(ic.filed) else [])
    return (head + f"{_n(plan)} GPU-months on the planned dates and {_n(got['total_gpu_months'])} with the "
            f"median grid delay (the GPUs installed on plan), {' and '.join(how)}, as the TCO counts the planned "
            f"dates (the interconnection notebook's stranded_gpu_months_plan and stranded_gpu_months, "
            f"{_n(nb['plan_gpu_months'])} and {_n(nb['total_gpu_months'])}, count {' and '.join(nb_how)})" + tail)
