"""What a site's ``tariff:`` section must add to its tariff file before the site can be billed,
and how :mod:`dcplan.pipeline` bills the site's year (the checks ``dcplan validate`` runs on a
site and the pipeline runs before a bill).

* A rate file of several items needs ``tariff.label`` (:func:`label_problem`): the labels to
  choose from are named; a label given for a file of one bare item must be that item's own.
* A tariff with coincident-peak charges (``coincidentratestructure``) needs
  ``tariff.coincident_peaks``, the system-peak interval ends (local times of the site's zone, in
  its weather year): :func:`coincident_peaks_problems`, :func:`site_coincident_peaks`. Peaks
  given for a tariff without such charges would change nothing: also a problem. Each stamp is the
  end of a system-peak hour of the site's hourly load (a date alone, a stamp off the load's hours,
  one given twice: problems, :mod:`dcplan.tariff_coincident`); a month the tariff prices and no
  stamp falls in bills no coincident charge (a warning, and a note in ``Bill.notes``).
* :func:`site_bill_kwargs`: the keyword arguments of :meth:`dcplan.tariff.Tariff.bill` for the
  site's typical year: its coincident peaks, and with a demand ratchet
  ``prior_peaks_kw="steady_state"``: the typical year is billed as a year that repeats, as every
  annual figure of the model is (fleet fully built, the battery ending with the charge it starts
  with), so the months before it are its own months (:mod:`dcplan.tariff_ratchet`). Billing them
  at 0 kW would understate the ratchet every year of the TCO.
"""
from __future__ import annotations

from pathlib import Path

from .errors import InputError

#: The example a missing ``tariff.coincident_peaks`` message shows (hour ends, local time).
_EXAMPLE = '["{y}-07-21 17:00", "{y}-08-12 16:00"]'


def label_problem(site) -> tuple[str, str] | None:
    """``("tariff.label", message)`` when the site's tariff file holds several rate items and the
    site names none, or is one bare rate item whose own ``label`` is not the site's
    ``tariff.label`` (every bill would fail: :func:`dcplan.tariff_urdb.load_item`; a label not
    among an ``items`` list's is a problem of the file, :func:`dcplan.validate._tariff_problems`);
    None otherwise (also when the file does not read: its own problem)."""
    import json
    spec = site.tariff
    if spec is None or spec.is_flat:
        return None
    try:
        data = json.loads(Path(site.tariff_path).read_text(encoding="utf-8"))
    except (OSError, ValueError, UnicodeDecodeError):
        return None
    if spec.label is not None:
        own = data.get("label") if isinstance(data, dict) and "items" not in data else None
        if own in (None, spec.label):  # as load_item compares them
            return None
        return ("tariff.label", f"{spec.label!r} is not the label of {spec.file}, which is one rate item "
                                f"labelled {str(own)!r}; set tariff.label: {own} or remove tariff.label")
    items = data.get("items") if isinstance(data, dict) else None
    if not isinstance(items, list) or len(items) < 2:
        return None
    labels = [str(it.get("label", f"#{i}")) if isinstance(it, dict) else f"#{i}" for i, it in enumerate(items)]
    return ("tariff.label", f"{spec.file} holds {len(items)} rate items and the site names none; add "
                            f"tariff.label, one of: {', '.join(labels)}")


def site_section_problems(site, file_ok: bool = True) -> list[tuple[str, str]]:
    """What the site's ``tariff:`` section must add for its file to bill (``dcplan validate``):
    :func:`label_problem`, else (the file reading, ``file_ok``) :func:`coincident_peaks_problems`."""
    lab = label_problem(site)
    if lab is not None:
        return [lab]
    if not file_ok or site.tariff is None or site.tariff.is_flat:
        return []
    import warnings

    from .errors import DcplanWarning
    from .tariff import Tariff
    try:
        with warnings.catch_warnings():  # the file's own reading warnings: given by its check already (file_ok)
            warnings.simplefilter("ignore", DcplanWarning)
            tariff = Tariff.from_urdb(site.tariff_path, label=site.tariff.label)
    except InputError:
        return []
    probs = coincident_peaks_problems(site, tariff)
    if not probs:
        warn_unstamped_months(site, tariff)
    return probs


def battery_bill_problems(site) -> list[tuple[str, str]]:
    """``dcplan validate``'s check of a ``battery.target: bill`` site, before any run: it needs a
    tariff, and one its linear program can price (:func:`dcplan.battery_bill.check_bill_tariff`,
    on the site's hourly load). A tariff file that does not read is reported on ``tariff.*``."""
    ic = site.interconnection
    battery = getattr(ic, "battery", None) if ic is not None else None
    if battery is None or battery.target != "bill":
        return []
    field = "interconnection.battery.target"
    if site.tariff is None:
        return [(field, "target: bill prices the battery's dispatch on the site's tariff, and this site has "
                        "no tariff: section; allowed: a tariff: section, or target: demand or contract")]
    from .battery_bill import check_bill_tariff
    from .pipeline import site_tariff
    try:
        tariff = site_tariff(site)
    except InputError:
        return []
    try:
        check_bill_tariff(tariff, 3600.0, field=field)
    except InputError as e:
        detail = e.detail
        if site.tariff_path is not None:  # the tariff's label is the file's own: name the file too
            named = f"of the tariff {tariff.name!r}"
            detail = (detail.replace(named, f"{named} (tariff.file {site.tariff_path})", 1) if named in detail
                      else f"{detail} (tariff.file {site.tariff_path})")
        return [(field, detail)]
    return []


def warn_unstamped_months(site, tariff) -> None:
    """A :class:`~dcplan.errors.DcplanWarning` (``dcplan validate``; the bill says it in
    ``Bill.notes``) when ``tariff`` prices coincident peaks in months none of the site's stamps
    falls in: those months bill no coincident charge
    (:func:`dcplan.tariff_coincident.unstamped_months_note`)."""
    import warnings

    from .errors import DcplanWarning
    from .tariff_coincident import priced_moy, unstamped_months_note
    if getattr(tariff, "coincident_rate", None) is None or site.tariff is None or not site.tariff.coincident_peaks:
        return
    import pandas as pd
    stamped = sorted({(ts - pd.Timedelta(1, "ns")).month for ts in parse_peaks(site)[0]})
    note = unstamped_months_note([m + 1 for m in priced_moy(tariff)], stamped)
    if note:
        where = site.source_file or f"site {site.id!r}"
        warnings.warn(f"{where}: tariff.coincident_peaks: {note}", DcplanWarning, stacklevel=2)


def _year(site) -> int:
    return int(site.weather.year)


def parse_peaks(site) -> tuple[list, list[tuple[str, str]]]:
    """``tariff.coincident_peaks`` as tz-aware interval ends in the site's zone, and the problems
    ``[(field, message)]`` of those that are not (:mod:`dcplan.tariff_coincident`): a date without
    a time of day, a time the clock skips or repeats at a DST change, one whose interval is not in
    the weather year or not one interval of the site's hourly load (off its weather file's hours,
    read from the file's first line), a UTC offset that is not the zone's at that instant (the stamp
    would bill another hour than the one written), and a stamp given twice."""
    spec = site.tariff
    out, probs = [], []
    if spec is None or not spec.coincident_peaks:
        return out, probs
    import pandas as pd

    from .tariff_bill import COINCIDENT_INTERVAL
    from .tariff_coincident import (duplicate_problems, grid_problem, local_time_problem, offset_problem,
                                    stamp_text_problem)
    from .weather_header import rows_utc_offset_h
    y = _year(site)
    station_h = site.weather.rows_utc_offset_h  # the load's hours: the file rows' (the site's word, else the file's)
    if station_h is None:
        station_h = rows_utc_offset_h(site.weather_path, site.weather.format)
    interval_min = pd.Timedelta(COINCIDENT_INTERVAL).total_seconds() / 60.0
    good = []  # (index, text, stamp) of the stamps without a problem of their own
    for i, s in enumerate(spec.coincident_peaks):
        field = f"tariff.coincident_peaks[{i}]"
        bad = stamp_text_problem(s)
        if bad:
            probs.append((field, bad))
            continue
        try:
            ts = pd.to_datetime(s, format="ISO8601")
        except (ValueError, TypeError, OverflowError):
            probs.append((field, f"{s!r} is not a timestamp; write a local time 'YYYY-MM-DD HH:MM'"))
            continue
        # a local time the clock skips or repeats; an offset that is not the zone's then (another hour)
        bad = (local_time_problem(s, ts, site.timezone) if ts.tz is None else offset_problem(s, ts, site.timezone))
        if bad:
            probs.append((field, bad))
            continue
        ts = ts.tz_localize(site.timezone) if ts.tz is None else ts.tz_convert(site.timezone)
        start = ts - pd.Timedelta(1, "ns")  # the interval that ends at the stamp
        if start.year != y:
            probs.append((field, f"{s!r} is not in the site's weather year {y} (weather.year): the bill is of that "
                                 f"year's load, so a system-peak interval must end after {y}-01-01 00:00 and at or "
                                 f"before {y + 1}-01-01 00:00 local time; give the {y} peaks (or the peak hours "
                                 f"of the year you model, written in {y})"))
            continue
        # (a weather file whose header does not read is its own problem: its hours are then unknown)
        bad = None if station_h is None else grid_problem(s, ts, station_h, interval_min)
        if bad:
            probs.append((field, bad))
            continue
        good.append((i, s, ts))
        out.append(ts)
    dup = duplicate_problems(good, "tariff.coincident_peaks")
    return out, sorted(probs + dup, key=lambda p: int(p[0].rsplit("[", 1)[1].rstrip("]")))


def coincident_peaks_problems(site, tariff) -> list[tuple[str, str]]:
    """The problems ``[(field, message)]`` of the site's coincident peaks against its (loaded)
    ``tariff``: missing for a coincident-peak tariff, given for one without such charges, or not
    readable / not in the weather year (:func:`parse_peaks`)."""
    spec = site.tariff
    if spec is None or tariff is None:
        return []
    has_cp = getattr(tariff, "coincident_rate", None) is not None
    given = spec.coincident_peaks
    name = spec.file if not spec.is_flat else "the flat tariff"
    if has_cp and not given:
        y = _year(site)
        return [("tariff.coincident_peaks",
                 f"{name} has coincident-peak charges (coincidentratestructure), billed on the site's load at the "
                 "system's peak hours, which the tariff file does not give; add tariff.coincident_peaks: the "
                 f"local end times of the system-peak intervals in the weather year {y}, e.g. "
                 f"coincident_peaks: {_EXAMPLE.format(y=y)} (the site's mean kW over the 60 min ending at each "
                 "is its coincident demand)")]
    if given and not has_cp:
        return [("tariff.coincident_peaks",
                 f"{len(given)} system peak(s) given, but {name} has no coincident-peak charges "
                 "(coincidentratestructure), so they would change nothing; drop tariff.coincident_peaks or "
                 "use the tariff that bills them")]
    return parse_peaks(site)[1]


def site_coincident_peaks(site, tariff):
    """The site's coincident peaks (tz-aware interval ends) for ``tariff``'s bill, None when the
    tariff has no coincident-peak charges; an :class:`InputError` naming the site file and field
    when they are missing or wrong (:func:`coincident_peaks_problems`)."""
    probs = coincident_peaks_problems(site, tariff)
    if probs:
        field, msg = probs[0]
        raise InputError(msg, file=site.source_file or None, field=field)
    if getattr(tariff, "coincident_rate", None) is None:
        return None
    return parse_peaks(site)[0]


def site_bill_kwargs(site, tariff) -> dict:
    """:meth:`dcplan.tariff.Tariff.bill` keyword arguments for the site's typical year (module
    docstring): ``coincident_peaks`` when the tariff has such charges, ``prior_peaks_kw=
    "steady_state"`` when it has a demand ratchet."""
    from .tariff_bill import STEADY_STATE
    kw = {"stamps": "end"}  # the site chain's hours are interval-ending labels (a lone first/last month is real)
    if getattr(tariff, "coincident_rate", None) is not None:  # (peaks beside another tariff: unused)
        kw["coincident_peaks"] = site_coincident_peaks(site, tariff)
    if getattr(tariff, "ratchet_frac", None) is not None and getattr(tariff, "ratchet_lookback_months", 0) > 0:
        kw["prior_peaks_kw"] = STEADY_STATE
    return kw
