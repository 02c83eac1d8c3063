"""dcplan.sweep_spec: specs that would run repeated cases are refused, and errors show a date as the file wrote it."""
from __future__ import annotations

import warnings

import pytest

from dcplan.errors import DcplanWarning, InputError
from dcplan.site import load_portfolio
from dcplan.sweep import SweepSpec, load_sweep

CLIMATE = "dcplan.sweep:climate_figures"


@pytest.fixture(scope="module")
def pf():
    return load_portfolio()


def test_an_axis_inside_another_axis_is_refused(pf):
    """``solar: [{dc_kw: 100}, {dc_kw: 200}]`` with ``solar.dc_kw: [0, 300]`` ran 4 cases of 2 sites (the inner
    value replaces the outer's), each twice under another id, its ``solar`` column naming values no case ran."""
    with pytest.raises(InputError) as e:
        SweepSpec(sites=[pf["phoenix-az"]], case=CLIMATE,
                  axes={"solar": [{"dc_kw": 100}, {"dc_kw": 200}], "solar.dc_kw": [0, 300]})
    assert e.value.field == "axes.solar.dc_kw"
    assert "inside the axis 'solar'" in str(e.value) and "solar in fixed" in str(e.value)
    with pytest.raises(InputError, match=r"axes\.fleet\.phases\[0\]\.count.*inside the axis 'fleet\.phases'"):
        SweepSpec(sites=[pf["phoenix-az"]], case=CLIMATE,
                  axes={"fleet.phases[0].count": [128, 256],
                        "fleet.phases": [[{"hardware": "hgx-b200", "count": 64, "start": "2026-10-01"}]]})


def test_a_section_in_fixed_with_a_field_of_it_on_an_axis_is_allowed(pf):
    """The way to sweep one field of a section the site lacks: 3 cases, one per value."""
    spec = SweepSpec(sites=[pf["chicago-il"]], case=CLIMATE, axes={"interconnection.battery.energy_mwh": [4, 8, 16]},
                     fixed={"interconnection.battery": {"power_mw": 2, "energy_mwh": 8}})
    assert len(spec.cases()) == 3
    assert len({c.case_id for c in spec.cases()}) == 3


def test_a_site_given_twice_is_refused_as_any_repeated_axis_value(pf):
    """``site: [phoenix-az, phoenix-az]`` ran one case, silently; ``solar.dc_kw: [100, 100]`` is refused."""
    with pytest.raises(InputError) as e:
        SweepSpec(sites=pf, case=CLIMATE, axes={"site": ["phoenix-az", "chicago-il", "phoenix-az"]})
    assert e.value.field == "axes.site"
    assert "value 'phoenix-az' (item 2) repeats 'phoenix-az' (item 0); each value once" in str(e.value)


def test_an_error_shows_a_date_value_as_the_file_writes_it(tmp_path):
    """A YAML date on an axis was shown as ``datetime.date(2024, 1, 1)`` in the error."""
    f = tmp_path / "s.yaml"
    f.write_text("name: s\nsite: phoenix-az\naxes:\n  interconnection.phases[0].energized: [2024-01-01, 2027-01-01]\n")
    with pytest.raises(InputError) as e:
        load_sweep(f)
    assert "value 2024-01-01: " in str(e.value)
    assert "datetime" not in str(e.value)
    f.write_text("name: s\nsite: phoenix-az\naxes:\n  interconnection.phases[0].energized: [2027-01-01, 2027-01-01]\n")
    with pytest.raises(InputError, match=r"value 2027-01-01 \(item 1\) repeats 2027-01-01 \(item 0\)"):
        load_sweep(f)


def test_a_rack_layout_axis_of_the_default_case_is_warned(pf):
    """Phoenix's 384 hgx-b200 at 1 and 2 servers a rack, air and liquid, with and without PV and a battery: every
    column of case_figures' rows but the rack figures (racks_total, rack_kw_max: tests/test_sweep_rack_columns.py)
    is the same at both layouts (a planner's sweep, 2026-12), so the warning says which columns move and which do
    not, and the air limits (60 kW refused, 40.8 kW the densest air layout: dcplan.catalog_bands) to read
    rack_kw_max against; a case function of one's own is not warned."""
    axes = {"fleet.phases[0].units_per_rack": [1, 2], "solar.dc_kw": [0, 100]}
    with pytest.warns(DcplanWarning, match=r"axes\.fleet\.phases\[0\]\.units_per_rack: of the figures of "
                                           r"dcplan\.pipeline:case_figures only racks_total and rack_kw_max \(the "
                                           r"compute racks and the densest one's kW at full load\) follow the rack "
                                           r"layout") as got:
        SweepSpec(sites=[pf["phoenix-az"]], axes=axes)
    msgs = [str(w.message) for w in got if "rack layout" in str(w.message)]
    assert len(msgs) == 1
    assert "the energy, PUE, cooling, bill and cost columns are the same at every layout" in msgs[0]
    assert "at or above 60 kW a rack fails; one above 40.8 kW" in msgs[0]
    with warnings.catch_warnings():
        warnings.simplefilter("error", DcplanWarning)
        SweepSpec(sites=[pf["phoenix-az"]], case=CLIMATE, axes=axes)


def test_samples_without_mode_sample_is_warned(pf):
    """A spec with samples: 5 and no mode ran its 2 grid cases in silence (a planner's sweep, 2026-12): the
    grid runs every combination (here 2 values = 2 cases), not 5 draws."""
    axes = {"solar.dc_kw": [0, 100]}
    with pytest.warns(DcplanWarning, match=r"samples: 5 is read only with mode: sample; this grid sweep runs "
                                           r"every combination") as got:
        spec = SweepSpec(sites=[pf["phoenix-az"]], axes=axes, samples=5)
    assert len(spec.cases()) == 2
    assert sum("samples:" in str(w.message) for w in got) == 1
    with warnings.catch_warnings():
        warnings.simplefilter("error", DcplanWarning)
        SweepSpec(sites=[pf["phoenix-az"]], axes=axes)
        SweepSpec(sites=[pf["phoenix-az"]], axes=axes, mode="sample", samples=5)
