"""dcplan._ts.did_you_mean / unknown_key_message: suggestions compared case-insensitively, keeping the
key as the choices spell it (a black-box tester's finding: ``--column load_KW`` was offered
``'load_mw'``), and dcplan._ts.irregularity naming stamps the way a file writes them."""
from __future__ import annotations

import pandas as pd
import pytest

from dcplan import _ts


@pytest.mark.parametrize("word, choices, hint", [
    # a pure case difference is the suggestion (difflib on the raw text preferred 'load_mw': 'load_' +
    # 'W' match more of 'load_KW' than 'load_kw' does)
    ("load_KW", ["load_kw", "load_mw"], " (did you mean 'load_kw'?)"),
    ("NC-Duke", ["nc-duke", "va-dominion", "az-aps"], " (did you mean 'nc-duke'?)"),  # was no suggestion
    ("us", ["US", "GB", "DE"], " (did you mean 'US'?)"),
    # a typo in another case: matched lower-cased, suggested as the choice spells it
    ("America/new_yrok", ["America/New_York", "America/Chicago"], " (did you mean 'America/New_York'?)"),
    ("colour", ["rate", "max"], ""),
])
def test_did_you_mean_ignores_case_and_keeps_the_choice_spelling(word, choices, hint):
    assert _ts.did_you_mean(word, choices) == hint


def test_unknown_key_message_lists_the_allowed_keys_with_a_case_insensitive_suggestion():
    assert _ts.unknown_key_message("load_KW", ["load_mw", "load_kw"]) == \
        "unknown 'load_KW' (did you mean 'load_kw'?); allowed: load_kw, load_mw"


def test_an_unknown_region_in_another_case_gets_its_key():
    from dcplan.errors import InputError
    from dcplan.grid_lead_time import region_lead_time
    with pytest.raises(InputError, match=r"unknown region 'NC-Duke' \(did you mean 'nc-duke'\?\)"):
        region_lead_time("NC-Duke")


def test_irregularity_names_stamps_with_the_callers_names_and_fixes():
    idx = pd.DatetimeIndex(["2025-01-06 01:00", "2025-01-06 02:00", "2025-01-06 02:00"], tz="America/New_York")
    rows = lambda i: f"{idx[i]} (row {i + 2})"  # noqa: E731 - as tariff_load_stamps.as_written names them
    assert _ts.irregularity(idx, fix="x", at=rows, fixes={"duplicate": "keep one row per interval"}) == (
        "duplicate timestamp 2025-01-06 02:00:00-05:00 (row 4), the same instant as 2025-01-06 02:00:00-05:00 "
        "(row 3); keep one row per interval")
    # the Python API's wording without them (unchanged)
    assert _ts.irregularity(idx, fix="x") == ("duplicate timestamp 2025-01-06 02:00:00-05:00; drop or average the "
                                              "repeated rows first (e.g. x[~x.index.duplicated()])")
    back = idx[[0, 1]][::-1]  # 02:00, then 01:00
    named = lambda i: f"{back[i]} (row {i + 2})"  # noqa: E731
    assert _ts.irregularity(back, fix="x", at=named, fixes={"order": "sort the rows by time"}) == (
        "timestamps not increasing at 2025-01-06 01:00:00-05:00 (row 3), after 2025-01-06 02:00:00-05:00 (row 2); "
        "sort the rows by time")


def test_a_site_files_region_differing_in_case_gets_the_suggestion(tmp_path):
    """``region: NC-Duke`` in a site file listed the allowed keys but suggested nothing: the site
    specs use dcplan._text.did_you_mean, now the one case-insensitive function."""
    from conftest import bundled_site_copy
    from dcplan.site import SiteError, load_site
    f = bundled_site_copy(tmp_path, "research-triangle-nc", "case", interconnection={"region": "NC-Duke"})
    import pytest
    with pytest.raises(SiteError, match=r"did you mean 'nc-duke'\?"):
        load_site(f)
