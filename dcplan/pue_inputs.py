"""What a plant's PUE rests on, in a report's words: its electrical and cooling parts with the
status of the figures each comes from, and the hours the chillers run at dcplan's COP cap.

A site's annual PUE splits exactly into ``1 + electrical part + cooling part``
(:func:`dcplan.power_electrical.loss_figures`). The electrical part comes from the loss curves of
the site's chain (:data:`dcplan.power_electrical.ELECTRICAL_STAGES`, whose source,
:data:`dcplan.power_electrical.DEFAULT_SOURCE`, calls them estimates, unless the site gives its own
coefficients); the cooling part from ``data/cooling_defaults.csv``, whose ``status`` column says how
far each figure is sourced. The clauses here read those texts (never typed), so a figure that gains a
source changes the label with it.
"""
from __future__ import annotations

from typing import Any

import numpy as np

from .power_electrical import DEFAULT_CHAIN, DEFAULT_SOURCE, ELECTRICAL_STAGES, loss_figures
from .thermal_plant_params import _defaults_table, cooling_defaults, plant_params

__all__ = ["default_status", "pue_inputs_clause", "cop_cap_clause", "cop_cap_status", "COOLING_PART_KEYS"]

#: The cooling part's figures a label names beside the rated chiller COP (air loop; a liquid plant adds
#: ``server_fan_frac_liquid``): the server inlet's approach to the chilled water (sets the water
#: temperature, so the lift), the server fans' share of the IT, and the plant's design margin.
COOLING_PART_KEYS = ("crah_approach_k", "server_fan_frac_air", "margin_frac")

#: A status of data/cooling_defaults.csv in a report's words, as an adjective of one figure.
_ADJECTIVE = {"estimate": "an estimated", "unverified": "an unverified", "secondary": "a secondary-sourced",
              "derived": "a derived"}
#: The same status in words for a group of figures.
_GROUP = {"estimate": "estimates", "unverified": "unverified figures", "secondary": "secondary-sourced figures",
          "derived": "derived figures"}


def default_status(key: str) -> str:
    """The ``status`` cell of ``key``'s row of data/cooling_defaults.csv (``estimate``, ``unverified``, ...).

    Raises KeyError naming the file and the key when it has no such row.
    """
    rows = _defaults_table()
    if key not in rows:
        raise KeyError(f"data/cooling_defaults.csv has no row {key!r}")
    return str(rows[key]["status"]).strip()


def _status_of(key: str, params_values: dict, defaults: dict) -> str:
    """A key's status, or ``"site file"`` where the plant ran with a value other than the CSV's."""
    v, d = params_values.get(key), defaults.get(key)
    if v is not None and d is not None and not np.isclose(float(v), float(d), rtol=1e-12, atol=0.0):
        return "site file"
    return default_status(key)


def _ups_words(chain, ups_oversize) -> str:
    """" (2N UPS)"-style words for the chain's UPS sizing ("" without a named UPS)."""
    if "ups" not in tuple(st for st in chain if isinstance(st, str)):
        return ""
    ov = float(ups_oversize if ups_oversize is not None else ELECTRICAL_STAGES["ups"]["oversize"])
    return {2.0: " (2N UPS)", 1.0: " (N UPS)"}.get(ov, f" (UPS at {ov:g} x design IT)")


def pue_inputs_clause(hourly, cooling: Any = None, *, chain=DEFAULT_CHAIN, source: str = "",
                      ups_oversize: float | None = None) -> str:
    """One clause for an annual PUE label: its electrical and cooling parts and what each rests on.

    Parameters
    ----------
    hourly : pandas.DataFrame
        :func:`dcplan.thermal.plant_hourly`'s frame of the site year (its ``attrs["plant"]`` says
        which chillers the plant has).
    cooling : CoolingSpec, dict or None
        The plant's ``cooling:`` (a figure it sets to other than the CSV's is named "the site file's").
    chain, source, ups_oversize
        The site's electrical chain as its ``electrical:`` section gives them (``chain``, ``source``,
        ``ups_oversize``); default dcplan's chain.

    Returns
    -------
    str
        E.g. ``"electrical part 0.067 from loss curves of dcplan estimates after Schneider Electric WP108
        (2N UPS); cooling part 0.117 on an unverified rated chiller COP (chiller_cop_rated_water) and
        estimates (crah_approach_k, server_fan_frac_air, margin_frac)"``. The parts are
        :func:`dcplan.power_electrical.loss_figures`' (losses and cooling energy over the IT energy).
    """
    parts = loss_figures(hourly)
    named = any(isinstance(st, str) for st in chain)
    given = any(isinstance(st, dict) for st in chain)
    srcs = ([DEFAULT_SOURCE] if named else []) + ([source.strip() or "a source not given"] if given else [])
    elec = (f"electrical part {parts['pue_electrical_part']:.3f} from loss curves of " + " and ".join(srcs)
            + _ups_words(chain, ups_oversize))
    rec = hourly.attrs.get("plant") or {}
    vals, defaults = plant_params(cooling).values, cooling_defaults()
    # the rated COP of each kind of chiller the plant has (plant_hourly records a design condition per kind)
    rated = [k for k, has in (("chiller_cop_rated_water", rec.get("chiller_design_wb_degc") is not None),
                              ("chiller_cop_rated_air", rec.get("chiller_design_db_degc") is not None)) if has]
    keys = COOLING_PART_KEYS + (("server_fan_frac_liquid",) if rec.get("type") == "liquid" else ())
    cool = f"cooling part {parts['pue_cooling_part']:.3f}"
    if rated:
        st = [_status_of(k, vals, defaults) for k in rated]
        if len(set(st)) == 1:
            word = "the site file's" if st[0] == "site file" else _ADJECTIVE.get(st[0], f"a {st[0]}")
            cool += f" on {word} rated chiller COP ({', '.join(rated)})"
        else:
            cool += " on rated chiller COPs (" + ", ".join(f"{k}: {s}" for k, s in zip(rated, st)) + ")"
    groups: dict[str, list[str]] = {}
    for k in keys:
        groups.setdefault(_status_of(k, vals, defaults), []).append(k)
    rest = [("the site file's" if s == "site file" else _GROUP.get(s, f"{s} figures")) + f" ({', '.join(ks)})"
            for s, ks in groups.items()]
    if rest:
        cool += (" and " if rated else " on ") + " and ".join(rest)
    return f"{elec}; {cool}"


def cop_cap_clause(cap_h: int, energy_frac: float, cop_max: float, *, status: str | None = None) -> str:
    """The words a PUE label adds when chillers run at dcplan's COP cap (``""`` when they never do).

    ``cap_h``, ``energy_frac`` and ``cop_max`` are :func:`dcplan.thermal_plant_summary.plant_summary`'s
    ``chiller_cop_cap_h``, ``chiller_cop_cap_energy_frac`` and ``chiller_cop_max``; ``status`` is the
    cap's status (default: its row of data/cooling_defaults.csv), named "an estimate" for ``estimate``.

    >>> cop_cap_clause(5054, 1.0, 12.0, status="estimate")
    "the chiller COP is at dcplan's cap of 12 (an estimate) in 5,054 h (100 % of chiller energy); the PUE in those hours rests on it"
    >>> cop_cap_clause(0, 0.0, 12.0)
    ''
    """
    if not cap_h > 0:
        return ""
    word = cop_cap_status(status)
    return (f"the chiller COP is at dcplan's cap of {cop_max:g} ({word}) in {cap_h:,.0f} h "
            f"({100 * energy_frac:.0f} % of chiller energy); the PUE in those hours rests on it")


def cop_cap_status(status: str | None = None, *, source: bool = False) -> str:
    """The COP cap's status in words, from its row of data/cooling_defaults.csv (``status`` given: that one):
    ``"an estimate"`` for ``estimate``, else the status itself; with ``source`` its source cell after it
    (``"an estimate: typical part-load ceiling"``)."""
    st = default_status("chiller_cop_max") if status is None else status
    word = {"estimate": "an estimate", "unverified": "unverified"}.get(st, st)
    return word + (f": {str(_defaults_table()['chiller_cop_max']['source']).strip()}" if source else "")
