"""The ``site_analysis`` verdict's clause for a cooling plant short in the extreme hours its weather file
states (:func:`dcplan.site_verdict.site_verdict` calls :func:`extremes_clause`).

The verdict's plant check is on the typical year ("the cooling plant removes the hour's IT load in every
hour of the typical year"), which leaves out extremes: at northern-virginia the ``site_climate`` notebook
publishes ``extreme_year_shortfall_kw`` 4,398 kW of 16,215 kW design IT (the 1-in-20-year hour; 2,169 kW at
1-in-10), while the verdict said nothing of it. The clause says, at full design IT, how short the plant is
in each extreme hour the weather file's header states where it is short
(:func:`dcplan.thermal_extremes.extreme_hour_capacity`, the figures ``site_climate`` publishes), and
nothing when it carries them all or the file states none (a TMY2/TMY3 file).

The tone is not changed by it: the tone rests on the typical year, which every site has, while only an
EPW file with a DESIGN CONDITIONS line states extremes, so a site would be demoted for its file stating
them (the bundled Chicago and Phoenix plants are short at their extreme wet bulb too, by 295 and 80 kW;
Research Triangle's TMY3 file states none); and each figure is one hour of a year with such an hour, at full
design IT. The clause says that the tone does not count it.
"""
from __future__ import annotations

import pandas as pd

__all__ = ["extremes_clause", "site_extremes"]


def site_extremes(spec, y) -> pd.DataFrame:
    """:func:`dcplan.thermal_extremes.extreme_hour_capacity` of a site at its full design IT (``y``:
    :func:`dcplan.pipeline.run_site_year` of ``spec``), as the ``site_climate`` notebook calls it."""
    from .thermal_extremes import extreme_hour_capacity
    return extreme_hour_capacity(float(y.design_it_kw), y.weather, spec.cooling,
                                 electrical_chain=spec.electrical.stages(), fleet=spec)


def _hour(r) -> str:
    """An extreme hour in words: "the 1-in-10-year hour (38.7 °C dry bulb)"."""
    if r["what"].endswith("wet bulb"):
        return f"the extreme wet-bulb hour ({r['temp_wet_bulb_degc']:.1f} °C wet bulb)"
    return f"the {r['what'].replace(' dry bulb', '')} hour ({r['temp_air_degc']:.1f} °C dry bulb)"


def extremes_clause(table: pd.DataFrame) -> str | None:
    """The verdict's clause on :func:`dcplan.thermal_extremes.extreme_hour_capacity`'s ``table``: the IT heat
    the plant cannot remove at full design IT in each stated extreme hour where it is short, or None (no
    extremes stated, or the plant carries them all).

    >>> t = pd.DataFrame({"what": ["1-in-10-year dry bulb", "extreme maximum wet bulb"], "temp_air_degc": [38.7, 30.0],
    ...                   "temp_wet_bulb_degc": [26.5, 28.9], "shortfall_kw": [2168.8, 0.0]},
    ...                  index=["db_10yr", "wb_max"])
    >>> t.attrs.update(design_it_kw=16215.04, source="ASHRAE 2009, EPW header", why_none=None)
    >>> extremes_clause(t)
    "at full design IT (16.22 MW) the plant is short in an extreme hour the weather file's header states, which the typical year leaves out: 2,169 kW at the 1-in-10-year hour (38.7 °C dry bulb) (ASHRAE 2009, EPW header: DESIGN CONDITIONS, Extremes; the site_climate notebook's extreme figures); the verdict's tone rests on the typical year and does not count it"
    """
    if table.attrs.get("why_none") or table.empty:
        return None
    ext = table.drop(index="typical_db_max", errors="ignore")
    short = ext[ext["shortfall_kw"] > 1e-9]
    if short.empty:
        return None
    each = [f"{r['shortfall_kw']:,.0f} kW at {_hour(r)}" for _, r in short.iterrows()]
    hours = "an extreme hour" if len(each) == 1 else "the extreme hours"
    mw = table.attrs["design_it_kw"] / 1000
    return (f"at full design IT ({mw:,.2f} MW) the plant is short in {hours} the weather file's header"
            f" states, which the typical year leaves out: {', '.join(each)} ({table.attrs['source']}: "
            "DESIGN CONDITIONS, Extremes; the site_climate notebook's extreme figures); the verdict's tone rests on the "
            f"typical year and does not count {'it' if len(each) == 1 else 'them'}")
