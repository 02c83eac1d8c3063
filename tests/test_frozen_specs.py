"""A loaded site spec is frozen all through: its mappings and lists are read-only too.

A Python-API user set ``s.finance.costs['pv_usd_per_kw_dc'] = -5000.0`` on a loaded site: it was
accepted (the same value in a YAML is refused, "must be a number >= 0") and the PV cost went
negative; ``fleet.profile`` was a plain dict too, and ``hash(s)`` failed. Now a change in place
raises a TypeError naming the field and how to change a spec (the YAML, or
``apply_overrides``, which validates); dumps, validation round trips, pickling and overrides work.
"""
from __future__ import annotations

import copy
import json
import pickle
import re

import pytest
import yaml

from dcplan.errors import InputError
from dcplan.site import Site, load_site
from dcplan.specs import FinanceSpec, FleetSpec, TariffSpec
from dcplan.specs._base import FrozenDict, FrozenList
from dcplan.sweep_overrides import apply_overrides

from conftest import DATA

HOW = ("set it in the site YAML, or make a validated copy with dcplan.sweep_overrides.apply_overrides(site, "
       "{{'{path}': value}}) (model_copy(update=...) does not validate)")


def _site_with_costs_and_profile(tmp_path):
    """A copy of the bundled Phoenix site (an inference fleet) with a cost override and a profile key."""
    text = (DATA / "sites" / "phoenix-az.yaml").read_text()
    text = text.replace("file: weather/", f"file: {DATA / 'weather'}/")
    text = text.replace("file: tariffs/", f"file: {DATA / 'tariffs'}/")
    text = text.replace("  utilisation_frac: 0.6\n", "  utilisation_frac: 0.6\n  profile: {peak_hour: 15.0}\n")
    # the site's own costs (its water price) and their sources out: the test's one cost is the only one
    text, n_costs = re.subn(r"^  costs: \{[^}]*\}\n", "", text, flags=re.M)
    text, n_sources = re.subn(r'^    (water|sewer)_usd_per_m3: ".*?"\n', "", text, flags=re.M | re.S)
    assert (n_costs, n_sources) == (1, 1)
    text = re.sub(r"^finance:\n", "finance:\n  costs: {pv_usd_per_kw_dc: 1200.0}\n", text, flags=re.M)
    assert "pv_usd_per_kw_dc: 1200.0" in text and "peak_hour: 15.0" in text
    p = tmp_path / "phoenix-az.yaml"
    p.write_text(text)
    return load_site(p)


def test_the_reported_assignment_is_refused_and_says_how_to_change_the_spec():
    s = load_site("phoenix-az")
    before = dict(s.finance.costs)  # the site's own water price only (data/sites/phoenix-az.yaml)
    assert "pv_usd_per_kw_dc" not in before
    with pytest.raises(TypeError) as e:
        s.finance.costs["pv_usd_per_kw_dc"] = -5000.0
    path = "finance.costs.pv_usd_per_kw_dc"
    assert str(e.value) == (f"{path}: cannot be changed in place: a site spec is frozen (validated once, on load); "
                            + HOW.format(path=path))
    assert s.finance.costs == before  # unchanged: the model still reads data/costs.csv's PV figure
    with pytest.raises(TypeError, match=r"^fleet\.profile\.peak_hour: cannot be changed in place: a site spec"):
        s.fleet.profile["peak_hour"] = 3.0
    assert s.fleet.profile == {}


def test_every_change_in_place_is_refused(tmp_path):
    s = _site_with_costs_and_profile(tmp_path)
    costs, profile = s.finance.costs, s.fleet.profile
    assert costs == {"pv_usd_per_kw_dc": 1200.0} and profile == {"peak_hour": 15.0}
    changes = [lambda d: d.__delitem__(next(iter(d))), lambda d: d.update(x=1.0), lambda d: d.setdefault("x", 1.0),
               lambda d: d.pop(next(iter(d))), lambda d: d.popitem(), lambda d: d.clear(),
               lambda d: d.__ior__({"x": 1.0})]
    for d, where in ((costs, "finance.costs"), (profile, "fleet.profile")):
        for change in changes:
            with pytest.raises(TypeError, match=rf"^{re.escape(where)}(\.\w+)?: cannot be changed in place"):
                change(d)
    assert costs == {"pv_usd_per_kw_dc": 1200.0} and profile == {"peak_hour": 15.0}
    # a copy is the caller's own, mutable
    mine = costs.copy()
    mine["pv_usd_per_kw_dc"] = 1.0
    assert type(mine) is dict and {**costs} == dict(costs) == {"pv_usd_per_kw_dc": 1200.0}
    assert costs | {"x": 2.0} == {"pv_usd_per_kw_dc": 1200.0, "x": 2.0}
    # a section built in Python, and its default (no costs given), are frozen too
    for spec in (FinanceSpec(), FinanceSpec(costs={"pv_usd_per_kw_dc": 1000.0}), FleetSpec.model_validate(
            {"phases": [{"hardware": "hgx-h100", "count": 1, "start": "2026-01-01"}]})):
        d = spec.costs if isinstance(spec, FinanceSpec) else spec.profile
        assert isinstance(d, FrozenDict)
        with pytest.raises(TypeError, match="a site spec is frozen"):
            d["x"] = 1.0


def test_coincident_peaks_are_read_only():
    t = TariffSpec(file="x.json", coincident_peaks=["2025-07-21 17:00"])
    for change in (lambda v: v.append("2025-08-12 16:00"), lambda v: v.__setitem__(0, "x"),
                   lambda v: v.extend(["x"]), lambda v: v.__iadd__(["x"]), lambda v: v.clear()):
        with pytest.raises(TypeError, match=r"^tariff\.coincident_peaks: cannot be changed in place: a site spec"):
            change(t.coincident_peaks)
    assert t.coincident_peaks == ["2025-07-21 17:00"] and isinstance(t.coincident_peaks, FrozenList)
    assert t.model_dump()["coincident_peaks"] == ["2025-07-21 17:00"] and hash(t) == hash(copy.deepcopy(t))


def test_dumps_round_trips_pickling_and_hash_still_work(tmp_path):
    s = _site_with_costs_and_profile(tmp_path)
    d = s.model_dump()
    assert type(d["finance"]["costs"]) is dict and type(d["fleet"]["profile"]) is dict  # plain: a caller may edit
    assert d["finance"]["costs"] == {"pv_usd_per_kw_dc": 1200.0}
    assert yaml.safe_load(yaml.safe_dump(json.loads(s.model_dump_json())))["fleet"]["profile"] == {"peak_hour": 15.0}
    assert json.loads(json.dumps(s.finance.costs)) == {"pv_usd_per_kw_dc": 1200.0}
    again = Site.model_validate(d)
    assert again == s and isinstance(again.finance.costs, FrozenDict)
    for other in (pickle.loads(pickle.dumps(s)), copy.deepcopy(s), copy.copy(s)):
        assert other == s and hash(other) == hash(s)
        with pytest.raises(TypeError, match=r"^finance\.costs\.x: cannot be changed in place"):
            other.finance.costs["x"] = 1.0
    assert hash(load_site("phoenix-az")) == hash(load_site("phoenix-az"))  # failed: unhashable type: 'dict'


def test_apply_overrides_is_the_way_to_change_a_spec(tmp_path):
    s = _site_with_costs_and_profile(tmp_path)
    s2 = apply_overrides(s, {"finance.costs.pv_usd_per_kw_dc": 1300.0, "fleet.profile.peak_hour": 16.0})
    assert s2.finance.costs == {"pv_usd_per_kw_dc": 1300.0} and s2.fleet.profile == {"peak_hour": 16.0}
    assert s.finance.costs == {"pv_usd_per_kw_dc": 1200.0}  # the base is not modified
    with pytest.raises(TypeError, match="a site spec is frozen"):
        s2.finance.costs["pv_usd_per_kw_dc"] = 1.0
    # the value the in-place change slipped past is refused, as in a YAML
    with pytest.raises(InputError, match=r"finance\.costs\.pv_usd_per_kw_dc: must be a number >= 0, got -5000\.0"):
        apply_overrides(s, {"finance.costs.pv_usd_per_kw_dc": -5000.0})
