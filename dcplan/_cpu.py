"""How many threads one dcplan computation may keep busy.

``dcplan render -j N`` runs N notebooks at once; a notebook that also spreads its own
work over threads (:func:`dcplan.schedule.optimize_each`,
:func:`dcplan.schedule_rolling.start_rolling_horizon`) would then put more busy threads
than cores on the machine, and on two cores that measured about 15 % slower than
running those steps one after another. Render therefore gives each kernel a share of
the cores in :data:`THREADS_ENV` (cores // parallel runs, at least 1), the way
``OMP_NUM_THREADS`` limits a numerical library. Outside a render it is unset and every
core counts.
"""
from __future__ import annotations

import os

#: Environment variable: threads one computation may use (render sets it for its kernels).
THREADS_ENV = "DCPLAN_THREADS"


def threads() -> int:
    """``$DCPLAN_THREADS`` if it is a positive integer, else the machine's cores."""
    v = os.environ.get(THREADS_ENV, "").strip()
    if v.isdigit() and int(v) > 0:
        return int(v)
    return os.cpu_count() or 1
