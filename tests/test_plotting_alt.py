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
