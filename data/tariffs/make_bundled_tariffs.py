"""Write the bundled URDB-format tariff files in this folder (run from anywhere).

Builds the 12 x 24 schedules from the on-peak hours and seasons named in each
item, so the JSON files can be regenerated and reviewed. Every figure and estimate
is listed with its source in data/SOURCES.md (## Tariffs).

Holidays billed off-peak go into an item here as "dcplan_holidays" (a list of
{"name", "rule", "observed", "source", "vintage"}, rules per dcplan.tariff_holidays), never
into the JSON by hand (a re-run would drop them). None is set: no holiday list was found
for these schedules (data/SOURCES.md).
"""
import json
from pathlib import Path
D = Path(__file__).resolve().parent
def sched(fn): return [[int(fn(m, h)) for h in range(24)] for m in range(12)]
def dump(name, item):
    body = ",\n".join(f" {json.dumps(k)}: {json.dumps(v)}" for k, v in item.items())
    (D / name).write_text("{\n" + body + "\n}\n")

# ---- Duke Energy Carolinas, modeled on OPT-V (TOU) -- periods from docs/reference-data.md 6d, rates ESTIMATES
summer = lambda m: 5 <= m <= 8            # Jun 1 - Sep 30
on = lambda m, h: (13 <= h < 21) if summer(m) else (6 <= h < 13)
dump("duke-nc-opt-tou.json", {
 "label": "dcplan-duke-nc-opt-tou", "utility": "Duke Energy Carolinas, LLC", "name": "Modeled on Schedule OPT-V (Optional Power Service, Time of Use, Large General Service) - rates estimated",
 "sector": "Industrial", "startdate": "2026-01-01", "source": "see data/SOURCES.md (## Tariffs)",
 "dcplan_price_status": "estimate: all energy prices, the on-peak demand charges and the customer charge are dcplan estimates; only the flat demand charge and the on-peak hours are secondary (data/SOURCES.md, Tariffs)",
 "dcplan_startdate_note": "assumed: no effective date was found for these figures (data/SOURCES.md)",
 "description": "On-peak Jun 1-Sep 30 Mon-Fri 1-9 pm, Oct 1-May 31 Mon-Fri 6 am-1 pm (Duke OPT hours); all prices are dcplan estimates, not tariff-sheet values. The startdate 2026-01-01 is assumed (no effective date was found for the figures), not the schedule's.",
 "energyratestructure": [[{"rate": 0.0495, "unit": "kWh"}], [{"rate": 0.0680, "unit": "kWh"}]],
 "energyweekdayschedule": sched(lambda m, h: 1 if on(m, h) else 0),
 "energyweekendschedule": sched(lambda m, h: 0),
 "demandratestructure": [[{"rate": 0.0, "unit": "kW"}], [{"rate": 16.50, "unit": "kW"}], [{"rate": 9.80, "unit": "kW"}]],
 "demandweekdayschedule": sched(lambda m, h: (1 if summer(m) else 2) if on(m, h) else 0),
 "demandweekendschedule": sched(lambda m, h: 0),
 "flatdemandstructure": [[{"rate": 3.63, "unit": "kW"}]], "flatdemandmonths": [0] * 12, "flatdemandunit": "kW",
 "fixedchargefirstmeter": 350.0, "fixedchargeunits": "$/month"})

# ---- Dominion Energy Virginia, modeled on GS-3 (figures eff. 2026-01-01 from docs/reference-data.md 6d),
# energy ESTIMATED
dsum = lambda m: 5 <= m <= 8
don = lambda m, h: (10 <= h < 22) if dsum(m) else (7 <= h < 22)
dump("dominion-va-gs3.json", {
 "label": "dcplan-dominion-va-gs3", "utility": "Virginia Electric & Power Co (Dominion Energy Virginia)",
 "name": "Modeled on Schedule GS-3 (Secondary Voltage, >= 500 kW) - energy prices and on-peak hours estimated",
 "sector": "Commercial", "startdate": "2026-01-01", "source": "see data/SOURCES.md (## Tariffs)",
 "dcplan_price_status": "secondary, partly estimated (on-peak hours, energy prices and fuel factor: dcplan estimates; customer and demand charges secondary; data/SOURCES.md, Tariffs)",
 "description": "Customer 185.34 $/month; distribution 3.316 + transmission 2.277 $/kW (monthly max); generation demand 8.976 $/kW on-peak (energymanager.ai, eff. 2026-01-01). Energy prices (base + fuel adj) and on-peak hours are dcplan estimates.",
 "energyratestructure": [[{"rate": 0.0402, "adj": 0.0240, "unit": "kWh"}], [{"rate": 0.0515, "adj": 0.0240, "unit": "kWh"}]],
 "energyweekdayschedule": sched(lambda m, h: 1 if don(m, h) else 0),
 "energyweekendschedule": sched(lambda m, h: 0),
 "demandratestructure": [[{"rate": 0.0, "unit": "kW"}], [{"rate": 8.976, "unit": "kW"}]],
 "demandweekdayschedule": sched(lambda m, h: 1 if don(m, h) else 0),
 "demandweekendschedule": sched(lambda m, h: 0),
 "flatdemandstructure": [[{"rate": 5.593, "unit": "kW"}]], "flatdemandmonths": [0] * 12, "flatdemandunit": "kW",
 "fixedchargefirstmeter": 185.34, "fixedchargeunits": "$/month"})

# ---- APS, modeled on E-32 TOU L (eff. 2024-03-08); winter energy ESTIMATED by E-32 L winter/summer ratio.
# A stand-in above 3,000 kW (E-34/E-35 rates not found); APS's 2025 rate case pending (data/SOURCES.md, Tariffs)
asum = lambda m: 4 <= m <= 9   # May-Oct summer (APS); estimate of season split
r = 0.03800 / 0.05641
dump("aps-az-e32-tou-l.json", {
 "label": "dcplan-aps-az-e32-tou-l", "utility": "Arizona Public Service Co", "name": "Modeled on Rate Schedule E-32 TOU L (Large General Service, Time-of-Use, >= 401 kW)",
 "sector": "Commercial", "startdate": "2024-03-08", "source": "see data/SOURCES.md (## Tariffs)",
 "dcplan_price_status": "secondary, partly estimated (winter rates, seasons, basic charge: dcplan estimates; summer rates, on-peak demand and hours secondary; data/SOURCES.md, Tariffs)",
 "description": "Summer on-peak 0.07741, off-peak 0.06334 $/kWh; on-peak demand 18.941 $/kW; on-peak 3-8 pm weekdays (ACC Decision 79293, via energymanager.ai). Winter energy prices and the basic service charge (3.307 $/day, from E-32 L) are dcplan estimates for E-32 TOU L. Applies below 3,000 kW (peakkwcapacitymax): APS bills loads of 3,000 kW and up on E-34/E-35 (E-32's schedules exclude service for which E-34 applies), whose rates were not found, so for such a load this file is a stand-in for them. Prices predate APS's pending rate case (dcplan_pending_rate_change).",
 "peakkwcapacitymax": 3000,
 "dcplan_applicability_note": "E-32 TOU L stands in for APS E-34/E-35 (3,000 kW and up), whose rates were not found (data/SOURCES.md, Tariffs): the bill is of the smaller customers' rate, not the one APS would bill such a load on",
 "dcplan_pending_rate_change": {"summary": "APS rate case, ACC Docket E-01345A-25-0105 (filed 2025): +662 M USD, +16 % on average, up to +45 % proposed for the extra-high-load-factor class; not decided", "effective_earliest": "2026-07-08", "change_frac_high": 0.45, "source": "aps.com, Rate Case 2025 (new rates in the second half of 2026); ABC15 (no earlier than July 8, 2026); clet.xyz (+16 %, +45 %); docs/reference-data.md 6d; data/SOURCES.md (Tariffs)"},
 "energyratestructure": [[{"rate": 0.06334, "unit": "kWh"}], [{"rate": 0.07741, "unit": "kWh"}],
                         [{"rate": round(0.06334 * r, 5), "unit": "kWh"}], [{"rate": round(0.07741 * r, 5), "unit": "kWh"}]],
 "energyweekdayschedule": sched(lambda m, h: (1 if 15 <= h < 20 else 0) if asum(m) else (3 if 15 <= h < 20 else 2)),
 "energyweekendschedule": sched(lambda m, h: 0 if asum(m) else 2),
 "demandratestructure": [[{"rate": 0.0, "unit": "kW"}], [{"rate": 18.941, "unit": "kW"}]],
 "demandweekdayschedule": sched(lambda m, h: 1 if 15 <= h < 20 else 0),
 "demandweekendschedule": sched(lambda m, h: 0),
 "fixedchargefirstmeter": 3.307, "fixedchargeunits": "$/day"})

# ---- ComEd (delivery) + retail supply + PJM capacity, all ESTIMATES except the PJM price
cap = round(333.44 * 365 / 12 / 1000, 3)  # $/MW-day -> $/kW-month
dump("comed-il-large-load.json", {
 "label": "dcplan-comed-il-large-load", "utility": "Commonwealth Edison Co",
 "name": "Modeled on ComEd Extra Large Load delivery class + fixed-price retail supply + PJM capacity (2027/28) - estimates",
 "sector": "Industrial", "startdate": "2027-06-01", "source": "see data/SOURCES.md (## Tariffs)",
 "dcplan_price_status": "estimate: all delivery and supply prices, the customer charge and the demand window are dcplan estimates; only the PJM capacity price is secondary (data/SOURCES.md, Tariffs)",
 "description": "Delivery: distribution facilities charge (flat $/kW) and customer charge estimated; supply: flat energy price estimated; capacity: PJM 2027/28 RTO clearing price 333.44 $/MW-day = %.3f $/kW-month billed on the monthly peak (simplification of the PLC)." % cap,
 "energyratestructure": [[{"rate": 0.0520, "adj": 0.0035, "unit": "kWh"}], [{"rate": 0.0610, "adj": 0.0035, "unit": "kWh"}]],
 "energyweekdayschedule": sched(lambda m, h: 1 if 6 <= h < 22 else 0),
 "energyweekendschedule": sched(lambda m, h: 0),
 "flatdemandstructure": [[{"rate": round(7.90 + cap, 3), "unit": "kW"}]], "flatdemandmonths": [0] * 12, "flatdemandunit": "kW",
 "fixedchargefirstmeter": 1250.0, "fixedchargeunits": "$/month", "demandwindow": 30})

# ---- RTP example: synthetic hourly price + adders + demand
dump("rtp-example.json", {
 "label": "dcplan-rtp-example", "utility": "Example (synthetic)", "name": "Real-time pricing example: hourly synthetic price + 0.012 $/kWh adder + demand charge",
 "sector": "Industrial", "startdate": "2025-01-01", "source": "see data/SOURCES.md (## Tariffs); price series is SYNTHETIC",
 "dcplan_price_status": "estimate: a synthetic example, not a utility's prices (data/SOURCES.md, Tariffs)",
 "energyratestructure": [[{"rate": 0.012, "unit": "kWh"}]],
 "energyweekdayschedule": sched(lambda m, h: 0), "energyweekendschedule": sched(lambda m, h: 0),
 "flatdemandstructure": [[{"rate": 6.0, "unit": "kW"}]], "flatdemandmonths": [0] * 12,
 "fixedchargefirstmeter": 500.0, "fixedchargeunits": "$/month",
 "dcplan_rtp_price_file": "rtp-example-prices-synthetic.csv"})
