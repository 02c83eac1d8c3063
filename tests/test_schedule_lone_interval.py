"""A schedule whose last interval-ending label is alone in its billing month (a verifier's finding: the off-peak
notebook at rolling_weeks 39 ended on 2025-10-01 01:00 CDT, the hour 00:00-01:00 of October, and Tariff.bill's
refusal of a lone interval, meant for hour-beginning user files, crashed it). The scheduler's labels are interval
ends by construction: the bills take that hour as October's."""
import pandas as pd
import pytest

from dcplan import schedule
from dcplan.errors import InputError
from dcplan.schedule_rolling import rolling_horizon
from dcplan.tariff import Tariff
from tests.conftest import DATA


def _case():
    tz = "America/Chicago"
    idx = pd.date_range("2025-09-29 02:00", "2025-10-01 01:00", freq="h", tz=tz)  # the last label: 00:00-01:00 Oct
    jobs = pd.DataFrame({"energy_kwh": [300.0], "power_kw": [100.0], "earliest_start": [idx[0] - pd.Timedelta("1h")],
                         "deadline": [idx[-1]], "preemptible": [True]}, index=pd.Index(["j"], name="name"))
    tariff = Tariff.from_urdb(DATA / "tariffs" / "comed-il-large-load.json")
    return idx, jobs, tariff


def test_the_user_api_still_refuses_a_lone_last_interval():
    idx, _, tariff = _case()
    with pytest.raises(InputError, match="only interval of billing month 2025-10"):
        tariff.bill(pd.Series(500.0, index=idx))


def test_optimize_and_rolling_horizon_bill_a_lone_last_interval_as_its_month():
    idx, jobs, tariff = _case()
    res = schedule.optimize(jobs, idx, tariff=tariff, base_it_kw=500.0, pue=1.0)
    rr = rolling_horizon(jobs, idx, tariff=tariff, base_it_kw=500.0, pue=1.0, commit="1D", lookahead="1D")
    # by hand: the 500 kW must-run load's hour 00:00-01:00 on 1 October is October's: its month bills it
    for bills in (res.bills, rr.bills):
        months = [str(m) for m in bills["optimized"].monthly.index]
        assert months == ["2025-09", "2025-10"]
    # the same load billed by the API with stamps='end' gives the same October energy
    ref = tariff.bill(rr.load["grid_import_kw_optimized"], stamps="end")
    assert rr.bills["optimized"].total_usd == pytest.approx(ref.total_usd, rel=1e-12)
