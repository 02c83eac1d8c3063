"""site_analysis's exports say which case of the site they are (dcplan.site_analysis_case): a run with a reference
plant, another fleet size, PV size or tariff names its CSVs for the case and says so in them, so its figures
neither pass for the site's own nor replace them (a JupyterLab tester's Chicago on liquid-w45-dry wrote
chicago-il_sustainability.csv with PUE 1.103 and no water, nothing saying the plant was not the site's)."""
from __future__ import annotations

import warnings

import pandas as pd
import pytest

from dcplan.site_analysis_case import DEFAULTS, case_tag, case_text

from conftest import run_cells_until


def test_the_site_as_specified_keeps_its_names_and_says_so():
    assert case_tag(DEFAULTS) == "" and case_text(DEFAULTS) == "the site as specified"
    assert case_tag({**DEFAULTS, "tariff_file": ""}) == ""     # "" keeps the site's tariff too


@pytest.mark.parametrize("change, tag, words", [
    ({"cooling": "air"}, "cooling-air", "cooling 'air' (a reference plant"),
    ({"fleet_scale": 2.0}, "fleet-x2", "fleet_scale 2 (every fleet phase's unit count x 2"),
    ({"fleet_scale": 0.5}, "fleet-x0p5", "fleet_scale 0.5"),
    ({"pv_dc_kw": 0.0}, "pv-0kw", "pv_dc_kw 0 (PV DC size in kW, not the site's)"),
    ({"tariff_file": "tariffs/comed-il-large-load.json"}, "tariff-comed-il-large-load",
     "tariff_file 'tariffs/comed-il-large-load.json' (not the site's tariff)"),
])
def test_each_parameter_that_changes_the_site_is_named(change, tag, words):
    params = {**DEFAULTS, **change}
    assert case_tag(params) == tag
    assert case_text(params).startswith("not the site as specified: ") and words in case_text(params)


def test_a_tariff_file_name_unsafe_for_a_file_name_is_made_safe():
    tag = case_tag({**DEFAULTS, "tariff_file": "../my rate (v2).json"})
    assert tag.startswith("tariff-my-rate-v2-") and "/" not in tag and " " not in tag


def _exports(tmp_path, monkeypatch, **params):
    import dcplan.results
    monkeypatch.setattr(dcplan.results, "publish", lambda *a, **k: None)
    out = tmp_path / "outputs"
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ResourceWarning)
        run_cells_until("site_analysis", "site_hourly.write_hourly_csv(", monkeypatch, site="phoenix-az",
                        export_dir=str(out), **params)
    return out


def test_a_reference_plant_run_names_its_exports_for_the_case_and_says_so(tmp_path, monkeypatch):
    """Phoenix on the 'air' reference plant: the three files carry the case in their names, the sustainability
    row's case column and the hourly about file's case row say it in words; a run as specified beside it writes
    its own three files, named as before, which say it is the site as specified."""
    out = _exports(tmp_path, monkeypatch, cooling="air")
    assert sorted(p.name for p in out.iterdir()) == [".dcplan-exports.json", "phoenix-az_cooling-air_hourly.csv",
                                                      "phoenix-az_cooling-air_hourly_about.csv",
                                                      "phoenix-az_cooling-air_sustainability.csv"]
    row = pd.read_csv(out / "phoenix-az_cooling-air_sustainability.csv")
    assert list(row.columns[:3]) == ["site", "name", "case"]
    assert row["case"].iloc[0] == case_text({**DEFAULTS, "cooling": "air"})
    about = pd.read_csv(out / "phoenix-az_cooling-air_hourly_about.csv", encoding="utf-8-sig").set_index("item")
    assert about.loc["case", "text"] == case_text({**DEFAULTS, "cooling": "air"})

    _exports(tmp_path, monkeypatch)   # the site as specified, into the same folder: the case's files stay
    assert len(list(out.iterdir())) == 7  # and the record of what dcplan wrote there (.dcplan-exports.json)
    assert pd.read_csv(out / "phoenix-az_sustainability.csv")["case"].iloc[0] == "the site as specified"
    about = pd.read_csv(out / "phoenix-az_hourly_about.csv", encoding="utf-8-sig").set_index("item")
    assert about.loc["case", "text"] == "the site as specified"


# ---------------------------------------------------------------------------
# names too long for a file name: a site id of 201 characters (the longest a site file may give) with a case tag
# made export names of up to 276 bytes, over the 255 a file name may have: the run failed at its last cell, writing
# the CSVs (OSError: File name too long)

_LONG_ID = "s" * 201
_LONG_TAG = case_tag({**DEFAULTS, "cooling": "liquid-w45-dry", "fleet_scale": 2.0, "pv_dc_kw": 0.0,
                      "tariff_file": "tariffs/comed-il-large-load.json"})


def _names(site_id, tag):
    from dcplan import site_hourly, sustainability
    return [site_hourly.csv_name(site_id, tag), site_hourly.about_name(site_id, tag),
            sustainability.csv_name(site_id, tag)]


def test_export_names_that_fitted_are_unchanged():
    # written by earlier versions: a kept report's exports and a reader's scripts find them under these names
    assert _names("chicago-il", "") == ["chicago-il_hourly.csv", "chicago-il_hourly_about.csv",
                                        "chicago-il_sustainability.csv"]
    assert _names("chicago-il", "cooling-air") == ["chicago-il_cooling-air_hourly.csv",
                                                   "chicago-il_cooling-air_hourly_about.csv",
                                                   "chicago-il_cooling-air_sustainability.csv"]
    assert _names(_LONG_ID, "") == [f"{_LONG_ID}_hourly.csv", f"{_LONG_ID}_hourly_about.csv",
                                    f"{_LONG_ID}_sustainability.csv"]  # 220 bytes at most: fits


def test_a_long_site_id_with_a_case_tag_gets_names_that_fit_and_can_be_written(tmp_path):
    from dcplan.site_analysis_case import export_stem
    assert len(f"{_LONG_ID}_{_LONG_TAG}_sustainability.csv") == 286  # by hand: 201 + 1 + 65 + 19, over 255
    names = _names(_LONG_ID, _LONG_TAG)
    # each leaves room for its temporary name (".tmp") within 255 bytes: the stem is 255 - 19 - 4 = 232 bytes
    stem = export_stem(_LONG_ID, _LONG_TAG)
    assert len(stem.encode()) == 232 and all(n.startswith(stem + "_") for n in names)
    assert max(len((n + ".tmp").encode()) for n in names) == 255
    # readable (the site id's start), unique (a hash of the whole id and tag) and the same on every run
    assert stem.startswith("s" * 200) and stem == export_stem(_LONG_ID, _LONG_TAG)
    other = case_tag({**DEFAULTS, "cooling": "liquid-w45-dry", "fleet_scale": 2.0, "pv_dc_kw": 0.0,
                      "tariff_file": "tariffs/comed-il-large-load-b.json"})
    assert export_stem(_LONG_ID, other) != stem and export_stem(_LONG_ID[:-1] + "t", _LONG_TAG) != stem
    for n in names:  # the file system takes them (the old names raised OSError: File name too long)
        (tmp_path / (n + ".tmp")).write_text("x")
        (tmp_path / (n + ".tmp")).replace(tmp_path / n)
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(names)


def test_the_notebook_prose_says_a_long_site_id_is_shortened_in_the_export_names():
    """The prose named the exports ``<site>_sustainability.csv`` and ``<site>_hourly.csv`` only, while a long site id
    (with its case) is cut to a start, "-" and a hash (:func:`export_stem`, the test above): a reader looking for
    the file by its site id did not find it. Every markdown cell that names an export by ``<site>`` says so."""
    import json
    from pathlib import Path
    nb = json.loads((Path(__file__).resolve().parents[1] / "notebooks" / "site_analysis.ipynb").read_text())
    prose = [" ".join("".join(c["source"]).split()) for c in nb["cells"] if c["cell_type"] == "markdown"]
    naming = [t for t in prose if "`<site>_" in t]
    assert len(naming) == 2, [t[:60] for t in naming]  # the sustainability and the hourly exports
    assert "shortened to its start, `-` and a hash" in naming[0] and "export_stem" in naming[0]
    assert "`<site>` as above, shortened when long" in naming[1]
