"""The last two sections of notebooks/offpeak_scheduling.ipynb: the year by rolling horizon, and the
scheduled bill beside the site's bill (each a markdown cell and a code cell, as text).

Split from tools/build_offpeak_scheduling.py (the builder, which adds these cells in order after the
sensitivity section): the texts are the cells' sources exactly as the builder writes them (it strips
them), so the notebook it writes is unchanged.
"""

YEAR_MD = """
## The year by rolling horizon

Week windows (commit 7 days, look-ahead 2 days) on an hourly grid, a fresh SYNTHETIC mix each
week (with `jobs_file` too: a job file is scheduled in the week above only, and every figure of the year says
the year is of the synthetic mix); demand peaks already set in a month and earlier months' peaks (ratchets) are carried
between windows. Work a window leaves for later pays the energy price where it can land and the
demand peak it would set there (this month's, or next month's above the last complete month's
peak), so a window does not push work into next month's cheaper hours at the cost of a new peak.
Two approximations flatter the year's optimized bill somewhat: the PV is known in advance (a perfect
forecast), and that later part of a window (its tail, up to the last deadline of the work it defers)
also takes in, as one load, the jobs released after the window's end and due by then
(`dcplan.schedule_rolling`): a window knows of jobs beyond its 2-day look-ahead before they are released.
All three strategies are billed for the whole period by `Tariff.bill`, each on its grid import after
the site's PV.

**How to read the savings.** The headline leads with what the optimization adds over the
cheapest-hours greedy baseline, like for like: the same synthetic jobs on the same load model. Greedy ranks
hours by price x PUE: under a flat energy price (or one that varies less from hour to hour than the plant's
PUE) it has no cheap hours of the tariff to seek, and the gap is then mostly its demand peaks; there the
label leads with what the gap is made of, its demand- and energy-charge parts (`dcplan.schedule_greedy_gap`). The
saving against the site's own modelled bill over the same weeks follows (the last section sets the
two bills side by side); its two bills are of different load models (the site's: the fleet model's
IT, the plant at each hour's IT; the optimized: synthetic jobs, the plant at full design IT), so it
includes the models' difference, not only the schedule's. The saving against run-ASAP is an upper
bound of what scheduling saves: run-ASAP places the jobs in deadline order, each at full power from its
earliest start in the first intervals the site's limits leave room, weighing neither price nor peak (its
label gives run-ASAP's peak, how near the cap it comes, and the optimized schedule's peak). Its demand
part is the gap between the two billed demands at the demand rate; how much of it only cuts run-ASAP's
burst above the site's own billed demand is computed month by month
(`rolling_demand_saving_above_site_usd`, `_frac`), and the label calls the demand part largely burst only
where that is more than half of it. Its share of the bill is a share of run-ASAP's bill, which is above
the site's own (its label says by how much). Each window's
solve is shown with HiGHS's status and the MIP gap it achieved; a window that `time_limit_s` stopped before HiGHS proved its schedule
within the gap asked is warned of. As in the week above, a
billing month the weeks cover only in part (`rolling_weeks` below 52, or the last day of the year
that 52 whole weeks leave out) is billed its whole month's demand and monthly fixed charges (a \\$/day fixed
charge: the days scheduled) beside the energy
of the days scheduled, so the saving's share of the bill is then not an annual share; the cell names
such months.
"""


YEAR_CODE = '''
# refused when a parameter changed since the year was started (near the top): run the notebook from the top
check_parameters_unchanged(globals(), rolling_year=year_params, outcome="nothing was computed")
year_weeks = year_params["rolling_weeks"]  # the labels: of the weeks the year was computed for
roll = year.result()  # started after the set-up above (a window HiGHS did not prove within the gap: warned of here)
n_weeks = f"{year_weeks} week{'s' if year_weeks != 1 else ''}"
display(roll.costs.astype(float).round(0))
# the bills' demand-window caveat (Bill.notes, dcplan.tariff_window_note), once for the three strategies' bills on the
# hourly grid: their demand charges, and the demand savings between them, are of hourly means ("" when none applies)
year_window = schedule_labels.window_caveat(roll.bills)
if year_window and year_window != week_window:
    print(f"The bills over {n_weeks} (run-ASAP, greedy, optimized; the savings between them too): {year_window}")
elif year_window:
    print(f"The bills over {n_weeks} carry the week's demand-window caveat above (the same note).")
# each window's solve: HiGHS's status (0: optimal) and the MIP gap it achieved (asked: mip_rel_gap)
print(f"HiGHS, the rolling year's windows: {roll.solver_status}")
display(roll.windows[["start", "commit_end", "n_jobs", "status", "mip_gap", "proven", "unserved_kwh"]]
        .set_index("start"))
ysv = roll.savings  # like for like: NaN where a strategy left jobs unplaced (roll.not_comparable says why)
ywhy = roll.not_comparable
for k, reason in ywhy.items():
    print(f"{k}: not comparable, not published as a number: {reason}")
if roll.same_unplaced:  # every strategy left the same jobs out and did the same work: the savings are given
    print(roll.same_unplaced[0].upper() + roll.same_unplaced[1:] + ".")
# with a job file the week is of its jobs, the year stays synthetic: its labels say so
year_jobs = f"; the year's jobs are the synthetic mix, not {jobs_note} (scheduled in the week only)" if jobs_file else ""
year_jobs += f"; {roll.same_unplaced}" if roll.same_unplaced else ""
if not roll.shortfall.empty:  # work no window could do: the jobs do not fit, or earlier windows left too little room
    print(f"{len(roll.shortfall)} job(s) left short by the rolling horizon (the bill is of the work done):")
    display(roll.shortfall.round({c: 1 for c in roll.shortfall.select_dtypes("number").columns}))  # not the dates
monthly = pd.DataFrame({k: roll.bills[k].monthly["total_usd"] for k in roll.bills})
# each strategy by the prose's name (run-ASAP, greedy) and in its colour of the week's charts (dcplan.plotting)
ax = (monthly / 1e3).rename(columns=plotting.STRATEGY_NAMES).plot.bar(
    figsize=(10, 3.8), color=[plotting.STRATEGY_COLORS[k] for k in monthly.columns])
ax.set_ylabel("monthly bill [k$]")
ax.set_xlabel("billing month [-]")
ax.set_title(f"{spec.name}: monthly bills over {n_weeks}, optimized vs baselines")
plt.show()
# billing months the weeks cover only in part: billed their whole month's demand charge (local interval starts)
partial = schedule_labels.partial_months(ydx, "1h")
ywhole = "demand and fixed charges" if float(roll.costs["bill_fixed_usd"].max()) > 0 else "demand charge"
part = (f" ({', '.join(partial)} only partly scheduled, billed the whole month's {ywhole})" if partial else "")
if partial:
    print(f"{n_weeks} cover{'s' if year_weeks == 1 else ''} the billing month(s) {', '.join(partial)} only in part: "
          f"the bills charge their whole month's {ywhole} beside the energy of the days scheduled")
# the part of the demand saving that only cuts run-ASAP's burst above the site's own modelled billed demand, month by
# month over the same weeks (dcplan.schedule_demand.saving_above_site, as in the week's cost cell)
ydem_usd = float(roll.costs.at["asap", "bill_demand_usd"] - roll.costs.at["optimized", "bill_demand_usd"])
year_above_usd, year_above_text, year_above_short = schedule_demand.saving_above_site(
    roll.bills, site_after_pv_kw, tariff, ydx[0] - pd.Timedelta("1h"), ydx[-1], ydem_usd, "vs_asap_usd" not in ywhy,
    peaks)
if year_above_text:
    print(schedule_labels.burst_note(n_weeks, ysv["vs_asap_usd"], year_above_text))
# the optimized bill vs the site's own modelled bill over the same weeks too (dcplan.schedule_site; last section)
sw = schedule_site.same_weeks(roll, site_year, tariff, peaks)
site_usd_, site_frac_, site_label, site_frac_label, site_why = schedule_site.saving_vs_site(
    sw, roll, n_weeks, fleet_note=setup.fleet_note, has_battery=site_year.battery is not None, part=part)
# run-ASAP's bill against the site's own over the same weeks (after PV, no battery): said where a share of it is given
asap_over_site_usd = float(roll.costs.at["asap", "bill_total_usd"]
                           - sw.basis.at[schedule_site.SITE_PV_ROW, "bill_usd"])
# the demand part called largely run-ASAP's burst only where more than half of it is (schedule_labels.asap_bound_text)
asap_label, asap_frac_label = schedule_labels.rolling_asap_labels(n_weeks, idle_kw, year_above_text,
                                                                   year_above_short, part, jobs_note=year_jobs,
                                                                   asap_over_site_usd=asap_over_site_usd,
                                                                   burst=schedule_labels.burst_text(
                                                                       roll.load["site_kw_asap"], si.site_cap_kw,
                                                                       roll.load["site_kw_optimized"]),
                                                                   above_usd=year_above_usd, demand_saving_usd=ydem_usd)
# greedy is blind to demand charges and can peak above the site's own load too: its bill against the site's own, and
# the part of the demand saving vs greedy that only cuts greedy's burst above the site's billed demand, month by
# month (dcplan.schedule_demand.saving_above_reference, as for run-ASAP), in the headline's label
ydem_greedy_usd = float(roll.costs.at["greedy", "bill_demand_usd"] - roll.costs.at["optimized", "bill_demand_usd"])
greedy_above_usd = (float(schedule_demand.saving_above_reference(roll.bills["greedy"], roll.bills["optimized"],
                                                                 sw.site_pv_bill)["above_ref_usd"].sum())
                    if "vs_greedy_usd" not in ywhy else np.nan)
greedy_burst = schedule_labels.greedy_burst_text(
    greedy_above_usd, ydem_greedy_usd, float(roll.costs.at["greedy", "bill_total_usd"]
                                             - sw.basis.at[schedule_site.SITE_PV_ROW, "bill_usd"])
    if "vs_greedy_usd" not in ywhy else np.nan)
# the headline: first what the MILP adds over the cheapest-hours greedy baseline (like for like: the same jobs on the
# same load model), then the saving against the site's own bill, whose two bills are of different load models (said
# in their labels: the difference is the models' as well as the schedule's); the saving vs run-ASAP (an upper bound:
# run-ASAP weighs neither price nor peak) follows, not a headline
# the flexible share the savings scale with is a dcplan assumption (flex_share_frac, default 0.5): said in each
flex_note = schedule_labels.flex_share_note(year_params["flex_share_frac"])
site_label, site_frac_label = schedule_site.two_model_labels(f"{site_label} ({flex_note})",
                                                             f"{site_frac_label} ({flex_note})")
# under one energy price and no demand charge that saving is nearly all the load models' difference: said
one_price = schedule_labels.one_price_note(tariff, ydx)
site_label, site_frac_label = site_label + one_price, site_frac_label + one_price
# one draw of the synthetic mix: another draw gives another saving (seed_draws > 1: their range, last section)
draw_note = (f"one draw of the synthetic mix (seed {seed}): another draw gives another saving; seed_draws above 1 "
             "gives the range over that many draws" if year_params["seed_draws"] == 1 else
             f"draw 0 of {year_params['seed_draws']} of the synthetic mix (seed {seed}): their range is "
             "rolling_saving_vs_greedy_draws_range")
# under a flat energy price, or one that varies less than the plant's PUE, greedy has no cheap hours of the tariff to
# seek: the label then leads with what the gap is made of, its demand and energy parts (dcplan.schedule_greedy_gap)
ygap_what, ygap_detail = schedule_greedy_gap.greedy_gap_words(
    ysv["vs_greedy_usd"],
    float(roll.costs.at["greedy", "bill_energy_usd"] - roll.costs.at["optimized", "bill_energy_usd"]),
    ydem_greedy_usd, schedule_greedy_gap.flat_price_text(tariff.energy_price(ydx), si.pue.reindex(ydx)),
    schedule_labels.LARGELY_FRAC)
greedy_head = ("What the optimization adds over the cheapest-hours greedy baseline" if not ygap_detail else
               f"What the optimization adds over greedy{': ' + ygap_what if ygap_what else ''} "
               f"({ygap_detail})")
publish(schedule_labels.on_superseded_rate({
    "rolling_saving_vs_greedy_usd": figure(ysv["vs_greedy_usd"], "USD", f"{greedy_head}: billed saving vs greedy "
                                           f"over {n_weeks} (the same synthetic jobs, each in its cheapest hours, "
                                           "blind to demand "
                                           f"charges; rolling horizon{year_jobs}; {draw_note}; {flex_note})"
                                           + greedy_burst, "vs_greedy_usd", ywhy),
    "rolling_saving_vs_site_usd": figure(site_usd_, "USD", site_label, schedule_site.VS_SITE, site_why),
    "rolling_saving_vs_site_frac": figure(site_frac_, "frac", site_frac_label, schedule_site.VS_SITE,
                                          site_why),
}, tariff), headline=True)
publish(schedule_labels.on_superseded_rate({
    "rolling_saving_vs_asap_usd": figure(ysv["vs_asap_usd"], "USD", asap_label, "vs_asap_usd", ywhy),
    "rolling_saving_frac": figure(ysv["vs_asap_usd"] / roll.costs.at["asap", "bill_total_usd"], "frac",
                                  asap_frac_label, "vs_asap_usd", ywhy),
    "rolling_demand_saving_vs_greedy_above_site_usd": figure(
        greedy_above_usd, "USD", f"Part of the demand-charge saving vs the cheapest-hours greedy baseline over "
        f"{n_weeks} ({ydem_greedy_usd:,.0f} USD) that only cuts greedy's peak above the billed demand of the site's "
        "own modelled load over the same weeks (fleet model IT, after the same PV, no battery), month by month: a "
        "saving over greedy's burst, not over the site's bill", "vs_greedy_usd", ywhy),
    # the bills' demand-window caveat in results.json too (site_analysis publishes its bill_notes): the CSV and the
    # finance exports of the bills and savings above carry no printed note
    "rolling_bill_notes": (year_window or "none: the bills' demand charges are of the tariff's own demand window",
                           None, f"What the bills over {n_weeks} assumed of the tariff's demand window (run-ASAP, "
                           "greedy, optimized and the site's own bill, each of hourly means: the savings between "
                           "them rest on the same means; dcplan.tariff_window_note)"),
    "rolling_solver_status": (roll.solver_status, None, f"Rolling horizon over {n_weeks}: HiGHS's solves of the "
                              "windows, optimal within the MIP gap asked or NOT proven (stopped at time_limit_s: a "
                              "warning says so), and the largest gap achieved"),
    "rolling_worst_mip_gap_frac": (schedule_solve.worst_gap(roll.windows), "frac", f"Rolling horizon over {n_weeks}: "
                                   "the largest relative MIP gap HiGHS achieved among the windows (asked "
                                   f"{roll.solver['mip_rel_gap']:g}; not a share of the bill)"),
}, tariff))
# run times change from one run to the next: printed, not published (results.json stays the same for the same inputs)
print(f"Rolling-horizon run time (not published): {roll.wall_s:.1f} s")
# the monthly billed demands behind it (each charge on the site's own peak): run-ASAP, the site, the optimized
# schedule, and the cut above both, priced at run-ASAP's rate; summed, rolling_demand_saving_above_site_usd
year_by_month = schedule_demand.above_site_by_month(roll.bills, site_after_pv_kw, tariff, ydx[0] - pd.Timedelta("1h"),
                                                    ydx[-1], peaks)
if len(year_by_month) and "vs_asap_usd" not in ywhy:
    display(year_by_month.set_index(["charge", "month"]).astype(float).round(1))
months_why = ywhy.get("vs_asap_usd") or ("" if len(year_by_month) else "no demand charge on the site's own peak")
above_why = {**ywhy, **({} if ydem_usd > 0 else {"vs_asap_usd": f"no demand-charge saving ({ydem_usd:,.0f} USD)"})}
publish({"rolling_demand_saving_above_site_usd": figure(
    year_above_usd, "USD", f"Part of the demand-charge saving vs run-ASAP over {n_weeks} that only cuts run-ASAP's "
    "peak above the billed demand of the site's own modelled load over the same weeks (fleet model IT, after the "
    "same PV, no battery), month by month", "vs_asap_usd", ywhy),
    "rolling_demand_saving_above_site_frac": figure(
    year_above_usd / ydem_usd if ydem_usd > 0 else np.nan, "frac",
    f"rolling_demand_saving_above_site_usd as a share of the demand-charge saving vs run-ASAP over {n_weeks} "
    f"({ydem_usd:,.0f} USD; not a share of the bill)", "vs_asap_usd", above_why),
    "rolling_demand_above_site_by_month": (
    f"n/a: {months_why}" if months_why else schedule_labels.above_site_months_text(year_by_month), None,
    "Billed demand by billing month over the same weeks behind rolling_demand_saving_above_site_usd (each demand "
    "charge on the site's own peak: the month's peak grid import in the charge's hours, as billed): run-ASAP, the "
    "site's modelled load, the optimized schedule, and run-ASAP's cut above both at its rate of the charge")})
'''


SITE_BILL_MD = """
## The scheduled bill and the site's bill

The run-ASAP bill above is of the scheduled load, not of the site as `site_analysis` bills it
(`dcplan.pipeline`). Over the same weeks on the same tariff, the table puts them side by side,
each before and after the site's on-site PV:

* **run-ASAP schedule, no PV**: site kW = PUE x (must-run IT + the flexible capacity's idle power +
  synthetic jobs above idle), the PUE of the plant at full design IT;
* **run-ASAP schedule, PV (as billed above)**: its grid import after the site's PV, never below
  zero (PV it does not use is spilled, no export credit): the run-ASAP bill of the sections above;
* **site, no PV or battery**: the site chain's facility load (the fleet model's hourly IT at
  `fleet.utilisation_frac`, the plant at each hour's IT), before on-site PV and battery;
* **site, PV, no battery**: its import after the same PV, never below zero: the like-for-like
  match of the scheduled bill;
* **site as specified (its PV and battery, if any)**: the meter load whose whole-year bill `site_analysis`
  publishes (the row above again for a site without a battery).

The run-ASAP rows are of the run-ASAP load, its IT included. Where run-ASAP leaves jobs unplaced
(a fill near the site's limits), its load is less work than the jobs ask, so its bills and IT are not
the scheduled load's: they are then published as n/a with the reason, as the savings are.

Both IT loads draw idle power: in the schedules a flexible accelerator with no job draws the fleet's
idle power (`data/hardware.csv`, the figures the fleet model uses, with its racks' switches and
storage) and a job adds only its power above idle (`dcplan.schedule_idle`), so at the same
utilisation the two IT energies agree on the fleet model's linear power curve. What is left of the
gap, and the cell says how much of each: the fill the synthetic mixes achieve (whole accelerators;
jobs due after the last week left out), a fleet other than the site's (`utilisation_frac` given),
the site's `diversity_frac` (the schedules never exceed the design IT, the fleet model may), and
the fleet model's own hour-to-hour utilisation and power curve. The two also differ by the PUE
(the schedule's plant at full design IT, the site's at each hour's IT), and by the peak: run-ASAP
starts each job at full power from its earliest start, so in some months it peaks above the site's
modelled load, and the figures say what share of the demand saving only cuts that burst. The PV is the same in both; the
battery, which the scheduler does not dispatch, is in the site's bill alone.
"""


SITE_BILL_CODE = '''
check_parameters_unchanged(globals(), rolling_year=year_params, outcome="nothing was computed")  # as the year's cell
# the site's bills over the weeks the rolling horizon scheduled (sw, dcplan.schedule_site, above); the run-ASAP rows
# are of the run-ASAP load, its own IT included: where run-ASAP left jobs unplaced its figures are not published
basis, asap_short, hours = sw.basis, sw.asap_short, sw.hours
display(basis.round(0))
asap_row, site_row = schedule_site.ASAP_ROW, schedule_site.SITE_ROW
asap_usd = float(basis.at[schedule_site.ASAP_PV_ROW, "bill_usd"])
site_usd = float(basis.at[schedule_site.SITE_ROW_AS_SPECIFIED, "bill_usd"])
print(schedule_site.same_weeks_text(sw, roll, n_weeks, one_week=year_weeks == 1, fleet_note=setup.fleet_note,
                                    has_battery=site_year.battery is not None))
print(f"The site's whole-year bill (site_analysis): {float(site_year.bill.total_usd):,.0f} USD.")
# the scheduled IT against the site's, step by step (dcplan.schedule_idle.it_gap_mwh)
sched_it_mwh, site_it_mwh = float(basis.at[asap_row, "it_mwh"]), float(basis.at[site_row, "it_mwh"])
fill_year = float(yjobs_full["energy_kwh"].sum()) / (flex_kw * hours)
it_gap = schedule_idle.it_gap_mwh(sched_it_mwh, site_it_mwh, hours=hours, base_it_kw=base_it_kw, flex_kw=flex_kw,
                                  fill_frac=util_frac, idle_frac=idle_frac, design_it_kw=design_it_kw,
                                  site_utilisation_frac=float(spec.fleet.utilisation_frac),
                                  diversity_frac=float(spec.fleet.diversity_frac))
it_gap_text = schedule_labels.it_gap_text(sched_it_mwh, site_it_mwh, it_gap, fill_frac=fill_year,
                                          asked_frac=util_frac, idle_frac=idle_frac, curve=spec.fleet.curve,
                                          diversity_frac=spec.fleet.diversity_frac)
if not asap_short:
    print(it_gap_text[0].upper() + it_gap_text[1:] + ".")
# say only what the site has
site_has, without = schedule_labels.site_assets_text(float(site_year.pv_kw.max()) > 0.0, site_year.battery is not None)
publish(schedule_labels.on_superseded_rate({
    "rolling_asap_bill_usd": figure(asap_usd, "USD", f"Run-ASAP bill of the scheduled load over {n_weeks} "
                                    "(after on-site PV; no battery)", "asap", asap_short),
    "site_bill_same_weeks_usd": (site_usd, "USD", f"The site's bill over the same {n_weeks} (site chain, "
                                 f"as site_analysis: fleet model IT, {site_has})"),
}, tariff), headline=True)
publish(schedule_labels.on_superseded_rate({
    "rolling_asap_bill_no_pv_usd": figure(sw.asap_no_pv_usd, "USD", f"Run-ASAP bill of the scheduled load over "
                                          f"{n_weeks} without the on-site PV", "asap", asap_short),
    "site_bill_no_pv_same_weeks_usd": (float(basis.at[site_row, "bill_usd"]), "USD",
                                       f"The site's bill over the same {n_weeks} {without}"),
    "site_bill_pv_no_battery_same_weeks_usd": (
        float(basis.at["site, PV, no battery", "bill_usd"]), "USD",
        f"The site's bill over the same {n_weeks} with its on-site PV and no battery (the scheduled "
        "bill's basis)"),
    "scheduled_it_mwh": figure(float(basis.at[asap_row, "it_mwh"]), "MWh", f"IT energy of the run-ASAP schedule over "
                               f"{n_weeks}, the work its bill is of (must-run + the flexible capacity's idle power + "
                               "synthetic jobs above idle)", "asap", asap_short),
    "scheduled_it_vs_site_frac": figure(sched_it_mwh / site_it_mwh - 1.0, "frac", f"Over {n_weeks}: {it_gap_text}",
                                        "asap", asap_short),
    "idle_frac": (idle_frac, "frac", "The fleet's idle share: its IT power at utilisation 0 over full load "
                  "(data/hardware.csv idle_kw and max_kw, with the racks' add-on gear, as the fleet model): what the "
                  f"flexible capacity draws with no job, {idle_kw:,.0f} kW in every strategy"),
    "site_it_mwh_same_weeks": (float(basis.at[site_row, "it_mwh"]), "MWh",
                               f"The site's IT energy over the same {n_weeks} (fleet model)"),
    "site_pv_mwh_same_weeks": (sw.pv_mwh, "MWh", f"On-site PV energy over the same {n_weeks} (in the "
                               "scheduled bills and the site's)"),
    "rolling_pv_spilled_asap_mwh": figure(sw.spilled_mwh["asap"], "MWh", "On-site PV the run-ASAP schedule leaves "
                                          f"over in {n_weeks} (spilled, no export credit)", "asap", asap_short),
    "rolling_pv_spilled_optimized_mwh": (sw.spilled_mwh["optimized"], "MWh", of_fleet(
        f"On-site PV the optimized schedule leaves over in {n_weeks} (spilled, no export credit)")),
    # not the fleet's utilisation (interconnection's and the TCO's utilisation_frac): its own key
    # the fill as the site's figures give it: (0.6 - (1 - 0.5)) / 0.5 is 0.2, which the subtraction leaves as
    # 0.19999999999999996 (0.2 less an ulp); 12 significant digits drop that last-bit error from results.json
    "flex_fill_frac": (float(f"{util_frac:.12g}"), "frac", ("Share of the flexible capacity the rolling year's synthetic mix is "
                       "asked to fill (the notebook parameter utilisation_frac, not a fleet utilisation; "
                       f"{util_source}; "
                       f"the week's jobs are the file's, filling {fill_achieved:.4g}: week_fill_achieved_frac)")
                       if jobs_file else ("Share of the flexible capacity the job mix is asked to fill (the notebook "
                       f"parameter utilisation_frac, not a fleet utilisation; {util_source}; whole-accelerator "
                       f"jobs: the week's mix fills {fill_achieved:.4g}, week_fill_achieved_frac)")),
}, tariff))
'''

ENERGY_MD = """
## Energy, grid carbon and water of the schedules

Moving work to cool hours pays twice: in the bills above (cheaper hours), and in energy, since the plant rejects the
same heat with less of its own in cool hours (a lower PUE). The table gives each strategy's IT, facility and grid
energy over the rolling weeks, its energy-weighted PUE, the PV its load takes, its grid CO2 and its cooling water
(`dcplan.schedule_energy`). The PUE and the water are the plant's at full design IT in each hour, as in the bills; the
water is each hour's water per IT kWh times the strategy's IT in that hour (the plant's own water per IT kWh is higher
at part load, most in dry air: the water reads low there). The grid CO2 is the grid energy times the
site's one flat annual-average factor, so it changes only with the grid energy: an hourly or marginal intensity, which
dcplan does not model, could move it either way. The plant at full design IT runs its fans and pumps at design flow,
where the site's own year (site_analysis) runs them on their part-load curves at each hour's IT, so the schedules'
PUE, facility energy and bills read above the site's own year for the same IT: `site_annual_pue` gives the site's
annual PUE beside the schedules' and by how much.
"""

ENERGY_CODE = '''
check_parameters_unchanged(globals(), rolling_year=year_params, outcome="nothing was computed")  # as the year's cell
# each strategy's energy, grid CO2 and water from its hourly load (dcplan.schedule_energy): the same work (IT MWh) where
# the savings are like for like (ywhy: NaN with the reason where a strategy left jobs unplaced)
ci = spec.grid_carbon_kg_per_mwh
energy = schedule_energy.energy_table(roll.load, carbon_kg_per_mwh=ci, plant=si.plant, design_it_kw=design_it_kw)
display(energy.astype(float).round({"pue": 4, **{c: 1 for c in energy.columns if c != "pue"}}))
carbon_basis = site_carbon.carbon_basis_text(spec)
dry = not (energy["water_m3"] > 0).any()
figs = {}
for k, who in (("asap", "run-ASAP"), ("greedy", "the cheapest-hours greedy baseline")):
    if k not in energy.index:
        continue
    s = schedule_energy.savings(energy, k)
    key = f"vs_{k}_usd"  # the bills' like-for-like test: the same work done
    same = (f"the same IT work ({energy.at['optimized', 'it_mwh']:,.0f} MWh) at an energy-weighted PUE of "
            f"{energy.at['optimized', 'pue']:.4f} optimized vs {energy.at[k, 'pue']:.4f} ({who}; the plant at full "
            "design IT in each hour, as the bills)")
    figs[f"rolling_facility_saving_vs_{k}_mwh"] = figure(
        s["facility_mwh"], "MWh", f"Facility energy the optimized schedule saves vs {who} over {n_weeks} (negative: "
        f"uses more): {same}: the cooling plant's and the electrical chain's energy{year_jobs}", key, ywhy)
    figs[f"rolling_grid_saving_vs_{k}_mwh"] = figure(
        s["grid_mwh"], "MWh", f"Grid energy the optimized schedule saves vs {who} over {n_weeks} (negative: uses "
        "more), after on-site PV (the facility energy saved and the change in the PV its load takes)", key, ywhy)
    figs[f"rolling_grid_carbon_saving_vs_{k}_t"] = figure(
        s["grid_carbon_t"], "t", f"Grid CO2 the optimized schedule saves vs {who} over {n_weeks} (negative: emits "
        f"more): the grid energy saved at {carbon_basis}: it moves with the grid energy only", key,
        {**ywhy, **({} if ci is not None else {key: "the site file gives no grid_carbon_kg_per_mwh"})})
    figs[f"rolling_water_saving_vs_{k}_m3"] = figure(
        s["water_m3"], "m3", f"Cooling water (evaporation and blowdown) the optimized schedule saves vs {who} over "
        f"{n_weeks} (negative: uses more): each hour's water per IT kWh of the plant at full design IT x the hour's IT"
        + (" (the plant rejects its heat dry: no water)" if dry else " (the plant's own water per IT kWh is higher "
           "at part load, most in dry air, so this reads low there: dcplan.schedule_energy)"), key, ywhy)
for k in energy.index:
    figs[f"rolling_pue_{k}"] = figure(
        float(energy.at[k, "pue"]), None, f"Energy-weighted PUE of the {k} schedule over {n_weeks} (facility over IT "
        "energy; the plant at full design IT in each hour, as the bills)", "vs_asap_usd" if k == "asap" else
        ("vs_greedy_usd" if k == "greedy" else "optimized"), ywhy)
# the site's own annual PUE (site_year: dcplan.pipeline.run_site_year, as site_analysis), its plant at each hour's IT
site_pue = float(site_year.cooling["annual_pue"])
figs["site_annual_pue"] = (site_pue, None, schedule_energy.site_pue_label(energy, site_pue, n_weeks))
print(f"{figs['site_annual_pue'][2]}: {site_pue:.4f}.")
publish(figs)
'''

DRAWS_MD = """
## How much the year's saving depends on the synthetic draw

The year's jobs are one draw of a SYNTHETIC generator. Another draw at the same fill places other jobs at other
times, and the optimization's gain over the greedy baseline moves with it by tens of per cent. With `seed_draws`
above 1 the notebook schedules that many draws of the year (draw 0 is the year above; draw `d` generates week `k`
from seed `seed + 1000 + 100000 d + k`, `dcplan.schedule_draws`), each by the same rolling horizon, and gives the
range of the savings over them. Each draw is scheduled over the same weeks as the year above (`rolling_weeks`), so
the year's part of the run takes that many times as long.
"""

DRAWS_CODE = '''
check_parameters_unchanged(globals(), rolling_year=year_params, outcome="nothing was computed")  # as the year's cell
n_draws = year_params["seed_draws"]
# draws 1 .. n-1 of the year's synthetic mix, each by the same rolling horizon as draw 0 (the year above)
more = schedule_draws.other_draws(n_draws, y0, year_params["rolling_weeks"], ydx, seed=seed, jobs_kw=yjobs_kw,
                                  rolling_kw=year_rolling_kw)
draws = pd.concat([pd.DataFrame([{"draw": 0, "first_seed": schedule_draws.week_seed(seed, 0, 0),
                                  "vs_greedy_usd": ysv["vs_greedy_usd"], "vs_asap_usd": ysv["vs_asap_usd"],
                                  "optimized_bill_usd": float(roll.costs.at["optimized", "bill_total_usd"]),
                                  "proven": roll.proven}]), more], ignore_index=True) if len(more) else None
if draws is None:
    print(f"One draw of the synthetic mix (seed {seed}); seed_draws above 1 schedules more and gives the range of "
          "the savings over them.")
else:
    display(draws.set_index("draw").round(0))
    draw_figs = {}
    for key, who in (("vs_greedy_usd", "the cheapest-hours greedy baseline"), ("vs_asap_usd", "run-ASAP")):
        sp = schedule_draws.spread(draws[key])
        name = key.removesuffix("_usd")
        text = schedule_draws.spread_text(sp, n_draws)
        print(f"Billed saving vs {who} over {n_weeks}: {text}.")
        draw_figs[f"rolling_saving_{name}_draws_range"] = (
            text, None, f"Billed saving of the optimized schedule vs {who} over {n_weeks}, over {n_draws} draws of "
            f"the synthetic mix (seeds from {seed}, dcplan.schedule_draws; each scheduled over the same {n_weeks})")
        for stat in ("min", "median", "max"):
            draw_figs[f"rolling_saving_{name}_draws_{stat}_usd"] = figure(
                sp[stat], "USD", f"{stat.capitalize()} of the billed saving vs {who} over {n_weeks} across the "
                f"synthetic mix's draws ({sp['n']} like for like of {n_draws} drawn; seeds from {seed})", key, {})
    if not draws["proven"].all():
        print("Some draws' windows were not proven within the gap asked (warned of above): their savings are of "
              "the schedules HiGHS kept.")
    publish(draw_figs)
'''
