"""Shared pytest fixtures for dcplan."""
from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "data"
WEATHER = DATA / "weather"

PHOENIX_EPW = WEATHER / "USA_AZ_Phoenix-Sky.Harbor.Intl.AP.722780_TMY3.epw"
DULLES_EPW = WEATHER / "USA_VA_Sterling-Washington.Dulles.Intl.AP.724030_TMY3.epw"
CHICAGO_EPW = WEATHER / "USA_IL_Chicago-OHare.Intl.AP.725300_TMY3.epw"
GREENSBORO_TMY3 = WEATHER / "723170TYA.CSV"
MIAMI_TMY2 = WEATHER / "12839.tm2"


@pytest.fixture(scope="session")
def phoenix_weather():
    from dcplan.weather import load_weather
    return load_weather(PHOENIX_EPW)
