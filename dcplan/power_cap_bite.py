"""Where a per-accelerator power cap below the TDP bites, and whether a fleet ever gets there.

Re-exported by :mod:`dcplan.power`. The accelerator draws ``I + (T - I) f(u)`` at utilisation ``u``
(:mod:`dcplan.power`, idle ``I`` and TDP ``T`` from data/hardware.csv, curve ``f``), so a cap ``C``
below the TDP clips it only above ``u* = f^-1((C - I) / (T - I))``. The fleet model
(:func:`dcplan.power_fleet.fleet_it_kw`) drives a lock-step share with one realisation and a phase's
independent units, up to :data:`dcplan.power_units.MAX_SIMULATED_UNITS` (64), each with its own draw, capped
on its own; more than 64 run at their expectation, a fleet-level utilisation with no per-server peaks above it.
So a unit type none of whose units exceeds ``u*`` over a span is never capped there
(:func:`unit_peak_utilisation`, per type: a small phase's drawn units can peak above a large one's
expectation): an 800 W cap on a B200 (idle 140 W, TDP 1,000 W) bites above (800 - 140) / 860 = 0.767, and
an inference fleet of hundreds of units at a 0.6 mean peaks below that.
:func:`fleet_cap_bite_notes` says so, with both numbers (:func:`dcplan.power_fleet.fleet_cap_notes`
notes the caps that cannot bite at all: at or above a TDP, or on units without accelerators).

One cap in W holds every accelerator of a mixed fleet, and where it bites differs by type: 800 W
is below a B200's bite point at a 0.742 peak but binds on a GB200 GPU (idle 140 W, TDP 1,200 W)
above (800 - 140) / 1,060 = 0.623. :func:`cap_binding` says, type by type, whether it binds and
why not; :func:`cap_binding_words` says it in a label, never "never binds" when a type binds.
"""
from __future__ import annotations

import numpy as np
import pandas as pd

from .power import _finite_gt0, _number
from .power_fleet import _as_fleet, _check_deployed, _mixture, _phase_hw, _start_index, _workload
from .power_timegrid import Grid, _chunks
from .power_units import unit_draws, unit_mixture
from .workload import DataProcess

__all__ = ["unit_peak_utilisation", "fleet_peak_utilisation_frac", "cap_bite_utilisation_frac",
           "fleet_cap_bite_notes", "cap_binding", "cap_binding_words"]


def unit_peak_utilisation(fleet_or_site, index: pd.DatetimeIndex, *, seed: int = 0,
                          sync_frac: float | None = None, deployed: str = "dated",
                          data: pd.Series | None = None) -> dict[str, dict] | None:
    """Highest utilisation any unit of each unit type runs at over ``index``, and on what basis; or None.

    One dict per unit type (:class:`~dcplan.power.Hardware` key) with a phase of units deployed in ``index``:
    ``peak_frac`` [frac], the highest level :func:`fleet_it_kw` drives its units with (arguments as there, same
    seed; every level held for a positive share of an interval in which the phase is deployed), and
    ``per_unit``: True when each of its units runs at its own utilisation (a phase's independent units, at most
    :data:`dcplan.power_units.MAX_SIMULATED_UNITS`, drawn one by one, each capped on its own; a lock-step share
    at its one realisation), so no unit of the type runs above ``peak_frac``; False when some of them run at a
    fleet-level utilisation (the expectation of more than 64 independent units of a phase, or measured
    utilisation data), above which the model has no per-server peaks. None for measured ``it_kw`` data (no
    utilisation) or when no phase of units is deployed in ``index``.
    """
    fleet, site = _as_fleet(fleet_or_site)
    _check_deployed(deployed)
    proc, s = _workload(fleet, site, data, seed, sync_frac)
    if proc is None:
        return None
    g = Grid.from_index(index)
    starts = [0 if deployed == "all" else _start_index(g, index, ph.start) for ph in fleet.phases]
    labels = [ph.label or f"phase {i + 1}" for i, ph in enumerate(fleet.phases)]
    # the seeds fleet_it_kw draws (its warning about a phase on the expectation is fleet_it_kw's to give)
    draws = unit_draws(fleet, proc, s, seed, [ph.count for ph in fleet.phases], starts, g.n, "site", labels,
                       warn=False)
    out: dict[str, dict] = {}
    for i0, i1 in _chunks(g):
        gp = g.part(i0, i1)
        lock = _mixture(proc, gp, False) if s > 0 else None
        expected = _mixture(proc, gp, True) if s < 1 else None
        for k, (ph, hw) in enumerate(zip(fleet.phases, _phase_hw(fleet))):
            a = max(starts[k], i0) - i0
            if ph.count <= 0 or a >= i1 - i0:
                continue
            mixes = [lock] if lock is not None else []
            if expected is not None:   # the independent units: drawn one by one (as fleet_it_kw), else expected
                mixes += ([_mixture(proc, gp, False) if useed is None else unit_mixture(proc, useed, gp, expected[0])
                           for useed in draws[k]] if draws[k] else [expected])
            top = max(_top_level(lv, w, gp.n, a) for lv, w in mixes)
            per_unit = not isinstance(proc, DataProcess) and (expected is None or bool(draws[k]))
            row = out.setdefault(hw.key, {"peak_frac": top, "per_unit": per_unit})
            row["peak_frac"], row["per_unit"] = max(row["peak_frac"], top), row["per_unit"] and per_unit
    return out or None


def _top_level(lv, w, n: int, a: int) -> float:
    """Highest of the levels ``lv`` held for a positive time weight ``w`` from interval ``a`` of ``n`` on."""
    w = np.asarray(w)[a:]
    used = np.broadcast_to(np.asarray(lv, dtype=float), (n,) + np.shape(w)[1:])[a:][w > 0]
    return float(used.max()) if used.size else -np.inf


def fleet_peak_utilisation_frac(fleet_or_site, index: pd.DatetimeIndex, *, seed: int = 0,
                                sync_frac: float | None = None, deployed: str = "dated",
                                data: pd.Series | None = None) -> float | None:
    """Highest utilisation any unit of the fleet runs at over ``index`` [frac], or None.

    The highest of :func:`unit_peak_utilisation`'s peaks (arguments as :func:`fleet_it_kw`'s, same seed): the
    lock-step share's realisation, each independent unit's own draw where a phase's are drawn one by one (at
    most :data:`dcplan.power_units.MAX_SIMULATED_UNITS`), else their expectation, every level held for a
    positive share of an interval in which a phase of units is deployed. One figure for every unit type: which
    types a per-accelerator cap binds on is :func:`cap_binding`'s, from :func:`unit_peak_utilisation` (a small
    phase's units can peak above a large one's expectation). None for measured ``it_kw`` data (no utilisation)
    or when no phase of units is deployed in ``index``.
    """
    peaks = unit_peak_utilisation(fleet_or_site, index, seed=seed, sync_frac=sync_frac, deployed=deployed, data=data)
    return None if peaks is None else max(r["peak_frac"] for r in peaks.values())


def cap_bite_utilisation_frac(hw, cap_w_per_accelerator: float, curve: str = "linear") -> float:
    """Utilisation above which a per-accelerator cap binds on unit type ``hw`` [frac].

    The accelerator draws ``I + (T - I) f(u)`` (:mod:`dcplan.power`, idle ``I``, TDP ``T``
    from data/hardware.csv), so the cap ``C`` bites once ``f(u) > (C - I) / (T - I)``:
    ``u* = f^-1((C - I) / (T - I))``; on the linear curve ``(C - I) / (T - I)``. 1.0 for a cap
    at or above the TDP (it never binds), 0.0 at or below idle.
    """
    from .power import DEFAULT_CURVE_EXPONENT, _curve
    idle, tdp = hw.accelerator_idle_w, hw.accelerator_tdp_w
    y = (float(cap_w_per_accelerator) - idle) / (tdp - idle)
    if y >= 1.0:
        return 1.0
    if y <= 0.0:
        return 0.0
    lo, hi = 0.0, 1.0   # f rises monotonically from f(0) = 0 to f(1) = 1 on every curve: bisection
    for _ in range(60):
        mid = 0.5 * (lo + hi)
        lo, hi = (mid, hi) if float(_curve(np.array([mid]), curve, DEFAULT_CURVE_EXPONENT)[0]) < y else (lo, mid)
    return 0.5 * (lo + hi)


def cap_binding(fleet_or_site, cap_w_per_accelerator, peak_utilisation_frac) -> list[dict]:
    """Whether a per-accelerator cap binds on each accelerator type of a fleet, and why not.

    ``peak_utilisation_frac``: :func:`unit_peak_utilisation`'s dict (each type's own peak, and whether its units
    run at their own utilisations), or one figure [frac] that drives every unit (a fleet-level utilisation, e.g.
    measured data's), or None. One dict per unit type with accelerators (phases of 0 units left out, phase
    order): ``hw`` (its :class:`~dcplan.power.Hardware`), ``u_star`` (:func:`cap_bite_utilisation_frac`, 1.0 at
    or above its TDP), ``peak_frac`` (its peak utilisation [frac], None when unknown), ``per_unit`` (False for
    one figure) and ``binds``: True when the cap is below its TDP and ``peak_frac`` exceeds ``u_star``; False
    otherwise, with ``why`` ``"tdp"`` (at or above its TDP: never, whatever the load) or ``"utilisation"`` (its
    units stay at or below ``u_star``); ``binds`` None (``why`` None) below the TDP without a peak utilisation
    (measured ``it_kw`` data). Empty without a cap.
    """
    fleet, _ = _as_fleet(fleet_or_site)
    if cap_w_per_accelerator is None:
        return []
    cap = _number(cap_w_per_accelerator, "cap_w_per_accelerator", "a positive number [W]", _finite_gt0)
    by_type = isinstance(peak_utilisation_frac, dict)
    out = []
    for hw in dict.fromkeys(hw for ph, hw in zip(fleet.phases, _phase_hw(fleet)) if ph.count > 0):
        if not hw.accelerators_per_unit:
            continue
        u_star = cap_bite_utilisation_frac(hw, cap, fleet.curve)
        own = peak_utilisation_frac.get(hw.key) if by_type else None
        peak = (own["peak_frac"] if own else None) if by_type else peak_utilisation_frac
        if cap >= hw.accelerator_tdp_w:
            binds, why = False, "tdp"
        elif peak is None:
            binds, why = None, None
        else:
            binds = peak > u_star
            why = None if binds else "utilisation"
        out.append({"hw": hw, "u_star": u_star, "binds": binds, "why": why, "peak_frac": peak,
                    "per_unit": bool(own and own["per_unit"])})
    return out


def _one_fleet_level(rows) -> bool:
    """Whether every type the utilisation decides on (below its TDP) has the same fleet-level peak: then one
    figure, "the fleet's utilisation", speaks for them all (the words before units were drawn one by one)."""
    util = [r for r in rows if r["why"] != "tdp"]
    return not any(r["per_unit"] for r in util) and len({r["peak_frac"] for r in util}) <= 1


def _peak_words(r, one_level: bool) -> str:
    """``"the fleet peaks at 0.742"`` (one fleet-level figure), ``"its fleet-level utilisation peaks at 0.783"``
    (a type on the expectation beside others) or ``"its busiest unit peaks at 0.853"`` (units drawn one by one)."""
    if r["per_unit"]:
        return f"its busiest unit peaks at {r['peak_frac']:.3f}"
    return f"{'the fleet' if one_level else 'its fleet-level utilisation'} peaks at {r['peak_frac']:.3f}"


def cap_binding_words(fleet_or_site, cap_w_per_accelerator, peak_utilisation_frac) -> str:
    """What a label adds after a per-GPU cap's peak reduction or energy change: where it does not bind.

    ``peak_utilisation_frac`` as :func:`cap_binding` takes it. ``""`` when it binds on every accelerator type
    (or nothing is known: no cap, no accelerators, no utilisation). When it binds on none: ``"; it never binds
    here: ..."`` with each type's reason (one type: ``"it bites above a utilisation of 0.767 and the fleet peaks
    at 0.742"``, or ``"... and its busiest unit peaks at 0.745"`` where its units are drawn one by one; at or
    above a TDP: that TDP) and, when a fleet-level utilisation is the reason, that the 0 is this model's limit
    (every server at the fleet-level utilisation), not a finding. When it binds on some types only: ``"; it
    binds only on gb200-nvl72 (above a utilisation of 0.623), where the fleet's utilisation peaks at 0.742, not
    on hgx-b200 (only above 0.767) or hgx-h100 (at or above its 700 W TDP)"`` (each type's own peak in its
    brackets when they differ, e.g. a phase of 8 drawn units beside one on the expectation) and which types'
    per-server peaks, not modelled (on the expectation), it would bite on too: "never binds" is never said of a
    cap that binds on a type (:func:`cap_binding`).
    """
    rows = cap_binding(fleet_or_site, cap_w_per_accelerator, peak_utilisation_frac)
    if not rows or any(r["binds"] is None for r in rows) or all(r["binds"] for r in rows):
        return ""
    one = len(rows) == 1
    one_level = _one_fleet_level(rows)
    model = ("every server runs at the fleet-level utilisation, and per-server peaks above it, where a real "
             "fleet's cap bites")

    def reason(r, on: bool) -> str:
        hw = r["hw"]
        if r["why"] == "tdp":
            return (f"on {hw.key} " if on else "") + f"it is at or above the {hw.accelerator_tdp_w:,.0f} W TDP"
        return ((f"on {hw.key} " if on else "") + f"it bites above a utilisation of {r['u_star']:.3f} and "
                + _peak_words(r, one_level))

    slow = [r for r in rows if r["why"] == "utilisation"]
    coarse = [r for r in slow if not r["per_unit"]]   # on a fleet-level utilisation: no per-server peaks
    if not any(r["binds"] for r in rows):
        on = "" if len(coarse) == len(slow) else f"on {' and '.join(r['hw'].key for r in coarse)} "
        tail = (f"; {on}the 0 is this model's limit, not a finding: {model}, are not modelled" if coarse else
                "" if slow else " (an accelerator never draws above its TDP)")
        return "; it never binds here: " + "; ".join(reason(r, not one) for r in rows) + tail
    on = [r for r in rows if r["binds"]]
    off = [r for r in rows if not r["binds"]]
    own = "" if one_level else "; {}"
    yes = " and ".join(f"{r['hw'].key} (above a utilisation of {r['u_star']:.3f}"
                       + own.format(_peak_words(r, False)) + ")" for r in on)
    no = " or ".join(f"{r['hw'].key} (" + (f"at or above its {r['hw'].accelerator_tdp_w:,.0f} W TDP"
                                           if r["why"] == "tdp" else f"only above {r['u_star']:.3f}"
                                           + own.format(_peak_words(r, False))) + ")"
                     for r in off)
    tail = (f"; per-server peaks above the fleet-level utilisation, where a real fleet's cap would bite on "
            f"{' and '.join(r['hw'].key for r in coarse)} too, are not modelled" if coarse else "")
    where = f", where the fleet's utilisation peaks at {on[0]['peak_frac']:.3f}," if one_level else ","
    return f"; it binds only on {yes}{where} not on {no}{tail}"


def fleet_cap_bite_notes(fleet_or_site, cap_w_per_accelerator, peak_utilisation_frac,
                         where: str = "") -> list[str]:
    """Notes, one per accelerator type, where a cap below the TDP still never binds (on that type: on a
    mixed fleet the note names the types it binds on, whose results it changes).

    A cap ``C`` below an accelerator's TDP bites only above the utilisation
    :func:`cap_bite_utilisation_frac` (``(C - I) / (T - I)`` on the linear curve); when the type's units
    peak at or below it (``peak_utilisation_frac`` as :func:`cap_binding` takes it: one fleet-level figure,
    e.g. :func:`fleet_peak_utilisation_frac`, or :func:`unit_peak_utilisation`'s per type, over the span
    compared, named by ``where``) the capped results equal the uncapped ones. The note says whether that peak
    is each unit's own (units drawn one by one: none runs hotter in the model) or a fleet-level utilisation
    (one figure drives every unit). Caps at or above a TDP are :func:`fleet_cap_notes`' to note; None (no
    utilisation) gives no notes.
    """
    fleet, _ = _as_fleet(fleet_or_site)
    if peak_utilisation_frac is None or cap_w_per_accelerator is None:
        return []
    cap = _number(cap_w_per_accelerator, "cap_w_per_accelerator", "a positive number [W]", _finite_gt0)
    rows = cap_binding(fleet, cap, peak_utilisation_frac)
    one_level = _one_fleet_level(rows)
    binding = [r["hw"].key for r in rows if r["binds"]]
    # where the cap binds on another type, the fleet's capped results differ: say the units' power is unchanged
    same = ("so its capped results equal the uncapped ones" if not binding else
            f"so these units draw the same capped as uncapped (the cap binds on {', '.join(map(repr, binding))})")
    out = []
    for r in rows:
        hw, u_star, peak = r["hw"], r["u_star"], r["peak_frac"]
        if r["why"] == "utilisation":
            how = (f"(({cap:g} - {hw.accelerator_idle_w:g}) / ({hw.accelerator_tdp_w:g} - {hw.accelerator_idle_w:g}) "
                   "W, idle to TDP in data/hardware.csv" + ("" if fleet.curve == "linear" else
                                                             f", on the {fleet.curve} power curve") + ")")
            basis = (f"the busiest of its units peaks at {peak:.3f} (each unit at its own modelled utilisation, "
                     "none runs hotter)" if r["per_unit"] else
                     f"the fleet's utilisation peaks at {peak:.3f} (one fleet-level utilisation drives every unit, "
                     "none runs hotter)" if one_level else
                     f"the fleet-level utilisation its units run at peaks at {peak:.3f} (one figure drives every "
                     f"{hw.key} unit: per-server peaks above it are not modelled)")
            out.append(f"cap_w_per_accelerator {cap:g} W is below the {hw.accelerator_tdp_w:g} W TDP of {hw.key!r} but "
                       f"never binds{' ' + where if where else ''}: it bites only above a utilisation of "
                       f"{u_star:.3f} {how}, and {basis}, {same}")
    return out
