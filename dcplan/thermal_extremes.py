"""The cooling plant at the extremes a weather file's header states: what a typical year leaves out.

A typical meteorological year is stitched from typical months, so its hottest hour is about an
average year's peak, not a design extreme. Washington Dulles' TMY3 (EPW) peaks at 37.2 °C dry bulb
and 26.9 °C wet bulb, while the DESIGN CONDITIONS line of the same file (ASHRAE Handbook 2009,
Climate Design Data, from the station's long-term record) states a mean annual maximum dry bulb
of 36.2 °C, 38.7 °C for a 10-year and 39.7 °C for a 20-year return period, and an extreme maximum
wet bulb of 28.9 °C. Every hourly figure dcplan draws from the typical year (``derate_h``,
``derate_max_kw``, ``facility_design_kw``, ``gpus_never_powered``) holds for that year only.

:func:`extreme_hour_capacity` runs the plant (:func:`dcplan.thermal_plant.plant_hourly`) at full
design IT through the typical year with **one hour** moved to a stated extreme, and reports what IT
the plant carries in that hour:

* ``db_10yr``, ``db_20yr``: the typical year's hour of highest dry bulb, its dry bulb set to the
  header's 10- or 20-year return-period maximum; its own wet bulb kept as the coincident one (the
  wet bulb of the typical year's hottest hour: 26.5 °C at Dulles, above ASHRAE's mean coincident
  wet bulb of the 0.4 % dry bulb, 23.9 °C; so the hour is humid, not the driest such an hour could be);
* ``wb_max``: the typical year's hour of highest wet bulb, its wet bulb set to the header's extreme
  maximum wet bulb and its own dry bulb kept (raised to the wet bulb where it is lower: saturated air); not
  for a plant whose every loop rejects dry (no cooling tower): the wet bulb moves nothing there;
* ``typical_db_max`` (for comparison): the typical year's hottest hour as it is.

Every other hour stays the typical year's, so the chillers keep the selection of the year
(:func:`dcplan.thermal_plant_params.chiller_design_conditions`, passed back as overrides): the plant
is the one designed for the recorded climate, met by a hotter hour. This is the method of shifting
the typical year's dry bulb by the difference (the tester's: Dulles' typical year +1.5 K leaves the
northern-virginia W45 plant 2,169 kW short in its hottest hour, the 1-in-10-year one), restricted to
the hour that reaches the extreme. A TMY2 or TMY3 file or an NSRDB CSV has no DESIGN CONDITIONS line: no extreme,
no figure (:func:`extreme_hour_capacity` returns no rows and says why).

The Extremes fields, after the ``Extremes`` token of the DESIGN CONDITIONS line (ASHRAE HOF 2009
format; the EnergyPlus EPW data dictionary, Auxiliary Programs, "DESIGN CONDITIONS": its fields are
the source's, in the WeatherConverter's header order; the same order as ladybug's
``DesignDay.EXTREME_KEYS``): 1 %, 2.5 %, 5 % extreme annual wind speeds, extreme maximum wet bulb,
mean of the annual extreme minimum and maximum dry bulbs, their standard deviations, then the
minimum and maximum dry bulbs of the 5-, 10-, 20- and 50-year return periods
(:data:`dcplan.weather._EXTREME_FIELDS` reads them into ``attrs["ashrae_design"]``). The n-year
values are ASHRAE's Gumbel estimate ``M + F(n) s``, ``F(n) = -(sqrt 6 / pi) (0.5772 + ln ln(n / (n - 1)))``
(ASHRAE Handbook—Fundamentals 2009, ch. 14): Dulles 36.2 + 1.3046 x 1.9 = 38.7 °C for 10 years.
"""
from __future__ import annotations

import warnings
from typing import Any

import pandas as pd

from .errors import DcplanWarning, InputError

__all__ = ["EXTREME_CASES", "extreme_hour_capacity", "extremes_text", "extreme_figures", "no_extremes_reason"]

#: The stated extremes the plant is run at: (row key, ``attrs["ashrae_design"]`` key, return period
#: [years] or None, bulb moved (``"db"``/``"wb"``), what it is).
EXTREME_CASES = (
    ("db_10yr", "extreme_db_max_10yr_degc", 10, "db", "1-in-10-year dry bulb"),
    ("db_20yr", "extreme_db_max_20yr_degc", 20, "db", "1-in-20-year dry bulb"),
    ("wb_max", "extreme_wb_max_degc", None, "wb", "extreme maximum wet bulb"),
)

#: Columns of :func:`extreme_hour_capacity`'s frame.
_COLUMNS = ["what", "return_period_yr", "stated_degc", "hour", "typical_temp_air_degc",
            "typical_temp_wet_bulb_degc", "temp_air_degc", "temp_wet_bulb_degc", "coincident", "it_kw",
            "capacity_it_kw", "carried_it_kw", "shortfall_kw", "throttled_overload_kw"]


def no_extremes_reason(weather: pd.DataFrame) -> str | None:
    """Why ``weather`` (:func:`dcplan.weather.load_weather`) has no stated extremes, or None when its
    header states at least one of :data:`EXTREME_CASES`."""
    ashrae = weather.attrs.get("ashrae_design") or {}
    if any(k in ashrae for _, k, *_ in EXTREME_CASES):
        return None
    fmt = str(weather.attrs.get("format") or "").upper()
    if fmt and fmt != "EPW":
        return (f"this {fmt} file has no ASHRAE design conditions: only an EPW header's DESIGN CONDITIONS line "
                "states the extremes (return-period dry bulbs, extreme wet bulb), so no figure is given; the "
                "typical year leaves out extremes, so the plant's hourly figures hold for the typical year only")
    return ("the weather file's header states no extremes (an EPW without a DESIGN CONDITIONS line with "
            "'Extremes' fields, or one whose figures are missing or out of order), so no figure is given; the "
            "typical year leaves out extremes, so the plant's hourly figures hold for the typical year only")


def _has_tower(cooling, overrides: dict) -> bool:
    """Whether a loop of the plant rejects its heat through a cooling tower (the only part the wet bulb moves: a dry
    cooler or an air-cooled chiller follows the dry bulb). A cooling engineer's check: a W45 dry-cooler plant in
    Phoenix was said to be short 400 kW "at the extreme wet-bulb hour, which the typical year leaves out", the
    typical hour's own shortfall at its kept dry bulb."""
    from .thermal_plant_params import plant_params
    try:
        p = plant_params(cooling, **overrides)
    except (InputError, TypeError):  # (the plant's own run says what is wrong)
        return True
    return "tower" in ([p.air_heat_rejection] + ([p.heat_rejection] if p.type == "liquid" else []))


def extreme_hour_capacity(design_it_kw: float, weather: pd.DataFrame, cooling: Any = None, *,
                          electrical_chain=None, fleet: Any = None, **overrides) -> pd.DataFrame:
    """What IT the plant carries at full design IT in the hours of the extremes the weather file's
    header states (module docstring: which hour, which coincident bulb).

    Parameters
    ----------
    design_it_kw : float
        Full design IT, run through the plant in every hour and sizing it (``design_it_kw`` of
        :func:`dcplan.thermal_plant.plant_hourly`). [kW]
    weather : pandas.DataFrame
        A typical year of :func:`dcplan.weather.load_weather`; the extremes come from
        ``attrs["ashrae_design"]`` (an EPW header's DESIGN CONDITIONS line). [degC]
    cooling, electrical_chain, fleet, **overrides
        As :func:`dcplan.thermal_plant.plant_hourly` (the site's ``cooling:``, ``electrical.stages()``).

    Returns
    -------
    pandas.DataFrame
        One row per case (``typical_db_max`` first, then those of :data:`EXTREME_CASES` the header
        gives), columns ``what``, ``return_period_yr`` (NaN where none), ``stated_degc`` (the header's
        figure; the typical year's own for ``typical_db_max``), ``hour`` (the typical year's hour
        moved, interval end), ``typical_temp_air_degc`` and ``typical_temp_wet_bulb_degc`` (that hour
        as the typical year has it), ``temp_air_degc`` and ``temp_wet_bulb_degc`` (as run),
        ``coincident`` (how the other bulb was chosen, in words), ``it_kw`` (the IT demand, server-fan
        uplift included), ``capacity_it_kw``, ``carried_it_kw`` (``min(it_kw, capacity_it_kw)``),
        ``shortfall_kw`` (``derate_kw``: the IT heat the plant cannot remove) and
        ``throttled_overload_kw`` [kW]. ``attrs``: ``source`` (the header's source line, None without
        one), ``design_it_kw``, ``why_none`` (:func:`no_extremes_reason`; the frame is then empty).
        The plant's warning of hours below even the throttled hall is not repeated for these what-if
        hours: ``throttled_overload_kw`` holds it.
    """
    from .thermal_plant import chiller_design_conditions, plant_hourly
    from .thermal_plant_params import _checked_weather

    if isinstance(design_it_kw, bool) or not isinstance(design_it_kw, (int, float)) or not design_it_kw > 0 \
            or design_it_kw == float("inf"):
        raise InputError(f"must be a finite number of kW > 0, got {design_it_kw!r}", field="design_it_kw")
    _checked_weather(weather)
    ashrae = weather.attrs.get("ashrae_design") or {}
    why = no_extremes_reason(weather)
    out = pd.DataFrame(columns=_COLUMNS, index=pd.Index([], name="case"))
    out.attrs.update(source=ashrae.get("source") if why is None else None, design_it_kw=float(design_it_kw),
                     why_none=why)
    if why is not None:
        return out
    # the chillers keep the selection of the whole typical year (the header's ASHRAE 0.4 % values or the
    # AHRI point): the plant designed for the recorded climate, met by one hotter hour
    sel = chiller_design_conditions(weather, cooling, **overrides)
    fixed = {k: sel[k] for k in ("chiller_design_db_degc", "chiller_design_wb_degc")
             if sel.get(k) is not None and k not in overrides}
    db, wb = weather["temp_air"], weather["temp_wet_bulb_degc"]
    t_db, t_wb = db.idxmax(), wb.idxmax()
    cases = [("typical_db_max", "the typical year's hottest hour, as it is", float("nan"), "db", float(db[t_db]))]
    cases += [(key, what, float(n) if n else float("nan"), bulb, float(ashrae[akey]))
              for key, akey, n, bulb, what in EXTREME_CASES if akey in ashrae]
    if not _has_tower(cooling, overrides):  # every loop rejects dry: the wet bulb moves nothing in the plant, and
        cases = [c for c in cases if c[3] != "wb"]  # its hour's shortfall is the typical year's own (not left out)
    rows = {}
    for key, what, n, bulb, stated in cases:
        t = t_db if bulb == "db" else t_wb
        d0, w0 = float(db[t]), float(wb[t])
        if bulb == "db":
            d1, w1 = stated, min(w0, stated)
            how = (f"the typical year's hottest hour ({d0:.1f} °C), its dry bulb set to {stated:.1f} °C and its own "
                   f"wet bulb ({w0:.1f} °C) kept" + ("" if w1 == w0 else f", lowered to the dry bulb ({w1:.1f} °C)"))
            if key == "typical_db_max":
                how = f"the typical year's hottest hour: {d0:.1f} °C dry bulb, {w0:.1f} °C wet bulb"
        else:
            d1, w1 = max(d0, stated), stated
            how = (f"the typical year's most humid hour ({w0:.1f} °C wet bulb), its wet bulb set to {stated:.1f} °C "
                   f"and its own dry bulb ({d0:.1f} °C) kept" + ("" if d1 == d0 else f", raised to the wet bulb "
                                                                 f"({d1:.1f} °C: saturated)"))
        # the hour and its neighbour (the plant needs two stamps to know the step): the plant's hour depends on
        # its own weather and the fixed chiller selection only (tests/test_thermal_extremes.py checks it against
        # the whole shifted year), a run 4,000 x smaller than the year's
        i = weather.index.get_loc(t)
        w = weather.iloc[max(0, i - 1):max(0, i - 1) + 2].copy()
        w.attrs = dict(weather.attrs)  # the header's design conditions
        w.loc[t, "temp_air"], w.loc[t, "temp_wet_bulb_degc"] = d1, w1
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always", DcplanWarning)
            h = plant_hourly(float(design_it_kw), w, cooling, design_it_kw=float(design_it_kw), fleet=fleet,
                             electrical_chain=electrical_chain, **fixed, **overrides)
        for c in caught:  # the plant's other warnings (not the throttled-overload one: a column here)
            if not (issubclass(c.category, DcplanWarning) and "below even the fully throttled hall" in str(c.message)):
                warnings.warn_explicit(c.message, c.category, c.filename, c.lineno)
        x = h.loc[t]
        rows[key] = {"what": what, "return_period_yr": n, "stated_degc": stated, "hour": t,
                     "typical_temp_air_degc": d0, "typical_temp_wet_bulb_degc": w0, "temp_air_degc": d1,
                     "temp_wet_bulb_degc": w1, "coincident": how, "it_kw": float(x["it_kw"]),
                     "capacity_it_kw": float(x["capacity_it_kw"]),
                     "carried_it_kw": float(min(x["it_kw"], x["capacity_it_kw"])),
                     "shortfall_kw": float(x["derate_kw"]),
                     "throttled_overload_kw": float(x.get("throttled_overload_kw", 0.0))}
    out = pd.DataFrame.from_dict(rows, orient="index")[_COLUMNS]
    out.index.name = "case"
    out.attrs.update(source=ashrae.get("source"), design_it_kw=float(design_it_kw), why_none=None)
    return out


def _carries(r) -> str:
    """What the plant carries in one row of :func:`extreme_hour_capacity`'s table, in words."""
    if r["shortfall_kw"] > 1e-9:
        return f"it carries {r['carried_it_kw']:,.0f} kW, {r['shortfall_kw']:,.0f} kW short"
    return f"it carries the full {r['it_kw']:,.0f} kW"


def extremes_text(table: pd.DataFrame) -> str:
    """One paragraph on :func:`extreme_hour_capacity`'s ``table``: that the typical year leaves out
    extremes, what the header states, and what IT the plant carries in each such hour (or why there
    is no figure).

    The Dulles sentence reads: "The typical year leaves out extremes: its hottest hour is 37.2 °C dry
    bulb (26.5 °C wet bulb), while the weather file's header (...) states 38.7 °C for the 1-in-10-year
    dry bulb, 39.7 °C for the 1-in-20-year dry bulb and 28.9 °C for the extreme maximum wet bulb. At full
    design IT (16,215 kW) in the typical year's hottest hour it carries the full 16,215 kW; at the
    1-in-10-year hour (38.7 °C dry bulb, 26.5 °C wet bulb) it carries 14,046 kW, 2,169 kW short; ..."
    """
    if table.attrs.get("why_none"):
        return f"No design extremes: {table.attrs['why_none']}."
    ext = table.drop(index="typical_db_max", errors="ignore")
    stated = ", ".join(f"{r['stated_degc']:.1f} °C for the {r['what']}" for _, r in ext.iterrows())
    stated = " and ".join(stated.rsplit(", ", 1))
    out = "The typical year leaves out extremes: its hottest hour is "
    if "typical_db_max" in table.index:
        b = table.loc["typical_db_max"]
        out += f"{b['temp_air_degc']:.1f} °C dry bulb ({b['temp_wet_bulb_degc']:.1f} °C wet bulb)"
    out += (f", while the weather file's header ({table.attrs['source']}: DESIGN CONDITIONS, Extremes) "
            f"states {stated}. At full design IT ({table.attrs['design_it_kw']:,.0f} kW)")
    parts = []
    if "typical_db_max" in table.index:
        first = _carries(table.loc["typical_db_max"]).replace("it carries", "the plant carries", 1)
        parts.append(f" in the typical year's hottest hour {first}")
    for key, r in ext.iterrows():
        hour = r["what"].replace(" dry bulb", "").replace("extreme maximum wet bulb", "extreme wet-bulb")
        parts.append(f" at the {hour} hour ({r['temp_air_degc']:.1f} °C dry bulb, {r['temp_wet_bulb_degc']:.1f} °C "
                     f"wet bulb) {_carries(r)}")
    short = (ext["shortfall_kw"] > 1e-9).any()
    return (out + ";".join(parts) + ". Figures drawn from the typical year (its derate hours, its worst hour's "
            "shortfall, facility_design_kw) hold for that year only"
            + (": a year with such an hour leaves the plant short of its design IT." if short else "."))


def extreme_figures(table: pd.DataFrame) -> tuple[dict, dict]:
    """``(headline, others)``: the figures ``site_climate`` publishes from :func:`extreme_hour_capacity`'s
    ``table``, as ``{key: (value, unit, label)}``.

    * headline ``extreme_year_shortfall_kw``: the IT heat the plant cannot remove at full design IT in the
      worst of the stated extreme hours, its label naming which (return period, figure, coincident bulb) and
      the source line; text ``"n/a: <why>"`` without extremes (a TMY2/TMY3 file): no figure is invented;
    * ``extreme_<case>_shortfall_kw`` for each case of :data:`EXTREME_CASES` the header gives, and
      ``extreme_<case>_carried_it_kw``: the IT the plant carries in that hour.
    """
    key = "extreme_year_shortfall_kw"
    head_label = ("IT heat the cooling plant cannot remove at full design IT in the worst hour of the extremes the "
                  "weather file's header states (ASHRAE 1-in-10- and 1-in-20-year dry bulb, extreme maximum wet bulb), "
                  "which the typical year leaves out")
    if table.attrs.get("why_none"):
        return {key: (f"n/a: {table.attrs['why_none']}", None, head_label)}, {}
    d, src = table.attrs["design_it_kw"], table.attrs["source"]
    ext = table.drop(index="typical_db_max", errors="ignore")
    worst = ext["shortfall_kw"].idxmax()   # the first of equals: 0 everywhere names the 1-in-10-year hour
    r = ext.loc[worst]
    line = f"{src}: DESIGN CONDITIONS line, Extremes fields"
    which = (f"the {r['what']} hour, {r['stated_degc']:.1f} °C ({r['coincident']})" if r["shortfall_kw"] > 1e-9 else
             "none: the plant carries the full design IT in each of them")
    head = {key: (float(r["shortfall_kw"]), "kW", f"{head_label}, design IT {d:,.0f} kW; worst: {which}; {line}")}
    others = {}
    for case, x in ext.iterrows():
        at = (f"the {x['what']} hour ({x['stated_degc']:.1f} °C, {line}; run as {x['coincident']}; the other hours "
              "the typical year's, the chillers selected for its design condition)")
        others[f"extreme_{case}_shortfall_kw"] = (
            float(x["shortfall_kw"]), "kW", f"IT heat the plant cannot remove at full design IT ({d:,.0f} kW) in {at}")
        others[f"extreme_{case}_carried_it_kw"] = (float(x["carried_it_kw"]), "kW",
                                                   f"IT the plant carries at full design IT ({d:,.0f} kW) in {at}")
    return head, others
