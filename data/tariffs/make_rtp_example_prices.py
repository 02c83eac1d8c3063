"""Generate ``rtp-example-prices-synthetic.csv``: a SYNTHETIC hourly price series.

Not market data. It only has the shape of an hourly wholesale price (diurnal and
seasonal swing, noise, a few scarcity spikes, a few negative night hours) so the
real-time-pricing path can be exercised and demonstrated. Run from the repository
root: ``python data/tariffs/make_rtp_example_prices.py``.

price [$/MWh] = 30 + 12 * max(0, sin(2 pi (hour - 9) / 24))        (daytime hump)
              + 10 * max(0, cos(2 pi (day_of_year - 200) / 365))    (summer)
              + 4 * N(0, 1)                                         (noise)
then 30 random July-August hours between 14:00 and 19:00 are set to
U(300, 2000) $/MWh and 20 random March-April hours between 01:00 and 05:00 to
U(-20, -1) $/MWh; seed 20250101. Written in $/kWh (divided by 1000), rounded to
6 decimals; timestamps are interval-ending labels with UTC offsets, America/Chicago. The series
runs from 31 Dec 2024 to 1 Jan 2026 so that calendar 2025 is covered in every US time zone.
"""
from pathlib import Path

import numpy as np
import pandas as pd

OUT = Path(__file__).with_name("rtp-example-prices-synthetic.csv")


def make() -> pd.Series:
    rng = np.random.default_rng(20250101)
    idx = pd.date_range("2024-12-31 01:00", "2026-01-02 00:00", freq="h", tz="America/Chicago")
    start = idx - pd.Timedelta(hours=1)
    hour = start.hour.to_numpy()
    doy = start.day_of_year.to_numpy()
    p = (30 + 12 * np.maximum(0, np.sin(2 * np.pi * (hour - 9) / 24))
         + 10 * np.maximum(0, np.cos(2 * np.pi * (doy - 200) / 365)) + 4 * rng.standard_normal(len(idx)))
    summer_pm = np.flatnonzero(np.isin(start.month, [7, 8]) & (hour >= 14) & (hour < 19))
    p[rng.choice(summer_pm, 30, replace=False)] = rng.uniform(300, 2000, 30)
    spring_night = np.flatnonzero(np.isin(start.month, [3, 4]) & (hour >= 1) & (hour < 5))
    p[rng.choice(spring_night, 20, replace=False)] = rng.uniform(-20, -1, 20)
    return pd.Series(np.round(p / 1000.0, 6), index=idx.rename("timestamp"), name="price_usd_per_kwh")


if __name__ == "__main__":
    s = make()
    s.index = s.index.map(lambda t: t.isoformat())
    s.to_csv(OUT)
