"""dcplan.plotting's helpers for readable charts, and the report charts that use them (a figure
audit of the rendered reports): a savings line cut to its own 2 % range, y labels cut off at the
figure's top, sweep series hidden under each other, date ticks that read "15 00:10", legends over
bars, and a daily-profile axis naming daylight saving at a site that keeps none."""
from __future__ import annotations

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import pandas as pd  # noqa: E402
import pytest  # noqa: E402

from dcplan import plotting  # noqa: E402


def _inside(inner, outer, tol_px: float = 1.0) -> bool:
    return (inner.x0 >= outer.x0 - tol_px and inner.x1 <= outer.x1 + tol_px
            and inner.y0 >= outer.y0 - tol_px and inner.y1 <= outer.y1 + tol_px)


def test_include_zero_reads_a_small_change_from_zero():
    """The off-peak report's saving vs price spread, 22.06 to 22.56 k$ (its Phoenix week), filled the
    chart's height: from zero the line rises 2.3 % of its height."""
    plotting.use_style()
    fig, ax = plt.subplots()
    ax.plot([0, 0.5, 1, 2], [22.06, 22.19, 22.31, 22.56])
    plotting.include_zero(ax)
    lo, hi = ax.get_ylim()
    assert lo == 0.0 and hi >= 22.56
    assert (22.56 - 22.06) / (hi - lo) < 0.025  # the rise, as a share of the axis: 0.5 / ~22.6
    fig2, ax2 = plt.subplots()
    ax2.plot([0, 1], [-3.0, -1.0])  # all negative: 0 is taken in at the top
    plotting.include_zero(ax2)
    assert ax2.get_ylim()[1] == 0.0 and ax2.get_ylim()[0] <= -3.0
    plt.close("all")


def test_a_long_y_label_is_wrapped_to_fit_inside_the_figure():
    """portfolio_sweep's "electricity cost at 2027-06-01 prices [USD per IT MWh]" on a 4-inch-high
    figure ran past its top edge (the report showed "...[USD per IT MW")."""
    plotting.use_style()
    fig, ax = plt.subplots()
    ax.plot([0, 1], [90, 110])
    text = "electricity cost at 2027-06-01 prices [USD per IT MWh]"
    ax.set_ylabel(text)
    fig.canvas.draw()
    assert not _inside(ax.yaxis.label.get_window_extent(), fig.bbox)  # the old chart: cut
    wrapped = plotting.fit_axis_label(ax)
    assert wrapped.replace("\n", " ") == text and "\n" in wrapped  # the same words, on two lines
    fig.canvas.draw()
    assert _inside(ax.yaxis.label.get_window_extent(), fig.bbox)
    ax.set_xlabel("month")
    assert plotting.fit_axis_label(ax, "x") == "month"  # a short label is left on one line
    plt.close("all")


def test_cost_vs_power_y_label_is_inside_the_figure():
    """portfolio_comparison's cost-vs-power chart: "electricity [USD per million tokens at 2027-06-01
    prices]" lost its end at the figure's top."""
    from dcplan import portfolio_plots
    plotting.use_style()
    t = pd.DataFrame({"usd_per_m_tokens": [0.0217, 0.0043],
                      "first_energized_p10": pd.to_datetime(["2027-08-01", "2027-08-01"]),
                      "first_energized_p50": pd.to_datetime(["2028-03-01", "2028-09-01"]),
                      "first_energized_p90": pd.to_datetime(["2029-08-01", "2031-05-01"])},
                     index=["phoenix-az", "northern-virginia"])
    fig = portfolio_plots.cost_vs_power(t, "usd_per_m_tokens", "USD per million tokens at 2027-06-01 prices",
                                        {s: s for s in t.index}, "Electricity cost vs when power arrives")
    try:
        fig.canvas.draw()
        ax = fig.axes[0]
        assert "\n" in ax.get_ylabel()
        assert _inside(ax.yaxis.label.get_window_extent(), fig.bbox)
    finally:
        plt.close(fig)


def test_overlap_styles_leave_a_hidden_series_visible():
    """cooling_lag's sweep: margins +10 % and +20 % gave the same throttling, and the +10 % line (the
    plant's default margin) was drawn under the +20 % one, same marker, same width: not seen."""
    styles = plotting.overlap_styles(5)
    assert len({s["marker"] for s in styles}) == 5 and len({str(s["ls"]) for s in styles}) == 5
    sizes = [s["ms"] for s in styles]
    assert sizes == sorted(sizes, reverse=True) and sizes[0] == 9.0 and sizes[-1] == 4.0
    assert [s["zorder"] for s in styles] == sorted(s["zorder"] for s in styles)  # later (smaller) on top
    plotting.use_style()
    fig, ax = plt.subplots()
    lines = [ax.plot([0, 1], [5, 5], **s)[0] for s in styles[3:]]  # two equal series
    assert lines[0].get_markersize() > lines[1].get_markersize() and lines[0].get_zorder() < lines[1].get_zorder()
    plt.close("all")


@pytest.mark.slow
def test_cooling_lag_charts_read_clock_times_and_show_every_margin(monkeypatch):
    """The coolant chart's ticks read "15 00:10" (day of month, then time): now "00:10", the date in
    the axis label; the sweep's five margins each have their own marker."""
    from conftest import run_cells_until
    ns, shown = run_cells_until("cooling_lag", "sweep_lag(it, lags, margins", monkeypatch, site="phoenix-az")
    # every chart names its site (a chart pasted into a deck lost where it was from), in a title or the suptitle
    assert len(shown) == 4 and all(_names_site(f, "Phoenix, AZ") for f in shown), [_titles(f) for f in shown]
    assert shown[0].axes[0].get_xlabel() == "hour ending (local standard time) [h]"  # the design day: a unit
    coolant = next(f for f in shown if "coolant temperature" in f.axes[0].get_title())
    ax = coolant.axes[1]
    coolant.canvas.draw()
    ticks = [t.get_text() for t in ax.get_xticklabels() if t.get_text()]
    assert ticks and all(len(t) == 5 and t[2] == ":" for t in ticks), ticks  # "00:10", not "15 00:10"
    assert ax.get_xlabel() == f"time on {ns['it'].index[0]:%Y-%m-%d} (UTC) [hh:mm]"
    sweep = shown[-1]
    for a in sweep.axes:
        lines = [ln for ln in a.get_lines() if ln.get_label().startswith("margin")]
        assert len(lines) == 5 and len({ln.get_marker() for ln in lines}) == 5
    plt.close("all")


def _titles(fig) -> list[str]:
    sup = getattr(fig, "_suptitle", None)
    return ([sup.get_text()] if sup is not None else []) + [a.get_title() for a in fig.axes]


def _names_site(fig, name: str) -> bool:
    """The figure's suptitle or an axes title starts with the site's name (``spec.name: ...``)."""
    return any(t.startswith(f"{name}: ") for t in _titles(fig))


def test_rack_power_daily_profile_axis_fits_and_names_no_daylight_saving(monkeypatch):
    """At Phoenix (America/Phoenix keeps no daylight saving) the axis said "with daylight saving", and
    its end ("[h]") was cut at the figure's right edge."""
    from conftest import run_cells_until
    _, shown = run_cells_until("rack_power", "Average daily profile", monkeypatch, site="phoenix-az")
    fig = shown[-1]
    ax = fig.axes[1]
    fig.canvas.draw()
    assert "daylight saving" not in ax.get_xlabel() and ax.get_xlabel().endswith("[h]")
    assert _inside(ax.xaxis.label.get_window_extent(), fig.bbox)
    plt.close("all")


def _contrast_on_white(hex_color: str) -> float:
    """WCAG 2.1 contrast ratio of ``hex_color`` against white: (1.05) / (L + 0.05), L the relative luminance."""
    rgb = [int(hex_color[i:i + 2], 16) / 255 for i in (1, 3, 5)]
    lin = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in rgb]
    lum = 0.2126 * lin[0] + 0.7152 * lin[1] + 0.0722 * lin[2]
    return 1.05 / (lum + 0.05)


def test_pv_lines_read_on_white_and_price_is_not_the_cap_colour():
    """PV lines in Okabe-Ito's yellow were all but invisible (WCAG contrast 1.2:1 on white); the energy
    price and the site cap were both vermilion, told apart by dash only."""
    c = plotting.COLORS
    assert _contrast_on_white(c["solar"]) < 1.5  # the yellow: kept for fills only
    assert _contrast_on_white(c["solar_line"]) >= 3.0  # WCAG 2.1 SC 1.4.11, graphical objects: 3:1
    assert c["price"] not in (c["limit"], c["grid"], c["temp"], c["it"], c["facility"])
    # one colour per off-peak strategy, the words the prose uses
    assert plotting.STRATEGY_NAMES == {"optimized": "optimized", "asap": "run-ASAP", "greedy": "greedy"}
    assert len(set(plotting.STRATEGY_COLORS.values())) == 3 and plotting.STRATEGY_COLORS["asap"] == c["facility"]


def test_the_tornado_sides_have_colours_of_their_own_apart_from_price():
    """The tornado's input-high bars were COLORS["price"] (an energy price's wine red, in a chart with no price).
    Its two sides: two colours, neither the price's, each with the 3:1 contrast on white WCAG 2.1 SC 1.4.11 asks
    of graphical objects (Okabe-Ito's orange itself has 2.3:1)."""
    c = plotting.COLORS
    assert c["input_low"] != c["input_high"] and c["price"] not in (c["input_low"], c["input_high"])
    assert min(_contrast_on_white(c["input_low"]), _contrast_on_white(c["input_high"])) >= 3.0


def test_every_cost_line_of_the_waterfall_has_a_readable_name():
    """tco's waterfall ticks were raw keys (capex_it, opex_maintenance_it)."""
    from dcplan.tco_cashflows import LINES
    from dcplan.tco_labels import LINE_LABELS, line_label
    costs = [k for k, (_, cat) in LINES.items() if cat is not None] + ["residual_value_usd"]
    assert sorted(LINE_LABELS) == sorted(costs)
    assert all("_" not in line_label(k) for k in costs)
    assert line_label("opex_maintenance_it_usd") == "opex: IT maintenance and support"


def test_every_tornado_input_has_a_readable_name_with_its_unit():
    """tco's tornado ticks were raw input keys (revenue_usd_per_gpu_h); each input is now named as the export's
    Assumptions sheet describes it (dcplan.tco_cost_table.COST_QUANTITIES, up to its first parenthesis or
    semicolon), with its data/costs.csv unit, and no two inputs share a name (a bar would hide another)."""
    from dcplan.tco_cost_table import load_costs
    from dcplan.tco_labels import input_label
    units = load_costs()["unit"].to_dict() | {"utilization_frac": "frac"}   # every TcoInputs.params() key
    names = {k: input_label(k, u) for k, u in units.items()}
    assert all("_" not in n and n.endswith(f" [{units[k]}]") for k, n in names.items()), names
    assert len(set(names.values())) == len(names)
    assert names["revenue_usd_per_gpu_h"] == "price per GPU-hour sold [USD/GPU-h]"
    # cut before "(electrical + mechanical; ...)", the whole idea kept
    assert names["facility_electrical_frac_of_critical"] == "electrical share of the critical-capacity cost [frac]"
    assert names["utilization_frac"] == "GPU utilization [frac]"   # SUMMARY_LABELS' words
    assert input_label("delay_months", "months", width=40) == ("slip of grid energization past the\n"
                                                               "interconnection's planned dates [months]")


@pytest.mark.slow
@pytest.mark.parametrize("site, name, binds", [("phoenix-az", "Phoenix, AZ", False),
                                               ("northern-virginia", "Northern Virginia (Ashburn), VA", True)])
def test_rack_power_says_when_the_cap_does_not_bind_in_the_minutes_shown(monkeypatch, site, name, binds):
    """Phoenix's 800 W cap lay exactly on the uncapped line over the 10 minutes drawn: one line showed for
    two legend entries. Whether it binds is read from the two series drawn (Northern Virginia's 960 W
    cap takes 12 % off the window's peak: it binds)."""
    from conftest import run_cells_until
    ns, shown = run_cells_until("rack_power", "IT power at 1 s", monkeypatch, site=site)
    assert all(_names_site(f, name) for f in shown), [_titles(f) for f in shown]
    ax = shown[-1].axes[0]
    lines = {ln.get_label(): ln for ln in ax.get_lines()}
    free, capped = (lines["no per-GPU cap"].get_ydata(),
                    next(ln for lb, ln in lines.items() if lb.startswith("cap ")).get_ydata())
    cap_label = next(lb for lb in lines if lb.startswith("cap "))
    assert bool(abs(free - capped).max() > 1.0) is binds  # kW: the drawn lines themselves, independent of the notebook
    assert ("does not bind" in cap_label) is (not binds), cap_label
    plt.close("all")


def test_a_tornado_tick_names_the_values_its_bar_swings_between():
    """The tco tornado's ticks named the input only: Chicago's widest bar, the price per GPU-hour (590.9 M USD of
    NPV), did not say it swings over 2.189-7.679 USD/GPU-h (data/costs.csv's H100 range 1.99-6.98 scaled by the
    fleet's price over the H100's, 5.408 / 4.916: hand, 1.99 x 1.10008 = 2.18916, 6.98 x 1.10008 = 7.67857). Each
    tick now gives low, high and base to 4 significant digits; the notebook draws them."""
    from pathlib import Path

    import nbformat

    from dcplan.tco_labels import tornado_tick
    lo, hi = 1.99 * 5.408 / 4.916, 6.98 * 5.408 / 4.916
    assert tornado_tick("revenue_usd_per_gpu_h", "USD/GPU-h", lo, hi, 5.408, width=None) == (
        "price per GPU-hour sold [USD/GPU-h]: 2.189 to 7.679 (base 5.408)")
    # thousands separated, whole units; a negative low end; wrapped as a chart tick (45 characters a line)
    assert tornado_tick("server_usd_per_accelerator", "USD/accelerator", 24875.0, 39625.0, 33750.0,
                        width=None).endswith(": 24,875 to 39,625 (base 33,750)")
    assert tornado_tick("revenue_escalation_frac", "frac/yr", -0.15, 0.0, 0.0, width=None).endswith(
        ": -0.15 to 0 (base 0)")
    assert all(len(line) <= 45 for line in tornado_tick("facility_usd_per_mw", "USD/MW", 9.3e6, 15e6,
                                                        11.7e6).splitlines())
    nb = nbformat.read(Path(__file__).resolve().parents[1] / "notebooks" / "tco.ipynb", as_version=4)
    cell = next(c.source for c in nb.cells if "ax.set_yticks(y, ticks)" in c.source)
    assert "tornado_tick(k, u, lo, hi, b, width=58)" in cell and 'top["low"], top["high"], top["base"]' in cell
