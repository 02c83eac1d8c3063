"""``electrical:`` section: the transformer, UPS and PDU chain between the utility meter and the IT load.

Optional. Left out, a site has dcplan's default chain (:data:`dcplan.power.DEFAULT_CHAIN`: a
transformer PDU, a double-conversion UPS sized 2N, an MV/LV transformer; coefficients dcplan
estimates after Schneider Electric WP108, :data:`dcplan.power.ELECTRICAL_STAGES`), as every
bundled site does. Example, a hall with transformerless PDUs and the site's own UPS curve::

    electrical:
      chain:                 # from the IT load up to the utility meter
        - {a: 0.006, b: 0.004, c: 0.005, oversize: 2.0}   # the UPS, 2N
        - transformer
      source: "Vendor X UPS datasheet, model Y, rev 3 (2025): efficiency at 25/50/75/100 % load"
"""
from __future__ import annotations

from typing import Annotated, Any

from pydantic import Field, WrapValidator, field_validator, model_validator

from ..errors import InputError
from ._base import FrozenDict, FrozenList, SourceText, Spec, frozen_list

#: :data:`dcplan.power.DEFAULT_CHAIN` and the names of :data:`dcplan.power.ELECTRICAL_STAGES`,
#: written here so that loading a site file does not import numpy and pandas (dcplan.power);
#: tests/test_electrical_chain.py checks they are the same.
_DEFAULT_CHAIN = ("pdu", "ups", "transformer")
_STAGE_NAMES = ("transformer", "ups", "pdu")


def _stage_item(v: Any, handler):
    """One item of ``chain``: a stage name or a dict of loss coefficients
    (:func:`dcplan.power_electrical.check_stage`), the dict kept read-only; a problem is a
    ValueError naming the item's key (``a: ...``) when it is one key's. (A wrap validator that
    does not call pydantic's own: the annotation says what a planner writes, this checks it.)"""
    from ..power_electrical import check_stage  # (numpy and pandas: not when the module loads)
    try:
        out = check_stage(dict(v) if isinstance(v, dict) else v)
    except InputError as e:
        key = (e.field or "").partition(".")[2]
        if key == "oversize":  # not a positive number: said with the site file's bound, not rated_kw's
            raise ValueError(_oversize_problem(v["oversize"])) from None
        raise ValueError(f"{key}: {e.detail}" if key else e.detail) from None
    if isinstance(out, dict) and not OVERSIZE_RANGE[0] <= out["oversize"] <= OVERSIZE_RANGE[1]:
        raise ValueError(_oversize_problem(v["oversize"]))
    return FrozenDict(out, "electrical.chain[]") if isinstance(out, dict) else out


#: The capacity over the design IT a stage given as coefficients may have in a site file, as
#: ``ups_oversize``: below 1 the stage is rated below the design IT, so at full design IT it runs above
#: its capacity (0.5 ran the stage at twice its rating and every notebook failed); 4 = ups_oversize's top.
OVERSIZE_RANGE = (1.0, 4.0)


def _oversize_problem(value) -> str:
    """The problem with a stage's ``oversize`` outside :data:`OVERSIZE_RANGE`, for ``chain[i].oversize``."""
    lo, hi = OVERSIZE_RANGE
    return (f"oversize: {value!r} is not a number from {lo:g} to {hi:g}; allowed: {lo:g} to {hi:g}, the stage's "
            f"capacity over the design IT, as ups_oversize (1: sized to the design IT, 2: a 2N UPS); a stage rated below the "
            "design IT is overloaded at full design IT")


#: One stage of ``chain``: a name or a mapping of loss coefficients (:func:`_stage_item`).
Stage = Annotated[str | dict[str, float], WrapValidator(_stage_item)]


class ElectricalSpec(Spec):
    """The electrical chain between the utility meter and the IT load, stage by stage from the IT load up."""

    chain: list[Stage] = Field(
        default_factory=lambda: FrozenList(_DEFAULT_CHAIN, "electrical.chain"),
        min_length=1,
        description="stages from the IT load up to the utility meter, each a name ("
                    + ", ".join(_STAGE_NAMES) + ": dcplan estimates after Schneider Electric WP108, "
                    "dcplan.power.ELECTRICAL_STAGES) or a mapping {a, b, c, oversize} of the stage's loss "
                    "coefficients: at load fraction x of its capacity (oversize x design IT, default 1) it loses "
                    "capacity x (a + b x + c x^2); each of a, b, c 0 to 0.2 (a loss, not an efficiency: a 97 % "
                    "efficient stage loses about 0.03); needs source")
    source: SourceText = Field(
        "", description="where the coefficients of the stages given as mappings come from (a vendor's datasheet: "
                        "vendor, model, document, date); required when a stage is a mapping (one line, at most "
                        "1000 characters)")
    ups_oversize: float | None = Field(
        None, ge=1.0, le=4.0,
        description="capacity of the 'ups' stage over the design IT: 2 for 2N (the default, "
                    "dcplan.power.ELECTRICAL_STAGES), 1 for N; needs a stage named ups in chain")

    @field_validator("chain", mode="before")
    @classmethod
    def _not_empty(cls, v):
        if isinstance(v, (list, tuple)) and not v:
            raise ValueError("[] has no stage; allowed: give at least one stage (a name: "
                             + ", ".join(_STAGE_NAMES) + ", or a mapping {a, b, c, oversize}), or leave "
                             "electrical: out for the default chain (" + ", ".join(_DEFAULT_CHAIN) + ")")
        return v

    @field_validator("chain")
    @classmethod
    def _frozen(cls, v):
        return frozen_list("electrical.chain")(v)

    @model_validator(mode="after")
    def _source_for_coefficients(self):
        given = [i for i, st in enumerate(self.chain) if isinstance(st, dict)]
        if given and not self.source.strip():
            raise ValueError(f"source: required when a stage of chain is given as loss coefficients (chain[{given[0]}]"
                             f"{' and ' + str(len(given) - 1) + ' more' if len(given) > 1 else ''}); allowed: one line "
                             "saying where the curve comes from, e.g. the vendor's datasheet (vendor, model, "
                             "document, date)")
        return self

    @model_validator(mode="after")
    def _ups_oversize_needs_a_ups(self):
        if self.ups_oversize is not None and "ups" not in self.chain:
            raise ValueError(f"ups_oversize: {self.ups_oversize:g} is given, but chain has no stage named 'ups' to "
                             "size; allowed: leave ups_oversize out, or name 'ups' in chain (a UPS given as "
                             "coefficients takes its own oversize)")
        return self

    def stages(self) -> tuple:
        """The chain as :func:`dcplan.power.electrical_losses_kw` takes it (``ups_oversize`` applied)."""
        from ..power_electrical import resolve_chain
        return resolve_chain(tuple(self.chain), self.ups_oversize)

    def text(self) -> str:
        """The chain in words for a report (:func:`dcplan.power_electrical.chain_text`): each stage,
        its capacity (``UPS at 2 x design IT (2N)``), its efficiency at 50 % and 100 % of it, and
        where the coefficients come from."""
        from ..power_electrical import chain_text
        return chain_text(tuple(self.chain), self.source, self.ups_oversize)

    @property
    def is_default(self) -> bool:
        """True when the chain is dcplan's default (:data:`dcplan.power.DEFAULT_CHAIN`)."""
        return self.stages() == _DEFAULT_CHAIN
