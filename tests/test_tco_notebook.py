"""TCO notebook through `dcplan render`: workbook numbers = results.json = the chain's bill."""
from __future__ import annotations

import json
import math

import pandas as pd
import pytest

from dcplan import pipeline, tco_export
from dcplan.errors import DcplanWarning
from dcplan.report import render
from dcplan.site import load_site
from dcplan.tariff_site import site_bill_kwargs


@pytest.mark.slow
def test_tco_render_exports_workbook_equal_to_results(tmp_path):
    s = render(sites=["chicago-il"], notebooks=["tco"], out=tmp_path, jobs=1, progress=False,
               parameters={"n_draws": 2000})
    assert s.ok, s.table()
    folder = tmp_path / "chicago-il" / "tco"
    doc = json.loads((folder / "results.json").read_text())
    res = doc["results"]
    xlsx = next(a["path"] for a in doc["artifacts"] if a["path"].endswith(".xlsx"))
    summary = pd.read_excel(folder / xlsx, sheet_name="Summary").set_index("key")["value"]
    shared = [k for k in summary.index if k in res and isinstance(res[k]["value"], (int, float))]
    assert len(shared) >= 8
    for k in shared:
        # openpyxl stores 16 significant digits; 1e-14 relative covers the last digit
        assert float(summary[k]) == pytest.approx(res[k]["value"], rel=1e-14), k
    # the electricity line in year 1 is the tariff bill of the chain's hourly grid load
    y = pipeline.run_site_year(load_site("chicago-il"))
    assert res["electricity_typical_year_usd"]["value"] == pytest.approx(y.bill.total_usd, rel=1e-12)
    # later years are billed with the PV aged (site default 0.5 %/yr): the Assumptions sheet has
    # the rate and the bill of each PV age the 10-year horizon bills: from the month placed in
    # service b to month 119, (119 - b) // 12 + 1 ages (b = 12: 9), the last one's bill listed
    a = pd.read_excel(folder / xlsx, sheet_name="Assumptions").set_index("key")["value"]
    assert a["pv_degradation_frac_per_year"] == 0.005
    n = (119 - int(a["placed_in_service_month"])) // 12 + 1
    assert sorted(k for k in a.index if k.startswith("electricity_pv_age") and "month" not in k) == \
        [f"electricity_pv_age{i:02d}_usd" for i in range(1, n + 1)]
    aged = pipeline.electricity_by_pv_age(y, 10).monthly_usd[n - 1]
    assert float(a[f"electricity_pv_age{n:02d}_usd"]) == pytest.approx(aged.sum(), rel=1e-12)
    assert float(a[f"electricity_pv_age{n:02d}_month07_usd"]) == pytest.approx(aged[6], rel=1e-12)
    assert aged.sum() > y.bill.total_usd
    # the export is linked from the index
    assert xlsx.split("/")[-1] in (tmp_path / "index.html").read_text()
    # a reader of the workbook alone sees the case, the report's caveats and the Monte Carlo
    # beside the NPV: the figures results.json has, equal, and its text in the notes
    assert {"delay_months", "live_fleet_frac", "mc_npv_p10_usd", "mc_npv_p50_usd", "mc_npv_p90_usd",
            "mc_prob_npv_negative_frac"} <= set(shared)
    notes = pd.read_excel(folder / xlsx, sheet_name="Summary").set_index("key")["note"]
    assert notes["scenario"].startswith(f"{res['scenario']['value']}: ")
    assert notes["site"] == "chicago-il (Chicago, IL)" == f"chicago-il ({doc['site_name']})"
    # the day the site file dates its plan (its as_of, read from the file here): in the workbook and results.json
    import yaml

    from conftest import DATA
    as_of = yaml.safe_load((DATA / "sites" / "chicago-il.yaml").read_text())["as_of"]
    assert notes["plan_as_of"] == res["caveat_plan_as_of"]["value"]
    assert notes["plan_as_of"].startswith(f"The site file dates its plan {as_of.isoformat()} (as_of): ")
    # Chicago's fleet is H200 (data/sites/chicago-il.yaml): no sourced price, the report's note
    assert "hgx-h200" in res["price_note"]["value"] and notes["price_note"] == res["price_note"]["value"]
    import yaml

    from conftest import DATA
    for ph in yaml.safe_load((DATA / "sites" / "chicago-il.yaml").read_text())["fleet"]["phases"]:
        assert f"{ph['hardware']} x {ph['count']:,}" in notes["fleet"]
    # the months are calendar months: month placed_in_service_month + 1 (1-based), the end of the build,
    # is the month of the fleet's first start in the site file (2026-04-01, a month start)
    phases = yaml.safe_load((DATA / "sites" / "chicago-il.yaml").read_text())["fleet"]["phases"]
    first = min(ph["start"] for ph in phases)
    cal = tco_export.read_workbook(folder / xlsx)["Monthly"]  # calendar_month: a date in the workbook, YYYY-MM here
    assert cal.loc[int(a["placed_in_service_month"]) + 1, "calendar_month"] == f"{first:%Y-%m}"
    # the NPV says the date it is valued at: the start of the workbook's first month (sites differ)
    assert f"valued at the project start, {cal.loc[1, 'calendar_month']})" in doc["results"]["npv_usd"]["label"]
    assert res["npv_valued_month"]["value"] == cal.loc[1, "calendar_month"]  # for the index's common date
    # the fleet's size, by which the index divides the NPVs (dcplan.index_npv): 512 HGX H200 servers of 8 GPUs each
    # (data/sites/chicago-il.yaml, data/hardware.csv), exact
    assert res["n_accelerators"]["value"] == 8 * sum(ph["count"] for ph in phases) == 4096
    assert res["design_it_kw"]["unit"] == "kW" and res["design_it_kw"]["value"] > 0
    assert "Monte Carlo median" in notes["npv_usd"]
    # an H200 fleet's servers are costed at the H100 price: the NPV headlines (the index shows their labels)
    # say the NPV rests on that stand-in (dcplan.tco_revenue.stand_in_caveat)
    stand_in = ("; rests on H100 stand-in figures: IT capex at the H100 server, back-end fabric and storage prices "
                "of 33,750, 6,000 and 2,000 USD per accelerator for hgx-h200 (caveat_price_note); so NPVs of fleets of different hardware are not comparable (they "
                "differ by power and counts, not by their own economics)")
    for k in ("npv_usd", "mc_npv_p50_usd"):
        assert res[k]["headline"] and res[k]["label"].endswith(stand_in), k
    assert "rests on H100 stand-in figures" in (tmp_path / "index.html").read_text()
    # the standing charges a partly built fleet pays in full: the bill of no load on the site's tariff
    t = pipeline.site_tariff(y.site)
    zero = t.bill(pd.Series(0.0, index=y.grid_kw.index), **site_bill_kwargs(y.site, t)).total_usd
    assert float(a["electricity_standing_year1_usd"]) == pytest.approx(zero, rel=1e-12)
    # the report says where the tornado's inputs come from: each one's status and source, as the
    # Assumptions sheet has them (the price per GPU-hour: data/costs.csv's row)
    page = (folder / "report.html").read_text()
    assert "Where the tornado's inputs come from" in page
    sheet = pd.read_excel(folder / xlsx, sheet_name="Assumptions").set_index("key")
    nb = json.loads((folder / "notebook.ipynb").read_text())
    table = next("".join(o["data"]["text/html"]) for c in nb["cells"] if "tornado_sources_table(" in "".join(c["source"])
                 for o in c.get("outputs", []) if "text/html" in o.get("data", {}))
    row = table[table.index("<th>revenue_usd_per_gpu_h</th>"):].split("</tr>")[0]
    assert f"<td>{sheet.loc['revenue_usd_per_gpu_h', 'status']}</td>" in row
    assert f"<td>{res['revenue_usd_per_gpu_h']['value']:,.6g}</td>" in row  # plain, not 4.916000e+00
    # the delay's base is the scenario's (0, the planned dates), its range the site's own distribution
    delay = table[table.index("<th>delay_months</th>"):].split("</tr>")[0]
    # ... as the tornado swings it, the range printed above the chart (no "10th-90th percentile" it is not)
    assert "range swung: 0-" in delay and "from the case's own 0 months to " in delay
    # Chicago's H200 fleet: its own AWS p5e price (5.408 USD/GPU-h, dcplan.tco_revenue), not the H100 row
    assert sheet.loc["revenue_usd_per_gpu_h", "source"].startswith("AWS EC2 Capacity Blocks pricing page (copy), "
                                                                    "US East: p5e.48xlarge, 8 x H200")
    assert res["revenue_usd_per_gpu_h"]["value"] == 5.408 and res["revenue_note"]["value"].startswith("none: ")
    # what dcplan's models computed is "derived", naming the model, not "input" from a caller
    for k in ("n_accelerators", "it_capacity_kw", "it_energy_kwh", "facility_energy_kwh", "wue_l_per_kwh"):
        assert sheet.loc[k, "status"] == "derived", (k, sheet.loc[k, "source"])
        assert "dcplan." in sheet.loc[k, "source"] and "caller:" not in sheet.loc[k, "source"], k
    import openpyxl
    ws = openpyxl.load_workbook(folder / xlsx)["Summary"]
    fmt = {row[0].value: row[2].number_format for row in ws.iter_rows(min_row=2)}
    assert fmt["npv_usd"] == "#,##0" and fmt["irr_frac"] == "0.0%" and fmt["mc_prob_npv_negative_frac"] == "0.0%"


@pytest.mark.slow
def test_the_median_delay_headline_names_the_command_of_the_workbook_that_ties_to_it(tmp_path):
    """A finance reviewer found the first headline (NPV at the site's median grid delay) with no cash flows in
    the workbook beside it (the base scenario's): the About sheet and the report now name the command whose
    workbook holds them, and that workbook's NPV and IRR are the headline's, exactly (the same inputs through
    the same arithmetic), its Monthly flows discounted as the About sheet says giving the NPV again."""
    import shlex

    from dcplan.cli import main
    s = render(sites=["phoenix-az"], notebooks=["tco"], out=tmp_path / "base", jobs=1, progress=False,
               parameters={"n_draws": 100})
    assert s.ok, s.table()
    folder = tmp_path / "base" / "phoenix-az" / "tco"
    doc = json.loads((folder / "results.json").read_text())
    xlsx = folder / next(a["path"] for a in doc["artifacts"] if a["path"].endswith(".xlsx"))
    about = pd.read_excel(xlsx, sheet_name="About").set_index("item")["text"]
    cmd = about["grid_delay_p50_workbook"].rsplit(": ", 1)[1].removesuffix(".")
    assert cmd == ("dcplan render --sites phoenix-az --notebooks tco -p scenario grid-delay-p50 "
                   "--out reports-grid-delay-p50")  # a folder of its own: this report's would be replaced
    assert about["grid_delay_p50_workbook"].startswith("The figures at the site's median grid delay")
    assert cmd in (folder / "report.html").read_text()  # printed beside the headline's note
    assert doc["results"]["npv_grid_delay_p50_usd"]["headline"]
    # the command, as a reader would type it (the Monte Carlo's draws aside: they do not move the NPV)
    out50 = tmp_path / "p50"
    assert main(shlex.split(cmd)[1:] + ["--out", str(out50), "-j", "1", "-q", "-p", "n_draws", "100"]) == 0
    folder50 = out50 / "phoenix-az" / "tco"
    doc50 = json.loads((folder50 / "results.json").read_text())
    xlsx50 = folder50 / next(a["path"] for a in doc50["artifacts"] if a["path"].endswith(".xlsx"))
    base = pd.read_excel(xlsx, sheet_name="Summary").set_index("key")["value"]
    p50 = pd.read_excel(xlsx50, sheet_name="Summary").set_index("key")["value"]
    assert float(p50["npv_usd"]) == float(base["npv_grid_delay_p50_usd"]) != float(base["npv_usd"])
    assert float(p50["irr_frac"]) == float(base["irr_grid_delay_p50_frac"])
    assert "grid_delay_p50_workbook" not in pd.read_excel(xlsx50, sheet_name="About")["item"].tolist()
    # its cash flows give the headline: sum of the Monthly net flows / (1 + r)^(m/12), end of month; a sum of
    # ~100 terms of 1e6-1e7 USD: 1e-9 relative
    monthly = pd.read_excel(xlsx50, sheet_name="Monthly").set_index("month")
    r = float(pd.read_excel(xlsx50, sheet_name="Assumptions").set_index("key").at["discount_rate_frac", "value"])
    npv = float((monthly["net_cash_flow_usd"] / (1.0 + r) ** (monthly.index.to_numpy() / 12.0)).sum())
    assert npv == pytest.approx(float(base["npv_grid_delay_p50_usd"]), rel=1e-9)


def _tco_code() -> str:
    import nbformat
    from pathlib import Path
    nb = nbformat.read(Path(__file__).resolve().parents[1] / "notebooks" / "tco.ipynb", as_version=4)
    return "\n".join(c.source for c in nb.cells if c.cell_type == "code")


def test_tco_notebook_labels_say_what_the_percentiles_are():
    """Published labels read "NPV, 10th percentile of the Monte Carlo (downside)", not the
    "NPV P10 (Monte Carlo)" shorthand that finance readers take as "exceeded with 90 %
    probability" (the opposite end; tco_export's About sheet states the convention)."""
    import re
    src = _tco_code()
    assert not re.search(r"\bP\d\d\b", src), re.findall(r".*\bP\d\d\b.*", src)
    assert "q.upper()" not in src
    assert "NPV, 10th percentile of the Monte Carlo (downside; every draw valued at the base case's project start)" in src
    assert "NPV, 90th percentile of the Monte Carlo (upside; every draw valued at the base case's project start)" in src
    # the Monte Carlo holds the scenario's own inputs and the discount rate at their base
    assert 'held = ["discount_rate_frac", *scenario_inputs(scenario)]' in src
    assert "default_distributions(inputs, exclude=held)" in src


def test_tco_notebook_exports_the_case_and_the_caveats_it_states():
    """The export cell passes what a reader of the workbook alone needs: site, fleet (from the
    site spec), scenario and grid delay, the caveats it prints (price note, inputs the Monte
    Carlo holds) and P(NPV < 0) as published."""
    src = _tco_code()
    cell = src[src.index("notes = {"):]  # the caveats are built before the export (published too)
    # site and scenario as the TCO was computed (tco_export.check_parameters_unchanged; tests/test_tco_export_stale.py)
    for arg in ("site=f\"{case['site']} ({spec.name})\"", "fleet=power.fleet_table(spec)", 'scenario=case["scenario"]',
                "delay_months=delay_months", '"price_note": price_note',
                '"montecarlo_held": mc_held_text',  # was held_note: it shadowed tco_horizon.held_note
                "notes=notes", 'mc_prob_npv_negative_frac=float((mc["npv_usd"] < 0).mean())'):
        assert arg in cell, arg
    # every input the Monte Carlo holds, utilization among them (dcplan.tco_mc_notes.held_inputs_note)
    assert "mc_held_text = held_inputs_note(inputs, dists, scenario, delay_months)" in src


def test_tco_notebook_is_the_one_build_tco_writes(tmp_path):
    """notebooks/tco.ipynb is generated: the committed file is tools/build_tco.py's output."""
    import subprocess
    import sys
    from pathlib import Path

    import nbformat
    root = Path(__file__).resolve().parents[1]
    subprocess.run([sys.executable, "tools/build_tco.py", str(tmp_path / "tco.ipynb")], cwd=root, check=True)
    built = nbformat.read(tmp_path / "tco.ipynb", as_version=4)
    committed = nbformat.read(root / "notebooks" / "tco.ipynb", as_version=4)
    assert [(c.cell_type, c.source) for c in built.cells] == [(c.cell_type, c.source) for c in committed.cells]


@pytest.mark.slow
def test_tco_notebook_does_not_delay_the_fleet_that_capacity_in_service_powers(tmp_path):
    """Chicago as an existing campus: 4 of its 10 MW in service since 2023 (the rest as
    planned, March 2026). Under the p90 grid delay the 4 MW power
    min(1, 4,000 kW / design facility kW) of the fleet from the end of the build; before,
    the whole fleet waited for the delay."""
    import yaml

    from conftest import DATA

    from dcplan import thermal_plant
    d = yaml.safe_load((DATA / "sites" / "chicago-il.yaml").read_text())
    d["weather"]["file"] = str(DATA / d["weather"]["file"])
    d["id"], d["name"] = "campus", "Chicago campus"
    d["weather"]["year"] = 2024  # a leap year: 8,784 h of weather
    d["interconnection"]["phases"] = [{"energized": "2023-01-01", "mw": 4, "in_service": True},
                                      {"energized": "2026-03-01", "mw": 6}]
    (tmp_path / "campus.yaml").write_text(yaml.safe_dump(d, sort_keys=False))
    pf = tmp_path / "pf.yaml"
    pf.write_text(f"name: t\nsites: [campus.yaml, {DATA / 'sites' / 'chicago-il.yaml'}]\n")
    s = render(portfolio=pf, notebooks=["tco"], out=tmp_path / "out", jobs=1, progress=False,
               parameters={"n_draws": 200, "scenario": "grid-delay-p90", "export_dir": ""})
    assert s.ok, s.table()
    res = {sid: json.loads((tmp_path / "out" / sid / "tco" / "results.json").read_text())["results"]
           for sid in ("campus", "chicago-il")}
    campus = load_site(tmp_path / "campus.yaml")
    import warnings
    with warnings.catch_warnings():  # the leap year is said once per process (the render's site checks may have)
        warnings.filterwarnings("ignore", message=".*leap year", category=DcplanWarning)
        y = pipeline.run_site_year(campus)
    design_kw = float(thermal_plant.plant_hourly(y.design_it_kw, y.weather, campus.cooling)["facility_kw"].max())
    assert res["campus"]["live_fleet_frac"]["value"] == pytest.approx(min(1.0, 4000.0 / design_kw), rel=1e-12)
    assert res["chicago-il"]["live_fleet_frac"]["value"] == 0.0
    # the same delay (counted from the first planned phase, March 2026 in both) ...
    delay = res["chicago-il"]["delay_months"]["value"]
    assert delay > 0 and res["campus"]["delay_months"]["value"] == delay
    # ... moves the whole of Chicago's operations, and none of the campus's live share. Chicago's 10 MW are
    # planned 2026-03-01, a month before its fleet (2026-04-01): that month of slack absorbs one month of
    # the delay (dcplan.tco_ramp), so its first GPUs run at build + delay - 1
    build = res["campus"]["operations_start_month"]["value"]
    assert res["chicago-il"]["operations_start_month"]["value"] == build + delay - 1
    # the leap year's energy is that of a 365-day year: tokens per joule of IT at the mean IT
    # draw of the 8,784 hours (it was 0.27 % low: 8,784 h of energy over 8,760 h)
    from dcplan import power
    tok_s = power.example_throughput(campus)[0] * y.n_accelerators * campus.fleet.utilisation_frac
    assert len(y.it_kw) == 8784
    assert res["campus"]["tokens_per_j_it"]["value"] == pytest.approx(tok_s / (y.it_kw.mean() * 1000.0), rel=1e-9)


@pytest.mark.slow
def test_tco_notebook_gpus_wait_for_the_interconnection_phases(tmp_path):
    """northern-virginia: fleet phase 2 installs 2028-01-01, its interconnection's second 12 MW is
    energized 2028-07-01. The first 12 MW power 12,000 kW / design facility kW of the fleet in whole
    72-GPU NVL72 racks (12,000 / (72 x 2.0076) = 83.02: 83 racks, 5,976 GPUs; 82 and 5,904 at 2.0087 with the
    rated chiller COP 6.1 before 2026-12), so the rest of phase 2 waits 6 months (Jan-Jun 2028):
    (9,216 - 5,976) x 6 = 19,440 GPU-months, the interconnection notebook's stranded_gpu_months_plan.
    The workbook's Summary holds the median-delay figures as numbers, equal to results.json; the
    index lists the Monte Carlo median and P(NPV < 0) as headlines."""
    from dcplan import thermal_plant
    s = render(sites=["northern-virginia"], notebooks=["tco"], out=tmp_path, jobs=1, progress=False,
               parameters={"n_draws": 200})
    assert s.ok, s.table()
    folder = tmp_path / "northern-virginia" / "tco"
    doc = json.loads((folder / "results.json").read_text())
    res = doc["results"]
    nv = load_site("northern-virginia")
    y = pipeline.run_site_year(nv)
    design_kw = float(thermal_plant.plant_hourly(y.design_it_kw, y.weather, nv.cooling)["facility_kw"].max())
    waiting = 9216 - 72 * math.floor(12_000.0 / design_kw * 9216 / 72)
    assert waiting == 3_240
    assert res["waiting_for_power_gpu_months"]["value"] == pytest.approx(6 * waiting, rel=1e-9)
    assert f"up to {waiting:,.0f} GPUs for 6 months (Jan 2028 to Jun 2028; powered from Jul 2028)" in \
        res["power_wait_note"]["value"]
    heads = {k for k, r in res.items() if r.get("headline")}
    assert {"npv_usd", "npv_grid_delay_p50_usd", "mc_npv_p50_usd", "mc_prob_npv_negative_frac"} <= heads
    xlsx = next(a["path"] for a in doc["artifacts"] if a["path"].endswith(".xlsx"))
    xs = pd.read_excel(folder / xlsx, sheet_name="Summary").set_index("key")
    csv = pd.read_csv(folder / xlsx.replace(".xlsx", "_summary.csv")).set_index("key")
    for k in ("npv_grid_delay_p50_usd", "irr_grid_delay_p50_frac", "grid_delay_p50_months", "revenue_usd_per_gpu_h"):
        assert csv.at[k, "value"] == res[k]["value"], k                          # shortest repr: exact
        assert float(xs.at[k, "value"]) == pytest.approx(res[k]["value"], rel=1e-15), k  # openpyxl %.16g
        assert xs.at[k, "unit"] == res[k]["unit"], k
    # dcplan.grid's 19.08 months by the month rule: energized 2028-08-04, power from Sep 2028, 20 months after
    # Jan 2027 (was 19.0: 19.08 rounded half up, which the ramp never ran)
    assert res["grid_delay_p50_months"]["value"] == 20.0
    assert xs.at["power_wait", "note"] == res["power_wait_note"]["value"]
    assert "delay_months (the site's own distribution" in xs.at["montecarlo_one_sided", "note"]


@pytest.mark.slow
def test_a_request_without_phases_waits_as_one_phase_at_the_filing_date(tmp_path):
    """dcplan.grid reads an interconnection without phases as one phase of requested_mw planned
    at the filing date. The TCO skipped its grid check for such a site (an empty phases tuple),
    so at the median delay it moved the whole fleet by the delay: NPV 0.03 M USD against 25.5 M
    for the same request written as that one phase. Both now give the same figures."""
    import yaml

    from conftest import DATA
    d = yaml.safe_load((DATA / "sites" / "phoenix-az.yaml").read_text())
    d["weather"]["file"] = str(DATA / d["weather"]["file"])
    d["tariff"]["file"] = str(DATA / d["tariff"]["file"])
    ic = d["interconnection"]
    one = {**d, "id": "one-phase", "interconnection": {**ic, "phases": [{"energized": str(ic["filed"]),
                                                                          "mw": ic["requested_mw"]}]}}
    none = {**d, "id": "no-phases", "interconnection": {k: v for k, v in ic.items() if k != "phases"}}
    for site in (one, none):
        (tmp_path / f"{site['id']}.yaml").write_text(yaml.safe_dump(site, sort_keys=False))
    pf = tmp_path / "pf.yaml"
    pf.write_text("name: t\nsites: [one-phase.yaml, no-phases.yaml]\n")
    s = render(portfolio=pf, notebooks=["tco"], out=tmp_path / "out", jobs=1, progress=False,
               parameters={"n_draws": 100, "export_dir": ""})
    assert s.ok, s.table()
    res = {sid: json.loads((tmp_path / "out" / sid / "tco" / "results.json").read_text())["results"]
           for sid in ("one-phase", "no-phases")}
    for key in ("npv_usd", "npv_grid_delay_p50_usd"):
        assert res["no-phases"][key]["value"] == pytest.approx(res["one-phase"][key]["value"], rel=1e-12), key
    assert not str(res["no-phases"]["power_wait_note"]["value"]).startswith("none: no interconnection phases")


@pytest.mark.slow
def test_the_reports_tables_print_plain_numbers(tmp_path):
    """The annual cash-flow table printed 205647354.0 (Northern Virginia) and, at 4x its fleet,
    7.695360e+08 beside 818089414.0 in one row: the report's tables now print plain numbers."""
    import re
    s = render(sites=["northern-virginia"], notebooks=["tco"], out=tmp_path, jobs=1, progress=False,
               parameters={"n_draws": 100, "export_dir": ""})
    assert s.ok, s.table()
    html = (tmp_path / "northern-virginia" / "tco" / "report.html").read_text()
    cells = re.findall(r"<td>([^<]*)</td>", html)
    assert cells and not [c for c in cells if re.fullmatch(r"-?\d[\d.]*e[+-]\d+|-?\d{5,}\.\d+", c.strip())]
    assert any(re.fullmatch(r"-?\d{1,3}(,\d{3})+", c.strip()) for c in cells)  # e.g. 205,647,354
