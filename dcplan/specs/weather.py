"""``weather:`` section: which typical-year file a site uses."""
from __future__ import annotations

from typing import Literal

from pydantic import Field

from ._base import Spec


class WeatherSpec(Spec):
    file: str = Field(description="TMY2/TMY3/EPW file; relative to the site YAML's folder or to data/")
    format: Literal["auto", "epw", "tmy3", "tmy2"] = "auto"
    year: int = Field(2025, ge=1900, le=2100, description="calendar year the typical year is re-stamped onto")
    source: str = Field("", description="data set and provider, e.g. 'NREL TMY3 (1991-2005)'")
