"""A site whose clock on 1 January differs from its weather station's standard time.

Blythe, CA (Pacific time, UTC-8) on the Phoenix file (UTC-7, 190 km east): the station check
allows a 1 h difference. Before, the year on the site's clock began at 00:00 on 1 January, the
bill had a 13th, one-hour month with a whole fixed charge, and the TCO refused the bill.
"""
from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from dcplan import pipeline
from dcplan.site import load_portfolio
from dcplan.sweep_spec import apply_overrides


def _blythe():
    phx = load_portfolio()["phoenix-az"]
    return phx, apply_overrides(phx, {"timezone": "America/Los_Angeles", "latitude": 33.61,
                                      "longitude": -114.6, "elevation_m": 80.0})


# Blythe, CA on Phoenix's weather file: a site across a time-zone border from its station, which
# dcplan.site warns about (right only for such a site); the warning is this test's premise
@pytest.mark.filterwarnings("ignore:.*across a time-zone border:dcplan.errors.DcplanWarning")
def test_site_on_a_neighbouring_zone_bills_twelve_months_and_ages_its_pv():
    phx, blythe = _blythe()
    y, yp = pipeline.run_site_year(blythe), pipeline.run_site_year(phx)
    assert y.grid_kw.index[0] == pd.Timestamp("2025-01-01 01:00", tz="America/Los_Angeles")
    assert len(y.bill.monthly) == 12
    # the same tariff's customer charge, twelve times (not thirteen)
    assert y.bill.fixed_usd == yp.bill.fixed_usd
    by_age = pipeline.electricity_by_pv_age(y, 3)  # refused a 13-month bill before
    assert np.asarray(by_age.monthly_usd).shape == (3, 12)
    np.testing.assert_allclose(np.asarray(by_age.monthly_usd)[0], y.bill.monthly["total_usd"].to_numpy(),
                               rtol=1e-12)
