"""The TCO Assumptions row of a fleet's throughput keeps its figure's source, vintage and status.

``inputs_from_site`` takes ``tokens_per_s_per_accelerator`` from the fleet's hardware
(:func:`dcplan.power.example_throughput`); the row was status ``input`` with no vintage, hiding
that the GB200 figure is Microsoft's blog (865,000 tokens/s / 72, 2025, secondary; the MLPerf
v4.1 submission it reports unverified: docs/reference-data.md s.8) and that a B200 or H200 fleet
borrows the H100 figure (MLPerf v4.1, 24,528.3 / 8, Aug 2024).
"""
from __future__ import annotations

import pytest

from dcplan import tco
from dcplan.power_tokens import THROUGHPUT_EXAMPLES, split_throughput_source, throughput_provenance
from dcplan.site import load_portfolio

KW = dict(n_accelerators=1000, it_capacity_kw=1000.0, it_energy_kwh=8.0e6)


@pytest.fixture(scope="module")
def pf():
    return load_portfolio()


def _row(site):
    return tco.run_tco(tco.inputs_from_site(site, **KW), 1.0e6).assumptions.set_index("key").loc[
        "tokens_per_s_per_accelerator"]


@pytest.mark.parametrize("sid, value, vintage, status, says", [
    # GB200 NVL72: 865,000 / 72 = 12,013.9 (Azure HPC blog 2025, secondary)
    ("northern-virginia", 865000.0 / 72, "2025", "secondary", "unverified"),
    # H100: 24,528.3 / 8 = 3,066.0 (MLPerf v4.1 closed, Aug 2024, primary / 8: derived)
    ("research-triangle-nc", 24528.3 / 8, "2024-08", "derived", "24,528.3 tokens/s / 8"),
    # B200 and H200 fleets take the H100 figure: an illustration, estimate
    ("phoenix-az", 24528.3 / 8, "2024-08", "estimate", "stands in for hgx-b200"),
    ("chicago-il", 24528.3 / 8, "2024-08", "estimate", "stands in for hgx-h200"),
])
def test_assumptions_row_has_the_figures_vintage_and_status(pf, sid, value, vintage, status, says):
    r = _row(pf[sid])
    assert r["value"] == pytest.approx(value, rel=1e-12)  # exact division; float rounding
    assert (r["vintage"], r["status"]) == (vintage, status)
    assert says in r["source"] and "{vintage" not in r["source"]
    assert "example_throughput" in r["description"]


def test_every_example_has_provenance_and_the_text_round_trips(pf):
    from dcplan.power_tokens import THROUGHPUT_PROVENANCE
    assert set(THROUGHPUT_PROVENANCE) == set(THROUGHPUT_EXAMPLES)
    for sid in pf.ids:
        text, vintage, status = throughput_provenance(pf[sid])
        assert split_throughput_source(text)[1:] == (vintage, status)
    assert split_throughput_source("site.finance.costs.tokens_per_s_per_accelerator") is None


def test_a_throughput_the_site_gives_stays_an_input(pf):
    nova = pf["northern-virginia"]
    own = nova.model_copy(update={"finance": nova.finance.model_copy(
        update={"costs": {"tokens_per_s_per_accelerator": 9000.0}})})
    r = _row(own)
    assert (r["value"], r["vintage"], r["status"]) == (9000.0, "", "input")
    assert r["source"] == "site.finance.costs.tokens_per_s_per_accelerator"
