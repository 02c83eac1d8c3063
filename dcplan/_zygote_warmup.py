"""The zygote's warm-up (:mod:`dcplan._kernel_zygote`): first-use costs paid once, in the zygote,
instead of in every kernel it forks, and leaving no trace a kernel could see (:func:`warm_up`)."""
from __future__ import annotations

import sys


def _warm_numba() -> None:
    """Load (or, on a fresh install, compile and cache) dcplan's numba kernels."""
    import numpy as np
    import pandas as pd
    from dcplan import grid_battery, power, thermal_dynamics
    from dcplan.site import load_portfolio
    hours = pd.date_range("2025-01-01 01:00", periods=48, freq="h", tz="Etc/GMT+5")
    secs = pd.date_range("2025-07-15 12:00", periods=120, freq="s", tz="Etc/GMT+5")
    for spec in load_portfolio("default"):  # every workload kind of the example
        power.site_it_kw(spec, hours, deployed="all")
        power.site_it_kw(spec, secs, deployed="all")
    it = thermal_dynamics.training_load_kw("2025-07-15", 300, peak_kw=1000.0)
    for strategy in ("reactive", "predictive"):
        thermal_dynamics.simulate_lag(it, lag_s=90.0, strategy=strategy)
    load = pd.Series(np.linspace(50.0, 150.0, 48), index=hours)
    grid_battery.peak_shave(load, 100.0, power_kw=20.0, energy_kwh=40.0, soc_initial_frac="cyclic")
    grid_battery.battery_energy_needed_kwh(np.maximum(load.to_numpy() - 100.0, 0.0),
                                           np.maximum(100.0 - load.to_numpy(), 0.0), 20.0)
    from dcplan import schedule
    jobs = [dict(name=n, energy_kwh=3.0, power_kw=1.0, earliest_start=hours[0] - pd.Timedelta("1h"),
                 deadline=hours[-1], preemptible=pre) for n, pre in (("a", True), ("b", False))]
    p, _ = schedule.build_problem(jobs, hours, price_usd_per_kwh=0.1)
    schedule.asap(p)
    schedule.greedy(p)


def _warm_site_year() -> None:
    """One example site-year: pvlib's solar position, the thermal plant, the tariff engine."""
    from dcplan import pipeline
    from dcplan.site import load_portfolio
    spec = next(iter(load_portfolio("default")))
    pipeline.figures(pipeline.run_site_year(spec))


def _warm_figure() -> None:
    """Draw and encode a PNG figure (fonts, text layout, date ticks, legend, twin axes).

    Object-oriented matplotlib only: pyplot would pick the inline backend here, and a
    kernel must import that itself (see PRELOAD).
    """
    import io

    import numpy as np
    import pandas as pd
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure
    fig = Figure(figsize=(8.0, 4.0), dpi=80, layout="tight")
    FigureCanvasAgg(fig)
    ax = fig.add_subplot()
    t = pd.date_range("2025-01-01", periods=48, freq="h", tz="UTC")
    ax.plot(t, np.arange(48.0), label="power [kW]")
    ax.fill_between(t, 0.0, np.arange(48.0), alpha=0.3)
    ax.bar(t[:5], np.ones(5), width=0.02)
    ax.twinx().plot(t, np.arange(48.0)[::-1], ls="--")
    ax.set_title("temperature [°C]")
    ax.set_xlabel("time")
    ax.legend()
    fig.autofmt_xdate()
    fig.savefig(io.BytesIO(), format="png", bbox_inches="tight")


def _warm_excel() -> None:
    """pandas' Excel writer (openpyxl), as the TCO export uses it."""
    import io

    import pandas as pd
    pd.DataFrame({"a": [1.0, 2.0]}, index=pd.Index(["x", "y"], name="k")).to_excel(io.BytesIO())


#: Warm-up steps the zygote runs after its imports, so each forked kernel starts with
#: them done (0.1-0.3 s less per run of the example). A step that fails is skipped.
WARMUP = (_warm_numba, _warm_figure, _warm_site_year, _warm_excel)


def warm_up(step) -> bool:
    """Run one warm-up ``step`` and leave no trace a kernel could see; True if it ran.

    Output and warnings are swallowed (an ignored warning is not recorded as shown, so
    the kernel still shows it once); matplotlib's rcParams are restored; dcplan's
    in-process caches (parsed files, results) are emptied, so a kernel reads every
    file itself. What stays is what a fresh import cannot hold either way: compiled
    numba code, matplotlib's loaded fonts, imported lazy submodules.
    """
    import contextlib
    import io
    import warnings
    mpl = sys.modules.get("matplotlib")
    rc = dict(mpl.rcParams) if mpl is not None else None
    ok = True
    try:
        with warnings.catch_warnings(), contextlib.redirect_stdout(io.StringIO()), \
                contextlib.redirect_stderr(io.StringIO()):
            warnings.simplefilter("ignore")
            step()
    except Exception:  # noqa: BLE001 - a kernel pays the first use itself instead
        ok = False
    finally:
        if rc is not None:
            mpl.rcParams.update(rc)
        _clear_dcplan_caches()
    return ok


def _clear_dcplan_caches() -> None:
    """Empty dcplan's in-process caches: ``functools`` caches and module-level ``*_CACHE``
    dicts (the convention every dcplan module follows for a cache of its own)."""
    from dcplan._zygote_sites import kept_ids
    kept = kept_ids()   # by identity: a module that imports a kept function holds the same cache
    for name, mod in list(sys.modules.items()):
        if not (name == "dcplan" or name.startswith("dcplan.")) or mod is None:
            continue
        for attr, obj in list(vars(mod).items()):
            if id(obj) in kept:
                continue
            if callable(getattr(obj, "cache_clear", None)) and hasattr(obj, "cache_info"):
                obj.cache_clear()
            elif attr.endswith("_CACHE") and isinstance(obj, dict):
                obj.clear()
    fleet = sys.modules.get("dcplan.power_fleet")
    if fleet is not None and isinstance(getattr(fleet, "_MIX_CACHE_SIZE", None), list):
        fleet._MIX_CACHE_SIZE[0] = 0  # the size kept beside _MIX_CACHE
    pipeline = sys.modules.get("dcplan.pipeline")
    if pipeline is not None:
        pipeline.clear_caches()  # also its count of files read
