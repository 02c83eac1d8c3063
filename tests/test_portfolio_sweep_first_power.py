"""The portfolio_sweep notebook's "Cost vs first power" text (tools/build_portfolio_sweep.py).

It said first power "depends on the site's filing date and interconnection region (or its own
time_to_power figures) only"; the power transformer's lead time often decides it (Phoenix: grid median
24 months, time to power 37.5). The figures its prose quotes are checked here against the data files
by hand, so the text cannot drift from the data.
"""
from __future__ import annotations

import csv
import json
import math
import re

import pytest
from scipy.optimize import brentq
from scipy.special import ndtr, ndtri

from conftest import DATA, ROOT

BUILDER = (ROOT / "tools" / "build_portfolio_sweep.py").read_text()
NOTEBOOK = json.loads((ROOT / "notebooks" / "portfolio_sweep.ipynb").read_text())
Z90 = float(ndtri(0.9))
DAYS_PER_MONTH = 365.25 / 12


def _rows(name: str, key: str) -> dict:
    lines = [ln for ln in (DATA / name).read_text().splitlines() if not ln.startswith("#")]
    return {r[key]: r for r in csv.DictReader(lines)}


def _cdf(t, median, p10, p90):
    if t <= 0:
        return 0.0
    return float(ndtr(math.log(t / median) / (math.log(median / p10 if t < median else p90 / median) / Z90)))


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
    m = re.search(r"Phoenix's grid wait has a median of (\d+) months, its time to power (\d+\.\d)", text)
    aps = _rows("interconnection.csv", "region")["az-aps"]
    grid = (float(aps["median_months"]), float(aps["p10_months"]), float(aps["p90_months"]))
    assert float(m[1]) == grid[0]
    # the later of the grid wait and the transformer and switchgear, independent: F_g * F_t * F_s = 0.5
    items = [tuple(float(r[k]) * 7 / DAYS_PER_MONTH for k in ("median_weeks", "low_weeks", "high_weeks"))
             for r in (_rows("equipment_lead_times.csv", "item")[i] for i in ("power_transformer", "switchgear"))]
    ttp = brentq(lambda x: _cdf(x, *grid) * math.prod(_cdf(x, *i) for i in items) - 0.5, 1, 200)
    assert float(m[2]) == pytest.approx(round(ttp, 1), abs=1e-9)  # 37.5
    # the bundled Phoenix site is on that region with the default equipment, ordered at filing
    from dcplan.site import load_portfolio
    ic = load_portfolio()["phoenix-az"].interconnection
    assert ic.region == "az-aps" and ic.equipment_ordered is None


def test_the_description_is_not_printed_beside_its_published_table():
    """It was printed, published (a table) and injected by render: three times in a report."""
    code = "".join("".join(c["source"]) for c in NOTEBOOK["cells"] if c["cell_type"] == "code")
    assert "print(about)" not in code and '"portfolio_description": (about' in code
    assert "print(about)" not in BUILDER
