"""The interconnection notebook's check before any run (``dcplan render``'s precheck, :func:`precheck`).

A system-load CSV given with ``-p system_load_csv`` is read as the notebook reads it
(:func:`dcplan.grid_headroom.read_system_load_csv`) before any run, so a bad file is bad input (exit 2) naming
the file, the parameter and the problem, instead of a failed run that loses the notebook's other sections (the
time to power, the ramp, the cost of waiting) after its cells ran.
"""
from __future__ import annotations

import functools
import warnings
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from .errors import DcplanWarning, InputError

__all__ = ["precheck"]


@functools.lru_cache(maxsize=8)
def _check_file(path: str, mtime_ns: int, size: int) -> None:
    """The file read as the notebook reads it (its InputError raised); cached by path, mtime and size: render
    prechecks every site's run with the same -p value."""
    from .grid_headroom import read_system_load_csv
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DcplanWarning)  # said by the run, in its report
        read_system_load_csv(path)


def precheck(params: Mapping[str, Any], site, given) -> None:
    """``dcplan render``'s check before any run: ``-p system_load_csv`` (``given``, the ``-p`` names) read as the
    notebook reads it; its errors raised as ``-p system_load_csv``, naming the file. The notebook's default
    (empty: the bundled synthetic series) is left to the run; so are the reader's warnings (a series shorter than
    a year), which the run's report carries."""
    if "system_load_csv" not in set(given):
        return None
    path = str(params.get("system_load_csv") or "").strip()
    if not path or not Path(path).is_file():  # a name render has not found: its own error says where it looked
        return None
    try:
        st = Path(path).stat()
        _check_file(path, st.st_mtime_ns, st.st_size)  # once per file and version, not once per site
    except InputError as e:
        raise InputError(e.detail, file=e.file or path, field=f"-p system_load_csv: {e.field}" if e.field and
                         e.field != "system_load_csv" else "-p system_load_csv") from None
    return None
