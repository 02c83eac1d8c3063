"""``finance.sources``: where a finance value the site gives comes from (owner: tco).

A site that overrides a TCO input (``finance.tax_rate_frac``, ``finance.costs.<key>``) says why in the file::

    finance:
      tax_rate_frac: 0.28505
      costs: {server_usd_per_accelerator: 30000}
      sources:
        tax_rate_frac: "federal 21 % + Illinois 9.5 %, deductible federally: 0.21 + 0.095 x (1 - 0.21); ..."
        server_usd_per_accelerator: "vendor quote Q-1234, 2026-03"

A key names the input as ``finance.ranges`` does: its ``data/costs.csv`` key or ``finance`` field name, the same
whether the site sets it as ``finance.<key>`` or ``finance.costs.<key>`` (a section may not set it both ways,
:class:`dcplan.specs.finance.FinanceSpec`). The text goes with the value into the TCO's inputs
(``TcoInputs.source_notes``, :func:`dcplan.tco_inputs.inputs_from_site`) and the Assumptions table's source
column, after the field it came from: ``"site.finance.tax_rate_frac: federal 21 % + ..."`` (the status stays
``input``; the workbook's and the CSV's Assumptions are that table). A sweep or caller that replaces the value
drops its text (:func:`dcplan.sweep_overrides.apply_overrides`, ``TcoInputs.with_costs``).

Checked as the site loads, each refusal naming the field, the value and what is allowed:

* the key: an input this site's ``finance`` section sets (a field given in the file, not null, or a
  ``costs`` key), with a "did you mean"; a value the file does not set takes its default, whose source the
  Assumptions already give (``data/costs.csv``), and ``finance.ranges`` carries its own ``source``;
* the text: one line of at most :data:`dcplan.specs._base.MAX_SOURCE_CHARS` characters
  (:data:`~dcplan.specs._base.SourceText`), not empty.
"""
from __future__ import annotations

__all__ = ["sourced_keys", "source_key_problem", "source_text_problem", "NOT_SOURCED_FIELDS"]

#: ``finance`` fields that are no input value of their own: a ``finance.sources`` key never names them.
NOT_SOURCED_FIELDS = ("costs", "ranges", "sources")


def sourced_keys(finance) -> list[str]:
    """The keys ``finance.sources`` may name for section ``finance``: its fields the file sets (not null; in
    field order), then its ``costs`` keys."""
    fields = [k for k in type(finance).model_fields
              if k not in NOT_SOURCED_FIELDS and k in finance.model_fields_set and getattr(finance, k) is not None]
    return fields + [k for k in finance.costs if k not in fields]


def source_text_problem(text: str) -> str | None:
    """Why ``text`` cannot be a ``finance.sources`` text, or None: only blank."""
    if not text.strip():
        return (f"got {text!r}; allowed: a non-empty text saying where the site's value comes from (a statute, a "
                "quote, a contract, the arithmetic)")
    return None


def source_key_problem(k: str, text: str, finance) -> str | None:
    """Why ``finance.sources.<k>`` is refused in section ``finance``, as ``"<k>: message"``, or None: a key that
    names no input the section sets (:func:`sourced_keys`), with a "did you mean" and the keys allowed."""
    from .._text import did_you_mean
    from ..tco_cost_table import cost_keys
    keys = sourced_keys(finance)
    if k in keys:
        return None
    shown = f"{text[:60]!r}{'...' if len(text) > 60 else ''}"
    allowed = (f"allowed: the inputs this site's finance section sets, {', '.join(keys)}" if keys else
               "allowed: none, as this site's finance section sets no input (leave finance.sources out)")
    if k.startswith("costs.") and k.removeprefix("costs.") in keys:
        return (f"{k}: a source is keyed by the input's name alone, as finance.ranges is (got {shown}); write it "
                f"as finance.sources.{k.removeprefix('costs.')}; {allowed}")
    if k in NOT_SOURCED_FIELDS:
        why = (" (each finance.ranges entry has its own required source)" if k == "ranges" else
               " (name each finance.costs key on its own)" if k == "costs" else "")
        return f"{k}: not an input value{why}, got {shown}; {allowed}"
    from .finance import NOT_SITE_COSTS
    if k in NOT_SITE_COSTS:
        return f"{k}: not a site input, got the source {shown}: {NOT_SITE_COSTS[k]}; {allowed}"
    if k in type(finance).model_fields or k in cost_keys():
        where = f"finance.{k}" if k in type(finance).model_fields else f"finance.costs.{k}"
        return (f"{k}: this site does not set {where}, got the source {shown}: a source is for a value the site "
                "gives (an input it leaves out takes its default, whose own source the TCO's Assumptions give); "
                f"set the value, or leave its source out{did_you_mean(k, keys)}; {allowed}")
    return f"{k}: unknown input {k!r}, got the source {shown}{did_you_mean(k, keys)}; {allowed}"
