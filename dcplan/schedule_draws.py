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
from .schedule_generate import FILL_WARN_REL, N_TRAINING_DEFAULT

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
    from .schedule_generate import _draw_mix, _hours, _mix_table, _names, fill_warning_text
    from .schedule_idle import above_idle
    from .schedule_inputs import check_generator_args
    from .schedule_jobs import KW_PER_ACCELERATOR_DEFAULT, _kpa_default
    kwa = KW_PER_ACCELERATOR_DEFAULT if kw_per_accelerator is None else float(kw_per_accelerator)
    # each week as generate_jobs makes it (its checks, draws and sizes: schedule_generate._draw_mix), and one table
    # of them all: the same rows as the weeks' tables concatenated, without a table and a check per week
    mixes, starts, names = [], [], []
    off = []  # the weeks whose mix fills other than asked (generate_jobs would warn of each): one warning for them all
    for k in range(int(weeks)):
        args = (n_jobs, N_TRAINING_DEFAULT, n_nonpreemptible, flex_kw, utilisation_frac, kwa)
        ts, stp = check_generator_args(start + pd.Timedelta(days=7 * k), 7, *args, "1h", week_seed(seed, draw, k))
        m = _draw_mix(7, *args, stp, week_seed(seed, draw, k), "1h")
        if m["got"] is not None and abs(m["got"] - utilisation_frac) > FILL_WARN_REL * utilisation_frac:
            off.append((k, float(m["energy_kwh"].sum()) / (flex_kw * 7 * 24.0), m["got"]))
        mixes.append(m)
        starts.append(ts)
        names += _names(f"w{k:02d}-", n_jobs, m["n_train"])
    if off:
        fills = [f for _, f, _ in off]
        # the generator's reason, after "(1.39 x): " (else its whole text)
        why = fill_warning_text(n_jobs, off[0][2], flex_kw, 7, utilisation_frac, kwa).split(" x): ", 1)[-1]
        warnings.warn(f"{_FILL_WARNING} {n_jobs} jobs fills {min(fills):.3g} to {max(fills):.3g} of flex_kw "
                      f"{flex_kw:,.0f} kW in {len(off)} of the year's {int(weeks)} weeks (draw {draw} of the synthetic "
                      f"mix), not the utilisation_frac {utilisation_frac:.3g} asked: {why}", DcplanWarning,
                      stacklevel=2)
    if not mixes:
        raise InputError(f"got {weeks!r}; allowed: 1 or more weeks", field="weeks")
    cols = {c: np.concatenate([m[c] for m in mixes]) for c in mixes[0] if c not in ("got", "n_train")}
    # each week's times from its own start (start + 7 k days, as generate_jobs is given it): exact instants
    week_start = pd.DatetimeIndex(starts)[np.repeat(np.arange(len(mixes)), n_jobs)]
    full = _mix_table(cols, names, week_start + _hours(cols["release_h"]), week_start + _hours(cols["dl_h"]), kwa,
                      _kpa_default())
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
