"""dcplan validate's diversity_frac warning names the 1 s peak's bound (dcplan.site_design_peak).

The electrical audit (2026): northern-virginia (128 gb200-nvl72, a synchronous training fleet) at
diversity_frac 0.7 was told "allowed: a diversity_frac of at least 0.907", which covers the hourly peak,
14,692 kW; the fleet's 1 s peak in the rack_power notebook's window is 15,735 kW and needs 0.971. At
0.907 validate said nothing at all, while the UPS, the transformer and the breakers saw 1 s loads 7 %
above their rating.

Hand figures (data/hardware.csv): one gb200-nvl72 rack draws 120 kW at full load, and its gear 3.4
``ib-ndr-switch`` (1.7 kW) + 1 ``eth-mgmt-switch`` (0.15 kW) + 0.5 ``storage-node`` (1.5 kW) = 6.68 kW;
nameplate = 128 x 126.68 = 16,215.04 kW. The peaks are the model's (seed 0, full build-out 2025).
"""
from __future__ import annotations

import math

import pandas as pd
import pytest

from conftest import bundled_site_copy
from dcplan import power
from dcplan.power_peak_window import peak_window
from dcplan.site import load_portfolio, load_site
from dcplan.site_plausibility import site_warnings

NOVA_NAMEPLATE_KW = 128 * (120.0 + 3.4 * 1.7 + 0.15 + 0.5 * 1.5)   # 16,215.04 kW
NOVA_PEAK_1H_KW = 14692.21   # the model's hourly peak (seed 0, every phase all year)
NOVA_PEAK_1S_KW = 15734.64   # the model's 1 s peak in the 2 h from that peak hour (rack_power's peak_1s_kw)


def test_the_model_peaks_the_warning_rests_on():
    """The two peaks, recomputed here from the power model as the rack_power notebook takes them."""
    assert NOVA_NAMEPLATE_KW == pytest.approx(16215.04, abs=1e-9)
    nova = load_portfolio()["northern-virginia"]
    year = pd.date_range("2025-01-01 01:00", "2026-01-01 00:00", freq="1h", tz=nova.timezone)
    hourly = power.site_it_kw(nova, year, deployed="all")
    assert float(hourly.max()) == pytest.approx(NOVA_PEAK_1H_KW, abs=0.01)
    secs = peak_window(hourly, 2.0)
    assert float(power.site_it_kw(nova, secs, deployed="all").max()) == pytest.approx(NOVA_PEAK_1S_KW, abs=0.01)


def _ceil3(x: float) -> float:
    return math.ceil(x * 1000 - 1e-9) / 1000


def test_the_warning_gives_the_1s_bound_not_the_hourly_one(tmp_path):
    """At 0.7: design 0.7 x 16,215.04 = 11,350.5 kW. Hourly bound 14,692.21 / 16,215.04 = 0.90609 -> 0.907
    (what the warning said); 1 s bound 15,734.64 / 16,215.04 = 0.97037 -> 0.971 (what it says now)."""
    assert _ceil3(NOVA_PEAK_1H_KW / NOVA_NAMEPLATE_KW) == 0.907
    assert _ceil3(NOVA_PEAK_1S_KW / NOVA_NAMEPLATE_KW) == 0.971
    f = bundled_site_copy(tmp_path, "northern-virginia", "nova-07", fleet={"diversity_frac": 0.7})
    (text,) = site_warnings(load_site(f))
    assert (f"{f}: fleet.diversity_frac: 0.7 sets the design IT power to 11,351 kW (16,215 kW with every unit and its "
            "rack gear at full utilisation x 0.7), below the fleet's own peak: its IT power peaks at 15,735 kW at 1 s "
            "in the 2 h window from its peak hour, 2025-01-01 00:00 (the rack_power notebook's peak_1s_kw at its "
            "defaults), 1.39 x the design IT.") in text
    assert "allowed: a diversity_frac of at least 0.971 (peak 15,735 kW / 16,215 kW at full utilisation)" in text
    assert text.endswith("The 1 s peak is the bound: a diversity_frac of 0.907 covers only the hourly peak, 14,692 kW, "
                         "what the hourly plant model sees, but the UPS, the transformer and the breakers see the load "
                         "second by second")


def test_the_hourly_bound_is_warned_and_the_1s_bound_is_not(tmp_path):
    """0.907 x 16,215.04 = 14,707.0 kW covers the hourly 14,692.2 kW (no warning before) but not the 1 s
    15,734.6 kW; 0.971 x 16,215.04 = 15,744.8 kW covers it, 0.970 (15,728.6 kW) does not."""
    f = bundled_site_copy(tmp_path, "northern-virginia", "nova-0907", fleet={"diversity_frac": 0.907})
    (text,) = site_warnings(load_site(f))
    assert "1.07 x the design IT" in text and "allowed: a diversity_frac of at least 0.971 " in text
    assert "the hourly peak, 14,692 kW, is within the design IT" in text
    ok = bundled_site_copy(tmp_path, "northern-virginia", "nova-0971", fleet={"diversity_frac": 0.971})
    assert site_warnings(load_site(ok)) == []
    low = bundled_site_copy(tmp_path, "northern-virginia", "nova-0970", fleet={"diversity_frac": 0.970})
    assert "allowed: a diversity_frac of at least 0.971 " in site_warnings(load_site(low))[0]
