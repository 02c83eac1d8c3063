"""Build notebooks/offpeak_scheduling.ipynb (run from the repo root: python tools/build_offpeak_scheduling.py)."""
import sys
from pathlib import Path

import nbformat
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # the repo root: tools.* (run as a script)
from tools.nbtools import guard_cells  # noqa: E402
from tools.offpeak_year_cells import (DRAWS_CODE, DRAWS_MD, ENERGY_CODE, ENERGY_MD, SITE_BILL_CODE,  # noqa: E402
                                      SITE_BILL_MD, YEAR_CODE, YEAR_MD)

cells = []
md = lambda s: cells.append(new_markdown_cell(s.strip()))  # noqa: E731
code = lambda s, **m: cells.append(new_code_cell(s.strip(), metadata=m))  # noqa: E731

md("""
# Off-peak scheduling of flexible AI work

How much of the electricity bill moves when training and batch jobs shift to cheap, cool hours?
`dcplan.schedule` places a **SYNTHETIC** job mix (a few large training runs, many batch jobs,
some non-preemptible) on a 15-min grid under the site's interconnection cap and installed IT power, the cooling plant's
hourly IT headroom and a must-run inference load, beside the site's own on-site PV, minimising
the tariff's energy and demand charges on the grid import (HiGHS MILP). Every strategy is billed by `dcplan.tariff`, so savings are bills: the
optimized schedule against **run-as-soon-as-possible** and a greedy **cheapest-hours-first**
heuristic (baselines of the same jobs), and over the annual rolling horizon the site's own modelled bill.

A saving compares the same work. Both baselines are list schedulers (one job at a time), so under
a tight cap a job placed early can take the hours a later one needed; they then schedule again
with the jobs left out moved to the front ("squeaky wheel" repair), which places every job in
the bundled examples. A baseline that still leaves jobs unplaced bills less work: its saving is
published as empty (NaN), with the reason, never as a number.

**Utilisation.** The must-run share (`1 - flex_share_frac` of the design IT power) runs at full
power all week; the job mix fills `utilisation_frac` of the flexible share. By default (-1) that
fill is the site's: `(fleet.utilisation_frac - (1 - flex_share_frac)) / flex_share_frac`, so the
fleet's accelerator-hours in use are the site's `fleet.utilisation_frac`, the share `site_analysis`
and the TCO count (with the defaults, a site at 0.8 fills 0.6 of its flexible share). A
`utilisation_frac` in (0, 1] is that fill itself, **not** the fleet's utilisation: the fleet then runs at
`1 - flex_share_frac + flex_share_frac x utilisation_frac` (0.75 for 0.5 at the default share), the
site's only where the two agree; otherwise every figure of the schedules says it is NOT the site's
fleet. A site at or below the must-run share has no flexible work at the defaults (render lists it as
n/a): `flex_share_frac` above `1 - fleet.utilisation_frac` schedules the site's own fleet.

**Idle power.** A flexible accelerator with no job is still switched on and draws its idle power:
the flexible capacity draws `idle_frac x` its full power all the time, in every strategy, where
`idle_frac` is the fleet's IT power at utilisation 0 over full load from the site's hardware
(`data/hardware.csv` `idle_kw` and `max_kw`, with the racks' switches and storage: the figures the
fleet model uses), and a job adds only the rest of its power, `(1 - idle_frac) x` (its run time
unchanged). So moving a job moves only that part of its power off the peak, and the schedules' IT
energy is the fleet model's at the same utilisation on a linear power curve.

**Thermal headroom.** The cooling plant's hourly IT headroom is a hard limit on the jobs: no strategy puts
flexible work above it. Only must-run load the plant cannot cool in an hour is throttled, priced at the site fleet's
own value of the work lost, its price per GPU-hour sold as the TCO takes it over its servers' kW per accelerator
(`data/costs.csv` and `data/hardware.csv`, `dcplan.schedule_throttle`; printed below). That excess is the same in
every strategy, so the penalty moves no schedule and no saving here; throttled away, it draws no power, so no bill,
demand peak, energy, CO2 or water figure includes it (each is of the IT drawn). An API call with
`headroom_mode="soft"` trades work above the headroom against the bill, and bills that work as it runs.

**What is billed.** Each strategy's bill is of the *scheduled* load's grid import: site kW = PUE x
(must-run IT the plant can cool + the flexible capacity's idle power + the synthetic jobs above it), with the PUE of
the cooling plant at full design IT, less the site's on-site PV hour by hour (the site chain's PV,
behind the meter, as `site_analysis` models it), never below zero: PV the load does not use is
spilled, with no export credit. Energy, demand charges and 4CP are of that import, so the optimizer
sees both the PV a schedule would spill and where the import peaks; the cap, the thermal headroom
and any ramp limit stay on the site load (the PV is not firm). A tariff's coincident-peak charges
are billed at the site's `tariff.coincident_peaks` that fall in the weeks billed: a month's
coincident demand is the mean at its system peaks there, a month with none there bills none, and
the optimizer does not price them (the bills do). A demand ratchet sees no peaks before the first
week billed (0 kW: the bills take no prior peaks). The site's battery is **not** in these bills (the scheduler does not
dispatch one), and the IT is the synthetic mix, not the fleet model's hourly IT, so these bills are not the site's bill
that `site_analysis` publishes; the last section sets the site's bill beside the run-ASAP one and says why they
differ. **Energy, emissions and water:** the year's section gives each strategy's facility and grid energy, PUE,
grid CO2 and cooling water. The grid's carbon intensity is one flat annual figure (no hourly or marginal signal), so
a shifted job's grid CO2 changes only with the grid energy it takes: the hour's PUE (the
plant's at full design IT, lower in cool hours) and the PV it no longer spills. An hourly or marginal intensity, which
dcplan does not model, could move it either way.

**The mix's size:** 200 jobs a week (4 training runs; 20 jobs cannot be paused) on a large flexible share. Every job
takes at least one whole accelerator (at the site fleet's kW each), so on a small one (a few servers) 200 jobs would
fill far more of it than asked, and every saving would be of a busier fleet than the site's: there `n_jobs` -1 (the
default) takes fewer jobs, the most whose mix still fills within 5 % of the share asked (`dcplan.schedule_mix`;
printed below and published as `synthetic_mix_n_jobs`).
""")
code('''
site: str = "research-triangle-nc"  # site id in the portfolio
portfolio: str = "default"  # portfolio YAML, or "default" for the bundled example
week_start: str = ""  # first day of the week shown (local date YYYY-MM-DD); "": Monday on/after 14 July
flex_share_frac: float = 0.5  # share of the design IT power that runs flexible jobs (rest: must-run inference)
utilisation_frac: float = -1.0  # share of the flexible capacity the job mix fills (not the fleet's utilisation); -1: the site's (see below)
n_jobs: int = -1  # jobs per week in the synthetic mix; -1: 200, fewer where a small flexible share cannot hold 200 at the fill asked
n_nonpreemptible: int = -1  # of which cannot be paused; -1: a tenth of the jobs (20 of 200)
seed: int = 0  # job generator seed
seed_draws: int = 1  # draws of the rolling year's synthetic mix: 1 the one (seed); more: the savings' range over them (each a whole rolling year)
rolling_weeks: int = 52  # weeks scheduled by rolling horizon for the annual figure (hourly grid)
jobs_file: str = ""  # your own jobs (CSV or YAML, data/jobs_example.md) for the week instead of the synthetic mix; "": synthetic
time_limit_s: float = 60.0  # HiGHS time limit per solve [s] (the week, each sensitivity case, each rolling window)
''', tags=["parameters"])
# the parameters checked as dcplan render checks them (papermill and JupyterLab runs too)
code('from dcplan.notebook_params import check_parameters; check_parameters(globals(), "offpeak_scheduling")')
code('''
import dataclasses
import functools

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from matplotlib.colors import to_rgba
from matplotlib.lines import Line2D
from matplotlib.patches import Patch

from dcplan import (offpeak_params, plotting, schedule, schedule_demand, schedule_draws, schedule_energy,
                    schedule_greedy_gap, schedule_idle, schedule_labels, schedule_mix, schedule_setup, schedule_site,
                    schedule_solve, site_carbon)
from dcplan.errors import InputError
from dcplan.notebook_params import (check_parameters_unchanged, parameter_file, parameter_values,
                                    warn_site_outside_render)
from dcplan.results import publish
from dcplan.schedule_rolling import start_rolling_horizon
from dcplan.schedule_window import local_week
from dcplan.site import load_portfolio

plotting.use_style()
spec = load_portfolio(portfolio)[site]
warn_site_outside_render(spec)  # the site's warnings, as render adds them to the report (not under render)
# the checks across parameters and the site (dcplan.offpeak_params; render runs them before any run): the job
# mix's fill of the flexible share (utilisation_frac -1: the site's fleet.utilisation_frac), n_jobs against the
# training runs and n_nonpreemptible, week_start within the weather year
setup = offpeak_params.check(globals(), spec)
# the parameters this set-up (the flexible share, the job mix's fill) is computed with: the year's cell refuses a
# change since (week_start and jobs_file: the week's; rolling_weeks, time_limit_s and seed_draws: the year's own)
setup_params = parameter_values(globals(), "offpeak_scheduling",
                                exclude=("week_start", "jobs_file", "rolling_weeks", "time_limit_s", "seed_draws"))
util_frac, util_source, util_note = setup.util_frac, setup.util_source, setup.util_note
# a label of a figure of the scheduled fleet says where that fleet is not the site's; figure(): the number or "n/a: why"
of_fleet = functools.partial(schedule_labels.of_fleet, fleet_note=setup.fleet_note)
figure = functools.partial(schedule_labels.figure, fleet_note=setup.fleet_note)
if setup.fleet_note:
    u_site = float(spec.fleet.utilisation_frac)
    print(f"Every schedule below is {setup.fleet_note}: their bills, savings and IT are not the site's. "
          + (f"utilisation_frac -1 with flex_share_frac above {1.0 - u_site:g} schedules the site's fleet."
             if u_site > 0 else ""))
# the site's scheduling inputs (dcplan.schedule_setup.site_schedule_inputs; an API user makes the same call):
# its tariff (and a coincident-peak tariff's system peaks, which each bill takes in the weeks it bills; the MILP
# does not price them), the site chain's own year (site_analysis's: IT, plant, PV, battery and bill, on the civil
# clock), the design IT split into must-run and the flexible share, the flexible capacity's idle draw
# (data/hardware.csv, the fleet model's figures: a job adds only its power above idle), the plant's hourly IT
# headroom and PUE (the site's electrical chain), the on-site PV (every strategy buys the grid import after it,
# never below zero) and two limits, each named where it binds: the grid cap (the interconnection at full
# build-out) and the installed IT power (must-run and flexible IT never exceed the design IT)
si = schedule_setup.site_schedule_inputs(spec, flex_share_frac=flex_share_frac)
tariff, peaks, site_year = si.tariff, si.coincident_peaks, si.site_year
w = site_year.weather
design_it_kw, must_run_it_kw, flex_kw = si.design_it_kw, si.must_run_it_kw, si.flex_kw
idle_frac, idle_kw, base_it_kw = si.idle_frac, si.idle_kw, si.base_it_kw
headroom_it_kw, pue, pv_kw, grid_cap_kw, cap_kw = si.headroom_it_kw, si.pue, si.pv_kw, si.grid_cap_kw, si.site_cap_kw
tz = w.index.tz
# the week shown: local midnight on week_start to local midnight 7 days on (167 or 169 h across a clock change;
# a day without a midnight, a clock change at 00:00, starts at its first instant), on a 15-min grid
week = local_week(setup.week_start, tz, step="15min")
print(f"{spec.name}: design IT {design_it_kw:,.0f} kW (flexible {flex_kw:,.0f} kW = {si.flex_accelerators:,.0f} "
      f"accelerators at the fleet's {si.kw_per_accelerator:.4g} kW each, its design IT over its accelerators; the "
      f"{'rolling year' + chr(39) + 's ' if jobs_file else ''}synthetic mix asked to fill {util_frac:.3g} of it, "
      f"{util_source}{'; the week: the jobs of ' + jobs_file if jobs_file else ''}; with no job it idles at {idle_kw:,.0f} kW, "
      f"the fleet's idle share {idle_frac:.4g} of full load, data/hardware.csv; a job adds {1.0 - idle_frac:.4g} of "
      f"its full power), grid cap {'none' if grid_cap_kw is None else f'{grid_cap_kw:,.0f} kW'}, site cap "
      f"{cap_kw.min():,.0f}-{cap_kw.max():,.0f} kW, on-site PV up to {pv_kw.max():,.0f} kW AC, tariff {tariff.name} "
      f"on the {tz} clock")
# the throttling penalty of must-run IT above the headroom: the fleet's price per GPU-hour sold over its servers'
# kW per accelerator (dcplan.schedule_throttle; in si.kw, so every solve below takes it)
print(f"Throttling penalty: {si.throttle_usd_per_kwh:.3g} USD/kWh of IT = {si.throttle_source}")
kw = si.kw
# the synthetic mix's size (n_jobs -1: 200 jobs a week, fewer where jobs of at least one whole accelerator each would
# overfill a small flexible share; dcplan.schedule_mix): the rolling year's weekly mixes and the week's take it
mix = schedule_mix.mix_size(n_jobs, n_nonpreemptible, flex_kw=flex_kw, utilisation_frac=util_frac,
                            kw_per_accelerator=si.kw_per_accelerator)
print(f"Synthetic job mix{' of the rolling year (the week shown: jobs_file)' if jobs_file else ''}: {mix.text}.")
publish({"synthetic_mix_n_jobs": (mix.n_jobs, None, "Jobs a week in the rolling year's synthetic mixes"
                                  f"{'' if jobs_file else ' and the week shown'}: {mix.text}")})
''')
code('''
check_parameters_unchanged(globals(), set_up=setup_params, outcome="nothing was computed")  # run from the top
# The year by rolling horizon (last section) takes longest: start it now, in the background
# (HiGHS releases the GIL), while the week below is analysed. Its own SYNTHETIC mix, hourly (with jobs_file too:
# a job file is scheduled in the week only, and the year's labels say so).
y0 = w.index[0] - pd.Timedelta("1h")
ydx = w.index[: rolling_weeks * 7 * 24]
# draw 0 of the synthetic mix (week k from seed + 1000 + k, dcplan.schedule_draws); yjobs: what each job adds above
# the idle draw (seed_draws > 1: more draws are scheduled in the last section, for the range of the savings)
yjobs_kw = dict(n_jobs=mix.n_jobs, n_nonpreemptible=mix.n_nonpreemptible, flex_kw=flex_kw,
                utilisation_frac=util_frac, idle_frac=idle_frac, kw_per_accelerator=si.kw_per_accelerator)
yjobs_full, yjobs = schedule_draws.year_jobs(y0, rolling_weeks, ydx, seed=seed, draw=0, **yjobs_kw)
# a window HiGHS stops at time_limit_s keeps its schedule, not proven within the gap asked: warned of (and published)
year = start_rolling_horizon(yjobs, ydx, commit="7D", lookahead="2D", time_limit_s=time_limit_s,
                             solve_name="the rolling year", **kw)
# the other draws (seed_draws > 1) run after it, in the last section, with the same rolling horizon
year_rolling_kw = dict(commit="7D", lookahead="2D", time_limit_s=time_limit_s, **kw)
# the parameters the year is computed with (week_start shapes only the week): the year's cells take their labels
# from them and refuse to run after a change in the parameters cell (a re-run of one cell would mix two cases)
year_params = parameter_values(globals(), "offpeak_scheduling", exclude=("week_start",))
''')
md("## One week at 15-min resolution")
code('''
idx = week.index  # interval-ending, every 15 min of the week's local days
# the week's jobs: those of jobs_file within the week (found as dcplan render finds it: the working folder, then
# data/; accelerators at the site fleet's kW per accelerator, naive times on the site's clock), or a synthetic mix
# (into jobs_path: the parameter keeps its value, which the year's cells check is unchanged since they started)
jobs_path = str(parameter_file(jobs_file, "jobs_file")) if jobs_file.strip() else ""
jobs_full, jobs_note = schedule_setup.week_jobs(si, jobs_path, week, n_jobs=mix.n_jobs,
                                                n_nonpreemptible=mix.n_nonpreemptible, utilisation_frac=util_frac,
                                                seed=seed)
of_jobs = f" (of {jobs_note})" if jobs_file else ""  # the week's labels name a job file's jobs
jobs = si.scheduled(jobs_full)  # scheduled: each job's power and energy above idle
week_text = week.text
week_why = "week_start empty: the Monday on or after 14 July" if not week_start else f"week_start {week_start}"
# the fill the jobs achieve (a synthetic mix: whole accelerators, at least one per job, schedule.generate_jobs, so a
# small utilisation_frac gives a larger mix than asked)
fill_achieved = float(jobs_full["energy_kwh"].sum()) / (flex_kw * week.hours)
print(f"Week shown: {week_text} ({week_why}), {tz}. Jobs: {jobs_note}, {len(jobs)} jobs, "
      f"{jobs_full['energy_kwh'].sum() / 1000:,.1f} MWh at full power ({jobs['energy_kwh'].sum() / 1000:,.1f} MWh "
      f"above the idle draw), filling {fill_achieved:.4g} of the flexible {flex_kw:,.0f} kW over the week"
      + ("" if jobs_file else f" (asked {util_frac:.4g})"))
try:
    # a solve HiGHS stops at time_limit_s keeps its schedule, not proven within the gap asked: a DcplanWarning says so
    res = schedule.optimize(jobs, idx, time_limit_s=time_limit_s, solve_name="the week shown", **kw)
except schedule.ScheduleInfeasible as e:  # the parameters ask for more work than the week's capacity holds
    if jobs_file:
        raise InputError(f"the jobs of {jobs_path} do not fit this site's week ({e})", file=jobs_path,
                         field="jobs_file") from None
    fix = schedule_labels.mix_misfit_fix(fill_achieved, util_frac, util_note, flex_share_frac, mix,
                                         si.flex_accelerators)
    raise InputError(f"the synthetic job mix does not fit this site's week ({e}); {fix}",
                     field="utilisation_frac") from None
print(f"HiGHS: {res.solve['message']}; {res.solve['solve_s']:.2f} s, MIP gap {res.solve['mip_gap']:.2e} "
      f"(asked {res.solve['mip_rel_gap']:g}), {res.solve['n_vars']:,} variables, "
      f"{res.solve['n_binaries']:,} binaries; kept: {res.solve['source']}")
# the parameters the week is computed with (rolling_weeks and seed_draws shape only the year): the week's cells below
# refuse to run after a change in the parameters cell (run the notebook from the top)
week_params = parameter_values(globals(), "offpeak_scheduling", exclude=("rolling_weeks", "seed_draws"))
''')
code('''
top = res.jobs.sort_values("energy_kwh", ascending=False).head(25).index
fig, ax = plt.subplots(figsize=(10, 6))
starts = idx - pd.Timedelta("15min")
# contiguous runs of each job and the mean share of its full power over each run
runs = {}
for name in top[::-1]:
    kwj = res.schedule[name].to_numpy()
    edges = np.flatnonzero(np.diff(np.r_[0, (kwj > 1e-6).astype(int), 0]))
    runs[name] = [(a, b, min(1.0, kwj[a:b].mean() / res.jobs.at[name, "power_kw"]))
                  for a, b in zip(edges[::2], edges[1::2])]
# the shade tells runs apart only where some run is well below full power (in Phoenix's bundled week every run of
# these jobs is at 93 % or more: a shade nobody can read); else every run is drawn solid and the legend says how full
least = min((f for r in runs.values() for *_, f in r), default=1.0)
shaded = least < 0.9


def shade(f):  # the run's share of full power as opacity: solid at full power, 15 % opaque at none
    return to_rgba(plotting.COLORS["it"], 0.15 + 0.85 * f if shaded else 1.0)


for i, (name, r) in enumerate(runs.items()):
    ax.broken_barh([(starts[a], idx[b - 1] - starts[a]) for a, b, _ in r], (i - 0.4, 0.8),
                   facecolors=[shade(f) for *_, f in r], edgecolors=[shade(f) for *_, f in r])
    j = res.jobs.loc[name]
    ax.plot([j.earliest_start, j.deadline], [i, i], color=plotting.COLORS["baseline"], lw=0.8, zorder=0)
ax.set_yticks(range(len(top)), list(top[::-1]), fontsize=7)
ax.set_xlabel(f"local clock time ({tz}, with DST where observed) [date]")
ax.set_ylabel("job (25 largest by energy) [-]")
keys = ([Patch(color=shade(f), label=f"run at {f:.0%} of full power (mean)") for f in (1.0, 0.5, 0.1)] if shaded
        else [Patch(color=shade(1.0), label=f"run (each at {least:.0%} of full power or more)")])
plotting.legend_outside(ax, handles=keys + [Line2D([], [], color=plotting.COLORS["baseline"], lw=0.8,
                                                  label="release-deadline window")], fontsize=8)
ax.set_title(f"{spec.name}: optimized schedule of the week, runs within release-deadline windows"
             + ("\\n(shade = the run's mean share of its job's full power)" if shaded else ""))
fig.autofmt_xdate()
plt.show()
''')
code('''
ld = res.load
fig, (ax, axg) = plt.subplots(2, 1, figsize=(10, 7), sharex=True, height_ratios=[3, 2])
site_per_it = ld["site_kw"] / ld["it_kw"]  # the PUE of each interval
ax.stackplot(ld.index, site_per_it * must_run_it_kw, site_per_it * idle_kw, site_per_it * ld["flex_it_kw"],
             labels=["must-run inference (site kW)", "flexible capacity idle, with or without jobs (site kW)",
                     "flexible jobs above idle (site kW)"],
             colors=[plotting.COLORS["baseline"], plotting.COLORS["cooling"], plotting.COLORS["it"]], alpha=0.8)
ax.plot(ld.index, ld["site_kw_asap"], color=plotting.STRATEGY_COLORS["asap"], lw=0.8, label="run-ASAP (site kW)")
ax.plot(ld.index, ld["cap_kw"], color=plotting.COLORS["limit"], lw=1.2, ls="--", label="site cap")
ax.set_ylabel("site power [kW]")
ax2 = ax.twinx()
ax2.plot(ld.index, ld["price_usd_per_kwh"], color=plotting.COLORS["price"], lw=0.8, label="energy price")
ax2.set_ylabel("energy price [$/kWh]")
ax.set_title(f"{spec.name}: site load stack vs cap and price (optimized), with the run-ASAP baseline")
h1, l1 = ax.get_legend_handles_labels()
h2, l2 = ax2.get_legend_handles_labels()
ax.legend(h1 + h2, l1 + l2, loc="lower left", fontsize=8)
# what is billed: the site load less the on-site PV, never below zero
# PV: the yellow fill with a dark gold edge (the yellow alone hardly shows on white); each strategy in its colour
axg.fill_between(ld.index, 0.0, ld["pv_kw"], facecolor=to_rgba(plotting.COLORS["solar"], 0.7),
                 edgecolor=plotting.COLORS["solar_line"], lw=0.8, label="on-site PV (kW AC)")
axg.plot(ld.index, ld["grid_import_kw"], color=plotting.STRATEGY_COLORS["optimized"], lw=1.2,
         label="grid import, optimized")
axg.plot(ld.index, ld["grid_import_kw_asap"], color=plotting.STRATEGY_COLORS["asap"], lw=0.8,
         label="grid import, run-ASAP")
axg.set_ylabel("power [kW]")
axg.set_xlabel(f"local clock time ({tz}, with DST where observed) [date]")
axg.set_title("Grid import (site kW less on-site PV, never below 0): what each strategy is billed for")
axg.legend(loc="lower left", fontsize=8)
fig.autofmt_xdate()
plt.show()
''')
md("""
### Cost by component

`energy_usd`, `demand_usd`: the model's components; `bill_*`: `Tariff.bill` of each strategy's
grid import, the site load less the on-site PV and never below zero. The week's demand charges
and a monthly fixed (customer) charge are the whole month's, for each billing month the week touches:
a peak set this week is billed for the month, and such a fixed charge is a charge per month (a \\$/day
fixed charge is billed for the week's days). So the
week's bill is not 7 days' share of a monthly bill; the fixed charge is the same for every
strategy and drops out of the savings, which are published with their energy and demand-charge
parts. `billed_demand_kw`: the demand the tariff bills, the grid import in the hours its demand
charge measures (a TOU demand charge: its on-peak hours only), where one figure says it: under a
tariff with several demand charges (an all-hours charge and an on-peak one, each at its own rate)
it is empty, and the second table gives each charge's billed demand and what the optimized
schedule saves on it. `peak_grid_kw`: the highest grid import over all hours, `peak_site_kw` the
highest site load before PV, neither necessarily billed. `over_headroom_it_kwh`: IT energy above
the plant's capacity (throttling risk).
""")
code('''
cols = ["bill_energy_usd", "bill_demand_usd", "bill_fixed_usd", "bill_total_usd", "billed_demand_kw", "peak_site_kw",
        "peak_grid_kw", "over_headroom_it_kwh", "jobs_not_placed"]
table = res.costs[cols].astype(float).round(0)
display(table)
sv = res.savings  # like for like: NaN where a baseline left jobs unplaced (res.not_comparable says why)
why = res.not_comparable
for k, reason in why.items():
    print(f"{k}: not comparable, not published as a number: {reason}")
# each priced demand charge of the tariff, each on the grid import in its own hours: the demand each bill charges
# and what the optimized schedule saves on it (dcplan.schedule_demand; the savings sum to the demand part)
dem = res.demand_by_charge
display(dem.set_index("text")[["asap_kw", "optimized_kw", "reduction_kw", "asap_usd", "optimized_usd",
                               "saving_usd"]].astype(float).round(1))
# the site's own load over the same hours (site chain: the fleet model's IT, idle power included, and its plant,
# after the same PV, no battery): run-ASAP starts each job at full power from its earliest start and can peak
# above what the site's load bills; that part of the demand saving cuts the baseline's burst (dcplan.schedule_demand).
# The site chain is hourly (its 1-h peak understates its 15-min one); the schedules are billed at 15 min, so the
# site's load is taken at 15 min too: the fleet model's IT at 15 min, each hour's plant and PV of the site chain
# (dcplan.schedule_site.site_pv_kw_on). site_after_pv_kw: the hourly one, the rolling year's reference (hourly too)
site_after_pv_kw = (site_year.facility_kw - site_year.pv_kw).clip(lower=0.0)
site_week_kw = schedule_site.site_pv_kw_on(site_year, idx)
week_above_usd, week_above_text, _ = schedule_demand.saving_above_site(
    res.bills, site_week_kw, tariff, idx[0] - pd.Timedelta("15min"), idx[-1], float(sv["vs_asap_demand_usd"]),
    "vs_asap_demand_usd" not in why, peaks)
# greedy is blind to demand charges and can peak above the site's own load too: its bill against the site's own
# over the week, and the part of the demand saving vs greedy that only cuts greedy's burst above the site's billed
# demand (dcplan.schedule_demand.saving_above_reference, as for run-ASAP), in the saving's label
site_week_bill = tariff.bill(site_week_kw, coincident_peaks=schedule_demand.peaks_in(peaks, idx), stamps="end")
greedy_ok = "vs_greedy_usd" not in why
greedy_table = schedule_demand.saving_above_reference(res.bills["greedy"], res.bills["optimized"], site_week_bill)
week_greedy_above_usd = float(greedy_table["above_ref_usd"].sum()) if greedy_ok else np.nan
week_greedy_dem_usd = float(res.costs.at["greedy", "bill_demand_usd"] - res.costs.at["optimized", "bill_demand_usd"])
week_greedy_burst = schedule_labels.greedy_burst_text(
    week_greedy_above_usd, week_greedy_dem_usd,
    float(res.costs.at["greedy", "bill_total_usd"] - site_week_bill.total_usd) if greedy_ok else np.nan,
    key="week_demand_saving_vs_greedy_above_site_usd", span="the same hours", step=", at 15 min",
    kws=schedule_demand.highest_kw_text(greedy_table, dict(dem["text"]), base_name="greedy"))
# a bill of the week charges the demand and the fixed charge of each month it touches for the whole month (and a
# coincident-peak charge at the system peaks in the week only)
# (a $/day fixed charge is billed for the week's days only, as for any part month: dcplan.tariff, Fixed charges)
per_day_usd = float(getattr(tariff, "fixed_usd_per_day", 0.0) or 0.0)
monthly_fixed = float(res.costs["bill_fixed_usd"].max()) > 0 and float(getattr(tariff, "fixed_usd_per_month", 0.0)) > 0
months, whole, month_note = schedule_labels.week_bill_note(res.bills["optimized"].months, len(dem) > 0, monthly_fixed)
if per_day_usd > 0:
    month_note += f"; its fixed charge ({per_day_usd:g} $/day) for the week's days only"
month_note += schedule_labels.coincident_note(peaks, schedule_demand.peaks_in(peaks, idx))
# one billed demand only where one demand charge on the site's own peak is priced (costs.billed_demand_kw)
red_text, red_why = schedule_labels.reduction_label(dem, why)
top = schedule_labels.top_charge_note(dem)  # the charge with the largest saving, named where there are several
print(f"Week {week_text}: the bills are {month_note}. Demand charges (grid import after PV, each in its own hours): "
      + ("; ".join(f"{c.text}: run-ASAP {c.asap_kw:,.1f} kW, optimized {c.optimized_kw:,.1f} kW" for c in
                   dem.itertuples()) or "none")
      + f". Site peak (all hours, before PV): run-ASAP {res.costs.at['asap', 'peak_site_kw']:,.1f} kW, optimized "
      f"{res.costs.at['optimized', 'peak_site_kw']:,.1f} kW. The site's own modelled load after PV peaks at "
      f"{site_week_kw.max():,.1f} kW at 15 min ({site_after_pv_kw.loc[idx[0]:idx[-1]].max():,.1f} kW "
      "as the site chain's hourly means)")
# the bills' demand-window caveat (Bill.notes, dcplan.tariff_window_note), once for the three strategies' bills:
# their demand charges, and the demand savings between them, are of the same step's means ("" when none applies)
week_window = schedule_labels.window_caveat(res.bills)
# run-ASAP's burst in numbers (how near the site cap it comes), in the label of the saving against it, and what
# that saving is: an upper bound, its demand part called largely run-ASAP's burst only where more than half of it is
week_burst = schedule_labels.burst_text(res.load["site_kw_asap"], res.load["cap_kw"], res.load["site_kw"])
week_bound = schedule_labels.asap_bound_text(week_above_usd, float(sv["vs_asap_demand_usd"]))
if week_window:
    print(f"The week's bills (run-ASAP, greedy, optimized; the savings between them too): {week_window}")
# under a flat energy price, or one that varies less than the plant's PUE, greedy has no cheap hours of the tariff to
# seek: the label of the saving vs greedy then leads with what it is made of (dcplan.schedule_greedy_gap)
week_gap_what, week_gap_detail = schedule_greedy_gap.greedy_gap_words(
    sv["vs_greedy_usd"],
    float(res.costs.at["greedy", "bill_energy_usd"] - res.costs.at["optimized", "bill_energy_usd"]),
    week_greedy_dem_usd if greedy_ok else np.nan,
    schedule_greedy_gap.flat_price_text(res.problem.energy_usd_per_kwh, res.problem.pue), schedule_labels.LARGELY_FRAC)
week_greedy_head = ("Week: billed saving vs cheapest-hours greedy" if not week_gap_detail else
                    f"Week: billed saving vs greedy{', ' + week_gap_what if week_gap_what else ''} ({week_gap_detail})")
publish(schedule_labels.on_superseded_rate({
    "week_start": (setup.week_start.isoformat(), None, f"First day of the week shown (local date; {week_text}; "
                   f"{week_why})"),
    "week_bill_optimized_usd": (float(res.costs.at["optimized", "bill_total_usd"]), "USD",
                                of_fleet(f"Week bill, optimized{of_jobs}: {month_note}")),
    "week_saving_vs_asap_usd": figure(sv["vs_asap_usd"], "USD", f"Week: billed saving vs run-ASAP{of_jobs}, "
                                      f"{week_bound} (run-ASAP: {schedule_labels.ASAP_RULE}; {week_burst}) "
                                      f"({month_note})" + week_above_text, "vs_asap_usd", why),
    "week_demand_saving_above_site_usd": figure(
        week_above_usd, "USD", "Week: part of the demand-charge saving vs run-ASAP that only cuts run-ASAP's peak "
        "above the billed demand of the site's own modelled load over the same hours (fleet model IT at 15 min, as "
        "the schedules are billed, with the site chain's plant and PV of each hour; no battery)", "vs_asap_demand_usd",
        why),
    "week_demand_saving_vs_greedy_above_site_usd": figure(
        week_greedy_above_usd, "USD", "Week: part of the demand-charge saving vs the cheapest-hours greedy baseline "
        f"({week_greedy_dem_usd:,.0f} USD) that only cuts greedy's peak above the billed demand of the site's own "
        "modelled load over the same hours (fleet model IT at 15 min, with the site chain's plant and PV of each "
        "hour; no battery): a saving over greedy's burst, not over the site's bill", "vs_greedy_usd", why),
    "week_site_bill_pv_no_battery_usd": (float(site_week_bill.total_usd), "USD", "Week: the site's own modelled bill "
                                         "over the same hours (fleet model IT at 15 min, with the site chain's plant "
                                         f"and PV of each hour; no battery; {month_note}), the reference of "
                                         "week_demand_saving_above_site_usd and its greedy counterpart"),
    "week_saving_energy_vs_asap_usd": figure(sv["vs_asap_energy_usd"], "USD", "Week: energy-charge part of the "
                                             "billed saving vs run-ASAP (the week's energy)", "vs_asap_energy_usd",
                                             why),
    "week_saving_demand_vs_asap_usd": figure(sv["vs_asap_demand_usd"], "USD", "Week: demand-charge part of the "
                                             f"billed saving vs run-ASAP (the whole month's demand charges of "
                                             f"{months}{top})", "vs_asap_demand_usd", why),
    "week_saving_vs_greedy_usd": figure(sv["vs_greedy_usd"], "USD", week_greedy_head +
                                        f"{of_jobs} (each job in its cheapest hours, blind to demand charges) "
                                        f"({month_note})" + week_greedy_burst, "vs_greedy_usd", why),
    "week_billed_demand_reduction_kw": figure(sv["billed_demand_reduction_kw"], "kW", red_text,
                                              "billed_demand_reduction_kw", red_why),
    "week_peak_reduction_kw": figure(sv["peak_reduction_kw"], "kW", "Week: site peak reduction vs run-ASAP (site "
                                     "load over all hours, before on-site PV; not what the tariff bills; negative: "
                                     "the optimized site peak is higher)", "peak_reduction_kw", why),
    "week_throttle_risk_avoided_it_kwh": figure(
        sv["throttle_risk_avoided_it_kwh"], "kWh", "Week: IT energy above thermal headroom avoided vs thermal-unaware "
        "ASAP", "throttle_risk_avoided_it_kwh", why),
    "week_solver_status": (schedule_solve.week_status_text(res.solve), None, "Week: HiGHS's solve of the optimized "
                           "schedule, optimal within the MIP gap asked or NOT proven (stopped at time_limit_s: a "
                           "warning says so)"),
    "week_mip_gap_frac": (float(res.solve["mip_gap"]), "frac", "Week: relative MIP gap HiGHS achieved for the "
                          f"optimized schedule (asked {res.solve['mip_rel_gap']:g}; not a share of the bill)"),
    "week_fill_achieved_frac": (fill_achieved, "frac", (
        f"Share of the flexible capacity {jobs_note} fills in the week (their energy / (flexible kW x the week's "
        f"{week.hours:g} h))" if jobs_file else "Share of the flexible capacity the week's job mix fills (its "
        f"energy / (flexible kW x the week's {week.hours:g} h); asked {util_frac:.4g}, whole-accelerator jobs)")),
}, tariff))
# each demand charge (key: all_hours, tou_<period>): the demand each bill charges and the saving on it; run-ASAP's
# figures and the saving only where run-ASAP placed every job (the same work)
for key, c in dem.iterrows():
    publish({f"week_billed_demand_{key}_asap_kw": figure(
                 c.asap_kw, "kW", f"Week: run-ASAP's billed demand under {c.text} (grid import after on-site PV "
                 "in its hours, as the bill measures it)", "vs_asap_demand_usd", why),
             f"week_billed_demand_{key}_optimized_kw": figure(
                 c.optimized_kw, "kW", f"Week: the optimized billed demand under {c.text} (grid import after "
                 "on-site PV in its hours, as the bill measures it)", "optimized", {}),
             f"week_demand_saving_{key}_usd": figure(
                 c.saving_usd, "USD", f"Week: saving vs run-ASAP under {c.text} (its whole-month charge of {months})",
                 "vs_asap_demand_usd", why)})
''')
md("""
## Sensitivity

**Flexibility**: each job's window is cut to its run time plus a fraction of its original slack
(0 = no flexibility: every job must run as soon as it is released). Shown as the optimized bill's
rise over the full-slack week: the same jobs, all placed, so every point compares the same work
(a list scheduler such as run-ASAP cannot always place a tight mix that the optimizer can).
**Price spread**: the tariff's energy rates are stretched around their mean (0 = flat price,
1 = the tariff, 2 = twice its peak/off-peak spread), demand charges unchanged, shown as the saving
vs run-ASAP. A point with no like-for-like figure (the mix does not fit, or run-ASAP leaves jobs
unplaced) is left out of the plot, and the cell prints why.
""")
code('''
no_saving = {}  # case -> why it has no saving (NaN): printed, and in the published label


def point(r, case, what):
    """The case's optimized bill or saving vs run-ASAP; NaN (printed, and why in no_saving) where it has none."""
    value, why_not = schedule_labels.sensitivity_point(r, what)
    if why_not:
        no_saving[case] = why_not
        print(f"{schedule_labels.case_text(case)}: no {what}: {why_not}")
    return value


def stretched(s):
    m = float(tariff.energy_price(idx).mean())
    return dataclasses.replace(tariff, energy_rate=np.maximum(m + s * (tariff.energy_rate - m), 0.0))


slack = [0.0, 0.1, 0.25, 0.5, 1.0]
spread = [0.0, 0.5, 1.0, 2.0]
# full slack at the tariff's own spread is the week solved above; the other points are
# new weeks to optimize, solved side by side (HiGHS releases the GIL); a spread case (the week's model, other
# prices) starts from the week's optimum (schedule.optimize's start)
cases = {("slack", k): {"jobs": schedule.with_slack(jobs, k, step="15min")} for k in slack if k != 1.0}
cases.update({("spread", s): {"jobs": jobs, "tariff": stretched(s), "start": res} for s in spread if s != 1.0})
for case, c in cases.items():  # each named in the warning of a solve HiGHS stops at time_limit_s
    c["solve_name"] = f"sensitivity case {schedule_labels.case_text(case)}"
solved = dict(zip(cases, schedule.optimize_each(list(cases.values()), idx, time_limit_s=time_limit_s, **kw)))
cases_status, cases_gap = schedule_solve.cases_status_text(solved, schedule_labels.case_text)
print(f"HiGHS, the sensitivity cases: {cases_status}")
b_slack = np.array([point(res if k == 1.0 else solved["slack", k], ("slack", k), "bill") for k in slack])
extra_slack = b_slack - b_slack[-1]  # bill rise over full flexibility (slack 1.0), same work
s_spread = [point(res if s == 1.0 else solved["spread", s], ("spread", s), "saving") for s in spread]
fig, axs = plt.subplots(1, 2, figsize=(10, 3.8))
# both panels are the optimized schedule's bill: its strategy colour (not COLORS["price"]: a saving, not a price)
axs[0].plot(slack, extra_slack / 1e3, "o-", color=plotting.STRATEGY_COLORS["optimized"])
axs[0].set_xlabel("deadline slack kept [fraction of original]")
# a week's bill charges each month it touches its whole demand (and fixed) charge: the axes say so
bill_axis = f"week's bill incl. the month's {whole} charge{'s' if ' and ' in whole else ''}" if whole else "week's bill"
axs[0].set_ylabel(f"optimized bill's rise over full slack [k$]\\n({bill_axis})", fontsize="small")
axs[0].set_title("Cost of lost flexibility")
axs[1].plot(spread, np.array(s_spread) / 1e3, "o-", color=plotting.STRATEGY_COLORS["optimized"])
axs[1].set_xlabel("peak/off-peak spread [x tariff]")
axs[1].set_ylabel(f"billed saving vs run-ASAP [k$]\\n({bill_axis})", fontsize="small")
axs[1].set_title("Savings vs price spread")
fig.suptitle(f"{spec.name}: the week's optimized bill against its flexibility and the price spread")
for a in axs:  # from zero: cut to the points' own range, a saving 2 % higher at twice the spread filled the chart
    plotting.include_zero(a)
plt.show()
# one energy price over the week (a flat tariff): every spread is that price, so twice it is the week's own case
one_price_spread = ("; the tariff has one energy price over the week: twice its spread is the same price, so this is "
                    "the week's own saving vs run-ASAP (week_saving_vs_asap_usd) solved again"
                    if schedule_greedy_gap.spread_frac(tariff.energy_price(idx)) == 0.0 else "")
# a case with no figure (infeasible, or not like for like) is published as "n/a: <why>", not as a number
publish({"extra_bill_quarter_slack_usd": figure(extra_slack[2], "USD", "Week: extra bill (rise) with a quarter of "
                                                f"the deadline slack, over full slack{of_jobs} (bills: {month_note})",
                                                ("slack", 0.25), no_saving),
         "saving_double_spread_usd": figure(s_spread[-1], "USD", "Week: billed saving vs run-ASAP at twice the price "
                                            f"spread{of_jobs} ({month_note})" + one_price_spread, ("spread", 2.0),
                                            no_saving),
         "sensitivity_solver_status": (cases_status, None, "Sensitivity: HiGHS's solves of the cases (the flexibility "
                                       "and price-spread points but the week itself), each optimal within the MIP gap "
                                       "asked or NOT proven (stopped at time_limit_s: a warning names it)"),
         "sensitivity_worst_mip_gap_frac": (cases_gap, "frac", "Sensitivity: the largest relative MIP gap HiGHS "
                                            "achieved among the cases (not a share of the bill)")})
''')
# the year by rolling horizon and the scheduled bill beside the site's (tools/offpeak_year_cells.py)
md(YEAR_MD)
code(YEAR_CODE)
md(ENERGY_MD)
code(ENERGY_CODE)
md(DRAWS_MD)
code(DRAWS_CODE)
md(SITE_BILL_MD)
code(SITE_BILL_CODE)
md("""
Caveats: the job mix is synthetic (with `jobs_file`, the week's jobs are the file's and the rolling year's
stay synthetic); the cap assumes every interconnection phase energized and
never lets IT exceed the installed (design) IT power, and the PV is not counted on to meet it;
the PV is the site chain's typical-year output, known to the scheduler in advance (a perfect
forecast); in the rolling year, the tail of each window (the work it defers, up to that work's last deadline) also
takes in the jobs released after the window's end and due by then, as one load: a window knows of jobs beyond its
2-day look-ahead before they are released, which flatters the year's optimized bill somewhat; the battery is left
out of the scheduled bills; the
headroom is the plant's capacity on the typical weather year at design IT. The ASAP baseline
meets the same hard limits (cap, headroom, curtailment) and places the jobs in deadline order, each at full power
from its earliest start in the first intervals the limits leave room, weighing neither price nor peak, so its demand
can lie above the site's own (its label gives its peak and how near the cap it comes): the saving against it is an
upper bound of what scheduling saves, and its label calls the demand part largely run-ASAP's burst above the site's
billed demand only where more than half of it is
(the gain over greedy, like for like, leads the headline, then the saving against the site's own bill, of
two load models).
The greedy baseline ranks hours by what a job adds to the energy bill there, blind to demand
charges: the tariff's price, and nothing for the part of the job the PV left over after the must-run
load (and the jobs placed before) still covers, so it too fills the free sunny hours first. Blind to demand
charges, it can peak above the site's own load: the savings against it say greedy's bill against the site's and the
part of their demand-charge part that only cuts greedy's burst above the site's billed demand. In the week, the site's
own load these compare with is taken at the schedules' 15 minutes (the fleet model's IT at 15 min, the site chain's
hourly plant and PV held over each hour), as its hourly means understate its 15-min peak. The
baselines' repair changes only the order in which they place jobs (each job still takes its
earliest or cheapest hours left); savings are only given where they place every job.
""")
# every cell after the set-up's checks the parameters its inputs were computed with (README: run from the top): the
# week's cells the week's, the year's cells (their own check first) the year's
guard_cells(cells, ("setup_params = parameter_values", "set_up=setup_params"),
            ("week_params = parameter_values", "week=week_params"))
nb = new_notebook(cells=cells, metadata={"kernelspec": {"name": "python3", "display_name": "Python 3",
                                                        "language": "python"},
                                         # a site without a tariff: section: render marks the run n/a
                                         # reads only its own site: editing another site's file keeps its runs
                                         "dcplan": {"peers": False, "requires": ["tariff"],
                                                    "precheck": "dcplan.offpeak_params:precheck", "parameters": {
                                             "flex_share_frac": {"min": 0, "min_exclusive": True, "max": 1},
                                             "utilisation_frac": {"min": 0, "min_exclusive": True, "max": 1,
                                                                  "also": [-1]},
                                             "n_jobs": {"min": 4, "also": [-1]},
                                             "n_nonpreemptible": {"min": 0, "also": [-1]},
                                             "seed": {"min": 0}, "seed_draws": {"min": 1, "max": 20}, "rolling_weeks": {"min": 1, "max": 52},
                                             "time_limit_s": {"min": 0, "min_exclusive": True},
                                             "week_start": {"format": "date", "also": [""]}}}})
for i, c in enumerate(nb.cells):  # stable ids: a rebuild changes only what changed
    c["id"] = str(i)
nbformat.write(nb, sys.argv[1] if len(sys.argv) > 1 else "notebooks/offpeak_scheduling.ipynb")  # from the repo root
