"""Physical limits of a :func:`dcplan.thermal_dynamics.simulate_lag` run, and the warning when a run passes them.

The lag model throttles the hall to ``throttle_power_frac`` of its demand and sheds nothing more, so
after a large rise on a slow plant its temperatures can climb past what a real hall would survive:
the GPUs would shut down (trip), not throttle. This module names the two limits the model checks
and words the :class:`~dcplan.errors.DcplanWarning` a run gives when it passes one:

===================  ========  ==========================================================  ==========
constant             value     source                                                      status
===================  ========  ==========================================================  ==========
DIE_SHUTDOWN_DEGC    92 degC   NVIDIA A100 80GB PCIe GPU shutdown temperature, nvidia-smi   primary
                               -q output (docs/reference-data.md 3c; other NVIDIA DC GPUs in        (tool
                               nvidia-smi dumps read the same 92 degC, unverified for       output)
                               H100)
COOLANT_MAX_DEGC     60 degC   the hottest coolant at which any cited source runs chips:    estimate
                               60 degC inlet, ETH/IBM hot-water cooling proof of principle
                               (Frontiers in Heat and Mass Transfer 1, 023006, 2010;
                               docs/reference-data.md 3c, secondary); warm-water DLC supply is cited
                               at 30-45 degC (same table). A loop above it is outside every
                               documented operating point, not a measured failure point
===================  ========  ==========================================================  ==========

The die temperature is the model's ``T + gpu_rise_k * P / P_ref`` (coolant plus the die's rise
at the step's, possibly throttled, power; :mod:`dcplan.thermal_dynamics`), whatever ``limit_on``
the throttle watches.
"""
from __future__ import annotations

import contextlib
import warnings

import numpy as np

from .paths import doc_ref
from .errors import DcplanWarning

__all__ = ["DIE_SHUTDOWN_DEGC", "COOLANT_MAX_DEGC", "warn_unphysical", "time_above_s", "attributed_warnings"]

#: GPU die shutdown temperature (A100 80GB PCIe, nvidia-smi; docs/reference-data.md 3c, primary). [degC]
DIE_SHUTDOWN_DEGC = 92.0
#: Coolant temperature above which the lumped loop is outside any documented operating point
#: (60 degC inlet, ETH/IBM hot-water proof of principle, docs/reference-data.md 3c; estimate). [degC]
COOLANT_MAX_DEGC = 60.0


def time_above_s(temp_end_degc, temp0_degc: float, limit_degc: float, dt: float) -> float:
    """Time [s] a coolant series spends above ``limit_degc``, each step's crossing interpolated linearly.

    ``temp_end_degc`` holds the end-of-step temperatures; the first step starts at ``temp0_degc``.
    A step wholly above counts ``dt``; a step that crosses counts the share of ``dt`` above the limit
    on the straight line between its start and end temperatures (the kernel's rule, vectorized).
    """
    b = np.asarray(temp_end_degc, dtype=np.float64)
    a = np.r_[float(temp0_degc), b[:-1]]
    hi, lo = np.maximum(a, b), np.minimum(a, b)
    frac = np.where(lo > limit_degc, 1.0,
                    np.where(hi <= limit_degc, 0.0, (hi - limit_degc) / np.where(hi > lo, hi - lo, 1.0)))
    return float(frac.sum() * dt)


def warn_unphysical(summary: dict, *, stacklevel: int = 3) -> None:
    """A :class:`DcplanWarning` when the run's die passed :data:`DIE_SHUTDOWN_DEGC` or its coolant
    :data:`COOLANT_MAX_DEGC` (``summary`` from :func:`dcplan.thermal_dynamics.simulate_lag`)."""
    die = summary["die_above_shutdown_s"] > 0
    parts = []
    if die:
        parts.append(f"GPU die (coolant + gpu_rise_k x power share) peaks at {summary['peak_die_temp_degc']:.1f} degC, "
                     f"above the {DIE_SHUTDOWN_DEGC:g} degC GPU shutdown temperature (A100 80GB PCIe, nvidia-smi, "
                     f"{doc_ref('reference-data.md', '3c')}) for {summary['die_above_shutdown_s']:,.0f} s")
    if summary["coolant_above_max_s"] > 0:
        parts.append(f"coolant peaks at {summary['peak_temp_degc']:.1f} degC, above the {COOLANT_MAX_DEGC:g} degC "
                     "stated coolant maximum (the hottest documented chip inlet, "
                     f"{doc_ref('reference-data.md', '3c')}; an "
                     f"estimate) for {summary['coolant_above_max_s']:,.0f} s")
    if not parts:
        return
    tail = ("A real hall's GPUs would shut down (trip), not throttle, so the IT energy lost "
            f"({summary['energy_lost_kwh']:,.1f} kWh) and the time throttled are lower bounds" if die else
            "The loop is outside any documented operating point: read the throttling figures as the model's, "
            "not a real hall's")
    warnings.warn("temperatures not physical: " + "; ".join(parts) + ". " + tail, DcplanWarning,
                  stacklevel=stacklevel)


@contextlib.contextmanager
def attributed_warnings(case: str):
    """Re-issue every :class:`DcplanWarning` raised inside the block with ``case`` in front, so a warning
    from one run of many says which run it came from (a lag sweep with ``lag_s`` 0 gave 12 "temperatures
    not physical" warnings naming no case). Other warnings pass unchanged."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        yield
    for w in caught:
        if issubclass(w.category, DcplanWarning):
            warnings.warn(f"{case}: {w.message}", w.category, stacklevel=3)
        else:
            warnings.warn_explicit(w.message, w.category, w.filename, w.lineno)
