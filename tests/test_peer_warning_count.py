"""The warning count beside a run's headline figures says how many are the site's own and how many a
peer site's (dcplan.peer_warnings.count_text): a Sand Point site_analysis with no warning of its own
read "3 warnings (see the report)" in the index and its report opened with "3 warnings in this run",
all three about the peer sites its verdict ranks."""
from __future__ import annotations

from dcplan.peer_warnings import count_text, peer_prefix
from dcplan.report_html import _warnings_cell

PEER = peer_prefix("Miami, FL", "miami-fl") + "its weather year 2024 is a leap year"


def test_count_text_separates_the_sites_own_warnings_from_its_peers():
    assert count_text([]) == ""
    assert count_text(["own"]) == "1 warning"
    assert count_text(["own", "two"]) == "2 warnings"
    assert count_text(["own", PEER]) == "1 warning and 1 about peer site"
    assert count_text(["own", "two", PEER, PEER + "!", PEER + "?"]) == "2 warnings and 3 about peer sites"
    assert count_text([PEER]) == ("1 warning, about a peer site ranked beside it (none about this site's own "
                                  "figures)")
    assert count_text([PEER, PEER + "!", PEER + "?"]) == (
        "3 warnings, all about peer sites ranked beside it (none about this site's own figures)")


def test_the_index_flag_counts_peer_warnings_apart():
    cell = _warnings_cell([PEER, PEER + "!"])
    assert "2 warnings, all about peer sites ranked beside it (none about this site&#x27;s own figures) " in cell
    assert "(in the report and its results.json)" in cell
