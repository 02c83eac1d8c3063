"""The ``portfolio_comparison`` notebook's charts, readable at 20 sites and more.

At 22 sites the weighted-score chart (640 x 320 px) cut its title and showed two ticks on its
x axis, and the cost-vs-power chart's legend covered the plot and repeated colours (8 colours
for 22 sites). Here a chart's height grows with the number of sites, titles are wrapped to the
figure's width, long site names are shortened with the site id kept (``tick_label``), and each
site of the scatter gets its own colour and marker (:func:`site_style`: 8 colours x 10 markers,
80 sites before one repeats), with the legend outside the plot.
"""
from __future__ import annotations

import textwrap
from typing import Mapping

import pandas as pd

from . import plotting

__all__ = ["MARKERS", "site_style", "tick_label", "score_bars", "cost_vs_power"]

#: Markers of the sites in a scatter, after the colours (:data:`dcplan.plotting.SITE_CYCLE`) run out.
MARKERS = ("o", "s", "^", "D", "v", "P", "X", "*", "<", ">")

_WIDTH_IN = 10.0  # figure width [in]: 800 px at the style's 80 dpi
_CHARS_PER_LINE = 100  # of a 12 pt title across 800 px


def site_style(i: int) -> tuple[str, str]:
    """(colour, marker) of the ``i``-th site: no pair repeats within 80 sites.

    >>> site_style(0), site_style(8), site_style(9)
    (('#0072B2', 'o'), ('#0072B2', 's'), ('#D55E00', 's'))
    """
    n = len(plotting.SITE_CYCLE)  # the colour: plotting.site_colors' for the i-th site of the portfolio
    return plotting.SITE_CYCLE[i % n], MARKERS[(i // n) % len(MARKERS)]


def tick_label(label: str, site_id: str, width: int = 55) -> str:
    """``label`` when at most ``width`` characters, else its start cut with "..." and the site id
    kept, so two long names that differ only at their end stay apart.

    >>> tick_label("Northern Virginia (Ashburn), VA - H100 air hall, parcel B", "ashburn-b", 30)
    'Northern... [ashburn-b]'
    >>> tick_label("Northern Virginia (Ashburn), VA - H100 air hall, second campus, parcel C", "ashburn-h100-air-2")
    'Northern Virginia (Ashburn), VA... [ashburn-h100-air-2]'
    """
    if len(label) <= width:
        return label
    base = label[:-len(f" [{site_id}]")] if label.endswith(f" [{site_id}]") else label
    keep = max(width - len(site_id) - 6, 8)
    cut = base[:keep]
    if base[keep:keep + 1] not in ("", " ") and cut.rfind(" ") >= keep // 2:  # not in the middle of a word
        cut = cut[:cut.rfind(" ")]
    return f"{cut.rstrip(' ,-(')}... [{site_id}]"


def _title(fig, text: str) -> None:
    fig.suptitle("\n".join(textwrap.fill(line, _CHARS_PER_LINE) for line in text.split("\n")))


def score_bars(order: pd.Series, labels: Mapping[str, str], worst: float, title: str, xlabel: str,
               short: Mapping | None = None, ranks: Mapping | None = None):
    """Horizontal bars of the scores ``order`` (site id -> score, lowest first), one per site,
    labelled with :func:`tick_label` of ``labels``; a site of ``short`` (plant short of its IT
    load) is hatched in the limit colour; each bar carries its score and rank (``ranks``: "=2"
    for a tie). Height grows with the number of sites. Returns the figure."""
    import matplotlib.pyplot as plt
    from matplotlib.patches import Patch
    short = {} if short is None else short
    ranks = {} if ranks is None else dict(ranks)
    n = len(order)
    fig, ax = plt.subplots(figsize=(_WIDTH_IN, max(3.0, 0.3 * n + 1.8)))
    ids = list(order.index)
    bars = ax.barh(range(n), order.to_numpy(), color=[plotting.COLORS["limit"] if s in short
                                                      else plotting.COLORS["it"] for s in ids])
    for b, s in zip(bars, ids):
        if s in short:
            b.set_hatch("//")
    ax.set_yticks(range(n), [tick_label(labels[s], s) for s in ids])
    ax.invert_yaxis()
    top = max(float(worst), float(order.max()) if n else 0.0) or 1.0
    ax.set_xlim(0, top * 1.18)
    for k, s in enumerate(ids):
        ax.text(float(order[s]) + top * 0.01, k, f"{order[s]:.3f}" + (f" ({ranks[s]})" if s in ranks else ""),
                va="center", fontsize=8)
    _title(fig, title)
    ax.set_xlabel(xlabel)
    if short:
        ax.legend(handles=[Patch(facecolor=plotting.COLORS["limit"], hatch="//",
                                 label="plant short of its IT load in some hours: not eligible for best")],
                  loc="lower right")
    return fig


def cost_vs_power(both: pd.DataFrame, cost_col: str, cost_unit: str, labels: Mapping[str, str], title: str,
                  order=None):
    """Each site of ``both`` (rows with a cost and a median first-energization date) at its median
    date and cost, with a bar from its 10th to its 90th percentile date; one colour-and-marker
    pair per site (:func:`site_style` of its place in ``order``, the portfolio's site ids, default
    ``both``'s: its colour is :func:`dcplan.plotting.site_colors`'s, as in ``portfolio_sweep``), the
    legend outside the plot (two columns beyond 25 sites). Returns the figure."""
    import matplotlib.pyplot as plt
    place = {sid: i for i, sid in enumerate(dict.fromkeys([*(order or []), *both.index]))}
    n = len(both)
    ncol = 1 if n <= 25 else 2
    rows = -(-n // ncol)
    fig, ax = plt.subplots(figsize=(_WIDTH_IN + 4.5 * (ncol - 1), max(4.0, 0.2 * rows + 1.5)))
    colors = plotting.site_colors(place)  # one colour per site across both portfolio notebooks
    for sid in both.index:
        row = both.loc[sid]
        color, marker = colors[sid], site_style(place[sid])[1]
        ax.errorbar(row["first_energized_p50"], row[cost_col],
                    xerr=[[row["first_energized_p50"] - row["first_energized_p10"]],
                          [row["first_energized_p90"] - row["first_energized_p50"]]],
                    color=color, alpha=0.5, fmt="none")
        ax.scatter(row["first_energized_p50"], row[cost_col], s=60, color=color, marker=marker,
                   label=tick_label(labels[sid], sid), zorder=3)
    _title(fig, title)
    ax.set_xlabel("first power for new capacity, median [date]")
    ax.set_ylabel(f"electricity [{cost_unit}]")
    plotting.fit_axis_label(ax)  # "[USD per million tokens at 2027-06-01 prices]" on one line ran past the top
    plotting.legend_outside(ax, ncol=ncol, fontsize=8)
    fig.autofmt_xdate()
    return fig
