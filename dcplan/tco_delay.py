"""The TCO's grid delay against the site's own: the delay a scenario runs with, the case at the
site's median delay, and what the report says about them.

The ``base`` scenario is the plan: power on the interconnection's planned dates (grid delay 0).
``dcplan.grid`` models when power really arrives (:func:`dcplan.grid.energization_delay_months`:
time to power from filing less the months the plan allows); at many sites its median is years,
and the plan lies below its 10th percentile. The tco notebook therefore publishes, beside the
scenario's NPV, the NPV at the site's median delay (:func:`median_delay_case`: the
``grid-delay-p50`` scenario's delay, the scenario's other inputs), says where the case's delay
lies in the site's distribution (:func:`delay_vs_site_note`) and what the tornado's delay range
is (:func:`tornado_delay_note`).

All delays here are dcplan.grid's, in months; the model uses them in whole months by the month rule
(:func:`dcplan.tco_grid_dates.delay_whole_months` of the case's inputs, :mod:`dcplan.grid_ramp`): for a site's
case (dated grid phases) the months the first pending phase's first powered month moves (northern-virginia's
median 19.08 months: 20, its 90th percentile 53.05: 54, as the interconnection notebook counts them); for a
``TcoInputs`` built by hand (no dates) rounded half up (:func:`dcplan.tco.whole_months`). The functions that
state a delay in whole months take the case's ``inputs`` for that; without them (None) they round half up.
"""
from __future__ import annotations

import dataclasses
from dataclasses import dataclass

import numpy as np

from .tco_grid_dates import delay_whole_months
from .tco_input_types import TcoInputs
from .tco_inputs import scenario
from .tco_ramp import first_purchase_month

__all__ = ["MEDIAN_SCENARIO", "scenario_delay_months", "scenario_delay_source", "site_delay_percentiles", "MedianDelayCase",
           "median_delay_case", "delay_basis_text", "delay_vs_site_note", "later_than_case_frac", "share_words",
           "tornado_delay_note", "tornado_delay_source", "one_sided_inputs", "one_sided_note"]

#: The :data:`dcplan.tco.SCENARIOS` entry whose delay is the site's median (its 50th percentile).
MEDIAN_SCENARIO = "grid-delay-p50"


def scenario_delay_months(name: str, interconnection) -> float:
    """The grid delay scenario ``name`` runs with [months], not rounded.

    dcplan.grid's energization delay at the scenario's ``delay_quantile``
    (:func:`dcplan.grid.energization_delay_months`); 0 (the planned dates) when the scenario
    takes no quantile or the site has no ``interconnection:`` section (``None``).
    """
    q = scenario(name)["delay_quantile"]
    if q is None or interconnection is None:
        return 0.0
    from .grid import energization_delay_months
    return float(energization_delay_months(interconnection, quantiles=[q]).iloc[0])


def scenario_delay_source(name: str) -> str:
    """Where scenario ``name``'s grid delay comes from, for ``TcoInputs.sources["delay_months"]``
    (the Assumptions table, the report's table of the tornado's inputs and the horizon check's
    message): a percentile of the site's delay, or none (the planned dates)."""
    q = scenario(name)["delay_quantile"]
    if q is None:
        return f"scenario {name}: no grid delay, the planned energization dates (0 months)"
    from .tco_assumptions import tag_source
    # a model's result (dcplan.grid's delay distribution of the site): status derived
    return tag_source(f"scenario {name}: the {100 * q:g}th percentile of the site's grid energization delay "
                      "(dcplan.grid.energization_delay_months)", None, "derived")


def site_delay_percentiles(interconnection, probs=(0.1, 0.5, 0.9)) -> np.ndarray:
    """dcplan.grid's energization delay of the site at ``probs`` [months], not rounded."""
    from .grid import energization_delay_months
    return energization_delay_months(interconnection, quantiles=list(probs)).to_numpy(dtype=float)


@dataclass(frozen=True)
class MedianDelayCase:
    """:func:`median_delay_case`'s result.

    Attributes
    ----------
    delay_months : float
        dcplan.grid's median energization delay of the site, as computed. [months]
    months_used : float
        The same in whole months, as the model runs it. [months]
    inputs : TcoInputs or None
        The case's inputs with that delay; None when operations would then start after the
        horizon (the model has no NPV for it, see ``note``).
    label : str
        Label of the published NPV.
    note : str
        Why there is no NPV (``inputs`` None), else ``""``.
    """

    delay_months: float
    months_used: float
    inputs: TcoInputs | None
    label: str
    note: str = ""


def median_delay_case(inputs: TcoInputs, interconnection, scenario_name: str = "base") -> MedianDelayCase | None:
    """The case ``inputs`` at the site's median grid delay, when that is not the delay it runs with.

    The delay is the ``grid-delay-p50`` scenario's (:func:`scenario_delay_months`), the other
    inputs stay those of ``inputs`` (scenario ``scenario_name``'s costs included). So for the
    ``base`` scenario the NPV of the result's ``inputs`` is the ``grid-delay-p50`` scenario's.

    Parameters
    ----------
    inputs : TcoInputs
        The case run, its ``delay_months`` the delay of scenario ``scenario_name``.
    interconnection : dcplan.site.InterconnectionSpec or None
        The site's ``interconnection:`` section.
    scenario_name : str, default "base"
        The :data:`dcplan.tco.SCENARIOS` key of ``inputs`` (named in the label when it sets costs).

    Returns
    -------
    MedianDelayCase or None
        None when the site has no ``interconnection:`` section, or the case's delay is already
        the median in whole months (e.g. scenario ``grid-delay-p50``).

    Whole months (``months_used``, the label) are :func:`dcplan.tco_grid_dates.delay_whole_months` of
    ``inputs``, the months its ramp runs: a site's case (``inputs.grid_dates``) by the month rule
    (northern-virginia's 19.08 months: 20, power from 2028-09 for a phase planned 2027-01); ``inputs``
    built by hand without dates, rounded half up (19), as that case's ramp then runs the delay.
    """
    costs = scenario(scenario_name)["costs"]
    if interconnection is None:
        return None
    d = scenario_delay_months(MEDIAN_SCENARIO, interconnection)
    used = float(delay_whole_months(inputs, d))    # the month rule: the whole months the case's ramp runs
    p = inputs.params()
    if used == float(delay_whole_months(inputs, p["delay_months"])):
        return None
    label = (f"NPV after tax at the site's median grid delay ({used:.0f} months, dcplan.grid; the {MEDIAN_SCENARIO} "
             "scenario's delay" + (f", the other inputs as scenario {scenario_name}" if costs else "") + ")")
    if basis := delay_basis_text(interconnection):
        label += f"; {basis}"
    label += given_wait_text(interconnection)
    ops = first_purchase_month(inputs, delay=d)  # the fleet's first GPUs bought (dcplan.tco_ramp's rule)
    # the grid delay counts from the planned energization; the fleet waits less where the plan put its start after
    # that date (the interconnection notebook's stranded GPU-months count these months, not the delay's)
    wait = ops - first_purchase_month(inputs, delay=0.0)
    if ops < 12 * inputs.horizon_years and 0 <= wait < used:
        label += (f"; the fleet's first GPUs are bought and run {wait:.0f} months later than planned: the delay less "
                  f"the {used - wait:.0f} month{'s' if used - wait != 1 else ''} the plan left between the grid's "
                  "planned date and the fleet's start")
    if ops >= 12 * inputs.horizon_years:
        return MedianDelayCase(d, used, None, label,
                               f"At the site's median grid delay ({used:.0f} months, dcplan.grid) operations would "
                               f"start in month {ops:g}, after the {inputs.horizon_years}-year horizon: the model "
                               "has no NPV for it; lengthen finance.horizon_years to see one.")
    src = {**inputs.sources, "delay_months": f"dcplan.grid: the site's median energization delay ({MEDIAN_SCENARIO})"}
    return MedianDelayCase(d, used, dataclasses.replace(inputs, costs={**inputs.costs, "delay_months": d}, sources=src),
                           label)


def given_wait_text(interconnection) -> str:
    """``"; given 40.0 months waited without power by 2028-06-01 (over the whole wait from filing the median delay
    is 12.3 months)"``: what a delay label adds when the site's time to power is conditioned on the months already
    waited (:func:`dcplan.plan_dates.with_wait`, :mod:`dcplan.grid_given_wait`), with the unconditioned median delay
    for a planner who needs it; ``""`` when it is not (or no interconnection)."""
    from .grid import energization_delay_months, given_wait, wait_words
    given = wait_words(interconnection) if interconnection is not None else ""
    if not given:
        return ""
    d = float(energization_delay_months(given_wait(interconnection, 0.0), quantiles=[0.5]).iloc[0])
    return f"; {given} (over the whole wait from filing the median delay is {d:.1f} months)"


def delay_basis_text(interconnection, quantile: float | None = 0.5) -> str:
    """What the site's grid delay at ``quantile`` (0.5, the median; a scenario's ``delay_quantile``, e.g. 0.9 for
    grid-delay-p90) is a delay of, for the labels that state it: ``""`` without an ``interconnection:`` section,
    without long-lead equipment (the delay is then the grid wait's alone) or without a quantile (``None``).

    dcplan.grid's delay (:func:`dcplan.grid.energization_delay_months`) is of the time to power from filing,
    the later of the grid wait and the site's long-lead equipment (:func:`dcplan.grid.time_to_power`), less the
    months the plan allows. Where the equipment sets it, the delay is not the grid wait's: at the bundled
    phoenix-az the grid wait's median is 24.0 months from filing, 4.5 months after the 19.5 the plan allows,
    while the equipment's 34.5 months make the median time to power 37.5 and the delay 18 months. The
    interconnection and site_analysis labels name the part that sets the date
    (:func:`dcplan.grid.time_to_power_driver`; both take that part from :func:`dcplan.grid.time_to_power_setter`, and
    this only words it); the tco labels stating "the site's median grid delay" did not, so
    a reader tied its 18 months to the grid wait (a finance reviewer's tie-out). E.g. ``"a delay of the time to
    power (the later of the grid wait and the long-lead equipment), not of the grid wait alone: medians from
    filing 24.0 months (grid wait) and 34.5 (equipment), set by the equipment"``. The part is compared at the
    delay's own quantile: phoenix-az's 90th percentiles are 48.0 months (grid wait) and 47.8 (equipment), so the
    grid-delay-p90 scenario's delay is set by the grid wait, not by the equipment that sets the median.
    """
    if interconnection is None or quantile is None:
        return ""
    from .grid import time_to_power, time_to_power_setter
    from .grid_lead_time import quantile_words
    # the part that sets the date: dcplan.grid's choice, as the interconnection labels name it
    part, g, e = time_to_power_setter(time_to_power(interconnection, quantiles=[quantile]), quantile)
    if e <= 0:
        return ""
    return ("a delay of the time to power (the later of the grid wait and the long-lead equipment), not of the grid "
            f"wait alone: {quantile_words(quantile)}s from filing {g:.1f} months (grid wait) and {e:.1f} (equipment), "
            f"set by the {part}")


def delay_vs_site_note(delay_months: float, interconnection, inputs: TcoInputs | None = None) -> str:
    """A sentence when the case's grid delay lies outside the site's 10th-90th percentile, else ``""``.

    ``delay_months`` is the delay the case runs with; it and the percentiles (dcplan.grid's,
    :func:`site_delay_percentiles`) are compared in whole months, as the model uses them
    (:func:`dcplan.tco_grid_dates.delay_whole_months` of the case's ``inputs``; None: rounded half up).
    """
    if interconnection is None:
        return ""
    used = delay_whole_months(inputs, delay_months)
    p10, p50, p90 = site_delay_percentiles(interconnection)
    site = f"median {p50:.1f}, 10th-90th percentile {p10:.1f}-{p90:.1f} months, dcplan.grid"
    what = f"The case's grid delay, {used:.0f} months" + (" (the planned energization dates)" if used == 0 else "")
    # like with like: the percentiles in whole months as the delay is (the grid-delay-p90
    # scenario's 46.53 months runs as 47 and is the site's 90th percentile, not above it; northern-virginia's
    # 53.05 months run as 54 by the month rule, and so does its 90th percentile)
    if used < delay_whole_months(inputs, p10):
        share = later_than_case_frac(interconnection, used, inputs)
        return (f"{what}, is below the site's own 10th percentile ({site}): power arrives later than this case "
                f"assumes in {share_words(share)} of the site's modelled outcomes (dcplan.grid's time-to-power "
                "distribution, counted in whole months as the case runs its delay).")
    if used > delay_whole_months(inputs, p90):
        return (f"{what}, is above the site's own 90th percentile ({site}): fewer than 10 % of the site's "
                "modelled outcomes are that late.")
    return ""


def later_than_case_frac(interconnection, used_months: float, inputs: TcoInputs | None = None) -> float:
    """Share of the site's modelled outcomes in which power arrives later than a case running ``used_months``
    whole months of grid delay assumes: ``P(W(D) > used)``, ``D`` dcplan.grid's energization delay and ``W``
    the month rule (:func:`dcplan.tco_grid_dates.delay_whole_months` of ``inputs``; None: rounded half up).
    ``W`` never falls as ``D`` grows, so this is ``1 - P(D <= d*)``, ``d*`` the longest delay the case's whole
    months hold (found by bisection to 1e-6 month), ``P(D <= d)`` :func:`dcplan.grid.on_time_frac`. At
    ``used`` 0 on a phase planned for the 1st of a month, with the case's ``inputs`` (its dates: the month
    rule), 1 less the chance of meeting the planned date; without ``inputs`` (rounded half up) delays up to half
    a month count as 0, so the share is lower (northern-virginia: 99.4 % against 99.6 %). [-]
    """
    from .grid import on_time_frac
    u = float(used_months)
    lo, hi = 0.0, u + 2.0  # W(d) >= d - 1 (a date moves its first powered month by at least its whole months)
    if float(delay_whole_months(inputs, lo)) > u:
        return 1.0
    while float(delay_whole_months(inputs, hi)) <= u:  # (not reached under the bound above; kept safe)
        hi *= 2.0
    while hi - lo > 1e-6:
        mid = 0.5 * (lo + hi)
        lo, hi = (mid, hi) if float(delay_whole_months(inputs, mid)) <= u else (lo, mid)
    p = on_time_frac(interconnection, lo)
    return 0.0 if p is None else 1.0 - p


def share_words(frac: float) -> str:
    """A share in percent for a caveat, to 0.1 %, never rounded to a certainty the model does not give:
    ``"99.6 %"``; above 99.9 % (1 included: a lognormal tail's 1 - 1e-22 is 1 in floating point)
    ``"more than 99.9 %"``; below 0.1 % (0 included) ``"less than 0.1 %"``."""
    f = float(frac)
    if f > 0.999:
        return "more than 99.9 %"
    if f < 0.001:
        return "less than 0.1 %"
    return f"{100.0 * f:.1f} %"


def _tornado_delay_ends(interconnection, base: float, hi: float, max_months: float | None,
                        inputs: TcoInputs | None = None) -> tuple[str, str]:
    """The low and high end of the tornado's grid-delay range in words (:func:`tornado_delay_note`)."""
    p10, p90 = site_delay_percentiles(interconnection, (0.1, 0.9))
    b = delay_whole_months(inputs, base)
    low = (f"from the case's own {b:.0f} months" if base < p10 else
           f"from the site's 10th percentile ({p10:.1f} months, dcplan.grid)")
    if max_months is not None and hi == max_months and hi < max(p90, base):
        high = (f"to {hi:.0f} months, the last at which the fleet's first GPUs are still bought within the horizon "
                f"(the site's 90th percentile is {p90:.1f} months, dcplan.grid)")
    elif base > p90:
        high = f"to the case's own {b:.0f} months"
    else:
        high = f"to the site's 90th percentile ({p90:.1f} months, dcplan.grid)"
    return low, high


def tornado_delay_note(interconnection, base: float, lo: float, hi: float, max_months: float | None = None,
                       inputs: TcoInputs | None = None) -> str:
    """What the tornado's ``delay_months`` range ``(lo, hi)`` is, in words.

    ``(lo, hi)`` is :func:`dcplan.tco_uncertainty.site_delay_range` ``(interconnection, base,
    max_months)``: the site's 10th-90th percentile delay, widened to contain ``base`` (the delay
    the case runs with), the high end at most ``max_months``. A tornado's bar must contain the
    base case (each input swings about the base, the others held there): for a base below the
    10th percentile (the plan's 0 months at most sites) the bar runs from the base to the 90th
    percentile, not over the 10th-90th percentile. Whole months are
    :func:`dcplan.tco_grid_dates.delay_whole_months` of the case's ``inputs`` (the months its ramp runs:
    northern-virginia's 90th percentile, 53.05 months, is 54); without ``inputs``, rounded half up. A site whose
    delay is given the months already waited (:func:`dcplan.plan_dates.with_wait`) says so (:func:`_given_sentence`).
    """
    p10, p90 = site_delay_percentiles(interconnection, (0.1, 0.9))
    b = delay_whole_months(inputs, base)
    if not lo < hi:
        return (f"Tornado: no grid-delay bar: the site's 10th-90th percentile delay ({p10:.1f}-{p90:.1f} months, "
                f"dcplan.grid) and the case's {b:.0f} months leave no range.{_given_sentence(interconnection)}")
    low, high = _tornado_delay_ends(interconnection, base, hi, max_months, inputs)
    why = ""
    if base < p10 or base > p90:
        side, q = ("below", f"10th percentile ({p10:.1f} months)") if base < p10 else \
            ("above", f"90th percentile ({p90:.1f} months)")
        why = (f" The case's {b:.0f} months lies {side} the site's {q}, and a tornado's bar must contain the "
               "base case (each input swings about it), so the range is widened to it: not the site's 10th-90th "
               "percentile.")
    return (f"Tornado grid-delay range: {delay_whole_months(inputs, lo):.0f}-{delay_whole_months(inputs, hi):.0f} "
            f"months (whole months, as the "
            f"model runs), {low} {high}.{why}{_given_sentence(interconnection)}")


def _given_sentence(interconnection) -> str:
    """``" The site's percentiles are given 9.0 months waited without power by 2025-03-01 (...)."``: what the
    tornado's range says when the site's delay is conditioned on the months already waited
    (:func:`dcplan.plan_dates.with_wait`, :mod:`dcplan.grid_given_wait`), as its Monte Carlo's and median-delay
    labels say (:func:`given_wait_text`); ``""`` when it is not."""
    from .grid import wait_words
    given = wait_words(interconnection) if interconnection is not None else ""
    return (f" The site's percentiles are {given} (dcplan.grid_given_wait: only the part of the wait not yet "
            "elapsed is uncertain)." if given else "")


def tornado_delay_source(interconnection, base: float, lo: float, hi: float, max_months: float | None = None,
                         inputs: TcoInputs | None = None) -> str:
    """The range the tornado swings ``delay_months`` over, for the source column of the report's table of the
    tornado's inputs: :func:`tornado_delay_note`'s range and its ends, and, when it is not the site's
    10th-90th percentile (widened to the case's delay, or held within the horizon), that it is not, so the
    table and the note above the chart agree. E.g. northern-virginia's base scenario, 0 months, below its 10th
    percentile of 7.1 months: "range swung: 0-54 months (whole months), from the case's own 0 months to the
    site's 90th percentile (53.0 months, dcplan.grid); not the site's 10th-90th percentile (7.1-53.0 months):
    widened to contain the case's own delay, as a bar contains the base case (caveat_tornado_grid_delay)". A site
    whose delay is given the months already waited (:func:`dcplan.plan_dates.with_wait`) adds "; the site's
    percentiles given 9.0 months waited without power by 2025-03-01" (:func:`dcplan.grid.wait_words`).
    """
    if not lo < hi:
        return "no grid-delay bar (caveat_tornado_grid_delay)"
    from .grid import wait_words as grid_wait_words  # given months waited: the percentiles say so
    low, high = _tornado_delay_ends(interconnection, base, hi, max_months, inputs)
    p10, p90 = site_delay_percentiles(interconnection, (0.1, 0.9))
    why = []
    if base < p10 or base > p90:
        why.append("widened to contain the case's own delay, as a bar contains the base case")
    if max_months is not None and hi == max_months and hi < max(p90, base):
        why.append("its high end held within the horizon")
    return (f"range swung: {delay_whole_months(inputs, lo):.0f}-{delay_whole_months(inputs, hi):.0f} months (whole "
            f"months), {low} {high}"
            + (f"; not the site's 10th-90th percentile ({p10:.1f}-{p90:.1f} months): {' and '.join(why)}" if why else "")
            + (f"; the site's percentiles {given}" if (given := grid_wait_words(interconnection)) else "")
            + " (caveat_tornado_grid_delay)")


def one_sided_inputs(distributions, base, inputs: TcoInputs | None = None) -> dict[str, str]:
    """The Monte Carlo inputs whose draws all lie on one side of the base case, with why.

    A ``triangular`` distribution with its mode (the base) at an end; a ``quantiles`` distribution
    (a site's own grid delay, :func:`dcplan.tco_uncertainty.site_delay_distribution`) whose lowest
    value is at or above the case's value (every draw as late or later: the ``base`` scenario's 0
    months, the planned dates) or whose highest is at or below it. Such an input moves the Monte
    Carlo median away from the base case; the grid delay is often the biggest driver.

    Parameters
    ----------
    distributions : mapping of str to tuple
        The Monte Carlo's distributions (:func:`dcplan.tco_uncertainty.monte_carlo`).
    base : mapping of str to float
        The case's inputs (``TcoInputs.params()``, or the Assumptions' values); for
        ``delay_months`` in whole months, as the model runs them (a raw delay is put in whole months by
        :func:`dcplan.tco_grid_dates.delay_whole_months` of ``inputs``, the case's; None: rounded half up).

    Returns
    -------
    dict of str to str
        ``{input: why}`` in the distributions' order.
    """
    out = {}
    for k, d in distributions.items():
        if len(d) == 4 and d[0] == "triangular" and (d[2] <= d[1] or d[2] >= d[3]):
            out[k] = "triangular, the base at its " + ("low end" if d[2] <= d[1] else "high end")
        elif len(d) == 3 and d[0] == "quantiles" and k in base:
            b = float(base[k])
            b = float(delay_whole_months(inputs, b)) if k == "delay_months" else b
            v = np.asarray(d[2], dtype=float)
            med = float(np.interp(0.5, np.asarray(d[1], dtype=float), v))
            unit = " months" if k == "delay_months" else ""
            what = "the site's own distribution, dcplan.grid" if k == "delay_months" else "a quantile table"
            if b <= v.min() or b >= v.max():
                side = "above" if b <= v.min() else "below"
                out[k] = f"{what}: every draw at or {side} the case's {b:g}{unit}, median {med:.1f}{unit}"
    return out


def one_sided_note(distributions, base, inputs: TcoInputs | None = None) -> str:
    """:func:`one_sided_inputs` in a sentence (``""`` with none): the export's
    ``montecarlo_one_sided`` caveat and the tco notebook's line."""
    one = one_sided_inputs(distributions, base, inputs)
    if not one:
        return ""
    return ("; ".join(f"{k} ({why})" for k, why in one.items())
            + ": the base case lies at one end of these inputs' draws, so the Monte Carlo median need not sit "
              "at the base case")
