"""Uncertainty of the TCO: one-at-a-time tornado and a vectorized Monte Carlo.

Both evaluate :func:`dcplan.tco.evaluate` on a batch of parameter sets (one row per
case), monthly, in blocks of cases (:data:`BATCH_CELLS`), so 10,000 Monte Carlo draws
cost a few vectorized model runs (benchmark: ``benchmarks/bench_tco.py``). The metrics
are :func:`dcplan.tco.metrics`, the same monthly discounting (end of month) as the
deterministic :func:`dcplan.tco.run_tco`. Every case starts at the base case's project start, so its present
values (``npv_usd``, ``tco_pv_usd``) are at one date: a case with another ``build_months`` is a construction
overrun from that start, its fleet starting later (:mod:`dcplan.tco_revalue`), within the same horizon.

Distributions are given per input key of ``data/costs.csv`` (or ``utilization_frac``)
as tuples:

==========================================  =========================================
``("normal", mean, sd)``                    sd > 0
``("truncnormal", mean, sd, low, high)``    sd > 0, low < high (scipy.stats.truncnorm)
``("lognormal", median, sigma)``            median > 0, sigma > 0 (log-space sigma)
``("uniform", low, high)``                  low < high
``("triangular", left, mode, right)``       left <= mode <= right, left < right
``("fixed", value)``                        -
``("quantiles", probs, values)``            probs increasing in [0, 1], values non-decreasing:
                                            the inverse CDF through these points (linear
                                            between them, held at the end values beyond)
==========================================  =========================================

A site's own grid delay: :func:`site_delay_distribution` (the ``quantiles`` form of
:func:`dcplan.grid.energization_delay_months`) and :func:`site_delay_range` (its 10th-90th
percentile widened to the case's delay, for the tornado: a bar contains the base) replace ``delay_months``'
generic ``data/costs.csv`` range (0-24 months, most likely 0) for a site with an ``interconnection:`` section.

Month inputs drawn from a continuous distribution run in whole months in each case, as in a single
run: ``build_months`` rounded half up (:func:`dcplan.tco.whole_months`), ``delay_months`` by the month
rule (:func:`dcplan.tco_grid_dates.delay_whole_months`; half up for a case without dates).

The electricity bill is the year-1 bill of the modeled load in every draw (times
``electricity_cost_mult`` and escalated; with an ``ElectricityByPvAge`` the bill at each PV
age, aged from each draw's ``build_months``): sampling ``utilization_frac`` changes revenue
and output, not the bill. With ``depreciation="straight-line"`` a sampled
``it_refresh_years`` takes a per-draw loop for depreciation (slower); MACRS does not.

A distribution reaching outside the input's allowed range (a tax rate in percent, a normal discount
rate's tail below 0) is refused before the model runs, naming it and its parameters, with the share of
an unbounded one's draws outside (:func:`dcplan.tco_draw_checks.check_distributions`; use ``truncnormal``).

Random streams: each input is drawn from its **own** stream, seeded by the pair (seed,
input name) (:func:`stream_key`, :func:`input_rng`), never from one shared generator in
dict order. So for the same seed an input's draws do not change when other inputs are
added, removed or reordered, and two inputs with the same distribution get independent
draws. The key is derived with SHA-256 (not Python's ``hash()``, which is salted per
process), so it is the same in every process and Python version; the numbers themselves
are numpy's (``SeedSequence`` and PCG64 are fixed by numpy; its distribution methods can
change between numpy major versions, NEP 19).
"""
from __future__ import annotations

import hashlib
from collections.abc import Mapping

import numpy as np
import pandas as pd
from scipy import stats

from ._ts import did_you_mean
from .errors import InputError
from .tco import SUMMARY_LABELS, TcoInputs, evaluate, load_costs, metrics, scenario, summary_unit, whole_months  # noqa: F401
from .tco_grid_dates import delay_whole_months
from .tco_draw_checks import check_distributions, check_ranges, percentile_levels, quantile_points, support
from .tco_inputs import _MONTH_KEYS, _numbers
from .tco_ramp import first_purchase_month
from .tco_water_range import plant_wue_range  # noqa: F401  (re-exported; default_ranges is in dcplan.tco_ranges)
from .tco_revalue import REVALUED_METRICS, valuation_text
from .tco_ranges import RELATIVE_RANGE_KEYS, default_distributions, default_ranges, scenario_inputs  # noqa: F401

__all__ = ["tornado", "monte_carlo", "sample", "percentiles", "default_distributions",
           "default_ranges", "scenario_inputs", "root_seed", "stream_key", "input_rng", "DEFAULT_PERCENTILES",
           "DISTRIBUTIONS", "RELATIVE_RANGE_KEYS", "STREAMS_NOTE", "BATCH_CELLS", "site_delay_distribution",
           "site_delay_range", "site_delay_share_beyond", "DELAY_PROBS"]

DISTRIBUTIONS = {"normal": 2, "truncnormal": 4, "lognormal": 2, "uniform": 2, "triangular": 3,
                 "fixed": 1, "quantiles": 2}

#: Probabilities at which :func:`site_delay_distribution` tabulates a site's grid delay:
#: 0.5 % to 99.5 % in steps of 0.5 % (a draw beyond them takes the end value: the outer
#: 1 % of the tails is held at the 0.5th / 99.5th percentile).
DELAY_PROBS = tuple(np.round(np.arange(0.005, 0.99501, 0.005), 3))
DEFAULT_PERCENTILES = (5, 10, 50, 90, 95)

def _finite(name, args):
    for a in args:
        if not isinstance(a, (int, float, np.integer, np.floating)) or not np.isfinite(a):
            raise InputError(f"distribution parameters must be finite numbers, got {args!r}",
                             field=f"distributions.{name}")


#: How the Monte Carlo's draws are seeded, in words (monte_carlo's provenance, the export's
#: About sheet).
STREAMS_NOTE = ("one independent random stream per input: numpy.random.default_rng(SeedSequence(seed, "
                "spawn_key=(k,))), k = first 8 bytes of SHA-256(UTF-8 input name) read little-endian; "
                "adding, removing or reordering inputs leaves the other inputs' draws unchanged")


def stream_key(name: str) -> int:
    """The 64-bit key of input ``name``'s random stream (same in every process).

    ``int.from_bytes(sha256(name.encode("utf-8")).digest()[:8], "little")``: Python's
    ``hash()`` is salted per process (``PYTHONHASHSEED``), so it cannot key a reproducible
    stream.

    >>> stream_key("staff_fte_per_mw") == stream_key("staff_fte_per_mw")
    True
    """
    if not isinstance(name, str):
        raise InputError(f"input names must be text, got {name!r}", field="distributions")
    return int.from_bytes(hashlib.sha256(name.encode("utf-8")).digest()[:8], "little")


def root_seed(seed) -> int:
    """The integer the per-input streams are derived from.

    Parameters
    ----------
    seed : int or numpy.random.Generator
        An integer >= 0 is used as it is. A Generator the caller owns is advanced by exactly
        one call, ``integers(0, 2**64, size=2, dtype=uint64)``, whatever the inputs, and those
        128 bits (first value low) are the root: passing that integer as ``seed`` reproduces
        the draws. ``None`` (fresh OS entropy, a different answer on every run) is refused: a
        finance figure must be reproducible.

    Returns
    -------
    int
        >= 0.
    """
    if isinstance(seed, np.random.Generator):
        lo, hi = seed.integers(0, 2**64, size=2, dtype=np.uint64)
        return int(lo) | (int(hi) << 64)
    if isinstance(seed, (int, np.integer)) and not isinstance(seed, bool) and seed >= 0:
        return int(seed)
    raise InputError(f"must be an integer >= 0 or a numpy.random.Generator, got {seed!r} "
                     "(None would draw from fresh OS entropy: not reproducible)", field="seed")


def input_rng(seed: int, name: str) -> np.random.Generator:
    """The random stream of input ``name`` for root seed ``seed`` (see :data:`STREAMS_NOTE`).

    ``numpy.random.default_rng(numpy.random.SeedSequence(seed, spawn_key=(stream_key(name),)))``:
    SeedSequence keeps the seed's words and the key's words apart (the seed is padded to its
    128-bit pool first), so no (seed, name) pair aliases another for seeds < 2**128.

    Parameters
    ----------
    seed : int
        Root seed, >= 0 (:func:`root_seed`).
    name : str
        Input key.
    """
    if isinstance(seed, bool) or not isinstance(seed, (int, np.integer)) or seed < 0:
        raise InputError(f"must be an integer >= 0, got {seed!r}", field="seed")
    return np.random.default_rng(np.random.SeedSequence(int(seed), spawn_key=(stream_key(name),)))


def sample(distributions: Mapping[str, tuple], n_draws: int, seed=0) -> dict[str, np.ndarray]:
    """Draw ``n_draws`` values per input (see the module docstring for the forms).

    Each input has its own stream, :func:`input_rng` ``(root_seed(seed), name)``: an input's
    draws depend only on the seed, its name, its distribution and ``n_draws``, not on which
    other inputs are sampled or in which order.

    Parameters
    ----------
    distributions : mapping of str to tuple
        ``{input_key: (kind, *params)}``.
    n_draws : int
        Number of draws (>= 1).
    seed : int or numpy.random.Generator
        Reproducible root of the streams: an integer >= 0, or a Generator the caller owns
        (advanced by one fixed call, then used as an integer seed: :func:`root_seed`).
        ``None`` (fresh OS entropy, a different answer on every run) is refused: a finance
        figure must be reproducible.

    Returns
    -------
    dict of str to ndarray of shape (n_draws,)
    """
    if not isinstance(n_draws, (int, np.integer)) or isinstance(n_draws, bool) or n_draws < 1:
        raise InputError(f"must be a positive integer, got {n_draws!r}", field="n_draws")
    root = root_seed(seed)
    out = {}
    for name, spec in distributions.items():
        if not isinstance(spec, (tuple, list)) or not spec or spec[0] not in DISTRIBUTIONS:
            kind = spec[0] if isinstance(spec, (tuple, list)) and spec else spec
            raise InputError(f"unknown distribution {kind!r}{did_you_mean(str(kind), list(DISTRIBUTIONS))}; "
                             f"allowed: {', '.join(DISTRIBUTIONS)}", field=f"distributions.{name}")
        kind, args = spec[0], tuple(spec[1:])
        if len(args) != DISTRIBUTIONS[kind]:
            raise InputError(f"{kind} takes {DISTRIBUTIONS[kind]} parameters, got {len(args)}: {args!r}",
                             field=f"distributions.{name}")
        f = f"distributions.{name}"
        if kind == "quantiles":
            probs, vals = quantile_points(args, f)
            out[name] = np.interp(input_rng(root, name).uniform(0.0, 1.0, n_draws), probs, vals)
            continue
        _finite(name, args)
        rng = input_rng(root, name)
        if kind == "normal":
            mu, sd = args
            if sd <= 0:
                raise InputError(f"normal sd must be > 0, got {sd}", field=f)
            out[name] = rng.normal(mu, sd, n_draws)
        elif kind == "truncnormal":
            mu, sd, lo, hi = args
            if sd <= 0 or not lo < hi:
                raise InputError(f"truncnormal needs sd > 0 and low < high, got {args}", field=f)
            out[name] = stats.truncnorm.rvs((lo - mu) / sd, (hi - mu) / sd, loc=mu, scale=sd,
                                            size=n_draws, random_state=rng)
        elif kind == "lognormal":
            med, sig = args
            if med <= 0 or sig <= 0:
                raise InputError(f"lognormal needs median > 0 and sigma > 0, got {args}", field=f)
            out[name] = rng.lognormal(np.log(med), sig, n_draws)
        elif kind == "uniform":
            lo, hi = args
            if not lo < hi:
                raise InputError(f"uniform needs low < high, got {args}", field=f)
            out[name] = rng.uniform(lo, hi, n_draws)
        elif kind == "triangular":
            a, m, b = args
            if not (a <= m <= b and a < b):
                raise InputError(f"triangular needs left <= mode <= right and left < right, got {args}",
                                 field=f)
            out[name] = rng.triangular(a, m, b, n_draws)
        else:
            out[name] = np.full(n_draws, float(args[0]))
    return out


def site_delay_distribution(interconnection, probs=DELAY_PROBS, max_months: float | None = None) -> tuple:
    """A site's grid delay as a Monte Carlo distribution: ``("quantiles", probs, months)``.

    The months by which energization slips past the planned first phase at each
    probability, :func:`dcplan.grid.energization_delay_months` (time to power from filing,
    grid wait and long-lead equipment, less the months planned; 0 where the plan is met;
    phases already in service are facts). The ``delay_months`` row of ``data/costs.csv`` is
    a generic 0-24 months, most likely 0: at a site whose own p90 is 35 months it would
    draw a delay of 18 months or more in 6 % of draws and never reach that p90.

    Parameters
    ----------
    interconnection : dcplan.site.InterconnectionSpec
        The site's ``interconnection:`` section.
    probs : sequence of float
        Probabilities to tabulate (default :data:`DELAY_PROBS`).
    max_months : float, optional
        Longest delay drawn: longer ones are held at it (e.g. the last month at which the
        fleet is still bought within the horizon, :mod:`dcplan.tco_horizon`, which also says how many).
    """
    from .grid import energization_delay_months
    d = np.maximum.accumulate(energization_delay_months(interconnection, quantiles=list(probs)).to_numpy(dtype=float))
    if max_months is not None:
        d = np.minimum(d, float(max_months))
    return ("quantiles", tuple(float(q) for q in probs), tuple(float(v) for v in d))


def site_delay_range(interconnection, base: float = 0.0, max_months: float | None = None) -> tuple[float, float]:
    """The 10th-90th percentile of a site's grid delay [months] (:func:`site_delay_distribution`),
    widened to contain ``base`` (the delay the case runs with), the high end at most
    ``max_months`` (the last month at which the fleet is still bought within the horizon,
    :func:`dcplan.tco_horizon.last_delay_month`): the tornado's ``delay_months`` range."""
    from .grid import energization_delay_months
    d = energization_delay_months(interconnection, quantiles=[0.1, 0.9]).to_numpy(dtype=float)
    lo, hi = min(float(d[0]), float(base)), max(float(d[1]), float(base))
    if max_months is not None:
        hi = max(min(hi, float(max_months)), lo)
    return lo, hi


def site_delay_share_beyond(interconnection, months: float) -> float:
    """Share of :func:`site_delay_distribution`'s draws (uncapped) at or above ``months``: those a
    ``max_months=months`` cap holds there. Draws take the inverse CDF through the tabulated
    points, so the share is ``1 - u*`` with ``u*`` the probability at which the table first
    reaches ``months`` (linear between points; 0 beyond the table's last value)."""
    _, q, d = site_delay_distribution(interconnection)
    q, d = np.asarray(q, dtype=float), np.asarray(d, dtype=float)
    if months > d[-1]:
        return 0.0
    keep = np.r_[True, np.diff(d) > 0]  # the first point of each flat run: where the table reaches it
    return float(1.0 - np.interp(months, d[keep], q[keep], left=0.0))


#: Cases x months evaluated at once: blocks of about 2**18 cells (2 MB per line) keep the
#: monthly arrays in cache; 10,000 draws over 15 years run in 7 blocks of 1,456 cases.
BATCH_CELLS = 2 ** 18


def _batch_metrics(inputs: TcoInputs, electricity, params: dict[str, np.ndarray], tax_rate_range=None) -> dict:
    """:func:`dcplan.tco.metrics` of every case (monthly lines), evaluated in blocks; present values at the
    base case's project start, every case's (a build other than the base's is an overrun: :mod:`dcplan.tco_revalue`).
    ``tax_rate_range``: the range ``tax_rate_frac`` is taken from, where a tax-rate schedule's shift stops
    (:func:`dcplan.tco.evaluate`)."""
    base_r = inputs.params()["discount_rate_frac"]
    arrs = {k: np.atleast_1d(np.asarray(v, dtype=float)) for k, v in params.items()}
    n = max((a.size for a in arrs.values()), default=1)
    step = max(1, BATCH_CELLS // (12 * inputs.horizon_years))
    parts = []
    for i in range(0, n, step):
        p = {k: a[i:i + step] if a.size == n else a for k, a in arrs.items()}
        lines = evaluate(inputs, electricity, params=p, period_months=1, tax_rate_range=tax_rate_range)
        m = metrics(lines, p.get("discount_rate_frac", base_r))  # every case from the base case's project start
        parts.append({k: np.broadcast_to(v, (min(step, n - i),)) for k, v in m.items()})
    return {k: np.concatenate([q[k] for q in parts]) for k in parts[0]}


def _operations_within_horizon(inputs: TcoInputs, params: dict[str, np.ndarray], what) -> None:
    """Refuse cases whose fleet's first GPUs would be bought (operations start at the earliest) at or
    after the horizon's end, naming the case (``what(i)``) rather than only the month, as
    :func:`dcplan.tco.evaluate` would."""
    base = inputs.params()
    n = max((np.size(v) for v in params.values()), default=1)
    ops = first_purchase_month(inputs, *(np.broadcast_to(params.get(k, base[k]), (n,)).reshape(-1, 1)
                                         for k in ("build_months", "delay_months")))[:, 0]
    M = 12 * inputs.horizon_years
    late = np.flatnonzero(ops >= M)
    if late.size:
        i = int(late[0])
        field, text = what(i)
        raise InputError(f"{text} puts operations start at month {ops[i]:g}, at or after the end of the "
                         f"{inputs.horizon_years}-year horizon (month {M}): narrow the "
                         f"{'range' if field.startswith('ranges') else 'distribution'}, or lengthen horizon_years (at most 20, "
                         "15 with a battery: dcplan.specs.finance.HORIZON_MAX_YEARS)",
                         field=field)


def tornado(inputs: TcoInputs, electricity, ranges: Mapping[str, tuple[float, float]] | None = None,
            metric: str = "npv_usd", swing_rtol: float = 1e-9, delay_source: str = "") -> pd.DataFrame:
    """One-at-a-time sensitivity: each input at its low and high value, others at base.

    Parameters
    ----------
    inputs : TcoInputs
    electricity : Bill, float, 12 values or ElectricityByPvAge
        Year-1 bill, or the bills at each PV age (:func:`dcplan.tco.run_tco`). [USD]
    ranges : mapping of str to (low, high), optional
        Default: :func:`default_ranges` (the ``data/costs.csv`` ranges around ``inputs``). With a tax-rate
        schedule, an end of ``tax_rate_frac`` shifts every year's rate, never past that end
        (:mod:`dcplan.tco_tax_schedule`).
    metric : str
        A key of :func:`dcplan.tco.metrics` (``npv_usd``, ``tco_pv_usd``, ``usd_per_gpu_hour``...).
    swing_rtol : float, default 1e-9
        Rounding tolerance, relative to the largest finite |metric| of the cases (at least
        |base_metric|): an end within it of the base reads as ``base_metric`` and a swing
        within it as exactly 0; the row is kept. An input that cannot move the metric (e.g.
        ``facility_electrical_frac_of_critical`` when the electrical and mechanical plant have
        the same lives: it only splits one capex between them) otherwise showed a swing of
        a few float64 ulps (2.98e-08 USD on a 53 M USD NPV, 2^-25). Why 1e-9: a metric is a
        float64 sum of at most 12 x horizon months of about 25 line items, whose rounding error
        is at most about n x eps x sum|terms| (Higham, *Accuracy and Stability of Numerical
        Algorithms*, 2nd ed., 2002, §4.2): n ~ 1e4, eps = 2.2e-16 and sum|terms| a few times the
        largest |metric| give ~1e-11 of it, 100 x below 1e-9; and 1e-9 is below what any
        finance figure shows (0.05 USD of a 50 M USD NPV, 4e-9 USD of a 4 USD/GPU-h cost).
    delay_source : str, optional
        When ``ranges["delay_months"]`` is the site's own (its grid delay's 10th-90th percentile), its source in
        words (:func:`dcplan.tco_delay.tornado_delay_source`), for ``attrs["range_source"]``.

    Returns
    -------
    DataFrame
        Rows sorted by ``swing`` (largest first); columns ``input, unit, low, high, base,
        metric, metric_unit, metric_at_low, metric_at_high, base_metric, swing``: ``metric``
        names the figure measured (e.g. ``npv_usd``), ``metric_unit`` its unit (``USD``,
        ``USD/GPU-h``...). A unit cost with no output to divide by (utilization 0) is
        ``inf`` (see :func:`dcplan.tco.metrics`); the export writes it as an empty cell.
        ``attrs["metric"]`` holds ``key``, ``label`` (for a present value, with the date it is valued
        at), ``unit``, ``swing_rtol``, ``swing_atol`` (the tolerance in the metric's unit) and
        ``valued_at`` (:func:`dcplan.tco_revalue.valuation_text`); ``attrs["site_ranges"]`` the words for each input
        swung over the site's own range (``inputs.ranges``: :func:`dcplan.tco_range_source.range_source_text`);
        ``attrs["range_source"]`` and ``attrs["range_status"]`` where each input's range comes from and its status
        (:func:`dcplan.tco_tornado_table.range_sources`, :func:`~dcplan.tco_tornado_table.range_statuses`; the
        export's Sensitivity columns).
        Every case starts, and is valued, at the base
        case's project start (a build other than the base's is an overrun: :mod:`dcplan.tco_revalue`).
    """
    table = load_costs()
    if ranges is None:
        ranges = default_ranges(inputs)
    base = inputs.params()
    names = list(ranges)
    for k in names:
        if k not in base:
            raise InputError(f"unknown input {k!r}{did_you_mean(k, list(base))}", field=f"ranges.{k}")
        lo_hi = ranges[k]
        if isinstance(lo_hi, (str, bytes)) or not hasattr(lo_hi, "__len__") or len(lo_hi) != 2:
            raise InputError(f"need (low, high), got {lo_hi!r}", field=f"ranges.{k}")
        lo, hi = (float(_numbers(f"ranges.{k}", x, "the low and high value of the input")) for x in lo_hi)
        if lo > hi:
            raise InputError(f"low {lo:g} is above high {hi:g}; give (low, high)", field=f"ranges.{k}")
    check_ranges({k: ranges[k] for k in names}, base)  # each end within what its input allows (percent hint)
    n = 2 * len(names) + 1
    params = {k: np.full(n, base[k]) for k in names}
    for i, k in enumerate(names):
        params[k][2 * i] = ranges[k][0]
        params[k][2 * i + 1] = ranges[k][1]

    def end(i):
        k = names[i // 2]
        return f"ranges.{k}", f"the {'high' if i % 2 else 'low'} end of {k}'s range, {ranges[k][i % 2]:g},"
    _operations_within_horizon(inputs, params, end)
    # a tax-rate schedule's shift stops at the range's end (dcplan.tco_tax_schedule)
    tax_range = tuple(float(x) for x in ranges["tax_rate_frac"]) if "tax_rate_frac" in names else None
    m = _batch_metrics(inputs, electricity, params, tax_range)
    if metric not in m:
        raise InputError(f"unknown metric {metric!r}{did_you_mean(metric, list(m))}", field="metric")
    if (isinstance(swing_rtol, bool) or not isinstance(swing_rtol, (int, float, np.integer, np.floating))
            or not 0.0 <= swing_rtol < 1e-3):
        raise InputError(f"must be a number in [0, 1e-3) (a rounding tolerance, default 1e-9), got {swing_rtol!r}",
                         field="swing_rtol")
    v = np.array(m[metric], dtype=float)
    fin = np.isfinite(v)
    atol = float(swing_rtol) * (float(np.abs(v[fin]).max()) if fin.any() else 0.0)
    with np.errstate(invalid="ignore"):  # rounding noise around the base reads as the base
        v[fin & (np.abs(v - v[-1]) <= atol)] = v[-1]
    unit = summary_unit(metric)
    def shown(k, x):  # inputs as the model used them: whole months (as the Assumptions table)
        if k == "it_refresh_years":  # a cycle of whole months, at least one
            return max(whole_months(12.0 * x), 1.0) / 12.0
        if k == "delay_months":  # the month rule (dcplan.tco_grid_dates): a site's 53.05 months may run as 54
            return float(delay_whole_months(inputs, x))
        return whole_months(x) if k in _MONTH_KEYS else float(x)
    with np.errstate(invalid="ignore"):  # inf - inf (no output at either end): NaN swing
        rows = [(k, table["unit"].get(k, "frac" if k.endswith("_frac") else ""), shown(k, ranges[k][0]),
                 shown(k, ranges[k][1]), shown(k, base[k]), metric, unit, v[2 * i], v[2 * i + 1], v[-1],
                 abs(v[2 * i + 1] - v[2 * i]))
                for i, k in enumerate(names)]
    df = pd.DataFrame(rows, columns=["input", "unit", "low", "high", "base", "metric", "metric_unit",
                                     "metric_at_low", "metric_at_high", "base_metric", "swing"])
    df.loc[df["swing"] <= atol, "swing"] = 0.0  # ends that moved alike, by less than the tolerance
    df = df.sort_values("swing", ascending=False, kind="stable").reset_index(drop=True)
    label = SUMMARY_LABELS.get(metric, metric)
    if metric in REVALUED_METRICS:  # a present value: at which date (the base case's start), and the horizon
        label = (label[:-1] + "; " if label.endswith(")") else label + " (") + valuation_text(inputs) + ")"
    df.attrs["metric"] = {"key": metric, "label": label, "unit": unit, "swing_rtol": float(swing_rtol),
                          "swing_atol": atol, "valued_at": valuation_text(inputs)}
    from .tco_range_source import range_source_text  # a site's own range, named in the export's Sensitivity sheet
    df.attrs["site_ranges"] = {k: range_source_text(inputs, k) for k in names if k in inputs.ranges}
    from .tco_tornado_table import range_sources, range_statuses  # where each range comes from, and its status
    swung = {k: tuple(ranges[k]) for k in names}
    df.attrs["range_source"] = dict(zip(names, range_sources(swung, inputs, delay_source)))
    df.attrs["range_status"] = dict(zip(names, range_statuses(names, inputs, delay_source)))
    for k in names:  # an input of no data/costs.csv row (the utilization): the caller's range, not a held one
        if k not in table.index:
            df.attrs["range_source"][k] = "the caller's range (tornado(ranges=...)): no data/costs.csv row"
            df.attrs["range_status"][k] = "input"
    return df


def monte_carlo(inputs: TcoInputs, electricity, distributions: Mapping[str, tuple], *,
                n_draws: int = 10_000, seed=0) -> pd.DataFrame:
    """Monte Carlo of the TCO metrics: ``n_draws`` parameter sets in one vectorized run.

    Parameters
    ----------
    inputs : TcoInputs
    electricity : Bill, float, 12 values or ElectricityByPvAge
        Year-1 bill, or the bills at each PV age (:func:`dcplan.tco.run_tco`). [USD]
    distributions : mapping of str to tuple
        ``{input_key: (kind, *params)}`` (module docstring).
    n_draws : int
        Number of draws (>= 1).
    seed : int or numpy.random.Generator
        Root of the per-input streams (:func:`sample`, :func:`root_seed`); for a Generator the
        integer drawn from it is recorded, so the run can be repeated with ``seed=`` that
        integer.

    Returns
    -------
    DataFrame
        One row per draw: the sampled inputs and every metric of
        :func:`dcplan.tco.metrics` (``npv_usd``, ``tco_pv_usd``, ``usd_per_gpu_hour``, ...).
        ``attrs["monte_carlo"]`` records ``n_draws``, ``seed`` (the integer root),
        ``seed_from`` (``"caller"`` or ``"caller's numpy Generator"``), ``streams``
        (:data:`STREAMS_NOTE`), ``valued_at`` (every draw's present values at the base case's project
        start, :func:`dcplan.tco_revalue.valuation_text`) and ``distributions`` (kept by :func:`percentiles`, written
        to the export's About sheet); with a tax-rate schedule and a drawn ``tax_rate_frac``, ``tax_rate_schedule``
        and ``tax_rate_range``, the ends its shift stops at (the distribution's support, else the case's range:
        :mod:`dcplan.tco_tax_schedule`).
    """
    root = root_seed(seed)
    draws = sample(distributions, n_draws, root)
    check_distributions(distributions, draws, inputs.params())   # the caller's distribution, not a draw, named

    def draw(i):
        keys = [k for k in ("build_months", "delay_months") if k in draws]
        return (f"distributions.{keys[0]}" if len(keys) == 1 else "distributions",
                f"draw {i} ({', '.join(f'{k} {draws[k][i]:g}' for k in keys)})")
    _operations_within_horizon(inputs, draws, draw)
    # a draw's shift of a tax-rate schedule stops at the end of the distribution's support (dcplan.tco_tax_schedule;
    # an unbounded one: the case's own range, dcplan.tco_tax_schedule.case_range)
    tax_range = support(distributions["tax_rate_frac"]) if "tax_rate_frac" in distributions else None
    m = _batch_metrics(inputs, electricity, draws, tax_range)
    out = pd.DataFrame({**draws, **{k: np.broadcast_to(v, (n_draws,)) for k, v in m.items()}})
    # provenance, carried on to :func:`percentiles` and the finance export's About sheet
    out.attrs["monte_carlo"] = {
        "n_draws": int(n_draws),
        "seed": root,
        "seed_from": "caller's numpy Generator" if isinstance(seed, np.random.Generator) else "caller",
        "streams": STREAMS_NOTE,
        "valued_at": valuation_text(inputs),
        "distributions": {k: tuple(x if isinstance(x, str) else tuple(map(float, x)) if np.ndim(x) else float(x)
                                   for x in v)
                          for k, v in distributions.items()},
    }
    if inputs.tax_rate_schedule is not None and "tax_rate_frac" in distributions:  # a draw shifts the schedule
        out.attrs["monte_carlo"]["tax_rate_schedule"] = inputs.tax_rate_schedule
        from .tco_tax_schedule import case_range  # the ends its shift stops at
        out.attrs["monte_carlo"]["tax_rate_range"] = tax_range if tax_range is not None else case_range(inputs)
    return out


def percentiles(draws: pd.DataFrame, columns=None, q=DEFAULT_PERCENTILES) -> pd.DataFrame:
    """Percentiles (rows ``p5``, ``p10``... plus ``mean`` and ``n_nonfinite``) of the Monte
    Carlo columns.

    ``pXX`` is the XX-th percentile (non-exceedance): XX % of the draws are at or below
    it. It is *not* the "P90 = exceeded with 90 % probability" convention of energy-yield
    and reserves reports. So for NPV the downside is ``p10``, for a cost (``tco_pv_usd``,
    ``usd_per_gpu_hour``) it is ``p90``. A draw that is not finite (NaN, or ``inf``: a unit
    cost with no output over the horizon to divide by) makes that column's percentiles
    **and** mean NaN (no draw is silently dropped, and the mean never says ``inf`` where the
    percentiles say nothing); row ``n_nonfinite`` counts such draws per column.

    Parameters
    ----------
    draws : DataFrame
        :func:`monte_carlo` output.
    columns : list of str, optional
        Columns to summarise (default: all).
    q : sequence of float
        Percentiles in [0, 100] (10 for the 10th percentile, not 0.1: ``q`` all <= 1 is refused).
    """
    cols = list(columns) if columns is not None else list(draws.columns)
    qa = percentile_levels(q)   # in percent; all <= 1 is refused as fractions (0.1 for the 10th)
    x = draws[cols].to_numpy(dtype=float)
    bad = ~np.isfinite(x).all(axis=0)
    with np.errstate(invalid="ignore"):
        arr = np.vstack([np.percentile(x, qa, axis=0), x.mean(axis=0)])
    arr[:, bad] = np.nan
    out = pd.DataFrame(arr, index=[f"p{v:g}" for v in qa] + ["mean"], columns=cols)
    out.loc["n_nonfinite"] = (~np.isfinite(x)).sum(axis=0).astype(float)
    out.index.name = "statistic"
    if "monte_carlo" in draws.attrs:
        out.attrs["monte_carlo"] = dict(draws.attrs["monte_carlo"])
    return out
