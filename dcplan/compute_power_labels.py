"""ITUE and TUE of a site year, labelled with their definition and the PSU efficiency they rest on.

:func:`dcplan.thermal.plant_summary` gives ``itue`` (IT power / compute power, the year's energy)
and ``tue`` (facility power / compute power = annual PUE x ITUE). Compute power is IT power less
the PSU losses and the server fans (:mod:`dcplan.thermal_plant`, "Compute power"):
``compute = it x psu - (it0 x fan_frac + uplift) x psu`` with ``it = it0 + uplift``, so with no
hot-inlet fan uplift ``ITUE = 1 / (psu x (1 - fan_frac))`` exactly. The PSU efficiency is the one
the plant recorded (``plant.attrs["plant"]["psu_eff_frac"]`` and ``["psu_eff_basis"]``, set by
:func:`dcplan.thermal_plant_loop._psu_efficiency`: the fleet's own, power-weighted over its
``data/hardware.csv`` rows, else ``data/cooling_defaults.csv`` ``psu_eff_frac``); the server fan
share is ``data/cooling_defaults.csv`` ``server_fan_frac_air`` or ``server_fan_frac_liquid`` by the
plant type.
"""
from __future__ import annotations

__all__ = ["psu_basis_words", "itue_tue_figures"]

_FLEET_PREFIX = "fleet: "


def psu_basis_words(basis: str) -> str:
    """The plant's ``psu_eff_basis`` in a label's words: the fleet's own efficiency is said as such."""
    if basis.startswith(_FLEET_PREFIX):
        return "the fleet's own, " + basis[len(_FLEET_PREFIX):]
    return basis


def itue_tue_figures(plant, summary: dict, cooling=None) -> dict:
    """``{"itue": (value, None, label), "tue": (value, None, label)}`` for ``publish``.

    Parameters
    ----------
    plant : pandas.DataFrame
        :func:`dcplan.thermal.plant_hourly` output (``it_fan_uplift_kw`` and ``attrs["plant"]``:
        ``type``, ``psu_eff_frac``, ``psu_eff_basis``).
    summary : dict
        :func:`dcplan.thermal.plant_summary` of ``plant`` (``itue``, ``tue``, ``annual_pue``).
    cooling : CoolingSpec, optional
        The site's ``cooling:`` section the plant ran with (its server fan share).
    """
    from .thermal_plant_params import plant_params
    rec = plant.attrs["plant"]
    psu, basis = float(rec["psu_eff_frac"]), psu_basis_words(str(rec["psu_eff_basis"]))
    key = "server_fan_frac_air" if rec["type"] == "air" else "server_fan_frac_liquid"
    fan = float(plant_params(cooling).values[key])
    base = 1.0 / (psu * (1.0 - fan))
    up_h = int((plant["it_fan_uplift_kw"] > 1e-9).sum())
    uplift = (f", plus the server fans' hot-inlet uplift in {up_h:,} h" if up_h else "")
    itue, tue = float(summary["itue"]), float(summary["tue"])
    return {
        "itue": (itue, None, (
            f"ITUE (IT power / compute power over the year: PSU efficiency {psu:.3f}, {basis}; server fans "
            f"{fan:.0%} of IT power at the design inlet, data/cooling_defaults.csv {key}: "
            f"1 / ({psu:.3f} x (1 - {fan:g})) = {base:.4f}{uplift})")),
        "tue": (tue, None, (
            f"TUE (facility power / compute power = annual PUE x ITUE, {float(summary['annual_pue']):.4f} x "
            f"{itue:.4f}; compute power at PSU efficiency {psu:.3f}, {basis})")),
    }
