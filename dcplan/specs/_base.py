"""Base class of every spec: frozen, strict types, unknown keys are errors."""
from __future__ import annotations

from pydantic import BaseModel, ConfigDict


class Spec(BaseModel):
    """Frozen pydantic model; a typo'd key is an error (``dcplan.site`` adds "did you mean")."""

    model_config = ConfigDict(frozen=True, extra="forbid", strict=True)
