"""One plotting style for every dcplan notebook: labelled axes, units, fixed colours.

Figures are rendered at a modest resolution so executed notebooks stay small.
"""
from __future__ import annotations

import matplotlib as mpl

#: Colours by role, shared across notebooks (colour-blind-safe Okabe-Ito palette, with three additions where its
#: eight colours ran out: ``solar_line``, ``price`` and ``input_high``, each a darker colour of its own).
#:
#: PV has two: ``solar``, Okabe-Ito's yellow, for filled areas and bars only (as a line it has a contrast of
#: 1.2:1 on white and was all but invisible: site_analysis's average day, interconnection's monthly peaks), and
#: ``solar_line``, a dark gold of the same hue, for PV lines and the edges of PV fills (3.4:1 on white, the 3:1
#: WCAG 2.1 asks of graphical objects). ``price``: a wine red (Paul Tol's colour-blind-safe "muted" set), so an
#: energy price is not the vermilion of the cap drawn beside it (off-peak's load chart told them apart by dash
#: only); ``residual`` is the residual value of the assets in the TCO charts. ``input_low`` / ``input_high``: a
#: tornado's bars, the metric at each input's low / high end: Okabe-Ito's blue and a darker orange of its orange's
#: hue (the colour-blind-safe pair for two sides; Okabe-Ito's own orange has 2.3:1 on white, this one 3.5:1, the
#: 3:1 WCAG 2.1 asks of graphical objects). The high end was drawn in ``price``'s wine red, a price where none is.
#: A figure of one strategy takes its ``STRATEGY_COLORS`` colour (off-peak's savings against the price spread
#: were a ``price`` line: a saving, not a price).
COLORS = {
    "it": "#0072B2",        # IT load
    "cooling": "#56B4E9",   # cooling power
    "facility": "#000000",  # facility total
    "grid": "#E69F00",      # grid import
    "solar": "#F0E442",     # PV: filled areas and bars only
    "solar_line": "#A68A00",  # PV: lines, and the edge of a PV fill
    "battery": "#009E73",   # storage
    "price": "#882255",     # energy prices
    "temp": "#CC79A7",      # temperatures
    "wetbulb": "#009E73",
    "limit": "#D55E00",     # caps, limits
    "residual": "#D55E00",  # residual value of the assets (TCO), subtracted from the cost
    "input_low": "#0072B2",   # tornado: the metric at an input's low end
    "input_high": "#C17A00",  # tornado: the metric at an input's high end (Okabe-Ito's orange, darker)
    "baseline": "#999999",
}

#: The off-peak scheduling strategies, by the words the notebook's prose uses, and their colours in every
#: chart that compares them (run-ASAP was black in the week's load chart, grey in the year's monthly bills).
STRATEGY_NAMES = {"optimized": "optimized", "asap": "run-ASAP", "greedy": "greedy"}
STRATEGY_COLORS = {"optimized": COLORS["it"], "asap": COLORS["facility"], "greedy": "#D55E00"}

#: Site colours in portfolio charts, in portfolio order (:func:`site_colors`).
SITE_CYCLE = ["#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#F0E442", "#000000"]


def site_colors(site_ids) -> dict[str, str]:
    """Site id -> its colour in portfolio charts: the ``i``-th site of the portfolio's order (``site_ids``,
    every site of the portfolio file) takes ``SITE_CYCLE[i % 8]``, so a site has one colour in every chart of
    ``portfolio_comparison`` and ``portfolio_sweep``, whichever sites a chart leaves out (a site without a
    cost, a liquid-only fleet's cases run second).

    >>> site_colors(["phoenix-az", "chicago-il"])["chicago-il"] == SITE_CYCLE[1]
    True
    """
    return {sid: SITE_CYCLE[i % len(SITE_CYCLE)] for i, sid in enumerate(dict.fromkeys(site_ids))}

STYLE = {
    "figure.figsize": (8.0, 4.0),
    "figure.dpi": 80,
    "savefig.dpi": 80,
    "figure.autolayout": True,
    "axes.grid": True,
    "grid.alpha": 0.3,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "axes.titlesize": 12,
    "axes.labelsize": 10,
    "legend.fontsize": 9,
    "legend.frameon": False,
    "axes.prop_cycle": mpl.cycler(color=SITE_CYCLE),
    # text is text: a site name or label with dollar figures ("Phoenix $50M to $80M capex") was read as
    # mathtext, its dollar signs dropped and the middle set in math italics; no dcplan chart uses mathtext
    "text.parse_math": False,
}


def use_style() -> None:
    """Apply the dcplan plotting style to matplotlib (call once per notebook). In IPython, each
    inline figure's PNG also carries a text description (:func:`figure_alt`) as its ``alt``
    metadata, which the HTML reports show as the image's alternative text. A tz-aware pandas time axis is
    converted to matplotlib's dates in one step (:mod:`dcplan.plotting_dates`: the same numbers, faster)."""
    mpl.rcParams.update(STYLE)
    from .plotting_dates import register  # tz-aware pandas times converted in one step: the same numbers
    register()
    try:  # inline figures as compact PNGs, drawn once: autolayout already fits every label
        from matplotlib_inline.backend_inline import set_matplotlib_formats  # in the figure, so the
        set_matplotlib_formats("png", bbox_inches=None)  # default tight crop's extra draw is not needed
        _describe_pngs()
    except Exception:  # pragma: no cover - outside IPython
        pass


def figure_alt(fig) -> str:
    """A figure in words, for a screen reader or a reader of the HTML without images: its title
    and each axes' title and axis labels (``Figure: <suptitle>. <title> (x: <label>; y:
    <label>)``). Empty when the figure has no text at all."""
    parts = []
    sup = getattr(fig, "_suptitle", None)
    if sup is not None and sup.get_text().strip():
        parts.append(sup.get_text().strip())
    for ax in fig.get_axes():
        title = " ".join(t.get_text().strip() for t in (ax.title, ax._left_title, ax._right_title)
                         if t.get_text().strip())
        axes = "; ".join(f"{k}: {v}" for k, v in (("x", ax.get_xlabel().strip()), ("y", ax.get_ylabel().strip()))
                         if v)
        if title or axes:
            parts.append(title + (f" ({axes})" if axes else ""))
    text = ". ".join(" ".join(p.split()) for p in parts if p)
    return f"Figure: {text}" if text else ""


def _describe_pngs() -> None:
    """Have IPython's PNG formatter for matplotlib figures return ``(png, {"alt": text})``."""
    from IPython import get_ipython
    from matplotlib.figure import Figure
    ip = get_ipython()
    if ip is None:
        return
    fmt = ip.display_formatter.formatters["image/png"]
    png = fmt.lookup_by_type(Figure)
    if getattr(png, "_dcplan_alt", False):  # already wrapped (use_style called twice)
        return

    def with_alt(fig):
        data = _png_drawn_once(fig, png)
        alt = figure_alt(fig)
        return (data, {"alt": alt}) if data is not None and alt else data
    with_alt._dcplan_alt = True
    fmt.for_type(Figure, with_alt)


#: The inline PNG formatter :func:`use_style` sets (``IPython.core.pylabtools.print_figure``'s keywords), the one
#: :func:`_png_drawn_once` stands in for; any other (formats set again by hand) is left to IPython.
_INLINE_PNG = {"fmt": "png", "base64": True, "bbox_inches": None}


def _png_drawn_once(fig, png):
    """The inline PNG of ``fig`` (base64 text, as ``png``, IPython's formatter, returns it), drawn once.

    ``png`` (``print_figure`` -> ``Figure.savefig``'s path) draws a figure with a layout engine twice: a draw
    with rendering switched off, to run the layout (the style's ``figure.autolayout``: tight), then the draw
    that renders, with the layout engine off. Drawing once with the engine on runs the same layout
    (``Figure.draw`` executes it first, with the same Agg renderer at the same dpi) and renders once: the same
    bytes (every figure of the example's reports compared equal), for a fifth less of each figure's time.
    Anything else (another formatter, canvas or layout engine, a figure with no axes) goes to ``png``.
    """
    import binascii
    import io

    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.layout_engine import TightLayoutEngine
    canvas = fig.canvas
    if (getattr(png, "keywords", None) != _INLINE_PNG or not isinstance(canvas, FigureCanvasAgg)
            or not isinstance(fig.get_layout_engine(), (TightLayoutEngine, type(None))) or not fig.axes
            or getattr(canvas, "_is_saving", None) is not False or canvas.device_pixel_ratio != 1):
        return png(fig)
    buf = io.BytesIO()
    canvas._is_saving = True  # as savefig: animated artists are drawn too
    try:
        canvas.print_png(buf)  # at fig.dpi, facecolor and edgecolor: the ones print_figure passes
    finally:
        canvas._is_saving = False
    return binascii.b2a_base64(buf.getvalue(), newline=False).decode("ascii")


def label(ax, title: str, xlabel: str, ylabel: str, legend: bool = False):
    """Set title and unit-bearing axis labels on ``ax``."""
    ax.set_title(title)
    ax.set_xlabel(xlabel)
    ax.set_ylabel(ylabel)
    if legend:
        ax.legend()
    return ax


def legend_outside(ax, **kwargs):
    """The legend of ``ax`` to the right of its plot area, where it hides no bar or line (a legend
    inside sat over the monthly bill chart's summer bars)."""
    return ax.legend(loc="upper left", bbox_to_anchor=(1.01, 1.0), borderaxespad=0.0, **kwargs)


#: Height below which a bar segment is not seen in a rendered figure [px] (a figure at 80 dpi:
#: STYLE's ``figure.dpi``; a 1-px segment is lost to antialiasing in some bars and not others).
MIN_VISIBLE_PX = 2.0


def thin_layers(frame, ax, min_px: float = MIN_VISIBLE_PX) -> list:
    """Columns of ``frame`` (the values of a stacked bar chart drawn on ``ax``, one column a layer)
    whose tallest segment is under ``min_px`` pixels high at the axes' scale (its height in pixels
    over the y-axis span): too thin to see in every bar, so the caption must give its figure.
    Columns that are 0 throughout are not drawn layers and are left out."""
    lo, hi = ax.get_ylim()
    if hi <= lo:
        return []
    px_per_unit = ax.get_window_extent().height / (hi - lo)
    tallest = frame.abs().max()
    return [c for c in frame.columns if 0 < tallest[c] * px_per_unit < min_px]


def include_zero(ax) -> None:
    """Extend the y axis of ``ax`` to take in 0, so a chart of savings or peaks is read from zero.

    A line whose points differ by a few per cent drawn on an axis cut to their own range reads as a
    strong effect (the off-peak report's saving from 22.06 to 22.56 k$ over the whole range of price
    spreads filled the chart's height); from 0 its slope is the share it is. Call after plotting."""
    lo, hi = ax.get_ylim()
    ax.set_ylim(min(lo, 0.0), max(hi, 0.0))


#: Width of an average character of the style's sans-serif font, as a share of its size in points
#: (DejaVu Sans: about 0.55 for lower-case text with digits; 0.6 leaves a margin).
_CHAR_EM = 0.6


def fit_axis_label(ax, axis: str = "y", share: float = 0.9) -> str:
    """Wrap the ``axis`` ("x" or "y") label of ``ax`` onto as many lines as it needs to fit within
    ``share`` of the axis's length, at whole words; returns the label as set.

    A long y label on a 4-inch-high figure ran past the figure's top edge and was cut (the portfolio
    charts' "electricity cost at 2027-06-01 prices [USD per IT MWh]"). The length is the axes' as laid
    out now (``ax.get_position()`` x the figure's size); a character is taken as ``_CHAR_EM`` x the
    label's font size wide."""
    import textwrap
    text = (ax.get_ylabel() if axis == "y" else ax.get_xlabel()).replace("\n", " ")
    lbl = ax.yaxis.label if axis == "y" else ax.xaxis.label
    pos = ax.get_position()
    w_in, h_in = ax.figure.get_size_inches()
    length_pt = (pos.height * h_in if axis == "y" else pos.width * w_in) * 72.0 * share
    width = max(int(length_pt / (_CHAR_EM * lbl.get_fontsize())), 10)
    wrapped = textwrap.fill(text, width, break_on_hyphens=False)
    (ax.set_ylabel if axis == "y" else ax.set_xlabel)(wrapped)
    return wrapped


#: Markers, line styles and marker sizes of series that may coincide (:func:`overlap_styles`).
_OVERLAP_MARKERS = ("o", "s", "^", "D", "v", "P", "X", "<")
_OVERLAP_DASHES = ("-", "--", "-.", ":", (0, (5, 1, 1, 1)), (0, (3, 1)), "-", "--")


def overlap_styles(n: int) -> list[dict]:
    """Line keyword arguments for ``n`` series of one chart that may lie on top of each other (a
    sweep's cases that give the same result): each its own marker and dash, the markers smaller from
    the first series to the last, so a later series drawn over an earlier one leaves the earlier's
    marker showing around its own. Two margins of the cooling-lag sweep with equal results showed
    as one line, the legend naming five series over three visible ones."""
    sizes = [9.0 - 5.0 * i / max(n - 1, 1) for i in range(n)]
    return [{"marker": _OVERLAP_MARKERS[i % len(_OVERLAP_MARKERS)], "ls": _OVERLAP_DASHES[i % len(_OVERLAP_DASHES)],
             "ms": round(sizes[i], 2), "zorder": 2 + i} for i in range(n)]
