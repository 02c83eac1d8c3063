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

__all__ = ["default_status", "pue_inputs_clause", "cop_cap_clause", "cop_cap_status", "COOLING_PART_KEYS",
           "WATER_TEMPERATURE_KEYS", "mover_keys", "share_text"]

#: The figures that set the chilled water's temperature (the server inlet less the coil's approach): the hours
#: free cooling carries and the chillers' lift. A verifier's one-at-a-time runs at Phoenix: +10 % on
#: crah_approach_k moves the cooling part by +0.0050, a 27 degC inlet from 0.117 to 0.101.
WATER_TEMPERATURE_KEYS = ("inlet_setpoint_degc", "crah_approach_k")
#: Kept for callers of the earlier clause: the keys it named besides the rated COP.
COOLING_PART_KEYS = WATER_TEMPERATURE_KEYS


def mover_keys(rec: dict) -> tuple[list[str], list[str]]:
    """The fan and pump figures (kW per kW moved, data/cooling_defaults.csv) of the plant ``rec``
    (``plant_hourly``'s ``attrs["plant"]``) describes: CRAH fans and chilled-water pumps of its air loop, the
    liquid loop's pumps, and the fans (and condenser-water pumps) of its towers or dry coolers. These, not the
    rated chiller COP, carry most of a cooling part whose chillers run at the COP cap (Phoenix: fans 0.058 and
    pumps 0.023 of 0.117; a verifier's one-at-a-time runs: +10 % on crah_fan_kw_per_kw +0.0043, on the rated COP
    -0.0002)."""
    fans, pumps = ["crah_fan_kw_per_kw"], ["chw_pump_kw_per_kw"]
    rejection = {rec.get("air_heat_rejection", "tower")}
    if rec.get("type") == "liquid":
        pumps.append("liquid_pump_kw_per_kw")
        rejection.add(rec.get("heat_rejection"))
    if "tower" in rejection:
        fans.append("tower_fan_kw_per_kw")
        pumps.append("cw_pump_kw_per_kw")
    if "dry" in rejection:
        fans.append("drycooler_fan_kw_per_kw")
    return fans, pumps


def share_text(frac: float) -> str:
    """A share of energy in a label: whole percent, with "<1 %" and ">99 %" at the ends, so 0.35 % does not read
    "0 %" nor 99.6 % "100 %" (a verifier's finding).

    >>> share_text(1.0), share_text(0.9961), share_text(0.456), share_text(0.0035)
    ('100 %', '>99 %', '46 %', '<1 %')
    """
    if frac >= 1.0 - 1e-12:
        return "100 %"
    if frac > 0.99:
        return ">99 %"
    if 0.0 < frac < 0.01:
        return "<1 %"
    return f"{100 * frac:.0f} %"

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
        E.g. (Phoenix) ``"electrical part 0.067 from loss curves of dcplan estimates after Schneider Electric
        WP108 (2N UPS); cooling part 0.117: fans 0.058 on derived figures (crah_fan_kw_per_kw) and secondary-sourced
        figures (tower_fan_kw_per_kw), pumps 0.023 on derived figures (chw_pump_kw_per_kw, cw_pump_kw_per_kw),
        chillers 0.036 at dcplan's COP cap for 100 % of their energy (below); its water temperatures from
        estimates (inlet_setpoint_degc, crah_approach_k)"``: the figures named are those the plant's own split
        rests on (a verifier's finding: the rated COP, named first before, moved Phoenix's cooling part by
        0.0002 when 10 % lower, its chillers all at the cap). The parts are
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
    it = float(hourly["it_kw"].sum())
    fans, pumps = mover_keys(rec)

    def on(keys):
        groups: dict[str, list[str]] = {}
        for k in keys:
            groups.setdefault(_status_of(k, vals, defaults), []).append(k)
        return " and ".join(("the site file's" if st == "site file" else _GROUP.get(st, f"{st} figures"))
                            + f" ({', '.join(ks)})" for st, ks in groups.items())

    def part(col):
        return float(hourly[col].sum()) / it if col in hourly and it > 0 else 0.0

    cool = (f"cooling part {parts['pue_cooling_part']:.3f}: fans {part('fans_kw'):.3f} on {on(fans)}, "
            f"pumps {part('pumps_kw'):.3f} on {on(pumps)}, chillers {part('chiller_kw'):.3f}")
    # the rated COP of each kind of chiller the plant has (plant_hourly records a design condition per kind); it
    # decides the chillers' power only in hours their COP is below dcplan's cap
    rated = [k for k, has in (("chiller_cop_rated_water", rec.get("chiller_design_wb_degc") is not None),
                              ("chiller_cop_rated_air", rec.get("chiller_design_db_degc") is not None)) if has]
    chiller = float(hourly["chiller_kw"].sum()) if "chiller_kw" in hourly else 0.0
    at_cap = (float(hourly["chiller_at_cop_cap_kw"].sum()) / chiller
              if chiller > 0 and "chiller_at_cop_cap_kw" in hourly else 0.0)
    if chiller > 0 and at_cap > 0:
        cool += f" at dcplan's COP cap for {share_text(at_cap)} of their energy (below)"
    if rated and chiller > 0 and at_cap < 1.0 - 1e-9:
        st = [_status_of(k, vals, defaults) for k in rated]
        if len(set(st)) == 1:
            word = "the site file's" if st[0] == "site file" else _ADJECTIVE.get(st[0], f"a {st[0]}")
            cool += (" and otherwise" if at_cap > 0 else "") + f" on {word} rated chiller COP ({', '.join(rated)})"
        else:
            cool += ((" and otherwise" if at_cap > 0 else "") + " on rated chiller COPs ("
                     + ", ".join(f"{k}: {s}" for k, s in zip(rated, st)) + ")")
    cool += f"; its water temperatures from {on(WATER_TEMPERATURE_KEYS)}"
    if rec.get("type") == "liquid" and rec.get("liquid_class"):
        cool += f" and the {rec['liquid_class']} liquid class's supply (ASHRAE)"
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
            f"({share_text(energy_frac)} of chiller energy); the PUE in those hours rests on it")


def cop_cap_status(status: str | None = None, *, source: bool = False) -> str:
    """The COP cap's status in words, from its row of data/cooling_defaults.csv (``status`` given: that one):
    ``"an estimate"`` for ``estimate``, else the status itself; with ``source`` its source cell after it
    (``"an estimate: no source gives a chiller's COP at a 19 degC supply; nearest data: ..."``)."""
    st = default_status("chiller_cop_max") if status is None else status
    word = {"estimate": "an estimate", "unverified": "unverified"}.get(st, st)
    return word + (f": {str(_defaults_table()['chiller_cop_max']['source']).strip()}" if source else "")
