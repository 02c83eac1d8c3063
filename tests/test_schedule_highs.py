"""Tests of dcplan.schedule_highs: HiGHS's MILP solve as scipy.optimize.milp runs it, bit for bit."""
from __future__ import annotations

import warnings

import numpy as np
import pandas as pd
import pytest
import scipy
from scipy import sparse
from scipy.optimize import Bounds, LinearConstraint
from scipy.optimize import milp as scipy_milp

import dcplan.schedule_lp as lp
from dcplan import schedule_highs as sh
from dcplan.tariff import Tariff

_OPTS = {"mip_rel_gap": 1e-3, "time_limit": 60.0, "presolve": False, "mip_heuristic_run_feasibility_jump": False}


def _same(a, b):
    """Every field scipy.optimize.milp returns, equal bit for bit (x compared as bytes)."""
    assert set(a) == set(b)
    for k in a:
        if k == "x":
            assert (a.x is None) == (b.x is None)
            if a.x is not None:
                assert a.x.dtype == b.x.dtype and a.x.tobytes() == b.x.tobytes()
        else:
            assert a[k] == b[k] or (a[k] != a[k] and b[k] != b[k]), k  # NaN == NaN


def _knapsack(n=40, seed=1, cap_frac=0.35):
    """A random multi-constraint knapsack with continuous and integer columns: a MILP HiGHS branches on."""
    rng = np.random.default_rng(seed)
    w = rng.integers(1, 30, (3, n)).astype(float)
    a = sparse.csr_matrix(w * (rng.random((3, n)) < 0.7))
    c = -rng.integers(1, 50, n).astype(float)
    integ = (np.arange(n) % 3 != 0).astype(int)  # two thirds integer, a third continuous
    return c, LinearConstraint(a, -np.inf, cap_frac * np.asarray(a.sum(axis=1)).ravel()), integ, Bounds(0, 1)


_MINOR = tuple(int(p) for p in scipy.__version__.split(".")[:2])


@pytest.mark.skipif(not (1, 15) <= _MINOR <= (1, 17), reason="scipy outside 1.15-1.17, the versions the module "
                    "was written against: milp itself may be the right path there (same results, slower)")
def test_fast_path_is_used_on_this_scipy():
    # scipy 1.15-1.17 (the venv's 1.17.1) has the private HiGHS modules schedule_highs runs: a fallback
    # to milp here would silently lose the gain the module exists for (a later scipy may move them: the
    # bit-for-bit tests below still hold on either path)
    assert sh.fast_path()


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_mip_result_is_scipy_milps_bit_for_bit(seed):
    c, con, integ, b = _knapsack(seed=seed)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # the verbatim option's RuntimeWarning, as in schedule_lp
        want = scipy_milp(c, constraints=con, integrality=integ, bounds=b, options=dict(_OPTS))
        got = sh.milp(c, constraints=con, integrality=integ, bounds=b, options=dict(_OPTS))
    assert want.status == 0 and want.mip_node_count >= 1  # a real MIP solve, proven
    _same(want, got)


def test_lp_and_infeasible_results_and_option_warnings_are_scipy_milps():
    c, con, integ, b = _knapsack(n=60, seed=4)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        # an LP (no integer column): no MIP fields, as milp
        _same(scipy_milp(c, constraints=con, bounds=b), sh.milp(c, constraints=con, bounds=b))
        # infeasible: sum x >= n + 1 with x <= 1
        bad = LinearConstraint(np.ones((1, len(c))), len(c) + 1.0, np.inf)
        want = scipy_milp(c, constraints=[con, bad], integrality=integ, bounds=b, options=dict(_OPTS))
        got = sh.milp(c, constraints=[con, bad], integrality=integ, bounds=b, options=dict(_OPTS))
        assert want.status == 2 and want.x is None
        _same(want, got)
    # an option value HiGHS refuses is warned of and ignored, as by milp (scipy's OptimizeWarning)
    for fn in (scipy_milp, sh.milp):
        with pytest.warns(scipy.optimize.OptimizeWarning, match="Invalid option value"):
            fn(c, constraints=con, integrality=integ, bounds=b, options={"mip_rel_gap": -1.0})


def test_schedule_solve_goes_through_it_and_keeps_the_optimum(monkeypatch):
    # a rolling window's model (TOU energy, a demand charge, a non-preemptible start) solved by the
    # schedule's solve with schedule_highs.milp and with scipy.optimize.milp: the same solution, bit for bit
    tz = "Etc/GMT+5"
    idx = pd.date_range(pd.Timestamp("2025-07-01 01:00", tz=tz), periods=48, freq="1h")
    t = Tariff.tou(0.10, [{"name": "peak", "usd_per_kwh": 0.30, "hours": list(range(14, 19)), "days": "all"}])
    t = t.with_demand_charge(10.0)
    jobs = [dict(name=f"j{i}", energy_kwh=6.0 + i, power_kw=2.0, earliest_start=idx[0] - pd.Timedelta("1h"),
                 deadline=idx[-1], preemptible=i % 2 == 0) for i in range(6)]
    from dcplan import schedule as S
    p, _ = S.build_problem(jobs, idx, tariff=t, cap_kw=8.0, base_it_kw=1.0)
    assert lp.milp is sh.milp
    ours = lp.solve(p, mip_rel_gap=0.0)
    monkeypatch.setattr(lp, "milp", scipy_milp)
    ref = lp.solve(p, mip_rel_gap=0.0)
    assert ref.n_binaries > 0 and ours.status == ref.status == 0
    assert ours.job_kw.tobytes() == ref.job_kw.tobytes() and ours.objective_usd == ref.objective_usd
    assert ours.bound_usd == ref.bound_usd and ours.mip_gap == ref.mip_gap


@pytest.mark.parametrize("window_min,method,step", [(None, "block", "1h"), (30.0, "block", "15min"),
                                                    (60.0, "block", "15min"), (120.0, "rolling", "1h"),
                                                    (15.0, "rolling", "15min")])
def test_first_member_is_scipys_argmax_of_the_demand_rows(window_min, method, step):
    # the schedule's demand rows over a fall-back clock change (a repeated hour starts a new block): each row's
    # first interval, as scipy's sparse argmax gives it (the loop first_member replaces)
    from dcplan.schedule_lp_rows import demand_rows, first_member
    idx = pd.date_range(pd.Timestamp("2025-11-01 00:00", tz="America/New_York"), periods=4 * 24 * 3, freq=step)
    _, mem = demand_rows(idx, pd.Timedelta(step).total_seconds(), window_min, method)
    want = np.asarray(mem.argmax(axis=1)).ravel()
    got = first_member(mem)
    assert got.dtype == want.dtype and np.array_equal(got, want)


def test_first_member_falls_back_to_argmax_for_other_matrices():
    # an empty row (argmax 0), a larger value after the first member, unsorted indices: scipy's answer each time
    from dcplan.schedule_lp_rows import first_member
    m = sparse.csr_matrix(np.array([[0, 1, 1, 0], [0, 0, 0, 0], [1, 0, 2, 0]], float))
    assert first_member(m).tolist() == [1, 0, 2] == np.asarray(m.argmax(axis=1)).ravel().tolist()
    u = sparse.csr_matrix((np.ones(2), np.array([3, 1]), np.array([0, 2])), shape=(1, 4))  # indices 3, 1: unsorted
    assert first_member(u).tolist() == [1]


def _held_lp(pass_fn, args):
    """The HighsLp a fresh HiGHS holds after ``pass_fn`` (output off, as milp's options set it)."""
    h = sh._h._Highs()
    o = sh._h.HighsOptions()
    o.output_flag = False
    h.passOptions(o)
    assert pass_fn(h, *args) == sh._h.HighsStatus.kOk
    return h.getLp()


@pytest.mark.skipif(not sh.fast_path(), reason="scipy's private HiGHS modules absent: milp itself is used")
@pytest.mark.parametrize("case", ["knapsack", "lp", "schedule"])
def test_model_passed_as_arrays_is_the_wrappers_field_by_field(case):
    # the model _pass_model gives HiGHS (arrays, one call) against the HighsLp scipy's wrapper builds field by field
    # (_wrapper_lp): every field HiGHS holds, equal (the solve then is the same: the bit-for-bit tests above)
    from scipy.optimize._milp import _milp_iv
    if case == "schedule":
        tz = "Etc/GMT+5"
        idx = pd.date_range(pd.Timestamp("2025-07-01 01:00", tz=tz), periods=24, freq="1h")
        t = Tariff.tou(0.10, [{"name": "peak", "usd_per_kwh": 0.30, "hours": list(range(14, 19)), "days": "all"}])
        jobs = [dict(name=f"j{i}", energy_kwh=6.0 + i, power_kw=2.0, earliest_start=idx[0] - pd.Timedelta("1h"),
                     deadline=idx[-1], preemptible=i % 2 == 0) for i in range(4)]
        from dcplan import schedule as S
        p, _ = S.build_problem(jobs, idx, tariff=t.with_demand_charge(10.0), cap_kw=8.0, base_it_kw=1.0)
        seen = {}
        orig = sh._run

        def keep(*a):
            seen["args"] = a
            return orig(*a)
        sh._run = keep
        try:
            lp.solve(p)
        finally:
            sh._run = orig
        c, indptr, indices, data, lhs, rhs, lb, ub, integ, _ = seen["args"]
    else:
        c0, con, integ0, b = _knapsack(n=30, seed=5)
        c, integ, lb, ub, indptr, indices, data, lhs, rhs, _ = _milp_iv(
            c0, None if case == "lp" else integ0, b, con, {})
    args = (c, indptr, indices, data, lhs, rhs, lb, ub, integ)
    want = _held_lp(lambda h, *a: h.passModel(sh._wrapper_lp(*a)), args)
    got = _held_lp(sh._pass_model, args)
    assert (case == "lp") == (not np.asarray(integ).any())
    for k in ("num_col_", "num_row_", "sense_", "offset_", "col_cost_", "col_lower_", "col_upper_", "row_lower_",
              "row_upper_", "integrality_"):
        assert np.array_equal(np.asarray(getattr(got, k)), np.asarray(getattr(want, k))), k
    for k in ("format_", "num_col_", "num_row_", "start_", "index_", "value_"):
        assert np.array_equal(np.asarray(getattr(got.a_matrix_, k)), np.asarray(getattr(want.a_matrix_, k))), k
    assert len(got.integrality_) == len(c)  # one per column (all continuous for the LP), as the wrapper sets it


def _price_cases(spread=1.5, n_days=2, cap_kw=60.0):
    """Two problems of the same jobs and index (so the same columns and rows), under a TOU tariff and under it with
    its peak/off-peak spread stretched ``spread`` times around the 0.10 $/kWh off-peak price, as the off-peak
    notebook's price-spread cases: non-preemptible starts (binaries), preemptible jobs, a demand charge."""
    from dcplan import schedule as S
    tz = "Etc/GMT+5"
    idx = pd.date_range(pd.Timestamp("2025-07-01 01:00", tz=tz), periods=24 * n_days, freq="1h")
    jobs = [dict(name=f"j{i}", energy_kwh=20.0 + 3 * i, power_kw=4.0 + i % 3,
                 earliest_start=idx[0] - pd.Timedelta("1h") + pd.Timedelta(hours=i * n_days),
                 deadline=idx[0] - pd.Timedelta("1h") + pd.Timedelta(hours=(i + 14) * n_days),
                 preemptible=i % 3 == 0) for i in range(8)]
    out = []
    for s in (1.0, spread):
        t = Tariff.tou(0.10, [{"name": "peak", "usd_per_kwh": 0.10 + s * 0.20, "hours": list(range(14, 19)),
                               "days": "all"}]).with_demand_charge(10.0)
        out.append(S.build_problem(jobs, idx, tariff=t, cap_kw=cap_kw, base_it_kw=2.0)[0])
    return out


def _count_mip_runs(monkeypatch):
    """Count the MIP solves of schedule_highs (its _run), each still run."""
    calls = []
    orig = sh._run

    def counted(*a):
        calls.append(1)
        return orig(*a)
    monkeypatch.setattr(sh, "_run", counted)
    return calls


@pytest.mark.skipif(not sh.fast_path(), reason="scipy's private HiGHS modules absent: milp itself is used")
def test_lp_start_from_the_base_case_proves_a_price_case_within_the_gap(monkeypatch):
    # a price case started from the base case's optimum: proven by the LP relaxation alone (no MIP solve), at the
    # optimum within the 1e-3 gap asked. The reference is HiGHS's MIP proving the case's optimum exactly (gap 0):
    # the LP bound the warm solve reports must be at or below it and its schedule's objective within 1e-3 above it
    base, case = _price_cases()
    b = lp.solve(base)
    exact = lp.solve(case, mip_rel_gap=0.0)
    assert b.status == exact.status == 0 and exact.n_binaries > 0 and exact.mip_gap == 0.0
    calls = _count_mip_runs(monkeypatch)
    warm = lp.solve(case, lp_start=b.x)
    assert calls == []  # HiGHS's MIP never ran: the LP from the base's optimum proved it
    assert warm.status == 0 and 0.0 <= warm.mip_gap <= 1e-3
    tol = 1e-9 * abs(exact.objective_usd)
    assert warm.bound_usd <= exact.objective_usd + tol
    assert exact.objective_usd - tol <= warm.objective_usd <= exact.objective_usd * (1 + 1e-3)
    # its schedule is whole: each non-preemptible job runs once, every job's energy is served
    started = warm.started[~case.preemptible]
    assert (started >= 0).all()
    np.testing.assert_allclose(warm.job_kw.sum(axis=1) * case.step_h, case.energy_hi_kwh, rtol=1e-6)


@pytest.mark.skipif(not sh.fast_path(), reason="scipy's private HiGHS modules absent: milp itself is used")
def test_lp_start_that_does_not_fit_falls_back_to_the_mip_bit_for_bit(monkeypatch):
    # a start of another length (a model of other columns), or an LP that stops at its iteration limit: the MIP
    # solve runs as without a start, the same solution bit for bit
    base, case = _price_cases()
    cold = lp.solve(case)
    other = lp.solve(_price_cases(n_days=1)[0])
    assert other.x.size != cold.x.size
    calls = _count_mip_runs(monkeypatch)
    short = lp.solve(case, lp_start=other.x)
    monkeypatch.setattr(sh, "LP_FIRST_ITERATIONS", 0)
    stopped = lp.solve(case, lp_start=lp.solve(base).x)
    assert len(calls) == 3  # the two solves above and the base's
    for got in (short, stopped):
        assert got.x.tobytes() == cold.x.tobytes() and got.objective_usd == cold.objective_usd
        assert got.bound_usd == cold.bound_usd and got.mip_gap == cold.mip_gap


def test_optimize_start_is_the_base_weeks_result_and_nothing_else():
    # schedule.optimize(start=the base week's result) for a price case: its bill within the 1e-3 gap of the
    # case's exact optimum (HiGHS's MIP at gap 0), proven; a start that is no ScheduleResult is refused, named
    from dcplan import schedule as S
    from dcplan.errors import InputError
    tz = "Etc/GMT+5"
    idx = pd.date_range(pd.Timestamp("2025-07-01 01:00", tz=tz), periods=48, freq="1h")
    jobs = [dict(name=f"j{i}", energy_kwh=20.0 + 3 * i, power_kw=4.0 + i % 3,
                 earliest_start=idx[0] - pd.Timedelta("1h") + pd.Timedelta(hours=2 * i),
                 deadline=idx[0] - pd.Timedelta("1h") + pd.Timedelta(hours=2 * i + 28),
                 preemptible=i % 3 == 0) for i in range(8)]
    tou = {"name": "peak", "hours": list(range(14, 19)), "days": "all"}
    t1 = Tariff.tou(0.10, [dict(tou, usd_per_kwh=0.30)]).with_demand_charge(10.0)
    t2 = Tariff.tou(0.10, [dict(tou, usd_per_kwh=0.40)]).with_demand_charge(10.0)
    base = S.optimize(jobs, idx, tariff=t1, cap_kw=60.0, base_it_kw=2.0)
    exact = S.optimize(jobs, idx, tariff=t2, cap_kw=60.0, base_it_kw=2.0, mip_rel_gap=0.0)
    warm = S.optimize(jobs, idx, tariff=t2, cap_kw=60.0, base_it_kw=2.0, start=base)
    assert base.x is not None and warm.solve["proven"] and warm.solve["mip_gap"] <= 1e-3
    want = exact.solve["objective_usd"]
    assert want * (1 - 1e-9) <= warm.solve["objective_usd"] <= want * (1 + 1e-3)
    with pytest.raises(InputError, match="start.*ScheduleResult of optimize.*got ndarray"):
        S.optimize(jobs, idx, tariff=t2, cap_kw=60.0, base_it_kw=2.0, start=base.x)
