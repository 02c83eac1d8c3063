"""Base class of every spec: frozen, strict types, finite numbers, unknown keys are errors."""
from __future__ import annotations

import datetime as dt
import re
from typing import Annotated

from pydantic import BaseModel, BeforeValidator, ConfigDict

_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


def _iso_date(v):
    """``'2026-10-01'`` (a quoted YAML date, a JSON or command-line string) as that date:
    strict mode takes only date objects, and said a valid ISO date was not one."""
    if isinstance(v, str) and _ISO_DATE.fullmatch(v.strip()):
        try:
            return dt.date.fromisoformat(v.strip())
        except ValueError:
            raise ValueError(f"{v!r} is not a calendar date") from None
    return v


#: A date field: a date (an unquoted YAML date) or an ISO 8601 ``YYYY-MM-DD`` string.
Date = Annotated[dt.date, BeforeValidator(_iso_date)]


class Spec(BaseModel):
    """Frozen pydantic model; a typo'd key is an error (``dcplan.site`` adds "did you mean").

    Numbers must be finite: YAML's ``.inf``/``.nan`` would pass every lower bound
    (``requested_mw: .inf`` is "> 0") and fail, or mislead, only deep in a model.
    """

    model_config = ConfigDict(frozen=True, extra="forbid", strict=True, allow_inf_nan=False)
