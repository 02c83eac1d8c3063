"""The cooling_lag notebook's own text and charts (black-box tester, findings 1, 2 and 5):

* the hourly plant's throttled share (0 % at Phoenix) was labelled "expected throttled share of GPU
  time", beside a 2.76 % share of the control lag's throttling in the same report: it now says
  what it counts (hours the plant is short of capacity) and where the lag's throttling is;
* the design-day chart's one-line title was clipped on both sides (its design condition could not
  be read) and the dashed dry bulb on the twin axis had no legend entry;
* the loop mass, an estimate that throttling depends on strongly, has its own sensitivity table.
"""
from __future__ import annotations

import json

import pytest

from dcplan.report import render


def test_design_day_chart_title_fits_and_one_legend_names_every_line(monkeypatch):
    """Runs the notebook's cells up to the design-day chart in this process (Agg backend) and
    measures the drawn figure: the title inside the figure, one legend with all four lines."""
    from conftest import run_cells_until
    from dcplan import thermal
    from dcplan.site import load_site
    from dcplan.weather import load_site_weather
    import matplotlib.pyplot as plt
    ns, shown = run_cells_until("cooling_lag", "governing_design_day", monkeypatch)
    fig = shown[-1]
    ax = fig.axes[0]
    fig.canvas.draw()
    renderer = fig.canvas.get_renderer()
    box, title = fig.bbox, ax.title.get_window_extent(renderer)
    assert box.x0 <= title.x0 and title.x1 <= box.x1 and title.y1 <= box.y1, (title, box)
    # the design condition the title states: Phoenix's governing day, as dcplan computes it
    spec = load_site("phoenix-az")
    g = thermal.governing_design_day(ns["it_peak_kw"], load_site_weather(spec), spec.cooling)
    cond = g["conditions"][g["basis"]]
    assert ax.get_title().startswith(f"Design day: {cond['t_max_degc']:.1f} °C dry bulb / "
                                     f"{cond['wb_coincident_degc']:.1f} °C wet bulb, IT 5,786 kW\n")
    legends = [a.get_legend() for a in fig.axes if a.get_legend() is not None]
    assert len(legends) == 1
    assert [t.get_text() for t in legends[0].get_texts()] == [
        "IT load", "plant capacity (IT)", "cooling power", "outdoor dry bulb (right axis)"]
    plt.close("all")


@pytest.mark.slow
def test_the_hourly_plants_throttled_share_says_what_it_counts(tmp_path):
    s = render(sites=["phoenix-az"], notebooks=["cooling_lag"], out=tmp_path, jobs=1, progress=False)
    assert s.ok, s.table()
    folder = tmp_path / "phoenix-az" / "cooling_lag"
    res = json.loads((folder / "results.json").read_text())["results"]
    hourly, lag = res["lag_site_throttled_frac"], res["lag_year_worst_hour_throttled_frac_reactive"]
    # Phoenix: the hourly plant holds the design IT every hour (0), while the lag throttles (tester: 2.76 %)
    assert hourly["value"] == 0 and lag["value"] == pytest.approx(0.0276, abs=5e-5)
    assert "share of GPU-hours throttled for lack of hourly plant capacity" in hourly["label"]
    assert ("the control lag's throttling is not in it: see lag_year_worst_hour_throttled_frac_reactive"
            in hourly["label"])
    assert "expected throttled share" not in hourly["label"]
    text = (folder / "notebook.ipynb").read_text()
    # the loop-mass sensitivity: reactive, 90 s lag, the default load (tests/test_cooling_lag_loop_mass.py:
    # 1,194 s at 0.5 L/kW); 2.4 L/kW is the lag example's loop, 2,636 s at 2.4 (the same model run)
    assert "time throttled, reactive: 1,194 s at the default 0.5 L/kW, 2,636 s at 2.4 L/kW" in text
