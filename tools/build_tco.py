"""Build notebooks/tco.ipynb (run from the repo root: python tools/build_tco.py notebooks/tco.ipynb)."""
import sys

import nbformat as nbf

md = nbf.v4.new_markdown_cell
code = nbf.v4.new_code_cell

cells = [
    md("# Total cost of ownership\n\n"
       "Capex, opex and cash flows of one site over its horizon, with NPV, IRR, payback and unit costs "
       "($/GPU-hour, $/MWh of IT, $/million tokens). The electricity line is the **tariff bill of the hourly "
       "facility load** (IT + losses + cooling − on-site PV, after the site's battery if it has one; billed by "
       "`dcplan.tariff`), escalated at its own "
       "rate. NPV, IRR, paybacks and unit costs discount the monthly cash flows at the end of each month "
       "(the annual table is their calendar-year sum). Cost defaults and their sources: `data/costs.csv`; "
       "conventions: `dcplan.tco`."),
    code('site: str = "research-triangle-nc"  # site id in the portfolio\n'
         'portfolio: str = "default"  # portfolio YAML, or "default" for the bundled example\n'
         'scenario: str = "base"  # dcplan.tco.SCENARIOS: base, high-escalation, grid-delay-p50, grid-delay-p90, low-price\n'
         'tariff_file: str = ""  # URDB JSON, absolute or relative to data/; empty: the site tariff section\n'
         'n_draws: int = 10000  # Monte Carlo draws\n'
         'export_dir: str = "outputs"  # folder for the xlsx and CSV finance export, empty for none, kept beside the report by dcplan render',
         metadata={"tags": ["parameters"]}),
    code("from pathlib import Path\n\n"
         "import matplotlib.pyplot as plt\n"
         "import pandas as pd\n\n"
         "from dcplan import grid, power, tco, tco_export\n"
         "from dcplan.errors import InputError\n"
         "from dcplan.plotting import COLORS, label, use_style\n"
         "from dcplan.pipeline import run_site_year\n"
         "from dcplan.results import publish\n"
         "from dcplan.site import load_portfolio, resolve_path\n"
         "from dcplan.tariff import Tariff\n"
         "from dcplan.tco_uncertainty import default_distributions, monte_carlo, percentiles, tornado\n"
         "\n"
         "use_style()\n"
         "spec = load_portfolio(portfolio)[site]\n"
         "sc = tco.scenario(scenario)"),
    md("## Load: hourly facility power and its tariff bill\n\n"
       "A full build-out year on the site's typical weather: every fleet phase deployed. The cash flows "
       "follow the fleet's phases (months between phase start dates); a grid delay (scenarios "
       "`grid-delay-p50`/`p90`, from `dcplan.grid`) shifts IT capex and revenue, not the building."),
    code("y = run_site_year(spec)  # weather -> power -> thermal -> solar -> grid -> tariff\n"
         "if tariff_file:\n"
         "    bill = Tariff.from_urdb(resolve_path(tariff_file)).bill(y.grid_kw.clip(lower=0.0))\n"
         "elif y.bill is not None:\n"
         "    bill = y.bill\n"
         "else:\n"
         "    raise InputError(\"no tariff: add a tariff: section to the site or pass tariff_file\",\n"
         "                     file=spec.source_file, field=\"tariff\")\n"
         "bill"),
    code("it_energy_kwh = float(power.energy_from_power(y.it_kw).sum())\n"
         "facility_energy_kwh = float(power.energy_from_power(y.facility_kw).sum())\n"
         "delay_months = 0.0\n"
         "if sc[\"delay_quantile\"] is not None and spec.interconnection is not None:\n"
         "    delay_months = float(grid.energization_delay_months(\n"
         "        spec.interconnection, quantiles=[sc[\"delay_quantile\"]]).iloc[0])\n"
         "delay_used = tco.whole_months(delay_months)  # the model runs on whole months (rounded half up)\n"
         "inputs = tco.inputs_from_site(\n"
         "    spec, n_accelerators=y.n_accelerators, it_capacity_kw=y.design_it_kw,\n"
         "    it_energy_kwh=it_energy_kwh, delay_months=delay_months, phases=tco.fleet_phases(spec.fleet),\n"
         "    wue_l_per_kwh=float(y.plant[\"water_l\"].sum()) / it_energy_kwh,  # the plant's own water use\n"
         "    **sc[\"costs\"])\n"
         "result = tco.run_tco(inputs, bill, facility_energy_kwh=facility_energy_kwh)\n"
         "s = result.summary\n"
         "publish({\n"
         "    \"npv_usd\": (s[\"npv_usd\"], \"USD\", f\"NPV after tax ({scenario}: grid delay {delay_used:.0f} months; \"\n"
         "                \"monthly discounting, end of month)\"),\n"
         "    \"usd_per_gpu_hour\": (s[\"usd_per_gpu_hour\"], \"USD/GPU-h\",\n"
         "                         f\"Levelized cost per GPU-hour at {s['utilization_frac']:.0%} utilization\"),\n"
         "    \"tco_pv_usd\": (s[\"tco_pv_usd\"], \"USD\", \"TCO, present value\"),\n"
         "}, headline=True)\n"
         "publish({k: (v, result.units[k], tco.SUMMARY_LABELS.get(k, k)) for k, v in s.items()\n"
         "         if k not in (\"npv_usd\", \"usd_per_gpu_hour\", \"tco_pv_usd\")})\n"
         "publish(\"irr_reason\", result.irr_reason, label=\"IRR note\")\n"
         "publish(\"scenario\", scenario, label=\"Scenario\")\n"
         "publish(\"delay_months\", delay_used, unit=\"months\", label=\"Grid energization delay used (whole months)\"\n"
         "        + (f\", rounded half up from dcplan.grid's {delay_months:.2f}\" if delay_used != delay_months else \"\"))\n"
         "price_note = tco.price_note(spec, inputs)  # IT prices not sourced for this fleet's hardware\n"
         "if price_note:\n"
         "    print(price_note)\n"
         "publish(\"price_note\", price_note or \"none: the IT prices are sourced for this fleet's hardware\",\n"
         "        label=\"IT price note\")"),
    md("## Where the money goes\n\nNominal cost over the horizon by line item (capex, opex, less the residual value "
       "at the end), and the share of each category next to the shares quoted in industry (trade press, "
       "unverified: power and cooling 25–40 %, hardware ~30 %)."),
    code("tot = result.annual.sum(axis=1)\n"
         "items = [k for k, (_, cat) in tco.LINES.items() if cat is not None and tot[k] != 0]\n"
         "steps = pd.concat([tot[items], pd.Series({\"residual_value_usd\": -tot[\"residual_value_usd\"]})]) / 1e6\n"
         "start = steps.cumsum() - steps\n"
         "fig, ax = plt.subplots(figsize=(8, 5))\n"
         "ax.barh(range(len(steps)), steps, left=start,\n"
         "        color=[COLORS[\"price\"] if v < 0 else COLORS[\"it\"] for v in steps])\n"
         "ax.barh(len(steps), steps.sum(), color=COLORS[\"facility\"])\n"
         "ax.set_yticks(range(len(steps) + 1), [k.removesuffix(\"_usd\") for k in steps.index] + [\"total cost (TCO)\"])\n"
         "ax.invert_yaxis()\n"
         "label(ax, f\"{spec.name}: cost waterfall over {inputs.horizon_years} years ({scenario})\",\n"
         "      \"cost, nominal [million USD]\", \"\")\n"
         "plt.show()"),
    code("sh = result.shares\n"
         "fig, ax = plt.subplots()\n"
         "ax.bar(sh.index, 100 * sh[\"share_frac\"], color=COLORS[\"it\"], label=\"this site\")\n"
         "for i, c in enumerate(sh.index):\n"
         "    if c in tco.INDUSTRY_SHARES:\n"
         "        lo, hi = tco.INDUSTRY_SHARES[c]\n"
         "        ax.plot([i - 0.4, i + 0.4], [100 * lo] * 2, color=COLORS[\"limit\"])\n"
         "        ax.plot([i - 0.4, i + 0.4], [100 * hi] * 2, color=COLORS[\"limit\"])\n"
         "ax.plot([], [], color=COLORS[\"limit\"], label=\"industry quotes (unverified)\")\n"
         "label(ax, \"Share of TCO by category\", \"category\", \"share of nominal cost [%]\", legend=True)\n"
         "plt.show()\n"
         "for c, (lo, hi) in tco.INDUSTRY_SHARES.items():\n"
         "    if c in sh.index:\n"
         "        x = float(sh.at[c, \"share_frac\"])\n"
         "        where = \"below\" if x < lo else \"above\" if x > hi else \"within\"\n"
         "        quote = f\"{lo:.0%}\" if lo == hi else f\"{lo:.0%}-{hi:.0%}\"\n"
         "        print(f\"{c}: {x:.1%} of nominal cost here, {where} the industry quote ({quote}, unverified)\")"),
    md("## Cash flows"),
    code("a = result.annual / 1e6\n"
         "fig, ax = plt.subplots()\n"
         "ax.bar(a.columns, a.loc[\"revenue_usd\"], color=COLORS[\"battery\"], label=\"revenue\")\n"
         "ax.bar(a.columns, -a.loc[\"total_capex_usd\"], color=COLORS[\"it\"], label=\"capex\")\n"
         "ax.bar(a.columns, -a.loc[\"total_opex_usd\"], bottom=-a.loc[\"total_capex_usd\"],\n"
         "       color=COLORS[\"cooling\"], label=\"opex\")\n"
         "ax.plot(a.columns, a.loc[\"net_cash_flow_usd\"].cumsum(), color=COLORS[\"facility\"], marker=\"o\",\n"
         "        label=\"cumulative net cash flow (after tax)\")\n"
         "label(ax, f\"Annual cash flows (operations from month {s['operations_start_month']:.0f})\",\n"
         "      \"year from project start\", \"cash flow [million USD]\", legend=True)\n"
         "plt.show()"),
    md("## Uncertainty\n\nTornado: each input at the low and high of its `data/costs.csv` range, the others at "
       "base (throughput's range scales with the fleet's own figure; an overridden input's range is widened to "
       "contain it). Monte Carlo: triangular distributions (low, base, high) over the same ranges, drawn "
       "independently with seed 0: each input from its own random stream, derived from the seed and the input's "
       "name, so adding or dropping an input leaves the other inputs' draws unchanged (`dcplan.tco_uncertainty`; "
       "the export's About sheet records the seed and the streams). "
       "Several ranges are skewed or one-sided (the yearly change of the GPU-hour price can only fall; "
       "electricity escalation runs up to 25 %/yr, far above its base), so the Monte Carlo median need not "
       "sit at the base case; the Monte Carlo cell lists the one-sided ranges (base at one end) and says on "
       "which side of the base case the median lands."),
    code("tr = tornado(inputs, bill, metric=\"npv_usd\")\n"
         "top = tr.head(12).iloc[::-1]\n"
         "fig, ax = plt.subplots(figsize=(8, 5))\n"
         "base = top[\"base_metric\"].iloc[0] / 1e6\n"
         "ax.barh(top[\"input\"], top[\"metric_at_low\"] / 1e6 - base, left=base, color=COLORS[\"it\"], label=\"input low\")\n"
         "ax.barh(top[\"input\"], top[\"metric_at_high\"] / 1e6 - base, left=base, color=COLORS[\"price\"], label=\"input high\")\n"
         "ax.axvline(base, color=COLORS[\"facility\"], lw=1)\n"
         "label(ax, \"Tornado: NPV sensitivity (one at a time)\", \"NPV [million USD]\", \"\", legend=True)\n"
         "plt.show()"),
    code("dists = default_distributions(inputs)\n"
         "mc = monte_carlo(inputs, bill, dists, n_draws=n_draws, seed=0)\n"
         "pct = percentiles(mc, [\"npv_usd\", \"tco_pv_usd\", \"usd_per_gpu_hour\", \"usd_per_million_tokens\"])\n"
         "fig, ax = plt.subplots()\n"
         "ax.hist(mc[\"npv_usd\"] / 1e6, bins=60, color=COLORS[\"it\"])\n"
         "for q in (\"p10\", \"p50\", \"p90\"):\n"
         "    ax.axvline(pct.loc[q, \"npv_usd\"] / 1e6, color=COLORS[\"limit\"], ls=\"--\")\n"
         "label(ax, f\"Monte Carlo NPV, {n_draws:,} draws (dashed: 10th, 50th and 90th percentiles)\",\n"
         "      \"NPV [million USD]\", \"draws [-]\")\n"
         "plt.show()\n"
         "# pXX = XX-th percentile of the draws (XX % at or below): for NPV p10 is the downside\n"
         "publish({f\"mc_npv_{q}_usd\": (float(pct.loc[q, \"npv_usd\"]), \"USD\", lab) for q, lab in (\n"
         "    (\"p10\", \"NPV, 10th percentile of the Monte Carlo (downside)\"),\n"
         "    (\"p90\", \"NPV, 90th percentile of the Monte Carlo (upside)\"))})\n"
         "# the median beside the headline: the cost ranges are skewed, so it can sit far from the base case\n"
         "publish(\"mc_npv_p50_usd\", float(pct.loc[\"p50\", \"npv_usd\"]), unit=\"USD\",\n"
         "        label=\"NPV, median (50th percentile) of the Monte Carlo\", headline=True)\n"
         "publish(\"mc_prob_npv_negative_frac\", float((mc[\"npv_usd\"] < 0).mean()), unit=\"frac\",\n"
         "        label=\"Probability NPV < 0\")\n"
         "one_sided = [k for k, (_, lo, b, hi) in dists.items() if b <= lo or b >= hi]\n"
         "print(f\"One-sided ranges (base at an end): {', '.join(one_sided) or 'none'}\")\n"
         "p50 = float(pct.loc[\"p50\", \"npv_usd\"])\n"
         "side = \"below\" if p50 < s[\"npv_usd\"] else \"above\" if p50 > s[\"npv_usd\"] else \"at\"\n"
         "print(f\"Monte Carlo median NPV {p50 / 1e6:,.1f} M USD: {side} the base case ({s['npv_usd'] / 1e6:,.1f} M USD)\")"),
    md("## Unit costs\n\nLevelized: present value of pre-tax cost (capex + opex − residual) over the present value "
       "of the output, both discounted month by month (end of month). Cloud H100 prices for comparison: AWS Capacity Blocks 4.92 $/GPU-h (to Jan 2025, primary); "
       "after the 2025 cuts about 2–7 $/GPU-h (unverified)."),
    code("unit = pd.DataFrame([\n"
         "    (\"usd_per_gpu_hour\", s[\"usd_per_gpu_hour\"], \"USD/GPU-h\"),\n"
         "    (\"usd_per_mwh_it\", s[\"usd_per_mwh_it\"], \"USD/MWh\"),\n"
         "    (\"usd_per_million_tokens\", s[\"usd_per_million_tokens\"], \"USD/M tokens\"),\n"
         "    (\"tokens_per_j_it\", s[\"tokens_per_j_it\"], \"tokens/J (tokens/s per W of IT)\"),\n"
         "    (\"tokens_per_j_facility\", s[\"tokens_per_j_facility\"], \"tokens/J (per W of facility)\"),\n"
         "    (\"electricity_usd_per_mwh_facility\", s[\"electricity_usd_per_mwh_facility\"], \"USD/MWh (year-1 bill)\"),\n"
         "], columns=[\"metric\", \"value\", \"unit\"]).set_index(\"metric\")\n"
         "# Monte Carlo percentiles of the draws; for a cost the 90th percentile is the downside\n"
         "unit.join(pct.T[[\"p10\", \"p50\", \"p90\"]].rename(columns={\n"
         "    \"p10\": \"MC 10th percentile\", \"p50\": \"MC median\", \"p90\": \"MC 90th percentile\"}), how=\"left\")"),
    md("## Finance export\n\nWith `export_dir` set, the workbook (`<site>_<scenario>_tco.xlsx`: assumptions, "
       "cash flows, monthly, summary, shares, sensitivity, Monte Carlo) and its CSV equivalents are written "
       "atomically; their numbers are the ones published above."),
    code("if export_dir:\n"
         "    out = Path(export_dir)\n"
         "    out.mkdir(parents=True, exist_ok=True)\n"
         "    stem = f\"{site}_{scenario}_tco\"\n"
         "    # one call: the workbook and the CSV set from the same frames (same title, same numbers)\n"
         "    tco_export.write_export(result, out, stem=stem, tornado=tr, mc_percentiles=pct,\n"
         "                            title=f\"{spec.name}, scenario {scenario}\")\n"
         "result.annual.loc[[\"total_capex_usd\", \"total_opex_usd\", \"revenue_usd\", \"income_tax_usd\",\n"
         "                   \"net_cash_flow_usd\"]].round(0)"),
]
nb = nbf.v4.new_notebook(cells=cells, metadata={
    "kernelspec": {"display_name": "Python 3", "language": "python", "name": "python3"},
    "language_info": {"name": "python"},
    # a site without a tariff: section is not applicable (render marks it n/a), unless tariff_file is given
    "dcplan": {"requires": [{"section": "tariff", "or_parameter": "tariff_file"}],
               # checked by render before any run (dcplan.report_plan.notebook_rules)
               "parameters": {"scenario": {"choices_from": "dcplan.tco:SCENARIOS"}, "n_draws": {"min": 1}}}})
for i, c in enumerate(nb.cells):  # stable ids: a rebuild changes only what changed
    c["id"] = f"c{i:02d}"
nbf.write(nb, sys.argv[1] if len(sys.argv) > 1 else "notebooks/tco.ipynb")
