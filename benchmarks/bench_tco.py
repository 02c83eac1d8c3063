"""TCO benchmarks: the vectorized Monte Carlo (target: 10,000 draws in < 1 s).

Baseline: the same draws evaluated one at a time in a plain-Python loop
(``dcplan.tco.evaluate`` + ``metrics`` per draw, as a non-vectorized implementation
would), timed on a subset and scaled to 10,000 draws.
"""
from __future__ import annotations


import numpy as np

from dcplan.tco import ElectricityByPvAge, TcoInputs, evaluate, metrics
from dcplan.tco_uncertainty import monte_carlo, sample, tornado
from benchmarks import best_of

INPUTS = TcoInputs(n_accelerators=4096, it_capacity_kw=6000.0, it_energy_kwh=4.2e7, pv_kw_dc=2000.0,
                   horizon_years=15)
BILL = np.linspace(3.0e5, 4.2e5, 12)
DISTRIBUTIONS = {
    "electricity_escalation_frac": ("triangular", 0.0, 0.03, 0.25),
    "server_usd_per_accelerator": ("uniform", 24_875.0, 39_625.0),
    "revenue_usd_per_gpu_h": ("lognormal", 3.5, 0.3),
    "utilization_frac": ("truncnormal", 0.8, 0.1, 0.3, 1.0),
    "delay_months": ("uniform", 0.0, 18.0),
    "discount_rate_frac": ("truncnormal", 0.08, 0.015, 0.04, 0.14),
    "facility_usd_per_mw": ("triangular", 9.3e6, 11.7e6, 15.0e6),
    "it_refresh_years": ("uniform", 4.0, 6.0),
}

#: The same bill with the PV ageing (the TCO notebook's form): each age 0.4 % dearer, and the
#: build sampled too, so every draw ages its PV from its own month placed in service.
AGED = ElectricityByPvAge(BILL[None, :] * (1.0 + 0.004 * np.arange(15))[:, None], 0.005)
DISTRIBUTIONS_AGED = {**DISTRIBUTIONS, "build_months": ("uniform", 9.0, 15.0)}


def run(quick: bool = False) -> list[dict]:
    n = 10_000
    monte_carlo(INPUTS, BILL, DISTRIBUTIONS, n_draws=100)  # warm-up (imports, caches)
    t_mc = best_of(lambda: monte_carlo(INPUTS, BILL, DISTRIBUTIONS, n_draws=n, seed=1), 2 if quick else 5)

    n_loop = 100 if quick else 300
    draws = sample(DISTRIBUTIONS, n_loop, seed=1)

    def loop():
        for i in range(n_loop):
            p = {k: v[i:i + 1] for k, v in draws.items()}
            metrics(evaluate(INPUTS, BILL, params=p), p["discount_rate_frac"])

    t_loop = best_of(loop, 1) * n / n_loop
    t_tor = best_of(lambda: tornado(INPUTS, BILL), 3)
    t_aged = best_of(lambda: monte_carlo(INPUTS, AGED, DISTRIBUTIONS_AGED, n_draws=n, seed=1), 2 if quick else 5)
    return [
        {"name": "tco_monte_carlo_10k_draws", "value": t_mc, "unit": "s", "target": "< 1 s",
         "baseline": f"per-draw Python loop (timed on {n_loop}, scaled to {n})", "ratio": t_loop / t_mc},
        {"name": "tco_monte_carlo_loop_baseline_10k", "value": t_loop, "unit": "s", "target": "n/a",
         "baseline": "none", "ratio": None},
        {"name": "tco_monte_carlo_10k_draws_pv_ageing", "value": t_aged, "unit": "s", "target": "< 1 s",
         "baseline": "tco_monte_carlo_10k_draws (the year-1 bill, build fixed)", "ratio": t_aged / t_mc},
        {"name": "tco_tornado_default_ranges", "value": t_tor, "unit": "s", "target": "< 0.5 s",
         "baseline": "none", "ratio": None},
    ]
