"""A ``dcplan bill`` load CSV's timestamps named as the file writes them, for ``dcplan validate``.

:func:`dcplan.validate` may read a load on the UTC clock (offsets that change at DST, no
``--tz``); its problems still name each stamp on the file's own offset and by its row, as
the reader's own errors do (``row 302: value 'ERR'``), so the user finds them in the file.
"""
from __future__ import annotations

from typing import Callable

import numpy as np
import pandas as pd

from ._ts import duration_text


def as_written(file: str, s) -> Callable[..., str]:
    """``at(i)``: the ``i``-th stamp of the load ``s`` read from ``file`` as the file writes it (on
    its own UTC offset, not the UTC clock validate may read it on), ``row=True`` with its row as
    the load reader counts them (header = 1, as "row 302: value 'ERR'"); ``s.index[i]`` when the
    file's first column cannot be matched to ``s``."""
    try:
        raw = pd.read_csv(file, usecols=[0], dtype=str).iloc[:, 0].str.strip().tolist()
    except (ValueError, OSError, pd.errors.ParserError):
        raw = []

    def at(i: int, row: bool = True) -> str:
        if len(raw) != len(s):
            return str(s.index[i])
        try:
            stamp = str(pd.Timestamp(raw[i]))
        except (ValueError, TypeError):
            stamp = repr(raw[i])
        return f"{stamp} (row {i + 2})" if row else stamp
    return at


def irregularity_at(idx, at: Callable[[int], str]) -> str | None:
    """:func:`dcplan._ts.irregularity`'s first problem of ``idx``, its stamps named by ``at``."""
    if idx.has_duplicates:
        i = int(np.argmax(idx.duplicated()))
        j = int(np.argmax(idx == idx[i]))
        return f"duplicate timestamp {at(i)}, the same instant as {at(j)}"
    d = np.diff(idx.as_unit("ns").asi8)  # [ns], as duration_text reads them
    if (d <= 0).any():
        i = int(np.argmax(d <= 0))
        return f"timestamps not increasing at {at(i + 1)} (after {at(i)})"
    if len(d) and (d != d[0]).any():
        i = int(np.argmax(d != d[0]))
        return (f"irregular step at {at(i + 1)}: {duration_text(d[i])} after {at(i)} where the "
                f"step is {duration_text(d[0])} (gap or missing rows)")
    return None
