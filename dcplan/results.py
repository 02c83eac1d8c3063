"""Publishing a notebook's figures so reports, the index and tests can read them.

A notebook calls :func:`publish` for every number it shows. Each call displays
one output carrying a dcplan MIME bundle (machine-readable) plus an HTML/plain
rendering (what the reader sees), in the same way scrapbook records values.
``dcplan render`` reads those outputs back from the executed notebook into the
run's ``results.json``, so the numbers in the HTML are the numbers in the JSON.
"""
from __future__ import annotations

import html
import json
import math
import re
import sys
from numbers import Number, Real
from typing import Any

from .errors import InputError

MIME = "application/vnd.dcplan.results+json"


def _plain(v: Any) -> Any:
    """Convert numpy/pandas scalars and containers to JSON-safe Python values."""
    # numpy only if it is loaded (a numpy value cannot exist otherwise): render's own
    # process reads results without importing it
    np = sys.modules.get("numpy")
    if np is not None and isinstance(v, np.generic):
        v = v.item()
    if isinstance(v, float):
        if math.isnan(v) or math.isinf(v):
            return None
        return v
    if isinstance(v, (str, bool, int)) or v is None:
        return v
    if isinstance(v, Number):
        return float(v)
    if isinstance(v, dict):
        return {str(k): _plain(x) for k, x in v.items()}
    if isinstance(v, (list, tuple)) or (np is not None and isinstance(v, np.ndarray)):
        return [_plain(x) for x in list(v)]
    if hasattr(v, "isoformat"):
        return v.isoformat()
    raise TypeError(f"publish: value of type {type(v).__name__} is not a number, string, "
                    "bool, date, list or dict")


#: Units of a temperature or temperature difference: shown to one decimal whatever their size (a mean
#: dry bulb of 9.99 °C showed with two decimals beside 12.7 °C, as if known better).
TEMPERATURE_UNITS = ("°C", "degC", "K")


def _sig3(x: float, digits: int = 3) -> str:
    """``x`` to three (``digits``) significant figures, keeping the trailing zeros of a rounded figure:
    8.001 -> "8.00", 12.001 -> "12.0" (not "8" and "12", read as whole numbers beside "4.79"); a figure
    that is exactly its digits keeps none: 8.0 -> "8", 0.5 -> "0.5".

    >>> _sig3(8.001), _sig3(12.001), _sig3(4.789), _sig3(8.0), _sig3(99.96), _sig3(7.000000000000001)
    ('8.00', '12.0', '4.79', '8', '100', '7')
    >>> _sig3(0.27000004, 4), _sig3(0.27, 4)
    ('0.2700', '0.27')
    """
    s = f"{x:.{digits}g}"
    if "e" in s or abs(float(s) - x) <= 1e-9 * abs(x):
        return s
    return f"{x:#.{digits}g}".rstrip(".")


#: A float within this share of a whole number is shown as that whole number (:func:`format_value`): far below the
#: three or four figures a value is shown to, so only floating-point noise of a whole figure is taken for it, as
#: northern-virginia's grid-only median time to power, 48.000000000001165 months (the exact median given 9 months
#: waited: the lead-time model's 4.4e-14 chance of power within them moves it 1.2e-12 month), shown "48.0" beside
#: the other sites' "36" and "24". The tolerance :func:`_sig3` takes a fraction's digits as exact within. [-]
WHOLE_REL_TOL = 1e-9


def _whole(value: float) -> bool:
    """Whether ``value`` is a whole number to :data:`WHOLE_REL_TOL` (and below 1e15, where floats are still
    whole counts): ``_whole(48.000000000001165)`` is True, ``_whole(47.96)`` and ``_whole(1e-10)`` False."""
    a = abs(value)
    if not (math.isfinite(value) and a < 1e15):
        return False
    r = round(value)
    return value.is_integer() or (r != 0 and abs(value - r) <= WHOLE_REL_TOL * a)


def format_value(value: Any, unit: str | None = None, key: str | None = None) -> str:
    """Human-readable value as shown in reports and the index.

    A fraction (unit ``frac``) shows as a percentage with three significant figures
    (0.151 -> "15.1 %", 1.0 -> "100 %", 0.08001 -> "8.00 %": a rounded figure keeps its zeros, so it is not
    read as a whole percent beside "4.79 %"; :func:`_sig3`): what a reader of a report expects. results.json
    keeps the fraction and its unit unchanged. A temperature (:data:`TEMPERATURE_UNITS`) shows
    to one decimal (9.99 -> "10.0 °C"), a whole one without (30.0 -> "30 °C").

    >>> format_value(9.99, "°C"), format_value(12.71, "°C"), format_value(30.0, "°C"), format_value(0.051, "K")
    ('10.0 °C', '12.7 °C', '30 °C', '0.1 K')

    A whole figure shows without ".0", also when floating-point noise far below what is shown
    (:data:`WHOLE_REL_TOL`) keeps it off the whole number:

    >>> format_value(36.0, "months"), format_value(48.000000000001165, "months"), format_value(47.96, "months")
    ('36 months', '48 months', '48.0 months')

    ``key``, the figure's published key: a probability (:data:`dcplan.prob_display.PROBABILITY_KEYS`) shows
    below 0.1 % as "< 0.1 %" and above 99.9 % as "> 99.9 %", not as floating-point noise ("1.11e-14 %")
    or a certainty (:func:`dcplan.prob_display.probability_text`).
    """
    if key is not None and unit == "frac":
        from .prob_display import shown_probability
        shown = shown_probability(key, value, unit)
        if shown is not None:
            return shown
    if unit == "frac" and isinstance(value, Real) and not isinstance(value, bool) \
            and math.isfinite(float(value)):  # numbers.Real: numpy scalars too
        pct = 100.0 * float(value)
        a = abs(pct)
        if a == 0:
            s = "0"
        elif a >= 100:
            s = f"{pct:,.0f}"
        else:
            s = _sig3(pct)
        return f"{s} %"
    if value is None:  # a figure that does not exist (results.json null): not "None kW"
        return "n/a"
    if isinstance(value, bool):
        s = str(value)
    elif isinstance(value, int):
        s = f"{value:,}"
    elif isinstance(value, float):
        a = abs(value)
        if a == 0:
            s = "0"
        elif _whole(value):  # a whole count (811 h, 94 events, 36 months): no ".0"
            s = f"{round(value):,}"
        elif unit in TEMPERATURE_UNITS and math.isfinite(value):  # 9.99 °C beside 12.7 °C read as more precise
            s = f"{0.0 if abs(value) < 0.05 else value:,.1f}"  # -0.04 °C: "0.0", not "-0.0"
        elif a >= 1000:
            s = f"{value:,.0f}"
        elif a >= 10:
            s = f"{value:,.1f}"
        elif a >= 0.01:
            s = _sig3(value) if a < 1 else f"{value:.2f}"
        else:
            s = _sig3(value)
    else:
        s = str(value)
    return f"{s} {unit}" if unit else s


#: Units read off a key's last suffix when none is given (names carry units: load_kw, energy_mwh).
_SUFFIX_UNITS = {"frac": "frac", "h": "h", "s": "s", "kw": "kW", "mw": "MW", "kwh": "kWh",
                 "mwh": "MWh", "usd": "USD", "degc": "°C", "months": "months"}


def unit_from_key(key: str) -> str | None:
    """The unit a result key names by its suffix (``derate_h`` -> ``h``, ``saving_frac`` ->
    ``frac``), or None: no known suffix, or a ratio (``..._per_...``) whose unit the suffix
    alone does not give."""
    name = key.rsplit(".", 1)[-1].lower()
    if "_per_" in name or "_" not in name:
        return None
    if name.endswith(("_gpu_h", "_gpu_months")):   # GPU-hours, GPU-months: counts, not durations
        return "GPU-h" if name.endswith("_h") else "GPU-months"
    return _SUFFIX_UNITS.get(name.rsplit("_", 1)[-1])


#: Relative tolerance at the bounds -1 and 1 of a published fraction before it warns: a share
#: computed in floating point (524 h / 524 h after a sum of products) may come out a few ulps
#: (about 2.2e-16 each) beyond 1; 1e-9 is far above that rounding and far below any real excess
#: (0.1 % is 1e-3). A dcplan choice (2026).
FRAC_BOUND_RTOL = 1e-9
#: What a result key may hold: letters, digits, ``_``, ``.`` (``<site>.bill_usd``) and ``-`` (site
#: ids and catalog keys inside a key: ``phoenix-az.score``, ``hardware_status.hgx-h100``); no space
#: (a key with a space read no unit off its suffix, and is no machine key).
_KEY_RE = re.compile(r"[A-Za-z0-9_.-]+")
#: Spellings of one unit: a key's suffix names the first, a notebook may give either.
_SAME_UNIT = {"degc": "°c"}


def _same_unit(a: str, b: str) -> bool:
    a, b = a.strip().lower(), b.strip().lower()
    return _SAME_UNIT.get(a, a) == _SAME_UNIT.get(b, b)


def _bad(key: Any, problem: str) -> InputError:
    return InputError(problem, field=f"publish({key!r})")


def record(key: str, value: Any, *, unit: str | None = None, label: str | None = None,
           headline: bool = False, summary: bool = False, stacklevel: int = 2) -> dict:
    """Build one result record (no display). Used by :func:`publish`. Without ``unit``,
    a numeric figure takes the unit its key's suffix names (:func:`unit_from_key`). A ``summary``
    figure is a headline (``headline`` true) whose record carries ``"summary": true`` (a record
    without it has no such key: the results.json of every run that marks none is as before).

    Refused (:class:`~dcplan.errors.InputError` naming the key, the value and what is allowed):
    a key with other characters than :data:`_KEY_RE`'s; a unit that contradicts the unit the
    key's suffix names (``peak_kw`` in ``MW``); a unit on text or a bool ("high kW"); a number
    that is NaN or infinite (a figure that does not exist is published as text saying why,
    ``"n/a: <why>"``, without a unit, as the bundled notebooks do; None, a figure a table holds
    empty, is kept as null and shown "n/a" without its unit: the TCO's undefined unit costs). A
    fraction (unit ``frac``) outside -1 to 1 (by more than :data:`FRAC_BOUND_RTOL`), shown as more than
    100 %, is published with a :class:`~dcplan.errors.DcplanWarning` (a percentage given as a fraction:
    17 for 0.17).
    """
    if not isinstance(key, str) or not key:
        raise _bad(key, f"the key must be a non-empty string, got {key!r}")
    if not _KEY_RE.fullmatch(key):
        bad = "".join(dict.fromkeys(c for c in key if not _KEY_RE.fullmatch(c)))
        raise _bad(key, f"the key {key!r} holds {bad!r}; allowed in a key: letters, digits, '_', '.' "
                        "and '-' (no spaces: e.g. 'annual_peak_grid_kw')")
    if unit is not None and not isinstance(unit, str):
        raise _bad(key, f"the unit must be a string or None, got {unit!r}")
    np = sys.modules.get("numpy")
    if np is not None and isinstance(value, np.generic):
        value = value.item()
    number = isinstance(value, Number) and not isinstance(value, (bool, complex))
    if number and not math.isfinite(float(value)):
        raise _bad(key, f"the value is {value!r}, not a finite number; a figure that does not exist is "
                        f"published as text saying why, without a unit: publish({key!r}, \"n/a: <why>\")")
    if unit and isinstance(value, (str, bool)):
        raise _bad(key, f"{type(value).__name__} value {value!r} given the unit {unit!r} (it would show as "
                        f"{value} {unit}); allowed: a unit with a number only, text and bools without one")
    named = unit_from_key(key)
    if unit and named and not _same_unit(unit, named):
        suffix = ("_gpu_" if "_gpu_" in key.lower() and named.startswith("GPU") else "_") + key.rsplit("_", 1)[-1]
        raise _bad(key, f"the unit {unit!r} of the value {value!r} contradicts the unit the key's suffix names ({named!r}, "
                        f"{suffix!r}); allowed: {named!r} or no unit, or a key whose "
                        f"suffix names {unit!r}")
    if unit is None and number:
        unit = named
    # (1 + FRAC_BOUND_RTOL: a share computed as a ratio of sums, 524/524, may land an ulp above 1)
    if unit == "frac" and number and not abs(float(value)) <= 1.0 + FRAC_BOUND_RTOL:
        import warnings

        from .errors import DcplanWarning
        warnings.warn(DcplanWarning(
            f"publish({key!r}): the fraction {float(value):g} shows as {format_value(value, 'frac')}; a "
            "fraction is expected from -1 to 1 (a share from 0 to 1: 17 % is 0.17): a percentage given as a "
            "fraction? (a ratio that may exceed 1: another key and unit)"), stacklevel=stacklevel)
    out = {"key": key, "value": _plain(value), "unit": unit, "label": label or key,
           "headline": bool(headline or summary)}
    if summary:  # leads dcplan render's terminal summary after the run's first headline (dcplan.report_summary)
        out["summary"] = True
    return out


#: A published value up to this many characters (a number and its unit, a date) stays on one line in the table.
_ONE_LINE_CHARS = 40


class _Published:
    """Display object with a dcplan MIME bundle and an HTML table."""

    def __init__(self, records: list[dict]):
        self.records = records

    def _repr_mimebundle_(self, include=None, exclude=None):
        # the label read left to right (Jupyter's and the report's table style right-aligns every cell), and a
        # number with its unit kept on one line (a text figure wraps)
        def value_cell(r) -> str:
            text = format_value(r['value'], r['unit'], r['key'])
            keep = " white-space: nowrap;" if len(text) <= _ONE_LINE_CHARS else ""
            return (f"<td style='text-align: right;{keep}' class='dcplan-value' data-key='{html.escape(r['key'])}'>"
                    f"{html.escape(text)}</td>")
        rows = "".join(f"<tr><td style='text-align: left'>{html.escape(r['label'])}</td>{value_cell(r)}</tr>"
                       for r in self.records)
        plain = "\n".join(f"{r['label']}: {format_value(r['value'], r['unit'], r['key'])}"
                          for r in self.records)
        return {
            MIME: {"records": self.records},
            "text/html": f"<table class='dcplan-results'>{rows}</table>",
            "text/plain": plain,
        }


def publish(key: str | dict, value: Any = None, *, unit: str | None = None,
            label: str | None = None, headline: bool = False, summary: bool = False, show: bool = True):
    """Publish figure(s) from a notebook.

    Parameters
    ----------
    key : str or dict
        Result key (``annual_pue``: letters, digits, ``_``, ``.``, ``-``), or a dict
        ``{key: (value, unit, label)}`` / ``{key: value}`` to publish several at once as one
        table. A key is published once per run (``dcplan render`` fails a run that publishes
        one again, :func:`published_twice`).
    value : number, str, bool, list or dict
        The figure. A NaN or infinite number is refused: a figure that does not exist is
        published as text saying why (``"n/a: <why>"``) without a unit (:func:`record`).
    unit : str, optional
        Unit shown after the number (``kWh``, ``USD``, ``h``); numbers only, and none that
        contradicts the unit the key's suffix names (``_kw``: ``kW``).
    label : str, optional
        Human-readable label (defaults to the key).
    headline : bool
        Listed on the report index page.
    summary : bool
        A headline (implies ``headline``) that ``dcplan render``'s terminal summary shows right after the
        run's first headline, before its other headlines (the summary shows at most
        :data:`dcplan.report_summary.MAX_HEADLINES`; the index lists every headline in publish order): for a
        figure a reviewer reading the log must see that is published after others (the TCO's Monte Carlo
        median NPV and P(NPV < 0), published after the deterministic NPVs).
    show : bool
        Display the table in the notebook (default). The MIME bundle is
        always emitted; ``show=False`` is for tests outside a kernel.

    Returns
    -------
    list of dict or None
        With ``show=False``, the records (for tests and programmatic use);
        with ``show=True`` nothing, so a notebook cell ending in ``publish(...)``
        shows the table only, not the records' repr as well.
    """
    if isinstance(key, dict):
        recs = []
        for k, spec in key.items():
            if isinstance(spec, tuple):
                v, u, lab = (list(spec) + [None, None])[:3]
                recs.append(record(k, v, unit=u, label=lab, headline=headline, summary=summary, stacklevel=3))
            else:
                recs.append(record(k, spec, headline=headline, summary=summary, stacklevel=3))
    else:
        recs = [record(key, value, unit=unit, label=label, headline=headline, summary=summary, stacklevel=3)]
    if show:
        try:
            from IPython.display import display
            display(_Published(recs))
        except ImportError:  # pragma: no cover - IPython ships with ipykernel
            pass
        return None
    return recs


def _records(nb):
    """``(cell index, record)`` of every published record of an executed notebook, in order."""
    for i, cell in enumerate(nb["cells"]):
        if cell.get("cell_type") != "code":
            continue
        for o in cell.get("outputs", []):
            data = o.get("data") or {}
            payload = data.get(MIME)
            if payload is None:
                continue
            if isinstance(payload, str):
                payload = json.loads(payload)
            for r in payload.get("records", []):
                yield i, r


def collect(nb) -> dict[str, dict]:
    """Read every published record out of an executed notebook (nbformat node or dict).

    A key published twice is refused by ``dcplan render`` (:func:`published_twice`); here
    the later record replaces the earlier one.
    """
    return {r["key"]: r for _, r in _records(nb)}


def published_twice(nb) -> tuple[int, str] | None:
    """The first key an executed notebook published twice: ``(index of the cell that published
    it again, message naming the key and both figures)``, or None. The report would show both
    figures and results.json (and the index) keep only the later one, its headline flag included."""
    first: dict[str, dict] = {}
    for i, r in _records(nb):
        k = r.get("key")
        if k not in first:
            first[k] = r
            continue
        a = first[k]

        def shown(x: dict) -> str:
            head = ", a headline" if x.get("headline") else ""
            return f"{format_value(x.get('value'), x.get('unit'))} ({x.get('label')!r}{head})"
        return i, (f"publish({k!r}): the key was already published in this run: {shown(a)}, then {shown(r)}; "
                   "a key is published once per run (the report would show both, results.json keep only the "
                   "last): publish the second figure under its own key")
    return None


# ---------------------------------------------------------------------------
# warnings as caveats

#: MIME type of a warning shown as a caveat (:func:`show_warnings_as_caveats`)
WARNING_MIME = "application/vnd.dcplan.warning+json"


class _Caveat:
    """Display object of one :class:`~dcplan.errors.DcplanWarning`: "Warning: <message>", with
    no source file, line number or line of dcplan's code (Python's own format)."""

    def __init__(self, message: str, category: str):
        self.message, self.category = message, category

    def _repr_mimebundle_(self, include=None, exclude=None):
        return {
            WARNING_MIME: {"message": self.message, "category": self.category},
            "text/html": ("<div class='dcplan-warning' style='border-left: 4px solid #c77700; "
                          "background: #fff8e6; padding: 6px 10px; margin: 4px 0'>"
                          f"<strong>Warning:</strong> {html.escape(self.message)}</div>"),
            "text/plain": f"Warning: {self.message}",
        }


def show_warnings_as_caveats() -> None:
    """Show every :class:`~dcplan.errors.DcplanWarning` a notebook issues as a formatted caveat
    ("Warning: <message>", one display output of the cell that issued it, carrying
    :data:`WARNING_MIME` so :func:`collect_warnings` finds it), not as Python's
    ``/path/to/dcplan/x.py:401: DcplanWarning: ...`` and a line of dcplan's source on stderr.
    Other warnings show on stderr as ``UserWarning: <message>``, without the source path (the
    kernel's temporary file of a notebook cell, a library's file), line number and line of code;
    warnings written to a file are shown as before. Idempotent.
    ``dcplan render`` loads it in every kernel (as an IPython extension); in Jupyter,
    ``%load_ext dcplan.results`` does the same."""
    import warnings

    from .errors import DcplanWarning
    before = warnings.showwarning
    if getattr(before, "_dcplan_caveats", False):
        return

    def show(message, category, filename, lineno, file=None, line=None):
        if file is None and isinstance(category, type) and issubclass(category, DcplanWarning):
            try:
                from IPython.display import display
                display(_Caveat(str(message), category.__name__))
                return
            except ImportError:  # pragma: no cover - IPython ships with ipykernel
                pass
        if file is None and sys.stderr is not None:
            name = category.__name__ if isinstance(category, type) else "Warning"
            try:
                sys.stderr.write(f"{name}: {message}\n")
                return
            except (OSError, ValueError):  # a closed stream: as Python would
                pass
        before(message, category, filename, lineno, file, line)

    show._dcplan_caveats = True
    warnings.showwarning = show


def load_ipython_extension(ipython) -> None:  # noqa: ARG001 - IPython's extension hook
    """``%load_ext dcplan.results``: :func:`show_warnings_as_caveats`."""
    show_warnings_as_caveats()


def collect_warnings(nb) -> list[str]:
    """The messages of the warnings an executed notebook showed as caveats
    (:func:`show_warnings_as_caveats`), in the order shown, each once."""
    seen: dict[str, None] = {}
    for cell in nb["cells"]:
        if cell.get("cell_type") != "code":
            continue
        for o in cell.get("outputs", []):
            payload = (o.get("data") or {}).get(WARNING_MIME)
            if isinstance(payload, str):
                payload = json.loads(payload)
            if isinstance(payload, dict) and isinstance(payload.get("message"), str):
                seen.setdefault(payload["message"], None)
    return list(seen)
