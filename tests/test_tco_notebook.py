"""TCO notebook through `dcplan render`: workbook numbers = results.json = the chain's bill."""
from __future__ import annotations

import json

import pandas as pd
import pytest

from dcplan import pipeline
from dcplan.report import render
from dcplan.site import load_site


@pytest.mark.slow
def test_tco_render_exports_workbook_equal_to_results(tmp_path):
    s = render(sites=["chicago-il"], notebooks=["tco"], out=tmp_path, jobs=1, progress=False,
               parameters={"n_draws": 2000})
    assert s.ok, s.table()
    folder = tmp_path / "chicago-il" / "tco"
    doc = json.loads((folder / "results.json").read_text())
    res = doc["results"]
    xlsx = next(a["path"] for a in doc["artifacts"] if a["path"].endswith(".xlsx"))
    summary = pd.read_excel(folder / xlsx, sheet_name="Summary").set_index("key")["value"]
    shared = [k for k in summary.index if k in res and isinstance(res[k]["value"], (int, float))]
    assert len(shared) >= 8
    for k in shared:
        # openpyxl stores 16 significant digits; 1e-14 relative covers the last digit
        assert float(summary[k]) == pytest.approx(res[k]["value"], rel=1e-14), k
    # the electricity line in year 1 is the tariff bill of the chain's hourly grid load
    bill = pipeline.run_site_year(load_site("chicago-il")).bill.total_usd
    assert res["electricity_year1_usd"]["value"] == pytest.approx(bill, rel=1e-12)
    # the export is linked from the index
    assert xlsx.split("/")[-1] in (tmp_path / "index.html").read_text()
