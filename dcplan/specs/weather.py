"""``weather:`` section: which typical-year file a site uses."""
from __future__ import annotations

from typing import Literal

from pydantic import Field, field_validator

from ._base import PathText, SourceText, Spec


class WeatherSpec(Spec):
    """Which typical-year weather file a site uses (real data: TMY2, TMY3, EPW, an NSRDB PSM3/PSM4 CSV or a PVGIS
    TMY; not invented; an actual year's record in those formats reads as well)."""

    file: PathText = Field(description="TMY2/TMY3/EPW file or NSRDB CSV (hourly, local standard time; an NSRDB "
                                       "CSV in UTC too; an NSRDB CSV of 30-, 15- or 5-minute rows is averaged to "
                                       "hours, each the trapezoid mean of its samples, the irradiation kept: "
                                       "dcplan.weather_hourly), or PVGIS's TMY as CSV, JSON or EPW (hourly, UTC); "
                                       "rows in UTC are read so and wrapped onto the site's year (dcplan.weather_pvgis); "
                                       "relative to the site YAML's folder, its parent, the portfolio's folder "
                                       "or data/, in that order. A file whose irradiance centres more "
                                       "than half an hour from solar noon (rows in UTC, or labelled at the hour's "
                                       "start) is warned of (dcplan.weather_timing)")
    format: Literal["auto", "epw", "tmy3", "tmy2", "nsrdb", "pvgis"] = Field(
        "auto", description="file format, any case; 'auto' tells it from the extension and the file's first line "
                            "(a .csv: TMY3, NSRDB or PVGIS; a .json: PVGIS; an .epw from PVGIS by its comment)")
    year: int = Field(2025, ge=1900, le=2100, description=(
        "calendar year the typical year is re-stamped onto; in a leap year 29 Feb is a copy of 28 Feb. A file "
        "with 29 Feb (8,784 hours, a leap year's record, e.g. an actual-year EPW of 2024) keeps it in a leap year "
        "and leaves it out in another (a warning says which year keeps it)"))
    rows_utc_offset_h: float | None = Field(None, ge=-12.0, le=14.0, description=(
        "the UTC offset of the clock the file's rows are stamped in, when it is not the header's: 0 for rows in "
        "UTC; the rows are then read on that clock and wrapped onto the site's year, the header's zone staying "
        "the station's. Empty: the header's zone (UTC for PVGIS's files and an NSRDB CSV downloaded in UTC, which "
        "say so). A file warned of as off by whole hours (dcplan.weather_timing) says the value to give; a "
        "multiple of 0.25 h"))
    source: SourceText = Field("", description="data set and provider, e.g. 'NREL TMY3 (TMY data set 2008; period of "
                                               "record 1973-2005)' (one line, at most 1000 characters)")

    @field_validator("rows_utc_offset_h")
    @classmethod
    def _quarter_hours(cls, v):
        # every UTC offset in use is a whole number of quarter hours (Nepal +5:45, Chatham +12:45)
        if v is not None and abs(v * 4 - round(v * 4)) > 1e-9:
            raise ValueError(f"{v:g} h is not a whole number of quarter hours; allowed: a UTC offset such as -5, "
                             "0, 5.5 or 5.75")
        return v

    @field_validator("format", mode="before")
    @classmethod
    def _format_any_case(cls, v):
        # "EPW" is epw, as dcplan.weather.load_weather(format=) takes it
        return v.strip().lower() if isinstance(v, str) else v
