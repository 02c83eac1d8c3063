"""generate_jobs says when whole accelerators make the mix another size than asked.

Each job is at least one accelerator for its run time, so a small utilisation_frac gave a far
bigger mix than asked, silently: 1e-6 and 0.001 both filled 0.00415 of the off-peak notebook's
2,893 kW (Phoenix) over a week, and the notebook printed "filled 0%".
"""
from __future__ import annotations

import inspect
import warnings

import pandas as pd
import pytest

from dcplan import schedule as S
from dcplan.errors import DcplanWarning
from dcplan.schedule_generate import FILL_WARN_REL
from dcplan.schedule_jobs import KW_PER_ACCELERATOR_DEFAULT as KPA

T0 = pd.Timestamp("2025-07-14", tz="America/Phoenix")


def test_a_tiny_fill_is_one_accelerator_per_job_and_warns_with_the_fill_achieved():
    flex_kw, days = 1000.0, 1
    with pytest.warns(DcplanWarning, match=r"generate_jobs: the mix of 4 jobs fills .* not the utilisation_frac "
                                           r"1e-06 asked .* at least 1 and at most floor\(flex_kw / "
                                           r"kw_per_accelerator\) = 784") as rec:
        j = S.generate_jobs(T0, days, n_jobs=4, n_training=0, n_nonpreemptible=0, flex_kw=flex_kw,
                            utilisation_frac=1e-6, step="1h", seed=0)
    # by hand: every job rounds up to one accelerator (1.275 kW, floor(1000 / 1.275) = 784 the cap), so its
    # energy is 1.275 kW x its run time and the fill is 1.275 x sum(run h) / (1000 kW x 24 h)
    assert (j["accelerators"] == 1.0).all()
    run_h = (j["energy_kwh"] / j["power_kw"]).to_numpy()
    fill = KPA * run_h.sum() / (flex_kw * 24.0)
    assert j["energy_kwh"].sum() / (flex_kw * 24.0) == pytest.approx(fill, rel=1e-12)  # rel: float sums
    assert f"fills {fill:.3g} of flex_kw" in str(rec[0].message)


def test_the_notebooks_default_fill_is_met_within_rounding_and_does_not_warn():
    # phoenix-az in the off-peak notebook: flexible 2,893 kW (half its 5,786 kW design IT), fill 0.2 of it, 200 jobs;
    # rounding each job to whole accelerators moves the total by at most half an accelerator per job-hour:
    # 0.5 x 1.275 kW x (sum of run hours) / (2,893 kW x 168 h), well inside FILL_WARN_REL
    flex_kw = 2893.0
    with warnings.catch_warnings():
        warnings.simplefilter("error", DcplanWarning)
        j = S.generate_jobs(T0, 7, n_jobs=200, n_nonpreemptible=20, flex_kw=flex_kw, utilisation_frac=0.2, seed=0)
    got = j["energy_kwh"].sum() / (flex_kw * 168.0)
    bound = 0.5 * KPA * (j["energy_kwh"] / j["power_kw"]).sum() / (flex_kw * 168.0)
    assert abs(got - 0.2) <= bound < FILL_WARN_REL * 0.2


def test_docstring_says_how_the_rounding_works():
    doc = inspect.getdoc(S.generate_jobs)
    for words in ("rounded to", "whole number", "raised to at least 1", "floor(flex_kw / kw_per_accelerator)",
                  "sum(energy_kwh) / (flex_kw x horizon)", "FILL_WARN_REL"):
        assert words in " ".join(doc.split()), words
