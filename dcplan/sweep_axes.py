"""The axes of a sweep (:mod:`dcplan.sweep_spec`): a list of values or a range ``min``..``max``
in ``steps``, read from the spec's ``axes:`` mapping and checked value by value before a sweep
runs (:class:`Axis`, re-exported by :mod:`dcplan.sweep_spec`)."""
from __future__ import annotations

import dataclasses
import json
import math
import re
from typing import Any

import numpy as np

from ._ts import did_you_mean
from .errors import InputError

__all__ = ["Axis", "MAX_CHECKED_STEPS", "shown", "nested_axes", "layout_axis_warnings"]


def shown(value: Any) -> str:
    """A spec value as an error names it: ``repr``, but a date as the file writes it (``2024-01-01``, not
    ``datetime.date(2024, 1, 1)``: YAML reads an unquoted date as a date)."""
    import datetime
    return value.isoformat() if isinstance(value, datetime.date) else repr(value)

#: Values of a range axis checked one by one before a sweep runs, at most (see
#: :meth:`Axis.check_values`).
MAX_CHECKED_STEPS = 2000


@dataclasses.dataclass(frozen=True)
class Axis:
    """One swept parameter: a list of ``values``, or a range ``low``..``high``.

    A range takes ``steps`` evenly spaced values (``numpy.linspace``) in grid mode
    (integer bounds give integer values when every step is whole) and uniform draws in
    sample mode: whole numbers for a whole-number field (``fleet.phases[0].count``), real
    numbers for a real-valued one (``solar.dc_ac_ratio``), whatever the bounds' spelling
    (``whole``, from the site schema: :func:`field_is_whole`; ``None``, a field of neither
    type or unknown: by the bounds, integers when both are).
    """

    name: str
    values: tuple = ()
    low: float | None = None
    high: float | None = None
    steps: int | None = None
    #: The field takes whole numbers (True), real numbers (False), or unknown (None).
    whole: bool | None = None

    @property
    def is_range(self) -> bool:
        return self.low is not None

    @property
    def integer(self) -> bool:
        """Both bounds written as integers (grid mode's rule for integer values)."""
        return isinstance(self.low, int) and isinstance(self.high, int)

    @property
    def draws_whole(self) -> bool:
        """Sample mode draws whole numbers: the field's type decides (:attr:`whole`), the
        bounds only when it is unknown."""
        return self.integer if self.whole is None else self.whole

    def whole_bounds(self) -> tuple[int, int]:
        """The whole numbers a whole-number draw ranges over: ``ceil(min)``..``floor(max)``."""
        return math.ceil(self.low), math.floor(self.high)

    def grid_values(self) -> list:
        if not self.is_range:
            return list(self.values)
        v = np.linspace(self.low, self.high, self.steps)
        if self.integer and np.allclose(v, np.round(v)):
            return [int(round(x)) for x in v]
        return [float(x) for x in v]

    def at(self, u: float) -> Any:
        """The value at quantile ``u`` in [0, 1) (sample mode)."""
        if not self.is_range:
            return self.values[min(int(u * len(self.values)), len(self.values) - 1)]
        if self.draws_whole:
            lo, hi = self.whole_bounds()
            return int(min(lo + math.floor(u * (hi - lo + 1)), hi))
        return float(self.low + u * (self.high - self.low))

    def check_values(self, grid: bool = False) -> list:
        """Values to validate against the base site before running: every value of a
        list, and of a range in grid mode (``steps`` may give non-integer values, which an
        integer field refuses) up to :data:`MAX_CHECKED_STEPS` steps, beyond that its bounds
        and that many values spread evenly over it (a spec's limits are ranges, so the
        values between two valid ones are valid; checking a million steps one by one took
        minutes); a range's bounds in sample mode."""
        if not self.is_range:
            return list(self.values)
        bounds = [self.low, self.high]
        if grid and self.steps is not None:  # the bounds first: their errors are the clearest
            if self.steps <= MAX_CHECKED_STEPS:
                vals = self.grid_values()
            else:  # the spread values alone (a sweep too large to run still has its values checked)
                at = np.linspace(0, self.steps - 1, MAX_CHECKED_STEPS).round()
                vals = [float(x) for x in self.low + at * ((self.high - self.low) / (self.steps - 1))]
                if self._whole_steps():
                    vals = [int(round(x)) for x in vals]
            return bounds + [v for v in vals if v not in bounds]
        if self.draws_whole:  # the lowest and highest draws
            return list(dict.fromkeys(self.whole_bounds()))
        return bounds

    def _whole_steps(self) -> bool:
        """An integer range whose grid values are whole numbers (as :meth:`grid_values` gives
        them), told from the step without building the grid."""
        if not (self.is_range and self.integer and self.steps):
            return False
        if self.steps <= MAX_CHECKED_STEPS:
            return all(isinstance(v, int) for v in self.grid_values())
        step = (self.high - self.low) / (self.steps - 1)
        return math.isclose(step, round(step), rel_tol=0.0, abs_tol=1e-9)

    def grid_hint(self) -> str:
        """Why integer bounds gave non-integer grid values ('' when they did not)."""
        if not (self.is_range and self.integer and self.steps and self.steps > 1):
            return ""
        if self._whole_steps():
            return ""
        return (f"; min {self.low} to max {self.high} in {self.steps} steps is not whole numbers: "
                "choose steps so that (max - min) / (steps - 1) is whole, or list the values")


def _axis_from_raw(name: str, raw: Any, file: str | None) -> Axis:
    field = f"axes.{name}"
    if isinstance(raw, (list, tuple)):
        if not raw:
            raise InputError("axis has no values; give a list of at least one value", file=file,
                             field=field)
        seen: dict = {}
        for j, v in enumerate(raw):  # 0 and 0.0 (or a value twice) would run the same case twice
            try:
                key = json.dumps(v, sort_keys=True) if isinstance(v, (list, dict)) else v
                i = seen.setdefault(key, j)   # 0 == 0.0 and hash alike: one key
            except TypeError:                 # unhashable beyond lists and dicts: not checked
                continue
            if i != j:
                raise InputError(f"value {shown(v)} (item {j}) repeats {shown(raw[i])} (item {i}); each value once",
                                 file=file, field=field)
        return Axis(name, values=tuple(raw))
    if isinstance(raw, dict):
        extra = set(raw) - {"min", "max", "steps"}
        if extra:
            k = sorted(extra)[0]
            raise InputError(f"unknown key {k!r}{did_you_mean(k, ['min', 'max', 'steps'])} in a range "
                             "axis; allowed: min, max, steps", file=file, field=field)
        lo, hi, steps = raw.get("min"), raw.get("max"), raw.get("steps")
        for key, v in (("min", lo), ("max", hi)):
            if isinstance(v, bool) or not isinstance(v, (int, float)):
                raise InputError(f"range {key} must be a number, got {v!r}", file=file, field=field)
            if not math.isfinite(v):  # a range needs finite ends (numpy warned, then a value was refused)
                raise InputError(f"range {key} must be a finite number, got {v!r}", file=file, field=field)
        if hi < lo:
            raise InputError(f"range max {hi!r} is below min {lo!r}", file=file, field=field)
        if steps is not None and (isinstance(steps, bool) or not isinstance(steps, int) or steps < 1):
            raise InputError(f"range steps must be an integer >= 1, got {steps!r}", file=file,
                             field=field)
        if steps == 1 and hi != lo:  # linspace(min, max, 1) is [min]: max silently left out
            raise InputError(f"range steps 1 gives min {lo!r} alone and leaves out max {hi!r}; allowed: "
                             "steps >= 2 (both ends and the values between), min equal to max, or a list "
                             "of values", file=file, field=field)
        if steps is not None and steps > 1 and hi == lo:  # linspace(100, 100, 3): one case, not 3, said nowhere
            raise InputError(f"range min and max are both {lo!r}, so its {steps} steps are one value {steps} times "
                             "(one case, not " + str(steps) + "); allowed: steps 1 for the one value, or a max "
                             "above min", file=file, field=field)
        whole = field_is_whole(name)
        if whole and math.ceil(lo) > math.floor(hi):
            raise InputError(f"range min {lo!r} to max {hi!r} holds no whole number, and {name} takes whole "
                             "numbers; allowed: a range with a whole number in it", file=file, field=field)
        return Axis(name, low=lo, high=hi, steps=steps, whole=whole)
    raise InputError(f"axis must be a list of values or a range {{min, max, steps}}, got {raw!r}",
                     file=file, field=field)


def field_is_whole(path: str) -> bool | None:
    """Whether the site-spec field at a dotted ``path`` takes whole numbers (an ``int``
    field: True), real numbers (a ``float`` field: False) or neither / not known (None),
    from the :class:`dcplan.site.Site` schema (``Optional`` unwrapped, list items followed).

    >>> field_is_whole("fleet.phases[0].count"), field_is_whole("solar.dc_ac_ratio")
    (True, False)
    """
    import types
    import typing

    from pydantic import BaseModel

    from .site import Site
    from .sweep_overrides import parse_path

    def unwrap(t):
        while True:
            origin = typing.get_origin(t)
            if origin is typing.Annotated:
                t = typing.get_args(t)[0]
            elif origin in (typing.Union, types.UnionType):
                args = [a for a in typing.get_args(t) if a is not type(None)]
                if len(args) != 1:
                    return t
                t = args[0]
            else:
                return t

    try:
        parts = parse_path(path)
    except InputError:
        return None
    t: Any = Site
    for part in parts:
        t = unwrap(t)
        if isinstance(part, int):
            if typing.get_origin(t) not in (list, tuple) or not typing.get_args(t):
                return None
            t = typing.get_args(t)[0]
        elif isinstance(t, type) and issubclass(t, BaseModel) and part in t.model_fields:
            t = t.model_fields[part].annotation
        else:
            return None
    t = unwrap(t)
    if t is int:
        return True
    if t is float:
        return False
    return None


def nested_axes(axes: list[Axis], file: str | None) -> list[InputError]:
    """One error per axis whose path is inside another axis's (``solar.dc_kw`` beside ``solar``).

    Each case sets the outer section, then the field inside it (:func:`dcplan.sweep_overrides.apply_overrides`),
    so the inner axis's value replaces the one in every outer value: ``solar: [{dc_kw: 100}, {dc_kw: 200}]``
    with ``solar.dc_kw: [0, 300]`` ran four cases of two sites, twice each under different case ids, and the
    ``solar`` column gave values no case ran. A section with a field on an axis belongs in ``fixed``.
    """
    out = []
    from .sweep_overrides import parse_path
    paths = {a.name: parse_path(a.name) for a in axes}
    for name, parts in paths.items():
        outer = next((o for o, op in paths.items() if len(op) < len(parts) and parts[:len(op)] == op), None)
        if outer is not None:
            out.append(InputError(f"{name!r} is inside the axis {outer!r}: each case's {name} would replace the one "
                                  f"in every {outer} value, so cases would repeat under other ids; allowed: one of "
                                  f"the two axes, or {outer} in fixed (its fields not on an axis)",
                                  file=file, field=f"axes.{name}"))
    return out


def layout_axis_warnings(axes: list[Axis], where: str = "", case: str = "dcplan.pipeline:case_figures") -> list[str]:
    """A warning for each ``fleet.phases[i].units_per_rack`` axis of a sweep run with the default case
    function (:func:`dcplan.pipeline.case_figures`), of whose row only the rack figures follow it, or with
    :func:`dcplan.sweep_tco.case_tco` (``case``: its name), whose TCO takes no rack layout either (it buys the
    fleet's servers or racks, ``TcoInputs.phase_units``, not the racks they are mounted in).

    The rack layout sets the rack count and the kW per rack, not the IT power (docs/site-format.md,
    ``fleet.phases[].units_per_rack``: the rack gear scales with the servers), and the plant model takes no
    rack density. The row gives the first two, ``racks_total`` and ``rack_kw_max``
    (:func:`dcplan.rack_density.rack_row_figures`: Phoenix's 384 hgx-b200 at 1 and 2 a rack, 384 racks of 14.3 kW
    and 192 of 28.6 kW), and nothing else moves: every other column of those two cases was the same, air and
    liquid, with and without PV and a battery. Only a partial last rack moves the design IT (385 hgx-b200:
    5,801.5 against 5,803.0 kW). An air case at or above :data:`~dcplan.catalog_bands.LIQUID_RACK_MIN_KW` (60 kW) a
    rack fails (no air plant cools it); one above :data:`~dcplan.catalog_bands.AIR_RACK_MAX_KW` (40.8 kW) runs with
    the air plant's PUE, which does not say that such a rack needs rear-door heat exchangers or liquid cooling. A
    planner's rack-density axis read as "density changes nothing" before the row had the rack figures; the
    energy, PUE and cost columns still say so.
    """
    from .catalog_bands import AIR_RACK_MAX_KW, LIQUID_RACK_MIN_KW
    tco = ", TCO" if case != "dcplan.pipeline:case_figures" else ""
    return [f"{where}axes.{a.name}: of the figures of {case} only racks_total and rack_kw_max "
            "(the compute racks and the densest one's kW at full load) follow the rack layout; it does not set the "
            "IT power (a partial last rack only adds a rack's gear) and the plant model takes no rack density, so "
            f"the energy, PUE, cooling, bill{tco} and cost columns are the same at every layout. An air-cooled case at "
            f"or above {LIQUID_RACK_MIN_KW:g} kW a rack fails; one above {AIR_RACK_MAX_KW:g} kW (the densest "
            "air-cooled layout the reference data give) runs with the air plant's PUE, though such a rack needs "
            "rear-door heat exchangers or liquid cooling: read rack_kw_max against these, or run a case function "
            "that models density-dependent cooling (dcplan sweep --case MODULE:FUNCTION)"
            for a in axes if re.fullmatch(r"fleet\.phases\[\d+\]\.units_per_rack", a.name)]
