"""``dcplan bill --interval``: the load step and the interval named as the user types them."""
from __future__ import annotations

import pandas as pd
import pytest

from dcplan.cli import main
from dcplan.cli_bill import duration_text
from dcplan.paths import data_path

FLAT = str(data_path("tariffs", "comed-il-large-load.json"))


@pytest.mark.parametrize("td, text", [
    (pd.Timedelta("1h"), "1h"), (pd.Timedelta("15min"), "15min"), (pd.Timedelta("90min"), "90min"),
    (pd.Timedelta("30s"), "30s"), (pd.Timedelta(days=1), "24h"), (pd.Timedelta("1500ms"), "1500ms"),
    (pd.Timedelta(7, "ns"), "7ns"),
])
def test_duration_text_is_what_interval_takes(td, text):
    assert duration_text(td) == text
    assert pd.Timedelta(text) == td  # and reads back as the same duration


def test_interval_not_a_multiple_of_the_load_step_names_both_as_typed(tmp_path, capsys):
    # an hourly load cannot be billed at 7 or 15 min: pandas' own str() printed
    # "cannot bill a 0 days 01:00:00 load at 0 days 00:07:00"
    idx = pd.date_range("2025-01-01 01:00", periods=48, freq="h", tz="America/Chicago")
    f = tmp_path / "load.csv"
    pd.DataFrame({"timestamp": idx.strftime("%Y-%m-%dT%H:%M%z"), "load_kw": 100.0}).to_csv(f, index=False)
    for interval, want in (("15min", "cannot bill a 1h load at 15min"), ("30min", "cannot bill a 1h load at 30min")):
        assert main(["bill", "--tariff", FLAT, "--load", str(f), "--interval", interval]) == 2
        err = capsys.readouterr().err.strip()
        assert err == f"dcplan: error: {f}: --interval: {want}: need a multiple of the load step", err
    # a step no load makes billable is named as such first (7 min was told "need a multiple", and the
    # multiple 2 h then "not supported")
    from dcplan.tariff_engine import ALLOWED_STEPS_TEXT
    for interval in ("7min", "90s", "2h"):
        assert main(["bill", "--tariff", FLAT, "--load", str(f), "--interval", interval]) == 2
        err = capsys.readouterr().err.strip()
        assert err == (f"dcplan: error: {f}: --interval: interval {interval} is not supported; allowed: "
                       f"{ALLOWED_STEPS_TEXT}"), err
