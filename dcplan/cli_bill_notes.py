"""The notes ``dcplan bill`` prints beside the bill table: a result that is right by dcplan's
rules but easy to misread (split from :mod:`dcplan.cli_bill`, which re-exports
:func:`prior_peaks` and :func:`demand_window_note`).

* a demand ratchet without ``--prior-peaks-kw`` (:func:`prior_peaks`), or billed as a
  steady-state year (``--prior-peaks-kw steady_state``, as the site pipeline bills a site's
  typical year: :data:`dcplan.tariff_bill.STEADY_STATE`);
* a load interval longer than the tariff's demand window, or longer than 15 min under a tariff
  with demand charges that states no window (:func:`demand_window_note`), shorter than 15 min
  under such a tariff, with the demand charges billed on each common window
  (:func:`longer_window_note`), and what the table's ``peak_kw`` is under a demand window
  (:func:`peak_column_note`);
* months the load covers only partly, still billed whole-month fixed and demand charges
  (:func:`partial_months_note`);
* the coincident-peak charge's own columns (:func:`coincident_columns`) and legend line
  (:func:`demand_legend`);
* stamps whose UTC offsets never match the ``--tz`` zone's, or change at daylight saving and
  differ from the zone's at some stamps (:func:`zone_offsets_note`).

numpy and pandas are imported inside the functions (see :mod:`dcplan.cli_bill`).
"""
from __future__ import annotations

from pathlib import Path

from .errors import InputError


def prior_peaks(values, tariff, tariff_file: str):
    """``--prior-peaks-kw`` as 12 monthly kW (one value: all twelve) or ``"steady_state"``, and the
    note to print (None when there is none): a ratchet without prior peaks, a steady-state year,
    or prior peaks without a ratchet. ``values``: the option's words (or numbers)."""
    import numpy as np
    from .tariff_bill import STEADY_STATE
    from .tariff_checks import check_prior_peaks
    ratchet = tariff.ratchet_frac is not None and tariff.ratchet_lookback_months > 0
    name = Path(tariff_file).name
    if values is not None and any(str(v).strip().lower() == STEADY_STATE for v in values):
        if len(values) != 1:
            raise InputError(f"steady_state stands alone (a year that repeats), got {len(values)} values "
                             f"{[str(v) for v in values]}; give steady_state, 12 monthly kW or one kW for every "
                             "month", field="--prior-peaks-kw")
        if not ratchet:
            return None, f"Note:   {name} has no demand ratchet, so --prior-peaks-kw changes nothing"
        return STEADY_STATE, (
            f"Note:   {name}'s demand ratchet is billed as a steady-state year that repeats (--prior-peaks-kw "
            "steady_state, as the site pipeline bills a site's typical year): the months before the load take "
            "the load's own peaks of the same calendar months; the load must be 12 billing months, one of each")
    if values is not None:
        nums = []
        for v in values:
            try:
                nums.append(float(v))
            except (TypeError, ValueError):
                raise InputError(f"{v!r} is not a number; allowed: 12 monthly peaks in kW (Jan..Dec), one kW "
                                 "for every month, or steady_state (the load's own year, repeating)",
                                 field="--prior-peaks-kw") from None
        values = nums
    if values is None:
        if not ratchet:
            return None, None
        return None, (f"Note:   {name} has a demand ratchet and no --prior-peaks-kw was given: the months "
                      "before the load are taken as 0 kW peaks, which understates the first "
                      f"{tariff.ratchet_lookback_months} months' billing demand; give the previous year's "
                      "monthly peaks (12 values, Jan..Dec, or one for all)")
    if len(values) not in (1, 12):
        raise InputError(f"need 12 monthly peaks (Jan..Dec) or one for every month, got {len(values)} "
                         "values", field="--prior-peaks-kw")
    try:
        a = check_prior_peaks(np.resize(np.asarray(values, float), 12), 1)
    except InputError as e:
        raise InputError(e.detail, field="--prior-peaks-kw") from None
    if not ratchet:
        return None, (f"Note:   {name} has no demand ratchet, so --prior-peaks-kw changes nothing")
    return a, None


def _and(words: list) -> str:
    """``a``, ``a and b``, ``a, b and c``."""
    return " and ".join([", ".join(words[:-1]), words[-1]] if len(words) > 1 else words)


def _has_demand(tariff) -> bool:
    return tariff.flat_rate is not None or tariff.demand_rate is not None


def demand_window_note(tariff, step_min: float) -> str | None:
    """The note ``dcplan bill`` prints when the load's interval is longer than the tariff's
    demand window: the bill's demand is the interval average, below the window's peak (a 1-h
    load cannot show a 30-min peak; :mod:`dcplan.tariff`, Demand), so demand is understated.
    For a tariff with demand charges that states no window (no ``demandwindow``) and a load
    coarser than 15 min: demand is billed on the interval averages, a lower bound if the
    utility bills 15- or 30-min demand (:func:`dcplan.site_bill.unstated_window_note` says the
    same of a site's bill)."""
    w = tariff.demand_window_min
    step = f"{step_min / 60:g} h" if step_min >= 60 else f"{step_min:g} min"
    if w is None:
        shorter = [x for x in (15.0, 30.0) if x < step_min * (1 - 1e-9)]  # common demand windows
        if not _has_demand(tariff) or not shorter:
            return None
        wins = "- or ".join(f"{x:g}" for x in shorter) + "-min"
        on_step = "hourly" if abs(step_min - 60) < 1e-9 else f"{step}-interval"
        file = (getattr(tariff, "metadata", None) or {}).get("file")
        who = Path(file).name if file else "the tariff"
        return (f"Note:   {who} states no demand window (no demandwindow), so demand is billed on the load's "
                f"{step} averages; a utility that bills {wins} demand bills at least as much, more where the load "
                f"varies within the {step} intervals: the demand charges are a lower bound unless the utility bills "
                f"{on_step} demand; if the utility's schedule states its demand interval, add demandwindow "
                "(minutes) to the tariff file and bill a load of that interval or finer")
    if not _has_demand(tariff) or step_min <= w * (1 + 1e-9):
        return None
    return (f"Note:   the load's {step} intervals are longer than the tariff's {w:g}-min demand window "
            f"(demandwindow): demand is billed on {step} averages, which understate the {w:g}-min peaks; "
            f"bill a load of {w:g}-min intervals or finer for the demand charges")


#: Demand windows a utility's schedule commonly bills on [min]: 15 and 30 min (the two US demand
#: charges are commonly billed on: :data:`dcplan.site_bill.UNSTATED_WINDOW_MIN`; the bundled ComEd
#: tariff's is 30 min, data/SOURCES.md, Tariffs) and the hour (hourly demand, the other reading the
#: unstated-window note names, :func:`demand_window_note`). Used to say what an unstated window may
#: bill, never to bill a tariff that states one.
COMMON_WINDOWS_MIN = (15.0, 30.0, 60.0)


def longer_window_note(tariff, step_min: float, demand_usd: float, rebill) -> str | None:
    """The note for a tariff with demand charges that states no demand window (no ``demandwindow``)
    on a load finer than 15 min (a 5-min load), the shortest common window (:data:`COMMON_WINDOWS_MIN`):
    its demand is billed on the load's own readings, and a utility that bills a 15-, 30- or 60-min
    window bills the highest window mean, at most the highest reading, so the demand charges
    ``demand_usd`` [USD] are an upper bound unless it bills demand on the load's step; with the
    figure at each longer window, ``rebill(w)`` (the bill's ``demand_usd`` with ``demandwindow`` w,
    clock-aligned blocks, as :meth:`dcplan.tariff.Tariff.bill` bills a stated window). A window that
    is no whole number of load steps (a 10-min load, a 15-min window) is left out. None otherwise: a
    tariff that states its window is billed on it (:func:`peak_column_note`); a 15-min load is billed
    on the shortest common window, and a coarser one is a lower bound (:func:`demand_window_note`),
    as :data:`dcplan.site_bill.UNSTATED_WINDOW_MIN` takes 15 min for a window not stated."""
    if (tariff.demand_window_min is not None or not _has_demand(tariff)
            or step_min >= COMMON_WINDOWS_MIN[0] * (1 - 1e-9)):
        return None
    figures = []
    for w in COMMON_WINDOWS_MIN:
        n = w / step_min
        if n > 1 + 1e-9 and abs(n - round(n)) < 1e-9:
            figures.append((w, float(rebill(w))))
    if not figures:
        return None
    step = f"{step_min / 60:g} h" if step_min >= 60 else f"{step_min:g} min"
    file = (getattr(tariff, "metadata", None) or {}).get("file")
    who = Path(file).name if file else "the tariff"
    wins = "- or ".join(f"{w:g}" for w, _ in figures) + "-min"
    each = ", ".join(f"on {w:g}-min means {usd:,.2f} USD" for w, usd in figures)
    return (f"Note:   {who} states no demand window (no demandwindow), so demand is billed on the load's "
            f"{step} readings, the demand charges {demand_usd:,.2f} USD; a utility that bills {wins} demand bills "
            f"the highest {wins} mean, at most the highest {step} reading: the demand charges are an upper bound "
            f"unless the utility bills {step_min:g}-min demand. Billed on clock-aligned window means they are: "
            f"{each}; if the utility's schedule states its demand interval, add demandwindow (minutes) to the "
            "tariff file")


def peak_column_note(tariff, step_min: float) -> str | None:
    """Say what the table's ``peak_kw`` is when the tariff's demand window is longer than the
    load's interval: the month's highest window average (the demand an all-hours charge bills,
    block averages over the window by default; :mod:`dcplan.tariff`, Demand), not its highest
    reading."""
    w = tariff.demand_window_min
    if w is None or step_min >= w * (1 - 1e-9):
        return None
    how = "sliding" if getattr(tariff, "demand_window_method", "block") == "rolling" else "clock-aligned"
    step = f"{step_min:g}-min"
    return (f"Note:   peak_kw is each month's highest {w:g}-min demand-window average ({how}, the tariff's "
            f"demandwindow), the demand an all-hours charge bills; the highest {step} reading can be above it")


def partial_months_note(monthly, tariff) -> str | None:
    """Name the months the load covers only partly (``days_billed`` below the month's calendar
    days), which still pay a whole month's fixed and demand charges (:mod:`dcplan.tariff`,
    Calendar); None when every month is whole. ``monthly``: :attr:`Bill.monthly` (one scenario).
    The text of ``Bill.notes`` (:func:`dcplan.tariff_bill_stamps.partial_months_text`)."""
    from .tariff_bill_stamps import partial_months_text
    text = partial_months_text(monthly.index, monthly["days_billed"].to_numpy(), tariff)
    return None if text is None else f"Note:   {text}"


def zone_offsets_note(file_offsets, idx, tz: str, path: str, raw=None) -> str | None:
    """The note when the file's non-UTC offsets differ from ``tz``'s at the same instants: the
    stamps are converted to ``tz``, so TOU hours, weekdays and billing months move by the
    difference. ``file_offsets``: each stamp's offset as written (``-05:00``, ``-0500``, ``Z``);
    ``idx``: the stamps in ``tz``; ``raw``: the stamps as written (to name the first that differs).

    * Offsets that never equal ``tz``'s (New York stamps billed with ``--tz America/Los_Angeles``).
    * Offsets that change (daylight saving) and differ from ``tz``'s at some stamps only (New York
      stamps, ``-05:00``/``-04:00``, billed with ``--tz EST``, UTC-5 all year: every summer stamp
      moves an hour): how many, the first, and a zone whose offsets are the file's
      (:func:`dcplan.tariff_load_zones.zone_with_offsets`).

    None when every offset matches, when the file keeps one offset all year and ``tz`` matches
    it somewhere (standard time all year, as some meters keep: converted to the local clock, as
    it should be), or when every stamp is UTC (what ``--tz`` is for)."""
    import numpy as np
    import pandas as pd

    from .tariff_load_zones import offset_text, zone_with_offsets
    s = pd.Series(np.asarray(file_offsets, dtype=object)).astype(str)
    m = s.str.extract(r"^([+-])(\d\d):?(\d\d)$")
    sign = np.where(m[0] == "-", -1, 1)
    file_min = sign * (pd.to_numeric(m[1]).to_numpy() * 60 + pd.to_numeric(m[2]).to_numpy())
    local = ~np.isnan(file_min) & (file_min != 0)  # 'Z' and +00:00: UTC stamps, converted by --tz
    if not local.any():
        return None
    zone_all = ((idx.tz_localize(None) - idx.tz_convert("UTC").tz_localize(None)).total_seconds() / 60).to_numpy()
    file_min, zone_min = file_min[local], zone_all[local]
    differ = file_min != zone_min
    changes = len(set(file_min.tolist())) > 1  # the file's clock keeps daylight saving
    if not differ.any() or (not differ.all() and not changes):
        return None
    seen = ", ".join(offset_text(v) for v in sorted(set(file_min.tolist())))
    zone = ", ".join(offset_text(v) for v in sorted(set(zone_min.tolist())))
    fixed = changes and len(set(zone_all.tolist())) == 1
    utc_ns = idx[local].as_unit("ns").asi8
    # a zone to suggest: when only some stamps differ, or the zone given keeps no daylight saving
    match = zone_with_offsets(utc_ns, file_min, exclude=tz) if changes and (fixed or not differ.all()) else None
    d = (zone_min - file_min)[differ]  # the zone's clock minus the file's [min]
    vals, counts = np.unique(d, return_counts=True)
    usual = float(vals[np.argmax(counts)])
    shift = (f"{abs(usual) / 60:g} h {'behind' if usual < 0 else 'ahead of'} the file's clock"
             + (f" (from {vals[0] / 60:+g} to {vals[-1] / 60:+g} h over the file)" if len(vals) > 1 else ""))
    name = Path(path).name
    fixed_text = (f"{tz} keeps {zone} all year (a fixed offset, no daylight saving) while the file's offsets "
                  "change at daylight saving" if fixed else "")
    if differ.all():
        return (f"Note:   {name}'s UTC offsets ({seen}) never equal {tz}'s at the same instants ({zone}): "
                f"--tz is the zone whose clock the tariff is read on, so the stamps were converted to {tz} time, "
                f"{shift}, and TOU hours, weekdays and billing months follow {tz}'s clock; if the tariff "
                "runs on the file's own clock, give the file's zone as --tz"
                + (f"; {fixed_text}" + (f": {match} has the file's offsets at every stamp" if match else "")
                   if fixed else ""))
    j = int(np.flatnonzero(local)[int(np.argmax(differ))])  # the first stamp that differs, in the file
    first = str(idx[j]) if raw is None else f"{str(raw.iloc[j]).strip()} (row {j + 2})"
    n, total = int(differ.sum()), len(idx)
    return (f"Note:   {name}'s UTC offsets ({seen}) differ from {tz}'s ({zone}) at {n:,} of {total:,} intervals, "
            f"the first {first}" + (f": {fixed_text}" if fixed else "")
            + f". Those stamps were converted to {tz} time, {shift}, so their TOU hours (and weekdays and "
            f"billing months around midnight) follow {tz}'s clock, not the file's; "
            + (f"{match} has the file's offsets at every stamp: give --tz {match} if the tariff runs on the "
               "local clock" if match else
               "if the tariff runs on the file's own clock, give the file's zone as --tz"))


_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def _runs(values: list[int]) -> list[tuple[int, int]]:
    """Runs of consecutive integers: [0, 1, 2, 9, 10] -> [(0, 2), (9, 10)]."""
    out: list[tuple[int, int]] = []
    for v in values:
        if out and v == out[-1][1] + 1:
            out[-1] = (out[-1][0], v)
        else:
            out.append((v, v))
    return out


def _months_text(months: list[int]) -> str:
    """0-based months as ranges: ``Jun-Sep``, ``Jan-May, Oct-Dec``, ``all year``."""
    if len(months) == 12:
        return "all year"
    return ", ".join(_MONTHS[a] if a == b else f"{_MONTHS[a]}-{_MONTHS[b]}" for a, b in _runs(months))


def _hours_text(hours: tuple) -> str:
    """Hours of the day (interval starts) as clock ranges: (13, ..., 20) -> ``13:00-21:00``."""
    if len(hours) == 24:
        return "all hours"
    return ", ".join(f"{a:02d}:00-{b + 1:02d}:00" for a, b in _runs(list(hours)))


def _rate_text(rates, uppers) -> str:
    """A demand rate and its tiers: ``16.5 $/kW``, ``10 $/kW to 500 kW, then 8 $/kW``."""
    import math
    parts = []
    for k, (r, u) in enumerate(zip(rates, uppers)):
        parts.append(f"{r:g} $/kW" + (f" to {u:,.0f} kW" if math.isfinite(u) and k < len(rates) - 1 else ""))
    return ", then ".join(parts)


def coincident_columns(bill) -> dict:
    """``coincident_kw`` and ``coincident_usd`` by month of a one-load bill with coincident-peak
    charges: the customer's coincident demand (the tiers' kW summed per coincident period, the
    highest period of the month) and the charge's cost (a part of ``demand_usd``)."""
    import numpy as np
    lines = [ln for ln in bill.lines if ln.charge == "coincident_demand"]
    n_m = len(bill.months)
    cost = sum((ln.cost[0] for ln in lines), np.zeros(n_m))
    by_period: dict = {}
    for ln in lines:
        by_period[str(ln.period)] = by_period.get(str(ln.period), np.zeros(n_m)) + ln.qty[0]
    kw = np.max(np.vstack(list(by_period.values())), axis=0) if by_period else np.zeros(n_m)
    return {"coincident_kw": kw, "coincident_usd": cost}


def period_groups(weekday, weekend, q: int) -> dict[tuple, list[int]]:
    """The months (0-based) of period ``q`` of a 12 x 24 weekday and weekend schedule, grouped by the
    hours it covers: ``{(weekday hours, weekend hours): [months]}``, months without it left out."""
    import numpy as np
    groups: dict[tuple, list[int]] = {}
    for m in range(12):
        wd = tuple(int(h) for h in np.flatnonzero(weekday[m] == q))
        we = tuple(int(h) for h in np.flatnonzero(weekend[m] == q))
        if wd or we:
            groups.setdefault((wd, we), []).append(m)
    return groups


def period_when(groups: dict[tuple, list[int]], holidays=None) -> list[str]:
    """:func:`period_groups` in words, a group each: ``"May-Oct weekdays 15:00-20:00"``; with a holiday
    calendar that lists any (``holidays``: the bill's, the tariff's ``dcplan_holidays`` or ``--holidays``)
    ``"May-Oct weekdays except holidays 15:00-20:00"``, as holidays are billed on the weekend schedule
    (:func:`dcplan.tariff_holidays.schedule_day_names`)."""
    from .tariff_holidays import schedule_day_names
    weekdays, weekends = schedule_day_names(holidays)
    when = []
    for (wd, we), ms in groups.items():
        if wd == we:
            days = f"every day {_hours_text(wd)}"
        else:
            days = ", ".join(x for x in ((f"{weekdays} {_hours_text(wd)}" if wd else ""),
                                         (f"{weekends} {_hours_text(we)}" if we else "")) if x)
        when.append(f"{_months_text(ms)} {days}")
    return when


def demand_legend(tariff, columns, coincident_interval=None) -> list[str]:
    """Lines naming, under the table, what each billing-demand column of ``columns`` bills: for
    ``tou_billing_demand_<period>_kw`` the tariff's period (its number in the URDB demand schedules,
    which count from 0, or its name), the months and hours it covers (from
    ``demandweekdayschedule``/``demandweekendschedule``; the weekend schedule's days include the tariff's
    holidays, then called "weekends and holidays" and the others "weekdays except holidays") and its rate;
    for ``billing_demand_kw`` the all-hours charge's rate. [] without such columns."""
    import numpy as np
    lines = []
    if "coincident_usd" in columns and tariff.coincident_rate is not None:
        from .tariff_bill import COINCIDENT_INTERVAL
        iv = coincident_interval or COINCIDENT_INTERVAL
        n_c = tariff.coincident_rate.shape[0]
        rates = "; ".join((f"period {c}: " if n_c > 1 else "")
                          + _rate_text(tariff.coincident_rate[c], tariff.coincident_upper[c]) for c in range(n_c))
        lines.append(f"Legend: coincident_kw = the load's mean kW over the {iv} ending at each --coincident-peaks "
                     "stamp, averaged over the month's stamps (coincidentratestructure); coincident_usd = that "
                     f"charge, {rates}" + (" (by coincidentrateschedule period at the stamp)" if n_c > 1 else "")
                     + "; included in demand_usd")
    if "billing_demand_kw" in columns and tariff.flat_rate is not None:
        by_rate: dict[str, list[int]] = {}
        for m in range(12):
            p = int(tariff.flat_months[m])
            by_rate.setdefault(_rate_text(tariff.flat_rate[p], tariff.flat_upper[p]), []).append(m)
        rate = "; ".join(r if len(ms) == 12 else f"{r} in {_months_text(ms)}" for r, ms in by_rate.items())
        lines.append(f"Legend: billing_demand_kw = the all-hours demand charge (flatdemandstructure), {rate}")
    if tariff.demand_rate is None:
        return lines
    n_q = tariff.demand_rate.shape[0]
    names = [str(n) for n in (tariff.demand_period_names or range(n_q))]
    for c in columns:
        if not (c.startswith("tou_billing_demand_") and c.endswith("_kw")):
            continue
        label = c[len("tou_billing_demand_"):-len("_kw")]
        if label not in names:
            continue
        q = names.index(label)
        groups = period_groups(tariff.demand_weekday, tariff.demand_weekend, q)
        when = period_when(groups, tariff.holidays)
        what = (f"URDB demand period {q}" if tariff.demand_period_names is None
                else f"demand period {label!r}")
        covered = sum(len(ms) for ms in groups.values())
        lines.append(f"Legend: {c} = {what}: {'; '.join(when) or 'no hours'}, "
                     f"{_rate_text(tariff.demand_rate[q], tariff.demand_upper[q])}"
                     + ("; NaN in months without its hours" if covered < 12 else ""))
    return lines


def holiday_lines(tariff, index, given: str | None) -> list[str]:
    """The lines ``dcplan bill`` prints of the holidays it bills on the weekend schedules: the days of
    the load that are holidays (date, weekday, name), from ``--holidays`` (``given``) or the tariff's
    ``dcplan_holidays``; with a country code also that a country's public-holiday calendar is not a
    utility's, the days it bills that the six NERC off-peak holidays do not, and the
    ``dcplan_holidays`` that bill the NERC six (:data:`dcplan.tariff_holidays.NERC_OFF_PEAK`).
    ``index``: the billed load's interval-ending labels. ``[]`` without holidays."""
    import json

    import pandas as pd

    from .tariff_holidays import NERC_OFF_PEAK, HolidayCalendar, holiday_names, nerc_calendar
    spec = tariff.holidays
    if spec is None or (isinstance(spec, HolidayCalendar) and not len(spec)) or len(index) < 2:
        return []
    first = (index[0] - (index[1] - index[0])).tz_localize(None).date()  # first interval's start
    last = (index[-1] - pd.Timedelta(1, "ns")).tz_localize(None).date()
    named = holiday_names(spec, first, last)
    where = f"--holidays {given}" if given else "the tariff's dcplan_holidays"
    wd = [d for d in named if d.weekday() < 5]
    days = ", ".join(f"{d:%Y-%m-%d} {d:%a} {n}" for d, n in named.items())
    out = [f"Holidays: {where}: {len(named)} day{'s' * (len(named) != 1)} of the load billed on the weekend "
           f"schedules (energy and demand), {len(wd)} of them weekdays: {days or 'none'}"]
    if given and isinstance(spec, str):
        nerc = holiday_names(nerc_calendar(), first, last)
        extra = [f"{named[d]} ({d:%Y-%m-%d})" for d in wd if d not in nerc]
        six = json.dumps([{k: e[k] for k in ("name", "rule", "observed")} for e in NERC_OFF_PEAK])
        out.append(f"Note:   --holidays {given} is a country's public-holiday calendar (the holidays package), not a "
                   "utility's: most US utility TOU schedules bill the six NERC off-peak holidays (New Year's, "
                   "Memorial, Independence, Labor, Thanksgiving and Christmas Day; on a Sunday the Monday after) or "
                   "their own list (check the tariff)"
                   + (f"; {_and(extra)} {'is' if len(extra) == 1 else 'are'} billed as weekend days here, not NERC "
                      "holidays" if extra else "")
                   + '. To bill the NERC six, leave out --holidays and add to the tariff item '
                   + f'"dcplan_holidays": {six}')
    return out
