"""Electrical chain: transformer, UPS and PDU losses between the utility meter and the IT load.

Re-exported by :mod:`dcplan.power` (``power.electrical_losses_kw`` etc.). Each stage loses
``R (a + b x + c x^2)`` at load fraction ``x = P_out / R`` of its capacity ``R``
(:data:`ELECTRICAL_STAGES`, after Schneider Electric WP108); site electrical input = IT +
:func:`electrical_losses_kw`. Loads beyond :data:`MAX_LOAD_FRAC` of a stage's capacity are
refused by both functions (unless :func:`electrical_losses_kw` is told to extrapolate), and a
coefficient above :data:`MAX_LOSS_COEF` (an efficiency typed as a loss). A site gives its own chain in its
``electrical:`` section (:class:`dcplan.specs.ElectricalSpec`); :func:`chain_text` says a chain in words and
:func:`loss_figures` gives a plant year's losses and the split of PUE - 1.
"""
from __future__ import annotations

import numpy as np

from ._text import unknown_key_message
from .errors import InputError
from .power import _as_array, _check_range, _finite_ge0, _finite_gt0, _number

__all__ = ["ELECTRICAL_STAGES", "DEFAULT_CHAIN", "MAX_LOAD_FRAC", "MAX_LOSS_COEF", "STAGE_WORDS", "DEFAULT_SOURCE",
           "stage_efficiency_frac", "resolve_chain", "electrical_losses_kw", "check_stage", "chain_text", "loss_figures"]

#: Loss model per stage: ``loss = rated * (a + b*x + c*x**2)``, x = output / rated.
#: The three-term (no-load, proportional, square-law) form is the UPS efficiency model of
#: Schneider Electric White Paper 108, "Making Large UPS Systems More Efficient"
#: (V. Avelar, rev. 2); the same form describes transformers (core + I^2R losses).
#: Coefficients are ESTIMATES chosen to give typical modern efficiencies:
#:
#: ===========  =====  =====  =====  =========  ============================================
#: stage        a      b      c      oversize   efficiency at x = 0.25 / 0.5 / 1.0
#: ===========  =====  =====  =====  =========  ============================================
#: transformer  0.002  0.000  0.010  1.0        0.990 / 0.991 / 0.988 (MV/LV dry type)
#: ups          0.010  0.010  0.010  2.0 (2N)   0.950 / 0.966 / 0.971 (double conversion)
#: pdu          0.004  0.000  0.012  1.0        0.981 / 0.986 / 0.984 (transformer PDU)
#: ===========  =====  =====  =====  =========  ============================================
ELECTRICAL_STAGES: dict[str, dict[str, float]] = {
    "transformer": {"a": 0.002, "b": 0.0, "c": 0.010, "oversize": 1.0},
    "ups": {"a": 0.010, "b": 0.010, "c": 0.010, "oversize": 2.0},
    "pdu": {"a": 0.004, "b": 0.0, "c": 0.012, "oversize": 1.0},
}
#: Stages from the IT load upstream to the utility meter.
DEFAULT_CHAIN = ("pdu", "ups", "transformer")
#: Largest load fraction ``x = P_out / capacity`` a stage is modelled at, in
#: :func:`stage_efficiency_frac` and :func:`electrical_losses_kw` alike. The loss model is
#: fitted over 0-100 % load (Schneider WP108); beyond it equipment runs only for a while:
#: IEC 60076-7 (loading guide) caps normal cyclic loading of distribution transformers at
#: 1.5 p.u., and double-conversion UPS overload ratings end at about 150 % for under a
#: minute (vendor datasheets). A larger load is an undersized chain, not a loss figure.
MAX_LOAD_FRAC = 1.5
_STAGE_KEYS = ("a", "b", "c", "oversize")
#: Largest loss coefficient ``a``, ``b`` or ``c`` a stage dict may give [-]. A dcplan choice (2026),
#: not a published figure: the curves of :data:`ELECTRICAL_STAGES` (after Schneider Electric WP108)
#: have terms of about 0.01, and a term of 0.2 alone loses 20 % of the stage's capacity (an
#: efficiency below 83 % at full load), which no data-centre transformer, UPS or PDU has; a larger
#: figure is an efficiency typed as a loss (a = 0.97 for a 97 % efficient stage, which loses 0.03).
MAX_LOSS_COEF = 0.2
#: What each stage of :data:`ELECTRICAL_STAGES` is, in a report's words.
STAGE_WORDS = {"transformer": "MV/LV transformer (dry type)", "ups": "double-conversion UPS",
               "pdu": "PDU with transformer"}
#: Where the coefficients of :data:`ELECTRICAL_STAGES` come from, in a report's words.
DEFAULT_SOURCE = "dcplan estimates after Schneider Electric WP108"


def _efficiency_hint(v: float) -> str:
    """"a loss coefficient, not an efficiency: a 97 % efficient stage loses about 0.03", with
    ``v``'s own figures when it reads as an efficiency (0.5-1, or a percentage 50-100)."""
    eff = v / 100.0 if 50.0 <= v <= 100.0 else v
    if not 0.5 <= eff < 1.0:
        eff = 0.97
    return (f"a loss coefficient, not an efficiency: a {100 * eff:g} % efficient stage loses about "
            f"{1 - eff:.2g}")


def _stage(stage, field: str) -> dict:
    """Loss coefficients of a stage named in :data:`ELECTRICAL_STAGES` or given as a dict
    ``{a, b, c[, oversize]}``: ``a``, ``b``, ``c`` finite and >= 0 (no-load, proportional and
    square-law losses, none of them negative: a = -0.5 gave -50 kW of losses) and ``oversize``
    finite and > 0 (the stage's capacity over ``rated_kw``: 0 gave NaN)."""
    if isinstance(stage, dict):
        unknown = [k for k in stage if k not in _STAGE_KEYS]
        if unknown:
            raise InputError(unknown_key_message(str(unknown[0]), _STAGE_KEYS), field=field)
        missing = {"a", "b", "c"} - set(stage)
        if missing:
            raise InputError(f"stage dict needs keys a, b, c (oversize optional); missing {sorted(missing)}",
                             field=field)
        out = {k: _number(stage[k], f"{field}.{k}", "a finite number >= 0 (a loss coefficient; losses are "
                                                    "never negative)", _finite_ge0) for k in "abc"}
        for k in "abc":  # an efficiency typed as a coefficient (a = 0.97) gave 97 % of the capacity as losses
            if out[k] > MAX_LOSS_COEF:
                raise InputError(f"{stage[k]!r} is above {MAX_LOSS_COEF:g}, the largest loss coefficient allowed: "
                                 f"{_efficiency_hint(out[k])}; allowed: 0 to {MAX_LOSS_COEF:g} (the stage loses "
                                 "capacity x (a + b x + c x^2) at load fraction x of its capacity)",
                                 field=f"{field}.{k}")
        out["oversize"] = _number(stage.get("oversize", 1.0), f"{field}.oversize",
                                  "a finite number > 0 (the stage's capacity / rated_kw)", _finite_gt0)
        return out
    if not isinstance(stage, str) or stage not in ELECTRICAL_STAGES:
        raise InputError(unknown_key_message(str(stage), ELECTRICAL_STAGES) + ", or a dict {a, b, c, oversize}",
                         field=field)
    return ELECTRICAL_STAGES[stage]


def check_stage(stage) -> str | dict[str, float]:
    """``stage`` checked as one item of a chain (:func:`electrical_losses_kw`): a name of
    :data:`ELECTRICAL_STAGES` as given, or a dict's coefficients as floats with its ``oversize``
    (default 1). InputError (field ``stage`` or ``stage.<key>``) as :func:`electrical_losses_kw`
    raises for a chain item; :class:`dcplan.specs.ElectricalSpec` checks a site's chain with it."""
    out = _stage(stage, "stage")
    return dict(out) if isinstance(stage, dict) else stage


def _shown_outside(x: float, lo: float = 0.0, hi: float = MAX_LOAD_FRAC) -> str:
    """``x`` written with the fewest significant digits (3 at least) that keep it outside
    [``lo``, ``hi``]: 1.50353 is "1.504", not "1.5", which reads as inside the bound."""
    for digits in range(3, 18):
        text = f"{x:.{digits}g}"
        if not lo <= float(text) <= hi:
            return text
    return repr(x)


def _check_load_frac(x: np.ndarray, field: str, what, fix: str = "") -> None:
    """InputError at the first load fraction outside [0, :data:`MAX_LOAD_FRAC`] (or NaN):
    "``field``: ``what(i, x_i)`` is outside [0, 1.5]; allowed: ...``fix``"."""
    bad = ~(np.isfinite(x) & (x >= 0) & (x <= MAX_LOAD_FRAC))
    if bad.any():
        i = int(np.argmax(bad.ravel()))
        raise InputError(f"{what(i, float(x.ravel()[i]))} is outside [0, {MAX_LOAD_FRAC:g}]; allowed: a load of "
                         f"0 to {MAX_LOAD_FRAC:g} x a stage's capacity (MAX_LOAD_FRAC: beyond it a transformer or "
                         f"UPS trips or overheats, and the loss model does not hold){fix}", field=field)


def stage_efficiency_frac(load_frac, stage: str | dict = "ups"):
    """Efficiency of one electrical stage versus its output load fraction x, 0 to
    :data:`MAX_LOAD_FRAC` (1.5, the bound :func:`electrical_losses_kw` applies too).

    ``eta = x / (x + a + b*x + c*x**2)`` (see :data:`ELECTRICAL_STAGES`); 0 at x = 0.
    """
    s = _stage(stage, "stage")
    arr, back = _as_array(load_frac, "load_frac")
    _check_load_frac(arr, "load_frac", lambda i, x: f"load fraction {_shown_outside(x)} (element {i})")
    loss = s["a"] + s["b"] * arr + s["c"] * arr ** 2
    return back(np.where(arr > 0, arr / np.where(arr > 0, arr + loss, 1.0), 0.0), "efficiency_frac")


def electrical_losses_kw(it_kw, rated_kw: float | None = None, *, chain=DEFAULT_CHAIN,
                         energized_when_zero: bool = False, extrapolate: bool = False):
    """Transformer, UPS and PDU losses between the utility meter and the IT load.

    Working upstream from the IT load through ``chain``, each stage of capacity
    ``rated_kw * oversize`` carrying output ``P_out`` has input
    ``P_in = P_out + R (a + b x + c x^2)``, ``x = P_out / R``; ``x`` must stay within
    0 to :data:`MAX_LOAD_FRAC` (1.5) at every stage, as in :func:`stage_efficiency_frac`.

    Parameters
    ----------
    it_kw : float, numpy.ndarray or pandas.Series
        IT load [kW] (>= 0).
    rated_kw : float, optional
        Design IT capacity each stage is sized for [kW]; default the peak of ``it_kw``
        (pass :func:`fleet_design_it_kw` for a site; needed when ``it_kw`` is all zero).
    chain : sequence of str or dict
        Stage names from :data:`ELECTRICAL_STAGES` or dicts ``{a, b, c, oversize}``
        (coefficients 0 to :data:`MAX_LOSS_COEF`, oversize > 0), from the IT load upstream.
    energized_when_zero : bool, default False
        If False, intervals with zero IT load (before deployment) have zero losses;
        if True they carry the stages' no-load losses.
    extrapolate : bool, default False
        If True, loads beyond :data:`MAX_LOAD_FRAC` are not refused: the loss curves are evaluated
        beyond their range, an extrapolation, only for the IT a cooling plant could carry (the fixed
        point of :mod:`dcplan.thermal_plant_capacity`), never for a load the chain runs.

    Returns
    -------
    float, numpy.ndarray or pandas.Series
        ``electrical_losses_kw`` [kW]; site electrical input = ``it_kw`` + this.
    """
    arr, back = _as_array(it_kw, "it_kw")
    _check_range(arr, "it_kw", 0.0, None)
    if rated_kw is None:
        peak = float(arr.max()) if arr.size else 0.0
        if not peak > 0:
            raise InputError(f"not given, so it defaults to the peak of it_kw, which is {peak:g} kW "
                             f"({'every value of it_kw is 0' if arr.size else 'it_kw is empty'}); allowed: pass rated_kw, the design IT "
                             "capacity the stages are sized for [kW] (for a site: fleet_design_it_kw(site))",
                             field="rated_kw")
        rated_kw = peak
    rated_kw = _number(rated_kw, "rated_kw", "a positive number [kW]", _finite_gt0)
    if isinstance(chain, (str, dict)):
        raise InputError(f"must be a sequence of stages, e.g. {DEFAULT_CHAIN!r} or [{{'a': 0.01, 'b': 0.0, "
                         f"'c': 0.01}}], got {chain!r}", field="chain")
    stages = [(repr(st) if isinstance(st, str) else f"chain[{i}]", _stage(st, f"chain[{i}]"))
              for i, st in enumerate(chain)]
    p = arr.astype(float)
    for name, s in stages:
        r = rated_kw * s["oversize"]
        x = p / r
        if not extrapolate:
            _check_load_frac(x, "it_kw", lambda i, xi: f"{arr.ravel()[i]:g} kW (element {i}) loads stage {name} at "
                                                       f"{_shown_outside(xi)} x its capacity {r:g} kW (rated_kw "
                                                       f"{rated_kw:g} kW x oversize {s['oversize']:g}), a load "
                                                       "fraction that", fix="; give a larger rated_kw")
        p = p + r * (s["a"] + s["b"] * x + s["c"] * x ** 2)
    loss = p - arr
    if not energized_when_zero:
        loss = np.where(arr > 0, loss, 0.0)
    return back(loss, "electrical_losses_kw")


def resolve_chain(chain=DEFAULT_CHAIN, ups_oversize: float | None = None) -> tuple:
    """``chain`` as :func:`electrical_losses_kw` takes it, each stage named ``"ups"`` given
    ``ups_oversize`` (its capacity over the design IT: 2 for 2N, 1 for N) when that is not None:
    the UPS coefficients of :data:`ELECTRICAL_STAGES` as a dict with that oversize."""
    if ups_oversize is None:
        return tuple(chain)
    ov = _number(ups_oversize, "ups_oversize", "a finite number > 0 (the UPS capacity / design IT)", _finite_gt0)
    return tuple({**ELECTRICAL_STAGES["ups"], "oversize": ov} if st == "ups" else st for st in chain)


def _stage_text(stage, i: int, ups_oversize: float | None = None) -> str:
    """One stage in words: what it is, its capacity over the design IT (a UPS's redundancy: 2N at
    2, N at 1) and its efficiency at 50 % and 100 % of that capacity (:func:`stage_efficiency_frac`):
    ``"2. double-conversion UPS at 2 x design IT (2N), efficiency 96.6 % at 50 % and 97.1 % at 100 %
    of its capacity"``."""
    s = _stage(resolve_chain((stage,), ups_oversize)[0], f"chain[{i}]")
    what = (STAGE_WORDS.get(stage, stage) if isinstance(stage, str)
            else f"a stage of loss coefficients a = {s['a']:g}, b = {s['b']:g}, c = {s['c']:g}")
    ov = s["oversize"]
    red = {2.0: " (2N)", 1.0: " (N)"}.get(ov, "") if stage == "ups" else ""
    e50, e100 = (float(stage_efficiency_frac(x, s)) for x in (0.5, 1.0))
    return (f"{i + 1}. {what} at {ov:g} x design IT{red}, efficiency {100 * e50:.1f} % at 50 % and "
            f"{100 * e100:.1f} % at 100 % of its capacity")


def chain_text(chain=DEFAULT_CHAIN, source: str = "", ups_oversize: float | None = None) -> str:
    """The electrical chain in words, for a report: each stage from the IT load up to the utility
    meter (:func:`_stage_text`: what it is, ``"UPS at 2 x design IT (2N)"``, its efficiency at
    50 % and 100 % of its capacity) and where its coefficients come from: ``DEFAULT_SOURCE`` for
    the stages named from :data:`ELECTRICAL_STAGES`, ``source`` (the site's
    ``electrical.source``) for those given as coefficients; ``ups_oversize`` as in
    :func:`resolve_chain`.

    >>> chain_text(("pdu",))
    'IT load to utility meter: 1. PDU with transformer at 1 x design IT, efficiency 98.6 % at 50 % and 98.4 % at 100 % of its capacity. Coefficients: dcplan estimates after Schneider Electric WP108'
    """
    if isinstance(chain, (str, dict)):
        raise InputError(f"must be a sequence of stages, e.g. {DEFAULT_CHAIN!r}, got {chain!r}", field="chain")
    parts = [_stage_text(st, i, ups_oversize) for i, st in enumerate(chain)]
    named = any(isinstance(st, str) for st in chain)
    given = any(isinstance(st, dict) for st in chain)
    srcs = []
    if named:
        srcs.append(DEFAULT_SOURCE + (" (the named stages)" if given else ""))
    if given:
        srcs.append((source or "not given") + (" (the stages given as coefficients)" if named else ""))
    return "IT load to utility meter: " + "; ".join(parts) + ". Coefficients: " + "; ".join(srcs)


def loss_figures(hourly) -> dict[str, float]:
    """The year's electrical losses and the split of ``PUE - 1`` of a
    :func:`dcplan.thermal.plant_hourly` frame (``facility_kw`` = IT + losses + cooling, so
    ``PUE = 1 + pue_electrical_part + pue_cooling_part`` exactly).

    Returns
    -------
    dict
        ``electrical_losses_mwh`` [MWh] (the year's transformer, UPS and PDU losses, at the
        uplifted IT), ``electrical_loss_frac`` (losses over IT energy) [frac],
        ``pue_electrical_part`` (= ``electrical_loss_frac``) and ``pue_cooling_part`` (cooling
        energy over IT energy, = cooling pPUE - 1) [-].
    """
    step_h = (hourly.attrs.get("plant") or {}).get("step_h", 1.0)
    it, loss, cool = (float(hourly[c].sum()) for c in ("it_kw", "electrical_losses_kw", "cooling_kw"))
    if not it > 0:
        raise InputError(f"the IT energy is {it * step_h:g} kWh: no share of it to give", field="it_kw")
    return {"electrical_losses_mwh": loss * step_h / 1000.0, "electrical_loss_frac": loss / it,
            "pue_electrical_part": loss / it, "pue_cooling_part": cool / it}
