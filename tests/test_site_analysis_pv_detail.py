"""site_analysis shows the PV's inputs and its month-by-month output with clipping (a PV engineer's finding: the
report gave size, tilt, azimuth, tracking and annual MWh only; no DC/AC ratio, losses, GCR, monthly energy, peak AC
or clipped energy)."""
import pytest
import yaml

from dcplan import pipeline
from dcplan.site import load_portfolio
from tests.conftest import DATA, run_cells_until


@pytest.mark.slow
def test_chicago_pv_detail_is_shown_and_published(monkeypatch):
    ns, _ = run_cells_until("site_analysis", "pv_clipped_dc_mwh", monkeypatch, site="chicago-il")
    pv_months = ns["pv_months"]
    # the months add up to the site chain's year-1 PV energy (the same model on the same weather)
    y = pipeline.run_site_year(load_portfolio()["chicago-il"])
    assert float(pv_months["pv_mwh"].sum()) == pytest.approx(float(y.pv_kw.sum()) / 1000.0, rel=1e-9)
    # the AC rating by hand: data/sites/chicago-il.yaml solar.dc_kw 500 at the default dc_ac_ratio 1.2
    dc_kw = yaml.safe_load((DATA / "sites" / "chicago-il.yaml").read_text())["solar"]["dc_kw"]
    assert dc_kw == 500
    assert float(pv_months["ac_rating_kw"].iloc[0]) == pytest.approx(500 / 1.2, rel=1e-12)
    # no hour above the rating; the peak is the year's highest hourly PV
    assert float(pv_months["peak_pv_kw"].max()) == pytest.approx(float(y.pv_kw.max()), rel=1e-9)
    assert float(y.pv_kw.max()) <= 500 / 1.2 + 1e-6
    # the inputs table marks the file's fields and the defaults
    table = ns["solar_report"].solar_inputs_table(ns["spec"]).set_index("field")
    assert table.at["solar.dc_kw", "source"] == "site file" and table.at["solar.dc_ac_ratio", "source"] == "default"
