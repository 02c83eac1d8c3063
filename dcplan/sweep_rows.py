"""A sweep's rows (part of :mod:`dcplan.sweep`): one per case, its id, site, axis values, the case function's
figures and the engine's columns, and the frame of them in column order."""
from __future__ import annotations

import json
from typing import Any

import pandas as pd

from .errors import InputError
from .sweep_spec import Case


def _cell(v: Any) -> Any:
    """Axis values that are sections or lists are stored as JSON text (one type per column)."""
    return json.dumps(v, sort_keys=True, default=str) if isinstance(v, (dict, list, tuple)) else v


def _row(case: Case, res: dict) -> dict:
    """A case's row: its id, site, axis values, the case function's figures and the engine's
    columns; a row with ``pv_mwh`` (the PV modelled, a failed row's too) gets the tilt and azimuth that PV used
    right after it (:func:`dcplan.sweep_overrides.pv_orientation_columns`: ``pv_tilt_deg``,
    ``pv_azimuth_deg`` and, when a ``solar.tracking`` override dropped the site file's
    orientation, ``pv_orientation_note``)."""
    row = {"case_id": case.case_id, "site": case.site_id,
           **{k: _cell(v) for k, v in case.axis_values.items()},
           **({} if case.draws is None else {"draws": case.draws})}
    # (a failed case's row with the PV modelled too: one whose later part failed keeps the figures before it,
    # dcplan.sweep_worker.keep_figures)
    pv = _pv_columns(case) if "pv_mwh" in res else {}
    for k, v in res.items():
        row[k] = v
        if k == "pv_mwh":
            row.update(pv)
    row["overrides_json"] = json.dumps(case.overrides, sort_keys=True, default=str)
    return row


def _pv_columns(case: Case) -> dict:
    """:func:`dcplan.sweep_overrides.pv_orientation_columns` of a case that ran ({} if they cannot
    be had: a case function that overrides on its own)."""
    from .sweep_overrides import pv_orientation_columns
    try:
        return pv_orientation_columns(case.site, case.overrides, case.base_dir)
    except InputError:
        return {}


def _frame(rows: list[dict], axis_names: list[str]) -> pd.DataFrame:
    df = pd.DataFrame(rows)
    if df.empty:
        return pd.DataFrame(columns=["case_id", "site", *axis_names, "status", "error"])
    head = ["case_id", "site", *[a for a in axis_names if a in df.columns], "status", "error"]
    tail = [c for c in ("seconds", "cpu_s", "worker", "overrides_json") if c in df.columns]
    figs = [c for c in df.columns if c not in head and c not in tail]
    if "pv_orientation_note" in figs and "pv_azimuth_deg" in figs:  # beside the orientation it explains
        figs.remove("pv_orientation_note")
        figs.insert(figs.index("pv_azimuth_deg") + 1, "pv_orientation_note")
    return df[head + figs + tail]
