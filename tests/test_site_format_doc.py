"""docs/site-format.md is the site-file reference a planner reads: it must be what
tools/build_site_format.py writes from the spec models today, and every key must say what it
is (a planner found keys such as finance.costs and interconnection.battery only through
"unknown key" errors)."""
from __future__ import annotations

import typing

from pydantic import BaseModel

from dcplan.site import Site
from tools import build_site_format as b


def test_the_committed_reference_is_current():
    assert b.OUT.read_text(encoding="utf-8") == b.build(), \
        "docs/site-format.md is stale: run python -m tools.build_site_format"


def _leaves(model: type[BaseModel], prefix: str = ""):
    for name, f in model.model_fields.items():
        sub = b._model_of(f.annotation)
        if sub is not None:
            yield from _leaves(sub, f"{prefix}{name}.")
        elif not (prefix == "" and name in b._SET_BY_LOADER):
            yield f"{prefix}{name}", f


def test_every_key_a_site_file_may_hold_is_described_and_listed():
    leaves = dict(_leaves(Site))
    assert len(leaves) > 60  # every section's keys, not just the top level
    undocumented = [k for k, f in leaves.items() if not (f.description or "").strip()]
    assert not undocumented, f"give these fields a description=: {undocumented}"
    text = b.OUT.read_text(encoding="utf-8")
    for k in leaves:
        parts = k.split(".")
        # list sections are written with [] (fleet.phases[].count)
        shown = k if f"`{k}`" in text else ".".join(p + "[]" if i < len(parts) - 1 and f"`{'.'.join(parts[:i + 1])}[]" in text
                                                  else p for i, p in enumerate(parts))
        assert f"`{shown}`" in text, k


def test_type_names_read_as_a_planner_writes_them():
    assert b._type_name(typing.Literal["a", "b"]) == "`a` \\| `b`"
    assert b._type_name(float | None) == "number or null"
    assert b._type_name(dict[str, float]) == "mapping text to number"
