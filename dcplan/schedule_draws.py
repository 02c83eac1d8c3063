"""The off-peak year's synthetic job mix, and how much its savings depend on the draw.

The rolling year schedules a SYNTHETIC job mix (:func:`dcplan.schedule.generate_jobs`), one week's mix per
week from its own seed. Its savings are of that one draw: another draw of the same generator, at the same fill,
gives other savings (the gain over the cheapest-hours greedy baseline swings by tens of per cent between
draws). :func:`year_jobs` makes draw ``d``'s mix; :func:`other_draws` schedules draws 1 .. n-1 as the notebook's
year (draw 0) is scheduled, and :func:`spread` sums the savings over the draws.

Seeds: week ``k`` of draw ``d`` is generated with ``seed + 1000 + DRAW_STRIDE * d + k`` (draw 0 is the notebook's
year as before: ``seed + 1000 + k``).
"""
from __future__ import annotations

import warnings

import numpy as np
import pandas as pd

from .errors import DcplanWarning, InputError

__all__ = ["DRAW_STRIDE", "MAX_DRAWS", "week_seed", "year_jobs", "other_draws", "spread", "spread_text"]

#: Seed distance between two draws' weeks: above any week count, so no two draws share a week's seed.
DRAW_STRIDE = 100_000
#: Most draws a notebook run may ask for (each is scheduled over the year's weeks: about 5-15 s for 52 weeks on the
#: example sites).
MAX_DRAWS = 20
#: How :func:`dcplan.schedule_generate.generate_jobs`' warning of a mix filling other than asked begins: the year's
#: weeks that give it are warned of once (a one-server site's 52 weeks gave 44 warnings).
_FILL_WARNING = "generate_jobs: the mix of"


def week_seed(seed: int, draw: int, week: int) -> int:
    """The generator seed of week ``week`` of draw ``draw`` (draw 0: ``seed + 1000 + week``)."""
    return int(seed) + 1000 + DRAW_STRIDE * int(draw) + int(week)


def year_jobs(start, weeks: int, index: pd.DatetimeIndex, *, seed: int, draw: int = 0, n_jobs: int,
              n_nonpreemptible: int, flex_kw: float, utilisation_frac: float, idle_frac: float,
              kw_per_accelerator: float | None = None) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Draw ``draw`` of the year's synthetic mix: ``weeks`` weekly mixes from ``start`` on the hourly grid (each
    week's from :func:`week_seed`), jobs due after ``index[-1]`` left out. Returns ``(jobs at full power, jobs
    above the idle draw)`` (:func:`dcplan.schedule_idle.above_idle` at ``idle_frac``: what the scheduler places).
    Each job is whole accelerators of ``kw_per_accelerator`` kW (the site fleet's, in the notebook; None: the
    generator's default).
    The weeks whose mix fills other than ``utilisation_frac`` asks (the generator's DcplanWarning, e.g. whole
    accelerators on a small flexible share) are warned of once, with their number and the range of their fills."""
    from .schedule import generate_jobs
    from .schedule_idle import above_idle
    from .schedule_jobs import KW_PER_ACCELERATOR_DEFAULT
    kwa = KW_PER_ACCELERATOR_DEFAULT if kw_per_accelerator is None else float(kw_per_accelerator)
    mixes, off = [], []  # the weeks whose mix the generator warns fills other than asked: one warning for them all
    for k in range(int(weeks)):
        with warnings.catch_warnings(record=True) as rec:
            warnings.simplefilter("always", DcplanWarning)
            mixes.append(generate_jobs(start + pd.Timedelta(days=7 * k), 7, n_jobs=n_jobs,
                                       n_nonpreemptible=n_nonpreemptible, flex_kw=flex_kw,
                                       utilisation_frac=utilisation_frac, kw_per_accelerator=kwa,
                                       step="1h", seed=week_seed(seed, draw, k),
                                       prefix=f"w{k:02d}-"))
        for w in rec:
            if issubclass(w.category, DcplanWarning) and str(w.message).startswith(_FILL_WARNING):
                off.append((k, float(mixes[-1]["energy_kwh"].sum()) / (flex_kw * 7 * 24.0), str(w.message)))
            else:  # anything else as it came
                warnings.warn_explicit(w.message, w.category, w.filename, w.lineno)
    if off:
        fills = [f for _, f, _ in off]
        why = off[0][2].split(" x): ", 1)[-1]  # the generator's reason, after "(1.39 x): " (else its whole text)
        warnings.warn(f"{_FILL_WARNING} {n_jobs} jobs fills {min(fills):.3g} to {max(fills):.3g} of flex_kw "
                      f"{flex_kw:,.0f} kW in {len(off)} of the year's {int(weeks)} weeks (draw {draw} of the synthetic "
                      f"mix), not the utilisation_frac {utilisation_frac:.3g} asked: {why}", DcplanWarning,
                      stacklevel=2)
    full = pd.concat(mixes)
    full = full[full["deadline"] <= index[-1]]
    return full, above_idle(full, idle_frac)


def other_draws(n_draws: int, start, weeks: int, index: pd.DatetimeIndex, *, seed: int, jobs_kw: dict,
                rolling_kw: dict) -> pd.DataFrame:
    """Draws ``1 .. n_draws - 1`` of the year, each scheduled by rolling horizon as draw 0
    (:func:`dcplan.schedule_rolling.rolling_horizon` with ``rolling_kw``; ``jobs_kw``: :func:`year_jobs`'s
    ``n_jobs`` .. ``idle_frac``). One row per draw: ``draw``, ``first_seed``, ``vs_greedy_usd``, ``vs_asap_usd``
    (NaN where not like for like: :attr:`~dcplan.schedule_rolling.RollingResult.not_comparable`),
    ``optimized_bill_usd``, ``proven`` (every window proven within the gap asked). Empty for ``n_draws`` 1."""
    from .schedule_rolling import rolling_horizon
    n = int(n_draws)
    if not 1 <= n <= MAX_DRAWS:
        raise InputError(f"got {n_draws!r}; allowed: 1 to {MAX_DRAWS} (each draw is scheduled over the year's weeks)",
                         field="seed_draws")
    rows = []
    for d in range(1, n):
        _, jobs = year_jobs(start, weeks, index, seed=seed, draw=d, **jobs_kw)
        r = rolling_horizon(jobs, index, **rolling_kw)
        sv = r.savings
        rows.append({"draw": d, "first_seed": week_seed(seed, d, 0), "vs_greedy_usd": float(sv["vs_greedy_usd"]),
                     "vs_asap_usd": float(sv["vs_asap_usd"]),
                     "optimized_bill_usd": float(r.costs.at["optimized", "bill_total_usd"]),
                     "proven": bool(r.proven)})
    return pd.DataFrame(rows, columns=["draw", "first_seed", "vs_greedy_usd", "vs_asap_usd", "optimized_bill_usd",
                                       "proven"])


def spread(values) -> dict[str, float]:
    """``min``, ``median``, ``max`` and ``n`` of the finite ``values`` (NaN figures and n 0 when none)."""
    v = np.asarray(values, float)
    v = v[np.isfinite(v)]
    if not len(v):
        return {"min": np.nan, "median": np.nan, "max": np.nan, "n": 0}
    return {"min": float(v.min()), "median": float(np.median(v)), "max": float(v.max()), "n": int(len(v))}


def spread_text(s: dict, n_draws: int, unit: str = "USD") -> str:
    """``"min 1,000, median 2,000, max 3,000 USD over 5 draws"``, and how many were not like for like."""
    if not s["n"]:
        return f"no draw of {n_draws} like for like: a strategy left jobs unplaced in each"
    left = int(n_draws) - int(s["n"])
    mn, md, mx = (v if abs(v) >= 0.5 else 0.0 for v in (s["min"], s["median"], s["max"]))  # not "-0"
    out = (f"min {mn:,.0f}, median {md:,.0f}, max {mx:,.0f} {unit} over {s['n']} draw"
           f"{'s' if s['n'] != 1 else ''}")
    return out + (f" ({left} of {n_draws} not like for like: a strategy left jobs unplaced)" if left else "")
