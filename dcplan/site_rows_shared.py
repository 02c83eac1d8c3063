"""A render's site rows (:func:`dcplan.portfolio_compare.site_row`), shared between its runs' kernels.

``site_analysis`` ranks its site among the portfolio's other sites, so each of its runs models every
peer's year again (:func:`dcplan.pipeline.run_site_year`, 0.3-0.6 s a site): a portfolio of N sites
modelled N x (N - 1) peer years, 12 for the bundled 4 sites and 380 for 20, and ``portfolio_comparison``
modelled all N once more. ``dcplan render`` sets :data:`SHARED_DIR_ENV` for its kernels (a private folder
beside the shared weather, removed with the render's scratch): a row modelled once is read back by the
render's other runs instead of modelled again, with the warnings its modelling raised, issued again as if
it had been (so each run's report still carries its peers' warnings, named as theirs by
:func:`dcplan.peer_warnings.as_peer`).

* **Key**: the site as modelled (its spec's JSON: every field, with the run's overrides applied), the
  throughput asked, the date taken as today, whether ``DCPLAN_TODAY`` gave it and the machine's date (the ``as_of``
  bound's and the time-zone checks' year: :func:`dcplan.plan_dates.today_state`,
  as a sweep fixes it: :func:`dcplan.plan_dates.fixed_today`; a site's months waited for power are counted to it, and
  ``DCPLAN_TODAY`` wins over its ``as_of``), and each file the site names (its YAML, weather, tariff and
  the tariff's price files, a measured load: resolved path, modification time and size, as
  :func:`dcplan.site_files.site_input_files` lists them), and the bundled catalogs (``data/*.csv``: hardware,
  costs, cooling defaults, ...; modification time and size): an edited file is modelled again.
* **Not shared**: outside a render (JupyterLab, a script) the variable is unset and every row is modelled; a
  folder another user could write to is not read (rows are unpickled from it); a row whose modelling raised
  (a warning turned into an error too) is not kept.
* **Writes** go to a temporary file renamed into place (:mod:`dcplan._render_shared`, as the shared weather): a
  reader sees a whole row or none; any failure to keep one only means the next run models it again.
"""
from __future__ import annotations

import hashlib
import warnings
from pathlib import Path

from . import paths
from ._render_shared import folder, get, put
from .plan_dates import today_state
from .site_files import site_input_files

__all__ = ["SHARED_DIR_ENV", "shared_row"]

#: Environment variable naming the folder where a render's kernels share site rows (set by
#: :func:`dcplan.report_execute._execute`; unset: no sharing).
SHARED_DIR_ENV = "DCPLAN_SITE_ROWS_SHARED_DIR"
_FORMAT = 4  # bumped when what is kept changes (2: rows carry electricity_escalation_frac; 3: time_to_power_given;
#            4: time_to_power_median_unconditioned_months)


def _files(s) -> list:
    out = []
    for role, f in sorted(site_input_files(s).items()):
        if f is None:
            out.append((role, None))
            continue
        p = Path(f).resolve()
        st = p.stat()
        out.append((role, str(p), st.st_mtime_ns, st.st_size))
    for p in sorted(paths.data_dir().glob("*.csv")):  # the catalogs every site's model reads
        st = p.stat()
        out.append(("data", p.name, st.st_mtime_ns, st.st_size))
    return out


def _path(s, tokens_per_s_per_accelerator: float) -> Path | None:
    """Where the row of ``s`` is kept, or None when rows are not shared (module docstring)."""
    where = folder(SHARED_DIR_ENV)  # rows are unpickled from there: only a private folder
    if where is None:
        return None
    try:
        key = repr((_FORMAT, s.model_dump_json(), float(tokens_per_s_per_accelerator), _files(s), today_state()))
    except Exception:  # noqa: BLE001 - a file gone, a spec that will not dump: model it (and fail there)
        return None
    return where / (hashlib.sha256(key.encode()).hexdigest()[:32] + ".pkl")


def _get(path: Path):
    kept = get(path)
    ok = isinstance(kept, tuple) and len(kept) == 2 and isinstance(kept[0], dict) and isinstance(kept[1], list)
    return kept if ok else None


def _issue(caught: list) -> None:
    for message, category, filename, lineno in caught:
        warnings.warn_explicit(message, category, filename, lineno)


def shared_row(s, tokens_per_s_per_accelerator: float, model) -> dict:
    """``model()`` (the row of site ``s`` at ``tokens_per_s_per_accelerator``), read back when another run of the
    render modelled it already, else modelled and kept (module docstring). The warnings ``model()`` raised are
    issued again on each read, in their order, with their category, text and place."""
    path = _path(s, tokens_per_s_per_accelerator)
    kept = None if path is None else _get(path)
    if kept is not None:
        row, caught = kept
        _issue(caught)
        return row
    if path is None:
        return model()
    with warnings.catch_warnings(record=True) as ws:  # the caller's filters still apply ("error" raises here)
        row = model()
    caught = [(str(w.message), w.category, w.filename, w.lineno) for w in ws]
    _issue(caught)
    put(path, (row, caught))  # atomic: a reader sees the whole row or none
    return row
