"""Base class of every spec: frozen, strict types, finite numbers, unknown keys are errors."""
from __future__ import annotations

from pydantic import BaseModel, ConfigDict


class Spec(BaseModel):
    """Frozen pydantic model; a typo'd key is an error (``dcplan.site`` adds "did you mean").

    Numbers must be finite: YAML's ``.inf``/``.nan`` would pass every lower bound
    (``requested_mw: .inf`` is "> 0") and fail, or mislead, only deep in a model.
    """

    model_config = ConfigDict(frozen=True, extra="forbid", strict=True, allow_inf_nan=False)
