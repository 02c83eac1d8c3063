"""Keeping the TCO's tornado and Monte Carlo within the horizon.

The model refuses a case whose fleet's first GPUs would be bought at or after the horizon's end
(:func:`dcplan.tco_ramp.first_purchase_month`): nothing of the fleet would be in it. A tornado
range or a Monte Carlo distribution of ``build_months`` or ``delay_months`` that reaches past that
month (``data/costs.csv``'s build range runs to 26 months, a site's grid delay to years) is
therefore **held** at the last month that still buys the fleet within the horizon:

* :func:`hold_ranges` caps a tornado range's high end (the other input at its base; an input
  whose range shrinks to nothing is left out), and says so;
* :func:`hold_distributions` holds the Monte Carlo draws beyond the cap at it: first
  ``build_months`` (given the shortest grid delay drawn), then ``delay_months`` (given the longest
  build drawn), and returns the share of draws held, which :func:`held_note` states and
  :func:`held_label` adds to the Monte Carlo's headline labels when it reaches
  :data:`HELD_LABEL_MIN_FRAC`; when even the shortest draws start operations after the horizon it
  refuses the run instead (:func:`check_shortest_draws`: an InputError naming the grid delay and
  ``finance.horizon_years``).

The caps follow the model's own purchase rule (:mod:`dcplan.tco_ramp`): with grid phases planned
before the fleet, a grid delay the slack absorbs does not move the first purchase, so the delay cap
is longer than ``12 H - 1 - build_months``. A grid delay is compared and stated in whole months by the
month rule (:func:`dcplan.tco_grid_dates.delay_whole_months`: a site's case, the months its first pending
phase's first powered month moves, northern-virginia's 53.05 months as 54; a case without dates, half up).
"""
from __future__ import annotations

import numpy as np

from .errors import InputError
from .tco_draw_checks import support
from .tco_grid_dates import delay_whole_months
from .tco_input_types import TcoInputs, whole_months
from .tco_ramp import first_purchase_month

__all__ = ["last_build_month", "last_delay_month", "hold_ranges", "hold_distributions", "check_shortest_draws",
           "held_note",
           "held_label", "HELD_LABEL_MIN_FRAC"]

#: Share of the Monte Carlo draws held at a cap from which the headline labels say so: 10 %, the
#: share below the 10th percentile, so from it the downside figure (NPV p10) is itself a held draw.
HELD_LABEL_MIN_FRAC = 0.10


def last_build_month(inputs: TcoInputs, delay_months=None) -> float:
    """The longest ``build_months`` (whole months) at which the fleet's first GPUs are still bought
    within the horizon, the grid delay at ``delay_months`` (default the case's); -1 when none is. A build other
    than the case's own is an overrun from its project start, the grid phases at their dates
    (:func:`dcplan.tco_ramp.tranche_ramp`): the first purchase never falls as the build grows, but a grid delay
    the overrun absorbs does not add to it, so the months are searched, not subtracted. [months]"""
    M = 12 * inputs.horizon_years
    b = np.arange(M + 1, dtype=float).reshape(-1, 1)
    d = inputs.params()["delay_months"] if delay_months is None else delay_months
    first = first_purchase_month(inputs, build=b, delay=np.full_like(b, float(d)))[:, 0]
    ok = np.flatnonzero(first < M)
    return float(ok[-1]) if ok.size else -1.0


def last_delay_month(inputs: TcoInputs, build_months=None) -> float:
    """The longest grid delay (whole months) at which the fleet's first GPUs are still bought within
    the horizon, ``build_months`` at the given value (default the case's); -1 when none is. [months]"""
    M = 12 * inputs.horizon_years
    d = np.arange(M + 1, dtype=float).reshape(-1, 1)
    first = first_purchase_month(inputs, build=np.full_like(d, whole_months(
        inputs.params()["build_months"] if build_months is None else build_months)), delay=d)[:, 0]
    ok = np.flatnonzero(first < M)
    return float(ok[-1]) if ok.size else -1.0


def hold_ranges(inputs: TcoInputs, ranges) -> tuple[dict, str]:
    """A tornado's ``ranges`` with the high ends of ``build_months`` and ``delay_months`` held at
    the last month that buys the fleet within the horizon (the other input at its base), and the
    sentence saying so (``""`` when nothing is held)."""
    out, said = dict(ranges), []
    p = inputs.params()
    for k in ("build_months", "delay_months"):
        if k not in out:
            continue
        c = last_build_month(inputs) if k == "build_months" else last_delay_month(inputs)
        # whole months as the model runs them: the grid delay by the month rule (dcplan.tco_grid_dates)
        whole = whole_months if k == "build_months" else (lambda x: float(delay_whole_months(inputs, x)))
        lo, hi = out[k]
        if whole(hi) <= whole(c):
            continue
        if whole(lo) < whole(c):
            out[k] = (lo, c)
            said.append(f"the high end of {k} ({hi:g}) held at {c:g} months")
        else:
            del out[k]
            said.append(f"{k} left out (its range {lo:g}-{hi:g} leaves nothing between the case's "
                        f"{whole(p[k]):g} months and {c:g})")
    if not said:
        return out, ""
    return out, (f"Tornado: {'; '.join(said)}: the last month at which the fleet's first GPUs are still bought "
                 f"within the {inputs.horizon_years}-year horizon (the other input at the case's value).")


def _triangular_cdf(x, a, c, b) -> float:
    if x <= a:
        return 0.0
    if x >= b:
        return 1.0
    return (x - a) ** 2 / ((b - a) * (c - a)) if x <= c else 1.0 - (b - x) ** 2 / ((b - a) * (b - c))


def _hold(dist: tuple, cap: float) -> tuple[tuple, float]:
    """``dist`` with its draws above ``cap`` held at ``cap``, and the share held. A ``triangular`` or
    ``uniform`` becomes a ``quantiles`` table through its inverse CDF (1,001 points and the cap's own
    probability); kinds without an upper bound are returned unchanged (the model then refuses a draw
    past the horizon, naming it)."""
    kind = dist[0]
    if kind == "fixed":
        return (dist, 0.0) if dist[1] <= cap else (("fixed", cap), 1.0)
    if kind == "quantiles":
        q, v = (np.asarray(x, dtype=float) for x in dist[1:3])
        if v[-1] <= cap:
            return dist, 0.0
        keep = np.r_[True, np.diff(v) > 0]     # the first point of each flat run: where the table reaches it
        share = float(1.0 - np.interp(cap, v[keep], q[keep], left=0.0))
        return ("quantiles", tuple(map(float, q)), tuple(map(float, np.minimum(v, cap)))), share
    if kind not in ("triangular", "uniform"):
        return dist, 0.0
    a, c, b = (dist[1], dist[2], dist[3]) if kind == "triangular" else (dist[1], None, dist[2])
    if b <= cap:
        return dist, 0.0
    if cap <= a:
        return ("fixed", cap), 1.0
    cdf = (lambda x: _triangular_cdf(x, a, c, b)) if kind == "triangular" else (lambda x: (x - a) / (b - a))
    fc = cdf(cap)
    q = np.union1d(np.linspace(0.0, 1.0, 1001), [fc])
    if kind == "uniform":
        v = a + q * (b - a)
    else:
        f_mode = (c - a) / (b - a)
        v = np.where(q <= f_mode, a + np.sqrt(q * (b - a) * (c - a)), b - np.sqrt((1.0 - q) * (b - a) * (b - c)))
    return ("quantiles", tuple(map(float, q)), tuple(map(float, np.minimum(v, cap)))), 1.0 - fc


def _bounds(dist: tuple) -> tuple[float, float] | None:
    """Lowest and highest value a distribution draws, None when unbounded
    (:func:`dcplan.tco_draw_checks.support`)."""
    return support(dist)


def hold_distributions(inputs: TcoInputs, distributions) -> tuple[dict, dict]:
    """The Monte Carlo's ``distributions`` with the draws of ``build_months`` and ``delay_months``
    that would buy the fleet's first GPUs after the horizon held at the last month that does not.

    ``build_months`` is held at :func:`last_build_month` given the shortest grid delay drawn (or the
    case's), then ``delay_months`` at :func:`last_delay_month` given the longest build drawn (or the
    case's), so every pair of draws is within the horizon. When even the shortest build with the
    shortest delay is past it (a site whose time to power is years past the plan), no cap helps:
    :func:`check_shortest_draws` raises an InputError naming the delay and ``finance.horizon_years``.

    Returns
    -------
    distributions : dict
        The distributions, those held as ``quantiles`` tables (or ``fixed`` when every draw is held).
    held : dict
        ``{input: {"share_frac": share of draws held, "months": the cap}}`` of the inputs held.
    """
    out, held = dict(distributions), {}
    p = inputs.params()

    def end(key, i):  # the lowest (i = 0) or highest (1) value drawn, else the case's
        b = _bounds(out[key]) if key in out else None
        return p[key] if b is None else b[i]

    # no pair of draws within the horizon: no cap helps (a negative build_months cap was the old answer)
    check_shortest_draws(inputs, end("build_months", 0), end("delay_months", 0),
                         drawn=("build_months" in out and _bounds(out["build_months"]) is not None,
                                "delay_months" in out and _bounds(out["delay_months"]) is not None))
    if "build_months" in out:
        cap = last_build_month(inputs, end("delay_months", 0))
        out["build_months"], share = _hold(out["build_months"], cap)
        if share > 0:
            held["build_months"] = {"share_frac": share, "months": cap}
    if "delay_months" in out:
        cap = last_delay_month(inputs, end("build_months", 1))
        if cap >= 0:
            out["delay_months"], share = _hold(out["delay_months"], cap)
            if share > 0:
                held["delay_months"] = {"share_frac": share, "months": cap}
    return out, held


def check_shortest_draws(inputs: TcoInputs, build_months: float, delay_months: float,
                         drawn: tuple[bool, bool] = (True, True)) -> None:
    """InputError (field ``delay_months``) when even the shortest build and the shortest grid delay
    drawn (``build_months``, ``delay_months``; ``drawn`` says which are drawn rather than the
    case's own) buy the fleet's first GPUs at or after the horizon's end: no draw of the Monte Carlo
    has a case to model, and holding the draws at a cap would need a negative one. The message
    gives the month operations would start, the horizon (``finance.horizon_years``) and the
    horizon that would reach it, as the deterministic case's (:func:`dcplan.tco_delay.median_delay_case`)."""
    from .specs.finance import HORIZON_MAX_YEARS
    H = inputs.horizon_years
    ops = first_purchase_month(inputs, build=build_months, delay=delay_months)
    if ops < 12 * H:
        return
    b, d = whole_months(build_months), float(delay_whole_months(inputs, delay_months))  # the delay: the month rule
    what_d = "shortest grid delay drawn" if drawn[1] else "case's grid delay"
    what_b = "shortest build drawn" if drawn[0] else "case's build"
    need = int(ops // 12) + 1
    check = ("the site's time to power (interconnection.time_to_power or region; equipment_ordered: a mistyped "
             "year?)")
    fix = (f"lengthen finance.horizon_years to at least {need} to see a case, or check {check}"
           if need <= HORIZON_MAX_YEARS else
           f"no horizon allowed reaches it (finance.horizon_years is at most {HORIZON_MAX_YEARS}; it would need "
           f"{need}): check {check}")
    raise InputError(
        f"the {what_d}, {d:g} months (the months energization slips past the plan: at a site, its time to power "
        f"from filing, dcplan.grid), with the {what_b}, {b:g} months, would start operations in month {ops:g} (the "
        f"fleet's first GPUs bought), after the {H}-year horizon (finance.horizon_years: {H}, {12 * H} months): no "
        f"draw of the Monte Carlo has a case to model; {fix}",
        field="delay_months")


def held_note(held, horizon_years: int) -> str:
    """:func:`hold_distributions`' ``held`` in a sentence (``""`` when nothing is held)."""
    if not held:
        return ""
    parts = [f"{h['share_frac']:.1%} of the draws of {k} held at {h['months']:g} months" for k, h in held.items()]
    return ("Monte Carlo: " + "; ".join(parts) + f", the last at which the fleet's first GPUs are still bought "
            f"within the {horizon_years}-year horizon (a later purchase has no case to model).")


def held_label(label: str, held) -> str:
    """A Monte Carlo headline ``label`` with the share of draws held at a cap when it is at least
    :data:`HELD_LABEL_MIN_FRAC` (the figure is then not the distribution's own)."""
    big = {k: h for k, h in (held or {}).items() if h["share_frac"] >= HELD_LABEL_MIN_FRAC}
    if not big:
        return label
    text = "; ".join(f"{h['share_frac']:.1%} of draws with {k} held at {h['months']:g} months to stay within the "
                     "horizon" for k, h in big.items())
    return label[:-1] + f"; {text})" if label.endswith(")") else f"{label} ({text})"
