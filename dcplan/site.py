"""Site and portfolio specs: YAML in, validated frozen specs out.

A site YAML holds where the site is (name, latitude, longitude, IANA timezone,
elevation), its weather file and one section per model: ``fleet``, ``cooling``,
``electrical``, ``tariff``, ``interconnection``, ``solar``, ``finance`` (section models in
:mod:`dcplan.specs`). A portfolio YAML lists site files::

    name: Example portfolio
    sites:
      - sites/phoenix-az.yaml
      - sites/chicago-il.yaml

Every problem is reported at once, each naming the file, the field path
(``fleet.phases[0].count``), the value and what is allowed; an unknown key gets
a "did you mean". YAML is read with ``yaml.safe_load`` (no code execution).

This module holds the specs and the loaders; it re-exports what its helpers hold (import them from here):
YAML reading and problem wording in :mod:`dcplan.site_problems`, where a site's files are looked for in
:mod:`dcplan.site_files`, the checks of the fleet's hardware, the battery's life and the coincident peaks in
:mod:`dcplan.site_section_checks`, the site against its weather station in :mod:`dcplan.site_station`.
"""
from __future__ import annotations

import os
import re
from functools import cached_property
from pathlib import Path
from typing import Any

from pydantic import BaseModel, Field, PrivateAttr, ValidationError, ValidationInfo, field_validator, model_validator

from ._text import did_you_mean
from .errors import InputError
from .paths import default_portfolio, doc_ref
# YAML reading and problem wording live in site_problems; looked up here (so patching dcplan.site._read_yaml takes
# effect), and imported from here by other modules and tests
from .site_problems import (MAX_VALUE_ECHO, PLACE_AREAS, _duplicate_id_problems, _model_at,  # noqa: F401
                            _not_a_site, _problems, _read_yaml, _short_repr, bad_date_problems,
                            timezone_name_problem)
from .tz_places import distance_km as _distance_km  # noqa: F401 (tests and station checks)
from .specs import (CoolingSpec, ElectricalSpec, FinanceSpec, FleetSpec, InterconnectionSpec, SolarSpec, Spec,
                    TariffSpec, WeatherSpec)
from .specs._base import Name, NotesText, PastDate, SourceText, text_problem
from .specs.finance_ranges import range_base_problems as _range_base_problems
from .site_carbon import BASIS_FIELD, SOURCE_FIELD, CarbonBasis, carbon_field_problems
# where a site's files are looked for, and their problems: import them from here
from .site_files import (_FILE_KINDS, _file_problems, _looked_for, _not_regular,  # noqa: F401
                         _search_folders, _site_file, bundled_site_hint, entry_problem, note_portfolio_folder,
                         resolve_path, site_entry_hint)
# checks of the fleet's hardware, the battery's life and the coincident peaks: their own module (for length)
from .site_section_checks import (FLEET_UNIT_KINDS, _battery_horizon_problems, _catalog_kinds,  # noqa: F401
                                  _coincident_peak_problems, _hardware_problems)

__all__ = ["Site", "Portfolio", "load_site", "load_portfolio", "SiteError", "NotASiteError", "UnknownSiteError",
           "resolve_path"]

_ID_RE = re.compile(r"^[a-z0-9][a-z0-9_-]*$")
#: The longest site id [characters]: 255 bytes per file name (NAME_MAX) less the 54 characters the longest name built
#: from an id adds, the tco export's temporary ``.<id>_high-escalation_tco_assumptions.csv.<8 characters>.tmp.csv``
#: (:func:`dcplan.tco_export_files.work_name_bytes`); an id is ASCII. Longer ids failed the runs late.
ID_NAME_EXTRA_CHARS = 54
MAX_ID_CHARS = 255 - ID_NAME_EXTRA_CHARS


class SiteError(InputError):
    """A site or portfolio file is invalid; ``problems`` lists every problem found."""

    def __init__(self, file, problems: list[tuple[str, str]], total: int | None = None,
                 validate: str | None = None):
        self.problems = problems
        first_field, first_msg = problems[0]
        n = len(problems) if total is None else total  # total: when problems lists only the first ones
        # validate: the file whose `dcplan validate` lists them all (a portfolio: its sites' problems too)
        see = f"; `dcplan validate {validate}` lists them all" if validate else ""
        more = f" (+{n - 1:,} more problem{'s' if n > 2 else ''}{see})" if n > 1 else ""
        super().__init__(first_msg + more, file=file, field=first_field or None)

    def all_lines(self) -> list[str]:
        """One line per problem: ``file: field: message``."""
        return [f"{self.file}: {f + ': ' if f else ''}{m}" for f, m in self.problems]


class NotASiteError(SiteError):
    """The file given as a site is another kind of dcplan file (a portfolio)."""


class UnknownSiteError(InputError, KeyError):
    """A site id the portfolio does not hold (``portfolio["mars"]``). An :class:`InputError`,
    so a notebook given ``-p site mars`` fails as bad input naming the field and the sites
    there are; a ``KeyError`` too, as a mapping lookup."""

    def __str__(self) -> str:  # the message as written (KeyError's own str() quotes it)
        return Exception.__str__(self)


def _in_file(file: str, field: str) -> str:
    """The field of a problem of site file ``file`` among a portfolio's: ``name.yaml:field``
    (``name.yaml`` alone for a problem of the whole file)."""
    return f"{Path(file).name}:{field}" if field else Path(file).name


#: The ``cooling:`` section a site without one gets when its whole fleet is air-cooled in
#: data/hardware.csv (see :class:`Site`): an air plant with CoolingSpec's other defaults, and no
#: liquid loop (as data/sites/chicago-il.yaml writes it).
DEFAULT_AIR_PLANT = {"type": "air", "liquid_class": None}
#: Keys of ``cooling:`` that only a liquid loop reads: a section giving one describes a liquid
#: plant, whatever the fleet. ``heat_rejection`` too, which type 'air' refuses (its loop's is
#: ``air_heat_rejection``); the others an air plant ignores (:data:`dcplan.site_plausibility.LIQUID_ONLY_KEYS`).
LIQUID_LOOP_KEYS = ("liquid_class", "trim_chiller", "liquid_heat_frac", "heat_rejection")


def _absolute(path: str) -> str:
    """``path`` made absolute against the current working directory (no symlinks resolved,
    so a file's folder stays the one it was named in); '' stays ''."""
    return os.path.abspath(os.path.expanduser(path)) if path else path


#: Names the tz database resolves that are not a place's civil time (zoneinfo accepts them).
_NOT_A_PLACE_ZONES = {"localtime": "this computer's own zone, different on every machine",
                      "posixrules": "a template of the tz database's POSIX rules",
                      "Factory": "the tz database's stand-in for 'zone not set'"}


def _place(info: ValidationInfo) -> tuple[float | None, float | None]:
    """(latitude, longitude) [deg] of the site being validated, each None when not (yet) valid."""
    def num(k):
        x = info.data.get(k)
        return float(x) if isinstance(x, (int, float)) and not isinstance(x, bool) else None
    return num("latitude"), num("longitude")


class Site(Spec):
    """One site: location, weather and the sections every model reads.

    A site without a ``cooling:`` section gets an air plant (``type: air``, CRAH + chiller
    + tower, :class:`~dcplan.specs.CoolingSpec`'s other defaults) when every unit of its
    fleet is air-cooled in ``data/hardware.csv`` (column ``cooling``: the HGX/DGX servers,
    ``cpu-2s``), and direct liquid cooling (``type: liquid``, ``liquid_class: W32``) otherwise
    (e.g. a GB200 NVL72 rack, which is liquid-cooled only). A ``cooling:`` section without
    ``type`` gets the same choice, with the keys it gives, unless it gives a key only a liquid
    loop reads (:data:`LIQUID_LOOP_KEYS`: then ``type: liquid``); so ``cooling: {ashrae_class: A1}``
    on an air-cooled fleet stays an air plant.

    ``source_file`` is stored absolute, so the files the site names resolve against its
    YAML's folder whatever the working directory is later.
    """

    id: str = Field(description="short key naming the report folder: lower-case letters, digits, '-' or '_', "
                                f"starting with a letter or digit, at most {MAX_ID_CHARS} characters (it names "
                                "files: dcplan.site.MAX_ID_CHARS); defaults to the YAML file stem")
    name: Name = Field(min_length=1, description="the site's name in reports, e.g. 'Phoenix, AZ' (one line, at most "
                                                 "200 characters)")
    latitude: float = Field(ge=-90.0, le=90.0, description="[deg N]")
    longitude: float = Field(ge=-180.0, le=180.0, description="[deg E]")
    timezone: Name = Field(description="the site's IANA Region/City zone, e.g. America/Phoenix (its tariff hours "
                                      "are local clock hours): not a fixed offset (EST, Etc/GMT+5, UTC, -5) or an "
                                      "alias (US/Eastern, EST5EDT)")
    elevation_m: float = Field(ge=-450.0, le=9000.0, description="above sea level [m]; checked against the "
                                                                 "weather file's station")
    weather: WeatherSpec
    fleet: FleetSpec
    cooling: CoolingSpec = CoolingSpec()
    electrical: ElectricalSpec = Field(ElectricalSpec(), description=(
        "the transformer, UPS and PDU chain between the utility meter and the IT load; left out: dcplan's "
        "default (transformer PDU, double-conversion UPS 2N, MV/LV transformer)"))
    tariff: TariffSpec | None = None
    interconnection: InterconnectionSpec | None = None
    solar: SolarSpec = SolarSpec()
    finance: FinanceSpec = FinanceSpec()
    grid_carbon_kg_per_mwh: float | None = Field(None, ge=0.0, le=2000.0, description=(
        "grid CO2 intensity [kg CO2/MWh; not lb/MWh], one flat annual average for every hour (no hourly or "
        "marginal signal): CO2 only, not CO2e; scope 2 location-based when it is the grid subregion's average, "
        "as the bundled sites' EPA eGRID2022 figures are; 0 (a 100 % renewable PPA) is market-based and warned"))
    grid_carbon_basis: CarbonBasis | None = BASIS_FIELD      # (dcplan.site_carbon: the fields' texts and checks)
    grid_carbon_source: SourceText | None = SOURCE_FIELD
    notes: NotesText = Field("", description="free text for the reader (sources, assumptions, what is synthetic): "
                                             "shown at the top of each of the site's reports and in their "
                                             "results.json (newlines allowed, at most 5000 characters)")
    as_of: PastDate | None = Field(None, description="the date the plan was made (at most today: the machine's date, "
        "a day's grace for time zones, or DCPLAN_TODAY when later): its fleet starts, "
        "pending grid phases' dates and the TCO's project start are checked against it, not against the day the file "
        "is read (dcplan.plan_dates); left out: today (the machine's date). DCPLAN_TODAY, when set, is taken instead. "
        "A sweep's cases take the day, and the machine's date, of the machine where the sweep started")
    source_file: str = Field("", description="set by load_site: the YAML this came from")

    @model_validator(mode="after")
    def _default_cooling_from_fleet(self):
        # no cooling: section: the plant the fleet's hardware needs (class docstring). Set
        # after validation, so "cooling" stays out of model_fields_set: a sweep that changes
        # the hardware re-derives it (dcplan.sweep_spec.apply_overrides)
        from .power import fleet_is_air_cooled  # (pandas: not at the top of this light module)
        if "cooling" not in self.model_fields_set:
            if fleet_is_air_cooled(self.fleet):
                object.__setattr__(self, "cooling", CoolingSpec(**DEFAULT_AIR_PLANT))
        elif "type" not in self.cooling.model_fields_set \
                and not set(self.cooling.model_fields_set) & set(LIQUID_LOOP_KEYS) and fleet_is_air_cooled(self.fleet):
            # a cooling: section without type and without a liquid loop's keys (e.g. only ashrae_class)
            # on an air-cooled fleet: the air plant, with the keys given (it turned the plant liquid);
            # the keys the file set stay the only ones set, so a sweep changing the hardware re-derives it
            given = self.cooling.model_dump(exclude_unset=True)
            new = CoolingSpec(**{**DEFAULT_AIR_PLANT, **given})
            object.__setattr__(new, "__pydantic_fields_set__", set(given))
            object.__setattr__(self, "cooling", new)
        return self

    @field_validator("source_file")
    @classmethod
    def _absolute_source(cls, v: str) -> str:
        return _absolute(v)

    @field_validator("timezone", mode="before")
    @classmethod
    def _tz_number(cls, v, info: ValidationInfo):
        # an unquoted YAML offset (timezone: -5) is read as a number, and an unquoted 5:30 as
        # the base-60 number 330: refused as what it was written as, not "a valid string"
        if isinstance(v, (int, float)) and not isinstance(v, bool):
            raise ValueError(timezone_name_problem(v, *_place(info)))
        return v

    @field_validator("timezone")
    @classmethod
    def _tz(cls, v: str, info: ValidationInfo) -> str:
        # only a Region/City zone (America/New_York) zoneinfo loads: a fixed offset (EST,
        # Etc/GMT+5, UTC, -5) keeps standard time all year, an alias (US/Eastern, EST5EDT) is
        # refused naming its Region/City zone, a folder (America) or an unknown name (CST) gets
        # the zones nearest the site (dcplan.site_problems.timezone_name_problem)
        if v in _NOT_A_PLACE_ZONES:  # tz database entries that are not a place's civil time
            raise ValueError(f"{v!r} is not a place's time zone ({_NOT_A_PLACE_ZONES[v]}); give the site's "
                             "IANA zone, e.g. 'America/New_York'")
        why = timezone_name_problem(v, *_place(info))
        if why:
            raise ValueError(why)
        return v

    @field_validator("id")
    @classmethod
    def _id(cls, v: str) -> str:
        if not _ID_RE.match(v):
            raise ValueError(f"id {_short_repr(v)}: allowed: lower-case letters, digits, '-' or '_', starting with a letter "
                             "or digit (it names the site's report folder)")
        if len(v) > MAX_ID_CHARS:
            raise ValueError(f"id {_short_repr(v)} is {len(v)} characters long; at most {MAX_ID_CHARS} allowed: it "
                             "names the site's export files, and the longest (the tco notebook's temporary "
                             f"'.<id>_high-escalation_tco_assumptions.csv.<8 characters>.tmp.csv') adds "
                             f"{ID_NAME_EXTRA_CHARS} characters, over the file system's limit of 255 bytes per "
                             "name; give a shorter id (it defaults to the file's stem)")
        return v

    def path(self, rel: str) -> Path:
        """Resolve a file named in this site's YAML (see :func:`resolve_path`)."""
        return resolve_path(rel, Path(self.source_file).parent if self.source_file else None)

    @property
    def weather_path(self) -> Path:
        return self.path(self.weather.file)

    @property
    def tariff_path(self) -> Path | None:
        """The tariff file; None without a tariff, or with a flat tariff written in the site file."""
        return None if self.tariff is None or self.tariff.is_flat else self.path(self.tariff.file)


class Portfolio(BaseModel):
    """A named, ordered collection of sites (frozen); ``portfolio[id]`` of a site whose weather or tariff
    file is not there raises its error (:attr:`file_problems`, :func:`load_portfolio`)."""

    model_config = {"frozen": True, "arbitrary_types_allowed": True}
    name: Name = Field(description="the portfolio's name, shown with its description on the reports' index page "
                                   "('Portfolio: <name>') and first in the portfolio notebooks (one line, at most "
                                   "200 characters)")
    sites: tuple[Site, ...] = Field(description="its site files, one path each: absolute, or relative to the "
                                                "portfolio file's folder only; at least one, each site id once")
    source_file: str = ""
    description: NotesText = Field("", description="what the portfolio is, and what in it is synthetic: shown after "
                                                   "its name (newlines allowed, at most 5000 characters)")

    #: ``{site id: (site file, problems)}`` of :attr:`file_problems`, as data (a SiteError does not pickle)
    _file_problems: dict = PrivateAttr(default_factory=dict)

    @field_validator("source_file")
    @classmethod
    def _absolute_source(cls, v: str) -> str:
        return _absolute(v)

    @property
    def file_problems(self) -> dict[str, "SiteError"]:
        """``{site id: SiteError}`` of the sites whose weather or tariff file is not found, is a
        folder, or (weather) has a first line not its format's: the error :func:`load_site` raises
        for the site file (``portfolio[id]`` raises it); empty when every site's files are there."""
        return {sid: SiteError(file, list(problems)) for sid, (file, problems) in self._file_problems.items()}

    def __getitem__(self, key: str) -> Site:
        if isinstance(key, Site):  # iterating a portfolio yields sites: take one back by its id
            key = key.id
        if not isinstance(key, str):
            raise UnknownSiteError(f"a site id (text, e.g. {self.ids[0]!r}) is needed to pick a site of portfolio "
                                   f"{self.name!r}, got a {type(key).__name__}", file=self.source_file or None,
                                   field="site")
        for s in self.sites:
            if s.id == key:
                if key in self._file_problems:  # its files are not there: the error load_site raises
                    raise self.file_problems[key]
                return s
        raise UnknownSiteError(f"no site {key!r} in portfolio {self.name!r}{did_you_mean(key, self.ids)}; "
                               f"sites: {', '.join(self.ids)}", file=self.source_file or None, field="site")

    def __iter__(self):
        return iter(self.sites)

    def __len__(self) -> int:
        return len(self.sites)

    @cached_property
    def ids(self) -> list[str]:
        return [s.id for s in self.sites]


# --- Loading (YAML reading and error formatting: dcplan.site_problems) ---

def _site_from_dict(raw: Any, file: str, default_id: str, files: bool = True) -> Site:
    """The site of ``raw`` (read from ``file``), else a :class:`SiteError` of every problem; ``files``
    False: the weather and tariff files it names are not checked (:func:`_site_without_files`)."""
    if raw is None:
        raise SiteError(file, [("", "file is empty; expected a mapping with name, latitude, ...")])
    if not isinstance(raw, dict):
        raise SiteError(file, [("", f"expected a mapping at the top level, got {type(raw).__name__}")])
    if "sites" in raw and not {"latitude", "fleet", "weather"} & set(raw):
        raise NotASiteError(file, [("", "this is a portfolio file, not a site (it lists site files under "
                                        "'sites:'); give a site YAML, or list that portfolio's site files "
                                        "here (a portfolio cannot include another)")])
    data = dict(raw)
    from .paths import default_site_id
    data.setdefault("id", default_site_id(default_id))  # Zürich -> zurich, phœnix -> phoenix, Straße -> strasse
    data["source_file"] = file
    try:
        site = Site.model_validate(data)
    except ValidationError as e:
        # the files the site names are checked too, so a key typo does not hide a missing file
        bad = {tuple(x["loc"][:2]) for x in e.errors(include_url=False)}
        w, t = data.get("weather"), data.get("tariff")
        wfile = w.get("file") if isinstance(w, dict) and ("weather", "file") not in bad else None
        wfmt = w.get("format", "auto") if isinstance(w, dict) and ("weather", "format") not in bad else None
        tfile = t.get("file") if isinstance(t, dict) and ("tariff", "file") not in bad else None
        more = _file_problems(data["source_file"], wfile if isinstance(wfile, str) else None, wfmt,
                              tfile if isinstance(tfile, str) else None)
        found = _station_zone_hint(bad_date_problems(raw, _section_problems(_problems(e, Site))), data,
                                   wfile if isinstance(wfile, str) else None, wfmt if isinstance(wfmt, str) else "auto")
        fleet = [p for p in _hardware_problems(data.get("fleet"), data.get("cooling"), bad) if p not in found]
        found = found + _empty_optional_sections(data) + fleet + more
        raise SiteError(file, found + station_problems_beside(found, data=data)) from None  # every problem at once
    own = _file_problems(site.source_file, site.weather.file, site.weather.format,
                         None if site.tariff is None else site.tariff.file) if files else []
    problems = _empty_optional_sections(data) + _hardware_problems(data.get("fleet"), {"type": site.cooling.type}) \
        + own + _battery_horizon_problems(site) + _coincident_peak_problems(site) + carbon_field_problems(site) \
        + _range_base_problems(site)
    if not problems:  # a fleet whose own files are good: an air-cooled compute rack at 60 kW or more is bad input
        from .rack_density import air_rack_errors
        problems = air_rack_errors(site)
    if problems:
        raise SiteError(file, problems + station_problems_beside(problems, site))  # every problem at once
    return site


#: Sections a site may leave out (None: no tariff, no interconnection request) and what leaving
#: them out means; written empty (``tariff:`` with nothing under it, YAML's null) they are refused
#: like every other empty section, rather than read as "none", which a half-written file would be.
OPTIONAL_SECTIONS = {"tariff": "no tariff (the off-peak and TCO notebooks are then n/a for the site)",
                     "interconnection": "no interconnection request (the interconnection notebook is then n/a)"}


def _empty_optional_sections(data: dict) -> list[tuple[str, str]]:
    """A problem for each :data:`OPTIONAL_SECTIONS` key written with nothing under it."""
    out = []
    for key, means in OPTIONAL_SECTIONS.items():
        if key in data and data[key] is None:
            model = _model_at(Site, (key,))
            keys = ", ".join(model.model_fields) if model else ""
            out.append((key, f"the section is empty ('{key}:' with nothing under it); remove the line for {means}, "
                             f"or give its keys; allowed keys: {keys}"))
    return out


#: pydantic's message for a section (or list item) given as something other than a mapping: it
#: names the spec class, which a site file never shows.
_NOT_A_SECTION_RE = re.compile(r"^Input should be a valid dictionary or instance of \w+, got (.*)$", re.DOTALL)


def _section_problems(found: list[tuple[str, str]]) -> list[tuple[str, str]]:
    """``found`` with each section or list item that is not a mapping reworded in the file's
    terms: an empty one (``solar:`` with nothing under it, YAML's null) says so and how to fix it
    (remove the line, unless the section is required, or give its keys), another value that it
    must be a mapping of the section's keys; both list those keys."""
    out = []
    for field, msg in found:
        m = _NOT_A_SECTION_RE.match(msg)
        if m is None:
            out.append((field, msg))
            continue
        loc = tuple(int(p) if p.isdigit() else p for p in re.findall(r"[^.\[\]]+", field))
        model = _model_at(Site, loc)
        keys = ", ".join(k for k in (model.model_fields if model else ()) if k != "source_file")
        item = isinstance(loc[-1], int)
        name = ".".join(str(p) for p in loc if not isinstance(p, int))
        parent = _model_at(Site, loc[:-1]) if len(loc) > 1 else Site
        required = (not item and parent is not None and loc[-1] in parent.model_fields
                    and parent.model_fields[loc[-1]].is_required())
        if m.group(1) == "None":
            fix = "give its keys" if required else "remove the line (for its defaults), or give its keys"
            what = (f"an empty item ('-' with nothing after it) of {name}; remove it, or give the item's keys"
                    if item else f"the section is empty ('{loc[-1]}:' with nothing under it); {fix}")
        else:
            what = f"must be a {'list item' if item else 'section'}: a mapping of its keys, got {m.group(1)}"
        out.append((field, f"{what}; allowed keys: {keys}" if keys else what))
    return out


def _station_zone_hint(found: list[tuple[str, str]], data: dict, weather_file: str | None,
                       weather_format: str) -> list[tuple[str, str]]:
    """``found`` with a refused ``timezone`` (a fixed offset, an alias) reworded to give example
    zones for the standard offset the site's weather file states for its station (Miami's
    TMY2: UTC-5 h), when that file's header can be read."""
    tz = data.get("timezone")
    if (weather_file is None or isinstance(tz, bool) or not isinstance(tz, (str, int, float))
            or tz in _NOT_A_PLACE_ZONES or not any(f == "timezone" for f, _ in found)
            or isinstance(tz, str) and text_problem(tz)):  # a control character or a length: said as such
        return found
    from .weather_header import header_utc_offset_h
    off = header_utc_offset_h(resolve_path(weather_file, Path(data["source_file"]).parent), weather_format)
    bad = {f for f, _ in found}  # a refused latitude or longitude gives no place to go by
    lat, lon = (x if k not in bad and isinstance(x, (int, float)) and not isinstance(x, bool) else None
                for k, x in (("latitude", data.get("latitude")), ("longitude", data.get("longitude"))))
    why = timezone_name_problem(tz, lat, lon, off) if off is not None else None
    return [(f, why if f == "timezone" and why else m) for f, m in found]



# the site against its weather file's station: its own module (for length), re-exported here
from .site_station import (MAX_STATION_DISTANCE_KM, MAX_STATION_ELEVATION_DIFF_M,  # noqa: E402,F401
                           MAX_STATION_OFFSET_DIFF_H, dst_rule_warning, station_offset_warning, station_problems,
                           station_problems_beside)


def load_site(name_or_path: str | Path) -> Site:
    """Load and validate one site.

    Parameters
    ----------
    name_or_path : str or path
        A YAML file, or the name of a bundled site (``phoenix-az``).

    Raises
    ------
    SiteError
        Naming the file, the field path, the value and what is allowed.
    """
    if not isinstance(name_or_path, (str, os.PathLike)):
        raise InputError(f"need a site name ('phoenix-az') or the path of a site YAML, got "
                         f"{type(name_or_path).__name__} {name_or_path!r}"[:200], field="name_or_path")
    path = _site_file(name_or_path)
    # an impossible date is reported with the file's other problems, not alone (bad_date_problems)
    return _site_from_dict(_read_yaml(path, keep_bad_dates=True), str(path), path.stem)


def _site_without_files(path: Path) -> Site | None:
    """The site of the YAML ``path`` when its only problems are those of the weather and tariff files
    it names (not found, a folder, a garbled weather header: :func:`dcplan.site_files._file_problems`,
    with the station checks said beside them), which :func:`load_portfolio` holds for that site alone;
    None when it has others."""
    try:
        return _site_from_dict(_read_yaml(path, keep_bad_dates=True), str(path), path.stem, files=False)
    except InputError:
        return None


def combine_site_errors(errors: list[SiteError], validate: str | None = None) -> SiteError:
    """One :class:`SiteError` for the problems of several site files: the first file's,
    then every other file's, each field prefixed with its file's name. ``validate``: the
    portfolio whose ``dcplan validate`` the message points to for the rest."""
    if len(errors) == 1 and not validate:
        return errors[0]
    e0 = errors[0]
    allp = [(_in_file(e.file, f), m) for e in errors for f, m in e.problems]
    return SiteError(e0.file, [(f, m) for f, m in e0.problems] + allp[len(e0.problems):], validate=validate)


def load_portfolio(path: str | Path | None = None, *, defer_file_problems: bool = True) -> Portfolio:
    """Load a portfolio YAML (default: the bundled example) and all its sites.

    Every site is validated; all problems across all files are collected into
    one :class:`SiteError` (``.problems``), the first shown in its message. But a site whose only
    problems are its weather or tariff file (not found, a folder, a garbled weather header) is held
    with them (:attr:`Portfolio.file_problems`): ``portfolio[its id]`` raises them as :func:`load_site`
    does, the other sites are used (render refuses its runs as bad input; a 20-site portfolio with
    one file not copied along rendered nothing, also with ``--sites`` naming other sites).

    Parameters
    ----------
    path : str, path or None
        A portfolio YAML (``name``, ``description``, ``sites``: site files relative to it), read as given
        (a relative path from the current folder); None or ``"default"``: the bundled example
        (:func:`dcplan.paths.default_portfolio`).
    defer_file_problems : bool, default True
        False: such a site's files are an error of the whole load, as other problems are (``dcplan
        validate``, and what reads every site: the portfolio notebooks, ``dcplan sites``).

    Returns
    -------
    Portfolio
        ``name``, ``description``, ``sites`` (validated :class:`Site` specs, in the file's order) and
        ``ids``; ``portfolio[site_id]`` is one site.

    Raises
    ------
    SiteError
        Naming the portfolio or site file, the field path (``sites[i]``, ``fleet.phases[0].count``), the
        value and what is allowed.
    """
    if path is None or str(path) == "default":
        path = default_portfolio()
    path = Path(path)
    raw = _read_yaml(path)
    file = str(path)
    if raw is None:
        raise SiteError(file, [("", "file is empty; expected a mapping with 'name' and a 'sites' list")])
    if not isinstance(raw, dict):
        raise SiteError(file, [("", "expected a mapping with 'name' and 'sites'")])
    if "sites" not in raw and {"latitude", "fleet", "weather"} & set(raw):
        raise SiteError(file, [("", "this is a site file, not a portfolio (it has no 'sites' list); "
                                    "give a portfolio YAML that lists it under 'sites:'")])
    if "axes" in raw:  # a sweep file given as a portfolio (said "unknown key 'axes'" with 6 more problems)
        raise SiteError(file, [("", "this is a sweep file (it has axes:), not a portfolio: run it with dcplan sweep")])
    extra = set(raw) - {"name", "sites", "description"}
    problems: list[tuple[str, str]] = []
    for k in sorted(extra):
        problems.append((k, f"unknown key {k!r}{did_you_mean(k, ['name', 'sites', 'description'])}; "
                            "allowed: description, name, sites"))
    for k in ("name", "description"):
        if raw.get(k) is not None and not isinstance(raw[k], str):
            problems.append((k, f"must be text, got {_short_repr(raw[k])}"))
        elif raw.get(k) is not None and text_problem(raw[k], "name" if k == "name" else "notes"):
            problems.append((k, text_problem(raw[k], "name" if k == "name" else "notes")))
    pname = str(raw.get("name") or path.stem)
    if not raw.get("name") and text_problem(pname):  # the file's name stands in for 'name:'
        problems.append(("name", f"not given, and the file's name {path.stem!r}, which would stand in for it, "
                                 f"{text_problem(pname)}; give the portfolio a 'name:'"))
    entries = raw.get("sites")
    if not entries:
        # a file of name: (and description:) alone reads as a portfolio that lists no sites yet; it may be a site
        # file begun: say what a site needs as well (the required keys of Site)
        need = ", ".join(k for k, f in Site.model_fields.items() if f.is_required() and k not in {*raw, "id"})
        begun = "" if "sites" in raw else f"; or, for a site file, its other required keys: {need} " \
                                          f"({doc_ref('site-format.md')})"
        problems.append(("sites", "portfolio lists no sites; add at least one site file" + begun))
        raise SiteError(file, problems)
    if not isinstance(entries, list):
        raise SiteError(file, problems + [("sites", f"expected a list of site files, got {entries!r}")])
    sites: list[Site] = []
    listed: list[tuple[int, str]] = []  # (index in sites:, entry as written) of each loaded site
    errors: list[SiteError] = []  # those of the held sites too: said with the others' when the load fails anyway
    deferred: dict[str, tuple] = {}  # site id -> (file, problems): its weather or tariff file alone
    for i, entry in enumerate(entries):
        if not isinstance(entry, str):
            problems.append((f"sites[{i}]", f"expected a site file path, got {_short_repr(entry)}"))
            continue
        sp = resolve_path(entry, path.parent, parent=False)
        why = entry_problem(entry, sp, path.parent)
        if why:
            problems.append((f"sites[{i}]", why))
            continue
        note_portfolio_folder(sp, path.parent)  # its weather and tariff names are looked for there too
        try:
            sites.append(load_site(sp))
            listed.append((i, entry))
        except NotASiteError as e:  # another portfolio: the entry is what to fix
            problems.append((f"sites[{i}]", f"{entry}: {e.problems[0][1]}"))
        except SiteError as e:
            held = _site_without_files(sp) if defer_file_problems else None
            if held is None:
                errors.append(e)
            else:  # its files alone: an error of this site, raised where it is used
                sites.append(held)
                listed.append((i, entry))
                deferred[held.id] = (e.file, tuple(e.problems))
                errors.append(e)
        except InputError as e:
            problems.append((f"sites[{i}]", str(e)))
    # among the sites that loaded, so a duplicate shows with the other files' problems
    problems += _duplicate_id_problems(sites, listed)
    if problems:  # the sites' own problems name their file, as below
        raise SiteError(file, problems + [(_in_file(e.file, f), m) for e in errors for f, m in e.problems],
                        validate=file)
    if len(errors) > len(deferred):
        raise combine_site_errors(errors, validate=file)
    pf = Portfolio(name=pname, sites=tuple(sites), source_file=file,
                   description=str(raw.get("description") or "").strip())
    pf._file_problems = deferred
    return pf
