"""The README's recipe for billing a site's own modelled year through ``dcplan bill``.

The recipe writes the chain's grid import to a CSV; ``dcplan bill`` must then give the bill the
site chain itself computes (``run_site_year(...).bill``, which site_analysis publishes), for a site
whose clock keeps daylight saving (Research Triangle, America/New_York): the README names the
``--tz`` it needs and clips PV exports, which the bill does not credit.
"""
from __future__ import annotations

import re

import pytest

from conftest import ROOT
from dcplan import pipeline
from dcplan.cli import main
from dcplan.paths import data_path
from dcplan.site import load_site


@pytest.mark.slow
def test_readme_recipe_bills_the_site_chains_bill(tmp_path, capsys, monkeypatch):
    readme = (ROOT / "README.md").read_text()
    m = re.search(r"to bill a site's own modelled year, write one with\s*`([^`]+)`", readme)
    assert m, "the README's bill recipe moved"
    recipe = m.group(1)
    assert "--tz" in readme[m.end():m.end() + 400]  # the README says a DST site needs its zone
    spec = load_site("research-triangle-nc")
    monkeypatch.chdir(tmp_path)
    exec(recipe.replace('"phoenix-az"', '"research-triangle-nc"'),
         {"run_site_year": pipeline.run_site_year, "load_site": load_site})
    capsys.readouterr()
    assert main(["bill", "--tariff", str(data_path(spec.tariff.file)), "--load", "load.csv",
                 "--tz", spec.timezone]) == 0
    total = float(re.search(r"total_usd:\s*([0-9,.]+)", capsys.readouterr().out).group(1).replace(",", ""))
    want = float(pipeline.run_site_year(spec).bill.total_usd)  # the chain's own bill (site_analysis)
    assert total == pytest.approx(want, abs=0.01)  # printed to the cent
