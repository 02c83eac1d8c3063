"""A portfolio whose ``sites:`` entry is a YAML alias bomb is refused with a short message.

A security reviewer's 466-byte portfolio (anchors a0..a7, each ten copies of the one before,
``sites: *a7``) made ``dcplan validate`` use 2.2 GB and write 720 MB of error text: the entry was
echoed with ``repr`` in full. It is now cut to dcplan.site_problems.MAX_VALUE_ECHO characters."""
from __future__ import annotations

import pytest

from dcplan.site import SiteError, load_portfolio
from dcplan.site_problems import MAX_VALUE_ECHO


def test_an_alias_bomb_entry_is_echoed_cut_short(tmp_path):
    entry = '&a0 "xxxxxxxxxx"'
    for i in range(1, 6):  # ten copies of the level below, five levels: 10^5 strings, a repr of ~1.4 MB
        entry = f"&a{i} [{entry}, {', '.join([f'*a{i - 1}'] * 9)}]"
    pf = tmp_path / "pf.yaml"
    pf.write_text(f"name: bomb\nsites: [{entry}]\n")
    assert len(pf.read_text()) < 500
    with pytest.raises(SiteError) as e:
        load_portfolio(pf)
    msg = str(e.value)
    assert "sites[0]: expected a site file path, got [[[" in msg
    assert len(msg) < len(str(pf)) + MAX_VALUE_ECHO + 200
