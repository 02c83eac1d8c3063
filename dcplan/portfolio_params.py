"""The portfolio-comparison notebook's parameters: the check that involves them together.

Each ``weight_*`` parameter alone may be 0 (its rule in the notebook's metadata); the score needs
their sum above 0. Used twice from one source: by ``dcplan render`` before any run
(:func:`precheck`, named in the notebook's metadata ``dcplan.precheck``), so ``-p weight_cost 0 ...``
with every weight 0 is bad input (exit 2) naming the parameters, and by the notebook itself
(:func:`check_weights`), for a papermill or JupyterLab run. Imports nothing heavy (render's own
process calls it).
"""
from __future__ import annotations

from typing import Any, Mapping

from .errors import InputError

__all__ = ["WEIGHT_PARAMETERS", "check_weights", "precheck"]

#: The notebook's weight parameters, in the order it declares them.
WEIGHT_PARAMETERS = ("weight_cost", "weight_time_to_power", "weight_pue", "weight_carbon", "weight_derate",
                     "weight_water")


def check_weights(params: Mapping[str, Any]) -> None:
    """InputError naming the weight parameters when they sum to 0 (each is >= 0 by its rule)."""
    given = {k: params[k] for k in WEIGHT_PARAMETERS if k in params}
    if given and not sum(float(v) for v in given.values()) > 0:
        raise InputError(f"every weight is 0 ({', '.join(f'{k} {float(v):g}' for k, v in given.items())}), so nothing "
                         "is scored; allowed: weights >= 0 with at least one above 0", field=next(iter(given)))


def precheck(params: Mapping[str, Any], site, given) -> None:
    """``dcplan render``'s check before any run: the weights as the run would get them (defaults
    and ``-p`` values), when a ``-p weight_*`` was given."""
    if set(given) & set(WEIGHT_PARAMETERS):
        try:
            check_weights(params)
        except InputError as e:
            raise InputError(e.detail, field="-p " + sorted(set(given) & set(WEIGHT_PARAMETERS))[0]) from None
