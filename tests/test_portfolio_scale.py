"""The portfolio comparison at 20+ sites (a site-selection analyst screening 23 sites):

1. a site whose plant cannot carry its IT load in some hours was named best (its PUE reads low);
2. sites sharing a name merged in the score chart and could not be told apart in the caveat;
3. the key-figures cell (172,350 characters at 22 sites) lost output, the "when power arrives"
   definition with it;
4. warnings did not say which site they were about;
5. the charts were unreadable at 20+ sites (legend over the plot, colours repeated);
6. ties were handled only for first place.
"""
from __future__ import annotations

import json
import math

import pandas as pd
import pytest

from conftest import gc_noise as _gc_noise

from conftest import bundled_site_copy
from dcplan import pipeline
from dcplan.errors import DcplanWarning
from dcplan.portfolio_compare import compare, comparison_table, lacks
from dcplan.portfolio_report import (KEY_GROUPS, best_score, best_text, display_names, key_figures_table,
                                     score_ranks, score_table, short_text, tie_groups, ties_text)
from dcplan.results import MIME, format_value
from dcplan.site import load_portfolio, load_site

NAMES = {"a": "Site A", "b": "Site B", "c": "Site C"}
SHORT = ("its plant is short of the hour's IT load in 526 h of the typical year (up to 6,677 kW): its PUE reads "
         "low (cooling counted only for the heat it removes); fix the plant before comparing")


def _two(**over):
    """Two sites: A cheaper per token but its plant short of the IT load in 526 h (the tester's
    phoenix-gb200: worst hour 7,346 kW of IT against 669 kW of capacity, 6,677 kW short); B carries it."""
    t = pd.DataFrame({"usd_per_m_tokens": [0.004, 0.014], "usd_per_gpu_h": [0.14, 0.11],
                      "annual_pue": [1.11, 1.17], "derate_h": [526.0, 0.0], "derate_max_kw": [6677.0, 0.0]},
                     index=pd.Index(["a", "b"], name="site"))
    for k, v in over.items():
        t[k] = v
    return t


# -- 1. a plant short of its IT load is not eligible for best --------------------------------------

def test_a_site_whose_plant_is_short_is_not_named_best_and_the_headline_says_why():
    c = compare(_two(), {"usd_per_m_tokens": 0.9, "annual_pue": 0.1}, "tokens")
    # min-max over two sites: A 0 on both criteria, B 1 on both: scores A 0, B 1
    assert c.score.score.to_dict() == {"a": 0.0, "b": 1.0}
    assert c.short == {"a": {"derate_h": 526.0, "derate_max_kw": 6677.0}}
    assert c.best == "b" and c.passed_over == ("a",)
    assert best_text(c, NAMES) == f"Site B; Site A scores lower (0) but {SHORT}"
    assert best_score(c) == (1.0, "Its score")
    # flagged in the ranked table too, with its rank kept
    rows = dict(score_table(c, NAMES, 1.0).rows)
    assert rows["Site A"]["rank"] == "1" and rows["Site A"]["note"] == f"not eligible for best: {SHORT}"
    assert rows["Site B"]["note"] == ""
    # per GPU-hour B is cheaper anyway: best on the other basis too, never A by the same rule
    assert c.best_other_basis == "b"


def test_when_every_scored_plant_is_short_no_site_is_best():
    c = compare(_two(derate_h=[526.0, 3.0], derate_max_kw=[6677.0, 12.0]), {"usd_per_m_tokens": 1.0}, "tokens")
    assert c.best is None and c.best_tie == () and c.passed_over == ("a", "b")
    assert best_text(c, NAMES).startswith("none: no scored site's plant carries its IT load in every hour of the typical year; "
                                          f"Site A scores lower (0) but {SHORT}; Site B scores lower (1) but its "
                                          "plant is short of the hour's IT load in 3 h of the typical year (up to 12 kW)")
    assert best_score(c) == (0.0, "Lowest score (a site whose plant is short of its IT load: not named best)")


def test_a_short_site_scoring_worse_than_the_best_is_not_in_the_headline():
    c = compare(_two(usd_per_m_tokens=[0.02, 0.014]), {"usd_per_m_tokens": 1.0}, "tokens")
    assert c.best == "b" and c.passed_over == () and best_text(c, NAMES) == "Site B"


@pytest.fixture(scope="module")
def phoenix_w45():
    """The bundled Phoenix site on the W45 dry-cooler reference plant: short in its hottest hours."""
    # Phoenix's HGX servers are air-cooled: the liquid reference plant says it runs them as liquid-cooled
    with pytest.warns(DcplanWarning, match=r".*because the reference plant 'liquid-w45-dry'"):
        return pipeline.with_reference_plant(load_site("phoenix-az"), "liquid-w45-dry")


def test_comparison_table_names_the_site_of_a_warning_and_keeps_its_shortfall(phoenix_w45):
    with pytest.warns(DcplanWarning, match=r"^site Phoenix, AZ \(phoenix-az\): hourly plant: in \d+ h .* below even "
                                           r"the fully throttled hall"):
        t = comparison_table([phoenix_w45])
    with pytest.warns(DcplanWarning):
        y = pipeline.run_site_year(phoenix_w45)
    # the figures site_analysis publishes: derate_h (plant_summary) and the worst hour's derate_kw
    assert t.at["phoenix-az", "derate_h"] == pipeline.figures(y)["derate_h"] > 0
    assert t.at["phoenix-az", "derate_max_kw"] == float(y.plant["derate_kw"].max()) > 0


# -- 2. sites sharing a name -------------------------------------------------------------------

def test_display_names_tell_sites_of_one_name_apart():
    got = display_names({"phoenix-aps": "Phoenix, AZ (APS E-32)", "phoenix-zero-carbon": "Phoenix, AZ (APS E-32)",
                         "chicago-comed": "Chicago, IL"})
    assert got == {"phoenix-aps": "Phoenix, AZ (APS E-32) [phoenix-aps]",
                   "phoenix-zero-carbon": "Phoenix, AZ (APS E-32) [phoenix-zero-carbon]",
                   "chicago-comed": "Chicago, IL"}


def test_validate_and_render_warn_of_two_sites_of_one_name(tmp_path):
    # said by dcplan validate and dcplan render (their plausibility warnings), not on every load: a test
    # or a script comparing two copies of one site loads them silently, and the reports say "name [id]"
    from dcplan.report_plan import warn_rendered_sites
    from dcplan.validate import validate_file
    a = bundled_site_copy(tmp_path, "phoenix-az", "phx-a")
    b = bundled_site_copy(tmp_path, "phoenix-az", "phx-b")
    pf = tmp_path / "pf.yaml"
    pf.write_text(f"name: t\nsites: [{a.name}, {b.name}]\n")
    want = (f"{pf}: sites 'phx-a' ({a}) and 'phx-b' ({b}) share the name 'Phoenix, AZ'; the reports tell them apart "
            "as 'Phoenix, AZ [<id>]'; give each site its own name (allowed: a name no other site of the portfolio has)")
    loaded = load_portfolio(pf)  # no warning (DcplanWarning is an error here)
    with pytest.warns(DcplanWarning) as rec:
        assert validate_file(pf) == []
    assert want in [str(w.message) for w in rec]
    with pytest.warns(DcplanWarning) as rec:
        warn_rendered_sites(loaded, [])
    assert [str(w.message) for w in rec if not _gc_noise(w)] == [want]


def test_the_bundled_portfolio_has_no_two_sites_of_one_name():
    load_portfolio()  # DcplanWarning is an error here (pyproject filterwarnings)


# -- 3. the key figures fit at 50 sites --------------------------------------------------------

def _table(n: int) -> pd.DataFrame:
    """A comparison table of ``n`` sites with long ids and names, every figure present."""
    ids = [f"candidate-site-number-{i:03d}" for i in range(n)]
    t = pd.DataFrame({"annual_pue": 1.1234, "free_cooling_h": 5446.0, "derate_h": 526.0, "derate_max_kw": 6677.0,
                      "facility_mwh": 138730.0, "bill_usd": 12345678.0, "usd_per_m_tokens": 0.0123,
                      "usd_per_gpu_h": 0.133, "tokens_per_s_per_accelerator": 3066.0,
                      "throughput_key": "h100-sxm/llama-2-70b-offline",
                      "first_energized_p50": pd.Timestamp("2028-03-01"), "first_power_months": 10.68,
                      "time_to_power_median_months": 49.1, "carbon_g_per_m_tokens": 63.4,
                      # given months waited: the whole wait's median published beside it (dcplan.portfolio_power)
                      "time_to_power_given": "given 40.0 months waited without power by 2025-03-01",
                      "time_to_power_median_unconditioned_months": 41.8,
                      "carbon_kg_per_gpu_h": 0.42}, index=pd.Index(ids, name="site"))
    return t


def test_fifty_sites_key_figures_fit_a_cell_and_show_every_figure():
    """dcplan.report_trim keeps at most 100,000 characters of text (HTML and plain) per cell and
    80,000 per HTML output: the 22-site cell of per-site tables was 172,350."""
    t = _table(50)
    labels = {sid: f"Northern Virginia (Ashburn), VA - H100 air hall, candidate {sid}" for sid in t.index}
    keys = set()
    for group, cols in KEY_GROUPS.items():
        bundle = key_figures_table(t, labels, group, lacks, pd.Timestamp("2027-12-01"))._repr_mimebundle_()
        html, plain = bundle["text/html"], bundle["text/plain"]
        assert len(html) < 80_000 and len(html) + len(plain) < 60_000, (group, len(html), len(plain))
        recs = bundle[MIME]["records"]
        assert len(recs) == 50 * len(cols)
        for r in recs:  # each figure shown in a cell carrying its key, as results.json has it
            assert f"data-key='{r['key']}'>{format_value(r['value'], r['unit'])}<" in html, r["key"]
        keys |= {r["key"] for r in recs}
    sid = t.index[0]
    assert {f"{sid}.{k}" for cols in KEY_GROUPS.values() for k in cols} <= keys


# -- 5. charts at 20+ sites ------------------------------------------------------------------------

def test_score_chart_grows_with_the_sites_and_keeps_its_title_and_ticks():
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    from dcplan import plotting, portfolio_plots
    plotting.use_style()
    ids = [f"site-{i}" for i in range(22)]
    order = pd.Series([i / 30 for i in range(22)], index=ids)
    labels = {s: f"Northern Virginia (Ashburn), VA - H100 air hall, second campus, parcel {s}" for s in ids}
    title = ("Weighted score by site (lower is better)\nweights: electricity 0.4, when power arrives 0.3, PUE 0.1, "
             "grid carbon 0.1, derate hours 0.1")
    fig = portfolio_plots.score_bars(order, labels, 1.0, title, "score", short={"site-0": {}})
    try:
        assert tuple(fig.get_size_inches()) == pytest.approx((10.0, 0.3 * 22 + 1.8))  # 800 x 672 px at 80 dpi
        fig.canvas.draw()
        r = fig.canvas.get_renderer()
        box, title_box = fig.bbox, fig._suptitle.get_window_extent(r)
        assert title_box.x0 >= box.x0 and title_box.x1 <= box.x1 and title_box.y1 <= box.y1
        ax = fig.axes[0]
        assert len([t for t in ax.get_xticklabels() if t.get_text()]) >= 5
        assert len({t.get_text() for t in ax.get_yticklabels()}) == 22  # one bar per site, none merged
    finally:
        plt.close(fig)
    # one colour-and-marker pair per site, never repeated within 80 sites
    assert len({portfolio_plots.site_style(i) for i in range(80)}) == 80


def test_cost_vs_power_legend_is_outside_the_plot():
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    from dcplan import portfolio_plots
    t = _table(22)
    t["first_energized_p10"] = pd.Timestamp("2027-06-01")
    t["first_energized_p90"] = pd.Timestamp("2029-06-01")
    fig = portfolio_plots.cost_vs_power(t, "usd_per_m_tokens", "USD per million tokens", {s: s for s in t.index}, "x")
    try:
        fig.canvas.draw()
        ax = fig.axes[0]
        leg = ax.get_legend().get_window_extent()
        assert leg.x0 >= ax.get_window_extent().x1 and len(ax.get_legend().get_texts()) == 22
    finally:
        plt.close(fig)


# -- 6. ties at every rank and on the other basis ----------------------------------------------------

def test_ranks_show_ties_at_every_place():
    sc = pd.Series([0.218, 0.483, 0.483, 0.5, 0.558, 0.558], index=list("abcdef"))
    assert score_ranks(sc).to_dict() == {"a": "1", "b": "=2", "c": "=2", "d": "4", "e": "=5", "f": "=5"}
    assert tie_groups(sc) == [("b", "c"), ("e", "f")]
    names = {k: k.upper() for k in sc.index}
    assert ties_text(sc, names) == "Tied (equal scores, ranks shown as =k): B and C at 0.483 (=2); E and F at 0.558 (=5)"
    assert ties_text(sc.drop(["c", "f"]), names) == ""


def test_best_on_the_other_basis_handles_a_tie_as_best_does():
    t = pd.DataFrame({"usd_per_m_tokens": [0.1, 0.3, 0.2], "usd_per_gpu_h": [0.5, 0.2, 0.2],
                      "derate_h": [0.0, 0.0, 0.0]}, index=pd.Index(["a", "b", "c"], name="site"))
    c = compare(t, {"usd_per_m_tokens": 1.0}, "tokens")
    assert c.best == "a" and c.best_other_basis is None and c.best_other_tie == ("b", "c")
    assert c.caveat(NAMES, "tokens") == "per installed GPU-hour no site is best: Site B, Site C tie for the lowest score"


# -- the notebook, rendered: a hand-built portfolio ----------------------------------------------------

@pytest.mark.slow
def test_portfolio_comparison_names_a_short_plant_a_tie_and_sites_of_one_name(tmp_path):
    """Phoenix on the W45 dry cooler (short in its hottest hours) beside two identical Chicago sites
    of one name. Scored on when power arrives alone: Phoenix's first power (2028-03-01) is the
    earliest, 0; both Chicagos' (2028-07-26) are the latest, 1, tied. Phoenix is not eligible, the
    Chicagos tie: no best site, and the headline names Phoenix with its plant's shortfall."""
    from dcplan.report import render
    files = [bundled_site_copy(tmp_path, "phoenix-az", "phoenix-az"), bundled_site_copy(tmp_path, "chicago-il", "chi-1"),
             bundled_site_copy(tmp_path, "chicago-il", "chi-2")]
    pf = tmp_path / "pf.yaml"
    pf.write_text("name: t\nsites: [" + ", ".join(f.name for f in files) + "]\n")
    with pytest.warns(DcplanWarning, match="share the name 'Chicago, IL'"):
        s = render(portfolio=pf, notebooks=["portfolio_comparison"], out=tmp_path / "r", jobs=1, progress=False,
                   plausibility_warnings=True,
                   parameters=dict(cooling="liquid-w45-dry", weight_cost=0.0, weight_time_to_power=1.0, weight_pue=0.0,
                                   weight_carbon=0.0, weight_derate=0.0))
    assert s.ok, s.table()
    doc = json.loads((tmp_path / "r" / "_portfolio" / "portfolio_comparison" / "results.json").read_text())
    res = doc["results"]
    with pytest.warns(DcplanWarning):
        y = pipeline.run_site_year(pipeline.with_reference_plant(load_site(files[0]), "liquid-w45-dry"))
    h, kw = pipeline.figures(y)["derate_h"], float(y.plant["derate_kw"].max())
    assert res["phoenix-az.derate_h"]["value"] == h > 0 and res["phoenix-az.derate_max_kw"]["value"] == kw
    assert res["phoenix-az.score"]["value"] == 0.0 and res["chi-1.score"]["value"] == res["chi-2.score"]["value"] == 1.0
    assert res["best_site"]["value"] == (
        "none: Chicago, IL [chi-1], Chicago, IL [chi-2] tie on the weighted criteria; Phoenix, AZ scores lower (0) "
        f"but its plant is short of the hour's IT load in {h:,.0f} h of the typical year (up to {kw:,.0f} kW): its "
        "PUE reads low (cooling counted only for the heat it removes); fix the plant before comparing")
    assert res["chi-2.bill_usd"]["label"].startswith("Chicago, IL [chi-2]: ")
    # the warnings name their site
    assert any(w.startswith("site Phoenix, AZ (phoenix-az): hourly plant: ") for w in doc["warnings"])
    text = (tmp_path / "r" / "_portfolio" / "portfolio_comparison" / "notebook.ipynb").read_text()
    assert "Tied (equal scores, ranks shown as =k): Chicago, IL [chi-1] and Chicago, IL [chi-2] at 1 (=2)" in text
    assert "When power arrives is scored as months after 2028-03-01" in text
    assert not math.isnan(res["best_site_score"]["value"]) and res["best_site_score"]["value"] == 1.0
