"""What a notebook may publish (dcplan.results.publish), checked where it is published.

An analyst's own notebook (black-box review) published ``annual_peak_grid_kw`` twice (5,505.8 kW as a
headline, then 5.5058 "MW"): the report showed both, results.json kept the second (no headline),
and a unit of MW on a ``_kw`` key was accepted. "high kW", "True kW", "None kW" (a NaN), 1.7 shown
as "170 %" and a key with spaces (which read no unit off its suffix) were published as given.
Now each is an InputError naming the key, the value and what is allowed (a fraction beyond
100 %: a DcplanWarning), and a key published twice fails the run at the cell that did it.
"""
from __future__ import annotations

import json
import warnings

import numpy as np
import pytest

from dcplan.errors import DcplanWarning, InputError
from dcplan.results import (MIME, collect, format_value, publish, published_twice, record,
                            show_warnings_as_caveats)


def _err(key, value, **kw) -> str:
    with pytest.raises(InputError) as e:
        publish(key, value, show=False, **kw)
    return str(e.value)


def test_text_or_a_bool_with_a_unit_is_refused():
    assert _err("risk_level", "high", unit="kW", headline=True) == (
        "publish('risk_level'): str value 'high' given the unit 'kW' (it would show as high kW); allowed: a unit "
        "with a number only, text and bools without one")
    assert _err("flag", True, unit="kW") == (
        "publish('flag'): bool value True given the unit 'kW' (it would show as True kW); allowed: a unit "
        "with a number only, text and bools without one")
    # None (a figure that does not exist, kept as null: the TCO's undefined unit costs) shows "n/a", not "None kW"
    assert publish({"x_kw": (None, "kW", "x")}, show=False)[0]["value"] is None
    assert format_value(None, "kW") == "n/a"
    # without a unit, text and bools are figures as before (a key's unit suffix is for numbers)
    assert publish({"best_site_h": "Phoenix", "alive": True}, show=False) == [
        {"key": "best_site_h", "value": "Phoenix", "unit": None, "label": "best_site_h", "headline": False},
        {"key": "alive", "value": True, "unit": None, "label": "alive", "headline": False}]


@pytest.mark.parametrize("value", [float("nan"), float("inf"), -float("inf"), np.float32("nan"), np.float64("inf")])
def test_a_number_that_is_not_finite_is_refused_with_how_to_say_n_a(value):
    msg = _err("nan_figure_kw", value)
    assert msg == (f"publish('nan_figure_kw'): the value is {float(value)!r}, not a finite number; a figure that "
                   "does not exist is published as text saying why, without a unit: "
                   "publish('nan_figure_kw', \"n/a: <why>\")")
    # what the bundled notebooks publish instead (dcplan.schedule_labels.figure, tco's figure())
    assert publish("nan_figure_kw", "n/a: no pause length tried throttles", show=False)[0]["unit"] is None


def test_a_key_holds_letters_digits_underscore_dot_and_dash_only():
    assert _err("peak kw", 3.0) == ("publish('peak kw'): the key 'peak kw' holds ' '; allowed in a key: letters, "
                                    "digits, '_', '.' and '-' (no spaces: e.g. 'annual_peak_grid_kw')")
    assert "holds 'é/'" in _err("café/x", 1.0)
    # the bundled notebooks' keys with a site id or a catalog key in them
    for key in ("phoenix-az.bill_usd", "hardware_status.hgx-h100", "research-triangle-nc.derate_h"):
        publish(key, 1.0, show=False)
    assert record("phoenix-az.bill_usd", 1.0)["unit"] == "USD"


def test_a_unit_that_contradicts_the_key_suffix_is_refused():
    assert _err("annual_peak_grid_kw", 5.5058, unit="MW", label="Peak again (MW)") == (
        "publish('annual_peak_grid_kw'): the unit 'MW' of the value 5.5058 contradicts the unit the key's suffix "
        "names ('kW', '_kw'); allowed: 'kW' or no unit, or a key whose suffix names 'MW'")
    assert "('GPU-h', '_gpu_h')" in _err("throttled_gpu_h", 3.0, unit="h")
    # the same unit, however spelled, and a key whose suffix names none
    assert record("annual_peak_grid_kw", 5505.8, unit="kW")["unit"] == "kW"
    assert record("supply_degc", 18.0, unit="degC")["unit"] == "degC"
    assert record("supply_degc", 18.0, unit="°C")["unit"] == "°C"
    assert record("annual_peak_grid_mw", 5.5058, unit="MW")["unit"] == "MW"
    assert record("headroom_0p5pct_frac_of_peak", 0.12, unit="frac")["unit"] == "frac"


def test_a_fraction_beyond_100_percent_is_published_with_a_warning():
    with pytest.warns(DcplanWarning) as w:
        recs = publish("share_frac", 1.7, show=False)
    assert recs[0]["value"] == 1.7 and recs[0]["unit"] == "frac"
    assert str(w[0].message) == (
        "publish('share_frac'): the fraction 1.7 shows as 170 %; a fraction is expected from -1 to 1 (a share "
        "from 0 to 1: 17 % is 0.17): a percentage given as a fraction? (a ratio that may exceed 1: another key "
        "and unit)")
    assert w[0].filename == __file__  # the line that published it, not dcplan's
    with pytest.warns(DcplanWarning, match=r"'pct_frac'\): the fraction -17 shows as -1,700 %"):
        publish({"pct_frac": -17.0}, show=False)
    # a change or an IRR below zero, and 0 and 1 themselves, are fractions (rack_power's cap_energy_change_frac)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        for v in (-0.16, -1.0, 0.0, 1.0):
            publish("cap_energy_change_frac", v, show=False)


def _nb(*cells):
    return {"cells": [{"cell_type": "code", "source": src, "outputs": [
        {"output_type": "display_data", "data": {MIME: {"records": recs}}}]} for src, recs in cells]}


def test_a_key_published_twice_is_found_with_both_figures():
    first = publish("annual_peak_grid_kw", 5505.8, label="Annual peak grid import", headline=True, show=False)
    again = publish("annual_peak_grid_kw", 5505.8 / 1000 * 1000 + 0.2, label="Peak again", show=False)
    other = publish("annual_peak_grid_mw", 5.5058, show=False)
    nb = _nb(("a", first), ("b", other), ("c", again))
    assert published_twice(nb) == (2, (
        "publish('annual_peak_grid_kw'): the key was already published in this run: 5,506 kW ('Annual peak "
        "grid import', a headline), then 5,506 kW ('Peak again'); a key is published once per run (the report "
        "would show both, results.json keep only the last): publish the second figure under its own key"))
    assert published_twice(_nb(("a", first), ("b", other))) is None
    assert collect(nb)["annual_peak_grid_kw"]["label"] == "Peak again"  # collect itself: the later one


def test_render_fails_the_run_at_the_cell_that_published_a_key_again(tmp_path):
    from dcplan.report_execute import _check_published, _failure_text
    first = publish("n_h", 7.0, show=False)
    nb = _nb(("publish('n_h', 7.0)", first), ("x = 1", []), ("publish('n_h', 8.0)", first))
    nb["cells"].insert(0, {"cell_type": "code", "source": "site = 'a'", "outputs": [],
                           "metadata": {"tags": ["injected-parameters"]}})
    f = tmp_path / "notebook.ipynb"
    f.write_text(json.dumps(nb))
    err = _check_published(f)
    text, cell = _failure_text(err, f)
    assert cell == 3  # the 4th cell of the executed notebook, the 3rd of the source (no injected cell there)
    assert text == ("InputError: publish('n_h'): the key was already published in this run: 7 h ('n_h'), then 7 h "
                    "('n_h'); a key is published once per run (the report would show both, results.json keep only "
                    "the last): publish the second figure under its own key (in `publish('n_h', 8.0)`...)")


def test_a_plain_warning_shows_without_the_source_path_or_line(capsys):
    before = warnings.showwarning
    try:
        show_warnings_as_caveats()
        warnings.showwarning("a plain one", UserWarning, "/tmp/ipykernel_1/123.py", 4, None, "warnings.warn(...)")
    finally:
        warnings.showwarning = before
    assert capsys.readouterr().err == "UserWarning: a plain one\n"


@pytest.mark.slow
def test_a_rendered_notebook_that_publishes_a_key_twice_fails_naming_it(tmp_path):
    from dcplan.report import render
    from dcplan.report_execute import failed_notebook

    from test_report import TWO_SITES, _nb as _source_nb
    nbdir = tmp_path / "nbs"
    nbdir.mkdir()
    _source_nb(nbdir / "twice.ipynb", 'site: str = "x"\nportfolio: str = "default"',
               "from dcplan.results import publish\npublish('annual_peak_grid_kw', 5505.8, headline=True)")
    # a third cell publishes the key again (in MW it would be refused already: the unit contradicts '_kw')
    import nbformat
    nb = nbformat.read(str(nbdir / "twice.ipynb"), as_version=4)
    nb.cells.append(nbformat.v4.new_code_cell("publish('annual_peak_grid_kw', 5505.8 + 1, label='Peak again')"))
    nbformat.write(nb, str(nbdir / "twice.ipynb"))
    pf = tmp_path / "pf.yaml"
    pf.write_text(TWO_SITES)
    s = render(portfolio=pf, sites=["phoenix-az"], out=tmp_path / "reports", jobs=1, notebook_dir=nbdir,
               progress=False, warm_kernels=False)
    assert not s.ok
    (r,) = s.results
    assert r.failed_cell == 3 and r.error == (
        "InputError: publish('annual_peak_grid_kw'): the key was already published in this run: 5,506 kW "
        "('annual_peak_grid_kw', a headline), then 5,507 kW ('Peak again'); a key is published once per run (the "
        "report would show both, results.json keep only the last): publish the second figure under its own key "
        "(in `" + "publish('annual_peak_grid_kw', 5505.8 + 1, label='Peak again')"[:60] + "`...)")
    assert failed_notebook(r.run).exists()
    assert not (tmp_path / "reports" / "phoenix-az" / "twice" / "results.json").exists()
