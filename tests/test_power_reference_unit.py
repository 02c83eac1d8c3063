"""The fallback kW per accelerator (dcplan.power.unit_kw_per_accelerator of REFERENCE_UNIT) is read from
data/hardware.csv, where a sources audit found it copied as 10.2 / 8 and 1.275 into dcplan.schedule_jobs and
dcplan.thermal_dynamics."""
from __future__ import annotations

import pytest

from conftest import with_edited_data
from dcplan import power, schedule_jobs, thermal_dynamics
from dcplan.errors import InputError
from dcplan.paths import data_path

#: The hgx-h100 row of data/hardware.csv as the bundled file has it (max_kw 10.2, idle_kw 2.6).
_ROW = "hgx-h100,8-GPU HGX/DGX H100 server,server,NVIDIA,h100-sxm,8,700,70,10.2,2.6,"


def test_reference_unit_is_the_dgx_h100_figure():
    # DGX H100 system maximum input 10.2 kW over its 8 GPUs (reference-data s.1); exact in float up to rounding
    assert power.REFERENCE_UNIT == "hgx-h100"
    assert power.unit_kw_per_accelerator() == pytest.approx(1.275, rel=1e-12)
    assert schedule_jobs.KW_PER_ACCELERATOR_DEFAULT == pytest.approx(1.275, rel=1e-12)
    assert thermal_dynamics.DYNAMICS_DEFAULTS["kw_per_gpu"] == pytest.approx(1.275, rel=1e-12)
    # a unit of its own: the HGX B200, 14.3 kW / 8 (DGX B200 user guide) = 1.7875 kW
    assert power.unit_kw_per_accelerator("hgx-b200") == pytest.approx(1.7875, rel=1e-12)


def test_a_unit_without_accelerators_is_refused():
    with pytest.raises(InputError, match="'ib-ndr-switch' has no accelerators"):
        power.unit_kw_per_accelerator("ib-ndr-switch")


def test_fallbacks_follow_an_edit_of_the_catalog_row(tmp_path):
    # the row's max_kw edited to 11.2 kW: the job file's fallback and the cooling-lag hall's GPU-hours follow
    # (11.2 / 8 = 1.4 kW); a literal copy of 10.2 / 8 would still say 1.275
    assert data_path("hardware.csv").read_text().count(_ROW) == 1
    out = with_edited_data(tmp_path, {"hardware.csv": lambda t: t.replace(_ROW, _ROW.replace(",10.2,", ",11.2,"))},
                           "from dcplan import schedule_jobs, thermal_dynamics\n"
                           "print(schedule_jobs.KW_PER_ACCELERATOR_DEFAULT, "
                           "thermal_dynamics.DYNAMICS_DEFAULTS['kw_per_gpu'])")
    got = [float(x) for x in out.split()]
    assert got == pytest.approx([1.4, 1.4], rel=1e-12)
