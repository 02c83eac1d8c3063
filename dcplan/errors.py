"""Exception and warning types shared by all dcplan modules.

Every error raised for bad input names the file (when there is one), the field,
the offending value and what is allowed, so the command line can print it as one
line and exit with code 2.
"""
from __future__ import annotations


class DcplanError(Exception):
    """Base class of dcplan's domain errors."""


class InputError(DcplanError, ValueError):
    """Bad input: a file, field or value that is not allowed.

    Parameters
    ----------
    message : str
        What is wrong and what is allowed.
    file : str, optional
        Path of the file the value came from.
    field : str, optional
        Dotted field path (``fleet.phases[0].count``).
    """

    def __init__(self, message: str, *, file: str | None = None, field: str | None = None):
        self.file = None if file is None else str(file)
        self.field = field
        self.detail = message
        prefix = ""
        if self.file:
            prefix += f"{self.file}: "
        if field:
            prefix += f"{field}: "
        super().__init__(prefix + message)


class DcplanWarning(UserWarning):
    """A result is degraded but usable (tests turn these into errors)."""
