"""Ranks treat figures equal up to float noise as tied (dcplan.rank_ties, relative 1e-9).

Finding of a verifier: rank_of used an exact pandas rank (method="min"), so a hardware tester's two identical
sites with annual PUE 1.179173090895796 and 1.1791730908957954 were ranked 4 and 3, and two sites shown as PUE
1.106 were ranked 1 and 2, while first-power ranks and the portfolio comparison treat ties as ties.
"""
from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

import dcplan.site_verdict as sv
from dcplan import pipeline
from dcplan.rank_ties import all_tied, competition_ranks, decimals_apart, tied
from dcplan.site import Portfolio, load_portfolio
from dcplan.site_verdict import rank_of, site_verdict, tone


def test_the_testers_pues_are_tied():
    a, b = 1.179173090895796, 1.1791730908957954
    assert a != b and tied(a, b)
    pue = pd.Series({"s1": 1.10, "s2": 1.15, "hw-a": a, "hw-b": b, "s5": 1.30})
    assert rank_of(pue, "hw-a") == rank_of(pue, "hw-b") == (3, 5)     # were 4 and 3
    assert rank_of(pue, "s5") == (5, 5) and rank_of(pue, "s1") == (1, 5)
    assert competition_ranks(pue, low_is_good=False).to_dict() == {"s5": 1, "s2": 4, "s1": 5, "hw-a": 2, "hw-b": 2}
    # figures that really differ are not tied, however they print: 1.1056 and 1.1064 are both "1.106"
    assert not tied(1.1056, 1.1064) and rank_of(pd.Series({"x": 1.1064, "y": 1.1056}), "x") == (2, 2)
    assert decimals_apart(pd.Series([1.1056, 1.1064]), 3) == 4 and decimals_apart(pd.Series([a, b, 1.3]), 3) == 3
    # a figure of 0 (the earliest site's months to first power) and float noise beside it
    assert rank_of(pd.Series({"x": 0.0, "y": 4e-16, "z": 3.0}), "y") == (1, 3)
    # every site tied: the figure tells them apart in nothing (the tone counts it neither first nor last)
    assert all_tied(pd.Series([a, b, np.nan])) and not all_tied(pd.Series([1.1056, 1.1064]))
    assert tone({"annual_pue": (1, 2), "usd_per_m_tokens": (1, 2), "first_power_months": None},
                ("annual_pue",)) == "a middle-of-the-pack candidate"


@pytest.fixture(scope="module")
def two():
    pf = load_portfolio()
    a = pf["phoenix-az"]
    b = a.model_copy(update={"id": "phoenix-b", "name": "Phoenix B"})
    return Portfolio(name="two Phoenix", sites=(a, b)), pipeline.run_site_year(a)


def _noisy(monkeypatch, bump):
    """site_row with the copy's figures moved by ``bump`` (x -> bump(x)) on PUE."""
    real = sv.site_row

    def row(s, *args, **kw):
        r = real(s, *args, **kw)
        if r["site"] == "phoenix-b":
            r["annual_pue"] = bump(r["annual_pue"])
        return r
    monkeypatch.setattr(sv, "site_row", row)


def test_a_verdict_on_float_noise_ranks_the_sites_tied(two, monkeypatch):
    pf, y = two
    _noisy(monkeypatch, lambda x: float(np.nextafter(x, 0.0)))   # the copy's PUE one float step lower
    v = site_verdict(pf["phoenix-az"], y, pf)
    assert v.ranks["annual_pue"] == (1, 2)                       # was (2, 2)
    pue = pipeline.figures(y)["annual_pue"]
    assert f"Phoenix, AZ: annual PUE {pue:.3f} (rank 1 of 2 in the portfolio, lowest first)" in v.text


def test_pues_that_differ_but_print_alike_are_shown_apart(two, monkeypatch):
    pf, y = two
    pue = pipeline.figures(y)["annual_pue"]
    other = (pue + round(pue, 3) - 5e-4) / 2          # below it, but the same to 3 decimals
    assert f"{other:.3f}" == f"{pue:.3f}" and not tied(other, pue)
    _noisy(monkeypatch, lambda x: other)
    v = site_verdict(pf["phoenix-az"], y, pf)
    assert v.ranks["annual_pue"] == (2, 2)
    head = v.text.split(" (rank 2 of 2")[0]            # "Phoenix, AZ: annual PUE 1.1234"
    shown = head.rsplit(" ", 1)[1]
    n = len(shown.split(".")[1])
    assert n > 3 and shown == f"{pue:.{n}f}" != f"{other:.{n}f}"   # a rank 2 that does not read as the rank 1
