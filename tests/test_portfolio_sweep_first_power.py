"""The portfolio_sweep notebook's "Cost vs first power" text (tools/build_portfolio_sweep.py).

It said first power "depends on the site's filing date and interconnection region (or its own
time_to_power figures) only"; the power transformer's lead time often decides it (Phoenix: grid median
24 months, time to power 37.5), and then quoted those two figures in every render, whatever the portfolio:
now the prose quotes no site's figures (the table after the chart gives them); the transformer's lead time
it quotes is checked here against the data file by hand, so the text cannot drift from the data.
"""
from __future__ import annotations

import csv
import json
import re

from conftest import DATA, ROOT

BUILDER = (ROOT / "tools" / "build_portfolio_sweep.py").read_text()
NOTEBOOK = json.loads((ROOT / "notebooks" / "portfolio_sweep.ipynb").read_text())
DAYS_PER_MONTH = 365.25 / 12


def _rows(name: str, key: str) -> dict:
    lines = [ln for ln in (DATA / name).read_text().splitlines() if not ln.startswith("#")]
    return {r[key]: r for r in csv.DictReader(lines)}


def _section(title: str) -> str:
    src = ["".join(c["source"]) for c in NOTEBOOK["cells"]]
    return next(s for s in src if s.startswith(f"## {title}"))


def test_the_text_no_longer_says_the_region_alone_sets_first_power():
    text = " ".join(_section("Cost vs first power").split())
    assert "only" not in text.split("No axis")[0]
    for needed in ("interconnection.equipment_ordered", "critical_path", "long-lead equipment", "transformer"):
        assert needed in text


def test_the_figures_the_text_quotes_follow_from_the_data():
    text = " ".join(_section("Cost vs first power").split())
    m = re.search(r"median of (\d+) weeks, about ([\d.]+) months", text)
    weeks, months = int(m[1]), float(m[2])
    t = _rows("equipment_lead_times.csv", "item")["power_transformer"]
    assert weeks == int(t["median_weeks"]) and months == round(weeks * 7 / DAYS_PER_MONTH, 1)  # 34.5



def test_the_description_is_not_printed_beside_its_published_table():
    """It was printed, published (a table) and injected by render: three times in a report."""
    code = "".join("".join(c["source"]) for c in NOTEBOOK["cells"] if c["cell_type"] == "code")
    assert "print(about)" not in code and '"portfolio_description": (about' in code
    assert "print(about)" not in BUILDER


def test_the_text_quotes_no_sites_figures():
    """It said "Phoenix's grid wait has a median of 24 months, its time to power 37.5" in every render, whatever
    the portfolio: a site's medians are the table's after the chart (computed per case), not the prose's."""
    text = " ".join(_section("Cost vs first power").split())
    assert "Phoenix" not in text and not re.search(r"\d+ months, its time to power", text)
    code = "".join("".join(c["source"]) for c in NOTEBOOK["cells"] if c["cell_type"] == "code")
    assert "grid_median_months" in code and "equipment_median_months" in code  # the figures, computed per site
