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

    def _render_traceback_(self) -> list[str]:
        """What IPython (JupyterLab, papermill's kernel) shows for this error instead of a traceback: the
        message alone, ``InputError: <file>: <field>: <message>``, one line per line of the message.

        The message names the file, field, value and what is allowed; the 11-27 lines of dcplan frames
        above it said nothing more to someone who gave a bad value, as ``dcplan`` on the command line
        prints the one line without ``--debug``. The traceback is still kept on the exception (``%debug``
        steps into it; ``import sys, traceback; traceback.print_exception(sys.last_value)`` prints it);
        papermill and ``dcplan render`` report the error's name and value, as before.

        >>> InputError("must be in [0, 1], got 1.5", field="cap_tdp_frac")._render_traceback_()
        ['InputError: cap_tdp_frac: must be in [0, 1], got 1.5']
        """
        return f"{type(self).__name__}: {self}".splitlines() or [type(self).__name__]


class DcplanWarning(UserWarning):
    """A result is degraded but usable (tests turn these into errors)."""


def user_stacklevel() -> int:
    """The ``stacklevel`` for a ``warnings.warn`` in the calling function that points at the first
    frame outside the dcplan package: the user's line (their script, notebook or test), however deep
    in dcplan the warning is raised (``Tariff.from_urdb`` -> ``tariff_urdb.parse_item``: 3; the
    ``site`` pipeline: more). Python 3.12's ``skip_file_prefixes`` does this; dcplan supports 3.11."""
    import os
    import sys
    pkg = os.path.dirname(os.path.abspath(__file__)) + os.sep
    f, level = sys._getframe(1), 1  # the function that calls warnings.warn: stacklevel 1
    while f is not None and os.path.abspath(f.f_code.co_filename).startswith(pkg):
        f, level = f.f_back, level + 1
    return level
