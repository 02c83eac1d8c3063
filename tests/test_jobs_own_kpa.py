"""A job file's own kw_per_accelerator wins over the site fleet's, so a file copied from the example with
1.275 kW per GPU ran its GPUs at the wrong power at a site whose GPUs draw 1.759 kW each, silently (a
verifier's finding): the bundled example now leaves the column empty, and load_site_jobs warns."""
from __future__ import annotations

import warnings

import pytest

from conftest import gc_noise as _gc_noise

from conftest import DATA
from dcplan.errors import DcplanWarning
from dcplan.schedule_setup import load_site_jobs, site_kw_per_accelerator
from dcplan.site import load_site

CSV = ("name,gpu_hours,accelerators,kw_per_accelerator,earliest_start,deadline\n"
       "a,160,8,1.275,2025-07-07T00:00-04:00,2025-07-08T00:00-04:00\n"
       "b,160,8,,2025-07-07T00:00-04:00,2025-07-08T00:00-04:00\n")


def test_the_bundled_example_takes_the_site_fleets_figure():
    site = load_site("northern-virginia")
    kpa = site_kw_per_accelerator(site)
    with warnings.catch_warnings():
        warnings.simplefilter("error", DcplanWarning)
        jobs = load_site_jobs(DATA / "jobs_example.csv", site)
    # pretrain-a: 1,024 accelerators x the site's kW each (not 1,024 x 1.275 = 1,305.6 kW)
    assert jobs.at["pretrain-a", "power_kw"] == pytest.approx(1024 * kpa, rel=1e-12)
    assert set(jobs.attrs["kw_per_accelerator"].values()) == {kpa}


def test_a_jobs_own_figure_wins_and_is_warned(tmp_path):
    f = tmp_path / "j.csv"
    f.write_text(CSV)
    site = load_site("northern-virginia")
    kpa = site_kw_per_accelerator(site)
    with pytest.warns(DcplanWarning) as rec:
        jobs = load_site_jobs(f, site)
    assert [str(w.message) for w in rec if not _gc_noise(w)] == [
        f"{f}: kw_per_accelerator: 1 job(s) ('a') give their own 1.275 kW per accelerator, while the site fleet's "
        f"is {kpa:.4g} kW (dcplan.schedule_setup.site_kw_per_accelerator): a job's own figure wins, so their GPU "
        "counts are not the site's GPUs. Leave the column empty to convert them at the site's figure"]
    # hand: 8 x 1.275 = 10.2 kW for 'a'; 8 x the site's figure for 'b'
    assert jobs.at["a", "power_kw"] == pytest.approx(10.2) and jobs.at["b", "power_kw"] == pytest.approx(8 * kpa)
