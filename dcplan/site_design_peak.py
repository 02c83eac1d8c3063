"""``dcplan validate``'s warning for a ``fleet.diversity_frac`` whose design IT the fleet's own peak exceeds.

:func:`dcplan.site_plausibility.design_peak_warnings` (the name validate's table gives) calls
:func:`design_peak_warnings` here. The hourly peak is what the hourly plant model sees; the UPS, the
transformer and the breakers see the load second by second, and a synchronous training fleet's 1 s peak is
well above its hourly one (the bundled northern-virginia fleet: 15,735 kW at 1 s against 14,692 kW at
1 h, so a ``diversity_frac`` of 0.907 covers the hour and leaves the 1 s load 7 % above the rating). The
warning therefore gives the least ``diversity_frac`` that covers the 1 s peak of the rack_power notebook's
window (:func:`dcplan.power_peak_window.site_peak_1s_kw`: its default ``detail_hours`` from the year's
peak hour, seed 0; about 10 ms once the year is run), and the hourly one beside it.
"""
from __future__ import annotations

import warnings

from .errors import DcplanWarning, InputError

__all__ = ["design_peak_warnings"]


def design_peak_warnings(site, *, seed: int = 0) -> list[str]:
    """The warning for a site whose ``fleet.diversity_frac`` (below 1) puts its design IT below its
    fleet's own 1 s peak IT in the rack_power notebook's window (its default ``detail_hours`` from the
    full build-out weather year's peak hour; :func:`dcplan.site_plausibility.design_below_peak_message`,
    the model at ``seed``, as the pipeline runs it), with the hourly peak and the ``diversity_frac`` that
    covers only it. Computed only for ``diversity_frac`` < 1: at 1 the design IT is every unit at full
    utilisation (caps applied), which the model's power never exceeds, so the bundled sites (all at 1)
    cost nothing. Empty when the hourly peak overloads the chain
    (:func:`dcplan.site_plausibility.diversity_problem`'s error says so) or the model cannot run the fleet."""
    from .power_peak_window import DETAIL_HOURS, site_peak_1s_kw
    from .site_plausibility import _ceil_sig, _diversity_message, _where, _year_design_and_peak, \
        design_below_peak_message
    if site.fleet.diversity_frac >= 1.0:
        return []
    got = _year_design_and_peak(site, seed, series=True)
    if got is None or _diversity_message(site, got[1], got[0]) is not None:
        return []
    design_kw, hour_kw, hourly = got
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", DcplanWarning)  # (the model's own notes; not this check's)
            sec_kw, secs = site_peak_1s_kw(site, hourly, seed=seed)
    except InputError:
        sec_kw = None
    if sec_kw is None or sec_kw <= hour_kw:   # (a measured hourly file held over its hours: no more at 1 s)
        msg = design_below_peak_message(site, hour_kw, design_kw)
        return [] if msg is None else [f"{_where(site)}: fleet.diversity_frac: {msg}"]
    start = secs[0] - secs.freq
    msg = design_below_peak_message(
        site, sec_kw, design_kw, f"at 1 s in the {DETAIL_HOURS:g} h window from its peak hour, {start:%Y-%m-%d %H:%M} "
                                 f"(the rack_power notebook's peak_1s_kw at its defaults)")
    if msg is None:
        return []
    full = design_kw / float(site.fleet.diversity_frac)
    hour_need = min(_ceil_sig(hour_kw / full), 1.0)
    hourly_words = (f"a diversity_frac of {hour_need:g} covers only the hourly peak, {hour_kw:,.0f} kW"
                    if hour_kw > design_kw * (1.0 + 1e-9) else
                    f"the hourly peak, {hour_kw:,.0f} kW, is within the design IT")
    return [f"{_where(site)}: fleet.diversity_frac: {msg}. The 1 s peak is the bound: {hourly_words}, what the "
            "hourly plant model sees, but the UPS, the transformer and the breakers see the load second by second"]
