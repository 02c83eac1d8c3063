"""Where a per-accelerator power cap below the TDP bites, and whether a fleet ever gets there.

Re-exported by :mod:`dcplan.power`. The accelerator draws ``I + (T - I) f(u)`` at utilisation ``u``
(:mod:`dcplan.power`, idle ``I`` and TDP ``T`` from data/hardware.csv, curve ``f``), so a cap ``C``
below the TDP clips it only above ``u* = f^-1((C - I) / (T - I))``. The fleet model drives every unit
with fleet-level utilisations (:func:`dcplan.power_fleet.fleet_it_kw`: the lock-step share's
realisation and the independent units' expectation), so a fleet whose utilisation never exceeds
``u*`` over a span is never capped there: an 800 W cap on a B200 (idle 140 W, TDP 1,000 W) bites
above (800 - 140) / 860 = 0.767, and an inference fleet at a 0.6 mean peaks below that.
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

__all__ = ["fleet_peak_utilisation_frac", "cap_bite_utilisation_frac", "fleet_cap_bite_notes", "cap_binding",
           "cap_binding_words"]


def fleet_peak_utilisation_frac(fleet_or_site, index: pd.DatetimeIndex, *, seed: int = 0,
                                sync_frac: float | None = None, deployed: str = "dated",
                                data: pd.Series | None = None) -> float | None:
    """Highest utilisation any unit of the fleet runs at over ``index`` [frac], or None.

    The utilisation levels :func:`fleet_it_kw` drives the power model with (arguments as there,
    same seed): the lock-step share's realisation and the independent units' expectation, every
    level held for a positive share of an interval in which a phase of units is deployed. Every
    unit runs at these fleet-level utilisations (no unit is modelled above them), so a
    per-accelerator cap that bites only above this utilisation never binds over ``index``
    (:func:`fleet_cap_bite_notes`). None for measured ``it_kw`` data (no utilisation) or when no
    phase of units is deployed in ``index``.
    """
    fleet, site = _as_fleet(fleet_or_site)
    _check_deployed(deployed)
    proc, s = _workload(fleet, site, data, seed, sync_frac)
    if proc is None:
        return None
    g = Grid.from_index(index)
    first = min((0 if deployed == "all" else _start_index(g, index, ph.start) for ph in fleet.phases
                 if ph.count > 0), default=g.n)
    parts = ([False] if s > 0 else []) + ([True] if s < 1 else [])
    peak = None
    for i0, i1 in _chunks(g):
        if i1 <= first:
            continue
        gp = g.part(i0, i1)
        a = max(first, i0) - i0
        for expected in parts:
            lv, w = _mixture(proc, gp, expected)
            w = np.asarray(w)[a:]
            used = np.broadcast_to(np.asarray(lv, dtype=float), (gp.n,) + np.shape(w)[1:])[a:][w > 0]
            if used.size:
                peak = float(used.max()) if peak is None else max(peak, float(used.max()))
    return peak


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


def cap_binding(fleet_or_site, cap_w_per_accelerator, peak_utilisation_frac: float | None) -> list[dict]:
    """Whether a per-accelerator cap binds on each accelerator type of a fleet, and why not.

    One dict per unit type with accelerators (phases of 0 units left out, phase order): ``hw`` (its
    :class:`~dcplan.power.Hardware`), ``u_star`` (:func:`cap_bite_utilisation_frac`, 1.0 at or above
    its TDP) and ``binds``: True when the cap is below its TDP and ``peak_utilisation_frac`` (the
    fleet's, which drives every unit) exceeds ``u_star``; False otherwise, with ``why`` ``"tdp"``
    (at or above its TDP: never, whatever the load) or ``"utilisation"`` (the fleet stays at or below
    ``u_star``); ``binds`` None (``why`` None) below the TDP without a peak utilisation (measured
    ``it_kw`` data). Empty without a cap.
    """
    fleet, _ = _as_fleet(fleet_or_site)
    if cap_w_per_accelerator is None:
        return []
    cap = _number(cap_w_per_accelerator, "cap_w_per_accelerator", "a positive number [W]", _finite_gt0)
    out = []
    for hw in dict.fromkeys(hw for ph, hw in zip(fleet.phases, _phase_hw(fleet)) if ph.count > 0):
        if not hw.accelerators_per_unit:
            continue
        u_star = cap_bite_utilisation_frac(hw, cap, fleet.curve)
        if cap >= hw.accelerator_tdp_w:
            binds, why = False, "tdp"
        elif peak_utilisation_frac is None:
            binds, why = None, None
        else:
            binds = peak_utilisation_frac > u_star
            why = None if binds else "utilisation"
        out.append({"hw": hw, "u_star": u_star, "binds": binds, "why": why})
    return out


def cap_binding_words(fleet_or_site, cap_w_per_accelerator, peak_utilisation_frac: float | None) -> str:
    """What a label adds after a per-GPU cap's peak reduction or energy change: where it does not bind.

    ``""`` when it binds on every accelerator type (or nothing is known: no cap, no accelerators, no
    utilisation). When it binds on none: ``"; it never binds here: ..."`` with each type's reason
    (one type: ``"it bites above a utilisation of 0.767 and the fleet peaks at 0.742"``; at or above
    a TDP: that TDP) and, when a utilisation is the reason, that the 0 is this model's limit (every
    server at the fleet-level utilisation), not a finding. When it binds on some types only: ``"; it
    binds only on gb200-nvl72 (above a utilisation of 0.623), where the fleet's utilisation peaks at
    0.742, not on hgx-b200 (only above 0.767) or hgx-h100 (at or above its 700 W TDP)"`` and which
    types' per-server peaks, not modelled, it would bite on too: "never binds" is never said of a cap
    that binds on a type (:func:`cap_binding`).
    """
    rows = cap_binding(fleet_or_site, cap_w_per_accelerator, peak_utilisation_frac)
    if not rows or any(r["binds"] is None for r in rows) or all(r["binds"] for r in rows):
        return ""
    one = len(rows) == 1
    model = ("every server runs at the fleet-level utilisation, and per-server peaks above it, where a real "
             "fleet's cap bites")

    def reason(r, on: bool) -> str:
        hw = r["hw"]
        if r["why"] == "tdp":
            return (f"on {hw.key} " if on else "") + f"it is at or above the {hw.accelerator_tdp_w:,.0f} W TDP"
        return ((f"on {hw.key} " if on else "") + f"it bites above a utilisation of {r['u_star']:.3f} and the fleet "
                f"peaks at {peak_utilisation_frac:.3f}")

    slow = [r for r in rows if r["why"] == "utilisation"]
    if not any(r["binds"] for r in rows):
        tail = (f"; the 0 is this model's limit, not a finding: {model}, are not modelled" if slow else
                " (an accelerator never draws above its TDP)")
        return "; it never binds here: " + "; ".join(reason(r, not one) for r in rows) + tail
    on = [r for r in rows if r["binds"]]
    off = [r for r in rows if not r["binds"]]
    yes = " and ".join(f"{r['hw'].key} (above a utilisation of {r['u_star']:.3f})" for r in on)
    no = " or ".join(f"{r['hw'].key} (" + (f"at or above its {r['hw'].accelerator_tdp_w:,.0f} W TDP"
                                           if r["why"] == "tdp" else f"only above {r['u_star']:.3f}") + ")"
                     for r in off)
    tail = (f"; per-server peaks above the fleet-level utilisation, where a real fleet's cap would bite on "
            f"{' and '.join(r['hw'].key for r in slow)} too, are not modelled" if slow else "")
    return (f"; it binds only on {yes}, where the fleet's utilisation peaks at {peak_utilisation_frac:.3f}, not on "
            f"{no}{tail}")


def fleet_cap_bite_notes(fleet_or_site, cap_w_per_accelerator, peak_utilisation_frac: float | None,
                         where: str = "") -> list[str]:
    """Notes, one per accelerator type, where a cap below the TDP still never binds (on that type: on a
    mixed fleet the note names the types it binds on, whose results it changes).

    A cap ``C`` below an accelerator's TDP bites only above the utilisation
    :func:`cap_bite_utilisation_frac` (``(C - I) / (T - I)`` on the linear curve); the model drives
    every unit with the fleet's utilisation, so when that peaks at or below it
    (``peak_utilisation_frac``, e.g. :func:`fleet_peak_utilisation_frac` over the span compared,
    named by ``where``) the capped results equal the uncapped ones. Caps at or above a TDP are
    :func:`fleet_cap_notes`' to note; None (no utilisation) gives no notes.
    """
    fleet, _ = _as_fleet(fleet_or_site)
    if peak_utilisation_frac is None or cap_w_per_accelerator is None:
        return []
    cap = _number(cap_w_per_accelerator, "cap_w_per_accelerator", "a positive number [W]", _finite_gt0)
    rows = cap_binding(fleet, cap, peak_utilisation_frac)
    binding = [r["hw"].key for r in rows if r["binds"]]
    # where the cap binds on another type, the fleet's capped results differ: say the units' power is unchanged
    same = ("so its capped results equal the uncapped ones" if not binding else
            f"so these units draw the same capped as uncapped (the cap binds on {', '.join(map(repr, binding))})")
    out = []
    for r in rows:
        hw, u_star = r["hw"], r["u_star"]
        if r["why"] == "utilisation":
            how = (f"(({cap:g} - {hw.accelerator_idle_w:g}) / ({hw.accelerator_tdp_w:g} - {hw.accelerator_idle_w:g}) "
                   "W, idle to TDP in data/hardware.csv" + ("" if fleet.curve == "linear" else
                                                             f", on the {fleet.curve} power curve") + ")")
            out.append(f"cap_w_per_accelerator {cap:g} W is below the {hw.accelerator_tdp_w:g} W TDP of {hw.key!r} but "
                       f"never binds{' ' + where if where else ''}: it bites only above a utilisation of "
                       f"{u_star:.3f} {how}, and the fleet's utilisation peaks at {peak_utilisation_frac:.3f} (one "
                       f"fleet-level utilisation drives every unit, none runs hotter), {same}")
    return out
