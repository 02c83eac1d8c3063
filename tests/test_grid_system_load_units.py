"""A system-load CSV whose peak no power system has (kW values in an MW column gave a 28 TW "system")
is warned about, naming the file, the column, the peak and the unit it was read in.

Plausible range (dcplan.grid_headroom.PLAUSIBLE_SYSTEM_PEAK_MW, an estimate): 50 MW to 1,000 GW. The bundled
SYNTHETIC example peaks at about 28 GW (inside); the same values x 1,000 (kW written in an MW column) peak at
about 28,000 GW (above); the same MW values under a load_kw name are read as kW, x 0.001, a 28.3 MW peak
(below).
"""
from __future__ import annotations

import warnings

import pandas as pd
import pytest

from dcplan import grid
from dcplan.errors import DcplanWarning


def _write(path, values_mw, column):
    ex = grid.example_system_load()
    pd.DataFrame({"interval_end": ex.index.map(pd.Timestamp.isoformat), column: values_mw}).to_csv(path, index=False)
    return ex


def test_kw_in_an_mw_column_is_warned_with_file_column_peak_and_unit(tmp_path):
    ex = grid.example_system_load()
    f = tmp_path / "kw_as_mw.csv"
    _write(f, ex.to_numpy() * 1000.0, "system_load_mw")
    peak = float(ex.max()) * 1000.0  # about 2.8e7 MW: 28 TW
    assert peak > 1.0e6
    with pytest.warns(DcplanWarning) as rec:
        s = grid.read_system_load_csv(f)
    msg = str(rec[0].message)
    assert "kw_as_mw.csv" in msg and "column 'system_load_mw'" in msg and "read in MW" in msg
    assert f"peaks at {peak:,.6g} MW" in msg and "kW values in an MW column" in msg
    assert float(s.max()) == pytest.approx(peak)  # warned, not refused or rescaled


def test_a_tiny_peak_under_a_kw_name_is_warned_and_the_example_is_not(tmp_path):
    ex = grid.example_system_load()
    f = tmp_path / "mw_named_kw.csv"
    _write(f, ex.to_numpy(), "load_kw")  # MW values in a kW column: read as kW, peak 28.3 MW
    with pytest.warns(DcplanWarning, match=r"column 'load_kw', read in kW \(the unit in its name\), peaks at "
                                           r"28\.\d+ MW, outside the 50 MW to 1,000 GW"):
        grid.read_system_load_csv(f)
    ok = tmp_path / "ok.csv"
    _write(ok, ex.to_numpy(), "system_load_mw")
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        grid.read_system_load_csv(ok)  # 28 GW: a real system's size, no warning
