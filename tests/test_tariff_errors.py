"""Bad tariffs and bad loads: each a clear InputError naming the field/timestamp, or a documented option."""
from __future__ import annotations

import copy
import json

import numpy as np
import pandas as pd
import pytest

from dcplan.errors import InputError
from dcplan.tariff import Tariff

NY = "America/New_York"


def base():
    return {"label": "t1", "energyratestructure": [[{"rate": 0.05}], [{"rate": 0.09}]],
            "energyweekdayschedule": [[1 if 12 <= h < 18 else 0 for h in range(24)] for _ in range(12)],
            "energyweekendschedule": [[0] * 24 for _ in range(12)]}


def load(n=24 * 40, freq="h", start="2023-01-01 01:00"):
    return pd.Series(100.0, index=pd.date_range(start, periods=n, freq=freq, tz=NY))


@pytest.mark.parametrize("mutate,match", [
    (lambda u: u["energyweekdayschedule"].pop(), r"energyweekdayschedule: must be 12 rows.*got 11"),
    (lambda u: u["energyweekendschedule"][3].pop(), r"energyweekendschedule\[3\]: .*24 hourly.*got 23"),
    (lambda u: u["energyweekdayschedule"][0].__setitem__(5, 2),
     r"energyweekdayschedule\[0\]\[5\]: period 2 has no rate in energyratestructure \(periods 0..1\)"),
    (lambda u: u["energyweekdayschedule"][0].__setitem__(5, 0.5), r"\[0\]\[5\]: period index must be an integer"),
    (lambda u: u.__setitem__("energyratestructure", [[{"max": 500, "rate": 0.1}, {"max": 400, "rate": 0.2},
                                                     {"rate": 0.3}], [{"rate": 0.1}]]),
     r"energyratestructure\[0\]\[1\]\.max: tier maxima must be positive and ascending; got 400"),
    (lambda u: u.__setitem__("energyratestructure", [[{"rate": 0.1}, {"max": 10, "rate": 0.2}], [{"rate": 0.1}]]),
     r"energyratestructure\[0\]\[0\]\.max: only the last tier may omit 'max'"),
    (lambda u: u["energyratestructure"][1][0].__setitem__("rate", -0.02), r"\[1\]\[0\]\.rate: .*negative"),
    # 0.04 - 0.06 is -0.019999999999999997 in floats: printed to 6 significant figures, with its parts
    (lambda u: u["energyratestructure"][1][0].update(rate=0.04, adj=-0.06),
     r"\[1\]\[0\]\.rate: rate \+ adj = -0\.02 \(rate 0\.04 \+ adj -0\.06\) is negative; negative energy rates"),
    (lambda u: u["energyratestructure"][0][0].__setitem__("unit", "kWh/kVA"),
     r"energyratestructure\[0\]\[0\]\.unit: tier unit 'kWh/kVA' is not supported"),
    (lambda u: u["energyratestructure"][0][0].__setitem__("rat", 0.1), r"unknown 'rat' \(did you mean 'rate'\?\)"),
    (lambda u: u.__setitem__("energyratestructur", []), r"unknown 'energyratestructur' \(did you mean 'energyratestructure'\?\)"),
    (lambda u: u.update(demandunits="kVA"), r"demandunits: demand unit 'kVA' is not supported"),
    (lambda u: u.update(demandreactivepowercharge=0.5), r"demandreactivepowercharge: reactive-power"),
    (lambda u: u.update(fixedchargefirstmeter=10, fixedchargeunits="$/mo"), r"fixedchargeunits: unknown unit '\$/mo'"),
    (lambda u: u.update(flatdemandstructure=[[{"rate": -1.0}]], flatdemandmonths=[0] * 12),
     r"flatdemandstructure\[0\]\[0\]\.rate: .*negative demand rates are not allowed"),
    (lambda u: u.update(flatdemandstructure=[[{"rate": 1.0}]], flatdemandmonths=[0] * 11 + [1]),
     r"flatdemandmonths\[11\]: period 1 has no rate"),
    (lambda u: u.update(demandratestructure=[[{"rate": 1.0}]]), r"demandweekdayschedule: missing"),
    (lambda u: u.update(demandratchetpercentage=[80] * 12), r"demandratchetpercentage: fractions must be in \[0, 1\]"),
    (lambda u: u.update(mincharge=-5), r"mincharge: must be >= 0"),
    (lambda u: u.update(demandweekdayschedule=[[0] * 24] * 12), r"demandweekdayschedule: given without demandratestructure"),
    (lambda u: [u.pop(k) for k in list(u) if k != "label"], r"item: no charges found"),
])
def test_bad_urdb_items(mutate, match):
    u = base()
    mutate(u)
    with pytest.raises(InputError, match=match):
        Tariff.from_urdb(u)


def test_unsupported_fields_can_be_ignored_explicitly():
    u = base()
    u["demandreactivepowercharge"] = 0.5
    u["energyratestructure"][0][0]["unit"] = "kWh/kVA"
    t = Tariff.from_urdb(u, ignore=["demandreactivepowercharge", "energyratestructure.unit"])
    assert t.energy_tier_unit == "kWh"


def test_negative_energy_rate_opt_in():
    u = base()
    u["energyratestructure"][0][0]["rate"] = -0.01
    t = Tariff.from_urdb(u, allow_negative_energy=True)
    assert t.energy_rate[0, 0] == -0.01


def test_items_wrapper_label_selection(tmp_path):
    a, b = base(), base()
    a["label"], b["label"] = "gs3-2026", "gs5-2027"
    b["energyratestructure"][0][0]["rate"] = 0.07
    with pytest.raises(InputError, match=r"items: 2 rate items; pick one with label=, one of: gs3-2026, gs5-2027"):
        Tariff.from_urdb({"items": [a, b]})
    with pytest.raises(InputError, match=r"label: no item with label 'gs3-2025' \(did you mean 'gs3-2026'\?\)"):
        Tariff.from_urdb({"items": [a, b]}, label="gs3-2025")
    assert Tariff.from_urdb({"items": [a, b]}, label="gs5-2027").energy_rate[0, 0] == 0.07
    assert Tariff.from_urdb({"items": [a]}).energy_rate[0, 0] == 0.05
    import json
    p = tmp_path / "x.json"
    p.write_text(json.dumps({"items": [a, b]}))
    with pytest.raises(InputError, match=r"x.json: items: 2 rate items"):
        Tariff.from_urdb(p)
    p.write_text("{not json")
    with pytest.raises(InputError, match=r"x.json: not valid JSON"):
        Tariff.from_urdb(p)


def test_from_urdb_does_not_mutate_its_argument():
    u = base()
    snap = copy.deepcopy(u)
    Tariff.from_urdb(u).bill(load())
    assert u == snap


def test_load_with_gap_duplicate_disorder_irregular_naive():
    t = Tariff.from_urdb(base())
    s = load()
    gap = s.drop(s.index[30])
    with pytest.raises(InputError, match=r"load_kw.index: irregular step at 2023-01-02 08:00:00-05:00"):
        t.bill(gap)
    dup = pd.concat([s.iloc[:10], s.iloc[9:]])
    with pytest.raises(InputError, match=r"duplicate timestamp 2023-01-01 10:00:00-05:00"):
        t.bill(dup)
    swapped = s.iloc[[0, 2, 1] + list(range(3, len(s)))]
    with pytest.raises(InputError, match=r"not increasing at 2023-01-01 02:00:00-05:00"):
        t.bill(swapped)
    with pytest.raises(InputError, match=r"naive timestamps"):
        t.bill(s.tz_localize(None))
    with pytest.raises(InputError, match=r"interval 2 min not supported"):
        t.bill(load(n=5000, freq="2min"))
    nan = s.copy()
    nan.iloc[7] = np.nan
    with pytest.raises(InputError, match=r"NaN/inf load at 2023-01-01 08:00:00-05:00.*fill='interpolate'"):
        t.bill(nan)
    neg = s.copy()
    neg.iloc[3] = -5.0
    with pytest.raises(InputError, match=r"negative load -5 kW at 2023-01-01 04:00:00-05:00"):
        t.bill(neg)
    with pytest.raises(InputError, match="unknown fill"):
        t.bill(s, fill="zeros")
    with pytest.raises(InputError, match="needs index="):
        t.bill(s.to_numpy())


def test_fill_interpolate_is_explicit_and_linear():
    t = Tariff.flat(1.0)
    s = load(n=48)
    s.iloc[10] = 300.0
    gap = s.drop(s.index[[11, 12]])  # two missing hours between 300 and 100 kW
    b = t.bill(gap, fill="interpolate")
    # 48 h at 100 kW with 300 kW in hour 10 = 5000 kWh. The two dropped hours (200 kWh) come
    # back interpolated between 300 and 100 kW: 233.33 + 166.67 = 400 kWh -> 5200 kWh x 1 $/kWh
    assert b.energy_usd == pytest.approx(5200.0, abs=1e-6)


def test_bad_python_constructor_arguments():
    with pytest.raises(InputError, match=r"usd_per_kwh: must be >= 0"):
        Tariff.flat(-0.1)
    with pytest.raises(InputError, match=r"periods\[0\]\.hour: unknown 'hour' \(did you mean 'hours'\?\)"):
        Tariff.tou(0.05, [{"hour": [1], "usd_per_kwh": 0.1}])
    with pytest.raises(InputError, match=r"periods\[0\]\.hours: need start hours 0-23"):
        Tariff.tou(0.05, [{"hours": [24], "usd_per_kwh": 0.1}])
    with pytest.raises(InputError, match=r"frac_per_year: unknown 'enrgy' \(did you mean 'energy'\?\)"):
        Tariff.flat(0.1).with_escalation({"enrgy": 0.02}, 2025)
    with pytest.raises(InputError, match=r"min_frac: must be in \[0, 1\]"):
        Tariff.flat(0.1).with_contract_demand(1000, min_frac=85)
    with pytest.raises(InputError, match=r"peaks\[0\]: peak .* has no time zone"):
        Tariff.flat(0.1).with_4cp(5.0, ["2023-07-01 17:00"])


def test_older_urdb_fixed_and_annual_minimum_fields():
    u = base()
    u.update(fixedmonthlycharge=120.0, annualmincharge=1e6)
    t = Tariff.from_urdb(u)
    b = t.bill(load(n=24 * 31, start="2023-01-01 01:00"))
    # one January: fixed 120; energy 100 kW: weekdays 12-18 h at 0.09 (22 weekdays x 6 h), rest 0.05
    energy = 100 * (22 * 6 * 0.09 + (31 * 24 - 22 * 6) * 0.05)
    assert b.fixed_usd == pytest.approx(120.0, abs=1e-9)
    assert b.energy_usd == pytest.approx(energy, abs=1e-6)
    # annual minimum pro-rated to 1 of 12 months: 1e6 / 12 - (energy + fixed)
    assert b.minimum_usd == pytest.approx(1e6 / 12 - energy - 120.0, abs=1e-6)
    u["fixedchargefirstmeter"] = 50.0
    with pytest.raises(InputError, match="both fixedmonthlycharge and fixedchargefirstmeter"):
        Tariff.from_urdb(u)


@pytest.mark.parametrize("maxes, field, detail", [
    # tester f_mixed_units: "got 0.0 after -inf"; now the tier and its value, no -inf
    ([0, None], "energyratestructure[0][0].max",
     "tier maxima must be positive and ascending; got 0 for tier 0 (a tier's max is its upper bound, > 0)"),
    ([-5, None], "energyratestructure[0][0].max",
     "tier maxima must be positive and ascending; got -5 for tier 0 (a tier's max is its upper bound, > 0)"),
    ([500, 400, None], "energyratestructure[0][1].max",
     "tier maxima must be positive and ascending; got 400 for tier 1 after 500 for tier 0"),
])
def test_tier_max_errors_name_the_tier_and_value(maxes, field, detail):
    u = base()
    u["energyratestructure"][0] = [{"rate": 0.1, **({"max": m} if m is not None else {})} for m in maxes]
    with pytest.raises(InputError) as ei:
        Tariff.from_urdb(u)
    assert ei.value.field == field and ei.value.detail == detail


# URDB's bulk CSV export (usurdb.csv: one column per period and tier, "energyratestructure/period0/tier0rate")
# given as a tariff: "not valid JSON: Expecting value" (a CSV) or one "unknown key" per column (its row made a
# JSON object) said nothing of what the file is or of the JSON form dcplan reads.
_BULK_HEADER = ("label,uri,sector,energyratestructure/period0/tier0max,energyratestructure/period0/tier0rate,"
                "energyratestructure/period0/tier1rate,energyweekdayschedule\n")


def test_bulk_csv_export_is_named_with_the_json_form_to_download(tmp_path):
    f = tmp_path / "usurdb.csv"
    f.write_text(_BULK_HEADER + 'abc,https://x,Commercial,1000,0.1,0.2,"[[0]]"\n')
    with pytest.raises(InputError) as exc:
        Tariff.from_urdb(f)
    msg = str(exc.value)
    assert str(f) in msg and "not valid JSON" in msg
    assert "URDB's bulk CSV export" in msg and "format=json&detail=full&getpage=LABEL" in msg


def test_flattened_bulk_keys_are_one_error_naming_the_form():
    item = {"label": "abc", "energyratestructure/period0/tier0max": 1000,
            "energyratestructure/period0/tier0rate": 0.1, "energyratestructure/period0/tier1rate": 0.2}
    with pytest.raises(InputError) as exc:
        Tariff.from_urdb(item)
    assert exc.value.field == "energyratestructure/period0/tier0max"
    assert "3 keys in the flattened form of URDB's bulk CSV export" in str(exc.value)
    assert "nested lists" in str(exc.value)


def test_validate_names_a_bulk_csv_export_as_bill_does(tmp_path, capsys):
    """``dcplan validate usurdb.csv`` checked it as a load CSV ("several value columns [...]; pick one with
    --column"): now the one line bill gives, naming the file, the form and the JSON to download instead."""
    from dcplan.cli import main
    f = tmp_path / "usurdb.csv"
    f.write_text(_BULK_HEADER + 'abc,https://x,Commercial,1000,0.1,0.2,"[[0]]"\n')
    with pytest.raises(InputError) as exc:
        Tariff.from_urdb(f)
    bill_says = str(exc.value).split("; ", 1)[1]  # after bill's "not valid JSON: ..."
    for name in ("usurdb.csv", "usurdb.json"):  # whatever its extension
        g = tmp_path / name
        if g != f:
            g.write_text(f.read_text())
        assert main(["validate", str(g)]) == 2
        err = capsys.readouterr().err.strip().splitlines()
        assert err == [f"{g}: {bill_says}"], err
        assert "URDB's bulk CSV export" in err[0] and "getpage=LABEL" in err[0] and "--column" not in err[0]


def test_the_python_api_tells_a_bulk_csv_export_as_validate_does(tmp_path):
    """``dcplan.validate.validate_file`` and ``detect_kind`` took URDB's bulk CSV export for a load CSV ("pick one
    with --column") while ``dcplan validate`` named it: the kind is now told where every kind is, one place."""
    from dcplan.tariff_urdb import bulk_csv_message
    from dcplan.validate import detect_kind, validate_file
    for name in ("usurdb.csv", "usurdb.json", "usurdb.txt"):  # whatever its extension
        g = tmp_path / name
        g.write_text(_BULK_HEADER + 'abc,https://x,Commercial,1000,0.1,0.2,"[[0]]"\n')
        assert detect_kind(g) == "tariff"
        probs = validate_file(g)
        assert [(p.file, p.field, p.message) for p in probs] == [(str(g), "", bulk_csv_message(g))]
        assert "URDB's bulk CSV export" in probs[0].message and "--column" not in probs[0].message
    load = tmp_path / "load.csv"  # a load CSV stays one
    load.write_text("timestamp,load_kw\n2023-01-01T01:00-05:00,1\n")
    assert detect_kind(load) == "load"


def test_a_csv_that_is_no_bulk_export_gets_no_bulk_hint(tmp_path):
    f = tmp_path / "load.csv"
    f.write_text("timestamp,load_kw\n2023-01-01T01:00-05:00,1\n")
    with pytest.raises(InputError) as exc:
        Tariff.from_urdb(f)
    assert "not valid JSON" in str(exc.value) and "bulk CSV export" not in str(exc.value)
    from dcplan.tariff_urdb import bulk_csv_message
    assert bulk_csv_message(f) == ""  # dcplan validate checks it as the load it is
    j = tmp_path / "flat.json"  # flattened keys in a JSON item: parse_item's own error, not "a CSV export"
    j.write_text(json.dumps({"label": "abc", "energyratestructure/period0/tier0rate": 0.1}))
    assert bulk_csv_message(j) == ""


# A newcomer's tariff.file naming a file of the wrong kind (the site's TMY2 weather file, a site YAML, a CSV) got
# only the JSON parser's "not valid JSON: Extra data: line 1 column 8 (char 7)" / "Expecting value: line 1
# column 1 (char 0)": neither what the file is nor what a tariff file must be.
_ALLOWED = ('allowed: a URDB-format JSON tariff, one rate item or {"items": [...]} as the OpenEI URDB API serves it '
            '(data/tariffs/README.md; the bundled data/tariffs/*.json)')


@pytest.mark.parametrize("wrong,says", [
    ("weather/12839.tm2", "it is a weather file (TMY2 by its first line), which belongs in a site's weather.file; "),
    ("sites/chicago-il.yaml", "it is YAML (a site or portfolio file?), not a tariff; "),
    ("tariffs/rtp-example-prices-synthetic.csv", ""),  # a CSV of prices: no kind named, what is allowed said
])
def test_a_tariff_file_of_the_wrong_kind_says_what_it_is_and_what_is_allowed(tmp_path, capsys, wrong, says):
    from conftest import DATA, bundled_site_copy
    from dcplan.cli import main
    from dcplan.pipeline_inputs import site_tariff
    from dcplan.site import load_site
    wrong_path = str(DATA / wrong)
    site = bundled_site_copy(tmp_path, "research-triangle-nc", "miami-fl", tariff={"file": wrong_path})
    # dcplan validate (and render's check before any run): the site file, the field, the value (the file named)
    # and, after the parser's words, what the file is and what is allowed, ending the line
    assert main(["validate", "-q", str(site)]) == 2
    err = capsys.readouterr().err
    line = next(ln for ln in err.splitlines() if "tariff.file" in ln)
    assert line.startswith(f"{site}: tariff.file: {wrong_path}: not valid JSON: "), line
    assert line.endswith("; " + says + _ALLOWED), line
    for call in (lambda: site_tariff(load_site(site)),  # the site's tariff as a run reads it
                 lambda: Tariff.from_urdb(wrong_path)):  # dcplan bill --tariff
        with pytest.raises(InputError) as exc:
            call()
        assert str(exc.value).startswith(f"{wrong_path}: not valid JSON: ")
        assert str(exc.value).endswith("; " + says + _ALLOWED), str(exc.value)
