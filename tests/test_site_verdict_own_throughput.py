"""The verdict's caveat names the sites whose tokens are their site file's own throughput.

With no figure borrowed, site_verdict's caveat said "none: every fleet's tokens are its own part's example
throughput", false for a site giving finance.costs.tokens_per_s_per_accelerator (power.own_throughput,
commit 46d8350): its tokens are its file's figure, no benchmark of dcplan's, and its rank per million tokens
rests on it.
"""
from __future__ import annotations

import yaml

from conftest import bundled_site_copy

from dcplan import pipeline
from dcplan.site import load_portfolio
from dcplan.site_verdict import _caveat, own_text, site_verdict

WHO = {"a": "this site", "b": "Chicago, IL", "c": "Phoenix, AZ"}
OWN_ONE = ("the tokens of this site are its site file's own figure (11,264 tokens/s per accelerator, "
           "finance.costs.tokens_per_s_per_accelerator, as the TCO takes it), not a benchmark dcplan sources")


def test_the_caveat_by_case():
    # nothing borrowed, nothing given: as before
    assert _caveat({}, WHO, True, 0.0) == "none: every fleet's tokens are its own part's example throughput"
    # one site gives its own figure, the other fleet runs on its part's example
    assert _caveat({}, WHO, True, 0.0, {"a": 11264.0}, 2) == (
        OWN_ONE + "; every other fleet's tokens are its own part's example throughput")
    # every compared site gives its own figure
    assert _caveat({}, WHO, True, 0.0, {"a": 11264.0, "b": 5000.0}, 2) == (
        "the tokens of this site (11,264 tokens/s per accelerator), Chicago, IL (5,000 tokens/s per accelerator) are "
        "their site files' own figures (finance.costs.tokens_per_s_per_accelerator, as the TCO takes them), not "
        "benchmarks dcplan sources")
    # beside a borrowed figure, both are said
    assert _caveat({"c": ["hgx-b200"]}, WHO, True, 0.0, {"a": 11264.0}, 3) == (
        "the tokens of Phoenix, AZ (hgx-b200) are the H100 figure (no sourced figure of their own), so the rank per "
        "million tokens is an illustration; " + OWN_ONE)
    # the parameter's figure for all replaces every site's own
    assert _caveat({}, WHO, True, 5000.0, {}, 2) == \
        "every site's tokens at the parameter's 5,000 tokens/s per accelerator"
    assert own_text({"a": 11264.0}, WHO) == OWN_ONE


def test_a_site_giving_its_own_throughput_is_named(tmp_path):
    """A Phoenix copy (hgx-b200) giving 11,264 tokens/s per accelerator ranked beside a Research Triangle copy
    (hgx-h100, the H100 MLPerf example: its own part's, not borrowed)."""
    own = bundled_site_copy(tmp_path, "phoenix-az", "b200-own", name="B200 own",
                            finance={"costs": {"tokens_per_s_per_accelerator": 11264.0}})
    h100 = bundled_site_copy(tmp_path, "research-triangle-nc", "h100", name="H100 peer")
    pf_file = tmp_path / "pf.yaml"
    pf_file.write_text(yaml.safe_dump({"name": "t", "sites": [str(own), str(h100)]}))
    pf = load_portfolio(pf_file)
    spec = pf["b200-own"]
    v = site_verdict(spec, pipeline.run_site_year(spec), pf)
    assert v.caveat == OWN_ONE + "; every other fleet's tokens are its own part's example throughput"
    assert "; " + v.caveat in v.text  # the rank per million tokens rests on it: the verdict says so too
    # seen from the peer, the B200 site is named
    peer = pf["h100"]
    assert site_verdict(peer, pipeline.run_site_year(peer), pf).caveat == (
        "the tokens of B200 own are its site file's own figure (11,264 tokens/s per accelerator, "
        "finance.costs.tokens_per_s_per_accelerator, as the TCO takes it), not a benchmark dcplan sources; every "
        "other fleet's tokens are its own part's example throughput")
