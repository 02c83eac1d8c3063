"""Texts of notebooks/interconnection.ipynb's cells, moved out of tools/build_interconnection.py (the
builder) to keep it under STYLE's ~600 lines; the notebook it writes is unchanged by the move."""

#: The "PV and battery" section's markdown (md() dedents it, as it did in the builder).
PV_BATTERY_TEXT = """
    ## PV and battery
    On-site PV (the site's `solar:` section, pvlib) lowers the load the meter sees; a battery is
    dispatched to its target (`dcplan.grid_battery`): `demand` (and the illustrative default) shaves
    each month's peak with a threshold dispatch, `contract` only the draw above the contracted
    capacity, and `bill` for the least bill under the site's tariff, so under a tariff that charges
    demand in some hours only it may charge in the others above the facility's own peak (the cell
    says when it raises the year's peak grid import, which the grid connection must then carry).
    Each is dispatched as a repeating year: it ends the year at the charge it started with, so the typical year gets no
    free energy. The battery sits behind the meter, as in the site chain (`dcplan.pipeline`): in
    hours when PV exceeds the facility load it charges from that surplus first, so only PV it
    cannot store is spilled (no export credit). A battery shaving monthly peaks (the illustrative
    default, or a site battery with `target: demand`) fixes the months' targets in order from
    January, starting from the charge the year begins with; so the last month of the repeating
    year (December) gets only what is left after it must end the year as charged as it began, and
    its peak reduction can be far below the other months' (the cell prints the figures); the mean
    reduction counts it as it is.

    The battery is the site's own `interconnection.battery` when the site file has one. A site
    without one gets an **illustrative default battery** here, sized from the parameters
    (`battery_power_frac` of the peak facility power, for `battery_duration_h` hours), to show
    what a battery would change. It is not in the site file and not in the TCO (which counts no
    battery for such a site), so every battery figure says so, and the headline is then the
    PV-only peak reduction: the site as specified. Both reductions are published.
    """
