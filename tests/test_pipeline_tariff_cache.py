"""The pipeline parses a tariff once per process, keyed by the file's date and size; an RTP tariff's
price series (``dcplan_rtp_price_file``) was not in the key, so a process that had parsed it kept the
old prices after the CSV was edited (a sweep fixer's finding: an in-process sweep, a Dask worker or a
notebook billed at stale prices)."""
from __future__ import annotations

import os
import shutil

import pandas as pd
import pytest

from conftest import DATA, bundled_site_copy
from dcplan import pipeline
from dcplan.site import load_site


def test_an_edited_price_file_is_read_again(tmp_path):
    shutil.copy(DATA / "tariffs" / "rtp-example.json", tmp_path / "rtp.json")
    shutil.copy(DATA / "tariffs" / "rtp-example-prices-synthetic.csv", tmp_path / "rtp-example-prices-synthetic.csv")
    site = load_site(bundled_site_copy(tmp_path, "chicago-il", "chi-rtp", tariff={"file": str(tmp_path / "rtp.json")}))
    t1 = pipeline.site_tariff(site)
    assert pipeline.site_tariff(site) is t1  # parsed once while nothing changed
    prices = tmp_path / "rtp-example-prices-synthetic.csv"
    df = pd.read_csv(prices)
    df["price_usd_per_kwh"] = 2.0 * df["price_usd_per_kwh"]
    df.to_csv(prices, index=False)
    st = os.stat(prices)
    os.utime(prices, ns=(st.st_atime_ns, st.st_mtime_ns + 10**9))  # a later date whatever the clock's step
    t2 = pipeline.site_tariff(site)
    assert t2 is not t1
    idx = pd.date_range("2025-07-01 12:00", periods=3, freq="h", tz="America/Chicago")
    # doubled series, same 0.012 $/kWh adder (data/tariffs/rtp-example.json): p2 - 0.012 = 2 (p1 - 0.012)
    p1, p2 = t1.energy_price(idx).to_numpy(), t2.energy_price(idx).to_numpy()
    assert p2 - 0.012 == pytest.approx(2.0 * (p1 - 0.012), rel=1e-12)
