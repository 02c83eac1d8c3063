"""The site-year hour by hour, for a reviewer who checks the annual figures in a spreadsheet.

:func:`hourly_table` turns a :class:`dcplan.pipeline.SiteYear` (what site_analysis computes) into one row
per hour of the typical year (8,760, or 8,784 in a leap year), each column headed ``name [unit]`` as the
sustainability CSV is (:mod:`dcplan.sustainability`). No maths of its own: every column is a series the
chain computed, rounded for a file of modest size (:data:`ROUNDING`). The columns (:data:`COLUMNS`):

* ``interval_end``: the hour's end on the site's civil clock with its UTC offset, ISO 8601
  (``2025-03-09T03:00:00-04:00``); the values are the hour's averages (interval-ending, as every dcplan
  series). A daylight-saving zone has a 23-hour spring day and a 25-hour autumn day (its repeated clock
  hour told apart by the offset); Phoenix has none. Two columns a spreadsheet reads as dates follow it
  (Excel does not read an ISO 8601 stamp with an offset as one): ``interval_end_local``, the same end on the
  site's civil clock without offset (``2025-03-09 03:00``: the spring day has no 02:xx, the autumn day two
  01:xx rows), and ``interval_end_utc``, the end in UTC (``2025-03-09 07:00``), which never repeats.
* weather: ``temp_air``, ``temp_wet_bulb_degc``;
* the facility: ``it_kw`` (sums to ``it_mwh``), ``it_fan_uplift_kw`` (server fans speeding up on a hot
  inlet, counted as IT in the PUE), ``electrical_losses_kw``, ``cooling_kw`` and its parts
  ``chiller_kw``, ``fans_kw``, ``pumps_kw``, and ``facility_kw`` = it + uplift + losses + cooling
  (:func:`dcplan.thermal.plant_hourly`);
* PV: ``pv_ac_kw`` (sums to ``pv_mwh``), ``pv_clipped_dc_kw`` (DC the inverters clip at their AC rating,
  :func:`dcplan.solar_report.pv_monthly_table`'s hourly values, from hourly means), ``pv_spilled_kw`` (PV
  neither used nor stored: the meter's unbilled export, sums to ``pv_spilled_mwh``);
* with a site battery: ``battery_charge_kw``, ``battery_discharge_kw``, ``battery_soc_kwh`` (end of hour)
  and ``battery_loss_kwh`` (:func:`dcplan.grid.battery_dispatch`);
* ``grid_import_kw`` (sums to ``grid_mwh``);
* with a tariff: ``energy_price_usd_per_kwh`` (:meth:`dcplan.tariff.Tariff.energy_price`, with
  adjustments, a real-time price and escalation; left out for a tariff with energy tiers, whose price in
  an hour depends on the month's kWh before it), ``energy_period`` and, with TOU demand charges,
  ``demand_period`` (the tariff's period names, or URDB's 0-based period numbers; the about file lists
  each period's months, hours and rate from the tariff's schedules, :func:`period_rows`);
* ``water_m3``: the cooling towers' make-up water (sums to ``water_m3``).

:func:`about_table` says what each column is and where it comes from (in a ``dcplan render`` run it ends with the
run's provenance: dcplan's version and git commit, each input file's SHA-256); :func:`write_hourly_csv` writes both
(``<site>_hourly.csv`` and ``<site>_hourly_about.csv``) whole or not at all, in UTF-8 with a byte-order mark
(``utf-8-sig``: without it Excel on Windows reads the ``°C`` of the temperature headers as ``Â°C``; read them
back with ``encoding="utf-8-sig"``, which also reads a file without the mark).
"""
from __future__ import annotations

import warnings
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

__all__ = ["COLUMNS", "ROUNDING", "ENCODING", "hourly_table", "about_table", "period_rows", "csv_name",
           "about_name", "write_hourly_csv", "header"]

#: The files' text encoding: UTF-8 with a byte-order mark, so Excel on Windows reads "°C" as UTF-8 (without the
#: mark it takes the file as the system code page and shows "Â°C").
ENCODING = "utf-8-sig"
#: The spreadsheet-readable time columns' format: no offset, no "T", which Excel reads as a date and time.
_CLOCK = "%Y-%m-%d %H:%M"
#: Columns of text (not rounded as numbers).
_TEXT = ("interval_end", "interval_end_local", "interval_end_utc", "energy_period", "demand_period")

#: Every column :func:`hourly_table` may write: ``name: (unit or None, what it is and its source)``.
COLUMNS: dict[str, tuple[str | None, str]] = {
    "interval_end": (None, "end of the hour on the site's civil clock with its UTC offset (ISO 8601); values "
                           "are the hour's averages (interval-ending)"),
    "interval_end_local": (None, "interval_end on the site's civil clock without its offset, YYYY-MM-DD HH:MM, "
                                 "which a spreadsheet reads as a date and time; a daylight-saving zone's spring "
                                 "day skips an hour and its autumn day has the same clock hour twice (tell them "
                                 "apart by interval_end_utc)"),
    "interval_end_utc": (None, "interval_end in UTC, YYYY-MM-DD HH:MM (no offset), which a spreadsheet reads as a "
                               "date and time; one hour apart row to row all year"),
    "temp_air": ("°C", "dry-bulb air temperature of the typical-year weather file (pvlib name)"),
    "temp_wet_bulb_degc": ("°C", "thermodynamic wet bulb from the dry bulb, dew point and pressure "
                                 "(dcplan.weather); the name is the weather frame's column name, which carries "
                                 "the unit (degc = °C) that the header's [°C] states again: one unit, °C"),
    "it_kw": ("kW", "IT power of the fully built-out fleet (dcplan.power.site_it_kw); sums to it_mwh; a training "
              "fleet's random job interruptions (fleet.profile interruptions_per_day, default 1 a day) drop it "
              "to the restart utilisation for an hour or two, as the model draws them"),
    "it_fan_uplift_kw": ("kW", "server fan power added when the inlet runs hot (dcplan.thermal.plant_hourly), "
                               "counted as IT in the PUE; 0 in most plants and hours"),
    "electrical_losses_kw": ("kW", "UPS and distribution losses of the site's electrical chain at the hour's IT "
                                   "(dcplan.thermal.plant_hourly)"),
    "chiller_kw": ("kW", "chiller (compressor) power of the cooling plant (dcplan.thermal.plant_hourly)"),
    "chiller_cop_air": (None, "COP of the air loop's chillers in the hour they run (heat they remove / their power; "
                              "empty when they do not), at most dcplan's cap chiller_cop_max (an estimate, "
                              "data/cooling_defaults.csv)"),
    "chiller_cop_liquid": (None, "COP of the liquid loop's chillers (trim chiller) in the hour they run, as "
                                 "chiller_cop_air"),
    "chiller_at_cop_cap_kw": ("kW", "chiller power of the hour's chillers running at the COP cap; over chiller_kw "
                                    "summed: the share of chiller energy the cap decides (plant_summary's "
                                    "chiller_cop_cap_energy_frac)"),
    "fans_kw": ("kW", "cooling plant fan power (dcplan.thermal.plant_hourly)"),
    "pumps_kw": ("kW", "cooling plant pump power (dcplan.thermal.plant_hourly)"),
    "cooling_kw": ("kW", "cooling plant power = chiller_kw + fans_kw + pumps_kw"),
    "facility_kw": ("kW", "facility power = it_kw + it_fan_uplift_kw + electrical_losses_kw + cooling_kw; sums to "
                          "facility_mwh; annual PUE = sum(facility_kw) / sum(it_kw + it_fan_uplift_kw)"),
    "pv_ac_kw": ("kW", "on-site PV AC output, year 1 (dcplan.solar.pv_for_site, pvlib); sums to pv_mwh"),
    "pv_clipped_dc_kw": ("kW", "PV DC power the inverters clip at their AC rating (solar.dc_kw / "
                               "solar.dc_ac_ratio; dcplan.solar_report.pv_monthly_table); sums to pv_clipped_dc_mwh; "
                               "from the hour's mean DC, so clipping within an hour whose mean stays under the "
                               "rating is not counted (a lower bound, more so at a high DC/AC ratio)"),
    "pv_spilled_kw": ("kW", "PV neither used by the facility nor stored in the site battery: the meter's export, "
                            "which the bill does not credit; sums to pv_spilled_mwh"),
    "battery_charge_kw": ("kW", "site battery charging power (dcplan.grid.battery_dispatch, the repeating year)"),
    "battery_discharge_kw": ("kW", "site battery discharging power (dcplan.grid.battery_dispatch)"),
    "battery_soc_kwh": ("kWh", "site battery state of charge at the end of the hour"),
    "battery_loss_kwh": ("kWh", "site battery charge/discharge losses in the hour; sums to battery_losses_mwh"),
    "grid_import_kw": ("kW", "power drawn from the grid after the PV and the battery: the load the bill and "
                             "grid_carbon_t are of; sums to grid_mwh"),
    "energy_price_usd_per_kwh": ("USD/kWh", "the tariff's energy price of the hour (dcplan.tariff.Tariff.energy_price: "
                                            "its TOU period, adjustments, real-time price and escalation); "
                                            "demand and fixed charges not in it"),
    "energy_period": (None, "the tariff's energy TOU period of the hour (its period name, or URDB's 0-based "
                            "period number; weekends and the tariff's holidays on the weekend schedule); the "
                            "energy_period rows above say each one's months, hours and rate (hours as clock ranges "
                            "of the hour's start: the row ending 16:00 is the hour 15:00-16:00)"),
    "demand_period": (None, "the tariff's TOU demand period of the hour (its period name, or URDB's 0-based "
                            "period number); the demand_period rows above say each one's months, hours and rate"),
    "water_m3": ("m3", "cooling-tower make-up water (evaporation + blowdown) in the hour "
                       "(dcplan.thermal.plant_hourly water_l / 1000); sums to water_m3"),
}

#: Decimals each column is rounded to: kW to 0.1 kW, kWh to 0.1 kWh, temperatures to 0.01 K, water to
#: 0.001 m3 (1 L), prices to 1e-6 USD/kWh (finer than any bundled tariff's). A column's sum over the year
#: is then within ``n_hours x step / 2`` of the unrounded sum (0.438 MWh for kW over 8,760 h).
ROUNDING = {"temp_air": 2, "temp_wet_bulb_degc": 2, "water_m3": 3, "energy_price_usd_per_kwh": 6,
            "chiller_cop_air": 3, "chiller_cop_liquid": 3}
_KW_DECIMALS = 1


def header(name: str) -> str:
    """A column's CSV header: ``name [unit]``, or ``name`` for one without unit."""
    unit = COLUMNS[name][0]
    return f"{name} [{unit}]" if unit else name


def _period_labels(periods: np.ndarray, names) -> list:
    return [names[int(p)] if names else int(p) for p in periods]


def _tariff_columns(y) -> tuple[dict[str, Any], list[tuple[str, str]]]:
    """The tariff's hourly price and periods, and notes for the about table."""
    from .pipeline import site_tariff
    from .tariff_engine import cached_calendar
    tariff = site_tariff(y.site)
    if tariff is None or y.bill is None:
        return {}, [("tariff", "the site has no tariff: no price or period columns")]
    idx = y.grid_kw.index
    cols: dict[str, Any] = {}
    notes = [("tariff", str(tariff.name))]
    n_tiers = int(tariff.energy_rate.shape[1])
    if n_tiers == 1:
        cols["energy_price_usd_per_kwh"] = tariff.energy_price(idx).to_numpy()
    else:
        notes.append(("energy_price_usd_per_kwh", f"not written: the tariff bills energy in {n_tiers} tiers by the "
                                                  "month's kWh, so an hour's price depends on the hours before it"))
    cal = cached_calendar(idx, tariff.holidays, "index")   # the calendar the bill and energy_price use
    cols["energy_period"] = _period_labels(cal.periods(tariff.energy_weekday, tariff.energy_weekend),
                                           tariff.energy_period_names)
    if tariff.demand_rate is not None:
        cols["demand_period"] = _period_labels(cal.periods(tariff.demand_weekday, tariff.demand_weekend),
                                               tariff.demand_period_names)
    notes += period_rows(tariff)
    return cols, notes


def _period_when(weekday: np.ndarray, weekend: np.ndarray, q: int, holidays=None) -> str:
    """When period ``q`` of a 12 x 24 weekday and weekend schedule applies: its months and hours, grouped as
    ``dcplan bill``'s demand legend words them (:func:`dcplan.cli_bill_notes.demand_legend`); the weekend
    schedule's days are "weekends and holidays" and the others "weekdays except holidays" only for a tariff
    whose holiday list (``holidays``) lists any, as :func:`dcplan.schedule_demand` words them (none of the
    bundled tariffs has one)."""
    from .cli_bill_notes import period_groups, period_when
    return "; ".join(period_when(period_groups(weekday, weekend, q), holidays)) or "no hours of the year"


def _energy_rate_text(tariff, p: int) -> str:
    """Period ``p``'s energy rate and its tiers (bounds in the tariff's tier unit): ``0.06334 USD/kWh``."""
    import math
    rates, uppers = tariff.energy_rate[p], tariff.energy_upper[p]
    parts = [f"{r:g} USD/kWh" + (f" to {u:,.0f} {tariff.energy_tier_unit}" if math.isfinite(u) and k < len(rates) - 1
                                 else "") for k, (r, u) in enumerate(zip(rates, uppers))]
    return ", then ".join(parts)


def period_rows(tariff) -> list[tuple[str, str]]:
    """The about file's rows (item, text) saying what each value of ``energy_period`` and ``demand_period``
    means: for each period (URDB's 0-based number, or its name) the months, hours and days it covers (from the
    tariff's weekday and weekend schedules, weekends including the tariff's holidays where it lists any) and its
    rate. The energy
    rate is before the month's fuel adjustment and escalation (``energy_price_usd_per_kwh`` has the hour's
    price with them); the demand rate is per kW of the month's highest demand in the period."""
    from .cli_bill_notes import _rate_text
    rows = []
    names = tariff.energy_period_names
    for p in range(tariff.energy_rate.shape[0]):
        label = names[p] if names else p
        extra = "; plus the month's fuel adjustment" if tariff.fuel_adj_usd_per_kwh is not None else ""
        rows.append((f"energy_period {label}",
                     f"{'URDB energy period ' + str(p) if not names else repr(label)}: "
                     f"{_period_when(tariff.energy_weekday, tariff.energy_weekend, p, tariff.holidays)}; "
                     f"{_energy_rate_text(tariff, p)}{extra}"))
    if tariff.demand_rate is not None:
        names = tariff.demand_period_names
        for q in range(tariff.demand_rate.shape[0]):
            label = names[q] if names else q
            rows.append((f"demand_period {label}",
                         f"{'URDB demand period ' + str(q) if not names else repr(label)}: "
                         f"{_period_when(tariff.demand_weekday, tariff.demand_weekend, q, tariff.holidays)}; "
                         f"{_rate_text(tariff.demand_rate[q], tariff.demand_upper[q]).replace('$/kW', 'USD/kW')} "
                         "of the month's highest demand in the period"))
    return rows


def _clipped_dc_kw(y) -> np.ndarray:
    """The PV DC the inverters clip, hour by hour, as :func:`dcplan.solar_report.pv_monthly_table` sums it
    month by month (the same PV run; its ``solar:`` warnings were given by the site-year already)."""
    s = y.site.solar
    if s.dc_kw <= 0:
        return np.zeros(len(y.pv_kw))
    from .errors import DcplanWarning
    from .solar_report import _site_pv_detail
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DcplanWarning)   # the site's solar warnings, given with the site-year
        det = _site_pv_detail(y.site, y.weather)
    dc_max_kw = s.dc_kw / s.dc_ac_ratio / s.inverter_eff_frac   # the inverter's DC input at its AC rating
    return (det["dc_kw"] - dc_max_kw).clip(lower=0.0).to_numpy()


def _iso(idx: pd.DatetimeIndex) -> list[str]:
    """``idx``'s stamps as ``Timestamp.isoformat()`` gives them (``2025-07-01T14:00:00-04:00``), formatted as whole
    arrays: the clock time by :func:`numpy.datetime_as_string` and each distinct UTC offset once (about 6 ms for a
    year of hours, against 40 ms a stamp at a time). A naive index, a stamp with a fraction of a second, a year
    outside 1000-9999 or an offset with seconds (a zone's local mean time before 1900): a stamp at a time, as
    before."""
    per_s = {"s": 1, "ms": 10**3, "us": 10**6, "ns": 10**9}.get(getattr(idx, "unit", None))
    if (not isinstance(idx, pd.DatetimeIndex) or idx.tz is None or per_s is None or len(idx) == 0
            or (idx.asi8 % per_s).any() or not (1000 <= idx.year.min() and idx.year.max() <= 9999)):
        return [t.isoformat() for t in idx]
    local = idx.tz_localize(None)
    off_s = (local.asi8 - idx.tz_convert("UTC").tz_localize(None).asi8) // per_s
    if (off_s % 60).any():
        return [t.isoformat() for t in idx]
    uniq, inv = np.unique(off_s, return_inverse=True)
    texts = np.array([f"{'-' if o < 0 else '+'}{abs(int(o)) // 3600:02d}:{abs(int(o)) % 3600 // 60:02d}" for o in uniq],
                     dtype=object)
    clock = np.datetime_as_string(local.to_numpy("datetime64[s]"), unit="s").astype(object)
    return list(clock + texts[inv.ravel()])


def _clock(idx: pd.DatetimeIndex) -> list[str]:
    """``idx``'s stamps as ``YYYY-MM-DD HH:MM`` on its own clock (a tz-aware index: its civil time)."""
    return list(idx.strftime(_CLOCK))


def hourly_table(y, *, rounded: bool = True) -> pd.DataFrame:
    """The site-year hour by hour (module docstring), each column headed :func:`header`.

    Parameters
    ----------
    y : dcplan.pipeline.SiteYear
        From :func:`dcplan.pipeline.run_site_year`.
    rounded : bool, default True
        Round to :data:`ROUNDING` (kW to 0.1), as written to the CSV; False: the chain's values.

    Returns
    -------
    pandas.DataFrame
        One row per hour of the weather year, in time order, a plain integer index.
    """
    p = y.plant
    w = y.weather
    grid_kw = y.grid_kw
    cols: dict[str, Any] = {
        "interval_end": _iso(grid_kw.index),
        "interval_end_local": _clock(grid_kw.index), "interval_end_utc": _clock(grid_kw.index.tz_convert("UTC")),
        "temp_air": w["temp_air"].to_numpy(), "temp_wet_bulb_degc": w["temp_wet_bulb_degc"].to_numpy(),
        "it_kw": y.it_kw.to_numpy(), "it_fan_uplift_kw": p["it_fan_uplift_kw"].to_numpy(),
        "electrical_losses_kw": p["electrical_losses_kw"].to_numpy(),
        "chiller_kw": p["chiller_kw"].to_numpy(),
        # the plant's COP columns (a verifier's finding: "5,054 h at the cap" could not be checked from the export)
        **{c: p[c].to_numpy(dtype=float) for c in ("chiller_cop_air", "chiller_cop_liquid", "chiller_at_cop_cap_kw")
           if c in p},
        "fans_kw": p["fans_kw"].to_numpy(),
        "pumps_kw": p["pumps_kw"].to_numpy(), "cooling_kw": p["cooling_kw"].to_numpy(),
        "facility_kw": y.facility_kw.to_numpy(),
        "pv_ac_kw": y.pv_kw.to_numpy(), "pv_clipped_dc_kw": _clipped_dc_kw(y),
        "pv_spilled_kw": (-grid_kw).clip(lower=0.0).to_numpy(),
    }
    if y.battery is not None:
        b = y.battery
        cols.update({"battery_charge_kw": b["charge_kw"].to_numpy(), "battery_discharge_kw": b["discharge_kw"].to_numpy(),
                     "battery_soc_kwh": b["soc_kwh"].to_numpy(), "battery_loss_kwh": b["loss_kwh"].to_numpy()})
    cols["grid_import_kw"] = grid_kw.clip(lower=0.0).to_numpy()
    cols.update(_tariff_columns(y)[0])
    cols["water_m3"] = (p["water_l"] / 1000.0).to_numpy()
    out = pd.DataFrame(cols)
    if rounded:
        num = [k for k in out.columns if k not in _TEXT]
        out[num] = out[num].round({k: ROUNDING.get(k, _KW_DECIMALS) for k in num}) + 0.0   # + 0.0: no "-0.0"
    return out.rename(columns=header)


def about_table(y, table: pd.DataFrame | None = None, case: str = "the site as specified",
                record: dict | None = None) -> pd.DataFrame:
    """What each column of :func:`hourly_table` (``table``, default computed) is: ``item``, ``unit``, ``text``
    rows, the site, which case of it (``case``: :func:`dcplan.site_analysis_case.case_text`), weather and tariff
    first; with ``record``, a ``dcplan render`` run's record (:func:`dcplan.report_provenance.read_record`), its
    provenance last (``provenance <section>: <item>`` rows: dcplan's version, git commit and source digest, the
    run's start and parameters, each input file with its SHA-256: :func:`dcplan.report_provenance.about_rows`)."""
    table = hourly_table(y) if table is None else table
    by_header = {header(k): k for k in COLUMNS}
    n = len(table)
    rows = [("site", None, f"{y.site.id} ({y.site.name})"),
            ("case", None, case),
            ("weather", None, f"{Path(str(y.site.weather_path)).name}: typical-year weather on the site's civil "
                              f"clock ({y.site.timezone}), {n:,} hours"),
            ("basis", None, "the fleet fully built out (every phase), year-1 PV, the repeating steady-state year "
                            "dcplan.pipeline.run_site_year computes; the numbers site_analysis publishes"),
            ("rounding", None, "kW and kWh to 0.1, temperatures to 0.01, water to 0.001 m3, prices to 1e-6 USD/kWh: "
                               f"a column's sum is within {n:,} x half its step of the annual figure "
                               f"({n * 0.05 / 1000:.3f} MWh for kW)")]
    tnotes = _tariff_columns(y)[1] if y.bill is not None else [("tariff", "the site has no tariff")]
    rows += [(k, None, t) for k, t in tnotes]
    rows += [(h, COLUMNS[by_header[h]][0], _column_text(y.site, by_header[h])) for h in table.columns]
    if record is not None:
        from .report_provenance import about_rows
        rows += about_rows(record)
    return pd.DataFrame(rows, columns=["item", "unit", "text"])


def _column_text(site, key: str) -> str:
    """:data:`COLUMNS`' text of ``key``, for ``it_kw`` at a measured-load site (fleet ``workload: data``) what its
    file gives: an ``it_kw`` file's own values (averaged onto the hours), or the power the fleet draws at a
    ``utilisation_frac`` file's values (no modelled job interruptions either way)."""
    fleet = getattr(site, "fleet", None)
    if key != "it_kw" or getattr(fleet, "workload", None) != "data" or not getattr(fleet, "data_file", None):
        return COLUMNS[key][1]
    from .errors import InputError
    from .workload import read_profile_csv
    f = fleet.data_file
    try:
        col = read_profile_csv(site.path(f)).name
    except InputError:
        col = None
    if col == "it_kw":
        return (f"IT power of the site as measured: the values of {f} (fleet.data_file, workload: data, its it_kw "
                "column) averaged onto the hours, not modelled; sums to it_mwh")
    return (f"IT power of the fully built-out fleet (dcplan.power.site_it_kw) at the measured utilisation of {f} "
            "(fleet.data_file, workload: data), hour by hour; sums to it_mwh")


def csv_name(site_id: str, tag: str = "") -> str:
    """The export's file name: ``<site id>_hourly.csv``, or ``<site id>_<tag>_hourly.csv`` for a case that is not
    the site as specified (``tag``: :func:`dcplan.site_analysis_case.case_tag`); the part before ``_hourly`` shortened
    where it would be too long for a file name (:func:`dcplan.site_analysis_case.export_stem`)."""
    from .site_analysis_case import export_stem
    return f"{export_stem(site_id, tag)}_hourly.csv"


def about_name(site_id: str, tag: str = "") -> str:
    """Its sidecar's: ``<site id>_hourly_about.csv`` (``<site id>_<tag>_hourly_about.csv``; shortened as
    :func:`csv_name`)."""
    from .site_analysis_case import export_stem
    return f"{export_stem(site_id, tag)}_hourly_about.csv"


def write_hourly_csv(y, folder, tag: str = "", case: str = "the site as specified") -> Path:
    """Write :func:`hourly_table` to ``<folder>/`` :func:`csv_name` and :func:`about_table` (its ``case`` row
    ``case``; in a ``dcplan render`` run the run's provenance last, :func:`dcplan.report_provenance.read_record`)
    beside it (:func:`about_name`), both or neither, each whole (temporary names, then moved into place:
    :func:`dcplan.tco_export_files.write_set`; text a spreadsheet would read as a formula gets a leading ',
    :func:`dcplan.export_text.write_csv`), in :data:`ENCODING` (UTF-8 with a byte-order mark, for Excel); a previous
    file of either name that dcplan did not write, or that was edited since, is kept beside it and said
    (:mod:`dcplan.export_record`); returns the hourly file's path."""
    from .export_text import write_csv
    from .report_provenance import read_record
    from .tco_export_files import write_set
    out = Path(folder)
    out.mkdir(parents=True, exist_ok=True)
    table = hourly_table(y)
    sid = y.site.id
    about = about_table(y, table, case, read_record())
    files = [(out / name, lambda tmp, frame=frame: write_csv(frame, tmp, index=False, encoding=ENCODING))
             for name, frame in ((about_name(sid, tag), about), (csv_name(sid, tag), table))]
    write_set(out, files, [], "export_dir", "export_dir")  # both or neither
    return out / csv_name(sid, tag)
