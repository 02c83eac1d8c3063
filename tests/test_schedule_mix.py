"""The synthetic off-peak mix's size (dcplan.schedule_mix): n_jobs -1 keeps the 200-job mix on a large flexible
capacity and takes fewer jobs where 200 jobs of at least one whole accelerator each overfill a small one.

Every fill below is computed here from the generator's own mixes (sum of energy_kwh / (flex_kw x 168 h)), not
read from mix_size."""
from __future__ import annotations

import warnings

import numpy as np
import pandas as pd
import pytest

from dcplan.errors import InputError
from dcplan.offpeak_params import N_TRAINING
from dcplan.schedule_generate import FILL_WARN_REL, generate_jobs
from dcplan.schedule_jobs import KW_PER_ACCELERATOR_DEFAULT as KWA
from dcplan.schedule_mix import JOB_COUNTS, PROBE_SEEDS, mix_size

MONDAY = pd.Timestamp("2025-01-06", tz="UTC")


def _misses(n: int, flex_kw: float, u: float) -> np.ndarray:
    """Each probe draw's relative miss of the fill asked, n jobs (a tenth not pausable), by hand."""
    out = []
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        for s in PROBE_SEEDS:
            j = generate_jobs(MONDAY, 7, n_jobs=n, n_nonpreemptible=n // 10, flex_kw=flex_kw, utilisation_frac=u,
                              step="1h", seed=s)
            out.append(abs(float(j["energy_kwh"].sum()) / (flex_kw * 168.0) / u - 1.0))
    return np.array(out)


def test_a_large_flexible_capacity_keeps_the_200_job_mix():
    # the bundled sites' smallest flexible share: 512 servers x 8 GPUs x 0.5 = 2,048 accelerators, fill 0.4
    m = mix_size(-1, -1, flex_kw=2048 * KWA, utilisation_frac=0.4)
    assert (m.n_jobs, m.n_nonpreemptible, m.auto) == (200, 20, True)
    assert m.worst_fill_rel == pytest.approx(_misses(200, 2048 * KWA, 0.4).max(), abs=1e-12)
    assert m.worst_fill_rel < 0.01 and "the full mix" in m.text


def test_a_small_flexible_capacity_takes_the_most_jobs_that_fill_as_asked():
    # 64 accelerators (16 servers, half flexible) at 0.4: 200 jobs overfill it (each job at least one accelerator)
    flex_kw, u = 64 * KWA, 0.4
    m = mix_size(-1, -1, flex_kw=flex_kw, utilisation_frac=u)
    assert m.n_jobs < 200 and m.n_nonpreemptible == m.n_jobs // 10
    assert _misses(m.n_jobs, flex_kw, u).max() <= FILL_WARN_REL  # every probe within 5 % of the fill asked
    larger = JOB_COUNTS[JOB_COUNTS.index(m.n_jobs) - 1]  # the next count up misses in at least one probe
    assert _misses(larger, flex_kw, u).max() > FILL_WARN_REL
    assert f"{m.n_jobs} jobs a week, not 200" in m.text and "64.0 accelerators" in m.text


def test_the_200_job_mix_overfills_a_four_server_flexible_share():
    # the module's claim: 16 accelerators at 0.4, 200 jobs fill about 0.8 (each job's one-accelerator floor)
    fills = 0.4 * (1.0 + _misses(200, 16 * KWA, 0.4))
    assert fills.min() > 0.75


def test_where_no_count_fills_as_asked_the_closest_is_taken():
    # 16 accelerators at 0.4: four training runs of whole accelerators cannot meet 5 % in every probe
    flex_kw, u = 16 * KWA, 0.4
    m = mix_size(-1, -1, flex_kw=flex_kw, utilisation_frac=u)
    worst = {n: _misses(n, flex_kw, u).max() for n in JOB_COUNTS}
    assert min(worst.values()) > FILL_WARN_REL
    assert m.n_jobs == min(worst, key=lambda n: (worst[n], -n))
    assert m.worst_fill_rel == pytest.approx(worst[m.n_jobs], abs=1e-12)
    assert "comes closest" in m.text and "the generator warns" in m.text


def test_given_counts_are_kept():
    m = mix_size(100, -1, flex_kw=5.0, utilisation_frac=0.4)
    assert (m.n_jobs, m.n_nonpreemptible, m.auto) == (100, 10, False) and np.isnan(m.worst_fill_rel)
    assert (mix_size(30, 7, flex_kw=5.0, utilisation_frac=0.4).n_nonpreemptible, mix_size(4, -1, flex_kw=5.0,
            utilisation_frac=0.4).n_nonpreemptible) == (7, 0)


def test_many_jobs_that_cannot_be_paused_raise_the_count():
    # 197 not pausable beside the 4 training runs: no count of the ladder holds them, so 201
    m = mix_size(-1, 197, flex_kw=4096 * KWA, utilisation_frac=0.4)
    assert (m.n_jobs, m.n_nonpreemptible) == (N_TRAINING + 197, 197)
    assert "the fewest that hold 197 jobs that cannot be paused" in m.text and "not 200" not in m.text


@pytest.mark.parametrize("n_jobs,n_np,field", [(-2, -1, "n_jobs"), (0, -1, "n_jobs"), (True, -1, "n_jobs"),
                                               (1.5, -1, "n_jobs"), (-1, -3, "n_nonpreemptible"),
                                               (10, 20, "n_jobs")])
def test_bad_counts_are_refused(n_jobs, n_np, field):
    with pytest.raises(InputError) as e:
        mix_size(n_jobs, n_np, flex_kw=100.0, utilisation_frac=0.4)
    assert e.value.field == field
    assert str(n_jobs if field == "n_jobs" else n_np) in str(e.value)
