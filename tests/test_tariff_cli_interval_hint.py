"""``dcplan bill`` on a load finer than 5 min names the ``--interval`` that bills it.

A tariff analyst's 1-minute CSV got "interval 1 min not supported; allowed: 5, 10, 15, 20, 30 min, 1 h"
while ``--interval 15min`` (averaging) bills it.
"""
from __future__ import annotations

import json

import pandas as pd
import pytest

from dcplan.cli import main
from dcplan.errors import InputError


def _files(tmp_path, freq, n):
    t = tmp_path / "t.json"
    t.write_text(json.dumps({"label": "flat", "energyratestructure": [[{"rate": 0.10}]],
                             "energyweekdayschedule": [[0] * 24] * 12, "energyweekendschedule": [[0] * 24] * 12}))
    idx = pd.date_range("2025-07-01 00:00", periods=n + 1, freq=freq, tz="-05:00")[1:]
    f = tmp_path / "load.csv"
    pd.DataFrame({"timestamp": [t.isoformat() for t in idx], "load_kw": 600.0}).to_csv(f, index=False)
    return str(t), str(f)


@pytest.mark.parametrize("freq,n,hint", [
    ("1min", 1440, "; average it to 15min intervals with --interval 15min"),
    ("2min", 720, "; average it to 1h intervals with --interval 1h"),   # 15 min is no whole number of 2 min
    ("7min", 200, ""),                                                   # >= 5 min: --interval cannot mend it
])
def test_a_fine_load_names_the_interval_option(tmp_path, freq, n, hint):
    tariff, load = _files(tmp_path, freq, n)
    with pytest.raises(InputError) as ei:
        main(["--debug", "bill", "--tariff", tariff, "--load", load])
    step = freq.replace("min", " min")
    assert ei.value.detail == f"interval {step} not supported; allowed: 5, 10, 15, 20, 30 min, 1 h{hint}"


def test_the_named_option_bills_it(tmp_path, capsys):
    """1,440 one-minute readings of 600 kW (one day): 600 kW x 24 h x 0.10 $/kWh = 1,440.00 USD."""
    tariff, load = _files(tmp_path, "1min", 1440)
    assert main(["bill", "--tariff", tariff, "--load", load, "--interval", "15min"]) == 0
    (total,) = [ln for ln in capsys.readouterr().out.splitlines() if ln.strip().startswith("total_usd:")]
    assert float(total.split(":")[1].replace(",", "")) == pytest.approx(600 * 24 * 0.10, abs=0.005)
