"""token_metrics names what its second power counts (tester finding P7).

rack_power published ``kwh_per_million_tokens_facility`` for IT + electrical losses (no cooling)
while site_analysis's ``facility_kwh_per_m_tokens`` and the TCO's ``tokens_per_j_facility`` count
cooling: one word, two meanings. The IT + electrical figures are now ``*_it_electrical``.
"""
from __future__ import annotations

import pandas as pd
import pytest

from dcplan.errors import InputError
from dcplan.power_tokens import TOKEN_TAGS, token_metrics

IDX = pd.date_range("2025-01-01 01:00", periods=24, freq="1h", tz="UTC")


def test_it_electrical_figures_carry_their_own_suffix():
    # 8 x H100 at 10.2 kW, 24,528.3 tokens/s; electrical losses 6.4 % of IT
    it = pd.Series(10.2, index=IDX, name="it_kw")
    m = token_metrics(24528.3, it, facility_kw=it * 1.064, tag="it_electrical")
    tokens = 24528.3 * 3600 * 24
    assert m["kwh_per_million_tokens_it_electrical"] == pytest.approx(10.2 * 1.064 * 24 / tokens * 1e6, rel=1e-12)
    assert m["tokens_per_j_it_electrical"] == pytest.approx(24528.3 / (10200 * 1.064), rel=1e-12)
    assert m["it_electrical_energy_kwh"] == pytest.approx(10.2 * 1.064 * 24, rel=1e-12)
    assert not any(k.endswith("_facility") for k in m.index)
    # the default suffix is unchanged for callers that pass power with cooling in it
    assert "kwh_per_million_tokens_facility" in token_metrics(24528.3, it, facility_kw=it * 1.2).index


def test_an_unknown_tag_is_refused_naming_the_allowed_ones():
    it = pd.Series(10.2, index=IDX, name="it_kw")
    assert TOKEN_TAGS == ("facility", "it_electrical")
    with pytest.raises(InputError, match=r"^tag: unknown 'site'; allowed: facility, it_electrical$"):
        token_metrics(1000.0, it, facility_kw=it, tag="site")
