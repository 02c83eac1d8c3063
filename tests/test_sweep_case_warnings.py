"""A sweep case's site gets dcplan validate's plausibility warnings (dcplan.sweep_checks), each saying which case.

Expected texts are dcplan.site_plausibility.site_warnings' of the same site (the checks validate runs on a site
file), so these tests pin the sweep to validate, not to a copy of its wording. Before dcplan.sweep_checks a sweep
ran a case of 100,000 servers on a 10 MW request without a word (a tester's finding).
"""
from __future__ import annotations

import warnings

import pytest

from dcplan.cli import main
from dcplan.errors import DcplanWarning
from dcplan.site import load_portfolio
from dcplan.site_plausibility import (air_plant_warnings, air_server_on_liquid_warnings, site_checks,
                                      site_warnings)
from dcplan.sweep import SweepSpec, apply_overrides, run_sweep
from dcplan.sweep_checks import _plant_texts, case_label, case_warnings

#: site id -> overrides, each giving one of validate's warnings (its field below): a fleet far above the request,
#: a contract under the design facility power, a PV size in MW typed as kW, a cap above the TDP, another utility's
#: tariff, a zero grid carbon; and the bundled sites as they are (no warning)
VARIANTS = [
    ("chicago-il", {"fleet.phases[0].count": 100_000}, "interconnection.requested_mw"),
    ("chicago-il", {"interconnection.phases[0].mw": 6.0}, "interconnection.phases"),
    ("phoenix-az", {"solar.dc_kw": 3.0}, "solar.dc_kw"),
    ("phoenix-az", {"fleet.cap_w_per_accelerator": 5000.0}, "fleet.cap_w_per_accelerator"),
    ("chicago-il", {"tariff.file": "tariffs/aps-az-e32-tou-l.json"}, "tariff.file"),
    ("chicago-il", {"grid_carbon_kg_per_mwh": 0.0}, "grid_carbon_kg_per_mwh"),
    ("research-triangle-nc", {}, None),
    ("northern-virginia", {}, None),
]


@pytest.fixture(scope="module")
def pf():
    return load_portfolio()


def _site(pf, sid, overrides):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DcplanWarning)  # (an override's own notes, not the checks')
        return apply_overrides(pf[sid], overrides, None)


def _validate_texts(site) -> list[str]:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DcplanWarning)
        return site_warnings(site)


@pytest.mark.parametrize("sid, overrides, field", VARIANTS)
def test_a_case_gets_validates_warnings_of_its_site(pf, sid, overrides, field):
    site = _site(pf, sid, overrides)
    want = _validate_texts(site)
    assert [t.split(": ")[1] for t in want] == ([field] if field else [])  # the variant gives its one warning
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DcplanWarning)
        assert case_warnings(site) == want


@pytest.mark.parametrize("sid, overrides, field", VARIANTS)
def test_the_kept_checks_give_the_same_texts_whatever_solar_tariff_finance_and_grid_carbon(pf, sid, overrides, field):
    """dcplan.sweep_checks keeps the first group's texts by the site without those four fields: the texts must not
    depend on them. Here each is set to values the other group warns of (3 kW of PV, no tariff, no grid carbon,
    the default finance) and to the key's: the first group's texts stay the site's own."""
    from dcplan.specs import FinanceSpec, SolarSpec
    site = _site(pf, sid, overrides)
    plant = site_checks()[0]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DcplanWarning)
        own = [t for c in plant for t in c(site)]
        for update in ({"solar": SolarSpec(dc_kw=3.0), "tariff": None, "finance": FinanceSpec(),
                        "grid_carbon_kg_per_mwh": 0.0},
                       {"solar": SolarSpec(), "tariff": None, "finance": FinanceSpec(),
                        "grid_carbon_kg_per_mwh": None}):
            other = site.model_copy(update=update)
            assert [t for c in plant for t in c(other)] == own
    assert [t.split(": ")[1] for t in own] == ([field] if field and not field.startswith(("solar", "tariff", "grid"))
                                              else [])


def test_a_pv_sweep_runs_the_kept_checks_once_a_fleet_sweep_every_case(pf):
    _plant_texts.cache_clear()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DcplanWarning)
        for kw in (0.0, 2000.0, 4000.0):
            case_warnings(_site(pf, "phoenix-az", {"solar.dc_kw": kw}))
        assert _plant_texts.cache_info().misses == 1
        for n in (100, 200):
            case_warnings(_site(pf, "phoenix-az", {"fleet.phases[0].count": n}))
        assert _plant_texts.cache_info().misses == 3


def test_the_two_plant_checks_a_cooling_axis_sets_on_purpose_are_left_out(pf):
    """An air case of a spec whose fixed sets cooling.liquid_class, and a liquid case of HGX servers: validate
    warns of both site files, the sweep of neither (the example sweep has both on purpose)."""
    air = _site(pf, "chicago-il", {"cooling.type": "air", "cooling.liquid_class": "W32"})
    liquid = _site(pf, "chicago-il", {"cooling.type": "liquid", "cooling.liquid_class": "W32"})
    assert air_plant_warnings(air) and air_server_on_liquid_warnings(liquid)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DcplanWarning)
        assert case_warnings(air) == [] and case_warnings(liquid) == []


def test_a_sweep_warns_of_the_case_once_and_counts_the_others(pf):
    """Chicago's 10 MW request under fleets of 256 (the site's) and 100,000 servers, each with 3 PV sizes: the 3
    large-fleet cases warn of the request (shown once, with its case; 2 more counted); the others do not. Each
    case's row is ok: a warning, not an error."""
    spec = SweepSpec(sites=[pf["chicago-il"]], name="w",
                     axes={"fleet.phases[0].count": [256, 100_000], "solar.dc_kw": [0.0, 2000.0, 4000.0]})
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        res = run_sweep(spec, jobs=1, write=False)
    assert res.ok and len(res.frame) == 6
    texts = [str(w.message) for w in caught if issubclass(w.category, DcplanWarning)]
    want = _validate_texts(_site(pf, "chicago-il", {"fleet.phases[0].count": 100_000, "solar.dc_kw": 0.0}))
    assert len(want) == 1
    label = case_label("chicago-il", {"fleet.phases[0].count": 100_000, "solar.dc_kw": 0.0})
    assert label == 'sweep case chicago-il with fleet.phases[0].count=100000, solar.dc_kw=0.0'
    shown = [t for t in texts if "interconnection.requested_mw" in t and not t.startswith("the warnings above")]
    assert shown == [f"{want[0]} [{label}]"]
    summary = [t for t in texts if t.startswith("the warnings above")]
    assert len(summary) == 1 and "2 more case(s)" in summary[0]


def test_the_cli_prints_the_case_warning(tmp_path):
    """The real command (a subprocess: pytest records warnings instead of printing them)."""
    import os
    import subprocess
    import sys
    spec = tmp_path / "s.yaml"
    spec.write_text("name: s\nsite: chicago-il\naxes:\n  fleet.phases[0].count: [100000]\n")
    p = subprocess.run([sys.executable, "-m", "dcplan", "sweep", str(spec), "-j", "1", "-q", "--out",
                        str(tmp_path / "s.parquet")], capture_output=True, text=True, timeout=300,
                       env={**os.environ, "DCPLAN_TODAY": "2000-01-01"})
    assert p.returncode == 0, p.stderr
    lines = [ln for ln in p.stderr.splitlines() if ln.startswith("dcplan: warning:")]
    assert len(lines) == 1 and "interconnection.requested_mw: 10 MW" in lines[0], p.stderr
    assert lines[0].endswith("[sweep case chicago-il with fleet.phases[0].count=100000]")


def test_one_warning_of_cases_differing_in_a_text_value_is_one_kind(pf):
    """Chicago's fleet at 100,000 servers on three tariff files: the request warning (the same for each case) was
    shown in full once per tariff, its case label (a text value, not a number) making three kinds; now once, and
    2 more counted (a reviewer's finding)."""
    spec = SweepSpec(sites=[pf["chicago-il"]], name="w", axes={
        "fleet.phases[0].count": [100_000],
        "tariff.file": ["tariffs/comed-il-large-load.json", "tariffs/duke-nc-opt-tou.json",
                        "tariffs/dominion-va-gs3.json"]})
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        res = run_sweep(spec, jobs=1, write=False)
    assert res.ok and len(res.frame) == 3
    texts = [str(w.message) for w in caught if issubclass(w.category, DcplanWarning)]
    shown = [t for t in texts if "interconnection.requested_mw" in t and not t.startswith("the warnings above")]
    assert len(shown) == 1 and shown[0].endswith('tariff.file="tariffs/comed-il-large-load.json"]')
    summary = [t for t in texts if t.startswith("the warnings above")]
    assert len(summary) == 1 and "2 more case(s): '" in summary[0] and "interconnection.requested_mw" in summary[0]


def test_a_check_that_cannot_run_is_said_and_the_case_keeps_its_figures(pf, monkeypatch):
    import dcplan.sweep_checks as sc

    def broken(site, overrides):
        raise KeyError("no such column")
    monkeypatch.setattr(sc, "warn_case", broken)
    spec = SweepSpec(sites=[pf["phoenix-az"]], name="w", axes={"solar.dc_kw": [0.0]})
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        res = run_sweep(spec, jobs=1, write=False)
    assert res.ok and res.frame["annual_pue"].notna().all()
    texts = [str(w.message) for w in caught if issubclass(w.category, DcplanWarning)]
    assert any(t.startswith("the plausibility checks of sweep case phoenix-az with solar.dc_kw=0.0 could not run: "
                            "KeyError") for t in texts), texts
