"""Each report figure carries a text description (its titles and axis labels) as the HTML
image's alternative text: nbconvert wrote "No description has been provided for this image"
under every figure (a data audit found the reports' figures had no caption or description)."""
from __future__ import annotations

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402

from dcplan.plotting import figure_alt, label  # noqa: E402


def test_a_figure_is_described_by_its_titles_and_axis_labels():
    fig, (a, b) = plt.subplots(2, 1)
    fig.suptitle("Phoenix, AZ")
    label(a, "Coolant temperature", "", "temperature [°C]")
    label(b, "IT power\nafter throttling", "time (UTC)", "power [kW]")
    assert figure_alt(fig) == ("Figure: Phoenix, AZ. Coolant temperature (y: temperature [°C]). "
                               "IT power after throttling (x: time (UTC); y: power [kW])")
    plt.close(fig)
    fig, ax = plt.subplots()
    assert figure_alt(fig) == ""  # nothing to say: the report says so instead
    plt.close(fig)


def test_the_report_template_puts_the_description_in_alt_escaped():
    import nbformat

    from dcplan.report_html import _to_html
    out = nbformat.v4.new_output("display_data", data={"image/png": "iVBORw0KGgo=", "text/plain": "<Figure>"},
                                 metadata={"image/png": {"alt": 'Figure: "hot" <days> (x: h; y: °C)'}})
    bare = nbformat.v4.new_output("display_data", data={"image/png": "iVBORw0KGgo="})
    cell = nbformat.v4.new_code_cell("x", outputs=[out, bare])
    page = _to_html(nbformat.v4.new_notebook(cells=[cell]), False, "t")
    # (nbconvert re-serializes the page: an attribute with a double quote in it is single-quoted)
    assert """alt='Figure: "hot" &lt;days&gt; (x: h; y: °C)'""" in page
    assert 'alt="Figure without a description"' in page
    assert "No description has been provided" not in page


def test_dollar_signs_in_titles_are_text_not_mathtext():
    """A site named "Phoenix $50M to $80M capex" was titled "Phoenix 50*Mto*80M capex" (mathtext between
    the two dollar signs). With dcplan's style the title is drawn as written."""
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    from dcplan import plotting
    plotting.use_style()
    fig, ax = plt.subplots()
    name = "Phoenix $50M to $80M capex"
    ax.set_title(name)
    assert ax.title._preprocess_math(ax.title.get_text()) == (name, False)
    plt.close(fig)


def _inline_shell():
    from IPython.core.interactiveshell import InteractiveShell
    from matplotlib_inline.backend_inline import set_matplotlib_formats
    shell = InteractiveShell.instance()
    set_matplotlib_formats("png", bbox_inches=None)  # IPython's formatter, as use_style sets it
    return shell


def _styled_figure():
    import numpy as np
    import pandas as pd
    fig, (a, b) = plt.subplots(2, 1, figsize=(8, 6), sharex=True)
    t = pd.date_range("2025-07-15", periods=200, freq="min", tz="America/Phoenix")
    a.plot(t, np.sin(np.arange(200) / 9.0), label="coolant")
    b.bar(t[::20], np.arange(10.0), width=0.005)
    label(a, "Coolant temperature", "", "temperature [°C]", legend=True)
    label(b, "IT power after throttling", "time", "power [kW]")
    return fig


def test_an_inline_figure_is_drawn_once_into_the_bytes_ipython_draws_twice(monkeypatch):
    """The report's PNG of a figure (dcplan.plotting._png_drawn_once, the inline formatter use_style sets) is
    byte for byte IPython's print_figure PNG, which draws a tight-layout figure twice (a draw without rendering
    for the layout, then the rendering one); drawn once, the example's figures took about a fifth less time."""
    from matplotlib.figure import Figure

    from dcplan import plotting
    shell = _inline_shell()
    fmt = shell.display_formatter.formatters["image/png"]
    ipython_png = fmt.lookup_by_type(Figure)  # IPython's own, before use_style wraps it
    plotting.use_style()
    try:
        draws = []
        real_draw = Figure.draw
        monkeypatch.setattr(Figure, "draw", lambda self, r: (draws.append(1), real_draw(self, r))[1])
        reference = ipython_png(_styled_figure())  # (a figure of its own: its layout is not run beforehand)
        assert len(draws) == 2
        draws.clear()
        data, meta = fmt(_styled_figure())
        assert len(draws) == 1
        assert data == reference  # the same bytes (base64 text, as IPython returns it)
        assert meta["alt"].startswith("Figure: Coolant temperature")
    finally:
        fmt.for_type(Figure, ipython_png)
        plt.close("all")


def test_a_figure_drawn_otherwise_is_left_to_ipython():
    """A figure without axes, or formats set by hand (a tight crop), is drawn by IPython's formatter as before."""
    from matplotlib.figure import Figure
    from matplotlib_inline.backend_inline import set_matplotlib_formats

    from dcplan import plotting
    shell = _inline_shell()
    fmt = shell.display_formatter.formatters["image/png"]
    plotting.use_style()
    try:
        assert fmt(plt.figure()) is None  # nothing to draw, as IPython says
        wrapped = fmt.lookup_by_type(Figure)
        set_matplotlib_formats("png")  # IPython's default: bbox_inches="tight"
        tight = fmt.lookup_by_type(Figure)
        fig = _styled_figure()
        assert plotting._png_drawn_once(fig, tight) == tight(fig)
        fmt.for_type(Figure, wrapped)
    finally:
        set_matplotlib_formats("png", bbox_inches=None)
        plt.close("all")
