"""docs/site-format.md is the site-file reference a planner reads: it must be what
tools/build_site_format.py writes from the spec models today, and every key must say what it
is (a planner found keys such as finance.costs and interconnection.battery only through
"unknown key" errors)."""
from __future__ import annotations

import typing

import pytest
from pydantic import BaseModel

from dcplan.site import Site, SiteError
from tools import build_site_format as b


def test_the_committed_reference_is_current():
    assert b.OUT.read_text(encoding="utf-8") == b.build(), \
        "docs/site-format.md is stale: run python -m tools.build_site_format"


def _leaves(model: type[BaseModel], prefix: str = ""):
    for name, f in model.model_fields.items():
        sub = b._model_of(f.annotation)
        if sub is not None:  # a mapping of sections is written per key (finance.ranges.<key>.low)
            yield from _leaves(sub, f"{prefix}{name}." + ("<key>." if typing.get_origin(f.annotation) is dict else ""))
        elif not (prefix == "" and name in b._SET_BY_LOADER):
            yield f"{prefix}{name}", f


def test_every_key_a_site_file_may_hold_is_described_and_listed():
    leaves = dict(_leaves(Site))
    assert len(leaves) > 60  # every section's keys, not just the top level
    undocumented = [k for k, f in leaves.items() if not (f.description or "").strip()]
    assert not undocumented, f"give these fields a description=: {undocumented}"
    text = b.OUT.read_text(encoding="utf-8")
    for k in leaves:
        parts = k.split(".")
        # list sections are written with [] (fleet.phases[].count)
        shown = k if f"`{k}`" in text else ".".join(p + "[]" if i < len(parts) - 1 and f"`{'.'.join(parts[:i + 1])}[]" in text
                                                  else p for i, p in enumerate(parts))
        assert f"`{shown}`" in text, k


def test_type_names_read_as_a_planner_writes_them():
    assert b._type_name(typing.Literal["a", "b"]) == "`a` \\| `b`"
    assert b._type_name(float | None) == "number or null"
    assert b._type_name(dict[str, float]) == "mapping text to number"


def _row(text: str, key: str) -> list[str]:
    """The cells (type, default, allowed, meaning) of ``key``'s row in the reference."""
    line = next(ln for ln in text.splitlines() if ln.startswith(f"| `{key}` |"))
    return [c.strip() for c in line.strip("|").split(" | ")][1:]


def _table(name: str) -> dict[str, str]:
    import csv
    from conftest import DATA
    with open(DATA / name, newline="", encoding="utf-8") as fh:
        return {r["key"]: r["value"] for r in csv.DictReader(ln for ln in fh if not ln.startswith("#"))}


def test_defaults_taken_from_a_data_table_show_its_value():
    """A black-box tester read "none" for finance.tax_rate_frac (the TCO takes 0.21 from
    data/costs.csv) and cooling.liquid_heat_frac (0.85 from data/cooling_defaults.csv)."""
    text = b.build()
    costs, cooling = _table("costs.csv"), _table("cooling_defaults.csv")
    assert (costs["tax_rate_frac"], costs["build_months"], costs["revenue_usd_per_gpu_h"]) == ("0.21", "12", "4.916")
    for key in ("tax_rate_frac", "build_months", "it_refresh_years", "revenue_usd_per_gpu_h"):
        assert _row(text, f"finance.{key}")[1] == f"data/costs.csv value (`{costs[key]}`)", key
    assert cooling["liquid_heat_frac"] == "0.85"
    for key in ("liquid_heat_frac", "margin_frac"):
        assert _row(text, f"cooling.{key}")[1] == f"data/cooling_defaults.csv value (`{cooling[key]}`)", key
    # dcplan.thermal_plant_params caps the default setpoint at the class's recommended maximum (H1: 22)
    assert _row(text, "cooling.inlet_setpoint_degc")[1] == ("data/cooling_defaults.csv value (`25.0`; at most the "
                                                            "ashrae_class's recommended maximum, 22 for H1)")
    assert _row(text, "cooling.design_pue")[1] == "none"  # no table row: none means none


def test_bounds_enforced_by_a_validator_are_in_the_allowed_column():
    text = b.build()
    assert _row(text, "tariff.flat_usd_per_kwh")[2] == "[0, 2]"  # dcplan.tariff_checks.MAX_ENERGY_USD_PER_KWH
    assert _row(text, "solar.degradation_frac_per_year")[2] == "[0, 0.05]"  # PV_DEGRADATION_MAX_FRAC_PER_YEAR
    assert _row(text, "interconnection.time_to_power.p90_months")[2] == "(0, 240]"  # TIME_TO_POWER_MAX_MONTHS
    # ASHRAE TC9.9 allowable inlet ranges (Thermal Guidelines 5th ed., reference card Table 2.1: A1 15-32, A2 10-35,
    # A3 5-40, A4 5-45 degC; H1 up to 25, its 5 assumed, dcplan.thermal_plant_params.ASHRAE_AIR_CLASSES), then their
    # overlap with the field's 10-40: a sources audit found the overlap published as ASHRAE's range (A3, A4 "10-40")
    assert _row(text, "cooling.inlet_setpoint_degc")[2] == (
        "[10, 40], within the ashrae_class's allowable inlet range (ASHRAE TC9.9: A1 15-32, A2 10-35, A3 5-40, "
        "A4 5-45, H1 5-25 (its 5 assumed)); with [10, 40]: A1 15-32, A2 10-35, A3 10-40, A4 10-40, H1 10-25")


def test_the_id_default_is_the_slugified_stem(tmp_path):
    import yaml
    from conftest import DATA
    from dcplan.site import load_site
    assert "slugified" in _row(b.build(), "id")[1] and "`zurich-dc`" in _row(b.build(), "id")[1]
    raw = yaml.safe_load((DATA / "sites" / "phoenix-az.yaml").read_text())
    raw["weather"]["file"] = str(DATA / raw["weather"]["file"])
    raw["tariff"]["file"] = str(DATA / raw["tariff"]["file"])
    f = tmp_path / "Zürich DC.yaml"
    f.write_text(yaml.safe_dump(raw, sort_keys=False, allow_unicode=True), encoding="utf-8")
    assert load_site(f).id == "zurich-dc"


def test_the_portfolio_files_keys_are_in_the_reference(tmp_path):
    """Every key a portfolio YAML may hold (load_portfolio refuses any other), with its meaning; a
    left-out name is the file's stem, as the reference says."""
    from dcplan.site import load_portfolio
    text = b.OUT.read_text(encoding="utf-8")
    section = text.split("## Portfolio file", 1)[1]
    rows = {ln.split(" | ")[0].strip("| `"): ln for ln in section.splitlines() if ln.startswith("| `")}
    assert sorted(rows) == ["description", "name", "sites"]
    assert "the file's name without its extension" in rows["name"] and "**required**" in rows["sites"]
    pf = tmp_path / "my-sites.yaml"
    site = b.ROOT / "data" / "sites" / "phoenix-az.yaml"
    pf.write_text(f"sites:\n  - {site}\n")
    assert load_portfolio(pf).name == "my-sites"
    pf.write_text(f"sites:\n  - {site}\ntitle: x\n")
    with pytest.raises(SiteError, match="allowed: description, name, sites"):
        load_portfolio(pf)


def test_the_phases_section_says_what_leaving_it_out_does():
    """A new site without interconnection.phases (the reference said nothing of it: its section was a bare
    table) is planned at filing: its chance of power by the planned date is that of power on the day of
    filing, 0 whatever the wait (an 18-month median here, from the site's own figures), as the reference says."""
    from dcplan import grid
    from dcplan.specs.interconnection import InterconnectionSpec
    text = b.OUT.read_text(encoding="utf-8")
    section = text.split("## `interconnection.phases[]` (optional)", 1)[1].split("| key |", 1)[0]
    assert "Left out: the whole requested_mw is one phase planned at the filing date" in section, section
    assert "is that of power on the day of filing: 0" in section, section
    spec = InterconnectionSpec(requested_mw=2.5, filed="2026-01-15", equipment="none",
                               time_to_power={"p10_months": 12, "median_months": 18, "p90_months": 30,
                                              "source": "test"})
    assert grid._phases(spec) == [(grid.pd.Timestamp("2026-01-15"), 2.5, 2.5, "requested", False)]
    assert grid.on_time_frac(spec) == 0.0
