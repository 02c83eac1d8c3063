"""The Monte Carlo's seed and distributions in results.json, and the seed as a tco notebook parameter
(finance reviewer: results.json did not record them, only the xlsx About sheet; the seed was fixed at 0).
Expected texts are written out by hand from the distributions' parameters."""
from __future__ import annotations

import json

import numpy as np
import pytest

from dcplan.errors import DcplanWarning, InputError
from dcplan.notebook_params import check_parameters
from dcplan.tco_mc_notes import distribution_line, mc_provenance_figures
from dcplan.tco_uncertainty import monte_carlo

from conftest import ROOT
from test_tco import bare


def test_distribution_lines_by_hand():
    assert distribution_line(("triangular", 0.0, 0.03, 0.06), "frac/yr") == \
        "triangular: low 0, mode 0.03, high 0.06 [frac/yr]"
    assert distribution_line(("normal", 12.0, 2.0)) == "normal: mean 12, sd 2"
    assert distribution_line(("truncnormal", 0.08, 0.02, 0.0, 0.2), "frac") == \
        "truncnormal: mean 0.08, sd 0.02, low 0, high 0.2 [frac]"
    assert distribution_line(("lognormal", 16_380_000.0, 0.2), "USD/MW") == \
        "lognormal: median 16,380,000, sigma 0.2 [USD/MW]"
    assert distribution_line(("uniform", 11.0, 26.0), "months") == "uniform: low 11, high 26 [months]"
    assert distribution_line(("fixed", 4.916), "USD/GPU-h") == "fixed: value 4.916 [USD/GPU-h]"
    # a site's delay table: the inverse CDF 0 -> 0, 0.5 -> 10, 1 -> 40 months, linear between: p10 = 2,
    # p50 = 10, p90 = 10 + 0.8 x 30 = 34 (hand)
    assert distribution_line(("quantiles", [0.0, 0.5, 1.0], [0.0, 10.0, 40.0]), "months") == (
        "quantiles (inverse CDF through 3 points): 10th / 50th / 90th percentile 2 / 10 / 34, range 0 to 40 [months]")


def test_published_seed_and_distributions_repeat_the_draws():
    """mc_seed is the root the draws came from: the same seed and distributions give the same draws, another
    seed other draws; each sampled input has its line, with its data/costs.csv unit."""
    inp = bare(horizon=3, n=10, server_usd_per_accelerator=10_000.0, revenue_usd_per_gpu_h=1.0)
    dists = {"server_usd_per_accelerator": ("triangular", 8_000.0, 10_000.0, 14_000.0),
             "revenue_usd_per_gpu_h": ("uniform", 0.5, 1.5)}
    mc = monte_carlo(inp, 0.0, dists, n_draws=200, seed=11)
    figs = mc_provenance_figures(mc.attrs["monte_carlo"])
    assert figs["mc_seed"][0] == 11 and figs["mc_seed"][1] is None
    assert set(figs) == {"mc_seed", "mc_distribution.server_usd_per_accelerator",
                         "mc_distribution.revenue_usd_per_gpu_h"}
    assert figs["mc_distribution.server_usd_per_accelerator"][0] == \
        "triangular: low 8,000, mode 10,000, high 14,000 [USD/accelerator]"
    assert figs["mc_distribution.revenue_usd_per_gpu_h"][0] == "uniform: low 0.5, high 1.5 [USD/GPU-h]"
    again = monte_carlo(inp, 0.0, dists, n_draws=200, seed=figs["mc_seed"][0])
    np.testing.assert_array_equal(again["npv_usd"], mc["npv_usd"])
    other = monte_carlo(inp, 0.0, dists, n_draws=200, seed=12)
    assert not np.array_equal(other["npv_usd"], mc["npv_usd"])


def test_seed_is_a_declared_notebook_parameter_default_0():
    nb = json.loads((ROOT / "notebooks" / "tco.ipynb").read_text())
    params = next(c for c in nb["cells"] if "parameters" in c.get("metadata", {}).get("tags", []))
    assert "seed: int = 0  #" in "".join(params["source"])
    assert nb["metadata"]["dcplan"]["parameters"]["seed"] == {"min": 0}
    code = "".join("".join(c["source"]) for c in nb["cells"] if c["cell_type"] == "code")
    assert "n_draws=n_draws, seed=seed)" in code and "seed=0)" not in code
    assert "publish(mc_prov_figs)" in code
    check_parameters({"seed": 12345}, "tco")
    with pytest.raises(InputError, match=r"tco allows seed in \[0, inf\)"):
        check_parameters({"seed": -1}, "tco")
    with pytest.raises(InputError, match="seed"):
        check_parameters({"seed": 1.5}, "tco")


@pytest.mark.slow
def test_notebook_draws_with_its_seed_parameter(monkeypatch):
    """The notebook's Monte Carlo at seed 3 records 3 and draws what monte_carlo(seed=3) draws; 100 draws
    (the minimum) draw the sampling warning, expected here."""
    from conftest import run_cells_until
    with pytest.warns(DcplanWarning, match="sampling standard error"):
        ns, _ = run_cells_until("tco", "mc = monte_carlo(", monkeypatch, site="research-triangle-nc", n_draws=100,
                                seed=3, export_dir="")
    assert ns["mc"].attrs["monte_carlo"]["seed"] == 3 and ns["mc_prov_figs"]["mc_seed"][0] == 3
    again = monte_carlo(ns["inputs"], ns["electricity"], ns["dists"], n_draws=100, seed=3)
    np.testing.assert_array_equal(again["npv_usd"], ns["mc"]["npv_usd"])
    assert set(ns["mc_prov_figs"]) == {"mc_seed", *(f"mc_distribution.{k}" for k in ns["dists"])}
