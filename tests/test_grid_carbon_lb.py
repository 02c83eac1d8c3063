"""eGRID publishes lb/MWh: a cleaner subregion's figure typed as kg/MWh (SRVC 622.987, AZNM 776.036)
lies below the 800 kg/MWh ceiling that catches RFCW's 1000.053, and passed validate silently (a
sustainability officer's finding): Scope 2 came out 2.2 x too high. A figure within 0.5 % of a
listed eGRID2022 lb/MWh rate is now warned as that rate in lb/MWh."""
from __future__ import annotations

import re
import warnings

import pytest

from conftest import DATA, bundled_site_copy
from dcplan.errors import DcplanWarning
from dcplan.site_slips import EGRID2022_LB_PER_MWH, LB_TO_KG
from dcplan.validate import validate_file


def _site(tmp_path, value):
    f = bundled_site_copy(tmp_path, "phoenix-az", "carbon")
    f.write_text(re.sub(r"grid_carbon_kg_per_mwh: \S+", f"grid_carbon_kg_per_mwh: {value}", f.read_text()))
    return f


def test_the_listed_rates_are_data_sources_table():
    """The constant repeats data/SOURCES.md's eGRID2022 table (subregion, lb/MWh), and each bundled
    site's kg/MWh is its lb/MWh x 0.45359237 to the 0.1 kg/MWh the table gives."""
    rows = re.findall(r"\| [a-z-]+ \| [^|]+ \| (\w+) \([^)]*\) \| ([\d.]+) \| ([\d.]+) \|",
                      (DATA / "SOURCES.md").read_text())
    table = {sub: float(lb) for sub, lb, _ in rows}
    assert table == EGRID2022_LB_PER_MWH
    for sub, lb, kg in rows:
        assert float(lb) * LB_TO_KG == pytest.approx(float(kg), abs=0.05)


@pytest.mark.parametrize("value, sub, kg", [(776.036, "AZNM", "352.0"), (622.987, "SRVC", "282.6"), (623, "SRVC", "282.6")])
def test_a_cleaner_subregions_lb_rate_typed_as_kg_is_warned(tmp_path, value, sub, kg):
    """Hand: 776.036 lb/MWh x 0.45359237 = 352.0 kg/MWh; 622.987 x 0.45359237 = 282.6 (a rounded 623 is
    0.002 % from it, within the 0.5 % match)."""
    f = _site(tmp_path, value)
    with pytest.warns(DcplanWarning) as rec:
        assert validate_file(f) == []
    msgs = [str(w.message) for w in rec if "grid_carbon_kg_per_mwh" in str(w.message)]
    lb = EGRID2022_LB_PER_MWH[sub]
    assert msgs == [f"{f}: grid_carbon_kg_per_mwh: {value:,} kg/MWh is EPA eGRID2022's {sub} subregion rate in lb/MWh "
                    f"({lb:,} lb/MWh, data/SOURCES.md), typed as kg/MWh? In kg/MWh it is {kg} ({lb:,} x 0.4536); "
                    "as written every carbon figure of this site is 2.2046 x too high. Expected: kg of CO2 per MWh"]


@pytest.mark.parametrize("value", [352.0, 700.0, 780.0])
def test_the_kg_figure_and_other_values_pass(tmp_path, value):
    """352.0 is AZNM in kg/MWh (no warning); 700 and 780 are 0.5 %+ away from every listed lb rate
    (776.036 x 1.005 = 779.9)."""
    f = _site(tmp_path, value)
    with warnings.catch_warnings():
        warnings.simplefilter("error", DcplanWarning)
        assert validate_file(f) == []
