"""One plotting style for every dcplan notebook: labelled axes, units, fixed colours.

Figures are rendered at a modest resolution so executed notebooks stay small.
"""
from __future__ import annotations

import matplotlib as mpl

#: Colours by role, shared across notebooks (colour-blind-safe Okabe-Ito palette).
COLORS = {
    "it": "#0072B2",        # IT load
    "cooling": "#56B4E9",   # cooling power
    "facility": "#000000",  # facility total
    "grid": "#E69F00",      # grid import
    "solar": "#F0E442",     # PV
    "battery": "#009E73",   # storage
    "price": "#D55E00",     # prices / cost
    "temp": "#CC79A7",      # temperatures
    "wetbulb": "#009E73",
    "limit": "#D55E00",     # caps, limits
    "baseline": "#999999",
}

#: Site colours in portfolio charts, in portfolio order.
SITE_CYCLE = ["#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#F0E442", "#000000"]

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
}


def use_style() -> None:
    """Apply the dcplan plotting style to matplotlib (call once per notebook)."""
    mpl.rcParams.update(STYLE)
    try:  # inline figures as compact PNGs, drawn once: autolayout already fits every label
        from matplotlib_inline.backend_inline import set_matplotlib_formats  # in the figure, so the
        set_matplotlib_formats("png", bbox_inches=None)  # default tight crop's extra draw is not needed
    except Exception:  # pragma: no cover - outside IPython
        pass


def label(ax, title: str, xlabel: str, ylabel: str, legend: bool = False):
    """Set title and unit-bearing axis labels on ``ax``."""
    ax.set_title(title)
    ax.set_xlabel(xlabel)
    ax.set_ylabel(ylabel)
    if legend:
        ax.legend()
    return ax
