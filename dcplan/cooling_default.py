"""The warning for air-cooled servers on a liquid plant: who chose the plant, and what it does to them.

:func:`air_server_on_liquid_warnings` is the ``dcplan validate`` (and render) warning for a site whose
``cooling.type`` is ``liquid`` while a fleet phase holds units data/hardware.csv lists as air-cooled
(column ``cooling`` air: the HGX/DGX servers, whose figures are the air-cooled systems'). The
liquid plant runs them as direct-liquid-cooled versions of themselves: ``liquid_heat_frac`` of their
heat counted as captured by the direct-to-chip loop, at the air-cooled server's power (fans
included). Its PUE is a liquid plant's, lower than an air plant's for those servers (the bundled
Phoenix fleet: 1.113 on the liquid-w32-tower reference plant against 1.184 on its own air plant, run 2026-12-08),
so more GPUs fit under a grid limit.

The warning says whether the file set ``cooling.type: liquid`` or the default did: a site without a
``cooling:`` section (or one without ``type`` and without a liquid loop's keys) gets a liquid plant
when its fleet holds liquid-cooled units (:class:`dcplan.site.Site`), e.g. 70 ``gb200-nvl72`` + 700
``hgx-h100``; one without ``type`` that gives a key only a liquid loop reads
(:data:`dcplan.site.LIQUID_LOOP_KEYS`) gets it from that key. And it says what to write: a fleet
holding liquid-only units cannot take ``cooling.type: air`` (refused), so its air-cooled servers'
halls need a site file of their own.

A liquid reference plant put in place of the site file's plant (:func:`dcplan.pipeline.with_reference_plant`,
the ``cooling`` parameter of site_analysis and portfolio_comparison) gets the same warning, saying the
reference plant chose it (``reference=``).
"""
from __future__ import annotations

from .errors import InputError

__all__ = ["plant_choice", "air_server_on_liquid_warnings"]


def _where(site) -> str:
    return site.source_file or f"site {site.id!r}"


def plant_choice(site) -> str:
    """How ``site`` came by its ``cooling.type``: ``"file"`` (the file sets ``cooling.type``), ``"no section"``
    (no ``cooling:`` section: the default for its fleet) or ``"no type"`` (a section without ``type``)."""
    if "cooling" not in site.model_fields_set:
        return "no section"
    return "file" if "type" in site.cooling.model_fields_set else "no type"


def _units(site, cooling: str) -> list[tuple[int, str, float]]:
    """``(phase index, key, kW a unit)`` of every phase of units whose data/hardware.csv ``cooling`` is
    ``cooling`` (phases of 0 units and unknown keys skipped: the fleet's own checks name those)."""
    from .power import hardware  # (pandas: not at the top of this light module)
    out = []
    for i, ph in enumerate(site.fleet.phases):
        try:
            hw = hardware(ph.hardware)
        except InputError:
            continue
        if ph.count > 0 and hw.cooling == cooling:
            out.append((i, ph.hardware, hw.max_kw))
    return out


def air_server_on_liquid_warnings(site, reference: str | None = None) -> list[str]:
    """The warning for a ``cooling.type: liquid`` site with phases of units data/hardware.csv lists as
    air-cooled (module docstring), one per site naming every such phase; ``[]`` otherwise.

    ``reference``: the key of the :data:`dcplan.pipeline.REFERENCE_PLANTS` plant that replaced the site
    file's ``cooling:`` section (:func:`dcplan.pipeline.with_reference_plant`, the ``cooling`` parameter of
    site_analysis and portfolio_comparison): the warning then says the reference plant, not the file,
    chose the liquid plant, and what to pick instead for the servers as listed."""
    if site.cooling.type != "liquid":
        return []
    air = _units(site, "air")
    if not air:
        return []
    from .site import LIQUID_LOOP_KEYS
    from .thermal_plant_params import plant_params
    frac = plant_params(site.cooling).values["liquid_heat_frac"]
    liquid = list(dict.fromkeys(k for _, k, _ in _units(site, "liquid")))
    one = len(air) == 1
    i = air[0][0]
    if one:
        head = (f"{air[0][1]!r} is air-cooled in data/hardware.csv (its {air[0][2]:g} kW a unit is the air-cooled "
                "server's, fans included)")
    else:
        each = ", ".join(f"fleet.phases[{j}] {k!r} ({kw:g} kW)" for j, k, kw in air[:-1])
        each += f" and fleet.phases[{air[-1][0]}] {air[-1][1]!r} ({air[-1][2]:g} kW)"
        head = (f"{len(air)} phases hold servers that data/hardware.csv lists as air-cooled, a unit's power the "
                f"air-cooled server's, fans included: {each}")
    how = plant_choice(site)
    loop_keys = [k for k in LIQUID_LOOP_KEYS if how == "no type" and k in site.cooling.model_fields_set]
    if reference is not None:
        return [_reference_warning(site, reference, i, head, frac, liquid)]
    if how == "file":
        chosen = "cooling.type is 'liquid' (set in the file)"
    elif loop_keys:
        chosen = (f"cooling.type is 'liquid' by default: the file's cooling: section gives no type but gives "
                  f"{', '.join(loop_keys)}, which only a liquid loop reads")
    else:
        section = "the site file has no cooling: section" if how == "no section" else \
            "the file's cooling: section gives no type"
        chosen = (f"cooling.type is 'liquid' by default, not set in the file: {section}, and the fleet holds "
                  f"liquid-cooled units ({', '.join(liquid)}: data/hardware.csv cooling: liquid), which only a liquid "
                  "plant cools")
    effect = (f"the model treats the whole hall as liquid-cooled, the air-cooled servers included: "
              f"{100 * frac:.0f} % of their heat counted as captured by the direct-to-chip loop, at the air-cooled "
              "servers' power, so the PUE is a liquid plant's, optimistic for these servers (lower than an air "
              "plant's), and more GPUs fit under a grid limit than with them on air")
    if liquid:  # an air plant cannot cool the liquid-only units: cooling.type air is refused
        keep = "keep cooling.type: liquid" if how == "file" else "write cooling.type: liquid to keep this"
        allowed = (f"{keep} only if the servers are liquid-cooled versions of the ones "
                   "listed; otherwise put the air-cooled servers' phases in a site file of their own with "
                   f"cooling.type: air (one plant per site; an air plant cannot cool {', '.join(liquid)})")
    else:
        allowed = ("cooling.type: air for the servers as listed; keep 'liquid' only for liquid-cooled versions of "
                   "them, or use liquid-cooled units (data/hardware.csv cooling: liquid, e.g. gb200-nvl72)")
    return [f"{_where(site)}: fleet.phases[{i}].hardware: {head}; {chosen}: {effect}. allowed: {allowed}"]


def _reference_warning(site, key: str, i: int, head: str, frac: float, liquid: list[str]) -> str:
    """:func:`air_server_on_liquid_warnings` for a liquid reference plant ``key`` put in place of the site
    file's plant (a like-for-like comparison): the same facts, the choice and the alternatives of that path.
    A warning, not a refusal: a liquid reference plant on every site compares climates as if every fleet
    were liquid-cooled, which is what a like-for-like comparison of liquid plants asks; only its figures are
    not this fleet's as listed."""
    chosen = (f"cooling.type is 'liquid' because the reference plant {key!r} (the cooling parameter) replaces the "
              "site file's cooling: section")
    effect = (f"the model treats the whole hall as liquid-cooled, the air-cooled servers included: {100 * frac:.0f} % "
              "of their heat counted as captured by the direct-to-chip loop, so the PUE, ITUE, facility energy, "
              "bill, grid carbon and water are those of liquid-cooled versions of these servers (the PUE and energy lower "
              "than on an air plant), and more GPUs fit under a grid limit")
    if liquid:  # the air reference plant cannot cool the liquid-only units: refused
        allowed = (f"keep {key!r} only to compare the servers as liquid-cooled versions of the ones listed (an air "
                   f"plant cannot cool {', '.join(liquid)}, so the 'air' reference plant is refused for this site)")
    else:
        allowed = (f"the reference plant 'air' for the servers as listed; keep {key!r} only to compare the sites as if "
                   "their servers were liquid-cooled versions of the ones listed")
    return f"{_where(site)}: fleet.phases[{i}].hardware: {head}; {chosen}: {effect}. allowed: {allowed}"
