"""HiGHS's MILP solve as ``scipy.optimize.milp`` runs it, without the work on its result that ``milp`` throws away.

``scipy.optimize.milp`` hands the model to HiGHS through scipy's ``_highs_wrapper``, which after the solve
also builds the LP's bound multipliers from the basis, a Python loop over every column comparing HiGHS
enums, and copies the row values and duals; ``milp`` then keeps only the status, ``x``, the objective and
the MIP's node count, dual bound and gap. On the off-peak notebook's models that loop is most of the
wrapper's cost: 0.66 s of CPU in a site's rolling year of 52 hourly windows (12.6 ms a window, against
4.3 s in HiGHS itself; 0.9-1.0 s a site with the week and its sensitivity cases; measured 2026-12-07 with
``time.thread_time`` around ``milp`` and around HiGHS's ``run``, scipy 1.17.1). The wrapper also passes the
model field by field (a C++ vector from each array, a list of enums for the integrality), 2.9 ms a window; here it
goes in as arrays (:func:`_pass_model`, 0.3 ms), the same ``HighsLp``.

:func:`milp` here does what ``milp`` does up to the solve, scipy's own input checks (``_milp_iv``)
included, passes HiGHS the same model and the same options in the same order, runs it, and reads only
what ``milp`` returns. The solve is HiGHS's, unchanged: the same schedules, objectives, bounds and gaps,
bit for bit (``tests/test_schedule_highs.py`` compares it with ``scipy.optimize.milp``).

It reaches into scipy's private ``scipy.optimize._highspy`` modules (scipy >= 1.15). Where they are not
as expected (another scipy), it calls ``scipy.optimize.milp`` itself: slower, with the same result.
"""
from __future__ import annotations

import warnings

import numpy as np
from scipy.optimize import OptimizeResult
from scipy.optimize import milp as _scipy_milp

__all__ = ["milp", "fast_path"]

try:  # scipy's own pieces of milp (private: checked below, and a fallback to milp when absent)
    from scipy.optimize import OptimizeWarning
    from scipy.optimize._highspy import _core as _h  # type: ignore[attr-defined]
    from scipy.optimize._highspy import _highs_options as _hopt  # type: ignore[attr-defined]
    from scipy.optimize._highspy._highs_wrapper import check_option as _check_option
    from scipy.optimize._linprog_highs import _highs_to_scipy_status_message
    from scipy.optimize._milp import _milp_iv
    _FAST = all(hasattr(_h, k) for k in ("HighsLp", "ObjSense", "_Highs", "HighsOptions", "HighsVarType",
                                         "MatrixFormat", "HighsOptionType", "HighsStatus", "HighsModelStatus",
                                         "kHighsInf"))
except ImportError:  # pragma: no cover - another scipy: milp itself
    _FAST = False


def fast_path() -> bool:
    """True when :func:`milp` runs HiGHS itself (scipy's private modules as expected), False when it calls
    ``scipy.optimize.milp``."""
    return _FAST


def milp(c, *, integrality=None, bounds=None, constraints=None, options=None, lp_start=None) -> OptimizeResult:
    """``scipy.optimize.milp(c, integrality=..., bounds=..., constraints=..., options=...)``: the same
    arguments, the same solve and the same ``OptimizeResult`` (``status``, ``message``, ``success``, ``x``,
    ``fun``, ``mip_node_count``, ``mip_dual_bound``, ``mip_gap``), less the wrapper's work ``milp`` discards.

    ``lp_start`` (one value per column, e.g. the optimum of a model differing only in its costs): first the
    LP relaxation from that point (:func:`_lp_first`); the MIP solve as above only when that does not prove
    a solution within ``mip_rel_gap``."""
    if not _FAST:
        return _scipy_milp(c, integrality=integrality, bounds=bounds, constraints=constraints, options=options)
    args = _milp_iv(c, integrality, bounds, constraints, options)
    c, integrality, lb, ub, indptr, indices, data, b_l, b_u, options = args
    hr = None
    if lp_start is not None:
        hr = _lp_first(c, indptr, indices, data, b_l, b_u, lb, ub, integrality, options, lp_start)
    if hr is None:
        hr = _run(c, indptr, indices, data, b_l, b_u, lb, ub, integrality, options)
    status, message = _highs_to_scipy_status_message(hr.get("status", None), hr.get("message", None))
    x = hr.get("x", None)
    return OptimizeResult({"status": status, "message": message, "success": status == 0,
                           "x": np.array(x) if x is not None else None, "fun": hr.get("fun", None),
                           "mip_node_count": hr.get("mip_node_count", None),
                           "mip_dual_bound": hr.get("mip_dual_bound", None), "mip_gap": hr.get("mip_gap", None)})


def _run(c, indptr, indices, data, lhs, rhs, lb, ub, integrality, options) -> dict:
    """scipy's ``_highs_wrapper`` (scipy 1.15-1.17) as ``milp`` uses it: the model and options passed the same
    way, the same failure results; of a solution only what ``milp`` reads (no bound multipliers, slacks or
    duals, no basis)."""
    is_mip = integrality is not None and np.sum(integrality) > 0
    res = {"x": None, "fun": None}
    highs = _h._Highs()
    if _pass_options(highs, options) == _h.HighsStatus.kError:
        res.update({"status": highs.getModelStatus(), "message": highs.modelStatusToString(highs.getModelStatus())})
        return res
    if _pass_model(highs, c, indptr, indices, data, lhs, rhs, lb, ub, integrality) == _h.HighsStatus.kError:
        err = _h.HighsModelStatus.kModelError
        res.update({"status": err, "message": highs.modelStatusToString(err)})
        return res
    if highs.run() == _h.HighsStatus.kError:
        res.update({"status": highs.getModelStatus(), "message": highs.modelStatusToString(highs.getModelStatus())})
        return res
    model_status = highs.getModelStatus()
    info = highs.getInfo()
    limits = (_h.HighsModelStatus.kTimeLimit, _h.HighsModelStatus.kIterationLimit, _h.HighsModelStatus.kSolutionLimit)
    mip_fail = model_status not in (_h.HighsModelStatus.kOptimal,) + limits or (
        model_status in limits and info.objective_function_value == _h.kHighsInf)
    lp_fail = model_status != _h.HighsModelStatus.kOptimal
    if (is_mip and mip_fail) or (not is_mip and lp_fail):
        res.update({"status": model_status,
                    "message": f"model_status is {highs.modelStatusToString(model_status)}; primal_status is "
                               f"{highs.solutionStatusToString(info.primal_solution_status)}"})
        return res
    res.update({"status": model_status, "message": highs.modelStatusToString(model_status),
                "x": np.array(highs.getSolution().col_value), "fun": info.objective_function_value})
    if is_mip:
        res.update({"mip_node_count": info.mip_node_count, "mip_dual_bound": info.mip_dual_bound,
                    "mip_gap": info.mip_gap})
    return res


#: Simplex iterations the LP relaxation of :func:`_lp_first` may take before the MIP solve takes over
#: (an estimate, from the measurements in :func:`_lp_first`: from the week's optimum a price case's LP took
#: 95-313 iterations where it proved the case, 9166 where it did not).
LP_FIRST_ITERATIONS = 1000


def _lp_first(c, indptr, indices, data, lhs, rhs, lb, ub, integrality, options, start) -> dict | None:
    """The MILP's LP relaxation solved from ``start`` by primal simplex; its optimum if integral, else the
    optimum with the integer columns rounded and fixed, if that is within ``mip_rel_gap`` of the LP bound.
    None (the MIP solve then) when the start does not fit (another length), the LP stops at
    :data:`LP_FIRST_ITERATIONS` or is not optimal, or no solution within the gap comes of it.

    HiGHS's MIP solver ignores a basis set before it (``setBasis``: its root LP starts from the slack
    basis), and gives none after it; an LP given a primal solution and no basis starts from a basis HiGHS
    builds from that solution. Where only the costs differ (the off-peak notebook's price-spread cases, started
    from the week's optimum) that basis stays primal feasible and primal simplex takes a few hundred
    iterations against the MIP's root LP's thousands. Measured on the notebook's own models of the four example
    sites (recorded from its solves; HiGHS 1.12 in scipy 1.17.1, presolve off, one thread, ``time.thread_time``,
    least of 3 repeats, 2026-12-08): the 3 price-spread cases' HiGHS time 7.46 s -> 1.44 s (Research Triangle
    2.11 -> 1.27 s: two proven by the LP and a rounding, 0.08 and 0.11 s against 0.57 and 0.66 s; twice the spread's
    LP stops at 1000 iterations, +0.19 s, and the MIP solves it; Northern Virginia 3.96 -> 0.06 s, Phoenix
    0.23 -> 0.06 s, Chicago 1.16 -> 0.06 s), all 7 sensitivity cases' 8.93 -> 2.91 s; objectives within 1.4e-6
    of the MIP's, gaps at most 2.0e-6 (1e-3 asked). The week's LP basis given to the MIP (``setBasis``): the
    same root LP iterations as without (Research Triangle 4370, 4771, 8069).
    """
    n = c.size
    start = np.asarray(start, float)
    ints = np.flatnonzero(integrality)
    if start.shape != (n,) or not np.isfinite(start).all() or ints.size == 0:
        return None
    highs = _h._Highs()
    if _pass_options(highs, options, simplex_strategy=4, presolve="off",
                     simplex_iteration_limit=LP_FIRST_ITERATIONS) == _h.HighsStatus.kError:
        return None
    if _pass_model(highs, c, indptr, indices, data, lhs, rhs, lb, ub, np.zeros_like(integrality)) \
            == _h.HighsStatus.kError:
        return None
    sol = _h.HighsSolution()
    sol.col_value = start
    sol.value_valid = True
    if highs.setSolution(sol) == _h.HighsStatus.kError or highs.run() == _h.HighsStatus.kError \
            or highs.getModelStatus() != _h.HighsModelStatus.kOptimal:
        return None
    bound = highs.getInfo().objective_function_value
    x = np.array(highs.getSolution().col_value)
    tol = highs.getOptions().mip_feasibility_tolerance
    if np.max(np.abs(x[ints] - np.round(x[ints]))) > tol:  # round and fix the integer columns, re-solve
        v = np.clip(np.round(x[ints]), np.ceil(lb[ints] - tol), np.floor(ub[ints] + tol))
        highs.setOptionValue("simplex_strategy", 1)
        if highs.changeColsBounds(ints.size, ints.astype(np.int32), v, v) == _h.HighsStatus.kError \
                or highs.run() == _h.HighsStatus.kError or highs.getModelStatus() != _h.HighsModelStatus.kOptimal:
            return None
        x = np.array(highs.getSolution().col_value)
    fun = highs.getInfo().objective_function_value
    gap = 0.0 if fun == bound else abs(fun - bound) / max(abs(fun), 1e-300)
    if gap > highs.getOptions().mip_rel_gap:  # the gap HiGHS's MIP would stop at (its default where none given)
        return None
    ok = _h.HighsModelStatus.kOptimal
    return {"status": ok, "message": highs.modelStatusToString(ok), "x": x, "fun": fun, "mip_node_count": 0,
            "mip_dual_bound": bound, "mip_gap": gap}


def _pass_options(highs, options, **extra):
    """Pass ``options`` to ``highs`` as scipy's ``_highs_wrapper`` does (filtered, checked, warned of), then
    ``extra`` (HiGHS options of this module's own, passed as they are); HiGHS's status of ``passOptions``."""
    highs_options = _h.HighsOptions()
    manager = _hopt.HighsOptionsManager()
    for key, val in options.items():  # as the wrapper: filtered, checked, warned of
        if val is None or key in ("sense",):
            continue
        opt_type = manager.get_option_type(key)
        if opt_type == -1:
            warnings.warn(f"Unrecognized options detected: {dict({key: val})}", OptimizeWarning, stacklevel=4)
            continue
        if key in ("presolve", "parallel"):
            if isinstance(val, bool):
                val = "on" if val else "off"
            else:
                warnings.warn(f'Option f"{key}" is "{val}", but only True or False is allowed. Using default.',
                              OptimizeWarning, stacklevel=4)
                continue
        opt_type = _h.HighsOptionType(opt_type)
        status, msg = _check_option(highs, key, val)
        if opt_type == _h.HighsOptionType.kBool and not isinstance(val, bool):
            warnings.warn(f'Option f"{key}" is "{val}", but only True or False is allowed. Using default.',
                          OptimizeWarning, stacklevel=4)
            continue
        if status != 0:
            warnings.warn(msg, OptimizeWarning, stacklevel=4)
        else:
            setattr(highs_options, key, val)
    for key, val in extra.items():
        setattr(highs_options, key, val)
    return highs.passOptions(highs_options)


def _pass_model(highs, c, indptr, indices, data, lhs, rhs, lb, ub, integrality):
    """``highs.passModel`` of the model the wrapper passes, as arrays.

    HiGHS's ``passModel(num_col, num_row, num_nz, a_format, sense, offset, col_cost, col_lower, col_upper,
    row_lower, row_upper, a_start, a_index, a_value, integrality)`` copies them into the same ``HighsLp`` the wrapper
    builds field by field (column-wise matrix, minimise, no offset, every column's integrality: ``_milp_iv`` gives
    one per column, and HiGHS, as the wrapper, sets none for a model of no column). The wrapper's field by field
    conversion to C++ vectors cost ~2.9 ms a model of an hourly rolling window (7 k columns, 19 k nonzeros), against
    0.3 ms here. ``tests/test_schedule_highs.py`` compares the model HiGHS holds with the wrapper's, field by field.
    A binding without that overload (another scipy) gets the wrapper's ``HighsLp``.
    """
    try:
        return highs.passModel(c.size, rhs.size, data.size, int(_h.MatrixFormat.kColwise),
                               int(_h.ObjSense.kMinimize), 0.0, c, lb, ub, lhs, rhs, indptr, indices, data,
                               integrality.astype(np.int32))
    except TypeError:  # pragma: no cover - no such overload: the wrapper's way
        return highs.passModel(_wrapper_lp(c, indptr, indices, data, lhs, rhs, lb, ub, integrality))


def _wrapper_lp(c, indptr, indices, data, lhs, rhs, lb, ub, integrality):
    """The ``HighsLp`` scipy's ``_highs_wrapper`` builds, field by field."""
    numcol, numrow = c.size, rhs.size
    lp = _h.HighsLp()
    lp.num_col_ = numcol
    lp.num_row_ = numrow
    lp.a_matrix_.num_col_ = numcol
    lp.a_matrix_.num_row_ = numrow
    lp.a_matrix_.format_ = _h.MatrixFormat.kColwise
    lp.col_cost_ = c
    lp.col_lower_ = lb
    lp.col_upper_ = ub
    lp.row_lower_ = lhs
    lp.row_upper_ = rhs
    lp.a_matrix_.start_ = indptr
    lp.a_matrix_.index_ = indices
    lp.a_matrix_.value_ = data
    if integrality.size > 0:
        kinds = {int(i): _h.HighsVarType(int(i)) for i in np.unique(integrality)}  # one enum per kind, not per column
        lp.integrality_ = [kinds[i] for i in integrality.tolist()]
    return lp
