"""The report charts as a reader meets them (a figure audit of the rendered reports): every chart names
its site (pasted into a deck, an untitled "Monthly bills over 52 weeks" lost where it was from), PV
lines in a colour that reads on white, the energy price apart from the cap, one colour and one name
per off-peak strategy, the TCO waterfall's lines by name with a legend for the subtracted residual
value, the climate chart's two free-cooling limits apart by colour, and axis labels with their units.
Each test runs a notebook's cells in this process (conftest.run_cells_until) and reads the matplotlib
objects it showed."""
from __future__ import annotations

import json
import re
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import pytest  # noqa: E402
from conftest import run_cells_until  # noqa: E402
from matplotlib.colors import to_hex  # noqa: E402

from dcplan.plotting import COLORS, STRATEGY_COLORS  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
PHOENIX = "Phoenix, AZ"
NOVA = "Northern Virginia (Ashburn), VA"


def _titles(fig) -> list[str]:
    sup = getattr(fig, "_suptitle", None)
    return ([sup.get_text()] if sup is not None else []) + [a.get_title() for a in fig.axes]


def _names_site(fig, name: str) -> bool:
    return any(t.startswith(f"{name}: ") for t in _titles(fig))


def _lines(ax) -> dict:
    return {ln.get_label(): ln for ln in ax.get_lines()}


def _legend(ax) -> list[str]:
    leg = ax.get_legend()
    return [t.get_text() for t in leg.get_texts()] if leg is not None else []


@pytest.mark.slow
def test_site_analysis_average_day_pv_line_is_dark_gold(monkeypatch):
    _, shown = run_cells_until("site_analysis", 'average day"', monkeypatch, site="phoenix-az", export_dir="")
    ax = shown[-1].axes[0]
    assert ax.get_title() == f"{PHOENIX}: average day"
    assert to_hex(_lines(ax)["PV"].get_color()) == COLORS["solar_line"].lower()
    plt.close("all")


@pytest.mark.slow
def test_interconnection_charts_name_the_site_and_read_their_axes(monkeypatch):
    _, shown = run_cells_until("interconnection", "monthly peak grid import", monkeypatch, site="phoenix-az")
    assert len(shown) == 3 and all(_names_site(f, PHOENIX) for f in shown), [_titles(f) for f in shown]
    ramp, headroom, peaks = shown
    # the headroom chart draws the bundled SYNTHETIC system load (no system_load_csv): its title says so, not only
    # its legend (a title naming the site over the example's curve read as Phoenix's utility)
    assert headroom.axes[0].get_title() == (f"{PHOENIX}: curtailment-enabled headroom\nof a synthetic example system "
                                            "load (bundled, not the site's utility)")
    assert _legend(headroom.axes[0])[0] == "SYNTHETIC example (data/system_load_example.csv)"
    assert ramp.axes[1].get_xlabel() == "date [year]"  # its ticks are years, not months
    ramp.canvas.draw()
    ticks = [t.get_text() for t in ramp.axes[1].get_xticklabels() if t.get_text()]
    assert ticks and all(t.isdigit() and len(t) == 4 for t in ticks), ticks
    assert to_hex(_lines(peaks.axes[0])["with PV"].get_color()) == COLORS["solar_line"].lower()
    plt.close("all")


@pytest.mark.slow
def test_interconnection_headroom_title_names_no_synthetic_load_for_a_load_of_ones_own(monkeypatch, tmp_path):
    import pandas as pd

    from dcplan import grid
    ex = grid.example_system_load()
    own = tmp_path / "my_utility_load.csv"  # not the example: every hour 2 % higher
    pd.DataFrame({"interval_end": ex.index.map(pd.Timestamp.isoformat),
                  "system_load_mw": (ex * 1.02).round(1).to_numpy()}).to_csv(own, index=False)
    _, shown = run_cells_until("interconnection", "curtailment-enabled headroom", monkeypatch, site="phoenix-az",
                               system_load_csv=str(own))
    ax = shown[-1].axes[0]
    assert ax.get_title() == f"{PHOENIX}: curtailment-enabled headroom of the system load"
    assert _legend(ax)[0] == str(own)
    plt.close("all")


@pytest.mark.slow
def test_offpeak_charts_name_the_site_keep_price_apart_and_one_colour_per_strategy(monkeypatch):
    ns, shown = run_cells_until("offpeak_scheduling", "monthly bills over", monkeypatch, site="phoenix-az",
                                rolling_weeks=1)
    assert len(shown) == 4 and all(_names_site(f, PHOENIX) for f in shown), [_titles(f) for f in shown]
    gantt, load, _, monthly = shown
    # Phoenix's week: every run of the 25 jobs drawn is at 93 % of its full power or more (the notebook's own
    # runs, recomputed here): one shade, so the title promises none and the legend says how full the runs are
    least = min(f for r in ns["runs"].values() for *_, f in r)
    assert 0.9 <= least < 1.0 and "shade" not in gantt.axes[0].get_title()
    assert f"run (each at {least:.0%} of full power or more)" in _legend(gantt.axes[0])
    top, grid = load.axes[0], load.axes[1]
    price = next(ax for ax in load.axes if ax.get_ylabel() == "energy price [$/kWh]")
    assert to_hex(_lines(price)["energy price"].get_color()) == COLORS["price"].lower()
    assert to_hex(_lines(top)["site cap"].get_color()) == COLORS["limit"].lower() != COLORS["price"].lower()
    pv = next(c for c in grid.collections if c.get_label() == "on-site PV (kW AC)")
    assert to_hex(pv.get_edgecolor()[0]) == COLORS["solar_line"].lower()
    asap = to_hex(_lines(top)["run-ASAP (site kW)"].get_color())
    assert asap == to_hex(_lines(grid)["grid import, run-ASAP"].get_color()) == STRATEGY_COLORS["asap"].lower()
    assert to_hex(_lines(grid)["grid import, optimized"].get_color()) == STRATEGY_COLORS["optimized"].lower()
    # the sensitivity panels are the optimized schedule's bill (its rise with less slack, its saving against the
    # price spread): the optimized strategy's colour, not the energy price's (the saving line was wine red)
    sens = shown[2]
    assert [a.get_title() for a in sens.axes] == ["Cost of lost flexibility", "Savings vs price spread"]
    for a in sens.axes:
        assert [to_hex(ln.get_color()) for ln in a.get_lines()] == [STRATEGY_COLORS["optimized"].lower()]
    ax = monthly.axes[0]
    names = _legend(ax)
    assert names == ["optimized", "run-ASAP", "greedy"]  # the prose's words, not the keys "asap"
    for name, key in zip(names, ("optimized", "asap", "greedy")):
        bars = next(c for c in ax.containers if c.get_label() == name)
        assert to_hex(bars[0].get_facecolor()) == STRATEGY_COLORS[key].lower()
    plt.close("all")


@pytest.mark.slow
def test_tco_waterfall_names_its_lines_and_says_the_residual_is_subtracted(monkeypatch):
    _, shown = run_cells_until("tco", "Monte Carlo NPV", monkeypatch, site="phoenix-az", n_draws=2500, export_dir="")
    assert len(shown) == 5 and all(_names_site(f, PHOENIX) for f in shown), [_titles(f) for f in shown]
    ax = shown[0].axes[0]
    ticks = [t.get_text() for t in ax.get_yticklabels()]
    assert "capex: IT hardware" in ticks and "opex: IT maintenance and support" in ticks
    assert ticks[-2:] == ["residual value at the horizon", "total cost (TCO)"]
    assert not any("_" in t for t in ticks), ticks  # no raw keys
    assert _legend(ax) == ["cost", "residual value, subtracted", "total cost (TCO)"]
    residual = ax.patches[len(ticks) - 2]  # the residual value's bar: the last step before the total
    assert residual.get_width() < 0 and to_hex(residual.get_facecolor()) == COLORS["residual"].lower()
    # the shares chart: its categories by name (they were the keys it_hardware, power_and_cooling), in
    # dcplan.tco.CATEGORIES' order; Phoenix has a cost in all four
    shares = shown[1].axes[0]
    shares.figure.canvas.draw()
    assert [t.get_text() for t in shares.get_xticklabels()] == ["IT hardware", "power and cooling", "building",
                                                                "operations"]
    # the tornado's two sides in the input-low / input-high colours, not the energy price's wine red (no price
    # there); each container is one side's bars, found by its legend name
    tornado = shown[3].axes[0]
    sides = {c.get_label(): {to_hex(b.get_facecolor()) for b in c} for c in tornado.containers}
    assert sides == {"input low": {COLORS["input_low"].lower()}, "input high": {COLORS["input_high"].lower()}}
    assert COLORS["price"].lower() not in sides["input high"] | sides["input low"]
    # its bars named as the Assumptions sheet names each input, with the unit (they were raw keys:
    # revenue_usd_per_gpu_h); the largest bar on top, the price per GPU-hour among Phoenix's twelve; each tick
    # gives the values its bar swings between (dcplan.tco_labels.tornado_tick), wrapped over lines
    ticks = [" ".join(t.get_text().split()) for t in tornado.get_yticklabels()]
    assert len(ticks) == 12 and not any("_" in t for t in ticks), ticks
    assert all(re.fullmatch(r".+ \[.+\]: \S+ to \S+ \(base \S+\)", t) for t in ticks), ticks
    assert any(t.startswith("price per GPU-hour sold [USD/GPU-h]: ") for t in ticks), ticks
    plt.close("all")


@pytest.mark.slow
def test_site_climate_free_cooling_limits_differ_by_colour_and_the_prose_says_which_line_is_which(monkeypatch):
    _, shown = run_cells_until("site_climate", "temperature duration curves", monkeypatch, site="northern-virginia")
    ax = shown[-1].axes[0]
    lines = _lines(ax)
    liquid = lines["liquid loop free-cooling limit (dry bulb)"]
    air = lines["air loop free-cooling limit (wet bulb)"]
    design = lines["chiller design wet bulb"]
    assert to_hex(liquid.get_color()) != to_hex(air.get_color())  # one colour for both, told apart by dash only
    dotted = [lb for lb, ln in lines.items() if ln.get_linestyle() == ":"]
    assert dotted == ["chiller design wet bulb"] and to_hex(design.get_color()) == COLORS["wetbulb"].lower()
    nb = json.loads((ROOT / "notebooks" / "site_climate.ipynb").read_text())
    prose = next("".join(c["source"]) for c in nb["cells"]
                 if c["cell_type"] == "markdown" and "## Duration curves" in "".join(c["source"]))
    assert "the dotted lines" not in prose  # one dotted line at a plant with one kind of chiller
    assert "dashed in vermilion" in prose and "dash-dotted in black" in prose
    assert to_hex(liquid.get_color()) == COLORS["limit"].lower() and to_hex(air.get_color()) == COLORS["facility"]
    plt.close("all")
