"""Useful output of a fleet: example throughputs, fleet tokens per second, tokens per kWh.

Re-exported by :mod:`dcplan.power` (``power.token_metrics`` etc.); see there for the
power model. Throughput is assumed proportional to utilisation, at an example rate per
accelerator (:data:`THROUGHPUT_EXAMPLES`, with sources); :func:`token_metrics` divides the
tokens of a period by its energy.
"""
from __future__ import annotations

import math
import re

import numpy as np
import pandas as pd

from .paths import doc_ref
from ._ts import step_s as _step_s
from .errors import InputError
from .power import _as_array, _check_range, _finite_ge0, _number, energy_from_power
from .power_fleet import _as_fleet, fleet_table

__all__ = ["THROUGHPUT_EXAMPLES", "THROUGHPUT_PROVENANCE", "OWN_THROUGHPUT_SOURCE", "own_throughput",
           "example_throughput", "borrowed_throughput", "throughput_caveat", "throughput_provenance",
           "split_throughput_source", "fleet_tokens_per_s", "token_metrics", "THROUGHPUT_SCENARIO",
           "SCENARIO_GAP_FRAC", "scenario_label", "scenario_caveat"]

#: Example throughputs [tokens/s per accelerator] with their sources.
#:
#: ================================  ========  ======================================================
#: key                               value     source
#: ================================  ========  ======================================================
#: h100-sxm/llama-2-70b-offline      3066.0    MLPerf Inference v4.1 closed, HPE Cray XD670 8 x H100
#:                                             SXM 80GB, Llama-2-70B (99 %) Offline 24,528.3 tokens/s
#:                                             / 8 (mlcommons/inference_results_v4.1, primary; derived)
#: h100-sxm/llama-2-70b-server       2891.6    same, Server scenario 23,132.8 tokens/s / 8
#: gb200-gpu/llama-2-70b             12013.9   Azure ND GB200 v6 NVL72 rack 865,000 tokens/s / 72
#:                                             (Microsoft Azure HPC blog 2025, secondary)
#: ================================  ========  ======================================================
THROUGHPUT_EXAMPLES: dict[str, float] = {
    "h100-sxm/llama-2-70b-offline": 24528.3 / 8,
    "h100-sxm/llama-2-70b-server": 23132.8 / 8,
    "gb200-gpu/llama-2-70b": 865000.0 / 72,
}

#: Source, vintage and status of each :data:`THROUGHPUT_EXAMPLES` figure (the table above;
#: docs/reference-data.md s.8), for the Assumptions table of a TCO run
#: (:func:`throughput_provenance`). Statuses as docs/reference-data.md's legend: the H100 figures are a
#: primary MLPerf result divided by 8 (``derived``); the GB200 figure is read from Microsoft's blog
#: (``secondary``), and the MLPerf v4.1 submission the blog reports was not found (unverified).
THROUGHPUT_PROVENANCE: dict[str, tuple[str, str, str]] = {
    "h100-sxm/llama-2-70b-offline": (
        "MLPerf Inference v4.1 closed, HPE Cray XD670 8 x H100 SXM 80GB, Llama-2-70B (99 %) Offline "
        f"24,528.3 tokens/s / 8 (mlcommons/inference_results_v4.1, primary; {doc_ref('reference-data.md', 's.8')})",
        "2024-08", "derived"),
    "h100-sxm/llama-2-70b-server": (
        "MLPerf Inference v4.1 closed, HPE Cray XD670 8 x H100 SXM 80GB, Llama-2-70B (99 %) Server "
        f"23,132.8 tokens/s / 8 (mlcommons/inference_results_v4.1, primary; {doc_ref('reference-data.md', 's.8')})",
        "2024-08", "derived"),
    "gb200-gpu/llama-2-70b": (
        "Azure ND GB200 v6, one NVL72 rack, Llama-2-70B 865,000 tokens/s / 72 (Microsoft Azure HPC blog 2025, "
        "secondary; the MLPerf Inference v4.1 submission it reports is unverified and its scenario, Offline or "
        "Server, is not stated; "
        f"{doc_ref('reference-data.md', 's.8')})",
        "2025", "secondary"),
}
#: MLPerf scenario of each :data:`THROUGHPUT_EXAMPLES` figure: ``"Offline"`` (all queries at once: the
#: throughput ceiling), ``"Server"`` (queries arriving at random under latency bounds) or None where its source
#: does not say. The GB200 figure's source, Microsoft's Azure HPC blog (2025), gives 865,000 tokens/s on one
#: NVL72 rack (18 VMs of 4 GPUs run in parallel) as an unverified MLPerf Inference v4.1 Llama-2-70B submission
#: without naming the scenario; Microsoft's GB300 blog (Nov 2025) sets the same figure (12,022 tokens/s per GPU)
#: beside the H100's Offline 3,066, which is a comparison, not a statement of scenario. No audited GB200 NVL72
#: Llama-2-70B result was found: NVIDIA's MLPerf Inference v5.0 closed GB200 NVL72 submission lists Llama 3.1 405B
#: only (mlcommons/inference_results_v5.0, closed/NVIDIA/results/GB200-NVL72_GB200-186GB_aarch64x72_TRT_Triton).
THROUGHPUT_SCENARIO: dict[str, str | None] = {
    "h100-sxm/llama-2-70b-offline": "Offline",
    "h100-sxm/llama-2-70b-server": "Server",
    "gb200-gpu/llama-2-70b": None,
}
#: How far one system's Server throughput falls below its Offline one, from the only pair of this table:
#: the H100 SXM's 1 - 23,132.8 / 24,528.3 = 0.0569 (MLPerf Inference v4.1, HPE Cray XD670, primary). The GB200's
#: own pair is not published; this is the size of a scenario mismatch, not its value for the GB200. [frac]
SCENARIO_GAP_FRAC = 1.0 - 23132.8 / 24528.3


def scenario_label(key: str) -> str:
    """What a throughput key's MLPerf scenario is, for a label: ``"MLPerf Offline"``, ``"MLPerf Server"``,
    ``"MLPerf scenario not stated by its source"`` (:data:`THROUGHPUT_SCENARIO`); "" for a key that is no
    example figure (a site file's own, a parameter)."""
    if key not in THROUGHPUT_SCENARIO:
        return ""
    sc = THROUGHPUT_SCENARIO[key]
    return f"MLPerf {sc}" if sc else "MLPerf scenario not stated by its source"


def scenario_caveat(throughput: dict, cost: dict, names: dict) -> str:
    """Whether per-token figures on different example throughputs rest on one MLPerf scenario, for the
    caveat of a comparison per million tokens ("" when they do, or only one figure is used).

    ``throughput``: site id -> (throughput key, tokens/s per accelerator); ``cost``: site id -> a per-token
    figure (USD per million tokens); ``names``: site id -> name. When the sites use two or more example figures
    (:data:`THROUGHPUT_SCENARIO`) and not all of them are of one stated scenario, says which figure's scenario
    is unknown, the size of a mismatch (:data:`SCENARIO_GAP_FRAC`, about 6 % of a per-token figure) and the
    smallest ratio of the per-token figures of two sites on different figures, ``max / min``, so the reader
    sees whether the mismatch could reorder them.

    >>> scenario_caveat({"a": ("gb200-gpu/llama-2-70b", 12013.9), "b": ("h100-sxm/llama-2-70b-offline", 3066.0)},
    ...                 {"a": 0.004, "b": 0.012}, {"a": "A", "b": "B"})[:60]
    'the GB200 figure (gb200-gpu/llama-2-70b) does not say its ML'
    """
    keys = {sid: k for sid, (k, _) in throughput.items() if k in THROUGHPUT_SCENARIO}
    used = sorted(set(keys.values()))
    scen = {THROUGHPUT_SCENARIO[k] for k in used}
    if len(used) < 2 or (len(scen) == 1 and None not in scen):
        return ""
    unknown = [k for k in used if THROUGHPUT_SCENARIO[k] is None]
    known = [f"{k} is {THROUGHPUT_SCENARIO[k]}" for k in used if THROUGHPUT_SCENARIO[k] is not None]
    head = (f"the GB200 figure ({', '.join(unknown)}) does not say its MLPerf scenario (its source, an Azure blog, "
            "names neither Offline nor Server)" if unknown else "the example throughputs are of different MLPerf "
            "scenarios")
    out = (f"{head}, while {' and '.join(known)}: per million tokens the sites on different figures may be compared "
           f"across scenarios, which moves a per-token figure by about {SCENARIO_GAP_FRAC:.1%} (the H100's Server "
           "throughput below its Offline; the GB200's own pair is unpublished)")
    pairs = [(max(cost[a], cost[b]) / min(cost[a], cost[b]), a, b) for a in keys for b in keys
             if keys[a] != keys[b] and a < b and a in cost and b in cost and min(cost[a], cost[b]) > 0]
    if pairs:
        r, a, b = min(pairs)
        lo, hi = sorted((a, b), key=lambda s: cost[s])
        verdict = ("more than that: the mismatch cannot reverse their per-token order" if r - 1 > SCENARIO_GAP_FRAC
                   else "within that: the mismatch could reverse their per-token order")
        out += (f"; the closest two sites on different figures differ {r:.2f}x per million tokens ({names.get(lo, lo)} "
                f"{cost[lo]:.4g}, {names.get(hi, hi)} {cost[hi]:.4g} USD/M tokens), {verdict}")
    return out


#: Statuses from strongest to weakest; a fleet mixing figures takes its weakest.
_STATUS_ORDER = ("primary", "derived", "secondary", "unverified", "estimate")
_SOURCE_HEAD = "dcplan.power.example_throughput(site), the site fleet's hardware"


#: The source (and :func:`example_throughput` key) of a site's own throughput figure: the site file's
#: ``finance: costs: tokens_per_s_per_accelerator``, the text the TCO's Assumptions table gives it
#: (:func:`dcplan.tco_inputs.inputs_from_site`).
OWN_THROUGHPUT_SOURCE = "site.finance.costs.tokens_per_s_per_accelerator"


def own_throughput(fleet_or_site) -> float | None:
    """The site file's own throughput [tokens/s per accelerator]: its ``finance: costs:
    tokens_per_s_per_accelerator``, or None (not given, or a fleet rather than a site).

    The TCO takes it for every GPU of the fleet (:func:`dcplan.tco_inputs.inputs_from_site`), and so
    does every other report, through :func:`example_throughput`: one rule for a site's throughput.
    """
    costs = getattr(getattr(fleet_or_site, "finance", None), "costs", None) or {}
    v = costs.get("tokens_per_s_per_accelerator") if hasattr(costs, "get") else None
    return None if v is None else float(v)


def example_throughput(fleet_or_site) -> tuple[float, str]:
    """Throughput of a fleet [tokens/s per accelerator] and the source it comes from.

    A site whose file gives its own figure (:func:`own_throughput`: ``finance: costs:
    tokens_per_s_per_accelerator``) gets it, for every accelerator, with the source
    :data:`OWN_THROUGHPUT_SOURCE`: the figure the TCO takes (:func:`dcplan.tco_inputs.inputs_from_site`),
    so the rack_power, site_analysis and tco reports of one site count the same tokens.
    Otherwise the fleet's example, accelerator-weighted over its phases: GB200 parts (a ``gb200``
    hardware key) take ``gb200-gpu/llama-2-70b``, every other accelerator the H100 SXM MLPerf figure
    ``h100-sxm/llama-2-70b-offline`` (:data:`THROUGHPUT_EXAMPLES`) -- for H200, B200 and MI300X an
    illustration, not a measurement -- and the source is the keys it comes from. A fleet without
    accelerators gets the H100 figure.
    """
    own = own_throughput(fleet_or_site)
    if own is not None:
        return own, OWN_THROUGHPUT_SOURCE
    h100, gb200 = "h100-sxm/llama-2-70b-offline", "gb200-gpu/llama-2-70b"
    t = fleet_table(fleet_or_site)
    keys = [gb200 if "gb200" in str(h) else h100 for h in t["hardware"]]
    acc = t["accelerators"].to_numpy(dtype=float)
    if not acc.sum() > 0:
        return THROUGHPUT_EXAMPLES[h100], h100
    rate = float(sum(a * THROUGHPUT_EXAMPLES[k] for a, k in zip(acc, keys)) / acc.sum())
    return rate, " + ".join(dict.fromkeys(k for a, k in zip(acc, keys) if a > 0))


def borrowed_throughput(fleet_or_site) -> list[str]:
    """Hardware keys of a fleet's phases (with accelerators) whose :func:`example_throughput`
    is another part's figure: the H100 SXM MLPerf figure stands in for every accelerator that
    is neither an H100 nor a GB200 part (H200, B200, MI300X), for want of a sourced figure of
    its own. Per-token figures of such a fleet are illustrations; e.g. a B200 fleet's carry
    B200 power at H100 throughput. A site giving its own figure (:func:`own_throughput`) borrows none."""
    if own_throughput(fleet_or_site) is not None:
        return []
    t = fleet_table(fleet_or_site)
    own = ("h100", "gb200")
    return list(dict.fromkeys(str(h) for h, a in zip(t["hardware"], t["accelerators"])
                              if a > 0 and not any(k in str(h) for k in own)))


def throughput_caveat(fleet_or_site) -> str:
    """What a fleet's per-token figures at its :func:`example_throughput` rest on, for their labels
    ("" when nothing needs saying): the H100 figure standing in for accelerators without a sourced
    figure of their own (:func:`borrowed_throughput`: H200, B200, MI300X), and, for a ``training``
    (or ``mixed``) fleet, that every figure of :data:`THROUGHPUT_EXAMPLES` is an inference benchmark
    (Llama-2-70B serving): tokens served at this power, not the fleet's training throughput.

    The same caveat as the site_analysis notebook's and :func:`dcplan.site_verdict.site_verdict`'s.
    A fleet without accelerators has no tokens: its figures are n/a, not 0 (the caller's to say).

    A site giving its own figure (:func:`own_throughput`) gets instead what that rests on: the site
    file's figure, for every accelerator (naming the hardware types of a mixed fleet), not a
    benchmark of dcplan's.
    """
    own = own_throughput(fleet_or_site)
    if own is not None:
        t = fleet_table(fleet_or_site)
        hw = list(dict.fromkeys(str(h) for h, a in zip(t["hardware"], t["accelerators"]) if a > 0))
        every = (f"every accelerator ({' and '.join(hw)} alike)" if len(hw) > 1 else "every accelerator")
        return f"the site file's own figure for {every}, as the TCO takes it (not a benchmark dcplan sources)"
    workload = _as_fleet(fleet_or_site)[0].workload
    out = []
    borrowed = borrowed_throughput(fleet_or_site)
    if borrowed:
        out.append(f"the H100 figure stands in for {', '.join(borrowed)} (no sourced figure of "
                   f"{'its' if len(borrowed) == 1 else 'their'} own), so this is an illustration")
    if workload in ("training", "mixed"):
        what = "a training fleet" if workload == "training" else "a fleet that is partly training (workload mixed)"
        out.append(f"an inference benchmark (Llama-2-70B serving) applied to {what}: tokens it would serve at this "
                   "power, not its training throughput")
    return "; ".join(out)


def throughput_provenance(fleet_or_site) -> tuple[str, str, str]:
    """Source, vintage and status of a fleet's :func:`example_throughput`.

    From :data:`THROUGHPUT_PROVENANCE` of the figures it weights; a fleet of several takes the
    weakest status. A fleet whose accelerators borrow the H100 figure (:func:`borrowed_throughput`:
    H200, B200, MI300X) gets status ``estimate``: no sourced figure of their own, the value is an
    illustration. The source text starts with ``"dcplan.power.example_throughput(site), the site
    fleet's hardware"`` and ends with ``{vintage ...; status ...}``, so the TCO Assumptions table
    can recover both (:func:`split_throughput_source`).

    A site giving its own figure (:func:`own_throughput`) gets the source the TCO gives it,
    :data:`OWN_THROUGHPUT_SOURCE`, no vintage and status ``input`` (the Assumptions table's for a
    site's value).

    Returns
    -------
    tuple of str
        ``(source, vintage, status)``.
    """
    if own_throughput(fleet_or_site) is not None:
        return OWN_THROUGHPUT_SOURCE, "", "input"
    keys = example_throughput(fleet_or_site)[1].split(" + ")
    prov = [THROUGHPUT_PROVENANCE[k] for k in keys]
    vintage = "; ".join(dict.fromkeys(v for _, v, _ in prov))
    status = max((s for _, _, s in prov), key=_STATUS_ORDER.index)
    text = f"{_SOURCE_HEAD}: " + "; ".join(f"{k}: {s}" for k, (s, _, _) in zip(keys, prov))
    borrowed = borrowed_throughput(fleet_or_site)
    if borrowed:
        status = "estimate"
        text += (f"; the H100 figure stands in for {', '.join(borrowed)} (no sourced throughput of its own: an "
                 "illustration, hence status estimate)")
    return f"{text} {{vintage {vintage}; status {status}}}", vintage, status


def split_throughput_source(text: str) -> tuple[str, str, str] | None:
    """``(source, vintage, status)`` of a source text written by :func:`throughput_provenance`
    (the trailing ``{vintage ...; status ...}`` taken off the source); None for any other text.

    >>> split_throughput_source("dcplan.power.example_throughput(site), the site fleet's hardware: x "
    ...                         "{vintage 2025; status secondary}")
    ("dcplan.power.example_throughput(site), the site fleet's hardware: x", '2025', 'secondary')
    >>> split_throughput_source("site.finance.costs.tokens_per_s_per_accelerator") is None
    True
    """
    m = re.fullmatch(r"(?s)(" + re.escape(_SOURCE_HEAD) + r".*) \{vintage ([^;{}]*); status (\w+)\}", str(text))
    return (m.group(1), m.group(2), m.group(3)) if m else None


def fleet_tokens_per_s(utilisation_frac, n_accelerators, tokens_per_s_per_accelerator: float):
    """Fleet throughput [tokens/s] assuming throughput proportional to utilisation.

    ``tokens_per_s = u * n * rate``; ``n_accelerators`` may be a Series (deployment).
    ``tokens_per_s_per_accelerator`` is a finite number >= 0 (a Python or numpy scalar):
    an infinite rate made every per-token energy 0.
    """
    u, back = _as_array(utilisation_frac, "utilisation_frac")
    _check_range(u, "utilisation_frac")
    n, back_n = _as_array(n_accelerators, "n_accelerators")
    _check_range(n, "n_accelerators", 0.0, None)
    rate = _number(tokens_per_s_per_accelerator, "tokens_per_s_per_accelerator",
                   "a finite number >= 0 [tokens/s per accelerator]", _finite_ge0)
    if u.ndim == 0 or (isinstance(n_accelerators, pd.Series) and not isinstance(utilisation_frac, pd.Series)):
        back = back_n                      # the shape (and index) of the deployment series
    return back(u * n * rate, "tokens_per_s")


#: Suffixes :func:`token_metrics` gives the figures of its ``facility_kw``: ``facility`` counts
#: cooling (as site_analysis's ``facility_kwh_per_m_tokens`` and the TCO's ``tokens_per_j_facility``);
#: ``it_electrical`` is IT + transformer/UPS/PDU losses, no cooling (the rack_power notebook's).
TOKEN_TAGS = ("facility", "it_electrical")


def token_metrics(tokens_per_s, it_kw: pd.Series, facility_kw: pd.Series | None = None, *,
                  tag: str = "facility") -> pd.Series:
    """Useful-output metrics over the period of ``it_kw``.

    Parameters
    ----------
    tokens_per_s : float or pandas.Series
        Fleet throughput [tokens/s], constant (a finite number >= 0) or per interval (same
        index as ``it_kw``, finite and >= 0).
    it_kw : pandas.Series
        IT power [kW].
    facility_kw : pandas.Series, optional
        Power at a level above IT [kW]: IT + electrical losses + cooling for the whole
        facility, or IT + electrical losses alone (the rack_power notebook, ``tag="it_electrical"``).
    tag : str
        Suffix of ``facility_kw``'s figures, naming what they count: ``"facility"`` (default;
        only for power with cooling in it) or ``"it_electrical"`` (IT + electrical losses, no cooling).

    Returns
    -------
    pandas.Series
        ``tokens``, ``it_energy_kwh``, ``tokens_per_kwh_it``, ``tokens_per_j_it``
        (= tokens/s per W), ``kwh_per_million_tokens_it`` [kWh per 10^6 tokens] and, given
        ``facility_kw``, the same figures with the suffix ``tag`` (``kwh_per_million_tokens_facility``).
    """
    if tag not in TOKEN_TAGS:
        raise InputError(f"unknown {tag!r}; allowed: {', '.join(TOKEN_TAGS)}", field="tag")
    e_it = energy_from_power(it_kw)
    st = _step_s(it_kw, "it_kw")
    for name, x in (("it_kw", it_kw), ("facility_kw", facility_kw)):
        if x is not None:      # a NaN would drop out of the energy sum and inflate tokens/kWh
            _check_range(_as_array(x, name)[0], name, 0.0, None)
    if facility_kw is not None:  # facility power counts IT and what comes on top of it
        if not facility_kw.index.equals(it_kw.index):
            raise InputError("facility_kw must share the index of it_kw", field="facility_kw")
        short = facility_kw.to_numpy(dtype=float) < it_kw.to_numpy(dtype=float) * (1 - 1e-9) - 1e-9
        if short.any():
            i = int(np.argmax(short))
            raise InputError(f"{float(facility_kw.iloc[i]):g} kW at {facility_kw.index[i]} is below the IT power "
                             f"{float(it_kw.iloc[i]):g} kW there; allowed: facility power >= IT power (it counts IT "
                             "plus losses and cooling)", field="facility_kw")
    if isinstance(tokens_per_s, pd.Series):
        if not tokens_per_s.index.equals(it_kw.index):
            raise InputError("tokens_per_s must share the index of it_kw", field="tokens_per_s")
        _check_range(_as_array(tokens_per_s, "tokens_per_s")[0], "tokens_per_s", 0.0, None)
        tok = float(tokens_per_s.sum() * st)
    else:  # an infinite rate gave 0 kWh per million tokens
        rate = _number(tokens_per_s, "tokens_per_s", "a finite number >= 0 [tokens/s] or a Series of them",
                       _finite_ge0)
        tok = rate * st * len(it_kw)
    if not (math.isfinite(tok) and tok >= 0):
        raise InputError(f"the period's tokens come to {tok:g}; allowed: a finite number >= 0", field="tokens_per_s")
    out = {"tokens": tok}
    for t, series in (("it", e_it), (tag, None if facility_kw is None else energy_from_power(facility_kw))):
        if series is None:
            continue
        kwh = float(series.sum())
        out[f"{t}_energy_kwh"] = kwh
        out[f"tokens_per_kwh_{t}"] = tok / kwh if kwh else math.nan
        out[f"tokens_per_j_{t}"] = tok / (kwh * 3.6e6) if kwh else math.nan
        out[f"kwh_per_million_tokens_{t}"] = kwh / tok * 1e6 if tok else math.nan
    return pd.Series(out, name="token_metrics")
